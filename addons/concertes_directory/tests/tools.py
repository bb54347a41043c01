# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Writing small extracts of the BCE/KBO open data in the register's format
(ZIP of CSV files, comma-separated, every value quoted, UTF-8,
dd-mm-yyyy dates, sorted by entity number)"""
import csv
import io
import zipfile

from stdnum.be import vat as be_vat

from ..kbo_reader import HEADERS

CODES = [
    ('JuridicalForm', '017', 'FR', "Association sans but lucratif"),
    ('JuridicalForm', '017', 'NL', "Vereniging zonder winstoogmerk"),
    ('JuridicalForm', '706', 'FR', "Société coopérative"),
    ('JuridicalForm', '706', 'NL', "Coöperatieve vennootschap"),
    ('JuridicalForm', '610', 'FR', "Société à responsabilité limitée"),
    ('JuridicalForm', '610', 'NL', "Besloten vennootschap"),
    ('JuridicalSituation', '000', 'FR', "Situation normale"),
    ('JuridicalSituation', '000', 'NL', "Normale toestand"),
    ('JuridicalSituation', '012', 'FR', "Ouverture de faillite"),
    ('JuridicalSituation', '012', 'NL', "Opening faillissement"),
    ('Nace2008', '88101', 'FR', "Aide à domicile"),
    ('Nace2008', '88101', 'NL', "Thuishulp"),
    ('Nace2008', '38321', 'FR', "Récupération de déchets triés"),
    ('Nace2008', '38321', 'NL', "Terugwinning van gesorteerd afval"),
    ('Nace2008', '85599', 'FR', "Autres formes d'enseignement"),
    ('Nace2008', '85599', 'NL', "Overige vormen van onderwijs"),
    ('Nace2025', '88101', 'FR', "Aide à domicile"),
    ('Nace2025', '88101', 'NL', "Thuishulp"),
    ('Status', 'AC', 'FR', "Actif"),
    ('Status', 'AC', 'NL', "Actief"),
    ]


def enterprise_number(seed):
    "A valid enterprise number 0xxx.xxx.xxx made from the integer seed"
    base = 4300000 + seed
    number = '%08d%02d' % (base, 97 - base % 97)
    assert be_vat.is_valid(number), number
    return '%s.%s.%s' % (number[:4], number[4:7], number[7:])


def establishment_number(seed):
    "A valid establishment number 2.xxx.xxx.xxx made from seed"
    digits = '2%07d' % seed
    number = digits + '%02d' % (97 - int(digits) % 97)
    return '%s.%s.%s.%s' % (number[0], number[1:4], number[4:7], number[7:])


def enterprise(number, name, form='017', situation='000', status='AC',
        start='01-01-2010', zipcode='5000', city_fr='Namur',
        city_nl='Namen', street_fr='Rue de Fer', house='1', box='',
        website=None, activities=(('2008', '88101', 'MAIN'),),
        language='1'):
    "The rows of an enterprise: {file: [rows]}"
    rows = {
        'enterprise': [[number, status, situation, '2', form, '', start]],
        'denomination': [[number, language, '001', name]],
        'address': [[number, 'REGO', '', '', zipcode, city_nl, city_fr,
                street_fr, street_fr, house, box, '', '']] if zipcode else [],
        'activity': [[number, '006', v, c, k] for v, c, k in activities],
        'contact': [[number, 'ENT', 'WEB', website]] if website else [],
        }
    return rows


def write_extract(path, entities=(), kind='full', number=140, codes=CODES,
        deleted=None, skip=(), extra=None, meta=None):
    """Write the extract of entities (dicts of enterprise()) as a ZIP at
    path (or in memory when path is None, returned as bytes).

    deleted: {file: [numbers]} for update extracts; skip: files to leave
    out; extra: {member name: raw text} to add or replace."""
    files = {name: [] for name in [
            'enterprise', 'establishment', 'denomination', 'address',
            'contact', 'activity']}
    for entity in entities:
        for name, rows in entity.items():
            files[name].extend(rows)
    members = {}
    values = dict({
            'SnapshotDate': '05-12-2026',
            'ExtractTimestamp': '06-12-2026 05:00:00',
            'ExtractType': kind,
            'ExtractNumber': str(number),
            'Version': '1.0.0',
            }, **(meta or {}))
    members['meta.csv'] = _csv(HEADERS['meta'], list(values.items()))
    members['code.csv'] = _csv(HEADERS['code'], codes)
    for name, rows in files.items():
        rows = sorted(rows, key=lambda r: r[0])
        if kind == 'full':
            members[name + '.csv'] = _csv(HEADERS[name], rows)
        else:
            members[name + '_insert.csv'] = _csv(HEADERS[name], rows)
            keys = sorted(set((deleted or {}).get(name, []))
                | {r[0] for r in rows})
            members[name + '_delete.csv'] = _csv(
                HEADERS[name][:1], [[k] for k in keys])
    for name in skip:
        members.pop(name, None)
    members.update(extra or {})
    buffer = io.BytesIO() if path is None else path
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    if path is None:
        return buffer.getvalue()
    return path


def _csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator='\n')
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
