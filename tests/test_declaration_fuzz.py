"""Fuzz the kind contract: any value in any place of a manifest or a table declaration is either
accepted or refused as a template error (exit 4) naming the file: never another exception."""

from __future__ import annotations

import copy
import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxreport.errors import TemplateError
from gxreport.declare.kinds import builtin_templates_dir, kind_from
from gxreport.declare.spec import tables_from

FOLDER = builtin_templates_dir() / "annual-2021"
MANIFEST_DATA = tomllib.loads((FOLDER / "manifest.toml").read_text(encoding="utf-8"))
TABLES_DATA = tomllib.loads((FOLDER / "tables.toml").read_text(encoding="utf-8"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["(", "[a-", "(?P<x>", "a/b/c", "requests/new/total", "@result", "01-31", "13-45", "government", "五", "year", ""]),
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def _paths(data, prefix=()):
    """Every place in a parsed TOML document, as a path of keys and indices."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*prefix, i))


MANIFEST_PATHS = [p for p in _paths(MANIFEST_DATA) if p]
TABLES_PATHS = [p for p in _paths(TABLES_DATA) if p]


def _mutated(data, path, value, new_key):
    data = copy.deepcopy(data)
    target = data
    for step in path[:-1]:
        target = target[step]
    if new_key and isinstance(target, dict):
        target[new_key] = value  # an extra key next to this one
    else:
        target[path[-1]] = value
    return data


def _load_manifest(data):
    return kind_from(data, FOLDER)


def _load_tables(data):
    return tables_from(data, FOLDER / "tables.toml")


@FUZZ
@given(st.sampled_from(MANIFEST_PATHS), _values, st.sampled_from(["", "extra", "requried_parts"]))
def test_a_mutated_manifest_loads_or_is_a_template_error(path, value, new_key):
    try:
        _load_manifest(_mutated(MANIFEST_DATA, path, value, new_key))
    except TemplateError as exc:
        assert str(FOLDER / "manifest.toml") in str(exc) and "'" in exc.message  # the file and the key


@FUZZ
@given(st.sampled_from(TABLES_PATHS), _values, st.sampled_from(["", "extra"]))
def test_a_mutated_table_declaration_loads_or_is_a_template_error(path, value, new_key):
    try:
        _load_tables(_mutated(TABLES_DATA, path, value, new_key))
    except TemplateError as exc:
        assert str(FOLDER / "tables.toml") in str(exc)


def test_the_builtin_declarations_load_unchanged():
    assert _load_manifest(copy.deepcopy(MANIFEST_DATA)).id == "annual"
    assert [t.id for t in _load_tables(copy.deepcopy(TABLES_DATA))] == ["active", "requests", "reviews"]
