# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Time the daily operations of the team through the web client's JSON-RPC.

For each scale: the database is generated once (bench/database.py), then a
trytond server (gunicorn, as in production) is started twice on it:

- with the SQL logger of trytond at DEBUG into a file, to count the queries
  each operation makes on the server (one warm-up call, then one counted);
- without it, to time each operation (median and 95th percentile).

The annual report is not exposed over RPC: it is computed in-process, timed
the same way, its queries counted by the same logger.  The public
registration throughput posts to the JSON API with a few concurrent
clients (bench/registration measures a rush on a server of its own).
pgbench runs on the same server as the reference (bench/pgbench_ref.py).
"""
import argparse
import concurrent.futures
import csv
import datetime as dt
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from bench import database
from bench.pgbench_ref import pgbench
from tools.server import RPC, RPCError, free_port, stop_group, wait_until_up

ROOT = database.ROOT
RESULTS = ROOT / 'bench' / 'results'
SQL_LOGGER = 'trytond.backend.postgresql.database'
MARK = '@@SQL '
LOGGING_CONFIG = """[loggers]
keys=root,sql
[handlers]
keys=null,file
[formatters]
keys=plain
[logger_root]
level=WARNING
handlers=null
[logger_sql]
level=DEBUG
handlers=file
qualname=%(logger)s
propagate=0
[handler_null]
class=NullHandler
args=()
[handler_file]
class=FileHandler
args=(%(path)r, 'a')
formatter=plain
[formatter_plain]
format=%(mark)s%%(message)s
"""
REPORT_YEAR = 2024
PAGE_SIZE = 1000  # Sao.config.limit


class Server:
    "gunicorn serving trytond on a benchmark database"

    optimize = False  # PYTHONOPTIMIZE: trytond's asserts skipped

    def __init__(self, name, workers=2, sql_log=None):
        self.name = name
        self.port = free_port()
        self.url = 'http://127.0.0.1:%s' % self.port
        self.env = database.environment()
        self.env.update({
                'TRYTOND_DATABASE_NAMES': name,
                'TRYTOND_CONCERTES__REGISTRATION_RATE_LIMIT': '0',
                })
        if self.optimize:
            self.env['PYTHONOPTIMIZE'] = '1'
        self.tmp = tempfile.mkdtemp(prefix='concertes-bench-')
        self.sql_log = sql_log
        if sql_log:
            config = pathlib.Path(self.tmp, 'logging.conf')
            config.write_text(LOGGING_CONFIG % {
                    'logger': SQL_LOGGER, 'path': str(sql_log),
                    'mark': MARK})
            self.env['TRYTOND_LOGGING_CONFIG'] = str(config)
        self.workers = workers

    def __enter__(self):
        self.log = open(os.path.join(self.tmp, 'server.log'), 'wb')
        self.process = subprocess.Popen([
                str(pathlib.Path(sys.executable).parent / 'gunicorn'),
                '--workers', str(self.workers),
                '--bind', '127.0.0.1:%s' % self.port, '--timeout', '300',
                'trytond.application:app'],
            env=self.env, cwd=str(ROOT), stdout=self.log,
            stderr=self.log, start_new_session=True)
        wait_until_up(self.process, self.url, self.tail)
        return self

    def tail(self):
        return pathlib.Path(self.tmp, 'server.log').read_text()[-3000:]

    def __exit__(self, *exc):
        stop_group(self.process)

    def rpc(self):
        return RPC(self.url, self.name, 'admin', database.ADMIN_PASSWORD)


class QueryCounter:
    "Counts the SQL queries the server logged since the last mark"

    def __init__(self, path):
        self.path = pathlib.Path(path)
        self.path.touch()
        self.offset = self.path.stat().st_size

    def mark(self):
        self.offset = self.path.stat().st_size

    def count(self):
        with open(self.path, 'rb') as file:
            file.seek(self.offset)
            data = file.read()
        self.offset += len(data)
        return data.count(MARK.encode())


# The client's calls ----------------------------------------------------------

class Client:
    "What sao sends for the screens of the team"

    def __init__(self, rpc):
        self.rpc = rpc
        self.views = {}

    def view(self, model, kind):
        key = (model, kind)
        if key not in self.views:
            self.views[key] = self.rpc.model(
                model, 'fields_view_get', False, kind)
        return self.views[key]

    @staticmethod
    def to_fetch(fields):
        "The field names sao reads for the fields of a view"
        names = []
        for name, description in fields.items():
            names.append(name)
            if description['type'] in {'many2one', 'one2one', 'reference'}:
                names.append(name + '.rec_name')
            elif description['type'] in {'selection', 'multiselection'} \
                    and description.get('loading') == 'eager':
                names.append(name + ':string')
        if 'rec_name' not in names:
            names.append('rec_name')
        return names + ['_timestamp', '_write', '_delete']

    def list_page(self, model, domain=None, context=None, order=None):
        """Open a list as sao does: its tree view (cached by the client),
        search the first page of ids, count when the page is full, read
        the first batch of rows with the fields of the view"""
        fields = self.view(model, 'tree')['fields']
        names = self.to_fetch(fields)
        domain = domain or []
        ids = self.rpc.model(
            model, 'search', domain, 0, PAGE_SIZE, order, context=context)
        if len(ids) == PAGE_SIZE:
            self.rpc.model(
                model, 'search_count', domain, 0, None, context=context)
        batch = PAGE_SIZE // min(len(names), 10)
        rows = self.rpc.model(model, 'read', ids[:batch], names,
            context=context)
        return rows

    def form(self, model, id_, context=None):
        """Open a record in its form: read its fields, then the first rows
        of each of its one2many and many2many in their list view"""
        view = self.view(model, 'form')
        fields = view['fields']
        record, = self.rpc.model(
            model, 'read', [id_], self.to_fetch(fields), context=context)
        for name, description in fields.items():
            if description['type'] not in {'one2many', 'many2many'}:
                continue
            ids = record.get(name) or []
            if not ids:
                continue
            relation = description['relation']
            sub = (description.get('views') or {}).get('tree')
            sub_fields = sub['fields'] if sub else self.view(
                relation, 'tree')['fields']
            names = self.to_fetch(sub_fields)
            self.rpc.model(relation, 'read',
                ids[:PAGE_SIZE // min(len(names), 10)], names,
                context=context)
        return record


def timed(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def summary(times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95


# The operations -------------------------------------------------------------

def operations(client, world):
    """[(name, callable, rows touched)] of the daily operations; world holds
    the ids the operations need (an EU project, an open event...)"""
    rpc = client.rpc
    ctx_reg = {'registration_source': 'back_office'}
    counter = {'n': 0}

    def save_registration():
        counter['n'] += 1
        stamp = '%s-%s-%s' % (os.getpid(), time.time_ns(), counter['n'])
        fields = client.view(
            'concertes.event.registration', 'form')['fields']
        ids = rpc.model('concertes.event.registration', 'create', [{
                    'event': world['event'],
                    'ticket': world.get('ticket'),
                    'first_name': 'Bench',
                    'last_name': 'Registration %s' % stamp,
                    'email': 'bench.%s@example.org' % stamp,
                    'language': 'fr',
                    }], context=ctx_reg)
        rpc.model('concertes.event.registration', 'register', ids,
            context=ctx_reg)
        rpc.model('concertes.event.registration', 'read', ids,
            client.to_fetch(fields), context=ctx_reg)

    ops = [
        ('members: first page', lambda: client.list_page(
                'party.party', [('organisation_kind', '!=', None)])),
        ('events: first page', lambda: client.list_page('concertes.event')),
        ('registrations: first page', lambda: client.list_page(
                'concertes.event.registration', context=ctx_reg)),
        ('deliverables: first page', lambda: client.list_page(
                'concertes.eu.deliverable')),
        ('contact search by name', lambda: client.list_page(
                'party.party', [('rec_name', 'ilike', '%Lambert%')])),
        ('EU project form', lambda: client.form(
                'concertes.eu.project', world['project'])),
        ]
    budget = world.get('budget')
    if budget:
        model, domain = budget
        ops.append(('EU project budget overview',
                lambda: client.list_page(model, domain)))
    ops.append(('save a registration (back-office)', save_registration))
    return ops


def discover(rpc):
    "The records the operations open"
    world = {}
    projects = rpc.model('concertes.eu.project', 'search',
        [('state', '=', 'running')], 0, 1, [('id', 'ASC')])
    world['project'] = projects[0]
    events = rpc.model('concertes.event', 'search', [
            ('state', '=', 'open'), ('published', '=', True)],
        0, 1, [('start', 'DESC'), ('id', 'ASC')])
    world['event'] = events[0]
    tickets = rpc.model('concertes.event.ticket', 'search', [
            ('event', '=', events[0]), ('public', '=', True)], 0, 1, None)
    world['ticket'] = tickets[0] if tickets else None
    # the budget overview: whatever the budget engineer exposes
    for model in ['concertes.eu.budget.overview.partner',
            'concertes.eu.budget.overview.work_package',
            'concertes.eu.budget.line']:
        try:
            fields = rpc.model(model, 'fields_get', ['project'])
        except RPCError:
            continue  # not (yet) exposed
        if 'project' in fields:
            world['budget'] = (model, [('project', '=', projects[0])])
            break
    return world


def report_in_process(name, repeat):
    "Time and count the annual report in a process of its own"
    code = '''
import json, logging, statistics, sys, time
from trytond.pool import Pool
from trytond.transaction import Transaction
name, repeat, year = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
pool = Pool(name)
pool.init()
class Count(logging.Handler):
    n = 0
    def emit(self, record):
        Count.n += 1
logger = logging.getLogger(%r)
times = []
with Transaction().start(name, 0, readonly=True,
        context={'language': 'fr'}):
    Report = pool.get('concertes.activity.report')
    Report.figures(year)
    for _ in range(repeat):
        start = time.perf_counter()
        Report.figures(year)
        times.append(time.perf_counter() - start)
    logger.setLevel(logging.DEBUG)
    logger.addHandler(Count())
    logger.propagate = False
    Report.figures(year)
print(json.dumps({'times': times, 'queries': Count.n}))
''' % SQL_LOGGER
    result = subprocess.run([sys.executable, '-c', code, name, str(repeat),
            str(REPORT_YEAR)], env=database.environment(), cwd=str(ROOT),
        capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def public_throughput(server, world, seconds=10, clients=4):
    """Registrations a second through the public JSON API, with a few
    concurrent clients posting to one open event; (rate, median, p95)
    (bench/registration measures the rush on a server of its own)"""
    url = '%s/%s/events/api/events/%s/registrations' % (
        server.url, server.name, world['event'])
    deadline = time.monotonic() + seconds
    times = []

    def worker(k):
        n = 0
        while time.monotonic() < deadline:
            n += 1
            data = json.dumps({
                    'first_name': 'Public', 'last_name': 'Client %s' % k,
                    'email': 'public.%s.%s.%s@example.org' % (
                        k, n, time.time_ns()),
                    'consent': True, 'ticket': world.get('ticket'),
                    }).encode()
            request = urllib.request.Request(url, data=data, headers={
                    'Content-Type': 'application/json'})
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 201, response.status
            times.append(time.perf_counter() - start)

    begin = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    elapsed = time.monotonic() - begin
    median, p95 = summary(times)
    return len(times) / elapsed, median, p95


def run_scale(scale, repeat, log):
    name, quantities = database.ensure(scale)
    log('x%s: database %s ready (%s)' % (scale, name, ', '.join(
                '%s %s' % (v, k) for k, v in quantities.items())))
    results = {}
    sql_log = pathlib.Path(tempfile.mkdtemp(prefix='concertes-sql-'),
        'sql.log')
    with Server(name, workers=1, sql_log=sql_log) as server:
        rpc = server.rpc()
        world = discover(rpc)
        client = Client(rpc)
        counter = QueryCounter(sql_log)
        for op, func in operations(client, world):
            func()  # warm the caches of the worker
            counter.mark()
            func()
            results[op] = {'queries': counter.count()}
    sql_log.unlink()
    with Server(name, workers=2) as server:
        rpc = server.rpc()
        client = Client(rpc)
        for op, func in operations(client, world):
            func()
            median, p95 = summary(timed(func, repeat))
            results[op].update(median=median, p95=p95)
            log('x%s: %-36s %8.1f ms  p95 %8.1f ms  %5d queries' % (
                    scale, op, median * 1000, p95 * 1000,
                    results[op]['queries']))
        rate, median, p95 = public_throughput(server, world)
        results['public registration throughput'] = {
            'median': median, 'p95': p95, 'queries': None, 'rate': rate}
        log('x%s: public registrations %.1f/s (median %.1f ms)' % (
                scale, rate, (median or 0) * 1000))
    report = report_in_process(name, max(3, repeat // 4))
    median, p95 = summary(report['times'])
    results['annual report (in-process)'] = {
        'median': median, 'p95': p95, 'queries': report['queries']}
    log('x%s: annual report %.1f ms, %d queries' % (
            scale, median * 1000, report['queries']))
    return quantities, results


def growth(values):
    "The ratio of the last scale to the first"
    values = [v for v in values if v]
    if len(values) < 2:
        return None
    return values[-1] / values[0]


def write_outputs(scales, by_scale, reference, started):
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime('%Y%m%d-%H%M%S')
    ops = list(next(iter(by_scale.values()))[1].keys())
    rows = []
    for op in ops:
        for scale in scales:
            r = by_scale[scale][1].get(op, {})
            rows.append({
                    'operation': op, 'scale': scale,
                    'median_ms': round(r['median'] * 1000, 2)
                    if r.get('median') is not None else '',
                    'p95_ms': round(r['p95'] * 1000, 2)
                    if r.get('p95') is not None else '',
                    'queries': r.get('queries') if r.get(
                        'queries') is not None else '',
                    'rate_per_s': round(r['rate'], 2)
                    if r.get('rate') else '',
                    })
    csv_path = RESULTS / ('bench-%s.csv' % stamp)
    with open(csv_path, 'w', newline='') as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)

    lines = ['# ConcertES benchmarks, %s' % started.strftime(
                '%Y-%m-%d %H:%M UTC'), '',
        'Machine: %s cores, PostgreSQL on 127.0.0.1; reference: pgbench '
        '(simple-update, 4 clients) %.0f tps.%s' % (
            os.cpu_count(), reference,
            ' Server with PYTHONOPTIMIZE=1.' if Server.optimize else ''),
        '',
        '| operation | scale | median (ms) | p95 (ms) | queries | '
        'growth of the median from x%s |' % scales[0],
        '| --- | ---: | ---: | ---: | ---: | ---: |']
    for op in ops:
        first = by_scale[scales[0]][1].get(op, {}).get('median')
        for scale in scales:
            r = by_scale[scale][1].get(op, {})
            if r.get('rate'):
                median = '%.1f (%.1f reg/s)' % (
                    r['median'] * 1000, r['rate'])
            else:
                median = '%.1f' % (r['median'] * 1000)
            ratio = r['median'] / first if first and scale != scales[
                0] else None
            lines.append('| %s | x%s | %s | %.1f | %s | %s |' % (
                    op, scale, median, r['p95'] * 1000,
                    r['queries'] if r.get('queries') is not None else '-',
                    '%.2f' % ratio if ratio else ''))
    lines += ['', 'Data (per scale): ' + '; '.join(
            'x%s: %s' % (s, ', '.join('%s %s' % (v, k)
                    for k, v in by_scale[s][0].items())) for s in scales)]
    md_path = RESULTS / ('bench-%s.md' % stamp)
    md_path.write_text('\n'.join(lines) + '\n')
    (RESULTS / 'latest.md').write_text('\n'.join(lines) + '\n')

    png_path = RESULTS / ('bench-%s.png' % stamp)
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        png_path = None
    else:
        fig, ax = plt.subplots(figsize=(9, 6))
        for op in ops:
            ax.plot(scales, [by_scale[s][1][op]['median'] * 1000
                    for s in scales], marker='o', label=op)
        ax.set_xscale('log')
        ax.set_yscale('log')
        ax.set_xticks(scales)
        ax.set_xticklabels(['x%s' % s for s in scales])
        ax.set_xlabel('scale')
        ax.set_ylabel('median time (ms)')
        ax.set_title('ConcertES daily operations (pgbench %.0f tps)'
            % reference)
        ax.grid(True, which='both', alpha=.3)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(png_path, dpi=100)
        plt.close(fig)
    return md_path, csv_path, png_path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scales', default='1,10',
        help="comma-separated scale factors (x100 on request)")
    parser.add_argument('--repeat', type=int, default=20,
        help="timed calls per operation")
    parser.add_argument('--pgbench-seconds', type=int, default=10)
    parser.add_argument('--optimize', action='store_true',
        help="serve with PYTHONOPTIMIZE=1 (no assert statements)")
    args = parser.parse_args()
    Server.optimize = args.optimize
    scales = [int(s) if float(s) == int(float(s)) else float(s)
        for s in args.scales.split(',')]
    started = dt.datetime.now(dt.timezone.utc)

    def log(message):
        print(message, flush=True)

    by_scale = {}
    for scale in scales:
        by_scale[scale] = run_scale(scale, args.repeat, log)
    reference = pgbench(database.environment()['TRYTOND_DATABASE__URI'],
        seconds=args.pgbench_seconds)
    log('pgbench: %.0f tps' % reference)
    md, csv_path, png = write_outputs(scales, by_scale, reference, started)
    print(md.read_text())
    log('written: %s, %s, %s' % (md, csv_path, png))
    return 0
