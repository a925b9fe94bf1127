"""The one deadline-display rule and the shared formatting (read/format.py): pure, no database."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from onestop.domain.calendar import WorkingCalendar
from onestop.domain.deadlines import deadline_colour, display_colour
from onestop.domain.lifecycle import Status
from onestop.read.format import fee_texts, fmt_money, fmt_size

CAL = WorkingCalendar()
NOW = datetime(2026, 11, 23, 9, 0)  # a Monday morning


def test_finished_or_without_a_due_moment_shows_no_colour():
    due = NOW - timedelta(days=3)  # long past: would be red while running
    for status in (Status.RESULT_READY, Status.RETURNED, Status.SUBMITTED):
        expected = "" if status != Status.SUBMITTED else "grey"
        assert display_colour(NOW, due, CAL, status) == expected
    assert display_colour(NOW, None, CAL, Status.PROCESSING) == ""


def test_running_follows_the_traffic_light_and_a_pause_greys_it():
    assert display_colour(NOW, NOW - timedelta(hours=1), CAL, Status.PROCESSING) == "red"
    assert display_colour(NOW, NOW + timedelta(days=20), CAL, Status.RECEIVED) == "green"
    assert display_colour(NOW, NOW - timedelta(hours=1), CAL, Status.PROCESSING, paused_at=NOW) == "grey"
    assert display_colour(NOW, NOW - timedelta(hours=1), CAL, Status.SUPPLEMENT) == "grey"


@given(st.integers(min_value=-200, max_value=200), st.sampled_from([Status.RECEIVED, Status.PROCESSING]))
def test_while_the_clock_runs_it_is_exactly_the_traffic_light(hours, status):
    due = NOW + timedelta(hours=hours)
    assert display_colour(NOW, due, CAL, status) == deadline_colour(NOW, due, CAL, False)


def test_sizes_and_money_in_both_languages():
    assert fmt_size(1572864, "vi") == "1,5 MB" and fmt_size(1572864, "en") == "1.5 MB"
    assert fmt_size(10) == "1 KB" and fmt_size(5 * 1024) == "5 KB"
    assert fmt_money(135000, "vi") == "135.000 đồng" and fmt_money(135000, "en") == "135,000 VND"
    vi, en = fee_texts(0)
    assert vi and en and vi != fmt_money(0, "vi")
    assert fee_texts(8000) == ("8.000 đồng", "8,000 VND")


def test_the_preview_pane_shows_each_file_type_the_way_a_browser_can():
    from onestop.read.dossier_detail import browser_view

    assert browser_view("application/pdf") == "pdf"
    assert browser_view("image/jpeg") == browser_view("image/png") == browser_view("image/webp") == "image"
    # iPhone photos: no desktop browser draws HEIC, so the pane offers to open the file instead of a broken image
    assert browser_view("image/heic") == browser_view("image/heif") == "file"
    assert browser_view("application/octet-stream") == "file"
