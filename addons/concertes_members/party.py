# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

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
    memberships = fields.One2Many(
        'concertes.membership', 'party', "Memberships")
    member = fields.Function(fields.Boolean(
            "Member",
            help="Whether the organisation is a member of ConcertES today "
            "(or at the date given in the context)."),
        'get_member', searcher='search_member')

    @classmethod
    def _member_date(cls):
        context = Transaction().context
        date = context.get('member_date')
        if isinstance(date, dt.datetime):
            date = date.date()
        return date or dt.date.today()

    @classmethod
    def get_member(cls, parties, name):
        Membership = Pool().get('concertes.membership')
        members = set(Membership.members_at(cls._member_date()))
        return {p.id: p.id in members for p in parties}

    @classmethod
    def search_member(cls, name, clause):
        Membership = Pool().get('concertes.membership')
        _, operator, value = clause[:3]
        members = Membership.members_at(cls._member_date())
        positive = (operator == '=') == bool(value)
        return [('id', 'in' if positive else 'not in', members)]
