"""Valid workbooks written by other software read exactly as the workbook they came from.

A clerk fills the workbook in Excel or WPS; offices pass it through LibreOffice, Google
Sheets, Numbers or an OA system's export. Each case here is such a file, made at test
time: by LibreOffice itself (re-saved through every route an office uses, and filled in
by a LibreOffice Basic macro so the values and recomputed totals are LibreOffice's own),
by the package changes Excel's "Strict Open XML Spreadsheet" save makes, and by the
byte-level shapes other writers give a package (inline strings, rich text, phonetic runs,
shared formulas, prefixed elements, rows without numbers, byte order marks, zips with
folder entries…). tests/foreign/README.md says which real files each shape was taken from.

Every case is compared with the workbook it was made from: the same report (fields,
narrative, every table value), the same findings at the same cells, the same document
text from ``build``, the input unchanged — or one Chinese message with file, sheet and
cell and its documented exit code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from gxreport import api
from gxreport.cli import app
from gxreport.errors import ERROR, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, WARNING
from gxreport.inputs.jsonform import report_to_dict
from gxreport.inputs.workbook.reader import read_workbook
from gxreport.inputs.workbook.refs import parse_ref
from gxreport.inputs.workbook.xlsx import Workbook

from .conftest import DATA
from .docx_reading import docx_parts, visible_text, w

SAMPLES = sorted(DATA.glob("*.xlsx"))
T = "http://schemas.openxmlformats.org/"
S = "http://purl.oclc.org/ooxml/"
MAIN = T + "spreadsheetml/2006/main"
PKG_REL = T + "package/2006/relationships"


# --- reading a workbook as check and build see it ------------------------------------------------


def _where(finding, name: str) -> str:
    """A finding's place without its file name, which differs between a file and its twin."""
    return str(finding.where).removeprefix(name)


def reading(path: Path, registry) -> tuple[dict, list[tuple]]:
    """The report a workbook holds and its findings, as ``check`` gives them."""
    result = api.check_file(path, registry)
    findings = sorted((f.severity, f.rule, _where(f, path.name), f.message) for f in result.findings)
    return report_to_dict(result.report), findings


def assert_reads_alike(twin: Path, original: Path, registry) -> None:
    ours, theirs = reading(twin, registry), reading(original, registry)
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]


def built_text(path: Path, runner, tmp_path: Path) -> str:
    out = tmp_path / f"{path.stem}-built.docx"
    result = runner.invoke(app, ["build", str(path), "-o", str(out), "--force"])
    assert result.exit_code == EXIT_OK, result.output
    return visible_text(docx_parts(out)["word/document.xml"].find(w("body")))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def app_name(path: Path) -> str:
    """The writing program named in docProps/app.xml (Transitional or Strict namespace)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("docProps/app.xml"))
    return root.findtext("{*}Application") or ""


@pytest.fixture(scope="module")
def flawed(tmp_path_factory) -> Path:
    """The 2021 sample with findings to keep: an R1 error at 表三!D7, a blank and a "/" (R13)."""
    path = tmp_path_factory.mktemp("flawed") / "flawed.xlsx"
    wb = load_workbook(DATA / "2021.xlsx")
    wb["表三"]["D7"].value = 3
    wb["表二"]["D6"].value = None
    wb["表四"]["B7"].value = "/"
    wb.save(path)
    return path


def test_the_flawed_sample_has_findings_to_compare(flawed, registry):
    findings = reading(flawed, registry)[1]
    assert {f[:3] for f in findings} == {(ERROR, "R1", "!表三!D7"), (WARNING, "R13", "!表二!D6"), (WARNING, "R13", "!表四!B7")}


# --- LibreOffice: re-saved through every route, and filled in by a macro ------------------------

# (route, [(format to convert to, output extension)…]) : how offices pass a workbook through LibreOffice
ROUTES = {
    "excel-2007-filter": [('xlsx:Calc MS Excel 2007 XML', "xlsx")],
    "office-open-xml-filter": [('xlsx:Calc Office Open XML', "xlsx")],
    "through-ods": [("ods", "ods"), ('xlsx:Calc MS Excel 2007 XML', "xlsx")],
    "through-xls": [("xls:MS Excel 97", "xls"), ('xlsx:Calc MS Excel 2007 XML', "xlsx")],
}


def soffice_run(soffice: str, profile: Path, *args: str, env: dict | None = None) -> None:
    """One headless LibreOffice with a private profile (a developer's running LibreOffice is not disturbed)."""
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", *args],
        check=True, capture_output=True, timeout=300, stdin=subprocess.DEVNULL, env=env,
    )


@pytest.fixture(scope="module")
def resaved(soffice, flawed, tmp_path_factory) -> dict[str, Path]:
    """Every sample and the flawed workbook, converted along each route (one soffice run per step)."""
    base = tmp_path_factory.mktemp("libreoffice")
    sources = [*SAMPLES, flawed]
    out: dict[str, Path] = {}
    for route, steps in ROUTES.items():
        current = sources
        for number, (target, extension) in enumerate(steps):
            folder = base / route / str(number)
            soffice_run(soffice, base / "profile", "--convert-to", target, "--outdir", str(folder), *map(str, current))
            current = [folder / f"{source.stem}.{extension}" for source in sources]
        for source, made in zip(sources, current):
            out[f"{route}/{source.name}"] = made
    return out


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name", [p.name for p in SAMPLES] + ["flawed.xlsx"])
def test_a_workbook_resaved_by_libreoffice_reads_as_the_original(resaved, route, name, flawed, registry):
    original = flawed if name == "flawed.xlsx" else DATA / name
    twin = resaved[f"{route}/{name}"]
    assert app_name(twin).startswith("LibreOffice")
    with zipfile.ZipFile(twin) as archive:  # LibreOffice's own writer: shared strings, not the original's inline ones
        assert "xl/sharedStrings.xml" in archive.namelist()
    assert_reads_alike(twin, original, registry)


def test_libreoffice_copies_build_the_same_document(resaved, runner, tmp_path):
    original = built_text(DATA / "2021.xlsx", runner, tmp_path)
    assert "泗阳县行政审批局" in original
    for route in ROUTES:
        assert built_text(resaved[f"{route}/2021.xlsx"], runner, tmp_path / route) == original


# A Basic macro (Tools ▸ Macros in LibreOffice) typing a plan into a workbook the way a clerk
# would: numbers, text, and input-line entries ("2022-01-20" becomes a date), then recomputing
# and saving with the Excel 2007 filter. The plan file: source, target, then sheet⇥cell⇥kind⇥value.
FILL_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Function Prop(name As String, value) As com.sun.star.beans.PropertyValue
  Dim p As New com.sun.star.beans.PropertyValue
  p.Name = name
  p.Value = value
  Prop = p
End Function

Sub Fill
  Dim files, plan, doc, cell, parts, source$, target$
  files = createUnoService("com.sun.star.ucb.SimpleFileAccess")
  plan = createUnoService("com.sun.star.io.TextInputStream")
  plan.setInputStream(files.openFileRead(ConvertToURL(Environ("GXREPORT_FILL_PLAN"))))
  plan.setEncoding("UTF-8")
  source = plan.readLine()
  target = plan.readLine()
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, Array(Prop("Hidden", True)))
  Do While Not plan.isEOF()
    parts = Split(plan.readLine(), Chr(9))
    cell = doc.Sheets.getByName(parts(0)).getCellRangeByName(parts(1))
    Select Case parts(2)
      Case "n": cell.setValue(Val(parts(3)))
      Case "s": cell.setString(parts(3))
      Case "t": cell.setFormula(parts(3))
    End Select
  Loop
  plan.closeInput()
  doc.calculateAll()
  doc.storeToURL(ConvertToURL(target), Array(Prop("FilterName", "Calc MS Excel 2007 XML")))
  doc.close(True)
End Sub
</script:module>
"""


def fill_plan(blank: Path) -> list[tuple[str, str, str, str]]:
    """What a clerk types into a blank workbook: (sheet, cell, kind, text), kinds as in FILL_MACRO."""
    wb = load_workbook(blank)
    plan = []
    for row in wb["基本信息"].iter_rows(min_row=3, max_col=2):
        label, value = row
        if label.value == "机关名称":
            plan.append(("基本信息", value.coordinate, "t", '="某县"&"测试局"'))
        elif label.value == "成文日期":
            plan.append(("基本信息", value.coordinate, "t", "2022-01-20"))
        elif label.value and label.value.startswith("信息处理费"):
            plan.append(("基本信息", value.coordinate, "n", "0"))
    for row in wb["正文"].iter_rows(min_row=3, max_col=4):
        if row[0].value == "一" and row[2].value:
            plan.append(("正文", row[3].coordinate, "s", f"{row[2].value}方面，本局按要求开展工作。"))
        elif row[0].value in ("五", "六"):
            plan.append(("正文", row[3].coordinate, "s", "信息更新还不够及时，下一步建立台账，按月核对。"))
    for name in ("表二", "表三", "表四"):
        for row in wb[name].iter_rows():
            for cell in row:
                if not isinstance(cell, MergedCell) and cell.protection.locked is False and cell.value is None:
                    plan.append((name, cell.coordinate, "n", "0"))
    typed = {("表三", "D7"): ("n", "3"), ("表三", "E7"): ("s", "１２"), ("表二", "D6"): ("n", "1.5")}
    return [(sheet, cell, *typed.get((sheet, cell), (kind, text))) for sheet, cell, kind, text in plan]


# What LibreOffice makes of an entry typed into a cell ("t" in the plan): a date, a formula's result.
TYPED = {"2022-01-20": dt.date(2022, 1, 20), '="某县"&"测试局"': "某县测试局"}


def fill_with_openpyxl(blank: Path, plan, target: Path) -> Path:
    """The same plan typed in by openpyxl (the way the suite's other workbooks are filled)."""
    wb = load_workbook(blank)
    for sheet, cell, kind, text in plan:
        if kind == "n":
            value = float(text) if "." in text else int(text)
        elif kind == "t":
            value = TYPED[text]
        else:
            value = text
        wb[sheet][cell].value = value
    wb.save(target)
    return target


def fill_with_libreoffice(soffice: str, blank: Path, plan, target: Path, work: Path) -> Path:
    profile = work / "profile"
    soffice_run(soffice, profile, "--terminate_after_init")  # lays out the profile's Basic library
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(FILL_MACRO, encoding="utf-8")
    plan_file = work / "plan.tsv"
    lines = [str(blank), str(target), *("\t".join(step) for step in plan)]
    plan_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    soffice_run(soffice, profile, "macro:///Standard.Module1.Fill", env={**__import__("os").environ, "GXREPORT_FILL_PLAN": str(plan_file)})
    assert target.is_file(), "the macro saved no workbook"
    return target


def test_a_workbook_filled_in_by_libreoffice_reads_as_one_filled_in_by_openpyxl(soffice, registry, tmp_path):
    blank = tmp_path / "blank.xlsx"
    api.init_workbook(blank, registry, year=2021, agency="某县测试局")
    plan = fill_plan(blank)
    before = digest(blank)
    ours = fill_with_libreoffice(soffice, blank, plan, tmp_path / "libreoffice.xlsx", tmp_path)
    theirs = fill_with_openpyxl(blank, plan, tmp_path / "openpyxl.xlsx")
    assert digest(blank) == before
    assert app_name(ours).startswith("LibreOffice")
    # LibreOffice typed the date as a date, computed the agency's formula and the row total over 3 and the text "１２"
    sheet = Workbook(ours)["表三"]
    assert sheet.cell(7, 10).value == "=SUM(D7,E7,F7,G7,H7,I7)" and sheet.cell(7, 10).cached == 3
    info = Workbook(ours)["基本信息"]
    assert info.cell(6, 2).value == dt.date(2022, 1, 20)
    assert info.cell(3, 2).value == '="某县"&"测试局"' and info.cell(3, 2).cached == "某县测试局"
    assert_reads_alike(ours, theirs, registry)
    report, findings = reading(ours, registry)
    assert report["date"] == "2022-01-20" and report["agency"] == "某县测试局"
    assert report["tables"]["requests"]["new"][:2] == [3, 12]
    where = {(f[0], f[1], f[2]) for f in findings}
    assert (ERROR, "R1", "!表三!D7") in where and (ERROR, "R4", "!表二!D6") in where


# --- a package taken apart and put back, for the shapes other writers give it ------------------


def m(name: str) -> str:
    return f"{{{MAIN}}}{name}"


class Package:
    """An .xlsx as its parts, changed the way another program would have written them."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}

    @classmethod
    def of(cls, path: Path) -> Package:
        return cls(path.read_bytes())

    def xml(self, part: str):
        return etree.fromstring(self.parts[part])

    def put(self, part: str, root) -> None:
        self.parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def sheet(self, name: str) -> str:
        """The part holding the sheet called ``name``."""
        rels = {rel.get("Id"): rel.get("Target") for rel in self.xml("xl/_rels/workbook.xml.rels")}
        for sheet in self.xml("xl/workbook.xml").iter("{*}sheet"):
            if sheet.get("name") == name:
                target = next(v for k, v in sheet.attrib.items() if k.endswith("}id"))
                return rels[target].lstrip("/") if rels[target].startswith("/") else "xl/" + rels[target]
        raise KeyError(name)

    def sheets(self) -> list[str]:
        return [n for n in self.parts if n.startswith("xl/worksheets/") and n.endswith(".xml")]

    def cell(self, sheet: str, ref: str):
        found = self.xml(self.sheet(sheet)).xpath(f"//*[local-name()='c'][@r='{ref}']")
        return found[0] if found else None

    def edit_cell(self, sheet: str, ref: str, xml: str) -> None:
        """Replace the cell ``ref`` of ``sheet`` with ``xml`` (a <c> in the main namespace)."""
        part = self.sheet(sheet)
        root = self.xml(part)
        old = root.xpath(f"//*[local-name()='c'][@r='{ref}']")[0]
        new = etree.fromstring(f'<c xmlns="{MAIN}" xmlns:r="{T}officeDocument/2006/relationships" r="{ref}" {xml}')
        old.getparent().replace(old, new)
        self.put(part, root)

    def bytes(self, folders: bool = False) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            if folders:  # the entries a zip tool adds for every folder, as archivers re-zipping a package do
                for folder in sorted({n.rsplit("/", 1)[0] + "/" for n in self.parts if "/" in n}):
                    archive.writestr(folder, b"")
            for name, data in self.parts.items():
                archive.writestr(name, data)
        return out.getvalue()


def shared_strings(package: Package) -> Package:
    """Inline strings moved into a shared strings part, as Excel, WPS, LibreOffice and Google Sheets store text."""
    table: dict[str, int] = {}
    for part in package.sheets():
        root = package.xml(part)
        for cell in root.iter(m("c")):
            if cell.get("t") == "inlineStr":
                text = "".join(cell.find(m("is")).itertext())
                cell.remove(cell.find(m("is")))
                cell.set("t", "s")
                etree.SubElement(cell, m("v")).text = str(table.setdefault(text, len(table)))
        package.put(part, root)
    sst = etree.Element(m("sst"), nsmap={None: MAIN}, count=str(len(table)), uniqueCount=str(len(table)))
    for text in table:
        t = etree.SubElement(etree.SubElement(sst, m("si")), m("t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    package.put("xl/sharedStrings.xml", sst)
    rels = package.xml("xl/_rels/workbook.xml.rels")
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdStrings", Target="sharedStrings.xml",
                     Type=T + "officeDocument/2006/relationships/sharedStrings")
    package.put("xl/_rels/workbook.xml.rels", rels)
    types = package.xml("[Content_Types].xml")
    etree.SubElement(types, "{http://schemas.openxmlformats.org/package/2006/content-types}Override", PartName="/xl/sharedStrings.xml",
                     ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml")
    package.put("[Content_Types].xml", types)
    return package


def date_styles(package: Package) -> set[str]:
    """The style indexes (``s``) whose number format shows a date."""
    styles = package.xml("xl/styles.xml")
    custom = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter("{*}numFmt")}
    xfs = styles.find("{*}cellXfs")
    return {
        str(index)
        for index, xf in enumerate(xfs)
        if is_date_format(custom.get(int(xf.get("numFmtId", 0)), BUILTIN_FORMATS.get(int(xf.get("numFmtId", 0)), "General")))
    }


def dated_cells(package: Package):
    """(part, root, cell) for every number cell shown as a date (saved formulas aside)."""
    dates = date_styles(package)
    for part in package.sheets():
        root = package.xml(part)
        cells = [c for c in root.iter("{*}c") if c.get("t", "n") == "n" and c.get("s") in dates
                 and c.find("{*}f") is None and c.findtext("{*}v")]
        yield part, root, cells


# --- Excel's "Strict Open XML Spreadsheet" ------------------------------------------------------

# What Excel's Strict save changes in a Transitional package (ISO/IEC 29500-1 Strict; docs in
# tests/foreign/README.md): the vocabularies' namespaces, the relationship types (two renamed),
# conformance="strict" on the workbook, and dates as ISO 8601 text (t="d") rather than serial
# numbers. The package's own vocabulary (content types, relationships, core properties) is OPC's
# and stays; so do the content types.
STRICT_NAMESPACES = {
    T + "spreadsheetml/2006/main": S + "spreadsheetml/main",
    T + "officeDocument/2006/relationships": S + "officeDocument/relationships",
    T + "drawingml/2006/main": S + "drawingml/main",
    T + "drawingml/2006/spreadsheetDrawing": S + "drawingml/spreadsheetDrawing",
    T + "officeDocument/2006/extended-properties": S + "officeDocument/extendedProperties",
    T + "officeDocument/2006/custom-properties": S + "officeDocument/customProperties",
    T + "officeDocument/2006/docPropsVTypes": S + "officeDocument/docPropsVTypes",
    T + "officeDocument/2006/sharedTypes": S + "officeDocument/sharedTypes",
}
_RELATIONSHIP_TYPE = re.compile(rb'Type="http://schemas\.openxmlformats\.org/officeDocument/2006/relationships/([A-Za-z-]+)"')
_STRICT_TYPE_NAMES = {b"extended-properties": b"extendedProperties", b"custom-properties": b"customProperties"}


def strict(data: bytes) -> bytes:
    """A Transitional workbook saved again as Excel's Strict Open XML Spreadsheet."""
    package = Package(data)
    for part, root, cells in list(dated_cells(package)):
        for cell in cells:
            serial = float(cell.findtext("{*}v"))
            cell.set("t", "d")
            cell.find("{*}v").text = (dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)).isoformat(timespec="seconds")
        package.put(part, root)
    for name, part in package.parts.items():
        if name.endswith(".rels"):
            part = _RELATIONSHIP_TYPE.sub(lambda t: b'Type="' + S.encode() + b"officeDocument/relationships/" + _STRICT_TYPE_NAMES.get(t[1], t[1]) + b'"', part)
        if name.endswith((".xml", ".rels")) and name != "[Content_Types].xml":
            for old, new in STRICT_NAMESPACES.items():
                part = part.replace(old.encode(), new.encode())
        package.parts[name] = part
    book = package.xml("xl/workbook.xml")
    book.set("conformance", "strict")
    properties = book.find("{*}workbookPr")
    properties.set("dateCompatibility", "0")  # as Excel's Strict files say
    package.put("xl/workbook.xml", book)
    return package.bytes()


def test_the_strict_copy_has_the_shape_of_an_excel_strict_save(tmp_path):
    ours = Package(strict((DATA / "2021.xlsx").read_bytes()))
    original = Package.of(DATA / "2021.xlsx")
    assert ours.parts["[Content_Types].xml"] == original.parts["[Content_Types].xml"]
    book = ours.xml("xl/workbook.xml")
    assert book.tag == f"{{{S}spreadsheetml/main}}workbook" and book.get("conformance") == "strict"
    types = {rel.get("Type") for name in ours.parts if name.endswith(".rels") for rel in ours.xml(name)}
    assert S + "officeDocument/relationships/officeDocument" in types and S + "officeDocument/relationships/worksheet" in types
    assert S + "officeDocument/relationships/extendedProperties" in types
    assert {t for t in types if not t.startswith(S)} == {T + "package/2006/relationships/metadata/core-properties"}
    for name, part in ours.parts.items():  # only OPC's vocabulary is left in the Transitional namespaces
        if name != "[Content_Types].xml" and name.endswith((".xml", ".rels")):
            assert set(re.findall(rb"http://schemas\.openxmlformats\.org/[a-z-]+/", part)) <= {b"http://schemas.openxmlformats.org/package/"}, name
    date = ours.xml(ours.sheet("基本信息")).xpath("//*[local-name()='c'][@r='B6']")[0]
    assert date.get("t") == "d" and date.findtext("{*}v") == "2022-01-20T00:00:00"
    path = tmp_path / "strict.xlsx"
    path.write_bytes(ours.bytes())
    assert app_name(path) == app_name(DATA / "2021.xlsx")  # docProps/app.xml read in Strict's namespace


@pytest.mark.parametrize("name", [p.name for p in SAMPLES] + ["flawed.xlsx"])
def test_a_strict_workbook_reads_as_its_transitional_original(name, flawed, registry, runner, tmp_path):
    original = flawed if name == "flawed.xlsx" else DATA / name
    path = tmp_path / f"strict-{name}"
    path.write_bytes(strict(original.read_bytes()))
    before = digest(path)
    assert_reads_alike(path, original, registry)
    assert built_text(path, runner, tmp_path) == built_text(original, runner, tmp_path / "original")
    assert digest(path) == before


# --- what other writers put in a package: each read as the workbook it was made from -------------


def _prefixed(part: bytes) -> bytes:
    """The main namespace bound to a prefix (``<x:c>``), as the Open XML SDK's exports write it."""
    part = part.replace(f'xmlns="{MAIN}"'.encode(), f'xmlns:x="{MAIN}"'.encode())
    return re.sub(rb"<(/?)([A-Za-z]+[\s/>])", rb"<\1x:\2", part)


def with_prefixes(package: Package) -> Package:
    for name in ["xl/workbook.xml", "xl/styles.xml", "xl/sharedStrings.xml", *package.sheets()]:
        if name in package.parts:
            package.parts[name] = _prefixed(package.parts[name])
    return package


def without_positions(package: Package) -> Package:
    """Rows and cells without ``r``, every gap written as an empty row or cell (the OA exporters' way)."""
    for part in package.sheets():
        root = package.xml(part)
        data = root.find(m("sheetData"))
        rows = {int(row.get("r")): row for row in data}
        data.clear()
        for number in range(1, max(rows, default=0) + 1):
            row = rows.get(number, etree.Element(m("row")))
            cells = {}
            for cell in row.findall(m("c")):
                cells[parse_ref(cell.get("r"))[1]] = cell
                del cell.attrib["r"]
            for cell in list(row):
                row.remove(cell)
            row.attrib.pop("r", None)
            row.attrib.pop("spans", None)
            for column in range(1, max(cells, default=0) + 1):
                row.append(cells.get(column, etree.Element(m("c"))))
            data.append(row)
        package.put(part, root)
    return package


def with_byte_order_marks(package: Package) -> Package:
    """A UTF-8 byte order mark before every XML part (.NET writers)."""
    for name, part in package.parts.items():
        if name.endswith((".xml", ".rels")):
            package.parts[name] = b"\xef\xbb\xbf" + part
    return package


def with_mac_resource_forks(package: Package) -> Package:
    """``__MACOSX/._name`` entries beside the parts: a package re-zipped by macOS's Archive Utility."""
    for name in list(package.parts):
        folder, _, file = name.rpartition("/")
        package.parts[f"__MACOSX/{folder + '/' if folder else ''}._{file}"] = b"\x00\x05\x16\x07\x00\x02\x00\x00" + b"\x00" * 74
    return package


def rich_text(package: Package) -> Package:
    """Each shared string split into two formatted runs (WPS's and Excel's rich text, GB2312 charset)."""
    sst = package.xml("xl/sharedStrings.xml")
    for item in sst:
        text = item.findtext(m("t")) or ""
        item.clear()
        for piece in (text[: len(text) // 2], text[len(text) // 2 :]):
            run = etree.SubElement(item, m("r"))
            pr = etree.SubElement(run, m("rPr"))
            etree.SubElement(pr, m("sz"), val="11")
            etree.SubElement(pr, m("rFont"), val="宋体")
            etree.SubElement(pr, m("charset"), val="134")
            t = etree.SubElement(run, m("t"))
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    package.put("xl/sharedStrings.xml", sst)
    return package


def phonetic_runs(package: Package) -> Package:
    """Phonetic guides after each shared string (an IME's reading kept by Excel and WPS): never part of the text."""
    sst = package.xml("xl/sharedStrings.xml")
    for item in sst:
        guide = etree.SubElement(item, m("rPh"), sb="0", eb="1")
        etree.SubElement(guide, m("t")).text = "ㄓㄥˋ"
        etree.SubElement(item, m("phoneticPr"), fontId="0", type="noConversion")
    package.put("xl/sharedStrings.xml", sst)
    return package


def with_dimension(ref: str | None):
    def change(package: Package) -> Package:
        for part in package.sheets():
            root = package.xml(part)
            for old in root.findall(m("dimension")):
                root.remove(old)
            if ref:
                root.insert(1 if root.find(m("sheetPr")) is not None else 0, etree.Element(m("dimension"), ref=ref))
            package.put(part, root)
        return package

    return change


def parts_under_other_names(package: Package) -> Package:
    """Shared strings and styles stored under other part names, as ERP and OA exporters write them:
    the strings as xl/strings/sst1.xml, the styles as xl/Styles.xml (OPC compares names without case)."""
    package.parts["xl/strings/sst1.xml"] = package.parts.pop("xl/sharedStrings.xml")
    package.parts["xl/Styles.xml"] = package.parts.pop("xl/styles.xml")
    for name, old, new in (
        ("xl/_rels/workbook.xml.rels", b'Target="sharedStrings.xml"', b'Target="strings/sst1.xml"'),
        ("[Content_Types].xml", b'PartName="/xl/sharedStrings.xml"', b'PartName="/xl/strings/sst1.xml"'),
    ):
        assert old in package.parts[name]
        package.parts[name] = package.parts[name].replace(old, new)
    return package


def wps_parts(package: Package) -> Package:
    """The parts WPS adds to a workbook it saves: its name and build in the document properties,
    and the in-cell pictures' part (xl/cellimages.xml), related by WPS's own relationship type."""
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    package.parts["docProps/app.xml"] = (
        f'<Properties xmlns="{T}officeDocument/2006/extended-properties"><Application>WPS 表格</Application></Properties>'
    ).encode()
    package.parts["docProps/custom.xml"] = (
        f'<Properties xmlns="{T}officeDocument/2006/custom-properties" xmlns:vt="{T}officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer"><vt:lpwstr>2052-12.1.0.16388</vt:lpwstr></property>'
        "</Properties>"
    ).encode()
    package.parts["xl/cellimages.xml"] = (
        '<etc:cellImages xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"/>'
    ).encode()
    rels = package.xml("_rels/.rels")
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdCustom", Target="docProps/custom.xml",
                     Type=T + "officeDocument/2006/relationships/custom-properties")
    package.put("_rels/.rels", rels)
    rels = package.xml("xl/_rels/workbook.xml.rels")
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdCellImages", Target="cellimages.xml",
                     Type="http://www.wps.cn/officeDocument/2020/cellImage")
    package.put("xl/_rels/workbook.xml.rels", rels)
    types = package.xml("[Content_Types].xml")
    etree.SubElement(types, ct + "Override", PartName="/xl/cellimages.xml", ContentType="application/vnd.wps-officedocument.cellimage+xml")
    etree.SubElement(types, ct + "Override", PartName="/docProps/custom.xml", ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml")
    package.put("[Content_Types].xml", types)
    return package


def date_system_1904(package: Package) -> Package:
    """The Mac's 1904 date system: the same dates saved as serials 1462 days smaller."""
    book = package.xml("xl/workbook.xml")
    book.find(m("workbookPr")).set("date1904", "1")
    package.put("xl/workbook.xml", book)
    changed = 0
    for part, root, cells in list(dated_cells(package)):
        for cell in cells:
            cell.find(m("v")).text = str(float(cell.findtext(m("v"))) - 1462)
            changed += 1
        package.put(part, root)
    assert changed
    return package


def iso_dates(package: Package) -> Package:
    """Dates as ISO 8601 text (t="d"), as openpyxl's iso_dates and Strict writers save them."""
    for part, root, cells in list(dated_cells(package)):
        for cell in cells:
            cell.set("t", "d")
            cell.find(m("v")).text = (dt.date(1899, 12, 30) + dt.timedelta(days=float(cell.findtext(m("v"))))).isoformat()
        package.put(part, root)
    return package


def shared_formulas(package: Package) -> Package:
    """表三's 上年结转 row typed as one formula filled right (a shared formula), results saved."""
    part = package.sheet("表三")
    root = package.xml(part)
    for index, column in enumerate("DEFGHI"):
        cell = root.xpath(f"//*[local-name()='c'][@r='{column}8']")[0]
        for child in list(cell):
            cell.remove(child)
        cell.attrib.pop("t", None)
        formula = etree.SubElement(cell, m("f"), t="shared", si="0")
        if index == 0:
            formula.set("ref", "D8:I8")
            formula.text = "D9*0"
        etree.SubElement(cell, m("v")).text = "0"
    package.put(part, root)
    return package


def string_results(package: Package) -> Package:
    """A value cell whose formula gave text (t="str"), as Excel and Google Sheets save TEXT() results."""
    package.edit_cell("表三", "D8", 's="12" t="str"><f>TEXT(0,"0")</f><v>0</v></c>')
    return package


def external_link(package: Package) -> Package:
    """A value cell taken from another workbook (an external link), with Excel's saved result."""
    package.edit_cell("表三", "D8", 's="12"><f>[1]表三!D8</f><v>0</v></c>')
    rel_ns = T + "officeDocument/2006/relationships"
    package.parts["xl/externalLinks/externalLink1.xml"] = (
        f'<externalLink xmlns="{MAIN}" xmlns:r="{rel_ns}"><externalBook r:id="rId1"><sheetNames><sheetName val="表三"/></sheetNames>'
        '<sheetDataSet><sheetData sheetId="0"><row r="8"><cell r="D8"><v>0</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>'
    ).encode()
    package.parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{rel_ns}/externalLinkPath" '
        'Target="file:///D:/2021/%E4%B8%8A%E5%B9%B4.xlsx" TargetMode="External"/></Relationships>'
    ).encode()
    rels = package.xml("xl/_rels/workbook.xml.rels")
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdLink", Type=rel_ns + "/externalLink", Target="externalLinks/externalLink1.xml")
    package.put("xl/_rels/workbook.xml.rels", rels)
    book = package.xml("xl/workbook.xml")
    references = etree.Element(m("externalReferences"))
    etree.SubElement(references, m("externalReference")).set(f"{{{rel_ns}}}id", "rIdLink")
    book.find(m("sheets")).addnext(references)
    package.put("xl/workbook.xml", book)
    types = package.xml("[Content_Types].xml")
    etree.SubElement(types, "{http://schemas.openxmlformats.org/package/2006/content-types}Override", PartName="/xl/externalLinks/externalLink1.xml",
                     ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml")
    package.put("[Content_Types].xml", types)
    return package


def _style(package: Package, **xf: str) -> str:
    """A new cell style (cellXfs entry) with ``xf``'s attributes; its index."""
    styles = package.xml("xl/styles.xml")
    xfs = styles.find("{*}cellXfs")
    etree.SubElement(xfs, m("xf"), {"numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0", **xf})
    xfs.set("count", str(len(xfs)))
    package.put("xl/styles.xml", styles)
    return str(len(xfs) - 1)


def text_typed_numbers(package: Package) -> Package:
    """Numbers stored as text: '0 typed with an apostrophe (quotePrefix), a full-width ０, a thousands-formatted 0."""
    package.edit_cell("表三", "D8", f's="{_style(package, quotePrefix="1")}" t="inlineStr"><is><t>0</t></is></c>')
    package.edit_cell("表三", "E8", 't="inlineStr"><is><t>０</t></is></c>')
    package.edit_cell("表三", "F8", f's="{_style(package, numFmtId="3", applyNumberFormat="1")}"><v>0</v></c>')
    return package


def date_as_text(package: Package) -> Package:
    """成文日期 typed as text the way clerks write it (an OA export keeps it as text)."""
    package.edit_cell("基本信息", "B6", 't="inlineStr"><is><t>2022年1月20日</t></is></c>')
    return package


def _inline_text(package: Package, sheet: str, ref: str) -> str:
    return "".join(package.cell(sheet, ref).find("{*}is").itertext())


def _quoted(text: str) -> str:
    """``text`` as a string constant of a formula, inside XML."""
    return '"' + text.replace("&", "&amp;").replace("<", "&lt;").replace('"', '""').replace('""', "&quot;&quot;") + '"'


def formulas_outside_the_tables(package: Package) -> Package:
    """机关名称, 成文日期 and a paragraph written as formulas with their saved results (a clerk's
    =DATE(…), texts joined with &, an OA export that keeps its formulas)."""
    agency = _inline_text(package, "基本信息", "B3")
    package.edit_cell("基本信息", "B3", f't="str"><f>{_quoted(agency[:3])}&amp;{_quoted(agency[3:])}</f><v>{agency}</v></c>')
    date = package.cell("基本信息", "B6")
    package.edit_cell("基本信息", "B6", f's="{date.get("s")}"><f>DATE(2022,1,20)</f><v>{date.findtext("{*}v")}</v></c>')
    text = _inline_text(package, "正文", "D3")
    package.edit_cell("正文", "D3", f't="str"><f>CONCATENATE({_quoted(text[:10])},{_quoted(text[10:])})</f><v>{text.replace("&", "&amp;").replace("<", "&lt;")}</v></c>')
    return package


def as_openpyxl(change):
    """A change made through openpyxl's object model (what Excel's menus do), saved by openpyxl."""

    def make(package: Package) -> Package:
        wb = load_workbook(io.BytesIO(package.bytes()))
        change(wb)
        out = io.BytesIO()
        wb.save(out)
        return Package(out.getvalue())

    return make


def _decorations(wb) -> None:
    """Hidden rows and columns, a filter, data validation, a comment, a defined name, protection, frozen panes."""
    ws = wb["表三"]
    ws.row_dimensions[8].hidden = True
    ws.column_dimensions["E"].hidden = True
    ws.auto_filter.ref = "A5:J31"
    check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", showErrorMessage=True, error="请填写非负整数")
    ws.add_data_validation(check)
    check.add("D7:I31")
    ws["D7"].comment = Comment("含转办件", "某科员")
    ws.protection.sheet = True
    ws.protection.password = "1234"
    ws.freeze_panes = "D7"
    wb.defined_names["本年新收"] = DefinedName("本年新收", attr_text="'表三'!$D$7:$I$7")
    wb.defined_names["_xlnm.Print_Area"] = DefinedName("_xlnm.Print_Area", localSheetId=wb.sheetnames.index("表三"), attr_text="'表三'!$A$1:$J$31")
    wb["_meta"].sheet_state = "veryHidden"


def _sheet3(package: Package) -> bytes:
    return package.parts[package.sheet("表三")]


# id → (how the package is changed, starting from the flawed sample with its inline strings as
# gxreport writes them; what in the changed package shows the change was made)
SHAPES = {
    "shared-strings": (shared_strings, lambda p: b't="s"' in _sheet3(p) and b"inlineStr" not in _sheet3(p)),
    "rich-text-runs": (lambda p: rich_text(shared_strings(p)), lambda p: b'<rFont val="\xe5\xae\x8b\xe4\xbd\x93"/>' in p.parts["xl/sharedStrings.xml"]),
    "phonetic-runs": (lambda p: phonetic_runs(shared_strings(p)), lambda p: b"<rPh " in p.parts["xl/sharedStrings.xml"]),
    "prefixed-elements": (lambda p: with_prefixes(shared_strings(p)), lambda p: b"<x:c " in _sheet3(p) and b"<x:si>" in p.parts["xl/sharedStrings.xml"]),
    "rows-and-cells-without-positions": (without_positions, lambda p: b"<row>" in _sheet3(p) and b" r=" not in _sheet3(p).split(b"<sheetData>")[1].split(b"</sheetData>")[0]),
    "byte-order-marks": (lambda p: with_byte_order_marks(shared_strings(p)), lambda p: p.parts["xl/workbook.xml"].startswith(b"\xef\xbb\xbf<")),
    "mac-resource-forks": (with_mac_resource_forks, lambda p: "__MACOSX/xl/worksheets/._sheet5.xml" in p.parts),
    "parts-under-other-names": (
        lambda p: parts_under_other_names(shared_strings(p)),
        lambda p: "xl/strings/sst1.xml" in p.parts and "xl/Styles.xml" in p.parts and "xl/styles.xml" not in p.parts,
    ),
    "wps-parts": (lambda p: wps_parts(rich_text(shared_strings(p))), lambda p: "xl/cellimages.xml" in p.parts and b"KSOProductBuildVer" in p.parts["docProps/custom.xml"]),
    "no-dimension": (with_dimension(None), lambda p: b"<dimension" not in _sheet3(p)),
    "dimension-too-small": (with_dimension("A1"), lambda p: b'<dimension ref="A1"/>' in _sheet3(p)),
    "dimension-whole-sheet": (with_dimension("A1:XFD1048576"), lambda p: b'<dimension ref="A1:XFD1048576"/>' in _sheet3(p)),
    "date-system-1904": (date_system_1904, lambda p: b'date1904="1"' in p.parts["xl/workbook.xml"]),
    "iso-dates": (iso_dates, lambda p: b't="d"><v>2022-01-20</v>' in p.parts[p.sheet("基本信息")]),
    "date-as-text": (date_as_text, lambda p: "2022年1月20日".encode() in p.parts[p.sheet("基本信息")]),
    "shared-formulas": (shared_formulas, lambda p: b'<f t="shared" si="0"/>' in _sheet3(p)),
    "string-formula-results": (string_results, lambda p: b't="str"><f>TEXT(0,' in _sheet3(p)),
    "external-link": (external_link, lambda p: "xl/externalLinks/externalLink1.xml" in p.parts and b"[1]" in _sheet3(p)),
    "numbers-as-text": (text_typed_numbers, lambda p: "０".encode() in _sheet3(p) and b'quotePrefix="1"' in p.parts["xl/styles.xml"]),
    "formulas-outside-the-tables": (formulas_outside_the_tables, lambda p: b"<f>DATE(2022,1,20)</f>" in p.parts[p.sheet("基本信息")] and b"CONCATENATE(" in p.parts[p.sheet("正文")]),
    "hidden-filtered-validated-protected": (
        as_openpyxl(_decorations),
        lambda p: all(mark in _sheet3(p) for mark in (b"<autoFilter", b"<dataValidation", b"<sheetProtection", b'hidden="1"', b"<pane")),
    ),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_workbook_in_another_writers_shape_reads_as_the_original(shape, flawed, registry, runner, tmp_path):
    path = tmp_path / f"{shape}.xlsx"
    change, made = SHAPES[shape]
    package = change(Package.of(flawed))
    assert made(package)
    path.write_bytes(package.bytes(folders=shape == "mac-resource-forks"))
    before = digest(path)
    assert_reads_alike(path, flawed, registry)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == EXIT_FINDINGS and f"{path.name}!表三!D7" in result.output
    assert built_text(path, runner, tmp_path) == built_text(flawed, runner, tmp_path / "original")
    assert digest(path) == before


def test_strings_and_styles_under_other_part_names_are_read_from_there(flawed, tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(parts_under_other_names(shared_strings(Package.of(flawed))).bytes())
    info = Workbook(path)["基本信息"]
    assert info.cell(3, 1).value == "机关名称" and info.cell(3, 2).value == "泗阳县行政审批局"
    assert info.cell(6, 2).value == dt.date(2022, 1, 20)  # a date by the number format in xl/Styles.xml


def test_a_formula_in_the_free_table_prints_its_result_not_its_text(registry, runner, tmp_path):
    """The 2017-legacy 指标表 is printed as typed: a clerk's formula there prints what Excel shows."""
    package = Package.of(DATA / "2017-legacy.xlsx")
    assert _inline_text(package, "指标表", "C4") == "156"
    package.edit_cell("指标表", "C4", 't="str"><f>TEXT(C5+C6+10,"0")</f><v>156</v></c>')
    path = tmp_path / "legacy.xlsx"
    path.write_bytes(package.bytes())
    assert_reads_alike(path, DATA / "2017-legacy.xlsx", registry)
    ours = read_workbook(path, registry).free_table
    assert ours == read_workbook(DATA / "2017-legacy.xlsx", registry).free_table and ours[1] == ["主动公开政府信息数", "条", "156"]
    text = built_text(path, runner, tmp_path)
    assert "主动公开政府信息数 | 条 | 156" in text and "TEXT(" not in text
    package.edit_cell("指标表", "C5", '><f>C6*2</f></c>')  # saved by a program that computes nothing
    path.write_bytes(package.bytes())
    findings = reading(path, registry)[1]
    assert [f[:3] for f in findings] == [(ERROR, "输入", "!指标表!C5")] and "公式且没有计算结果" in findings[0][3]


def test_formula_results_saved_in_binary_precision_read_as_excel_shows_them(flawed, registry, runner, tmp_path):
    """Excel saves a formula's result with all 17 digits of its double (12.1+3.2 as 15.299999999999999)
    and shows it to 15: the report says 15.3 and 3, as the clerk saw, never 15.299999999999999."""
    computed, typed = Package.of(flawed), Package.of(flawed)
    computed.edit_cell("基本信息", "B9", '><f>12.1+3.2</f><v>15.299999999999999</v></c>')
    computed.edit_cell("表三", "D8", 's="12"><f>0.1*30</f><v>3.0000000000000004</v></c>')
    typed.edit_cell("基本信息", "B9", "><v>15.3</v></c>")
    typed.edit_cell("表三", "D8", 's="12"><v>3</v></c>')
    (tmp_path / "computed.xlsx").write_bytes(computed.bytes())
    (tmp_path / "typed.xlsx").write_bytes(typed.bytes())
    assert_reads_alike(tmp_path / "computed.xlsx", tmp_path / "typed.xlsx", registry)
    report, findings = reading(tmp_path / "computed.xlsx", registry)
    assert report["fee_collected"] == "15.3" and report["tables"]["requests"]["carried_in"][0] == 3
    assert not [f for f in findings if f[1] == "R4"]
    text = built_text(tmp_path / "computed.xlsx", runner, tmp_path)
    assert "15.3" in text and "15.29999" not in text


# --- values a table cell cannot hold: a finding at the cell, whoever wrote it --------------------

# id → (the <c> of 表三!D8 after its reference, the phrase of the finding there)
UNUSABLE_CELLS = {
    "division-by-zero": ('s="12" t="e"><v>#DIV/0!</v></c>', "Excel 错误值 #DIV/0!"),
    "broken-reference": ('s="12" t="e"><f>#REF!+1</f><v>#REF!</v></c>', "Excel 错误值 #REF!"),
    "lookup-not-found": ('s="12" t="e"><f>VLOOKUP("自然人",表二!A1:B2,2,FALSE)</f><v>#N/A</v></c>', "Excel 错误值 #N/A"),
    "logical-value": ('s="12" t="b"><v>1</v></c>', "逻辑值"),
}


@pytest.mark.parametrize("case", UNUSABLE_CELLS)
def test_an_unusable_table_cell_is_a_finding_naming_it(case, flawed, runner, tmp_path):
    xml, phrase = UNUSABLE_CELLS[case]
    package = shared_strings(Package.of(flawed))
    package.edit_cell("表三", "D8", xml)
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(package.bytes())
    before = digest(path)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == EXIT_FINDINGS
    assert re.search(rf"错误 R4 {re.escape(path.name)}!表三!D8: 上年结转 自然人：.*{re.escape(phrase)}", result.output), result.output
    built = runner.invoke(app, ["build", str(path), "-o", str(tmp_path / "out.docx")])
    assert built.exit_code == EXIT_FINDINGS and not (tmp_path / "out.docx").exists()
    assert digest(path) == before


def test_a_percent_formatted_count_is_a_finding_naming_its_cell(flawed, runner, tmp_path):
    """Excel turns 50 typed into a 0% cell into 0.5: never read as 50, nor rounded to 0 or 1."""
    package = Package.of(flawed)
    package.edit_cell("表三", "D8", f's="{_style(package, numFmtId="9", applyNumberFormat="1")}"><v>0.5</v></c>')
    path = tmp_path / "percent.xlsx"
    path.write_bytes(package.bytes())
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == EXIT_FINDINGS
    assert f"错误 R4 {path.name}!表三!D8: 上年结转 自然人：0.5 不是整数" in result.output


# cell of a sheet outside the tables → (its <c> after the reference, severity, the finding's words)
UNUSABLE_OUTSIDE = {
    "picture-in-a-paragraph": (
        ("正文", "D3"), 't="str"><f>_xlfn.DISPIMG("ID_4F1C2A9B8E7D",1)</f><v>=DISPIMG("ID_4F1C2A9B8E7D",1)</v></c>', WARNING,
        "单元格中是 WPS 嵌入的图片，报告只印文字",
    ),
    "formula-without-a-result": (("基本信息", "B3"), '><f>基本信息!C3</f></c>', ERROR, "机关名称：单元格是公式且没有计算结果"),
    "error-value": (("基本信息", "B3"), 't="e"><f>VLOOKUP("单位",说明!A1:B2,2,FALSE)</f><v>#N/A</v></c>', ERROR, "机关名称：单元格是 Excel 错误值 #N/A"),
}


@pytest.mark.parametrize("case", UNUSABLE_OUTSIDE)
def test_an_unusable_cell_outside_the_tables_is_one_finding_naming_it(case, flawed, registry, runner, tmp_path):
    (sheet, ref), xml, severity, words = UNUSABLE_OUTSIDE[case]
    package = Package.of(flawed)
    package.edit_cell(sheet, ref, xml)
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(package.bytes())
    ours, theirs = reading(path, registry), reading(flawed, registry)
    added = sorted(set(ours[1]) - set(theirs[1]))
    assert [(f[0], f[1], f[2]) for f in added] == [(severity, "输入", f"!{sheet}!{ref}")] and words in added[0][3]
    assert "DISPIMG" not in str(ours[0]) and "=" + "基本信息" not in str(ours[0])  # the formula's text is never a value
    result = runner.invoke(app, ["check", str(path)])
    assert f"{path.name}!{sheet}!{ref}: {words}" in result.output and result.exit_code == EXIT_FINDINGS


# --- files that are not an .xlsx though named like one ---------------------------------------------

SPREADSHEET_2003 = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">
 <Worksheet ss:Name="表三"><Table ss:ExpandedColumnCount="1" ss:ExpandedRowCount="1"><Row><Cell><Data ss:Type="Number">3</Data></Cell></Row></Table></Worksheet>
</Workbook>
"""
SINGLE_FILE_PAGE = (
    'MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related; boundary="----=_NextPart_01D8"\r\n\r\n'
    '------=_NextPart_01D8\r\nContent-Location: file:///C:/report.htm\r\nContent-Type: text/html; charset="utf-8"\r\n\r\n'
    "<html><body><table><tr><td>3</td></tr></table></body></html>\r\n------=_NextPart_01D8--\r\n"
)


@pytest.mark.parametrize(
    "content, says",
    [(SPREADSHEET_2003, "这是 XML 电子表格（Excel 2003 XML 格式）"), (SINGLE_FILE_PAGE, "这是单个文件网页（.mht）")],
    ids=["excel-2003-xml", "single-file-web-page"],
)
def test_excel_save_as_formats_named_xlsx_are_refused_saying_what_they_are(content, says, runner, tmp_path):
    path = tmp_path / "报告.xlsx"
    path.write_text(content, encoding="utf-8")
    for command in (["check", str(path)], ["build", str(path), "-o", str(tmp_path / "out.docx"), "--force"]):
        result = runner.invoke(app, command)
        assert result.exit_code == EXIT_INPUT
        assert f"报告.xlsx: 不是 .xlsx 工作簿（{says}" in result.output and "另存为“Excel 工作簿(*.xlsx)”" in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "out.docx").exists()


# --- .xlsm: a workbook saved with macros (Excel's "启用宏的工作簿", Google Sheets after an edit) -----


def macro_enabled(package: Package) -> Package:
    """The parts Excel adds when a workbook is saved as .xlsm: the macro project and its content type."""
    package.parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # never opened: macros never run
    rels = package.xml("xl/_rels/workbook.xml.rels")
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdVba", Target="vbaProject.bin",
                     Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject")
    package.put("xl/_rels/workbook.xml.rels", rels)
    types = package.xml("[Content_Types].xml")
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    for override in types.iter(ct + "Override"):
        if override.get("PartName") == "/xl/workbook.xml":
            override.set("ContentType", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    etree.SubElement(types, ct + "Default", Extension="bin", ContentType="application/vnd.ms-office.vbaProject")
    package.put("[Content_Types].xml", types)
    return package


def test_an_xlsm_workbook_is_read_like_an_xlsx_alone_and_in_a_folder(flawed, registry, runner, tmp_path):
    folder = tmp_path / "2021年"
    folder.mkdir()
    xlsm = folder / "甲局.xlsm"
    xlsm.write_bytes(macro_enabled(Package.of(flawed)).bytes())
    shutil.copy(DATA / "2019.xlsx", folder / "乙局.xlsx")
    assert_reads_alike(xlsm, flawed, registry)
    alone = runner.invoke(app, ["check", str(xlsm)])
    assert alone.exit_code == EXIT_FINDINGS and "甲局.xlsm!表三!D7" in alone.output
    together = runner.invoke(app, ["check", str(folder), "--no-progress"])
    assert together.exit_code == EXIT_FINDINGS
    assert "甲局.xlsm" in together.output and "乙局.xlsx" in together.output
    built = runner.invoke(app, ["build", str(folder), "-o", str(tmp_path / "成稿"), "--force", "--no-progress"])
    assert built.exit_code == EXIT_OK, built.output
    assert len(list((tmp_path / "成稿").glob("*.docx"))) == 2
