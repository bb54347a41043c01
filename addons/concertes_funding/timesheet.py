# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Time booked on every activity of the team, each timesheet work funded by
at most one grant or project"""
from collections import namedtuple

from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import FieldChecksMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

# The source of the funding of a timesheet work: the grant or project, its
# name, the funder's name, the days a person may declare in a year and the
# period funded (start, end: None when open)
Funding = namedtuple(
    'Funding', ['source', 'name', 'funder', 'days_per_year', 'start', 'end'])


class Work(metaclass=PoolMeta):
    __name__ = 'timesheet.work'

    activity = fields.Selection([
            ('general', "General Work"),
            ('mission', "Grant Mission"),
            ('observatory', "Observatory"),
            ('mandates', "Mandates"),
            ('events', "Events"),
            ], "Activity", required=True, sort=False,
        help="The activity of the team the time is spent on.")
    grant = fields.Many2One(
        'concertes.grant', "Funded by", ondelete='RESTRICT',
        states={'readonly': Eval('activity') == 'eu_project'},
        help="The grant that funds the time booked on this work "
        "(empty: the time is not funded).")

    @staticmethod
    def default_activity():
        return 'general'

    @classmethod
    def funding(cls, works):
        """The funding of the time booked on each work:
        {work id: Funding}, the works not funded left out"""
        return {w.id: Funding(
                w.grant, w.grant.name, w.grant.funder.rec_name,
                w.grant.days_per_year, w.grant.start_date, w.grant.end_date)
            for w in works if w.grant}


class Line(FieldChecksMixin, metaclass=PoolMeta):
    __name__ = 'timesheet.line'
    _field_checks = {'check_contract': {'employee', 'date'}}

    @classmethod
    def check_contract(cls, lines):
        """Time is booked within the person's contracts, when she or he has
        any"""
        Contract = Pool().get('concertes.employee.contract')
        contracts = {}
        for contract in Contract.search([
                    ('employee', 'in', list({l.employee.id for l in lines})),
                    ], order=[('start_date', 'ASC')]):
            contracts.setdefault(contract.employee.id, []).append(contract)
        for line in lines:
            employee_contracts = contracts.get(line.employee.id)
            if not employee_contracts or any(
                    c.covers(line.date) for c in employee_contracts):
                continue
            ended = [c for c in employee_contracts
                if c.end_date and c.end_date < line.date]
            if ended:
                raise ValidationError(gettext(
                        'concertes_funding.msg_timesheet_after_contract',
                        employee=line.employee.rec_name, date=line.date,
                        end=ended[-1].end_date))
            raise ValidationError(gettext(
                    'concertes_funding.msg_timesheet_outside_contract',
                    employee=line.employee.rec_name, date=line.date))
