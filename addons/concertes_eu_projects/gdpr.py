# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Personal data in EU projects: contact persons and deliverable leads"""
from trytond.pool import PoolMeta

# The records that name a party, each a reason to keep its personal data
SOURCES = [
    ('concertes.eu.partner', ['party', 'contact']),
    ('concertes.eu.deliverable', ['lead_person']),
    ]


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _personal_data_sources(cls):
        return super()._personal_data_sources() + SOURCES

    @classmethod
    def _personal_data_keep_sources(cls, today=None):
        return super()._personal_data_keep_sources(today=today) + [
            (model, field_names, 'concertes_eu_projects.msg_keep_eu_project')
            for model, field_names in SOURCES]
