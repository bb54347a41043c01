# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Test runs sharing a PostgreSQL server keep to their own databases
(tools/runtests.py): names of their own for the database and the cache's
templates, and at the start of a run only what this checkout's killed runs
left is dropped."""
import os
import pathlib
import unittest

from tools.runtests import Databases

POSTGRESQL = os.environ.get(
    'TRYTOND_DATABASE__URI', 'sqlite://').startswith('postgresql')
# Above Linux's highest process id (pid_max is at most 2**22): nobody's
NO_PROCESS = 2 ** 31 - 1


def database_names():
    from trytond.transaction import Transaction
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT datname FROM pg_database')
        return {n for n, in cursor.fetchall()}


def create_database(name):
    from trytond.transaction import Transaction
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        transaction.database.create(transaction.connection, name)


class RunDatabasesTestCase(unittest.TestCase):
    "The PostgreSQL databases of a test run"

    def test_run_database_names(self):
        "Two checkouts and two runs of one checkout name theirs apart"
        here = Databases()
        again = Databases(pid=os.getpid() + 1)
        elsewhere = Databases(root=pathlib.Path('/elsewhere'))
        self.assertEqual(here.prefix, again.prefix)
        self.assertNotEqual(here.prefix, elsewhere.prefix)
        names = [here.name, again.name, elsewhere.name]
        self.assertEqual(len(set(names)), 3)
        for name in names:
            self.assertLessEqual(len(name), 63)

        templates = [Databases.template_name(n, 'source', 'concertes_members')
            for n in names]
        self.assertEqual(len(set(templates)), 3)
        for name, template in zip(names, templates):
            self.assertTrue(template.startswith(name + '-'))
            self.assertFalse(template.startswith('test-'))
        # changed modules do not get the template of the former ones
        self.assertNotEqual(
            Databases.template_name(here.name, 'source', 'concertes_members'),
            Databases.template_name(here.name, 'changed', 'concertes_members'))

    def test_run_template_names_long(self):
        "A long DB_NAME still gives templates PostgreSQL does not cut"
        long_names = ['test_' + 'x' * 60, 'test_' + 'x' * 60 + 'y']
        templates = {Databases.template_name(n, 'source', 'ir')
            for n in long_names}
        self.assertEqual(len(templates), 2)
        for template in templates:
            self.assertLessEqual(len(template), 63)

    @unittest.skipUnless(POSTGRESQL, "PostgreSQL only")
    def test_run_drops_leftovers_of_its_checkout_only(self):
        "Only the databases of this checkout's runs whose process is gone go"
        here = Databases()
        dead = Databases(pid=NO_PROCESS)
        alive = Databases(pid=os.getppid())
        elsewhere = Databases(
            root=pathlib.Path('/elsewhere'), pid=NO_PROCESS)
        gone = [dead.name,
            Databases.template_name(dead.name, 'source', 'ir')]
        kept = [alive.name,
            Databases.template_name(alive.name, 'source', 'ir'),
            elsewhere.name]
        for name in gone + kept:
            create_database(name)
        self.addCleanup(Databases.drop, set(gone + kept).__contains__)

        here.drop_leftovers()

        names = database_names()
        self.assertFalse(names & set(gone))
        self.assertEqual(names & set(kept), set(kept))
