# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from sql import Null

from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

ACCREDITED_STATES = ['granted', 'renewed']
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


def context_date(key='accreditation_date'):
    "The date of the context (today by default)"
    date = Transaction().context.get(key)
    if isinstance(date, dt.datetime):
        date = date.date()
    return date or dt.date.today()


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
        Activity = Pool().get('concertes.enterprise.activity')
        result = dict.fromkeys((p.id for p in parties), None)
        for activity in Activity.search([
                    ('party', 'in', [p.id for p in parties]),
                    ('classification', '=', 'main'),
                    ], order=[('nace_version', 'ASC'), ('id', 'ASC')]):
            result[activity.party.id] = activity.rec_name
        return result

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
            & (accreditation.valid_from <= date)
            & ((accreditation.valid_to == Null)
                | (accreditation.valid_to >= date)))
        if types is not None:
            where &= accreditation.type.in_(types)
        return accreditation.select(accreditation.party, where=where)

    @classmethod
    def get_accredited(cls, parties, name):
        cursor = Transaction().connection.cursor()
        ids = [p.id for p in parties]
        query = cls.accredited_query(context_date())
        cursor.execute(*query)
        accredited = {r for r, in cursor} & set(ids)
        return {i: i in accredited for i in ids}

    @classmethod
    def search_accredited(cls, name, clause):
        _, operator, value = clause[:3]
        query = cls.accredited_query(context_date())
        positive = (operator == '=') == bool(value)
        if operator not in {'=', '!='}:
            positive = bool(value)
        return [('id', 'in' if positive else 'not in', query)]


class Activity(ModelSQL, ModelView):
    "ConcertES Enterprise Activity"
    __name__ = 'concertes.enterprise.activity'

    party = fields.Many2One(
        'party.party', "Enterprise", required=True, ondelete='CASCADE')
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
        cls.__access__.add('party')

    def get_rec_name(self, name):
        return '%s (%s)' % (self.nace.rec_name, self.nace_version)


class Establishment(ModelSQL, ModelView):
    "ConcertES Establishment Unit"
    __name__ = 'concertes.enterprise.establishment'

    party = fields.Many2One(
        'party.party', "Enterprise", required=True, ondelete='CASCADE')
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
        cls.__access__.add('party')

    def get_rec_name(self, name):
        return ' – '.join(filter(None, [
                    self.number, self.name, self.city]))
