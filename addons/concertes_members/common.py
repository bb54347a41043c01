# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The helpers every ConcertES module shares: written once here"
import calendar
import datetime as dt
import re
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from trytond import config
from trytond.i18n import gettext, ngettext
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


# The names of the months as people type them, in French, Dutch and English
MONTHS = {name: index for index, names in enumerate([
            ('janvier', 'janv', 'januari', 'january', 'jan'),
            ('février', 'fevrier', 'févr', 'fevr', 'februari', 'february',
                'feb'),
            ('mars', 'maart', 'mrt', 'march', 'mar'),
            ('avril', 'avr', 'april', 'apr'),
            ('mai', 'mei', 'may'),
            ('juin', 'juni', 'june', 'jun'),
            ('juillet', 'juil', 'juli', 'july', 'jul'),
            ('août', 'aout', 'augustus', 'august', 'aug'),
            ('septembre', 'sept', 'september', 'sep'),
            ('octobre', 'oct', 'oktober', 'okt', 'october'),
            ('novembre', 'november', 'nov'),
            ('décembre', 'decembre', 'déc', 'december', 'dec'),
            ], 1)
    for name in names}
_DAY = r'(?P<day>[0-3]?\d)'
_MONTH = r'(?P<month>[01]?\d)'
_YEAR = r'(?P<year>(?:19|20)\d\d)'
_MONTH_NAME = r'(?P<name>[^\W\d_]{3,})\.?'
PERIODS = [re.compile(p, re.IGNORECASE) for p in [
        r'\b%s-%s-%s\b' % (_YEAR, _MONTH, _DAY),
        r'\b%s[/.-]%s[/.-]%s\b' % (_DAY, _MONTH, _YEAR),
        r'\b(?:%s\s+)?%s\s+%s\b' % (_DAY, _MONTH_NAME, _YEAR),
        r'\b%s-%s\b' % (_YEAR, _MONTH),
        r'\b%s[/.]%s\b' % (_MONTH, _YEAR),
        ]]


def period_in_text(text):
    """The period a text names as people type dates (12/03/2024,
    12.03.2024, 2024-03-12, 12 mars 2024, mars 2024, maart 2024, 03/2024,
    2024-03) as (first day, day after the last, rest of the text), or None"""
    for pattern in PERIODS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        if parts.get('name'):
            month = MONTHS.get(parts['name'].lower())
        else:
            month = int(parts['month'])
        year = int(parts['year'])
        if not month and parts.get('name'):
            continue
        if not 1 <= month <= 12:
            return None
        rest = (text[:match.start()] + ' ' + text[match.end():]).strip()
        if parts.get('day'):
            day = int(parts['day'])
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                return None
            first = dt.date(year, month, day)
            return first, first + dt.timedelta(days=1), rest
        first = dt.date(year, month, 1)
        after = (first + dt.timedelta(days=31)).replace(day=1)
        return first, after, rest
    return None


def counted(message, count, language='fr'):
    """The text of message (with a plural text) for count, by gettext's
    plural rules of the language: « 1 mandat », « 2 mandats »; the
    documents are written in French"""
    with Transaction().set_context(language=language):
        return ngettext(message, count, count=count)


def utc_of_local_day(day):
    "The naive UTC datetime at which the day begins in Brussels"
    return dt.datetime.combine(day, dt.time(), tzinfo=TIMEZONE).astimezone(
        dt.timezone.utc).replace(tzinfo=None)


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


def empty_or(field_name, *clauses):
    """The domain of an optional field: empty, or meeting every (operator,
    value) of clauses"""
    return ['OR',
        (field_name, '=', None),
        [(field_name, operator, value) for operator, value in clauses],
        ]


def stamp_today(records, field_name, not_before=None):
    """Date the records of today in field_name where it is empty (the day a
    workflow step was taken), but not before their date in not_before"""
    today = dt.date.today()
    for record in records:
        if not getattr(record, field_name):
            earliest = getattr(record, not_before) if not_before else None
            setattr(record, field_name, max(today, earliest or today))


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


def sql_tables(*model_names):
    "A new SQL table of each model named, in that order, for one query"
    pool = Pool()
    return tuple(pool.get(name).__table__() for name in model_names)
