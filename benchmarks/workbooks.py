"""Generate benchmark workbooks from the sample: same layout, varied agencies and figures.

Figures are random but satisfy the format's declared rules (tables.toml), so every
generated workbook passes ``check`` and builds: every value cell that is not a derived
total gets a random count, then each balance rule's first left-hand cell is set to
make the rule hold. Cells are edited in the sample's sheet XML directly (about 3 ms
a workbook; writing each with openpyxl would take about 100 ms).

Also records, for the peer and floor pipelines, where the sample keeps each value
(``addresses``): a hand-written script reads fixed cells the same way.
"""

from __future__ import annotations

import io
import json
import posixpath
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from gxreport.declare.kinds import Registry
from gxreport.checks.rules import complete, derived_totals, rule_instances
from gxreport.inputs.workbook.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "2021.xlsx"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → part name in the archive (workbook.xml + its relationships)."""
    workbook = etree.fromstring(archive.read("xl/workbook.xml"), _PARSER)
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), _PARSER)
    targets = {}
    for rel in rels:
        target = rel.get("Target")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return {s.get("name"): targets[s.get(REL_ID)] for s in workbook.iter(f"{MAIN}sheet")}


@dataclass
class Addresses:
    """Where the sample keeps each field and value: {name: [sheet, cell]}."""

    fields: dict[str, tuple[str, str]]
    values: dict[str, dict[str, tuple[str, str]]]  # table id -> "record|field" -> (sheet, cell)
    derived: dict[str, list[str]]  # table id -> "record|field" of derived totals

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Addresses":
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def sample_addresses(registry: Registry) -> Addresses:
    report = read_workbook(SAMPLE, registry)
    return Addresses(
        fields={k: (v.sheet, v.cell) for k, v in report.field_cells.items()},
        values={t: {f"{r}|{f}": (s.sheet, s.cell) for (r, f), s in cells.items()} for t, cells in report.cells.items()},
        derived={t.id: [f"{r}|{f}" for r, f in derived_totals(t)] for t in report.kind.tables},
    )


def balanced_figures(table, rng: random.Random) -> dict[tuple[str, str], int]:
    """Random counts for the cells a clerk types, balanced by the table's rules."""
    totals = derived_totals(table)
    given = {key: rng.choice((0, 0, 1, 2, 3, 5, 8, 13, 40)) for key in table.value_keys if key not in totals}
    for rule in table.rules:
        if rule.type != "balance":
            continue
        for instance in rule_instances(table, rule):
            target, *others = instance.lhs
            if target in totals:
                continue  # a total column balances when its parts do
            values = complete(table, given)
            right = sum(values[k] for k in instance.rhs)
            rest = sum(values[k] for k in others)
            for key in others:  # carried-in larger than everything handled: trim it
                if rest <= right:
                    break
                cut = min(given.get(key, 0), rest - right)
                given[key] -= cut
                rest -= cut
            given[target] = right - rest
    return given


def _set_number(c, number) -> None:
    for child in list(c):
        c.remove(child)
    c.attrib.pop("t", None)
    etree.SubElement(c, f"{MAIN}v").text = str(number)


def _set_text(c, text: str) -> None:
    for child in list(c):
        c.remove(child)
    c.set("t", "inlineStr")
    inline = etree.SubElement(c, f"{MAIN}is")
    etree.SubElement(inline, f"{MAIN}t").text = text


def generate(out_dir: Path, count: int, seed: int = 2021) -> list[Path]:
    """Write `count` workbooks into `out_dir`; returns their paths."""
    registry = Registry()
    report = read_workbook(SAMPLE, registry)
    addresses = sample_addresses(registry)
    rng = random.Random(seed)
    with zipfile.ZipFile(SAMPLE) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
        by_sheet = sheet_parts(archive)
    edited_sheets = {s for s, _ in addresses.fields.values()} | {
        s for cells in addresses.values.values() for s, _ in cells.values()
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        trees = {s: etree.fromstring(parts[by_sheet[s]], _PARSER) for s in edited_sheets}
        cells = {s: {c.get("r"): c for c in tree.iter(f"{MAIN}c")} for s, tree in trees.items()}
        sheet, ref = addresses.fields["agency"]
        _set_text(cells[sheet][ref], f"样例县第{index + 1}局")
        for table in report.kind.tables:
            for (record, field), number in balanced_figures(table, rng).items():
                sheet, ref = addresses.values[table.id][f"{record}|{field}"]
                _set_number(cells[sheet][ref], number)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                sheet = next((s for s in edited_sheets if by_sheet[s] == name), None)
                archive.writestr(name, etree.tostring(trees[sheet], xml_declaration=True, encoding="UTF-8") if sheet else data)
        path = out_dir / f"{index + 1:04d}.xlsx"
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    return paths
