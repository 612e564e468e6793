"""JupyterHub for a class on one server: every student logs in with their account on the
server, gets JupyterLab in their own home, and opens the chapters through the course's
nbgitpuller links (`coursekit hub-links`). See deploy/README.md.

    sudo jupyterhub -f /srv/coursekit/jupyterhub_config.py

Before the first start (deploy/README.md, "One server"):
  - the course's pinned requirements in one virtual environment every user can read,
    COURSEKIT_VENV (default /opt/coursekit/venv):  python3.11 -m venv /opt/coursekit/venv &&
    /opt/coursekit/venv/bin/pip install -r requirements.txt   (run in a clone of the course; they
    include jupyterhub, jupyterlab, nbgitpuller and coursekit itself);
  - configurable-http-proxy from npm (`npm install -g configurable-http-proxy@5.3.0`, or a
    local prefix named by COURSEKIT_PROXY);
  - one system account per student (`adduser`), in the group coursekit-students, and one per
    instructor, in coursekit-instructors.

Progress: each student's answers are saved in their own home (~/.local/share/coursekit/
progress.json), which only they can read. Hand-in: exports land next to the notebook in the
student's home; the instructor collects them all with `sudo coursekit collect /home`.

The environment variables below are here so that tests/test_jupyterhub.py starts this very
file on 127.0.0.1; on a real server leave them unset (or set them in the service's unit).
"""
import os

c = get_config()  # noqa: F821 -- JupyterHub's config loader provides it

VENV = os.environ.get("COURSEKIT_VENV", "/opt/coursekit/venv")
STATE = os.environ.get("COURSEKIT_HUB_STATE", "/srv/jupyterhub")

# --- the hub ---------------------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("COURSEKIT_HUB_URL", "http://:8000")  # put HTTPS (nginx, Caddy) in front
c.JupyterHub.db_url = f"sqlite:///{STATE}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{STATE}/jupyterhub_cookie_secret"
c.ConfigurableHTTPProxy.command = [os.environ.get("COURSEKIT_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = f"{STATE}/jupyterhub-proxy.pid"

# --- who may log in -------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "pam"  # the server's own accounts
c.LocalAuthenticator.allowed_groups = {"coursekit-students", "coursekit-instructors"}
c.Authenticator.admin_users = set(filter(None, os.environ.get("COURSEKIT_HUB_ADMINS", "").split(",")))

# --- what each user gets -----------------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"  # one process per user, as that user, in their home
c.Spawner.cmd = [f"{VENV}/bin/jupyterhub-singleuser"]  # the course's pinned environment
c.Spawner.default_url = "/lab"  # the chapters target JupyterLab 4
c.Spawner.notebook_dir = "~"  # nbgitpuller clones the course into ~/<folder>
c.Spawner.environment = {
    "NBGITPULLER_APP": "lab",  # a link without urlpath opens JupyterLab too
}
# Progress stays in each user's own home: COURSEKIT_DATA_DIR is never set for users, so the
# course saves to ~/.local/share/coursekit (Spawner.env_keep does not pass it on).
c.Spawner.http_timeout = 120  # the first start of a kernel on a busy server is slow
c.Spawner.start_timeout = 120
