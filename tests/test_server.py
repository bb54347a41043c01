# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The product as users get it: a database made like `make run` and served"
import json
import unittest
import urllib.error
import urllib.request

from tools.server import ADMIN_PASSWORD, ROOT, TrytondServer, unique


class ServerTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = TrytondServer(unique('test_server'))
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_web_client_served_at_root(self):
        "The back-office (sao) is served at /"
        with urllib.request.urlopen(self.server.url + '/') as response:
            body = response.read().decode()
        self.assertEqual(response.status, 200)
        self.assertIn('tryton-sao', body)

    def test_backoffice_not_framed_by_other_sites(self):
        "The back-office and its RPC forbid framing by other sites"
        data = json.dumps({'id': 1, 'method': 'common.db.login', 'params': [
                    'admin', {'password': ADMIN_PASSWORD}, 'fr']}).encode()
        for request in [self.server.url + '/', urllib.request.Request(
                    '%s/%s/rpc/' % (self.server.url, self.server.name),
                    data=data,
                    headers={'Content-Type': 'application/json'})]:
            with urllib.request.urlopen(request) as response:
                headers = response.headers
            self.assertEqual(headers['X-Frame-Options'], 'SAMEORIGIN')
            self.assertIn("frame-ancestors 'self'",
                headers['Content-Security-Policy'])
            self.assertEqual(headers['X-Content-Type-Options'], 'nosniff')

    def test_modules_activated_in_french(self):
        "Every module of addons/ is activated and the admin works in French"
        rpc = self.server.rpc()
        modules = rpc.model('ir.module', 'search_read', [
                ('name', 'like', 'concertes_%'),
                ], 0, None, None, ['name', 'state'])
        self.assertEqual(
            {(m['name'], m['state']) for m in modules},
            {(p.parent.name, 'activated')
                for p in (ROOT / 'addons').glob('*/tryton.cfg')})
        self.assertEqual(rpc.context['language'], 'fr')

    def test_concertes_menu_in_french(self):
        "The root menu ConcertES holds the modules' entries, in French"
        rpc = self.server.rpc()
        menus = rpc.model('ir.ui.menu', 'search_read', [
                ('parent.name', '=', 'ConcertES'),
                ], 0, None, None, ['name'])
        names = {m['name'] for m in menus}
        self.assertIn('Membres', names)
        self.assertIn('Gouvernance', names)

    def test_bad_login_is_refused(self):
        "A wrong password gets 401 and no session"
        data = json.dumps({'id': 1, 'method': 'common.db.login', 'params': [
                    'admin', {'password': 'wrong'}, 'fr']}).encode()
        request = urllib.request.Request(
            '%s/%s/rpc/' % (self.server.url, self.server.name), data=data,
            headers={'Content-Type': 'application/json'})
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(request)
        self.assertIn(cm.exception.code, {401, 403, 429})
