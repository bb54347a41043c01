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
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        result = defaultdict(lambda: {
                'mandates': [],
                'meetings_attended': 0,
                'not_retained': [],
                })
        for mandate in sorted(Mandate.active_at(end), key=lambda m: (
                    m.seat_type != 'effective', m.start_date, m.id)):
            result[mandate.body.code]['mandates'].append({
                    'person': mandate.person.rec_name,
                    'on_behalf_of': (mandate.on_behalf_of.rec_name
                        if mandate.on_behalf_of else None),
                    'role': mandate.role,
                    'seat': mandate.seat_type,
                    })
        attendances = Attendance.search([
                ('mandate', '!=', None),
                ('status', '=', 'present'),
                ('meeting.state', '=', 'held'),
                ('meeting.start', '>=', dt.datetime(year, 1, 1)),
                ('meeting.start', '<', dt.datetime(year + 1, 1, 1)),
                ])
        attended = defaultdict(set)
        for attendance in attendances:
            attended[attendance.meeting.body.code].add(attendance.meeting.id)
        for code, meetings in attended.items():
            result[code]['meetings_attended'] = len(meetings)
        for mandate in Mandate.search([
                    ('state', '=', 'not_retained'),
                    ('start_date', '>=', start),
                    ('start_date', '<=', end),
                    ], order=[('start_date', 'ASC'), ('id', 'ASC')]):
            result[mandate.body.code]['not_retained'].append({
                    'person': mandate.person.rec_name,
                    'on_behalf_of': (mandate.on_behalf_of.rec_name
                        if mandate.on_behalf_of else None),
                    'date': mandate.start_date.isoformat(),
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
