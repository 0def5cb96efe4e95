#!/usr/bin/env python3
# test-man-pages.py: each manual page formats with no warning from groff or man.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import shutil
import subprocess
import sys
import unittest

PAGES = sys.argv[1:]
del sys.argv[1:]
ENV = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80", MAN_KEEP_FORMATTING="")


class ManPageTest(unittest.TestCase):
    def test_groff(self):
        for page in PAGES:
            with self.subTest(page=page):
                result = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8", page],
                                        capture_output=True, text=True, env=ENV)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(result.stderr, "", result.stderr)

    @unittest.skipUnless(shutil.which("man"), "man-db is not installed")
    def test_man(self):
        for page in PAGES:
            with self.subTest(page=page):
                result = subprocess.run(["man", "--warnings", "-l", page],
                                        capture_output=True, text=True, env=ENV)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(result.stderr, "", result.stderr)
                name = os.path.basename(page).rsplit(".", 1)[0]
                self.assertIn("NAME", result.stdout)
                self.assertIn(name, result.stdout)


if __name__ == "__main__":
    unittest.main()
