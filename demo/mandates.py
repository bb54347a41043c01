# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The mandates part of the demo world: ConcertES's external bodies in 2024,
its mandates, the meetings held and attended, the opinions of the CWES and a
few advocacy files, all from the 2024 activity report.

People are named only where the report names them publicly for the function
(Denis Morrier, president of ConcertES, chairs the CWES); the other seats are
held by placeholders.
"""
import datetime as dt

from demo.common import date, find_or_create, organisation
from proteus import Model

YEAR = 2024
TERM = (date(1, 1), date(31, 12, 2027))


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
    concertes = organisation("ConcertES", organisation_kind='other')
    initiatives = organisation(
        "InitiativES", organisation_kind='member_federation')
    government = organisation(
        "Gouvernement wallon", organisation_kind='public_authority')
    brussels = organisation(
        "Gouvernement de la Région de Bruxelles-Capitale",
        organisation_kind='public_authority')
    cesw = organisation(
        "Conseil économique, social et environnemental de Wallonie (CESE "
        "Wallonie)", organisation_kind='public_authority')
    spw = organisation(
        "SPW Économie, Emploi, Recherche – Direction de l'Économie sociale",
        organisation_kind='administration')
    walter = organisation("W.ALTER", organisation_kind='partner')
    see = organisation("Social Economy Europe", organisation_kind='network')
    gsef = organisation(
        "Global Social Economy Forum (GSEF)", organisation_kind='network')
    commission = organisation(
        "Commission européenne", organisation_kind='public_authority')
    bee = organisation(
        "Bruxelles Économie et Emploi", organisation_kind='administration')
    cabinet = organisation(
        "Cabinet du Ministre wallon de l'Économie sociale (M. "
        "Coppieters)", organisation_kind='cabinet')
    cabinet_morreale = organisation(
        "Cabinet de la Ministre Christie Morreale",
        organisation_kind='cabinet')
    cpas = organisation("Fédération des CPAS", organisation_kind='other')
    idea = organisation("IDEA Consult", organisation_kind='other')

    president = person("Denis Morrier")
    rep = {code: person("Représentant·e ConcertES – %s" % code)
        for code in [
                'COMES', 'COMAG', 'WALTER', 'CCES', 'COPIL', 'SEE', 'GSEF']}
    initiatives_rep = person("Représentant·e InitiativES – COMAG")

    decree = ("Décret wallon du 20 novembre 2008 relatif à l'économie "
        "sociale")
    cwes = external_body(
        'CWES', "Conseil wallon de l'économie sociale",
        organisation=cesw, level='wallonia',
        external_kind='advisory_council', legal_basis=decree + " (art. 4)",
        appointing_authority=government, effective_seats=1)
    comes = external_body(
        'COMES', "Commission consultative et d'agrément des entreprises "
        "d'économie sociale", organisation=spw, level='wallonia',
        external_kind='accreditation_commission',
        legal_basis=decree + " (art. 6)", appointing_authority=government,
        effective_seats=1)
    comag = external_body(
        'COMAG', "Commission consultative Entreprises Titres-Services",
        level='wallonia', external_kind='accreditation_commission',
        appointing_authority=government, effective_seats=1,
        substitute_seats=1)
    walter_co = external_body(
        'WALTER-CO', "Comité d'orientation de W.ALTER", organisation=walter,
        level='wallonia', external_kind='advisory_council',
        appointing_authority=government,
        description="Analyse les dossiers présentés et rend un avis sur "
        "leur opportunité et leur viabilité économique.")
    cces = external_body(
        'CCES', "Conseil consultatif de l'entrepreneuriat social",
        organisation=bee, level='brussels',
        external_kind='advisory_council',
        legal_basis="Ordonnance bruxelloise du 23 juillet 2018 relative à "
        "l'agrément et au soutien des entreprises sociales",
        appointing_authority=brussels)
    copil_aesw = external_body(
        'COPIL-AESW', "Comité de pilotage de la stratégie Alternativ'ES "
        "Wallonia", organisation=spw, level='wallonia',
        external_kind='steering_committee')
    copil_hubs = external_body(
        'COPIL-HUBS', "Comité de pilotage des Hubs logistiques",
        level='wallonia', external_kind='steering_committee')
    ca_crc = external_body(
        'CA-CRC', "Comité d'accompagnement des comptoirs des ressources "
        "créatives (CRC)", level='wallonia',
        external_kind='monitoring_committee')
    copil_ciu = external_body(
        'COPIL-CIU', "Comité de pilotage du Certificat interuniversitaire "
        "en management des entreprises d'économie sociale",
        level='wallonia', external_kind='steering_committee')
    see_board = external_body(
        'SEE-CA', "Conseil d'administration de Social Economy Europe",
        organisation=see, level='european', external_kind='board')
    gsef_sc = external_body(
        'GSEF-SC', "Steering Committee du GSEF", organisation=gsef,
        level='international', external_kind='board')
    geces = external_body(
        'GECES', "Groupe d'experts de la Commission sur l'économie sociale "
        "et les entreprises sociales (GECES)", organisation=commission,
        level='european', external_kind='advisory_council',
        appointing_authority=commission)

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

    on_behalf = {'on_behalf_of': concertes}
    m_cwes = mandate(cwes, president, *TERM, role='president', **on_behalf,
        notes="ConcertES assure, via son président, la présidence du CWES.")
    m_comes = mandate(comes, rep['COMES'], *TERM, **on_behalf)
    m_comag_eff = mandate(comag, initiatives_rep, *TERM,
        on_behalf_of=initiatives)
    m_comag_sub = mandate(comag, rep['COMAG'], *TERM, **on_behalf,
        seat_type='substitute', effective=m_comag_eff,
        notes="ConcertES a souvent siégé en 2024 vu l'absence du membre "
        "effectif (InitiativES).")
    m_walter = mandate(walter_co, rep['WALTER'], date(1, 1, 2022),
        date(31, 12, 2026), **on_behalf,
        notes="Représentant·es de l'ES désigné·es par le Gouvernement "
        "wallon fin 2021, en fonction depuis 2022.")
    m_cces = mandate(cces, rep['CCES'], date(1, 11, 2023),
        date(31, 10, 2027), role='president', **on_behalf,
        notes="ConcertES assure la présidence du CCES depuis fin 2023.")
    m_aesw = mandate(copil_aesw, rep['COPIL'], *TERM, **on_behalf)
    m_hubs = mandate(copil_hubs, rep['COPIL'], *TERM, **on_behalf)
    m_crc = mandate(ca_crc, rep['COPIL'], *TERM, **on_behalf)
    m_ciu = mandate(copil_ciu, rep['COPIL'], *TERM, **on_behalf)
    m_see = mandate(see_board, rep['SEE'], *TERM, **on_behalf)
    m_gsef = mandate(gsef_sc, rep['GSEF'], *TERM, **on_behalf)
    mandate(geces, rep['SEE'], date(1, 10), date(30, 9, 2029),
        state='not_retained', designation=spring_ag, **on_behalf,
        notes="Candidature présentée en mai 2024 ; le GECES a retenu Pour "
        "la Solidarité pour la Belgique.")

    # the meetings of 2024 and who attended for us
    plan = [
        # mandate, count, absences (indexes)
        (m_cwes, 8, []),
        (m_comes, 12, []),
        (m_walter, 6, [3]),
        (m_cces, 6, []),
        (m_aesw, 3, []),
        (m_hubs, 4, [2]),
        (m_crc, 3, []),
        (m_ciu, 2, []),
        (m_see, 5, [2]),
        (m_gsef, 4, []),
        ]
    cwes_meetings = []
    for record, count, absences in plan:
        for i, day in enumerate(spread(count)):
            meeting = meeting_on(record.body, day)
            attend(meeting, record,
                status='excused' if i in absences else 'present')
            if record == m_cwes:
                cwes_meetings.append(meeting)
    # COMAG: the substitute attends in place of the absent effective
    for i, day in enumerate(spread(10, day=12)):
        meeting = meeting_on(comag, day)
        if i in {0, 4, 9}:
            attend(meeting, m_comag_eff)
        else:
            attend(meeting, m_comag_eff, status='absent')
            attend(meeting, m_comag_sub)

    # the opinions of the CWES
    opinions = []
    for subject, request, issue, meeting in [
            ("Plan de sortie de la pauvreté – réforme du dispositif "
                "d'insertion à l'emploi « articles 60-61 » : avant-projet "
                "de décret relatif aux subventions aux CPAS pour la mise à "
                "l'emploi des bénéficiaires du droit à l'intégration "
                "sociale – deuxième lecture",
                date(5, 2), date(19, 3), cwes_meetings[1]),
            ("Projet d'arrêté du Gouvernement wallon relatif aux "
                "subventions aux CPAS pour la mise à l'emploi "
                "(« articles 60-61 ») – première lecture",
                date(2, 4), date(14, 5), cwes_meetings[3]),
            ("Projet d'arrêté du Gouvernement wallon relatif à la gestion "
                "des déchets d'équipements électriques et électroniques "
                "(DEEE) et à la responsabilité élargie des producteurs – "
                "première lecture",
                date(6, 5), date(11, 6), cwes_meetings[4]),
            ("Appel à candidatures 2025-2028 pour la reconnaissance des "
                "organisations représentatives des entreprises d'économie "
                "sociale",
                date(1, 10), date(12, 11), cwes_meetings[6]),
            ]:
        opinions.append(find_or_create('concertes.opinion', [
                ('body', '=', cwes.id),
                ('subject', '=', subject),
                ], body=cwes, subject=subject, requested_by=government,
            request_date=request, issue_date=issue, meeting=meeting))

    # a few advocacy files
    Body = Model.get('concertes.body')
    Party = Model.get('party.party')
    Opinion = Model.get('concertes.opinion')
    for code, name, level, state, start, bodies, contacts, actions in [
            ('IDESS', "IDESS : réforme APE, indexation des subventions, "
                "déménagement social", 'wallonia', 'open', date(1, 1),
                [comes], [initiatives, cabinet, spw, cpas], [
                    (date(15, 2), 'meeting', "Réunion avec la Direction de "
                        "l'économie sociale du SPW sur l'indexation des "
                        "subventions des IDESS.", spw),
                    (date(23, 10), 'meeting', "Échange avec le Cabinet sur "
                        "l'impact de la réforme APE sur les IDESS.",
                        cabinet),
                    ]),
            ('AC-DECRET', "Décret Agences-Conseils et son arrêté "
                "d'exécution", 'wallonia', 'open', date(1, 1), [comes],
                [cabinet_morreale, spw], [
                    (date(18, 1), 'meeting', "Réunion mensuelle des "
                        "agences-conseils : réforme du décret.", None),
                    (date(26, 3), 'letter', "Courrier au Cabinet pour faire "
                        "aboutir l'arrêté avant la fin de la législature.",
                        cabinet_morreale),
                    ]),
            ('CRC', "Comptoirs des ressources créatives : un cadre légal "
                "pérenne", 'wallonia', 'open', date(1, 1), [ca_crc],
                [idea, spw], [
                    (date(20, 6), 'meeting', "Comité d'accompagnement de "
                        "l'étude des CRC menée par IDEA Consult.", idea),
                    ]),
            ('COOP-EMPLOI', "Reconnaissance des coopératives d'emploi "
                "(entreprises partagées)", 'wallonia', 'open', date(1, 9),
                [cwes], [cabinet], [
                    (date(10, 9), 'meeting', "Rencontre avec le Chef de "
                        "Cabinet du Ministre Coppieters.", cabinet),
                    ]),
            ('TVA6', "Taux réduit de TVA (6 %) pour le réemploi", 'federal',
                'watch', date(1, 1), [], [], [
                    (date(28, 6), 'note', "Dossier réglé : le gouvernement "
                        "fédéral a modifié l'arrêté ; mis en veille.", None),
                    ]),
            ]:
        dossier = find_or_create('concertes.dossier', [('code', '=', code)],
            code=code, name=name, level=level, state=state,
            start_date=start)
        if not dossier.actions:
            dossier.bodies.extend([Body(b.id) for b in bodies])
            dossier.contacts.extend([Party(p.id) for p in contacts])
            for day, kind, description, contact in actions:
                dossier.actions.new(date=day, kind=kind,
                    description=description, contact=contact)
            if code == 'IDESS':
                dossier.opinions.extend([Opinion(o.id) for o in opinions[:2]])
            dossier.save()
