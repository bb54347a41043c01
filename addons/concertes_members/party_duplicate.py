# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Likely duplicate parties, suggested for review and merged with Tryton's
party replace wizard"""
import re
import unicodedata
from itertools import combinations

from rapidfuzz import fuzz, process, utils
from sql import Literal, Null
from sql.functions import Lower, Position, Substring

from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .common import shown_in, sql_tables, transition_button
from .party import ENTERPRISE_NUMBER

REASONS = [
    ('enterprise_number', "Same Enterprise Number"),
    ('email_domain', "Same E-mail Domain"),
    ('name', "Close Names"),
    ]
# Names closer than this (0-100, token sort ratio of rapidfuzz) are
# suggested: « Cabinet du Ministre de l'Économie sociale (Wallonie) » and
# « Cabinet du Ministre wallon de l'Économie sociale (M. Coppieters) » score
# 92, two member federations of the demo never more than 80
NAME_SIMILARITY = 90
# Addresses of these domains say nothing about the organisation
PUBLIC_MAIL_DOMAINS = {
    'gmail.com', 'googlemail.com', 'hotmail.com', 'hotmail.be',
    'outlook.com', 'outlook.be', 'live.com', 'live.be', 'yahoo.com',
    'yahoo.fr', 'icloud.com', 'skynet.be', 'proximus.be', 'telenet.be',
    'voo.be', 'scarlet.be', 'gmx.com', 'orange.fr', 'free.fr',
    'example.org', 'example.com',
    }


def comparable_name(name):
    """The name without what tells one name of an organisation from
    another: the parts in brackets (an acronym, a minister's name), what
    follows a dash (a department) and case, accents and punctuation"""
    name = re.sub(r'\([^)]*\)', ' ', name or '')
    name = re.split(r'\s[–—-]\s', name)[0]
    name = ''.join(c for c in unicodedata.normalize('NFKD', name)
        if not unicodedata.combining(c))
    return utils.default_process(name)


class PartyDuplicate(Workflow, ModelSQL, ModelView):
    "Likely Duplicate Parties"
    __name__ = 'concertes.party.duplicate'

    party = fields.Many2One(
        'party.party', "Party", required=True, readonly=True,
        ondelete='CASCADE', context={'active_test': False},
        help="The party that stays when they are merged.")
    other = fields.Many2One(
        'party.party', "Possible Duplicate", required=True, readonly=True,
        ondelete='CASCADE', context={'active_test': False},
        help="The party that is replaced by the first when they are merged.")
    reason = fields.Selection(
        REASONS, "Reason", required=True, readonly=True,
        help="Why the two parties may be the same.")
    detail = fields.Char(
        "Detail", readonly=True,
        help="The enterprise number or the e-mail domain they share, or "
        "how close their names are (100: the same).")
    state = fields.Selection([
            ('suggested', "Suggested"),
            ('dismissed', "Not a Duplicate"),
            ('merged', "Merged"),
            ], "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('pair_unique', Unique(table, table.party, table.other),
                'concertes_members.msg_party_duplicate_pair_unique'),
            ]
        cls._order = [('state', 'DESC'), ('reason', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('suggested', 'dismissed'),
            ('dismissed', 'suggested'),
            ('suggested', 'merged'),
            }
        cls._buttons.update({
                'merge': shown_in('suggested'),
                'dismiss': shown_in('suggested'),
                'reconsider': shown_in('dismissed'),
                })

    @classmethod
    def default_state(cls):
        return 'suggested'

    def get_rec_name(self, name):
        return '%s / %s' % (self.party.rec_name, self.other.rec_name)

    @classmethod
    @ModelView.button_action(
        'concertes_members.wizard_party_duplicate_merge')
    def merge(cls, duplicates):
        """Open the party replace wizard with the possible duplicate to
        replace by the party (party.ReplaceAsk fills them in)"""
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('dismissed')
    def dismiss(cls, duplicates):
        "Not a duplicate: the pair is not suggested again"
        pass

    reconsider = transition_button('reconsider', 'suggested')

    @classmethod
    def suggest(cls):
        """Record the pairs of active parties that look the same and were
        not reviewed yet; the suggestions of a party since replaced (merged)
        are marked merged"""
        cls.mark_merged()
        known = {(d.party.id, d.other.id) for d in cls.search([])}
        found = {}
        for reason, pairs in [
                ('enterprise_number', cls._same_enterprise_number()),
                ('email_domain', cls._same_email_domain()),
                ('name', cls._close_names()),
                ]:
            for (first, second), detail in pairs.items():
                pair = (min(first, second), max(first, second))
                if pair not in known and pair not in found:
                    found[pair] = (reason, detail)
        duplicates = cls.create([{
                    'party': party,
                    'other': other,
                    'reason': reason,
                    'detail': detail,
                    } for (party, other), (reason, detail)
                in sorted(found.items())])
        return duplicates

    @classmethod
    def suggest_cron(cls):
        cls.suggest()

    @classmethod
    def mark_merged(cls):
        "The suggestions of a party replaced since are merged"
        suggested = cls.search([
                ('state', '=', 'suggested'),
                ['OR',
                    ('party.active', '=', False),
                    ('other.active', '=', False),
                    ],
                ])
        if suggested:
            cls.write(suggested, {'state': 'merged'})

    @classmethod
    def _same_enterprise_number(cls):
        "{(party, party): number} of active parties sharing the number"
        first, second, party1, party2 = sql_tables(
            'party.identifier', 'party.identifier', 'party.party',
            'party.party')
        cursor = Transaction().connection.cursor()
        cursor.execute(*first
            .join(second, condition=(first.code == second.code)
                & (first.party < second.party))
            .join(party1, condition=first.party == party1.id)
            .join(party2, condition=second.party == party2.id)
            .select(first.party, second.party, first.code,
                where=(first.type == ENTERPRISE_NUMBER)
                & (second.type == ENTERPRISE_NUMBER)
                & (first.active == Literal(True))
                & (second.active == Literal(True))
                & (party1.active == Literal(True))
                & (party2.active == Literal(True))))
        return {(a, b): code for a, b, code in cursor}

    @classmethod
    def _same_email_domain(cls):
        """{(party, party): domain} of active organisations (parties with a
        kind of organisation) with an e-mail address at the same domain,
        but for the public mail services"""
        mechanism, party = sql_tables(
            'party.contact_mechanism', 'party.party')
        domain = Lower(Substring(mechanism.value,
                Position('@', mechanism.value) + 1))
        query = mechanism.join(party,
            condition=mechanism.party == party.id
            ).select(mechanism.party.as_('party'), domain.as_('domain'),
            where=(mechanism.type == 'email')
            & (mechanism.active == Literal(True))
            & (party.active == Literal(True))
            & (party.organisation_kind != Null)
            & (Position('@', mechanism.value) > 0))
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        parties = {}
        for party_id, domain_name in cursor:
            if domain_name and domain_name not in PUBLIC_MAIL_DOMAINS:
                parties.setdefault(domain_name, set()).add(party_id)
        return {
            pair: domain_name
            for domain_name, ids in parties.items()
            for pair in combinations(sorted(ids), 2)}

    @classmethod
    def _close_names(cls):
        """{(party, party): score} of active organisations whose names are
        close once brackets and departments are left out"""
        Party = Pool().get('party.party')
        parties = Party.search_read([
                ('organisation_kind', '!=', None),
                ], order=[('id', 'ASC')], fields_names=['name'])
        names = [comparable_name(p['name']) for p in parties]
        pairs = {}
        for i, name in enumerate(names[:-1]):
            if not name:
                continue
            for _, score, j in process.extract(
                    name, names[i + 1:], scorer=fuzz.token_sort_ratio,
                    score_cutoff=NAME_SIMILARITY, limit=None):
                pairs[parties[i]['id'], parties[i + 1 + j]['id']] = (
                    '%d' % score)
        return pairs


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('concertes.party.duplicate|suggest_cron',
                "Suggest Likely Duplicate Parties"))
