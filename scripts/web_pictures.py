"""Make the README's pictures of the desk from the browser tests' screenshots.

    pytest tests/test_web_browser.py && python scripts/web_pictures.py   # writes docs/img/web-*.png

The browser tests keep a full-page screenshot of every page in build/test-artifacts/web/;
this keeps the top of the ones the README shows, in 256 colours.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "test-artifacts" / "web"
OUT = ROOT / "docs" / "img"
# README picture ← screenshot, and how many pixels from the top it keeps
PICTURES = {
    "web-start.png": ("01-start.png", 1000),
    "web-findings.png": ("02-findings.png", 1300),
    "web-documents.png": ("03-documents.png", 1000),
    "web-dashboard.png": ("13-rolled-up.png", 800),
    "web-audit.png": ("14-audit.png", 700),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (shot, height) in PICTURES.items():
        with Image.open(SHOTS / shot) as image:
            kept = image.convert("RGB").crop((0, 0, image.width, min(height, image.height)))
            kept.quantize(colors=256).save(OUT / name, optimize=True)
        print(f"{OUT / name}")


if __name__ == "__main__":
    main()
