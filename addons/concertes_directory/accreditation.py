# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from dateutil.relativedelta import relativedelta

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Workflow, fields)
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    CodeListMixin, FieldChecksMixin, UniqueCodeMixin, context_date, empty_or,
    overlap_domain, periods_overlap, shown_in, stamp_today)
from trytond.modules.concertes_members.party import REGIONS
from trytond.pool import Pool
from trytond.pyson import Eval, If

from .party import ACCREDITED_STATES

# The renewals listed for a meeting of the advisory body
RENEWAL_MONTHS = 6
STATES = [
    ('applied', "Applied"),
    ('granted', "Granted"),
    ('renewed', "Renewed"),
    ('suspended', "Suspended"),
    ('withdrawn', "Withdrawn"),
    ('expired', "Expired"),
    ]


class AccreditationType(
        UniqueCodeMixin, CodeListMixin, DeactivableMixin, ModelSQL,
        ModelView):
    "ConcertES Accreditation Type"
    __name__ = 'concertes.accreditation.type'
    _code_unique_message = (
        'concertes_directory.msg_accreditation_type_code_unique')

    code = fields.Char(
        "Code", required=True, help="The short name (IES, EI, CISP...).")
    name = fields.Char("Name", required=True, translate=True)
    legal_basis = fields.Char(
        "Legal Basis", translate=True,
        help="The decree, ordinance or law of the accreditation.")
    legal_basis_date = fields.Date("Date of the Legal Basis")
    authority = fields.Char(
        "Granting Authority", translate=True,
        help="The authority that grants the accreditation.")
    region = fields.Selection(
        [(None, "")] + REGIONS, "Region", sort=False)
    advisory_body = fields.Many2One(
        'concertes.body', "Advisory Body", ondelete='RESTRICT',
        help="The body that gives its opinion on the files "
        "(COMES, CCES...).")
    prerequisite = fields.Many2One(
        'concertes.accreditation.type', "Prerequisite",
        ondelete='RESTRICT',
        help="The accreditation the enterprise must hold first "
        "(e.g. IES for EI).")
    validity_months = fields.Integer(
        "Validity (Months)",
        domain=empty_or('validity_months', ('>', 0)),
        help="How long a grant or a renewal is valid; "
        "empty for no limit.")
    duties = fields.One2Many(
        'concertes.accreditation.duty', 'type', "Reporting Duties")


class ReportingDuty(ModelSQL, ModelView):
    "ConcertES Accreditation Reporting Duty"
    __name__ = 'concertes.accreditation.duty'

    type = fields.Many2One(
        'concertes.accreditation.type', "Accreditation Type",
        required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True, translate=True)
    due_month = fields.Integer(
        "Due Month", required=True,
        domain=[('due_month', '>=', 1), ('due_month', '<=', 12)])
    due_day = fields.Integer(
        "Due Day", required=True,
        domain=[('due_day', '>=', 1), ('due_day', '<=', 31)],
        help="The day of the month by which the report is due each year.")

    def due_date(self, year):
        "The due date in year (the last day of the month at most)"
        first = dt.date(year, self.due_month, 1)
        last = first + relativedelta(months=1, days=-1)
        return min(first.replace(day=min(self.due_day, last.day)), last)

    def next_due_date(self, date):
        "The first due date on or after date"
        due = self.due_date(date.year)
        return due if due >= date else self.due_date(date.year + 1)


class Accreditation(FieldChecksMixin, Workflow, ModelSQL, ModelView):
    "ConcertES Accreditation"
    __name__ = 'concertes.accreditation'
    _field_checks = {
        'check_valid_to_after_from': {'valid_from', 'valid_to'},
        'check_overlap': {
            'party', 'type', 'state', 'valid_from', 'valid_to'},
        }

    _states = {'readonly': Eval('state').in_(['withdrawn', 'expired'])}

    party = fields.Many2One(
        'party.party', "Enterprise", required=True, ondelete='RESTRICT',
        states=_states)
    type = fields.Many2One(
        'concertes.accreditation.type', "Type", required=True,
        ondelete='RESTRICT', states=_states)
    state = fields.Selection(STATES, "State", readonly=True, sort=False)
    state_string = state.translated('state')
    application_date = fields.Date(
        "Application Date", states=_states,
        help="The day the file was filed.")
    decision_date = fields.Date(
        "Decision Date", states=_states,
        help="The day of the decision that granted (or renewed) it.")
    decision_reference = fields.Char(
        "Decision Reference", states=_states,
        help="The reference of the ministerial order or decision.")
    valid_from = fields.Date("Valid From", states=_states)
    valid_to = fields.Date(
        "Valid To", states=_states,
        help="The last day of validity; empty for no end.")
    withdrawal_date = fields.Date(
        "Withdrawal Date", states=_states)
    meeting = fields.Many2One(
        'concertes.meeting', "Meeting of the Advisory Body",
        ondelete='RESTRICT', states=_states,
        domain=[If(Eval('advisory_body'),
                ('body', '=', Eval('advisory_body', -1)), ())],
        help="The meeting that examined the file.")
    advisory_body = fields.Function(fields.Many2One(
            'concertes.body', "Advisory Body"),
        'on_change_with_advisory_body')
    region = fields.Function(fields.Selection(
            [(None, "")] + REGIONS, "Region"),
        'on_change_with_region')
    reports = fields.One2Many(
        'concertes.accreditation.report', 'accreditation', "Reports",
        states=_states)
    notes = fields.Text("Notes")
    in_force = fields.Function(fields.Boolean(
            "In Force",
            help="The accreditation is valid today "
            "(or at the date given in the context)."),
        'get_in_force', searcher='search_in_force')

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('valid_from', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls.__access__.add('party')
        cls._transitions |= {
            ('applied', 'granted'),
            ('applied', 'withdrawn'),
            ('granted', 'renewed'),
            ('renewed', 'renewed'),
            ('granted', 'suspended'),
            ('renewed', 'suspended'),
            ('suspended', 'granted'),
            ('granted', 'withdrawn'),
            ('renewed', 'withdrawn'),
            ('suspended', 'withdrawn'),
            ('granted', 'expired'),
            ('renewed', 'expired'),
            ('suspended', 'expired'),
            }
        cls._buttons.update({
                'grant': shown_in('applied', 'suspended'),
                'renew': shown_in('granted', 'renewed'),
                'suspend': shown_in('granted', 'renewed'),
                'withdraw': {
                    'invisible': Eval('state').in_(['withdrawn', 'expired']),
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'applied'

    @fields.depends('type')
    def on_change_with_advisory_body(self, name=None):
        return self.type.advisory_body if self.type else None

    @fields.depends('type')
    def on_change_with_region(self, name=None):
        return self.type.region if self.type else None

    def get_rec_name(self, name):
        return '%s – %s' % (self.type.code, self.party.rec_name)

    @classmethod
    def files_to_examine(cls, meeting):
        """The files for the advisory body at meeting: [(kind, date,
        accreditation)] with kind 'application' (applied, linked to the
        meeting or not yet to any), 'renewal' (ending within
        RENEWAL_MONTHS after the meeting) or 'examined' (linked, decided)"""
        date = meeting.date
        files = []
        for accreditation in cls.search(['OR',
                    ('meeting', '=', meeting.id),
                    [('type.advisory_body', '=', meeting.body.id),
                        ['OR',
                            [('state', '=', 'applied'),
                                ('meeting', '=', None)],
                            [('state', 'in', ACCREDITED_STATES),
                                ('valid_to', '>=', date),
                                ('valid_to', '<=', date + relativedelta(
                                        months=RENEWAL_MONTHS))],
                            ]],
                    ], order=[('id', 'ASC')]):
            if accreditation.state == 'applied':
                files.append(('application',
                        accreditation.application_date, accreditation))
            elif accreditation.meeting != meeting:
                files.append(('renewal', accreditation.valid_to,
                        accreditation))
            else:
                files.append(('examined', accreditation.decision_date,
                        accreditation))
        order = {'application': 0, 'renewal': 1, 'examined': 2}
        return sorted(files, key=lambda f: (
                order[f[0]], f[2].party.rec_name, f[2].id))

    @classmethod
    def in_force_domain(cls, date):
        return [('state', 'in', ACCREDITED_STATES)] + overlap_domain(
            date, date, 'valid_from', 'valid_to')

    @classmethod
    def get_in_force(cls, accreditations, name):
        date = context_date('accreditation_date')
        return {a.id: (a.state in ACCREDITED_STATES
                and a.valid_from is not None
                and periods_overlap(a.valid_from, a.valid_to, date, date))
            for a in accreditations}

    @classmethod
    def search_in_force(cls, name, clause):
        _, operator, value = clause[:3]
        domain = cls.in_force_domain(context_date('accreditation_date'))
        if (operator == '=') == bool(value):
            return domain
        return ['NOT', domain]

    @classmethod
    def check_valid_to_after_from(cls, accreditations):
        "An accreditation is not valid to a day before it is valid from"
        for accreditation in accreditations:
            if (accreditation.valid_from and accreditation.valid_to
                    and accreditation.valid_to < accreditation.valid_from):
                raise ValidationError(gettext(
                        'concertes_directory'
                        '.msg_accreditation_valid_to_before_from',
                        accreditation=accreditation.rec_name,
                        valid_to=accreditation.valid_to,
                        valid_from=accreditation.valid_from))

    @classmethod
    def check_overlap(cls, accreditations):
        "Two accreditations of one type for one enterprise never overlap"
        for accreditation in accreditations:
            if (accreditation.state == 'withdrawn'
                    or not accreditation.valid_from):
                continue
            domain = [
                ('id', '!=', accreditation.id),
                ('party', '=', accreditation.party.id),
                ('type', '=', accreditation.type.id),
                ('state', '!=', 'withdrawn'),
                ('valid_from', '!=', None),
                ] + overlap_domain(
                accreditation.valid_from, accreditation.valid_to,
                'valid_from', 'valid_to')
            others = cls.search(domain, limit=1)
            if others:
                other, = others
                raise ValidationError(gettext(
                        'concertes_directory.msg_accreditation_overlap',
                        accreditation=accreditation.rec_name,
                        other_from=other.valid_from,
                        other_to=other.valid_to or '…'))

    @classmethod
    @ModelView.button
    @Workflow.transition('granted')
    def grant(cls, accreditations):
        "Grant: from the decision date for the validity of the type"
        for accreditation in accreditations:
            if accreditation.state == 'suspended':
                continue
            if not accreditation.decision_date:
                raise ValidationError(gettext(
                        'concertes_directory'
                        '.msg_accreditation_grant_without_decision',
                        accreditation=accreditation.rec_name))
            if not accreditation.valid_from:
                accreditation.valid_from = accreditation.decision_date
            if (not accreditation.valid_to
                    and accreditation.type.validity_months):
                accreditation.valid_to = (accreditation.valid_from
                    + relativedelta(
                        months=accreditation.type.validity_months, days=-1))
        cls.save(accreditations)

    @classmethod
    @ModelView.button
    @Workflow.transition('renewed')
    def renew(cls, accreditations):
        "Renew: the validity of the type more after the current end"
        for accreditation in accreditations:
            months = accreditation.type.validity_months
            if accreditation.valid_to and months:
                accreditation.valid_to += relativedelta(months=months)
        cls.save(accreditations)

    @classmethod
    @ModelView.button
    @Workflow.transition('suspended')
    def suspend(cls, accreditations):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('withdrawn')
    def withdraw(cls, accreditations):
        "Withdraw: the validity ends on the withdrawal date"
        stamp_today(accreditations, 'withdrawal_date')
        for accreditation in accreditations:
            date = accreditation.withdrawal_date
            if accreditation.valid_from and (
                    not accreditation.valid_to
                    or accreditation.valid_to > date):
                accreditation.valid_to = max(date, accreditation.valid_from)
        cls.save(accreditations)

    @classmethod
    @Workflow.transition('expired')
    def expire(cls, accreditations):
        pass

    @classmethod
    def update_accreditations(cls, date=None):
        """Expire the accreditations past their end and open the reports
        due in the coming year"""
        pool = Pool()
        Report = pool.get('concertes.accreditation.report')
        if date is None:
            date = dt.date.today()
        cls.expire(cls.search([
                    ('state', 'in', ['granted', 'renewed', 'suspended']),
                    ('valid_to', '<', date),
                    ]))
        accreditations = cls.search(cls.in_force_domain(date))
        existing = {(r.accreditation.id, r.duty.id, r.due_date)
            for r in Report.search([
                    ('accreditation', 'in', [a.id for a in accreditations]),
                    ('due_date', '>=', date),
                    ])}
        reports = []
        for accreditation in accreditations:
            for duty in accreditation.type.duties:
                due = duty.next_due_date(date)
                if (accreditation.valid_to and due > accreditation.valid_to
                        or (accreditation.id, duty.id, due) in existing):
                    continue
                reports.append(Report(
                        accreditation=accreditation, duty=duty,
                        due_date=due))
        Report.save(reports)
        return reports


class AccreditationReport(Workflow, ModelSQL, ModelView):
    "ConcertES Accreditation Report"
    __name__ = 'concertes.accreditation.report'

    accreditation = fields.Many2One(
        'concertes.accreditation', "Accreditation", required=True,
        ondelete='CASCADE')
    duty = fields.Many2One(
        'concertes.accreditation.duty', "Reporting Duty", required=True,
        ondelete='RESTRICT',
        domain=[('type', '=', Eval('accreditation_type', -1))])
    accreditation_type = fields.Function(fields.Many2One(
            'concertes.accreditation.type', "Accreditation Type"),
        'on_change_with_accreditation_type')
    due_date = fields.Date("Due Date", required=True)
    sent_date = fields.Date(
        "Sent Date", states={'required': Eval('state') == 'sent'},
        help="The day the report was sent to the authority.")
    state = fields.Selection([
            ('due', "Due"),
            ('sent', "Sent"),
            ], "State", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('due_date', 'ASC'), ('id', 'ASC')]
        cls.__access__.add('accreditation')
        cls._transitions |= {('due', 'sent'), ('sent', 'due')}
        cls._buttons.update({
                'send': shown_in('due'),
                'reopen': shown_in('sent'),
                })

    @staticmethod
    def default_state():
        return 'due'

    @fields.depends('accreditation', '_parent_accreditation.type')
    def on_change_with_accreditation_type(self, name=None):
        return self.accreditation.type if self.accreditation else None

    def get_rec_name(self, name):
        return '%s – %s' % (self.duty.name, self.accreditation.rec_name)

    @classmethod
    @ModelView.button
    @Workflow.transition('sent')
    def send(cls, reports):
        stamp_today(reports, 'sent_date')
        cls.save(reports)

    @classmethod
    @ModelView.button
    @Workflow.transition('due')
    def reopen(cls, reports):
        pass
