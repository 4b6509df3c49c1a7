from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    if getattr(request.user, "role", "") == "worker":
        return redirect("people:me")
    return redirect("people:list")


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any,
                     **kwargs: Any) -> HttpResponse:
    """Shown (HTTP 429) when django-axes has locked the account after repeated failures."""
    message = _("Terlalu banyak percobaan masuk yang gagal. Akun dikunci sementara; "
                "coba lagi dalam 15 menit atau hubungi administrator.")
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "login_locked", "message": message}, status=429)
    return render(request, "core/locked.html", {"message": message}, status=429)
