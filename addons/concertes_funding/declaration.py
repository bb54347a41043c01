# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Monthly time declarations of the team: a person's whole month, the days
on each activity whatever funds it, signed by the person and by the
supervisor, locked once signed; the funded days of a year stay within the
days per year of the funders"""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum
from sql.functions import Extract

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    FieldChecksMixin, SignedMonthLineMixin, SignedMonthMixin, hours_of)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction


class Declaration(SignedMonthMixin, Workflow, ModelSQL, ModelView):
    "ConcertES Time Declaration"
    __name__ = 'concertes.time.declaration'
    _locked_message = 'concertes_funding.msg_time_declaration_locked'
    _unique_message = 'concertes_funding.msg_time_declaration_unique'

    lines = fields.One2Many(
        'concertes.time.declaration.line', 'declaration', "Days",
        states={'readonly': Eval('state') != 'draft'},
        help="The days worked on each activity in the month.")
    funded_year_days = fields.Function(
        fields.Numeric("Funded Days in the Year", digits=(16, 2),
            help="The days the person declares in the year on the "
            "activities funded by a grant or a project, all of them "
            "together."),
        'get_funded_year_days')

    def get_rec_name(self, name):
        return '%s %04d-%02d' % (
            self.employee.rec_name, self.year, self.month)

    @classmethod
    def get_funded_year_days(cls, declarations, name):
        year_days = cls.funded_days_by_year(
            {(d.employee.id, d.year) for d in declarations})
        return {d.id: sum(year_days.get((d.employee.id, d.year), {}).values(),
                Decimal(0))
            for d in declarations}

    @classmethod
    def funded_days_by_year(cls, employee_years):
        """The days declared by each employee in each year on the funded
        works: {(employee id, year): {funding source: days}}"""
        Work = Pool().get('timesheet.work')
        days = defaultdict(lambda: defaultdict(Decimal))
        for employee, year, work, total in cls.declared_days(
                employee_years, 'work'):
            days[employee, year][work] += total
        funding = Work.funding(Work.browse(
                list({w for v in days.values() for w in v})))
        result = defaultdict(lambda: defaultdict(Decimal))
        for key, by_work in days.items():
            for work, total in by_work.items():
                if work in funding:
                    result[key][funding[work].source] += total
        return result

    @classmethod
    def check_cap(cls, declarations):
        """A person declares in a year, across all the grants and projects,
        at most the days per year of each of them"""
        pool = Pool()
        Work = pool.get('timesheet.work')
        employee_years = {(d.employee.id, d.year) for d in declarations}
        days = cls.funded_days_by_year(employee_years)
        for declaration in declarations:
            by_source = days.get(
                (declaration.employee.id, declaration.year), {})
            total = sum(by_source.values(), Decimal(0))
            funding = Work.funding([l.work for l in declaration.lines])
            caps = [(f.days_per_year, f.name) for f in funding.values()]
            if caps and total > min(caps)[0]:
                cap, name = min(caps)
                raise ValidationError(gettext(
                        'concertes_funding.msg_time_declaration_over_cap',
                        employee=declaration.employee.rec_name,
                        year=declaration.year, days=total, cap=cap,
                        funding=name))

    @classmethod
    def booked_days(cls, declarations):
        """The days per activity of the person's timesheets of the month: the
        hours booked over the hours of a working day"""
        TimesheetLine = Pool().get('timesheet.line')
        cursor = Transaction().connection.cursor()
        timesheet = TimesheetLine.__table__()
        booked = []
        for declaration in declarations:
            hours_per_day = Decimal(str(
                        declaration.employee.company.hours_per_work_day))
            first = dt.date(declaration.year, declaration.month, 1)
            cursor.execute(*timesheet.select(
                    timesheet.work, Sum(timesheet.duration),
                    where=(timesheet.employee == declaration.employee.id)
                    & (Extract('YEAR', timesheet.date) == first.year)
                    & (Extract('MONTH', timesheet.date) == first.month),
                    group_by=[timesheet.work]))
            booked.extend((
                    declaration, {'work': work},
                    hours_of(duration) / hours_per_day)
                for work, duration in sorted(cursor))
        return booked


class DeclarationLine(
        FieldChecksMixin, SignedMonthLineMixin, ModelSQL, ModelView):
    "ConcertES Time Declaration Line"
    __name__ = 'concertes.time.declaration.line'
    _field_checks = {'check_cap': {'declaration', 'work', 'days'}}

    declaration = fields.Many2One(
        'concertes.time.declaration', "Declaration", required=True,
        ondelete='CASCADE')
    work = fields.Many2One(
        'timesheet.work', "Activity", required=True, ondelete='RESTRICT',
        help="The timesheet work of the activity.")
    days = fields.Numeric(
        "Days", digits=(16, 2), required=True,
        domain=[('days', '>=', 0), ('days', '<=', 31)])
    funding = fields.Function(
        fields.Char("Funded by",
            help="The grant or project that funds the activity."),
        'get_funding')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('work', 'ASC'), ('id', 'ASC')]

    @classmethod
    def get_funding(cls, lines, name):
        Work = Pool().get('timesheet.work')
        funding = Work.funding(list({l.work for l in lines}))
        return {l.id: funding[l.work.id].name if l.work.id in funding
            else None for l in lines}

    @classmethod
    def check_cap(cls, lines):
        """The funded days of the lines' declarations stay within the days per
        year of the funders"""
        Declaration = Pool().get('concertes.time.declaration')
        Declaration.check_cap(list({l.declaration for l in lines}))
