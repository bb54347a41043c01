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
import sys

from admin import admin_transaction


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
    with admin_transaction(args.database, readonly=True) as (pool, _):
        Report = pool.get('concertes.activity.report')
        figures = Report.figures(args.year)
    json.dump({'year': args.year, **figures}, sys.stdout, indent=2,
        ensure_ascii=False, default=default, sort_keys=False)
    print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
