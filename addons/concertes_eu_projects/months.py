# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Month arithmetic of EU projects.

EU work plans count in project months: month 1 starts on the start date and
month n ends the day before start + n months (month 10 of a project that
starts on 1 October 2020 ends on 31 July 2021).
"""
import datetime as dt

from dateutil.relativedelta import relativedelta
from sql import Cast
from sql.conditionals import Least
from sql.functions import Extract, Function
from sql.operators import Concat

from trytond import backend
from trytond.model import fields

__all__ = [
    'month_start', 'month_end', 'month_of', 'sql_month_end',
    'sql_date_where']


def month_start(start, month):
    "The first day of project month `month` (1-based) for a start date"
    if start is None or month is None:
        return None
    return start + relativedelta(months=month - 1)


def month_end(start, month):
    "The last day of project month `month` (1-based) for a start date"
    if start is None or month is None:
        return None
    return start + relativedelta(months=month) - dt.timedelta(days=1)


def month_of(start, date):
    "The project month (1-based) in which date falls, 0 before the start"
    if start is None or date is None:
        return None
    if date < start:
        return 0
    delta = relativedelta(date, start)
    month = delta.years * 12 + delta.months + 1
    # Starts late in a month (31 January) make months of uneven length:
    # month_end is the reference.
    while month_end(start, month) < date:
        month += 1
    while month > 1 and month_end(start, month - 1) >= date:
        month -= 1
    return month


class _SQLiteDate(Function):
    __slots__ = ()
    _function = 'DATE'


class _MakeInterval(Function):
    __slots__ = ()
    _function = 'MAKE_INTERVAL'


def sql_month_end(start, months, days=0):
    """The SQL date `days` days after month_end(start, months)

    PostgreSQL adds months as relativedelta does, clamping to the end of a
    shorter month; SQLite would carry the missing days over (31 January + 1
    month is 3 March), so the month is added to the first of the month and
    the day clamped to the length of the month reached.
    """
    if backend.name != 'sqlite':
        return Cast(start + _MakeInterval(0, months, 0, days - 1), 'DATE')
    first = _SQLiteDate(start, 'start of month', Concat(months, ' months'))
    length = Extract('DAY', _SQLiteDate(first, '+1 month', '-1 day'))
    day = Least(Extract('DAY', start), length)
    return _SQLiteDate(first, Concat(day + (days - 2), ' days'))


def sql_date_where(field, clause, date):
    """The SQL condition of a domain clause on field, a Function field of a
    date whose SQL expression is date"""
    _, operator_, operand = clause[:3]
    Operator = fields.SQL_OPERATORS[operator_]
    return Operator(date, field._field._domain_value(operator_, operand))
