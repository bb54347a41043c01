# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""A real trytond server for black-box and browser tests.

The database is made by tools/setup_db.py (and demo/build.py on request),
exactly as `make run` makes it, on the backend of the test run: PostgreSQL
when TRYTOND_DATABASE__URI names it, else SQLite in a temporary folder.
setup_db.py runs once a run, into a template database; each server gets a
copy of its own (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on
PostgreSQL).  The server is gunicorn serving trytond.application:app, as in
production.
"""
import atexit
import base64
import datetime as dt
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
ADMIN_PASSWORD = 'concertes-test-admin'
# What the servers of this process cost: databases made by setup_db.py,
# copies of the template, demo worlds built (tools/runtests.py prints it)
BUILDS = Counter()
# Screenshots and files the browser tests keep, one folder per database
# backend: `make test` runs SQLite and PostgreSQL side by side
ARTEFACTS = ROOT / 'var' / 'artefacts' / os.environ.get(
    'TRYTOND_DATABASE__URI', 'sqlite://').split(':')[0]


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def unique(name):
    "A database name of this run (PostgreSQL is shared)"
    return '%s_%s' % (name, secrets.token_hex(4))


def drop_database(name, env):
    "Drop the PostgreSQL database name if it exists (env names the server)"
    subprocess.run([str(BIN / 'python'), '-c', (
                'import sys\n'
                'from trytond.transaction import Transaction\n'
                'with Transaction().start(None, 0, close=True,'
                ' autocommit=True) as t:\n'
                '    if sys.argv[1] in t.database.list():\n'
                '        t.database.drop(t.connection, sys.argv[1])\n'),
            name], env=env, check=True)


def copy_database(source, name, env):
    "Create the PostgreSQL database name as a copy of source"
    subprocess.run([str(BIN / 'python'), '-c', (
                'import sys\n'
                'from trytond.transaction import Transaction\n'
                'with Transaction().start(None, 0, close=True,'
                ' autocommit=True) as t:\n'
                '    t.database.create(t.connection, *sys.argv[1:])\n'),
            name, source], env=env, check=True)


def wait_until_up(process, url, log, timeout=60):
    "Wait until the server process answers at url; raise with log() if not"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError('server died:\n' + log())
        try:
            urllib.request.urlopen(url + '/', timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise RuntimeError('server did not start:\n' + log())


def stop_group(process):
    "Stop process and its session, killed if it is not gone in 10 seconds"
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def dt_rpc(value):
    "A datetime as trytond's JSON-RPC decodes it"
    return {
        '__class__': 'datetime', 'year': value.year, 'month': value.month,
        'day': value.day, 'hour': value.hour, 'minute': value.minute,
        'second': value.second, 'microsecond': 0}


class RPCError(Exception):
    pass


class TrytondServer:
    "A database with our modules and a trytond server in front of it"

    def __init__(self, name, demo=False, workers=2, env=None,
            queue_worker=False, create=True, template=True):
        self.name = name
        # Without create, the server serves a database made elsewhere
        self.create = create
        # With template, the database is a copy of the run's template
        # unless env changes how databases are made
        self.template = template and not any(
            key.startswith('TRYTOND_DATABASE__') for key in env or {})
        self.made = None
        # With queue_worker, the task queue (e-mails...) is run by a
        # trytond-worker at the lowest CPU priority instead of the requests
        self.queue_worker = queue_worker
        self.worker = None
        self.demo = demo
        self.workers = workers
        self.extra_env = env or {}
        self.port = free_port()
        self.url = 'http://127.0.0.1:%s' % self.port
        self.process = None
        self.tmp = tempfile.mkdtemp(prefix='concertes-test-')
        uri = os.environ.get('TRYTOND_DATABASE__URI', 'sqlite://')
        self.postgresql = uri.startswith('postgresql')
        self.env = dict(os.environ)
        for key in ['DB_NAME', 'DB_CACHE', 'TRYTOND_DATABASE_NAMES']:
            self.env.pop(key, None)
        self.env.update({
                'TRYTOND_CONFIG': str(ROOT / 'trytond.conf'),
                'TRYTOND_DATABASE__URI': uri,
                'TRYTOND_DATABASE__PATH': self.tmp,
                'TRYTOND_DATABASE__LANGUAGE': 'fr',
                'TRYTOND_WEB__ROOT': str(ROOT / 'var' / 'sao' / 'package'),
                'TRYTOND_CONCERTES__REGISTRATION_RATE_LIMIT': '0',
                'CONCERTES_ADMIN_PASSWORD': ADMIN_PASSWORD,
                'PYTHONDONTWRITEBYTECODE': '1',
                })
        self.env.update(self.extra_env)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def _run(self, *args):
        subprocess.run(
            [str(BIN / 'python'), *args], env=self.env, check=True,
            cwd=str(ROOT), stdout=subprocess.DEVNULL)

    def create_database(self):
        self.drop_database()
        if self.template:
            self.copy_template(template())
        else:
            self._run('tools/setup_db.py', '--database', self.name)
            self.made = time.time()
            BUILDS['setup_db.py'] += 1
        if self.demo:
            self._run('demo/build.py', '--database', self.name)
            BUILDS['demo/build.py'] += 1

    def drop_database(self):
        if self.postgresql:
            drop_database(self.name, self.env)

    def copy_template(self, source):
        """Make the database a copy of source's, its scheduled jobs due as
        long after now as they were after source was made"""
        if self.postgresql:
            copy_database(source.name, self.name, self.env)
        else:
            shutil.copyfile(source.sqlite_path(), self.sqlite_path())
        BUILDS['copies of the template'] += 1
        self.made = time.time()
        self.shift_crons(self.made - source.made)

    def sqlite_path(self):
        return os.path.join(self.tmp, self.name + '.sqlite')

    def shift_crons(self, seconds):
        "Move the next call of every scheduled job seconds later"
        delta = dt.timedelta(seconds=round(seconds))
        if self.postgresql:
            import psycopg
            uri = self.env['TRYTOND_DATABASE__URI'].rstrip('/')
            with psycopg.connect('%s/%s' % (uri, self.name)) as connection:
                connection.execute(
                    'UPDATE ir_cron SET next_call = next_call + %s '
                    'WHERE next_call IS NOT NULL', (delta,))
            return
        connection = sqlite3.connect(self.sqlite_path())
        try:
            with connection:
                rows = connection.execute(
                    'SELECT id, next_call FROM ir_cron '
                    'WHERE next_call IS NOT NULL').fetchall()
                connection.executemany(
                    'UPDATE ir_cron SET next_call = ? WHERE id = ?', [
                        ((dt.datetime.fromisoformat(next_call) + delta
                                ).isoformat(' '), id_)
                        for id_, next_call in rows])
        finally:
            connection.close()

    def start(self):
        if self.create:
            self.create_database()
        env = dict({'TRYTOND_DATABASE_NAMES': self.name}, **self.env)
        self.log = open(os.path.join(self.tmp, 'server.log'), 'wb')
        if self.queue_worker:
            env['TRYTOND_QUEUE__WORKER'] = 'True'
            self.worker = subprocess.Popen([
                    'nice', '-n', '19', str(BIN / 'python'),
                    str(ROOT / 'tools' / 'background.py'), 'worker',
                    '-c', env['TRYTOND_CONFIG'], '-d', self.name, '-n', '1',
                    '-t', '2'],
                env=env, cwd=str(ROOT), stdout=self.log, stderr=self.log,
                start_new_session=True)
            # A new session is a scheduling group of its own (Linux
            # autogroup), where nice alone does not lower its share
            try:
                with open('/proc/%s/autogroup' % self.worker.pid, 'w') as fp:
                    fp.write('19')
            except OSError:
                pass
        self.process = subprocess.Popen([
                str(BIN / 'gunicorn'), '--workers', str(self.workers),
                '--bind', '127.0.0.1:%s' % self.port, '--timeout', '120',
                '--graceful-timeout', '5',
                'trytond.application:app'],
            env=env, cwd=str(ROOT), stdout=self.log, stderr=self.log,
            start_new_session=True)
        wait_until_up(self.process, self.url, self.server_log)
        atexit.register(self.stop)

    def run_cron(self, timeout=120):
        "Run the scheduler (trytond-cron) once over the jobs that are due"
        subprocess.run([
                str(BIN / 'trytond-cron'), '-c', self.env['TRYTOND_CONFIG'],
                '-d', self.name, '--once', '-n', '1'],
            env=dict(self.env, TRYTOND_DATABASE_NAMES=self.name),
            cwd=str(ROOT), stdout=self.log, stderr=self.log, check=True,
            timeout=timeout)

    def server_log(self):
        try:
            return pathlib.Path(self.tmp, 'server.log').read_text()[-5000:]
        except OSError:
            return ''

    def stop(self, keep=False):
        "Stop the processes and, unless keep, drop the database and files"
        stop_group(self.worker)
        self.worker = None
        stop_group(self.process)
        self.process = None
        if keep:
            return
        if self.postgresql and self.create:
            try:
                self.drop_database()
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)

    def rpc(self, user='admin', password=ADMIN_PASSWORD):
        return RPC(self.url, self.name, user, password)


class RPC:
    "The JSON-RPC that the web client speaks, logged in as a user"

    def __init__(self, url, database, user, password):
        self.url = '%s/%s/rpc/' % (url, database)
        self.user = user
        self.userid, self.session = self._call(
            'common.db.login', [user, {'password': password}, 'fr'])[:2]
        self.context = self.call(
            'model.res.user.get_preferences', [True, {}])

    def _call(self, method, params, auth=None):
        data = json.dumps({
                'id': 1, 'method': method, 'params': params}).encode()
        request = urllib.request.Request(
            self.url, data=data,
            headers={'Content-Type': 'application/json'})
        if auth:
            request.add_header('Authorization', auth)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                result = json.loads(response.read())
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                result = json.loads(body)
            except ValueError:
                raise RPCError(error.code, body.decode(errors='replace'))
            if not isinstance(result, dict) or 'error' not in result:
                raise RPCError(error.code, result)
        if result.get('error'):
            raise RPCError(result['error'])
        return result['result']

    def call(self, method, params):
        token = base64.b64encode(('%s:%s:%s' % (
                    self.user, self.userid, self.session)).encode()).decode()
        return self._call(method, params, auth='Session ' + token)

    def model(self, model, method, *args, context=None):
        ctx = dict(getattr(self, 'context', None) or {})
        ctx.update(context or {})
        return self.call('model.%s.%s' % (model, method), [*args, ctx])


_template = None


def template():
    """The database that tools/setup_db.py makes, once a run: the servers
    get copies of it (it is never served), and it is dropped at exit"""
    global _template
    if _template is None:
        server = TrytondServer(
            'test_template_%s_%s' % (os.getpid(), secrets.token_hex(4)),
            template=False)
        atexit.register(server.stop)
        # setup_db.py's files for a later update of the database
        for suffix in ['modules-hash', 'admin-password']:
            atexit.register(
                (ROOT / 'var' / ('%s.%s' % (server.name, suffix))).unlink,
                missing_ok=True)
        server.create_database()
        _template = server
    return _template


_demo_server = None


def demo_server():
    """The server of the demo world, shared by the tests of one run

    Building the demo world takes a while: the tests that only read it share
    one database and one server, stopped when the run ends.
    """
    global _demo_server
    if _demo_server is None:
        _demo_server = TrytondServer(unique('test_demo'), demo=True)
        _demo_server.start()
    return _demo_server
