# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.concertes_members.tests import FrenchTranslationMixin
from trytond.tests.test_tryton import ModuleTestCase


class ConcertesEventsTestCase(
        FrenchTranslationMixin, CompanyTestMixin, ModuleTestCase):
    "Test concertes_events module"
    module = 'concertes_events'


del ModuleTestCase
