# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""A day of the team in the back-office, in a real headless Chromium (sao)

Log in, open the members, open an EU project and add a deliverable to it,
open the registrations of an event and check someone in.  The screenshots
are kept under var/artefacts/<backend>/journey/.  The DOM of sao 8.0 this
relies on is described at the top of ../shared/tools/sao_walk.py.
"""
import datetime as dt
import time
import unittest

from tools.server import ADMIN_PASSWORD
from tools.server import ARTEFACTS as BASE_ARTEFACTS
from tools.server import demo_server

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - installed by requirements-test.txt
    sync_playwright = None

ARTEFACTS = BASE_ARTEFACTS / 'journey'
CHROMIUM = '/usr/bin/chromium'
ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run']
ERRORS = ', '.join('.modal.in.%s' % c for c in [
        'error-dialog', 'warning-dialog', 'user-warning-dialog',
        'message-dialog'])
ACTIVE = '#tabcontent > .tab-pane.active'
MENU_ROWS = '#menu .treeview tbody > tr'
ROWS = ACTIVE + ' .treeview > table > tbody > tr:not(.more-row)'


class Browser:
    "sao in Chromium, waiting for the RPCs to settle after each step"

    def __init__(self, page, test):
        self.page, self.test = page, test
        self.pending, self.js_errors = set(), []
        page.on('request', lambda r: self.pending.add(r) if r.resource_type
            in {'xhr', 'fetch'} and '/bus' not in r.url else None)
        page.on('requestfinished', lambda r: self.pending.discard(r))
        page.on('requestfailed', lambda r: self.pending.discard(r))
        page.on('pageerror', lambda e: self.js_errors.append(str(e)))
        self.shots = 0

    def settle(self, timeout=20.0, quiet=0.5):
        "Wait until no RPC has been in flight for quiet seconds"
        end, since = time.time() + timeout, time.time()
        while time.time() < end:
            if self.pending:
                since = time.time()
            if time.time() - since >= quiet:
                return
            self.page.wait_for_timeout(100)

    def errors(self):
        texts = []
        for dialog in self.page.locator(ERRORS).all():
            texts.append(' '.join(
                    dialog.locator('.modal-body').inner_text().split()))
        return texts

    def check(self, step):
        "Fail, with a screenshot, if an error dialog is shown"
        self.settle()
        errors = self.errors()
        if errors:
            self.shot('error-' + step)
        self.test.assertEqual(errors, [], step)
        self.test.assertEqual(self.js_errors, [], step)

    def shot(self, name):
        self.shots += 1
        path = ARTEFACTS / ('%02d-%s.png' % (self.shots, name))
        self.page.screenshot(path=str(path))
        return path

    def login(self, database, user, password):
        page = self.page
        page.goto(self.test.server.url + '/')
        page.locator('.login-dialog #login').wait_for(
            state='visible', timeout=30000)
        self.settle(10)
        select = page.locator('.login-dialog select#database')
        entry = page.locator('.login-dialog input#database')
        if select.is_visible():
            select.select_option(database)
        elif entry.is_visible() and entry.is_editable():
            entry.fill(database)
        page.fill('.login-dialog #login', user)
        page.click('.login-dialog button[type=submit]')
        password_input = page.locator('.modal.in input[type=password]')
        password_input.wait_for(state='visible', timeout=20000)
        password_input.fill(password)
        password_input.press('Enter')
        end = time.time() + 60
        while time.time() < end:
            self.test.assertEqual(self.errors(), [], 'login')
            if page.locator(MENU_ROWS).count():
                break
            if page.locator('#tablist > li').count():
                # a login action (module configuration): closed
                self.settle(5)
                page.locator('#tablist > li.active button.close').click()
            page.wait_for_timeout(300)
        else:
            self.test.fail('the menu never appeared')
        self.settle()

    def menu_rows(self):
        "[(label, depth)] of the rows of the menu, in display order"
        return self.page.evaluate("""() => Array.from(
            document.querySelectorAll('%s')).map(tr => {
                const label = tr.querySelector('.column-char');
                const img = tr.querySelector('.expander img');
                return [label ? (label.getAttribute('title')
                        || label.textContent).trim() : '',
                    Math.round(parseFloat(
                        (img && img.style.marginLeft) || '0'))];
            })""" % MENU_ROWS)

    def open_menu(self, *path):
        """Expand the menu along path (labels) and open its last entry"""
        index = -1
        for depth, label in enumerate(path):
            rows = self.menu_rows()
            parent_depth = rows[index][1] if index >= 0 else None
            for i in range(index + 1, len(rows)):
                if parent_depth is not None and rows[i][1] <= parent_depth:
                    break  # out of the children of the parent
                if rows[i][0] == label:
                    index = i
                    break
            else:
                self.test.fail('menu %s: no %s in %s' % (
                        '/'.join(path), label, rows))
            row = self.page.locator(MENU_ROWS).nth(index)
            if depth < len(path) - 1:
                rows = self.menu_rows()
                expanded = (index + 1 < len(rows)
                    and rows[index + 1][1] > rows[index][1])
                if not expanded:
                    row.locator('.expander').click()
                    self.settle(10, 0.3)
            else:
                row.locator('.column-char').click()
        self.wait_view()

    def wait_view(self):
        self.page.locator(ACTIVE).first.wait_for(state='visible')
        self.settle()

    def rows(self):
        return self.page.locator(ROWS)

    def row_with(self, text):
        row = self.rows().filter(has_text=text).first
        self.test.assertTrue(row.count(), 'no row with %r' % text)
        return row

    def open_row(self, text):
        "Open the record of the list row that shows text in its form"
        row = self.row_with(text)
        row.locator('td:visible', has_text=text).first.click(
            position={'x': 3, 'y': 3})
        self.page.locator(ACTIVE + ' button#switch_').first.click()
        self.page.wait_for_function("""(sel) => {
            const box = document.querySelector(sel + ' .content-box');
            const view = box && Array.from(box.children).find(
                c => c.offsetParent !== null);
            return view && !view.classList.contains('tree-container'); }""",
            arg=ACTIVE)
        self.settle()

    def fill(self, scope, name, value):
        "Type value in the widget of field name (in scope) and leave it"
        group = scope.locator(
            '.input-group:has([name="%s"])' % name).first
        entry = group.locator('input:visible').first
        for _ in range(3):
            entry.fill(value)
            entry.press('Tab')
            self.settle(5, 0.5)
            if entry.input_value() == value:
                break  # not reset by the on_change of another field
        self.test.assertEqual(entry.input_value(), value, name)

    def page_tab(self, label):
        "Show the tab (list filter or form page) labelled label"
        self.page.locator(ACTIVE + ' .nav-tabs a', has_text=label).first\
            .click()
        self.settle(5, 0.3)


@unittest.skipUnless(sync_playwright, "playwright is not installed")
class BackOfficeJourneyTestCase(unittest.TestCase):
    "The back-office journey of the team, in French"

    @classmethod
    def setUpClass(cls):
        cls.server = demo_server()
        cls.rpc = cls.server.rpc()
        cls.project = cls._project()
        cls.registration = cls._registration()
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTEFACTS.glob('*.png'):
            old.unlink()

    # The records the journey walks through: the demo's when it has them,
    # else made through the same RPC as the client

    @classmethod
    def _project(cls):
        projects = cls.rpc.model('concertes.eu.project', 'search_read', [
                ('state', '=', 'running')], 0, 1, [('id', 'ASC')],
            ['acronym'])
        if projects:
            return projects[0]
        company = cls.rpc.model('company.company', 'search', [], 0, 1, None)
        currency = cls.rpc.model('currency.currency', 'search', [
                ('code', '=', 'EUR')], 0, 1, None)
        if not company or not currency:
            raise unittest.SkipTest("the demo world has no company")
        ids = cls.rpc.model('concertes.eu.project', 'create', [{
                    'company': company[0], 'currency': currency[0],
                    'acronym': 'JOURNEY', 'title': 'Parcours du back-office',
                    'role': 'partner', 'start_date': date(2024, 1, 1),
                    'duration': 24}])
        return {'id': ids[0], 'acronym': 'JOURNEY'}

    @classmethod
    def _registration(cls):
        "A confirmed registration of an open event (the demo's, or made)"
        found = cls.rpc.model('concertes.event.registration', 'search_read', [
                ('state', '=', 'confirmed'),
                ('event.state', '=', 'open'),
                ], 0, 1, [('id', 'ASC')],
            ['event', 'event.rec_name', 'last_name', 'first_name'])
        if found:
            return found[0]
        start = (dt.datetime.now() + dt.timedelta(days=30)).replace(
            hour=9, minute=30, second=0, microsecond=0)
        event, = cls.rpc.model('concertes.event', 'create', [{
                    'name': 'Rencontre du parcours', 'kind': 'networking',
                    'start': datetime(start), 'end': datetime(
                        start + dt.timedelta(hours=3)),
                    'published': True, 'languages': ['fr'],
                    }])
        cls.rpc.model('concertes.event', 'open', [event])
        ids = cls.rpc.model('concertes.event.registration', 'create', [{
                    'event': event, 'first_name': 'Amélie',
                    'last_name': 'Parcours', 'language': 'fr',
                    'email': 'amelie.parcours@example.org'}],
            context={'registration_source': 'back_office'})
        cls.rpc.model('concertes.event.registration', 'register', ids)
        return cls.rpc.model('concertes.event.registration', 'read', ids,
            ['event', 'event.rec_name', 'last_name', 'first_name'])[0]

    def test_journey(self):
        "Members, an EU project and its new deliverable, a check-in"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(
                viewport={'width': 1400, 'height': 900}, locale='fr')
            context.set_default_timeout(20000)
            b = Browser(context.new_page(), self)
            try:
                self.journey(b)
            except Exception:
                b.shot('failure')
                raise
            finally:
                browser.close()

    def journey(self, b):
        b.login(self.server.name, 'admin', ADMIN_PASSWORD)
        b.check('login')
        b.shot('accueil')

        # The members
        b.open_menu('ConcertES', 'Membres', 'Organisations')
        b.check('organisations')
        b.shot('organisations')
        self.assertGreater(b.rows().count(), 0)

        # An EU project, and a deliverable added to it
        b.open_menu('ConcertES', 'Projets européens',
            'Projets et propositions')
        b.check('projects')
        b.page_tab('En cours')
        b.shot('projets')
        b.open_row(self.project['acronym'])
        b.check('project form')
        b.shot('projet')
        b.page_tab('Livrables')
        widget = b.page.locator(
            ACTIVE + ' .form-one2many').filter(
            has=b.page.locator('.form-one2many-toolbar, .title',
                has_text='Livrables')).first
        if not widget.count():
            widget = b.page.locator(ACTIVE + ' .form-one2many:visible').first
        widget.locator('button[title="Nouveau"]').first.click()
        dialog = b.page.locator('.modal.in').last
        dialog.locator('[name="number"]:visible').first.wait_for()
        b.settle()
        number = 'D9.%d' % (1 + self.rpc.model(
                'concertes.eu.deliverable', 'search_count', [
                    ('project', '=', self.project['id']),
                    ('number', 'like', 'D9.%')]))
        b.fill(dialog, 'number', number)
        b.fill(dialog, 'title', 'Rapport du parcours')
        b.fill(dialog, 'due_month', '6')
        b.shot('nouveau-livrable')
        dialog.locator('button#save').click()
        b.settle()
        b.page.locator(ACTIVE + ' button#save').first.click()
        b.check('deliverable saved')
        b.shot('livrable-ajoute')
        deliverables = self.rpc.model(
            'concertes.eu.deliverable', 'search_read', [
                ('project', '=', self.project['id']),
                ('number', '=', number)],
            0, None, None, ['title', 'due_month'])
        self.assertEqual(len(deliverables), 1, deliverables)
        self.assertEqual(deliverables[0]['title'], 'Rapport du parcours')
        self.assertEqual(deliverables[0]['due_month'], 6)

        # The registrations of an event, and someone checked in
        b.open_menu('ConcertES', 'Événements', 'Événements')
        b.check('events')
        b.shot('evenements')
        event_name = self.registration['event.']['rec_name']
        b.open_row(event_name)
        b.check('event form')
        b.shot('evenement')
        b.page.locator(ACTIVE + ' button#relate').first.click()
        b.page.locator(
            ACTIVE + ' ul.dropdown-menu[aria-labelledby="relate"] a',
            has_text='Inscriptions').first.click()
        b.wait_view()
        b.check('registrations')
        b.shot('inscriptions')
        b.open_row(self.registration['last_name'])
        b.shot('inscription')
        b.page.locator(ACTIVE + ' button[name="check_in"]').first.click()
        b.settle()
        confirm = b.page.locator('.modal.in .modal-footer button.btn-primary')
        if confirm.count():
            confirm.first.click()
        b.check('check-in')
        b.shot('arrivee-enregistree')
        state, = self.rpc.model('concertes.event.registration', 'read',
            [self.registration['id']], ['state', 'checkin_time'])
        self.assertEqual(state['state'], 'attended')
        self.assertTrue(state['checkin_time'])


def date(year, month, day):
    return {'__class__': 'date', 'year': year, 'month': month, 'day': day}


def datetime(value):
    return {'__class__': 'datetime', 'year': value.year,
        'month': value.month, 'day': value.day, 'hour': value.hour,
        'minute': value.minute, 'second': value.second, 'microsecond': 0}
