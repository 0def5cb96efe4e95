#!/usr/bin/env python3
# test-kill-publish.py: kill -9 of the app milliseconds after Publish: the edit, the approval and the publish land together or not at all
# SPDX-License-Identifier: GPL-3.0-or-later
"""The editor corrects an incoming entry and publishes it
(win.confirm-publish) while the site is down, and the app is killed
0 to 100 ms later. Restarted with the site back, the app delivers what it
had queued. The edit, the approval and the publish are one transaction in
the outbox: the site must end with all three, once each, or with none of
them. Queued one by one, as they were, a kill between them left the entry
edited and in review but never published, with nothing left to say so."""
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from desklib import actions, kill, query, start_site, wait_for

BUILD = os.environ["DESK_BUILD_DIR"]
SAMPLES = os.environ["DESK_SAMPLE_DIR"]
SITE = os.environ["DIGEST_SITE"]
APP = os.path.join(BUILD, "src", "digest-desk")
APP_ID = "io.github.digestdesk.DigestDesk.KillPublish"
OBJECT = "/io/github/digestdesk/DigestDesk/KillPublish"
TOKEN = "kill-publish-token"
ENTRY = "2026-10-01-kestrel-2-open-weights"
DELAYS_MS = [0, 2, 5, 10, 20, 50, 100]


gdbus = actions(APP_ID, OBJECT)


class KillPublish(unittest.TestCase):
    kill = staticmethod(kill)

    def start_site(self, port="0", seed=True):
        args = [SITE, "--db", self.site_db, "--port", port, "--token", "sato:editor:" + TOKEN]
        if seed:
            args += ["--seed", os.path.join(SAMPLES, "articles.json")]
        site, url = start_site(*args)
        self.addCleanup(self.kill, site)
        return site, url

    def start_app(self, url):
        log = open(os.path.join(self.tmp, "app-%d.log" % time.monotonic_ns()), "w")
        self.addCleanup(log.close)
        env = dict(os.environ, DIGEST_DESK_TOKEN=TOKEN, DESK_RETRY_MAX_MS="1000")
        app = subprocess.Popen([APP, "--site", url, "--store", self.store, "--gapplication-app-id", APP_ID],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(self.kill, app)
        wait_for("the app on the bus", lambda: "approve" in gdbus("/window/1", "List").stdout)
        return app

    def one_kill(self, delay_ms):
        self.tmp = tempfile.mkdtemp(prefix="desk-kill-publish-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.site_db = os.path.join(self.tmp, "site.db")
        self.store = os.path.join(self.tmp, "store.db")
        title = "公開直後に強制終了した見出し %d ms" % delay_ms

        site, url = self.start_site()
        port = url.rsplit(":", 1)[1].strip("/")
        app = self.start_app(url)
        self.assertEqual(gdbus("", "Activate", "open-entry", "[<'%s'>]" % ENTRY, "{}").returncode, 0)
        wait_for("the entry open", lambda: gdbus("/window/1", "Describe", "set-field").stdout.startswith("((true,"))
        time.sleep(0.3)
        # Down: whatever is queued stays in the outbox until the restart.
        self.kill(site)
        gdbus("/window/1", "Activate", "set-field", "[<('title', '%s')>]" % title, "{}")
        self.assertEqual(gdbus("/window/1", "Activate", "confirm-publish", "[]", "{}").returncode, 0)
        time.sleep(delay_ms / 1000)
        self.kill(app)
        queued = [kind for (kind,) in query(self.store, "SELECT kind FROM outbox WHERE entry_id = ? ORDER BY id",
                                                 ENTRY)]

        site, url = self.start_site(port=port, seed=False)
        app = self.start_app(url)

        def settled():
            return query(self.store, "SELECT COUNT(*) FROM outbox WHERE entry_id = ?"
                                          " AND state IN ('pending', 'in_flight', 'failed')", ENTRY)[0][0] == 0
        wait_for("the outbox delivered", settled, 60)
        time.sleep(0.5)
        counts = dict(query(self.site_db, "SELECT action, COUNT(*) FROM revisions WHERE entry_id = ?"
                                               " AND action IN ('patch', 'status', 'publish') GROUP BY action",
                                 ENTRY))
        status, got_title = query(self.site_db, "SELECT json_extract(full_json, '$.status'),"
                                                     " json_extract(full_json, '$.title') FROM entries WHERE id = ?",
                                       ENTRY)[0]
        self.assertEqual(gdbus("", "Activate", "quit", "[]", "{}").returncode, 0)
        app.wait(60)
        self.kill(site)
        return queued, counts, status, got_title == title

    def test_all_or_nothing(self):
        outcomes = []
        for delay_ms in DELAYS_MS:
            with self.subTest(delay_ms=delay_ms):
                queued, counts, status, titled = self.one_kill(delay_ms)
                print("killed %3d ms after Publish: outbox %s; on the site %s, %s" % (delay_ms, queued, counts, status))
                # The PATCH moves it to review; then approved; then published.
                if queued:
                    self.assertEqual(queued, ["patch", "status", "publish"])
                    self.assertEqual(counts, {"patch": 1, "status": 1, "publish": 1})
                    self.assertEqual(status, "published")
                    self.assertTrue(titled)
                else:
                    self.assertEqual(counts, {})
                    self.assertEqual(status, "incoming")
                outcomes.append(bool(queued))
        # The kill came late enough, at least once, for the steps to be queued.
        self.assertIn(True, outcomes)


if __name__ == "__main__":
    unittest.main(verbosity=2)
