# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Subscriptions (Tryton's marketing.email) with their consent, the double
opt-in, the unsubscription and the suppression list"""
import datetime as dt
import hashlib
import re
import secrets
from email import errors
from email.headerregistry import Address
from email.message import EmailMessage

import trytond.config as config
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.modules.concertes_members.common import PUBLIC_LANGUAGES
from trytond.modules.marketing_email.exceptions import EMailValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.sendmail import send_message_transactional
from trytond.tools.email_ import set_from_header
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)
from trytond.url import http_base

SOURCES = [
    ('web', "Public Page"),
    ('event', "Event Registration"),
    ('import', "Import"),
    ('sync', "Derived from the Data"),
    ('manual', "Back-office"),
    ]
LANGUAGES = [
    ('fr', "French"),
    ('nl', "Dutch"),
    ('en', "English"),
    ]


# The tokens of the links: the rest is not looked for
TOKEN_RE = re.compile(r'^[A-Za-z0-9_-]{16,128}$')
CONSENT_TICKED = {'on', '1', 'true', 'yes'}


class EmailNotValidError(ValueError):
    "The address is not a valid e-mail address"


# Domains that never receive mail (RFC 2606, RFC 6761)
SPECIAL_USE = {'invalid', 'test', 'localhost', 'local', 'example', 'onion'}


def normalise_address(address):
    """The address lower-cased, or raise EmailNotValidError with the reason

    The syntax is checked by the standard library's RFC 5322 parser. Not
    email_validator: once installed, trytond asks the DNS for every address
    it validates (contact mechanisms too), which fails offline."""
    address = (address or '').strip()
    if not address:
        raise EmailNotValidError(gettext(
                'concertes_newsletter.msg_address_empty'))
    try:
        parsed = Address(addr_spec=address)
    except (errors.HeaderParseError, errors.InvalidHeaderDefect,
            IndexError, ValueError) as exception:
        raise EmailNotValidError(str(exception)) from exception
    labels = parsed.domain.lower().split('.')
    if (not parsed.username or len(labels) < 2 or not all(labels)
            or labels[-1] in SPECIAL_USE or len(address) > 254):
        raise EmailNotValidError(gettext(
                'concertes_newsletter.msg_address_domain',
                domain=parsed.domain))
    return address.lower()


def public_url(path):
    "The absolute public URL of a path of the database"
    base = config.get('concertes', 'public_url', default=http_base())
    return '%s/%s/%s' % (
        base.rstrip('/'), Transaction().database.name, path)


class Subscription(metaclass=PoolMeta):
    __name__ = 'marketing.email'

    name = fields.Char("Name", help="The name of the subscriber.")
    language = fields.Selection(
        [(None, "")] + LANGUAGES, "Language",
        help="The language of the e-mails to the subscriber.")
    source = fields.Selection(
        SOURCES, "Source", readonly=True,
        help="Where the subscription comes from.")
    person = fields.Many2One(
        'party.party', "Person", ondelete='SET NULL',
        help="The party the address belongs to, when known.")
    consent_date = fields.DateTime(
        "Consent Date", readonly=True,
        help="When the person agreed to receive the list.")
    consent_version = fields.Char(
        "Consent Text Version", readonly=True,
        help="The version of the consent text agreed to.")
    consent_text = fields.Text(
        "Consent Text", readonly=True,
        help="The text the person agreed to, as shown to them.")
    confirm_token = fields.Char(
        "Confirmation Token", readonly=True,
        states={'invisible': True})
    confirm_requested = fields.DateTime(
        "Confirmation Requested", readonly=True,
        help="When the confirmation e-mail was sent.")
    confirmed = fields.DateTime(
        "Confirmed", readonly=True,
        help="When the person followed the confirmation link.")
    unsubscribed = fields.DateTime(
        "Unsubscribed", readonly=True,
        help="When the person unsubscribed.")
    status = fields.Function(fields.Selection([
                ('pending', "Waiting for Confirmation"),
                ('subscribed', "Subscribed"),
                ('unsubscribed', "Unsubscribed"),
                ], "Status"), 'get_status')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(
                t, (t.confirm_token, Index.Equality(cardinality='high')),
                where=t.confirm_token != None))  # noqa: E711
        cls._sql_indexes.add(Index(
                t, (t.email_token, Index.Equality(cardinality='high'))))
        cls._buttons.update({
                'unsubscribe_button': {
                    'invisible': ~Eval('active', False),
                    'depends': ['active'],
                    },
                })

    @classmethod
    def default_source(cls):
        return 'manual'

    def get_status(self, name):
        if self.unsubscribed:
            return 'unsubscribed'
        if not self.active:
            return 'pending'
        return 'subscribed'

    @classmethod
    def check_valid_email(cls, records, fields_names=None):
        # marketing_email asks the DNS for every address: refused offline
        # and slow for an import of thousands, so only the syntax is checked
        if fields_names and 'email' not in fields_names:
            return
        for record in records:
            try:
                normalise_address(record.email)
            except EmailNotValidError as exception:
                raise EMailValidationError(gettext(
                        'marketing_email.msg_email_invalid',
                        record=record.rec_name,
                        email=record.email), str(exception)) from exception

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'create':
            # Back-office additions count as a consent given now
            to_save = []
            for record in records:
                if (record.active and not record.consent_date
                        and record.source == 'manual'):
                    record.consent_date = dt.datetime.now()
                    to_save.append(record)
            if to_save:
                cls.save(to_save)

    @property
    def unsubscribe_url(self):
        return public_url('newsletter/unsubscribe/%s' % self.email_token)

    def get_email_unsubscribe_url(self, url=None):
        return self.unsubscribe_url

    @property
    def confirm_url(self):
        return public_url('newsletter/confirm/%s' % self.confirm_token)

    @classmethod
    def request(cls, address, lists, name=None, language='fr',
            source='web'):
        """Record a subscription request to lists, waiting for the
        confirmation, and e-mail the link: nothing is subscribed until it is
        followed.  Addresses already subscribed get no e-mail."""
        pool = Pool()
        Configuration = pool.get('concertes.newsletter.configuration')
        address = normalise_address(address)
        configuration = Configuration(1)
        token = secrets.token_urlsafe(24)
        now = dt.datetime.now()
        consent = configuration.consent_values(language)
        with inactive_records():
            existing = {r.list_.id: r for r in cls.search([
                        ('email', '=', address),
                        ('list_', 'in', [l.id for l in lists]),
                        ])}
        pending = []
        for list_ in lists:
            record = existing.get(list_.id)
            if record and record.active:
                continue
            if not record:
                record = cls(email=address, list_=list_, active=False)
            record.name = name or record.name
            record.language = language
            record.source = source
            record.confirm_token = token
            record.confirm_requested = now
            for key, value in consent.items():
                setattr(record, key, value)
            pending.append(record)
        cls.save(pending)
        if pending:
            cls.send_confirmation(pending)
        return pending

    @classmethod
    def request_public(cls, data):
        """Request from the public page the subscription of data {email,
        name, language, lists: [ids as text], consent}: return {field:
        message} of what is refused, and then nothing is requested"""
        List = Pool().get('marketing.email.list')

        def message(name):
            return gettext('concertes_newsletter.msg_web_' + name)
        errors = {}
        try:
            address = normalise_address((data.get('email') or '')[:254])
        except EmailNotValidError:
            errors['email'] = message('error_email')
        name = ' '.join((data.get('name') or '').split())[:200] or None
        language = data.get('language') or 'fr'
        if language not in PUBLIC_LANGUAGES:
            errors['language'] = message('error_choice')
        by_id = {str(l.id): l for l in List.search_public()}
        chosen = data.get('lists') or []
        if not chosen or any(c not in by_id for c in chosen):
            errors['lists'] = message('error_lists')
        if data.get('consent') not in CONSENT_TICKED:
            errors['consent'] = message('error_consent')
        if not errors:
            cls.request(address, [by_id[c] for c in chosen], name=name,
                language=language, source='web')
        return errors

    @classmethod
    def send_confirmation(cls, records):
        "E-mail the confirmation link (one per token) after the commit"
        sent = set()
        for record in records:
            if record.confirm_token in sent:
                continue
            sent.add(record.confirm_token)
            lists = [r.list_.name for r in records
                if r.confirm_token == record.confirm_token]
            with Transaction().set_context(language=record.language or 'fr'):
                msg = EmailMessage()
                msg['Subject'] = gettext(
                    'concertes_newsletter.msg_confirm_subject')
                msg.set_content(gettext(
                        'concertes_newsletter.msg_confirm_body',
                        lists=', '.join(lists), url=record.confirm_url))
            from_ = (config.get('marketing', 'email_from')
                or config.get('email', 'from'))
            set_from_header(msg, from_, from_)
            msg['To'] = record.email
            send_message_transactional(msg)

    @classmethod
    def confirm(cls, token):
        """Subscribe the records of a confirmation token

        Return 'confirmed', 'used' (already confirmed), 'expired' or
        'unknown'; only 'confirmed' changes anything."""
        pool = Pool()
        Configuration = pool.get('concertes.newsletter.configuration')
        Suppression = pool.get('concertes.newsletter.suppression')
        if not isinstance(token, str) or not TOKEN_RE.match(token):
            return 'unknown'
        with inactive_records():
            records = cls.search([('confirm_token', '=', token)])
        if not records:
            return 'unknown'
        if all(r.confirmed for r in records):
            return 'used'
        hours = Configuration(1).confirmation_hours or 0
        limit = dt.datetime.now() - dt.timedelta(hours=hours)
        if any(r.confirm_requested < limit for r in records):
            return 'expired'
        now = dt.datetime.now()
        for record in records:
            record.active = True
            record.confirmed = now
            record.unsubscribed = None
        cls.save(records)
        # A new explicit consent lifts the earlier unsubscription
        Suppression.lift([(r.email, r.list_) for r in records])
        return 'confirmed'

    @classmethod
    def from_token(cls, token):
        "The subscription of an unsubscribe token, or None"
        if not isinstance(token, str) or not TOKEN_RE.match(token):
            return None
        with inactive_records():
            records = cls.search([('email_token', '=', token)], limit=1)
        return records[0] if records else None

    @classmethod
    @ModelView.button
    def unsubscribe_button(cls, records):
        cls.unsubscribe_records(records)

    @classmethod
    def unsubscribe_records(cls, records):
        """Unsubscribe the records and suppress their address for their
        list: no later sync, import or send brings them back"""
        pool = Pool()
        Suppression = pool.get('concertes.newsletter.suppression')
        now = dt.datetime.now()
        for record in records:
            record.active = False
            record.unsubscribed = record.unsubscribed or now
        cls.save(records)
        Suppression.add(
            [(r.email, r.list_) for r in records], 'unsubscribed')

    @classmethod
    def unsubscribe_token(cls, token):
        """Unsubscribe the subscription of the token: 'unsubscribed',
        'already' or 'unknown' (nothing changed)"""
        record = cls.from_token(token)
        if record is None:
            return 'unknown'
        if record.unsubscribed:
            return 'already'
        cls.unsubscribe_records([record])
        return 'unsubscribed'


class Suppression(ModelSQL, ModelView):
    "ConcertES Newsletter Suppression"
    __name__ = 'concertes.newsletter.suppression'

    address_hash = fields.Char(
        "Address Hash", required=True, readonly=True,
        help="The SHA-256 of the lower-cased address: the address itself "
        "is not kept, so an erased person stays erased.")
    list_ = fields.Many2One(
        'marketing.email.list', "List", ondelete='CASCADE', readonly=True,
        help="Empty: no list may mail the address.")
    reason = fields.Selection([
            ('unsubscribed', "Unsubscribed"),
            ('erased', "Personal Data Erased"),
            ], "Reason", required=True, readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hash_list_unique', Unique(t, t.address_hash, t.list_),
                'concertes_newsletter.msg_suppression_unique'),
            ]
        cls._sql_indexes.add(Index(
                t, (t.address_hash, Index.Equality(cardinality='high'))))

    @staticmethod
    def default_date():
        return dt.datetime.now()

    @staticmethod
    def hash(address):
        return hashlib.sha256(
            address.strip().lower().encode('utf-8')).hexdigest()

    @classmethod
    def add(cls, pairs, reason):
        "Suppress [(address, list or None)]"
        wanted = {(cls.hash(a), l.id if l else None) for a, l in pairs}
        hashes = list({h for h, _ in wanted})
        existing = set()
        for i in range(0, len(hashes), 500):
            existing.update(
                (s.address_hash, s.list_.id if s.list_ else None)
                for s in cls.search([
                        ('address_hash', 'in', hashes[i:i + 500])]))
        with without_check_access():
            cls.create([{'address_hash': h, 'list_': l, 'reason': reason}
                    for h, l in sorted(wanted - existing, key=str)])

    @classmethod
    def lift(cls, pairs):
        "Remove the unsubscriptions of [(address, list)]"
        for address, list_ in pairs:
            with without_check_access():
                cls.delete(cls.search([
                            ('address_hash', '=', cls.hash(address)),
                            ('list_', '=', list_.id),
                            ('reason', '=', 'unsubscribed'),
                            ]))

    @classmethod
    def suppressed(cls, addresses, list_):
        "The addresses among addresses that list_ may not mail"
        by_hash = {cls.hash(a): a for a in addresses}
        hashes = list(by_hash)
        result = set()
        for i in range(0, len(hashes), 500):
            for suppression in cls.search([
                        ('address_hash', 'in', hashes[i:i + 500]),
                        ['OR',
                            ('list_', '=', None),
                            ('list_', '=', list_.id),
                            ],
                        ]):
                result.add(by_hash[suppression.address_hash])
        return result
