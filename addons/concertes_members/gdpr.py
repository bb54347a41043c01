# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Personal data: consent text version, retention periods, the right of
access (an export of all data about a person) and the right of erasure
(Tryton's party erase wizard, extended by each module)"""
import datetime as dt
import json
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.i18n import gettext
from trytond.model import (
    Check, ModelSingleton, ModelSQL, ModelView, Unique, fields)
from trytond.modules.party.exceptions import EraseError
from trytond.pool import Pool, PoolMeta
from trytond.report import Report
from trytond.transaction import without_check_access


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

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('concertes.privacy.retention|apply_retention',
                "Anonymise Personal Data Past Retention"))


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
            ]

    def _personal_data_domain(self, model, field_names):
        "The domain of the records of model about the party"
        return ['OR'] + [(f, '=', self.id) for f in field_names]

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
    def personal_data_keep_reasons(cls, parties, today=None):
        """{party id: [why the party is kept]}: parties with another reason
        to be kept than records past retention (extended by modules)"""
        pool = Pool()
        Membership = pool.get('concertes.membership')
        BodyMember = pool.get('concertes.body.member')
        Attendance = pool.get('concertes.meeting.attendance')
        Request = pool.get('concertes.request')
        Employee = pool.get('company.employee')
        ids = [p.id for p in parties]
        reasons = {i: [] for i in ids}

        def add(Model, field_names, message):
            with without_check_access():
                for name in field_names:
                    for record in Model.search([(name, 'in', ids)]):
                        party_id = getattr(record, name).id
                        text = gettext(message)
                        if text not in reasons[party_id]:
                            reasons[party_id].append(text)
        add(Membership, ['party'], 'concertes_members.msg_keep_membership')
        add(BodyMember, ['organisation', 'representative'],
            'concertes_members.msg_keep_body_seat')
        add(Attendance, ['person', 'organisation', 'represented_by'],
            'concertes_members.msg_keep_meeting')
        add(Request, ['requester', 'contact'],
            'concertes_members.msg_keep_request')
        add(Employee, ['party'], 'concertes_members.msg_keep_employee')
        return reasons


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


class Erase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def check_erase(self, party):
        pool = Pool()
        BodyMember = pool.get('concertes.body.member')
        super().check_erase(party)
        today = dt.date.today()
        with without_check_access():
            seats = BodyMember.search([
                    ('representative', '=', party.id),
                    ['OR',
                        ('end_date', '=', None),
                        ('end_date', '>=', today),
                        ],
                    ], limit=1)
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
