#!/usr/bin/env python3
# test-publish-move-on.py: Publish with unsent edits, then straight on to the next entry: the publication still goes
# SPDX-License-Identifier: GPL-3.0-or-later
"""The editor corrects an entry and publishes it (win.confirm-publish), and
opens the next entry before the app has written the edit to its store
(another process holds the store's write lock for a moment, as a slow
disk would). The edit, the approval and the publication must all reach
the site, once each. They used to be dropped without a word: the steps
after the edit were queued only if the same entry was still open."""
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
APP_ID = "io.github.digestdesk.DigestDesk.MoveOn"
OBJECT = "/io/github/digestdesk/DigestDesk/MoveOn"
TOKEN = "move-on-editor-token"
PUBLISHED = "2026-10-01-kestrel-2-open-weights"
NEXT = "2026-10-02-ado-frontier-code-draft"
TITLE = "公開してすぐ次の記事へ移った見出し"


gdbus = actions(APP_ID, OBJECT)


class PublishMoveOn(unittest.TestCase):
    kill = staticmethod(kill)

    def query(self, sql, *args):
        db = sqlite3.connect("file:%s?mode=ro" % self.site_db, uri=True, timeout=5)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="desk-move-on-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.site_db = os.path.join(self.tmp, "site.db")
        self.store = os.path.join(self.tmp, "store.db")

    def open_entry(self, entry):
        self.assertEqual(gdbus("", "Activate", "open-entry", "[<'%s'>]" % entry, "{}").returncode, 0)

    def test_publication_survives_moving_on(self):
        site = subprocess.Popen([SITE, "--db", self.site_db, "--port", "0", "--token", "sato:editor:" + TOKEN,
                                 "--seed", os.path.join(SAMPLES, "articles.json")],
                                stdout=subprocess.PIPE, text=True)
        self.addCleanup(self.kill, site)
        m = re.match(r"listening on (\S+)", site.stdout.readline())
        self.assertIsNotNone(m)
        log_path = os.path.join(self.tmp, "app.log")
        log = open(log_path, "w")
        self.addCleanup(log.close)
        app = subprocess.Popen([APP, "--site", m.group(1), "--store", self.store, "--gapplication-app-id", APP_ID],
                               env=dict(os.environ, DIGEST_DESK_TOKEN=TOKEN), stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(self.kill, app)
        wait_for("the app on the bus", lambda: "approve" in gdbus("/window/1", "List").stdout)

        self.open_entry(PUBLISHED)
        wait_for("the entry open", lambda: gdbus("/window/1", "Describe", "set-field").stdout.startswith("((true,"))
        time.sleep(0.5)
        self.assertEqual(self.query("SELECT json_extract(full_json, '$.status') FROM entries WHERE id = ?",
                                    PUBLISHED)[0][0], "incoming")

        # A slow store: the edit cannot be written until the lock goes.
        holder = sqlite3.connect(self.store, timeout=10, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            gdbus("/window/1", "Activate", "set-field", "[<('title', '%s')>]" % TITLE, "{}")
            self.assertEqual(gdbus("/window/1", "Activate", "confirm-publish", "[]", "{}").returncode, 0)
            self.open_entry(NEXT)
            time.sleep(1.5)
        finally:
            holder.execute("ROLLBACK")
            holder.close()

        def published():
            row = self.query("SELECT json_extract(full_json, '$.status'), json_extract(full_json, '$.title')"
                             " FROM entries WHERE id = ?", PUBLISHED)[0]
            return row == ("published", TITLE)
        try:
            wait_for("the entry published with its new title", published, 60)
        except AssertionError:
            print(self.query("SELECT revision, action FROM revisions WHERE entry_id = ?", PUBLISHED),
                  file=sys.stderr)
            raise
        counts = dict(self.query("SELECT action, COUNT(*) FROM revisions WHERE entry_id = ? GROUP BY action",
                                 PUBLISHED))
        self.assertEqual(counts.get("patch"), 1, counts)
        self.assertEqual(counts.get("status"), 1, counts)  # in review (by the PATCH), then approved
        self.assertEqual(counts.get("publish"), 1, counts)

        self.assertEqual(gdbus("", "Activate", "quit", "[]", "{}").returncode, 0)
        app.wait(60)


if __name__ == "__main__":
    unittest.main(verbosity=2)
