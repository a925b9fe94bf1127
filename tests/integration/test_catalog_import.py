"""Catalog import on a real database: preview, apply in one transaction with audit, re-import changes nothing.

The tests never commit on the shared test database (the service does not commit; the
session is rolled back), so the reference catalog other tests rely on stays as seeded.
The CLI's apply commits, so it runs against a fresh SQLite database of its own.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlmodel import select

from onestop.demo.catalog_file import catalog_rows, to_csv, to_xlsx
from onestop.domain.errors import DomainError
from onestop.domain.forms import FormSchema
from onestop.models import CatalogEvent, Procedure
from onestop.services import catalog_import as ci

from .helpers import actor


def _current(session, code: str) -> Procedure:
    return session.exec(select(Procedure).where(Procedure.code == code, Procedure.is_current.is_(True))).one()


def test_generated_2000_file_previews_applies_and_reimports_as_no_change(session):
    admin = actor(session, "admin")
    data = to_xlsx(catalog_rows(2000))
    t0 = time.perf_counter()
    plan = ci.preview_import(session, data, "tinh.xlsx")
    preview_s = time.perf_counter() - t0
    assert (len(plan.added), len(plan.changed), len(plan.retired), plan.unchanged, plan.errors) == (1987, 0, 0, 13, [])
    assert session.exec(select(CatalogEvent)).first() is None  # the preview wrote nothing
    t0 = time.perf_counter()
    applied = ci.apply_import(session, admin, data, "tinh.xlsx")
    apply_s = time.perf_counter() - t0
    print(f"\n2,000-procedure xlsx: preview {preview_s:.1f} s, apply {apply_s:.1f} s")
    assert applied.applied and len(applied.added) == 1987
    sim = _current(session, "SIM-00001")
    FormSchema.from_dict(sim.form_schema)  # an imported procedure has a form the renderers accept
    assert sim.form_schema["documents"] and sim.agency
    events = session.exec(select(CatalogEvent)).all()
    assert sum(e.action == "add" for e in events) == 1987
    summary = next(e for e in events if e.action == "import")
    assert summary.detail["added"] == 1987 and summary.actor_user_id == admin.user_id
    assert "tinh.xlsx" in summary.source
    again = ci.preview_import(session, to_csv(catalog_rows(2000)), "tinh.csv")
    assert (again.added, again.changed, again.retired, again.unchanged) == ([], [], [], 2000)
    session.rollback()


def test_changed_row_becomes_a_new_version_and_missing_one_is_retired(session):
    admin = actor(session, "admin")
    table = catalog_rows(13)
    header = table[1]
    fee, other, docs = header.index("Phí, lệ phí"), header.index("Tên gọi khác"), header.index("Thành phần hồ sơ")
    birth = next(r for r in table[2:] if r[1] == "1.001193")
    birth[fee] = "Miễn lệ phí; cấp bản sao: 8.000 đồng/bản"
    birth[other] += "; giấy khai sinh cho em bé"
    death = next(r for r in table[2:] if r[1] == "1.000656")
    death[docs] += "\nGiấy ủy quyền (nếu có)"
    table = [r for r in table if len(r) < 2 or r[1] != "2.000884"]  # signature certification is dropped
    before = _current(session, "1.001193")
    plan = ci.apply_import(session, admin, to_csv(table), "edit.csv")
    assert sorted(c.code for c in plan.changed) == ["1.000656", "1.001193"]
    assert [c.code for c in plan.retired] == ["2.000884"]
    birth_now = _current(session, "1.001193")
    assert birth_now.version == before.version + 1 and birth_now.fee_amount == 8000
    assert "giấy khai sinh cho em bé" in birth_now.other_names
    assert birth_now.form_schema == before.form_schema and birth_now.description_vi == before.description_vi
    death_now = _current(session, "1.000656")
    names = [d["name_vi"] for d in death_now.form_schema["documents"]]
    assert names[-1] == "Giấy ủy quyền (nếu có)" and death_now.form_schema["documents"][-1]["required"] is False
    FormSchema.from_dict(death_now.form_schema)
    assert (
        session.exec(select(Procedure).where(Procedure.code == "2.000884", Procedure.is_current.is_(True))).first()
        is None
    )
    actions = sorted((e.action, e.procedure_code) for e in session.exec(select(CatalogEvent)) if e.procedure_code)
    assert actions == [("retire", "2.000884"), ("version", "1.000656"), ("version", "1.001193")]
    # importing the file again changes nothing; putting the retired one back re-adds it as a new version
    assert not ci.preview_import(session, to_csv(table), "edit.csv").has_changes
    plan = ci.apply_import(session, admin, to_csv(catalog_rows(13)), "full.csv")
    assert [c.code for c in plan.added] == ["2.000884"] and _current(session, "2.000884").version == 2
    session.rollback()


def test_apply_refuses_a_file_with_row_errors_and_non_admins(session):
    table = catalog_rows(13)
    table[3][6] = "sớm nhất có thể"  # an unreadable duration
    data = to_csv(table)
    plan = ci.preview_import(session, data, "bad.csv")
    assert len(plan.errors) == 1 and plan.errors[0].row == 4 and plan.retired == []
    with pytest.raises(DomainError) as exc:
        ci.apply_import(session, actor(session, "admin"), data, "bad.csv")
    assert exc.value.code == "import_has_errors" and "1" in exc.value.message("en")
    with pytest.raises(DomainError):
        ci.apply_import(session, actor(session, "receiver"), to_csv(catalog_rows(13)), "ok.csv")
    with pytest.raises(DomainError) as exc:
        ci.preview_import(session, b"just,some\ntext,here\n", "x.csv")
    assert exc.value.code == "import_no_header"
    assert session.exec(select(CatalogEvent)).first() is None
    session.rollback()


@pytest.fixture()
def fresh_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A database of its own for commands that commit."""
    from onestop.db import new_session
    from onestop.demo.seed import seed
    from onestop.migrations import upgrade_head
    from onestop.settings import reset_settings_cache

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ONESTOP_DATABASE_URL", url)
    reset_settings_cache()
    upgrade_head(url)
    with new_session() as s:
        seed(s, dossiers=0)
    yield url
    monkeypatch.undo()
    reset_settings_cache()


def test_cli_dry_run_apply_and_second_run(fresh_sqlite, tmp_path, capsys):
    from onestop.cli import main
    from onestop.db import new_session

    path = tmp_path / "tinh.xlsx"
    assert main(["catalog", "generate", str(path), "--n", "60"]) == 0
    assert main(["catalog", "import", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "47 to add" in out and "dry run" in out
    assert main(["catalog", "import", str(path), "--apply", "--as", "0901000006"]) == 0
    assert "47 thêm mới" in capsys.readouterr().out
    with new_session() as s:
        assert len(s.exec(select(Procedure).where(Procedure.is_current.is_(True))).all()) == 60
        summary = s.exec(select(CatalogEvent).where(CatalogEvent.action == "import")).one()
        assert summary.actor_name == "Đỗ Thị Mai"
    assert main(["catalog", "import", str(path), "--apply"]) == 0
    assert "0 thêm mới, 0 thay đổi (phiên bản mới), 0 bãi bỏ, 60 không đổi" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã thủ tục,Tên thủ tục,Lĩnh vực,Thời hạn giải quyết\nA,Một,Hộ tịch,mai\n", encoding="utf-8")
    assert main(["catalog", "import", str(bad), "--apply"]) == 1
    assert "Tệp còn 1 lỗi dòng" in capsys.readouterr().err


def test_other_names_edited_by_admin_are_searched(session):
    from onestop.read import admin as admin_read
    from onestop.read import search
    from onestop.services import admin, catalog

    boss = actor(session, "admin")
    try:
        assert all(h.code != "1.001612" for h in search.search_procedures(session, "tiệm tạp hóa nhỏ "))
        form = vars(admin_read.procedure_form(session, boss, "1.001612"))
        assert "mở cửa hàng" in form["other_names"].splitlines()
        names = admin._other_names(form["other_names"] + "\ntiệm tạp hóa nhỏ")
        catalog.stage_new_version(session, boss, "1.001612", {"other_names": names})
        hits = search.search_procedures(session, "tiem tap hoa nho ")
        assert hits and hits[0].code == "1.001612"
        with pytest.raises(DomainError):
            admin._other_names("\n".join(f"tên {i}" for i in range(31)))
    finally:
        session.rollback()
        search._cache.clear()
