# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'
    _jobs = [
        ('marketing.email.list|sync_all',
            "Synchronise the Mailing Lists"),
        ]
