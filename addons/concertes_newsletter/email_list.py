# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Mailing lists (Tryton's marketing.email.list): the lists people subscribe
to, and the lists derived from our data that a cron keeps in sync"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import inactive_records

from .subscription import EmailNotValidError, normalise_address


class EmailList(metaclass=PoolMeta):
    __name__ = 'marketing.email.list'

    code = fields.Char(
        "Code", help="A short name for the list, unique.")
    kind = fields.Selection(
        'get_kinds', "Kind", required=True,
        help="Subscribers: people subscribe and unsubscribe themselves. "
        "The other kinds are derived from the data and kept in sync by "
        "themselves (people who unsubscribed are never added back).")
    body = fields.Many2One(
        'concertes.body', "Body", ondelete='RESTRICT',
        states={
            'invisible': Eval('kind') != 'body',
            'required': Eval('kind') == 'body',
            },
        help="The body whose members the list holds.")
    public = fields.Boolean(
        "On the Public Page",
        states={'invisible': Eval('kind') != 'subscribers'},
        help="Whether people may subscribe to the list on the public "
        "subscription page.")
    description = fields.Text(
        "Description", translate=True,
        help="What the list sends, shown on the subscription page.")
    last_sync = fields.DateTime(
        "Last Synchronisation", readonly=True,
        states={'invisible': Eval('kind') == 'subscribers'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'sync': {
                    'invisible': Eval('kind') == 'subscribers',
                    'depends': ['kind'],
                    },
                })

    @classmethod
    def default_kind(cls):
        return 'subscribers'

    @classmethod
    def search_public(cls):
        "The lists people may subscribe to on the public page"
        return cls.search([
                ('kind', '=', 'subscribers'),
                ('public', '=', True),
                ], order=[('name', 'ASC'), ('id', 'ASC')])

    @classmethod
    def default_public(cls):
        return False

    @classmethod
    def get_kinds(cls):
        "The kinds of list (modules add theirs with a _addresses_<kind>)"
        # a selection given by a method is not translated: the messages are
        return [
            ('subscribers', gettext(
                    'concertes_newsletter.msg_kind_subscribers')),
            ('member_representatives', gettext(
                    'concertes_newsletter.msg_kind_member_representatives')),
            ('body', gettext('concertes_newsletter.msg_kind_body')),
            ]

    @staticmethod
    def _party_addresses(party_ids):
        "{party id: first e-mail address} of the parties"
        ContactMechanism = Pool().get('party.contact_mechanism')
        result = {}
        for mechanism in ContactMechanism.search([
                    ('party', 'in', list(party_ids)),
                    ('type', '=', 'email'),
                    ], order=[('sequence', 'ASC'), ('id', 'ASC')]):
            result.setdefault(mechanism.party.id, mechanism.value)
        return result

    def _addresses_member_representatives(self):
        "The people who represent a member federation of today"
        pool = Pool()
        Party = pool.get('party.party')
        Relation = pool.get('party.relation')
        ModelData = pool.get('ir.model.data')
        represents = ModelData.get_id(
            'concertes_members', 'relation_type_represents')
        members = Party.search([
                ('member', '=', True),
                ('organisation_kind', '=', 'member_federation'),
                ])
        relations = Relation.search([
                ('type', '=', represents),
                ('to', 'in', [m.id for m in members]),
                ])
        return [r.from_ for r in relations]

    def _addresses_body(self):
        "The people (else the organisations) sitting in the body today"
        BodyMember = Pool().get('concertes.body.member')
        seats = BodyMember.search([
                ('body', '=', self.body.id),
                ] + BodyMember.active_at_domain(dt.date.today()))
        return [s.representative or s.organisation for s in seats
            if s.representative or s.organisation]

    def derived_addresses(self):
        """{address: (name, party)} the list must hold

        _addresses_<kind> returns parties (their first e-mail address) or
        (address, name, party) tuples."""
        found = getattr(self, '_addresses_%s' % self.kind)()
        parties = [p for p in found if not isinstance(p, tuple)]
        mails = self._party_addresses({p.id for p in parties})
        result = {}
        for item in found:
            if isinstance(item, tuple):
                address, name, party = item
            else:
                address, name, party = (
                    mails.get(item.id), item.rec_name, item)
            try:
                address = normalise_address(address)
            except EmailNotValidError:
                continue
            result.setdefault(address, (name, party))
        return result

    @classmethod
    @ModelView.button
    def sync(cls, lists):
        """Make the derived lists hold exactly the addresses of the data:
        add the new ones, deactivate those gone; an address unsubscribed or
        suppressed is never added back"""
        pool = Pool()
        Email = pool.get('marketing.email')
        Suppression = pool.get('concertes.newsletter.suppression')
        now = dt.datetime.now()
        to_create, to_save = [], []
        for list_ in lists:
            if list_.kind == 'subscribers':
                continue
            wanted = list_.derived_addresses()
            with inactive_records():
                existing = {e.email: e for e in Email.search([
                            ('list_', '=', list_.id),
                            ])}
            suppressed = Suppression.suppressed(wanted, list_)
            for address, (name, party) in wanted.items():
                if address in suppressed:
                    continue
                record = existing.get(address)
                if record is None:
                    to_create.append({
                            'email': address,
                            'list_': list_.id,
                            'name': name,
                            'person': party.id if party else None,
                            'language': list_.language.code[:2]
                            if list_.language else 'fr',
                            'source': 'sync',
                            'active': True,
                            })
                elif (not record.active and not record.unsubscribed
                        and record.source == 'sync'):
                    record.active = True
                    to_save.append(record)
            for address, record in existing.items():
                if (address not in wanted and record.active
                        and record.source == 'sync'):
                    record.active = False
                    to_save.append(record)
            list_.last_sync = now
        Email.save(to_save)
        Email.create(to_create)
        cls.save(lists)

    @classmethod
    def sync_all(cls):
        "Synchronise every derived list (the cron)"
        cls.sync(cls.search([('kind', '!=', 'subscribers')]))
