"""The peer: the same report made the common way, a docxtpl template filled from openpyxl.

``make_template`` builds the template at run time with python-docx (nothing binary is
committed): title, preamble and signature placeholders, the six section headings with a
``{%p for %}`` loop over the clerk's paragraphs, and the three statutory tables laid out
from the format declaration (tables.toml), merged header cells included, with one
``{{ }}`` placeholder per value cell. ``render`` does one document: openpyxl reads the
cells at the sample's addresses (as a hand-written script would), the derived totals are
summed, docxtpl renders and saves.

Whole process: ``python benchmarks/peer_docxtpl.py TEMPLATE_DIR WORKBOOK OUT.docx``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TEMPLATE = "peer-template.docx"
ADDRESSES = "peer-addresses.json"
SECTIONS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
            "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项")
PART_OF_SECTION = {0: "一", 4: "五", 5: "六"}
TABLE_OF_SECTION = {1: "active", 2: "requests", 3: "reviews"}


def variable(table_id: str, key: str) -> str:
    return "v_" + re.sub(r"\W", "_", f"{table_id}_{key}")


def make_template(out_dir: Path) -> Path:
    """Write the peer's .docx template and the sample's cell addresses into `out_dir`."""
    import docx

    from gxreport.declare.kinds import Registry
    from workbooks import sample_addresses

    registry = Registry()
    sample_addresses(registry).dump(out_dir / ADDRESSES)
    kind = registry.get("annual", fmt="2021")
    doc = docx.Document()
    doc.add_paragraph("{{ title }}")
    doc.add_paragraph("{{ preamble }}")
    numbers = "一二三四五六"
    for index, name in enumerate(SECTIONS):
        doc.add_paragraph(f"{numbers[index]}、{name}")
        if index in TABLE_OF_SECTION:
            table = kind.table(TABLE_OF_SECTION[index])
            grid = doc.add_table(rows=table.n_rows, cols=table.n_cols)
            grid.style = "Table Grid"
            for cell in table.cells:
                target = grid.cell(cell.row, cell.col)
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(grid.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
                target.text = "{{ %s }}" % variable(table.id, f"{cell.record}|{cell.field}") if cell.is_value else cell.text
        else:
            part = PART_OF_SECTION[index]
            doc.add_paragraph("{%%p for b in part_%s %%}" % part)
            doc.add_paragraph("{{ b }}")
            doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ agency }}")
    doc.add_paragraph("{{ date }}")
    path = out_dir / TEMPLATE
    doc.save(path)
    return path


class Peer:
    """Reads workbooks and renders them with the template in `template_dir`."""

    def __init__(self, template_dir: Path):
        from gxreport.declare.kinds import Registry
        from workbooks import Addresses

        self.template = template_dir / TEMPLATE
        self.addresses = Addresses.load(template_dir / ADDRESSES)
        self.kind = Registry().get("annual", fmt="2021")

    def render(self, workbook: Path, out: Path) -> None:
        from docxtpl import DocxTemplate
        from openpyxl import load_workbook

        from gxreport.compose.numbering import heading_number
        from gxreport.checks.rules import complete

        wb = load_workbook(workbook)
        fields = {k: wb[s][c].value for k, (s, c) in self.addresses.fields.items()}
        context = {
            "title": f"{fields['agency']}{fields['year']}年政府信息公开工作年度报告",
            "preamble": fields["preamble"] or f"报告所列数据的统计期限为{fields['year']}年1月1日至{fields['year']}年12月31日。",
            "agency": fields["agency"],
            "date": f"{fields['date']:%Y年%m月%d日}",
        }
        for table in self.kind.tables:
            cells = self.addresses.values[table.id]
            given = {}
            for key, (sheet, ref) in cells.items():
                value = wb[sheet][ref].value
                if key not in self.addresses.derived[table.id] and isinstance(value, (int, float)):
                    given[tuple(key.split("|"))] = value
            for (record, field), number in complete(table, given).items():
                context[variable(table.id, f"{record}|{field}")] = number
        counters: dict[str, int] = {}
        for part in PART_OF_SECTION.values():
            context[f"part_{part}"] = []
        for row in wb["正文"].iter_rows(min_row=3, values_only=True):
            part, level, title, text = (row + (None,) * 4)[:4]
            if not (title or text) or part not in PART_OF_SECTION.values():
                continue
            label = ""
            if title:
                counters[part] = counters.get(part, 0) + 1
                label = heading_number(int(level or 2), counters[part]) + title
            context[f"part_{part}"].append(f"{label}{text or ''}")
        tpl = DocxTemplate(self.template)  # a docxtpl template is used up by one render
        tpl.render(context)
        tpl.save(out)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    Peer(Path(sys.argv[1])).render(Path(sys.argv[2]), Path(sys.argv[3]))
