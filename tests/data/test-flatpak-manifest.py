#!/usr/bin/env python3
# test-flatpak-manifest.py: the Flatpak manifest targets GNOME 48, asks for no more than it needs and pins every source.
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import re
import unittest

TOP = os.environ.get("DESK_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFEST = os.path.join(TOP, "build-aux", "flatpak", "io.github.digestdesk.DigestDesk.json")
ALLOWED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}


class FlatpakManifestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(MANIFEST, encoding="utf-8") as f:
            cls.manifest = json.load(f)

    def test_application(self):
        m = self.manifest
        self.assertEqual(m.get("app-id") or m.get("id"), "io.github.digestdesk.DigestDesk")
        self.assertEqual(m["runtime"], "org.gnome.Platform")
        self.assertEqual(m["sdk"], "org.gnome.Sdk")
        self.assertEqual(m["runtime-version"], "48")
        self.assertEqual(m["command"], "digest-desk")

    def test_finish_args(self):
        args = self.manifest["finish-args"]
        self.assertEqual(len(args), len(set(args)), "duplicate finish-args")
        self.assertEqual(set(args), ALLOWED_FINISH_ARGS)

    def test_sources_pinned(self):
        for module in self.manifest["modules"]:
            self.assertIsInstance(module, dict, "modules are inline, so that their sources are checked here")
            self.assertTrue(module["sources"], module["name"] + " has no sources")
            for source in module["sources"]:
                with self.subTest(module=module["name"], source=source):
                    kind = source["type"]
                    if kind == "archive" or kind == "file":
                        self.assertTrue(source["url"].startswith("https://"))
                        self.assertRegex(source.get("sha256", ""), r"^[0-9a-f]{64}$")
                    elif kind == "git":
                        self.assertTrue(source["url"].startswith("https://"))
                        self.assertTrue(source.get("tag"), "a git source names its tag")
                        self.assertRegex(source.get("commit", ""), r"^[0-9a-f]{40}$")
                        self.assertNotIn("branch", source)
                    elif kind == "dir":
                        # Only the application itself is built from the tree.
                        self.assertIs(module, self.manifest["modules"][-1])
                    else:
                        self.fail("source type %s cannot be checked for pinning" % kind)

    def test_app_module_last(self):
        app = self.manifest["modules"][-1]
        self.assertEqual(app["name"], "digest-desk")
        self.assertEqual(app["buildsystem"], "meson")
        self.assertEqual(app["sources"], [{"type": "dir", "path": "../.."}])
        # The tests need a display and tools the SDK build does not have.
        self.assertIn("-Dtests=false", app.get("config-opts", []))
        path = os.path.normpath(os.path.join(os.path.dirname(MANIFEST), "../.."))
        self.assertTrue(os.path.isfile(os.path.join(path, "meson.build")))

    def test_no_module_the_runtime_has(self):
        # The GNOME 48 runtime ships these; bundling them would shadow it.
        in_runtime = {"gtk", "libadwaita", "webkitgtk", "libsoup", "json-glib", "gtksourceview",
                      "libsecret", "libxml2", "sqlite", "glib"}
        for module in self.manifest["modules"]:
            name = re.sub(r"[-_]?[0-9.]+$", "", module["name"].lower())
            self.assertNotIn(name, in_runtime)


if __name__ == "__main__":
    unittest.main()
