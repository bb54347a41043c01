# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from sql import Null
from sql.conditionals import Case, Coalesce
from sql.operators import Not

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    FieldChecksMixin, SearchRecNameMixin, context_date, email_message,
    empty_or, getter_values, send_email, shown_in, stamp_today)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If

from .months import month_end, month_of, sql_date_where, sql_month_end


class DueMixin(FieldChecksMixin, SearchRecNameMixin):
    "Something due in a project month, planned until it is done"
    __slots__ = ()
    _rec_name_fields = ('number', 'title')
    _field_checks = {
        'check_number': {'number', 'project'},
        'check_due_month': {'due_month', 'revised_due_month', 'project'},
        }

    project = fields.Many2One(
        'concertes.eu.project', "Project", required=True, ondelete='CASCADE')
    number = fields.Char("Number", required=True)
    title = fields.Char("Title", required=True)
    work_package = fields.Many2One(
        'project.work', "Work Package",
        domain=[('eu_project', '=', Eval('project', -1))])
    lead_partner = fields.Many2One(
        'concertes.eu.partner', "Lead Partner",
        domain=[('project', '=', Eval('project', -1))])
    lead_person = fields.Many2One(
        'party.party', "Lead Person",
        help="The person in charge, who receives the reminders.")
    due_month = fields.Integer(
        "Due Month", required=True,
        domain=[('due_month', '>', 0)],
        help="The project month at the end of which it is due.")
    revised_due_month = fields.Integer(
        "Revised Due Month",
        domain=empty_or('revised_due_month', ('>', 0)),
        help="The due month as revised by the project officer.")
    due_date = fields.Function(
        fields.Date("Due Date",
            help="The last day of the (revised) due month."),
        'get_due_date', searcher='search_due_date')
    justification = fields.Text(
        "Justification",
        states={'invisible': ~Eval('late') & ~Eval('justification')},
        help="Why it is late.")
    late = fields.Function(
        fields.Boolean("Late"), 'get_late', searcher='search_late')
    months_late = fields.Function(
        fields.Integer("Months Late"), 'get_late')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.project, Index.Range())),
                })
        cls._order = [('project', 'ASC'), ('due_month', 'ASC'),
            ('number', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_state(cls):
        return 'planned'

    def get_rec_name(self, name):
        return '%s %s' % (self.number, self.title)

    @property
    def effective_due_month(self):
        return self.revised_due_month or self.due_month

    def get_due_date(self, name):
        return month_end(self.project.start_date, self.effective_due_month)

    @classmethod
    def _sql_due_date(cls, table, project):
        return sql_month_end(project.start_date, Coalesce(
                table.revised_due_month, table.due_month))

    @classmethod
    def search_due_date(cls, name, clause):
        table, project = cls._project_join()
        due_date = cls._sql_due_date(table, project)
        return [('id', 'in', table.join(project,
                    condition=table.project == project.id).select(
                    table.id, where=(project.start_date != Null)
                    & sql_date_where(cls.due_date, clause, due_date)))]

    @classmethod
    def _project_join(cls):
        Project = Pool().get('concertes.eu.project')
        return cls.__table__(), Project.__table__()

    @classmethod
    def _sql_done_date(cls, table):
        "The SQL of _done_date"
        raise NotImplementedError

    def _done_date(self):
        "The date it was done, None while it is not"
        raise NotImplementedError

    @classmethod
    def get_late(cls, records, names):
        reference = context_date()

        def values(record):
            due_date = record.due_date
            done = record._done_date()
            late = bool(due_date and (done or reference) > due_date)
            months = None
            if late:
                months = (month_of(
                        record.project.start_date, done or reference)
                    - record.effective_due_month)
            return {'late': late, 'months_late': months}
        return getter_values(records, names, values)

    @classmethod
    def search_late(cls, name, clause):
        _, operator_, operand = clause[:3]
        if operator_ not in {'=', '!='}:
            raise ValueError(operator_)
        table, project = cls._project_join()
        due_date = cls._sql_due_date(table, project)
        late = (Coalesce(cls._sql_done_date(table), context_date()) > due_date)
        if bool(operand) != (operator_ == '='):
            late = Not(late)
        return [('id', 'in', table.join(project,
                    condition=table.project == project.id).select(
                    table.id, where=(project.start_date != Null) & late))]

    @classmethod
    @ModelView.button
    @Workflow.transition('planned')
    def plan(cls, records):
        pass

    @classmethod
    def check_number(cls, records):
        for record in records:
            others = cls.search([
                    ('project', '=', record.project.id),
                    ('number', '=', record.number),
                    ('id', '!=', record.id),
                    ], limit=1)
            if others:
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_due_number_unique',
                        number=record.number,
                        project=record.project.rec_name))

    @classmethod
    def check_due_month(cls, records):
        for record in records:
            duration = record.project.duration
            if not duration:
                continue
            for month in [record.due_month, record.revised_due_month]:
                if month and month > duration:
                    raise ValidationError(gettext(
                            'concertes_eu_projects'
                            '.msg_due_month_beyond_duration',
                            record=record.rec_name, month=month,
                            duration=duration))


class Deliverable(DueMixin, Workflow, ModelSQL, ModelView):
    "EU Project Deliverable"
    __name__ = 'concertes.eu.deliverable'

    type = fields.Many2One(
        'concertes.eu.deliverable.type', "Type",
        domain=[If(Eval('allowed_types'),
                ('id', 'in', Eval('allowed_types', [])),
                ())])
    dissemination_level = fields.Many2One(
        'concertes.eu.dissemination.level', "Dissemination Level",
        domain=[If(Eval('allowed_levels'),
                ('id', 'in', Eval('allowed_levels', [])),
                ())])
    allowed_types = fields.Function(fields.Many2Many(
            'concertes.eu.deliverable.type', None, None, "Allowed Types"),
        'on_change_with_allowed_types')
    allowed_levels = fields.Function(fields.Many2Many(
            'concertes.eu.dissemination.level', None, None,
            "Allowed Levels"),
        'on_change_with_allowed_levels')
    state = fields.Selection([
            ('planned', "Planned"),
            ('in_progress', "In Progress"),
            ('submitted', "Submitted"),
            ('accepted', "Accepted"),
            ('revision', "Revision Requested"),
            ], "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    submission_date = fields.Date(
        "Submission Date",
        states={
            'required': Eval('state').in_(['submitted', 'accepted']),
            })
    acceptance_date = fields.Date(
        "Acceptance Date",
        domain=[If(Bool(Eval('acceptance_date'))
                & Bool(Eval('submission_date')),
                ('acceptance_date', '>=', Eval('submission_date')),
                ())],
        states={'required': Eval('state') == 'accepted'})
    description = fields.Text("Description")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('planned', 'in_progress'),
            ('planned', 'submitted'),
            ('in_progress', 'planned'),
            ('in_progress', 'submitted'),
            ('submitted', 'accepted'),
            ('submitted', 'revision'),
            ('submitted', 'in_progress'),
            ('revision', 'submitted'),
            }
        cls._buttons.update({
            'plan': shown_in('in_progress', icon='tryton-back'),
            'start': shown_in('planned', 'submitted',
                icon=If(Eval('state') == 'planned',
                    'tryton-forward', 'tryton-back')),
            'submit': shown_in('planned', 'in_progress', 'revision',
                icon='tryton-forward'),
            'accept': shown_in('submitted', icon='tryton-ok'),
            'request_revision': shown_in('submitted', icon='tryton-undo'),
            })

    def _programme_ids(self, field_name):
        "The ids of the records in field_name of the project's programme"
        if self.project and self.project.programme:
            return [r.id for r in getattr(self.project.programme, field_name)]
        return []

    @fields.depends('project', '_parent_project.programme')
    def on_change_with_allowed_types(self, name=None):
        return self._programme_ids('deliverable_types')

    @fields.depends('project', '_parent_project.programme')
    def on_change_with_allowed_levels(self, name=None):
        return self._programme_ids('dissemination_levels')

    @classmethod
    def _sql_done_date(cls, table):
        return Case(
            (table.state.in_(['submitted', 'accepted']),
                table.submission_date),
            else_=Null)

    def _done_date(self):
        if self.state in {'submitted', 'accepted'}:
            return self.submission_date
        if self.state == 'revision':
            # The first submission was in time when it was before the due
            # date: the revision is judged on its own.
            return None

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def start(cls, deliverables):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, deliverables):
        date = context_date()
        for deliverable in deliverables:
            if deliverable.state == 'revision' or not (
                    deliverable.submission_date):
                deliverable.submission_date = date
            due_date = deliverable.due_date
            if (due_date and deliverable.submission_date > due_date
                    and not deliverable.justification):
                raise ValidationError(gettext(
                        'concertes_eu_projects'
                        '.msg_deliverable_late_without_justification',
                        deliverable=deliverable.rec_name,
                        due_date=due_date))
        cls.save(deliverables)

    @classmethod
    @ModelView.button
    @Workflow.transition('accepted')
    def accept(cls, deliverables):
        stamp_today(deliverables, 'acceptance_date',
            not_before='submission_date', today=context_date())
        cls.save(deliverables)

    @classmethod
    @ModelView.button
    @Workflow.transition('revision')
    def request_revision(cls, deliverables):
        pass

    @classmethod
    def reminder_days(cls):
        pool = Pool()
        Configuration = pool.get('concertes.eu.configuration')
        return Configuration(1).reminder_days or 0

    @classmethod
    def to_remind(cls, date=None):
        "The deliverables not yet submitted due within the reminder delay"
        date = date or context_date()
        limit = date + dt.timedelta(days=cls.reminder_days())
        return cls.search([
                ('project.state', '=', 'running'),
                ('state', 'in', ['planned', 'in_progress', 'revision']),
                ('due_date', '>=', date),
                ('due_date', '<=', limit),
                ('lead_person', '!=', None),
                ], order=[('project', 'ASC'), ('number', 'ASC')])

    @classmethod
    def send_reminders(cls, date=None):
        "E-mail the lead person of each deliverable due soon"
        messages = []
        for deliverable in cls.to_remind(date):
            to = deliverable.lead_person.email
            if not to:
                continue
            messages.append(send_email(email_message(
                        to,
                        gettext('concertes_eu_projects.msg_reminder_subject',
                            project=deliverable.project.rec_name,
                            deliverable=deliverable.number,
                            due_date=deliverable.due_date),
                        gettext('concertes_eu_projects.msg_reminder_body',
                            person=deliverable.lead_person.rec_name,
                            project=deliverable.project.rec_name,
                            deliverable=deliverable.rec_name,
                            due_date=deliverable.due_date))))
        return messages


class Milestone(DueMixin, Workflow, ModelSQL, ModelView):
    "EU Project Milestone"
    __name__ = 'concertes.eu.milestone'

    means_of_verification = fields.Text(
        "Means of Verification",
        help="How the achievement of the milestone is shown.")
    state = fields.Selection([
            ('planned', "Planned"),
            ('achieved', "Achieved"),
            ], "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    achieved_date = fields.Date(
        "Achieved Date",
        states={'required': Eval('state') == 'achieved'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('planned', 'achieved'),
            ('achieved', 'planned'),
            }
        cls._buttons.update({
            'plan': shown_in('achieved', icon='tryton-undo'),
            'achieve': shown_in('planned', icon='tryton-ok'),
            })

    @classmethod
    def _sql_done_date(cls, table):
        return Case(
            (table.state == 'achieved', table.achieved_date), else_=Null)

    def _done_date(self):
        if self.state == 'achieved':
            return self.achieved_date

    @classmethod
    @ModelView.button
    @Workflow.transition('achieved')
    def achieve(cls, milestones):
        stamp_today(milestones, 'achieved_date', today=context_date())
        cls.save(milestones)
