#!/usr/bin/env python3
# test-icons.py: the app icons are well-formed SVG that render, and the symbolic one can be recolored.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

TOP = os.environ.get("DESK_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ICONS = os.path.join(TOP, "data", "icons", "hicolor")
APP = os.path.join(ICONS, "scalable", "apps", "io.github.digestdesk.DigestDesk.svg")
SYMBOLIC = os.path.join(ICONS, "symbolic", "apps", "io.github.digestdesk.DigestDesk-symbolic.svg")
SVG = "{http://www.w3.org/2000/svg}"


class IconTest(unittest.TestCase):
    def test_sizes(self):
        for path, size in ((APP, "128"), (SYMBOLIC, "16")):
            root = ET.parse(path).getroot()
            self.assertEqual(root.tag, SVG + "svg")
            self.assertEqual((root.get("width"), root.get("height")), (size, size), path)
            self.assertEqual(root.get("viewBox"), "0 0 %s %s" % (size, size), path)

    def test_no_text_or_images(self):
        # Glyphs are paths: a font may be missing where the icon is shown.
        for path in (APP, SYMBOLIC):
            root = ET.parse(path).getroot()
            for tag in ("text", "image", "use"):
                self.assertIsNone(root.find(".//" + SVG + tag), path)

    def test_symbolic_fills_only(self):
        # GTK recolors a symbolic icon by its fills; strokes would keep their color.
        for element in ET.parse(SYMBOLIC).getroot().iter():
            self.assertIn(element.get("stroke", "none"), ("none",), element.attrib)

    @unittest.skipUnless(shutil.which("rsvg-convert"), "librsvg2-bin is not installed")
    def test_render(self):
        with tempfile.TemporaryDirectory() as tmp:
            for path in (APP, SYMBOLIC):
                out = os.path.join(tmp, "icon.png")
                subprocess.run(["rsvg-convert", "-w", "64", "-h", "64", "-o", out, path], check=True)
                self.assertGreater(os.path.getsize(out), 100)


if __name__ == "__main__":
    unittest.main()
