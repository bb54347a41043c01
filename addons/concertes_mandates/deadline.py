# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql import Null
from sql.operators import Concat

from trytond.pool import Pool, PoolMeta


class Deadline(metaclass=PoolMeta):
    __name__ = 'concertes.deadline'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.append(('mandate_end', "Mandate Planned End"))

    @classmethod
    def _origin_models(cls):
        return super()._origin_models() + ['concertes.mandate']

    @classmethod
    def _deadline_queries(cls):
        "The planned ends of the mandates in office"
        pool = Pool()
        Mandate = pool.get('concertes.mandate')
        Body = pool.get('concertes.body')
        Party = pool.get('party.party')
        mandate = Mandate.__table__()
        body = Body.__table__()
        person = Party.__table__()
        return super()._deadline_queries() + [
            cls._deadline_select(
                mandate, 3, 'concertes.mandate', mandate.planned_end_date,
                'mandate_end',
                Concat(Concat(body.code, ' – '), person.name),
                (mandate.state == 'active') & (mandate.end_date == Null),
                from_=mandate.join(
                    body, condition=mandate.body == body.id).join(
                    person, condition=mandate.person == person.id)),
            ]
