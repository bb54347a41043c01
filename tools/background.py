#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""trytond-worker and trytond-cron, stopping cleanly and working on SQLite

    python tools/background.py worker [trytond-worker options]
    python tools/background.py cron [trytond-cron options]

Runs trytond's own worker or scheduler with two changes:

- on SIGTERM (honcho on Ctrl-C, systemd on stop) the main process stops
  taking work and waits for its children to finish the task or job in hand;
  the children ignore the signal (by default all of them die at once, in the
  middle of what they do);
- trytond-worker waits on the database connection for PostgreSQL's
  notifications; SQLite has none, so it gets a descriptor that never wakes
  and the worker polls every --timeout seconds.
"""
import os
import signal
import sys


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in {'worker', 'cron'}:
        sys.exit(__doc__)
    kind = sys.argv.pop(1)
    sys.argv[0] = 'trytond-' + kind
    main_pid = os.getpid()

    def stop(signum, frame):
        # The forked children inherit this handler and go on with their task
        if os.getpid() == main_pid:
            raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)

    if kind == 'worker':
        from trytond.backend.sqlite.database import SQLiteConnection
        never, _ = os.pipe()
        SQLiteConnection.fileno = lambda self: never
        from trytond.cli.worker import main as run
    else:
        from trytond.cli.cron import main as run
    run()


if __name__ == '__main__':
    main()
