# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql.operators import Concat

from trytond.pool import PoolMeta


class Deadline(metaclass=PoolMeta):
    __name__ = 'concertes.deadline'
    _deadline_kinds = [
        ('accreditation_end', "End of Accreditation",
            'concertes.accreditation', 20),
        ('accreditation_report', "Accreditation Report Due",
            'concertes.accreditation.report', 21),
        ]

    @classmethod
    def _deadline_queries(cls):
        """The ends of the accreditations in force and the reports due of
        the accredited enterprises"""
        accreditation, type_, party = cls._deadline_tables(
            'accreditation_end', 'concertes.accreditation.type',
            'party.party')
        queries = super()._deadline_queries()
        queries.append(cls._deadline_select(
                'accreditation_end', accreditation, accreditation.valid_to,
                Concat(Concat(type_.code, ' – '), party.name),
                accreditation.state.in_(['granted', 'renewed', 'suspended']),
                from_=accreditation.join(
                    type_, condition=accreditation.type == type_.id).join(
                    party, condition=accreditation.party == party.id)))
        report, accreditation, duty, party = cls._deadline_tables(
            'accreditation_report', 'concertes.accreditation',
            'concertes.accreditation.duty', 'party.party')
        queries.append(cls._deadline_select(
                'accreditation_report', report, report.due_date,
                Concat(Concat(duty.name, ' – '), party.name),
                report.state == 'due',
                from_=report.join(
                    accreditation,
                    condition=report.accreditation == accreditation.id).join(
                    duty, condition=report.duty == duty.id).join(
                    party, condition=accreditation.party == party.id)))
        return queries
