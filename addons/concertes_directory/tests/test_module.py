# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
import io

from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.tests import (
    DutchTranslationMixin, FrenchTranslationMixin)
from trytond.modules.concertes_members.tests.tools import odt_text
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    ModuleTestCase, load_doc_tests, with_transaction)
from trytond.transaction import Transaction

from .tools import (
    enterprise, enterprise_number, establishment_number, write_extract)

D = dt.date


class ConcertesDirectoryTestCase(
        DutchTranslationMixin, FrenchTranslationMixin, ModuleTestCase):
    "Test concertes_directory module"
    module = 'concertes_directory'

    # helpers -------------------------------------------------------------
    def _enterprise(self, name="Les Petits Riens", number=None):
        Party = Pool().get('party.party')
        values = {'name': name, 'organisation_kind': 'enterprise'}
        if number:
            values['identifiers'] = [('create', [{
                                'type': 'be_businessid', 'code': number}])]
        party, = Party.create([values])
        return party

    def _type(self, code='IES'):
        Type = Pool().get('concertes.accreditation.type')
        type_, = Type.search([('code', '=', code)])
        return type_

    def _accreditation(self, party, code='IES', **values):
        Accreditation = Pool().get('concertes.accreditation')
        accreditation, = Accreditation.create([dict({
                        'party': party.id,
                        'type': self._type(code).id,
                        }, **values)])
        return accreditation

    def _import(self, data, scope='known', name='extract.zip'):
        Extract = Pool().get('concertes.kbo.extract')
        return Extract.import_file(io.BytesIO(data), name=name, scope=scope)

    def _counts(self):
        pool = Pool()
        return tuple(pool.get(m).search_count([]) for m in [
                'party.party', 'party.address', 'concertes.kbo.change',
                'concertes.kbo.extract', 'concertes.kbo.code',
                'concertes.enterprise.activity'])

    def assertImportError(self, data, *texts):
        "The import fails naming texts and leaves the database untouched"
        before = self._counts()
        with self.assertRaises(UserError) as cm:
            self._import(data)
        for text in texts:
            self.assertIn(text, cm.exception.message)
        self.assertEqual(self._counts(), before)
        return cm.exception

    # seed ----------------------------------------------------------------
    @with_transaction()
    def test_accreditation_types_seeded(self):
        "The Walloon, Brussels and federal accreditations are seeded"
        Type = Pool().get('concertes.accreditation.type')
        types = {t.code: t for t in Type.search([])}
        self.assertTrue({'IES', 'EI', 'IDESS', 'CISP', 'ETA', 'ES-BXL',
                'ESI', 'ES-FED', 'CNC'} <= set(types))
        self.assertEqual(types['IES'].legal_basis_date, D(2016, 10, 20))
        self.assertEqual(types['EI'].prerequisite, types['IES'])
        duty, = types['IES'].duties
        self.assertEqual((duty.due_day, duty.due_month), (15, 7))
        self.assertEqual(types['ES-BXL'].region, 'brussels')

    # accreditation rules --------------------------------------------------
    @with_transaction()
    def test_accreditation_valid_to_before_from(self):
        "An accreditation cannot end before it starts"
        party = self._enterprise()
        with self.assertRaises(ValidationError) as cm:
            self._accreditation(party, valid_from=D(2024, 5, 1),
                valid_to=D(2024, 4, 30))
        self.assertIn('before', cm.exception.message)

    @with_transaction()
    def test_accreditation_overlap(self):
        "Two accreditations of one type for one enterprise never overlap"
        Accreditation = Pool().get('concertes.accreditation')
        party = self._enterprise()
        first = self._accreditation(party, decision_date=D(2020, 1, 10),
            valid_from=D(2020, 2, 1), valid_to=D(2024, 1, 31))
        Accreditation.grant([first])
        with self.assertRaises(ValidationError) as cm:
            self._accreditation(party, valid_from=D(2023, 6, 1),
                valid_to=D(2023, 12, 31))
        self.assertIn('overlaps', cm.exception.message)
        # the next one after the end, another type, a withdrawn one: fine
        self._accreditation(party, valid_from=D(2024, 2, 1))
        self._accreditation(party, 'EI', valid_from=D(2021, 1, 1))
        withdrawn = self._accreditation(
            self._enterprise("Autre"), valid_from=D(2020, 1, 1))
        Accreditation.withdraw([withdrawn])

    @with_transaction()
    def test_accreditation_grant_without_decision(self):
        "Granting needs the date of the decision"
        Accreditation = Pool().get('concertes.accreditation')
        accreditation = self._accreditation(self._enterprise())
        with self.assertRaises(ValidationError) as cm:
            Accreditation.grant([accreditation])
        self.assertIn('decision', cm.exception.message)
        self.assertEqual(accreditation.state, 'applied')

    @with_transaction()
    def test_accreditation_workflow(self):
        """Granted from the decision for the validity of its type, renewed,
        suspended, withdrawn; accredited at a date follows"""
        pool = Pool()
        Accreditation = pool.get('concertes.accreditation')
        Party = pool.get('party.party')
        Type = pool.get('concertes.accreditation.type')
        Type.write([self._type('CISP')], {'validity_months': 36})
        party = self._enterprise()
        accreditation = self._accreditation(
            party, 'CISP', decision_date=D(2023, 3, 1),
            decision_reference="AM 2023/12")
        Accreditation.grant([accreditation])
        self.assertEqual(accreditation.state, 'granted')
        self.assertEqual(
            (accreditation.valid_from, accreditation.valid_to),
            (D(2023, 3, 1), D(2026, 2, 28)))
        Accreditation.renew([accreditation])
        self.assertEqual(accreditation.state, 'renewed')
        self.assertEqual(accreditation.valid_to, D(2029, 2, 28))
        for date, expected in [(D(2023, 2, 28), []),
                (D(2025, 1, 1), [party]), (D(2029, 3, 1), [])]:
            with Transaction().set_context(accreditation_date=date):
                self.assertEqual(
                    Party.search([('accredited', '=', True)]), expected)
                self.assertEqual(
                    Party(party.id).accredited, bool(expected))
        Accreditation.suspend([accreditation])
        self.assertEqual(Party.search([('accredited', '=', True)]), [])
        Accreditation.grant([accreditation])
        accreditation.withdrawal_date = D(2025, 6, 30)
        accreditation.save()
        Accreditation.withdraw([accreditation])
        self.assertEqual(accreditation.valid_to, D(2025, 6, 30))
        with Transaction().set_context(accreditation_date=D(2025, 7, 1)):
            self.assertEqual(Party.search([('accredited', '=', True)]), [])

    @with_transaction()
    def test_accreditation_expiry_and_reports(self):
        """The daily job expires the accreditations past their end and
        opens the yearly reports, which reach the deadlines"""
        pool = Pool()
        Accreditation = pool.get('concertes.accreditation')
        Deadline = pool.get('concertes.deadline')
        party = self._enterprise()
        old = self._accreditation(party, 'CISP', decision_date=D(2019, 1, 1),
            valid_from=D(2019, 1, 1), valid_to=D(2023, 12, 31))
        ies = self._accreditation(party, 'IES', decision_date=D(2022, 1, 1),
            valid_from=D(2022, 1, 1))
        Accreditation.grant([old, ies])
        reports = Accreditation.update_accreditations(D(2024, 6, 1))
        self.assertEqual(old.state, 'expired')
        report, = reports
        self.assertEqual(report.due_date, D(2024, 7, 15))
        self.assertEqual(Accreditation.update_accreditations(
                D(2024, 6, 2)), [])
        with Transaction().set_context(
                deadline_from_date=D(2024, 7, 1),
                deadline_to_date=D(2024, 7, 31)):
            kinds = [d.kind for d in Deadline.search([])]
        self.assertIn('accreditation_report', kinds)
        Report = pool.get('concertes.accreditation.report')
        Report.send([report])
        with Transaction().set_context(
                deadline_from_date=D(2024, 7, 1),
                deadline_to_date=D(2024, 7, 31)):
            self.assertNotIn('accreditation_report',
                [d.kind for d in Deadline.search([])])

    @with_transaction()
    def test_accreditation_end_deadline(self):
        "The end of an accreditation in force is a deadline"
        pool = Pool()
        Accreditation = pool.get('concertes.accreditation')
        Deadline = pool.get('concertes.deadline')
        accreditation = self._accreditation(self._enterprise(), 'CISP',
            decision_date=D(2022, 1, 1), valid_from=D(2022, 1, 1),
            valid_to=D(2025, 12, 31))
        Accreditation.grant([accreditation])
        deadline, = Deadline.search([('kind', '=', 'accreditation_end')])
        self.assertEqual(deadline.date, D(2025, 12, 31))
        self.assertEqual(deadline.origin, accreditation)

    @with_transaction()
    def test_annual_report_section_directory(self):
        "The annual report counts the accredited enterprises on 31 December"
        pool = Pool()
        Accreditation = pool.get('concertes.accreditation')
        Report = pool.get('concertes.activity.report')
        party = self._enterprise()
        party.sector_families = ['insertion']
        party.save()
        cisp = self._accreditation(party, 'CISP', decision_date=D(2024, 3, 1))
        ies = self._accreditation(party, 'IES', decision_date=D(2020, 1, 1))
        self._accreditation(self._enterprise("Candidate"), 'IES',
            application_date=D(2024, 5, 1))
        Accreditation.grant([cisp, ies])
        section = Report.figures(2024)['directory']
        self.assertEqual(section, {
                'accredited_enterprises': 1,
                'by_type': {'CISP': 1, 'IES': 1},
                'by_region': {'wallonia': 2},
                'by_sector_family': {'insertion': 1},
                'granted': 1,
                'withdrawn': 0,
                })

    @with_transaction()
    def test_statistics_accredited_at_date(self):
        "Accredited enterprises by type, region and sector family at a date"
        pool = Pool()
        Accreditation = pool.get('concertes.accreditation')
        Statistic = pool.get('concertes.accreditation.statistic')
        first = self._enterprise("Première")
        first.sector_families = ['insertion', 'sector']
        first.save()
        second = self._enterprise("Seconde")
        cisp = self._accreditation(first, 'CISP', decision_date=D(2022, 3, 1))
        ies = [self._accreditation(p, 'IES', decision_date=D(2021, 1, 1))
            for p in [first, second]]
        self._accreditation(self._enterprise("Candidate"), 'IES',
            application_date=D(2024, 5, 1))
        Accreditation.grant([cisp] + ies)
        ies[1].withdrawal_date = D(2023, 6, 30)
        ies[1].save()
        Accreditation.withdraw([ies[1]])

        def figures(date):
            with Transaction().set_context(date=date):
                return sorted((s.type.code, s.region, s.sector_family or '',
                        s.enterprises) for s in Statistic.search([]))
        self.assertEqual(figures(D(2023, 1, 1)), [
                ('CISP', 'wallonia', 'insertion', 1),
                ('CISP', 'wallonia', 'sector', 1),
                ('IES', 'wallonia', '', 1),
                ('IES', 'wallonia', 'insertion', 1),
                ('IES', 'wallonia', 'sector', 1),
                ])
        self.assertEqual(figures(D(2024, 1, 1)), [
                ('CISP', 'wallonia', 'insertion', 1),
                ('CISP', 'wallonia', 'sector', 1),
                ('IES', 'wallonia', 'insertion', 1),
                ('IES', 'wallonia', 'sector', 1),
                ])
        self.assertEqual(figures(D(2020, 1, 1)), [])

    @with_transaction()
    def test_statistics_accredited_year_by_year(self):
        "The accredited enterprises on 31 December of each year"
        pool = Pool()
        Accreditation = pool.get('concertes.accreditation')
        Statistic = pool.get('concertes.accreditation.statistic.year')
        parties = [self._enterprise("E%s" % i) for i in range(3)]
        accreditations = [self._accreditation(p, 'IES',
                decision_date=D(2020 + i, 6, 1))
            for i, p in enumerate(parties)]
        Accreditation.grant(accreditations)
        accreditations[0].withdrawal_date = D(2022, 3, 1)
        accreditations[0].save()
        Accreditation.withdraw(accreditations[:1])
        with Transaction().set_context(from_year=2019, to_year=2023):
            rows = Statistic.search([])
            self.assertEqual(
                [(s.year, s.type.code, s.enterprises) for s in rows], [
                    (2020, 'IES', 1), (2021, 'IES', 2), (2022, 'IES', 2),
                    (2023, 'IES', 2)])
            self.assertEqual(len({s.id for s in rows}), 4)

    @with_transaction()
    def test_meeting_files_to_examine(self):
        "A meeting of the advisory body lists its files, printed as annex"
        pool = Pool()
        Accreditation = pool.get('concertes.accreditation')
        Body = pool.get('concertes.body')
        Meeting = pool.get('concertes.meeting')
        Type = pool.get('concertes.accreditation.type')
        Files = pool.get(
            'concertes.meeting.accreditation_files', type='report')
        comes, cces = Body.create([
                {'code': 'COMES', 'name': "COMES", 'kind': 'external'},
                {'code': 'CCES', 'name': "CCES", 'kind': 'external'}])
        Type.write([self._type('IES'), self._type('EI')],
            {'advisory_body': comes.id})
        Type.write([self._type('ESI')], {'advisory_body': cces.id})
        meeting, other = Meeting.create([
                {'body': comes.id, 'start': dt.datetime(2025, 3, 10, 14)},
                {'body': cces.id, 'start': dt.datetime(2025, 3, 11, 14)}])
        applicant = self._enterprise("Demandeuse")
        applicant.identifiers = [{
                'type': 'be_businessid', 'code': enterprise_number(7)}]
        applicant.save()
        application = self._accreditation(
            applicant, 'IES', application_date=D(2025, 1, 15))
        ending = self._accreditation(self._enterprise("Sortante"), 'EI',
            decision_date=D(2020, 6, 1), valid_to=D(2025, 6, 30))
        later = self._accreditation(self._enterprise("Plus tard"), 'EI',
            decision_date=D(2020, 6, 1), valid_to=D(2026, 6, 30))
        brussels = self._accreditation(self._enterprise("Bruxelloise"),
            'ESI', application_date=D(2025, 1, 20))
        Accreditation.grant([ending, later])

        files = Accreditation.files_to_examine(meeting)
        self.assertEqual([(k, d, a) for k, d, a in files], [
                ('application', D(2025, 1, 15), application),
                ('renewal', D(2025, 6, 30), ending),
                ])
        self.assertEqual(
            [a for _, _, a in Accreditation.files_to_examine(other)],
            [brussels])

        ext, content, _, name = Files.execute([meeting.id, other.id], {})
        self.assertEqual(ext, 'odt')
        text = odt_text(content)
        for value in ["Demandeuse", enterprise_number(7), "Demande",
                "15/01/2025", "Sortante", "Renouvellement", "30/06/2025",
                "Bruxelloise", "10/03/2025", "COMES", "CCES"]:
            self.assertIn(value, text)
        self.assertNotIn("Plus tard", text)

    # BCE/KBO import -------------------------------------------------------
    def _two(self):
        return [
            enterprise(enterprise_number(1), "Terre ASBL", zipcode='4000',
                city_fr='Liège', city_nl='Luik', street_fr='Rue de Herstal',
                house='100', website='https://terre.be',
                activities=[('2008', '38321', 'MAIN'),
                    ('2025', '88101', 'SECO')]),
            enterprise(enterprise_number(2), "Cuisine sociale SC",
                form='706', zipcode='1000', city_fr='Bruxelles',
                city_nl='Brussel', activities=[('2008', '85599', 'MAIN')]),
            ]

    @with_transaction()
    def test_kbo_import_known_and_filter(self):
        """SCOPE=known updates the known enterprise and adds those of the
        filter; the labels of the codes are kept in FR and NL"""
        pool = Pool()
        Party = pool.get('party.party')
        Configuration = pool.get('concertes.kbo.configuration')
        known = self._enterprise("Terre", number=enterprise_number(1))
        data = write_extract(None, self._two() + [
                enterprise(enterprise_number(3), "SRL ordinaire", form='610',
                    activities=[('2008', '85599', 'MAIN')])])
        extract = self._import(data)
        self.assertEqual((extract.created, extract.updated), (0, 1))
        # name by hand differs from the register: a conflict, kept
        self.assertEqual(known.name, "Terre")
        self.assertEqual(extract.conflicts, 1)
        self.assertEqual(known.legal_form.code, '017')
        self.assertEqual(known.legal_form.description_nl,
            "Vereniging zonder winstoogmerk")
        self.assertEqual(known.city, 'Liège')
        self.assertEqual(known.postal_code, '4000')
        self.assertEqual(known.website, 'https://terre.be')
        self.assertEqual(known.enterprise_start_date, D(2010, 1, 1))
        self.assertEqual(known.enterprise_status, 'active')
        self.assertEqual(sorted((a.nace.code, a.classification)
                for a in known.activities),
            [('38321', 'main'), ('88101', 'secondary')])

        Configuration.write([Configuration(1)], {'juridical_forms': '706'})
        extract = self._import(write_extract(None, self._two(), number=141))
        self.assertEqual(extract.created, 1)
        new, = Party.search([('enterprise_number', '=', enterprise_number(2))])
        self.assertEqual(new.name, "Cuisine sociale SC")
        self.assertEqual(new.organisation_kind, 'enterprise')
        self.assertFalse(Party.search([('name', '=', "SRL ordinaire")]))

    @with_transaction()
    def test_kbo_import_scope_all(self):
        "SCOPE=all adds every enterprise of the extract"
        Party = Pool().get('party.party')
        extract = self._import(write_extract(None, self._two()), scope='all')
        self.assertEqual(extract.created, 2)
        self.assertEqual(len(Party.search([
                        ('organisation_kind', '=', 'enterprise')])), 2)

    @with_transaction()
    def test_kbo_import_never_overwrites_by_hand(self):
        """A value changed by hand is not overwritten by a later extract:
        the conflict is listed and accepted or kept"""
        pool = Pool()
        Change = pool.get('concertes.kbo.change')
        Address = pool.get('party.address')
        self._import(write_extract(None, self._two()), scope='all')
        party, = pool.get('party.party').search([
                ('enterprise_number', '=', enterprise_number(1))])
        address, = party.addresses
        Address.write([address], {'street_name': "Rue corrigée"})
        moved = self._two()
        moved[0]['address'][0][7:9] = ['Quai de la Batte', 'Quai de la Batte']
        moved[0]['address'][0][9] = '10'
        moved[0]['denomination'][0][3] = "Terre asbl (nouveau nom)"
        extract = self._import(write_extract(None, moved, number=141))
        self.assertEqual(party.name, "Terre asbl (nouveau nom)")
        self.assertEqual(party.addresses[0].street_name, "Rue corrigée")
        self.assertEqual(party.addresses[0].building_number, '10')
        conflict, = Change.search([('state', '=', 'conflict')])
        self.assertEqual((conflict.field, conflict.old_value,
                conflict.new_value, conflict.extract),
            ('street_name', "Rue corrigée", "Quai de la Batte", extract))
        applied = {c.field for c in Change.search([
                    ('extract', '=', extract.id), ('state', '=', 'applied')])}
        self.assertEqual(applied, {'name', 'building_number'})
        # the same extract again: no new conflict
        self._import(write_extract(None, moved, number=142))
        self.assertEqual(Change.search_count([('state', '=', 'conflict')]), 1)
        Change.accept([conflict])
        self.assertEqual(party.addresses[0].street_name, "Quai de la Batte")

    @with_transaction()
    def test_kbo_import_update_extract(self):
        """An update extract changes the address, strikes off a deleted
        enterprise and records every change with its extract"""
        pool = Pool()
        Party = pool.get('party.party')
        Change = pool.get('concertes.kbo.change')
        self._import(write_extract(None, self._two()), scope='all')
        terre, = Party.search([('name', '=', "Terre ASBL")])
        moved = enterprise(enterprise_number(1), "Terre ASBL",
            zipcode='4020', city_fr='Liège', street_fr='Quai de la Batte',
            house='10')
        update = {'address': moved['address']}
        data = write_extract(None, [update], kind='update', number=142,
            deleted={'enterprise': [enterprise_number(2)]})
        extract = self._import(data)
        self.assertEqual(terre.postal_code, '4020')
        self.assertEqual(terre.addresses[0].street_name, 'Quai de la Batte')
        self.assertEqual(terre.website, 'https://terre.be')
        self.assertEqual(len(terre.activities), 2)
        changes = {(c.field, c.old_value, c.new_value)
            for c in Change.search([
                    ('party', '=', terre.id), ('extract', '=', extract.id)])}
        self.assertIn(('postal_code', '4000', '4020'), changes)
        cuisine, = Party.search([('name', '=', "Cuisine sociale SC")])
        self.assertTrue(cuisine.struck_off)
        self.assertEqual(cuisine.enterprise_status, 'stopped')

    @with_transaction()
    def test_kbo_import_establishments(self):
        "The establishment units of the enterprises are kept with address"
        pool = Pool()
        Party = pool.get('party.party')
        entities = self._two()
        unit = establishment_number(5)
        entities.append({
                'establishment': [[unit, '01-02-2015', enterprise_number(1)]],
                'denomination': [[unit, '1', '004', "Terre – Herstal"]],
                'address': [[unit, 'BAET', '', '', '4040', 'Herstal',
                        'Herstal', 'Rue X', 'Rue X', '2', '', '', '']],
                })
        self._import(write_extract(None, entities), scope='all')
        terre, = Party.search([('name', '=', "Terre ASBL")])
        establishment, = terre.establishments
        self.assertEqual((establishment.number, establishment.name,
                establishment.city, establishment.start_date),
            (unit, "Terre – Herstal", 'Herstal', D(2015, 2, 1)))

    # bad input -----------------------------------------------------------
    @with_transaction()
    def test_kbo_import_not_a_zip(self):
        "A file that is not a ZIP is refused"
        self.assertImportError(b"not a zip at all", 'extract.zip', 'ZIP')

    @with_transaction()
    def test_kbo_import_not_an_extract(self):
        "A ZIP without meta.csv is not an extract"
        data = write_extract(None, self._two(), skip=['meta.csv'])
        self.assertImportError(data, 'meta.csv')

    @with_transaction()
    def test_kbo_import_missing_file(self):
        "A full extract without one of its files is refused"
        data = write_extract(None, self._two(), skip=['denomination.csv'])
        self.assertImportError(data, 'denomination.csv')

    @with_transaction()
    def test_kbo_import_malformed_line(self):
        "A line with a wrong number of values names its file and line"
        self._enterprise("Terre", number=enterprise_number(1))
        entities = self._two()
        entities[1]['address'][0] = entities[1]['address'][0][:5]
        data = write_extract(None, entities)
        self.assertImportError(data, 'address.csv', 'line 3')

    @with_transaction()
    def test_kbo_import_unknown_code(self):
        "A code missing from the code table names its file and line"
        self._enterprise("Terre", number=enterprise_number(1))
        entities = self._two()
        entities[1]['activity'][0][3] = '99999'
        data = write_extract(None, entities)
        self.assertImportError(data, 'activity.csv', 'line 4', '99999')

    @with_transaction()
    def test_kbo_import_invalid_number(self):
        "An enterprise number failing its check names its file and line"
        self._enterprise("Terre", number=enterprise_number(1))
        entities = self._two()
        entities.append(enterprise('0123.456.789', "Faux numéro"))
        data = write_extract(None, entities)
        self.assertImportError(data, 'enterprise.csv', '0123.456.789')

    @with_transaction()
    def test_kbo_import_bad_date(self):
        "A date that is not dd-mm-yyyy names its file and line"
        self._enterprise("Terre", number=enterprise_number(1))
        entities = self._two()
        entities[1]['enterprise'][0][6] = '2010-01-01'
        data = write_extract(None, entities)
        self.assertImportError(data, 'enterprise.csv', 'line 3',
            '2010-01-01')

    @with_transaction()
    def test_kbo_import_not_sorted(self):
        "Files not sorted by number are refused"
        entities = self._two()
        data = write_extract(None, entities, extra={
                'enterprise.csv': '"EnterpriseNumber","Status",'
                '"JuridicalSituation","TypeOfEnterprise","JuridicalForm",'
                '"JuridicalFormCAC","StartDate"\n'
                '"%s","AC","000","2","706","","01-01-2010"\n'
                '"%s","AC","000","2","017","","01-01-2010"\n' % (
                    enterprise_number(2), enterprise_number(1))})
        self.assertImportError(data, 'enterprise.csv', 'line 3')


del ModuleTestCase


def load_tests(*args, **kwargs):
    return load_doc_tests(__name__, __file__, *args, **kwargs)
