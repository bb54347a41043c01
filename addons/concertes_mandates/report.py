# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.concertes_members.common import (
    PrintWizardMixin, print_buttons)
from trytond.modules.concertes_members.report import PdfReportMixin
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import StateAction, StateView, Wizard


def general_assembly(year):
    "The last general assembly meeting of the year (not cancelled)"
    Meeting = Pool().get('concertes.meeting')
    meetings = Meeting.search([
            ('body.kind', '=', 'general_assembly'),
            ('state', '!=', 'cancelled'),
            ('start', '>=', dt.datetime(year, 1, 1)),
            ('start', '<', dt.datetime(year + 1, 1, 1)),
            ], order=[('start', 'DESC')], limit=1)
    return meetings[0] if meetings else None


class ReportBack(PdfReportMixin, Report):
    "Mandates Report-Back"
    __name__ = 'concertes.mandate.report_back'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Mandate = pool.get('concertes.mandate')
        Meeting = pool.get('concertes.meeting')
        context = super().get_context(records, header, data)
        year = int(data.get('year') or dt.date.today().year)
        if data.get('assembly'):
            assembly = Meeting(data['assembly'])
        else:
            assembly = general_assembly(year)
        # the template is written in French: so are the selection labels
        with Transaction().set_context(language='fr'):
            bodies = Mandate.report_back(year)
            not_retained = Mandate.search([
                    ('state', '=', 'not_retained'),
                    ('start_date', '>=', dt.date(year, 1, 1)),
                    ('start_date', '<=', dt.date(year, 12, 31)),
                    ], order=[('start_date', 'ASC'), ('id', 'ASC')])
        context['not_retained'] = not_retained
        context['year'] = year
        context['assembly'] = assembly
        context['bodies'] = bodies
        context['mandate_count'] = sum(len(b['mandates']) for b in bodies)
        context['opinion_count'] = sum(len(b['opinions']) for b in bodies)
        context['format_rate'] = cls.format_rate
        context['format_day'] = cls.format_day
        return context

    @staticmethod
    def format_rate(rate):
        if rate is None:
            return '–'
        return '%d %%' % round(rate * 100)

    @staticmethod
    def format_day(date):
        return date.strftime('%d/%m/%Y') if date else '…'


class ReportBackStart(ModelView):
    "Mandates Report-Back"
    __name__ = 'concertes.mandate.report_back.start'

    year = fields.Integer("Year", required=True)
    assembly = fields.Many2One(
        'concertes.meeting', "General Assembly",
        domain=[('body.kind', '=', 'general_assembly')],
        help="The general assembly meeting the report is presented to "
        "(its date is printed on the cover).")

    @staticmethod
    def default_year():
        return dt.date.today().year

    @fields.depends('year')
    def on_change_year(self):
        self.assembly = general_assembly(self.year) if self.year else None


class PrintReportBack(PrintWizardMixin, Wizard):
    "Print Mandates Report-Back"
    __name__ = 'concertes.mandate.report_back.print'

    start = StateView(
        'concertes.mandate.report_back.start',
        'concertes_mandates.report_back_start_view_form',
        print_buttons())
    print_ = StateAction('concertes_mandates.report_mandate_report_back')
    print_odt = StateAction(
        'concertes_mandates.report_mandate_report_back_odt')

    def _data(self):
        if self.start.year < 1900:
            raise UserError(gettext(
                    'concertes_mandates.msg_report_back_year',
                    year=self.start.year))
        return {
            'year': self.start.year,
            'assembly': self.start.assembly.id if self.start.assembly
            else None,
            }
