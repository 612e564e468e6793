"""A class on JupyterHub, for real: a JupyterHub on 127.0.0.1 (deploy/jupyterhub_config.py with a
test authenticator and a local spawner), configurable-http-proxy from npm, three students who
each open a chapter through its nbgitpuller link in Chromium, answer through the widgets (the
kernel driven over the Jupyter server's websocket, as JupyterLab drives it: comm messages that
set a widget's value and click its buttons), export; their progress stays in their own homes;
the instructor collects the hand-ins (coursekit/hub.py) and grades them (`coursekit grade`).

The unit tests below it (links, the book's launch link, the collection's rules) need none of that.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from conftest import ROOT
from coursekit.course import load_course
from coursekit.hub import (
    LAUNCH_TEXT,
    add_launch_link,
    chapter_links,
    collect_submissions,
    hub_settings,
    pull_link,
)
from coursekit.submission import build_submission, submission_filename

STEM = "01-introduction"
FOLDER = "course"  # where nbgitpuller clones the course in each home
USERS = {  # hub user -> (the name typed in the export panel, student identifier, answer is right)
    "ana": ("Ana Pérez", "s-1001", True),
    "bruno": ("Bruno Díaz", "", False),
    "carla": ("Carla Ruiz", "carla@uni.example", True),
}
PROXY_ENV = "COURSEKIT_CHP"  # where configurable-http-proxy is, if not in the venv's local prefix


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _proxy_command() -> str:
    for candidate in (os.environ.get(PROXY_ENV), Path(sys.prefix) / "chp" / "node_modules" / ".bin" / "configurable-http-proxy",
                      shutil.which("configurable-http-proxy")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.fail("configurable-http-proxy is not installed: run `make hub-proxy` "
                "(npm install --prefix .venv/chp configurable-http-proxy@5.3.0)")


def _git(*args, cwd):
    env = dict(os.environ, GIT_AUTHOR_NAME="Course", GIT_AUTHOR_EMAIL="course@example.org",
               GIT_COMMITTER_NAME="Course", GIT_COMMITTER_EMAIL="course@example.org", GIT_CONFIG_GLOBAL="/dev/null")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def _fixture_course(folder: Path, hub_url: str) -> Path:
    """A small course repository (one chapter of this course, its settings and a toc) whose
    _config.yml names the hub and the repository itself (a file:// clone source)."""
    (folder / "chapters").mkdir(parents=True)
    for suffix in (".ipynb", ".yml"):
        shutil.copy(ROOT / "chapters" / f"{STEM}{suffix}", folder / "chapters")
    shutil.copy(ROOT / "references.bib", folder)
    config = yaml.safe_load((ROOT / "_config.yml").read_text("utf-8"))
    config["coursekit"]["hub"] = {"url": hub_url, "repository": folder.as_uri(), "branch": "main", "folder": FOLDER}
    (folder / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    toc = {"format": "jb-book", "root": "intro",
           "parts": [{"caption": "Chapters", "numbered": True, "chapters": [{"file": f"chapters/{STEM}"}]}]}
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), "utf-8")
    (folder / "intro.md").write_text("# A small course\n", "utf-8")
    _git("init", "-q", "-b", "main", cwd=folder)
    _git("add", "-A", cwd=folder)
    _git("commit", "-q", "-m", "course", cwd=folder)
    return folder


def _stop(process: subprocess.Popen) -> None:
    """The process and everything it started (its own session: the proxy, the users' servers, kernels)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        except ProcessLookupError:
            pass


def _stop_what_runs_in(folder: Path) -> None:
    """The users' servers and kernels run in sessions of their own (LocalProcessSpawner and
    jupyter_client start them so), so stopping the hub's process group may leave one behind
    when the hub could not stop it: end every process whose home or folder is in `folder`."""
    import psutil

    mine = []
    for process in psutil.process_iter():
        try:
            cwd, home = process.cwd(), process.environ().get("HOME", "")
        except (psutil.Error, OSError):
            continue
        if Path(cwd).is_relative_to(folder) or (home and Path(home).is_relative_to(folder)):
            mine.append(process)
    for process in mine:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, alive = psutil.wait_procs(mine, timeout=10)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()


def _request(url: str, token: str, method: str = "GET", body=None) -> dict:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else {}


@pytest.fixture
def hub(tmp_path):
    """JupyterHub on 127.0.0.1 from deploy/jupyterhub_config.py, with DummyAuthenticator and
    SimpleLocalProcessSpawner (homes in tmp_path/homes); stopped with everything it started."""
    port, hub_port, api_port = _free_port(), _free_port(), _free_port()
    url = f"http://127.0.0.1:{port}"
    state, homes = tmp_path / "state", tmp_path / "homes"
    state.mkdir()
    homes.mkdir()
    course = _fixture_course(tmp_path / "course-repo", url)
    service_token = secrets.token_hex(24)
    singleuser_args = ["--allow-root"] if os.geteuid() == 0 else []
    config = tmp_path / "jupyterhub_config.py"
    config.write_text(f"""
load_subconfig({str(ROOT / "deploy" / "jupyterhub_config.py")!r})
# the test's own: a test authenticator, a local spawner with temporary homes, loopback ports
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {set(USERS)!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes)!r} + "/{{username}}"
c.Spawner.args = {singleuser_args!r}
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.JupyterHub.services = [{{"name": "course-test", "api_token": {service_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "course-test", "scopes": ["admin:users", "admin:servers", "tokens"],
                             "services": ["course-test"]}}]
""", "utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("COURSEKIT_", "JUPYTER", "XDG_"))}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
               HOME=str(tmp_path / "hub-home"), COURSEKIT_VENV=str(Path(sys.executable).parent.parent),
               COURSEKIT_HUB_STATE=str(state), COURSEKIT_HUB_URL=url, COURSEKIT_PROXY=_proxy_command())
    log = open(tmp_path / "hub.log", "w")  # noqa: SIM115 -- the hub writes it until the fixture stops it
    process = subprocess.Popen([str(Path(sys.executable).with_name("jupyterhub")), "-f", str(config)], cwd=state,
                               env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/hub/api/", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterHub did not start: " + (tmp_path / "hub.log").read_text()[-3000:]) from None
                time.sleep(0.3)
        yield SimpleNamespace(url=url, token=service_token, homes=homes, course=course, log=tmp_path / "hub.log",
                              tmp=tmp_path)
    finally:
        try:  # stop the users' servers through the hub first (they are in the hub's session too)
            for user in USERS:
                with contextlib.suppress(OSError):
                    _request(f"{url}/hub/api/users/{user}/server", service_token, "DELETE")
        finally:
            _stop(process)
            _stop_what_runs_in(homes)
            log.close()


class Kernel:
    """A kernel of a user's Jupyter server, driven over its websocket as JupyterLab drives it."""

    def __init__(self, base: str, token: str, notebook: str):
        import websocket

        self.base, self.token = base, token
        session = _request(f"{base}/api/sessions", token, "POST",
                           {"path": notebook, "type": "notebook", "name": Path(notebook).name,
                            "kernel": {"name": "python3"}})
        self.kernel_id = session["kernel"]["id"]
        self.session = uuid.uuid4().hex
        ws_url = base.replace("http://", "ws://") + f"/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=60)
        self.models: dict[str, dict] = {}  # widget model id -> its state, as the front end knows it

    def close(self):
        self.ws.close()

    def _send(self, channel: str, msg_type: str, content: dict) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({"channel": channel, "header": {"msg_id": msg_id, "msg_type": msg_type,
                                 "session": self.session, "username": "test", "version": "5.3"},
                                 "parent_header": {}, "metadata": {}, "content": content, "buffers": []}))
        return msg_id

    def _until_idle(self, msg_id: str, want_reply: bool, timeout: float = 90) -> list[dict]:
        """Every message that answers `msg_id`, until the kernel is idle again (and, for an
        execute_request, its reply has come); widget models are noted on the way."""
        replies, idle, replied, deadline = [], False, not want_reply, time.monotonic() + timeout
        while not (idle and replied):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no reply to {msg_id}")
            msg = json.loads(self.ws.recv())
            kind, content = msg["msg_type"], msg["content"]
            if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                self.models[content["comm_id"]] = dict(content["data"]["state"])
            elif kind == "comm_msg" and content["data"].get("method") in ("update", "echo_update"):
                self.models.setdefault(content["comm_id"], {}).update(content["data"]["state"])
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            replies.append(msg)
            idle = idle or (kind == "status" and content["execution_state"] == "idle")
            replied = replied or kind == "execute_reply"
        return replies

    def run(self, code: str) -> list[dict]:
        msg_id = self._send("shell", "execute_request", {"code": code, "silent": False, "store_history": True,
                                                         "user_expressions": {}, "allow_stdin": False,
                                                         "stop_on_error": True})
        replies = self._until_idle(msg_id, want_reply=True)
        reply = next(m for m in replies if m["msg_type"] == "execute_reply")
        errors = [m["content"] for m in replies if m["msg_type"] == "error"]
        assert reply["content"]["status"] == "ok", errors
        return replies

    def comm(self, model_id: str, data: dict) -> None:
        msg_id = self._send("shell", "comm_msg", {"comm_id": model_id, "data": data})
        self._until_idle(msg_id, want_reply=False, timeout=30)

    # -- the widget tree, as the front end sees it ---------------------------------------------
    def children(self, model_id: str) -> list[str]:
        return [ref.removeprefix("IPY_MODEL_") for ref in self.models[model_id].get("children", [])]

    def descendants(self, model_id: str):
        for child in self.children(model_id):
            yield child
            yield from self.descendants(child)

    def find(self, model_name: str, **state) -> list[str]:
        return [mid for mid, s in self.models.items()
                if s.get("_model_name") == model_name and all(s.get(k) == v for k, v in state.items())]

    def set_value(self, model_id: str, **state) -> None:
        self.comm(model_id, {"method": "update", "state": state, "buffer_paths": []})
        self.models[model_id].update(state)

    def click(self, model_id: str) -> None:
        self.comm(model_id, {"method": "custom", "content": {"event": "click"}})


def _open_through_link(browser, link: str, user: str) -> None:
    """A student's first click on the chapter's link: log in, wait while the hub starts the
    server and nbgitpuller clones the course, and land on the chapter in JupyterLab."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(link)
        page.locator("input[name=username]").fill(user)
        page.locator("input[name=password]").fill("any password")
        page.locator("input[type=submit], button[type=submit]").first.click()
        # the hub's spawn page, then nbgitpuller's progress page, then the notebook
        page.wait_for_url(f"**/user/{user}/lab/tree/{FOLDER}/chapters/{STEM}.ipynb", timeout=90_000, wait_until="commit")
    finally:
        context.close()  # the test drives the kernel itself; no JupyterLab keeps a second view open


def _question(kernel: Kernel, number: int) -> tuple[str, str, str]:
    """(text input, Check button, feedback) of question `number` of the quiz."""
    for box in kernel.find("VBoxModel"):
        kids = kernel.children(box)
        first = kernel.models.get(kids[0], {}) if kids else {}
        if first.get("_model_name") == "HTMLModel" and f"<strong>Question {number}.</strong>" in first.get("value", ""):
            text = next(k for k in kernel.descendants(box) if kernel.models[k].get("_model_name") == "TextModel")
            check = next(k for k in kids if kernel.models[k].get("description") == "Check")
            feedback = next(k for k in kids if "ck-feedback" in kernel.models[k].get("_dom_classes", []))
            return text, check, feedback
    raise AssertionError(f"no question {number} among the widgets")


@pytest.mark.lab
def test_a_class_on_jupyterhub(hub, browser):
    from coursekit.bank import load_bank

    course = load_course(hub.course)
    links = {link.stem: link.url for link in chapter_links(course)}
    assert list(links) == [STEM]
    bank = load_bank(hub.course / "chapters" / f"{STEM}.yml")
    number, question = next((i, q) for i, q in enumerate(bank.questions, 1) if q.type == "text")

    # The first student's click starts their server; the others' servers start meanwhile, as on
    # the morning of a class (two cores: three servers one after another would take a minute).
    for user in list(USERS)[1:]:
        _request(f"{hub.url}/hub/api/users/{user}/server", hub.token, "POST")
    for user, (name, ident, right) in USERS.items():
        _open_through_link(browser, links[STEM], user)
        home = hub.homes / user
        assert (home / FOLDER / "chapters" / f"{STEM}.ipynb").is_file(), "nbgitpuller did not clone the course"
        token = _request(f"{hub.url}/hub/api/users/{user}/tokens", hub.token, "POST",
                         {"note": "test", "expires_in": 600})["token"]
        base = f"{hub.url}/user/{user}"
        kernel = Kernel(base, token, f"{FOLDER}/chapters/{STEM}.ipynb")
        try:
            notebook = json.loads((home / FOLDER / "chapters" / f"{STEM}.ipynb").read_text("utf-8"))
            for cell in notebook["cells"]:  # Run All Cells
                if cell["cell_type"] == "code":
                    kernel.run("".join(cell["source"]))
            text, check, feedback = _question(kernel, number)
            kernel.set_value(text, value=question.accept[0] if right else "not the answer")
            kernel.click(check)
            assert ("Correct." if right else "✘") in kernel.models[feedback]["value"]
            area = next(m for m in kernel.find("TextareaModel"))
            kernel.set_value(area, value=f"{name} writes on soldiers as diplomats.")
            export = kernel.find("ButtonModel", description="Export my work")[0]
            kernel.set_value(kernel.find("TextModel", description="Your name")[0], value=name)
            if ident:
                kernel.set_value(kernel.find("TextModel", description="Student number or e-mail (optional)")[0],
                                 value=ident)
            kernel.click(export)
            assert any("Exported to" in kernel.models[m].get("value", "") for m in kernel.find("HTMLModel")
                       if "ck-status" in kernel.models[m].get("_dom_classes", ())), "the panel did not say Exported"
        finally:
            kernel.close()
        exported = home / FOLDER / "chapters" / submission_filename(bank.chapter, name)
        assert exported.is_file(), f"{user}: no export next to the notebook"

    # one student moves the file into a handin/ folder, as the file browser does (drag and drop)
    token = _request(f"{hub.url}/hub/api/users/carla/tokens", hub.token, "POST", {"expires_in": 600})["token"]
    _request(f"{hub.url}/user/carla/api/contents/handin", token, "PUT", {"type": "directory"})
    moved = submission_filename(bank.chapter, USERS["carla"][0])
    _request(f"{hub.url}/user/carla/api/contents/{FOLDER}/chapters/{moved}", token, "PATCH", {"path": f"handin/{moved}"})
    # ... and hands in a broken file too, which the collection must refuse by name
    _request(f"{hub.url}/user/carla/api/contents/handin/submission-01-broken.json", token, "PUT",
             {"type": "file", "format": "text", "content": "{not json"})

    # each student's progress is in their own home, and nowhere else
    for user, (name, _, _) in USERS.items():
        progress = hub.homes / user / ".local" / "share" / "coursekit" / "progress.json"
        saved = progress.read_text("utf-8")
        assert f"{name} writes" in saved
        for other, (other_name, _, _) in USERS.items():
            if other != user:
                assert other_name not in saved and f"{other_name} writes" not in saved
    assert sorted(p.relative_to(hub.homes).parts[0] for p in hub.homes.rglob("progress.json")) == sorted(USERS)

    # the instructor collects every hand-in and grades them
    collected = hub.tmp / "instructor" / "handin"
    report = collect_submissions(hub.homes, collected, course=course.id)
    assert sorted(p.name for p in collected.iterdir()) == sorted(
        f"{user}--{submission_filename(bank.chapter, name)}" for user, (name, _, _) in USERS.items())
    assert [Path(name).name for name, _ in report.refused] == ["submission-01-broken.json"]
    gradebook = hub.tmp / "instructor" / "gradebook.csv"
    run = subprocess.run([str(Path(sys.executable).with_name("coursekit")), "grade", str(collected), "--out",
                          str(gradebook)], cwd=hub.course, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    rows = {row["student"]: row for row in csv.DictReader(gradebook.read_text("utf-8-sig").splitlines())}
    assert sorted(rows) == sorted(name for name, _, _ in USERS.values()), rows.keys()
    score_column = next(c for c in next(iter(rows.values())) if question.id in c)
    for name, _, right in USERS.values():
        assert float(rows[name][score_column]) == (1.0 if right else 0.0), rows[name]


# --- without a hub: links, the launch link, the collection ----------------------------------------

def _course_with(tmp_path, hub_section) -> object:
    folder = tmp_path / "c"
    (folder / "chapters").mkdir(parents=True)
    for stem in ("01-one", "02-two", "02a-two-a"):
        (folder / "chapters" / f"{stem}.ipynb").write_text("{}", "utf-8")
    (folder / "chapters" / "_template.ipynb").write_text("{}", "utf-8")
    section = {"course": "test-course", "banks": "chapters"}
    if hub_section is not None:
        section["hub"] = hub_section
    (folder / "_config.yml").write_text(yaml.safe_dump({"coursekit": section}), "utf-8")
    toc = {"format": "jb-book", "root": "intro", "parts": [{"chapters": [
        {"file": "syllabus"}, {"file": "chapters/02-two", "sections": [{"file": "chapters/02a-two-a"}]},
        {"file": "chapters/01-one"}, {"file": "exercises/01-one"}]}]}
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc), "utf-8")
    return load_course(folder)


def test_no_hub_named_means_no_links_and_no_launch_link(tmp_path):
    for section in (None, {}, {"url": "", "repository": ""}):
        course = _course_with(tmp_path / str(len(str(section))), section)
        assert hub_settings(course) is None and chapter_links(course) == []
        app = SimpleNamespace(srcdir=str(course.root))
        context = {"body": "<h1>Chapter</h1>"}
        add_launch_link(app, "chapters/01-one", "page.html", context, object())
        assert context["body"] == "<h1>Chapter</h1>"


def test_links_to_every_chapter_in_course_order(tmp_path):
    course = _course_with(tmp_path, {"url": "https://hub.example.edu/", "repository": "https://github.com/ex/course.git"})
    links = chapter_links(course)
    assert [(link.stem, link.number) for link in links] == [("02-two", "2"), ("02a-two-a", "2.1"), ("01-one", "1")]
    assert links[0].url == ("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A//github.com/ex/course.git"
                            "&branch=main&targetpath=course&urlpath=lab/tree/course/chapters/02-two.ipynb")
    settings = hub_settings(course)
    assert pull_link(settings, "chapters/a b.ipynb").endswith("urlpath=lab/tree/course/chapters/a%20b.ipynb")


@pytest.mark.parametrize("section, message", [
    ({"url": "javascript:alert(1)", "repository": "https://x.org/r"}, "must start with"),
    ({"url": "https://hub.example.edu", "repository": "https://x.org/r\"><script>"}, "quote"),
    ({"url": "https://hub.example.edu", "repository": "https://x.org/r", "branch": "../x"}, "branch"),
    ({"url": "https://hub.example.edu", "repository": "https://x.org/r", "folder": "../home"}, "folder"),
    ({"url": "https://hub.example.edu?x=1", "repository": "https://x.org/r"}, "address alone"),
    ({"url": "https://hub.example.edu", "repository": "https://x.org/r", "colour": "red"}, "unknown setting"),
])
def test_bad_hub_settings_are_refused(tmp_path, section, message):
    from coursekit.errors import UsageError

    with pytest.raises(UsageError, match=message):
        hub_settings(_course_with(tmp_path, section))


def test_the_launch_link_goes_on_chapter_pages_only(tmp_path):
    course = _course_with(tmp_path, {"url": "https://hub.example.edu", "repository": "https://github.com/ex/course"})
    app = SimpleNamespace(srcdir=str(course.root))
    page = {"body": "<h1>Two</h1>"}
    add_launch_link(app, "chapters/02-two", "page.html", page, object())
    assert page["body"].startswith('<p class="ck-hub-launch"><a class="reference external" href="https://hub.example.edu/'
                                   'hub/user-redirect/git-pull?repo=https%3A//github.com/ex/course&amp;branch=main')
    assert LAUNCH_TEXT in page["body"] and page["body"].endswith("<h1>Two</h1>")
    for other in ("syllabus", "exercises/01-one", "genindex"):
        context = {"body": "x"}
        add_launch_link(app, other, "page.html", context, object())
        assert context["body"] == "x"


def _submission(name: str, created: str, answer: str = "a", course: str = "test-course") -> bytes:
    data = build_submission(course=course, chapter="01-one", student=name, answers={"q1": answer}, responses={},
                            created=created)
    return json.dumps(data).encode("utf-8")


def test_collect_copies_each_users_files_and_refuses_bad_ones(tmp_path):
    handin, out = tmp_path / "handin", tmp_path / "out"
    for user in ("ana", "bruno"):
        (handin / user / "course" / "chapters").mkdir(parents=True)
    (handin / "ana" / "course" / "chapters" / "submission-01-one-ana.json").write_bytes(_submission("Ana", "2026-01-02T10:00:00Z"))
    (handin / "bruno" / "submission-01-one-ana.json").write_bytes(_submission("Ana", "2026-01-02T10:00:00Z"))  # same name
    (handin / "bruno" / "submission-01-one-broken.json").write_bytes(b"{")
    (handin / "bruno" / "submission-01-other.json").write_bytes(_submission("B", "2026-01-02T10:00:00Z", course="other"))
    (handin / "bruno" / ".ipynb_checkpoints").mkdir()
    (handin / "bruno" / ".ipynb_checkpoints" / "submission-01-one-x.json").write_bytes(_submission("X", "2026-01-02T10:00:00Z"))
    secret = tmp_path / "secret.json"
    secret.write_bytes(_submission("Secret", "2026-01-02T10:00:00Z"))
    (handin / "bruno" / "submission-01-link.json").symlink_to(secret)  # never followed
    (handin / "bruno" / "linked-folder").symlink_to(tmp_path, target_is_directory=True)
    (handin / "stray.json").write_bytes(b"{}")
    (handin / "bad name!").mkdir()
    report = collect_submissions(handin, out, course="test-course")
    assert sorted(p.name for p in out.iterdir()) == ["ana--submission-01-one-ana.json", "bruno--submission-01-one-ana.json"]
    refused = {Path(name).name: reason for name, reason in report.refused}
    assert set(refused) == {"submission-01-one-broken.json", "submission-01-other.json", "submission-01-link.json",
                            "stray.json", "bad name!"}
    assert "link" in refused["submission-01-link.json"] and "this course" in refused["submission-01-other.json"]
    assert "JSON" in refused["submission-01-one-broken.json"]
    assert report.lines()[-1].startswith("summary: 2 copied")


def test_collect_never_replaces_a_newer_copy(tmp_path):
    handin, out = tmp_path / "handin", tmp_path / "out"
    (handin / "ana").mkdir(parents=True)
    source = handin / "ana" / "submission-01-one-ana.json"
    target = out / "ana--submission-01-one-ana.json"
    source.write_bytes(_submission("Ana", "2026-01-02T10:00:00Z", "first"))
    assert len(collect_submissions(handin, out).copied) == 1
    assert len(collect_submissions(handin, out).unchanged) == 1  # run twice: nothing changes
    source.write_bytes(_submission("Ana", "2026-01-03T10:00:00Z", "later"))
    report = collect_submissions(handin, out)
    assert len(report.replaced) == 1 and b"later" in target.read_bytes()
    source.write_bytes(_submission("Ana", "2026-01-01T10:00:00Z", "older"))  # an older export handed in again
    report = collect_submissions(handin, out)
    assert b"later" in target.read_bytes() and len(report.kept) == 1 and "not older" in report.kept[0][1]
    target.write_bytes(b"the instructor's own notes")  # a copy that cannot be read is left alone
    report = collect_submissions(handin, out)
    assert target.read_bytes() == b"the instructor's own notes" and "cannot be read" in report.kept[0][1]


def test_collect_refuses_an_out_folder_inside_the_handin(tmp_path):
    from coursekit.errors import UsageError

    (tmp_path / "handin" / "ana").mkdir(parents=True)
    with pytest.raises(UsageError, match="outside the hand-in"):
        collect_submissions(tmp_path / "handin", tmp_path / "handin" / "ana" / "out")
