# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Personal data in EU projects: contact persons and deliverable leads"""
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


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
        ids = [p.id for p in parties]
        with without_check_access():
            partners = Partner.search(['OR',
                    ('party', 'in', ids),
                    ('contact', 'in', ids),
                    ])
            deliverables = Deliverable.search([('lead_person', 'in', ids)])
        text = gettext('concertes_eu_projects.msg_keep_eu_project')
        for party in (
                [p for r in partners for p in [r.party, r.contact]]
                + [d.lead_person for d in deliverables]):
            if party and party.id in reasons and text not in reasons[party.id]:
                reasons[party.id].append(text)
        return reasons
