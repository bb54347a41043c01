# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The command-line tools' way into a database: a transaction as its admin"
import contextlib
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def start_pool(database):
    "The pool of database, started with the configuration of the repository"
    os.environ.setdefault('TRYTOND_CONFIG', str(ROOT / 'trytond.conf'))
    os.environ.setdefault('TRYTOND_DATABASE__PATH', str(ROOT / 'var'))
    from trytond.pool import Pool
    Pool.start()
    pool = Pool(database)
    pool.init()
    return pool


@contextlib.contextmanager
def admin_transaction(database, readonly=False):
    """A transaction on database as its admin user, with the admin's
    preferences (French by default): yields the pool and the transaction"""
    pool = start_pool(database)
    from trytond.transaction import Transaction
    with Transaction().start(database, 0, readonly=readonly, context={
                'language': 'fr'}) as transaction:
        User = pool.get('res.user')
        admin, = User.search([('login', '=', 'admin')])
        with transaction.set_user(admin.id), transaction.set_context(
                User.get_preferences(context_only=True)):
            yield pool, transaction
