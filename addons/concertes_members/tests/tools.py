# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The set-ups shared by the tests of concertes_members and its satellites"
import importlib
import io
import os
import socket
import zipfile
from contextlib import contextmanager

from aiosmtpd.controller import Controller

import trytond.config as config
from trytond.pool import Pool
from trytond.transaction import Transaction


def free_port():
    "A free TCP port of the loopback interface"
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Refusing:
    "An SMTP server refusing the mailboxes starting with 'gone'"

    def __init__(self):
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith('gone'):
            return '550 5.1.1 No such mailbox'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        self.received.extend(envelope.rcpt_tos)
        return '250 OK'


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


@contextmanager
def refused(test, exception, regex):
    "Assert the operation is refused and undo what it did before refusing"
    cursor = Transaction().connection.cursor()
    cursor.execute('SAVEPOINT refused')
    try:
        with test.assertRaisesRegex(exception, regex):
            yield
    finally:
        cursor.execute('ROLLBACK TO SAVEPOINT refused')
        cursor.execute('RELEASE SAVEPOINT refused')
        Transaction().cache.clear()


def odt_text(content):
    "The text (content.xml) of an OpenDocument"
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as odt:
        return odt.read('content.xml').decode()


def print_activity_report(year):
    "The annual report of year printed as OpenDocument: (extension, text)"
    pool = Pool()
    Document = pool.get('concertes.activity.report.document', type='report')
    ModelData = pool.get('ir.model.data')
    oext, content, _, _ = Document.execute([], {
            'year': year, 'action_id': ModelData.get_id(
                'concertes_members', 'report_activity_report_odt')})
    return oext, odt_text(content)


def print_report(report_name, extension, **data):
    """Print report_name through its action of extension ('' for the
    template's own): (extension printed, content, name)"""
    pool = Pool()
    Report = pool.get(report_name, type='report')
    ActionReport = pool.get('ir.action.report')
    action, = ActionReport.search([
            ('report_name', '=', report_name),
            ('extension', '=', extension),
            ])
    oext, content, _, name = Report.execute(
        [], dict(data, action_id=action.id))
    return oext, content, name


def load_translations(module, codes=('fr', 'nl')):
    """Make the languages translatable and load the module's translations
    into them, as tools/setup_db.py does"""
    pool = Pool()
    Lang = pool.get('ir.lang')
    Translation = pool.get('ir.translation')
    Lang.write(Lang.search([('code', 'in', list(codes))]),
        {'translatable': True})
    directory = os.path.join(os.path.dirname(
            importlib.import_module('trytond.modules.' + module).__file__),
        'locale')
    for code in codes:
        Translation.translation_import(
            code, module, os.path.join(directory, code + '.po'))
