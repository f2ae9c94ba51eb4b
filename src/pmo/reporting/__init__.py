"""Highlight reports and report packs (M10)."""

import logging

# WeasyPrint logs every rendering step at INFO, even the parsing of its own stylesheet when it is
# imported: nothing an operator needs, so quieten it before the exports import it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
