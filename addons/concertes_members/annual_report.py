# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The annual activity report as a French document (ODT or PDF).

The figures come from concertes.activity.report.figures(year): a section
of a module that is not installed is simply absent from the document.
"""
import datetime as dt
import io
import re

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.report import Report
from trytond.tools import file_open
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import StateAction, StateView, Wizard

from .common import (
    LastYearStartMixin, PrintWizardMixin, added_up, check_report_year,
    print_buttons)
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


def key_figure(sequence, module, key, value):
    """A figure of the cover page and of the dashboard: (sequence, key,
    label, value), the label the message msg_key_figure_<key> of module in
    the language of the context"""
    return (sequence, key,
        gettext('%s.msg_key_figure_%s' % (module, key)), value)


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
        return [(label, value) for _, _, label, value in sorted(
                cls._key_figure_rows(figures), key=lambda r: r[0])]

    @classmethod
    def _key_figure_rows(cls, figures):
        """The figures of the cover page and of the dashboard as (sequence,
        key, label, value): those each section present gives by the
        classmethod _key_figures_<key>(its figures) of its module"""
        rows = []
        for key, section in figures.items():
            method = getattr(cls, '_key_figures_' + key, None)
            if method:
                rows.extend(method(section))
        return rows

    @classmethod
    def _key_figures_members(cls, members):
        return [
            key_figure(10, 'concertes_members', 'members', members['count']),
            key_figure(20, 'concertes_members', 'newcomers',
                len(members['joined'])),
            ]

    @classmethod
    def _key_figures_bodies(cls, bodies):
        return [key_figure(sequence, 'concertes_members', kind, sum(
                    b['meetings'] for b in bodies.values()
                    if b['kind'] == kind))
            for sequence, kind in [(30, 'general_assembly'), (40, 'board')]]

    @classmethod
    def _key_figures_working_groups(cls, groups):
        return [key_figure(
                50, 'concertes_members', 'working_groups', len(groups))]

    @classmethod
    def _key_figures_requests(cls, requests):
        rows = [key_figure(80, 'concertes_members', 'requests', sum(
                    c['handled'] for c in requests.values()))]
        if 'data' in requests:
            rows.append(key_figure(90, 'concertes_members', 'data_requests',
                    requests['data']['handled']))
        return rows

    @classmethod
    def _meetings_attended(cls, figures):
        """Per body code, the meetings attended for ConcertES (from the
        module of the mandates)"""
        return {}

    # The sections other modules add to the document, as (slot, sequence,
    # path): the file at path (under trytond/modules) is an office:text
    # element whose content goes before the comment <!--concertes:slot--> of
    # the frame, whose styles it uses; each module's extension lists its own
    _parts = []

    @classmethod
    def assemble(cls, content):
        "The template: the frame with the sections of the modules"
        text = content.decode('utf-8')
        for slot, _, path in sorted(added_up(cls, '_parts')):
            with file_open(path, 'rb') as file:
                part = file.read().decode('utf-8')
            start = part.index('>', part.index('<office:text')) + 1
            body = part[start:part.rindex('</office:text>')].strip('\n')
            marker = '<!--concertes:%s-->' % slot
            text = text.replace(marker, body + '\n' + marker)
        text = re.sub(r'<!--concertes:\w+-->\n', '', text)
        return text.encode('utf-8')

    @classmethod
    def render(cls, report, report_context):
        if report.get_template_cached() is None:
            report.report_content = cls.assemble(report.report_content)
        return super().render(report, report_context)

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
        attended = cls._meetings_attended(figures)
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


class AnnualReportStart(LastYearStartMixin, ModelView):
    "Annual Activity Report"
    __name__ = 'concertes.activity.report.start'

    year = fields.Integer(
        "Year", required=True,
        help="The calendar year the report covers.")


class PrintAnnualReport(PrintWizardMixin, Wizard):
    "Print Annual Activity Report"
    __name__ = 'concertes.activity.report.print'

    start = StateView(
        'concertes.activity.report.start',
        'concertes_members.activity_report_start_view_form',
        print_buttons())
    print_ = StateAction('concertes_members.report_activity_report')
    print_odt = StateAction('concertes_members.report_activity_report_odt')

    def _data(self):
        check_report_year(
            self.start.year, 'concertes_members.msg_activity_report_year')
        return {'year': self.start.year}
