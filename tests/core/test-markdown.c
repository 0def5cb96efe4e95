/* test-markdown.c: tests of desk_markdown_to_html() and desk_markdown_split_blocks()
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "desk-core.h"

static void
test_safe_mode (void)
{
  const char *md =
    "<script>alert(1)</script>\n\n"
    "Text <img src=x onerror=alert(2)> and <b>bold</b>.\n\n"
    "[a](javascript:alert(3)) [b](JAVASCRIPT:alert(4)) [c](vbscript:x) [d](file:///etc/passwd) "
    "[e](java&#x09;script:alert(5)) [f](https://example.org/ok) [g](mailto:x@example.org) "
    "[h](data:text/html;base64,PHNjcmlwdD4=) [i]( DATA:image/png;base64,iVBORw0KGgo=)\n\n"
    "![chart](data:image/png;base64,iVBORw0KGgo=)\n";
  g_autofree char *html = desk_markdown_to_html (md, -1, DESK_MARKDOWN_DEFAULT);
  g_autofree char *lower = g_ascii_strdown (html, -1);

  g_assert_null (strstr (lower, "<script"));
  g_assert_null (strstr (lower, "src=x"));
  g_assert_null (strstr (lower, "<b>"));
  g_assert_null (strstr (lower, "onerror"));
  g_assert_null (strstr (lower, "javascript:"));
  g_assert_null (strstr (lower, "vbscript:"));
  g_assert_null (strstr (lower, "file:"));
  g_assert_null (strstr (lower, "href=\"data:"));
  /* Every link target left either has an allowed scheme or none at all
   * (cmark percent-encodes the tab of "java&#x09;script:", making it a
   * relative path). */
  {
    g_autoptr(GRegex) href = g_regex_new ("href=\"([^\"]*)\"", 0, 0, NULL);
    g_autoptr(GMatchInfo) match = NULL;
    guint n = 0;

    g_regex_match (href, html, 0, &match);
    for (; g_match_info_matches (match); g_match_info_next (match, NULL), n++)
      {
        g_autofree char *value = g_match_info_fetch (match, 1);
        const char *scheme = g_uri_peek_scheme (value);

        g_assert_true (scheme == NULL || strcmp (scheme, "https") == 0 || strcmp (scheme, "mailto") == 0);
      }
    g_assert_cmpuint (n, ==, 9);
  }
  g_assert_nonnull (strstr (html, "<a href=\"\">h</a>"));
  g_assert_nonnull (strstr (html, "<a href=\"\">i</a>"));
  g_assert_null (strstr (html, "base64,PHNjcmlwdD4"));
  /* An inline image is the one data: target left; the preview's CSP
   * allows data: images and nothing else. */
  g_assert_nonnull (strstr (html, "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"chart\" />"));
  g_assert_nonnull (strstr (html, "<a href=\"https://example.org/ok\">f</a>"));
  g_assert_nonnull (strstr (html, "<a href=\"mailto:x@example.org\">g</a>"));
  g_assert_nonnull (strstr (html, "<a href=\"\">a</a>"));
}

static void
test_japanese (void)
{
  const char *md =
    "## 見出し\n\n"
    "「スタートアップ」の\"引用\"と--ダッシュ...、*強調*と`コード`。\n"
    "改行のあとの文。\n";
  g_autofree char *html = desk_markdown_to_html (md, -1, DESK_MARKDOWN_DEFAULT);

  g_assert_cmpstr (html, ==,
                   "<h2>見出し</h2>\n"
                   "<p>「スタートアップ」の&quot;引用&quot;と--ダッシュ...、<em>強調</em>と<code>コード</code>。\n"
                   "改行のあとの文。</p>\n");
}

static void
test_sourcepos_and_invalid (void)
{
  g_autofree char *html = desk_markdown_to_html ("# T\n\npara\n", -1, DESK_MARKDOWN_SOURCEPOS);
  g_autofree char *bad = desk_markdown_to_html ("a\xff" "b", 3, DESK_MARKDOWN_DEFAULT);

  g_assert_nonnull (strstr (html, "<h1 data-sourcepos=\"1:1-1:3\">T</h1>"));
  g_assert_nonnull (strstr (html, "<p data-sourcepos=\"3:1-3:4\">para</p>"));
  g_assert_true (g_utf8_validate (bad, -1, NULL));
  g_assert_cmpstr (bad, ==, "<p>a\xef\xbf\xbd" "b</p>\n");
}

typedef struct {
  DeskBlockKind  kind;
  const char    *text;  /* the exact bytes of the span */
} Expected;

static void
check_split (const char     *md,
             const Expected *expected,
             guint           n_expected)
{
  g_autoptr(GArray) spans = desk_markdown_split_blocks (md, -1);

  g_assert_cmpuint (spans->len, ==, n_expected);
  for (guint i = 0; i < spans->len; i++)
    {
      const DeskSpan *s = &g_array_index (spans, DeskSpan, i);
      g_autofree char *got = g_strndup (md + s->start, s->end - s->start);
      g_autofree char *before = g_strndup (md, s->start);
      guint line = 0;

      g_assert_cmpstr (got, ==, expected[i].text);
      g_assert_cmpint (s->kind, ==, expected[i].kind);
      /* Code-point offsets agree with the byte offsets. */
      g_assert_cmpuint (s->cp_start, ==, g_utf8_strlen (md, s->start));
      g_assert_cmpuint (s->cp_end - s->cp_start, ==, g_utf8_strlen (got, -1));
      for (const char *p = before; *p != '\0'; p++)
        line += *p == '\n';
      g_assert_cmpuint (s->line_start, ==, line);
      for (const char *p = got; *p != '\0'; p++)
        line += *p == '\n';
      g_assert_cmpuint (s->line_end, ==, line);
    }
}

static void
test_split (void)
{
  const char *md =
    "# 見出しです\n"
    "最初の段落の一行目。\n"
    "二行目、English words 混じり。\n"
    "\n"
    "\n"
    "- 項目一\n"
    "\n"
    "- 項目二\n"
    "  続き\n"
    "\n"
    "```python\n"
    "x = 1\n"
    "\n"
    "\n"
    "y = 2\n"
    "```\n"
    "> 引用の\n"
    "続き\n"
    "\n"
    "---\n"
    "\n"
    "最後の段落🎉です。  \n";
  static const Expected expected[] = {
    { DESK_BLOCK_HEADING, "# 見出しです" },
    { DESK_BLOCK_PARAGRAPH, "最初の段落の一行目。\n二行目、English words 混じり。" },
    { DESK_BLOCK_LIST, "- 項目一\n\n- 項目二\n  続き" },
    { DESK_BLOCK_CODE, "```python\nx = 1\n\n\ny = 2\n```" },
    { DESK_BLOCK_QUOTE, "> 引用の\n続き" },
    { DESK_BLOCK_PARAGRAPH, "最後の段落🎉です。" },
  };

  check_split (md, expected, G_N_ELEMENTS (expected));
}

static void
test_split_edges (void)
{
  static const Expected crlf[] = {
    { DESK_BLOCK_PARAGRAPH, "一つ目\r\n続き" },
    { DESK_BLOCK_HEADING, "## 二つ目" },
    { DESK_BLOCK_PARAGRAPH, "三つ目" },
  };
  static const Expected indented[] = {
    { DESK_BLOCK_PARAGRAPH, "段落" },
    { DESK_BLOCK_CODE, "code\n\n        more" },
    { DESK_BLOCK_OTHER, "<div>\nraw\n</div>" },
    { DESK_BLOCK_HEADING, "Setext\n======" },
  };
  static const Expected unclosed[] = {
    { DESK_BLOCK_PARAGRAPH, "前" },
    { DESK_BLOCK_CODE, "```\n閉じない\n\nコード" },
  };
  g_autoptr(GArray) empty = desk_markdown_split_blocks ("", -1);
  g_autoptr(GArray) blank = desk_markdown_split_blocks ("\n \n\t\n", -1);

  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (blank->len, ==, 0);
  check_split ("一つ目\r\n続き\r\n\r\n## 二つ目\r\n三つ目", crlf, G_N_ELEMENTS (crlf));
  check_split ("段落\n\n    code\n\n        more\n\n<div>\nraw\n</div>\n\nSetext\n======\n", indented, G_N_ELEMENTS (indented));
  check_split ("前\n\n```\n閉じない\n\nコード\n\n", unclosed, G_N_ELEMENTS (unclosed));
}

/* Every index of desk_markdown_split_blocks() is on exactly one element, in
 * order, and the element is the block's own. */
static void
test_block_ids (void)
{
  const char *md =
    "# 見出し\n"
    "段落と[参照リンク][r]。\n"
    "\n"
    "---\n"
    "\n"
    "- 項目一\n"
    "\n"
    "- 項目二\n"
    "\n"
    "<iframe src=\"https://example.org/x\"></iframe>\n"
    "\n"
    "```\n"
    "a\n"
    "\n"
    "b\n"
    "```\n"
    "> 引用\n"
    "\n"
    "[r]: https://example.org/ref\n";
  g_autofree char *html = desk_markdown_to_html (md, -1, DESK_MARKDOWN_BLOCK_IDS);
  g_autofree char *both = desk_markdown_to_html (md, -1, DESK_MARKDOWN_BLOCK_IDS | DESK_MARKDOWN_SOURCEPOS);
  g_autofree char *plain = desk_markdown_to_html ("a\n\nb\n", -1, DESK_MARKDOWN_DEFAULT);
  g_autoptr(GArray) spans = desk_markdown_split_blocks (md, -1);

  g_assert_cmpuint (spans->len, ==, 6);
  g_assert_cmpstr (html, ==,
                   "<h1 data-block=\"0\">見出し</h1>\n"
                   "<p data-block=\"1\">段落と<a href=\"https://example.org/ref\">参照リンク</a>。</p>\n"
                   "<hr />\n"
                   "<ul data-block=\"2\">\n<li>\n<p>項目一</p>\n</li>\n<li>\n<p>項目二</p>\n</li>\n</ul>\n"
                   "<div data-block=\"3\"></div>\n<!-- raw HTML omitted -->\n"
                   "<pre data-block=\"4\"><code>a\n\nb\n</code></pre>\n"
                   "<blockquote data-block=\"5\">\n<p>引用</p>\n</blockquote>\n");
  g_assert_nonnull (strstr (both, "<h1 data-block=\"0\" data-sourcepos=\"1:1-1:11\">"));
  g_assert_nonnull (strstr (both, "<blockquote data-block=\"5\" data-sourcepos=\"17:1-17:8\">"));
  g_assert_null (strstr (plain, "data-block"));
}

static void
test_no_remote_images (void)
{
  const char *md =
    "![a *chart* `x`](https://example.org/c.png \"t\") ![](x.png) "
    "![outer ![inner](https://example.org/i.png)](https://example.org/o.png) "
    "![kept](data:image/png;base64,iVBORw0KGgo=) ![svg](data:image/svg+xml;base64,PHN2Zz4=) [![linked](http://example.org/l.png)](https://example.org/)\n";
  g_autofree char *html = desk_markdown_to_html (md, -1, DESK_MARKDOWN_NO_REMOTE_IMAGES);
  g_autofree char *plain = desk_markdown_to_html (md, -1, DESK_MARKDOWN_DEFAULT);

  g_assert_cmpstr (html, ==,
                   "<p>[Image: a chart x]  [Image: outer inner] "
                   "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"kept\" /> [Image: svg] "
                   "<a href=\"https://example.org/\">[Image: linked]</a></p>\n");
  /* Without the flag, safe mode keeps them (the preview's CSP blocks them). */
  g_assert_nonnull (strstr (plain, "<img src=\"https://example.org/c.png\""));
}

/* The line scanner agrees with cmark's blocks, on every kind of block and
 * on the sample corpus. */
static void
assert_same_blocks (const char *md)
{
  g_autoptr(GArray) a = desk_markdown_split_blocks (md, -1);
  g_autoptr(GArray) b = desk_markdown_scan_blocks (md, -1);

  g_test_message ("markdown: %s", md);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint k = 0; k < a->len; k++)
    {
      const DeskSpan *x = &g_array_index (a, DeskSpan, k), *y = &g_array_index (b, DeskSpan, k);

      g_assert_cmpuint (x->start, ==, y->start);
      g_assert_cmpuint (x->end, ==, y->end);
      g_assert_cmpuint (x->cp_start, ==, y->cp_start);
      g_assert_cmpuint (x->cp_end, ==, y->cp_end);
      g_assert_cmpuint (x->line_start, ==, y->line_start);
      g_assert_cmpuint (x->line_end, ==, y->line_end);
      g_assert_cmpint (x->kind, ==, y->kind);
      g_assert_cmpuint (x->level, ==, y->level);
    }
}

static void
test_scan_matches_split (void)
{
  static const char * const cases[] = {
    "",
    "段落です。",
    "一行目\n二行目\n\n二つ目の段落",
    "# 見出し\n本文です。\n\n## 二つ目\n\n本文。",
    "見出し\n===\n\n小見出し\n---\n\n本文。",
    "- 一つ目\n- 二つ目\n- 三つ目\n\n後の段落。",
    "- 一つ目\n\n- 二つ目\n\n  続きの段落\n\n後の段落。",
    "1. 一\n2. 二\n\n本文。",
    "本文の途中\n- 箇条書きが割り込む",
    "本文の途中\n2. 番号は割り込まない",
    "> 引用です。\n> 続き。\n遅延継続の行\n\n本文。",
    "```\ncode\n\nmore code\n```\n\n本文。",
    "~~~python\nx = 1\n~~~\n本文。",
    "````\n```\n````\n",
    "```\n閉じないコード\n\n段落",
    "    indented code\n    more\n\n本文。",
    "本文\n\n---\n\n次の本文。",
    "<div>\nhtml block\n</div>\n\n本文。",
    "行末の空白   \n\n本文\t",
    "CRLF の段落\r\n二行目\r\n\r\n次\r\n",
    "* 星印\n+ 足し算\n",
    "#見出しではない\n\n####### 七つは見出しではない",
    "   # 字下げした見出し\n本文",
  };
  const char *sample = g_getenv ("DESK_SAMPLE_DIR");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_same_blocks (cases[i]);

  if (sample != NULL)
    for (guint f = 0; f < 2; f++)
      {
        g_autofree char *path = g_build_filename (sample, f ? "papers-and-videos.json" : "articles.json", NULL);
        g_autofree char *data = NULL;
        g_autoptr(JsonNode) node = NULL;
        JsonArray *array;

        g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
        node = json_from_string (data, NULL);
        array = json_node_get_array (node);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonObject *entry = json_array_get_object_element (array, i);
            JsonObject *machine = json_object_get_object_member (entry, "machine");

            assert_same_blocks (json_object_get_string_member (machine, "body"));
            if (json_object_has_member (entry, "body"))
              assert_same_blocks (json_object_get_string_member (entry, "body"));
          }
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/markdown/safe-mode", test_safe_mode);
  g_test_add_func ("/markdown/japanese", test_japanese);
  g_test_add_func ("/markdown/sourcepos-and-invalid", test_sourcepos_and_invalid);
  g_test_add_func ("/markdown/split", test_split);
  g_test_add_func ("/markdown/split-edges", test_split_edges);
  g_test_add_func ("/markdown/scan-matches-split", test_scan_matches_split);
  g_test_add_func ("/markdown/block-ids", test_block_ids);
  g_test_add_func ("/markdown/no-remote-images", test_no_remote_images);

  return g_test_run ();
}
