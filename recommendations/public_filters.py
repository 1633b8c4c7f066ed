"""What the public's lists leave out (issue #19): a list's FilterSet given the request of nobody signed in
narrows its rows to the published items, offers no filter or sort by owner, and reads "last update" from the
latest public entry. The lists' filters themselves are in `filters`."""


class PublicFilterSetMixin:
    """`public`: the reader is the public (`request` of nobody signed in); `latest`: the field of the latest
    update the reader may see (the stale and "updated since" filters, the sort by last update)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.public = request is not None and not request.user.is_authenticated
        if self.public and queryset is not None:
            queryset = queryset.visible_to(request.user)
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.latest = "last_public_update_at" if self.public else "last_update_at"
        if self.public:
            del self.filters["owner"]  # a crafted `?owner=` is then ignored
            if "sort" in self.filters:  # the API's copies have none (a cursor walks one order)
                self.filters["sort"] = public_sort(self.filters["sort"], self)


def public_sort(sort, parent):
    """The public's copy of a list's sort: not by owner, and "updated" by the latest public entry."""
    fields = [("last_public_update_at" if field == "last_update_at" else field, param)
              for param, field in sort.param_map.items() if param != "owner"]
    labels = dict(sort.extra["choices"])  # by parameter: "updated" → "Last update"
    copy = type(sort)(fields=fields, field_labels={field: labels[param] for field, param in fields}, label=sort.label)
    copy.model, copy.parent = getattr(sort, "model", None), parent
    return copy
