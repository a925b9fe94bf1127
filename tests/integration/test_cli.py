"""The administrator's commands: deadline and calendar."""

from __future__ import annotations

from onestop.cli import main


def test_deadline_command(session, capsys):
    # Business household, 3 working days; Tuesday 24/11/2026 is Vietnamese Culture Day.
    assert main(["deadline", "--procedure", "1.001612", "--received", "2026-11-23 09:00"]) == 0
    assert capsys.readouterr().out.strip() == "2026-11-27T17:00"
    # Same-day procedure received after the 15:00 cut-off → 17:00 the next working day.
    assert main(["deadline", "--procedure", "1.001193", "--received", "2026-11-20 15:30", "--channel", "online"]) == 0
    assert capsys.readouterr().out.strip() == "2026-11-23T17:00"
    assert main(["deadline", "--procedure", "9.999999", "--received", "2026-11-23 09:00"]) == 1
    assert main(["deadline", "--procedure", "1.001612", "--received", "23/11/2026"]) == 2


def test_calendar_command_lists_tet_and_make_up_days(session, capsys):
    assert main(["calendar", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "17/02/2026" in out and "24/11/2026" in out
    assert "Ngày làm bù" in out
