"""The desk's pages (Flask): the clerk's flow, a department's link, the office's rounds.

Server-rendered Jinja pages, no script; the style sheet is served from the
package. Every form carries a CSRF token (Flask-WTF); the office's pages need
the password set on first start with the one-time code the server printed;
a department's link is a secret token the office can renew, which revokes the
old one. Every failure is a Chinese message on a page, never a traceback;
tracebacks go to the log file in the data folder.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import secrets
import threading
import time
import zipfile
from functools import wraps
from pathlib import Path

from flask import Flask, abort, redirect, render_template, request, send_file, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.security import check_password_hash, generate_password_hash

from ..office.audit import AUDIT_SUFFIXES
from ..errors import GxError
from ..fsio import safe_filename
from ..declare.kinds import Registry
from ..inputs.workbook.guard import MAX_FILE_BYTES
from . import desk, storage

LOG_FILE = "gxreport-web.log"
FORM_ALLOWANCE = 1024 * 1024  # the form's other fields around the file
MIN_PASSWORD = 8
MAX_DEPARTMENTS = 500
# An audit takes a county's published reports at once: each within the workbook guard's size,
# all together under waitress's body limit so the refusal is this page's, in Chinese.
MAX_AUDIT_FILES = 100
MAX_AUDIT_BYTES = 60 * 1024 * 1024
MAX_NAME = 100
LOGIN_FAILURES_BEFORE_PAUSE = 5
LOGIN_PAUSE_S = 60
READY_STATES = (storage.READY, storage.HAS_WARNINGS)
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "zip": "application/zip",
}
# Nothing is loaded from outside the machine, and a page from an upload can run nothing.
CSP = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'none'; object-src 'none'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
# A built web page shown in the browser: its own inline style only, no script, no form, no origin.
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"

log = logging.getLogger("gxreport.web")


class LoginThrottle:
    """Wrong office passwords counted per client address: an address that guesses pauses itself,
    never the office at another desk. (Flask-Limiter counts requests, not failures, and would be
    one more dependency for these few lines.) Memory stays bounded: old failures are forgotten and
    at most ``max_addresses`` addresses are remembered."""

    def __init__(self, limit: int, window_s: float, max_addresses: int = 10_000):
        self.limit, self.window_s, self.max_addresses = limit, window_s, max_addresses
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(address, ()) if t > now - self.window_s]
        if times:
            self._failures[address] = times
        else:
            self._failures.pop(address, None)
        return times

    def paused(self, address: str) -> bool:
        with self._lock:
            return len(self._recent(address, time.monotonic())) >= self.limit

    def failed(self, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            times = self._recent(address, now)
            if not times and len(self._failures) >= self.max_addresses:
                for stale in [a for a in self._failures if not self._recent(a, now)]:
                    self._failures.pop(stale, None)
                if len(self._failures) >= self.max_addresses:  # still full: forget the longest quiet
                    self._failures.pop(min(self._failures, key=lambda a: self._failures[a][-1]))
            self._failures[address] = times + [now]


def _log_to(data_dir: Path) -> None:
    path = (data_dir / LOG_FILE).resolve()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in log.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)


def create_app(
    data_dir: Path, database_url: str | None = None, registry: Registry | None = None, soffice: str | None = None
) -> Flask:
    data_dir.mkdir(parents=True, exist_ok=True)
    _log_to(data_dir)
    store = storage.Storage(storage.database_url(data_dir, database_url))
    registry = registry or Registry()

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=store.setting_or_create("secret_key", lambda: secrets.token_hex(32)),
        MAX_CONTENT_LENGTH=MAX_FILE_BYTES + FORM_ALLOWANCE,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # bound to the session: a clerk's page left open over lunch still works
        WTF_CSRF_SSL_STRICT=False,
    )
    app.extensions["gx_storage"] = store
    # Shown by `serve` when no password is set: whoever sets the password must see the console.
    app.config["SETUP_CODE"] = None if store.setting("password") else secrets.token_urlsafe(12)

    @app.before_request
    def audit_body_limit():
        """Before CSRFProtect reads the form: an audit's several files have their own limit."""
        if request.endpoint == "upload_audit":
            request.max_content_length = MAX_AUDIT_BYTES + FORM_ALLOWANCE

    CSRFProtect(app)  # after the limit above: its check reads the form
    throttle = LoginThrottle(LOGIN_FAILURES_BEFORE_PAUSE, LOGIN_PAUSE_S)

    # -- helpers -------------------------------------------------------------------------
    def page(template: str, status: int = 200, **values):
        return render_template(template, **values), status

    def message(text: str, status: int = 400, title: str = "无法完成"):
        return page("message.html", status, title=title, text=text)

    def download(data: bytes, filename: str, kind: str, inline: bool = False):
        response = send_file(io.BytesIO(data), mimetype=CONTENT_TYPES[kind], as_attachment=not inline, download_name=filename)
        if inline:
            response.headers["Content-Security-Policy"] = DOCUMENT_CSP
        return response

    def office_required(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not store.setting("password"):
                return redirect(url_for("office_setup"))
            if not session.get("office"):
                return redirect(url_for("office_login"))
            return view(*args, **kwargs)

        return wrapped

    def store_outcome(data: bytes, filename: str, outcome: desk.Outcome, department_id=None, submitter="") -> str:
        return store.add_submission(
            data, desk.shown_name(filename), outcome.state, outcome.result, outcome.built,
            department_id=department_id, submitter=submitter, agency=outcome.agency,
            errors=outcome.errors, warnings=outcome.warnings,
        )

    def uploaded_file():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return None, None
        return upload.read(), upload.filename

    def visible_submission(key: str) -> dict:
        """A submission by its key; one of a department whose link was revoked only for the office."""
        item = store.submission(key)
        if item is None:
            abort(404)
        if item["department_id"] is not None and not session.get("office"):
            department = store.department(item["department_id"])
            if department is None or department.revoked:
                abort(404)
        return item

    @app.after_request
    def secure_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"  # links carry tokens
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def shared():
        return {"office_signed_in": bool(session.get("office"))}

    # -- errors: a page in Chinese, never a traceback ----------------------------------------
    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        log.warning("CSRF refused: %s %s", request.method, request.path)
        return message("安全校验未通过（表单缺少或带有过期的校验码）。请回到上一页刷新后重新提交。", 400, "请求被拒绝")

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc):
        limit = MAX_FILE_BYTES // (1024 * 1024)
        if request.endpoint == "upload_audit":
            return message(f"一次审核上传的文件合计过大（上限 {MAX_AUDIT_BYTES // (1024 * 1024)} MB，每份 {limit} MB）。请分几次审核。", 413)
        return message(f"上传的文件过大（上限 {limit} MB）。一份报告的工作簿通常不到 1 MB：请删除图片和多余的工作表后另存再上传。", 413)

    @app.errorhandler(404)
    def not_found(exc):
        return message("找不到这个页面。链接可能已失效（办公室可能已更换了您单位的上传链接），请向政务公开办索取新链接。", 404, "页面不存在")

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return message(f"请求无法处理（{exc.code}）。", exc.code or 400)

    @app.errorhandler(Exception)
    def internal(exc):
        log.exception("internal error on %s %s", request.method, request.path)
        return message("程序内部错误，已记录在数据文件夹的日志中。请把出错时的操作告诉维护人员。", 500, "出错了")

    # -- the clerk ---------------------------------------------------------------------------
    @app.get("/")
    def index():
        return page("index.html", kinds=desk.kinds_for_form(registry), default_year=registry.get(None).year_in_preparation(dt.date.today()))

    @app.post("/blank")
    def blank():
        kind_id = request.form.get("kind") or registry.default_kind_id()
        agency = request.form.get("agency", "").strip()[:MAX_NAME]
        try:
            year = int(request.form.get("year", ""))
        except ValueError:
            return message("请填写报告年度（如 2021）。")
        try:
            filename, data = desk.blank_workbook(registry, kind_id, year, agency)
        except GxError as exc:
            return message(str(exc))
        return download(data, filename, "xlsx")

    @app.post("/next-year")
    def next_year():
        data, filename = uploaded_file()
        if data is None:
            return message("请先选择上年的报告（工作簿、JSON，或已发布的 Word 文档、网页）。")
        year_text = request.form.get("year", "").strip()
        try:
            year = int(year_text) if year_text else None
            filename, workbook = desk.next_year_workbook(data, filename, registry, year)
        except ValueError:
            return message("报告年度应为数字（如 2022），也可以不填（取上年报告的下一年）。")
        except GxError as exc:
            return message(str(exc))
        return download(workbook, filename, "xlsx")

    @app.post("/upload")
    def upload():
        data, filename = uploaded_file()
        if data is None:
            return message("请先选择要上传的工作簿（.xlsx）或 JSON 报告。")
        key = store_outcome(data, filename, desk.check_upload(data, filename, registry))
        return redirect(url_for("result", key=key))

    @app.get("/result/<key>")
    def result(key: str):
        item = visible_submission(key)
        department = store.department(item["department_id"]) if item["department_id"] else None
        docs = store.documents_of(item["id"])
        pages = sorted((n for n in docs if n.startswith("page-")), key=lambda n: int(n.split("-")[1]))
        return page(
            "result.html", item=item, result=item["result"], docs=docs, pages=pages, department=department,
            pdf_possible=_soffice_found(soffice),
        )

    @app.get("/result/<key>/file/<name>")
    def result_file(key: str, name: str):
        item = visible_submission(key)
        doc = store.documents_of(item["id"]).get(name)
        if doc is None:
            abort(404)
        kind = "png" if name.startswith("page-") else name
        return download(store.blob(doc["sha256"]), doc["filename"], kind, inline=kind == "png" or "view" in request.args)

    @app.post("/result/<key>/pdf")
    def result_pdf(key: str):
        item = visible_submission(key)
        docs = store.documents_of(item["id"])
        if "docx" not in docs:
            return message("这份报告还有错误，没有生成 Word 文档，因而不能生成 PDF。")
        if "pdf" not in docs:
            try:
                pdf, pages = desk.pdf_and_pages(store.blob(docs["docx"]["sha256"]), soffice)
            except GxError as exc:
                return message(str(exc), 503)
            stem = docs["docx"]["filename"].rsplit(".", 1)[0]
            store.add_document(item["id"], "pdf", stem + ".pdf", pdf)
            for number, image in enumerate(pages, start=1):
                store.add_document(item["id"], f"page-{number}", f"{stem}-第{number}页.png", image)
        return redirect(url_for("result", key=key) + "#preview")

    # -- a department's link -------------------------------------------------------------------
    def department_or_404(token: str) -> storage.Department:
        department = store.department_by_token(token)
        if department is None:
            log.warning("unknown or revoked department token used from %s", request.remote_addr)
            abort(404)
        return department

    @app.get("/d/<token>")
    def department_page(token: str):
        department = department_or_404(token)
        return page(
            "department.html", department=department, round=store.round(department.round_id),
            submissions=store.submissions_of(department.id), token=token,
        )

    @app.post("/d/<token>/upload")
    def department_upload(token: str):
        department = department_or_404(token)
        data, filename = uploaded_file()
        if data is None:
            return message("请先选择要上传的工作簿（.xlsx）或 JSON 报告。")
        submitter = request.form.get("submitter", "").strip()[:MAX_NAME]
        if not submitter:
            return message("请填写填报人姓名，便于政务公开办联系。")
        kind = store.round(department.round_id)["kind"]
        outcome = desk.check_upload(data, filename, registry, expect_kind=kind)
        key = store_outcome(data, filename, outcome, department.id, submitter)
        return redirect(url_for("result", key=key))

    # -- the office ------------------------------------------------------------------------------
    @app.route("/office/setup", methods=["GET", "POST"])
    def office_setup():
        if store.setting("password"):
            return redirect(url_for("office_login"))
        if request.method == "GET":
            return page("office_setup.html", code=request.args.get("code", ""))
        code, password = request.form.get("code", ""), request.form.get("password", "")
        expected = app.config["SETUP_CODE"] or ""
        if not expected or not secrets.compare_digest(code.encode(), expected.encode()):
            return page("office_setup.html", 403, code="", error="设置码不正确。设置码显示在启动 gxreport serve 的命令行窗口中。")
        if len(password) < MIN_PASSWORD:
            return page("office_setup.html", 400, code=code, error=f"密码至少 {MIN_PASSWORD} 个字符。")
        if password != request.form.get("confirm", ""):
            return page("office_setup.html", 400, code=code, error="两次输入的密码不一致。")
        if not store.set_setting("password", generate_password_hash(password), only_if_absent=True):
            return redirect(url_for("office_login"))
        app.config["SETUP_CODE"] = None
        session.clear()
        session["office"] = True
        return redirect(url_for("office"))

    @app.route("/office/login", methods=["GET", "POST"])
    def office_login():
        if not store.setting("password"):
            return redirect(url_for("office_setup"))
        if request.method == "GET":
            return page("office_login.html")
        address = request.remote_addr or ""
        if throttle.paused(address):
            log.warning("office login refused while paused for %s", address)
            return page("office_login.html", 429, error=f"本机密码错误次数过多，请 {LOGIN_PAUSE_S} 秒后再试。")
        if not check_password_hash(store.setting("password"), request.form.get("password", "")):
            throttle.failed(address)
            log.warning("wrong office password from %s", address)
            return page("office_login.html", 403, error="密码不正确。")
        session.clear()
        session["office"] = True
        return redirect(url_for("office"))

    @app.post("/office/logout")
    def office_logout():
        session.clear()
        return redirect(url_for("index"))

    @app.get("/office")
    @office_required
    def office():
        return page("office.html", rounds=store.rounds(), kinds=desk.kinds_for_form(registry),
                    default_year=registry.get(None).year_in_preparation(dt.date.today()), audits=store.all_audits(),
                    audit_suffixes=AUDIT_SUFFIXES, max_audit_files=MAX_AUDIT_FILES, max_audit_mb=MAX_AUDIT_BYTES // (1024 * 1024))

    @app.post("/office/rounds")
    @office_required
    def open_round():
        kind_id = request.form.get("kind") or registry.default_kind_id()
        names = list(dict.fromkeys(n.strip()[:MAX_NAME] for n in request.form.get("departments", "").splitlines() if n.strip()))
        try:
            year = int(request.form.get("year", ""))
            deadline = dt.date.fromisoformat(request.form.get("deadline", "")).isoformat()
        except ValueError:
            return message("请填写报告年度（如 2021）和截止日期。")
        if not names:
            return message("请填写部门名单，每行一个部门。")
        if len(names) > MAX_DEPARTMENTS:
            return message(f"一轮最多 {MAX_DEPARTMENTS} 个部门。")
        try:
            registry.get(kind_id, year=year)
        except GxError as exc:
            return message(str(exc))
        round_id = store.open_round(kind_id, year, deadline, names)
        return redirect(url_for("round_page", round_id=round_id))

    def round_or_404(round_id: int) -> dict:
        found = store.round(round_id)
        if found is None:
            abort(404)
        return found

    def round_rows(round_id: int, deadline: str) -> list[dict]:
        latest = store.latest_submissions(round_id)
        late = dt.date.today() > dt.date.fromisoformat(deadline)
        rows = []
        for department in store.departments(round_id):
            submission = latest.get(department.id)
            rows.append({
                "department": department,
                "submission": submission,
                "state": submission["state"] if submission else storage.NOT_SUBMITTED,
                "late": (submission is None and late)
                or (submission is not None and submission["created"].date() > dt.date.fromisoformat(deadline)),
                "link": url_for("department_page", token=department.token, _external=True),
            })
        return rows

    @app.get("/office/rounds/<int:round_id>")
    @office_required
    def round_page(round_id: int):
        found = round_or_404(round_id)
        kind = registry.get(found["kind"], year=found["year"])
        rows = round_rows(round_id, found["deadline"])
        counts = {state: sum(r["state"] == state for r in rows) for state in
                  (storage.NOT_SUBMITTED, storage.UNREADABLE, storage.HAS_ERRORS, storage.HAS_WARNINGS, storage.READY)}
        return page("round.html", round=found, kind=kind, rows=rows, counts=counts, rollup=store.latest_rollup(round_id))

    def back_to_department(round_id: int, department_id: int):
        """The round page at the department's row, after a change to a department of that round (404 otherwise)."""
        department = store.department(department_id)
        if department is None or department.round_id != round_id:
            abort(404)
        return redirect(url_for("round_page", round_id=round_id) + f"#department-{department_id}")

    @app.post("/office/rounds/<int:round_id>/departments/<int:department_id>/renew")
    @office_required
    def renew_link(round_id: int, department_id: int):
        answer = back_to_department(round_id, department_id)
        store.renew_token(department_id)
        return answer

    @app.post("/office/rounds/<int:round_id>/departments/<int:department_id>/revoke")
    @office_required
    def revoke_link(round_id: int, department_id: int):
        answer = back_to_department(round_id, department_id)
        store.revoke(department_id)
        return answer

    @app.get("/office/rounds/<int:round_id>/documents.zip")
    @office_required
    def round_zip(round_id: int):
        found = round_or_404(round_id)
        buffer = io.BytesIO()
        names: set[str] = set()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for row in round_rows(round_id, found["deadline"]):
                if row["state"] not in READY_STATES:
                    continue
                for name, doc in sorted(store.documents_of(row["submission"]["id"]).items()):
                    if name in ("docx", "pdf", "html"):
                        entry = doc["filename"]
                        while entry in names:  # two departments with one title: keep both
                            entry = "_" + entry
                        names.add(entry)
                        archive.writestr(entry, store.blob(doc["sha256"]))
        return download(buffer.getvalue(), f"{found['year']}年度报告-第{round_id}轮.zip", "zip")

    @app.post("/office/rounds/<int:round_id>/rollup")
    @office_required
    def round_rollup(round_id: int):
        found = round_or_404(round_id)
        agency = request.form.get("agency", "").strip()[:MAX_NAME]
        if not agency:
            return message("请填写汇总报告的机关名称，如 某某县人民政府。")
        files = []
        for row in round_rows(round_id, found["deadline"]):
            if row["state"] in READY_STATES:
                submission = row["submission"]
                files.append((row["department"].name, submission["filename"], store.blob(submission["sha256"])))
        if not files:
            return message("还没有可以汇总的报告（状态为“可生成”或“有警告”的部门）。")
        try:
            data = desk.rollup_workbook(files, registry, agency, found["year"])
        except GxError as exc:
            return message(str(exc))
        store.add_rollup(round_id, f"{agency}{found['year']}年汇总.xlsx", data)
        return redirect(url_for("round_page", round_id=round_id) + "#rollup")

    @app.get("/office/rounds/<int:round_id>/rollup.xlsx")
    @office_required
    def round_rollup_file(round_id: int):
        doc = store.latest_rollup(round_id)
        if doc is None:
            abort(404)
        return download(store.blob(doc["sha256"]), doc["filename"], "xlsx")

    # -- audits of published reports ---------------------------------------------------------------
    def audit_and_store(files: list[tuple[str, bytes]], round_id: int | None, title: str):
        view, workbook = desk.audit_reports(files, registry)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        audit_id = store.add_audit(files, safe_filename(f"{title}审核结果-{stamp}", ".xlsx"), workbook, view, round_id)
        return redirect(url_for("audit_page", audit_id=audit_id))

    @app.post("/office/audits")
    @office_required
    def upload_audit():
        uploads = [u for u in request.files.getlist("files") if u.filename]
        if not uploads:
            return message("请选择要审核的已发布报告（网页 .html、Word .docx、PDF、工作簿 .xlsx 或 JSON），可一次选多份。")
        if len(uploads) > MAX_AUDIT_FILES:
            return message(f"一次最多审核 {MAX_AUDIT_FILES} 份报告，请分几次审核。")
        files = []
        for upload in uploads:
            name = desk.shown_name(upload.filename)
            if Path(name).suffix.lower() not in AUDIT_SUFFIXES:
                return message(f"{name}: 不是可审核的报告，应为 {'、'.join(AUDIT_SUFFIXES)} 文件。")
            data = upload.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                return message(f"{name}: 文件过大（每份上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）。", 413)
            files.append((name, data))
        return audit_and_store(files, None, "")

    @app.post("/office/rounds/<int:round_id>/audit")
    @office_required
    def round_audit(round_id: int):
        found = round_or_404(round_id)
        files = []
        for row in round_rows(round_id, found["deadline"]):
            docx = store.documents_of(row["submission"]["id"]).get("docx") if row["state"] in READY_STATES else None
            if docx is not None:
                files.append((f"{row['department'].name}-{docx['filename']}", store.blob(docx["sha256"])))
        if not files:
            return message("本轮还没有已生成文档的部门（状态为“可生成”或“有警告”），没有可审核的报告。")
        return audit_and_store(files, round_id, f"第{round_id}轮")

    @app.get("/office/audits/<int:audit_id>")
    @office_required
    def audit_page(audit_id: int):
        found = store.audit(audit_id)
        if found is None:
            abort(404)
        return page("audit.html", audit=found, result=found["result"])

    @app.get("/office/audits/<int:audit_id>/audit.xlsx")
    @office_required
    def audit_file(audit_id: int):
        found = store.audit(audit_id)
        if found is None:
            abort(404)
        return download(store.blob(found["sha256"]), found["filename"], "xlsx")

    return app


def _soffice_found(soffice: str | None) -> bool:
    from ..outputs.render.pdf import find_soffice

    return find_soffice(soffice) is not None
