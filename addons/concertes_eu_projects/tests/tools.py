# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The set-ups shared by the tests of concertes_eu_projects"
import datetime as dt
import functools
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction


def with_company(func):
    """Run the test in a transaction as the user of a new company, which it
    receives"""
    @with_transaction()
    @functools.wraps(func)
    def wrapper(self):
        company = create_company()
        with set_company(company):
            return func(self, company)
    return wrapper


def create_project(code='HORIZON-RIA', **values):
    "A project of 24 months in the programme of code"
    pool = Pool()
    Project = pool.get('concertes.eu.project')
    Programme = pool.get('concertes.eu.programme')
    programme, = Programme.search([('code', '=', code)])
    values.setdefault('acronym', 'TEST')
    values.setdefault('programme', programme.id)
    values.setdefault('duration', 24)
    project, = Project.create([values])
    return project


def create_work_package(project, number=1, first=1, last=None, **values):
    "Work package number over the months first to last (the last one)"
    Work = Pool().get('project.work')
    values.update({
            'name': "WP %s" % number,
            'eu_project': project.id,
            'wp_number': number,
            'first_month': first,
            'last_month': project.duration if last is None else last,
            })
    work, = Work.create([values])
    return work


def create_deliverable(project, number='D1.1', due_month=10, **values):
    "Deliverable number of project, due at the end of due_month"
    Deliverable = Pool().get('concertes.eu.deliverable')
    deliverable, = Deliverable.create([dict(values,
                project=project.id, number=number,
                title="Deliverable %s" % number, due_month=due_month)])
    return deliverable


def create_milestone(
        project, number='MS1', due_month=1, title="Kick-off", **values):
    "Milestone number of project, due at the end of due_month"
    Milestone = Pool().get('concertes.eu.milestone')
    milestone, = Milestone.create([dict(values,
                project=project.id, number=number, title=title,
                due_month=due_month)])
    return milestone


def create_periods(project, *months):
    "The reporting periods of the project over (first, last) months"
    Period = Pool().get('concertes.eu.period')
    return Period.create([{
                'project': project.id, 'number': number,
                'first_month': first, 'last_month': last}
            for number, (first, last) in enumerate(months, 1)])


def create_running_project(company, code='HORIZON-RIA', **values):
    """A running project of 24 months from 1 January 2024 with the company
    as coordinator and one other partner"""
    pool = Pool()
    Partner = pool.get('concertes.eu.partner')
    Party = pool.get('party.party')
    values.setdefault('start_date', dt.date(2024, 1, 1))
    values.setdefault('maximum_grant', Decimal('500000'))
    values.setdefault('state', 'running')
    project = create_project(code, **values)
    other, = Party.create([{'name': "Partner %s" % project.acronym}])
    Partner.create([
            {'project': project.id, 'party': company.party.id,
                'number': 1, 'role': 'coordinator'},
            {'project': project.id, 'party': other.id, 'number': 2},
            ])
    return project


def timesheet_package(project, number=1):
    "Work package number of project, open to timesheets"
    return create_work_package(project, number, timesheet_available=True)


def running_package(company, code='HORIZON-RIA', **values):
    "A running project and its work package 1, open to timesheets"
    project = create_running_project(company, code, **values)
    return project, timesheet_package(project)


def create_employee(company, name="Marie", cost_price=Decimal('40')):
    "An employee of company costing cost_price an hour since 2020"
    pool = Pool()
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    CostPrice = pool.get('company.employee_cost_price')
    party, = Party.create([{'name': name}])
    employee, = Employee.create([{
                'party': party.id, 'company': company.id}])
    CostPrice.create([{
                'employee': employee.id, 'date': dt.date(2020, 1, 1),
                'cost_price': cost_price}])
    return employee


def book(employee, work, date, hours):
    "The timesheet line of hours by employee on work at date"
    Line = Pool().get('timesheet.line')
    line, = Line.create([{
                'employee': employee.id,
                'company': employee.company.id,
                'work': work.timesheet_works[0].id,
                'date': date,
                'duration': dt.timedelta(hours=hours),
                }])
    return line


def declare(project, employee, supervisor, year, month, days, package):
    "The time declaration of days on package by employee for the month"
    Declaration = Pool().get('concertes.eu.time.declaration')
    declaration, = Declaration.create([{
                'project': project.id, 'employee': employee.id,
                'supervisor': supervisor.id, 'year': year,
                'month': month,
                'lines': [('create', [{
                                'work_package': package.id,
                                'days': days}])],
                }])
    return declaration


def cost_category(code, funding_model='actual_costs'):
    Category = Pool().get('concertes.eu.cost.category')
    category, = Category.search([
            ('code', '=', code), ('funding_model', '=', funding_model)])
    return category


def ourselves(project):
    "Our partner record in project"
    partner, = [p for p in project.partners if p.ourselves]
    return partner


def other_partner(project):
    "The partner of project that is not us"
    partner, = [p for p in project.partners if not p.ourselves]
    return partner


def line_values(project, package, code, partner=None, **values):
    "The values of a budget line or an expense of partner (us)"
    values.update({
            'project': project.id,
            'partner': (partner or ourselves(project)).id,
            'work_package': package.id,
            'category': cost_category(code).id,
            })
    return values


def create_payment(project, kind, **values):
    "The payment of kind for project"
    Payment = Pool().get('concertes.eu.payment')
    payment, = Payment.create([dict(values, project=project.id, kind=kind)])
    return payment


def declare_completion(project, work_package, period, date, evidence,
        **values):
    "The completion of work_package declared in period"
    Completion = Pool().get('concertes.eu.lump_sum.completion')
    completion, = Completion.create([dict(values,
                project=project.id, work_package=work_package.id,
                period=period.id, date=date, evidence=evidence)])
    return completion


class AmountsMixin:
    "Checks of the amounts of records"

    def assertAmounts(self, record, **amounts):
        "Each field of amounts of record is the Decimal of its value"
        for name, amount in amounts.items():
            with self.subTest(field=name):
                self.assertEqual(getattr(record, name), Decimal(amount))
