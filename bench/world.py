# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""A consistent ConcertES world at a scale factor, loaded through the ORM.

x1 is ConcertES in 2024 (24 member federations, 500 contacts, 20 events,
2,000 registrations, 3 EU projects, 50 mandates, 200 meetings); xk has k
times as much of everything.  Records are created in batches (lists of a few
hundred to a few thousand values per ``create`` call) inside one transaction
per part, committed as the parts complete.
"""
import datetime as dt
import random
import sys
import time
import unicodedata
from decimal import Decimal

# Per unit of scale (x1)
QUANTITIES = {
    'members': 24,
    'organisations': 36,
    'contacts': 500,
    'working_groups': 6,
    'external_bodies': 10,
    'internal_meetings': 50,
    'external_meetings': 150,
    'mandates': 50,
    'events': 20,
    'registrations': 2000,
    'eu_projects': 3,
    'deliverables': 60,
    'timesheet_lines': 5000,
    'employees': 8,
    }
YEAR = 2024
BATCH = 1000
FIRST_NAMES = [
    'Anne', 'Benoît', 'Camille', 'David', 'Élise', 'François', 'Gaëlle',
    'Hugo', 'Inès', 'Jean', 'Karim', 'Laura', 'Marc', 'Nadia', 'Olivier',
    'Pauline', 'Quentin', 'Rachida', 'Sophie', 'Thomas', 'Ursula', 'Vincent',
    'Wendy', 'Xavier', 'Yasmine', 'Zoé', 'Pieter', 'Els', 'Mohamed', 'Fatima',
    ]
LAST_NAMES = [
    'Dubois', 'Lambert', 'Martin', 'Dupont', 'Peeters', 'Janssens', 'Maes',
    'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'Leroy',
    'Renard', 'Lejeune', 'Simon', 'Laurent', 'Denis', 'Michel', 'Lefebvre',
    'Henry', 'François', 'Mathieu', 'Collard', 'Gilson', 'Hermans', 'Bah',
    'El Amrani', 'Nguyen', 'Wathelet', 'Lemaire', 'Massart', 'Thiry',
    ]
SECTORS = [
    'insertion', 'activity_insertion', 'sector', 'development',
    'enterprises', 'transversal']
REGIONS = ['wallonia', 'brussels', 'flanders', 'federal', 'european']
OTHER_KINDS = [
    'partner', 'public_authority', 'cabinet', 'administration', 'university',
    'network', 'enterprise', 'other']
WORDS = [
    'Économie', 'Sociale', 'Solidaire', 'Coopérative', 'Insertion', 'Réseau',
    'Wallon', 'Bruxellois', 'Avenir', 'Transition', 'Circulaire', 'Emploi',
    'Territoire', 'Finance', 'Alternative', 'Agence', 'Conseil', 'Proximité',
    'Recyclage', 'Circuits', 'Courts', 'Formation', 'Innovation', 'Commun',
    ]


def ascii_(text):
    "text in lower-case ASCII letters (for e-mail addresses)"
    text = unicodedata.normalize('NFKD', text.lower())
    return text.encode('ascii', 'ignore').decode()


def quantities(scale):
    return {k: max(1, round(v * scale)) for k, v in QUANTITIES.items()}


def enterprise_number(i):
    "A valid Belgian enterprise number (0xxxxxxxxx) from an integer"
    base = 2000000 + i * 7
    return '0%07d%02d' % (base, 97 - base % 97)


class Progress:
    "A progress bar on stderr"

    def __init__(self, label, total):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.start = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.last = 0
        self.show()

    def add(self, n):
        self.done += n
        self.show()

    def show(self, end=False):
        now = time.monotonic()
        if not end and not self.tty and now - self.last < 5:
            return
        self.last = now
        width = 30
        filled = int(width * min(self.done, self.total) / self.total)
        elapsed = now - self.start
        rate = self.done / elapsed if elapsed else 0
        line = '%-22s [%s%s] %7d/%-7d %6.0f/s %5.1fs' % (
            self.label, '#' * filled, '.' * (width - filled), self.done,
            self.total, rate, elapsed)
        sys.stderr.write(('\r' if self.tty else '') + line
            + ('' if self.tty and not end else '\n'))
        sys.stderr.flush()

    def close(self):
        self.show(end=True)
        if self.tty:
            sys.stderr.write('\n')


def batched(model, vlist, label, size=BATCH):
    "Create vlist in batches and return the records"
    progress = Progress(label, len(vlist))
    records = []
    for i in range(0, len(vlist), size):
        chunk = vlist[i:i + size]
        records.extend(model.create(chunk))
        progress.add(len(chunk))
    progress.close()
    return records


class World:
    "The generator of one database"

    def __init__(self, scale, seed=YEAR):
        self.scale = scale
        self.q = quantities(scale)
        self.rng = random.Random(seed)

    def date(self, start, end):
        days = (end - start).days
        return start + dt.timedelta(days=self.rng.randrange(days + 1))

    def person_name(self):
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def org_name(self, prefix, i):
        words = self.rng.sample(WORDS, 2)
        return '%s %s %s %d' % (prefix, words[0], words[1], i + 1)

    # Parts ------------------------------------------------------------------

    def parts(self):
        return [
            ('company', self.make_company),
            ('members', self.make_members),
            ('bodies', self.make_bodies),
            ('events', self.make_events),
            ('mandates', self.make_mandates),
            ('eu_projects', self.make_eu_projects),
            ]

    def make_company(self, pool):
        Party = pool.get('party.party')
        Company = pool.get('company.company')
        Currency = pool.get('currency.currency')
        User = pool.get('res.user')
        Country = pool.get('country.country')
        currencies = Currency.search([('code', '=', 'EUR')])
        if not currencies:
            currencies = Currency.create([{
                        'name': 'Euro', 'code': 'EUR', 'symbol': '€',
                        'numeric_code': '978', 'rounding': Decimal('0.01'),
                        'digits': 2}])
        self.currency, = currencies
        countries = Country.search([('code', '=', 'BE')])
        if not countries:
            countries = Country.create([{'name': 'Belgique', 'code': 'BE'}])
        self.country, = countries
        party, = Party.create([{
                    'name': 'ConcertES',
                    'organisation_kind': 'other',
                    'regions': ['wallonia', 'brussels'],
                    }])
        self.company, = Company.create([{
                    'party': party.id, 'currency': self.currency.id,
                    'timezone': 'Europe/Brussels'}])
        admin, = User.search([('login', '=', 'admin')])
        User.write([admin], {
                'companies': [('add', [self.company.id])],
                'company': self.company.id})
        self.concertes = party

    def make_members(self, pool):
        Party = pool.get('party.party')
        Membership = pool.get('concertes.membership')
        Fee = pool.get('concertes.membership.fee')
        Identifier = pool.get('party.identifier')
        Mechanism = pool.get('party.contact_mechanism')
        Relation = pool.get('party.relation')
        RelationType = pool.get('party.relation.type')
        ModelData = pool.get('ir.model.data')
        q, rng = self.q, self.rng

        members = [{
                'name': self.org_name('Fédération', i),
                'organisation_kind': 'member_federation',
                'regions': rng.sample(REGIONS[:3], rng.randint(1, 2)),
                'sector_families': rng.sample(SECTORS, 1),
                } for i in range(q['members'])]
        self.members = batched(Party, members, 'member federations')
        # plain values: reading them back from the records would re-read
        # whole batches once the transaction cache has moved on
        self.name_of = {p.id: v['name'] for p, v in zip(self.members, members)}
        others = [{
                'name': self.org_name('Organisation', i),
                'organisation_kind': rng.choice(OTHER_KINDS),
                'regions': rng.sample(REGIONS, 1),
                } for i in range(q['organisations'])]
        self.organisations = batched(Party, others, 'other organisations')
        self.name_of.update(
            (p.id, v['name']) for p, v in zip(self.organisations, others))
        identifiers = [{
                'party': p.id, 'type': 'be_businessid',
                'code': enterprise_number(i),
                } for i, p in enumerate(self.members + self.organisations)]
        batched(Identifier, identifiers, 'enterprise numbers')

        memberships, fees = [], []
        for i, party in enumerate(self.members):
            start = self.date(dt.date(1995, 1, 1), dt.date(YEAR, 6, 30))
            memberships.append({
                    'party': party.id, 'state': 'member',
                    'application_date': start - dt.timedelta(days=60),
                    'start_date': start})
        # some organisations were members once and left
        leavers = max(1, len(self.organisations) // 12)
        for party in self.organisations[:leavers]:
            start = self.date(dt.date(2000, 1, 1), dt.date(2015, 12, 31))
            memberships.append({
                    'party': party.id, 'state': 'resigned',
                    'start_date': start,
                    'end_date': self.date(
                        start + dt.timedelta(days=400), dt.date(YEAR, 12, 1)),
                    'leaving_reason': 'Démission'})
        memberships = batched(Membership, memberships, 'memberships')
        for membership in memberships[:len(self.members)]:
            for year in range(max(membership.start_date.year, YEAR - 2),
                    YEAR + 1):
                fees.append({
                        'membership': membership.id, 'year': year,
                        'amount': Decimal(rng.choice([250, 500, 1000])),
                        'due_date': dt.date(year, 3, 31),
                        'paid_date': dt.date(year, rng.randint(2, 6), 15)
                        if year < YEAR or rng.random() < .8 else None})
        batched(Fee, fees, 'membership fees')

        works_for = RelationType(ModelData.get_id(
                'concertes_members', 'relation_type_works_for'))
        organisations = self.members + self.organisations
        contacts = []
        for i in range(q['contacts']):
            first, last = self.person_name()
            contacts.append({'name': '%s %s' % (first, last)})
        self.contacts = batched(Party, contacts, 'contacts')
        self.name_of.update(
            (p.id, v['name']) for p, v in zip(self.contacts, contacts))
        self.employer = {}
        mechanisms, relations = [], []
        for i, person in enumerate(self.contacts):
            organisation = organisations[i % len(organisations)]
            self.employer[person.id] = organisation
            first, last = self.name_of[person.id].split(' ', 1)
            email = '%s.%s.%d@example.be' % (
                ascii_(first), ascii_(last).replace(' ', '-'), i)
            mechanisms.append({
                    'party': person.id, 'type': 'email', 'value': email})
            relations.append({
                    'from_': person.id, 'to': organisation.id,
                    'type': works_for.id})
        mechanisms = batched(Mechanism, mechanisms, 'e-mail addresses')
        self.email = {m.party.id: m.value for m in mechanisms}
        batched(Relation, relations, 'positions', size=500)

    def make_bodies(self, pool):
        Body = pool.get('concertes.body')
        BodyMember = pool.get('concertes.body.member')
        Meeting = pool.get('concertes.meeting')
        Attendance = pool.get('concertes.meeting.attendance')
        q, rng = self.q, self.rng
        start = dt.date(2010, 1, 1)
        internal = [
            {'code': 'AG', 'name': 'Assemblée générale',
                'kind': 'general_assembly', 'scope': 'internal',
                'state': 'active', 'start_date': start, 'quorum': 50},
            {'code': 'CA', 'name': "Conseil d'administration",
                'kind': 'board', 'scope': 'internal', 'state': 'active',
                'start_date': start, 'quorum': 50},
            ] + [{
                'code': 'GT%d' % (i + 1),
                'name': 'Groupe de travail %s' % rng.choice(WORDS),
                'kind': 'working_group', 'scope': 'internal',
                'state': 'active', 'start_date': start,
                } for i in range(q['working_groups'])]
        self.internal_bodies = batched(Body, internal, 'internal bodies')
        external = [{
                'code': 'EXT%d' % (i + 1),
                'name': 'Commission %s %s' % tuple(rng.sample(WORDS, 2)),
                'kind': 'external', 'scope': 'external', 'state': 'active',
                'start_date': start, 'organisation': rng.choice(
                    self.organisations).id,
                'level': rng.choice(['wallonia', 'brussels', 'federal']),
                } for i in range(q['external_bodies'])]
        self.external_bodies = batched(Body, external, 'external bodies')

        contacts_of = {}
        for person in self.contacts:
            contacts_of.setdefault(
                self.employer[person.id].id, []).append(person)
        seats = []
        ag, ca, *groups = self.internal_bodies
        self.seats = {}
        for i, member in enumerate(self.members):
            people = contacts_of.get(member.id) or self.contacts[:1]
            seat = {'body': ag.id, 'organisation': member.id,
                'representative': people[0].id, 'role': 'member',
                'start_date': start}
            seats.append(seat)
            if i < 12 * max(1, round(self.scale ** .5)):
                seats.append(dict(seat, body=ca.id,
                        role='president' if i == 0 else 'member'))
        for group in groups:
            for member in rng.sample(self.members, min(8, len(self.members))):
                people = contacts_of.get(member.id) or self.contacts[:1]
                seats.append({'body': group.id, 'organisation': member.id,
                        'representative': people[-1].id, 'role': 'member',
                        'start_date': start})
        batched(BodyMember, seats, 'seats')
        for seat in seats:
            self.seats.setdefault(seat['body'], []).append(seat)

        meetings = []
        for i in range(q['internal_meetings']):
            body = ag if i % 10 == 0 else ca if i % 3 == 0 else rng.choice(
                groups or [ca])
            day = self.date(dt.date(YEAR, 1, 8), dt.date(YEAR, 12, 15))
            meetings.append({
                    'body': body.id,
                    'start': dt.datetime.combine(day, dt.time(9, 30)),
                    'end': dt.datetime.combine(day, dt.time(12, 0)),
                    'place': 'Bruxelles', 'state': 'held',
                    'agenda': '1. Approbation du PV\n2. Suivi des dossiers'})
        records = batched(Meeting, meetings, 'internal meetings')
        self.ga_meetings = [m.id for m, v in zip(records, meetings)
            if v['body'] == ag.id]
        attendances = []
        for meeting, values in zip(records, meetings):
            seats = self.seats[values['body']]
            for seat in rng.sample(seats, min(8, len(seats))):
                attendances.append({
                        'meeting': meeting.id,
                        'person': seat['representative'],
                        'organisation': seat['organisation'],
                        'status': rng.choice(
                            ['present'] * 4 + ['excused', 'absent'])})
        batched(Attendance, attendances, 'attendance lines')

    def make_mandates(self, pool):
        Mandate = pool.get('concertes.mandate')
        Meeting = pool.get('concertes.meeting')
        Attendance = pool.get('concertes.meeting.attendance')
        q, rng = self.q, self.rng
        mandates = []
        for i in range(q['mandates']):
            body = self.external_bodies[i % len(self.external_bodies)]
            person = rng.choice(self.contacts)
            start = self.date(dt.date(2020, 7, 1), dt.date(YEAR, 6, 30))
            ended = rng.random() < .3
            mandates.append({
                    'body': body.id, 'person': person.id,
                    'on_behalf_of': self.employer[person.id].id,
                    'role': 'member', 'seat_type': 'effective',
                    'start_date': start,
                    'planned_end_date': start + dt.timedelta(days=5 * 365),
                    'end_date': self.date(start, dt.date(YEAR, 12, 31))
                    if ended else None,
                    'state': 'ended' if ended else 'active',
                    'designation': rng.choice(self.ga_meetings)
                    if self.ga_meetings else None,
                    })
        by_body = {}
        for mandate, values in zip(
                batched(Mandate, mandates, 'mandates'), mandates):
            if values['state'] == 'active':
                by_body.setdefault(values['body'], []).append(
                    dict(values, id=mandate.id))
        meetings = []
        for i in range(q['external_meetings']):
            body = self.external_bodies[i % len(self.external_bodies)]
            day = self.date(dt.date(YEAR, 1, 8), dt.date(YEAR, 12, 15))
            meetings.append({
                    'body': body.id,
                    'start': dt.datetime.combine(day, dt.time(14, 0)),
                    'end': dt.datetime.combine(day, dt.time(16, 0)),
                    'place': 'Namur', 'state': 'held'})
        attendances = []
        for meeting, values in zip(
                batched(Meeting, meetings, 'external meetings'), meetings):
            day = values['start'].date()
            sitting = [m for m in by_body.get(values['body'], [])
                if m['start_date'] <= day <= m['planned_end_date']]
            for mandate in sitting[:3]:
                attendances.append({
                        'meeting': meeting.id, 'person': mandate['person'],
                        'organisation': mandate['on_behalf_of'],
                        'mandate': mandate['id'],
                        'status': rng.choice(['present'] * 3 + ['excused'])})
        batched(Attendance, attendances, 'mandate attendances')

    def make_events(self, pool):
        Event = pool.get('concertes.event')
        Ticket = pool.get('concertes.event.ticket')
        Session = pool.get('concertes.event.session')
        Registration = pool.get('concertes.event.registration')
        q, rng = self.q, self.rng
        kinds = ['conference', 'networking', 'training', 'debate', 'webinar']
        events = []
        n_future = max(1, q['events'] // 10)
        for i in range(q['events']):
            if i < n_future:
                day = self.date(dt.date(2027, 1, 15), dt.date(2027, 12, 15))
            else:
                day = self.date(dt.date(YEAR, 1, 15), dt.date(YEAR, 12, 15))
            start = dt.datetime.combine(day, dt.time(9, 0))
            events.append({
                    'name': '%s %s %d' % (
                        rng.choice(['Rencontre', 'Journée', 'Atelier',
                                'Forum', 'Webinaire']),
                        ' '.join(rng.sample(WORDS, 2)), i + 1),
                    'kind': rng.choice(kinds),
                    'start': start,
                    'end': start + dt.timedelta(hours=8),
                    'capacity': None,
                    'registration_start': start - dt.timedelta(days=400),
                    'registration_end': start - dt.timedelta(days=1),
                    'published': True,
                    'languages': ['fr', 'nl'],
                    'waiting_list': True,
                    'state': 'open',
                    'organisers': [('create', [{
                                    'party': self.concertes.id,
                                    'role': 'organiser'}])],
                    })
        self.events = batched(Event, events, 'events', size=200)
        self.future_events = self.events[:n_future]
        start_of = {e.id: v['start'] for e, v in zip(self.events, events)}
        tickets, sessions = [], []
        for event in self.events:
            start = start_of[event.id]
            tickets.append({'event': event.id, 'name': 'Participant',
                    'category': 'participant', 'public': True})
            tickets.append({'event': event.id, 'name': 'Orateur',
                    'category': 'speaker', 'public': False})
            for half, (a, b) in enumerate([(9, 12), (13, 17)]):
                sessions.append({'event': event.id,
                        'name': 'Matin' if half == 0 else 'Après-midi',
                        'start': start.replace(hour=a),
                        'end': start.replace(hour=b)})
        ticket_of = {}
        for ticket, values in zip(
                batched(Ticket, tickets, 'tickets'), tickets):
            ticket_of.setdefault(values['event'], []).append(ticket.id)
        session_of = {}
        for session, values in zip(
                batched(Session, sessions, 'sessions'), sessions):
            session_of.setdefault(values['event'], []).append(
                (session.id, values['name']))

        per_event = q['registrations'] // len(self.events)
        extra = q['registrations'] - per_event * len(self.events)
        progress = Progress('registrations', q['registrations'])
        pending = []

        def flush():
            Registration.create(pending)
            progress.add(len(pending))
            pending.clear()

        for i, event in enumerate(self.events):
            n = per_event + (1 if i < extra else 0)
            future = i < n_future
            start = start_of[event.id]
            people = rng.sample(self.contacts, min(n, len(self.contacts)))
            for j, person in enumerate(people):
                first, last = self.name_of[person.id].split(' ', 1)
                organisation = self.employer[person.id]
                if future:
                    state = 'confirmed' if rng.random() < .9 else 'cancelled'
                else:
                    state = rng.choice(['attended'] * 7 + ['no_show'] * 2
                        + ['cancelled'])
                pending.append({
                        'event': event.id,
                        'ticket': ticket_of[event.id][0 if j % 20 else 1],
                        'sessions': [('add', [
                                    s for s, name in session_of[event.id]
                                    if j % 3 or name == 'Matin'])],
                        'first_name': first, 'last_name': last,
                        'email': self.email[person.id],
                        'organisation_name': self.name_of[organisation.id],
                        'language': rng.choice(['fr'] * 4 + ['nl']),
                        'consent_date': start - dt.timedelta(days=20),
                        'consent_version': '2024-01',
                        'source': rng.choice(['web'] * 3 + ['back_office']),
                        'state': state,
                        'checkin_time': start + dt.timedelta(
                            minutes=rng.randint(0, 60))
                        if state == 'attended' else None,
                        'party': person.id,
                        'organisation': organisation.id,
                        })
            if len(pending) >= 250:  # the record cache grows faster
                flush()
        if pending:
            flush()
        progress.close()
        past = [e for e in self.events if e not in self.future_events]
        Event.write(past, {'state': 'done'})

    def make_eu_projects(self, pool):
        Programme = pool.get('concertes.eu.programme')
        Project = pool.get('concertes.eu.project')
        Partner = pool.get('concertes.eu.partner')
        Work = pool.get('project.work')
        Deliverable = pool.get('concertes.eu.deliverable')
        Employee = pool.get('company.employee')
        CostPrice = pool.get('company.employee_cost_price')
        Party = pool.get('party.party')
        q, rng = self.q, self.rng
        programmes = Programme.search([])
        staff = batched(Party, [{'name': '%s %s' % self.person_name()}
                for _ in range(q['employees'])], 'staff')
        employees = batched(Employee, [{
                    'party': p.id, 'company': self.company.id,
                    'start_date': dt.date(2015, 1, 1)} for p in staff],
            'employees')
        batched(CostPrice, [{
                    'employee': e.id, 'date': dt.date(2015, 1, 1),
                    'cost_price': Decimal(rng.randint(35, 70))}
                for e in employees], 'cost prices')

        projects = []
        for i in range(q['eu_projects']):
            start = dt.date(rng.choice([2022, 2023, 2024]),
                rng.randint(1, 12), 1)
            projects.append({
                    'company': self.company.id,
                    'acronym': 'PRJ%d-%s' % (i + 1, rng.choice(WORDS)[:4]
                        .upper()),
                    'title': 'Projet %s %s' % tuple(rng.sample(WORDS, 2)),
                    'programme': rng.choice(programmes).id
                    if programmes else None,
                    'role': rng.choice(['coordinator', 'partner', 'partner']),
                    'state': 'running',
                    'grant_agreement': '%d' % (101000000 + i),
                    'start_date': start, 'duration': 36,
                    'currency': self.currency.id,
                    'maximum_grant': Decimal(rng.randint(4, 40) * 50000),
                    })
        self.projects = batched(Project, projects, 'EU projects', size=100)
        partners = []
        for project in self.projects:
            orgs = [self.concertes] + rng.sample(
                self.organisations + self.members, 4)
            for n, party in enumerate(orgs):
                partners.append({
                        'project': project.id, 'number': n + 1,
                        'party': party.id,
                        'short_name': self.name_of.get(
                            party.id, 'ConcertES').split()[-1][:10],
                        'country': self.country.id,
                        'role': 'coordinator' if n == 0 else 'beneficiary'})
        partners = batched(Partner, partners, 'consortium partners')
        partners_of = {}
        for partner in partners:
            partners_of.setdefault(partner.project.id, []).append(partner)
        wps = []
        for project in self.projects:
            for n in range(6):
                wps.append({
                        'eu_project': project.id,
                        'name': 'WP%d %s' % (n + 1, rng.choice(WORDS)),
                        'type': 'task', 'wp_number': n + 1,
                        'wp_lead': partners_of[project.id][n % 5].id,
                        'first_month': 1 + n * 3, 'last_month': 36,
                        'timesheet_available': True,
                        })
        wps = batched(Work, wps, 'work packages', size=300)
        wps_of = {}
        for wp in wps:
            wps_of.setdefault(wp.eu_project.id, []).append(wp)

        self.make_budgets(pool, employees, partners_of, wps_of)

        per_project = q['deliverables'] // len(self.projects)
        deliverables = []
        for project in self.projects:
            for n in range(per_project):
                wp = wps_of[project.id][n % 6]
                deliverables.append({
                        'project': project.id,
                        'number': 'D%d.%d' % (wp.wp_number, n // 6 + 1),
                        'title': 'Livrable %s %s' % tuple(
                            rng.sample(WORDS, 2)),
                        'work_package': wp.id,
                        'lead_partner': wp.wp_lead.id,
                        'due_month': rng.randint(wp.first_month, 36),
                        })
        batched(Deliverable, deliverables, 'deliverables')

        self.make_timesheets(pool, employees, wps, wps_of)

    def make_budgets(self, pool, employees, partners_of, wps_of):
        "Budget lines per partner x work package x category, personnel rates"
        try:
            BudgetLine = pool.get('concertes.eu.budget.line')
            Category = pool.get('concertes.eu.cost.category')
            Rate = pool.get('concertes.eu.personnel.rate')
        except KeyError:
            return  # the budgets are not there yet
        rng = self.rng
        batched(Rate, [{
                    'employee': e.id, 'year': year,
                    'annual_cost': Decimal(rng.randint(45, 90) * 1000)}
                for e in employees for year in range(2022, YEAR + 2)],
            'personnel rates')
        categories = {}
        for category in Category.search([('kind', '!=', 'indirect')]):
            categories.setdefault(category.funding_model, []).append(category)
        lines = []
        for project in self.projects:
            model = (project.programme.funding_model
                if project.programme else 'actual_costs')
            chosen = categories.get(model, [])[:2]
            for partner in partners_of[project.id]:
                for wp in wps_of[project.id]:
                    for category in chosen:
                        lines.append({
                                'project': project.id, 'version': 'granted',
                                'partner': partner.id,
                                'work_package': wp.id,
                                'category': category.id,
                                'amount': Decimal(rng.randint(2, 40) * 1000),
                                })
        batched(BudgetLine, lines, 'budget lines')

    def make_timesheets(self, pool, employees, wps, wps_of):
        Line = pool.get('timesheet.line')
        q, rng = self.q, self.rng
        timesheet_work, code = {}, {}
        for wp in wps:
            timesheet_work[wp.id] = wp.timesheet_works[0].id
            code[wp.id] = wp.name.split()[0]
        per_project = q['timesheet_lines'] // len(self.projects)
        today = dt.date(YEAR, 12, 31)
        lines = []
        for project in self.projects:
            first = project.start_date
            for n in range(per_project):
                wp = wps_of[project.id][n % 6]
                lines.append({
                        'company': self.company.id,
                        'employee': employees[n % len(employees)].id,
                        'work': timesheet_work[wp.id],
                        'date': self.date(first, max(first, today)),
                        'duration': dt.timedelta(
                            minutes=30 * rng.randint(1, 14)),
                        'description': 'Travail sur le %s' % code[wp.id],
                        })
        # Entered day by day, as the team does: Tryton validates the
        # domains of a batch once per distinct date
        lines.sort(key=lambda l: l['date'])
        batched(Line, lines, 'timesheet lines', size=2000)


def generate(database, scale, seed=YEAR):
    "Fill database (made by tools/setup_db.py) with the world at scale"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    world = World(scale, seed=seed)
    pool = Pool(database)
    pool.init()
    start = time.monotonic()
    with Transaction().start(database, 0, context={
                'language': 'fr', 'active_test': False}) as transaction:
        for name, part in world.parts():
            t0 = time.monotonic()
            with transaction.set_context(company=getattr(
                        world, 'company', None) and world.company.id):
                part(pool)
            transaction.commit()
            print('generate: %s done in %.1fs' % (
                    name, time.monotonic() - t0), file=sys.stderr, flush=True)
    print('generate: x%s in %.1fs' % (scale, time.monotonic() - start),
        file=sys.stderr, flush=True)
    return world.q
