# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""With concertes_events: the attendees of a past event who agreed to hear
from us as a derived list, and the coming public events as a block"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .subscription import public_url

WEEKS = 8


class Registration(metaclass=PoolMeta):
    __name__ = 'concertes.event.registration'

    newsletter_opt_in = fields.Boolean(
        "Newsletter",
        help="The person agreed to hear from ConcertES after the event "
        "(the lists of the attendees of the event).")

    @classmethod
    def default_newsletter_opt_in(cls):
        return False

    @classmethod
    def public_options(cls):
        return dict(super().public_options(), newsletter=(
                'newsletter_opt_in',
                gettext('concertes_newsletter.msg_event_form_opt_in')))


class EmailList(metaclass=PoolMeta):
    __name__ = 'marketing.email.list'

    event = fields.Many2One(
        'concertes.event', "Event", ondelete='RESTRICT',
        states={
            'invisible': Eval('kind') != 'event_attendees',
            'required': Eval('kind') == 'event_attendees',
            },
        help="The event whose attendees who agreed to hear from us the "
        "list holds.")

    @classmethod
    def get_kinds(cls):
        return super().get_kinds() + [
            ('event_attendees', gettext(
                    'concertes_newsletter.msg_kind_event_attendees'))]

    def _addresses_event_attendees(self):
        Registration = Pool().get('concertes.event.registration')
        registrations = Registration.search([
                ('event', '=', self.event.id),
                ('state', '=', 'attended'),
                ('newsletter_opt_in', '=', True),
                ('personal_data_erased', '=', None),
                ], order=[('id', 'ASC')])
        return [(r.email, '%s %s' % (r.first_name, r.last_name), r.party)
            for r in registrations]


class Message(metaclass=PoolMeta):
    __name__ = 'marketing.email.message'

    @classmethod
    def newsletter_blocks(cls):
        "events: the published events open in the coming weeks"
        Event = Pool().get('concertes.event')
        blocks = super().newsletter_blocks()
        now = dt.datetime.now()
        events = Event.search([
                ('published', '=', True),
                ('state', '=', 'open'),
                ('start', '>=', now),
                ('start', '<', now + dt.timedelta(weeks=WEEKS)),
                ], order=[('start', 'ASC'), ('id', 'ASC')])
        blocks['events'] = [{
                'name': e.name,
                'date': e.start.strftime('%d/%m/%Y'),
                'venue': (e.venue.full_address.replace('\n', ', ')
                    if e.venue else ''),
                'url': public_url('events/%s' % e.id),
                } for e in events]
        return blocks
