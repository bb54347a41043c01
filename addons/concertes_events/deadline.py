# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.pool import PoolMeta


class Deadline(metaclass=PoolMeta):
    __name__ = 'concertes.deadline'
    _deadline_kinds = [('event', "Event", 'concertes.event', 4)]

    @classmethod
    def _deadline_queries(cls):
        "The events to come (neither done nor cancelled)"
        event, = cls._deadline_tables('event')
        return super()._deadline_queries() + [
            cls._deadline_select(
                'event', event, event.start, event.name,
                event.state.in_(['draft', 'open', 'closed'])),
            ]
