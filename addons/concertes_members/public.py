# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""What every public page of a ConcertES module shares: the language, the
security headers, the JSON answer, the layout with its style and the 404 on
a database where the module is not activated"""
import json
import os
from functools import wraps

from genshi.core import Markup
from genshi.template import TemplateLoader

from trytond.protocols.wrappers import HTTPStatus, Response

from .common import PUBLIC_LANGUAGES

HERE = os.path.dirname(__file__)
FORM_TYPES = {'application/x-www-form-urlencoded', 'multipart/form-data'}
# No script, no resource from elsewhere, no framing by another site
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; frame-ancestors 'none'")


def language_of(request):
    """The page language: ?lang= or the lang of a posted form, else the
    browser's first known, else French"""
    lang = request.args.get('lang')
    if not lang and request.mimetype in FORM_TYPES:
        lang = request.form.get('lang')
    if lang in PUBLIC_LANGUAGES:
        return lang
    for value, _quality in request.accept_languages:
        value = value.lower().split('-')[0]
        if value in PUBLIC_LANGUAGES:
            return value
    return 'fr'


def html_response(body, status=HTTPStatus.OK, headers=None):
    "An HTML page with the security headers, and headers over them"
    response = Response(body, status, content_type='text/html; charset=utf-8')
    response.headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY
    response.headers['X-Frame-Options'] = 'DENY'
    response.headers['X-Content-Type-Options'] = 'nosniff'
    response.headers['Referrer-Policy'] = 'no-referrer'
    response.headers.update(headers or {})
    return response


def json_response(data, status=HTTPStatus.OK, headers=None):
    response = Response(json.dumps(data, ensure_ascii=False), status,
        content_type='application/json; charset=utf-8')
    response.headers['X-Content-Type-Options'] = 'nosniff'
    response.headers.update(headers or {})
    return response


def read_style(*paths):
    style = ''
    for path in paths:
        with open(path) as fp:
            style += fp.read()
    return Markup(style)


class PublicTemplates:
    """The templates of a module's public pages: its own templates/ first,
    then the layout.html of this module; the style is the base public.css
    followed by the module's own rules (static/<css>)"""

    def __init__(self, module_dir, css=None):
        self.loader = TemplateLoader([
                os.path.join(module_dir, 'templates'),
                os.path.join(HERE, 'templates'),
                ], auto_reload=False, default_class=None)
        paths = [os.path.join(HERE, 'static', 'public.css')]
        if css:
            paths.append(os.path.join(module_dir, 'static', css))
        self.style = read_style(*paths)

    def render(self, name, home, footer=None, **values):
        """The HTML of the template name; home is the link of the site title,
        footer the text at the bottom of the layout"""
        return self.loader.load(name).generate(
            style=self.style, languages=PUBLIC_LANGUAGES, home=home,
            footer=footer, **values).render(
            'html', doctype='html5', encoding='utf-8')


def activated_only(model_name, func):
    """The route function func, that answers 404 on a database where the
    module of model_name is not activated"""
    @wraps(func)
    def guarded(request, pool, *args, **kwargs):
        try:
            pool.get(model_name)
        except KeyError:
            return Response('Not Found', HTTPStatus.NOT_FOUND)
        return func(request, pool, *args, **kwargs)
    return guarded
