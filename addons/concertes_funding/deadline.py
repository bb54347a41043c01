# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql import Null
from sql.conditionals import Case
from sql.operators import Concat

from trytond.pool import Pool, PoolMeta

# The deadline names are plain text of the view: in French, the house language
REPORT_KINDS = [
    ('activity', "rapport d'activités"),
    ('financial', "rapport financier"),
    ('supporting', "pièces justificatives"),
    ]
INSTALMENT_KINDS = [
    ('advance', "avance"),
    ('instalment', "tranche"),
    ('balance', "solde"),
    ]


def _label(column, labels):
    return Case(*((column == k, v) for k, v in labels), else_=column)


class Deadline(metaclass=PoolMeta):
    __name__ = 'concertes.deadline'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection += [
            ('grant_report', "Grant Report Due"),
            ('grant_instalment', "Grant Instalment Expected"),
            ]

    @classmethod
    def _origin_models(cls):
        return super()._origin_models() + [
            'concertes.grant.report', 'concertes.grant.instalment']

    @classmethod
    def _deadline_queries(cls):
        """The reports still to submit and the instalments not yet received
        of the granted grants"""
        pool = Pool()
        Grant = pool.get('concertes.grant')
        Report = pool.get('concertes.grant.report')
        Instalment = pool.get('concertes.grant.instalment')
        grant = Grant.__table__()
        report = Report.__table__()
        grant2 = Grant.__table__()
        instalment = Instalment.__table__()
        return super()._deadline_queries() + [
            cls._deadline_select(
                report, 23, 'concertes.grant.report', report.due_date,
                'grant_report', Concat(Concat(grant.name, ' – '),
                    _label(report.kind, REPORT_KINDS)),
                (report.state == 'to_do') & (grant.state == 'granted'),
                from_=report.join(grant, condition=report.grant == grant.id)),
            cls._deadline_select(
                instalment, 24, 'concertes.grant.instalment',
                instalment.expected_date, 'grant_instalment',
                Concat(Concat(grant2.name, ' – '),
                    _label(instalment.kind, INSTALMENT_KINDS)),
                (instalment.received_date == Null)
                & (grant2.state == 'granted'),
                from_=instalment.join(
                    grant2, condition=instalment.grant == grant2.id)),
            ]
