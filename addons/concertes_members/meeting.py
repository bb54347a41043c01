# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.pyson import Eval


class Meeting(Workflow, ModelSQL, ModelView):
    "ConcertES Meeting"
    __name__ = 'concertes.meeting'

    body = fields.Many2One(
        'concertes.body', "Body", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'planned'})
    name = fields.Char("Title", help="Leave empty to use the body and date.")
    start = fields.DateTime("Start", required=True)
    end = fields.DateTime(
        "End",
        domain=['OR', ('end', '=', None), ('end', '>=', Eval('start'))])
    date = fields.Function(fields.Date("Date"), 'get_date')
    place = fields.Char("Place")
    online = fields.Boolean("Online")
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
                'hold': {
                    'invisible': Eval('state') != 'planned',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'planned',
                    'depends': ['state'],
                    },
                'reset': {
                    'invisible': Eval('state') == 'planned',
                    'depends': ['state'],
                    },
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
    def validate_fields(cls, meetings, field_names):
        super().validate_fields(meetings, field_names)
        if field_names & {'body', 'start'}:
            cls.check_body_open(meetings)

    @classmethod
    def check_body_open(cls, meetings):
        for meeting in meetings:
            if not meeting.body.is_open_at(meeting.start.date()):
                raise ValidationError(gettext(
                        'concertes_members.msg_meeting_body_closed',
                        body=meeting.body.rec_name,
                        date=meeting.start.date()))

    @classmethod
    @ModelView.button
    @Workflow.transition('held')
    def hold(cls, meetings):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, meetings):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('planned')
    def reset(cls, meetings):
        pass


class Attendance(ModelSQL, ModelView):
    "ConcertES Meeting Attendance"
    __name__ = 'concertes.meeting.attendance'

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
        'get_guest')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.meeting, Index.Range())))

    @staticmethod
    def default_status():
        return 'present'

    @classmethod
    def get_guest(cls, attendances, name):
        result = {}
        for attendance in attendances:
            meeting = attendance.meeting
            date = meeting.start.date()
            seated = {
                m.representative for m in meeting.body.members
                if m.representative and m.is_active_at(date)}
            result[attendance.id] = attendance.person not in seated
        return result
