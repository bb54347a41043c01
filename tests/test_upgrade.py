# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Safe upgrades: a database made by the previous release is upgraded by the
current code with nothing lost and every record still valid.

The previous release is CONCERTES_UPGRADE_FROM (a commit or tag) or else the
latest tag, or else the last commit (HEAD; HEAD~1 when the working tree has
no change, so that the test always crosses one commit).  It is exported
with `git archive` into a temporary folder and its modules are installed
(not editable) into a temporary virtualenv that sees .venv's packages
through a .pth file: a directory added by a .pth line does not get its own
.pth files processed, so the editable finders of the current modules stay
out and only the old modules are imported.  The old code creates the
database and its demo world as `make demo` did; then the current code
upgrades it as the README tells (`trytond-admin -u ... --activate-
dependencies`), and the records of every model are compared before and
after, and validated (`trytond-admin --validate`).  On PostgreSQL when
TRYTOND_DATABASE__URI names it, else SQLite in a temporary folder.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import unittest

from tools.server import drop_database

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
SITE = pathlib.Path(sysconfig.get_paths()['purelib'])
MODULES = sorted(
    p.name for p in (ROOT / 'addons').iterdir()
    if (p / 'tryton.cfg').exists())

# Records of these models may change with an upgrade (they describe the code)
CODE_MODELS = ('ir.', 'res.user.application', 'res.user.device')

DUMP = r'''
import json, os, sys
from trytond import config
config.update_etc(os.environ['TRYTOND_CONFIG'])
from trytond.model import ModelSQL
from trytond.pool import Pool
from trytond.transaction import Transaction
import trytond.modules.concertes_members as members
database = sys.argv[1]
Pool.start()
pool = Pool(database)
pool.init()
result = {'_members_file': members.__file__, 'records': {}}
with Transaction().start(database, 0, readonly=True) as transaction:
    cursor = transaction.connection.cursor()
    for name, Model in pool.iterobject():
        if (not issubclass(Model, ModelSQL)
                or callable(getattr(Model, 'table_query', None))):
            continue
        table = Model.__table__()
        cursor.execute(*table.select(table.id))
        result['records'][name] = sorted(i for i, in cursor)
json.dump(result, sys.stdout)
'''


def git(*args):
    return subprocess.run(
        ['git', '-C', str(ROOT), *args], check=True, capture_output=True,
        text=True).stdout.strip()


def previous_release():
    if os.environ.get('CONCERTES_UPGRADE_FROM'):
        return os.environ['CONCERTES_UPGRADE_FROM']
    tags = git('tag', '--sort=-creatordate', '--merged', 'HEAD').split()
    if tags:
        return tags[0]
    if git('status', '--porcelain', '--', 'addons', 'demo'):
        return 'HEAD'
    try:
        return git('rev-parse', '--verify', '--quiet', 'HEAD~1')
    except subprocess.CalledProcessError:
        return 'HEAD'


@unittest.skipIf(
    shutil.which('git') is None
    or not (ROOT / '.git').exists(), "needs the git history")
class UpgradeTestCase(unittest.TestCase):
    "The previous release's database upgraded by the current code"

    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp(prefix='concertes-upgrade-'))
        cls.release = previous_release()
        cls.old = cls.tmp / 'old'
        cls.old.mkdir()
        archive = subprocess.run(
            ['git', '-C', str(ROOT), 'archive', cls.release],
            check=True, capture_output=True).stdout
        subprocess.run(
            ['tar', 'x', '-C', str(cls.old)], input=archive, check=True)
        uri = os.environ.get('TRYTOND_DATABASE__URI', 'sqlite://')
        cls.postgresql = uri.startswith('postgresql')
        cls.name = 'test_upgrade_%s' % os.getpid()
        cls.env = {k: v for k, v in os.environ.items()
            if k not in {'DB_NAME', 'DB_CACHE', 'TRYTOND_DATABASE_NAMES',
                'TRYTOND_CONFIG', 'PYTHONPATH'}}
        cls.env.update({
                'TRYTOND_DATABASE__URI': uri,
                'TRYTOND_DATABASE__PATH': str(cls.tmp),
                'TRYTOND_DATABASE__LANGUAGE': 'fr',
                'CONCERTES_ADMIN_PASSWORD': 'concertes-upgrade',
                'PYTHONDONTWRITEBYTECODE': '1',
                })
        cls.make_old_venv()

    @classmethod
    def tearDownClass(cls):
        cls.drop_database()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def make_old_venv(cls):
        """A virtualenv in the old tree (its tools call .venv/bin/...) with
        the old modules installed, and .venv's packages through a .pth"""
        venv = cls.old / '.venv'
        base = getattr(sys, '_base_executable', sys.executable)
        subprocess.run(
            [base, '-m', 'venv', '--without-pip', str(venv)], check=True)
        cls.python = venv / 'bin' / 'python'
        site = pathlib.Path(subprocess.run(
                [str(cls.python), '-c',
                    'import sysconfig; print(sysconfig.get_paths()["purelib"])'
                    ], check=True, capture_output=True, text=True
                ).stdout.strip())
        # trytond itself is a regular package: the old modules must sit in
        # a trytond/modules folder that is the one imported, so trytond's
        # files are linked into the old site-packages next to them
        trytond = site / 'trytond'
        (trytond / 'modules').mkdir(parents=True)
        for path in (SITE / 'trytond').iterdir():
            if path.name not in {'modules', '__pycache__'}:
                (trytond / path.name).symlink_to(path)
        for path in (SITE / 'trytond' / 'modules').iterdir():
            if path.name != '__pycache__':
                (trytond / 'modules' / path.name).symlink_to(path)
        (site / 'concertes_venv.pth').write_text(str(SITE) + '\n')
        addons = sorted(
            p for p in (cls.old / 'addons').iterdir()
            if (p / 'tryton.cfg').exists())
        subprocess.run(
            [str(BIN / 'pip'), 'install', '-q', '--no-deps',
                '--no-build-isolation', '--no-compile', '--target',
                str(site / 'old-modules')] + [str(p) for p in addons],
            check=True, cwd=str(cls.tmp), capture_output=True)
        for path in (site / 'old-modules' / 'trytond' / 'modules').iterdir():
            shutil.move(str(path), str(trytond / 'modules' / path.name))
        cls.old_modules = [p.name for p in addons]
        script = venv / 'bin' / 'trytond-admin'
        script.write_text(
            '#!%s\nimport sys\nfrom trytond.cli.admin import main\n'
            'sys.exit(main())\n' % cls.python)
        script.chmod(0o755)

    @classmethod
    def drop_database(cls):
        if cls.postgresql:
            drop_database(cls.name, dict(
                    cls.env, TRYTOND_CONFIG=str(ROOT / 'trytond.conf')))

    def run_old(self, *args):
        env = dict(self.env, TRYTOND_CONFIG=str(self.old / 'trytond.conf'))
        return subprocess.run(
            [str(self.python), *args], env=env, cwd=str(self.old),
            check=True, capture_output=True, text=True)

    def run_new(self, *args):
        env = dict(self.env, TRYTOND_CONFIG=str(ROOT / 'trytond.conf'))
        return subprocess.run(
            [str(BIN / 'python'), *args], env=env, cwd=str(ROOT),
            check=True, capture_output=True, text=True)

    def dump(self, run):
        result = json.loads(run('-c', DUMP, self.name).stdout)
        return result['_members_file'], result['records']

    def test_upgrade_keeps_every_record(self):
        "The previous release's demo database upgrades with nothing lost"
        start = time.monotonic()
        self.drop_database()
        try:
            self.run_old('tools/setup_db.py', '--database', self.name)
            self.run_old('demo/build.py', '--database', self.name)
        except subprocess.CalledProcessError as error:
            self.fail('the previous release %s does not build:\n%s' % (
                    self.release, (error.stdout or '') + error.stderr))
        old_file, before = self.dump(self.run_old)
        # the old code ran from the old tree, not the current one
        self.assertTrue(old_file.startswith(str(self.old)), old_file)

        upgrade = self.run_new(
            str(BIN / 'trytond-admin'), '-c', str(ROOT / 'trytond.conf'),
            '-d', self.name, '-u', *MODULES, '--activate-dependencies')
        new_file, after = self.dump(self.run_new)
        self.assertTrue(new_file.startswith(str(ROOT)), new_file)

        lost = {}
        for model, ids in before.items():
            if model.startswith(CODE_MODELS):
                continue
            missing = set(ids) - set(after.get(model, []))
            if missing:
                lost[model] = sorted(missing)[:10]
        self.assertEqual(lost, {}, "records lost by the upgrade")
        counted = sum(
            len(ids) for m, ids in before.items()
            if not m.startswith(CODE_MODELS))

        models = sorted(
            m for m, ids in after.items()
            if ids and not m.startswith(CODE_MODELS))
        validate = self.run_new(
            str(BIN / 'trytond-admin'), '-c', str(ROOT / 'trytond.conf'),
            '-d', self.name, '--validate', *models)
        output = validate.stdout + validate.stderr + upgrade.stderr
        invalid = [line for line in output.splitlines() if ': KO ' in line]
        self.assertEqual(invalid, [], "records no longer valid")
        print('\nupgrade from %s: %d records of %d models kept and valid '
            '(%.0fs)' % (self.release, counted, len(models),
                time.monotonic() - start), file=sys.stderr)
