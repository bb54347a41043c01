# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The check-in page of the events team at the door, on a phone

The team member is the back-office user: the session cookie that sao's
login sets on /<database>/ (trytond 8.0's /session/login), or else HTTP basic
authentication with the user's login and password.  The page scans the QR
code with the camera (jsQR, served from the web root) or takes the code
typed, and asks Registration.check_in_door, which refuses codes of another
event and check-ins outside the event's days."""
import functools
import json
import logging
import os
import secrets
from http import HTTPStatus

from genshi.core import Markup

from trytond.i18n import gettext
from trytond.modules.concertes_members.public import PublicTemplates
from trytond.protocols.wrappers import Response, with_pool, with_transaction
from trytond.transaction import Transaction
from trytond.wsgi import app

from .notification import _aware

logger = logging.getLogger(__name__)
HERE = os.path.dirname(__file__)
TEMPLATES = PublicTemplates(HERE, 'public.css')
with open(os.path.join(HERE, 'static', 'checkin.js')) as fp:
    SCRIPT = Markup(fp.read())
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' 'nonce-%s'; "
    "connect-src 'self'; style-src 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
    "form-action 'self'; frame-ancestors 'none'")
PAGE_HEADERS = {
    'Permissions-Policy': 'camera=(self)',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    }


def _(key, **variables):
    return gettext('concertes_events.msg_door_' + key, **variables)


def _json(data, status=HTTPStatus.OK):
    response = Response(
        json.dumps(data), status, content_type='application/json')
    response.headers['Cache-Control'] = 'no-store'
    return response


def refused(message, status):
    "The JSON answer of a refusal and its reason"
    return _json({'result': 'refused', 'message': message}, status)


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


def door_route(methods, refuse):
    """A route of the door run as the back-office user, in their language,
    when they may check people in; refuse(message, status) answers the
    others"""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(request, pool, *args, **kwargs):
            # trytond answers an unexpected error of a route with a 400
            # and no trace
            try:
                with Transaction().set_context(language=_language(pool)):
                    if not _team_member(pool):
                        return refuse(_('forbidden'), HTTPStatus.FORBIDDEN)
                    return func(request, pool, *args, **kwargs)
            except Exception:
                logger.exception("error on %s", request.path)
                raise
        return app.route('/<database_name>/events/checkin', methods=methods)(
            app.auth_required(with_pool(
                    with_transaction(user='request')(wrapper))))
    return decorator


def chosen_event(request):
    """The id of the event chosen in the query string: None when none, 0 when
    it is not the number of an event"""
    value = request.args.get('event', '')
    if not value:
        return None
    try:
        event_id = int(value)
    except ValueError:
        return 0
    return event_id if 0 < event_id < 2 ** 31 else 0


def code_request(request):
    """The (event id, code) of the JSON request and None, or None and the
    answer that refuses it"""
    if 'json' not in (request.content_type or ''):
        return None, refused(
            'application/json', HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    try:
        data = json.loads(request.get_data(as_text=True))
        event_id, code = int(data['event']), data['code']
        if not isinstance(code, str) or not 0 < event_id < 2 ** 31:
            raise ValueError
    except (ValueError, TypeError, KeyError, RecursionError):
        return None, refused(_('bad_request'), HTTPStatus.BAD_REQUEST)
    return (event_id, code), None


def door_page(pool, events, event, refusal=None, status=HTTPStatus.OK):
    """The page of the door with the event chosen among those of the day, or
    the refusal of the event asked for"""
    nonce = secrets.token_urlsafe(16)
    body = TEMPLATES.loader.load('checkin.html').generate(
        _=_, style=TEMPLATES.style, script=SCRIPT, nonce=nonce,
        events=events, event=event, refusal=refusal,
        checked_in=event.count_checked_in() if event else 0,
        lang=Transaction().language,
        database=pool.database_name).render(
            'html', doctype='html5', encoding='utf-8')
    response = Response(
        body, status, content_type='text/html; charset=utf-8')
    response.headers.update(PAGE_HEADERS)
    response.headers['Content-Security-Policy'] = (
        CONTENT_SECURITY_POLICY % nonce)
    return response


def welcome(registration):
    "The answer of a check-in: who came, in which category, to which sessions"
    return {
        'result': 'accepted',
        'message': _('welcome', name=registration.name),
        'name': registration.name,
        'organisation': registration.organisation_name or '',
        'category': (
            registration.ticket.rec_name if registration.ticket else ''),
        'sessions': [
            '%s %s' % (_aware(s.start).strftime('%H:%M'), s.name)
            for s in sorted(registration.sessions, key=lambda s: s.start)],
        'checked_in': registration.event.count_checked_in(),
        }


@door_route(['GET'], Response)
def checkin_page(request, pool):
    """The page of the door: the event of the day, the camera, the code; an
    event asked for that is not open for check-in today is refused on the
    page of the events of the day, 404 when there is no such event, 422
    when it is not one of the day"""
    Event = pool.get('concertes.event')
    event_id = chosen_event(request)
    events, event = Event.door(event_id)
    if event_id is None or event:
        return door_page(pool, events, event)
    asked = Event.search([('id', '=', event_id)]) if event_id else []
    if not asked:
        return door_page(
            pool, events, None, _('no_event'), HTTPStatus.NOT_FOUND)
    return door_page(pool, events, None,
        _('not_today', event=asked[0].rec_name),
        HTTPStatus.UNPROCESSABLE_ENTITY)


@door_route(['POST'], refused)
def checkin_code(request, pool):
    """Check in the code {"event": id, "code": "..."} (JSON): 200 with the
    person, 422 with the reason of a refusal"""
    Registration = pool.get('concertes.event.registration')
    parsed, refusal = code_request(request)
    if refusal:
        return refusal
    status, result = Registration.check_in_door(*parsed)
    if status == 'missing':
        return refused(_('no_event'), HTTPStatus.NOT_FOUND)
    if status == 'refused':
        return refused(result, HTTPStatus.UNPROCESSABLE_ENTITY)
    return _json(welcome(result))
