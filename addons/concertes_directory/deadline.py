# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql.operators import Concat

from trytond.pool import Pool, PoolMeta


class Deadline(metaclass=PoolMeta):
    __name__ = 'concertes.deadline'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.extend([
                ('accreditation_end', "End of Accreditation"),
                ('accreditation_report', "Accreditation Report Due"),
                ])

    @classmethod
    def _origin_models(cls):
        return super()._origin_models() + [
            'concertes.accreditation', 'concertes.accreditation.report']

    @classmethod
    def _deadline_queries(cls):
        """The ends of the accreditations in force and the reports due of
        the accredited enterprises"""
        pool = Pool()
        Accreditation = pool.get('concertes.accreditation')
        Report = pool.get('concertes.accreditation.report')
        Type = pool.get('concertes.accreditation.type')
        Duty = pool.get('concertes.accreditation.duty')
        Party = pool.get('party.party')
        accreditation = Accreditation.__table__()
        type_ = Type.__table__()
        party = Party.__table__()
        queries = super()._deadline_queries()
        queries.append(cls._deadline_select(
                accreditation, 20, 'concertes.accreditation',
                accreditation.valid_to, 'accreditation_end',
                Concat(Concat(type_.code, ' – '), party.name),
                accreditation.state.in_(['granted', 'renewed', 'suspended']),
                from_=accreditation.join(
                    type_, condition=accreditation.type == type_.id).join(
                    party, condition=accreditation.party == party.id)))
        report = Report.__table__()
        accreditation = Accreditation.__table__()
        duty = Duty.__table__()
        party = Party.__table__()
        queries.append(cls._deadline_select(
                report, 21, 'concertes.accreditation.report',
                report.due_date, 'accreditation_report',
                Concat(Concat(duty.name, ' – '), party.name),
                report.state == 'due',
                from_=report.join(
                    accreditation,
                    condition=report.accreditation == accreditation.id).join(
                    duty, condition=report.duty == duty.id).join(
                    party, condition=accreditation.party == party.id)))
        return queries
