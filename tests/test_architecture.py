# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The shape of the code the maintainers rely on (issue 18), read from the
sources with ast: short public routes, a members module that knows no
satellite, no code that depends on the tests"""
import ast
import re
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / 'addons'
MEMBERS = 'concertes_members'
ROUTE_MAX_LINES = 20
MODEL_NAME = re.compile(r'''["'](concertes\.[a-z0-9_.]+)["']''')


def python_files(*folders):
    for folder in folders:
        for path in sorted(folder.rglob('*.py')):
            if not {'.venv', 'node_modules', '__pycache__'} & set(path.parts):
                yield path


def decorator_name(decorator):
    function = (decorator.func if isinstance(decorator, ast.Call)
        else decorator)
    if isinstance(function, ast.Attribute):
        return function.attr
    return getattr(function, 'id', None)


def route_handlers(tree):
    """The functions of the module decorated as a route: by app.route or by
    a decorator of the module that calls it (public_route...)"""
    factories = {node.name for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(n, ast.Call) and decorator_name(n) == 'route'
            for n in ast.walk(node))}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                decorator_name(d) in factories | {'route'}
                for d in node.decorator_list):
            yield node


def defined_models(path):
    "The names of the models the file defines (extensions left out)"
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ClassDef) or any(
                k.arg == 'metaclass' for k in node.keywords):
            continue
        for statement in node.body:
            if (isinstance(statement, ast.Assign)
                    and any(getattr(t, 'id', None) == '__name__'
                        for t in statement.targets)
                    and isinstance(statement.value, ast.Constant)):
                yield statement.value.value


class ArchitectureTestCase(unittest.TestCase):

    def test_route_handlers_short(self):
        "No route handler longer than 20 lines: parse, call a verb, render"
        handlers, long_ = [], []
        for path in python_files(ADDONS):
            source = path.read_text()
            if '.route(' not in source:
                continue
            for node in route_handlers(ast.parse(source)):
                length = node.end_lineno - node.lineno + 1
                handlers.append(node.name)
                if length > ROUTE_MAX_LINES:
                    long_.append('%s:%s %s (%s lines)' % (
                            path.relative_to(ROOT), node.lineno, node.name,
                            length))
        self.assertGreater(len(handlers), 10, handlers)
        self.assertEqual(long_, [])

    def test_members_names_no_satellite_model(self):
        """concertes_members names no concertes. model that another ConcertES
        module defines: the satellites extend it, never the reverse"""
        own = set()
        for path in python_files(ADDONS / MEMBERS):
            own.update(defined_models(path))
        satellite = {}
        for module in sorted(ADDONS.glob('concertes_*')):
            if module.name == MEMBERS:
                continue
            for path in python_files(module):
                if 'tests' in path.relative_to(module).parts:
                    continue
                for name in defined_models(path):
                    if name.startswith('concertes.') and name not in own:
                        satellite[name] = module.name
        self.assertIn('concertes.event', satellite)
        named = []
        for path in sorted((ADDONS / MEMBERS).rglob('*')):
            if path.suffix not in {'.py', '.xml', '.fodt'} or (
                    'tests' in path.relative_to(ADDONS / MEMBERS).parts):
                continue
            for number, line in enumerate(
                    path.read_text().splitlines(), 1):
                for name in MODEL_NAME.findall(line):
                    if name in satellite:
                        named.append('%s:%s %s (%s)' % (
                                path.relative_to(ROOT), number, name,
                                satellite[name]))
        self.assertEqual(named, [])

    def test_nothing_imports_tests(self):
        """Nothing outside the tests folders imports from ours: scaffolding
        shared by the tests, the bench and the tools lives in tools/ (the
        test tools of Tryton's own modules are Tryton's)"""
        imports = []
        for path in python_files(ROOT / 'addons', ROOT / 'bench',
                ROOT / 'tools', ROOT / 'demo', ROOT / 'deploy'):
            if 'tests' in path.relative_to(ROOT).parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = ['.' * node.level + (node.module or '')]
                    if node.level and not node.module:
                        names = [names[0] + a.name for a in node.names]
                else:
                    continue
                for name in names:
                    parts = name.lstrip('.').split('.')
                    ours = not name.startswith('trytond.') or (
                        name.startswith('trytond.modules.concertes_'))
                    if ours and 'tests' in parts:
                        imports.append('%s:%s %s' % (
                                path.relative_to(ROOT), node.lineno, name))
        self.assertEqual(imports, [])
