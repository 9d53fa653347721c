"""Property: whatever layout.yaml and templates a layout folder holds, `briefbook build` either
writes a book or fails with located problems (each line names a file of the layout folder),
exit status 1 or 2, nothing written; never the catch-all "internal error", never a traceback.

The generated layouts mix sound settings with wrong types, out-of-range numbers, unknown
names, broken page lists and templates built from Jinja and markup fragments."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import build_args, run_cli

EXAMPLES = int(os.environ.get("BRIEFBOOK_PROPERTY_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

hostile = st.one_of(
    st.integers(-5, 100_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["teal", "#zzz", "mono", "", "1e9", "-1"]),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
)


def mostly(sound):
    """A sound value eleven times in twelve, a hostile one otherwise: many layouts build,
    so that the success path is tried as often as the refusals."""
    return st.integers(0, 11).flatmap(lambda n: sound if n else hostile)


points = st.integers(0, 60)
colours = st.sampled_from(["ink", "accent", "muted", "paper", "#123456", "#1c2433"])
SECTIONS = {
    "margins": {k: st.integers(40, 120) for k in ("top", "bottom", "left", "right")},
    "chips": {
        "size": st.integers(8, 12),
        "height": st.integers(12, 24),
        "gap": points,
        "radius": points,
        "fill": colours,
        "text": colours,
        "baseline": st.floats(0, 1),
        "font": st.sampled_from(["sans", "serif"]),
    },
    "glance": {
        "name_width": st.integers(60, 200),
        "row_padding": st.integers(0, 8),
        "mark_radius": st.integers(1, 6),
        "max_column": st.integers(10, 60),
        "stripe": colours,
    },
    "footer": {"baseline": st.integers(20, 60), "gap": points},
    "photo": {"width": st.integers(20, 200), "height": st.integers(20, 200)},
    "tick": {"width": points, "height": points, "color": colours, "above": points},
    "lists": {"bullet": st.sampled_from(["•", "-", "→", "★"]), "indent": points},
    "fit": {"step": st.floats(0.02, 0.5)},
}
STYLES = ["mayor.name", "mayor.summary", "statement.body", "cover.title", "mayor.sumary"]
KINDS = ["cover", "contents", "statement", "glance", "mayor", "back", "masthead", "digest", "x"]


@st.composite
def layout_yaml(draw) -> dict:
    out: dict = {}
    for section in draw(st.lists(st.sampled_from(sorted(SECTIONS)), max_size=3, unique=True)):
        keys = draw(st.lists(st.sampled_from(sorted(SECTIONS[section])), min_size=1, max_size=3))
        out[section] = {k: draw(mostly(SECTIONS[section][k])) for k in keys}
    if draw(st.booleans()):
        out["styles"] = {
            name: {
                "font": draw(mostly(st.sampled_from(["sans", "serif"]))),
                "size": draw(mostly(st.integers(8, 30))),
                "leading": draw(mostly(st.integers(12, 40))),
            }
            for name in draw(
                st.lists(st.sampled_from(STYLES[:-1] * 4 + STYLES[-1:]), max_size=2, unique=True)
            )
        }
    if draw(st.integers(0, 3)) == 0:
        out["pages"] = [
            {
                "kind": draw(st.sampled_from(KINDS)),
                **draw(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "each": st.just("mayor"),
                            "template": st.sampled_from(["body", "mayor", "cover", "nope"]),
                            "start": st.sampled_from(["new-page", "same-page", "keep-together"]),
                            "columns": st.sampled_from([1, 2, 2, 3]),
                            "fit": st.just("page"),
                            "bookmark": st.sampled_from([0, 1, False, 7]),
                            "in_contents": st.booleans(),
                        },
                    )
                ),
            }
            for _ in range(draw(st.integers(1, 4)))
        ]
    if draw(st.integers(0, 4)) == 0:
        out["papers"] = {
            "letter": draw(mostly(st.lists(st.integers(300, 1200), min_size=2, max_size=2)))
        }
    return out


SOUND = [
    "{{ book.title }}",
    "{{ book.subtitle }}",
    "{% for i in range(3) %}{{ i }}{% endfor %}",
    "{{ book.title | upper }}",
    "<font color='red'>red</font>",
    "&amp; & < >",
    "{% if book.organization %}yes{% endif %}",
    "plain words",
    "\n\n",
]
FRAGMENTS = [
    "{{ book.title }}",
    "{{ mayor.name }}",
    "{{ mayor.nmae }}",
    "{{ 1 // 0 }}",
    "{{ book.__class__ }}",
    "{% for i in range(3) %}{{ i }}{% endfor %}",
    "{{ 'x' * 3 }}",
    "{{ 10 ** 70 }}",
    "{{ book.title | upper }}",
    "<b>",
    "</i>",
    "<font color='red'>red</font>",
    "&amp;",
    "& < >",
    "{%",
    "}}",
    "{% if mayor %}yes{% endif %}",
    "plain words",
    "\n\n",
    "{{ undefined_name }}",
    "{% extends 'mayor.j2' %}",
]


fragments = st.integers(0, 9).flatmap(
    lambda n: st.sampled_from(SOUND) if n else st.sampled_from(FRAGMENTS)
)


BLOCKS = {
    "statement.j2": ["heading", "body", "organization"],
    "mayor.j2": ["name", "place", "summary"],
    "cover.j2": ["title", "subtitle", "credit"],
    "footer.j2": ["left", "right"],
}


@st.composite
def template(draw, name: str) -> str:
    blocks = []
    for block in draw(st.lists(st.sampled_from([*BLOCKS[name], "motto"]), max_size=3)):
        inside = "".join(draw(st.lists(fragments, max_size=4)))
        blocks.append(f"{{% block {block} %}}{inside}{{% endblock %}}")
    return "".join(draw(st.lists(fragments, max_size=1))) + "\n".join(blocks)


template_files = st.lists(st.sampled_from(sorted(BLOCKS)), max_size=2, unique=True).flatmap(
    lambda names: st.fixed_dictionaries({name: template(name) for name in names})
)


@SETTINGS
@given(
    spec=layout_yaml(),
    templates=template_files,
)
def test_any_layout_builds_or_fails_with_located_problems(spec: dict, templates: dict[str, str]):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "layout"
        folder.mkdir()
        (folder / "layout.yaml").write_text(yaml.safe_dump(spec), "utf-8")
        for name, text in templates.items():
            (folder / name).write_text(text, "utf-8")
        out = Path(tmp) / "out"
        pdf = out / "book.pdf"
        result = run_cli(build_args("--layout", str(folder), "--mayor", "bowser", output=pdf))
        assert "Traceback" not in result.output and "internal error" not in result.output, (
            result.output
        )
        event(f"exit status {result.exit_code}")
        if result.exit_code == 0:
            assert pdf.read_bytes().startswith(b"%PDF-")
            return
        assert result.exit_code in (1, 2), result.output
        assert not out.exists(), "a failed build left something behind"
        if result.exit_code == 1:
            *problems, count = result.stderr.splitlines()
            assert count.endswith("found; nothing was written"), result.stderr
            assert problems and all(p.startswith(str(folder)) for p in problems), problems
