# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The access matrix of the ConcertES roles, tried by real users

Each role gets a user who belongs to that group only; the user tries to
read, create, write and delete each model of tools/access_matrix.py and
gets exactly what the matrix says.  Then the hidden cost fields, the record
rules and the audit trail (history) of mandates and memberships."""
import datetime as dt
from decimal import Decimal

from sql import Column

from tools.access_matrix import GROUP_IDS, GROUPS, HIDDEN_FIELDS, MATRIX
from tools.testing import ModulesTestCase
from trytond import backend
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.concertes_eu_projects.tests.tools import (
    book, create_employee, create_running_project, line_values,
    timesheet_package)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction, check_access, without_check_access

MODULES = [
    'concertes_members', 'concertes_eu_projects', 'concertes_events',
    'concertes_mandates', 'concertes_newsletter', 'concertes_directory',
    'concertes_funding']
MODES = [('read', 'r'), ('create', 'c'), ('write', 'w'), ('delete', 'd')]


# The groups of the roles, and of the whole team (no role)
GROUP_REFS = dict(GROUP_IDS, concertes='concertes_members.group_concertes')


def group_id(key):
    ModelData = Pool().get('ir.model.data')
    module, fs_id = GROUP_REFS[key].split('.')
    return ModelData.get_id(module, fs_id)


def create_users(company=None, roles=GROUPS):
    "A user in each role, and in that group only (of company): {role: user}"
    User = Pool().get('res.user')
    companies = {
        'companies': [('add', [company.id])],
        'company': company.id,
        } if company else {}
    users = User.create([{
                'login': 'role_%s' % key,
                'name': 'Role %s' % key,
                'groups': [('add', [group_id(key)])],
                **companies} for key in roles])
    return dict(zip(roles, users))


def create_events(*values):
    "Conferences on 1 May 2030, named « Journée » unless values say"
    Event = Pool().get('concertes.event')
    return Event.create([dict({
                    'name': "Journée", 'kind': 'conference',
                    'start': dt.datetime(2030, 5, 1, 9),
                    'end': dt.datetime(2030, 5, 1, 17),
                    }, **v) for v in values or [{}]])


def create_registrations(event, *names):
    "Registrations to event of people first-named names, at name@example.com"
    Registration = Pool().get('concertes.event.registration')
    return Registration.create([{
                'event': event.id, 'first_name': name, 'last_name': "Test",
                'email': '%s@example.com' % name} for name in names])


class _RolesTestCase(ModulesTestCase):
    modules = MODULES

    def run_as(self, user, function, *args):
        transaction = Transaction()
        with transaction.set_user(user.id), check_access():
            return function(*args)

    def assert_run_as(self, allowed, user, function, *args):
        "function run as user succeeds if allowed, else is refused"
        if allowed:
            return self.run_as(user, function, *args)
        with self.assertRaises(AccessError):
            self.run_as(user, function, *args)


class AccessMatrixTestCase(_RolesTestCase):
    "Roles x models x operations, record rules and audit"

    @with_transaction()
    def test_access_matrix_covers_every_model(self):
        "Every model of our modules with access rights is in the matrix"
        pool = Pool()
        Model = pool.get('ir.model')
        ModelAccess = pool.get('ir.model.access')
        ours = {m.name for m in Model.search([('module', 'in', MODULES)])}
        restricted = {a.model for a in ModelAccess.search([
                    ('model', 'in', list(ours)),
                    ])}
        self.assertEqual(sorted(restricted - set(MATRIX)), [])

    @with_transaction()
    def test_access_matrix(self):
        "Each role gets exactly the operations of the matrix on each model"
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        users = create_users()
        got, expected = {}, {}
        for model, (module, *perms) in MATRIX.items():
            for key, perm in zip(GROUPS, perms):
                with Transaction().set_user(users[key].id), check_access():
                    for mode, letter in MODES:
                        got[model, key, mode] = ModelAccess.check(
                            model, mode, raise_exception=False)
                        expected[model, key, mode] = letter in perm
        diff = sorted(k for k in got if got[k] != expected[k])
        self.assertEqual(diff, [], "(model, role, mode) not as the matrix")

    @with_transaction()
    def test_access_matrix_read_by_search(self):
        "A role without read gets an AccessError when it searches"
        pool = Pool()
        users = create_users()
        for model, (module, *perms) in MATRIX.items():
            Model = pool.get(model)
            for key, perm in zip(GROUPS, perms):
                with self.subTest(model=model, role=key):
                    self.assert_run_as(
                        'r' in perm, users[key], Model.search, [], 0, 1)

    def _values(self):
        "Values to create a record of models, by real operations"
        pool = Pool()
        Party = pool.get('party.party')
        Programme = pool.get('concertes.eu.programme')
        party, = Party.create([{'name': "Fédération test"}])
        programme, = Programme.search([('code', '=', 'HORIZON-RIA')])
        company = Transaction().context.get('company')
        return {
            'concertes.request': {
                'requester': party.id, 'subject': "Question"},
            'concertes.body': {
                'code': 'GT', 'name': "Groupe de travail",
                'kind': 'working_group'},
            'concertes.event': {
                'name': "Journée", 'kind': 'conference',
                'start': dt.datetime(2030, 5, 1, 9),
                'end': dt.datetime(2030, 5, 1, 17)},
            'concertes.eu.project': {
                'acronym': 'ACC', 'company': company,
                'programme': programme.id},
            }

    @with_transaction()
    def test_access_matrix_real_operations(self):
        "Each role creates, writes and deletes as the matrix says"
        pool = Pool()
        company = create_company()
        users = create_users(company)
        with set_company(company):
            values = self._values()
            for model, vals in values.items():
                Model = pool.get(model)
                perms = dict(zip(GROUPS, MATRIX[model][1:]))
                for key in GROUPS:
                    perm = perms[key]
                    user = users[key]
                    vals = dict(vals)
                    if 'code' in vals:
                        vals['code'] = 'GT-%s' % key
                    with self.subTest(model=model, role=key):
                        # refused, the record is created by root
                        record, = (self.assert_run_as(
                                'c' in perm, user, Model.create, [vals])
                            or Model.create([vals]))
                        name = list(vals)[-1]
                        value = getattr(record, name)
                        value = getattr(value, 'id', value)
                        self.assert_run_as('w' in perm, user, Model.write,
                            [record], {name: value})
                        self.assert_run_as(
                            'd' in perm, user, Model.delete, [record])

    @with_transaction()
    def test_cost_fields_hidden(self):
        "Cost prices are read only by administration and finance"
        pool = Pool()
        FieldAccess = pool.get('ir.model.field.access')
        # and a member of the team in no role
        users = create_users(roles=GROUPS + ['concertes'])
        for model, field, module in HIDDEN_FIELDS:
            for key, user in users.items():
                with self.subTest(model=model, field=field, role=key):
                    with Transaction().set_user(user.id), check_access():
                        readable = FieldAccess.get_access([model])[
                            model].get(field, {'read': True})['read']
                    self.assertEqual(readable, key == 'fin')

    @with_transaction()
    def test_cost_fields_are_listed(self):
        "Every field named like a cost or rate of personnel is hidden"
        pool = Pool()
        Field = pool.get('ir.model.field')
        hidden = {(m, f) for m, f, _ in HIDDEN_FIELDS}
        suspicious = set()
        for field in Field.search([
                    ('module', 'in', MODULES),
                    ['OR',
                        ('name', 'ilike', '%cost_price%'),
                        ('name', 'ilike', '%salar%'),
                        ('name', 'ilike', '%daily_rate%'),
                        ('name', 'ilike', '%hourly_rate%'),
                        ('name', 'ilike', '%personnel_cost%'),
                        ('name', 'ilike', '%annual_cost%'),
                        ('name', 'ilike', '%yearly_cost%'),
                        ],
                    # how a rate is computed is a rule, not an amount
                    ('ttype', '!=', 'selection'),
                    ]):
            suspicious.add((field.model, field.name))
        self.assertFalse(suspicious - hidden)

    # Record rules where the rows differ between roles
    @with_transaction()
    def test_rule_project_officer_closed_project(self):
        "A project officer changes no closed project; finance does"
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        Programme = pool.get('concertes.eu.programme')
        company = create_company()
        users = create_users(company)
        with set_company(company):
            programme, = Programme.search([('code', '=', 'HORIZON-RIA')])
            open_, closed = Project.create([{
                        'acronym': 'OPEN', 'programme': programme.id,
                        }, {
                        'acronym': 'CLOSED', 'programme': programme.id,
                        }])
            Project.write([closed], {
                    'state': 'closed', 'start_date': dt.date(2020, 1, 1),
                    'duration': 24})
            self.run_as(users['proj'], Project.write, [open_], {
                    'title': "Ouvert"})
            with self.assertRaises(AccessError):
                self.run_as(users['proj'], Project.write, [closed], {
                        'title': "Fermé"})
            self.run_as(users['fin'], Project.write, [closed], {
                    'title': "Fermé"})
            self.assertEqual(closed.title, "Fermé")

    @with_transaction()
    def test_rule_readonly_published_events(self):
        "Read-only users see only published events"
        Event = Pool().get('concertes.event')
        users = create_users()
        published, draft = create_events(
            {'name': "Public", 'published': True},
            {'name': "Privé", 'published': False})
        seen = self.run_as(users['ro'], Event.search, [])
        self.assertEqual(seen, [published])
        seen = self.run_as(users['evt'], Event.search, [])
        self.assertEqual(set(seen), {published, draft})

    @with_transaction()
    def test_rule_events_team_deletes_draft_registrations(self):
        "The events team deletes draft registrations only"
        Registration = Pool().get('concertes.event.registration')
        users = create_users()
        event, = create_events()
        draft, confirmed = create_registrations(event, 'draft', 'confirmed')
        Registration.confirm([confirmed])
        with self.assertRaises(AccessError):
            self.run_as(users['evt'], Registration.delete, [confirmed])
        self.run_as(users['evt'], Registration.delete, [draft])
        self.assertFalse(Registration.search([('id', '=', draft.id)]))

    @with_transaction()
    def test_rule_registrants_seen_by_events_team_only(self):
        "Parties known only by registrations are hidden from other roles"
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        Party = pool.get('party.party')
        ContactMechanism = pool.get('party.contact_mechanism')
        Membership = pool.get('concertes.membership')
        users = create_users()
        event, = create_events()
        ann, bob = create_registrations(event, 'ann', 'bob')
        Registration.link_parties([ann, bob])
        # Bob is also a member's contact: he is known by more than events
        Membership.create([{
                    'party': bob.party.id,
                    'start_date': dt.date(2020, 1, 1)}])
        for key in ['ro', 'gov', 'proj']:
            with self.subTest(role=key):
                parties = self.run_as(users[key], Party.search, [])
                self.assertNotIn(ann.party, parties)
                self.assertIn(bob.party, parties)
                values = [m.value for m in self.run_as(users[key],
                        ContactMechanism.search, [])]
                self.assertNotIn('ann@example.com', values)
                self.assertIn('bob@example.com', values)
                with self.assertRaises(AccessError):
                    self.run_as(users[key], Party.read, [ann.party.id],
                        ['name'])
        for key in ['evt', 'fin']:
            parties = self.run_as(users[key], Party.search, [])
            self.assertIn(ann.party, parties)
            values = [m.value for m in self.run_as(users[key],
                    ContactMechanism.search, [])]
            self.assertIn('ann@example.com', values)

    @with_transaction()
    def test_readonly_role_writes_nothing(self):
        "The read-only role may create, write and delete no model at all"
        pool = Pool()
        Model = pool.get('ir.model')
        ModelAccess = pool.get('ir.model.access')
        Party = pool.get('party.party')
        ContactMechanism = pool.get('party.contact_mechanism')
        users = create_users()
        party, = Party.create([{'name': "Fédération test"}])
        own_state = {'ir.session', 'ir.session.wizard',
            'ir.ui.view_tree_width', 'ir.ui.view_tree_optional',
            'ir.ui.view_tree_state', 'ir.ui.view_search',
            'res.user.warning', 'res.user.application', 'res.user.device',
            'res.user.login.attempt'}
        writable = []
        with Transaction().set_user(users['ro'].id), check_access():
            for model in Model.search([]):
                if model.name in own_state:
                    continue
                for mode in ['write', 'create', 'delete']:
                    if ModelAccess.check(
                            model.name, mode, raise_exception=False):
                        writable.append((model.name, mode))
        self.assertEqual(writable, [])
        for function, args in [
                (Party.create, [[{'name': "Nouvelle"}]]),
                (Party.write, [[party], {'name': "Changée"}]),
                (ContactMechanism.create, [[{
                                'party': party.id, 'type': 'email',
                                'value': 'x@example.com'}]]),
                (Party.delete, [[party]]),
                ]:
            with self.assertRaises(AccessError):
                self.run_as(users['ro'], function, *args)
        # a user of the read-only role and of another role keeps the other
        User = pool.get('res.user')
        User.write([users['ro']], {'groups': [('add', [group_id('evt')])]})
        self.run_as(users['ro'], Party.write, [party], {'name': "Changée"})

    @with_transaction()
    def test_salary_not_derivable_by_other_roles(self):
        "No figure seen by a role other than finance depends on a salary"
        pool = Pool()
        Rate = pool.get('concertes.eu.personnel.rate')
        BudgetLine = pool.get('concertes.eu.budget.line')
        company = create_company()
        users = create_users(company)
        models = ['concertes.eu.project', 'concertes.eu.partner',
            'project.work', 'concertes.eu.budget.line',
            'concertes.eu.budget.overview.partner',
            'concertes.eu.budget.overview.work_package',
            'concertes.eu.budget.spending']

        def view(user):
            "Every number the user can read about the projects"
            numbers = {}
            with Transaction().set_user(user.id), check_access(), \
                    Transaction().set_context(company=company.id):
                for name in models:
                    Model = pool.get(name)
                    try:
                        ids = Model.search([])
                    except AccessError:
                        continue
                    names = [n for n, d in Model.fields_get().items()
                        if d['type'] in {'numeric', 'float', 'integer'}]
                    for row in Model.read(list(map(int, ids)), names):
                        numbers[name, row['id']] = row
            for cache in Transaction().cache.values():
                cache.clear()
            return numbers

        with set_company(company):
            project = create_running_project(company)
            package = timesheet_package(project)
            # Marie is alone on the work package
            employee = create_employee(company)
            rate, = Rate.create([{
                        'employee': employee.id, 'year': 2024,
                        'annual_cost': Decimal('60000')}])
            BudgetLine.create([line_values(
                        project, package, 'A', amount=Decimal('50000'))])
            book(employee, package, dt.date(2024, 3, 4), 70)
            before = {k: view(u) for k, u in users.items()}
            Rate.write([rate], {'annual_cost': Decimal('90000')})
            after = {k: view(u) for k, u in users.items()}
        # finance sees the costs change with the salary: the test can tell
        self.assertNotEqual(before['fin'], after['fin'])
        for key in ['proj', 'ro', 'evt', 'gov']:
            with self.subTest(role=key):
                self.assertTrue(before[key] or key in {'evt', 'gov'})
                self.assertEqual(before[key], after[key])

    @with_transaction()
    def test_rule_readonly_published_events_in_reports(self):
        "Read-only users find no unpublished event in statistics or reports"
        pool = Pool()
        Report = pool.get('concertes.activity.report')
        users = create_users()
        create_events(*({
                    'name': name, 'published': pub,
                    'sessions': [('create', [{
                                    'name': "Atelier %s" % name,
                                    'start': dt.datetime(2030, 5, 1, 9),
                                    'end': dt.datetime(2030, 5, 1, 11)}])],
                    } for name, pub in [("Public", True), ("Privé", False)]))
        for name in ['concertes.event.statistic',
                'concertes.event.statistic.session',
                'concertes.event.session']:
            Model = pool.get(name)
            with self.subTest(model=name):
                seen = self.run_as(users['ro'], Model.search, [])
                self.assertEqual(
                    {r.event.name for r in seen}, {"Public"})
        for key, expected in [
                ('ro', ["Public"]), ('evt', ["Public", "Privé"])]:
            # as the annual report and the dashboard make it
            with Transaction().set_user(users[key].id), \
                    without_check_access():
                figures = Report.figures(2030)
            self.assertEqual(
                sorted(e['name'] for e in figures['events']['events']),
                sorted(expected))

    @with_transaction()
    def test_wizards_open_to_their_roles(self):
        "The events team checks people in; governance prints the report-back"
        pool = Pool()
        Event = pool.get('concertes.event')
        Registration = pool.get('concertes.event.registration')
        CheckIn = pool.get('concertes.event.check_in', type='wizard')
        ReportBack = pool.get(
            'concertes.mandate.report_back.print', type='wizard')
        users = create_users()
        # check-in is open on the event's days only: the event is today
        now = dt.datetime.now().replace(microsecond=0)
        event, = Event.create([{
                    'name': "Journée", 'kind': 'conference',
                    'start': now - dt.timedelta(hours=1),
                    'end': now + dt.timedelta(hours=1)}])
        Event.open([event])
        registration, = create_registrations(event, 'ann')
        Registration.register([registration])

        def check_in():
            session_id, _, _ = CheckIn.create()
            CheckIn.execute(session_id, {}, 'start')
            result = CheckIn.execute(session_id, {'start': {
                        'event': event.id,
                        'code': registration.checkin_code}}, 'check')
            CheckIn.delete(session_id)
            return result

        def report_back():
            session_id, _, _ = ReportBack.create()
            result = ReportBack.execute(session_id, {}, 'start')
            ReportBack.delete(session_id)
            return result
        self.run_as(users['evt'], check_in)
        self.assertEqual(Registration(registration.id).state, 'attended')
        self.assertTrue(self.run_as(users['gov'], report_back))
        with self.assertRaises(AccessError):
            self.run_as(users['ro'], check_in)

    # Audit: who changed a membership or a mandate, and when
    @with_transaction()
    def test_audit_history_of_membership(self):
        "Every version of a membership is kept with its author and date"
        pool = Pool()
        Party = pool.get('party.party')
        Membership = pool.get('concertes.membership')
        users = create_users()
        self.assertTrue(Membership._history)
        party, = Party.create([{'name': "SAW-B"}])
        membership, = self.run_as(users['gov'], Membership.create, [{
                    'party': party.id, 'start_date': dt.date(2020, 1, 1)}])
        self.run_as(users['fin'], Membership.write, [membership], {
                'end_date': dt.date(2024, 12, 31)})
        cursor = Transaction().connection.cursor()
        history = Membership.__table_history__()
        cursor.execute(*history.select(
                history.create_uid, history.write_uid, history.end_date,
                where=history.id == membership.id,
                order_by=[Column(history, '__id').asc]))
        rows = cursor.fetchall()
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0][0], users['gov'].id)
        self.assertIsNone(rows[0][2])
        self.assertEqual(rows[1][1], users['fin'].id)
        self.assertEqual(str(rows[1][2]), '2024-12-31')

    @with_transaction()
    def test_audit_history_of_mandate_and_budget_line(self):
        "Mandates and budget lines keep their history"
        pool = Pool()
        for name in ['concertes.mandate', 'concertes.eu.budget.line']:
            Model = pool.get(name)
            self.assertTrue(Model._history, name)
            self.assertTrue(backend.TableHandler.table_exist(
                    Model._table + '__history'), name)
