"""Registry pages: regulators (list by region, detail, lifecycle, import, compliance, licensing),
institution staff (own data, applications) and the public (白名单 / 黑名单, no login).

One module per seam: ``registry`` (regulators' list, detail and lifecycle actions), ``own`` (staff's
own sites, staff, items, sessions), ``imports`` (the import page), ``violations`` (violations and the
scan), ``rules`` (compliance rule parameters), ``licensing`` (applications and materials), ``public``
(no login); ``_shared`` holds their helpers. Every name ``urls.py`` and other apps use is re-exported
here, so ``views.<Name>`` keeps working.

Every scoped read goes through ``Model.objects.visible_to(request.user)``; a foreign record is 404.
Writes call :mod:`..services`; refused operations show the service's Chinese reason.
"""

from .imports import ImportView, ScopedInstitutionImporter
from .licensing import (
    ApplicationCreateView,
    ApplicationDecideView,
    ApplicationDetailView,
    ApplicationListView,
    ApplicationResubmitView,
    MaterialDownloadView,
)
from .own import (
    ItemAddView,
    ItemEditView,
    OwnInstitutionMixin,
    PractitionerAddView,
    PractitionerEditView,
    SessionAddView,
    SiteAddView,
    SiteEditView,
)
from .public import PublicBlacklistView, PublicDetailView, PublicSearchView
from .registry import (
    InstitutionDetailView,
    InstitutionListView,
    InstitutionParticularsView,
    InstitutionTransitionView,
    ItemStatusView,
    RegisterView,
)
from .rules import RulesView
from .violations import ScanView, ViolationExportView, ViolationListView, ViolationResolveView

__all__ = [
    "ApplicationCreateView",
    "ApplicationDecideView",
    "ApplicationDetailView",
    "ApplicationListView",
    "ApplicationResubmitView",
    "ImportView",
    "InstitutionDetailView",
    "InstitutionListView",
    "InstitutionParticularsView",
    "InstitutionTransitionView",
    "ItemAddView",
    "ItemEditView",
    "ItemStatusView",
    "MaterialDownloadView",
    "OwnInstitutionMixin",
    "PractitionerAddView",
    "PractitionerEditView",
    "PublicBlacklistView",
    "PublicDetailView",
    "PublicSearchView",
    "RegisterView",
    "RulesView",
    "ScanView",
    "ScopedInstitutionImporter",
    "SessionAddView",
    "SiteAddView",
    "SiteEditView",
    "ViolationExportView",
    "ViolationListView",
    "ViolationResolveView",
]
