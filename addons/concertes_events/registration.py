# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
import re
import secrets
from collections import defaultdict

from sql import Null

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.party import ORGANISATION_KINDS
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import escape_wildcard
from trytond.transaction import Transaction

from . import notification
from .event import ACTIVE_STATES, LANGUAGES, SEATED_STATES, count_seats
from .exceptions import RegistrationError

EMAIL_RE = re.compile(
    r'^[A-Za-z0-9.!#$%&\'*+/=?^_`{|}~-]+@'
    r'[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
    r'(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$')

DIETS = [
    (None, ""),
    ('vegetarian', "Vegetarian"),
    ('vegan', "Vegan"),
    ('halal', "Halal"),
    ('gluten_free', "Gluten-free"),
    ('lactose_free', "Lactose-free"),
    ('other', "Other"),
    ]


# Without the look-alikes 0/O, 1/I/L: read aloud or typed at the desk
CHECKIN_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
CHECKIN_CODE_LENGTH = 10


def new_token():
    return secrets.token_urlsafe(24)


def new_checkin_code():
    "A random code to check in, which cannot cancel (unlike the token)"
    return ''.join(secrets.choice(CHECKIN_ALPHABET)
        for _ in range(CHECKIN_CODE_LENGTH))


def normalise_checkin_code(code):
    "The code as typed at the desk: any case, spaces and hyphens ignored"
    return re.sub(r'[\s-]+', '', code or '').upper()


def valid_email(email):
    return bool(email and len(email) <= 254 and EMAIL_RE.match(email))


class Registration(Workflow, ModelSQL, ModelView):
    "ConcertES Event Registration"
    __name__ = 'concertes.event.registration'
    _rec_name = 'last_name'

    _states = {'readonly': ~Eval('state').in_(['draft', 'waiting'])}

    event = fields.Many2One(
        'concertes.event', "Event", required=True, ondelete='CASCADE',
        states=_states)
    ticket = fields.Many2One(
        'concertes.event.ticket', "Category", ondelete='RESTRICT',
        domain=[('event', '=', Eval('event', -1))], states=_states,
        help="The category of attendee.")
    sessions = fields.Many2Many(
        'concertes.event.registration-concertes.event.session',
        'registration', 'session', "Sessions",
        domain=[('event', '=', Eval('event', -1))], states=_states,
        help="The parts of the event the person attends.")
    first_name = fields.Char("First Name", required=True)
    last_name = fields.Char("Last Name", required=True)
    email = fields.Char("E-mail", required=True)
    phone = fields.Char("Phone")
    organisation_name = fields.Char("Organisation")
    organisation_number = fields.Char(
        "Enterprise Number",
        help="The BCE/KBO number of the organisation, if known.")
    function = fields.Char("Function")
    language = fields.Selection(
        LANGUAGES, "Language", required=True,
        help="The language used to write to the person.")
    diet = fields.Selection(DIETS, "Diet", sort=False)
    diet_note = fields.Char(
        "Dietary Needs", help="Allergies and other dietary needs.")
    accessibility = fields.Text(
        "Accessibility Needs",
        help="What the person needs to take part (access, assistance).")
    consent_date = fields.DateTime(
        "Consent Date",
        help="When the person agreed to the processing of their data.")
    consent_version = fields.Char(
        "Consent Text Version",
        help="The version of the privacy text the person agreed to.")
    source = fields.Selection([
            ('web', "Web"),
            ('back_office', "Back-office"),
            ('import', "Import"),
            ], "Source", required=True, readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('waiting', "Waiting"),
            ('confirmed', "Confirmed"),
            ('cancelled', "Cancelled"),
            ('attended', "Attended"),
            ('no_show', "No-show"),
            ], "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    checkin_time = fields.DateTime("Check-in Time", readonly=True)
    reminder_sent = fields.DateTime(
        "Reminder Sent", readonly=True,
        help="When the reminder e-mail was sent.")
    token = fields.Char(
        "Token", readonly=True, strip=False,
        help="The secret code of the registration's links (own page, "
        "cancellation): never printed on the badge.")
    checkin_code = fields.Char(
        "Check-in Code", readonly=True,
        help="The code to show at the entrance, printed as a QR code on the "
        "badge: it checks the person in but cannot cancel the registration.")
    party = fields.Many2One(
        'party.party', "Person", ondelete='RESTRICT',
        help="The person, found by e-mail or created.")
    organisation = fields.Many2One(
        'party.party', "Organisation Party", ondelete='RESTRICT',
        help="The organisation, found by enterprise number or name.")
    organisation_kind = fields.Function(
        fields.Selection(ORGANISATION_KINDS, "Kind of Organisation"),
        'get_organisation_kind', searcher='search_organisation_kind')
    name = fields.Function(fields.Char("Name"), 'get_name')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('token_unique', Unique(t, t.token),
                'concertes_events.msg_registration_token_unique'),
            ('checkin_code_unique', Unique(t, t.checkin_code),
                'concertes_events.msg_registration_checkin_code_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.event, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.email, Index.Equality())),
                Index(t, (t.ticket, Index.Range())),
                })
        cls._order = [('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'confirmed'),
            ('draft', 'waiting'),
            ('waiting', 'confirmed'),
            ('draft', 'cancelled'),
            ('waiting', 'cancelled'),
            ('confirmed', 'cancelled'),
            ('confirmed', 'attended'),
            ('confirmed', 'no_show'),
            ('no_show', 'attended'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'register': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'promote': {
                    'invisible': Eval('state') != 'waiting',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'waiting', 'confirmed']),
                    'depends': ['state'],
                    },
                'check_in': {
                    'invisible': ~Eval('state').in_(['confirmed', 'no_show']),
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        super().__register__(module)

        # Migration: registrations made before the check-in code get one
        cursor.execute(*table.select(
                table.id, where=table.checkin_code == Null))
        for registration_id, in cursor.fetchall():
            cursor.execute(*table.update(
                    [table.checkin_code], [new_checkin_code()],
                    where=table.id == registration_id))

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_source():
        return Transaction().context.get('registration_source', 'back_office')

    @staticmethod
    def default_language():
        language = Transaction().language or 'fr'
        language = language.split('_')[0]
        return language if language in dict(LANGUAGES) else 'fr'

    def get_name(self, name):
        return ' '.join(filter(None, [self.first_name, self.last_name]))

    def get_rec_name(self, name):
        return '%s (%s)' % (self.name, self.event.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('first_name', operator, operand, *extra),
            ('last_name', operator, operand, *extra),
            ('email', operator, operand, *extra),
            ('organisation_name', operator, operand, *extra),
            ]

    @classmethod
    def get_organisation_kind(cls, registrations, name):
        return {
            r.id: r.organisation.organisation_kind if r.organisation else None
            for r in registrations}

    @classmethod
    def search_organisation_kind(cls, name, clause):
        return [('organisation.organisation_kind',) + tuple(clause[1:])]

    @classmethod
    def count_seats(cls, field, ids):
        """Return {id: seats taken} for ids of events ('event'), sessions
        ('sessions') or categories ('ticket')"""
        RegistrationSession = Pool().get(
            'concertes.event.registration-concertes.event.session')
        return count_seats(
            cls.__table__(), RegistrationSession.__table__(), field, ids)

    @classmethod
    def _normalise(cls, values):
        values = values.copy()
        for name in ['first_name', 'last_name', 'organisation_name',
                'function', 'phone']:
            if values.get(name):
                values[name] = ' '.join(values[name].split())
        if values.get('email'):
            values['email'] = values['email'].strip().lower()
        return values

    @classmethod
    def create(cls, vlist):
        vlist = [cls._normalise(v) for v in vlist]
        for values in vlist:
            if not values.get('token'):
                values['token'] = new_token()
            if not values.get('checkin_code'):
                values['checkin_code'] = new_checkin_code()
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        actions = iter(args)
        args = []
        for records, values in zip(actions, actions):
            args.extend((records, cls._normalise(values)))
        super().write(*args)

    @classmethod
    def on_modification(cls, mode, registrations, field_names=None):
        pool = Pool()
        Seat = pool.get('concertes.event.seat')
        super().on_modification(mode, registrations, field_names=field_names)
        if mode == 'write' and field_names & {'email', 'event'}:
            # The claim of the address follows it (seat.py)
            Seat.move_email_claims(registrations)

    @classmethod
    def copy(cls, registrations, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('token', None)
        default.setdefault('checkin_code', None)
        default.setdefault('checkin_time', None)
        default.setdefault('reminder_sent', None)
        default.setdefault('consent_date', None)
        default.setdefault('consent_version', None)
        return super().copy(registrations, default=default)

    # Rules ------------------------------------------------------------------

    @classmethod
    def _validate(cls, registrations, field_names=None):
        # Before the domains of the fields, which the client uses to offer
        # only the sessions and categories of the event: the message of the
        # rule is clearer than the one of the domain
        cls.check_sessions(registrations, field_names)
        super()._validate(registrations, field_names=field_names)

    @classmethod
    def validate_fields(cls, registrations, field_names):
        super().validate_fields(registrations, field_names)
        cls.check_email(registrations, field_names)
        cls.check_duplicate(registrations, field_names)

    @classmethod
    def check_email(cls, registrations, field_names=None):
        if field_names and 'email' not in field_names:
            return
        for registration in registrations:
            if not valid_email(registration.email):
                raise ValidationError(gettext(
                        'concertes_events.msg_registration_invalid_email',
                        email=registration.email))

    @classmethod
    def check_duplicate(cls, registrations, field_names=None):
        """A person registers only once for an event

        A change of state alone is left to the claim of the e-mail that
        seating makes (seat.py), except for a cancelled registration set back
        to draft (draft)."""
        if field_names and not (field_names & {'email', 'event'}):
            return
        cls._check_duplicate(
            [r for r in registrations if r.state in ACTIVE_STATES])

    @classmethod
    def _check_duplicate(cls, registrations):
        "Raise when another active registration has the e-mail of one of them"
        by_event = defaultdict(set)
        for registration in registrations:
            by_event[registration.event.id].add(registration)
        for event_id, records in by_event.items():
            emails = {r.email for r in records}
            if len(emails) < len(records):
                seen = set()
                for record in records:
                    if record.email in seen:
                        cls._raise_duplicate(record)
                    seen.add(record.email)
            others = cls.search([
                    ('event', '=', event_id),
                    ('email', 'in', list(emails)),
                    ('state', 'in', list(ACTIVE_STATES)),
                    ('id', 'not in', [r.id for r in records]),
                    ], limit=1)
            if others:
                other, = others
                cls._raise_duplicate(other)

    @classmethod
    def _raise_duplicate(cls, registration):
        raise ValidationError(gettext(
                'concertes_events.msg_registration_duplicate',
                email=registration.email,
                event=registration.event.rec_name))

    @classmethod
    def check_sessions(cls, registrations, field_names=None):
        "Sessions that overlap in time cannot be picked together"
        if field_names and not (
                field_names & {'sessions', 'event', 'ticket'}):
            return
        for registration in registrations:
            event = registration.event
            if registration.ticket and registration.ticket.event != event:
                raise ValidationError(gettext(
                        'concertes_events.msg_registration_wrong_event',
                        record=registration.ticket.rec_name,
                        event=event.rec_name))
            sessions = sorted(registration.sessions, key=lambda s: s.start)
            for session in sessions:
                if session.event != event:
                    raise ValidationError(gettext(
                            'concertes_events.msg_registration_wrong_event',
                            record=session.rec_name,
                            event=event.rec_name))
            for first, second in zip(sessions, sessions[1:]):
                if first.overlaps(second):
                    raise ValidationError(gettext(
                            'concertes_events.msg_registration_overlap',
                            first=first.rec_name,
                            second=second.rec_name))

    # Parties ----------------------------------------------------------------

    @classmethod
    def link_parties(cls, registrations):
        """Link the person and the organisation to parties: an existing party
        is found by e-mail (organisation: enterprise number, then name)
        and created only when none is found"""
        pool = Pool()
        Party = pool.get('party.party')
        ContactMechanism = pool.get('party.contact_mechanism')
        Identifier = pool.get('party.identifier')
        to_save = []
        people, organisations = {}, {}
        for registration in registrations:
            if not registration.organisation and (
                    registration.organisation_number
                    or registration.organisation_name):
                key = (registration.organisation_number or '',
                    (registration.organisation_name or '').lower())
                organisation = organisations.get(key)
                if not organisation and registration.organisation_number:
                    code = re.sub(
                        r'[^0-9]', '', registration.organisation_number)
                    identifiers = Identifier.search([
                            ('code', 'in', [
                                    code, 'BE' + code,
                                    registration.organisation_number]),
                            ], limit=1)
                    if identifiers:
                        organisation = identifiers[0].party
                if not organisation and registration.organisation_name:
                    parties = Party.search([
                            ('name', 'ilike', escape_wildcard(
                                    registration.organisation_name)),
                            ], order=[('id', 'ASC')], limit=1)
                    if parties:
                        organisation, = parties
                    else:
                        organisation = Party(
                            name=registration.organisation_name)
                        organisation.save()
                if organisation:
                    organisations[key] = organisation
                    registration.organisation = organisation
            if not registration.party:
                party = people.get(registration.email)
                if not party:
                    mechanisms = ContactMechanism.search([
                            ('type', '=', 'email'),
                            ('value', 'ilike',
                                escape_wildcard(registration.email)),
                            ], order=[('id', 'ASC')], limit=1)
                    if mechanisms:
                        party = mechanisms[0].party
                    else:
                        party = Party(
                            name=registration.name,
                            contact_mechanisms=[ContactMechanism(
                                    type='email', value=registration.email)])
                        party.save()
                people[registration.email] = party
                registration.party = party
            to_save.append(registration)
        cls.save(to_save)

    # Seats ------------------------------------------------------------------

    @classmethod
    def take_seats(cls, registrations):
        """Give a seat to the registrations that fit, in their order

        Return the lists of the registrations that got a seat and of those
        that did not.  This is the only place where the capacities of the
        events, sessions and categories are checked: every operation that
        seats someone calls it.  The seats are rows of concertes.event.seat
        numbered from 1 to each capacity under a UNIQUE constraint, so that
        no number of simultaneous transactions can exceed a capacity and
        none waits on the row of the event (see seat.py).
        """
        Seat = Pool().get('concertes.event.seat')
        if not registrations:
            return [], []
        # No check_duplicate here: Seat.take claims the e-mail of each draft
        assert not any(r.state in SEATED_STATES for r in registrations)
        return Seat.take(registrations)

    def _seat_holders(self):
        "The (field, record) whose capacity this registration uses"
        holders = [('event', self.event)]
        if self.ticket:
            holders.append(('ticket', self.ticket))
        holders.extend(('sessions', s) for s in self.sessions)
        return holders

    # Operations -------------------------------------------------------------

    @classmethod
    def _check_event_registrable(cls, registrations):
        for registration in registrations:
            if registration.event.state not in {'draft', 'open', 'closed'}:
                raise RegistrationError(gettext(
                        'concertes_events.msg_event_not_registrable',
                        event=registration.event.rec_name))

    @classmethod
    def _set_state(cls, registrations, state, **values):
        if registrations:
            cls.write(list(registrations), dict(state=state, **values))
            if state == 'cancelled':
                # The seats and the claim of the e-mail are free again
                Pool().get('concertes.event.seat').release(registrations)

    @classmethod
    @ModelView.button
    def register(cls, registrations):
        """Register: confirmed when there is a seat, otherwise waiting if the
        event keeps a waiting list, otherwise refused"""
        registrations = [r for r in registrations if r.state == 'draft']
        cls._check_event_registrable(registrations)
        cls.link_parties(registrations)
        seated, unseated = cls.take_seats(registrations)
        for registration in unseated:
            if not registration.event.waiting_list:
                raise RegistrationError(gettext(
                        'concertes_events.msg_event_full',
                        event=registration.event.rec_name))
        cls._set_state(seated, 'confirmed')
        cls._set_state(unseated, 'waiting')
        cls.notify(seated, 'confirmation')
        cls.notify(unseated, 'waiting')

    @classmethod
    @ModelView.button
    def confirm(cls, registrations):
        "Confirm: a seat is required for everyone"
        registrations = [r for r in registrations if r.state == 'draft']
        cls._check_event_registrable(registrations)
        cls.link_parties(registrations)
        cls._seat_all(registrations)
        cls.notify(registrations, 'confirmation')

    @classmethod
    @ModelView.button
    def promote(cls, registrations):
        "Give a free seat to waiting registrations; refused when none is free"
        registrations = [r for r in registrations if r.state == 'waiting']
        cls._check_event_registrable(registrations)
        cls._seat_all(registrations)
        cls.notify(registrations, 'promotion')

    @classmethod
    def _seat_all(cls, registrations):
        seated, unseated = cls.take_seats(registrations)
        if unseated:
            raise RegistrationError(gettext(
                    'concertes_events.msg_no_seat_left',
                    registration=unseated[0].rec_name))
        cls._set_state(seated, 'confirmed')

    @classmethod
    def promote_waiting(cls, events):
        """Promote the waiting registrations of the events, first come first
        served, as long as seats are free; return those promoted"""
        waiting = cls.search([
                ('event', 'in', [e.id for e in events]),
                ('event.state', 'in', ['draft', 'open', 'closed']),
                ('state', '=', 'waiting'),
                ], order=[('id', 'ASC')])
        seated, _ = cls.take_seats(waiting)
        cls._set_state(seated, 'confirmed')
        cls.notify(seated, 'promotion')
        return seated

    @classmethod
    @ModelView.button
    def cancel(cls, registrations):
        "Cancel and give the freed seats to the first ones waiting"
        for registration in registrations:
            if registration.state in {'attended', 'no_show'}:
                raise RegistrationError(gettext(
                        'concertes_events.msg_cancel_past',
                        registration=registration.rec_name))
        registrations = [r for r in registrations
            if r.state in {'draft', 'waiting', 'confirmed'}]
        freed = {r.event for r in registrations if r.state == 'confirmed'}
        cls._set_state(registrations, 'cancelled')
        cls.notify(registrations, 'cancellation')
        if freed:
            cls.promote_waiting(list(freed))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, registrations):
        # Active again: unless the address registered again meanwhile
        cls._check_duplicate(registrations)

    @classmethod
    @Workflow.transition('no_show')
    def no_show(cls, registrations):
        pass

    @classmethod
    @ModelView.button
    def check_in(cls, registrations):
        "Record that the people came"
        for registration in registrations:
            cls._check_can_check_in(registration)
        cls._set_state(
            registrations, 'attended', checkin_time=dt.datetime.now())

    @classmethod
    def _check_can_check_in(cls, registration):
        if registration.state == 'attended':
            raise RegistrationError(gettext(
                    'concertes_events.msg_checkin_already',
                    registration=registration.rec_name,
                    time=notification.format_local_datetime(
                        registration.checkin_time)))
        if registration.state not in {'confirmed', 'no_show'}:
            raise RegistrationError(gettext(
                    'concertes_events.msg_checkin_not_confirmed',
                    registration=registration.rec_name,
                    state=registration.state_string))

    @classmethod
    def check_in_code(cls, code, event=None):
        """Check in the registration whose check-in code is code (scanned
        from its QR code or typed) and return it; the secret token is not
        accepted"""
        code = (code or '').strip()
        domain = [('checkin_code', '=', normalise_checkin_code(code))]
        if event:
            domain.append(('event', '=', int(event)))
        registrations = cls.search(domain, limit=1) if code else []
        if not registrations:
            raise RegistrationError(gettext(
                    'concertes_events.msg_checkin_unknown_code', code=code))
        registration, = registrations
        cls.check_in([registration])
        return registration

    @classmethod
    def notify(cls, registrations, kind):
        """Tell the registrants by e-mail, each in their language: kind is
        confirmation, waiting, promotion, reminder or cancellation"""
        if registrations:
            notification.send(registrations, kind)

    @classmethod
    def send_reminders(cls, date=None):
        """Send the reminder to the confirmed registrants of the events that
        start within their reminder days (run by a cron job)"""
        pool = Pool()
        Event = pool.get('concertes.event')
        now = dt.datetime.now() if date is None else date
        events = Event.search([
                ('state', 'in', ['open', 'closed']),
                ('reminder_days', '!=', None),
                ('start', '>=', now),
                ])
        events = [e for e in events
            if e.start <= now + dt.timedelta(days=e.reminder_days)]
        registrations = cls.search([
                ('event', 'in', [e.id for e in events]),
                ('state', '=', 'confirmed'),
                ('reminder_sent', '=', None),
                ], order=[('id', 'ASC')])
        cls.notify(registrations, 'reminder')
        cls.write(registrations, {'reminder_sent': now})
        return registrations


class RegistrationSession(ModelSQL):
    "ConcertES Event Registration - Session"
    __name__ = 'concertes.event.registration-concertes.event.session'

    registration = fields.Many2One(
        'concertes.event.registration', "Registration", required=True,
        ondelete='CASCADE')
    session = fields.Many2One(
        'concertes.event.session', "Session", required=True,
        ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('registration_session_unique',
                Unique(t, t.registration, t.session),
                'concertes_events.msg_registration_session_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.session, Index.Range())))
