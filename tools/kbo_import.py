#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Import an extract of the BCE/KBO open data (full or update) into a database

    python tools/kbo_import.py --database concertes [--scope known|all] FILE

The import is all or nothing: on an error (named with its file and line)
nothing is written.  Prints what was done.
"""
import argparse
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--database', default='concertes')
    parser.add_argument('--scope', choices=['known', 'all'], default='known')
    parser.add_argument('file')
    args = parser.parse_args()
    os.environ.setdefault('TRYTOND_CONFIG', str(ROOT / 'trytond.conf'))
    os.environ.setdefault('TRYTOND_DATABASE__PATH', str(ROOT / 'var'))

    from trytond.exceptions import UserError
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    if not os.path.isfile(args.file):
        print("%s: no such file" % args.file, file=sys.stderr)
        return 2
    Pool.start()
    pool = Pool(args.database)
    pool.init()
    start = time.monotonic()
    try:
        with Transaction().start(args.database, 0, context={
                    'language': 'fr'}):
            User = pool.get('res.user')
            admin, = User.search([('login', '=', 'admin')])
            with Transaction().set_user(admin.id), \
                    Transaction().set_context(User.get_preferences(
                            context_only=True)):
                Extract = pool.get('concertes.kbo.extract')
                extract = Extract.import_file(
                    args.file, name=os.path.basename(args.file),
                    scope=args.scope)
                summary = (extract.kind, extract.number, extract.entities,
                    extract.created, extract.updated, extract.conflicts)
    except UserError as error:
        print(error.message, file=sys.stderr)
        return 1
    print("Extract %s %s: %s entities read, %s enterprises added, "
        "%s updated, %s conflicts to review (%.1f s)" % (
            *summary, time.monotonic() - start))
    return 0


if __name__ == '__main__':
    sys.exit(main())
