# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Monthly time declarations: per person and project, the days worked on each
work package, signed by the person and by the supervisor, locked once signed;
at most the days per year of the programme (215 for Horizon Europe) per
person across all EU projects and, with concertes_funding, the grants."""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    DAYS_PER_YEAR, SignedMonthLineMixin, SignedMonthMixin)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .cost import AmountMixin, hours_booked


class Declaration(SignedMonthMixin, Workflow, ModelSQL, ModelView):
    "EU Time Declaration"
    __name__ = 'concertes.eu.time.declaration'
    _locked_message = 'concertes_eu_projects.msg_declaration_locked'

    _readonly = Eval('state') != 'draft'

    project = fields.Many2One(
        'concertes.eu.project', "Project", required=True, ondelete='CASCADE',
        states={'readonly': _readonly})
    lines = fields.One2Many(
        'concertes.eu.time.declaration.line', 'declaration', "Days",
        states={'readonly': _readonly})
    total_days = fields.Function(
        fields.Numeric("Total Days", digits=(16, 2)), 'get_totals')
    hours_booked = fields.Function(
        fields.Numeric("Hours Booked", digits=(16, 2),
            help="The hours of the timesheets on the project's work "
            "packages in the month."),
        'get_totals')
    year_days = fields.Function(
        fields.Numeric("Days in the Year", digits=(16, 2),
            help="The days the person declares in the year across all EU "
            "projects and grants (at most the days per year of the "
            "programme)."),
        'get_totals')

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('month_unique', Unique(t, t.project, t.employee, t.year, t.month),
                'concertes_eu_projects.msg_declaration_unique'),
            ]

    def get_rec_name(self, name):
        return '%s %04d-%02d %s' % (
            self.project.rec_name, self.year, self.month,
            self.employee.rec_name)

    @classmethod
    def get_totals(cls, declarations, names):
        result = {n: {} for n in names}
        booked = {}
        if 'hours_booked' in names:
            booked = hours_booked(
                list({d.project for d in declarations}),
                list({d.employee for d in declarations}))
        year_days = {}
        if 'year_days' in names:
            year_days = cls.days_by_year(
                {(d.employee.id, d.year) for d in declarations})
        for declaration in declarations:
            key = (declaration.project.id, declaration.employee.id,
                declaration.year, declaration.month)
            values = {
                'total_days': sum(
                    (l.days for l in declaration.lines), Decimal(0)),
                'hours_booked': sum(
                    booked.get(key, {}).values(), Decimal(0)).quantize(
                    Decimal('0.01')),
                'year_days': year_days.get(
                    (declaration.employee.id, declaration.year), Decimal(0)),
                }
            for name in names:
                result[name][declaration.id] = values[name]
        return result

    @classmethod
    def days_by_year(cls, employee_years):
        """The days declared by each employee in each year across all
        projects (and the grants of the modules that extend it):
        {(employee id, year): days}"""
        pool = Pool()
        Line = pool.get('concertes.eu.time.declaration.line')
        cursor = Transaction().connection.cursor()
        declaration = cls.__table__()
        line = Line.__table__()
        result = defaultdict(Decimal)
        employees = {e for e, _ in employee_years}
        years = list({y for _, y in employee_years})
        for sub_ids in grouped_slice(employees, backend.MAX_QUERY_PARAMS):
            cursor.execute(*declaration.join(
                    line, condition=line.declaration == declaration.id
                    ).select(
                    declaration.employee, declaration.year, Sum(line.days),
                    where=reduce_ids(declaration.employee, sub_ids)
                    & declaration.year.in_(years),
                    group_by=[declaration.employee, declaration.year]))
            for employee, year, days in cursor:
                result[employee, year] = Decimal(str(days or 0))
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
    def validate_fields(cls, declarations, field_names):
        super().validate_fields(declarations, field_names)
        if field_names & {'employee', 'year'}:
            cls.check_cap(declarations)

    @classmethod
    @ModelView.button
    def fill(cls, declarations):
        """Propose the days per work package from the timesheets: the hours
        booked over the hours of a working day"""
        pool = Pool()
        Line = pool.get('concertes.eu.time.declaration.line')
        Configuration = pool.get('concertes.eu.configuration')
        hours_per_day = Configuration(1).hours_per_day
        booked = hours_booked(
            list({d.project for d in declarations}),
            list({d.employee for d in declarations}))
        Line.delete([l for d in declarations for l in d.lines])
        lines = []
        for declaration in declarations:
            key = (declaration.project.id, declaration.employee.id,
                declaration.year, declaration.month)
            for package, hours in sorted(booked.get(key, {}).items()):
                lines.append(Line(
                        declaration=declaration, work_package=package,
                        days=(hours / hours_per_day).quantize(
                            Decimal('0.01'))))
        Line.save(lines)

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


class DeclarationLine(SignedMonthLineMixin, AmountMixin, ModelSQL, ModelView):
    "EU Time Declaration Line"
    __name__ = 'concertes.eu.time.declaration.line'

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
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        for line in lines:
            if line.work_package.eu_project != line.declaration.project:
                raise ValidationError(gettext(
                        'concertes_eu_projects'
                        '.msg_work_package_outside_project',
                        work_package=line.work_package.rec_name,
                        project=line.declaration.project.rec_name))
            if line.days > 31:
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_declaration_days_month',
                        days=line.days,
                        declaration=line.declaration.rec_name))
        Declaration = Pool().get('concertes.eu.time.declaration')
        Declaration.check_cap(list({l.declaration for l in lines}))
