#!/usr/bin/env python3
# test-lint-cli.py: digest-desk-lint's command line as documented in its
# manual page: output formats, options, exit statuses and bad input.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-lint-cli.py LINT SAMPLE_DIR MAN_PAGE
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

LINT, SAMPLE, MAN = sys.argv[1:4]
del sys.argv[1:4]
ENV = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
CHECKS = ["prompt-leak", "placeholder", "untranslated", "number-mismatch", "omission",
          "truncated", "notation-variant", "glossary", "boilerplate", "register",
          "punctuation", "repeated-text", "score-consistency", "structure"]


def entry(body, **machine):
    fields = {
        "title": "新しいモデルを公開",
        "body": body,
        "tldr": "研究チームが新しいモデルを公開しました。",
        "tags": ["LLM"],
        "importance": {"overall": 3, "depth": 3, "relevance": 3, "practicality": 3, "innovation": 3},
        "key_points": [{"heading": "公開", "body": "新しいモデルを公開しました。"},
                       {"heading": "性能", "body": "性能が上がりました。"},
                       {"heading": "予定", "body": "来年に次の版を出します。"}],
        "impact_analysis": "研究者にとって役立ちます。",
    }
    fields.update(machine)
    return {
        "id": "test-entry",
        "kind": "article",
        "source": {"name": "Example", "url": "https://example.org/a", "published_at": None, "language": "en"},
        "collected_at": "2026-11-01T00:00:00Z",
        "analyzed_at": "2026-11-01T00:00:00Z",
        "reading_minutes": 1,
        "original": {"title": "A new model", "html": "<p>The team released a new model.</p>"},
        "machine": fields,
    }


class LintCliTest(unittest.TestCase):
    def run_lint(self, *args, data=None, raw=None):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "entry.json")
            if raw is not None:
                with open(path, "wb") as f:
                    f.write(raw)
            elif data is not None:
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(data, f, ensure_ascii=False)
            files = [path] if (raw is not None or data is not None) else []
            proc = subprocess.run([LINT, *args, *files], capture_output=True, env=ENV)
            return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"), path

    def test_clean_entry_exits_0(self):
        code, out, err, _ = self.run_lint(data=entry("研究チームは新しいモデルを公開しました。"))
        self.assertEqual(code, 0, out + err)
        self.assertEqual(out, "")

    def test_text_format_and_exit_1(self):
        code, out, err, path = self.run_lint(data=entry("以下が翻訳結果です。研究チームは新しいモデルを公開しました。"))
        self.assertEqual(code, 1, err)
        line = out.strip().splitlines()[0]
        self.assertRegex(line, r"^" + re.escape(path) + r":test-entry:body:1:1: error: \[prompt-leak\] .+")

    def test_japanese_messages(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "entry.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(entry("以下が翻訳結果です。研究チームは新しいモデルを公開しました。"), f, ensure_ascii=False)
            proc = subprocess.run([LINT, path], capture_output=True, env=dict(ENV, LANGUAGE="ja"))
        out = proc.stdout.decode("utf-8")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("エラー: [prompt-leak] 翻訳モデルへの指示", out)

    def test_warnings_only_exit_0(self):
        code, out, _, _ = self.run_lint(data=entry("研究チームは新しいモデルを公開しました。問題はありませんか?"))
        self.assertEqual(code, 0)
        self.assertIn("warning: [punctuation]", out)
        self.assertIn("(suggestion: ？)", out)

    def test_json_members(self):
        code, out, _, _ = self.run_lint("--json", data=entry("研究チームは⟦CODE_0⟧を公開しました。"))
        self.assertEqual(code, 1)
        findings = json.loads(out)
        self.assertEqual(len(findings), 1)
        f = findings[0]
        for member in ("entry", "check", "severity", "field", "start", "end", "line", "column",
                       "message", "suggestion"):
            self.assertIn(member, f)
        self.assertEqual((f["entry"], f["check"], f["severity"], f["field"]),
                         ("test-entry", "placeholder", "error", "body"))
        self.assertEqual((f["start"], f["end"], f["line"], f["column"]), (6, 14, 1, 7))
        self.assertEqual(f["text"], "⟦CODE_0⟧")

    def test_json_empty_array(self):
        code, out, _, _ = self.run_lint("--json", data=[entry("研究チームは新しいモデルを公開しました。")])
        self.assertEqual((code, json.loads(out)), (0, []))

    def test_house_style(self):
        data = entry("これは重要である。")
        self.assertIn("[register]", self.run_lint(data=data)[1])
        self.assertNotIn("[register]", self.run_lint("--house-style", "any", data=data)[1])
        data = entry("これは重要です。")
        self.assertIn("[register]", self.run_lint("--house-style", "de-aru", data=data)[1])
        code, _, err, _ = self.run_lint("--house-style", "kansai", data=data)
        self.assertEqual(code, 2)
        self.assertIn("house-style", err)

    def test_check_option(self):
        data = entry("以下が翻訳結果です。問題はありませんか?")
        out = self.run_lint("--check", "punctuation", data=data)[1]
        self.assertIn("[punctuation]", out)
        self.assertNotIn("[prompt-leak]", out)
        code, _, err, _ = self.run_lint("--check", "spelling", data=data)
        self.assertEqual(code, 2)
        self.assertIn("spelling", err)

    def test_glossary_files(self):
        data = entry("辺境モデルの規制が始まります。")
        self.assertNotIn("[glossary]", self.run_lint("--no-glossary", data=data)[1])
        with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False) as f:
            f.write("source,target,forbidden,note\nfrontier model,フロンティアモデル,辺境モデル,\n")
        try:
            code, out, err, _ = self.run_lint("--glossary", f.name, data=data)
        finally:
            os.unlink(f.name)
        self.assertEqual(code, 1, err)
        self.assertIn("[glossary]", out)
        self.assertIn("(suggestion: フロンティアモデル)", out)
        code, _, err, _ = self.run_lint("--glossary", "/nonexistent/glossary.json", data=data)
        self.assertEqual(code, 2)

    def test_glossary_beside_input(self):
        proc = subprocess.run([LINT, os.path.join(SAMPLE, "articles.json")], capture_output=True, env=ENV)
        self.assertIn("[glossary]", proc.stdout.decode("utf-8"))
        proc = subprocess.run([LINT, "--no-glossary", os.path.join(SAMPLE, "articles.json")],
                              capture_output=True, env=ENV)
        self.assertNotIn("[glossary]", proc.stdout.decode("utf-8"))

    def test_bad_input_exits_2_with_reason(self):
        cases = {
            "malformed JSON": b'{"id": "x",',
            "invalid UTF-8": b'{"id": "\xff\xfe"}',
            "deep nesting": b"[" * 100 + b"]" * 100,
            "not an object": b"[1, 2]",
            "missing members": b'{"id": "x"}',
            "wrong types": json.dumps(dict(entry("本文。"), reading_minutes="many")).encode(),
        }
        for name, raw in cases.items():
            with self.subTest(case=name):
                code, out, err, path = self.run_lint(raw=raw)
                self.assertEqual(code, 2, out)
                self.assertTrue(err.startswith("digest-desk-lint: " + path + ": "), err)
                self.assertGreater(len(err.strip()), len("digest-desk-lint: " + path + ": ") + 3)
        proc = subprocess.run([LINT, "/nonexistent.json"], capture_output=True, env=ENV)
        self.assertEqual(proc.returncode, 2)
        proc = subprocess.run([LINT], capture_output=True, env=ENV)
        self.assertEqual(proc.returncode, 2)

    def test_manual_page_documents_every_check_and_option(self):
        with open(MAN, encoding="utf-8") as f:
            page = f.read().replace("\\-", "-")
        for check in CHECKS:
            self.assertIn(".B " + check, page)
        help_text = subprocess.run([LINT, "--help"], capture_output=True, env=ENV).stdout.decode()
        for option in re.findall(r"(--[a-z][a-z-]+)", help_text):
            if option != "--help":
                self.assertIn(option, page)


if __name__ == "__main__":
    unittest.main()
