# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""make backup / make restore (tools/backup.py) on the backend of the run

The records and attachments are written and read over JSON-RPC on a real
server; the backup is taken while it serves, the restore with it stopped."""
import base64
import hashlib
import io
import json
import pathlib
import re
import secrets
import subprocess
import tarfile
import tempfile
import unittest

from tools.server import BIN, ROOT, TrytondServer, drop_database, unique


def rpc_bytes(data):
    return {'__class__': 'bytes', 'base64': base64.b64encode(data).decode()}


class BackupTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = TrytondServer(unique('test_backup'))
        cls.server.start()
        # The server in front of the database, another one after a restore
        cls.serving = cls.server
        cls.backups = tempfile.mkdtemp(dir=cls.server.tmp)

    @classmethod
    def tearDownClass(cls):
        cls.serving.stop()
        cls.server.stop()

    def tool(self, *args):
        return subprocess.run(
            [str(BIN / 'python'), str(ROOT / 'tools' / 'backup.py'), *args],
            env=self.server.env, cwd=str(ROOT), capture_output=True,
            text=True, timeout=300)

    def state(self, rpc):
        "What a restore must bring back: records and attachments' contents"
        parties = rpc.model('party.party', 'search_read', [], 0, None,
            [('id', 'ASC')], ['name'])
        attachments = rpc.model('ir.attachment', 'search_read', [], 0, None,
            [('id', 'ASC')], ['name', 'data'])
        return {
            'parties': [p['name'] for p in parties],
            'attachments': {
                a['name']: hashlib.sha256(base64.b64decode(
                        a['data']['base64'])).hexdigest()
                for a in attachments},
            }

    def test_backup_restore(self):
        "Back up, change and delete, restore: the same records and files"
        rpc = self.serving.rpc()
        party_ids = rpc.model('party.party', 'create', [
                {'name': name} for name in ['SAW-B', 'Febecoop', 'ConcertES']])
        minutes = secrets.token_bytes(2048)
        attachment_ids = rpc.model('ir.attachment', 'create', [{
                    'name': 'pv-ag.pdf', 'resource': 'party.party,%s' % i,
                    'data': rpc_bytes(minutes + bytes([n]))}
                for n, i in enumerate(party_ids)])
        before = self.state(rpc)
        self.assertEqual(len(before['attachments']), 1)  # same name

        result = self.tool(
            'backup', '--database', self.server.name,
            '--output-dir', self.backups)
        self.assertEqual(result.returncode, 0, result.stderr)
        archive, = pathlib.Path(self.backups).glob(
            self.server.name + '-*.tar.gz')
        self.assertRegex(
            archive.name, r'-\d{4}-\d{2}-\d{2}-\d{6}\.tar\.gz$')
        with tarfile.open(archive) as tar:
            manifest = json.load(tar.extractfile('manifest.json'))
            names = tar.getnames()
        self.assertEqual(manifest['product'], 'ConcertES ERP')
        self.assertEqual(manifest['database'], self.server.name)
        self.assertEqual(
            manifest['backend'],
            'postgresql' if self.server.postgresql else 'sqlite')
        self.assertIn('concertes_members', manifest['modules'])
        self.assertEqual(
            len([n for n in names if n.startswith('attachments/')]), 3)

        # Change, delete and add records and attachments
        rpc.model('party.party', 'write', party_ids[:1], {'name': 'Changed'})
        rpc.model('ir.attachment', 'delete', attachment_ids[1:])
        rpc.model('party.party', 'delete', party_ids[2:])
        rpc.model('party.party', 'create', [{'name': 'Nouvelle'}])
        self.assertNotEqual(self.state(rpc), before)

        self.serving.stop(keep=True)
        result = self.tool(
            'restore', str(archive), '--database', self.server.name)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('Restored %s' % self.server.name, result.stdout)
        self.assertIn('What it replaced is kept as', result.stdout)
        for aside in re.findall(
                r'the PostgreSQL database (\S+)$', result.stdout, re.M):
            self.addCleanup(drop_database, aside, self.server.env)

        type(self).serving = TrytondServer(
            self.server.name, create=False,
            env={'TRYTOND_DATABASE__PATH': self.server.tmp})
        self.serving.start()
        after = self.state(self.serving.rpc())
        self.assertEqual(after, before)
        self.assertEqual(len(after['parties']), len(before['parties']))

    def test_restore_refuses_what_is_not_a_backup(self):
        "A file that is not a sound ConcertES backup is refused, untouched"
        rpc = self.serving.rpc()
        rpc.model('party.party', 'create', [{'name': 'Témoin'}])
        before = self.state(rpc)
        tmp = pathlib.Path(self.server.tmp)
        asides = set(tmp.glob('*before-restore*'))

        garbage = tmp / 'garbage.tar.gz'
        garbage.write_bytes(secrets.token_bytes(1000))
        foreign = tmp / 'foreign.tar.gz'
        with tarfile.open(foreign, 'w:gz') as tar:
            data = json.dumps({'product': 'Other'}).encode()
            info = tarfile.TarInfo('manifest.json')
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        result = self.tool(
            'backup', '--database', self.server.name,
            '--output-dir', str(tmp / 'good'))
        self.assertEqual(result.returncode, 0, result.stderr)
        good, = (tmp / 'good').glob('*.tar.gz')
        damaged = tmp / 'damaged.tar.gz'
        with tarfile.open(good) as source, \
                tarfile.open(damaged, 'w:gz') as tar:
            for member in source:
                data = source.extractfile(member).read()
                if member.name.startswith('database.'):
                    data = (data[:1000]
                        + bytes(b ^ 0xff for b in data[1000:1100])
                        + data[1100:])
                tar.addfile(member, io.BytesIO(data))

        for path, reason in [
                (garbage, 'is not a ConcertES backup'),
                (foreign, 'is not a ConcertES backup'),
                (damaged, 'is damaged: wrong checksum of database.'),
                (tmp / 'missing.tar.gz', 'no such file'),
                ]:
            with self.subTest(path=path.name):
                result = self.tool(
                    'restore', str(path), '--database', self.server.name)
                self.assertEqual(result.returncode, 2, result.stdout)
                self.assertIn('restore refused: ', result.stderr)
                self.assertIn(reason, result.stderr)
                self.assertNotIn('Restored', result.stdout)
        # The database is untouched and still served
        self.assertEqual(self.state(rpc), before)
        self.assertEqual(set(tmp.glob('*before-restore*')), asides)
