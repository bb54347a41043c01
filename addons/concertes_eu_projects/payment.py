# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Payments of the EU (pre-financing, interim, balance), expected and
received, and the transfers on to the partners when we coordinate."""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    FieldChecksMixin, getter_values)
from trytond.pyson import Bool, Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .cost import ProjectAmountMixin

ZERO = Decimal(0)
KINDS = [
    ('prefinancing', "Pre-financing"),
    ('interim', "Interim Payment"),
    ('balance', "Balance"),
    ('transfer', "Transfer to a Partner"),
    ]
EU_KINDS = {'prefinancing', 'interim', 'balance'}


class Payment(FieldChecksMixin, ProjectAmountMixin, ModelSQL, ModelView):
    "EU Project Payment"
    __name__ = 'concertes.eu.payment'
    _field_checks = {
        'check_transfer': {'kind', 'partner', 'project'},
        'check_maximum_grant': {
            'kind', 'project', 'expected_amount', 'amount', 'received_date'},
        }

    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    period = fields.Many2One(
        'concertes.eu.period', "Reporting Period",
        domain=[('project', '=', Eval('project', -1))],
        states={'invisible': Eval('kind') == 'prefinancing'})
    partner = fields.Many2One(
        'concertes.eu.partner', "Partner",
        domain=[('project', '=', Eval('project', -1))],
        states={
            'invisible': Eval('kind') != 'transfer',
            'required': Eval('kind') == 'transfer',
            },
        help="The partner to whom we transfer its part.")
    expected_date = fields.Date("Expected Date")
    expected_amount = fields.Numeric(
        "Expected Amount", digits='currency',
        help="The gross amount expected, before the mutual insurance "
        "retention.")
    retention = fields.Function(
        fields.Numeric("Mutual Insurance", digits='currency',
            help="Withheld from the pre-financing, released with the "
            "balance."),
        'get_retention')
    expected_net = fields.Function(
        fields.Numeric("Expected Net", digits='currency'),
        'get_retention')
    received_date = fields.Date(
        "Date", states={'required': Bool(Eval('amount'))},
        help="The day the money was received or transferred.")
    amount = fields.Numeric(
        "Amount", digits='currency',
        states={'required': Bool(Eval('received_date'))},
        help="The amount received, or transferred to the partner.")
    difference = fields.Function(
        fields.Numeric("Difference", digits='currency',
            help="The amount received less the net amount expected."),
        'get_retention')
    reference = fields.Char("Reference")
    description = fields.Char("Description")

    _amount_fields = ('expected_amount', 'amount')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('project', 'ASC'), ('expected_date', 'ASC NULLS LAST'),
            ('id', 'ASC')]

    @classmethod
    def default_kind(cls):
        return 'interim'

    def get_rec_name(self, name):
        kind = dict(KINDS)[self.kind]
        if self.partner:
            return '%s %s' % (kind, self.partner.rec_name)
        return kind

    @classmethod
    def get_retention(cls, payments, names):
        return getter_values(payments, names, cls._retention)

    def _retention(self):
        project = self.project
        rate = (project.programme.mutual_insurance_rate
            if project.programme else None)
        retention = ZERO
        if rate and project.maximum_grant:
            if self.kind == 'prefinancing':
                retention = project.currency.round(
                    project.maximum_grant * rate)
            elif self.kind == 'balance':
                retention = -project.currency.round(
                    project.maximum_grant * rate)
        net = None
        if self.expected_amount is not None:
            net = self.expected_amount - retention
        difference = None
        if self.amount is not None and net is not None:
            difference = self.amount - net
        return {
            'retention': retention,
            'expected_net': net,
            'difference': difference,
            }

    @classmethod
    def received_by_project(cls, projects, kinds=EU_KINDS):
        "The amounts received: {project id: amount}"
        cursor = Transaction().connection.cursor()
        payment = cls.__table__()
        result = defaultdict(Decimal)
        for sub_ids in grouped_slice(
                [p.id for p in projects], backend.MAX_QUERY_PARAMS):
            cursor.execute(*payment.select(
                    payment.project, Sum(payment.amount),
                    where=reduce_ids(payment.project, sub_ids)
                    & payment.kind.in_(list(kinds))
                    & (payment.received_date != None),  # noqa: E711
                    group_by=[payment.project]))
            for project_id, amount in cursor:
                result[project_id] += Decimal(str(amount or 0))
        return result

    @classmethod
    def check_transfer(cls, payments):
        for payment in payments:
            if payment.kind != 'transfer':
                continue
            if payment.project.role != 'coordinator':
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_transfer_not_coordinator',
                        project=payment.project.rec_name))
            if payment.partner and payment.partner.ourselves:
                raise ValidationError(gettext(
                        'concertes_eu_projects.msg_transfer_to_ourselves',
                        project=payment.project.rec_name))

    @classmethod
    def check_maximum_grant(cls, payments):
        "The EU pays no more than the maximum grant, expected or received"
        projects = {p.project for p in payments if p.kind in EU_KINDS}
        for project in projects:
            if project.maximum_grant is None:
                continue
            others = cls.search([
                    ('project', '=', project.id),
                    ('kind', 'in', list(EU_KINDS)),
                    ])
            expected = sum(
                (p.expected_amount or ZERO for p in others), ZERO)
            received = sum((p.amount or ZERO for p in others), ZERO)
            for total in [expected, received]:
                if total > project.maximum_grant:
                    raise ValidationError(gettext(
                            'concertes_eu_projects'
                            '.msg_payment_over_maximum_grant',
                            project=project.rec_name, total=total,
                            maximum=project.maximum_grant))
