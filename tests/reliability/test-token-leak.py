#!/usr/bin/env python3
# test-token-leak.py: a full session signed in through the keyring leaves the token nowhere but the keyring
# SPDX-License-Identifier: GPL-3.0-or-later
"""A distinctive token is put into the keyring (libsecret's file backend,
through desk-secret as the preferences do) and nowhere else the app could
read it: no DIGEST_DESK_TOKEN, the site's address and account in GSettings'
keyfile backend. The real app, with G_MESSAGES_DEBUG=all and every XDG
directory, HOME and TMPDIR inside a temporary directory, signs in against a
digest-site that knows only that token, opens an entry, edits and publishes
it (the site's database shows both, by that account), and quits.

Neither process has the token in /proc/PID/cmdline or environ (the site
reads it with --token-file). Then every file under the temporary directory — the store and the copies of
store.db, -wal and -shm taken while the app ran, the GSettings keyfile, the
app's stdout and stderr, the site's stdout and stderr, caches — is searched
for the token: raw, in UTF-16 and in base64. It must be found nowhere,
except in the canaries the test writes on purpose (text, UTF-16 and base64
files, the token inserted into a copy of the store, the site's token
file), which show the search finds it in each form."""
import base64
import os
import re
import secrets
import shutil
import signal
import sqlite3
import stat
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
STORE_TOKEN = os.path.join(BUILD, "tests", "reliability", "desk-store-token")
APP_ID = "io.github.digestdesk.DigestDesk.Leak"
OBJECT = "/io/github/digestdesk/DigestDesk/Leak"
ACCOUNT = "sato"
ENTRY = "2026-10-01-kestrel-2-open-weights"
TITLE = "トークン漏洩検査の見出し"


gdbus = actions(APP_ID, OBJECT)


def needles(token):
    """The token as it could be written: raw, UTF-16 (both orders), and
    base64 at each of the three alignments inside a longer encoded text."""
    raw = token.encode("utf-8")
    out = {"raw": raw, "utf-16-le": token.encode("utf-16-le"), "utf-16-be": token.encode("utf-16-be")}
    for shift in range(3):
        enc = base64.b64encode(b"\0" * shift + raw)
        # Drop the characters that also depend on the neighbouring bytes.
        lead = (shift * 4 + 2) // 3
        out["base64+%d" % shift] = enc[lead:len(enc) - 4]
    return out


def search(root, token):
    """Every (path, form) under root where the token is found."""
    forms = needles(token)
    hits = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                st = os.lstat(path)
                if not stat.S_ISREG(st.st_mode):
                    continue
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            for form, needle in forms.items():
                if needle in data:
                    hits.append((os.path.relpath(path, root), form))
    return hits


class TokenLeak(unittest.TestCase):
    kill = staticmethod(kill)

    def query(self, sql, *args):
        db = sqlite3.connect("file:%s?mode=ro" % self.site_db, uri=True, timeout=5)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="desk-leak-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        # Distinctive, and unlike anything else in the files searched.
        self.token = "DDleak-" + secrets.token_hex(16)
        self.dirs = {}
        for name in ("home", "config", "data", "cache", "state", "runtime", "tmp", "site", "keyring",
                     "snapshot", "canary", "logs"):
            self.dirs[name] = os.path.join(self.tmp, name)
            os.makedirs(self.dirs[name], mode=0o700)
        self.site_db = os.path.join(self.dirs["site"], "site.db")

    def session_env(self):
        env = dict(os.environ)
        env.pop("DIGEST_DESK_TOKEN", None)
        env.update({
            "HOME": self.dirs["home"],
            "XDG_CONFIG_HOME": self.dirs["config"],
            "XDG_DATA_HOME": self.dirs["data"],
            "XDG_CACHE_HOME": self.dirs["cache"],
            "XDG_STATE_HOME": self.dirs["state"],
            "XDG_RUNTIME_DIR": self.dirs["runtime"],
            "TMPDIR": self.dirs["tmp"],
            "GSETTINGS_BACKEND": "keyfile",
            "GSETTINGS_SCHEMA_DIR": os.path.join(BUILD, "data"),
            "SECRET_BACKEND": "file",
            "SECRET_FILE_TEST_PATH": os.path.join(self.dirs["keyring"], "test.keyring"),
            "SECRET_FILE_TEST_PASSWORD": "leak-test-password",
            "G_MESSAGES_DEBUG": "all",
        })
        return env

    def test_token_is_nowhere_but_the_keyring(self):
        env = self.session_env()

        # The site, knowing only this token (from a file, as it is written on
        # purpose: one of the canaries); its output kept as its log.
        token_file = os.path.join(self.dirs["canary"], "site-tokens")
        with open(token_file, "w") as f:
            f.write("%s:editor:%s\n" % (ACCOUNT, self.token))
        site_log = open(os.path.join(self.dirs["logs"], "site.log"), "w")
        self.addCleanup(site_log.close)
        site = subprocess.Popen([SITE, "--db", self.site_db, "--port", "0", "--token-file", token_file,
                                 "--seed", os.path.join(SAMPLES, "articles.json")],
                                stdout=subprocess.PIPE, stderr=site_log, text=True,
                                env=dict(env, G_MESSAGES_DEBUG="all"))
        self.addCleanup(self.kill, site)
        first = site.stdout.readline()
        m = re.match(r"listening on (\S+)", first)
        self.assertIsNotNone(m, first)
        url = m.group(1)
        site_out = open(os.path.join(self.dirs["logs"], "site.out"), "w")
        self.addCleanup(site_out.close)
        site_out.write(first)

        # The settings (keyfile backend) name the site and the account; the
        # token goes into the keyring only.
        keyfile = os.path.join(self.dirs["config"], "glib-2.0", "settings", "keyfile")
        os.makedirs(os.path.dirname(keyfile))
        with open(keyfile, "w") as f:
            f.write("[io/github/digestdesk/DigestDesk]\nsite-url='%s'\naccount='%s'\n" % (url, ACCOUNT))
        done = subprocess.run([STORE_TOKEN, url, ACCOUNT], input=self.token + "\n", text=True,
                              env=env, capture_output=True, timeout=30)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue(os.path.getsize(env["SECRET_FILE_TEST_PATH"]) > 0)

        # The session.
        app_log_path = os.path.join(self.dirs["logs"], "app.log")
        app_log = open(app_log_path, "w")
        self.addCleanup(app_log.close)
        store = os.path.join(self.dirs["data"], "store", "store.db")
        os.makedirs(os.path.dirname(store))
        app = subprocess.Popen([APP, "--store", store, "--gapplication-app-id", APP_ID],
                               env=env, stdout=app_log, stderr=subprocess.STDOUT)
        self.addCleanup(self.kill, app)
        try:
            wait_for("the app on the bus", lambda: "approve" in gdbus("/window/1", "List").stdout)
            self.assertEqual(gdbus("", "Activate", "open-entry", "[<'%s'>]" % ENTRY, "{}").returncode, 0)
            wait_for("the entry open",
                     lambda: gdbus("/window/1", "Describe", "set-field").stdout.startswith("((true,"))
            time.sleep(0.5)
            gdbus("/window/1", "Activate", "set-field", "[<('title', '%s')>]" % TITLE, "{}")
            gdbus("/window/1", "Activate", "save", "[]", "{}")
            wait_for("the edit on the site", lambda: self.query(
                "SELECT json_extract(full_json, '$.title') FROM entries WHERE id = ?", ENTRY)[0][0] == TITLE)
            gdbus("/window/1", "Activate", "confirm-publish", "[]", "{}")
            wait_for("the publish on the site", lambda: self.query(
                "SELECT json_extract(full_json, '$.status') FROM entries WHERE id = ?", ENTRY)[0][0]
                == "published")
        except AssertionError:
            app_log.flush()
            with open(app_log_path, errors="replace") as f:
                print(f.read()[-4000:], file=sys.stderr)
            raise

        # Neither process has the token on its command line or in its
        # environment, which other processes can read in /proc.
        for proc in (app, site):
            for part in ("cmdline", "environ"):
                with open("/proc/%d/%s" % (proc.pid, part), "rb") as f:
                    self.assertNotIn(self.token.encode(), f.read(), "%s of pid %d" % (part, proc.pid))

        # The store as it is while the app runs (the -wal and -shm go at a
        # clean close).
        time.sleep(1.5)
        copied = []
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(store + suffix):
                shutil.copy(store + suffix, os.path.join(self.dirs["snapshot"], "store.db" + suffix))
                copied.append(suffix)
        self.assertIn("-wal", copied, "the store is not in WAL mode: the test would miss its log")

        self.assertEqual(gdbus("", "Activate", "quit", "[]", "{}").returncode, 0)
        self.assertEqual(app.wait(60), 0)
        app_log.close()
        site.send_signal(signal.SIGTERM)
        site.wait(30)
        site_out.write(site.stdout.read())
        site.stdout.close()
        site_out.close()
        site_log.close()

        # The session really signed in with the keyring's token: the site
        # knows no other, and holds the edit and the publish by that account.
        actions = self.query("SELECT action, account FROM revisions WHERE entry_id = ? AND action != 'create'"
                             " ORDER BY revision", ENTRY)
        self.assertIn(("patch", ACCOUNT), actions)
        self.assertEqual(actions[-1], ("publish", ACCOUNT))
        # The settings went through the keyfile, debug messages were on.
        with open(keyfile) as f:
            self.assertIn("site-url", f.read())
        with open(app_log_path, errors="replace") as f:
            app_out = f.read()
        self.assertRegex(app_out, r"-DEBUG\b|DEBUG:", "G_MESSAGES_DEBUG=all printed no debug message")
        self.assertTrue(os.path.getsize(store) > 0)

        # The canaries: the search finds the token where it is written.
        with open(os.path.join(self.dirs["canary"], "canary.txt"), "w") as f:
            f.write("written on purpose: Bearer %s\n" % self.token)
        canary_db = os.path.join(self.dirs["canary"], "store-copy.db")
        shutil.copy(store, canary_db)
        db = sqlite3.connect(canary_db)
        db.execute("CREATE TABLE canary (t TEXT)")
        db.execute("INSERT INTO canary VALUES (?)", (self.token,))
        db.commit()
        db.close()
        with open(os.path.join(self.dirs["canary"], "canary.b64"), "wb") as f:
            f.write(base64.b64encode(b"Authorization: Bearer " + self.token.encode()))
        with open(os.path.join(self.dirs["canary"], "canary.utf16"), "wb") as f:
            f.write(("token=" + self.token).encode("utf-16-le"))

        hits = search(self.tmp, self.token)
        for expected in ((os.path.join("canary", "canary.txt"), "raw"),
                         (os.path.join("canary", "store-copy.db"), "raw"),
                         (os.path.join("canary", "canary.utf16"), "utf-16-le"),
                         (os.path.join("canary", "site-tokens"), "raw")):
            self.assertIn(expected, hits, "the search does not find the token where it was written")
        self.assertTrue(any(p == os.path.join("canary", "canary.b64") and form.startswith("base64")
                            for p, form in hits), hits)
        canaries = {h for h in hits if h[0].startswith("canary" + os.sep)}

        searched = [os.path.relpath(os.path.join(d, f), self.tmp)
                    for d, _, fs in os.walk(self.tmp) for f in fs]
        for must in ("logs/app.log", "logs/site.log", "logs/site.out", "snapshot/store.db",
                     "snapshot/store.db-wal", "snapshot/store.db-shm", "data/store/store.db",
                     "config/glib-2.0/settings/keyfile", "keyring/test.keyring"):
            self.assertIn(must, searched)
        leaks = sorted(h for h in hits if h not in canaries)
        print("searched %d files (%d bytes) for the token:" % (
            len(searched), sum(os.path.getsize(os.path.join(self.tmp, p)) for p in searched)), file=sys.stderr)
        for p in sorted(searched):
            print("  %-45s %9d  %s" % (p, os.path.getsize(os.path.join(self.tmp, p)),
                                       ", ".join(f for q, f in hits if q == p) or "-"), file=sys.stderr)
        self.assertEqual(leaks, [], "the token was found outside the keyring")


if __name__ == "__main__":
    unittest.main(verbosity=2)
