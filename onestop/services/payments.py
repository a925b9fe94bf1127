"""Fees: online payment through the gateway adapter, and card/QR payment at the counter.

A payment is a state change of the dossier (fee status), so it bumps the dossier
version and appends an audit event in the same transaction; when the dossier was
waiting for the fee (status 6), the lifecycle's `record_payment` action resumes it.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.adapters.payment import GatewayResult, default_gateway
from onestop.domain.errors import ConcurrentChange, DomainError
from onestop.domain.lifecycle import Action, Status
from onestop.models import Dossier, Payment
from onestop.services.actor import SYSTEM_ACTOR, Actor
from onestop.services.dossiers import (
    ActionInput,
    append_event,
    find_dossier,
    get_dossier,
    perform,
    publish_after_commit,
)


def start_online_payment(session: Session, actor: Actor, dossier_id: int, return_url: str) -> str:
    """Create a pending payment and return the gateway URL to send the person to."""
    dossier = get_dossier(session, actor, dossier_id=dossier_id)
    if dossier.fee_status != "unpaid" or dossier.fee_amount <= 0:
        raise DomainError(
            "nothing_to_pay", "Hồ sơ này không có khoản phí cần nộp.", "There is no fee to pay.", status=409
        )
    ref = f"OS{clock.now():%y%m%d}{secrets.token_hex(6).upper()}"
    session.add(
        Payment(
            dossier_id=dossier.id,
            amount=dossier.fee_amount,
            method="online",
            status="pending",
            gateway_ref=ref,
            created_at=clock.now(),
        )
    )
    session.flush()
    return default_gateway().checkout_url(ref, dossier.fee_amount, f"Phí hồ sơ {dossier.code}", return_url)


def _mark_paid(session: Session, dossier: Dossier, payment: Payment, actor: Actor) -> None:
    payment.status, payment.paid_at = "paid", clock.now()
    session.add(payment)
    if dossier.status == Status.AWAITING_FEE:
        perform(
            session,
            actor,
            dossier.id,
            Action.RECORD_PAYMENT,
            expected_version=dossier.version,
            data=ActionInput(note=f"Thanh toán {payment.method}, mã giao dịch {payment.gateway_ref}"),
        )
        return
    stmt = (
        sa.update(Dossier)
        .where(Dossier.id == dossier.id, Dossier.version == dossier.version)
        .values(fee_status="paid", version=dossier.version + 1, updated_at=clock.now())
    )
    if session.execute(stmt).rowcount != 1:
        raise ConcurrentChange()
    session.refresh(dossier)
    append_event(
        session,
        dossier,
        actor,
        Action.RECORD_PAYMENT.value,
        from_status=dossier.status,
        from_step=dossier.step,
        note=f"Thanh toán {payment.method}, mã giao dịch {payment.gateway_ref}",
        data={"amount": payment.amount, "ref": payment.gateway_ref, "method": payment.method},
    )
    session.flush()
    publish_after_commit(session, dossier, Action.RECORD_PAYMENT.value)


def confirm_gateway_callback(session: Session, ref: str, amount: int, status: str, signature: str) -> Payment:
    """The gateway's signed callback. Idempotent: a repeated callback changes nothing."""
    result = GatewayResult(ref, amount, status)
    if not default_gateway().verify(result, signature):
        raise DomainError("bad_signature", "Chữ ký giao dịch không hợp lệ.", "Invalid payment signature.", status=400)
    payment = session.exec(select(Payment).where(Payment.gateway_ref == ref)).first()
    if payment is None or payment.amount != amount:
        raise DomainError("payment_not_found", "Không tìm thấy giao dịch.", "Payment not found.", status=404)
    if payment.status != "pending":
        return payment
    if status != "paid":
        payment.status = "failed"
        session.add(payment)
        session.flush()
        return payment
    dossier = find_dossier(session, dossier_id=payment.dossier_id)
    assert dossier is not None
    _mark_paid(session, dossier, payment, SYSTEM_ACTOR)
    return payment


def record_counter_payment(session: Session, dossier: Dossier, actor: Actor = SYSTEM_ACTOR) -> Payment:
    """Card/QR payment at the counter terminal (cashless), recorded by the receiver or the terminal."""
    if dossier.fee_status != "unpaid":
        raise DomainError(
            "nothing_to_pay", "Hồ sơ này không có khoản phí cần nộp.", "There is no fee to pay.", status=409
        )
    payment = Payment(
        dossier_id=dossier.id,
        amount=dossier.fee_amount,
        method="counter",
        status="pending",
        gateway_ref=f"CT{clock.now():%y%m%d}{secrets.token_hex(6).upper()}",
        created_at=clock.now(),
    )
    session.add(payment)
    session.flush()
    _mark_paid(session, dossier, payment, actor)
    return payment
