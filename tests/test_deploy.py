# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Production past one machine (deploy/): two web servers and two schedulers
on one PostgreSQL database and one attachment store.

The second web server and both schedulers run the commands of
deploy/Procfile as they are written there."""
import base64
import datetime as dt
import os
import pathlib
import secrets
import shutil
import signal
import subprocess
import time
import unittest
import urllib.parse

import requests

from tools.server import (
    ADMIN_PASSWORD, ROOT, RPC, TrytondServer, free_port, unique)

from .test_web import WebServerMixin

DEPLOY = ROOT / 'deploy'


def procfile():
    "The commands of deploy/Procfile by process type"
    commands = {}
    for line in (DEPLOY / 'Procfile').read_text().splitlines():
        if line.strip() and not line.startswith('#'):
            name, command = line.split(':', 1)
            commands[name.strip()] = command.strip()
    return commands


class DeployFilesTestCase(unittest.TestCase):

    def test_deploy_procfile_processes(self):
        "The production Procfile runs gunicorn, the scheduler and a worker"
        commands = procfile()
        self.assertEqual(set(commands), {'web', 'cron', 'worker'})
        self.assertIn('gunicorn', commands['web'])
        self.assertIn('trytond.application:app', commands['web'])
        self.assertIn('trytond-cron', commands['cron'])
        self.assertTrue(commands['worker'].startswith('nice -n 19 '))
        self.assertIn('trytond-worker', commands['worker'])

    def test_deploy_systemd_units(self):
        "The systemd units load without a warning; the worker yields the CPU"
        units = sorted(str(p) for p in DEPLOY.glob('concertes*.service'))
        self.assertEqual(
            [pathlib.Path(u).name for u in units],
            ['concertes-cron.service', 'concertes-web.service',
                'concertes-worker.service'])
        worker = (DEPLOY / 'concertes-worker.service').read_text()
        self.assertIn('\nNice=19\n', worker)
        self.assertIn('\nCPUWeight=', worker)
        for unit in units:
            text = pathlib.Path(unit).read_text()
            self.assertIn(
                '\nEnvironmentFile=/etc/concertes/concertes.env\n', text)
            self.assertRegex(text, r'\nRestart=(always|on-failure)\n')
        if not shutil.which('systemd-analyze'):
            self.skipTest("systemd-analyze is not installed")
        result = subprocess.run(
            ['systemd-analyze', 'verify', *units,
                str(DEPLOY / 'concertes.target')],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(
            (result.returncode, result.stderr.strip()), (0, ''),
            result.stderr)


class TwoServersTestCase(WebServerMixin, unittest.TestCase):
    "Two web servers and two schedulers, one database, one attachment store"

    @classmethod
    def setUpClass(cls):
        if not os.environ.get(
                'TRYTOND_DATABASE__URI', '').startswith('postgresql'):
            raise unittest.SkipTest(
                "PostgreSQL only: SQLite is one file on one machine")
        cls.server = TrytondServer(unique('test_deploy'))
        cls.server.start()
        cls.rpc = cls.server.rpc()
        cls.base = '%s/%s/events' % (cls.server.url, cls.server.name)
        # The second machine: the Procfile's web process, its own port, the
        # same database and attachment store
        cls.env = dict(
            cls.server.env,
            TRYTOND_DATABASE_NAMES=cls.server.name,
            CONCERTES_DATABASE=cls.server.name)
        port = free_port()
        cls.other_url = 'http://127.0.0.1:%s' % port
        cls.other = cls.start(
            procfile()['web'], CONCERTES_BIND='127.0.0.1:%s' % port,
            CONCERTES_WEB_WORKERS='2')
        try:
            cls.wait_other()
        except Exception:
            cls.tearDownClass()
            raise
        cls.other_rpc = RPC(
            cls.other_url, cls.server.name, 'admin', ADMIN_PASSWORD)

    @classmethod
    def wait_other(cls):
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(cls.other_url + '/', timeout=30)
                return
            except requests.RequestException:
                if cls.other.poll() is not None \
                        or time.monotonic() > deadline:
                    raise RuntimeError("the second server did not start")
                time.sleep(0.3)

    @classmethod
    def start(cls, command, **env):
        return subprocess.Popen(
            ['bash', '-c', 'exec ' + command], env=dict(cls.env, **env),
            cwd=str(ROOT), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)

    @classmethod
    def tearDownClass(cls):
        if cls.other.poll() is None:
            os.killpg(cls.other.pid, signal.SIGTERM)
            cls.other.wait(30)
        cls.server.stop()

    def test_registration_seen_through_the_other_server(self):
        "A registration made on one server is seen on the other"
        event = self.make_event("Deux serveurs", capacity=5)
        email = 'deux.%s@example.org' % secrets.token_hex(4)
        response = self.api_register(event, email=email)
        self.assertEqual(response.status_code, 201, response.text)
        token = response.json()['token']

        other = '%s/%s/events' % (self.other_url, self.server.name)
        events = requests.get(other + '/api/events', timeout=60).json()
        seats, = [e['seats_left'] for e in events if e['id'] == event]
        self.assertEqual(seats, 4)
        page = requests.get(
            self.other_url + urllib.parse.urlsplit(
                response.json()['url']).path, timeout=60)
        self.assertEqual(page.status_code, 200)
        self.assertIn('Marie', page.text)
        again = requests.post(
            '%s/api/events/%s/registrations' % (other, event), json={
                'first_name': 'Marie', 'last_name': 'Dupont',
                'email': email, 'consent': True}, timeout=60)
        self.assertEqual(again.status_code, 409, again.text)
        registration, = self.other_rpc.model(
            'concertes.event.registration', 'search_read',
            [('token', '=', token)], 0, None, None, ['email', 'state'])
        self.assertEqual(
            (registration['email'], registration['state']),
            (email, 'confirmed'))

    def test_attachment_read_through_the_other_server(self):
        "An attachment written through one server is read through the other"
        data = secrets.token_bytes(4096)
        party, = self.rpc.model('party.party', 'create', [{'name': 'SAW-B'}])
        attachment, = self.rpc.model('ir.attachment', 'create', [{
                    'name': 'statuts.pdf',
                    'resource': 'party.party,%s' % party,
                    'data': {'__class__': 'bytes',
                        'base64': base64.b64encode(data).decode()},
                    }])
        read, = self.other_rpc.model(
            'ir.attachment', 'read', [attachment], ['data', 'file_id'])
        self.assertTrue(read['file_id'])  # in the store, not the database
        self.assertEqual(base64.b64decode(read['data']['base64']), data)

    def test_due_cron_runs_once_with_two_schedulers(self):
        "Two schedulers started together run each due job once, not twice"
        crons = self.rpc.model('ir.cron', 'search_read', [
                ('active', '=', True)], 0, None, None, ['method'])
        self.assertGreaterEqual(len(crons), 4)
        ids = [c['id'] for c in crons]
        past = dt.datetime.utcnow() - dt.timedelta(minutes=5)
        self.rpc.model('ir.cron', 'write', ids, {'next_call': {
                    '__class__': 'datetime', 'year': past.year,
                    'month': past.month, 'day': past.day, 'hour': past.hour,
                    'minute': past.minute, 'second': 0, 'microsecond': 0}})
        before = self.logs(ids)

        command = procfile()['cron'] + ' --once'
        schedulers = [self.start(command), self.start(command)]
        for scheduler in schedulers:
            self.assertEqual(scheduler.wait(120), 0)

        after = self.logs(ids)
        self.assertEqual(
            {c['method']: after[c['id']] - before[c['id']] for c in crons},
            {c['method']: 1 for c in crons})
        now = dt.datetime.utcnow()
        for cron in self.rpc.model(
                'ir.cron', 'read', ids, ['next_call']):
            next_call = cron['next_call']
            self.assertGreater(dt.datetime(
                    next_call['year'], next_call['month'], next_call['day'],
                    next_call['hour'], next_call['minute']),
                now - dt.timedelta(minutes=1))

    def logs(self, cron_ids):
        "The number of runs logged by each cron"
        return {
            i: self.rpc.model(
                'ir.cron.log', 'search_count', [('cron', '=', i)])
            for i in cron_ids}
