# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The members part of the demo world, from the 2024 activity report.

What the report states is reproduced as it is: the 24 members at
31 December 2024 with the two newcomers of 2024 (Fedicoop in March,
Step Entreprendre in September), the board at 31 December 2024 presided by
Denis Morrier, the seven working groups, the 4 general assemblies and the
7 board meetings of 2024, the 21 data requests handled by the Observatory
and the three meetings of its scientific committee in 2024 (one in person,
in October).
What the report does not state (exact dates, who sits in which working
group, who represents a federation, the fee amounts) is a plausible
placeholder, marked as such.
"""
import datetime as dt
from decimal import Decimal

from demo.common import (
    CABINET, PLS, REPORT_YEAR, SPW, VUB, date, find_or_create, organisation)
from proteus import Model

# Placeholder: the report does not say since when the older members belong
# to ConcertES (recognised as representative organisation since 2009).
FOUNDING_MEMBERS_SINCE = dt.date(2009, 1, 1)

# name as in the report: (regions, sector families)
MEMBERS = {
    'AID': (['wallonia'], ['insertion']),
    'ALEAP': (['wallonia'], ['insertion']),
    'CAIPS': (['wallonia'], ['insertion']),
    'Collectif 5C': (['wallonia'], ['insertion']),
    'COOPCITY': (['brussels'], ['development']),
    'CREDAL SC': (['wallonia', 'brussels'], ['development']),
    'EWETA': (['wallonia'], ['insertion']),
    'FEBECOOP': (['wallonia', 'brussels'], ['transversal']),
    'FeBISP': (['brussels'], ['insertion']),
    'Febrap': (['brussels'], ['insertion']),
    'Fecoopem': (['wallonia', 'brussels'], ['activity_insertion']),
    'Fedicoop': (['wallonia', 'brussels'], ['enterprises']),
    'Financité': (['wallonia', 'brussels'], ['development']),
    'InitiativES': (['wallonia'], ['insertion']),
    'Propage-S': (['wallonia'], ['development']),
    'RES': (['wallonia'], ['enterprises']),
    'REScoop': (['wallonia'], ['sector']),
    'RESSOURCES': (['wallonia', 'brussels'], ['sector']),
    'SAW-B': (['wallonia', 'brussels'], ['transversal', 'development']),
    'Solidaris Wallonie': (['wallonia'], ['sector']),
    'Step Entreprendre': (['wallonia'], ['activity_insertion']),
    'SYNECO': (['wallonia', 'brussels'], ['transversal', 'development']),
    'Unessa': (['wallonia', 'brussels'], ['sector']),
    'Union des SCOP W-B': (['wallonia', 'brussels'], ['enterprises']),
    }

# name: kind, regions
PARTNERS = {
    'UNIPSO': ('partner', ['wallonia']),
    'Bruxeo': ('partner', ['brussels']),
    'Unisoc': ('partner', ['federal']),
    'Verso': ('partner', ['flanders']),
    'W.ALTER': ('public_authority', ['wallonia']),
    'iES!': ('partner', ['wallonia']),
    'Alternativ\'ES Wallonia': ('partner', ['wallonia']),
    'IWEPS': ('public_authority', ['wallonia']),
    'FOREM': ('public_authority', ['wallonia']),
    SPW: ('administration', ['wallonia']),
    'WBI': ('administration', ['wallonia', 'brussels']),
    'SPF Économie': ('administration', ['federal']),
    CABINET: ('cabinet', ['wallonia']),
    'Fédération des CPAS': ('partner', ['wallonia']),
    'CIRIEC': ('university', ['european']),
    'Euricse': ('university', ['european']),
    'Fondation Roi Baudouin': ('partner', ['federal']),
    'UCLouvain': ('university', ['wallonia']),
    'ULB': ('university', ['brussels']),
    'ULiège': ('university', ['wallonia']),
    VUB: ('university', ['brussels', 'flanders']),
    PLS: ('partner', ['brussels', 'european']),
    'Social Economy Europe': ('network', ['european']),
    'Global Social Economy Forum (GSEF)': ('network', ['european']),
    'REVES': ('network', ['european']),
    'Diesis': ('network', ['european']),
    'OCDE': ('network', ['european']),
    }

BOARD = ['FEBECOOP', 'SAW-B', 'SYNECO', 'InitiativES', 'CREDAL SC', 'EWETA',
    'RESSOURCES']

# The 4 general assemblies and 7 board meetings of 2024 (dates: placeholders)
ASSEMBLIES = [
    (date(21, 3), "Admission de Fedicoop ; mémorandum et élections 2024"),
    (date(18, 6), "Comptes 2023 ; réélection du conseil d'administration"),
    (date(17, 9), "Admission de Step Entreprendre ; déclaration de politique "
        "régionale"),
    (date(12, 12), "Retour sur les mandats ; plan de développement de "
        "l'économie sociale ; budget 2025"),
    ]
BOARD_MEETINGS = [date(30, 1), date(5, 3), date(23, 4), date(4, 6),
    date(3, 9), date(22, 10), date(26, 11)]

# code: name, origin, purpose, members (the report names none: placeholders)
WORKING_GROUPS = {
    'GT-COM': ("GT Communication",
        "Plan de communication de l'économie sociale (plan de relance de la "
        "Wallonie), depuis 2022.",
        "Déployer les campagnes de promotion de l'économie sociale avec "
        "W.ALTER.",
        ['SAW-B', 'FEBECOOP', 'CREDAL SC', 'Financité']),
    'GT-SUBSIDES': ("GT Transformation des subsides en 5 ans", None,
        "Transformer les subsides annuels en financements sur cinq ans.",
        ['SAW-B', 'SYNECO', 'InitiativES']),
    'GT-TS': ("GT Titres-services", None,
        "Suivre le dispositif des titres-services.",
        ['RESSOURCES', 'Unessa', 'SAW-B']),
    'GT-MAJORITE': ("GT Suivi de la mise en place de la majorité wallonne",
        "Élections régionales de juin 2024.",
        "Analyser la déclaration de politique régionale et suivre sa mise "
        "en œuvre.",
        ['FEBECOOP', 'SAW-B', 'SYNECO', 'FeBISP']),
    'GT-AIDE-EMPLOI': ("GT Aide à l'emploi", None,
        "Réforme d'une aide à l'emploi et son habillage européen.",
        ['EWETA', 'AID', 'CAIPS', 'InitiativES']),
    'GT-VISION': ("GT Vision de l'économie sociale",
        "Mise au vert des membres de novembre 2023 et janvier 2024.",
        "Définir la vision commune de l'économie sociale.",
        BOARD),
    'GT-GOUVERNANCE': ("GT Gouvernance",
        "Mise au vert des membres de novembre 2023 et janvier 2024.",
        "Préparer les évolutions statutaires et d'organisation de ConcertES.",
        BOARD),
    }

# The scientific committee of the Observatory: "mainly university professors
# active in the social economy, and other actors such as the IWEPS and
# UNIPSO/Bruxeo"; the report names no professor, so their universities stand
# for them (placeholders).
SCIENTIFIC_COMMITTEE = ['UCLouvain', 'ULB', 'ULiège', 'IWEPS', 'UNIPSO',
    'Bruxeo']
# Three meetings in 2024, one in person in October (the days are
# placeholders)
SCIENTIFIC_COMMITTEE_MEETINGS = [
    (date(19, 3), True), (date(15, 10), False), (date(10, 12), True)]

OBSERVATORY_REQUESTS = [
    ('UNIPSO', "Emploi dans l'économie sociale en Wallonie par secteur"),
    ('IWEPS', "Chiffres clés de l'économie sociale pour l'IWEPS"),
    ('SAW-B', "Nombre d'entreprises sociales par province"),
    ('FEBECOOP', "Coopératives agréées par le CNC en Wallonie et à Bruxelles"),
    ('FeBISP', "Emploi des organismes d'insertion à Bruxelles"),
    ('EWETA', "Évolution de l'emploi dans les ETA wallonnes"),
    ('Febrap', "Emploi dans les ETA bruxelloises"),
    ('CREDAL SC', "Entreprises sociales financées par la finance solidaire"),
    ('InitiativES', "Emploi dans les IDESS"),
    ('RESSOURCES', "Emploi dans le réemploi et le recyclage"),
    ('Unessa', "Emploi dans le non-marchand en économie sociale"),
    ('UCLouvain', "Données pour un mémoire de master en économie sociale"),
    ('ULB', "Données sur la résilience des entreprises"),
    ('ULiège', "Données pour le Certificat inter-universitaire"),
    ('CIRIEC', "Contribution à une étude européenne sur l'économie sociale"),
    ('Euricse', "Contribution à une étude européenne sur les coopératives"),
    ('SPF Économie', "Chiffres pour la Commission européenne"),
    ('OCDE', "Dispositifs nationaux d'économie sociale"),
    ('Fondation Roi Baudouin', "Social Profit DataTrust : indicateurs"),
    ('SYNECO', "Salaires et tension salariale dans l'économie sociale"),
    ('Fecoopem', "Emploi dans les coopératives d'activités"),
    ]
OTHER_REQUESTS = [
    ('UCLouvain', 'speaking', date(2, 9), date(30, 9),
        "Présentation des chiffres de l'économie sociale au master en "
        "économie sociale"),
    ('ULiège', 'speaking', date(9, 9), date(15, 10),
        "Présentation au Certificat inter-universitaire"),
    (CABINET, 'note',
        date(12, 9), date(30, 9),
        "Note sur les priorités de l'économie sociale pour la législature"),
    ('Fédération des CPAS', 'information', date(14, 5), date(24, 5),
        "Information sur la situation des IDESS"),
    ]


def _members():
    parties = {}
    for name, (regions, families) in MEMBERS.items():
        party = organisation(name, organisation_kind='member_federation',
            regions=regions, sector_families=families)
        parties[name] = party
    return parties


def _partners():
    parties = {}
    for name, (kind, regions) in PARTNERS.items():
        parties[name] = organisation(name, organisation_kind=kind,
            regions=regions)
    return parties


def _person(name):
    return find_or_create('party.party', [('name', '=', name)], name=name)


def _body(code, name, kind, **values):
    return find_or_create('concertes.body', [('code', '=', code)],
        code=code, name=name, kind=kind, **values)


def _meeting(body, day, hour=9, **values):
    "The meeting of body on day (one a day), created if missing"
    midnight = dt.datetime.combine(day, dt.time(0))
    start = midnight + dt.timedelta(hours=hour)
    meeting = find_or_create('concertes.meeting', [
            ('body', '=', body.id),
            ('start', '>=', midnight),
            ('start', '<', midnight + dt.timedelta(days=1)),
            ],
        body=body, start=start, end=start + dt.timedelta(hours=3),
        **values)
    if meeting.state == 'planned' and day < dt.date.today():
        meeting.click('hold')
    return meeting


def _membership(party, start, admission=None):
    Membership = Model.get('concertes.membership')
    memberships = Membership.find([('party', '=', party.id)], limit=1)
    if memberships:
        membership, = memberships
    else:
        membership = Membership(party=party, start_date=start,
            application_date=start, admission_meeting=admission)
        membership.save()
    if membership.state == 'applicant':
        membership.click('admit')
    return membership


def _seat(body, start, organisation=None, representative=None,
        role='member'):
    domain = [('body', '=', body.id), ('start_date', '=', start)]
    if representative:
        domain.append(('representative', '=', representative.id))
    else:
        domain.append(('organisation', '=', organisation.id))
    return find_or_create('concertes.body.member', domain,
        body=body, organisation=organisation, representative=representative,
        role=role, start_date=start)


def _relation(from_, to, type_):
    find_or_create('party.relation.all', [
            ('from_', '=', from_.id), ('to', '=', to.id),
            ('type', '=', type_.id)],
        from_=from_, to=to, type=type_)


def _request(requester, kind, received, answered, subject):
    request = find_or_create('concertes.request', [
            ('requester', '=', requester.id), ('subject', '=', subject)],
        requester=requester, kind=kind, subject=subject,
        received_date=received, due_date=answered, answered_date=answered)
    if request.state == 'received':
        request.click('answer')
    return request


def build(config):
    "The members part of the demo world"
    RelationType = Model.get('party.relation.type')
    members = _members()
    partners = _partners()
    concertes = organisation('ConcertES', organisation_kind='other',
        regions=['wallonia', 'brussels'])

    assembly = _body('AG', "Assemblée générale", 'general_assembly',
        organisation=concertes, quorum=50,
        description="L'instance suprême de décision : toutes les "
        "organisations membres.")
    board = _body('CA', "Conseil d'administration", 'board',
        organisation=concertes, quorum=50)
    assemblies = [
        _meeting(assembly, day, place="Bruxelles", agenda=agenda)
        for day, agenda in ASSEMBLIES]
    for day in BOARD_MEETINGS:
        _meeting(board, day, hour=14, online=True,
            agenda="Préparation de l'assemblée générale ; actualité")

    newcomers = {
        'Fedicoop': assemblies[0],
        'Step Entreprendre': assemblies[2],
        }
    for name, party in members.items():
        if name in newcomers:
            meeting = newcomers[name]
            _membership(party, meeting.start.date(), meeting)
        else:
            _membership(party, FOUNDING_MEMBERS_SINCE)

    # Yearly fees of 2024 (amount: placeholder), all paid
    membership_fees(members)

    with config.set_context(language='en'):
        works_for, = RelationType.find([('name', '=', 'Works for')])
        represents, = RelationType.find([('name', '=', 'Represents')])

    # The board at 31 December 2024; representatives are placeholders
    term = date(18, 6, REPORT_YEAR - 1)
    president = _person("Denis Morrier")
    _seat(board, term, representative=president, role='president')
    for name in BOARD:
        delegate = _person("Administrateur·rice %s" % name)
        _seat(board, term, organisation=members[name],
            representative=delegate)
        _relation(delegate, members[name], represents)

    for code, (name, origin, purpose, seated) in WORKING_GROUPS.items():
        start = (date(15, 1) if origin and 'Mise au vert' in origin
            else date(1, 1, REPORT_YEAR - 2))
        group = _body(code, name, 'working_group', organisation=concertes,
            origin=origin, purpose=purpose, start_date=start)
        for party_name in seated:
            _seat(group, start, organisation=members[party_name])
    _seat(Model.get('concertes.body').find([('code', '=', 'GT-COM')])[0],
        date(1, 1, REPORT_YEAR - 2), organisation=partners['W.ALTER'],
        role='observer')

    scientific_committee(concertes, partners)

    # People and their positions (functions the report names publicly)
    secretary = _person("Bénédicte Sohet")
    _relation(secretary, concertes, works_for)
    _relation(president, concertes, represents)

    # Requests: 21 data requests handled by the Observatory in 2024
    for i, (name, subject) in enumerate(OBSERVATORY_REQUESTS):
        requester = members.get(name) or partners[name]
        received = date(1, 1) + dt.timedelta(days=15 + i * 16)
        _request(requester, 'data', received,
            received + dt.timedelta(days=10), subject)
    for name, kind, received, answered, subject in OTHER_REQUESTS:
        _request(partners[name], kind, received, answered, subject)

    figures = Model.get('concertes.activity.report').figures(
        REPORT_YEAR, config.context)
    print("demo: members at 31/12/%s: %s, newcomers: %s, AG: %s, CA: %s, "
        "OBS-CS: %s, data requests: %s" % (
            REPORT_YEAR, figures['members']['count'],
            ', '.join(j['party'] for j in figures['members']['joined']),
            figures['bodies']['AG']['meetings'],
            figures['bodies']['CA']['meetings'],
            figures['bodies']['OBS-CS']['meetings'],
            figures['requests']['data']['handled']))


def scientific_committee(concertes, partners):
    "The scientific committee of the Observatory and its 2024 meetings"
    committee = _body('OBS-CS',
        "Comité scientifique de l'Observatoire de l'économie sociale",
        'committee', organisation=concertes,
        description="Réuni au moins une fois par an, il soutient "
        "l'Observatoire sur les questions scientifiques, les méthodes "
        "statistiques et la définition du périmètre afin de refléter les "
        "recommandations académiques ; il est aussi sollicité à distance "
        "pour des avis méthodologiques et favorise la coopération entre "
        "ces acteurs clés de l'économie sociale.")
    for name in SCIENTIFIC_COMMITTEE:
        _seat(committee, date(1, 1), organisation=partners[name])
    for day, online in SCIENTIFIC_COMMITTEE_MEETINGS:
        _meeting(committee, day, hour=10, online=online,
            agenda="Questions scientifiques, méthodes statistiques et "
            "périmètre de l'économie sociale")
    return committee


def membership_fees(members):
    Fee = Model.get('concertes.membership.fee')
    Membership = Model.get('concertes.membership')
    for party in members.values():
        membership, = Membership.find([('party', '=', party.id)], limit=1)
        start = membership.start_date
        due = max(date(31, 3), start)
        if not Fee.find([
                    ('membership', '=', membership.id),
                    ('year', '=', REPORT_YEAR)]):
            Fee(membership=membership, year=REPORT_YEAR,
                amount=Decimal('250.00'), due_date=due,
                paid_date=due - dt.timedelta(days=10)
                if due > start + dt.timedelta(days=10) else due).save()
