# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateTransition, StateView, Wizard


class CheckInStart(ModelView):
    "ConcertES Event Check-in"
    __name__ = 'concertes.event.check_in.start'

    event = fields.Many2One(
        'concertes.event', "Event",
        domain=[('state', 'in', ['open', 'closed', 'done'])],
        help="Only codes of this event are accepted.")
    code = fields.Char(
        "Code", help="Scan the QR code of the confirmation or type its code.")
    result = fields.Selection([
            (None, ""),
            ('accepted', "Welcome"),
            ('refused', "Refused"),
            ], "Result", readonly=True)
    message = fields.Text("Message", readonly=True)
    registration = fields.Many2One(
        'concertes.event.registration', "Registration", readonly=True)
    checked_in = fields.Integer(
        "Checked In", readonly=True,
        help="How many people of the event have checked in.")


class CheckIn(Wizard):
    "ConcertES Event Check-in"
    __name__ = 'concertes.event.check_in'

    start = StateView(
        'concertes.event.check_in.start',
        'concertes_events.check_in_start_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Check In", 'check', 'tryton-ok', default=True),
            ])
    check = StateTransition()

    def default_start(self, fields):
        values = {}
        if getattr(self.start, 'event', None):
            values['event'] = self.start.event.id
        elif (self.model and self.model.__name__ == 'concertes.event'
                and self.record):
            values['event'] = self.record.id
        for name in ['result', 'message']:
            values[name] = getattr(self.start, name, None)
        if getattr(self.start, 'registration', None):
            values['registration'] = self.start.registration.id
        values['code'] = None
        if values.get('event'):
            Event = Pool().get('concertes.event')
            values['checked_in'] = Event(values['event']).count_checked_in()
        return values

    def transition_check(self):
        Registration = Pool().get('concertes.event.registration')
        try:
            if self.start.event:
                registration = self.start.event.check_in_code(self.start.code)
            else:
                registration = Registration.check_in_code(self.start.code)
        except UserError as exception:
            self.start.result = 'refused'
            self.start.message = exception.message
            self.start.registration = None
        else:
            self.start.result = 'accepted'
            self.start.registration = registration
            self.start.message = '\n'.join(filter(None, [
                        registration.name,
                        registration.organisation_name,
                        registration.ticket.rec_name
                        if registration.ticket else None,
                        ', '.join(s.rec_name for s in registration.sessions),
                        ]))
        return 'start'
