"""The corpus of broken and hostile inputs, run through the CLI like a clerk would.

Every case goes through ``check``, ``build`` and ``build --force`` and must end
with its documented exit code and a Chinese message naming the file (and the
sheet and cell where there is one); never a traceback or the internal-error
exit 9, never an output left behind by a failed build, never a changed input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.chart import BarChart, Reference

from gxreport.cli import app
from gxreport.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK
from gxreport.fsio import MANIFEST, MAX_NAME_BYTES

from .hostile import workbooks as wb

OK = (EXIT_OK, EXIT_OK, EXIT_OK)  # check, build, build --force
FINDING = (EXIT_FINDINGS, EXIT_FINDINGS, EXIT_OK)
INPUT = (EXIT_INPUT, EXIT_INPUT, EXIT_INPUT)
CJK = re.compile(r"[\u4e00-\u9fff]")
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\.|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[], bytes]
    codes: tuple[int, int, int]
    where: str = ""  # what follows "file!" (or "file:" for JSON) in the message
    says: str = ""  # a phrase the message must contain
    name: str = "报告.xlsx"
    prints: str = ""  # text the built document must show exactly as typed


def fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))


# --- number cells --------------------------------------------------------------------------

INT_VALUES = [
    ("text", "abc", FINDING, "不是数字"),
    ("text-with-unit", "12件", FINDING, "不是数字"),
    ("negative", -3, FINDING, "负数"),
    ("negative-text", "-3", FINDING, "负数"),
    ("decimal", 2.5, FINDING, "不是整数"),
    ("huge-1e300", 1e300, FINDING, "数值过大"),
    ("huge-text", "1e300", FINDING, "数值过大"),
    ("nan", b"NaN", INPUT, "不是有效数字"),
    ("infinity", b"INF", INPUT, "不是有效数字"),
    ("raw-1e400", b"1e400", FINDING, "不是有效数字"),
    ("nan-text", "NaN", FINDING, "不是数字"),
    ("bool-true", True, FINDING, "逻辑值"),
    ("bool-false", False, FINDING, "逻辑值"),
    ("date", dt.datetime(2021, 5, 1), FINDING, "日期"),
    ("error-ref", "#REF!", FINDING, "#REF!"),
    ("error-div0", "#DIV/0!", FINDING, "#DIV/0!"),
    ("error-na", "#N/A", FINDING, "#N/A"),
    ("formula-no-cache", "=1+1", FINDING, "公式"),
    ("cell-100k-chars", "九" * 100_000, FINDING, "不是数字"),
    ("underscore-digits", "1_000", FINDING, "不是数字"),
    ("decimal-comma", "1,5", FINDING, "逗号"),
    ("european-thousands", "1.234,5", FINDING, "逗号"),
    ("arabic-indic-digit", "٣", FINDING, "不是数字"),
    ("full-width-digits", "FULLWIDTH", OK, ""),
    ("padded-with-spaces", "SPACED", OK, ""),
    ("float-of-same", "FLOAT", OK, ""),
    ("slash-for-zero", "/", OK, ""),
    ("blank", None, OK, ""),
]
SUBSET = {"text", "negative", "decimal", "huge-1e300", "nan", "bool-true", "date", "error-ref", "error-div0", "formula-no-cache", "full-width-digits", "slash-for-zero"}


def _number_value(value, original: int):
    return {"FULLWIDTH": fullwidth(str(original)), "SPACED": f"  {original} ", "FLOAT": float(original)}.get(value, value) if isinstance(value, str) else value


def number_cases() -> list[Case]:
    cases = []
    for table, sheet in (("requests", "表三"), ("active", "表二"), ("reviews", "表四")):
        picks, values = wb.input_cells(table), INT_VALUES
        for (key, address) in (picks[0], picks[-1]) if table == "requests" else (picks[0],):
            for label, value, codes, says in values:
                if (table, key) != ("requests", picks[0][0]) and label not in SUBSET:
                    continue  # every value once on 表三's first cell, the common ones elsewhere
                original = wb.sample_report().tables[table][key] or 0
                cases.append(
                    Case(
                        f"number-{sheet}-{address}-{label}",
                        lambda s=sheet, a=address, v=_number_value(value, original): (
                            wb.raw_number_in_cell(s, a, v) if isinstance(v, bytes) else wb.set_cell(s, a, v)
                        ),
                        codes,
                        f"{sheet}!{address}" if codes != OK else "",
                        says,
                    )
                )
    amount = wb.input_cells("active", "decimal")[0][1]
    for label, value, codes, says in (
        ("decimal", 12.5, OK, ""),
        ("full-width-decimal", "１２．５", OK, ""),
        ("negative", -0.5, FINDING, "负数"),
        ("chinese-numeral", "十二万", FINDING, "不是数字"),
    ):
        cases.append(Case(f"amount-{label}", lambda v=value: wb.set_cell("表二", amount, v), codes, f"表二!{amount}" if codes != OK else "", says))
    for table, sheet in (("active", "表二"), ("requests", "表三"), ("reviews", "表四")):
        (_, first), (_, right) = wb.input_cells(table)[:2]
        merged = f"{first}:{right}"
        cases.append(Case(f"merged-{sheet}-{merged}", lambda s=sheet, m=merged: wb.edited(lambda b: b[s].merge_cells(m)), FINDING, f"{sheet}!{right}", "合并"))
    total = wb.positions()[("requests", ("new", "total"))]
    cases.append(Case("typed-total-that-disagrees", lambda: wb.set_cell("表三", total, 999), FINDING, f"表三!{total}"))
    cases.append(Case("total-formula-replaced", lambda: wb.set_cell("表三", total, "=SUM(A1:A2)"), OK))
    return cases


# --- basic fields: dates, years, agency names ------------------------------------------------

def field_cases() -> list[Case]:
    date, year, agency, preamble = (wb.info_cell(x) for x in ("成文日期", "报告年度", "机关名称", "导语"))
    cases = []
    for label, value, codes, says in (
        ("serial", 44581, OK, ""),
        ("serial-float", 44581.0, OK, ""),
        ("dots", "2022.1.20", OK, ""),
        ("slashes", "2022/01/20", OK, ""),
        ("full-width", "２０２２年１月２０日", OK, ""),
        ("trailing-newline", "2022年1月20日\n", OK, ""),
        ("datetime", dt.datetime(2022, 1, 20, 15, 30), OK, ""),
        ("serial-too-early", 44348, OK, ""),
        ("month-13", "2022年13月1日", FINDING, "成文日期"),
        ("feb-30", "2022-02-30", FINDING, "成文日期"),
        ("words", "明年一月", FINDING, "不是日期"),
        ("negative-serial", -5, FINDING, "成文日期"),  # Excel shows ######## for it
        ("year-1900", "1900年1月1日", FINDING, "不是合理的日期"),
        ("serial-1e300", 1e300, FINDING, "成文日期"),
        ("bool", True, FINDING, "不是日期"),
        ("error-value", "#VALUE!", FINDING, "成文日期：单元格是 Excel 错误值 #VALUE!"),
        ("formula", "=TODAY()", FINDING, "成文日期"),
        ("empty", None, FINDING, "未填写"),
    ):
        cases.append(Case(f"date-{label}", lambda v=value: wb.set_cell("基本信息", date, v), codes, f"基本信息!{date}" if codes != OK else "", says))
    for label, value, codes, says in (
        ("full-width", "２０２１", OK, ""),
        ("with-unit", "2021年", FINDING, "报告年度"),
        ("decimal", 2021.5, FINDING, "不是整数"),
        ("huge", 1e300, FINDING, "报告年度"),
        ("bool", True, FINDING, "报告年度"),
        ("older-format", 2019, FINDING, "2019"),
        ("empty", None, FINDING, "未填写"),
        ("error-value", "#REF!", FINDING, "#REF!"),
    ):
        cases.append(Case(f"year-{label}", lambda v=value: wb.set_cell("基本信息", year, v), codes, f"基本信息!{year}" if codes != OK else "", says))
    cases.append(Case("agency-empty", lambda: wb.set_cell("基本信息", agency, None), FINDING, f"基本信息!{agency}", "机关名称未填写"))
    names = {
        "slash": "某县/某局",
        "backslash": "某县\\某局",
        "colon": "某局:办公室",
        "star": "某局*",
        "question": "某局?",
        "quote": '某局"办公室"',
        "angle": "<某局>",
        "pipe": "某县|某局",
        "dot-dot": "..",
        "traversal": "../../etc/某局",
        "windows-traversal": "..\\..\\某局",
        "leading-dots": "...某局",
        "reserved-con": "CON",
        "reserved-con-dot": "CON.",
        "reserved-aux-ext": "aux.txt",
        "only-unsafe": '/\\:*?"<>|',
        "extension-b": "𠀀𠮷𪚥县𠀁局",
        "emoji": "🏛️人民政府😀",
        "long-extension-b": "𠀀" * 300,
        "long-ascii": "A" * 1000,
        "trailing-dots-spaces": "某局. . ",
        "tab-and-newline": "某县\t某局\n办公室",
    }
    for label, name in names.items():
        cases.append(Case(f"agency-{label}", lambda n=name: wb.set_cell("基本信息", agency, n), OK, prints=name.strip()[:200] if "\t" not in name else "某县"))
    payloads = {
        "jinja-expression": "{{ 7*7 }}",
        "jinja-statement": "{% if true %}是{% endif %}",
        "jinja-comment": "{# 注释 #}",
        "jinja-escape": "{{ ''.__class__.__mro__ }}",
        "html-bold": "<b>加粗</b>",
        "html-script": "<script>alert(1)</script>",
        "xml-cdata-entities": "]]>&amp;&lt;&#0;",
        "wordml-injection": "<w:p><w:r><w:t>注入</w:t></w:r></w:p>",
    }
    text = "D3"
    for label, payload in payloads.items():
        cases.append(Case(f"narrative-{label}", lambda p=payload: wb.set_cell("正文", text, p), OK, prints=payload))
        cases.append(Case(f"preamble-{label}", lambda p=payload: wb.set_cell("基本信息", preamble, p), OK, prints=payload))
        cases.append(Case(f"agency-{label}", lambda p=payload: wb.set_cell("基本信息", agency, p), OK, prints=payload))
    # Excel and openpyxl stop at 32,767 characters; other exporters do not, hence raw XML.
    long_text = "长" * 99_999 + "尾"
    cases += [
        Case("narrative-100k-chars", lambda: wb.raw_text_in_cell("正文", text, long_text.encode()), OK, prints=long_text),
        Case("preamble-100k-chars", lambda: wb.raw_text_in_cell("基本信息", preamble, long_text.encode()), OK, prints=long_text),
        Case("attachment-100k-chars", lambda: wb.raw_text_in_cell("附件", "B3", long_text.encode()), OK, prints=long_text),
        Case("agency-100k-chars", lambda: wb.raw_text_in_cell("基本信息", agency, ("局" * 100_000).encode()), OK, prints="局" * 1000),
        Case("narrative-extension-b-emoji", lambda: wb.set_cell("正文", text, "𠀀𠮷𪚥😀🏛️"), OK, prints="𠀀𠮷𪚥😀🏛️"),
        Case("narrative-tabs-and-crlf", lambda: wb.set_cell("正文", text, "第一段\r\n第二段\t结束"), OK, prints="第二段"),
    ]
    for label, raw in (
        ("nul", b"\x00"),
        ("x01", b"\x01"),
        ("x08", b"\x08"),
        ("x1f", b"\x1f"),
        ("uffff", "\uffff".encode()),
        ("lone-surrogate", b"\xed\xa0\x80"),
    ):
        cases.append(Case(f"raw-control-{label}-in-narrative", lambda r=raw: wb.raw_text_in_cell("正文", text, b"A" + r + b"B"), INPUT, f"正文!{text}", "控制字符"))
    cases.append(Case("raw-control-in-agency", lambda: wb.raw_text_in_cell("基本信息", agency, b"A\x02B"), INPUT, f"基本信息!{agency}", "控制字符"))
    return cases


# --- workbook structure ----------------------------------------------------------------------

def _remove(sheet):
    return lambda: wb.edited(lambda b: b.remove(b[sheet]))


def _rename(sheet, new):
    def change(b):
        b[sheet].title = new

    return lambda: wb.edited(change)


def _set_meta(key_row: int, value):
    return lambda: wb.set_cell("_meta", f"B{key_row}", value)


def _chartsheet(b):
    index = b.sheetnames.index("表三")
    b.remove(b["表三"])
    chart = BarChart()
    chart.add_data(Reference(b["表二"], min_col=2, min_row=6, max_row=8))
    b.create_chartsheet("表三", index).add_chart(chart)


def _label(sheet, old, new):
    def change(b):
        ws = b[sheet]
        cell = next(c for row in ws.iter_rows() for c in row if c.value == old)
        cell.value = new

    return lambda: wb.edited(change)


def structure_cases() -> list[Case]:
    cases = [Case(f"missing-sheet-{s}", _remove(s), INPUT, "", f"缺少工作表“{s}”") for s in ("基本信息", "正文", "表二", "表三", "表四")]
    cases += [
        Case("missing-sheet-附件", _remove("附件"), OK),
        Case("missing-sheet-说明", _remove("说明"), OK),
        Case("missing-sheet-_meta", _remove("_meta"), OK),
        Case("renamed-sheet-表3", _rename("表三", "表3"), INPUT, "", "缺少工作表“表三”"),
        Case("renamed-sheet-trailing-space", _rename("表二", "表二 "), INPUT, "", "缺少工作表“表二”"),
        Case("sheets-reordered", lambda: wb.edited(lambda b: b.move_sheet("表四", offset=-4)), OK),
        Case("extra-sheet", lambda: wb.edited(lambda b: b.create_sheet("草稿").cell(1, 1, "随便写写")), OK),
        Case("table-sheet-hidden", lambda: wb.edited(lambda b: setattr(b["表三"], "sheet_state", "hidden")), OK),
        Case("chartsheet-in-place-of-table", lambda: wb.edited(_chartsheet), INPUT, "表三", "不是普通工作表"),
        Case("meta-unknown-kind", _set_meta(1, "monthly"), INPUT, "_meta", "未知的报告类型"),
        Case("meta-unknown-format", _set_meta(2, "1999"), INPUT, "_meta", "没有 1999 格式"),
        Case("empty-workbook", wb.empty_workbook, INPUT, "", "缺少工作表"),
        Case("label-表三-row", _label("表三", "一、本年新收政府信息公开申请数量", "新收申请"), INPUT, "表三", "本年新收"),
        Case("label-表三-column", _label("表三", "自然人", "个人"), INPUT, "表三", "自然人"),
        Case("label-表三-total", _label("表三", "（七）总计", "合计"), INPUT, "表三", "总计"),
        Case("label-表二-column", _label("表二", "本年制发件数", "制发"), INPUT, "表二", "本年制发件数"),
        Case("label-表二-row", _label("表二", "规章", "部门规章"), INPUT, "表二", "规章"),
        Case("label-表四-header", _label("表四", "行政复议", "复议"), INPUT, "表四", "行政复议"),
        Case("label-info-agency", _label("基本信息", "机关名称", "单位名称"), INPUT, "基本信息", "机关名称"),
        Case("label-info-year", _label("基本信息", "报告年度", "年度"), INPUT, "基本信息", "报告年度"),
        Case("label-info-optional", _label("基本信息", "联系方式", "电话"), OK),
        Case("label-narrative-header", _label("正文", "正文", "内容"), INPUT, "正文", "表头"),
        Case("label-with-spaces", _label("表三", "自然人", "自 然 人"), OK),
        Case("label-half-width-brackets", _label("表三", "（一）予以公开", "(一)予以公开"), OK),
        Case("rows-inserted-above-表三", lambda: wb.insert_rows("表三", 3, 2), OK),
        Case("rows-inserted-above-表二", lambda: wb.insert_rows("表二", 2, 1), OK),
        Case("rows-inserted-above-表四", lambda: wb.insert_rows("表四", 3, 3), OK),
        Case("column-inserted-before-表三", lambda: wb.insert_cols("表三", 1, 1), OK),
        Case("notes-right-of-表三", lambda: wb.set_cell("表三", "AD7", "备注：本行数据含电话申请"), OK),
        Case("notes-below-info", lambda: wb.set_cell("基本信息", "A40", "填表人：张三"), OK),
        Case("extra-narrative-row", lambda: wb.set_cell("正文", "D60", "补充说明一段"), OK, prints="补充说明一段"),
    ]
    return cases


# --- files that are not workbooks, damaged zips, bombs ---------------------------------------

def file_cases() -> list[Case]:
    xls = (wb.CORPUS / "report.xls").read_bytes()
    password = (wb.CORPUS / "password.xlsx").read_bytes()
    html = "<html><body><table><tr><td>机关名称</td><td>某局</td></tr></table></body></html>".encode()
    csv = "项目,填写内容\n机关名称,某局\n报告年度,2021\n".encode("gbk")
    return [
        Case("empty-file", lambda: b"", INPUT, "", "空"),
        Case("plain-text", lambda: "这不是工作簿".encode(), INPUT, "", "文本"),
        Case("csv-renamed", lambda: csv, INPUT, "", ".csv"),
        Case("html-renamed", lambda: html, INPUT, "", "网页"),
        Case("pdf-renamed", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", INPUT, "", "PDF"),
        Case("random-bytes", lambda: bytes(range(256)) * 8, INPUT, "", "不是 .xlsx"),
        Case("xls-renamed", lambda: xls, INPUT, "", ".xls"),
        Case("et-renamed", lambda: xls, INPUT, "", ".et"),
        Case("xls-as-xls", lambda: xls, INPUT, "", "不支持 .xls", name="报告.xls"),
        Case("et-as-et", lambda: xls, INPUT, "", "不支持 .et", name="报告.et"),
        Case("csv-as-csv", lambda: csv, INPUT, "", "不支持 .csv", name="报告.csv"),
        Case("password-protected", lambda: password, INPUT, "", "密码"),
        Case("ods-renamed", wb.ods_bytes, INPUT, "", "OpenDocument"),
        Case("ods-as-ods", wb.ods_bytes, INPUT, "", "不支持 .ods", name="报告.ods"),
        Case("docx-renamed", wb.docx_bytes, INPUT, "", "Word"),
        Case("docx-as-input", wb.docx_bytes, INPUT, "", "无法识别", name="报告.docx"),
        Case("zip-without-workbook", lambda: wb.with_parts(wb.docx_bytes(), {"word/document.xml": None}), INPUT, "", "缺少工作簿结构"),
        Case("truncated-half", lambda: wb.base()[: len(wb.base()) // 2], INPUT, "", "不完整"),
        Case("truncated-end", lambda: wb.base()[:-10], INPUT, "", "不完整"),
        Case("corrupted-sheet-data", lambda: wb.corrupted(wb.base(), wb.sheet_part(wb.base(), "表三")), INPUT, "", "损坏"),
        Case("corrupted-styles", lambda: wb.corrupted(wb.base(), "xl/styles.xml"), INPUT, "", "损坏"),
        Case("workbook-part-missing", lambda: wb.with_parts(wb.base(), {"xl/workbook.xml": None}), INPUT, "", "缺少工作簿结构"),
        Case("workbook-part-garbage", lambda: wb.with_parts(wb.base(), {"xl/workbook.xml": b"<workbook"}), INPUT, "", "损坏"),
        # Found by test_fuzz: a relationship naming a part the zip does not hold.
        Case("relationship-to-missing-part", wb.relationship_to_missing_part, INPUT, "", "缺少工作表“表三”"),
        Case(
            "relationship-to-missing-part-and-garbage",
            lambda: wb.with_parts(wb.relationship_to_missing_part(), {wb.sheet_part(wb.base(), "表四"): b"<worksheet><sheetData><row>"}),
            # sheets are read in the order the kind needs them: the missing 表三 is met first
            INPUT, "", "缺少工作表“表三”",
        ),
        Case("sheet-xml-garbage", lambda: wb.with_parts(wb.base(), {wb.sheet_part(wb.base(), "表四"): b"<worksheet><sheetData><row>"}), INPUT, "表四", "无法解析"),
        Case("zip-bomb-ratio", wb.zip_bomb_ratio, INPUT, "", "压缩炸弹"),
        Case("zip-bomb-total", wb.zip_bomb_total, INPUT, "", "解压后过大"),
        Case("too-many-parts", lambda: wb.many_entries(2100), INPUT, "", "文件过多"),
        Case("file-too-large", lambda: wb.with_parts(wb.base(), add={"xl/media/big.bin": os.urandom(21 * 1024 * 1024)}), INPUT, "", "文件过大"),
        Case("sheet-100k-rows", lambda: wb.extra_rows("正文", 100_000), INPUT, "正文", "行"),
        Case("sheet-too-many-cells", lambda: wb.extra_rows("附件", 12_000, 9), INPUT, "附件", "单元格过多"),
        Case("far-away-cell", lambda: wb.set_cell("表三", "XFD1048576", "x"), INPUT, "表三", "使用范围过大"),
    ]


# --- cell references and merged ranges: one parser, checked before anything is allocated ----------

# References another program could write that Excel never does; each once read one way by the guard
# and another by the reader, and a 21 KB file filled 4 GB.
BAD_REFERENCES = {
    "merge-8-digit-row": ("merge", "A40:B12345678"),
    "merge-leading-zeros": ("merge", "A40:B0000001048576"),
    "merge-arabic-indic-digits": ("merge", "A40:B\u0661\u0660\u0660\u0660\u0660\u0660\u0660\u0660"),
    "merge-full-width-digits": ("merge", "A40:B\uff11\uff10\uff10"),
    "merge-dollar-signs": ("merge", "$A$40:$B$41"),
    "merge-past-column-xfd": ("merge", "A40:XFE40"),
    "merge-open-ended": ("merge", "A40:"),
    "cell-8-digit-row": ("cell", "A12345678"),
    "cell-leading-zero": ("cell", "A0100"),
    "cell-arabic-indic-digits": ("cell", "A\u0661\u0660\u0660"),
    "cell-four-letters": ("cell", "AAAA100"),
    "row-8-digit": ("row", "12345678"),
    "row-exponent": ("row", "1e7"),
    "row-leading-zeros": ("row", "000100"),
}


def reference_cases() -> list[Case]:
    cases = []
    for label, (where, ref) in BAD_REFERENCES.items():
        if where == "merge":
            make = lambda r=ref: wb.with_merges("表三", [r])
        elif where == "cell":
            make = lambda r=ref: wb.with_row("表三", None, r)
        else:
            make = lambda r=ref: wb.with_row("表三", r, None)
        cases.append(Case(f"reference-{label}", make, INPUT, "表三", f"单元格地址“{ref}”不规范"))
    # 20,000 merges in the limits read in linear time; the same number overlapping is refused at once.
    below = [f"A{r}:B{r}" for r in range(100, 20_100)]
    cases.append(Case("merges-20000-in-limits", lambda: wb.with_merges("表三", below), OK))
    cases.append(
        Case("merges-20000-overlapping", lambda: wb.with_merges("表三", ["A40:L60"] * 20_000), INPUT, "表三!A40:L60", "合并单元格过多或相互重叠")
    )
    cases.append(Case("merge-over-the-grid", lambda: wb.with_merges("表三", ["A1:XFD1048576"]), INPUT, "表三!A1:XFD1048576", "使用范围过大"))
    cases.append(Case("cell-at-the-grid-end", lambda: wb.with_row("表三", "1048576", "XFD1048576"), INPUT, "表三!XFD1048576", "使用范围过大"))
    return cases


# --- the JSON form -----------------------------------------------------------------------------

def _json(change):
    return lambda: wb.json_with(change)


def _put(*path_value):
    *path, value = path_value

    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return _json(change)


def json_cases() -> list[Case]:
    first = next(iter(wb.sample_json()["tables"]["requests"]))
    cell = ("tables", "requests", first, 0)
    where = f"tables.requests.{first}[0]"
    # all C0 controls but the ones that mean whitespace (tab, newlines, vertical tab)
    controls = "".join(chr(c) for c in range(32) if c not in (9, 10, 11, 13)) + "\uffff\udfff\ud800"  # lone surrogates: low before high
    j = "报告.json"
    return [
        Case("json-not-json", lambda: b"kind: annual", INPUT, "", "JSON 格式错误", j),
        Case("json-empty", lambda: b"", INPUT, "", "JSON", j),
        Case("json-bom-only", lambda: "\ufeff".encode(), INPUT, "", "JSON", j),
        Case("json-utf16", lambda: json.dumps(wb.sample_json(), ensure_ascii=False).encode("utf-16"), INPUT, "", "UTF-8", j),
        Case("json-gbk", lambda: json.dumps(wb.sample_json(), ensure_ascii=False).encode("gbk", "replace"), INPUT, "", "UTF-8", j),
        Case("json-top-level-list", lambda: b"[1, 2]", INPUT, "", "顶层", j),
        Case("json-deep-nesting", lambda: b"[" * 100_000 + b"]" * 100_000, INPUT, "", "JSON", j),
        Case("json-5000-digit-int", lambda: b'{"year": ' + b"9" * 5000 + b"}", INPUT, "year", "JSON 中的数字", j),
        Case("json-nan-in-unknown-key", lambda: wb.json_with(lambda d: d.update(note=float("nan"))), OK, name=j),
        Case("json-table-nan", _put(*cell, float("nan")), FINDING, where, "不是", j),
        Case("json-table-infinity", _put(*cell, float("inf")), FINDING, where, "不是", j),
        Case("json-table-1e400", lambda: _put(*cell, "GX1E400")().replace(b'"GX1E400"', b"1e400"), INPUT, where, "超出可处理的范围", j),
        Case("json-table-tiny-exponent", lambda: _put(*cell, "GXE")().replace(b'"GXE"', b"1e-999999999999"), INPUT, where, "超出可处理的范围", j),
        Case("json-field-huge-exponent", lambda: _put("fee_collected", "GXE")().replace(b'"GXE"', b"1e999999999999"), INPUT, "fee_collected", "超出可处理的范围", j),
        Case("json-field-huge-int", lambda: _put("fee_notices", "GXE")().replace(b'"GXE"', b"9" * 4000), INPUT, "fee_notices", "超出可处理的范围", j),
        Case("json-unknown-key-huge-exponent", lambda: wb.json_with(lambda d: d.update(note="GXE")).replace(b'"GXE"', b"-1.5e-99999999"), INPUT, "note", "超出可处理的范围", j),
        Case("json-table-bool", _put(*cell, True), FINDING, where, "逻辑值", j),
        Case("json-table-negative", _put(*cell, -1), FINDING, where, "负数", j),
        Case("json-table-list", _put(*cell, [1]), FINDING, where, "不是数字", j),
        Case("json-table-object", _put(*cell, {"a": 1}), FINDING, where, "不是数字", j),
        Case("json-table-full-width", _put(*cell, "０"), OK, name=j),
        Case("json-tables-not-object", _put("tables", [1]), INPUT, "tables", "应为对象", j),
        Case("json-table-not-object", _put("tables", "requests", 5), INPUT, "tables.requests", "应为对象", j),
        Case("json-sections-not-object", _put("sections", 5), INPUT, "sections", "应为对象", j),
        Case("json-section-item-not-object", _put("sections", "一", [5]), INPUT, "sections.一[0]", "对象", j),
        Case("json-section-level-not-a-number", _put("sections", "一", [{"level": "二", "title": "x"}]), INPUT, "sections.一[0].level", "层级应为 2–4 之间的整数，实为文本", j),
        Case("json-section-level-true", _put("sections", "一", [{"level": True, "title": "x"}]), INPUT, "sections.一[0].level", "实为true/false", j),
        Case("json-section-level-out-of-range", _put("sections", "一", [{"level": 7, "title": "x"}]), FINDING, "sections.一[0].level", "层级 7 应为 2–4", j),
        Case("json-attachments-not-list", _put("attachments", 5), INPUT, "attachments", "应为列表", j),
        Case("json-kind-unknown", _put("kind", "monthly"), INPUT, "", "未知的报告类型", j),
        Case("json-kind-number", _put("kind", 7), INPUT, "", "kind", j),
        Case("json-format-unknown", _put("format", "1999"), INPUT, "", "1999", j),
        Case("json-year-text", _put("year", "二〇二一"), INPUT, "year", "报告年度：应为整数，实为文本", j),
        Case("json-year-5", _put("year", 5), INPUT, "year", "报告年度：5 不是有效年度", j),
        Case("json-year-bool", _put("year", True), INPUT, "year", "报告年度：应为整数，实为true/false", j),
        Case("json-date-month-13", _put("date", "2022-13-01"), INPUT, "date", "成文日期", j),
        Case("json-date-number", _put("date", 44581), INPUT, "date", "成文日期：应为日期文本", j),
        Case("json-choice-list", _put("agency_type", ["部门"]), INPUT, "agency_type", "机关类型：应为文本，实为列表", j),
        Case("json-agency-list", _put("agency", ["某局"]), INPUT, "agency", "机关名称：应为文本，实为列表", j),
        Case("json-agency-object", _put("agency", {"name": "某局"}), INPUT, "agency", "机关名称：应为文本，实为对象", j),
        Case("json-agency-number", _put("agency", 12), INPUT, "agency", "机关名称：应为文本，实为整数", j),
        Case("json-full-width-text", _put("full_width", "是"), INPUT, "full_width", "应为true 或 false", j),
        Case("json-fee-text", _put("fee_notices", "三件"), INPUT, "fee_notices", "应为整数，实为文本", j),
        Case("json-fee-decimal-for-count", _put("fee_notices", 2.5), INPUT, "fee_notices", "应为整数，实为数字", j),
        Case("json-agency-controls", _put("agency", "某" + controls + "局"), OK, name=j, prints="某局"),
        Case("json-narrative-controls", _put("sections", "一", [{"level": 2, "title": "标题", "text": "甲" + controls + "乙"}]), OK, name=j, prints="乙"),
        Case("json-narrative-jinja", _put("sections", "一", [{"level": 2, "title": "标题", "text": "{{ 7*7 }}<b>x</b>"}]), OK, name=j, prints="{{ 7*7 }}<b>x</b>"),
        Case("json-agency-extension-b", _put("agency", "𠀀𪚥县🏛️局"), OK, name=j, prints="𠀀𪚥县🏛️局"),
    ]


CASES = number_cases() + field_cases() + structure_cases() + file_cases() + reference_cases() + json_cases()


def test_corpus_is_large_and_unique():
    assert len(CASES) >= 200
    assert len({c.id for c in CASES}) == len(CASES)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def invoke(runner, *args: str):
    result = runner.invoke(app, list(args))
    output = result.output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code != EXIT_INTERNAL, output
    assert len(output) < 20_000, "a message must not dump a whole cell"
    return result, output


def assert_message(case: Case, source: Path, code: int, output: str) -> None:
    assert CJK.search(output), output
    if code == EXIT_OK:
        return
    assert source.name in output, output
    if case.where:
        sep = ":" if source.suffix == ".json" else "!"
        assert f"{source.name}{sep}{case.where}" in output, output
    if case.says:
        assert case.says in output, output


def outputs(work: Path) -> list[Path]:
    return sorted(p for p in work.rglob("*") if p.is_file())


def assert_safe_output(work: Path, built: bool) -> Path | None:
    files = outputs(work)
    if not built:
        assert files == [], files
        return None
    docx = [p for p in files if p.suffix == ".docx"]
    assert [p.name for p in files if p not in docx] == [MANIFEST]
    assert len(docx) == 1 and docx[0].parent == work / "build", files
    name = docx[0].name
    assert not name.startswith(".") and not WINDOWS_RESERVED.match(name)
    assert not set('/\\:*?"<>|') & set(name) and not any(ord(c) < 32 for c in name)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES and len(name.encode("utf-16-le")) // 2 <= 255
    return docx[0]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_broken_input(case: Case, tmp_path, runner, monkeypatch):
    source = tmp_path / "in" / case.name
    source.parent.mkdir()
    source.write_bytes(case.make())
    before = sha256(source)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    check_code, build_code, force_code = case.codes

    result, output = invoke(runner, "check", str(source))
    assert result.exit_code == check_code, output
    assert source.name in output
    assert_message(case, source, check_code, output)
    if case.where and check_code != EXIT_INPUT:
        assert case.where in output

    result, output = invoke(runner, "build", str(source))
    assert result.exit_code == build_code, output
    assert_message(case, source, build_code, output)
    assert_safe_output(work, built=build_code == EXIT_OK)

    result, output = invoke(runner, "build", str(source), "--force")
    assert result.exit_code == force_code, output
    assert_message(case, source, force_code, output)
    built = assert_safe_output(work, built=EXIT_OK in (build_code, force_code))
    if built is not None:
        text = wb.docx_text(built)
        assert not XML_ILLEGAL.search(text)
        assert case.prints in text

    assert sha256(source) == before


# --- generated damage: any byte cut or flipped ---------------------------------------------------

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_bytes_give_a_message(data, tmp_path_factory, runner):
    """A workbook cut short or with a byte changed anywhere reads, or fails with exit 2."""
    original = wb.base()
    damage = data.draw(st.sampled_from(["cut", "flip"]))
    at = data.draw(st.integers(min_value=0, max_value=len(original) - 1))
    blob = original[:at] if damage == "cut" else original[:at] + bytes([original[at] ^ data.draw(st.integers(1, 255))]) + original[at + 1 :]
    folder = tmp_path_factory.mktemp("damaged")
    source = folder / "损坏.xlsx"
    source.write_bytes(blob)
    out = folder / "out" / "报告.docx"
    result, output = invoke(runner, "build", str(source), "-o", str(out))
    assert result.exit_code in (EXIT_OK, EXIT_FINDINGS, EXIT_INPUT), output
    if result.exit_code != EXIT_OK:
        assert source.name in output and not out.exists()
        assert not (folder / "out").exists() or outputs(folder / "out") == []
    assert source.read_bytes() == blob


@pytest.mark.parametrize("name", ["锁定.xlsx", "锁定.json"])
def test_an_unreadable_input_is_a_message(name, tmp_path, runner, monkeypatch, sample_2021):
    """A file another program holds locked (or without read permission) is exit 2, not 9."""
    source = tmp_path / name
    source.write_bytes(sample_2021.read_bytes() if name.endswith(".xlsx") else wb.json_with(lambda d: None))
    real_open = Path.open

    def locked(self, *args, **kwargs):
        if self.name == name:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    result, output = invoke(runner, "check", str(source))
    assert result.exit_code == EXIT_INPUT and f"{name}: 无法打开" in output
