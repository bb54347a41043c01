# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Import of existing subscribers from a CSV file: every line refused is
reported with its reason, a re-import updates"""
import csv
import datetime as dt
import io

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import inactive_records
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .subscription import LANGUAGES, EmailNotValidError, normalise_address

COLUMNS = {
    'address': ['address', 'email', 'e-mail', 'adresse', 'courriel'],
    'name': ['name', 'nom'],
    'language': ['language', 'langue', 'taal'],
    'consent_date': ['consent_date', 'consent date', 'date'],
    'source': ['source', 'origin', 'origine'],
    }


def _date(value):
    value = (value or '').strip()
    if not value:
        return None
    for format_ in ['%Y-%m-%d', '%d/%m/%Y', '%Y-%m-%d %H:%M:%S',
            '%Y-%m-%dT%H:%M:%S']:
        try:
            return dt.datetime.strptime(value, format_)
        except ValueError:
            continue
    raise ValueError(value)


def read_csv(data):
    """[(line number, {column: value})] of CSV bytes or text, the header
    named as COLUMNS (French or English), ; or , as separator"""
    if isinstance(data, bytes):
        data = data.decode('utf-8-sig')
    sample = data[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=',;\t')
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(data), dialect)
    header = next(reader, [])
    names = {}
    for i, title in enumerate(header):
        title = title.strip().lower()
        for key, aliases in COLUMNS.items():
            if title in aliases:
                names[i] = key
    rows = []
    for row in reader:
        if not any(c.strip() for c in row):
            continue
        rows.append((reader.line_num, {
                    names[i]: v.strip() for i, v in enumerate(row)
                    if i in names}))
    return 'address' in names.values(), rows


class Subscription(metaclass=PoolMeta):
    __name__ = 'marketing.email'

    origin = fields.Char(
        "Origin", readonly=True,
        help="Where the consent was collected, as given by the import.")

    @classmethod
    def import_rows(cls, list_, rows):
        """Create or update the subscriptions of list_ from rows
        [(line, {address, name, language, consent_date, source})]

        Return (created, updated, [(line, reason)]): a line is refused for
        an invalid address, a duplicate, a bad language or date, or an
        address that unsubscribed or was erased (never added back)."""
        pool = Pool()
        Suppression = pool.get('concertes.newsletter.suppression')
        languages = dict(LANGUAGES)
        errors, seen, values = [], {}, {}
        for line, row in rows:
            raw = row.get('address', '')
            try:
                address = normalise_address(raw)
            except EmailNotValidError as exception:
                errors.append((line, gettext(
                            'concertes_newsletter.msg_import_invalid',
                            address=raw, reason=str(exception))))
                continue
            if address in seen:
                errors.append((line, gettext(
                            'concertes_newsletter.msg_import_duplicate',
                            address=address, line=seen[address])))
                continue
            seen[address] = line
            language = (row.get('language') or 'fr').strip().lower()[:2]
            if language not in languages:
                errors.append((line, gettext(
                            'concertes_newsletter.msg_import_language',
                            language=row.get('language'))))
                continue
            try:
                consent_date = _date(row.get('consent_date'))
            except ValueError:
                errors.append((line, gettext(
                            'concertes_newsletter.msg_import_date',
                            date=row.get('consent_date'))))
                continue
            values[address] = (line, {
                    'name': row.get('name') or None,
                    'language': language,
                    'consent_date': consent_date,
                    'origin': row.get('source') or None,
                    })
        suppressed = Suppression.suppressed(list(values), list_)
        existing = {}
        with inactive_records():
            addresses = list(values)
            for i in range(0, len(addresses), 500):
                existing.update((e.email, e) for e in cls.search([
                            ('list_', '=', list_.id),
                            ('email', 'in', addresses[i:i + 500]),
                            ]))
        to_create, to_save = [], []
        for address, (line, value) in values.items():
            record = existing.get(address)
            if address in suppressed or (record and record.unsubscribed):
                errors.append((line, gettext(
                            'concertes_newsletter.msg_import_suppressed',
                            address=address)))
                continue
            if record:
                for key, item in value.items():
                    if item is not None:
                        setattr(record, key, item)
                to_save.append(record)
            else:
                to_create.append(dict(value,
                        email=address, list_=list_.id, active=True,
                        source='import'))
        cls.save(to_save)
        cls.create(to_create)
        return len(to_create), len(to_save), sorted(errors)


class ImportStart(ModelView):
    "ConcertES Newsletter Import"
    __name__ = 'concertes.newsletter.import.start'

    list_ = fields.Many2One(
        'marketing.email.list', "List", required=True,
        domain=[('kind', '=', 'subscribers')])
    file = fields.Binary(
        "File", required=True,
        help="A CSV file with the columns address, name, language "
        "(fr, nl, en), consent_date (YYYY-MM-DD) and source; "
        "the first line names the columns.")


class ImportResult(ModelView):
    "ConcertES Newsletter Import Result"
    __name__ = 'concertes.newsletter.import.result'

    created = fields.Integer("Created", readonly=True)
    updated = fields.Integer("Updated", readonly=True)
    refused = fields.Integer("Refused", readonly=True)
    report = fields.Text("Refused Lines", readonly=True)


class Import(Wizard):
    "Import Subscribers"
    __name__ = 'concertes.newsletter.import'

    start = StateView(
        'concertes.newsletter.import.start',
        'concertes_newsletter.import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView(
        'concertes.newsletter.import.result',
        'concertes_newsletter.import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        if (self.model and self.model.__name__ == 'marketing.email.list'
                and self.record):
            return {'list_': self.record.id}
        return {}

    def transition_import_(self):
        pool = Pool()
        Subscription = pool.get('marketing.email')
        has_address, rows = read_csv(self.start.file)
        if not has_address:
            raise UserError(gettext(
                    'concertes_newsletter.msg_import_no_address_column'))
        created, updated, errors = Subscription.import_rows(
            self.start.list_, rows)
        self.result.created = created
        self.result.updated = updated
        self.result.refused = len(errors)
        self.result.report = '\n'.join(
            gettext('concertes_newsletter.msg_import_line',
                line=line, reason=reason) for line, reason in errors)
        return 'result'

    def default_result(self, fields):
        return {
            'created': self.result.created,
            'updated': self.result.updated,
            'refused': self.result.refused,
            'report': self.result.report,
            }
