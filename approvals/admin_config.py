"""The admin app with :class:`approvals.admin_site.AuditedAdminSite` as its default site.

Its own module, free of models: ``INSTALLED_APPS`` imports it before the models are ready.
"""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    """``django.contrib.admin``, every change made through it audited (``approvals.admin_site``)."""

    default_site = "approvals.admin_site.AuditedAdminSite"
