"""Golden texts, one case per kind and format and per content rule worth pinning.

Each ``tests/golden/*.case`` holds, black-style, its input and its expected
output in one file: a JSON report, a line ``# output``, then the text a
reader sees in the built .docx (one line per paragraph, table rows with
cells joined by " | "). After an intended change of the documents, rewrite
the outputs with ``GXREPORT_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gxreport.cli import app
from gxreport.errors import EXIT_OK

from .docx_reading import NS, docx_parts, visible_text

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.case"))
OUTPUT_MARK = "\n# output\n"
UPDATE = os.environ.get("GXREPORT_UPDATE_GOLDEN") == "1"


def split_case(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    source, _, expected = text.partition(OUTPUT_MARK)
    return json.loads(source), expected


def built_text(data: dict, tmp_path: Path, runner) -> str:
    source = tmp_path / "report.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "report.docx"
    result = runner.invoke(app, ["build", str(source), "-o", str(out), "--force"])
    assert result.exit_code == EXIT_OK, result.output
    return visible_text(docx_parts(out)["word/document.xml"].find("w:body", NS))


def test_every_kind_and_format_has_a_golden_case(registry):
    covered = set()
    for case in CASES:
        data, _ = split_case(case)
        covered.add(registry.get(data.get("kind"), year=data.get("year"), fmt=data.get("format")).label)
    assert covered == {kind.label for kind in registry.all()}


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_the_text_a_reader_sees_matches_the_golden_case(case, tmp_path, runner):
    data, expected = split_case(case)
    got = built_text(data, tmp_path, runner)
    if UPDATE and got != expected:
        source = case.read_text(encoding="utf-8").partition(OUTPUT_MARK)[0]
        case.write_text(source + OUTPUT_MARK + got, encoding="utf-8")
        expected = got
    assert got == expected, f"{case.name}: the document changed; if intended, rerun with GXREPORT_UPDATE_GOLDEN=1 and review"
