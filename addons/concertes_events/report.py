# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"Badges with a QR code, attendee export and catering lists (CSV)"
import datetime as dt
from collections import Counter

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.modules.concertes_members.export import csv_file
from trytond.modules.concertes_members.report import PdfReportMixin
from trytond.pool import Pool
from trytond.report import Report

from .event import SEATED_STATES
from .notification import format_local_datetime
from .qr import qr_png
from .registration import DIETS


def badge_qr(registration):
    "The QR code of the registration as a relatorio image, 3.6 cm wide"
    return (qr_png(registration.checkin_code), 'image/png', '3.6cm', '3.6cm')


class Badge(PdfReportMixin, Report):
    """Badges of the registrants, one A6 page each: name, organisation,
    category and QR code

    Only the registrations holding a seat get one: a draft or a person on
    the waiting list is not expected at the door."""
    __name__ = 'concertes.event.registration.badge'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['badge_qr'] = badge_qr
        context['badges'] = [r for r in records if r.state in SEATED_STATES]
        if not context['badges']:
            raise UserError(gettext('concertes_events.msg_badge_no_seat'))
        return context


class BadgeSheet(Badge):
    "Badges, four per A4 sheet with dashed lines to cut along"
    __name__ = 'concertes.event.registration.badge_sheet'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        badges = context['badges'] + [None]
        context['rows'] = [
            badges[i:i + 2] for i in range(0, len(badges) - 1, 2)]
        return context


class AttendeeExport(Report):
    "The registrations of the events as a CSV file"
    __name__ = 'concertes.event.attendees'

    @classmethod
    def _execute(cls, records, header, data, action):
        return 'csv', csv_file(cls.rows(records))

    @classmethod
    def columns(cls):
        return ['event', 'last_name', 'first_name', 'email', 'phone',
            'organisation_name', 'organisation_kind', 'function', 'ticket',
            'sessions', 'language', 'diet', 'diet_note', 'accessibility',
            'state', 'checkin_time', 'source']

    @classmethod
    def rows(cls, events):
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        columns = cls.columns()
        strings = Registration.fields_get(columns)
        yield [strings[c]['string'] for c in columns]
        registrations = Registration.search([
                ('event', 'in', [e.id for e in events]),
                ('state', '!=', 'draft'),
                ], order=[('event', 'ASC'), ('last_name', 'ASC'),
                ('first_name', 'ASC'), ('id', 'ASC')])
        for registration in registrations:
            row = []
            for column in columns:
                value = getattr(registration, column)
                if strings[column]['type'] == 'selection':
                    value = dict(strings[column]['selection']).get(value)
                elif column == 'sessions':
                    value = ', '.join(s.rec_name for s in value)
                elif hasattr(value, 'rec_name'):
                    value = value.rec_name
                elif isinstance(value, dt.datetime):
                    value = format_local_datetime(value)
                elif isinstance(value, dt.date):
                    value = Pool().get('ir.lang').get().strftime(value)
                row.append('' if value is None else value)
            yield row


class CateringList(Report):
    """Per session, the people expected and their diets, for the caterers
    (CSV)"""
    __name__ = 'concertes.event.catering'

    @classmethod
    def _execute(cls, records, header, data, action):
        return 'csv', csv_file(cls.rows(records))

    @classmethod
    def rows(cls, events):
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        Session = pool.get('concertes.event.session')
        diets = [d for d, _ in DIETS if d]
        strings = Session.fields_get(['name', 'start'])
        reg_strings = Registration.fields_get(['diet', 'diet_note'])
        diet_strings = dict(reg_strings['diet']['selection'])
        yield ([strings['name']['string'], strings['start']['string'],
                Session.fields_get(['seats_taken'])['seats_taken']['string']]
            + [diet_strings[d] for d in diets]
            + [reg_strings['diet_note']['string']])
        registrations = Registration.search([
                ('event', 'in', [e.id for e in events]),
                ('state', 'in', list(SEATED_STATES)),
                ], order=[('id', 'ASC')])
        by_part = {}
        for registration in registrations:
            parts = registration.sessions or [registration.event]
            for part in parts:
                by_part.setdefault(part, []).append(registration)
        for part in sorted(by_part, key=lambda p: (p.start, str(p))):
            people = by_part[part]
            counts = Counter(r.diet for r in people)
            notes = sorted({'%s: %s' % (r.name, r.diet_note)
                    for r in people if r.diet_note})
            yield ([part.rec_name,
                    format_local_datetime(part.start),
                    len(people)]
                + [counts.get(d, 0) for d in diets]
                + [' | '.join(notes)])
