# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The public registration in a real headless Chromium, as a person uses it"
import shutil
import unittest

from tools.server import ROOT
from trytond.modules.concertes_events.tests.tools import decode_qr

from .test_web import WebServerMixin

ARTEFACTS = ROOT / 'var' / 'artefacts' / 'public'
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run']


class PublicBrowserTestCase(WebServerMixin, unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            raise unittest.SkipTest("playwright is not installed")
        if not shutil.which(CHROMIUM):
            raise unittest.SkipTest("no chromium (make browser installs it)")
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
                page.goto(self.base)
                expect(page.locator('h1')).to_have_text(
                    'Événements ouverts aux inscriptions')
                page.screenshot(
                    path=str(ARTEFACTS / '1-events.png'), full_page=True)
                page.get_by_role(
                    'link', name='InspirES 2024', exact=True).click()
                expect(page.locator('h1')).to_have_text('InspirES 2024')

                # A mistake first: the form says what is wrong, per field
                page.get_by_label('Prénom').fill('Claire')
                page.locator('#f-last_name').fill('Dubois')
                page.get_by_label('Adresse e-mail').fill('claire.dubois')
                page.get_by_role('button', name="S'inscrire").click()
                expect(page.locator('#err-email')).to_be_visible()
                page.screenshot(
                    path=str(ARTEFACTS / '2-form-errors.png'),
                    full_page=True)
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
                page.screenshot(
                    path=str(ARTEFACTS / '3-form-filled.png'),
                    full_page=True)
                page.get_by_role('button', name="S'inscrire").press('Enter')

                expect(page.locator('h1')).to_have_text('Votre inscription')
                expect(page.locator('#status')).to_have_text('Confirmé')
                self.assertIn('/events/registration/', page.url)
                self.assertTrue(page.locator('figure.qr svg').is_visible())
                # what a phone at the door reads: a standard QR code
                qr = decode_qr(page.locator('figure.qr svg').screenshot())
                self.assertEqual(qr, ('QRCode', page.locator(
                            'figure.qr .code').inner_text().strip()))
                page.screenshot(
                    path=str(ARTEFACTS / '4-confirmed.png'), full_page=True)
                with page.expect_download() as download:
                    page.get_by_role(
                        'link', name='Ajouter à mon agenda (.ics)').click()
                ics = download.value.path().read_text()
                self.assertIn('Matinée : ateliers', ics)

                page.get_by_role(
                    'button', name='Annuler mon inscription').click()
                expect(page.locator('#status')).to_have_text('Annulé')
                page.screenshot(
                    path=str(ARTEFACTS / '5-cancelled.png'), full_page=True)
            except Exception:
                page.screenshot(
                    path=str(ARTEFACTS / 'failure.png'), full_page=True)
                print(self.server.server_log())
                raise
            finally:
                browser.close()
        registration, = self.registrations(
            self.event, email='claire.dubois@example.org')
        self.assertEqual(registration['state'], 'cancelled')
        self.assertEqual(registration['source'], 'web')
