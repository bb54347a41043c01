# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Hardening of the public event routes: thousands of malformed requests

Hypothesis builds requests that are all invalid in at least one way (no
valid e-mail, or not a JSON object, or an unknown event or token, or a
path trick) with wrong types, huge bodies, broken JSON, odd encodings and
scripts in every field, and sends them to a real server (gunicorn).  The
server must never answer 5xx, never create a record, and never echo a
script unescaped in HTML.  Bounded in time (FUZZ_SECONDS, 100 by default);
the number of inputs tried is printed."""
import datetime as dt
import http.client
import json
import os
import sys
import time
import unittest
import urllib.parse

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tools.server import TrytondServer, unique
from trytond.protocols.jsonrpc import JSONEncoder

SECONDS = float(os.environ.get('FUZZ_SECONDS', 100))
EXAMPLES = int(os.environ.get('FUZZ_EXAMPLES', 20000))
BATCH = 50
SCRIPT = '<script>alert("fuzz")</script>'
SCRIPTS = [
    SCRIPT, '"><script>alert("fuzz")</script>',
    "'><img src=x onerror=alert(1)>", '<svg onload=alert(1)>',
    'javascript:alert(1)', '</textarea><script>alert("fuzz")</script>']
# the markers that must never come back as HTML
MARKERS = ['<script>alert("fuzz")', '<img src=x onerror', '<svg onload']

FIELDS = ['first_name', 'last_name', 'email', 'organisation', 'function',
    'language', 'ticket', 'sessions', 'diet', 'accessibility', 'consent',
    'phone', 'website', 'csrf_token', 'lang']

odd_text = st.one_of(
    st.sampled_from(SCRIPTS),
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec='utf-8'), max_size=30),
    st.sampled_from([
            '', ' ', '\x00', '\u202e', '\ufeff', '%00', '../../etc/passwd',
            '😀' * 10, 'A' * 10000, '1e309', 'NaN', '-1', '0', 'null',
            'Robert\'); DROP TABLE concertes_event_registration;--']))
json_value = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(),
        odd_text),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=10)
# an e-mail that can never be valid: no "@"
bad_email = st.one_of(
    st.text(max_size=40).filter(lambda s: '@' not in s),
    st.sampled_from(SCRIPTS), st.integers(), st.none(),
    st.lists(st.text(max_size=5), max_size=2))


@st.composite
def registration_object(draw):
    "A JSON object with a bad e-mail and anything in the other fields"
    values = {}
    for name in draw(st.lists(st.sampled_from(FIELDS), unique=True)):
        values[name] = draw(json_value)
    values['email'] = draw(bad_email)
    if draw(st.booleans()):
        values.update({
                'first_name': draw(odd_text), 'last_name': draw(odd_text),
                'consent': draw(st.sampled_from([True, 'true', 1, 'on']))})
    return values


@st.composite
def body(draw):
    "(content type, bytes)"
    kind = draw(st.sampled_from([
                'json', 'broken_json', 'not_object', 'form', 'bytes',
                'huge', 'encoded', 'empty']))
    if kind == 'json':
        return 'application/json', json.dumps(
            draw(registration_object())).encode()
    if kind == 'broken_json':
        text = json.dumps(draw(registration_object()))
        cut = draw(st.integers(0, max(len(text) - 1, 0)))
        return 'application/json', (
            text[:cut] + draw(st.sampled_from(['', '}', ',', '"', '\\']))
            ).encode()
    if kind == 'not_object':
        return 'application/json', json.dumps(draw(st.one_of(
                    st.lists(json_value, max_size=3), st.integers(),
                    st.text(max_size=20), st.none()))).encode()
    if kind == 'form':
        values = draw(registration_object())
        return 'application/x-www-form-urlencoded', urllib.parse.urlencode(
            {k: str(v) for k, v in values.items()}, doseq=True).encode()
    if kind == 'bytes':
        return draw(st.sampled_from([
                    'application/json', 'application/x-www-form-urlencoded',
                    'multipart/form-data; boundary=xx', 'text/plain', ''])
            ), draw(st.binary(max_size=2000))
    if kind == 'huge':
        size = draw(st.sampled_from([100_000, 100_000, 1_000_000, 2_500_000]))
        filler = draw(st.sampled_from(['A', SCRIPT, '{"a":']))
        return draw(st.sampled_from([
                    'application/json', 'application/x-www-form-urlencoded'])
            ), (filler * (size // len(filler))).encode()
    if kind == 'encoded':
        values = draw(registration_object())
        encoding = draw(st.sampled_from(
                ['utf-16', 'utf-32', 'latin-1', 'cp1252', 'utf-8-sig']))
        content_type = draw(st.sampled_from([
                    'application/json',
                    'application/json; charset=%s' % encoding,
                    'application/x-www-form-urlencoded; charset=%s'
                    % encoding]))
        return content_type, json.dumps(
            values, ensure_ascii=False).encode(encoding, errors='replace')
    return draw(st.sampled_from(['application/json', ''])), b''


path_segment = st.one_of(
    st.integers(-10, 10 ** 20).map(str),
    st.sampled_from([
            '..', '%2e%2e', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '.', '',
            '%00', '1%00', '1;drop', '1.0', '0x10', '1e3', ' 1', '%20',
            '%ff%fe', 'NaN', '-0', '\u00e9'.encode().hex(), 'x' * 5000,
            '%3Cscript%3Ealert(%22fuzz%22)%3C%2Fscript%3E', '~', '//']),
    st.text(
        alphabet=st.characters(
            codec='ascii', exclude_categories=['Cc']), max_size=20).map(
        lambda s: urllib.parse.quote(s, safe='/%')))


@st.composite
def request(draw, database, event_id):
    "(method, path, headers, body) of a malformed request"
    segment = draw(path_segment)
    event = draw(st.one_of(
            st.just(str(event_id)), path_segment))
    route = draw(st.sampled_from([
                ('GET', '/events'),
                ('GET', '/events/%s' % segment),
                ('POST', '/events/%s' % event),
                ('GET', '/events/registration/%s' % segment),
                ('GET', '/events/registration/%s.ics' % segment),
                ('POST', '/events/registration/%s' % segment),
                ('GET', '/events/api/events'),
                ('GET', '/events/api/events/%s' % segment),
                ('POST', '/events/api/events/%s/registrations' % event),
                ('PUT', '/events/api/events/%s/registrations' % event),
                ('POST', '/events/api/registrations/%s/cancel' % segment),
                ('GET', '/events/api/registrations/%s/cancel' % segment),
                ('POST', '/events/%s/../../rpc/' % segment),
                ('DELETE', '/events/%s' % segment),
                ]))
    method, path = route
    query = draw(st.one_of(st.just(''), st.builds(
                lambda k, v: '?' + urllib.parse.urlencode({k: v}),
                st.sampled_from(['lang', 'token', 'q', 'page']), odd_text)))
    content_type, data = draw(body()) if method != 'GET' else ('', b'')
    headers = {}
    if content_type:
        headers['Content-Type'] = content_type
    headers['Accept-Language'] = draw(st.sampled_from([
                'fr', 'nl-BE,nl;q=0.9', 'en', '*', '', 'xx', SCRIPT,
                'fr;q=abc', ',' * 100]))
    if draw(st.booleans()):
        headers['Accept'] = draw(st.sampled_from(
                ['text/html', 'application/json', '*/*', SCRIPT]))
    if draw(st.booleans()):
        headers['X-Forwarded-For'] = draw(st.sampled_from(
                ['1.2.3.4', SCRIPT, '::1', 'not-an-ip', '999.999.1.1']))
    return method, '/%s%s%s' % (database, path, query), headers, data


class FuzzPublicRoutesTestCase(unittest.TestCase):
    "Malformed requests on the public routes of concertes_events"

    @classmethod
    def setUpClass(cls):
        cls.server = TrytondServer(unique('test_fuzz'), workers=2)
        cls.server.start()
        cls.rpc = cls.server.rpc()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def call(self, model, method, *args):
        "JSON-RPC with Tryton's encoding of dates"
        params = json.loads(json.dumps(list(args), cls=JSONEncoder))
        return self.rpc.model(model, method, *params)

    def counts(self):
        return {model: self.call(model, 'search_count', [])
            for model in ['concertes.event.registration', 'party.party',
                'party.contact_mechanism', 'concertes.event']}

    def setUp(self):
        connection = http.client.HTTPConnection(
            '127.0.0.1', self.server.port, timeout=30)
        connection.request(
            'GET', '/%s/events/api/events' % self.server.name)
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status == 404:
            self.skipTest("the public routes of concertes_events are not "
                "served yet")
        now = dt.datetime.now().replace(microsecond=0)
        event_id, = self.call('concertes.event', 'create', [{
                    'name': "Forum fuzz", 'kind': 'conference',
                    'start': now + dt.timedelta(days=30),
                    'end': now + dt.timedelta(days=30, hours=8),
                    'registration_start': now - dt.timedelta(days=1),
                    'registration_end': now + dt.timedelta(days=29),
                    'capacity': 5, 'published': True,
                    'sessions': [('create', [{
                                    'name': "Atelier",
                                    'start': now + dt.timedelta(days=30),
                                    'end': now + dt.timedelta(
                                        days=30, hours=2),
                                    'capacity': 2}])],
                    'tickets': [('create', [{
                                    'name': "Participant",
                                    'category': 'participant',
                                    'public': True}])],
                    }])
        self.call('concertes.event', 'open', [event_id])
        self.event_id = event_id

    def test_fuzz_public_routes(self):
        "No 5xx, no record, no script echoed, whatever the request"
        before = self.counts()
        state = {
            'tried': 0, 'failures': [], 'dropped': 0,
            'deadline': time.monotonic() + SECONDS,
            'connection': None}
        start = time.monotonic()

        def send(method, path, headers, data):
            for attempt in range(2):
                if state['connection'] is None:
                    state['connection'] = http.client.HTTPConnection(
                        '127.0.0.1', self.server.port, timeout=60)
                connection = state['connection']
                try:
                    connection.request(
                        method, path, body=data or None, headers=headers)
                    response = connection.getresponse()
                    content = response.read()
                    if response.getheader('Connection', '') == 'close':
                        connection.close()
                        state['connection'] = None
                    return response, content
                except (http.client.HTTPException, ConnectionError):
                    # the server may close the connection on a body it
                    # refuses to read (too large): not a failure
                    connection.close()
                    state['connection'] = None
            state['dropped'] += 1
            return None, b''

        # batches of examples until the time is up: a batch is a fresh
        # hypothesis run, so the overrun past the deadline is one batch
        @settings(
            max_examples=BATCH, deadline=None, derandomize=False,
            database=None, phases=[Phase.generate],
            suppress_health_check=list(HealthCheck))
        @given(request(self.server.name, self.event_id))
        def fuzz(req):
            if time.monotonic() > state['deadline']:
                return
            method, path, headers, data = req
            response, content = send(method, path, headers, data)
            state['tried'] += 1
            if response is None:
                return
            kind = response.getheader('Content-Type', '')
            text = content.decode('utf-8', errors='replace')
            problem = None
            if response.status >= 500:
                problem = 'status %s' % response.status
            elif 'html' in kind and any(m in text for m in MARKERS):
                problem = 'script echoed unescaped'
            if problem:
                state['failures'].append(
                    (problem, method, path[:200], headers,
                        data[:200], text[:300]))
                raise AssertionError('%s on %s %s' % (
                        problem, method, path[:200]))

        try:
            while (time.monotonic() < state['deadline']
                    and state['tried'] < EXAMPLES):
                fuzz()
        finally:
            elapsed = time.monotonic() - start
            print('\nfuzz: %d malformed requests tried in %.0fs '
                '(%.0f a second, %d connections closed by the server)' % (
                    state['tried'], elapsed,
                    state['tried'] / max(elapsed, 1), state['dropped']),
                file=sys.stderr)
        self.assertEqual(state['failures'], [])
        # the server still serves
        connection = http.client.HTTPConnection(
            '127.0.0.1', self.server.port, timeout=30)
        connection.request('GET', '/%s/events/api/events' % self.server.name)
        self.assertEqual(connection.getresponse().status, 200)
        connection.close()
        self.assertEqual(self.counts(), before, "records were created")
        self.assertGreater(state['tried'], 100)
        self.assertLess(elapsed, 120)
