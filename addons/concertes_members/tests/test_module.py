# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.model.exceptions import ValidationError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from . import FrenchTranslationMixin


class ConcertesMembersTestCase(
        FrenchTranslationMixin, CompanyTestMixin, ModuleTestCase):
    "Test ConcertES Members module"
    module = 'concertes_members'

    def _party(self, name='SAW-B', kind='member_federation'):
        Party = Pool().get('party.party')
        party, = Party.create([{'name': name, 'organisation_kind': kind}])
        return party

    @with_transaction()
    def test_membership_members_at_date(self):
        "Members at a date are computed from the memberships"
        Membership = Pool().get('concertes.membership')
        party = self._party()
        membership, = Membership.create([{
                    'party': party.id,
                    'start_date': dt.date(2024, 3, 1),
                    }])
        Membership.admit([membership])
        self.assertEqual(Membership.members_at(dt.date(2024, 2, 29)), [])
        self.assertEqual(
            Membership.members_at(dt.date(2024, 3, 1)), [party.id])
        membership.end_date = dt.date(2024, 12, 31)
        membership.save()
        Membership.resign([membership])
        self.assertEqual(
            Membership.members_at(dt.date(2024, 12, 31)), [party.id])
        self.assertEqual(Membership.members_at(dt.date(2025, 1, 1)), [])

    @with_transaction()
    def test_membership_overlap(self):
        "Overlapping memberships of one party are refused"
        Membership = Pool().get('concertes.membership')
        party = self._party()
        Membership.create([{
                    'party': party.id,
                    'start_date': dt.date(2020, 1, 1),
                    }])
        with self.assertRaisesRegex(ValidationError, 'overlaps'):
            Membership.create([{
                        'party': party.id,
                        'start_date': dt.date(2024, 1, 1),
                        }])

    @with_transaction()
    def test_membership_end_before_start(self):
        "A membership cannot end before it starts"
        Membership = Pool().get('concertes.membership')
        party = self._party()
        with self.assertRaises(ValidationError):
            Membership.create([{
                        'party': party.id,
                        'start_date': dt.date(2024, 1, 1),
                        'end_date': dt.date(2023, 1, 1),
                        }])

    @with_transaction()
    def test_meeting_of_ended_body(self):
        "An ended body cannot meet"
        pool = Pool()
        Body = pool.get('concertes.body')
        Meeting = pool.get('concertes.meeting')
        body, = Body.create([{
                    'code': 'GT-X', 'name': "Old group",
                    'kind': 'working_group',
                    'start_date': dt.date(2020, 1, 1),
                    'end_date': dt.date(2022, 12, 31),
                    }])
        with self.assertRaisesRegex(ValidationError, 'not active'):
            Meeting.create([{
                        'body': body.id,
                        'start': dt.datetime(2024, 5, 1, 10),
                        }])

    @with_transaction()
    def test_body_member_same_seat(self):
        "No person holds the same seat twice over one period"
        pool = Pool()
        Body = pool.get('concertes.body')
        BodyMember = pool.get('concertes.body.member')
        Party = pool.get('party.party')
        person, = Party.create([{'name': "Jane Doe"}])
        body, = Body.create([{
                    'code': 'CA', 'name': "Board", 'kind': 'board'}])
        BodyMember.create([{
                    'body': body.id, 'representative': person.id,
                    'start_date': dt.date(2024, 1, 1)}])
        with self.assertRaises(ValidationError):
            BodyMember.create([{
                        'body': body.id, 'representative': person.id,
                        'start_date': dt.date(2024, 6, 1)}])


del ModuleTestCase
