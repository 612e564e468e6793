"""coursekit.js copies a few constants from Python (it cannot import them): this test is
where a change on one side without the other fails."""
import json
import re

from conftest import ROOT
from coursekit import grading, importing, submission

JS = (ROOT / "coursekit" / "static" / "coursekit.js").read_text("utf-8")
SCHEMA = json.loads((ROOT / "coursekit" / "schemas" / "submission-v1.schema.json").read_text("utf-8"))
SCHEMA2 = json.loads((ROOT / "coursekit" / "schemas" / "submission-v2.schema.json").read_text("utf-8"))
NEWEST = json.loads((ROOT / "coursekit" / "schemas" / "submission-v3.schema.json").read_text("utf-8"))


def js_constants() -> dict:
    block = re.search(r"/\* constants:begin \*/\s*var C = (\{.*?\});\s*/\* constants:end \*/", JS, re.S)
    assert block, "coursekit.js lost its constants block"
    return json.loads(block.group(1))


def test_submission_format_and_fields_match_the_schema():
    c = js_constants()
    assert (c["format"], c["version"]) == (submission.SUBMISSION_FORMAT, submission.SUBMISSION_VERSION)
    assert NEWEST["properties"]["version"]["const"] == submission.SUBMISSION_VERSION  # the newest schema
    assert c["readableVersions"] == list(submission.READABLE_VERSIONS)
    for version in submission.READABLE_VERSIONS:  # every version read has its schema
        assert submission.submission_schema(version)["properties"]["version"]["const"] == version
    assert c["fields"] == list(NEWEST["properties"])
    assert set(NEWEST["required"]) <= set(c["fields"])


def test_size_limits_match_the_schema():
    limits = js_constants()["limits"]
    for schema in (SCHEMA, SCHEMA2, NEWEST):
        props = schema["properties"]
        answers = props["answers"] if "maxProperties" in props["answers"] else schema["$defs"]["answers"]
        responses = props["responses"] if "maxProperties" in props["responses"] else schema["$defs"]["responses"]
        assert limits["student"] == props["student"]["maxLength"]
        assert limits["response"] == responses["additionalProperties"]["maxLength"] == submission.MAX_RESPONSE_CHARS
        text_answer = next(a for a in answers["additionalProperties"]["anyOf"] if a["type"] == "string")
        arrays = [a for a in answers["additionalProperties"]["anyOf"] if a["type"] == "array"]
        object_answer = next(a for a in answers["additionalProperties"]["anyOf"] if a["type"] == "object")
        assert limits["answer"] == text_answer["maxLength"]
        assert {limits["items"]} == {a["maxItems"] for a in arrays} == {object_answer["maxProperties"]}
        for index in [a for a in answers["additionalProperties"]["anyOf"] if a["type"] == "integer"]:
            assert index["maximum"] == limits["items"] - 1  # an answer by position: one of at most `items`
        assert limits["entries"] == answers["maxProperties"] == responses["maxProperties"]
        assert limits["id"] == answers["propertyNames"]["maxLength"]
        assert c_pattern() == answers["propertyNames"]["pattern"] == responses["propertyNames"]["pattern"]
    assert limits["studentId"] == NEWEST["properties"]["student_id"]["maxLength"] == submission.MAX_STUDENT_ID
    assert limits["chapters"] == NEWEST["properties"]["chapters"]["maxProperties"] == submission.MAX_CHAPTERS
    assert limits["bytes"] == submission.MAX_SUBMISSION_BYTES


def c_pattern() -> str:
    return js_constants()["idPattern"]


def test_identifier_rule_matches():
    """The control characters refused: the same class in Python, the schema and the script."""
    js_class = re.search(r"var CONTROL = /(\[[^/]*\])/;", JS).group(1)
    assert js_class == r"[\u0000-\u001f\u007f-\u009f\u2028\u2029]"
    assert SCHEMA2["properties"]["student_id"]["pattern"] == "^[^" + js_class[1:-1] + "]*$"
    assert submission._CONTROL.pattern == "[\x00-\x1f\x7f-\x9f\u2028\u2029]"


def test_file_name_rule_matches():
    c = js_constants()
    assert c["slugLength"] == submission.SLUG_LENGTH
    assert c["combinedName"] == submission.COMBINED_NAME


def test_messages_are_the_graders():
    assert js_constants()["messages"] == grading.MESSAGES


def test_import_messages_are_the_importers():
    assert js_constants()["importMessages"] == importing.IMPORT_MESSAGES


def test_exercise_answer_rules_match():
    """Exercise answers: the length limit, the control characters refused, the part separator."""
    from coursekit import exercises

    c = js_constants()
    answer = SCHEMA2["$defs"]["exercises"]["additionalProperties"]
    assert c["limits"]["exercise"] == answer["maxLength"] == exercises.MAX_EXERCISE_CHARS
    assert c["limits"]["entries"] == SCHEMA2["$defs"]["exercises"]["maxProperties"]
    assert c_pattern() == SCHEMA2["$defs"]["exercises"]["propertyNames"]["pattern"]
    assert c["partSeparator"] == exercises.PART_SEPARATOR
    js_class = re.search(r"var ANSWER_CONTROL = /(\[[^/]*\])/;", JS).group(1)
    assert js_class == exercises.ANSWER_CONTROL_JS
    assert answer["pattern"] == "^[^" + js_class[1:-1] + "]*$"
    python_class = js_class.encode().decode("unicode_escape")  # \u0000 -> the character itself
    assert exercises.ANSWER_CONTROL.pattern == python_class
    for code in range(0x00, 0xA0):  # the same characters, one by one
        assert bool(exercises.ANSWER_CONTROL.match(chr(code))) == bool(re.match(python_class, chr(code)))


def test_count_text_matches():
    """The word count sentence: countText() in the script, count_text() in Python, one message."""
    from coursekit.exercises import count_text
    from coursekit.ui import extract_messages

    body = re.search(r"function countText\(n, lo, hi\) \{(.*?)\n  \}", JS, re.S).group(1)
    assert 'T("{count} of {range} words.", { count: n, range: range })' in body and 'T("{count} words.", { count: n })' in body
    assert 'function rangeText(lo, hi) { return lo > 0 ? (lo === hi ? String(lo) : lo + "-" + hi) : ""; }' in JS
    assert count_text(5, None) == "5 words." and count_text(5, (7, 9)) == "5 of 7-9 words." and count_text(5, (7, 7)) == "5 of 7 words."
    where = dict(extract_messages())
    for message in ("{count} of {range} words.", "{count} words."):  # one translation for both
        assert {"coursekit/exercises.py", "coursekit/static/coursekit.js"} <= set(where[message])
