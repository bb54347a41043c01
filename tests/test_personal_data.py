# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Personal data across the four modules: a registrant asks for their data,
gets it, asks for erasure and is erased everywhere while the statistics of
the event stay right; consent; retention periods and their daily cron"""
import datetime as dt
import json

from tools.testing import ModulesTestCase
from trytond.model.exceptions import SQLConstraintError
from trytond.modules.party.exceptions import EraseError
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction, check_access

MODULES = [
    'concertes_members', 'concertes_eu_projects', 'concertes_events',
    'concertes_mandates']


class PersonalDataTestCase(ModulesTestCase):
    "Rights of access and erasure, consent, retention"
    modules = MODULES

    def _event(self, name, end):
        Event = Pool().get('concertes.event')
        event, = Event.create([{
                    'name': name, 'kind': 'conference',
                    'start': end - dt.timedelta(hours=8), 'end': end}])
        return event

    def _register(self, event, first_name, email, state='attended',
            **values):
        "A registration linked to its person, in state"
        Registration = Pool().get('concertes.event.registration')
        registration, = Registration.create([dict({
                        'event': event.id, 'first_name': first_name,
                        'last_name': 'Test', 'email': email,
                        'organisation_name': 'SAW-B',
                        'diet': 'vegetarian',
                        }, **values)])
        Registration.link_parties([registration])
        # through the workflow, as the back-office does
        Registration.confirm([registration])
        if state != 'confirmed':
            getattr(Registration, {
                    'attended': 'check_in', 'no_show': 'no_show',
                    'cancelled': 'cancel'}[state])([registration])
        return registration

    def _statistics(self, event):
        pool = Pool()
        Statistic = pool.get('concertes.event.statistic')
        Kind = pool.get('concertes.event.statistic.organisation_kind')
        names = ['registered', 'confirmed', 'cancelled', 'attended',
            'no_show']
        return (
            [(s.event.id, *[getattr(s, n) for n in names])
                for s in Statistic.search([('event', '=', event.id)])],
            sorted((s.organisation_kind or '', s.registered)
                for s in Kind.search([('event', '=', event.id)])))

    def _erase(self, party):
        pool = Pool()
        Erase = pool.get('party.erase', type='wizard')
        session_id, _, _ = Erase.create()
        try:
            Erase.execute(session_id, {'ask': {'party': party.id}}, 'erase')
        finally:
            Erase.delete(session_id)
        # the wizard updates rows in SQL: read them as a new request would
        for cache in Transaction().cache.values():
            cache.clear()

    def _export(self, party):
        "The export of all data about party, as the finance team runs it"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        Report = pool.get('concertes.party.personal_data', type='report')
        users = User.search([('login', '=', 'dpo')])
        if not users:
            users = User.create([{
                        'login': 'dpo', 'name': "DPO",
                        'groups': [('add', [ModelData.get_id(
                                        'concertes_members',
                                        'group_concertes_finance')])],
                        }])
        user, = users
        with Transaction().set_user(user.id), check_access():
            oext, content, _, name = Report.execute([party.id], {})
        self.assertEqual(oext, 'json')
        return json.loads(content)['parties'][0]

    @with_transaction()
    def test_personal_data_export_then_erasure(self):
        "A registrant gets all their data, then is erased everywhere"
        pool = Pool()
        Party = pool.get('party.party')
        Registration = pool.get('concertes.event.registration')
        Body = pool.get('concertes.body')
        BodyMember = pool.get('concertes.body.member')
        Mandate = pool.get('concertes.mandate')
        Request = pool.get('concertes.request')
        ContactMechanism = pool.get('party.contact_mechanism')
        past = self._event("Assises 2023", dt.datetime(2023, 5, 10, 17))
        coming = self._event("Assises 2031", dt.datetime(2031, 5, 10, 17))
        ann = self._register(
            past, "Ann", 'ann@example.com', phone='+32 470 00 00 00',
            accessibility="Fauteuil roulant",
            **Registration.consent_values())
        ann2 = self._register(coming, "Ann", 'ann@example.com',
            state='confirmed')
        bob = self._register(past, "Bob", 'bob@example.com')
        self._register(past, "Cid", 'cid@example.com', state='no_show')
        self._register(past, "Dee", 'dee@example.com', state='cancelled')
        person = ann.party
        self.assertEqual(ann2.party, person)
        body, = Body.create([{
                    'code': 'CWES', 'name': "CWES", 'kind': 'external',
                    'scope': 'external'}])
        seat, = BodyMember.create([{
                    'body': body.id, 'representative': person.id,
                    'organisation': ann.organisation.id, 'role': 'member',
                    'start_date': dt.date(2020, 1, 1),
                    'end_date': dt.date(2022, 12, 31)}])
        mandate, = Mandate.create([{
                    'body': body.id, 'person': person.id,
                    'start_date': dt.date(2020, 1, 1),
                    'notes': "Ann préfère les réunions du matin"}])
        Request.create([{
                    'requester': person.id, 'subject': "Mes données"}])
        before = self._statistics(past)

        # right of access
        data = self._export(person)
        emails = {r['email'] for r in data['concertes.event.registration']}
        self.assertEqual(emails, {'ann@example.com'})
        self.assertEqual(len(data['concertes.event.registration']), 2)
        self.assertEqual(
            data['concertes.mandate'][0]['notes'],
            "Ann préfère les réunions du matin")
        self.assertEqual(len(data['concertes.body.member']), 1)
        self.assertEqual(
            data['concertes.request'][0]['subject'], "Mes données")
        self.assertEqual(
            data['party.contact_mechanism'][0]['value'], 'ann@example.com')
        self.assertEqual(
            data['concertes.event.registration'][0]['consent_version'],
            '2024-1')
        self.assertNotIn('bob@example.com', json.dumps(data))

        # right of erasure: refused while the mandate is held
        Party.write([person], {'active': False})
        Mandate.write([mandate], {'state': 'active'})
        with self.assertRaisesRegex(EraseError, 'mandat'):
            self._erase(person)
        Mandate.write([mandate], {'state': 'ended'})
        self._erase(person)

        for registration in [ann, ann2]:
            registration = Registration(registration.id)
            self.assertEqual(registration.first_name, '****')
            self.assertEqual(registration.last_name, '****')
            self.assertEqual(
                registration.email,
                'erased-%s@erased.invalid' % registration.id)
            self.assertIsNone(registration.phone)
            self.assertIsNone(registration.diet)
            self.assertIsNone(registration.accessibility)
            self.assertIsNotNone(registration.personal_data_erased)
        self.assertEqual(Registration(ann.id).state, 'attended')
        self.assertEqual(Registration(bob.id).first_name, "Bob")
        self.assertIsNone(Party(person.id).name)
        self.assertFalse(ContactMechanism.search([
                    ('value', '=', 'ann@example.com')]))
        self.assertFalse(Registration.search([
                    ('email', '=', 'ann@example.com')]))
        self.assertIsNone(Mandate(mandate.id).notes)
        self.assertEqual(self._statistics(past), before)
        after = self._export(Party(person.id))
        self.assertNotIn('ann@example.com', json.dumps(after))
        self.assertNotIn('Ann', json.dumps(after))

    @with_transaction()
    def test_erase_refused_while_seated(self):
        "A person who sits in a body today cannot be erased"
        pool = Pool()
        Party = pool.get('party.party')
        Body = pool.get('concertes.body')
        BodyMember = pool.get('concertes.body.member')
        person, organisation = Party.create([
                {'name': "Zoé"}, {'name': "Febecoop"}])
        body, = Body.create([{
                    'code': 'CA', 'name': "Conseil", 'kind': 'board'}])
        BodyMember.create([{
                    'body': body.id, 'representative': person.id,
                    'organisation': organisation.id, 'role': 'member',
                    'start_date': dt.date(2020, 1, 1)}])
        Party.write([person], {'active': False})
        with self.assertRaisesRegex(EraseError, 'Conseil'):
            self._erase(person)
        self.assertEqual(Party(person.id).name, "Zoé")

    @with_transaction()
    def test_consent_stored_with_version_and_date(self):
        "A consent keeps the version of the text and its date"
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        Configuration = pool.get('concertes.privacy.configuration')
        config = Configuration(1)
        config.consent_version = '2025-2'
        config.save()
        event = self._event("Forum", dt.datetime(2031, 1, 1, 17))
        registration = self._register(
            event, "Eve", 'eve@example.com', state='confirmed',
            **Registration.consent_values())
        self.assertEqual(registration.consent_version, '2025-2')
        self.assertLess(
            dt.datetime.now() - registration.consent_date,
            dt.timedelta(minutes=1))
        notice = Registration.privacy_notice()
        self.assertIn('24', notice)
        self.assertIn('2025-2', notice)

    @with_transaction()
    def test_retention_default_24_months(self):
        "Registrations are kept 24 months after the event by default"
        Retention = Pool().get('concertes.privacy.retention')
        self.assertEqual(Retention.months_for('event_registration'), 24)
        self.assertEqual(
            Retention.threshold(
                'event_registration', today=dt.date(2026, 3, 15)),
            dt.date(2024, 3, 15))

    @with_transaction()
    def test_retention_months_positive(self):
        "A retention period of zero months is refused"
        Retention = Pool().get('concertes.privacy.retention')
        retention, = Retention.search([('kind', '=', 'event_registration')])
        with self.assertRaisesRegex(SQLConstraintError, 'au moins un mois'):
            Retention.write([retention], {'months': 0})

    @with_transaction()
    def test_retention_kind_unique(self):
        "A kind of record has one retention period"
        Retention = Pool().get('concertes.privacy.retention')
        with self.assertRaisesRegex(SQLConstraintError, 'déjà'):
            Retention.create([{'kind': 'event_registration', 'months': 6}])

    @with_transaction()
    def test_retention_cron_anonymises(self):
        "The daily cron anonymises old registrants with no reason to keep"
        pool = Pool()
        Party = pool.get('party.party')
        Registration = pool.get('concertes.event.registration')
        Retention = pool.get('concertes.privacy.retention')
        Request = pool.get('concertes.request')
        Cron = pool.get('ir.cron')
        old = self._event("Forum 2021", dt.datetime(2021, 6, 1, 17))
        recent = self._event("Forum 2025", dt.datetime(2025, 6, 1, 17))
        bob = self._register(old, "Bob", 'bob@example.com')
        carl = self._register(old, "Carl", 'carl@example.com')
        dan = self._register(old, "Dan", 'dan@example.com')
        Registration.write([dan], {'party': None})
        eve_old = self._register(old, "Eve", 'eve@example.com')
        eve = self._register(recent, "Eve", 'eve@example.com')
        Request.create([{
                    'requester': carl.party.id, 'subject': "Adhésion"}])
        before = self._statistics(old)
        bob_party = bob.party

        Retention.apply_retention(today=dt.date(2026, 1, 1))
        for cache in Transaction().cache.values():
            cache.clear()

        self.assertEqual(Registration(bob.id).first_name, '****')
        self.assertEqual(Registration(dan.id).first_name, '****')
        bob_party = Party(bob_party.id)
        self.assertFalse(bob_party.active)
        self.assertIsNone(bob_party.name)
        # Carl made a request, Eve came recently: kept
        self.assertEqual(Registration(carl.id).first_name, "Carl")
        self.assertEqual(Registration(eve_old.id).first_name, "Eve")
        self.assertEqual(Registration(eve.id).first_name, "Eve")
        self.assertEqual(Party(carl.party.id).name, carl.party.name)
        self.assertEqual(self._statistics(old), before)
        # the cron is scheduled every day
        crons = Cron.search([
                ('method', '=',
                    'concertes.privacy.retention|apply_retention')])
        self.assertEqual(len(crons), 1)
        self.assertEqual(
            (crons[0].interval_number, crons[0].interval_type), (1, 'days'))
        # a second run changes nothing more
        erased = Registration(bob.id).personal_data_erased
        Retention.apply_retention(today=dt.date(2026, 1, 1))
        self.assertEqual(Registration(bob.id).personal_data_erased, erased)
