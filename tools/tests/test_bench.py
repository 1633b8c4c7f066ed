"""`manage.py bench --size`: the dataset it measures, and what it refuses."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from tools.bench import deep_page


def test_the_deep_page_lies_a_third_of_the_way_down_the_list():
    assert deep_page(300_045) == 2_000  # the large dataset and the seeded report: 6,000 pages of 50
    assert deep_page(30_045) == 200
    assert deep_page(545) == 3
    assert deep_page(45) == 1


def test_a_size_it_does_not_know_is_refused():
    with pytest.raises(CommandError, match=re.escape("argument --size: invalid choice: 'huge'")):
        call_command("bench", "--size", "huge", stdout=io.StringIO())


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_database_holding_another_size_is_refused_before_measuring():
    call_command("generate_scale_data", "--size", "small", stdout=io.StringIO())
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("bench", "--size", "medium", stdout=out)
    assert str(refused.value) == (
        "The database holds 500 synthetic recommendations, not the medium dataset's 30,000: "
        "give each size a database of its own, or drop this one and run again."
    )
    assert "VACUUM" not in out.getvalue()
