"""The status matrix's table body and chart, written in Python: thousands of cells through
template loops cost more than the database's whole aggregate. Counts are grouped in
thousands ("1,234"), as the templates show them (`floatformat:"g"`)."""

from html import escape
from urllib.parse import urlencode

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _link(href, text):
    return f'<a href="{escape(href)}">{text}</a>' if href else str(text)


@register.simple_tag
def matrix_body(matrix, list_url, keep_query, as_of):
    """<tbody> per group: a heading row, one row per session, a subtotal row."""
    base = f"{list_url}?{keep_query}{'&' if keep_query else ''}"
    width = len(matrix.statuses) + 3
    out = []
    for group in matrix.groups:
        out.append(f'<tbody><tr class="group"><th colspan="{width}" scope="colgroup">{escape(group.label)}</th></tr>')
        for row in group.rows:
            session = row.session
            where = base + urlencode({"meeting": session.meeting.year, "session": session.code})
            cells = "".join(
                f'<td class="num">{_link(None if as_of else f"{where}&status={status}", f"{n:,}")}</td>' if n
                else '<td class="num"><span class="zero">0</span></td>'
                for status, n in row.cells()
            )
            out.append(
                f'<tr><th scope="row"><span class="code">{escape(session.code)}</span> '
                f'{escape(session.title[:70])}{"…" if len(session.title) > 70 else ""}</th>{cells}'
                f'<td class="num">{_link(None if as_of else where, f"{row.total:,}")}</td>'
                f'<td class="num">{row.share_closed}%</td></tr>'
            )
        subtotal = group.subtotal
        cells = "".join(f'<td class="num">{n:,}</td>' for _, n in subtotal.cells())
        out.append(f'<tr class="subtotal"><th scope="row">Subtotal</th>{cells}<td class="num">{subtotal.total:,}</td>'
                   f'<td class="num">{subtotal.share_closed}%</td></tr></tbody>')
    return mark_safe("".join(out))


@register.simple_tag
def matrix_chart(matrix):
    """One stacked bar per session (an inner SVG with 0–100 units across), its total at the end."""
    rows = []
    for row, y in matrix.chart_rows:
        bars = "".join(
            f'<rect x="{x}" y="0" width="{w}" height="20" class="fill-{status}">'
            f"<title>{escape(row.session.code)}: {n:,}</title></rect>"
            for status, n, x, w in row.bars()
        )
        rows.append(
            f'<g transform="translate(0 {y})"><text x="0" y="17" class="label">{escape(row.session.code)}</text>'
            f'<svg x="60" y="3" width="860" height="20" viewBox="0 0 100 20" preserveAspectRatio="none">{bars}</svg>'
            f'<text x="930" y="17" class="value">{row.total:,}</text></g>'
        )
    return mark_safe("".join(rows))
