"""The import and export of the resource register in the permission matrix: none.

Importing and exporting are actions on the whole register, not objects with a list, a detail page
and an edit form, so the matrix of ``pmo.core.testing.harness`` has nothing to run on them. Their
permissions are tested in ``test_transfer_import.py`` (only a role that creates and changes across
the organisation may import; no role, portfolio and project managers are refused and nothing is
written) and ``test_transfer_pages.py`` (403 on the page and the API, sign-in for anonymous
visitors, and an export that holds only what the user may see).
"""

TRANSFER_RESOURCES = []
