"""How the costs grow with the data: `make bench SIZE="medium large"`.

Each size is measured in its own database and run (`manage.py bench --size medium --growth
--save FILE`: the GROWTH rows only), then `manage.py bench --compare FILE...` prints the runs
side by side. With ten times the data, a last/first of about 1× is a cost that stays flat;
about 10× is one that grows with the data.
"""

import json
from dataclasses import asdict

# The rows measured on every size, by the label they are compared under (their own names say
# the size: "deep page (page 2,000)").
GROWTH = {
    "list": "filtered list, 50 rows",
    "deep page": "deep page, a third down the list",
    "item page": "item page, 500 updates",
    "matrix": "status matrix, one meeting",
    "matrix, all meetings": "status matrix, all meetings",
    "as of": "status as of a past date",
    "search": "full-text search",
    "import": "import through the admin path",
}


def save(results, path, *, size, recommendations):
    """One size's GROWTH rows (bench.Result), for `print_growth`."""
    rows = [asdict(result) for result in results if result.key in GROWTH]
    with open(path, "w") as file:
        json.dump({"size": size, "recommendations": recommendations, "rows": rows}, file, indent=1)


def load(path):
    with open(path) as file:
        return json.load(file)


def cell(row):
    """A page's p95 (its raw SQL in brackets), or the import's rate."""
    if row is None:
        return "—"
    if row["rate"] is not None:
        return f"{row['rate']:,.0f} rows/s"
    return f"{row['p95']:,.0f} ms ({row['sql']:,.0f})"


def ratio(first, last):
    """The last size's figure over the first's (the import's rate, a page's p95)."""
    if first is None or last is None:
        return "—"
    figure = "rate" if first["rate"] is not None else "p95"
    return f"{last[figure] / first[figure]:.1f}×" if first[figure] else "—"


def print_growth(runs, out):
    """Saved runs side by side, the fewest recommendations first."""
    runs = sorted(runs, key=lambda run: run["recommendations"])
    by_key = [{row["key"]: row for row in run["rows"]} for run in runs]
    sizes = [f"{run['size']}, {run['recommendations']:,}" for run in runs]
    out.write("How the costs grow: p95 in ms (raw SQL ms), the import in rows/s; the recommendations of each size\n")
    head = f"{'page / operation':<34}" + "".join(f"{size:>20}" for size in sizes) + f"{'last / first':>14}"
    out.write(head + "\n" + "-" * len(head) + "\n")
    for key, label in GROWTH.items():
        rows = [rows.get(key) for rows in by_key]
        out.write(f"{label:<34}" + "".join(f"{cell(row):>20}" for row in rows) + f"{ratio(rows[0], rows[-1]):>14}\n")
