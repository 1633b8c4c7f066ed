"""Verified closure (issue #20): moving an item to implemented or not pursued is a claim, with its evidence (a
link or a file) or its reason; where the item's meeting requires it (`Meeting.closure_verification_required`,
and always for an item with no meeting), the claim awaits a second person, an editor who did not make it, who
verifies it or returns it (reopens the item). `ClosureRules` holds these rules for `TrackedItem.apply_update`;
nobody sets `verification` to "awaiting" by hand, and only the rules clear it.

Who: `by` None is a system process (an import from the command line), trusted as the other rules trust it."""

import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .statuses import CLOSED, Status

__all__ = ["EVIDENCE_EXTENSIONS", "ClosureReason", "ClosureRules", "Verification", "check_evidence_file"]


class Verification(models.TextChoices):
    NONE = "", _("Not claimed")
    AWAITING = "awaiting", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")


class ClosureReason(models.TextChoices):
    """Why an item is not pursued (the note says more; "other": the note says why)."""

    SUPERSEDED = "superseded", _("Superseded by another outcome")
    NO_RESOURCES = "no_resources", _("No money or people to do it")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("No longer relevant")
    OUTSIDE_MANDATE = "outside_mandate", _("Outside the mandate of those responsible")
    OTHER = "other", _("Another reason (the note says why)")


# What an evidence file may be: documents, spreadsheets, pictures and plain text, nothing that runs.
EVIDENCE_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "docx", "xlsx", "odt", "ods", "txt", "csv")


def check_evidence_file(file):
    """An evidence file's kind (its extension) and size (settings.EVIDENCE_MAX_BYTES), as imports check theirs."""
    if not file:
        return
    extension = os.path.splitext(file.name)[1].lower().lstrip(".")
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError({"evidence_file": gettext(
            "“%(name)s” is not a kind of file evidence may be: attach one of %(kinds)s.")
            % {"name": os.path.basename(file.name), "kinds": ", ".join(EVIDENCE_EXTENSIONS)}})
    limit = settings.EVIDENCE_MAX_BYTES
    if file.size > limit:
        raise ValidationError({"evidence_file": gettext(
            "The file is %(size)s MB; an evidence file may be at most %(limit)s MB. Attach a smaller file, or give a "
            "link to it.") % {"size": number_format(file.size / 2**20, 1), "limit": number_format(limit / 2**20, 0)}})


# Who verifies or returns a closure (`check_second_person`): (refused to one who is no editor, to its claimant).
SECOND_PERSON = {
    "verify": (_("Only an editor can verify a closure."),
               _("Another editor must verify this closure: you claimed it.")),
    "return": (_("Only an editor can return a closure."),
               _("Another editor must return this closure: you claimed it.")),
}


class ClosureRules:
    """The closure rules of a tracked item (a mixin of `TrackedItem`)."""

    def verification_required(self):
        """Whether a closure of this item awaits a second person: as its meeting says; always without a meeting."""
        meeting = self.get_meeting()
        return meeting is None or meeting.closure_verification_required

    def claimant_id(self):
        """The id of who claimed the closure awaiting verification: the author of the latest entry that set
        "awaiting" (None: a system process, or no claim)."""
        claims = self.updates.filter(verification_after=Verification.AWAITING).order_by("-created_at", "-pk")
        return claims.values_list("author_id", flat=True).first()

    @property
    def is_awaiting_verification(self):
        return self.verification == Verification.AWAITING

    def closure_changes(self, changes, *, by, evidence=False, closure_reason=""):
        """Check what `changes` do to a closure (a claim, a verification, a return, a reopening) and return them
        with the verification the entry sets. `evidence`: whether a link or a file comes with the update."""
        status = changes.get("status")
        if "verification" in changes:
            self.check_verifying(changes["verification"], by=by, status=status)
        if closure_reason and status != Status.NOT_PURSUED:
            raise ValidationError({"closure_reason": gettext("A reason from the list is given when an item is "
                                                             "closed as not pursued; the note says the rest.")})
        if status is not None and self.status in CLOSED:  # a reopening (check_transition allowed it)
            if self.is_awaiting_verification and by is not None:
                self.check_second_person(by, "return")
            if self.verification:
                changes = {**changes, "verification": Verification.NONE}
        if status in CLOSED:
            self.check_claim(status, evidence=evidence, closure_reason=closure_reason)
            if self.verification_required():
                changes = {**changes, "verification": Verification.AWAITING}
        return changes

    def check_verifying(self, value, *, by, status):
        if value != Verification.VERIFIED:
            raise ValidationError({"verification": gettext(
                "A closure awaits verification when someone claims it (implemented or not pursued), and is "
                "returned by reopening the item: only “verified” is set by hand.")})
        if not self.is_awaiting_verification:
            raise ValidationError({"verification": gettext("Only a closure awaiting verification can be verified.")})
        if status is not None:
            raise ValidationError({"verification": gettext("Verify the closure, or return it by reopening the item: "
                                                           "not both in one update.")})
        if by is not None:
            self.check_second_person(by, "verify")

    def check_second_person(self, user, act):
        """An editor who did not claim the closure verifies or returns it."""
        if not self.can_edit_any(user):
            raise PermissionDenied(SECOND_PERSON[act][0])
        if self.claimant_id() == user.pk:
            raise PermissionDenied(SECOND_PERSON[act][1])

    @staticmethod
    def check_claim(status, *, evidence, closure_reason):
        if status == Status.IMPLEMENTED and not evidence:
            raise ValidationError({"evidence_url": gettext("Give the evidence of what was done: a link, or attach a "
                                                           "file. An item is closed as implemented with its "
                                                           "evidence.")})
        if status == Status.NOT_PURSUED and closure_reason not in ClosureReason.values:
            reasons = "; ".join(str(label) for label in ClosureReason.labels)
            raise ValidationError({"closure_reason": gettext("Choose why the item is not pursued: %(reasons)s.")
                                   % {"reasons": reasons}})
