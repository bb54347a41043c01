# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import SQLConstraintError, ValidationError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.concertes_members.tests import (
    DutchTranslationMixin, FrenchTranslationMixin)
from trytond.modules.concertes_members.tests.tools import (
    load_translations, odt_text, print_activity_report, print_report)
from trytond.pool import Pool
from trytond.sendmail import SMTPDataManager
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

D = dt.date


class ConcertesMandatesTestCase(
        FrenchTranslationMixin, DutchTranslationMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test concertes_mandates module"
    module = 'concertes_mandates'

    # helpers -------------------------------------------------------------
    def _party(self, name):
        Party = Pool().get('party.party')
        party, = Party.create([{'name': name}])
        return party

    def _body(self, code='CWES', kind='external', **values):
        Body = Pool().get('concertes.body')
        body, = Body.create([dict({
                        'code': code,
                        'name': "Body %s" % code,
                        'kind': kind,
                        'scope': 'external' if kind == 'external'
                        else 'internal',
                        }, **values)])
        return body

    def _meeting(self, body, date, state='held'):
        Meeting = Pool().get('concertes.meeting')
        meeting, = Meeting.create([{
                    'body': body.id,
                    'start': dt.datetime.combine(date, dt.time(14)),
                    }])
        if state == 'held':
            Meeting.hold([meeting])
        return meeting

    def _mandate(self, body, person, start, end=None, state='active',
            **values):
        Mandate = Pool().get('concertes.mandate')
        mandate, = Mandate.create([dict({
                        'body': body.id,
                        'person': person.id,
                        'start_date': start,
                        'planned_end_date': end,
                        }, **values)])
        if state == 'active':
            Mandate.appoint([mandate])
        return mandate

    def _attend(self, meeting, mandate, **values):
        "The attendance of the holder of mandate at meeting"
        Attendance = Pool().get('concertes.meeting.attendance')
        attendance, = Attendance.create([dict({
                        'meeting': meeting.id,
                        'person': mandate.person.id,
                        'mandate': mandate.id,
                        }, **values)])
        return attendance

    def _opinion(self, body, subject="DEEE", **values):
        Opinion = Pool().get('concertes.opinion')
        opinion, = Opinion.create([dict(
                    body=body.id, subject=subject, **values)])
        return opinion

    def _dossier(self, code, name=None, start=D(2024, 1, 1), **values):
        Dossier = Pool().get('concertes.dossier')
        dossier, = Dossier.create([dict(
                    code=code, name=name or code, start_date=start,
                    **values)])
        return dossier

    def _pair(self):
        "An effective and its substitute on the CWES for 2024-2027"
        body = self._body(effective_seats=1, substitute_seats=1)
        effective = self._mandate(
            body, self._party("Effective"), D(2024, 1, 1), D(2027, 12, 31))
        substitute = self._mandate(
            body, self._party("Substitute"), D(2024, 1, 1), D(2027, 12, 31),
            seat_type='substitute', effective=effective.id)
        return body, effective, substitute

    # rules ---------------------------------------------------------------
    @with_transaction()
    def test_mandate_end_before_start(self):
        "A mandate cannot end (planned or actually) before it starts"
        body = self._body()
        person = self._party("Person")
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            self._mandate(body, person, D(2024, 1, 1), D(2023, 12, 31))
        mandate = self._mandate(body, person, D(2024, 1, 1), D(2027, 1, 1))
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            mandate.end_date = D(2023, 6, 1)
            mandate.save()

    @with_transaction()
    def test_mandate_overlap(self):
        "One person cannot hold two overlapping mandates on one body"
        body = self._body()
        person = self._party("Person")
        self._mandate(body, person, D(2020, 1, 1), D(2023, 12, 31))
        # the day after is fine, and so is another body
        self._mandate(body, person, D(2024, 1, 1), D(2027, 12, 31))
        self._mandate(
            self._body('COMES'), person, D(2023, 6, 1), D(2026, 12, 31))
        # a candidacy not retained does not count
        other = self._body('GECES')
        candidacy = self._mandate(
            other, person, D(2024, 5, 1), state='candidate')
        Mandate = Pool().get('concertes.mandate')
        Mandate.reject([candidacy])
        self._mandate(other, person, D(2024, 5, 1), D(2029, 4, 30))
        with self.assertRaisesRegex(ValidationError, 'overlaps'):
            self._mandate(body, person, D(2023, 6, 1), D(2026, 12, 31))

    @with_transaction()
    def test_mandate_seats(self):
        "A body has no more effective mandates at a time than its seats"
        body = self._body(effective_seats=2)
        self._mandate(body, self._party("A"), D(2024, 1, 1), D(2025, 12, 31))
        self._mandate(body, self._party("B"), D(2024, 1, 1), D(2024, 6, 30))
        # once B has left, D takes the seat
        self._mandate(body, self._party("D"), D(2024, 7, 1), D(2025, 12, 31))
        # a candidate takes no seat until appointed
        candidate = self._mandate(
            body, self._party("E"), D(2025, 1, 1), state='candidate')
        Mandate = Pool().get('concertes.mandate')
        with self.assertRaisesRegex(ValidationError, 'than its 2 seats'):
            Mandate.appoint([candidate])
        with self.assertRaisesRegex(ValidationError, 'than its 2 seats'):
            self._mandate(
                body, self._party("C"), D(2024, 3, 1), D(2025, 12, 31))

    @with_transaction()
    def test_body_seats_taken(self):
        "The seats of a body cannot be reduced below the mandates held"
        body = self._body(effective_seats=2)
        self._mandate(body, self._party("A"), D(2024, 1, 1))
        self._mandate(body, self._party("B"), D(2024, 1, 1))
        body.effective_seats = 1
        with self.assertRaisesRegex(ValidationError, 'only 1 seats'):
            body.save()

    @with_transaction()
    def test_mandate_substitute_period(self):
        "A substitute's period lies within its effective's"
        body, effective, _ = self._pair()
        body.substitute_seats = None
        body.save()
        with self.assertRaisesRegex(ValidationError, 'within the period'):
            self._mandate(
                body, self._party("Early"), D(2023, 12, 1), D(2027, 12, 31),
                seat_type='substitute', effective=effective.id)
        with self.assertRaisesRegex(ValidationError, 'within the period'):
            self._mandate(
                body, self._party("Late"), D(2024, 1, 1), D(2028, 6, 30),
                seat_type='substitute', effective=effective.id)
        # moving the effective's end before its substitute's is refused too
        effective.planned_end_date = D(2026, 12, 31)
        with self.assertRaisesRegex(ValidationError, 'within the period'):
            effective.save()

    @with_transaction()
    def test_mandate_effective_seat(self):
        "A substitute replaces an effective mandate of the same body"
        body, effective, substitute = self._pair()
        other = self._body('COMES')
        with self.assertRaisesRegex(ValidationError, 'same body'):
            self._mandate(
                other, self._party("Other"), D(2024, 1, 1), D(2027, 12, 31),
                seat_type='substitute', effective=effective.id)

    @with_transaction()
    def test_mandate_designation_not_general_assembly(self):
        "Only a general assembly meeting designates representatives"
        body = self._body()
        board = self._body('CA', kind='board')
        assembly = self._body('AG', kind='general_assembly')
        person = self._party("Person")
        meeting = self._meeting(assembly, D(2023, 12, 14))
        mandate = self._mandate(
            body, person, D(2024, 1, 1), designation=meeting.id)
        self.assertEqual(mandate.designation_date, D(2023, 12, 14))
        mandate.designation = self._meeting(board, D(2023, 12, 1))
        with self.assertRaisesRegex(
                ValidationError, 'meeting of the general assembly'):
            mandate.save()

    @with_transaction()
    def test_mandate_renewal_start(self):
        "A renewal starts the day after the previous end"
        pool = Pool()
        Mandate = pool.get('concertes.mandate')
        body, effective, substitute = self._pair()
        renewal, = Mandate.create_renewals([effective])
        self.assertEqual(renewal.start_date, D(2028, 1, 1))
        self.assertEqual(renewal.planned_end_date, D(2031, 12, 31))
        self.assertEqual(renewal.state, 'active')
        self.assertEqual(renewal.renewed_from, effective)
        # the substitute's renewal replaces the renewed effective
        sub_renewal, = Mandate.create_renewals([substitute])
        self.assertEqual(sub_renewal.effective, renewal)
        with self.assertRaisesRegex(UserError, 'already been renewed'):
            Mandate.create_renewals([effective])
        renewal.start_date = D(2028, 2, 1)
        with self.assertRaisesRegex(ValidationError, 'day after the end'):
            renewal.save()

    @with_transaction()
    def test_mandate_renew_no_end(self):
        "A mandate without end cannot be renewed"
        Mandate = Pool().get('concertes.mandate')
        mandate = self._mandate(
            self._body(), self._party("Person"), D(2024, 1, 1))
        with self.assertRaisesRegex(UserError, 'no end date'):
            Mandate.create_renewals([mandate])

    @with_transaction()
    def test_mandate_renew_wizard(self):
        "The renewal wizard renews the selected mandates"
        pool = Pool()
        Mandate = pool.get('concertes.mandate')
        Renew = pool.get('concertes.mandate.renew', type='wizard')
        body, effective, _ = self._pair()
        session_id, _, _ = Renew.create()
        with Transaction().set_context(
                active_model='concertes.mandate', active_id=effective.id,
                active_ids=[effective.id]):
            Renew.execute(session_id, {
                    'start': {'planned_end_date': D(2029, 12, 31)},
                    }, 'renew')
        renewal, = Mandate.search([('renewed_from', '=', effective.id)])
        self.assertEqual(
            (renewal.start_date, renewal.planned_end_date),
            (D(2028, 1, 1), D(2029, 12, 31)))

    @with_transaction()
    def test_mandate_in_office(self):
        "Whether a mandate is held is computed at a date"
        Mandate = Pool().get('concertes.mandate')
        body = self._body()
        held = self._mandate(
            body, self._party("A"), D(2024, 1, 1), D(2024, 12, 31))
        self._mandate(body, self._party("B"), D(2025, 1, 1), D(2025, 12, 31))
        self._mandate(body, self._party("C"), D(2024, 1, 1),
            state='candidate')
        self.assertEqual(Mandate.active_at(D(2024, 6, 1)), [held])
        self.assertEqual(Mandate.active_at(D(2023, 6, 1)), [])
        with Transaction().set_context(date=D(2024, 6, 1)):
            self.assertTrue(Mandate(held.id).in_office)
            self.assertEqual(
                Mandate.search([('in_office', '=', False)], count=True), 2)

    @with_transaction()
    def test_mandate_end_cascades_substitutes(self):
        "Ending an effective mandate ends its substitutes the same day"
        Mandate = Pool().get('concertes.mandate')
        body, effective, substitute = self._pair()
        Mandate.end([effective], date=D(2025, 3, 31))
        effective, substitute = Mandate.browse([effective, substitute])
        self.assertEqual(effective.state, 'ended')
        self.assertEqual(effective.end_date, D(2025, 3, 31))
        self.assertEqual(substitute.state, 'ended')
        self.assertEqual(substitute.end_date, D(2025, 3, 31))

    @with_transaction()
    def test_mandate_cron_end_expired(self):
        "The daily job ends the mandates past their planned end"
        Mandate = Pool().get('concertes.mandate')
        body = self._body()
        past = self._mandate(
            body, self._party("A"), D(2020, 1, 1), D(2023, 12, 31))
        current = self._mandate(
            body, self._party("B"), D(2024, 1, 1), D(2027, 12, 31))
        Mandate.update_mandates(date=D(2024, 1, 2))
        past, current = Mandate.browse([past, current])
        self.assertEqual(past.state, 'ended')
        self.assertEqual(past.end_date, D(2023, 12, 31))
        self.assertEqual(current.state, 'active')

    @with_transaction()
    def test_mandate_cron_reminder(self):
        "The person in charge is e-mailed N days before a planned end"
        pool = Pool()
        Mandate = pool.get('concertes.mandate')
        User = pool.get('res.user')
        Configuration = pool.get('concertes.mandate.configuration')
        user, = User.create([{
                    'name': "Chargée de mandats", 'login': 'mandates',
                    'email': 'mandats@concertes.be'}])
        body = self._body(responsible=user.id, reminder_delay=30)
        mandate = self._mandate(
            body, self._party("A"), D(2024, 1, 1), D(2024, 12, 31))
        other = self._mandate(
            self._body('COMES', responsible=user.id), self._party("B"),
            D(2024, 1, 1), D(2024, 12, 31))
        config = Configuration(1)
        config.reminder_delay = 60
        config.save()

        self.assertEqual(Mandate.send_reminders(D(2024, 11, 1)), [other])
        self.assertEqual(
            Mandate.send_reminders(D(2024, 12, 1)), [mandate])
        self.assertEqual(Mandate.send_reminders(D(2024, 12, 2)), [])
        self.assertEqual(Mandate(mandate.id).reminder_date, D(2024, 12, 1))
        datamanager = Transaction().join(SMTPDataManager())
        self.assertEqual(len(datamanager.queue), 2)
        _, _, message = datamanager.queue[-1]
        self.assertEqual(message['To'], 'mandats@concertes.be')
        self.assertIn('CWES', message.get_content())
        self.assertIn('31/12/2024', message.get_content())

    @with_transaction()
    def test_attendance_mandate(self):
        "One attends under one's own mandate, in its body, while held"
        body, effective, substitute = self._pair()
        meeting = self._meeting(body, D(2024, 3, 5))
        with self.assertRaisesRegex(ValidationError, 'cannot attend'):
            self._attend(
                meeting, substitute, person=effective.person.id)
        other = self._meeting(self._body('COMES'), D(2024, 3, 5))
        with self.assertRaisesRegex(ValidationError, 'cannot attend'):
            self._attend(other, effective)
        before = self._meeting(body, D(2023, 12, 5))
        with self.assertRaisesRegex(ValidationError, 'cannot attend'):
            self._attend(before, effective)

    @with_transaction()
    def test_attendance_in_place_of(self):
        "A substitute attending sits in place of the effective"
        body, effective, substitute = self._pair()
        meeting = self._meeting(body, D(2024, 3, 5))
        absent = self._attend(meeting, effective, status='excused')
        present = self._attend(meeting, substitute)
        self.assertEqual(present.in_place_of, effective.person)
        self.assertIsNone(absent.in_place_of)

    @with_transaction()
    def test_opinion_issued_before_request(self):
        "An opinion cannot be issued before it was requested"
        body = self._body()
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            self._opinion(body, request_date=D(2024, 5, 2),
                issue_date=D(2024, 4, 30))
        opinion = self._opinion(body, request_date=D(2024, 5, 2))
        self.assertEqual(opinion.state, 'requested')
        opinion.issue_date = D(2024, 5, 30)
        opinion.save()
        self.assertEqual(opinion.state, 'issued')

    @with_transaction()
    def test_opinion_meeting_body(self):
        "An opinion is adopted at a meeting of its own body"
        body = self._body()
        other = self._meeting(self._body('COMES'), D(2024, 5, 2))
        with self.assertRaisesRegex(ValidationError, 'its own body'):
            self._opinion(body, meeting=other.id)

    @with_transaction()
    def test_dossier_end_before_start(self):
        "An advocacy file cannot end before it starts"
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            self._dossier('TVA6', "TVA à 6 %", end_date=D(2023, 1, 1))

    @with_transaction()
    def test_dossier_action_before_start(self):
        "The log of a file starts with the file"
        with self.assertRaisesRegex(ValidationError, 'cannot precede'):
            self._dossier('IDESS', actions=[('create', [{
                                'date': D(2023, 12, 1),
                                'description': "Courrier",
                                }])])

    @with_transaction()
    def test_dossier_code_unique(self):
        "Two advocacy files cannot share a code"
        self._dossier('CRC')
        with self.assertRaisesRegex(SQLConstraintError, 'must be unique'):
            self._dossier('CRC', "Autre")

    # report-back ---------------------------------------------------------
    def _year(self):
        "A year of the CWES: 4 meetings, the substitute attends one"
        body, effective, substitute = self._pair()
        meetings = [self._meeting(body, D(2024, m, 10)) for m in [2, 4, 6]]
        self._meeting(body, D(2024, 9, 10), state='cancelled')
        last = self._meeting(body, D(2024, 11, 10))
        for meeting in meetings[:2] + [last]:
            self._attend(meeting, effective)
        self._attend(meetings[2], effective, status='excused')
        self._attend(meetings[2], substitute)
        self._opinion(body, "Plan de sortie de la pauvreté (articles 60-61)",
            request_date=D(2024, 3, 1), issue_date=D(2024, 4, 10),
            meeting=meetings[1].id)
        return body, effective, substitute

    @with_transaction()
    def test_report_back_figures(self):
        "The report-back counts meetings held, attended and replaced"
        Mandate = Pool().get('concertes.mandate')
        body, effective, substitute = self._year()
        line, = Mandate.report_back(2024)
        self.assertEqual(line['body'], body)
        self.assertEqual(
            (line['held'], line['represented'], line['rate']), (4, 4, 1))
        eff, sub = line['mandates']
        self.assertEqual(eff['mandate'], effective)
        self.assertEqual(
            (eff['held'], eff['attended'], eff['rate'],
                eff['substitute_attendances']), (4, 3, 0.75, 1))
        self.assertEqual(
            (sub['held'], sub['attended'], sub['rate'],
                sub['substitute_attendances']), (4, 1, 0.25, 1))
        self.assertEqual(len(line['opinions']), 1)
        self.assertEqual(Mandate.report_back(2023), [])

    @with_transaction()
    def test_report_back_odt(self):
        "The report-back prints the year with the general assembly's date"
        self._year()
        Pool().get('concertes.mandate').reject([self._mandate(
                    self._body('GECES'), self._party("ConcertES"),
                    D(2024, 10, 1), state='candidate')])
        assembly = self._meeting(
            self._body('AG', kind='general_assembly'), D(2024, 12, 12),
            state='planned')
        ext, content, _ = print_report(
            'concertes.mandate.report_back', '', year=2024)
        self.assertEqual(ext, 'odt')
        text = odt_text(content)
        # the assembly's date, an attendance rate, a substitute's presence,
        # an opinion and the candidacies not retained, with their body
        for expected in ['12/12/2024', '75 %', 'À la place',
                'Plan de sortie de la pauvreté', 'Candidatures non retenues',
                'GECES']:
            self.assertIn(expected, text)
        self.assertEqual(assembly.body.code, 'AG')

    @with_transaction()
    def test_report_back_pdf(self):
        "The report-back's default action prints a PDF"
        self._year()
        ext, content, _ = print_report(
            'concertes.mandate.report_back', 'pdf', year=2024)
        self.assertEqual(ext, 'pdf')
        self.assertTrue(bytes(content).startswith(b'%PDF-'))

    @with_transaction()
    def test_activity_report_sections(self):
        "The activity report has the mandates and opinions sections"
        pool = Pool()
        ActivityReport = pool.get('concertes.activity.report')
        Mandate = pool.get('concertes.mandate')
        body, effective, substitute = self._year()
        geces = self._body('GECES')
        candidacy = self._mandate(
            geces, self._party("ConcertES"), D(2024, 5, 15),
            state='candidate')
        Mandate.reject([candidacy])
        figures = ActivityReport.figures(2024)
        mandates = figures['mandates']
        self.assertEqual(
            [m['seat'] for m in mandates['CWES']['mandates']],
            ['effective', 'substitute'])
        self.assertEqual(mandates['CWES']['meetings_attended'], 4)
        self.assertEqual(
            mandates['GECES']['not_retained'][0]['person'], "ConcertES")
        self.assertEqual(figures['opinions']['CWES']['count'], 1)

    @with_transaction()
    def test_activity_report_bodies_named_in_full(self):
        """The mandates and opinions sections name each body in full, also
        a body that held no meeting in the year, and so does the printed
        report"""
        pool = Pool()
        ActivityReport = pool.get('concertes.activity.report')
        self._year()
        board = self._body('SEE-EB',
            name="Executive Board de Social Economy Europe")
        self._mandate(board, self._party("ConcertES"), D(2024, 6, 20))
        figures = ActivityReport.figures(2024)
        self.assertEqual(
            {code: s['name'] for code, s in figures['mandates'].items()},
            {'CWES': "Body CWES",
                'SEE-EB': "Executive Board de Social Economy Europe"})
        self.assertEqual(figures['opinions']['CWES']['name'], "Body CWES")
        _, text = print_activity_report(2024)
        self.assertIn(
            "SEE-EB – Executive Board de Social Economy Europe", text)

    @with_transaction()
    def test_annual_report_mandates_part(self):
        """The annual report document has the mandates' part, in its place,
        and their figures on its cover"""
        pool = Pool()
        Document = pool.get(
            'concertes.activity.report.document', type='report')
        load_translations('concertes_mandates')
        self._year()
        with Transaction().set_context(language='fr'):
            doc = Document.document(2024)
        key = dict(doc['key_figures'])
        self.assertEqual(key["Mandats exercés au 31 décembre"], 2)
        self.assertEqual(key["Avis rendus"], 1)
        self.assertEqual(
            [r['attended'] for r in doc['external_bodies']
                if r['code'] == 'CWES'], [4])
        _, text = print_activity_report(2024)
        self.assertLess(
            text.index("Les instances externes"), text.index("Les mandats"))
        self.assertLess(
            text.index("Les avis rendus"),
            text.index("Les demandes reçues et traitées"))
        self.assertNotIn('concertes:', text)


del ModuleTestCase
