"""The clerk's desk: ``gxreport serve``, a local web application over the library.

Imported only by the ``serve`` command, so ``check`` and ``build`` never load Flask.
"""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

from ..errors import InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
THREADS = 8
# waitress refuses bodies past this before Flask sees them; Flask's own limit (a Chinese page) is lower
MAX_REQUEST_BODY = 64 * 1024 * 1024


def default_data_dir() -> Path:
    return Path.home() / "gxreport-data"


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    data_dir: Path | None = None,
    database_url: str | None = None,
    open_browser: bool = True,
    soffice: str | None = None,
    say=print,
) -> None:
    """Run the desk until interrupted."""
    from waitress.server import create_server

    from .app import create_app

    data_dir = data_dir or default_data_dir()
    app = create_app(data_dir, database_url, soffice=soffice)
    try:
        server = create_server(app, host=host, port=port, threads=THREADS, max_request_body_size=MAX_REQUEST_BODY,
                               ident="gxreport")
    except OSError as exc:
        raise InputError(f"无法在 {host}:{port} 上启动（{exc.strerror}）：端口可能已被占用，请用 --port 换一个端口") from None
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    url = f"http://{shown_host}:{server.effective_port}/"
    say(f"报告工作台已启动：{url}")
    say(f"数据文件夹：{data_dir}（数据库、上传的文件、生成的文档和日志 gxreport-web.log）")
    if host != DEFAULT_HOST:
        say(f"注意：已在 {host} 上开放，本单位网络中的其他电脑可以访问。")
    code = app.config["SETUP_CODE"]
    if code:
        say(f"政务公开办首次使用请打开 {url}office/setup?code={code} 设置密码（设置码：{code}）")
    say("按 Ctrl+C 停止。")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        app.extensions["gx_storage"].close()
