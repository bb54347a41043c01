# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The helpers every ConcertES module shares: written once here"
import calendar
import datetime as dt
import re
from decimal import Decimal
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sql.aggregate import Sum

from trytond import backend, config
from trytond.exceptions import UserError
from trytond.i18n import gettext, ngettext
from trytond.model import ModelView, Unique, Workflow, fields
from trytond.model.exceptions import AccessError, ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.sendmail import send_message_transactional
from trytond.tools import grouped_slice, reduce_ids
from trytond.tools.email_ import set_from_header
from trytond.transaction import Transaction
from trytond.wizard import Button

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


def stamp_today(records, field_name, not_before=None, today=None):
    """Date the records of today (or of the day given) in field_name where it
    is empty (the day a workflow step was taken), but not before their date
    in not_before"""
    today = today or dt.date.today()
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


class FieldChecksMixin:
    """The checks of _field_checks run on validation: each check, a class
    method called with the records, runs when one of its field names is
    validated. The _field_checks of the classes a model is built of (its
    extensions included) add up, in the order of their setup."""
    __slots__ = ()
    _field_checks = {}

    @classmethod
    def __setup__(cls):
        super().__setup__()
        checks = {}
        for klass in reversed(cls.__mro__):
            checks.update(vars(klass).get('_field_checks', {}))
        cls._field_checks = checks

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        for check, names in cls._field_checks.items():
            if field_names & names:
                getattr(cls, check)(records)


class SignedMonthMixin(FieldChecksMixin):
    """A person's declaration of the days of a month, signed by the person
    then by the supervisor and locked once signed: the models set
    _locked_message, the message raised on a change of a signed declaration,
    have lines (with days) and write check_cap and booked_days; a person
    declares a month once (per the fields of _unique_by), else
    _unique_message"""
    __slots__ = ()
    _locked_message = None
    _unique_message = None
    _unique_by = ()
    _field_checks = {'check_cap': {'employee', 'year'}}
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
    total_days = fields.Function(
        fields.Numeric("Total Days", digits=(16, 2)), 'get_total_days')

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('month_unique', Unique(t,
                    *(getattr(t, f) for f in cls._unique_by),
                    t.employee, t.year, t.month),
                cls._unique_message),
            ]
        cls._order = [
            ('year', 'DESC'), ('month', 'DESC'), ('employee', 'ASC'),
            ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'employee_signed'),
            ('employee_signed', 'signed'),
            ('employee_signed', 'draft'),
            }
        cls._buttons.update({
                'draft': shown_in('employee_signed', icon='tryton-back'),
                'sign': shown_in('draft', icon='tryton-forward'),
                'approve': shown_in('employee_signed', icon='tryton-ok'),
                'fill': shown_in('draft', icon='tryton-refresh'),
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

    def get_total_days(self, name):
        return sum((l.days for l in self.lines), Decimal(0))

    @classmethod
    def declared_days(cls, employee_years, *columns):
        """The days of the lines of the (employee id, year) pairs summed by
        employee, year and the further columns named (of the declaration,
        else of its lines): [(employee id, year, *columns, days)]"""
        Line = Pool().get(cls.lines.model_name)
        cursor = Transaction().connection.cursor()
        declaration = cls.__table__()
        line = Line.__table__()
        group_by = [declaration.employee, declaration.year] + [
            getattr(declaration if c in cls._fields else line, c)
            for c in columns]
        employees = {e for e, _ in employee_years}
        years = list({y for _, y in employee_years})
        rows = []
        for sub_ids in grouped_slice(employees, backend.MAX_QUERY_PARAMS):
            cursor.execute(*declaration.join(
                    line, condition=line.declaration == declaration.id
                    ).select(*group_by, Sum(line.days),
                    where=reduce_ids(declaration.employee, sub_ids)
                    & declaration.year.in_(years),
                    group_by=group_by))
            rows.extend((*key, Decimal(str(days or 0)))
                for *key, days in cursor)
        return rows

    @classmethod
    def check_cap(cls, declarations):
        "A person declares in a year at most the days the funders allow"

    @classmethod
    def booked_days(cls, declarations):
        """The days of the timesheets of the declarations' months:
        [(declaration, values of the line, days)], the hours booked over the
        hours of a working day"""
        return []

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
    def fill(cls, declarations):
        "Propose the days of the lines from the timesheets of the month"
        Line = Pool().get(cls.lines.model_name)
        booked = cls.booked_days(declarations)
        Line.delete([l for d in declarations for l in d.lines])
        Line.save([Line(
                    declaration=declaration,
                    days=days.quantize(Decimal('0.01')), **values)
                for declaration, values, days in booked])

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


def shown_in(*states, **attributes):
    """The _buttons entry of a workflow button shown only in the states, with
    the other attributes (icon, ...)"""
    state = Eval('state')
    if len(states) == 1:
        invisible = state != states[0]
    else:
        invisible = ~state.in_(list(states))
    return {'invisible': invisible, 'depends': ['state'], **attributes}


def hidden_in(*states, **attributes):
    """The _buttons entry of a workflow button hidden in the states, with the
    other attributes (icon, ...)"""
    state = Eval('state')
    if len(states) == 1:
        invisible = state == states[0]
    else:
        invisible = state.in_(list(states))
    return {'invisible': invisible, 'depends': ['state'], **attributes}


def hours_of(duration):
    "Hours of a summed duration (a timedelta, or seconds on SQLite)"
    if duration is None:
        return Decimal(0)
    if isinstance(duration, dt.timedelta):
        duration = duration.total_seconds()
    return Decimal(str(duration)) / 3600


def print_buttons():
    """The buttons of the start view of a PrintWizardMixin: print as PDF (the
    default) or as OpenDocument"""
    return [
        Button("Cancel", 'end', 'tryton-cancel'),
        Button("OpenDocument (ODT)", 'print_odt', 'tryton-print'),
        Button("PDF", 'print_', 'tryton-print', default=True),
        ]


class PrintWizardMixin:
    """A wizard that prints a document as PDF (its print_ action) or as
    OpenDocument (its print_odt action) with the data of _data"""
    __slots__ = ()

    def _data(self):
        raise NotImplementedError

    def do_print_(self, action):
        return action, self._data()

    def do_print_odt(self, action):
        return action, self._data()


def overlap_domain(start, end, start_field='start_date', end_field='end_date'):
    """The domain of the records whose period, from start_field to end_field
    (empty: open-ended), shares a day with start to end (end None:
    open-ended)"""
    domain = [(start_field, '<=', end)] if end else []
    domain.append(['OR', (end_field, '=', None), (end_field, '>=', start)])
    return domain


def periods_overlap(start, end, other_start, other_end):
    """Whether the period from start to end shares a day with the other one
    (a bound None: open-ended); a day is the period from it to itself"""
    return ((start is None or other_end is None or start <= other_end)
        and (end is None or other_start is None or end >= other_start))


class UniqueCodeMixin:
    """Records whose code is unique: the models set _code_unique_message,
    the message of the SQL constraint"""
    __slots__ = ()
    _code_unique_message = None

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code), cls._code_unique_message),
            ]


def check_report_year(year, message):
    """Raise the message unless a yearly report may cover the year: from 1900
    to the next year"""
    if not (1900 <= year <= dt.date.today().year + 1):
        raise UserError(gettext(message, year=year))


def getter_values(records, names, values_of):
    """The result of a getter of several Function fields, values_of(record)
    giving the values of all of them: {name: {id: value}}"""
    result = {n: {} for n in names}
    for record in records:
        values = values_of(record)
        for name in names:
            result[name][record.id] = values[name]
    return result


def sql_tables(*model_names):
    "A new SQL table of each model named, in that order, for one query"
    pool = Pool()
    return tuple(pool.get(name).__table__() for name in model_names)


def party_values(parties, model_name, domain, value, order=None):
    """The value(record) of the last record (in order) of model_name of each
    party that meets the domain, None for a party without: {party id:
    value}"""
    Model = Pool().get(model_name)
    result = dict.fromkeys((p.id for p in parties), None)
    for record in Model.search(
            [('party', 'in', [p.id for p in parties])] + domain,
            order=order):
        result[record.party.id] = value(record)
    return result


class CodeListMixin(SearchRecNameMixin):
    "An entry of a list of codes, ordered by code and named by both"
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('code', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return '%s – %s' % (self.code, self.name)


def transition_button(name, state, **values):
    """The class method name of a workflow button that moves the records to
    state, writing the values (if any) on them"""
    def button(cls, records):
        if values:
            cls.write(records, values)
    button.__name__ = button.__qualname__ = name
    return classmethod(ModelView.button(Workflow.transition(state)(button)))


class LastYearStartMixin:
    "The start view of a report on a calendar year: by default the last one"
    __slots__ = ()

    @staticmethod
    def default_year():
        return dt.date.today().year - 1


def added_up(cls, name):
    """The items of the list attribute name declared by the classes cls is
    built of (a model and its extensions), in the order of their setup"""
    return [item for klass in reversed(cls.__mro__)
        for item in vars(klass).get(name, [])]


def context_date(key='date'):
    "The date of the context under key (the day of a datetime), else today"
    date = Transaction().context.get(key)
    if isinstance(date, dt.datetime):
        date = date.date()
    return date or dt.date.today()


def forget_cached(Model, ids):
    """Forget the records of Model of ids the transaction keeps: their rows
    were changed in SQL under them"""
    for cache in Transaction().cache.values():
        if Model.__name__ in cache:
            for id_ in ids:
                cache[Model.__name__].pop(id_, None)
