# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    dossiers = fields.Many2Many(
        'concertes.dossier-party.party', 'party', 'dossier', "Files")
    mandates = fields.One2Many(
        'concertes.mandate', 'person', "Mandates",
        help="The mandates the person holds in external bodies.")
