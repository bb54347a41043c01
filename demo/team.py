# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The team of the demo world, as the 2024 activity report lists it.

What the report states (section 1.2.4): the team at 31 December 2024 and each
person's function; Adrian Jehin back at part time since March 2024.  The
departures and arrivals of the period are not dated: they are left out.
What the report does not state is a placeholder: the start of the contracts
(1 January 2023), the working times (full time; half time for the return at
part time), and the month of time of October 2024 spread over the activities
the functions name.  No yearly cost is invented for a named person: the
contracts leave it empty, and the allocation shows their days without costs.
"""
import datetime as dt
from decimal import Decimal

from demo.common import find_or_create, organisation
from demo.funding import BRUSSELS_GRANT, OBSERVATORY_GRANT, WALLOON_GRANT
from proteus import Model

YEAR, MONTH = 2024, 10
# (name, function, start, working time, {activity: share of the days})
TEAM = [
    ("Bénédicte Sohet", "Secrétaire générale", dt.date(2023, 1, 1), '1',
        {'concertation': 6, 'brussels': 2, 'general': 2}),
    ("Adrian Jehin", "Coordinateur adjoint et chargé de communication",
        dt.date(2024, 3, 1), '0.5', {'events': 6, 'general': 4}),
    ("Augustin Morel", "Chargé de projets à l'Observatoire de l'ES",
        dt.date(2023, 1, 1), '1', {'observatory': 9, 'general': 1}),
    ("Catherine Bolly", "Chargée de projets et de coordination",
        dt.date(2023, 1, 1), '1',
        {'concertation': 4, 'brussels': 3, 'events': 2, 'general': 1}),
    ("Dimitri Goosens", "Gestionnaire administratif et financier",
        dt.date(2023, 1, 1), '1', {'general': 8, 'concertation': 2}),
    ("Julie Lenoir", "Chargée de projets à l'Observatoire de l'ES",
        dt.date(2023, 1, 1), '1', {'observatory': 8, 'eu': 2}),
    ("Pascale Zoetaert",
        "Conseillère politique en matières européennes et internationales",
        dt.date(2023, 1, 1), '1', {'eu': 5, 'concertation': 4, 'general': 1}),
    ]
SUPERVISOR = "Bénédicte Sohet"
SUPERVISOR_OF_SUPERVISOR = "Catherine Bolly"


def _grant(name):
    grants = Model.get('concertes.grant').find([('name', '=', name)])
    return grants[0] if grants else None


def _works():
    "The timesheet work of each activity of the team"
    Work = Model.get('timesheet.work')
    works = {}
    for key, name, activity, grant in [
            ('concertation', "Concertation et représentation en Wallonie",
                'mandates', WALLOON_GRANT),
            ('events', "Événements et promotion de l'économie sociale",
                'events', WALLOON_GRANT),
            ('brussels', "Représentation en Région bruxelloise (CCES)",
                'mission', BRUSSELS_GRANT),
            ('observatory', "Observatoire de l'économie sociale",
                'observatory', OBSERVATORY_GRANT),
            ('general', "Travail général (gestion, administration)",
                'general', None),
            ]:
        found = Work.find([('name', '=', name)])
        if found:
            works[key], = found
            continue
        work = Work(name=name, activity=activity)
        work.grant = _grant(grant) if grant else None
        work.save()
        works[key] = work
    Project = Model.get('concertes.eu.project')
    projects = Project.find([('acronym', '=', 'baSE')])
    packages = [p for p in projects[0].work_packages
        if p.timesheet_available] if projects else []
    if packages:
        works['eu'] = packages[0].timesheet_works[0]
    return works


def _employee(company, name):
    party = organisation(name)
    return find_or_create('company.employee', [
            ('party', '=', party.id), ('company', '=', company.id)],
        party=party, company=company)


def _contract(employee, function, start, working_time):
    return find_or_create('concertes.employee.contract', [
            ('employee', '=', employee.id), ('start_date', '=', start)],
        employee=employee, function=function, start_date=start,
        working_time=Decimal(working_time))


def _book_month(employee, working_time, shares, works):
    """A working day of 7.6 hours at the working time, each day of the month
    on one activity, in the proportions of shares"""
    Line = Model.get('timesheet.line')
    if Line.find([('employee', '=', employee.id),
                ('date', '>=', dt.date(YEAR, MONTH, 1)),
                ('date', '<', dt.date(YEAR, MONTH + 1, 1))], limit=1):
        return
    days = [dt.date(YEAR, MONTH, d) for d in range(1, 32)
        if dt.date(YEAR, MONTH, d).weekday() < 5]
    activities = [a for a, n in shares.items() if a in works
        for _ in range(n)]
    hours = Decimal('7.6') * Decimal(working_time)
    for i, day in enumerate(days):
        activity = activities[i * len(activities) // len(days)]
        line = Line(employee=employee, work=works[activity], date=day,
            duration=dt.timedelta(hours=float(hours)))
        line.save()


def _declare(employee, supervisor):
    Declaration = Model.get('concertes.time.declaration')
    if Declaration.find([
                ('employee', '=', employee.id),
                ('year', '=', YEAR), ('month', '=', MONTH)]):
        return
    declaration = Declaration(employee=employee, supervisor=supervisor,
        year=YEAR, month=MONTH)
    declaration.save()
    declaration.click('fill')
    declaration.click('sign')
    declaration.click('approve')


def build(config):
    "The team, its contracts and a month of time across the activities"
    Company = Model.get('company.company')
    company, = Company.find([('party', '=', organisation('ConcertES').id)])
    if company.hours_per_work_day != 7.6:
        company.hours_per_work_day = 7.6
        company.save()
    with config.set_context(company=company.id):
        works = _works()
        employees = {}
        for name, function, start, working_time, shares in TEAM:
            employee = _employee(company, name)
            _contract(employee, function, start, working_time)
            _book_month(employee, working_time, shares, works)
            employees[name] = employee
        for name, *_ in TEAM:
            supervisor = (SUPERVISOR_OF_SUPERVISOR if name == SUPERVISOR
                else SUPERVISOR)
            _declare(employees[name], employees[supervisor])
