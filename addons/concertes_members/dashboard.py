# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The deadlines of the home dashboard.

concertes.deadline is a read-only SQL view: the UNION of the open items
with a date that each module gives (meetings and requests here; mandate
ends, events, deliverables and periodic reports in the other modules, which
declare their _deadline_kinds and extend _deadline_queries).

The windows of the board (the next 30 days, the late items) filter it
through the context of their action: sao's board does not apply the domain
of an action to its list.
"""
import datetime as dt

from sql import Cast, Literal, Null, Select, Union, Values
from sql.conditionals import Coalesce
from sql.operators import Concat

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .common import sql_tables

# The id of a deadline is the id of its source times ID_FACTOR plus the
# offset of the source, so that every source has its own ids.
ID_FACTOR = 100


class Deadline(ModelSQL, ModelView):
    "ConcertES Deadline"
    __name__ = 'concertes.deadline'

    date = fields.Date("Date")
    kind = fields.Selection([], "Kind", sort=False)
    name = fields.Char("Name")
    origin = fields.Reference(
        "Source", selection='get_origins',
        help="The record the deadline comes from.")
    late = fields.Boolean(
        "Late", help="The date is past and the item is still open.")

    # Each module lists the deadlines it adds in the _deadline_kinds of its
    # own extension, as (kind, label, origin model, offset of the ids)
    _deadline_kinds = [
        ('meeting', "Meeting", 'concertes.meeting', 1),
        ('request', "Request to Answer", 'concertes.request', 2),
        ]

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]
        cls._deadline_origins = {}
        for klass in reversed(cls.__mro__):
            for kind, label, model, offset in vars(klass).get(
                    '_deadline_kinds', []):
                cls.kind.selection.append((kind, label))
                cls._deadline_origins[kind] = (model, offset)

    @classmethod
    def get_origins(cls):
        IrModel = Pool().get('ir.model')
        names = IrModel.get_names()
        return [(None, '')] + [
            (m, names.get(m, m)) for m, _ in cls._deadline_origins.values()]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('late', False), 'danger', '')),
            ]

    @classmethod
    def table_query(cls):
        """The deadlines, limited by the context to those from
        deadline_from_date, until deadline_to_date and, with deadline_late,
        the late ones"""
        context = Transaction().context
        queries = cls._deadline_queries()
        union = Union(*queries, all_=True)
        today = dt.date.today()
        late = union.date < today
        where = Literal(True)
        if context.get('deadline_from_date'):
            where &= union.date >= context['deadline_from_date']
        if context.get('deadline_to_date'):
            where &= union.date <= context['deadline_to_date']
        if context.get('deadline_late'):
            where &= late
        return union.select(
            union.id, union.create_uid, union.create_date,
            union.write_uid, union.write_date,
            union.date, union.kind, union.name, union.origin,
            late.as_('late'),
            where=where)

    @classmethod
    def _deadline_tables(cls, kind, *model_names):
        "New SQL tables for a sub-query: the origin's of kind, then others"
        model, _ = cls._deadline_origins[kind]
        return sql_tables(model, *model_names)

    @classmethod
    def _deadline_select(cls, kind, table, date, name, where, from_=None):
        """A sub-query of the view: one row per record of table, the origin's
        of kind (joined in from_ if given), with its date and name"""
        model, offset = cls._deadline_origins[kind]
        from_ = table if from_ is None else from_
        return from_.select(
            (table.id * ID_FACTOR + offset).as_('id'),
            table.create_uid.as_('create_uid'),
            table.create_date.as_('create_date'),
            table.write_uid.as_('write_uid'),
            table.write_date.as_('write_date'),
            cls.date.sql_cast(date).as_('date'),
            Literal(kind).as_('kind'),
            name.as_('name'),
            Concat(model + ',', Cast(table.id, 'VARCHAR')).as_('origin'),
            where=where & (date != Null))

    @classmethod
    def _deadline_queries(cls):
        """The sub-queries of the view: each module extends it with its
        open items"""
        meeting, body = cls._deadline_tables('meeting', 'concertes.body')
        request, = cls._deadline_tables('request')
        return [
            cls._deadline_select(
                'meeting', meeting, meeting.start,
                Concat(Concat(body.code, ' – '),
                    Coalesce(meeting.name, body.name)),
                meeting.state == 'planned',
                from_=meeting.join(
                    body, condition=meeting.body == body.id)),
            cls._deadline_select(
                'request', request, request.due_date, request.subject,
                request.state.in_(['received', 'in_progress'])),
            ]


class DashboardFigures(ModelSQL, ModelView):
    """ConcertES Figures of the Year

    A single row (id 1) whose fields are computed from the activity
    report of the current year."""
    __name__ = 'concertes.dashboard.figures'

    year = fields.Function(fields.Integer("Year"), 'get_figures')
    members = fields.Function(fields.Integer(
            "Members", help="The members of ConcertES today."),
        'get_figures')
    newcomers = fields.Function(fields.Integer(
            "Newcomers", help="The members who joined this year."),
        'get_figures')

    @classmethod
    def table_query(cls):
        return Select([
                Literal(1).as_('id'),
                Literal(Null).as_('create_uid'),
                Literal(Null).as_('create_date'),
                Literal(Null).as_('write_uid'),
                Literal(Null).as_('write_date'),
                ])

    @classmethod
    @without_check_access
    def get_figures(cls, records, names):
        "The figures are counts: every role that sees the dashboard sees them"
        pool = Pool()
        ActivityReport = pool.get('concertes.activity.report')
        Membership = pool.get('concertes.membership')
        today = dt.date.today()
        figures = ActivityReport.figures(today.year)
        values = {
            'year': today.year,
            'members': len(Membership.members_at(today)),
            'newcomers': len(figures['members']['joined']),
            }
        return {n: {r.id: values[n] for r in records} for n in names}


class DashboardFigure(ModelSQL, ModelView):
    """ConcertES Figure of the Year

    A row per figure of the activity report of the current year, as the
    cover of the report gives them; those of the members are fields of
    concertes.dashboard.figures."""
    __name__ = 'concertes.dashboard.figure'

    sequence = fields.Integer("Sequence")
    label = fields.Char("Figure")
    value = fields.Char(
        "Value", help="As the report prints it: a count, or a number with "
        "decimals (the team's full-time equivalents).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        ActivityReport = pool.get('concertes.activity.report')
        Document = pool.get(
            'concertes.activity.report.document', type='report')
        # counts: every role that sees the dashboard sees them
        with Transaction().set_context(_check_access=False):
            rows = [(sequence, label, str(value))
                for sequence, key, label, value in Document._key_figure_rows(
                    ActivityReport.figures(dt.date.today().year))
                if key not in {'members', 'newcomers'}]
        values = Values(rows or [(0, '', '')])
        return values.select(
            cls.sequence.sql_cast(values.column1).as_('id'),
            Literal(Null).as_('create_uid'),
            Literal(Null).as_('create_date'),
            Literal(Null).as_('write_uid'),
            Literal(Null).as_('write_date'),
            cls.sequence.sql_cast(values.column1).as_('sequence'),
            cls.label.sql_cast(values.column2).as_('label'),
            cls.value.sql_cast(values.column3).as_('value'),
            where=Literal(bool(rows)))
