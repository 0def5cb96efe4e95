/* test-sanitize.c: hostile-input and segmenting tests of desk_sanitize_html()
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>
#include <string.h>

#include "desk-core.h"

#define CSP_META "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"

/* The body of a sanitized document: everything after <body>. */
static const char *
body_of (const char *doc)
{
  const char *body = strstr (doc, "<body>");

  g_assert_nonnull (body);
  return body + strlen ("<body>");
}

/* The invariants every sanitized document must hold, whatever went in. */
static void
assert_safe (const char *doc)
{
  g_autoptr(GRegex) handler = g_regex_new ("\\bon[a-z]+\\s*=", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) hrefs = g_regex_new (" href=\"(https?://|mailto:)[^\"]*\"", 0, 0, NULL);
  g_autofree char *lower = g_ascii_strdown (doc, -1);
  g_autofree char *without_hrefs = NULL;
  g_autofree char *body_lower = NULL;
  const char *head;
  const char *lower_body;

  g_assert_true (g_utf8_validate (doc, -1, NULL));
  lower_body = body_of (lower);

  head = strstr (doc, "<head>");
  g_assert_nonnull (head);
  g_assert_true (g_str_has_prefix (head + strlen ("<head>"), CSP_META));
  /* Exactly one <head>, one CSP, nothing before it that could load. */
  g_assert_null (strstr (head + 1, "<head>"));

  g_assert_null (strstr (lower, "<script"));
  g_assert_null (strstr (lower, "<iframe"));
  g_assert_null (strstr (lower, "<object"));
  g_assert_null (strstr (lower, "<embed"));
  g_assert_null (strstr (lower, "<svg"));
  g_assert_null (strstr (lower, "<math"));
  g_assert_null (strstr (lower, "<form"));
  g_assert_null (strstr (lower, "<input"));
  g_assert_null (strstr (lower, "<button"));
  g_assert_null (strstr (lower, "<link"));
  g_assert_null (strstr (lower, "<base"));
  g_assert_null (strstr (lower, "<img"));
  g_assert_null (strstr (lower, "<template"));
  g_assert_null (strstr (lower, "<noscript"));
  g_assert_null (strstr (lower, "url("));
  g_assert_null (strstr (lower, "@import"));
  g_assert_null (strstr (lower, "@font-face"));
  g_assert_null (strstr (lower, "src="));
  g_assert_null (strstr (lower, "srcset"));
  g_assert_null (strstr (lower, "style=\""));
  g_assert_null (strstr (lower, "formaction"));
  g_assert_null (strstr (lower, "javascript:"));
  g_assert_null (strstr (lower, "vbscript:"));
  g_assert_null (strstr (lower, "<!--"));
  g_assert_false (g_regex_match (handler, doc, 0, NULL));

  /* The only <meta> tags are ours, in the head. */
  g_assert_null (strstr (lower_body, "<meta"));
  g_assert_null (strstr (lower_body, "<style"));

  /* "http" appears in the body only inside allowed href values. */
  without_hrefs = g_regex_replace_literal (hrefs, body_of (doc), -1, 0, "", 0, NULL);
  body_lower = g_ascii_strdown (without_hrefs, -1);
  g_assert_null (strstr (body_lower, "http"));
  g_assert_null (strstr (body_lower, "data:"));
  g_assert_null (strstr (body_lower, "file:"));
}

static char *
sanitize_ok (const char *html,
             gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *out = desk_sanitize_html (html, len, DESK_SANITIZE_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  assert_safe (out);
  return out;
}

typedef struct {
  const char *name;
  const char *html;
  const char *kept;       /* must survive, may be NULL */
  const char *gone;       /* must not appear (case-insensitive), may be NULL */
} HostileCase;

static const HostileCase hostile_cases[] = {
  { "script", "<p>Before</p><script>alert('pwned')</script><p>After</p>", "After", "pwned" },
  { "script-in-p", "<p>Keep <script>document.write('evil')</script>me</p>", "Keep", "evil" },
  { "script-uppercase", "<SCRIPT SRC=//example.net/x.js></SCRIPT><P>Text</P>", "Text", "example.net" },
  { "inline-handlers", "<p onclick=\"steal()\" onmouseover='x()'>Hover</p><a href=\"https://example.org/a\" onfocus=go()>link</a>",
    "href=\"https://example.org/a\"", "steal" },
  { "img-onerror", "<img src=x onerror=\"fetch('//example.net/p')\" alt=\"A chart\"><p>Body</p>", "[Image: A chart]", "fetch" },
  { "href-javascript", "<a href=\"javascript:alert(1)\">j</a>", ">j</a>", "alert" },
  { "href-javascript-mixed-case", "<a href=\"JaVaScRiPt:alert(2)\">j</a>", ">j</a>", "alert" },
  { "href-javascript-whitespace", "<a href=\"  \tjavascript:alert(3)\">j</a>", ">j</a>", "alert" },
  { "href-javascript-entity-tab", "<a href=\"jav&#x09;ascript:alert(4)\">j</a>", ">j</a>", "alert" },
  { "href-javascript-entity-newline", "<a href=\"jav&#10;ascript&colon;alert(5)\">j</a>", ">j</a>", "alert" },
  { "href-javascript-entity-letters", "<a href=\"&#106;&#97;&#118;&#97;script:alert(6)\">j</a>", ">j</a>", "alert" },
  { "href-data", "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a>", ">d</a>", "base64" },
  { "href-file", "<a href=\"file:///etc/passwd\">f</a>", ">f</a>", "passwd" },
  { "href-vbscript", "<a href=\"vbscript:msgbox(1)\">v</a>", ">v</a>", "msgbox" },
  { "href-relative", "<a href=\"/local/path\">r</a>", ">r</a>", "/local/path" },
  { "href-protocol-relative", "<a href=\"//example.net/x\">r</a>", ">r</a>", "example.net" },
  { "href-http-ok", "<a href=\" HTTPS://example.org/ok \">ok</a>", "href=\"https://example.org/ok\"", NULL },
  { "href-mailto-ok", "<a href=\"mailto:desk@example.org\">m</a>", "href=\"mailto:desk@example.org\"", NULL },
  { "iframe", "<iframe src=\"https://example.net/embed\">inner text</iframe><p>Visible</p>", "Visible", "inner text" },
  { "object-embed", "<object data=\"x.swf\"><param name=movie value=x.swf><embed src=x.swf>fallback</object><p>Visible</p>", "Visible", "fallback" },
  { "svg-script", "<svg><script>alert(7)</script><a xlink:href=\"javascript:alert(8)\"><text>svgtext</text></a></svg><p>Visible</p>", "Visible", "svgtext" },
  { "math", "<math><maction actiontype=statusline xlink:href=javascript:alert(9)>mathtext</maction></math><p>Visible</p>", "Visible", "mathtext" },
  { "meta-refresh", "<meta http-equiv=\"refresh\" content=\"0; url=https://example.net/\"><p>Visible</p>", "Visible", "refresh" },
  { "base-href", "<base href=\"https://example.net/\"><p><a href=\"x\">rel</a></p>", ">rel</a>", "example.net" },
  { "link-prefetch", "<link rel=prefetch href=\"https://example.net/a\"><link rel=preload href=\"https://example.net/b\" as=script>"
                     "<link rel=dns-prefetch href=\"//example.net\"><link rel=stylesheet href=\"https://example.net/c.css\"><p>Visible</p>",
    "Visible", "example.net" },
  { "style-element", "<style>@import url(https://example.net/a.css); @font-face { src: url(f.woff) } body { background: url(x.png) }</style><p>Visible</p>",
    "Visible", "example.net" },
  { "style-attribute", "<div style=\"background-image: url('https://example.net/b.png')\"><p>Visible</p></div>", "Visible", "example.net" },
  { "srcset", "<img srcset=\"https://example.net/a.png 1x, b.png 2x\" alt=\"\"><picture><source srcset=\"c.webp\"></picture><p>Visible</p>", "Visible", "webp" },
  { "form", "<form action=\"https://example.net/steal\"><input name=q value=secret><button formaction=\"https://example.net/x\">Go</button></form><p>Visible</p>",
    "Visible", "secret" },
  { "button-outside-form", "<button formaction=\"https://example.net/x\" onclick=\"x()\">Press</button><p>Visible</p>", "Visible", "Press" },
  { "conditional-comment", "<!--[if IE]><script>alert(10)</script><p>ie only</p><![endif]--><p>Visible</p>", "Visible", "ie only" },
  { "template-noscript", "<template><p>tpl</p></template><noscript><p>nojs</p></noscript><p>Visible</p>", "Visible", "nojs" },
  { "unclosed-tags", "<p>one<p>two<div><span><b>three<a href=\"https://example.org/\">four", "four", NULL },
  { "text-escaping", "<p>a &lt;script&gt; b &amp; c &quot;d&quot;</p><p title='x\"><script>'>t</p>",
    "a &lt;script&gt; b &amp; c &quot;d&quot;", NULL },
  { "attribute-allowlist", "<p lang=\"en\" dir=\"RTL\" class=\"x\" id=\"y\" data-x=\"z\" title=\"Tip\">a</p><table><tr><td colspan=\"2\" rowspan=\"x9\">c</td></tr></table>",
    "<p data-block=\"0\" title=\"Tip\" lang=\"en\" dir=\"rtl\">a</p>", "data-x" },
  { "colspan", "<table><tr><td colspan=\" 3 \">c</td></tr></table>", "colspan=\"3\"", "rowspan" },
};

static void
test_hostile_matrix (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      const HostileCase *c = &hostile_cases[i];
      g_autofree char *out = NULL;
      g_autofree char *body_lower = NULL;

      g_test_message ("case %s", c->name);
      out = sanitize_ok (c->html, -1);
      if (c->kept != NULL && strstr (out, c->kept) == NULL)
        g_error ("case %s: \"%s\" missing from\n%s", c->name, c->kept, body_of (out));
      if (c->gone != NULL)
        {
          g_autofree char *gone = g_ascii_strdown (c->gone, -1);

          body_lower = g_ascii_strdown (body_of (out), -1);
          if (strstr (body_lower, gone) != NULL)
            g_error ("case %s: \"%s\" survived in\n%s", c->name, c->gone, body_of (out));
        }
    }
}

static void
test_ordinary_content (void)
{
  const char *html =
    "<article><h1>Title</h1><p>Some <em>emphasis</em>, <strong>strong</strong>, <code>code</code> and a "
    "<a href=\"https://example.org/x?a=1&amp;b=2\">link</a>.</p>"
    "<ul><li>one</li><li>two</li></ul><blockquote><p>quoted</p></blockquote>"
    "<pre><code>x = 1\n  y = 2</code></pre>"
    "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>"
    "<figure><img src=\"https://example.net/a.png\" alt=\"A <b>bold</b> chart\"><figcaption>Caption</figcaption></figure>"
    "<p>H<sub>2</sub>O, E=mc<sup>2</sup>, <q>quote</q>, <abbr title=\"Large language model\">LLM</abbr>, <mark>m</mark>, "
    "<time datetime=\"2026\">2026</time>, <small>s</small>, <s>x</s>, <u>u</u>, <cite>c</cite><br>next</p><hr></article>";
  g_autofree char *out = sanitize_ok (html, -1);

  g_assert_nonnull (strstr (out, "<h1 data-block=\"0\">Title</h1>"));
  g_assert_nonnull (strstr (out, "<em>emphasis</em>"));
  g_assert_nonnull (strstr (out, "<strong>strong</strong>"));
  g_assert_nonnull (strstr (out, "<code>code</code>"));
  g_assert_nonnull (strstr (out, "href=\"https://example.org/x?a=1&amp;b=2\""));
  g_assert_nonnull (strstr (out, "<ul data-block=\"2\"><li>one</li><li>two</li></ul>"));
  g_assert_nonnull (strstr (out, "<blockquote data-block=\"3\"><p>quoted</p></blockquote>"));
  g_assert_nonnull (strstr (out, "<pre data-block=\"4\"><code>x = 1\n  y = 2</code></pre>"));
  g_assert_nonnull (strstr (out, "<td>d</td>"));
  g_assert_nonnull (strstr (out, "<span class=\"img-alt\">[Image: A &lt;b&gt;bold&lt;/b&gt; chart]</span>"));
  g_assert_nonnull (strstr (out, "<figcaption>"));
  g_assert_nonnull (strstr (out, "H<sub>2</sub>O"));
  g_assert_nonnull (strstr (out, "<abbr title=\"Large language model\">LLM</abbr>"));
  g_assert_nonnull (strstr (out, "<br>next"));
  g_assert_nonnull (strstr (out, "<hr>"));
  g_assert_null (strstr (out, "datetime"));
}

static void
test_document_shape (void)
{
  g_autofree char *out = sanitize_ok ("<html><head><title>T</title><meta charset=\"iso-8859-1\"></head><body><p>caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac</p></body></html>", -1);
  g_autofree char *fragment = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (out, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (out, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac"));
  g_assert_null (strstr (out, "<title>"));
  g_assert_nonnull (strstr (out, "<style>"));

  fragment = desk_sanitize_html ("<p>x</p>", -1, DESK_SANITIZE_BODY_ONLY | DESK_SANITIZE_NO_BLOCK_IDS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fragment, ==, "<p>x</p>");

  g_clear_pointer (&fragment, g_free);
  fragment = desk_sanitize_html ("", 0, DESK_SANITIZE_BODY_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fragment, ==, "");
}

static void
test_deep_nesting (void)
{
  const guint depth = 100000;
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GError) error = NULL;
  guint opened = 0, max_open = 0;

  for (guint i = 0; i < depth; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "<p>deep text</p><script>alert(1)</script>");
  for (guint i = 0; i < depth; i++)
    g_string_append (html, "</div>");
  g_string_append (html, "<p>after</p>");

  out = desk_sanitize_html_and_segment (html->str, html->len, DESK_SANITIZE_DEFAULT, &blocks, &error);
  g_assert_no_error (error);
  assert_safe (out);
  g_assert_nonnull (strstr (out, "after"));
  g_assert_nonnull (strstr (out, "deep text"));
  g_assert_cmpuint (blocks->len, ==, 2);
  g_assert_cmpstr (((DeskBlock *) blocks->pdata[0])->text, ==, "deep text");

  /* The output is flattened below the cap and its tags balance. */
  for (const char *p = body_of (out); (p = strchr (p, '<')) != NULL; p++)
    {
      if (g_str_has_prefix (p, "<div"))
        {
          opened++;
          max_open = MAX (max_open, opened);
        }
      else if (g_str_has_prefix (p, "</div>"))
        {
          g_assert_cmpuint (opened, >, 0);
          opened--;
        }
    }
  g_assert_cmpuint (opened, ==, 0);
  g_assert_cmpuint (max_open, <=, DESK_SANITIZE_MAX_DEPTH + 1);
}

static void
test_invalid_bytes (void)
{
  const char html[] = "<p>bad \xff\xfe utf-8 \xe3\x81</p>\0<script>x()</script><p>after\0nul</p>";
  g_autofree char *out = sanitize_ok (html, sizeof html - 1);
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strstr (out, "bad \xef\xbf\xbd"));
  g_assert_nonnull (strstr (out, "afternul"));
  g_assert_null (strstr (out, "x()"));

  blocks = desk_sanitize_segment (html, sizeof html - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (blocks->len, ==, 2);
}

static void
test_too_large (void)
{
  gsize n = DESK_SANITIZE_MAX_BYTES + 1;
  g_autofree char *big = g_malloc (n);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  memset (big, 'a', n);
  out = desk_sanitize_html (big, n, DESK_SANITIZE_DEFAULT, &error);
  g_assert_error (error, DESK_SANITIZE_ERROR, DESK_SANITIZE_ERROR_TOO_LARGE);
  g_assert_null (out);
}

static void
test_segment_kinds (void)
{
  const char *html =
    "<nav><a href=\"https://example.org/\">Home</a> | <a href=\"https://example.org/b\">Blog</a></nav>"
    "<h2>Heading</h2>"
    "<p>First   paragraph\n with  <b>bold</b>.</p>"
    "<div class=\"share-bar\"><a href=\"#\">Share this article</a></div>"
    "<ul><li><p>one</p></li><li>two<ul><li>nested</li></ul></li></ul>"
    "<blockquote><p>q1</p><p>q2</p></blockquote>"
    "<pre>code  here</pre>"
    "<table><tr><td>a</td><td>b</td></tr></table>"
    "<div>Loose text <em>inline</em> <p>inner para</p> tail</div>"
    "<p></p><p> <img src=x alt=\"\"> </p>"
    "<footer>Leave a comment</footer>"
    "<button>Subscribe</button>";
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  static const struct { DeskBlockKind kind; gboolean chrome; const char *text; } expected[] = {
    { DESK_BLOCK_OTHER, TRUE, "Home | Blog" },
    { DESK_BLOCK_HEADING, FALSE, "Heading" },
    { DESK_BLOCK_PARAGRAPH, FALSE, "First paragraph with bold." },
    { DESK_BLOCK_OTHER, TRUE, "Share this article" },
    { DESK_BLOCK_LIST, FALSE, "one two nested" },
    { DESK_BLOCK_QUOTE, FALSE, "q1 q2" },
    { DESK_BLOCK_CODE, FALSE, "code here" },
    { DESK_BLOCK_TABLE, FALSE, "a b" },
    { DESK_BLOCK_OTHER, FALSE, "Loose text inline" },
    { DESK_BLOCK_PARAGRAPH, FALSE, "inner para" },
    { DESK_BLOCK_OTHER, FALSE, "tail" },
    { DESK_BLOCK_OTHER, TRUE, "Leave a comment" },
  };

  out = desk_sanitize_html_and_segment (html, -1, DESK_SANITIZE_DEFAULT, &blocks, &error);
  g_assert_no_error (error);
  assert_safe (out);

  for (guint i = 0; i < blocks->len; i++)
    {
      DeskBlock *b = blocks->pdata[i];
      g_test_message ("block %u %s chrome=%d \"%s\"", b->index, desk_block_kind_to_string (b->kind), b->chrome, b->text);
    }
  g_assert_cmpuint (blocks->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < blocks->len; i++)
    {
      DeskBlock *b = blocks->pdata[i];
      g_autofree char *attr = g_strdup_printf ("data-block=\"%u\"", i);

      g_assert_cmpuint (b->index, ==, i);
      g_assert_cmpint (b->kind, ==, expected[i].kind);
      g_assert_cmpint (b->chrome, ==, expected[i].chrome);
      g_assert_cmpstr (b->text, ==, expected[i].text);
      g_assert_cmpuint (b->n_chars, ==, g_utf8_strlen (expected[i].text, -1));
      /* Each block's id appears exactly once in the HTML. */
      g_assert_nonnull (strstr (out, attr));
      g_assert_null (strstr (strstr (out, attr) + 1, attr));
    }
  g_assert_cmpuint (((DeskBlock *) blocks->pdata[1])->level, ==, 2);
  g_assert_null (strstr (out, "data-block=\"12\""));
  g_assert_nonnull (strstr (out, "<h2 data-block=\"1\">Heading</h2>"));
  g_assert_nonnull (strstr (out, "<div data-block=\"3\" class=\"desk-chrome\">"));
}

/* Chrome is recognised by whole words of a class or id, never by a piece
 * of a word: an AI-news page has sections named "multimodal". */
static void
test_segment_chrome_classes (void)
{
  static const struct { const char *attr; gboolean chrome; } cases[] = {
    { "class=\"share-bar\"", TRUE },
    { "class=\"shareBar\"", TRUE },
    { "class=\"post social_links\"", TRUE },
    { "id=\"comments\"", TRUE },
    { "class=\"newsletter-cta\"", TRUE },
    { "class=\"ad-slot\"", TRUE },
    { "class=\"ads\"", TRUE },
    { "class=\"sign-up-box\"", TRUE },
    { "class=\"related-posts\"", TRUE },
    { "class=\"multimodal\"", FALSE },
    { "id=\"shareholders\"", FALSE },
    { "class=\"commentary\"", FALSE },
    { "class=\"unrelated-work\"", FALSE },
    { "class=\"dictation headline\"", FALSE },
    { "class=\"loaded\"", FALSE },
    { "class=\"\"", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *html = g_strdup_printf ("<div %s><p>Model results in detail.</p></div>", cases[i].attr);
      g_autoptr(GPtrArray) blocks = NULL;
      g_autoptr(GError) error = NULL;

      blocks = desk_sanitize_segment (html, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (blocks->len, ==, 1);
      if (((DeskBlock *) blocks->pdata[0])->chrome != cases[i].chrome)
        g_error ("%s: chrome should be %d", cases[i].attr, cases[i].chrome);
    }
}

/* Block counts of the sample originals, written down by reading each page. */
static const struct {
  const char *id;
  guint       blocks;
  guint       chrome;
} sample_counts[] = {
  { "2026-10-01-kestrel-2-open-weights", 7, 0 },
  { "2026-10-02-kestrel-2-recap", 7, 1 },
  { "2026-10-07-accelerator-export-rules", 7, 1 },
  { "2026-10-08-shared-safety-evals", 6, 0 },
  { "2026-10-13-inference-weekly-88", 9, 0 },
  { "2026-11-03-kestrel-2-kv-cache", 7, 0 },
  { "2026-11-04-hale-keynote-inference-cost", 8, 2 },
  { "2026-11-06-podcast-synthetic-data", 7, 0 },
  { "2026-11-09-panel-open-weights-funding", 8, 1 },
  { "2026-11-11-interview-robots-home-video", 6, 1 },
  { "2026-11-19-qubitron-quantum-attention", 6, 1 },
  { "2026-11-20-livestream-nimbus-roadmap", 5, 0 },
};

static JsonArray *
load_sample (const char *name,
             JsonParser *parser)
{
  const char *dir = g_getenv ("DESK_SAMPLE_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, name, NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

static void
test_sample_originals (void)
{
  const char *files[] = { "articles.json", "papers-and-videos.json" };
  guint checked = 0, entries = 0;

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *array = load_sample (files[f], parser);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *entry = json_array_get_object_element (array, i);
          const char *id = json_object_get_string_member (entry, "id");
          JsonObject *original = json_object_get_object_member (entry, "original");
          const char *html = json_object_get_string_member (original, "html");
          g_autoptr(GPtrArray) blocks = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *out = NULL;
          guint chrome = 0;

          out = desk_sanitize_html_and_segment (html, -1, DESK_SANITIZE_DEFAULT, &blocks, &error);
          g_assert_no_error (error);
          assert_safe (out);
          g_assert_cmpuint (blocks->len, >, 0);
          entries++;

          for (guint b = 0; b < blocks->len; b++)
            chrome += ((DeskBlock *) blocks->pdata[b])->chrome;

          for (guint k = 0; k < G_N_ELEMENTS (sample_counts); k++)
            if (strcmp (sample_counts[k].id, id) == 0)
              {
                g_test_message ("%s: %u blocks, %u chrome", id, blocks->len, chrome);
                g_assert_cmpuint (blocks->len, ==, sample_counts[k].blocks);
                g_assert_cmpuint (chrome, ==, sample_counts[k].chrome);
                checked++;
              }
        }
    }

  g_assert_cmpuint (entries, ==, 32);
  g_assert_cmpuint (checked, ==, G_N_ELEMENTS (sample_counts));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sanitize/hostile-matrix", test_hostile_matrix);
  g_test_add_func ("/sanitize/ordinary-content", test_ordinary_content);
  g_test_add_func ("/sanitize/document-shape", test_document_shape);
  g_test_add_func ("/sanitize/deep-nesting", test_deep_nesting);
  g_test_add_func ("/sanitize/invalid-bytes", test_invalid_bytes);
  g_test_add_func ("/sanitize/too-large", test_too_large);
  g_test_add_func ("/segment/kinds", test_segment_kinds);
  g_test_add_func ("/segment/chrome-classes", test_segment_chrome_classes);
  g_test_add_func ("/segment/sample-originals", test_sample_originals);

  return g_test_run ();
}
