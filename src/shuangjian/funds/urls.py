from django.urls import path

from . import api, views

app_name = "funds"
urlpatterns = [
    path("", views.FundsIndexView.as_view(), name="index"),
    path("export.xlsx", views.FundsExportView.as_view(), name="export"),
    path("contracts/", views.ContractListView.as_view(), name="contracts"),
    path("contracts/<int:pk>/", views.ContractDetailView.as_view(), name="contract"),
    path("contracts/<int:pk>/lessons/", views.LessonRecordView.as_view(), name="lesson_record"),
    path("refund-requests/<int:pk>/answer/", views.RefundAnswerView.as_view(), name="refund_answer"),
    path("lessons/<int:pk>/resolve/", views.DisputeResolveView.as_view(), name="dispute_resolve"),
    path("violations/", views.ViolationListView.as_view(), name="violations"),
    path("lookup/", views.ParentLookupView.as_view(), name="lookup"),
    path("api/payments/", api.PaymentApi.as_view(), name="api-payments"),
    path("api/consumptions/", api.ConsumptionApi.as_view(), name="api-consumptions"),
    path("api/refunds/", api.RefundApi.as_view(), name="api-refunds"),
    path("api/contracts/", api.ContractListApi.as_view(), name="api-contracts"),
    path("api/contracts/<int:pk>/", api.ContractDetailApi.as_view(), name="api-contract"),
]
