# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Lump sums: each work package's share per partner, paid only once the work
package is declared completed (date and evidence).  The amount due for a
reporting period is the shares of the work packages completed in it; at the
final period a work package may be declared partly completed."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    FieldChecksMixin, getter_values)
from trytond.pool import Pool
from trytond.pyson import Eval

from .cost import ProjectAmountMixin, WorkPackageMixin

ZERO = Decimal(0)


class Share(WorkPackageMixin, ProjectAmountMixin, ModelSQL, ModelView):
    "EU Lump-Sum Share"
    __name__ = 'concertes.eu.lump_sum.share'

    partner = fields.Many2One(
        'concertes.eu.partner', "Partner", required=True,
        domain=[('project', '=', Eval('project', -1))])
    amount = fields.Numeric(
        "Amount", digits='currency', required=True,
        help="The partner's share of the work package's lump sum.")
    completion = fields.Function(
        fields.Numeric("Completion", digits=(16, 4),
            help="The completion declared for the work package."),
        'get_due')
    period = fields.Function(
        fields.Many2One('concertes.eu.period', "Period Due"),
        'get_due')
    due = fields.Function(
        fields.Numeric("Amount Due", digits='currency',
            help="The share times the completion declared."),
        'get_due')

    _amount_fields = ('amount',)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('share_unique', Unique(t, t.work_package, t.partner),
                'concertes_eu_projects.msg_lump_sum_share_unique'),
            ]
        cls._order = [
            ('project', 'ASC'), ('work_package', 'ASC'),
            ('partner', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return '%s / %s' % (
            self.work_package.rec_name, self.partner.rec_name)

    @classmethod
    def get_due(cls, shares, names):
        pool = Pool()
        Completion = pool.get('concertes.eu.lump_sum.completion')
        completions = {c.work_package.id: c for c in Completion.search([
                    ('work_package', 'in',
                        list({s.work_package.id for s in shares})),
                    ])}

        def values(share):
            completion = completions.get(share.work_package.id)
            return {
                'completion': completion.percentage if completion else ZERO,
                'period': completion.period.id if completion else None,
                'due': share.project.currency.round(
                    share.amount * completion.percentage
                    if completion else ZERO),
                }
        return getter_values(shares, names, values)

    @classmethod
    def due_by_project(cls, projects, by_period=False):
        """The lump sums due for the work packages declared completed:
        {project id: amount}, or {(project id, period id): amount}"""
        pool = Pool()
        Completion = pool.get('concertes.eu.lump_sum.completion')
        result = defaultdict(Decimal)
        if not projects:
            return result
        completions = {c.work_package.id: c for c in Completion.search([
                    ('project', 'in', [p.id for p in projects]),
                    ])}
        for share in cls.search([
                    ('project', 'in', [p.id for p in projects]),
                    ]):
            completion = completions.get(share.work_package.id)
            if not completion:
                continue
            amount = share.project.currency.round(
                share.amount * completion.percentage)
            if by_period:
                result[share.project.id, completion.period.id] += amount
            else:
                result[share.project.id] += amount
        for project in projects:
            if not by_period:
                result.setdefault(project.id, ZERO)
        return result


class Completion(FieldChecksMixin, WorkPackageMixin, ModelSQL, ModelView):
    "EU Work Package Completion"
    __name__ = 'concertes.eu.lump_sum.completion'
    _field_checks = {'check_partial': {'percentage', 'period'}}

    period = fields.Many2One(
        'concertes.eu.period', "Reporting Period", required=True,
        domain=[('project', '=', Eval('project', -1))],
        help="The period in whose report the completion is declared, and "
        "whose payment includes the work package's lump sum.")
    date = fields.Date("Completion Date", required=True)
    percentage = fields.Numeric(
        "Completion", digits=(16, 4), required=True,
        domain=[('percentage', '>', 0), ('percentage', '<=', 1)],
        help="1 for a work package completed; less only at the final "
        "period, for a work package partly completed.")
    evidence = fields.Text(
        "Evidence", required=True,
        help="The deliverables and results that show the completion.")
    document = fields.Binary("Document", filename='document_name')
    document_name = fields.Char("Document Name")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('work_package_unique', Unique(t, t.work_package),
                'concertes_eu_projects.msg_completion_unique'),
            ]
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_percentage(cls):
        return Decimal(1)

    def get_rec_name(self, name):
        return self.work_package.rec_name

    @classmethod
    def check_partial(cls, completions):
        for completion in completions:
            if completion.percentage >= 1:
                continue
            last = max((p.last_month for p in completion.project.periods),
                default=None)
            if completion.period.last_month != last:
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_completion_partial',
                        work_package=completion.work_package.rec_name,
                        period=completion.period.rec_name))
