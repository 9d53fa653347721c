"""Turn a JSON Schema into one Python function that says whether a value is valid: the fast
path of validation. Most files a build reads are valid, and saying so this way takes a
fraction of a millisecond, where importing jsonschema alone takes a tenth of a second;
jsonschema is then imported only for a file that has a problem, to word it.

Only the keywords briefbook's schemas use are compiled, each as jsonschema's Draft 2020-12
reads it (an integer may be written 2.0, a boolean is no number, text is measured in code
points, a pattern may match anywhere, true is not 1 in an enum). A schema with any other
keyword is refused with NotCompiled, so the caller falls back to jsonschema rather than
passing what it cannot judge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Keywords that say something about a schema but nothing about its values.
NOTES = frozenset({"$id", "$schema", "title", "description", "default", "examples"})


class NotCompiled(Exception):
    """A schema with a keyword this module does not judge."""


def compiled(schema: Any) -> Check:
    """A function true of exactly the values `schema` accepts."""
    if schema is True:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, dict):
        raise NotCompiled(f"a schema must be an object or a boolean, found {schema!r}")
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in NOTES or keyword.startswith("x-"):
            continue
        make = _KEYWORDS.get(keyword)
        if make is None:
            raise NotCompiled(f"keyword {keyword!r}")
        checks.append(make(value, schema))
    checks = [c for c in checks if c is not _always]
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    return lambda value: all(check(value) for check in checks)


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def _type(value: Any, schema: dict) -> Check:
    names = [value] if isinstance(value, str) else list(value)
    try:
        tests = [_TYPES[name] for name in names]
    except KeyError as err:
        raise NotCompiled(f"type {err.args[0]!r}") from None
    if len(tests) == 1:
        return tests[0]
    return lambda v: any(test(v) for test in tests)


def _unbool(value: Any) -> Any:
    """A value as jsonschema compares it: true and false are not 1 and 0."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, list):
        return ("list", tuple(_unbool(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _unbool(v)) for k, v in value.items())))
    return value


def _equal(one: Any, two: Any) -> bool:
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if isinstance(one, list | dict) or isinstance(two, list | dict):
        return False
    return one == two


def _enum(value: Any, schema: dict) -> Check:
    options = list(value)
    return lambda v: any(_equal(v, option) for option in options)


def _const(value: Any, schema: dict) -> Check:
    return lambda v: _equal(v, value)


def _bound(test: Callable[[Any, Any], bool]) -> Callable[[Any, dict], Check]:
    def make(limit: Any, schema: dict) -> Check:
        return lambda v: not _is_number(v) or test(v, limit)

    return make


def _length(test: Callable[[int, int], bool], kind: type) -> Callable[[Any, dict], Check]:
    def make(limit: int, schema: dict) -> Check:
        return lambda v: not isinstance(v, kind) or test(len(v), limit)

    return make


def _pattern(value: str, schema: dict) -> Check:
    search = re.compile(value).search
    return lambda v: not isinstance(v, str) or search(v) is not None


def _properties(value: dict, schema: dict) -> Check:
    subs = {name: compiled(sub) for name, sub in value.items()}
    subs = {name: check for name, check in subs.items() if check is not _always}

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        return all(name not in v or sub(v[name]) for name, sub in subs.items())

    return check


def _additional(value: Any, schema: dict) -> Check:
    if "patternProperties" in schema:
        raise NotCompiled("patternProperties")
    known = frozenset(schema.get("properties", {}))
    sub = compiled(value)

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        return all(sub(item) for name, item in v.items() if name not in known)

    return check


def _required(value: list[str], schema: dict) -> Check:
    names = list(value)
    return lambda v: not isinstance(v, dict) or all(name in v for name in names)


def _property_names(value: Any, schema: dict) -> Check:
    sub = compiled(value)
    return lambda v: not isinstance(v, dict) or all(sub(name) for name in v)


def _items(value: Any, schema: dict) -> Check:
    if "prefixItems" in schema:
        raise NotCompiled("prefixItems")
    sub = compiled(value)
    return lambda v: not isinstance(v, list) or all(sub(item) for item in v)


def _unique(value: bool, schema: dict) -> Check:
    if not value:
        return _always

    def check(v: Any) -> bool:
        if not isinstance(v, list):
            return True
        try:
            return len({_unbool(item) for item in v}) == len(v)
        except TypeError:  # a list of mappings with keys of mixed kinds: compare in pairs
            return not any(_equal(a, b) for i, a in enumerate(v) for b in v[i + 1 :])

    return check


def _not(value: Any, schema: dict) -> Check:
    sub = compiled(value)
    return lambda v: not sub(v)


_KEYWORDS: dict[str, Callable[[Any, dict], Check]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "minimum": _bound(lambda v, limit: v >= limit),
    "maximum": _bound(lambda v, limit: v <= limit),
    "exclusiveMinimum": _bound(lambda v, limit: v > limit),
    "exclusiveMaximum": _bound(lambda v, limit: v < limit),
    "minLength": _length(lambda n, limit: n >= limit, str),
    "maxLength": _length(lambda n, limit: n <= limit, str),
    "minItems": _length(lambda n, limit: n >= limit, list),
    "maxItems": _length(lambda n, limit: n <= limit, list),
    "minProperties": _length(lambda n, limit: n >= limit, dict),
    "maxProperties": _length(lambda n, limit: n <= limit, dict),
    "pattern": _pattern,
    "properties": _properties,
    "additionalProperties": _additional,
    "required": _required,
    "propertyNames": _property_names,
    "items": _items,
    "uniqueItems": _unique,
    "not": _not,
}
