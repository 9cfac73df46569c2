from django.contrib import admin

from agencies.models import Agency, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "is_active"]
    list_filter = ["kind", "sector", "is_active"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "agency", "is_active"]
    list_filter = ["is_active", "groups"]
    search_fields = ["full_name", "email"]
    exclude = ["password", "user_permissions"]
    readonly_fields = ["last_login", "date_joined"]
