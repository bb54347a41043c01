# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The check-in page of the events team at the door, on a phone

The team member is the back-office user: the session cookie that sao's
login sets on /<database>/ (trytond 8.0's /session/login), or else HTTP basic
authentication with the user's login and password.  The page scans the QR
code with the camera (jsQR, served from the web root) or takes the code
typed, and asks Event.check_in_code, which refuses codes of another event
and check-ins outside the event's days."""
import datetime as dt
import functools
import json
import logging
import os
import secrets
from http import HTTPStatus

from genshi.core import Markup

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.modules.concertes_members.public import PublicTemplates
from trytond.protocols.wrappers import Response, with_pool, with_transaction
from trytond.transaction import Transaction
from trytond.wsgi import app

from .notification import TIMEZONE, _aware

logger = logging.getLogger(__name__)
HERE = os.path.dirname(__file__)
TEMPLATES = PublicTemplates(HERE, 'public.css')
with open(os.path.join(HERE, 'static', 'checkin.js')) as fp:
    SCRIPT = Markup(fp.read())


def _(key, **variables):
    return gettext('concertes_events.msg_door_' + key, **variables)


def logged(func):
    "trytond answers an unexpected error of a route with a 400 and no trace"
    @functools.wraps(func)
    def wrapper(request, *args, **kwargs):
        try:
            return func(request, *args, **kwargs)
        except Exception:
            logger.exception("error on %s", request.path)
            raise
    return wrapper


def _json(data, status=HTTPStatus.OK):
    response = Response(
        json.dumps(data), status, content_type='application/json')
    response.headers['Cache-Control'] = 'no-store'
    return response


def _team_member(pool):
    "Whether the user may check people in (write on registrations)"
    ModelAccess = pool.get('ir.model.access')
    with Transaction().set_context(_check_access=True):
        return ModelAccess.check(
            'concertes.event.registration', 'write', raise_exception=False)


def _language(pool):
    User = pool.get('res.user')
    user = User(Transaction().user)
    return user.language.code if user.language else 'fr'


def events_of_the_day(pool, date=None):
    "The events taking place today in Brussels"
    Event = pool.get('concertes.event')
    if date is None:
        date = dt.datetime.now(TIMEZONE).date()
    # a day wide on each side in UTC, then the Brussels days
    start = dt.datetime.combine(date, dt.time()) - dt.timedelta(days=1)
    end = start + dt.timedelta(days=3)
    events = Event.search([
            ('state', 'in', ['open', 'closed']),
            ('start', '<', end),
            ('end', '>=', start),
            ], order=[('start', 'ASC'), ('id', 'ASC')])
    return [e for e in events
        if e.local_days()[0] <= date <= e.local_days()[1]]


def _checked_in(pool, event):
    Registration = pool.get('concertes.event.registration')
    return Registration.search([
            ('event', '=', event.id), ('state', '=', 'attended'),
            ], count=True)


@app.route('/<database_name>/events/checkin', methods=['GET'])
@app.auth_required
@with_pool
@with_transaction(user='request')
@logged
def checkin_page(request, pool):
    "The page of the door: the event of the day, the camera, the code"
    Event = pool.get('concertes.event')
    with Transaction().set_context(language=_language(pool)):
        if not _team_member(pool):
            return Response(_('forbidden'), HTTPStatus.FORBIDDEN)
        events = events_of_the_day(pool)
        event = None
        try:
            event_id = int(request.args.get('event', 0))
        except ValueError:
            event_id = 0
        if event_id:
            event = Event(event_id) if Event.search(
                [('id', '=', event_id)]) else None
        elif len(events) == 1:
            event, = events
        nonce = secrets.token_urlsafe(16)
        body = TEMPLATES.loader.load('checkin.html').generate(
            _=_, style=TEMPLATES.style, script=SCRIPT, nonce=nonce,
            events=events, event=event,
            checked_in=_checked_in(pool, event) if event else 0,
            lang=Transaction().language,
            database=pool.database_name).render(
                'html', doctype='html5', encoding='utf-8')
    response = Response(body, content_type='text/html; charset=utf-8')
    response.headers['Content-Security-Policy'] = (
        "default-src 'none'; script-src 'self' 'nonce-%s'; "
        "connect-src 'self'; style-src 'unsafe-inline'; "
        "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
        "form-action 'self'; frame-ancestors 'none'" % nonce)
    response.headers['Permissions-Policy'] = 'camera=(self)'
    response.headers['X-Content-Type-Options'] = 'nosniff'
    response.headers['Cache-Control'] = 'no-store'
    return response


@app.route('/<database_name>/events/checkin', methods=['POST'])
@app.auth_required
@with_pool
@with_transaction(user='request')
@logged
def checkin_code(request, pool):
    """Check in the code {"event": id, "code": "..."} (JSON): 200 with the
    person, 422 with the reason of a refusal"""
    Event = pool.get('concertes.event')
    with Transaction().set_context(language=_language(pool)):
        if not _team_member(pool):
            return _json({'result': 'refused', 'message': _('forbidden')},
                HTTPStatus.FORBIDDEN)
        if 'json' not in (request.content_type or ''):
            return _json({'result': 'refused', 'message': 'application/json'},
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        try:
            data = json.loads(request.get_data(as_text=True))
            event_id = int(data['event'])
            code = data['code']
            if not isinstance(code, str) or not 0 < event_id < 2 ** 31:
                raise ValueError
        except (ValueError, TypeError, KeyError, RecursionError):
            return _json({'result': 'refused', 'message': _('bad_request')},
                HTTPStatus.BAD_REQUEST)
        if not Event.search([('id', '=', event_id)]):
            return _json({'result': 'refused', 'message': _('no_event')},
                HTTPStatus.NOT_FOUND)
        event = Event(event_id)
        try:
            with Transaction().set_context(_check_access=True):
                registration = event.check_in_code(code[:100])
        except (UserError, AccessError) as exception:
            Transaction().rollback()
            return _json({
                    'result': 'refused',
                    'message': exception.message,
                    }, HTTPStatus.UNPROCESSABLE_ENTITY)
        return _json({
                'result': 'accepted',
                'message': _('welcome', name=registration.name),
                'name': registration.name,
                'organisation': registration.organisation_name or '',
                'category': (
                    registration.ticket.rec_name
                    if registration.ticket else ''),
                'sessions': [
                    '%s %s' % (_aware(s.start).strftime('%H:%M'), s.name)
                    for s in sorted(
                        registration.sessions, key=lambda s: s.start)],
                'checked_in': _checked_in(pool, event),
                })
