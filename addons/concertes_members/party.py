# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from stdnum.be import vat as be_vat

from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .common import FieldChecksMixin, context_date

ORGANISATION_KINDS = [
    (None, ""),
    ('member_federation', "Member Federation"),
    ('partner', "Partner"),
    ('public_authority', "Public Authority"),
    ('cabinet', "Ministerial Cabinet"),
    ('administration', "Administration"),
    ('university', "University or Research Centre"),
    ('network', "European or International Network"),
    ('enterprise', "Social Economy Enterprise"),
    ('other', "Other"),
    ]
REGIONS = [
    ('wallonia', "Wallonia"),
    ('brussels', "Brussels"),
    ('flanders', "Flanders"),
    ('federal', "Federal"),
    ('european', "European"),
    ]
SECTOR_FAMILIES = [
    ('insertion', "Socio-professional Insertion (CISP, EI, IDESS, ETA)"),
    ('activity_insertion',
        "Insertion by Economic Activity (activity cooperatives, incubators)"),
    ('sector', "Sector Operators (proximity services, recycling, "
        "short supply chains)"),
    ('development', "Development Operators (advisory agencies, "
        "alternative and solidarity finance)"),
    ('enterprises', "Social Enterprises and Cooperatives"),
    ('transversal', "Transversal Federations"),
    ]
ENTERPRISE_NUMBER = 'be_businessid'


def format_enterprise_number(code):
    "Return the Belgian enterprise number as 0xxx.xxx.xxx"
    number = be_vat.compact(code)
    return '%s.%s.%s' % (number[:4], number[4:7], number[7:])


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    organisation_kind = fields.Selection(
        ORGANISATION_KINDS, "Kind of Organisation",
        help="The kind of organisation for ConcertES.")
    regions = fields.MultiSelection(
        REGIONS, "Regions of Activity",
        help="The regions where the organisation is active.")
    sector_families = fields.MultiSelection(
        SECTOR_FAMILIES, "Sector Families",
        help="The families of the social economy the organisation federates.")
    enterprise_number = fields.Function(fields.Char(
            "Enterprise Number",
            help="The number of the organisation at the Crossroads Bank "
            "for Enterprises (BCE/KBO), as 0xxx.xxx.xxx."),
        'get_enterprise_number', searcher='search_enterprise_number')
    memberships = fields.One2Many(
        'concertes.membership', 'party', "Memberships")
    membership_fees = fields.Function(fields.Many2Many(
            'concertes.membership.fee', None, None, "Membership Fees",
            readonly=True),
        'get_membership_fees')
    member = fields.Function(fields.Boolean(
            "Member",
            help="Whether the organisation is a member of ConcertES today "
            "(or at the date given in the context)."),
        'get_member', searcher='search_member')
    member_since = fields.Function(fields.Date(
            "Member Since",
            help="The start of the current membership."),
        'get_member_since')
    seats = fields.One2Many(
        'concertes.body.member', 'organisation', "Seats",
        help="The seats held on behalf of the organisation.")
    personal_seats = fields.One2Many(
        'concertes.body.member', 'representative', "Seats Held",
        help="The seats the person holds in the bodies.")
    working_groups = fields.Function(fields.Many2Many(
            'concertes.body', None, None, "Working Groups", readonly=True,
            help="The working groups where the party sits today."),
        'get_working_groups')
    requests = fields.One2Many(
        'concertes.request', 'requester', "Requests")

    @classmethod
    def get_member(cls, parties, name):
        Membership = Pool().get('concertes.membership')
        members = set(Membership.members_at(context_date('member_date')))
        return {p.id: p.id in members for p in parties}

    @classmethod
    def search_member(cls, name, clause):
        Membership = Pool().get('concertes.membership')
        _, operator, value = clause[:3]
        members = Membership.members_at(context_date('member_date'))
        positive = (operator == '=') == bool(value)
        return [('id', 'in' if positive else 'not in', members)]

    @classmethod
    def get_member_since(cls, parties, name):
        Membership = Pool().get('concertes.membership')
        date = context_date('member_date')
        result = dict.fromkeys((p.id for p in parties), None)
        for membership in Membership.search([
                    ('party', 'in', [p.id for p in parties]),
                    ] + Membership.active_at_domain(date)):
            result[membership.party.id] = membership.start_date
        return result

    @classmethod
    def get_membership_fees(cls, parties, name):
        Fee = Pool().get('concertes.membership.fee')
        result = {p.id: [] for p in parties}
        for fee in Fee.search([
                    ('membership.party', 'in', [p.id for p in parties]),
                    ]):
            result[fee.membership.party.id].append(fee.id)
        return result

    @classmethod
    def get_enterprise_number(cls, parties, name):
        Identifier = Pool().get('party.identifier')
        result = dict.fromkeys((p.id for p in parties), None)
        for identifier in Identifier.search([
                    ('party', 'in', [p.id for p in parties]),
                    ('type', '=', ENTERPRISE_NUMBER),
                    ], order=[('sequence', 'DESC NULLS FIRST'),
                    ('id', 'DESC')]):
            if be_vat.is_valid(identifier.code):
                code = format_enterprise_number(identifier.code)
            else:
                code = identifier.code
            result[identifier.party.id] = code
        return result

    @classmethod
    def search_enterprise_number(cls, name, clause):
        _, operator, value, *extra = clause
        if isinstance(value, str) and operator in {'=', '!='}:
            try:
                value = be_vat.compact(value)
            except Exception:
                pass
        return [('identifiers', 'where', [
                    ('type', '=', ENTERPRISE_NUMBER),
                    ('code_compact', operator, value, *extra),
                    ])]

    @classmethod
    def get_working_groups(cls, parties, name):
        BodyMember = Pool().get('concertes.body.member')
        date = context_date('member_date')
        ids = [p.id for p in parties]
        result = {i: set() for i in ids}
        for seat in BodyMember.search([
                    ('body.kind', '=', 'working_group'),
                    ['OR',
                        ('organisation', 'in', ids),
                        ('representative', 'in', ids),
                        ],
                    ] + BodyMember.active_at_domain(date)):
            for party in [seat.organisation, seat.representative]:
                if party and party.id in result:
                    result[party.id].add(seat.body.id)
        return {k: sorted(v) for k, v in result.items()}


class RelationType(metaclass=PoolMeta):
    __name__ = 'party.relation.type'

    @classmethod
    def on_modification(cls, mode, types, field_names=None):
        "Make the reverse of a type point back to it when it has none"
        super().on_modification(mode, types, field_names=field_names)
        if mode in {'create', 'write'} and (
                field_names is None or 'reverse' in field_names):
            reverses = []
            for type_ in types:
                if type_.reverse and not type_.reverse.reverse:
                    type_.reverse.reverse = type_
                    reverses.append(type_.reverse)
            if reverses:
                cls.save(reverses)


class PartyIdentifier(FieldChecksMixin, metaclass=PoolMeta):
    __name__ = 'party.identifier'
    _field_checks = {'check_enterprise_number': {'type', 'code'}}

    def check_code(self):
        if (self.type == ENTERPRISE_NUMBER
                and not be_vat.is_valid(self.code or '')):
            if self.party and self.party.id > 0:
                party = self.party.rec_name
            else:
                party = ''
            raise ValidationError(gettext(
                    'concertes_members.msg_enterprise_number_invalid',
                    code=self.code, party=party))
        super().check_code()

    @classmethod
    def check_enterprise_number(cls, identifiers):
        """An enterprise number is a valid Belgian one when saved, not only
        when typed"""
        for identifier in identifiers:
            if identifier.type == ENTERPRISE_NUMBER:
                identifier.check_code()

    @fields.depends('type', 'code')
    def on_change_with_code(self):
        code = super().on_change_with_code()
        if (self.type == ENTERPRISE_NUMBER and code
                and be_vat.is_valid(code)):
            code = format_enterprise_number(code)
        return code

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if (mode == 'create'
                and values.get('type') == ENTERPRISE_NUMBER
                and be_vat.is_valid(values.get('code') or '')):
            values['code'] = format_enterprise_number(values['code'])
        return values

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if (field_names is None or {'type', 'code'} & field_names):
            code = values.get('code', getattr(self, 'code', None))
            if (getattr(self, 'type', None) == ENTERPRISE_NUMBER
                    and code and be_vat.is_valid(code)):
                formatted = format_enterprise_number(code)
                if formatted != getattr(self, 'code', None):
                    values['code'] = formatted
        return values


class Replace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('concertes.membership', 'party'),
            ('concertes.body', 'organisation'),
            ('concertes.body.member', 'organisation'),
            ('concertes.body.member', 'representative'),
            ('concertes.meeting.attendance', 'person'),
            ('concertes.meeting.attendance', 'organisation'),
            ('concertes.meeting.attendance', 'represented_by'),
            ('concertes.request', 'requester'),
            ('concertes.request', 'contact'),
            ('party.relation', 'from_'),
            ('party.relation', 'to'),
            ]

    def transition_replace(self):
        pool = Pool()
        Duplicate = pool.get('concertes.party.duplicate')
        state = super().transition_replace()
        Duplicate.mark_merged()
        return state


class ReplaceAsk(metaclass=PoolMeta):
    __name__ = 'party.replace.ask'

    @classmethod
    def _duplicate(cls):
        "The likely duplicate the wizard was opened from"
        Duplicate = Pool().get('concertes.party.duplicate')
        context = Transaction().context
        if (context.get('active_model') == Duplicate.__name__
                and context.get('active_id')):
            return Duplicate(context['active_id'])

    @classmethod
    def default_source(cls):
        duplicate = cls._duplicate()
        if duplicate:
            return duplicate.other.id
        return super().default_source()

    @classmethod
    def default_destination(cls):
        duplicate = cls._duplicate()
        if duplicate:
            return duplicate.party.id
