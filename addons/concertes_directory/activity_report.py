# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from collections import Counter

from trytond.pool import Pool, PoolMeta


class ActivityReport(metaclass=PoolMeta):
    __name__ = 'concertes.activity.report'
    _sections = ['directory']

    @classmethod
    def section_directory(cls, year):
        """The enterprises accredited on 31 December by type, region and
        sector family, and the accreditations granted and withdrawn in the
        year"""
        Accreditation = Pool().get('concertes.accreditation')
        start, end = cls._year_bounds(year)
        by_type, by_region, by_sector = Counter(), Counter(), Counter()
        enterprises = set()
        for accreditation in Accreditation.search(
                Accreditation.in_force_domain(end),
                order=[('id', 'ASC')]):
            party = accreditation.party
            by_type[accreditation.type.code] += 1
            by_region[accreditation.type.region or ''] += 1
            if party.id not in enterprises:
                for family in party.sector_families or []:
                    by_sector[family] += 1
            enterprises.add(party.id)
        granted = Accreditation.search_count([
                ('decision_date', '>=', start),
                ('decision_date', '<=', end),
                ('state', '!=', 'applied'),
                ])
        withdrawn = Accreditation.search_count([
                ('withdrawal_date', '>=', start),
                ('withdrawal_date', '<=', end),
                ])
        return {
            'accredited_enterprises': len(enterprises),
            'by_type': dict(sorted(by_type.items())),
            'by_region': dict(sorted(by_region.items())),
            'by_sector_family': dict(sorted(by_sector.items())),
            'granted': granted,
            'withdrawn': withdrawn,
            }
