"""Public pages (no login): the issuer's DID document, the status lists and the verification
page. Minimum personal data: the holder's name, the scheme, the number and the dates."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import conf, keyring, ratelimit, verification
from .models import StatusListCredential

MAX_UPLOAD = 256 * 1024
STATE_LABELS = {
    "valid": ("success", "Sah dan berlaku"),
    "revoked": ("danger", "Dicabut"),
    "suspended": ("warning", "Dibekukan"),
    "expired": ("secondary", "Kedaluwarsa"),
    "not_yet_valid": ("secondary", "Belum berlaku"),
    "not_authentic": ("danger", "Tidak asli"),
    "unknown": ("secondary", "Status tidak dapat diperiksa"),
}


def _json(data: Any, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def did_document(request: HttpRequest) -> HttpResponse:
    return _json(keyring.did_document(), "application/did+json")


@require_GET
def status_list(request: HttpRequest, number: int, purpose: str) -> HttpResponse:
    row = StatusListCredential.objects.filter(list_number=number, purpose=purpose).first()
    if row is None:
        raise Http404
    response = _json(row.credential, "application/vc+ld+json")
    response["Cache-Control"] = "public, max-age=60"
    return response


def page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("issuer_name", conf.issuer_name())
    return render(request, "certification/public/verify.html", context, status=status)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = page(request, {"throttled": True}, status=429)
    response["Retry-After"] = "60"
    return response


summary = verification.summary


def _present(entry: verification.Entry) -> dict[str, Any]:
    color, label = STATE_LABELS.get(entry.state, ("secondary", entry.state))
    return {"result": entry.result, "state": entry.state, "verified": entry.verified,
            "color": color, "label": _(label), "info": entry.info, "ours": entry.ours,
            "checked_at": entry.checked_at, "kind": entry.kind}


def outcome(credential: Any) -> dict[str, Any]:
    """Verify a credential given in full (pasted, uploaded, posted): never cached."""
    return _present(verification.evaluate(credential))


@require_GET
def verify_certificate(request: HttpRequest, public_id: str) -> HttpResponse:
    """The page behind the QR code. The verification and the rendered page are cached per
    process (``verification.by_public_id``); the page holds nothing specific to the request
    (no form, no CSRF token) apart from the language."""
    if not ratelimit.allow(request):
        return _too_many(request)
    entry = verification.by_public_id(public_id)
    if entry is None:
        return page(request, {"not_found": True, "public_id": public_id}, status=404)
    language = get_language() or ""
    html = entry.html.get(language)
    if html is None:
        context = _present(entry)
        context.update(public_id=public_id, issuer_name=conf.issuer_name())
        html = render_to_string("certification/public/verify.html", context)
        if entry.cacheable:
            entry.html[language] = html
    return HttpResponse(html)


def cached_page(request: HttpRequest, public_id: str, language: str) -> str | None:
    """The page of ``public_id`` for ``language`` if this process has it cached and still
    valid (see ``verification``) and the client is within the rate limit; else None (the
    full view answers)."""
    entry = verification.by_public_id(public_id)
    if entry is None or not entry.cacheable:
        return None
    html = entry.html.get(language)
    if html is None or not ratelimit.allow(request):
        return None
    return html


@require_http_methods(["GET", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    """Paste or upload a credential (JSON) to verify it."""
    context: dict[str, Any] = {"form": True}
    if request.method == "POST":
        if not ratelimit.allow(request):
            return _too_many(request)
        raw = request.POST.get("credential", "")
        upload = request.FILES.get("file")
        if upload is not None:
            if upload.size and upload.size > MAX_UPLOAD:
                context["error"] = _("Berkas terlalu besar (maks. 256 KB).")
                return page(request, context, status=400)
            raw = upload.read(MAX_UPLOAD + 1).decode("utf-8", errors="replace")
        if len(raw) > MAX_UPLOAD:
            context["error"] = _("Kredensial terlalu besar (maks. 256 KB).")
            return page(request, context, status=400)
        try:
            credential = json.loads(raw)
        except json.JSONDecodeError as exc:
            context["error"] = _("Bukan JSON yang valid: %(err)s") % {"err": exc.msg}
            context["pasted"] = raw[:5000]
            return page(request, context, status=400)
        context.update(outcome(credential))
    return page(request, context)


def verify_json(request: HttpRequest, public_id: str) -> JsonResponse:
    """Machine-readable variant of /verify/<id> (same rate limit)."""
    if not ratelimit.allow(request):
        return JsonResponse({"code": "throttled", "message": "Terlalu banyak permintaan."},
                            status=429)
    entry = verification.by_public_id(public_id)
    if entry is None:
        return JsonResponse({"code": "not_found", "message": "Sertifikat tidak ditemukan."},
                            status=404)
    return JsonResponse({"verified": entry.verified, "state": entry.state,
                         "certificate": entry.info, "checks": entry.result["checks"],
                         "credential": entry.credential})
