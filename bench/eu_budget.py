#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Benchmark of the budget overview of an EU project (reported, not asserted).

    python bench/eu_budget.py [--database bench_eu_budget] [--runs 5]

On PostgreSQL (TRYTOND_DATABASE__URI, by default the local server), a
database with concertes_eu_projects is created once with two projects of 20
partners x 8 work packages x 8 cost categories (1,120 budget lines, 400
expense lines): BENCH-20000 with 20,000 timesheet lines and BENCH-2000 with
2,000.  The overview is what the officer opens: the rows partner x category
and work package x category with budget, actual, consumption, forecast and
alert, and the project's totals (indirect costs, EU contribution, balance).
It reports the median time of the runs and the number of SQL queries of one
run, counted by trytond's SQL logger; the goal is under 300 ms, with as many
queries for 2,000 lines as for 20,000.
"""
import argparse
import datetime as dt
import logging
import os
import pathlib
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_URI = 'postgresql://postgres@127.0.0.1:5432/'
PARTNERS, PACKAGES, EMPLOYEES = 20, 8, 12
SQL_LOGGER = 'trytond.backend.postgresql.database'


class Counter(logging.Handler):
    "Counts the queries trytond logs"

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def setup_database(name):
    env = dict(os.environ)
    for key in ['DB_NAME', 'DB_CACHE']:
        env.pop(key, None)
    env.setdefault('CONCERTES_ADMIN_PASSWORD', 'bench')
    subprocess.run([
            sys.executable, str(ROOT / 'tools' / 'setup_db.py'),
            '--database', name, '--modules', 'concertes_eu_projects'],
        env=env, check=True)


def generate(name, acronym, lines):
    "The project acronym with lines timesheet lines, unless it exists"
    from world import World

    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with Transaction().start(name, 0, context={'active_test': False}):
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        Company = pool.get('company.company')
        if Project.search([('acronym', '=', acronym)]):
            return
        companies = Company.search([('party.name', '=', 'ConcertES')])
        if companies:
            company, = companies
        else:
            # ConcertES as the benchmarks of the daily operations make it
            world = World(1)
            world.make_company(pool)
            company = world.company
        with Transaction().set_context(company=company.id):
            _generate(pool, company, acronym, lines)
        Transaction().commit()


def _generate(pool, company, acronym, count):
    from sql import Literal

    from trytond.transaction import Transaction

    Party = pool.get('party.party')
    Project = pool.get('concertes.eu.project')
    Programme = pool.get('concertes.eu.programme')
    Partner = pool.get('concertes.eu.partner')
    Work = pool.get('project.work')
    Employee = pool.get('company.employee')
    CostPrice = pool.get('company.employee_cost_price')
    Rate = pool.get('concertes.eu.personnel.rate')
    Category = pool.get('concertes.eu.cost.category')
    BudgetLine = pool.get('concertes.eu.budget.line')
    Expense = pool.get('concertes.eu.expense')
    Line = pool.get('timesheet.line')
    random.seed(acronym)

    programme, = Programme.search([('code', '=', 'HORIZON-RIA')])
    project, = Project.create([{
                'acronym': acronym, 'programme': programme.id,
                'start_date': dt.date(2024, 1, 1), 'duration': 48,
                'maximum_grant': Decimal('9000000'), 'role': 'coordinator',
                }])
    parties = Party.create([
            {'name': '%s partner %s' % (acronym, i)}
            for i in range(2, PARTNERS + 1)])
    values = [{'project': project.id, 'party': company.party.id,
            'number': 1, 'role': 'coordinator'}]
    values += [{'project': project.id, 'party': p.id, 'number': i}
        for i, p in enumerate(parties, 2)]
    partners = Partner.create(values)
    packages = Work.create([{
                'name': "Work package %s" % i, 'eu_project': project.id,
                'wp_number': i, 'first_month': 1, 'last_month': 48,
                'timesheet_available': True,
                } for i in range(1, PACKAGES + 1)])
    categories = Category.search([
            ('funding_model', '=', 'actual_costs'),
            ('kind', '!=', 'indirect')])
    BudgetLine.create([{
                'project': project.id, 'partner': partner.id,
                'work_package': package.id, 'category': category.id,
                'amount': Decimal(random.randrange(1000, 90000)),
                'remaining_forecast': Decimal(random.randrange(0, 5000)),
                } for partner in partners for package in packages
            for category in categories])
    Expense.create([{
                'project': project.id,
                'partner': random.choice(partners).id,
                'work_package': random.choice(packages).id,
                'category': random.choice(categories[1:]).id,
                'date': dt.date(2024, 1, 1) + dt.timedelta(
                    days=random.randrange(0, 700)),
                'amount': Decimal(random.randrange(100, 5000)),
                } for _ in range(400)])
    employee_parties = Party.create([
            {'name': '%s employee %s' % (acronym, i)}
            for i in range(EMPLOYEES)])
    employees = Employee.create([
            {'party': p.id, 'company': company.id}
            for p in employee_parties])
    CostPrice.create([{
                'employee': e.id, 'date': dt.date(2020, 1, 1),
                'cost_price': Decimal(random.randrange(30, 60))}
            for e in employees])
    Rate.create([{
                'employee': e.id, 'year': 2024,
                'annual_cost': Decimal(random.randrange(50000, 90000))}
            for e in employees[:EMPLOYEES // 2]])
    works = [p.timesheet_works[0] for p in packages]
    cost = {e.id: e.cost_prices[0].cost_price for e in employees}
    line = Line.__table__()
    cursor = Transaction().connection.cursor()
    rows = []
    for _ in range(count):
        employee = random.choice(employees)
        rows.append([
                Literal(company.id), Literal(employee.id),
                Literal(random.choice(works).id),
                Literal(dt.date(2024, 1, 1) + dt.timedelta(
                        days=random.randrange(0, 700))),
                Literal(dt.timedelta(hours=random.choice([1, 2, 3.8, 7.6]))),
                Literal(cost[employee.id]), Literal(0),
                Literal(dt.datetime.now())])
    for i in range(0, len(rows), 1000):
        cursor.execute(*line.insert([
                    line.company, line.employee, line.work, line.date,
                    line.duration, line.cost_price, line.create_uid,
                    line.create_date], rows[i:i + 1000]))


def overview(name, acronym):
    "The budget overview of the project as the client reads it"
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with Transaction().start(name, 0, readonly=True) as transaction:
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        OverviewPartner = pool.get('concertes.eu.budget.overview.partner')
        OverviewWP = pool.get('concertes.eu.budget.overview.work_package')
        project, = Project.search([('acronym', '=', acronym)])
        figures = ['budget_amount', 'actual_amount', 'consumption',
            'remaining_forecast', 'forecast_amount', 'consumption_alert']
        company = project.company.id
    with Transaction().start(name, 0, readonly=True, context={
                'company': company, 'date': dt.date(2025, 12, 1),
                }) as transaction:
        start = time.perf_counter()
        rows = OverviewPartner.search([('project', '=', project.id)])
        partner_rows = OverviewPartner.read(
            [r.id for r in rows], ['partner', 'category'] + figures)
        rows = OverviewWP.search([('project', '=', project.id)])
        package_rows = OverviewWP.read(
            [r.id for r in rows], ['work_package', 'category'] + figures)
        totals = Project.read([project.id], figures + [
                'time_elapsed', 'direct_actual', 'indirect_actual',
                'eu_contribution', 'payments_received', 'balance'])
        elapsed = time.perf_counter() - start
        del transaction
    return elapsed, len(partner_rows), len(package_rows), totals[0]


def measure(name, acronym, runs):
    from trytond.cache import Cache

    times = []
    for _ in range(runs):
        Cache.clear_all()
        elapsed, *_ = overview(name, acronym)
        times.append(elapsed)
    logger = logging.getLogger(SQL_LOGGER)
    counter = Counter()
    logger.addHandler(counter)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        _, partner_rows, package_rows, totals = overview(name, acronym)
    finally:
        logger.setLevel(level)
        logger.removeHandler(counter)
    return statistics.median(times), counter.count, partner_rows, \
        package_rows, totals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--database', default='bench_eu_budget')
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault('TRYTOND_DATABASE__URI', DEFAULT_URI)
    os.environ.setdefault('TRYTOND_CONFIG', str(ROOT / 'trytond.conf'))
    if not os.environ['TRYTOND_DATABASE__URI'].startswith('postgresql'):
        raise SystemExit('the benchmark runs on PostgreSQL')
    setup_database(args.database)
    from trytond.pool import Pool
    Pool.start()
    pool = Pool(args.database)
    pool.init()
    for acronym, lines in [('BENCH-20000', 20000), ('BENCH-2000', 2000)]:
        generate(args.database, acronym, lines)
    print('budget overview of one project: %s partners x %s work packages'
        ' x 8 categories' % (PARTNERS, PACKAGES))
    for acronym, lines in [('BENCH-20000', 20000), ('BENCH-2000', 2000)]:
        median, queries, partner_rows, package_rows, totals = measure(
            args.database, acronym, args.runs)
        print('%6d timesheet lines: %4.0f ms (median of %s), %s SQL queries,'
            ' %s partner rows, %s work-package rows; actual %s, EU '
            'contribution %s' % (
                lines, median * 1000, args.runs, queries, partner_rows,
                package_rows, totals['actual_amount'],
                totals['eu_contribution']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
