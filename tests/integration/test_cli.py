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


def test_fee_command_prints_the_breakdown_and_the_total_last(session, capsys):
    assert main(["fee", "--procedure", "2.000815", "--channel", "online", "--data", '{"pages": 3, "copies": 3}']) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "15000"
    assert any("3 × 5.000 đồng" in line for line in lines)
    assert any(line.startswith("Văn bản quy định: 2.000 đồng/trang") for line in lines)
    assert main(["fee", "--procedure", "2.000635", "--data", '{"copies": 2}']) == 0  # two extract copies
    assert capsys.readouterr().out.strip().splitlines()[-1] == "16000"
    assert (
        main(
            [
                "fee",
                "--procedure",
                "3.000333",
                "--channel",
                "online",
                "--data",
                '{"fee_category": "student"}',
                "--lang",
                "en",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == "50000" and "Student card" in out
    assert main(["fee", "--procedure", "1.002804"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "135000"
    assert main(["fee", "--procedure", "2.000815", "--data", '{"pages": 0}']) == 1
    assert main(["fee", "--procedure", "2.000815", "--data", "[3]"]) == 2
    assert main(["fee", "--procedure", "9.999999"]) == 1
