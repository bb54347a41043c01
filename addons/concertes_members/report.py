# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.pool import Pool
from trytond.rpc import RPC

from .common import added_up, counted


class ActivityReport(ModelView):
    """ConcertES Activity Report

    The figures of the yearly activity report, computed from the data.
    Each module adds its sections: its extension lists their keys in
    _sections and defines a classmethod section_<key>(year).
    """
    __name__ = 'concertes.activity.report'
    _sections = ['members', 'bodies', 'working_groups', 'requests']

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__.update({
                'sections': RPC(),
                'figures': RPC(),
                })

    @classmethod
    def sections(cls):
        """Return the keys of the sections of the report: the _sections of the
        classes the model is built of, in the order of their setup"""
        return added_up(cls, '_sections')

    @classmethod
    def figures(cls, year):
        "Return the figures of the year as a dictionary per section"
        return {
            key: getattr(cls, 'section_' + key)(year)
            for key in cls.sections()}

    @staticmethod
    def _year_bounds(year):
        return dt.date(year, 1, 1), dt.date(year, 12, 31)

    @classmethod
    def section_members(cls, year):
        """The members at 31 December, those who joined and those who left
        during the year"""
        Membership = Pool().get('concertes.membership')
        start, end = cls._year_bounds(year)
        members = Membership.members_at(end)
        joined, left = [], []
        for membership in Membership.search([
                    ('state', 'in', ['member', 'resigned', 'excluded']),
                    ('start_date', '<=', end),
                    ['OR',
                        ('start_date', '>=', start),
                        [('end_date', '>=', start), ('end_date', '<=', end)],
                        ],
                    ], order=[('start_date', 'ASC'), ('id', 'ASC')]):
            party = membership.party
            if start <= membership.start_date <= end:
                # a return after a gap is a new membership, not a newcomer
                if not Membership.is_member_at(
                        party, membership.start_date - dt.timedelta(days=1)):
                    joined.append({
                            'party': party.rec_name,
                            'date': membership.start_date.isoformat(),
                            })
            if (membership.end_date
                    and start <= membership.end_date <= end
                    and party.id not in members):
                left.append({
                        'party': party.rec_name,
                        'date': membership.end_date.isoformat(),
                        'state': membership.state,
                        })
        return {
            'count': len(members),
            'joined': joined,
            'left': left,
            }

    @classmethod
    def section_bodies(cls, year):
        "Per body code: its kind, scope and the meetings held in the year"
        pool = Pool()
        Body = pool.get('concertes.body')
        Meeting = pool.get('concertes.meeting')
        start, end = cls._year_bounds(year)
        bodies = Body.search(
            Body.open_during_domain(start, end),
            order=[('code', 'ASC'), ('id', 'ASC')])
        held = Meeting.count_held(year, bodies)
        return {
            b.code: {
                'name': b.name,
                'kind': b.kind,
                'scope': b.scope,
                'meetings': held.get(b.id, 0),
                }
            for b in bodies}

    @classmethod
    def section_working_groups(cls, year):
        """The working groups active in the year with the number of seats
        at the end of the year (or at their end)"""
        pool = Pool()
        Body = pool.get('concertes.body')
        Meeting = pool.get('concertes.meeting')
        start, end = cls._year_bounds(year)
        groups = Body.search([
                ('kind', '=', 'working_group'),
                ('state', '!=', 'proposed'),
                ] + Body.open_during_domain(start, end),
            order=[('code', 'ASC'), ('id', 'ASC')])
        held = Meeting.count_held(year, groups)
        result = []
        for group in groups:
            date = min(end, group.end_date or end)
            result.append({
                    'code': group.code,
                    'name': group.name,
                    'members': len(group.composition_at(date)),
                    'meetings': held.get(group.id, 0),
                    'start_date': (
                        group.start_date.isoformat()
                        if group.start_date else None),
                    })
        return result

    @classmethod
    def section_requests(cls, year):
        "Per kind of request: those received and those handled in the year"
        Request = Pool().get('concertes.request')
        return Request.figures(year)


class PdfReportMixin:
    """A report whose conversion to PDF fails says so and offers ODT

    trytond returns the unconverted document when the converter is missing
    or fails, which the client then cannot open as the PDF it asked for.
    """
    __slots__ = ()

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['counted'] = counted
        return context

    @classmethod
    def convert(cls, report, data, timeout=5 * 60, retry=0):
        # trytond 8.0 retries with its argument iterator already consumed,
        # which raises IndexError: one attempt, then the message
        oext, content = super().convert(
            report, data, timeout=timeout, retry=retry)
        if report.extension == 'pdf' and oext != 'pdf':
            raise UserError(gettext(
                    'concertes_members.msg_report_pdf_conversion',
                    report=report.name))
        return oext, content
