# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The set-ups shared by the tests of concertes_newsletter"
from trytond.pool import Pool


def create_list(name="Lettre", kind='subscribers', **values):
    pool = Pool()
    List = pool.get('marketing.email.list')
    Lang = pool.get('ir.lang')
    lang, = Lang.search([('code', '=', 'en')])
    list_, = List.create([dict(
                name=name, kind=kind, language=lang.id, **values)])
    return list_


def subscribe(list_, *addresses):
    Email = Pool().get('marketing.email')
    return Email.create([{
                'email': a, 'list_': list_.id, 'active': True,
                'source': 'import'} for a in addresses])


def create_person(name, email):
    Party = Pool().get('party.party')
    party, = Party.create([{
                'name': name,
                'contact_mechanisms': [('create', [{
                                'type': 'email', 'value': email}])],
                }])
    return party
