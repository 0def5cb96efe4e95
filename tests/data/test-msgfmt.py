#!/usr/bin/env python3
# test-msgfmt.py: `msgfmt --check --statistics` is clean on a PO file, with nothing untranslated or fuzzy.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import subprocess
import sys

po = sys.argv[1]
result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po],
                        capture_output=True, text=True, env=dict(os.environ, LC_ALL="C", LANGUAGE=""))
print(result.stderr, end="")
if result.returncode != 0:
    sys.exit("msgfmt --check failed")
stats = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated) (?:message|translation)", result.stderr)}
if stats.get("translated", 0) == 0:
    sys.exit("no translated messages counted")
if stats.get("fuzzy", 0) or stats.get("untranslated", 0):
    sys.exit("%d fuzzy, %d untranslated" % (stats.get("fuzzy", 0), stats.get("untranslated", 0)))
