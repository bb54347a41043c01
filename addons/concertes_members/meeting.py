# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from email.utils import formataddr

import icalendar
from sql.aggregate import Count, Max
from sql.functions import Extract

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.url import host

from .common import (
    TIMEZONE, DateRangeMixin, FieldChecksMixin, email_message, hidden_in,
    period_in_text, rec_name_domain, send_email, shown_in, template_values,
    transition_button, utc_of_local_day)

DEFAULT_DURATION = dt.timedelta(hours=2)


class Meeting(FieldChecksMixin, DateRangeMixin, Workflow, ModelSQL, ModelView):
    "ConcertES Meeting"
    __name__ = 'concertes.meeting'
    _date_ranges = [('start', 'end')]
    _field_checks = {'check_body_open': {'body', 'start'}}

    body = fields.Many2One(
        'concertes.body', "Body", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'planned'})
    name = fields.Char("Title", help="Leave empty to use the body and date.")
    start = fields.DateTime("Start", required=True)
    end = fields.DateTime(
        "End", help="Leave empty for a meeting of two hours.")
    date = fields.Function(fields.Date("Date"), 'get_date')
    place = fields.Char("Place")
    online = fields.Boolean("Online")
    url = fields.Char(
        "Link", states={'invisible': ~Eval('online')},
        help="The address of the video conference.")
    agenda = fields.Text("Agenda")
    minutes = fields.Text("Minutes")
    decisions = fields.Text("Decisions")
    state = fields.Selection([
            ('planned', "Planned"),
            ('held', "Held"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    attendances = fields.One2Many(
        'concertes.meeting.attendance', 'meeting', "Attendance")
    invitation_sent = fields.DateTime(
        "Invitation Sent", readonly=True,
        help="When the invitation was last e-mailed to the members.")
    seat_count = fields.Function(fields.Integer(
            "Seats",
            help="The voting seats of the body at the meeting date."),
        'get_counts')
    present_count = fields.Function(fields.Integer(
            "Present or Represented",
            help="The seats present or represented (guests excluded)."),
        'get_counts')
    guest_count = fields.Function(fields.Integer("Guests"), 'get_counts')
    quorum_required = fields.Function(fields.Integer(
            "Quorum Required",
            help="The number of seats needed for the quorum."),
        'get_counts')
    quorum_reached = fields.Function(fields.Boolean(
            "Quorum Reached",
            help="Whether enough seats are present or represented; "
            "always true when the body has no quorum."),
        'get_counts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.body, Index.Range()), (t.start, Index.Range())),
                Index(t, (t.start, Index.Range())),
                })
        cls._order = [('start', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('planned', 'held'),
            ('planned', 'cancelled'),
            ('held', 'planned'),
            ('cancelled', 'planned'),
            }
        cls._buttons.update({
                'hold': shown_in('planned'),
                'cancel': shown_in('planned'),
                'reset': hidden_in('planned'),
                'send_invitation': shown_in('planned'),
                'fill_attendance': hidden_in('cancelled'),
                })

    @staticmethod
    def default_state():
        return 'planned'

    def get_date(self, name):
        return self.start.date() if self.start else None

    def get_rec_name(self, name):
        if self.name:
            return self.name
        return '%s %s' % (
            self.body.code, self.start.date().isoformat() if self.start
            else '')

    @classmethod
    def search_rec_name(cls, name, clause):
        """By title or body, or by the date in the name as people type it
        (12/03/2024, 2024-03-12, mars 2024), in Brussels time"""
        domain = rec_name_domain(clause, ['name', 'body.rec_name'])
        _, operator, operand, *_ = clause
        period = (period_in_text(operand.replace('%', ' '))
            if operator in {'ilike', 'like', '='} and isinstance(operand, str)
            else None)
        if period:
            first, after, rest = period
            dated = [
                ('start', '>=', utc_of_local_day(first)),
                ('start', '<', utc_of_local_day(after)),
                ]
            if rest:
                dated.append(rec_name_domain(
                        (name, 'ilike', '%' + rest + '%'),
                        ['name', 'body.rec_name']))
            domain = ['OR', domain, dated]
        return domain

    @property
    def end_or_default(self):
        return self.end or (self.start + DEFAULT_DURATION)

    @classmethod
    def get_counts(cls, meetings, names):
        result = {n: {} for n in names}
        for meeting in meetings:
            date = meeting.start.date()
            seats = meeting.body.composition_at(date)
            organisations = {o for o, _ in seats if o}
            people = {p for _, p in seats if p}
            present = guests = 0
            for attendance in meeting.attendances:
                if attendance.status not in {'present', 'represented'}:
                    continue
                person = attendance.person.id
                organisation = (
                    attendance.organisation.id
                    if attendance.organisation else None)
                if person in people:
                    people.discard(person)
                    present += 1
                elif organisation in organisations:
                    organisations.discard(organisation)
                    present += 1
                else:
                    guests += 1
            quorum = meeting.body.quorum
            required = (
                -(-len(seats) * quorum // 100) if quorum else 0)
            values = {
                'seat_count': len(seats),
                'present_count': present,
                'guest_count': guests,
                'quorum_required': required,
                'quorum_reached': present >= required,
                }
            for name in names:
                result[name][meeting.id] = values[name]
        return result

    @classmethod
    def check_body_open(cls, meetings):
        for meeting in meetings:
            if not meeting.body.is_open_at(meeting.start.date()):
                raise ValidationError(gettext(
                        'concertes_members.msg_meeting_body_closed',
                        body=meeting.body.rec_name,
                        date=meeting.start.date()))

    def invitees(self):
        "Return the parties invited: the body's seats and the listed guests"
        Party = Pool().get('party.party')
        ids = set(self.body.sitting_at(self.start.date()))
        ids.update(a.person.id for a in self.attendances)
        return Party.browse(sorted(ids))

    def invitation_calendar(self):
        "Return the iCalendar (bytes) of the meeting"
        calendar = icalendar.Calendar()
        calendar.add('prodid', '-//ConcertES//ERP//FR')
        calendar.add('version', '2.0')
        calendar.add('method', 'REQUEST')
        event = icalendar.Event()
        event.add('uid', 'concertes-meeting-%s@%s' % (self.id, host()))
        event.add('dtstamp', dt.datetime.now(dt.timezone.utc))
        event.add('dtstart', self.start.replace(
                tzinfo=dt.timezone.utc).astimezone(TIMEZONE))
        event.add('dtend', self.end_or_default.replace(
                tzinfo=dt.timezone.utc).astimezone(TIMEZONE))
        event.add('summary', '%s - %s' % (self.body.name, self.rec_name))
        location = self.place or ''
        if self.online and self.url:
            location = ' / '.join(filter(None, [location, self.url]))
        if location:
            event.add('location', location)
        if self.agenda:
            event.add('description', self.agenda)
        event.add(
            'status', 'CANCELLED' if self.state == 'cancelled'
            else 'CONFIRMED')
        for party in self.invitees():
            if party.email:
                attendee = icalendar.vCalAddress('mailto:%s' % party.email)
                attendee.params['cn'] = icalendar.vText(party.rec_name)
                attendee.params['role'] = icalendar.vText('REQ-PARTICIPANT')
                event.add('attendee', attendee, encode=0)
        calendar.add_component(event)
        # calendars that do not know Europe/Brussels get its rules
        calendar.add_missing_timezones()
        return calendar.to_ical()

    def invitation_message(self):
        "Return the invitation e-mail of the meeting or None without address"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        template = ModelData.get_id(
            'concertes_members', 'email_template_meeting_invitation')
        to = sorted({
                formataddr((p.rec_name, p.email))
                for p in self.invitees() if p.email})
        if not to:
            return None
        subject, body = template_values(template, self)
        return email_message(to, subject or self.rec_name, body, [(
                    self.invitation_calendar(), 'text', 'calendar',
                    '%s.ics' % self.rec_name.replace(' ', '_'),
                    {'method': 'REQUEST'})])

    @classmethod
    @ModelView.button
    def send_invitation(cls, meetings):
        "E-mail the invitation with its .ics to the invitees"
        pool = Pool()
        Email = pool.get('ir.email')
        emails = []
        for meeting in meetings:
            msg = meeting.invitation_message()
            if msg is None:
                raise ValidationError(gettext(
                        'concertes_members.msg_meeting_no_invitee',
                        meeting=meeting.rec_name))
            send_email(msg)
            emails.append(Email.from_message(
                    msg, body=msg.get_body().get_content(),
                    resource=meeting))
        Email.save(emails)
        cls.write(meetings, {
                'invitation_sent': dt.datetime.now().replace(microsecond=0),
                })

    @classmethod
    @ModelView.button
    def fill_attendance(cls, meetings):
        "Add a line for each seat of the body not yet listed"
        pool = Pool()
        Attendance = pool.get('concertes.meeting.attendance')
        lines = []
        for meeting in meetings:
            listed = {a.person.id for a in meeting.attendances}
            listed |= {
                a.organisation.id for a in meeting.attendances
                if a.organisation}
            for organisation, person in meeting.body.composition_at(
                    meeting.start.date()):
                if (person or organisation) in listed:
                    continue
                lines.append(Attendance(
                        meeting=meeting, person=person or organisation,
                        organisation=organisation, status='absent'))
                listed.add(person or organisation)
        Attendance.save(lines)

    hold = transition_button('hold', 'held')
    cancel = transition_button('cancel', 'cancelled')
    reset = transition_button('reset', 'planned')

    @classmethod
    def count_held(cls, year, bodies=None):
        "Return the number of meetings held in the year per body id"
        domain = [
            ('state', '=', 'held'),
            ('start', '>=', dt.datetime(year, 1, 1)),
            ('start', '<', dt.datetime(year + 1, 1, 1)),
            ]
        if bodies is not None:
            domain.append(('body', 'in', [int(b) for b in bodies]))
        # counted in SQL: walking the meetings as records grows faster
        # than the data (bench/)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        counts = defaultdict(int)
        cursor.execute(*table.select(table.body, Count(table.id),
                where=table.id.in_(cls.search(domain, query=True)),
                group_by=[table.body]))
        counts.update(cursor)
        return counts


class Attendance(FieldChecksMixin, ModelSQL, ModelView):
    "ConcertES Meeting Attendance"
    __name__ = 'concertes.meeting.attendance'
    _field_checks = {
        'check_represented_by': {'person', 'represented_by', 'status'},
        }

    meeting = fields.Many2One(
        'concertes.meeting', "Meeting", required=True, ondelete='CASCADE')
    person = fields.Many2One(
        'party.party', "Person", required=True, ondelete='RESTRICT')
    organisation = fields.Many2One(
        'party.party', "On Behalf of", ondelete='RESTRICT')
    status = fields.Selection([
            ('present', "Present"),
            ('excused', "Excused"),
            ('absent', "Absent"),
            ('represented', "Represented"),
            ], "Status", required=True, sort=False)
    represented_by = fields.Many2One(
        'party.party', "Represented by", ondelete='RESTRICT',
        states={
            'invisible': Eval('status') != 'represented',
            'required': Eval('status') == 'represented',
            })
    guest = fields.Function(fields.Boolean(
            "Guest",
            help="The person does not sit in the body at the meeting date."),
        'get_guest', searcher='search_guest')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.meeting, Index.Range())))
        cls._sql_constraints += [
            ('meeting_person_uniq', Unique(t, t.meeting, t.person),
                'concertes_members.msg_attendance_unique'),
            ]

    @staticmethod
    def default_status():
        return 'present'

    def get_rec_name(self, name):
        return '%s: %s' % (self.meeting.rec_name, self.person.rec_name)

    @classmethod
    def get_guest(cls, attendances, name):
        sitting = {}
        result = {}
        for attendance in attendances:
            meeting = attendance.meeting
            if meeting.id not in sitting:
                sitting[meeting.id] = meeting.body.sitting_at(
                    meeting.start.date())
            parties = sitting[meeting.id]
            result[attendance.id] = not (
                attendance.person.id in parties
                or (attendance.organisation
                    and attendance.organisation.id in parties))
        return result

    @classmethod
    def search_guest(cls, name, clause):
        _, operator, value = clause[:3]
        attendances = cls.search([])
        guests = [a.id for a, g in zip(
                attendances,
                cls.get_guest(attendances, name).values()) if g]
        positive = (operator == '=') == bool(value)
        return [('id', 'in' if positive else 'not in', guests)]

    @classmethod
    def check_represented_by(cls, attendances):
        for attendance in attendances:
            if (attendance.status == 'represented'
                    and attendance.represented_by == attendance.person):
                raise ValidationError(gettext(
                        'concertes_members.msg_attendance_represented_self',
                        attendance=attendance.rec_name))


class MeetingMonthly(ModelSQL, ModelView):
    "ConcertES Meetings per Month"
    __name__ = 'concertes.meeting.monthly'

    year = fields.Integer("Year")
    month = fields.Many2One('ir.calendar.month', "Month")
    period = fields.Function(fields.Char(
            "Period", help="The month and its year."), 'get_period')
    body = fields.Many2One('concertes.body', "Body")
    meeting_count = fields.Integer("Meetings")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('year', 'DESC'), ('month.index', 'DESC'), ('body', 'ASC'),
            ('id', 'ASC')]

    def get_period(self, name):
        "The month and its year, so that a graph never adds up two years"
        Month = Pool().get('ir.calendar.month')
        return '%s %s' % (
            Month.locale(field='abbreviation')[self.month.index], self.year)

    @classmethod
    def table_query(cls):
        pool = Pool()
        Meeting = pool.get('concertes.meeting')
        Month = pool.get('ir.calendar.month')
        meeting = Meeting.__table__()
        month = Month.__table__()
        year_column = Extract('YEAR', meeting.start).as_('year')
        month_index = Extract('MONTH', meeting.start)
        return meeting.join(
            month, condition=month_index == month.index).select(
            Max(Extract('MONTH', meeting.start)
                + Extract('YEAR', meeting.start) * 100
                + meeting.body * 1000000).as_('id'),
            year_column,
            month.id.as_('month'),
            meeting.body,
            Count(meeting.id).as_('meeting_count'),
            where=meeting.state != 'cancelled',
            group_by=(year_column, month.id, meeting.body))
