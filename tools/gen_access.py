#!/usr/bin/env python3
# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Write each module's access.xml from tools/access_matrix.py

    python tools/gen_access.py

tools/access/<module>.xml, when it exists, is put first in the module's
file (groups, menus, defaults that are not in the matrix)."""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))

from access_matrix import (  # noqa: E402
    GROUP_IDS, GROUPS, HIDDEN_FIELDS, MATRIX, RULES)

HEAD = '''<?xml version="1.0"?>
<!-- This file is part of the ConcertES ERP.  The COPYRIGHT file at the top \
level
of this repository contains the full copyright notices and license terms. -->
<!-- Generated from tools/access_matrix.py (see docs/access.md): the rights of
the ConcertES roles on this module's models. -->
<tryton>
    <data>
'''
TAIL = '''    </data>
</tryton>
'''


def slug(s):
    return s.replace('.', '_').replace('-', '_')


def gref(module, group):
    ref = GROUP_IDS[group]
    if ref.startswith(module + '.'):
        return ref.split('.', 1)[1]
    return ref


def b(x):
    return 'True' if x else 'False'


def field_access(model, field, group):
    "No one reads or writes field, but group when given"
    ref = '\n            <field name="group" ref="%s"/>' % group
    return '''        <record model="ir.model.field.access"
            id="field_access_%s_%s%s">
            <field name="model">%s</field>
            <field name="field">%s</field>%s
            <field name="perm_read" eval="%s"/>
            <field name="perm_write" eval="%s"/>
        </record>
''' % (slug(model), field, '_fin' if group else '', model, field,
        ref if group else '',
        b(group), b(group))


def rule_group(rid, name, model, perms, group, rule=''):
    "The rule group rid given to group, with the rule record given"
    return '''        <record model="ir.rule.group" id="%s">
            <field name="name">%s</field>
            <field name="model">%s</field>
            <field name="global_p" eval="False"/>
            %s
        </record>
''' % (rid, name, model, perms) + rule + '''\
        <record model="ir.rule.group-res.group" id="%s_group">
            <field name="rule_group" ref="%s"/>
            <field name="group" ref="%s"/>
        </record>
''' % (rid, rid, group)


def gen(module, extra=''):
    out = [HEAD, extra]
    for model, (mod, *perms) in MATRIX.items():
        if mod != module:
            continue
        for group, perm in zip(GROUPS, perms):
            if not perm:
                continue
            out.append('''\
        <record model="ir.model.access" id="access_%s_%s">
            <field name="model">%s</field>
            <field name="group" ref="%s"/>
            <field name="perm_read" eval="%s"/>
            <field name="perm_write" eval="%s"/>
            <field name="perm_create" eval="%s"/>
            <field name="perm_delete" eval="%s"/>
        </record>
''' % (slug(model), group, model, gref(module, group), b('r' in perm),
                b('w' in perm), b('c' in perm), b('d' in perm)))
    for model, field, mod in HIDDEN_FIELDS:
        if mod != module:
            continue
        if model.startswith('concertes.'):
            out.append(field_access(model, field, ''))
        out.append(field_access(model, field, gref(module, 'fin')))
    for model, modes, group, domain, name in RULES:
        if MATRIX[model][0] != module:
            continue
        rid = 'rule_group_%s_%s' % (slug(model), group)
        perms = ''.join(
            '<field name="perm_%s" eval="%s"/>\n            ' % (
                m, b(m in modes))
            for m in ['read', 'write', 'create', 'delete']).rstrip()
        rule = '''\
        <record model="ir.rule" id="%s_rule">
            <field name="domain" eval="%r" pyson="1"/>
            <field name="rule_group" ref="%s"/>
        </record>
''' % (rid, domain, rid)
        out.append(rule_group(
                rid, name, model, perms, gref(module, group), rule))
        out.append(rule_group(
                rid + '_fin', 'All records (administration and finance)',
                model, perms, gref(module, 'fin')))
    out.append(TAIL)
    return ''.join(out)


def main():
    for module in sorted({m for m, *_ in MATRIX.values()}):
        extra = ROOT / 'tools' / 'access' / (module + '.xml')
        extra = extra.read_text() if extra.exists() else ''
        (ROOT / 'addons' / module / 'access.xml').write_text(
            gen(module, extra))


if __name__ == '__main__':
    main()
