"""Background jobs that must not run twice at once hold a row while they run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobLease(models.Model):
    """The lease of one job (the orphan-file sweep): who runs it now, and until when.

    A run takes the row only when nobody holds it or its lease ran out, and renews it as it
    goes (``approvals.job_leases.RunLease``); a run that died leaves it held until
    ``held_until``, after which the next run takes it over.
    """

    name = models.CharField(_("công việc"), max_length=100, primary_key=True)
    #: The run holding the lease (a random token), empty when free.
    holder = models.CharField(_("lượt chạy"), max_length=32, blank=True)
    held_until = models.DateTimeField(_("giữ đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt chạy công việc nền")
        verbose_name_plural = _("lượt chạy công việc nền")

    def __str__(self) -> str:
        return self.name
