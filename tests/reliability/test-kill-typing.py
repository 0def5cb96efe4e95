#!/usr/bin/env python3
# test-kill-typing.py: kill -9 of digest-desk while keys are typed into the body loses at most the last second
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real key events under Xvfb (xdotool) go into the body of an open entry;
digest-desk is killed with SIGKILL in the middle of the typing; after a
restart on the same store, the draft holds everything typed until one
second before the kill, and the app reports the restored draft."""
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import desklib

BUILD = os.environ["DESK_BUILD_DIR"]
SAMPLES = os.environ["DESK_SAMPLE_DIR"]
SITE = os.environ["DIGEST_SITE"]
APP = os.path.join(BUILD, "src", "digest-desk")
APP_ID = "io.github.digestdesk.DigestDesk.Reliability"
OBJECT = "/io/github/digestdesk/DigestDesk/Reliability"
ENTRY = "2026-10-16-accelerator-rental-prices"
TOKEN = "reliability-editor-token"
# Written for this test; ASCII so that xdotool types it on any keymap.
TYPED = ("Editor note typed while the power went out, line by line, "
         "so that nothing of it may be lost but the last second. ") * 3


def gdbus(method, *args):
    return subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID, "--object-path",
                           OBJECT + ("/window/1" if method.startswith("win:") else ""),
                           "--method", "org.gtk.Actions." + method.split(":")[-1], *args],
                          capture_output=True, text=True, timeout=30)


def wait_for(what, predicate, seconds=30):
    return desklib.wait_for(what, predicate, seconds)


class KillWhileTyping(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="desk-reliability-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.procs = []
        self.addCleanup(self.stop_all)
        site = subprocess.Popen([SITE, "--db", os.path.join(self.tmp, "site.db"), "--port", "0",
                                 "--token", "sato:editor:" + TOKEN,
                                 "--seed", os.path.join(SAMPLES, "articles.json")],
                                stdout=subprocess.PIPE, text=True)
        self.procs.append(site)
        line = site.stdout.readline()
        m = re.match(r"listening on (\S+)", line)
        self.assertIsNotNone(m, "digest-site did not start: " + line)
        self.url = m.group(1)
        self.store = os.path.join(self.tmp, "store.db")

    def stop_all(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    def start_app(self, log_name):
        env = dict(os.environ, DIGEST_DESK_TOKEN=TOKEN)
        log = open(os.path.join(self.tmp, log_name), "w")
        app = subprocess.Popen([APP, "--site", self.url, "--store", self.store,
                                "--gapplication-app-id", APP_ID],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(app)
        wait_for("the app on the bus", lambda: "approve" in gdbus("win:List").stdout)
        return app

    def open_entry(self):
        self.assertEqual(gdbus("Activate", "open-entry", "[<'%s'>]" % ENTRY, "{}").returncode, 0)
        wait_for("the entry", lambda: gdbus("win:Describe", "set-field").stdout.startswith("((true,"))
        time.sleep(1.0)

    def draft_body(self):
        db = sqlite3.connect("file:%s?mode=ro" % self.store, uri=True, timeout=5)
        try:
            row = db.execute("SELECT fields_json FROM drafts WHERE entry_id = ?", (ENTRY,)).fetchone()
        finally:
            db.close()
        return json.loads(row[0]).get("body") if row else None

    def test_kill_while_typing(self):
        app = self.start_app("first.log")
        self.open_entry()
        original_body = None

        # Focus the body: a click into the source view, then to its end.
        wid = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "Digest Desk"],
                             capture_output=True, text=True, timeout=30).stdout.split()[0]
        subprocess.run(["xdotool", "windowfocus", "--sync", wid], timeout=30)
        subprocess.run(["xdotool", "mousemove", "--window", wid, "600", "700", "click", "1"], timeout=30)
        time.sleep(0.3)
        subprocess.run(["xdotool", "key", "--window", wid, "ctrl+End"], timeout=30)
        time.sleep(0.3)

        # Type in chunks, noting when each chunk was fully sent.
        progress = []   # (monotonic time, characters sent)
        stop = threading.Event()

        def typist():
            sent = 0
            for i in range(0, len(TYPED), 6):
                if stop.is_set():
                    return
                chunk = TYPED[i:i + 6]
                subprocess.run(["xdotool", "type", "--delay", "25", chunk], timeout=30)
                sent += len(chunk)
                progress.append((time.monotonic(), sent))

        thread = threading.Thread(target=typist)
        thread.start()
        time.sleep(3.5)
        killed_at = time.monotonic()
        app.send_signal(signal.SIGKILL)
        app.wait()
        stop.set()
        thread.join()

        safe = max([n for t, n in progress if t <= killed_at - 1.0] or [0])
        self.assertGreater(safe, 20, "too little was typed to test anything: %r" % progress[:5])

        # Restart on the same store: the draft is there and is reported.
        self.start_app("second.log")
        body = self.draft_body()
        self.assertIsNotNone(body, "no draft after the restart")
        typed = body[body.find("Editor note"):] if "Editor note" in body else ""
        self.assertTrue(TYPED.startswith(typed), "the draft is not what was typed: %r" % typed[:80])
        print("typed before the kill, minus one second: %d; in the draft: %d" % (safe, len(typed)), file=sys.stderr)
        self.assertGreaterEqual(len(typed), safe,
                                "lost more than the last second: %d of %d characters" % (len(typed), safe))
        # The report comes once the session has started, after the window.
        def second_log():
            with open(os.path.join(self.tmp, "second.log")) as f:
                return f.read()
        try:
            wait_for("the restored draft reported", lambda: ENTRY in second_log(), 30)
        except AssertionError:
            self.fail("the restart did not report the restored draft:\n" + second_log()[-2000:])


if __name__ == "__main__":
    unittest.main(verbosity=2)
