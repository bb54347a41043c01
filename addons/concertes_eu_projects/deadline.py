# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql import Null
from sql.conditionals import Coalesce
from sql.operators import Concat

from trytond.pool import PoolMeta

from .months import sql_month_end


class Deadline(metaclass=PoolMeta):
    __name__ = 'concertes.deadline'
    _deadline_kinds = [
        ('deliverable', "Deliverable", 'concertes.eu.deliverable', 5),
        ('milestone', "Milestone", 'concertes.eu.milestone', 6),
        ('period_report', "Periodic Report", 'concertes.eu.period', 7),
        ]

    @classmethod
    def _deadline_queries(cls):
        """The deliverables not yet submitted, the milestones not yet
        achieved and the periodic reports not yet submitted"""
        queries = super()._deadline_queries()
        for kind, where in [
                ('deliverable', lambda t: t.state.in_(
                        ['planned', 'in_progress', 'revision'])),
                ('milestone', lambda t: t.state == 'planned'),
                ]:
            table, project = cls._deadline_tables(kind, 'concertes.eu.project')
            queries.append(cls._deadline_select(
                    kind, table,
                    sql_month_end(project.start_date, Coalesce(
                            table.revised_due_month, table.due_month)),
                    Concat(Concat(Concat(Concat(
                                    project.acronym, ' '), table.number),
                            ' '), table.title),
                    where(table) & project.state.in_(['running', 'closed']),
                    from_=table.join(
                        project, condition=table.project == project.id)))
        period, project, programme = cls._deadline_tables(
            'period_report', 'concertes.eu.project', 'concertes.eu.programme')
        queries.append(cls._deadline_select(
                'period_report', period,
                sql_month_end(project.start_date, period.last_month,
                    programme.reporting_delay),
                Concat(Concat(Concat(project.acronym, ' M'),
                        period.first_month),
                    Concat('–M', period.last_month)),
                (period.state == 'open') & (period.report_date == Null),
                from_=period.join(
                    project, condition=period.project == project.id).join(
                    programme, condition=project.programme == programme.id)))
        return queries
