# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"GET /<database>/health: what monitoring sees, over HTTP"
import os
import pathlib
import secrets
import unittest

import requests

from tools.server import TrytondServer, free_port, unique

from .test_web import WebServerMixin, serve

CRONS = {
    'concertes.event.registration|send_reminders',
    'concertes.eu.deliverable|send_reminders',
    'concertes.mandate|update_mandates',
    'concertes.privacy.retention|apply_retention',
    }


class HealthTestCase(WebServerMixin, unittest.TestCase):
    "A server whose follow-ups wait for a queue worker that does not run"

    @classmethod
    def setUpClass(cls):
        serve(cls, TrytondServer(
                unique('test_health'), env={'TRYTOND_QUEUE__WORKER': 'True'}))

    def health(self, server=None):
        server = server or self.server
        return requests.get(
            '%s/%s/health' % (server.url, server.name), timeout=60)

    def test_health_reports_queue_and_crons(self):
        "200 with the database, the waiting tasks and each cron's last run"
        event = self.make_event("Health check", capacity=10)
        email = 'health.%s@example.org' % secrets.token_hex(4)
        response = self.api_register(
            event, email=email, first_name='Hortense', last_name='Santé')
        self.assertEqual(response.status_code, 201, response.text)

        response = self.health()

        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers['Content-Type'], 'application/json')
        status = response.json()
        self.assertEqual(status['status'], 'ok')
        self.assertEqual(status['database'], 'reachable')
        # The follow-ups of the registration wait for the worker
        self.assertGreaterEqual(status['tasks_waiting'], 1)
        self.assertGreaterEqual(status['oldest_waiting_seconds'], 0)
        self.assertEqual(status['tasks_scheduled'], 0)
        self.assertEqual(status['tasks_failed'], 0)
        self.assertLessEqual(CRONS, set(status['crons']))
        retention = status['crons'][
            'concertes.privacy.retention|apply_retention']
        self.assertEqual(set(retention), {'active', 'last_run', 'next_call'})
        self.assertTrue(retention['active'])

        # No personal data: neither the task's arguments nor the person
        for secret in [email, 'Hortense', 'Santé', 'Sant\\u00e9', '@']:
            self.assertNotIn(secret, response.text)

    def test_health_cron_last_run(self):
        "A cron run through the back-office shows as its last run"
        cron_ids = self.rpc.model('ir.cron', 'search', [
                ('method', '=', 'concertes.mandate|update_mandates'),
                ], 0, None, None)
        self.assertEqual(len(cron_ids), 1)
        before = self.health().json()['crons'][
            'concertes.mandate|update_mandates']['last_run']
        self.assertIsNone(before)
        # trytond-cron writes a log line for each run; ask it to run now
        self.rpc.model('ir.cron', 'write', cron_ids, {'next_call': None})
        self.server.run_cron()

        after = self.health().json()['crons'][
            'concertes.mandate|update_mandates']
        self.assertIsNotNone(after['last_run'])
        self.assertGreater(after['next_call'], after['last_run'])

    def test_health_database_file_gone(self):
        "503 with JSON when the SQLite file of the database is gone"
        if self.server.postgresql:
            self.skipTest("SQLite only: the PostgreSQL case is the server")
        path = pathlib.Path(
            self.server.tmp, self.server.name + '.sqlite')
        moved = path.with_suffix('.moved')
        os.rename(path, moved)
        try:
            response = self.health()
        finally:
            os.rename(moved, path)
        self.assertEqual(response.status_code, 503, response.text)
        self.assertEqual(response.json(), {
                'status': 'unavailable', 'database': 'unreachable'})
        self.assertEqual(self.health().status_code, 200)


class HealthDatabaseDownTestCase(unittest.TestCase):
    "A server whose database server does not answer"

    def test_health_database_server_down(self):
        "503 with JSON when nothing listens where the database should be"
        uri = 'postgresql://postgres@127.0.0.1:%s/' % free_port()
        with TrytondServer(
                'concertes', create=False,
                env={'TRYTOND_DATABASE__URI': uri,
                    'TRYTOND_DATABASE_NAMES': ''}) as server:
            response = requests.get(
                '%s/%s/health' % (server.url, server.name), timeout=60)
        self.assertEqual(response.status_code, 503, response.text)
        self.assertEqual(response.json(), {
                'status': 'unavailable', 'database': 'unreachable'})
