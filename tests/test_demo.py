# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The demo world as `make demo` leaves it, before `make run` starts its
queue worker and scheduler: no task left for the worker (the follow-ups of
the 2024 registrations are done, each registrant linked to a party, each
e-mail kept as ir.email) and no e-mail sent, even with a mail server that
can be reached.  The database is read right after demo/build.py, no server
nor worker ever ran on it."""
import json
import subprocess
import unittest

from tools.server import BIN, ROOT, TrytondServer, free_port, unique

STATE = r'''
import json, os, sys
from trytond import config
config.update_etc(os.environ['TRYTOND_CONFIG'])
from trytond.pool import Pool
from trytond.transaction import Transaction
database = sys.argv[1]
Pool.start()
pool = Pool(database)
pool.init()
with Transaction().start(database, 0, readonly=True):
    Queue = pool.get('ir.queue')
    Registration = pool.get('concertes.event.registration')
    Email = pool.get('ir.email')
    emails = {}
    for email in Email.search([
                ('resource', 'like', 'concertes.event.registration,%')]):
        emails.setdefault(email.resource.id, []).append(email.subject)
    registrations = Registration.search([])
    json.dump({
            'waiting_tasks': [[t.task, t.error] for t in Queue.search([
                        ('finished_at', '=', None)])],
            'registrations': {r.rec_name: {
                    'state': r.state,
                    'party': r.party.id if r.party else None,
                    'emails': emails.get(r.id, []),
                    } for r in registrations},
            }, sys.stdout)
'''

# Queue a task calling method on the first demo registration and run the
# demo's tasks from it on, as demo/build.py does after its parts
RUN_TASKS = r'''
import os, sys
sys.path.insert(0, os.getcwd())
from trytond import config
config.update_etc(os.environ['TRYTOND_CONFIG'])
from trytond.pool import Pool
from trytond.transaction import Transaction
from demo.build import keep_emails, last_task, run_tasks
database, method, args = sys.argv[1], sys.argv[2], sys.argv[3:]
keep_emails()
Pool.start()
pool = Pool(database)
pool.init()
Queue = pool.get('ir.queue')
Email = pool.get('ir.email')
Registration = pool.get('concertes.event.registration')
since = last_task(database)
with Transaction().start(database, 0) as transaction:
    registration, = Registration.search([], order=[('id', 'ASC')], limit=1)
    emails = Email.search_count([('resource', '=', str(registration))])
    getattr(Registration.__queue__, method)([registration], *args)
    transaction.commit()
run_tasks(database, since)
with Transaction().start(database, 0, readonly=True):
    print(Queue.search_count([
                ('id', '>', since), ('finished_at', '=', None)]),
        Email.search_count([('resource', '=', str(registration))]) - emails)
'''


class RefusingMailServer:
    """An SMTP server that refuses every recipient and counts them: an
    e-mail the demo tried to send is seen, and goes nowhere"""

    def __init__(self, port):
        from aiosmtpd.controller import Controller
        self.tried = []
        server = self

        class Handler:
            async def handle_RCPT(self, smtp, session, envelope, address,
                    options):
                server.tried.append(address)
                return '550 the demo sends no e-mail'

        self.controller = Controller(
            Handler(), hostname='127.0.0.1', port=port)


class DemoBuildTestCase(unittest.TestCase):
    "The demo database right after demo/build.py"

    @classmethod
    def setUpClass(cls):
        port = free_port()
        cls.mail = RefusingMailServer(port)
        cls.mail.controller.start()
        cls.addClassCleanup(cls.mail.controller.stop)
        cls.server = TrytondServer(unique('test_demo_build'), demo=True, env={
                'TRYTOND_EMAIL__URI': 'smtp://127.0.0.1:%s' % port,
                })
        cls.addClassCleanup(cls.server.stop)
        # The database only: neither web server nor worker is started
        cls.server.create_database()
        cls.state = json.loads(subprocess.run(
                [str(BIN / 'python'), '-c', STATE, cls.server.name],
                env=cls.server.env, cwd=str(ROOT), check=True,
                capture_output=True, text=True).stdout)
        cls.registrations = cls.state['registrations']

    def run_tasks(self, method, *args):
        return subprocess.run(
            [str(BIN / 'python'), '-c', RUN_TASKS, self.server.name, method,
                *args],
            env=self.server.env, cwd=str(ROOT), capture_output=True,
            text=True)

    def test_build_runs_tasks(self):
        """The build runs a task it queued, with its e-mail kept as ir.email
        and not sent"""
        result = self.run_tasks('follow_up', 'reminder')
        self.assertEqual(result.returncode, 0, result.stderr)
        # no task left, one e-mail more on the registration
        self.assertEqual(result.stdout.split(), ['0', '1'])
        self.assertEqual(self.mail.tried, [])

    def test_build_fails_on_failed_task(self):
        "A task that fails makes the build fail, with its error"
        result = self.run_tasks('no_such_method')
        self.assertEqual(result.returncode, 1)
        self.assertIn(
            'demo: 1 task(s) failed, the first: '
            'concertes.event.registration.no_such_method', result.stderr)
        self.assertIn('AttributeError', result.stderr)

    def test_no_task_left_for_the_worker(self):
        "Every task the demo queued is done: `make run`'s worker has none"
        self.assertEqual(self.state['waiting_tasks'], [])

    def test_no_email_sent(self):
        "The mail server was never asked to deliver anything"
        self.assertEqual(self.mail.tried, [])

    def test_registrants_linked_to_parties(self):
        "Each registrant of the 2024 events is linked to a party"
        self.assertGreater(len(self.registrations), 800)
        self.assertEqual(
            [name for name, r in self.registrations.items()
                if not r['party']][:10], [])

    def test_emails_kept_as_sent(self):
        """Each registration shows the e-mails it was sent: one for its
        registration, a second for its cancellation"""
        self.assertIn('cancelled',
            {r['state'] for r in self.registrations.values()})
        self.assertEqual(
            {name: r['emails'] for name, r in self.registrations.items()
                if len(r['emails']) != (
                    2 if r['state'] == 'cancelled' else 1)}, {})
