# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql import Null
from sql.operators import Concat

from trytond.pool import Pool, PoolMeta


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
        pool = Pool()
        Period = pool.get('concertes.eu.period')
        queries = super()._deadline_queries()
        for kind, where in [
                ('deliverable', lambda t: t.state.in_(
                        ['planned', 'in_progress', 'revision'])),
                ('milestone', lambda t: t.state == 'planned'),
                ]:
            table, project = cls._deadline_tables(kind, 'concertes.eu.project')
            Model = pool.get(cls._deadline_origins[kind][0])
            queries.append(cls._deadline_select(
                    kind, table, Model._sql_due_date(table, project),
                    Concat(Concat(Concat(Concat(
                                    project.acronym, ' '), table.number),
                            ' '), table.title),
                    where(table) & project.state.in_(['running', 'closed']),
                    from_=table.join(
                        project, condition=table.project == project.id)))
        from_, period, project, due_date = Period.sql_report_due_date()
        queries.append(cls._deadline_select(
                'period_report', period, due_date,
                Concat(Concat(Concat(project.acronym, ' M'),
                        period.first_month),
                    Concat('–M', period.last_month)),
                (period.state == 'open') & (period.report_date == Null),
                from_=from_))
        return queries
