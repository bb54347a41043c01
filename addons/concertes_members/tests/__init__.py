# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import os

import polib

from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.tools import file_open

__all__ = ['DutchTranslationMixin', 'FrenchTranslationMixin']


def missing_translations(module, language):
    "The strings of the module without a text in its locale/<language>.po"
    pool = Pool()
    Translation = pool.get('ir.translation')
    TranslationSet = pool.get('ir.translation.set', type='wizard')
    session_id, _, _ = TranslationSet.create()
    TranslationSet.execute(session_id, {}, 'set_')
    TranslationSet.delete(session_id)

    source = polib.pofile(
        Translation.translation_export('en', module).decode())
    with file_open(
            os.path.join(module, 'locale', language + '.po'), 'rb') as fp:
        catalogue = polib.pofile(fp.read().decode())
    translated = {
        (e.msgctxt, e.msgid) for e in catalogue
        if (e.msgstr or any(e.msgstr_plural.values()))
        and 'fuzzy' not in e.flags}
    return sorted(
        '%s %r' % (e.msgctxt, e.msgid) for e in source
        if e.msgid and (e.msgctxt, e.msgid) not in translated)


def assert_translated(test, lang):
    "Assert that every string of test's module is in its locale/<lang>.po"
    missing = missing_translations(test.module, lang)
    test.assertFalse(
        missing, "Missing from %s/locale/%s.po:\n%s" % (
            test.module, lang, '\n'.join(missing)))


class FrenchTranslationMixin:
    "Check that every string of the module is translated in locale/fr.po"

    @with_transaction()
    def test_french_translations_complete(self):
        "Every label, help, selection and message has its French text"
        assert_translated(self, 'fr')


class DutchTranslationMixin:
    "Check that every string of the module is translated in locale/nl.po"

    @with_transaction()
    def test_dutch_translations_complete(self):
        "Every label, help, selection and message has its Dutch text"
        assert_translated(self, 'nl')
