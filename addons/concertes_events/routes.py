# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Public registration on the web: HTML pages and a JSON API

No login: the routes run as root on the published events only.  Each route
parses the request, calls one operation of the models (which hold every
rule: Registration.register_public, cancel_public, search_public) and
renders the answer.  See docs/public-api.md.
"""
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from functools import wraps

from genshi.core import Markup
from werkzeug.exceptions import HTTPException

from trytond import backend
from trytond.i18n import gettext, ngettext
from trytond.modules.concertes_members.common import TIMEZONE
from trytond.modules.concertes_members.public import (
    PublicTemplates, activated_only, html_response, json_response, language_of)
from trytond.pool import Pool
from trytond.protocols.wrappers import (
    HTTPStatus, Response, redirect, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

from .notification import registration_ics
from .qr import qr_code
from .web import rate_limit

logger = logging.getLogger(__name__)

TEMPLATES = PublicTemplates(os.path.dirname(__file__), 'public.css')

CSRF_COOKIE = 'concertes_form'
SUBMISSION_RE = re.compile(r'^[A-Za-z0-9_-]{8,64}$')
SECURITY_HEADERS = {
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    # same-origin: the token never leaves the site, and the cancel form
    # still gets an Origin header (no-referrer makes it 'null': 403)
    'Referrer-Policy': 'same-origin',
    # the answers carry tokens and personal data: never kept by a cache
    'Cache-Control': 'no-store',
    }


# The secret token in the paths of the registrant's links
TOKEN_IN_PATH = re.compile(
    r'(/events/(?:api/registrations|registration)/)[^/?#\s"]+')


def mask_tokens(value):
    if isinstance(value, str):
        return TOKEN_IN_PATH.sub(r'\1***', value)
    return value


class TokenFilter(logging.Filter):
    """Mask the tokens of the request lines that the access logs of the
    servers write (werkzeug's of trytond, gunicorn's): who reads the logs
    must not be able to cancel a registration"""

    def filter(self, record):
        record.msg = mask_tokens(record.msg)
        if isinstance(record.args, dict):
            # gunicorn's atoms, a dict of its own kind: changed in place
            for key, value in record.args.items():
                record.args[key] = mask_tokens(value)
        elif isinstance(record.args, tuple):
            record.args = tuple(mask_tokens(a) for a in record.args)
        return True


for _logger in ['werkzeug', 'gunicorn.access']:
    logging.getLogger(_logger).addFilter(TokenFilter())


def _(name, **variables):
    if 'count' in variables:
        # gettext's plural rules of the language: 1 place, 2 places
        return ngettext(
            'concertes_events.msg_web_' + name, variables['count'],
            **variables)
    return gettext('concertes_events.msg_web_' + name, **variables)


def public_route(path, methods=('GET',), rate_limited=False):
    """A public route of an activated database, run by trytond in a
    transaction as root in the language of the request"""
    def decorator(func):
        @wraps(func)
        def in_language(request, pool, *args, **kwargs):
            with Transaction().set_context(language=language_of(request)):
                if rate_limited and not within_rate(request, pool):
                    return rate_refusal(request)
                return func(request, pool, *args, **kwargs)

        @wraps(func)
        def guarded(request, pool, *args, **kwargs):
            try:
                response = transactional(request, pool, *args, **kwargs)
            except backend.DatabaseOperationalError:
                logger.warning("busy", exc_info=True)
                response = json_response(
                    {'error': 'busy'}, HTTPStatus.SERVICE_UNAVAILABLE,
                    headers={'Retry-After': '1'})
            except HTTPException:
                raise
            except Exception:
                # trytond would answer a 400 "Unable to get RPC method" for
                # a route that is not an RPC: say what it is
                logger.exception("error on %s", mask_tokens(request.path))
                response = json_response(
                    {'error': 'internal'}, HTTPStatus.INTERNAL_SERVER_ERROR)
            response.headers.update(SECURITY_HEADERS)
            return response
        transactional = with_transaction(user=0)(in_language)
        return app.route(path, methods=list(methods))(with_pool(
                activated_only('concertes.event.seat', guarded)))
    return decorator


def within_rate(request, pool):
    "Record the request of the address; False beyond the limit a minute"
    limit = rate_limit()
    return limit <= 0 or pool.get('concertes.event.web.hit').hit(
        request.remote_addr or '', limit)


def rate_refusal(request):
    "The 429 answer of the API or of the form"
    if '/events/api/' in request.path:
        return json_response({'error': 'rate_limited'},
            HTTPStatus.TOO_MANY_REQUESTS, headers={'Retry-After': '60'})
    response = message_page(request, 'rate_title', 'rate_text',
        HTTPStatus.TOO_MANY_REQUESTS)
    response.headers['Retry-After'] = '60'
    return response


def local(value):
    "A naive UTC datetime of Tryton in Brussels time"
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc).astimezone(TIMEZONE)


def iso(value):
    value = local(value)
    return value.isoformat() if value else None


def when(start, end):
    start, end = local(start), local(end)
    if start.date() == end.date():
        return '%s, %s – %s' % (
            start.strftime('%d/%m/%Y'), start.strftime('%H:%M'),
            end.strftime('%H:%M'))
    return '%s – %s' % (
        start.strftime('%d/%m/%Y %H:%M'), end.strftime('%d/%m/%Y %H:%M'))


def public_tickets(event):
    return [t for t in event.tickets if t.public]


def event_json(event):
    return {
        'id': event.id,
        'name': event.name,
        'start': iso(event.start),
        'end': iso(event.end),
        'venue': (event.venue.full_address.replace('\n', ', ')
            if event.venue else None),
        'registration_open': event.registration_open,
        'waiting_list': bool(event.waiting_list),
        'seats_left': event.seats_left,
        'sessions': [{
                'id': s.id,
                'name': s.name,
                'start': iso(s.start),
                'end': iso(s.end),
                'seats_left': s.seats_left,
                } for s in event.sessions],
        'tickets': [{
                'id': t.id,
                'name': t.name,
                'seats_left': t.seats_left,
                } for t in public_tickets(event)],
        }


def json_body(request):
    """The JSON object of the request body and None, or None and the answer
    that refuses it: JSON only as application/json, which a page of another
    site cannot post without asking first"""
    if request.mimetype != 'application/json':
        return None, json_response(
            {'error': 'content_type', 'message': 'application/json'},
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    try:
        data = json.loads(request.get_data(as_text=True))
    except (ValueError, RecursionError):
        # not JSON, or nested deeper than the parser goes
        data = None
    if not isinstance(data, dict):
        return None, json_response({'errors': {'_': _('error_json')}},
            HTTPStatus.UNPROCESSABLE_ENTITY)
    return data, None


def idempotency_key(request):
    key = request.headers.get('Idempotency-Key') or None
    if key and not SUBMISSION_RE.match(key):
        key = hashlib.sha256(key.encode()).hexdigest()[:40]
    return key


def registration_url(request, database_name, token):
    return '%s%s/events/registration/%s' % (
        request.host_url, database_name, token)


# JSON API --------------------------------------------------------------------

API_ERRORS = {
    'missing': ({'error': 'not_found'}, HTTPStatus.NOT_FOUND),
    'closed': ({'error': 'registration_closed'}, HTTPStatus.GONE),
    'full': ({'error': 'event_full'}, HTTPStatus.GONE),
    # says nothing of the registration the address may hold
    'duplicate': ({'error': 'already_registered'}, HTTPStatus.CONFLICT),
    }


@public_route('/<database_name>/events/api/events')
def api_events(request, pool):
    "The published events with their sessions and categories"
    Event = pool.get('concertes.event')
    return json_response([event_json(e) for e in Event.search_published()])


@public_route(
    '/<database_name>/events/api/events/<int:event_id>/registrations',
    ['POST'], rate_limited=True)
def api_register(request, pool, event_id):
    "Register someone for an event"
    Registration = pool.get('concertes.event.registration')
    data, refusal = json_body(request)
    if refusal:
        return refusal
    status, result = Registration.register_public(
        event_id, data, idempotency_key(request))
    if status == 'invalid':
        return json_response(
            {'errors': result}, HTTPStatus.UNPROCESSABLE_ENTITY)
    if status in API_ERRORS:
        return json_response(*API_ERRORS[status])
    return json_response({
            'token': result.token,
            'status': result.state,
            'url': registration_url(
                request, pool.database_name, result.token),
            }, HTTPStatus.CREATED)


@public_route(
    '/<database_name>/events/api/registrations/<token>/cancel', ['POST'])
def api_cancel(request, pool, token):
    "Cancel a registration by its secret token"
    Registration = pool.get('concertes.event.registration')
    status, message = Registration.cancel_public(token)
    if status == 'missing':
        return json_response({'error': 'not_found'}, HTTPStatus.NOT_FOUND)
    if status == 'refused':
        return json_response(
            {'error': 'not_cancellable', 'message': message},
            HTTPStatus.CONFLICT)
    return json_response({'status': 'cancelled'})


# HTML pages ------------------------------------------------------------------

def csrf_secret(request):
    "The secret of the browser's form cookie, new when there is none"
    secret = request.cookies.get(CSRF_COOKIE, '')
    if not re.match(r'^[A-Za-z0-9_-]{32,64}$', secret):
        secret = None
    return secret


def csrf_token(secret, purpose):
    return hmac.new(
        secret.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def csrf_valid(request, purpose):
    secret = csrf_secret(request)
    token = request.form.get('csrf_token', '')
    return bool(secret) and hmac.compare_digest(
        csrf_token(secret, purpose), token)


def set_csrf_cookie(response, request, database_name, secret):
    if request.cookies.get(CSRF_COOKIE) != secret:
        response.set_cookie(
            CSRF_COOKIE, secret, path='/%s/events' % database_name,
            httponly=True, samesite='Lax', secure=request.is_secure)


def render(name, request, lang, **values):
    query = {k: v for k, v in request.args.items() if k != 'lang'}

    def lang_url(code):
        args = dict(query, lang=code)
        return request.path + '?' + '&'.join(
            '%s=%s' % (k, v) for k, v in sorted(args.items()))
    values.setdefault('errors', {})
    return TEMPLATES.render(name,
        home='/%s/events?lang=%s' % (values['database'], lang),
        footer=_('footer'), _=_, lang=lang, lang_url=lang_url, when=when,
        local=local, **values)


def page(request, name, status=HTTPStatus.OK, secret=None, **values):
    "The HTML page of the template name, with the form cookie of secret"
    pool = Pool()
    body = render(name, request, Transaction().language,
        database=pool.database_name, **values)
    response = html_response(body, status)
    if secret:
        set_csrf_cookie(response, request, pool.database_name, secret)
    return response


def message_page(request, title, text, status):
    return page(request, 'message.html', status,
        title_key=title, text_key=text)


def registration_not_found(request):
    return message_page(request, 'not_found_title',
        'registration_not_found', HTTPStatus.NOT_FOUND)


def by_token(func):
    """A registrant's page: func(request, pool, registration) for the
    registration of the secret token, not found when there is none"""
    @wraps(func)
    def page_of_registration(request, pool, token):
        Registration = pool.get('concertes.event.registration')
        registration = Registration.search_public(token)
        if not registration:
            return registration_not_found(request)
        return func(request, pool, registration)
    return page_of_registration


def registration_redirect(token):
    "To the registrant's page of token, in the language of the request"
    return redirect('/%s/events/registration/%s?lang=%s' % (
            Pool().database_name, token, Transaction().language),
        HTTPStatus.SEE_OTHER)


def form_values(request):
    "The submitted form as the dict validate() reads"
    form = request.form
    data = {name: form.get(name, '') for name in [
            'first_name', 'last_name', 'email', 'organisation', 'function',
            'language', 'ticket', 'diet', 'accessibility', 'website']}
    data['sessions'] = form.getlist('sessions')
    data['consent'] = form.get('consent')
    for key in Pool().get('concertes.event.registration').public_options():
        data[key] = form.get(key)
    return data


def event_form(request, event_id, data=None, errors=None,
        status=HTTPStatus.OK, notice=None):
    "The page of the event with its registration form"
    pool = Pool()
    Event = pool.get('concertes.event')
    Registration = pool.get('concertes.event.registration')
    events = Event.search_published(event_id)
    if not events:
        return message_page(request, 'not_found_title', 'not_found_text',
            HTTPStatus.NOT_FOUND)
    event, = events
    secret = csrf_secret(request) or secrets.token_urlsafe(32)
    submission = secrets.token_urlsafe(16)
    errors = errors or {}
    return page(request, 'event.html', status, secret=secret,
        event=event, tickets=public_tickets(event), diets=[(k, v)
            for k, v in Registration.fields_get(['diet'])[
                'diet']['selection'] if k],
        data=data or {'language': Transaction().language}, errors=errors,
        notice=notice, submission=submission,
        described=lambda name, hint=False: ' '.join(filter(None, [
                    'hint-' + name if hint else None,
                    'err-' + name if name in errors else None,
                    ])) or None,
        csrf=csrf_token(secret, '%s:%s' % (event.id, submission)),
        privacy_notice=Registration.privacy_notice(),
        options=Registration.public_options())


@public_route('/<database_name>/events')
def events_page(request, pool):
    "The published events open for registration with seats left"
    Event = pool.get('concertes.event')
    return page(request, 'events.html', events=[
            e for e in Event.search_published() if e.takes_registrations])


@public_route('/<database_name>/events/<int:event_id>')
def event_page(request, pool, event_id):
    "An event, its sessions and the registration form"
    return event_form(request, event_id)


FORM_ERRORS = {
    'missing': ('not_found_text', HTTPStatus.NOT_FOUND),
    'closed': ('closed_text', HTTPStatus.GONE),
    'full': ('full_text', HTTPStatus.GONE),
    }


@public_route('/<database_name>/events/<int:event_id>', ['POST'],
    rate_limited=True)
def event_register(request, pool, event_id):
    "Register from the form of the event's page"
    Registration = pool.get('concertes.event.registration')
    data, submission = form_values(request), request.form.get('submission')
    if not SUBMISSION_RE.match(submission or '') or not csrf_valid(
            request, '%s:%s' % (event_id, submission)):
        return event_form(request, event_id, data,
            status=HTTPStatus.FORBIDDEN, notice='error_csrf')
    status, result = Registration.register_public(event_id, data, submission)
    if status in {'created', 'replay'}:
        return registration_redirect(result.token)
    if status in {'invalid', 'duplicate'}:
        return event_form(request, event_id, data, result or {
                'email': _('error_duplicate')}, HTTPStatus.CONFLICT
            if status == 'duplicate' else HTTPStatus.UNPROCESSABLE_ENTITY)
    notice, code = FORM_ERRORS[status]
    return event_form(request, event_id, data, status=code, notice=notice)


@public_route('/<database_name>/events/registration/<token>')
@by_token
def registration_page(request, pool, registration):
    "The registrant's page: status, sessions, calendar, QR code, cancel"
    qr = qr_code(registration.checkin_code)
    return page(request, 'registration.html',
        registration=registration, event=registration.event,
        qr=Markup(qr.svg_inline(scale=4, omitsize=True, title=_('qr_title'))),
        state=registration.state_string)


def cancel_confirmation(request, token):
    """The page that asks the registrant to confirm the cancellation: a
    form of its own, so that nothing is cancelled by a single click"""
    Registration = Pool().get('concertes.event.registration')
    registration = Registration.search_public(token)
    if not registration:
        return registration_not_found(request)
    if not registration.cancellable_public:
        return registration_redirect(token)
    secret = csrf_secret(request) or secrets.token_urlsafe(32)
    return page(request, 'cancel.html', secret=secret,
        registration=registration, event=registration.event,
        csrf=csrf_token(secret, 'cancel:%s' % token))


@public_route('/<database_name>/events/registration/<token>/cancel')
def registration_cancel_page(request, pool, token):
    "Ask to confirm the cancellation"
    return cancel_confirmation(request, token)


@public_route(
    '/<database_name>/events/registration/<token>/cancel', ['POST'])
def registration_cancel(request, pool, token):
    "Cancel from the registrant's page (a form with its CSRF token)"
    Registration = pool.get('concertes.event.registration')
    if not csrf_valid(request, 'cancel:%s' % token):
        return message_page(
            request, 'csrf_title', 'error_csrf', HTTPStatus.FORBIDDEN)
    if request.form.get('confirm') != 'yes':
        return cancel_confirmation(request, token)
    status, _message = Registration.cancel_public(token)
    if status == 'missing':
        return registration_not_found(request)
    if status == 'refused':
        return message_page(request, 'cancel_refused_title',
            'cancel_refused_text', HTTPStatus.CONFLICT)
    return registration_redirect(token)


@public_route('/<database_name>/events/registration/<token>/ics')
@by_token
def registration_ics_file(request, pool, registration):
    "The registration's sessions as an iCalendar file"
    return Response(registration_ics(registration), HTTPStatus.OK, headers={
            'Content-Disposition': 'attachment; filename="evenement.ics"',
            }, content_type='text/calendar; charset=utf-8')
