"""Following and saved views (issue #21): follow or unfollow an item, an actor, a theme or a saved view (POST,
signed in); the Following page; saving a list's filters under a name; the Saved views page."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Exists, OuterRef
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from .following import addressed
from .forms import SavedViewForm
from .models import FOLLOWABLE, Follow, SavedView
from .saved_views import list_of


def seen_by(user, rows):
    """Those of `rows` (of a followable model) that `user` may see: a saved view, their own or a shared one; an
    item, any to those whose role reads it, else what the public sees (a person without a role, an owner who lost
    theirs)."""
    if not hasattr(rows, "visible_to"):
        return rows
    opts = rows.model._meta
    if rows.model is SavedView or user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        return rows.visible_to(user)
    return rows.visible_to(AnonymousUser())


def followable(user, kind, pk):
    """The thing of `kind` ("recommendation", "theme", … `FOLLOWABLE`) and id `pk` that `user` may follow: one
    they may see (`seen_by`). 404 otherwise."""
    if kind not in FOLLOWABLE:
        raise Http404("Nothing of that kind can be followed.")
    return get_object_or_404(seen_by(user, apps.get_model(FOLLOWABLE[kind]).objects.all()), pk=pk)


def back(request, default):
    """Where a form sends one back: its `next` (a path on this site), or `default`."""
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return default


@login_required
@require_POST
def follow(request, kind, pk):
    target = followable(request.user, kind, pk)
    Follow.objects.start(request.user, target)
    messages.success(request, gettext("You follow %(target)s: its changes reach you as your preferences say.")
                     % {"target": target})
    return redirect(back(request, "notifications:following"))


@login_required
@require_POST
def unfollow(request, kind, pk):
    """Stops following: one's own follow only; a thing since deleted can be unfollowed too."""
    if kind not in FOLLOWABLE:
        raise Http404("Nothing of that kind can be followed.")
    content_type = ContentType.objects.get_for_model(apps.get_model(FOLLOWABLE[kind]))
    deleted, _ = request.user.follows.filter(target_type=content_type, target_id=pk).delete()
    if deleted:
        messages.success(request, gettext("You no longer follow it."))
    return redirect(back(request, "notifications:following"))


def followed_targets(user):
    """The querysets a follow's target is read from, with what names and addresses need: what `user` may see."""
    return [seen_by(user, addressed(apps.get_model(label))) for label in FOLLOWABLE.values()]


@login_required
def following(request):
    """What one follows, by kind, each with its unfollow button; the themes, to follow or unfollow."""
    follows = request.user.follows.select_related("target_type").prefetch_related(
        GenericPrefetch("target", followed_targets(request.user)))
    by_kind = {}
    for followed in follows:
        if followed.target is not None:  # not a thing since deleted, nor one they may no longer see
            by_kind.setdefault(followed.target_type.name, []).append(followed)
    theme_model = apps.get_model(FOLLOWABLE["theme"])
    themes = theme_model.objects.annotate(followed=Exists(request.user.follows.filter(
        target_type=ContentType.objects.get_for_model(theme_model), target_id=OuterRef("pk"))))
    return render(request, "notifications/following.html", {"by_kind": by_kind, "themes": themes})


@login_required
@require_POST
def save_view(request):
    """Saves the list's filters under a name; bad input saves nothing and says why, back on the list."""
    form = SavedViewForm(request.POST, owner=request.user)
    if form.is_valid():
        view = form.save()
        saved = (gettext("Saved “%(name)s” and shared with colleagues.") if view.shared
                 else gettext("Saved “%(name)s”."))
        messages.success(request, saved % {"name": view.name})
        return redirect("notifications:saved_views")
    problems = " ".join(str(error) for errors in form.errors.values() for error in errors)
    messages.error(request, gettext("Nothing was saved. %(problems)s") % {"problems": problems})
    path = request.POST.get("path", "")
    if list_of(path) is None:
        return redirect("notifications:saved_views")
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return redirect(f"{path}?{query}" if query else path)


@login_required
def saved_views(request):
    """One's own saved views and those colleagues shared, with links and follow buttons."""
    views = SavedView.objects.visible_to(request.user).select_related("owner").annotate(
        followed=Exists(request.user.follows.filter(target_type=ContentType.objects.get_for_model(SavedView),
                                                    target_id=OuterRef("pk"))))
    own = [view for view in views if view.owner_id == request.user.pk]
    shared = [view for view in views if view.owner_id != request.user.pk]
    return render(request, "notifications/saved_views.html", {"own": own, "shared": shared})


@login_required
@require_POST
def delete_saved_view(request, pk):
    view = get_object_or_404(SavedView, pk=pk, owner=request.user)
    Follow.objects.of(view).delete()
    view.delete()
    messages.success(request, gettext("Deleted the saved view “%(name)s”.") % {"name": view.name})
    return redirect("notifications:saved_views")
