"""Questions leave for other systems here, one module per format: gift (Moodle), qti
(Canvas, QTI 1.2) and jsonfile (every field, for other tools). Every exporter returns, besides
its output, the questions it had to leave out, each with the reason: nothing is dropped
silently. The formats are described in docs/export-formats.md."""
from .common import LeftOut, accepted_variants, ordinal
from .gift import gift_escape, to_gift
from .jsonfile import EXPORT_FORMAT, EXPORT_VERSION, to_bank_json
from .qti import markdown_inert, to_qti

__all__ = ["to_gift", "to_qti", "to_bank_json", "gift_escape", "markdown_inert", "accepted_variants", "ordinal",
           "EXPORT_FORMAT", "EXPORT_VERSION", "LeftOut"]
