# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The seats, arbiter of the capacities (seat.py); concurrency: tests/test_web"
import datetime as dt
import unittest

from trytond import backend
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_events.seat import email_bucket
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import START, create_event, register, registered_event


def seats(registration):
    Seat = Pool().get('concertes.event.seat')
    return sorted(
        (s.bucket.split(':')[0], s.number)
        for s in Seat.search([('registration', '=', registration.id)]))


class SeatTestCase(unittest.TestCase):
    "Test the seats of concertes_events"

    @classmethod
    def setUpClass(cls):
        activate_module('concertes_events')

    @with_transaction()
    def test_seat_numbers_within_capacity(self):
        "Seated registrations hold numbers 1..capacity of each bucket"
        event = create_event(capacity=2, sessions=[
                ("Matin", START, START + dt.timedelta(hours=2), 1)])
        session, = event.sessions
        first = register(event, 1, sessions=[('add', [session.id])])
        second = register(event, 2, sessions=[('add', [session.id])])
        third = register(event, 3)
        fourth = register(event, 4)
        self.assertEqual(
            [first.state, second.state, third.state, fourth.state],
            ['confirmed', 'waiting', 'confirmed', 'waiting'])
        self.assertEqual(
            seats(first), [('email', 0), ('event', 1), ('session', 1)])
        # The waiting ones hold their e-mail only, no seat
        self.assertEqual(seats(second), [('email', 0)])
        self.assertEqual(seats(third), [('email', 0), ('event', 2)])

    @with_transaction()
    def test_seat_unique(self):
        "Two rows cannot hold the same number of a bucket"
        Seat = Pool().get('concertes.event.seat')
        event, (first,) = registered_event(1, capacity=5)
        with self.assertRaises(ValidationError):
            Seat.create([{
                        'registration': first.id,
                        'bucket': 'event:%s' % event.id,
                        'number': 1,
                        }])

    @with_transaction()
    def test_seat_email_claim(self):
        "An address claimed on an event cannot be claimed again"
        pool = Pool()
        Seat = pool.get('concertes.event.seat')
        Registration = pool.get('concertes.event.registration')
        event, (first,) = registered_event(1, capacity=5)
        other, = Registration.create([{
                    'event': event.id, 'first_name': "Autre",
                    'last_name': "Personne",
                    'email': 'autre@example.org'}])
        # As a simultaneous transaction would find it: same address
        other.email = first.email
        with self.assertRaises(ValidationError):
            Seat.claim_email(other)
        self.assertNotIn(first.email, email_bucket(first))

    @with_transaction()
    def test_seat_email_claim_follows_change(self):
        "The claim of an address moves with a change of the e-mail"
        Registration = Pool().get('concertes.event.registration')
        event, (first,) = registered_event(1, capacity=5)
        old_email = first.email
        Registration.write([first], {'email': 'nouvelle@example.org'})
        self.assertIn(('email', 0), seats(first))
        self.assertEqual(
            Pool().get('concertes.event.seat').search([
                    ('registration', '=', first.id),
                    ('bucket', 'like', 'email:%'),
                    ])[0].bucket, email_bucket(first))
        # The old address is free, the new one is held
        self.assertEqual(
            register(event, 2, email=old_email).state, 'confirmed')
        with self.assertRaisesRegex(ValidationError, 'already registered'):
            register(event, 3, email='nouvelle@example.org')

    @with_transaction()
    def test_seat_release_on_cancel(self):
        "Cancelling gives the seat to the first one waiting"
        Registration = Pool().get('concertes.event.registration')
        event, (first, second) = registered_event(2, capacity=1)
        self.assertEqual(second.state, 'waiting')
        Registration.cancel([first])
        self.assertEqual(seats(first), [])
        self.assertEqual(Registration(second.id).state, 'confirmed')
        self.assertEqual(seats(second), [('email', 0), ('event', 1)])
        # The cancelled address may register again
        again = register(event, 1)
        self.assertEqual(again.state, 'waiting')

    @with_transaction()
    def test_seat_holes_reused(self):
        "The seats freed by cancellations are given again, within capacity"
        Registration = Pool().get('concertes.event.registration')
        event, (first, second, third) = registered_event(
            3, capacity=4, waiting_list=True)
        Registration.cancel([second])
        fourth, fifth, sixth = [register(event, n) for n in [4, 5, 6]]
        self.assertEqual(
            [fourth.state, fifth.state, sixth.state],
            ['confirmed', 'confirmed', 'waiting'])
        self.assertEqual(
            sorted(n for r in [first, third, fourth, fifth]
                for k, n in seats(r) if k == 'event'), [1, 2, 3, 4])

    @unittest.skipUnless(
        backend.name == 'postgresql', "advisory locks of PostgreSQL")
    @with_transaction()
    def test_seat_claim_locks_one_number(self):
        "A claim tries the lock of free numbers one at a time, not all"
        event, registrations = registered_event(5, capacity=1000)
        cursor = Transaction().connection.cursor()
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND pid = pg_backend_pid()")
        locks, = cursor.fetchone()
        self.assertEqual(locks, len(registrations))

    @with_transaction()
    def test_seat_renumber_on_capacity_change(self):
        "A capacity set later numbers the seats already given"
        Event = Pool().get('concertes.event')
        event, registrations = registered_event(3, capacity=None)
        self.assertTrue(all(n < 0 for r in registrations
                for k, n in seats(r) if k == 'event'))
        Event.write([event], {'capacity': 4})
        self.assertEqual(
            sorted(n for r in registrations
                for k, n in seats(r) if k == 'event'), [1, 2, 3])
        self.assertEqual(register(event, 10).state, 'confirmed')
        self.assertEqual(register(event, 11).state, 'waiting')
