"""The desk in a real browser (headless Chromium driven by Playwright) against `gxreport serve`.

The clerk's flow, the office's round with five departments (SQLite and PostgreSQL),
and the security rules; every page is kept as a screenshot under build/test-artifacts/web/.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from gxreport import api
from tests.conftest import required_program
from tests.web_support import RecordedPage, browser, database_url, live_server  # noqa: F401 - fixtures
from tests.workbooks import make_workbook, requests

AGENCY = "某县测试局"
PASSWORD = "办公室密码2022"
R1_BREAK = {("requests", "new", "natural_person"): 3}  # 3 came in, none handled: 表三 D7 does not balance


def _upload(page, path: Path, scope: str = "#upload") -> None:
    page.set_input_files(f"{scope} input[type=file]", str(path))
    page.click(f"{scope} button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_clerk_flow_r1_then_fixed_then_docx_pdf_and_previews(live_server, browser, registry, tmp_path):
    required_program("LibreOffice (soffice)", "soffice", "libreoffice")
    broken = make_workbook(tmp_path / "本局2021.xlsx", registry, AGENCY, values=R1_BREAK)
    fixed = make_workbook(tmp_path / "本局2021-改.xlsx", registry, AGENCY, values=requests(3))
    clerk = RecordedPage(browser)
    page = clerk.page
    page.goto(live_server.url)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "下载空白工作簿" in page.inner_text("#blank") and "上传" in page.inner_text("#upload")
    clerk.shot("01-start")

    # a blank workbook for the agency, as init makes it
    page.fill("#blank input[name=agency]", AGENCY)
    page.fill("#blank input[name=year]", "2021")
    with page.expect_download() as download:
        page.click("#blank button[type=submit]")
    blank = tmp_path / "blank.xlsx"
    download.value.save_as(blank)
    assert download.value.suggested_filename.endswith(".xlsx")
    assert api.load_report(blank, registry).agency == AGENCY

    _upload(page, broken)
    clerk.shot("02-findings")
    first = page.locator("#findings tbody tr").first
    assert first.locator("td.rule").inner_text() == "R1"
    assert "表三" in first.inner_text() and first.locator("td.cell").inner_text() == "D7"
    assert "本年新收 + 上年结转" in first.inner_text()  # the rule's meaning
    marked = page.locator("#table-requests td.error")
    assert "D7" in [marked.nth(i).get_attribute("data-cell") for i in range(marked.count())]
    assert page.locator("#table-requests td[data-cell=D7]").inner_text() == "3"
    assert page.locator("#downloads").count() == 0  # nothing to download while R1 stands

    # on a phone, or a window beside the workbook: no sideways scrolling, and the message as wide as the list
    page.set_viewport_size({"width": 390, "height": 844})
    clerk.shot("02-findings-phone")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    message, listing = first.locator("td.message").bounding_box(), page.locator("#findings table").bounding_box()
    assert message["width"] >= 0.95 * listing["width"] and message["x"] + message["width"] <= 390
    assert first.locator("td.cell").bounding_box()["y"] < message["y"]  # the cell first, on its own line
    page.set_viewport_size({"width": 1200, "height": 900})

    _upload(page, fixed, scope="main section:last-of-type")
    assert "检查通过" in page.inner_text("#verdict")
    with page.expect_download() as download:
        page.click("#download-docx")
    docx = tmp_path / download.value.suggested_filename
    download.value.save_as(docx)
    assert docx.suffix == ".docx"
    paragraphs = [p.text for p in Document(str(docx)).paragraphs if p.text.strip()]
    assert AGENCY in paragraphs[0] + paragraphs[1] and "年度报告" in "".join(paragraphs[:3])

    page.click("#make-pdf")
    page.wait_for_load_state()
    images = page.locator("#preview img")
    assert images.count() >= 2
    assert page.evaluate("Array.from(document.querySelectorAll('#preview img')).every(i => i.naturalWidth > 400)")
    with page.expect_download() as download:
        page.click("#download-pdf")
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    clerk.shot("03-documents")

    assert clerk.outside(live_server.url) == []
    assert clerk.dialogs == []
    clerk.close()


def _setup_office(page, server) -> None:
    page.goto(server.url + "office")
    assert "/office/setup" in page.url
    page.fill("input[name=code]", server.setup_code)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/office")


def days_pass(server, database_url, round_id: int, days: int) -> None:
    """The calendar moves on: the round's deadline and every upload so far happened ``days`` earlier."""
    from sqlalchemy import select, update

    from gxreport.web import storage

    store = storage.Storage(storage.database_url(server.data_dir, database_url))
    rounds, submissions = storage.rounds, storage.submissions
    with store.engine.begin() as conn:
        deadline = dt.date.fromisoformat(conn.scalar(select(rounds.c.deadline).where(rounds.c.id == round_id)))
        conn.execute(update(rounds).where(rounds.c.id == round_id).values(deadline=(deadline - dt.timedelta(days=days)).isoformat()))
        for key, created in conn.execute(select(submissions.c.id, submissions.c.created)).all():
            conn.execute(update(submissions).where(submissions.c.id == key).values(created=created - dt.timedelta(days=days)))
    store.close()


DEPARTMENTS = ("县教育局", "县财政局", "县卫生健康委员会", "县自然资源局", "县市场监督管理局")


def test_office_round_with_five_departments(live_server, browser, registry, tmp_path, database_url):
    office = RecordedPage(browser)
    page = office.page
    _setup_office(page, live_server)
    page.select_option("select[name=kind]", "annual")
    page.fill("input[name=year]", "2021")
    page.fill("input[name=deadline]", dt.date.today().isoformat())
    page.fill("textarea[name=departments]", "\n".join(DEPARTMENTS))
    page.click("#new-round button[type=submit]")
    page.wait_for_load_state()
    links = {
        page.locator(f"#dashboard tr:has(td.name:text-is('{name}')) input.link-box").input_value(): name
        for name in DEPARTMENTS
    }
    assert len(links) == 5 and all(re.search(r"/d/[A-Za-z0-9_-]{32}$", link) for link in links)
    office.shot("10-round-opened")

    new_requests = {"县教育局": 3, "县财政局": 5, "县卫生健康委员会": 7}
    by_name = {name: link for link, name in links.items()}
    for name, count in new_requests.items():
        department = RecordedPage(browser)  # each department on its own machine: no shared cookies
        workbook = make_workbook(tmp_path / f"{name}.xlsx", registry, name, values=requests(count))
        department.page.goto(by_name[name])
        department.page.fill("input[name=submitter]", f"{name}填报员")
        _upload(department.page, workbook)
        assert "检查通过" in department.page.inner_text("#verdict")
        assert department.outside(live_server.url) == []
        department.close()
    erring = RecordedPage(browser)
    erring.page.goto(by_name["县自然资源局"])
    with erring.page.expect_download() as download:  # its own blank workbook: the round's kind and year, its name
        erring.page.click("#department-blank button[type=submit]")
    download.value.save_as(tmp_path / "自然资源空白.xlsx")
    blank = api.load_report(tmp_path / "自然资源空白.xlsx", registry)
    assert (blank.agency, blank.year, blank.kind.id) == ("县自然资源局", 2021, "annual")
    erring.page.fill("input[name=submitter]", "王某")
    _upload(erring.page, make_workbook(tmp_path / "自然资源.xlsx", registry, "县自然资源局", values=R1_BREAK))
    assert "有 1 个错误" in erring.page.inner_text("#verdict")  # the 总计 column repeats 自然人's: one error
    erring.page.goto(by_name["县自然资源局"])
    history = erring.page.locator("#history tbody tr")
    assert history.count() == 1 and "自然资源.xlsx" in history.inner_text()  # only its own submission
    erring.shot("11-department-page")
    erring.close()

    days_pass(live_server, database_url, int(page.url.rsplit("/", 1)[1]), days=3)
    page.reload()
    office.shot("12-dashboard")
    states = {
        name: page.locator(f"#dashboard tr:has(td.name:text-is('{name}')) td.state-cell").inner_text().strip()
        for name in DEPARTMENTS
    }
    assert states == {"县教育局": "可生成", "县财政局": "可生成", "县卫生健康委员会": "可生成",
                      "县自然资源局": "有错误", "县市场监督管理局": "未提交 逾期"}  # the late one: nothing by the deadline
    row = page.locator("#dashboard tr:has(td.name:text-is('县自然资源局'))").inner_text()
    assert "王某" in row and (dt.date.today() - dt.timedelta(days=3)).isoformat() in row

    with page.expect_download() as download:
        page.click("#download-zip")
    names = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())).namelist()
    assert sorted(n for n in names if n.endswith(".docx")) == sorted(f"{n}2021年政府信息公开工作年度报告.docx" for n in new_requests)

    page.fill("#rollup input[name=agency]", "某县人民政府")
    page.click("#rollup button[type=submit]")
    page.wait_for_load_state()
    office.shot("13-rolled-up")
    with page.expect_download() as download:
        page.click("#download-rollup")
    rolled = tmp_path / "汇总.xlsx"
    download.value.save_as(rolled)
    report = api.load_report(rolled, registry)
    assert report.agency == "某县人民政府"
    assert report.value("requests", "new", "natural_person") == 3 + 5 + 7  # the erring and the late one left out

    page.click("#round-audit button[type=submit]")  # the ready departments' documents audited
    page.wait_for_load_state()
    office.shot("15-round-audit")
    audited = {page.locator("#audit tr.report td.agency").nth(i).inner_text(): page.locator("#audit tr.report td.status").nth(i).inner_text()
               for i in range(page.locator("#audit tr.report").count())}
    assert audited == {name: "通过" for name in new_requests}
    assert office.outside(live_server.url) == []
    office.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_office_audits_published_reports(live_server, browser, registry, tmp_path):
    reports = []
    for agency, values, suffix in (("县水务局", requests(4), ".html"), ("县交通运输局", R1_BREAK, ".docx")):
        workbook = make_workbook(tmp_path / f"{agency}.xlsx", registry, agency, values=values)
        reports.append(tmp_path / f"{agency}已发布{suffix}")
        api.build_file(workbook, registry, output=reports[-1], options=api.Options(formats=(suffix[1:],), force=True))
    office = RecordedPage(browser)
    page = office.page
    _setup_office(page, live_server)
    page.set_input_files("#audit input[type=file]", [str(p) for p in reports])
    page.click("#audit button[type=submit]")
    page.wait_for_load_state()
    office.shot("14-audit")
    rows = page.locator("#audit tr.report")
    assert rows.count() == 2
    good, broken = (page.locator(f"#audit tr.report:has(td.file:text-is('{p.name}'))") for p in reports)
    assert good.locator("td.agency").inner_text() == "县水务局" and good.locator("td.status").inner_text() == "通过"
    assert broken.locator("td.agency").inner_text() == "县交通运输局" and broken.locator("td.status").inner_text() == "有错误"
    assert broken.locator("td[data-rule=R1]").inner_text().startswith("错误")
    assert good.locator("td[data-rule=R1]").inner_text() == "通过"
    details = page.locator("#audit tr.details").first.inner_text()
    assert "R1" in details and f"{reports[1].name}!表三!" in details  # the broken rule and where

    with page.expect_download() as download:
        page.click("#download-audit")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    ws = load_workbook(saved)["报告"]
    heads = [c.value for c in ws[1]]
    table = {r[0]: dict(zip(heads, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(table) == {p.name for p in reports}
    assert table[reports[1].name]["R1"].startswith("错误") and table[reports[1].name]["机关"] == "县交通运输局"
    assert table[reports[0].name]["审核结果"] == "通过"

    page.goto(live_server.url + "office")
    assert page.locator("#audit table.list tbody tr").count() == 1  # the audit is kept and listed
    assert office.outside(live_server.url) == []
    office.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_security_rules_in_the_browser(live_server, browser, registry, tmp_path):
    visitor = RecordedPage(browser)
    page = visitor.page

    response = page.goto(live_server.url + "d/" + "x" * 32)  # a guessed department link
    assert response.status == 404 and "链接可能已失效" in page.inner_text("#message")
    visitor.shot("20-wrong-token")

    page.goto(live_server.url)  # a form without its CSRF token is refused
    page.evaluate("document.querySelector('#blank input[name=csrf_token]').remove()")
    page.click("#blank button[type=submit]")
    page.wait_for_load_state()
    assert "安全校验未通过" in page.inner_text("#message")
    visitor.shot("21-missing-csrf")

    page.goto(live_server.url)
    oversized = tmp_path / "大文件.xlsx"
    oversized.write_bytes(b"PK" + bytes(22 * 1024 * 1024))
    _upload(page, oversized)
    assert "文件过大" in page.inner_text("#message")
    visitor.shot("22-oversized")

    page.goto(live_server.url)
    script = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    hostile = make_workbook(tmp_path / "脚本.xlsx", registry, script + "局", values=R1_BREAK)
    _upload(page, hostile)
    assert script + "局" in page.inner_text("#verdict")  # shown as text
    assert page.locator("#verdict script, #verdict img").count() == 0
    visitor.shot("23-script-in-cell")

    page.goto(live_server.url + "office/rounds/1")  # the office's pages need the password
    assert "/office/setup" in page.url
    assert visitor.dialogs == []
    assert visitor.outside(live_server.url) == []
    visitor.close()
