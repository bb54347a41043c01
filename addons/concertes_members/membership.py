# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.pyson import Eval, If


class Membership(Workflow, ModelSQL, ModelView):
    "ConcertES Membership"
    __name__ = 'concertes.membership'

    party = fields.Many2One(
        'party.party', "Organisation", required=True, ondelete='CASCADE',
        states={'readonly': Eval('state') != 'applicant'},
        help="The member organisation.")
    start_date = fields.Date(
        "Start Date",
        states={
            'required': Eval('state').in_(['member', 'resigned', 'excluded']),
            },
        help="The day the organisation became a member.")
    end_date = fields.Date(
        "End Date",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')), ())],
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
        help="The general assembly that admitted the member.")
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
                'admit': {
                    'invisible': Eval('state') != 'applicant',
                    'depends': ['state'],
                    },
                'resign': {
                    'invisible': Eval('state') != 'member',
                    'depends': ['state'],
                    },
                'exclude': {
                    'invisible': Eval('state') != 'member',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'applicant'

    def get_rec_name(self, name):
        return '%s (%s)' % (self.party.rec_name, self.start_date or '')

    def get_active_today(self, name):
        return self.is_active_at(dt.date.today())

    def is_active_at(self, date):
        return (self.state in {'member', 'resigned', 'excluded'}
            and self.start_date and self.start_date <= date
            and (not self.end_date or self.end_date >= date))

    @classmethod
    def members_at(cls, date):
        "Return the ids of the parties that are members at the date"
        memberships = cls.search([
                ('state', 'in', ['member', 'resigned', 'excluded']),
                ('start_date', '<=', date),
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>=', date),
                    ],
                ])
        return sorted({m.party.id for m in memberships})

    @classmethod
    def validate_fields(cls, memberships, field_names):
        super().validate_fields(memberships, field_names)
        if field_names & {'party', 'start_date', 'end_date', 'state'}:
            cls.check_overlap(memberships)

    @classmethod
    def check_overlap(cls, memberships):
        for membership in memberships:
            if not membership.start_date:
                continue
            domain = [
                ('id', '!=', membership.id),
                ('party', '=', membership.party.id),
                ('start_date', '!=', None),
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>=', membership.start_date),
                    ],
                ]
            if membership.end_date:
                domain.append(('start_date', '<=', membership.end_date))
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
        today = dt.date.today()
        for membership in memberships:
            if not membership.end_date:
                membership.end_date = max(today, membership.start_date)
        cls.save(memberships)
