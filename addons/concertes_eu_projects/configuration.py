# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from decimal import Decimal

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

    hours_per_day = fields.Numeric(
        "Hours per Day", digits=(16, 2), required=True,
        domain=[('hours_per_day', '>', 0)],
        help="The hours of a working day, to convert timesheet hours into "
        "days for the daily rates and the time declarations.")
    alert_margin = fields.Numeric(
        "Alert Margin", digits=(16, 4), required=True,
        domain=[('alert_margin', '>=', 0)],
        help="By how much the budget consumption may run ahead of the time "
        "elapsed before an alert is raised (0.15 for 15 points).")

    @classmethod
    def default_hours_per_day(cls):
        return Decimal('7.6')

    @classmethod
    def default_alert_margin(cls):
        return Decimal('0.15')

    @classmethod
    def default_reminder_days(cls):
        return 14


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'
    _jobs = [
        ('concertes.eu.deliverable|send_reminders',
            "Remind Deliverables Due"),
        ('concertes.eu.project|follow_dates',
            "Move the EU Projects with their Dates"),
        ]
