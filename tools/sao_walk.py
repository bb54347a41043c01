#!/usr/bin/env python3
"""Walk Tryton's web client (sao 8.0) in headless Chromium, taking screenshots.

  python sao_walk.py --url http://127.0.0.1:8765/ --database demo --user admin \
      --password PASS --out DIR [--menu "Tiers"] [--lang fr] [--max 30] [--parents] \
      [--width 1400] [--height 900]

Logs in, shoots the home, expands the menu (all, or the subtree --menu names: a label
or an "A/B" path), opens each leaf (with --parents also parents that have an action),
shoots the tab and, for a non-empty list, the form of its first record, closes the tab
and writes DIR/walk.md. Exit: 0 ok, 1 error dialog or walker failure, 2 login failed.

sao 8.0 DOM relied upon (sao src/session.js, sao.js, common.js, tab.js, view/tree.js):
- .login-dialog: #database is a <select> (several DBs) or an <input> (readonly if the
  server lists one DB, free text if listing is off); #login; button[type=submit].
- The password is asked next in another modal (.modal.in, "ask-dialog") holding
  input[type=password]; Enter submits. Asked again = wrong user or password.
- Login actions (e.g. the module configuration wizard) open as tabs BEFORE the menu is
  built: they are shot (00-startup-N.png) and closed so that the menu appears.
- #menu .treeview tbody > tr: one row per menu entry; .column-char[title] = label;
  span.expander is visibility:visible when the entry has children and its <img> is
  indented margin-left:(depth-1)em; a click on the expander expands, a click on the
  label opens the entry. --parents maps rows to ir.ui.menu ids through
  Sao.main_menu_screen.current_view.rows (Row.el, Row.record, Row.rows).
- #tablist > li(.active) button.close closes a tab; #tabcontent > .tab-pane.active is
  the active tab: its first child is .tab-form / .tab-wizard / .tab-board; its
  outermost .content-box shows the main view (.tree-container = list, .form, ...);
  list rows = .treeview > table > tbody > tr except tr.more-row; toolbar: .badge
  (position/record count) and button#switch_ (list <-> form).
- .modal.in.error-dialog (server exception), .warning-dialog (UserError),
  .user-warning-dialog (UserWarning), .message-dialog: error text in .modal-body.
  Other modals: wizard dialogs (Cancel = button.btn-link, the end state) and
  .confirmation-dialog ("save changes?": No = button.btn-default).
"""
import argparse
import re
import sys
import time
import unicodedata
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run']
ERRORS = ', '.join(f'.modal.in.{c}' for c in (
    'error-dialog', 'warning-dialog', 'user-warning-dialog', 'message-dialog'))
ACTIVE = '#tabcontent > .tab-pane.active'
MENU_ROWS = '#menu .treeview tbody > tr'
# [label, depth, has_children, menu id] of every menu row, in display order.
MENU_JS = """() => {
  const ids = new Map(), walk = rows => (rows || []).forEach(r => {
    ids.set(r.el[0], r.record.id); walk(r.rows); });
  try { walk(Sao.main_menu_screen.current_view.rows); } catch (e) {}
  return Array.from(document.querySelectorAll('%s')).map(tr => {
    const lab = tr.querySelector('.column-char'), exp = tr.querySelector('.expander');
    const img = exp && exp.querySelector('img');
    return [lab ? (lab.getAttribute('title') || lab.textContent).trim() : '',
            Math.round(parseFloat((img && img.style.marginLeft) || '0')) + 1,
            !!exp && getComputedStyle(exp).visibility === 'visible',
            ids.get(tr) || null]; }); }""" % MENU_ROWS
# Which of the given menu ids have an action (one RPC through sao's session).
WITH_ACTION_JS = """(ids) => new Promise((ok, ko) => Sao.rpc({
  method: 'model.ir.ui.menu.read', params: [ids, ['action'], {}]},
  Sao.Session.current_session).then(r => ok(r.filter(m => m.action).map(m => m.id)), ko))"""
# [kind, rows shown, toolbar badge] of the active tab.
VIEW_JS = """(sel) => {
  const pane = document.querySelector(sel), panel = pane && pane.firstElementChild;
  if (!panel) return ['none', '', ''];
  const badge = pane.querySelector('.badge'), count = badge ? badge.title : '';
  if (panel.classList.contains('tab-wizard')) return ['wizard', '', ''];
  if (panel.classList.contains('tab-board')) return ['board', '', ''];
  const box = pane.querySelector('.content-box');
  const view = box && Array.from(box.children).find(c => c.offsetParent !== null);
  if (!view) return ['loading', '', ''];
  if (view.classList.contains('tree-container')) return ['list',
    view.querySelectorAll('.treeview > table > tbody > tr:not(.more-row)').length, count];
  return [view.className.split(' ')[0], '', count]; }"""


class Walker:
    def __init__(self, page, out):
        self.page, self.out, self.pending, self.js_errors = page, out, set(), []
        # Track in-flight XHR/fetch (RPC) requests to know when the client settled.
        page.on('request', lambda r: self.pending.add(r) if r.resource_type in (
            'xhr', 'fetch') and '/bus' not in r.url else None)
        page.on('requestfinished', lambda r: self.pending.discard(r))
        page.on('requestfailed', lambda r: self.pending.discard(r))
        page.on('pageerror', lambda e: self.js_errors.append(str(e)))

    def settle(self, timeout=20.0, quiet=0.5):
        """Wait until no RPC has been in flight for `quiet` seconds."""
        end, since = time.time() + timeout, time.time()
        while time.time() < end:
            since = time.time() if self.pending else since
            if time.time() - since >= quiet:
                return True
            self.page.wait_for_timeout(100)
        return False

    def shot(self, name):
        self.page.screenshot(path=str(self.out / name))
        return name

    def dialogs(self, close=True):
        """Texts of the visible error dialogs, which are then closed."""
        texts = []
        for dlg in self.page.locator(ERRORS).all():
            text = ' '.join(dlg.locator('.modal-body').inner_text().split())
            details = [d for d in dlg.locator('pre').all_text_contents() if d.strip()]
            texts.append(text + (' -- ' + details[0].strip().splitlines()[-1]
                                 if details else ''))  # last line of the traceback
            btn = dlg.locator('.modal-footer button.btn-primary')
            if close:
                btn.first.click() if btn.count() else self.page.keyboard.press('Escape')
                self.page.wait_for_timeout(300)
        return texts

    def close_modals(self):
        """Close error dialogs (returning their texts), then cancel other modals."""
        texts = self.dialogs()
        for _ in range(3):
            dlg = self.page.locator('.modal.in').last
            if not dlg.count():
                break
            confirm = 'confirmation-dialog' in (dlg.get_attribute('class') or '')
            btn = dlg.locator('.modal-footer button.btn-'
                              + ('default' if confirm else 'link'))
            btn.first.click() if btn.count() else self.page.keyboard.press('Escape')
            self.settle(5, 0.3)
            texts += self.dialogs()
        return texts

    def close_tabs(self):
        texts = []
        for _ in range(10):
            close = self.page.locator('#tablist > li.active button.close')
            if not close.count():
                break
            close.first.click()
            self.settle(5, 0.3)
            texts += self.close_modals()
        return texts

    def view(self, t0, timeout=20.0):
        """Wait for the active tab's view (or a modal); return kind, rows, badge and
        the seconds from t0 until that final state first showed."""
        end, last, seen = t0 + timeout, None, time.time()
        while time.time() < end:
            if self.page.locator('.modal.in').count():
                dt = time.time() - t0
                self.settle(5, 0.3)  # then let the fade-in animation finish
                self.page.wait_for_function("""() => Array.from(document.querySelectorAll(
                    '.modal.in')).every(m => getComputedStyle(m).opacity === '1')""")
                return 'dialog', '', '', dt
            state = self.page.evaluate(VIEW_JS, ACTIVE)
            if state != last:
                last, seen = state, time.time()
            elif state[0] not in ('none', 'loading') and self.settle(5, 0.4) \
                    and self.page.evaluate(VIEW_JS, ACTIVE) == state:
                return (*state, seen - t0)  # no RPC left and rows stable
            self.page.wait_for_timeout(200)
        return (*self.page.evaluate(VIEW_JS, ACTIVE), time.time() - t0)


def login(w, a):
    p = w.page
    p.goto(a.url)
    p.locator('.login-dialog #login').wait_for(state='visible', timeout=30000)
    w.settle(10)  # the database list is filled asynchronously
    select = p.locator('.login-dialog select#database')
    entry = p.locator('.login-dialog input#database')
    if select.is_visible():
        select.select_option(a.database)
    elif entry.is_visible() and entry.is_editable():
        entry.fill(a.database)
    elif entry.is_visible() and entry.input_value() != a.database:
        raise RuntimeError(f'server only offers database {entry.input_value()!r}')
    p.fill('.login-dialog #login', a.user)
    p.click('.login-dialog button[type=submit]')
    pwd = p.locator('.modal.in input[type=password]')
    p.wait_for_selector(f'.modal.in input[type=password], {ERRORS}', timeout=20000)
    if err := w.dialogs(close=False):  # left open for the failure screenshot
        raise RuntimeError('; '.join(err))
    pwd.fill(a.password)
    pwd.press('Enter')
    end, startup = time.time() + 60, []
    while time.time() < end:
        if err := w.dialogs(close=False):
            raise RuntimeError('; '.join(err))
        if pwd.is_visible():
            raise RuntimeError('password rejected')
        if p.locator(MENU_ROWS).count():
            return startup
        if p.locator('#tablist > li').count() and w.settle(5):
            startup.append(w.shot(f'00-startup-{len(startup)}.png'))
            w.close_tabs()
        p.wait_for_timeout(300)
    raise RuntimeError('main menu never appeared')


def expand_menu(w, filt, parents):
    """Expand the menu; return [(label path, row index)] of the entries to open."""
    top = [r[0].lower() for r in w.page.evaluate(MENU_JS) if r[1] == 1]
    anchored = bool(filt) and filt[0] in top  # else look for the label(s) anywhere

    def read():  # -> [(path, has_children, depth, menu id)]
        out, stack = [], []
        for label, depth, kids, mid in w.page.evaluate(MENU_JS):
            stack = stack[:depth - 1] + [label]
            out.append((list(stack), kids, depth, mid))
        return out

    def match(path, or_ancestor):
        lp = [s.lower() for s in path]
        if not filt:
            return True
        if anchored:
            n = min(len(lp), len(filt)) if or_ancestor else len(filt)
            return len(lp) >= n and lp[:n] == filt[:n]
        return or_ancestor or any(lp[k:k + len(filt)] == filt for k in range(len(lp)))

    for _ in range(1000):  # expand one collapsed row per pass, re-reading the DOM
        data = read()
        todo = [i for i, (path, kids, d, _) in enumerate(data) if kids and match(
            path, True) and (i + 1 == len(data) or data[i + 1][2] <= d)]
        if not todo:
            break
        w.page.locator(MENU_ROWS).nth(todo[0]).locator('.expander').click()
        w.settle(10, 0.3)
    ids = [mid for path, kids, _, mid in data if parents and kids and mid]
    acting = set(w.page.evaluate(WITH_ACTION_JS, ids)) if ids else set()
    return [(path, i) for i, (path, kids, _, mid) in enumerate(data)
            if (not kids or mid in acting) and match(path, False)]


def open_first_record(w):
    """Select the first list row, then "Switch" to the form (or double-click it)."""
    cell = w.page.locator(f'{ACTIVE} .treeview > table > tbody > tr').first \
        .locator('td[headers]:visible').first
    cell.click(position={'x': 3, 'y': 3})  # a corner of the cell: miss its links
    switch = w.page.locator(f'{ACTIVE} button#switch_').first
    if switch.count() and switch.is_enabled():
        switch.click()
    else:
        cell.dblclick(position={'x': 3, 'y': 3})
    return w.view(time.time(), 10)[0] == 'form'


def slug(n, path):
    text = unicodedata.normalize('NFKD', ' '.join(path[-2:]).lower())
    text = re.sub(r'[^a-z0-9]+', '-', text.encode('ascii', 'ignore').decode())
    return f'{n:02d}-{text.strip("-")[:50]}'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    for opt in ('--url', '--database', '--user', '--password', '--out'):
        ap.add_argument(opt, required=True)
    ap.add_argument('--menu', default='', help='label or "A/B" path of a subtree')
    ap.add_argument('--lang', default='en', help='browser locale (login dialog)')
    ap.add_argument('--max', type=int, default=30)
    ap.add_argument('--parents', action='store_true')
    ap.add_argument('--width', type=int, default=1400, help='viewport width')
    ap.add_argument('--height', type=int, default=900, help='viewport height')
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    filt = [s.strip().lower() for s in a.menu.split('/') if s.strip()]
    lines, failed = [f'# sao walk: {a.url} database={a.database} user={a.user}', ''], False

    def write():
        (out / 'walk.md').write_text('\n'.join(lines) + '\n')

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path='/usr/bin/chromium', args=ARGS)
        ctx = browser.new_context(viewport={'width': a.width, 'height': a.height},
                                  locale=a.lang)
        ctx.set_default_timeout(15000)
        w, t0 = Walker(ctx.new_page(), out), time.time()
        try:
            startup = login(w, a)
            w.settle()
        except Exception as e:  # noqa: BLE001 - whatever it is, the login failed
            lines.append(f'LOGIN FAILED: {str(e).splitlines()[0]} '
                         f'(see {w.shot("00-login-failed.png")})')
            print(lines[-1], file=sys.stderr)
            write()
            return 2
        lines.append(f'Login OK in {time.time() - t0:.1f}s; home: {w.shot("00-home.png")}'
                     + ''.join(f'; login action shot and closed: {s}' for s in startup))
        entries = expand_menu(w, filt, a.parents)
        lines += [f'Menu: {w.shot("00-menu.png")}; {len(entries)} entries matched, '
                  f'walking {min(len(entries), a.max)}', '',
                  '| # | menu path | view | screenshots | rows shown | records | load s '
                  '| error dialog |', '|---|---|---|---|---|---|---|---|']
        for n, (path, idx) in enumerate(entries[:a.max], 1):
            kind, rows, count, dt, files, errs = '?', '', '', 0.0, [], []
            try:
                t1 = time.time()
                w.page.locator(MENU_ROWS).nth(idx).locator('.column-char').click()
                kind, rows, count, dt = w.view(t1)
                files.append(w.shot(slug(n, path) + '.png'))  # shows error dialogs
                errs += w.dialogs()
                if kind == 'list' and rows and open_first_record(w):
                    files.append(w.shot(slug(n, path) + '-form.png'))
            except Exception as e:  # noqa: BLE001 - report it and keep walking
                errs.append(f'walker: {str(e).splitlines()[0]}')
            errs += w.close_modals()  # errors, wizard dialogs
            errs += w.close_tabs()
            failed |= bool(errs)
            err = '; '.join(errs).replace('|', '/')[:300] or 'no'
            lines.append(f'| {n} | {" / ".join(path)} | {kind} | {", ".join(files)} | '
                         f'{rows} | {count} | {dt:.1f} | {err} |')
            print(lines[-1], flush=True)
            write()  # keep partial results
        if w.js_errors:
            lines += ['', 'JavaScript errors:'] + [f'- {e}' for e in w.js_errors]
        browser.close()
    write()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
