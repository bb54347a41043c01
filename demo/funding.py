# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The funding part of the demo world, from the 2024 activity report.

What the report states: ConcertES is recognised since 2009 as the
representative organisation of the social economy enterprises by the Walloon
Government under the decree of 20 November 2008, reconfirmed for 2024-2027;
it works in the Brussels-Capital Region too (presidency of the CCES); its
Observatory of the social economy is a mission of its own.
What the report does not state (amounts, references, instalment and report
dates, the legal basis of the Brussels funding and of the Observatory's
mission) is a placeholder, marked as such in the records themselves.
"""
import datetime as dt
from decimal import Decimal

from demo.common import organisation
from proteus import Model

PLACEHOLDER = "Fictif : le rapport d'activités 2024 ne le publie pas."
# Placeholders: the report publishes no amount
WALLOON_AMOUNT = Decimal('150000.00')
BRUSSELS_AMOUNT = Decimal('30000.00')
OBSERVATORY_AMOUNT = Decimal('120000.00')

WALLOON_GRANT = "Reconnaissance et subvention wallonnes 2024-2027"
BRUSSELS_GRANT = "Financement bruxellois 2024"
OBSERVATORY_GRANT = (
    "Mission déléguée : Observatoire de l'économie sociale 2024")


def _grant(name, funder, start, end, amounts, programme, activities,
        conditions, reports, submitted_until=dt.date(2025, 12, 31)):
    """The grant named name, created granted with its amounts per year
    ({year: amount}), an advance of 80 % and a balance each year, and for
    each year an activity and a financial report (placeholders) if missing;
    reports due until submitted_until are submitted."""
    Grant = Model.get('concertes.grant')
    grants = Grant.find([('name', '=', name)], limit=1)
    if grants:
        return grants[0]
    grant = Grant(name=name, funder=funder, start_date=start, end_date=end,
        programme=programme, reference="(fictive, à compléter)",
        activities=activities, conditions=conditions)
    for year, amount in amounts.items():
        grant.years.new(year=year, amount=amount, note=PLACEHOLDER)
        advance = grant.instalments.new(kind='advance',
            amount=(amount * Decimal('0.8')).quantize(Decimal('0.01')))
        advance.expected_date = dt.date(year, 3, 31)
        balance = grant.instalments.new(
            kind='balance', amount=amount - advance.amount)
        balance.expected_date = dt.date(year, 12, 31)
        if year == 2024:
            advance.received_date = dt.date(year, 4, 15)
            balance.received_date = dt.date(year, 12, 20)
    for year in sorted(amounts):
        for kind, due in reports:
            report = grant.reports.new(kind=kind)
            report.period_start = max(dt.date(year, 1, 1), start)
            report.period_end = min(dt.date(year, 12, 31), end)
            report.due_date = due.replace(year=year + 1)
    grant.save()
    grant.click('grant')
    Report = Model.get('concertes.grant.report')
    for report in Report.find([
                ('grant', '=', grant.id),
                ('due_date', '<=', submitted_until),
                ]):
        report.submitted_date = report.due_date
        report.save()
        report.click('submit')
    return grant


def build(config):
    "The funding part of the demo world"
    government = organisation(
        "Gouvernement wallon", organisation_kind='public_authority')
    brussels = organisation(
        "Gouvernement de la Région de Bruxelles-Capitale",
        organisation_kind='public_authority')
    # Placeholder report dates: 31 March (activity), 30 June (financial)
    reports = [
        ('activity', dt.date(2000, 3, 31)),
        ('financial', dt.date(2000, 6, 30)),
        ('supporting', dt.date(2000, 6, 30)),
        ]
    _grant(WALLOON_GRANT, government,
        dt.date(2024, 1, 1), dt.date(2027, 12, 31),
        {year: WALLOON_AMOUNT for year in range(2024, 2028)},
        "Décret du 20 novembre 2008 relatif à l'économie sociale : "
        "reconnaissance comme organisation représentative des entreprises "
        "d'économie sociale (depuis 2009, reconfirmée pour 2024-2027)",
        "Concertation et représentation de l'économie sociale en Wallonie : "
        "mandats (CWES, CESE Wallonie, commissions d'agrément...), "
        "avis, plaidoyer, groupes de travail, soutien aux membres.",
        PLACEHOLDER, reports)
    _grant(BRUSSELS_GRANT, brussels,
        dt.date(2024, 1, 1), dt.date(2024, 12, 31),
        {2024: BRUSSELS_AMOUNT},
        "Soutien régional bruxellois (base légale : à compléter)",
        "Représentation de l'économie sociale en Région de "
        "Bruxelles-Capitale, présidence du Conseil consultatif de "
        "l'entrepreneuriat social (CCES), feuille de route pour l'ES "
        "bruxelloise.",
        PLACEHOLDER, reports[:2])
    _grant(OBSERVATORY_GRANT, government,
        dt.date(2024, 1, 1), dt.date(2024, 12, 31),
        {2024: OBSERVATORY_AMOUNT},
        "Mission déléguée par la Région wallonne (base légale : à "
        "compléter)",
        "L'Observatoire de l'économie sociale : publications et chiffres "
        "clés, réponses aux demandes de données, comité scientifique, "
        "partenariats de recherche.",
        PLACEHOLDER, reports)
