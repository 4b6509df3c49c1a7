from django.http import HttpRequest, HttpResponse


def person_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("todo")


def me(request: HttpRequest) -> HttpResponse:
    return HttpResponse("todo")
