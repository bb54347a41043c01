# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


def enterprise_number(base):
    "A valid Belgian enterprise number from its first eight digits"
    return '%s%02d' % (base, 97 - int(base) % 97)


class ConcertesPartyDuplicateTestCase(ModuleTestCase):
    "Test the likely duplicate parties"
    module = 'concertes_members'

    def _organisations(self, *names, **values):
        Party = Pool().get('party.party')
        return Party.create([dict({
                        'name': name, 'organisation_kind': 'partner',
                        }, **values) for name in names])

    def _pairs(self, duplicates):
        return sorted(
            (d.party.name, d.other.name, d.reason, d.detail)
            for d in duplicates)

    @with_transaction()
    def test_duplicate_same_enterprise_number(self):
        "Two parties with the same enterprise number are suggested"
        pool = Pool()
        Duplicate = pool.get('concertes.party.duplicate')
        number = enterprise_number('04031707')
        self._organisations("SAW-B", "Solidarité des Alternatives Wallonnes",
            identifiers=[('create', [{
                            'type': 'be_businessid', 'code': number}])])
        self._organisations("FEBECOOP", identifiers=[('create', [{
                            'type': 'be_businessid',
                            'code': enterprise_number('04031708')}])])
        duplicates = Duplicate.suggest()
        self.assertEqual(self._pairs(duplicates), [
                ("SAW-B", "Solidarité des Alternatives Wallonnes",
                    'enterprise_number', '0403.170.7%s' % number[-2:])])
        self.assertEqual([d.state for d in duplicates], ['suggested'])

    @with_transaction()
    def test_duplicate_same_email_domain(self):
        """Two organisations with an address at the same domain are
        suggested; a public mail service or people (no kind of organisation)
        are not"""
        pool = Pool()
        Party = pool.get('party.party')
        Duplicate = pool.get('concertes.party.duplicate')

        def email(address):
            return [('create', [{'type': 'email', 'value': address}])]
        self._organisations("Pour la Solidarité",
            contact_mechanisms=email('info@pourlasolidarite.eu'))
        self._organisations("PLS – think & do tank",
            contact_mechanisms=email('Contact@PourLaSolidarite.eu'))
        self._organisations("Terre ASBL",
            contact_mechanisms=email('terre.asbl@gmail.com'))
        self._organisations("Ressourcerie",
            contact_mechanisms=email('ressourcerie@gmail.com'))
        Party.create([{
                    'name': name,
                    'contact_mechanisms': email(address),
                    } for name, address in [
                    ("Marie Dupont", 'marie@pourlasolidarite.eu'),
                    ("Jean Martin", 'jean@pourlasolidarite.eu'),
                    ]])
        self.assertEqual(self._pairs(Duplicate.suggest()), [
                ("Pour la Solidarité", "PLS – think & do tank",
                    'email_domain', 'pourlasolidarite.eu')])

    @with_transaction()
    def test_duplicate_close_names(self):
        """Organisations whose names are close once brackets, departments,
        case and accents are left out are suggested; different ones and
        inactive ones are not"""
        Duplicate = Pool().get('concertes.party.duplicate')
        self._organisations(
            "Vrije Universiteit Brussel", "Vrije Universiteit Brussel (VUB)",
            "SPW Économie, Emploi, Recherche",
            "SPW Economie, Emploi, Recherche – Direction de l'Économie "
            "sociale",
            "Cabinet du Ministre de l'Économie sociale (Wallonie)",
            "Cabinet du Ministre wallon de l'Économie sociale "
            "(M. Coppieters)",
            "Cabinet de la Ministre Christie Morreale",
            "SAW-B", "FEBECOOP", "RES", "RESSOURCES", "REScoop")
        self._organisations("Vrije Universiteit Brussel", active=False)
        pairs = [(party, other, reason)
            for party, other, reason, _ in self._pairs(Duplicate.suggest())]
        self.assertEqual(pairs, [
                ("Cabinet du Ministre de l'Économie sociale (Wallonie)",
                    "Cabinet du Ministre wallon de l'Économie sociale "
                    "(M. Coppieters)", 'name'),
                ("SPW Économie, Emploi, Recherche",
                    "SPW Economie, Emploi, Recherche – Direction de "
                    "l'Économie sociale", 'name'),
                ("Vrije Universiteit Brussel",
                    "Vrije Universiteit Brussel (VUB)", 'name'),
                ])

    @with_transaction()
    def test_duplicate_dismissed_not_suggested_again(self):
        """A pair found « Pas un doublon » is not suggested again, whatever
        the reason; a pair already suggested is not listed twice"""
        Duplicate = Pool().get('concertes.party.duplicate')
        self._organisations("CIRIEC", "CIRIEC (section belge)",
            "Alternatives Économiques", "Alternatives economiques")
        ciriec, alternatives = sorted(
            Duplicate.suggest(), key=lambda d: d.party.id)
        Duplicate.dismiss([ciriec])
        self.assertEqual(Duplicate.suggest(), [])
        self.assertEqual(
            [(d.party.name, d.state) for d in Duplicate.search(
                    [], order=[('id', 'ASC')])],
            [("CIRIEC", 'dismissed'), ("Alternatives Économiques",
                    'suggested')])

    @with_transaction()
    def test_duplicate_merge_through_party_replace(self):
        """« Fusionner » opens Tryton's party replace wizard with the
        duplicate to replace by the party: once run, the memberships, seats,
        attendances and requests of the duplicate are the party's, the
        duplicate is inactive and the suggestion merged"""
        pool = Pool()
        Party = pool.get('party.party')
        Duplicate = pool.get('concertes.party.duplicate')
        Membership = pool.get('concertes.membership')
        Body = pool.get('concertes.body')
        BodyMember = pool.get('concertes.body.member')
        Request = pool.get('concertes.request')
        Replace = pool.get('party.replace', type='wizard')
        Data = pool.get('ir.model.data')
        Action = pool.get('ir.action')
        kept, twin = self._organisations(
            "Pour la Solidarité", "Pour la Solidarité (PLS)")
        person, = Party.create([{'name': "Représentant·e de PLS"}])
        membership, = Membership.create([{
                    'party': twin.id, 'start_date': dt.date(2020, 1, 1),
                    'state': 'member'}])
        board, = Body.create([{
                    'code': 'CA', 'name': "Conseil d'administration",
                    'kind': 'board', 'scope': 'internal', 'state': 'active',
                    }])
        seat, = BodyMember.create([{
                    'body': board.id, 'organisation': twin.id,
                    'representative': person.id, 'role': 'member',
                    'start_date': dt.date(2024, 1, 1)}])
        request, = Request.create([{
                    'requester': twin.id, 'kind': 'data',
                    'subject': "Chiffres de l'ES européenne",
                    'received_date': dt.date(2024, 5, 2)}])
        duplicate, = Duplicate.suggest()

        self.assertEqual(Duplicate.merge([duplicate]), Action.get_action_id(
                Data.get_id(
                    'concertes_members', 'wizard_party_duplicate_merge')))
        with Transaction().set_context(
                active_model=Duplicate.__name__, active_id=duplicate.id,
                active_ids=[duplicate.id], _skip_warnings=True):
            session_id, _, _ = Replace.create()
            result = Replace.execute(session_id, {}, 'ask')
            defaults = result['view']['defaults']
            self.assertEqual(
                (defaults['source'], defaults['destination']),
                (twin.id, kept.id))
            Replace.execute(session_id, {
                    'ask': {'source': twin.id, 'destination': kept.id},
                    }, 'replace')
            Replace.delete(session_id)

        self.assertEqual(
            Membership.search([('party', '=', kept.id)]), [membership])
        self.assertEqual(
            BodyMember.search([('organisation', '=', kept.id)]), [seat])
        self.assertEqual(
            Request.search([('requester', '=', kept.id)]), [request])
        self.assertEqual(Party.search([('id', '=', twin.id)]), [])
        self.assertEqual(
            Duplicate.search([('state', '=', 'merged')]), [duplicate])
        self.assertEqual(Duplicate.suggest(), [])


del ModuleTestCase
