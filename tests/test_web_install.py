"""What an install without the checkout needs: the samples the kinds name ship in the wheel."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_kinds_sample_exists_and_ships_in_the_wheel(registry, runner, monkeypatch, tmp_path):
    from gxreport.cli import app

    shipped = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for kind in registry.all():
        assert kind.sample_file is not None and kind.sample_file.is_file(), kind.id
        assert shipped.get(kind.sample) == "gxreport/" + kind.sample, kind.sample  # beside gxreport/templates
    monkeypatch.chdir(tmp_path)  # not the checkout: as after an install, the samples' full paths
    listed = runner.invoke(app, ["kinds"]).output
    assert f"样例：{ROOT / 'data' / '2021.xlsx'}、{ROOT / 'data' / '2019.xlsx'}\n" in listed
