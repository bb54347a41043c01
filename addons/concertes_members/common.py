# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The helpers every ConcertES module shares: written once here"
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from trytond import config
from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.model.exceptions import AccessError, ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.sendmail import send_message_transactional
from trytond.tools.email_ import set_from_header
from trytond.transaction import Transaction

# The time zone of the association: dates shown to people and calendars
TIMEZONE = ZoneInfo('Europe/Brussels')
# The languages a public page or an e-mail is offered in
PUBLIC_LANGUAGES = ['fr', 'nl', 'en']


def rec_name_domain(clause, field_names):
    """The domain of a rec_name clause over field_names: a positive operator
    matches any of them, a negative one ('!=', 'not ilike', 'not in', ...)
    none of them"""
    _, operator, operand, *extra = clause
    if operator.startswith('!') or operator.startswith('not '):
        bool_op = 'AND'
    else:
        bool_op = 'OR'
    return [bool_op] + [(f, operator, operand, *extra) for f in field_names]


class SearchRecNameMixin:
    "Records found by their name in any of _rec_name_fields"
    __slots__ = ()
    _rec_name_fields = ('code', 'name')

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, cls._rec_name_fields)


class DateRangeMixin:
    """Each (start, end) pair of fields of _date_ranges is in order: the end,
    when both are set, is not before the start"""
    __slots__ = ()
    _date_ranges = [('start_date', 'end_date')]

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        cls.check_date_ranges(records, field_names)

    @classmethod
    def check_date_ranges(cls, records, field_names=None):
        for start, end in cls._date_ranges:
            if field_names is not None and not (field_names & {start, end}):
                continue
            for record in records:
                start_value = getattr(record, start)
                end_value = getattr(record, end)
                if start_value and end_value and end_value < start_value:
                    labels = cls.fields_get([start, end])
                    raise ValidationError(gettext(
                            'concertes_members.msg_date_range',
                            record=record.rec_name,
                            start=labels[start]['string'],
                            end=labels[end]['string'],
                            start_date=start_value, end_date=end_value))


# The Horizon Europe rule, the default of the funders' personnel-cost rules
DAYS_PER_YEAR = 215


class PersonnelCostRulesMixin:
    """The funder's rules for personnel costs: the days a person may declare
    in a year and how the daily rate is computed"""
    __slots__ = ()

    days_per_year = fields.Integer(
        "Days per Year", required=True,
        domain=[('days_per_year', '>', 0), ('days_per_year', '<=', 366)],
        help="The days a person may declare in a year across all the grants "
        "and projects (the daily rate is the yearly cost over them).")
    daily_rate_method = fields.Selection([
            ('financial_year', "Per Financial Year"),
            ('reporting_period', "Per Reporting Period"),
            ], "Daily Rate Method", required=True, sort=False,
        help="Whether the daily rate is the yearly cost of each financial "
        "year, or the cost of the reporting period over its days.")

    @classmethod
    def default_days_per_year(cls):
        return DAYS_PER_YEAR

    @classmethod
    def default_daily_rate_method(cls):
        return 'financial_year'


class SignedMonthMixin:
    """A person's declaration of a month, signed by the person then by the
    supervisor and locked once signed: the models set _locked_message, the
    message raised on a change of a signed declaration"""
    __slots__ = ()
    _locked_message = None
    _readonly = Eval('state') != 'draft'

    employee = fields.Many2One(
        'company.employee', "Person", required=True,
        states={'readonly': _readonly})
    supervisor = fields.Many2One(
        'company.employee', "Supervisor", required=True,
        domain=[('id', '!=', Eval('employee', -1))],
        states={'readonly': _readonly})
    year = fields.Integer(
        "Year", required=True, domain=[('year', '>=', 1900)],
        states={'readonly': _readonly})
    month = fields.Integer(
        "Month", required=True,
        domain=[('month', '>=', 1), ('month', '<=', 12)],
        states={'readonly': _readonly})
    employee_signature_date = fields.Date(
        "Signed by the Person on", readonly=True)
    supervisor_signature_date = fields.Date(
        "Signed by the Supervisor on", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('employee_signed', "Signed by the Person"),
            ('signed', "Signed"),
            ], "State", required=True, readonly=True, sort=False)

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('year', 'DESC'), ('month', 'DESC'), ('employee', 'ASC'),
            ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'employee_signed'),
            ('employee_signed', 'signed'),
            ('employee_signed', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'employee_signed',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'sign': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'employee_signed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'fill': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('state') != 'signed', 'warning', '')),
            ]

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_year(cls):
        return Pool().get('ir.date').today().year

    @classmethod
    def default_month(cls):
        return Pool().get('ir.date').today().month

    @classmethod
    def check_modification(cls, mode, declarations, values=None,
            external=False):
        super().check_modification(
            mode, declarations, values=values, external=external)
        if mode == 'delete' or (mode == 'write' and values.keys() - {
                    'state', 'employee_signature_date',
                    'supervisor_signature_date'}):
            for declaration in declarations:
                if declaration.state == 'signed':
                    raise AccessError(gettext(
                            cls._locked_message,
                            declaration=declaration.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, declarations):
        cls.write(declarations, {'employee_signature_date': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('employee_signed')
    def sign(cls, declarations):
        today = Pool().get('ir.date').today()
        cls.write(declarations, {'employee_signature_date': today})

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    def approve(cls, declarations):
        today = Pool().get('ir.date').today()
        cls.write(declarations, {'supervisor_signature_date': today})


class SignedMonthLineMixin:
    "A line of a SignedMonthMixin declaration: changed only in draft"
    __slots__ = ()

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        for line in lines:
            if line.declaration.state != 'draft':
                raise AccessError(gettext(
                        line.declaration._locked_message,
                        declaration=line.declaration.rec_name))


def template_values(template, record, language=None):
    """The subject and body of the ir.email.template for record, in language
    (the context's when None)"""
    Template = Pool().get('ir.email.template')
    with Transaction().set_context(
            language=language or Transaction().language):
        values = Template(int(template)).get(record)
    return values.get('subject') or '', values.get('body') or ''


def email_message(to, subject, body, attachments=()):
    """An e-mail from the association: to is an address or a list of them;
    attachments are (data, maintype, subtype, filename, params)"""
    msg = EmailMessage()
    from_ = config.get('email', 'from')
    set_from_header(msg, from_, from_)
    msg['To'] = to if isinstance(to, str) else ', '.join(to)
    msg['Subject'] = subject
    msg.set_content(body)
    for data, maintype, subtype, filename, params in attachments:
        msg.add_attachment(
            data, maintype=maintype, subtype=subtype, filename=filename,
            params=params or {})
    return msg


def send_email(msg):
    """Send the e-mail at the commit and return it.

    Not strict: the mail server is reached after the commit, so a failure
    cannot undo what was done; it is logged, and the callers keep a copy
    as ir.email of what was meant to go."""
    send_message_transactional(msg, strict=False)
    return msg
