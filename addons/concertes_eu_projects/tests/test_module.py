# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import icalendar

from trytond.model.exceptions import ValidationError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.concertes_eu_projects.months import (
    month_end, month_of, month_start)
from trytond.modules.concertes_members.tests import (
    DutchTranslationMixin, FrenchTranslationMixin)
from trytond.pool import Pool
from trytond.sendmail import SMTPDataManager
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    create_deliverable, create_milestone, create_periods, create_project,
    create_work_package, with_company)

D = dt.date


class ConcertesEuProjectsTestCase(
        FrenchTranslationMixin, DutchTranslationMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test concertes_eu_projects module"
    module = 'concertes_eu_projects'

    def _project(self, **values):
        "A project of 24 months from 1 October 2020"
        values.setdefault('start_date', dt.date(2020, 10, 1))
        return create_project(**values)

    def assertMonthEnds(self, cases):
        "Each (start, month, end) of cases has month_end(start, month) = end"
        for start, month, end in cases:
            self.assertEqual(
                month_end(dt.date(*start), month), dt.date(*end),
                (start, month))

    def assertSearches(self, Model, name, cases):
        """Each (operator, operand, expected) of cases: searching name with
        the operator and operand finds expected, in the order of creation"""
        for operator_, operand, expected in cases:
            with self.subTest(operator=operator_, operand=operand):
                self.assertEqual(Model.search(
                        [(name, operator_, operand)],
                        order=[('id', 'ASC')]), expected)

    def test_month_end(self):
        "Month n ends on start + n months - 1 day"
        self.assertMonthEnds([
                ((2020, 10, 1), 10, (2021, 7, 31)),
                ((2020, 10, 1), 1, (2020, 10, 31)),
                ((2020, 10, 1), 3, (2020, 12, 31)),
                ((2023, 9, 15), 1, (2023, 10, 14)),
                ])
        self.assertEqual(
            month_start(dt.date(2020, 10, 1), 10), dt.date(2021, 7, 1))
        self.assertIsNone(month_end(None, 3))

    def test_month_end_leap_year(self):
        "Month ends fall on 29 February in leap years only"
        self.assertMonthEnds([
                ((2024, 2, 1), 1, (2024, 2, 29)),
                ((2023, 2, 1), 1, (2023, 2, 28)),
                ((2023, 3, 1), 12, (2024, 2, 29)),
                ((2024, 3, 1), 12, (2025, 2, 28)),
                ((2020, 2, 29), 12, (2021, 2, 27)),
                ((2024, 1, 31), 1, (2024, 2, 28)),
                ])

    def test_month_of(self):
        "The month of a date is the inverse of the month end"
        for start in [dt.date(2020, 10, 1), dt.date(2024, 1, 31),
                dt.date(2023, 3, 1), dt.date(2020, 2, 29)]:
            day, month = start, 1
            while day < start + dt.timedelta(days=800):
                if day > month_end(start, month):
                    month += 1
                self.assertEqual(month_of(start, day), month, (start, day))
                day += dt.timedelta(days=1)
        self.assertEqual(
            month_of(dt.date(2020, 10, 1), dt.date(2020, 9, 30)), 0)

    @with_company
    def test_project_end_date(self, company):
        "The end date is derived from the start date and the duration"
        project = self._project(duration=10)
        self.assertEqual(project.end_date, dt.date(2021, 7, 31))
        self.assertEqual(project.month_end(3), dt.date(2020, 12, 31))

    @with_company
    def test_project_end_date_searcher(self, company):
        """The end date is searched in SQL as it is computed, also with months
        of uneven length"""
        Project = Pool().get('concertes.eu.project')
        october = self._project(acronym='OCT', duration=10)
        january = self._project(
            acronym='JAN', start_date=dt.date(2024, 1, 31), duration=1)
        self._project(acronym='NONE', start_date=None)
        self.assertEqual(january.end_date, dt.date(2024, 2, 28))
        for project in [october, january]:
            self.assertEqual(Project.search([
                        ('end_date', '=', project.end_date)]), [project])
        self.assertEqual(
            Project.search([('end_date', '<', dt.date(2021, 8, 1))]),
            [october])

    @with_company
    def test_project_state_follows_dates(self, company):
        """A retained project runs from its start date and a running project
        is closed once its end date has passed, by the scheduler"""
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        Cron = pool.get('ir.cron')
        ended = self._project(acronym='ENDED', state='running', duration=10)
        last_day = self._project(
            acronym='LASTDAY', state='running',
            start_date=dt.date(2024, 6, 1), duration=1)
        started = self._project(
            acronym='STARTED', state='retained',
            start_date=dt.date(2024, 6, 1))
        future = self._project(
            acronym='FUTURE', state='retained',
            start_date=dt.date(2024, 7, 1))
        proposal = self._project(acronym='PROPOSAL', state='submitted')
        cron, = Cron.search([
                ('method', '=', 'concertes.eu.project|follow_dates')])
        self.assertTrue(cron.active)
        Project.follow_dates(dt.date(2024, 6, 30))
        self.assertEqual(
            {p.acronym: p.state for p in [
                    ended, last_day, started, future, proposal]},
            {'ENDED': 'closed', 'LASTDAY': 'running', 'STARTED': 'running',
                'FUTURE': 'retained', 'PROPOSAL': 'submitted'})
        Project.follow_dates(dt.date(2024, 7, 1))
        self.assertEqual(
            (last_day.state, future.state), ('closed', 'running'))

    @with_transaction()
    def test_project_form_definition_light(self):
        """The project form's lists come without the search definitions of
        their many2one columns, which made the form slow to open; the lists
        opened on their own keep them"""
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        Partner = pool.get('concertes.eu.partner')
        view = Project.fields_view_get(view_type='form')
        partners = view['fields']['partners']['views']['tree']
        self.assertNotIn('relation_fields', partners['fields']['party'])
        self.assertLess(len(json.dumps(view, default=str)), 150000)
        self.assertIn(
            'relation_fields',
            Partner.fields_view_get(view_type='tree')['fields']['party'])

    @with_company
    def test_project_work_tree(self, company):
        "Work packages are children of the project's work"
        project = self._project()
        self.assertEqual(project.work.type, 'project')
        self.assertEqual(project.work.company, company)
        work_package = create_work_package(project, first=3, last=12)
        self.assertEqual(work_package.parent, project.work)
        self.assertEqual(work_package.wp_code, 'WP1')
        self.assertEqual(
            work_package.wp_start_date, dt.date(2020, 12, 1))
        self.assertEqual(
            work_package.wp_end_date, dt.date(2021, 9, 30))
        self.assertEqual(project.work.children, (work_package,))

    @with_company
    def test_work_package_outside_months(self, company):
        "A work package outside the project's months is refused"
        project = self._project(duration=24)
        for number, first, last in [(1, 1, 25), (2, 0, 12), (3, 12, 6)]:
            with self.subTest(first=first, last=last), \
                    self.assertRaisesRegex(
                        ValidationError, 'outside the project'):
                create_work_package(project, number, first=first, last=last)

    @with_company
    def test_work_package_outside_shortened_project(self, company):
        "A project cannot be shortened below its work packages' months"
        project = self._project(duration=24)
        create_work_package(project, first=1, last=24)
        project.duration = 12
        with self.assertRaisesRegex(
                ValidationError, 'outside the project'):
            project.save()

    @with_company
    def test_work_package_number_unique(self, company):
        "A work package number is used once per project"
        project = self._project()
        create_work_package(project, number=1)
        with self.assertRaisesRegex(ValidationError, 'already used'):
            create_work_package(project, number=1)

    @with_company
    def test_due_month_beyond_duration(self, company):
        "A deliverable or milestone due after the end is refused"
        project = self._project(duration=24)
        with self.assertRaisesRegex(ValidationError, 'beyond'):
            create_deliverable(project, 'D1.1', due_month=25)
        deliverable = create_deliverable(project, 'D1.2', due_month=24)
        deliverable.revised_due_month = 26
        with self.assertRaisesRegex(ValidationError, 'beyond'):
            deliverable.save()
        with self.assertRaisesRegex(ValidationError, 'beyond'):
            create_milestone(project, due_month=30)

    @with_company
    def test_deliverable_number_unique(self, company):
        "A deliverable number is used once per project"
        project = self._project()
        other = self._project(acronym='OTHER')
        create_deliverable(project, 'D2.1')
        create_deliverable(other, 'D2.1')
        with self.assertRaisesRegex(ValidationError, 'D2.1'):
            create_deliverable(project, 'D2.1')

    @with_company
    def test_score_above_maximum(self, company):
        "A score above the criterion's maximum is refused"
        pool = Pool()
        Score = pool.get('concertes.eu.project.score')
        project = self._project(state='preparation')
        criterion = project.programme.criteria[0]
        with self.assertRaisesRegex(ValidationError, 'above its maximum'):
            Score.create([{
                        'project': project.id,
                        'criterion': criterion.id,
                        'score': Decimal('5.5'),
                        }])

    @with_company
    def test_evaluation_thresholds(self, company):
        "The total and the thresholds tell whether a proposal is fundable"
        pool = Pool()
        Score = pool.get('concertes.eu.project.score')
        project = self._project(state='submitted')
        excellence, impact, implementation = project.programme.criteria
        Score.create([
                {'project': project.id, 'criterion': excellence.id,
                    'score': Decimal('4.5')},
                {'project': project.id, 'criterion': impact.id,
                    'score': Decimal('2.5')},
                {'project': project.id, 'criterion': implementation.id,
                    'score': Decimal('4')},
                ])
        self.assertEqual(project.total_score, Decimal('11'))
        self.assertEqual(project.overall_threshold, Decimal('10'))
        # Impact below its threshold of 3
        self.assertFalse(project.above_threshold)

    @with_company
    def test_running_without_start_date(self, company):
        "A project cannot run without a start date"
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        project = self._project(
            state='submitted', start_date=None, duration=24)
        Project.retain([project])
        with self.assertRaisesRegex(ValidationError, 'start date'):
            Project.run([project])
        project.start_date = dt.date(2024, 1, 1)
        project.save()
        Project.run([project])
        self.assertEqual(project.state, 'running')

    @with_company
    def test_resubmit(self, company):
        "A proposal not retained is resubmitted as a new proposal"
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        Partner = pool.get('concertes.eu.partner')
        Party = pool.get('party.party')
        project = self._project(
            state='submitted', start_date=None,
            intended_call='ERASMUS-EDU-2025-PEX-COVE')
        party, = Party.create([{'name': "Kolding Kommune"}])
        partner, = Partner.create([{
                    'project': project.id, 'party': party.id,
                    'number': 1, 'role': 'coordinator'}])
        work_package = create_work_package(project)
        work_package.wp_lead = partner
        work_package.save()
        with self.assertRaisesRegex(ValidationError, 'not retained'):
            Project.resubmit([project])
        Project.not_retain([project])
        new, = Project.resubmit([project])
        self.assertEqual(new.resubmission_of, project)
        self.assertEqual(new.state, 'preparation')
        self.assertEqual(
            new.call_identifier, 'ERASMUS-EDU-2025-PEX-COVE')
        self.assertNotEqual(new.work, project.work)
        new_partner, = new.partners
        self.assertEqual(new_partner.party, party)
        new_wp, = new.work_packages
        self.assertEqual(new_wp.parent, new.work)
        self.assertEqual(new_wp.wp_lead, new_partner)
        self.assertEqual(project.resubmissions, (new,))

    @with_company
    def test_deliverable_late(self, company):
        "Late and months late are computed from the due date"
        pool = Pool()
        Deliverable = pool.get('concertes.eu.deliverable')
        project = self._project()
        deliverable = create_deliverable(project, due_month=10)
        self.assertEqual(deliverable.due_date, dt.date(2021, 7, 31))
        with Transaction().set_context(date=dt.date(2021, 7, 31)):
            deliverable = Deliverable(deliverable.id)
            self.assertFalse(deliverable.late)
            self.assertIsNone(deliverable.months_late)
            self.assertEqual(
                Deliverable.search([('late', '=', True)]), [])
        with Transaction().set_context(date=dt.date(2021, 9, 2)):
            deliverable = Deliverable(deliverable.id)
            self.assertTrue(deliverable.late)
            self.assertEqual(deliverable.months_late, 2)
            self.assertEqual(
                Deliverable.search([('late', '=', True)]),
                [deliverable])
        deliverable.revised_due_month = 12
        deliverable.save()
        self.assertEqual(deliverable.due_date, dt.date(2021, 9, 30))
        self.assertEqual(
            Deliverable.search([
                    ('due_date', '>=', dt.date(2021, 9, 1)),
                    ('due_date', '<=', dt.date(2021, 9, 30)),
                    ]),
            [deliverable])

    @with_company
    def test_deliverable_late_without_justification(self, company):
        "A late deliverable is submitted only with a justification"
        pool = Pool()
        Deliverable = pool.get('concertes.eu.deliverable')
        project = self._project()
        deliverable = create_deliverable(project, due_month=10)
        with Transaction().set_context(date=dt.date(2021, 8, 10)):
            with self.assertRaisesRegex(
                    ValidationError, 'justification'):
                Deliverable.submit([deliverable])
            deliverable.justification = "Survey delayed"
            deliverable.save()
            Deliverable.submit([deliverable])
            Deliverable.accept([deliverable])
        self.assertEqual(deliverable.state, 'accepted')
        self.assertEqual(deliverable.submission_date, dt.date(2021, 8, 10))
        self.assertEqual(deliverable.acceptance_date, dt.date(2021, 8, 10))
        self.assertTrue(deliverable.late)
        self.assertEqual(deliverable.months_late, 1)

    @with_company
    def test_period_dates(self, company):
        "A period's report is due the programme's delay after its end"
        Period = Pool().get('concertes.eu.period')
        project = self._project(duration=36)
        period, = create_periods(project, (1, 18))
        self.assertEqual(period.start_date, dt.date(2020, 10, 1))
        self.assertEqual(period.end_date, dt.date(2022, 3, 31))
        self.assertEqual(period.report_due_date, dt.date(2022, 5, 30))
        self.assertEqual(
            Period.search([
                    ('report_due_date', '=', dt.date(2022, 5, 30))]),
            [period])

    @with_company
    def test_due_date_searcher(self, company):
        "Searching on the due date finds what the field computes, by operator"
        Deliverable = Pool().get('concertes.eu.deliverable')
        project = self._project()
        july = create_deliverable(project, 'D1.1', due_month=10)
        september = create_deliverable(project, 'D1.2', due_month=12)
        august = create_deliverable(
            project, 'D1.3', due_month=5, revised_due_month=11)
        self.assertEqual(
            [july.due_date, september.due_date, august.due_date],
            [D(2021, 7, 31), D(2021, 9, 30), D(2021, 8, 31)])
        self.assertSearches(Deliverable, 'due_date', [
                ('=', D(2021, 7, 31), [july]),
                ('!=', D(2021, 7, 31), [september, august]),
                ('<', D(2021, 8, 31), [july]),
                ('<=', D(2021, 8, 31), [july, august]),
                ('>', D(2021, 8, 31), [september]),
                ('>=', D(2021, 8, 31), [september, august]),
                ('in', [D(2021, 7, 31), D(2021, 9, 30)], [july, september]),
                ('not in', [D(2021, 7, 31)], [september, august]),
                ])

    @with_company
    def test_late_searcher(self, company):
        """Searching on late finds the deliverables and milestones past due
        and not done, with = and !="""
        pool = Pool()
        Deliverable = pool.get('concertes.eu.deliverable')
        Milestone = pool.get('concertes.eu.milestone')
        project = self._project()
        in_time = create_deliverable(project, 'D1.1', due_month=10)
        later = create_deliverable(project, 'D1.2', due_month=12)
        late = create_deliverable(project, 'D1.3', due_month=11)
        kick_off = create_milestone(project)
        with Transaction().set_context(date=D(2021, 7, 20)):
            Deliverable.submit([in_time])
        with Transaction().set_context(date=D(2021, 9, 1)):
            self.assertSearches(Deliverable, 'late', [
                    ('=', True, [late]),
                    ('!=', False, [late]),
                    ('=', False, [in_time, later]),
                    ('!=', True, [in_time, later]),
                    ])
            # the searcher finds what the field computes
            self.assertEqual(
                [d.late for d in Deliverable.browse([in_time, later, late])],
                [False, False, True])
            self.assertEqual(
                Milestone.search([('late', '=', True)]), [kick_off])
            Milestone.write([kick_off], {
                    'state': 'achieved', 'achieved_date': D(2020, 10, 20)})
            self.assertEqual(Milestone.search([('late', '=', True)]), [])

    @with_company
    def test_report_due_date_searcher(self, company):
        "Searching on a period's report due date, by operator"
        Period = Pool().get('concertes.eu.period')
        project = self._project()
        first, second = create_periods(project, (1, 12), (13, 24))
        self.assertEqual(
            [first.report_due_date, second.report_due_date],
            [D(2021, 11, 29), D(2022, 11, 29)])
        self.assertSearches(Period, 'report_due_date', [
                ('=', D(2021, 11, 29), [first]),
                ('!=', D(2021, 11, 29), [second]),
                ('>', D(2021, 11, 29), [second]),
                ('<=', D(2022, 11, 29), [first, second]),
                ('<', D(2021, 11, 29), []),
                ])

    @with_company
    def test_period_outside_months(self, company):
        "A reporting period outside the project's months is refused"
        project = self._project(duration=24)
        with self.assertRaisesRegex(
                ValidationError, 'outside the project'):
            create_periods(project, (13, 25))

    @with_company
    def test_deliverable_reminders(self, company):
        "The lead person of a deliverable due soon is e-mailed"
        pool = Pool()
        Deliverable = pool.get('concertes.eu.deliverable')
        Party = pool.get('party.party')
        Project = pool.get('concertes.eu.project')
        project = self._project(state='retained')
        Project.run([project])
        person, = Party.create([{
                    'name': "Project Officer",
                    'contact_mechanisms': [('create', [{
                                    'type': 'email',
                                    'value': 'officer@example.com',
                                    }])],
                    }])
        soon = create_deliverable(
            project, 'D1.1', due_month=10, lead_person=person.id)
        create_deliverable(
            project, 'D1.2', due_month=11, lead_person=person.id)
        messages = Deliverable.send_reminders(date=dt.date(2021, 7, 20))
        self.assertEqual(Deliverable.to_remind(dt.date(2021, 7, 20)),
            [soon])
        datamanager = Transaction().join(SMTPDataManager())
        self.assertEqual(
            [m for _, _, m in datamanager.queue], messages)
        message, = messages
        self.assertEqual(message['To'], 'officer@example.com')
        self.assertIn('D1.1', message['Subject'])

    @with_transaction()
    def test_programme_data(self):
        "Programmes carry their rates and evaluation criteria as data"
        pool = Pool()
        Programme = pool.get('concertes.eu.programme')
        ria, = Programme.search([('code', '=', 'HORIZON-RIA')])
        self.assertEqual(ria.funding_rate, Decimal('1'))
        self.assertEqual(ria.indirect_rate, Decimal('0.25'))
        self.assertEqual(ria.reporting_delay, 60)
        self.assertEqual(ria.overall_maximum, Decimal('15'))
        self.assertEqual(ria.overall_threshold, Decimal('10'))
        self.assertEqual(
            {t.code for t in ria.deliverable_types},
            {'R', 'DEM', 'DEC', 'DATA', 'DMP', 'ETHICS', 'SECURITY',
                'OTHER'})
        ia, = Programme.search([('code', '=', 'HORIZON-IA')])
        self.assertEqual(ia.funding_rate, Decimal('0.7'))

    @with_company
    def test_project_deadlines_ics(self, company):
        "The deadlines of a project are exported as an iCalendar"
        Report = Pool().get('concertes.eu.project.deadlines', type='report')
        project = self._project()
        create_deliverable(project, 'D1.1', due_month=10)
        create_milestone(project)
        create_periods(project, (1, 12))
        ext, content, _, name = Report.execute([project.id], {})
        self.assertEqual(ext, 'ics')
        self.assertEqual(name, 'TEST')
        calendar = icalendar.Calendar.from_ical(content)
        events = {
            str(e['summary']): e.decoded('dtstart')
            for e in calendar.walk('VEVENT')}
        self.assertEqual(events, {
                '[TEST] D1.1 Deliverable D1.1': dt.date(2021, 7, 31),
                '[TEST] MS1 Kick-off': dt.date(2020, 10, 31),
                '[TEST] P1 (M1-M12)': dt.date(2021, 11, 29),
                })

    @with_company
    def test_project_status_report(self, company):
        "The project status is printed with its deliverables"
        pool = Pool()
        Report = pool.get('concertes.eu.project.status', type='report')
        project = self._project()
        create_work_package(project)
        create_deliverable(project, 'D1.1', due_month=10)
        ext, content, _, name = Report.execute([project.id], {})
        self.assertEqual(ext, 'odt')
        self.assertEqual(name, 'Project Status-TEST')
        with zipfile.ZipFile(io.BytesIO(content)) as odt:
            text = odt.read('content.xml').decode()
        self.assertIn('Project Status: ', text)
        self.assertIn('Deliverable D1.1', text)
        self.assertIn('WP1', text)

    @with_company
    def test_project_status_report_pdf(self, company):
        "The project status prints as a PDF"
        pool = Pool()
        Report = pool.get('concertes.eu.project.status', type='report')
        ActionReport = pool.get('ir.action.report')
        project = self._project()
        create_work_package(project)
        create_deliverable(project, 'D1.1', due_month=10)
        pdf, = ActionReport.search([
                ('report_name', '=', 'concertes.eu.project.status'),
                ('extension', '=', 'pdf')])
        ext, content, _, _ = Report.execute(
            [project.id], {'action_id': pdf.id})
        self.assertEqual(ext, 'pdf')
        self.assertTrue(bytes(content).startswith(b'%PDF-'))

    @with_company
    def test_activity_report_eu_projects(self, company):
        "The yearly figures count running projects and proposals"
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        Report = pool.get('concertes.activity.report')
        project = self._project(
            state='retained', start_date=dt.date(2023, 10, 1),
            duration=26, acronym='CAPSE')
        Project.run([project])
        guide = create_deliverable(project, 'D3.1', due_month=14)
        guide.submission_date = dt.date(2024, 11, 29)
        guide.save()
        pool.get('concertes.eu.deliverable').submit([guide])
        create_deliverable(project, 'D4.1', due_month=26)
        proposal = self._project(
            acronym='BRIDGE', state='submitted', start_date=None,
            duration=None, evaluation_date=dt.date(2024, 6, 1))
        Project.not_retain([proposal])
        self.assertIn('eu_projects', Report.sections())
        figures = Report.figures(2024)['eu_projects']
        self.assertEqual(figures['running_count'], 1)
        capse, = figures['running']
        self.assertEqual(capse['deliverables_due'], ['D3.1'])
        self.assertEqual(capse['deliverables_delivered'], ['D3.1'])
        self.assertEqual(figures['proposals_count'], {
                'submitted': 0, 'retained': 0, 'not_retained': 1})
        self.assertEqual(
            figures['proposals']['not_retained'][0]['acronym'], 'BRIDGE')

    @with_transaction()
    def test_criterion_threshold_above_maximum(self):
        "A criterion's threshold cannot exceed its maximum"
        pool = Pool()
        Criterion = pool.get('concertes.eu.programme.criterion')
        Programme = pool.get('concertes.eu.programme')
        ria, = Programme.search([('code', '=', 'HORIZON-RIA')])
        with self.assertRaisesRegex(ValidationError, 'cannot exceed'):
            Criterion.create([{
                        'programme': ria.id, 'name': "Extra",
                        'maximum': Decimal(5), 'threshold': Decimal(6)}])

    @with_company
    def test_deadline_dates_month_end(self, company):
        """The deadlines of the dashboard fall on the due dates of the
        deliverables, milestones and periodic reports, also for projects
        starting late in a month whose months end early in short months"""
        pool = Pool()
        Deadline = pool.get('concertes.deadline')
        Milestone = pool.get('concertes.eu.milestone')
        expected = {}
        for acronym, start in [
                ('JAN31', dt.date(2024, 1, 31)),
                ('AUG30', dt.date(2023, 8, 30))]:
            project = self._project(
                acronym=acronym, start_date=start, state='running')
            dues = [create_deliverable(
                    project, 'D1.%s' % month, due_month=month)
                for month in range(1, 25)]
            dues += Milestone.create([{
                        'project': project.id, 'number': 'MS%s' % month,
                        'title': "Milestone", 'due_month': month}
                    for month in range(1, 25)])
            expected.update((str(r), r.due_date) for r in dues)
            periods = create_periods(
                project, *((month, month) for month in range(1, 25)))
            expected.update(
                (str(p), p.report_due_date) for p in periods)
        self.assertIn(dt.date(2024, 2, 28), expected.values())
        self.assertIn(dt.date(2025, 2, 27), expected.values())
        dates = {str(d.origin): d.date for d in Deadline.search([])}
        self.assertEqual(dates, expected)


del ModuleTestCase
