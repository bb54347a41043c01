# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The EU projects part of the demo world, from the 2024 activity report.

What the report states is reproduced: ConcertES is a partner of baSE and
CAPSE in 2024 with their 2024 achievements (CAPSE: survey and interviews
early 2024, mobility meeting in Madrid in April 2024, methodological guide in
autumn 2024; baSE: survey results with 77 Belgian respondents, competence
framework and job profiles, a catalogue of 29 trainings including 10 MOOCs),
and three proposals that were not retained (BRIDGE, SE4SE, PROSPER) with
their resubmission intent.

baSE's grant agreement, dates, amount and coordinator come from public
sources (GA 101055640, 1 September 2022 - 31 August 2026, Mondragon
Unibertsitatea); the report itself says "2023-2026".  CAPSE's dates and
coordinator come from capse-project.eu (October 2023 - November 2025, ESS
France).  Work-package structures, numbers and month numbers are
placeholders (the report does not give them) and say so in their
descriptions.
"""
import datetime as dt
from decimal import Decimal

from demo.common import PLS, VUB, find_or_create, organisation
from proteus import Model

# Placeholder: the report says the outcomes came in 2024, not on which day.
EVALUATED_IN_2024 = dt.date(2024, 12, 31)
PLACEHOLDER = (
    "Donnée de démonstration (structure non publiée dans le rapport).")


def _company(config):
    "The ConcertES company, created when no part of the demo did it"
    pool_company = Model.get('company.company')
    concertes = organisation('ConcertES')
    companies = pool_company.find([('party', '=', concertes.id)])
    if companies:
        company, = companies
    else:
        currency = find_or_create(
            'currency.currency', [('code', '=', 'EUR')],
            code='EUR', name="Euro", symbol='€', rounding=Decimal('0.01'),
            digits=2)
        company = pool_company(party=concertes, currency=currency)
        company.save()
    User = Model.get('res.user')
    user = User(config.user)
    if company not in user.companies:
        user.companies.append(company)
        user.company = company
        user.save()
    config._context = User.get_preferences(True, {})
    return company


def _programme(code):
    if not code:
        return None
    programme, = Model.get('concertes.eu.programme').find(
        [('code', '=', code)])
    return programme


def _project(company, acronym, **values):
    Project = Model.get('concertes.eu.project')
    projects = Project.find([('acronym', '=', acronym)])
    if projects:
        return projects[0]
    project = Project(acronym=acronym, company=company)
    for name, value in values.items():
        setattr(project, name, value)
    project.save()
    return project


def _partners(project, partners):
    "partners: list of (number, organisation name, role, country code)"
    Country = Model.get('country.country')
    result = {}
    for number, name, role, country_code in partners:
        party = organisation(name)
        country = None
        if country_code:
            countries = Country.find([('code', '=', country_code)])
            if countries:
                country = countries[0]
            else:
                country = find_or_create(
                    'country.country', [('code', '=', country_code)],
                    code=country_code, name=COUNTRY_NAMES[country_code])
        result[name] = find_or_create(
            'concertes.eu.partner',
            [('project', '=', project.id), ('party', '=', party.id)],
            project=project, party=party, number=number, role=role,
            country=country)
    return result


COUNTRY_NAMES = {
    'BE': "Belgique", 'DK': "Danemark", 'ES': "Espagne", 'FR': "France",
    'GR': "Grèce",
    }


def _work_packages(project, work_packages, partners):
    "work_packages: list of (number, title, lead name, first, last)"
    result = {}
    for number, title, lead, first, last in work_packages:
        result[number] = find_or_create(
            'project.work',
            [('eu_project', '=', project.id), ('wp_number', '=', number)],
            eu_project=project, wp_number=number, name=title,
            wp_lead=partners.get(lead), first_month=first, last_month=last,
            type='task', comment=PLACEHOLDER)
    return result


def _deliverable(project, number, title, work_package, lead, due_month,
        state, submission=None, acceptance=None, description=None,
        type_code='R', level_code='PU'):
    Deliverable = Model.get('concertes.eu.deliverable')
    Type = Model.get('concertes.eu.deliverable.type')
    Level = Model.get('concertes.eu.dissemination.level')
    found = Deliverable.find([
            ('project', '=', project.id), ('number', '=', number)])
    if found:
        return found[0]
    type_, = Type.find([('code', '=', type_code)])
    level, = Level.find([('code', '=', level_code)])
    deliverable = Deliverable(
        project=project, number=number, title=title,
        work_package=work_package, lead_partner=lead, due_month=due_month,
        type=type_, dissemination_level=level, description=description)
    deliverable.save()
    if state in {'in_progress', 'submitted', 'accepted'}:
        deliverable.click('start')
    if state in {'submitted', 'accepted'}:
        deliverable.submission_date = submission
        deliverable.save()
        deliverable.click('submit')
    if state == 'accepted':
        deliverable.acceptance_date = acceptance
        deliverable.save()
        deliverable.click('accept')
    return deliverable


def _milestone(project, number, title, work_package, due_month,
        achieved=None, means=None):
    Milestone = Model.get('concertes.eu.milestone')
    found = Milestone.find([
            ('project', '=', project.id), ('number', '=', number)])
    if found:
        return found[0]
    milestone = Milestone(
        project=project, number=number, title=title,
        work_package=work_package, due_month=due_month,
        means_of_verification=means)
    milestone.save()
    if achieved:
        milestone.achieved_date = achieved
        milestone.save()
        milestone.click('achieve')
    return milestone


def _period(project, number, first, last):
    return find_or_create(
        'concertes.eu.period',
        [('project', '=', project.id), ('number', '=', number)],
        project=project, number=number, first_month=first, last_month=last)


def _run(project, start_date, duration):
    if project.state in {'running', 'closed'}:
        return
    project.start_date = start_date
    project.duration = duration
    project.save()
    for button in ['submit', 'retain', 'run']:
        project.click(button)


def _not_retained(project, evaluation_date):
    if not project.evaluation_date:
        project.evaluation_date = evaluation_date
        project.save()
    if project.state == 'preparation':
        project.click('submit')
    if project.state == 'submitted':
        project.click('not_retain')


def build_base(company):
    project = _project(
        company, 'baSE',
        title="Blueprint for advanced skills and trainings in the social "
        "economy",
        programme=_programme('ERASMUS-BLUEPRINT'),
        call_identifier='ERASMUS-EDU-2021-PI-ALL-INNO',
        grant_agreement='101055640',
        maximum_grant=Decimal('3995887'),
        coordinator=organisation('Mondragon Unibertsitatea'),
        role='partner',
        description="Compétences pour les transitions écologique, "
        "numérique et inclusive des entreprises d'économie sociale et "
        "formation de leurs travailleurs. 25 partenaires de 10 pays. "
        "Le rapport d'activités 2024 le situe en 2023-2026 ; la convention "
        "court du 1er septembre 2022 au 31 août 2026.")
    _run(project, dt.date(2022, 9, 1), 48)
    partners = _partners(project, [
            (1, 'Mondragon Unibertsitatea', 'coordinator', 'ES'),
            (None, 'Symplexis', 'beneficiary', 'GR'),
            (None, 'ConcertES', 'beneficiary', 'BE'),
            ])
    wps = _work_packages(project, [
            (1, "Gestion du projet", 'Mondragon Unibertsitatea', 1, 48),
            (2, "Compétences manquantes pour les transitions", None, 1, 18),
            (3, "Référentiel de compétences et profils de fonction",
                None, 12, 30),
            (4, "Catalogue de formations et MOOC", None, 18, 46),
            (5, "Diffusion et valorisation", None, 1, 48),
            ], partners)
    concertes = partners['ConcertES']
    # Month 18 of baSE is February 2024, month 28 December 2024.
    _deliverable(
        project, 'D2.1',
        "Résultats de l'enquête sur les compétences manquantes sur les "
        "transitions en ES", wps[2], concertes, 18, 'accepted',
        submission=dt.date(2024, 2, 26), acceptance=dt.date(2024, 3, 29),
        description="Publication des résultats de l'enquête "
        "(BE : 77 répondants).")
    _deliverable(
        project, 'D3.1',
        "Référentiel de compétences et profils de fonction des "
        "travailleurs de l'ES", wps[3], concertes, 22, 'submitted',
        submission=dt.date(2024, 6, 28),
        description="Managers, facilitateur, conseiller, travailleur ; "
        "relais vers le FOREM.")
    _deliverable(
        project, 'D4.1', "Catalogue de 29 formations", wps[4], None, 27,
        'submitted', submission=dt.date(2024, 11, 29),
        description="Catalogue publié en 2024, dont 10 cours MOOC.")
    _deliverable(
        project, 'D4.2', "10 cours MOOC en ligne", wps[4], None, 40,
        'in_progress', type_code='DEC',
        description="En cours de développement avec les partenaires "
        "européens.")
    _period(project, 1, 1, 24)
    _period(project, 2, 25, 48)
    return project


def build_capse(company):
    project = _project(
        company, 'CAPSE',
        title="Collective Action for Parity in the Social Economy",
        programme=_programme('ERASMUS-KA220'),
        coordinator=organisation('ESS France'),
        role='partner',
        description="Amener les fédérations et réseaux de l'économie "
        "sociale vers davantage de parité femmes-hommes dans leurs "
        "instances décisionnelles. Démarré à l'automne 2023.")
    _run(project, dt.date(2023, 10, 1), 26)
    partners = _partners(project, [
            (1, 'ESS France', 'coordinator', 'FR'),
            (None, PLS, 'beneficiary', 'BE'),
            (None, 'ConcertES', 'beneficiary', 'BE'),
            ])
    wps = _work_packages(project, [
            (1, "Gestion du projet", 'ESS France', 1, 26),
            (2, "Diagnostic : enquêtes et entretiens", None, 1, 8),
            (3, "Guide méthodologique et formation", None, 6, 20),
            (4, "Ateliers et livre blanc", None, 12, 26),
            ], partners)
    concertes = partners['ConcertES']
    # Month 1 of CAPSE is October 2023: April 2024 is month 7.
    _milestone(
        project, 'MS1', "Réunion de lancement à Paris", wps[1], 3,
        achieved=dt.date(2023, 12, 7),
        means="Compte rendu de la réunion des 6 et 7 décembre 2023.")
    _deliverable(
        project, 'D2.1',
        "Enquête et entretiens avec des fédérations de l'ES : freins et "
        "leviers à l'égalité de genre", wps[2], concertes, 5, 'accepted',
        submission=dt.date(2024, 2, 29), acceptance=dt.date(2024, 4, 15))
    _milestone(
        project, 'MS2', "Réunion de mobilité à Madrid", wps[3], 7,
        achieved=dt.date(2024, 4, 25),
        means="Coconstruction de la formation à venir avec des experts "
        "(BE : CES, Crédal, InitiativES) ; liste de présence. Jour exact "
        "non publié (avril 2024).")
    _deliverable(
        project, 'D3.1',
        "Guide méthodologique : support de sensibilisation pour les "
        "fédérations de l'ES", wps[3], None, 14, 'submitted',
        submission=dt.date(2024, 11, 29))
    _period(project, 1, 1, 12)
    _period(project, 2, 13, 26)
    return project


# The proposals of 2024, not retained: acronym, programme code, coordinator,
# partners (number, organisation, role, country), other values
PROPOSALS = [
    ('BRIDGE', 'ERASMUS-COVE', 'Kolding Kommune', [
            (1, 'Kolding Kommune', 'coordinator', 'DK'),
            (None, 'ConcertES', 'beneficiary', 'BE'),
            (None, "Centre d'Economie Sociale", 'beneficiary', 'BE'),
            ], dict(
            title="Bringing Inclusive and Sustainable Growth to Europe "
            "through Social Economy Enterprises",
            intended_call="Erasmus+ CoVE (prochain appel)",
            description="Soutenir l'innovation dans l'écosystème de "
            "l'économie de proximité et sociale, l'un des 14 écosystèmes "
            "industriels de la stratégie industrielle de l'UE. Consortium "
            "d'une dizaine de partenaires porté par la municipalité de "
            "Kolding (Danemark).",
            evaluation_feedback="Bonne appréciation du projet par la "
            "Commission européenne.",
            resubmission_intent="La Commission invite le consortium à le "
            "représenter lors d'un prochain appel Erasmus+ CoVE ; les "
            "partenaires ont reconfirmé leur volonté de collaborer.")),
    ('SE4SE', 'HORIZON-RIA', None, [
            (None, 'Symplexis', 'beneficiary', 'GR'),
            (None, 'ConcertES', 'beneficiary', 'BE'),
            ], dict(
            title="Social Economy for Social Exclusion",
            description="Rôle de l'économie sociale dans la lutte contre "
            "l'exclusion sociale et la création d'emplois de qualité et "
            "durables. 17 partenaires de 9 pays ; ConcertES sollicitée par "
            "Symplexis, partenaire du projet baSE.",
            intended_call="Horizon Europe (prochains appels)",
            resubmission_intent="Les partenaires sont demandeurs de "
            "redéposer le projet lors de prochains appels.")),
    ('PROSPER', 'HORIZON-CSA', None, [
            (None, 'Diesis', 'beneficiary', 'BE'),
            (None, VUB, 'beneficiary', 'BE'),
            (None, 'ConcertES', 'beneficiary', 'BE'),
            ], dict(
            description="Programme Horizon (le type d'action n'est pas "
            "publié dans le rapport). Renforcer les écosystèmes "
            "d'innovation de l'économie sociale de l'UE et des régions ; "
            "collaboration entre le monde universitaire et l'économie "
            "sociale, en particulier dans le domaine de l'IA. Consortium de "
            "10 partenaires ; ConcertES invitée par Diesis et la VUB.",
            evaluation_feedback="Très bonne appréciation du projet par la "
            "Commission européenne.",
            intended_call="Horizon Europe (prochain appel)",
            resubmission_intent="Les partenaires envisagent de redéposer le "
            "projet.")),
    ]


def build_proposals(company):
    projects = []
    for acronym, programme, coordinator, partners, values in PROPOSALS:
        project = _project(company, acronym, role='partner',
            programme=_programme(programme),
            coordinator=organisation(coordinator) if coordinator else None,
            **values)
        _partners(project, partners)
        _not_retained(project, EVALUATED_IN_2024)
        projects.append(project)
    return projects


def build(config):
    "The eu_projects part of the demo world"
    company = _company(config)
    with config.set_context(company=company.id):
        build_base(company)
        build_capse(company)
        build_proposals(company)
