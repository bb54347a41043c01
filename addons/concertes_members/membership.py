# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import (
    DateRangeMixin, FieldChecksMixin, overlap_domain, periods_overlap,
    shown_in, stamp_today)

MEMBER_STATES = ['member', 'resigned', 'excluded']


class Membership(
        FieldChecksMixin, DateRangeMixin, Workflow, ModelSQL, ModelView):
    "ConcertES Membership"
    __name__ = 'concertes.membership'
    _field_checks = {
        'check_admission': {'start_date', 'admission_meeting'},
        'check_overlap': {'party', 'start_date', 'end_date', 'state'},
        }

    party = fields.Many2One(
        'party.party', "Organisation", required=True, ondelete='CASCADE',
        states={'readonly': Eval('state') != 'applicant'},
        help="The member organisation.")
    application_date = fields.Date(
        "Application Date",
        states={'readonly': Eval('state') != 'applicant'},
        help="The day the organisation applied to become a member.")
    start_date = fields.Date(
        "Start Date",
        states={
            'required': Eval('state').in_(MEMBER_STATES),
            },
        help="The day the organisation became a member.")
    end_date = fields.Date(
        "End Date",
        states={
            'required': Eval('state').in_(['resigned', 'excluded']),
            },
        help="The last day of the membership.")
    state = fields.Selection([
            ('applicant', "Applicant"),
            ('member', "Member"),
            ('resigned', "Resigned"),
            ('excluded', "Excluded"),
            ], "State", readonly=True, required=True, sort=False)
    leaving_reason = fields.Text(
        "Reason for Leaving",
        states={'invisible': ~Eval('state').in_(['resigned', 'excluded'])})
    admission_meeting = fields.Many2One(
        'concertes.meeting', "Admitted by",
        domain=[('body.kind', '=', 'general_assembly')],
        states={'readonly': Eval('state') != 'applicant'},
        help="The general assembly that admitted the member.")
    fees = fields.One2Many(
        'concertes.membership.fee', 'membership', "Fees",
        states={'readonly': ~Eval('state').in_(MEMBER_STATES)})
    active_today = fields.Function(
        fields.Boolean("Active Today"), 'get_active_today')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Range())),
                Index(t, (t.start_date, Index.Range()),
                    (t.end_date, Index.Range())),
                })
        cls._order = [('start_date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('applicant', 'member'),
            ('member', 'resigned'),
            ('member', 'excluded'),
            ('resigned', 'member'),
            }
        cls._buttons.update({
                'admit': shown_in('applicant'),
                'resign': shown_in('member'),
                'exclude': shown_in('member'),
                })

    @staticmethod
    def default_state():
        return 'applicant'

    @staticmethod
    def default_application_date():
        return dt.date.today()

    def get_rec_name(self, name):
        return '%s (%s)' % (self.party.rec_name, self.start_date or '')

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name',) + tuple(clause[1:])]

    def get_active_today(self, name):
        return self.is_active_at(dt.date.today())

    def is_active_at(self, date):
        return bool(self.state in MEMBER_STATES and self.start_date
            and periods_overlap(self.start_date, self.end_date, date, date))

    @classmethod
    def active_at_domain(cls, date):
        "The domain of the memberships running at the date"
        return [('state', 'in', MEMBER_STATES)] + overlap_domain(date, date)

    @classmethod
    def members_at(cls, date):
        "Return the ids of the parties that are members at the date"
        memberships = cls.search(cls.active_at_domain(date))
        return sorted({m.party.id for m in memberships})

    @classmethod
    def is_member_at(cls, party, date):
        "Whether party is a member at the date"
        return bool(cls.search(
                [('party', '=', int(party))] + cls.active_at_domain(date),
                limit=1))

    @fields.depends('admission_meeting', 'start_date')
    def on_change_admission_meeting(self):
        if self.admission_meeting and self.admission_meeting.start:
            if not self.start_date:
                self.start_date = self.admission_meeting.start.date()

    @classmethod
    def check_admission(cls, memberships):
        for membership in memberships:
            meeting = membership.admission_meeting
            if (meeting and membership.start_date
                    and meeting.start.date() > membership.start_date):
                raise ValidationError(gettext(
                        'concertes_members.msg_membership_admission_date',
                        membership=membership.party.rec_name,
                        meeting=meeting.rec_name,
                        start_date=membership.start_date))

    @classmethod
    def check_overlap(cls, memberships):
        for membership in memberships:
            if not membership.start_date:
                continue
            domain = [
                ('id', '!=', membership.id),
                ('party', '=', membership.party.id),
                ('start_date', '!=', None),
                ] + overlap_domain(membership.start_date, membership.end_date)
            others = cls.search(domain, limit=1)
            if others:
                other, = others
                raise ValidationError(gettext(
                        'concertes_members.msg_membership_overlap',
                        party=membership.party.rec_name,
                        other=other.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('member')
    def admit(cls, memberships):
        today = dt.date.today()
        for membership in memberships:
            if not membership.start_date:
                if membership.admission_meeting:
                    membership.start_date = (
                        membership.admission_meeting.start.date())
                else:
                    membership.start_date = today
        cls.save(memberships)

    @classmethod
    @ModelView.button
    @Workflow.transition('resigned')
    def resign(cls, memberships):
        cls._close(memberships)

    @classmethod
    @ModelView.button
    @Workflow.transition('excluded')
    def exclude(cls, memberships):
        cls._close(memberships)

    @classmethod
    def _close(cls, memberships):
        stamp_today(memberships, 'end_date', not_before='start_date')
        cls.save(memberships)


class MembershipFee(FieldChecksMixin, ModelSQL, ModelView):
    "ConcertES Membership Fee"
    __name__ = 'concertes.membership.fee'
    _field_checks = {
        'check_year': {'membership', 'year'},
        'check_amount': {'amount'},
        }

    membership = fields.Many2One(
        'concertes.membership', "Membership", required=True,
        ondelete='CASCADE',
        domain=[('state', 'in', MEMBER_STATES)])
    party = fields.Function(fields.Many2One(
            'party.party', "Organisation"),
        'get_party', searcher='search_party')
    year = fields.Integer("Year", required=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True,
        help="The amount of the fee in euros.")
    due_date = fields.Date("Due Date", required=True)
    paid_date = fields.Date("Paid Date")
    state = fields.Function(fields.Selection([
                ('paid', "Paid"),
                ('due', "Due"),
                ('late', "Late"),
                ], "State"),
        'get_state', searcher='search_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('membership_year_uniq', Unique(t, t.membership, t.year),
                'concertes_members.msg_membership_fee_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.membership, Index.Range())),
                Index(t, (t.paid_date, Index.Equality(cardinality='low')),
                    where=t.paid_date == None),  # noqa: E711
                })
        cls._order = [('year', 'DESC'), ('due_date', 'ASC'), ('id', 'DESC')]

    @staticmethod
    def default_year():
        return dt.date.today().year

    @fields.depends('year', 'due_date')
    def on_change_year(self):
        if self.year and not self.due_date:
            self.due_date = dt.date(self.year, 3, 31)

    def get_rec_name(self, name):
        return '%s %s' % (self.membership.party.rec_name, self.year)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('membership.party.rec_name',) + tuple(clause[1:])]

    def get_party(self, name):
        return self.membership.party.id

    @classmethod
    def search_party(cls, name, clause):
        return [('membership.party' + clause[0][len(name):],)
            + tuple(clause[1:])]

    @classmethod
    def _today(cls):
        date = Transaction().context.get('date')
        return date or Pool().get('ir.date').today()

    def get_state(self, name):
        if self.paid_date:
            return 'paid'
        elif self.due_date < self._today():
            return 'late'
        return 'due'

    @classmethod
    def search_state(cls, name, clause):
        _, operator, value = clause[:3]
        today = cls._today()
        domains = {
            'paid': [('paid_date', '!=', None)],
            'late': [('paid_date', '=', None), ('due_date', '<', today)],
            'due': [('paid_date', '=', None), ('due_date', '>=', today)],
            }
        if operator in {'=', '!='}:
            values = [value]
        elif operator in {'in', 'not in'}:
            values = list(value)
        else:
            return []
        domain = ['OR'] + [domains[v] for v in values if v in domains]
        if operator.startswith('!') or operator.startswith('not'):
            domain = ['NOT', domain]
        return domain

    @classmethod
    def check_amount(cls, fees):
        for fee in fees:
            if fee.amount < 0:
                raise ValidationError(gettext(
                        'concertes_members.msg_membership_fee_amount',
                        fee=fee.rec_name))

    @classmethod
    def check_year(cls, fees):
        for fee in fees:
            membership = fee.membership
            first = membership.start_date.year
            last = membership.end_date.year if membership.end_date else None
            if fee.year < first or (last and fee.year > last):
                raise ValidationError(gettext(
                        'concertes_members.msg_membership_fee_year',
                        fee=fee.rec_name,
                        membership=membership.rec_name))

    @classmethod
    def unpaid(cls, date=None):
        "Return the fees not paid, ordered by due date"
        domain = [('paid_date', '=', None)]
        if date:
            domain.append(('due_date', '<=', date))
        return cls.search(domain, order=[('due_date', 'ASC'), ('id', 'ASC')])
