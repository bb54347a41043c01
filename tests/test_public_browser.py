# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The public registration in a real headless Chromium, as a person uses it"
import shutil
import unittest

from tools.server import ARTEFACTS as BASE_ARTEFACTS
from trytond.modules.concertes_events.tests.tools import decode_qr

from .test_web import WebServerMixin

ARTEFACTS = BASE_ARTEFACTS / 'public'
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run']


def require_browser():
    "Skip the test case where playwright or Chromium is missing"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise unittest.SkipTest("playwright is not installed")
    if not shutil.which(CHROMIUM):
        raise unittest.SkipTest("no chromium (make browser installs it)")


class PublicBrowserTestCase(WebServerMixin, unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        require_browser()
        super().setUpClass()
        cls.event = cls.make_event(
            "InspirES 2024", capacity=200,
            sessions=[("Matinée : ateliers", 0, 3, 80),
                ("Après-midi : visites d'entreprises", 4, 3, 40)],
            tickets=[("Participant·e", 'participant', True, None),
                ("Presse", 'press', True, 10)])

    def test_public_registration_in_browser(self):
        "Open the list, pick the event, register in French, cancel"
        from playwright.sync_api import expect, sync_playwright
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                page = browser.new_page(
                    locale='fr-BE', viewport={'width': 1000, 'height': 900})

                def shot(name):
                    page.screenshot(
                        path=str(ARTEFACTS / name), full_page=True)

                page.goto(self.base)
                expect(page.locator('h1')).to_have_text(
                    'Événements ouverts aux inscriptions')
                shot('1-events.png')
                page.get_by_role(
                    'link', name='InspirES 2024', exact=True).click()
                expect(page.locator('h1')).to_have_text('InspirES 2024')

                # A mistake first: the form says what is wrong, per field
                page.get_by_label('Prénom').fill('Claire')
                page.locator('#f-last_name').fill('Dubois')
                page.get_by_label('Adresse e-mail').fill('claire.dubois')
                page.get_by_role('button', name="S'inscrire").click()
                expect(page.locator('#err-email')).to_be_visible()
                # the summary names the field of each error
                expect(page.locator('#error-summary')).to_contain_text(
                    'Adresse e-mail : Cette adresse e-mail')
                shot('2-form-errors.png')
                self.assertEqual(
                    page.get_by_label('Prénom').input_value(), 'Claire')
                self.assertEqual(
                    page.locator('#f-email').get_attribute(
                        'aria-describedby'), 'err-email')

                # Corrected with the keyboard where a person would use it
                email = page.get_by_label('Adresse e-mail')
                email.fill('claire.dubois@example.org')
                page.get_by_label('Organisation').fill('Febecoop')
                page.get_by_label('Fonction').fill('Coordinatrice')
                page.get_by_label('Matinée : ateliers').check()
                page.get_by_label('Régime alimentaire').select_option(
                    'vegetarian')
                page.get_by_label("Besoins d'accessibilité").fill(
                    'Place pour fauteuil roulant')
                consent = page.locator('#f-consent')
                consent.focus()
                page.keyboard.press('Space')
                self.assertTrue(consent.is_checked())
                shot('3-form-filled.png')
                page.get_by_role('button', name="S'inscrire").press('Enter')

                expect(page.locator('h1')).to_have_text('Votre inscription')
                expect(page.locator('#status')).to_have_text('Confirmé')
                self.assertIn('/events/registration/', page.url)
                self.assertTrue(page.locator('figure.qr svg').is_visible())
                # what a phone at the door reads: a standard QR code
                qr = decode_qr(page.locator('figure.qr svg').screenshot())
                self.assertEqual(qr, ('QRCode', page.locator(
                            'figure.qr .code').inner_text().strip()))
                shot('4-confirmed.png')
                with page.expect_download() as download:
                    page.get_by_role(
                        'link', name='Ajouter à mon agenda (.ics)').click()
                ics = download.value.path().read_text()
                self.assertIn('Matinée : ateliers', ics)

                # Cancelling asks first, on a page without JavaScript
                page.get_by_role(
                    'link', name='Annuler mon inscription').click()
                expect(page.locator('h1')).to_have_text(
                    'Annuler votre inscription ?')
                shot('5-cancel-confirm.png')
                page.get_by_role(
                    'button', name='Oui, annuler mon inscription').click()
                expect(page.locator('#status')).to_have_text('Annulé')
                shot('6-cancelled.png')
            except Exception:
                shot('failure.png')
                print(self.server.server_log())
                raise
            finally:
                browser.close()
        registration, = self.registrations(
            self.event, email='claire.dubois@example.org')
        self.assertEqual(registration['state'], 'cancelled')
        self.assertEqual(registration['source'], 'web')


# The width of the document beyond the window: a page that scrolls sideways
OVERFLOW_JS = """() => ({
  overflow: document.documentElement.scrollWidth
    - document.documentElement.clientWidth,
  wide: Array.from(document.querySelectorAll('body *')).filter(
    e => e.getBoundingClientRect().right
      > document.documentElement.clientWidth + 1).slice(0, 5).map(
    e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (e.className ? '.' + e.className : '')),
  lang: document.documentElement.lang})"""
LANGUAGES = {'fr': 'fr-BE', 'nl': 'nl-BE', 'en': 'en-GB'}


class PublicPagesTestCase(unittest.TestCase):
    "Every public page of the demo in French, Dutch and English"

    @classmethod
    def setUpClass(cls):
        require_browser()
        from tools.server import demo_server
        cls.server = demo_server()
        cls.rpc = cls.server.rpc()

    def public_pages(self):
        "The pages a person may open, as (name, path under the database)"
        import requests
        base = '%s/%s' % (self.server.url, self.server.name)
        events = requests.get(base + '/events/api/events').json()
        event = [e for e in events if e['registration_open']
            and e['seats_left'] != 0][0]
        registration = requests.post(
            '%s/events/api/events/%s/registrations' % (base, event['id']),
            json={'first_name': 'Lotte', 'last_name': 'Van den Broeck',
                'email': 'lotte.vdb@example.org', 'consent': True,
                'organisation': 'Coopkracht', 'language': 'nl'}).json()
        enterprise = requests.get(
            base + '/directory/api/enterprises').json()
        enterprise = enterprise.get('enterprises', enterprise)[0]
        list_, = self.rpc.model('marketing.email.list', 'search', [
                ('kind', '=', 'subscribers'), ('public', '=', True)],
            0, 1, None)
        subscription, = self.rpc.model('marketing.email', 'create', [{
                    'email': 'pieter.peeters@example.org', 'list_': list_,
                    'active': False, 'confirm_token': 'c' * 32,
                    'confirm_requested': {'__class__': 'datetime',
                        'year': 2026, 'month': 1, 'day': 5, 'hour': 9,
                        'minute': 0, 'second': 0, 'microsecond': 0},
                    }], context={'active_test': False})
        self.addCleanup(self.rpc.model, 'marketing.email', 'delete',
            [subscription], context={'active_test': False})
        email_token, = self.rpc.model('marketing.email', 'read',
            [subscription], ['email_token'],
            context={'active_test': False})
        token = registration['token']
        return [
            ('events', '/events'),
            ('event', '/events/%s' % event['id']),
            ('registration', '/events/registration/%s' % token),
            ('cancel', '/events/registration/%s/cancel' % token),
            ('directory', '/directory'),
            ('enterprise', '/directory/%s' % enterprise['id']),
            ('newsletter', '/newsletter'),
            ('confirm', '/newsletter/confirm/%s' % ('c' * 32)),
            ('unsubscribe', '/newsletter/unsubscribe/%s'
                % email_token['email_token']),
            ('checkin', '/events/checkin'),
            ]

    def set_admin_language(self, code):
        """The check-in page speaks the language of the logged-in user;
        English, the source language, is not a user's language here: the
        page is then in the default language"""
        langs = self.rpc.model('ir.lang', 'search', [
                ('code', '=', code), ('translatable', '=', True)],
            0, 1, None)
        self.rpc.model('res.user', 'write', [self.rpc.userid],
            {'language': langs[0] if langs else None})
        return bool(langs)

    def test_public_pages_no_horizontal_scroll_on_a_phone(self):
        """No public page scrolls sideways on a 375-pixel phone, in French,
        Dutch and English; each is in the language asked for"""
        from playwright.sync_api import sync_playwright

        from tools.server import ADMIN_PASSWORD
        shots = ARTEFACTS / 'pages'
        shots.mkdir(parents=True, exist_ok=True)
        pages = self.public_pages()
        base = '%s/%s' % (self.server.url, self.server.name)
        self.addCleanup(self.set_admin_language, 'fr')
        defects = []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                for lang, locale in LANGUAGES.items():
                    user_language = self.set_admin_language(lang)
                    for width in [375, 1280]:
                        context = browser.new_context(
                            locale=locale,
                            viewport={'width': width, 'height': 800},
                            http_credentials={'username': 'admin',
                                'password': ADMIN_PASSWORD})
                        page = context.new_page()
                        for name, path in pages:
                            page.goto('%s%s?lang=%s' % (base, path, lang))
                            page.screenshot(path=str(
                                    shots / ('%s-%s-%s.png'
                                        % (name, lang, width))),
                                full_page=True)
                            found = page.evaluate(OVERFLOW_JS)
                            if width == 375 and found['overflow'] > 0:
                                defects.append('%s %s: %s px wider (%s)' % (
                                        name, lang, found['overflow'],
                                        ', '.join(found['wide'])))
                            if found['lang'] != lang and (
                                    name != 'checkin' or user_language):
                                defects.append('%s %s: lang="%s"' % (
                                        name, lang, found['lang']))
                        context.close()
            finally:
                browser.close()
        self.assertEqual(defects, [], 'see %s' % shots)
