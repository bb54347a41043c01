#!/usr/bin/env python3
"""Run the tests of the ConcertES modules and of tests/ in one process.

    python tools/runtests.py [--modules a,b] [--repo-tests] [-k PATTERN]...

The database comes from the environment as for any trytond test run
(TRYTOND_DATABASE__URI, DB_NAME, DB_CACHE).  On PostgreSQL the run's
database and its cache's templates are its own, and dropped when it ends:
several runs may share the server.  It ends with the line
"N passed, N failed, N skipped" and exits non-zero on any failure or
when no test ran; before it, the slowest test classes (their set-up and
tear-down included) and the slowest tests.
"""
import argparse
import doctest
import hashlib
import importlib
import os
import pathlib
import signal
import socket
import sys
import time
import unittest
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ROOT / 'addons'
MODULES = sorted(
    p.name for p in ADDONS.iterdir() if (p / 'tryton.cfg').exists())


def source_hash():
    "A key that changes whenever a model or a data file of ours changes"
    digest = hashlib.sha1()
    for path in sorted(ADDONS.rglob('*')):
        if path.suffix in {'.py', '.xml', '.cfg', '.po', '.fodt'} \
                and '__pycache__' not in path.parts \
                and 'tests' not in path.parts:
            digest.update(str(path.relative_to(ADDONS)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def setup_cache():
    """Point DB_NAME and DB_CACHE to this run's databases (the environment's
    when it sets them); on PostgreSQL, return the run's Databases"""
    uri = os.environ.get('TRYTOND_DATABASE__URI', 'sqlite://')
    if uri.startswith('postgresql'):
        databases = Databases()
        databases.drop_leftovers()
        os.environ.setdefault('DB_NAME', databases.name)
        os.environ.setdefault('DB_CACHE', 'postgresql://')
        databases.name_templates()
        return databases
    os.environ.setdefault('DB_NAME', ':memory:')
    cache = ROOT / 'var' / 'cache' / ('sqlite-' + source_hash())
    os.environ.setdefault('DB_CACHE', str(cache))
    return None


class Databases:
    """The PostgreSQL databases of this run, which it drops when it ends

    The server is shared (developers, worktrees, the runs of `make test`):
    the database is test_concertes_CHECKOUT_PID, CHECKOUT a hash of the host
    and the checkout's path, and the cache's templates are named after it.
    """

    def __init__(self, root=ROOT, pid=None):
        self.prefix = 'test_concertes_%s_' % hashlib.sha1(
            ('%s:%s' % (socket.gethostname(), root)).encode()).hexdigest()[:8]
        self.name = '%s%s' % (self.prefix, pid or os.getpid())
        self.templates = set()

    def name_templates(self):
        """Name the cache's templates after DB_NAME and the modules' files

        trytond names them test-HASH, HASH of the module names only: the
        same for every run on the server, and DB_CACHE cannot prefix them
        (_pg_restore takes the name after DB_CACHE + '/').
        """
        from trytond.tests import test_tryton
        cache = test_tryton.DB_CACHE or ''
        if not cache.startswith('postgresql://'):
            return
        db_name = test_tryton.DB_NAME
        # A template left by a killed run of the same DB_NAME is not used
        # once the modules changed
        source = source_hash()
        default = test_tryton._db_cache_file

        def cache_file(path, name):
            if path != cache:
                return default(path, name)
            template = self.template_name(db_name, source, name)
            self.templates.add(template)
            return '%s/%s' % (cache, template)
        test_tryton._db_cache_file = cache_file

    @staticmethod
    def template_name(db_name, source, modules):
        """The template of the modules (trytond's name for them) for the
        database db_name, the modules' files hashing to source"""
        # PostgreSQL cuts names to 63 bytes; the hash keeps them apart
        return '%s-%s' % (db_name[:40], hashlib.shake_128(
                ('%s/%s/%s' % (db_name, source, modules)).encode()
                ).hexdigest(10))

    def drop_leftovers(self):
        """Drop the databases of this checkout's runs that were killed
        before they could drop theirs (their process is gone)"""
        def gone(name):
            pid = name[len(self.prefix):].split('-')[0]
            if not pid.isdigit():
                return False
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                pass
            return False
        self.drop(lambda n: n.startswith(self.prefix) and gone(n))

    def drop_own(self):
        "Drop the run's database and the templates it made"
        from trytond.tests import test_tryton
        self.drop((self.templates | {test_tryton.DB_NAME}).__contains__)

    @staticmethod
    def drop(which):
        "Drop the databases of the server whose name which accepts"
        from psycopg.sql import SQL, Identifier

        from trytond import backend
        from trytond.transaction import Transaction
        with Transaction().start(
                None, 0, close=True, autocommit=True) as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute('SELECT datname FROM pg_database')
            for name in sorted(n for n, in cursor.fetchall() if which(n)):
                # FORCE: the run's connections left open do not keep it
                cursor.execute(SQL('DROP DATABASE IF EXISTS {} WITH (FORCE)')
                    .format(Identifier(name)))
        backend.Database.clear_cache()


def use_report_converter():
    """Convert reports in this process as the servers do (trytond.conf's
    command: a LibreOffice profile per conversion, so that the runs on both
    databases convert side by side)"""
    import configparser

    from trytond import config
    server = configparser.ConfigParser(interpolation=None)
    server.read(ROOT / 'trytond.conf')
    if not config.has_section('report'):
        config.add_section('report')
    config.set('report', 'convert_command',
        server.get('report', 'convert_command'))


class _Sink:
    "Accept every message: the tests' outgoing mail goes somewhere real"

    async def handle_DATA(self, server, session, envelope):
        return '250 OK'


def start_mail_sink():
    """Serve SMTP on a free local port for the whole run

    Modules send e-mail after commit (confirmations, reminders...); without a
    server every such send logs a refused connection.  Tests that check what
    is sent start their own server and point the configuration to it.
    """
    if os.environ.get('TRYTOND_EMAIL__URI'):
        return None
    import socket

    from aiosmtpd.controller import Controller
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    controller = Controller(_Sink(), hostname='127.0.0.1', port=port)
    controller.start()
    os.environ['TRYTOND_EMAIL__URI'] = 'smtp://127.0.0.1:%s' % port
    return controller


def collect(modules, repo_tests):
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for module in modules:
        tests_dir = ADDONS / module / 'tests'
        for path in sorted(tests_dir.glob('test_*.py')):
            name = 'trytond.modules.%s.tests.%s' % (module, path.stem)
            suite.addTests(loader.loadTestsFromModule(
                    importlib.import_module(name)))
    if repo_tests:
        sys.path.insert(0, str(ROOT))
        for path in sorted((ROOT / 'tests').glob('test_*.py')):
            suite.addTests(loader.loadTestsFromModule(
                    importlib.import_module('tests.' + path.stem)))
    return suite


def filter_suite(suite, patterns=None):
    """One flat suite of the tests whose id contains one of the patterns (all
    without patterns), in their order"""
    result = TimedSuite()
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            result.addTests(filter_suite(test, patterns))
        elif not patterns or any(p in test.id() for p in patterns):
            result.addTest(test)
    return result


def class_name(cls):
    return '%s.%s' % (cls.__module__, cls.__qualname__)


def group_name(test):
    "The test's class; a doctest file (scenario_*.rst) is a group of its own"
    if isinstance(test, doctest.DocTestCase):
        return test.id()
    return class_name(test.__class__)


class TimedSuite(unittest.TestSuite):
    "Times the set-up and tear-down of each test class (TimedResult keeps it)"

    def _handleClassSetUp(self, test, result):
        new = getattr(result, '_previousTestClass', None) is not test.__class__
        start = time.monotonic()
        try:
            super()._handleClassSetUp(test, result)
        finally:
            if new:
                result.add_time(class_name(test.__class__),
                    time.monotonic() - start, 'set-up')

    def _tearDownPreviousClass(self, test, result):
        previous = getattr(result, '_previousTestClass', None)
        start = time.monotonic()
        try:
            super()._tearDownPreviousClass(test, result)
        finally:
            if previous is not None and previous is not getattr(
                    test, '__class__', None):
                result.add_time(
                    class_name(previous), time.monotonic() - start)


class TimedResult(unittest.TextTestResult):
    "Keeps the time of each test and of each test class"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.test_times = {}
        self.class_times = Counter()
        self.setup_times = Counter()

    def add_time(self, name, seconds, kind=None):
        self.class_times[name] += seconds
        if kind == 'set-up':
            self.setup_times[name] += seconds

    def startTest(self, test):
        self._test_start = time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        seconds = time.monotonic() - self._test_start
        self.test_times[test.id()] = seconds
        self.add_time(group_name(test), seconds)

    def print_slowest(self, stream, count=15):
        stream.write('\nThe slowest classes (set-up and tear-down '
            'included):\n')
        for name, seconds in self.class_times.most_common(count):
            stream.write('%8.1fs  %s (set-up %.1fs)\n' % (
                    seconds, name, self.setup_times[name]))
        stream.write('The slowest, one by one:\n')
        slowest = sorted(
            self.test_times.items(), key=lambda i: i[1], reverse=True)
        for name, seconds in slowest[:count]:
            stream.write('%8.1fs  %s\n' % (seconds, name))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--modules', default=','.join(MODULES))
    parser.add_argument('--repo-tests', action='store_true')
    parser.add_argument(
        '-k', dest='patterns', action='append',
        help="run the tests whose id contains it (repeat for more)")
    parser.add_argument(
        '--fresh-cache', action='store_true',
        help="(no longer needed: a run drops its PostgreSQL databases, and "
        "those of this checkout's killed runs)")
    parser.add_argument('-v', dest='verbosity', action='count', default=1)
    args = parser.parse_args()
    # Before setup_cache, which may import trytond: its configuration reads
    # the environment once, at import
    sink = start_mail_sink()
    databases = setup_cache()
    # make stops its jobs with SIGTERM: stop as on Ctrl-C (unittest would
    # take SystemExit for a failed test and go on), dropping the databases
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return run(args, sink)
    finally:
        if databases:
            databases.drop_own()


def run(args, sink):
    use_report_converter()
    modules = [m for m in args.modules.split(',') if m]
    suite = filter_suite(collect(modules, args.repo_tests), args.patterns)
    start = time.monotonic()
    result = unittest.TextTestRunner(
        verbosity=args.verbosity, stream=sys.stdout,
        resultclass=TimedResult).run(suite)
    result.print_slowest(sys.stdout)
    print('duration: %.0f s' % (time.monotonic() - start))
    server = sys.modules.get('tools.server')
    if server and server.BUILDS:
        print('test servers\' databases: %s' % ', '.join(
                '%s %s' % (n, k) for k, n in sorted(server.BUILDS.items())))
    failed = len(result.failures) + len(result.errors) + len(
        result.unexpectedSuccesses)
    skipped = len(result.skipped)
    # a class whose set-up failed counts as one failure, its tests never ran
    setups = sum(isinstance(test, unittest.suite._ErrorHolder)
        for test, _ in result.errors)
    passed = result.testsRun - (failed - setups) - skipped
    if sink:
        sink.stop()
    backend = os.environ.get('TRYTOND_DATABASE__URI', 'sqlite://').split(
        ':')[0]
    summary = '%s: %d passed, %d failed, %d skipped' % (
        backend, passed, failed, skipped)
    print(summary, flush=True)
    (ROOT / 'var').mkdir(exist_ok=True)
    (ROOT / 'var' / ('test-summary-%s.txt' % backend)).write_text(
        summary + '\n')
    if not result.testsRun:
        print('no test ran', file=sys.stderr)
        return 1
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
