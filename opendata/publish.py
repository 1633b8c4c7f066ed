"""Publishing a build: the ZIP is written to a local temporary file, saved whole to the `open_data` storage
under a name of its own (never over the file being served), and only then made current (`OpenDataBuild`, one
row in the database every web server reads). The build before it is kept for downloads under way; older ones
are deleted."""

import hashlib
import tempfile

from django.core.files import File
from django.core.files.storage import storages

from . import package
from .models import OpenDataBuild

KEEP = 2  # the current build and the one before


def storage():
    return storages["open_data"]


def build():
    """Write, save and make current a new build; the `OpenDataBuild`."""
    with tempfile.TemporaryFile() as out:
        built = package.write(out)
        size, digest = out.tell(), hashlib.sha256()
        out.seek(0)
        while chunk := out.read(package.PIECE):
            digest.update(chunk)
        out.seek(0)
        name = storage().save(f"gfmd-tracker-{built.built_at:%Y%m%dT%H%M%SZ}.zip", File(out))
    try:
        current = OpenDataBuild.objects.create(name=name, built_at=built.built_at, size=size,
                                               sha256=digest.hexdigest(), licence=built.licence,
                                               resources=built.resources)
    except BaseException:
        storage().delete(name)
        raise
    prune()
    return current


def prune(keep=KEEP):
    """Delete all but the latest `keep` builds, their files with them."""
    for old in OpenDataBuild.objects.all()[keep:]:
        storage().delete(old.name)  # a file already gone is no error (Storage.delete)
        old.delete()
