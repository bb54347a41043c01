# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    DateRangeMixin, FieldChecksMixin, rec_name_domain)


class Opinion(FieldChecksMixin, DateRangeMixin, ModelSQL, ModelView):
    "ConcertES Opinion"
    __name__ = 'concertes.opinion'
    _field_checks = {'check_meeting': {'meeting', 'body'}}
    _date_ranges = [('request_date', 'issue_date')]

    body = fields.Many2One(
        'concertes.body', "Body", required=True, ondelete='RESTRICT',
        domain=[('scope', '=', 'external')],
        help="The body that issued the opinion.")
    reference = fields.Char("Reference")
    subject = fields.Char("Subject", required=True)
    requested_by = fields.Many2One(
        'party.party', "Requested by", ondelete='RESTRICT',
        help="The authority that asked for the opinion "
        "(e.g. the Walloon Government).")
    request_date = fields.Date("Request Date")
    issue_date = fields.Date("Issue Date")
    meeting = fields.Many2One(
        'concertes.meeting', "Meeting", ondelete='SET NULL',
        help="The meeting of the body that adopted the opinion.")
    document = fields.Binary("Document", filename='document_name')
    document_name = fields.Char("Document Name")
    contribution = fields.Text(
        "Our Contribution",
        help="What ConcertES brought to the opinion.")
    dossiers = fields.Many2Many(
        'concertes.dossier-concertes.opinion', 'opinion', 'dossier',
        "Files")
    state = fields.Function(fields.Selection([
                ('requested', "Requested"),
                ('issued', "Issued"),
                ], "State"), 'get_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.body, Index.Range()), (t.issue_date, Index.Range())))
        cls._order = [
            ('issue_date', 'DESC NULLS FIRST'), ('request_date', 'DESC'),
            ('id', 'DESC')]

    def get_state(self, name):
        return 'issued' if self.issue_date else 'requested'

    def get_rec_name(self, name):
        return '%s: %s' % (self.body.code, self.subject)

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, ['subject', 'reference', 'body.code'])

    @classmethod
    def check_meeting(cls, opinions):
        for opinion in opinions:
            if opinion.meeting and opinion.meeting.body != opinion.body:
                raise ValidationError(gettext(
                        'concertes_mandates.msg_opinion_meeting_body',
                        opinion=opinion.rec_name,
                        meeting=opinion.meeting.rec_name))
