# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Budgets and some actual costs of baSE and CAPSE.

The activity report gives no budget, no cost and no payment: every amount
here is invented for the demonstration and says so in its description (or
its reference when the record has no description).  Both projects are
Erasmus+ lump sums: the budget lines estimate ConcertES's costs, the shares
are ConcertES's part of each work package's lump sum, and the work packages
whose deliverable the report shows accepted are declared completed.  The two
employees are fictitious personas, not members of the team named in the
report, so that no real person's salary is invented.
"""
import datetime as dt
from decimal import Decimal

from demo.common import find_or_create, organisation
from proteus import Model

INVENTED = ("Montant fictif (démonstration) : le rapport d'activités 2024 "
    "ne publie ni budget ni coûts.")


def _employee(company, name, hourly_cost, annual_cost):
    party = organisation(name)
    employee = find_or_create(
        'company.employee',
        [('party', '=', party.id), ('company', '=', company.id)],
        party=party, company=company, start_date=dt.date(2020, 1, 1))
    find_or_create(
        'company.employee_cost_price',
        [('employee', '=', employee.id), ('date', '=', dt.date(2020, 1, 1))],
        employee=employee, date=dt.date(2020, 1, 1),
        cost_price=Decimal(hourly_cost))
    find_or_create(
        'concertes.eu.personnel.rate',
        [('employee', '=', employee.id), ('year', '=', 2024)],
        employee=employee, year=2024, annual_cost=Decimal(annual_cost))
    return employee


def _category(code):
    Category = Model.get('concertes.eu.cost.category')
    category, = Category.find([
            ('funding_model', '=', 'lump_sum'), ('code', '=', code)])
    return category


def _budget(project, partner, package, code, amount):
    category = _category(code)
    return find_or_create(
        'concertes.eu.budget.line', [
            ('project', '=', project.id), ('version', '=', 'granted'),
            ('partner', '=', partner.id),
            ('work_package', '=', package.id),
            ('category', '=', category.id), ('period', '=', None)],
        project=project, version='granted', partner=partner,
        work_package=package, category=category, amount=Decimal(amount),
        description=INVENTED)


def _share(project, partner, package, amount):
    return find_or_create(
        'concertes.eu.lump_sum.share', [
            ('work_package', '=', package.id),
            ('partner', '=', partner.id)],
        project=project, partner=partner, work_package=package,
        amount=Decimal(amount))


def _completion(project, package, period, date, evidence):
    return find_or_create(
        'concertes.eu.lump_sum.completion',
        [('work_package', '=', package.id)],
        project=project, work_package=package, period=period, date=date,
        evidence=evidence)


def _book(employee, package, date, hours, description):
    Line = Model.get('timesheet.line')
    if not package.timesheet_available:
        package.timesheet_available = True
        package.save()
    work = package.timesheet_works[0]
    if Line.find([
                ('employee', '=', employee.id), ('work', '=', work.id),
                ('date', '=', date)]):
        return
    line = Line(employee=employee, work=work, date=date,
        duration=dt.timedelta(hours=hours), description=description)
    line.save()


def _declare(project, employee, supervisor, year, month):
    Declaration = Model.get('concertes.eu.time.declaration')
    found = Declaration.find([
            ('project', '=', project.id), ('employee', '=', employee.id),
            ('year', '=', year), ('month', '=', month)])
    if found:
        return found[0]
    declaration = Declaration(
        project=project, employee=employee, supervisor=supervisor,
        year=year, month=month)
    declaration.save()
    declaration.click('fill')
    declaration.click('sign')
    declaration.click('approve')
    return declaration


def _expense(project, partner, package, code, date, amount, reference,
        description):
    return find_or_create(
        'concertes.eu.expense', [
            ('project', '=', project.id), ('reference', '=', reference)],
        project=project, partner=partner, work_package=package,
        category=_category(code), date=date, amount=Decimal(amount),
        reference=reference,
        description='%s (%s)' % (description, "montant fictif"))


def _payment(project, kind, expected_date, expected_amount, received_date,
        amount, reference):
    return find_or_create(
        'concertes.eu.payment', [
            ('project', '=', project.id), ('kind', '=', kind),
            ('reference', '=', reference)],
        project=project, kind=kind, expected_date=expected_date,
        expected_amount=Decimal(expected_amount),
        received_date=received_date,
        amount=Decimal(amount) if amount else None, reference=reference,
        description=INVENTED)


def _context(project):
    packages = {w.wp_number: w for w in project.work_packages}
    ourselves, = [p for p in project.partners if p.ourselves]
    periods = {p.number: p for p in project.periods}
    return packages, ourselves, periods


def build_base(project, officer, supervisor):
    packages, we, periods = _context(project)
    for number, personnel, travel in [
            (1, '18000', '4000'), (2, '42000', '3000'),
            (3, '38000', '2500'), (4, '55000', '3500'),
            (5, '24000', '6000')]:
        _budget(project, we, packages[number], 'A', personnel)
        _budget(project, we, packages[number], 'C.1', travel)
    _budget(project, we, packages[4], 'C.3', '6000')
    for number, amount in [
            (1, '17600'), (2, '36000'), (3, '32400'), (4, '47000'),
            (5, '24000')]:
        _share(project, we, packages[number], amount)
    _completion(project, packages[2], periods[1], dt.date(2024, 3, 29),
        "D2.1 « Résultats de l'enquête sur les compétences manquantes sur "
        "les transitions en ES » accepté le 29 mars 2024 (BE : 77 "
        "répondants).")
    for month in range(1, 7):
        _book(officer, packages[4], dt.date(2024, month, 10), 7.6,
            "Catalogue de formations et MOOC")
        _book(officer, packages[4], dt.date(2024, month, 11), 7.6,
            "Catalogue de formations et MOOC")
        _book(officer, packages[3], dt.date(2024, month, 12), 3.8,
            "Référentiel de compétences")
        _declare(project, officer, supervisor, 2024, month)
    _expense(project, we, packages[4], 'C.3', dt.date(2024, 5, 14),
        '1450.00', 'BASE-2024-001', "Tournage de capsules vidéo MOOC")
    _expense(project, we, packages[5], 'C.1', dt.date(2024, 10, 8),
        '620.00', 'BASE-2024-002', "Réunion transnationale des partenaires")
    _payment(project, 'prefinancing', dt.date(2022, 10, 31), '63200',
        dt.date(2022, 11, 18), '63200', 'BASE-PF-1')
    _payment(project, 'interim', dt.date(2024, 12, 31), '47400',
        None, None, 'BASE-INT-1')


def build_capse(project, officer, supervisor):
    packages, we, periods = _context(project)
    for number, personnel, travel in [
            (1, '4000', '800'), (2, '9000', '0'), (3, '12000', '2400'),
            (4, '10000', '1800')]:
        _budget(project, we, packages[number], 'A', personnel)
        if travel != '0':
            _budget(project, we, packages[number], 'C.1', travel)
    for number, amount in [(1, '4800'), (2, '9000'), (3, '14400'),
            (4, '11800')]:
        _share(project, we, packages[number], amount)
    _completion(project, packages[2], periods[1], dt.date(2024, 4, 15),
        "D2.1 « Enquête et entretiens avec des fédérations de l'ES : "
        "freins et leviers à l'égalité de genre » accepté le 15 avril "
        "2024.")
    for month in range(1, 7):
        package = packages[2] if month <= 3 else packages[3]
        _book(officer, package, dt.date(2024, month, 17), 7.6,
            "Enquête et guide méthodologique")
        _declare(project, officer, supervisor, 2024, month)
    _expense(project, we, packages[3], 'C.1', dt.date(2024, 4, 25),
        '780.00', 'CAPSE-2024-001', "Réunion de mobilité à Madrid")
    _payment(project, 'prefinancing', dt.date(2023, 11, 30), '16000',
        dt.date(2023, 12, 20), '16000', 'CAPSE-PF-1')


def build(config):
    "Budgets and some actual costs of baSE and CAPSE"
    Project = Model.get('concertes.eu.project')
    Company = Model.get('company.company')
    concertes = organisation('ConcertES')
    company, = Company.find([('party', '=', concertes.id)])
    with config.set_context(company=company.id):
        officer = _employee(company,
            "Chargée de projets européens (personne fictive)",
            '42.50', '68800')
        supervisor = _employee(company,
            "Responsable d'équipe (personne fictive)", '48.00', '77400')
        for acronym, builder in [('baSE', build_base),
                ('CAPSE', build_capse)]:
            projects = Project.find([('acronym', '=', acronym)])
            if not projects:
                print('demo: %s missing, no budget built' % acronym)
                continue
            builder(projects[0], officer, supervisor)
