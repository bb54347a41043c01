# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import re

from sql import Null

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.concertes_members.common import context_date, party_values
from trytond.modules.concertes_members.party import REGIONS, SECTOR_FAMILIES
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

ACCREDITED_STATES = ['granted', 'renewed']
DIRECTORY_PAGE_SIZE = 20
DIRECTORY_PARAMETERS = {
    'name', 'place', 'accreditation', 'sector', 'region', 'page', 'lang'}
# Markup and control characters
FORBIDDEN = re.compile(r'[<>{}\\\x00-\x1f\x7f]')
NACE_VERSIONS = [
    ('2003', "NACE-BEL 2003"),
    ('2008', "NACE-BEL 2008"),
    ('2025', "NACE-BEL 2025"),
    ]
CLASSIFICATIONS = [
    ('main', "Main"),
    ('secondary', "Secondary"),
    ('ancillary', "Ancillary"),
    ]


def valid_on(accreditation, date):
    """The SQL condition that the accreditation (a table) is valid on date:
    from its start to its end, if any"""
    return ((accreditation.valid_from <= date)
        & ((accreditation.valid_to == Null)
            | (accreditation.valid_to >= date)))


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    legal_form = fields.Many2One(
        'concertes.kbo.code', "Legal Form", ondelete='RESTRICT',
        domain=[('category', '=', 'JuridicalForm')],
        help="The juridical form of the enterprise in the BCE/KBO.")
    legal_situation = fields.Many2One(
        'concertes.kbo.code', "Legal Situation", ondelete='RESTRICT',
        domain=[('category', '=', 'JuridicalSituation')],
        help="The juridical situation of the enterprise in the BCE/KBO "
        "(normal situation, bankruptcy, liquidation...).")
    enterprise_start_date = fields.Date(
        "Start Date", help="The start date of the enterprise in the BCE/KBO.")
    enterprise_status = fields.Selection([
            (None, ""),
            ('active', "Active"),
            ('stopped', "Stopped"),
            ], "Enterprise Status",
        help="Whether the enterprise is active or stopped in the BCE/KBO.")
    struck_off = fields.Boolean(
        "Struck Off",
        help="The enterprise is no longer in the BCE/KBO "
        "(struck off or removed by an update extract).")
    activities = fields.One2Many(
        'concertes.enterprise.activity', 'party', "Activities",
        help="The NACE activities of the enterprise in the BCE/KBO.")
    main_activity = fields.Function(fields.Char(
            "Main Activity",
            help="The main NACE activity of the enterprise "
            "(of the latest version)."),
        'get_main_activity')
    establishments = fields.One2Many(
        'concertes.enterprise.establishment', 'party',
        "Establishment Units")
    website = fields.Char("Website")
    directory_public = fields.Boolean(
        "In the Public Directory",
        help="Show the enterprise in the public directory of the "
        "social economy.")
    demo_data = fields.Boolean(
        "Demo Data", readonly=True,
        help="The record was made by the demo and is not real.")
    accreditations = fields.One2Many(
        'concertes.accreditation', 'party', "Accreditations")
    accredited = fields.Function(fields.Boolean(
            "Accredited",
            help="The enterprise holds an accreditation today "
            "(or at the date given in the context)."),
        'get_accredited', searcher='search_accredited')
    postal_code = fields.Function(fields.Char(
            "Postal Code", help="The postal code of the main address."),
        'get_address_field', searcher='search_address_field')
    city = fields.Function(fields.Char(
            "City", help="The municipality of the main address."),
        'get_address_field', searcher='search_address_field')
    kbo_values = fields.Text(
        "Values of the Register", readonly=True,
        help="The values the last BCE/KBO import set (JSON), "
        "to tell a change by hand from a change of the register.")
    kbo_changes = fields.One2Many(
        'concertes.kbo.change', 'party', "Changes from the Register",
        readonly=True)

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="directory"]', 'states', {
                    'invisible': Eval('organisation_kind') != 'enterprise',
                    }),
            ]

    @staticmethod
    def default_directory_public():
        return False

    @staticmethod
    def default_struck_off():
        return False

    @classmethod
    def get_main_activity(cls, parties, name):
        return party_values(
            parties, 'concertes.enterprise.activity',
            [('classification', '=', 'main')], lambda a: a.rec_name,
            order=[('nace_version', 'ASC'), ('id', 'ASC')])

    @classmethod
    def get_address_field(cls, parties, name):
        result = {}
        for party in parties:
            address = party.addresses[0] if party.addresses else None
            result[party.id] = getattr(address, name, None)
        return result

    @classmethod
    def search_address_field(cls, name, clause):
        return [('addresses.' + name, *clause[1:])]

    @classmethod
    def accredited_query(cls, date, types=None):
        "The SQL query of the ids of the parties accredited on date"
        Accreditation = Pool().get('concertes.accreditation')
        accreditation = Accreditation.__table__()
        where = (accreditation.state.in_(ACCREDITED_STATES)
            & valid_on(accreditation, date))
        if types is not None:
            where &= accreditation.type.in_(types)
        return accreditation.select(accreditation.party, where=where)

    @classmethod
    def get_accredited(cls, parties, name):
        cursor = Transaction().connection.cursor()
        ids = [p.id for p in parties]
        query = cls.accredited_query(context_date('accreditation_date'))
        cursor.execute(*query)
        accredited = {r for r, in cursor} & set(ids)
        return {i: i in accredited for i in ids}

    @classmethod
    def search_accredited(cls, name, clause):
        _, operator, value = clause[:3]
        query = cls.accredited_query(context_date('accreditation_date'))
        positive = (operator == '=') == bool(value)
        if operator not in {'=', '!='}:
            positive = bool(value)
        return [('id', 'in' if positive else 'not in', query)]

    @classmethod
    def directory_criteria(cls, args):
        """The criteria of the query parameters args (a dict of strings)

        Raise a UserError naming the bad parameter."""
        pool = Pool()
        Type = pool.get('concertes.accreditation.type')
        criteria = {'page': 1}
        for name, value in args.items():
            if name not in DIRECTORY_PARAMETERS:
                raise UserError(gettext(
                        'concertes_directory.msg_directory_unknown_parameter',
                        name=name[:50]))
            value = ' '.join(value.split())
            if not value or name == 'lang':
                continue
            if len(value) > 100:
                raise UserError(gettext(
                        'concertes_directory.msg_directory_too_long',
                        name=name, limit=100))
            if FORBIDDEN.search(value):
                raise UserError(gettext(
                        'concertes_directory.msg_directory_characters',
                        name=name))
            if name == 'page':
                if not value.isdigit() or not 0 < int(value) <= 1000:
                    raise UserError(gettext(
                            'concertes_directory.msg_directory_page',
                            limit=1000))
                value = int(value)
            elif name == 'place' and value.isdigit() and len(value) != 4:
                raise UserError(gettext(
                        'concertes_directory.msg_directory_postal_code',
                        value=value))
            elif name == 'accreditation':
                types = Type.search([('code', '=', value)], limit=1)
                if not types:
                    raise UserError(gettext(
                            'concertes_directory'
                            '.msg_directory_unknown_accreditation',
                            value=value))
                value, = types
            elif name in {'sector', 'region'} and value not in dict(
                    SECTOR_FAMILIES if name == 'sector' else REGIONS):
                raise UserError(gettext(
                        'concertes_directory.msg_directory_unknown_choice',
                        name=name, value=value))
            criteria[name] = value
        return criteria

    @classmethod
    def directory_domain(cls, criteria):
        """The domain of the public enterprises matching criteria

        criteria (checked by the caller): name, place (a postal code of four
        digits or a municipality), accreditation (a type), sector, region"""
        domain = [
            ('directory_public', '=', True),
            ('organisation_kind', '=', 'enterprise'),
            ('struck_off', '!=', True),
            ]
        if criteria.get('name'):
            domain.append(('name', 'ilike', '%' + criteria['name'] + '%'))
        place = criteria.get('place')
        if place and place.isdigit():
            domain.append(('addresses.postal_code', '=', place))
        elif place:
            domain.append(('addresses.city', 'ilike', '%' + place + '%'))
        if criteria.get('accreditation'):
            domain.append(('id', 'in', cls.accredited_query(
                        context_date('accreditation_date'),
                        [criteria['accreditation'].id])))
        if criteria.get('sector'):
            domain.append(('sector_families', 'in', [criteria['sector']]))
        if criteria.get('region'):
            domain.append(('regions', 'in', [criteria['region']]))
        return domain

    @classmethod
    def directory_search(cls, criteria):
        "(count, parties) of the page of the public enterprises found"
        domain = cls.directory_domain(criteria)
        parties = cls.search(domain,
            offset=(criteria.get('page', 1) - 1) * DIRECTORY_PAGE_SIZE,
            limit=DIRECTORY_PAGE_SIZE, order=[('name', 'ASC'), ('id', 'ASC')])
        return cls.search_count(domain), parties

    @classmethod
    def directory_get(cls, party_id):
        "The public enterprise of the id, else None"
        if not 0 < party_id < 2 ** 31:
            return None
        parties = cls.search(
            cls.directory_domain({}) + [('id', '=', party_id)], limit=1)
        return parties[0] if parties else None

    def directory_data(self, full=True):
        """What the public may read: the enterprise, never people

        No contact mechanism is given: they may name persons."""
        Party = Pool().get('party.party')
        labels = Party.fields_get(['regions', 'sector_families'])
        regions = dict(labels['regions']['selection'])
        sectors = dict(labels['sector_families']['selection'])
        address = self.addresses[0] if self.addresses else None
        data = {
            'id': self.id,
            'name': self.name,
            'enterprise_number': self.enterprise_number,
            'address': {
                'street': address.street_single_line,
                'postal_code': address.postal_code,
                'city': address.city,
                } if address else None,
            'accreditations': [{
                    'type': a.type.code,
                    'name': a.type.name,
                    'state': a.state,
                    'state_label': a.state_string,
                    'decision_date': _iso(a.decision_date),
                    'valid_from': _iso(a.valid_from),
                    'valid_to': _iso(a.valid_to),
                    } for a in self.accreditations if a.state != 'applied'],
            'regions': [{'code': r, 'name': regions[r]}
                for r in self.regions or []],
            'sector_families': [{'code': s, 'name': sectors[s]}
                for s in self.sector_families or []],
            'website': self.website,
            }
        if full:
            data.update({
                    'legal_form': (self.legal_form.description()
                        if self.legal_form else None),
                    'start_date': _iso(self.enterprise_start_date),
                    'status': self.enterprise_status,
                    'activities': [{
                            'code': a.nace.code,
                            'name': a.nace.description(),
                            'nace_version': a.nace_version,
                            'classification': a.classification,
                            } for a in self.activities],
                    'establishments': [{
                            'name': e.name,
                            'street': e.street,
                            'postal_code': e.postal_code,
                            'city': e.city,
                            } for e in self.establishments],
                    })
        return data


class EnterpriseRecordMixin:
    "A record of an enterprise in the BCE/KBO, gone with the enterprise"
    __slots__ = ()

    party = fields.Many2One(
        'party.party', "Enterprise", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')


class Activity(EnterpriseRecordMixin, ModelSQL, ModelView):
    "ConcertES Enterprise Activity"
    __name__ = 'concertes.enterprise.activity'

    nace_version = fields.Selection(
        NACE_VERSIONS, "NACE Version", required=True)
    nace = fields.Many2One(
        'concertes.kbo.code', "NACE Code", required=True,
        ondelete='RESTRICT',
        domain=[('category', 'in', ['Nace2003', 'Nace2008', 'Nace2025'])])
    classification = fields.Selection(
        CLASSIFICATIONS, "Classification", required=True)
    group = fields.Char(
        "Activity Group",
        help="The activity group of the BCE/KBO (001 VAT, 006 ONSS...).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('party', 'ASC'), ('classification', 'ASC'),
            ('nace_version', 'DESC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return '%s (%s)' % (self.nace.rec_name, self.nace_version)


class Establishment(EnterpriseRecordMixin, ModelSQL, ModelView):
    "ConcertES Establishment Unit"
    __name__ = 'concertes.enterprise.establishment'

    number = fields.Char(
        "Establishment Number", required=True,
        help="The number of the unit in the BCE/KBO, as 2.xxx.xxx.xxx.")
    name = fields.Char("Name")
    start_date = fields.Date("Start Date")
    street = fields.Char("Street")
    postal_code = fields.Char("Postal Code")
    city = fields.Char("City")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(table, table.number),
                'concertes_directory.msg_establishment_unique'),
            ]
        cls._order = [('number', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return ' – '.join(filter(None, [
                    self.number, self.name, self.city]))


def _iso(date):
    return date.isoformat() if date else None
