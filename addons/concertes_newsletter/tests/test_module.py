# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.concertes_members.tests import FrenchTranslationMixin
from trytond.tests.test_tryton import ModuleTestCase


class ConcertesNewsletterTestCase(
        FrenchTranslationMixin, CompanyTestMixin, ModuleTestCase):
    "Test ConcertES Newsletter module"
    module = 'concertes_newsletter'
    extras = ['concertes_events', 'concertes_mandates']


del ModuleTestCase
