# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from icalendar import Calendar, Event

from trytond.modules.concertes_members.report import PdfReportMixin
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction


def deadlines_calendar(projects):
    """An iCalendar (bytes) of the deadlines of the projects: deliverables,
    milestones and periodic reports, as all-day events"""
    calendar = Calendar()
    calendar.add('prodid', '-//ConcertES//EU projects//FR')
    calendar.add('version', '2.0')
    calendar.add('x-wr-calname', ', '.join(p.acronym for p in projects))
    database = Transaction().database.name
    stamp = dt.datetime.now(dt.timezone.utc)
    for project in projects:
        items = []
        for deliverable in project.deliverables:
            items.append((
                    'deliverable', deliverable, deliverable.due_date,
                    '%s %s' % (deliverable.number, deliverable.title)))
        for milestone in project.milestones:
            items.append((
                    'milestone', milestone, milestone.due_date,
                    '%s %s' % (milestone.number, milestone.title)))
        for period in project.periods:
            items.append((
                    'period', period, period.report_due_date,
                    'P%s (M%s-M%s)' % (
                        period.number, period.first_month,
                        period.last_month)))
        for kind, record, date, summary in items:
            if not date:
                continue
            event = Event()
            event.add('uid', '%s-%s@%s.concertes' % (
                    kind, record.id, database))
            event.add('dtstamp', stamp)
            event.add('dtstart', date)
            event.add('dtend', date + dt.timedelta(days=1))
            event.add('summary', '[%s] %s' % (project.acronym, summary))
            event.add('categories', [kind])
            event.add('description', record.state_string)
            calendar.add_component(event)
    return calendar.to_ical()


class ProjectStatus(PdfReportMixin, Report):
    "EU Project Status"
    __name__ = 'concertes.eu.project.status'


class ProjectDeadlines(Report):
    "EU Project Deadlines (iCalendar)"
    __name__ = 'concertes.eu.project.deadlines'

    @classmethod
    def execute(cls, ids, data):
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        Project = pool.get('concertes.eu.project')
        action_id = data.get('action_id')
        if action_id is None:
            action_report, = ActionReport.search([
                    ('report_name', '=', cls.__name__),
                    ], limit=1)
        else:
            action_report = ActionReport(action_id)
        ids = list(map(int, ids))
        cls.check_access(action_report, Project.__name__, ids)
        projects = Project.browse(ids)
        name = '-'.join(p.acronym for p in projects) or action_report.name
        return ('ics', deadlines_calendar(projects), False, name)
