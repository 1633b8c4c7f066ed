"""Saved views (issue #21): a list's filters saved under a name, one's own or shared with every signed-in colleague,
and what reaches those who follow one. A saved view is not followed per update but when notifications are made:
`saved_view_notes(since)`, called by the reminders' job, tells each follower which of its items changed since."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext, ngettext

from partnerships.filters import ProjectFilterSet
from partnerships.models import Project
from recommendations.action_filters import ActionFilterSet
from recommendations.filters import FollowUpItemFilterSet, RecommendationFilterSet
from recommendations.models import Action, FollowUpItem, Recommendation

from .compose import languages_of
from .following import addressed
from .models import Follow, Kind, SavedView
from .services import Note

# The lists whose filters may be saved, by their address's name: their items and FilterSet.
LISTS = {
    "recommendations:list": (Recommendation, RecommendationFilterSet),
    "recommendations:follow_up_list": (FollowUpItem, FollowUpItemFilterSet),
    "partnerships:list": (Project, ProjectFilterSet),
    "recommendations:action_list": (Action, ActionFilterSet),
}
# The items a note names (the rest are counted).
NAMED = 10


class BadView(ValueError):
    """What is wrong with a view asked to be saved, in words for the person who asked."""


def list_of(path):
    """(items' model, FilterSet) of the list at `path` (a path on this site), or None."""
    if not path.startswith("/") or path.startswith("//"):
        return None
    try:
        return LISTS.get(resolve(path).view_name)
    except Resolver404:
        return None


def checked_query(path, query):
    """The filters of `query` (a query string) as the list at `path` stores them: without the page, each value
    checked by the list's own form. Raises BadView."""
    found = list_of(path)
    if found is None:
        raise BadView(gettext("Only the lists of recommendations, follow-up items, PfP projects and actions can be "
                               "saved."))
    model, filterset_class = found
    data = QueryDict(query, mutable=True)
    data.pop("page", None)
    form = filterset_class(data, queryset=model.objects.none()).form
    if not form.is_valid():
        problems = " ".join(str(error) for errors in form.errors.values() for error in errors)
        raise BadView(gettext("These filters cannot be saved: %(problems)s") % {"problems": problems})
    return data.urlencode()


def followed_views():
    """The saved views someone follows."""
    content_type = ContentType.objects.get_for_model(SavedView)
    return SavedView.objects.filter(
        Exists(Follow.objects.filter(target_type=content_type, target_id=OuterRef("pk")))).order_by("pk")


def changed_items(view, since):
    """The items of `view` (as a signed-in colleague reads its list) whose timeline grew since `since`."""
    found = list_of(view.path)
    if found is None:
        return None
    model, filterset_class = found
    filterset = filterset_class(QueryDict(view.query), queryset=addressed(model))
    if not filterset.is_valid():
        return None
    return filterset.qs.updated_since(since)


def saved_view_notes(since):
    """A note per follower of each followed saved view with items updated since `since`: how many, which (the
    first `NAMED`), and the link to the view. Its followers: active, and the view's owner or, if it is shared,
    anyone, who may read the list (its items' view permission: without it, the list is refused). Keyed by the view and
    `since`: the same run twice makes one note."""
    for view in followed_views():
        items = changed_items(view, since)
        if items is None:
            continue
        count = items.count()
        if not count:
            continue
        key = f"{Kind.ITEM_CHANGED}:savedview:{view.pk}:{since.isoformat()}"
        followers = list(view_followers(view, items.model))
        languages, words = languages_of(followers), {}
        for follower in followers:
            language = languages[follower]
            if language not in words:
                with translation.override(language):
                    words[language] = view_words(view, since, count, items)
            yield Note(follower, key, *words[language], view.get_absolute_url())


def view_words(view, since, count, items):
    """(subject, text) of a saved view's note, in the active language."""
    text = render_to_string("notifications/following/saved_view.txt", {
        "view": view, "since": since, "count": count, "items": list(items[:NAMED])}).strip()
    subject = ngettext("%(count)s change in the saved view “%(name)s”",
                       "%(count)s changes in the saved view “%(name)s”", count) % {"count": count, "name": view.name}
    return subject[:200], text


def view_followers(view, model):
    permission = f"{model._meta.app_label}.view_{model._meta.model_name}"
    readers = get_user_model().objects.with_perm(permission, backend="django.contrib.auth.backends.ModelBackend")
    followers = Follow.objects.of(view).filter(user__in=readers)
    if not view.shared:
        followers = followers.filter(user=view.owner_id)
    return followers.values_list("user_id", flat=True)
