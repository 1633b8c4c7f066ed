"""`linked`: a notification's text with its addresses made links, exactly as Django's `urlize` makes them, asking
urlize only of a text that may hold one. urlize weighs every word that has a dot or a colon, and a reminders run
writes hundreds of thousands of texts that hold no address ("Recommendation 2010/1.1/3: … progress 40 %."): it
was the largest cost of sending them (docs/performance.md)."""

import re

from django import template
from django.template.defaultfilters import urlize
from django.utils.html import conditional_escape

register = template.Library()

# What urlize links: http(s)://…, www.…, a name ending in one of its top-level domains, an e-mail address.
MAY_LINK = re.compile(r"https?://|www\.|@|\.(?:com|edu|gov|int|mil|net|org)\b", re.IGNORECASE)


@register.filter(is_safe=True, needs_autoescape=True)
def linked(text, autoescape=True):
    text = str(text)
    if MAY_LINK.search(text):
        return urlize(text, autoescape=autoescape)
    return conditional_escape(text) if autoescape else text
