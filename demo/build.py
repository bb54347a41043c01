#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Build the demo world from ConcertES's 2024 activity report.

    python demo/build.py --database concertes

Idempotent: every record is found by its natural key before it is created,
so that running it again changes nothing.  Each module contributes a part
(demo/<module>.py with a build() function), built in dependency order.

The tasks the parts queue (the follow-ups of the registrations: registrant
linked to a party, confirmation or cancellation e-mail) are run here, before
the build ends: `make run`'s worker finds none of them to send.
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

    keep_emails()
    from proteus import config as pconfig
    config = pconfig.set_trytond(
        database=args.database, config_file=os.environ['TRYTOND_CONFIG'])
    start = time.monotonic()
    since = last_task(args.database)
    for part in PARTS:
        module = importlib.import_module('demo.' + part)
        module.build(config)
        print('demo: %s done' % part, flush=True)
    run_tasks(args.database, since)
    print('demo: built in %.1fs' % (time.monotonic() - start))
    return 0


def keep_emails():
    """Send no e-mail from this process

    The demo writes the past (834 registrations of 2024 events...): it
    tells nobody.  Its e-mails are kept as ir.email records and none leaves
    the machine, whatever TRYTOND_EMAIL__URI names: neither those sent at
    the commit nor those its queued tasks send (ir.queue sends the e-mails
    put in its transaction itself, see concertes_members/ir.py).
    """
    from trytond.sendmail import SMTPDataManager
    SMTPDataManager.put = lambda manager, from_addr, to_addrs, msg: None
    SMTPDataManager.tpc_vote = SMTPDataManager.tpc_finish = (
        lambda manager, transaction: manager._finish())


def last_task(database):
    "The id of the last task queued in the database (0 without any)"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Queue = Pool(database).get('ir.queue')
    with Transaction().start(database, 0, readonly=True):
        tasks = Queue.search([], order=[('id', 'DESC')], limit=1)
        return tasks[0].id if tasks else 0


def run_tasks(database, since):
    """Run in this process the tasks queued after the task since and not
    finished, until none is left; raise SystemExit when one fails

    proteus runs the tasks of each call after its commit, but a task that
    fails is only scheduled again (ir.queue run): the build would end with
    it waiting for `make run`'s worker.  Tasks queued before the build are
    left to the worker: they are not the demo's.
    """
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from trytond.worker import run_task
    pool = Pool(database)
    Queue = pool.get('ir.queue')
    domain = [('id', '>', since), ('finished_at', '=', None)]
    run = set()
    while True:
        with Transaction().start(database, 0, readonly=True):
            tasks = Queue.search(domain, order=[('id', 'ASC')])
            failed = [t for t in tasks if t.id in run or t.failed_at]
            if failed:
                raise SystemExit('demo: %s task(s) failed, the first: %s\n%s'
                    % (len(failed), failed[0].task, failed[0].error or ''))
            todo = [t.id for t in tasks]
        if not todo:
            return
        for task_id in todo:
            run_task(pool, task_id)
        run.update(todo)


if __name__ == '__main__':
    sys.exit(main())
