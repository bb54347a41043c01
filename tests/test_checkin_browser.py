# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The check-in page of the events team at the door, in a real headless
Chromium on a phone's screen: typed codes and a QR code decoded by jsQR"""
import datetime as dt
import io
import unittest

import requests

from tools.server import ADMIN_PASSWORD
from tools.server import ARTEFACTS as BASE_ARTEFACTS
from tools.server import ROOT

from .test_public_browser import ARGS, CHROMIUM
from .test_web import WebServerMixin, dt_rpc

ARTEFACTS = BASE_ARTEFACTS / 'checkin'
JSQR = ROOT / 'var' / 'sao' / 'package' / 'jsqr' / 'dist' / 'jsQR.js'


class CheckInBrowserTestCase(WebServerMixin, unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            raise unittest.SkipTest("playwright is not installed")
        if not JSQR.exists():
            raise unittest.SkipTest("no jsQR (make sao installs it)")
        super().setUpClass()
        now = dt.datetime.utcnow().replace(microsecond=0)
        cls.today = cls.make_event(
            "Assemblée du jour",
            tickets=[("Participant·e", 'participant', True, None)],
            start=dt_rpc(now - dt.timedelta(minutes=30)),
            end=dt_rpc(now + dt.timedelta(hours=3)))
        cls.rpc.model('concertes.event.session', 'create', [{
                    'event': cls.today, 'name': "Plénière",
                    'start': dt_rpc(now),
                    'end': dt_rpc(now + dt.timedelta(hours=1)),
                    }])
        cls.later = cls.make_event("Salon du mois prochain")
        cls.url = '%s/%s/events/checkin' % (
            cls.server.url, cls.server.name)

    def code(self, event, **data):
        token = self.api_register(event, **data).json()['token']
        registration, = self.rpc.model(
            'concertes.event.registration', 'search_read',
            [('token', '=', token)], 0, None, None, ['checkin_code'])
        return registration['checkin_code']

    def test_checkin_needs_the_team(self):
        "Without the back-office login the page and the check-in are refused"
        self.assertEqual(requests.get(self.url).status_code, 401)
        response = requests.post(
            self.url, json={'event': self.today, 'code': 'X'})
        self.assertEqual(response.status_code, 401)
        response = requests.post(
            self.url, json={'event': self.today, 'code': 'X'},
            auth=('admin', 'wrong password'))
        self.assertEqual(response.status_code, 401)

    def test_checkin_refusals(self):
        """Codes of another event, unknown codes and check-ins outside the
        event's days are refused with the reason; bad requests say why"""
        auth = ('admin', ADMIN_PASSWORD)
        other = self.code(self.later)
        response = requests.post(
            self.url, json={'event': self.today, 'code': other}, auth=auth)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()['result'], 'refused')
        self.assertIn(other, response.json()['message'])
        response = requests.post(
            self.url, json={'event': self.later, 'code': other}, auth=auth)
        self.assertEqual(response.status_code, 422)
        self.assertIn("jours de l’événement", response.json()['message'])
        states = {r['state'] for r in self.registrations(self.later)}
        self.assertEqual(states, {'confirmed'})
        response = requests.post(
            self.url, json={'event': 'x', 'code': other}, auth=auth)
        self.assertEqual(response.status_code, 400)
        response = requests.post(
            self.url, data='code=%s' % other, auth=auth,
            headers={'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertEqual(response.status_code, 415)

    def test_checkin_page_in_browser(self):
        """On a phone: type a code, then a photo of a QR code decoded by
        jsQR; the page shows the person, the category and the sessions"""
        import segno
        from playwright.sync_api import expect, sync_playwright
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        plenary, = self.event_sessions(self.today)
        typed = self.code(self.today, first_name='Claire',
            last_name='Dubois', organisation='Febecoop',
            sessions=[plenary['id']])
        scanned = self.code(self.today, first_name='Marc',
            last_name='Lambert', organisation='SAW-B')
        other = self.code(self.later)
        png = io.BytesIO()
        segno.make(scanned, error='m', micro=False).save(
            png, kind='png', scale=10, border=4)
        picture = ARTEFACTS / 'badge-qr.png'
        picture.write_bytes(png.getvalue())
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                page = browser.new_page(
                    locale='fr-BE', viewport={'width': 375, 'height': 740},
                    http_credentials={
                        'username': 'admin', 'password': ADMIN_PASSWORD})
                errors = []
                page.on('pageerror', lambda error: errors.append(error))
                page.goto('%s?event=%s' % (self.url, self.today))
                expect(page.locator('h1')).to_have_text('Accueil à l’entrée')
                page.get_by_label('Code tapé').fill(typed.lower())
                page.get_by_role(
                    'button', name='Enregistrer l’arrivée').click()
                expect(page.locator('#result')).to_have_class('accepted')
                expect(page.locator('#who')).to_have_text('Claire Dubois')
                expect(page.locator('#organisation')).to_have_text(
                    'Febecoop')
                expect(page.locator('#category')).to_contain_text(
                    'Participant')
                expect(page.locator('#sessions')).to_contain_text('Plénière')
                expect(page.locator('#count')).to_have_text('1')
                page.screenshot(path=str(ARTEFACTS / '1-typed.png'))

                page.get_by_label('Code tapé').fill(other)
                page.get_by_role(
                    'button', name='Enregistrer l’arrivée').click()
                expect(page.locator('#result')).to_have_class('refused')
                expect(page.locator('#message')).to_contain_text(other)
                page.screenshot(path=str(ARTEFACTS / '2-refused.png'))

                page.locator('#photo').set_input_files(str(picture))
                expect(page.locator('#who')).to_have_text('Marc Lambert')
                expect(page.locator('#result')).to_have_class('accepted')
                expect(page.locator('#count')).to_have_text('2')
                page.screenshot(path=str(ARTEFACTS / '3-scanned.png'))
                self.assertEqual(page.evaluate(
                        'document.documentElement.scrollWidth'), 375)
                self.assertEqual(errors, [])
            except Exception:
                page.screenshot(path=str(ARTEFACTS / 'failure.png'))
                print(self.server.server_log())
                raise
            finally:
                browser.close()
        states = {r['first_name']: r['state']
            for r in self.registrations(self.today)}
        self.assertEqual(
            states, {'Claire': 'attended', 'Marc': 'attended'})
