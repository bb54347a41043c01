# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""With concertes_mandates: the opinions issued lately as a block"""
import datetime as dt

from trytond.pool import Pool, PoolMeta

DAYS = 60


class Message(metaclass=PoolMeta):
    __name__ = 'marketing.email.message'

    @classmethod
    def newsletter_blocks(cls):
        "opinions: the opinions issued in the last days"
        Opinion = Pool().get('concertes.opinion')
        blocks = super().newsletter_blocks()
        opinions = Opinion.search([
                ('issue_date', '>=',
                    dt.date.today() - dt.timedelta(days=DAYS)),
                ], order=[('issue_date', 'DESC'), ('id', 'DESC')], limit=10)
        blocks['opinions'] = [{
                'subject': o.subject,
                'body': o.body.rec_name,
                'date': o.issue_date.strftime('%d/%m/%Y'),
                } for o in opinions]
        return blocks
