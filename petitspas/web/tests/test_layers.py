"""Lower apps do not reach up through Django's reverse relations.

import-linter (``make quality``) proves that imports run downward, but a reverse relation
needs no import: ``session.registrations`` in activities, or ``attendances__`` in a
families lookup, ties the lower app to attendance all the same. For every model of every
app in the layers contract, this test collects the reverse accessors and query names that
come from apps above it (or from a sibling of its own layer) and looks for them in the
app's own modules, as attributes, in lookups and in field names given as strings.
"""

import ast
import tomllib
from pathlib import Path

import pytest
from django.apps import apps

import petitspas

PACKAGE = Path(petitspas.__file__).parent

# (module, function) pairs allowed to reach up, each with the reason.
ALLOWED: set[tuple[str, str]] = set()


def _layer_ranks() -> dict[str, int]:
    """App label -> rank in the layers contract, 0 for the top layer."""
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    ranks = {}
    for rank, layer in enumerate(contract["layers"]):
        for name in layer.replace(":", "|").split("|"):
            ranks[name.strip().strip("()")] = rank
    return ranks


def _reaching_names(ranks: dict[str, int]) -> dict[str, set[str]]:
    """App label -> the reverse accessors and query names of relations from above it."""
    names: dict[str, set[str]] = {label: set() for label in ranks}
    for model in apps.get_models():
        own = model._meta.app_label
        if own not in ranks:
            continue
        for relation in model._meta.related_objects:
            other = relation.related_model._meta.app_label
            if other == own or other not in ranks or ranks[other] > ranks[own]:
                continue
            names[own].add(relation.get_accessor_name())
            names[own].add(relation.field.related_query_name())
    return names


class _Finder(ast.NodeVisitor):
    """Where ``names`` are used: ``x.name``, ``name__…`` keywords, ``"…name…"`` lookups."""

    def __init__(self, names: set[str]):
        self.names = names
        self.function = None
        self.found: list[tuple[str | None, int, str]] = []

    def _hit(self, node, name):
        self.found.append((self.function, node.lineno, name))

    def _lookup(self, node, text: str):
        for part in text.lstrip("-").split("__"):
            if part in self.names:
                self._hit(node, text)

    def visit_FunctionDef(self, node):
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Attribute(self, node):
        if node.attr in self.names:
            self._hit(node, node.attr)
        self.generic_visit(node)

    def visit_keyword(self, node):
        if node.arg:
            self._lookup(node.value, node.arg)
        self.generic_visit(node)

    def visit_Dict(self, node):
        # A template context's keys name what the page shows, not a lookup.
        for key in node.keys:
            if key is not None and not isinstance(key, ast.Constant):
                self.visit(key)
        for value in node.values:
            self.visit(value)

    def visit_Constant(self, node):
        if isinstance(node.value, str) and " " not in node.value:
            self._lookup(node, node.value)


def find_reaches(source: str, names: set[str]) -> list[tuple[str | None, int, str]]:
    finder = _Finder(names)
    finder.visit(ast.parse(source))
    return finder.found


def _app_modules(label: str):
    app_dir = Path(apps.get_app_config(label).path)
    for path in sorted(app_dir.rglob("*.py")):
        parts = path.relative_to(app_dir).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def test_the_finder_sees_attributes_lookups_and_field_names():
    source = (
        "def leaky(session, household):\n"
        "    session.registrations.count()\n"
        "    Household.objects.filter(attendances__session=session)\n"
        "    Session.objects.annotate(n=Count('registrations'))\n"
        "    return {'registrations': 'are listed'}\n"
    )
    found = find_reaches(source, {"registrations", "attendances"})
    assert [(line, name) for _, line, name in found] == [
        (2, "registrations"),
        (3, "attendances__session"),
        (4, "registrations"),
    ]
    assert {function for function, _, _ in found} == {"leaky"}


def test_every_app_of_the_layers_is_installed():
    installed = {config.label for config in apps.get_app_configs()}
    # The demo may not exist yet: it is optional in the contract too.
    assert set(_layer_ranks()) - {"demo"} <= installed


@pytest.mark.parametrize("label", sorted(_layer_ranks()))
def test_no_app_reaches_up_through_a_reverse_relation(label):
    if label not in {config.label for config in apps.get_app_configs()}:
        pytest.skip(f"{label} is not installed")
    names = _reaching_names(_layer_ranks())[label]
    if not names:
        return
    reaches = []
    for path in _app_modules(label):
        module = path.relative_to(PACKAGE).as_posix()
        for function, line, name in find_reaches(path.read_text(), names):
            if (module, function) not in ALLOWED:
                reaches.append(f"{module}:{line} ({function}) {name}")
    assert reaches == []
