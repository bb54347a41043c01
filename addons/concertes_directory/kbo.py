# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The import of the BCE/KBO open data

An extract is imported in one transaction, all or nothing: a first pass
reads and checks every file (numbers, codes, dates, columns, order) without
writing; the second pass writes.  An error stops the import with a message
naming the file and the line, before anything is written.
"""
import datetime as dt
import io
import json
from collections import defaultdict

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    ModelSingleton, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.concertes_members.common import (
    SearchRecNameMixin, shown_in)
from trytond.modules.concertes_members.party import ENTERPRISE_NUMBER
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard

from .kbo_reader import CLASSIFICATIONS, NACE_VERSIONS
from .kbo_reader import Extract as KboFile
from .kbo_reader import KboError, is_enterprise, parse_date

# The values of a party the register gives, in the order of the changes
MANAGED_FIELDS = [
    ('name', "Name"),
    ('legal_form', "Legal Form"),
    ('legal_situation', "Legal Situation"),
    ('enterprise_start_date', "Start Date"),
    ('enterprise_status', "Enterprise Status"),
    ('struck_off', "Struck Off"),
    ('street_name', "Street"),
    ('building_number', "House Number"),
    ('unit_number', "Box"),
    ('postal_code', "Postal Code"),
    ('city', "City"),
    ('website', "Website"),
    ('activities', "Activities"),
    ]
ADDRESS_FIELDS = [
    'street_name', 'building_number', 'unit_number', 'postal_code', 'city']
CODE_FIELDS = {
    'legal_form': 'JuridicalForm',
    'legal_situation': 'JuridicalSituation',
    }
# Legal denominations first, in French, Dutch, unknown, German, English
DENOMINATION_LANGUAGES = ['1', '2', '0', '3', '4']
BATCH = 500


def _text(value):
    "The value as the text kept in the snapshot and the changes"
    if value is None or value == '':
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    return str(value)


class Code(SearchRecNameMixin, ModelSQL, ModelView):
    "ConcertES BCE/KBO Code"
    __name__ = 'concertes.kbo.code'
    _rec_name_fields = ('code', 'description_fr', 'description_nl')

    category = fields.Char("Category", required=True, readonly=True)
    code = fields.Char("Code", required=True, readonly=True)
    description_fr = fields.Char("Description (French)", readonly=True)
    description_nl = fields.Char("Description (Dutch)", readonly=True)
    description_en = fields.Char("Description (English)", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('category_code_unique', Unique(table, table.category, table.code),
                'concertes_directory.msg_kbo_code_unique'),
            ]
        cls._order = [('category', 'ASC'), ('code', 'ASC'), ('id', 'ASC')]

    def description(self, language=None):
        "The label in language (of the context by default), else in French"
        if language is None:
            language = Transaction().language or 'fr'
        for lang in [language[:2], 'fr', 'nl', 'en']:
            value = getattr(self, 'description_%s' % lang, None)
            if value:
                return value
        return ''

    def get_rec_name(self, name):
        description = self.description()
        return '%s %s' % (self.code, description) if description else (
            self.code)

    @classmethod
    def load(cls, rows):
        """Create or update the codes of rows (category, code, language,
        description); return {(category, code): id}"""
        labels = defaultdict(dict)
        for category, code, language, description in rows:
            if language.upper() in {'FR', 'NL', 'EN'}:
                labels[category, code][
                    'description_%s' % language.lower()] = description
            else:
                labels[category, code]
        existing = {(c.category, c.code): c for c in cls.search([])}
        to_write, to_create = [], []
        for (category, code), values in labels.items():
            record = existing.get((category, code))
            if record is None:
                to_create.append(dict(values, category=category, code=code))
            elif any(getattr(record, k) != v for k, v in values.items()):
                to_write.extend([[record], values])
        if to_write:
            cls.write(*to_write)
        for i in range(0, len(to_create), 1000):
            cls.create(to_create[i:i + 1000])
        return cls.ids_by_code()

    @classmethod
    def ids_by_code(cls):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.category, table.code, table.id))
        return {(c, k): i for c, k, i in cursor}


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "ConcertES BCE/KBO Import Configuration"
    __name__ = 'concertes.kbo.configuration'

    juridical_forms = fields.Char(
        "Juridical Forms",
        help="The codes of the juridical forms of the enterprises to add "
        "with the scope « known », separated by commas "
        "(e.g. 017 for the non-profit association).")
    nace_codes = fields.Char(
        "NACE Codes",
        help="The NACE codes (or their beginnings) of the enterprises to "
        "add with the scope « known », separated by commas.")
    numbers = fields.Text(
        "Enterprise Numbers",
        help="The enterprise numbers to add with the scope « known », "
        "one a line.")

    def filter(self):
        "The filter as (juridical forms, NACE prefixes, compact numbers)"
        def split(value, separator=','):
            return [v.strip() for v in (value or '').split(separator)
                if v.strip()]
        return (
            set(split(self.juridical_forms)),
            tuple(split(self.nace_codes)),
            {n.replace('.', '').replace(' ', '').zfill(10)
                for n in split(self.numbers, '\n')})


class Extract(ModelSQL, ModelView):
    "ConcertES BCE/KBO Extract"
    __name__ = 'concertes.kbo.extract'

    name = fields.Char("File", readonly=True)
    kind = fields.Selection([
            ('full', "Full"),
            ('update', "Update"),
            ], "Kind", readonly=True)
    number = fields.Integer("Extract Number", readonly=True)
    snapshot_date = fields.Date("Snapshot Date", readonly=True)
    scope = fields.Selection([
            ('known', "Known and Filtered Enterprises"),
            ('all', "All Enterprises"),
            ], "Scope", readonly=True)
    import_date = fields.DateTime("Import Date", readonly=True)
    entities = fields.Integer(
        "Entities Read", readonly=True,
        help="The enterprises and establishment units in the extract.")
    created = fields.Integer("Enterprises Added", readonly=True)
    updated = fields.Integer("Enterprises Updated", readonly=True)
    changes = fields.One2Many(
        'concertes.kbo.change', 'extract', "Changes", readonly=True)
    conflicts = fields.Integer("Conflicts", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('import_date', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return '%s (%s %s)' % (self.name, self.kind, self.number or '')

    @classmethod
    def import_file(cls, source, name=None, scope='known'):
        """Import the extract of source (a path or a file object) and return
        the concertes.kbo.extract record; a UserError names the file and
        the line of any error and nothing is written"""
        kbo = None
        try:
            kbo = KboFile(source, name=name)
            importer = Importer(kbo, scope)
            importer.check()
            return importer.run()
        except KboError as error:
            raise UserError(gettext(
                    'concertes_directory.' + error.key, **error.values))
        finally:
            if kbo is not None:
                kbo.close()


class Change(Workflow, ModelSQL, ModelView):
    "ConcertES Change from the BCE/KBO"
    __name__ = 'concertes.kbo.change'

    party = fields.Many2One(
        'party.party', "Enterprise", required=True, readonly=True,
        ondelete='CASCADE')
    extract = fields.Many2One(
        'concertes.kbo.extract', "Extract", readonly=True,
        ondelete='CASCADE')
    field = fields.Selection(
        [('party', "Enterprise Added")] + MANAGED_FIELDS, "What",
        readonly=True)
    old_value = fields.Char("From", readonly=True)
    new_value = fields.Char("To", readonly=True)
    state = fields.Selection([
            ('applied', "Applied"),
            ('conflict', "To Review"),
            ('accepted', "Register Value Accepted"),
            ('kept', "Value Kept"),
            ], "State", readonly=True, sort=False,
        help="« To Review »: the value was changed by hand and the register "
        "gives another one; the import left the value by hand.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls.__access__.add('party')
        cls._transitions |= {('conflict', 'accepted'), ('conflict', 'kept')}
        cls._buttons.update({
                'accept': shown_in('conflict'),
                'keep': shown_in('conflict'),
                })

    @staticmethod
    def default_state():
        return 'applied'

    @classmethod
    @ModelView.button
    @Workflow.transition('accepted')
    def accept(cls, changes):
        "Put the value of the register in place of the value by hand"
        pool = Pool()
        Code = pool.get('concertes.kbo.code')
        codes = Code.ids_by_code()
        for change in changes:
            values = {change.field: change.new_value}
            if change.field in {'enterprise_start_date'}:
                values[change.field] = (
                    dt.date.fromisoformat(change.new_value)
                    if change.new_value else None)
            elif change.field in CODE_FIELDS:
                values[change.field] = codes.get(
                    (CODE_FIELDS[change.field], change.new_value))
            elif change.field == 'struck_off':
                values[change.field] = change.new_value == 'yes'
            apply_values(change.party, values)

    @classmethod
    @ModelView.button
    @Workflow.transition('kept')
    def keep(cls, changes):
        pass


def current_values(party):
    "The values of party that the register gives, as text"
    address = party.addresses[0] if party.addresses else None
    values = {
        'name': party.name,
        'legal_form': party.legal_form.code if party.legal_form else None,
        'legal_situation': (
            party.legal_situation.code if party.legal_situation else None),
        'enterprise_start_date': party.enterprise_start_date,
        'enterprise_status': party.enterprise_status,
        'struck_off': bool(party.struck_off),
        'website': party.website,
        'activities': activities_text(
            (a.nace_version, a.nace.code, a.classification, a.group or '')
            for a in party.activities),
        }
    for name in ADDRESS_FIELDS:
        values[name] = getattr(address, name, None) if address else None
    return {k: _text(v) for k, v in values.items()}


def activities_text(activities):
    return ' '.join(
        '%s:%s:%s:%s' % a for a in sorted(set(activities))) or None


def apply_values(party, values, codes=None):
    """Write values (party fields, address fields, activities as tuples or
    text) on party"""
    pool = Pool()
    Party = pool.get('party.party')
    Address = pool.get('party.address')
    Activity = pool.get('concertes.enterprise.activity')
    party_values = {k: v for k, v in values.items()
        if k not in ADDRESS_FIELDS and k != 'activities'}
    if party_values:
        Party.write([party], party_values)
    address_values = {k: v for k, v in values.items() if k in ADDRESS_FIELDS}
    if address_values:
        if party.addresses:
            Address.write([party.addresses[0]], address_values)
        else:
            Address.create([dict(address_values, party=party.id)])
    if 'activities' in values:
        activities = values['activities']
        if isinstance(activities, str):
            activities = [tuple(a.split(':')) for a in activities.split()]
        if codes is None:
            codes = pool.get('concertes.kbo.code').ids_by_code()
        Activity.delete(list(party.activities))
        Activity.create([{
                    'party': party.id,
                    'nace_version': version,
                    'nace': codes['Nace' + version, code],
                    'classification': classification,
                    'group': group or None,
                    } for version, code, classification, group
                in activities])


class Importer:
    "The import of one extract"

    def __init__(self, kbo, scope):
        self.kbo = kbo
        self.scope = scope
        self.update = kbo.kind == 'update'

    def _files(self, entity, name):
        "The rows of file name for the entity (the inserted ones in updates)"
        return entity.get(name + '_insert' if self.update else name, [])

    def _replaced(self, entity, name):
        "Whether the entity's rows of file name are given by the extract"
        if self.update:
            return (name + '_insert' in entity
                or name + '_delete' in entity)
        return True

    def _code(self, category, code, filename, line):
        if (category, code) not in self.codes:
            raise KboError('msg_kbo_unknown_code', file=filename, line=line,
                category=category, code=code)
        return code

    def values(self, number, entity):
        """The values the extract gives for the entity, checked; None
        for what the extract does not give"""
        suffix = '_insert.csv' if self.update else '.csv'
        values = {}
        if is_enterprise(number):
            rows = self._files(entity, 'enterprise')
            if rows:
                line, row = rows[0]
                filename = 'enterprise' + suffix
                _, status, situation, _, form, _, start = row
                if situation:
                    self._code('JuridicalSituation', situation, filename,
                        line)
                if form:
                    self._code('JuridicalForm', form, filename, line)
                values.update({
                        'legal_form': form or None,
                        'legal_situation': situation or None,
                        'enterprise_start_date': parse_date(
                            start, filename, line),
                        'enterprise_status': (
                            'active' if status == 'AC' else 'stopped'),
                        'struck_off': False,
                        })
            elif self.update and 'enterprise_delete' in entity:
                values.update({
                        'enterprise_status': 'stopped',
                        'struck_off': True,
                        })
        else:
            rows = self._files(entity, 'establishment')
            if rows:
                line, row = rows[0]
                values['establishment'] = {
                    'enterprise': row[2],
                    'start_date': parse_date(
                        row[1], 'establishment' + suffix, line),
                    }
        names = {}
        for line, row in self._files(entity, 'denomination'):
            _, language, kind, denomination = row
            self._code('Language', language, 'denomination' + suffix, line)
            self._code('TypeOfDenomination', kind, 'denomination' + suffix,
                line)
            if kind == '001' or (kind == '004' and not is_enterprise(number)):
                names.setdefault(language, denomination)
        for language in DENOMINATION_LANGUAGES:
            if language in names:
                values['name'] = names[language]
                break
        address_type = 'REGO' if is_enterprise(number) else 'BAET'
        for line, row in self._files(entity, 'address'):
            (_, kind, _, country_fr, zipcode, city_nl, city_fr, street_nl,
                street_fr, house, box, _, striking_off) = row
            self._code('TypeOfAddress', kind, 'address' + suffix, line)
            striking_off = parse_date(striking_off, 'address' + suffix, line)
            if kind == address_type and not striking_off:
                values.update({
                        'street_name': street_fr or street_nl or None,
                        'building_number': house or None,
                        'unit_number': box or None,
                        'postal_code': zipcode or None,
                        'city': city_fr or city_nl or None,
                        })
        if self._replaced(entity, 'contact') and (
                entity.get('contact') or entity.get('contact_insert')
                or entity.get('contact_delete')):
            values['website'] = None
            for line, row in self._files(entity, 'contact'):
                if row[2] == 'WEB':
                    values['website'] = row[3]
        if self._replaced(entity, 'activity') and (
                not self.update or 'activity_insert' in entity
                or 'activity_delete' in entity):
            activities = []
            for line, row in self._files(entity, 'activity'):
                _, group, version, code, classification = row
                filename = 'activity' + suffix
                if version not in NACE_VERSIONS:
                    raise KboError('msg_kbo_unknown_code', file=filename,
                        line=line, category='NaceVersion', code=version)
                self._code('Nace' + version, code, filename, line)
                if classification not in CLASSIFICATIONS:
                    raise KboError('msg_kbo_unknown_code', file=filename,
                        line=line, category='Classification',
                        code=classification)
                activities.append((
                        version, code, CLASSIFICATIONS[classification],
                        group))
            values['activities'] = activities_text(activities)
        return values

    def _load_codes(self):
        Code = Pool().get('concertes.kbo.code')
        self.codes = set(Code.ids_by_code())
        self.codes.update((r[0], r[1]) for r in self.kbo.codes())
        # the register gives the languages and the kinds of denominations
        # in the cookbook, not always in code.csv
        self.codes.update(('Language', c) for c in '01234')
        self.codes.update(
            ('TypeOfDenomination', c) for c in ['001', '002', '003', '004'])
        self.codes.update(
            ('TypeOfAddress', c) for c in ['REGO', 'BAET', 'ABBR', 'OBAD'])

    def check(self):
        "Read the whole extract and raise the first error; write nothing"
        self._load_codes()
        for number, entity in self.kbo.entities():
            self.values(number, entity)

    def run(self):
        pool = Pool()
        Extract = pool.get('concertes.kbo.extract')
        Code = pool.get('concertes.kbo.code')
        Configuration = pool.get('concertes.kbo.configuration')
        self.code_ids = Code.load(self.kbo.codes())
        self.forms, self.nace_prefixes, self.numbers = (
            Configuration(1).filter())
        self.extract = Extract(
            name=self.kbo.name, kind=self.kbo.kind, number=self.kbo.number,
            snapshot_date=self.kbo.snapshot_date, scope=self.scope,
            import_date=dt.datetime.now(), entities=0, created=0, updated=0,
            conflicts=0)
        self.extract.save()
        batch = []
        for number, entity in self.kbo.entities():
            self.extract.entities += 1
            batch.append((number, self.values(number, entity)))
            if len(batch) >= BATCH:
                self._apply(batch)
                batch = []
        if batch:
            self._apply(batch)
        self.extract.save()
        return self.extract

    def _wanted(self, number, values):
        "Whether an enterprise not known yet is to be added"
        if values.get('struck_off') or 'name' not in values:
            return False
        if self.scope == 'all':
            return True
        if number.replace('.', '') in self.numbers:
            return True
        if values.get('legal_form') in self.forms:
            return True
        if self.nace_prefixes and values.get('activities'):
            for activity in values['activities'].split():
                if activity.split(':')[1].startswith(self.nace_prefixes):
                    return True
        return False

    def _parties(self, numbers):
        "{number: party id} of the known enterprises among numbers"
        Identifier = Pool().get('party.identifier')
        identifier = Identifier.__table__()
        cursor = Transaction().connection.cursor()
        compact = {n.replace('.', ''): n for n in numbers}
        cursor.execute(*identifier.select(
                identifier.code_compact, identifier.party,
                where=(identifier.type == ENTERPRISE_NUMBER)
                & identifier.code_compact.in_(list(compact))))
        return {compact[c]: p for c, p in cursor}

    def _apply(self, batch):
        pool = Pool()
        Party = pool.get('party.party')
        Change = pool.get('concertes.kbo.change')
        enterprises = [(n, v) for n, v in batch if is_enterprise(n)]
        establishments = [(n, v) for n, v in batch if not is_enterprise(n)]
        known = self._parties([n for n, _ in enterprises])
        changes = []
        to_create = []
        for number, values in enterprises:
            if number in known or not self._wanted(number, values):
                continue
            to_create.append((number, values))
        if to_create:
            parties = Party.create([{
                        'name': values['name'],
                        'organisation_kind': 'enterprise',
                        'identifiers': [('create', [{
                                        'type': ENTERPRISE_NUMBER,
                                        'code': number,
                                        }])],
                        } for number, values in to_create])
            for (number, values), party in zip(to_create, parties):
                self._update(party, values, changes, new=True)
                changes.append(Change(
                        party=party, extract=self.extract, field='party',
                        new_value=number, state='applied'))
            self.extract.created += len(parties)
        if known:
            parties = {p.id: p for p in Party.browse(list(known.values()))}
            for number, values in enterprises:
                if number in known:
                    if self._update(parties[known[number]], values, changes):
                        self.extract.updated += 1
        if establishments:
            self._establishments(establishments)
        Change.save(changes)

    def _update(self, party, values, changes, new=False):
        """Write on party the values of the register that were not changed
        by hand; add the changes; return whether anything changed"""
        pool = Pool()
        Change = pool.get('concertes.kbo.change')
        snapshot = json.loads(party.kbo_values or '{}')
        current = current_values(party)
        to_write = {}
        changed = False
        for name, _ in MANAGED_FIELDS:
            if name not in values:
                continue
            value = _text(values[name])
            previous = snapshot.get(name, current[name] if new else None)
            was_imported = name in snapshot
            snapshot[name] = value
            if value == current[name]:
                continue
            if new or (was_imported and current[name] == previous) or (
                    not was_imported and current[name] is None):
                to_write[name] = values[name]
                if not new:
                    changes.append(Change(
                            party=party, extract=self.extract, field=name,
                            old_value=current[name], new_value=value,
                            state='applied'))
                changed = True
            elif not was_imported or value != previous:
                changes.append(Change(
                        party=party, extract=self.extract, field=name,
                        old_value=current[name], new_value=value,
                        state='conflict'))
                self.extract.conflicts += 1
                changed = True
        for name, category in CODE_FIELDS.items():
            if name in to_write and to_write[name] is not None:
                to_write[name] = self.code_ids[category, to_write[name]]
        to_write['kbo_values'] = json.dumps(snapshot, sort_keys=True)
        apply_values(party, to_write, codes=self.code_ids)
        return changed

    def _establishments(self, establishments):
        pool = Pool()
        Establishment = pool.get('concertes.enterprise.establishment')
        existing = {e.number: e for e in Establishment.search([
                    ('number', 'in', [n for n, _ in establishments]),
                    ])}
        parties = self._parties([
                v['establishment']['enterprise']
                for _, v in establishments if 'establishment' in v])
        to_save = []
        for number, values in establishments:
            record = existing.get(number)
            if record is None:
                enterprise = values.get('establishment', {}).get('enterprise')
                if enterprise not in parties:
                    continue
                record = Establishment(
                    number=number, party=parties[enterprise])
            if 'establishment' in values:
                record.start_date = values['establishment']['start_date']
            if 'name' in values:
                record.name = values['name']
            if 'street_name' in values:
                record.street = ' '.join(filter(None, [
                            values['street_name'], values['building_number'],
                            values['unit_number'] and 'bte %s' % values[
                                'unit_number']]))
                record.postal_code = values['postal_code']
                record.city = values['city']
            to_save.append(record)
        Establishment.save(to_save)


class ImportStart(ModelView):
    "ConcertES Import a BCE/KBO Extract"
    __name__ = 'concertes.kbo.import.start'

    file = fields.Binary(
        "Extract", required=True, filename='filename',
        help="The ZIP file of a full or an update extract of the "
        "BCE/KBO open data.")
    filename = fields.Char("File Name")
    scope = fields.Selection([
            ('known', "Known and Filtered Enterprises"),
            ('all', "All Enterprises"),
            ], "Scope", required=True,
        help="« Known »: update the enterprises already known and add those "
        "of the filter of the configuration; « All »: add every enterprise "
        "of the extract.")

    @staticmethod
    def default_scope():
        return 'known'


class Import(Wizard):
    "ConcertES Import a BCE/KBO Extract"
    __name__ = 'concertes.kbo.import'

    start = StateView('concertes.kbo.import.start',
        'concertes_directory.kbo_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateAction('concertes_directory.act_kbo_extract_form')

    def do_import_(self, action):
        Extract = Pool().get('concertes.kbo.extract')
        extract = Extract.import_file(
            io.BytesIO(self.start.file),
            name=self.start.filename or 'extract.zip',
            scope=self.start.scope)
        action['res_id'] = [extract.id]
        action['views'].reverse()
        return action, {}
