# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The back-office in a real headless Chromium, as the team uses it"
import pathlib
import subprocess
import sys
import unittest

from .server import ADMIN_PASSWORD, ROOT, demo_server

SAO_WALK = ROOT.parent / 'shared' / 'tools' / 'sao_walk.py'
ARTEFACTS = ROOT / 'var' / 'artefacts'


class BackOfficeWalkTestCase(unittest.TestCase):

    def test_every_concertes_screen_opens_without_error(self):
        "Each entry of the ConcertES menu opens, in French, without error"
        server = demo_server()
        out = ARTEFACTS / 'sao-walk'
        result = subprocess.run([
                sys.executable, str(SAO_WALK), '--url', server.url + '/',
                '--database', server.name, '--user', 'admin',
                '--password', ADMIN_PASSWORD, '--out', str(out),
                '--menu', 'ConcertES', '--lang', 'fr', '--max', '200',
                ], capture_output=True, text=True, timeout=900)
        report = pathlib.Path(out, 'walk.md').read_text() if pathlib.Path(
            out, 'walk.md').exists() else result.stderr
        self.assertEqual(result.returncode, 0, report)
        # The walk saw the modules' screens, not an empty menu
        self.assertGreaterEqual(report.count('| list |'), 8, report)
