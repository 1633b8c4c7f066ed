"""Actions under an item (issue #20): adding one from its item's page, the action's own page (its timeline,
update form and "Take this item", drawn by the item pages' machinery), and the evidence files of timelines.
The views here take the function that finds the item they are under from the URL (urls.py, `actions_under`)."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from gfmd_tracker.portal import portal_page

from .. import services
from ..forms import ActionForm
from ..models import Action
from .items import TEMPLATE, item_page, item_related, log_update, session_item, take_item

ACTION_TEMPLATE = "recommendations/action_detail.html"
ACTION_RELATED = ("responsible_actors", "themes")


def action_of(request, parent, number):
    """The action `number` of `parent` (an item the reader may see), if the reader may see it."""
    actions = Action.objects.of_parent(parent).visible_to(request.user).select_related("meeting", "owner")
    action = get_object_or_404(actions, number=number)
    action.parent = parent  # its page names its item: no second read
    return action


def add_action(request, parent, template, **page):
    """A posted "Add an action" form, through `services.add_action`; any refusal shows the item's page again
    with what was typed and why. `page`: how the item's page is drawn (`item_page`'s form_class, prefetch)."""
    if request.method != "POST":
        return redirect(parent.get_absolute_url() + "#actions")
    form = ActionForm(request.POST, parent=parent)
    if not parent.can_log_update(request.user):
        messages.error(request, gettext("You may read this item but not add actions to it; nothing was added."))
        return item_page(request, parent, template, status=403, **page)
    if form.is_valid():
        try:
            action = services.add_action(parent, by=request.user, **form.cleaned_data)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
            return item_page(request, parent, template, action_form=form, status=403, **page)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("Action a%(number)s is added: %(title)s.")
                             % {"number": action.number, "title": action.title})
            return redirect(parent.get_absolute_url() + "#actions")
    return item_page(request, parent, template, action_form=form, status=400, **page)


def evidence_file(request, item, entry_id):
    """The evidence file of an entry of `item`'s timeline, to a signed-in reader who may read the item (the
    caller found it as its page does, and checked the sign-in): a download, never shown in the browser, never
    stored by a cache. The public never gets one, even of a public entry."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    opts = item._meta
    if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        raise PermissionDenied
    entry = get_object_or_404(item.updates.exclude(evidence_file=""), pk=entry_id)
    try:
        handle = entry.evidence_file.open("rb")
    except OSError:
        raise Http404(gettext("The evidence file of this entry is no longer in the storage.")) from None
    response = FileResponse(handle, as_attachment=True, filename=os.path.basename(entry.evidence_file.name))
    add_never_cache_headers(response)
    return response


# --- the actions and evidence under an item of any kind: `parent`, given by the URL (recommendations/urls.py,
# `actions_under`), finds the item of the address (`address`: the rest of the URL's values) as its page does.


@portal_page("recommendations.view_action")
def action_detail(request, parent, action, **address):
    action = action_of(request, parent(request, **address), action)
    return item_page(request, action, ACTION_TEMPLATE, prefetch=ACTION_RELATED)


@login_required
def action_update(request, parent, action, **address):
    action = action_of(request, parent(request, **address), action)
    return log_update(request, action, ACTION_TEMPLATE, prefetch=ACTION_RELATED)


@login_required
def action_take(request, parent, action, **address):
    action = action_of(request, parent(request, **address), action)
    return take_item(request, action, ACTION_TEMPLATE, prefetch=ACTION_RELATED)


@login_required
def item_evidence(request, parent, entry, **address):
    return evidence_file(request, parent(request, **address), entry)


@login_required
def action_evidence(request, parent, action, entry, **address):
    return evidence_file(request, action_of(request, parent(request, **address), action), entry)


@login_required
def session_item_add_action(request, model, year, code, number):
    return add_action(request, session_item(request, model, year, code, number), TEMPLATE,
                      prefetch=item_related(model))
