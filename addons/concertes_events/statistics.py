# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"Attendance statistics per event, session, category and kind of organisation"
from sql import Literal
from sql.aggregate import Min, Sum
from sql.conditionals import Case

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.concertes_members.common import sql_tables
from trytond.modules.concertes_members.party import ORGANISATION_KINDS

MEASURES = ['registered', 'confirmed', 'waiting', 'cancelled', 'attended',
    'no_show']


class _StatisticMixin(ModelSQL, ModelView):
    __slots__ = ()

    event = fields.Many2One('concertes.event', "Event", readonly=True)
    registered = fields.Integer(
        "Registered", readonly=True,
        help="All registrations but drafts, cancelled ones included.")
    confirmed = fields.Integer(
        "Confirmed", readonly=True,
        help="Registrations that held a seat: confirmed, attended "
        "or no-show.")
    waiting = fields.Integer("Waiting", readonly=True)
    cancelled = fields.Integer("Cancelled", readonly=True)
    attended = fields.Integer("Attended", readonly=True)
    no_show = fields.Integer("No-show", readonly=True)
    no_show_rate = fields.Function(
        fields.Float(
            "No-show Rate", digits=(1, 4),
            help="No-shows among the people expected once the event "
            "is done."),
        'get_no_show_rate')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('event', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _measures(cls, registration):
        r = registration

        def count(states):
            return Sum(Case((r.state.in_(states), Literal(1)),
                    else_=Literal(0)))
        return [
            count([
                    'waiting', 'confirmed', 'cancelled', 'attended',
                    'no_show']).as_('registered'),
            count(['confirmed', 'attended', 'no_show']).as_('confirmed'),
            count(['waiting']).as_('waiting'),
            count(['cancelled']).as_('cancelled'),
            count(['attended']).as_('attended'),
            count(['no_show']).as_('no_show'),
            ]

    def get_no_show_rate(self, name):
        expected = (self.attended or 0) + (self.no_show or 0)
        if expected:
            return (self.no_show or 0) / expected


class EventStatistic(_StatisticMixin):
    "ConcertES Event Statistics"
    __name__ = 'concertes.event.statistic'

    start = fields.DateTime("Start", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        e, r = sql_tables('concertes.event', 'concertes.event.registration')
        return e.join(r, 'LEFT', condition=r.event == e.id).select(
            e.id.as_('id'), e.id.as_('event'), e.start.as_('start'),
            *cls._measures(r),
            group_by=[e.id, e.start])


class _RecordStatisticMixin(_StatisticMixin):
    "Statistics of each session or category of the events"
    __slots__ = ()
    # The field of the statistic that names the session or category
    _record_field = None

    @classmethod
    def table_query(cls):
        Record = getattr(cls, cls._record_field).get_target()
        record = Record.__table__()
        registrations, r = cls._join_registrations(record)
        return registrations.select(
            record.id.as_('id'), record.event.as_('event'),
            record.id.as_(cls._record_field),
            *cls._measures(r),
            group_by=[record.id, record.event])

    @classmethod
    def _join_registrations(cls, record):
        """Return the records joined to their registrations and the
        registration table"""
        r, = sql_tables('concertes.event.registration')
        return record.join(r, 'LEFT', condition=(
                getattr(r, cls._record_field) == record.id)), r


class SessionStatistic(_RecordStatisticMixin):
    "ConcertES Event Session Statistics"
    __name__ = 'concertes.event.statistic.session'
    _record_field = 'session'

    session = fields.Many2One(
        'concertes.event.session', "Session", readonly=True)

    @classmethod
    def _join_registrations(cls, session):
        # A registration picks its sessions through a relation table
        rs, r = sql_tables(
            'concertes.event.registration-concertes.event.session',
            'concertes.event.registration')
        return (session.join(rs, 'LEFT', condition=rs.session == session.id)
            .join(r, 'LEFT', condition=rs.registration == r.id)), r


class TicketStatistic(_RecordStatisticMixin):
    "ConcertES Event Category Statistics"
    __name__ = 'concertes.event.statistic.ticket'
    _record_field = 'ticket'

    ticket = fields.Many2One(
        'concertes.event.ticket', "Category", readonly=True)


class OrganisationKindStatistic(_StatisticMixin):
    "ConcertES Event Statistics by Kind of Organisation"
    __name__ = 'concertes.event.statistic.organisation_kind'

    organisation_kind = fields.Selection(
        ORGANISATION_KINDS, "Kind of Organisation", readonly=True)

    @classmethod
    def table_query(cls):
        r, p = sql_tables('concertes.event.registration', 'party.party')
        return r.join(p, 'LEFT', condition=r.organisation == p.id).select(
            Min(r.id).as_('id'), r.event.as_('event'),
            p.organisation_kind.as_('organisation_kind'),
            *cls._measures(r),
            where=r.state != 'draft',
            group_by=[r.event, p.organisation_kind])
