"""Messages of django-simple-history's History pages, which ship with no Spanish catalogue (and a French one
that lacks a few): marked here so that `makemessages` keeps them in gfmd_tracker's catalogues, which Django
reads for what the library's own catalogue does not hold (a library listed before us in INSTALLED_APPS wins
where it has a translation). Nothing imports this module; it is read by `makemessages` only.
"""

from django.utils.translation import gettext_noop

SIMPLE_HISTORY = [
    gettext_noop("Change history: %s"), gettext_noop("View history: %s"), gettext_noop("View %s"),
    gettext_noop("Revert %s"), gettext_noop("You may edit it again below"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Revert %(verbose_name)s"), gettext_noop("View %(verbose_name)s"),
    gettext_noop("This object doesn't have a change history."), gettext_noop("Change History"),
    gettext_noop("Change reason"), gettext_noop("Changed by"), gettext_noop("Changes"), gettext_noop("Comment"),
    gettext_noop("Object"), gettext_noop("Revert"),
]
