"""The pages of recommendations and follow-up items, one module per family of pages:

items.py    an item's page and its "Log an update" form (item_page, log_update: projects use them too)
lists.py    the filtered list and its CSV/XLSX download (filtered_list, export: projects use them too)
reports.py  the status matrix and what changed (the counting is in recommendations/reports.py)
actors.py   the actors and what each one chairs, is responsible for and partners in
names.py    the names a name box offers as one types (owners, actors), as JSON
"""
