# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The allocation of the team's time and cost over the funders and the
activities, for a year: the table a funder's financial report needs"""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.concertes_members.common import (
    DAYS_PER_YEAR, LastYearStartMixin, PrintWizardMixin, check_report_year,
    hours_of, print_buttons)
from trytond.modules.concertes_members.report import PdfReportMixin
from trytond.pool import Pool
from trytond.report import Report
from trytond.rpc import RPC
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import StateAction, StateView, Wizard


def costs_visible():
    """Whether the user may read the personnel costs (administration and
    finance only, docs/access.md)"""
    FieldAccess = Pool().get('ir.model.field.access')
    if not Transaction().user or not Transaction().check_access:
        return True
    model = 'concertes.employee.contract'
    access = FieldAccess.get_access([model])[model].get('yearly_cost')
    return not access or bool(access['read'])


def _round(value):
    return value.quantize(Decimal('0.01'))


class Allocation(ModelView):
    """ConcertES Team Allocation

    Each person's time and cost of a year split over the funders and the
    activities: the days booked (hours over the hours of a working day)
    times the daily rate, the person's cost of the year (the yearly cost of
    each contract for the part of the year it covers) over the days per
    year of the funder, pro rata of the working time.  An hour outside the
    period of its grant is not funded; the time no one funds is costed at
    the days per year of the EU rule."""
    __name__ = 'concertes.team.allocation'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__.update({'table': RPC()})

    @classmethod
    def table(cls, year, grant=None):
        """The allocation of the year, of the given grant's time only when
        one is given (an id): {'year', 'grant', 'people': [{'employee',
        'function', 'working_time', 'cost', 'hours', 'days', 'lines':
        [{'funding', 'funder', 'activity', 'hours', 'days', 'share',
        'cost'}]}], 'fundings': [{'funding', 'funder', 'hours', 'days',
        'cost'}], 'hours', 'days', 'cost'}; the costs are None for the users
        who may not read them"""
        pool = Pool()
        Line = pool.get('timesheet.line')
        Work = pool.get('timesheet.work')
        Employee = pool.get('company.employee')
        Contract = pool.get('concertes.employee.contract')
        Grant = pool.get('concertes.grant')
        cursor = Transaction().connection.cursor()
        line = Line.__table__()
        # the time no grant nor project funds
        unfunded = gettext('concertes_funding.msg_allocation_unfunded')
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        grant = Grant(grant) if grant else None

        hours = defaultdict(lambda: defaultdict(Decimal))
        cursor.execute(*line.select(
                line.employee, line.work, line.date, Sum(line.duration),
                where=(line.date >= start) & (line.date <= end),
                group_by=[line.employee, line.work, line.date]))
        rows = cursor.fetchall()
        works = Work.browse(list({r[1] for r in rows}))
        funding = Work.funding(works)
        work_names = {w.id: w.rec_name for w in works}
        activities = dict(Work.fields_get(['activity'])['activity'][
                'selection'])
        work_activity = {w.id: activities.get(w.activity, w.activity)
            for w in works}
        for employee, work, date, duration in rows:
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            source = funding.get(work)
            if source and not (
                    (not source.start or source.start <= date)
                    and (not source.end or date <= source.end)):
                source = None
            hours[employee][work, source] += hours_of(duration)

        visible = costs_visible()
        contracts = defaultdict(list)
        for sub_ids in grouped_slice(list(hours), backend.MAX_QUERY_PARAMS):
            for contract in Contract.search([
                        ('employee', 'in', list(sub_ids)),
                        ('start_date', '<=', end),
                        ['OR',
                            ('end_date', '=', None),
                            ('end_date', '>=', start),
                            ],
                        ], order=[('start_date', 'ASC')]):
                contracts[contract.employee.id].append(contract)

        people = []
        fundings = defaultdict(lambda: defaultdict(Decimal))
        for employee in Employee.browse(list(hours)):
            company = employee.company
            hours_per_day = Decimal(str(company.hours_per_work_day))
            employee_contracts = contracts.get(employee.id, [])
            working_time = sum((c.working_time * c.year_share(year)
                    for c in employee_contracts), Decimal(0))
            cost = sum(((c.yearly_cost or 0) * c.year_share(year)
                    for c in employee_contracts), Decimal(0))
            total = sum(hours[employee.id].values(), Decimal(0))
            lines = []
            for (work, source), value in sorted(
                    hours[employee.id].items(),
                    key=lambda i: (i[0][1] is None,
                        i[0][1].name if i[0][1] else '',
                        work_names[i[0][0]])):
                if grant and (not source or source.source != grant):
                    continue
                name = source.name if source else None
                funder = source.funder if source else None
                share = value / total if total else Decimal(0)
                days = value / hours_per_day
                days_per_year = (source.days_per_year if source
                    else DAYS_PER_YEAR) * working_time
                line_cost = (cost * days / days_per_year if days_per_year
                    else Decimal(0))
                lines.append({
                        'funding': name or unfunded,
                        'funder': funder or '',
                        'activity': work_names[work],
                        'kind': work_activity[work],
                        'hours': _round(value),
                        'days': _round(days),
                        'share': _round(share * 100),
                        'cost': _round(line_cost) if visible else None,
                        })
                totals = fundings[name, funder or '']
                totals['hours'] += value
                totals['days'] += days
                totals['cost'] += line_cost
            if not lines:
                continue
            function = (employee_contracts[-1].function
                if employee_contracts else '')
            people.append({
                    'employee': employee.rec_name,
                    'function': function,
                    'working_time': _round(working_time),
                    'cost': _round(cost) if visible else None,
                    'hours': _round(sum(
                            (l['hours'] for l in lines), Decimal(0))),
                    'days': _round(sum(
                            (l['days'] for l in lines), Decimal(0))),
                    'line_cost': (_round(sum(
                                (l['cost'] for l in lines), Decimal(0)))
                        if visible else None),
                    'lines': lines,
                    })
        people.sort(key=lambda p: p['employee'])
        funding_rows = [{
                'funding': name or unfunded, 'funder': funder,
                'hours': _round(v['hours']), 'days': _round(v['days']),
                'cost': _round(v['cost']) if visible else None,
                } for (name, funder), v in sorted(
                fundings.items(),
                key=lambda i: (i[0][0] is None, i[0][0] or '', i[0][1]))]
        return {
            'year': year,
            'grant': grant.rec_name if grant else None,
            'funder': grant.funder.rec_name if grant else None,
            'people': people,
            'fundings': funding_rows,
            'hours': sum((f['hours'] for f in funding_rows), Decimal(0)),
            'days': sum((f['days'] for f in funding_rows), Decimal(0)),
            'cost': (sum((f['cost'] for f in funding_rows), Decimal(0))
                if visible else None),
            }


class AllocationReport(PdfReportMixin, Report):
    "ConcertES Team Allocation"
    __name__ = 'concertes.team.allocation.report'

    @classmethod
    def get_context(cls, records, header, data):
        Allocation = Pool().get('concertes.team.allocation')
        context = super().get_context(records, header, data)
        # the template is written in French
        with Transaction().set_context(language='fr'):
            context['table'] = Allocation.table(
                int(data['year']), data.get('grant'))
        context['format_amount'] = format_amount
        return context


def format_amount(value):
    "An amount the French way: 12 345,67"
    if value is None:
        return '–'
    return '{:,.2f}'.format(value).replace(',', ' ').replace('.', ',')


class AllocationStart(LastYearStartMixin, ModelView):
    "Team Allocation"
    __name__ = 'concertes.team.allocation.start'

    year = fields.Integer(
        "Year", required=True, help="The calendar year of the allocation.")
    grant = fields.Many2One(
        'concertes.grant', "Grant",
        help="The grant whose financial report the table is for "
        "(empty: all the funders).")


class PrintAllocation(PrintWizardMixin, Wizard):
    "Print Team Allocation"
    __name__ = 'concertes.team.allocation.print'

    start = StateView(
        'concertes.team.allocation.start',
        'concertes_funding.allocation_start_view_form', print_buttons())
    print_ = StateAction('concertes_funding.report_allocation')
    print_odt = StateAction('concertes_funding.report_allocation_odt')

    def _data(self):
        check_report_year(
            self.start.year, 'concertes_funding.msg_allocation_year')
        return {
            'year': self.start.year,
            'grant': self.start.grant.id if self.start.grant else None,
            }
