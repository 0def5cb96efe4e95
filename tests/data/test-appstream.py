#!/usr/bin/env python3
# test-appstream.py: the built metainfo passes `appstreamcli validate --no-net` with no error and no warning.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

METAINFO = sys.argv.pop(1) if len(sys.argv) > 1 else None
TOP = os.environ.get("DESK_SOURCE_DIR", "")


class AppStreamTest(unittest.TestCase):
    def test_validate(self):
        result = subprocess.run(["appstreamcli", "validate", "--no-net", "--pedantic", "--explain", METAINFO],
                                capture_output=True, text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
        output = result.stdout + result.stderr
        # Infos and pedantic notes are allowed (e.g. the app id's capitals,
        # which the reverse-DNS id needs); errors and warnings are not.
        issues = [line for line in output.splitlines() if re.match(r"\s*[EW]:", line)]
        self.assertEqual(issues, [], output)
        self.assertEqual(result.returncode, 0, output)

    def test_contents(self):
        root = ET.parse(METAINFO).getroot()
        self.assertEqual(root.findtext("id"), "io.github.digestdesk.DigestDesk")
        self.assertEqual(root.find("translation").get("type"), "gettext")
        self.assertEqual(root.findtext("translation"), "digest-desk")
        self.assertEqual(root.find("launchable").text, "io.github.digestdesk.DigestDesk.desktop")
        self.assertIn("digest-desk", [b.text for b in root.iter("binary")])
        self.assertIsNotNone(root.find("content_rating[@type='oars-1.1']"))
        developer = root.find("developer")
        self.assertTrue(developer.get("id"))
        self.assertTrue(developer.findtext("name"))
        releases = root.findall("releases/release")
        self.assertEqual((releases[0].get("version"), releases[0].get("date")), ("0.1.0", "2026-11-23"))
        urls = {u.get("type"): u.text for u in root.findall("url")}
        self.assertEqual(urls["homepage"], "https://github.com/digestdesk/digest-desk")
        self.assertIn("bugtracker", urls)
        # The translations were merged in.
        self.assertTrue(any(e.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
                            for e in root.iter("summary")))
        self.assertTrue(any(e.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
                            for e in root.iter("caption")))

    def test_screenshots_are_kept_in_the_tree(self):
        root = ET.parse(METAINFO).getroot()
        prefix = "https://raw.githubusercontent.com/digestdesk/digest-desk/main/"
        images = [i for i in root.iter("image")]
        self.assertGreaterEqual(len(images), 2)
        for image in images:
            self.assertTrue(image.text.startswith(prefix), image.text)
            path = os.path.join(TOP, image.text[len(prefix):])
            self.assertTrue(os.path.isfile(path), path + " is missing")
            with open(path, "rb") as f:
                head = f.read(24)
            self.assertEqual(head[:8], b"\x89PNG\r\n\x1a\n", path)
            width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            self.assertEqual((width, height), (int(image.get("width")), int(image.get("height"))), path)


if __name__ == "__main__":
    unittest.main()
