# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"Time booked on the EU projects: only while they run"
from trytond import backend
from trytond.i18n import gettext
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import FieldChecksMixin
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice


class TimesheetLine(FieldChecksMixin, metaclass=PoolMeta):
    __name__ = 'timesheet.line'
    _field_checks = {'check_eu_project_dates': {'work', 'date'}}

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        # A closing freezes the time booked before it: the rule is checked
        # when time is booked or changed, not on the lines it already holds
        super().check_modification(
            mode, lines, values=values, external=external)
        if mode == 'create':
            cls.check_eu_project_open(lines)
        elif mode == 'write':
            cls.check_eu_project_open(lines)
            if values and values.keys() & {'work', 'date'}:
                Work = Pool().get('timesheet.work')
                cls.check_eu_project_open(lines,
                    work=Work(values['work']) if values.get('work') else None,
                    date=values.get('date'))

    @classmethod
    def check_eu_project_dates(cls, lines):
        "Time is booked on an EU project only within its dates"
        projects = eu_projects_of_timesheet_works({l.work for l in lines})
        for line in lines:
            project = projects.get(line.work.id)
            if not project:
                continue
            start, end = project.start_date, project.end_date
            if ((start and line.date < start) or (end and line.date > end)):
                raise ValidationError(gettext(
                        'concertes_eu_projects'
                        '.msg_timesheet_outside_project_dates',
                        line=line.rec_name, date=line.date,
                        project=project.rec_name, start=start, end=end))

    @classmethod
    def check_eu_project_open(cls, lines, work=None, date=None):
        """No time is booked (on work at date, when given, instead of the
        line's) on a closed EU project nor in a closed reporting period"""
        projects = eu_projects_of_timesheet_works(
            {work or l.work for l in lines})
        for line in lines:
            project = projects.get((work or line.work).id)
            if not project:
                continue
            day = date or line.date
            if project.state == 'closed':
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_timesheet_project_closed',
                        line=line.rec_name, project=project.rec_name))
            for period in project.periods:
                if (period.state == 'closed'
                        and period.start_date <= day <= period.end_date):
                    raise ValidationError(gettext(
                            'concertes_eu_projects'
                            '.msg_timesheet_period_closed',
                            line=line.rec_name, date=day,
                            period=period.rec_name,
                            project=project.rec_name))


def eu_projects_of_timesheet_works(timesheet_works):
    """The EU project of each timesheet work booked on one of its work
    packages or their tasks: {timesheet work id: project}"""
    pool = Pool()
    Work = pool.get('project.work')
    origins = {}
    for timesheet_work in timesheet_works:
        origin = timesheet_work.origin
        if isinstance(origin, Work) and origin.id >= 0:
            origins[timesheet_work.id] = origin
    ancestor_ids = set()
    for origin in origins.values():
        ancestor_ids.update(int(i) for i in (origin.path or '').split('/')
            if i)
    packages = {}
    for sub_ids in grouped_slice(ancestor_ids, backend.MAX_QUERY_PARAMS):
        for work in Work.search([
                    ('id', 'in', list(sub_ids)),
                    ('eu_project', '!=', None),
                    ]):
            packages[work.id] = work
    result = {}
    for timesheet_work_id, origin in origins.items():
        for i in (origin.path or '').split('/'):
            if i and int(i) in packages:
                result[timesheet_work_id] = packages[int(i)].eu_project
                break
    return result
