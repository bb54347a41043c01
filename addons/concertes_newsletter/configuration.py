# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.transaction import Transaction


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "ConcertES Newsletter Configuration"
    __name__ = 'concertes.newsletter.configuration'

    batch_size = fields.Integer(
        "Batch Size", required=True,
        help="How many messages one task of the queue sends.")
    rate = fields.Integer(
        "Rate", required=True,
        help="At most how many messages a second are handed to the mail "
        "server (0: as fast as possible).")
    confirmation_hours = fields.Integer(
        "Confirmation Validity", required=True,
        help="How many hours the link of a confirmation e-mail works.")
    consent_version = fields.Char(
        "Consent Text Version", required=True,
        help="The version of the consent text shown on the subscription "
        "page; it is stored with each subscription.")
    unsubscribe_mailto = fields.Char(
        "Unsubscribe Address",
        help="The address of the mailto link of the List-Unsubscribe "
        "header; empty: the sender address.")

    @classmethod
    def default_batch_size(cls):
        return 100

    @classmethod
    def default_rate(cls):
        return 50

    @classmethod
    def default_confirmation_hours(cls):
        return 72

    @classmethod
    def default_consent_version(cls):
        return '2026-1'

    def consent_values(self, language):
        "The values recording a consent given now in the language"
        with Transaction().set_context(language=language):
            text = gettext('concertes_newsletter.msg_consent_text')
        return {
            'consent_date': dt.datetime.now(),
            'consent_version': self.consent_version,
            'consent_text': text,
            }
