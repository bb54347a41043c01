# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.exceptions import UserError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.concertes_members.tests import (
    DutchTranslationMixin, FrenchTranslationMixin)
from trytond.modules.concertes_members.tests.tools import (
    Refusing, mail_server, refused)
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction, inactive_records

from .tools import create_list, create_person, subscribe


class ConcertesNewsletterTestCase(
        FrenchTranslationMixin, DutchTranslationMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test ConcertES Newsletter module"
    module = 'concertes_newsletter'
    extras = ['concertes_events', 'concertes_mandates']

    @with_transaction()
    def test_address_invalid(self):
        "Invalid and special-use addresses are refused with a reason"
        from ..subscription import EmailNotValidError, normalise_address
        self.assertEqual(
            normalise_address(' Anne@Example.BE '), 'anne@example.be')
        for address in ['', 'anne', 'anne@', 'a b@example.be',
                'anne@localhost', 'anne@example.invalid', 'anne@test']:
            with self.subTest(address=address):
                with self.assertRaises(EmailNotValidError):
                    normalise_address(address)

    @with_transaction()
    def test_sync_member_representatives(self):
        """The list of representatives follows the members and never adds
        back someone who unsubscribed"""
        pool = Pool()
        Party = pool.get('party.party')
        Membership = pool.get('concertes.membership')
        Relation = pool.get('party.relation')
        ModelData = pool.get('ir.model.data')
        Email = pool.get('marketing.email')
        represents = ModelData.get_id(
            'concertes_members', 'relation_type_represents')
        federation, = Party.create([{
                    'name': "SAW-B",
                    'organisation_kind': 'member_federation'}])
        Membership.create([{
                    'party': federation.id, 'state': 'member',
                    'start_date': dt.date(2020, 1, 1)}])
        anne = create_person("Anne", 'anne@saw-b.be')
        bob = create_person("Bob", 'bob@saw-b.be')
        Relation.create([{'from_': p.id, 'to': federation.id,
                    'type': represents} for p in [anne, bob]])
        list_ = create_list(kind='member_representatives')

        list_.__class__.sync([list_])
        self.assertEqual(
            sorted(e.email for e in Email.search([('list_', '=', list_.id)])),
            ['anne@saw-b.be', 'bob@saw-b.be'])

        anne_email, = Email.search([('email', '=', 'anne@saw-b.be')])
        Email.unsubscribe_records([anne_email])
        list_.__class__.sync_all()
        self.assertEqual(
            [e.email for e in Email.search([('list_', '=', list_.id)])],
            ['bob@saw-b.be'])
        self.assertIsNotNone(list_.last_sync)

    @with_transaction()
    def test_sync_body_leaves(self):
        "Who left the body is taken off its list, without unsubscription"
        pool = Pool()
        Body = pool.get('concertes.body')
        BodyMember = pool.get('concertes.body.member')
        Email = pool.get('marketing.email')
        board, = Body.create([{
                    'code': 'CA', 'name': "Board", 'kind': 'board'}])
        anne = create_person("Anne", 'anne@example.be')
        seat, = BodyMember.create([{
                    'body': board.id, 'representative': anne.id,
                    'start_date': dt.date(2020, 1, 1)}])
        list_ = create_list(kind='body', body=board.id)
        list_.__class__.sync([list_])
        self.assertEqual(len(Email.search([('list_', '=', list_.id)])), 1)

        BodyMember.write([seat], {'end_date': dt.date(2021, 1, 1)})
        list_.__class__.sync([list_])
        self.assertEqual(Email.search([('list_', '=', list_.id)]), [])
        with inactive_records():
            record, = Email.search([('list_', '=', list_.id)])
        self.assertIsNone(record.unsubscribed)

    @with_transaction()
    def test_confirmation_used_expired_unknown(self):
        "A confirmation link works once, expires, and a wrong one does nothing"
        pool = Pool()
        Email = pool.get('marketing.email')
        list_ = create_list(public=True)
        record, = Email.request('Anne@Example.be', [list_], name="Anne")
        self.assertFalse(record.active)
        self.assertEqual(record.consent_version, '2026-1')
        self.assertEqual(Email.confirm(record.confirm_token[:-3]), 'unknown')
        self.assertFalse(Email(record.id).active)

        Email.write([record], {
                'confirm_requested': dt.datetime.now() - dt.timedelta(
                    hours=73)})
        self.assertEqual(Email.confirm(record.confirm_token), 'expired')
        self.assertFalse(Email(record.id).active)

        Email.write([record], {'confirm_requested': dt.datetime.now()})
        self.assertEqual(Email.confirm(record.confirm_token), 'confirmed')
        self.assertEqual(Email.confirm(record.confirm_token), 'used')
        self.assertTrue(Email(record.id).active)

    @with_transaction()
    def test_unsubscribe_token_wrong_changes_nothing(self):
        "A wrong or truncated unsubscribe token unsubscribes nobody"
        Email = Pool().get('marketing.email')
        record, = subscribe(create_list(), 'anne@example.be')
        self.assertEqual(
            Email.unsubscribe_token(record.email_token[:-1]), 'unknown')
        self.assertEqual(Email.unsubscribe_token(''), 'unknown')
        self.assertTrue(Email(record.id).active)
        self.assertEqual(
            Email.unsubscribe_token(record.email_token), 'unsubscribed')
        self.assertEqual(
            Email.unsubscribe_token(record.email_token), 'already')

    @with_transaction()
    def test_template_missing_field(self):
        "A template using a field that does not exist is refused"
        Template = Pool().get('concertes.newsletter.template')
        with self.assertRaisesRegex(UserError, 'agenda'):
            Template.create([{
                        'name': "Broken", 'subject': "X",
                        'body': '<p>${agenda}</p>'}])
        template, = Template.create([{
                    'name': "Fine", 'subject': "X",
                    'body': '<p>${figures["member_federations"]}</p>'
                    '<p py:for="e in events">${e["name"]}</p>'}])
        self.assertTrue(template.id)

    @with_transaction()
    def test_template_invalid(self):
        """A template whose body is not a valid Genshi template is refused;
        nothing is saved"""
        Template = Pool().get('concertes.newsletter.template')
        template, = Template.create([{
                    'name': "Monthly", 'subject': "X", 'body': '<p>Hi</p>'}])
        with refused(self, UserError, 'template "Monthly" is not valid'):
            Template.write([template], {'body': '<p>${events[</p>'})
        with refused(self, UserError, 'template "Broken" is not valid'):
            Template.create([{
                        'name': "Broken", 'subject': "X",
                        'body': '<p py:for="e in">x</p>'}])
        self.assertEqual(Template(template.id).body, '<p>Hi</p>')
        self.assertEqual(Template.search([('name', '=', "Broken")]), [])

    @with_transaction()
    def test_send_empty_list(self):
        "Sending to lists with nobody subscribed is refused, nothing queued"
        Message = Pool().get('marketing.email.message')
        message, = Message.create([{
                    'title': "Agenda", 'content': '<p>Agenda</p>',
                    'lists': [('add', [create_list().id])]}])
        with self.assertRaisesRegex(UserError, 'Nobody'):
            Message.send([message])
        self.assertEqual(message.state, 'draft')
        self.assertEqual(message.deliveries, ())
        message, = Message.create([{'title': "No list", 'content': '<p/>'}])
        with self.assertRaisesRegex(UserError, 'no list'):
            Message.send([message])

    @with_transaction()
    def test_list_messages_action(self):
        """The list form's link and relate show the issues sent to the list,
        counted by their tabs Draft and Sending"""
        pool = Pool()
        Action = pool.get('ir.action.act_window')
        Keyword = pool.get('ir.action.keyword')
        Message = pool.get('marketing.email.message')
        ModelData = pool.get('ir.model.data')
        list_, other = create_list(), create_list(name="Autre")
        subscribe(list_, 'anne@example.be')
        draft, sending, elsewhere = Message.create([{
                    'title': title, 'content': '<p>x</p>',
                    'lists': [('add', [l.id])]} for title, l in [
                    ("Brouillon", list_), ("Envoi", list_),
                    ("Ailleurs", other)]])
        Message.send([sending])
        self.assertEqual(sending.state, 'sending')
        action = Action(ModelData.get_id(
                'marketing_email', 'act_email_message_form'))
        decoder = PYSONDecoder({'active_id': list_.id})
        domain = decoder.decode(action.pyson_domain)

        def tab(tab_domain):
            return Message.search(
                [domain, decoder.decode(tab_domain)], order=[('id', 'ASC')])

        tabs = {name: (tab(tab_domain), count)
            for name, tab_domain, count in action.domains}
        self.assertEqual(tabs, {
                "Draft": ([draft], True),
                "Sending": ([sending], True),
                "All": ([draft, sending], False),
                })
        relates = Keyword.get_keyword(
            'form_relate', ('marketing.email.list', list_.id))
        self.assertEqual([
                a['pyson_domain'] for a in relates
                if a['res_model'] == 'marketing.email.message'],
            [action.pyson_domain])

    @with_transaction()
    def test_send_to_me_without_email(self):
        "The test send needs an address on the user"
        pool = Pool()
        Message = pool.get('marketing.email.message')
        User = pool.get('res.user')
        User.write([User(Transaction().user)], {'email': None})
        message, = Message.create([{
                    'title': "Test", 'content': '<p>Test</p>',
                    'lists': [('add', [create_list().id])]}])
        with self.assertRaisesRegex(UserError, 'no e-mail address'):
            Message.send_to_me([message])

    @with_transaction()
    def test_send_to_me(self):
        """The test send goes to the user only, with the unsubscribe
        headers, and records no delivery"""
        pool = Pool()
        Message = pool.get('marketing.email.message')
        User = pool.get('res.user')
        handler = Refusing()
        mail_server(self, handler)
        User.write([User(Transaction().user)], {'email': 'me@concertes.be'})
        list_ = create_list()
        subscribe(list_, 'anne@example.be')
        message, = Message.create([{
                    'title': "Test", 'content': '<p>Test</p>',
                    'lists': [('add', [list_.id])]}])
        Message.send_to_me([message])
        Transaction().commit()
        self.assertEqual(handler.received, ['me@concertes.be'])
        self.assertEqual(Message(message.id).deliveries, ())
        self.assertEqual(Message(message.id).state, 'draft')

    @with_transaction()
    def test_planned_issue_sent_by_cron(self):
        "The scheduler sends the planned issues whose date has come"
        Message = Pool().get('marketing.email.message')
        list_ = create_list()
        subscribe(list_, 'anne@example.be')
        soon, later = Message.create([{
                    'title': "Soon", 'content': '<p>Soon</p>',
                    'planned_date': dt.datetime.now() - dt.timedelta(
                        minutes=1),
                    'lists': [('add', [list_.id])]}, {
                    'title': "Later", 'content': '<p>Later</p>',
                    'planned_date': dt.datetime.now() + dt.timedelta(days=1),
                    'lists': [('add', [list_.id])]}])
        Message.plan([soon, later])
        Message.process()
        self.assertEqual(soon.state, 'sending')
        self.assertEqual(len(soon.deliveries), 1)
        self.assertEqual(later.state, 'planned')
        message, = Message.create([{'title': "X", 'content': '<p>X</p>',
                    'lists': [('add', [list_.id])]}])
        with self.assertRaisesRegex(UserError, 'date'):
            Message.plan([message])

    @with_transaction()
    def test_delivery_failure_reason(self):
        """A refused recipient is counted failed with the server's reason;
        the others are sent; an unsubscribed one is not sent"""
        pool = Pool()
        Message = pool.get('marketing.email.message')
        Delivery = pool.get('concertes.newsletter.delivery')
        Email = pool.get('marketing.email')
        handler = Refusing()
        mail_server(self, handler)
        list_ = create_list()
        _, _, late = subscribe(list_, 'anne@example.be', 'gone@example.be',
            'late@example.be')
        message, = Message.create([{
                    'title': "News", 'content': '<p>News</p>',
                    'lists': [('add', [list_.id])]}])
        Message.dispatch([message])
        Email.unsubscribe_records([late])
        Delivery.send_batch(list(message.deliveries))
        states = {d.address: (d.state, d.error) for d in Delivery.search([])}
        self.assertEqual(states['anne@example.be'], ('sent', None))
        self.assertEqual(states['gone@example.be'][0], 'failed')
        self.assertIn('No such mailbox', states['gone@example.be'][1])
        self.assertEqual(states['late@example.be'][0], 'failed')
        self.assertEqual(handler.received, ['anne@example.be'])
        message = Message(message.id)
        self.assertEqual(
            (message.queued, message.delivered, message.failed), (0, 1, 2))

    @with_transaction()
    def test_erasure_suppresses_address(self):
        """The export of a person holds their subscriptions; the erasure
        removes the address and it can never be imported again"""
        pool = Pool()
        Party = pool.get('party.party')
        Email = pool.get('marketing.email')
        Erase = pool.get('party.erase', type='wizard')
        list_ = create_list()
        anne = create_person("Anne", 'anne@example.be')
        subscribe(list_, 'anne@example.be')
        data = anne.personal_data()
        self.assertEqual(
            [s['email'] for s in data['marketing.email']],
            ['anne@example.be'])

        Party.write([anne], {'active': False})
        session_id, _, _ = Erase.create()
        Erase.execute(session_id, {'ask': {'party': anne.id}}, 'erase')
        Erase.delete(session_id)
        with inactive_records():
            record, = Email.search([('list_', '=', list_.id)])
        self.assertTrue(record.email.endswith('@erased.invalid'))
        self.assertFalse(record.active)

        created, updated, errors = Email.import_rows(
            list_, [(2, {'address': 'ANNE@example.be'})])
        self.assertEqual((created, updated), (0, 0))
        self.assertIn('erased', errors[0][1])

    @with_transaction()
    def test_event_attendees_list(self):
        "Attendees of an event who agreed are on the event's list"
        pool = Pool()
        Event = pool.get('concertes.event')
        Registration = pool.get('concertes.event.registration')
        Email = pool.get('marketing.email')
        start = dt.datetime(2024, 11, 13, 9)
        event, = Event.create([{
                    'name': "InspirES", 'kind': 'networking', 'start': start,
                    'end': start + dt.timedelta(hours=8)}])
        Registration.create([{
                    'event': event.id, 'first_name': first,
                    'last_name': "Dupont", 'email': '%s@example.be' % first,
                    'state': 'attended', 'newsletter_opt_in': opt_in,
                    } for first, opt_in in [('anne', True), ('bob', False)]])
        list_ = create_list(kind='event_attendees', event=event.id)
        list_.__class__.sync([list_])
        self.assertEqual(
            [e.email for e in Email.search([('list_', '=', list_.id)])],
            ['anne@example.be'])

    @with_transaction()
    def test_event_form_opt_in_unticked_by_default(self):
        "The event form's newsletter box is optional, unticked, and typed"
        pool = Pool()
        Event = pool.get('concertes.event')
        Registration = pool.get('concertes.event.registration')
        start = dt.datetime.now() + dt.timedelta(days=30)
        event, = Event.create([{
                    'name': "InspirES", 'kind': 'networking', 'start': start,
                    'end': start + dt.timedelta(hours=8)}])
        self.assertIn('newsletter', Registration.public_options())
        data = {'first_name': "Anne", 'last_name': "Dupont",
            'email': 'anne@example.be', 'consent': 'on'}
        for given, expected in [(None, False), ('on', True), (True, True)]:
            values, errors = Registration.public_values(
                event, dict(data, newsletter=given))
            self.assertEqual(errors, {})
            self.assertEqual(values['newsletter_opt_in'], expected)
        values, errors = Registration.public_values(
            event, dict(data, newsletter=['on']))
        self.assertIn('newsletter', errors)


del ModuleTestCase
