"""The desk over HTTP (Flask's test client): what the browser tests do not cover.

Uploads of every kind of bad file end as a Chinese message, never a 500; names
from uploads are never paths; CSRF, the office's password, department links.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import shutil
import subprocess
import sys
import zipfile

import lxml.html
import pytest
from openpyxl import load_workbook

from gxreport import api
from gxreport.declare.kinds import builtin_templates_dir
from gxreport.web import storage
from gxreport.web.app import LOG_FILE, LOGIN_FAILURES_BEFORE_PAUSE, LOGIN_PAUSE_S, LoginThrottle, create_app
from tests.workbooks import make_workbook, requests, set_field

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse 2022"


@pytest.fixture()
def app(tmp_path):
    made = create_app(tmp_path / "data")
    yield made
    made.extensions["gx_storage"].close()
    logging.getLogger("gxreport.web").handlers.clear()


@pytest.fixture()
def client(app):
    return app.test_client()


def token(client, path: str = "/") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def upload(client, data: bytes, filename: str, path: str = "/upload", **fields):
    form = {"csrf_token": token(client, "/" if path == "/upload" else path.rsplit("/", 1)[0]), "file": (io.BytesIO(data), filename), **fields}
    response = client.post(path, data=form, content_type="multipart/form-data")
    if response.status_code == 302:
        response = client.get(response.headers["Location"])
    return response


def text(response) -> str:
    return response.get_data(as_text=True)


def sign_in(app, client) -> None:
    code = app.config["SETUP_CODE"]
    response = client.post("/office/setup", data={"csrf_token": token(client, "/office/setup"), "code": code,
                                                  "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/office")


def open_round(client, names, deadline=None) -> int:
    response = client.post("/office/rounds", data={
        "csrf_token": token(client, "/office"), "kind": "annual", "year": "2021",
        "deadline": (deadline or dt.date.today()).isoformat(), "departments": "\n".join(names)})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def department_links(client, round_id: int) -> dict[str, str]:
    page = text(client.get(f"/office/rounds/{round_id}"))
    rows = re.findall(r'<td class="name">([^<]+)</td>.*?value="http://localhost(/d/[^"]+)"', page, re.S)
    return dict(rows)


def test_start_page_is_chinese_and_loads_only_its_own_files(client):
    response = client.get("/")
    page = text(response)
    assert response.status_code == 200 and '<html lang="zh-CN">' in page and "下载空白工作簿" in page
    assert re.findall(r'(?:src|href)="(https?:)?//', page) == []
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'none'" in csp
    assert client.get("/static/desk.css").status_code == 200


@pytest.mark.parametrize("today, year", [("2026-11-28", 2026), ("2027-01-20", 2026), ("2027-04-02", 2027)])
def test_the_year_offered_is_the_report_being_prepared(app, client, monkeypatch, today, year):
    class Today(dt.date):
        @classmethod
        def today(cls):
            return cls.fromisoformat(today)

    monkeypatch.setattr(dt, "date", Today)
    offered = lxml.html.fromstring(client.get("/").data).xpath('//form[@action="/blank"]//input[@name="year"]/@value')
    assert offered == [str(year)]
    sign_in(app, client)
    offered = lxml.html.fromstring(client.get("/office").data).xpath('//input[@name="year"]/@value')
    assert offered == [str(year)]


def test_blank_workbook_is_inits_workbook_for_kind_year_and_agency(client, registry, tmp_path):
    response = client.post("/blank", data={"csrf_token": token(client), "kind": "summary", "year": "2022", "agency": "某县审计局"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    path = tmp_path / "blank.xlsx"
    path.write_bytes(response.data)
    report = api.load_report(path, registry)
    assert (report.kind.id, report.agency, report.year) == ("summary", "某县审计局", 2022)


def test_every_form_refuses_a_post_without_its_csrf_token(app, client):
    for path in ("/blank", "/upload", "/office/setup", "/office/login", "/office/rounds", "/office/logout"):
        response = client.post(path, data={"kind": "annual", "year": "2021"})
        assert response.status_code == 400, path
        assert "安全校验未通过" in text(response)


@pytest.mark.parametrize(
    ("filename", "data", "said"),
    [
        ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "不支持 .xls 格式"),
        ("报告.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版 .xls"),
        ("网页.xlsx", b"<html><body><table></table></body></html>", "网页"),
        ("空.xlsx", b"", "空"),
        ("坏.json", b"{not json", "JSON"),
        ("无后缀", b"hello", "无法识别的输入"),
    ],
)
def test_a_bad_upload_is_a_message_naming_the_file_never_a_500(client, filename, data, said):
    response = upload(client, data, filename)
    page = text(response)
    assert response.status_code == 200
    assert "文件无法读取" in page and said in page
    assert filename in page and "upload" not in re.search(r'id="message">([^<]*)<', page).group(1)


def test_a_message_that_names_the_file_itself_names_the_clerks_file(client, sample_2021):
    """The reader's message on damaged shared strings formats its own location (file!共享文本表第 n 行):
    the desk says it of the clerk's file, not of its copy."""
    with zipfile.ZipFile(sample_2021) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"><si><t>A</si></sst>'
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    page = text(upload(client, data.getvalue(), "各局报告.xlsx"))
    message = re.search(r'id="message">([^<]*)<', page).group(1)
    assert message.startswith("各局报告.xlsx!共享文本表第 1 行: 内容无法解析") and "upload" not in message


def test_file_names_are_never_paths_and_never_markup(client, tmp_path, registry):
    workbook = make_workbook(tmp_path / "w.xlsx", registry, "某县测试局", values=requests(2)).read_bytes()
    response = upload(client, workbook, "..\\../../<img src=x onerror=alert(1)>evil.xlsx")
    page = text(response)
    assert "检查通过" in page
    assert "检查结果：&lt;img src=x onerror=alert(1)&gt;evil.xlsx" in page and "<img src=x" not in page
    assert not (tmp_path / "evil.xlsx").exists() and not list(tmp_path.parent.glob("*evil*"))


def test_text_from_a_workbook_is_escaped_everywhere(client, tmp_path, registry):
    path = make_workbook(tmp_path / "w.xlsx", registry, '<script>alert("x")</script>局', values=requests(1))
    set_field(path, "成文日期", "<img src=x onerror=alert(1)>")
    page = text(upload(client, path.read_bytes(), "w.xlsx"))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;局" in page
    assert "“&lt;img src=x onerror=a”不是日期" in page  # in the finding about the date


def test_a_workbook_naming_a_templates_folder_is_refused(client, tmp_path, registry):
    custom = tmp_path / "custom"
    shutil.copytree(builtin_templates_dir() / "annual-2021", custom / "annual-2021")  # a folder on the server
    path = make_workbook(tmp_path / "w.xlsx", registry, "某县测试局", values=requests(1))
    wb = load_workbook(path)
    wb["_meta"].append(["templates", str(custom)])
    wb.save(path)
    page = text(upload(client, path.read_bytes(), "w.xlsx"))
    assert "只能使用内置的报告类型" in page


def test_an_upload_over_the_limit_is_a_413_page(client):
    form = {"csrf_token": token(client), "file": (io.BytesIO(bytes(22 * 1024 * 1024)), "大.xlsx")}
    response = client.post("/upload", data=form, content_type="multipart/form-data")
    assert response.status_code == 413 and "文件过大（上限 20 MB）" in text(response)


def test_an_internal_error_is_a_chinese_page_and_a_log_line(app, client, monkeypatch, tmp_path):
    from gxreport.web import desk

    monkeypatch.setattr(desk, "kinds_for_form", lambda registry: 1 / 0)
    response = client.get("/")
    assert response.status_code == 500 and "程序内部错误" in text(response) and "Traceback" not in text(response)
    log = (tmp_path / "data" / LOG_FILE).read_text(encoding="utf-8")
    assert "ZeroDivisionError" in log and "internal error on GET /" in log


def test_documents_are_stored_with_their_hash_and_served_from_storage(app, client, tmp_path, registry):
    workbook = make_workbook(tmp_path / "w.xlsx", registry, "某县测试局", values=requests(2)).read_bytes()
    response = upload(client, workbook, "w.xlsx")
    key = re.search(r"/result/([^/\"]+)/file/docx", text(response)).group(1)
    store = app.extensions["gx_storage"]
    item = store.submission(key)
    assert item["sha256"] == storage.sha256(workbook) and store.blob(item["sha256"]) == workbook
    docx = client.get(f"/result/{key}/file/docx")
    assert docx.data.startswith(b"PK") and storage.sha256(docx.data) == store.documents_of(item["id"])["docx"]["sha256"]
    html = client.get(f"/result/{key}/file/html?view=1")
    assert "sandbox" in html.headers["Content-Security-Policy"] and "某县测试局" in html.get_data(as_text=True)
    assert client.get("/result/" + "A" * 32).status_code == 404


def test_office_pages_need_the_password_set_with_the_setup_code(app, client):
    assert client.get("/office").headers["Location"].endswith("/office/setup")
    wrong = client.post("/office/setup", data={"csrf_token": token(client, "/office/setup"), "code": "guess",
                                               "password": PASSWORD, "confirm": PASSWORD})
    assert wrong.status_code == 403 and "设置码不正确" in text(wrong)
    sign_in(app, client)
    assert client.get("/office").status_code == 200
    client.post("/office/logout", data={"csrf_token": token(client, "/office")})
    assert client.get("/office").headers["Location"].endswith("/office/login")
    again = client.post("/office/setup", data={"csrf_token": token(client, "/office/login"), "code": app.config["SETUP_CODE"] or "",
                                               "password": "another password", "confirm": "another password"})
    assert again.headers["Location"].endswith("/office/login")  # set once: nobody replaces it this way
    bad = client.post("/office/login", data={"csrf_token": token(client, "/office/login"), "password": "wrong"})
    assert bad.status_code == 403 and "密码不正确" in text(bad)
    good = client.post("/office/login", data={"csrf_token": token(client, "/office/login"), "password": PASSWORD})
    assert good.headers["Location"].endswith("/office")


def test_wrong_passwords_pause_only_the_address_that_sent_them(app, client, tmp_path):
    sign_in(app, client)
    client.post("/office/logout", data={"csrf_token": token(client, "/office")})

    def login(address: str, password: str):
        return client.post("/office/login", data={"csrf_token": token(client, "/office/login"), "password": password},
                           environ_base={"REMOTE_ADDR": address})

    for _ in range(LOGIN_FAILURES_BEFORE_PAUSE):
        assert login("10.0.0.66", "guess").status_code == 403
    paused = login("10.0.0.66", PASSWORD)  # even the right password waits: the guesser learns nothing
    assert paused.status_code == 429 and f"请 {LOGIN_PAUSE_S} 秒后再试" in text(paused)
    office = login("10.0.0.7", PASSWORD)  # the office at its own desk is not locked out
    assert office.status_code == 302 and office.headers["Location"].endswith("/office")
    assert "10.0.0.66" in (tmp_path / "data" / LOG_FILE).read_text(encoding="utf-8")


def test_the_login_pause_forgets_old_failures_and_keeps_few_addresses(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("gxreport.web.app.time.monotonic", lambda: clock[0])
    throttle = LoginThrottle(limit=2, window_s=60, max_addresses=3)
    for address in ("a", "b", "a", "c"):
        clock[0] += 1
        throttle.failed(address)
    assert [throttle.paused(x) for x in "abc"] == [True, False, False]
    clock[0] += 1
    throttle.failed("d")  # a fourth address: the one quiet longest (b) is forgotten
    assert [throttle.paused(x) for x in "ab"] == [True, False]
    throttle.failed("b")  # b counts from one again; a, now quiet longest, is forgotten to make room
    assert [throttle.paused(x) for x in "ab"] == [False, False]
    throttle.failed("b")
    assert throttle.paused("b") is True
    clock[0] += 61
    assert [throttle.paused(x) for x in "abd"] == [False, False, False]


def test_a_department_sees_only_its_own_and_a_renewed_link_revokes_the_old(app, client, tmp_path, registry):
    sign_in(app, client)
    round_id = open_round(client, ["甲局", "乙局"], deadline=dt.date.today() - dt.timedelta(days=1))
    links = department_links(client, round_id)
    assert set(links) == {"甲局", "乙局"} and all(len(link.rsplit("/", 1)[1]) == 32 for link in links.values())
    department = app.test_client()  # another machine: no office session
    good = make_workbook(tmp_path / "甲.xlsx", registry, "甲局", values=requests(4)).read_bytes()
    page = text(upload(department, good, "甲局报告.xlsx", links["甲局"] + "/upload", submitter="张三"))
    assert "检查通过" in page
    assert "甲局报告.xlsx" in text(department.get(links["甲局"]))
    assert "甲局报告.xlsx" not in text(department.get(links["乙局"]))
    no_name = upload(department, good, "x.xlsx", links["乙局"] + "/upload")
    assert "请填写填报人姓名" in text(no_name)

    dashboard = text(client.get(f"/office/rounds/{round_id}"))
    assert re.search(r"甲局</td>\s*<td class=\"state-cell\">可生成 <span class=\"late\">逾期</span>", dashboard)
    assert re.search(r"乙局</td>\s*<td class=\"state-cell\">未提交 <span class=\"late\">逾期</span>", dashboard)
    assert "张三" in dashboard

    jia = int(re.search(r'id="department-(\d+)"', dashboard).group(1))
    client.post(f"/office/rounds/{round_id}/departments/{jia}/renew", data={"csrf_token": token(client, f"/office/rounds/{round_id}")})
    assert department.get(links["甲局"]).status_code == 404
    key = re.search(r"/result/([^\"]+)\"", dashboard).group(1)
    assert department.get(f"/result/{key}").status_code == 200  # the result link itself stays the clerk's
    new_link = department_links(client, round_id)["甲局"]
    assert new_link != links["甲局"] and department.get(new_link).status_code == 200


def test_a_round_refuses_the_wrong_kind_and_rolls_up_only_ready_reports(app, client, tmp_path, registry):
    sign_in(app, client)
    round_id = open_round(client, ["甲局", "乙局", "丙局"])
    links = department_links(client, round_id)
    summary = tmp_path / "总结.xlsx"
    api.init_workbook(summary, registry, "summary", 2021, "甲局")
    page = text(upload(app.test_client(), summary.read_bytes(), "总结.xlsx", links["甲局"] + "/upload", submitter="甲"))
    assert "本轮收取的是另一种报告" in page
    for name, count in (("甲局", 2), ("乙局", 5)):
        workbook = make_workbook(tmp_path / f"{name}.xlsx", registry, name, values=requests(count)).read_bytes()
        upload(app.test_client(), workbook, f"{name}.xlsx", links[name] + "/upload", submitter=name)
    bad = make_workbook(tmp_path / "丙.xlsx", registry, "丙局", values={("requests", "new", "natural_person"): 1})
    upload(app.test_client(), bad.read_bytes(), "丙.xlsx", links["丙局"] + "/upload", submitter="丙")

    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/office/rounds/{round_id}/documents.zip").data))
    assert sorted(archive.namelist()) == sorted(f"{n}2021年政府信息公开工作年度报告.{s}" for n in ("甲局", "乙局") for s in ("docx", "html"))
    response = client.post(f"/office/rounds/{round_id}/rollup", data={"csrf_token": token(client, f"/office/rounds/{round_id}"), "agency": "某县人民政府"})
    assert response.status_code == 302
    rolled = tmp_path / "rollup.xlsx"
    rolled.write_bytes(client.get(f"/office/rounds/{round_id}/rollup.xlsx").data)
    report = api.load_report(rolled, registry)
    assert report.value("requests", "new", "natural_person") == 7 and report.agency == "某县人民政府"
    overview = load_workbook(rolled)["汇总概览"]
    agencies = {value for row in overview.iter_rows(values_only=True) for value in row}
    assert {"甲局", "乙局"} <= agencies and "丙局" not in agencies


def test_office_pages_refuse_a_department_link_holder(app, client):
    sign_in(app, client)
    round_id = open_round(client, ["甲局"])
    stranger = app.test_client()
    for path in (f"/office/rounds/{round_id}", f"/office/rounds/{round_id}/documents.zip", f"/office/rounds/{round_id}/rollup.xlsx"):
        assert stranger.get(path).headers["Location"].endswith("/office/login"), path


def test_results_survive_a_restart(tmp_path, registry):
    first = create_app(tmp_path / "data")
    client = first.test_client()
    workbook = make_workbook(tmp_path / "w.xlsx", registry, "某县测试局", values=requests(2)).read_bytes()
    key = re.search(r"/result/([^/\"]+)/file/docx", text(upload(client, workbook, "w.xlsx"))).group(1)
    first.extensions["gx_storage"].close()
    second = create_app(tmp_path / "data")
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    response = second.test_client().get(f"/result/{key}")
    assert response.status_code == 200 and "检查通过" in text(response)
    second.extensions["gx_storage"].close()
    logging.getLogger("gxreport.web").handlers.clear()


def test_check_and_build_never_load_the_web_stack():
    code = "import sys; from gxreport import cli; print(sorted(m for m in ('flask', 'sqlalchemy', 'waitress', 'gxreport.web') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_next_years_workbook_from_last_years_report(client, tmp_path, registry):
    last = make_workbook(tmp_path / "2021.xlsx", registry, "某县测试局", values=requests(6, carried_out=4))
    form = {"csrf_token": token(client), "file": (io.BytesIO(last.read_bytes()), "去年.xlsx"), "year": ""}
    response = client.post("/next-year", data=form, content_type="multipart/form-data")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    made = tmp_path / "2022.xlsx"
    made.write_bytes(response.data)
    report = api.load_report(made, registry)
    assert (report.agency, report.year) == ("某县测试局", 2022)
    assert report.value("requests", "carried_in", "natural_person") == 4
    bad = {"csrf_token": token(client), "file": (io.BytesIO(b"not a report"), "去年.xlsx")}
    page = text(client.post("/next-year", data=bad, content_type="multipart/form-data"))
    assert "去年.xlsx" in page and "upload" not in page


def test_next_years_workbook_names_last_years_file_as_the_clerk_uploaded_it(client, tmp_path, registry):
    """The workbook remembers last year's report by the clerk's name for it: beside it on the clerk's
    computer the command line reads it; uploaded again, the desk's note names that file, not a copy."""
    last = make_workbook(tmp_path / "2021.xlsx", registry, "某县测试局", values=requests(6, carried_out=4))
    form = {"csrf_token": token(client), "file": (io.BytesIO(last.read_bytes()), "去年的报告.xlsx"), "year": ""}
    made = client.post("/next-year", data=form, content_type="multipart/form-data").data
    folder = tmp_path / "clerk"
    folder.mkdir()
    (folder / "2022.xlsx").write_bytes(made)
    # Last year's file as the clerk has it, corrected since (5 carried over): the check reads that file.
    make_workbook(folder / "去年的报告.xlsx", registry, "某县测试局", values=requests(6, carried_out=5))
    assert api.load_report(folder / "2022.xlsx", registry).previous == (folder / "去年的报告.xlsx").resolve()
    r5 = [f.message for f in api.check_file(folder / "2022.xlsx", registry).findings if f.rule == "R5"]
    assert r5 and all("（上年：去年的报告.xlsx!表三!" in m for m in r5)
    page = lxml.html.fromstring(text(upload(client, made, "今年.xlsx")))
    notes = [row.text_content() for row in page.iter("tr") if "工作簿记录的上年报告" in row.text_content()]
    assert len(notes) == 1 and "去年的报告.xlsx" in notes[0] and "今年.xlsx" not in notes[0]
    assert "upload" not in page.text_content() and ".next" not in page.text_content()


def test_a_workbook_naming_last_years_file_on_the_server_does_not_read_it(client, tmp_path, registry):
    """R5 from the server's own file would show its numbers to whoever uploads: the recorded figures count."""
    server_file = make_workbook(tmp_path / "服务器上的文件.xlsx", registry, "某县测试局", year=2020, values=requests(9, carried_out=9))
    path = make_workbook(tmp_path / "w.xlsx", registry, "某县测试局", values=requests(2))
    wb = load_workbook(path)
    wb["_meta"].append(["previous", str(server_file)])
    wb.save(path)
    assert any(f.rule == "R5" for f in api.check_file(path, registry).findings)  # the command line reads it
    page = text(upload(client, path.read_bytes(), "w.xlsx"))
    shown = lxml.html.fromstring(page).text_content()  # not the CSRF token, which may hold "R5"
    assert "检查通过" in shown and "R5" not in shown and str(tmp_path) not in page


def test_without_libreoffice_the_page_says_so_and_pdf_is_a_message(tmp_path, registry):
    app = create_app(tmp_path / "data", soffice="/nowhere/soffice")
    client = app.test_client()
    workbook = make_workbook(tmp_path / "w.xlsx", registry, "某县测试局", values=requests(2)).read_bytes()
    page = text(upload(client, workbook, "w.xlsx"))
    assert "本机未安装 LibreOffice" in page and "make-pdf" not in page and 'id="download-docx"' in page
    key = re.search(r"/result/([^/\"]+)/file/docx", page).group(1)
    response = client.post(f"/result/{key}/pdf", data={"csrf_token": token(client)})
    assert response.status_code == 503 and "未找到 LibreOffice" in text(response)
    app.extensions["gx_storage"].close()
    logging.getLogger("gxreport.web").handlers.clear()


def test_the_workbooks_instructions_name_the_desk(client, tmp_path):
    response = client.post("/blank", data={"csrf_token": token(client), "kind": "annual", "year": "2021", "agency": "某局"})
    path = tmp_path / "blank.xlsx"
    path.write_bytes(response.data)
    lines = [str(row[0]) for row in load_workbook(path)["说明"].iter_rows(values_only=True) if row[0]]
    assert any("“报告工作台”网页上传本文件" in line for line in lines)
    assert any("gxreport serve" in line for line in lines)


class _FakeServer:
    effective_port = 8765
    made: dict = {}

    def __init__(self, app, **options):
        _FakeServer.made = options

    def run(self):
        raise KeyboardInterrupt

    def close(self):
        pass


def test_serve_listens_on_localhost_unless_told_and_prints_the_setup_link(runner, monkeypatch, tmp_path):
    import waitress.server

    from gxreport.cli import app as cli_app

    monkeypatch.setattr(waitress.server, "create_server", _FakeServer)
    result = runner.invoke(cli_app, ["serve", "--no-browser", "--data", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert _FakeServer.made["host"] == "127.0.0.1" and _FakeServer.made["port"] == 8765
    assert "报告工作台已启动：http://127.0.0.1:8765/" in result.output
    assert re.search(r"office/setup\?code=[A-Za-z0-9_-]{16} ", result.output)
    lan = runner.invoke(cli_app, ["serve", "--no-browser", "--host", "0.0.0.0", "--port", "9000", "--data", str(tmp_path / "d")])
    assert _FakeServer.made["host"] == "0.0.0.0" and "本单位网络中的其他电脑可以访问" in lan.output
    logging.getLogger("gxreport.web").handlers.clear()


def test_serve_on_a_port_in_use_is_a_usage_error(runner, tmp_path):
    import socket

    from gxreport.cli import app as cli_app

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli_app, ["serve", "--no-browser", "--port", str(port), "--data", str(tmp_path / "d")])
    assert result.exit_code == 2 and f"无法在 127.0.0.1:{port} 上启动" in result.output and "Traceback" not in result.output
    logging.getLogger("gxreport.web").handlers.clear()


def test_a_revoked_link_neither_uploads_nor_shows_results_until_renewed(app, client, tmp_path, registry):
    sign_in(app, client)
    round_id = open_round(client, ["甲局"])
    link = department_links(client, round_id)["甲局"]
    department = app.test_client()
    workbook = make_workbook(tmp_path / "甲.xlsx", registry, "甲局", values=requests(1)).read_bytes()
    page = text(upload(department, workbook, "甲.xlsx", link + "/upload", submitter="张三"))
    key = re.search(r"/result/([^/\"]+)/file/docx", page).group(1)
    dashboard = text(client.get(f"/office/rounds/{round_id}"))
    jia = int(re.search(r'id="department-(\d+)"', dashboard).group(1))
    client.post(f"/office/rounds/{round_id}/departments/{jia}/revoke", data={"csrf_token": token(client, "/office")})
    assert "链接已停用" in text(client.get(f"/office/rounds/{round_id}"))
    assert department.get(link).status_code == 404
    refused = department.post(link + "/upload", data={"csrf_token": token(department), "file": (io.BytesIO(workbook), "甲.xlsx"), "submitter": "张三"},
                              content_type="multipart/form-data")
    assert refused.status_code == 404
    assert department.get(f"/result/{key}").status_code == 404 and department.get(f"/result/{key}/file/docx").status_code == 404
    assert client.get(f"/result/{key}").status_code == 200  # the office still sees it
    client.post(f"/office/rounds/{round_id}/departments/{jia}/renew", data={"csrf_token": token(client, "/office")})
    renewed = department_links(client, round_id)["甲局"]
    assert department.get(renewed).status_code == 200 and department.get(f"/result/{key}").status_code == 200
