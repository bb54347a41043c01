# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The demo alive on the day it is built.

The other parts tell 2024 as the activity report does; this one puts on the
team's desk what it would have around today, with dates computed from the
day the demo is built: an event today to check people in at the door, events
open for registration (one full with a waiting list), the fees of the year,
a board held last month with its attendance and the next meetings, a mandate
ending soon, requests to answer, an EU proposal to submit, next month's
newsletter in draft.  It also records the attendance of the meetings held
without one, so that their quorum reads as the report tells it.  Nothing
here is dated in 2024, so the report's figures do not move.
"""
import datetime as dt
from decimal import Decimal

from demo.common import find_or_create, organisation
from demo.events import _event, _sessions, _tickets
from proteus import Model

MEMBER_ORGANISATIONS = ["SAW-B", "Febecoop", "ConcertES", "W.ALTER"]
LANGUAGES = ['fr', 'fr', 'nl', 'fr', 'en']


def _utc(day, hour, minute=0):
    "Brussels local time to the naive UTC datetimes Tryton stores"
    offset = 2 if 4 <= day.month <= 10 else 1
    return dt.datetime.combine(day, dt.time(hour, minute)) - dt.timedelta(
        hours=offset)


def _month(day):
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
        "août", "septembre", "octobre", "novembre", "décembre"]
    return "%s %s" % (months[day.month - 1], day.year)


def _register(event, count, ticket, sessions=()):
    "count placeholder people registered for the event (missing ones only)"
    Registration = Model.get('concertes.event.registration')
    Session = Model.get('concertes.event.session')
    now = dt.datetime.now().replace(microsecond=0)
    existing = len(Registration.find([('event', '=', event.id)]))
    records = []
    for number in range(existing + 1, count + 1):
        registration = Registration(event=event,
            first_name="Participant·e", last_name="%02d" % number,
            email='inscrit%02d.%s@example.org' % (number, event.id),
            organisation_name=MEMBER_ORGANISATIONS[
                number % len(MEMBER_ORGANISATIONS)],
            language=LANGUAGES[number % len(LANGUAGES)],
            ticket=ticket, consent_date=now, consent_version="2024-01")
        registration.sessions.extend(
            [Session(s.id) for s in sessions[:1 + number % 2]])
        records.append(registration)
    if records:
        Registration.save(records)
        Registration.click(records, 'register')
    return records


def _open_event(name, kind, day, hours, capacity, registrants, venue,
        sessions=(), waiting_list=True):
    event, created = _event(name, kind, _utc(day, hours[0]),
        _utc(day, hours[1]), venue=venue, capacity=capacity,
        waiting_list=waiting_list, published=True,
        description="Un événement de la démonstration, daté du jour où "
        "elle a été construite.")
    if event.venue != venue:
        event.venue = venue
        event.save()
    parts = _sessions(event, [
            (s_name, _utc(day, start), _utc(day, end), room, None)
            for s_name, start, end, room in sessions])
    tickets = _tickets(event, [
            ("Participant·e", 'participant', None, True),
            ("Orateur·rice", 'speaker', None, False)])
    if event.state == 'draft':
        event.click('open')
    _register(event, registrants, tickets["Participant·e"],
        sorted(parts.values(), key=lambda s: s.start))
    return event


def events(today):
    venue = organisation("Terre ASBL", organisation_kind='other')
    address = find_or_create('party.address', [
            ('party', '=', venue.id), ('city', '=', "Herstal")],
        party=venue, street="Rue de Milmort 690", postal_code="4040",
        city="Herstal")
    # today: the events team checks people in at the door
    _open_event(
        "Atelier « Financer son projet d'économie sociale » – %s"
        % _month(today), 'training', today, (9, 17), 40, 12, address,
        sessions=[("Accueil et introduction", 9, 10, "Salle A"),
            ("Ateliers : les financeurs", 10, 13, "Salle B")])
    # in three weeks: full, with people waiting
    debate = today + dt.timedelta(days=21)
    _open_event(
        "Rencontre-débat : l'économie sociale et les communes – %s"
        % _month(debate), 'debate', debate, (18, 21), 25, 29, address)
    # next month: registrations coming in
    midi = today + dt.timedelta(days=40)
    _open_event(
        "Midi de l'économie sociale – %s" % _month(midi), 'networking',
        midi, (12, 14), 80, 9, address,
        sessions=[("Lunch et réseautage", 12, 13, "Atrium"),
            ("Présentation : les marchés publics responsables", 13, 14,
                "Auditorium")])


def fees(today):
    "The fees of the year of the members today: most paid, some still due"
    Membership = Model.get('concertes.membership')
    Fee = Model.get('concertes.membership.fee')
    due = dt.date(today.year, 3, 31)
    memberships = Membership.find([
            ('state', '=', 'member'),
            ('start_date', '<=', today),
            ['OR', ('end_date', '=', None), ('end_date', '>=', today)],
            ], order=[('id', 'ASC')])
    for i, membership in enumerate(memberships):
        if Fee.find([
                    ('membership', '=', membership.id),
                    ('year', '=', today.year)]):
            continue
        paid = due - dt.timedelta(days=10) if i % 4 and due < today else None
        Fee(membership=membership, year=today.year,
            amount=Decimal('250.00'), due_date=due, paid_date=paid).save()


def _delegate(party):
    return find_or_create('party.party', [
            ('name', '=', "Délégué·e de %s" % party.name)],
        name="Délégué·e de %s" % party.name)


def attendance(meeting):
    """The attendance of a held meeting: the seats of its body at the date,
    present but for every fifth one, excused"""
    Attendance = Model.get('concertes.meeting.attendance')
    Party = Model.get('party.party')
    BodyMember = Model.get('concertes.body.member')
    Membership = Model.get('concertes.membership')
    if meeting.attendances:
        return
    day = meeting.start.date()
    body = meeting.body
    if body.kind == 'general_assembly':
        seats = [(m.party, None) for m in Membership.find([
                    ('state', 'in', ['member', 'resigned', 'excluded']),
                    ('start_date', '<=', day),
                    ['OR', ('end_date', '=', None), ('end_date', '>=', day)],
                    ])]
    else:
        seats = [(s.organisation, s.representative) for s in BodyMember.find([
                    ('body', '=', body.id),
                    ('role', '!=', 'observer'),
                    ('start_date', '<=', day),
                    ['OR', ('end_date', '=', None), ('end_date', '>=', day)],
                    ])]
    records = []
    seen = set()
    for i, (org, person) in enumerate(seats):
        person = person or _delegate(org)
        if person.id in seen:
            continue
        seen.add(person.id)
        records.append(Attendance(meeting=meeting, person=Party(person.id),
                organisation=Party(org.id) if org else None,
                status='excused' if i % 5 == 4 else 'present'))
    if records:
        Attendance.save(records)


def meetings(today):
    "A board held last month and the next meetings; every held one attended"
    from demo.members import _meeting
    Body = Model.get('concertes.body')
    Meeting = Model.get('concertes.meeting')
    boards = Body.find([('kind', '=', 'board')], limit=1)
    assemblies = Body.find([('kind', '=', 'general_assembly')], limit=1)
    if boards:
        _meeting(boards[0], today - dt.timedelta(days=24), hour=14,
            agenda="Suivi budgétaire, adhésions, événements du trimestre")
        _meeting(boards[0], today + dt.timedelta(days=12), hour=14,
            agenda="Préparation de l'assemblée générale")
    if assemblies:
        _meeting(assemblies[0], today + dt.timedelta(days=45), hour=10,
            agenda="Rapport d'activités, comptes et budget")
    internal = [b.id for b in Body.find([('kind', '!=', 'external')])]
    for meeting in Meeting.find([
                ('state', '=', 'held'),
                ('body', 'in', internal),
                ]):
        attendance(meeting)


def mandates(today):
    "A mandate whose planned end comes next month"
    Mandate = Model.get('concertes.mandate')
    from demo.mandates import external_body, mandate, person
    if Mandate.find([('planned_end_date', '>', today),
                ('planned_end_date', '<=', today + dt.timedelta(days=45))]):
        return
    body = external_body('CCES', "Conseil consultatif de l'économie sociale")
    mandate(body, person("Bénédicte Sohet"),
        today - dt.timedelta(days=3 * 365), today + dt.timedelta(days=30),
        on_behalf_of=organisation("ConcertES"))


def eu_project(company, today):
    """A running project with a deliverable due and its first reporting
    period ending this month (the report due within 90 days), a milestone
    due next month"""
    from demo.eu_projects import (
        _deliverable, _milestone, _partners, _period, _programme, _project,
        _run, _work_packages)
    start = (today.replace(day=1) - dt.timedelta(days=300)).replace(day=1)
    month = (today.year - start.year) * 12 + today.month - start.month + 1
    project = _project(
        company, 'ES-LOCAL',
        title="Social economy in local development",
        programme=_programme('ERASMUS-KA220'),
        coordinator=organisation('ConcertES'), role='coordinator',
        description="Projet de la démonstration, daté du jour où elle a "
        "été construite : un livrable et la première période de rapport "
        "arrivent à échéance ce mois-ci, un jalon le mois prochain.")
    _run(project, start, 24)
    partners = _partners(project, [
            (1, 'ConcertES', 'coordinator', 'BE'),
            (2, 'SAW-B', 'beneficiary', 'BE'),
            ])
    wps = _work_packages(project, [
            (1, "Gestion du projet", 'ConcertES', 1, 24),
            (2, "Cartographie des initiatives locales", 'SAW-B', 1, 24),
            ], partners)
    _deliverable(
        project, 'D1.1', "Plan de gestion du projet", wps[1],
        partners['ConcertES'], 3, 'accepted',
        submission=start + dt.timedelta(days=80),
        acceptance=start + dt.timedelta(days=110))
    _deliverable(
        project, 'D2.1', "Cartographie des initiatives locales", wps[2],
        partners['SAW-B'], month, 'in_progress')
    _milestone(
        project, 'MS1', "Cartographie présentée au comité de pilotage",
        wps[2], month + 1)
    _period(project, 1, 1, month)
    _period(project, 2, month + 1, 24)


def eu_proposal(company, today):
    """BRIDGE resubmitted, as the 2024 report announces: a proposal in
    preparation whose deadline falls in two months"""
    from demo.eu_projects import _partners, _programme, _project
    Project = Model.get('concertes.eu.project')
    bridge, = Project.find([('acronym', '=', 'BRIDGE')])
    deadline = today + dt.timedelta(days=60)
    proposal = _project(
        company, 'BRIDGE-2',
        title=bridge.title, programme=_programme('ERASMUS-COVE'),
        coordinator=bridge.coordinator, role='partner',
        resubmission_of=bridge, deadline=_utc(deadline, 17),
        description="Redépôt de BRIDGE à l'appel Erasmus+ CoVE suivant, "
        "daté du jour où la démonstration a été construite.")
    _partners(proposal, [
            (1, 'Kolding Kommune', 'coordinator', 'DK'),
            (None, 'ConcertES', 'beneficiary', 'BE'),
            (None, "Centre d'Economie Sociale", 'beneficiary', 'BE'),
            ])
    if proposal.state == 'invited':
        proposal.click('prepare')


def requests(today):
    "Two requests open on the desk: one just received, one being handled"
    Request = Model.get('concertes.request')
    for name, kind, age, subject, process in [
            ("SAW-B", 'data', 3, "Nombre d'emplois dans les entreprises "
                "d'économie sociale agréées par province", False),
            ("FEBECOOP", 'speaking', 12, "Intervention sur le rôle des "
                "fédérations à l'assemblée générale", True),
            ]:
        received = today - dt.timedelta(days=age)
        request = find_or_create('concertes.request', [
                ('subject', '=', subject)],
            requester=organisation(name), kind=kind, subject=subject,
            received_date=received,
            due_date=received + dt.timedelta(days=21))
        if process and request.state == 'received':
            Request.click([request], 'process')


def newsletter(today):
    "Next month's issue of the monthly newsletter, in draft from its template"
    Message = Model.get('marketing.email.message')
    List = Model.get('marketing.email.list')
    Template = Model.get('concertes.newsletter.template')
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    title = "Lettre d'information de %s" % _month(next_month)
    if Message.find([('title', '=', title)]):
        return
    monthly, = List.find([('code', '=', 'monthly')])
    template, = Template.find([], limit=1)
    message = Message(template=template)
    message.lists.append(List(monthly.id))
    message.title = title
    message.planned_date = _utc(next_month.replace(day=5), 9)
    message.save()


def close_ended_projects(today):
    "The EU projects whose last month is over are closed"
    Project = Model.get('concertes.eu.project')
    ended = [p for p in Project.find([('state', '=', 'running')])
        if p.end_date and p.end_date < today]
    if ended:
        Project.click(ended, 'close')


def build(config):
    "The part of the demo dated from today"
    today = dt.date.today()
    events(today)
    fees(today)
    meetings(today)
    mandates(today)
    requests(today)
    newsletter(today)
    from demo.eu_projects import _company
    company = _company(config)
    # the back-office shows times in the company's time zone
    if company.timezone != 'Europe/Brussels':
        company.timezone = 'Europe/Brussels'
        company.save()
    with config.set_context(company=company.id):
        eu_project(company, today)
        eu_proposal(company, today)
        close_ended_projects(today)
