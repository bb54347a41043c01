#!/usr/bin/env python3
"""Create or update a ConcertES database.

    python tools/setup_db.py --database NAME [--export-translations]

Creates the database when it does not exist (an SQLite file under var/ or a
PostgreSQL database, from TRYTOND_DATABASE__URI), activates the ConcertES
modules with French, Dutch and English, and gives the admin user the password
of CONCERTES_ADMIN_PASSWORD or a generated one, printed once and kept in
var/<database>.admin-password.  A later call updates the modules only when
their files changed since the last update, so that a warm start is quick.
"""
import argparse
import hashlib
import os
import pathlib
import secrets
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ROOT / 'addons'
VAR = ROOT / 'var'
MODULES = sorted(
    p.name for p in ADDONS.iterdir() if (p / 'tryton.cfg').exists())
LANGUAGES = ['fr', 'nl']


def source_hash():
    digest = hashlib.sha1()
    for path in sorted(ADDONS.rglob('*')):
        if path.suffix in {'.py', '.xml', '.cfg', '.po', '.fodt', '.html'} \
                and '__pycache__' not in path.parts \
                and 'tests' not in path.parts:
            digest.update(str(path.relative_to(ADDONS)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def admin(*args, env=None):
    cmd = [str(ROOT / '.venv' / 'bin' / 'trytond-admin'),
        '-c', os.environ.get('TRYTOND_CONFIG', str(ROOT / 'trytond.conf'))]
    cmd.extend(args)
    subprocess.run(cmd, check=True, env=env)


def ensure_database(name):
    "Create the database if needed and tell whether it is new"
    from trytond import config
    from trytond.transaction import Transaction
    config.update_etc(os.environ.get('TRYTOND_CONFIG'))
    uri = config.get('database', 'uri')
    if uri.startswith('sqlite'):
        path = pathlib.Path(config.get('database', 'path')) / (
            name + '.sqlite')
        if path.exists() and path.stat().st_size:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        return True
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        database = transaction.database
        if name in database.list():
            return False
        database.create(transaction.connection, name)
        return True


def schedule_crons(name):
    "Every scheduled job active with its next call (ir.cron.schedule_all)"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(name)
    with Transaction().start(name, 0, readonly=True):
        pool.init()
    with Transaction().start(name, 0):
        Cron = pool.get('ir.cron')
        crons = Cron.schedule_all() if hasattr(Cron, 'schedule_all') else []
    if crons:
        print('Scheduled %s jobs' % len(crons), flush=True)


def close_config_wizard(name):
    """The module configuration wizard would open at every admin login: the
    setup and the demo configure what it asks"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(name)
    pool.init()
    with Transaction().start(name, 0):
        Item = pool.get('ir.module.config_wizard.item')
        Item.write(Item.search([('state', '=', 'open')]), {'state': 'done'})


def main():
    os.environ.setdefault('TRYTOND_CONFIG', str(ROOT / 'trytond.conf'))
    os.environ.setdefault('TRYTOND_DATABASE__PATH', str(VAR))
    os.environ.setdefault('TRYTOND_DATABASE__LANGUAGE', 'fr')
    parser = argparse.ArgumentParser()
    parser.add_argument('--database', default='concertes')
    parser.add_argument('--export-translations', action='store_true')
    parser.add_argument(
        '--modules', default=','.join(MODULES),
        help="the modules to activate (and whose translations to export)")
    args = parser.parse_args()
    VAR.mkdir(exist_ok=True)
    name = args.database
    stamp = VAR / ('%s.modules-hash' % name)
    password_file = VAR / ('%s.admin-password' % name)

    new = ensure_database(name)
    current = source_hash()
    if new:
        password = os.environ.get('CONCERTES_ADMIN_PASSWORD')
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        password_file.write_text(password + '\n')
        password_file.chmod(0o600)
        env = dict(os.environ, TRYTONPASSFILE=str(password_file))
        print('Creating database %s...' % name, flush=True)
        admin('-d', name, '--all', '-p', '--email', 'admin@concertes.be',
            env=env)
        if generated:
            print('*' * 60)
            print('Admin login: admin   password: %s' % password)
            print('(kept in %s)' % password_file)
            print('*' * 60, flush=True)
    if new or args.export_translations or (
            not stamp.exists() or stamp.read_text() != current):
        print('Updating the ConcertES modules in %s...' % name, flush=True)
        extra = ['--export-translations'] if args.export_translations else []
        modules = [m for m in args.modules.split(',') if m]
        admin('-d', name, '-u', *modules, '--activate-dependencies',
            '-l', *LANGUAGES, *extra)
        stamp.write_text(source_hash())
        schedule_crons(name)
        close_config_wizard(name)
    return 0


if __name__ == '__main__':
    sys.exit(main())
