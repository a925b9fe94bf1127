"""Catalog at a province's size: import time, search p99 and assistant p99 at 2,000 procedures.

Reproducible: the generated file (13 real demo procedures + 1,987 labelled ``SIM-…``)
comes from a fixed seed. The run

1. migrates a fresh database and loads the demo reference data;
2. imports the 2,000-procedure xlsx: preview, apply (one transaction), then a second
   preview of the same file (must change nothing);
3. search: every prefix of a set of real queries, as a person types them, through the
   in-memory index the search box uses (`read.search.current_catalog(...).index.search`) and through
   the whole `search_procedures` call (index + one query for the rows);
4. assistant: the repository's test set (tests/data/assistant_questions.json, on-topic and
   off-topic) through `read.assistant.answer` (stamp check + contact + answer), and through
   the in-memory `Assistant.answer` alone.

    .venv/bin/python bench/assistant_bench.py                    # fresh SQLite in a temp dir
    .venv/bin/python bench/assistant_bench.py --url postgresql+psycopg://postgres@127.0.0.1:5432/onestop_catalog_bench
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import common  # noqa: F401  (sys.path + scratch data dir, before any onestop import)
import sqlalchemy as sa
from search_bench import PROVINCE_QUERIES as QUERIES  # one list of what people type, for both benches
from search_bench import pct


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="", help="database URL (default: a fresh SQLite file); its schema is dropped")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)

    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='catalog-bench-')) / 'bench.db'}"
    import os

    os.environ["ONESTOP_DATABASE_URL"] = url
    from onestop.db import engine_for, new_session, transaction
    from onestop.demo.catalog_file import catalog_rows, to_xlsx
    from onestop.demo.seed import seed
    from onestop.migrations import upgrade_head
    from onestop.models import User
    from onestop.read import assistant as read_assistant
    from onestop.read import search
    from onestop.services import catalog_import
    from onestop.services.actor import Actor
    from onestop.settings import reset_settings_cache

    reset_settings_cache()
    engine = engine_for(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    upgrade_head(url)
    with new_session() as s:
        seed(s, dossiers=0)
        admin = Actor.from_user(s.exec(sa.select(User).where(User.role == "admin")).scalars().first())

    data = to_xlsx(catalog_rows(args.n))
    print(
        f"database: {engine.dialect.name}; file: {args.n} procedures, {len(data) / 1024:.0f} KB xlsx; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    with new_session() as s:
        t = time.perf_counter()
        plan = catalog_import.preview_import(s, data, "bench.xlsx")
        print(f"preview: {time.perf_counter() - t:.2f} s — {plan.summary('en')}")
    t = time.perf_counter()
    with transaction() as s:
        plan = catalog_import.apply_import(s, admin, data, "bench.xlsx")
    print(f"apply (one transaction): {time.perf_counter() - t:.2f} s — {plan.summary('en')}")
    with new_session() as s:
        t = time.perf_counter()
        plan = catalog_import.preview_import(s, data, "bench.xlsx")
        print(f"second import preview: {time.perf_counter() - t:.2f} s — {plan.summary('en')}")

    typed = [q[:k] for q in QUERIES for k in range(1, len(q) + 1)]
    with new_session() as s:
        index = search.current_catalog(s).index
        t = time.perf_counter()
        search._cache.clear()
        index = search.current_catalog(s).index
        build = time.perf_counter() - t
        idx_ms, full_ms, idx_cpu = [], [], []
        for _ in range(args.rounds):
            for q in typed:
                t, c = time.perf_counter(), time.thread_time()
                index.search(q, limit=20)
                idx_ms.append((time.perf_counter() - t) * 1000)
                idx_cpu.append((time.thread_time() - c) * 1000)
                t = time.perf_counter()
                search.search_procedures(s, q, limit=20)
                full_ms.append((time.perf_counter() - t) * 1000)
    print(f"search index: {len(index)} procedures, built in {build:.2f} s; {len(idx_ms)} as-you-type queries")
    print(
        f"  index only:          p50 {pct(idx_ms, 0.5):.2f} ms  p99 {pct(idx_ms, 0.99):.2f} ms  "
        f"(CPU time p50 {pct(idx_cpu, 0.5):.2f} ms  p99 {pct(idx_cpu, 0.99):.2f} ms)"
    )
    print(f"  search_procedures(): p50 {pct(full_ms, 0.5):.2f} ms  p99 {pct(full_ms, 0.99):.2f} ms")

    qset = json.loads((common.ROOT / "tests" / "data" / "assistant_questions.json").read_text(encoding="utf-8"))
    questions = [(q["q"], q["lang"]) for q in qset["questions"] + qset["off_topic"]]
    with new_session() as s:
        t = time.perf_counter()
        bot = read_assistant.assistant_for(s)
        build = time.perf_counter() - t
        contact = read_assistant.contact(s)
        pure_ms, full_ms, pure_cpu = [], [], []
        for _ in range(args.rounds):
            for q, lang in questions:
                t, c = time.perf_counter(), time.thread_time()
                bot.answer(q, lang, contact)
                pure_ms.append((time.perf_counter() - t) * 1000)
                pure_cpu.append((time.thread_time() - c) * 1000)
                t = time.perf_counter()
                read_assistant.answer(s, q, lang)
                full_ms.append((time.perf_counter() - t) * 1000)
    print(f"assistant: {len(bot)} procedures, built in {build:.2f} s; {len(pure_ms)} questions")
    print(
        f"  Assistant.answer:        p50 {pct(pure_ms, 0.5):.2f} ms  p99 {pct(pure_ms, 0.99):.2f} ms  "
        f"(CPU time p50 {pct(pure_cpu, 0.5):.2f} ms  p99 {pct(pure_cpu, 0.99):.2f} ms)"
    )
    print(f"  read.assistant.answer(): p50 {pct(full_ms, 0.5):.2f} ms  p99 {pct(full_ms, 0.99):.2f} ms")


if __name__ == "__main__":
    main()
