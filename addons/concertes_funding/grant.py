# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    DateRangeMixin, FieldChecksMixin, PersonnelCostRulesMixin, hidden_in,
    periods_overlap, shown_in, transition_button)
from trytond.pool import Pool
from trytond.pyson import Eval, If

AMOUNT_DIGITS = (16, 2)


class Grant(
        FieldChecksMixin, PersonnelCostRulesMixin, DateRangeMixin,
        DeactivableMixin, Workflow, ModelSQL, ModelView):
    "ConcertES Grant"
    __name__ = 'concertes.grant'
    _field_checks = {
        'check_years_in_period': {'start_date', 'end_date'},
        'check_instalments_in_period': {'start_date', 'end_date'},
        }
    _rec_name = 'name'

    name = fields.Char(
        "Name", required=True,
        help="How the team calls the grant, "
        "e.g. \"Walloon recognition 2024-2027\".")
    funder = fields.Many2One(
        'party.party', "Funder", required=True, ondelete='RESTRICT',
        help="The public authority or body that grants the funding.")
    programme = fields.Char(
        "Programme or Legal Basis",
        help="The programme, decree or decision the grant rests on.")
    reference = fields.Char(
        "Reference", help="The funder's reference of the decision.")
    start_date = fields.Date(
        "Start Date", required=True,
        help="The first day of the period the grant funds.")
    end_date = fields.Date(
        "End Date",
        help="The last day of the period the grant funds.")
    years = fields.One2Many(
        'concertes.grant.year', 'grant', "Amounts per Year",
        help="The amount granted for each year of the period.")
    total_amount = fields.Function(fields.Numeric(
            "Total Amount", digits=AMOUNT_DIGITS,
            help="The sum of the amounts per year."), 'get_total_amount')
    conditions = fields.Text(
        "Conditions", help="The conditions the grant sets.")
    activities = fields.Text(
        "Funded Activities",
        help="The activities and missions the grant funds.")
    missions = fields.One2Many(
        'timesheet.work', 'grant', "Missions",
        help="The activities the grant funds, on which the team books its "
        "time.")
    instalments = fields.One2Many(
        'concertes.grant.instalment', 'grant', "Instalments")
    reports = fields.One2Many(
        'concertes.grant.report', 'grant', "Reporting Duties",
        help="The reports and documents the funder expects, by due date.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('granted', "Granted"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'granted'),
            ('granted', 'draft'),
            ('granted', 'closed'),
            ('closed', 'granted'),
            }
        cls._buttons.update({
                'draft': shown_in('granted'),
                'grant': hidden_in('granted', icon=If(
                        Eval('state') == 'closed',
                        'tryton-back', 'tryton-forward')),
                'close': shown_in('granted'),
                })

    @staticmethod
    def default_state():
        return 'draft'

    def get_total_amount(self, name):
        return sum((y.amount or Decimal(0) for y in self.years), Decimal(0))

    def in_period(self, date):
        "Whether date lies within the period of the grant"
        return periods_overlap(self.start_date, self.end_date, date, date)

    @classmethod
    def check_years_in_period(cls, grants):
        "The years of the amounts granted stay within the grant's period"
        Year = cls.years.get_target()
        Year.check_in_period(sum((g.years for g in grants), ()))

    @classmethod
    def check_instalments_in_period(cls, grants):
        "The instalments are expected within the grant's period"
        Instalment = cls.instalments.get_target()
        Instalment.check_in_period(sum((g.instalments for g in grants), ()))

    draft = transition_button('draft', 'draft')
    grant = transition_button('grant', 'granted')
    close = transition_button('close', 'closed')


class GrantYear(FieldChecksMixin, ModelSQL, ModelView):
    "ConcertES Grant Amount per Year"
    __name__ = 'concertes.grant.year'
    _field_checks = {'check_in_period': {'year', 'grant'}}

    grant = fields.Many2One(
        'concertes.grant', "Grant", required=True, ondelete='CASCADE')
    year = fields.Integer("Year", required=True)
    amount = fields.Numeric(
        "Amount", digits=AMOUNT_DIGITS, required=True,
        domain=[('amount', '>=', 0)],
        help="The amount granted for the year, in euros.")
    note = fields.Char(
        "Note", help="e.g. indexation, or where the amount comes from.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('grant_year_unique', Unique(t, t.grant, t.year),
                'concertes_funding.msg_grant_year_unique'),
            ]
        cls._order = [('year', 'ASC'), ('id', 'ASC')]

    @classmethod
    def check_in_period(cls, years):
        "The year lies within the period of its grant"
        for line in years:
            grant = line.grant
            last = grant.end_date.year if grant.end_date else line.year
            if not (grant.start_date.year <= line.year <= last):
                raise ValidationError(gettext(
                        'concertes_funding.msg_grant_year_outside_period',
                        year=line.year, grant=grant.rec_name,
                        start=grant.start_date, end=grant.end_date or ''))


class Instalment(FieldChecksMixin, ModelSQL, ModelView):
    "ConcertES Grant Instalment"
    __name__ = 'concertes.grant.instalment'
    _field_checks = {'check_in_period': {'expected_date', 'grant'}}

    grant = fields.Many2One(
        'concertes.grant', "Grant", required=True, ondelete='CASCADE')
    kind = fields.Selection([
            ('advance', "Advance"),
            ('instalment', "Instalment"),
            ('balance', "Balance"),
            ], "Kind", required=True, sort=False)
    amount = fields.Numeric(
        "Amount", digits=AMOUNT_DIGITS, required=True,
        domain=[('amount', '>=', 0)], help="In euros.")
    expected_date = fields.Date(
        "Expected Date", required=True,
        help="When the funder should pay it.")
    received_date = fields.Date(
        "Received Date", help="When it reached our account.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('expected_date', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_kind():
        return 'advance'

    def get_rec_name(self, name):
        return '%s – %s' % (self.grant.rec_name, self.expected_date)

    @classmethod
    def check_in_period(cls, instalments):
        """The expected date lies within the grant's period (the balance
        may be received later, once the final report is accepted)"""
        for instalment in instalments:
            if not instalment.grant.in_period(instalment.expected_date):
                grant = instalment.grant
                raise ValidationError(gettext(
                        'concertes_funding.msg_instalment_outside_period',
                        date=instalment.expected_date, grant=grant.rec_name,
                        start=grant.start_date, end=grant.end_date or ''))


class Report(FieldChecksMixin, DateRangeMixin, Workflow, ModelSQL, ModelView):
    "ConcertES Grant Reporting Duty"
    __name__ = 'concertes.grant.report'
    _date_ranges = [('period_start', 'period_end')]
    _field_checks = {'check_due_after_period': {'due_date', 'period_end'}}

    grant = fields.Many2One(
        'concertes.grant', "Grant", required=True, ondelete='CASCADE')
    kind = fields.Selection([
            ('activity', "Activity Report"),
            ('financial', "Financial Report"),
            ('supporting', "Supporting Documents"),
            ], "Kind", required=True, sort=False)
    period_start = fields.Date(
        "Period Start", required=True,
        help="The first day of the period the report covers.")
    period_end = fields.Date(
        "Period End", required=True,
        help="The last day of the period the report covers.")
    due_date = fields.Date(
        "Due Date", required=True,
        help="When the funder must receive it.")
    submitted_date = fields.Date(
        "Submitted Date",
        help="When it was sent to the funder (today when left empty).")
    state = fields.Selection([
            ('to_do', "To Do"),
            ('submitted', "Submitted"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('due_date', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('to_do', 'submitted'),
            ('submitted', 'to_do'),
            }
        cls._buttons.update({
                'submit': shown_in('to_do'),
                'to_do': shown_in('submitted', icon='tryton-back'),
                })

    @staticmethod
    def default_state():
        return 'to_do'

    @staticmethod
    def default_kind():
        return 'activity'

    def get_rec_name(self, name):
        kinds = dict(self.fields_get(['kind'])['kind']['selection'])
        return '%s – %s %s' % (
            self.grant.rec_name, kinds[self.kind], self.period_end.year)

    @classmethod
    def check_due_after_period(cls, reports):
        "A report is not due before the end of the period it covers"
        for report in reports:
            if report.due_date < report.period_end:
                raise ValidationError(gettext(
                        'concertes_funding.msg_report_due_before_period',
                        report=report.rec_name, due=report.due_date,
                        end=report.period_end))

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, reports):
        today = Pool().get('ir.date').today()
        cls.write([r for r in reports if not r.submitted_date], {
                'submitted_date': today,
                })

    to_do = transition_button('to_do', 'to_do', submitted_date=None)
