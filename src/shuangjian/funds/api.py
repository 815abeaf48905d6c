"""JSON API of the custody ledger for the custody bank and institutions (token or session auth).

POST endpoints (each with an idempotency key, in the body ``idempotency_key`` or the
``Idempotency-Key`` header — the same key space as the fund-events file's 流水号):

- ``payments/`` — payment notification (缴费): opens a contract;
- ``consumptions/`` — a lesson given (消课): the release waits for the parent (RULES.md §1.5);
- ``refunds/`` — refund of the whole remaining balance (退费).

Only institution accounts (and superusers) post, and only for their own institution (403
otherwise). Answers: 201 applied, 200 repeated key with the same content (no-op), 409 same key
with different content, 422 refused by the ledger rules (Chinese ``detail`` and a ``code``), 400
malformed. GET ``contracts/`` and ``contracts/{id}/`` list the caller's visible contracts.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from shuangjian.common.api import ApiAuthMixin, ScopedApiMixin
from shuangjian.common.codes import CreditCodeError, credit_code_normalize

from . import services
from .ledger import FundsRefused, IdempotencyConflict
from .models import STATUS_JSON, Contract, ContractStatus, EventSource


class ContractOut(serializers.ModelSerializer):
    credit_code = serializers.CharField(source="institution.credit_code")
    balance_fen = serializers.IntegerField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "contract_no",
            "credit_code",
            "student_ref",
            "training_item",
            "hours_total",
            "hours_consumed",
            "hours_pending",
            "paid_fen",
            "released_fen",
            "refunded_fen",
            "balance_fen",
            "status",
            "start_date",
            "opened_at",
        ]

    def get_status(self, obj: Contract) -> str:
        return STATUS_JSON[ContractStatus(obj.status)]


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number", "minimum": 0, "maximum": 9999999.99, "multipleOf": 0.01},
            {"type": "string", "pattern": r"^\d{1,7}(\.\d{1,2})?$"},
        ],
        "description": "课时（至多两位小数）",
    }
)
class HoursField(serializers.DecimalField):
    """Class hours in the request: a number or a decimal string, at most 2 decimals (the schema says so)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=9, decimal_places=2, min_value=0, **kwargs)


class _OperationIn(serializers.Serializer):
    idempotency_key = serializers.CharField(
        min_length=1, max_length=64, required=False, help_text="流水号；也可用 Idempotency-Key 头"
    )
    credit_code = serializers.CharField(min_length=1, max_length=40, help_text="统一社会信用代码")
    contract_no = serializers.CharField(min_length=1, max_length=64, help_text="合同编号")
    student_ref = serializers.CharField(min_length=1, max_length=64, help_text="学员编号（化名）")
    occurred_at = serializers.DateTimeField(help_text="发生时间（ISO 8601，无时区时按北京时间）")

    def validate_credit_code(self, value: str) -> str:
        try:
            return credit_code_normalize(value)
        except CreditCodeError as error:
            raise serializers.ValidationError(str(error)) from None


class PaymentIn(_OperationIn):
    hours = HoursField(help_text="购买课时")
    amount_fen = serializers.IntegerField(min_value=1, help_text="缴费金额（分）")
    training_item = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    end_date = serializers.DateField(required=False, allow_null=True, default=None, help_text="服务截止日期")


class ConsumptionIn(_OperationIn):
    hours = HoursField(help_text="本次消课课时")


class RefundIn(_OperationIn):
    amount_fen = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="退费金额（分）；须等于剩余余额，省略则退全部余额",
    )


OperationOut = inline_serializer(
    name="FundOperationResult",
    fields={
        "idempotency_key": serializers.CharField(),
        "created": serializers.BooleanField(help_text="false：同一流水号、相同内容的重复提交，未做修改"),
        "contract": ContractOut(allow_null=True),
        "amount_fen": serializers.IntegerField(),
        "pending_lesson_id": serializers.IntegerField(allow_null=True),
        "violations": serializers.ListField(child=serializers.CharField()),
    },
)
ERROR = inline_serializer(
    name="FundError", fields={"detail": serializers.CharField(), "code": serializers.CharField()}
)
KEY_HEADER = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)


class _OperationView(ApiAuthMixin, APIView):
    serializer_in: type[serializers.Serializer]

    def run(self, data: dict, institution, key: str):
        raise NotImplementedError

    def post(self, request):
        incoming = self.serializer_in(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        key = data.pop("idempotency_key", None) or request.headers.get("Idempotency-Key", "")
        if not key:
            return Response(
                {"detail": "缺少流水号（idempotency_key 或 Idempotency-Key 头）", "code": "invalid"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        user = request.user
        from shuangjian.institutions.models import Institution

        institution = Institution.objects.filter(credit_code=data["credit_code"]).first()
        if not user.is_superuser and (institution is None or user.institution_id != institution.pk):
            raise PermissionDenied("只能为本机构提交资金业务")
        if institution is None:
            return Response(
                {"detail": "统一社会信用代码不在机构名册中", "code": "unknown_institution"},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        try:
            result = self.run(data, institution, key)
        except IdempotencyConflict as conflict:
            return Response({"detail": str(conflict), "code": conflict.code}, status=status.HTTP_409_CONFLICT)
        except FundsRefused as refusal:
            return Response(
                {"detail": str(refusal), "code": refusal.code}, status=status.HTTP_422_UNPROCESSABLE_ENTITY
            )
        contract = result.contract
        if contract is not None:
            contract.refresh_from_db()
        body = {
            "idempotency_key": result.event.key,
            "created": result.created,
            "contract": ContractOut(contract).data if contract is not None else None,
            "amount_fen": result.amount_fen,
            "pending_lesson_id": result.lesson.pk if result.lesson else None,
            "violations": [v.detail for v in result.violations],
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class PaymentApi(_OperationView):
    """Payment notification (缴费): opens the contract; over-limit prepayments are recorded and flagged."""

    serializer_in = PaymentIn

    @extend_schema(
        request=PaymentIn,
        parameters=[KEY_HEADER],
        responses={201: OperationOut, 200: OperationOut, 409: ERROR, 422: ERROR},
    )
    def post(self, request):
        return super().post(request)

    def run(self, data, institution, key):
        return services.payment_record(
            key=key,
            institution=institution,
            contract_no=data["contract_no"],
            student_ref=data["student_ref"],
            hours=data["hours"],
            amount_fen=data["amount_fen"],
            occurred_at=data["occurred_at"],
            training_item=data.get("training_item", ""),
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            source=EventSource.API,
            actor=self.request.user,
        )


class ConsumptionApi(_OperationView):
    """A lesson given (消课): held as pending until the parent confirms (or 15 working days pass)."""

    serializer_in = ConsumptionIn

    @extend_schema(
        request=ConsumptionIn,
        parameters=[KEY_HEADER],
        responses={201: OperationOut, 200: OperationOut, 409: ERROR, 422: ERROR},
    )
    def post(self, request):
        return super().post(request)

    def run(self, data, institution, key):
        return services.consumption_record(
            key=key,
            institution=institution,
            contract_no=data["contract_no"],
            student_ref=data["student_ref"],
            hours=data["hours"],
            occurred_at=data["occurred_at"],
            confirmed=False,
            source=EventSource.API,
            actor=self.request.user,
        )


class RefundApi(_OperationView):
    """Refund (退费) of the whole remaining balance; a stated amount must equal it."""

    serializer_in = RefundIn

    @extend_schema(
        request=RefundIn,
        parameters=[KEY_HEADER],
        responses={201: OperationOut, 200: OperationOut, 409: ERROR, 422: ERROR},
    )
    def post(self, request):
        return super().post(request)

    def run(self, data, institution, key):
        return services.refund_record(
            key=key,
            institution=institution,
            contract_no=data["contract_no"],
            student_ref=data["student_ref"],
            amount_fen=data.get("amount_fen"),
            occurred_at=data["occurred_at"],
            source=EventSource.API,
            actor=self.request.user,
        )


class ContractListApi(ScopedApiMixin, generics.ListAPIView):
    """Contracts visible to the caller (``?contract_no=`` filters)."""

    model = Contract
    serializer_class = ContractOut

    def get_queryset(self):
        qs = super().get_queryset().select_related("institution").order_by("pk")
        number = self.request.query_params.get("contract_no")
        if number:
            qs = qs.filter(contract_no=number)
        return qs


class ContractDetailApi(ScopedApiMixin, generics.RetrieveAPIView):
    """One visible contract (404 outside the caller's scope)."""

    model = Contract
    serializer_class = ContractOut

    def get_queryset(self):
        return super().get_queryset().select_related("institution")
