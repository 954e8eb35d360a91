"""What attendance announces to the apps above it, inside the transaction of the write.

The field sheet writes its rows in bulk (``bulk_create`` sends no ``post_save``), so the
save sends ``sheet_saved`` itself once its rows are written: the figures kept by reporting
are updated in the same transaction and are never stale. Attendance does not know who
listens."""

from django.dispatch import Signal

# Sent by ``services.attendance_record`` with ``session`` (the Session) and
# ``household_ids`` (the households whose rows the save wrote), before it returns.
sheet_saved = Signal()
