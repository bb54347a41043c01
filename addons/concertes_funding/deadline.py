# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql import Null
from sql.conditionals import Case
from sql.operators import Concat

from trytond.pool import Pool, PoolMeta


def _label(column, Model, field):
    """The label of the selection field of Model in the user's language for
    the value of column"""
    labels = Model.fields_get([field])[field]['selection']
    return Case(*((column == k, v) for k, v in labels), else_=column)


class Deadline(metaclass=PoolMeta):
    __name__ = 'concertes.deadline'
    _deadline_kinds = [
        ('grant_report', "Grant Report Due", 'concertes.grant.report', 23),
        ('grant_instalment', "Grant Instalment Expected",
            'concertes.grant.instalment', 24),
        ]

    @classmethod
    def _deadline_queries(cls):
        """The reports still to submit and the instalments not yet received
        of the granted grants"""
        pool = Pool()
        Report = pool.get('concertes.grant.report')
        Instalment = pool.get('concertes.grant.instalment')
        report, grant = cls._deadline_tables('grant_report', 'concertes.grant')
        instalment, grant2 = cls._deadline_tables(
            'grant_instalment', 'concertes.grant')
        return super()._deadline_queries() + [
            cls._deadline_select(
                'grant_report', report, report.due_date,
                Concat(Concat(grant.name, ' – '),
                    _label(report.kind, Report, 'kind')),
                (report.state == 'to_do') & (grant.state == 'granted'),
                from_=report.join(grant, condition=report.grant == grant.id)),
            cls._deadline_select(
                'grant_instalment', instalment, instalment.expected_date,
                Concat(Concat(grant2.name, ' – '),
                    _label(instalment.kind, Instalment, 'kind')),
                (instalment.received_date == Null)
                & (grant2.state == 'granted'),
                from_=instalment.join(
                    grant2, condition=instalment.grant == grant2.id)),
            ]
