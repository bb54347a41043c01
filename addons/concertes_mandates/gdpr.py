# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Personal data of representatives: export, reasons to keep, erasure"""
from trytond.i18n import gettext
from trytond.modules.party.exceptions import EraseError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _personal_data_sources(cls):
        return super()._personal_data_sources() + [
            ('concertes.mandate', ['person', 'on_behalf_of']),
            ('concertes.dossier.action', ['contact']),
            ('concertes.dossier-party.party', ['party']),
            ]

    @classmethod
    def _personal_data_keep_sources(cls, today=None):
        return super()._personal_data_keep_sources(today=today) + [
            ('concertes.mandate', ['person', 'on_behalf_of'],
                'concertes_mandates.msg_keep_mandate'),
            ('concertes.dossier-party.party', ['party'],
                'concertes_mandates.msg_keep_dossier'),
            ]


class Erase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def check_erase(self, party):
        pool = Pool()
        Mandate = pool.get('concertes.mandate')
        super().check_erase(party)
        with without_check_access():
            mandates = Mandate.search([
                    ('person', '=', party.id),
                    ('state', 'in', ['candidate', 'active']),
                    ], limit=1)
        if mandates:
            raise EraseError(gettext(
                    'concertes_mandates.msg_erase_mandate',
                    party=party.rec_name,
                    mandate=mandates[0].rec_name))

    def to_erase(self, party_id):
        pool = Pool()
        Mandate = pool.get('concertes.mandate')
        return super().to_erase(party_id) + [
            (Mandate, [('person', '=', party_id)], True,
                ['notes'], [None]),
            ]
