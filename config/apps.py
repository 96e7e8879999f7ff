"""The admin's app config, so that ``admin.site`` is the secretariat's (config/admin_site.py)."""

from django.contrib.admin.apps import AdminConfig


class SecretariatAdminConfig(AdminConfig):
    default_site = "config.admin_site.SecretariatAdminSite"
