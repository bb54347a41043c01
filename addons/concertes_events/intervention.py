# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.concertes_members.common import DateRangeMixin


class Intervention(DateRangeMixin, ModelSQL, ModelView):
    """ConcertES Intervention

    An event organised by others where someone of the team speaks: recorded
    without registration, for the activity report.
    """
    __name__ = 'concertes.event.intervention'
    _date_ranges = [('date', 'end_date')]

    date = fields.Date("Date", required=True)
    end_date = fields.Date(
        "End Date", help="The last day, when the event lasts several days.")
    event_name = fields.Char(
        "Event", required=True, translate=True,
        help="The name of the event where the team member spoke.")
    kind = fields.Selection([
            ('presentation', "Presentation"),
            ('round_table', "Round Table"),
            ('debate', "Debate"),
            ('course', "Course"),
            ('conference', "Conference"),
            ('other', "Other"),
            ], "Kind", required=True)
    organiser = fields.Many2One(
        'party.party', "Organiser", ondelete='RESTRICT',
        help="The organisation that invited ConcertES.")
    speaker = fields.Many2One(
        'party.party', "Speaker", ondelete='RESTRICT',
        help="The member of the team who spoke.")
    topic = fields.Text("Topic", required=True)
    audience = fields.Char(
        "Audience", help="Who the intervention was addressed to.")
    place = fields.Char("Place")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.date, Index.Range())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_kind():
        return 'presentation'

    def get_rec_name(self, name):
        return '%s (%s)' % (self.event_name, self.date)
