"""The dossier lifecycle checked against a matrix written by hand from the legal process.

Why (issue 17): `test_lifecycle.py::test_whole_table` takes its expected answers from
`RULES`, the table under test, so a wrong role or status there cannot fail it (a
mutant letting a receiver approve survived). This matrix is typed independently from
DOMAIN.md's process (Decree 118/2025 one-stop steps): who may act, from which status
(and processing step), where it leads, and what it does to the legal clock. Every one
of the 11 statuses × 6 steps × 22 actions × 7 roles is checked against it.
"""

from __future__ import annotations

import pytest

from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import Action, Role, Status, Step, available_actions, decide

C, SU, RC, SP, L, A, SYS = "citizen", "supporter", "receiver", "specialist", "leader", "admin", "system"
ANY = None  # any processing step
SAME = "same"
BEFORE = "before"  # the status/step the dossier had before the pause

# action, from status, from steps (None: any), roles, to status, to step, clock
MATRIX = """
submit              DRAFT                       -                   C SU RC         SUBMITTED     -           none
receive             SUBMITTED                   -                   RC A            RECEIVED      -           start
refuse              SUBMITTED,RECEIVED          -                   RC A            REFUSED       -           stop
refuse              PROCESSING                  *                   SP L A          REFUSED       -           stop
request_supplement  SUBMITTED,RECEIVED          -                   RC A            SUPPLEMENT    -           pause
request_supplement  PROCESSING                  appraisal,appraised SP L A          SUPPLEMENT    -           pause
provide_supplement  SUPPLEMENT                  -                   C SU RC         same          same        none
confirm_supplement  SUPPLEMENT                  -                   RC SP L A       before        before      resume
close_missing_supplement SUPPLEMENT             -                   RC SP L A       REFUSED       -           stop
assign              RECEIVED                    -                   RC L A          PROCESSING    appraisal   none
assign              PROCESSING                  appraisal,appraised L A             same          appraisal   none
transfer            RECEIVED,PROCESSING         *                   L A             PROCESSING    appraisal   none
appraise            PROCESSING                  appraisal           SP L            same          appraised   none
submit_for_approval PROCESSING                  appraised           SP L            same          approval    none
approve             PROCESSING                  approval            L               same          signing     none
send_back           PROCESSING                  approval,signing    L               same          appraisal   none
sign                PROCESSING                  signing             L               same          signed      none
issue_result        PROCESSING                  signed              SP RC L         RESULT_READY  -           stop
request_fee         RECEIVED,PROCESSING         *                   RC SP           AWAITING_FEE  -           pause
record_payment      AWAITING_FEE                -                   C SU RC SYS     before        before      resume
withdraw            SUBMITTED,RECEIVED,PROCESSING,SUPPLEMENT,AWAITING_FEE * C SU RC WITHDRAWN     -           stop
stop                RECEIVED,PROCESSING,SUPPLEMENT,AWAITING_FEE *       L A             STOPPED       -           stop
return_result       RESULT_READY                -                   RC A            RETURNED      -           none
issue_apology       RECEIVED,PROCESSING         *                   RC SP L         same          same        reschedule
revoke_result       RETURNED                    -                   A               PROCESSING    appraisal   none
"""
ROLE_CODES = {"C": C, "SU": SU, "RC": RC, "SP": SP, "L": L, "A": A, "SYS": SYS}


def _parse() -> list[dict]:
    rows = []
    for line in MATRIX.strip().splitlines():
        parts = line.split()
        action, froms, steps = parts[0], parts[1], parts[2]
        to_status, to_step, clock = parts[-3], parts[-2], parts[-1]
        roles = {ROLE_CODES[p] for p in parts[3:-3]}
        rows.append(
            {
                "action": action,
                "froms": {Status[s] for s in froms.split(",")},
                "steps": None if steps in ("*", "-") else {Step(s) for s in steps.split(",")},
                "roles": roles,
                "to_status": to_status,
                "to_step": to_step,
                "clock": clock,
            }
        )
    return rows


ROWS = _parse()
#: Steps a dossier can have in each status (a step only exists while processing).
STEPS_OF = {s: ([st for st in Step if st != Step.NONE] if s == Status.PROCESSING else [Step.NONE]) for s in Status}
CASES = [(s, st, a, r) for s in Status for st in STEPS_OF[s] for a in Action for r in Role]


def _expected(status: Status, step: Step, action: Action, role: str) -> tuple[str, dict | None]:
    rows = [
        r
        for r in ROWS
        if r["action"] == action.value and status in r["froms"] and (r["steps"] is None or step in r["steps"])
    ]
    if not rows:
        return "transition_not_allowed", None
    mine = [r for r in rows if role in r["roles"]]
    return ("ok", mine[0]) if mine else ("role_not_allowed", None)


def test_the_matrix_names_every_action():
    assert {r["action"] for r in ROWS} == {a.value for a in Action}


@pytest.mark.parametrize(("status", "step", "action", "role"), CASES)
def test_lifecycle_against_the_hand_matrix(status, step, action, role):
    verdict, row = _expected(status, step, action, role.value)
    if verdict != "ok":
        with pytest.raises(DomainError) as err:
            decide(status, step, action, role, resume_status=Status.PROCESSING, resume_step=Step.APPRAISED)
        assert err.value.code == verdict
        assert action not in available_actions(status, step, role)
        return
    out = decide(status, step, action, role, resume_status=Status.PROCESSING, resume_step=Step.APPRAISED)
    special_status = {"same": status, "before": Status.PROCESSING}
    special_step = {"same": step, "before": Step.APPRAISED, "-": Step.NONE}
    t_status, t_step = row["to_status"], row["to_step"]
    want_status = special_status[t_status] if t_status in special_status else Status[t_status]
    want_step = special_step[t_step] if t_step in special_step else Step(t_step)
    if want_status != Status.PROCESSING:
        want_step = Step.NONE
    assert (out.to_status, out.to_step, out.rule.clock.value) == (want_status, want_step, row["clock"])
    assert action in available_actions(status, step, role)


def test_some_rules_spelled_out():
    """The rules the mutation run showed unguarded, each as a plain sentence."""
    with pytest.raises(DomainError):
        decide(Status.PROCESSING, Step.APPROVAL, Action.APPROVE, Role.RECEIVER)  # only a leader approves
    with pytest.raises(DomainError):
        decide(Status.PROCESSING, Step.SIGNED, Action.RETURN_RESULT, Role.RECEIVER)  # nothing to return yet
    assert decide(Status.RECEIVED, "", Action.REQUEST_SUPPLEMENT, Role.RECEIVER).rule.clock.value == "pause"
    assert decide(Status.PROCESSING, Step.SIGNED, Action.ISSUE_RESULT, Role.SPECIALIST).rule.clock.value == "stop"
