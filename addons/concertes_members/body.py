# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.model.exceptions import ValidationError
from trytond.pyson import Eval, If

BODY_ROLES = [
    ('president', "President"),
    ('vice_president', "Vice-President"),
    ('member', "Member"),
    ('secretary', "Secretary"),
    ('treasurer', "Treasurer"),
    ('observer', "Observer"),
    ]


class Body(DeactivableMixin, ModelSQL, ModelView):
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
            ('external', "External Body"),
            ], "Kind", required=True, sort=False)
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
        "End Date",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    description = fields.Text("Description", translate=True)
    members = fields.One2Many('concertes.body.member', 'body', "Composition")
    meetings = fields.One2Many('concertes.meeting', 'body', "Meetings")

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

    @fields.depends('kind')
    def on_change_kind(self):
        if self.kind:
            self.scope = 'external' if self.kind == 'external' else 'internal'

    def get_rec_name(self, name):
        return '%s - %s' % (self.code, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('code', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]

    def is_open_at(self, date):
        return ((not self.start_date or self.start_date <= date)
            and (not self.end_date or self.end_date >= date))


class BodyMember(ModelSQL, ModelView):
    "ConcertES Body Member"
    __name__ = 'concertes.body.member'

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
    end_date = fields.Date(
        "End Date",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')), ())])
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

    def get_rec_name(self, name):
        who = self.representative or self.organisation
        return '%s: %s' % (self.body.code, who.rec_name if who else '')

    def is_active_at(self, date):
        return (self.start_date <= date
            and (not self.end_date or self.end_date >= date))

    def get_active_today(self, name):
        return self.is_active_at(dt.date.today())

    @classmethod
    def search_active_today(cls, name, clause):
        _, operator, value = clause[:3]
        today = dt.date.today()
        domain = [
            ('start_date', '<=', today),
            ['OR', ('end_date', '=', None), ('end_date', '>=', today)],
            ]
        if (operator == '=') != bool(value):
            domain = ['NOT', domain]
        return domain

    @classmethod
    def validate_fields(cls, members, field_names):
        super().validate_fields(members, field_names)
        if field_names & {
                'body', 'representative', 'organisation', 'start_date',
                'end_date'}:
            cls.check_same_seat(members)

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
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>=', member.start_date),
                    ],
                ]
            if member.end_date:
                domain.append(('start_date', '<=', member.end_date))
            if cls.search(domain, limit=1):
                raise ValidationError(gettext(
                        'concertes_members.msg_body_member_overlap',
                        member=member.rec_name))
