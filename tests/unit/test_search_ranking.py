"""The optimised `SearchIndex.search` (cached word matches, bounded scoring) returns exactly what the
straightforward ranking returns: score every candidate, take the best. The reference below is that
straightforward ranking, written out as the module's docstring describes it (it was the index's own
code before the pruning), and the tests compare the two on random catalogs and queries."""

from __future__ import annotations

import heapq
import math
import random
import re
from bisect import bisect_left
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onestop.domain import text
from onestop.domain.text import (
    DEFAULT_SYNONYMS,
    SearchDoc,
    SearchIndex,
    _accented_tokens,
    _deletes,
    _osa_distance,
    _typo_budget,
    fold,
    tokens,
)

_WORD = re.compile(r"[^\W_]+")
_WEIGHT = (1.0, 0.9, 0.5)


class Reference:
    """Score every candidate with the full formula; no cache, no bound."""

    def __init__(self, docs, synonyms=None):
        self.docs = list(docs)
        syn = DEFAULT_SYNONYMS if synonyms is None else synonyms
        syn_pairs = [(" " + fold(f) + " ", [tokens(a) for a in al]) for f, al in syn.items()]
        postings = defaultdict(dict)
        self.title_fold, self.title_len, self.accented = [], [], []
        for i, doc in enumerate(self.docs):
            tt = tokens(doc.title)
            padded = " " + " ".join(tt) + " "
            alias = []
            for n, (formal, lists) in enumerate(syn_pairs):
                if formal in padded:
                    for m, a in enumerate(lists):
                        alias.extend((t, 1000 * (n + 1) + 50 * m + p) for p, t in enumerate(a))
            for m, a in enumerate(doc.aliases):
                alias.extend((t, 1000 * (len(syn_pairs) + 1 + m) + p) for p, t in enumerate(tokens(a)))
            self.title_fold.append(padded.strip())
            self.title_len.append(max(1, len(tt)))
            self.accented.append(frozenset(_accented_tokens(doc.title)))
            fields = (list(enumerate(tt)), [(p, t) for t, p in alias], list(enumerate(tokens(doc.extra))))
            for f, toks in enumerate(fields):
                for p, t in toks:
                    postings[t].setdefault(i, []).append((f, p))
        self.postings = {
            w: [(d, min(f for f, _ in occ), tuple((f, p) for f, p in occ if f != 2)) for d, occ in per.items()]
            for w, per in postings.items()
        }
        self.vocab = sorted(self.postings)
        self.deletes = defaultdict(list)
        for w in self.vocab:
            if w.isalpha() and len(w) >= 3:
                for v in _deletes(w, 2 if len(w) >= 6 else 1):
                    self.deletes[v].append(w)
        top = max((max(d.popularity, 0.0) for d in self.docs), default=0.0)
        self.pop = [math.log1p(max(d.popularity, 0.0)) / math.log1p(top) if top > 0 else 0.0 for d in self.docs]

    def expand(self, tok, prefix):
        out = {}
        exact = tok in self.postings
        if exact:
            out[tok] = 1.0
        if prefix:
            i = bisect_left(self.vocab, tok)
            n = 0
            while i < len(self.vocab) and self.vocab[i].startswith(tok) and n < text._MAX_PREFIX_WORDS:
                w = self.vocab[i]
                if w != tok:
                    out[w] = max(out.get(w, 0.0), 0.75 + 0.2 * len(tok) / len(w))
                i += 1
                n += 1
        budget = _typo_budget(tok)
        if budget:
            for w in {w for v in _deletes(tok, budget) for w in self.deletes.get(v, ()) if w != tok}:
                dist = _osa_distance(tok, w, budget)
                if dist <= budget:
                    out[w] = max(out.get(w, 0.0), (0.6 if dist == 1 else 0.45) * (0.5 if exact else 1.0))
        return out

    def search(self, query, limit=20):
        if limit <= 0:
            return []
        query = query[:200]
        qtoks = tokens(query)[: text._MAX_QUERY_TOKENS]
        if not qtoks:
            return []
        typing = bool(_WORD.search(query[-1:]))
        n = len(qtoks)
        best, where, weights = [], [], []
        for i, tok in enumerate(qtoks):
            scores, pos = {}, {}
            for word, q in self.expand(tok, typing and i == n - 1).items():
                for d, f, occ in self.postings[word]:
                    scores[d] = max(scores.get(d, 0.0), q * _WEIGHT[f])
                    if occ:
                        pos.setdefault(d, set()).update(occ)
            best.append(scores)
            where.append(pos)
            weights.append(math.log(1.0 + max(1, len(self.docs)) / (1.0 + len(scores))))
        total_w = sum(weights) or 1.0
        qphrase = " ".join(qtoks)
        accented_q = [a for a in _accented_tokens(query) if fold(a) != a]

        def score(d):
            cov, matched = 0.0, 0
            for i in range(n):
                m = best[i].get(d, 0.0)
                if m:
                    matched += 1
                    cov += weights[i] * m
            s = cov / total_w + (1.0 if matched == n else 0.0)
            if n > 1:
                adjacent = 0
                for i in range(n - 1):
                    a, b = where[i].get(d), where[i + 1].get(d)
                    if a and b and any((f, p + 1) in b for f, p in a):
                        adjacent += 1
                s += 0.3 * adjacent / (n - 1)
            hits = {p for i in range(n) for f, p in where[i].get(d, ()) if f == 0}
            s += 0.2 * min(1.0, len(hits) / self.title_len[d])
            title = self.title_fold[d]
            if (" " + qphrase) in (" " + title) and (typing or (" " + qphrase + " ") in (" " + title + " ")):
                s += 0.1
                if title.startswith(qphrase):
                    s += 0.05
            if accented_q:
                s += 0.1 * sum(1 for a in accented_q if a in self.accented[d]) / len(accented_q)
            return s + 0.02 * self.pop[d]

        candidates = set().union(*best)
        top = heapq.nsmallest(
            limit,
            [(score(d), d) for d in candidates],
            key=lambda sd: (-sd[0], -self.docs[sd[1]].popularity, self.docs[sd[1]].title, sd[1]),
        )
        return [(self.docs[d].key, round(s, 6)) for s, d in top]


# Few words, so that titles share words, prefixes and near-typos, and scores tie often.
WORDS = [
    "đăng",
    "ký",
    "khai",
    "sinh",
    "tử",
    "kết",
    "hôn",
    "cấp",
    "lại",
    "đổi",
    "giấy",
    "phép",
    "lái",
    "xe",
    "chứng",
    "thực",
    "bản",
    "sao",
    "hộ",
    "kinh",
    "doanh",
    "thường",
    "trú",
    "tạm",
    "nhận",
    "cha",
    "mẹ",
    "con",
    "xây",
    "dựng",
    "nhà",
    "ở",
    "đất",
    "hồ",
    "sơ",
    "lý",
    "lịch",
    "tư",
    "pháp",
    "thẻ",
    "căn",
    "cước",
    "ngoài",
    "nước",
    "công",
    "dân",
    "việt",
    "nam",
    "xác",
    "tình",
    "trạng",
]
ALIASES = ("bằng lái", "sổ đỏ", "birth certificate", "làm giấy khai sinh", "marriage")


def catalog(rng: random.Random, size: int) -> list[SearchDoc]:
    docs = []
    for i in range(size):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9)))
        if rng.random() < 0.3:
            title = title.capitalize()
        extra = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 5)))
        aliases = tuple(rng.sample(ALIASES, rng.randint(0, 2)))
        popularity = rng.choice([0.0, 0.0, 1.0, 5.0, float(rng.randint(0, 900))])
        docs.append(SearchDoc(f"K{i:04d}", title, extra, popularity, aliases))
    return docs


def query(rng: random.Random, docs: list[SearchDoc]) -> str:
    kind = rng.random()
    if kind < 0.4:  # part of a title as typed, accents or not, often cut mid-word
        q = rng.choice(docs).title
        q = q[: rng.randint(1, len(q))]
        return fold(q) if rng.random() < 0.5 else q
    words = []
    for _ in range(rng.randint(1, 5)):
        w = fold(rng.choice(WORDS)) if rng.random() < 0.5 else rng.choice(WORDS)
        r = rng.random()
        if r < 0.2 and len(w) > 3:  # a typo: swap, drop or change a letter
            j = rng.randrange(len(w) - 1)
            w = rng.choice([w[:j] + w[j + 1] + w[j] + w[j + 2 :], w[:j] + w[j + 1 :], w[:j] + "x" + w[j + 1 :]])
        elif r < 0.35:
            w = w[: rng.randint(1, len(w))]
        words.append(w)
    return " ".join(words) + rng.choice(["", "", " ", "!"])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 120))
def test_same_ranking_as_scoring_every_candidate(seed: int, size: int) -> None:
    rng = random.Random(seed)
    docs = catalog(rng, size)
    fast, ref = SearchIndex(docs), Reference(docs)
    for _ in range(12):
        q = query(rng, docs)
        limit = rng.choice([1, 2, 3, 5, 10, 20, 200])
        assert fast.search(q, limit) == ref.search(q, limit), (q, limit)


def test_same_ranking_on_the_generated_province_catalog() -> None:
    """The 2,000-procedure file's first 400 rows (real procedures + generated ones), every prefix as typed."""
    from onestop.demo.catalog_file import catalog_rows

    rows = catalog_rows(400)[2:]
    docs = [
        SearchDoc(r[1], r[2], f"{r[3]} {r[4]} {r[1]}", float(len(r[2]) % 7) * 10, tuple(r[13].split(";"))) for r in rows
    ]
    fast, ref = SearchIndex(docs), Reference(docs)
    queries = ["đăng ký kết hôn", "dang ky khai sihn ", "giay phep xay dung nha o", "so do", "chứng thực bản sao"]
    for q in queries:
        for k in range(1, len(q) + 1):
            assert fast.search(q[:k], 20) == ref.search(q[:k], 20), q[:k]


def test_a_small_match_cache_evicts_and_stays_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "_CACHE_COST", 50)  # evicts after about every word
    rng = random.Random(5)
    docs = catalog(rng, 80)
    fast, ref = SearchIndex(docs), Reference(docs)
    qs = [query(rng, docs) for _ in range(40)]
    for q in qs + qs:  # the second pass meets evicted and cached words
        assert fast.search(q, 10) == ref.search(q, 10), q
    assert fast._cache_cost <= 50 or len(fast._cache) == 1
