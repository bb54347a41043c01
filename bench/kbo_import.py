#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Benchmark of the BCE/KBO import on a generated full extract

    .venv/bin/python bench/kbo_import.py [--enterprises 200000]

Writes a full extract in the register's format with the proportions of the
real one (per enterprise: 1.3 denominations, 0.6 registered address, 0.5
establishment unit, 10 activity rows, 0.3 web site), imports it with the
scope « known » (juridical form 706 in the filter: 1 enterprise in 200 is
added) in the SQLite database bench_kbo (created with the modules if
missing) and prints rows a second and the peak memory of the process.
The real register has ~1.9 million enterprises: run with --enterprises
1900000 on a quiet machine, or extrapolate (the import is linear).
"""
import argparse
import csv
import io
import json
import os
import pathlib
import random
import resource
import subprocess
import sys
import time
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
VAR = ROOT / 'var'
sys.path.insert(0, str(ROOT / 'addons' / 'concertes_directory'))

from kbo_reader import HEADERS  # noqa: E402

NACE = ['%05d' % (10000 + 977 * i % 89999) for i in range(200)]
FORMS = ['017', '610', '014', '706', '030']


def number(i):
    base = 2000000 + i
    digits = '%08d%02d' % (base, 97 - base % 97)
    return '%s.%s.%s' % (digits[:4], digits[4:7], digits[7:])


def unit(i):
    digits = '2%07d' % i
    digits += '%02d' % (97 - int(digits) % 97)
    return '%s.%s.%s.%s' % (digits[0], digits[1:4], digits[4:7], digits[7:])


def generate(path, count):
    "Write the extract; return the number of rows of its files"
    rows = 0

    def member(archive, name, header, lines):
        nonlocal rows
        with archive.open(name, 'w', force_zip64=True) as binary:
            text = io.TextIOWrapper(binary, encoding='utf-8', newline='')
            writer = csv.writer(text, quoting=csv.QUOTE_ALL,
                lineterminator='\n')
            writer.writerow(header)
            for line in lines:
                writer.writerow(line)
                rows += 1
            text.flush()
            text.detach()

    def enterprises():
        for i in range(count):
            r = random.Random(i)
            yield i, r

    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED,
            compresslevel=1) as archive:
        member(archive, 'meta.csv', HEADERS['meta'], [
                ['SnapshotDate', '05-12-2026'], ['ExtractType', 'full'],
                ['ExtractNumber', '140'], ['Version', '1.0.0']])
        codes = [['JuridicalForm', f, lang, 'Forme %s' % f]
            for f in FORMS for lang in ['FR', 'NL']]
        codes += [['JuridicalSituation', '000', lang, 'Normale']
            for lang in ['FR', 'NL']]
        codes += [['Nace2008', c, lang, 'Activité %s' % c]
            for c in NACE for lang in ['FR', 'NL']]
        member(archive, 'code.csv', HEADERS['code'], codes)
        member(archive, 'enterprise.csv', HEADERS['enterprise'], (
                [number(i), 'AC', '000', '2',
                    '706' if i % 200 == 0 else r.choice(FORMS[:3]), '',
                    '%02d-%02d-%d' % (r.randint(1, 28), r.randint(1, 12),
                        r.randint(1950, 2025))]
                for i, r in enterprises()))

        def establishments():
            for i, r in enterprises():
                if r.random() < 0.5:
                    yield [unit(i), '01-01-2015', number(i)]
        member(archive, 'establishment.csv', HEADERS['establishment'],
            establishments())

        def denominations():
            for i, r in enterprises():
                yield [number(i), '1', '001', 'Entreprise %d' % i]
                if r.random() < 0.3:
                    yield [number(i), '1', '002', 'E%d' % i]
            for i, r in enterprises():
                if r.random() < 0.5:
                    yield [unit(i), '1', '004', 'Siège %d' % i]
        member(archive, 'denomination.csv', HEADERS['denomination'],
            denominations())

        def addresses():
            for i, r in enterprises():
                if r.random() < 0.6:
                    yield [number(i), 'REGO', '', '', '%d' % (1000 + i % 8000),
                        'Gemeente', 'Commune', 'Straat', 'Rue %d' % (i % 997),
                        str(i % 200), '', '', '']
            for i, r in enterprises():
                if r.random() < 0.5:
                    yield [unit(i), 'BAET', '', '', '5000', 'Namen', 'Namur',
                        'Straat', 'Rue', '1', '', '', '']
        member(archive, 'address.csv', HEADERS['address'], addresses())

        def contacts():
            for i, r in enterprises():
                if r.random() < 0.3:
                    yield [number(i), 'ENT', 'WEB', 'https://e%d.be' % i]
        member(archive, 'contact.csv', HEADERS['contact'], contacts())

        def activities():
            for i, r in enterprises():
                for k in range(r.randint(0, 20)):
                    yield [number(i), '006', '2008', r.choice(NACE),
                        'MAIN' if k == 0 else 'SECO']
        member(archive, 'activity.csv', HEADERS['activity'], activities())
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--enterprises', type=int, default=200000)
    parser.add_argument('--database', default='bench_kbo')
    args = parser.parse_args()
    VAR.mkdir(exist_ok=True)
    path = VAR / ('bench_kbo_%d.zip' % args.enterprises)
    info = path.with_suffix('.json')
    if not info.exists():
        start = time.monotonic()
        rows = generate(path, args.enterprises)
        info.write_text(json.dumps({'rows': rows}))
        print("generated %s: %d rows, %.0f MB, %.0f s" % (
                path.name, rows, path.stat().st_size / 1e6,
                time.monotonic() - start), flush=True)
    rows = json.loads(info.read_text())['rows']
    env = dict(os.environ, TRYTOND_CONFIG=str(ROOT / 'trytond.conf'),
        TRYTOND_DATABASE__URI='sqlite://',
        TRYTOND_DATABASE__PATH=str(VAR), TRYTOND_DATABASE__LANGUAGE='fr')
    if not (VAR / ('%s.sqlite' % args.database)).exists():
        subprocess.run([sys.executable, str(ROOT / 'tools' / 'setup_db.py'),
                '--database', args.database], env=env, check=True)
    os.environ.update(env)

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    pool = Pool(args.database)
    pool.init()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with Transaction().start(args.database, 0, context={'language': 'fr'},
            _lock_tables=['concertes_kbo_configuration']):
        Configuration = pool.get('concertes.kbo.configuration')
        Extract = pool.get('concertes.kbo.extract')
        Configuration.write([Configuration(1)], {'juridical_forms': '706'})
        start = time.monotonic()
        extract = Extract.import_file(str(path), scope='known')
        elapsed = time.monotonic() - start
        result = (extract.entities, extract.created, extract.updated)
        Transaction().rollback()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("%d enterprises, %d rows (%d entities), %d added, %d updated: "
        "%.0f s, %.0f rows/s, peak memory %.0f MB (%.0f MB before the "
        "import)" % (args.enterprises, rows, result[0], result[1],
            result[2], elapsed, rows / elapsed, peak / 1024, before / 1024))
    return 0


if __name__ == '__main__':
    sys.exit(main())
