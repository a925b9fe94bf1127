"""The transition table, walked whole: every rule works for its roles and nothing else does."""

from __future__ import annotations

import itertools

import pytest

from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import (
    ACTION_LABELS,
    RESUME_PREVIOUS,
    RULES,
    STATUS_LABELS,
    UNCHANGED,
    Action,
    Role,
    Status,
    Step,
    available_actions,
    decide,
)


def _matches(rule, status, step):
    return status in rule.from_statuses and (rule.from_steps is None or step in rule.from_steps)


def test_every_action_has_a_rule_and_labels():
    assert {r.action for r in RULES} == set(Action)
    assert set(ACTION_LABELS) == set(Action) and set(STATUS_LABELS) == set(Status)


@pytest.mark.parametrize(
    "status,step,action,role",
    [
        (st, sp, act, rl)
        for st, sp, act, rl in itertools.product(Status, Step, Action, Role)
        if (st == Status.PROCESSING) == (sp != Step.NONE)  # steps only exist inside status 4
    ],
)
def test_whole_table(status, step, action, role):
    rules = [r for r in RULES if r.action == action and _matches(r, status, step)]
    allowed = [r for r in rules if role in r.roles]
    if not rules:
        with pytest.raises(DomainError) as exc:
            decide(status, step, action, role)
        assert exc.value.code == "transition_not_allowed" and exc.value.vi and exc.value.en
        return
    if not allowed:
        with pytest.raises(DomainError) as exc:
            decide(status, step, action, role)
        assert exc.value.code == "role_not_allowed"
        return
    outcome = decide(status, step, action, role, resume_status=Status.PROCESSING, resume_step=Step.APPRAISED)
    rule = allowed[0]
    if rule.to_status == RESUME_PREVIOUS:
        assert outcome.to_status == Status.PROCESSING and outcome.to_step == Step.APPRAISED
    elif rule.to_status == UNCHANGED:
        assert outcome.to_status == status
    else:
        assert outcome.to_status == rule.to_status
    if outcome.to_status != Status.PROCESSING:
        assert outcome.to_step == Step.NONE
    assert action in available_actions(status, step, role)


def test_terminal_statuses_allow_nothing_but_revoke():
    for status in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED):
        for role in Role:
            assert available_actions(status, "", role) == []
    assert available_actions(Status.RETURNED, "", Role.ADMIN) == [Action.REVOKE_RESULT]


def test_processing_walks_appraise_approve_sign_issue():
    path = [
        (Action.APPRAISE, Role.SPECIALIST, Step.APPRAISED),
        (Action.SUBMIT_FOR_APPROVAL, Role.SPECIALIST, Step.APPROVAL),
        (Action.APPROVE, Role.LEADER, Step.SIGNING),
        (Action.SIGN, Role.LEADER, Step.SIGNED),
    ]
    step = Step.APPRAISAL
    for action, role, expected in path:
        outcome = decide(Status.PROCESSING, step, action, role)
        assert outcome.to_status == Status.PROCESSING and outcome.to_step == expected
        step = outcome.to_step
    assert decide(Status.PROCESSING, step, Action.ISSUE_RESULT, Role.SPECIALIST).to_status == Status.RESULT_READY


def test_the_action_table_covers_every_action_and_agrees_with_the_rules():
    from onestop.domain import lifecycle as lc

    assert set(lc.ACTIONS) == set(lc.Action)
    # every bulk action is one an officer role can take, and never a dangerous one
    for action in lc.BULK_ACTIONS:
        assert lc.roles_for(action) & lc.OFFICER_ROLES and action not in lc.DANGEROUS
    # a slip kind is issued by exactly the actions whose document it is
    for kind, actions in lc.SLIP_EVENTS.items():
        assert actions and all(lc.DOCUMENT_OF[lc.Action(a)] == kind for a in actions)
    assert lc.inputs_of(lc.Action.REQUEST_SUPPLEMENT) == ("missing_items", "supplement_deadline")
    assert lc.roles_for(lc.Action.TRANSFER) == {lc.Role.LEADER, lc.Role.ADMIN}
    assert lc.step_label("approval", "en") == "Awaiting approval" and lc.step_label("", "vi") == ""
