# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The check-in page of the door through trytond's WSGI application"""
import base64
import datetime as dt

from trytond.modules.concertes_members.tests.tools import load_translations
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase

from .tools import create_event

PASSWORD = 'Accueil-à-la-porte-2024'


class DoorRouteTestCase(RouteTestCase):
    "Test the check-in page of the door"
    module = 'concertes_events'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        User = pool.get('res.user')
        Lang = pool.get('ir.lang')
        ModelData = pool.get('ir.model.data')
        load_translations('concertes_events')
        french, = Lang.search([('code', '=', 'fr')])
        User.create([{
                    'login': 'door', 'name': "Door", 'password': PASSWORD,
                    'language': french.id,
                    'groups': [('add', [ModelData.get_id(
                                    'concertes_members',
                                    'group_concertes_events')])],
                    }])
        now = dt.datetime.utcnow().replace(microsecond=0)
        today = dict(start=now - dt.timedelta(minutes=30),
            end=now + dt.timedelta(hours=3))
        cls.today = create_event(name="Assemblée du jour", **today).id
        cls.draft = create_event(
            name="Brouillon du jour", state='draft', **today).id
        cls.later = create_event(name="Salon du mois prochain",
            start=now + dt.timedelta(days=30),
            end=now + dt.timedelta(days=30, hours=3)).id

    def page(self, query=''):
        credentials = base64.b64encode(
            ('door:%s' % PASSWORD).encode()).decode()
        return self.client().get('/%s/events/checkin%s' % (DB_NAME, query),
            headers={'Authorization': 'Basic ' + credentials})

    def test_door_event_of_the_day(self):
        "The event of the day asked for or the only one opens its check-in"
        for query in ['', '?event=', '?event=%s' % self.today]:
            response = self.page(query)
            self.assertEqual(response.status_code, 200, query)
            text = response.text
            self.assertIn('data-event="%s"' % self.today, text)
            self.assertNotIn('role="alert"', text)

    def test_door_refuses_events_not_open_today(self):
        """An event asked for that is not open for check-in today (another
        day, a draft, none, not a number) is refused with the reason on the
        page of the events of the day, never opened nor a 500"""
        for event, status in [
                (self.later, 422), (self.draft, 422),
                (self.later + 1000, 404), ('abc', 404), ('-1', 404),
                ('0', 404), (str(2 ** 31), 404), ('9' * 40, 404),
                ('1.5', 404), ('%s%%00' % self.today, 404)]:
            response = self.page('?event=%s' % event)
            self.assertEqual(response.status_code, status, event)
            text = response.text
            self.assertIn('role="alert"', text, event)
            self.assertNotIn('data-event=', text, event)
            self.assertIn('value="%s"' % self.today, text, event)
            if status == 422:
                self.assertIn("n’est pas ouvert à l’accueil aujourd’hui",
                    text, event)
            else:
                self.assertIn("Cet événement n’existe pas.", text, event)
