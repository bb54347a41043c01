# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"What the public web registration needs from the models (see routes.py)"
import datetime as dt
import hashlib
import os

from sql.aggregate import Count

from trytond import config
from trytond.model import Index, ModelSQL, fields
from trytond.transaction import Transaction


def rate_limit():
    """Public registration requests a minute per address (0: no limit)

    trytond reads the environment before trytond.conf and lets the file win,
    so the environment is read first here to let it override the file."""
    value = os.environ.get('TRYTOND_CONCERTES__REGISTRATION_RATE_LIMIT')
    if value not in (None, ''):
        try:
            return int(value)
        except ValueError:
            pass
    return config.getint('concertes', 'registration_rate_limit', default=20)


class RateHit(ModelSQL):
    "ConcertES Event Web Request"
    __name__ = 'concertes.event.web.hit'

    address = fields.Char(
        "Address", required=True, strip=False,
        help="A digest of the network address of the request.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.address, Index.Equality()),
                (t.create_date, Index.Range())))

    @classmethod
    def hit(cls, address, limit):
        """Record a request of the address and tell whether it stays within
        the limit of requests a minute"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        now = dt.datetime.now()
        digest = hashlib.sha256(
            (address or '').encode('utf-8')).hexdigest()[:32]
        cursor.execute(*table.delete(
                where=table.create_date < now - dt.timedelta(minutes=10)))
        cursor.execute(*table.insert(
                [table.address, table.create_date, table.create_uid],
                [[digest, now, Transaction().user]]))
        cursor.execute(*table.select(
                Count(table.id),
                where=(table.address == digest)
                & (table.create_date > now - dt.timedelta(minutes=1))))
        count, = cursor.fetchone()
        return count <= limit
