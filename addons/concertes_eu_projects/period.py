# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from sql import Null

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    FieldChecksMixin, getter_values, shown_in, stamp_today)
from trytond.pool import Pool
from trytond.pyson import Eval

from .months import month_end, month_start, sql_date_where, sql_month_end
from .project import ProjectCurrencyMixin

ZERO = Decimal(0)
_states = {'readonly': Eval('state') != 'open'}


class Period(
        FieldChecksMixin, ProjectCurrencyMixin, Workflow, ModelSQL,
        ModelView):
    "EU Project Reporting Period"
    __name__ = 'concertes.eu.period'
    _field_checks = {
        'check_period_months': {'first_month', 'last_month', 'project'},
        }

    project = fields.Many2One(
        'concertes.eu.project', "Project", required=True, ondelete='CASCADE',
        states=_states)
    number = fields.Integer(
        "Number", required=True, domain=[('number', '>', 0)], states=_states)
    first_month = fields.Integer("First Month", required=True, states=_states)
    last_month = fields.Integer("Last Month", required=True, states=_states)
    start_date = fields.Function(
        fields.Date("Start Date"), 'get_dates')
    end_date = fields.Function(
        fields.Date("End Date"), 'get_dates')
    report_due_date = fields.Function(
        fields.Date("Report Due Date",
            help="The end of the period plus the programme's reporting "
            "delay."),
        'get_dates', searcher='search_report_due_date')
    report_date = fields.Date(
        "Report Date", states={
            'required': Eval('state').in_(['reported', 'closed']),
            },
        help="The day the periodic report was submitted.")
    state = fields.Selection([
            ('open', "Open"),
            ('reported', "Reported"),
            ('closed', "Closed"),
            ], "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')

    missing_declarations = fields.Function(
        fields.Text("Missing Time Declarations",
            help="The persons and months with time booked on the project "
            "but no signed declaration: the period cannot be closed "
            "until they are signed."),
        'get_missing_declarations')
    lump_sum_due = fields.Function(
        fields.Numeric("Lump Sum Due", digits='currency',
            help="The shares of the work packages declared completed in the "
            "period."),
        'get_lump_sum_due')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.project, t.number),
                'concertes_eu_projects.msg_period_number_unique'),
            ]
        cls._order = [
            ('project', 'ASC'), ('number', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('open', 'reported'),
            ('reported', 'open'),
            ('reported', 'closed'),
            ('closed', 'reported'),
            }
        cls._buttons.update({
            'open': shown_in('reported', icon='tryton-back'),
            'report': shown_in('open', 'closed', icon='tryton-forward'),
            'close': shown_in('reported', icon='tryton-close'),
            })

    @classmethod
    def default_state(cls):
        return 'open'

    def get_rec_name(self, name):
        return 'P%s (M%s-M%s)' % (
            self.number, self.first_month, self.last_month)

    @classmethod
    def get_dates(cls, periods, names):
        return getter_values(periods, names, cls._dates)

    def _dates(self):
        start = self.project.start_date
        end = month_end(start, self.last_month)
        due = None
        if end and self.project.programme:
            due = end + dt.timedelta(
                days=self.project.programme.reporting_delay)
        return {
            'start_date': month_start(start, self.first_month),
            'end_date': end,
            'report_due_date': due,
            }

    @classmethod
    def sql_report_due_date(cls):
        """The SQL of the report due date of the periods (None without a
        start date): (periods joined to their project and programme, period
        table, project table, due date)"""
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        Programme = pool.get('concertes.eu.programme')
        period = cls.__table__()
        project = Project.__table__()
        programme = Programme.__table__()
        due_date = sql_month_end(
            project.start_date, period.last_month, programme.reporting_delay)
        from_ = period.join(
            project, condition=period.project == project.id).join(
            programme, condition=project.programme == programme.id)
        return from_, period, project, due_date

    @classmethod
    def search_report_due_date(cls, name, clause):
        from_, period, project, due_date = cls.sql_report_due_date()
        return [('id', 'in', from_.select(
                    period.id, where=(project.start_date != Null)
                    & sql_date_where(cls.report_due_date, clause, due_date)))]

    @classmethod
    def check_period_months(cls, periods):
        for period in periods:
            duration = period.project.duration
            first, last = period.first_month, period.last_month
            if (first < 1 or last < first
                    or (duration and last > duration)):
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_period_outside_months',
                        period=period.number, first=first, last=last,
                        duration=duration or '?'))

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, periods):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('reported')
    def report(cls, periods):
        stamp_today(periods, 'report_date')
        cls.save(periods)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, periods):
        pool = Pool()
        Declaration = pool.get('concertes.eu.time.declaration')
        for period in periods:
            if not period.start_date or not period.end_date:
                continue
            missing = Declaration.missing(
                period.project, period.start_date, period.end_date)
            if missing:
                raise UserError(gettext(
                        'concertes_eu_projects'
                        '.msg_period_missing_declarations',
                        period=period.rec_name,
                        project=period.project.rec_name,
                        missing='\n'.join(_format_missing(*m)
                            for m in missing)))

    @classmethod
    def get_missing_declarations(cls, periods, name):
        pool = Pool()
        Declaration = pool.get('concertes.eu.time.declaration')
        result = {}
        for period in periods:
            if not period.start_date or not period.end_date:
                result[period.id] = None
                continue
            missing = Declaration.missing(
                period.project, period.start_date, period.end_date)
            result[period.id] = '\n'.join(
                _format_missing(*m) for m in missing) or None
        return result

    @classmethod
    def get_lump_sum_due(cls, periods, name):
        pool = Pool()
        Share = pool.get('concertes.eu.lump_sum.share')
        due = Share.due_by_project(
            list({p.project for p in periods}), by_period=True)
        return {p.id: p.project.currency.round(
                due.get((p.project.id, p.id), ZERO)) for p in periods}


def _format_missing(employee, year, month, hours):
    return '%s: %04d-%02d (%s h)' % (
        employee.rec_name, year, month, hours.quantize(Decimal('0.1')))
