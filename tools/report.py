#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Print the figures of a year, as the activity report needs them, in JSON.

    python tools/report.py --database concertes --year 2024

The figures come from concertes.activity.report: each installed module adds
its own section.
"""
import argparse
import datetime as dt
import decimal
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value)
    raise TypeError(repr(value))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--database', default='concertes')
    parser.add_argument(
        '--year', type=int, default=dt.date.today().year - 1)
    args = parser.parse_args()
    os.environ.setdefault('TRYTOND_CONFIG', str(ROOT / 'trytond.conf'))
    os.environ.setdefault('TRYTOND_DATABASE__PATH', str(ROOT / 'var'))

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    pool = Pool(args.database)
    pool.init()
    with Transaction().start(args.database, 0, readonly=True, context={
                'language': 'fr'}):
        User = pool.get('res.user')
        admin, = User.search([('login', '=', 'admin')])
        with Transaction().set_user(admin.id), \
                Transaction().set_context(User.get_preferences(
                        context_only=True)):
            Report = pool.get('concertes.activity.report')
            figures = Report.figures(args.year)
    json.dump({'year': args.year, **figures}, sys.stdout, indent=2,
        ensure_ascii=False, default=default, sort_keys=False)
    print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
