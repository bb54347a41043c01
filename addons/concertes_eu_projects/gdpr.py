# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Personal data in EU projects: contact persons and deliverable leads"""
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _personal_data_sources(cls):
        return super()._personal_data_sources() + [
            ('concertes.eu.partner', ['party', 'contact']),
            ('concertes.eu.deliverable', ['lead_person']),
            ]

    @classmethod
    def personal_data_keep_reasons(cls, parties, today=None):
        pool = Pool()
        Partner = pool.get('concertes.eu.partner')
        Deliverable = pool.get('concertes.eu.deliverable')
        reasons = super().personal_data_keep_reasons(parties, today=today)
        cls._add_keep_reason(reasons, Partner, ['party', 'contact'],
            'concertes_eu_projects.msg_keep_eu_project')
        cls._add_keep_reason(reasons, Deliverable, ['lead_person'],
            'concertes_eu_projects.msg_keep_eu_project')
        return reasons
