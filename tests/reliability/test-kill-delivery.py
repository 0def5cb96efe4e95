#!/usr/bin/env python3
# test-kill-delivery.py: kill -9 of the app during outbox delivery, and of digest-site mid-sync
# SPDX-License-Identifier: GPL-3.0-or-later
"""Against the real app under Xvfb and a real digest-site:

- the app queues six corrections and publishes through a slow site (every
  request delayed) and is killed with SIGKILL while they are being
  delivered; restarted on the same store, it delivers the rest: every edit
  and publish is on the site exactly once;
- digest-site is killed with SIGKILL while the app syncs 3 000 entries
  (fetching the incoming and in-review ones in full for offline use);
  restarted on the same database and port, the app goes on by itself: every
  entry ends up in the app's store, in full where it should, and an edit
  made offline meanwhile lands once."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from desklib import actions, kill, query, start_site, wait_for

BUILD = os.environ["DESK_BUILD_DIR"]
SAMPLES = os.environ["DESK_SAMPLE_DIR"]
SITE = os.environ["DIGEST_SITE"]
APP = os.path.join(BUILD, "src", "digest-desk")
APP_ID = "io.github.digestdesk.DigestDesk.KillDelivery"
OBJECT = "/io/github/digestdesk/DigestDesk/KillDelivery"
TOKEN = "kill-delivery-token"
ENTRIES = [
    "2026-10-01-kestrel-2-open-weights",
    "2026-10-02-ado-frontier-code-draft",
    "2026-10-06-relay-bench-agents",
    "2026-10-07-accelerator-export-rules",
    "2026-10-13-inference-weekly-88",
    "2026-10-27-radical-optionality",
]


gdbus = actions(APP_ID, OBJECT)


class KillDelivery(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="desk-kill-delivery-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.site_db = os.path.join(self.tmp, "site.db")
        self.store = os.path.join(self.tmp, "store.db")
        self.app = None

    def start_site(self, *extra, port="0"):
        site, url = start_site(SITE, "--db", self.site_db, "--port", port, "--token", "sato:editor:" + TOKEN, *extra)
        self.addCleanup(self.kill, site)
        return site, url

    kill = staticmethod(kill)

    def start_app(self, url):
        self.log_path = os.path.join(self.tmp, "app-%d.log" % time.monotonic_ns())
        log = open(self.log_path, "w")
        self.addCleanup(log.close)
        env = dict(os.environ, DIGEST_DESK_TOKEN=TOKEN, DESK_RETRY_MAX_MS="2000")
        self.app = subprocess.Popen([APP, "--site", url, "--store", self.store, "--gapplication-app-id", APP_ID],
                                    env=env, stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(self.kill, self.app)
        wait_for("the app on the bus", lambda: "approve" in gdbus("/window/1", "List").stdout)

    def site_query(self, sql, *args):
        return query(self.site_db, sql, *args)

    def store_query(self, sql, *args):
        return query(self.store, sql, *args)

    def test_kill_app_during_delivery(self):
        site, url = self.start_site("--seed", os.path.join(SAMPLES, "articles.json"), "--delay-ms", "400")
        self.start_app(url)
        titles = {}
        for i, entry in enumerate(ENTRIES):
            self.assertEqual(gdbus("", "Activate", "open-entry", "[<'%s'>]" % entry, "{}").returncode, 0)
            wait_for("entry " + entry,
                     lambda: gdbus("/window/1", "Describe", "set-field").stdout.startswith("((true,"), 120)
            time.sleep(0.3)
            titles[entry] = "配信中に強制終了した見出し その%d" % (i + 1)
            gdbus("/window/1", "Activate", "set-field", "[<('title', '%s')>]" % titles[entry], "{}")
            gdbus("/window/1", "Activate", "confirm-publish", "[]", "{}")

        # Kill it while the outbox is being delivered: some writes are on
        # the site already, some are not.
        def delivered():
            return self.site_query("SELECT COUNT(*) FROM revisions WHERE action IN ('patch', 'publish')"
                                   " AND entry_id IN (%s)" % ",".join("?" * len(ENTRIES)), *ENTRIES)[0][0]
        # Every publish asked for is in the app's outbox first: the kill is to
        # come while the outbox is delivered, not in the milliseconds between
        # the last action and its write to the store.
        def queued():
            return self.store_query("SELECT COUNT(DISTINCT entry_id) FROM outbox WHERE kind = 'publish'")[0][0]
        wait_for("every publish in the outbox", lambda: queued() == len(ENTRIES), 60)
        wait_for("the first writes delivered", lambda: delivered() >= 1, 60)
        self.app.send_signal(signal.SIGKILL)
        self.app.wait()
        before = delivered()
        print("writes on the site at the kill: %d of %d" % (before, 2 * len(ENTRIES)), file=sys.stderr)
        self.assertLess(before, 2 * len(ENTRIES), "everything was delivered before the kill")

        self.start_app(url)

        def all_published():
            rows = self.site_query("SELECT id, json_extract(full_json, '$.status'), json_extract(full_json, '$.title')"
                                   " FROM entries WHERE id IN (%s)" % ",".join("?" * len(ENTRIES)), *ENTRIES)
            return len(rows) == len(ENTRIES) and all(r[1] == "published" and r[2] == titles[r[0]] for r in rows)
        wait_for("every entry published with its title after the restart", all_published, 180)
        for entry in ENTRIES:
            self.assertEqual(self.site_query("SELECT COUNT(*) FROM revisions WHERE entry_id = ? AND action = 'publish'",
                                             entry)[0][0], 1, entry + " published more than once")
            self.assertEqual(self.site_query("SELECT COUNT(*) FROM revisions WHERE entry_id = ? AND action = 'patch'",
                                             entry)[0][0], 1, entry + ": the edit landed more than once")
        gdbus("", "Activate", "quit", "[]", "{}")
        self.app.wait(60)

    def test_kill_site_mid_sync(self):
        site, url = self.start_site("--synthetic", "3000", "--seed", os.path.join(SAMPLES, "articles.json"))
        port = url.rsplit(":", 1)[1].split("/")[0]
        total = self.site_query("SELECT COUNT(*) FROM entries")[0][0]
        self.start_app(url)

        def stored():
            return self.store_query("SELECT COUNT(*) FROM entries")[0][0]

        def prefetched():
            return self.store_query("SELECT COUNT(*) FROM entries WHERE full_json IS NOT NULL"
                                    " AND status IN ('incoming', 'in_review')")[0][0]
        to_prefetch = self.site_query("SELECT COUNT(*) FROM entries"
                                      " WHERE json_extract(full_json, '$.status') IN ('incoming', 'in_review')")[0][0]
        # Killed while the feed has been read and full entries are being
        # fetched for offline use.
        wait_for("the prefetch under way", lambda: prefetched() > 0, 60)
        site.send_signal(signal.SIGKILL)
        site.wait()
        at_kill = prefetched()
        print("entries in the app's store at the kill: %d of %d, %d of %d fetched in full"
              % (stored(), total, at_kill, to_prefetch), file=sys.stderr)
        self.assertLess(at_kill, to_prefetch, "the sync finished before the kill")

        # Meanwhile the editor corrects an entry the app already has in full
        # (the site is down now: it opens from the store).
        rows = self.store_query("SELECT id FROM entries WHERE full_json IS NOT NULL"
                                " AND status IN ('incoming', 'in_review') ORDER BY id LIMIT 1")
        self.assertEqual(len(rows), 1, "no entry prefetched in full before the kill")
        entry = rows[0][0]
        self.assertEqual(gdbus("", "Activate", "open-entry", "[<'%s'>]" % entry, "{}").returncode, 0)
        wait_for("the entry open offline",
                 lambda: gdbus("/window/1", "Describe", "set-field").stdout.startswith("((true,"), 60)
        time.sleep(0.5)
        gdbus("/window/1", "Activate", "set-field", "[<('title', 'サイト停止中に直した見出し')>]", "{}")
        gdbus("/window/1", "Activate", "save", "[]", "{}")
        time.sleep(1)

        site, _ = self.start_site(port=port)
        wait_for("every entry in the app's store", lambda: stored() == total, 180)
        wait_for("every incoming and in-review entry fetched in full", lambda: prefetched() == to_prefetch, 180)
        wait_for("the edit on the site",
                 lambda: self.site_query("SELECT json_extract(full_json, '$.title') FROM entries WHERE id = ?",
                                         entry)[0][0] == "サイト停止中に直した見出し", 120)
        self.assertEqual(self.site_query("SELECT COUNT(*) FROM revisions WHERE entry_id = ? AND action = 'patch'",
                                         entry)[0][0], 1)
        self.assertIsNone(self.app.poll())
        gdbus("", "Activate", "quit", "[]", "{}")
        self.app.wait(60)


if __name__ == "__main__":
    unittest.main(verbosity=2)
