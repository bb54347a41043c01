# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The security headers of every answer of the server: the back-office (sao
and its RPC) and the public pages

trytond.conf puts SecurityHeaders in front of trytond's WSGI application
([wsgi middleware]); a route that sets one of these headers itself keeps
its own value."""

# No other site may frame our pages (clickjacking); the type is the one
# declared, never sniffed
SECURITY_HEADERS = [
    ('X-Frame-Options', 'SAMEORIGIN'),
    ('X-Content-Type-Options', 'nosniff'),
    ('Referrer-Policy', 'same-origin'),
    ]
FRAME_ANCESTORS = "frame-ancestors 'self'"


def with_security_headers(headers):
    """The headers (a list of (name, value)) with the security headers that
    they do not set already"""
    headers = list(headers)
    present = {name.lower(): i for i, (name, _) in enumerate(headers)}
    for name, value in SECURITY_HEADERS:
        if name.lower() not in present:
            headers.append((name, value))
    csp = present.get('content-security-policy')
    if csp is None:
        headers.append(('Content-Security-Policy', FRAME_ANCESTORS))
    elif 'frame-ancestors' not in headers[csp][1]:
        name, value = headers[csp]
        headers[csp] = (name, '%s; %s' % (value.rstrip('; '), FRAME_ANCESTORS))
    return headers


class SecurityHeaders:
    "WSGI middleware that adds the security headers to every answer"

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            return start_response(
                status, with_security_headers(headers), exc_info)
        return self.app(environ, start)
