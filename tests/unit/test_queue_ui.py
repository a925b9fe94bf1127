"""Queue pages' small helpers: the center code from a path is sanitised, the QR is an SVG data URI."""

from __future__ import annotations

import base64

from onestop.ui.components.queue_widgets import qr_data_uri
from onestop.ui.display.display import _center_from_path
from onestop.ui.display.kiosk import _code_from_path


def test_center_code_from_path_keeps_only_safe_characters():
    assert _center_from_path("/display/X01/") == "X01"
    assert _center_from_path("/display/X01<script>") == "X01script"
    assert _center_from_path("/kiosk/X01") == ""
    assert _code_from_path("/qr/P01", "qr") == "P01"
    assert _code_from_path("/kiosk/" + "A" * 40, "kiosk") == "A" * 20


def test_qr_is_an_svg_data_uri_of_the_link():
    uri = qr_data_uri("http://localhost:3000/ticket?t=abc")
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert "<svg" in svg and "path" in svg
    assert qr_data_uri("http://a/1") != qr_data_uri("http://a/2")
