"""Import previews kept in the database (IMPORT_EXPORT_TMP_STORAGE_CLASS), not in a server's
temporary folder: a preview made by one web process is confirmed by whichever process the
load balancer sends "Confirm import" to."""

import secrets

from import_export.tmp_storages import BaseStorage

from .models import ImportPreview
from .spreadsheets import UploadRefused, preview_gone_message


class DatabasePreviewStorage(BaseStorage):
    def save(self, data):
        ImportPreview.objects.expired().delete()  # abandoned previews go with the next upload
        self.name = secrets.token_urlsafe(32)  # 43 characters: not guessable, never a path
        ImportPreview.objects.create(name=self.name, data=data if isinstance(data, bytes) else data.encode("utf-8"))

    def read(self):
        preview = ImportPreview.objects.current().filter(name=self.name).first()
        if preview is None:
            raise UploadRefused(preview_gone_message())
        return bytes(preview.data)  # a CSV file too: CheckedCSV decodes it, with its own messages

    def remove(self):
        ImportPreview.objects.filter(name=self.name).delete()
