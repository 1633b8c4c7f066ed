"""What a printout states besides the page: the day it was printed, and as of when its figures are."""

import pytest
from django.utils import dateformat, timezone

pytestmark = pytest.mark.django_db


def printed_line(client, url):
    before = timezone.localtime()
    html = client.get(url).content.decode()
    after = timezone.localtime()
    start = html.index('<p class="print-only printed">')
    line = html[start + len('<p class="print-only printed">'):html.index("</p>", start)]
    days = {dateformat.format(moment, "j M Y") for moment in (before, after)}
    return line, days


@pytest.mark.parametrize("url", ["/", "/recommendations/", "/recommendations/2010/2.1/3/", "/projects/", "/my-items/",
                                 "/reports/matrix/"])
def test_every_page_states_the_day_it_was_printed(viewer_client, url):
    line, days = printed_line(viewer_client, url)
    assert any(line.startswith(f"Printed {day}, ") for day in days), line
    zone = dateformat.format(timezone.localtime(), "T")  # the site's time zone, UTC unless TIME_ZONE says
    assert line.endswith(f" {zone}. Figures as they stood then.")


def test_the_matrix_as_of_a_past_day_states_that_day_on_paper(viewer_client):
    line, days = printed_line(viewer_client, "/reports/matrix/?as_of=2011-01-01")
    assert line.endswith(". Statuses as of the end of 1 Jan 2011.")
    assert any(line.startswith(f"Printed {day}, ") for day in days)
