# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict

from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pyson import Eval

from .common import (
    DateRangeMixin, rec_name_domain, shown_in, stamp_today, transition_button)

REQUEST_KINDS = [
    ('information', "Information"),
    ('data', "Data or Statistics (Observatory)"),
    ('speaking', "Speaking at an Event"),
    ('note', "Written Note"),
    ('other', "Other"),
    ]


class Request(DateRangeMixin, Workflow, ModelSQL, ModelView):
    "ConcertES Request"
    __name__ = 'concertes.request'
    _date_ranges = [
        ('received_date', 'due_date'), ('received_date', 'answered_date')]

    _states = {'readonly': Eval('state').in_(['answered', 'cancelled'])}

    requester = fields.Many2One(
        'party.party', "Requester", required=True, ondelete='RESTRICT',
        states=_states,
        help="The member, partner or person who asked.")
    contact = fields.Many2One(
        'party.party', "Contact", ondelete='RESTRICT', states=_states,
        help="The person who made the request on behalf of the requester.")
    kind = fields.Selection(
        REQUEST_KINDS, "Kind", required=True, sort=False, states=_states)
    subject = fields.Char("Subject", required=True, states=_states)
    description = fields.Text("Description", states=_states)
    received_date = fields.Date(
        "Received", required=True, states=_states,
        help="The day the request reached ConcertES.")
    due_date = fields.Date(
        "Due", states=_states, help="The day the answer is expected.")
    answered_date = fields.Date(
        "Answered",
        states={
            'required': Eval('state') == 'answered',
            'readonly': Eval('state') == 'cancelled',
            })
    handled_by = fields.Many2One(
        'res.user', "Handled by", ondelete='RESTRICT',
        help="The member of the team who handles the request.")
    response = fields.Text("Answer", help="What ConcertES answered.")
    state = fields.Selection([
            ('received', "Received"),
            ('in_progress', "In Progress"),
            ('answered', "Answered"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    late = fields.Function(fields.Boolean(
            "Late", help="Not answered and past its due date."),
        'get_late')

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.received_date, Index.Range())),
                Index(t, (t.requester, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(['received', 'in_progress'])),
                })
        cls._order = [('received_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('received', 'in_progress'),
            ('received', 'answered'),
            ('in_progress', 'answered'),
            ('received', 'cancelled'),
            ('in_progress', 'cancelled'),
            ('answered', 'in_progress'),
            ('cancelled', 'received'),
            }
        cls._buttons.update({
                'process': shown_in('received', 'answered'),
                'answer': shown_in('received', 'in_progress'),
                'cancel': shown_in('received', 'in_progress'),
                'reopen': shown_in('cancelled'),
                })

    @staticmethod
    def default_state():
        return 'received'

    @staticmethod
    def default_kind():
        return 'information'

    @staticmethod
    def default_received_date():
        return dt.date.today()

    def get_late(self, name):
        return bool(self.state in {'received', 'in_progress'}
            and self.due_date and self.due_date < dt.date.today())

    def get_rec_name(self, name):
        return '%s: %s' % (self.requester.rec_name, self.subject)

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, ['subject', 'requester.rec_name'])

    process = transition_button('process', 'in_progress', answered_date=None)

    @classmethod
    @ModelView.button
    @Workflow.transition('answered')
    def answer(cls, requests):
        stamp_today(requests, 'answered_date', not_before='received_date')
        cls.save(requests)

    cancel = transition_button('cancel', 'cancelled')
    reopen = transition_button('reopen', 'received')

    @classmethod
    def figures(cls, year):
        "Return per kind the requests received and answered in the year"
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        result = {k: {'received': 0, 'handled': 0} for k, _ in REQUEST_KINDS}
        for request in cls.search(['OR',
                    [('received_date', '>=', start),
                        ('received_date', '<=', end)],
                    [('answered_date', '>=', start),
                        ('answered_date', '<=', end)],
                    ]):
            counts = result.setdefault(
                request.kind, defaultdict(int))
            if start <= request.received_date <= end:
                counts['received'] += 1
            if (request.state == 'answered'
                    and start <= request.answered_date <= end):
                counts['handled'] += 1
        return result
