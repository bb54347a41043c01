# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The scaffolding shared by the tests of tests/"
import unittest

from trytond.tests.test_tryton import activate_module, drop_db


class ModulesTestCase(unittest.TestCase):
    "A fresh test database with the modules activated, in French"
    modules = []

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(cls.modules, lang='fr')

    @classmethod
    def tearDownClass(cls):
        drop_db()
