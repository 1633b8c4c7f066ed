from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .forms import PreferencesForm
from .models import Delivery, Kind, Preference
from .unsubscribe import BadToken, read_token

PER_PAGE = 50


@login_required
def notification_list(request):
    """Your notifications, newest first: what the e-mails said, whether or not e-mail is on."""
    page = Paginator(request.user.notifications.all(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request):
    count = request.user.notifications.mark_read(timezone.now())
    messages.success(request, ngettext("Marked %(count)s notification read.", "Marked %(count)s notifications read.",
                                       count) % {"count": count})
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Your e-mail preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_exempt  # the one-click POST of RFC 8058 comes from a mail client, with no cookie and no form
def unsubscribe(request, token):
    """GET asks (a link checker must change nothing); POST stops e-mails of the link's kinds, signed in or not."""
    try:
        user, kinds = read_token(token)
    except BadToken:
        return render(request, "notifications/unsubscribe_bad.html", status=400)
    labels = [Kind(kind).label for kind in kinds]
    if request.method == "POST":
        for kind in kinds:
            Preference.objects.choose(user, kind, Delivery.NONE)
        return render(request, "notifications/unsubscribed.html", {"labels": labels})
    return render(request, "notifications/unsubscribe.html", {"labels": labels})
