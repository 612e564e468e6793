"""report.html for `coursekit analyse`: one self-contained page per chapter or assignment.

No network: no script, no link, no font or style sheet from elsewhere; the figures are PNG
images inlined as data: URIs (matplotlib, drawn off-screen with no pyplot state), each with
alt text and the same numbers in a table beside it. Every text from a bank or a student is
escaped, and the page's Content-Security-Policy allows nothing but its own styles and images.
A group below --min-group gets a page that says so and shows no statistics.
"""
from __future__ import annotations

import base64
import html
import io

from .analyse import GroupAnalysis
from .gradebook import number

BANDS = [(low, low + 10) for low in range(0, 100, 10)]  # score bands, percent; the last includes 100

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1b1b1b;
background:#fff;margin:0}
main{max-width:60rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #bbb}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
thead th{background:#eee}
figure{margin:1rem 0}img{max-width:100%;height:auto}
figcaption{font-size:.92rem;color:#333}
.flags{color:#7a1e00}.note{background:#fff4d6;border:1px solid #b58900;padding:.5rem .75rem}
.withheld{background:#fde8e8;border:2px solid #a40000;padding:.75rem 1rem;font-weight:600}
"""


def e(text) -> str:
    return html.escape(str(text), quote=True)


def _label(text: str, limit: int = 48) -> str:
    """A bank's text fit for a chart label: short, and with no $ for matplotlib's mathtext to parse."""
    text = " ".join(str(text).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, metadata={"Software": None})  # no URL in the file
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots()


def band_counts(percents: list[float]) -> list[int]:
    counts = [0] * len(BANDS)
    for p in percents:
        counts[min(int(p // 10), len(BANDS) - 1) if p >= 0 else 0] += 1
    return counts


def _score_figure(group: GroupAnalysis, counts: list[int]) -> str:
    fig, ax = _figure(7, 3.2)
    labels = [f"{low}–{high - 1}" if high < 100 else f"{low}–100" for low, high in BANDS]
    ax.bar(range(len(BANDS)), counts, color="#2a6f97", edgecolor="#123")
    ax.set_xticks(range(len(BANDS)), labels, fontsize=8)
    ax.set_xlabel("score (% of the maximum mark)")
    ax.set_ylabel("submissions")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _png(fig)


def _scatter_figure(group: GroupAnalysis) -> str:
    fig, ax = _figure(7, 4.2)
    ax.axvspan(0, 10, color="#f4cccc", label="facility 10% or less")
    ax.axvspan(90, 100, color="#fce5cd", label="facility 90% or more")
    ax.axhline(0, color="#555", linewidth=1)
    for number_, s in enumerate(group.stats, 1):
        if s.facility is None or s.discrimination_index is None:
            continue
        x, y = 100 * s.facility, s.discrimination_index
        ax.plot(x, y, "o", color="#123" if y >= 0 else "#a40000", markersize=6)
        ax.annotate(str(number_), (x, y), textcoords="offset points", xytext=(5, 4), fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_ylim(-100, 100)
    ax.set_xlabel("facility (%)")
    ax.set_ylabel("discrimination index (%)")
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def _choice_figure(question, choices) -> str:
    shown = [c for c in choices if c.nobody_flag]
    fig, ax = _figure(7, 0.45 * len(shown) + 1.0)
    ys = list(range(len(shown)))[::-1]
    ax.barh(ys, [c.count for c in shown], color=["#2a6f97" if c.correct else "#999" for c in shown],
            edgecolor="#123")
    ax.set_yticks(ys, [("✔ " if c.correct else "") + _label(c.choice) for c in shown], fontsize=8)
    ax.set_xlabel("submissions that chose it")
    ax.xaxis.get_major_locator().set_params(integer=True)
    return _png(fig)


def _value(v, places: int = 4) -> str:
    return "" if v is None else number(v, places)


def _quiz_table(group: GroupAnalysis) -> str:
    q = group.quiz
    rows = [("Submissions (n)", str(q.n), ""),
            ("Average (mean)", _value(q.mean), _value(q.percent(q.mean), 2)),
            ("Median", _value(q.median), _value(q.percent(q.median), 2)),
            ("Standard deviation", _value(q.sd), _value(q.percent(q.sd), 2)),
            ("Skewness", _value(q.skewness), ""),
            ("Kurtosis", _value(q.kurtosis), ""),
            ("Coefficient of internal consistency (Cronbach's alpha)", "", _value(q.cic, 2)),
            ("Error ratio", "", _value(q.error_ratio, 2)),
            ("Standard error", _value(q.standard_error), _value(q.percent(q.standard_error), 2))]
    body = "".join(f'<tr><th scope="row">{e(name)}</th><td class="num">{e(marks)}</td>'
                   f'<td class="num">{e(pct)}</td></tr>' for name, marks, pct in rows)
    return ('<table><caption>Quiz statistics, as in Moodle\'s quiz statistics report</caption>'
            f'<thead><tr><th scope="col">statistic</th><th scope="col">marks (of {e(number(q.max_mark))})</th>'
            f'<th scope="col">percent</th></tr></thead><tbody>{body}</tbody></table>')


def _flag_list(flags: list[str]) -> str:
    if not flags:
        return ""
    return '<ul class="flags">' + "".join(f"<li>{e(f)}</li>" for f in flags) + "</ul>"


def _questions_table(group: GroupAnalysis) -> str:
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in
                   ("#", "question", "n", "facility (%)", "sd", "discrimination index (%)",
                    "discriminative efficiency (%)", "effective weight (%)", "flags"))
    rows = []
    for number_, (q, s) in enumerate(zip(group.questions, group.stats), 1):
        facility = None if s.facility is None else 100 * s.facility
        weight = _value(s.effective_weight, 2) or ("negative covariance" if s.negative_covariance else "")
        cells = [str(s.n), _value(facility, 2), _value(s.sd), _value(s.discrimination_index, 2),
                 _value(s.discriminative_efficiency, 2), weight]
        flags = "; ".join(group.flags[q.id])
        rows.append(f'<tr><td class="num">{number_}</td><th scope="row">{e(q.id)}</th>'
                    + "".join(f'<td class="num">{e(c)}</td>' for c in cells)
                    + f'<td class="flags">{e(flags)}</td></tr>')
    return ("<table><caption>Each question (facility as a percentage; Moodle's other units)</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _positions_section(group: GroupAnalysis) -> str:
    """For an assignment of variants: how its figures were computed, and the positions' table."""
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in
                   ("position", "n", "facility (%)", "sd", "discrimination index (%)",
                    "discriminative efficiency (%)", "effective weight (%)"))
    rows = "".join(
        f'<tr><th scope="row">{i}</th>' + "".join(f'<td class="num">{e(c)}</td>' for c in (
            str(s.n), _value(None if s.facility is None else 100 * s.facility, 2), _value(s.sd),
            _value(s.discrimination_index, 2), _value(s.discriminative_efficiency, 2), _value(s.effective_weight, 2)))
        + "</tr>" for i, s in enumerate(group.slots, 1))
    return (f'<h2>Positions</h2><p class="note">Each student had a variant of their own ({group.variants} '
            "variants). As Moodle does for random questions, the quiz figures and the coefficient of internal "
            f"consistency treat the {len(group.slots)} positions of a variant as the quiz's questions, and each "
            "question's figures above are over the submissions whose variant drew it (its n), with no effective "
            "weight: Moodle gives that to positions only, below.</p>"
            f"<table><caption>Each position of the variants</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _choices_section(group: GroupAnalysis, with_figures: bool) -> str:
    parts = []
    for number_, q in enumerate(group.questions, 1):
        choices, n = group.choices[q.id], group.attempts(q.id)
        parts.append(f'<h3 id="q{number_}">{number_}. {e(q.id)} <small>({e(q.type)})</small></h3>')
        parts.append(f"<p>{e(' '.join(q.prompt.split())[:400])}</p>")
        if not choices:
            parts.append(f'<p class="note">{e("; ".join(group.flags[q.id]))}</p>')
            continue
        if with_figures and any(c.nobody_flag for c in choices):
            alt = (f"Bar chart of how many of the {n} submissions chose each option of question {number_}; "
                   "the correct option is marked with a tick. The table below gives the same counts.")
            parts.append(f'<figure><img src="{_choice_figure(q, choices)}" alt="{e(alt)}"></figure>')
        rows = "".join(
            f'<tr><td>{e(c.part)}</td><td>{e(c.choice)}</td>'
            f'<td>{"" if c.correct is None else ("yes" if c.correct else "no")}</td>'
            f'<td class="num">{c.count}</td><td class="num">{number(100 * c.count / n, 1)}</td></tr>'
            for c in choices)
        parts.append(f"<table><caption>Choices for question {number_} ({e(q.id)})</caption>"
                     '<thead><tr><th scope="col">part</th><th scope="col">choice</th><th scope="col">correct</th>'
                     '<th scope="col">count</th><th scope="col">percent</th></tr></thead>'
                     f"<tbody>{rows}</tbody></table>")
    return "".join(parts)


def render_report(group: GroupAnalysis, *, figures: bool = True) -> str:
    """The whole page. `figures=False` leaves the images out (the tables are always there)."""
    title = f"Item analysis: {group.title or group.id}"
    head = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
            "style-src 'unsafe-inline'\">"
            f"<title>{e(title)}</title><style>{STYLE}</style></head><body><main>"
            f"<h1>{e(title)}</h1><p>{e(group.id)}: {group.n} submission(s) (the latest from each student), "
            f"{len(group.questions)} question(s), each marked 0 to 1 by coursekit's grader.</p>")
    if group.withheld:
        body = (f'<p class="withheld" role="status">Statistics withheld: {group.n} submission(s), fewer than the '
                f"minimum group of {group.min_group}. No statistics, figures or choices are shown for a group "
                "this small; run with --min-group N to change the minimum.</p>")
        return head + body + "</main></body></html>\n"
    counts = band_counts([group.quiz.percent(total) or 0.0 for total in group.totals])
    band_rows = "".join(f'<tr><th scope="row">{low}–{high - 1 if high < 100 else 100}%</th>'
                        f'<td class="num">{c}</td></tr>' for (low, high), c in zip(BANDS, counts))
    parts = [
        '<p class="note">Definitions and units are those of Moodle\'s quiz statistics report: facility 0 to 1 '
        "(shown here as a percentage), discrimination index, discriminative efficiency and effective weight in "
        "percent; flags follow Moodle's guidance. These statistics assume one complete attempt per student "
        "at a summative test.</p>",
        "<h2>The quiz</h2>", _quiz_table(group), _flag_list(group.quiz_flags),
        "<h2>Score distribution</h2>",
    ]
    if figures:
        alt = (f"Bar chart of the {group.n} submissions' scores in bands of 10%: "
               + ", ".join(f"{c} in {low}–{high - 1 if high < 100 else 100}%" for (low, high), c in zip(BANDS, counts)
                           if c) + ".")
        parts.append(f'<figure><img src="{_score_figure(group, counts)}" alt="{e(alt)}"></figure>')
    parts.append('<table><caption>Submissions per score band</caption><thead><tr><th scope="col">score</th>'
                 f'<th scope="col">submissions</th></tr></thead><tbody>{band_rows}</tbody></table>')
    parts.append("<h2>Facility and discrimination</h2>")
    if figures:
        flagged = sum(1 for q in group.questions if group.flags[q.id])
        missing = sum(1 for s in group.stats if s.discrimination_index is None)
        alt = (f"Scatter plot of facility (horizontal, 0 to 100%) against discrimination index (vertical, -100 to "
               f"100%) for {len(group.stats)} questions, numbered as in the table below; shaded bands mark a "
               f"facility of 10% or less and of 90% or more. {flagged} question(s) have flags"
               + (f"; {missing} have no discrimination index and are not plotted" if missing else "") + ".")
        parts.append(f'<figure><img src="{_scatter_figure(group)}" alt="{e(alt)}"></figure>')
    parts.append(_questions_table(group))
    if group.variants:
        parts.append(_positions_section(group))
    parts.append("<h2>Option choices</h2>")
    parts.append(_choices_section(group, figures))
    return head + "".join(parts) + "</main></body></html>\n"


__all__ = ["render_report", "band_counts"]
