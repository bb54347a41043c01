# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Personal data: a person's subscriptions and deliveries are in the export
of their data and go with the erasure, whose address stays suppressed"""
from trytond.modules.concertes_members.gdpr import erased_email
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _personal_data_sources(cls):
        return super()._personal_data_sources() + [
            ('marketing.email', ['person']),
            ('concertes.newsletter.delivery', []),
            ]

    def _personal_data_domain(self, model, field_names):
        domain = super()._personal_data_domain(model, field_names)
        emails = self.personal_data_emails()
        if model == 'marketing.email':
            if emails:
                domain.append(('email', 'in', emails))
            # pending and unsubscribed subscriptions are data too
            domain = [domain, ('active', 'in', [True, False])]
        elif model == 'concertes.newsletter.delivery':
            domain = [('address', 'in', emails or [''])]
        return domain


class Erase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def to_erase(self, party_id):
        pool = Pool()
        Party = pool.get('party.party')
        Subscription = pool.get('marketing.email')
        Delivery = pool.get('concertes.newsletter.delivery')
        Suppression = pool.get('concertes.newsletter.suppression')
        to_erase = super().to_erase(party_id)
        party = Party(party_id)
        emails = party.personal_data_emails()
        # The hash of the addresses stays: no list, sync or import may
        # mail them again
        with without_check_access():
            Suppression.add([(e, None) for e in emails], 'erased')
        domain = party._personal_data_domain(Subscription.__name__, ['person'])
        to_erase.insert(0, (
                Subscription, domain, True,
                ['email', 'name', 'person', 'consent_text', 'origin',
                    'confirm_token'],
                [lambda column: erased_email(Subscription, column.table),
                    None, None, None, None, None]))
        to_erase.insert(0, (
                Delivery, [('address', 'in', emails or [''])], False,
                ['address', 'error'], [None, None]))
        return to_erase
