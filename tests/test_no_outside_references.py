"""The code cites only what the repository holds: docs/, not a reference folder beside it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(r"\.\./shared|/work/|shared/spec|shared/seeds|(?<![\w/])spec §|(?<![\w/.])(?:layout|pitfalls|annual-report)\.md")
CITED_DOC = re.compile(r"docs/[\w./-]+\.md")


def _code_files():
    for folder in ("gxreport", "templates", "tests", "benchmarks", "scripts", "data", ".ci"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".j2", ".toml", ".conf", ".html", ".css", ".js", ".sh", ""}:
                yield path


def test_no_code_cites_a_document_outside_the_repository():
    this = Path(__file__).resolve()
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _code_files()
        if path.resolve() != this
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert found == []


def test_every_cited_doc_exists():
    cited = {m.group(0) for path in _code_files() for m in CITED_DOC.finditer(path.read_text(encoding="utf-8", errors="replace"))}
    assert cited, "the code cites its docs"
    assert sorted(doc for doc in cited if not (ROOT / doc).is_file()) == []
