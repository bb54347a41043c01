# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The public directory through trytond's WSGI application"""
import datetime as dt

from trytond.modules.concertes_members.tests.tools import load_translations
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase

TODAY = dt.date.today()
YEAR_AGO = TODAY - dt.timedelta(days=365)


class DirectoryRouteTestCase(RouteTestCase):
    "Test the public directory routes"
    module = 'concertes_directory'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        # The languages of the public pages
        load_translations('concertes_directory')
        Party = pool.get('party.party')
        Accreditation = pool.get('concertes.accreditation')
        Type = pool.get('concertes.accreditation.type')
        ei, = Type.search([('code', '=', 'EI')])
        ies, = Type.search([('code', '=', 'IES')])

        def enterprise(name, postal_code, city, public=True, **values):
            party, = Party.create([dict({
                            'name': name,
                            'organisation_kind': 'enterprise',
                            'directory_public': public,
                            'addresses': [('create', [{
                                            'street_unstructured':
                                            'Rue Haute 1',
                                            'postal_code': postal_code,
                                            'city': city}])],
                            'contact_mechanisms': [('create', [{
                                            'type': 'email',
                                            'value': 'marie@example.com',
                                            }])],
                            }, **values)])
            return party
        cls.namur = enterprise("Terre Namur", '5000', "Namur",
            website='https://terre.example.org', regions=['wallonia'],
            sector_families=['sector'])
        cls.brussels = enterprise("Bruxelles Recycle", '1000', "Bruxelles",
            regions=['brussels'])
        cls.hidden = enterprise("Cachée", '5000', "Namur", public=False)
        accreditations = Accreditation.create([{
                    'party': cls.namur.id, 'type': t.id,
                    'decision_date': YEAR_AGO,
                    'valid_from': YEAR_AGO,
                    } for t in [ies, ei]]
            + [{'party': cls.brussels.id, 'type': ies.id}])
        Accreditation.grant(accreditations[:2])
        cls.namur, cls.brussels, cls.hidden = (
            cls.namur.id, cls.brussels.id, cls.hidden.id)

    def url(self, path=''):
        return '/%s/directory%s' % (self.db_name, path)

    def api(self, path, **args):
        response = self.client().get(
            self.url('/api' + path), query_string=args)
        return response.status_code, response.json

    def test_search_by_postcode(self):
        "Search by postal code finds the public enterprises of the code"
        status, data = self.api('/enterprises', place='5000')
        self.assertEqual(status, 200)
        self.assertEqual(data['count'], 1)
        enterprise, = data['enterprises']
        self.assertEqual(enterprise['name'], "Terre Namur")
        self.assertEqual(enterprise['address']['city'], "Namur")
        status, data = self.api('/enterprises', place='namur')
        self.assertEqual(
            [e['id'] for e in data['enterprises']], [self.namur])

    def test_search_by_accreditation(self):
        "Search by accreditation finds the enterprises accredited today"
        status, data = self.api('/enterprises', accreditation='IES')
        self.assertEqual(status, 200)
        # Brussels only applied: not accredited
        self.assertEqual(
            [e['id'] for e in data['enterprises']], [self.namur])
        self.assertEqual(
            {a['type'] for a in data['enterprises'][0]['accreditations']},
            {'IES', 'EI'})
        status, data = self.api('/enterprises', region='brussels')
        self.assertEqual(
            [e['id'] for e in data['enterprises']], [self.brussels])
        # an application is not public
        self.assertEqual(data['enterprises'][0]['accreditations'], [])
        status, data = self.api('/enterprises', sector='sector', name='terre')
        self.assertEqual(data['count'], 1)

    def test_enterprise_page(self):
        "The enterprise page shows address, accreditations and website"
        response = self.client().get(
            self.url('/%s' % self.namur), query_string={'lang': 'fr'})
        self.assertEqual(response.status_code, 200)
        page = response.text
        for text in ['Terre Namur', '5000 Namur', 'https://terre.example.org',
                'Agréments', '2 agréments', YEAR_AGO.strftime('%d/%m/%Y')]:
            self.assertIn(text, page)
        self.assertIn(
            "default-src 'none'",
            response.headers['Content-Security-Policy'])
        self.assertNotIn('<script', page)
        status, data = self.api('/enterprises/%s' % self.namur)
        self.assertEqual(status, 200)
        self.assertEqual(data['website'], 'https://terre.example.org')

    def test_nothing_personal(self):
        "The public data holds no e-mail nor person"
        response = self.client().get(self.url('/%s' % self.namur))
        self.assertNotIn('marie@example', response.text)
        status, data = self.api('/enterprises/%s' % self.namur)
        self.assertNotIn('marie@example', str(data))
        self.assertNotIn('contact_mechanisms', data)

    def test_not_public_not_found(self):
        "An enterprise not marked public is not found (404)"
        response = self.client().get(self.url('/%s' % self.hidden))
        self.assertEqual(response.status_code, 404)
        self.assertIn('introuvable', response.text)
        status, data = self.api('/enterprises/%s' % self.hidden)
        self.assertEqual((status, data), (404, {'error': 'not_found'}))
        status, data = self.api('/enterprises', name='Cachée')
        self.assertEqual(data['count'], 0)
        status, data = self.api('/enterprises/%s' % (2 ** 40))
        self.assertEqual(status, 404)

    def test_bad_parameters(self):
        "Bad query parameters answer 400 with the reason"
        for args, text in [
                ({'place': '50000'}, '50000'),
                ({'accreditation': 'NOPE'}, 'NOPE'),
                ({'region': 'mars'}, 'mars'),
                ({'sector': 'x'}, 'x'),
                ({'page': '0'}, '1000'),
                ({'page': 'two'}, '1000'),
                ({'name': 'x' * 101}, '100'),
                ({'name': '<script>'}, 'name'),
                ({'colour': 'red'}, 'colour'),
                ]:
            with self.subTest(args=args):
                status, data = self.api('/enterprises', lang='en', **args)
                self.assertEqual(status, 400)
                self.assertEqual(data['error'], 'bad_request')
                self.assertIn(text, data['message'])
        response = self.client().get(
            self.url(), query_string={'place': '12', 'lang': 'fr'})
        self.assertEqual(response.status_code, 400)
        self.assertIn('quatre chiffres', response.text)
        self.assertIn('role="alert"', response.text)
        # the search is kept in the form
        self.assertIn('value="12"', response.text)

    def test_pages_in_three_languages(self):
        "The search page in French, Dutch and English with plural counts"
        for lang, texts in [
                ('fr', ["Annuaire de l'économie sociale",
                        '1 entreprise trouvée', 'Commune ou code postal']),
                ('nl', ['Gids van de sociale economie',
                        '1 onderneming gevonden', 'Gemeente of postcode']),
                ('en', ['Directory of the social economy',
                        '1 enterprise found',
                        'Municipality or postal code']),
                ]:
            with self.subTest(lang=lang):
                response = self.client().get(self.url(), query_string={
                        'lang': lang, 'place': '5000'})
                self.assertEqual(response.status_code, 200)
                self.assertIn('lang="%s"' % lang, response.text)
                for text in texts:
                    self.assertIn(text, response.text)
        response = self.client().get(self.url(), query_string={'lang': 'nl'},
            headers={'Accept-Language': 'nl-BE'})
        self.assertIn('2 ondernemingen gevonden', response.text)
        self.assertIn('<label for="place">', response.text)
