# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The annual activity report as a French document (ODT or PDF).

The figures come from concertes.activity.report.figures(year): a section
of a module that is not installed is simply absent from the document.
"""
import datetime as dt
import io

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateView, Wizard

from .report import PdfReportMixin

PALETTE = ['#7a1f5c', '#d9a441', '#3c7a89', '#9bbf6a']
MONTHS = [
    'janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet',
    'août', 'septembre', 'octobre', 'novembre', 'décembre']


def format_day(value):
    "A date (or its ISO text) as 17 septembre 2024"
    if not value:
        return '…'
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return '%d %s %d' % (value.day, MONTHS[value.month - 1], value.year)


def format_rate(part, whole):
    "part / whole as a percentage, a dash when whole is nothing"
    if not whole:
        return '–'
    return '%d %%' % round(100 * part / whole)


def selection_labels(model, field):
    "The French labels of a selection field of a model (if installed)"
    pool = Pool()
    try:
        Model = pool.get(model)
    except KeyError:
        return {}
    with Transaction().set_context(language='fr'):
        selection = Model.fields_get([field])[field]['selection']
    return dict(selection) if isinstance(selection, list) else {}


def _figure(width, height):
    from matplotlib.figure import Figure
    figure = Figure(figsize=(width, height), dpi=150)
    figure.patch.set_facecolor('white')
    return figure


def _png(figure):
    for ax in figure.axes:
        for side in ['top', 'right']:
            ax.spines[side].set_visible(False)
        ax.tick_params(labelsize=8)
    figure.tight_layout()
    data = io.BytesIO()
    figure.savefig(data, format='png')
    return data.getvalue()


def bar_chart(labels, series, title, horizontal=False):
    """A PNG bar chart for an image frame of the template: labels of the
    groups and series as a list of (name, values); the values are printed
    on the bars"""
    height = (max(2.4, 0.14 * len(labels) * len(series) + 1.0)
        if horizontal else 2.6)
    figure = _figure(6.4, height)
    ax = figure.add_subplot()
    count = len(series)
    width = 0.8 / count
    positions = range(len(labels))
    for i, (name, values) in enumerate(series):
        offsets = [p + (i - (count - 1) / 2) * width for p in positions]
        if horizontal:
            bars = ax.barh(offsets, values, height=width, label=name,
                color=PALETTE[i % len(PALETTE)])
        else:
            bars = ax.bar(offsets, values, width=width, label=name,
                color=PALETTE[i % len(PALETTE)])
        ax.bar_label(bars, fontsize=7, padding=2)
    if horizontal:
        ax.set_yticks(list(positions), labels)
        ax.invert_yaxis()
        ax.xaxis.get_major_locator().set_params(integer=True)
    else:
        ax.set_xticks(list(positions), labels)
        ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, fontsize=10, color=PALETTE[0], loc='left')
    if count > 1:
        ax.legend(fontsize=7, frameon=False)
    return (
        _png(figure), 'image/png', '16cm', '%.2fcm' % (16 * height / 6.4))


class AnnualReport(PdfReportMixin, Report):
    "ConcertES Annual Activity Report"
    __name__ = 'concertes.activity.report.document'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        year = int(data.get('year') or dt.date.today().year - 1)
        # the report is for every role of the team, whatever it may read
        with Transaction().set_context(language='fr'), \
                without_check_access():
            context.update(cls.document(year))
        context['format_day'] = format_day
        context['format_rate'] = format_rate
        return context

    @classmethod
    def document(cls, year):
        """The figures of the year arranged for the template: rows of the
        tables and PNG charts, per section present"""
        pool = Pool()
        ActivityReport = pool.get('concertes.activity.report')
        figures = ActivityReport.figures(year)
        doc = {
            'year': year,
            'figures': figures,
            'today': dt.date.today(),
            'charts': {},
            }
        for key in figures:
            method = getattr(cls, '_document_' + key, None)
            if method:
                method(year, figures, doc)
        doc['key_figures'] = cls._key_figures(figures)
        return doc

    @classmethod
    def _key_figures(cls, figures):
        "The figures of the cover page as (label, value)"
        rows = []
        if 'members' in figures:
            rows.append(("Membres au 31 décembre",
                    figures['members']['count']))
            rows.append(("Nouveaux membres",
                    len(figures['members']['joined'])))
        if 'bodies' in figures:
            for kind, label in [
                    ('general_assembly', "Assemblées générales"),
                    ('board', "Réunions du conseil d’administration"),
                    ]:
                rows.append((label, sum(
                            b['meetings'] for b in figures['bodies'].values()
                            if b['kind'] == kind)))
        if 'working_groups' in figures:
            rows.append(("Groupes de travail actifs",
                    len(figures['working_groups'])))
        if 'mandates' in figures:
            rows.append(("Mandats exercés au 31 décembre", sum(
                        len(s['mandates'])
                        for s in figures['mandates'].values())))
        if 'opinions' in figures:
            rows.append(("Avis rendus", sum(
                        s['count'] for s in figures['opinions'].values())))
        if 'requests' in figures:
            rows.append(("Demandes traitées", sum(
                        c['handled'] for c in figures['requests'].values())))
            if 'data' in figures['requests']:
                rows.append(("dont demandes de statistiques",
                        figures['requests']['data']['handled']))
        if 'events' in figures:
            rows.append(("Événements organisés", figures['events']['count']))
            rows.append(("Participants présents", sum(
                        e['attended'] for e in figures['events']['events'])))
        if 'eu_projects' in figures:
            rows.append(("Projets européens en cours",
                    figures['eu_projects']['running_count']))
            rows.append(("Propositions de projets évaluées", sum(
                        figures['eu_projects']['proposals_count'].values())))
        return rows

    @classmethod
    def _document_members(cls, year, figures, doc):
        Membership = Pool().get('concertes.membership')
        years = list(range(year - 4, year + 1))
        counts = [
            len(Membership.members_at(dt.date(y, 12, 31))) for y in years]
        doc['members_history'] = list(zip(years, counts))
        doc['charts']['members'] = bar_chart(
            [str(y) for y in years], [("Membres au 31/12", counts)],
            "Membres au 31 décembre")

    @classmethod
    def _document_bodies(cls, year, figures, doc):
        kinds = selection_labels('concertes.body', 'kind')
        bodies = figures['bodies']
        attended = {
            code: section['meetings_attended']
            for code, section in figures.get('mandates', {}).items()}
        doc['internal_bodies'] = [{
                'code': code, 'name': b['name'],
                'kind': kinds.get(b['kind'], b['kind']),
                'meetings': b['meetings'],
                } for code, b in bodies.items()
            if b['scope'] == 'internal' and b['kind'] != 'working_group']
        doc['external_bodies'] = [{
                'code': code, 'name': b['name'],
                'meetings': b['meetings'],
                'attended': attended.get(code),
                'rate': (format_rate(attended[code], b['meetings'])
                    if code in attended else '–'),
                } for code, b in bodies.items()
            if b['scope'] == 'external']
        shown = [
            (code, b) for code, b in bodies.items()
            if b['meetings'] and b['kind'] != 'working_group']
        if shown:
            series = [("Réunions tenues", [b['meetings'] for _, b in shown])]
            if attended:
                series.append(("Dont avec ConcertES présente", [
                            attended.get(code, b['meetings'])
                            if b['scope'] == 'external' else b['meetings']
                            for code, b in shown]))
            doc['charts']['meetings'] = bar_chart(
                [code for code, _ in shown], series,
                "Réunions tenues en %s par instance" % year, horizontal=True)

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
                    'name': bodies.get(code, {}).get('name', ''),
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
        bodies = figures.get('bodies', {})
        doc['opinion_rows'] = [{
                'code': code,
                'name': bodies.get(code, {}).get('name', ''),
                'count': section['count'],
                'opinions': section['opinions'],
                } for code, section in figures['opinions'].items()]
        doc['opinion_count'] = sum(
            s['count'] for s in figures['opinions'].values())

    @classmethod
    def _document_requests(cls, year, figures, doc):
        kinds = selection_labels('concertes.request', 'kind')
        rows = [{
                'kind': kinds.get(kind, kind),
                'received': counts['received'],
                'handled': counts['handled'],
                } for kind, counts in figures['requests'].items()]
        doc['request_rows'] = rows
        doc['request_totals'] = {
            'received': sum(r['received'] for r in rows),
            'handled': sum(r['handled'] for r in rows),
            }
        shown = [r for r in rows if r['received'] or r['handled']]
        if shown:
            doc['charts']['requests'] = bar_chart(
                [r['kind'] for r in shown], [
                    ("Reçues", [r['received'] for r in shown]),
                    ("Traitées", [r['handled'] for r in shown]),
                    ], "Demandes reçues et traitées en %s" % year,
                horizontal=True)

    @classmethod
    def _document_events(cls, year, figures, doc):
        kinds = selection_labels('concertes.event', 'kind')
        section = figures['events']
        doc['event_rows'] = [
            dict(e, kind=kinds.get(e['kind'], e['kind']),
                dates=(format_day(e['start']) if e['start'] == e['end']
                    else '%s – %s' % (
                        format_day(e['start']), format_day(e['end']))),
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


def _short(name, size=28):
    return name if len(name) <= size else name[:size - 1] + '…'


class AnnualReportStart(ModelView):
    "Annual Activity Report"
    __name__ = 'concertes.activity.report.start'

    year = fields.Integer(
        "Year", required=True,
        help="The calendar year the report covers.")

    @staticmethod
    def default_year():
        return dt.date.today().year - 1


class PrintAnnualReport(Wizard):
    "Print Annual Activity Report"
    __name__ = 'concertes.activity.report.print'

    start = StateView(
        'concertes.activity.report.start',
        'concertes_members.activity_report_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("OpenDocument (ODT)", 'print_odt', 'tryton-print'),
            Button("PDF", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateAction('concertes_members.report_activity_report')
    print_odt = StateAction('concertes_members.report_activity_report_odt')

    def _data(self):
        if not (1900 <= self.start.year <= dt.date.today().year + 1):
            raise UserError(gettext(
                    'concertes_members.msg_activity_report_year',
                    year=self.start.year))
        return {'year': self.start.year}

    def do_print_(self, action):
        return action, self._data()

    def do_print_odt(self, action):
        return action, self._data()
