# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql import Null

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    FieldChecksMixin, SearchRecNameMixin, empty_or, getter_values, shown_in)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .months import month_end, sql_date_where, sql_month_end

ROLES = [
    ('coordinator', "Coordinator"),
    ('partner', "Partner"),
    ('associated', "Associated Partner"),
    ]
STATES = [
    ('invited', "Invited"),
    ('preparation', "In Preparation"),
    ('submitted', "Submitted"),
    ('retained', "Retained"),
    ('not_retained', "Not Retained"),
    ('running', "Running"),
    ('closed', "Closed"),
    ]
PROPOSAL_STATES = ['invited', 'preparation', 'submitted']
GRANT_STATES = ['retained', 'running', 'closed']


class Project(
        FieldChecksMixin, SearchRecNameMixin, Workflow, ModelSQL, ModelView):
    "EU Project"
    __name__ = 'concertes.eu.project'
    _field_checks = {
        'check_start_date': {'state', 'start_date'},
        'check_months': {'duration'},
        }
    _rec_name_fields = ('acronym', 'title', 'grant_agreement')

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('state') != 'invited'})
    acronym = fields.Char("Acronym", required=True)
    title = fields.Char("Title")
    description = fields.Text("Description")
    programme = fields.Many2One(
        'concertes.eu.programme', "Programme and Action",
        states={
            'required': Eval('state').in_(GRANT_STATES),
            },
        help="The funding programme and its type of action.")
    call_identifier = fields.Char(
        "Call Identifier",
        help="The identifier of the call or topic, such as "
        "HORIZON-CL2-2024-TRANSFORMATIONS-01-09.")
    deadline = fields.DateTime(
        "Deadline", help="The submission deadline (Brussels time).")
    coordinator = fields.Many2One(
        'party.party', "Coordinator",
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The organisation that coordinates the consortium.")
    role = fields.Selection(
        ROLES, "Our Role", required=True,
        help="The role of ConcertES in the consortium.")
    role_string = role.translated('role')
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')

    # Evaluation
    scores = fields.One2Many(
        'concertes.eu.project.score', 'project', "Evaluation Scores")
    evaluation_date = fields.Date("Evaluation Date")
    evaluation_feedback = fields.Text(
        "Evaluation Feedback",
        help="The comments of the evaluation summary report.")
    total_score = fields.Function(
        fields.Numeric("Total Score", digits=(16, 1)), 'get_evaluation')
    overall_threshold = fields.Function(
        fields.Numeric("Overall Threshold", digits=(16, 1)),
        'get_evaluation')
    above_threshold = fields.Function(
        fields.Boolean(
            "Above Thresholds",
            help="Every criterion and the total reach their thresholds."),
        'get_evaluation')
    resubmission_of = fields.Many2One(
        'concertes.eu.project', "Resubmission of",
        domain=[('id', '!=', Eval('id', -1))],
        help="The earlier proposal this one resubmits.")
    resubmissions = fields.One2Many(
        'concertes.eu.project', 'resubmission_of', "Resubmissions",
        readonly=True)
    intended_call = fields.Char(
        "Intended Call",
        help="The call under which the proposal is to be resubmitted.")
    resubmission_intent = fields.Text(
        "Resubmission Intent",
        help="What the consortium intends after the outcome.")

    # Grant
    grant_agreement = fields.Char(
        "Grant Agreement Number",
        states={'invisible': ~Eval('state').in_(GRANT_STATES)})
    start_date = fields.Date(
        "Start Date",
        help="The first day of month 1.")
    duration = fields.Integer(
        "Duration", domain=empty_or('duration', ('>', 0)),
        help="The duration in months.")
    end_date = fields.Function(
        fields.Date("End Date", help="The last day of the last month."),
        'get_end_date', searcher='search_end_date')
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True)
    maximum_grant = fields.Numeric(
        "Maximum Grant", digits='currency',
        domain=empty_or('maximum_grant', ('>=', 0)),
        help="The maximum EU contribution of the grant agreement.")

    # Consortium and work plan
    work = fields.Many2One(
        'project.work', "Project Work", readonly=True,
        domain=[('type', '=', 'project')],
        help="The Tryton project under which the work packages and tasks "
        "are planned and timesheets booked.")
    partners = fields.One2Many(
        'concertes.eu.partner', 'project', "Consortium")
    work_packages = fields.One2Many(
        'project.work', 'eu_project', "Work Packages",
        domain=[('company', '=', Eval('company', -1))],
        order=[('wp_number', 'ASC NULLS LAST'), ('id', 'ASC')])
    deliverables = fields.One2Many(
        'concertes.eu.deliverable', 'project', "Deliverables")
    milestones = fields.One2Many(
        'concertes.eu.milestone', 'project', "Milestones")
    periods = fields.One2Many(
        'concertes.eu.period', 'project', "Reporting Periods")

    payments = fields.One2Many(
        'concertes.eu.payment', 'project', "Payments")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality())),
                })
        cls._sql_constraints += [
            ('acronym_unique', Unique(t, t.acronym, t.call_identifier),
                'concertes_eu_projects.msg_project_acronym_unique'),
            ]
        cls._order = [('deadline', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('invited', 'preparation'),
            ('preparation', 'invited'),
            ('preparation', 'submitted'),
            ('submitted', 'preparation'),
            ('submitted', 'retained'),
            ('submitted', 'not_retained'),
            ('not_retained', 'submitted'),
            ('retained', 'running'),
            ('running', 'closed'),
            ('closed', 'running'),
            }
        cls._buttons.update({
            'invite': shown_in('preparation', icon='tryton-back'),
            'prepare': shown_in('invited', 'submitted',
                icon=If(Eval('state') == 'invited',
                    'tryton-forward', 'tryton-back')),
            'submit': shown_in('preparation', icon='tryton-forward'),
            'retain': shown_in('submitted', icon='tryton-ok'),
            'not_retain': shown_in('submitted', icon='tryton-cancel'),
            'resubmit': shown_in('not_retained', icon='tryton-refresh'),
            'run': shown_in('retained', icon='tryton-launch'),
            'close': shown_in('running', icon='tryton-close'),
            'reopen': shown_in('closed', icon='tryton-undo'),
            })

    @classmethod
    def fields_view_get(cls, view_id=None, view_type='form', level=None):
        result = super().fields_view_get(
            view_id=view_id, view_type=view_type, level=level)
        if view_type != 'form':
            return result
        # The lists of the form's one2many fields have no search: without the
        # fields of the models of their many2one columns (used to search on
        # them), the definition shrinks from 630 kB to a tenth and the form
        # opens in a fraction of the time (its JSON is encoded in Python)
        fields = dict(result['fields'])
        for name, field in fields.items():
            if field.get('views'):
                fields[name] = dict(field, views={
                        type_: dict(view, fields={
                                n: {k: v for k, v in f.items()
                                    if k != 'relation_fields'}
                                for n, f in view['fields'].items()})
                        for type_, view in field['views'].items()})
        return dict(result, fields=fields)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        if company is not None and company >= 0:
            return Company(company).currency.id

    @classmethod
    def default_role(cls):
        return 'partner'

    @classmethod
    def default_state(cls):
        return 'preparation'

    @fields.depends('company')
    def on_change_company(self):
        if self.company:
            self.currency = self.company.currency

    def get_rec_name(self, name):
        return self.acronym

    def get_end_date(self, name):
        return month_end(self.start_date, self.duration)

    @classmethod
    def search_end_date(cls, name, clause):
        table = cls.__table__()
        end_date = sql_month_end(table.start_date, table.duration)
        return [('id', 'in', table.select(
                    table.id,
                    where=(table.start_date != Null)
                    & (table.duration != Null)
                    & sql_date_where(cls.end_date, clause, end_date)))]

    @classmethod
    def follow_dates(cls, date=None):
        """Move the projects whose dates are reached: a retained project
        runs from its start date, a running project is closed once its end
        date has passed"""
        date = date or Pool().get('ir.date').today()
        cls.run(cls.search([
                    ('state', '=', 'retained'),
                    ('start_date', '<=', date),
                    ('duration', '!=', None),
                    ]))
        cls.close(cls.search([
                    ('state', '=', 'running'),
                    ('end_date', '<', date),
                    ]))

    @classmethod
    def get_evaluation(cls, projects, names):
        return getter_values(projects, names, cls._evaluation)

    def _evaluation(self):
        total = None
        if self.scores:
            total = sum(s.score for s in self.scores)
        threshold = (self.programme.overall_threshold
            if self.programme else None)
        above = None
        if self.scores:
            above = all(
                s.threshold is None or (
                    s.score is not None and s.score >= s.threshold)
                for s in self.scores)
            if threshold is not None:
                above = above and total >= threshold
        return {
            'total_score': total,
            'overall_threshold': threshold,
            'above_threshold': above,
            }

    def month_end(self, month):
        "The last day of the project month for this project"
        return month_end(self.start_date, month)

    @classmethod
    def create(cls, vlist):
        projects = super().create(vlist)
        cls._create_works(projects)
        return projects

    @classmethod
    def _create_works(cls, projects):
        pool = Pool()
        Work = pool.get('project.work')
        to_create, to_link = [], []
        for project in projects:
            if not project.work:
                to_create.append(Work(
                        name=project._work_name(), type='project',
                        company=project.company))
                to_link.append(project)
        if to_create:
            Work.save(to_create)
            for project, work in zip(to_link, to_create):
                project.work = work
            cls.save(to_link)

    def _work_name(self):
        if self.title:
            return '%s – %s' % (self.acronym, self.title)
        return self.acronym

    @classmethod
    def write(cls, *args):
        pool = Pool()
        Work = pool.get('project.work')
        super().write(*args)
        projects = sum(args[0:None:2], [])
        works = []
        for project in projects:
            if project.work and project.work.name != project._work_name():
                project.work.name = project._work_name()
                works.append(project.work)
        Work.save(works)

    @classmethod
    def copy(cls, projects, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'preparation')
        for name in [
                'work', 'scores', 'evaluation_date', 'evaluation_feedback',
                'resubmissions', 'grant_agreement', 'start_date', 'periods',
                'work_packages', 'deliverables', 'milestones']:
            default.setdefault(name, None)
        new_projects = super().copy(projects, default=default)
        cls._copy_work_packages(projects, new_projects)
        return new_projects

    @classmethod
    def _copy_work_packages(cls, projects, new_projects):
        "Copy the work packages under the new projects' works"
        pool = Pool()
        Work = pool.get('project.work')
        for project, new_project in zip(projects, new_projects):
            partners = {p.party: p for p in new_project.partners}
            for work_package in project.work_packages:
                lead = None
                if work_package.wp_lead:
                    lead = partners.get(work_package.wp_lead.party)
                Work.copy([work_package], default={
                        'eu_project': new_project.id,
                        'parent': new_project.work.id,
                        'wp_lead': lead.id if lead else None,
                        })

    @classmethod
    def check_start_date(cls, projects):
        for project in projects:
            if (project.state in {'running', 'closed'}
                    and (not project.start_date or not project.duration)):
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_running_without_start_date',
                        project=project.rec_name))

    @classmethod
    def check_months(cls, projects):
        "Check that the work plan fits in the project's duration"
        pool = Pool()
        Work = pool.get('project.work')
        Deliverable = pool.get('concertes.eu.deliverable')
        Milestone = pool.get('concertes.eu.milestone')
        Period = pool.get('concertes.eu.period')
        for project in projects:
            Work.check_work_package_months(project.work_packages)
            Deliverable.check_due_month(project.deliverables)
            Milestone.check_due_month(project.milestones)
            Period.check_period_months(project.periods)

    @classmethod
    @ModelView.button
    @Workflow.transition('invited')
    def invite(cls, projects):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('preparation')
    def prepare(cls, projects):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, projects):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('retained')
    def retain(cls, projects):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('not_retained')
    def not_retain(cls, projects):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def run(cls, projects):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, projects):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def reopen(cls, projects):
        pass

    @classmethod
    @ModelView.button
    def resubmit(cls, projects):
        "Create a new proposal from each proposal not retained"
        for project in projects:
            if project.state != 'not_retained':
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_resubmit_not_retained',
                        project=project.rec_name))
        new_projects = []
        for project in projects:
            new_project, = cls.copy([project], default={
                    'resubmission_of': project.id,
                    'call_identifier': project.intended_call,
                    'intended_call': None,
                    'deadline': None,
                    'resubmission_intent': None,
                    })
            new_projects.append(new_project)
        return new_projects


class ProjectCurrencyMixin:
    "Amounts in the currency of the record's project"
    __slots__ = ()

    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')

    @fields.depends('project', '_parent_project.currency')
    def on_change_with_currency(self, name=None):
        return self.project.currency if self.project else None


class Partner(SearchRecNameMixin, ModelSQL, ModelView):
    "EU Project Partner"
    __name__ = 'concertes.eu.partner'
    _rec_name_fields = ('short_name', 'party')

    project = fields.Many2One(
        'concertes.eu.project', "Project", required=True, ondelete='CASCADE')
    number = fields.Integer(
        "Number", domain=empty_or('number', ('>', 0)),
        help="The partner number in the consortium (1 for the coordinator).")
    party = fields.Many2One(
        'party.party', "Organisation", required=True, ondelete='RESTRICT')
    short_name = fields.Char("Short Name")
    country = fields.Many2One('country.country', "Country")
    role = fields.Selection([
            ('coordinator', "Coordinator"),
            ('beneficiary', "Beneficiary"),
            ('affiliated', "Affiliated Entity"),
            ('associated', "Associated Partner"),
            ], "Role", required=True)
    contact = fields.Many2One(
        'party.party', "Contact Person",
        help="The person who represents the partner in the project.")
    ourselves = fields.Function(
        fields.Boolean("Ourselves",
            help="The partner is our own company."),
        'get_ourselves')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('party_unique', Unique(t, t.project, t.party),
                'concertes_eu_projects.msg_partner_party_unique'),
            ('number_unique', Unique(t, t.project, t.number),
                'concertes_eu_projects.msg_partner_number_unique'),
            ]
        cls._order = [
            ('project', 'ASC'), ('number', 'ASC NULLS LAST'),
            ('id', 'ASC')]

    @classmethod
    def default_role(cls):
        return 'beneficiary'

    @fields.depends('party', 'country')
    def on_change_party(self):
        if self.party and not self.country:
            address = self.party.address_get()
            if address and address.country:
                self.country = address.country

    def get_rec_name(self, name):
        label = self.short_name or self.party.rec_name
        if self.number:
            return '%s. %s' % (self.number, label)
        return label

    def get_ourselves(self, name):
        return self.party == self.project.company.party


class Score(FieldChecksMixin, ModelSQL, ModelView):
    "EU Project Evaluation Score"
    __name__ = 'concertes.eu.project.score'
    _field_checks = {'check_score_maximum': {'score', 'criterion'}}

    project = fields.Many2One(
        'concertes.eu.project', "Project", required=True, ondelete='CASCADE')
    programme = fields.Function(
        fields.Many2One('concertes.eu.programme', "Programme"),
        'on_change_with_programme')
    criterion = fields.Many2One(
        'concertes.eu.programme.criterion', "Criterion", required=True,
        domain=[('programme', '=', Eval('programme', -1))])
    score = fields.Numeric(
        "Score", digits=(16, 1), required=True,
        domain=[('score', '>=', 0)])
    maximum = fields.Function(
        fields.Numeric("Maximum", digits=(16, 1)), 'on_change_with_maximum')
    threshold = fields.Function(
        fields.Numeric("Threshold", digits=(16, 1)),
        'on_change_with_threshold')
    comment = fields.Text("Comment")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('criterion_unique', Unique(t, t.project, t.criterion),
                'concertes_eu_projects.msg_score_criterion_unique'),
            ]
        cls._order = [
            ('project', 'ASC'), ('criterion', 'ASC'), ('id', 'ASC')]

    @fields.depends('project', '_parent_project.programme')
    def on_change_with_programme(self, name=None):
        return self.project.programme if self.project else None

    @fields.depends('criterion')
    def on_change_with_maximum(self, name=None):
        return self.criterion.maximum if self.criterion else None

    @fields.depends('criterion')
    def on_change_with_threshold(self, name=None):
        return self.criterion.threshold if self.criterion else None

    @classmethod
    def check_score_maximum(cls, scores):
        for score in scores:
            if score.score > score.criterion.maximum:
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_score_above_maximum',
                        score=score.score,
                        criterion=score.criterion.name,
                        maximum=score.criterion.maximum))
