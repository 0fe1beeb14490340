"""What makes gxreport fast, as behaviour: the shared .docx skeleton, nothing leaking between reports.

Speed itself, and which libraries each command loads, are measured in benchmarks/ (run.py's
import table), never asserted here.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from lxml import etree

from gxreport.api import build_file
from gxreport.compose.document import Document, Heading, Paragraph, Signature, Title
from gxreport.outputs.docx import render_docx

from .conftest import ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _structure(element) -> list:
    """Tags and attributes of an element tree, without its text."""
    return [element.tag, dict(element.attrib), [_structure(child) for child in element]]


def _document(agency: str, year: int, count: int) -> Document:
    return Document(
        title=f"{agency}{year}年政府信息公开工作年度报告",
        author=agency,
        blocks=[
            Title(f"{agency}\n{year}年政府信息公开工作年度报告"),
            Heading(1, "一、", "总体情况"),
            Paragraph(f"{year}年共收到申请{count}件。"),
            Signature(agency, f"{year + 1}年1月20日"),
        ],
    )


def test_two_reports_share_the_package_but_not_their_content():
    first = _parts(render_docx(_document("甲县数据局", 2021, 7)))
    second = _parts(render_docx(_document("乙县教育局", 2022, 12345)))  # same widths: same indents
    assert list(first) == list(second)  # same parts, same order
    for name in first:
        if name in ("word/document.xml", "docProps/core.xml"):
            continue
        assert first[name] == second[name], name  # styles, footers, settings… are shared bytes
    a, b = etree.fromstring(first["word/document.xml"]), etree.fromstring(second["word/document.xml"])
    assert _structure(a) == _structure(b)  # same paragraphs, styles, indents
    text_a, text_b = ("".join(x.itertext()) for x in (a, b))
    assert "甲县数据局" in text_a and "乙县" not in text_a and "12345" not in text_a
    assert "乙县教育局" in text_b and "甲县" not in text_b and "2021年" not in text_b
    core_a, core_b = etree.fromstring(first["docProps/core.xml"]), etree.fromstring(second["docProps/core.xml"])
    assert core_a.findtext("{http://purl.org/dc/elements/1.1/}title") == "甲县数据局2021年政府信息公开工作年度报告"
    assert core_b.findtext("{http://purl.org/dc/elements/1.1/}creator") == "乙县教育局"


def test_special_characters_in_text_are_escaped():
    document = _document("A&B<局>", 2021, 1)
    parts = _parts(render_docx(document))
    body = etree.fromstring(parts["word/document.xml"])
    texts = ["".join(p.itertext()) for p in body.iter(f"{W}p")]
    assert "A&B<局>" in texts
    core = etree.fromstring(parts["docProps/core.xml"])
    assert core.findtext("{http://purl.org/dc/elements/1.1/}creator") == "A&B<局>"


def test_builds_in_one_process_do_not_leak_between_reports(registry, sample_2021, tmp_path):
    """Two workbooks of different agencies and figures, built one after the other."""
    from openpyxl import load_workbook

    other = tmp_path / "other.xlsx"
    wb = load_workbook(sample_2021)
    wb["基本信息"]["B3"] = "乙县教育局"
    wb["基本信息"]["B11"] = "乙县教育局办公室"
    wb["表二"]["B10"] = 777
    wb.save(other)
    first = build_file(sample_2021, registry, tmp_path / "a.docx")
    second = build_file(other, registry, tmp_path / "b.docx")
    again = build_file(sample_2021, registry, tmp_path / "c.docx")
    texts = []
    for result in (first, second, again):
        (path,) = result.outputs
        texts.append("".join(etree.fromstring(_parts(path.read_bytes())["word/document.xml"]).itertext()))
    assert "泗阳县行政审批局" in texts[0] and "乙县教育局" not in texts[0]
    assert "乙县教育局" in texts[1] and "泗阳县行政审批局" not in texts[1]
    assert "777" in texts[1] and "777" not in texts[0]
    assert texts[2] == texts[0]
    assert second.report.agency == "乙县教育局" and first.report.agency == "泗阳县行政审批局"


def test_benchmark_workbooks_pass_check(registry, tmp_path):
    """The benchmark's generated workbooks are valid reports with their own figures."""
    sys.path.insert(0, str(Path(ROOT) / "benchmarks"))
    try:
        from workbooks import generate
    finally:
        sys.path.pop(0)
    from gxreport.api import check_file

    results = [check_file(path, registry) for path in generate(tmp_path, 3)]
    assert all(r.ok for r in results)
    assert len({r.report.agency for r in results}) == 3
    assert len({tuple(sorted(r.report.tables["requests"].items())) for r in results}) == 3


def test_registries_share_kinds_so_per_table_caches_stay_bounded(sample_2021):
    """A batch may make a Registry per file: kinds are loaded once, caches do not grow."""
    from gxreport.api import check_file
    from gxreport.declare.kinds import Registry
    from gxreport.checks.rules import rule_instances

    first, second = Registry(), Registry()
    assert first.get("annual", fmt="2021") is second.get("annual", fmt="2021")
    check_file(sample_2021, Registry())
    cached = rule_instances.cache_info().currsize
    for _ in range(5):
        check_file(sample_2021, Registry())
    assert rule_instances.cache_info().currsize == cached


def test_a_changed_kind_folder_is_read_again(tmp_path):
    import shutil

    from gxreport.declare.kinds import Registry, builtin_templates_dir

    folder = tmp_path / "annual-2021"
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    before = Registry((tmp_path,)).get("annual", fmt="2021")
    assert before.folder == folder
    manifest = folder / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(f'name = "{before.name}"', 'name = "本局自定义年报"', 1), encoding="utf-8")
    after = Registry((tmp_path,)).get("annual", fmt="2021")
    assert after.name == "本局自定义年报" != before.name
