# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The set-ups shared by the tests of concertes_members and its satellites"
import socket

from aiosmtpd.controller import Controller

import trytond.config as config


def free_port():
    "A free TCP port of the loopback interface"
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def mail_server(test, handler):
    """Serve SMTP with the aiosmtpd handler on a free local port and send
    the e-mail there until the test ends"""
    server = Controller(handler, hostname='127.0.0.1', port=free_port())
    server.start()
    test.addCleanup(server.stop)
    previous = config.get('email', 'uri')
    config.set('email', 'uri', 'smtp://127.0.0.1:%s' % server.port)
    test.addCleanup(config.set, 'email', 'uri', previous)
    return server
