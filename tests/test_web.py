# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Public registration on the web, black-box over HTTP (issue 7)

A real trytond served by gunicorn (tools/server.py); the data is prepared
through JSON-RPC as the back-office would, and every check of the public
side goes through HTTP only.
"""
import concurrent.futures
import datetime as dt
import json
import os
import re
import threading
import unittest
import uuid

import requests

from tools.server import TrytondServer, dt_rpc, unique

NOW = dt.datetime.utcnow().replace(microsecond=0)
START = NOW + dt.timedelta(days=30)
END = START + dt.timedelta(hours=8)


_servers = {}


def web_server(env=None):
    """The server of the public web tests: one per configuration, shared by
    the test cases of a run (each makes its own events) and stopped when the
    run ends"""
    key = tuple(sorted((env or {}).items()))
    if key not in _servers:
        server = TrytondServer(
            unique('test_web_%s' % len(_servers)), workers=4, env=env)
        server.start()
        _servers[key] = server
    return _servers[key]


def connect(cls, server):
    "Lead the test case cls to server: cls.server, cls.rpc and cls.base"
    cls.server = server
    cls.rpc = server.rpc()
    cls.base = '%s/%s/events' % (server.url, server.name)


def serve(cls, server):
    "Start server for the test case cls alone, stopped after its tests"
    server.start()
    cls.addClassCleanup(server.stop)
    connect(cls, server)


class WebServerMixin:
    "The shared server; events are created through JSON-RPC"
    env = None

    @classmethod
    def setUpClass(cls):
        connect(cls, web_server(cls.env))

    @classmethod
    def make_event(cls, name="InspirES 2024", capacity=None, sessions=(),
            tickets=(), published=True, open_=True, waiting_list=True,
            **values):
        "sessions: [(name, hours from start, hours long, capacity)]"
        event_id, = cls.rpc.model('concertes.event', 'create', [dict({
                        'name': name,
                        'kind': 'networking',
                        'start': dt_rpc(START),
                        'end': dt_rpc(END),
                        'capacity': capacity,
                        'published': published,
                        'waiting_list': waiting_list,
                        'description': "Journée de l'économie sociale.",
                        'sessions': [['create', [{
                                        'name': s_name,
                                        'start': dt_rpc(
                                            START + dt.timedelta(hours=h)),
                                        'end': dt_rpc(
                                            START + dt.timedelta(
                                                hours=h + length)),
                                        'capacity': s_cap,
                                        'room': 'Salle %s' % i,
                                        } for i, (s_name, h, length, s_cap)
                                    in enumerate(sessions, 1)]]],
                        'tickets': [['create', [{
                                        'name': t_name,
                                        'category': category,
                                        'public': public,
                                        'capacity': t_cap,
                                        } for t_name, category, public, t_cap
                                    in tickets]]],
                        }, **values)])
        if open_:
            cls.rpc.model('concertes.event', 'open', [event_id])
        return event_id

    def registrations(self, event_id, **domain):
        clause = [('event', '=', event_id)]
        clause += [(k, '=', v) for k, v in domain.items()]
        return self.rpc.model(
            'concertes.event.registration', 'search_read', clause, 0, None,
            [('id', 'ASC')], ['email', 'state', 'source', 'token',
                'first_name', 'organisation_name', 'sessions'])

    def event_sessions(self, event_id):
        return self.rpc.model(
            'concertes.event.session', 'search_read',
            [('event', '=', event_id)], 0, None, [('start', 'ASC')],
            ['name'])

    def api_register(self, event_id, session=None, headers=None, **data):
        body = dict({
                'first_name': 'Marie',
                'last_name': 'Dupont',
                'email': '%s@example.org' % uuid.uuid4().hex[:12],
                'organisation': 'SAW-B',
                'consent': True,
                }, **data)
        return (session or requests).post(
            '%s/api/events/%s/registrations' % (self.base, event_id),
            json=body, headers=headers or {}, timeout=120)

    def form(self, session, event_id, lang='fr'):
        "GET the event page; return the hidden fields of its form"
        response = session.get(
            '%s/%s' % (self.base, event_id), params={'lang': lang},
            timeout=60)
        self.assertEqual(response.status_code, 200, response.text[-2000:])
        fields = dict(re.findall(
                r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                response.text))
        return response, fields


class WebTestCase(WebServerMixin, unittest.TestCase):
    "Pages, API and rules of the public registration"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.event = cls.make_event(
            "InspirES 2024 <Namur>", capacity=100,
            sessions=[("Matin", 0, 3, 50), ("Après-midi", 4, 3, None),
                ("Atelier midi", 2, 3, 10)],
            tickets=[("Participant·e", 'participant', True, None),
                ("Presse", 'press', True, 5),
                ("Staff", 'staff', False, None)])
        cls.unpublished = cls.make_event("Débat interne", published=False)
        cls.draft = cls.make_event(
            "Brouillon publié", published=True, open_=False)

    # HTML journey ------------------------------------------------------------

    def test_web_journey_html(self):
        "List, event page, form, confirmation page, .ics, QR code, cancel"
        session = requests.Session()
        response = session.get(self.base, params={'lang': 'fr'})
        self.assertEqual(response.status_code, 200)
        self.assertIn('Événements ouverts aux inscriptions', response.text)
        self.assertIn('InspirES 2024 &lt;Namur&gt;', response.text)
        self.assertNotIn('Débat interne', response.text)
        self.assertNotIn('Brouillon publié', response.text)

        response, fields = self.form(session, self.event)
        self.assertIn('<label for="f-first_name">Prénom', response.text)
        self.assertIn('concertes_form', session.cookies.get_dict())
        sessions = self.event_sessions(self.event)
        morning = [s['id'] for s in sessions if s['name'] == 'Matin']
        tickets = self.rpc.model(
            'concertes.event.ticket', 'search_read',
            [('event', '=', self.event), ('category', '=', 'participant')],
            0, None, None, ['id'])
        response = session.post(
            '%s/%s' % (self.base, self.event), params={'lang': 'fr'},
            data=dict(fields, first_name='Anne', last_name='Lambert',
                email='anne.lambert@example.org', organisation='ConcertES',
                function='Chargée de projets', language='fr',
                ticket=tickets[0]['id'], sessions=morning,
                diet='vegetarian', accessibility='Accès PMR', consent='on',
                website=''),
            allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text[-3000:])
        location = response.headers['Location']
        self.assertRegex(
            location, r'/events/registration/[A-Za-z0-9_-]{20,}\?lang=fr$')

        page = session.get(self.server.url + location)
        self.assertEqual(page.status_code, 200)
        self.assertIn('Votre inscription', page.text)
        self.assertIn('Confirmé', page.text)
        self.assertIn('Matin', page.text)
        self.assertIn('<svg', page.text)
        token = location.split('/')[-1].split('?')[0]
        ics = session.get('%s/registration/%s/ics' % (self.base, token))
        self.assertEqual(ics.status_code, 200)
        self.assertTrue(ics.headers['Content-Type'].startswith(
                'text/calendar'))
        self.assertIn('BEGIN:VCALENDAR', ics.text)
        self.assertIn('InspirES 2024 <Namur>: Matin', ics.text)

        # The back-office sees the same registration
        registration, = [r for r in self.registrations(self.event)
            if r['email'] == 'anne.lambert@example.org']
        self.assertEqual(registration['state'], 'confirmed')
        self.assertEqual(registration['source'], 'web')
        self.assertEqual(registration['token'], token)
        emails = self.rpc.model('ir.email', 'search_read', [
                ('resource', '=', 'concertes.event.registration,%s'
                    % registration['id']),
                ], 0, None, None, ['recipients', 'subject'])
        self.assertTrue(emails, "no confirmation e-mail")

        # Cancelling asks first, on a page of its own
        self.assertIn('/registration/%s/cancel?lang=fr' % token, page.text)
        confirm = session.get(
            '%s/registration/%s/cancel' % (self.base, token),
            params={'lang': 'fr'})
        self.assertEqual(confirm.status_code, 200)
        self.assertIn('Annuler votre inscription ?', confirm.text)
        csrf = re.search(
            r'name="csrf_token" value="([^"]+)"', confirm.text).group(1)
        response = session.post(
            '%s/registration/%s/cancel' % (self.base, token),
            params={'lang': 'fr'},
            data={'csrf_token': csrf, 'confirm': 'yes'},
            allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        page = session.get(self.server.url + response.headers['Location'])
        self.assertIn('Votre inscription est annulée', page.text)
        self.assertNotIn('Annuler mon inscription', page.text)
        registration, = [r for r in self.registrations(self.event)
            if r['email'] == 'anne.lambert@example.org']
        self.assertEqual(registration['state'], 'cancelled')

    def test_web_languages(self):
        "Pages in French by default, in Dutch or English on demand"
        self.assertIn('Événements ouverts', requests.get(self.base).text)
        self.assertIn(
            'Evenementen open voor inschrijving',
            requests.get(self.base, params={'lang': 'nl'}).text)
        response = requests.get(
            '%s/%s' % (self.base, self.event),
            headers={'Accept-Language': 'en-GB,en;q=0.8'})
        self.assertIn('Registration form', response.text)
        self.assertIn('lang="en"', response.text)
        response = requests.get(
            '%s/%s' % (self.base, self.event),
            headers={'Accept-Language': 'nl-BE'})
        self.assertIn('Inschrijvingsformulier', response.text)

    def test_web_form_accessible(self):
        "Every field has a label; errors are tied to their fields"
        response = requests.get('%s/%s' % (self.base, self.event))
        text = response.text
        for name in ['first_name', 'last_name', 'email', 'organisation',
                'function', 'language', 'ticket', 'diet', 'accessibility',
                'consent']:
            self.assertIn('for="f-%s"' % name, text, name)
            self.assertIn('id="f-%s"' % name, text, name)
        self.assertIn('<legend>', text)
        self.assertNotIn('<script', text)

    def test_web_form_invalid_keeps_values(self):
        "Invalid input: 422, the values kept and a message per field"
        session = requests.Session()
        _, fields = self.form(session, self.event)
        response = session.post(
            '%s/%s' % (self.base, self.event),
            data=dict(fields, first_name='Jean', last_name='',
                email='pas-une-adresse', organisation='Febecoop',
                accessibility='Boucle magnétique'))
        self.assertEqual(response.status_code, 422)
        text = response.text
        for kept in ['value="Jean"', 'value="pas-une-adresse"',
                'value="Febecoop"', 'Boucle magnétique']:
            self.assertIn(kept, text)
        for name in ['email', 'last_name', 'consent']:
            self.assertIn('id="err-%s"' % name, text)
        self.assertRegex(
            text, r'id="f-email"[^>]*aria-invalid="true"'
            r'[^>]*aria-describedby="err-email"')
        self.assertIn("n'est pas valide", text)
        self.assertIn('Votre consentement est nécessaire', text)
        self.assertFalse([r for r in self.registrations(self.event)
                if r['email'] == 'pas-une-adresse'])

    def test_rule_cancel_needs_confirmation(self):
        """A cancellation posted without its confirmation shows the
        confirmation page and cancels nothing"""
        session = requests.Session()
        response = self.api_register(
            self.event, email='ask.first@example.org')
        self.assertEqual(response.status_code, 201, response.text)
        token = response.json()['token']
        page = session.get(
            '%s/registration/%s/cancel' % (self.base, token),
            params={'lang': 'nl'})
        self.assertIn('Uw inschrijving annuleren?', page.text)
        self.assertIn('Nee, mijn inschrijving behouden', page.text)
        csrf = re.search(
            r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = session.post(
            '%s/registration/%s/cancel' % (self.base, token),
            params={'lang': 'nl'}, data={'csrf_token': csrf},
            allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn('Ja, mijn inschrijving annuleren', response.text)
        registration, = self.registrations(
            self.event, email='ask.first@example.org')
        self.assertEqual(registration['state'], 'confirmed')

    def test_rule_error_summary_names_each_field(self):
        "Each line of the error summary says which field is wrong"
        for lang, expected in [
                ('fr', ['Nom : Ce champ est obligatoire.',
                        'Adresse e-mail : Cette adresse e-mail']),
                ('nl', ['Achternaam: Dit veld is verplicht.',
                        'E-mailadres: Dit e-mailadres']),
                ('en', ['Last name: This field is required.',
                        'E-mail address: This e-mail address'])]:
            session = requests.Session()
            _, fields = self.form(session, self.event, lang)
            response = session.post(
                '%s/%s' % (self.base, self.event), params={'lang': lang},
                data=dict(fields, first_name='Jean', last_name='',
                    email='pas-une-adresse'))
            self.assertEqual(response.status_code, 422)
            summary = re.search(
                r'id="error-summary".*?</ul>', response.text, re.S).group(0)
            for line in expected:
                self.assertIn(line, summary, lang)

    def test_web_form_csrf(self):
        "A form posted without the cookie's token is refused and kept"
        response = requests.post(
            '%s/%s' % (self.base, self.event),
            data={'first_name': 'Eve', 'last_name': 'Forge',
                'email': 'eve.csrf@example.org', 'consent': 'on',
                'submission': 'abcdefghijkl', 'csrf_token': 'forged'})
        self.assertEqual(response.status_code, 403)
        self.assertIn('value="eve.csrf@example.org"', response.text)
        self.assertFalse(self.registrations(
                self.event, email='eve.csrf@example.org'))

    def test_web_form_double_submit(self):
        "The same form sent twice makes one registration, same page"
        session = requests.Session()
        _, fields = self.form(session, self.event)
        data = dict(fields, first_name='Double', last_name='Clic',
            email='double.clic@example.org', consent='on')
        first = session.post('%s/%s' % (self.base, self.event), data=data,
            allow_redirects=False)
        second = session.post('%s/%s' % (self.base, self.event), data=data,
            allow_redirects=False)
        self.assertEqual(first.status_code, 303)
        self.assertEqual(second.status_code, 303)
        self.assertEqual(first.headers['Location'], second.headers['Location'])
        self.assertEqual(len(self.registrations(
                    self.event, email='double.clic@example.org')), 1)

    def test_web_honeypot(self):
        "A filled honeypot is refused and nothing is written"
        session = requests.Session()
        _, fields = self.form(session, self.event)
        response = session.post('%s/%s' % (self.base, self.event),
            data=dict(fields, first_name='Robot', last_name='Spam',
                email='robot@example.org', consent='on',
                website='http://spam.example'))
        self.assertEqual(response.status_code, 422)
        response = self.api_register(
            self.event, email='robot2@example.org', website='x')
        self.assertEqual(response.status_code, 422)
        self.assertIn('website', response.json()['errors'])
        for email in ['robot@example.org', 'robot2@example.org']:
            self.assertFalse(self.registrations(self.event, email=email))

    def test_web_escaping(self):
        "Texts are escaped where they are shown"
        response = self.api_register(
            self.event, email='escape@example.org',
            organisation='<b onmouseover="alert(1)">Coop</b>',
            function='"><script>alert(2)</script>')
        self.assertEqual(response.status_code, 201, response.text)
        page = requests.get(response.json()['url'])
        self.assertIn('&lt;b onmouseover=', page.text)
        self.assertNotIn('<b onmouseover', page.text)
        self.assertNotIn('<script>alert', page.text)

    def test_web_unknown_pages(self):
        "Unknown or unpublished events and tokens give 404"
        for url in ['%s/%s' % (self.base, self.unpublished),
                '%s/999999' % self.base,
                '%s/registration/%s' % (self.base, 'x' * 32),
                '%s/registration/bad%%20token' % self.base]:
            response = requests.get(url)
            self.assertEqual(response.status_code, 404, url)

    # JSON API ----------------------------------------------------------------

    def test_web_api_events(self):
        "The API lists the published events with sessions and categories"
        response = requests.get(self.base + '/api/events')
        self.assertEqual(response.status_code, 200)
        events = {e['id']: e for e in response.json()}
        self.assertIn(self.event, events)
        self.assertNotIn(self.unpublished, events)
        self.assertNotIn(self.draft, events)
        event = events[self.event]
        self.assertEqual(event['name'], 'InspirES 2024 <Namur>')
        self.assertTrue(event['registration_open'])
        self.assertLessEqual(event['seats_left'], 100)
        self.assertEqual(
            {s['name'] for s in event['sessions']},
            {'Matin', 'Après-midi', 'Atelier midi'})
        afternoon, = [s for s in event['sessions']
            if s['name'] == 'Après-midi']
        self.assertIsNone(afternoon['seats_left'])
        self.assertEqual(
            {t['name'] for t in event['tickets']},
            {'Participant·e', 'Presse'})
        self.assertTrue(event['start'].endswith('+01:00')
            or event['start'].endswith('+02:00'))

    def test_web_full_event_waiting_list_listed(self):
        """A full event with a waiting list stays in the public list, marked
        as such; the API says waiting_list: true"""
        event = self.make_event("Salon complet", capacity=1)
        self.assertEqual(self.api_register(event).status_code, 201)
        response = requests.get(self.base, params={'lang': 'fr'})
        card = response.text[response.text.index('Salon complet'):]
        card = card[:card.index('</li>')]
        self.assertIn('Complet : liste d’attente', card)
        events = {e['id']: e for e in requests.get(
                self.base + '/api/events').json()}
        self.assertIs(events[event]['waiting_list'], True)
        self.assertEqual(events[event]['seats_left'], 0)
        full = self.make_event("Salon fermé", capacity=1, waiting_list=False)
        self.assertEqual(self.api_register(full).status_code, 201)
        response = requests.get(self.base, params={'lang': 'fr'})
        self.assertNotIn('Salon fermé', response.text)

    def test_web_plural_forms(self):
        "Counts follow the language's plural rules: 1 place, 2 places"
        event = self.make_event("Atelier pluriel", capacity=3)
        # after each registration
        for left in [
                {'fr': '2 places restantes', 'nl': 'Nog 2 plaatsen',
                    'en': '2 places left'},
                {'fr': '1 place restante', 'nl': 'Nog 1 plaats<',
                    'en': '1 place left'},
                ]:
            self.assertEqual(self.api_register(event).status_code, 201)
            for lang, text in left.items():
                with self.subTest(lang=lang, text=text):
                    self.assertIn(text, requests.get(
                            '%s/%s' % (self.base, event),
                            params={'lang': lang}).text)

    def test_web_api_register(self):
        "201 with the token, the status and the registrant's page"
        sessions = self.event_sessions(self.event)
        response = self.api_register(
            self.event, email='API.Person@Example.org',
            sessions=[sessions[0]['id']], language='nl', diet='vegan')
        self.assertEqual(response.status_code, 201, response.text)
        data = response.json()
        self.assertEqual(data['status'], 'confirmed')
        self.assertTrue(data['url'].endswith(data['token']))
        registration, = self.registrations(
            self.event, email='api.person@example.org')
        self.assertEqual(registration['token'], data['token'])
        self.assertEqual(registration['sessions'], [sessions[0]['id']])
        page = requests.get(data['url'], params={'lang': 'nl'})
        self.assertEqual(page.status_code, 200)
        self.assertIn('Uw inschrijving', page.text)

    def test_web_api_duplicate_email(self):
        "409 that says nothing of the registration the address holds"
        first = self.api_register(self.event, email='twice@example.org')
        self.assertEqual(first.status_code, 201)
        second = self.api_register(self.event, email=' Twice@Example.org ')
        self.assertEqual(second.status_code, 409)
        self.assertEqual(second.json(), {'error': 'already_registered'})
        self.assertEqual(
            len(self.registrations(self.event, email='twice@example.org')),
            1)

    def test_web_api_idempotent_retry(self):
        "A retry with the same Idempotency-Key gets the same registration"
        key = uuid.uuid4().hex
        first = self.api_register(
            self.event, email='retry@example.org',
            headers={'Idempotency-Key': key})
        second = self.api_register(
            self.event, email='retry@example.org',
            headers={'Idempotency-Key': key})
        self.assertEqual(first.status_code, 201)
        self.assertEqual(second.status_code, 201)
        self.assertEqual(first.json()['token'], second.json()['token'])
        self.assertEqual(
            len(self.registrations(self.event, email='retry@example.org')),
            1)

    def api_refused(self, email, **data):
        "The errors of a registration of email refused with nothing written"
        response = self.api_register(self.event, email=email, **data)
        self.assertEqual(response.status_code, 422)
        self.assertFalse(self.registrations(self.event, email=email))
        return response.json()['errors']

    def test_web_api_missing_consent(self):
        "No consent: 422 on consent, nothing written"
        self.assertIn('consent', self.api_refused(
                'noconsent@example.org', consent=False))

    def test_web_api_invalid_email(self):
        "An invalid e-mail: 422 on email"
        for email in ['', 'nobody', 'a@b', 'x@@example.org', 42, None]:
            response = self.api_register(self.event, email=email)
            self.assertEqual(response.status_code, 422, email)
            self.assertIn('email', response.json()['errors'])

    def test_web_api_long_names(self):
        "10,000-character names: 422, a message per field, nothing written"
        errors = self.api_refused('long@example.org',
            first_name='A' * 10000, last_name='B' * 10000)
        self.assertIn('100', errors['first_name'])
        self.assertIn('last_name', errors)

    def test_web_api_script_in_names(self):
        "Markup in a name is refused"
        self.assertIn('first_name', self.api_refused(
                'script@example.org', first_name='<script>alert(1)</script>'))

    def test_web_api_unknown_session(self):
        "Unknown, foreign, overlapping or malformed sessions: 422"
        other = self.make_event("Autre événement", sessions=[("X", 0, 1, 5)])
        foreign = self.event_sessions(other)[0]['id']
        sessions = {s['name']: s['id']
            for s in self.event_sessions(self.event)}
        for value in [[999999], [foreign], ['abc'], [[1]],
                [sessions['Matin'], sessions['Atelier midi']]]:
            response = self.api_register(self.event, sessions=value)
            self.assertEqual(response.status_code, 422, value)
            self.assertIn('sessions', response.json()['errors'])

    def test_web_api_private_ticket(self):
        "A category the public may not pick: 422"
        staff, = self.rpc.model(
            'concertes.event.ticket', 'search',
            [('event', '=', self.event), ('category', '=', 'staff')],
            0, None, None)
        response = self.api_register(self.event, ticket=staff)
        self.assertEqual(response.status_code, 422)
        self.assertIn('ticket', response.json()['errors'])

    def test_web_api_bad_bodies(self):
        "Malformed bodies get 4xx, never 5xx"
        url = '%s/api/events/%s/registrations' % (self.base, self.event)
        for data, content_type in [
                ('{not json', 'application/json'),
                ('[1, 2]', 'application/json'),
                ('"text"', 'application/json'),
                ('first_name=A', 'application/x-www-form-urlencoded'),
                ('{"__class__": "datetime"}', 'application/json'),
                ('\xff\xfe', 'application/json'),
                ('{"a":' * 10000 + '1' + '}' * 10000, 'application/json'),
                ]:
            response = requests.post(
                url, data=data.encode('latin-1'),
                headers={'Content-Type': content_type})
            self.assertIn(response.status_code, {415, 422}, data)

    def test_web_api_wrong_types(self):
        "Choices of the wrong JSON type get 422 on their field, never 5xx"
        url = '%s/api/events/%s/registrations' % (self.base, self.event)
        person = {
            'first_name': 'Type', 'last_name': 'Erreur',
            'email': 'type@example.org', 'consent': True}
        for field, value in [
                ('diet', [1, 2]), ('diet', {'a': 1}), ('language', ['fr']),
                ('language', {'fr': 1}), ('ticket', {'id': 1}),
                ('ticket', 1e308 * 10), ('sessions', [1e308 * 10]),
                ('sessions', [{'id': 1}])]:
            response = requests.post(
                url, data=json.dumps(dict(person, **{field: value})),
                headers={'Content-Type': 'application/json'})
            self.assertEqual(response.status_code, 422, (field, value))
            self.assertIn(field, response.json()['errors'], (field, value))
        self.assertEqual(
            self.registrations(self.event, email='type@example.org'), [])

    def test_web_api_unknown_event(self):
        "404 for an unknown or unpublished event"
        for event_id in [999999, self.unpublished, self.draft]:
            response = self.api_register(event_id)
            self.assertIn(response.status_code, {404, 410}, event_id)
        self.assertEqual(self.api_register(999999).status_code, 404)
        self.assertEqual(
            self.api_register(self.unpublished).status_code, 404)

    def test_web_api_closed_event(self):
        "410 when registration is closed; the form is not shown"
        closed = self.make_event("Événement clôturé", capacity=10)
        self.rpc.model('concertes.event', 'close', [closed])
        response = self.api_register(closed)
        self.assertEqual(response.status_code, 410)
        self.assertEqual(response.json()['error'], 'registration_closed')
        page = requests.get('%s/%s' % (self.base, closed))
        self.assertNotIn('<form', page.text)
        self.assertIn('Les inscriptions à cet événement sont closes',
            page.text)
        self.assertFalse(self.registrations(closed))

    def test_web_api_full_without_waiting_list(self):
        "A full event without waiting list: 410, nothing written"
        event = self.make_event("Petit déjeuner", capacity=1,
            waiting_list=False)
        self.assertEqual(self.api_register(event).status_code, 201)
        response = self.api_register(event)
        self.assertEqual(response.status_code, 410)
        self.assertEqual(response.json()['error'], 'event_full')
        self.assertEqual(len(self.registrations(event)), 1)

    def test_web_api_waiting_list_and_cancel(self):
        "Full: the next one waits; a cancellation promotes the first waiting"
        event = self.make_event(
            "Remise du prix", capacity=2,
            sessions=[("Cérémonie", 1, 2, 1)])
        ceremony = self.event_sessions(event)[0]['id']
        first = self.api_register(event, sessions=[ceremony]).json()
        second = self.api_register(event, sessions=[ceremony]).json()
        third = self.api_register(event).json()
        fourth = self.api_register(event).json()
        self.assertEqual(first['status'], 'confirmed')
        # The session is full: the second waits although the event is not
        self.assertEqual(second['status'], 'waiting')
        self.assertEqual(third['status'], 'confirmed')
        self.assertEqual(fourth['status'], 'waiting')
        response = requests.post('%s/api/registrations/%s/cancel' % (
                self.base, first['token']))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {'status': 'cancelled'})
        states = {r['token']: r['state'] for r in self.registrations(event)}
        self.assertEqual(states[first['token']], 'cancelled')
        self.assertEqual(states[second['token']], 'confirmed')
        self.assertEqual(states[fourth['token']], 'waiting')
        # Cancelling again changes nothing; unknown tokens are 404
        response = requests.post('%s/api/registrations/%s/cancel' % (
                self.base, first['token']))
        self.assertEqual(response.status_code, 200)
        response = requests.post('%s/api/registrations/%s/cancel' % (
                self.base, 'y' * 32))
        self.assertEqual(response.status_code, 404)
        # The cancelled e-mail may register again
        response = self.api_register(event, email='again@example.org')
        self.assertEqual(response.status_code, 201)


class PublicInputTestCase(WebServerMixin, unittest.TestCase):
    "Public input and answers (issue « Personal data and roles », 6)"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.event = cls.make_event("Assises publiques", capacity=50)

    def post_raw(self, body, content_type='application/json', headers=None):
        return requests.post(
            '%s/api/events/%s/registrations' % (self.base, self.event),
            data=body.encode('utf-8'), timeout=120,
            headers=dict({'Content-Type': content_type}, **(headers or {})))

    def test_rule_lone_surrogate_is_422_naming_the_field(self):
        "A lone surrogate in a JSON string: 422 on that field, not 500"
        body = ('{"first_name": "\\ud800", "last_name": "Lee", '
            '"email": "surrogate@example.org", "consent": true}')
        response = self.post_raw(body)
        self.assertEqual(response.status_code, 422, response.text)
        self.assertEqual(list(response.json()['errors']), ['first_name'])
        self.assertFalse(self.registrations(
                self.event, email='surrogate@example.org'))

    def test_rule_control_and_invisible_characters_are_422(self):
        "NUL, bidi overrides, zero-width-only names: 422 naming the field"
        for key, value in [('last_name', "A\x00B"),
                ('first_name', "Ann\u202eevil"), ('organisation', "X\x00"),
                ('first_name', "\u200b\u200c"), ('last_name', "123")]:
            response = self.api_register(
                self.event, email='ctrl@example.org', **{key: value})
            self.assertEqual(response.status_code, 422, (key, value))
            self.assertEqual(list(response.json()['errors']), [key])
        self.assertFalse(self.registrations(
                self.event, email='ctrl@example.org'))

    def test_rule_json_only_as_application_json(self):
        "A JSON body sent as another type is 415: no cross-site post"
        body = json.dumps({'first_name': 'Ann', 'last_name': 'Lee',
                'email': 'plain@example.org', 'consent': True})
        for content_type in ['text/plain; charset=json', 'text/plain',
                'application/x-www-form-urlencoded', 'application/jsonx']:
            response = self.post_raw(body, content_type)
            self.assertEqual(response.status_code, 415, content_type)
        self.assertEqual(self.post_raw(
                body, 'application/json; charset=utf-8').status_code, 201)

    def test_rule_idempotency_key_never_returns_another_persons_token(self):
        "The key replays the registration of the same address only"
        key = uuid.uuid4().hex
        first = self.api_register(self.event, email='key.one@example.org',
            headers={'Idempotency-Key': key})
        other = self.api_register(self.event, email='key.two@example.org',
            headers={'Idempotency-Key': key})
        again = self.api_register(self.event, email='KEY.One@Example.org',
            headers={'Idempotency-Key': key})
        self.assertEqual(
            [first.status_code, other.status_code, again.status_code],
            [201, 201, 201])
        self.assertNotEqual(other.json()['token'], first.json()['token'])
        self.assertEqual(again.json()['token'], first.json()['token'])

    def test_rule_duplicate_answer_reveals_nothing(self):
        "The 409 is the same whatever the state of the registration held"
        answers = []
        for email, cancel in [('dup.one@example.org', False),
                ('dup.two@example.org', True)]:
            first = self.api_register(self.event, email=email)
            if cancel:
                # a waiting or confirmed one: no status, no token
                self.rpc.model('concertes.event.registration', 'cancel', [
                        r['id'] for r in self.registrations(
                            self.event, email=email)])
                self.api_register(self.event, email=email)
            second = self.api_register(self.event, email=email)
            self.assertEqual(second.status_code, 409)
            self.assertNotIn(first.json()['token'], second.text)
            answers.append(second.json())
        self.assertEqual(answers, [{'error': 'already_registered'}] * 2)

    def test_rule_security_headers_on_every_public_answer(self):
        "No framing, no sniffing, no referrer out, nothing cached"
        created = self.api_register(self.event, email='headers@example.org')
        token = created.json()['token']
        session = requests.Session()
        answers = [created, self.post_raw('{', 'text/plain')] + [
            session.get(self.base + path, timeout=60) for path in [
                '', '/%s' % self.event, '/999999', '/api/events',
                '/registration/%s' % token, '/registration/%s/ics' % token,
                '/registration/%s' % ('x' * 32)]]
        for response in answers:
            headers = response.headers
            self.assertEqual(headers['X-Frame-Options'], 'DENY')
            self.assertEqual(headers['X-Content-Type-Options'], 'nosniff')
            self.assertEqual(headers['Referrer-Policy'], 'same-origin')
            self.assertEqual(headers['Cache-Control'], 'no-store')
            if 'html' in headers['Content-Type']:
                self.assertIn("frame-ancestors 'none'",
                    headers['Content-Security-Policy'])


class RateLimitTestCase(WebServerMixin, unittest.TestCase):
    "The per-address limit of trytond.conf's [concertes] section"
    env = {'TRYTOND_CONCERTES__REGISTRATION_RATE_LIMIT': '3'}

    def test_web_rate_limit(self):
        "Beyond the limit a minute: 429, nothing written"
        event = self.make_event("Formation", capacity=50)
        statuses = [self.api_register(
                event, email='rate%s@example.org' % i).status_code
            for i in range(5)]
        self.assertEqual(statuses, [201, 201, 201, 429, 429])
        self.assertEqual(len(self.registrations(event)), 3)
        session = requests.Session()
        response = session.post('%s/%s' % (self.base, event), data={})
        self.assertEqual(response.status_code, 429)


class ConcurrencyTestCase(WebServerMixin, unittest.TestCase):
    "Many people at once on PostgreSQL: no overbooking, no 5xx"

    @classmethod
    def setUpClass(cls):
        if not os.environ.get('TRYTOND_DATABASE__URI', '').startswith(
                'postgresql'):
            raise unittest.SkipTest(
                "concurrency needs PostgreSQL: SQLite has one writer at a "
                "time, so there is no race to test")
        super().setUpClass()

    def burst(self, event_id, bodies, headers=None):
        "POST the bodies all at once; return the responses"
        barrier = threading.Barrier(len(bodies))
        url = '%s/api/events/%s/registrations' % (self.base, event_id)

        def post(body):
            session = requests.Session()
            barrier.wait()
            return session.post(url, json=body, timeout=300,
                headers=headers or {})
        with concurrent.futures.ThreadPoolExecutor(len(bodies)) as pool:
            return list(pool.map(post, bodies))

    def body(self, email):
        return {'first_name': 'Foule', 'last_name': 'Nombreuse',
            'email': email, 'consent': True}

    def test_web_concurrent_no_overbooking(self):
        "300 simultaneous POSTs on 50 places: 50 confirmed, 250 waiting"
        event = self.make_event("Conférence européenne", capacity=50)
        responses = self.burst(event, [
                self.body('foule%s@example.org' % i) for i in range(300)])
        codes = [r.status_code for r in responses]
        self.assertFalse([c for c in codes if c >= 500], codes)
        self.assertEqual(codes.count(201), 300, codes)
        statuses = [r.json()['status'] for r in responses]
        self.assertEqual(statuses.count('confirmed'), 50)
        self.assertEqual(statuses.count('waiting'), 250)
        states = [r['state'] for r in self.registrations(event)]
        self.assertEqual(states.count('confirmed'), 50)
        self.assertEqual(states.count('waiting'), 250)

    def test_web_concurrent_one_email(self):
        "20 simultaneous POSTs with one e-mail: one registration"
        event = self.make_event("Débat préélectoral", capacity=100)
        responses = self.burst(event, [
                self.body('meme.personne@example.org') for i in range(20)])
        codes = sorted(r.status_code for r in responses)
        self.assertEqual(codes, [201] + [409] * 19, codes)
        self.assertEqual(len(self.registrations(event)), 1)
