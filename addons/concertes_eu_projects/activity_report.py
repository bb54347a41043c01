# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.modules.concertes_members.annual_report import (
    key_figure, selection_labels)
from trytond.pool import Pool, PoolMeta


class ActivityReport(metaclass=PoolMeta):
    __name__ = 'concertes.activity.report'
    _sections = ['eu_projects']

    @classmethod
    def section_eu_projects(cls, year):
        """The projects running in the year with their deliverables due and
        delivered in the year, and the proposals evaluated in the year by
        outcome"""
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        start, end = cls._year_bounds(year)

        def in_year(date):
            return bool(date and start <= date <= end)

        running = []
        for project in Project.search([
                    ('state', 'in', ['running', 'closed']),
                    ('start_date', '<=', end),
                    ], order=[('acronym', 'ASC'), ('id', 'ASC')]):
            if project.end_date and project.end_date < start:
                continue
            due = [d for d in project.deliverables if in_year(d.due_date)]
            delivered = [
                d for d in project.deliverables
                if d.state in {'submitted', 'accepted'}
                and in_year(d.submission_date)]
            running.append({
                    'acronym': project.acronym,
                    'title': project.title,
                    'programme': (
                        project.programme.rec_name
                        if project.programme else None),
                    'role': project.role,
                    'start_date': project.start_date.isoformat(),
                    'end_date': (
                        project.end_date.isoformat()
                        if project.end_date else None),
                    'deliverables_due': [d.number for d in due],
                    'deliverables_delivered': [
                        d.number for d in delivered],
                    'deliverables_late': [d.number for d in due if d.late],
                    'milestones_achieved': [
                        m.number for m in project.milestones
                        if m.state == 'achieved'
                        and in_year(m.achieved_date)],
                    })

        proposals = {
            'submitted': [], 'retained': [], 'not_retained': []}
        for project in Project.search([
                    ('state', 'in', [
                            'submitted', 'retained', 'not_retained',
                            'running', 'closed']),
                    ['OR',
                        [('evaluation_date', '>=', start),
                            ('evaluation_date', '<=', end)],
                        [('evaluation_date', '=', None),
                            ('deadline', '>=', dt.datetime.combine(
                                    start, dt.time())),
                            ('deadline', '<', dt.datetime.combine(
                                    end + dt.timedelta(days=1),
                                    dt.time()))],
                        ],
                    ], order=[('acronym', 'ASC'), ('id', 'ASC')]):
            outcome = project.state
            if outcome in {'running', 'closed'}:
                outcome = 'retained'
            proposals[outcome].append({
                    'acronym': project.acronym,
                    'coordinator': (
                        project.coordinator.rec_name
                        if project.coordinator else None),
                    'partners': len(project.partners),
                    'intended_call': project.intended_call,
                    'resubmission_of': (
                        project.resubmission_of.acronym
                        if project.resubmission_of else None),
                    })
        return {
            'running': running,
            'running_count': len(running),
            'deliverables_due': sum(
                len(p['deliverables_due']) for p in running),
            'deliverables_delivered': sum(
                len(p['deliverables_delivered']) for p in running),
            'proposals': proposals,
            'proposals_count': {k: len(v) for k, v in proposals.items()},
            }


class AnnualReport(metaclass=PoolMeta):
    __name__ = 'concertes.activity.report.document'
    _parts = [
        ('activities', 20,
            'concertes_eu_projects/annual_report_section.xml'),
        ]

    @classmethod
    def _key_figures_eu_projects(cls, projects):
        return [
            key_figure(120, 'concertes_eu_projects', 'eu_projects',
                projects['running_count']),
            key_figure(130, 'concertes_eu_projects', 'eu_proposals',
                sum(projects['proposals_count'].values())),
            ]

    @classmethod
    def _document_eu_projects(cls, year, figures, doc):
        roles = selection_labels('concertes.eu.project', 'role')
        section = figures['eu_projects']
        doc['eu_rows'] = [
            dict(p, role=roles.get(p['role'], p['role'] or ''),
                due=', '.join(p['deliverables_due']) or '–',
                delivered=', '.join(p['deliverables_delivered']) or '–')
            for p in section['running']]
        outcomes = [
            ('submitted', "En attente d’évaluation"),
            ('retained', "Retenues"),
            ('not_retained', "Non retenues"),
            ]
        doc['proposal_rows'] = [{
                'outcome': label,
                'count': len(section['proposals'].get(key, [])),
                'acronyms': ', '.join(
                    p['acronym'] for p in section['proposals'].get(key, []))
                or '–',
                } for key, label in outcomes]
