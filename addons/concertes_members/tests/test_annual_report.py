# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt
import io
import re
import zipfile

from lxml import etree

from trytond import config
from trytond.exceptions import UserError
from trytond.modules.concertes_members.common import counted
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import load_translations, odt_text

YEAR = 2024


class ConcertesAnnualReportTestCase(ModuleTestCase):
    "Test the annual activity report and the dashboard"
    module = 'concertes_members'

    def _world(self):
        """A small world: four member federations (one joins, one leaves
        during the year), the general assembly, the board and a working
        group with meetings held, planned and cancelled, and requests"""
        pool = Pool()
        Party = pool.get('party.party')
        Membership = pool.get('concertes.membership')
        Body = pool.get('concertes.body')
        BodyMember = pool.get('concertes.body.member')
        Meeting = pool.get('concertes.meeting')
        Request = pool.get('concertes.request')

        parties = Party.create([{
                    'name': name, 'organisation_kind': 'member_federation',
                    } for name in ['SAW-B', 'Febecoop', 'Fedicoop', 'Old']])
        saw_b, febecoop, fedicoop, old = parties
        Membership.create([{
                    'party': p.id, 'start_date': start, 'end_date': end,
                    'state': state,
                    } for p, start, end, state in [
                    (saw_b, dt.date(2015, 1, 1), None, 'member'),
                    (febecoop, dt.date(2015, 1, 1), None, 'member'),
                    (fedicoop, dt.date(YEAR, 3, 21), None, 'member'),
                    (old, dt.date(2015, 1, 1), dt.date(YEAR, 6, 30),
                        'resigned'),
                    ]])
        ag, ca, gt = Body.create([{
                    'code': 'AG', 'name': "Assemblée générale",
                    'kind': 'general_assembly', 'scope': 'internal',
                    'state': 'active',
                    }, {
                    'code': 'CA', 'name': "Conseil d'administration",
                    'kind': 'board', 'scope': 'internal', 'state': 'active',
                    }, {
                    'code': 'GT-COM', 'name': "GT Communication",
                    'kind': 'working_group', 'scope': 'internal',
                    'state': 'active', 'start_date': dt.date(YEAR, 1, 15),
                    }])
        BodyMember.create([{
                    'body': gt.id, 'organisation': p.id, 'role': 'member',
                    'start_date': dt.date(YEAR, 1, 15),
                    } for p in [saw_b, febecoop]])

        def meetings(body, months, year=YEAR):
            return Meeting.create([{
                        'body': body.id,
                        'start': dt.datetime(year, m, 10, 14),
                        } for m in months])
        held = (meetings(ag, [3, 6, 9, 12]) + meetings(ca, [1, 2, 4])
            + meetings(gt, [5]) + meetings(ag, [5], year=YEAR - 1))
        Meeting.hold(held)
        Meeting.cancel(meetings(ca, [7]))
        meetings(ca, [11])  # planned, never held

        requests = Request.create([{
                    'requester': saw_b.id, 'kind': kind, 'subject': subject,
                    'received_date': received,
                    } for kind, subject, received in [
                    ('data', "Emplois 2023", dt.date(YEAR, 2, 1)),
                    ('data', "Entreprises par région", dt.date(YEAR, 4, 1)),
                    ('data', "Encore en cours", dt.date(YEAR, 12, 20)),
                    ('note', "Note au cabinet", dt.date(YEAR - 1, 12, 1)),
                    ('data', "L'an d'avant", dt.date(YEAR - 1, 3, 1)),
                    ]])
        for request, answered in zip(requests, [
                    dt.date(YEAR, 2, 10), dt.date(YEAR, 4, 5), None,
                    dt.date(YEAR, 1, 15), dt.date(YEAR - 1, 3, 20)]):
            if answered:
                request.answered_date = answered
                request.save()
                Request.answer([request])
        return {
            'parties': parties, 'bodies': (ag, ca, gt),
            'requests': requests,
            }

    def _section(self, key):
        "The section key of the figures of the year of the small world"
        self._world()
        return Pool().get('concertes.activity.report').figures(YEAR)[key]

    @with_transaction()
    def test_activity_report_members(self):
        "Members at 31 December, newcomers and those who left"
        Membership = Pool().get('concertes.membership')
        members = self._section('members')
        expected = Membership.search([
                ('start_date', '<=', dt.date(YEAR, 12, 31)),
                ['OR', ('end_date', '=', None),
                    ('end_date', '>=', dt.date(YEAR, 12, 31))],
                ])
        self.assertEqual(members['count'], len(expected))
        self.assertEqual(members['count'], 3)
        self.assertEqual(
            members['joined'], [{'party': 'Fedicoop', 'date': '2024-03-21'}])
        self.assertEqual(
            [m['party'] for m in members['left']], ['Old'])

    @with_transaction()
    def test_activity_report_bodies_meetings(self):
        "Meetings held in the year per body (not planned, not cancelled)"
        Meeting = Pool().get('concertes.meeting')
        bodies = self._section('bodies')
        for code in ['AG', 'CA', 'GT-COM']:
            count = Meeting.search_count([
                    ('body.code', '=', code), ('state', '=', 'held'),
                    ('start', '>=', dt.datetime(YEAR, 1, 1)),
                    ('start', '<', dt.datetime(YEAR + 1, 1, 1)),
                    ])
            self.assertEqual(bodies[code]['meetings'], count)
        self.assertEqual(
            {c: b['meetings'] for c, b in bodies.items()},
            {'AG': 4, 'CA': 3, 'GT-COM': 1})

    @with_transaction()
    def test_activity_report_working_groups(self):
        "Active working groups with their seats and meetings"
        groups = self._section('working_groups')
        self.assertEqual(groups, [{
                    'code': 'GT-COM', 'name': "GT Communication",
                    'members': 2, 'meetings': 1,
                    'start_date': '2024-01-15',
                    }])

    @with_transaction()
    def test_activity_report_requests(self):
        "Requests received and handled in the year per kind"
        Request = Pool().get('concertes.request')
        requests = self._section('requests')
        for kind in ['data', 'note']:
            received = Request.search_count([
                    ('kind', '=', kind),
                    ('received_date', '>=', dt.date(YEAR, 1, 1)),
                    ('received_date', '<=', dt.date(YEAR, 12, 31)),
                    ])
            handled = Request.search_count([
                    ('kind', '=', kind), ('state', '=', 'answered'),
                    ('answered_date', '>=', dt.date(YEAR, 1, 1)),
                    ('answered_date', '<=', dt.date(YEAR, 12, 31)),
                    ])
            self.assertEqual(requests[kind]['received'], received)
            self.assertEqual(requests[kind]['handled'], handled)
        self.assertEqual(requests['data'], {'received': 3, 'handled': 2})
        self.assertEqual(requests['note'], {'received': 0, 'handled': 1})

    @with_transaction()
    def test_activity_report_document_key_figures(self):
        """The cover page figures are those of the sections, their labels
        messages in the language of the document"""
        pool = Pool()
        Document = pool.get(
            'concertes.activity.report.document', type='report')
        load_translations('concertes_members')
        self._world()
        with Transaction().set_context(language='fr'):
            doc = Document.document(YEAR)
        key = dict(doc['key_figures'])
        self.assertEqual(key["Membres au 31 décembre"], 3)
        self.assertEqual(key["Nouveaux membres"], 1)
        self.assertEqual(key["Assemblées générales"], 4)
        self.assertEqual(key["Réunions du conseil d’administration"], 3)
        self.assertEqual(key["Groupes de travail actifs"], 1)
        self.assertEqual(key["Demandes traitées"], 3)
        self.assertEqual(key["dont demandes de statistiques"], 2)
        self.assertEqual(doc['request_totals'], {
                'received': 3, 'handled': 3})
        self.assertEqual(
            doc['members_history'][-2:], [(YEAR - 1, 3), (YEAR, 3)])
        for chart in ['members', 'meetings', 'requests']:
            png, mimetype, width, height = doc['charts'][chart]
            self.assertEqual(mimetype, 'image/png')
            self.assertTrue(png.startswith(b'\x89PNG'))

    def _print(self, button):
        """The report of the year the wizard's button gives for the world:
        its action, extension and content"""
        pool = Pool()
        Wizard = pool.get('concertes.activity.report.print', type='wizard')
        Document = pool.get(
            'concertes.activity.report.document', type='report')
        self._world()
        session_id, _, _ = Wizard.create()
        result = Wizard.execute(session_id, {
                'start': {'year': YEAR}}, button)
        (action, data), = result['actions']
        oext, content, _, _ = Document.execute([], dict(
                data, action_id=action['id']))
        return action, oext, content

    @with_transaction()
    def test_activity_report_wizard_odt(self):
        "The wizard gives an ODT with the figures of the year"
        Document = Pool().get(
            'concertes.activity.report.document', type='report')
        action, oext, content = self._print('print_odt')
        self.assertEqual(action['report_name'],
            'concertes.activity.report.document')
        self.assertEqual(oext, 'odt')
        with zipfile.ZipFile(io.BytesIO(bytes(content))) as odt:
            text = odt.read('content.xml').decode()
            names = odt.namelist()
        # the charts of the members, the meetings and the requests
        pictures = re.findall(r'<draw:image xlink:href="([^"]+)"', text)
        self.assertTrue(all(p in names for p in pictures))
        self.assertIn("Rapport d’activités 2024", text)
        self.assertIn("Fedicoop", text)
        self.assertIn("GT Communication", text)
        self.assertIn(
            Document.document(YEAR)['request_rows'][1]['kind'], text)
        self.assertEqual(len(pictures), 3)
        # the parts of the modules not installed are left out
        self.assertNotIn("Les mandats", text)
        self.assertNotIn('concertes:', text)

    @with_transaction()
    def test_report_counts_by_plural_rules(self):
        """Counts in the documents follow gettext's plural rules of the
        language (« 1 nouveau membre a », « 2 nouveaux membres ont »),
        never « nouveau(x) membre(s) »"""
        pool = Pool()
        Wizard = pool.get('concertes.activity.report.print', type='wizard')
        Document = pool.get(
            'concertes.activity.report.document', type='report')
        load_translations('concertes_members')
        newcomers = 'concertes_members.msg_report_newcomers'
        self.assertEqual([counted(newcomers, n) for n in [0, 1, 2]], [
                "0 nouveau membre a rejoint ConcertES",
                "1 nouveau membre a rejoint ConcertES",
                "2 nouveaux membres ont rejoint ConcertES"])
        self.assertEqual([counted(newcomers, n, 'nl') for n in [0, 1]], [
                "0 nieuwe leden traden toe tot ConcertES",
                "1 nieuw lid trad toe tot ConcertES"])
        self.assertEqual(counted(newcomers, 2, 'en'),
            "2 new members joined ConcertES")

        self._world()
        session_id, _, _ = Wizard.create()
        result = Wizard.execute(session_id, {
                'start': {'year': YEAR}}, 'print_odt')
        (action_type, action), = result['actions']
        _, content, _, _ = Document.execute([], dict(
                action, action_id=action_type['id']))
        text = odt_text(content)
        self.assertIn("1 nouveau membre a rejoint ConcertES :", text)
        self.assertNotRegex(text, r'\w\((s|x|es)\)')

    @with_transaction()
    def test_activity_report_wizard_pdf(self):
        "The wizard's default button gives the year's report as a PDF"
        _, oext, content = self._print('print_')
        self.assertEqual(oext, 'pdf')
        self.assertTrue(bytes(content).startswith(b'%PDF-'))
        self.assertGreaterEqual(
            len(re.findall(rb'/Type\s*/Page\b', bytes(content))), 2)

    @with_transaction()
    def test_report_pdf_conversion_impossible(self):
        """When the document cannot be converted to PDF, the user is told so
        and offered ODT"""
        pool = Pool()
        Wizard = pool.get('concertes.activity.report.print', type='wizard')
        Document = pool.get(
            'concertes.activity.report.document', type='report')
        session_id, _, _ = Wizard.create()
        result = Wizard.execute(session_id, {
                'start': {'year': YEAR}}, 'print_')
        (action, data), = result['actions']
        if not config.has_section('report'):
            config.add_section('report')
        saved = {o: config.get('report', o) for o in config.options('report')}
        config.set('report', 'convert_command', 'concertes-no-converter')
        try:
            with self.assertRaisesRegex(UserError, 'ODT'):
                Document.execute([], dict(data, action_id=action['id']))
        finally:
            config.remove_section('report')
            config.add_section('report')
            for option, value in saved.items():
                config.set('report', option, value)
            config.get.cache_clear()

    @with_transaction()
    def test_activity_report_year(self):
        "A year the report cannot cover is refused"
        pool = Pool()
        Wizard = pool.get('concertes.activity.report.print', type='wizard')
        session_id, _, _ = Wizard.create()
        with self.assertRaisesRegex(UserError, '1789'):
            Wizard.execute(session_id, {'start': {'year': 1789}}, 'print_')

    def _world_board(self):
        "The world and its board of directors (CA)"
        world = self._world()
        _, ca, _ = world['bodies']
        return world, ca

    @with_transaction()
    def test_deadline_upcoming_and_late(self):
        """Planned meetings and open requests are deadlines; past ones are
        late; held meetings and answered requests are not deadlines"""
        pool = Pool()
        Deadline = pool.get('concertes.deadline')
        Meeting = pool.get('concertes.meeting')
        Request = pool.get('concertes.request')
        world, ca = self._world_board()
        today = dt.date.today()
        soon, = Meeting.create([{
                    'body': ca.id, 'name': "CA de rentrée",
                    'start': dt.datetime.combine(
                        today + dt.timedelta(days=10), dt.time(14)),
                    }])
        open_request = world['requests'][2]
        open_request.due_date = dt.date(YEAR, 12, 31)
        open_request.save()

        upcoming = Deadline.search([
                ('date', '>=', today),
                ('date', '<=', today + dt.timedelta(days=30)),
                ])
        self.assertEqual([d.origin for d in upcoming], [soon])
        self.assertEqual(upcoming[0].kind, 'meeting')
        self.assertEqual(upcoming[0].date, soon.start.date())
        self.assertEqual(upcoming[0].name, "CA – CA de rentrée")
        self.assertFalse(upcoming[0].late)

        late = Deadline.search([('late', '=', True)])
        planned_past = Meeting.search([
                ('state', '=', 'planned'),
                ('start', '<', dt.datetime.combine(today, dt.time())),
                ])
        self.assertEqual(
            sorted(str(d.origin) for d in late),
            sorted(str(r) for r in planned_past + [open_request]))
        self.assertTrue(all(d.date < today for d in late))

        Request.answer([open_request])
        self.assertNotIn(
            open_request, [d.origin for d in Deadline.search([])])

    @with_transaction()
    def test_deadline_board_windows(self):
        """The context of the board's actions limits the deadlines to the
        next 30 days or to the late ones, as their domains would"""
        pool = Pool()
        Action = pool.get('ir.action.act_window')
        Deadline = pool.get('concertes.deadline')
        Meeting = pool.get('concertes.meeting')
        ModelData = pool.get('ir.model.data')
        world, ca = self._world_board()
        today = dt.date.today()
        Meeting.create([{
                    'body': ca.id, 'name': name,
                    'start': dt.datetime.combine(
                        today + dt.timedelta(days=days), dt.time(14)),
                    } for name, days in [
                    ("CA de rentrée", 10), ("CA d'hiver", 45)]])
        every = Deadline.search([])
        self.assertEqual(len({d.id for d in every}), len(every))
        self.assertTrue(all(d.id > 0 for d in every))

        def window(xml_id):
            action = Action(ModelData.get_id('concertes_members', xml_id))
            with Transaction().set_context(
                    PYSONDecoder().decode(action.pyson_context)):
                return Deadline.search([])

        upcoming = window('act_deadline_upcoming')
        self.assertEqual(
            [d.name for d in upcoming], ["CA – CA de rentrée"])
        self.assertEqual(upcoming, [
                d for d in every
                if today <= d.date <= today + dt.timedelta(days=30)])
        late = window('act_deadline_late')
        self.assertTrue(late)
        self.assertEqual(
            set(late), {d for d in every if d.date < today})
        self.assertTrue(all(d.late for d in late))

    @with_transaction()
    def test_deadline_list_marks_late(self):
        "The list of deadlines shows the late ones in red"
        pool = Pool()
        Deadline = pool.get('concertes.deadline')
        arch = Deadline.fields_view_get(view_type='tree')['arch']
        visual = etree.fromstring(arch).get('visual')
        decoder = PYSONDecoder({'late': True})
        self.assertEqual(decoder.decode(visual), 'danger')
        decoder = PYSONDecoder({'late': False})
        self.assertEqual(decoder.decode(visual), '')

    @with_transaction()
    def test_dashboard_figures(self):
        "The dashboard shows this year's figures of the activity report"
        pool = Pool()
        Figures = pool.get('concertes.dashboard.figures')
        Membership = pool.get('concertes.membership')
        Party = pool.get('party.party')
        self._world()
        today = dt.date.today()
        newcomer, = Party.create([{
                    'name': "Nouvelle", 'organisation_kind': 'other'}])
        Membership.create([{
                    'party': newcomer.id, 'state': 'member',
                    'start_date': today.replace(month=1, day=1),
                    }])
        figures = Figures(1)
        self.assertEqual(figures.year, today.year)
        self.assertEqual(
            figures.members, len(Membership.members_at(today)))
        self.assertEqual(figures.members, 4)
        self.assertEqual(figures.newcomers, 1)

    @with_transaction()
    def test_dashboard_figures_as_rows(self):
        """The other figures of the year are rows of a label in the user's
        language and a value, in the order of the report's cover"""
        pool = Pool()
        Figure = pool.get('concertes.dashboard.figure')
        Meeting = pool.get('concertes.meeting')
        Body = pool.get('concertes.body')
        self._world()
        assembly, = Body.search([('kind', '=', 'general_assembly')])
        Meeting.hold(Meeting.create([{'body': assembly.id,
                        'start': dt.datetime.combine(
                            dt.date.today().replace(day=1),
                            dt.time(10))}]))
        rows = [(f.label, f.value) for f in Figure.search([])]
        self.assertEqual(rows[:2], [
                ("General assemblies", '1'), ("Board meetings", '0')])
        labels = [label for label, _ in rows]
        self.assertIn("Requests handled", labels)
        self.assertNotIn("New members", labels)
        self.assertEqual(len(labels), len(set(labels)))
        load_translations('concertes_members')
        with Transaction().set_context(language='fr'):
            self.assertEqual(
                [f.label for f in Figure.search([])][:2],
                ["Assemblées générales",
                    "Réunions du conseil d’administration"])


del ModuleTestCase
