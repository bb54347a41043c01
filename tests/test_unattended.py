# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The product runs unattended: the real scheduler (trytond-cron) and queue
worker (trytond-worker, through tools/background.py as `make run` and the
Procfile start them) next to the web server, e-mailing to a local SMTP
catcher.  A task never gets lost nor done twice: an unreachable mail server
keeps the e-mail queued, retried, then listed as failed until run again; a
worker killed in the middle of a task leaves it to the next one; a worker
stopped (SIGTERM) finishes its task first."""
import asyncio
import datetime as dt
import json
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time
import unittest
import urllib.request

from tests.test_web import END, START, dt_rpc
from tools.server import BIN, ROOT, TrytondServer, free_port

RETRIES = 2


def wait_until(predicate, timeout=60, message="condition"):
    "Poll predicate until it is true (the processes work in the background)"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    if callable(message):
        message = message()
    raise AssertionError("%s not reached in %s s" % (message, timeout))


class Catcher:
    """An SMTP server keeping the messages in memory; `hold` makes it stop
    each conversation at MAIL FROM until `release`"""

    def __init__(self, port):
        from aiosmtpd.controller import Controller
        self.port = port
        self.messages = []
        self.held = threading.Event()
        self.holding = threading.Event()
        self.gate = threading.Event()
        self.gate.set()
        catcher = self

        class Handler:
            async def handle_MAIL(self, server, session, envelope, address,
                    options):
                if not catcher.gate.is_set():
                    catcher.holding.set()
                    await asyncio.get_running_loop().run_in_executor(
                        None, catcher.gate.wait)
                envelope.mail_from = address
                return '250 OK'

            async def handle_DATA(self, server, session, envelope):
                catcher.messages.append(envelope)
                return '250 Message accepted for delivery'

        self.controller = Controller(
            Handler(), hostname='127.0.0.1', port=port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def hold(self):
        self.holding.clear()
        self.gate.clear()

    def release(self):
        self.gate.set()

    def to(self, address):
        return [m for m in self.messages if address in m.rcpt_tos]


class UnattendedTestCase(unittest.TestCase):
    "The scheduler and the queue worker as `make run` starts them"

    @classmethod
    def setUpClass(cls):
        cls.mail_port = free_port()
        cls.catcher = Catcher(cls.mail_port)
        cls.catcher.start()
        # A name of its own: on PostgreSQL the server is shared
        cls.server = TrytondServer('test_unattended_%s' % os.getpid(), env={
                'TRYTOND_QUEUE__WORKER': 'True',
                'TRYTOND_EMAIL__URI': 'smtp://127.0.0.1:%s' % cls.mail_port,
                'TRYTOND_QUEUE__RETRIES': str(RETRIES),
                'TRYTOND_QUEUE__RETRY_DELAY': '0.5',
                'TRYTOND_QUEUE__STALE_AFTER': '1',
                })
        cls.server.start()
        cls.rpc = cls.server.rpc()
        cls.processes = []
        cls.worker = cls.start_process('worker', '-t', '1')

    @classmethod
    def tearDownClass(cls):
        for process in cls.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        cls.server.stop()
        cls.catcher.stop()

    @classmethod
    def start_process(cls, kind, *args):
        "The real trytond-worker or trytond-cron, as the Procfile starts it"
        env = dict(cls.server.env, TRYTOND_DATABASE_NAMES=cls.server.name,
            TRYTOND_QUEUE__WORKER='True')
        log = open(pathlib.Path(cls.server.tmp, '%s.log' % kind), 'ab')
        process = subprocess.Popen([
                str(BIN / 'python'), str(ROOT / 'tools' / 'background.py'),
                kind, '-c', env['TRYTOND_CONFIG'], '-d', cls.server.name,
                '-n', '1', '-v', *args],
            env=env, cwd=str(ROOT), stdout=log, stderr=log,
            start_new_session=True)
        cls.processes.append(process)
        return process

    def log(self, kind):
        return pathlib.Path(self.server.tmp, '%s.log' % kind).read_text(
            errors='replace')[-3000:]

    def event(self):
        event, = self.rpc.model('concertes.event', 'create', [{
                    'name': 'Rush', 'kind': 'conference',
                    'start': dt_rpc(START), 'end': dt_rpc(END),
                    'capacity': 50, 'published': True,
                    }])
        self.rpc.model('concertes.event', 'open', [event])
        return event

    def register(self, event, email):
        "A public registration through the JSON API"
        body = json.dumps({
                'first_name': 'Camille', 'last_name': email.split('@')[0],
                'email': email, 'consent': True}).encode()
        request = urllib.request.Request(
            '%s/%s/events/api/events/%s/registrations' % (
                self.server.url, self.server.name, event),
            body, {'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=60) as response:
            self.assertEqual(response.status, 201)

    def registration(self, email):
        registration, = self.rpc.model(
            'concertes.event.registration', 'search_read',
            [('email', '=', email)], 0, None, None, ['party'])
        return registration

    def follow_ups(self, email):
        "The follow-up tasks of the registration of email"
        registration = self.registration(email)
        return [t for t in self.rpc.model(
                'ir.queue', 'search_read', [], 0, None, None,
                ['data', 'finished_at', 'failed_at', 'attempts', 'error'])
            if registration['id'] in (
                (t['data'] or {}).get('instances') or [])]

    def test_setup_schedules_every_cron(self):
        "Activating the modules leaves every scheduled job active and due"
        crons = self.rpc.model(
            'ir.cron', 'search_read', [('active', 'in', [True, False])],
            0, None, None, ['active', 'next_call', 'method'])
        self.assertTrue(crons)
        for cron in crons:
            self.assertTrue(cron['active'], cron['method'])
            self.assertTrue(cron['next_call'], cron['method'])

    def test_scheduler_mails_mandate_alert(self):
        "The scheduler e-mails the alert of a mandate that ends soon"
        today = dt.date.today()
        responsible, = self.rpc.model('res.user', 'create', [{
                    'name': "Responsable mandats", 'login': 'mandats',
                    'email': 'mandats@example.org'}])
        person, = self.rpc.model('party.party', 'create', [{
                    'name': "Denis Morrier"}])
        body, = self.rpc.model('concertes.body', 'create', [{
                    'code': 'CWES', 'name': "Conseil wallon",
                    'kind': 'external', 'scope': 'external',
                    'responsible': responsible, 'reminder_delay': 60}])
        date = {'__class__': 'date', 'year': 0, 'month': 0, 'day': 0}

        def rpc_date(value):
            return dict(date, year=value.year, month=value.month,
                day=value.day)
        mandate, = self.rpc.model('concertes.mandate', 'create', [{
                    'body': body, 'person': person,
                    'start_date': rpc_date(today - dt.timedelta(days=900)),
                    'planned_end_date': rpc_date(
                        today + dt.timedelta(days=20)),
                    }])
        self.rpc.model('concertes.mandate', 'appoint', [mandate])
        cron, = self.rpc.model('ir.cron', 'search', [
                ('method', '=', 'concertes.mandate|update_mandates')],
            0, None, None)
        self.rpc.model('ir.cron', 'write', [cron], {
                'next_call': {'__class__': 'datetime', 'year': 2000,
                    'month': 1, 'day': 1, 'hour': 0, 'minute': 0,
                    'second': 0, 'microsecond': 0}})

        scheduler = self.start_process('cron')
        try:
            messages = wait_until(
                lambda: self.catcher.to('mandats@example.org'),
                message=lambda: "the mandate alert in the catcher\n"
                + self.log('cron'))
        finally:
            scheduler.send_signal(signal.SIGTERM)
            scheduler.wait(30)
        self.assertEqual(len(messages), 1)
        self.assertIn(b'CWES', messages[0].original_content)
        next_call, = self.rpc.model(
            'ir.cron', 'read', [cron], ['next_call'])
        self.assertGreater(
            dt.date(**{k: next_call['next_call'][k]
                    for k in ['year', 'month', 'day']}), today)

    def test_unreachable_smtp_retried_failed_listed_run_again(self):
        """An unreachable mail server keeps the confirmation queued: retried,
        then failed with its error, listed and counted, and sent once run
        again"""
        event = self.event()
        email = 'unreachable@example.org'
        self.catcher.stop()
        try:
            self.register(event, email)
            failed = wait_until(
                lambda: [t for t in self.follow_ups(email)
                    if t['failed_at']],
                message="the failed follow-up\n" + self.log('worker'))
        finally:
            self.catcher = type(self).catcher = Catcher(self.mail_port)
            self.catcher.start()
        task, = failed
        self.assertEqual(task['attempts'], RETRIES)
        self.assertIn('Connection refused', task['error'])
        self.assertFalse(task['finished_at'])
        self.assertEqual(self.catcher.to(email), [])
        # The party was linked in the failed runs, and undone with them
        self.assertFalse(self.registration(email)['party'])

        listed = self.rpc.model('ir.queue', 'search', [
                ('failed_at', '!=', None), ('finished_at', '=', None)],
            0, None, None)
        self.assertIn(task['id'], listed)
        figures, = self.rpc.model(
            'concertes.dashboard.figures', 'read', [1], ['failed_tasks'])
        self.assertEqual(figures['failed_tasks'], len(listed))

        self.rpc.model('ir.queue', 'run_again', [task['id']])
        wait_until(lambda: self.catcher.to(email),
            message="the e-mail run again\n" + self.log('worker'))
        wait_until(lambda: self.follow_ups(email)[0]['finished_at'],
            message="the task finished")
        self.assertEqual(len(self.catcher.to(email)), 1)
        self.assertTrue(self.registration(email)['party'])

    def while_sending(self, email, action):
        """Register email to a new event and call action with the worker
        while it is sending the confirmation; return the worker"""
        event = self.event()
        self.catcher.hold()
        try:
            self.register(event, email)
            wait_until(self.catcher.holding.is_set,
                message="the worker sending\n" + self.log('worker'))
            worker = type(self).worker
            action(worker)
        finally:
            self.catcher.release()
        return worker

    def test_worker_killed_mid_task_done_once_later(self):
        """A worker killed in the middle of a task leaves it to the next
        worker, which does it once"""
        email = 'killed@example.org'

        def kill(worker):
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        self.while_sending(email, kill)
        self.assertEqual(self.catcher.to(email), [])
        task, = self.follow_ups(email)
        self.assertFalse(task['finished_at'])
        self.assertFalse(self.registration(email)['party'])

        type(self).worker = self.start_process('worker', '-t', '1')
        wait_until(lambda: self.follow_ups(email)[0]['finished_at'],
            message="the task done by the next worker\n"
            + self.log('worker'))
        self.assertEqual(len(self.catcher.to(email)), 1)
        party = self.registration(email)['party']
        self.assertTrue(party)
        self.assertEqual(len(self.rpc.model('party.party', 'search', [
                        ('contact_mechanisms.value', '=', email)],
                    0, None, None)), 1)

    def test_worker_stopped_finishes_task(self):
        "A worker told to stop (SIGTERM) finishes the task in hand first"
        email = 'stopped@example.org'

        def stop(worker):
            # As honcho and systemd do: the whole process group
            os.killpg(worker.pid, signal.SIGTERM)
            self.assertIsNone(worker.poll())
        worker = self.while_sending(email, stop)
        self.assertEqual(worker.wait(30), 0)
        task, = self.follow_ups(email)
        self.assertTrue(task['finished_at'])
        self.assertEqual(len(self.catcher.to(email)), 1)
        type(self).worker = self.start_process('worker', '-t', '1')


if __name__ == '__main__':
    sys.exit(unittest.main())
