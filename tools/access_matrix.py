# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The access matrix of the ConcertES roles: model x group x operation

One line per model: the module that declares the rights, then for each role
the operations it may do: r(ead), c(reate), w(rite), d(elete), '' for none.
The roles are the groups of concertes_members/access.xml:

- fin: ConcertES – Administration and Finance (everything, costs and rates)
- proj: ConcertES – EU Project Officer (EU projects; budgets read-only)
- evt: ConcertES – Events Team (events and registrations; no EU money)
- gov: ConcertES – Governance and Mandates (members, bodies, mandates...)
- ro: ConcertES – Read-only (reports and dashboards)

tests/test_access.py asserts it for real users; each module's access.xml
grants exactly it (docs/access.md explains the choices).
"""

GROUPS = ['fin', 'proj', 'evt', 'gov', 'ro']
GROUP_IDS = {
    'fin': 'concertes_members.group_concertes_finance',
    'proj': 'concertes_members.group_concertes_project',
    'evt': 'concertes_members.group_concertes_events',
    'gov': 'concertes_members.group_concertes_governance',
    'ro': 'concertes_members.group_concertes_readonly',
    }
ALL = 'rcwd'

MATRIX = {
    # model: (module, fin, proj, evt, gov, ro)
    # concertes_members
    'concertes.membership': ('concertes_members', ALL, 'r', 'r', ALL, 'r'),
    'concertes.membership.fee': ('concertes_members', ALL, '', '', 'r', 'r'),
    'concertes.body': ('concertes_members', ALL, 'r', 'r', ALL, 'r'),
    'concertes.body.member': ('concertes_members', ALL, 'r', 'r', ALL, 'r'),
    'concertes.meeting': ('concertes_members', ALL, 'r', 'r', ALL, 'r'),
    'concertes.meeting.attendance': (
        'concertes_members', ALL, '', '', ALL, 'r'),
    'concertes.meeting.monthly': (
        'concertes_members', 'r', 'r', 'r', 'r', 'r'),
    'concertes.request': ('concertes_members', ALL, 'r', 'r', ALL, 'r'),
    'concertes.deadline': ('concertes_members', 'r', 'r', 'r', 'r', 'r'),
    'concertes.dashboard.figures': (
        'concertes_members', 'r', 'r', 'r', 'r', 'r'),
    'concertes.dashboard.figures': (
        'concertes_members', 'r', 'r', 'r', 'r', 'r'),
    'concertes.privacy.configuration': (
        'concertes_members', 'rw', 'r', 'r', 'r', 'r'),
    'concertes.privacy.retention': (
        'concertes_members', ALL, 'r', 'r', 'r', 'r'),
    # concertes_mandates
    'concertes.mandate': ('concertes_mandates', ALL, 'r', 'r', ALL, 'r'),
    'concertes.mandate.configuration': (
        'concertes_mandates', 'rw', '', '', 'rw', 'r'),
    'concertes.opinion': ('concertes_mandates', ALL, 'r', 'r', ALL, 'r'),
    'concertes.dossier': ('concertes_mandates', ALL, 'r', 'r', ALL, 'r'),
    'concertes.dossier.action': (
        'concertes_mandates', ALL, 'r', 'r', ALL, 'r'),
    'concertes.dossier-concertes.body': (
        'concertes_mandates', ALL, 'r', 'r', ALL, 'r'),
    'concertes.dossier-concertes.meeting': (
        'concertes_mandates', ALL, 'r', 'r', ALL, 'r'),
    'concertes.dossier-concertes.opinion': (
        'concertes_mandates', ALL, 'r', 'r', ALL, 'r'),
    'concertes.dossier-party.party': (
        'concertes_mandates', ALL, 'r', 'r', ALL, 'r'),
    # concertes_eu_projects
    'concertes.eu.programme': ('concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.programme.criterion': (
        'concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.deliverable.type': (
        'concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.dissemination.level': (
        'concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.programme-deliverable.type': (
        'concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.programme-dissemination.level': (
        'concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.project': ('concertes_eu_projects', ALL, ALL, '', '', 'r'),
    'concertes.eu.partner': ('concertes_eu_projects', ALL, ALL, '', '', 'r'),
    'concertes.eu.project.score': (
        'concertes_eu_projects', ALL, ALL, '', '', 'r'),
    'concertes.eu.deliverable': (
        'concertes_eu_projects', ALL, ALL, '', '', 'r'),
    'concertes.eu.milestone': ('concertes_eu_projects', ALL, ALL, '', '', 'r'),
    'concertes.eu.period': ('concertes_eu_projects', ALL, ALL, '', '', 'r'),
    'concertes.eu.configuration': (
        'concertes_eu_projects', 'rw', 'r', '', '', 'r'),
    'concertes.eu.budget.line': (
        'concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.budget.overview.partner': (
        'concertes_eu_projects', 'r', 'r', '', '', 'r'),
    'concertes.eu.budget.overview.work_package': (
        'concertes_eu_projects', 'r', 'r', '', '', 'r'),
    'concertes.eu.budget.spending': (
        'concertes_eu_projects', 'r', 'r', '', '', 'r'),
    'concertes.eu.cost.category': (
        'concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.personnel.rate': (
        'concertes_eu_projects', ALL, '', '', '', ''),
    'concertes.eu.expense': ('concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.lump_sum.share': (
        'concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.lump_sum.completion': (
        'concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.payment': ('concertes_eu_projects', ALL, 'r', '', '', 'r'),
    'concertes.eu.time.declaration': (
        'concertes_eu_projects', ALL, ALL, '', '', 'r'),
    'concertes.eu.time.declaration.line': (
        'concertes_eu_projects', ALL, ALL, '', '', 'r'),
    'project.work': ('concertes_eu_projects', ALL, ALL, 'r', 'r', 'r'),
    'company.employee_cost_price': (
        'concertes_eu_projects', ALL, '', '', '', ''),
    # concertes_events
    'concertes.event': ('concertes_events', ALL, 'r', ALL, 'r', 'r'),
    'concertes.event.organiser': ('concertes_events', ALL, 'r', ALL, 'r', 'r'),
    'concertes.event.session': ('concertes_events', ALL, 'r', ALL, 'r', 'r'),
    'concertes.event.ticket': ('concertes_events', ALL, 'r', ALL, 'r', 'r'),
    'concertes.event.registration': (
        'concertes_events', ALL, '', ALL, '', ''),
    'concertes.event.registration-concertes.event.session': (
        'concertes_events', ALL, '', ALL, '', ''),
    'concertes.event.intervention': (
        'concertes_events', ALL, 'r', ALL, 'r', 'r'),
    'concertes.event.seat': ('concertes_events', ALL, '', 'r', '', ''),
    'concertes.event.web.hit': ('concertes_events', 'r', '', 'r', '', ''),
    'concertes.event.statistic': ('concertes_events', 'r', 'r', 'r', 'r', 'r'),
    'concertes.event.statistic.session': (
        'concertes_events', 'r', 'r', 'r', 'r', 'r'),
    'concertes.event.statistic.ticket': (
        'concertes_events', 'r', 'r', 'r', 'r', 'r'),
    'concertes.event.statistic.organisation_kind': (
        'concertes_events', 'r', 'r', 'r', 'r', 'r'),
    # concertes_newsletter (the lists and issues of marketing_email too)
    'marketing.email': ('concertes_newsletter', ALL, '', ALL, 'r', ''),
    'marketing.email.list': (
        'concertes_newsletter', ALL, 'r', ALL, 'r', 'r'),
    'marketing.email.message': (
        'concertes_newsletter', ALL, 'r', ALL, 'r', 'r'),
    'concertes.newsletter.message-list': (
        'concertes_newsletter', ALL, 'r', ALL, 'r', 'r'),
    'concertes.newsletter.template': (
        'concertes_newsletter', ALL, '', ALL, 'r', ''),
    'concertes.newsletter.delivery': (
        'concertes_newsletter', 'r', '', 'r', '', ''),
    'concertes.newsletter.suppression': (
        'concertes_newsletter', 'r', '', 'r', '', ''),
    'concertes.newsletter.configuration': (
        'concertes_newsletter', 'rw', '', 'rw', 'r', ''),
    # concertes_directory
    'concertes.accreditation': (
        'concertes_directory', ALL, 'r', 'r', ALL, 'r'),
    'concertes.accreditation.type': (
        'concertes_directory', ALL, 'r', 'r', ALL, 'r'),
    'concertes.accreditation.duty': (
        'concertes_directory', ALL, 'r', 'r', ALL, 'r'),
    'concertes.accreditation.report': (
        'concertes_directory', ALL, 'r', 'r', ALL, 'r'),
    'concertes.enterprise.activity': (
        'concertes_directory', ALL, 'r', 'r', ALL, 'r'),
    'concertes.enterprise.establishment': (
        'concertes_directory', ALL, 'r', 'r', ALL, 'r'),
    'concertes.kbo.code': ('concertes_directory', ALL, 'r', 'r', ALL, 'r'),
    'concertes.kbo.configuration': (
        'concertes_directory', 'rw', '', '', 'rw', 'r'),
    'concertes.kbo.extract': (
        'concertes_directory', ALL, 'r', 'r', ALL, 'r'),
    'concertes.kbo.change': ('concertes_directory', ALL, 'r', 'r', ALL, 'r'),
    'concertes.accreditation.statistic': (
        'concertes_directory', 'r', 'r', 'r', 'r', 'r'),
    'concertes.accreditation.statistic.year': (
        'concertes_directory', 'r', 'r', 'r', 'r', 'r'),
    # concertes_funding (ConcertES's own grants: finance manages them)
    'concertes.grant': ('concertes_funding', ALL, 'r', 'r', 'r', 'r'),
    'concertes.grant.year': ('concertes_funding', ALL, 'r', 'r', 'r', 'r'),
    'concertes.grant.instalment': (
        'concertes_funding', ALL, 'r', 'r', 'r', 'r'),
    'concertes.grant.report': (
        'concertes_funding', ALL, 'r', 'r', 'r', 'r'),
    # the team: everyone declares the month, finance keeps the contracts
    'concertes.employee.contract': (
        'concertes_funding', ALL, 'r', 'r', 'r', 'r'),
    'concertes.time.declaration': (
        'concertes_funding', ALL, ALL, ALL, ALL, 'r'),
    'concertes.time.declaration.line': (
        'concertes_funding', ALL, ALL, ALL, ALL, 'r'),
    }

# Fields that show salaries or cost rates: only fin reads and writes them
# (model, field, module declaring the field access)
HIDDEN_FIELDS = [
    ('company.employee', 'cost_price', 'concertes_eu_projects'),
    ('timesheet.line', 'cost_price', 'concertes_eu_projects'),
    ('concertes.eu.personnel.rate', 'annual_cost', 'concertes_eu_projects'),
    ('concertes.eu.personnel.rate', 'daily_rate', 'concertes_eu_projects'),
    ('concertes.employee.contract', 'yearly_cost', 'concertes_funding'),
    ]

# Record rules: (model, modes, group, domain that the group is held to);
# fin is exempted of each of them
RULES = [
    ('concertes.eu.project', ('write', 'delete'), 'proj',
        [('state', '!=', 'closed')]),
    ('concertes.event', ('read',), 'ro', [('published', '=', True)]),
    ('concertes.event.organiser', ('read',), 'ro',
        [('event.published', '=', True)]),
    ('concertes.event.session', ('read',), 'ro',
        [('event.published', '=', True)]),
    ('concertes.event.ticket', ('read',), 'ro',
        [('event.published', '=', True)]),
    ('concertes.event.statistic', ('read',), 'ro',
        [('event.published', '=', True)]),
    ('concertes.event.statistic.session', ('read',), 'ro',
        [('event.published', '=', True)]),
    ('concertes.event.statistic.ticket', ('read',), 'ro',
        [('event.published', '=', True)]),
    ('concertes.event.statistic.organisation_kind', ('read',), 'ro',
        [('event.published', '=', True)]),
    ('concertes.event.registration', ('delete',), 'evt',
        [('state', 'in', ['draft', 'cancelled'])]),
    ]
