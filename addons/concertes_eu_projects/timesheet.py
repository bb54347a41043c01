# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"Time booked on the EU projects: only while they run"
from trytond import backend
from trytond.i18n import gettext
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice


class TimesheetLine(metaclass=PoolMeta):
    __name__ = 'timesheet.line'

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names & {'work', 'date'}:
            cls.check_eu_project(lines)

    @classmethod
    def check_eu_project(cls, lines):
        """Time is booked on an EU project only while it runs: not once it is
        closed, not outside its dates, not in a closed reporting period"""
        works = {l.work for l in lines}
        projects = eu_projects_of_timesheet_works(works)
        for line in lines:
            project = projects.get(line.work.id)
            if not project:
                continue
            if project.state == 'closed':
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_timesheet_project_closed',
                        line=line.rec_name, project=project.rec_name))
            start, end = project.start_date, project.end_date
            if ((start and line.date < start) or (end and line.date > end)):
                raise ValidationError(gettext(
                        'concertes_eu_projects'
                        '.msg_timesheet_outside_project_dates',
                        line=line.rec_name, date=line.date,
                        project=project.rec_name, start=start, end=end))
            for period in project.periods:
                if (period.state == 'closed'
                        and period.start_date <= line.date
                        <= period.end_date):
                    raise ValidationError(gettext(
                            'concertes_eu_projects'
                            '.msg_timesheet_period_closed',
                            line=line.rec_name, date=line.date,
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
