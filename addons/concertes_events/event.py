# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict

from sql import Null
from sql.aggregate import Count

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields, sequence_ordered)
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    DateRangeMixin, FieldChecksMixin, empty_or, shown_in)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .exceptions import RegistrationError
from .notification import TIMEZONE, _aware

KINDS = [
    ('conference', "Conference"),
    ('networking', "Networking Day"),
    ('award', "Award Ceremony"),
    ('training', "Training"),
    ('debate', "Debate"),
    ('general_assembly', "General Assembly"),
    ('webinar', "Webinar"),
    ('other', "Other"),
    ]
LANGUAGES = [
    ('fr', "French"),
    ('nl', "Dutch"),
    ('en', "English"),
    ('de', "German"),
    ]
TICKET_CATEGORIES = [
    ('participant', "Participant"),
    ('speaker', "Speaker"),
    ('exhibitor', "Exhibitor"),
    ('press', "Press"),
    ('staff', "Staff"),
    ('guest', "Guest"),
    ]
# Registrations that hold a seat
SEATED_STATES = ('confirmed', 'attended', 'no_show')
# Registrations that count as a registration of the person for the event
ACTIVE_STATES = ('draft', 'waiting', 'confirmed', 'attended', 'no_show')


def _seats_left(capacity, taken):
    if capacity is None:
        return None
    return max(capacity - taken, 0)


class _CapacityMixin(FieldChecksMixin):
    "Capacity and seats of events, sessions and categories"
    __slots__ = ()
    _field_checks = {'check_capacity': {'capacity'}}
    # The field of the registration that points to the record
    _seat_field = None
    # What the help texts call the record
    _seat_noun = None

    capacity = fields.Integer(
        "Capacity",
        domain=empty_or('capacity', ('>=', 0)))
    seats_taken = fields.Function(
        fields.Integer("Seats Taken"), 'get_seats')
    seats_left = fields.Function(fields.Integer("Seats Left"), 'get_seats')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.capacity.help = (
            "The number of places for this %s.\n"
            "Leave empty for no limit." % cls._seat_noun)
        cls.seats_left.help = (
            "Empty when the %s has no limit." % cls._seat_noun)

    @classmethod
    def get_seats(cls, records, names):
        "Seats taken and left per record, in one query per slice"
        Registration = Pool().get('concertes.event.registration')
        taken = Registration.count_seats(
            cls._seat_field, [r.id for r in records])
        result = {n: {} for n in names}
        for record in records:
            if 'seats_taken' in result:
                result['seats_taken'][record.id] = taken.get(record.id, 0)
            if 'seats_left' in result:
                result['seats_left'][record.id] = _seats_left(
                    record.capacity, taken.get(record.id, 0))
        return result

    @classmethod
    def write(cls, *args):
        Seat = Pool().get('concertes.event.seat')
        super().write(*args)
        actions = iter(args)
        changed = []
        for records, values in zip(actions, actions):
            if 'capacity' in values:
                changed.extend(records)
        if changed:
            # The seats are numbered from 1 to the capacity (seat.py)
            Seat.renumber(cls.browse(changed))

    @classmethod
    def check_capacity(cls, records):
        "A capacity is not below the seats already taken"
        for record in records:
            if (record.capacity is not None
                    and record.capacity < record.seats_taken):
                raise ValidationError(gettext(
                        'concertes_events.msg_capacity_below_confirmed',
                        record=record.rec_name,
                        capacity=record.capacity,
                        taken=record.seats_taken))


class Event(
        DateRangeMixin, _CapacityMixin, Workflow, ModelSQL, ModelView):
    "ConcertES Event"
    __name__ = 'concertes.event'
    _date_ranges = [
        ('start', 'end'), ('registration_start', 'registration_end')]
    _field_checks = {'check_sessions_inside': {'start', 'end'}}
    _seat_field = 'event'
    _seat_noun = 'event'

    _states = {'readonly': Eval('state').in_(['done', 'cancelled'])}

    name = fields.Char("Name", required=True, translate=True, states=_states)
    kind = fields.Selection(KINDS, "Kind", required=True, states=_states)
    description = fields.Text(
        "Description", translate=True, states=_states,
        help="The presentation of the event shown to the public.")
    start = fields.DateTime("Start", required=True, states=_states)
    end = fields.DateTime("End", required=True, states=_states)
    venue = fields.Many2One(
        'party.address', "Venue", ondelete='RESTRICT', states=_states,
        help="The address where the event takes place.")
    organisers = fields.One2Many(
        'concertes.event.organiser', 'event', "Organisers", states=_states)
    registration_start = fields.DateTime(
        "Registration Opening", states=_states,
        help="When the public may start to register.")
    registration_end = fields.DateTime(
        "Registration Closing", states=_states,
        help="When registration closes for the public.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('open', "Open"),
            ('closed', "Closed"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    published = fields.Boolean(
        "Published", states=_states,
        help="Whether the event is shown on the public website.")
    languages = fields.MultiSelection(
        LANGUAGES, "Languages", states=_states,
        help="The languages in which the event is held.")
    waiting_list = fields.Boolean(
        "Waiting List", states=_states,
        help="Whether registrations wait for a place when the event "
        "is full instead of being refused.")
    confirmation_template = fields.Many2One(
        'ir.email.template', "Confirmation E-mail", ondelete='RESTRICT',
        domain=[('model.name', '=', 'concertes.event.registration')],
        help="Leave empty to use the standard confirmation e-mail.")
    reminder_template = fields.Many2One(
        'ir.email.template', "Reminder E-mail", ondelete='RESTRICT',
        domain=[('model.name', '=', 'concertes.event.registration')],
        help="Leave empty to use the standard reminder e-mail.")
    reminder_days = fields.Integer(
        "Reminder Days", states=_states,
        domain=empty_or('reminder_days', ('>=', 0)),
        help="How many days before the event the reminder is sent.\n"
        "Leave empty to send no reminder.")
    sessions = fields.One2Many(
        'concertes.event.session', 'event', "Sessions", states=_states)
    tickets = fields.One2Many(
        'concertes.event.ticket', 'event', "Categories", states=_states)
    registrations = fields.One2Many(
        'concertes.event.registration', 'event', "Registrations",
        readonly=True)
    registration_open = fields.Function(
        fields.Boolean(
            "Registration Open",
            help="Whether the public can register now."),
        'get_registration_open')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.capacity.states = cls._states
        cls.capacity.help = (
            "The number of places for the whole event.\n"
            "Leave empty for no limit.")
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.start, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._order = [('start', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'open'),
            ('open', 'closed'),
            ('closed', 'open'),
            ('open', 'done'),
            ('closed', 'done'),
            ('draft', 'cancelled'),
            ('open', 'cancelled'),
            ('closed', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'draft': shown_in('cancelled'),
                'open': shown_in('draft', 'closed'),
                'close': shown_in('open'),
                'do': shown_in('open', 'closed'),
                'cancel': shown_in('draft', 'open', 'closed'),
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_kind():
        return 'conference'

    @staticmethod
    def default_waiting_list():
        return True

    @staticmethod
    def default_published():
        return False

    @staticmethod
    def default_languages():
        return ['fr']

    @staticmethod
    def default_reminder_days():
        return 2

    def email_template(self, kind):
        "The template of the event for the kind of e-mail, if any"
        return {
            'confirmation': self.confirmation_template,
            'reminder': self.reminder_template,
            }.get(kind)

    @classmethod
    def search_published(cls, event_id=None):
        """The published events the public may see: one by its id (past
        ones too), or those not over yet"""
        domain = [
            ('published', '=', True),
            ('state', 'in', ['open', 'closed', 'done', 'cancelled']),
            ]
        if event_id is not None:
            if not 0 < event_id < 2 ** 31:
                # beyond the ids the database stores (found by the fuzz test)
                return []
            domain.append(('id', '=', event_id))
        else:
            domain.append(('state', 'in', ['open', 'closed']))
            domain.append(('end', '>=', dt.datetime.now()))
        return cls.search(domain, order=[('start', 'ASC'), ('id', 'ASC')])

    def get_registration_open(self, name):
        now = dt.datetime.now()
        return bool(self.state == 'open'
            and (not self.registration_start
                or self.registration_start <= now)
            and (not self.registration_end or now <= self.registration_end)
            and now <= self.end)

    def local_days(self):
        "The first and the last day of the event in Brussels"
        return _aware(self.start).date(), _aware(self.end).date()

    def check_in_code(self, code, date=None):
        """Check in at the door the registration of the event whose code is
        code (scanned or typed), on the event's days only"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        Registration = pool.get('concertes.event.registration')
        if date is None:
            date = dt.datetime.now(TIMEZONE).date()
        first, last = self.local_days()
        if not first <= date <= last:
            lang = Lang.get()
            raise RegistrationError(gettext(
                    'concertes_events.msg_checkin_outside_days',
                    event=self.rec_name,
                    first=lang.strftime(first), last=lang.strftime(last)))
        return Registration.check_in_code(code, self)

    def count_checked_in(self):
        "How many people of the event have checked in"
        Registration = Pool().get('concertes.event.registration')
        return Registration.search([
                ('event', '=', self.id),
                ('state', '=', 'attended'),
                ], count=True)

    @classmethod
    def search_of_the_day(cls, date=None):
        "The events taking place on the date (today) in Brussels"
        if date is None:
            date = dt.datetime.now(TIMEZONE).date()
        # a day wide on each side in UTC, then the Brussels days
        start = dt.datetime.combine(date, dt.time()) - dt.timedelta(days=1)
        end = start + dt.timedelta(days=3)
        events = cls.search([
                ('state', 'in', ['open', 'closed']),
                ('start', '<', end),
                ('end', '>=', start),
                ], order=[('start', 'ASC'), ('id', 'ASC')])
        return [e for e in events
            if e.local_days()[0] <= date <= e.local_days()[1]]

    @classmethod
    def door(cls, event_id=None, date=None):
        """The events of the day at the door and the one chosen: the event of
        event_id when it is one of them (None when it is not), else the only
        one of the day, else None"""
        events = cls.search_of_the_day(date)
        if event_id is None:
            chosen = events if len(events) == 1 else []
        else:
            chosen = [e for e in events if e.id == event_id]
        return events, chosen[0] if chosen else None

    @property
    def takes_registrations(self):
        "Whether the public can register now, for a place or a waiting one"
        return bool(self.registration_open and (
                self.seats_left is None or self.seats_left > 0
                or self.waiting_list))

    @classmethod
    def check_sessions_inside(cls, events):
        "The sessions of an event stay within its dates"
        Session = Pool().get('concertes.event.session')
        Session.check_inside_event([s for e in events for s in e.sessions])

    @classmethod
    def copy(cls, events, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('registrations', None)
        default.setdefault('state', 'draft')
        default.setdefault('published', False)
        return super().copy(events, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, events):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, events):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, events):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, events):
        "Close the event: confirmed people who did not come are no-shows"
        Registration = Pool().get('concertes.event.registration')
        registrations = Registration.search([
                ('event', 'in', [e.id for e in events]),
                ('state', '=', 'confirmed'),
                ])
        Registration.no_show(registrations)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, events):
        pass


class _EventLineMixin:
    "A line of an event, deleted with it and found by it"
    __slots__ = ()

    event = fields.Many2One(
        'concertes.event', "Event", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.event, Index.Range())))


class EventOrganiser(
        _EventLineMixin, sequence_ordered(), ModelSQL, ModelView):
    "ConcertES Event Organiser"
    __name__ = 'concertes.event.organiser'

    party = fields.Many2One(
        'party.party', "Organisation", required=True, ondelete='RESTRICT')
    role = fields.Selection([
            ('organiser', "Organiser"),
            ('co_organiser', "Co-organiser"),
            ('partner', "Partner"),
            ], "Role", required=True)

    @staticmethod
    def default_role():
        return 'organiser'


class Session(
        DateRangeMixin, _CapacityMixin, _EventLineMixin, sequence_ordered(),
        ModelSQL, ModelView):
    "ConcertES Event Session"
    __name__ = 'concertes.event.session'
    _date_ranges = [('start', 'end')]
    _field_checks = {'check_inside_event': {'start', 'end', 'event'}}
    _seat_field = 'sessions'
    _seat_noun = 'session'

    name = fields.Char("Name", required=True, translate=True)
    start = fields.DateTime("Start", required=True)
    end = fields.DateTime("End", required=True)
    room = fields.Char(
        "Room", help="Where the session takes place within the venue.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start', 'ASC'), ('sequence', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return self.name

    def overlaps(self, other):
        return self.start < other.end and other.start < self.end

    @classmethod
    def check_inside_event(cls, sessions):
        "A session takes place within the dates of its event"
        for session in sessions:
            event = session.event
            if session.start < event.start or session.end > event.end:
                raise ValidationError(gettext(
                        'concertes_events.msg_session_outside_event',
                        session=session.rec_name,
                        event=event.rec_name))


class Ticket(
        _CapacityMixin, _EventLineMixin, sequence_ordered(), ModelSQL,
        ModelView):
    "ConcertES Event Attendee Category"
    __name__ = 'concertes.event.ticket'
    _seat_field = 'ticket'
    _seat_noun = 'category'

    name = fields.Char("Name", required=True, translate=True)
    category = fields.Selection(
        TICKET_CATEGORIES, "Category", required=True)
    public = fields.Boolean(
        "Public", help="Whether the public may choose this category.")
    price = fields.Numeric(
        "Price", digits=(16, 2), required=True,
        domain=[('price', '>=', 0)],
        help="Most events are free.")

    @staticmethod
    def default_category():
        return 'participant'

    @staticmethod
    def default_public():
        return True

    @staticmethod
    def default_price():
        from decimal import Decimal
        return Decimal(0)


def count_seats(registration_table, relation_table, field, ids):
    """Return {id: seats taken} for the event, session or ticket ids

    One query per slice of ids, counting the registrations that hold a seat.
    """
    cursor = Transaction().connection.cursor()
    r = registration_table
    result = defaultdict(int)
    for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
        if field == 'sessions':
            rs = relation_table
            column = rs.session
            query = rs.join(r, condition=rs.registration == r.id).select(
                column, Count(r.id),
                where=reduce_ids(column, sub_ids)
                & r.state.in_(list(SEATED_STATES)),
                group_by=[column])
        else:
            column = getattr(r, field)
            query = r.select(
                column, Count(r.id),
                where=reduce_ids(column, sub_ids)
                & r.state.in_(list(SEATED_STATES))
                & (column != Null),
                group_by=[column])
        cursor.execute(*query)
        result.update(dict(cursor))
    return result
