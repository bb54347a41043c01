# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The set-ups shared by the tests of concertes_eu_projects"
import functools

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction


def with_company(func):
    """Run the test in a transaction as the user of a new company, which it
    receives"""
    @with_transaction()
    @functools.wraps(func)
    def wrapper(self):
        company = create_company()
        with set_company(company):
            return func(self, company)
    return wrapper


def create_project(code='HORIZON-RIA', **values):
    "A project of 24 months in the programme of code"
    pool = Pool()
    Project = pool.get('concertes.eu.project')
    Programme = pool.get('concertes.eu.programme')
    programme, = Programme.search([('code', '=', code)])
    values.setdefault('acronym', 'TEST')
    values.setdefault('programme', programme.id)
    values.setdefault('duration', 24)
    project, = Project.create([values])
    return project


def create_work_package(project, number=1, first=1, last=None, **values):
    "Work package number over the months first to last (the last one)"
    Work = Pool().get('project.work')
    values.update({
            'name': "WP %s" % number,
            'eu_project': project.id,
            'wp_number': number,
            'first_month': first,
            'last_month': project.duration if last is None else last,
            })
    work, = Work.create([values])
    return work


def create_periods(project, *months):
    "The reporting periods of the project over (first, last) months"
    Period = Pool().get('concertes.eu.period')
    return Period.create([{
                'project': project.id, 'number': number,
                'first_month': first, 'last_month': last}
            for number, (first, last) in enumerate(months, 1)])
