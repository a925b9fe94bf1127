"""Demo data: catalog, centers, staff, 240 residents and ~320 dossiers over the last 90 days.

Idempotent: each part is keyed by natural codes (center code, procedure code, phone,
national ID) and skipped when present; dossiers are generated only into an empty
dossier table. Dossiers are walked through the real services with the clock set
to past moments, so their events, deadlines and documents are exactly what the
system itself would have produced — some end up overdue, some due soon.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, func, select

from onestop import clock
from onestop.demo.catalog import CENTERS, DEMO_PASSWORD, DEMO_USERS, EXTRA_OFFICERS, FIELDS, PROCEDURES
from onestop.demo.scans import demo_scan_pdf
from onestop.domain.errors import DomainError
from onestop.domain.forms import FormSchema
from onestop.domain.lifecycle import Action, Status
from onestop.domain.text import fold
from onestop.models import (
    Attachment,
    Center,
    Consent,
    Counter,
    Dossier,
    Procedure,
    ProcedureField,
    QueueTicket,
    Rating,
    Resident,
    SupportVisit,
    User,
)
from onestop.services.actor import Actor
from onestop.services.auth import hash_password
from onestop.services.calendar import load_calendar
from onestop.services.dossiers import FEE_EVIDENCE_DOC, ActionInput, file_dossier, perform
from onestop.services.uploads import put_attachment

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Xuân"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Bích"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hiếu",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Đạt",
]
GIVEN_FEMALE = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Trang",
    "Yến",
]
HAMLETS = [
    "thôn Đông",
    "thôn Tây",
    "thôn Bắc Sơn",
    "thôn Nam Hà",
    "xóm Chợ",
    "xóm Giữa",
    "tổ dân phố 3",
    "tổ dân phố 5",
]
COMMUNES = ["xã Hòa An", "phường Tân An", "đặc khu Phú Quý"]
PROVINCE_CODE = "036"  # birth registrations of the demo province
DEMO_CITIZEN_ID = "036188004512"  # Nguyễn Thị Lan, born 1988

#: How demo dossiers end up, with weights (≈ a provincial month's mix).
TARGETS: list[tuple[str, int]] = [
    ("submitted", 7),
    ("received", 7),
    ("appraisal", 10),
    ("approval", 5),
    ("signing", 3),
    ("supplement", 6),
    ("awaiting_fee", 2),
    ("refused", 3),
    ("withdrawn", 2),
    ("stopped", 1),
    ("result_ready", 8),
    ("returned", 46),
]


#: Online dossiers of account holders the seed leaves waiting for reception at X01 (besides the random ones).
WAITING_ONLINE_AT_X01 = 4

OPEN_TARGETS = frozenset(
    {"submitted", "received", "appraisal", "approval", "signing", "supplement", "awaiting_fee", "result_ready"}
)


#: The tables the seed fills, by the name its report gives them, in the order it prints them.
_COUNTED = (
    ("centers", Center),
    ("procedures", Procedure),
    ("users", User),
    ("residents", Resident),
    ("dossiers", Dossier),
)


@dataclass
class SeedReport:
    """What the seed added: each table's rows after it ran less the rows before.

    Why a difference of counts: the report cannot then disagree with the database (a skipped demo walk, a
    second run that adds nothing), and no seeding step has to remember to count what it adds.
    """

    added: dict[str, int]

    def lines(self) -> list[str]:
        """One "name +count" line per kind of row the seed added, in the order of `_COUNTED`."""
        return [f"{name} +{count}" for name, count in self.added.items()]


def _row_counts(session: Session) -> dict[str, int]:
    return {name: int(session.exec(select(func.count()).select_from(model)).one()) for name, model in _COUNTED}


def _national_id(rng: random.Random, born: date, gender: str) -> str:
    century = (born.year // 100 - 19) * 2 + (1 if gender == "female" else 0)
    return f"{PROVINCE_CODE}{century}{born.year % 100:02d}{rng.randrange(10**6):06d}"


def _seed_catalog(session: Session) -> None:
    fields = {f.code: f for f in session.exec(select(ProcedureField))}
    for spec in FIELDS:
        if spec["code"] not in fields:
            row = ProcedureField(**spec)
            session.add(row)
            session.flush()
            fields[row.code] = row
    existing = {p.code for p in session.exec(select(Procedure))}
    for spec in PROCEDURES:
        if spec["code"] in existing:
            continue
        FormSchema.from_dict(spec["form_schema"])  # the demo schemas must be valid schemas
        data = {k: v for k, v in spec.items() if k != "field"}
        session.add(
            Procedure(**data, field_id=fields[spec["field"]].id, version=1, is_current=True, created_at=clock.now())
        )


def _seed_centers(session: Session) -> dict[str, Center]:
    centers = {c.code: c for c in session.exec(select(Center))}
    for spec in CENTERS:
        if spec["code"] in centers:
            continue
        center = Center(
            code=spec["code"],
            name=spec["name"],
            level=spec["level"],
            province="Tỉnh Demo",
            address=spec["address"],
            phone=spec["phone"],
        )
        session.add(center)
        session.flush()
        for number, name, field_codes in spec["counters"]:
            session.add(Counter(center_id=center.id, number=number, name=name, field_codes=field_codes))
        centers[center.code] = center
    return centers


def _seed_residents(session: Session, rng: random.Random) -> list[Resident]:
    if session.exec(select(func.count()).select_from(Resident)).one() >= 200:
        return list(session.exec(select(Resident).order_by(Resident.id)))
    residents: list[Resident] = []
    lan = Resident(
        national_id=DEMO_CITIZEN_ID,
        full_name="Nguyễn Thị Lan",
        full_name_folded=fold("Nguyễn Thị Lan"),
        date_of_birth=date(1988, 3, 14),
        gender="female",
        phone="0901000001",
        address="Số 12, thôn Đông, xã Hòa An, Tỉnh Demo",
        commune="xã Hòa An",
    )
    residents.append(lan)
    seen = {DEMO_CITIZEN_ID}
    while len(residents) < 240:
        gender = rng.choice(["male", "female"])
        middle = MIDDLE_MALE if gender == "male" else MIDDLE_FEMALE
        given = GIVEN_MALE if gender == "male" else GIVEN_FEMALE
        name = f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}"
        born = date(rng.randint(1940, 2006), rng.randint(1, 12), rng.randint(1, 28))
        nid = _national_id(rng, born, gender)
        if nid in seen:
            continue
        seen.add(nid)
        commune = rng.choice(COMMUNES)
        phone = f"09{rng.choice('1234678')}{rng.randrange(10**7):07d}"
        residents.append(
            Resident(
                national_id=nid,
                full_name=name,
                full_name_folded=fold(name),
                date_of_birth=born,
                gender=gender,
                phone=phone,
                commune=commune,
                address=f"Số {rng.randint(1, 200)}, {rng.choice(HAMLETS)}, {commune}, Tỉnh Demo",
            )
        )
    session.add_all(residents)
    session.flush()
    return residents


def _seed_users(session: Session, centers: dict[str, Center], residents: list[Resident]) -> dict[str, User]:
    phones = {u.phone: u for u in session.exec(select(User))}
    password_hash = hash_password(DEMO_PASSWORD)
    for phone, role, name, center_code, title in [*DEMO_USERS, *EXTRA_OFFICERS]:
        if phone in phones:
            continue
        user = User(
            phone=phone,
            full_name=name,
            role=role,
            title=title,
            password_hash=password_hash,
            center_id=centers[center_code].id if center_code else None,
            national_id=DEMO_CITIZEN_ID if role == "citizen" else None,
        )
        session.add(user)
        phones[phone] = user
    # Most residents have online accounts; the last forty file at the counter or with help.
    for resident in residents[1:200]:
        if resident.phone in phones:
            continue
        user = User(
            phone=resident.phone,
            national_id=resident.national_id,
            full_name=resident.full_name,
            role="citizen",
            password_hash=password_hash,
        )
        session.add(user)
        phones[user.phone] = user
    session.flush()
    return {u.role: u for u in phones.values() if u.phone in {p for p, *_ in DEMO_USERS}}


def _demo_file(session: Session, owner: User, code: str, *, kind: str = "input") -> Attachment:
    """A small real PDF marked as demo material, stored like any upload."""
    return put_attachment(
        session,
        demo_scan_pdf(code),
        owner_user_id=owner.id,
        kind=kind,
        document_code=code,
        filename=f"{code}.pdf",
        mime="application/pdf",
    )


def _form_for(spec: dict, resident: Resident, rng: random.Random) -> dict[str, object]:
    """Plausible answers for a procedure's form, from the person's registry data."""
    values: dict[str, object] = {}
    for f in spec["form_schema"]["fields"]:
        name, type_ = f["name"], f["type"]
        source = f.get("autofill")
        if source:
            values[name] = {
                "resident.full_name": resident.full_name,
                "resident.national_id": resident.national_id,
                "resident.date_of_birth": resident.date_of_birth.isoformat(),
                "resident.phone": resident.phone,
                "resident.address": resident.address,
            }[source]
        elif type_ == "checkbox":
            values[name] = True
        elif type_ == "select":
            values[name] = rng.choice(f["options"])["value"]
        elif type_ == "number":
            lo = int(f.get("min_value") or 1)
            hi = int(f.get("max_value") or 5)
            values[name] = rng.randint(lo, max(lo, min(hi, lo + 4)))
        elif type_ == "date":
            values[name] = (clock.now().date() - timedelta(days=rng.randint(1, 20))).isoformat()
        elif type_ == "national_id":
            values[name] = _national_id(rng, date(1990, 5, 5), "male")
        elif type_ == "phone":
            values[name] = resident.phone
        else:
            if f.get("max_length") and f["max_length"] <= 20:
                values[name] = f"{rng.randrange(10**11):012d}"
                continue
            values[name] = {
                "child_name": f"{resident.full_name.split()[0]} Gia Bảo",
                "partner_name": "Trần Văn Khôi",
                "deceased_name": "Lê Văn Hòa",
                "business_name": f"Hộ kinh doanh {resident.full_name.split()[-1]}",
                "business_line": "Bán lẻ hàng tạp hóa",
            }.get(name, f"{f['label_vi']} — {resident.commune}")
    return values


def _pick_target(rng: random.Random) -> str:
    return rng.choices([t for t, _ in TARGETS], weights=[w for _, w in TARGETS])[0]


def _seed_dossiers(
    session: Session,
    rng: random.Random,
    centers: dict[str, Center],
    residents: list[Resident],
    demo: dict[str, User],
    count: int,
) -> None:
    if count <= 0 or session.exec(select(func.count()).select_from(Dossier)).one() > 0:
        return
    real_now = clock.now()
    cal = load_calendar(session)
    procs = list(session.exec(select(Procedure).where(Procedure.is_current.is_(True))))
    specs = {p["code"]: p for p in PROCEDURES}
    users_by_nid = {u.national_id: u for u in session.exec(select(User).where(User.role == "citizen"))}
    staff: dict[tuple[int, str], list[User]] = {}
    for u in session.exec(select(User).where(User.center_id.is_not(None))):
        staff.setdefault((u.center_id, u.role), []).append(u)
    supporter = demo["supporter"]
    start_day = real_now.date() - timedelta(days=90)
    days = [start_day + timedelta(days=i) for i in range(91) if cal.is_working_day(start_day + timedelta(days=i))]

    def at_work(day: date) -> datetime:
        minute = rng.randint(0, 7 * 60)
        base = datetime.combine(day, datetime.min.time()).replace(hour=7, minute=30) + timedelta(minutes=minute)
        return base if base.hour < 11 or base.hour >= 13 else base + timedelta(hours=2)

    # The demo citizen's own dossiers come first so the /my page has a story to tell.
    plan: list[tuple[Resident, str]] = [
        (residents[0], t) for t in ("returned", "appraisal", "supplement", "result_ready", "awaiting_fee")
    ]
    # The X01 receiver always has online dossiers of account holders waiting for reception, whatever the hour
    # of seeding (the random walk below leaves anywhere from one to ten of them): a demo must show that queue.
    account_holders = [r for r in residents[1:] if r.national_id in users_by_nid]
    waiting = [(r, "submitted") for r in rng.sample(account_holders, min(WAITING_ONLINE_AT_X01, len(account_holders)))]
    pinned = range(len(plan), len(plan) + len(waiting))  # their places in the plan
    plan += waiting
    while len(plan) < count:
        plan.append((rng.choice(residents), _pick_target(rng)))
    for place, (resident, target) in enumerate(plan):
        center = centers["X01"] if rng.random() < 0.6 else centers[rng.choice(["T01", "P01", "D01"])]
        if place in pinned:
            center = centers["X01"]
        proc = rng.choice(procs)
        late = rng.random() < 0.06
        if target in OPEN_TARGETS:
            # Open dossiers are recent and mostly of longer procedures; a few were left too long,
            # which is how the overdue ones on the officer's screen come about.
            late = rng.random() < 0.12
            if not late:
                proc = rng.choice([p for p in procs if (p.duration_counter or {}).get("unit") != "same_day"])
            pool = days[-20:-6] if late else days[-4:]
        else:
            pool = days[:-1]
        # Today's office hours may still be ahead (seeding at 01:00): nothing is filed in the future — such a
        # dossier would sort above the ones people file next (issue 12: a suite that passes at any hour).
        t0 = min(at_work(rng.choice(pool)), real_now - timedelta(minutes=rng.randint(5, 90)))
        spec = specs[proc.code]
        citizen = users_by_nid.get(resident.national_id)
        channel = "online" if citizen and rng.random() < 0.85 else rng.choice(["direct", "direct", "assisted"])
        if resident is residents[0] or place in pinned:
            channel = "online"
        receiver = rng.choice(staff[(center.id, "receiver")])
        specialist = rng.choice(staff[(center.id, "specialist")])
        leader = rng.choice(staff[(center.id, "leader")])
        try:
            _walk(
                session,
                rng,
                cal,
                real_now,
                t0,
                target,
                proc,
                spec,
                center,
                resident,
                citizen,
                channel,
                receiver,
                specialist,
                leader,
                supporter,
                late,
            )
        except DomainError as exc:  # a demo walk that hits a rule is skipped, never half-written
            session.rollback()
            print(f"  skipped a demo dossier: {exc.en}")
        clock.set_now(None)


def _walk(
    session: Session,
    rng: random.Random,
    cal,
    real_now: datetime,
    t0: datetime,
    target: str,  # noqa: ANN001
    proc: Procedure,
    spec: dict,
    center: Center,
    resident: Resident,
    citizen: User | None,
    channel: str,
    receiver: User,
    specialist: User,
    leader: User,
    supporter: User,
    late: bool,
) -> None:
    """File one demo dossier at t0 and take it towards `target`, never past the real now.

    Step times scale with the procedure's legal duration (a same-day procedure moves in
    minutes, a 15-day permit in days); a `late` dossier dawdles in appraisal.
    """
    moment = [t0]
    duration = proc.duration_counter or {}
    unit, value = duration.get("unit"), float(duration.get("value") or 0)
    budget = {"same_day": 2.0, "working_hours": value, "calendar_days": value * 5.0}.get(unit, value * 7.5)
    scale = max(0.02, budget / 45)

    def step(hours_lo: float = 0.5, hours_hi: float = 10, slow: float = 1.0) -> bool:
        nxt = cal.add_working_hours(moment[0], rng.uniform(hours_lo, hours_hi) * scale * slow)
        if nxt >= real_now:
            return False
        moment[0] = nxt
        clock.set_now(nxt)
        return True

    clock.set_now(t0)
    if channel == "online":
        actor_user = citizen
    elif channel == "assisted":
        actor_user = supporter
    else:
        actor_user = receiver
    assert actor_user is not None
    actor = Actor.from_user(actor_user)
    schema = spec["form_schema"]
    # The required documents, and the evidence of a fee exemption in case the answers claim one (without it the
    # filing is refused and the demo would lose that dossier).
    attachments = [
        _demo_file(session, actor_user, d["code"]).id
        for d in schema["documents"]
        if (d.get("required", True) or d["code"] == FEE_EVIDENCE_DOC) and not d.get("state_held")
    ]
    consent_id = None
    if channel == "assisted":
        consent = Consent(
            supporter_id=supporter.id,
            resident_id=resident.id,
            method="signature",
            captured_at=t0,
            place=resident.address,
        )
        session.add(consent)
        session.flush()
        consent_id = consent.id
        session.add(
            SupportVisit(
                supporter_id=supporter.id,
                resident_id=resident.id,
                planned_for=t0.date(),
                purpose=proc.name_vi,
                status="done",
                done_at=t0,
            )
        )
    dossier = file_dossier(
        session,
        actor,
        procedure_code=proc.code,
        form_data=_form_for(spec, resident, rng),
        channel=channel,
        center_id=center.id,
        attachment_ids=attachments,
        resident_id=None if channel == "online" else resident.id,
        consent_id=consent_id,
        receive_now=channel == "direct",
    )
    rec, spe, lea = Actor.from_user(receiver), Actor.from_user(specialist), Actor.from_user(leader)
    applicant = Actor.from_user(citizen) if citizen and channel == "online" else rec

    def act(who: Actor, action: Action, **data: object) -> None:
        perform(session, who, dossier.id, action, expected_version=dossier.version, data=ActionInput(**data))
        session.refresh(dossier)

    if target == "submitted":
        return
    if dossier.status == Status.SUBMITTED:
        if not step(0.2, 6):
            return
        if target == "refused" and rng.random() < 0.5:
            act(rec, Action.REFUSE, reason="Thủ tục không thuộc thẩm quyền giải quyết của trung tâm.")
            return
        act(rec, Action.RECEIVE)
    if target == "received" or not step(0.2, 4):
        return
    act(rec, Action.ASSIGN, assignee_id=specialist.id)
    if target == "withdrawn":
        if step(1, 8):
            act(applicant, Action.WITHDRAW, reason="Người dân đề nghị rút hồ sơ để bổ sung thông tin.")
        return
    if target == "stopped":
        if step(1, 8):
            act(lea, Action.STOP, reason="Có tranh chấp liên quan, cơ quan có thẩm quyền đang thụ lý.")
        return
    if target in ("supplement", "refused") or rng.random() < 0.12:
        if not step(1, 12):
            return
        deadline = cal.add_working_days(moment[0], 5)
        act(
            spe,
            Action.REQUEST_SUPPLEMENT,
            missing_items=["Bản sao giấy tờ chứng minh nơi cư trú", "Ảnh chụp rõ nét trang 2 của giấy tờ đã nộp"],
            reason="Hồ sơ chưa đủ thành phần theo quy định.",
            supplement_deadline=deadline,
        )
        if target == "supplement":
            return
        if target == "refused":
            moment[0] = deadline + timedelta(hours=1)
            if moment[0] >= real_now:
                return
            clock.set_now(moment[0])
            act(spe, Action.CLOSE_MISSING_SUPPLEMENT, reason="Quá hạn bổ sung mà người dân không bổ sung hồ sơ.")
            return
        if not step(2, 20):
            return
        att = _demo_file(
            session, Session.get(session, User, applicant.user_id) or receiver, "supplement", kind="supplement"
        )
        act(applicant, Action.PROVIDE_SUPPLEMENT, attachment_ids=[att.id], note="Đã bổ sung theo yêu cầu.")
        if not step(0.5, 6):
            return
        act(spe, Action.CONFIRM_SUPPLEMENT)
    if target == "awaiting_fee":
        if step(1, 6):
            act(spe, Action.REQUEST_FEE, amount=max(proc.fee_amount, 50000))
        return
    # Appraisal — sometimes slow, which is how the overdue ones in the demo come about.
    if not step(2, 14, slow=4.0 if late else 1.0):
        return
    if target == "appraisal":
        return
    act(spe, Action.APPRAISE, opinion="Hồ sơ đầy đủ, hợp lệ; đề nghị giải quyết.")
    if not step(0.2, 3):
        return
    act(spe, Action.SUBMIT_FOR_APPROVAL)
    if target == "approval" or not step(0.5, 8):
        return
    act(lea, Action.APPROVE)
    if target == "signing" or not step(0.2, 4):
        return
    act(lea, Action.SIGN)
    if not step(0.2, 3):
        return
    act(spe, Action.ISSUE_RESULT)
    if target == "result_ready" or not step(0.5, 16):
        return
    if dossier.fee_status == "unpaid" and dossier.fee_amount > 0:
        _pay_at_counter(session, dossier)
    act(
        rec,
        Action.RETURN_RESULT,
        return_method=rng.choice(["electronic", "in_person", "electronic", "post"]),
        recipient_id=dossier.applicant_national_id or "",
    )
    if dossier.applicant_user_id and rng.random() < 0.6:
        good = rng.random() < 0.93
        session.add(
            Rating(
                dossier_id=dossier.id,
                user_id=dossier.applicant_user_id,
                overall=5 if good else 2,
                timeliness=5 if good else 2,
                attitude=5 if good else 3,
                trips=1 if good else 3,
                comment="" if good else "Phải đi lại nhiều lần.",
                is_complaint=not good,
                created_at=clock.now(),
            )
        )
        session.commit()


def _pay_at_counter(session: Session, dossier: Dossier) -> None:
    from onestop.services.payments import record_counter_payment

    record_counter_payment(session, dossier)


def seed(
    session: Session, *, dossiers: int = 320, rng_seed: int = 2026, progress: Callable[[str], None] | None = None
) -> SeedReport:
    """Load the demo data; safe to run again (changes nothing the second time)."""
    rng = random.Random(rng_seed)
    before = _row_counts(session)
    say = progress or (lambda _m: None)
    centers = _seed_centers(session)
    _seed_catalog(session)
    residents = _seed_residents(session, rng)
    demo = _seed_users(session, centers, residents)
    session.commit()
    say("catalog, centers, users and residents ready")
    _seed_dossiers(session, rng, centers, residents, demo, dossiers)
    _seed_visits(session, rng, demo["supporter"], residents)
    session.commit()
    say("dossiers ready")
    if dossiers > 0:
        _seed_queue_history(session, rng, centers["X01"])
        session.commit()
        say("queue history ready")
    after = _row_counts(session)
    return SeedReport({name: after[name] - before[name] for name in after})


def _seed_visits(session: Session, rng: random.Random, supporter: User, residents: list[Resident]) -> None:
    planned = session.exec(select(func.count()).select_from(SupportVisit).where(SupportVisit.status == "planned")).one()
    if planned:
        return
    today = clock.now().date()
    for i, resident in enumerate(rng.sample(residents[200:], 6)):
        session.add(
            SupportVisit(
                supporter_id=supporter.id,
                resident_id=resident.id,
                planned_for=today + timedelta(days=i // 2),
                purpose=rng.choice(
                    [
                        "Hướng dẫn đăng ký khai sinh trực tuyến",
                        "Hỗ trợ chứng thực bản sao",
                        "Hỗ trợ đăng ký thường trú cho người cao tuổi",
                    ]
                ),
            )
        )


def _seed_queue_history(session: Session, rng: random.Random, center: Center, days: int = 10) -> None:
    """The last `days` working days of numbers at one center's counters, called and served through the queue's
    own use cases, so the dashboard's queue tables have something to show. Today is left empty for the demo."""
    from onestop.services import queue

    if session.exec(select(func.count()).select_from(QueueTicket)).one():
        return
    receivers = session.exec(select(User).where(User.center_id == center.id, User.role == "receiver")).all()
    counters = [c for c in queue.counters_of(session, center.id) if c.field_codes]
    fields = queue.fields_served(session, center.id)
    if not receivers or not counters or not fields:
        return
    officer = Actor.from_user(receivers[0])
    cal = load_calendar(session)
    today = clock.now().date()
    worked = [today - timedelta(days=i) for i in range(1, 30) if cal.is_working_day(today - timedelta(days=i))][:days]
    for day in reversed(worked):
        opening = datetime.combine(day, time(7, 30))
        arrivals = sorted(
            opening + timedelta(minutes=rng.randint(0, 150) if rng.random() < 0.6 else rng.randint(360, 540))
            for _ in range(rng.randint(28, 44))
        )
        free = {c.id: opening for c in counters}
        taken = 0
        while free:
            counter_id = min(free, key=lambda c: free[c])
            at = free[counter_id]
            while taken < len(arrivals) and arrivals[taken] <= at:
                queue.take_number(
                    session,
                    center_id=center.id,
                    field_code=rng.choice(fields),
                    holder=f"device:demo{day:%Y%m%d}{taken:04d}",
                    priority=rng.random() < 0.1,
                    now=arrivals[taken],
                )
                taken += 1
            called = queue.call_next(session, officer, counter_id, now=at).ticket
            if called is None:
                if taken == len(arrivals):
                    del free[counter_id]  # nobody left for this counter today
                else:
                    free[counter_id] = max(at + timedelta(minutes=2), arrivals[taken])
                continue
            started = at + timedelta(minutes=1)
            queue.start_serving(session, officer, counter_id, called.id, now=started)
            done = started + timedelta(minutes=rng.randint(3, 14))
            queue.finish(session, officer, counter_id, called.id, now=done)
            free[counter_id] = done + timedelta(minutes=1)
