# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The deadlines of the home dashboard, as each module adds its own:
mandate planned ends, events, deliverables, milestones and periodic
reports (concertes.deadline)."""
import datetime as dt
import unittest

from trytond.modules.concertes_eu_projects.tests.tools import (
    create_periods, create_project, with_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

MODULES = [
    'concertes_members', 'concertes_mandates', 'concertes_events',
    'concertes_eu_projects']


class DeadlineTestCase(unittest.TestCase):
    "The deadlines that each module adds to the dashboard"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(MODULES)

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def _deadlines(self, kind):
        Deadline = Pool().get('concertes.deadline')
        return {d.origin: d for d in Deadline.search([('kind', '=', kind)])}

    @with_transaction()
    def test_deadline_mandate_end(self):
        "The planned end of a mandate in office is a deadline"
        pool = Pool()
        Body = pool.get('concertes.body')
        Party = pool.get('party.party')
        Mandate = pool.get('concertes.mandate')
        today = dt.date.today()
        body, = Body.create([{
                    'code': 'CWES', 'name': "Conseil wallon",
                    'kind': 'external', 'scope': 'external'}])
        person, = Party.create([{'name': "Denis Morrier"}])
        ending, ended = Mandate.create([{
                    'body': body.id, 'person': person.id,
                    'start_date': today - dt.timedelta(days=1000),
                    'planned_end_date': today + dt.timedelta(days=20),
                    }, {
                    'body': body.id, 'person': person.id,
                    'start_date': today - dt.timedelta(days=3000),
                    'planned_end_date': today - dt.timedelta(days=1500),
                    }])
        Mandate.appoint([ending])
        deadlines = self._deadlines('mandate_end')
        self.assertEqual(list(deadlines), [ending])
        deadline = deadlines[ending]
        self.assertEqual(deadline.date, today + dt.timedelta(days=20))
        self.assertEqual(deadline.name, "CWES – Denis Morrier")
        self.assertFalse(deadline.late)

    @with_transaction()
    def test_deadline_event(self):
        "An event to come is a deadline, a cancelled one is not"
        pool = Pool()
        Event = pool.get('concertes.event')
        start = dt.datetime.combine(
            dt.date.today() + dt.timedelta(days=15), dt.time(9))
        inspires, cancelled = Event.create([{
                    'name': name, 'kind': 'conference', 'start': start,
                    'end': start + dt.timedelta(hours=8),
                    } for name in ["InspirES", "Annulé"]])
        Event.cancel([cancelled])
        deadlines = self._deadlines('event')
        self.assertEqual(list(deadlines), [inspires])
        self.assertEqual(deadlines[inspires].date, start.date())
        self.assertEqual(deadlines[inspires].name, "InspirES")

    @with_company
    def test_deadline_eu_project(self, company):
        """Deliverables, milestones and periodic reports are due on the
        dates the project computes; done ones are not deadlines"""
        pool = Pool()
        Deliverable = pool.get('concertes.eu.deliverable')
        Milestone = pool.get('concertes.eu.milestone')
        today = dt.date.today()
        project = create_project(
            acronym='CAPSE', company=company.id, state='running',
            start_date=dt.date(today.year - 4, 10, 1), duration=36)
        late, later, done = Deliverable.create([{
                    'project': project.id, 'number': number,
                    'title': "Deliverable %s" % number,
                    'due_month': month,
                    } for number, month in [
                    ('D1.1', 2), ('D2.1', 20), ('D3.1', 3)]])
        done.submission_date = today
        done.justification = "Delayed by the consortium."
        done.save()
        Deliverable.submit([done])
        milestone, = Milestone.create([{
                    'project': project.id, 'number': 'MS1',
                    'title': "Kick-off", 'due_month': 1}])
        period, = create_periods(project, (1, 18))

        deliverables = self._deadlines('deliverable')
        self.assertEqual(set(deliverables), {late, later})
        for deliverable, deadline in deliverables.items():
            self.assertEqual(deadline.date, deliverable.due_date)
            self.assertEqual(deadline.late, deliverable.due_date < today)
        self.assertTrue(deliverables[late].late)
        self.assertEqual(
            deliverables[late].name, "CAPSE D1.1 Deliverable D1.1")
        milestones = self._deadlines('milestone')
        self.assertEqual(list(milestones), [milestone])
        self.assertEqual(milestones[milestone].date, milestone.due_date)
        reports = self._deadlines('period_report')
        self.assertEqual(list(reports), [period])
        self.assertEqual(reports[period].date, period.report_due_date)
        self.assertEqual(reports[period].name, "CAPSE M1–M18")
