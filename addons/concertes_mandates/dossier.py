# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    DateRangeMixin, FieldChecksMixin, SearchRecNameMixin, periods_overlap)

from .body import LEVELS


class Dossier(SearchRecNameMixin, DateRangeMixin, ModelSQL, ModelView):
    "ConcertES Advocacy File"
    __name__ = 'concertes.dossier'

    code = fields.Char(
        "Code", required=True, strip=True,
        help="A short name for the file (IDESS, TVA6...).")
    name = fields.Char("Subject", required=True)
    level = fields.Selection(LEVELS, "Level")
    state = fields.Selection([
            ('open', "Open"),
            ('watch', "Watch"),
            ('closed', "Closed"),
            ], "State", required=True, sort=False,
        help="Open: followed actively; watch: settled but watched; "
        "closed: no longer followed.")
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date")
    responsible = fields.Many2One(
        'res.user', "Person in Charge", ondelete='SET NULL')
    description = fields.Text("Description")
    bodies = fields.Many2Many(
        'concertes.dossier-concertes.body', 'dossier', 'body', "Bodies")
    meetings = fields.Many2Many(
        'concertes.dossier-concertes.meeting', 'dossier', 'meeting',
        "Meetings")
    opinions = fields.Many2Many(
        'concertes.dossier-concertes.opinion', 'dossier', 'opinion',
        "Opinions")
    contacts = fields.Many2Many(
        'concertes.dossier-party.party', 'dossier', 'party', "Contacts",
        help="The ministerial cabinets, administrations and people met.")
    actions = fields.One2Many(
        'concertes.dossier.action', 'dossier', "Actions")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_uniq', Unique(t, t.code),
                'concertes_mandates.msg_dossier_code_unique'),
            ]
        cls._order = [
            ('start_date', 'DESC'), ('code', 'ASC'), ('id', 'DESC')]

    @staticmethod
    def default_state():
        return 'open'

    @staticmethod
    def default_start_date():
        return dt.date.today()

    def get_rec_name(self, name):
        return '%s - %s' % (self.code, self.name)

    def overlaps(self, start, end):
        return periods_overlap(self.start_date, self.end_date, start, end)


class DossierAction(FieldChecksMixin, ModelSQL, ModelView):
    "ConcertES Advocacy File Action"
    __name__ = 'concertes.dossier.action'
    _field_checks = {'check_date': {'date', 'dossier'}}

    dossier = fields.Many2One(
        'concertes.dossier', "File", required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    kind = fields.Selection([
            ('meeting', "Meeting"),
            ('letter', "Letter or E-mail"),
            ('call', "Phone Call"),
            ('position', "Position Paper"),
            ('opinion', "Opinion"),
            ('event', "Event"),
            ('note', "Note"),
            ], "Kind", required=True, sort=False)
    description = fields.Text("Description", required=True)
    contact = fields.Many2One(
        'party.party', "Contact", ondelete='RESTRICT',
        help="The cabinet, administration or person addressed.")
    meeting = fields.Many2One(
        'concertes.meeting', "Meeting", ondelete='SET NULL')
    user = fields.Many2One('res.user', "By", ondelete='SET NULL')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.dossier, Index.Range()), (t.date, Index.Range())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_date():
        return dt.date.today()

    @staticmethod
    def default_kind():
        return 'meeting'

    @classmethod
    def check_date(cls, actions):
        for action in actions:
            if action.date < action.dossier.start_date:
                raise ValidationError(gettext(
                        'concertes_mandates.msg_dossier_action_before_start',
                        dossier=action.dossier.rec_name,
                        date=action.date))


class DossierLinkMixin:
    "A link of an advocacy file to a record, gone with the file"
    __slots__ = ()
    dossier = fields.Many2One(
        'concertes.dossier', "File", required=True, ondelete='CASCADE')


class DossierBody(DossierLinkMixin, ModelSQL):
    "ConcertES Advocacy File - Body"
    __name__ = 'concertes.dossier-concertes.body'
    body = fields.Many2One(
        'concertes.body', "Body", required=True, ondelete='CASCADE')


class DossierMeeting(DossierLinkMixin, ModelSQL):
    "ConcertES Advocacy File - Meeting"
    __name__ = 'concertes.dossier-concertes.meeting'
    meeting = fields.Many2One(
        'concertes.meeting', "Meeting", required=True, ondelete='CASCADE')


class DossierOpinion(DossierLinkMixin, ModelSQL):
    "ConcertES Advocacy File - Opinion"
    __name__ = 'concertes.dossier-concertes.opinion'
    opinion = fields.Many2One(
        'concertes.opinion', "Opinion", required=True, ondelete='CASCADE')


class DossierParty(DossierLinkMixin, ModelSQL):
    "ConcertES Advocacy File - Contact"
    __name__ = 'concertes.dossier-party.party'
    party = fields.Many2One(
        'party.party', "Contact", required=True, ondelete='CASCADE')
