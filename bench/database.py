# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The databases of the benchmarks: created, generated, dropped"
import argparse
import json
import os
import pathlib
import subprocess
import sys

from tools.server import drop_database

ROOT = pathlib.Path(__file__).resolve().parent.parent
VAR = ROOT / 'var'
DEFAULT_URI = 'postgresql://postgres@127.0.0.1:5432/'
ADMIN_PASSWORD = 'concertes-bench-admin'
# the modules activated, no data: the databases of the scales are its copies
TEMPLATE = 'bench_template'


def database_name(scale):
    return 'bench_x%s' % str(scale).replace('.', '_')


def environment():
    "The environment of the tools and servers of the benchmarks"
    env = dict(os.environ)
    for key in ['DB_NAME', 'DB_CACHE', 'TRYTOND_DATABASE_NAMES']:
        env.pop(key, None)
    uri = env.get('TRYTOND_DATABASE__URI') or DEFAULT_URI
    if not uri.startswith('postgresql'):
        raise SystemExit('benchmarks run on PostgreSQL, not %s' % uri)
    env.update({
            'TRYTOND_CONFIG': str(ROOT / 'trytond.conf'),
            'TRYTOND_DATABASE__URI': uri,
            'TRYTOND_DATABASE__PATH': str(VAR),
            'TRYTOND_DATABASE__LANGUAGE': 'fr',
            'TRYTOND_WEB__ROOT': str(ROOT / 'var' / 'sao' / 'package'),
            'CONCERTES_ADMIN_PASSWORD': ADMIN_PASSWORD,
            'PYTHONDONTWRITEBYTECODE': '1',
            })
    return env


def _marker(name):
    return VAR / ('%s.generated' % name)


def drop(name, env):
    drop_database(name, env)
    for suffix in ['generated', 'modules-hash', 'admin-password']:
        (VAR / ('%s.%s' % (name, suffix))).unlink(missing_ok=True)


def exists(name, env):
    result = subprocess.run([sys.executable, '-c', (
                'import sys\n'
                'from trytond.transaction import Transaction\n'
                'with Transaction().start(None, 0, close=True) as t:\n'
                '    print(sys.argv[1] in t.database.list())\n'),
            name], env=env, check=True, capture_output=True, text=True)
    return result.stdout.strip() == 'True'


def setup(name, env):
    "Create or update the database with tools/setup_db.py"
    subprocess.run([sys.executable, str(ROOT / 'tools' / 'setup_db.py'),
            '--database', name], env=env, check=True, cwd=str(ROOT),
        stdout=subprocess.DEVNULL)


def clone(template, name, env):
    """Create name as a copy of template (PostgreSQL's CREATE DATABASE ...
    TEMPLATE): activating the modules once serves every scale"""
    setup(template, env)
    subprocess.run([sys.executable, '-c', (
                'import sys\n'
                'from trytond.transaction import Transaction\n'
                'with Transaction().start(None, 0, close=True,'
                ' autocommit=True) as t:\n'
                '    cursor = t.connection.cursor()\n'
                '    cursor.execute(\'CREATE DATABASE "%s" TEMPLATE "%s"\''
                ' % (sys.argv[1], sys.argv[2]))\n'),
            name, template], env=env, check=True)
    for suffix in ['modules-hash', 'admin-password']:
        source = VAR / ('%s.%s' % (template, suffix))
        if source.exists():
            (VAR / ('%s.%s' % (name, suffix))).write_text(source.read_text())


def ensure(scale, name=None, fresh=False):
    """Make the database of the scale (generated once); return its name and
    the quantities of its world"""
    name = name or database_name(scale)
    env = environment()
    marker = _marker(name)
    if fresh or not marker.exists() or not exists(name, env):
        drop(name, env)
        clone(TEMPLATE, name, env)
        fresh = True
    setup(name, env)
    if fresh:
        subprocess.run([sys.executable, '-c', (
                    'import json, sys\n'
                    'sys.path.insert(0, sys.argv[3])\n'
                    'from bench.world import generate\n'
                    'q = generate(sys.argv[1], float(sys.argv[2]))\n'
                    'print(json.dumps(q))\n'),
                name, str(scale), str(ROOT)], env=env, check=True,
            cwd=str(ROOT), stdout=open(marker.with_suffix('.tmp'), 'w'))
        marker.with_suffix('.tmp').rename(marker)
    return name, json.loads(marker.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--scale', type=float, default=1)
    parser.add_argument('--database')
    parser.add_argument('--fresh', action='store_true',
        help="drop and generate again even if it exists")
    args = parser.parse_args()
    scale = int(args.scale) if args.scale == int(args.scale) else args.scale
    name, quantities = ensure(scale, args.database, fresh=args.fresh)
    print('%s: %s' % (name, ', '.join(
                '%s %s' % (v, k) for k, v in quantities.items())))
    return 0
