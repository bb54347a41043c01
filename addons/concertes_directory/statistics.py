# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Accredited enterprises by type, region and sector family, at a date and
year by year (the Observatory's figures)"""
import datetime as dt

from sql import Column, Null, Values
from sql.aggregate import Count
from sql.conditionals import Coalesce
from sql.operators import Concat

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.concertes_members.common import context_date, sql_tables
from trytond.modules.concertes_members.party import REGIONS, SECTOR_FAMILIES
from trytond.pool import Pool
from trytond.transaction import Transaction

from .party import valid_on


class _AccreditedMixin(ModelSQL, ModelView):
    __slots__ = ()

    type = fields.Many2One(
        'concertes.accreditation.type', "Accreditation Type", readonly=True)
    region = fields.Selection(
        [(None, "")] + REGIONS, "Region", readonly=True,
        help="The region of the accreditation type.")
    sector_family = fields.Selection(
        [(None, "")] + SECTOR_FAMILIES, "Sector Family", readonly=True,
        help="An enterprise of several families counts in each of them; "
        "empty for the enterprises without family.")
    enterprises = fields.Integer(
        "Enterprises", readonly=True,
        help="The enterprises that held an accreditation of the type "
        "on the date: decided (not applied for, not suspended), valid "
        "on the date and not withdrawn by then.")

    @classmethod
    def _dates(cls):
        "[(key, date)]: the rows are counted on each date"
        raise NotImplementedError

    @classmethod
    def _accredited_query(cls):
        """The query of (key, date, type, region, sector family, number of
        enterprises) for each date of _dates"""
        a, t, p = sql_tables(
            'concertes.accreditation', 'concertes.accreditation.type',
            'party.party')
        dates = Values([[k, d] for k, d in cls._dates()])
        key, date = Column(dates, 'column1'), Column(dates, 'column2')
        sectors = Values([[i + 1, c] for i, (c, _) in enumerate(
                    SECTOR_FAMILIES)])
        sector_index = Column(sectors, 'column1')
        sector = Column(sectors, 'column2')
        database = Transaction().database
        try:
            has_sector = database.json_key_exists(p.sector_families, sector)
        except NotImplementedError:
            has_sector = p.sector_families.like(
                Concat(Concat('%"', sector), '"%'))
        query = (a.join(dates, condition=(valid_on(a, date)
                    & ((a.withdrawal_date == Null)
                        | (a.withdrawal_date > date))))
            .join(t, condition=a.type == t.id)
            .join(p, condition=a.party == p.id)
            .join(sectors, 'LEFT', condition=has_sector))
        return query.select(
            key.as_('key'), t.id.as_('type'), t.region.as_('region'),
            sector.as_('sector_family'),
            (t.id * 10 + Coalesce(sector_index, 0)).as_('type_sector'),
            Count(a.party, distinct=True).as_('enterprises'),
            where=~a.state.in_(['applied', 'suspended']),
            group_by=[key, t.id, t.region, sector, sector_index])


class AccreditedStatistic(_AccreditedMixin):
    "ConcertES Accredited Enterprises at a Date"
    __name__ = 'concertes.accreditation.statistic'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('type', 'ASC'), ('sector_family', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _dates(cls):
        return [(0, context_date())]

    @classmethod
    def table_query(cls):
        q = cls._accredited_query()
        return q.select(
            q.type_sector.as_('id'), q.type.as_('type'),
            q.region.as_('region'), q.sector_family.as_('sector_family'),
            q.enterprises.as_('enterprises'))


class AccreditedStatisticContext(ModelView):
    "ConcertES Accredited Enterprises Context"
    __name__ = 'concertes.accreditation.statistic.context'

    date = fields.Date("Date", required=True)
    from_year = fields.Integer("From Year", required=True)
    to_year = fields.Integer("To Year", required=True)

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_to_year(cls):
        return Pool().get('ir.date').today().year

    @classmethod
    def default_from_year(cls):
        return cls.default_to_year() - 9


class AccreditedYearStatistic(_AccreditedMixin):
    "ConcertES Accredited Enterprises by Year"
    __name__ = 'concertes.accreditation.statistic.year'

    year = fields.Integer(
        "Year", readonly=True,
        help="The enterprises are counted on 31 December "
        "(today for the current year).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('year', 'ASC'), ('type', 'ASC'), ('sector_family', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def _dates(cls):
        context = Transaction().context
        today = dt.date.today()
        to_year = min(context.get('to_year') or today.year, today.year)
        from_year = min(max(
                context.get('from_year') or to_year - 9, to_year - 49),
            to_year)
        return [(y, min(dt.date(y, 12, 31), today))
            for y in range(from_year, to_year + 1)]

    @classmethod
    def table_query(cls):
        q = cls._accredited_query()
        return q.select(
            (q.key * 100000 + q.type_sector).as_('id'), q.key.as_('year'),
            q.type.as_('type'), q.region.as_('region'),
            q.sector_family.as_('sector_family'),
            q.enterprises.as_('enterprises'))
