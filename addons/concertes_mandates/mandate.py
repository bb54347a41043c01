# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from trytond.exceptions import UserError
from trytond.i18n import gettext, ngettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    DateRangeMixin, FieldChecksMixin, context_date, email_message,
    periods_overlap, rec_name_domain, send_email, shown_in, transition_button)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .body import max_overlapping

ROLES = [
    ('president', "President"),
    ('vice_president', "Vice-President"),
    ('member', "Member"),
    ('observer', "Observer"),
    ]
SEAT_TYPES = [
    ('effective', "Effective"),
    ('substitute', "Substitute"),
    ]
SEAT_STATES = {'active', 'ended'}


class Mandate(FieldChecksMixin, DateRangeMixin, Workflow, ModelSQL, ModelView):
    "ConcertES Mandate"
    __name__ = 'concertes.mandate'
    _date_ranges = [
        ('start_date', 'planned_end_date'), ('start_date', 'end_date')]
    _dates = {'start_date', 'planned_end_date', 'end_date'}
    _field_checks = {
        'check_designation': _dates | {'designation'},
        'check_renewal': _dates | {'renewed_from'},
        'check_overlap': _dates | {'person', 'body', 'state', 'seat_type'},
        'check_seats': _dates | {'body', 'state', 'seat_type'},
        'check_substitute_period': _dates | {'effective', 'seat_type', 'body'},
        }
    del _dates

    _states = {
        'readonly': Eval('state').in_(['ended', 'not_retained']),
        }

    body = fields.Many2One(
        'concertes.body', "Body", required=True, ondelete='RESTRICT',
        domain=[('scope', '=', 'external')], states=_states)
    person = fields.Many2One(
        'party.party', "Representative", required=True, ondelete='RESTRICT',
        states=_states, help="The person who sits in the body.")
    on_behalf_of = fields.Many2One(
        'party.party', "On Behalf of", ondelete='RESTRICT', states=_states,
        help="ConcertES or the member federation the person represents.")
    role = fields.Selection(ROLES, "Role", required=True, sort=False,
        states=_states)
    role_string = role.translated('role')
    seat_type = fields.Selection(
        SEAT_TYPES, "Seat", required=True, sort=False, states=_states)
    seat_type_string = seat_type.translated('seat_type')
    effective = fields.Many2One(
        'concertes.mandate', "Substitute for", ondelete='RESTRICT',
        domain=[
            ('id', '!=', Eval('id', -1)),
            ],
        states={
            'invisible': Eval('seat_type') != 'substitute',
            'required': Eval('seat_type') == 'substitute',
            'readonly': _states['readonly'],
            },
        help="The effective mandate this substitute replaces.")
    substitutes = fields.One2Many(
        'concertes.mandate', 'effective', "Substitutes",
        states={
            'invisible': Eval('seat_type') != 'effective',
            }, readonly=True)
    start_date = fields.Date("Start Date", required=True, states=_states)
    planned_end_date = fields.Date(
        "Planned End Date", states=_states,
        help="The end of the term the person was designated for.")
    end_date = fields.Date(
        "End Date", states=_states,
        help="The day the mandate actually ended.")
    designation = fields.Many2One(
        'concertes.meeting', "Designated by", ondelete='RESTRICT',
        states=_states,
        help="The general assembly meeting that designated the person.")
    designation_date = fields.Function(
        fields.Date("Designation Date"), 'get_designation_date')
    renewed_from = fields.Many2One(
        'concertes.mandate', "Renewed from", ondelete='RESTRICT',
        readonly=True)
    renewals = fields.One2Many(
        'concertes.mandate', 'renewed_from', "Renewals", readonly=True)
    state = fields.Selection([
            ('candidate', "Candidate"),
            ('active', "Active"),
            ('ended', "Ended"),
            ('not_retained', "Not Retained"),
            ], "State", required=True, readonly=True, sort=False)
    in_office = fields.Function(fields.Boolean(
            "In Office",
            help="Whether the mandate is held today "
            "(or at the date given in the context)."),
        'get_in_office', searcher='search_in_office')
    reminder_date = fields.Date(
        "Reminder Sent", readonly=True,
        help="When the person in charge was reminded of the planned end.")
    attendances = fields.One2Many(
        'concertes.meeting.attendance', 'mandate', "Attendances",
        readonly=True)
    notes = fields.Text("Notes")

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.body, Index.Range()),
                    (t.start_date, Index.Range())),
                Index(t, (t.person, Index.Range())),
                Index(t, (t.state, Index.Equality()),
                    where=t.state == 'active'),
                })
        cls._order = [
            ('start_date', 'DESC'), ('body', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {
            ('candidate', 'active'),
            ('candidate', 'not_retained'),
            ('active', 'ended'),
            ('ended', 'active'),
            ('not_retained', 'candidate'),
            }
        cls._buttons.update({
                'appoint': shown_in('candidate'),
                'reject': shown_in('candidate'),
                'end': shown_in('active'),
                'reopen': shown_in('ended'),
                'reset': shown_in('not_retained'),
                'renew': {
                    'invisible': ~Eval('state').in_(['active', 'ended']),
                    'readonly': Bool(Eval('renewals')),
                    'depends': ['state', 'renewals'],
                    },
                })

    @staticmethod
    def default_state():
        return 'candidate'

    @staticmethod
    def default_role():
        return 'member'

    @staticmethod
    def default_seat_type():
        return 'effective'

    @fields.depends('seat_type')
    def on_change_seat_type(self):
        if self.seat_type != 'substitute':
            self.effective = None

    @fields.depends('effective', '_parent_effective.start_date',
        '_parent_effective.planned_end_date', 'start_date',
        'planned_end_date')
    def on_change_effective(self):
        if self.effective:
            if not self.start_date:
                self.start_date = self.effective.start_date
            if not self.planned_end_date:
                self.planned_end_date = self.effective.planned_end_date

    def get_rec_name(self, name):
        return '%s: %s (%s)' % (
            self.body.code, self.person.rec_name,
            self.start_date.year if self.start_date else '')

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, ['body.code', 'person'])

    @property
    def period(self):
        "The first and last day of the mandate (None: open-ended)"
        return self.start_date, self.end_date or self.planned_end_date

    @property
    def holds_seat(self):
        return self.state in SEAT_STATES

    def overlaps(self, start, end):
        return periods_overlap(*self.period, start, end)

    def is_active_at(self, date):
        return self.holds_seat and periods_overlap(*self.period, date, date)

    def get_designation_date(self, name):
        if self.designation:
            return self.designation.start.date()

    @classmethod
    def get_in_office(cls, mandates, name):
        date = context_date()
        return {m.id: m.is_active_at(date) for m in mandates}

    @classmethod
    def search_in_office(cls, name, clause):
        _, operator, value = clause[:3]
        date = context_date()
        if (operator == '=') == bool(value):
            return [
                ('state', 'in', list(SEAT_STATES)),
                ('start_date', '<=', date),
                ['OR',
                    ('end_date', '>=', date),
                    [('end_date', '=', None),
                        ['OR',
                            ('planned_end_date', '=', None),
                            ('planned_end_date', '>=', date),
                            ]],
                    ],
                ]
        else:
            return ['OR',
                ('state', 'not in', list(SEAT_STATES)),
                ('start_date', '>', date),
                ('end_date', '<', date),
                [('end_date', '=', None), ('planned_end_date', '<', date)],
                ]

    @classmethod
    def active_at(cls, date, domain=None):
        "The mandates held at date"
        with Transaction().set_context(date=date):
            return cls.search([('in_office', '=', True)] + (domain or []))

    @classmethod
    def check_designation(cls, mandates):
        for mandate in mandates:
            meeting = mandate.designation
            if meeting and meeting.body.kind != 'general_assembly':
                raise ValidationError(gettext(
                        'concertes_mandates'
                        '.msg_mandate_designation_not_general_assembly',
                        mandate=mandate.rec_name,
                        meeting=meeting.rec_name))

    @classmethod
    def check_renewal(cls, mandates):
        for mandate in mandates:
            previous = mandate.renewed_from
            if not previous:
                continue
            _, previous_end = previous.period
            if (previous_end is None
                    or mandate.start_date != previous_end + dt.timedelta(1)):
                raise ValidationError(gettext(
                        'concertes_mandates.msg_mandate_renewal_start',
                        mandate=mandate.rec_name,
                        previous=previous.rec_name,
                        end=previous_end or ''))

    @classmethod
    def check_overlap(cls, mandates):
        for mandate in mandates:
            if mandate.state == 'not_retained':
                continue
            start, end = mandate.period
            domain = [
                ('id', '!=', mandate.id),
                ('person', '=', mandate.person.id),
                ('body', '=', mandate.body.id),
                ('state', '!=', 'not_retained'),
                ]
            if end:
                domain.append(('start_date', '<=', end))
            for other in cls.search(domain):
                if other.overlaps(start, end):
                    raise ValidationError(gettext(
                            'concertes_mandates.msg_mandate_overlap',
                            mandate=mandate.rec_name,
                            other=other.rec_name))

    @classmethod
    def check_seats(cls, mandates):
        for mandate in mandates:
            body = mandate.body
            seats = (body.effective_seats
                if mandate.seat_type == 'effective'
                else body.substitute_seats)
            if seats is None or not mandate.holds_seat:
                continue
            start, end = mandate.period
            domain = [
                ('body', '=', body.id),
                ('seat_type', '=', mandate.seat_type),
                ('state', 'in', list(SEAT_STATES)),
                ]
            if end:
                domain.append(('start_date', '<=', end))
            others = [m for m in cls.search(domain) if m.overlaps(start, end)]
            if max_overlapping(others) > seats:
                raise ValidationError(gettext(
                        'concertes_mandates.msg_mandate_seats',
                        mandate=mandate.rec_name, body=body.rec_name,
                        seats=seats,
                        seat_type=mandate.seat_type_string.lower()))

    @classmethod
    def check_substitute_period(cls, mandates):
        for mandate in mandates:
            if mandate.seat_type == 'substitute':
                pairs = [(mandate, mandate.effective)]
            else:
                pairs = [(s, mandate) for s in mandate.substitutes
                    if s.state != 'not_retained']
            for substitute, effective in pairs:
                if not effective:
                    continue
                if (effective.seat_type != 'effective'
                        or effective.body != substitute.body):
                    raise ValidationError(gettext(
                            'concertes_mandates.msg_mandate_effective_seat',
                            mandate=substitute.rec_name,
                            effective=effective.rec_name))
                start, end = substitute.period
                e_start, e_end = effective.period
                if (start < e_start
                        or (e_end and (end is None or end > e_end))):
                    raise ValidationError(gettext(
                            'concertes_mandates'
                            '.msg_mandate_substitute_period',
                            mandate=substitute.rec_name,
                            effective=effective.rec_name,
                            start=e_start, end=e_end or '…'))

    @classmethod
    def copy(cls, mandates, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('renewals')
        default.setdefault('substitutes')
        default.setdefault('attendances')
        default.setdefault('reminder_date')
        default.setdefault('end_date')
        return super().copy(mandates, default=default)

    appoint = transition_button('appoint', 'active')
    reject = transition_button('reject', 'not_retained')

    @classmethod
    @ModelView.button
    @Workflow.transition('ended')
    def end(cls, mandates, date=None):
        "End the mandates (and their substitutes) at date, default today"
        if date is None:
            date = dt.date.today()
        to_save = []
        for mandate in mandates:
            if not mandate.end_date:
                end = date
                if mandate.planned_end_date:
                    end = min(end, mandate.planned_end_date)
                mandate.end_date = max(end, mandate.start_date)
            for substitute in mandate.substitutes:
                _, sub_end = substitute.period
                if (substitute.holds_seat
                        and (sub_end is None or sub_end > mandate.end_date)):
                    substitute.end_date = max(
                        mandate.end_date, substitute.start_date)
                    to_save.append(substitute)
        cls.save(to_save)
        cls.save(mandates)
        substitutes = [s for s in to_save if s.state == 'active']
        if substitutes:
            cls.end(substitutes)

    reopen = transition_button('reopen', 'active', end_date=None)
    reset = transition_button('reset', 'candidate')

    @classmethod
    @ModelView.button_action('concertes_mandates.wizard_mandate_renew')
    def renew(cls, mandates):
        pass

    @classmethod
    def create_renewals(cls, mandates, planned_end_date=None,
            designation=None):
        """Create and appoint the renewal of each mandate, starting the day
        after its end (actual, else planned)"""
        renewals = []
        for mandate in mandates:
            if mandate.renewals:
                raise UserError(gettext(
                        'concertes_mandates.msg_mandate_already_renewed',
                        mandate=mandate.rec_name))
            start, end = mandate.period
            if not end:
                raise UserError(gettext(
                        'concertes_mandates.msg_mandate_renew_no_end',
                        mandate=mandate.rec_name))
            new_start = end + dt.timedelta(1)
            if planned_end_date:
                new_end = planned_end_date
            else:
                length = relativedelta(end + dt.timedelta(1), start)
                new_end = new_start + length - dt.timedelta(1)
            effective = mandate.effective
            if effective:
                renewed = [r for r in effective.renewals if r.holds_seat]
                if renewed:
                    effective = renewed[0]
            renewals.append(cls(
                    body=mandate.body,
                    person=mandate.person,
                    on_behalf_of=mandate.on_behalf_of,
                    role=mandate.role,
                    seat_type=mandate.seat_type,
                    effective=effective,
                    start_date=new_start,
                    planned_end_date=new_end,
                    designation=designation or mandate.designation,
                    renewed_from=mandate,
                    ))
        cls.save(renewals)
        cls.appoint(renewals)
        return renewals

    @classmethod
    def reminder_delay(cls, body):
        Configuration = Pool().get('concertes.mandate.configuration')
        if body.reminder_delay is not None:
            return body.reminder_delay
        return Configuration(1).reminder_delay or 0

    @classmethod
    def update_mandates(cls, date=None):
        "Daily: end the mandates past their planned end, send the reminders"
        if date is None:
            date = dt.date.today()
        cls.end_expired(date)
        cls.send_reminders(date)

    @classmethod
    def end_expired(cls, date):
        mandates = cls.search([
                ('state', '=', 'active'),
                ['OR',
                    ('end_date', '<', date),
                    [('end_date', '=', None),
                        ('planned_end_date', '<', date)],
                    ],
                ])
        if mandates:
            cls.end(mandates, date=date)
        return mandates

    @classmethod
    def send_reminders(cls, date):
        pool = Pool()
        Configuration = pool.get('concertes.mandate.configuration')
        configuration = Configuration(1)
        candidates = cls.search([
                ('state', '=', 'active'),
                ('end_date', '=', None),
                ('planned_end_date', '>=', date),
                ('reminder_date', '=', None),
                ], order=[('planned_end_date', 'ASC')])
        by_recipient = defaultdict(list)
        for mandate in candidates:
            delay = cls.reminder_delay(mandate.body)
            if mandate.planned_end_date - dt.timedelta(delay) > date:
                continue
            responsible = (mandate.body.responsible
                or configuration.responsible)
            if responsible and responsible.email:
                by_recipient[responsible].append(mandate)
        reminded = []
        for responsible, mandates in by_recipient.items():
            send_email(cls.reminder_message(responsible, mandates))
            reminded.extend(mandates)
        if reminded:
            cls.write(reminded, {'reminder_date': date})
        return reminded

    @classmethod
    def reminder_message(cls, responsible, mandates):
        lines = [gettext(
                'concertes_mandates.msg_reminder_line',
                mandate=m.rec_name, body=m.body.name,
                end=m.planned_end_date.strftime('%d/%m/%Y'))
            for m in mandates]
        return email_message(
            responsible.email,
            ngettext('concertes_mandates.msg_reminder_subject',
                len(mandates), count=len(mandates)),
            '\n'.join([
                    gettext('concertes_mandates.msg_reminder_intro',
                        name=responsible.name),
                    ''] + lines))

    @classmethod
    def report_back(cls, year):
        """The figures of the yearly report-back: for each mandate held in
        the year, the meetings of its body held and attended"""
        pool = Pool()
        Meeting = pool.get('concertes.meeting')
        Attendance = pool.get('concertes.meeting.attendance')
        Opinion = pool.get('concertes.opinion')
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        mandates = [m for m in cls.search([
                    ('state', 'in', list(SEAT_STATES)),
                    ('start_date', '<=', last),
                    ], order=[('start_date', 'ASC'), ('id', 'ASC')])
            if m.overlaps(first, last)]
        bodies = sorted({m.body for m in mandates}, key=lambda b: b.code)
        body_ids = [b.id for b in bodies]
        begin = dt.datetime.combine(first, dt.time.min)
        finish = dt.datetime.combine(last, dt.time.max)
        meetings = Meeting.search([
                ('body', 'in', body_ids),
                ('state', '=', 'held'),
                ('start', '>=', begin),
                ('start', '<=', finish),
                ], order=[('start', 'ASC')])
        opinions = Opinion.search([
                ('body', 'in', body_ids),
                ('issue_date', '>=', first),
                ('issue_date', '<=', last),
                ], order=[('issue_date', 'ASC')])
        meetings_of = defaultdict(list)
        for meeting in meetings:
            meetings_of[meeting.body.id].append(meeting)
        attended = defaultdict(set)
        for mandate, meeting, _ in Attendance.attended(year):
            attended[mandate].add(meeting)
        opinions_of = defaultdict(list)
        for opinion in opinions:
            opinions_of[opinion.body.id].append(opinion)

        result = []
        for body in bodies:
            body_mandates = [m for m in mandates if m.body == body]
            held = meetings_of[body.id]
            ours = set()
            lines = []
            for mandate in body_mandates:
                held_during = [
                    m for m in held if mandate.is_active_at(m.start.date())]
                present = attended[mandate.id] & {m.id for m in held_during}
                ours |= present
                if mandate.seat_type == 'substitute':
                    effective = mandate.effective
                    in_place = len(present - attended[effective.id])
                else:
                    in_place = 0
                    for substitute in mandate.substitutes:
                        in_place += len(
                            (attended[substitute.id]
                                & {m.id for m in held_during})
                            - attended[mandate.id])
                lines.append({
                        'mandate': mandate,
                        'held': len(held_during),
                        'attended': len(present),
                        'rate': (len(present) / len(held_during)
                            if held_during else None),
                        'substitute_attendances': in_place,
                        })
            dossiers = set()
            for opinion in opinions_of[body.id]:
                dossiers.update(opinion.dossiers)
            dossiers.update(d for d in body.dossiers
                if d.overlaps(first, last))
            result.append({
                    'body': body,
                    'mandates': lines,
                    'held': len(held),
                    'represented': len(ours),
                    'rate': len(ours) / len(held) if held else None,
                    'opinions': opinions_of[body.id],
                    'dossiers': sorted(dossiers, key=lambda d: d.name),
                    })
        return result


class MandateRenewStart(ModelView):
    "Renew Mandates"
    __name__ = 'concertes.mandate.renew.start'

    planned_end_date = fields.Date(
        "Planned End Date",
        help="Leave empty to renew for a term as long as the previous one.")
    designation = fields.Many2One(
        'concertes.meeting', "Designated by",
        domain=[('body.kind', '=', 'general_assembly')],
        help="The general assembly meeting that renewed the mandates.")


class MandateRenew(Wizard):
    "Renew Mandates"
    __name__ = 'concertes.mandate.renew'

    start = StateView(
        'concertes.mandate.renew.start',
        'concertes_mandates.mandate_renew_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Renew", 'renew', 'tryton-ok', default=True),
            ])
    renew = StateTransition()

    def transition_renew(self):
        self.model.create_renewals(
            self.records,
            planned_end_date=self.start.planned_end_date,
            designation=self.start.designation)
        return 'end'
