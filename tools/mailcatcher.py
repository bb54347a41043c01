#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""A local SMTP server that keeps every message, for the demo and the tests

    python tools/mailcatcher.py [--port 8025] [--directory var/mail]
    python tools/mailcatcher.py --list [--directory var/mail]

The first form listens on 127.0.0.1 (aiosmtpd) and writes each message it
receives to <directory>/<date>-<number>.eml, sent nowhere else; `make run`
starts it unless TRYTOND_EMAIL__URI names a real server.  The second lists
the messages kept: date, sender, recipients and subject (`make mail`).
"""
import argparse
import datetime as dt
import email
import email.policy
import itertools
import pathlib
import signal
import sys
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent


class Keeper:
    "The aiosmtpd handler: each message becomes a file"

    def __init__(self, directory):
        self.directory = pathlib.Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            name = '%s-%04d.eml' % (
                dt.datetime.now().strftime('%Y%m%d-%H%M%S-%f'),
                next(self.counter))
        header = 'X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n' % (
            envelope.mail_from, ', '.join(envelope.rcpt_tos))
        path = self.directory / name
        tmp = path.with_suffix('.tmp')
        tmp.write_bytes(header.encode() + envelope.original_content)
        tmp.rename(path)
        print('kept %s from %s to %s' % (
                name, envelope.mail_from, ', '.join(envelope.rcpt_tos)),
            flush=True)
        return '250 Message accepted for delivery'


def serve(host, port, directory):
    from aiosmtpd.controller import Controller
    controller = Controller(Keeper(directory), hostname=host, port=port)
    controller.start()
    print('Catching e-mail on smtp://%s:%s, kept in %s' % (
            host, port, directory), flush=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *a: stop.set())
    stop.wait()
    controller.stop()


def messages(directory):
    "Yield (path, message) of the messages kept, oldest first"
    for path in sorted(pathlib.Path(directory).glob('*.eml')):
        with path.open('rb') as fp:
            yield path, email.message_from_binary_file(
                fp, policy=email.policy.default)


def list_messages(directory):
    count = 0
    for path, msg in messages(directory):
        count += 1
        print('%s  %s\n  From: %s\n  To: %s\n  Subject: %s\n' % (
                path.name, msg['Date'] or '', msg['From'] or '',
                msg['To'] or msg['X-Envelope-To'] or '',
                msg['Subject'] or ''))
    print('%s message(s) in %s' % (count, directory))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8025)
    parser.add_argument('--directory', default=str(ROOT / 'var' / 'mail'))
    parser.add_argument('--list', action='store_true')
    args = parser.parse_args()
    if args.list:
        list_messages(args.directory)
    else:
        serve(args.host, args.port, args.directory)
    return 0


if __name__ == '__main__':
    sys.exit(main())
