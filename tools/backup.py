#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Back up and restore a ConcertES database with its attachments.

    python tools/backup.py backup --database NAME [--output-dir DIR]
    python tools/backup.py restore FILE --database NAME

The configuration comes from the environment as for the server (`make backup`
and `make restore` give the same one as `make run`).  An archive holds:

- manifest.json: that it is a ConcertES backup, the backend, the database,
  the modules' versions and source checksums, the SHA-256 of every member;
- database.dump (PostgreSQL, `pg_dump -Fc`) or database.sqlite (SQLite,
  taken with SQLite's online backup API, so the server may keep running);
- attachments/: the attachment store of the database (under the data path).

A restore checks the whole archive (manifest, backend, checksums, the dump
itself) before touching anything, then puts the database and the store in
place and keeps what it replaced beside them, under a name it prints.
"""
import argparse
import datetime as dt
import hashlib
import io
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ROOT / 'addons'
PRODUCT = 'ConcertES ERP'
FORMAT = 1
MANIFEST = 'manifest.json'
DUMPS = {'postgresql': 'database.dump', 'sqlite': 'database.sqlite'}
STORE = 'attachments'


class BackupError(Exception):
    "Refused: the message says why"


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as fp:
        for chunk in iter(lambda: fp.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def modules():
    "The version and a checksum of the sources of each of our modules"
    result = {}
    for cfg in sorted(ADDONS.glob('*/tryton.cfg')):
        folder = cfg.parent
        version = None
        for line in cfg.read_text().splitlines():
            if line.startswith('version='):
                version = line.split('=', 1)[1].strip()
        digest = hashlib.sha256()
        for path in sorted(folder.rglob('*')):
            if path.is_file() and '__pycache__' not in path.parts \
                    and '.egg-info' not in str(path) \
                    and 'tests' not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
        result[folder.name] = {
            'version': version, 'sha256': digest.hexdigest()}
    return result


def sqlite_copy(source, target):
    "Copy with SQLite's online backup API: consistent while others write"
    source = sqlite3.connect('file:%s?mode=ro' % source, uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


class Site:
    "Where the database and the attachment store of a database live"

    def __init__(self, database):
        from trytond import config
        config.update_etc(os.environ.get('TRYTOND_CONFIG'))
        self.database = database
        self.uri = config.get('database', 'uri') or 'sqlite://'
        self.backend = urllib.parse.urlsplit(self.uri).scheme.split('+')[0]
        if self.backend not in DUMPS:
            raise BackupError("unsupported database URI %s" % self.uri)
        if self.backend == 'postgresql' and not (
                shutil.which('pg_dump') and shutil.which('pg_restore')):
            raise BackupError(
                "pg_dump and pg_restore are missing: install PostgreSQL's "
                "client of the server's version (apt-get install "
                "postgresql-client)")
        self.path = pathlib.Path(config.get('database', 'path'))
        self.store = self.path / database

    @property
    def sqlite_file(self):
        return self.path / (self.database + '.sqlite')

    def pg_uri(self, database):
        parts = urllib.parse.urlsplit(self.uri)
        return urllib.parse.urlunsplit(
            ('postgresql', parts.netloc, '/' + database, parts.query, ''))

    def pg_execute(self, *queries):
        import psycopg
        with psycopg.connect(
                self.pg_uri('postgres'), autocommit=True) as connection:
            for query in queries:
                connection.execute(query)

    def pg_exists(self, database):
        import psycopg
        with psycopg.connect(
                self.pg_uri('postgres'), autocommit=True) as connection:
            return bool(connection.execute(
                    'SELECT 1 FROM pg_database WHERE datname = %s',
                    (database,)).fetchone())

    def exists(self):
        if self.backend == 'sqlite':
            return self.sqlite_file.exists()
        return self.pg_exists(self.database)

    def dump(self, target):
        "Write a consistent copy of the database to target"
        if self.backend == 'sqlite':
            if not self.sqlite_file.exists():
                raise BackupError("no database %s" % self.sqlite_file)
            sqlite_copy(self.sqlite_file, target)
        else:
            subprocess.run([
                    'pg_dump', '--no-password', '--format=custom',
                    '--file', str(target),
                    '--dbname', self.pg_uri(self.database)], check=True)


def backup(database, output_dir):
    site = Site(database)
    if not site.exists():
        raise BackupError("the database %s does not exist" % database)
    output_dir = pathlib.Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now()
    archive = output_dir / ('%s-%s.tar.gz' % (
            database, now.strftime('%Y-%m-%d-%H%M%S')))
    with tempfile.TemporaryDirectory(dir=output_dir) as tmp:
        dump = pathlib.Path(tmp, DUMPS[site.backend])
        site.dump(dump)
        members = [(DUMPS[site.backend], dump)]
        if site.store.is_dir():
            for path in sorted(site.store.rglob('*')):
                if path.is_file():
                    members.append((
                            '%s/%s' % (
                                STORE, path.relative_to(site.store)),
                            path))
        manifest = {
            'product': PRODUCT,
            'format': FORMAT,
            'backend': site.backend,
            'database': database,
            'created': now.isoformat(timespec='seconds'),
            'modules': modules(),
            'files': {name: sha256(path) for name, path in members},
            }
        partial = pathlib.Path(tmp, archive.name)
        with tarfile.open(partial, 'w:gz') as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, path in members:
                tar.add(str(path), arcname=name, recursive=False)
        os.replace(partial, archive)
    attachments = len(members) - 1
    print("Backed up %s (%s) with %s attachment file(s) to %s" % (
            database, site.backend, attachments, archive))
    return archive


def check(archive, site, tmp):
    """Extract archive into tmp and check it is a sound backup for site

    Nothing of the site is touched: every reason to refuse comes first."""
    archive = pathlib.Path(archive)
    if not archive.is_file():
        raise BackupError("%s: no such file" % archive)
    not_ours = "%s is not a ConcertES backup" % archive
    try:
        tar = tarfile.open(archive, 'r:*')
    except (tarfile.TarError, OSError, EOFError):
        raise BackupError(not_ours + " (not a readable archive)")
    with tar:
        try:
            member = tar.getmember(MANIFEST)
            manifest = json.load(tar.extractfile(member))
        except (KeyError, ValueError, tarfile.TarError, OSError, EOFError):
            raise BackupError(not_ours + " (no manifest)")
        if not isinstance(manifest, dict) \
                or manifest.get('product') != PRODUCT:
            raise BackupError(not_ours)
        if manifest.get('format') != FORMAT:
            raise BackupError(
                "%s is a backup of format %s, this version reads format %s"
                % (archive, manifest.get('format'), FORMAT))
        if manifest.get('backend') != site.backend:
            raise BackupError(
                "%s is a backup of a %s database; the configured database "
                "is %s" % (archive, manifest.get('backend'), site.backend))
        files = manifest.get('files') or {}
        dump_name = DUMPS[site.backend]
        if dump_name not in files:
            raise BackupError("%s is damaged: no database dump" % archive)
        found = set()
        try:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if member.name not in files or not member.isfile():
                    raise BackupError(
                        "%s is damaged: unexpected member %s"
                        % (archive, member.name))
                tar.extract(member, tmp, filter='data')
                if sha256(pathlib.Path(tmp, member.name)) \
                        != files[member.name]:
                    raise BackupError(
                        "%s is damaged: wrong checksum of %s"
                        % (archive, member.name))
                found.add(member.name)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise BackupError("%s is damaged: %s" % (archive, error))
        missing = set(files) - found
        if missing:
            raise BackupError("%s is damaged: missing %s" % (
                    archive, ', '.join(sorted(missing))))
    dump = pathlib.Path(tmp, dump_name)
    if site.backend == 'sqlite':
        try:
            connection = sqlite3.connect('file:%s?mode=ro' % dump, uri=True)
            result, = connection.execute('PRAGMA integrity_check').fetchone()
            connection.close()
        except sqlite3.DatabaseError as error:
            result = str(error)
        if result != 'ok':
            raise BackupError("%s is damaged: %s" % (archive, result))
    else:
        listing = subprocess.run(
            ['pg_restore', '--list', str(dump)], capture_output=True)
        if listing.returncode:
            raise BackupError("%s is damaged: %s" % (
                    archive, listing.stderr.decode(errors='replace')))
    return manifest


def restore(archive, database):
    site = Site(database)
    site.path.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime('%Y%m%d%H%M%S')
    with tempfile.TemporaryDirectory(
            dir=site.path, prefix='.restore-') as tmp:
        manifest = check(archive, site, tmp)
        replaced = []
        dump = pathlib.Path(tmp, DUMPS[site.backend])
        if site.backend == 'sqlite':
            target = site.sqlite_file
            if target.exists():
                # not *.sqlite: trytond would list it as a database
                aside = target.with_name(
                    '%s.sqlite.before-restore-%s' % (database, stamp))
                sqlite_copy(target, aside)
                replaced.append(aside)
            for suffix in ['-wal', '-shm']:
                target.with_name(target.name + suffix).unlink(
                    missing_ok=True)
            os.replace(dump, target)
        else:
            restoring = '%s_restoring_%s' % (database, stamp)
            site.pg_execute('CREATE DATABASE "%s" TEMPLATE template0'
                % restoring)
            result = subprocess.run([
                    'pg_restore', '--no-password', '--no-owner',
                    '--exit-on-error', '--dbname', site.pg_uri(restoring),
                    str(dump)], capture_output=True)
            if result.returncode:
                site.pg_execute('DROP DATABASE "%s"' % restoring)
                raise BackupError("the dump could not be restored, %s is "
                    "untouched: %s" % (
                        database, result.stderr.decode(errors='replace')))
            queries = []
            if site.pg_exists(database):
                aside = '%s_before_restore_%s' % (database, stamp)
                queries.append('ALTER DATABASE "%s" RENAME TO "%s"' % (
                        database, aside))
                replaced.append('the PostgreSQL database %s' % aside)
            queries.append('ALTER DATABASE "%s" RENAME TO "%s"' % (
                    restoring, database))
            try:
                site.pg_execute(*queries)
            except Exception as error:
                site.pg_execute('DROP DATABASE "%s"' % restoring)
                raise BackupError(
                    "%s is in use, stop the servers first (%s)"
                    % (database, error))
        if site.store.exists():
            aside = site.store.with_name(
                '%s.before-restore-%s' % (database, stamp))
            os.replace(site.store, aside)
            replaced.append(aside)
        store = pathlib.Path(tmp, STORE)
        if store.exists():
            os.replace(store, site.store)
    count = sum(1 for name in manifest['files'] if name.startswith(STORE))
    print("Restored %s (%s) from %s, made on %s of database %s, with %s "
        "attachment file(s)" % (database, site.backend, archive,
            manifest.get('created'), manifest.get('database'), count))
    for item in replaced:
        print("What it replaced is kept as %s" % item)
    changed = sorted(
        name for name, module in modules().items()
        if manifest.get('modules', {}).get(name) != module)
    if changed:
        print("The modules' code differs from the backup's (%s): "
            "run `make database` to update the database"
            % ', '.join(changed))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest='command', required=True)
    command = commands.add_parser('backup', help="write an archive")
    command.add_argument('--database', default='concertes')
    command.add_argument(
        '--output-dir', default=str(ROOT / 'var' / 'backups'))
    command = commands.add_parser('restore', help="put an archive back")
    command.add_argument('file')
    command.add_argument('--database', default='concertes')
    args = parser.parse_args()
    try:
        if args.command == 'backup':
            backup(args.database, args.output_dir)
        else:
            restore(args.file, args.database)
    except BackupError as error:
        print("%s refused: %s" % (args.command, error), file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print("%s failed: %s" % (args.command, error), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
