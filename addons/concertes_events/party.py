# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql import Column, Null, Union

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

# The records of the party itself, which make no other relation to us
OWN_RECORDS = {
    'party.address', 'party.contact_mechanism', 'party.identifier',
    'ir.email', 'concertes.event.registration'}


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    registrant_only = fields.Function(fields.Boolean(
            "Registrant Only",
            help="The person is known only by registrations to events: only "
            "the events team and administration see them."),
        'get_registrant_only', searcher='search_registrant_only')

    @classmethod
    def _registrant_only_query(cls):
        "The query of the ids of the parties known only by registrations"
        pool = Pool()
        Registration = pool.get('concertes.event.registration')
        registration = Registration.__table__()
        others = [
            registration.select(registration.organisation,
                where=registration.organisation != Null)]
        sources = cls._personal_data_sources() + [
            ('company.employee', ['party'])]
        for model, field_names in sources:
            if model in OWN_RECORDS:
                continue
            Model = pool.get(model)
            if Model._is_table_query():
                continue
            for name in field_names:
                table = Model.__table__()
                column = Column(table, name)
                others.append(table.select(column, where=column != Null))
        return registration.select(registration.party,
            where=(registration.party != Null)
            & ~registration.party.in_(Union(*others, all_=True)))

    @classmethod
    def get_registrant_only(cls, parties, name):
        cursor = Transaction().connection.cursor()
        result = dict.fromkeys([p.id for p in parties], False)
        query = cls._registrant_only_query()
        for sub_ids in grouped_slice([p.id for p in parties]):
            cursor.execute(*query.select(query.party,
                    where=query.party.in_(list(sub_ids))))
            for party_id, in cursor:
                result[party_id] = True
        return result

    @classmethod
    def search_registrant_only(cls, name, clause):
        _, operator, value = clause
        positive = (operator == '=') == bool(value)
        return [('id', 'in' if positive else 'not in',
                cls._registrant_only_query())]
