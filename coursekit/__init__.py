"""coursekit: quizzes, discussions and exports for the course, from one question model.

The map of the package, and how a question flows from YAML to every view, is
docs/architecture.md."""
from .assign import Assignment
from .bank import load_bank, load_banks
from .chapter import Chapter
from .errors import BankError
from .grading import Result, grade, normalise_text
from .progress import ProgressStore
from .submission import build_submission, validate_submission

__version__ = "0.2.0"
__all__ = ["Chapter", "Assignment", "BankError", "load_bank", "load_banks", "grade", "normalise_text", "Result",
           "ProgressStore", "build_submission", "validate_submission", "__version__"]
