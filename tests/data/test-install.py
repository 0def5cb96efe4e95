#!/usr/bin/env python3
# test-install.py: `meson install --destdir` puts the app, its data, translations and manual pages in place.
# SPDX-License-Identifier: GPL-3.0-or-later
import configparser
import json
import os
import subprocess
import tempfile
import unittest

BUILD = os.environ["DESK_BUILD_DIR"]
APP_ID = "io.github.digestdesk.DigestDesk"


def installed_prefix():
    with open(os.path.join(BUILD, "meson-info", "intro-buildoptions.json"), encoding="utf-8") as f:
        options = {o["name"]: o["value"] for o in json.load(f)}
    return options


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        env = dict(os.environ)
        env.pop("DESTDIR", None)
        result = subprocess.run(["meson", "install", "-C", BUILD, "--destdir", cls.tmp.name, "--no-rebuild",
                                 "--quiet"], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise AssertionError("meson install failed:\n" + result.stdout + result.stderr)
        options = installed_prefix()
        prefix = options["prefix"].lstrip("/")
        cls.root = os.path.join(cls.tmp.name, prefix)
        cls.bindir = os.path.join(cls.root, options["bindir"])
        cls.datadir = os.path.join(cls.root, options["datadir"])
        cls.localedir = os.path.join(cls.root, options["localedir"])
        cls.mandir = os.path.join(cls.root, options["mandir"])
        cls.pkglibdir = os.path.join(cls.root, options["libdir"], "digest-desk")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assertFile(self, *parts):
        path = os.path.join(*parts)
        self.assertTrue(os.path.isfile(path), path + " was not installed")
        self.assertGreater(os.path.getsize(path), 0, path)
        return path

    def test_binaries(self):
        for name in ("digest-desk", "digest-site"):
            path = self.assertFile(self.bindir, name)
            self.assertTrue(os.access(path, os.X_OK), path)

    def test_preview_module(self):
        """WebKit is in the preview module, loaded after the first frame; the
        app itself does not link it (that cost every start 40 ms)."""
        module = self.assertFile(self.pkglibdir, "libdesk-preview.so")
        symbols = subprocess.run(["nm", "-D", "--defined-only", module], capture_output=True, text=True, check=True)
        self.assertIn("desk_preview_get_ops", symbols.stdout)
        needed = subprocess.run(["readelf", "-d", os.path.join(self.bindir, "digest-desk")],
                                capture_output=True, text=True, check=True).stdout
        self.assertIn("libgtk-4", needed)
        self.assertNotIn("webkit", needed)
        self.assertNotIn("javascriptcore", needed)
        self.assertIn("webkitgtk-6.0", subprocess.run(["readelf", "-d", module], capture_output=True,
                                                      text=True, check=True).stdout)

    def test_app_module(self):
        """The application is a module its launcher loads beside opening the
        display; the launcher links GTK, and the libraries only the app uses
        are the module's."""
        module = self.assertFile(self.pkglibdir, "libdigest-desk-app.so")
        symbols = subprocess.run(["nm", "-D", "--defined-only", module], capture_output=True, text=True, check=True)
        self.assertIn("desk_app_main", symbols.stdout)
        launcher = subprocess.run(["readelf", "-d", os.path.join(self.bindir, "digest-desk")],
                                  capture_output=True, text=True, check=True).stdout
        needed = subprocess.run(["readelf", "-d", module], capture_output=True, text=True, check=True).stdout
        for library in ("libadwaita", "libsoup", "libsqlite3", "libsecret", "libgtksourceview", "libxml2",
                        "libjson-glib", "libcmark"):
            self.assertNotIn(library, launcher)
            self.assertIn(library, needed)
        self.assertNotIn("webkit", needed)

    def test_desktop_file(self):
        path = self.assertFile(self.datadir, "applications", APP_ID + ".desktop")
        desktop = configparser.ConfigParser(interpolation=None, strict=False)
        desktop.optionxform = str
        desktop.read(path, encoding="utf-8")
        entry = desktop["Desktop Entry"]
        self.assertEqual(entry["Icon"], APP_ID)
        self.assertIn("Comment[ja]", entry)
        self.assertIn("Keywords[ja]", entry)
        if entry.get("DBusActivatable") == "true":
            service = self.assertFile(self.datadir, "dbus-1", "services", APP_ID + ".service")
            with open(service, encoding="utf-8") as f:
                text = f.read()
            self.assertIn("Name=" + APP_ID, text)
            self.assertIn("/digest-desk --gapplication-service", text)

    def test_metainfo(self):
        self.assertFile(self.datadir, "metainfo", APP_ID + ".metainfo.xml")

    def test_schema(self):
        self.assertFile(self.datadir, "glib-2.0", "schemas", APP_ID + ".gschema.xml")

    def test_icons(self):
        hicolor = os.path.join(self.datadir, "icons", "hicolor")
        self.assertFile(hicolor, "scalable", "apps", APP_ID + ".svg")
        self.assertFile(hicolor, "symbolic", "apps", APP_ID + "-symbolic.svg")

    def test_translations(self):
        self.assertFile(self.localedir, "ja", "LC_MESSAGES", "digest-desk.mo")

    def test_man_pages(self):
        for name in ("digest-desk", "digest-site"):
            self.assertFile(self.mandir, "man1", name + ".1")

    def test_sample_corpus(self):
        # The demo of an installed app seeds its site from here.
        self.assertFile(self.datadir, "digest-desk", "sample", "articles.json")


if __name__ == "__main__":
    unittest.main()
