# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The access matrix of the ConcertES roles: model x group x operation

One line per model under the module that declares the rights: for each role
the operations it may do: r(ead), c(reate), w(rite), d(elete), - for none.
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


def _matrix(table):
    """{model: (module, fin, proj, evt, gov, ro)} from a table of lines
    'model fin proj evt gov ro' ('-' for none) under '[module]' headings"""
    matrix = {}
    for line in table.split('\n'):
        if line.startswith('['):
            module = line.strip('[]')
        elif line.strip() and not line.startswith('#'):
            model, *perms = line.split()
            assert len(perms) == len(GROUPS) and model not in matrix, line
            matrix[model] = (module, *(p.strip('-') for p in perms))
    return matrix


# The lists and issues of marketing_email are concertes_newsletter's;
# concertes_funding is ConcertES's own grants: finance manages them.
MATRIX = _matrix('''
# model                                               fin  proj evt  gov  ro
[concertes_members]
concertes.membership                                  rcwd r    r    rcwd r
concertes.membership.fee                              rcwd -    -    r    r
concertes.body                                        rcwd r    r    rcwd r
concertes.body.member                                 rcwd r    r    rcwd r
concertes.meeting                                     rcwd r    r    rcwd r
concertes.meeting.attendance                          rcwd -    -    rcwd r
concertes.meeting.monthly                             r    r    r    r    r
concertes.request                                     rcwd r    r    rcwd r
concertes.party.duplicate                             rw   -    -    rw   r
concertes.deadline                                    r    r    r    r    r
concertes.dashboard.figures                           r    r    r    r    r
concertes.dashboard.figure                            r    r    r    r    r
concertes.privacy.configuration                       rw   r    r    r    r
concertes.privacy.retention                           rcwd r    r    r    r
[concertes_mandates]
concertes.mandate                                     rcwd r    r    rcwd r
concertes.mandate.configuration                       rw   -    -    rw   r
concertes.opinion                                     rcwd r    r    rcwd r
concertes.dossier                                     rcwd r    r    rcwd r
concertes.dossier.action                              rcwd r    r    rcwd r
concertes.dossier-concertes.body                      rcwd r    r    rcwd r
concertes.dossier-concertes.meeting                   rcwd r    r    rcwd r
concertes.dossier-concertes.opinion                   rcwd r    r    rcwd r
concertes.dossier-party.party                         rcwd r    r    rcwd r
[concertes_eu_projects]
concertes.eu.programme                                rcwd r    -    -    r
concertes.eu.programme.criterion                      rcwd r    -    -    r
concertes.eu.deliverable.type                         rcwd r    -    -    r
concertes.eu.dissemination.level                      rcwd r    -    -    r
concertes.eu.programme-deliverable.type               rcwd r    -    -    r
concertes.eu.programme-dissemination.level            rcwd r    -    -    r
concertes.eu.project                                  rcwd rcwd -    -    r
concertes.eu.partner                                  rcwd rcwd -    -    r
concertes.eu.project.score                            rcwd rcwd -    -    r
concertes.eu.deliverable                              rcwd rcwd -    -    r
concertes.eu.milestone                                rcwd rcwd -    -    r
concertes.eu.period                                   rcwd rcwd -    -    r
concertes.eu.configuration                            rw   r    -    -    r
concertes.eu.budget.line                              rcwd r    -    -    r
concertes.eu.budget.overview.partner                  r    r    -    -    r
concertes.eu.budget.overview.work_package             r    r    -    -    r
concertes.eu.budget.spending                          r    r    -    -    r
concertes.eu.cost.category                            rcwd r    -    -    r
concertes.eu.personnel.rate                           rcwd -    -    -    -
concertes.eu.expense                                  rcwd r    -    -    r
concertes.eu.lump_sum.share                           rcwd r    -    -    r
concertes.eu.lump_sum.completion                      rcwd r    -    -    r
concertes.eu.payment                                  rcwd r    -    -    r
concertes.eu.time.declaration                         rcwd rcwd -    -    r
concertes.eu.time.declaration.line                    rcwd rcwd -    -    r
project.work                                          rcwd rcwd r    r    r
company.employee_cost_price                           rcwd -    -    -    -
[concertes_events]
concertes.event                                       rcwd r    rcwd r    r
concertes.event.organiser                             rcwd r    rcwd r    r
concertes.event.session                               rcwd r    rcwd r    r
concertes.event.ticket                                rcwd r    rcwd r    r
concertes.event.registration                          rcwd -    rcwd -    -
concertes.event.registration-concertes.event.session  rcwd -    rcwd -    -
concertes.event.intervention                          rcwd r    rcwd r    r
concertes.event.seat                                  rcwd -    r    -    -
concertes.event.web.hit                               r    -    r    -    -
concertes.event.statistic                             r    r    r    r    r
concertes.event.statistic.session                     r    r    r    r    r
concertes.event.statistic.ticket                      r    r    r    r    r
concertes.event.statistic.organisation_kind           r    r    r    r    r
[concertes_newsletter]
marketing.email                                       rcwd -    rcwd r    -
marketing.email.list                                  rcwd r    rcwd r    r
marketing.email.message                               rcwd r    rcwd r    r
concertes.newsletter.message-list                     rcwd r    rcwd r    r
concertes.newsletter.template                         rcwd -    rcwd r    -
concertes.newsletter.delivery                         r    -    r    -    -
concertes.newsletter.suppression                      r    -    r    -    -
concertes.newsletter.configuration                    rw   -    rw   r    -
[concertes_directory]
concertes.accreditation                               rcwd r    r    rcwd r
concertes.accreditation.type                          rcwd r    r    rcwd r
concertes.accreditation.duty                          rcwd r    r    rcwd r
concertes.accreditation.report                        rcwd r    r    rcwd r
concertes.enterprise.activity                         rcwd r    r    rcwd r
concertes.enterprise.establishment                    rcwd r    r    rcwd r
concertes.kbo.code                                    rcwd r    r    rcwd r
concertes.kbo.configuration                           rw   -    -    rw   r
concertes.kbo.extract                                 rcwd r    r    rcwd r
concertes.kbo.change                                  rcwd r    r    rcwd r
concertes.accreditation.statistic                     r    r    r    r    r
concertes.accreditation.statistic.year                r    r    r    r    r
[concertes_funding]
concertes.grant                                       rcwd r    r    r    r
concertes.grant.year                                  rcwd r    r    r    r
concertes.grant.instalment                            rcwd r    r    r    r
concertes.grant.report                                rcwd r    r    r    r
# the team: everyone declares the month, finance keeps the contracts
concertes.employee.contract                           rcwd r    r    r    r
concertes.time.declaration                            rcwd rcwd rcwd rcwd r
concertes.time.declaration.line                       rcwd rcwd rcwd rcwd r
''')

# Fields that show salaries or cost rates: only fin reads and writes them
# (model, field, module declaring the field access)
HIDDEN_FIELDS = [
    ('company.employee', 'cost_price', 'concertes_eu_projects'),
    ('timesheet.line', 'cost_price', 'concertes_eu_projects'),
    ('concertes.eu.personnel.rate', 'annual_cost', 'concertes_eu_projects'),
    ('concertes.eu.personnel.rate', 'daily_rate', 'concertes_eu_projects'),
    ('concertes.employee.contract', 'yearly_cost', 'concertes_funding'),
    ]

# Record rules: (model, modes, group, domain that the group is held to, name
# of the rule); fin is exempted of each of them
PUBLISHED_ONLY = 'Read-only users see only published events'
RULES = [
    ('concertes.eu.project', ('write', 'delete'), 'proj',
        [('state', '!=', 'closed')],
        'Project officers change only projects that are not closed'),
    ('concertes.event', ('read',), 'ro', [('published', '=', True)],
        PUBLISHED_ONLY),
    ] + [
    (model, ('read',), 'ro', [('event.published', '=', True)],
        PUBLISHED_ONLY)
    for model in [
        'concertes.event.organiser', 'concertes.event.session',
        'concertes.event.ticket', 'concertes.event.statistic',
        'concertes.event.statistic.session',
        'concertes.event.statistic.ticket',
        'concertes.event.statistic.organisation_kind']] + [
    ('concertes.event.registration', ('delete',), 'evt',
        [('state', 'in', ['draft', 'cancelled'])],
        'The events team deletes only draft or cancelled registrations'),
    ]
