# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Budgets per partner x work package x cost category, and the figures
derived from them: actual costs, consumption, forecast at completion, time
elapsed, indirect costs and EU contribution.

Nothing here is stored but what the officer enters (budget lines and the
remaining forecast): every figure is computed in bulk for a list of projects by
`budget_figures`, in a fixed number of queries whatever the number of
timesheet lines.
"""
import weakref
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from sql import Cast, Column, Literal, Null, Select, Union, With
from sql.aggregate import Min
from sql.conditionals import Coalesce
from sql.operators import Concat, Like

from trytond import backend
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.concertes_members.common import (
    context_date, empty_or, getter_values)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .cost import ProjectCostMixin, actual_costs, personnel_costs_visible
from .months import month_of
from .project import ProjectCurrencyMixin

VERSIONS = [
    ('submitted', "Submitted"),
    ('granted', "Granted"),
    ('amended', "Amended"),
    ]
VERSION_ORDER = {v: i for i, (v, _) in enumerate(VERSIONS)}
# Overview rows are (partner or work package) x category: their id packs both
CATEGORY_FACTOR = 1000
ZERO = Decimal(0)


def time_elapsed(project, date=None):
    """The share of the project's duration elapsed at date: completed months
    over the duration, between 0 and 1"""
    if not project.start_date or not project.duration:
        return None
    month = month_of(project.start_date, date or context_date())
    completed = min(max(month - 1, 0), project.duration)
    return (Decimal(completed) / Decimal(project.duration)).quantize(
        Decimal('0.0001'))


def ratio(actual, budget):
    if not budget:
        return None
    return (actual / budget).quantize(Decimal('0.0001'))


class Figures:
    "The budget and the actual costs of one project, unrounded"

    def __init__(self, project):
        self.project = project
        self.rounding = project.currency.rounding
        self.digits = project.currency.digits
        # (partner id, work package id, category id) -> amount
        self.budget = defaultdict(Decimal)
        self.remaining = defaultdict(Decimal)
        # (partner id, work package id, category id, project month) -> amount
        self.actual = defaultdict(Decimal)
        # (partner id, work package id, category id, period id) -> amount
        self.period_budget = defaultdict(Decimal)
        self.version = None

    def round(self, amount):
        "Round as Currency.round does, without touching the record"
        rounding = self.rounding
        result = (amount / rounding).quantize(
            Decimal('1.'), rounding=ROUND_HALF_EVEN) * rounding
        if self.digits is not None:
            result = result.quantize(Decimal(1).scaleb(-self.digits))
        return result

    def total(self, values, match=lambda key: True):
        return self.round(sum(
                (v for k, v in values.items() if match(k)), ZERO))

    def grouped_totals(self, groups):
        """The totals of every group of keys: {group: totals}, where
        groups(key) gives the groups a key counts in, in one pass over the
        figures"""
        sums = {}
        for name, values in [('budget', self.budget),
                ('actual', self.actual), ('remaining', self.remaining)]:
            for key, amount in values.items():
                for group_key in groups(key):
                    sums.setdefault(group_key, defaultdict(Decimal))[
                        name] += amount
        result = {}
        for group_key, amounts in sums.items():
            budget = self.round(amounts['budget'])
            actual = self.round(amounts['actual'])
            remaining = self.round(amounts['remaining'])
            result[group_key] = {
                'budget': budget,
                'actual': actual,
                'remaining': remaining,
                'forecast': actual + remaining,
                'consumption': ratio(actual, budget),
                'left_to_spend': max(budget - actual, ZERO),
                'overspending': max(actual - budget, ZERO),
                }
        return result


def budget_figures(projects, date=None):
    """The Figures of each project: {project id: Figures}

    The budget is the lines of the latest version entered (amended, else
    granted, else submitted).  Indirect costs are added under the indirect
    category of the funding model: the programme's rate times the costs of
    the categories in the indirect base, per partner and work package, for the
    budget, the remaining forecast and the actual costs alike.
    """
    transaction = Transaction()
    # The figures are read by several fields and models in one request: kept
    # for the transaction until its next write
    cache = _figures_cache.setdefault(transaction, {})
    key = (transaction.counter, tuple(sorted(p.id for p in projects)), date,
        personnel_costs_visible())
    if key not in cache:
        cache.clear()
        cache[key] = _budget_figures(projects, date)
    return cache[key]


_figures_cache = weakref.WeakKeyDictionary()


def _budget_figures(projects, date):
    pool = Pool()
    BudgetLine = pool.get('concertes.eu.budget.line')
    Category = pool.get('concertes.eu.cost.category')
    cursor = Transaction().connection.cursor()
    figures = {p.id: Figures(p) for p in projects}
    if not projects:
        return figures

    line = BudgetLine.__table__()
    rows = []
    for sub_ids in grouped_slice(list(figures), backend.MAX_QUERY_PARAMS):
        cursor.execute(*line.select(
                line.project, line.version, line.partner, line.work_package,
                line.category, line.period, line.amount,
                line.remaining_forecast,
                where=reduce_ids(line.project, sub_ids)))
        rows.extend(cursor)
    versions = {}
    for project_id, version, *_ in rows:
        if (project_id not in versions
                or VERSION_ORDER[version]
                > VERSION_ORDER[versions[project_id]]):
            versions[project_id] = version
    for project_id, version, partner, package, category, period, amount, \
            remaining in rows:
        if version != versions[project_id]:
            continue
        figure = figures[project_id]
        figure.version = version
        key = (partner, package, category)
        figure.budget[key] += Decimal(str(amount or 0))
        figure.remaining[key] += Decimal(str(remaining or 0))
        if period:
            figure.period_budget[key + (period,)] += Decimal(str(amount or 0))

    for project_id, actual in actual_costs(projects, date=date).items():
        figures[project_id].actual.update(actual)

    indirect, base_ids = {}, set()
    for category in Category.search([]):
        if category.kind == 'indirect':
            indirect.setdefault(category.funding_model, category.id)
        elif category.indirect_base:
            base_ids.add(category.id)
    for figure in figures.values():
        programme = figure.project.programme
        if not programme:
            continue
        category_id = indirect.get(programme.funding_model)
        rate = programme.indirect_rate or ZERO
        if category_id is None or not rate:
            continue
        for values in [figure.budget, figure.remaining, figure.actual]:
            base = defaultdict(Decimal)
            for key, amount in values.items():
                if key[2] in base_ids:
                    base[(key[0], key[1], category_id) + key[3:]] += amount
            for key, amount in base.items():
                values[key] += amount * rate
    return figures


class BudgetLine(ProjectCostMixin, ModelSQL, ModelView):
    "EU Budget Line"
    __name__ = 'concertes.eu.budget.line'

    version = fields.Selection(
        VERSIONS, "Version", required=True, sort=False,
        help="The budget of the proposal, of the grant agreement or of an "
        "amendment: the latest version entered is the one in force.")
    period = fields.Many2One(
        'concertes.eu.period', "Reporting Period",
        domain=[('project', '=', Eval('project', -1))],
        help="Leave empty for a budget over the whole project.")
    amount = fields.Numeric("Amount", digits='currency', required=True)
    person_months = fields.Numeric(
        "Person-Months", digits=(16, 2),
        help="The effort budgeted, for personnel costs.")
    remaining_forecast = fields.Numeric(
        "Remaining Forecast", digits='currency',
        help="What the officer expects still to spend on the line.")
    description = fields.Char("Description")
    in_force = fields.Function(
        fields.Boolean("In Force",
            help="The line belongs to the latest version of the budget."),
        'get_figures')
    actual = fields.Function(
        fields.Numeric("Actual", digits='currency'), 'get_figures')
    consumption = fields.Function(
        fields.Numeric("Consumption (%)", digits=(16, 4),
            help="The actual costs over the budget, in percent."),
        'get_figures')
    forecast = fields.Function(
        fields.Numeric("Forecast at Completion", digits='currency',
            help="The actual costs plus the remaining forecast."),
        'get_figures')

    _amount_fields = ('amount', 'remaining_forecast', 'person_months')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.category.help = "Indirect costs are computed, not budgeted."
        t = cls.__table__()
        cls._sql_constraints += [
            ('line_unique', Unique(t, t.project, t.version, t.partner,
                    t.work_package, t.category, t.period),
                'concertes_eu_projects.msg_budget_line_unique'),
            ]
        cls._order = [
            ('project', 'ASC'), ('version', 'DESC'), ('partner', 'ASC'),
            ('work_package', 'ASC'), ('category', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_version(cls):
        return 'granted'

    def get_rec_name(self, name):
        return ' / '.join(filter(None, [
                    self.partner.rec_name, self.work_package.rec_name,
                    self.category.rec_name,
                    self.period.rec_name if self.period else None]))

    @classmethod
    def get_figures(cls, lines, names):
        projects = list({l.project for l in lines})
        figures = budget_figures(projects, date=context_date())

        def values(line):
            figure = figures[line.project.id]
            key = (line.partner.id, line.work_package.id, line.category.id)
            if line.period:
                first = line.period.first_month
                last = line.period.last_month

                def match(k):
                    return (k[:3] == key and k[3] is not None
                        and first <= k[3] <= last)
            else:
                def match(k):
                    return k[:3] == key
            actual = figure.total(figure.actual, match)
            remaining = figure.round(line.remaining_forecast or ZERO)
            return {
                'in_force': line.version == figure.version,
                'actual': actual,
                'consumption': ratio(actual, line.amount),
                'forecast': actual + remaining,
                }
        return getter_values(lines, names, values)


class FiguresMixin:
    "Budget, actual, consumption, forecast and alert of a part of a project"
    __slots__ = ()

    budget_amount = fields.Function(
        fields.Numeric("Budget", digits='currency'), 'get_budget_figures')
    actual_amount = fields.Function(
        fields.Numeric("Actual", digits='currency'), 'get_budget_figures')
    remaining_forecast = fields.Function(
        fields.Numeric("Remaining Forecast", digits='currency'),
        'get_budget_figures')
    forecast_amount = fields.Function(
        fields.Numeric("Forecast at Completion", digits='currency',
            help="The actual costs plus the remaining forecast."),
        'get_budget_figures')
    consumption = fields.Function(
        fields.Numeric("Consumption (%)", digits=(16, 4),
            help="The actual costs over the budget, in percent."),
        'get_budget_figures')
    left_to_spend = fields.Function(
        fields.Numeric("Left to Spend", digits='currency',
            help="The budget less the actual costs, while they stay within "
            "the budget."),
        'get_budget_figures')
    overspending = fields.Function(
        fields.Numeric("Overspending", digits='currency',
            help="The actual costs beyond the budget."),
        'get_budget_figures')
    consumption_alert = fields.Function(
        fields.Boolean("Consumption Alert",
            help="The consumption runs ahead of the time elapsed by more "
            "than the alert margin."),
        'get_budget_figures')

    @classmethod
    def _figures_project(cls, record):
        return record.project

    @classmethod
    def _figures_groups(cls, key):
        """The groups a key (partner, work package, category[, month])
        counts in"""
        raise NotImplementedError

    @classmethod
    def _figures_record_group(cls, record):
        "The group of keys that make the record's figures"
        raise NotImplementedError

    @classmethod
    def _figures_extra(cls, records, figures):
        "Other figures: {name: {id: value}}"
        return {}

    @classmethod
    def get_budget_figures(cls, records, names):
        pool = Pool()
        Configuration = pool.get('concertes.eu.configuration')
        margin = Configuration(1).alert_margin
        date = context_date()
        result = {n: {} for n in names}
        projects = list({cls._figures_project(r) for r in records
                if cls._figures_project(r)})
        figures = budget_figures(projects, date=date)
        grouped = {p.id: figures[p.id].grouped_totals(cls._figures_groups)
            for p in projects}
        extra = cls._figures_extra(records, figures)
        empty = {
            'budget': ZERO, 'actual': ZERO, 'remaining': ZERO,
            'forecast': ZERO, 'consumption': None, 'left_to_spend': ZERO,
            'overspending': ZERO}
        elapsed_times = {p.id: time_elapsed(p, date) for p in projects}
        for record in records:
            project = cls._figures_project(record)
            values = {}
            if project:
                values = dict(grouped[project.id].get(
                        cls._figures_record_group(record), empty))
                elapsed = elapsed_times[project.id]
                values['consumption_alert'] = bool(
                    values['consumption'] is not None
                    and elapsed is not None
                    and values['consumption'] - elapsed > margin)
                values['budget_amount'] = values.pop('budget')
                values['actual_amount'] = values.pop('actual')
                values['remaining_forecast'] = values.pop('remaining')
                values['forecast_amount'] = values.pop('forecast')
            for name in names:
                if name in extra:
                    result[name][record.id] = extra[name].get(record.id)
                else:
                    result[name][record.id] = values.get(name)
        return result


class Project(FiguresMixin, metaclass=PoolMeta):
    __name__ = 'concertes.eu.project'

    budget_lines = fields.One2Many(
        'concertes.eu.budget.line', 'project', "Budget Lines")
    expenses = fields.One2Many(
        'concertes.eu.expense', 'project', "Expenses")
    budget_version = fields.Function(
        fields.Selection([(None, "")] + VERSIONS, "Budget Version",
            help="The version of the budget in force."),
        'get_budget_figures')
    time_elapsed = fields.Function(
        fields.Numeric("Time Elapsed (%)", digits=(16, 4),
            help="The months completed over the duration, in percent."),
        'get_budget_figures')
    direct_actual = fields.Function(
        fields.Numeric("Direct Costs", digits='currency'),
        'get_budget_figures')
    indirect_actual = fields.Function(
        fields.Numeric("Indirect Costs", digits='currency',
            help="The flat rate of the programme times the direct costs "
            "except subcontracting and financial support to third "
            "parties."),
        'get_budget_figures')
    eu_contribution = fields.Function(
        fields.Numeric("EU Contribution", digits='currency',
            help="For actual costs: the funding rate times the direct and "
            "indirect costs of each partner, within its maximum "
            "contribution; for lump sums: the shares of the work packages "
            "completed.  Capped by the maximum grant."),
        'get_budget_figures')
    payments_received = fields.Function(
        fields.Numeric("Payments Received", digits='currency'),
        'get_budget_figures')
    eu_receivable = fields.Function(
        fields.Numeric("Still to Receive from the EU", digits='currency',
            help="The EU contribution earned less the payments received, "
            "while the EU still owes money."),
        'get_budget_figures')
    advance_to_justify = fields.Function(
        fields.Numeric("Advance to Justify", digits='currency',
            help="The payments received (pre-financing included) beyond the "
            "EU contribution earned so far: the actual costs or the work "
            "packages completed still have to justify it, or the EU "
            "recovers it at the end."),
        'get_budget_figures')

    @classmethod
    def _figures_project(cls, record):
        return record

    @classmethod
    def _figures_groups(cls, key):
        return [None]

    @classmethod
    def _figures_record_group(cls, record):
        return None

    @classmethod
    def _figures_extra(cls, projects, figures):
        pool = Pool()
        Partner = pool.get('concertes.eu.partner')
        Payment = pool.get('concertes.eu.payment')
        Share = pool.get('concertes.eu.lump_sum.share')
        contributions = Partner.eu_contributions(projects, figures)
        received = Payment.received_by_project(projects)
        lump_sums = Share.due_by_project(
            [p for p in projects if p.programme
                and p.programme.funding_model == 'lump_sum'])
        extra = defaultdict(dict)
        for project in projects:
            figure = figures[project.id]
            extra['budget_version'][project.id] = figure.version
            extra['time_elapsed'][project.id] = time_elapsed(project)
            direct, indirect_ = _split_indirect(figure)
            extra['direct_actual'][project.id] = direct
            extra['indirect_actual'][project.id] = indirect_
            if project.id in lump_sums:
                contribution = lump_sums[project.id]
            else:
                contribution = sum(
                    (v for (p, _), v in contributions.items()
                        if p == project.id), ZERO)
            if project.maximum_grant is not None:
                contribution = min(contribution, project.maximum_grant)
            contribution = project.currency.round(contribution)
            extra['eu_contribution'][project.id] = contribution
            paid = project.currency.round(received.get(project.id, ZERO))
            extra['payments_received'][project.id] = paid
            extra['eu_receivable'][project.id] = max(
                contribution - paid, ZERO)
            extra['advance_to_justify'][project.id] = max(
                paid - contribution, ZERO)
        return extra


def _split_indirect(figure):
    "The actual direct and indirect costs of a project"
    pool = Pool()
    Category = pool.get('concertes.eu.cost.category')
    indirect_ids = {c.id for c in Category.search([('kind', '=', 'indirect')])}
    indirect = figure.total(figure.actual, lambda k: k[2] in indirect_ids)
    direct = figure.total(figure.actual, lambda k: k[2] not in indirect_ids)
    return direct, indirect


class Partner(ProjectCurrencyMixin, FiguresMixin, metaclass=PoolMeta):
    __name__ = 'concertes.eu.partner'

    maximum_contribution = fields.Numeric(
        "Maximum Contribution", digits='currency',
        domain=empty_or('maximum_contribution', ('>=', 0)),
        help="The maximum EU contribution of the partner in the grant "
        "agreement.")
    eu_contribution = fields.Function(
        fields.Numeric("EU Contribution", digits='currency',
            help="The funding rate times the actual direct and indirect "
            "costs, within the maximum contribution."),
        'get_budget_figures')

    @classmethod
    def _figures_groups(cls, key):
        return [key[0]]

    @classmethod
    def _figures_record_group(cls, record):
        return record.id

    @classmethod
    def _figures_extra(cls, partners, figures):
        contributions = cls.eu_contributions(
            list({p.project for p in partners}), figures)
        return {'eu_contribution': {
                p.id: p.project.currency.round(
                    contributions.get((p.project.id, p.id), ZERO))
                for p in partners}}

    @classmethod
    def eu_contributions(cls, projects, figures):
        """The EU contribution of each partner of the projects on actual
        costs, unrounded: {(project id, partner id): amount}"""
        result = {}
        for project in projects:
            programme = project.programme
            if not programme or programme.funding_model == 'lump_sum':
                continue
            figure = figures[project.id]
            costs = defaultdict(Decimal)
            for key, amount in figure.actual.items():
                costs[key[0]] += amount
            for partner in project.partners:
                amount = programme.funding_rate * costs.get(partner.id, ZERO)
                if partner.maximum_contribution is not None:
                    amount = min(amount, partner.maximum_contribution)
                result[project.id, partner.id] = amount
        return result


class Work(FiguresMixin, metaclass=PoolMeta):
    __name__ = 'project.work'

    eu_currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'get_eu_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        for name in ['budget_amount', 'actual_amount', 'remaining_forecast',
                'forecast_amount', 'left_to_spend', 'overspending']:
            getattr(cls, name).digits = 'eu_currency'

    def get_eu_currency(self, name):
        if self.eu_project:
            return self.eu_project.currency

    @classmethod
    def _figures_project(cls, record):
        return record.eu_project

    @classmethod
    def _figures_groups(cls, key):
        return [key[1]]

    @classmethod
    def _figures_record_group(cls, record):
        return record.id


def _numeric(column):
    "The column as a number: SQLite keeps decimals as text"
    return Cast(column, 'NUMERIC')


def figure_keys():
    """The SQL query of the (project, partner, work_package, category) that
    have a figure: a budget line in force (not zero), an expense, timesheet
    lines (personnel costs of ourselves) and, where the programme has a rate,
    the indirect costs of the keys in the indirect base"""
    pool = Pool()
    BudgetLine = pool.get('concertes.eu.budget.line')
    Expense = pool.get('concertes.eu.expense')
    Line = pool.get('timesheet.line')
    TimesheetWork = pool.get('timesheet.work')
    Work = pool.get('project.work')
    Project = pool.get('concertes.eu.project')
    Company = pool.get('company.company')
    Partner = pool.get('concertes.eu.partner')
    Programme = pool.get('concertes.eu.programme')
    Category = pool.get('concertes.eu.cost.category')

    line, in_force = BudgetLine.__table__(), BudgetLine.__table__()
    # The latest version comes first in the alphabet (amended, granted,
    # submitted)
    version = in_force.select(
        in_force.project, Min(in_force.version).as_('version'),
        group_by=[in_force.project])
    budget = line.join(version, condition=(line.project == version.project)
        & (line.version == version.version)).select(
            line.project, line.partner, line.work_package, line.category,
            where=(_numeric(line.amount) != 0)
            | (Coalesce(_numeric(line.remaining_forecast), 0) != 0))

    expense = Expense.__table__()
    expenses = expense.select(
        expense.project, expense.partner, expense.work_package,
        expense.category)

    timesheet, timesheet_work = Line.__table__(), TimesheetWork.__table__()
    work, package = Work.__table__(), Work.__table__()
    project, company = Project.__table__(), Company.__table__()
    partner, programme = Partner.__table__(), Programme.__table__()
    category = Category.__table__()
    timesheets = (timesheet
        .join(timesheet_work, condition=timesheet.work == timesheet_work.id)
        .join(work, condition=timesheet_work.origin == Concat(
                'project.work,', Cast(work.id, 'VARCHAR')))
        .join(package, condition=(package.eu_project != Null)
            & Like(work.path, Concat(package.path, '%')))
        .join(project, condition=package.eu_project == project.id)
        .join(company, condition=project.company == company.id)
        .join(partner, condition=(partner.project == project.id)
            & (partner.party == company.party))
        .join(programme, condition=project.programme == programme.id)
        .join(category, condition=(
                category.funding_model == programme.funding_model)
            & (category.kind == 'personnel'))
        ).select(project.id, partner.id, package.id, category.id)
    keys = Union(budget, expenses, timesheets)

    base, indirect = Category.__table__(), Category.__table__()
    project, programme = Project.__table__(), Programme.__table__()
    indirects = (keys
        .join(base, condition=(keys.category == base.id)
            & (base.indirect_base == Literal(True)))
        .join(project, condition=keys.project == project.id)
        .join(programme, condition=(project.programme == programme.id)
            & (_numeric(programme.indirect_rate) > 0))
        .join(indirect, condition=(
                indirect.funding_model == programme.funding_model)
            & (indirect.kind == 'indirect'))
        ).select(keys.project, keys.partner, keys.work_package, indirect.id)
    return Union(keys, indirects)


class OverviewMixin(FiguresMixin):
    """A row of the budget overview: a part of the project with its total,
    and under it the part x each cost category, where there is a figure

    The part is given by the name of its field and its index in the keys of
    the figures."""
    __slots__ = ()
    _part_field = _part_index = None

    project = fields.Many2One('concertes.eu.project', "Project")
    category = fields.Many2One('concertes.eu.cost.category', "Category")
    parent = fields.Many2One(None, "Total")
    categories = fields.One2Many(None, 'parent', "Categories")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'get_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            (cls._part_field, 'ASC'), ('category', 'ASC NULLS FIRST'),
            ('id', 'ASC')]
        # The rows of a part's categories are under the row of its total
        cls.parent.model_name = cls.categories.model_name = cls.__name__
        cls.parent.string = '%s Total' % getattr(cls, cls._part_field).string

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('consumption_alert', False), 'danger', '')),
            ]

    def get_currency(self, name):
        return self.project.currency

    @classmethod
    def table_query(cls):
        """A row for each part with a figure (id: the part's id times
        CATEGORY_FACTOR), and under it a row for each of its categories
        with a figure"""
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        project = Project.__table__()
        keys = figure_keys()
        part = Column(keys, cls._part_field)
        columns = [
            Literal(0).as_('create_uid'),
            Min(project.create_date).as_('create_date'),
            Literal(Null).as_('write_uid'),
            Literal(Null).as_('write_date'),
            project.id.as_('project'),
            part.as_(cls._part_field),
            ]
        rows = keys.join(project, condition=keys.project == project.id)
        return Union(
            rows.select(
                (part * CATEGORY_FACTOR + keys.category).as_('id'),
                *columns,
                keys.category.as_('category'),
                (part * CATEGORY_FACTOR).as_('parent'),
                group_by=[project.id, part, keys.category]),
            rows.select(
                (part * CATEGORY_FACTOR).as_('id'),
                *columns,
                Cast(Null, 'INTEGER').as_('category'),
                Cast(Null, 'INTEGER').as_('parent'),
                group_by=[project.id, part]),
            all_=True)

    @classmethod
    def _figures_groups(cls, key):
        return [key[cls._part_index], (key[cls._part_index], key[2])]

    @classmethod
    def _figures_record_group(cls, record):
        part = getattr(record, cls._part_field).id
        return (part, record.category.id) if record.category else part


class OverviewPartner(OverviewMixin, ModelSQL, ModelView):
    "EU Budget Overview by Partner"
    __name__ = 'concertes.eu.budget.overview.partner'
    _part_field, _part_index = 'partner', 0

    partner = fields.Many2One('concertes.eu.partner', "Partner")


class OverviewWorkPackage(OverviewMixin, ModelSQL, ModelView):
    "EU Budget Overview by Work Package"
    __name__ = 'concertes.eu.budget.overview.work_package'
    _part_field, _part_index = 'work_package', 1

    work_package = fields.Many2One('project.work', "Work Package")


class Spending(ModelSQL, ModelView):
    "EU Project Spending over Time"
    __name__ = 'concertes.eu.budget.spending'

    project = fields.Many2One('concertes.eu.project', "Project")
    month = fields.Integer("Month")
    actual = fields.Function(
        fields.Numeric("Actual in the Month", digits=(16, 2)),
        'get_spending')
    cumulative = fields.Function(
        fields.Numeric("Cumulative Actual", digits=(16, 2)),
        'get_spending')
    consumption = fields.Function(
        fields.Float("Consumption (%)", digits=(16, 1),
            help="The cumulative actual costs over the budget."),
        'get_spending')
    time_elapsed = fields.Function(
        fields.Float("Time Elapsed (%)", digits=(16, 1),
            help="The months at the end of this one over the duration."),
        'get_spending')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('project', 'ASC'), ('month', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        project = Project.__table__()
        months = With('month', recursive=True)
        months.query = Select([Literal(1).as_('month')])
        months.query |= months.select(
            months.month + 1, where=months.month < 1200)
        months.query.all_ = True
        return project.join(months,
            condition=(months.month <= project.duration)).select(
            (project.id * 10000 + months.month).as_('id'),
            Literal(0).as_('create_uid'),
            project.create_date.as_('create_date'),
            Literal(Null).as_('write_uid'),
            Literal(Null).as_('write_date'),
            project.id.as_('project'),
            months.month.as_('month'),
            where=project.start_date != Null,
            with_=[months])

    def get_rec_name(self, name):
        return '%s M%s' % (self.project.rec_name, self.month)

    @classmethod
    def get_spending(cls, rows, names):
        projects = list({r.project for r in rows})
        figures = budget_figures(projects)
        monthly = {}
        for project in projects:
            figure = figures[project.id]
            by_month = defaultdict(Decimal)
            for key, amount in figure.actual.items():
                by_month[key[3]] += amount
            monthly[project.id] = (figure, by_month)

        def values(row):
            figure, by_month = monthly[row.project.id]
            budget = figure.total(figure.budget)
            cumulative = figure.round(sum(
                    (v for m, v in by_month.items() if m <= row.month), ZERO))
            return {
                'actual': figure.round(by_month.get(row.month, ZERO)),
                'cumulative': cumulative,
                'consumption': (
                    float(cumulative / budget * 100) if budget else None),
                'time_elapsed': (
                    row.month * 100. / row.project.duration),
                }
        return getter_values(rows, names, values)
