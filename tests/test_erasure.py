# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Erasure and retention leave nothing behind (issue 17, finding 1)

A person registers through the public API with every optional field
filled, gets their e-mail, is erased (party erase wizard) or anonymised by
the retention cron; then every text column of every table, and on SQLite
the raw database file and its write-ahead log, are searched for their
e-mail, names and answers: nothing is found, while the statistics of the
event are unchanged and the same address may register again.
"""
import datetime as dt
import os
import sqlite3
import unittest
import uuid

import requests

from tools.server import TrytondServer

from .test_web import dt_rpc, serve

NOW = dt.datetime.utcnow().replace(microsecond=0)
STATISTICS = ['registered', 'confirmed', 'cancelled', 'attended', 'no_show',
    'waiting']


class ErasureTestCase(unittest.TestCase):
    "What erasure and retention leave of a registrant: nothing"

    @classmethod
    def setUpClass(cls):
        serve(cls, TrytondServer(
                'test_erasure_%s' % uuid.uuid4().hex[:8], workers=1))

    def make_event(self, name, start):
        end = start + dt.timedelta(hours=8)
        event_id, = self.rpc.model('concertes.event', 'create', [{
                    'name': name, 'kind': 'networking',
                    'start': dt_rpc(start), 'end': dt_rpc(end),
                    'capacity': 50, 'published': True,
                    'sessions': [['create', [{
                                    'name': "Atelier", 'capacity': 20,
                                    'start': dt_rpc(start),
                                    'end': dt_rpc(
                                        start + dt.timedelta(hours=2)),
                                    }]]],
                    'tickets': [['create', [{
                                    'name': "Participant·e",
                                    'category': 'participant',
                                    'public': True, 'capacity': 40}]]],
                    }])
        self.rpc.model('concertes.event', 'open', [event_id])
        return event_id

    def person(self):
        "A registrant with every optional field, names found nowhere else"
        tag = uuid.uuid4().hex[:6]
        return {
            'first_name': 'Zephyrinette%s' % tag,
            'last_name': 'Quaglierini%s' % tag,
            'email': 'zq.%s@erasure-example.org' % tag,
            'organisation': 'SAW-B',
            'function': 'Chargee de plaidoyer %s' % tag,
            'language': 'nl',
            'diet': 'vegetarian',
            'accessibility': 'Fauteuil roulant %s' % tag,
            'consent': True,
            }

    def register(self, event_id, person, status=201):
        event, = self.rpc.model('concertes.event', 'read', [event_id],
            ['sessions', 'tickets'])
        response = requests.post(
            '%s/api/events/%s/registrations' % (self.base, event_id),
            json=dict(person, sessions=event['sessions'],
                ticket=event['tickets'][0]),
            timeout=120)
        self.assertEqual(response.status_code, status, response.text)
        return response.json()

    def statistics(self, event_id):
        return self.rpc.model('concertes.event.statistic', 'search_read',
            [('event', '=', event_id)], 0, None, None, STATISTICS)

    def needles(self, person):
        return [person[k].lower() for k in [
                'first_name', 'last_name', 'email', 'function',
                'accessibility']]

    def assert_nowhere(self, person):
        "Search every text column and the raw files for the person"
        needles = self.needles(person)
        hits = []
        if self.server.postgresql:
            import psycopg
            from psycopg import sql
            uri = self.server.env['TRYTOND_DATABASE__URI']
            with psycopg.connect(uri.rstrip('/') + '/' + self.server.name,
                    autocommit=True) as conn:
                columns = conn.execute(
                    "SELECT table_name, column_name "
                    "FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND data_type IN "
                    "('text', 'character varying', 'json', 'jsonb', "
                    "'bytea')").fetchall()
                for table, column in columns:
                    found = conn.execute(sql.SQL(
                            "SELECT DISTINCT n FROM {}, "
                            "unnest(%s::text[]) AS n "
                            "WHERE strpos(lower({}::text), n) > 0").format(
                            sql.Identifier(table), sql.Identifier(column)),
                        (needles,)).fetchall()
                    hits.extend((table, column, n) for n, in found)
        else:
            path = os.path.join(self.server.tmp, self.server.name + '.sqlite')
            with sqlite3.connect(path) as conn:
                tables = [r[0] for r in conn.execute(
                        "SELECT name FROM sqlite_master "
                        "WHERE type = 'table'")]
                for table in tables:
                    for column in conn.execute(
                            'PRAGMA table_info("%s")' % table):
                        values = {str(v).lower() for v, in conn.execute(
                                'SELECT DISTINCT "%s" FROM "%s" '
                                'WHERE "%s" IS NOT NULL'
                                % (column[1], table, column[1]))}
                        hits.extend((table, column[1], n) for n in needles
                            if any(n in v for v in values))
            conn.close()
            for suffix in ['', '-wal']:
                try:
                    with open(path + suffix, 'rb') as file:
                        content = file.read().lower()
                except FileNotFoundError:
                    continue
                for needle in needles:
                    if needle.encode('utf-8') in content:
                        hits.append(('file' + suffix, needle))
        self.assertEqual(hits, [])

    def assert_somewhere(self, person):
        "The search finds the person before erasure (it can find them)"
        with self.assertRaises(AssertionError):
            self.assert_nowhere(person)

    def test_erasure_leaves_no_personal_data(self):
        "Erasing a registrant removes them from every table and file"
        person = self.person()
        first = self.make_event(
            "Erasure forum", NOW + dt.timedelta(days=30))
        second = self.make_event(
            "Erasure forum bis", NOW + dt.timedelta(days=40))
        self.register(first, person)
        self.register(second, person)
        self.register(first, self.person())
        registration, = self.rpc.model(
            'concertes.event.registration', 'search_read',
            [('email', '=', person['email']), ('event', '=', first)],
            0, None, None, ['party'])
        party = registration['party']
        self.assertTrue(party)
        self.assertTrue(self.rpc.model('ir.email', 'search', [
                    ('resource', '=',
                        'concertes.event.registration,%s'
                        % registration['id'])], 0, None, None))
        # the export of the person's data holds the copies of the e-mails
        oext, content, _, _ = self.rpc.call(
            'report.concertes.party.personal_data.execute',
            [[party], {}, self.rpc.context])
        if isinstance(content, dict):
            import base64
            content = base64.b64decode(content['base64']).decode()
        self.assertIn('"ir.email"', content)
        self.assert_somewhere(person)
        before = [self.statistics(first), self.statistics(second)]

        self.rpc.model('party.party', 'write', [party], {'active': False})
        session, _, _ = self.rpc.call('wizard.party.erase.create', [{}])
        self.rpc.call('wizard.party.erase.execute', [
                session, {'ask': {'party': party}}, 'erase',
                self.rpc.context])
        self.rpc.call('wizard.party.erase.delete', [session, {}])

        self.assert_nowhere(person)
        self.assertEqual(
            [self.statistics(first), self.statistics(second)], before)
        # the claim of the address is released: it may register again
        self.register(first, person)

    def test_retention_leaves_no_personal_data(self):
        "The retention cron removes old registrants from every table and file"
        person = self.person()
        start = NOW + dt.timedelta(days=20)
        event = self.make_event("Retention forum", start)
        self.register(event, person)
        self.register(event, self.person())
        # the event took place three years ago
        old = NOW - dt.timedelta(days=3 * 365)
        session, = self.rpc.model('concertes.event', 'read', [event],
            ['sessions'])[0]['sessions']
        self.rpc.model('concertes.event', 'write', [event], {
                'start': dt_rpc(old), 'end': dt_rpc(
                    old + dt.timedelta(hours=8)),
                'sessions': [['write', [session], {
                            'start': dt_rpc(old),
                            'end': dt_rpc(old + dt.timedelta(hours=2))}]],
                })
        self.assert_somewhere(person)
        before = self.statistics(event)

        cron, = self.rpc.model('ir.cron', 'search', [
                ('method', '=',
                    'concertes.privacy.retention|apply_retention')],
            0, None, None)
        self.rpc.model('ir.cron', 'run_once', [cron])

        self.assert_nowhere(person)
        self.assertEqual(self.statistics(event), before)
