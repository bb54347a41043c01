# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Personal data: consent text version, retention periods, the right of
access (an export of all data about a person) and the right of erasure
(Tryton's party erase wizard, extended by each module)"""
import datetime as dt
import json
import logging
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Cast
from sql.operators import Concat

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Check, ModelSingleton, ModelSQL, ModelView, Unique, fields)
from trytond.modules.party.exceptions import EraseError
from trytond.pool import Pool, PoolMeta
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access

from .common import overlap_domain

logger = logging.getLogger(__name__)
# What replaces a name or an address erased
ERASED = '****'


class PrivacyConfiguration(ModelSingleton, ModelSQL, ModelView):
    "ConcertES Personal Data Configuration"
    __name__ = 'concertes.privacy.configuration'

    consent_version = fields.Char(
        "Consent Text Version", required=True,
        help="The version of the privacy text people agree to now; "
        "it is stored with each consent.")

    @classmethod
    def default_consent_version(cls):
        return '2024-1'


class Retention(ModelSQL, ModelView):
    "ConcertES Retention Period"
    __name__ = 'concertes.privacy.retention'

    kind = fields.Selection(
        'get_kinds', "Kind of Record", required=True,
        help="The personal data this period applies to.")
    months = fields.Integer(
        "Months", required=True,
        help="How many months the personal data is kept after the end "
        "of what it was collected for; then it is anonymised.")
    description = fields.Text(
        "Description", translate=True,
        help="What is kept and why, as told to the people concerned.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('kind_unique', Unique(t, t.kind),
                'concertes_members.msg_retention_kind_unique'),
            ('months_positive', Check(t, t.months > 0),
                'concertes_members.msg_retention_months_positive'),
            ]

    @classmethod
    def get_kinds(cls):
        "The kinds of record with a retention period (extended by modules)"
        return []

    @classmethod
    def months_for(cls, kind):
        records = cls.search([('kind', '=', kind)], limit=1)
        if records:
            return records[0].months

    @classmethod
    def threshold(cls, kind, today=None):
        "The date before which the records of kind are past retention"
        months = cls.months_for(kind)
        if months is None:
            return None
        today = today or dt.date.today()
        return today - relativedelta(months=months)

    @classmethod
    def apply_retention(cls, today=None):
        "Anonymise what is past its retention period (the daily cron)"
        for retention in cls.search([]):
            threshold = cls.threshold(retention.kind, today=today)
            getattr(cls, '_anonymise_%s' % retention.kind)(threshold)


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'
    _jobs = [
        ('concertes.privacy.retention|apply_retention',
            "Anonymise Personal Data Past Retention"),
        ]


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def records_as_dicts(records):
    "Every stored value of the records, with the name of linked records"
    result = []
    for record in records:
        values = {'id': record.id}
        for name, field in sorted(record._fields.items()):
            if (isinstance(field, (fields.Function, fields.Binary,
                            fields.One2Many, fields.Many2Many))
                    or name in {'create_uid', 'write_uid'}):
                continue
            value = getattr(record, name)
            if isinstance(field, (fields.Many2One, fields.Reference)):
                value = value.rec_name if value else None
            elif isinstance(field, fields.MultiSelection):
                value = list(value or [])
            values[name] = _jsonable(value)
        result.append(values)
    return result


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _personal_data_sources(cls):
        """The records about a party: [(model, [fields equal to the party])]

        Each module adds its models."""
        return [
            ('party.address', ['party']),
            ('party.contact_mechanism', ['party']),
            ('party.identifier', ['party']),
            ('concertes.membership', ['party']),
            ('concertes.body.member', ['organisation', 'representative']),
            ('concertes.meeting.attendance', [
                    'person', 'organisation', 'represented_by']),
            ('concertes.request', ['requester', 'contact']),
            ('ir.email', ['resource']),
            ]

    def _personal_data_domain(self, model, field_names):
        "The domain of the records of model about the party"
        if model == 'ir.email':
            return [('resource', 'in', self._personal_data_resources())]
        return ['OR'] + [(f, '=', self.id) for f in field_names]

    def personal_data_emails(self):
        "The e-mail addresses of the party, lower-cased"
        return sorted({
                m.value.strip().lower() for m in self.contact_mechanisms
                if m.type == 'email' and m.value})

    def _personal_data_terms(self):
        """The texts that name the party in free text, such as the errors of
        the tasks: its name and e-mail addresses (extended by modules)"""
        return [self.name] + self.personal_data_emails()

    def _personal_data_resources(self):
        """The records about the party that e-mails are sent about, as
        references (extended by modules)"""
        return [str(self)]

    def personal_data(self):
        "All data about the party, as a JSON-ready dictionary"
        pool = Pool()
        with without_check_access():
            data = {'party.party': records_as_dicts([self])}
            for model, field_names in self._personal_data_sources():
                Model = pool.get(model)
                records = Model.search(
                    self._personal_data_domain(model, field_names),
                    order=[('id', 'ASC')])
                if records:
                    data[model] = records_as_dicts(records)
        return data

    @classmethod
    def _personal_data_keep_sources(cls, today=None):
        """The records that keep a party: [(model, [fields equal to the
        party], message of the reason[, domain of the records])]

        Each module adds its models."""
        return [
            ('concertes.membership', ['party'],
                'concertes_members.msg_keep_membership'),
            ('concertes.body.member', ['organisation', 'representative'],
                'concertes_members.msg_keep_body_seat'),
            ('concertes.meeting.attendance', [
                    'person', 'organisation', 'represented_by'],
                'concertes_members.msg_keep_meeting'),
            ('concertes.request', ['requester', 'contact'],
                'concertes_members.msg_keep_request'),
            ('company.employee', ['party'],
                'concertes_members.msg_keep_employee'),
            ]

    @classmethod
    def personal_data_keep_reasons(cls, parties, today=None):
        """{party id: [why the party is kept]}: parties with another reason
        to be kept than records past retention"""
        pool = Pool()
        reasons = {p.id: [] for p in parties}
        for model, field_names, message, *domain in (
                cls._personal_data_keep_sources(today=today)):
            cls._add_keep_reason(
                reasons, pool.get(model), field_names, message, *domain)
        return reasons

    @classmethod
    def _add_keep_reason(cls, reasons, Model, field_names, message,
            domain=None):
        """Add the text of message to the reasons of each party of reasons
        that a record of Model (matching domain) names in one of field_names"""
        text = gettext(message)
        with without_check_access():
            for name in field_names:
                for record in Model.search(
                        [domain or [], (name, 'in', list(reasons))]):
                    party_id = getattr(record, name).id
                    if text not in reasons[party_id]:
                        reasons[party_id].append(text)


class PersonalDataReport(Report):
    "All Data About a Person"
    __name__ = 'concertes.party.personal_data'

    @classmethod
    def _execute(cls, records, header, data, action):
        export = {
            'generated': dt.datetime.now().isoformat(timespec='seconds'),
            'parties': [r.personal_data() for r in records],
            }
        return 'json', json.dumps(
            export, indent=2, ensure_ascii=False, sort_keys=True).encode()


class FreedPagesCleaner:
    """Clean the pages freed by an erasure once the transaction is committed

    The rows erased or deleted leave their old bytes in the database files
    (free space of the pages, SQLite's write-ahead log) until they are
    overwritten: on SQLite the whole file is rebuilt (VACUUM) and the log
    emptied (checkpoint and truncate); on PostgreSQL the touched tables are
    vacuumed (docs/personal-data.md says what each guarantees)."""

    def __init__(self):
        self.tables = set()

    def __eq__(self, other):
        return isinstance(other, FreedPagesCleaner)

    def __hash__(self):
        return hash(FreedPagesCleaner)

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        pass

    def tpc_vote(self, transaction):
        pass

    def tpc_abort(self, transaction):
        pass

    def tpc_finish(self, transaction):
        connection = transaction.connection
        try:
            if backend.name == 'sqlite':
                connection.isolation_level = None
                connection.execute('VACUUM')
                connection.execute('PRAGMA wal_checkpoint(TRUNCATE)')
            elif backend.name == 'postgresql' and self.tables:
                connection.autocommit = True
                cursor = connection.cursor()
                cursor.execute('VACUUM %s' % ', '.join(
                        '"%s"' % t for t in sorted(self.tables)))
        except Exception:
            # the erasure is committed: the pages are cleaned next time
            logger.warning("could not clean the freed pages", exc_info=True)


def clean_freed_pages(*Models):
    """Clean the pages freed in the tables of Models (and their history)
    after the commit of the transaction"""
    cleaner = Transaction().join(FreedPagesCleaner())
    for Model in Models:
        if Model._is_table_query():
            continue
        cleaner.tables.add(Model._table)
        if Model._history:
            cleaner.tables.add(Model._table + '__history')


class Erase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def transition_erase(self):
        pool = Pool()
        Address = pool.get('ir.email.address')
        Email = pool.get('ir.email')
        Queue = pool.get('ir.queue')
        with without_check_access():
            terms = self.ask.party._personal_data_terms()
        state = super().transition_erase()
        # a failed e-mail keeps the address (or the name) in its error
        Queue.erase_personal_data(terms)
        # the wizard deletes the e-mails in SQL: without foreign keys
        # (SQLite) their addresses stay
        address, email = Address.__table__(), Email.__table__()
        Transaction().connection.cursor().execute(*address.delete(
                where=~address.email.in_(email.select(email.id))))
        clean_freed_pages(Address,
            *[m for m, *_ in self.to_erase(self.ask.party.id)],
            *self.get_resources())
        return state

    def to_erase(self, party_id):
        pool = Pool()
        ContactMechanism = pool.get('party.contact_mechanism')
        to_erase = super().to_erase(party_id)
        for i, (Model, domain, resource, columns, values) in enumerate(
                to_erase):
            # the compact value is a second copy of the address or number
            if (Model == ContactMechanism
                    and 'value_compact' not in columns):
                to_erase[i] = (Model, domain, resource,
                    columns + ['value_compact'], values + [None])
        return to_erase

    @classmethod
    def get_resources(cls):
        pool = Pool()
        # the copies of the e-mails sent about the erased records
        return super().get_resources() + [pool.get('ir.email')]

    def check_erase(self, party):
        pool = Pool()
        BodyMember = pool.get('concertes.body.member')
        super().check_erase(party)
        today = dt.date.today()
        with without_check_access():
            seats = BodyMember.search([
                    ('representative', '=', party.id),
                    ] + overlap_domain(today, None), limit=1)
        if seats:
            raise EraseError(gettext(
                    'concertes_members.msg_erase_body_seat',
                    party=party.rec_name, body=seats[0].body.rec_name))


def erase_parties(parties):
    """Deactivate and erase parties through Tryton's party erase wizard
    (as the daily retention cron does)"""
    pool = Pool()
    Party = pool.get('party.party')
    Erase = pool.get('party.erase', type='wizard')
    with without_check_access():
        Party.write(list(parties), {'active': False})
        for party in parties:
            session_id, _, _ = Erase.create()
            Erase.execute(session_id, {'ask': {'party': party.id}}, 'erase')
            Erase.delete(session_id)


def erased_email(Model, table):
    """The SQL value of an erased e-mail address of a record of Model in
    table: unique by record, it receives nothing"""
    return Concat(Concat(
            'erased-', Cast(table.id, Model.id.sql_type().base)),
        '@erased.invalid')
