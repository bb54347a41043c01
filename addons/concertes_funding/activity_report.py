# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from decimal import Decimal

from trytond.i18n import gettext
from trytond.modules.concertes_members.annual_report import (
    format_day, key_figure)
from trytond.modules.concertes_members.common import overlap_domain
from trytond.pool import Pool, PoolMeta


class ActivityReport(metaclass=PoolMeta):
    __name__ = 'concertes.activity.report'
    _sections = ['funding', 'team']

    @classmethod
    def section_funding(cls, year):
        """The grants granted or closed whose period covers part of the
        year: funder, programme, the year's amount (with its note, e.g.
        where it comes from) and the instalments received in the year"""
        Grant = Pool().get('concertes.grant')
        start, end = cls._year_bounds(year)
        grants = []
        for grant in Grant.search([
                    ('state', 'in', ['granted', 'closed']),
                    ] + overlap_domain(start, end),
                order=[('start_date', 'ASC'), ('id', 'ASC')]):
            lines = [y for y in grant.years if y.year == year]
            amount = sum((y.amount for y in lines), Decimal(0))
            received = sum((i.amount for i in grant.instalments
                    if i.received_date and start <= i.received_date <= end),
                Decimal(0))
            grants.append({
                    'name': grant.name,
                    'funder': grant.funder.rec_name,
                    'programme': grant.programme,
                    'reference': grant.reference,
                    'start_date': grant.start_date.isoformat(),
                    'end_date': (grant.end_date.isoformat()
                        if grant.end_date else None),
                    'amount': str(amount),
                    'amount_note': '; '.join(y.note for y in lines if y.note),
                    'received': str(received),
                    })
        return {
            'grants': grants,
            'total_amount': str(sum(
                    (Decimal(g['amount']) for g in grants), Decimal(0))),
            }

    @classmethod
    def section_team(cls, year):
        """The people under contract in the year: function and working time
        in full-time equivalents over the year (a contract for half of the
        year at full time counts 0.5)"""
        Contract = Pool().get('concertes.employee.contract')
        start, end = cls._year_bounds(year)
        people = {}
        for contract in Contract.search([
                    ('start_date', '<=', end),
                    ['OR',
                        ('end_date', '=', None),
                        ('end_date', '>=', start),
                        ],
                    ], order=[('start_date', 'ASC'), ('id', 'ASC')]):
            person = people.setdefault(contract.employee.id, {
                    'name': contract.employee.rec_name,
                    'function': contract.function,
                    'fte': Decimal(0),
                    })
            person['function'] = contract.function
            person['fte'] += contract.working_time * contract.year_share(year)
        rows = sorted(people.values(), key=lambda p: p['name'])
        fte = sum((p['fte'] for p in rows), Decimal(0))
        return {
            'people': [dict(p, fte=str(p['fte'].quantize(Decimal('0.01'))))
                for p in rows],
            'count': len(rows),
            'fte': str(fte.quantize(Decimal('0.01'))),
            }


class AnnualReport(metaclass=PoolMeta):
    __name__ = 'concertes.activity.report.document'
    _parts = [
        ('activities', 30, 'concertes_funding/annual_report_section.xml'),
        ('activities', 90, 'concertes_funding/annual_report_team.xml'),
        ]

    @classmethod
    def _document_funding(cls, year, figures, doc):
        lang = Pool().get('ir.lang').get('fr')

        def euros(amount):
            return lang.format('%.2f', Decimal(amount), grouping=True) + ' €'
        section = figures['funding']
        doc['funding_rows'] = [
            dict(g,
                period='%s – %s' % (format_day(g['start_date']),
                    format_day(g['end_date'])
                    if g['end_date']
                    else gettext('concertes_funding.msg_report_grant_no_end')),
                amount=euros(g['amount']),
                received=euros(g['received']))
            for g in section['grants']]
        doc['funding_totals'] = {
            'amount': euros(section['total_amount']),
            'received': euros(sum(
                    (Decimal(g['received']) for g in section['grants']),
                    Decimal(0))),
            }

    @classmethod
    def _key_figures_team(cls, team):
        return [key_figure(200, 'concertes_funding', 'team_fte',
                team['fte'].replace('.', ','))]
