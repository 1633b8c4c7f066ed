"""`make bench SIZE="medium large"`: the saved runs of each size, printed side by side."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tools.bench import Result
from tools.growth import GROWTH, save


def run(size, recommendations, pages, import_rate):
    """A saved run: `pages` maps a GROWTH key to (p95, raw SQL) in ms."""
    rows = [{"key": key, "p95": p95, "sql": sql, "rate": None} for key, (p95, sql) in pages.items()]
    rows.append({"key": "import", "p95": None, "sql": None, "rate": import_rate})
    return {"size": size, "recommendations": recommendations, "rows": rows}


def test_the_runs_are_printed_side_by_side_smallest_first_with_the_last_over_the_first(tmp_path):
    pages = ["list", "deep page", "item page", "matrix", "matrix, all meetings", "as of", "search"]
    large = run("large", 300_045, dict(zip(pages, [(16, 19), (23, 30), (7, 7), (28, 20), (18, 166), (19, 99),
                                                   (14, 12)])), 5_900)
    medium = run("medium", 30_045, dict(zip(pages, [(16, 17), (12, 3), (7, 7), (14, 10), (17, 16), (12, 10),
                                                    (0.4, 2)])), 6_200)
    files = []
    for saved in (large, medium):
        files.append(tmp_path / f"{saved['size']}.json")
        files[-1].write_text(json.dumps(saved))
    out = io.StringIO()

    call_command("bench", "--compare", *map(str, files), stdout=out)

    assert out.getvalue().splitlines() == [
        "How the costs grow: p95 in ms (raw SQL ms), the import in rows/s; the recommendations of each size",
        "page / operation                        medium, 30,045      large, 300,045  last / first",
        "----------------------------------------------------------------------------------------",
        "filtered list, 50 rows                      16 ms (17)          16 ms (19)          1.0×",
        "deep page, a third down the list             12 ms (3)          23 ms (30)          1.9×",
        "item page, 500 updates                        7 ms (7)            7 ms (7)          1.0×",
        "status matrix, one meeting                  14 ms (10)          28 ms (20)          2.0×",
        "status matrix, all meetings                 17 ms (16)         18 ms (166)          1.1×",
        "status as of a past date                    12 ms (10)          19 ms (99)          1.6×",
        "full-text search                              0 ms (2)          14 ms (12)         35.0×",
        "import through the admin path             6,200 rows/s        5,900 rows/s          1.0×",
    ]


def test_a_row_missing_from_a_run_is_a_dash(tmp_path):
    medium = run("medium", 30_045, {"list": (16, 17)}, 6_200)
    path = tmp_path / "medium.json"
    path.write_text(json.dumps(medium))
    out = io.StringIO()
    call_command("bench", "--compare", str(path), str(path), stdout=out)
    assert out.getvalue().splitlines()[4].split() == ["deep", "page,", "a", "third", "down", "the", "list", "—", "—",
                                                      "—"]


def test_a_run_saves_only_its_growth_rows(tmp_path):
    results = [Result("filtered list, 50 rows", 18, 13, 16, 19, key="list"),
               Result("admin: recommendations", 12, 69, 74, 5),
               Result("import through the admin path", rate=6_200.0, key="import")]
    path = tmp_path / "small.json"
    save(results, path, size="small", recommendations=545)
    saved = json.loads(path.read_text())
    assert (saved["size"], saved["recommendations"]) == ("small", 545)
    assert [(row["name"], row["p95"], row["rate"]) for row in saved["rows"]] == [
        ("filtered list, 50 rows", 16, None), ("import through the admin path", None, 6_200.0)]
    assert set(GROWTH) >= {row["key"] for row in saved["rows"]}


def test_comparing_a_run_never_saved_is_refused_plainly(tmp_path):
    with pytest.raises(CommandError, match="No saved run to compare: .*nowhere.json"):
        call_command("bench", "--compare", str(tmp_path / "nowhere.json"), stdout=io.StringIO())
