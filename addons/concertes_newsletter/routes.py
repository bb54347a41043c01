# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The public newsletter pages: subscription with double opt-in, the
confirmation link, the unsubscribe page and its one-click POST (RFC 8058)

No login: the routes run as root, parse the request, call one model verb
and render.  A forged subscription only sends a confirmation e-mail (the
double opt-in), so the form needs no CSRF cookie; the one-click POST must
work without one (mail clients post it)."""
import os

from trytond.i18n import gettext
from trytond.modules.concertes_members import public
from trytond.protocols.wrappers import HTTPStatus, with_pool
from trytond.transaction import Transaction
from trytond.wsgi import app

TEMPLATES = public.PublicTemplates(os.path.dirname(__file__))
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
        guarded = public.activated_only(
            'concertes.newsletter.suppression', func)
        return app.route(path, methods=methods)(with_pool(guarded))
    return decorator


def form_page(request, pool, lang, data=None, errors=None,
        status=HTTPStatus.OK):
    def work():
        Configuration = pool.get('concertes.newsletter.configuration')
        List = pool.get('marketing.email.list')
        return render(request, pool, lang, 'newsletter.html',
            lists=List.search_public(), data=data or {},
            errors=errors or {},
            version=Configuration(1).consent_version,
            consent=gettext('concertes_newsletter.msg_consent_text'))
    return html_response(run(pool, lang, work, readonly=True), status)


def form_values(request):
    "The submitted form as the dict Subscription.request_public reads"
    form = request.form
    data = {name: form.get(name)
        for name in ['email', 'name', 'language', 'consent']}
    data['lists'] = form.getlist('lists')
    return data


def unsubscribe_form(request, pool, lang, token):
    "The page of the token with its button, or None when it is unknown"
    record = pool.get('marketing.email').from_token(token)
    return record and render(request, pool, lang, 'unsubscribe.html',
        record=record, token=token)


@newsletter_route('/<database_name>/newsletter', ['GET'])
def newsletter(request, pool):
    "The subscription form"
    lang = public.language_of(request)
    return form_page(request, pool, lang, data={'language': lang})


@newsletter_route('/<database_name>/newsletter', ['POST'])
def subscribe(request, pool):
    "The subscription form sent: e-mail the confirmation link"
    lang = public.language_of(request)
    Subscription = pool.get('marketing.email')
    errors = run(pool, lang,
        lambda: Subscription.request_public(form_values(request)))
    if errors:
        return form_page(request, pool, lang, data=request.form.to_dict(),
            errors=errors, status=HTTPStatus.BAD_REQUEST)
    return message_page(request, pool, lang, 'requested', HTTPStatus.OK)


@newsletter_route('/<database_name>/newsletter/confirm/<token>', ['GET'])
def confirm(request, pool, token):
    "The link of the confirmation e-mail subscribes"
    lang = public.language_of(request)
    status = run(pool, lang,
        lambda: pool.get('marketing.email').confirm(token))
    return message_page(request, pool, lang, 'confirm_' + status,
        CONFIRM_STATUS[status])


@newsletter_route('/<database_name>/newsletter/unsubscribe/<token>', ['GET'])
def unsubscribe_page(request, pool, token):
    "The unsubscribe link of an e-mail shows the button"
    lang = public.language_of(request)
    body = run(pool, lang,
        lambda: unsubscribe_form(request, pool, lang, token), readonly=True)
    if body is None:
        return message_page(request, pool, lang, 'unsubscribe_unknown',
            HTTPStatus.NOT_FOUND)
    return html_response(body)


@newsletter_route(
    '/<database_name>/newsletter/unsubscribe/<token>', ['POST'])
def unsubscribe(request, pool, token):
    """The button or the one-click of the mail client (RFC 8058)
    unsubscribes, without login"""
    lang = public.language_of(request)
    status = run(pool, lang,
        lambda: pool.get('marketing.email').unsubscribe_token(token))
    if status == 'unknown':
        return message_page(request, pool, lang, 'unsubscribe_unknown',
            HTTPStatus.NOT_FOUND)
    return message_page(request, pool, lang, 'unsubscribed', HTTPStatus.OK)
