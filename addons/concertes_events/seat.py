# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Seats: the arbiter of capacities under concurrency

A seated registration holds one row of ``concertes.event.seat`` per capacity
it uses (the event, its category, each session picked): the *bucket* names
the capacity (``event:12``, ``ticket:3``, ``session:7``) and the *number* is a
seat from 1 to the capacity.  A UNIQUE constraint on (bucket, number) makes
it impossible, whatever the number of simultaneous transactions, to hand out
more numbers than the capacity: the database is the arbiter, not a count.

To never wait on one another, transactions on PostgreSQL look for a number
after the highest one given (then in the holes left by cancellations), skip
the numbers that another transaction in flight is claiming
(``pg_try_advisory_xact_lock`` fails, and only one lock is tried per free
number) and insert each seat inside a SAVEPOINT: a unique violation (a seat
taken by a transaction committed after our REPEATABLE READ snapshot) rolls
back to the savepoint and the next number is tried.  Only when no number
looks free any more does a transaction wait for the ones in flight, so that
a seat released by a rollback is never lost.  Buckets without a limit get a
number of their own (minus the registration id), so that a limit set later
can number the seats already given (``renumber``).

The same rows hold the claim of an e-mail address on an event (bucket
``email:<event>:<digest of the address>``, number 0) from registration to
cancellation: two simultaneous registrations of one address cannot both be
written.
"""
import datetime as dt
import hashlib
import zlib

from trytond import backend
from trytond.model import Index, ModelSQL, Unique, fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .event import SEATED_STATES


def bucket_name(record):
    "The bucket of the capacity of an event, session or category"
    kind = {
        'concertes.event': 'event',
        'concertes.event.session': 'session',
        'concertes.event.ticket': 'ticket',
        }[record.__name__]
    return '%s:%s' % (kind, record.id)


def email_bucket(registration):
    "The claim of the address on the event (a digest: no personal data)"
    digest = hashlib.sha256(
        (registration.email or '').encode('utf-8')).hexdigest()[:40]
    return 'email:%s:%s' % (registration.event.id, digest)


def lock_key(bucket):
    "The first key of the advisory locks of a bucket (a signed int4)"
    return zlib.crc32(bucket.encode('utf-8')) - 2 ** 31


class Seat(ModelSQL):
    "ConcertES Event Seat"
    __name__ = 'concertes.event.seat'

    registration = fields.Many2One(
        'concertes.event.registration', "Registration", required=True,
        ondelete='CASCADE')
    bucket = fields.Char(
        "Bucket", required=True, strip=False,
        help="The capacity the seat belongs to: event, session or category.")
    number = fields.Integer(
        "Number", required=True,
        help="The seat number, from 1 to the capacity.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('bucket_number_unique', Unique(t, t.bucket, t.number),
                'concertes_events.msg_seat_taken'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.registration, Index.Range())))

    # Taking ------------------------------------------------------------------

    @classmethod
    def _insert(cls, registration_id, bucket, number):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        now = dt.datetime.now()
        columns = [table.registration, table.bucket, table.number,
            table.create_uid, table.create_date]
        values = [registration_id, bucket, number, Transaction().user, now]
        cursor.execute(*table.insert(columns, [values]))

    @classmethod
    def _try_insert(cls, registration_id, bucket, number):
        """Insert the seat inside a savepoint; return False when the number
        is already taken (unique violation or serialization failure)"""
        cursor = Transaction().connection.cursor()
        cursor.execute('SAVEPOINT concertes_seat')
        try:
            cls._insert(registration_id, bucket, number)
        except (backend.DatabaseIntegrityError,
                backend.DatabaseOperationalError) as exception:
            if (isinstance(exception, backend.DatabaseOperationalError)
                    and getattr(exception, 'sqlstate', None) != '40001'):
                raise
            cursor.execute('ROLLBACK TO SAVEPOINT concertes_seat')
            cursor.execute('RELEASE SAVEPOINT concertes_seat')
            return False
        cursor.execute('RELEASE SAVEPOINT concertes_seat')
        return True

    @classmethod
    def _taken(cls, bucket):
        "The numbers of the bucket taken in our snapshot"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                table.number, where=(table.bucket == bucket)))
        return {n for n, in cursor}

    @classmethod
    def _claim(cls, registration_id, bucket, capacity, taken):
        """Claim a seat number of the bucket for the registration; return the
        number or None when the bucket is full"""
        if capacity is None:
            cls._insert(registration_id, bucket, -registration_id)
            return -registration_id
        if backend.name != 'postgresql':
            # One writer at a time: what we read is what there is
            for number in range(1, capacity + 1):
                if number not in taken:
                    cls._insert(registration_id, bucket, number)
                    taken.add(number)
                    return number
            return None
        cursor = Transaction().connection.cursor()
        key = lock_key(bucket)
        table = '"%s"' % cls._table
        excluded = []
        # The numbers after the highest one given first (a capacity mostly
        # fills in order), then the holes left by cancellations.  The
        # numbers are generated lazily and filtered behind fences (OFFSET 0)
        # so that the lock is tried on free numbers only, one at a time.
        top = ('(SELECT COALESCE(MAX(number), 0) FROM ' + table
            + ' WHERE bucket = %s AND number > 0)')
        holes = ('AND NOT EXISTS (SELECT 1 FROM ' + table + ' AS t '
            'WHERE t.bucket = %s AND t.number = s.n) ')
        passes = [
            (top + ' + 1', '%s::integer', '', (bucket, capacity), ()),
            ('1', 'LEAST(' + top + ', %s::integer)', holes,
                (bucket, capacity), (bucket,)),
            ]
        for first, last, where, before, after in passes:
            while True:
                cursor.execute(
                    'SELECT n FROM (SELECT n FROM (SELECT generate_series('
                    + first + ', ' + last + ') AS n OFFSET 0) AS s '
                    'WHERE n <> ALL(%s::integer[]) ' + where
                    + 'OFFSET 0) AS f '
                    'WHERE pg_try_advisory_xact_lock(%s, n) LIMIT 1',
                    before + (excluded,) + after + (key,))
                row = cursor.fetchone()
                if not row:
                    break
                number, = row
                if cls._try_insert(registration_id, bucket, number):
                    return number
                # taken by a transaction committed after our snapshot
                excluded.append(number)
        # Every number looks taken or claimed: wait for the transactions in
        # flight on the free ones, one of them may roll back
        cursor.execute(
            'SELECT n FROM generate_series(1, %s::integer) AS n '
            'WHERE n <> ALL(%s::integer[]) '
            'AND NOT EXISTS (SELECT 1 FROM ' + table + ' s '
            'WHERE s.bucket = %s AND s.number = n) ORDER BY n',
            (capacity, excluded, bucket))
        for number, in cursor.fetchall():
            cursor.execute(
                'SELECT pg_advisory_xact_lock(%s, %s)', (key, number))
            if cls._try_insert(registration_id, bucket, number):
                return number
        return None

    @classmethod
    def claim_email(cls, registration):
        """Claim the e-mail address of the registration on its event; raise
        the duplicate error when another active registration holds it

        The insert waits for a transaction in flight with the same address
        and fails once it commits: the second of two simultaneous requests
        never gets written."""
        bucket = email_bucket(registration)
        if backend.name != 'postgresql':
            if cls._taken(bucket):
                registration._raise_duplicate(registration)
            cls._insert(registration.id, bucket, 0)
        elif not cls._try_insert(registration.id, bucket, 0):
            registration._raise_duplicate(registration)

    @classmethod
    def take(cls, registrations):
        """Give seats to the registrations that fit, in their order

        Return the lists of the registrations seated and not seated.  A
        registration is seated only when it gets a seat in every bucket it
        uses; otherwise the seats it got are given back."""
        for registration in registrations:
            if registration.state == 'draft':
                cls.claim_email(registration)
        return cls._seat(registrations)

    @classmethod
    def _seat(cls, registrations):
        postgresql = backend.name == 'postgresql'
        taken = {}
        seated, unseated = [], []
        for registration in registrations:
            holders = sorted(
                (bucket_name(record), record.capacity)
                for _, record in registration._seat_holders())
            claimed = []
            for bucket, capacity in holders:
                if (capacity is not None and not postgresql
                        and bucket not in taken):
                    taken[bucket] = cls._taken(bucket)
                number = cls._claim(
                    registration.id, bucket, capacity,
                    taken.get(bucket, set()))
                if number is None:
                    break
                claimed.append((bucket, number))
            else:
                seated.append(registration)
                continue
            cls._delete(registration.id, [b for b, _ in claimed])
            for bucket, number in claimed:
                if bucket in taken:
                    taken[bucket].discard(number)
            unseated.append(registration)
        return seated, unseated

    @classmethod
    def holding(cls, registrations):
        "The ids of the registrations that hold the seat of their event"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        ids = set()
        for sub_ids in grouped_slice([r.id for r in registrations]):
            cursor.execute(*table.select(table.registration,
                    where=table.registration.in_(list(sub_ids))
                    & table.bucket.like('event:%')))
            ids.update(r for r, in cursor)
        return ids

    @classmethod
    def move(cls, registrations):
        """Seat again the registrations after their event, category or
        sessions changed: the old seats are given back and the new ones
        claimed; return the registrations that no longer fit"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub_ids in grouped_slice([r.id for r in registrations]):
            cursor.execute(*table.delete(
                    where=table.registration.in_(list(sub_ids))
                    & ~table.bucket.like('email:%')))
        _, unseated = cls._seat(registrations)
        return unseated

    @classmethod
    def _delete(cls, registration_id, buckets):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        if buckets:
            cursor.execute(*table.delete(
                    where=(table.registration == registration_id)
                    & table.bucket.in_(buckets)))

    @classmethod
    def move_email_claims(cls, registrations):
        """Claim again the address of the registrations that hold a claim,
        after their e-mail or their event changed"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        holders = set()
        for sub_ids in grouped_slice([r.id for r in registrations]):
            where = (table.registration.in_(list(sub_ids))
                & table.bucket.like('email:%'))
            cursor.execute(*table.select(table.registration, where=where))
            holders.update(r for r, in cursor)
            cursor.execute(*table.delete(where=where))
        for registration in registrations:
            if registration.id in holders:
                cls.claim_email(registration)

    @classmethod
    def release(cls, registrations):
        "Give back the seats and the e-mail claims of the registrations"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        ids = [r.id for r in registrations]
        for i in range(0, len(ids), 1000):
            cursor.execute(*table.delete(
                    where=table.registration.in_(ids[i:i + 1000])))

    @classmethod
    def renumber(cls, records):
        """Number again the seats of the capacities of the records (events,
        sessions or categories) after their capacity changed"""
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        if not records:
            return
        cls.lock()
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for record in records:
            bucket = bucket_name(record)
            cursor.execute(*table.select(
                    table.registration, where=table.bucket == bucket,
                    order_by=[table.number.asc, table.id.asc]))
            ids = [r for r, in cursor]
            # Registrations seated before the seats existed, if any
            field = {
                'event': 'event', 'session': 'sessions', 'ticket': 'ticket',
                }[bucket.split(':')[0]]
            seated = Registration.search([
                    (field, '=', record.id),
                    ('state', 'in', list(SEATED_STATES)),
                    ('id', 'not in', ids),
                    ], order=[('id', 'ASC')])
            ids.extend(r.id for r in seated)
            cursor.execute(*table.delete(where=table.bucket == bucket))
            for i, registration_id in enumerate(ids, 1):
                cls._insert(
                    registration_id, bucket,
                    -registration_id if record.capacity is None else i)
