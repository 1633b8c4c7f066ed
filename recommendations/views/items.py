"""The item pages and their "Log an update" form; partnerships uses item_page and log_update too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext

from gfmd_tracker.portal import is_public, portal_page

from .. import services, versioning
from ..forms import ActionForm, UpdateForm
from ..models import Action, ActionParent, EditConflict, Recommendation, SessionParticipant

TIMELINE_PAGE_SIZE = 25
ITEM_FRAGMENTS = ("item-main", "item-facts")


def item_page(request, item, template, *, form_class=UpdateForm, form=None, status=200, prefetch=(),
              action_form=None):
    """A tracked item with its timeline (newest first, paginated), the update form, and its actions with the
    "Add an action" form (`action_form`: one posted, shown again with what was typed). What every
    reader sees alike is cached per data version (the template's fragments "item-main", "item-facts" and
    "item-timeline", under `item_cache_key`): only when one of the first two is missing are the related
    records (`prefetch`) read, and the timeline page only when the last is. The public sees the published
    entries only (`visible_to`), without their authors, and its own cached fragments."""
    user, public = request.user, is_public(request)
    if form is None and item.can_log_update(user):
        form = form_class(item=item, user=user)
    timeline = item.updates.visible_to(user)
    if not public:
        timeline = timeline.select_related("author", "owner_before", "owner_after")
    paginator = Paginator(timeline, TIMELINE_PAGE_SIZE)
    paginator.count = versioning.cached(f"timeline-count|{item._meta.label}|{item.pk}|{public}", timeline.count)
    page = paginator.get_page(request.GET.get("page"))  # the entries are read when the template shows them
    key = f"{item._meta.label}|{item.pk}|{versioning.current()}|{page.number}|{public}"
    # The template's fragments vary on the key and the language ({% cache … item_cache_key LANGUAGE_CODE %}).
    if any(cache.get(make_template_fragment_key(name, [key, get_language()])) is None for name in ITEM_FRAGMENTS):
        prefetch_related_objects([item], *prefetch)
    context = {"item": item, "form": form, "timeline": page, "item_cache_key": key,
               **actions_section(item, user, action_form)}
    if hasattr(item, "neighbours"):
        context["neighbours"] = item.neighbours(user)
    return render(request, template, context, status=status)


def actions_section(item, user, form=None):
    """An item's actions as the reader may see them (each knowing its item: no read per row), and the "Add an
    action" form for those who may add one; nothing for an action (no actions under actions). The item is one
    the reader may see: the public gets its published actions. No read when its kept count says it has none."""
    if not isinstance(item, ActionParent):
        return {}
    if form is None and item.can_log_update(user):
        form = ActionForm(parent=item)
    if not item.actions_count:
        return {"actions": [], "action_form": form}
    actions = Action.objects.of_parent(item).select_related("meeting", "owner").prefetch_related("responsible_actors")
    if not user.is_authenticated:
        actions = actions.filter(is_public=True)  # `visible_to`, knowing that the item is published
    actions = list(actions)
    for action in actions:
        action.parent = item
    return {"actions": actions, "action_form": form}


def log_update(request, item, template, form_class=UpdateForm, prefetch=()):
    """Handle a posted "Log an update" form; on any refusal, re-render with what the user typed."""

    def render_page(item=item, **kwargs):
        return item_page(request, item, template, form_class=form_class, prefetch=prefetch, **kwargs)

    if request.method != "POST":  # an address left in the bar after a refused update
        return redirect(item.get_absolute_url())
    if not item.can_log_update(request.user):
        messages.error(request, gettext("You may read this item but not log updates on it."))
        return render_page(status=403)
    form = form_class(request.POST, request.FILES, item=item, user=request.user)
    if form.is_valid():
        try:
            form.record(by=request.user)
        except EditConflict as conflict:
            # Show the current state; keep the text; let the next submit be based on what they now see.
            data = request.POST.copy()
            data["version"] = conflict.item.version
            form = form_class(data, request.FILES, item=conflict.item, user=request.user)
            form.is_valid()
            form.add_error(None, str(conflict))
            return render_page(item=conflict.item, form=form, status=409)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
            return render_page(form=form, status=403)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(form.error_field(field), errors)
        else:
            messages.success(request, gettext("Your update is in the timeline."))
            return redirect(item.get_absolute_url())
    return render_page(form=form, status=400)


def take_item(request, item, template, form_class=UpdateForm, prefetch=()):
    """ "Take this item": the user becomes the owner of an item nobody owns, by `record_update` (its
    rules, a timeline entry). Any refusal shows the item as it stands, with why, and changes nothing."""
    user, version = request.user, request.POST.get("version", "")
    if request.method != "POST" or item.owner_id == user.pk:
        return redirect(item.get_absolute_url())

    def refuse(message, status):
        messages.error(request, message)
        return item_page(request, item, template, form_class=form_class, prefetch=prefetch, status=status)

    if not item.can_own(user):
        return refuse(gettext("Your role may read items but not own them; nothing was changed."), 403)
    if item.owner_id is not None:
        return refuse(gettext("%(owner)s owns this item: ask them, or an editor, to hand it over. Nothing was "
                              "changed.") % {"owner": item.owner.get_full_name() or item.owner.username}, 403)
    if not version.isdecimal():
        return refuse(gettext("The form was incomplete (no version of the item); nothing was changed. Try again."),
                      400)
    try:
        item.record_update(by=user, note="Took this item.", expected_version=int(version), owner=user)
    except EditConflict:  # record_update has set the item's current values on `item`
        return refuse(gettext("Someone changed this item since you opened it, so it was not taken. Here it is as it "
                              "stands now."), 409)
    except (PermissionDenied, ValidationError) as error:
        return refuse(services.refusal_reason(error), 403)
    messages.success(request, gettext("You own this item now: it is in My items."))
    return redirect(item.get_absolute_url())


TEMPLATE = "recommendations/recommendation_detail.html"


def session_item(request, model, year, code, number):
    """The item of the address, if the reader may see it (an unpublished item is no page for the public)."""
    items = model.objects.visible_to(request.user).select_related("session__meeting", "session__roundtable", "owner")
    return get_object_or_404(items, session__meeting__year=year, session__code=code, number=number)


def item_related(model, public=False):
    """What an item's page shows besides the item (read when its cached parts are missing); for the
    public, the published projects only."""
    participants = Prefetch("session__participants", SessionParticipant.objects.select_related("actor"))
    if model is not Recommendation:
        return ("themes", "responsible_actors", participants)
    projects = model._meta.get_field("projects").related_model.objects.all()  # this app never imports partnerships
    return ("themes", "responsible_actors", participants,
            Prefetch("projects", projects.filter(is_public=True) if public else projects))


@portal_page()
def session_item_detail(request, model, year, code, number):
    """A recommendation's or follow-up item's page (`model` is given by the URL)."""
    if not is_public(request) and not request.user.has_perm(f"recommendations.view_{model._meta.model_name}"):
        raise PermissionDenied
    item = session_item(request, model, year, code, number)
    return item_page(request, item, TEMPLATE, prefetch=item_related(model, is_public(request)))


@login_required
def session_item_update(request, model, year, code, number):
    return log_update(request, session_item(request, model, year, code, number), TEMPLATE, prefetch=item_related(model))


@login_required
def session_item_take(request, model, year, code, number):
    return take_item(request, session_item(request, model, year, code, number), TEMPLATE, prefetch=item_related(model))
