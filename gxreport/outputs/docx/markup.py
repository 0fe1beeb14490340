"""WordprocessingML markup fragments for each report's body, written as strings.

Each helper returns one element (names from ECMA-376 Part 1, section 17) and says
which GB/T 9704-2012 clause or rule of docs/layout.md it serves. The body of a report is
generated as one string from these (docs/pitfalls.md B9: no per-cell python-docx calls), and
nothing here imports python-docx (benchmarks/README.md).
"""

from __future__ import annotations

from html import escape

W_NAMESPACE = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


# --- table markup fragments (tables are generated as one string, docs/pitfalls.md B9) ------

_BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'


def tbl_pr_xml(width: int, cell_margin: int) -> str:
    """w:tblPr (ECMA 17.4.60): fixed width `width` twips, centred, single black borders.

    docs/layout.md "Tables": fit the 156 mm type width, single black borders. A fixed layout
    (w:tblLayout) keeps Word/WPS from re-flowing column widths.
    """
    borders = "".join(
        _BORDER.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        f'<w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{cell_margin}" w:type="dxa"/>'
        f'<w:right w:w="{cell_margin}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    )


def tbl_grid_xml(widths: list[int]) -> str:
    """w:tblGrid with one w:gridCol per grid column (ECMA 17.4.49)."""
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f"<w:tblGrid>{cols}</w:tblGrid>"


def tr_pr_xml(header: bool) -> str:
    """w:trPr (ECMA 17.4.82) with w:cantSplit, and w:tblHeader on header rows.

    docs/layout.md "Tables": header rows repeat on each page (docs/pitfalls.md B4, header rows must
    be the first rows), rows do not split across pages (docs/pitfalls.md B5).
    """
    return "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"


def tc_pr_xml(width: int, grid_span: int, vmerge: str | None) -> str:
    """w:tcPr (ECMA 17.4.70): w:tcW, w:gridSpan when > 1, w:vMerge, w:vAlign center.

    `vmerge` is "restart" for the first cell of a vertical span, "continue" for the
    cells below it (written as a bare <w:vMerge/>), None otherwise (docs/pitfalls.md B3).
    """
    span = f'<w:gridSpan w:val="{grid_span}"/>' if grid_span > 1 else ""
    merge = {None: "", "restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}[vmerge]
    return f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}<w:vAlign w:val="center"/></w:tcPr>'


def run_xml(text: str, rpr_xml: str = "") -> str:
    """One w:r with `text`; tabs become w:tab (ECMA 17.3.3.32) as python-docx's setter does."""
    parts = "<w:tab/>".join(
        f'<w:t xml:space="preserve">{escape(part, quote=False)}</w:t>' if part else "" for part in text.split("\t")
    )
    return f"<w:r>{rpr_xml}{parts}</w:r>"


# --- body paragraph fragments -------------------------------------------------------


def p_xml(ppr_xml: str, runs_xml: str = "") -> str:
    """A w:p (ECMA 17.3.1.22): properties, then runs."""
    return f"<w:p>{ppr_xml}{runs_xml}</w:p>"


def p_pr_xml(
    style_id: str,
    keep_next: bool = False,
    keep_lines: bool = False,
    page_break_before: bool = False,
    ind: str = "",
    jc: str | None = None,
) -> str:
    """w:pPr (ECMA 17.3.1.26) naming its style, children in the schema's order.

    docs/layout.md "Text": every paragraph names a GW style; direct formatting only for
    exceptions: w:keepNext (17.3.1.15, table rows kept together, docs/pitfalls.md B5, and the
    signature kept with the body's last lines), w:keepLines (17.3.1.14, a signature line whole),
    w:pageBreakBefore (17.3.1.23, an attachment starts a page, GB/T 9704 8),
    w:ind (17.3.1.12, see ``ind_xml``) and w:jc (17.3.1.13, signature alignment).
    """
    return (
        f'<w:pPr><w:pStyle w:val="{style_id}"/>'
        + ("<w:keepNext/>" if keep_next else "")
        + ("<w:keepLines/>" if keep_lines else "")
        + ("<w:pageBreakBefore/>" if page_break_before else "")
        + ind
        + (f'<w:jc w:val="{jc}"/>' if jc else "")
        + "</w:pPr>"
    )


def ind_xml(chars: dict[str, float] | None = None, **twips: int) -> str:
    """w:ind (ECMA 17.3.1.12): `twips` per side (left, right, firstLine).

    Sides in `chars` also get the *Chars form (hundredths of a character) that Word
    and WPS prefer, as ``set_indent`` writes it (GB/T 9704 7.3.3 character indents).
    """
    attrs = []
    for side, value in twips.items():
        if chars and side in chars:
            attrs.append(f'w:{side}Chars="{int(round(chars[side] * 100))}"')
        attrs.append(f'w:{side}="{value}"')
    return f"<w:ind {' '.join(attrs)}/>"


def r_pr_style_xml(style_id: str) -> str:
    """w:rPr with w:rStyle (ECMA 17.3.2.29): a character style, e.g. a run-in heading's face."""
    return f'<w:rPr><w:rStyle w:val="{style_id}"/></w:rPr>'
