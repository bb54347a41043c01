# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import os

import polib

from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.tools import file_open

__all__ = ['FrenchTranslationMixin']


class FrenchTranslationMixin:
    "Check that every string of the module is translated in locale/fr.po"

    @with_transaction()
    def test_french_translations_complete(self):
        "Every label, help, selection and message has its French text"
        pool = Pool()
        Translation = pool.get('ir.translation')
        TranslationSet = pool.get('ir.translation.set', type='wizard')
        session_id, _, _ = TranslationSet.create()
        TranslationSet.execute(session_id, {}, 'set_')
        TranslationSet.delete(session_id)

        source = polib.pofile(
            Translation.translation_export('en', self.module).decode())
        with file_open(
                os.path.join(self.module, 'locale', 'fr.po'), 'rb') as fp:
            french = polib.pofile(fp.read().decode())
        translated = {
            (e.msgctxt, e.msgid) for e in french
            if (e.msgstr or all(e.msgstr_plural.values()) and e.msgstr_plural)
            and 'fuzzy' not in e.flags}
        missing = sorted(
            '%s %r' % (e.msgctxt, e.msgid) for e in source
            if e.msgid and (e.msgctxt, e.msgid) not in translated)
        self.assertFalse(
            missing, "Missing from %s/locale/fr.po:\n%s" % (
                self.module, '\n'.join(missing)))
