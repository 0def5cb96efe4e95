# desklib.py: what the reliability tests share: driving the app's actions
# over D-Bus, waiting for a condition, killing a child process.
# SPDX-License-Identifier: GPL-3.0-or-later
import re
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


def start_site(site, *args):
    """Starts digest-site (the binary site) with args and returns the
    process and the URL it listens on, once it says so."""
    proc = subprocess.Popen([site, *args], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    while line and not line.startswith("listening on"):
        line = proc.stdout.readline()
    m = re.match(r"listening on (\S+)", line)
    if m is None:
        kill(proc)
        raise AssertionError("digest-site did not start: %s" % " ".join(args))
    return proc, m.group(1)


def query(path, sql, *args):
    """The rows of sql on the sqlite database at path, opened read-only."""
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=5)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()
