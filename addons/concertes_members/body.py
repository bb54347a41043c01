# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval

from .common import (
    DateRangeMixin, FieldChecksMixin, SearchRecNameMixin, empty_or,
    overlap_domain, periods_overlap, rec_name_domain)

BODY_ROLES = [
    ('president', "President"),
    ('vice_president', "Vice-President"),
    ('member', "Member"),
    ('secretary', "Secretary"),
    ('treasurer', "Treasurer"),
    ('observer', "Observer"),
    ]


class Body(
        SearchRecNameMixin, DateRangeMixin, DeactivableMixin, ModelSQL,
        ModelView):
    "ConcertES Body"
    __name__ = 'concertes.body'

    code = fields.Char(
        "Code", required=True, strip=True,
        help="The short name used in reports (AG, CA, CWES...).")
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection([
            ('general_assembly', "General Assembly"),
            ('board', "Board"),
            ('working_group', "Working Group"),
            ('committee', "Committee"),
            ('external', "External Body"),
            ], "Kind", required=True, sort=False,
        help="A committee is a standing body of ConcertES that advises one "
        "of its services (e.g. the scientific committee of the "
        "Observatory).")
    scope = fields.Selection([
            ('internal', "Internal"),
            ('external', "External"),
            ], "Scope", required=True,
        help="Internal bodies belong to ConcertES, external bodies to others.")
    organisation = fields.Many2One(
        'party.party', "Organisation", ondelete='RESTRICT',
        help="The organisation that runs the body.")
    start_date = fields.Date("Start Date")
    end_date = fields.Date(
        "End Date", help="The last day of the body; it cannot meet after.")
    state = fields.Selection([
            ('proposed', "Proposed"),
            ('active', "Active"),
            ('closed', "Closed"),
            ], "State", required=True, sort=False,
        help="Whether the body is proposed, active or closed.")
    origin = fields.Text(
        "Origin",
        states={'invisible': Eval('kind') != 'working_group'},
        help="Where the working group comes from "
        "(a decision, a retreat, a request of members).")
    purpose = fields.Text(
        "Purpose",
        states={'invisible': Eval('kind') != 'working_group'},
        help="What the working group is for.")
    quorum = fields.Integer(
        "Quorum",
        domain=empty_or('quorum', ('>', 0), ('<=', 100)),
        help="The share, in percent, of the seats that must be present or "
        "represented for the body to decide.\n"
        "Leave empty when the body has no quorum.")
    description = fields.Text("Description", translate=True)
    members = fields.One2Many('concertes.body.member', 'body', "Composition")
    meetings = fields.One2Many('concertes.meeting', 'body', "Meetings")
    seat_count = fields.Function(fields.Integer(
            "Seats",
            help="The number of voting seats today: the members of ConcertES "
            "for the general assembly, the seats held otherwise."),
        'get_seat_count')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_uniq', Unique(t, t.code),
                'concertes_members.msg_body_code_unique'),
            ]
        cls._order = [('kind', 'ASC'), ('code', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_scope():
        return 'internal'

    @staticmethod
    def default_state():
        return 'active'

    @fields.depends('kind')
    def on_change_kind(self):
        if self.kind:
            self.scope = 'external' if self.kind == 'external' else 'internal'

    def get_rec_name(self, name):
        return '%s - %s' % (self.code, self.name)

    def is_open_at(self, date):
        return periods_overlap(self.start_date, self.end_date, date, date)

    @classmethod
    def open_during_domain(cls, start, end):
        "The domain of the bodies open at some day between start and end"
        return [
            ['OR', ('start_date', '=', None), ('start_date', '<=', end)],
            ['OR', ('end_date', '=', None), ('end_date', '>=', start)],
            ]

    def composition_at(self, date):
        """Return the voting seats at the date as (organisation, person)
        pairs of ids (None when unknown).

        The general assembly is made of the members of ConcertES at the date;
        the other bodies of the seats held at the date, observers excluded.
        """
        pool = Pool()
        Membership = pool.get('concertes.membership')
        BodyMember = pool.get('concertes.body.member')
        if self.kind == 'general_assembly':
            return [(p, None) for p in Membership.members_at(date)]
        seats = BodyMember.search([
                ('body', '=', self.id),
                ('role', '!=', 'observer'),
                ] + BodyMember.active_at_domain(date))
        return [(s.organisation.id if s.organisation else None,
                s.representative.id if s.representative else None)
            for s in seats]

    def sitting_at(self, date):
        "Return the ids of the parties (organisations and people) sitting"
        pool = Pool()
        BodyMember = pool.get('concertes.body.member')
        Membership = pool.get('concertes.membership')
        parties = set()
        if self.kind == 'general_assembly':
            parties.update(Membership.members_at(date))
        for seat in BodyMember.search([
                    ('body', '=', self.id),
                    ] + BodyMember.active_at_domain(date)):
            if seat.organisation:
                parties.add(seat.organisation.id)
            if seat.representative:
                parties.add(seat.representative.id)
        return parties

    @classmethod
    def get_seat_count(cls, bodies, name):
        today = dt.date.today()
        return {b.id: len(b.composition_at(today)) for b in bodies}


class BodyMember(FieldChecksMixin, DateRangeMixin, ModelSQL, ModelView):
    "ConcertES Body Member"
    __name__ = 'concertes.body.member'
    _field_checks = {
        'check_same_seat': {
            'body', 'representative', 'organisation', 'start_date',
            'end_date'},
        }

    body = fields.Many2One(
        'concertes.body', "Body", required=True, ondelete='CASCADE')
    organisation = fields.Many2One(
        'party.party', "Organisation", ondelete='RESTRICT',
        help="The organisation on whose behalf the seat is held.")
    representative = fields.Many2One(
        'party.party', "Representative", ondelete='RESTRICT',
        help="The person who sits in the body.")
    role = fields.Selection(BODY_ROLES, "Role", required=True, sort=False)
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date")
    body_kind = fields.Function(fields.Selection(
            'get_body_kinds', "Body Kind"), 'on_change_with_body_kind')
    active_today = fields.Function(
        fields.Boolean("Active Today"), 'get_active_today',
        searcher='search_active_today')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.body, Index.Range())))
        cls._order = [
            ('body', 'ASC'), ('start_date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_role():
        return 'member'

    @classmethod
    def get_body_kinds(cls):
        Body = Pool().get('concertes.body')
        return Body.fields_get(['kind'])['kind']['selection']

    @fields.depends('body', '_parent_body.kind')
    def on_change_with_body_kind(self, name=None):
        return self.body.kind if self.body else None

    @classmethod
    def active_at_domain(cls, date):
        "The domain of the seats held at the date"
        return overlap_domain(date, date)

    def get_rec_name(self, name):
        who = self.representative or self.organisation
        return '%s: %s' % (self.body.code, who.rec_name if who else '')

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, [
                'body.rec_name',
                'organisation.rec_name',
                'representative.rec_name',
                ])

    def is_active_at(self, date):
        return periods_overlap(self.start_date, self.end_date, date, date)

    def get_active_today(self, name):
        return self.is_active_at(dt.date.today())

    @classmethod
    def search_active_today(cls, name, clause):
        _, operator, value = clause[:3]
        domain = cls.active_at_domain(dt.date.today())
        if (operator == '=') != bool(value):
            domain = ['NOT', domain]
        return domain

    @classmethod
    def check_same_seat(cls, members):
        for member in members:
            if member.representative:
                who = ('representative', '=', member.representative.id)
            elif member.organisation:
                who = ('organisation', '=', member.organisation.id)
            else:
                continue
            domain = [
                ('id', '!=', member.id),
                ('body', '=', member.body.id),
                who,
                ] + overlap_domain(member.start_date, member.end_date)
            if cls.search(domain, limit=1):
                raise ValidationError(gettext(
                        'concertes_members.msg_body_member_overlap',
                        member=member.rec_name))
