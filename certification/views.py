from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from certification.access import certificate_for_user
from certification.models import Certificate
from organisations.rules import Action


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    certificates = Certificate.objects.filter(professional=request.user).order_by("course_code")
    return render(request, "certification/mine.html", {"certificates": certificates})


@login_required
@require_GET
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = certificate_for_user(request.user, pk, Action.VIEW)
    return render(request, "certification/detail.html", {"certificate": certificate})
