"""Attachments (附件 sheet) for every kind: the note under the body, each attachment on its own page."""

from __future__ import annotations

import pytest

from gxreport.cli import app
from gxreport.errors import EXIT_OK

from .docx_read import paragraphs
from .test_kinds import STRANGER
from .workbook_fill import fill

TWO = [("2024年公开信息统计表", "主动公开信息120条。\n依申请公开2件。"), ("工作台账", "台账按月更新。")]


def _build(runner, tmp_path, case, attachments):
    spec = STRANGER[case]
    book = tmp_path / "a.xlsx"
    assert runner.invoke(app, ["init", *spec["init"], str(book)]).exit_code == EXIT_OK
    fields = dict(spec["fields"])
    if case == "summary":
        fields["落款日期"] = "2024年12月20日"
    fill(book, fields, spec["rows"], attachments)
    out = tmp_path / "a.docx"
    result = runner.invoke(app, ["build", str(book), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    return paragraphs(out)


@pytest.mark.parametrize("case", sorted(STRANGER))
def test_every_kind_prints_the_note_before_the_signature_and_each_attachment_on_its_own_page(case, runner, tmp_path):
    paras = _build(runner, tmp_path, case, TWO)
    texts = [p.text for p in paras]
    note = texts.index("附件：1.2024年公开信息统计表")
    assert texts[note + 1] == "2.工作台账"
    signature = next(i for i, p in enumerate(paras) if p.style == "GWSignature")
    assert note < signature
    labels = [i for i, p in enumerate(paras) if p.style == "GWAttachmentLabel"]
    assert [texts[i] for i in labels] == ["附件1", "附件2"]
    assert all(paras[i].page_break_before for i in labels)
    assert labels[0] > signature + 1  # the pages come after the signature and date
    first = paras[labels[0]:labels[1]]
    assert [p.text for p in first if p.style == "GWTitle"] == ["2024年公开信息统计表"]
    assert [p.text for p in first if p.style == "GWBody" and p.text] == ["主动公开信息120条。", "依申请公开2件。"]


def test_a_single_attachment_is_not_numbered(runner, tmp_path):
    paras = _build(runner, tmp_path, "self-check", TWO[:1])
    texts = [p.text for p in paras]
    assert "附件：2024年公开信息统计表" in texts
    assert [p.text for p in paras if p.style == "GWAttachmentLabel"] == ["附件"]


def test_no_attachments_no_note(runner, tmp_path):
    paras = _build(runner, tmp_path, "self-check", [])
    assert not any(p.text.startswith("附件") for p in paras)
    assert not any(p.style == "GWAttachmentLabel" for p in paras)
