# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Audit: every version of a budget line is kept with who changed it and when
(Tryton's history: the client's "Revision" and read with _datetime)"""
from trytond.pool import PoolMeta


class BudgetLine(metaclass=PoolMeta):
    __name__ = 'concertes.eu.budget.line'
    _history = True
