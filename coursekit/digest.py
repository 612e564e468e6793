"""The discussion digest: the responses to one prompt, gathered into a page (HTML or Markdown)
that a class without a forum can read and answer in the next round. Every text is escaped."""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from .errors import UsageError, echo
from .markup import md_escape
from .model import Bank, DiscussionPrompt
from .submission import Report, Submission, latest_only


def find_prompt(banks: list[Bank], pid: str) -> tuple[Bank, DiscussionPrompt]:
    """The discussion prompt with this id, or BankError naming the nearest ids."""
    prompts = {d.id: (b, d) for b in banks for d in b.discussions}
    if pid in prompts:
        return prompts[pid]
    if any(q.id == pid for b in banks for q in b.questions):
        hint = f"{pid!r} is a quiz question, not a discussion prompt"
    else:
        hint = f"no discussion prompt {echo(pid)} in the banks"
    same_chapter = [p for p in prompts if p.split("-")[0] == pid.split("-")[0]]
    close = difflib.get_close_matches(pid, list(prompts), n=5, cutoff=0.6)
    nearby = list(dict.fromkeys([*same_chapter, *close]))[:6]
    if not nearby:
        nearby = list(prompts)[:8] + (["..."] if len(prompts) > 8 else [])
    raise UsageError(f"--prompt: {hint}; nearby ids: {', '.join(nearby) or 'none'}")


def words(text: str) -> int:
    return len(text.split())


@dataclass
class Entry:
    label: str
    text: str
    words: int


def collect_responses(subs: list[Submission], bank: Bank, prompt: DiscussionPrompt, named: bool,
                      report: Report) -> tuple[list[Entry], int]:
    """(entries in a stable order, number of submissions that had no response)."""
    mine, blank = [], 0
    for sub in subs:
        if sub.chapter != bank.chapter:
            if prompt.id in sub.data["responses"]:
                report.warn(sub.name, f"response to {prompt.id} ignored: the prompt belongs to "
                                      f"{bank.chapter}, the file is for {sub.chapter}")
            continue
        mine.append(sub)
    entries = []
    for sub in latest_only(mine, report):  # oldest export first: "Student 1" sent first
        text = sub.data["responses"].get(prompt.id, "")
        if not text.strip():
            blank += 1
            continue
        label = sub.student if named else f"Student {len(entries) + 1}"
        entries.append(Entry(label, text.strip(), words(text)))
    return entries, blank


def _stats(entries: list[Entry], prompt: DiscussionPrompt) -> str:
    counts = [e.words for e in entries]
    reached = sum(1 for c in counts if c >= prompt.suggested_words)
    return (f"{len(entries)} response{'s' if len(entries) != 1 else ''}, {sum(counts)} words in all "
            f"(shortest {min(counts)}, longest {max(counts)}, average {round(sum(counts) / len(counts))}). "
            f"Suggested length: {prompt.suggested_words} words, reached by {reached} of {len(entries)}.")


NEXT_ROUND = (
    "Read every response before you write. Note one point you agree with and one you doubt.",
    "Choose a response that differs from yours and answer it by its label (for example, “Student 2”): "
    "say what it gets right, then give evidence from the chapter that supports, qualifies or contradicts it.",
    "Return to the guiding questions: which of them did the class leave unanswered?",
    "Keep to the arguments, not the people; the responses are anonymised so that you judge the reasoning.",
)

CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #f6f6f3; color: #1d1d1b; font: 1.05rem/1.6 Georgia, "Times New Roman", serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; background: #fff; }
header p, .meta, footer { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: .9rem; color: #555; }
h1, h2, h3 { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.25; }
h1 { font-size: 1.7rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
.prompt { font-size: 1.15rem; border-left: 4px solid #2a5d8f; padding: .2rem 0 .2rem 1rem; }
article { border: 1px solid #ddd; border-radius: 6px; padding: 1rem 1.2rem; margin: 1rem 0; break-inside: avoid; }
article .words { font-weight: normal; color: #555; }
article p { margin: .5rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
@media print { body { background: #fff; } main { padding: 0; } article { border-color: #999; } }
""".strip()


def render_html(bank: Bank, prompt: DiscussionPrompt, entries: list[Entry], named: bool) -> str:
    e = html.escape
    guiding = "".join(f"<li>{e(q)}</li>" for q in prompt.guiding_questions)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        f"<title>Discussion digest: {e(prompt.id)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        f'<header><p>Course {e(bank.course)} · chapter {e(bank.chapter)}</p>',
        "<h1>Discussion digest</h1></header>",
        '<section aria-labelledby="h-prompt">',
        '<h2 id="h-prompt">The prompt</h2>',
        f'<p class="prompt">{e(prompt.prompt)}</p>',
    ]
    if guiding:
        parts += ["<h3>Guiding questions</h3>", f"<ul>{guiding}</ul>"]
    parts += [
        "</section>",
        '<section aria-labelledby="h-responses">',
        '<h2 id="h-responses">What the class wrote</h2>',
        f'<p class="meta">{e(_stats(entries, prompt))}</p>',
    ]
    for entry in entries:
        paragraphs = "".join(f"<p>{e(p.strip())}</p>" for p in re.split(r"\n\s*\n", entry.text) if p.strip())
        parts.append(f'<article><h3>{e(entry.label)} <span class="words">({entry.words} words)</span></h3>'
                     f"{paragraphs}</article>")
    parts += [
        "</section>",
        '<section aria-labelledby="h-next">',
        '<h2 id="h-next">For the next round</h2>',
        "<ol>" + "".join(f"<li>{e(step)}</li>" for step in NEXT_ROUND) + "</ol>",
        "</section>",
        f"<footer><p>{e(_footer(named))}</p></footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _footer(named: bool) -> str:
    who = ("Responses are shown with the names the students gave." if named else
           "Responses are anonymised and numbered in the order they were exported.")
    return who + " Made with coursekit digest."


def _md_block(text: str, quote: bool = False) -> str:
    """Paragraphs kept, lines kept (hard breaks), every line escaped."""
    paragraphs = []
    for para in re.split(r"\n\s*\n", text):
        lines = [md_escape(line.strip()) for line in para.splitlines() if line.strip()]
        if lines:
            paragraphs.append("\\\n".join(lines))
    body = "\n\n".join(paragraphs)
    if quote:
        body = "\n".join(("> " + line) if line else ">" for line in body.split("\n"))
    return body


def render_markdown(bank: Bank, prompt: DiscussionPrompt, entries: list[Entry], named: bool) -> str:
    lines = [
        f"# Discussion digest: {md_escape(prompt.id)}",
        "",
        f"Course {md_escape(bank.course)}, chapter {md_escape(bank.chapter)}",
        "",
        "## The prompt",
        "",
        _md_block(prompt.prompt, quote=True),
        "",
    ]
    if prompt.guiding_questions:
        lines += ["### Guiding questions", ""]
        lines += [f"- {md_escape(q)}" for q in prompt.guiding_questions]
        lines.append("")
    lines += ["## What the class wrote", "", md_escape(_stats(entries, prompt)), ""]
    for entry in entries:
        lines += [f"### {md_escape(entry.label)} ({entry.words} words)", "", _md_block(entry.text, quote=True), ""]
    lines += ["## For the next round", ""]
    lines += [f"{i}. {md_escape(step)}" for i, step in enumerate(NEXT_ROUND, 1)]
    lines += ["", md_escape(_footer(named)), ""]
    return "\n".join(lines)



__all__ = ["find_prompt", "collect_responses", "render_html", "render_markdown", "NEXT_ROUND"]
