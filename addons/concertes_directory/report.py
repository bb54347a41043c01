# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction

# The template is written in French
KINDS = {
    'application': "Demande",
    'renewal': "Renouvellement",
    'examined': "Examiné",
    }


class MeetingFiles(Report):
    "The accreditation files to examine at a meeting, its annex"
    __name__ = 'concertes.meeting.accreditation_files'

    @classmethod
    def get_context(cls, records, header, data):
        Accreditation = Pool().get('concertes.accreditation')
        context = super().get_context(records, header, data)
        with Transaction().set_context(language='fr'):
            context['files'] = {m.id: [{
                        'kind': KINDS[kind],
                        'date': date,
                        'accreditation': accreditation,
                        } for kind, date, accreditation in
                    Accreditation.files_to_examine(m)]
                for m in records}
        context['format_day'] = cls.format_day
        return context

    @staticmethod
    def format_day(date):
        return date.strftime('%d/%m/%Y') if date else '…'
