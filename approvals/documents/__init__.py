"""Official documents: registers, content snapshots, PDF and DOCX rendering, issuing.

The public entry points are in :mod:`approvals.documents.services`; this package's
``__init__`` imports nothing, because ``approvals.models`` is loaded while Django starts.
"""
