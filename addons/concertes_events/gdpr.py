# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Personal data of registrants: anonymisation after the retention period,
the export and the erasure of a person's registrations, the notice shown
on the public pages"""
import datetime as dt

from sql.conditionals import Coalesce
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.concertes_members.common import forget_cached
from trytond.modules.concertes_members.gdpr import (
    ERASED, clean_freed_pages, erase_parties, erased_email)
from trytond.pool import Pool, PoolMeta
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)


class Registration(metaclass=PoolMeta):
    __name__ = 'concertes.event.registration'

    personal_data_erased = fields.DateTime(
        "Personal Data Erased", readonly=True,
        help="When the name, contact and needs of the person were "
        "anonymised; the registration still counts in the statistics.")

    @classmethod
    def follow_up(cls, registrations, kind):
        # A person erased before the queue ran is neither linked nor written to
        super().follow_up(
            [r for r in registrations if not r.personal_data_erased], kind)

    @classmethod
    def _personal_data_columns(cls):
        """[(column, value)] that anonymise a registration: value is a
        constant or a function of the SQL table"""
        return [
            ('first_name', ERASED),
            ('last_name', ERASED),
            ('email', lambda table: erased_email(cls, table)),
            ('phone', None),
            ('function', None),
            ('diet', None),
            ('diet_note', None),
            ('accessibility', None),
            ('personal_data_erased', lambda table: Coalesce(
                    table.personal_data_erased, CurrentTimestamp())),
            ]

    @classmethod
    def anonymise(cls, registrations):
        """Replace the personal data of registrations, keeping their event,
        sessions, category, organisation and state for the statistics"""
        if not registrations:
            return
        cursor = Transaction().connection.cursor()
        ids = [r.id for r in registrations]
        tables = [cls.__table__()]
        if cls._history:
            tables.append(cls.__table_history__())
        for table in tables:
            columns, values = [], []
            for name, value in cls._personal_data_columns():
                columns.append(getattr(table, name))
                values.append(value(table) if callable(value) else value)
            for i in range(0, len(ids), 1000):
                cursor.execute(*table.update(
                        columns, values,
                        where=table.id.in_(ids[i:i + 1000])))
        forget_cached(cls, ids)
        cls._anonymise_resources(ids)
        cls.release_erased_claims()

    @classmethod
    def _anonymise_resources(cls, ids):
        """Delete the notes, attachments and copies of the e-mails sent of
        the registrations"""
        pool = Pool()
        Resources = [pool.get(n) for n in ['ir.attachment', 'ir.note',
                'ir.email']]
        for Resource in Resources:
            with without_check_access():
                Resource.delete(Resource.search([
                            ('resource', 'in', [
                                    '%s,%s' % (cls.__name__, i)
                                    for i in ids]),
                            ]))
        clean_freed_pages(cls, *Resources)

    @classmethod
    def release_erased_claims(cls):
        """Release the claims of the e-mail addresses of the erased
        registrations: the address may register again"""
        pool = Pool()
        Seat = pool.get('concertes.event.seat')
        seat = Seat.__table__()
        registration = cls.__table__()
        cursor = Transaction().connection.cursor()
        erased = registration.select(registration.id,
            where=registration.personal_data_erased != None)  # noqa: E711
        cursor.execute(*seat.delete(
                where=seat.bucket.like('email:%')
                & seat.registration.in_(erased)))
        clean_freed_pages(Seat)

    @classmethod
    def privacy_notice(cls):
        """What is kept about a registrant and why, for the public pages
        and the confirmation e-mail, in the language of the context"""
        pool = Pool()
        Retention = pool.get('concertes.privacy.retention')
        Configuration = pool.get('concertes.privacy.configuration')
        with without_check_access():
            months = Retention.months_for('event_registration')
            version = Configuration(1).consent_version
        return gettext(
            'concertes_events.msg_privacy_notice',
            months=months or '', version=version or '')

    @classmethod
    def consent_values(cls):
        """The values that record a consent given now: store them with a
        registration when the person ticks the consent box"""
        pool = Pool()
        Configuration = pool.get('concertes.privacy.configuration')
        with without_check_access():
            # the search of the singleton reads its fields: one query
            configuration = Configuration.get_singleton()
            version = (configuration.consent_version if configuration
                else Configuration.default_consent_version())
        return {
            'consent_date': dt.datetime.now(),
            'consent_version': version,
            }


class Retention(metaclass=PoolMeta):
    __name__ = 'concertes.privacy.retention'

    @classmethod
    def get_kinds(cls):
        return super().get_kinds() + [
            ('event_registration', gettext(
                    'concertes_events.msg_retention_event_registration'))]

    @classmethod
    def _anonymise_event_registration(cls, threshold):
        """Anonymise the registrations to events that ended before threshold
        and erase the people who have no other reason to be kept"""
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        Party = pool.get('party.party')
        limit = dt.datetime.combine(threshold, dt.time())
        with without_check_access():
            registrations = Registration.search([
                    ('event.end', '<', limit),
                    ('personal_data_erased', '=', None),
                    ], order=[('id', 'ASC')])
            parties = list({r.party for r in registrations if r.party})
            reasons = Party.personal_data_keep_reasons(parties)
            kept = {p for p, why in reasons.items() if why}
            Registration.anonymise([
                    r for r in registrations
                    if not r.party or r.party.id not in kept])
            erase_parties([
                    p for p in parties if p.id not in kept and p.active])


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _personal_data_sources(cls):
        return super()._personal_data_sources() + [
            ('concertes.event.registration', ['party']),
            ('concertes.event.organiser', ['party']),
            ('concertes.event.intervention', ['organiser', 'speaker']),
            ]

    def _personal_data_domain(self, model, field_names):
        domain = super()._personal_data_domain(model, field_names)
        if model == 'concertes.event.registration':
            emails = self.personal_data_emails()
            if emails:
                domain.append(('email', 'in', emails))
        return domain

    def _personal_data_registrations(self):
        "The registrations about the party: its own and those of its e-mails"
        Registration = Pool().get('concertes.event.registration')
        with without_check_access():
            return Registration.search(self._personal_data_domain(
                    Registration.__name__, ['party']))

    def _personal_data_terms(self):
        return super()._personal_data_terms() + [
            t for r in self._personal_data_registrations()
            if not r.personal_data_erased for t in [r.email, r.name]]

    def _personal_data_resources(self):
        return super()._personal_data_resources() + [
            str(r) for r in self._personal_data_registrations()]

    @classmethod
    def _personal_data_keep_sources(cls, today=None):
        pool = Pool()
        Retention = pool.get('concertes.privacy.retention')
        threshold = Retention.threshold('event_registration', today=today)
        recent = []
        if threshold:
            recent.append(('event.end', '>=',
                    dt.datetime.combine(threshold, dt.time())))
        return super()._personal_data_keep_sources(today=today) + [
            ('concertes.event.registration', ['party'],
                'concertes_events.msg_keep_recent_registration', recent),
            ('concertes.event.organiser', ['party'],
                'concertes_events.msg_keep_organiser'),
            ('concertes.event.intervention', ['organiser', 'speaker'],
                'concertes_events.msg_keep_intervention'),
            ]


class Erase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def to_erase(self, party_id):
        pool = Pool()
        Party = pool.get('party.party')
        Registration = pool.get('concertes.event.registration')
        to_erase = super().to_erase(party_id)
        domain = Party(party_id)._personal_data_domain(
            Registration.__name__, ['party'])
        # by ids: the wizard deletes the copies of the e-mails after it has
        # erased the addresses, which then no longer match the domain
        with without_check_access():
            domain = [('id', 'in', [
                        r.id for r in Registration.search(domain)])]
        columns = Registration._personal_data_columns()
        # first: the e-mail addresses are erased with the contact mechanisms
        to_erase.insert(0, (
                Registration, domain, True,
                [c for c, _ in columns],
                [(lambda column, v=v: v(column.table)) if callable(v) else v
                    for _, v in columns]))
        return to_erase

    def transition_erase(self):
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        Party = pool.get('party.party')
        party = self.ask.party
        # each public registration gets a party of its own: the other
        # parties known only by registrations with the person's address
        # are the same person
        emails = party.personal_data_emails()
        others = []
        if emails:
            with without_check_access(), inactive_records():
                others = Party.search([
                        ('id', '!=', party.id),
                        ('registrant_only', '=', True),
                        ('id', 'in', [r.party.id for r in Registration.search([
                                        ('email', 'in', emails),
                                        ('party', '!=', None),
                                        ])]),
                        ])
        state = super().transition_erase()
        Registration.release_erased_claims()
        if others:
            erase_parties(others)
        return state
