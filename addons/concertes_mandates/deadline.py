# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql import Null
from sql.operators import Concat

from trytond.pool import PoolMeta


class Deadline(metaclass=PoolMeta):
    __name__ = 'concertes.deadline'
    _deadline_kinds = [
        ('mandate_end', "Mandate Planned End", 'concertes.mandate', 3),
        ]

    @classmethod
    def _deadline_queries(cls):
        "The planned ends of the mandates in office"
        mandate, body, person = cls._deadline_tables(
            'mandate_end', 'concertes.body', 'party.party')
        return super()._deadline_queries() + [
            cls._deadline_select(
                'mandate_end', mandate, mandate.planned_end_date,
                Concat(Concat(body.code, ' – '), person.name),
                (mandate.state == 'active') & (mandate.end_date == Null),
                from_=mandate.join(
                    body, condition=mandate.body == body.id).join(
                    person, condition=mandate.person == person.id)),
            ]
