#!/usr/bin/env python3
# test-dbus-demo.py: digest-desk --demo driven from outside through its actions on the session bus
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's scripting path, end to end: start the app in demo mode, open
an entry, correct it, approve and publish it with `gdbus` calls to the
exported actions, and check on the demo site that the corrected entry is
published."""
import json
import os
import re
import signal
import subprocess
import sys
import time
import unittest
import urllib.request

BUILD = os.environ["DESK_BUILD_DIR"]
APP = os.path.join(BUILD, "src", "digest-desk")
BUS_NAME = "io.github.digestdesk.DigestDesk"
OBJECT = "/io/github/digestdesk/DigestDesk"
ENTRY = "2026-10-27-radical-optionality"
TITLE = "大手AI研究所に広がる「ラディカル・オプショナリティ」戦略（編集部修正）"


def gdbus_activate(path, action, params):
    subprocess.run(["gdbus", "call", "--session", "--dest", BUS_NAME,
                    "--object-path", OBJECT + path,
                    "--method", "org.gtk.Actions.Activate", action, params, "{}"],
                   check=True, capture_output=True, timeout=30)


def gdbus_enabled(path, action):
    out = subprocess.run(["gdbus", "call", "--session", "--dest", BUS_NAME,
                          "--object-path", OBJECT + path,
                          "--method", "org.gtk.Actions.Describe", action],
                         check=True, capture_output=True, text=True, timeout=30).stdout
    return out.startswith("((true,")


def gdbus_list(path):
    out = subprocess.run(["gdbus", "call", "--session", "--dest", BUS_NAME,
                          "--object-path", OBJECT + path,
                          "--method", "org.gtk.Actions.List"],
                         check=True, capture_output=True, text=True, timeout=30).stdout
    return set(re.findall(r"'([a-z-]+)'", out))


class DemoOverDBus(unittest.TestCase):
    def setUp(self):
        env = dict(os.environ)
        self.log = open(os.path.join(BUILD, "test-dbus-demo.log"), "w+")
        self.proc = subprocess.Popen([APP, "--demo", "--demo-interval", "3600"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        self.addCleanup(self.stop)
        deadline = time.monotonic() + 60
        self.url = self.token = None
        while time.monotonic() < deadline and self.url is None:
            self.assertIsNone(self.proc.poll(), "digest-desk exited early")
            self.log.seek(0)
            m = re.search(r"demo site (\S+) token (\S+)", self.log.read())
            if m:
                self.url, self.token = m.group(1), m.group(2)
            else:
                time.sleep(0.2)
        self.assertIsNotNone(self.url, "the demo did not report its site")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def get_entry(self):
        req = urllib.request.Request(self.url + "/api/v1/entries/" + ENTRY,
                                     headers={"Authorization": "Bearer " + self.token})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.load(resp)

    def wait_for(self, what, predicate, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if predicate():
                    return
            except (subprocess.CalledProcessError, OSError):
                pass
            time.sleep(0.3)
        self.fail("timed out waiting for " + what)

    def test_open_correct_approve_publish(self):
        self.wait_for("the window's actions", lambda: "approve" in gdbus_list("/window/1"))
        gdbus_activate("", "open-entry", "[<'%s'>]" % ENTRY)
        # The entry is open once its fields can be set.
        self.wait_for("the entry to open", lambda: gdbus_enabled("/window/1", "set-field"))
        gdbus_activate("/window/1", "set-field", "[<('title', '%s')>]" % TITLE)
        gdbus_activate("/window/1", "approve", "[]")
        self.wait_for("the approval", lambda: self.get_entry()["status"] == "approved")
        gdbus_activate("/window/1", "confirm-publish", "[]")
        self.wait_for("the publication", lambda: self.get_entry()["status"] == "published")
        entry = self.get_entry()
        self.assertEqual(entry["title"], TITLE)
        self.assertIsNotNone(entry["published"])
        self.assertTrue(entry["published"]["url"].startswith("http"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
