"""`shuangjian import fund-events` (DESIGN.md "Fund events") and `funds balances|check`."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from shuangjian.funds.models import (
    AppendOnlyError,
    Contract,
    FundEvent,
    Posting,
    PrepaymentViolation,
    Transfer,
)

from .conftest import assert_ledger_ok

pytestmark = pytest.mark.django_db
HEADER = ["流水号", "发生时间", "统一社会信用代码", "合同编号", "学员编号", "类型", "金额", "课时"]


def write(path, rows, *, encoding="utf-8", header=HEADER):
    import csv

    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def run_import(path, *extra):
    """(exit code, stdout, stderr) of `shuangjian import fund-events PATH`."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "fund-events", str(path), "--quiet", *extra, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def ledger_snapshot():
    return (
        FundEvent.objects.count(),
        Transfer.objects.count(),
        Posting.objects.count(),
        Contract.objects.count(),
        sorted(Contract.objects.values_list("contract_no", "released_fen", "refunded_fen", "status")),
    )


@pytest.fixture
def rows(institution):
    code = institution.credit_code
    # Deliberately out of time order: the importer sorts by 发生时间, then 流水号.
    return [
        ["L3", "2024-03-02 09:00", code, "HT001", "XS01", "消课", "", "1"],
        ["L1", "2024-03-01 09:00", code, "HT001", "XS01", "缴费", "3000.00", "30"],
        ["L2", "2024/3/1 10:00", code, "HT002", "XS02", "缴费", "6,000.50", "70"],
        ["L4", "2024-03-02 09:00", code, "HT001", "XS01", "消课", "", "2"],
        ["L5", "2024年3月3日", code, "HT002", "XS02", "退费", "6000.50", ""],
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_clean_csv_applies_in_time_order_and_reimport_changes_nothing(tmp_path, rows, encoding):
    path = write(tmp_path / "events.csv", rows, encoding=encoding)
    code, out, err = run_import(path)
    assert code == 0, err
    assert "共 5 行，新增 5" in out
    ht1 = Contract.objects.get(contract_no="HT001")
    assert (ht1.hours_consumed, ht1.released_fen, ht1.status) == (3, 30_000, "OPEN")
    ht2 = Contract.objects.get(contract_no="HT002")
    assert (ht2.refunded_fen, ht2.status) == (600_050, "REFUNDED")
    # 70 hours and ¥6,000.50 for non-subject training: recorded, and two violations raised.
    assert sorted(PrepaymentViolation.objects.values_list("rule", flat=True)) == ["AMOUNT", "HOURS"]
    assert_ledger_ok()
    before = ledger_snapshot()
    code, out, _ = run_import(path)
    assert code == 0 and "新增 0" in out and "跳过（重复）5" in out
    assert ledger_snapshot() == before
    assert PrepaymentViolation.objects.count() == 2


def test_bad_rows_refuse_the_whole_file(tmp_path, rows, institution):
    bad = rows + [
        [
            "L6",
            "2024-02-30 10:00",
            institution.credit_code,
            "HT003",
            "XS03",
            "缴费",
            "100",
            "10",
        ],  # no such date
        [
            "L7",
            "2024-03-04 10:00",
            institution.credit_code,
            "HT001",
            "XS01",
            "消课",
            "",
            "40",
        ],  # over consumption
        [
            "L8",
            "2024-03-04 11:00",
            institution.credit_code,
            "HT009",
            "XS01",
            "消课",
            "",
            "1",
        ],  # unknown contract
        ["L9", "2024-03-04 12:00", "914301021234567890", "HT001", "XS01", "消课", "", "1"],  # bad check char
        ["L10", "2024-03-04 12:00", institution.credit_code, "HT001", "XS01", "转账", "", "1"],
        ["L11", "2024-03-04 13:00", institution.credit_code, "HT004", "XS04", "缴费", "12.345", "1"],
        [
            "L1",
            "2024-03-05 13:00",
            institution.credit_code,
            "HT001",
            "XS01",
            "缴费",
            "3000.00",
            "30",
        ],  # key reuse
        [
            "L12",
            "2024-03-06 09:00",
            institution.credit_code,
            "HT002",
            "XS02",
            "消课",
            "",
            "1",
        ],  # after refund
        # An absurd amount: refused by row, not left to overflow the ledger's sums later.
        [
            "L13",
            "2024-03-06 10:00",
            institution.credit_code,
            "HT005",
            "XS05",
            "缴费",
            "100000000000000000.00",
            "10",
        ],
    ]
    path = write(tmp_path / "bad.csv", bad)
    code, out, err = run_import(path)
    assert code == 1
    assert "未导入（未做任何修改）" in out
    for expected in (
        "第7行“发生时间”列",
        "第8行“课时”列：消课40课时超出合同“HT001”剩余课时27",
        "第9行“合同编号”列：机构没有编号为“HT009”的合同",
        "第10行“统一社会信用代码”列：统一社会信用代码校验位错误",
        "第11行“类型”列",
        "第12行“金额”列：金额“12.345”最多两位小数",
        "第13行“流水号”列：流水号“L1”已用于内容不同的流水",
        "第14行“合同编号”列：合同“HT002”已退费",
        "第15行“金额”列：金额“100000000000000000.00”过大（单笔上限1亿元）",
    ):
        assert expected in err, (expected, err)
    assert ledger_snapshot() == (0, 0, 0, 0, [])
    # With --skip-invalid the good rows apply in order and the bad ones are reported.
    code, out, err = run_import(path, "--skip-invalid")
    assert code == 0 and "新增 5" in out and "错误 9 行" in out
    assert Contract.objects.count() == 2
    assert_ledger_ok()


def test_missing_column_and_unknown_column(tmp_path, rows):
    # 课时 is an optional column, but a 缴费 or 消课 row without it is a bad row.
    path = write(tmp_path / "m.csv", [r[:-1] for r in rows], header=HEADER[:-1])
    code, _, err = run_import(path)
    assert code == 1 and "第3行“课时”列：缴费须填写课时" in err
    path = write(tmp_path / "x.csv", [r + ["x"] for r in rows], header=HEADER + ["备注"])
    code, _, err = run_import(path)
    assert code == 0 and "未知列“备注”已忽略" in err
    path = write(tmp_path / "y.csv", [[r[0], r[1]] for r in rows], header=HEADER[:2])
    code, _, err = run_import(path)
    assert code == 2 and "缺少必需的列" in err and "“统一社会信用代码”" in err


def test_xlsx_with_bad_rows_then_clean(tmp_path, rows, institution):
    import datetime as dt

    xrows = [list(r) for r in rows]
    xrows[1][1] = dt.datetime(2024, 3, 1, 9, 0)  # a real Excel date-time cell
    xrows[1][6] = 3000  # a number cell
    bad = xrows + [["L6", "2024-03-05", institution.credit_code, "HT001", "XS01", "退费", "1", ""]]
    code, _, err = run_import(write_xlsx(tmp_path / "bad.xlsx", bad))
    assert code == 1 and "第7行“金额”列：退费金额1.00元与合同“HT001”剩余余额2700.00元不符" in err
    assert ledger_snapshot() == (0, 0, 0, 0, [])
    code, out, err = run_import(write_xlsx(tmp_path / "good.xlsx", xrows))
    assert code == 0, err
    assert Contract.objects.get(contract_no="HT001").paid_fen == 300_000
    code, out, _ = run_import(write_xlsx(tmp_path / "good.xlsx", xrows))
    assert "跳过（重复）5" in out


def test_same_key_in_file_same_content_is_skipped(tmp_path, rows):
    path = write(tmp_path / "d.csv", rows + [rows[1]])
    code, out, _ = run_import(path)
    assert code == 0 and "新增 5" in out and "跳过（重复）1" in out


def test_import_after_api_operations_shares_keys(tmp_path, rows, institution, pay):
    pay(
        "HT001",
        key="L1",
        hours=30,
        fen=300_000,
        student="XS01",
        when=__import__("shuangjian.funds.tests.conftest", fromlist=["at"]).at("2024-03-01", "09:00"),
    )
    code, out, err = run_import(write(tmp_path / "e.csv", rows))
    assert code == 0, err
    assert "跳过（重复）1" in out and "新增 4" in out


def test_balances_json_shape(tmp_path, rows, institution, capsys):
    run_import(write(tmp_path / "e.csv", rows))
    call_command("funds", "balances", "--json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"contracts", "totals"}
    assert data["totals"] == {
        "paid_fen": 900_050,
        "released_fen": 30_000,
        "refunded_fen": 600_050,
        "custody_balance_fen": 270_000,
        "open_contracts": 1,
    }
    first = data["contracts"][0]
    assert set(first) == {
        "contract_no",
        "credit_code",
        "paid_fen",
        "released_fen",
        "refunded_fen",
        "balance_fen",
        "hours_total",
        "hours_consumed",
        "status",
    }
    assert first == {
        "contract_no": "HT001",
        "credit_code": institution.credit_code,
        "paid_fen": 300_000,
        "released_fen": 30_000,
        "refunded_fen": 0,
        "balance_fen": 270_000,
        "hours_total": 30,
        "hours_consumed": 3,
        "status": "open",
    }
    assert data["contracts"][1]["status"] == "refunded"
    call_command("funds", "balances", "--institution", institution.credit_code, "--json")
    assert len(json.loads(capsys.readouterr().out)["contracts"]) == 2


def test_check_passes_then_reports_a_corrupted_ledger(tmp_path, rows, capsys):
    run_import(write(tmp_path / "e.csv", rows))
    call_command("funds", "check")
    assert "全部不变量成立" in capsys.readouterr().out
    transfer = Transfer.objects.filter(kind="PAYMENT").select_related("contract").first()
    contract = transfer.contract
    # Postings cannot be written (they are the transfers' derived sides) and a transfer is balanced by
    # construction: the database refuses one between a single account.
    from django.db import IntegrityError, transaction

    stray = {
        f.attname: getattr(transfer, f.attname) for f in Transfer._meta.concrete_fields if f.attname != "id"
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(**{**stray, "credit_id": transfer.debit_id})
    with pytest.raises(AppendOnlyError):
        Posting.objects.create(transfer=transfer, account_id=transfer.debit_id, amount_fen=5)
    # Someone inserts a stray, balanced payment of 5 fen behind the ledger's back (inserts are the
    # only thing possible): the ledger no longer matches the contract's counters.
    Transfer.objects.create(**{**stray, "amount_fen": 5})
    with pytest.raises(SystemExit) as exit_:
        call_command("funds", "check")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"合同“{contract.contract_no}”(#{contract.pk}) 合同计数（缴费{contract.paid_fen}/" in err
    assert f"与账簿（{contract.paid_fen + 5}/" in err


def test_an_event_before_the_contracts_payment_is_refused_in_a_later_file(tmp_path, rows, institution, pay):
    """A 消课 or 退费 dated before the payment that opened its contract (imported earlier) is
    refused like any rule violation — by the import and by the services — and changes nothing."""
    from shuangjian.funds.ledger import FundsRefused
    from shuangjian.funds.services import consumption_record

    from .conftest import at

    assert run_import(write(tmp_path / "first.csv", rows))[0] == 0
    before = ledger_snapshot()
    code = institution.credit_code
    late = [
        ["L20", "2024-02-01 11:00", code, "HT001", "XS01", "消课", "", "1"],
        ["L21", "2024-02-28 23:59", code, "HT001", "XS01", "退费", "", ""],
    ]
    code_, out, err = run_import(write(tmp_path / "late.csv", late))
    assert code_ == 1
    assert "第2行“发生时间”列：发生日期2024-02-01早于合同“HT001”的缴费日期2024-03-01" in err
    assert "第3行“发生时间”列：发生日期2024-02-28早于合同“HT001”的缴费日期2024-03-01" in err
    assert ledger_snapshot() == before
    with pytest.raises(FundsRefused, match="早于合同“HT001”的缴费日期2024-03-01"):
        consumption_record(
            key="API-1",
            institution=institution,
            contract_no="HT001",
            student_ref="XS01",
            hours=1,
            occurred_at=at("2024-02-29"),
            confirmed=True,
        )
    assert ledger_snapshot() == before
    assert_ledger_ok()


def test_future_dated_events_are_refused_by_import_services_and_tick(tmp_path, rows, institution, pay):
    """A custody statement records what has happened: an event dated after now (beyond a few
    minutes of clock difference) is a bad row, a refused API call, and `funds tick --now` cannot run
    the clock forward (it would confirm lessons and release money early)."""
    import datetime as dt

    from django.core.management.base import CommandError
    from django.utils import timezone

    from shuangjian.funds.ledger import FundsRefused
    from shuangjian.funds.services import payment_record

    tomorrow = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    soon = (timezone.localtime() + dt.timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M")
    code = institution.credit_code
    late = [*rows, ["L9", tomorrow, code, "HT009", "XS09", "缴费", "100", "1"]]
    code_, _, err = run_import(write(tmp_path / "future.csv", late))
    assert code_ == 1 and f"第7行“发生时间”列：{tomorrow}:00晚于当前时间，流水不能发生在未来" in err
    assert ledger_snapshot() == (0, 0, 0, 0, [])
    # Two minutes ahead is clock difference, not the future.
    assert (
        run_import(
            write(tmp_path / "soon.csv", [*rows, ["L9", soon, code, "HT009", "XS09", "缴费", "100", "1"]])
        )[0]
        == 0
    )
    with pytest.raises(FundsRefused, match="晚于当前时间") as refused:
        payment_record(
            key="API-F",
            institution=institution,
            contract_no="HT010",
            student_ref="XS",
            hours=1,
            amount_fen=100,
            occurred_at=timezone.now() + dt.timedelta(hours=1),
        )
    assert refused.value.code == "future"
    assert not Contract.objects.filter(contract_no="HT010").exists()
    with pytest.raises(CommandError, match="晚于当前时间") as error:
        call_command("funds", "tick", "--now", tomorrow)
    assert error.value.returncode == 2


def test_a_consumptions_stated_amount_is_compared_with_the_release(tmp_path, institution):
    """A 消课's 金额 is not part of the operation (the release follows the cumulative rule), but a
    stated amount that differs from it is reported; a refund's event carries the amount refunded."""
    code = institution.credit_code
    rows = [
        ["P1", "2024-03-01 09:00", code, "HT001", "XS01", "缴费", "1000", "3"],
        ["C1", "2024-03-02 09:00", code, "HT001", "XS01", "消课", "333.33", "1"],  # the rule: 333.33
        ["C2", "2024-03-03 09:00", code, "HT001", "XS01", "消课", "300", "1"],  # the rule: 333.34
        ["R1", "2024-03-04 09:00", code, "HT001", "XS01", "退费", "", ""],
    ]
    code_, out, err = run_import(write(tmp_path / "c.csv", rows))
    assert code_ == 0, err
    assert "提示：第4行：消课金额300.00元与按课时累计计算的划拨金额333.34元不符，已按课时计算划拨" in err
    assert "第3行" not in err
    assert FundEvent.objects.get(key="R1").amount_fen == 33_333
    assert list(Transfer.objects.filter(event__key="C2").values_list("amount_fen", flat=True)) == [
        33_334,
        33_334,
    ]
    assert_ledger_ok()
    # The stated amount is not content: the same file again is a no-op, and so is the row without it.
    rows[2][6] = ""
    code_, out, _ = run_import(write(tmp_path / "again.csv", rows))
    assert code_ == 0 and "跳过（重复）4" in out


def test_a_payment_outside_the_institutions_episodes_is_recorded_with_a_warning(tmp_path, institution):
    """The money is at the bank, so a 缴费 to an institution that has ended its approved episode (or
    is not yet approved) is recorded — and the import says so, row by row."""
    from shuangjian.institutions.models import InstitutionEpisode

    InstitutionEpisode.objects.create(
        institution=institution,
        category="NON_SUBJECT",
        mode="OFFLINE",
        audiences="COMPULSORY",
        approved_on="2022-01-01",
        ended_on="2024-03-01",
    )
    code = institution.credit_code
    rows = [
        ["P1", "2024-02-29 09:00", code, "HT001", "XS01", "缴费", "1000", "10"],  # inside the episode
        ["P2", "2024-03-01 09:00", code, "HT002", "XS02", "缴费", "1000", "10"],  # its end day: outside
        ["P3", "2021-12-31 09:00", code, "HT003", "XS03", "缴费", "1000", "10"],  # before approval
    ]
    code_, out, err = run_import(write(tmp_path / "p.csv", rows))
    assert code_ == 0 and "新增 3" in out
    assert "第2行" not in err
    for row, day in ((3, "2024-03-01"), (4, "2021-12-31")):
        assert (
            f"提示：第{row}行：机构“{code}”在缴费日期{day}不在任何审批的办学期间内（已终止办学或尚未审批），仍收取了预收费"
            in err
        )
    assert_ledger_ok()
