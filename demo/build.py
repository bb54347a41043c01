#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Build the demo world from ConcertES's 2024 activity report.

    python demo/build.py --database concertes

Idempotent: every record is found by its natural key before it is created,
so that running it again changes nothing.  Each module contributes a part
(demo/<module>.py with a build() function), built in dependency order.
"""
import argparse
import importlib
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PARTS = ['members', 'mandates', 'eu_projects', 'eu_budgets', 'events',
    'newsletter', 'directory', 'funding', 'team', 'today']


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--database', default='concertes')
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault('TRYTOND_CONFIG', str(ROOT / 'trytond.conf'))
    os.environ.setdefault('TRYTOND_DATABASE__PATH', str(ROOT / 'var'))

    # The demo writes the past (720 registrations of 2024 events...): it
    # tells nobody.  Its e-mails are kept as ir.email records and none
    # leaves the machine, whatever TRYTOND_EMAIL__URI names.
    from trytond.sendmail import SMTPDataManager
    SMTPDataManager.tpc_vote = SMTPDataManager.tpc_finish = (
        lambda manager, transaction: manager._finish())

    from proteus import config as pconfig
    config = pconfig.set_trytond(
        database=args.database, config_file=os.environ['TRYTOND_CONFIG'])
    start = time.monotonic()
    for part in PARTS:
        module = importlib.import_module('demo.' + part)
        module.build(config)
        print('demo: %s done' % part, flush=True)
    print('demo: built in %.1fs' % (time.monotonic() - start))
    return 0


if __name__ == '__main__':
    sys.exit(main())
