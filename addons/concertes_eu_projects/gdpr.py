# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Personal data in EU projects: contact persons and deliverable leads"""
from trytond.pool import PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _personal_data_sources(cls):
        return super()._personal_data_sources() + [
            ('concertes.eu.partner', ['party', 'contact']),
            ('concertes.eu.deliverable', ['lead_person']),
            ]

    @classmethod
    def _personal_data_keep_sources(cls, today=None):
        return super()._personal_data_keep_sources(today=today) + [
            ('concertes.eu.partner', ['party', 'contact'],
                'concertes_eu_projects.msg_keep_eu_project'),
            ('concertes.eu.deliverable', ['lead_person'],
                'concertes_eu_projects.msg_keep_eu_project'),
            ]
