# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict

from sql import Null
from sql.aggregate import Count

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class ActivityReport(metaclass=PoolMeta):
    __name__ = 'concertes.activity.report'

    @classmethod
    def sections(cls):
        return super().sections() + ['mandates', 'opinions']

    @classmethod
    def section_mandates(cls, year):
        """Per body code: the mandates held on 31 December (role, effective
        or substitute), the meetings attended for us during the year and
        the candidacies not retained"""
        pool = Pool()
        Mandate = pool.get('concertes.mandate')
        Attendance = pool.get('concertes.meeting.attendance')
        Meeting = pool.get('concertes.meeting')
        Body = pool.get('concertes.body')
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        result = defaultdict(lambda: {
                'mandates': [],
                'meetings_attended': 0,
                'not_retained': [],
                })
        # plain rows read at once: walking the records, the record cache
        # instantiates the parties again for each mandate (bench/)
        fields = ['body.code', 'person.rec_name', 'on_behalf_of.rec_name',
            'role', 'seat_type', 'start_date']
        active = Mandate.read(
            [m.id for m in Mandate.active_at(end)], fields)
        active.sort(key=lambda m: (
                m['seat_type'] != 'effective', m['start_date'], m['id']))
        for mandate in active:
            result[mandate['body.']['code']]['mandates'].append({
                    'person': mandate['person.']['rec_name'],
                    'on_behalf_of': _name(mandate['on_behalf_of.']),
                    'role': mandate['role'],
                    'seat': mandate['seat_type'],
                    })
        # counted in SQL: walking thousands of attendances record by record
        # grows faster than the data (bench/)
        attendance = Attendance.__table__()
        meeting = Meeting.__table__()
        body = Body.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*attendance.join(meeting,
                condition=attendance.meeting == meeting.id
                ).join(body, condition=meeting.body == body.id
                ).select(body.code, Count(meeting.id, distinct=True),
                where=(attendance.mandate != Null)
                & (attendance.status == 'present')
                & (meeting.state == 'held')
                & (meeting.start >= dt.datetime(year, 1, 1))
                & (meeting.start < dt.datetime(year + 1, 1, 1)),
                group_by=[body.code]))
        for code, count in cursor:
            result[code]['meetings_attended'] = count
        for mandate in Mandate.search_read([
                    ('state', '=', 'not_retained'),
                    ('start_date', '>=', start),
                    ('start_date', '<=', end),
                    ], order=[('start_date', 'ASC'), ('id', 'ASC')],
                fields_names=fields):
            result[mandate['body.']['code']]['not_retained'].append({
                    'person': mandate['person.']['rec_name'],
                    'on_behalf_of': _name(mandate['on_behalf_of.']),
                    'date': mandate['start_date'].isoformat(),
                    })
        return dict(sorted(result.items()))

    @classmethod
    def section_opinions(cls, year):
        "Per body code: the opinions issued during the year"
        Opinion = Pool().get('concertes.opinion')
        result = defaultdict(list)
        for opinion in Opinion.search([
                    ('issue_date', '>=', dt.date(year, 1, 1)),
                    ('issue_date', '<=', dt.date(year, 12, 31)),
                    ], order=[('issue_date', 'ASC'), ('id', 'ASC')]):
            result[opinion.body.code].append({
                    'subject': opinion.subject,
                    'requested_by': (opinion.requested_by.rec_name
                        if opinion.requested_by else None),
                    'request_date': (opinion.request_date.isoformat()
                        if opinion.request_date else None),
                    'issue_date': opinion.issue_date.isoformat(),
                    })
        return {
            code: {'count': len(opinions), 'opinions': opinions}
            for code, opinions in sorted(result.items())}


def _name(related):
    "The name of a related record read, None when empty"
    return related['rec_name'] if related else None
