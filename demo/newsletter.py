# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The newsletter: the monthly newsletter and the sector agenda (2024
activity report, communication), and the list of the representatives of the
member federations, synchronised from the members"""
from proteus import Model

from .common import find_or_create


def build(config):
    Lang = Model.get('ir.lang')
    french, = Lang.find([('code', '=', 'fr')])
    monthly = find_or_create(
        'marketing.email.list', [('code', '=', 'monthly')],
        **{'code': 'monthly', 'name': "Lettre d'information mensuelle",
            'kind': 'subscribers', 'public': True, 'language': french,
            'description': "Les nouvelles de ConcertES et de ses membres, "
            "une fois par mois."})
    find_or_create('marketing.email.list', [('code', '=', 'agenda')],
        **{'code': 'agenda', 'name': "Agenda du secteur",
            'kind': 'subscribers', 'public': True, 'language': french,
            'description': "Les évènements de l'économie sociale en "
            "Wallonie et à Bruxelles."})
    representatives = find_or_create(
        'marketing.email.list', [('code', '=', 'representatives')],
        code='representatives',
        name="Représentant·es des fédérations membres",
        kind='member_representatives', language=french)
    representatives.click('sync')
    # A few subscribers added in the back-office (the former list of 2,000
    # is imported from its CSV file: tools/newsletter_import.py)
    for i, (name, language) in enumerate([
                ("Claire Dumont", 'fr'), ("Pieter Janssens", 'nl'),
                ("Sophie Lambert", 'fr'), ("Marc Renard", 'fr'),
                ("Eva Peeters", 'nl'), ("Julie Martin", 'en')]):
        address = '%s@example.be' % name.lower().replace(' ', '.')
        find_or_create('marketing.email', [
                ('email', '=', address), ('list_', '=', monthly.id)],
            email=address, list_=monthly, name=name, language=language)
