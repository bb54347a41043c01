# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The public newsletter pages: subscription with double opt-in, the
confirmation link, the unsubscribe page and its one-click POST (RFC 8058)

No login: the routes run as root, parse the request, call one model verb
and render.  A forged subscription only sends a confirmation e-mail (the
double opt-in), so the form needs no CSRF cookie; the one-click POST must
work without one (mail clients post it)."""
import os
import re

from trytond.i18n import gettext
from trytond.modules.concertes_members import public
from trytond.modules.concertes_members.common import PUBLIC_LANGUAGES
from trytond.protocols.wrappers import HTTPStatus, Response, with_pool
from trytond.transaction import Transaction
from trytond.wsgi import app

from .subscription import EmailNotValidError, normalise_address

TEMPLATES = public.PublicTemplates(os.path.dirname(__file__))
TOKEN_RE = re.compile(r'^[A-Za-z0-9_-]{16,128}$')
CONFIRM_STATUS = {
    'confirmed': HTTPStatus.OK,
    'used': HTTPStatus.CONFLICT,
    'expired': HTTPStatus.GONE,
    'unknown': HTTPStatus.NOT_FOUND,
    }


def _(name, **variables):
    return gettext('concertes_newsletter.msg_web_' + name, **variables)


def run(pool, lang, func, readonly=False):
    "Run func as root in a transaction in the language; commit unless read"
    with Transaction().start(pool.database_name, 0, readonly=readonly,
            context={'language': lang}) as transaction:
        result = func()
        if not readonly:
            transaction.commit()
    return result


def html_response(body, status=HTTPStatus.OK):
    # the pages carry the tokens of the links: never kept by a cache
    return public.html_response(body, status,
        headers={'Cache-Control': 'no-store'})


def render(request, pool, lang, name, **values):
    def lang_url(code):
        return '%s?lang=%s' % (request.path, code)
    values.setdefault('errors', {})
    values.setdefault('data', {})
    return TEMPLATES.render(name,
        home='/%s/newsletter?lang=%s' % (pool.database_name, lang),
        _=_, lang=lang, lang_url=lang_url, database=pool.database_name,
        **values)


def page(request, pool, lang, name, status=HTTPStatus.OK, **values):
    return html_response(run(pool, lang,
            lambda: render(request, pool, lang, name, **values),
            readonly=True), status)


def message_page(request, pool, lang, key, status):
    return page(request, pool, lang, 'message.html', status,
        title_key=key + '_title', text_key=key + '_text')


def newsletter_route(path, methods):
    "A public route of a database where the module is activated"
    def decorator(func):
        def wrapper(request, pool, *args, **kwargs):
            try:
                pool.get('concertes.newsletter.suppression')
            except KeyError:
                return Response('Not Found', HTTPStatus.NOT_FOUND)
            return func(request, pool, *args, **kwargs)
        wrapper.__name__ = func.__name__
        wrapper.__doc__ = func.__doc__
        return app.route(path, methods=methods)(with_pool(wrapper))
    return decorator


def public_lists(pool):
    List = pool.get('marketing.email.list')
    return List.search([
            ('kind', '=', 'subscribers'),
            ('public', '=', True),
            ], order=[('name', 'ASC'), ('id', 'ASC')])


def form_page(request, pool, lang, data=None, errors=None,
        status=HTTPStatus.OK):
    def work():
        Configuration = pool.get('concertes.newsletter.configuration')
        return render(request, pool, lang, 'newsletter.html',
            lists=public_lists(pool), data=data or {}, errors=errors or {},
            version=Configuration(1).consent_version,
            consent=gettext('concertes_newsletter.msg_consent_text'))
    return html_response(run(pool, lang, work, readonly=True), status)


def validate(form, lists):
    "({address, name, language, lists}, {field: message}) of the form"
    errors = {}
    values = {}
    try:
        values['address'] = normalise_address(form.get('email', '')[:254])
    except EmailNotValidError:
        errors['email'] = _('error_email')
    values['name'] = ' '.join(form.get('name', '').split())[:200] or None
    language = form.get('language') or 'fr'
    if language not in PUBLIC_LANGUAGES:
        errors['language'] = _('error_choice')
    values['language'] = language
    by_id = {str(l.id): l for l in lists}
    chosen = form.getlist('lists')
    if not chosen or any(c not in by_id for c in chosen):
        errors['lists'] = _('error_lists')
    values['lists'] = [by_id[c] for c in chosen if c in by_id]
    if form.get('consent') not in ('on', '1', 'true', 'yes'):
        errors['consent'] = _('error_consent')
    return values, errors


@newsletter_route('/<database_name>/newsletter', ['GET', 'POST'])
def newsletter(request, pool):
    "The subscription form; the POST e-mails the confirmation link"
    lang = public.language_of(request)
    if request.method == 'GET':
        return form_page(request, pool, lang, data={'language': lang})
    form = request.form

    def work():
        Subscription = pool.get('marketing.email')
        values, errors = validate(form, public_lists(pool))
        if not errors:
            Subscription.request(
                values['address'], values['lists'], name=values['name'],
                language=values['language'], source='web')
        return errors
    errors = run(pool, lang, work)
    if errors:
        return form_page(request, pool, lang, data=form.to_dict(),
            errors=errors, status=HTTPStatus.BAD_REQUEST)
    return message_page(request, pool, lang, 'requested', HTTPStatus.OK)


@newsletter_route('/<database_name>/newsletter/confirm/<token>', ['GET'])
def confirm(request, pool, token):
    "The link of the confirmation e-mail subscribes"
    lang = public.language_of(request)
    if not TOKEN_RE.match(token):
        status = 'unknown'
    else:
        status = run(pool, lang,
            lambda: pool.get('marketing.email').confirm(token))
    return message_page(request, pool, lang, 'confirm_' + status,
        CONFIRM_STATUS[status])


@newsletter_route(
    '/<database_name>/newsletter/unsubscribe/<token>', ['GET', 'POST'])
def unsubscribe(request, pool, token):
    """GET shows the button; POST (the button or the one-click of the mail
    client) unsubscribes, without login"""
    lang = public.language_of(request)
    Subscription = pool.get('marketing.email')
    if not TOKEN_RE.match(token):
        return message_page(request, pool, lang, 'unsubscribe_unknown',
            HTTPStatus.NOT_FOUND)
    if request.method == 'GET':
        def work():
            record = Subscription.from_token(token)
            if record is None:
                return None
            return render(request, pool, lang, 'unsubscribe.html',
                record=record, token=token)
        body = run(pool, lang, work, readonly=True)
        if body is None:
            return message_page(request, pool, lang, 'unsubscribe_unknown',
                HTTPStatus.NOT_FOUND)
        return html_response(body)
    status = run(pool, lang, lambda: Subscription.unsubscribe_token(token))
    if status == 'unknown':
        return message_page(request, pool, lang, 'unsubscribe_unknown',
            HTTPStatus.NOT_FOUND)
    return message_page(request, pool, lang, 'unsubscribed', HTTPStatus.OK)
