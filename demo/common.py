# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"Helpers shared by the parts of the demo world"
import datetime as dt

from proteus import Model

# Demo data is described as of the end of 2024, the year of the report.
REPORT_YEAR = 2024

# The organisations several parts name, under one name each: written out in
# each part, they existed twice under two names
CABINET = "Cabinet du Ministre wallon de l'Économie sociale (M. Coppieters)"
CABINET_MORREALE = "Cabinet de la Ministre Christie Morreale"
SPW = "SPW Économie, Emploi, Recherche (SPW EER)"
VUB = "Vrije Universiteit Brussel (VUB)"
PLS = "Pour la Solidarité (PLS)"


def find_or_create(model_name, domain, **values):
    """Return the record matching domain, created with values if missing.

    Running the demo twice must not duplicate anything: every record is looked
    up by a natural key first.
    """
    Model_ = Model.get(model_name)
    records = Model_.find(domain, limit=1)
    if records:
        return records[0]
    record = Model_()
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    return record


def organisation(name, **values):
    "The organisation named name"
    return find_or_create('party.party', [('name', '=', name)],
        name=name, **values)


def date(day, month, year=REPORT_YEAR):
    return dt.date(year, month, day)
