"""JupyterLab end to end: run a chapter, answer through the widget, restart the kernel,
run again, and find the answer restored from the progress file."""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, copy_course_settings
from coursekit.bank import load_bank

pytestmark = pytest.mark.lab
STEM = "01-introduction"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on 127.0.0.1 with a token, serving a copy of the chapter (Lab autosaves)."""
    work = tmp_path / "work"
    work.mkdir()
    for suffix in (".ipynb", ".yml"):
        shutil.copy(ROOT / "chapters" / f"{STEM}{suffix}", work)
    copy_course_settings(work)
    # Render every cell (JupyterLab 4 otherwise defers cells that are off screen).
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none", "autoStartDefaultKernel": true}', "utf-8")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, COURSEKIT_DATA_DIR=str(tmp_path / "progress"), JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    command = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
               "--LabApp.news_url=", "--ServerApp.disable_check_xsrf=False"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(tmp_path / "lab.log", "w")  # noqa: SIM115 -- the server writes it until the fixture stops it
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError((tmp_path / "lab.log").read_text()) from None
                time.sleep(0.5)
        else:
            raise RuntimeError("JupyterLab did not start: " + (tmp_path / "lab.log").read_text()[-2000:])
        yield {"url": url, "token": token, "progress": tmp_path / "progress"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and its kernels
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def _menu(page, menu: str, item: str):
    page.locator(f"li.lm-MenuBar-item:has-text('{menu}')").first.click()
    page.locator(".lm-Menu-item", has_text=item).first.click()


def _question_box(page, number: int):
    # the widget's VBox whose first child is the prompt "Question N."
    return page.locator(f".widget-vbox:has(> .widget-html:has-text('Question {number}.'))").first


def test_widget_answer_survives_a_kernel_restart(browser, lab):
    bank = load_bank(ROOT / "chapters" / f"{STEM}.yml")
    number, question = next((i, q) for i, q in enumerate(bank.questions, 1) if q.type == "text")
    typed = question.accept[0].upper()  # graded without regard to case

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{lab['url']}/lab/tree/{STEM}.ipynb?token={lab['token']}")
    page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    if page.locator(".jp-Dialog button", has_text="Select").count():  # kernel chooser, if shown
        page.locator(".jp-Dialog button", has_text="Select").click()
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle'], .jp-Toolbar-kernelStatus").first.wait_for(timeout=60_000)

    _menu(page, "Run", "Run All Cells")
    box = _question_box(page, number)
    box.wait_for(timeout=90_000)
    box.locator("input[type=text]").fill(typed)
    box.locator("button", has_text="Check").click()
    feedback = box.locator(".ck-feedback")
    page.wait_for_function("el => el.innerText.includes('Correct.')", arg=feedback.element_handle(), timeout=30_000)
    saved = (lab["progress"] / "progress.json").read_text("utf-8")
    assert typed in saved

    _menu(page, "Kernel", "Restart Kernel and Run All Cells")
    page.locator(".jp-Dialog button", has_text="Restart").click()
    # the old widget views go away with the old outputs; wait for the new one
    page.wait_for_timeout(1000)
    box = _question_box(page, number)
    box.wait_for(timeout=90_000)
    page.wait_for_function("el => el.innerText.includes('Restored')", arg=box.locator(".ck-feedback").element_handle(),
                           timeout=60_000)
    assert typed == box.locator("input[type=text]").input_value()
    assert "Correct." in box.locator(".ck-feedback").inner_text()
    context.close()
