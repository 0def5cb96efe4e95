/* test-site-render.c: tests of desk_site_render_entry() on the sample corpus and on hostile entries
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "desk-core.h"

/* ---- helpers ----------------------------------------------------------------- */

static char *
escape (const char *text)
{
  return g_markup_escape_text (text, -1);
}

static char *
escape_stripped (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));

  return g_markup_escape_text (copy, -1);
}

static void
assert_contains (const char *html,
                 const char *needle)
{
  if (strstr (html, needle) == NULL)
    g_error ("expected %s in:\n%s", needle, html);
}

static void
assert_lacks (const char *html,
              const char *needle)
{
  if (strstr (html, needle) != NULL)
    g_error ("did not expect %s in:\n%s", needle, html);
}

static gboolean
is_blank (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));

  return copy[0] == '\0';
}

static guint
count (const char *html,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (html, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The page runs nothing and loads nothing: no script, no event handler, no
 * element that fetches, no URL in a loading attribute, no CSS that fetches;
 * the CSP meta tag is the first thing in <head> and the only http-equiv. */
static void
assert_inert (const char *html)
{
  g_autofree char *lower = g_ascii_strdown (html, -1);
  g_autoptr(GRegex) event = g_regex_new ("<[^>]*[\\s\"'/]on[a-z]+\\s*=", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) attr = g_regex_new ("<([a-z0-9]+)\\b[^>]*?\\s(src|href|srcset|action|formaction|data|poster|background|cite|xlink:href)\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+)",
                                        G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  const char *head;
  static const char * const forbidden[] = {
    "<script", "<iframe", "<frame", "<object", "<embed", "<link", "<base", "<form",
    "<svg", "<math", "<video", "<audio", "<source", "<input", "<button", "<picture",
    "<style", "<meta", "<title",
  };

  g_assert_true (g_utf8_validate (html, -1, NULL));
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n<html lang=\"ja\"><head>"));
  head = strstr (html, "<head>");
  g_assert_nonnull (head);
  g_assert_true (g_str_has_prefix (head + strlen ("<head>"), DESK_CSP_META));
  g_assert_cmpuint (count (lower, "http-equiv"), ==, 1);
  g_assert_cmpuint (count (lower, "<head>"), ==, 1);
  g_assert_cmpuint (count (lower, "</html>"), ==, 1);

  /* Text is escaped, so these can only be markup; the head's own
   * elements must not come again in the body. */
  for (guint i = 0; i < G_N_ELEMENTS (forbidden); i++)
    {
      const char *at = strstr (lower, forbidden[i]);

      if (at != NULL && (i < G_N_ELEMENTS (forbidden) - 3 || at > strstr (lower, "</head>")))
        g_error ("%s in:\n%s", forbidden[i], html);
    }
  /* The stylesheet fetches nothing either. */
  {
    const char *style = strstr (lower, "<style>");
    const char *style_end = strstr (lower, "</style>");
    g_autofree char *css = NULL;

    g_assert_nonnull (style);
    g_assert_true (style_end > style);
    css = g_strndup (style, style_end - style);
    g_assert_null (strstr (css, "url("));
    g_assert_null (strstr (css, "@import"));
    g_assert_null (strstr (css, "image-set("));
    g_assert_null (strstr (css, "@font-face"));
  }
  if (g_regex_match (event, html, 0, NULL))
    g_error ("an event attribute in:\n%s", html);

  g_regex_match (attr, html, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *element = g_match_info_fetch (match, 1);
      g_autofree char *name = g_match_info_fetch (match, 2);
      g_autofree char *value = g_match_info_fetch (match, 3);
      const char *scheme = g_uri_peek_scheme (value + (value[0] == '"' || value[0] == '\''));

      /* A link loads nothing until clicked, and the preview decides then. */
      if (g_ascii_strcasecmp (element, "a") == 0 && g_ascii_strcasecmp (name, "href") == 0)
        {
          g_assert_true (scheme == NULL || strcmp (scheme, "http") == 0 ||
                         strcmp (scheme, "https") == 0 || strcmp (scheme, "mailto") == 0);
          continue;
        }
      /* The one resource allowed: an image inside the page itself. */
      if (g_ascii_strcasecmp (element, "img") == 0 && g_ascii_strcasecmp (name, "src") == 0 &&
          g_str_has_prefix (value, "\"data:image/"))
        continue;
      g_error ("<%s %s=%s> in:\n%s", element, name, value, html);
    }
}

/* The data-field sections come in the site's order, each at most once. */
static void
assert_field_order (const char *html)
{
  static const char * const order[] = {
    "title", "tags", "tldr", "importance", "key_points", "impact", "comment", "body",
  };
  const char *last = html;

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autofree char *attr = g_strdup_printf ("data-field=\"%s\"", order[i]);
      const char *at = strstr (html, attr);

      g_assert_cmpuint (count (html, attr), <=, 1);
      if (at == NULL)
        continue;
      g_assert_true (at > last);
      last = at;
    }
  /* No section without content. */
  assert_lacks (html, "<h2></h2>");
  assert_lacks (html, "<h1 data-field=\"title\"></h1>");
  assert_lacks (html, "<ol>\n</ol>");
  assert_lacks (html, "<ul class=\"tags\" data-field=\"tags\"></ul>");
}

/* Each block of desk_markdown_split_blocks() has its data-block="N" inside
 * the body, in order. */
static void
assert_block_ids (const char *html,
                  const char *body)
{
  g_autoptr(GArray) spans = desk_markdown_split_blocks (body, -1);
  const char *at = strstr (html, "data-field=\"body\"");
  const char *last;

  g_assert_nonnull (at);
  last = at;
  for (guint i = 0; i < spans->len; i++)
    {
      g_autofree char *attr = g_strdup_printf (" data-block=\"%u\"", i);
      const char *found = strstr (at, attr);

      g_assert_nonnull (found);
      g_assert_true (found > last);
      g_assert_cmpuint (count (html, attr), ==, 1);
      last = found;
    }
  {
    g_autofree char *beyond = g_strdup_printf (" data-block=\"%u\"", spans->len);

    g_assert_null (strstr (html, beyond));
  }
}

static char *
render (DeskEntry            *entry,
        const DeskEditable   *draft,
        const DeskSiteConfig *config,
        DeskSiteRenderFlags   flags)
{
  g_autoptr(GError) error = NULL;
  char *html = desk_site_render_entry (entry, draft, config, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (html);
  assert_inert (html);
  assert_field_order (html);
  return html;
}

/* An entry in the pipeline form, with @machine the members of "machine"
 * (which become the editable fields), @source the "source" object and
 * @minutes "reading_minutes". */
static DeskEntry *
make_entry (const char *machine,
            const char *source,
            const char *minutes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"t-1\", \"kind\": \"article\", \"source\": %s,"
    " \"collected_at\": \"2026-05-11T22:10:00+09:00\","
    " \"analyzed_at\": \"2026-05-11T23:04:00+09:00\","
    " \"reading_minutes\": %s,"
    " \"original\": {\"title\": \"Original\", \"html\": \"<p>x</p>\"},"
    " \"machine\": {%s}}",
    source, minutes, machine);
  DeskEntry *entry = desk_entry_new_from_data (json, -1, DESK_ENTRY_FORM_PIPELINE, &error);

  g_assert_no_error (error);
  return entry;
}

#define SOURCE_IMPORT_AI \
  "{\"name\": \"Import AI\", \"url\": \"https://example.org/p/import-ai-456\"," \
  " \"published_at\": \"2026-05-11T21:46:00+09:00\", \"language\": \"en\"}"

#define MACHINE_PLAIN \
  "\"title\": \"タイトル\", \"body\": \"本文の段落。\\n\\n## 見出し\\n\\n二つ目。\"," \
  " \"tldr\": \"要点です。\", \"tags\": [\"LLM\", \"規制\"]," \
  " \"importance\": {\"overall\": 4, \"depth\": 5, \"relevance\": 5, \"practicality\": 3, \"innovation\": 4}," \
  " \"key_points\": [{\"heading\": \"一つ目\", \"body\": \"説明一。\"}," \
  "                  {\"heading\": \"二つ目\", \"body\": \"説明二。\"}]," \
  " \"impact_analysis\": \"影響の分析です。\""

/* ---- the sample corpus ------------------------------------------------------- */

static void
check_sample_entry (DeskEntry *entry)
{
  g_autofree char *html = render (entry, NULL, NULL, DESK_SITE_RENDER_DEFAULT);
  const DeskEditable *fields = desk_entry_get_fields (entry);
  g_autofree char *title = escape (fields->title);
  g_autofree char *h1 = g_strdup_printf ("<h1 data-field=\"title\">%s</h1>", title);
  g_autofree char *head_title = g_strdup_printf ("<title>%s</title>", title);

  assert_contains (html, h1);
  assert_contains (html, head_title);
  if (fields->tldr[0] != '\0')
    {
      g_autofree char *tldr = escape_stripped (fields->tldr);
      g_autofree char *p = g_strdup_printf ("<p class=\"plain tldr-text\">%s</p>", tldr);

      assert_contains (html, p);
    }
  for (guint i = 0; fields->tags[i] != NULL; i++)
    {
      g_autofree char *tag = escape (fields->tags[i]);
      g_autofree char *li = g_strdup_printf ("<li>%s</li>", tag);

      assert_contains (html, li);
    }
  for (guint i = 0; i < fields->key_points->len; i++)
    {
      DeskKeyPoint *point = g_ptr_array_index (fields->key_points, i);
      g_autofree char *heading = escape (point->heading);
      g_autofree char *h3 = g_strdup_printf ("<li><h3>%s</h3>", heading);

      assert_contains (html, h3);
    }
  g_assert_cmpuint (count (html, "<li><h3>"), ==, fields->key_points->len);
  if (fields->impact_analysis[0] != '\0')
    {
      g_autofree char *impact = escape_stripped (fields->impact_analysis);

      assert_contains (html, impact);
    }
  if (is_blank (fields->editorial_comment))
    {
      assert_lacks (html, "data-field=\"comment\"");
      assert_lacks (html, "編集部コメント");
    }
  else
    {
      g_autofree char *comment = escape_stripped (fields->editorial_comment);
      g_autofree char *p = g_strdup_printf ("<h2>編集部コメント</h2>\n<p class=\"plain comment-text\">%s</p>", comment);

      assert_contains (html, p);
    }

  assert_contains (html, "<h2>重要度</h2>");
  assert_contains (html, "<span class=\"score-label\">深さ</span>");
  assert_contains (html, "<span class=\"score-label\">関連性</span>");
  assert_contains (html, "<span class=\"score-label\">実用性</span>");
  assert_contains (html, "<span class=\"score-label\">革新性</span>");
  assert_contains (html, "<span class=\"weight\">重み 40%</span>");
  {
    g_autofree char *stars = g_strdup_printf ("aria-label=\"5段階中%d\">", (int) fields->importance.overall);

    assert_contains (html, stars);
  }
  if (desk_entry_get_reading_minutes (entry) >= 1)
    {
      g_autofree char *reading = g_strdup_printf ("<span class=\"reading-time\">約%d分で読めます</span>",
                                                  (int) desk_entry_get_reading_minutes (entry));

      assert_contains (html, reading);
    }
  if (desk_entry_get_source (entry)->published_at != NULL)
    assert_contains (html, "日</time>");

  assert_block_ids (html, fields->body);

  /* Without the body: the same page up to the body. */
  {
    g_autofree char *head_only = render (entry, NULL, NULL, DESK_SITE_RENDER_NO_BODY);
    const char *body_at = strstr (html, "<div class=\"body\" data-field=\"body\">");

    g_assert_nonnull (body_at);
    assert_lacks (head_only, "data-field=\"body\"");
    assert_lacks (head_only, "data-block=");
    g_assert_true (strncmp (html, head_only, body_at - html) == 0);
  }
}

static void
test_samples (void)
{
  static const char * const files[] = { "articles.json", "papers-and-videos.json" };
  const char *dir = g_getenv ("DESK_SAMPLE_DIR");
  guint n_entries = 0;

  g_assert_nonnull (dir);
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = g_build_filename (dir, files[f], NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonArray *array;

      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      array = json_node_get_array (json_parser_get_root (parser));
      g_assert_cmpuint (json_array_get_length (array), >, 0);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          gboolean full = json_object_has_member (json_node_get_object (node), "revision");
          g_autoptr(DeskEntry) entry = desk_entry_new_from_json (node,
                                                                 full ? DESK_ENTRY_FORM_FULL
                                                                      : DESK_ENTRY_FORM_PIPELINE,
                                                                 &error);

          g_assert_no_error (error);
          check_sample_entry (entry);
          n_entries++;
        }
    }
  g_assert_cmpuint (n_entries, >=, 20);
}

/* ---- hostile input ----------------------------------------------------------- */

static void
test_hostile (void)
{
  g_autoptr(DeskEntry) entry = make_entry (
    "\"title\": \"<script>alert(1)</script>\","
    " \"body\": \"<iframe src=\\\"https://evil.example/x\\\"></iframe>\\n\\n"
    "[click](javascript:alert(2)) [ok](https://example.org/ok) "
    "<img src=x onerror=alert(3)> ![remote *alt*](https://evil.example/i.png) ![](x.png) "
    "![inline](data:image/png;base64,iVBORw0KGgo=)\\n\\n"
    "<script>alert(4)</script>\\n\\n<style>body{background:url(https://evil.example/b)}</style>\","
    " \"tldr\": \"</p><script>alert(5)</script>\","
    " \"tags\": [\"\\\"><img src=x onerror=alert(6)>\", \"' onmouseover='alert(7)\"],"
    " \"importance\": {\"overall\": 3, \"depth\": 3, \"relevance\": 3, \"practicality\": 3, \"innovation\": 3},"
    " \"key_points\": [{\"heading\": \"<a href=\\\"javascript:alert(8)\\\">x</a>\","
    "                   \"body\": \"<svg onload=alert(9)>\"}],"
    " \"impact_analysis\": \"<object data=\\\"https://evil.example/o\\\">\"",
    "{\"name\": \"\\\"><script>alert(10)</script>\", \"url\": \"https://example.org/\\\"onclick=\\\"x\","
    " \"published_at\": null, \"language\": \"en\"}",
    "null");
  g_autoptr(DeskEditable) draft = desk_editable_new ();
  g_autofree char *html = NULL;

  draft->present = DESK_FIELD_EDITORIAL_COMMENT;
  draft->editorial_comment = g_strdup ("<iframe srcdoc=\"<script>alert(11)</script>\">");
  html = render (entry, draft, NULL, DESK_SITE_RENDER_DEFAULT);

  assert_contains (html, "<h1 data-field=\"title\">&lt;script&gt;alert(1)&lt;/script&gt;</h1>");
  assert_contains (html, "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>");
  assert_contains (html, "<li>&quot;&gt;&lt;img src=x onerror=alert(6)&gt;</li>");
  assert_contains (html, "<li>&apos; onmouseover=&apos;alert(7)</li>");
  assert_contains (html, "<p class=\"plain tldr-text\">&lt;/p&gt;&lt;script&gt;alert(5)&lt;/script&gt;</p>");
  assert_contains (html, "<h3>&lt;a href=&quot;javascript:alert(8)&quot;&gt;x&lt;/a&gt;</h3>"
                         "<p class=\"plain key-point-body\">&lt;svg onload=alert(9)&gt;</p>");
  assert_contains (html, "&lt;iframe srcdoc=&quot;&lt;script&gt;alert(11)&lt;/script&gt;&quot;&gt;");
  /* A quote in the source's URL stays inside the attribute. */
  assert_contains (html, "<a class=\"source-name\" rel=\"noopener noreferrer\" "
                         "href=\"https://example.org/&quot;onclick=&quot;x\">"
                         "&quot;&gt;&lt;script&gt;alert(10)&lt;/script&gt;</a>");
  /* The body went through safe mode: raw HTML omitted, bad links emptied,
   * the good one kept, the remote image not an image. */
  assert_contains (html, "<a href=\"\">click</a>");
  assert_contains (html, "<a href=\"https://example.org/ok\">ok</a>");
  assert_contains (html, "[画像: remote alt] ");
  assert_contains (html, "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"inline\" />");
  assert_lacks (html, "x.png");
  assert_lacks (html, "evil.example/x");
  assert_lacks (html, "evil.example/i.png");
  assert_contains (html, "<p class=\"plain impact-text\">&lt;object data=&quot;https://evil.example/o&quot;&gt;</p>");
  assert_lacks (html, "alert(2)");
  assert_lacks (html, "alert(3)");
  assert_lacks (html, "alert(4)");
  assert_lacks (html, "<style>body");
}

static void
test_invalid_utf8_draft (void)
{
  g_autoptr(DeskEntry) entry = make_entry (MACHINE_PLAIN, SOURCE_IMPORT_AI, "5");
  g_autoptr(DeskEditable) draft = desk_editable_new ();
  g_autofree char *html = NULL;

  draft->present = DESK_FIELD_TITLE | DESK_FIELD_TLDR;
  draft->title = g_strdup ("a\xff<b");
  draft->tldr = g_strdup ("\xc3");
  html = render (entry, draft, NULL, DESK_SITE_RENDER_DEFAULT);
  assert_contains (html, "<h1 data-field=\"title\">a\xef\xbf\xbd&lt;b</h1>");
  assert_contains (html, "<p class=\"plain tldr-text\">\xef\xbf\xbd</p>");
}

/* ---- drafts, config, empty fields ------------------------------------------------ */

static void
test_draft_override (void)
{
  g_autoptr(DeskEntry) entry = make_entry (MACHINE_PLAIN, SOURCE_IMPORT_AI, "5");
  g_autoptr(DeskEditable) draft = desk_editable_new ();
  g_autofree char *html = NULL;
  g_autofree char *before = render (entry, NULL, NULL, DESK_SITE_RENDER_DEFAULT);

  assert_contains (before, "<h1 data-field=\"title\">タイトル</h1>");
  assert_contains (before, "<p data-block=\"0\">本文の段落。</p>");
  assert_contains (before, "<h2 data-block=\"1\">見出し</h2>");

  draft->present = DESK_FIELD_TITLE | DESK_FIELD_BODY;
  draft->title = g_strdup ("新しい & 良い題");
  draft->body = g_strdup ("差し替えた本文。\n\n- 一\n- 二\n");
  html = render (entry, draft, NULL, DESK_SITE_RENDER_DEFAULT);

  assert_contains (html, "<h1 data-field=\"title\">新しい &amp; 良い題</h1>");
  assert_contains (html, "<title>新しい &amp; 良い題</title>");
  assert_lacks (html, "タイトル");
  assert_contains (html, "<div class=\"body\" data-field=\"body\">\n"
                         "<p data-block=\"0\">差し替えた本文。</p>\n"
                         "<ul data-block=\"1\">\n<li>一</li>\n<li>二</li>\n</ul>\n"
                         "</div>\n");
  assert_lacks (html, "本文の段落");
  /* Fields the draft lacks still come from the entry. */
  assert_contains (html, "<p class=\"plain tldr-text\">要点です。</p>");
  assert_contains (html, "<li><h3>一つ目</h3>");
  assert_block_ids (html, draft->body);
  /* The entry itself is left as it was. */
  g_assert_cmpstr (desk_entry_get_title (entry), ==, "タイトル");

  /* A draft that empties fields hides their sections. */
  {
    g_autoptr(DeskEditable) empty = desk_editable_new ();
    g_autofree char *bare = NULL;

    empty->present = DESK_FIELD_TLDR | DESK_FIELD_KEY_POINTS | DESK_FIELD_IMPACT_ANALYSIS |
                     DESK_FIELD_BODY | DESK_FIELD_TAGS;
    empty->tldr = g_strdup ("  \n");
    empty->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
    empty->impact_analysis = g_strdup ("");
    empty->body = g_strdup ("\n\n");
    empty->tags = g_new0 (char *, 1);
    bare = render (entry, empty, NULL, DESK_SITE_RENDER_DEFAULT);
    assert_contains (bare, "data-field=\"title\"");
    assert_contains (bare, "data-field=\"importance\"");
    assert_lacks (bare, "data-field=\"tldr\"");
    assert_lacks (bare, "data-field=\"key_points\"");
    assert_lacks (bare, "data-field=\"impact\"");
    assert_lacks (bare, "data-field=\"body\"");
    assert_lacks (bare, "data-field=\"tags\"");
    assert_lacks (bare, "要約");
    assert_lacks (bare, "ポイント");
    assert_lacks (bare, "影響分析");
  }
}

static void
test_comment (void)
{
  g_autoptr(DeskEntry) entry = make_entry (MACHINE_PLAIN, SOURCE_IMPORT_AI, "5");
  g_autoptr(DeskEditable) draft = desk_editable_new ();
  g_autofree char *without = render (entry, NULL, NULL, DESK_SITE_RENDER_DEFAULT);
  g_autofree char *with = NULL;
  g_autofree char *blank = NULL;

  assert_lacks (without, "data-field=\"comment\"");
  assert_lacks (without, "編集部コメント");

  draft->present = DESK_FIELD_EDITORIAL_COMMENT;
  draft->editorial_comment = g_strdup ("\n編集部として\n注目しています。\n");
  with = render (entry, draft, NULL, DESK_SITE_RENDER_DEFAULT);
  assert_contains (with, "<section class=\"comment\" data-field=\"comment\">\n"
                         "<h2>編集部コメント</h2>\n"
                         "<p class=\"plain comment-text\">編集部として\n注目しています。</p>\n"
                         "</section>\n");

  g_free (draft->editorial_comment);
  draft->editorial_comment = g_strdup (" \t\n");
  blank = render (entry, draft, NULL, DESK_SITE_RENDER_DEFAULT);
  assert_lacks (blank, "data-field=\"comment\"");
}

static void
assert_weights (const char *html,
                int         depth,
                int         relevance,
                int         practicality,
                int         innovation)
{
  const char *labels[] = { "深さ", "関連性", "実用性", "革新性" };
  int percents[] = { depth, relevance, practicality, innovation };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree char *pattern = g_strdup_printf ("<span class=\"score-label\">%s</span>"
                                                  "<span class=\"bar\"[^>]*><span style=\"width:[0-9]+%%\"></span></span>"
                                                  "<span class=\"score\">[0-5]</span>"
                                                  "<span class=\"weight\">重み %d%%</span>",
                                                  labels[i], percents[i]);

      if (!g_regex_match_simple (pattern, html, 0, 0))
        g_error ("expected %s in:\n%s", pattern, html);
    }
}

static void
test_weights (void)
{
  g_autoptr(DeskEntry) entry = make_entry (MACHINE_PLAIN, SOURCE_IMPORT_AI, "5");
  g_autoptr(DeskSiteConfig) config = desk_site_config_new_default ();
  g_autofree char *defaults = render (entry, NULL, NULL, DESK_SITE_RENDER_DEFAULT);
  g_autofree char *same = render (entry, NULL, config, DESK_SITE_RENDER_DEFAULT);
  g_autofree char *custom = NULL;
  g_autofree char *unnormalised = NULL;

  assert_weights (defaults, 40, 30, 20, 10);
  g_assert_cmpstr (defaults, ==, same);

  config->weights = (DeskImportanceWeights) { 0.15, 0.5, 0.25, 0.1 };
  custom = render (entry, NULL, config, DESK_SITE_RENDER_DEFAULT);
  assert_weights (custom, 15, 50, 25, 10);
  assert_lacks (custom, "重み 40%");

  /* Shown as shares of their sum, as the weighted mean uses them. */
  config->weights = (DeskImportanceWeights) { 1, 1, 1, 1 };
  unnormalised = render (entry, NULL, config, DESK_SITE_RENDER_DEFAULT);
  assert_weights (unnormalised, 25, 25, 25, 25);
}

/* ---- exact pieces ------------------------------------------------------------------ */

static void
test_importance_exact (void)
{
  g_autoptr(DeskEntry) entry = make_entry (MACHINE_PLAIN, SOURCE_IMPORT_AI, "5");
  g_autofree char *html = render (entry, NULL, NULL, DESK_SITE_RENDER_DEFAULT);

  assert_contains (html,
                   "<section class=\"importance\" data-field=\"importance\">\n"
                   "<h2>重要度</h2>\n"
                   "<p class=\"overall\"><span class=\"stars\" role=\"img\" aria-label=\"5段階中4\">★★★★☆</span></p>\n"
                   "<ul class=\"scores\">\n"
                   "<li><span class=\"score-label\">深さ</span><span class=\"bar\" role=\"img\" aria-label=\"5段階中5\">"
                   "<span style=\"width:100%\"></span></span><span class=\"score\">5</span>"
                   "<span class=\"weight\">重み 40%</span></li>\n"
                   "<li><span class=\"score-label\">関連性</span><span class=\"bar\" role=\"img\" aria-label=\"5段階中5\">"
                   "<span style=\"width:100%\"></span></span><span class=\"score\">5</span>"
                   "<span class=\"weight\">重み 30%</span></li>\n"
                   "<li><span class=\"score-label\">実用性</span><span class=\"bar\" role=\"img\" aria-label=\"5段階中3\">"
                   "<span style=\"width:60%\"></span></span><span class=\"score\">3</span>"
                   "<span class=\"weight\">重み 20%</span></li>\n"
                   "<li><span class=\"score-label\">革新性</span><span class=\"bar\" role=\"img\" aria-label=\"5段階中4\">"
                   "<span style=\"width:80%\"></span></span><span class=\"score\">4</span>"
                   "<span class=\"weight\">重み 10%</span></li>\n"
                   "</ul>\n</section>\n");
}

static void
test_header_exact (void)
{
  g_autoptr(DeskEntry) entry = make_entry (MACHINE_PLAIN, SOURCE_IMPORT_AI, "23");
  g_autofree char *html = render (entry, NULL, NULL, DESK_SITE_RENDER_DEFAULT);

  assert_contains (html,
                   "<header>\n"
                   "<h1 data-field=\"title\">タイトル</h1>\n"
                   "<p class=\"source\"><a class=\"source-name\" rel=\"noopener noreferrer\" "
                   "href=\"https://example.org/p/import-ai-456\">Import AI</a>"
                   "<time datetime=\"2026-05-11T21:46:00+09:00\">2026年5月11日</time>"
                   "<span class=\"reading-time\">約23分で読めます</span></p>\n"
                   "<ul class=\"tags\" data-field=\"tags\"><li>LLM</li><li>規制</li></ul>\n"
                   "</header>\n"
                   "<section class=\"tldr\" data-field=\"tldr\">\n"
                   "<h2>要約</h2>\n"
                   "<p class=\"plain tldr-text\">要点です。</p>\n"
                   "</section>\n");
  assert_contains (html,
                   "<section class=\"key-points\" data-field=\"key_points\">\n"
                   "<h2>ポイント</h2>\n<ol>\n"
                   "<li><h3>一つ目</h3><p class=\"plain key-point-body\">説明一。</p>\n</li>\n"
                   "<li><h3>二つ目</h3><p class=\"plain key-point-body\">説明二。</p>\n</li>\n"
                   "</ol>\n</section>\n"
                   "<section class=\"impact\" data-field=\"impact\">\n"
                   "<h2>影響分析</h2>\n"
                   "<p class=\"plain impact-text\">影響の分析です。</p>\n"
                   "</section>\n"
                   "<div class=\"body\" data-field=\"body\">\n");
}

static void
test_source_line (void)
{
  static const struct {
    const char *source;
    const char *minutes;
    const char *expected;
  } cases[] = {
    /* A US evening is already the next day in Japan. */
    { "{\"name\": \"The Batch\", \"url\": \"http://example.org/b\","
      " \"published_at\": \"2026-11-22T20:00:00-08:00\", \"language\": \"en\"}", "1",
      "<p class=\"source\"><a class=\"source-name\" rel=\"noopener noreferrer\" href=\"http://example.org/b\">The Batch</a>"
      "<time datetime=\"2026-11-22T20:00:00-08:00\">2026年11月23日</time>"
      "<span class=\"reading-time\">約1分で読めます</span></p>\n" },
    { "{\"name\": \"A & B\", \"url\": \"https://example.org/?a=1&b=2\","
      " \"published_at\": \"2026-01-05T00:30:00Z\", \"language\": \"en\"}", "null",
      "<p class=\"source\"><a class=\"source-name\" rel=\"noopener noreferrer\" href=\"https://example.org/?a=1&amp;b=2\">A &amp; B</a>"
      "<time datetime=\"2026-01-05T00:30:00Z\">2026年1月5日</time></p>\n" },
    { "{\"name\": \"Paper\", \"url\": \"https://example.org/p\","
      " \"published_at\": null, \"language\": \"en\"}", "0",
      "<p class=\"source\"><a class=\"source-name\" rel=\"noopener noreferrer\" href=\"https://example.org/p\">Paper</a></p>\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DeskEntry) entry = make_entry (MACHINE_PLAIN, cases[i].source, cases[i].minutes);
      g_autofree char *html = render (entry, NULL, NULL, DESK_SITE_RENDER_DEFAULT);

      assert_contains (html, cases[i].expected);
      g_assert_cmpuint (count (html, "<p class=\"source\">"), ==, 1);
    }
}

static void
test_document_exact (void)
{
  g_autoptr(DeskEntry) entry = make_entry (MACHINE_PLAIN, SOURCE_IMPORT_AI, "5");
  g_autofree char *html = render (entry, NULL, NULL, DESK_SITE_RENDER_DEFAULT);
  const char *style_end = strstr (html, "</style>");

  g_assert_true (g_str_has_prefix (html,
                                   "<!DOCTYPE html>\n<html lang=\"ja\"><head>"
                                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                                   "style-src 'unsafe-inline'; img-src data:\">"
                                   "<meta charset=\"utf-8\">"
                                   "<meta name=\"referrer\" content=\"no-referrer\">"));
  g_assert_nonnull (style_end);
  g_assert_true (g_str_has_prefix (style_end,
                                   "</style></head>\n<body>\n<article class=\"entry\">\n<header>\n"));
  g_assert_true (g_str_has_suffix (html,
                                   "<p data-block=\"0\">本文の段落。</p>\n"
                                   "<h2 data-block=\"1\">見出し</h2>\n"
                                   "<p data-block=\"2\">二つ目。</p>\n"
                                   "</div>\n</article>\n</body></html>\n"));
  /* The typography the site uses, light and dark. */
  assert_contains (html, "\"Noto Sans CJK JP\"");
  assert_contains (html, "line-height:1.8");
  assert_contains (html, "max-width:720px");
  assert_contains (html, "@media (prefers-color-scheme:dark)");
}

static void
test_summary_and_too_large (void)
{
  g_autoptr(DeskEntry) entry = make_entry (MACHINE_PLAIN, SOURCE_IMPORT_AI, "5");
  g_autoptr(JsonNode) summary_json = desk_entry_to_json (entry, DESK_ENTRY_FORM_SUMMARY);
  g_autoptr(DeskEntry) summary = NULL;
  g_autoptr(DeskEditable) draft = desk_editable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *big = NULL;

  /* A summary has no body: the page simply ends after the header fields. */
  json_object_set_int_member (json_node_get_object (summary_json), "revision", 1);
  json_object_set_string_member (json_node_get_object (summary_json), "updated_at", "2026-05-12T09:15:00+09:00");
  summary = desk_entry_new_from_json (summary_json, DESK_ENTRY_FORM_SUMMARY, &error);
  g_assert_no_error (error);
  g_assert_null (desk_entry_get_body (summary));
  html = render (summary, NULL, NULL, DESK_SITE_RENDER_DEFAULT);
  assert_contains (html, "data-field=\"title\"");
  assert_lacks (html, "data-field=\"body\"");

  draft->present = DESK_FIELD_BODY;
  draft->body = g_malloc (DESK_SANITIZE_MAX_BYTES + 2);
  memset (draft->body, 'a', DESK_SANITIZE_MAX_BYTES + 1);
  draft->body[DESK_SANITIZE_MAX_BYTES + 1] = '\0';
  big = desk_site_render_entry (entry, draft, NULL, DESK_SITE_RENDER_DEFAULT, &error);
  g_assert_error (error, DESK_SITE_RENDER_ERROR, DESK_SITE_RENDER_ERROR_TOO_LARGE);
  g_assert_null (big);
}

int
main (int   argc,
      char *argv[])
{
  const char *build_dir = g_getenv ("DESK_BUILD_DIR");
  g_autofree char *locale_dir = NULL;

  /* The site is Japanese: read the labels from the ja catalog just built. */
  g_assert_nonnull (build_dir);
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  g_setenv ("LANGUAGE", "ja", TRUE);
  locale_dir = g_build_filename (build_dir, "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/site-render/samples", test_samples);
  g_test_add_func ("/site-render/hostile", test_hostile);
  g_test_add_func ("/site-render/invalid-utf8-draft", test_invalid_utf8_draft);
  g_test_add_func ("/site-render/draft-override", test_draft_override);
  g_test_add_func ("/site-render/comment", test_comment);
  g_test_add_func ("/site-render/weights", test_weights);
  g_test_add_func ("/site-render/importance-exact", test_importance_exact);
  g_test_add_func ("/site-render/header-exact", test_header_exact);
  g_test_add_func ("/site-render/source-line", test_source_line);
  g_test_add_func ("/site-render/document-exact", test_document_exact);
  g_test_add_func ("/site-render/summary-and-too-large", test_summary_and_too_large);

  return g_test_run ();
}
