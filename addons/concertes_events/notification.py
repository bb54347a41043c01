# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"E-mails to the registrants and their calendar attachment"
import datetime as dt
import hashlib

import icalendar

from trytond.modules.concertes_members.common import (
    TIMEZONE, email_message, send_email, template_values)
from trytond.pool import Pool
from trytond.tools.email_ import format_address

from .qr import qr_png

# The kinds of e-mail and whether the calendar is attached
KINDS = {
    'confirmation': True,
    'waiting': False,
    'promotion': True,
    'reminder': True,
    'cancellation': False,
    }


def _aware(value):
    "Tryton stores naive UTC datetimes"
    return value.replace(tzinfo=dt.timezone.utc).astimezone(TIMEZONE)


def format_local_datetime(value):
    "A datetime of Tryton in Brussels time and the language's format"
    from trytond.report import Report
    if not value:
        return ''
    return Report.format_datetime(value, format='%x %H:%M', timezone=TIMEZONE)


def registration_ics(registration):
    """Return the iCalendar (bytes) of the registration: one entry per
    session picked, or the whole event"""
    event = registration.event
    calendar = icalendar.Calendar()
    calendar.add('prodid', '-//ConcertES//Événements//FR')
    calendar.add('version', '2.0')
    calendar.add('method', 'PUBLISH')
    parts = sorted(registration.sessions, key=lambda s: (s.start, s.id)) \
        or [event]
    uid_base = hashlib.sha256(
        (registration.token or str(registration.id)).encode()).hexdigest()[:24]
    for part in parts:
        entry = icalendar.Event()
        entry.add('uid', '%s-%s-%s@concertes.be' % (
                uid_base, part.__name__.rsplit('.', 1)[-1], part.id))
        entry.add('dtstamp', dt.datetime.now(dt.timezone.utc))
        entry.add('dtstart', _aware(part.start))
        entry.add('dtend', _aware(part.end))
        if part is event:
            entry.add('summary', event.name)
        else:
            entry.add('summary', '%s: %s' % (event.name, part.name))
        location = []
        if getattr(part, 'room', None):
            location.append(part.room)
        if event.venue:
            location.append(event.venue.full_address.replace('\n', ', '))
        if location:
            entry.add('location', ', '.join(location))
        if event.description:
            entry.add('description', event.description)
        calendar.add_component(entry)
    # calendars that do not know Europe/Brussels get its rules
    calendar.add_missing_timezones()
    return calendar.to_ical()


def default_template(kind):
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Template = pool.get('ir.email.template')
    return Template(ModelData.get_id(
            'concertes_events', 'email_template_%s' % kind))


def send(registrations, kind):
    """Send the e-mail of kind to each registrant, in their language, and
    keep a copy as ir.email attached to the registration"""
    Email = Pool().get('ir.email')
    assert kind in KINDS, kind
    emails = []
    for registration in registrations:
        template = registration.event.email_template(kind) \
            or default_template(kind)
        subject, body = template_values(
            template, registration, registration.language)
        attachments = []
        if KINDS[kind]:
            attachments.append((registration_ics(registration),
                    'text', 'calendar', 'evenement.ics', None))
            if registration.state == 'confirmed' and registration.checkin_code:
                attachments.append((qr_png(registration.checkin_code),
                        'image', 'png', '%s.png' % registration.checkin_code,
                        None))
        msg = send_email(email_message(
                format_address(registration.email, registration.name),
                subject, body, attachments))
        emails.append(Email.from_message(
                msg, body=body, resource=registration))
    Email.save(emails)
    return emails
