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
import sys
import time

from admin import admin_transaction

from trytond.exceptions import UserError


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--database', default='concertes')
    parser.add_argument('--scope', choices=['known', 'all'], default='known')
    parser.add_argument('file')
    args = parser.parse_args()
    if not os.path.isfile(args.file):
        print("%s: no such file" % args.file, file=sys.stderr)
        return 2
    start = time.monotonic()
    try:
        with admin_transaction(args.database) as (pool, _):
            Extract = pool.get('concertes.kbo.extract')
            extract = Extract.import_file(
                args.file, name=os.path.basename(args.file), scope=args.scope)
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
