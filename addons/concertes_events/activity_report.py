# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.modules.concertes_members.annual_report import (
    bar_chart, format_day, format_rate, key_figure, selection_labels)
from trytond.pool import Pool, PoolMeta
from trytond.transaction import check_access


class ActivityReport(metaclass=PoolMeta):
    __name__ = 'concertes.activity.report'
    _sections = ['events']

    @classmethod
    def section_events(cls, year):
        """The events of the year (dates, venue and city, registered,
        attended) and the team's interventions at events of others"""
        pool = Pool()
        Event = pool.get('concertes.event')
        Statistic = pool.get('concertes.event.statistic')
        Intervention = pool.get('concertes.event.intervention')
        Rule = pool.get('ir.rule')
        start = dt.datetime(year, 1, 1)
        end = dt.datetime(year + 1, 1, 1)
        # the report is made without access checks: the events are still
        # those the user may see (read-only: published ones only)
        with check_access():
            visible = Rule.domain_get(Event.__name__, mode='read')
        events = Event.search([
                visible or [],
                ('start', '>=', start),
                ('start', '<', end),
                ('state', '!=', 'cancelled'),
                ], order=[('start', 'ASC'), ('id', 'ASC')])
        statistics = {s.id: s for s in Statistic.browse(
                [e.id for e in events])}
        interventions = Intervention.search([
                ('date', '>=', start.date()),
                ('date', '<', end.date()),
                ], order=[('date', 'ASC'), ('id', 'ASC')])
        return {
            'count': len(events),
            'events': [{
                    'name': e.name,
                    'kind': e.kind,
                    'start': e.start.date().isoformat(),
                    'end': e.end.date().isoformat(),
                    'venue': _venue_name(e.venue),
                    'city': e.venue.city if e.venue else None,
                    'registered': statistics[e.id].registered,
                    'attended': statistics[e.id].attended,
                    } for e in events],
            'interventions': [{
                    'date': i.date.isoformat(),
                    'event': i.event_name,
                    'kind': i.kind,
                    'organiser': i.organiser.rec_name if i.organiser else None,
                    'speaker': i.speaker.rec_name if i.speaker else None,
                    'topic': i.topic,
                    'audience': i.audience,
                    } for i in interventions],
            }


class AnnualReport(metaclass=PoolMeta):
    __name__ = 'concertes.activity.report.document'
    _parts = [
        ('activities', 10, 'concertes_events/annual_report_section.xml'),
        ]

    @classmethod
    def _key_figures_events(cls, events):
        return [
            key_figure(100, 'concertes_events', 'events', events['count']),
            key_figure(110, 'concertes_events', 'attendees', sum(
                    e['attended'] for e in events['events'])),
            ]

    @classmethod
    def _document_events(cls, year, figures, doc):
        kinds = selection_labels('concertes.event', 'kind')
        section = figures['events']
        doc['event_rows'] = [
            dict(e, kind=kinds.get(e['kind'], e['kind']),
                dates=(format_day(e['start']) if e['start'] == e['end']
                    else '%s – %s' % (
                        format_day(e['start']), format_day(e['end']))),
                place=', '.join(
                    p for p in [e['venue'], e['city']] if p)
                or "Lieu non renseigné",
                rate=format_rate(e['attended'], e['registered']))
            for e in section['events']]
        doc['event_totals'] = {
            'registered': sum(e['registered'] for e in section['events']),
            'attended': sum(e['attended'] for e in section['events']),
            }
        if section['events']:
            doc['charts']['events'] = bar_chart(
                ['%s (%s/%s)' % (_short(e['name']), e['start'][8:10],
                        e['start'][5:7]) for e in section['events']], [
                    ("Inscrits", [e['registered'] for e in section['events']]),
                    ("Présents", [e['attended'] for e in section['events']]),
                    ], "Participation aux événements de %s" % year,
                horizontal=True)


def _venue_name(address):
    "The name of the place at address: its own or its party's"
    if address:
        return address.party_name or address.party.rec_name


def _short(name, size=28):
    return name if len(name) <= size else name[:size - 1] + '…'
