"""Shell completion offers the theme and mayor ids of the data folder being used."""

from click.testing import CliRunner

from briefbook.cli import cli
from conftest import DATA


def _complete(words: str) -> list[str]:
    env = {
        "_BRIEFBOOK_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(cli, [], env=env, prog_name="briefbook")
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.output.splitlines() if line]


def test_theme_ids_complete():
    assert _complete(f"briefbook build --data {DATA} --theme re") == ["reentry"]


def test_every_theme_id_is_offered_for_an_empty_word():
    offered = _complete(f"briefbook list --data {DATA} --theme ")
    assert "reentry" in offered and "public-health" in offered and len(offered) == 11


def test_mayor_ids_complete():
    assert _complete(f"briefbook build --data {DATA} --mayor w") == [
        "walsh",
        "weston-broome",
        "whaley",
        "woodfin",
    ]


def test_mayor_ids_complete_whatever_the_case_of_the_extension(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "mayors" / "walsh.yaml").rename(data / "mayors" / "walsh.YAML")
    (data / "mayors" / "whaley.yaml").rename(data / "mayors" / "whaley.yml")
    (data / "mayors" / "notes.txt").write_text("not a mayor", "utf-8")
    assert _complete(f"briefbook build --data {data} --mayor w") == [
        "walsh",
        "weston-broome",
        "whaley",
        "woodfin",
    ]
    assert _complete(f"briefbook build --data {data} --mayor n") == []
