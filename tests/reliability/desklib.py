# desklib.py: what the reliability tests share: driving the app's actions
# over D-Bus, waiting for a condition, killing a child process.
# SPDX-License-Identifier: GPL-3.0-or-later
import sqlite3
import subprocess
import time


def actions(app_id, object_path):
    """A gdbus(path, method, *args) calling org.gtk.Actions.METHOD on the
    app's object (path "" for app.*, "/window/1" for win.*)."""
    def gdbus(path, method, *args):
        return subprocess.run(["gdbus", "call", "--session", "--dest", app_id, "--object-path", object_path + path,
                               "--method", "org.gtk.Actions." + method, *args],
                              capture_output=True, text=True, timeout=30)
    return gdbus


def wait_for(what, predicate, seconds=60):
    """Polls predicate every 0.2 s (a failed D-Bus call, file or database
    read counts as not yet) and fails the test after seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (subprocess.SubprocessError, OSError, sqlite3.Error):
            pass
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def kill(proc):
    """SIGKILL and reap, unless it has already exited."""
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()
