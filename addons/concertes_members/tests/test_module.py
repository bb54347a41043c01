# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
import email
from decimal import Decimal

import icalendar

from trytond.exceptions import UserError
from trytond.model.exceptions import SQLConstraintError, ValidationError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.concertes_members.common import context_date
from trytond.modules.concertes_members.export import csv_file, neutralise_cell
from trytond.modules.concertes_members.public import activated_only
from trytond.modules.concertes_members.web import with_security_headers
from trytond.modules.party.exceptions import EraseError
from trytond.pool import Pool
from trytond.sendmail import SMTPDataManager
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from . import DutchTranslationMixin, FrenchTranslationMixin
from .tools import mail_server


class _Mailbox:
    "An aiosmtpd handler keeping what it receives"

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return '250 OK'


class ConcertesMembersTestCase(
        FrenchTranslationMixin, DutchTranslationMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test ConcertES Members module"
    module = 'concertes_members'

    def _party(self, name='SAW-B', kind='member_federation', email=None):
        Party = Pool().get('party.party')
        values = {'name': name, 'organisation_kind': kind}
        if email:
            values['contact_mechanisms'] = [
                ('create', [{'type': 'email', 'value': email}])]
        party, = Party.create([values])
        return party

    def _member(self, party, start, end=None, state='member'):
        Membership = Pool().get('concertes.membership')
        membership, = Membership.create([{
                    'party': party.id, 'start_date': start,
                    'end_date': end, 'state': state}])
        return membership

    def _fee(self, membership, year, amount='250', **values):
        "The fee of year, due on 31 March unless told"
        Fee = Pool().get('concertes.membership.fee')
        values.setdefault('due_date', dt.date(year, 3, 31))
        fee, = Fee.create([dict(
                    membership=membership.id, year=year,
                    amount=Decimal(amount), **values)])
        return fee

    def _body(self, code='CA', kind='board', **values):
        Body = Pool().get('concertes.body')
        body, = Body.create([dict(
                    code=code, name=code, kind=kind, **values)])
        return body

    def _seat(self, body, start, organisation=None, representative=None,
            role='member', end=None):
        BodyMember = Pool().get('concertes.body.member')
        seat, = BodyMember.create([{
                    'body': body.id,
                    'organisation': organisation.id if organisation else None,
                    'representative': (
                        representative.id if representative else None),
                    'role': role, 'start_date': start, 'end_date': end}])
        return seat

    def _meeting(self, body, start, **values):
        Meeting = Pool().get('concertes.meeting')
        meeting, = Meeting.create([dict(
                    body=body.id, start=start, **values)])
        return meeting

    def _invited_meeting(self, **values):
        """A board meeting of 1 May 2024 whose seat, a federation and its
        representative, both have an e-mail address"""
        body = self._body()
        federation = self._party(email='info@saw-b.be')
        person = self._party(
            "Board Member", kind=None, email='member@example.org')
        self._seat(body, dt.date(2024, 1, 1), organisation=federation,
            representative=person)
        return self._meeting(body, dt.datetime(2024, 5, 1, 10), **values)

    # Parties ---------------------------------------------------------------

    @with_transaction()
    def test_enterprise_number_invalid(self):
        "An enterprise number that fails the modulo 97 check is refused"
        Identifier = Pool().get('party.identifier')
        party = self._party()
        with self.assertRaisesRegex(
                ValidationError, 'enterprise number "0403.019.262"'):
            Identifier.create([{
                        'party': party.id, 'type': 'be_businessid',
                        'code': '0403.019.262'}])

    @with_transaction()
    def test_enterprise_number_formatted(self):
        "The enterprise number is stored and shown as 0xxx.xxx.xxx"
        pool = Pool()
        Identifier = pool.get('party.identifier')
        Party = pool.get('party.party')
        party = self._party()
        identifier, = Identifier.create([{
                    'party': party.id, 'type': 'be_businessid',
                    'code': 'BE 403019261'}])
        self.assertEqual(identifier.code, '0403.019.261')
        self.assertEqual(identifier.code_compact, '0403019261')
        self.assertEqual(party.enterprise_number, '0403.019.261')
        self.assertEqual(
            Party.search([('enterprise_number', '=', '0403019261')]),
            [party])
        Identifier.write([identifier], {'code': '0403019261'})
        self.assertEqual(identifier.code, '0403.019.261')

    @with_transaction()
    def test_relation_type_reverse(self):
        "The reverse of a relation type points back to it"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Type = pool.get('party.relation.type')
        Relation = pool.get('party.relation.all')
        works_for = Type(ModelData.get_id(
                'concertes_members', 'relation_type_works_for'))
        employs = Type(ModelData.get_id(
                'concertes_members', 'relation_type_employs'))
        self.assertEqual(works_for.reverse, employs)
        self.assertEqual(employs.reverse, works_for)
        person = self._party("A. Person", kind=None)
        federation = self._party()
        Relation.create([{
                    'from_': person.id, 'to': federation.id,
                    'type': works_for.id,
                    'start_date': dt.date(2020, 1, 1)}])
        employees = Relation.search([
                ('from_', '=', federation.id), ('type', '=', employs.id)])
        self.assertEqual([r.to for r in employees], [person])

    @with_transaction()
    def test_party_working_groups(self):
        "A party shows the working groups where it sits at the date"
        Party = Pool().get('party.party')
        federation = self._party()
        vision = self._body('GT-VISION', 'working_group')
        board = self._body()
        self._seat(vision, dt.date(2024, 1, 15), organisation=federation,
            end=dt.date(2024, 12, 31))
        self._seat(board, dt.date(2024, 1, 15), organisation=federation)
        with Transaction().set_context(member_date=dt.date(2024, 6, 1)):
            self.assertEqual(Party(federation.id).working_groups, (vision,))
        with Transaction().set_context(member_date=dt.date(2025, 6, 1)):
            self.assertEqual(Party(federation.id).working_groups, ())
        self.assertEqual(len(federation.seats), 2)

    # Memberships -----------------------------------------------------------

    @with_transaction()
    def test_membership_members_at_date(self):
        "Members at a date are computed from the memberships"
        pool = Pool()
        Membership = pool.get('concertes.membership')
        Party = pool.get('party.party')
        party = self._party()
        membership, = Membership.create([{
                    'party': party.id,
                    'start_date': dt.date(2024, 3, 1),
                    }])
        self.assertEqual(Membership.members_at(dt.date(2024, 3, 1)), [])
        Membership.admit([membership])
        self.assertEqual(Membership.members_at(dt.date(2024, 2, 29)), [])
        self.assertEqual(
            Membership.members_at(dt.date(2024, 3, 1)), [party.id])
        membership.end_date = dt.date(2024, 12, 31)
        membership.save()
        Membership.resign([membership])
        self.assertEqual(
            Membership.members_at(dt.date(2024, 12, 31)), [party.id])
        self.assertEqual(Membership.members_at(dt.date(2025, 1, 1)), [])
        with Transaction().set_context(member_date=dt.date(2024, 6, 1)):
            party = Party(party.id)
            self.assertTrue(party.member)
            self.assertEqual(party.member_since, dt.date(2024, 3, 1))
        with Transaction().set_context(member_date=dt.date(2025, 6, 1)):
            self.assertFalse(Party(party.id).member)
            self.assertEqual(
                Party.search([('member', '=', True)]), [])

    @with_transaction()
    def test_membership_overlap(self):
        "Overlapping memberships of one party are refused"
        Membership = Pool().get('concertes.membership')
        party = self._party()
        self._member(party, dt.date(2020, 1, 1), dt.date(2023, 12, 31),
            state='resigned')
        # a new membership after the end is a return, not an overlap
        self._member(party, dt.date(2024, 1, 1))
        with self.assertRaisesRegex(ValidationError, 'overlaps'):
            Membership.create([{
                        'party': party.id,
                        'start_date': dt.date(2023, 6, 1),
                        }])

    @with_transaction()
    def test_membership_end_before_start(self):
        "A membership cannot end before it starts"
        Membership = Pool().get('concertes.membership')
        party = self._party()
        with self.assertRaisesRegex(
                ValidationError, 'cannot be before'):
            Membership.create([{
                        'party': party.id,
                        'start_date': dt.date(2024, 1, 1),
                        'end_date': dt.date(2023, 1, 1),
                        }])

    @with_transaction()
    def test_membership_admission_date(self):
        """A membership starts at the earliest on the day of the general
        assembly that admitted it, which sets its start"""
        Membership = Pool().get('concertes.membership')
        party = self._party()
        assembly = self._body('AG', 'general_assembly')
        meeting = self._meeting(assembly, dt.datetime(2024, 3, 19, 9, 30))
        membership, = Membership.create([{
                    'party': party.id, 'admission_meeting': meeting.id}])
        Membership.admit([membership])
        self.assertEqual(membership.start_date, dt.date(2024, 3, 19))
        self.assertEqual(membership.state, 'member')
        with self.assertRaisesRegex(ValidationError, 'before the general'):
            Membership.create([{
                        'party': self._party('Fedicoop').id,
                        'start_date': dt.date(2024, 3, 1),
                        'admission_meeting': meeting.id}])

    @with_transaction()
    def test_membership_fee_unique(self):
        "A membership has one fee per year"
        membership = self._member(self._party(), dt.date(2020, 1, 1))
        self._fee(membership, 2024)
        with self.assertRaisesRegex(SQLConstraintError, 'one fee per year'):
            self._fee(membership, 2024)

    @with_transaction()
    def test_membership_fee_amount(self):
        "A membership fee is not negative"
        membership = self._member(self._party(), dt.date(2020, 1, 1))
        with self.assertRaisesRegex(ValidationError, 'cannot be negative'):
            self._fee(membership, 2024, '-1')

    @with_transaction()
    def test_membership_fee_year(self):
        "A fee is for a year of the membership"
        membership = self._member(self._party(), dt.date(2022, 5, 1))
        with self.assertRaisesRegex(ValidationError, 'outside the membership'):
            self._fee(membership, 2021, '100')

    @with_transaction()
    def test_membership_fee_unpaid(self):
        "The unpaid fees are listed, late when past due"
        Fee = Pool().get('concertes.membership.fee')
        membership = self._member(self._party(), dt.date(2020, 1, 1))
        paid, late, due = [
            self._fee(membership, year, paid_date=paid_date)
            for year, paid_date in [
                (2023, dt.date(2023, 3, 2)), (2024, None), (2025, None)]]
        with Transaction().set_context(date=dt.date(2025, 1, 15)):
            fees = Fee.browse([paid, late, due])
            self.assertEqual(
                [f.state for f in fees], ['paid', 'late', 'due'])
            self.assertEqual(Fee.search([('state', '=', 'late')]), [late])
        self.assertEqual(Fee.unpaid(), [late, due])
        self.assertEqual(Fee.unpaid(dt.date(2024, 12, 31)), [late])
        self.assertEqual(membership.party.membership_fees, (due, late, paid))

    # Bodies ----------------------------------------------------------------

    @with_transaction()
    def test_body_end_before_start(self):
        "A body cannot end before it starts"
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            self._body('GT', 'working_group',
                start_date=dt.date(2024, 1, 1), end_date=dt.date(2023, 1, 1))

    @with_transaction()
    def test_search_rec_name_operators(self):
        "A positive operator on the name matches any field, a negative none"
        Body = Pool().get('concertes.body')
        board = self._body('CA', 'board')
        board.name = "Conseil d'administration"
        board.save()
        assembly = self._body('AG', 'general_assembly')
        self.assertEqual(
            Body.search([('rec_name', 'ilike', '%conseil%')]), [board])
        self.assertEqual(
            Body.search([('rec_name', 'ilike', 'AG')]), [assembly])
        # not ilike: neither the code nor the name matches
        self.assertEqual(
            Body.search([('rec_name', 'not ilike', '%conseil%')]), [assembly])
        self.assertEqual(Body.search([('rec_name', 'not ilike', 'CA')]),
            [assembly])
        self.assertEqual(
            Body.search([('rec_name', 'not in', ['CA', 'AG'])]), [])
        self.assertEqual(
            Body.search([('rec_name', '!=', 'AG')], order=[('id', 'ASC')]),
            [board])

    @with_transaction()
    def test_body_member_same_seat(self):
        "No person holds the same seat twice over one period"
        person = self._party("Jane Doe", kind=None)
        body = self._body()
        self._seat(body, dt.date(2024, 1, 1), representative=person,
            end=dt.date(2024, 5, 31))
        # the next term is fine
        self._seat(body, dt.date(2024, 6, 1), representative=person)
        with self.assertRaisesRegex(ValidationError, 'already holds'):
            self._seat(body, dt.date(2024, 5, 1), representative=person,
                end=dt.date(2024, 5, 15))

    @with_transaction()
    def test_body_member_end_before_start(self):
        "A seat cannot end before it starts"
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            self._seat(self._body(), dt.date(2024, 1, 1),
                organisation=self._party(), end=dt.date(2023, 1, 1))

    @with_transaction()
    def test_general_assembly_composition(self):
        "The general assembly is made of the members at the meeting date"
        assembly = self._body('AG', 'general_assembly')
        saw_b = self._party('SAW-B')
        step = self._party('Step Entreprendre')
        self._member(saw_b, dt.date(2010, 1, 1))
        self._member(step, dt.date(2024, 9, 1))
        self.assertEqual(
            assembly.composition_at(dt.date(2024, 6, 1)),
            [(saw_b.id, None)])
        self.assertEqual(
            sorted(assembly.composition_at(dt.date(2024, 12, 1))),
            sorted([(saw_b.id, None), (step.id, None)]))

    @with_transaction()
    def test_erase_representative_of_running_seat(self):
        """A person who sits in a body today or later is not erased; once
        the seat has ended, nothing of the bodies keeps them"""
        pool = Pool()
        Erase = pool.get('party.erase', type='wizard')
        person = self._party('Marie Dupont', kind=None)
        board = self._body()
        seat = self._seat(board, dt.date(2024, 1, 15), representative=person)
        self._seat(self._body('GT-VISION', 'working_group'),
            dt.date(2023, 1, 15), representative=person,
            end=dt.date(2023, 12, 31))
        person.active = False
        person.save()
        session_id, _, _ = Erase.create()
        erase = Erase(session_id)
        with self.assertRaisesRegex(EraseError, board.rec_name):
            erase.check_erase(person)
        seat.end_date = dt.date.today() - dt.timedelta(days=1)
        seat.save()
        erase.check_erase(person)

    # Meetings --------------------------------------------------------------

    @with_transaction()
    def test_meeting_of_ended_body(self):
        "An ended body cannot meet"
        Meeting = Pool().get('concertes.meeting')
        body = self._body('GT-X', 'working_group',
            start_date=dt.date(2020, 1, 1), end_date=dt.date(2022, 12, 31))
        with self.assertRaisesRegex(ValidationError, 'not active'):
            Meeting.create([{
                        'body': body.id,
                        'start': dt.datetime(2024, 5, 1, 10),
                        }])

    @with_transaction()
    def test_meeting_end_before_start(self):
        "A meeting cannot end before it starts"
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            self._meeting(self._body(), dt.datetime(2024, 5, 1, 10),
                end=dt.datetime(2024, 5, 1, 9))

    @with_transaction()
    def test_attendance_guest(self):
        "A person who is not in the body may attend, marked as guest"
        Attendance = Pool().get('concertes.meeting.attendance')
        body = self._body()
        federation = self._party()
        seated = self._party("Seated", kind=None)
        guest = self._party("Guest", kind=None)
        self._seat(body, dt.date(2024, 1, 1), organisation=federation,
            representative=seated)
        meeting = self._meeting(body, dt.datetime(2024, 5, 1, 10))
        present, invited = Attendance.create([{
                    'meeting': meeting.id, 'person': seated.id,
                    'organisation': federation.id}, {
                    'meeting': meeting.id, 'person': guest.id}])
        self.assertFalse(present.guest)
        self.assertTrue(invited.guest)
        self.assertEqual(
            Attendance.search([('guest', '=', True)]), [invited])
        self.assertEqual(meeting.present_count, 1)
        self.assertEqual(meeting.guest_count, 1)

    @with_transaction()
    def test_attendance_unique(self):
        "A person is listed once per meeting"
        Attendance = Pool().get('concertes.meeting.attendance')
        meeting = self._meeting(self._body(), dt.datetime(2024, 5, 1, 10))
        person = self._party("Someone", kind=None)
        values = {'meeting': meeting.id, 'person': person.id}
        Attendance.create([values])
        with self.assertRaisesRegex(SQLConstraintError, 'only once'):
            Attendance.create([values])

    @with_transaction()
    def test_attendance_represented_self(self):
        "Nobody is represented by themself"
        Attendance = Pool().get('concertes.meeting.attendance')
        meeting = self._meeting(self._body(), dt.datetime(2024, 5, 1, 10))
        person = self._party("Someone", kind=None)
        with self.assertRaisesRegex(ValidationError, 'by themself'):
            Attendance.create([{
                        'meeting': meeting.id, 'person': person.id,
                        'status': 'represented',
                        'represented_by': person.id}])

    @with_transaction()
    def test_meeting_quorum(self):
        "The quorum counts the seats present or represented"
        Attendance = Pool().get('concertes.meeting.attendance')
        body = self._body(quorum=50)
        people = [self._party("P%s" % i, kind=None) for i in range(5)]
        for person in people:
            self._seat(body, dt.date(2024, 1, 1), representative=person)
        meeting = self._meeting(body, dt.datetime(2024, 5, 1, 10))
        Meeting = Pool().get('concertes.meeting')
        Meeting.fill_attendance([meeting])
        self.assertEqual(len(meeting.attendances), 5)
        self.assertEqual(meeting.quorum_required, 3)
        self.assertFalse(meeting.quorum_reached)
        lines = sorted(meeting.attendances, key=lambda a: a.person.name)
        Attendance.write(lines[:2], {'status': 'present'})
        Attendance.write(lines[2:3], {
                'status': 'represented', 'represented_by': people[0].id})
        meeting = Meeting(meeting.id)
        self.assertEqual(meeting.present_count, 3)
        self.assertTrue(meeting.quorum_reached)

    @with_transaction()
    def test_meeting_invitation_message(self):
        "The invitation goes to the body's members with an .ics"
        meeting = self._invited_meeting(
            place="Namur", agenda="1. Budget 2025")
        msg = email.message_from_bytes(
            meeting.invitation_message().as_bytes())
        self.assertIn('member@example.org', msg['To'])
        self.assertIn('info@saw-b.be', msg['To'])
        self.assertIn('Invitation', msg['Subject'])
        ics, = [p for p in msg.walk()
            if p.get_content_type() == 'text/calendar']
        self.assertTrue(ics.get_filename().endswith('.ics'))
        calendar = icalendar.Calendar.from_ical(ics.get_payload(decode=True))
        event, = calendar.walk('VEVENT')
        self.assertEqual(
            event.decoded('dtstart'),
            dt.datetime(2024, 5, 1, 10, tzinfo=dt.timezone.utc))
        # in Brussels time, with the zone's rules for any calendar
        self.assertEqual(event['dtstart'].params['TZID'], 'Europe/Brussels')
        timezone, = calendar.walk('VTIMEZONE')
        self.assertEqual(str(timezone['tzid']), 'Europe/Brussels')
        self.assertEqual(str(event['location']), "Namur")
        self.assertEqual(len(event['attendee']), 2)

    def test_meeting_invitation_sent(self):
        "The invitation is delivered by the SMTP server at commit"
        handler = _Mailbox()
        mail_server(self, handler)
        self._send_invitation()
        envelope, = handler.envelopes
        self.assertEqual(
            sorted(envelope.rcpt_tos), ['info@saw-b.be', 'member@example.org'])
        msg = email.message_from_bytes(envelope.content)
        self.assertIn(
            'text/calendar', [p.get_content_type() for p in msg.walk()])

    @with_transaction()
    def _send_invitation(self):
        pool = Pool()
        Meeting = pool.get('concertes.meeting')
        Email = pool.get('ir.email')
        meeting = self._invited_meeting()
        Meeting.send_invitation([meeting])
        self.assertTrue(meeting.invitation_sent)
        email_, = Email.search([('resource', '=', str(meeting))])
        self.assertIn('member@example.org', email_.recipients)
        # deliver as the commit does, the test transaction being rolled back
        transaction = Transaction()
        for datamanager in transaction._datamanagers:
            if isinstance(datamanager, SMTPDataManager):
                datamanager.tpc_vote(transaction)
                datamanager.tpc_finish(transaction)

    @with_transaction()
    def test_meeting_no_invitee(self):
        "An invitation needs somebody with an e-mail address"
        Meeting = Pool().get('concertes.meeting')
        meeting = self._meeting(self._body(), dt.datetime(2024, 5, 1, 10))
        with self.assertRaisesRegex(ValidationError, 'e-mail address'):
            Meeting.send_invitation([meeting])

    @with_transaction()
    def test_meeting_found_by_date(self):
        """Meetings are found by the date as people type it, in Brussels
        time: 12/03/2024, 2024-03-12, 12 mars 2024, mars 2024, maart 2024,
        03/2024, with or without the body's code"""
        Meeting = Pool().get('concertes.meeting')
        board, assembly = self._body(), self._body('AG', 'general_assembly')
        # 00:30 in Brussels on 12 March is 23:30 UTC on the 11th
        night = self._meeting(board, dt.datetime(2024, 3, 11, 23, 30))
        march = self._meeting(assembly, dt.datetime(2024, 3, 20, 17))
        april = self._meeting(board, dt.datetime(2024, 4, 2, 9))

        def found(text):
            return set(Meeting.search(
                    [('rec_name', 'ilike', '%%%s%%' % text)]))
        for text in ['12/03/2024', '12-03-2024', '12.03.2024', '2024-03-12',
                '12 mars 2024', 'CA 12/03/2024']:
            self.assertEqual(found(text), {night}, text)
        for text in ['mars 2024', 'Maart 2024', 'march 2024', 'mars. 2024',
                '03/2024', '2024-03']:
            self.assertEqual(found(text), {night, march}, text)
        self.assertEqual(found('AG mars 2024'), {march})
        self.assertEqual(found('avril 2024'), {april})
        self.assertEqual(found('31/02/2024'), set())
        # the title and the body are still searched
        self.assertEqual(found('AG'), {march})

    @with_transaction()
    def test_meeting_monthly(self):
        "Meetings are counted per body and month"
        Monthly = Pool().get('concertes.meeting.monthly')
        board = self._body()
        for day in [5, 20]:
            self._meeting(board, dt.datetime(2024, 2, day, 10))
        self._meeting(board, dt.datetime(2024, 3, 4, 10))
        rows = Monthly.search([('body', '=', board.id)])
        self.assertEqual(
            [(r.year, r.month.index, r.meeting_count) for r in rows],
            [(2024, 3, 1), (2024, 2, 2)])

    @with_transaction()
    def test_meeting_monthly_never_mixes_years(self):
        """The same month of two years are two rows and two bars of the
        graph, each named with its year"""
        pool = Pool()
        Monthly = pool.get('concertes.meeting.monthly')
        board = self._body()
        self._meeting(board, dt.datetime(2024, 3, 4, 10))
        self._meeting(board, dt.datetime(2025, 3, 4, 10))
        self._meeting(board, dt.datetime(2025, 3, 18, 10))
        march = pool.get('ir.calendar.month').locale(
            field='abbreviation')[3]
        rows = Monthly.search([('body', '=', board.id)])
        self.assertEqual(
            [(r.period, r.meeting_count) for r in rows],
            [('%s 2025' % march, 2), ('%s 2024' % march, 1)])
        arch = Monthly.fields_view_get(view_type='graph')['arch']
        self.assertIn('name="period"', arch)

    # Requests --------------------------------------------------------------

    @with_transaction()
    def test_request_dates(self):
        "A request is not due nor answered before it is received"
        Request = Pool().get('concertes.request')
        requester = self._party()
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            Request.create([{
                        'requester': requester.id, 'subject': "Figures",
                        'kind': 'data', 'received_date': dt.date(2024, 5, 1),
                        'due_date': dt.date(2024, 4, 1)}])

    @with_transaction()
    def test_request_answer(self):
        "Answering a request sets the day it was answered"
        Request = Pool().get('concertes.request')
        request, = Request.create([{
                    'requester': self._party().id, 'subject': "Figures",
                    'kind': 'data', 'received_date': dt.date(2024, 5, 1)}])
        Request.process([request])
        Request.answer([request])
        self.assertEqual(request.state, 'answered')
        self.assertEqual(request.answered_date, dt.date.today())

    # Activity report -------------------------------------------------------

    def _world(self):
        "A small world of 2024 for the activity report"
        Membership = Pool().get('concertes.membership')
        old = self._party('Febecoop')
        newcomer = self._party('Fedicoop')
        leaver = self._party('Leaver')
        self._member(old, dt.date(2008, 1, 1))
        self._member(newcomer, dt.date(2024, 3, 19))
        self._member(leaver, dt.date(2010, 1, 1), dt.date(2024, 6, 30),
            state='resigned')
        Membership.create([{'party': self._party('Applicant').id}])
        assembly = self._body('AG', 'general_assembly')
        board = self._body('CA', 'board')
        group = self._body('GT-VISION', 'working_group',
            start_date=dt.date(2024, 1, 15))
        self._body('GT-OLD', 'working_group',
            start_date=dt.date(2019, 1, 1), end_date=dt.date(2023, 6, 30))
        self._seat(group, dt.date(2024, 1, 15), organisation=old)
        self._seat(group, dt.date(2024, 1, 15), organisation=newcomer,
            end=dt.date(2024, 4, 30))
        self._seat(group, dt.date(2024, 1, 15), organisation=leaver,
            role='observer')
        Meeting = Pool().get('concertes.meeting')
        held = [self._meeting(assembly, dt.datetime(2024, m, 10, 10))
            for m in [3, 6, 9, 12]]
        held += [self._meeting(board, dt.datetime(2024, m, 5, 10))
            for m in [1, 2]]
        self._meeting(board, dt.datetime(2024, 11, 5, 10))  # only planned
        held.append(self._meeting(board, dt.datetime(2023, 12, 5, 10)))
        Meeting.hold(held)
        return old, newcomer, leaver

    @with_transaction()
    def test_report_section_members(self):
        "The members section counts at 31 December, joined and left"
        Report = Pool().get('concertes.activity.report')
        self._world()
        self.assertEqual(Report.section_members(2024), {
                'count': 2,
                'joined': [{'party': 'Fedicoop', 'date': '2024-03-19'}],
                'left': [{
                        'party': 'Leaver', 'date': '2024-06-30',
                        'state': 'resigned'}],
                })

    @with_transaction()
    def test_report_section_bodies(self):
        "The bodies section gives the meetings held in the year"
        Report = Pool().get('concertes.activity.report')
        self._world()
        bodies = Report.section_bodies(2024)
        self.assertEqual(sorted(bodies), ['AG', 'CA', 'GT-VISION'])
        self.assertEqual(bodies['AG']['meetings'], 4)
        self.assertEqual(bodies['AG']['kind'], 'general_assembly')
        self.assertEqual(bodies['CA']['meetings'], 2)
        self.assertEqual(bodies['CA']['scope'], 'internal')
        self.assertEqual(bodies['GT-VISION']['meetings'], 0)

    @with_transaction()
    def test_report_section_committee(self):
        "A committee is reported with the bodies, not as a working group"
        pool = Pool()
        Report = pool.get('concertes.activity.report')
        Meeting = pool.get('concertes.meeting')
        self._world()
        committee = self._body('OBS-CS', 'committee')
        self.assertEqual(committee.scope, 'internal')
        Meeting.hold([self._meeting(committee, dt.datetime(2024, m, 15, 10))
                for m in [3, 10, 12]])
        committee_figures = Report.section_bodies(2024)['OBS-CS']
        self.assertEqual(committee_figures['kind'], 'committee')
        self.assertEqual(committee_figures['scope'], 'internal')
        self.assertEqual(committee_figures['meetings'], 3)
        self.assertEqual(
            [g['code'] for g in Report.section_working_groups(2024)],
            ['GT-VISION'])

    @with_transaction()
    def test_report_section_working_groups(self):
        "The working groups section lists the active groups and members"
        Report = Pool().get('concertes.activity.report')
        self._world()
        groups = Report.section_working_groups(2024)
        self.assertEqual([g['code'] for g in groups], ['GT-VISION'])
        self.assertEqual(groups[0]['members'], 1)

    @with_transaction()
    def test_report_section_requests(self):
        "The requests section counts per kind those received and handled"
        pool = Pool()
        Report = pool.get('concertes.activity.report')
        Request = pool.get('concertes.request')
        requester = self._party()
        requests = Request.create([{
                    'requester': requester.id, 'subject': "Request %s" % i,
                    'kind': kind, 'received_date': dt.date(2024, i + 1, 1),
                    } for i, kind in enumerate(
                    ['data', 'data', 'data', 'note'])])
        for request in requests[:2]:
            request.answered_date = dt.date(2024, 12, 1)
        Request.save(requests)
        Request.answer(requests[:2])
        Request.create([{
                    'requester': requester.id, 'subject': "Old",
                    'kind': 'data', 'received_date': dt.date(2023, 5, 1)}])
        figures = Report.section_requests(2024)
        self.assertEqual(figures['data'], {'received': 3, 'handled': 2})
        self.assertEqual(figures['note'], {'received': 1, 'handled': 0})
        self.assertEqual(figures['speaking'], {'received': 0, 'handled': 0})

    @with_transaction()
    def test_report_figures(self):
        "The figures hold one entry per section"
        Report = Pool().get('concertes.activity.report')
        self._world()
        figures = Report.figures(2024)
        self.assertEqual(list(figures), Report.sections())
        self.assertEqual(figures['members']['count'], 2)

    def test_csv_cells_neutralise_formulas(self):
        "A CSV cell that a spreadsheet would read as a formula is quoted"
        for value in ['=cmd|calc', '+SUM(1)', '-2+3', '@SUM(A1)',
                '\tx', '\rx', '=HYPERLINK("http://x","y")']:
            self.assertEqual(neutralise_cell(value), "'" + value)
        for value in ['Marie', 'a=b', ' =x', 12, -3, None, '']:
            self.assertEqual(neutralise_cell(value), value)
        content = csv_file([['Nom', 'Organisation'],
                ['=cmd|calc', '=HYPERLINK("http://x")']]).decode('utf-8-sig')
        self.assertEqual(content.splitlines()[1],
            '\'=cmd|calc;"\'=HYPERLINK(""http://x"")"')

    def test_security_headers_keep_route_values(self):
        "Security headers are added once; a route's own values are kept"
        headers = dict(with_security_headers([
                    ('Content-Type', 'text/html'),
                    ('x-frame-options', 'DENY'),
                    ('Content-Security-Policy', "default-src 'self'"),
                    ]))
        self.assertEqual(headers['x-frame-options'], 'DENY')
        self.assertNotIn('X-Frame-Options', headers)
        self.assertEqual(headers['Content-Security-Policy'],
            "default-src 'self'; frame-ancestors 'self'")
        self.assertEqual(headers['X-Content-Type-Options'], 'nosniff')
        headers = dict(with_security_headers([]))
        self.assertEqual(
            headers['Content-Security-Policy'], "frame-ancestors 'self'")

    @with_transaction()
    def test_route_of_activated_module_only(self):
        "A public route answers 404 on a database without its module"
        pool = Pool()

        def page(request, pool, name):
            return 'page of %s' % name
        route = activated_only('concertes.membership', page)
        self.assertEqual(route(None, pool, 'SAW-B'), 'page of SAW-B')
        self.assertEqual(route.__name__, 'page')
        route = activated_only('concertes.not_activated', page)
        self.assertEqual(route(None, pool, 'SAW-B').status_code, 404)

    @with_transaction()
    def test_context_date(self):
        "The date a context asks for is read as a day, else it is today"
        self.assertEqual(context_date(), dt.date.today())
        with Transaction().set_context(
                member_date=dt.datetime(2024, 6, 1, 23, 30)):
            self.assertEqual(context_date('member_date'), dt.date(2024, 6, 1))
            self.assertEqual(context_date(), dt.date.today())
        with Transaction().set_context(date=dt.date(2024, 6, 1)):
            self.assertEqual(context_date(), dt.date(2024, 6, 1))

    @with_transaction()
    def test_sequence_number_read_where_written(self):
        """Without SQL sequences (SQLite), the next number is the one in the
        database when it is taken, not one read before by the transaction:
        two transactions at once never get the same party code"""
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        SequenceType = pool.get('ir.sequence.type')
        transaction = Transaction()
        if transaction.database.has_sequence():
            self.skipTest("PostgreSQL numbers with its own sequences")
        type_, = SequenceType.create([{'name': "Test"}])
        sequence, = Sequence.create([{
                    'name': "Test", 'sequence_type': type_.id}])
        sequence = Sequence(sequence.id)
        self.assertEqual(sequence.number_next_internal, 1)
        # Another transaction took four numbers since this one read it
        table = Sequence.__table__()
        transaction.connection.cursor().execute(*table.update(
                [table.number_next_internal], [5],
                where=table.id == sequence.id))
        self.assertEqual(sequence.get(), '5')
        self.assertEqual(Sequence(sequence.id).get(), '6')

    @with_transaction()
    def test_cron_schedule_all(self):
        "Every scheduled job is made active with its next call"
        Cron = Pool().get('ir.cron')
        cron, = Cron.search([], limit=1)
        cron.active = False
        cron.next_call = None
        cron.save()
        Cron.schedule_all()
        with Transaction().set_context(active_test=False):
            crons = Cron.search([])
        self.assertTrue(all(c.active and c.next_call for c in crons))

    @with_transaction()
    def test_cron_failure_reported(self):
        """A scheduled job that fails for any reason is reported with its
        error, as the scheduler reports the user errors (ir.error)"""
        Cron = Pool().get('ir.cron')
        cron = Cron(method='ir.cron|no_such_job', companies=[])
        with self.assertRaises(UserError) as cm:
            cron.run_once()
        self.assertIn('ir.cron|no_such_job', cm.exception.message)
        self.assertIn('no_such_job', cm.exception.description)

    @with_transaction()
    def test_queue_failed_count(self):
        "The failed tasks are counted until one is run again"
        Queue = Pool().get('ir.queue')
        before = Queue.failed_count()
        task_id = Queue.push('default', {})
        task = Queue(task_id)
        table = Queue.__table__()
        Transaction().connection.cursor().execute(*table.update(
                [table.failed_at, table.dequeued_at, table.attempts],
                [dt.datetime.now(), dt.datetime.now(), 8],
                where=table.id == task_id))
        self.assertEqual(Queue.failed_count(), before + 1)
        Queue.run_again([Queue(task.id)])
        self.assertEqual(Queue.failed_count(), before)
        task = Queue(task_id)
        self.assertEqual(
            (task.failed_at, task.dequeued_at, task.attempts), (None, None, 0))

    @with_transaction()
    def test_failed_tasks_purged_after_clean_days(self):
        """A task kept as failed, with its error, is deleted by the daily
        clean of the queue queue.clean_days (30) after its last run; a
        recent one is kept for the administrator"""
        Queue = Pool().get('ir.queue')
        table = Queue.__table__()
        cursor = Transaction().connection.cursor()
        now = dt.datetime.now()
        old, recent = Queue.push('default', {}), Queue.push('default', {})
        for task_id, when in [
                (old, now - dt.timedelta(days=31)), (recent, now)]:
            cursor.execute(*table.update(
                    [table.failed_at, table.dequeued_at, table.attempts,
                        table.error],
                    [when, when, 8, "refused: someone@example.org"],
                    where=table.id == task_id))
        Queue.clean()
        self.assertEqual(
            [t.id for t in Queue.search([('id', 'in', [old, recent])])],
            [recent])


del ModuleTestCase
