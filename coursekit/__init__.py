"""coursekit: quizzes, discussions and exports for the course, from one question model."""
from .assign import Assignment
from .bank import BankError, load_bank, load_banks
from .chapter import Chapter
from .grading import Result, grade, normalise_text
from .progress import ProgressStore
from .submission import build_submission, validate_submission

__version__ = "0.1.0"
__all__ = ["Chapter", "Assignment", "BankError", "load_bank", "load_banks", "grade", "normalise_text", "Result",
           "ProgressStore", "build_submission", "validate_submission", "__version__"]
