"""Turn layout.schema.json and the default layout into the README's reference of every layout
key: its name, what it holds, the default layout's value and what it does.

The table sits in README.md between
    <!-- generated: layout-keys -->  ...  <!-- end generated -->
and is rewritten from the schema, so a key cannot be added or changed without the README
saying so. Run from the top of the repository after changing the schema or the default:
    .venv/bin/python docs/layout.py            rewrite the table in README.md
    .venv/bin/python docs/layout.py --check    exit 1 if README.md is out of date
tests/test_layoutdoc.py runs the check.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- generated: layout-keys -->\n)(.*?)(<!-- end generated -->)", re.S)
LONGEST_DEFAULT = 40  # characters; longer defaults (lists of pages) are left to layout.yaml


def main(argv: list[str]) -> int:
    current = README.read_text("utf-8")
    fresh = regenerate(current)
    if "--check" in argv:
        if fresh != current:
            print("README.md's layout keys are out of date; run: .venv/bin/python docs/layout.py")
            return 1
        return 0
    README.write_text(fresh, "utf-8")
    return 0


def regenerate(text: str) -> str:
    if not BLOCK.search(text):
        raise KeyError("README.md has no <!-- generated: layout-keys --> block")
    return BLOCK.sub(lambda m: m.group(1) + table() + m.group(3), text)


def table() -> str:
    import yaml

    schema = json.loads((ROOT / "src/briefbook/schemas/layout.schema.json").read_text("utf-8"))
    default = yaml.safe_load((ROOT / "layouts/default/layout.yaml").read_text("utf-8"))
    rows = ["| key | value | default | what it does |", "|---|---|---|---|"]
    for key, sub in _keys(schema, ""):
        rows.append(
            f"| `{key}` | {_cell(_expect(sub))} | {_cell(_default(default, key))} | "
            f"{_cell(sub.get('description', ''))} |"
        )
    return "\n".join(rows) + "\n"


def _keys(schema: dict[str, Any], prefix: str) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for name, sub in schema.get("properties", {}).items():
        key = prefix + name
        out.append((key, sub))
        out += _children(sub, key)
    return out


def _children(sub: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    if sub.get("type") == "object" and "properties" in sub:
        return _keys(sub, key + ".")
    extra = sub.get("additionalProperties")
    if sub.get("type") == "object" and isinstance(extra, dict):
        name = {"styles": "<template>.<block>", "papers": "<paper>", "fonts": "<family>"}.get(
            key.rsplit(".", 1)[-1], "<name>"
        )
        child = f"{key}.{name}"
        return [(child, extra), *_children(extra, child)]
    items = sub.get("items")
    if sub.get("type") == "array" and isinstance(items, dict) and "properties" in items:
        return _keys(items, key + "[].")
    return []


def _expect(sub: dict[str, Any]) -> str:
    if "x-expect" in sub:
        return sub["x-expect"]
    kind = sub.get("type")
    return {"object": "a mapping", "array": "a list"}.get(kind, kind or "")


def _default(default: dict[str, Any], key: str) -> str:
    value: Any = default
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return ""
        value = value[part]
    if isinstance(value, dict):
        return ""
    shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return f"`{shown}`" if len(shown) <= LONGEST_DEFAULT else "(see layouts/default)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
