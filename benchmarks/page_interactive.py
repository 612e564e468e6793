"""How soon the built book's quiz pages are interactive, in headless Chromium.

For each page: N loads, each in a fresh browser context with the HTTP cache disabled
(CDP Network.setCacheDisabled), served by a local http.server on 127.0.0.1. Per load:

  ready - DCL   window.coursekitReady minus domContentLoadedEventStart (PerformanceNavigationTiming);
                negative means coursekit was ready before DOMContentLoaded fired (the script is
                `defer`, so it runs while readyState is "interactive", just before the event)
  ck script     coursekitReady minus a marker taken on the first line of coursekit.js: compile
                is excluded, execution of the whole file including init() is included
  page script   CDP Performance.getMetrics ScriptDuration at the load event: every script on the page
  ready         window.coursekitReady, from navigation start
  DCL, load     domContentLoadedEventStart and loadEventEnd, from navigation start

The marker is the only change to what is served: the server puts
`window.__ckStart=performance.now();` in front of coursekit.js.

Aim: coursekit interactive within 50 ms of DOMContentLoaded (median ready - DCL <= 50 ms).
Needs a built book in _build/html (make book). Prints a table; exit 0.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PAGES = ["chapters/01-introduction.html", "chapters/04a-joint-exercises.html",
         "chapters/08-multilateral-forums.html"]
N = int(os.environ.get("BENCH_N", "10"))
AIM_MS = 50.0
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
MARKER = b"window.__ckStart=performance.now();\n"


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        if self.path.split("?")[0].endswith("/_static/coursekit.js"):
            body = MARKER + (HTML / "_static" / "coursekit.js").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return {dcl: nav.domContentLoadedEventStart, dclEnd: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd, ready: window.coursekitReady ?? null, start: window.__ckStart ?? null,
          questions: document.querySelectorAll('form.ck-question').length,
          enabled: document.querySelectorAll('.ck-quiz .ck-actions:not([hidden])').length};
}"""


def load_once(browser, url):
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Performance.enable")
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url, wait_until="load")
        page.wait_for_function("window.coursekitReady !== undefined", timeout=10_000)
        m = page.evaluate(MEASURE)
        metrics = {x["name"]: x["value"] for x in cdp.send("Performance.getMetrics")["metrics"]}
        m["script"] = metrics.get("ScriptDuration", float("nan")) * 1000
        m["errors"] = errors
        return m
    finally:
        context.close()


def launch(p):
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return p.chromium.launch(executable_path=CHROMIUM, args=ARGS), CHROMIUM
    return p.chromium.launch(args=ARGS), "playwright's chromium"


def fmt(values):
    return f"{statistics.median(values):8.1f}"


def main() -> int:
    if not (HTML / PAGES[0]).exists():
        print(f"page_interactive: SKIPPED, no built book at {HTML} (run `make book` first)")
        return 0
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(HTML)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    worst = None
    try:
        with sync_playwright() as p:
            browser, which = launch(p)
            try:
                print(f"page_interactive: {which}, Chromium {browser.version}; N={N} loads per page, "
                      "fresh context each, HTTP cache disabled;\n"
                      f"  medians in ms (min..max of ready-DCL); load average {os.getloadavg()[0]:.2f}")
                load_once(browser, base + PAGES[0])  # warm the OS file cache and the browser process
                print(f"{'page':<42}{'qs':>4}{'ready-DCL':>10}{'(min..max)':>16}{'ck script':>10}"
                      f"{'page script':>12}{'ready':>8}{'DCL':>8}{'load':>8}")
                for path in PAGES:
                    runs = [load_once(browser, base + path) for _ in range(N)]
                    errors = sorted({e for r in runs for e in r["errors"]})
                    if any(r["ready"] is None for r in runs):
                        print(f"{path:<42} coursekitReady never set; errors: {errors}")
                        continue
                    delta = [r["ready"] - r["dcl"] for r in runs]
                    ck = [r["ready"] - r["start"] for r in runs]
                    span = f"({min(delta):.1f}..{max(delta):.1f})"
                    print(f"{path:<42}{runs[0]['questions']:>4}{fmt(delta):>10}{span:>16}{fmt(ck):>10}"
                          f"{fmt([r['script'] for r in runs]):>12}{fmt([r['ready'] for r in runs]):>8}{fmt([r['dcl'] for r in runs]):>8}"
                          f"{fmt([r['load'] for r in runs]):>8}")
                    if errors:
                        print(f"   page errors: {errors}")
                    if any(r["enabled"] != r["questions"] for r in runs):
                        print("   warning: not every question's Check button was revealed by the script")
                    med = statistics.median(delta)
                    worst = med if worst is None else max(worst, med)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    if worst is not None:
        verdict = "MET" if worst <= AIM_MS else f"MISSED by {worst - AIM_MS:.1f} ms"
        print(f"aim: coursekit ready within {AIM_MS:.0f} ms of DOMContentLoaded -> worst page median "
              f"{worst:+.1f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
