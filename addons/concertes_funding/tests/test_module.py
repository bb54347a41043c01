# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.concertes_members.tests import (
    DutchTranslationMixin, FrenchTranslationMixin)
from trytond.modules.concertes_members.tests.tools import (
    load_translations, odt_text, print_activity_report, print_report, refused)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

D = dt.date


class ConcertesFundingTestCase(
        FrenchTranslationMixin, DutchTranslationMixin, ModuleTestCase):
    "Test concertes_funding module"
    module = 'concertes_funding'

    def _grant(self, start=D(2024, 1, 1), end=D(2027, 12, 31), **values):
        pool = Pool()
        Party = pool.get('party.party')
        Grant = pool.get('concertes.grant')
        funder, = Party.create([{'name': "SPW Économie"}])
        grant, = Grant.create([dict({
                        'name': "Walloon recognition",
                        'funder': funder.id,
                        'start_date': start,
                        'end_date': end,
                        }, **values)])
        return grant

    def _report(self, grant, due, start=D(2024, 1, 1), end=D(2024, 12, 31),
            kind='activity'):
        Report = Pool().get('concertes.grant.report')
        report, = Report.create([{
                    'grant': grant.id,
                    'kind': kind,
                    'period_start': start,
                    'period_end': end,
                    'due_date': due,
                    }])
        return report

    @with_transaction()
    def test_grant_period_end_before_start(self):
        "A grant's period cannot end before it starts; nothing is saved"
        Grant = Pool().get('concertes.grant')
        with self.assertRaises(ValidationError) as cm:
            self._grant(start=D(2024, 1, 1), end=D(2023, 12, 31))
        self.assertIn("2023-12-31", cm.exception.message)
        Transaction().rollback()
        self.assertEqual(Grant.search([]), [])

    @with_transaction()
    def test_report_period_end_before_start(self):
        "A report's period cannot end before it starts"
        grant = self._grant()
        with self.assertRaises(ValidationError):
            self._report(grant, D(2025, 3, 31),
                start=D(2024, 12, 31), end=D(2024, 1, 1))

    @with_transaction()
    def test_grant_year_outside_period(self):
        "An amount for a year outside the grant's period is refused"
        pool = Pool()
        Year = pool.get('concertes.grant.year')
        grant = self._grant()
        Year.create([{'grant': grant.id, 'year': 2027,
                    'amount': Decimal(1000)}])
        with self.assertRaises(ValidationError) as cm:
            Year.create([{'grant': grant.id, 'year': 2028,
                        'amount': Decimal(1000)}])
        self.assertIn("2028", cm.exception.message)
        self.assertIn("Walloon recognition", cm.exception.message)

    @with_transaction()
    def test_grant_year_outside_shortened_period(self):
        """Shortening the period leaves no yearly amount outside it; nothing
        is saved"""
        pool = Pool()
        Grant = pool.get('concertes.grant')
        Year = pool.get('concertes.grant.year')
        grant = self._grant()
        Year.create([{'grant': grant.id, 'year': 2027,
                    'amount': Decimal(1000)}])
        with refused(self, ValidationError, 'year 2027 is outside'):
            Grant.write([grant], {'end_date': D(2026, 12, 31)})
        self.assertEqual(Grant(grant.id).end_date, D(2027, 12, 31))

    @with_transaction()
    def test_instalment_outside_shortened_period(self):
        """Shortening the period leaves no instalment expected outside it;
        nothing is saved"""
        pool = Pool()
        Grant = pool.get('concertes.grant')
        Instalment = pool.get('concertes.grant.instalment')
        grant = self._grant()
        Instalment.create([{'grant': grant.id, 'amount': Decimal(500),
                    'expected_date': D(2024, 3, 1)}])
        with refused(self, ValidationError, 'expected on 2024-03-01'):
            Grant.write([grant], {'start_date': D(2024, 6, 1)})
        self.assertEqual(Grant(grant.id).start_date, D(2024, 1, 1))

    @with_transaction()
    def test_instalment_outside_period(self):
        "An instalment expected outside the grant's period is refused"
        Instalment = Pool().get('concertes.grant.instalment')
        grant = self._grant()
        Instalment.create([{'grant': grant.id, 'amount': Decimal(500),
                    'expected_date': D(2024, 3, 1)}])
        with self.assertRaises(ValidationError) as cm:
            Instalment.create([{'grant': grant.id, 'amount': Decimal(500),
                        'kind': 'balance',
                        'expected_date': D(2028, 6, 30)}])
        self.assertIn("2028-06-30", cm.exception.message)

    @with_transaction()
    def test_report_due_before_period_end(self):
        "A report cannot be due before the end of the period it covers"
        grant = self._grant()
        self._report(grant, D(2024, 12, 31))
        with self.assertRaises(ValidationError) as cm:
            self._report(grant, D(2024, 6, 30), kind='financial')
        self.assertIn("2024-06-30", cm.exception.message)

    @with_transaction()
    def test_deadlines_reports_and_instalments(self):
        """The reports to do and the instalments expected of granted grants
        are deadlines; submitted or received ones are not"""
        pool = Pool()
        Grant = pool.get('concertes.grant')
        Report = pool.get('concertes.grant.report')
        Instalment = pool.get('concertes.grant.instalment')
        Deadline = pool.get('concertes.deadline')
        grant = self._grant()
        report = self._report(grant, D(2025, 3, 31))
        submitted = self._report(grant, D(2025, 6, 30), kind='financial')
        expected, received = Instalment.create([{
                    'grant': grant.id, 'amount': Decimal(500),
                    'expected_date': D(2025, 2, 1),
                    }, {
                    'grant': grant.id, 'amount': Decimal(500),
                    'expected_date': D(2024, 2, 1),
                    'received_date': D(2024, 2, 15),
                    }])
        self.assertEqual(Deadline.search([
                    ('kind', 'in', ['grant_report', 'grant_instalment'])]),
            [])

        Grant.grant([grant])
        Report.submit([submitted])
        self.assertEqual(submitted.submitted_date, pool.get('ir.date').today())
        deadlines = Deadline.search([
                ('kind', 'in', ['grant_report', 'grant_instalment'])])
        self.assertEqual(
            [(d.date, d.kind, d.origin, d.name) for d in deadlines], [
                (D(2025, 2, 1), 'grant_instalment', expected,
                    "Walloon recognition – Advance"),
                (D(2025, 3, 31), 'grant_report', report,
                    "Walloon recognition – Activity Report"),
                ])
        load_translations('concertes_funding')
        with Transaction().set_context(language='fr'):
            self.assertEqual(
                [d.name for d in Deadline.search([
                            ('kind', 'in', ['grant_report',
                                    'grant_instalment'])])],
                ["Walloon recognition – Avance",
                    "Walloon recognition – Rapport d'activités"])

    @with_transaction()
    def test_annual_report_funding(self):
        "The funding section gives the year's grants and amounts"
        pool = Pool()
        Grant = pool.get('concertes.grant')
        Year = pool.get('concertes.grant.year')
        Instalment = pool.get('concertes.grant.instalment')
        ActivityReport = pool.get('concertes.activity.report')
        grant = self._grant(reference="AGR-2024")
        self._grant(name="Draft grant")
        Year.create([
                {'grant': grant.id, 'year': 2024, 'amount': Decimal(100),
                    'note': "indexed"},
                {'grant': grant.id, 'year': 2025, 'amount': Decimal(200)},
                ])
        Instalment.create([{'grant': grant.id, 'amount': Decimal(60),
                    'expected_date': D(2024, 3, 1),
                    'received_date': D(2024, 3, 20)}])
        Grant.grant([grant])
        funding = ActivityReport.section_funding(2024)
        self.assertEqual(funding['total_amount'], '100')
        self.assertEqual([(g['name'], g['reference'], g['amount'],
                    g['amount_note'], g['received'])
                for g in funding['grants']],
            [("Walloon recognition", "AGR-2024", '100', "indexed", '60')])
        self.assertEqual(
            ActivityReport.section_funding(2028)['grants'], [])

    @with_transaction()
    def test_annual_report_funding_part(self):
        """The printed annual report has the funding part: each grant of the
        year with its funder, period, the year's amount and what was
        received, and their totals"""
        pool = Pool()
        Grant = pool.get('concertes.grant')
        Year = pool.get('concertes.grant.year')
        Instalment = pool.get('concertes.grant.instalment')
        Document = pool.get(
            'concertes.activity.report.document', type='report')
        grant = self._grant()
        Year.create([{'grant': grant.id, 'year': 2024,
                    'amount': Decimal('150000')}])
        Instalment.create([{'grant': grant.id, 'amount': Decimal('120000'),
                    'expected_date': D(2024, 3, 31),
                    'received_date': D(2024, 4, 15)}])
        Grant.grant([grant])
        doc = Document.document(2024)
        row, = doc['funding_rows']
        self.assertEqual(
            (row['funder'], row['period'], row['amount'], row['received']),
            ("SPW Économie", "1 janvier 2024 – 31 décembre 2027",
                "150\xa0000,00 €", "120\xa0000,00 €"))
        self.assertEqual(doc['funding_totals'], {
                'amount': "150\xa0000,00 €",
                'received': "120\xa0000,00 €"})
        _, text = print_activity_report(2024)
        self.assertIn("Le financement de ConcertES", text)
        self.assertIn("Walloon recognition", text)
        self.assertIn("SPW Économie — 1 janvier 2024 – 31 décembre 2027",
            text)
        self.assertNotIn('concertes:', text)

    def _team(self):
        "A company and a person with a contract for 2024"
        pool = Pool()
        Contract = pool.get('concertes.employee.contract')
        company = create_company()
        company.hours_per_work_day = 8
        company.save()
        employee = create_employee(company, "Chargée de mission")
        contract, = Contract.create([{
                    'employee': employee.id,
                    'function': "Chargé·e de mission",
                    'start_date': D(2024, 1, 1),
                    'end_date': D(2024, 12, 31),
                    'working_time': Decimal('0.8'),
                    'yearly_cost': Decimal('50000'),
                    }])
        return company, employee, contract

    def _work(self, name, grant=None, activity='mission'):
        Work = Pool().get('timesheet.work')
        work, = Work.create([{
                    'name': name, 'activity': activity,
                    'grant': grant.id if grant else None,
                    }])
        return work

    def _book(self, employee, work, date, hours):
        Line = Pool().get('timesheet.line')
        line, = Line.create([{
                    'employee': employee.id, 'work': work.id, 'date': date,
                    'duration': dt.timedelta(hours=hours),
                    }])
        return line

    @with_transaction()
    def test_contract_overlap(self):
        """A person has one contract at a time (nothing saved: see
        scenario_team.rst)"""
        Contract = Pool().get('concertes.employee.contract')
        company, employee, contract = self._team()
        with set_company(company):
            # the next contract, from the day after the end, is accepted
            Contract.create([{
                        'employee': employee.id,
                        'function': "Directrice",
                        'start_date': D(2025, 1, 1),
                        'working_time': Decimal(1),
                        }])
            with self.assertRaises(ValidationError) as cm:
                Contract.create([{
                            'employee': employee.id,
                            'function': "Directrice",
                            'start_date': D(2024, 12, 1),
                            'end_date': D(2024, 12, 31),
                            'working_time': Decimal(1),
                            }])
            self.assertIn("overlaps", cm.exception.message)

    @with_transaction()
    def test_contract_overlap_open_ended(self):
        "An open-ended contract overlaps any later one"
        Contract = Pool().get('concertes.employee.contract')
        company, employee, contract = self._team()
        Contract.write([contract], {'end_date': None})
        with self.assertRaises(ValidationError) as cm:
            Contract.create([{
                        'employee': employee.id,
                        'function': "Directrice",
                        'start_date': D(2030, 1, 1),
                        'working_time': Decimal(1),
                        }])
        self.assertIn("overlaps", cm.exception.message)

    @with_transaction()
    def test_timesheet_after_contract_end(self):
        """No time is booked after the end of the person's contract (nothing
        saved: see scenario_team.rst)"""
        company, employee, contract = self._team()
        with set_company(company):
            work = self._work("Observatoire", activity='observatory')
            self._book(employee, work, D(2024, 12, 31), 4)
            with self.assertRaises(ValidationError) as cm:
                self._book(employee, work, D(2025, 1, 2), 4)
            self.assertIn("2024-12-31", cm.exception.message)
            self.assertIn("2025-01-02", cm.exception.message)

    @with_transaction()
    def test_timesheet_moved_after_contract_end(self):
        "No time is moved after the end of the person's contract"
        Line = Pool().get('timesheet.line')
        company, employee, contract = self._team()
        with set_company(company):
            work = self._work("Observatoire", activity='observatory')
            line = self._book(employee, work, D(2024, 12, 31), 4)
            with self.assertRaises(ValidationError):
                Line.write([line], {'date': D(2025, 2, 1)})

    @with_transaction()
    def test_timesheet_outside_contract(self):
        "No time is booked before the person's first contract"
        company, employee, contract = self._team()
        with set_company(company):
            work = self._work("Travail général", activity='general')
            with self.assertRaises(ValidationError) as cm:
                self._book(employee, work, D(2023, 12, 29), 4)
            self.assertIn("no contract", cm.exception.message)

    @with_transaction()
    def test_time_declaration_whole_month(self):
        """The month's declaration covers every activity of the person, the
        days proposed from the timesheets"""
        pool = Pool()
        Declaration = pool.get('concertes.time.declaration')
        company, employee, contract = self._team()
        supervisor = create_employee(company, "Secrétaire générale")
        grant = self._grant()
        with set_company(company):
            mission = self._work("Mission déléguée", grant)
            observatory = self._work("Observatoire", activity='observatory')
            self._book(employee, mission, D(2024, 3, 4), 8)
            self._book(employee, mission, D(2024, 3, 5), 4)
            self._book(employee, observatory, D(2024, 3, 5), 4)
            self._book(employee, observatory, D(2024, 4, 1), 8)
            declaration, = Declaration.create([{
                        'employee': employee.id,
                        'supervisor': supervisor.id,
                        'year': 2024, 'month': 3,
                        }])
            Declaration.fill([declaration])
            self.assertEqual(
                sorted((l.work.rec_name, l.days, l.funding)
                    for l in declaration.lines),
                [("Mission déléguée", Decimal('1.50'), "Walloon recognition"),
                    ("Observatoire", Decimal('0.50'), None)])
            self.assertEqual(declaration.total_days, Decimal(2))
            self.assertEqual(declaration.funded_year_days, Decimal('1.5'))

            Declaration.sign([declaration])
            Declaration.approve([declaration])
            self.assertEqual(declaration.state, 'signed')
            with self.assertRaises(AccessError):
                Declaration.write([declaration], {'month': 4})

    @with_transaction()
    def test_time_declaration_over_cap_across_grants(self):
        """The funded days of a year, across every grant of the person, stay
        within the days per year of each grant (nothing saved: see
        scenario_team.rst)"""
        pool = Pool()
        Declaration = pool.get('concertes.time.declaration')
        Line = pool.get('concertes.time.declaration.line')
        company, employee, contract = self._team()
        supervisor = create_employee(company, "Secrétaire générale")
        walloon = self._grant(days_per_year=30)
        brussels = self._grant(name="Brussels funding")
        with set_company(company):
            mission = self._work("Mission wallonne", walloon)
            brussels_work = self._work("Mission bruxelloise", brussels)
            unfunded = self._work("Travail général", activity='general')
            january, february = Declaration.create([{
                        'employee': employee.id,
                        'supervisor': supervisor.id,
                        'year': 2024, 'month': month,
                        } for month in [1, 2]])
            Line.create([
                    {'declaration': january.id, 'work': mission.id,
                        'days': Decimal(15)},
                    {'declaration': january.id, 'work': unfunded.id,
                        'days': Decimal(5)},
                    ])
            # 15 days for Wallonia and 16 for Brussels: 31 funded days
            # across the grants, more than the 30 of the Walloon grant
            with self.assertRaises(ValidationError) as cm:
                Line.create([
                        {'declaration': february.id, 'work': mission.id,
                            'days': Decimal(4)},
                        {'declaration': february.id,
                            'work': brussels_work.id, 'days': Decimal(12)},
                        ])
            self.assertIn("31", cm.exception.message)
            self.assertIn("30 days per year", cm.exception.message)
            Line.delete(Line.search([('declaration', '=', february.id)]))
            # the Brussels days alone stay within its 215 days, but
            # still count across grants for the Walloon mission
            Line.create([{'declaration': february.id,
                        'work': brussels_work.id, 'days': Decimal(16)}])
            self.assertEqual(february.funded_year_days, Decimal(31))
            with self.assertRaises(ValidationError):
                Line.create([{'declaration': february.id,
                            'work': mission.id, 'days': Decimal(1)}])
            Line.delete(Line.search([
                        ('declaration', '=', february.id),
                        ('work', '=', mission.id)]))
            # unfunded days are not capped
            Line.create([{'declaration': february.id,
                        'work': unfunded.id, 'days': Decimal(20)}])

    @with_transaction()
    def test_allocation_split_over_funders(self):
        """Each person's days on each funder and activity are costed at the
        person's cost of the year over the funder's days per year, pro rata
        of the working time; the hours outside the grant's period and the
        unfunded work are shown as not funded"""
        pool = Pool()
        Allocation = pool.get('concertes.team.allocation')
        company, employee, contract = self._team()
        grant = self._grant(
            start=D(2024, 1, 1), end=D(2024, 6, 30), days_per_year=200)
        with set_company(company):
            mission = self._work("Mission déléguée", grant)
            general = self._work("Travail général", activity='general')
            self._book(employee, mission, D(2024, 3, 4), 6)
            self._book(employee, mission, D(2024, 7, 1), 2)
            self._book(employee, general, D(2024, 3, 5), 8)
            table = Allocation.table(2024)
            person, = table['people']
            self.assertEqual(person['function'], "Chargé·e de mission")
            self.assertEqual(person['working_time'], Decimal('0.80'))
            self.assertEqual(person['cost'], Decimal('50000.00'))
            # 50000 / (200 x 0.8) = 312.50 a day for the grant,
            # 50000 / (215 x 0.8) = 290.70 a day unfunded
            self.assertEqual([
                    (l['funding'], l['activity'], l['hours'], l['days'],
                        l['share'], l['cost'])
                    for l in person['lines']], [
                    ("Walloon recognition", "Mission déléguée",
                        Decimal('6.00'), Decimal('0.75'), Decimal('37.50'),
                        Decimal('234.38')),
                    ("Not funded", "Mission déléguée",
                        Decimal('2.00'), Decimal('0.25'), Decimal('12.50'),
                        Decimal('72.67')),
                    ("Not funded", "Travail général",
                        Decimal('8.00'), Decimal('1.00'), Decimal('50.00'),
                        Decimal('290.70')),
                    ])
            self.assertEqual(
                [(f['funding'], f['hours'], f['days'], f['cost'])
                    for f in table['fundings']],
                [
                    ("Walloon recognition", Decimal('6.00'), Decimal('0.75'),
                        Decimal('234.38')),
                    ("Not funded", Decimal('10.00'), Decimal('1.25'),
                        Decimal('363.37')),
                    ])
            self.assertEqual(table['cost'], Decimal('597.75'))

            # for the grant's financial report: its hours only
            table = Allocation.table(2024, grant.id)
            person, = table['people']
            self.assertEqual(
                [(l['funding'], l['days'], l['cost'])
                    for l in person['lines']],
                [("Walloon recognition", Decimal('0.75'), Decimal('234.38'))])
            self.assertEqual(table['cost'], Decimal('234.38'))

    @with_transaction()
    def test_allocation_report_prints(self):
        "The allocation table prints as an OpenDocument"
        company, employee, contract = self._team()
        grant = self._grant()
        with set_company(company):
            self._book(employee, self._work("Mission", grant),
                D(2024, 3, 4), 6)
            oext, content, _ = print_report(
                'concertes.team.allocation.report', '', year=2024,
                grant=grant.id)
        self.assertEqual(oext, 'odt')
        self.assertTrue(content.startswith(b'PK'))

    @with_transaction()
    def test_labels_translated(self):
        """The labels the code gives (the time no one funds, the team's key
        figure, a grant without end) are messages in the user's language;
        the printed allocation and annual report, written in French, read
        « Non financé » and « Équipe (équivalents temps plein) »"""
        pool = Pool()
        Allocation = pool.get('concertes.team.allocation')
        Document = pool.get(
            'concertes.activity.report.document', type='report')
        load_translations('concertes_funding')
        company, employee, contract = self._team()
        grant = self._grant(start=D(2024, 1, 1), end=None)
        pool.get('concertes.grant').grant([grant])
        with set_company(company):
            self._book(employee, self._work("Mission", grant),
                D(2024, 3, 4), 6)
            self._book(employee, self._work("Général", activity='general'),
                D(2024, 3, 5), 8)
            self.assertEqual(
                [f['funding'] for f in Allocation.table(2024)['fundings']],
                ["Walloon recognition", "Not funded"])
            with Transaction().set_context(language='nl'):
                self.assertEqual(
                    Allocation.table(2024)['fundings'][-1]['funding'],
                    "Niet gefinancierd")
            oext, content, _ = print_report(
                'concertes.team.allocation.report', '', year=2024)
        self.assertIn("Non financé", odt_text(content))

        figures = pool.get('concertes.activity.report').figures(2024)
        self.assertIn((200, 'team_fte', "Team (full-time equivalents)",
                '0,80'), Document._key_figure_rows(figures))
        oext, xml = print_activity_report(2024)
        self.assertIn("Équipe (équivalents temps plein)", xml)
        self.assertIn("sans fin", xml)

    @with_transaction()
    def test_annual_report_team(self):
        "The team section gives the people and the full-time equivalents"
        pool = Pool()
        Contract = pool.get('concertes.employee.contract')
        ActivityReport = pool.get('concertes.activity.report')
        company, employee, contract = self._team()
        other = create_employee(company, "Directrice")
        Contract.create([{
                    'employee': other.id, 'function': "Secrétaire générale",
                    'start_date': D(2024, 7, 1), 'working_time': Decimal(1),
                    }])
        team = ActivityReport.section_team(2024)
        self.assertEqual(team['count'], 2)
        self.assertEqual(
            [(p['function'], p['fte']) for p in team['people']],
            [("Chargé·e de mission", '0.80'),
                ("Secrétaire générale", '0.50')])
        self.assertEqual(team['fte'], '1.30')
        self.assertEqual(ActivityReport.section_team(2023)['people'], [])

    @with_transaction()
    def test_annual_report_document_team(self):
        "The printed annual report has the team section"
        self._team()
        oext, xml = print_activity_report(2024)
        self.assertEqual(oext, 'odt')
        self.assertIn("L’équipe", xml)
        self.assertIn("Chargé·e de mission", xml)
        self.assertIn("0.80".replace('.', ','), xml)


del ModuleTestCase
