# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from sql import Null

from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Meeting(metaclass=PoolMeta):
    __name__ = 'concertes.meeting'

    positions = fields.Text(
        "Positions Defended",
        help="The positions our representatives defended at the meeting.")
    follow_up = fields.Text(
        "Follow-up", help="What is to be done after the meeting.")
    opinions = fields.One2Many('concertes.opinion', 'meeting', "Opinions")


class Attendance(metaclass=PoolMeta):
    __name__ = 'concertes.meeting.attendance'
    _field_checks = {'check_mandate': {'mandate', 'person', 'meeting'}}

    mandate = fields.Many2One(
        'concertes.mandate', "Mandate", ondelete='RESTRICT',
        help="The mandate under which the person attends for us.")
    in_place_of = fields.Function(fields.Many2One(
            'party.party', "In Place of",
            help="The effective member replaced by the substitute."),
        'get_in_place_of')

    @classmethod
    def attended(cls, year):
        """The (mandate, meeting, body) ids of each meeting held in the year
        that a mandate attended: an attendance 'present' under the mandate
        (check_mandate makes sure the mandate was held on that day)"""
        Meeting = Pool().get('concertes.meeting')
        attendance = cls.__table__()
        meeting = Meeting.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*attendance.join(meeting,
                condition=attendance.meeting == meeting.id
                ).select(attendance.mandate, meeting.id, meeting.body,
                where=(attendance.mandate != Null)
                & (attendance.status == 'present')
                & (meeting.state == 'held')
                & (meeting.start >= dt.datetime(year, 1, 1))
                & (meeting.start < dt.datetime(year + 1, 1, 1))))
        return cursor.fetchall()

    def get_in_place_of(self, name):
        if self.mandate and self.mandate.seat_type == 'substitute':
            return self.mandate.effective.person.id

    @classmethod
    def check_mandate(cls, attendances):
        for attendance in attendances:
            mandate = attendance.mandate
            if not mandate:
                continue
            meeting = attendance.meeting
            date = meeting.start.date()
            if (mandate.body != meeting.body
                    or mandate.person != attendance.person
                    or not mandate.is_active_at(date)):
                raise ValidationError(gettext(
                        'concertes_mandates.msg_attendance_mandate',
                        person=attendance.person.rec_name,
                        mandate=mandate.rec_name,
                        meeting=meeting.rec_name))
