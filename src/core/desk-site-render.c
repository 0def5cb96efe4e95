/* desk-site-render.c: an entry as the public digest site shows it, as one self-contained HTML page
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "desk-markdown.h"
#include "desk-sanitize.h"
#include "desk-site-render.h"

G_DEFINE_QUARK (desk-site-render-error-quark, desk_site_render_error)

/* As in the sanitizer: no url(), no @import, no font files, so that the
 * page names no resource at all. Plain texts (TL;DR, key points, …) keep
 * the editor's line breaks through pre-line. */
static const char stylesheet[] =
  ":root{color-scheme:light dark;--fg:#1f1f1f;--muted:#5e5c64;--bg:#fff;--box:#f3f6fa;"
  "--line:#d8dde3;--accent:#1c71d8;--chip:#e7eefa;--bar:#dfe3e8}"
  "@media (prefers-color-scheme:dark){:root{--fg:#e9e9ea;--muted:#a8a6ad;--bg:#1d1d20;"
  "--box:#26292e;--line:#3b3f45;--accent:#78aeed;--chip:#2a3545;--bar:#3b3f45}}"
  "html{background:var(--bg);color:var(--fg)}"
  "body{margin:0 auto;max-width:720px;padding:2em 1.25em 4em;"
  "font-family:\"Noto Sans CJK JP\",\"Noto Sans JP\",\"Hiragino Sans\",\"Hiragino Kaku Gothic ProN\","
  "\"Yu Gothic UI\",\"Yu Gothic\",Meiryo,system-ui,sans-serif;font-size:16px;line-height:1.8;"
  "overflow-wrap:anywhere;line-break:strict}"
  "h1{font-size:1.75em;line-height:1.4;margin:0 0 .5em}"
  "h2{font-size:1.2em;line-height:1.5;margin:1.8em 0 .6em;padding-bottom:.2em;"
  "border-bottom:1px solid var(--line)}"
  "h3{font-size:1.05em;line-height:1.5;margin:0 0 .3em}"
  "p{margin:0 0 1em}a{color:var(--accent)}"
  ".plain{white-space:pre-line}"
  ".source{color:var(--muted);font-size:.9em;margin:0 0 1em}"
  ".source>*+*::before{content:\"\\30FB\";margin:0 .35em}"
  ".tags{list-style:none;margin:0 0 1.5em;padding:0;display:flex;flex-wrap:wrap;gap:.4em}"
  ".tags li{background:var(--chip);border-radius:999px;padding:.1em .8em;font-size:.85em}"
  ".tldr{background:var(--box);border-left:4px solid var(--accent);border-radius:6px;"
  "padding:.8em 1.1em;margin:1.5em 0}"
  ".tldr h2{border:0;margin:0 0 .3em;padding:0;font-size:1em;color:var(--accent)}"
  ".tldr p{margin:0}"
  ".stars{color:#e5a50a;letter-spacing:.1em;font-size:1.2em}"
  ".scores{list-style:none;margin:.6em 0 0;padding:0}"
  ".scores li{display:grid;grid-template-columns:5em 1fr 1.5em 5.5em;gap:.6em;align-items:center}"
  ".bar{display:block;height:.55em;background:var(--bar);border-radius:999px;overflow:hidden}"
  ".bar span{display:block;height:100%;background:var(--accent)}"
  ".score{text-align:right;font-variant-numeric:tabular-nums}"
  ".weight{color:var(--muted);font-size:.85em}"
  ".key-points ol{margin:0;padding-left:1.6em}"
  ".key-points li{margin:0 0 1em}.key-points li::marker{font-weight:bold;color:var(--accent)}"
  ".comment{background:var(--box);border-radius:6px;padding:.2em 1.1em .4em}"
  ".comment h2{border:0;margin-top:.9em}"
  ".body{margin-top:2.5em;border-top:1px solid var(--line);padding-top:1.5em}"
  ".body h1,.body h2,.body h3{border:0}.body>:first-child{margin-top:0}"
  ".body pre,.body code{font-family:\"Noto Sans Mono CJK JP\",\"Source Code Pro\",monospace;"
  "font-size:.9em}"
  ".body pre{white-space:pre-wrap;padding:.75em 1em;background:var(--box);border-radius:6px}"
  ".body blockquote{margin:1em 0;padding:0 1em;border-left:3px solid var(--line);"
  "color:var(--muted)}"
  ".body img{max-width:100%}"
  "[data-block].desk-highlight{background:rgba(53,132,228,.16);border-radius:3px;"
  "box-shadow:0 0 0 .35em rgba(53,132,228,.16)}";

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *escaped = NULL;

  /* Drafts come from the editor and are not validated like the wire. */
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  escaped = g_markup_escape_text (text, -1);
  g_string_append (out, escaped);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* A plain text field: escaped, without the blank lines around it. */
static void
append_plain (GString    *out,
              const char *klass,
              const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));

  g_string_append_printf (out, "<p class=\"plain %s\">", klass);
  append_escaped (out, copy);
  g_string_append (out, "</p>\n");
}

static void
append_section_heading (GString    *out,
                        const char *label)
{
  g_string_append (out, "<h2>");
  append_escaped (out, label);
  g_string_append (out, "</h2>\n");
}

/* The site dates everything in Japan time, whatever offset the source
 * gave: a US evening is already the next day for the readers. */
static char *
format_date (const char *rfc3339)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) jst = NULL;

  if (rfc3339 == NULL)
    return NULL;
  dt = g_date_time_new_from_iso8601 (rfc3339, NULL);
  if (dt == NULL)
    return NULL;
  jst = g_time_zone_new_offset (9 * 60 * 60);
  local = g_date_time_to_timezone (dt, jst);
  /* Translators: the publication date of the original, as
   * g_date_time_format() reads it; the site shows 「2026年5月11日」.
   * xgettext:no-c-format */
  return g_date_time_format (local, C_("site date", "%B %-d, %Y"));
}

static void
append_source_line (GString   *out,
                    DeskEntry *entry)
{
  const DeskSource *source = desk_entry_get_source (entry);
  gint64 minutes = desk_entry_get_reading_minutes (entry);
  g_autofree char *date = NULL;
  gboolean has_name;

  has_name = source != NULL && !is_blank (source->name);
  date = source != NULL ? format_date (source->published_at) : NULL;
  if (!has_name && date == NULL && minutes < 1)
    return;

  g_string_append (out, "<p class=\"source\">");
  if (has_name)
    {
      if (source->url != NULL && desk_http_url_is_valid (source->url))
        {
          g_string_append (out, "<a class=\"source-name\" rel=\"noopener noreferrer\" href=\"");
          append_escaped (out, source->url);
          g_string_append (out, "\">");
          append_escaped (out, source->name);
          g_string_append (out, "</a>");
        }
      else
        {
          g_string_append (out, "<span class=\"source-name\">");
          append_escaped (out, source->name);
          g_string_append (out, "</span>");
        }
    }
  if (date != NULL)
    {
      g_string_append (out, "<time datetime=\"");
      append_escaped (out, source->published_at);
      g_string_append (out, "\">");
      append_escaped (out, date);
      g_string_append (out, "</time>");
    }
  if (minutes >= 1)
    {
      int n = (int) MIN (minutes, G_MAXINT);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "About %d minute to read",
                                                            "About %d minutes to read",
                                                            n),
                                               n);

      g_string_append (out, "<span class=\"reading-time\">");
      append_escaped (out, text);
      g_string_append (out, "</span>");
    }
  g_string_append (out, "</p>\n");
}

static void
append_tags (GString            *out,
             const char * const *tags)
{
  gboolean any = FALSE;

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    any |= !is_blank (tags[i]);
  if (!any)
    return;

  g_string_append (out, "<ul class=\"tags\" data-field=\"tags\">");
  for (guint i = 0; tags[i] != NULL; i++)
    {
      if (is_blank (tags[i]))
        continue;
      g_string_append (out, "<li>");
      append_escaped (out, tags[i]);
      g_string_append (out, "</li>");
    }
  g_string_append (out, "</ul>\n");
}

static void
append_stars (GString *out,
              gint64   score)
{
  int n = (int) CLAMP (score, 0, 5);
  g_autofree char *label = g_strdup_printf (C_("site", "%d out of 5"), n);

  g_string_append (out, "<span class=\"stars\" role=\"img\" aria-label=\"");
  append_escaped (out, label);
  g_string_append (out, "\">");
  for (int i = 0; i < 5; i++)
    g_string_append (out, i < n ? "★" : "☆");
  g_string_append (out, "</span>");
}

static void
append_importance (GString                     *out,
                   const DeskImportance        *importance,
                   const DeskImportanceWeights *weights)
{
  const struct {
    const char *label;
    gint64      score;
    double      weight;
  } rows[] = {
    { C_("site", "Depth"), importance->depth, weights->depth },
    { C_("site", "Relevance"), importance->relevance, weights->relevance },
    { C_("site", "Practicality"), importance->practicality, weights->practicality },
    { C_("site", "Innovation"), importance->innovation, weights->innovation },
  };
  double sum = 0;
  gboolean any = importance->overall > 0;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      sum += rows[i].weight;
      any |= rows[i].score > 0;
    }
  if (!any)
    return;

  g_string_append (out, "<section class=\"importance\" data-field=\"importance\">\n");
  append_section_heading (out, C_("site", "Importance"));
  if (importance->overall > 0)
    {
      g_string_append (out, "<p class=\"overall\">");
      append_stars (out, importance->overall);
      g_string_append (out, "</p>\n");
    }

  g_string_append (out, "<ul class=\"scores\">\n");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      int score = (int) CLAMP (rows[i].score, 0, 5);
      /* The same normalisation as desk_importance_weighted_mean(). */
      int percent = sum > 0 && isfinite (sum) ? (int) lround (rows[i].weight / sum * 100) : 0;
      g_autofree char *aria = g_strdup_printf (C_("site", "%d out of 5"), score);
      g_autofree char *weight = g_strdup_printf (C_("site", "Weight %d%%"), percent);

      g_string_append (out, "<li><span class=\"score-label\">");
      append_escaped (out, rows[i].label);
      g_string_append (out, "</span><span class=\"bar\" role=\"img\" aria-label=\"");
      append_escaped (out, aria);
      g_string_append_printf (out, "\"><span style=\"width:%d%%\"></span></span>"
                                   "<span class=\"score\">%d</span><span class=\"weight\">",
                              score * 20, score);
      append_escaped (out, weight);
      g_string_append (out, "</span></li>\n");
    }
  g_string_append (out, "</ul>\n</section>\n");
}

static void
append_key_points (GString   *out,
                   GPtrArray *points)
{
  gboolean any = FALSE;

  for (guint i = 0; points != NULL && i < points->len; i++)
    {
      DeskKeyPoint *point = g_ptr_array_index (points, i);

      any |= !is_blank (point->heading) || !is_blank (point->body);
    }
  if (!any)
    return;

  g_string_append (out, "<section class=\"key-points\" data-field=\"key_points\">\n");
  append_section_heading (out, C_("site", "Key points"));
  g_string_append (out, "<ol>\n");
  for (guint i = 0; i < points->len; i++)
    {
      DeskKeyPoint *point = g_ptr_array_index (points, i);

      if (is_blank (point->heading) && is_blank (point->body))
        continue;
      g_string_append (out, "<li>");
      if (!is_blank (point->heading))
        {
          g_string_append (out, "<h3>");
          append_escaped (out, point->heading);
          g_string_append (out, "</h3>");
        }
      if (!is_blank (point->body))
        append_plain (out, "key-point-body", point->body);
      else
        g_string_append_c (out, '\n');
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ol>\n</section>\n");
}

static void
append_text_section (GString    *out,
                     const char *field,
                     const char *klass,
                     const char *text_class,
                     const char *label,
                     const char *text)
{
  if (is_blank (text))
    return;
  g_string_append_printf (out, "<section class=\"%s\" data-field=\"%s\">\n", klass, field);
  append_section_heading (out, label);
  append_plain (out, text_class, text);
  g_string_append (out, "</section>\n");
}

static gsize
editable_size (const DeskEditable *fields)
{
  gsize size = 0;

  size += fields->title != NULL ? strlen (fields->title) : 0;
  size += fields->body != NULL ? strlen (fields->body) : 0;
  size += fields->tldr != NULL ? strlen (fields->tldr) : 0;
  size += fields->impact_analysis != NULL ? strlen (fields->impact_analysis) : 0;
  size += fields->editorial_comment != NULL ? strlen (fields->editorial_comment) : 0;
  for (guint i = 0; fields->tags != NULL && fields->tags[i] != NULL; i++)
    size += strlen (fields->tags[i]);
  for (guint i = 0; fields->key_points != NULL && i < fields->key_points->len; i++)
    {
      DeskKeyPoint *point = g_ptr_array_index (fields->key_points, i);

      size += point->heading != NULL ? strlen (point->heading) : 0;
      size += point->body != NULL ? strlen (point->body) : 0;
    }
  return size;
}

char *
desk_site_render_entry (DeskEntry             *entry,
                        const DeskEditable    *draft,
                        const DeskSiteConfig  *config,
                        DeskSiteRenderFlags    flags,
                        GError               **error)
{
  g_autoptr(DeskEditable) fields = NULL;
  DeskImportanceWeights weights;
  GString *out;

  g_return_val_if_fail (DESK_IS_ENTRY (entry), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fields = desk_editable_copy (desk_entry_get_fields (entry));
  if (draft != NULL)
    desk_editable_merge (fields, draft);

  if (editable_size (fields) > DESK_SANITIZE_MAX_BYTES)
    {
      g_set_error (error, DESK_SITE_RENDER_ERROR, DESK_SITE_RENDER_ERROR_TOO_LARGE,
                   _("The entry is larger than the site allows"));
      return NULL;
    }

  if (config != NULL)
    weights = config->weights;
  else
    desk_importance_weights_init_default (&weights);

  out = g_string_sized_new (4096 + (fields->body != NULL ? 2 * strlen (fields->body) : 0));
  g_string_append (out,
                   "<!DOCTYPE html>\n<html lang=\"ja\"><head>" DESK_CSP_META
                   "<meta charset=\"utf-8\">"
                   "<meta name=\"referrer\" content=\"no-referrer\">"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                   "<title>");
  if (fields->title != NULL)
    append_escaped (out, fields->title);
  g_string_append (out, "</title><style>");
  g_string_append (out, stylesheet);
  g_string_append (out, "</style></head>\n<body>\n<article class=\"entry\">\n<header>\n");

  if (!is_blank (fields->title))
    {
      g_string_append (out, "<h1 data-field=\"title\">");
      append_escaped (out, fields->title);
      g_string_append (out, "</h1>\n");
    }
  append_source_line (out, entry);
  append_tags (out, (const char * const *) fields->tags);
  g_string_append (out, "</header>\n");

  if (!is_blank (fields->tldr))
    {
      g_string_append (out, "<section class=\"tldr\" data-field=\"tldr\">\n");
      append_section_heading (out, C_("site", "TL;DR"));
      append_plain (out, "tldr-text", fields->tldr);
      g_string_append (out, "</section>\n");
    }
  append_importance (out, &fields->importance, &weights);
  append_key_points (out, fields->key_points);
  append_text_section (out, "impact", "impact", "impact-text", C_("site", "Impact analysis"),
                       fields->impact_analysis);
  append_text_section (out, "comment", "comment", "comment-text", C_("site", "Editorial comment"),
                       fields->editorial_comment);

  if ((flags & DESK_SITE_RENDER_NO_BODY) == 0 && !is_blank (fields->body))
    {
      g_autofree char *body = desk_markdown_to_html (fields->body, -1,
                                                     DESK_MARKDOWN_BLOCK_IDS |
                                                     DESK_MARKDOWN_NO_REMOTE_IMAGES);

      g_string_append (out, "<div class=\"body\" data-field=\"body\">\n");
      g_string_append (out, body);
      g_string_append (out, "</div>\n");
    }

  g_string_append (out, "</article>\n</body></html>\n");

  return g_string_free (out, FALSE);
}
