# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The mandates part of the demo world: ConcertES's external bodies in 2024,
its mandates, the meetings held and attended, the opinions of the CWES and a
few advocacy files, all from the 2024 activity report.

People are named only where the report names them publicly for the function
(Denis Morrier, president of ConcertES, chairs the CWES); the other seats are
held by placeholders.  The report gives the meetings of the CWES (8), of the
COMES (12) and of the GSEF's Continental Dialogue Europe (quarterly); the
other counts and every day are placeholders.
"""
import datetime as dt

from demo.common import (
    CABINET, CABINET_MORREALE, SPW, date, find_or_create, organisation)
from proteus import Model

YEAR = 2024
TERM = (date(1, 1), date(31, 12, 2027))
DECREE = "Décret wallon du 20 novembre 2008 relatif à l'économie sociale"

# key: name, kind of organisation
ORGANISATIONS = {
    'concertes': ("ConcertES", 'other'),
    'initiatives': ("InitiativES", 'member_federation'),
    'credal': ("CREDAL SC", 'member_federation'),
    'government': ("Gouvernement wallon", 'public_authority'),
    'brussels': ("Gouvernement de la Région de Bruxelles-Capitale",
        'public_authority'),
    'cesw': ("Conseil économique, social et environnemental de Wallonie "
        "(CESE Wallonie)", 'public_authority'),
    'spw': (SPW, 'administration'),
    'walter': ("W.ALTER", 'partner'),
    'ies': ("iES!", 'partner'),
    'adn': ("ADN", 'public_authority'),
    'see': ("Social Economy Europe", 'network'),
    'gsef': ("Global Social Economy Forum (GSEF)", 'network'),
    'commission': ("Commission européenne", 'public_authority'),
    'bee': ("Bruxelles Économie et Emploi", 'administration'),
    'cabinet': (CABINET, 'cabinet'),
    'cabinet_morreale': (CABINET_MORREALE, 'cabinet'),
    'cpas': ("Fédération des CPAS", 'other'),
    'idea': ("IDEA Consult", 'other'),
    }

# code: name, organisation that runs it, level, kind, other values (the
# appointing authority by its key)
BODIES = {
    'CWES': ("Conseil wallon de l'économie sociale", 'cesw', 'wallonia',
        'advisory_council', dict(legal_basis=DECREE + " (art. 4)",
            appointing_authority='government', effective_seats=1)),
    'COMES': ("Commission consultative et d'agrément des entreprises "
        "d'économie sociale", 'spw', 'wallonia', 'accreditation_commission',
        dict(legal_basis=DECREE + " (art. 6)",
            appointing_authority='government', effective_seats=1)),
    'COMAG': ("Commission consultative Entreprises Titres-Services", None,
        'wallonia', 'accreditation_commission',
        dict(appointing_authority='government', effective_seats=1,
            substitute_seats=1)),
    'WALTER-CO': ("Comité d'orientation de W.ALTER", 'walter', 'wallonia',
        'advisory_council', dict(appointing_authority='government',
            description="Analyse les dossiers présentés et rend un avis sur "
            "leur opportunité et leur viabilité économique.")),
    'CCES': ("Conseil consultatif de l'entrepreneuriat social", 'bee',
        'brussels', 'advisory_council', dict(
            legal_basis="Ordonnance bruxelloise du 23 juillet 2018 relative "
            "à l'agrément et au soutien des entreprises sociales",
            appointing_authority='brussels')),
    'IES-CA': ("Conseil d'administration de l'ASBL iES! (incubateur de "
        "l'économie sociale)", 'ies', 'wallonia', 'board', dict(
            description="ConcertES est un des membres fondateurs de iES!, "
            "aux côtés de W.ALTER, et membre de son conseil "
            "d'administration.")),
    'COPIL-AESW': ("Comité de pilotage de la stratégie Alternativ'ES "
        "Wallonia", 'spw', 'wallonia', 'steering_committee', {}),
    'COPIL-HUBS': ("Comité de pilotage des Hubs logistiques", None,
        'wallonia', 'steering_committee', {}),
    'CA-CRC': ("Comité d'accompagnement des comptoirs des ressources "
        "créatives (CRC)", None, 'wallonia', 'monitoring_committee', {}),
    'COPIL-CIU': ("Comité de pilotage du Certificat interuniversitaire en "
        "management des entreprises d'économie sociale", None, 'wallonia',
        'steering_committee', {}),
    'CA-BRASERO': ("Comité d'accompagnement de la mission Brasero, menée "
        "par W.ALTER", 'walter', 'wallonia', 'monitoring_committee', {}),
    'CA-CHAIRES': ("Comité d'accompagnement de la mission déléguée à "
        "W.ALTER à propos des Chaires d'économie sociale", 'walter',
        'wallonia', 'monitoring_committee', {}),
    'CA-CIRCUITS': ("Comité d'accompagnement sur les circuits courts "
        "alimentaires", None, 'wallonia', 'monitoring_committee', {}),
    'CA-IMPACT': ("Comités d'accompagnement et de clôture des 42 bourses "
        "Impact social octroyées par la Région wallonne", 'spw', 'wallonia',
        'monitoring_committee', {}),
    'CA-IES': ("Comité d'accompagnement de l'incubateur iES!", 'ies',
        'wallonia', 'monitoring_committee', {}),
    'COPIL-DIGITALEES': ("Comités d'accompagnement et de pilotage du "
        "projet DigitalEES", 'adn', 'wallonia', 'steering_committee', {}),
    'CA-BOURSES-COOP': ("Comité d'accompagnement des bourses coopératives",
        None, 'wallonia', 'monitoring_committee', {}),
    'COPIL-ESCAP': ("Comité de pilotage du projet ESCAP", None, 'wallonia',
        'steering_committee', {}),
    'COPIL-GENRE': ("Comité de pilotage du projet Genre et économie sociale "
        "porté par Crédal (plan Genre)", 'credal', 'wallonia',
        'steering_committee', {}),
    'SEE-CA': ("Conseil d'administration de Social Economy Europe", 'see',
        'european', 'board', {}),
    'SEE-EB': ("Executive Board de Social Economy Europe", 'see',
        'european', 'board', dict(
            description="Le nouvel organe de direction de Social Economy "
            "Europe issu de la modification de ses statuts et de la refonte "
            "de sa gouvernance en 2024.")),
    'GSEF-SC': ("Steering Committee du Global Social Economy Forum (GSEF)",
        'gsef', 'international', 'board', {}),
    'GSEF-DCE': ("Dialogue continental Europe du Global Social Economy "
        "Forum (GSEF)", 'gsef', 'international', 'network', {}),
    'GECES': ("Groupe d'experts de la Commission sur l'économie sociale et "
        "les entreprises sociales (GECES)", 'commission', 'european',
        'advisory_council', dict(appointing_authority='commission')),
    }

# ConcertES's seats: body code, who sits (a placeholder named after the key,
# but the president), role, start, planned end, meetings held in 2024 and
# which of them ConcertES missed (indexes), notes
SEATS = [
    ('CWES', 'president', 'president', *TERM, 8, [],
        "ConcertES assure, via son président, la présidence du CWES."),
    ('COMES', 'COMES', 'member', *TERM, 12, [], None),
    ('WALTER-CO', 'WALTER', 'member', date(1, 1, 2022), date(31, 12, 2026),
        6, [3],
        "Représentant·es de l'ES désigné·es par le Gouvernement wallon fin "
        "2021, en fonction depuis 2022."),
    ('CCES', 'CCES', 'president', date(1, 11, 2023), date(31, 10, 2027),
        6, [],
        "ConcertES assure la présidence du CCES depuis fin 2023."),
    ('IES-CA', 'IES', 'member', *TERM, 4, [], None),
    ('COPIL-AESW', 'COPIL', 'member', *TERM, 3, [], None),
    ('COPIL-HUBS', 'COPIL', 'member', *TERM, 4, [2], None),
    ('CA-CRC', 'COPIL', 'member', *TERM, 3, [], None),
    ('COPIL-CIU', 'COPIL', 'member', *TERM, 2, [],
        "Le comité se réunit au minimum deux fois par an."),
    ('CA-BRASERO', 'COPIL', 'member', *TERM, 2, [], None),
    ('CA-CHAIRES', 'COPIL', 'member', *TERM, 2, [], None),
    ('CA-CIRCUITS', 'COPIL', 'member', *TERM, 2, [], None),
    ('CA-IMPACT', 'COPIL', 'member', *TERM, 2, [], None),
    ('CA-IES', 'IES', 'member', *TERM, 2, [], None),
    ('COPIL-DIGITALEES', 'COPIL', 'member', *TERM, 2, [], None),
    ('CA-BOURSES-COOP', 'COPIL', 'member', *TERM, 2, [1],
        "ConcertES a pris part aux COMAC quand elle était en mesure d'y "
        "participer."),
    ('COPIL-ESCAP', 'COPIL', 'member', *TERM, 2, [], None),
    ('COPIL-GENRE', 'COPIL', 'member', *TERM, 2, [], None),
    ('SEE-CA', 'SEE', 'member', *TERM, 5, [2],
        "ConcertES a participé activement aux CA et AG de SEE tout au long "
        "de l'année."),
    # elected in June 2024 (the day is a placeholder)
    ('SEE-EB', 'SEE', 'member', date(20, 6), date(19, 6, 2027),
        3, [],
        "ConcertES a été élue membre du nouvel Executive Board en juin "
        "2024."),
    ('GSEF-SC', 'GSEF', 'member', *TERM, 4, [], None),
    # quarterly meetings, co-chaired with the Nouvelle-Aquitaine Region
    ('GSEF-DCE', 'GSEF', 'president', date(1, 11, 2023), date(31, 12, 2027),
        4, [],
        "Depuis novembre 2023, ConcertES assure la co-présidence du "
        "Dialogue continental Europe du GSEF avec la Région "
        "Nouvelle-Aquitaine et co-anime ses réunions trimestrielles."),
    ]
# the months of the meetings that are not spread over the whole year
MEETING_MONTHS = {'SEE-EB': [9, 10, 12], 'GSEF-DCE': [3, 6, 9, 12]}


def person(name):
    return find_or_create('party.party', [('name', '=', name)], name=name)


def general_assembly():
    "ConcertES's general assembly (created by the members part if any)"
    Body = Model.get('concertes.body')
    bodies = Body.find([('kind', '=', 'general_assembly')], limit=1)
    if bodies:
        return bodies[0]
    return find_or_create('concertes.body', [('code', '=', 'AG')],
        code='AG', name="Assemblée générale", kind='general_assembly',
        scope='internal')


def meeting_on(body, day, hour=14, state='held', name=None):
    "The meeting of body on day, created (and held) if missing"
    Meeting = Model.get('concertes.meeting')
    start = dt.datetime.combine(day, dt.time(0))
    meetings = Meeting.find([
            ('body', '=', body.id),
            ('start', '>=', start),
            ('start', '<', start + dt.timedelta(days=1)),
            ], limit=1)
    if meetings:
        return meetings[0]
    meeting = Meeting(body=body, start=start + dt.timedelta(hours=hour))
    if name:
        meeting.name = name
    meeting.save()
    if state == 'held':
        meeting.click('hold')
    return meeting


def attend(meeting, mandate, status='present'):
    return find_or_create('concertes.meeting.attendance', [
            ('meeting', '=', meeting.id),
            ('person', '=', mandate.person.id),
            ], meeting=meeting, person=mandate.person, mandate=mandate,
        organisation=mandate.on_behalf_of, status=status)


def external_body(code, name, **values):
    return find_or_create('concertes.body', [('code', '=', code)],
        code=code, name=name, kind='external', scope='external', **values)


def mandate(body, who, start, end, state='active', **values):
    Mandate = Model.get('concertes.mandate')
    found = Mandate.find([
            ('body', '=', body.id),
            ('person', '=', who.id),
            ('start_date', '=', start),
            ], limit=1)
    if found:
        return found[0]
    record = Mandate(body=body, person=who, start_date=start,
        planned_end_date=end)
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    if state == 'active':
        record.click('appoint')
    elif state == 'not_retained':
        record.click('reject')
    return record


def spread(count, months=None, day=None):
    "count plausible meeting days spread over the year (no August)"
    months = months or [m for m in range(1, 13) if m != 8]
    step = len(months) / count
    days = []
    for i in range(count):
        month = months[int(i * step)]
        days.append(date(day or (9 + 7 * (i % 3)), month))
    return days


def build(config):
    "The mandates part of the demo world"
    parties = {key: organisation(name, organisation_kind=kind)
        for key, (name, kind) in ORGANISATIONS.items()}
    bodies = {}
    for code, (name, runner, level, kind, values) in BODIES.items():
        values = dict(values)
        if 'appointing_authority' in values:
            values['appointing_authority'] = parties[
                values['appointing_authority']]
        bodies[code] = external_body(code, name,
            organisation=parties.get(runner), level=level,
            external_kind=kind, **values)

    # the general assemblies of 2024 (from the members part, else ours)
    assembly = general_assembly()
    Meeting = Model.get('concertes.meeting')
    assemblies = Meeting.find([
            ('body', '=', assembly.id),
            ('state', '!=', 'cancelled'),
            ('start', '>=', dt.datetime(YEAR, 1, 1)),
            ('start', '<', dt.datetime(YEAR + 1, 1, 1)),
            ], order=[('start', 'ASC')])
    if not assemblies:
        assemblies = [
            meeting_on(assembly, date(21, 3), hour=10),
            meeting_on(assembly, date(12, 12), hour=10,
                name="AG du 12 décembre 2024 – retour sur les mandats"),
            ]
    spring_ag = assemblies[0]

    concertes = parties['concertes']
    people = {'president': person("Denis Morrier")}
    cwes_meetings = []
    for (code, holder, role, start, end, count, absences,
            notes) in SEATS:
        if holder not in people:
            people[holder] = person("Représentant·e ConcertES – %s" % holder)
        record = mandate(bodies[code], people[holder], start, end,
            role=role, on_behalf_of=concertes, notes=notes)
        # the meetings of 2024 and who attended for us
        for i, day in enumerate(spread(count, MEETING_MONTHS.get(code))):
            meeting = meeting_on(record.body, day)
            attend(meeting, record,
                status='excused' if i in absences else 'present')
            if code == 'CWES':
                cwes_meetings.append(meeting)

    # COMAG: ConcertES is the substitute of InitiativES's seat and attends
    # in place of the absent effective
    comag = bodies['COMAG']
    m_comag_eff = mandate(comag, person("Représentant·e InitiativES – COMAG"),
        *TERM, on_behalf_of=parties['initiatives'])
    m_comag_sub = mandate(comag, person("Représentant·e ConcertES – COMAG"),
        *TERM, on_behalf_of=concertes, seat_type='substitute',
        effective=m_comag_eff,
        notes="ConcertES a souvent siégé en 2024 vu l'absence du membre "
        "effectif (InitiativES).")
    for i, day in enumerate(spread(10, day=12)):
        meeting = meeting_on(comag, day)
        if i in {0, 4, 9}:
            attend(meeting, m_comag_eff)
        else:
            attend(meeting, m_comag_eff, status='absent')
            attend(meeting, m_comag_sub)

    mandate(bodies['GECES'], people['SEE'], date(1, 10), date(30, 9, 2029),
        state='not_retained', designation=spring_ag, on_behalf_of=concertes,
        notes="Candidature présentée en mai 2024 ; le GECES a retenu Pour "
        "la Solidarité pour la Belgique.")

    opinions = cwes_opinions(bodies['CWES'], parties['government'],
        cwes_meetings)
    advocacy_files(bodies, parties, opinions)


# subject, request date, issue date, index of the CWES meeting of 2024
CWES_OPINIONS = [
    ("Plan de sortie de la pauvreté – réforme du dispositif d'insertion à "
        "l'emploi « articles 60-61 » : avant-projet de décret relatif aux "
        "subventions aux CPAS pour la mise à l'emploi des bénéficiaires du "
        "droit à l'intégration sociale – deuxième lecture",
        date(5, 2), date(19, 3), 1),
    ("Projet d'arrêté du Gouvernement wallon relatif aux subventions aux "
        "CPAS pour la mise à l'emploi (« articles 60-61 ») – première "
        "lecture", date(2, 4), date(14, 5), 3),
    ("Projet d'arrêté du Gouvernement wallon relatif à la gestion des "
        "déchets d'équipements électriques et électroniques (DEEE) et à la "
        "responsabilité élargie des producteurs – première lecture",
        date(6, 5), date(11, 6), 4),
    ("Appel à candidatures 2025-2028 pour la reconnaissance des "
        "organisations représentatives des entreprises d'économie sociale",
        date(1, 10), date(12, 11), 6),
    ]


def cwes_opinions(cwes, government, meetings):
    "The opinions of the CWES in 2024"
    return [find_or_create('concertes.opinion', [
                ('body', '=', cwes.id), ('subject', '=', subject)],
            body=cwes, subject=subject, requested_by=government,
            request_date=request, issue_date=issue, meeting=meetings[index])
        for subject, request, issue, index in CWES_OPINIONS]


# code: name, level, state, start, bodies, contacts (keys of ORGANISATIONS),
# actions (day, kind, description, contact), the CWES opinions it follows
# (indexes in CWES_OPINIONS)
ADVOCACY_FILES = {
    'IDESS': ("IDESS : réforme APE, indexation des subventions, "
        "déménagement social", 'wallonia', 'open', date(1, 1), ['COMES'],
        ['initiatives', 'cabinet', 'spw', 'cpas'], [
            (date(15, 2), 'meeting', "Réunion avec la Direction de "
                "l'économie sociale du SPW sur l'indexation des subventions "
                "des IDESS.", 'spw'),
            (date(23, 10), 'meeting', "Échange avec le Cabinet sur l'impact "
                "de la réforme APE sur les IDESS.", 'cabinet'),
            ], [0, 1]),
    'AC-DECRET': ("Décret Agences-Conseils et son arrêté d'exécution",
        'wallonia', 'open', date(1, 1), ['COMES'],
        ['cabinet_morreale', 'spw'], [
            (date(18, 1), 'meeting', "Réunion mensuelle des "
                "agences-conseils : réforme du décret.", None),
            (date(26, 3), 'letter', "Courrier au Cabinet pour faire aboutir "
                "l'arrêté avant la fin de la législature.",
                'cabinet_morreale'),
            ], []),
    'CRC': ("Comptoirs des ressources créatives : un cadre légal pérenne",
        'wallonia', 'open', date(1, 1), ['CA-CRC'], ['idea', 'spw'], [
            (date(20, 6), 'meeting', "Comité d'accompagnement de l'étude des "
                "CRC menée par IDEA Consult.", 'idea'),
            ], []),
    'COOP-EMPLOI': ("Reconnaissance des coopératives d'emploi (entreprises "
        "partagées)", 'wallonia', 'open', date(1, 9), ['CWES'], ['cabinet'],
        [
            (date(10, 9), 'meeting', "Rencontre avec le Chef de Cabinet du "
                "Ministre Coppieters.", 'cabinet'),
            ], []),
    'TVA6': ("Taux réduit de TVA (6 %) pour le réemploi", 'federal', 'watch',
        date(1, 1), [], [], [
            (date(28, 6), 'note', "Dossier réglé : le gouvernement fédéral a "
                "modifié l'arrêté ; mis en veille.", None),
            ], []),
    }


def advocacy_files(bodies, parties, opinions):
    "A few advocacy files"
    Body = Model.get('concertes.body')
    Party = Model.get('party.party')
    Opinion = Model.get('concertes.opinion')
    for code, (name, level, state, start, body_codes, contacts, actions,
            followed) in ADVOCACY_FILES.items():
        dossier = find_or_create('concertes.dossier', [('code', '=', code)],
            code=code, name=name, level=level, state=state,
            start_date=start)
        if dossier.actions:
            continue
        dossier.bodies.extend([Body(bodies[c].id) for c in body_codes])
        dossier.contacts.extend([Party(parties[k].id) for k in contacts])
        for day, kind, description, contact in actions:
            dossier.actions.new(date=day, kind=kind, description=description,
                contact=parties[contact] if contact else None)
        dossier.opinions.extend([Opinion(opinions[i].id) for i in followed])
        dossier.save()
