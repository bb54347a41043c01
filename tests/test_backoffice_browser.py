# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The back-office in a real headless Chromium, as the team uses it"
import collections
import contextlib
import datetime as dt
import importlib.util
import time
import types
import unittest

from tools.server import ADMIN_PASSWORD, ARTEFACTS, ROOT, demo_server

SAO_WALK = ROOT.parent / 'shared' / 'tools' / 'sao_walk.py'

# The lists of the active board: {panel title: [text of each row]}
BOARD_LISTS_JS = """(sel) => Object.fromEntries(Array.from(
  document.querySelectorAll(sel + ' .board-action')).map(action => [
    action.querySelector('.panel-heading').innerText.trim(),
    Array.from(action.querySelectorAll(
      '.treeview > table > tbody > tr:not(.more-row)')).map(
        tr => tr.innerText.replace(/\\s+/g, ' ').trim())]))"""

# Click the "More" rows of the lists of the active board: how many there were
MORE_ROWS_JS = """(sel) => Array.from(document.querySelectorAll(
  sel + ' .board-action tr.more-row button')).map(b => b.click()).length"""


def rpc_date(date):
    return {'__class__': 'date', 'year': date.year, 'month': date.month,
        'day': date.day}


def sao_walk():
    "The walker's module, for its login and its wait for the client"
    spec = importlib.util.spec_from_file_location('sao_walk', SAO_WALK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def sao_session(walk, server, out, width=1400, height=900):
    """A headless Chromium logged into sao on the server as admin: yield the
    page, sao_walk's Walker and the list of the console defects seen; the
    tabs the login opened are the walker's startup"""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path='/usr/bin/chromium', args=walk.ARGS)
        try:
            context = browser.new_context(
                viewport={'width': width, 'height': height}, locale='fr')
            context.set_default_timeout(15000)
            page = context.new_page()
            walker = walk.Walker(page, out)
            console = []
            page.on('console', lambda message: console.append(
                    console_text(message))
                if console_defect(message) else None)
            walker.startup = walk.login(walker, types.SimpleNamespace(
                    url=server.url + '/', database=server.name,
                    user='admin', password=ADMIN_PASSWORD))
            walker.settle()
            yield page, walker, console
        finally:
            browser.close()


class BackOfficeWalkTestCase(unittest.TestCase):

    def test_dashboard_lists_deadlines(self):
        """The dashboard lists, row by row, the deadlines of the next 30 days
        and the late items, as the server finds them"""
        if importlib.util.find_spec('playwright') is None:
            raise unittest.SkipTest("playwright is not installed")
        server = demo_server()
        rpc = server.rpc()
        today = dt.date.today()
        requester, = rpc.model('party.party', 'search', [
                ('organisation_kind', '=', 'member_federation')], 0, 1, None)
        subject = "Chiffres de l'emploi pour la Semaine de l'ÉS"
        request, = rpc.model('concertes.request', 'create', [{
                    'requester': requester, 'kind': 'data',
                    'subject': subject,
                    'received_date': rpc_date(today),
                    'due_date': rpc_date(today + dt.timedelta(days=10)),
                    }])
        self.addCleanup(
            rpc.model, 'concertes.request', 'delete', [request])

        def names(domain):
            ids = rpc.model('concertes.deadline', 'search', domain, 0, None,
                None)
            return sorted(d['name'] for d in rpc.model(
                    'concertes.deadline', 'read', ids, ['name']))
        upcoming = names([
                ('date', '>=', rpc_date(today)),
                ('date', '<=', rpc_date(today + dt.timedelta(days=30)))])
        late = names([('late', '=', True)])
        self.assertIn(subject, upcoming)
        self.assertTrue(late)

        walk = sao_walk()
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        with sao_session(walk, server, ARTEFACTS) as (page, walker, console):
            entries = walk.expand_menu(walker, ['concertes'], False)
            index, = [i for path, i in entries
                if path == ['ConcertES', 'Tableau de bord']]
            page.locator(walk.MENU_ROWS).nth(index).locator(
                '.column-char').click()
            end, lists = time.time() + 30, {}
            # sao draws a list 20 rows at a time, the next ones when its
            # "More" row is scrolled to or clicked, as a user does
            while time.time() < end:
                walker.settle(10, 1)
                if page.evaluate(MORE_ROWS_JS, walk.ACTIVE):
                    continue
                lists = page.evaluate(BOARD_LISTS_JS, walk.ACTIVE)
                if lists and len(lists.get(
                            "Éléments en retard", [])) == len(late) \
                        and len(lists.get(
                            "Échéances des 30 prochains jours", [])) \
                        == len(upcoming):
                    break
                page.wait_for_timeout(300)
            walker.shot('dashboard.png')
        report = '%s (see %s)' % (lists, ARTEFACTS / 'dashboard.png')
        self.assertEqual(walker.js_errors + console, [], report)
        for title, expected in [
                ("Échéances des 30 prochains jours", upcoming),
                ("Éléments en retard", late)]:
            rows = lists.get(title)
            self.assertEqual(len(rows), len(expected), report)
            self.assertGreater(len(rows), 0, report)
            # two deadlines may share a name (a grant's advance of each
            # year): each is a row of its own, told apart by its date
            for name in set(expected):
                self.assertEqual(
                    len([r for r in rows if name in r]),
                    expected.count(name), report)

    def test_admin_login_opens_no_configuration_wizard(self):
        """On the demo built as `make demo` builds it, the administrator logs
        into sao without the module configuration wizard opening"""
        if importlib.util.find_spec('playwright') is None:
            raise unittest.SkipTest("playwright is not installed")
        server = demo_server()
        rpc = server.rpc()
        self.assertFalse(rpc.model('ir.module.config_wizard.item', 'search',
                [('state', '=', 'open')], 0, None, None))
        # the actions sao runs at login
        self.assertEqual(rpc.call(
                'model.res.user.get_preferences', [False, {}])['actions'], [])
        walk = sao_walk()
        out = ARTEFACTS / 'login'
        out.mkdir(parents=True, exist_ok=True)
        with sao_session(walk, server, out) as (page, walker, console):
            startup = walker.startup
        self.assertEqual(startup, [], "tabs opened at login: %s" % startup)

    def test_every_concertes_screen_opens_without_error(self):
        """Each entry of the ConcertES menu, and each list related to a form
        of ours, opens in French without error dialog nor error in the
        browser console"""
        if importlib.util.find_spec('playwright') is None:
            raise unittest.SkipTest("playwright is not installed")
        server = demo_server()
        records = relate_records(server.rpc())
        walk = sao_walk()
        out = ARTEFACTS / 'sao-walk'
        out.mkdir(parents=True, exist_ok=True)
        # sao_walk's main() gives no hold on its page: its steps are run
        # here, with the console listened to for each screen
        results = []
        with sao_session(walk, server, out) as (page, walker, console):

            def messages():
                found = console + walker.js_errors
                del console[:], walker.js_errors[:]
                return found
            results.append(
                (['Login'], 'login', '00-home.png', '', [], messages()))
            walker.shot('00-home.png')
            entries = walk.expand_menu(walker, ['concertes'], True)
            for number, (path, index) in enumerate(entries, 1):
                results.append(walk_entry(
                        walk, walker, number, path, index)
                    + (messages(),))
            for model, (record, _) in sorted(records.items()):
                for result in walk_relates(
                        walk, walker, len(results), model, record):
                    results.append(result + (messages(),))
        lines = ['| screen | view | screenshot | rows shown '
            '| error dialog | console errors |', '|---|---|---|---|---|---|']
        for path, kind, shot, rows, dialogs, found in results:
            lines.append('| %s | %s | %s | %s | %s | %s |' % (
                    ' / '.join(path), kind, shot, rows,
                    '; '.join(dialogs) or 'no',
                    '; '.join(summary(found)) or 'no'))
        report = '\n'.join(lines)
        (out / 'walk.md').write_text(report + '\n')
        failures = ['%s: %s' % (' / '.join(path), '; '.join(
                    dialogs + summary(found)))
            for path, _, _, _, dialogs, found in results
            if dialogs or found]
        self.assertEqual(failures, [], '\n' + report)
        # The walk saw the modules' screens, not an empty menu, and drew
        # the rows of each related list
        self.assertGreaterEqual(
            len([r for r in results if r[1] == 'list']), 8, report)
        related = {tuple(r[0]) for r in results if r[0][0] in records}
        for model, (record, names) in records.items():
            for name in names:
                self.assertIn((model, str(record), name), related, report)
        self.assertEqual([r[0] for r in results if r[0][0] in records
                and r[0][2] in records[r[0][0]][1] and r[1] == 'list'
                and not r[3]], [], report)


def console_defect(message):
    """Whether a console message tells of a broken screen: an error, or an
    exception that jQuery caught in a promise of sao and only warns of"""
    return message.type == 'error' or (
        message.type == 'warning'
        and message.text.startswith('jQuery.Deferred exception'))


def console_text(message):
    "The text of a console message, with the address of a failed resource"
    if message.text.startswith('Failed to load resource'):
        return '%s: %s' % (message.text, message.location.get('url'))
    return message.text


def summary(messages):
    "The distinct messages, each with its count (one per row of a list)"
    counts = {}
    for message in messages:
        message = ' '.join(message.split())[:300]
        counts[message] = counts.get(message, 0) + 1
    return ['%s (x%s)' % (m, c) if c > 1 else m for m, c in counts.items()]


def relate_records(rpc):
    """{model: (record id, names of lists)} for each of our models with
    related lists: the record that has rows in most of them, so that their
    rows are drawn, and the names of these lists"""
    keywords = rpc.model('ir.action.keyword', 'search_read', [
            ('keyword', '=', 'form_relate'),
            ('model', 'like', 'concertes.%'),
            ], 0, None, None, ['model', 'action'])
    records = {}
    for model in {k['model'].split(',')[0] for k in keywords}:
        actions = [k['action'] for k in keywords
            if k['model'].split(',')[0] == model]
        votes, lists = collections.Counter(), collections.defaultdict(set)
        for window in rpc.model('ir.action.act_window', 'search_read', [
                    ('action', 'in', actions)], 0, None, None,
                ['res_model', 'name']):
            res_model = window['res_model']
            fields = rpc.model(res_model, 'fields_get', None)
            for name, field in fields.items():
                if (field['type'] == 'many2one'
                        and field.get('relation') == model):
                    rows = rpc.model(res_model, 'search_read', [
                            (name, '!=', None)], 0, 1000, None, [name])
                    for record in {r[name] for r in rows}:
                        votes[record] += 1
                        lists[record].add(window['name'])
        if votes:
            (record, _), = votes.most_common(1)
            records[model] = record, lists[record]
    return records


def walk_entry(walk, walker, number, path, index):
    """Open the menu entry as sao_walk does: shoot its tab and the form of
    the first record of a list, close them; return the path, the kind of
    view, the screenshot, the rows shown and the error dialogs"""
    page = walker.page
    kind, rows, shot, dialogs = '?', '', '', []
    try:
        start = time.time()
        page.locator(walk.MENU_ROWS).nth(index).locator(
            '.column-char').click()
        kind, rows, _, _ = walker.view(start)
        shot = walker.shot(walk.slug(number, path) + '.png')
        dialogs += walker.dialogs()
        if kind == 'list' and rows and walk.open_first_record(walker):
            walker.shot(walk.slug(number, path) + '-form.png')
    except Exception as exception:
        dialogs.append('walker: %s' % str(exception).splitlines()[0])
    dialogs += walker.close_modals()
    dialogs += walker.close_tabs()
    # The messages of the rows drawn late belong to this entry
    walker.settle(5, 0.5)
    return path, kind, shot, rows, dialogs


def walk_relates(walk, walker, number, model, record):
    """Open the form of the record, as a link to it does, then each entry of
    its "Open related records" menu; yield as walk_entry returns"""
    page = walker.page
    relate = page.locator(walk.ACTIVE + ' button#relate')
    items = page.locator(walk.ACTIVE
        + ' .btn-group:has(> button#relate) > .dropdown-menu > li > a')
    page.evaluate("""([model, id]) => { Sao.Tab.create({
        model: model, res_id: id, mode: ['form', 'tree']}); }""",
        [model, record])
    walker.view(time.time())
    relate.click()
    names = items.all_inner_texts()
    relate.click()
    for item, name in enumerate(names):
        number += 1
        path = [model, str(record), name]
        kind, rows, shot, dialogs = '?', '', '', []
        try:
            relate.click()
            start = time.time()
            items.nth(item).click()
            kind, rows, _, _ = walker.view(start)
            shot = walker.shot(walk.slug(number, path) + '.png')
            dialogs += walker.dialogs()
        except Exception as exception:
            dialogs.append('walker: %s' % str(exception).splitlines()[0])
        dialogs += walker.close_modals()
        # Close the related list only, back to the form
        page.locator('#tablist > li.active button.close').first.click()
        walker.settle(5, 0.5)
        dialogs += walker.close_modals()
        yield path, kind, shot, rows, dialogs
    walker.close_tabs()
