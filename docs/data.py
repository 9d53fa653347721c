"""Turn the JSON Schemas and the loader's limits into the generated tables of docs/data.md.

The prose of docs/data.md is written by hand; each table sits between a pair of markers,
    <!-- generated: NAME -->  ...  <!-- end generated -->
and is rewritten from the schemas in src/briefbook/schemas/ and the limits in the code, so
the contract a reader sees is the one the validator checks. Run from the top of the
repository after changing a schema or a limit:
    .venv/bin/python docs/data.py            rewrite the tables in docs/data.md
    .venv/bin/python docs/data.py --check    exit 1 if docs/data.md is out of date
tests/test_datadoc.py runs the check.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parent / "data.md"
BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end generated -->)", re.S)
ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


def main(argv: list[str]) -> int:
    current = DOC.read_text("utf-8")
    fresh = regenerate(current)
    if "--check" in argv:
        if fresh != current:
            print(f"{DOC} is out of date; run: .venv/bin/python docs/data.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(fresh, "utf-8")
    return 0


def regenerate(text: str) -> str:
    """`text` with every generated table replaced by a fresh one."""
    tables = {name: make() for name, make in _TABLES.items()}

    def fill(match: re.Match) -> str:
        name = match.group(2)
        if name not in tables:
            raise KeyError(f"docs/data.md asks for an unknown table '{name}'")
        return match.group(1) + tables[name] + match.group(4)

    return BLOCK.sub(fill, text)


# --- key tables ---------------------------------------------------------------------------


def key_table(schema: dict[str, Any], prefix: str = "") -> str:
    """A Markdown table of every key `schema` describes, nested keys included."""
    rows = ["| key | type | required | limits | meaning |", "|---|---|---|---|---|"]
    rows += [_row(*row) for row in _keys(schema, prefix)]
    return "\n".join(rows) + "\n"


def _keys(schema: dict[str, Any], prefix: str) -> list[tuple[str, dict[str, Any], bool]]:
    out: list[tuple[str, dict[str, Any], bool]] = []
    required = set(schema.get("required", ()))
    for name, sub in schema.get("properties", {}).items():
        key = prefix + name
        out.append((key, sub, name in required))
        if sub.get("type") == "object":
            out += _keys(sub, key + ".")
        elif sub.get("type") == "array" and sub.get("items", {}).get("type") == "object":
            out += _keys(sub["items"], key + "[].")
    return out


def _row(key: str, sub: dict[str, Any], required: bool) -> str:
    cells = [f"`{key}`", _type(sub), "yes" if required else "no", _limits(sub)]
    cells.append(_cell(sub.get("description", "")))
    return "| " + " | ".join(cells) + " |"


def _type(sub: dict[str, Any]) -> str:
    kind = sub.get("type")
    if isinstance(kind, list):  # one address, or a list of them
        return " or ".join(_type({**sub, "type": k}) for k in kind)
    if kind == "string":
        if sub.get("x-rich-text"):
            return "rich text"
        if sub.get("x-path"):
            return "path"
        if sub.get("pattern", "").startswith("^https?"):
            return "web address"
        return "text"
    if kind == "array":
        items = sub.get("items", {})
        if items.get("type") == "object":
            return "list of mappings"
        if items.get("x-expect", "").startswith("a theme id"):
            return "list of theme ids"
        if items.get("x-rich-text"):
            return "list of rich text"
        return "list of text"
    if kind == "object":
        return "mapping"
    return kind or "any"


def _limits(sub: dict[str, Any]) -> str:
    from briefbook.pictures import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
    from briefbook.validate import MAX_PARAGRAPH_CHARS

    out: list[str] = []
    if sub.get("pattern") == "\\S":
        out.append("not blank")
    if "enum" in sub or ("pattern" in sub and sub.get("pattern") != "\\S"):
        out.append(sub.get("x-expect", f"matches `{sub.get('pattern')}`"))
    if "maxLength" in sub:
        out.append(f"at most {sub['maxLength']:,} characters")
    if "x-max-words" in sub:
        out.append(f"at most {sub['x-max-words']} words")
    if sub.get("x-rich-text"):
        out.append(f"at most {MAX_PARAGRAPH_CHARS:,} characters a paragraph")
    if sub.get("x-path"):
        out.append(
            "a JPEG, PNG, GIF, WebP, TIFF or BMP picture inside the data folder, at most "
            f"{MAX_IMAGE_PIXELS:,} pixels and {MAX_IMAGE_BYTES:,} bytes"
        )
    if "minItems" in sub:
        out.append(f"at least {sub['minItems']}")
    items = sub.get("items", {})
    if items.get("x-expect", "").startswith("a theme id"):
        out.append("ids from themes.yaml")
    elif "enum" in items or items.get("pattern", "\\S") != "\\S":
        out.append(f"each {items.get('x-expect', 'one of the values')}")
    elif items.get("x-rich-text"):
        out.append(f"at most {MAX_PARAGRAPH_CHARS:,} characters a paragraph")
    if sub.get("uniqueItems"):
        out.append("each once")
    return _cell("; ".join(out)) or "—"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def themes_table() -> str:
    """The theme id (a key of the mapping) and the keys of each theme."""
    from briefbook.validate import schema

    themes = schema("themes")
    names = themes["propertyNames"]
    assert names["pattern"] == ID_PATTERN, "the generator describes the id pattern in words"
    id_row = (
        "| `<id>` | theme id (the key) | at least one | "
        f"{_cell(names['x-expect'])}; at most {names['maxLength']} characters; at most "
        f"{themes['maxProperties']} themes | {_cell(themes['additionalProperties']['description'])}"
        " |"
    )
    table = key_table(themes["additionalProperties"], "<id>.")
    head, rule, *rows = table.splitlines()
    return "\n".join([head, rule, id_row, *rows]) + "\n"


def limits_table() -> str:
    """Every bound the loader keeps, from the constants the code uses."""
    from briefbook.load import MAX_DEPTH, MAX_FILE_BYTES, MAX_MAYOR_FILES, MAX_VALUES
    from briefbook.pictures import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
    from briefbook.validate import MAX_PARAGRAPH_CHARS, schema

    rows = [
        ("bytes in one YAML file", MAX_FILE_BYTES),
        ("values one YAML file may hold, aliases expanded", MAX_VALUES),
        ("levels values may nest", MAX_DEPTH),
        ("entries in mayors/, hidden ones included", MAX_MAYOR_FILES),
        ("themes in themes.yaml", schema("themes")["maxProperties"]),
        ("characters in one paragraph of rich text", MAX_PARAGRAPH_CHARS),
        ("bytes in one picture file", MAX_IMAGE_BYTES),
        ("pixels in one picture", MAX_IMAGE_PIXELS),
    ]
    lines = ["| what | at most |", "|---|---:|"]
    lines += [f"| {what} | {n:,} |" for what, n in rows]
    return "\n".join(lines) + "\n"


def _schema_table(name: str):
    def make() -> str:
        from briefbook.validate import schema

        return key_table(schema(name))

    return make


_TABLES = {
    "book": _schema_table("book"),
    "themes": themes_table,
    "mayor": _schema_table("mayor"),
    "meeting": _schema_table("meeting"),
    "limits": limits_table,
}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
