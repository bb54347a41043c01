# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import FieldChecksMixin, empty_or
from trytond.pool import PoolMeta
from trytond.pyson import Eval

LEVELS = [
    (None, ""),
    ('wallonia', "Wallonia"),
    ('brussels', "Brussels"),
    ('federal', "Federal"),
    ('european', "European"),
    ('international', "International"),
    ]
EXTERNAL_KINDS = [
    (None, ""),
    ('advisory_council', "Advisory Council"),
    ('accreditation_commission', "Accreditation Commission"),
    ('steering_committee', "Steering Committee"),
    ('monitoring_committee', "Monitoring Committee"),
    ('board', "Board"),
    ('network', "Network"),
    ]


class Body(FieldChecksMixin, metaclass=PoolMeta):
    __name__ = 'concertes.body'
    _field_checks = {
        'check_seats_taken': {'effective_seats', 'substitute_seats'},
        }

    _external_states = {
        'invisible': Eval('scope') != 'external',
        }

    level = fields.Selection(
        LEVELS, "Level", states=_external_states,
        help="The level of power at which the external body sits.")
    external_kind = fields.Selection(
        EXTERNAL_KINDS, "Kind of External Body", states=_external_states)
    legal_basis = fields.Char(
        "Legal Basis", states=_external_states,
        help="The text that creates the body "
        "(e.g. the Walloon decree of 20 November 2008).")
    appointing_authority = fields.Many2One(
        'party.party', "Appointing Authority", ondelete='RESTRICT',
        states=_external_states,
        help="The authority that appoints the members of the body.")
    effective_seats = fields.Integer(
        "Effective Seats", states=_external_states,
        domain=empty_or('effective_seats', ('>=', 0)),
        help="The number of effective seats for the social economy "
        "(leave empty when not limited).")
    substitute_seats = fields.Integer(
        "Substitute Seats", states=_external_states,
        domain=empty_or('substitute_seats', ('>=', 0)),
        help="The number of substitute seats for the social economy "
        "(leave empty when not limited).")
    reminder_delay = fields.Integer(
        "Reminder Delay", states=_external_states,
        domain=empty_or('reminder_delay', ('>=', 0)),
        help="The number of days before the planned end of a mandate "
        "at which the person in charge is reminded "
        "(leave empty to use the default of the configuration).")
    responsible = fields.Many2One(
        'res.user', "Person in Charge", ondelete='SET NULL',
        states=_external_states,
        help="The user reminded of the mandates coming to an end.")
    mandates = fields.One2Many(
        'concertes.mandate', 'body', "Mandates", states=_external_states)
    opinions = fields.One2Many(
        'concertes.opinion', 'body', "Opinions", states=_external_states)
    dossiers = fields.Many2Many(
        'concertes.dossier-concertes.body', 'body', 'dossier', "Files")

    del _external_states

    @classmethod
    def check_seats_taken(cls, bodies):
        for body in bodies:
            for seat_type, seats in [
                    ('effective', body.effective_seats),
                    ('substitute', body.substitute_seats)]:
                if seats is None:
                    continue
                mandates = [
                    m for m in body.mandates
                    if m.seat_type == seat_type and m.holds_seat]
                taken = max_overlapping(mandates)
                if taken > seats:
                    raise ValidationError(gettext(
                            'concertes_mandates.msg_body_seats_taken',
                            body=body.rec_name, seats=seats, taken=taken))


def max_overlapping(mandates):
    "The largest number of the mandates that overlap on one day"
    events = []
    for mandate in mandates:
        start, end = mandate.period
        events.append((start.toordinal(), 1))
        if end:
            events.append((end.toordinal() + 1, -1))
    events.sort()
    count = maximum = 0
    for _, delta in events:
        count += delta
        maximum = max(maximum, count)
    return maximum
