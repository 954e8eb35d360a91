from django.contrib import admin

from petitspas.childcare.models import Enrolment, Referral, ReferralChild, ReferralTransition
from petitspas.organisations.models import ProgrammePrescriber


class ReferralChildInline(admin.TabularInline):
    model = ReferralChild
    extra = 0
    raw_id_fields = ["person"]


class ReferralTransitionInline(admin.TabularInline):
    model = ReferralTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "at", "by", "reason", "reason_shared", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """For the platform's staff: states change through the services (and their log) only."""

    list_display = ["__str__", "programme", "prescriber_organisation", "state", "created_at"]
    list_filter = ["state", "programme"]
    readonly_fields = ["state", "state_changed_at", "household", "created_by"]
    inlines = [ReferralChildInline, ReferralTransitionInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on", "settling_in_until"]
    raw_id_fields = ["child", "referral"]


@admin.register(ProgrammePrescriber)
class ProgrammePrescriberAdmin(admin.ModelAdmin):
    list_display = ["organisation", "programme", "created_at"]
