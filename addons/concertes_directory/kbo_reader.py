# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Reading an extract of the BCE/KBO open data (Cookbook KBO Open data)

An extract is a ZIP of CSV files (UTF-8, comma-separated, every value
quoted, dates as dd-mm-yyyy) sorted by entity number.  The reader streams
them: it walks every file at once, in the order of the entity numbers, and
yields for each entity the rows every file has for it, so that memory holds
one entity at a time whatever the size of the files.

Every error is a KboError naming the file and the line.
"""
import csv
import datetime as dt
import io
import re
import zipfile

from stdnum.be import vat as be_vat

HEADERS = {
    'meta': ['Variable', 'Value'],
    'code': ['Category', 'Code', 'Language', 'Description'],
    'enterprise': ['EnterpriseNumber', 'Status', 'JuridicalSituation',
        'TypeOfEnterprise', 'JuridicalForm', 'JuridicalFormCAC',
        'StartDate'],
    'establishment': ['EstablishmentNumber', 'StartDate', 'EnterpriseNumber'],
    'denomination': ['EntityNumber', 'Language', 'TypeOfDenomination',
        'Denomination'],
    'address': ['EntityNumber', 'TypeOfAddress', 'CountryNL', 'CountryFR',
        'Zipcode', 'MunicipalityNL', 'MunicipalityFR', 'StreetNL',
        'StreetFR', 'HouseNumber', 'Box', 'ExtraAddressInfo',
        'DateStrikingOff'],
    'contact': ['EntityNumber', 'EntityContact', 'ContactType', 'Value'],
    'activity': ['EntityNumber', 'ActivityGroup', 'NaceVersion', 'NaceCode',
        'Classification'],
    'branch': ['Id', 'StartDate', 'EnterpriseNumber'],
    }
# The files walked entity by entity, in this order
ENTITY_FILES = [
    'enterprise', 'establishment', 'denomination', 'address', 'contact',
    'activity']
REQUIRED_FULL = ['meta', 'code', 'enterprise', 'denomination', 'address',
    'activity']
REQUIRED_UPDATE = ['meta', 'enterprise_delete', 'enterprise_insert']
CLASSIFICATIONS = {'MAIN': 'main', 'SECO': 'secondary', 'ANCI': 'ancillary'}
NACE_VERSIONS = {'2003', '2008', '2025'}
ENTERPRISE_RE = re.compile(r'^[01]\d{3}\.\d{3}\.\d{3}$')
ESTABLISHMENT_RE = re.compile(r'^[2-8]\.\d{3}\.\d{3}\.\d{3}$')
DATE_RE = re.compile(r'^\d{2}-\d{2}-\d{4}$')


class KboError(Exception):
    "An error of the extract: message key of message.xml and its values"

    def __init__(self, key, **values):
        super().__init__(key, values)
        self.key = key
        self.values = values


def parse_date(value, filename, line):
    if not value:
        return None
    if not DATE_RE.match(value):
        raise KboError('msg_kbo_bad_date', file=filename, line=line,
            value=value)
    try:
        return dt.datetime.strptime(value, '%d-%m-%Y').date()
    except ValueError:
        raise KboError('msg_kbo_bad_date', file=filename, line=line,
            value=value)


def check_enterprise_number(value, filename, line):
    if not ENTERPRISE_RE.match(value) or not be_vat.is_valid(value):
        raise KboError('msg_kbo_invalid_number', file=filename, line=line,
            number=value)
    return value


def check_entity_number(value, filename, line):
    if ESTABLISHMENT_RE.match(value):
        digits = value.replace('.', '')
        if 97 - int(digits[:-2]) % 97 == int(digits[-2:]):
            return value
        raise KboError('msg_kbo_invalid_number', file=filename, line=line,
            number=value)
    return check_enterprise_number(value, filename, line)


def is_enterprise(number):
    return number[0] in '01'


class Extract:
    "An extract of the register, opened from a path or a file object"

    def __init__(self, source, name=None):
        self.name = name or getattr(source, 'name', None) or str(source)
        try:
            self.zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError):
            raise KboError('msg_kbo_not_zip', file=self.name)
        self.members = {
            n.rsplit('/', 1)[-1]: n for n in self.zip.namelist()
            if n.lower().endswith('.csv')}
        if 'meta.csv' not in self.members:
            raise KboError('msg_kbo_not_extract', file=self.name)
        self.meta = {row[0]: row[1] for _, row in self.rows('meta')}
        kind = self.meta.get('ExtractType', '').lower()
        if kind not in {'full', 'update'}:
            raise KboError('msg_kbo_bad_meta', file='meta.csv',
                variable='ExtractType', value=kind)
        self.kind = kind
        for name in (REQUIRED_FULL if kind == 'full' else REQUIRED_UPDATE):
            if name + '.csv' not in self.members:
                raise KboError('msg_kbo_missing_file', file=self.name,
                    missing=name + '.csv')
        try:
            self.number = int(self.meta.get('ExtractNumber') or 0)
        except ValueError:
            raise KboError('msg_kbo_bad_meta', file='meta.csv',
                variable='ExtractNumber', value=self.meta['ExtractNumber'])
        self.snapshot_date = parse_date(
            self.meta.get('SnapshotDate', ''), 'meta.csv', 0)

    def close(self):
        self.zip.close()

    def has(self, name):
        return name + '.csv' in self.members

    def rows(self, name, header=None):
        """Yield (line number, row) of file name, checking its header and
        the number of columns of each line"""
        filename = name + '.csv'
        base = name.rsplit('_', 1)[0] if name.endswith(
            ('_delete', '_insert')) else name
        if header is None:
            header = HEADERS[base]
            if name.endswith('_delete'):
                header = header[:1]
        with self.zip.open(self.members[filename]) as binary:
            text = io.TextIOWrapper(binary, encoding='utf-8-sig', newline='')
            reader = csv.reader(text, strict=True)
            try:
                for row in reader:
                    line = reader.line_num
                    if line == 1:
                        if row != header:
                            raise KboError('msg_kbo_bad_header',
                                file=filename, expected=','.join(header),
                                got=','.join(row))
                        continue
                    if len(row) != len(header):
                        raise KboError('msg_kbo_malformed_line',
                            file=filename, line=line, expected=len(header),
                            got=len(row))
                    yield line, row
            except (csv.Error, UnicodeDecodeError) as exception:
                raise KboError('msg_kbo_malformed_line_text',
                    file=filename, line=reader.line_num + 1,
                    error=str(exception))

    def groups(self, name):
        """Yield (entity number, [(line, row)]) of file name, in the order
        of the numbers, checking the numbers and their order"""
        filename = name + '.csv'
        previous, group = None, []
        for line, row in self.rows(name):
            key = row[0]
            if key != previous:
                check_entity_number(key, filename, line)
                if previous is not None:
                    if key < previous:
                        raise KboError('msg_kbo_not_sorted',
                            file=filename, line=line, number=key)
                    yield previous, group
                previous, group = key, []
            group.append((line, row))
        if previous is not None:
            yield previous, group

    def codes(self):
        "Yield (category, code, language, description) of the code table"
        for name in ['code', 'code_insert']:
            if self.has(name):
                for _, row in self.rows(name):
                    yield tuple(row)

    def entities(self):
        """Yield (entity number, {file: [(line, row)]}) walking every file
        of entities at once"""
        if self.kind == 'full':
            names = [n for n in ENTITY_FILES if self.has(n)]
        else:
            names = [n + suffix for n in ENTITY_FILES
                for suffix in ['_delete', '_insert']
                if self.has(n + suffix)]
        iterators = {n: self.groups(n) for n in names}
        heads = {}
        for name, iterator in iterators.items():
            head = next(iterator, None)
            if head is not None:
                heads[name] = head
        while heads:
            key = min(h[0] for h in heads.values())
            entity = {}
            for name in list(heads):
                if heads[name][0] == key:
                    entity[name] = heads[name][1]
                    head = next(iterators[name], None)
                    if head is None:
                        del heads[name]
                    else:
                        heads[name] = head
            yield key, entity
