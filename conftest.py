"""Root pytest configuration: every kernel that nbval starts saves progress in a throw-away
folder, so running the tests never touches (or depends on) a student's saved answers."""
import os
import tempfile

os.environ["COURSEKIT_DATA_DIR"] = tempfile.mkdtemp(prefix="coursekit-test-progress-")
