"""The building block of every app's access functions (``access_<thing>``)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from petitspas.core.db import is_possible_id


def get_visible_or_404(queryset, pk):
    """The row ``pk`` of ``queryset`` (already scoped to the user), or ``Http404``: the
    same answer for another organisation's row, a missing one and an id no row can
    have, so that ids cannot be probed."""
    if not is_possible_id(pk):
        raise Http404
    return get_object_or_404(queryset, pk=pk)
