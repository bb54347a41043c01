# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The team: employees and their contracts (period, working time, cost)"
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    DateRangeMixin, FieldChecksMixin, overlap_domain, periods_overlap)
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    contracts = fields.One2Many(
        'concertes.employee.contract', 'employee', "Contracts",
        help="The person's contracts with ConcertES over time.")
    function = fields.Function(
        fields.Char("Function",
            help="The function of the contract in force today (or at the "
            "date of the context)."),
        'get_contract_values')
    working_time = fields.Function(
        fields.Numeric("Working Time", digits=(16, 2),
            help="The working time of the contract in force today (or at "
            "the date of the context), in full-time equivalents."),
        'get_contract_values')

    @classmethod
    def get_contract_values(cls, employees, names):
        pool = Pool()
        Contract = pool.get('concertes.employee.contract')
        Date = pool.get('ir.date')
        date = Transaction().context.get('date') or Date.today()
        result = {n: {e.id: None for e in employees} for n in names}
        for contract in Contract.in_force(employees, date):
            for name in names:
                result[name][contract.employee.id] = getattr(contract, name)
        return result


class Contract(FieldChecksMixin, DateRangeMixin, ModelSQL, ModelView):
    "ConcertES Employment Contract"
    __name__ = 'concertes.employee.contract'
    _field_checks = {'check_overlap': {'employee', 'start_date', 'end_date'}}

    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
    function = fields.Char(
        "Function", required=True,
        help="The job as the activity report names it, e.g. "
        "\"Chargé·e de mission\".")
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date", help="Empty for a contract of indefinite duration.")
    working_time = fields.Numeric(
        "Working Time", digits=(16, 2), required=True,
        domain=[('working_time', '>', 0), ('working_time', '<=', 1)],
        help="In full-time equivalents: 1 for a full time, 0.5 for a half "
        "time.")
    yearly_cost = fields.Numeric(
        "Yearly Cost", digits=(16, 2),
        domain=['OR',
            ('yearly_cost', '=', None),
            ('yearly_cost', '>=', 0),
            ],
        help="The personnel cost of a full year of the contract: gross "
        "salary, employer's contributions and other statutory costs.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_working_time():
        return Decimal(1)

    def get_rec_name(self, name):
        return '%s – %s (%s)' % (
            self.employee.rec_name, self.function, self.start_date)

    def covers(self, date):
        return periods_overlap(self.start_date, self.end_date, date, date)

    @classmethod
    def in_force(cls, employees, date):
        "The contracts of the employees in force at the date"
        return cls.search([
                ('employee', 'in', [e.id for e in employees]),
                ] + overlap_domain(date, date))

    def year_share(self, year):
        "The share of the calendar year the contract covers"
        first = max(self.start_date, dt.date(year, 1, 1))
        last = min(self.end_date or dt.date(year, 12, 31),
            dt.date(year, 12, 31))
        if last < first:
            return Decimal(0)
        days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
        return Decimal((last - first).days + 1) / days

    @classmethod
    def check_overlap(cls, contracts):
        "A person has one contract at a time"
        for contract in contracts:
            others = cls.search([
                    ('employee', '=', contract.employee.id),
                    ('id', '!=', contract.id),
                    ] + overlap_domain(contract.start_date, contract.end_date),
                limit=1)
            if others:
                other, = others
                raise ValidationError(gettext(
                        'concertes_funding.msg_contract_overlap',
                        contract=contract.rec_name, other=other.rec_name,
                        employee=contract.employee.rec_name))
