"""The exporters, checked by reading their files back with parsers written here from the
formats' own rules, not from coursekit.exports:

- GIFT: a strict reader that follows Moodle's importer (qformat_gift::readquestion):
  backslash escapes, blocks split on blank lines, // comments, ::name::, [format], the
  answer block between the first unescaped { and }, #### general feedback, the type rules
  and %weight% grades. It refuses what Moodle would refuse or misread (unescaped special
  characters in text, weights outside Moodle's grade list, matching with < 3 pairs).
  No GIFT parser on PyPI reads escapes and #### feedback correctly (pygiftparserrgmf
  0.0.5, pygiftparser 1.1), hence this one.
- QTI: the zip is opened and its XML read with xml.etree; each item's prompt and choices
  are HTML read with html.parser (text/plain ones as they are), and the correct answers
  come from the respcondition that sets SCORE to 100. A matching_question (matching, and
  ordering as a matching to positions) is read the way Canvas's importer reads its own
  export (canvas-lms gems/plugins/qti_exporter/lib/qti/associate_interaction.rb, the
  canvas_matching branch): the right-hand choices of the first response_lid, each choice's
  match id from the first run of digits in its ident, each left item's match from the
  respcondition whose setvar adds to SCORE.
"""
from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coursekit.bank import load_bank, load_banks, select_banks
from coursekit.cli import main
from coursekit.exports import EXPORT_FORMAT, ordinal, to_bank_json, to_gift, to_qti
from coursekit.exports.common import ORDERING_NOTE
from coursekit.grading import grade, normalise_text
from coursekit.model import (
    Matching,
    MultipleChoice,
    Numeric,
    Option,
    Ordering,
    Pair,
    ShortText,
    SingleChoice,
    TrueFalse,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHAPTERS = FIXTURES / "course" / "chapters"  # the fixture course: frozen banks, so chapter edits break nothing here
COURSE_CHAPTERS = ROOT / "chapters"  # the real course, for the tests that every course question exports
SPECIAL_PROMPT = (r"GIFT ~ = # { } : \ and \\ and \n stay text; "  # special-single in exports-special.yml
                  r"so do *stars*, _under_, `code`, $x$ and [links](x)?")


@pytest.fixture(scope="module")
def course_banks():
    return load_banks(select_banks(COURSE_CHAPTERS))


@pytest.fixture(scope="module")
def fixture_banks():
    return [load_bank(FIXTURES / name) for name in ("answer-cases.yml", "hostile.yml", "exports-special.yml")]


# --- a strict GIFT reader (Moodle's importer rules) ----------------------------------

class GiftError(ValueError):
    pass


GIFT_ESCAPABLE = {"\\": "\\", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n"}
GIFT_SPECIAL = set("~=#{}:")
MOODLE_GRADES = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3,
                 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)
FORMATS = ("moodle", "html", "plain", "markdown")


class Tokens(list):
    """(char, escaped) pairs: a backslash escape gives a literal char, escaped=True."""

    @classmethod
    def of(cls, text: str) -> Tokens:
        out, i = cls(), 0
        while i < len(text):
            if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in GIFT_ESCAPABLE:
                out.append((GIFT_ESCAPABLE[text[i + 1]], True))
                i += 2
            else:
                out.append((text[i], False))
                i += 1
        return out

    def find(self, char: str, start: int = 0) -> int:
        for i in range(start, len(self)):
            if self[i] == (char, False):
                return i
        return -1

    def find_seq(self, seq: str, start: int = 0, last: bool = False) -> int:
        hits = [i for i in range(start, len(self) - len(seq) + 1)
                if all(self[i + j] == (c, False) for j, c in enumerate(seq))]
        return (hits[-1] if last else hits[0]) if hits else -1

    def split(self, char: str, maxsplit: int = -1) -> list[Tokens]:
        parts, current = [], Tokens()
        for token in self:
            if token == (char, False) and (maxsplit < 0 or len(parts) < maxsplit):
                parts.append(current)
                current = Tokens()
            else:
                current.append(token)
        parts.append(current)
        return parts

    def strip(self) -> Tokens:
        start, end = 0, len(self)
        while start < end and not self[start][1] and self[start][0].isspace():
            start += 1
        while end > start and not self[end - 1][1] and self[end - 1][0].isspace():
            end -= 1
        return Tokens(self[start:end])

    def raw(self) -> str:
        return "".join(c for c, _ in self)

    def text(self, default_format: str = "plain") -> tuple[str, str]:
        """(format, text) of a free-text part; unescaped specials are an error."""
        part = self.strip()
        bad = [c for c, escaped in part if not escaped and c in GIFT_SPECIAL]
        if bad:
            raise GiftError(f"unescaped {bad[0]!r} in text {part.raw()!r}")
        fmt, body = default_format, part.raw()
        match = re.match(r"^\[(\w+)\]", body) if part and part[0] == ("[", False) else None
        if match and match.group(1) in FORMATS:
            fmt, body = match.group(1), body[match.end():]
        return fmt, body.strip()


def gift_weight(part: Tokens) -> tuple[float | None, Tokens]:
    match = re.match(r"^%(-?)(\d{1,3}(?:\.\d+)?)%", part.raw())
    if not match or any(escaped for _, escaped in part[:match.end()]):
        return None, part
    value = float(match.group(2)) / 100 * (-1 if match.group(1) else 1)
    if not any(abs(abs(value) - g) < 0.00001 for g in MOODLE_GRADES):
        raise GiftError(f"grade {match.group(0)} is not one Moodle accepts")
    return value, Tokens(part[match.end():])


def parse_gift(source: str) -> list[dict]:
    questions, category = [], None
    blocks = re.split(r"\n[ \t]*(?:\n[ \t]*)+", source)
    for block in blocks:
        lines = [" " if line.strip().startswith("//") else line for line in block.split("\n")]
        text = "\n".join(lines).strip()
        if not text:
            continue
        if text.startswith("$CATEGORY:"):
            category = text[len("$CATEGORY:"):].strip()
            continue
        questions.append(_gift_question(Tokens.of(text), category))
    return questions


def _gift_question(tokens: Tokens, category) -> dict:
    q = {"category": category}
    if tokens.find_seq("::") != 0:
        raise GiftError("every exported question must have a ::name::")
    end = tokens.find_seq("::", 2)
    q["name"] = Tokens(tokens[2:end]).text()[1]
    tokens = Tokens(tokens[end + 2:]).strip()
    start, finish = tokens.find("{"), tokens.find("}")
    if start < 0 or finish < start:
        raise GiftError(f"no answer block in {q['name']}")
    if Tokens(tokens[finish + 1:]).strip():
        raise GiftError(f"text after the answer block in {q['name']}")
    q["format"], q["text"] = Tokens(tokens[:start]).text(default_format="moodle")
    answer = Tokens(tokens[start + 1:finish]).strip()
    general = answer.find_seq("####", last=True)
    q["general_feedback"] = Tokens(answer[general + 4:]).text(q["format"])[1] if general >= 0 else ""
    if general >= 0:
        answer = Tokens(answer[:general]).strip()
    raw = answer.raw()
    unescaped = {c for c, escaped in answer if not escaped}
    if answer and answer[0] == ("#", False):
        _gift_numeric(q, Tokens(answer[1:]))
    elif "~" in unescaped:
        _gift_multichoice(q, answer)
    elif "=" in unescaped and answer.find_seq("->") >= 0:
        _gift_match(q, answer)
    elif re.match(r"^(T|TRUE|F|FALSE)$", answer.split("#")[0].strip().raw()):
        bits = answer.split("#", 2) + [Tokens(), Tokens()]
        q.update(type="truefalse", answer=bits[0].strip().raw() in ("T", "TRUE"),
                 feedback_wrong=bits[1].text(q["format"])[1], feedback_right=bits[2].text(q["format"])[1])
    elif "=" in unescaped:
        _gift_shortanswer(q, answer)
    else:
        raise GiftError(f"cannot tell the type of {q['name']}: {raw!r}")
    return q


def _gift_multichoice(q, answer: Tokens):
    q["type"] = "multichoice"
    q["single"] = any(c == "=" and not escaped for c, escaped in answer)
    q["answers"] = []
    marked = Tokens()
    for token in answer:  # Moodle turns "=" into "~=" and splits on "~"
        if token == ("=", False):
            marked.append(("~", False))
        marked.append(token)
    for part in marked.split("~")[1:]:
        part = part.strip()
        if part and part[0] == ("=", False):
            weight, part = 1.0, Tokens(part[1:])
        else:
            weight, part = gift_weight(part)
            weight = weight or 0.0
        body, *feedback = part.split("#", 1)
        q["answers"].append({"text": body.text(q["format"])[1], "weight": weight,
                             "feedback": feedback[0].text(q["format"])[1] if feedback else ""})
    if len(q["answers"]) < 2:
        raise GiftError("a multichoice question needs at least two answers")


def _gift_match(q, answer: Tokens):
    q["type"] = "match"
    q["pairs"] = []
    for part in answer.split("=")[1:]:
        arrow = part.find_seq("->")
        if arrow < 0:
            raise GiftError(f"a matching pair without '->' in {q['name']}")
        left = Tokens(part[:arrow]).text(q["format"])[1]
        right = Tokens(part[arrow + 2:]).strip()
        if any(not escaped and c in GIFT_SPECIAL for c, escaped in right):
            raise GiftError(f"unescaped special character in {right.raw()!r}")
        q["pairs"].append((left, right.raw()))  # right-hand items have no format
    if len(q["pairs"]) < 3:
        raise GiftError("Moodle's GIFT documentation asks for at least three matching pairs")


def _gift_shortanswer(q, answer: Tokens):
    q["type"] = "shortanswer"
    q["answers"] = []
    for part in answer.split("=")[1:]:
        weight, part = gift_weight(part.strip())
        body, *feedback = part.split("#", 1)
        q["answers"].append({"text": body.strip().raw(), "weight": 1.0 if weight is None else weight,
                             "feedback": feedback[0].text(q["format"])[1] if feedback else ""})
        if any(not escaped and c in GIFT_SPECIAL for c, escaped in body):
            raise GiftError(f"unescaped special character in {body.raw()!r}")


def _gift_numeric(q, answer: Tokens):
    q["type"] = "numerical"
    wrong = answer.find("~")
    q["wrong_feedback"] = ""
    if wrong >= 0:
        q["wrong_feedback"] = Tokens(answer[wrong + 1:]).split("#", 1)[-1].text(q["format"])[1]
        answer = Tokens(answer[:wrong])
    q["answers"] = []
    for part in answer.split("="):
        part = part.strip()
        if not part:
            continue
        body, *feedback = part.split("#", 1)
        value, _, tolerance = body.strip().raw().partition(":")
        q["answers"].append({"value": float(value), "tolerance": float(tolerance or 0),
                             "feedback": feedback[0].text(q["format"])[1] if feedback else ""})


def moodle_shortanswer_match(response: str, pattern: str) -> bool:
    """qtype_shortanswer::compare_string_with_wildcard, case-insensitive."""
    bits = re.split(r"(?<!\\)\*+", pattern)
    regexp = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    return re.fullmatch(regexp, response.strip(), re.IGNORECASE | re.DOTALL) is not None


def moodle_multichoice_score(parsed: dict, ticked: set[str]) -> float:
    return min(1.0, max(0.0, sum(a["weight"] for a in parsed["answers"] if a["text"] in ticked)))


# --- expectations from the model ------------------------------------------------------

def expected_prompt(q) -> str:
    if isinstance(q, Numeric) and q.unit:
        return f"{q.prompt} (unit: {q.unit})"
    return q.prompt


def option_feedback(q, option, right: bool) -> str:
    return option.feedback or (q.feedback_correct if right else q.feedback_incorrect)


def check_gift_question(q, parsed: dict) -> None:
    assert parsed["format"] == "plain", q.id
    if isinstance(q, Ordering):
        assert parsed["text"].startswith(q.prompt + "\n\n(Match each item to its position")
    else:
        assert parsed["text"] == expected_prompt(q)
    assert parsed["general_feedback"].startswith(q.explanation)
    if isinstance(q, SingleChoice):
        assert parsed["type"] == "multichoice" and parsed["single"]
        assert [a["text"] for a in parsed["answers"]] == [o.text for o in q.options]
        assert [a["text"] for a in parsed["answers"] if a["weight"] == 1.0] == [q.answer]
        assert all(a["weight"] == 0 for a in parsed["answers"] if a["text"] != q.answer)
        assert [a["feedback"] for a in parsed["answers"]] == [
            option_feedback(q, o, o.text == q.answer) for o in q.options]
    elif isinstance(q, MultipleChoice):
        assert parsed["type"] == "multichoice" and not parsed["single"]
        assert [a["text"] for a in parsed["answers"]] == [o.text for o in q.options]
        right = {a["text"] for a in parsed["answers"] if a["weight"] > 0}
        assert right == set(q.answer)
        texts = [o.text for o in q.options]
        for size in range(1, len(texts) + 1):  # Moodle's score is our partial-credit rule
            for ticked in itertools.combinations(texts, size):
                assert moodle_multichoice_score(parsed, set(ticked)) == pytest.approx(
                    grade(q, list(ticked)).score, abs=1e-4), (q.id, ticked)
    elif isinstance(q, TrueFalse):
        assert parsed["type"] == "truefalse" and parsed["answer"] is q.answer
        right = (q.feedback_true if q.answer else q.feedback_false) or q.feedback_correct
        wrong = (q.feedback_false if q.answer else q.feedback_true) or q.feedback_incorrect
        assert (parsed["feedback_right"], parsed["feedback_wrong"]) == (right, wrong)
    elif isinstance(q, ShortText):
        assert parsed["type"] == "shortanswer"
        full = [a["text"] for a in parsed["answers"] if a["weight"] == 1.0]
        for accepted in q.accept:
            for typed in (accepted, accepted.upper(), normalise_text(accepted)):
                assert any(moodle_shortanswer_match(typed, p) for p in full), (q.id, typed)
        for pattern in full:  # no wildcards, and nothing Moodle accepts is wrong for us
            assert not re.search(r"(?<!\\)\*", pattern), (q.id, pattern)
            literal = re.sub(r"\\\*", "*", pattern)
            assert grade(q, literal).score == 1.0, (q.id, pattern)
        zero = [a for a in parsed["answers"] if a["weight"] == 0]
        assert [a["feedback"] for a in zero] == ([q.feedback_incorrect] if q.feedback_incorrect else [])
    elif isinstance(q, Numeric):
        assert parsed["type"] == "numerical"
        assert [(a["value"], a["tolerance"]) for a in parsed["answers"]] == [(q.answer, q.tolerance)]
        assert parsed["answers"][0]["feedback"] == q.feedback_correct
        assert parsed["wrong_feedback"] == q.feedback_incorrect
    elif isinstance(q, Matching):
        assert parsed["type"] == "match"
        assert parsed["pairs"] == [(p.left, p.right) for p in q.pairs]
    elif isinstance(q, Ordering):
        assert parsed["type"] == "match"
        assert parsed["pairs"] == [(item, ordinal(i)) for i, item in enumerate(q.items, 1)]
        answer = dict(parsed["pairs"])
        for order in itertools.islice(itertools.permutations(q.items), 30):
            chosen = {item: ordinal(i) for i, item in enumerate(order, 1)}  # the student's matching
            moodle = sum(chosen[k] == v for k, v in answer.items()) / len(answer)
            assert moodle == pytest.approx(grade(q, list(order)).score, abs=1e-4)
    else:
        raise AssertionError(q.type)


def gift_round_trip(banks):
    parsed, left_out = {}, []
    for bank in banks:
        text, skipped = to_gift(bank.questions, category=f"{bank.course}/{bank.chapter}")
        left_out += skipped
        for q in parse_gift(text):
            assert q["name"] not in parsed
            assert q["category"] == f"{bank.course}/{bank.chapter}"
            parsed[q["name"]] = q
    return parsed, left_out


# --- GIFT tests ----------------------------------------------------------------------

def test_gift_round_trip_of_the_course(course_banks):
    parsed, left_out = gift_round_trip(course_banks)
    questions = [q for bank in course_banks for q in bank.questions]
    skipped = dict(left_out)
    assert set(parsed) | set(skipped) == {q.id for q in questions}
    assert not set(parsed) & set(skipped)
    assert all(reason for reason in skipped.values())
    for q in questions:
        if q.id in parsed:
            check_gift_question(q, parsed[q.id])
    assert {q["type"] for q in parsed.values()} == {"multichoice", "truefalse", "shortanswer", "numerical", "match"}


def test_gift_round_trip_of_the_fixtures(fixture_banks):
    parsed, left_out = gift_round_trip(fixture_banks)
    assert left_out == [("hostile-matching", "Moodle's GIFT format needs at least 3 matching pairs; "
                                             "this question has 2 pairs")]
    for bank in fixture_banks:
        for q in bank.questions:
            if q.id != "hostile-matching":
                check_gift_question(q, parsed[q.id])


def test_gift_special_characters_round_trip_exactly(fixture_banks):
    parsed, _ = gift_round_trip(fixture_banks)
    single = parsed["special-single"]
    assert single["text"] == SPECIAL_PROMPT
    assert single["answers"][0]["text"] == "[html]<b>right</b> ~ = # { } : \\"
    assert single["answers"][0]["feedback"] == "#### is not general feedback; {braces} -> fine"
    assert single["answers"][1] == {"text": "%50% is not a weight", "weight": 0.0, "feedback": "Wrong: ~ = #"}
    assert single["general_feedback"] == r"Explained: a \{ b \} c \\ d ~ e = f # g; <img src=x onerror=alert(1)>"
    assert parsed["special-ordering"]["text"].startswith("Order ~ = #.\nA second line.\n\n")
    assert parsed["special-matching"]["pairs"][0] == ("~ tilde", "= equals -> right side")
    assert parsed["special-truefalse"]["text"] == "It's \"quoted\" & <escaped>: {T}"


def test_gift_hostile_text_stays_plain_text(fixture_banks):
    hostile = fixture_banks[1]
    text, _ = to_gift(hostile.questions, category="c")
    for q in parse_gift(text):
        assert q["format"] == "plain"  # Moodle escapes plain text: <img> shows as <img>
    single = {q["name"]: q for q in parse_gift(text)}["hostile-single"]
    assert single["text"] == "<script>alert('prompt')</script> Which?"
    assert single["answers"][0]["text"] == "<img src=x onerror=alert('option')>"


def _q(cls, qid, **fields):
    return cls(id=qid, objective="LO1", prompt=fields.pop("prompt", "Which?"), explanation="Because.", **fields)


def test_gift_leaves_out_what_moodle_would_misread():
    questions = [
        _q(ShortText, "arrow-text", accept=("A->B",)),
        _q(ShortText, "arrow-feedback", accept=("A",), feedback_incorrect="think: x -> y"),
        _q(Matching, "arrow-left", pairs=(Pair("a -> b", "1"), Pair("c", "2"), Pair("d", "3"))),
        _q(Matching, "two-pairs", pairs=(Pair("a", "1"), Pair("b", "2"))),
        _q(Ordering, "two-items", items=("a", "b")),
        _q(MultipleChoice, "eleven-right", options=tuple(Option(str(i)) for i in range(12)),
           answer=frozenset(str(i) for i in range(11))),
        _q(MultipleChoice, "ten-right", options=tuple(Option(str(i)) for i in range(11)),
           answer=frozenset(str(i) for i in range(10))),
        _q(Matching, "arrow-right", pairs=(Pair("a", "x -> y"), Pair("c", "2"), Pair("d", "3"))),
    ]
    text, left_out = to_gift(questions, category="c")
    reasons = dict(left_out)
    assert list(reasons) == ["arrow-text", "arrow-feedback", "arrow-left", "two-pairs", "two-items", "eleven-right"]
    assert "'->'" in reasons["arrow-text"] and "at least 3" in reasons["two-items"]
    assert "Moodle's allowed grades" in reasons["eleven-right"]
    parsed = {q["name"]: q for q in parse_gift(text)}
    assert set(parsed) == {"ten-right", "arrow-right"}
    check_gift_question(questions[6], parsed["ten-right"])
    check_gift_question(questions[7], parsed["arrow-right"])


def test_gift_refuses_a_matching_answer_longer_than_moodles_255_characters():
    # qtype_match_subquestions.answertext is char(255): a longer right-hand item makes
    # Moodle's import fail. The left-hand side (questiontext) is a text column.
    long_right, just_fits, long_left = "r" * 256, "f" * 255, "l" * 400
    questions = [
        _q(Matching, "too-long", pairs=(Pair("a", long_right), Pair("b", "2"), Pair("c", "3"))),
        _q(Matching, "fits", pairs=(Pair("a", just_fits), Pair("b", "2"), Pair("c", "3"))),
        _q(Matching, "long-left", pairs=(Pair(long_left, "1"), Pair("b", "2"), Pair("c", "3"))),
        _q(Ordering, "long-item", items=(long_left, "b", "c")),  # items are left-hand: positions are right
    ]
    text, left_out = to_gift(questions, category="c")
    assert left_out == [("too-long", "a right-hand item has 256 characters; Moodle stores a matching answer "
                                     "in a 255-character column and refuses longer ones")]
    parsed = {q["name"]: q for q in parse_gift(text)}
    assert set(parsed) == {"fits", "long-left", "long-item"}
    for q in questions[1:]:
        check_gift_question(q, parsed[q.id])


# --- a QTI reader --------------------------------------------------------------------

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


class _Html(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def html_text(markup: str) -> tuple[str, list]:
    parser = _Html()
    parser.feed(markup or "")
    parser.close()
    return "".join(parser.text).strip(), parser.tags


def mattext_text(mattext) -> tuple[str, list]:
    """The text a mattext shows, and its HTML tags: text/plain is text as it is."""
    if mattext.get("texttype") == "text/plain":
        return (mattext.text or "").strip(), []
    return html_text(mattext.text)


def qti_root(path):
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
        hrefs = {el.get("href") for el in manifest.iter() if el.tag.endswith("file") and el.get("href")}
        assert hrefs <= set(archive.namelist())  # every file the manifest names is there
        assessments = [n for n in archive.namelist()
                       if n.endswith(".xml") and n != "imsmanifest.xml" and not n.endswith("assessment_meta.xml")]
        assert len(assessments) == 1 and assessments[0] in hrefs
        meta = ET.fromstring(archive.read(next(n for n in archive.namelist() if n.endswith("assessment_meta.xml"))))
        return ET.fromstring(archive.read(assessments[0])), meta


def read_canvas_matching(item) -> dict:
    """A matching_question read as Canvas's importer reads one (canvas_matching)."""
    presentation = item.find(QTI + "presentation")
    lids = presentation.findall(QTI + "response_lid")
    assert lids, "a response_lid per left item"
    labels = lids[0].findall(f"{QTI}render_choice/{QTI}response_label")  # Canvas reads only the first
    match_ids = {}
    for label in labels:
        digits = re.search(r"\d+", label.get("ident"))  # associate_interaction.rb: match_id = first \d+
        assert digits, label.get("ident")
        match_ids[label.get("ident")] = int(digits.group())
    assert len(set(match_ids.values())) == len(labels), "match ids must differ"
    rights = {ident: mattext_text(label.find(f"{QTI}material/{QTI}mattext"))[0]
              for ident, label in zip(match_ids, labels)}
    lefts = {}
    for lid in lids:
        assert re.fullmatch(r"response_\d+", lid.get("ident")), lid.get("ident")
        assert lid.find(f"{QTI}material/{QTI}mattext").get("texttype") == "text/plain"
        lefts[lid.get("ident")] = mattext_text(lid.find(f"{QTI}material/{QTI}mattext"))[0]
        offered = [(lab.get("ident"), mattext_text(lab.find(f"{QTI}material/{QTI}mattext"))[0])
                   for lab in lid.findall(f"{QTI}render_choice/{QTI}response_label")]
        assert offered == list(rights.items()), "every left item offers every right choice, in one order"
    pairs, shares = {}, {}
    for condition in item.find(QTI + "resprocessing").findall(QTI + "respcondition"):
        varequal = condition.find(f"{QTI}conditionvar/{QTI}varequal")
        if varequal is None:
            continue
        setvar = condition.find(QTI + "setvar")  # only an Add becomes the <sum> Canvas looks for
        assert (setvar.get("varname"), setvar.get("action")) == ("SCORE", "Add")
        respident = varequal.get("respident")
        assert respident in lefts and varequal.text in rights and respident not in pairs
        pairs[lefts[respident]] = rights[varequal.text]
        shares[lefts[respident]] = float(setvar.text)
    return {"lefts": list(lefts.values()), "rights": list(rights.values()), "pairs": pairs, "shares": shares}


def read_qti(path) -> dict[str, dict]:
    root, quiz_meta = qti_root(path)
    items = {}
    idents = [item.get("ident") for item in root.iter(QTI + "item")]
    assert len(set(idents)) == len(idents), "item identifiers are unique"
    points = [el.text for el in quiz_meta.iter() if el.tag.endswith("points_possible")]
    assert points and all(float(p) == len(idents) for p in points)  # one point a question
    for item in root.iter(QTI + "item"):
        meta = {f.find(QTI + "fieldlabel").text: f.find(QTI + "fieldentry").text
                for f in item.iter(QTI + "qtimetadatafield")}
        stem = item.find(f"{QTI}presentation/{QTI}material/{QTI}mattext").text
        prompt, tags = html_text(stem)
        paragraphs = [html_text(p)[0] for p in re.findall(r"<p>(.*?)</p>", stem, flags=re.S)]
        choices = {}
        for label in item.iter(QTI + "response_label"):
            mattext = label.find(f".//{QTI}mattext")
            if mattext is not None:
                choices[label.get("ident")], choice_tags = mattext_text(mattext)
                tags += choice_tags
        feedback = {}
        for fb in item.iter(QTI + "itemfeedback"):
            feedback[fb.get("ident")], fb_tags = mattext_text(fb.find(f".//{QTI}mattext"))
            tags += fb_tags
        entry = {"ident": item.get("ident"), "type": meta["question_type"], "prompt": prompt,
                 "paragraphs": paragraphs, "tags": tags, "choices": choices, "feedback": feedback, "element": item}
        if entry["type"] == "matching_question":
            entry.update(read_canvas_matching(item))
        for condition in item.iter(QTI + "respcondition"):
            setvar = condition.find(QTI + "setvar")
            if setvar is None or setvar.get("action") != "Set" or float(setvar.text) != 100:
                continue
            cond = condition.find(QTI + "conditionvar")
            if entry["type"] in ("multiple_choice_question", "true_false_question"):
                entry["correct"] = [choices[v.text] for v in cond.findall(QTI + "varequal")]
            elif entry["type"] == "multiple_answers_question":
                both = cond.find(QTI + "and")
                entry["correct"] = [choices[v.text] for v in both.findall(QTI + "varequal")]
                entry["incorrect"] = [choices[v.text] for v in both.findall(f"{QTI}not/{QTI}varequal")]
            elif entry["type"] == "short_answer_question":
                entry["correct"] = [v.text for v in cond.findall(QTI + "varequal")]
            elif entry["type"] == "numerical_question":
                entry["range"] = (float(next(cond.iter(QTI + "vargte")).text),
                                  float(next(cond.iter(QTI + "varlte")).text))
        assert item.get("title") not in items
        items[item.get("title")] = entry
    return items


def check_qti_item(q, item: dict) -> None:
    collapse = lambda s: " ".join(s.split())  # noqa: E731
    if isinstance(q, Ordering):  # the prompt, then the note on positions, as in GIFT
        assert item["paragraphs"] == [collapse(q.prompt), collapse(ORDERING_NOTE)]
    else:
        assert item["prompt"] == collapse(expected_prompt(q))
    for tag, attrs in item["tags"]:  # markup is only paragraphs (in a div for ours) and our id marker
        assert (tag in ("p", "div") and not attrs
                or tag == "span" and list(attrs) == ["data-coursekit-id"]), (q.id, tag)
    assert item["feedback"]["general_fb"] == collapse(q.explanation)
    if isinstance(q, SingleChoice):
        assert item["type"] == "multiple_choice_question"
        assert list(item["choices"].values()) == [collapse(o.text) for o in q.options]
        assert item["correct"] == [collapse(q.answer)]
    elif isinstance(q, MultipleChoice):
        assert item["type"] == "multiple_answers_question"
        assert set(item["correct"]) == {collapse(t) for t in q.answer}
        assert set(item["incorrect"]) == {collapse(o.text) for o in q.options if o.text not in q.answer}
    elif isinstance(q, TrueFalse):
        assert item["type"] == "true_false_question"
        assert item["correct"] == ["True" if q.answer else "False"]
    elif isinstance(q, ShortText):
        assert item["type"] == "short_answer_question"
        accepted = {a.casefold() for a in item["correct"]}
        for answer in q.accept:
            assert {collapse(answer).casefold(), normalise_text(answer)} <= accepted, q.id
        assert all(grade(q, a).score == 1.0 for a in item["correct"])
    elif isinstance(q, Numeric):
        assert item["type"] == "numerical_question"
        assert item["range"] == pytest.approx((q.answer - q.tolerance, q.answer + q.tolerance), abs=1e-9)
    elif isinstance(q, Matching):
        assert item["type"] == "matching_question"
        assert item["lefts"] == [collapse(p.left) for p in q.pairs]
        assert item["pairs"] == {collapse(p.left): collapse(p.right) for p in q.pairs}
        assert sorted(item["rights"]) == sorted({collapse(p.right) for p in q.pairs})
        check_canvas_partial_credit(item, len(q.pairs))
    elif isinstance(q, Ordering):
        assert item["type"] == "matching_question"
        assert item["pairs"] == {collapse(t): ordinal(i) for i, t in enumerate(q.items, 1)}  # item -> position
        assert item["rights"] == [ordinal(i) for i in range(1, len(q.items) + 1)]
        assert item["lefts"] != [collapse(t) for t in q.items]  # not shown in the answer's order
        check_canvas_partial_credit(item, len(q.items))
        for order in itertools.islice(itertools.permutations(q.items), 30):
            chosen = {collapse(t): ordinal(i) for i, t in enumerate(order, 1)}  # the student's matching
            canvas = sum(chosen[left] == right for left, right in item["pairs"].items()) / len(q.items)
            assert canvas == pytest.approx(grade(q, list(order)).score, abs=1e-4)  # as our grading
    else:
        raise AssertionError(q.type)


def check_canvas_partial_credit(item, n):
    # Canvas's exporter (qti_items.rb matching_resprocessing) adds "%.2f" % (100 / n) per
    # left item; Canvas grades by the share of left items matched (matching_question.rb).
    assert set(item["shares"].values()) == {float(f"{100 / n:.2f}")}
    assert sum(item["shares"].values()) == pytest.approx(100, abs=0.01 * n)


def qti_round_trip(questions, tmp_path, title="Quiz"):
    out = tmp_path / "quiz.zip"
    left_out = to_qti(questions, title=title, out_path=out)
    items = read_qti(out)
    skipped = dict(left_out)
    assert set(items) | set(skipped) == {q.id for q in questions}
    assert not set(items) & set(skipped)
    for q in questions:
        if q.id in items:
            check_qti_item(q, items[q.id])
    return items, left_out


# --- QTI tests -----------------------------------------------------------------------

def test_qti_round_trip_of_the_course(course_banks, tmp_path):
    questions = [q for bank in course_banks for q in bank.questions]
    items, left_out = qti_round_trip(questions, tmp_path)
    assert left_out == [] and len(items) == len(questions)  # every question, matching and ordering too
    assert len({item["ident"] for item in items.values()}) == len(items)  # repeated prompts are kept apart


def fixture_questions():
    banks = [load_bank(FIXTURES / name) for name in ("answer-cases.yml", "hostile.yml", "exports-special.yml")]
    return [q for bank in [*banks, *load_banks(select_banks(CHAPTERS))] for q in bank.questions]


def test_qti_round_trip_of_the_fixtures(tmp_path):
    questions = fixture_questions()
    items, left_out = qti_round_trip(questions, tmp_path)
    assert left_out == []
    assert {q.type for q in questions} >= {"matching", "ordering"}
    root, _ = qti_root(tmp_path / "quiz.zip")  # bank order, ours among text2qti's
    assert [item.get("title") for item in root.iter(QTI + "item")] == [q.id for q in questions]


def element_shape(el) -> list:
    """An element's tags (and the attributes that shape Canvas's import), depth first."""
    keep = ("texttype", "varname", "action", "continue", "linkrefid", "feedbacktype", "ident", "respident")
    return [(el.tag.removeprefix(QTI),
             {k: v for k, v in el.attrib.items() if k in keep and k != "ident" or k == "ident" and el.tag in (
                 QTI + "itemfeedback",)}),
            [element_shape(child) for child in el]]


def canvas_matching_xml(pairs, rights, explanation) -> str:
    """What Canvas's exporter (lib/cc/qti/qti_items.rb: add_question with
    matching_response_lid, resprocessing with other_respcondition for neutral comments and
    matching_resprocessing, item_feedback with html_mat_text) writes for a matching question
    with plain-text answers and a neutral comment, transcribed from that code by hand."""
    ids = {right: str(100 + j) for j, right in enumerate(rights)}
    lids = "".join(
        f'<response_lid ident="response_{i}"><material><mattext texttype="text/plain">{left}</mattext></material>'
        '<render_choice>' + "".join(
            f'<response_label ident="{ids[r]}"><material><mattext texttype="text/plain">{r}</mattext></material>'
            '</response_label>' for r in rights) + '</render_choice></response_lid>'
        for i, (left, _) in enumerate(pairs, 1))
    conditions = "".join(
        f'<respcondition><conditionvar><varequal respident="response_{i}">{ids[right]}</varequal></conditionvar>'
        f'<setvar varname="SCORE" action="Add">{100 / len(pairs):.2f}</setvar></respcondition>'
        for i, (_, right) in enumerate(pairs, 1))
    return (
        '<item xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2" ident="x" title="t"><itemmetadata><qtimetadata>'
        + "".join(f'<qtimetadatafield><fieldlabel>{k}</fieldlabel><fieldentry>v</fieldentry></qtimetadatafield>'
                  for k in ("question_type", "points_possible", "original_answer_ids",
                            "assessment_question_identifierref"))
        + '</qtimetadata></itemmetadata><presentation><material><mattext texttype="text/html">&lt;div&gt;q'
          '&lt;/div&gt;</mattext></material>' + lids + '</presentation><resprocessing><outcomes>'
          '<decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/></outcomes>'
          '<respcondition continue="Yes"><conditionvar><other/></conditionvar>'
          '<displayfeedback feedbacktype="Response" linkrefid="general_fb"/></respcondition>'
        + conditions + '</resprocessing><itemfeedback ident="general_fb"><flow_mat><material>'
        f'<mattext texttype="text/plain">{explanation}</mattext></material></flow_mat></itemfeedback></item>')


def test_qti_matching_item_has_the_shape_of_canvas_own_export(tmp_path):
    q = _q(Matching, "m", pairs=(Pair("Rio Treaty", "1947"), Pair("OAS Charter", "1948"),
                                 Pair("Tlatelolco", "1967")))
    items, left_out = qti_round_trip([q], tmp_path)
    ours = items["m"]
    canvas = ET.fromstring(canvas_matching_xml([(p.left, p.right) for p in q.pairs], ours["rights"], "Because."))
    assert element_shape(ours["element"]) == element_shape(canvas)
    assert ours["element"].find(f"{QTI}itemmetadata//{QTI}fieldentry").text == "matching_question"
    assert ours["rights"] == ["1947", "1948", "1967"]  # the drop-down in our views' order, not the pairs'


def test_qti_ordering_is_a_matching_of_items_to_positions(tmp_path):
    q = _q(Ordering, "o", items=("first", "second", "third", "fourth"), feedback_correct="Yes.",
           feedback_incorrect="No.")
    items, _ = qti_round_trip([q], tmp_path)
    item = items["o"]
    assert item["paragraphs"] == ["Which?", ORDERING_NOTE]
    assert item["pairs"] == {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th"}
    assert item["feedback"] == {"general_fb": "Because.", "correct_fb": "Yes.", "general_incorrect_fb": "No."}


def test_qti_matching_and_ordering_alone_still_make_a_quiz(tmp_path):
    questions = [q for q in fixture_questions() if q.type in ("matching", "ordering")]
    items, left_out = qti_round_trip(questions, tmp_path)
    assert left_out == [] and set(items) == {q.id for q in questions}  # text2qti's stand-in is gone


def test_qti_special_and_hostile_text_arrives_as_the_same_text(fixture_banks, tmp_path):
    questions = [q for bank in fixture_banks[1:] for q in bank.questions]
    items, _ = qti_round_trip(questions, tmp_path)
    assert items["special-single"]["prompt"] == SPECIAL_PROMPT
    assert items["special-multiple"]["prompt"] == r"1. Which of these -- all plain -- hold \ or #?"
    assert items["special-truefalse"]["prompt"] == "It's \"quoted\" & <escaped>: {T}"
    assert items["hostile-single"]["prompt"] == "<script>alert('prompt')</script> Which?"
    assert items["hostile-single"]["correct"] == ["<img src=x onerror=alert('option')>"]
    assert items["special-single"]["feedback"]["general_fb"].endswith("<img src=x onerror=alert(1)>")
    assert {"a*b", "x\\y", "Ñandú {1}", "Nandu {1}"} <= set(items["special-text"]["correct"])
    matching = items["hostile-matching"]
    assert matching["prompt"] == "Match <i>these</i>."
    assert matching["pairs"] == {"<svg onload=alert('left')>": "</select><img src=x onerror=alert('right')>",
                                 "plain": "a & b"}
    assert items["special-matching"]["pairs"]["~ tilde"] == "= equals -> right side"
    assert items["hostile-ordering"]["pairs"]["<img src=x onerror=alert('item')>"] == "1st"
    raw = ET.tostring(matching["element"], encoding="unicode")
    assert "<svg" not in raw and "<img" not in raw and "&lt;svg onload=alert('left')&gt;" in raw


def canvas_stored_text(mattext) -> str:
    """The text Canvas's importer keeps for an answer or feedback that has no markup and
    shows escaped (canvas-lms html_helper.rb detect_html, on a QTIMigrationTool div.html or
    div.text): text/plain is kept as text; a text/html paragraph that holds only text is
    unwrapped and kept as its HTML source, so "<" is kept as "&lt;" and shown so."""
    if mattext.get("texttype") == "text/plain":
        return mattext.text
    inner = re.fullmatch(r"\s*<(p|div|span)>([^<]*)</\1>\s*", mattext.text)
    assert inner, "markup: Canvas keeps it as HTML"
    return inner.group(2).strip()  # the source, entities and all


def test_qti_feedback_with_less_than_and_ampersand_shows_as_written_in_canvas(tmp_path):
    fb = "If a < b & b > c, then \"a\" < c"
    questions = [
        _q(SingleChoice, "single", options=(Option("x < y", feedback=fb), Option("AT&T")), answer="x < y",
           feedback_incorrect=fb),
        _q(MultipleChoice, "multiple", options=(Option("a & b", feedback=fb), Option("c")), answer=frozenset({"a & b"}),
           feedback_correct=fb),
        _q(TrueFalse, "truefalse", feedback_true=fb, feedback_false=fb),
        _q(ShortText, "text", accept=("x",), feedback_correct=fb, feedback_incorrect=fb),
        _q(Numeric, "numeric", answer=2.0, feedback_correct=fb),
        _q(Matching, "matching", pairs=(Pair("a < b", "x & y"), Pair("c", "d")), feedback_correct=fb,
           feedback_incorrect=fb),
        _q(Ordering, "ordering", items=("1 < 2", "2 & 3", "3"), feedback_incorrect=fb),
    ]
    questions = [type(q)(**{**q.__dict__, "explanation": fb}) for q in questions]
    items, left_out = qti_round_trip(questions, tmp_path)
    assert left_out == []
    for qid, item in items.items():
        element = item["element"]
        shown = [canvas_stored_text(m) for fb_el in element.iter(QTI + "itemfeedback") for m in fb_el.iter(QTI + "mattext")]
        assert shown and set(shown) == {fb}, qid
        stem = element.find(f"{QTI}presentation/{QTI}material/{QTI}mattext")
        for mattext in element.iter(QTI + "mattext"):  # choices and matching items are stored the same way
            if mattext is not stem:
                text = canvas_stored_text(mattext)
                assert not re.search(r"&(lt|gt|amp|#\d+);", text), (qid, text)
    assert set(items["single"]["choices"].values()) == {"x < y", "AT&T"}
    assert set(items["multiple"]["choices"].values()) == {"a & b", "c"}
    assert items["matching"]["pairs"] == {"a < b": "x & y", "c": "d"}
    assert items["ordering"]["pairs"] == {"1 < 2": "1st", "2 & 3": "2nd", "3": "3rd"}


@pytest.mark.parametrize("text", [
    "1947. A year", "- not a list", "+ nor this", "a -- b --- c", "wait...", "x..y", "<<x>>", "*a* _b_ __c__",
    "`code`", "$x$ and $$y$$", r"\num{3} \SI{3}{m}", "![i](/etc/passwd)", "&amp; &#60; &", "a | b", "# h",
    "> quote", "{#id .cls}", "<http://x>", "%comment", "Title: x", "~~~", "```", "<!-- c -->", "x^2^ ==m==",
    "[^1]", "Brazil's \"quote\"", "-1 is negative", "e.g. U.S. 3.14",
])
def test_qti_markdown_never_interprets_bank_text(text, tmp_path):
    q = _q(SingleChoice, "md", prompt=text, options=(Option(text), Option("other")), answer=text)
    items, left_out = qti_round_trip([q], tmp_path)
    assert left_out == [] and items["md"]["prompt"] == text and items["md"]["correct"] == [text]


def test_qti_leaves_out_what_text2qti_cannot_hold(tmp_path):
    questions = [
        _q(Numeric, "zero", answer=0.0),
        _q(Numeric, "fine-grained", answer=1.23456, tolerance=0.0),
        _q(Numeric, "ok", answer=-3.5, tolerance=0.5),
        _q(Ordering, "order", items=("a", "b", "c")),
        _q(SingleChoice, "control", prompt="bell \x07", options=(Option("a"), Option("b")), answer="a"),
        _q(Matching, "control-pair", pairs=(Pair("a\x01", "b"), Pair("c", "d"))),
    ]
    items, left_out = qti_round_trip(questions, tmp_path)
    reasons = dict(left_out)
    assert set(items) == {"ok", "order"}
    assert "0.0001" in reasons["zero"] and "4 decimal" in reasons["fine-grained"]
    assert "control characters" in reasons["control"] and "control characters" in reasons["control-pair"]


# --- JSON ----------------------------------------------------------------------------

def test_json_export_is_versioned_and_complete(course_banks, fixture_banks):
    banks = [*course_banks, *fixture_banks]
    data = json.loads(json.dumps(to_bank_json(banks)))
    assert (data["format"], data["version"]) == (EXPORT_FORMAT, 2)
    assert [b["chapter"] for b in data["banks"]] == [b.chapter for b in banks]
    for bank, exported in zip(banks, data["banks"]):
        assert [q["id"] for q in exported["questions"]] == [q.id for q in bank.questions]
        assert exported["objectives"] == dict(bank.objectives)
        assert [d["id"] for d in exported["discussions"]] == [d.id for d in bank.discussions]
        for q, out in zip(bank.questions, exported["questions"]):
            assert out["type"] == q.type and out["prompt"] == q.prompt and out["explanation"] == q.explanation
            assert "answer" in out
            assert grade(q, out["answer"]).score == 1.0, q.id  # the answer is a full-credit response
    special = {q["id"]: q for q in data["banks"][-1]["questions"]}
    assert special["special-numeric"] == {
        "id": "special-numeric", "type": "numeric", "objective": "LO1", "level": "",
        "prompt": "How much is 2 + 1.5 (use : or = freely)?", "explanation": "3.5 # exactly",
        "feedback_correct": "Yes: 3.5", "feedback_incorrect": "", "shuffle": False,
        "answer": 3.5, "tolerance": 0.25, "unit": "% {of} #"}
    assert special["special-multiple"]["answer"] == ["a \\ b", "c # d"]


# --- the command ---------------------------------------------------------------------

def run(capsys, *argv):
    code = main(["export", *map(str, argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def ids_of(*stems):
    return {q.id for stem in stems for q in load_bank(CHAPTERS / f"{stem}.yml").questions}


def test_cli_gift_chapters_2_and_5(tmp_path, capsys):
    out = tmp_path / "q.gift"
    code, stdout, _ = run(capsys, "--format", "gift", "--chapters", "2,5", "--banks", CHAPTERS, "--out", out)
    expected = ids_of("02-role-of-military-diplomacy", "05-conflict-prevention-and-resolution")
    assert code == 0
    assert stdout.splitlines()[-1] == f"wrote {len(expected)} questions to {out}; 0 left out"
    parsed = parse_gift(out.read_text("utf-8"))
    assert {q["name"] for q in parsed} == expected
    assert {q["category"] for q in parsed} == {"fixture-course/02-role-of-military-diplomacy",
                                               "fixture-course/05-conflict-prevention-and-resolution"}


def test_cli_qti_chapter_4_includes_its_sections_and_reports_left_out(tmp_path, capsys):
    out = tmp_path / "q.zip"
    code, stdout, _ = run(capsys, "--format", "qti", "--chapters", "4", "--banks", CHAPTERS, "--out", out)
    banks = [load_bank(CHAPTERS / f"{s}.yml") for s in ("04-exchanges-and-training", "04a-joint-exercises",
                                                       "04b-military-education")]
    questions = [q for b in banks for q in b.questions]
    assert any(q.type in ("matching", "ordering") for q in questions)
    assert code == 0
    assert stdout.splitlines() == [f"wrote {len(questions)} questions to {out}; 0 left out"]
    assert set(read_qti(out)) == {q.id for q in questions}


def test_cli_json(tmp_path, capsys):
    out = tmp_path / "banks.json"
    code, stdout, _ = run(capsys, "--format", "json", "--chapters", "11", "--banks", CHAPTERS, "--out", out)
    data = json.loads(out.read_text("utf-8"))
    assert code == 0 and [b["chapter"] for b in data["banks"]] == ["11-future-trajectories"]
    assert stdout.strip() == f"wrote {len(data['banks'][0]['questions'])} questions to {out}; 0 left out"


@pytest.mark.parametrize("chapters,message", [
    ("2,x", "'x' is not a chapter number"),
    ("99", "there is no chapter 99"),
    ("2,,5", "is not a chapter number"),
])
def test_cli_bad_chapters_is_a_clean_error(tmp_path, capsys, chapters, message):
    out = tmp_path / "q.gift"
    code, stdout, err = run(capsys, "--format", "gift", "--chapters", chapters, "--banks", CHAPTERS, "--out", out)
    assert code == 1 and err.startswith("error: ") and message in err
    assert not out.exists()


def test_cli_other_user_errors(tmp_path, capsys):
    code, _, err = run(capsys, "--format", "gift", "--banks", tmp_path / "nowhere", "--out", tmp_path / "q")
    assert code == 1 and "no such folder" in err
    code, _, err = run(capsys, "--format", "json", "--banks", CHAPTERS, "--out", tmp_path / "no" / "q.json")
    assert code == 1 and err.startswith("error: cannot write")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "01-broken.yml").write_text("chapter: 01-broken\nquestions: [", "utf-8")
    code, _, err = run(capsys, "--format", "qti", "--banks", broken, "--out", tmp_path / "q.zip")
    assert code == 1 and "01-broken.yml" in err and "invalid YAML" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "docx", "--out", str(tmp_path / "q")])
    assert exit_info.value.code == 2


def test_cli_nothing_exportable_is_an_error_that_still_lists_what_was_left_out(tmp_path, capsys):
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "01-zero.yml").write_text(
        "chapter: 01-zero\ncourse: fixture-course\nobjectives:\n  LO1: Count.\nquestions:\n"
        "  - id: zero-a\n    type: numeric\n    objective: LO1\n    prompt: How many?\n    answer: 0\n"
        "    tolerance: 0\n    explanation: None.\n"
        "  - id: zero-b\n    type: numeric\n    objective: LO1\n    prompt: How many more?\n    answer: 0\n"
        "    tolerance: 0\n    explanation: None.\n", "utf-8")
    out = tmp_path / "q.zip"
    code, stdout, err = run(capsys, "--format", "qti", "--banks", banks, "--out", out)
    assert code == 1 and "no question can be exported" in err and not out.exists()
    reason = "text2qti refuses numeric answers whose range reaches within 0.0001 of zero"
    assert stdout.splitlines() == [f"left out zero-a (numeric): {reason}", f"left out zero-b (numeric): {reason}"]
    code, stdout, err = run(capsys, "--format", "gift", "--banks", banks, "--out", tmp_path / "q.gift")
    assert code == 0 and stdout.splitlines() == [f"wrote 2 questions to {tmp_path / 'q.gift'}; 0 left out"]


def test_cli_exit_codes_as_a_process(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "coursekit", "export", "--format", "gift", "--chapters", "3",
                         "--out", str(tmp_path / "q.gift")], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("wrote ")
    bad = subprocess.run([sys.executable, "-m", "coursekit", "export", "--format", "gift", "--chapters", "three",
                          "--out", str(tmp_path / "x.gift")], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
