# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Public registration on the web: HTML pages and a JSON API

No login: the routes run as root on the published events only.  Every write
goes through Registration.register (the back-office operation), so the web
and the back-office share the rules, the seats and the e-mails.  See
docs/public-api.md.
"""
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import random
import re
import secrets
import time
from zoneinfo import ZoneInfo

from genshi.core import Markup
from genshi.template import TemplateLoader
from werkzeug.exceptions import HTTPException

from trytond import backend
from trytond.exceptions import UserError
from trytond.i18n import gettext, ngettext
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.protocols.wrappers import (
    HTTPStatus, Response, redirect, with_pool)
from trytond.transaction import Transaction, TransactionError
from trytond.worker import run_task
from trytond.wsgi import app

from .event import ACTIVE_STATES
from .exceptions import RegistrationError
from .notification import registration_ics
from .qr import qr_code
from .registration import DIETS, valid_email
from .web import rate_limit

logger = logging.getLogger(__name__)

LANGUAGES = ['fr', 'nl', 'en']
TIMEZONE = ZoneInfo('Europe/Brussels')
HERE = os.path.dirname(__file__)
loader = TemplateLoader(
    os.path.join(HERE, 'templates'), auto_reload=False,
    default_class=None)
with open(os.path.join(HERE, 'static', 'public.css')) as fp:
    STYLE = Markup(fp.read())

CSRF_COOKIE = 'concertes_form'
TOKEN_RE = re.compile(r'^[A-Za-z0-9_-]{16,64}$')
SUBMISSION_RE = re.compile(r'^[A-Za-z0-9_-]{8,64}$')
# Characters refused in names: markup and control characters
NAME_FORBIDDEN = re.compile(r'[<>{}\\\x00-\x1f\x7f]')
LIMITS = {
    'first_name': 100,
    'last_name': 100,
    'email': 254,
    'organisation': 200,
    'function': 200,
    'accessibility': 2000,
    }
MAX_ATTEMPTS = 20


def _(name, **variables):
    if 'count' in variables:
        # gettext's plural rules of the language: 1 place, 2 places
        return ngettext(
            'concertes_events.msg_web_' + name, variables['count'],
            **variables)
    return gettext('concertes_events.msg_web_' + name, **variables)


class Rollback(Exception):
    "Undo the transaction and answer with the response"

    def __init__(self, response):
        super().__init__()
        self.response = response


def run(pool, func, readonly=False, language='fr'):
    """Run func in a transaction as root in the language

    Conflicts of the database (deadlock, serialization) restart the
    transaction after a random pause instead of failing: contention never
    becomes a 5xx.  Rollback(response) undoes the work and answers."""
    extras = {}
    context = {
        'language': language,
        'registration_source': 'web',
        # Parties and e-mails go through the task queue (web.py)
        'concertes_deferred': True,
        }
    attempt = 0
    while True:
        with Transaction().start(
                pool.database_name, 0, readonly=readonly,
                context=context, **extras) as transaction:
            try:
                result = func()
            except TransactionError as exception:
                transaction.rollback()
                exception.fix(extras)
                continue
            except Rollback as rollback:
                transaction.rollback()
                return rollback.response
            except backend.DatabaseOperationalError:
                transaction.rollback()
                attempt += 1
                if attempt >= MAX_ATTEMPTS or readonly:
                    raise
                logger.debug("retry %s", attempt)
                time.sleep(random.uniform(0, 0.01 * min(attempt, 10)))
                continue
            transaction.commit()
        # Without a queue worker, the tasks run now, after the commit
        while transaction.tasks:
            run_task(pool, transaction.tasks.pop())
        return result


def public_route(path, methods):
    "A public route of an activated database"
    def decorator(func):
        def wrapper(request, pool, *args, **kwargs):
            try:
                pool.get('concertes.event.seat')
            except KeyError:
                # A database without this module
                return Response('Not Found', HTTPStatus.NOT_FOUND)
            try:
                return func(request, pool, *args, **kwargs)
            except backend.DatabaseOperationalError:
                logger.warning("busy", exc_info=True)
                return json_response(
                    {'error': 'busy'}, HTTPStatus.SERVICE_UNAVAILABLE,
                    headers={'Retry-After': '1'})
            except HTTPException:
                raise
            except Exception:
                # trytond would answer a 400 "Unable to get RPC method" for
                # a route that is not an RPC: say what it is
                logger.exception("error on %s", request.path)
                return json_response(
                    {'error': 'internal'}, HTTPStatus.INTERNAL_SERVER_ERROR)
        wrapper.__name__ = func.__name__
        wrapper.__doc__ = func.__doc__
        return app.route(path, methods=methods)(with_pool(wrapper))
    return decorator


def json_response(data, status=HTTPStatus.OK, headers=None):
    return Response(
        json.dumps(data, ensure_ascii=False), status,
        headers=headers, content_type='application/json; charset=utf-8')


def html_response(body, status=HTTPStatus.OK):
    response = Response(
        body, status, content_type='text/html; charset=utf-8')
    response.headers['Content-Security-Policy'] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "form-action 'self'; frame-ancestors *")
    response.headers['X-Content-Type-Options'] = 'nosniff'
    response.headers['Cache-Control'] = 'no-store'
    return response


def language_of(request):
    "The page language: ?lang=, else the browser's first known, else French"
    lang = request.args.get('lang')
    if lang in LANGUAGES:
        return lang
    for value, _quality in request.accept_languages:
        value = value.lower().split('-')[0]
        if value in LANGUAGES:
            return value
    return 'fr'


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


def client_address(request):
    return request.remote_addr or ''


def check_rate(request, pool):
    "None when within the limit, else the 429 response"
    limit = rate_limit()
    if limit <= 0:
        return None

    def hit():
        RateHit = pool.get('concertes.event.web.hit')
        return RateHit.hit(client_address(request), limit)
    if run(pool, hit):
        return None
    return True


# Reading the published world -------------------------------------------------

def published_events(pool, event_id=None):
    "The published events the public may see (not drafts, not past)"
    Event = pool.get('concertes.event')
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
    return Event.search(domain, order=[('start', 'ASC'), ('id', 'ASC')])


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


# Validation ------------------------------------------------------------------

def _text(data, name):
    value = data.get(name)
    if value is None:
        return ''
    if not isinstance(value, str):
        raise TypeError
    return ' '.join(value.split()) if name != 'accessibility' \
        else value.strip()


def validate(event, data, lang):
    """Return (values for Registration.create, {field: message})

    data is a dict from the JSON body or the form; nothing is written."""
    errors = {}
    values = {'event': event.id, 'language': lang}
    texts = {}
    for name, limit in LIMITS.items():
        try:
            texts[name] = _text(data, name)
        except TypeError:
            errors[name] = _('error_type')
            continue
        if len(texts[name]) > limit:
            errors[name] = _('error_too_long', limit=limit)
    for name in ['first_name', 'last_name']:
        if name in errors:
            continue
        if not texts[name]:
            errors[name] = _('error_required')
        elif NAME_FORBIDDEN.search(texts[name]):
            errors[name] = _('error_name_characters')
    if 'email' not in errors:
        email = texts['email'].lower()
        if not email:
            errors['email'] = _('error_required')
        elif not valid_email(email):
            errors['email'] = _('error_email')
        values['email'] = email
    if 'first_name' not in errors:
        values['first_name'] = texts['first_name']
    if 'last_name' not in errors:
        values['last_name'] = texts['last_name']
    for name, field in [('organisation', 'organisation_name'),
            ('function', 'function'), ('accessibility', 'accessibility')]:
        if name not in errors and texts.get(name):
            values[field] = texts[name]

    # A JSON body may hold any type where a choice is expected
    language = data.get('language') or lang
    if not isinstance(language, str) or language not in {
            'fr', 'nl', 'en', 'de'}:
        errors['language'] = _('error_choice')
    else:
        values['language'] = language

    diet = data.get('diet') or None
    if diet is not None and (
            not isinstance(diet, str) or diet not in dict(DIETS)):
        errors['diet'] = _('error_choice')
    elif diet:
        values['diet'] = diet

    tickets = {t.id: t for t in public_tickets(event)}
    ticket = data.get('ticket')
    if ticket in (None, ''):
        # Without a choice: the only category, else the participants'
        default = [t for t in tickets.values() if len(tickets) == 1
            or t.category == 'participant']
        if default:
            values['ticket'] = default[0].id
        elif tickets:
            errors['ticket'] = _('error_required')
    else:
        try:
            ticket = int(ticket)
        except (TypeError, ValueError, OverflowError):
            ticket = None
        if ticket not in tickets:
            errors['ticket'] = _('error_unknown_ticket')
        else:
            values['ticket'] = ticket

    sessions = {s.id: s for s in event.sessions}
    picked = data.get('sessions') or []
    if not isinstance(picked, list):
        picked = [picked]
    try:
        picked = sorted({int(s) for s in picked})
    except (TypeError, ValueError, OverflowError):
        picked = None
    if picked is None or any(s not in sessions for s in picked):
        errors['sessions'] = _('error_unknown_session')
    else:
        chosen = sorted((sessions[s] for s in picked), key=lambda s: s.start)
        for first, second in zip(chosen, chosen[1:]):
            if first.overlaps(second):
                errors['sessions'] = _(
                    'error_overlap', first=first.name, second=second.name)
                break
        else:
            if picked:
                values['sessions'] = [('add', picked)]

    if data.get('consent') not in (True, 'true', 'on', '1', 'yes'):
        errors['consent'] = _('error_consent')
    else:
        # the date and the version of the privacy text (docs/access.md)
        values.update(Pool().get(
                'concertes.event.registration').consent_values())
    return values, errors


# Registering -----------------------------------------------------------------

def register(pool, event_id, data, lang, submission=None):
    """Register through Registration.register, in the running transaction

    Return (status, payload): 'created' with the registration, 'invalid'
    with the errors, 'missing', 'closed' or 'full' with the event.  The
    ValidationError of an e-mail already registered goes up to
    register_in_transaction, which tells a retry from a duplicate."""
    Registration = pool.get('concertes.event.registration')
    events = published_events(pool, event_id)
    if not events:
        return 'missing', None
    event, = events
    if not event.registration_open:
        return 'closed', event
    values, errors = validate(event, data, lang)
    if errors:
        return 'invalid', errors
    # An active registration of the e-mail (a retry, a duplicate) makes the
    # creation fail: register_in_transaction then reads which it is
    values['web_submission'] = submission
    registration, = Registration.create([values])
    try:
        Registration.register([registration])
    except RegistrationError:
        return 'full', event
    return 'created', registration


def register_in_transaction(pool, event_id, data, lang, submission):
    "register() in its own transaction, undone unless a registration is made"
    def work():
        try:
            status, payload = register(
                pool, event_id, data, lang, submission)
        except ValidationError as exception:
            # The e-mail holds an active registration: made before, or by a
            # simultaneous request whose claim of the address won
            raise Rollback(('conflict', {'email': str(exception)}))
        except UserError as exception:
            raise Rollback(('invalid', {'_': str(exception)}))
        if status != 'created':
            raise Rollback((status, _payload(status, payload)))
        return status, _payload(status, payload)
    status, payload = run(pool, work, language=lang)
    if status == 'conflict':
        # Which registration holds the e-mail?  Read it, write nothing.
        def lookup():
            Registration = pool.get('concertes.event.registration')
            existing = Registration.search([
                    ('event', '=', event_id),
                    ('email', '=', str(data.get('email')).strip().lower()),
                    ('state', 'in', list(ACTIVE_STATES)),
                    ], limit=1)
            if not existing:
                return 'invalid', payload
            registration, = existing
            if submission and registration.web_submission == submission:
                return 'replay', _payload('replay', registration)
            return 'duplicate', _payload('duplicate', registration)
        status, payload = run(pool, lookup, readonly=True, language=lang)
    return status, payload


def _payload(status, payload):
    "Plain values that outlive the transaction"
    if status in {'created', 'replay', 'duplicate'}:
        return {
            'id': payload.id,
            'token': payload.token,
            'state': payload.state,
            }
    if status == 'invalid':
        return payload
    return None


# JSON API --------------------------------------------------------------------

def registration_url(request, database_name, token):
    return '%s%s/events/registration/%s' % (
        request.host_url, database_name, token)


@public_route('/<database_name>/events/api/events', ['GET'])
def api_events(request, pool):
    "The published events with their sessions and categories"
    lang = language_of(request)

    def read():
        return [event_json(e) for e in published_events(pool)]
    return json_response(run(pool, read, readonly=True, language=lang))


@public_route(
    '/<database_name>/events/api/events/<int:event_id>/registrations',
    ['POST'])
def api_register(request, pool, event_id):
    "Register someone for an event"
    lang = language_of(request)
    if check_rate(request, pool):
        return json_response(
            {'error': 'rate_limited'}, HTTPStatus.TOO_MANY_REQUESTS,
            headers={'Retry-After': '60'})
    if 'json' not in (request.content_type or ''):
        return json_response(
            {'error': 'content_type', 'message': 'application/json'},
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    try:
        data = json.loads(request.get_data(as_text=True))
    except (ValueError, RecursionError):
        # not JSON, or nested deeper than the parser goes
        data = None
    if not isinstance(data, dict):
        return json_response(
            {'errors': {'_': run(pool, lambda: _('error_json'),
                        readonly=True, language=lang)}},
            HTTPStatus.UNPROCESSABLE_ENTITY)
    if data.get('website'):
        return json_response(
            {'errors': {'website': run(pool, lambda: _('error_honeypot'),
                        readonly=True, language=lang)}},
            HTTPStatus.UNPROCESSABLE_ENTITY)
    submission = request.headers.get('Idempotency-Key') or None
    if submission and not SUBMISSION_RE.match(submission):
        submission = hashlib.sha256(submission.encode()).hexdigest()[:40]
    status, payload = register_in_transaction(
        pool, event_id, data, lang, submission)
    if status in {'created', 'replay'}:
        return json_response({
                'token': payload['token'],
                'status': payload['state'],
                'url': registration_url(
                    request, pool.database_name, payload['token']),
                }, HTTPStatus.CREATED)
    if status == 'invalid':
        return json_response(
            {'errors': payload}, HTTPStatus.UNPROCESSABLE_ENTITY)
    if status == 'missing':
        return json_response({'error': 'not_found'}, HTTPStatus.NOT_FOUND)
    if status == 'closed':
        return json_response(
            {'error': 'registration_closed'}, HTTPStatus.GONE)
    if status == 'full':
        return json_response({'error': 'event_full'}, HTTPStatus.GONE)
    return json_response(
        {'error': 'already_registered', 'status': payload['state']},
        HTTPStatus.CONFLICT)


def _cancel(pool, token):
    "Cancel the registration of the token; (status, state)"
    Registration = pool.get('concertes.event.registration')
    registrations = Registration.search([
            ('token', '=', token),
            ('event.published', '=', True),
            ], limit=1)
    if not registrations:
        return 'missing', None
    registration, = registrations
    if registration.state == 'cancelled':
        return 'cancelled', 'cancelled'
    try:
        Registration.cancel([registration])
    except UserError as exception:
        raise Rollback(('refused', str(exception)))
    return 'cancelled', 'cancelled'


@public_route(
    '/<database_name>/events/api/registrations/<token>/cancel', ['POST'])
def api_cancel(request, pool, token):
    "Cancel a registration by its secret token"
    lang = language_of(request)
    if not TOKEN_RE.match(token):
        return json_response({'error': 'not_found'}, HTTPStatus.NOT_FOUND)
    status, state = run(pool, lambda: _cancel(pool, token), language=lang)
    if status == 'missing':
        return json_response({'error': 'not_found'}, HTTPStatus.NOT_FOUND)
    if status == 'refused':
        return json_response(
            {'error': 'not_cancellable', 'message': state},
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
    template = loader.load(name)
    query = {k: v for k, v in request.args.items() if k != 'lang'}

    def lang_url(code):
        args = dict(query, lang=code)
        return request.path + '?' + '&'.join(
            '%s=%s' % (k, v) for k, v in sorted(args.items()))
    values.setdefault('errors', {})
    stream = template.generate(
        _=_, lang=lang, languages=LANGUAGES, lang_url=lang_url,
        style=STYLE, when=when, local=local, **values)
    return stream.render('html', doctype='html5', encoding='utf-8')


def page(request, pool, lang, name, status=HTTPStatus.OK, secret=None,
        **values):
    body = run(pool, lambda: render(name, request, lang, **values),
        readonly=True, language=lang)
    response = html_response(body, status)
    if secret:
        set_csrf_cookie(response, request, pool.database_name, secret)
    return response


def message_page(request, pool, lang, title, text, status):
    return page(request, pool, lang, 'message.html', status,
        title_key=title, text_key=text, database=pool.database_name)


@public_route('/<database_name>/events', ['GET'])
def events_page(request, pool):
    "The published events open for registration with seats left"
    lang = language_of(request)

    def work():
        events = [e for e in published_events(pool)
            if e.takes_registrations]
        return render('events.html', request, lang, events=events,
            database=pool.database_name)
    return html_response(run(pool, work, readonly=True, language=lang))


def form_values(request):
    "The submitted form as the dict validate() reads"
    form = request.form
    data = {name: form.get(name, '') for name in [
            'first_name', 'last_name', 'email', 'organisation', 'function',
            'language', 'ticket', 'diet', 'accessibility', 'website']}
    data['sessions'] = form.getlist('sessions')
    data['consent'] = form.get('consent')
    return data


def event_page_response(request, pool, lang, event_id, data=None,
        errors=None, status=HTTPStatus.OK, notice=None):
    secret = csrf_secret(request) or secrets.token_urlsafe(32)
    submission = secrets.token_urlsafe(16)

    def work():
        events = published_events(pool, event_id)
        if not events:
            return None
        event, = events
        return render('event.html', request, lang, event=event,
            tickets=public_tickets(event), diets=diet_choices(pool),
            data=data or {'language': lang}, errors=errors or {},
            notice=notice, submission=submission,
            described=lambda name, hint=False: ' '.join(filter(None, [
                        'hint-' + name if hint else None,
                        'err-' + name if name in (errors or {}) else None,
                        ])) or None,
            csrf=csrf_token(secret, '%s:%s' % (event.id, submission)),
            privacy_notice=pool.get(
                'concertes.event.registration').privacy_notice(),
            database=pool.database_name)
    body = run(pool, work, readonly=True, language=lang)
    if body is None:
        return message_page(request, pool, lang, 'not_found_title',
            'not_found_text', HTTPStatus.NOT_FOUND)
    response = html_response(body, status)
    set_csrf_cookie(response, request, pool.database_name, secret)
    return response


def diet_choices(pool):
    Registration = pool.get('concertes.event.registration')
    return [(k, v) for k, v in Registration.fields_get(['diet'])[
            'diet']['selection'] if k]


@public_route('/<database_name>/events/<int:event_id>', ['GET', 'POST'])
def event_page(request, pool, event_id):
    "An event, its sessions and the registration form"
    lang = language_of(request)
    if request.method == 'GET':
        return event_page_response(request, pool, lang, event_id)
    if check_rate(request, pool):
        return message_page(request, pool, lang, 'rate_title', 'rate_text',
            HTTPStatus.TOO_MANY_REQUESTS)
    data = form_values(request)
    submission = request.form.get('submission', '')
    if not SUBMISSION_RE.match(submission) or not csrf_valid(
            request, '%s:%s' % (event_id, submission)):
        return event_page_response(request, pool, lang, event_id, data,
            status=HTTPStatus.FORBIDDEN, notice='error_csrf')
    if data.get('website'):
        return event_page_response(request, pool, lang, event_id, data,
            {'website': run(pool, lambda: _('error_honeypot'),
                    readonly=True, language=lang)},
            status=HTTPStatus.UNPROCESSABLE_ENTITY)
    status, payload = register_in_transaction(
        pool, event_id, data, lang, submission)
    if status in {'created', 'replay'}:
        return redirect('/%s/events/registration/%s?lang=%s' % (
                pool.database_name, payload['token'], lang),
            HTTPStatus.SEE_OTHER)
    if status == 'invalid':
        return event_page_response(request, pool, lang, event_id, data,
            payload, status=HTTPStatus.UNPROCESSABLE_ENTITY)
    if status == 'duplicate':
        return event_page_response(request, pool, lang, event_id, data,
            {'email': run(pool, lambda: _('error_duplicate'),
                    readonly=True, language=lang)},
            status=HTTPStatus.CONFLICT)
    if status == 'missing':
        return message_page(request, pool, lang, 'not_found_title',
            'not_found_text', HTTPStatus.NOT_FOUND)
    return event_page_response(request, pool, lang, event_id, data,
        status=HTTPStatus.GONE,
        notice='closed_text' if status == 'closed' else 'full_text')


def _registration(pool, token):
    Registration = pool.get('concertes.event.registration')
    if not TOKEN_RE.match(token):
        return None
    registrations = Registration.search([
            ('token', '=', token),
            ('event.published', '=', True),
            ], limit=1)
    return registrations[0] if registrations else None


@public_route('/<database_name>/events/registration/<token>', ['GET'])
def registration_page(request, pool, token):
    "The registrant's page: status, sessions, calendar, QR code, cancel"
    lang = language_of(request)
    secret = csrf_secret(request) or secrets.token_urlsafe(32)

    def work():
        registration = _registration(pool, token)
        if not registration:
            return None
        qr = qr_code(registration.checkin_code)
        return render('registration.html', request, lang,
            registration=registration, event=registration.event,
            qr=Markup(qr.svg_inline(
                scale=4, omitsize=True, title=_('qr_title'))),
            csrf=csrf_token(secret, 'cancel:%s' % token),
            cancellable=registration.state in {
                'draft', 'waiting', 'confirmed'},
            state=registration.state_string,
            database=pool.database_name)
    body = run(pool, work, readonly=True, language=lang)
    if body is None:
        return message_page(request, pool, lang, 'not_found_title',
            'registration_not_found', HTTPStatus.NOT_FOUND)
    response = html_response(body)
    # same-origin: the token never leaves the site, and the cancel form
    # still gets an Origin header (no-referrer makes it 'null': 403)
    response.headers['Referrer-Policy'] = 'same-origin'
    set_csrf_cookie(response, request, pool.database_name, secret)
    return response


@public_route(
    '/<database_name>/events/registration/<token>/cancel', ['POST'])
def registration_cancel(request, pool, token):
    "Cancel from the registrant's page (a form with its CSRF token)"
    lang = language_of(request)
    if not csrf_valid(request, 'cancel:%s' % token):
        return message_page(request, pool, lang, 'csrf_title',
            'error_csrf', HTTPStatus.FORBIDDEN)
    status, message = run(pool, lambda: _cancel(pool, token),
        language=lang)
    if status == 'missing':
        return message_page(request, pool, lang, 'not_found_title',
            'registration_not_found', HTTPStatus.NOT_FOUND)
    if status == 'refused':
        return message_page(request, pool, lang, 'cancel_refused_title',
            'cancel_refused_text', HTTPStatus.CONFLICT)
    return redirect('/%s/events/registration/%s?lang=%s' % (
            pool.database_name, token, lang), HTTPStatus.SEE_OTHER)


@public_route('/<database_name>/events/registration/<token>/ics', ['GET'])
def registration_ics_file(request, pool, token):
    "The registration's sessions as an iCalendar file"
    lang = language_of(request)

    def work():
        registration = _registration(pool, token)
        return registration_ics(registration) if registration else None
    ics = run(pool, work, readonly=True, language=lang)
    if ics is None:
        return message_page(request, pool, lang, 'not_found_title',
            'registration_not_found', HTTPStatus.NOT_FOUND)
    return Response(ics, HTTPStatus.OK, headers={
            'Content-Disposition': 'attachment; filename="evenement.ics"',
            }, content_type='text/calendar; charset=utf-8')
