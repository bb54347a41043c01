# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The physical reference: pgbench on the same PostgreSQL server.

Benchmarks report their figures next to what the database server itself does
on this machine, so that a figure reads as a fraction of the hardware's limit.
"""
import re
import subprocess
import urllib.parse

DATABASE = 'concertes_pgbench'


def _options(uri):
    uri = urllib.parse.urlparse(uri)
    options = []
    if uri.hostname:
        options += ['-h', uri.hostname]
    if uri.port:
        options += ['-p', str(uri.port)]
    options += ['-U', uri.username or 'postgres']
    return options


def pgbench(uri, clients=4, seconds=10, builtin='simple-update', scale=1):
    """Run pgbench's builtin script; return its transactions a second

    simple-update (-N) is the closest to a registration: a few updates and an
    insert per transaction, committed.
    """
    options = _options(uri)
    subprocess.run(['dropdb', '--if-exists', *options, DATABASE], check=True)
    subprocess.run(['createdb', *options, DATABASE], check=True)
    try:
        subprocess.run(
            ['pgbench', '-i', '-q', '-s', str(scale), *options, DATABASE],
            check=True, capture_output=True)
        result = subprocess.run([
                'pgbench', '-b', builtin, '-c', str(clients),
                '-j', str(min(clients, 2)), '-T', str(seconds), *options,
                DATABASE], check=True, capture_output=True, text=True)
    finally:
        subprocess.run(
            ['dropdb', '--if-exists', *options, DATABASE], check=True)
    match = re.search(r'tps = ([0-9.]+)', result.stdout)
    return float(match.group(1))


if __name__ == '__main__':
    import sys
    print(pgbench(sys.argv[1] if len(sys.argv) > 1
            else 'postgresql://postgres@127.0.0.1:5432/'))
