#!/usr/bin/env python3
# test-launcher.py: digest-desk's launcher without a display, and without its application module
# SPDX-License-Identifier: GPL-3.0-or-later
"""The launcher (src/main.c) opens the display before it runs the
application module; when it cannot, the application says so and exits as
gtk_init () would, and what needs no display (--help) still works. When
the module is missing, the launcher says so and which places it tried."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

BUILD = os.environ["DESK_BUILD_DIR"]
APP = os.path.join(BUILD, "src", "digest-desk")


def installed_module():
    with open(os.path.join(BUILD, "meson-info", "intro-buildoptions.json"), encoding="utf-8") as f:
        options = {o["name"]: o["value"] for o in json.load(f)}
    return os.path.join(options["prefix"], options["libdir"], "digest-desk", "libdigest-desk-app.so")


def without_display():
    env = dict(os.environ, LANGUAGE="C")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


class LauncherTest(unittest.TestCase):
    def test_no_display(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = subprocess.run([APP, "--store=" + os.path.join(tmp, "store.db"),
                                     "--site=http://127.0.0.1:9/"],
                                    env=without_display(), capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("cannot open a display", result.stderr)
        self.assertNotIn("CRITICAL", result.stderr)

    def test_help_without_display(self):
        result = subprocess.run([APP, "--help"], env=without_display(), capture_output=True, text=True,
                                timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("--demo", result.stdout)

    def test_module_missing(self):
        with tempfile.TemporaryDirectory() as tmp:
            alone = os.path.join(tmp, "digest-desk")
            shutil.copy(APP, alone)
            result = subprocess.run([alone, "--help"], env=dict(os.environ, LANGUAGE="C"),
                                    capture_output=True, text=True, timeout=60)
        if os.path.exists(installed_module()):
            # An installed copy is found where the launcher looks next.
            self.assertEqual(result.returncode, 0, result.stderr)
            return
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn("could not be loaded", result.stderr)
        self.assertIn(tmp, result.stderr)
        self.assertIn(os.path.dirname(installed_module()), result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
