"""Fee schedules (biểu phí, lệ phí) and the amount a dossier owes, computed from its form data.

Why a schedule and not one number: the legal fee texts charge per dossier, per copy or per
page in tiers with a cap per copy (certified copies: 2,000 đ a page for pages 1–2, 1,000 đ
from page 3, at most 200,000 đ a copy), discount online filing, and exempt or reduce some
applicant categories against evidence. A flat amount charged 3 pages × 3 copies 2,000 đ.
Every place that shows or charges a fee (review, confirmation, counter, pay page, gateway,
e-receipt, the `onestop fee` command) asks `quote()` with the same inputs, so they agree.

The schedule is data (JSON on the procedure version, edited by the admin through a form):

    {"basis": "per_dossier" | "per_copy" | "per_page",
     "amount": 8000,                                  # per dossier / per copy
     "page_tiers": [{"from_page": 1, "amount": 2000}, {"from_page": 3, "amount": 1000}],
     "cap_per_copy": 200000,                          # optional, per_page only
     "online_amount": 10000,                          # optional: unit rate when filed online
     "online_percent_off": 50,                        # optional: discount on the total online
     "exemptions": [{"code": "student", "label_vi": …, "label_en": …, "evidence_vi": …,
                     "evidence_en": …, "amount": 100000 | "percent_off": 100}],
     "pages_field": "pages", "copies_field": "copies"}

Rules of combination (stated once, here): the unit rate is the lowest of the standard rate,
the online rate (online only) and the category's reduced rate; then the online percentage
discount applies to the total, then the category's percentage. Amounts are whole đồng,
discounts rounded down in the payer's favour. The verbatim legal text always travels with
the computed amount, because the text is what the law says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from onestop.domain.bilingual import BiText
from onestop.domain.errors import DomainError

BASES = ("per_dossier", "per_copy", "per_page")
CHANNEL_ONLINE = "online"
MAX_AMOUNT = 1_000_000_000
MAX_QUANTITY = 10_000
#: Form-data key holding the applicant's fee category (exemption / reduction code).
CATEGORY_KEY = "fee_category"


def _money(amount: int, lang: str) -> str:
    text = f"{amount:,}".replace(",", ".")
    return f"{text} đồng" if lang == "vi" else f"{text} VND"


def _bad(code: str, vi: str, en: str, field_name: str | None = None) -> DomainError:
    return DomainError(code, vi, en, field=field_name, status=422)


def _amount(raw: object, what: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0 or raw > MAX_AMOUNT:
        raise _bad(
            "bad_fee",
            f"Mức thu không hợp lệ ({what}): phải là số nguyên đồng từ 0.",
            f"Invalid amount ({what}): a whole number of đồng, 0 or more.",
            what,
        )
    return raw


def _percent(raw: object, what: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 100:
        raise _bad(
            "bad_fee_percent",
            f"Tỷ lệ giảm không hợp lệ ({what}): từ 0 đến 100.",
            f"Invalid discount ({what}): from 0 to 100.",
            what,
        )
    return raw


@dataclass(frozen=True)
class PageTier:
    """From page `from_page` (1-based) on, each page of a copy costs `amount`."""

    from_page: int
    amount: int


@dataclass(frozen=True)
class Exemption:
    """An applicant category that pays less or nothing, and the evidence it must show."""

    code: str
    label: BiText
    evidence: BiText = BiText()
    amount: int | None = None  # reduced unit rate
    percent_off: int | None = None  # 100 = exempt

    def to_dict(self) -> dict[str, Any]:
        """The stored form: the texts keep their `label_vi`/`label_en`, `evidence_vi`/`evidence_en` keys."""
        out: dict[str, Any] = {
            "code": self.code,
            "label_vi": self.label.vi,
            "label_en": self.label.en,
            "evidence_vi": self.evidence.vi,
            "evidence_en": self.evidence.en,
        }
        if self.amount is not None:
            out["amount"] = self.amount
        if self.percent_off is not None:
            out["percent_off"] = self.percent_off
        return out


@dataclass(frozen=True)
class FeeSchedule:
    basis: str = "per_dossier"
    amount: int = 0
    page_tiers: tuple[PageTier, ...] = ()
    cap_per_copy: int | None = None
    online_amount: int | None = None
    online_percent_off: int = 0
    exemptions: tuple[Exemption, ...] = ()
    pages_field: str = "pages"
    copies_field: str = "copies"

    # ------------------------------------------------------------------ (de)serialising
    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FeeSchedule:
        """Parse and check a stored or admin-typed schedule; a DomainError names what is wrong."""
        known = {
            "basis",
            "amount",
            "page_tiers",
            "cap_per_copy",
            "online_amount",
            "online_percent_off",
            "exemptions",
            "pages_field",
            "copies_field",
        }
        unknown = set(d) - known
        if unknown:
            raise _bad(
                "bad_fee_schedule",
                f"Biểu phí có mục không biết: {', '.join(sorted(unknown))}.",
                f"Unknown fee schedule entries: {', '.join(sorted(unknown))}.",
            )
        basis = d.get("basis", "per_dossier")
        if basis not in BASES:
            raise _bad("bad_fee_basis", "Cách tính phí không hợp lệ.", "Invalid fee basis.", "basis")
        tiers: list[PageTier] = []
        for i, raw in enumerate(d.get("page_tiers") or []):
            start = raw.get("from_page")
            if isinstance(start, bool) or not isinstance(start, int) or start < 1:
                raise _bad(
                    "bad_fee_tier",
                    f"Bậc {i + 1}: trang bắt đầu phải là số nguyên từ 1.",
                    f"Tier {i + 1}: the first page must be a whole number from 1.",
                    "page_tiers",
                )
            tiers.append(PageTier(start, _amount(raw.get("amount"), "page_tiers")))
        tiers.sort(key=lambda t: t.from_page)
        if basis == "per_page":
            if not tiers or tiers[0].from_page != 1:
                raise _bad(
                    "bad_fee_tier",
                    "Phí theo trang cần một bậc bắt đầu từ trang 1.",
                    "A per-page fee needs a tier starting at page 1.",
                    "page_tiers",
                )
            if len({t.from_page for t in tiers}) != len(tiers):
                raise _bad(
                    "bad_fee_tier", "Hai bậc bắt đầu cùng một trang.", "Two tiers start at the same page.", "page_tiers"
                )
        cap = d.get("cap_per_copy")
        online_amount = d.get("online_amount")
        exemptions: list[Exemption] = []
        for raw in d.get("exemptions") or []:
            code = str(raw.get("code") or "").strip()
            label_vi = str(raw.get("label_vi") or "").strip()
            if not code or not label_vi:
                raise _bad(
                    "bad_fee_exemption",
                    "Mỗi đối tượng miễn, giảm cần mã và tên.",
                    "Each exemption needs a code and a name.",
                    "exemptions",
                )
            amount = raw.get("amount")
            pct = raw.get("percent_off")
            if (amount is None) == (pct is None):
                raise _bad(
                    "bad_fee_exemption",
                    f"Đối tượng {label_vi}: ghi mức thu giảm hoặc tỷ lệ giảm (một trong hai).",
                    f"Category {code}: give either a reduced amount or a percentage off.",
                    "exemptions",
                )
            exemptions.append(
                Exemption(
                    code=code,
                    label=BiText(label_vi, str(raw.get("label_en") or label_vi).strip()),
                    evidence=BiText(
                        str(raw.get("evidence_vi") or "").strip(), str(raw.get("evidence_en") or "").strip()
                    ),
                    amount=None if amount is None else _amount(amount, "exemptions"),
                    percent_off=None if pct is None else _percent(pct, "exemptions"),
                )
            )
        if len({e.code for e in exemptions}) != len(exemptions):
            raise _bad(
                "bad_fee_exemption", "Hai đối tượng miễn, giảm trùng mã.", "Two exemptions share a code.", "exemptions"
            )
        return cls(
            basis=basis,
            amount=_amount(d.get("amount", 0), "amount"),
            page_tiers=tuple(tiers),
            cap_per_copy=None if cap is None else _amount(cap, "cap_per_copy"),
            online_amount=None if online_amount is None else _amount(online_amount, "online_amount"),
            online_percent_off=_percent(d.get("online_percent_off", 0), "online_percent_off"),
            exemptions=tuple(exemptions),
            pages_field=str(d.get("pages_field") or "pages"),
            copies_field=str(d.get("copies_field") or "copies"),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"basis": self.basis, "amount": self.amount}
        if self.page_tiers:
            out["page_tiers"] = [{"from_page": t.from_page, "amount": t.amount} for t in self.page_tiers]
        if self.cap_per_copy is not None:
            out["cap_per_copy"] = self.cap_per_copy
        if self.online_amount is not None:
            out["online_amount"] = self.online_amount
        if self.online_percent_off:
            out["online_percent_off"] = self.online_percent_off
        if self.exemptions:
            out["exemptions"] = [e.to_dict() for e in self.exemptions]
        if self.pages_field != "pages":
            out["pages_field"] = self.pages_field
        if self.copies_field != "copies":
            out["copies_field"] = self.copies_field
        return out

    @classmethod
    def flat(cls, amount: int, online_amount: int | None = None) -> FeeSchedule:
        """A procedure that only has the old flat amounts: one charge per dossier."""
        return cls(basis="per_dossier", amount=amount, online_amount=online_amount if online_amount != amount else None)

    # ------------------------------------------------------------------ reading
    def exemption(self, code: str) -> Exemption | None:
        return next((e for e in self.exemptions if e.code == code), None)

    def page_rate(self, page: int) -> int:
        rate = self.page_tiers[0].amount if self.page_tiers else self.amount
        for tier in self.page_tiers:
            if page >= tier.from_page:
                rate = tier.amount
        return rate

    def per_copy_for_pages(self, pages: int) -> int:
        """What one copy of `pages` pages costs: tiers summed arithmetically, then capped."""
        total = 0
        tiers = list(self.page_tiers)
        for i, tier in enumerate(tiers):
            end = tiers[i + 1].from_page - 1 if i + 1 < len(tiers) else pages
            count = max(0, min(end, pages) - tier.from_page + 1)
            total += count * tier.amount
        if self.cap_per_copy is not None:
            total = min(total, self.cap_per_copy)
        return total

    def uses_pages(self) -> bool:
        return self.basis == "per_page"

    def uses_copies(self) -> bool:
        return self.basis in ("per_copy", "per_page")

    def summary(self, lang: str = "vi") -> str:
        """One line saying how the amount is computed (shown beside the verbatim legal text)."""
        en = lang == "en"
        if self.basis == "per_page":
            parts = []
            for i, t in enumerate(self.page_tiers):
                nxt = self.page_tiers[i + 1].from_page - 1 if i + 1 < len(self.page_tiers) else None
                if nxt is None:
                    pages = f"from page {t.from_page}" if en else f"từ trang {t.from_page}"
                elif nxt == t.from_page:
                    pages = f"page {t.from_page}" if en else f"trang {t.from_page}"
                else:
                    pages = f"pages {t.from_page}–{nxt}" if en else f"trang {t.from_page}–{nxt}"
                parts.append(f"{_money(t.amount, lang)}/{'page' if en else 'trang'} ({pages})")
            text = "; ".join(parts)
            if self.cap_per_copy is not None:
                text += (
                    f"; at most {_money(self.cap_per_copy, lang)} per copy"
                    if en
                    else f"; tối đa {_money(self.cap_per_copy, lang)}/bản"
                )
        elif self.basis == "per_copy":
            text = f"{_money(self.amount, lang)}/{'copy' if en else 'bản'}"
        elif self.amount == 0:
            text = "Free" if en else "Miễn phí"
        else:
            text = f"{_money(self.amount, lang)}/{'dossier' if en else 'hồ sơ'}"
        if self.online_amount is not None:
            text += (
                f"; online {_money(self.online_amount, lang)}"
                if en
                else f"; nộp trực tuyến {_money(self.online_amount, lang)}"
            )
        if self.online_percent_off:
            text += (
                f"; {self.online_percent_off}% off online"
                if en
                else f"; giảm {self.online_percent_off}% khi nộp trực tuyến"
            )
        return text


@dataclass(frozen=True)
class FeeLine:
    label_vi: str
    label_en: str
    quantity: int
    unit_amount: int
    amount: int

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_vi


@dataclass(frozen=True)
class FeeQuote:
    """The computed amount with its lines, the legal text it comes from, and any evidence owed."""

    total: int
    lines: tuple[FeeLine, ...]
    legal_text: str = ""
    channel: str = "direct"
    #: The applicant's category that changed the amount, as the schedule defines it (its labels and evidence).
    category: Exemption | None = None
    pages: int | None = None
    copies: int | None = None
    summary: BiText = BiText()  # how the schedule counts, in words
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def exempt(self) -> bool:
        return bool(self.category) and self.total == 0

    @property
    def fee_status(self) -> str:
        """The dossier's initial fee status: unpaid, exempt (category, 0 đ) or none."""
        if self.total > 0:
            return "unpaid"
        return "exempt" if self.exempt else "none"

    def breakdown(self, lang: str = "vi") -> list[str]:
        out = []
        for line in self.lines:
            sign = "-" if line.amount < 0 else ""
            if line.quantity != 1 or line.amount >= 0 and line.unit_amount != line.amount:
                out.append(
                    f"{line.label(lang)}: {line.quantity} × {_money(line.unit_amount, lang)} = "
                    f"{sign}{_money(abs(line.amount), lang)}"
                )
            else:
                out.append(f"{line.label(lang)}: {sign}{_money(abs(line.amount), lang)}")
        out.append(f"{'Total' if lang == 'en' else 'Tổng cộng'}: {_money(self.total, lang)}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "channel": self.channel,
            "category": self.category.code if self.category else "",
            "pages": self.pages,
            "copies": self.copies,
            "lines": [
                {
                    "label_vi": ln.label_vi,
                    "label_en": ln.label_en,
                    "quantity": ln.quantity,
                    "unit_amount": ln.unit_amount,
                    "amount": ln.amount,
                }
                for ln in self.lines
            ],
        }


def _quantity(data: Mapping[str, Any], key: str, what_vi: str, what_en: str) -> int:
    raw = data.get(key)
    if raw is None or raw == "":
        return 1
    try:
        value = int(str(raw).strip()) if not isinstance(raw, int) or isinstance(raw, bool) else raw
        if isinstance(raw, float) and raw != int(raw):
            raise ValueError
    except ValueError:
        value = 0
    if isinstance(raw, bool) or not 1 <= value <= MAX_QUANTITY:
        raise _bad(
            f"bad_{key}",
            f"{what_vi} phải là số nguyên từ 1 đến {MAX_QUANTITY}.",
            f"{what_en} must be a whole number from 1 to {MAX_QUANTITY}.",
            key,
        )
    return value


def quote(schedule: FeeSchedule, data: Mapping[str, Any] | None, channel: str, legal_text: str = "") -> FeeQuote:
    """The amount owed for a dossier with form `data` filed through `channel`."""
    data = data or {}
    online = channel == CHANNEL_ONLINE
    category_code = str(data.get(CATEGORY_KEY) or "").strip()
    category = schedule.exemption(category_code) if category_code else None
    if category_code and category is None:
        raise _bad(
            "bad_fee_category",
            "Đối tượng miễn, giảm phí không có trong biểu phí của thủ tục này.",
            "This fee category is not in the procedure's schedule.",
            CATEGORY_KEY,
        )
    copies = (
        _quantity(data, schedule.copies_field, "Số bản", "The number of copies") if schedule.uses_copies() else None
    )
    pages = _quantity(data, schedule.pages_field, "Số trang", "The number of pages") if schedule.uses_pages() else None
    lines: list[FeeLine] = []

    if schedule.basis == "per_page":
        assert pages is not None and copies is not None
        per_copy = schedule.per_copy_for_pages(pages)
        uncapped = sum(schedule.page_rate(p) for p in range(1, pages + 1)) if pages <= MAX_QUANTITY else per_copy
        label_vi = f"Bản chứng thực ({pages} trang/bản)"
        label_en = f"Certified copies ({pages} page(s) each)"
        if per_copy < uncapped:
            label_vi += " (mức tối đa/bản)"
            label_en += " (capped per copy)"
        unit = per_copy
        lines.append(FeeLine(label_vi, label_en, copies, unit, unit * copies))
    else:
        unit = schedule.amount
        if online and schedule.online_amount is not None:
            unit = min(unit, schedule.online_amount)
        if category is not None and category.amount is not None:
            unit = min(unit, category.amount)
        qty = copies if schedule.basis == "per_copy" and copies is not None else 1
        label_vi, label_en = (
            ("Số bản", "Copies") if schedule.basis == "per_copy" else ("Phí, lệ phí/hồ sơ", "Fee per dossier")
        )
        if category is not None and category.amount is not None and unit == category.amount < schedule.amount:
            label_vi += f" (mức thu giảm: {category.label.vi})"
            label_en += f" (reduced rate: {category.label.en})"
        elif online and schedule.online_amount is not None and unit == schedule.online_amount < schedule.amount:
            label_vi += " (mức thu nộp trực tuyến)"
            label_en += " (online rate)"
        lines.append(FeeLine(label_vi, label_en, qty, unit, unit * qty))
    total = sum(line.amount for line in lines)
    if online and schedule.online_percent_off and total > 0:
        off = total * schedule.online_percent_off // 100
        lines.append(
            FeeLine(
                f"Giảm {schedule.online_percent_off}% khi nộp trực tuyến",
                f"{schedule.online_percent_off}% off for filing online",
                1,
                off,
                -off,
            )
        )
        total -= off
    if category is not None and category.percent_off and total > 0:
        off = total * category.percent_off // 100
        lines.append(
            FeeLine(
                f"{'Miễn' if category.percent_off == 100 else 'Giảm ' + str(category.percent_off) + '%'}"
                f": {category.label.vi}",
                f"{'Exempt' if category.percent_off == 100 else str(category.percent_off) + '% off'}"
                f": {category.label.en}",
                1,
                off,
                -off,
            )
        )
        total -= off
    return FeeQuote(
        total=max(0, total),
        lines=tuple(lines),
        legal_text=legal_text,
        channel=channel,
        category=category,
        pages=pages,
        copies=copies,
        summary=BiText.by(schedule.summary),
    )


def starting_amount(schedule: FeeSchedule, channel: str) -> int:
    """The smallest amount anyone pays (one page, one copy, no category): what catalog lists show."""
    return quote(schedule, {}, channel).total


def schedule_for(raw: Mapping[str, Any] | None, fee_amount: int, fee_online_amount: int | None) -> FeeSchedule:
    """The procedure version's schedule; versions published before schedules existed charge their flat amounts."""
    if raw:
        return FeeSchedule.from_dict(raw)
    return FeeSchedule.flat(fee_amount, fee_online_amount)


# ---------------------------------------------------------------------------- the admin's form (no JSON)


def _form_int(raw: str, field_name: str, what_vi: str, what_en: str) -> int | None:
    text = raw.replace(".", "").replace(",", "").replace(" ", "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise _bad("bad_fee", f"{what_vi}: nhập số nguyên (đồng hoặc %).", f"{what_en}: a whole number.", field_name)
    return int(text)


def schedule_from_form(form: Mapping[str, str]) -> FeeSchedule:
    """Build a schedule from the admin form's text fields; errors name the field to fix.

    Fields: fee_basis, fee_amount, fee_online_amount, fee_tiers ("1 = 2000" per line),
    fee_cap, fee_online_percent, fee_exemptions ("code | tên | name | giấy tờ | evidence | 100000 or 100%").
    """
    g = lambda key: str(form.get(key) or "")  # noqa: E731
    raw: dict[str, Any] = {
        "basis": g("fee_basis").strip() or "per_dossier",
        "amount": _form_int(g("fee_amount"), "fee_amount", "Mức thu", "Amount") or 0,
    }
    tiers = []
    for n, line in enumerate(x for x in g("fee_tiers").splitlines() if x.strip()):
        if "=" not in line:
            raise _bad(
                "bad_fee_tier",
                f"Dòng {n + 1} của bậc theo trang: viết “trang bắt đầu = mức thu”.",
                f"Tier line {n + 1}: write “first page = amount”.",
                "fee_tiers",
            )
        start, amount = line.split("=", 1)
        tiers.append(
            {
                "from_page": _form_int(start, "fee_tiers", "Trang bắt đầu", "First page"),
                "amount": _form_int(amount, "fee_tiers", "Mức thu/trang", "Amount per page"),
            }
        )
    if tiers:
        raw["page_tiers"] = tiers
    for key, form_key, vi, en in (
        ("cap_per_copy", "fee_cap", "Mức tối đa/bản", "Maximum per copy"),
        ("online_amount", "fee_online_amount", "Mức thu trực tuyến", "Online amount"),
        ("online_percent_off", "fee_online_percent", "Tỷ lệ giảm trực tuyến", "Online discount"),
    ):
        value = _form_int(g(form_key), form_key, vi, en)
        if value is not None:
            raw[key] = value
    exemptions = []
    for n, line in enumerate(x for x in g("fee_exemptions").splitlines() if x.strip()):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3:
            raise _bad(
                "bad_fee_exemption",
                f"Dòng {n + 1} của đối tượng miễn, giảm: cần ít nhất “mã | tên | mức”.",
                f"Exemption line {n + 1}: at least “code | name | amount”.",
                "fee_exemptions",
            )
        code, level, middle = parts[0], parts[-1], parts[1:-1] + [""] * 4
        entry: dict[str, Any] = {
            "code": code,
            "label_vi": middle[0],
            "label_en": middle[1] or middle[0],
            "evidence_vi": middle[2],
            "evidence_en": middle[3] or middle[2],
        }
        if level.endswith("%"):
            entry["percent_off"] = _form_int(level[:-1], "fee_exemptions", "Tỷ lệ giảm", "Discount")
        else:
            entry["amount"] = _form_int(level, "fee_exemptions", "Mức thu giảm", "Reduced amount")
        exemptions.append(entry)
    if exemptions:
        raw["exemptions"] = exemptions
    return FeeSchedule.from_dict(raw)


def schedule_to_form(schedule: FeeSchedule) -> dict[str, str]:
    """The inverse of schedule_from_form: what the admin form shows for a stored schedule."""
    return {
        "fee_basis": schedule.basis,
        "fee_amount": str(schedule.amount),
        "fee_online_amount": "" if schedule.online_amount is None else str(schedule.online_amount),
        "fee_tiers": "\n".join(f"{t.from_page} = {t.amount}" for t in schedule.page_tiers),
        "fee_cap": "" if schedule.cap_per_copy is None else str(schedule.cap_per_copy),
        "fee_online_percent": str(schedule.online_percent_off) if schedule.online_percent_off else "",
        "fee_exemptions": "\n".join(
            " | ".join(
                [
                    e.code,
                    e.label.vi,
                    e.label.en,
                    e.evidence.vi,
                    e.evidence.en,
                    f"{e.percent_off}%" if e.percent_off is not None else str(e.amount),
                ]
            )
            for e in schedule.exemptions
        ),
    }
