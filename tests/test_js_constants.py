"""coursekit.js copies a few constants from Python (it cannot import them): this test is
where a change on one side without the other fails."""
import json
import re

from conftest import ROOT
from coursekit import grading, submission

JS = (ROOT / "coursekit" / "static" / "coursekit.js").read_text("utf-8")
SCHEMA = json.loads((ROOT / "coursekit" / "schemas" / "submission-v1.schema.json").read_text("utf-8"))


def js_constants() -> dict:
    block = re.search(r"/\* constants:begin \*/\s*var C = (\{.*?\});\s*/\* constants:end \*/", JS, re.S)
    assert block, "coursekit.js lost its constants block"
    return json.loads(block.group(1))


def test_submission_format_and_fields_match_the_schema():
    c = js_constants()
    assert (c["format"], c["version"]) == (submission.SUBMISSION_FORMAT, submission.SUBMISSION_VERSION)
    assert c["fields"] == list(SCHEMA["properties"]) == SCHEMA["required"]


def test_size_limits_match_the_schema():
    limits = js_constants()["limits"]
    props = SCHEMA["properties"]
    assert limits["student"] == props["student"]["maxLength"]
    assert limits["response"] == props["responses"]["additionalProperties"]["maxLength"] == submission.MAX_RESPONSE_CHARS
    text_answer = next(a for a in props["answers"]["additionalProperties"]["anyOf"] if a["type"] == "string")
    assert limits["answer"] == text_answer["maxLength"]


def test_file_name_rule_matches():
    assert js_constants()["slugLength"] == submission.SLUG_LENGTH


def test_messages_are_the_graders():
    assert js_constants()["messages"] == grading.MESSAGES
