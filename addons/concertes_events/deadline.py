# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.pool import Pool, PoolMeta


class Deadline(metaclass=PoolMeta):
    __name__ = 'concertes.deadline'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.append(('event', "Event"))

    @classmethod
    def _origin_models(cls):
        return super()._origin_models() + ['concertes.event']

    @classmethod
    def _deadline_queries(cls):
        "The events to come (neither done nor cancelled)"
        Event = Pool().get('concertes.event')
        event = Event.__table__()
        return super()._deadline_queries() + [
            cls._deadline_select(
                event, 4, 'concertes.event', event.start, 'event',
                event.name, event.state.in_(['draft', 'open', 'closed'])),
            ]
