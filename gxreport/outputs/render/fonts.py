"""The fonts a PDF is rendered with on Linux (docs/layout.md "Fonts on the machine that renders").

The .docx names the faces offices have (仿宋_GB2312, 方正小标宋简体…). A Linux machine
has none of them, so soffice runs with ``fonts.conf`` (shipped in this package), which
aliases each name to an installed CJK face and then includes the system configuration.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from importlib.resources import files
from pathlib import Path

from gxreport.declare.page import PAGE

# The faces the .docx names, in the order a reader meets them.
OFFICIAL_FACES = (PAGE.faces.title, PAGE.faces.fangsong, PAGE.faces.heiti, PAGE.faces.kaiti, PAGE.faces.songti)


def fontconfig_file() -> Path:
    """The shipped fontconfig file (inside the package, so it is in the wheel)."""
    return Path(str(files("gxreport.outputs.render").joinpath("fonts.conf")))


def render_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with FONTCONFIG_FILE set to ours."""
    env = dict(os.environ if base is None else base)
    env["FONTCONFIG_FILE"] = str(fontconfig_file())
    return env


def substitutes() -> dict[str, str]:
    """Official face → the installed face fontconfig picks for it, e.g. 黑体 → Noto Sans CJK SC.

    Asks fc-match with our configuration; empty when fontconfig's tools are not installed.
    """
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return {}
    env = render_environment()
    found = {}
    for face in OFFICIAL_FACES:
        result = subprocess.run(
            [fc_match, "--format", "%{family[0]} %{style[0]}", face],
            env=env, capture_output=True, text=True, timeout=30, check=False,
        )
        if result.returncode == 0 and result.stdout.strip():
            found[face] = result.stdout.strip()
    return found
