"""Atom feeds of the public's changes (issue #19), with Django's syndication framework.

A feed lists the public entries of published items' timelines (what the public reads on the item pages), newest
first, at most FEED_ENTRIES: of everything, of one item, of a session, of an actor (responsible for the items, or
a partner in the projects), of a theme, and of any list's filters ("Subscribe to this view": the list's own
FilterSet on the same query string, read as the public). Every feed is the public's, for everybody
(`portal.public_feed`). An entry's title and summary are drawn by templates (templates/gfmd_tracker/feeds/).
Items whose page has an address have their feed beside it (`…/feed.atom`); the others are under /feeds/.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.filters import ProjectFilterSet
from partnerships.models import Project
from recommendations.filters import FollowUpItemFilterSet, RecommendationFilterSet
from recommendations.models import Actor, FollowUpItem, Recommendation, Session, Theme
from recommendations.urls import ITEM  # and the session_code converter, registered there
from recommendations.views.lists import only_set_parameters

from .portal import portal_page, public_feed

FEED_ENTRIES = 50
PUBLIC = AnonymousUser()  # whom every feed is read as
KINDS = (Recommendation, FollowUpItem, Project)


def latest_public_entries(item_sets, limit=FEED_ENTRIES):
    """The newest `limit` public entries of the published items among `item_sets` (a queryset of each kind of
    tracked item), newest first, with their items and the items' responsible actors; two queries a kind. The
    newest entries belong to the `limit` items whose latest public entry is newest (`last_public_update_at`,
    indexed, kept by the one write path), so a timeline is read by those items only, never walked whole."""
    found = []
    for items in item_sets:
        timeline = items.model._meta.get_field("updates").related_model
        latest = items.visible_to(PUBLIC).filter(last_public_update_at__isnull=False)
        latest = latest.order_by("-last_public_update_at", "-pk").values("pk")[:limit]
        entries = timeline.objects.visible_to(PUBLIC).filter(item__in=latest)
        found += entries.select_related("item__session__meeting")[:limit]
    found.sort(key=lambda entry: (entry.created_at, entry.pk, entry._meta.label), reverse=True)
    found = found[:limit]
    names = Prefetch("responsible_actors", Actor.objects.only("name").order_by("name"))
    for model in {entry.item._meta.model for entry in found}:
        prefetch_related_objects([entry.item for entry in found if type(entry.item) is model], names)
    return found


def linked(model, field_name, **lookups):
    """The items of `model` linked through the many-to-many `field_name` as `lookups` say (an EXISTS test)."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    return Exists(through.objects.filter(**{field.m2m_field_name(): OuterRef("pk")}, **lookups))


@dataclass
class Subject:
    """What a feed follows: its name, the page it follows, and its items (a queryset of each kind)."""

    name: str
    link: str
    items: tuple
    url: str = ""  # the feed's own absolute address: its id
    authority: str = ""  # the host name, in its entries' ids (tag URIs)


class PublicChanges(Feed):
    """The public's changes of a `Subject` (`subject()` in each feed below)."""

    feed_type = Atom1Feed
    title_template = "gfmd_tracker/feeds/entry_title.html"
    description_template = "gfmd_tracker/feeds/entry_summary.html"
    author_name = "GFMD Tracker"  # the application's name, the same in every language
    item_guid_is_permalink = False

    def subject(self, request, *args, **kwargs):
        raise NotImplementedError

    def get_object(self, request, *args, **kwargs):
        subject = self.subject(request, *args, **kwargs)
        subject.url = request.build_absolute_uri()
        subject.authority = urlsplit(subject.url).hostname
        return subject

    def title(self, subject):
        return f"{subject.name} · {self.author_name}"

    def subtitle(self, subject):
        return _("Public changes, newest first (the latest %(count)s): the notes published on the timelines of the "
                 "Global Forum on Migration and Development's outcomes.") % {"count": FEED_ENTRIES}

    def link(self, subject):
        return subject.link

    def feed_url(self, subject):
        return subject.url

    def feed_guid(self, subject):
        return subject.url

    def items(self, subject):
        entries = latest_public_entries(subject.items)
        for entry in entries:  # an entry's id never changes: its kind and number, dated the day it was written
            entry.tag = f"tag:{subject.authority},{entry.created_at:%Y-%m-%d}:{entry._meta.model_name}/{entry.pk}"
        return entries

    def item_link(self, entry):
        return entry.item.get_absolute_url()

    def item_guid(self, entry):
        return entry.tag

    def item_pubdate(self, entry):
        return entry.created_at

    def item_updateddate(self, entry):
        return entry.created_at

    def item_author_name(self, entry):
        """Who does the work, never who wrote the entry (an owner's identity is internal)."""
        return ", ".join(actor.name for actor in entry.item.responsible_actors.all()) or self.author_name

    def get_context_data(self, **kwargs):
        return {"obj": kwargs["item"], "public": True}


class EveryChange(PublicChanges):
    def subject(self, request):
        return Subject(_("Every public change"), reverse("home"), tuple(model.objects.all() for model in KINDS))


class ItemChanges(PublicChanges):
    """A recommendation's or follow-up item's (`model`) changes; an unpublished item has no feed."""

    def __init__(self, model):
        self.model = model

    def subject(self, request, year, code, number):
        items = self.model.objects.visible_to(PUBLIC).select_related("session__meeting")
        item = get_object_or_404(items, session__meeting__year=year, session__code=code, number=number)
        return Subject(str(item), item.get_absolute_url(), (self.model.objects.filter(pk=item.pk),))


class ProjectChanges(PublicChanges):
    def subject(self, request, pk):
        project = get_object_or_404(Project.objects.visible_to(PUBLIC), pk=pk)
        return Subject(project.title, project.get_absolute_url(), (Project.objects.filter(pk=pk),))


class SessionChanges(PublicChanges):
    """A session's recommendations and follow-up items, and the projects presented at it."""

    def subject(self, request, year, code):
        session = get_object_or_404(Session.objects.select_related("meeting"), meeting__year=year, code=code)
        items = tuple(model.objects.filter(session=session) for model in KINDS)
        name = _("GFMD %(year)s, session %(code)s: %(title)s") % {"year": year, "code": session.code,
                                                                   "title": session.title}
        return Subject(name, session.get_absolute_url(), items)


class ActorChanges(PublicChanges):
    """The items an actor is responsible for, and the projects it is a partner in."""

    def subject(self, request, pk):
        actor = get_object_or_404(Actor, pk=pk)
        items = [model.objects.filter(linked(model, "responsible_actors", actor=actor)) for model in KINDS[:2]]
        projects = Project.objects.filter(linked(Project, "responsible_actors", actor=actor)
                                          | linked(Project, "partners", actor=actor))
        return Subject(actor.name, reverse("recommendations:actor", args=[pk]), (*items, projects))


class ThemeChanges(PublicChanges):
    def subject(self, request, slug):
        theme = get_object_or_404(Theme, slug=slug)
        items = tuple(model.objects.filter(linked(model, "themes", theme=theme)) for model in KINDS)
        return Subject(_("Theme: %(name)s") % {"name": theme.name}, f"{reverse('recommendations:list')}?theme={slug}",
                       items)


SIGNED_IN_ONLY = {"owner": gettext_lazy("Owner: a feed is public and cannot follow an owner's items (the owner "
                                         "filter is for signed-in lists only); subscribe without it.")}


class ListChanges(PublicChanges):
    """A list's changes under its filters, the list's own FilterSet on the same query string, as the public
    reads it (its text search the public's, the stale and "updated since" filters by the latest public entry).
    Filters it cannot read, or cannot honour (the owner's, `SIGNED_IN_ONLY`), get a page saying which, and no
    feed: never a feed of more than was asked for."""

    def __init__(self, filterset_class, list_name, label):
        self.filterset_class, self.list_name, self.label = filterset_class, list_name, label

    def __call__(self, request):
        model = self.filterset_class._meta.model
        filterset = self.filterset_class(request.GET or None, queryset=model.objects.all(), request=request)
        refused = [reason for name, reason in SIGNED_IN_ONLY.items() if name in request.GET]
        if refused or (filterset.is_bound and not filterset.is_valid()):
            return render(request, "gfmd_tracker/feeds/refused.html", {
                "filter": filterset, "refused": refused, "label": self.label, "list_url": reverse(self.list_name),
            }, status=400)
        return super().__call__(request, filterset=filterset)

    def subject(self, request, filterset):
        described = filterset.describe()
        query = request.GET.urlencode()
        return Subject(str(self.label) + (f" ({'; '.join(described)})" if described else ""),
                       reverse(self.list_name) + (f"?{query}" if query else ""), (filterset.whole_qs(),))


@portal_page()
def index(request):
    """Every feed there is, or where to find it."""
    return render(request, "gfmd_tracker/feeds/index.html", {"themes": Theme.objects.order_by("name")})


def list_feed(filterset_class, list_name, label):
    return public_feed(only_set_parameters(ListChanges(filterset_class, list_name, label)))


app_name = "feeds"
urlpatterns = [
    path("feeds/", index, name="index"),
    path("feeds/changes.atom", public_feed(EveryChange()), name="changes"),
    path("feeds/themes/<slug:slug>.atom", public_feed(ThemeChanges()), name="theme"),
    path("feeds/sessions/<int:year>/<session_code:code>.atom", public_feed(SessionChanges()), name="session"),
    path("actors/<int:pk>/feed.atom", public_feed(ActorChanges()), name="actor"),
    path(f"recommendations/{ITEM}feed.atom", public_feed(ItemChanges(Recommendation)), name="recommendation"),
    path(f"follow-up/{ITEM}feed.atom", public_feed(ItemChanges(FollowUpItem)), name="follow_up_item"),
    path("projects/<int:pk>/feed.atom", public_feed(ProjectChanges()), name="project"),
    path("recommendations/feed.atom", list_feed(RecommendationFilterSet, "recommendations:list",
                                                 gettext_lazy("Recommendations")), name="recommendations"),
    path("follow-up/feed.atom", list_feed(FollowUpItemFilterSet, "recommendations:follow_up_list",
                                           gettext_lazy("Follow-up items")), name="follow_up_items"),
    path("projects/feed.atom", list_feed(ProjectFilterSet, "partnerships:list", gettext_lazy("PfP projects")),
         name="projects"),
]
