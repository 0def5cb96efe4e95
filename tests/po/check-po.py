#!/usr/bin/env python3
# check-po.py: po/POTFILES.in lists every file with translatable strings, and po/ja.po translates them all.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import subprocess
import sys
import tempfile
import unittest

TOP = os.environ.get("DESK_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MARKERS = re.compile(r'\b(?:N?C?_|g_dngettext|ngettext)\s*\(\s*"|translatable="yes"')
KEYWORDS = ["--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
            "--keyword=g_dngettext:2,3", "--keyword=ngettext:1,2"]


def potfiles():
    with open(os.path.join(TOP, "po", "POTFILES.in"), encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


class PoTest(unittest.TestCase):
    def test_potfiles_complete(self):
        listed = set(potfiles())
        missing = []
        for root, _dirs, files in os.walk(os.path.join(TOP, "src")):
            for name in files:
                if not name.endswith((".c", ".ui")):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, TOP)
                with open(path, encoding="utf-8", errors="replace") as f:
                    if MARKERS.search(f.read()) and rel not in listed:
                        missing.append(rel)
        self.assertEqual(missing, [], "files with translatable strings missing from po/POTFILES.in")
        for rel in listed:
            self.assertTrue(os.path.exists(os.path.join(TOP, rel)), rel + " is listed but does not exist")

    def test_ja_complete(self):
        with tempfile.TemporaryDirectory() as tmp:
            pot = os.path.join(tmp, "digest-desk.pot")
            subprocess.run(["xgettext", "--from-code=UTF-8", "--add-comments", *KEYWORDS,
                            "-D", TOP, "-o", pot, *potfiles()], check=True)
            # msgcmp counts untranslated and fuzzy messages of ja.po as missing.
            result = subprocess.run(["msgcmp", os.path.join(TOP, "po", "ja.po"), pot],
                                    capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, "po/ja.po lacks translations:\n" + result.stderr)

    def test_msgfmt_check(self):
        result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull,
                                 os.path.join(TOP, "po", "ja.po")],
                                capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("untranslated", result.stderr)
        self.assertNotIn("fuzzy", result.stderr)


if __name__ == "__main__":
    unittest.main()
