# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Cost categories, personnel rates, expense lines and the actual costs.

The actual costs of a project are never stored: they are computed in bulk from
the timesheet lines booked on its work packages (and their tasks) and from the
expense lines, by `actual_costs`.
"""
import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from sql import Column
from sql.aggregate import Sum
from sql.conditionals import Case
from sql.functions import Extract

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    DAYS_PER_YEAR, FieldChecksMixin, SearchRecNameMixin, hours_of)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .months import month_of
from .programme import FUNDING_MODELS
from .project import ProjectCurrencyMixin

KINDS = [
    ('personnel', "Personnel"),
    ('subcontracting', "Subcontracting"),
    ('travel', "Travel and Subsistence"),
    ('equipment', "Equipment"),
    ('goods', "Other Goods, Works and Services"),
    ('third_parties', "Financial Support to Third Parties"),
    ('other', "Other"),
    ('indirect', "Indirect Costs"),
    ]


def to_decimal(value, field_string):
    "The value as a Decimal, or a clear error when it is not a number"
    if value is None or isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        result = None
    elif isinstance(value, (int, float, str)):
        try:
            result = Decimal(str(value).strip().replace(',', '.'))
        except InvalidOperation:
            result = None
    else:
        result = None
    if value is not None and (result is None or not result.is_finite()):
        raise ValidationError(gettext(
                'concertes_eu_projects.msg_amount_not_numeric',
                value=value, field=field_string))
    return result


class AmountMixin:
    "Amounts that must be numbers and not negative"
    __slots__ = ()
    _amount_fields = ()

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        for name in cls._amount_fields:
            if name in values:
                values[name] = to_decimal(
                    values[name], cls._fields[name].string)
        return values

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        names = [n for n in cls._amount_fields if n in field_names]
        for record in records:
            for name in names:
                value = getattr(record, name)
                if value is not None and value < 0:
                    raise ValidationError(gettext(
                            'concertes_eu_projects.msg_amount_negative',
                            field=cls._fields[name].string,
                            value=value, record=record.rec_name))


class ConsortiumMixin:
    "Records of a project whose partner and work package are the project's"
    __slots__ = ()

    project = fields.Many2One(
        'concertes.eu.project', "Project", required=True, ondelete='CASCADE')

    @classmethod
    def _validate(cls, records, field_names=None):
        # Before the domains, to tell clearly what is wrong
        check_partner_in_consortium(records)
        super()._validate(records, field_names=field_names)


def check_partner_in_consortium(records):
    """Each record's partner must be a partner of the record's project, and
    its work package one of the project's"""
    for record in records:
        for name, project_field, message in [
                ('partner', 'project', 'msg_partner_outside_consortium'),
                ('work_package', 'eu_project',
                    'msg_work_package_outside_project'),
                ]:
            value = getattr(record, name, None)
            if value and getattr(value, project_field) != record.project:
                raise ValidationError(gettext(
                        'concertes_eu_projects.' + message,
                        project=record.project.rec_name,
                        **{name: value.rec_name}))


class ProjectAmountMixin(ConsortiumMixin, ProjectCurrencyMixin, AmountMixin):
    "Amounts of a project, in its currency"
    __slots__ = ()


class WorkPackageMixin(ConsortiumMixin):
    "Records of a work package of a project"
    __slots__ = ()

    work_package = fields.Many2One(
        'project.work', "Work Package", required=True,
        domain=[('eu_project', '=', Eval('project', -1))])


class ProjectCostMixin(WorkPackageMixin, ProjectAmountMixin):
    """Amounts of a project by partner, work package and cost category:
    budgeted or spent"""
    __slots__ = ()

    funding_model = fields.Function(
        fields.Selection(FUNDING_MODELS, "Funding Model"),
        'on_change_with_funding_model')
    partner = fields.Many2One(
        'concertes.eu.partner', "Partner", required=True,
        domain=[('project', '=', Eval('project', -1))])
    category = fields.Many2One(
        'concertes.eu.cost.category', "Category", required=True,
        domain=[
            ('kind', '!=', 'indirect'),
            If(Eval('funding_model'),
                ('funding_model', '=', Eval('funding_model')),
                ()),
            ])

    @fields.depends('project', '_parent_project.programme')
    def on_change_with_funding_model(self, name=None):
        if self.project and self.project.programme:
            return self.project.programme.funding_model


class CostCategory(
        SearchRecNameMixin, DeactivableMixin, sequence_ordered(), ModelSQL,
        ModelView):
    "EU Cost Category"
    __name__ = 'concertes.eu.cost.category'

    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True, translate=True)
    funding_model = fields.Selection(
        FUNDING_MODELS, "Funding Model", required=True,
        help="The funding model whose budget tables use the category.")
    kind = fields.Selection(
        KINDS, "Kind", required=True,
        help="Personnel costs come from timesheets; indirect costs are "
        "computed from the other categories.")
    indirect_base = fields.Boolean(
        "In Indirect Base",
        states={'invisible': Eval('kind') == 'indirect'},
        help="The costs of the category count in the base of the flat-rate "
        "indirect costs (subcontracting does not).")
    description = fields.Text("Description")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.funding_model, t.code),
                'concertes_eu_projects.msg_cost_category_code_unique'),
            ]
        cls._order.insert(0, ('funding_model', 'ASC'))

    @classmethod
    def default_indirect_base(cls):
        return True

    def get_rec_name(self, name):
        return '%s %s' % (self.code, self.name)

    @classmethod
    def of_funding_model(cls, funding_model):
        "The active categories of a funding model, in order"
        return cls.search([('funding_model', '=', funding_model)])


class PersonnelRate(AmountMixin, ModelSQL, ModelView):
    "EU Personnel Rate"
    __name__ = 'concertes.eu.personnel.rate'

    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
    year = fields.Integer(
        "Year", required=True, domain=[('year', '>=', 1900)])
    annual_cost = fields.Numeric(
        "Annual Personnel Costs", digits='currency', required=True,
        help="The personnel costs of the employee over the calendar year "
        "(gross salary, employer's contributions and other statutory "
        "costs).")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    daily_rate = fields.Function(
        fields.Numeric("Daily Rate", digits='currency',
            help="The annual personnel costs divided by 215 days (the "
            "projects divide them by the days per year of their "
            "programme)."),
        'on_change_with_daily_rate')

    _amount_fields = ('annual_cost',)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('employee_year_unique', Unique(t, t.employee, t.year),
                'concertes_eu_projects.msg_personnel_rate_unique'),
            ]
        cls._order = [('year', 'DESC'), ('employee', 'ASC'), ('id', 'ASC')]

    @fields.depends('employee', '_parent_employee.company')
    def on_change_with_currency(self, name=None):
        if self.employee and self.employee.company:
            return self.employee.company.currency

    @fields.depends('annual_cost', methods=['on_change_with_currency'])
    def on_change_with_daily_rate(self, name=None):
        if self.annual_cost is None:
            return None
        rate = self.annual_cost / DAYS_PER_YEAR
        currency = self.on_change_with_currency()
        return currency.round(rate) if currency else rate

    def get_rec_name(self, name):
        return '%s %s' % (self.employee.rec_name, self.year)


class Expense(FieldChecksMixin, ProjectCostMixin, ModelSQL, ModelView):
    "EU Project Expense"
    __name__ = 'concertes.eu.expense'
    _field_checks = {'check_dates': {'project', 'date'}}

    date = fields.Date("Date", required=True)
    amount = fields.Numeric(
        "Amount", digits='currency', required=True)
    supplier = fields.Many2One('party.party', "Supplier")
    reference = fields.Char(
        "Reference", help="The number of the invoice or the receipt.")
    description = fields.Char("Description")
    document = fields.Binary("Document", filename='document_name')
    document_name = fields.Char("Document Name")

    _amount_fields = ('amount',)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.partner.help = (
            "The partner that bore the cost (ourselves unless the cost was "
            "reported by another partner).")
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('project', 'partner', '_parent_project.partners')
    def on_change_project(self):
        if self.project and not self.partner:
            for partner in self.project.partners:
                if partner.ourselves:
                    self.partner = partner

    def get_rec_name(self, name):
        return ' '.join(filter(None, [
                    self.reference or self.description, str(self.date)]))

    @classmethod
    def check_dates(cls, expenses):
        for expense in expenses:
            project = expense.project
            if not project.start_date or not project.end_date:
                continue
            if not (project.start_date <= expense.date <= project.end_date):
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_expense_outside_dates',
                        expense=expense.rec_name,
                        project=project.rec_name,
                        start=project.start_date, end=project.end_date))


def work_packages_timesheet_works(projects):
    """The timesheet works booked on the projects' work packages and their
    tasks: {timesheet work id: work package}"""
    pool = Pool()
    Work = pool.get('project.work')
    TimesheetWork = pool.get('timesheet.work')
    packages = {w.id: w for p in projects for w in p.work_packages}
    if not packages:
        return {}
    works = Work.search([('parent', 'child_of', list(packages))])
    package_of = {}
    for work in works:
        for i in (work.path or '').split('/'):
            if i and int(i) in packages:
                package_of[work.id] = packages[int(i)]
                break
    result = {}
    for sub_works in grouped_slice(works, backend.MAX_QUERY_PARAMS):
        for timesheet_work in TimesheetWork.search([
                    ('origin', 'in', [str(w) for w in sub_works]),
                    ]):
            result[timesheet_work.id] = package_of[timesheet_work.origin.id]
    return result


def _month_day(date, start_day):
    """The day that stands for date among the days of its calendar month in
    the same project month, for a project starting on start_day: a project
    month begins on the start day, or on the last day of a month shorter
    than it (28th to 30th, as month ends clamp)"""
    day = Extract('DAY', date)
    return Case((day >= start_day, start_day), (day >= 28, day), else_=1)


def _sums_by_month_day(table, id_column, ids_by_day, columns, amount, date):
    """The rows (*columns, year, month, day, sum of amount) of the table rows
    whose id_column is in ids_by_day, grouped by columns and _month_day;
    ids_by_day holds the ids by the start day of their project"""
    cursor = Transaction().connection.cursor()
    rows = []
    for start_day, ids in ids_by_day.items():
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            where = reduce_ids(id_column, sub_ids)
            if date:
                where &= table.date <= date
            # Grouped in an outer query: PostgreSQL does not see the same
            # expression in a select and a group by with their own parameters
            query = table.select(
                *columns,
                Extract('YEAR', table.date).as_('year'),
                Extract('MONTH', table.date).as_('month'),
                _month_day(table.date, start_day).as_('day'),
                amount.as_('amount'),
                where=where)
            group = [Column(query, c.name) for c in columns] + [
                query.year, query.month, query.day]
            cursor.execute(*query.select(
                    *group, Sum(query.amount), group_by=group))
            rows.extend(cursor)
    return rows


def _start_day(project):
    return project.start_date.day if project.start_date else 1


def _project_month(project, year, month, day):
    "The project month of a day of the rows of _sums_by_month_day"
    return month_of(
        project.start_date, dt.date(int(year), int(month), int(day)))


def personnel_costs_visible():
    """Whether the user may see personnel costs (administration and finance
    only, docs/access.md): without them, the actual costs leave personnel
    out"""
    pool = Pool()
    ModelAccess = pool.get('ir.model.access')
    if not Transaction().user:
        return True
    rate = 'concertes.eu.personnel.rate'
    return bool(ModelAccess.get_access([rate])[rate]['read'])


def actual_costs(projects, date=None):
    """The actual costs of the projects, in bulk and without the indirect
    costs, by project month:
    {project id: {(partner id, work package id, category id, month): amount}}
    where month is the project month (0 before the start, None without a
    start date), so that the months and the reporting periods of a project
    that does not start on the 1st take the costs of their own days.

    Personnel costs come from the timesheet lines booked on the work
    packages and their tasks, for the partner that is ourselves: the days
    (hours over the hours of a working day) times the Horizon daily rate of
    the employee for the calendar year of the day worked when one is given,
    else the hours times the employee's hourly cost of timesheet_cost, and
    only for the users who may see personnel costs.  Other costs are the
    expense lines.  Amounts are not rounded; callers round
    their totals.
    """
    pool = Pool()
    Line = pool.get('timesheet.line')
    Expense = pool.get('concertes.eu.expense')
    Rate = pool.get('concertes.eu.personnel.rate')
    Category = pool.get('concertes.eu.cost.category')
    Configuration = pool.get('concertes.eu.configuration')

    result = {p.id: defaultdict(Decimal) for p in projects}
    if not projects:
        return result
    hours_per_day = Configuration(1).hours_per_day
    project_of = {p.id: p for p in projects}

    personnel = {}
    for funding_model in {p.programme.funding_model
            for p in projects if p.programme}:
        categories = Category.search([
                ('funding_model', '=', funding_model),
                ('kind', '=', 'personnel'),
                ], limit=1)
        personnel[funding_model] = categories[0].id if categories else None
    ourselves, personnel_category = {}, {}
    for project in projects:
        for partner in project.partners:
            if partner.ourselves:
                ourselves[project.id] = partner.id
        personnel_category[project.id] = personnel.get(
            project.programme.funding_model if project.programme else None)

    # Timesheet hours are visible to the roles that follow the projects:
    # the personnel costs of any group of lines would give the rates
    packages = (work_packages_timesheet_works(projects)
        if personnel_costs_visible() else {})
    if packages:
        line = Line.__table__()
        works_by_day = defaultdict(list)
        for work, package in packages.items():
            works_by_day[_start_day(package.eu_project)].append(work)
        rows = _sums_by_month_day(
            line, line.work, works_by_day,
            [line.work, line.employee, line.cost_price], line.duration, date)
        employees = {r[1] for r in rows}
        annual_costs = {}
        for sub_ids in grouped_slice(employees, backend.MAX_QUERY_PARAMS):
            for rate in Rate.search([('employee', 'in', list(sub_ids))]):
                annual_costs[rate.employee.id, rate.year] = rate.annual_cost
        # Plain ids: no record is touched in the loop over the groups
        package_ids = {w: (p.id, p.eu_project.id) for w, p in packages.items()}
        for work, employee, cost_price, year_, month_, day_, duration \
                in rows:
            package_id, project_id = package_ids[work]
            hours = hours_of(duration)
            daily_rate = _daily_rate(
                project_of[project_id], annual_costs, employee,
                dt.date(int(year_), int(month_), int(day_)))
            if daily_rate is not None:
                cost = hours / hours_per_day * daily_rate
            else:
                cost = hours * Decimal(str(cost_price or 0))
            key = (ourselves.get(project_id), package_id,
                personnel_category[project_id],
                _project_month(project_of[project_id], year_, month_, day_))
            result[project_id][key] += cost

    expense = Expense.__table__()
    projects_by_day = defaultdict(list)
    for project in projects:
        projects_by_day[_start_day(project)].append(project.id)
    for project_id, partner, package, category, year_, month_, day_, \
            amount in _sums_by_month_day(
                expense, expense.project, projects_by_day,
                [expense.project, expense.partner, expense.work_package,
                    expense.category],
                expense.amount, date):
        key = (partner, package, category,
            _project_month(project_of[project_id], year_, month_, day_))
        result[project_id][key] += Decimal(str(amount or 0))
    return result


def _daily_rate(project, annual_costs, employee, date):
    """The daily rate of the employee on the project for a day: the annual
    personnel costs over the days per year of the programme, those of the
    financial year of the day, or, per reporting period, those of the years
    the period spans weighted by its days in each ({(employee id, year):
    annual cost})"""
    programme = project.programme
    days = programme.days_per_year if programme else DAYS_PER_YEAR
    method = programme.daily_rate_method if programme else 'financial_year'
    period = None
    if method == 'reporting_period':
        period = next((p for p in project.periods
                if p.start_date and p.end_date
                and p.start_date <= date <= p.end_date), None)
    if period is None:
        annual = annual_costs.get((employee, date.year))
        return annual / days if annual is not None else None
    weighted, covered = Decimal(0), 0
    for year in range(period.start_date.year, period.end_date.year + 1):
        first = max(period.start_date, dt.date(year, 1, 1))
        last = min(period.end_date, dt.date(year, 12, 31))
        annual = annual_costs.get((employee, year))
        if annual is not None:
            length = (last - first).days + 1
            weighted += annual * length
            covered += length
    return weighted / covered / days if covered else None


def hours_booked(projects, employees=None):
    """Hours booked on the projects' work packages by employee and calendar
    month: {(project id, employee id, year, month): {work package id: hours}}
    """
    pool = Pool()
    Line = pool.get('timesheet.line')
    cursor = Transaction().connection.cursor()
    packages = work_packages_timesheet_works(projects)
    result = defaultdict(lambda: defaultdict(Decimal))
    if not packages:
        return result
    line = Line.__table__()
    year = Extract('YEAR', line.date)
    month = Extract('MONTH', line.date)
    for sub_ids in grouped_slice(
            list(packages), backend.MAX_QUERY_PARAMS):
        where = reduce_ids(line.work, sub_ids)
        if employees is not None:
            where &= reduce_ids(line.employee, [e.id for e in employees])
        cursor.execute(*line.select(
                line.work, line.employee, year, month, Sum(line.duration),
                where=where,
                group_by=[line.work, line.employee, year, month]))
        for work, employee, year_, month_, duration in cursor:
            package = packages[work]
            key = (package.eu_project.id, employee, int(year_), int(month_))
            result[key][package.id] += hours_of(duration)
    return result
