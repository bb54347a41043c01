# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""With concertes_eu_projects: the work packages are activities funded by
their EU project, and the yearly days of the EU declarations and of the
grants count together"""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_eu_projects.timesheet import (
    eu_projects_of_timesheet_works)
from trytond.modules.concertes_members.common import (
    DAYS_PER_YEAR, FieldChecksMixin)
from trytond.pool import Pool, PoolMeta

from .timesheet import Funding


class Work(FieldChecksMixin, metaclass=PoolMeta):
    __name__ = 'timesheet.work'
    _field_checks = {'check_funded_once': {'grant', 'origin'}}

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.activity.selection.append(('eu_project', "EU Project"))

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        ProjectWork = pool.get('project.work')
        values = super().preprocess_values(mode, values)
        origin = values.get('origin')
        if mode == 'create' and isinstance(origin, str) and (
                origin.startswith('project.work,')):
            work = ProjectWork(int(origin.split(',')[1]))
            ancestors = [int(i) for i in (work.path or '').split('/') if i]
            if ProjectWork.search([
                        ('id', 'in', ancestors or [work.id]),
                        ('eu_project', '!=', None),
                        ], limit=1):
                values['activity'] = 'eu_project'
        return values

    @classmethod
    def funding(cls, works):
        result = super().funding(works)
        for work_id, project in eu_projects_of_timesheet_works(
                works).items():
            programme = project.programme
            result[work_id] = Funding(
                project, project.rec_name,
                programme.rec_name if programme else '',
                programme.days_per_year if programme else DAYS_PER_YEAR,
                project.start_date, project.end_date)
        return result

    @classmethod
    def check_funded_once(cls, works):
        """The time on a work package is charged to its EU project: no grant
        pays for it as well"""
        projects = eu_projects_of_timesheet_works(
            [w for w in works if w.grant])
        for work in works:
            if work.id in projects:
                raise ValidationError(gettext(
                        'concertes_funding.msg_work_funded_twice',
                        work=work.rec_name, grant=work.grant.rec_name,
                        project=projects[work.id].rec_name))


class Declaration(metaclass=PoolMeta):
    __name__ = 'concertes.time.declaration'

    @classmethod
    def funded_days_by_year(cls, employee_years):
        """The days on an EU project are those of its own declarations when
        they declare more"""
        pool = Pool()
        EUDeclaration = pool.get('concertes.eu.time.declaration')
        Project = pool.get('concertes.eu.project')
        result = super().funded_days_by_year(employee_years)
        for employee, year, project, days in EUDeclaration.declared_days(
                employee_years, 'project'):
            by_source = result[employee, year]
            project = Project(project)
            by_source[project] = max(by_source[project], days)
        return result


class EUDeclaration(metaclass=PoolMeta):
    __name__ = 'concertes.eu.time.declaration'

    @classmethod
    def days_by_year(cls, employee_years):
        "The days of the grants count with those of the EU projects"
        pool = Pool()
        Declaration = pool.get('concertes.time.declaration')
        Grant = pool.get('concertes.grant')
        result = defaultdict(Decimal, super().days_by_year(employee_years))
        for key, by_source in Declaration.funded_days_by_year(
                employee_years).items():
            result[key] += sum((days for source, days in by_source.items()
                    if isinstance(source, Grant)), Decimal(0))
        return result
