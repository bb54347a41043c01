# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The events part of the demo world, from the 2024 activity report.

What the report states is reproduced as it is: InspirES in Namur on
13 November 2024 co-organised with W.ALTER; the European meeting « L'économie
sociale au cœur des transitions » on 12 and 13 February 2024 at the Palais
des Congrès de Liège (more than 600 participants a day, a ministerial
conference in parallel, with the CIRIEC and WBI); the 2024 Social Economy
Award ceremony at hub.brussels; the two « Rencontre et débat autour de
l'économie sociale » of May 2024, at Terre ASBL and at the Circularium; and
the two events ConcertES organised for the baSE project (a morning of
exchanges on skills, trainings and job profiles on 23 January 2024, a round
table on the course catalogue in September 2024); and the team's
interventions at events of others (section 4.7).
What it does not state (hours, rooms, capacities, the exact days of the
award, of the debates and of the September round table, the place of the
baSE events, who registered) is a plausible placeholder, and
the people are placeholders (« Participant·e 01 »).
"""
import datetime as dt
import logging

from demo.common import CABINET_MORREALE, PLS, find_or_create, organisation
from proteus import Model

# Registrations saved and registered at once, as the desk does for a list
# (registering links each person to a party one by one: a batch of a few
# dozens keeps that linear)
BATCH = 60

# The demo has no mail server: the e-mails are kept in ir.email only
logging.getLogger('trytond.sendmail').setLevel(logging.CRITICAL)


def _utc(year, month, day, hour, minute=0):
    "Brussels local time to the naive UTC datetimes Tryton stores"
    offset = 2 if 4 <= month <= 10 else 1
    return dt.datetime(year, month, day, hour, minute) - dt.timedelta(
        hours=offset)


def _venue(name, street, postal_code, city, kind='other'):
    """The address of the place: the party's own, filled in (a party is
    created with an empty address)"""
    party = organisation(name, organisation_kind=kind)
    address = find_or_create('party.address', [('party', '=', party.id)],
        party=party)
    if not address.city:
        address.street = street
        address.postal_code = postal_code
        address.city = city
        address.save()
    return address


def _event(name, kind, start, end, venue=None, **values):
    Event = Model.get('concertes.event')
    events = Event.find([('name', '=', name)], limit=1)
    if events:
        return events[0], False
    event = Event(name=name, kind=kind, start=start, end=end, venue=venue)
    for key, value in values.items():
        setattr(event, key, value)
    event.save()
    return event, True


def _organisers(event, parties):
    for party, role in parties:
        if not any(o.party == party for o in event.organisers):
            event.organisers.new(party=party, role=role)
    event.save()


def _sessions(event, sessions):
    names = {s.name for s in event.sessions}
    for name, start, end, room, capacity in sessions:
        if name not in names:
            event.sessions.new(name=name, start=start, end=end, room=room,
                capacity=capacity)
    event.save()
    return {s.name: s for s in event.sessions}


def _tickets(event, tickets):
    names = {t.name for t in event.tickets}
    for name, category, capacity, public in tickets:
        if name not in names:
            event.tickets.new(name=name, category=category,
                capacity=capacity, public=public)
    event.save()
    return {t.name: t for t in event.tickets}


def _registrations(event, people, tickets, sessions):
    """Register the placeholder people: (number, organisation, ticket name,
    session names, diet, language, outcome) where outcome is 'attended',
    'no_show', 'cancelled' or None (stays as registered)

    The registrations are saved and registered in batches, as the
    registration desk does for a list; once the event is done nobody can
    register any more and nothing is added."""
    Registration = Model.get('concertes.event.registration')
    Session = Model.get('concertes.event.session')
    if event.state not in {'draft', 'open', 'closed'}:
        return []
    emails = {
        'participant%02d.%s@example.org' % (person[0], event.id): person
        for person in people}
    existing = {r.email for r in Registration.find([
                ('event', '=', event.id),
                ('email', 'in', list(emails)),
                ])}
    created = []
    for email, person in emails.items():
        if email in existing:
            continue
        number, org, ticket, picked, diet, language, outcome = person
        registration = Registration(event=event,
            first_name="Participant·e", last_name="%02d" % number,
            email=email, organisation_name=org, language=language,
            diet=diet, ticket=tickets[ticket],
            consent_date=event.start - dt.timedelta(days=20),
            consent_version="2024-01")
        registration.sessions.extend(
            [Session(sessions[name].id) for name in picked])
        created.append((registration, outcome))
    records = [r for r, _ in created]
    for i in range(0, len(records), BATCH):
        batch = records[i:i + BATCH]
        Registration.save(batch)
        Registration.click(batch, 'register')
    return created


def _close(event, created):
    "The day came: people checked in, the others are no-shows"
    Registration = Model.get('concertes.event.registration')
    Registration.click(
        [r for r, outcome in created if outcome == 'cancelled'], 'cancel')
    Registration.click(Registration.find([
                ('id', 'in', [
                        r.id for r, outcome in created
                        if outcome == 'attended']),
                ('state', '=', 'confirmed'),
                ]), 'check_in')
    event.reload()
    if event.state in {'open', 'closed'}:
        event.click('do')


def _people(count, organisations, tickets, picks, diets, outcomes,
        languages=('fr',)):
    return [(i + 1, organisations[i % len(organisations)],
            tickets[i % len(tickets)], picks[i % len(picks)],
            diets[i % len(diets)], languages[i % len(languages)],
            outcomes[i % len(outcomes)]) for i in range(count)]


def inspires(concertes, walter):
    venue = _venue("Namur (lieu de la journée InspirES)", None, '5000',
        'Namur')
    event, created = _event("InspirES 2024", 'networking',
        _utc(2024, 11, 13, 9), _utc(2024, 11, 13, 17), venue,
        capacity=200, waiting_list=True, published=True,
        languages=['fr'],
        registration_start=_utc(2024, 9, 16, 9),
        registration_end=_utc(2024, 11, 8, 12),
        description="Une journée d'inspiration à destination des acteurs "
        "et entreprises d'économie sociale, co-organisée par ConcertES et "
        "W.ALTER.")
    _organisers(event, [(concertes, 'organiser'), (walter, 'co_organiser')])
    sessions = _sessions(event, [
            ("Plénière d'ouverture", _utc(2024, 11, 13, 9),
                _utc(2024, 11, 13, 10, 30), "Grande salle", 200),
            ("Ateliers d'inspiration", _utc(2024, 11, 13, 11),
                _utc(2024, 11, 13, 12, 30), "Salles d'ateliers", 120),
            ("Lunch", _utc(2024, 11, 13, 12, 30),
                _utc(2024, 11, 13, 13, 30), "Foyer", 200),
            ("Table ronde de clôture", _utc(2024, 11, 13, 15, 30),
                _utc(2024, 11, 13, 17), "Grande salle", 200),
            ])
    tickets = _tickets(event, [
            ("Participant·e", 'participant', None, True),
            ("Intervenant·e", 'speaker', 10, False),
            ("Presse", 'press', 10, True),
            ])
    if created:
        event.click('open')
    all_day = list(sessions)
    people = _people(16,
        ["SAW-B", "FEBECOOP", "Terre ASBL", "CREDAL SC", "Fedicoop",
            "RESSOURCES", None, "UNIPSO"],
        ["Participant·e"] * 5 + ["Presse"],
        [all_day, all_day[:3], [all_day[0], all_day[3]]],
        [None, 'vegetarian', None, 'vegan', None, 'gluten_free'],
        ['attended', 'attended', 'attended', 'no_show', 'attended',
            'cancelled'])
    _close(event, _registrations(event, people, tickets, sessions))
    return event


# Who came to Liège: the organisations of the placeholder participants
LIEGE_ORGANISATIONS = [
    "SAW-B", "Social Economy Europe", "REVES", "Diesis", "FeBISP",
    "UCLouvain", "Euricse", "Solidaris Wallonie", None, "FEBECOOP",
    "CIRIEC", "ESS France", "CREDAL SC", PLS, "ULiège",
    "W.ALTER", "Unessa", "RESSOURCES", None, "Commission européenne",
    "Verso", "Mondragon Unibertsitatea", "COOPCITY", "ULB", "Financité",
    "IWEPS", "Symplexis", "EWETA", "Fedicoop", "Kolding Kommune", None,
    ]


def liege(concertes, ciriec, wbi, cabinet):
    venue = _venue("Palais des Congrès de Liège", "Esplanade de l'Europe 2",
        '4020', 'Liège')
    event, created = _event(
        "L'Économie sociale au cœur des transitions", 'conference',
        _utc(2024, 2, 12, 9), _utc(2024, 2, 13, 18), venue,
        capacity=1300, waiting_list=True, published=True,
        languages=['fr', 'nl', 'en'],
        registration_start=_utc(2023, 12, 1, 9),
        registration_end=_utc(2024, 2, 9, 12),
        description="Rencontre européenne organisée dans le cadre de la "
        "Présidence belge du Conseil de l'Union européenne, en parallèle "
        "de la conférence des ministres en charge de l'économie sociale "
        "qui a abouti à la Feuille de route de Liège. Plus de 600 "
        "participants par jour.")
    _organisers(event, [(cabinet, 'organiser'), (ciriec, 'co_organiser'),
            (wbi, 'co_organiser'), (concertes, 'partner')])
    sessions = _sessions(event, [
            ("Jour 1 : plénières et ateliers", _utc(2024, 2, 12, 9),
                _utc(2024, 2, 12, 17, 30), "Salle de la Meuse", 650),
            ("Drink de réseautage", _utc(2024, 2, 12, 17, 30),
                _utc(2024, 2, 12, 19, 30), "Foyer", 500),
            ("Jour 2 : plénières", _utc(2024, 2, 13, 9),
                _utc(2024, 2, 13, 12, 30), "Salle de la Meuse", 650),
            ("Visites d'entreprises d'économie sociale",
                _utc(2024, 2, 13, 13, 30), _utc(2024, 2, 13, 17, 30),
                "Départ en car devant le Palais", 120),
            ("Village des stands", _utc(2024, 2, 13, 13, 30),
                _utc(2024, 2, 13, 18), "Hall d'exposition", 650),
            ])
    tickets = _tickets(event, [
            ("Participant·e", 'participant', None, True),
            ("Exposant·e du village", 'exhibitor', 60, False),
            ("Intervenant·e", 'speaker', 80, False),
            ("Presse", 'press', 40, True),
            ("Comité d'inscription", 'staff', 20, False),
            ])
    if created:
        event.click('open')
    day1, drink, day2, visits, village = list(sessions)
    # More than 600 participants a day: 720 registrations (placeholders),
    # 648 for each day's plenaries, 2 % cancelled and 4 % no-shows
    people = _people(720, LIEGE_ORGANISATIONS,
        ["Participant·e"] * 39 + ["Exposant·e du village"] * 2
        + ["Intervenant·e"] * 4 + ["Presse"] * 2 + ["Comité d'inscription"],
        [[day1, drink, day2, visits]] * 2
        + [[day1, drink, day2, village]] * 6
        + [[day1, drink, day2]] * 3 + [[day1, day2, village]] * 3
        + [[day1, day2]] * 3
        + [[day1, drink], [day2, village], [village]],
        [None, None, 'vegetarian', None, 'halal', 'vegan', None],
        (['attended'] * 12 + ['no_show'] + ['attended'] * 11) * 2
        + ['attended', 'cancelled'],
        languages=('fr',) * 5 + ('nl',) * 2 + ('en',) * 3)
    _close(event, _registrations(event, people, tickets, sessions))
    return event


def _day(month, day, hour, minute=0):
    return _utc(2024, month, day, hour, minute)


# The smaller events of 2024, each: name, kind, start, end, venue (name,
# street, postal code, city, kind of organisation) or None where the report
# names no place, other values, organisers (name, role), sessions (name,
# start, end, room, capacity), tickets (name, category, capacity, public)
# and the placeholder people: count, organisations, tickets, sessions picked
# (indexes), diets, outcomes, languages
DEBATE = ("Événement politico-médiatique à la veille des élections de juin "
    "2024 : visite, questions aux candidat·es filmées, quizz-débat sur les "
    "mémorandums de ConcertES et de RESSOURCES, réseautage.")
DEBATE_TICKETS = [
    ("Participant·e", 'participant', None, True),
    ("Candidat·e aux élections", 'speaker', 8, False),
    ("Presse", 'press', 10, True),
    ]
DEBATE_PEOPLE = (8, ["RESSOURCES", "SAW-B", "Terre ASBL", "EWETA", None],
    ["Participant·e", "Participant·e", "Candidat·e aux élections"],
    [[0, 1, 2], [1, 2]], [None, None, 'vegetarian'],
    ['attended', 'attended', 'no_show', 'attended'], ('fr',))
PARTICIPANT = [("Participant·e", 'participant', None, True)]
SMALL_EVENTS = [
    # baSE: morning of exchanges on 23 January 2024 (hours: placeholders)
    ("Matinée d'échanges : compétences, formations et profils métier de "
        "l'économie sociale (projet baSE)", 'other',
        _day(1, 23, 9), _day(1, 23, 12, 30), None, dict(
            capacity=40, languages=['fr'],
            description="Organisée par ConcertES dans le cadre du projet "
            "Erasmus+ baSE (lieu : non publié dans le rapport)."),
        [("ConcertES", 'organiser')], [
            ("Matinée d'échanges", _day(1, 23, 9), _day(1, 23, 12, 30),
                None, 40),
            ], PARTICIPANT,
        (12, ["FOREM", "SAW-B", "CREDAL SC", "InitiativES", "UCLouvain",
            "EWETA"], ["Participant·e"], [[0]], [None],
            ['attended', 'attended', 'attended', 'no_show'], ('fr',))),
    ("Rencontre et débat autour de l'économie sociale (Wallonie)", 'debate',
        _day(5, 14, 14), _day(5, 14, 19),
        ("Terre ASBL", "Rue de Milmort 690", '4040', 'Herstal', 'enterprise'),
        dict(capacity=80, languages=['fr'], description=DEBATE),
        [("ConcertES", 'organiser'), ("RESSOURCES", 'co_organiser')], [
            ("Visite du centre de tri de Terre", _day(5, 14, 14),
                _day(5, 14, 15, 30), None, 40),
            ("Quizz-débat avec les candidat·es", _day(5, 14, 16),
                _day(5, 14, 17, 30), None, 80),
            ("Réseautage", _day(5, 14, 17, 30), _day(5, 14, 19), None, 80),
            ], DEBATE_TICKETS, DEBATE_PEOPLE),
    ("Rencontre et débat autour de l'économie sociale (Bruxelles)", 'debate',
        _day(5, 28, 14), _day(5, 28, 19),
        ("Circularium", "Rue Ropsy-Chaudron 7", '1070', 'Anderlecht',
            'other'),
        dict(capacity=80, languages=['fr'], description=DEBATE),
        [("ConcertES", 'organiser'), ("RESSOURCES", 'co_organiser')], [
            ("Visite des entreprises du Circularium (Pro Velo, "
                "Bati-Terre…)", _day(5, 28, 14), _day(5, 28, 15, 30), None,
                40),
            ("Quizz-débat avec les candidat·es", _day(5, 28, 16),
                _day(5, 28, 17, 30), None, 80),
            ("Réseautage", _day(5, 28, 17, 30), _day(5, 28, 19), None, 80),
            ], DEBATE_TICKETS, DEBATE_PEOPLE),
    # baSE: round table in September 2024 (day and hours: placeholders)
    ("Table ronde sur le catalogue de cours du projet baSE", 'debate',
        _day(9, 19, 14), _day(9, 19, 17), None, dict(
            capacity=30, languages=['fr'],
            description="Organisée par ConcertES autour du catalogue de 29 "
            "formations du projet Erasmus+ baSE (lieu : non publié dans le "
            "rapport)."),
        [("ConcertES", 'organiser')], [
            ("Table ronde", _day(9, 19, 14), _day(9, 19, 17), None, 30),
            ], PARTICIPANT,
        (10, ["FOREM", "SAW-B", "FEBECOOP", "ULiège", "Fecoopem"],
            ["Participant·e"], [[0]], [None],
            ['attended', 'attended', 'attended', 'attended', 'no_show'],
            ('fr',))),
    # The report gives no day: placeholder in the autumn of 2024
    ("Prix de l'économie sociale 2024 : remise des prix", 'award',
        _day(10, 17, 18), _day(10, 17, 21),
        ("hub.brussels", "Chaussée de Charleroi 110", '1060', 'Bruxelles',
            'public_authority'),
        dict(capacity=150, languages=['fr', 'nl'],
            description="La remise des prix de l'édition 2024, organisée en "
            "Région de Bruxelles-Capitale, chez hub.brussels. ConcertES "
            "partage la vice-présidence du Prix avec Step Entreprendre."),
        [("Asbl Prix de l'économie sociale", 'organiser'),
            ("ConcertES", 'co_organiser'),
            ("Step Entreprendre", 'co_organiser')], [
            ("Cérémonie", _day(10, 17, 18), _day(10, 17, 19, 30),
                "Auditorium", 150),
            ("Cocktail", _day(10, 17, 19, 30), _day(10, 17, 21), "Atrium",
                150),
            ], [
            ("Invité·e", 'guest', None, True),
            ("Lauréat·e", 'guest', 30, False),
            ("Presse", 'press', 15, True),
            ],
        (10, ["Step Entreprendre", "COOPCITY", "Febrap", "Bruxeo", None],
            ["Invité·e", "Invité·e", "Lauréat·e", "Presse"], [[0, 1], [0]],
            [None, 'vegetarian'], ['attended', 'attended', 'no_show',
                'attended'], ('fr', 'nl'))),
    ]


def small_event(name, kind, start, end, venue, values, organisers,
        sessions, tickets, people):
    "One of SMALL_EVENTS, with its placeholder people"
    if venue:
        *address, kind_of_venue = venue
        venue = _venue(*address, kind=kind_of_venue)
    event, created = _event(name, kind, start, end, venue,
        waiting_list=True, published=True, **values)
    _organisers(event, [
            (organisation(party), role) for party, role in organisers])
    sessions = _sessions(event, sessions)
    tickets = _tickets(event, tickets)
    if created:
        event.click('open')
    names = list(sessions)
    count, organisations, ticket_names, picks, diets, outcomes, languages = (
        people)
    people = _people(count, organisations, ticket_names,
        [[names[i] for i in pick] for pick in picks], diets, outcomes,
        languages=languages)
    _close(event, _registrations(event, people, tickets, sessions))
    return event


INTERVENTIONS = [
    # (date, end date, event, kind, organiser, topic, audience, place)
    (dt.date(2024, 1, 25), None, "Forum National de l'ESS", 'conference',
        "ESS France", "Les enjeux internationaux de l'ESS (date du forum de "
        "janvier : à confirmer)", "Acteurs de l'ESS français", "Niort"),
    (dt.date(2024, 2, 12), None, "Conférence « L'ES au cœur des "
        "transitions »", 'presentation', "WBI",
        "Présentation du Plan de Communication de l'ES wallonne",
        "Participants européens de la Rencontre", "Liège"),
    (dt.date(2024, 4, 15), None, "Lancement du guide « Measurement and "
        "Management of Social Impact »", 'presentation', "OCDE",
        "Les projets VISES, Denis et ValorisES",
        "Décideurs publics et réseaux européens", None),
    (dt.date(2024, 5, 2), None, "Débat « Quelle Europe sociale "
        "voulons-nous ? »", 'debate', PLS,
        "L'économie sociale dans l'Europe sociale, avec d'autres acteurs ES "
        "européens", "Acteurs européens de l'économie sociale", "Bruxelles"),
    (dt.date(2024, 5, 15), dt.date(2024, 5, 17),
        "Conférence annuelle du Réseau REVES", 'conference', "REVES",
        "La coopération entre les acteurs de l'ES et les pouvoirs locaux",
        "Membres du réseau REVES", None),
    (dt.date(2024, 11, 13), None, "InspirES", 'round_table', "W.ALTER",
        "Table ronde de clôture en présence du Ministre Coppieters, "
        "d'Eva Smets, Directrice d'Oxfam, et d'Antoine Detourné, Délégué "
        "général d'ESS France", "Acteurs et entreprises d'économie sociale",
        "Namur"),
    (dt.date(2024, 6, 1), None, "Assises de Solidaris", 'round_table',
        "Solidaris Wallonie", "Table ronde (date : à confirmer)",
        "Mutualistes et partenaires", None),
    (dt.date(2024, 3, 1), None, "Soirée de clôture DigitalEES",
        'presentation', "ADN", "L'économie sociale et le numérique (date : à "
        "confirmer)", "Participant·es du programme DigitalEES", None),
    (dt.date(2024, 3, 20), None, "Présentation au Parlement de Wallonie",
        'presentation', None, "L'économie sociale présentée à des "
        "étudiant·es HELmo à la demande d'une députée wallonne (date : à "
        "confirmer)", "Étudiant·es HELmo", "Namur"),
    (dt.date(2024, 10, 15), None, "Certificat inter-universitaire en "
        "économie sociale", 'course', "UCLouvain",
        "Périmètre statistique et chiffres de l'Observatoire (date : à "
        "confirmer)", "Étudiant·es du certificat (UCL et ULG)", None),
    ]


def interventions():
    for (date, end_date, event_name, kind, organiser_name, topic, audience,
            place) in INTERVENTIONS:
        organiser = organisation(organiser_name) if organiser_name else None
        find_or_create('concertes.event.intervention', [
                ('date', '=', date), ('event_name', '=', event_name)],
            date=date, end_date=end_date, event_name=event_name, kind=kind,
            organiser=organiser, topic=topic, audience=audience, place=place)


def build(config):
    "The events part of the demo world"
    concertes = organisation('ConcertES', organisation_kind='other')
    walter = organisation('W.ALTER', organisation_kind='public_authority')
    ciriec = organisation('CIRIEC', organisation_kind='university')
    wbi = organisation('WBI', organisation_kind='administration')
    # February 2024: the cabinet of the minister before the June elections
    cabinet = organisation(CABINET_MORREALE, organisation_kind='cabinet')
    organisation('Step Entreprendre', organisation_kind='member_federation')
    organisation('RESSOURCES', organisation_kind='member_federation')
    organisation("Asbl Prix de l'économie sociale",
        organisation_kind='partner')
    events = [liege(concertes, ciriec, wbi, cabinet)]
    events += [small_event(*spec) for spec in SMALL_EVENTS]
    events.append(inspires(concertes, walter))
    interventions()
    Statistic = Model.get('concertes.event.statistic')
    for statistic in Statistic.find(
            [('event', 'in', [e.id for e in events])],
            order=[('start', 'ASC')]):
        print("demo: %s: %s registered, %s attended, %s no-shows" % (
                statistic.event.name, statistic.registered,
                statistic.attended, statistic.no_show))
