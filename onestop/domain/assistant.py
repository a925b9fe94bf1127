"""The virtual assistant's rules: understand a question, find the procedure, answer from its facts only.

Why rules and retrieval rather than a language model: the answer must be the catalog's
facts (documents, fee text, processing time, where to file, how to apply) and nothing
invented, it must run on the center's own machine, and it must say plainly when it does
not know. So a question is split into *what it asks* (topics, found by phrases in
Vietnamese with or without accents and in English) and *what it is about* (the words
left once question words are removed), the latter is looked up in the same
`SearchIndex` the search box uses (accent folding, typo tolerance, everyday synonyms,
each procedure's other names), and an answer is given only when every remaining word
was matched. Everything else gets ``known=False`` with the hotline and its hours.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from onestop.domain.bilingual import BiText
from onestop.domain.deadlines import Duration
from onestop.domain.forms import DocumentBrief
from onestop.domain.text import SearchDoc, SearchIndex, fold

__all__ = [
    "TOPICS",
    "Answer",
    "Assistant",
    "DocumentFact",
    "ProcedureFacts",
    "Reference",
    "detect_topics",
    "content_words",
]

TOPICS = ("documents", "fee", "time", "where", "how")

#: Folded phrases that say what is asked.  Matched on whole words of the folded question.
_TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "documents": (
        "giay to",
        "ho so gom",
        "ho so can",
        "thanh phan ho so",
        "can mang",
        "mang theo",
        "chuan bi",
        "can nhung gi",
        "can gi",
        "nhung gi",
        "documents",
        "document",
        "papers",
        "paperwork",
        "what do i need",
        "need to bring",
        "bring",
        "required",
    ),
    "fee": (
        "le phi",
        "phi",
        "bao nhieu tien",
        "mat tien",
        "ton tien",
        "het bao nhieu",
        "tien",
        "gia",
        "mien phi",
        "fee",
        "fees",
        "cost",
        "costs",
        "how much",
        "price",
        "charge",
        "pay",
        "free",
    ),
    "time": (
        "bao lau",
        "may ngay",
        "bao nhieu ngay",
        "thoi han",
        "thoi gian",
        "bao gio",
        "khi nao",
        "lau khong",
        "how long",
        "how many days",
        "processing time",
        "when will",
        "take",
    ),
    "where": (
        "o dau",
        "noi nop",
        "nop o",
        "cho nao",
        "co quan nao",
        "dia chi",
        "di dau",
        "den dau",
        "where",
        "which office",
        "address",
    ),
    "how": (
        "the nao",
        "nhu the nao",
        "lam sao",
        "cach",
        "cac buoc",
        "trinh tu",
        "thu tuc",
        "nop truc tuyen",
        "online",
        "how do i",
        "how to",
        "how can i",
        "steps",
        "apply",
        "procedure",
    ),
}
#: Question words and fillers removed before retrieval.  Written with accents: a word typed
#: without accents is removed only if its folded form is not ambiguous with catalog words
#: (``cần`` is a filler, ``căn`` in "căn cước" is not, and both fold to ``can``).
_FILLERS_ACCENTED = (
    "tôi mình em anh chị bác cô chú con cháu ạ à ơi nhé nhỉ vậy thế nào gì đâu ở bao nhiêu lâu mấy có không ko "
    "k được là thì mà và với của cho để đi đến tới hỏi xin muốn cần phải làm thủ tục hồ sơ giấy tờ nộp ra sao giá "
    "khi bây giờ hiện nay nay cái việc một những các này đó ai biết giúp vui lòng thông tin về hết mất tốn tiền "
    "phí lệ thời gian hạn ngày cách bước nơi chỗ địa chỉ cơ quan nào trực tuyến online rồi nữa đang sắp"
)
_FILLERS_EN = (
    "i me my we you your a an the to of for in on at is are am be it its do does did can could would should "
    "how much many long what which where when who why need needs needed bring get getting take takes want please tell "
    "about fee fees cost costs price pay documents document papers paperwork required processing time days day "
    "apply applying application file filing office steps online procedure there this that with and or from "
    "hi hello"
)
_AMBIGUOUS_FOLDED = frozenset(
    {
        "can",
        "so",
        "dat",
        "ho",
        "ban",
        "con",
        "nha",
        "xe",
        "chu",
        "co",
        "ky",
        "the",
        "ma",
        "den",
        "di",
        "toi",
        "nay",
        "lam",
        "tien",
        "le",
        "han",
        "thu",
        "tuc",
        "giay",
        "to",
        "cach",
        "nop",
        "ve",
        "gia",
        "khong",
    }
)
_FILLER_ACC = frozenset(unicodedata.normalize("NFC", w) for w in _FILLERS_ACCENTED.split())
_FILLER_PLAIN = frozenset(fold(w) for w in _FILLERS_ACCENTED.split()) - _AMBIGUOUS_FOLDED
_FILLER_EN = frozenset(_FILLERS_EN.split())
_WORD = re.compile(r"[^\W_]+")
_MAX_QUESTION = 300


def _words(question: str) -> list[tuple[str, str]]:
    """(accented lower-case, folded) per word."""
    out = []
    for w in _WORD.findall(unicodedata.normalize("NFC", question[:_MAX_QUESTION]).lower()):
        f = fold(w)
        if f:
            out.append((w, f))
    return out


def detect_topics(question: str) -> tuple[str, ...]:
    """Topics asked, in `TOPICS` order (``()`` when the question only names a procedure)."""
    padded = " " + " ".join(f for _, f in _words(question)) + " "
    return tuple(t for t in TOPICS if any(f" {p} " in padded for p in _TOPIC_PHRASES[t]))


_SPELLING = {"kí": "ký", "ki": "ky", "qui": "quy", "quí": "quý"}  # i/y spellings people use for the same word


def _without_topic_phrases(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    folded = [f for _, f in words]
    drop: set[int] = set()
    phrases = sorted(
        {p.split() and tuple(p.split()) for ps in _TOPIC_PHRASES.values() for p in ps}, key=len, reverse=True
    )
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(folded) - n + 1):
            if tuple(folded[i : i + n]) == phrase and not drop & set(range(i, i + n)):
                drop.update(range(i, i + n))
    return [w for i, w in enumerate(words) if i not in drop]


def content_words(question: str, *, keep_ambiguous: bool = False) -> list[str]:
    """The words that say what the question is about: topic phrases, question words and fillers removed.

    With `keep_ambiguous`, words typed without accents whose folded form is also a catalog word
    ("tien" in "giấy không tiền án", "can" in "căn cước") are kept; the assistant tries both readings.
    """
    out = []
    for acc, f in _without_topic_phrases(_words(question)):
        if f in _FILLER_EN:
            continue
        if acc in _FILLER_ACC and not (keep_ambiguous and f in _AMBIGUOUS_FOLDED):
            continue
        if acc == f and f in _FILLER_PLAIN:
            continue  # typed without accents, and not a word the catalog uses
        if acc == f and f in _AMBIGUOUS_FOLDED and not keep_ambiguous:
            continue
        out.append(_SPELLING.get(acc, acc))
    return out


#: A document as the assistant tells of it: the catalog's brief (names, required, held by the state).
DocumentFact = DocumentBrief


@dataclass(frozen=True)
class ProcedureFacts:
    """What the catalog says about one procedure — the only source of an answer."""

    code: str
    name: BiText
    field: BiText = BiText()  # the procedure's field (lĩnh vực)
    level: str = "commune"
    agency: str = ""
    duration_counter: dict | None = None
    duration_online: dict | None = None
    fee_amount: int = 0
    fee_online_amount: int | None = None
    fee_text: str = ""
    documents: tuple[DocumentFact, ...] = ()
    online_level: str = "full"
    boundary_free: bool = True
    result_name_vi: str = ""
    other_names: tuple[str, ...] = ()
    popularity: float = 0.0

    def name_in(self, lang: str) -> str:
        """The name in `lang`; the Vietnamese one when the catalog has no English name."""
        return self.name.en if lang == "en" and self.name.en else self.name.vi


@dataclass(frozen=True)
class Reference:
    code: str
    name: str
    url: str


@dataclass(frozen=True)
class Answer:
    known: bool
    answer: str
    procedures: tuple[Reference, ...] = ()
    topics: tuple[str, ...] = ()
    score: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "known": self.known,
            "answer": self.answer,
            "procedures": [{"code": r.code, "name": r.name, "url": r.url} for r in self.procedures],
        }


@dataclass(frozen=True)
class Contact:
    """Where a person gets a human answer: the center's hotline and its hours (from settings / the centers table)."""

    hotline: str
    hours: BiText


def _money(amount: int, lang: str) -> str:
    text = f"{amount:,}"
    return f"{text} VND" if lang == "en" else f"{text.replace(',', '.')} đồng"


def _duration(d: dict | None, lang: str) -> str:
    try:
        return Duration.from_dict(d).label(lang) if d else ""
    except (ValueError, TypeError, KeyError):
        return ""


def _fact_lines(p: ProcedureFacts, topics: Sequence[str], lang: str, apply_url: str) -> list[str]:
    en = lang == "en"
    lines: list[str] = []
    for topic in topics:
        if topic == "documents":
            docs = [d for d in p.documents if not d.state_held]
            held = [d for d in p.documents if d.state_held]
            if docs:
                head = "Documents to submit:" if en else "Giấy tờ cần nộp:"
                items = [
                    f"{i}. {d.name_en if en else d.name_vi}"
                    + ("" if d.required else (" (if any)" if en else " (nếu có)"))
                    for i, d in enumerate(docs, 1)
                ]
                lines.append(head + "\n" + "\n".join(items))
            else:
                lines.append(
                    "No documents to upload besides the e-form."
                    if en
                    else "Không cần nộp giấy tờ nào ngoài tờ khai điện tử."
                )
            if held:
                names = ", ".join(d.name_en if en else d.name_vi for d in held)
                lines.append(
                    f"Not needed, the state already holds it: {names}."
                    if en
                    else f"Không phải nộp (cơ quan nhà nước đã có dữ liệu): {names}."
                )
        elif topic == "fee":
            if p.fee_amount == 0 and not p.fee_online_amount:
                head = "Fee: none (0 VND)." if en else "Phí, lệ phí: không thu (0 đồng)."
            else:
                head = f"Fee: {_money(p.fee_amount, lang)}." if en else f"Phí, lệ phí: {_money(p.fee_amount, lang)}."
                if p.fee_online_amount is not None and p.fee_online_amount != p.fee_amount:
                    head += (
                        f" Filed online: {_money(p.fee_online_amount, lang)}."
                        if en
                        else f" Nộp trực tuyến: {_money(p.fee_online_amount, lang)}."
                    )
            if p.fee_text:
                head += f" Official text (Vietnamese): “{p.fee_text}”" if en else f" Quy định: «{p.fee_text}»"
            lines.append(head)
        elif topic == "time":
            counter = _duration(p.duration_counter, lang)
            online = _duration(p.duration_online, lang)
            if counter:
                text = f"Processing time: {counter}" if en else f"Thời hạn giải quyết: {counter}"
                if online and online != counter:
                    text += f" (online: {online})" if en else f" (nộp trực tuyến: {online})"
                lines.append(
                    text
                    + (
                        "; counted in working days from receipt of a complete file."
                        if en and "working" in counter
                        else "."
                    )
                )
        elif topic == "where":
            level = (
                {"commune": "commune-level", "province": "provincial"}
                if en
                else {"commune": "cấp xã", "province": "cấp tỉnh"}
            ).get(p.level, p.level)
            if en:
                text = f"File it online, or at a {level} public administration service center"
                text += " (any center in the province accepts it)." if p.boundary_free else "."
                if p.agency:
                    text += f" Handled by: {p.agency}."
            else:
                text = f"Nộp trực tuyến hoặc tại Trung tâm Phục vụ hành chính công {level}"
                text += " (nộp ở trung tâm nào trong tỉnh cũng được)." if p.boundary_free else "."
                if p.agency:
                    text += f" Cơ quan giải quyết: {p.agency}."
            lines.append(text)
        elif topic == "how":
            if p.online_level == "full":
                lines.append(
                    f"How to apply: fill in the e-form and upload the documents at {apply_url}, pay any fee "
                    "online, then follow the dossier with its code; or file at the counter."
                    if en
                    else f"Cách nộp: khai tờ khai điện tử và tải giấy tờ lên tại {apply_url}, nộp phí trực tuyến "
                    "(nếu có), rồi theo dõi hồ sơ bằng mã hồ sơ; hoặc nộp trực tiếp tại quầy một cửa."
                )
            else:
                lines.append(
                    f"How to apply: start online at {apply_url}; the originals are checked at the counter."
                    if en
                    else f"Cách nộp: nộp trực tuyến tại {apply_url}; bản chính được đối chiếu tại quầy."
                )
    return lines


class Assistant:
    """Answers questions over one catalog snapshot (rebuild it when the catalog changes)."""

    #: A question's words must all be matched, and their match strong enough: below this, "not known".
    MIN_SCORE = 1.25
    #: A second procedure is listed when it scores at least this share of the best.
    RELATED_SHARE = 0.85

    def __init__(self, facts: Iterable[ProcedureFacts], *, apply_path: str = "/apply/{code}") -> None:
        self._facts = {p.code: p for p in facts}
        self._apply_path = apply_path
        self._index = SearchIndex(
            SearchDoc(
                key=p.code,
                title=p.name.vi,
                extra=f"{p.name.en} {p.field.vi} {p.code}",
                popularity=p.popularity,
                aliases=p.other_names,
            )
            for p in self._facts.values()
        )

    def __len__(self) -> int:
        return len(self._facts)

    def url(self, code: str) -> str:
        return self._apply_path.format(code=code)

    def _decline(self, lang: str, contact: Contact, topics: tuple[str, ...], reason: str) -> Answer:
        en = lang == "en"
        hours = contact.hours.en if en else contact.hours.vi
        if reason == "empty":
            text = (
                "Ask me about a procedure: its documents, fee, processing time, where to file or how to apply — "
                "e.g. “What documents do I need for a birth registration?”"
                if en
                else "Hãy hỏi tôi về một thủ tục: giấy tờ, lệ phí, thời hạn, nơi nộp hoặc cách nộp — ví dụ "
                "«Đăng ký khai sinh cần giấy tờ gì?»"
            )
        else:
            text = (
                "Sorry, I could not find this in the procedure catalog, so I will not guess."
                if en
                else "Xin lỗi, tôi không tìm thấy nội dung này trong danh mục thủ tục nên không thể trả lời chắc chắn."
            )
        if contact.hotline:
            text += (
                f" Call the hotline {contact.hotline} ({hours})."
                if en
                else f" Vui lòng gọi đường dây nóng {contact.hotline} ({hours})."
            )
        else:
            text += f" Ask at the one-stop desk ({hours})." if en else f" Vui lòng hỏi tại bộ phận một cửa ({hours})."
        return Answer(False, text, (), topics, 0.0)

    def _rank(self, words: Sequence[str]) -> list[tuple[str, float]]:
        """Index matches; among near-equal matches the more used procedure first (+0.1 at most)."""
        ranked = self._index.search(" ".join(words) + " ", limit=10)
        if not ranked:
            return []
        top = max(self._facts[c].popularity for c, _ in ranked) or 1.0
        boosted = [(c, s + 0.1 * self._facts[c].popularity / top) for c, s in ranked]
        return sorted(boosted, key=lambda cs: -cs[1])[:5]

    def answer(self, question: str, lang: str, contact: Contact) -> Answer:
        """The answer to `question` in `lang` ("vi" or "en")."""
        lang = "en" if lang == "en" else "vi"
        question = (question or "").strip()[:_MAX_QUESTION]
        topics = detect_topics(question)
        readings = {tuple(content_words(question)), tuple(content_words(question, keep_ambiguous=True))}
        readings.discard(())
        if not readings:
            return self._decline(lang, contact, topics, "empty")
        ranked: list[tuple[str, float]] = []
        for words in sorted(readings, key=len, reverse=True):  # the most specific reading that is understood
            found = self._rank(words)
            if found and found[0][1] >= self.MIN_SCORE:
                ranked = found
                break
        if not ranked:
            return self._decline(lang, contact, topics, "unknown")
        best_code, best = ranked[0]
        p = self._facts[best_code]
        refs = [
            Reference(code, self._facts[code].name_in(lang), self.url(code))
            for code, score in ranked
            if code == best_code or (score >= self.MIN_SCORE and score >= self.RELATED_SHARE * best)
        ][:3]
        url = self.url(best_code)
        shown = topics or ("documents", "fee", "time", "where")
        head = f"{p.name_in(lang)} (code {p.code}):" if lang == "en" else f"Thủ tục «{p.name.vi}» (mã {p.code}):"
        lines = [head, *_fact_lines(p, shown, lang, url)]
        if "how" not in shown:
            lines.append(f"Apply online: {url}" if lang == "en" else f"Nộp hồ sơ trực tuyến: {url}")
        return Answer(True, "\n".join(lines), tuple(refs), topics, best)
