"""The office audits published reports from the desk (``gxreport audit`` behind a page).

Uploaded reports, or a round's built documents, are read and checked as the
command does; the page lists one row per report and the audit workbook is
stored with the files, each under its hash.
"""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest
from openpyxl import load_workbook

from gxreport import api
from gxreport.inputs.jsonform import report_to_dict
from gxreport.declare.kinds import builtin_templates_dir
from gxreport.web import storage
from gxreport.web.app import MAX_AUDIT_BYTES
from tests.test_web_http import app, client, department_links, open_round, sign_in, text, token, upload  # noqa: F401
from tests.workbooks import make_report, make_workbook, requests

R1_BREAK = {("requests", "new", "natural_person"): 3}  # 3 came in, none handled: 表三 D7 does not balance


def published(registry, tmp_path, agency: str, suffix: str, values: dict) -> bytes:
    """An agency's report as it publishes it: built from its workbook (errors and all)."""
    workbook = make_workbook(tmp_path / f"{agency}.xlsx", registry, agency, values=values)
    out = tmp_path / f"{agency}{suffix}"
    api.build_file(workbook, registry, output=out, options=api.Options(formats=(suffix[1:],), force=True))
    return out.read_bytes()


def narrative_json(registry) -> bytes:
    """A report whose text says 5 requests came in where its table has 2 (R10)."""
    report = make_report(registry, "某县统计局", values={("requests", "new", "natural_person"): 2,
                                                     ("requests", "disclosed", "natural_person"): 2})
    report.blocks[0] = report.blocks[0].__class__("一", 2, "依申请公开", "全年共收到政府信息公开申请5件。")
    return json.dumps(report_to_dict(report), ensure_ascii=False, default=str).encode("utf-8")


def audit(client, files: list[tuple[str, bytes]]):
    form = {"csrf_token": token(client, "/office"), "files": [(io.BytesIO(data), name) for name, data in files]}
    response = client.post("/office/audits", data=form, content_type="multipart/form-data")
    if response.status_code == 302:
        response = client.get(response.headers["Location"])
    return response


def rows_of(page: str) -> dict[str, str]:
    """Each report's row on the page (file name → the row's and its details' text, tags dropped)."""
    found = re.findall(r'<tr class="report[^"]*">\s*<td class="file">([^<]*)</td>(.*?)</tr>(\s*<tr class="details">.*?</tr>)?', page, re.S)
    return {name: re.sub(r"<[^>]+>", " ", row + details) for name, row, details in found}


def test_uploaded_reports_get_a_row_each_and_the_workbook(app, client, registry, tmp_path):
    sign_in(app, client)
    files = [
        ("水利局.html", published(registry, tmp_path, "某县水利局", ".html", requests(3))),
        ("教育局.docx", published(registry, tmp_path, "某县教育局", ".docx", R1_BREAK)),
        ("统计局.json", narrative_json(registry)),
        ("坏文件.pdf", b"not a pdf"),
    ]
    response = audit(client, files)
    page = text(response)
    assert response.status_code == 200, page
    rows = rows_of(page)
    assert list(rows) == ["水利局.html", "教育局.docx", "统计局.json", "坏文件.pdf"]
    assert "某县水利局" in rows["水利局.html"] and "通过" in rows["水利局.html"] and "错误" not in rows["水利局.html"]
    broken = rows["教育局.docx"]
    assert "某县教育局" in broken and "2021" in broken and "有错误" in broken
    assert re.search(r'data-rule="R1">错误 \d', page)
    assert re.search(r"R1\s+教育局\.docx!表三!", broken)  # the cell, said about the file as uploaded
    assert "收到申请" in rows["统计局.json"] and "5" in rows["统计局.json"]  # the narrative mismatch (R10)
    assert "无法读取" in rows["坏文件.pdf"] and "坏文件.pdf: 不是有效的 PDF 文件" in rows["坏文件.pdf"]
    assert "upload-" not in page and str(tmp_path) not in page  # no name the server gave the files

    download = client.get(re.search(r'id="download-audit" href="([^"]+)"', page).group(1))
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    wb = load_workbook(io.BytesIO(download.data))
    ws = wb["报告"]
    heads = [c.value for c in ws[1]]
    table = {r[0]: dict(zip(heads, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(table) == {"水利局.html", "教育局.docx", "统计局.json", "坏文件.pdf"}
    assert table["教育局.docx"]["R1"].startswith("错误") and table["教育局.docx"]["机关"] == "某县教育局"
    assert "教育局.docx!表三!" in table["教育局.docx"]["错误位置"]
    assert table["水利局.html"]["审核结果"] == "通过" and table["坏文件.pdf"]["审核结果"] == "无法读取"
    assert table["坏文件.pdf"]["文件路径"] == "坏文件.pdf"  # never the server's folder

    store = app.extensions["gx_storage"]
    stored = store.audit(1)
    assert [f["filename"] for f in stored["files"]] == [name for name, _ in files]
    for (_, data), kept in zip(files, stored["files"]):
        assert kept["sha256"] == storage.sha256(data) and store.blob(kept["sha256"]) == data
    assert store.blob(stored["sha256"]) == download.data
    office = text(client.get("/office"))
    assert "<title>政务公开办 - " in office
    assert office.index("<main>") < office.index('<section class="card" id="audit">') < office.index("上传的报告") < office.index("</main>")


def test_a_round_audits_its_ready_departments_documents(app, client, registry, tmp_path):
    sign_in(app, client)
    round_id = open_round(client, ["县教育局", "县财政局", "县林业局"])
    links = department_links(client, round_id)
    for name, values in (("县教育局", requests(3)), ("县财政局", requests(5)), ("县林业局", R1_BREAK)):
        workbook = make_workbook(tmp_path / f"{name}.xlsx", registry, name, values=values)
        upload(client, workbook.read_bytes(), workbook.name, path=links[name] + "/upload", submitter="填报员")
    response = client.post(f"/office/rounds/{round_id}/audit", data={"csrf_token": token(client, f"/office/rounds/{round_id}")})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    rows = rows_of(page)
    assert sorted(rows) == ["县教育局-县教育局2021年政府信息公开工作年度报告.docx", "县财政局-县财政局2021年政府信息公开工作年度报告.docx"]
    assert all("通过" in row for row in rows.values())  # the documents built say what their workbooks said
    assert f'href="/office/rounds/{round_id}"' in page
    empty = open_round(client, ["县审计局"])
    refused = client.post(f"/office/rounds/{empty}/audit", data={"csrf_token": token(client, f"/office/rounds/{empty}")})
    assert refused.status_code == 400 and "没有可审核的报告" in text(refused)


def test_an_uploaded_workbook_is_audited_without_reading_the_servers_files(app, client, registry, tmp_path):
    sign_in(app, client)
    custom = tmp_path / "custom"
    shutil.copytree(builtin_templates_dir() / "annual-2021", custom / "annual-2021")  # a folder on the server
    server_file = make_workbook(tmp_path / "服务器上的文件.xlsx", registry, "某县测试局", year=2020, values=requests(9, carried_out=9))
    files = []
    for name, meta in (("自带模板.xlsx", ["templates", str(custom)]), ("指向上年.xlsx", ["previous", str(server_file)])):
        path = make_workbook(tmp_path / name, registry, "某县测试局", values=requests(2))
        wb = load_workbook(path)
        wb["_meta"].append(meta)
        wb.save(path)
        files.append((name, path.read_bytes()))
    assert any(f.rule == "R5" for f in api.check_file(path, registry).findings)  # the command line reads it
    page = text(audit(client, files))
    rows = rows_of(page)
    assert "无法读取" in rows["自带模板.xlsx"] and "只能使用内置的报告类型" in rows["自带模板.xlsx"]
    assert "通过" in rows["指向上年.xlsx"] and "R5" not in rows["指向上年.xlsx"] and str(tmp_path) not in page


@pytest.mark.parametrize(
    ("files", "status", "said"),
    [
        ([], 400, "请选择要审核的已发布报告"),
        ([("说明.txt", b"text")], 400, "说明.txt: 不是可审核的报告"),
        ([("a.html", b"x")] * 101, 400, "一次最多审核 100 份"),
        ([("大.pdf", b"%PDF" + bytes(21 * 1024 * 1024))], 413, "大.pdf: 文件过大"),
        ([(f"大{i}.pdf", bytes(16 * 1024 * 1024)) for i in range(MAX_AUDIT_BYTES // (16 * 1024 * 1024) + 1)], 413, "合计过大"),
    ],
)
def test_a_bad_audit_upload_is_a_message(app, client, files, status, said):
    sign_in(app, client)
    response = audit(client, files)
    assert response.status_code == status and said in text(response), text(response)[:2000]
    assert app.extensions["gx_storage"].audit(1) is None


def test_audit_pages_need_the_office_password(app, client, registry, tmp_path):
    sign_in(app, client)
    audit(client, [("坏文件.pdf", b"not a pdf")])
    stranger = app.test_client()
    for path in ("/office/audits/1", "/office/audits/1/audit.xlsx"):
        assert stranger.get(path).headers["Location"].endswith("/office/login"), path
    form = {"csrf_token": token(stranger, "/"), "files": [(io.BytesIO(b"x"), "a.html")]}
    assert stranger.post("/office/audits", data=form, content_type="multipart/form-data").headers["Location"].endswith("/office/login")
    assert client.get("/office/audits/99").status_code == 404
