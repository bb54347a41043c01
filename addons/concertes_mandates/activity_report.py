# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict

from trytond.pool import Pool, PoolMeta


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
        attended = defaultdict(set)
        for _, meeting, body in Attendance.attended(year):
            attended[body].add(meeting)
        for body in Body.browse(list(attended)):
            result[body.code]['meetings_attended'] = len(attended[body.id])
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
