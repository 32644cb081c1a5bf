from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from notifications.models import Notification
from notifications.services import notifications_mark_read
from organisations.http import AuthenticatedRequest

PAGE_SIZE = 50


@login_required
@require_GET
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    # Only ever the user's own notifications: there is no id to guess.
    notifications = Notification.objects.filter(user=request.user).select_related("recording__family")[
        :PAGE_SIZE
    ]
    return render(request, "notifications/list.html", {"notifications": notifications})


@login_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")
