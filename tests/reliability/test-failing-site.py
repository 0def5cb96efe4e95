#!/usr/bin/env python3
# test-failing-site.py: edits and publishes through a failing, slow, response-dropping site arrive exactly once
# SPDX-License-Identifier: GPL-3.0-or-later
"""digest-site fails half its requests, delays others and drops responses
after committing; the app, driven over D-Bus, corrects and publishes six
entries. Every edit and every publish lands exactly once (read from the
site's database), and the app's main loop never stalls for 50 ms or more."""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

from desklib import actions, kill, wait_for

BUILD = os.environ["DESK_BUILD_DIR"]
SAMPLES = os.environ["DESK_SAMPLE_DIR"]
SITE = os.environ["DIGEST_SITE"]
APP = os.path.join(BUILD, "src", "digest-desk")
APP_ID = "io.github.digestdesk.DigestDesk.Faults"
OBJECT = "/io/github/digestdesk/DigestDesk/Faults"
TOKEN = "faults-editor-token"
ENTRIES = [
    "2026-10-01-kestrel-2-open-weights",
    "2026-10-02-ado-frontier-code-draft",
    "2026-10-06-relay-bench-agents",
    "2026-10-07-accelerator-export-rules",
    "2026-10-13-inference-weekly-88",
    "2026-10-27-radical-optionality",
]
MAX_STALL_MS = 50.0


gdbus = actions(APP_ID, OBJECT)


class FailingSite(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="desk-faults-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.site_db = os.path.join(self.tmp, "site.db")
        self.site = subprocess.Popen([SITE, "--db", self.site_db, "--port", "0",
                                      "--token", "sato:editor:" + TOKEN,
                                      "--seed", os.path.join(SAMPLES, "articles.json"),
                                      "--fail-rate", "0.5", "--drop-after-commit", "0.3",
                                      "--delay-ms", "150", "--fault-seed", "7"],
                                     stdout=subprocess.PIPE, text=True)
        self.addCleanup(self.kill, self.site)
        m = re.match(r"listening on (\S+)", self.site.stdout.readline())
        self.assertIsNotNone(m)
        self.url = m.group(1)

    kill = staticmethod(kill)

    def query(self, sql, *args):
        db = sqlite3.connect("file:%s?mode=ro" % self.site_db, uri=True, timeout=5)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    def test_exactly_once_without_freezing(self):
        env = dict(os.environ, DIGEST_DESK_TOKEN=TOKEN, DESK_MEASURE_STALLS="1", DESK_RETRY_MAX_MS="4000")
        log_path = os.path.join(self.tmp, "app.log")
        log = open(log_path, "w")
        app = subprocess.Popen([APP, "--site", self.url, "--store", os.path.join(self.tmp, "store.db"),
                                "--gapplication-app-id", APP_ID], env=env, stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(self.kill, app)
        wait_for("the app on the bus", lambda: "approve" in gdbus("/window/1", "List").stdout)

        titles = {}
        for i, entry in enumerate(ENTRIES):
            self.assertEqual(gdbus("", "Activate", "open-entry", "[<'%s'>]" % entry, "{}").returncode, 0)
            try:
                wait_for("entry " + entry,
                         lambda: gdbus("/window/1", "Describe", "set-field").stdout.startswith("((true,"), 120)
            except AssertionError:
                with open(log_path) as f:
                    print(f.read()[-4000:], file=sys.stderr)
                raise
            time.sleep(0.5)
            titles[entry] = "障害試験で修正した見出し その%d" % (i + 1)
            gdbus("/window/1", "Activate", "set-field", "[<('title', '%s')>]" % titles[entry], "{}")
            gdbus("/window/1", "Activate", "confirm-publish", "[]", "{}")
            time.sleep(0.5)

        def all_published():
            rows = self.query("SELECT id, json_extract(full_json, '$.status'), json_extract(full_json, '$.title')"
                              " FROM entries WHERE id IN (%s)" % ",".join("?" * len(ENTRIES)), *ENTRIES)
            return len(rows) == len(ENTRIES) and all(r[1] == "published" and r[2] == titles[r[0]] for r in rows)

        try:
            wait_for("every entry published with its title", all_published, int(os.environ.get("DESK_FAULT_WAIT", "240")))
        except AssertionError:
            for row in self.query("SELECT entry_id, revision, action, account FROM revisions WHERE entry_id IN (%s)"
                                  " ORDER BY entry_id, revision" % ",".join("?" * len(ENTRIES)), *ENTRIES):
                print(row, file=sys.stderr)
            with open(log_path) as f:
                print(f.read()[-3000:], file=sys.stderr)
            raise

        for entry in ENTRIES:
            publishes = self.query("SELECT COUNT(*) FROM revisions WHERE entry_id = ? AND action = 'publish'", entry)
            self.assertEqual(publishes[0][0], 1, entry + " published more than once")
            edits = self.query("SELECT COUNT(*) FROM revisions WHERE entry_id = ? AND action = 'patch'", entry)
            self.assertEqual(edits[0][0], 1, entry + ": the edit landed more than once")

        gdbus("", "Activate", "quit", "[]", "{}")
        app.wait(60)
        log.close()
        with open(log_path) as f:
            out = f.read()
        m = re.search(r"main-loop longest stall: ([0-9.]+) ms", out)
        self.assertIsNotNone(m, "exit status %s: %s" % (app.returncode, out[-2000:]))
        print("longest main-loop stall: %s ms" % m.group(1), file=sys.stderr)
        self.assertLess(float(m.group(1)), MAX_STALL_MS)


if __name__ == "__main__":
    unittest.main(verbosity=2)
