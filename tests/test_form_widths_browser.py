# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The back-office's forms on a 1,366-pixel laptop screen, in headless Chromium"
import importlib.util
import os
import unittest

from tools import form_widths, sao_walk
from tools.server import ARTEFACTS as BASE_ARTEFACTS
from tools.server import demo_server

from .test_backoffice_browser import sao_session

ARTEFACTS = BASE_ARTEFACTS / 'form-widths'


class FormWidthsTestCase(unittest.TestCase):

    def test_forms_fit_1366_pixels(self):
        """Every form of the ConcertES menu, on a record and new, on every
        page of its notebooks, fits a 1,366 x 768 screen beside the open
        menu: its content box does not scroll horizontally"""
        if importlib.util.find_spec('playwright') is None:
            raise unittest.SkipTest("playwright is not installed")
        # the widths are sao's layout of the views, whatever the database:
        # measured once a make test (5 minutes), on its SQLite run
        if os.environ.get('TRYTOND_DATABASE__URI', '').startswith(
                'postgresql'):
            raise unittest.SkipTest("form widths are measured on SQLite")
        server = demo_server()
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        with sao_session(sao_walk, server, ARTEFACTS, 1366, 768) as (
                page, walker, console):
            rows = form_widths.form_widths(walker, server.rpc(), ARTEFACTS)
        models = {row[0] for row in rows}
        # The walk measured the forms of the modules, not an empty menu
        for model in ['concertes.eu.project', 'concertes.eu.programme',
                'concertes.meeting', 'concertes.event']:
            self.assertIn(model, models)
        self.assertIn(
            ('concertes.eu.project', 'record / Budget'),
            {(row[0], row[1]) for row in rows})
        wide = ['%s %s: %s px for %s px (%s)' % row for row in rows
            if row[2] > row[3]]
        self.assertEqual(wide, [], '\n'.join(wide))
