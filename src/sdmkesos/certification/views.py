"""Staff pages of certification (login required; everything through ``restrict``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdmkesos.core import audit
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.scoping import CHANGE, VIEW, can

from . import actions, conf, pdf, reports
from .models import Application, Certificate, Evidence


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    certs = (Certificate.objects.restrict(user, VIEW).select_related("person", "scheme"))
    q = request.GET.get("q", "").strip()
    if q:
        certs = certs.filter(person__name__icontains=q) | certs.filter(number__icontains=q)
    apps = Application.objects.restrict(user, VIEW).select_related("person", "scheme")[:20]
    return render(request, "certification/index.html", {
        "certificates": Paginator(certs, 50).get_page(request.GET.get("page")),
        "applications": apps, "q": q, "today": timezone.localdate()})


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.restrict(request.user, VIEW)
                             .select_related("person", "scheme", "key"), pk=pk)
    return render(request, "certification/certificate.html", {
        "cert": cert, "state": cert.state_on(timezone.localdate()),
        "verify_url": conf.verify_url(cert.public_id),
        "can_change": can(request.user, CHANGE), "history": audit.history(cert)[:50]})


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.restrict(request.user, VIEW)
                             .select_related("person", "scheme"), pk=pk)
    response = HttpResponse(pdf.render(cert), content_type="application/pdf")
    safe = cert.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{safe}.pdf"'
    return response


@login_required
def certificate_json(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.restrict(request.user, VIEW), pk=pk)
    import json

    response = HttpResponse(json.dumps(cert.credential, indent=2, ensure_ascii=False),
                            content_type="application/vc+ld+json")
    response["Content-Disposition"] = f'attachment; filename="{cert.public_id}.json"'
    return response


ACTIONS = {"suspend": actions.do_suspend, "reinstate": actions.do_reinstate,
           "revoke": actions.do_revoke}


@login_required
@require_POST
def certificate_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.restrict(request.user, VIEW), pk=pk)
    try:
        if verb == "renew":
            new = actions.do_renew_certificate(actor=request.user, channel=Channel.WEB,
                                               certificate=cert)
            messages.success(request, _("Sertifikat diperpanjang: %(n)s") % {"n": new.number})
            return redirect("certification:certificate", pk=new.pk)
        fn = ACTIONS.get(verb)
        if fn is None:
            raise DomainError("not_found")
        fn(actor=request.user, channel=Channel.WEB, certificate=cert,
           reason=request.POST.get("reason", ""))
        messages.success(request, _("Status sertifikat diperbarui."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("certification:certificate", pk=cert.pk)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(Application.objects.restrict(request.user, VIEW)
                            .select_related("person", "scheme", "event"), pk=pk)
    return render(request, "certification/application.html", {
        "app": app, "outcomes": actions.unit_outcomes(app),
        "evidence": app.evidence.all(), "history": audit.history(app)[:50]})


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Evidence, pk=pk, application__in=Application.objects.restrict(
        request.user, VIEW))
    return FileResponse(item.file.open("rb"), as_attachment=True,
                        filename=item.original_name, content_type=item.content_type)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(request, "certification/report.html", {
        "share": reports.certified_share(user),
        "expiring": reports.expiring(user)[:200],
        "workload": reports.assessor_workload(user)})
