#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Which forms of the ConcertES menu are wider than the screen, in sao.

  python tools/form_widths.py --url http://127.0.0.1:8000 \\
      --database concertes \\
      --password PASS --out DIR [--width 1366] [--height 768]

Logs into sao (tools/sao_walk.py) with the menu open, opens the form view of
each model that a window of the ConcertES menu shows, on its first record and
on a new record, goes through every page of its notebooks and measures its
content box: a form is cut off on the right when the box scrolls
horizontally (scrollWidth > clientWidth).  Each overflowing page is shot in
DIR; the table of the widths is written to DIR/widths.md.  Exit 1 when a
form overflows.
"""
import argparse
import pathlib
import sys
import time
import types

if __package__ in {None, ''}:
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from tools import sao_walk  # noqa: E402
from tools.server import RPC  # noqa: E402

# [scrollWidth, clientWidth] of the outermost content box of the active tab
WIDTHS_JS = """(sel) => {
  const box = document.querySelector(sel + ' .content-box');
  return box ? [box.scrollWidth, box.clientWidth] : null; }"""
# The visible notebook tabs of the active tab's form
NOTEBOOK_TABS = ' .form .nav-tabs > li:visible > a'


def concertes_forms(rpc):
    """[(model, form view id or None)] of the windows of the ConcertES
    menu, each once"""
    root = rpc.model('ir.ui.menu', 'search', [
            ('parent', '=', None), ('name', '=', 'ConcertES')], 0, 1, None)
    menus = rpc.model('ir.ui.menu', 'search_read', [
            ('parent', 'child_of', root)], 0, None, None, ['action'])
    windows = [int(m['action'].split(',')[1]) for m in menus
        if m['action'] and m['action'].startswith('ir.action.act_window,')]
    actions = rpc.model('ir.action.act_window', 'search_read', [
            ('id', 'in', windows)], 0, None, None, ['res_model'])
    views = rpc.model('ir.action.act_window.view', 'search_read', [
            ('act_window', 'in', windows)], 0, None, None,
        ['act_window', 'view', 'view.type'])
    result = {}
    for action in filter(lambda a: a['res_model'], actions):
        form = [v['view'] for v in views if v['act_window'] == action['id']
            and v['view.']['type'] == 'form']
        result.setdefault(action['res_model'], form[0] if form else None)
    return sorted(result.items())


def measure(walker, label):
    "[(page label, scroll width, client width)] of each notebook page"
    page = walker.page
    walker.settle(5, 0.5)  # the defaults of a new record drawn
    widths = page.evaluate(WIDTHS_JS, sao_walk.ACTIVE)
    result = [(label, *widths)] if widths else []
    tabs = page.locator(sao_walk.ACTIVE + NOTEBOOK_TABS)
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        name = tab.inner_text().strip()
        tab.click()
        walker.settle(5, 0.3)
        widths = page.evaluate(WIDTHS_JS, sao_walk.ACTIVE)
        if widths:
            result.append(('%s / %s' % (label, name), *widths))
    return result


def open_form(walker, model, view_id, res_id):
    walker.page.evaluate("""([model, view_id, res_id]) => Sao.Tab.create({
        model: model, res_id: res_id, mode: ['form'],
        view_ids: view_id ? [view_id] : []})""", [model, view_id, res_id])
    return walker.view(time.time())[0]


def form_widths(walker, rpc, out=None, models=None):
    """[(model, page, scroll width, client width, screenshot)] of every
    form of the ConcertES menu (or of the models given), on its first record
    and on a new one"""
    rows = []
    for model, view_id in concertes_forms(rpc):
        if models and model not in models:
            continue
        ids = rpc.model(model, 'search', [], 0, 1, None)
        for label, res_id in [('record', ids[0] if ids else None),
                ('new', None)]:
            if label == 'record' and not ids:
                continue
            kind = open_form(walker, model, view_id, res_id)
            if kind == 'form':
                for page, scroll, client in measure(walker, label):
                    shot = ''
                    if scroll > client and out:
                        shot = walker.shot('%s-%s.png' % (
                                model.replace('.', '_'), len(rows)))
                    rows.append((model, page, scroll, client, shot))
            close(walker)
    return rows


def close(walker):
    "Close the tabs, dismissing the questions asked on the way"
    page = walker.page
    walker.close_modals()
    for _ in range(10):
        button = page.locator('#tablist > li.active button.close')
        if not button.count():
            break
        try:
            button.first.click(timeout=3000)
        except Exception:  # noqa: BLE001 - closed while clicked: look again
            pass
        walker.settle(5, 0.3)
        walker.close_modals()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    for option in ('--url', '--database', '--password', '--out'):
        parser.add_argument(option, required=True)
    parser.add_argument('--user', default='admin')
    parser.add_argument('--width', type=int, default=1366)
    parser.add_argument('--height', type=int, default=768)
    parser.add_argument(
        '--model', action='append', help="only the forms of this model")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright
    rpc = RPC(args.url.rstrip('/'), args.database, args.user, args.password)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path='/usr/bin/chromium', args=sao_walk.ARGS)
        context = browser.new_context(
            viewport={'width': args.width, 'height': args.height},
            locale='fr')
        context.set_default_timeout(15000)
        walker = sao_walk.Walker(context.new_page(), out)
        sao_walk.login(walker, types.SimpleNamespace(
                url=args.url, database=args.database, user=args.user,
                password=args.password))
        walker.settle()
        rows = form_widths(walker, rpc, out, args.model)
        browser.close()
    lines = ['| model | page | scroll width | client width | screenshot |',
        '|---|---|---|---|---|']
    lines += ['| %s | %s | %s | %s | %s |' % row for row in rows]
    (out / 'widths.md').write_text('\n'.join(lines) + '\n')
    wide = [row for row in rows if row[2] > row[3]]
    for row in wide:
        print('%s %s: %s > %s %s' % row)
    return 1 if wide else 0


if __name__ == '__main__':
    sys.exit(main())
