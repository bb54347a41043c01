# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
import io
import re
import smtplib
import threading
import time
import unittest
import zipfile

from trytond import backend, config
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.concertes_members.gdpr import erase_parties
from trytond.modules.concertes_members.tests import (
    DutchTranslationMixin, FrenchTranslationMixin)
from trytond.modules.concertes_members.tests.tools import (
    Refusing, mail_server, print_activity_report, refused)
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    CONTEXT, DB_NAME, ModuleTestCase, with_transaction)
from trytond.transaction import Transaction, TransactionError

from .tools import (
    END, START, as_users, create_event, decode_qr, events_team, register,
    registered_event, registration_values, run_queue, seats_of)


class ConcertesEventsTestCase(
        DutchTranslationMixin, FrenchTranslationMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test concertes_events module"
    module = 'concertes_events'

    @with_transaction()
    def test_event_end_before_start(self):
        "An event cannot end before it starts"
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            create_event(end=START - dt.timedelta(hours=1))

    @with_transaction()
    def test_event_registration_dates(self):
        "Registration cannot close before it opens"
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            create_event(
                registration_start=START,
                registration_end=START - dt.timedelta(days=1))

    @with_transaction()
    def test_session_end_before_start(self):
        "A session cannot end before it starts"
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            create_event(sessions=[
                    ("Atelier", START.replace(hour=11),
                        START.replace(hour=10), None)])

    @with_transaction()
    def test_session_outside_event(self):
        "A session lies within the event's dates"
        with self.assertRaisesRegex(ValidationError, 'outside the dates'):
            create_event(sessions=[
                    ("Visite", START - dt.timedelta(days=1),
                        START - dt.timedelta(days=1, hours=-2), None)])
        event = create_event(sessions=[
                ("Matin", START, START.replace(hour=12), None)])
        Event = Pool().get('concertes.event')
        with self.assertRaisesRegex(ValidationError, 'outside the dates'):
            Event.write([event], {'start': START.replace(hour=10)})

    @with_transaction()
    def test_registration_overlap(self):
        "Sessions that overlap in time cannot be picked together"
        event = create_event(sessions=[
                ("Atelier A", START, START.replace(hour=12), None),
                ("Atelier B", START.replace(hour=11),
                    START.replace(hour=13), None),
                ("Après-midi", START.replace(hour=14), END, None),
                ])
        a, b, pm = event.sessions
        registration = register(
            event, 1, sessions=[('add', [a.id, pm.id])])
        self.assertEqual(registration.state, 'confirmed')
        with self.assertRaisesRegex(ValidationError, 'overlap'):
            register(event, 2, sessions=[('add', [a.id, b.id])])

    @with_transaction()
    def test_registration_wrong_event(self):
        "Sessions and categories come from the registration's event"
        event = create_event(tickets=[("Participant", 'participant', None)])
        other = create_event(
            name="Autre", sessions=[("Matin", START, END, None)])
        with self.assertRaisesRegex(ValidationError, 'does not belong'):
            register(event, 1, sessions=[('add', [other.sessions[0].id])])

    @with_transaction()
    def test_registration_invalid_email(self):
        "A registration needs a valid e-mail address"
        event = create_event()
        for email in ['pas-un-email', 'a@b', 'a b@example.org', '@x.be']:
            with self.assertRaisesRegex(ValidationError, 'is not valid'):
                register(event, 1, email=email)

    @with_transaction()
    def test_registration_duplicate(self):
        "A second active registration of one e-mail for an event is refused"
        Registration = Pool().get('concertes.event.registration')
        event, (first,) = registered_event(1)
        Registration.cancel([first])
        again = register(event, 3, email='personne1@example.org')
        self.assertEqual(again.state, 'confirmed')
        with self.assertRaisesRegex(ValidationError, 'already registered'):
            register(event, 2, email='  Personne1@Example.org ')

    @with_transaction()
    def test_registration_duplicate_draft_again(self):
        "A cancelled registration cannot be active again beside another"
        Registration = Pool().get('concertes.event.registration')
        event, (first,) = registered_event(1)
        Registration.cancel([first])
        again = register(event, 2, email=first.email)
        self.assertEqual(again.state, 'confirmed')
        with self.assertRaisesRegex(ValidationError, 'already registered'):
            Registration.draft([first])
        self.assertEqual(Registration(first.id).state, 'cancelled')

    @with_transaction()
    def test_capacity_event(self):
        "The event's capacity is never exceeded: the next ones wait"
        event, registrations = registered_event(4, capacity=2)
        self.assertEqual(
            [r.state for r in registrations],
            ['confirmed', 'confirmed', 'waiting', 'waiting'])
        self.assertEqual(event.seats_left, 0)

    @with_transaction()
    def test_capacity_session_and_ticket(self):
        "Each session and each category has its own capacity"
        event = create_event(
            sessions=[
                ("Matin", START, START.replace(hour=12), 1),
                ("Après-midi", START.replace(hour=13), END, None)],
            tickets=[
                ("Participant", 'participant', None),
                ("Presse", 'press', 1)])
        morning, afternoon = event.sessions
        participant, press = event.tickets
        self.assertEqual(register(
                event, 1, ticket=participant.id,
                sessions=[('add', [morning.id])]).state, 'confirmed')
        self.assertEqual(register(
                event, 2, ticket=participant.id,
                sessions=[('add', [morning.id])]).state, 'waiting')
        self.assertEqual(register(
                event, 3, ticket=participant.id,
                sessions=[('add', [afternoon.id])]).state, 'confirmed')
        self.assertEqual(register(
                event, 4, ticket=press.id).state, 'confirmed')
        self.assertEqual(register(
                event, 5, ticket=press.id).state, 'waiting')
        Session = Pool().get('concertes.event.session')
        Ticket = Pool().get('concertes.event.ticket')
        self.assertEqual(
            [(s.seats_taken, s.seats_left)
                for s in Session.browse([morning, afternoon])],
            [(1, 0), (1, None)])
        self.assertEqual(
            [t.seats_left for t in Ticket.browse([participant, press])],
            [None, 0])

    @with_transaction()
    def test_capacity_below_confirmed(self):
        "A capacity cannot go below the seats already taken"
        pool = Pool()
        Event = pool.get('concertes.event')
        Session = pool.get('concertes.event.session')
        Ticket = pool.get('concertes.event.ticket')
        event = create_event(
            capacity=5,
            sessions=[("Matin", START, END, 5)],
            tickets=[("Participant", 'participant', 5)])
        session, = event.sessions
        ticket, = event.tickets
        for i in range(3):
            register(event, i, ticket=ticket.id,
                sessions=[('add', [session.id])])
        for Model, record in [
                (Event, event), (Session, session), (Ticket, ticket)]:
            with self.assertRaisesRegex(
                    ValidationError, 'cannot be below the 3 seats'):
                Model.write([record], {'capacity': 2})
            Model.write([record], {'capacity': 3})

    @with_transaction()
    def test_event_full(self):
        "Without a waiting list, a full event refuses registrations"
        event, _ = registered_event(1, capacity=1, waiting_list=False)
        with self.assertRaisesRegex(UserError, 'full and has no waiting'):
            register(event, 2)

    @with_transaction()
    def test_event_not_registrable(self):
        "Nobody registers for a cancelled event"
        Event = Pool().get('concertes.event')
        event = create_event()
        Event.cancel([event])
        with self.assertRaisesRegex(UserError, 'done or cancelled'):
            register(event, 1)

    @with_transaction()
    def test_cancel_promotes(self):
        "A cancellation promotes the first registration waiting"
        Registration = Pool().get('concertes.event.registration')
        _, (first, second, third) = registered_event(3, capacity=1)
        self.assertEqual(
            [second.state, third.state], ['waiting', 'waiting'])
        Registration.cancel([first])
        self.assertEqual(
            [r.state for r in Registration.browse([first, second, third])],
            ['cancelled', 'confirmed', 'waiting'])

    @with_transaction()
    def test_promote_no_seat_left(self):
        "Staff promote by hand only when a seat is free"
        pool = Pool()
        Event = pool.get('concertes.event')
        Registration = pool.get('concertes.event.registration')
        event, (_, waiting) = registered_event(2, capacity=1)
        with self.assertRaisesRegex(UserError, 'no seat left'):
            Registration.promote([waiting])
        Event.write([event], {'capacity': 2})
        Registration.promote([waiting])
        self.assertEqual(waiting.state, 'confirmed')

    @with_transaction()
    def test_confirm_no_seat_left(self):
        "Confirming by hand needs a free seat"
        Registration = Pool().get('concertes.event.registration')
        event, _ = registered_event(1, capacity=1)
        draft, = Registration.create([registration_values(event, 2)])
        with self.assertRaisesRegex(UserError, 'no seat left'):
            Registration.confirm([draft])

    @with_transaction()
    def test_checkin_unknown_code(self):
        "Check-in of an unknown code is refused"
        Registration = Pool().get('concertes.event.registration')
        with self.assertRaisesRegex(UserError, 'No registration has the'):
            Registration.check_in_code('inconnu')
        with self.assertRaisesRegex(UserError, 'No registration has the'):
            Registration.check_in_code('')

    @with_transaction()
    def test_checkin_cancelled(self):
        "Check-in of a cancelled or waiting registration is refused"
        Registration = Pool().get('concertes.event.registration')
        event = create_event(capacity=1)
        first = register(event, 1)
        Registration.cancel([first])
        with self.assertRaisesRegex(UserError, 'cannot check in'):
            Registration.check_in_code(first.checkin_code)
        register(event, 2)
        waiting = register(event, 3)
        with self.assertRaisesRegex(UserError, 'cannot check in'):
            Registration.check_in_code(waiting.checkin_code)

    @with_transaction()
    def test_checkin_code(self):
        "People check in by the code of their registration, once"
        Registration = Pool().get('concertes.event.registration')
        event, (registration,) = registered_event(1)
        found = Registration.check_in_code(
            ' %s ' % registration.checkin_code, event)
        self.assertEqual(found, registration)
        self.assertEqual(registration.state, 'attended')
        self.assertTrue(registration.checkin_time)
        with self.assertRaisesRegex(UserError, 'already checked in'):
            Registration.check_in_code(registration.checkin_code)

    @with_transaction()
    def test_checkin_code_differs_from_token(self):
        "The check-in code is short, typable, unique and not the token"
        from ..registration import CHECKIN_ALPHABET
        Registration = Pool().get('concertes.event.registration')
        _, (first, second) = registered_event(2)
        self.assertEqual(len(first.checkin_code), 10)
        self.assertTrue(set(first.checkin_code) <= set(CHECKIN_ALPHABET))
        self.assertFalse(set('0O1IL') & set(CHECKIN_ALPHABET))
        self.assertNotEqual(first.checkin_code, first.token)
        self.assertNotIn(first.checkin_code, first.token)
        self.assertNotEqual(first.checkin_code, second.checkin_code)
        copy, = Registration.copy([first], {'email': 'copie@example.org'})
        self.assertTrue(copy.checkin_code)
        self.assertNotEqual(copy.checkin_code, first.checkin_code)
        field = Registration.fields_get(['checkin_code'])['checkin_code']
        self.assertTrue(field['readonly'])
        with self.assertRaises(UserError):
            Registration.write([second], {'checkin_code': first.checkin_code})

    @with_transaction()
    def test_check_in_by_checkin_code(self):
        "Staff check in by the code, typed in any case, with spaces or dashes"
        Registration = Pool().get('concertes.event.registration')
        event, (registration,) = registered_event(1)
        code = registration.checkin_code
        typed = '%s-%s' % (code[:5].lower(), code[5:])
        self.assertEqual(
            Registration.check_in_code(' %s ' % typed, event), registration)
        self.assertEqual(registration.state, 'attended')
        other = create_event()
        stranger = register(other, 2)
        with self.assertRaisesRegex(UserError, 'No registration has the'):
            Registration.check_in_code(stranger.checkin_code, event)
        self.assertEqual(stranger.state, 'confirmed')

    @with_transaction()
    def test_token_does_not_check_in(self):
        "The secret token, which cancels, is refused at check-in"
        Registration = Pool().get('concertes.event.registration')
        event, (registration,) = registered_event(1)
        for code in [registration.token, registration.token.upper()]:
            with self.assertRaisesRegex(UserError, 'No registration has the'):
                Registration.check_in_code(code, event)
            with self.assertRaisesRegex(UserError, 'No registration has the'):
                Registration.check_in_code(code)
        self.assertEqual(registration.state, 'confirmed')

    @with_transaction()
    def test_checkin_code_migration(self):
        "Registrations made before the check-in code get one on update"
        Registration = Pool().get('concertes.event.registration')
        _, (first, second) = registered_event(2)
        table = Registration.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.checkin_code], [None],
                where=table.id.in_([first.id, second.id])))
        Registration.__register__('concertes_events')
        cursor.execute(*table.select(
                table.id, table.checkin_code,
                where=table.id.in_([first.id, second.id]),
                order_by=[table.id.asc]))
        (_, first_code), (_, second_code) = cursor.fetchall()
        self.assertEqual(len(first_code), 10)
        self.assertNotEqual(first_code, second_code)
        self.assertEqual(Registration.check_in_code(first_code), first)

    @with_transaction()
    def test_event_done_no_show(self):
        "Closing the event marks the confirmed people who did not come"
        pool = Pool()
        Event = pool.get('concertes.event')
        Registration = pool.get('concertes.event.registration')
        event, (came, absent) = registered_event(2)
        Registration.check_in([came])
        Event.do([event])
        self.assertEqual(
            [r.state for r in Registration.browse([came, absent])],
            ['attended', 'no_show'])
        with self.assertRaisesRegex(UserError, 'after the event'):
            Registration.cancel([absent])

    @with_transaction()
    def test_registration_token_unique(self):
        "Every registration gets its own secret token"
        Registration = Pool().get('concertes.event.registration')
        _, (first, second) = registered_event(2)
        self.assertGreaterEqual(len(first.token), 32)
        self.assertNotEqual(first.token, second.token)
        copy, = Registration.copy([first], {'email': 'copie@example.org'})
        self.assertNotEqual(copy.token, first.token)
        self.assertEqual(copy.state, 'draft')

    @with_transaction()
    def test_registration_link_parties(self):
        "People are found by e-mail, organisations by number or name"
        pool = Pool()
        Party = pool.get('party.party')
        event = create_event()
        other_event = create_event(name="Autre")
        saw_b, = Party.create([{
                    'name': "SAW-B",
                    'identifiers': [('create', [{
                                    'code': '0426054818'}])],
                    'contact_mechanisms': [('create', [{
                                    'type': 'email',
                                    'value': 'info@saw-b.be'}])],
                    }])
        first = register(event, 1, email='Info@SAW-B.be',
            organisation_name="SAW-B asbl",
            organisation_number='0426.054.818')
        self.assertEqual(first.party, saw_b)
        self.assertEqual(first.organisation, saw_b)
        second = register(event, 2, organisation_name="Terre ASBL")
        third = register(other_event, 2, organisation_name="terre asbl")
        self.assertNotEqual(second.party, saw_b)
        self.assertEqual(second.party, third.party)
        self.assertEqual(second.organisation, third.organisation)
        self.assertEqual(second.organisation.name, "Terre ASBL")
        self.assertEqual(
            Party.search([('name', '=', "Terre ASBL")], count=True), 1)

    @with_transaction()
    def test_registration_emails(self):
        "Registrants are told by e-mail, with the calendar when confirmed"
        pool = Pool()
        Email = pool.get('ir.email')
        Attachment = pool.get('ir.attachment')
        Registration = pool.get('concertes.event.registration')
        event = create_event(capacity=1, sessions=[
                ("Matin", START, START.replace(hour=12), None)])
        first = register(event, 1, sessions=[('add', [event.sessions[0].id])])
        second = register(event, 2)
        Registration.cancel([first])
        run_queue()

        def subjects(registration):
            return [e.subject for e in Email.search([
                        ('resource', '=', str(registration)),
                        ], order=[('id', 'ASC')])]
        self.assertEqual(subjects(first), [
                "Your registration for InspirES is confirmed",
                "Your registration for InspirES is cancelled"])
        self.assertEqual(subjects(second), [
                "You are on the waiting list for InspirES",
                "A place is free for you at InspirES"])
        email = Email.search([('resource', '=', str(first))],
            order=[('id', 'ASC')], limit=1)[0]
        self.assertIn(first.checkin_code, email.body)
        self.assertNotIn(first.token, email.body)
        self.assertIn('personne1@example.org', email.recipients)
        self.assertFalse(Attachment.search([('resource', '=', str(email))]))

    @with_transaction()
    def test_follow_up_skips_erased_registrations(self):
        "A follow-up still queued when the person is erased sends nothing"
        pool = Pool()
        Email = pool.get('ir.email')
        Registration = pool.get('concertes.event.registration')
        event = create_event(capacity=1)
        registration, = Registration.create([registration_values(event, 1)])
        Registration.register([registration])
        Registration.anonymise([registration])
        run_queue()
        self.assertEqual(
            Email.search([('resource', '=', str(registration))]), [])
        self.assertIsNone(Registration(registration.id).party)

    @with_transaction()
    def test_erasure_leaves_no_one_in_failed_tasks(self):
        """A follow-up kept as failed names the person in its error (the
        address the mail server refused): erasing the person takes them out
        of it; the task stays, to be run again for the others"""
        pool = Pool()
        Queue = pool.get('ir.queue')
        Registration = pool.get('concertes.event.registration')
        mail_server(self, Refusing())
        self.addCleanup(config.set, 'queue', 'retries',
            config.get('queue', 'retries', default='8'))
        config.set('queue', 'retries', '1')
        event = create_event()
        registrations = Registration.create([
                registration_values(event, 1, email='gone1@example.org'),
                registration_values(event, 2)])
        Registration.register(registrations)
        task_id, = Transaction().tasks
        Transaction().tasks.clear()
        # the run of the task, but for the rollback of its failure
        Registration.follow_up(registrations, 'confirmation')
        with self.assertRaises(smtplib.SMTPRecipientsRefused) as failure:
            Queue._send_emails()
        Queue(task_id)._failed(failure.exception)
        task = Queue(task_id)
        self.assertTrue(task.failed_at)
        self.assertIn('gone1@example.org', task.error)

        gone = Registration(registrations[0].id)
        # what names the person: the party's and the registrations' names
        # and addresses
        self.assertLessEqual({gone.name, 'gone1@example.org'},
            set(gone.party._personal_data_terms()))
        erase_parties([gone.party])
        task = Queue(task_id)
        self.assertTrue(task.failed_at)
        self.assertNotIn('gone1', task.error.lower())
        self.assertIn('****', task.error)
        self.assertIn('SMTPRecipientsRefused', task.error)
        # run again, the follow-up writes to no one erased
        # (test_follow_up_skips_erased_registrations)
        self.assertEqual(
            list(task.data['instances']), [r.id for r in registrations])

    @with_transaction()
    def test_registration_ics(self):
        """The calendar attachment has one entry per session picked, and the
        time zone's rules"""
        import icalendar

        from ..notification import registration_ics
        event = create_event(sessions=[
                ("Matin", START, START.replace(hour=12), None),
                ("Après-midi", START.replace(hour=13), END, None)])
        registration = register(
            event, 1, sessions=[('add', [s.id for s in event.sessions])])
        calendar = icalendar.Calendar.from_ical(
            registration_ics(registration))
        entries = calendar.walk('VEVENT')
        self.assertEqual(
            [str(e['summary']) for e in entries],
            ["InspirES: Matin", "InspirES: Après-midi"])
        self.assertEqual(
            entries[0].decoded('dtstart').astimezone(dt.timezone.utc)
            .replace(tzinfo=None), START)
        # calendars without Brussels' rules get them in the file
        timezone, = calendar.walk('VTIMEZONE')
        self.assertEqual(str(timezone['tzid']), 'Europe/Brussels')

    @with_transaction()
    def test_sessions_listed_by_time(self):
        """The sessions of an event and of a registration are listed by
        their start, not by their name"""
        event = create_event(sessions=[
                ("Zéro déchet : visite", START.replace(hour=9), START.replace(
                        hour=10), None),
                ("Atelier B", START.replace(hour=14), END, None),
                ("Accueil", START.replace(hour=11), START.replace(hour=12),
                    None)])
        expected = ["Zéro déchet : visite", "Accueil", "Atelier B"]
        self.assertEqual([s.name for s in event.sessions], expected)
        registration = register(
            event, 1, sessions=[('add', [s.id for s in event.sessions])])
        Registration = Pool().get('concertes.event.registration')
        self.assertEqual(
            [s.name for s in Registration(registration.id).sessions],
            expected)

    @with_transaction()
    def test_send_reminders(self):
        "The reminder goes once to the confirmed people, N days before"
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        _, (confirmed, _) = registered_event(2, capacity=1, reminder_days=2)
        self.assertEqual(Registration.send_reminders(
                START - dt.timedelta(days=3)), [])
        self.assertEqual(Registration.send_reminders(
                START - dt.timedelta(days=1)), [confirmed])
        self.assertTrue(confirmed.reminder_sent)
        self.assertEqual(Registration.send_reminders(
                START - dt.timedelta(hours=1)), [])

    @with_transaction()
    def test_checkin_wizard(self):
        "Staff type or scan the code and see the result at once"
        pool = Pool()
        CheckIn = pool.get('concertes.event.check_in', type='wizard')
        now = dt.datetime.now().replace(microsecond=0)
        event = create_event(
            start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=1))
        registration = register(
            event, 1, organisation_name="Terre ASBL")
        session_id, _, _ = CheckIn.create()
        CheckIn.execute(session_id, {}, 'start')

        def check(code):
            "What the desk shows after checking the code in"
            result = CheckIn.execute(session_id, {
                    'start': {'event': event.id, 'code': code},
                    }, 'check')
            return result['view']['defaults']
        values = check(registration.checkin_code)
        self.assertEqual(values['result'], 'accepted')
        self.assertIn("Terre ASBL", values['message'])
        self.assertEqual(values['checked_in'], 1)
        self.assertEqual(registration.state, 'attended')
        values = check(registration.checkin_code)
        self.assertEqual(values['result'], 'refused')
        self.assertIn('already checked in', values['message'])
        self.assertIn('No registration has the code', check('FAUX')['message'])
        CheckIn.delete(session_id)

    @with_transaction()
    def test_checkin_door_gives_the_reason(self):
        """At the door the events team reads why a code is refused (checked
        in already, cancelled), not the refusal of the button, and the
        refusal changes nothing"""
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        now = dt.datetime.now().replace(microsecond=0)
        event = create_event(
            start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=1))
        present, cancelled = register(event, 1), register(event, 2)
        Registration.cancel([cancelled])
        with Transaction().set_user(events_team().id):
            self.assertEqual(
                Registration.check_in_door(event.id, present.checkin_code),
                ('accepted', present))
            status, message = Registration.check_in_door(
                event.id, present.checkin_code)
            self.assertEqual(status, 'refused')
            self.assertIn('already checked in', message)
            status, message = Registration.check_in_door(
                event.id, cancelled.checkin_code)
            self.assertEqual(status, 'refused')
            self.assertIn('the registration is Cancelled', message)
            self.assertEqual(
                Registration.check_in_door(
                    event.id + 1000, present.checkin_code),
                ('missing', None))
        self.assertEqual(cancelled.state, 'cancelled')
        self.assertEqual(event.count_checked_in(), 1)

    @with_transaction()
    def test_checkin_on_event_days_only(self):
        """At the door, a code is checked in on the event's days only (in
        Brussels), with a message giving the days"""
        pool = Pool()
        CheckIn = pool.get('concertes.event.check_in', type='wizard')
        event = create_event()
        registration = register(event, 1)
        with self.assertRaisesRegex(UserError, '11/13/2024 to 11/13/2024'):
            event.check_in_code(registration.checkin_code)
        self.assertEqual(registration.state, 'confirmed')
        with self.assertRaisesRegex(UserError, "event's days only"):
            event.check_in_code(
                registration.checkin_code, date=dt.date(2024, 11, 12))
        self.assertEqual(
            event.check_in_code(
                registration.checkin_code, date=dt.date(2024, 11, 13)),
            registration)
        session_id, _, _ = CheckIn.create()
        result = CheckIn.execute(session_id, {
                'start': {'event': event.id, 'code': 'XXXX'},
                }, 'check')
        self.assertEqual(result['view']['defaults']['result'], 'refused')
        self.assertIn("event's days only",
            result['view']['defaults']['message'])

    @with_transaction()
    def test_times_in_brussels(self):
        """Times shown to users are in Brussels and the language's format:
        the check-in message and the attendee export"""
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        Attendees = pool.get('concertes.event.attendees', type='report')
        from ..notification import format_local_datetime
        self.assertEqual(
            format_local_datetime(dt.datetime(2024, 11, 13, 8, 5)),
            '11/13/2024\u00a009:05')
        self.assertEqual(
            format_local_datetime(dt.datetime(2024, 7, 1, 8, 5)),
            '07/01/2024\u00a010:05')
        with Transaction().set_context(language='fr'):
            self.assertEqual(
                format_local_datetime(dt.datetime(2024, 11, 13, 8, 5)),
                '13.11.2024\u00a009:05')
        event = create_event()
        registration = register(event, 1)
        Registration.check_in([registration])
        registration.checkin_time = dt.datetime(2024, 11, 13, 8, 5, 12)
        registration.save()
        with self.assertRaisesRegex(UserError, 'at 11/13/2024\u00a009:05'):
            Registration.check_in([registration])
        oext, content, _, _ = Attendees.execute([event.id], {})
        self.assertIn('11/13/2024\u00a009:05', content.decode('utf-8-sig'))
        self.assertNotIn('2024-11-13 08:05', content.decode('utf-8-sig'))

    @with_transaction()
    def test_statistics(self):
        "Statistics count registered, waiting, attended and no-shows"
        pool = Pool()
        Event = pool.get('concertes.event')
        Party = pool.get('party.party')
        Registration = pool.get('concertes.event.registration')
        Statistic = pool.get('concertes.event.statistic')
        SessionStatistic = pool.get('concertes.event.statistic.session')
        TicketStatistic = pool.get('concertes.event.statistic.ticket')
        KindStatistic = pool.get(
            'concertes.event.statistic.organisation_kind')
        Party.create([{
                    'name': "SAW-B",
                    'organisation_kind': 'member_federation',
                    }])
        event = create_event(
            capacity=3, sessions=[("Matin", START, END, None)],
            tickets=[("Participant", 'participant', None)])
        session, = event.sessions
        ticket, = event.tickets
        people = [register(event, i, ticket=ticket.id,
                organisation_name="SAW-B" if i < 2 else None,
                sessions=[('add', [session.id])]) for i in range(5)]
        Registration.cancel([people[0]])
        Registration.check_in([people[1], people[2]])
        Event.do([event])
        statistic, = Statistic.search([('event', '=', event.id)])
        self.assertEqual(
            (statistic.registered, statistic.confirmed, statistic.waiting,
                statistic.cancelled, statistic.attended, statistic.no_show),
            (5, 3, 1, 1, 2, 1))
        self.assertAlmostEqual(statistic.no_show_rate, 1 / 3)
        by_session, = SessionStatistic.search([('session', '=', session.id)])
        self.assertEqual(by_session.attended, 2)
        by_ticket, = TicketStatistic.search([('ticket', '=', ticket.id)])
        self.assertEqual(by_ticket.no_show, 1)
        kinds = {s.organisation_kind: s.attended for s in
            KindStatistic.search([('event', '=', event.id)])}
        self.assertEqual(kinds, {'member_federation': 1, None: 1})

    @with_transaction()
    def test_attendee_export(self):
        "Attendees export as CSV and caterers get diet counts per session"
        pool = Pool()
        Attendees = pool.get('concertes.event.attendees', type='report')
        Catering = pool.get('concertes.event.catering', type='report')
        event = create_event(sessions=[
                ("Matin", START, START.replace(hour=12), None),
                ("Lunch", START.replace(hour=12), START.replace(hour=13),
                    None)])
        morning, lunch = event.sessions
        register(event, 1, diet='vegetarian',
            sessions=[('add', [morning.id, lunch.id])])
        register(event, 2, diet='vegan', diet_note="Sans noix",
            sessions=[('add', [lunch.id])])
        register(event, 3, sessions=[('add', [lunch.id])])
        oext, content, _, _ = Attendees.execute([event.id], {})
        self.assertEqual(oext, 'csv')
        lines = content.decode('utf-8-sig').splitlines()
        self.assertEqual(len(lines), 4)
        self.assertIn('personne2@example.org', content.decode())
        oext, content, _, _ = Catering.execute([event.id], {})
        rows = [line.split(';') for line in
            content.decode('utf-8-sig').splitlines()]
        header, morning_row, lunch_row = rows
        vegetarian = header.index('Vegetarian')
        self.assertEqual(
            (lunch_row[0], lunch_row[2], lunch_row[vegetarian],
                lunch_row[header.index('Vegan')]),
            ("Lunch", '3', '1', '1'))
        self.assertIn("Sans noix", lunch_row[-1])
        self.assertEqual(morning_row[2], '1')

    @with_transaction()
    def test_attendee_export_neutralises_formulas(self):
        "A registrant named like a formula is not a formula in the CSV"
        pool = Pool()
        Attendees = pool.get('concertes.event.attendees', type='report')
        event = create_event()
        register(event, 1, first_name='=cmd|calc', last_name='+SUM(1)',
            organisation_name='=HYPERLINK("http://evil.example")')
        _, content, _, _ = Attendees.execute([event.id], {})
        row = content.decode('utf-8-sig').splitlines()[1]
        self.assertIn(';\'+SUM(1);\'=cmd|calc;', row)
        self.assertIn('"\'=HYPERLINK(', row)
        for cell in row.split(';'):
            self.assertFalse(cell.lstrip('"').startswith(('=', '+', '@')))

    @with_transaction()
    def test_badges(self):
        """Badges print as a PDF, one A6 page per person or four per A4 sheet,
        with name, organisation, category and a standard QR code"""
        pool = Pool()
        Badge = pool.get(
            'concertes.event.registration.badge', type='report')
        Sheet = pool.get(
            'concertes.event.registration.badge_sheet', type='report')
        ActionReport = pool.get('ir.action.report')
        event = create_event(tickets=[("Orateur", 'speaker', None)])
        registrations = [register(event, i, ticket=event.tickets[0].id,
                organisation_name="W.ALTER") for i in range(5)]
        ids = [r.id for r in registrations]

        def pages(content):
            self.assertTrue(bytes(content).startswith(b'%PDF-'))
            return len(re.findall(rb'/Type\s*/Page\b', bytes(content)))
        oext, content, _, _ = Badge.execute(ids, {})
        self.assertEqual(oext, 'pdf')
        self.assertEqual(pages(content), 5)
        oext, content, _, _ = Sheet.execute(ids, {})
        self.assertEqual(oext, 'pdf')
        self.assertEqual(pages(content), 2)

        action, = ActionReport.search([
                ('report_name', '=', 'concertes.event.registration.badge')])
        odt = Badge.render(action, Badge.get_context(
                registrations[:1], {}, {}))
        with zipfile.ZipFile(io.BytesIO(odt)) as document:
            text = document.read('content.xml').decode()
            picture, = re.findall(r'<draw:image xlink:href="([^"]+)"', text)
            png = document.read(picture)
        self.assertIn('W.ALTER', text)
        self.assertIn('Orateur', text)
        self.assertIn(registrations[0].checkin_code, text)
        self.assertNotIn(registrations[0].token, text)
        self.assertEqual(
            decode_qr(png), ('QRCode', registrations[0].checkin_code))

    @with_transaction()
    def test_badges_only_for_seated(self):
        """Only the registrations holding a seat get a badge: not a draft, not
        the waiting list; a selection with none of them is refused with a
        message, never an empty document"""
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        Badge = pool.get(
            'concertes.event.registration.badge', type='report')
        Sheet = pool.get(
            'concertes.event.registration.badge_sheet', type='report')
        event = create_event(capacity=1)
        seated = register(event, 1)
        waiting = register(event, 2)
        draft, = Registration.create([registration_values(event, 3)])
        self.assertEqual(
            [r.state for r in [seated, waiting, draft]],
            ['confirmed', 'waiting', 'draft'])

        everyone = [seated, waiting, draft]
        for report in [Badge, Sheet]:
            context = report.get_context(everyone, {}, {})
            self.assertEqual(context['badges'], [seated])
        _, content, _, _ = Badge.execute([r.id for r in everyone], {})
        self.assertEqual(
            len(re.findall(rb'/Type\s*/Page\b', bytes(content))), 1)
        for report in [Badge, Sheet]:
            with self.assertRaisesRegex(UserError, 'holds a seat'):
                report.execute([waiting.id, draft.id], {})

    def test_qr_code_standard(self):
        """The check-in codes are standard QR codes, never Micro QR codes that
        phone cameras and desk scanners cannot read"""
        from ..qr import qr_code, qr_png
        self.assertEqual(decode_qr(qr_png('K7M2X9')), ('QRCode', 'K7M2X9'))
        self.assertFalse(qr_code('K7M2X9').is_micro)

    @with_transaction()
    def test_registration_filters(self):
        "Staff filter registrations by state, session, category and kind"
        pool = Pool()
        Party = pool.get('party.party')
        Registration = pool.get('concertes.event.registration')
        Party.create([{'name': "W.ALTER", 'organisation_kind': 'partner'}])
        event = create_event(
            capacity=2,
            sessions=[("Visite", START, START.replace(hour=12), None)],
            tickets=[("Presse", 'press', None)])
        visit, = event.sessions
        press, = event.tickets
        first = register(event, 1, organisation_name="W.ALTER",
            sessions=[('add', [visit.id])])
        second = register(event, 2, ticket=press.id)
        third = register(event, 3)
        for domain, expected in [
                ([('state', '=', 'waiting')], [third]),
                ([('sessions', '=', visit.id)], [first]),
                ([('ticket', '=', press.id)], [second]),
                ([('organisation_kind', '=', 'partner')], [first]),
                ([('rec_name', 'ilike', '%W.ALTER%')], [first]),
                ]:
            self.assertEqual(
                Registration.search(domain, order=[('id', 'ASC')]),
                expected, domain)

    @with_transaction()
    def test_intervention_dates(self):
        "An intervention cannot end before it starts"
        Intervention = Pool().get('concertes.event.intervention')
        with self.assertRaisesRegex(ValidationError, 'cannot be before'):
            Intervention.create([{
                        'event_name': "Assises de Solidaris",
                        'date': dt.date(2024, 5, 2),
                        'end_date': dt.date(2024, 5, 1),
                        'topic': "Table ronde",
                        }])

    @with_transaction()
    def test_activity_report_events(self):
        "The yearly figures list the events and the interventions"
        pool = Pool()
        Report = pool.get('concertes.activity.report')
        Intervention = pool.get('concertes.event.intervention')
        Registration = pool.get('concertes.event.registration')
        _, (came, _) = registered_event(2)
        create_event(name="Autre année",
            start=START.replace(year=2023), end=END.replace(year=2023))
        Registration.check_in([came])
        Intervention.create([{
                    'event_name': "Lancement du guide de l'OCDE",
                    'date': dt.date(2024, 4, 15),
                    'kind': 'presentation',
                    'topic': "Projets VISES, Denis et ValorisES",
                    }])
        self.assertIn('events', Report.sections())
        figures = Report.figures(2024)['events']
        self.assertEqual(figures['count'], 1)
        self.assertEqual(figures['events'], [{
                    'name': "InspirES", 'kind': 'networking',
                    'start': '2024-11-13', 'end': '2024-11-13',
                    'venue': None, 'city': None,
                    'registered': 2, 'attended': 1}])
        self.assertEqual(
            [i['date'] for i in figures['interventions']], ['2024-04-15'])

    @with_transaction()
    def test_activity_report_event_place(self):
        """Each event of the year is told with its place: the venue's name
        and city in the figures, both in the printed report; an event
        without a venue says so"""
        pool = Pool()
        Party = pool.get('party.party')
        Report = pool.get('concertes.activity.report')
        Document = pool.get(
            'concertes.activity.report.document', type='report')
        palace, = Party.create([{
                    'name': "Palais des Congrès de Liège",
                    'addresses': [('create', [{
                                    'street': "Esplanade de l'Europe 2",
                                    'postal_code': '4020', 'city': "Liège",
                                    }])],
                    }])
        create_event(name="L'Économie sociale au cœur des transitions",
            venue=palace.addresses[0].id,
            start=START.replace(month=2), end=END.replace(month=2))
        create_event(name="Table ronde baSE")
        figures = Report.figures(2024)['events']
        self.assertEqual(
            [(e['name'], e['venue'], e['city']) for e in figures['events']],
            [
                ("L'Économie sociale au cœur des transitions",
                    "Palais des Congrès de Liège", "Liège"),
                ("Table ronde baSE", None, None),
                ])
        doc = Document.document(2024)
        self.assertEqual([r['place'] for r in doc['event_rows']], [
                "Palais des Congrès de Liège, Liège", "Lieu non renseigné"])
        _, text = print_activity_report(2024)
        self.assertIn("Palais des Congrès de Liège, Liège", text)
        self.assertIn("Lieu non renseigné", text)

    # The lifecycle (issue « Personal data and roles », finding 3) --------

    @with_transaction()
    @as_users
    def test_rule_state_written_only_by_transitions(self, acting):
        "Writing the state is refused: waiting ones cannot be confirmed so"
        Registration = Pool().get('concertes.event.registration')
        event, (first, second) = registered_event(2, capacity=1)
        self.assertEqual(second.state, 'waiting')
        for registration, state in [
                (second, 'confirmed'), (first, 'cancelled'),
                (first, 'attended'), (second, 'draft')]:
            with acting(), refused(self, AccessError, 'only through'):
                Registration.write([registration], {'state': state})
        with acting():
            if Transaction().check_access:
                # only imports of the past (no access check) give a state
                with refused(self, AccessError, 'only through'):
                    Registration.create([registration_values(
                                event, 3, state='confirmed')])
        self.assertEqual(event.seats_left, 0)
        self.assertEqual(
            [r.state for r in Registration.browse([first, second])],
            ['confirmed', 'waiting'])

    @with_transaction()
    @as_users
    def test_rule_cancel_releases_seats(self, acting):
        "A cancelled registration keeps no seat: the first waiting gets it"
        Registration = Pool().get('concertes.event.registration')
        event, (first, second) = registered_event(2, capacity=1)
        self.assertEqual(seats_of(first), ['event:%s' % event.id])
        with acting():
            Registration.cancel([first])
        self.assertEqual(seats_of(first), [])
        self.assertEqual(second.state, 'confirmed')
        self.assertEqual(seats_of(second), ['event:%s' % event.id])
        self.assertEqual(event.seats_left, 0)
        with acting():
            Registration.cancel([second])
        self.assertEqual(seats_of(second), [])
        self.assertEqual(event.seats_left, 1)

    @with_transaction()
    @as_users
    def test_rule_move_to_full_event_refused(self, acting):
        "A confirmed registration cannot move to a full event"
        Registration = Pool().get('concertes.event.registration')
        event, (first,) = registered_event(1)
        full = create_event(capacity=1, name="Complet")
        register(full, 9)
        with acting(), refused(self, UserError, 'no seat left'):
            Registration.write([first], {'event': full.id})
        first = Registration(first.id)
        self.assertEqual(
            (full.seats_taken, first.event, seats_of(first)),
            (1, event, ['event:%s' % event.id]))

    @with_transaction()
    @as_users
    def test_rule_move_claims_new_seats_and_releases_old(self, acting):
        "A confirmed registration moved to another event takes a seat there"
        Registration = Pool().get('concertes.event.registration')
        event, (first,) = registered_event(1, capacity=1)
        other = create_event(capacity=1, name="Autre")
        with acting():
            Registration.write([first], {'event': other.id})
        self.assertEqual(seats_of(first), ['event:%s' % other.id])
        self.assertEqual((event.seats_left, other.seats_left), (1, 0))
        self.assertEqual(register(event, 2).state, 'confirmed')

    @with_transaction()
    @as_users
    def test_rule_full_session_or_category_cannot_be_added(self, acting):
        "A session or category without seat cannot be given to a seated one"
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        RegistrationSession = pool.get(
            'concertes.event.registration-concertes.event.session')
        event = create_event(sessions=[
                ("Matin", START, START.replace(hour=12), 1)],
            tickets=[("Presse", 'press', 1), ("Public", 'participant', None)])
        session, = event.sessions
        press, public = sorted(event.tickets, key=lambda t: t.name)
        first = register(event, 1, sessions=[('add', [session.id])],
            ticket=press.id)
        second = register(event, 2, ticket=public.id)
        with acting(), refused(self, UserError, 'no seat left'):
            Registration.write(
                [second], {'sessions': [('add', [session.id])]})
        with acting(), refused(self, UserError, 'no seat left'):
            RegistrationSession.create([{
                        'registration': second.id, 'session': session.id}])
        with acting(), refused(self, UserError, 'no seat left'):
            Registration.write([second], {'ticket': press.id})
        with acting():
            Registration.write(
                [first], {'sessions': [('remove', [session.id])]})
            Registration.write(
                [second], {'sessions': [('add', [session.id])]})
        self.assertEqual((session.seats_left, press.seats_left), (0, 0))
        self.assertEqual(seats_of(first), sorted([
                    'event:%s' % event.id, 'ticket:%s' % press.id]))
        self.assertEqual(seats_of(second), sorted([
                    'event:%s' % event.id, 'session:%s' % session.id,
                    'ticket:%s' % public.id]))

    # Public input (issue « Personal data and roles », finding 6) ----------

    @with_transaction()
    def test_rule_public_input_never_merges_into_existing_party(self):
        "What the public typed never links to an existing person or body"
        pool = Pool()
        Party = pool.get('party.party')
        Registration = pool.get('concertes.event.registration')
        saw_b, = Party.create([{
                    'name': "SAW-B",
                    'identifiers': [('create', [{'code': '0426054818'}])],
                    'contact_mechanisms': [('create', [{
                                    'type': 'email',
                                    'value': 'info@saw-b.be'}])],
                    }])
        event = create_event()
        registration, = Registration.create([registration_values(
                    event, 1, email='info@saw-b.be', source='web',
                    organisation_name="SAW-B",
                    organisation_number='0426.054.818')])
        Registration.link_parties([registration])
        self.assertNotIn(
            saw_b, [registration.party, registration.organisation])
        self.assertEqual(registration.party.email, 'info@saw-b.be')
        self.assertEqual(registration.organisation.name, "SAW-B")
        self.assertEqual(Party.search([('name', '=', "SAW-B")], count=True), 2)

    @with_transaction()
    def test_rule_public_text_printable_with_a_letter(self):
        "Control, invisible and bidi characters, names without a letter: no"
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        event = create_event()
        data = {'first_name': "Ann", 'last_name': "Lee",
            'email': 'ann@example.org', 'consent': True}
        for key, value in [
                ('first_name', "\ud800"), ('last_name', "A\x00B"),
                ('first_name', "Ann\u202eevil"), ('organisation', "X\x07"),
                ('function', "\u2066boss"), ('accessibility', "ok\x00"),
                ('first_name', "\u200b\u200b"), ('last_name', "--- 42"),
                ('email', "ann\x00@example.org")]:
            values, errors = Registration.public_values(
                event, dict(data, **{key: value}))
            self.assertEqual(list(errors), [key], (key, value))
        values, errors = Registration.public_values(event, dict(
                data, accessibility="Fauteuil\nroulant", last_name="O'Neil"))
        self.assertEqual(errors, {})
        self.assertEqual(values['accessibility'], "Fauteuil\nroulant")

    @with_transaction()
    def test_rule_public_text_length(self):
        """The public form refuses a text longer than its field takes
        (100 characters for a name, 254 for an e-mail...) and takes the
        longest"""
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        event = create_event()
        data = {'first_name': "Ann", 'last_name': "Lee",
            'email': 'ann@example.org', 'consent': True}
        for key, length in [
                ('first_name', 100), ('last_name', 100),
                ('email', 254), ('organisation', 200), ('function', 200),
                ('accessibility', 2000)]:
            value = 'a' * length
            if key != 'email':
                values, errors = Registration.public_values(
                    event, dict(data, **{key: value}))
                self.assertEqual(errors, {}, key)
            values, errors = Registration.public_values(
                event, dict(data, **{key: value + 'a'}))
            self.assertEqual(list(errors), [key], key)
            self.assertIn(str(length), str(errors[key]))

    def test_rule_tokens_masked_in_access_logs(self):
        "The access logs of werkzeug and gunicorn never hold a token"
        import logging
        token = 'Ab3_' * 8
        line = 'POST /db/events/registration/%s/cancel HTTP/1.1' % token
        with self.assertLogs('werkzeug', 'INFO') as logs:
            logging.getLogger('werkzeug').info('"%s" %s %s', line, 303, '-')
        with self.assertLogs('gunicorn.access', 'INFO') as gunicorn:
            logging.getLogger('gunicorn.access').info('%(r)s %(U)s', {
                    'r': line, 'U': '/db/events/api/registrations/%s/cancel'
                    % token})
        for output in [logs.output, gunicorn.output]:
            self.assertNotIn(token, output[0])
            self.assertIn('/events/', output[0])

    @unittest.skipUnless(backend.name == 'postgresql',
        "SQLite runs one writing transaction at a time: only PostgreSQL "
        "has truly concurrent transactions to race for the places")
    def test_capacity_concurrent(self):
        "20 simultaneous registrations for 5 places: exactly 5 confirmed"
        with Transaction().start(DB_NAME, 0, context=CONTEXT) as transaction:
            event = create_event(capacity=5, name="Concurrence")
            event_id = event.id
            transaction.commit()

        barrier = threading.Barrier(20)
        outcomes, errors = [], []

        def attempt(number, extras):
            with Transaction().start(
                    DB_NAME, 0, context=CONTEXT, **extras) as transaction:
                Registration = Pool().get('concertes.event.registration')
                registration, = Registration.create([registration_values(
                            Pool().get('concertes.event')(event_id),
                            number)])
                Registration.register([registration])
                state = registration.state
                transaction.commit()
                return state

        def worker(number):
            # What trytond's dispatcher does: restart the transaction on a
            # lock to take or on a serialisation failure
            extras = {}
            barrier.wait()
            for _ in range(500):
                try:
                    outcomes.append(attempt(number, extras))
                    return
                except TransactionError as exception:
                    exception.fix(extras)
                except backend.DatabaseOperationalError:
                    time.sleep(0.01)
                except Exception as exception:
                    errors.append(exception)
                    return
            errors.append(RuntimeError("no luck after 500 attempts"))

        threads = [threading.Thread(target=worker, args=(i,))
            for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        try:
            self.assertEqual(errors, [])
            self.assertEqual(sorted(outcomes), ['confirmed'] * 5
                + ['waiting'] * 15)
            with Transaction().start(DB_NAME, 0, context=CONTEXT):
                Registration = Pool().get('concertes.event.registration')
                self.assertEqual(Registration.search([
                            ('event', '=', event_id),
                            ('state', '=', 'confirmed'),
                            ], count=True), 5)
        finally:
            with Transaction().start(
                    DB_NAME, 0, context=CONTEXT) as transaction:
                pool = Pool()
                Event = pool.get('concertes.event')
                Registration = pool.get('concertes.event.registration')
                Registration.delete(Registration.search([
                            ('event', '=', event_id)]))
                Event.delete([Event(event_id)])
                transaction.commit()


del ModuleTestCase
