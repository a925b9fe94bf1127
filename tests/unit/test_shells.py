"""Dynamic routes' prerendered shells (onestop/ui/shells.py): which paths get one, and that it is what is served.

Why: on a 400 kbit/s link an `/apply/<code>` link showed nothing for 8–10 s (the empty SPA fallback, then the
JavaScript); the shell paints the page's title from the HTML. These tests pin the two halves of the trick: React
Router is told to prerender the placeholder path, and the server answers every well-formed code with that file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from onestop.ui.shells import ICON_GROUP, PLACEHOLDER, SHELLS, ShellRoutes, shell_file, with_icon_group, with_shells

PROD_CONFIG = 'export default {"basename": "/", "ssr": false, "prerender": true, "build": "build"};'
DEV_CONFIG = 'export default {"basename": "/", "ssr": false};'


def test_prod_config_prerenders_the_shells_beside_the_static_routes() -> None:
    out = with_shells(PROD_CONFIG)
    assert '"prerender": true' not in out
    assert "...getStaticPaths()" in out
    assert f'"/apply/{PLACEHOLDER}"' in out
    assert out.endswith('"build": "build"};')


def test_dev_config_is_left_alone() -> None:
    assert with_shells(DEV_CONFIG) == DEV_CONFIG


@pytest.mark.parametrize(
    ("path", "shell"),
    [
        ("/apply/1.001193", "/apply/_.html"),
        ("/apply/1.001193/", "/apply/_.html"),
        ("/apply/SIM-00042", "/apply/_.html"),
        ("/apply/", None),
        ("/apply", None),
        ("/apply/a/b", None),
        ("/apply/%3Cscript%3E", None),
        ("/applyx/1.001193", None),
        ("/procedures/1.001193", None),
        ("/apply/" + "9" * 41, None),
    ],
)
def test_which_paths_get_a_shell(path: str, shell: str | None) -> None:
    assert shell_file(path) == shell


def _site(tmp_path: Path, with_shell: bool = True) -> TestClient:
    (tmp_path / "apply").mkdir()
    if with_shell:
        (tmp_path / "apply" / f"{PLACEHOLDER}.html").write_text("<h1>shell</h1>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<p>fallback</p>", encoding="utf-8")
    static = Starlette(routes=[Mount("/", app=StaticFiles(directory=tmp_path, html=True))])
    return TestClient(ShellRoutes(static, static_dir=tmp_path))


def test_every_code_is_answered_with_the_shell(tmp_path: Path) -> None:
    client = _site(tmp_path)
    for path in ("/apply/1.001193", "/apply/1.001612/", "/apply/1.001612?draft=1"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.text == "<h1>shell</h1>", path


def test_other_paths_and_methods_pass_through(tmp_path: Path) -> None:
    client = _site(tmp_path)
    assert client.get("/apply/a/b").text == "<p>fallback</p>"
    assert client.post("/apply/1.001193").status_code == 405  # StaticFiles' own answer, not the shell


def test_no_shell_built_no_rewrite(tmp_path: Path) -> None:
    client = _site(tmp_path, with_shell=False)
    answer = client.get("/apply/1.001193")
    assert answer.status_code == 404
    assert answer.text == "<p>fallback</p>"


def test_the_shells_are_placeholders_of_their_own_routes() -> None:
    for prefix, shell in SHELLS.items():
        assert shell == prefix + PLACEHOLDER


VITE = """      output: {
        codeSplitting: {
          groups: [
            {
              test: /env.json/,
              name: "reflex-env",
            },
          ],
        },
      },"""


def test_icons_are_grouped_into_one_chunk_once() -> None:
    out = with_icon_group(VITE)
    assert out.count(ICON_GROUP) == 1
    assert out.index(ICON_GROUP) < out.index("reflex-env")
    assert with_icon_group(out) == out
    assert with_icon_group("export default {};") == "export default {};"  # a config without groups: left alone
