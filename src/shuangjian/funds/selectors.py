"""Reads of the custody ledger: balances, the invariant check, regulator summaries and trends."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from .ledger import cumulative_release
from .models import (
    STATUS_JSON,
    Account,
    AccountKind,
    Contract,
    ContractStatus,
    EventKind,
    Posting,
    Transfer,
    TransferKind,
)


def _hours_json(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def contract_ledger_sums(contracts: QuerySet | None = None) -> dict[int, dict[str, int]]:
    """contract id → {transfer kind: Σ amount_fen} from the ledger itself (all contracts, or ``contracts``)."""
    qs = Transfer.objects.filter(contract__isnull=False)
    if contracts is not None:
        qs = qs.filter(contract__in=contracts.values("pk"))
    sums: dict[int, dict[str, int]] = defaultdict(dict)
    for contract_id, kind, total in (
        qs.values_list("contract_id", "kind").annotate(total=Sum("amount_fen")).order_by()
    ):
        sums[contract_id][kind] = int(total)
    return sums


def balances(*, credit_code: str | None = None, contracts: QuerySet | None = None) -> dict[str, Any]:
    """``funds balances --json`` (DESIGN.md): every contract ever opened, from the ledger, and totals.

    Shape: ``{"contracts": [{contract_no, credit_code, paid_fen, released_fen, refunded_fen,
    balance_fen, hours_total, hours_consumed, status}], "totals": {paid_fen, released_fen,
    refunded_fen, custody_balance_fen, open_contracts}}``; fen are integers, status is
    open / completed / refunded.
    """
    qs = contracts if contracts is not None else Contract.objects.all()
    if credit_code:
        qs = qs.filter(institution__credit_code=credit_code)
    qs = qs.order_by("institution__credit_code", "contract_no")
    rows = list(
        qs.values_list(
            "pk", "contract_no", "institution__credit_code", "hours_total", "hours_consumed", "status"
        )
    )
    sums = contract_ledger_sums(None if contracts is None and not credit_code else qs)
    out = []
    totals = {
        "paid_fen": 0,
        "released_fen": 0,
        "refunded_fen": 0,
        "custody_balance_fen": 0,
        "open_contracts": 0,
    }
    for pk, no, code, hours_total, hours_consumed, status in rows:
        s = sums.get(pk, {})
        paid = s.get(TransferKind.PAYMENT, 0)
        released = s.get(TransferKind.RELEASE_CASH, 0)
        refunded = s.get(TransferKind.REFUND_CASH, 0)
        out.append(
            {
                "contract_no": no,
                "credit_code": code,
                "paid_fen": paid,
                "released_fen": released,
                "refunded_fen": refunded,
                "balance_fen": paid - released - refunded,
                "hours_total": _hours_json(hours_total),
                "hours_consumed": _hours_json(hours_consumed),
                "status": STATUS_JSON[ContractStatus(status)],
            }
        )
        totals["paid_fen"] += paid
        totals["released_fen"] += released
        totals["refunded_fen"] += refunded
        totals["open_contracts"] += status == ContractStatus.OPEN
    custody = Posting.objects.filter(account__kind=AccountKind.CUSTODY)
    if credit_code:
        custody = custody.filter(transfer__institution__credit_code=credit_code)
    elif contracts is not None:
        custody = custody.filter(transfer__institution__in=qs.values("institution"))  # type: ignore[misc]
    totals["custody_balance_fen"] = int(custody.aggregate(s=Sum("amount_fen"))["s"] or 0)
    return {"contracts": out, "totals": totals}


CHECK_CONTRACTS_SQL = """
SELECT c.id, c.contract_no, c.institution_id, c.paid_fen, c.released_fen, c.refunded_fen,
       CAST(ROUND(c.hours_total * 100) AS BIGINT), CAST(ROUND(c.hours_consumed * 100) AS BIGINT),
       CAST(ROUND(c.hours_pending * 100) AS BIGINT), c.status,
       COALESCE(t.paid, 0), COALESCE(t.released, 0), COALESCE(t.refunded, 0),
       COALESCE(t.released_d, 0), COALESCE(t.refunded_d, 0), COALESCE(l.balance, 0),
       COALESCE(t.payments, 0)
FROM funds_contract c
LEFT JOIN (
    SELECT contract_id,
           SUM(CASE WHEN kind = %s THEN amount_fen ELSE 0 END) AS paid,
           SUM(CASE WHEN kind = %s THEN amount_fen ELSE 0 END) AS released,
           SUM(CASE WHEN kind = %s THEN amount_fen ELSE 0 END) AS refunded,
           SUM(CASE WHEN kind = %s THEN amount_fen ELSE 0 END) AS released_d,
           SUM(CASE WHEN kind = %s THEN amount_fen ELSE 0 END) AS refunded_d,
           SUM(CASE WHEN kind = %s THEN 1 ELSE 0 END) AS payments
    FROM funds_transfer WHERE contract_id IS NOT NULL GROUP BY contract_id
) t ON t.contract_id = c.id
LEFT JOIN (
    SELECT a.contract_id, SUM(p.amount_fen) AS balance
    FROM funds_posting p CROSS JOIN funds_account a
    WHERE a.id = p.account_id AND a.kind = %s GROUP BY a.contract_id
) l ON l.contract_id = c.id
ORDER BY c.id
"""
# Postings drive the joins ("CROSS JOIN" keeps that order on SQLite, which would otherwise build a
# temporary index of every posting by account): one pass over the postings, a key lookup each.
CHECK_INSTITUTIONS_SQL = """
SELECT a.institution_id, a.kind, SUM(p.amount_fen)
FROM funds_posting p CROSS JOIN funds_account a
WHERE a.id = p.account_id AND a.contract_id IS NULL
GROUP BY a.institution_id, a.kind
"""
# Every transfer against its business event and its two accounts (one pass over the transfers, a
# primary-key lookup each): the transfer kinds an event kind may have, the accounts each transfer
# kind moves money between, the same institution / contract / time as the event, the event's
# amount, and a correction reversing exactly the reserve deposit it names. (A refund imported
# before its event carried the amount refunded has none: its two legs must then equal each other,
# which the per-event check below and the contract's counters see to.)
CHECK_TRANSFER_EVENTS_SQL = """
SELECT t.id, e.key, t.kind, e.kind
FROM funds_transfer t
CROSS JOIN funds_fundevent e
CROSS JOIN funds_account d
CROSS JOIN funds_account c
LEFT JOIN funds_transfer o ON o.id = t.corrects_id
WHERE e.id = t.event_id AND d.id = t.debit_id AND c.id = t.credit_id AND NOT (
    t.institution_id = e.institution_id
    AND d.institution_id = t.institution_id AND c.institution_id = t.institution_id
    AND COALESCE(t.contract_id, 0) = COALESCE(e.contract_id, 0)
    AND t.occurred_at = e.occurred_at
    AND (t.corrects_id IS NULL OR t.kind = %(correction)s)
    AND (
        (t.kind = %(payment)s AND e.kind = %(e_payment)s AND t.contract_id IS NOT NULL
         AND d.kind = %(custody)s AND c.kind = %(liability)s AND c.contract_id = t.contract_id
         AND t.amount_fen = e.amount_fen)
        OR (t.kind = %(release_cash)s AND e.kind = %(e_consumption)s AND t.contract_id IS NOT NULL
            AND d.kind = %(released)s AND c.kind = %(custody)s)
        OR (t.kind = %(release_discharge)s AND e.kind = %(e_consumption)s AND t.contract_id IS NOT NULL
            AND d.kind = %(liability)s AND d.contract_id = t.contract_id AND c.kind = %(discharged)s)
        OR (t.kind = %(refund_cash)s AND e.kind = %(e_refund)s AND t.contract_id IS NOT NULL
            AND d.kind = %(refunded)s AND c.kind = %(custody)s
            AND t.amount_fen = COALESCE(e.amount_fen, t.amount_fen))
        OR (t.kind = %(refund_discharge)s AND e.kind = %(e_refund)s AND t.contract_id IS NOT NULL
            AND d.kind = %(liability)s AND d.contract_id = t.contract_id AND c.kind = %(discharged)s
            AND t.amount_fen = COALESCE(e.amount_fen, t.amount_fen))
        OR (t.kind = %(reserve)s AND e.kind = %(e_reserve)s AND t.contract_id IS NULL
            AND d.kind = %(reserve_account)s AND c.kind = %(own_funds)s AND t.amount_fen = e.amount_fen)
        OR (t.kind = %(correction)s AND e.kind = %(e_correction)s AND t.contract_id IS NULL
            AND o.kind = %(reserve)s AND o.debit_id = t.credit_id AND o.credit_id = t.debit_id
            AND o.amount_fen = t.amount_fen AND t.amount_fen = e.amount_fen)
    )
)
ORDER BY t.id
"""
# Per event: at most one transfer of each kind, and the cash leg and claim leg of a consumption or a
# refund come as a pair of equal amounts (a refund's legs also equal the event's amount, above).
CHECK_EVENT_TRANSFERS_SQL = """
SELECT event_id, COUNT(*) FROM funds_transfer
GROUP BY event_id
HAVING COUNT(*) <> COUNT(DISTINCT kind)
    OR SUM(CASE WHEN kind = %(release_cash)s THEN amount_fen
                WHEN kind = %(release_discharge)s THEN -amount_fen ELSE 0 END) <> 0
    OR SUM(CASE WHEN kind = %(release_cash)s THEN 1 WHEN kind = %(release_discharge)s THEN -1 ELSE 0 END) <> 0
    OR SUM(CASE WHEN kind = %(refund_cash)s THEN amount_fen
                WHEN kind = %(refund_discharge)s THEN -amount_fen ELSE 0 END) <> 0
ORDER BY event_id
"""
# Events that state a movement, by kind, against the transfers that carry it: with the two checks
# above (each such transfer sits on an event of the matching kind, at most one per event), equal
# counts mean every such event has exactly its transfers.
CHECK_EVENT_COUNTS_SQL = """
SELECT
    (SELECT COUNT(*) FROM funds_fundevent WHERE kind = %(e_payment)s),
    (SELECT COUNT(*) FROM funds_transfer WHERE kind = %(payment)s),
    (SELECT COUNT(*) FROM funds_fundevent WHERE kind = %(e_refund)s),
    (SELECT COUNT(*) FROM funds_transfer WHERE kind = %(refund_cash)s),
    (SELECT COUNT(*) FROM funds_transfer WHERE kind = %(refund_discharge)s),
    (SELECT COUNT(*) FROM funds_fundevent WHERE kind = %(e_reserve)s),
    (SELECT COUNT(*) FROM funds_transfer WHERE kind = %(reserve)s),
    (SELECT COUNT(*) FROM funds_fundevent WHERE kind = %(e_correction)s),
    (SELECT COUNT(*) FROM funds_transfer WHERE kind = %(correction)s)
"""
# Only when the counts differ: the events left without their transfer (through the indexed contract
# or (institution, kind) of the transfer they should have).
MISSING_TRANSFER_SQL = """
SELECT e.key, e.kind FROM funds_fundevent e
WHERE (e.kind IN (%(e_payment)s, %(e_refund)s) AND NOT EXISTS (
        SELECT 1 FROM funds_transfer t WHERE t.contract_id = e.contract_id AND t.event_id = e.id
        AND t.kind IN (%(payment)s, %(refund_cash)s)))
   OR (e.kind = %(e_refund)s AND NOT EXISTS (
        SELECT 1 FROM funds_transfer t WHERE t.contract_id = e.contract_id AND t.event_id = e.id
        AND t.kind = %(refund_discharge)s))
   OR (e.kind IN (%(e_reserve)s, %(e_correction)s) AND NOT EXISTS (
        SELECT 1 FROM funds_transfer t WHERE t.institution_id = e.institution_id
        AND t.kind IN (%(reserve)s, %(correction)s) AND t.event_id = e.id))
ORDER BY e.id
"""


def _kind_params() -> dict[str, str]:
    """The named parameters of the event ↔ transfer checks (event, transfer and account kinds)."""
    return {
        "e_payment": EventKind.PAYMENT,
        "e_consumption": EventKind.CONSUMPTION,
        "e_refund": EventKind.REFUND,
        "e_reserve": EventKind.RESERVE_DEPOSIT,
        "e_correction": EventKind.CORRECTION,
        "payment": TransferKind.PAYMENT,
        "release_cash": TransferKind.RELEASE_CASH,
        "release_discharge": TransferKind.RELEASE_DISCHARGE,
        "refund_cash": TransferKind.REFUND_CASH,
        "refund_discharge": TransferKind.REFUND_DISCHARGE,
        "reserve": TransferKind.RESERVE_DEPOSIT,
        "correction": TransferKind.CORRECTION,
        "custody": AccountKind.CUSTODY,
        "liability": AccountKind.LIABILITY,
        "released": AccountKind.RELEASED,
        "refunded": AccountKind.REFUNDED,
        "discharged": AccountKind.DISCHARGED,
        "reserve_account": AccountKind.RESERVE,
        "own_funds": AccountKind.OWN_FUNDS,
    }


def _check_events(cursor: Any, add: Callable[[str], None], limit: int) -> None:
    """The event ↔ transfer checks of :func:`ledger_check` (messages through ``add``)."""
    params = _kind_params()
    labels = dict(TransferKind.choices) | {f"E:{k}": v for k, v in EventKind.choices}
    cursor.execute(CHECK_TRANSFER_EVENTS_SQL, params)
    for pk, key, t_kind, e_kind in cursor.fetchmany(limit + 1):
        add(
            f"转账 #{pk}（{labels.get(t_kind, t_kind)}）与其业务流水“{key}”（{labels.get('E:' + e_kind, e_kind)}）"
            "不符：类型、机构、合同、时间、金额或借贷账户不一致"
        )
    cursor.execute(CHECK_EVENT_TRANSFERS_SQL, params)
    for event_id, n in cursor.fetchmany(limit + 1):
        add(f"业务流水 #{event_id} 的{n}笔转账不成对或重复（同一类型多于一笔，或划拨与核销不相等）")
    cursor.execute(CHECK_EVENT_COUNTS_SQL, params)
    pay_e, pay_t, ref_e, ref_c, ref_d, res_e, res_t, cor_e, cor_t = cursor.fetchone()
    if (pay_e, ref_e, ref_e, res_e, cor_e) != (pay_t, ref_c, ref_d, res_t, cor_t):
        add(
            f"业务流水与转账笔数不符：缴费{pay_e}/{pay_t}，退费{ref_e}/{ref_c}/{ref_d}，"
            f"风险保证金{res_e}/{res_t}，更正{cor_e}/{cor_t}"
        )
        cursor.execute(MISSING_TRANSFER_SQL, params)
        for key, e_kind in cursor.fetchmany(limit + 1):
            add(f"业务流水“{key}”（{labels.get('E:' + e_kind, e_kind)}）缺少对应的转账")


def ledger_check(*, limit: int = 20) -> tuple[list[str], dict[str, int]]:
    """Verify every ledger invariant; returns (first ``limit`` violations in Chinese, counts checked).

    Invariants: each transfer moves a > 0 fen between two different accounts (its postings +a/−a
    are derived from it, so Σ all postings = 0 by construction); each transfer matches its business
    event (a kind the event's kind may have, the accounts that kind moves money between, the
    event's institution, contract, time and stated amount; a correction reverses the reserve
    deposit it names) and each event has exactly its transfers (one 缴费 / 风险保证金 / 更正
    transfer, a 退费's two legs, a 消课's two equal legs or none); per contract exactly one payment
    transfer, and the ledger's paid − released − refunded ≥ 0, equals −(its liability account
    balance), matches the contract's counters, and released = round_half_up(P × c / H); the claim
    legs equal the cash legs; per institution the custody balance = Σ of its contracts' balances,
    the released / refunded accounts equal the contracts' sums; released + refunded ≤ paid.

    Memory stays flat whatever the ledger's size: the sums are SQL aggregates, the per-contract
    rows are streamed (a server-side cursor on PostgreSQL) and only per-institution totals are held.
    """
    from django.db import connection

    problems: list[str] = []

    def add(message: str) -> None:
        if len(problems) < limit:
            problems.append(message)
        else:
            counts["more"] = counts.get("more", 0) + 1

    counts: dict[str, int] = {}
    # Each transfer's two postings are derived from it (+a debit, −a credit, two different accounts,
    # a > 0: database constraints), so a transfer is balanced by construction; what is checked is
    # that no row escaped those constraints (a database restored from an older dump, say).
    bad = Transfer.objects.filter(Q(amount_fen__lte=0) | Q(debit=F("credit"))).values_list(
        "pk", "amount_fen"
    )[: limit + 1]
    for pk, amount in bad:
        add(f"转账 #{pk} 不平衡：金额{amount}分，或借贷为同一账户")
    counts["transfers"] = Transfer.objects.count()
    # Institution-level account balances (a handful of accounts per institution).
    with connection.cursor() as cursor:
        cursor.execute(CHECK_INSTITUTIONS_SQL)
        inst_account: dict[tuple[int, str], int] = {
            (inst, kind): int(balance or 0) for inst, kind, balance in cursor.fetchall()
        }
    per_inst: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    n_contracts = 0
    params = [
        TransferKind.PAYMENT,
        TransferKind.RELEASE_CASH,
        TransferKind.REFUND_CASH,
        TransferKind.RELEASE_DISCHARGE,
        TransferKind.REFUND_DISCHARGE,
        TransferKind.PAYMENT,
        AccountKind.LIABILITY,
    ]
    with connection.cursor() as cursor:
        _check_events(cursor, add, limit)
    with connection.chunked_cursor() as cursor:
        cursor.execute(CHECK_CONTRACTS_SQL, params)
        while rows := cursor.fetchmany(2000):
            for (
                pk,
                no,
                inst,
                paid_c,
                released_c,
                refunded_c,
                h_total,
                h_cons,
                h_pend,
                status,
                paid,
                released,
                refunded,
                released_d,
                refunded_d,
                liability,
                payments,
            ) in rows:
                n_contracts += 1
                paid, released, refunded = int(paid), int(released), int(refunded)
                balance = paid - released - refunded
                where = f"合同“{no}”(#{pk})"
                if int(payments) != 1:
                    add(f"{where} 有{int(payments)}笔缴费转账，应为1笔")
                if balance < 0:
                    add(f"{where} 余额为负：{balance}分")
                if released + refunded > paid:
                    add(f"{where} 划拨{released}分+退费{refunded}分超过缴费{paid}分")
                if int(released_d) != released or int(refunded_d) != refunded:
                    add(f"{where} 负债核销与资金划出不一致")
                if int(liability) != -balance:
                    add(f"{where} 负债账户余额{int(liability)}分，应为{-balance}分")
                if (paid, released, refunded) != (paid_c, released_c, refunded_c):
                    add(
                        f"{where} 合同计数（缴费{paid_c}/划拨{released_c}/退费{refunded_c}）与账簿"
                        f"（{paid}/{released}/{refunded}）不一致"
                    )
                total_c, consumed_c, pending_c = int(h_total), int(h_cons), int(h_pend)  # hundredths
                if consumed_c + pending_c > total_c:
                    add(f"{where} 已消课时超过购买课时")
                if paid and released != cumulative_release(paid, consumed_c, total_c):
                    add(
                        f"{where} 累计划拨{released}分不符合按课时累计四舍五入规则"
                        f"（应为{cumulative_release(paid, consumed_c, total_c)}分）"
                    )
                if status == ContractStatus.REFUNDED and balance != 0:
                    add(f"{where} 已退费但余额不为0")
                if status == ContractStatus.COMPLETED and consumed_c != total_c:
                    add(f"{where} 标记为已完成但课时未消完")
                if status == ContractStatus.OPEN and consumed_c == total_c:
                    add(f"{where} 课时已消完但状态仍为履约中")
                bucket = per_inst[inst]
                bucket["balance"] += balance
                bucket["released"] += released
                bucket["refunded"] += refunded
    counts["contracts"] = n_contracts
    institutions = set(Account.objects.values_list("institution_id", flat=True).distinct().order_by()) | set(
        per_inst
    )
    for inst in sorted(institutions):
        bucket = per_inst.get(inst, {"balance": 0, "released": 0, "refunded": 0})
        custody = inst_account.get((inst, AccountKind.CUSTODY), 0)
        if custody != bucket["balance"]:
            add(f"机构 #{inst} 托管账户余额{custody}分 ≠ 其合同余额合计{bucket['balance']}分")
        released = inst_account.get((inst, AccountKind.RELEASED), 0)
        refunded = inst_account.get((inst, AccountKind.REFUNDED), 0)
        discharged = inst_account.get((inst, AccountKind.DISCHARGED), 0)
        if released != bucket["released"] or refunded != bucket["refunded"]:
            add(f"机构 #{inst} 已划拨/已退费账户与合同合计不一致")
        if discharged != -(released + refunded):
            add(f"机构 #{inst} 负债核销账户{discharged}分，应为{-(released + refunded)}分")
        reserve = inst_account.get((inst, AccountKind.RESERVE), 0)
        if reserve < 0:
            add(f"机构 #{inst} 风险保证金余额为负")
    counts["institutions"] = len(institutions)
    return problems, counts


# --- regulator summaries ------------------------------------------------------------------------------
@dataclass
class SummaryRow:
    """One line of the regulator table: fen figures of an institution or a region."""

    key: str
    name: str
    region: str
    contracts: int
    open_contracts: int
    paid_fen: int
    released_fen: int
    refunded_fen: int
    institution_id: int | None = None

    @property
    def custody_fen(self) -> int:
        """Custody balance = outstanding prepaid liability = paid − released − refunded."""
        return self.paid_fen - self.released_fen - self.refunded_fen


def institution_summary(contracts: QuerySet) -> list[SummaryRow]:
    """Per institution (from the visible contracts' ledger counters), largest custody balance first."""
    rows = (
        contracts.values(
            "institution_id", "institution__name", "institution__credit_code", "county__full_name"
        )
        .annotate(
            n=Count("pk"),
            n_open=Count("pk", filter=Q(status=ContractStatus.OPEN)),
            paid=Sum("paid_fen"),
            released=Sum("released_fen"),
            refunded=Sum("refunded_fen"),
        )
        .order_by()
    )
    out = [
        SummaryRow(
            key=r["institution__credit_code"],
            name=r["institution__name"],
            region=r["county__full_name"],
            contracts=r["n"],
            open_contracts=r["n_open"],
            paid_fen=r["paid"] or 0,
            released_fen=r["released"] or 0,
            refunded_fen=r["refunded"] or 0,
            institution_id=r["institution_id"],
        )
        for r in rows
    ]
    out.sort(key=lambda r: (-r.custody_fen, r.key))
    return out


def region_summary(contracts: QuerySet) -> list[SummaryRow]:
    """Per county (from the visible contracts), by region code."""
    rows = (
        contracts.values("county_id", "county__full_name")
        .annotate(
            n=Count("pk"),
            n_open=Count("pk", filter=Q(status=ContractStatus.OPEN)),
            paid=Sum("paid_fen"),
            released=Sum("released_fen"),
            refunded=Sum("refunded_fen"),
        )
        .order_by("county_id")
    )
    return [
        SummaryRow(
            key=r["county_id"],
            name=r["county__full_name"],
            region=r["county__full_name"],
            contracts=r["n"],
            open_contracts=r["n_open"],
            paid_fen=r["paid"] or 0,
            released_fen=r["released"] or 0,
            refunded_fen=r["refunded"] or 0,
        )
        for r in rows
    ]


@dataclass
class TrendPoint:
    month: dt.date
    paid_fen: int
    released_fen: int
    refunded_fen: int
    custody_fen: int  # cumulative balance at the month's end


def monthly_trend(transfers: QuerySet, *, months: int = 12) -> list[TrendPoint]:
    """Month-by-month flows of the visible transfers and the custody balance at each month's end."""
    rows = (
        transfers.filter(kind__in=[TransferKind.PAYMENT, TransferKind.RELEASE_CASH, TransferKind.REFUND_CASH])
        .annotate(month=TruncMonth("occurred_at"))
        .values_list("month", "kind")
        .annotate(total=Sum("amount_fen"))
        .order_by("month")
    )
    flows: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month, kind, total in rows:
        day = month.date() if isinstance(month, dt.datetime) else month
        flows[day.replace(day=1)][kind] += int(total)
    points: list[TrendPoint] = []
    balance = 0
    if not flows:
        return points
    # Every month from the first to the last with flows (quiet months carry the balance over).
    first, last = min(flows), max(flows)
    months_all = []
    cursor = dt.date(first.year, first.month, 1)
    while cursor <= last:
        months_all.append(cursor)
        cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    for month in months_all:
        f = flows.get(month, {})
        paid, released, refunded = (
            f.get(TransferKind.PAYMENT, 0),
            f.get(TransferKind.RELEASE_CASH, 0),
            f.get(TransferKind.REFUND_CASH, 0),
        )
        balance += paid - released - refunded
        points.append(TrendPoint(month, paid, released, refunded, balance))
    return points[-months:]


def trend_svg_points(points: list[TrendPoint], *, width: int = 600, height: int = 160) -> dict[str, Any]:
    """Polyline coordinates of the custody balance for an inline SVG (no chart library)."""
    if not points:
        return {"polyline": "", "labels": [], "width": width, "height": height}
    peak = max(max(p.custody_fen for p in points), 1)
    step = width / max(len(points) - 1, 1)
    coords = []
    labels = []
    for i, p in enumerate(points):
        x = round(i * step, 1)
        y = round(height - 10 - (height - 30) * max(p.custody_fen, 0) / peak, 1)
        coords.append(f"{x},{y}")
        labels.append({"x": x, "y": y, "month": p.month.strftime("%Y-%m")})
    return {"polyline": " ".join(coords), "labels": labels, "width": width, "height": height}


def contract_history(contract: Contract) -> list[dict[str, Any]]:
    """A contract's events in time order with the fen each moved (for the contract and parent pages)."""
    moved: dict[int, dict[str, int]] = defaultdict(dict)
    for event_id, kind, amount in contract.transfers.values_list("event_id", "kind", "amount_fen"):
        moved[event_id][kind] = amount
    out = []
    for event in contract.events.order_by("occurred_at", "pk"):
        m = moved.get(event.pk, {})
        out.append(
            {
                "event": event,
                "paid_fen": m.get(TransferKind.PAYMENT, 0),
                "released_fen": m.get(TransferKind.RELEASE_CASH, 0),
                "refunded_fen": m.get(TransferKind.REFUND_CASH, 0),
            }
        )
    return out
