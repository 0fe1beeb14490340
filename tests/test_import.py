"""gxreport import: published .docx/.html reports back to data (issue 5 item 4)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import struct
import zlib
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from gxreport.api import load_report
from gxreport.cli import app
from gxreport.docx import render_docx
from gxreport.errors import ERROR, InputError
from gxreport.importer import import_report
from gxreport.kinds import Registry
from gxreport.model import Block, Report
from gxreport.narrative import layout
from gxreport.rules import complete

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _build_docx(report: Report, path: Path) -> Path:
    path.write_bytes(render_docx(layout(report)))
    return path


def _blocks(report: Report) -> list[tuple]:
    return [(b.part, b.level, b.title, b.text) for b in report.blocks]


def _assert_same_data(source: Report, imported: Report) -> None:
    assert imported.kind is source.kind
    assert imported.fields == source.fields
    assert _blocks(imported) == _blocks(source)
    for table in source.kind.tables:
        assert complete(table, imported.tables[table.id]) == complete(table, source.tables[table.id]), table.id


def _richer(registry: Registry, sample_2021: Path) -> Report:
    """The sample with real applications, reviews, a fee, a preamble and several sections."""
    report = load_report(sample_2021, registry)
    report.fields.update(
        agency="宿迁市某某区人民政府",
        agency_type="government",
        date=dt.date(2022, 3, 15),
        fee_notices=2,
        fee_notified=Decimal("150.5"),
        fee_collected=Decimal("100"),
        preamble="本报告由区政府办公室编制。\n统计期限为2021年1月1日至12月31日。",
        contact=None,
    )
    requests = report.tables["requests"]
    requests.update(
        {
            ("new", "natural_person"): 31,
            ("new", "commercial"): 4,
            ("new", "legal_service"): 2,
            ("carried_in", "natural_person"): 3,
            ("disclosed", "natural_person"): 12,
            ("disclosed", "commercial"): 3,
            ("partly_disclosed", "natural_person"): 4,
            ("withheld.third_party", "natural_person"): 2,
            ("unavailable.not_held", "natural_person"): 9,
            ("unavailable.not_held", "legal_service"): 2,
            ("not_processed.repeated", "natural_person"): 3,
            ("other.no_fee_payment", "natural_person"): 1,
            ("other.other", "commercial"): 1,
            ("carried_out", "natural_person"): 3,
        }
    )
    for key in [k for k in requests if k[1] == "total"]:
        requests[key] = None
    reviews = report.tables["reviews"]
    reviews.update({("review", "upheld"): 2, ("review", "corrected"): 1, ("litigation_direct", "pending"): 1})
    for key in [k for k in reviews if k[1] == "total"]:
        reviews[key] = None
    report.tables["active"].update({("normative_docs", "made"): 3, ("normative_docs", "in_force"): 17, ("fees", "amount_wan"): Decimal("12.345678")})
    report.blocks = [
        Block("一", 2, "主动公开", "全年主动公开政府信息2150条。\n其中政策解读材料86篇。"),
        Block("一", 2, "依申请公开。", "本年共收到政府信息公开申请37件，均在法定期限内答复。"),
        Block("一", 2, "政府信息管理", "开展规范性文件清理。"),
        Block("五", 2, "存在的问题", "政策解读形式较为单一。"),
        Block("五", 2, "改进措施", "一是丰富解读形式；二是加强培训。"),
        Block("六", 0, "", "区政府按要求办理人大代表建议42件、政协提案57件，并公开办理结果。"),
    ]
    return report


def test_round_trip_of_the_sample(registry, sample_2021, tmp_path):
    source = load_report(sample_2021, registry)
    result = import_report(_build_docx(source, tmp_path / "样例.docx"), registry)
    assert result.findings == []
    _assert_same_data(source, result.report)
    assert result.report.kind.format == "2021"


def test_round_trip_of_a_richer_report(registry, sample_2021, tmp_path):
    source = _richer(registry, sample_2021)
    result = import_report(_build_docx(source, tmp_path / "区政府.docx"), registry)
    assert [f for f in result.findings if f.is_error] == []
    _assert_same_data(source, result.report)
    imported = result.report
    assert imported.tables["requests"][("unavailable.not_held", "legal_service")] == 2
    assert imported.tables["active"][("fees", "amount_wan")] == Decimal("12.345678")
    # every number names the document place it was read from
    assert imported.cells["requests"][("new", "natural_person")] == "区政府.docx!表三!第4行第4列"


def test_cli_writes_a_workbook_that_reads_back(registry, sample_2021, tmp_path, runner):
    source = _richer(registry, sample_2021)
    report_docx = _build_docx(source, tmp_path / "报告.docx")
    out = tmp_path / "导入.xlsx"
    result = runner.invoke(app, ["import", str(report_docx), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "宿迁市某某区人民政府 2021 年度，2021 格式" in result.output
    _assert_same_data(source, load_report(out, registry))


def test_cli_writes_json(registry, sample_2021, tmp_path, runner):
    source = load_report(sample_2021, registry)
    out = tmp_path / "导入.json"
    result = runner.invoke(app, ["import", str(_build_docx(source, tmp_path / "r.docx")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["agency"] == "泗阳县行政审批局"
    assert data["date"] == "2022-01-20"
    assert data["tables"]["active"]["licensing"]["decisions"] == 5346


def test_existing_output_is_refused_without_force(registry, sample_2021, tmp_path, runner):
    report_docx = _build_docx(load_report(sample_2021, registry), tmp_path / "r.docx")
    out = tmp_path / "已有.json"
    out.write_text("clerk's file", encoding="utf-8")
    result = runner.invoke(app, ["import", str(report_docx), "-o", str(out)])
    assert result.exit_code == 3
    assert "文件已存在" in result.output and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "clerk's file"
    forced = runner.invoke(app, ["import", str(report_docx), "-o", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(out.read_text(encoding="utf-8"))["year"] == 2021


def test_not_a_report_exits_2(tmp_path, runner):
    letter = docx.Document()
    letter.add_paragraph("关于召开年度工作会议的通知")
    letter.add_paragraph("各科室：定于1月5日召开会议。")
    path = tmp_path / "通知.docx"
    letter.save(path)
    result = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "通知.docx" in result.output and "找不到任何统计表" in result.output
    assert not (tmp_path / "x.json").exists()


def test_a_text_file_renamed_docx_exits_2(tmp_path, runner):
    path = tmp_path / "假的.docx"
    path.write_text("not a zip", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "不是有效的 Word 文档" in result.output


def test_tables_pasted_as_images_are_named(tmp_path, registry):
    document = docx.Document()
    document.add_paragraph("某某局2021年政府信息公开工作年度报告")
    document.add_paragraph("二、主动公开政府信息情况")
    picture = tmp_path / "表二.png"
    picture.write_bytes(_png())
    document.add_picture(str(picture))
    path = tmp_path / "图片.docx"
    document.save(path)
    with pytest.raises(InputError, match="图片形式"):
        import_report(path, registry)


def _png(width: int = 8, height: int = 8) -> bytes:
    """A white PNG, enough for python-docx to embed as a picture."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff" * (3 * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
