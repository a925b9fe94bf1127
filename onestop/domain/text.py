"""Vietnamese accent folding, tokenising and the procedure search index.

People search the catalog of ~2,000 procedures the way they talk and type:
without accents ("dang ky khai sinh"), with typos ("khai sihn"), half a word
at a time (the search box answers per keystroke), and in everyday words that
are not the legal title ("bằng lái" for "giấy phép lái xe", "sổ đỏ" for the
land-use right certificate).  This module answers all of that from an
in-memory index, with no database round trip, in about a millisecond.

How it ranks (all in `SearchIndex.search`):

1. Each query token is expanded to vocabulary words: itself (quality 1.0);
   for the last token while the person is still typing, every word it is a
   prefix of (0.75–0.95); and, for tokens of 4+ letters, words within one
   edit (two for 8+ letters) — insert, delete, substitute or swap two
   neighbours — found through a deletion neighbourhood (SymSpell), never a
   scan of the vocabulary.  Typo matches count less when the token is itself
   a real word ("tinh" for "sinh" is a weak hint, not a correction).
2. A document's coverage is the IDF-weighted share of query tokens it
   matches, each weighted by where: title 1.0, everyday alias 0.9, extra text
   (field, agency, description) 0.5.  Documents matching *every* token get
   +1, so AND wins, but partial matches still show (partial credit).
3. Bonuses: query tokens adjacent in the title (phrase), the folded query
   appearing in the title, the share of the title the query covers (so the
   short "Đăng ký khai sinh" beats "Đăng ký khai sinh có yếu tố nước ngoài"),
   accents typed that match the title's accents ("hộ" vs "hồ").
4. Popularity (e.g. dossiers last year) breaks ties: at most +0.02.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["DEFAULT_SYNONYMS", "SearchDoc", "SearchIndex", "fold", "tokens"]

_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def fold(s: str) -> str:
    """Accent-free, lower-case, punctuation-free form: ``"Đăng  ký, hộ-tịch"`` → ``"dang ky ho tich"``.

    NFD splits each Vietnamese letter into base + marks, the marks are dropped;
    đ/Đ have no decomposition, so they are mapped by hand.
    """
    s = unicodedata.normalize("NFD", s.translate(_D_MAP))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(_NON_WORD.sub(" ", s).split())


def tokens(s: str) -> list[str]:
    """The folded words of `s`."""
    return fold(s).split()


def _accented_tokens(s: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", s).lower())


#: Everyday words people type → already in the legal title.  Keys are folded
#: phrases of official titles; values are folded phrases people use instead.
#: A title containing the key is also found by any of the values.
DEFAULT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "giay phep lai xe": ("bang lai", "bang lai xe", "bang xe"),
    "giay chung nhan quyen su dung dat": ("so do", "so hong", "so dat"),
    "can cuoc": ("cccd", "cmnd", "chung minh nhan dan", "chung minh thu"),
    "chung thuc ban sao": ("sao y", "sao y ban chinh", "cong chung ban sao"),
    "chung thuc chu ky": ("cong chung chu ky", "xac nhan chu ky"),
    "xac nhan tinh trang hon nhan": ("giay doc than", "xac nhan doc than"),
    "dang ky thuong tru": ("nhap khau", "ho khau"),
    "dang ky khai tu": ("bao tu",),
    "giay phep xay dung": ("xin phep xay nha", "phep xay nha"),
    "ly lich tu phap": ("lltp",),
    "ho kinh doanh": ("ho ca the", "kinh doanh ca the"),
}

_FIELD_WEIGHT = (1.0, 0.9, 0.5)  # title, alias, extra
_TITLE, _ALIAS, _EXTRA = 0, 1, 2
_MAX_QUERY_TOKENS = 12
_MAX_PREFIX_WORDS = 300


@dataclass(frozen=True)
class SearchDoc:
    """One searchable thing (a procedure): its key, title, other text, and popularity."""

    key: str
    title: str
    extra: str = ""
    popularity: float = 0.0
    aliases: tuple[str, ...] = ()  # the procedure's own other names (colloquial, older, English): weighted as aliases


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= nxt
        frontier = nxt
    return out


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (Levenshtein + adjacent swaps), or limit+1 if above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        row_min = i
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            row_min = min(row_min, v)
        if row_min > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[len(b)] if prev[len(b)] <= limit else limit + 1


def _typo_budget(token: str) -> int:
    if not token.isalpha():
        return 0  # codes and numbers must match exactly
    if len(token) >= 8:
        return 2
    return 1 if len(token) >= 4 else 0


@dataclass(slots=True)
class _Match:
    """What one query word matches, its expansions merged, per document: the best quality ×
    field weight; the title/alias positions of every expansion word (encoded: a title word's
    position as is, an alias word's as `_ALIAS_POS` + its position); the title positions alone;
    and the parts of the ranking's upper bound (see `SearchIndex.search`)."""

    best: dict[int, float]
    where: dict[int, frozenset[int]]
    title: dict[int, frozenset[int]]
    #: (best, 0.2 × title positions / title length, the same + _TITLED if the word is in the title)
    bound: dict[int, tuple[float, float, float]]
    #: when the word is the whole query: best + _UNIT + its exact title-share and phrase bonuses
    solo: dict[int, float] | None = None

    @property
    def cost(self) -> int:
        return 5 * len(self.best) + 1


_ALIAS_POS = 1 << 40  # keeps alias positions apart from title positions, so "p + 1" never crosses fields
_UNIT = 8.0  # packed bounds: query word i matched adds _UNIT × 2**i (the rest of a bound stays < 4) …
_TITLED = _UNIT * 4096  # … and each of the words before `need` matched in the title adds _TITLED
_SHORT_PREFIX = 2  # unfinished words this short match hundreds of words: merged once, at build time
_CACHE_COST = 1_000_000  # dict entries the per-word match cache may hold (some tens of MB at worst)
_PHRASE = 0.15  # the largest phrase bonus (query in the title: +0.1, at its start: +0.05 more)
_EPS = 1e-9  # float slack when comparing an upper bound with a computed score


class SearchIndex:
    """Immutable in-memory index over procedures; rebuild it when the catalog changes (~0.3 s for 2,000).

    Why a query stays within a few milliseconds at 2,000 procedures: what each query word
    matches (its expansions merged into per-document scores and positions) is merged once and
    kept — at build time for the 1–2 letter prefixes a person types first, in a bounded cache
    for the rest — and the full score (adjacency, title share, phrase, accents) is computed
    only for the documents that can still reach the top `limit`: candidates are taken by an
    upper bound of their score (the exact coverage, title-share and accent parts + the largest
    adjacency and phrase bonuses the words matched allow), best first, until the bound falls
    below the limit-th full score. The result is exactly the straightforward "score every
    candidate" ranking (tests/unit/test_search_ranking.py checks it against that reference).
    """

    def __init__(self, docs: Iterable[SearchDoc], synonyms: Mapping[str, Iterable[str]] | None = None) -> None:
        self._docs: list[SearchDoc] = list(docs)
        syn = DEFAULT_SYNONYMS if synonyms is None else synonyms
        syn_pairs = [(" " + fold(formal) + " ", [tokens(a) for a in aliases]) for formal, aliases in syn.items()]
        postings: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(dict)
        self._title_fold: list[str] = []
        self._title_len: list[int] = []
        self._accented: list[frozenset[str]] = []
        for i, doc in enumerate(self._docs):
            title_toks = tokens(doc.title)
            padded = " " + " ".join(title_toks) + " "
            alias_toks: list[tuple[str, int]] = []
            for n, (formal, alias_lists) in enumerate(syn_pairs):
                if formal in padded:
                    for m, alias in enumerate(alias_lists):
                        base = 1000 * (n + 1) + 50 * m  # gaps keep different aliases from looking adjacent
                        alias_toks.extend((t, base + p) for p, t in enumerate(alias))
            for m, alias_text in enumerate(doc.aliases):
                base = 1000 * (len(syn_pairs) + 1 + m)
                alias_toks.extend((t, base + p) for p, t in enumerate(tokens(alias_text)))
            self._title_fold.append(padded.strip())
            self._title_len.append(max(1, len(title_toks)))
            self._accented.append(frozenset(_accented_tokens(doc.title)))
            fields = (
                [(t, p) for p, t in enumerate(title_toks)],
                alias_toks,
                [(t, p) for p, t in enumerate(tokens(doc.extra))],
            )
            for f, toks in enumerate(fields):
                for t, p in toks:
                    postings[t].setdefault(i, []).append((f, p))
        # word -> (its documents by best field: title, alias, extra; title/alias positions (encoded); title positions)
        self._postings: dict[str, tuple[tuple[list[int], ...], dict[int, frozenset[int]], dict[int, frozenset[int]]]]
        self._postings = {}
        for word, per_doc in postings.items():
            by_field: tuple[list[int], ...] = ([], [], [])
            where: dict[int, frozenset[int]] = {}
            title: dict[int, frozenset[int]] = {}
            for d, occ in per_doc.items():
                by_field[min(f for f, _ in occ)].append(d)
                at = frozenset(p if f == _TITLE else _ALIAS_POS + p for f, p in occ if f != _EXTRA)
                if at:
                    where[d] = at
                in_title = frozenset(p for f, p in occ if f == _TITLE)
                if in_title:
                    title[d] = in_title
            self._postings[word] = (by_field, where, title)
        self._vocab = sorted(self._postings)
        deletes: dict[str, list[str]] = defaultdict(list)
        for word in self._vocab:
            if word.isalpha() and len(word) >= 3:
                for v in _deletes(word, 2 if len(word) >= 6 else 1):
                    deletes[v].append(word)
        self._deletes = dict(deletes)
        top = max((max(d.popularity, 0.0) for d in self._docs), default=0.0)
        self._pop = [math.log1p(max(d.popularity, 0.0)) / math.log1p(top) if top > 0 else 0.0 for d in self._docs]
        self._pop_bonus = [0.02 * p for p in self._pop]
        accent_docs: dict[str, list[int]] = defaultdict(list)
        for d, acc in enumerate(self._accented):
            for a in acc:
                if not a.isascii():  # (a word with accents; the bonus asks which accented words a title has)
                    accent_docs[a].append(d)
        self._accent_docs = {a: tuple(ds) for a, ds in accent_docs.items()}
        self._cache: OrderedDict[tuple[str, bool], _Match] = OrderedDict()
        self._cache_cost = 0
        self._lock = threading.Lock()
        self._pinned: dict[tuple[str, bool], _Match] = {}
        for prefix in sorted({w[:k] for w in self._vocab for k in range(1, _SHORT_PREFIX + 1) if len(w) >= k}):
            match = self._merge(self._expand(prefix, True))
            self._solo(match, prefix, True)
            self._pinned[(prefix, True)] = match

    def __len__(self) -> int:
        return len(self._docs)

    # ------------------------------------------------------------------ expansion

    def _expand(self, tok: str, prefix: bool) -> dict[str, float]:
        out: dict[str, float] = {}
        exact = tok in self._postings
        if exact:
            out[tok] = 1.0
        if prefix:
            i = bisect_left(self._vocab, tok)
            n = 0
            while i < len(self._vocab) and self._vocab[i].startswith(tok) and n < _MAX_PREFIX_WORDS:
                w = self._vocab[i]
                if w != tok:
                    out[w] = max(out.get(w, 0.0), 0.75 + 0.2 * len(tok) / len(w))
                i += 1
                n += 1
        budget = _typo_budget(tok)
        if budget:
            seen: set[str] = set()
            for v in _deletes(tok, budget):
                for w in self._deletes.get(v, ()):
                    if w in seen or w == tok:
                        continue
                    seen.add(w)
                    dist = _osa_distance(tok, w, budget)
                    if dist <= budget:
                        q = (0.6 if dist == 1 else 0.45) * (0.5 if exact else 1.0)
                        if q > out.get(w, 0.0):
                            out[w] = q
        return out

    def _merge(self, expansions: Mapping[str, float]) -> _Match:
        # best = max over expansion words of quality × field weight: written in increasing order of
        # that product, so the last write (dict.update, no per-document comparison) is the largest.
        scored = sorted(
            (quality * weight, f, word)
            for word, quality in expansions.items()
            for f, weight in enumerate(_FIELD_WEIGHT)
            if self._postings[word][0][f]
        )
        best: dict[int, float] = {}
        for value, f, word in scored:
            best.update(dict.fromkeys(self._postings[word][0][f], value))
        where: dict[int, frozenset[int]] = {}
        title: dict[int, frozenset[int]] = {}
        for word in expansions:
            _, w_word, t_word = self._postings[word]
            for merged, add in ((where, w_word), (title, t_word)):
                both = merged.keys() & add.keys()  # documents two expansion words share: union their positions
                kept = {d: merged[d] | add[d] for d in both}
                merged.update(add)
                merged.update(kept)
        bound: dict[int, tuple[float, float, float]] = {}
        title_len = self._title_len
        for d, m in best.items():
            hits = len(title.get(d, ()))
            if hits:
                share = 0.2 * hits / title_len[d]
                bound[d] = (m, share, share + _TITLED)
            else:
                bound[d] = (m, 0.0, 0.0)
        return _Match(best, where, title, bound)

    def _solo(self, match: _Match, tok: str, typing: bool) -> dict[int, float]:
        """`match.solo`: the bound when `tok` is the whole query (exact but for accents and float order)."""
        if match.solo is None:
            solo = {}
            title_len, title_fold = self._title_len, self._title_fold
            for d, m in match.best.items():
                v = m + _UNIT + 0.2 * min(1.0, len(match.title.get(d, ())) / title_len[d])
                title = title_fold[d]
                if (" " + tok) in (" " + title) and (typing or (" " + tok + " ") in (" " + title + " ")):
                    v += 0.15 if title.startswith(tok) else 0.1
                solo[d] = v
            match.solo = solo
        return match.solo

    def _match(self, tok: str, prefix: bool) -> _Match:
        """What `tok` matches (merged expansions): pinned, cached, or merged now and cached."""
        key = (tok, prefix)
        hit = self._pinned.get(key)
        if hit is not None:
            return hit
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        match = self._merge(self._expand(tok, prefix))
        with self._lock:
            if key not in self._cache:
                self._cache[key] = match
                self._cache_cost += match.cost
                while self._cache_cost > _CACHE_COST and len(self._cache) > 1:
                    _, old = self._cache.popitem(last=False)
                    self._cache_cost -= old.cost
        return match

    # ------------------------------------------------------------------ search

    def search(self, query: str, limit: int = 20) -> list[tuple[str, float]]:
        """Best matches for `query` as ``(key, score)``, best first; ``[]`` for an empty query.

        If the query ends in a letter or digit the last word is treated as
        unfinished (prefix match); a trailing space means it is complete.
        """
        if not isinstance(query, str) or limit <= 0:
            return []
        query = query[:200]
        qtoks = tokens(query)[:_MAX_QUERY_TOKENS]
        if not qtoks:
            return []
        typing = bool(_WORD.search(query[-1:]))
        n = len(qtoks)
        n_docs = max(1, len(self._docs))

        matches = [self._match(tok, typing and i == n - 1) for i, tok in enumerate(qtoks)]
        best = [m.best for m in matches]
        where = [m.where for m in matches]
        title_pos = [m.title for m in matches]
        weights = [math.log(1.0 + n_docs / (1.0 + len(b))) for b in best]
        total_w = sum(weights) or 1.0

        qphrase = " ".join(qtoks)
        accented_q = [a for a in _accented_tokens(query) if fold(a) != a]
        pop_bonus = self._pop_bonus
        title_len = self._title_len

        def phrase(d: int) -> float:
            title = self._title_fold[d]
            if (" " + qphrase) in (" " + title) and (typing or (" " + qphrase + " ") in (" " + title + " ")):
                return _PHRASE if title.startswith(qphrase) else 0.1
            return 0.0

        def adjacent(d: int) -> int:
            """How many neighbouring query words are neighbours in the title or an alias."""
            pairs = 0
            for i in range(n - 1):
                a, b = where[i].get(d), where[i + 1].get(d)
                if a and b and any(p + 1 in b for p in a):
                    pairs += 1
            return pairs

        def score(d: int) -> float:
            cov = 0.0
            matched = 0
            for i in range(n):
                m = best[i].get(d, 0.0)
                if m:
                    matched += 1
                    cov += weights[i] * m
            s = cov / total_w + (1.0 if matched == n else 0.0)
            if n > 1:
                s += 0.3 * adjacent(d) / (n - 1)
                hits = len(set().union(*[t.get(d, ()) for t in title_pos]))
            else:
                hits = len(title_pos[0].get(d, ()))
            s += 0.2 * min(1.0, hits / title_len[d])
            title = self._title_fold[d]
            if (" " + qphrase) in (" " + title) and (typing or (" " + qphrase + " ") in (" " + title + " ")):
                s += 0.1
                if title.startswith(qphrase):
                    s += 0.05
            if accented_q:
                acc = self._accented[d]
                s += 0.1 * sum(1 for a in accented_q if a in acc) / len(accented_q)
            return s + pop_bonus[d]

        # An upper bound of each candidate's score, packed in one float per document:
        #   _TITLED × (words before `need` found in its title) + _UNIT × (mask of the words it matches)
        #   + its coverage + 0.2 × (title positions matched) / (title length) + its accent bonus.
        # A bucket (the count and the mask) bounds what the words matched cannot show, `most`: +1 when
        # every word matched, 0.3 per adjacent pair of matched words, and the phrase bonus only when
        # the words before `need` are all title words (the query is in the title; `phrase` checks it).
        need = n - 1 if typing else n
        if n == 1:
            packed = dict(self._solo(matches[0], qtoks[0], typing))  # its phrase bonus is exact already
        else:
            share = weights[0] / total_w
            packed = {d: share * m + t + _UNIT for d, (m, _, t) in matches[0].bound.items()}  # word 0 < need
            for i in range(1, n):
                share, bit, get = weights[i] / total_w, _UNIT * (1 << i), packed.get
                if i < need:
                    for d, (m, _, t) in matches[i].bound.items():
                        packed[d] = get(d, 0.0) + (share * m + t + bit)
                else:
                    for d, (m, t, _) in matches[i].bound.items():
                        packed[d] = get(d, 0.0) + (share * m + t + bit)
        if not packed:
            return []
        if accented_q:
            unit = 0.1 / len(accented_q)
            for a in accented_q:
                for d in self._accent_docs.get(a, ()):
                    if d in packed:
                        packed[d] += unit
        full = (1 << n) - 1
        most: dict[int, tuple[float, bool, int]] = {}

        def bucket_most(bucket: int) -> tuple[float, bool, int]:
            if n == 1:
                return 1.0 + _EPS, False, 0
            mask, phrased = bucket & 4095, bucket >> 12 == need
            pairs = sum(1 for i in range(n - 1) if mask >> i & 3 == 3)
            extra = (1.0 if mask == full else 0.0) + 0.3 * pairs / (n - 1) + (_PHRASE if phrased else 0.0)
            return extra + _EPS, phrased, pairs

        # Full scores in packed order: bucket by bucket, each by its bound; leave a bucket once its
        # bound cannot reach the `limit`-th full score so far, and a document once its own bound
        # (with its popularity and, where the phrase bonus was assumed, the real one) cannot.
        order = sorted(packed, key=packed.__getitem__, reverse=True)
        kth: list[float] = []  # the `limit` best full scores so far (a min-heap)
        scored: list[tuple[float, int]] = []
        i, end = 0, len(order)
        while i < end:
            d = order[i]
            v = packed[d]
            if len(kth) == limit:
                bucket = int(v // _UNIT)
                if bucket not in most:
                    most[bucket] = bucket_most(bucket)
                extra, phrased, pairs = most[bucket]
                rest = v - _UNIT * bucket + extra
                if rest + 0.02 < kth[0]:
                    i = bisect_right(order, -_UNIT * bucket, lo=i, key=lambda x: -packed[x])
                    continue
                rest += pop_bonus[d]
                if rest < kth[0]:
                    i += 1
                    continue
                if phrased:  # the phrase bonus was assumed: the real one
                    rest -= _PHRASE - phrase(d)
                    if rest < kth[0]:
                        i += 1
                        continue
                if pairs:  # so were `pairs` adjacent pairs: the real count
                    rest -= 0.3 * (pairs - adjacent(d)) / (n - 1)
                    if rest < kth[0]:
                        i += 1
                        continue
            s = score(d)
            scored.append((s, d))
            if len(kth) < limit:
                heapq.heappush(kth, s)
            elif s > kth[0]:
                heapq.heapreplace(kth, s)
            i += 1
        top = heapq.nsmallest(
            limit, scored, key=lambda sd: (-sd[0], -self._docs[sd[1]].popularity, self._docs[sd[1]].title, sd[1])
        )
        return [(self._docs[d].key, round(s, 6)) for s, d in top]
