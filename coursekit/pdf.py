"""A built book (either edition) as one PDF, printed by Chromium from the built HTML.

Jupyter Book's own PDF routes fail for this course: the single-page build crashes on
`HiddenCellNode`, the HTML-to-PDF route insists on downloading a browser, and the LaTeX
route reduces each quiz to one line. So the pages the reader already has are printed as
they print from a browser (the course's print styles: questions answerable on paper, no
answers, no on-screen controls): every page of `_toc.yml`, in its order, each starting on a
new sheet, after a table of contents, with page numbers in the footer and the chapters as
the PDF's bookmarks.
"""
from __future__ import annotations

import html
import os
from pathlib import Path
from urllib.parse import urljoin

import yaml

from .errors import BuildError

CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright's own browser where this is absent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#444">'
          '<span class="title"></span> · <span class="pageNumber"></span> / <span class="totalPages"></span></div>')


TOC_COPY = ".coursekit-toc.yml"  # an edition's own _toc.yml, kept with its HTML by editions.build


def toc_pages(toc_file: Path) -> list[str]:
    """Every page of the book in _toc.yml order (the one source of order), without suffix."""
    toc = yaml.safe_load(Path(toc_file).read_text("utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries:
            pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return pages


def _page_body(page: Path, base: Path) -> tuple[str, str]:
    """(title, the article's HTML with every link and image made relative to `base`)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    article = soup.find("article", class_="bd-article") or soup.find("main")
    if article is None:
        raise BuildError(f"{page}: no article to print (is this a built page?)")
    here = page.relative_to(base).as_posix()
    for tag, attribute in (("img", "src"), ("a", "href"), ("source", "src")):
        for node in article.find_all(tag):
            value = node.get(attribute)
            if value and not value.startswith(("#", "data:", "mailto:")) and "://" not in value:
                node[attribute] = urljoin(here, value)
    heading = article.find("h1")
    title = heading.get_text(" ", strip=True).rstrip("#").strip() if heading else page.stem
    return title, str(article)


def combined_html(html_dir: Path, pages: list[str], title: str) -> str:
    """One document: the theme's styles, a table of contents, then every page's article."""
    from bs4 import BeautifulSoup

    first = BeautifulSoup((html_dir / f"{pages[0]}.html").read_text("utf-8"), "html.parser")
    styles = "".join(str(link) for link in first.find_all("link", rel="stylesheet"))
    script = '<script src="_static/coursekit.js"></script>' if (html_dir / "_static" / "coursekit.js").exists() else ""
    sections, contents = [], []
    for number, name in enumerate(pages):
        path = html_dir / f"{name}.html"
        if not path.exists():
            raise BuildError(f"{path} is missing: build the book first")
        page_title, body = _page_body(path, html_dir)
        anchor = f"pdf-page-{number}"
        contents.append(f'<li><a href="#{anchor}">{html.escape(page_title)}</a></li>')
        sections.append(f'<section class="pdf-page" id="{anchor}">{body}</section>')
    print_rules = ("<style>.pdf-page{break-before:page}.headerlink{display:none}"
                   "body{background:#fff}.pdf-contents li{margin:.3em 0}</style>")
    return (f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>{styles}{print_rules}</head><body>"
            f'<h1>{html.escape(title)}</h1><nav class="pdf-contents" aria-label="Contents"><h2>Contents</h2>'
            f'<ul style="list-style:none;padding-left:0">{"".join(contents)}</ul></nav>{"".join(sections)}{script}</body></html>')


def print_book(html_dir: Path, root: Path, out: Path, title: str) -> int:
    """Print the built book in `html_dir` to `out`; returns the number of PDF pages."""
    html_dir = Path(html_dir).resolve()
    # the edition's own order (the instructor edition adds its key pages), else the course's
    pages = toc_pages(html_dir / TOC_COPY if (html_dir / TOC_COPY).exists() else Path(root) / "_toc.yml")
    document = html_dir / ".coursekit-print.html"  # beside the pages, so their links resolve
    document.write_text(combined_html(html_dir, pages, title), "utf-8")
    try:
        return print_page(document, out, title)
    finally:
        document.unlink(missing_ok=True)


def print_page(page_file: Path, out: Path, title: str) -> int:
    """Print one HTML file (a combined book, or a self-contained assignment page) to `out`
    with Chromium, as its print styles lay it out; returns the number of PDF pages."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        options = {"executable_path": CHROMIUM} if os.path.exists(CHROMIUM) else {}
        browser = p.chromium.launch(args=CHROMIUM_ARGS, **options)
        try:
            page = browser.new_page()
            page.goto(Path(page_file).resolve().as_uri(), wait_until="load")
            # On paper nothing can be clicked open: print the theme's collapsed dropdowns open
            # (the instructor's model answers are dropdowns). coursekit's own <details> (answers,
            # perspectives) stay closed: they are for after a student's own attempt.
            page.evaluate("document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'))")
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
            page.emulate_media(media="print")
            data = page.pdf(format="A4", print_background=False, display_header_footer=True,
                            header_template="<span></span>", footer_template=FOOTER,
                            margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                            outline=True, tagged=True)  # headings as bookmarks; a tagged (accessible) PDF
        finally:
            browser.close()
    tmp = out.with_suffix(".tmp.pdf")
    tmp.write_bytes(data)
    writer = PdfWriter(clone_from=str(tmp))
    writer.add_metadata({"/Title": title})
    writer.write(str(out))
    tmp.unlink()
    return len(PdfReader(str(out)).pages)


__all__ = ["print_book", "print_page", "combined_html", "toc_pages", "CHROMIUM", "CHROMIUM_ARGS", "TOC_COPY"]
