# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import PoolMeta


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "EU Projects Configuration"
    __name__ = 'concertes.eu.configuration'

    reminder_days = fields.Integer(
        "Reminder Days", required=True,
        domain=[('reminder_days', '>=', 0)],
        help="How many days before its due date the lead person of a "
        "deliverable is reminded by e-mail.")

    @classmethod
    def default_reminder_days(cls):
        return 14


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('concertes.eu.deliverable|send_reminders',
                    "Remind Deliverables Due"),
                ])
