# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "ConcertES Mandate Configuration"
    __name__ = 'concertes.mandate.configuration'

    reminder_delay = fields.Integer(
        "Default Reminder Delay", required=True,
        domain=[('reminder_delay', '>=', 0)],
        help="The number of days before the planned end of a mandate at "
        "which the person in charge is reminded, "
        "when the body sets no delay of its own.")
    responsible = fields.Many2One(
        'res.user', "Default Person in Charge", ondelete='SET NULL',
        help="The user reminded when the body names no person in charge.")

    @staticmethod
    def default_reminder_delay():
        return 90
