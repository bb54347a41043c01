# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
import re
import secrets
import unicodedata
from collections import defaultdict
from contextlib import contextmanager
from functools import wraps

from sql import Null

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.concertes_members.common import (
    FieldChecksMixin, SearchRecNameMixin, shown_in)
from trytond.modules.concertes_members.party import ORGANISATION_KINDS
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import escape_wildcard
from trytond.transaction import Transaction

from . import notification
from .event import ACTIVE_STATES, LANGUAGES, SEATED_STATES, count_seats
from .exceptions import DuplicateError, RegistrationError, SessionError

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


TOKEN_RE = re.compile(r'^[A-Za-z0-9_-]{16,64}$')
# Markup in a name is refused
NAME_FORBIDDEN = re.compile(r'[<>{}\\]')
# The fields of the public form and API: {key of the data: field}
PUBLIC_TEXTS = {
    'first_name': 'first_name',
    'last_name': 'last_name',
    'email': 'email',
    'organisation': 'organisation_name',
    'function': 'function',
    'accessibility': 'accessibility',
    }
# The longest text the public form takes in each field.  The Char fields
# carry no size: the web client draws an input as many characters wide as
# its size, and a 254-character e-mail pushed the form off the screen
MAX_LENGTHS = {
    'first_name': 100,
    'last_name': 100,
    'email': 254,
    'organisation_name': 200,
    'function': 200,
    'accessibility': 2000,
    }
# Control, format (zero-width, bidi overrides), surrogate, private and
# unassigned characters
INVISIBLE = {'Cc', 'Cf', 'Cs', 'Co', 'Cn'}


def printable(text, multiline=False):
    "Whether text holds only characters that can be read and printed"
    return all(unicodedata.category(c) not in INVISIBLE
        or (multiline and c in '\n\r\t') for c in text)


def int_or_none(value):
    "The id sent by the public, None when it is not one"
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def has_letter(text):
    return any(unicodedata.category(c).startswith('L') for c in text)


def web_message(name, **variables):
    return gettext('concertes_events.msg_web_' + name, **variables)


@contextmanager
def undone_on_error():
    "Undo what the block wrote, and the tasks it queued, when it raises"
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    tasks = len(transaction.tasks)
    cursor.execute('SAVEPOINT concertes_registration')
    try:
        yield
    except Exception:
        cursor.execute('ROLLBACK TO SAVEPOINT concertes_registration')
        del transaction.tasks[tasks:]
        transaction.cache.clear()
        raise
    cursor.execute('RELEASE SAVEPOINT concertes_registration')


def transition(state, check=None):
    """Workflow.transition whose write of the state is the only one that
    Registration.write accepts; check names a classmethod called first with
    all the records, to refuse rather than skip those that cannot go"""
    def decorator(func):
        @wraps(func)
        def body(cls, records, *args, **kwargs):
            with Transaction().set_context(_registration_state=None):
                return func(cls, records, *args, **kwargs)
        checked = Workflow.transition(state)(body)

        @wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            if check:
                getattr(cls, check)(records)
            with Transaction().set_context(_registration_state=state):
                return checked(cls, records, *args, **kwargs)
        return wrapper
    return decorator


class Registration(
        FieldChecksMixin, SearchRecNameMixin, Workflow, ModelSQL, ModelView):
    "ConcertES Event Registration"
    __name__ = 'concertes.event.registration'
    _field_checks = {
        'check_valid_email': {'email'},
        'check_duplicate': {'email', 'event'},
        }
    _rec_name = 'last_name'
    _rec_name_fields = (
        'first_name', 'last_name', 'email', 'organisation_name')

    # A confirmed registration moves: its seats follow (move_seats)
    _states = {
        'readonly': ~Eval('state').in_(['draft', 'waiting', 'confirmed']),
        }

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
        # by time: the session's own order, not its name (trytond's default)
        order=[('session.start', 'ASC'),
            ('session.sequence', 'ASC NULLS FIRST'), ('session.id', 'ASC')],
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
        "Accessibility Needs", size=2000,
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
    web_submission = fields.Char(
        "Web Submission", readonly=True, strip=False,
        help="The key of the web form or API request that made the "
        "registration, so that a retry of the same request finds it.")

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
                'register': shown_in('draft'),
                'confirm': shown_in('draft'),
                'promote': shown_in('waiting'),
                'cancel': shown_in('draft', 'waiting', 'confirmed'),
                'check_in': shown_in('confirmed', 'no_show'),
                'draft': shown_in('cancelled'),
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
            if (Transaction().check_access
                    and values.get('state', 'draft') != 'draft'):
                raise AccessError(gettext(
                        'concertes_events.msg_registration_state_readonly'))
            if not values.get('token'):
                values['token'] = new_token()
            if not values.get('checkin_code'):
                values['checkin_code'] = new_checkin_code()
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        expected = Transaction().context.get('_registration_state')
        actions = iter(args)
        args = []
        for records, values in zip(actions, actions):
            if 'state' in values and values['state'] != expected:
                # Only the transitions change it: they seat and release
                raise AccessError(gettext(
                        'concertes_events.msg_registration_state_readonly'))
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
        if mode == 'write' and field_names & {'event', 'ticket'}:
            cls.move_seats(registrations)

    @classmethod
    def move_seats(cls, registrations):
        """The seated registrations give back their seats and claim those of
        their new event, category and sessions: refused when one is full"""
        Seat = Pool().get('concertes.event.seat')
        seated = [r for r in registrations if r.state in SEATED_STATES]
        if seated:
            unseated = Seat.move(seated)
            if unseated:
                raise RegistrationError(gettext(
                        'concertes_events.msg_registration_move_full',
                        registration=unseated[0].rec_name))

    @classmethod
    def copy(cls, registrations, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('token', None)
        default.setdefault('checkin_code', None)
        default.setdefault('checkin_time', None)
        default.setdefault('reminder_sent', None)
        default.setdefault('consent_date', None)
        default.setdefault('consent_version', None)
        default.setdefault('web_submission', None)
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
    def check_valid_email(cls, registrations):
        "The e-mail address of a registration is valid"
        for registration in registrations:
            if not valid_email(registration.email):
                raise ValidationError(gettext(
                        'concertes_events.msg_registration_invalid_email',
                        email=registration.email))

    @classmethod
    def check_duplicate(cls, registrations):
        """A person registers only once for an event

        A change of state alone is left to the claim of the e-mail that
        seating makes (seat.py), except for a cancelled registration set back
        to draft (draft)."""
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
        raise DuplicateError(gettext(
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
                raise SessionError(gettext(
                        'concertes_events.msg_registration_wrong_event',
                        record=registration.ticket.rec_name,
                        event=event.rec_name))
            sessions = sorted(registration.sessions, key=lambda s: s.start)
            for session in sessions:
                if session.event != event:
                    raise SessionError(gettext(
                            'concertes_events.msg_registration_wrong_event',
                            record=session.rec_name,
                            event=event.rec_name))
            for first, second in zip(sessions, sessions[1:]):
                if first.overlaps(second):
                    raise SessionError(gettext(
                            'concertes_events.msg_registration_overlap',
                            first=first.rec_name,
                            second=second.rec_name))

    # Public registration (routes.py) ----------------------------------------

    @classmethod
    def public_values(cls, event, data):
        """Return the values to create a registration of the event from the
        data of the public form or API, and {key of data: message} for
        what is refused"""
        values = {'event': event.id, 'source': 'web'}
        if data.get('website'):
            # the field hidden from people: only robots fill it
            return values, {'website': web_message('error_honeypot')}
        errors = {}
        for key, name in PUBLIC_TEXTS.items():
            value = data.get(key)
            if value is None:
                value = ''
            if not isinstance(value, str):
                errors[key] = web_message('error_type')
            elif not printable(value, multiline=name == 'accessibility'):
                errors[key] = web_message('error_characters')
            elif value.strip():
                values[name] = value.strip()
        values = cls._normalise(values)
        for key, name in PUBLIC_TEXTS.items():
            value = values.get(name, '')
            if key in errors:
                continue
            elif len(value) > MAX_LENGTHS[name]:
                errors[key] = web_message(
                    'error_too_long', limit=MAX_LENGTHS[name])
            elif not value and cls._fields[name].required:
                errors[key] = web_message('error_required')
            elif name in {'first_name', 'last_name'} and (
                    NAME_FORBIDDEN.search(value)):
                errors[key] = web_message('error_name_characters')
            elif name in {'first_name', 'last_name'} and (
                    not has_letter(value)):
                errors[key] = web_message('error_name_letter')
            elif name == 'email' and not valid_email(value):
                errors[key] = web_message('error_email')

        # A JSON body may hold any type where a choice is expected
        for key, choices, default in [
                ('language', dict(LANGUAGES), Transaction().language),
                ('diet', dict(DIETS), None)]:
            value = data.get(key) or default
            if value is not None and (
                    not isinstance(value, str) or value not in choices):
                errors[key] = web_message('error_choice')
            elif value:
                values[key] = value

        tickets = {t.id: t for t in event.tickets if t.public}
        ticket = data.get('ticket')
        if ticket in (None, ''):
            # Without a choice: the only category, else the participants'
            default = [t for t in tickets.values() if len(tickets) == 1
                or t.category == 'participant']
            if default:
                values['ticket'] = default[0].id
            elif tickets:
                errors['ticket'] = web_message('error_required')
        elif int_or_none(ticket) not in tickets:
            errors['ticket'] = web_message('error_unknown_ticket')
        else:
            values['ticket'] = int_or_none(ticket)

        picked = data.get('sessions') or []
        if not isinstance(picked, list):
            picked = [picked]
        picked = {int_or_none(s) for s in picked}
        if not picked <= {s.id for s in event.sessions}:
            errors['sessions'] = web_message('error_unknown_session')
        elif picked:
            # that they overlap is checked once, by check_sessions
            values['sessions'] = [('add', sorted(picked))]

        if data.get('consent') not in (True, 'true', 'on', '1', 'yes'):
            errors['consent'] = web_message('error_consent')
        else:
            values.update(cls.consent_values())
        for key, (name, _label) in cls.public_options().items():
            value = data.get(key)
            if value not in (None, '', False, True, 'true', 'on'):
                errors[key] = web_message('error_choice')
            else:
                values[name] = value in (True, 'true', 'on')
        return values, errors

    @classmethod
    def public_options(cls):
        """The boxes, unticked, that other modules add to the public form
        and API: {key of data: (field name, label)}"""
        return {}

    @classmethod
    def register_public(cls, event_id, data, submission=None):
        """Register someone for the published event from the public form or
        API data; submission is the key of the request (a retry of the same
        request by the same address gets the same registration)

        Return (status, result): 'created' or 'replay' with the
        registration, 'invalid' with {key of data: message}, 'missing',
        'closed', 'full' or 'duplicate'.  Nothing is written unless
        'created'."""
        Event = Pool().get('concertes.event')
        events = Event.search_published(event_id)
        if not events:
            return 'missing', None
        event, = events
        if not event.registration_open:
            return 'closed', None
        values, errors = cls.public_values(event, data)
        if errors:
            return 'invalid', errors
        replayed = cls._replayed(event, values['email'], submission)
        if replayed:
            return 'replay', replayed
        try:
            with undone_on_error():
                registration, = cls.create(
                    [dict(values, web_submission=submission)])
                cls.register([registration])
        except DuplicateError:
            # the same request committed by another worker meanwhile
            replayed = cls._replayed(event, values['email'], submission)
            return ('replay', replayed) if replayed else ('duplicate', None)
        except SessionError as exception:
            return 'invalid', {'sessions': exception.message}
        except RegistrationError:
            return 'full', None
        except ValidationError as exception:
            return 'invalid', {'_': exception.message}
        return 'created', registration

    @classmethod
    def _replayed(cls, event, email, submission):
        """The registration the request of submission made for the address
        (stored in lower case, as email is): never another person's"""
        if not submission:
            return None
        registrations = cls.search([
                ('event', '=', event.id),
                ('web_submission', '=', submission),
                ('email', '=', email.lower()),
                ('state', '!=', 'cancelled'),
                ], limit=1)
        return registrations[0] if registrations else None

    @classmethod
    def search_public(cls, token):
        "The registration of the secret token, on a published event"
        if not isinstance(token, str) or not TOKEN_RE.match(token):
            return None
        registrations = cls.search([
                ('token', '=', token),
                ('event.published', '=', True),
                ], limit=1)
        return registrations[0] if registrations else None

    @property
    def cancellable_public(self):
        "Whether the registrant may still cancel from the public page"
        return self.state in {'draft', 'waiting', 'confirmed'}

    @classmethod
    def cancel_public(cls, token):
        """Cancel the registration of the secret token: return 'missing',
        'cancelled' or 'refused' and the message of the refusal"""
        registration = cls.search_public(token)
        if not registration:
            return 'missing', None
        try:
            cls.cancel([registration])
        except RegistrationError as exception:
            return 'refused', exception.message
        return 'cancelled', None

    @classmethod
    def check_in_door(cls, event_id, code):
        """Check in at the door of the event of event_id the code scanned or
        typed, with the access rights of the user: return 'missing',
        'refused' with the reason, or 'accepted' with the registration"""
        Event = Pool().get('concertes.event')
        events = Event.search([('id', '=', event_id)])
        if not events:
            return 'missing', None
        event, = events
        try:
            with undone_on_error(), Transaction().set_context(
                    _check_access=True):
                return 'accepted', event.check_in_code(code[:100])
        except UserError as exception:
            return 'refused', exception.message

    # Parties ----------------------------------------------------------------

    @classmethod
    def link_parties(cls, registrations):
        """Link the person and the organisation to parties: an existing party
        is found by e-mail (organisation: enterprise number, then name)
        and created only when none is found

        What the public typed (source web) is anonymous: it never links to
        an existing party, new ones are created that the back-office merges
        with the party replace wizard when it knows they are the same."""
        pool = Pool()
        Party = pool.get('party.party')
        ContactMechanism = pool.get('party.contact_mechanism')
        Identifier = pool.get('party.identifier')
        to_save = []
        people, organisations = {}, {}
        for registration in registrations:
            anonymous = registration.source == 'web'
            if not registration.organisation and (
                    registration.organisation_number
                    or registration.organisation_name):
                key = (registration.organisation_number or '',
                    (registration.organisation_name or '').lower())
                organisation = None if anonymous else organisations.get(key)
                if (not organisation and registration.organisation_number
                        and not anonymous):
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
                    parties = [] if anonymous else Party.search([
                            ('name', 'ilike', escape_wildcard(
                                    registration.organisation_name)),
                            ], order=[('id', 'ASC')], limit=1)
                    if parties:
                        organisation, = parties
                    else:
                        organisation = Party(
                            name=registration.organisation_name)
                        organisation.save()
                if organisation and not anonymous:
                    organisations[key] = organisation
                if organisation:
                    registration.organisation = organisation
            if not registration.party:
                party = None if anonymous else people.get(registration.email)
                if not party:
                    mechanisms = [] if anonymous else ContactMechanism.search([
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
                if not anonymous:
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
    @ModelView.button
    def register(cls, registrations):
        """Register: confirmed when there is a seat, otherwise waiting if the
        event keeps a waiting list, otherwise refused"""
        registrations = [r for r in registrations if r.state == 'draft']
        cls._check_event_registrable(registrations)
        seated, unseated = cls.take_seats(registrations)
        for registration in unseated:
            if not registration.event.waiting_list:
                raise RegistrationError(gettext(
                        'concertes_events.msg_event_full',
                        event=registration.event.rec_name))
        cls.confirm(seated)
        cls.wait(unseated)

    @classmethod
    @transition('waiting')
    def wait(cls, registrations):
        "Put on the waiting list"
        if registrations:
            cls.__queue__.follow_up(registrations, 'waiting')

    @classmethod
    @ModelView.button
    @transition('confirmed')
    def confirm(cls, registrations):
        """Confirm drafts and promote waiting registrations: a seat is
        required for everyone (those seated by register keep theirs)"""
        Seat = Pool().get('concertes.event.seat')
        cls._check_event_registrable(registrations)
        held = Seat.holding(registrations)
        seated, unseated = cls.take_seats(
            [r for r in registrations if r.id not in held])
        if unseated:
            raise RegistrationError(gettext(
                    'concertes_events.msg_no_seat_left',
                    registration=unseated[0].rec_name))
        for state, kind in [
                ('draft', 'confirmation'), ('waiting', 'promotion')]:
            records = [r for r in registrations if r.state == state]
            if records:
                cls.__queue__.follow_up(records, kind)

    @classmethod
    @ModelView.button
    @transition('confirmed')
    def promote(cls, registrations):
        "Give a free seat to waiting registrations; refused when none is free"
        cls.confirm(registrations)

    @classmethod
    def promote_waiting(cls, events, exclude=()):
        """Promote the waiting registrations of the events, first come first
        served, as long as seats are free; return those promoted"""
        waiting = cls.search([
                ('event', 'in', [e.id for e in events]),
                ('event.state', 'in', ['draft', 'open', 'closed']),
                ('state', '=', 'waiting'),
                ('id', 'not in', [r.id for r in exclude]),
                ], order=[('id', 'ASC')])
        seated, _ = cls.take_seats(waiting)
        cls.confirm(seated)
        return seated

    @classmethod
    def check_cancel(cls, registrations):
        for registration in registrations:
            if registration.state in {'attended', 'no_show'}:
                raise RegistrationError(gettext(
                        'concertes_events.msg_cancel_past',
                        registration=registration.rec_name))

    @classmethod
    @ModelView.button
    @transition('cancelled', check='check_cancel')
    def cancel(cls, registrations):
        "Cancel and give the freed seats to the first ones waiting"
        Seat = Pool().get('concertes.event.seat')
        freed = {r.event for r in registrations if r.state == 'confirmed'}
        # The seats and the claim of the e-mail are free again
        Seat.release(registrations)
        if registrations:
            cls.__queue__.follow_up(registrations, 'cancellation')
        if freed:
            cls.promote_waiting(list(freed), exclude=registrations)

    @classmethod
    @ModelView.button
    @transition('draft')
    def draft(cls, registrations):
        # Active again: unless the address registered again meanwhile
        cls._check_duplicate(registrations)

    @classmethod
    @transition('no_show')
    def no_show(cls, registrations):
        pass

    @classmethod
    def check_check_in(cls, registrations):
        for registration in registrations:
            cls._check_can_check_in(registration)

    @classmethod
    @ModelView.button
    @transition('attended', check='check_check_in')
    def check_in(cls, registrations):
        "Record that the people came"
        cls.write(registrations, {'checkin_time': dt.datetime.now()})

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
        # the reason before the button's access check refuses without one
        cls.check_check_in([registration])
        cls.check_in([registration])
        return registration

    @classmethod
    def notify(cls, registrations, kind):
        """Tell the registrants by e-mail, each in their language: kind is
        confirmation, waiting, promotion, reminder or cancellation"""
        if registrations:
            notification.send(registrations, kind)

    @classmethod
    def follow_up(cls, registrations, kind):
        """Link the parties left to link and send the e-mail of kind: the
        operations schedule it in the task queue, to run after the commit"""
        cls.link_parties([r for r in registrations if not r.party])
        cls.notify(registrations, kind)

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

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        "A seated registration claims the seats of the sessions it gets"
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        super().on_modification(mode, records, field_names=field_names)
        if mode in {'create', 'write'}:
            Registration.move_seats(list({r.registration for r in records}))

    @classmethod
    def on_delete(cls, records):
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        callback = super().on_delete(records)
        ids = list({r.registration.id for r in records})

        def move_seats():
            Registration.move_seats(Registration.browse(
                    Registration.search([('id', 'in', ids)])))
        return callback + [move_seats]
