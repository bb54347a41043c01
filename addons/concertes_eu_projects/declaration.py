# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Monthly time declarations: per person and project, the days worked on each
work package, signed by the person and by the supervisor, locked once signed;
at most the days per year of the programme (215 for Horizon Europe) per
person across all EU projects and, with concertes_funding, the grants."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    DAYS_PER_YEAR, FieldChecksMixin, SignedMonthLineMixin, SignedMonthMixin)
from trytond.pool import Pool
from trytond.pyson import Eval

from .cost import AmountMixin, check_partner_in_consortium, hours_booked


class Declaration(SignedMonthMixin, Workflow, ModelSQL, ModelView):
    "EU Time Declaration"
    __name__ = 'concertes.eu.time.declaration'
    _locked_message = 'concertes_eu_projects.msg_declaration_locked'
    _unique_message = 'concertes_eu_projects.msg_declaration_unique'
    _unique_by = ('project',)

    _readonly = Eval('state') != 'draft'

    project = fields.Many2One(
        'concertes.eu.project', "Project", required=True, ondelete='CASCADE',
        states={'readonly': _readonly})
    lines = fields.One2Many(
        'concertes.eu.time.declaration.line', 'declaration', "Days",
        states={'readonly': _readonly})
    hours_booked = fields.Function(
        fields.Numeric("Hours Booked", digits=(16, 2),
            help="The hours of the timesheets on the project's work "
            "packages in the month."),
        'get_hours_booked')
    year_days = fields.Function(
        fields.Numeric("Days in the Year", digits=(16, 2),
            help="The days the person declares in the year across all EU "
            "projects and grants (at most the days per year of the "
            "programme)."),
        'get_year_days')

    del _readonly

    def get_rec_name(self, name):
        return '%s %04d-%02d %s' % (
            self.project.rec_name, self.year, self.month,
            self.employee.rec_name)

    def _month_key(self):
        return (self.project.id, self.employee.id, self.year, self.month)

    @classmethod
    def get_hours_booked(cls, declarations, name):
        booked = hours_booked(
            list({d.project for d in declarations}),
            list({d.employee for d in declarations}))
        return {d.id: sum(booked.get(d._month_key(), {}).values(),
                Decimal(0)).quantize(Decimal('0.01'))
            for d in declarations}

    @classmethod
    def get_year_days(cls, declarations, name):
        year_days = cls.days_by_year(
            {(d.employee.id, d.year) for d in declarations})
        return {d.id: year_days.get((d.employee.id, d.year), Decimal(0))
            for d in declarations}

    @classmethod
    def days_by_year(cls, employee_years):
        """The days declared by each employee in each year across all
        projects (and the grants of the modules that extend it):
        {(employee id, year): days}"""
        result = defaultdict(Decimal)
        for employee, year, days in cls.declared_days(employee_years):
            result[employee, year] = days
        return result

    @classmethod
    def check_cap(cls, declarations):
        """A person declares at most the days per year of the programme
        across all EU projects and grants"""
        employee_years = {(d.employee.id, d.year) for d in declarations}
        days = cls.days_by_year(employee_years)
        for declaration in declarations:
            total = days.get((declaration.employee.id, declaration.year), 0)
            programme = declaration.project.programme
            cap = programme.days_per_year if programme else DAYS_PER_YEAR
            if total > cap:
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_declaration_over_cap',
                        employee=declaration.employee.rec_name,
                        year=declaration.year, days=total, cap=cap))

    @classmethod
    def booked_days(cls, declarations):
        """The days per work package of the timesheets on the project: the
        hours booked over the hours of a working day"""
        Configuration = Pool().get('concertes.eu.configuration')
        hours_per_day = Configuration(1).hours_per_day
        booked = hours_booked(
            list({d.project for d in declarations}),
            list({d.employee for d in declarations}))
        return [(declaration, {'work_package': package}, hours / hours_per_day)
            for declaration in declarations
            for package, hours in sorted(
                booked.get(declaration._month_key(), {}).items())]

    @classmethod
    def missing(cls, project, start_date, end_date):
        """The (employee, year, month, hours) with time booked on the project
        between the dates but no signed declaration"""
        pool = Pool()
        Employee = pool.get('company.employee')
        booked = hours_booked([project])
        first = (start_date.year, start_date.month)
        last = (end_date.year, end_date.month)
        months = {k: sum(v.values(), Decimal(0)) for k, v in booked.items()
            if first <= (k[2], k[3]) <= last}
        if not months:
            return []
        signed = {(d.employee.id, d.year, d.month) for d in cls.search([
                    ('project', '=', project.id),
                    ('state', '=', 'signed'),
                    ])}
        return [(Employee(e), y, m, hours)
            for (_, e, y, m), hours in sorted(months.items())
            if (e, y, m) not in signed and hours]


class DeclarationLine(
        FieldChecksMixin, SignedMonthLineMixin, AmountMixin, ModelSQL,
        ModelView):
    "EU Time Declaration Line"
    __name__ = 'concertes.eu.time.declaration.line'
    _field_checks = {
        'check_days_in_month': {'days'},
        'check_cap': {'declaration', 'work_package', 'days'},
        }

    declaration = fields.Many2One(
        'concertes.eu.time.declaration', "Declaration", required=True,
        ondelete='CASCADE')
    project = fields.Function(
        fields.Many2One('concertes.eu.project', "Project"),
        'on_change_with_project')
    work_package = fields.Many2One(
        'project.work', "Work Package", required=True,
        domain=[('eu_project', '=', Eval('project', -1))])
    days = fields.Numeric("Days", digits=(16, 2), required=True)

    _amount_fields = ('days',)

    @fields.depends('declaration', '_parent_declaration.project')
    def on_change_with_project(self, name=None):
        return self.declaration.project if self.declaration else None

    @classmethod
    def _validate(cls, lines, field_names=None):
        # Before the domains, to tell clearly what is wrong: the work package
        # is one of the project's
        check_partner_in_consortium(lines)
        super()._validate(lines, field_names=field_names)

    @classmethod
    def check_days_in_month(cls, lines):
        "A line declares at most the 31 days of a month"
        for line in lines:
            if line.days > 31:
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_declaration_days_month',
                        days=line.days,
                        declaration=line.declaration.rec_name))

    @classmethod
    def check_cap(cls, lines):
        """The days of the lines' declarations stay within the days per year
        of the programmes"""
        Declaration = Pool().get('concertes.eu.time.declaration')
        Declaration.check_cap(list({l.declaration for l in lines}))
