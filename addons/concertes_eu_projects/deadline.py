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
        cls.kind.selection.extend([
                ('deliverable', "Deliverable"),
                ('milestone', "Milestone"),
                ('period_report', "Periodic Report"),
                ])

    @classmethod
    def _origin_models(cls):
        return super()._origin_models() + [
            'concertes.eu.deliverable', 'concertes.eu.milestone',
            'concertes.eu.period']

    @classmethod
    def _deadline_queries(cls):
        """The deliverables not yet submitted, the milestones not yet
        achieved and the periodic reports not yet submitted"""
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        Period = pool.get('concertes.eu.period')
        queries = super()._deadline_queries()
        for offset, model, kind, where in [
                (5, 'concertes.eu.deliverable', 'deliverable',
                    lambda t: t.state.in_(
                        ['planned', 'in_progress', 'revision'])),
                (6, 'concertes.eu.milestone', 'milestone',
                    lambda t: t.state == 'planned'),
                ]:
            Model = pool.get(model)
            table = Model.__table__()
            project = Project.__table__()
            queries.append(cls._deadline_select(
                    table, offset, Model.__name__,
                    Model._sql_due_date(table, project),
                    kind,
                    Concat(Concat(Concat(Concat(
                                    project.acronym, ' '), table.number),
                            ' '), table.title),
                    where(table) & project.state.in_(['running', 'closed']),
                    from_=table.join(
                        project, condition=table.project == project.id)))
        from_, period, project, due_date = Period.sql_report_due_date()
        queries.append(cls._deadline_select(
                period, 7, 'concertes.eu.period', due_date, 'period_report',
                Concat(Concat(Concat(project.acronym, ' M'),
                        period.first_month),
                    Concat('–M', period.last_month)),
                (period.state == 'open') & (period.report_date == Null),
                from_=from_))
        return queries
