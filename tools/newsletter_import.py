#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Import subscribers from a CSV file into a list (as the wizard does)

    python tools/newsletter_import.py --database concertes --list monthly \\
        subscribers.csv

The list is given by its code; the refused lines are printed with their
reason; the exit status is 1 when a line was refused."""
import argparse
import pathlib
import sys

from admin import admin_transaction


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--database', default='concertes')
    parser.add_argument('--list', required=True, help="the code of the list")
    parser.add_argument('file')
    args = parser.parse_args()
    data = pathlib.Path(args.file).read_bytes()
    with admin_transaction(args.database) as (pool, transaction):
        from trytond.modules.concertes_newsletter.csv_import import read_csv
        List = pool.get('marketing.email.list')
        Subscription = pool.get('marketing.email')
        lists = List.search([('code', '=', args.list)])
        if not lists:
            print("No list with the code %s" % args.list, file=sys.stderr)
            return 2
        has_address, rows = read_csv(data)
        if not has_address:
            print("The first line must name the columns, one of them "
                "'address'", file=sys.stderr)
            return 2
        created, updated, errors = Subscription.import_rows(lists[0], rows)
        transaction.commit()
    for line, reason in errors:
        print("line %s: %s" % (line, reason))
    print("%s created, %s updated, %s refused" % (
            created, updated, len(errors)))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
