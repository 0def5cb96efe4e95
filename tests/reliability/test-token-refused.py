#!/usr/bin/env python3
# test-token-refused.py: a token revoked mid-session; queued work waits for the new one, then goes once
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app works with token A; digest-site is restarted on the same port and
database with token B only (A revoked). The editor's next edit and publish
wait in the outbox, nothing reaches the site, and the window asks for a new
token (win.enter-token becomes enabled, the banner shows). The editor gives
token B (app.set-token, as the dialog does): everything queued lands exactly
once, and the prompt goes away."""
import os
import shutil
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
APP_ID = "io.github.digestdesk.DigestDesk.Token"
OBJECT = "/io/github/digestdesk/DigestDesk/Token"
OLD_TOKEN = "token-before-revocation"
NEW_TOKEN = "token-after-revocation"
EDITED = "2026-10-01-kestrel-2-open-weights"
PUBLISHED = "2026-10-06-relay-bench-agents"


gdbus = actions(APP_ID, OBJECT)


class TokenRefused(unittest.TestCase):
    def start_site(self, token, port="0"):
        site, url = start_site(SITE, "--db", self.site_db, "--port", port, "--token", "sato:editor:" + token,
                               "--seed", os.path.join(SAMPLES, "articles.json"))
        self.addCleanup(self.kill, site)
        return site, url

    kill = staticmethod(kill)

    def query(self, sql, *args):
        return query(self.site_db, sql, *args)

    def title_of(self, entry):
        return self.query("SELECT json_extract(full_json, '$.title') FROM entries WHERE id = ?", entry)[0][0]

    def token_prompt_enabled(self):
        out = gdbus("/window/1", "Describe", "enter-token").stdout
        return out.startswith("((true,")

    def open_entry(self, entry):
        self.assertEqual(gdbus("", "Activate", "open-entry", "[<'%s'>]" % entry, "{}").returncode, 0)
        wait_for("entry " + entry, lambda: gdbus("/window/1", "Describe", "set-field").stdout.startswith("((true,"))
        time.sleep(0.5)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="desk-token-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.site_db = os.path.join(self.tmp, "site.db")

    def test_queued_work_waits_for_a_new_token(self):
        site, url = self.start_site(OLD_TOKEN)
        port = url.rsplit(":", 1)[1].split("/")[0]
        env = dict(os.environ, DIGEST_DESK_TOKEN=OLD_TOKEN, DESK_RETRY_MAX_MS="2000")
        log_path = os.path.join(self.tmp, "app.log")
        log = open(log_path, "w")
        app = subprocess.Popen([APP, "--site", url, "--store", os.path.join(self.tmp, "store.db"),
                                "--gapplication-app-id", APP_ID], env=env, stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(self.kill, app)
        wait_for("the app on the bus", lambda: "approve" in gdbus("/window/1", "List").stdout)

        # With token A, an edit lands.
        self.open_entry(EDITED)
        gdbus("/window/1", "Activate", "set-field", "[<('title', 'トークン失効前の見出し')>]", "{}")
        gdbus("/window/1", "Activate", "save", "[]", "{}")
        wait_for("the first edit on the site", lambda: self.title_of(EDITED) == "トークン失効前の見出し")
        self.assertFalse(self.token_prompt_enabled())

        # Token A is revoked: the site comes back knowing only B.
        self.kill(site)
        site, _ = self.start_site(NEW_TOKEN, port)

        gdbus("/window/1", "Activate", "set-field", "[<('title', 'トークン失効後の見出し')>]", "{}")
        gdbus("/window/1", "Activate", "save", "[]", "{}")
        self.open_entry(PUBLISHED)
        gdbus("/window/1", "Activate", "confirm-publish", "[]", "{}")

        try:
            wait_for("the window asking for a new token", self.token_prompt_enabled, 60)
        except AssertionError:
            with open(log_path) as f:
                print(f.read()[-3000:], file=sys.stderr)
            raise
        time.sleep(1.0)
        self.assertEqual(self.title_of(EDITED), "トークン失効前の見出し")
        self.assertEqual(self.query("SELECT COUNT(*) FROM revisions WHERE entry_id = ? AND action = 'publish'",
                                    PUBLISHED)[0][0], 0)
        self.assertEqual(app.poll(), None)

        # The editor enters token B.
        self.assertEqual(gdbus("", "Activate", "set-token", "[<'%s'>]" % NEW_TOKEN, "{}").returncode, 0)
        wait_for("the edit after the new token", lambda: self.title_of(EDITED) == "トークン失効後の見出し", 60)
        wait_for("the publish after the new token",
                 lambda: self.query("SELECT json_extract(full_json, '$.status') FROM entries WHERE id = ?",
                                    PUBLISHED)[0][0] == "published", 60)
        wait_for("the prompt gone", lambda: not self.token_prompt_enabled(), 30)

        self.assertEqual(self.query("SELECT COUNT(*) FROM revisions WHERE entry_id = ? AND action = 'patch'",
                                    EDITED)[0][0], 2)
        self.assertEqual(self.query("SELECT COUNT(*) FROM revisions WHERE entry_id = ? AND action = 'publish'",
                                    PUBLISHED)[0][0], 1)

        gdbus("", "Activate", "quit", "[]", "{}")
        app.wait(60)
        log.close()
        with open(log_path) as f:
            out = f.read()
        self.assertNotIn(NEW_TOKEN, out)
        self.assertNotIn(OLD_TOKEN, out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
