"""CSV and XLSX downloads of a filtered list: exactly the rows of the list, all pages.

CSV is streamed row by row, so its size is bounded by nothing but the filters; XLSX is
built in memory and therefore capped (XLSX_MAX_ROWS) with a clear message.
"""

import csv
import io

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from openpyxl import Workbook

XLSX_MAX_ROWS = 50_000
CHUNK = 2_000


class _Echo:
    def write(self, value):
        return value


def _rows(resource, queryset):
    yield resource.get_export_headers()
    for instance in queryset.iterator(chunk_size=CHUNK):
        yield resource.export_resource(instance)


def filename(stem, extension):
    return f"gfmd-{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(resource, queryset, stem):
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        ("\ufeff" if i == 0 else "") + writer.writerow(row) for i, row in enumerate(_rows(resource, queryset))
    )
    response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{filename(stem, "csv")}"'
    return response


def xlsx_response(request, resource, queryset, stem, description, back_url):
    count = queryset.count()
    if count > XLSX_MAX_ROWS:
        messages.error(
            request,
            f"An Excel file holds at most {XLSX_MAX_ROWS:,} rows and these filters select {count:,}. "
            "Narrow the filters, or download CSV, which has no limit.",
        )
        return redirect(back_url)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(stem.replace("-", " ").capitalize()[:31])
    for row in _rows(resource, queryset):
        sheet.append(row)
    about = book.create_sheet("About this export")
    about.append(["GFMD Tracker export", timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")])
    about.append(["Rows", count])
    for line in description or ["No filters: every row."]:
        about.append(["Filter", line])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(stem, "xlsx")}"'
    return response
