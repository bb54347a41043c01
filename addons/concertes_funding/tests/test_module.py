# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
import io
import zipfile
from decimal import Decimal

from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.tests import (
    DutchTranslationMixin, FrenchTranslationMixin)
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
        "Shortening the period leaves no yearly amount outside it"
        Year = Pool().get('concertes.grant.year')
        grant = self._grant()
        Year.create([{'grant': grant.id, 'year': 2027,
                    'amount': Decimal(1000)}])
        with self.assertRaises(ValidationError):
            grant.end_date = D(2026, 12, 31)
            grant.save()

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
                    "Walloon recognition – avance"),
                (D(2025, 3, 31), 'grant_report', report,
                    "Walloon recognition – rapport d'activités"),
                ])

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
        ModelData = pool.get('ir.model.data')
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
        _, content, _, _ = Document.execute([], {
                'year': 2024, 'action_id': ModelData.get_id(
                    'concertes_members', 'report_activity_report_odt')})
        with zipfile.ZipFile(io.BytesIO(bytes(content))) as odt:
            text = odt.read('content.xml').decode()
        self.assertIn("Le financement de ConcertES", text)
        self.assertIn("Walloon recognition", text)
        self.assertIn("SPW Économie — 1 janvier 2024 – 31 décembre 2027",
            text)
        self.assertNotIn('concertes:', text)


del ModuleTestCase
