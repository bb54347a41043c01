# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The public directory of the social-economy enterprises: pages and JSON

No login: the routes read as root, in a read-only transaction, the
enterprises marked public (Party.directory_domain) and only what
Party.directory_data gives.  Same conventions as the event pages of
concertes_events (language, security headers, no JavaScript).  See
docs/public-api.md.
"""
import logging
import os
import urllib.parse
from functools import wraps

from trytond.exceptions import UserError
from trytond.i18n import gettext, ngettext
from trytond.modules.concertes_members.public import (
    PublicTemplates, activated_only, html_response, json_response, language_of)
from trytond.protocols.wrappers import HTTPStatus, with_pool
from trytond.transaction import Transaction
from trytond.wsgi import app

logger = logging.getLogger(__name__)

TEMPLATES = PublicTemplates(os.path.dirname(__file__), 'public.css')


def _(name, **variables):
    return gettext('concertes_directory.msg_dirweb_' + name, **variables)


def plural(name, count):
    return ngettext(
        'concertes_directory.msg_dirweb_' + name, count, count=count)


def day(value):
    "An ISO date of directory_data as the page shows it"
    return '/'.join(reversed(value.split('-'))) if value else '–'


class NotFound(Exception):
    pass


def directory_route(path):
    "A public GET route of a database where the module is activated"
    def decorator(func):
        @wraps(func)
        def wrapper(request, pool, *args, **kwargs):
            lang = language_of(request)
            with Transaction().start(pool.database_name, 0, readonly=True,
                    context={'language': lang}):
                try:
                    return func(request, pool, lang, *args, **kwargs)
                except NotFound:
                    return not_found(request, pool, lang)
                except UserError as exception:
                    return bad_request(request, pool, lang, exception)
        return app.route(path, methods=['GET'])(with_pool(
                activated_only('concertes.accreditation', wrapper)))
    return decorator


def is_api(request):
    return '/directory/api/' in request.path


def api_response(data, status=HTTPStatus.OK):
    "A JSON answer that the pages of any site may read"
    return json_response(data, status,
        headers={'Access-Control-Allow-Origin': '*'})


def render(name, request, pool, lang, status=HTTPStatus.OK, **values):
    query = {k: v for k, v in request.args.items() if k != 'lang'}

    def url(path='', keep=False, **args):
        "A link of the directory in the language, with the search if keep"
        args = {k: v for k, v in dict(query if keep else {}, **args).items()
            if v}
        args['lang'] = lang
        return '/%s/directory%s?%s' % (pool.database_name, path,
            urllib.parse.urlencode(sorted(args.items())))
    values.setdefault('error', None)
    return html_response(TEMPLATES.render(name, home=url(),
            footer=_('footer'), _=_, plural=plural, day=day, lang=lang,
            lang_url=lambda code: request.path + '?' + urllib.parse.urlencode(
                sorted(dict(query, lang=code).items())),
            url=url, database=pool.database_name, **values), status)


def search_form(pool):
    "The choices of the search form"
    Party = pool.get('party.party')
    Type = pool.get('concertes.accreditation.type')
    selections = Party.fields_get(['regions', 'sector_families'])
    return {
        'types': Type.search([]),
        'sectors': selections['sector_families']['selection'],
        'regions': selections['regions']['selection'],
        }


def not_found(request, pool, lang):
    if is_api(request):
        return api_response({'error': 'not_found'}, HTTPStatus.NOT_FOUND)
    return render('directory_message.html', request, pool, lang,
        HTTPStatus.NOT_FOUND, title=_('not_found_title'),
        text=_('not_found_text'))


def bad_request(request, pool, lang, exception):
    if is_api(request):
        return api_response({'error': 'bad_request',
                'message': exception.message}, HTTPStatus.BAD_REQUEST)
    return render('directory.html', request, pool, lang,
        HTTPStatus.BAD_REQUEST, error=exception.message,
        criteria=request.args.to_dict(),
        count=None, parties=[], **search_form(pool))


# HTML pages -----------------------------------------------------------------

def found(request, pool):
    """The criteria of the request's parameters, the count of the public
    enterprises found and the data of those of the page"""
    Party = pool.get('party.party')
    criteria = Party.directory_criteria(request.args)
    count, parties = Party.directory_search(criteria)
    return criteria, count, [p.directory_data(full=False) for p in parties]


def enterprise_data(pool, party_id):
    "The data of the public enterprise of the id; NotFound when none"
    party = pool.get('party.party').directory_get(party_id)
    if not party:
        raise NotFound
    return party.directory_data()


@directory_route('/<database_name>/directory')
def directory_page(request, pool, lang):
    "The search form and the enterprises found"
    criteria, count, parties = found(request, pool)
    return render('directory.html', request, pool, lang, criteria=criteria,
        count=count, parties=parties, **search_form(pool))


@directory_route('/<database_name>/directory/<int:party_id>')
def enterprise_page(request, pool, lang, party_id):
    "The page of an enterprise of the directory"
    return render('enterprise.html', request, pool, lang,
        party=enterprise_data(pool, party_id))


# JSON API -------------------------------------------------------------------

@directory_route('/<database_name>/directory/api/enterprises')
def api_enterprises(request, pool, lang):
    "The public enterprises found, a page of 20"
    criteria, count, parties = found(request, pool)
    return api_response({'count': count, 'page': criteria['page'],
            'enterprises': parties})


@directory_route('/<database_name>/directory/api/enterprises/<int:party_id>')
def api_enterprise(request, pool, lang, party_id):
    "An enterprise of the directory"
    return api_response(enterprise_data(pool, party_id))


@directory_route('/<database_name>/directory/api/accreditation-types')
def api_accreditation_types(request, pool, lang):
    "The accreditation types, the values of the accreditation criterion"
    return api_response([{'code': t.code, 'name': t.name,
                'region': t.region}
            for t in pool.get('concertes.accreditation.type').search([])])
