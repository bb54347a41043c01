# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict

from trytond.modules.concertes_members.annual_report import (
    format_rate, key_figure, selection_labels)
from trytond.pool import Pool, PoolMeta


class ActivityReport(metaclass=PoolMeta):
    __name__ = 'concertes.activity.report'
    _sections = ['mandates', 'opinions']

    @classmethod
    def section_mandates(cls, year):
        """Per body code: the body's full name, the mandates held on
        31 December (role, effective or substitute), the meetings attended
        for us during the year and the candidacies not retained"""
        pool = Pool()
        Mandate = pool.get('concertes.mandate')
        Attendance = pool.get('concertes.meeting.attendance')
        Body = pool.get('concertes.body')
        start, end = cls._year_bounds(year)
        result = defaultdict(lambda: {
                'name': None,
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
        for body in Body.search([('code', 'in', list(result))]):
            result[body.code]['name'] = body.name
        return dict(sorted(result.items()))

    @classmethod
    def section_opinions(cls, year):
        "Per body code: the body's full name and the opinions it issued"
        Opinion = Pool().get('concertes.opinion')
        result = defaultdict(list)
        names = {}
        for opinion in Opinion.search([
                    ('issue_date', '>=', dt.date(year, 1, 1)),
                    ('issue_date', '<=', dt.date(year, 12, 31)),
                    ], order=[('issue_date', 'ASC'), ('id', 'ASC')]):
            names[opinion.body.code] = opinion.body.name
            result[opinion.body.code].append({
                    'subject': opinion.subject,
                    'requested_by': (opinion.requested_by.rec_name
                        if opinion.requested_by else None),
                    'request_date': (opinion.request_date.isoformat()
                        if opinion.request_date else None),
                    'issue_date': opinion.issue_date.isoformat(),
                    })
        return {
            code: {
                'name': names[code],
                'count': len(opinions),
                'opinions': opinions,
                }
            for code, opinions in sorted(result.items())}


class AnnualReport(metaclass=PoolMeta):
    __name__ = 'concertes.activity.report.document'
    _parts = [
        ('representation', 10,
            'concertes_mandates/annual_report_section.xml'),
        ]

    @classmethod
    def _key_figures_mandates(cls, mandates):
        return [key_figure(60, 'concertes_mandates', 'mandates',
                sum(len(s['mandates']) for s in mandates.values()))]

    @classmethod
    def _key_figures_opinions(cls, opinions):
        return [key_figure(70, 'concertes_mandates', 'opinions',
                sum(s['count'] for s in opinions.values()))]

    @classmethod
    def _meetings_attended(cls, figures):
        return {
            code: section['meetings_attended']
            for code, section in figures.get('mandates', {}).items()}

    @classmethod
    def _document_mandates(cls, year, figures, doc):
        roles = selection_labels('concertes.mandate', 'role')
        seats = selection_labels('concertes.mandate', 'seat_type')
        bodies = figures.get('bodies', {})
        rows = []
        for code, section in figures['mandates'].items():
            held = bodies.get(code, {}).get('meetings', 0)
            rows.append({
                    'code': code,
                    'name': section['name'] or '',
                    'people': '; '.join(
                        '%s (%s, %s)' % (
                            m['person'], roles.get(m['role'], m['role']),
                            seats.get(m['seat'], m['seat']).lower())
                        for m in section['mandates']) or '–',
                    'held': held,
                    'attended': section['meetings_attended'],
                    'rate': format_rate(section['meetings_attended'], held),
                    'not_retained': ', '.join(
                        c['person'] for c in section['not_retained']),
                    })
        doc['mandate_rows'] = rows
        doc['mandate_count'] = sum(
            len(s['mandates']) for s in figures['mandates'].values())

    @classmethod
    def _document_opinions(cls, year, figures, doc):
        doc['opinion_rows'] = [{
                'code': code,
                'name': section['name'],
                'count': section['count'],
                'opinions': section['opinions'],
                } for code, section in figures['opinions'].items()]
        doc['opinion_count'] = sum(
            s['count'] for s in figures['opinions'].values())


def _name(related):
    "The name of a related record read, None when empty"
    return related['rec_name'] if related else None
