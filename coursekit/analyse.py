"""Item analysis: the statistics of Moodle's quiz statistics report, with Moodle's definitions
and units, for one chapter's (or assignment's) submissions.

The statistics are pure functions of a matrix of marks, one row per attempt and one column
per question, each mark 0..1 (what grading.grade gives), so that they are tested without a
file: tests/test_analyse.py checks them against the fixture Moodle's own test uses
(tests/fixtures/moodle-statistics/). The definitions follow Moodle's calculators (read, not
copied): question/classes/statistics/questions/calculator.php for the questions and
mod/quiz/report/statistics/classes/calculator.php for the quiz.

Per question, over the s attempts, with x a mark on the question, t the attempt's total and
o = t - x the mark on the rest of the quiz; every variance and covariance divides by s - 1:

    facility                   mean(x) / max mark                        (0..1)
    sd                         sqrt(var(x))                              (marks)
    discrimination_index       100 cov(x, o) / sqrt(var(x) var(o))       (percent)
    discriminative_efficiency  100 cov(x, o) / covmax(x, o)              (percent), covmax pairing
                               the sorted x with the sorted o (the largest covariance possible)
    effective_weight           100 sqrt(cov(x, t)) / sum of sqrt(cov(x_i, t)) over the
                               questions whose cov(x_i, t) >= 0           (percent); none for a
                               question whose cov(x, t) < 0 (Moodle: "negative covariance")

For the quiz, over the totals: n, mean, median, sd (s - 1), skewness k3 / k2^1.5 and
kurtosis k4 / k2^2 (the k-statistics), cic = 100 p/(p-1) (1 - sum var(x_i) / k2) (Cronbach's
alpha, percent), error_ratio = 100 sqrt(1 - cic/100) (percent) and standard_error =
error_ratio * sd / 100 (marks). Moodle shows mean, median, sd and standard error as a
percentage of the quiz's maximum mark as well; quiz_json() writes both.

A value Moodle leaves empty (one attempt, every mark the same) is None here, written empty.
The flags are Moodle's own guidance, in words (see question_flags and quiz_flags).
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .grading import grade, normalise_text, parse_number, response_problem
from .model import Bank, Question, TypeTable, display_order
from .positions import from_positions

MIN_GROUP = 10  # no statistics for a group smaller than this (--min-group)
TINY = 1e-12  # a variance below this is float noise around zero (every mark the same)


# --- the statistics (pure) ------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionStats:
    question: str
    n: int
    facility: float | None
    sd: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    effective_weight: float | None
    # the intermediate values Moodle stores and its fixture lists
    mark_variance: float | None = None
    other_mark_variance: float | None = None
    covariance: float | None = None
    covariance_max: float | None = None
    covariance_with_total: float | None = None

    @property
    def negative_covariance(self) -> bool:
        return self.covariance_with_total is not None and self.covariance_with_total < 0


@dataclass(frozen=True)
class QuizStats:
    n: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None
    error_ratio: float | None
    standard_error: float | None
    max_mark: float = 0.0

    def percent(self, value: float | None) -> float | None:
        """A mark as Moodle shows it: a percentage of the quiz's maximum mark."""
        return None if value is None or not self.max_mark else 100 * value / self.max_mark


QUESTION_COLUMNS = ("n", "facility", "sd", "discrimination_index", "discriminative_efficiency", "effective_weight")
QUIZ_FIELDS = ("n", "mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error")


def _check(marks: Sequence[Sequence[float]], width: int) -> None:
    for number, row in enumerate(marks, 1):
        if len(row) != width:
            raise ValueError(f"attempt {number} has {len(row)} marks for {width} questions")


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def question_statistics(ids: Sequence[str], marks: Sequence[Sequence[float]],
                        max_marks: Sequence[float] | None = None) -> list[QuestionStats]:
    """Each question's statistics; marks[attempt][question], ids name the columns."""
    _check(marks, len(ids))
    max_marks = list(max_marks) if max_marks is not None else [1.0] * len(ids)
    totals = [sum(row) for row in marks]
    s = len(marks)
    partial = []
    for j, qid in enumerate(ids):
        x = [row[j] for row in marks]
        other = [t - xi for t, xi in zip(totals, x)]
        if s == 0:
            partial.append(dict(question=qid, n=0, facility=None))
            continue
        mx, mo, mt = _mean(x), _mean(other), _mean(totals)
        item = dict(question=qid, n=s, facility=mx / max_marks[j] if max_marks[j] else None)
        if s > 1:
            dx = [xi - mx for xi in x]
            do = [oi - mo for oi in other]
            dt = [ti - mt for ti in totals]
            var_x = sum(d * d for d in dx) / (s - 1)
            var_o = sum(d * d for d in do) / (s - 1)
            cov = sum(a * b for a, b in zip(dx, do)) / (s - 1)
            # the largest covariance these marks could have: both sorted, paired in order
            cov_max = sum(a * b for a, b in zip(sorted(dx), sorted(do))) / (s - 1)
            cov_t = sum(a * b for a, b in zip(dx, dt)) / (s - 1)
            di = 100 * cov / math.sqrt(var_x * var_o) if var_x * var_o > TINY * TINY else None
            de = 100 * cov / cov_max if abs(cov_max) > TINY else None
            item.update(sd=math.sqrt(var_x), mark_variance=var_x, other_mark_variance=var_o, covariance=cov,
                        covariance_max=cov_max, covariance_with_total=cov_t, discrimination_index=di,
                        discriminative_efficiency=de)
        partial.append(item)
    roots = sum(math.sqrt(p["covariance_with_total"]) for p in partial
                if p.get("covariance_with_total") is not None and p["covariance_with_total"] >= 0)
    result = []
    for p in partial:
        cov_t = p.get("covariance_with_total")
        weight = 100 * math.sqrt(cov_t) / roots if roots and cov_t is not None and cov_t >= 0 else None
        result.append(QuestionStats(p["question"], p["n"], p["facility"], p.get("sd"), p.get("discrimination_index"),
                                    p.get("discriminative_efficiency"), weight, p.get("mark_variance"),
                                    p.get("other_mark_variance"), p.get("covariance"), p.get("covariance_max"),
                                    cov_t))
    return result


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def quiz_statistics(totals: Sequence[float], questions: int, sum_of_mark_variance: float,
                    max_mark: float | None = None) -> QuizStats:
    """The quiz's statistics from the attempts' totals; `questions` is p, the number of questions,
    and `sum_of_mark_variance` the sum of their mark variances (for the CIC)."""
    s = len(totals)
    max_mark = float(questions if max_mark is None else max_mark)
    if s == 0:
        return QuizStats(0, None, None, None, None, None, None, None, None, max_mark)
    mean = _mean(totals)
    values = dict(mean=mean, median=median(totals))
    if s > 1:
        diffs = [t - mean for t in totals]
        power2 = sum(d ** 2 for d in diffs)
        power3 = sum(d ** 3 for d in diffs)
        power4 = sum(d ** 4 for d in diffs)
        sd = math.sqrt(power2 / (s - 1))
        values["sd"] = sd
        if s > 2:
            m2, m3, m4 = power2 / s, power3 / s, power4 / s
            k2 = s * m2 / (s - 1)
            k3 = s * s * m3 / ((s - 1) * (s - 2))
            if k2 > TINY:
                values["skewness"] = k3 / k2 ** 1.5
                if s > 3:
                    k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
                    values["kurtosis"] = k4 / (k2 * k2)
                if questions > 1:
                    cic = (100 * questions / (questions - 1)) * (1 - sum_of_mark_variance / k2)
                    error_ratio = 100 * math.sqrt(max(0.0, 1 - cic / 100))
                    values.update(cic=cic, error_ratio=error_ratio, standard_error=error_ratio * sd / 100)
    return QuizStats(n=s, max_mark=max_mark, **{k: values.get(k) for k in QUIZ_FIELDS[1:]})


def analyse_marks(ids: Sequence[str], marks: Sequence[Sequence[float]],
                  max_marks: Sequence[float] | None = None) -> tuple[QuizStats, list[QuestionStats]]:
    """Moodle's quiz and question statistics for a matrix of marks (rows: attempts)."""
    questions = question_statistics(ids, marks, max_marks)
    variance = sum(q.mark_variance or 0.0 for q in questions)
    maximum = sum(max_marks) if max_marks is not None else len(ids)
    return quiz_statistics([sum(row) for row in marks], len(ids), variance, maximum), questions


# --- Moodle's guidance, in words --------------------------------------------------------------
# Facility bands and the quiz's aims: Moodle's "Quiz report statistics" documentation
# (docs.moodle.org, Development:Quiz_report_statistics). The discriminative efficiency
# threshold: Moodle's statistics table (mod/quiz/report/statistics/statistics_table.php,
# is_dubious_question) highlights a question whose discriminative efficiency is below 15%.

DUBIOUS_EFFICIENCY = 15.0


def _pct(value: float) -> str:
    return f"{value:.2f}%"


def question_flags(stats: QuestionStats, choices: Sequence[Choice] = ()) -> list[str]:
    """Plain-words flags where Moodle's guidance would flag the question."""
    flags = []
    if stats.facility is not None:
        f = 100 * stats.facility
        if f <= 5:
            flags.append(f"extremely difficult, or something is wrong with the question (facility {f:.0f}%; "
                         "Moodle: 5% or less)")
        elif f <= 10:
            flags.append(f"very difficult (facility {f:.0f}%; Moodle: 6-10%)")
        elif f >= 95:
            flags.append(f"extremely easy (facility {f:.0f}%; Moodle: 95-100%)")
        elif f >= 90:
            flags.append(f"very easy (facility {f:.0f}%; Moodle: 90-94%)")
    if stats.n > 1 and stats.discrimination_index is None:
        flags.append("every student had the same mark on it (or on the rest of the quiz): it cannot discriminate")
    elif stats.discrimination_index is not None and stats.discrimination_index < 0:
        flags.append(f"negative discrimination index ({_pct(stats.discrimination_index)}): students who did "
                     "better on the rest of the quiz did worse on this question; check its key and wording")
    if stats.discriminative_efficiency is not None and stats.discriminative_efficiency < DUBIOUS_EFFICIENCY:
        flags.append(f"low discriminative efficiency ({_pct(stats.discriminative_efficiency)}, below 15%): "
                     "Moodle highlights such a question as one to check")
    if stats.negative_covariance:
        flags.append("negative covariance with the total: Moodle gives it no effective weight")
    for choice in choices:
        if choice.count == 0 and choice.nobody_flag:
            what = "the right answer" if choice.correct else "a distractor that does not work"
            flags.append(f"nobody chose “{choice.choice}” ({what})")
    return flags


def quiz_flags(stats: QuizStats) -> list[str]:
    flags = []
    mean = stats.percent(stats.mean)
    if mean is not None and not 50 <= mean <= 75:
        flags.append(f"average {mean:.2f}%: Moodle's guidance for a deferred-feedback test is 50% to 75%")
    sd = stats.percent(stats.sd)
    if sd is not None and sd < 12:
        flags.append(f"standard deviation {sd:.2f}%: below Moodle's guidance of 12% to 18%, the scores are "
                     "bunched up")
    elif sd is not None and sd > 18:
        flags.append(f"standard deviation {sd:.2f}%: above Moodle's guidance of 12% to 18%")
    if stats.cic is not None and stats.cic < 64:
        flags.append(f"coefficient of internal consistency {stats.cic:.2f}%: below 64%, Moodle's guidance calls "
                     "the test as a whole unsatisfactory (above 75% is satisfactory)")
    return flags


# --- how often each option was chosen ----------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    part: str  # "" for the whole question; the left item of a matching; "position 2" of an ordering
    choice: str
    correct: bool | None  # None: not an answer at all ("no answer")
    count: int
    nobody_flag: bool = False  # an option of the question: flag it when nobody chose it


NO_ANSWER = "(no answer)"
NOT_USABLE = "(not a usable answer)"
TOP_TEXTS = 10  # typed answers: the most frequent ones, the rest counted together

CHOICES = TypeTable("option choices")


def choice_counts(question: Question, responses: Sequence) -> list[Choice]:
    """How often each option, match, position or typed answer was given (one response per attempt)."""
    usable = [r for r in responses if response_problem(question, r) is None]
    rows = CHOICES(question, usable)
    missing = sum(1 for r in responses if r is None)
    unusable = len(responses) - len(usable) - missing
    if unusable:
        rows.append(Choice("", NOT_USABLE, None, unusable))
    if missing:
        rows.append(Choice("", NO_ANSWER, None, missing))
    return rows


@CHOICES.register("single")
def _single_choices(question, usable):
    return [Choice("", o.text, o.text == question.answer, sum(1 for r in usable if r == o.text), True)
            for o in question.options]


@CHOICES.register("multiple")
def _multiple_choices(question, usable):
    return [Choice("", o.text, o.text in question.answer, sum(1 for r in usable if o.text in r), True)
            for o in question.options]


@CHOICES.register("truefalse")
def _truefalse_choices(question, usable):
    return [Choice("", label, value == question.answer, sum(1 for r in usable if r is value), True)
            for label, value in (("True", True), ("False", False))]


@CHOICES.register("matching")
def _matching_choices(question, usable):
    rows = []
    rights = display_order(question)
    for pair in question.pairs:
        given = [r.get(pair.left) for r in usable]
        rows += [Choice(pair.left, right, right == pair.right, sum(1 for g in given if g == right)) for right in rights]
        unmatched = sum(1 for g in given if g not in rights)
        if unmatched:
            rows.append(Choice(pair.left, "(no match)", False, unmatched))
    return rows


@CHOICES.register("ordering")
def _ordering_choices(question, usable):
    return [Choice(f"position {k}", item, item == expected, sum(1 for r in usable if r[k - 1] == item))
            for k, expected in enumerate(question.items, 1) for item in question.items]


@CHOICES.register("text", "numeric")
def _typed_choices(question, usable):
    """Typed answers grouped as the grader sees them (case, accents, spacing; the number's value)."""
    groups: dict[object, list] = {}
    for r in usable:
        key = parse_number(r) if question.type == "numeric" else normalise_text(r)
        groups.setdefault(key, []).append(r)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), str(g[0])))
    rows = [Choice("", str(g[0]).strip(), grade(question, g[0]).correct, len(g)) for g in ordered[:TOP_TEXTS]]
    rest = ordered[TOP_TEXTS:]
    if rest:
        rows.append(Choice("", f"({len(rest)} other answers)", None, sum(len(g) for g in rest)))
    return rows


# --- one chapter's (or assignment's) submissions -----------------------------------------------

@dataclass
class GroupAnalysis:
    """What `coursekit analyse` writes for one chapter or assignment."""

    id: str
    title: str
    questions: list[Question]
    n: int
    min_group: int
    totals: list[float] = field(default_factory=list)  # each attempt's total mark
    quiz: QuizStats | None = None
    stats: list[QuestionStats] = field(default_factory=list)
    choices: dict[str, list[Choice]] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    quiz_flags: list[str] = field(default_factory=list)
    # an assignment given as variants (analyse_variants): how many variants, each question's
    # attempts (those whose variant drew it), and the statistics of the positions 1..N
    variants: int = 0
    drawn: dict[str, int] = field(default_factory=dict)
    slots: list[QuestionStats] = field(default_factory=list)

    def attempts(self, qid: str) -> int:
        """The submissions that had question `qid`: all of them, unless it was drawn for some."""
        return self.drawn.get(qid, self.n)

    @property
    def withheld(self) -> bool:
        return self.n < self.min_group

    @property
    def withheld_line(self) -> str:
        return (f"withheld: {self.n} submission(s), fewer than the minimum group of {self.min_group} "
                f"(--min-group): no statistics are shown for a group this small")


def analyse_group(bank: Bank, answers: Sequence[dict], min_group: int = MIN_GROUP) -> GroupAnalysis:
    """The analysis of one bank's submissions (each an `answers` dict), graded with grading.grade.
    Below `min_group` submissions nothing but the count is kept."""
    questions = list(bank.questions)
    group = GroupAnalysis(bank.chapter, bank.title, questions, len(answers), min_group)
    if group.withheld:
        return group
    marks = [[grade(q, a.get(q.id)).score for q in questions] for a in answers]
    group.totals = [sum(row) for row in marks]
    group.quiz, group.stats = analyse_marks([q.id for q in questions], marks)
    group.quiz_flags = quiz_flags(group.quiz)
    for q, stats in zip(questions, group.stats):
        group.choices[q.id] = choice_counts(q, [from_positions(q, a.get(q.id)) for a in answers])
        group.flags[q.id] = question_flags(stats, group.choices[q.id])
    return group


def analyse_variants(group_id: str, title: str, variants: Sequence[tuple[Bank, Sequence[dict]]],
                     order: Sequence[str], min_group: int = MIN_GROUP) -> GroupAnalysis:
    """An assignment given as one variant per student (assign --roster), analysed as Moodle
    analyses a quiz of random questions: the quiz figures over every submission, with the
    positions 1..N as its questions (the CIC and effective weights are the positions'); each
    question's figures over the submissions whose variant drew it (x its mark, t the
    submission's total), with no effective weight, which Moodle gives to positions only. A
    question drawn for fewer than `min_group` submissions is withheld on its own."""
    by_id = {q.id: q for bank, _ in variants for q in bank.questions}
    questions = [by_id[qid] for qid in order if qid in by_id]
    attempts = [(bank, a) for bank, answers in variants for a in answers]
    group = GroupAnalysis(group_id, title, questions, len(attempts), min_group, variants=len(variants))
    if group.withheld:
        return group
    rows = [{q.id: grade(q, a.get(q.id)).score for q in bank.questions} for bank, a in attempts]
    width = max(len(bank.questions) for bank, _ in attempts)
    positions = [list(row.values()) + [0.0] * (width - len(row)) for row in rows]
    group.totals = [sum(row.values()) for row in rows]
    group.quiz, group.slots = analyse_marks([f"position {i}" for i in range(1, width + 1)], positions)
    group.quiz_flags = quiz_flags(group.quiz)
    for q in questions:
        seen = [(row[q.id], total, a) for row, total, (_, a) in zip(rows, group.totals, attempts) if q.id in row]
        group.drawn[q.id] = len(seen)
        if len(seen) < min_group:
            group.stats.append(QuestionStats(q.id, len(seen), None, None, None, None, None))
            group.choices[q.id] = []
            group.flags[q.id] = [f"withheld: drawn for {len(seen)} submission(s), fewer than the minimum group "
                                 f"of {min_group}"]
            continue
        stats = question_statistics([q.id, "rest"], [[x, t - x] for x, t, _ in seen])[0]
        stats = replace(stats, effective_weight=None)
        group.stats.append(stats)
        group.choices[q.id] = choice_counts(q, [from_positions(q, a.get(q.id)) for _, _, a in seen])
        group.flags[q.id] = question_flags(stats, group.choices[q.id])
    return group


# --- the files ---------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text) -> str:
    """Text a spreadsheet shows as text, never runs as a formula (numbers are written as numbers)."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def _number_cell(value: float | int | None, places: int = 6) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # a BOM: spreadsheets show accents


def questions_csv(group: GroupAnalysis) -> bytes:
    """questions.csv: a row per question, Moodle's columns, then the flags (or why it is withheld)."""
    header = ["question", *QUESTION_COLUMNS, "flags"]
    if group.withheld:
        rows = [[_text_cell(q.id), str(group.n), "", "", "", "", "", _text_cell(group.withheld_line)]
                for q in group.questions]
        return _csv(header, rows)
    rows = []
    for q, s in zip(group.questions, group.stats):
        rows.append([_text_cell(q.id), str(s.n), _number_cell(s.facility), _number_cell(s.sd),
                     *(_number_cell(v, 4) for v in (s.discrimination_index, s.discriminative_efficiency,
                                                     s.effective_weight)),
                     _text_cell("; ".join(group.flags[q.id]))])
    return _csv(header, rows)


def choices_csv(group: GroupAnalysis) -> bytes:
    header = ["question", "part", "choice", "correct", "count", "percent"]
    if group.withheld:
        return _csv(header, [[_text_cell(q.id), "", _text_cell(group.withheld_line), "", "", ""]
                             for q in group.questions])
    rows = []
    for q in group.questions:
        for c in group.choices[q.id]:
            correct = "" if c.correct is None else ("yes" if c.correct else "no")
            rows.append([_text_cell(q.id), _text_cell(c.part), _text_cell(c.choice), correct, str(c.count),
                         _number_cell(100 * c.count / group.attempts(q.id), 1)])
    return _csv(header, rows)


def slots_csv(group: GroupAnalysis) -> bytes:
    """slots.csv, for an assignment of variants: Moodle's columns for each position 1..N."""
    header = ["position", *QUESTION_COLUMNS]
    return _csv(header, [[str(i), str(s.n), _number_cell(s.facility), _number_cell(s.sd),
                          *(_number_cell(v, 4) for v in (s.discrimination_index, s.discriminative_efficiency,
                                                          s.effective_weight))]
                         for i, s in enumerate(group.slots, 1)])


def _rounded(value):
    return None if value is None else round(value, 10)


def quiz_dict(group: GroupAnalysis) -> dict:
    data = {"id": group.id, "title": group.title, "n": group.n, "questions": len(group.questions),
            "min_group": group.min_group}
    if group.withheld:
        data["withheld"] = group.withheld_line
        return data
    quiz = group.quiz
    data.update({name: _rounded(getattr(quiz, name)) for name in QUIZ_FIELDS[1:]})
    data["max_mark"] = quiz.max_mark
    data["units"] = {"mean": "marks", "median": "marks", "sd": "marks", "skewness": "none", "kurtosis": "none",
                     "cic": "percent", "error_ratio": "percent", "standard_error": "marks"}
    data["percent_of_max_mark"] = {name: _rounded(quiz.percent(getattr(quiz, name)))
                                   for name in ("mean", "median", "sd", "standard_error")}
    data["flags"] = group.quiz_flags
    if group.variants:
        data["variants"] = group.variants
        data["questions_per_submission"] = len(group.slots)
    return data


def quiz_json(group: GroupAnalysis) -> bytes:
    return (json.dumps(quiz_dict(group), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


def folder_name(group_id: str) -> str | None:
    """The group's id as a folder name, or None when it cannot safely be one."""
    return group_id if _FOLDER.match(group_id) and ".." not in group_id else None


__all__ = ["QuestionStats", "QuizStats", "Choice", "GroupAnalysis", "question_statistics", "quiz_statistics",
           "analyse_marks", "question_flags", "quiz_flags", "choice_counts", "analyse_group", "analyse_variants",
           "questions_csv", "slots_csv",
           "choices_csv", "quiz_json", "quiz_dict", "median", "folder_name", "MIN_GROUP", "QUESTION_COLUMNS",
           "QUIZ_FIELDS"]
