#!/usr/bin/env python3
"""Run the tests of the ConcertES modules and of tests/ in one process.

    python tools/runtests.py [--modules a,b] [--repo-tests] [-k PATTERN]...

The database comes from the environment as for any trytond test run
(TRYTOND_DATABASE__URI, DB_NAME, DB_CACHE).  It ends with the line
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


def setup_cache(fresh):
    uri = os.environ.get('TRYTOND_DATABASE__URI', 'sqlite://')
    if uri.startswith('postgresql'):
        os.environ.setdefault('DB_NAME', 'test_concertes')
        os.environ.setdefault('DB_CACHE', 'postgresql://')
        if fresh:
            drop_stale_templates()
    else:
        os.environ.setdefault('DB_NAME', ':memory:')
        cache = ROOT / 'var' / 'cache' / ('sqlite-' + source_hash())
        os.environ.setdefault('DB_CACHE', str(cache))


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


def drop_stale_templates():
    "PostgreSQL templates are keyed on module names only: drop them all"
    from trytond.transaction import Transaction
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        database = transaction.database
        for name in database.list():
            if name.startswith('test-') or name == os.environ['DB_NAME']:
                database.drop(transaction.connection, name)


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
        help="drop the PostgreSQL template databases of earlier runs")
    parser.add_argument('-v', dest='verbosity', action='count', default=1)
    args = parser.parse_args()
    # Before setup_cache, which may import trytond: its configuration reads
    # the environment once, at import
    sink = start_mail_sink()
    setup_cache(args.fresh_cache)
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
