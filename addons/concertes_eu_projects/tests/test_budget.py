# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"Rules of the budgets, actual costs, lump sums, payments and declarations"
import datetime as dt
from decimal import Decimal

from lxml import etree

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.concertes_members.tests.tools import refused
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    AmountsMixin, book, create_employee, create_payment, create_periods,
    create_running_project, declare, declare_completion, line_values,
    other_partner, ourselves, running_package, timesheet_package, with_company)


class BudgetTestCase(AmountsMixin, ModuleTestCase):
    "Test the budgets of concertes_eu_projects"
    module = 'concertes_eu_projects'
    extras = []

    def _receive_prefinancing(self, project):
        "The pre-financing of 10000 received on 20 January 2024"
        return create_payment(
            project, 'prefinancing', received_date=dt.date(2024, 1, 20),
            amount=Decimal('10000'))

    @with_company
    def test_amount_negative(self, company):
        "A negative amount is refused"
        BudgetLine = Pool().get('concertes.eu.budget.line')
        project, package = running_package(company)
        with self.assertRaisesRegex(
                ValidationError, 'cannot be negative'):
            BudgetLine.create([line_values(
                        project, package, 'A', amount=Decimal('-10'))])

    @with_company
    def test_amount_not_numeric(self, company):
        "A non-numeric amount is refused with a clear message"
        Expense = Pool().get('concertes.eu.expense')
        project, package = running_package(company)
        values = line_values(
            project, package, 'C.1', date=dt.date(2024, 3, 1))
        with self.assertRaisesRegex(ValidationError, 'is not a number'):
            Expense.create([dict(values, amount='douze')])
        expense, = Expense.create([dict(values, amount='12,50')])
        self.assertEqual(expense.amount, Decimal('12.50'))

    @with_company
    def test_partner_outside_consortium(self, company):
        """A budget line for a partner or a work package of another project
        is refused"""
        BudgetLine = Pool().get('concertes.eu.budget.line')
        project = create_running_project(company)
        other = create_running_project(company, acronym='OTHER')
        package = timesheet_package(project)
        for values, message in [
                ({'partner': other_partner(other).id},
                    'not in the consortium'),
                ({'work_package': timesheet_package(other).id},
                    'not a work package of project'),
                ]:
            with self.subTest(message=message), \
                    self.assertRaisesRegex(ValidationError, message):
                BudgetLine.create([dict(line_values(
                                project, package, 'A',
                                amount=Decimal('1000')), **values)])

    def _closed_after_booking(self, company):
        "A project closed after 7 hours were booked: employee, package, line"
        Project = Pool().get('concertes.eu.project')
        project, package = running_package(company)
        employee = create_employee(company)
        line = book(employee, package, dt.date(2024, 2, 1), 7)
        Project.close([project])
        return employee, package, line

    @with_company
    def test_timesheet_project_closed(self, company):
        "No time is booked on a closed project"
        employee, package, line = self._closed_after_booking(company)
        with self.assertRaisesRegex(ValidationError, 'it is closed'):
            book(employee, package, dt.date(2024, 2, 2), 7)
        with self.assertRaisesRegex(ValidationError, 'it is closed'):
            line.__class__.write([line], {'duration': dt.timedelta(hours=8)})

    @with_company
    def test_timesheet_closed_project_keeps_its_lines(self, company):
        "The time booked before a project closed stays valid"
        _, _, line = self._closed_after_booking(company)
        # as trytond-admin --validate checks every record after an upgrade
        line.__class__._validate([line])

    @with_company
    def test_timesheet_outside_project_dates(self, company):
        "No time is booked before the start or after the end"
        pool = Pool()
        Work = pool.get('project.work')
        project, package = running_package(company)
        task, = Work.create([{
                    'name': "Survey", 'parent': package.id,
                    'timesheet_available': True}])
        employee = create_employee(company)
        with self.assertRaisesRegex(
                ValidationError, 'outside the dates'):
            book(employee, package, dt.date(2023, 12, 31), 7)
        with self.assertRaisesRegex(
                ValidationError, 'outside the dates'):
            book(employee, task, dt.date(2026, 1, 1), 7)
        book(employee, task, dt.date(2025, 12, 31), 7)

    @with_company
    def test_timesheet_period_closed(self, company):
        "No time is booked in a closed reporting period"
        Period = Pool().get('concertes.eu.period')
        project, package = running_package(company)
        employee = create_employee(company)
        period, = create_periods(project, (1, 12))
        Period.report([period])
        Period.close([period])
        with self.assertRaisesRegex(ValidationError, 'which is closed'):
            book(employee, package, dt.date(2024, 6, 3), 7)
        book(employee, package, dt.date(2025, 1, 6), 7)

    @with_company
    def test_declaration_over_cap(self, company):
        "No one declares more than 215 days a year across all EU projects"
        Declaration = Pool().get('concertes.eu.time.declaration')
        first = create_running_project(company)
        second = create_running_project(company, acronym='SECOND')
        package1 = timesheet_package(first)
        package2 = timesheet_package(second)
        employee = create_employee(company)
        supervisor = create_employee(company, "Paul")
        # Another year has its own cap
        declare(
            second, employee, supervisor, 2023, 1, Decimal(20),
            package2)
        for month in range(1, 11):
            declare(
                first, employee, supervisor, 2024, month, Decimal(20),
                package1)
        # 200 days so far: 15 more reach the cap exactly
        declare(
            second, employee, supervisor, 2024, 11, Decimal(15),
            package2)
        with self.assertRaisesRegex(ValidationError, 'cap of 215'):
            declare(
                second, employee, supervisor, 2024, 12, Decimal('0.5'),
                package2)
        self.assertEqual(
            Declaration.days_by_year({(employee.id, 2023)}),
            {(employee.id, 2023): Decimal('20')})

    def _declaration_line(self, company, month, days):
        "The line of Marie's declaration of days in month 2024 on a project"
        project, package = running_package(company)
        employee = create_employee(company)
        supervisor = create_employee(company, "Paul")
        declaration = declare(
            project, employee, supervisor, 2024, month, days, package)
        line, = declaration.lines
        return line

    @with_company
    def test_declaration_work_package_outside_project(self, company):
        """A declaration line on a work package of another project is refused;
        nothing is saved"""
        Line = Pool().get('concertes.eu.time.declaration.line')
        line = self._declaration_line(company, 2, Decimal(5))
        package = line.work_package
        other = timesheet_package(
            create_running_project(company, acronym='OTHER'))
        with refused(self, ValidationError, 'is not a work package of'):
            Line.create([{'declaration': line.declaration.id,
                        'work_package': other.id, 'days': Decimal(2)}])
        with refused(self, ValidationError, 'is not a work package of'):
            Line.write([line], {'work_package': other.id})
        self.assertEqual(Line.search([]), [line])
        self.assertEqual(Line(line.id).work_package, package)

    @with_company
    def test_declaration_days_month(self, company):
        """A declaration line of more days than a month has is refused;
        nothing is saved"""
        Line = Pool().get('concertes.eu.time.declaration.line')
        line = self._declaration_line(company, 3, Decimal(31))
        with refused(self, ValidationError, 'cannot be declared in one month'):
            Line.write([line], {'days': Decimal('31.5')})
        self.assertEqual(Line(line.id).days, Decimal(31))

    @with_company
    def test_declaration_locked(self, company):
        "A signed declaration can no longer be changed"
        Declaration = Pool().get('concertes.eu.time.declaration')
        project, package = running_package(company)
        employee = create_employee(company)
        supervisor = create_employee(company, "Paul")
        declaration = declare(
            project, employee, supervisor, 2024, 2, Decimal(5), package)
        Declaration.sign([declaration])
        self.assertEqual(declaration.employee_signature_date,
            Pool().get('ir.date').today())
        Declaration.approve([declaration])
        self.assertEqual(declaration.state, 'signed')
        with self.assertRaisesRegex(AccessError, 'is signed'):
            Declaration.write([declaration], {'month': 3})
        with self.assertRaisesRegex(AccessError, 'is signed'):
            Declaration.delete([declaration])

    @with_company
    def test_period_missing_declarations(self, company):
        "A period is closed only once every month booked is declared"
        pool = Pool()
        Period = pool.get('concertes.eu.period')
        Declaration = pool.get('concertes.eu.time.declaration')
        project, package = running_package(company)
        employee = create_employee(company)
        supervisor = create_employee(company, "Paul")
        period, = create_periods(project, (1, 6))
        book(employee, package, dt.date(2024, 2, 5), 15.2)
        book(employee, package, dt.date(2024, 3, 5), 7.6)
        book(employee, package, dt.date(2024, 9, 5), 7.6)
        declaration, = Declaration.create([{
                    'project': project.id, 'employee': employee.id,
                    'supervisor': supervisor.id, 'year': 2024,
                    'month': 2}])
        Declaration.fill([declaration])
        line, = declaration.lines
        self.assertEqual(line.days, Decimal('2.00'))
        self.assertEqual(declaration.hours_booked, Decimal('15.20'))
        Declaration.sign([declaration])
        Declaration.approve([declaration])
        Period.report([period])
        self.assertEqual(
            period.missing_declarations, 'Marie: 2024-03 (7.6 h)')
        with self.assertRaisesRegex(UserError, '2024-03'):
            Period.close([period])
        march = declare(
            project, employee, supervisor, 2024, 3, Decimal(1), package)
        Declaration.sign([march])
        Declaration.approve([march])
        Period.close([period])
        self.assertEqual(period.state, 'closed')

    @with_company
    def test_payment_over_maximum_grant(self, company):
        "The payments cannot exceed the maximum grant"
        Payment = Pool().get('concertes.eu.payment')
        project = create_running_project(
            company, role='coordinator', maximum_grant=Decimal('100000'))
        create_payment(
            project, 'prefinancing', expected_amount=Decimal('60000'),
            received_date=dt.date(2024, 2, 1), amount=Decimal('55000'))
        interim = create_payment(
            project, 'interim', expected_amount=Decimal('40000'))
        # Transfers to partners do not count
        create_payment(
            project, 'transfer', partner=other_partner(project).id,
            expected_amount=Decimal('30000'))
        with self.assertRaisesRegex(
                ValidationError, 'exceed its maximum grant'):
            Payment.write([interim], {
                    'received_date': dt.date(2025, 3, 1),
                    'amount': Decimal('45000.01')})
        with self.assertRaisesRegex(
                ValidationError, 'exceed its maximum grant'):
            create_payment(
                project, 'balance', expected_amount=Decimal('0.01'))

    @with_company
    def test_transfer_not_coordinator(self, company):
        "Only the coordinator transfers money on to partners"
        project = create_running_project(company, role='partner')
        with self.assertRaisesRegex(ValidationError, 'coordinator'):
            create_payment(
                project, 'transfer', partner=other_partner(project).id,
                expected_amount=Decimal('100'))

    @with_company
    def test_mutual_insurance_retention(self, company):
        "The mutual insurance is withheld from the pre-financing"
        Programme = Pool().get('concertes.eu.programme')
        project = create_running_project(
            company, maximum_grant=Decimal('200000'))
        Programme.write([project.programme], {
                'mutual_insurance_rate': Decimal('0.05')})
        prefinancing = create_payment(
            project, 'prefinancing', expected_amount=Decimal('100000'))
        balance = create_payment(
            project, 'balance', expected_amount=Decimal('20000'))
        self.assertAmounts(
            prefinancing, retention='10000.00', expected_net='90000.00')
        self.assertAmounts(balance, expected_net='30000.00')

    @with_company
    def test_personnel_costs_daily_rate(self, company):
        """Personnel costs are the days times the daily rate (annual costs /
        215) when given, else the hours times the hourly cost"""
        pool = Pool()
        Rate = pool.get('concertes.eu.personnel.rate')
        project, package = running_package(company)
        marie = create_employee(company, cost_price=Decimal('40'))
        paul = create_employee(company, "Paul", cost_price=Decimal('30'))
        rate, = Rate.create([{
                    'employee': marie.id, 'year': 2024,
                    'annual_cost': Decimal('64500')}])
        self.assertEqual(rate.daily_rate, Decimal('300.00'))
        book(marie, package, dt.date(2024, 1, 10), 7.6)
        book(marie, package, dt.date(2024, 1, 11), 3.8)
        # No rate for 2025: the hourly cost of timesheet_cost
        book(marie, package, dt.date(2025, 1, 10), 2)
        book(paul, package, dt.date(2024, 1, 10), 10)
        # 1.5 days x 300 + 2 h x 40 + 10 h x 30, plus 25% indirect
        self.assertAmounts(
            project, direct_actual='830.00', actual_amount='1037.50')
        for record in [package, ourselves(project)]:
            self.assertAmounts(record, actual_amount='1037.50')

    @with_company
    def test_indirect_costs_and_eu_contribution(self, company):
        """Indirect costs are the flat rate times the direct costs except
        subcontracting; the contribution is the funding rate times the costs
        within each partner's maximum and the maximum grant"""
        pool = Pool()
        Expense = pool.get('concertes.eu.expense')
        Partner = pool.get('concertes.eu.partner')
        project, package = running_package(company, code='HORIZON-IA')
        us, other = ourselves(project), other_partner(project)
        employee = create_employee(company, cost_price=Decimal('50'))
        book(employee, package, dt.date(2024, 2, 1), 100)
        Expense.create([
                line_values(
                    project, package, code, partner=partner,
                    date=dt.date(2024, 3, 1), amount=Decimal(amount))
                for partner, code, amount in [
                    (us, 'C.1', 1000), (us, 'B', 2000), (other, 'A', 8000)]
                ])
        # Direct: 5000 + 1000 + 2000 + 8000; indirect: 25% of 14000
        self.assertAmounts(
            project, direct_actual='16000.00', indirect_actual='3500.00',
            actual_amount='19500.00')
        # 70% of (8000 + 1500) for us, of (8000 + 2000) for the other
        self.assertAmounts(us, eu_contribution='6650.00')
        Partner.write([other], {'maximum_contribution': Decimal('5000')})
        self.assertAmounts(other, eu_contribution='5000.00')
        self.assertAmounts(project, eu_contribution='11650.00')
        self._receive_prefinancing(project)
        self.assertAmounts(
            project, payments_received='10000.00', eu_receivable='1650.00',
            advance_to_justify='0')
        project.maximum_grant = Decimal('11000')
        project.save()
        self.assertAmounts(project, eu_contribution='11000.00')

    @with_company
    def test_consumption_alert(self, company):
        "An alert is raised when consumption runs 15 points ahead of time"
        pool = Pool()
        BudgetLine = pool.get('concertes.eu.budget.line')
        Expense = pool.get('concertes.eu.expense')
        Project = pool.get('concertes.eu.project')
        project, package = running_package(company)
        BudgetLine.create([line_values(
                    project, package, 'C.3', amount=Decimal('1000'),
                    remaining_forecast=Decimal('500'))])
        Expense.create([line_values(
                    project, package, 'C.3', date=dt.date(2024, 1, 15),
                    amount=Decimal('400'))])
        # 6 months of 24 completed: 25% elapsed; 40% + 25% indirect
        with Transaction().set_context(date=dt.date(2024, 7, 15)):
            project = Project(project.id)
            self.assertAmounts(
                project, time_elapsed='0.25', budget_amount='1250.00',
                actual_amount='500.00', consumption='0.4000',
                forecast_amount='1125.00')
            self.assertFalse(project.consumption_alert)
        with Transaction().set_context(date=dt.date(2024, 4, 15)):
            project = Project(project.id)
            self.assertEqual(project.time_elapsed, Decimal('0.125'))
            self.assertTrue(project.consumption_alert)

    @with_company
    def test_budget_version_in_force(self, company):
        "The latest budget version entered is the one in force"
        BudgetLine = Pool().get('concertes.eu.budget.line')
        project, package = running_package(company)
        values = line_values(project, package, 'B')
        submitted, granted = BudgetLine.create([
                dict(values, version='submitted', amount=Decimal(900)),
                dict(values, version='granted', amount=Decimal(800)),
                ])
        self.assertEqual(project.budget_version, 'granted')
        self.assertEqual(project.budget_amount, Decimal('800.00'))
        self.assertFalse(submitted.in_force)
        self.assertTrue(granted.in_force)

    @with_company
    def test_lump_sum_paid_when_completed(self, company):
        "A lump sum is due only for the work packages declared completed"
        Share = Pool().get('concertes.eu.lump_sum.share')
        project = create_running_project(
            company, code='ERASMUS-KA220', maximum_grant=Decimal(250000))
        wp1 = timesheet_package(project, 1)
        wp2 = timesheet_package(project, 2)
        us, other = ourselves(project), other_partner(project)
        first, last = create_periods(project, (1, 12), (13, 24))
        Share.create([
                {'project': project.id, 'work_package': package.id,
                    'partner': partner.id, 'amount': Decimal(amount)}
                for package, partner, amount in [
                    (wp1, us, 30000), (wp1, other, 20000), (wp2, us, 40000)]
                ])
        self.assertAmounts(project, eu_contribution=0)
        declare_completion(
            project, wp1, first, dt.date(2024, 11, 30),
            "Survey report D1.1 published")
        self.assertAmounts(project, eu_contribution='50000.00')
        self.assertAmounts(first, lump_sum_due='50000.00')
        self.assertAmounts(last, lump_sum_due=0)
        wp3 = timesheet_package(project, 3)
        with self.assertRaisesRegex(ValidationError, 'final period'):
            declare_completion(
                project, wp3, first, dt.date(2024, 12, 15),
                "Half of the guide", percentage=Decimal('0.5'))
        declare_completion(
            project, wp2, last, dt.date(2025, 12, 15), "Half of the guide",
            percentage=Decimal('0.5'))
        self.assertAmounts(last, lump_sum_due='20000.00')
        self.assertAmounts(project, eu_contribution='70000.00')

    @with_company
    def test_overview(self, company):
        "The overview crosses partners and work packages with categories"
        pool = Pool()
        BudgetLine = pool.get('concertes.eu.budget.line')
        OverviewPartner = pool.get('concertes.eu.budget.overview.partner')
        OverviewWP = pool.get('concertes.eu.budget.overview.work_package')
        Spending = pool.get('concertes.eu.budget.spending')
        project, package = running_package(company)
        employee = create_employee(company, cost_price=Decimal('10'))
        book(employee, package, dt.date(2024, 3, 4), 10)
        BudgetLine.create([line_values(
                    project, package, 'A', amount=Decimal('1000'))])
        rows = OverviewPartner.search([('project', '=', project.id)])
        # Ourselves with personnel and its indirect costs, under its total
        self.assertEqual(
            sorted((r.partner.ourselves, r.category and r.category.code)
                for r in rows if r.category),
            [(True, 'A'), (True, 'E')])
        for code, amounts in [
                ('A', dict(budget_amount='1000.00', actual_amount='100.00',
                        consumption='0.1000')),
                ('E', dict(budget_amount='250.00', actual_amount='25.00')),
                ]:
            row, = [r for r in rows
                if r.category and r.category.code == code]
            self.assertAmounts(row, **amounts)
        rows = OverviewWP.search([('project', '=', project.id)])
        self.assertEqual(len(rows), 3)
        months = Spending.search([('project', '=', project.id)])
        self.assertEqual(len(months), 24)
        self.assertEqual(months[2].actual, Decimal('125.00'))
        self.assertEqual(months[3].cumulative, Decimal('125.00'))
        self.assertEqual(months[5].time_elapsed, 25.0)
        self.assertEqual(months[5].consumption, 10.0)

    @with_company
    def test_overview_rows_with_figures_only(self, company):
        """The overview lists only the partners, work packages and categories
        with a budget in force or a cost, each part with its total over its
        categories"""
        pool = Pool()
        BudgetLine = pool.get('concertes.eu.budget.line')
        Expense = pool.get('concertes.eu.expense')
        OverviewPartner = pool.get('concertes.eu.budget.overview.partner')
        OverviewWP = pool.get('concertes.eu.budget.overview.work_package')
        project = create_running_project(company)
        wp1 = timesheet_package(project)
        wp2 = timesheet_package(project, 2)
        timesheet_package(project, 3)
        other = other_partner(project)
        # Only a submitted budget line, replaced by the granted budget
        BudgetLine.create([
                line_values(project, wp1, 'C.1', partner=other,
                    version='submitted', amount=Decimal('500')),
                line_values(project, wp1, 'A', amount=Decimal('1000')),
                line_values(project, wp1, 'C.2', amount=Decimal('0')),
                ])
        Expense.create([line_values(
                    project, wp2, 'B', date=dt.date(2024, 2, 1),
                    amount=Decimal('300'))])
        rows = OverviewPartner.search([('project', '=', project.id)])
        self.assertEqual(
            sorted((r.partner.number, r.category and r.category.code or '')
                for r in rows),
            [(1, ''), (1, 'A'), (1, 'B'), (1, 'E')])
        total, = [r for r in rows if not r.category]
        self.assertEqual(
            sorted(c.category.code for c in total.categories),
            ['A', 'B', 'E'])
        # 1000 + 25% indirect; 300 of subcontracting, outside the base
        self.assertAmounts(
            total, budget_amount='1250.00', actual_amount='300.00')
        self.assertEqual(total.budget_amount,
            sum(c.budget_amount for c in total.categories))
        rows = OverviewWP.search([
                ('project', '=', project.id), ('parent', '=', None)])
        self.assertEqual(
            [(r.work_package.wp_number, r.budget_amount, r.actual_amount)
                for r in rows],
            [(1, Decimal('1250.00'), Decimal('0.00')),
                (2, Decimal('0.00'), Decimal('300.00'))])

    @with_company
    def test_left_to_spend_or_overspending(self, company):
        """What is left to spend is the budget less the actual costs; beyond
        the budget it is nothing and the excess is the overspending"""
        pool = Pool()
        BudgetLine = pool.get('concertes.eu.budget.line')
        Expense = pool.get('concertes.eu.expense')
        project, package = running_package(company)
        BudgetLine.create([
                line_values(project, package, 'C.1',
                    amount=Decimal('1000')),
                line_values(project, package, 'B',
                    amount=Decimal('200')),
                ])
        Expense.create([
                line_values(project, package, code,
                    date=dt.date(2024, 2, 1), amount=Decimal(amount))
                for code, amount in [('C.1', 400), ('B', 500)]])
        line_c1, line_b = BudgetLine.search([
                ('project', '=', project.id)], order=[('amount', 'DESC')])
        us = ourselves(project)
        # C.1: 1000 + 250 indirect budgeted, 400 + 100 spent; B: 200, 500
        self.assertEqual(
            (us.left_to_spend, us.overspending),
            (Decimal('450.00'), Decimal('0')))
        self.assertEqual(
            (project.left_to_spend, project.overspending),
            (Decimal('450.00'), Decimal('0')))
        Expense.create([line_values(
                    project, package, 'C.1', date=dt.date(2024, 3, 1),
                    amount=Decimal('800'))])
        # 1200 + 300 indirect + 500 = 2000 spent for 1450 budgeted
        self.assertEqual(
            (project.left_to_spend, project.overspending),
            (Decimal('0'), Decimal('550.00')))

    @with_company
    def test_advance_to_justify(self, company):
        """Payments received beyond the EU contribution earned are an advance
        still to justify, not money to receive"""
        Expense = Pool().get('concertes.eu.expense')
        project, package = running_package(company, code='HORIZON-IA')
        self._receive_prefinancing(project)
        Expense.create([line_values(
                    project, package, 'C.1', date=dt.date(2024, 3, 1),
                    amount=Decimal('4000'))])
        # 70% of 4000 + 25% indirect
        self.assertAmounts(
            project, eu_contribution='3500.00', eu_receivable='0',
            advance_to_justify='6500.00')

    def _list_visual(self, view):
        "The visual attribute of the list view, as the client gets it"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        View = pool.get('ir.ui.view')
        view = View(ModelData.get_id('concertes_eu_projects', view))
        Model = pool.get(view.model)
        arch = Model.fields_view_get(view_id=view.id)['arch']
        return etree.fromstring(arch).get('visual')

    @with_transaction()
    def test_overview_list_marks_consumption_alert(self):
        "The budget overviews show in red the rows with a consumption alert"
        for view in [
                'budget_overview_partner_view_list',
                'budget_overview_work_package_view_list']:
            visual = self._list_visual(view)
            for alert, expected in [(True, 'danger'), (False, '')]:
                with self.subTest(view=view, alert=alert):
                    decoder = PYSONDecoder({'consumption_alert': alert})
                    self.assertEqual(decoder.decode(visual), expected)

    @with_transaction()
    def test_declaration_list_marks_unsigned(self):
        "The list of time declarations shows the unsigned ones in orange"
        visual = self._list_visual('declaration_view_list')
        for state, expected in [
                ('draft', 'warning'), ('employee_signed', 'warning'),
                ('signed', '')]:
            with self.subTest(state=state):
                decoder = PYSONDecoder({'state': state})
                self.assertEqual(decoder.decode(visual), expected)

    @with_company
    def test_personnel_costs_by_project_month(self, company):
        """Costs fall in the project month and reporting period of their day
        (month 1 starts on the start date), personnel costs at the daily rate
        of the calendar year of the day worked"""
        pool = Pool()
        BudgetLine = pool.get('concertes.eu.budget.line')
        Expense = pool.get('concertes.eu.expense')
        Rate = pool.get('concertes.eu.personnel.rate')
        Spending = pool.get('concertes.eu.budget.spending')
        project, package = running_package(
            company, start_date=dt.date(2024, 3, 15))
        employee = create_employee(company)
        # 300 a day in 2024, 400 a day in 2025
        Rate.create([
                {'employee': employee.id, 'year': 2024,
                    'annual_cost': Decimal('64500')},
                {'employee': employee.id, 'year': 2025,
                    'annual_cost': Decimal('86000')}])
        first, second = create_periods(project, (1, 12), (13, 24))
        lines = BudgetLine.create([
                line_values(
                    project, package, code, period=period.id,
                    amount=Decimal('10000'))
                for code in ['A', 'C.1'] for period in [first, second]])
        for date, days in [
                ((2024, 3, 15), 1), ((2024, 4, 14), 1),  # M1
                ((2024, 4, 15), 1),  # M2
                ((2024, 12, 31), 1), ((2025, 1, 2), 1),  # M10
                ((2025, 3, 14), 1),  # M12, the last day of P1
                ((2025, 3, 15), 2),  # M13, the first day of P2
                ]:
            book(employee, package, dt.date(*date), 7.6 * days)
        Expense.create([
                line_values(
                    project, package, 'C.1', date=dt.date(*date),
                    amount=amount)
                for date, amount in [
                    ((2025, 3, 14), Decimal('100')),
                    ((2025, 3, 15), Decimal('50'))]])

        # 4 days at 300 and 2 days at 400 in P1, 2 days at 400 in P2
        for line, actual in zip(
                lines, ['2000.00', '800.00', '100.00', '50.00'], strict=True):
            self.assertAmounts(line, actual=actual)
        # Plus 25% indirect costs
        self.assertAmounts(project, actual_amount='3687.50')
        months = {m.month: m.actual
            for m in Spending.search([('project', '=', project.id)])}
        self.assertEqual(
            {m: a for m, a in months.items() if a},
            {1: Decimal('750.00'), 2: Decimal('375.00'),
                10: Decimal('875.00'), 12: Decimal('625.00'),
                13: Decimal('1062.50')})

    @with_company
    def test_personnel_costs_by_project_month_end_of_month(self, company):
        """A project started on the 31st has months that end on the 27th to
        the 30th of shorter months: its costs follow them"""
        Spending = Pool().get('concertes.eu.budget.spending')
        project, package = running_package(
            company, start_date=dt.date(2024, 1, 31))
        employee = create_employee(company, cost_price=Decimal('10'))
        for date, hours in [
                ((2024, 1, 31), 1), ((2024, 2, 28), 2),  # M1
                ((2024, 2, 29), 3), ((2024, 3, 30), 4),  # M2
                ((2024, 3, 31), 5), ((2024, 4, 29), 6),  # M3
                ((2024, 4, 30), 7),  # M4
                ((2025, 2, 27), 8),  # M13
                ((2025, 2, 28), 9),  # M14
                ]:
            book(employee, package, dt.date(*date), hours)
        months = {m.month: m.actual
            for m in Spending.search([('project', '=', project.id)])}
        hours = {1: 3, 2: 7, 3: 11, 4: 7, 13: 8, 14: 9}
        # 10 an hour plus 25% indirect costs
        self.assertEqual(
            {m: a for m, a in months.items() if a},
            {m: (h * Decimal('12.50')).quantize(Decimal('0.01'))
                for m, h in hours.items()})


del ModuleTestCase
