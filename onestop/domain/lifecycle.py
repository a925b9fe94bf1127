"""The dossier lifecycle: national status codes, actions, who may take them, and the clock.

Why a table: every channel (online, counter, support team, field sync) goes through
the same transitions, and the audit log, notifications and metrics all key off the
action names here. A transition not in the table is refused with a clear message.

Inside status 4 (in processing) the dossier walks through steps:
appraisal → appraised → approval → signing → signed, then `issue_result` makes it 9.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import TypeVar

from onestop.domain.errors import DomainError

_Member = TypeVar("_Member", bound="IntEnum | StrEnum")


def _labelled(member: _Member, code: int | str, vi: str, en: str) -> _Member:
    """A new enum member with its code as value and its label (vi, en) attached (`Status`, `Step`)."""
    member._value_ = code
    member.label = (vi, en)  # type: ignore[union-attr]
    return member


class Status(IntEnum):
    """National status codes (0 is our draft, not sent to the national portal), each with its label (vi, en).

    Why the label on the member: a status cannot be added without the words the pages, slips and refusals
    name it by (the action table carries its labels the same way).
    """

    label: tuple[str, str]

    def __new__(cls, code: int, vi: str = "", en: str = "") -> Status:
        return _labelled(int.__new__(cls, code), code, vi, en)

    DRAFT = 0, "Bản nháp", "Draft"
    SUBMITTED = 1, "Chờ tiếp nhận", "Awaiting reception"
    RECEIVED = 2, "Đã tiếp nhận", "Received"
    REFUSED = 3, "Không tiếp nhận", "Not accepted"
    PROCESSING = 4, "Đang xử lý", "In processing"
    SUPPLEMENT = 5, "Chờ bổ sung", "Supplement requested"
    AWAITING_FEE = 6, "Chờ nộp phí", "Awaiting fee"
    WITHDRAWN = 7, "Đã rút", "Withdrawn"
    STOPPED = 8, "Dừng xử lý", "Processing stopped"
    RESULT_READY = 9, "Có kết quả", "Result ready"
    RETURNED = 10, "Đã trả kết quả", "Result returned"


TERMINAL = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
#: Statuses in which the legal clock runs (overdue is only possible here).
CLOCK_RUNNING = frozenset({Status.RECEIVED, Status.PROCESSING})
OPEN = frozenset(Status) - TERMINAL - {Status.DRAFT}


class Step(StrEnum):
    """Sub-steps of status 4, each with its label (vi, en); "no step" has none."""

    label: tuple[str, str]

    def __new__(cls, code: str, vi: str = "", en: str = "") -> Step:
        return _labelled(str.__new__(cls, code), code, vi, en)

    NONE = ""
    APPRAISAL = "appraisal", "Thẩm định", "Appraisal"
    APPRAISED = "appraised", "Đã thẩm định, chờ trình", "Appraised"
    APPROVAL = "approval", "Chờ lãnh đạo phê duyệt", "Awaiting approval"
    SIGNING = "signing", "Chờ ký số", "Awaiting signature"
    SIGNED = "signed", "Đã ký, chờ ban hành", "Signed"


class Role(StrEnum):
    CITIZEN = "citizen"
    SUPPORTER = "supporter"
    RECEIVER = "receiver"
    SPECIALIST = "specialist"
    LEADER = "leader"
    ADMIN = "admin"
    SYSTEM = "system"  # scheduler jobs and the payment gateway callback


OFFICER_ROLES = frozenset({Role.RECEIVER, Role.SPECIALIST, Role.LEADER, Role.ADMIN})
APPLICANT_ROLES = frozenset({Role.CITIZEN, Role.SUPPORTER})


class Clock(StrEnum):
    """What an action does to the legal clock."""

    NONE = "none"
    START = "start"  # due date computed from this moment
    PAUSE = "pause"  # supplement request (and fee wait when the setting says so)
    RESUME = "resume"  # supplement confirmed: restart from zero or extend (setting)
    RESCHEDULE = "reschedule"  # apology letter with a new date
    STOP = "stop"  # finished: on-time is judged here (status 9) or the dossier ended


class Action(StrEnum):
    SUBMIT = "submit"
    RECEIVE = "receive"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    PROVIDE_SUPPLEMENT = "provide_supplement"
    CONFIRM_SUPPLEMENT = "confirm_supplement"
    CLOSE_MISSING_SUPPLEMENT = "close_missing_supplement"
    ASSIGN = "assign"
    TRANSFER = "transfer"
    APPRAISE = "appraise"
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    SIGN = "sign"
    ISSUE_RESULT = "issue_result"
    REQUEST_FEE = "request_fee"
    RECORD_PAYMENT = "record_payment"
    WITHDRAW = "withdraw"
    STOP = "stop"
    RETURN_RESULT = "return_result"
    ISSUE_APOLOGY = "issue_apology"
    REVOKE_RESULT = "revoke_result"


#: Marker for "go back to the status/step the dossier had before the pause".
RESUME_PREVIOUS = -1
KEEP = "keep"


@dataclass(frozen=True)
class Rule:
    action: Action
    from_statuses: frozenset[Status]
    to_status: int  # a Status, or RESUME_PREVIOUS, or -2 for "unchanged"
    roles: frozenset[Role]
    clock: Clock = Clock.NONE
    from_steps: frozenset[Step] | None = None  # None: any step
    to_step: str = KEEP  # a Step value or KEEP
    needs: tuple[str, ...] = ()  # inputs the officer must give (the UI asks only for these)


UNCHANGED = -2
S = Status
R = Role


def _r(
    action: Action,
    froms: Iterable[Status],
    to: int,
    roles: Iterable[Role],
    clock: Clock = Clock.NONE,
    steps: Iterable[Step] | None = None,
    to_step: str = KEEP,
    needs: tuple[str, ...] = (),
) -> Rule:
    return Rule(
        action,
        frozenset(froms),
        to,
        frozenset(roles),
        clock,
        None if steps is None else frozenset(steps),
        to_step,
        needs,
    )


def _step(
    action: Action, roles: Iterable[Role], steps: Iterable[Step], to_step: Step, needs: tuple[str, ...] = ()
) -> Rule:
    """A hand-over between the steps inside processing: the status stays, the dossier moves from one of
    `steps` to `to_step` (appraisal → appraised → approval → signing → signed, or sent back)."""
    return _r(action, [S.PROCESSING], UNCHANGED, roles, steps=steps, to_step=to_step, needs=needs)


#: Who acts for the applicant: the citizen, a support-team member filing for them, the counter.
_APPLICANT = (R.CITIZEN, R.SUPPORTER, R.RECEIVER)
_OFFICE = (R.RECEIVER, R.ADMIN)
_HANDLERS = (R.SPECIALIST, R.LEADER, R.ADMIN)
#: The officers who handle the paper itself (not the administrator): issue the result, apologise.
_DESK = (R.RECEIVER, R.SPECIALIST, R.LEADER)
_LEADS = (R.LEADER, R.ADMIN)
_DRAFTERS = (R.SPECIALIST, R.LEADER)
_APPRAISING = (Step.APPRAISAL, Step.APPRAISED)
#: Open and without a result yet: what may still be withdrawn or stopped.
_UNDECIDED = OPEN - {S.RESULT_READY}
_REASON = ("reason",)
_MISSING = ("missing_items", "supplement_deadline")

RULES: tuple[Rule, ...] = (
    _r(Action.SUBMIT, [S.DRAFT], S.SUBMITTED, _APPLICANT),
    _r(Action.RECEIVE, [S.SUBMITTED], S.RECEIVED, _OFFICE, Clock.START),
    _r(Action.REFUSE, [S.SUBMITTED, S.RECEIVED], S.REFUSED, _OFFICE, Clock.STOP, needs=_REASON),
    _r(Action.REFUSE, [S.PROCESSING], S.REFUSED, _HANDLERS, Clock.STOP, needs=_REASON),
    _r(Action.REQUEST_SUPPLEMENT, [S.SUBMITTED, S.RECEIVED], S.SUPPLEMENT, _OFFICE, Clock.PAUSE, needs=_MISSING),
    _r(Action.REQUEST_SUPPLEMENT, [S.PROCESSING], S.SUPPLEMENT, _HANDLERS, Clock.PAUSE, _APPRAISING, needs=_MISSING),
    _r(Action.PROVIDE_SUPPLEMENT, [S.SUPPLEMENT], UNCHANGED, _APPLICANT),
    _r(Action.CONFIRM_SUPPLEMENT, [S.SUPPLEMENT], RESUME_PREVIOUS, OFFICER_ROLES, Clock.RESUME),
    _r(Action.CLOSE_MISSING_SUPPLEMENT, [S.SUPPLEMENT], S.REFUSED, OFFICER_ROLES, Clock.STOP, needs=_REASON),
    _r(Action.ASSIGN, [S.RECEIVED], S.PROCESSING, [R.RECEIVER, *_LEADS], to_step=Step.APPRAISAL, needs=("assignee",)),
    _step(Action.ASSIGN, _LEADS, _APPRAISING, Step.APPRAISAL, needs=("assignee",)),
    _r(Action.TRANSFER, CLOCK_RUNNING, S.PROCESSING, _LEADS, to_step=Step.APPRAISAL, needs=("target_center",)),
    _step(Action.APPRAISE, _DRAFTERS, [Step.APPRAISAL], Step.APPRAISED, needs=("opinion",)),
    _step(Action.SUBMIT_FOR_APPROVAL, _DRAFTERS, [Step.APPRAISED], Step.APPROVAL),
    _step(Action.APPROVE, [R.LEADER], [Step.APPROVAL], Step.SIGNING),
    _step(Action.SEND_BACK, [R.LEADER], [Step.APPROVAL, Step.SIGNING], Step.APPRAISAL, needs=_REASON),
    _step(Action.SIGN, [R.LEADER], [Step.SIGNING], Step.SIGNED),
    _r(Action.ISSUE_RESULT, [S.PROCESSING], S.RESULT_READY, _DESK, Clock.STOP, [Step.SIGNED]),
    _r(Action.REQUEST_FEE, CLOCK_RUNNING, S.AWAITING_FEE, [R.RECEIVER, R.SPECIALIST], Clock.PAUSE, needs=("amount",)),
    _r(Action.RECORD_PAYMENT, [S.AWAITING_FEE], RESUME_PREVIOUS, [*_APPLICANT, R.SYSTEM], Clock.RESUME),
    _r(Action.WITHDRAW, _UNDECIDED, S.WITHDRAWN, _APPLICANT, Clock.STOP, needs=_REASON),
    _r(Action.STOP, _UNDECIDED - {S.SUBMITTED}, S.STOPPED, _LEADS, Clock.STOP, needs=_REASON),
    _r(Action.RETURN_RESULT, [S.RESULT_READY], S.RETURNED, _OFFICE, needs=("return_method", "recipient_id")),
    _r(Action.ISSUE_APOLOGY, CLOCK_RUNNING, UNCHANGED, _DESK, Clock.RESCHEDULE, needs=("reason", "new_due_at")),
    _r(Action.REVOKE_RESULT, [S.RETURNED], S.PROCESSING, [R.ADMIN], to_step=Step.APPRAISAL, needs=_REASON),
)


@dataclass(frozen=True)
class Outcome:
    """What an allowed action does: the new status and step, and the clock effect."""

    rule: Rule
    to_status: Status
    to_step: Step


#: Every status's label, as its member carries it (a table for callers that want them all).
STATUS_LABELS: dict[Status, tuple[str, str]] = {s: s.label for s in Status}


@dataclass(frozen=True)
class ActionSpec:
    """Everything the system knows about one action besides its transitions (RULES).

    Who may take it and what it asks for come from its rules (`roles_for`, `inputs_of`);
    this adds what pages and slips need: its name in both languages, whether it ends or undoes something (its button
    is red and asks for confirmation), whether it may be applied to several dossiers at
    once, the document it issues, and the hand-over it records on the control sheet
    (the step it ends, the step it starts).
    """

    action: Action
    label: tuple[str, str]  # (Vietnamese, English)
    dangerous: bool = False
    bulk: bool = False
    document: str = ""
    handover: tuple[str | None, str | None] | None = None


A = Action
ACTIONS: dict[Action, ActionSpec] = {
    spec.action: spec
    for spec in (
        ActionSpec(A.SUBMIT, ("Nộp hồ sơ", "Submit")),
        ActionSpec(A.RECEIVE, ("Tiếp nhận", "Receive"), document="receipt", handover=(None, "reception")),
        ActionSpec(A.REFUSE, ("Từ chối", "Refuse"), dangerous=True, document="refusal"),
        ActionSpec(A.REQUEST_SUPPLEMENT, ("Yêu cầu bổ sung", "Request supplement"), document="supplement"),
        ActionSpec(A.PROVIDE_SUPPLEMENT, ("Nộp bổ sung", "Provide supplement")),
        ActionSpec(A.CONFIRM_SUPPLEMENT, ("Xác nhận đã bổ sung", "Confirm supplement")),
        ActionSpec(
            A.CLOSE_MISSING_SUPPLEMENT,
            ("Đóng hồ sơ do không bổ sung", "Close: supplement missing"),
            dangerous=True,
            document="refusal",
        ),
        ActionSpec(A.ASSIGN, ("Chuyển xử lý", "Assign"), bulk=True, handover=("reception", "appraisal")),
        ActionSpec(
            A.TRANSFER,
            ("Chuyển đơn vị khác", "Transfer to another unit"),
            bulk=True,
            handover=("reception", "appraisal"),
        ),
        ActionSpec(A.APPRAISE, ("Thẩm định", "Appraise")),
        ActionSpec(
            A.SUBMIT_FOR_APPROVAL,
            ("Trình phê duyệt", "Submit for approval"),
            bulk=True,
            handover=("appraisal", "approval"),
        ),
        ActionSpec(A.APPROVE, ("Phê duyệt", "Approve"), handover=("approval", "signing")),
        ActionSpec(A.SEND_BACK, ("Trả lại", "Send back"), dangerous=True),
        ActionSpec(A.SIGN, ("Ký số kết quả", "Sign result"), document="result", handover=("signing", "result")),
        ActionSpec(A.ISSUE_RESULT, ("Ban hành kết quả", "Issue result"), handover=("result", None)),
        ActionSpec(A.REQUEST_FEE, ("Yêu cầu nộp phí", "Request fee")),
        ActionSpec(
            A.RECORD_PAYMENT, ("Ghi nhận thanh toán", "Record payment"), document="fee_receipt"
        ),  # the e-receipt (biên lai điện tử)
        ActionSpec(A.WITHDRAW, ("Rút hồ sơ", "Withdraw"), dangerous=True),
        ActionSpec(A.STOP, ("Dừng xử lý", "Stop processing"), dangerous=True, document="stop"),
        ActionSpec(A.RETURN_RESULT, ("Trả kết quả", "Return result")),
        ActionSpec(A.ISSUE_APOLOGY, ("Gửi thư xin lỗi, hẹn lại", "Apologise with a new date"), document="apology"),
        ActionSpec(A.REVOKE_RESULT, ("Thu hồi kết quả", "Revoke result"), dangerous=True),
    )
}

#: Action → its name (Vietnamese, English): buttons, the timeline, refusal messages.
ACTION_LABELS: dict[Action, tuple[str, str]] = {a: spec.label for a, spec in ACTIONS.items()}
#: Actions that end or undo something: the page colours their button red.
DANGEROUS = frozenset(a for a, spec in ACTIONS.items() if spec.dangerous)
#: Actions an officer may take on several selected dossiers at once (each still its own event).
BULK_ACTIONS = tuple(a for a, spec in ACTIONS.items() if spec.bulk)
#: Action → the document it issues (what the page offers to print right after the action).
DOCUMENT_OF: dict[Action, str] = {a: spec.document for a, spec in ACTIONS.items() if spec.document}
#: Action → (step it ends, step it starts), for per-step due times and outcomes.
HANDOVERS: dict[Action, tuple[str | None, str | None]] = {
    a: spec.handover for a, spec in ACTIONS.items() if spec.handover is not None
}
#: The slips a dossier can have, in the order pages list them; the result is a signed file, not a slip.
SLIP_KINDS = ("receipt", "supplement", "refusal", "apology", "stop", "fee_receipt")
#: A slip exists exactly when one of these events happened (the one rule the citizen and officer pages share).
SLIP_EVENTS: dict[str, tuple[str, ...]] = {
    kind: tuple(a.value for a, doc in DOCUMENT_OF.items() if doc == kind) for kind in SLIP_KINDS
}
#: Statuses in which the applicant may rate the service (the dossier has ended, or its result is ready).
RATEABLE = (Status.RETURNED, Status.REFUSED, Status.STOPPED, Status.RESULT_READY)
#: Who may take a card/QR payment at the counter (the receiver's terminal; admins for corrections).
COUNTER_PAYMENT_ROLES = (Role.RECEIVER, Role.ADMIN)


def roles_for(action: Action | str) -> frozenset[Role]:
    """Every role some rule lets take this action (in some status): what a page may offer it to."""
    act = Action(action)
    return frozenset(role for rule in RULES if rule.action == act for role in rule.roles)


def inputs_of(action: Action | str) -> tuple[str, ...]:
    """The inputs this action asks for (the union of its rules' `needs`, in table order)."""
    act = Action(action)
    out: list[str] = []
    for rule in RULES:
        if rule.action == act:
            out.extend(n for n in rule.needs if n not in out)
    return tuple(out)


def step_label(step: str, lang: str = "vi") -> str:
    vi, en = Step(step or "").label
    return en if lang == "en" else vi


def status_label(status: int, lang: str = "vi") -> str:
    vi, en = Status(status).label
    return en if lang == "en" else vi


def action_label(action: str, lang: str = "vi") -> str:
    vi, en = ACTION_LABELS[Action(action)]
    return en if lang == "en" else vi


def rules_for(action: Action) -> list[Rule]:
    return [rule for rule in RULES if rule.action == action]


def _matches(rule: Rule, status: Status, step: Step) -> bool:
    return status in rule.from_statuses and (rule.from_steps is None or step in rule.from_steps)


def decide(
    status: int, step: str, action: str, role: str, resume_status: int | None = None, resume_step: str | None = None
) -> Outcome:
    """Check that `role` may take `action` now, and say where it leads.

    Raises DomainError("transition_not_allowed") when the action makes no sense in
    this status/step, and DomainError("role_not_allowed") when it does but not for
    this role. `resume_*` is what the dossier was before a pause.
    """
    st, sp, act, rl = Status(status), Step(step or ""), Action(action), Role(role)
    candidates = [rule for rule in rules_for(act) if _matches(rule, st, sp)]
    if not candidates:
        vi_a, en_a = ACTION_LABELS[act]
        vi_s, en_s = st.label
        raise DomainError(
            "transition_not_allowed",
            f"Không thể «{vi_a}» khi hồ sơ đang ở trạng thái «{vi_s}».",
            f"Cannot “{en_a}” while the dossier is “{en_s}”.",
            status=409,
        )
    allowed = [rule for rule in candidates if rl in rule.roles]
    if not allowed:
        vi_a, en_a = ACTION_LABELS[act]
        raise DomainError(
            "role_not_allowed",
            f"Vai trò của bạn không được phép «{vi_a}» hồ sơ này.",
            f"Your role may not “{en_a}” this dossier.",
            status=403,
        )
    rule = allowed[0]
    if rule.to_status == RESUME_PREVIOUS:
        to_status = Status(resume_status if resume_status is not None else Status.RECEIVED)
        to_step = Step(resume_step or "")
    elif rule.to_status == UNCHANGED:
        to_status, to_step = st, sp
    else:
        to_status = Status(rule.to_status)
        to_step = sp if rule.to_step == KEEP else Step(rule.to_step)
    if rule.to_step != KEEP and rule.to_status != RESUME_PREVIOUS:
        to_step = Step(rule.to_step)
    if to_status != Status.PROCESSING:
        to_step = Step.NONE
    return Outcome(rule, to_status, to_step)


def available_actions(status: int, step: str, role: str) -> list[Action]:
    """Actions this role may take now, in table order (what the dossier page offers)."""
    st, sp, rl = Status(status), Step(step or ""), Role(role)
    seen: list[Action] = []
    for rule in RULES:
        if rl in rule.roles and _matches(rule, st, sp) and rule.action not in seen:
            seen.append(rule.action)
    return seen


def is_terminal(status: int) -> bool:
    return Status(status) in TERMINAL


def clock_runs(status: int) -> bool:
    return Status(status) in CLOCK_RUNNING
