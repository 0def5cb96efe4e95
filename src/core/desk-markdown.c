/* desk-markdown.c: Markdown to HTML through cmark in safe mode, and the blocks of a translation
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cmark.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-markdown.h"

/* cmark's safe mode keeps data:image/… targets, which suits images (the
 * preview's CSP allows data: images) but not links: a click would open a
 * document the editor never saw. */
static void
drop_data_links (cmark_node *doc)
{
  cmark_iter *iter = cmark_iter_new (doc);
  cmark_event_type ev;

  while ((ev = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      const char *url;

      if (ev != CMARK_EVENT_ENTER || cmark_node_get_type (node) != CMARK_NODE_LINK)
        continue;
      url = cmark_node_get_url (node);
      if (url == NULL)
        continue;
      while (*url != '\0' && (guchar) *url <= 0x20)
        url++;
      if (g_ascii_strncasecmp (url, "data:", 5) == 0)
        cmark_node_set_url (node, "");
    }
  cmark_iter_free (iter);
}

static void
append_alt_text (GString    *alt,
                 cmark_node *image)
{
  cmark_iter *iter = cmark_iter_new (image);
  cmark_event_type ev;

  while ((ev = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);

      if (ev != CMARK_EVENT_ENTER)
        continue;
      switch (cmark_node_get_type (node))
        {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
          g_string_append (alt, cmark_node_get_literal (node));
          break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
          g_string_append_c (alt, ' ');
          break;
        default:
          break;
        }
    }
  cmark_iter_free (iter);
}

/* The data: images that cmark's safe mode keeps; it empties the others. */
static gboolean
is_kept_data_image (const char *url)
{
  static const char * const kept[] = {
    "data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp",
  };

  if (url == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    if (g_ascii_strncasecmp (url, kept[i], strlen (kept[i])) == 0)
      return TRUE;
  return FALSE;
}

/* Images are collected first and replaced after: the iterator must not see
 * the tree change under it. An image inside another's alt text goes with
 * its parent, so it is not collected. */
static void
replace_remote_images (cmark_node *doc)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  cmark_iter *iter = cmark_iter_new (doc);
  cmark_event_type ev;
  cmark_node *outer = NULL;

  while ((ev = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      const char *url;

      if (cmark_node_get_type (node) != CMARK_NODE_IMAGE)
        continue;
      if (ev == CMARK_EVENT_EXIT)
        {
          if (node == outer)
            outer = NULL;
          continue;
        }
      if (outer != NULL)
        continue;
      url = cmark_node_get_url (node);
      if (is_kept_data_image (url))
        continue;
      g_ptr_array_add (images, node);
      outer = node;
    }
  cmark_iter_free (iter);

  for (guint i = 0; i < images->len; i++)
    {
      cmark_node *image = g_ptr_array_index (images, i);
      g_autoptr(GString) alt = g_string_new (NULL);

      append_alt_text (alt, image);
      g_strstrip (alt->str);
      if (alt->str[0] != '\0')
        {
          cmark_node *text = cmark_node_new (CMARK_NODE_TEXT);
          /* TRANSLATORS: replaces a never-loaded image; %s is its alt text */
          g_autofree char *label = g_strdup_printf (_("[Image: %s]"), alt->str);

          cmark_node_set_literal (text, label);
          cmark_node_insert_before (image, text);
        }
      cmark_node_free (image);
    }
}

/* What desk_markdown_split_blocks() counts as a block: every top-level node
 * but thematic breaks (node_kind() skips them). Both must agree. */
static gboolean
is_counted_block (cmark_node *node)
{
  return cmark_node_get_type (node) != CMARK_NODE_THEMATIC_BREAK;
}

/* Renders the top-level nodes one by one from the one parse (so reference
 * links still resolve) and marks the opening tag of each counted block. */
static char *
render_with_block_ids (cmark_node *doc,
                       int         options)
{
  GString *out = g_string_new (NULL);
  guint index = 0;

  for (cmark_node *node = cmark_node_first_child (doc); node != NULL; node = cmark_node_next (node))
    {
      char *html = cmark_render_html (node, options);

      if (!is_counted_block (node))
        g_string_append (out, html);
      else if (html[0] == '<' && g_ascii_isalpha (html[1]))
        {
          gsize name_end = 1;

          while (g_ascii_isalnum (html[name_end]))
            name_end++;
          g_string_append_len (out, html, name_end);
          g_string_append_printf (out, " data-block=\"%u\"", index);
          g_string_append (out, html + name_end);
          index++;
        }
      else
        {
          g_string_append_printf (out, "<div data-block=\"%u\"></div>\n", index);
          g_string_append (out, html);
          index++;
        }
      cmark_get_default_mem_allocator ()->free (html);
    }

  return g_string_free (out, FALSE);
}

char *
desk_markdown_to_html (const char        *md,
                       gssize             len,
                       DeskMarkdownFlags  flags)
{
  int options = CMARK_OPT_VALIDATE_UTF8;
  cmark_node *doc;
  char *html;
  char *copy;
  gsize n;

  g_return_val_if_fail (md != NULL || len == 0, NULL);

  n = len < 0 ? strlen (md) : (gsize) len;
  if ((flags & DESK_MARKDOWN_SOURCEPOS) != 0)
    options |= CMARK_OPT_SOURCEPOS;

  /* CMARK_OPT_UNSAFE is never set: raw HTML and dangerous links are
   * dropped, which is cmark's default since 0.29. */
  doc = cmark_parse_document (md != NULL ? md : "", n, options);
  drop_data_links (doc);
  if ((flags & DESK_MARKDOWN_NO_REMOTE_IMAGES) != 0)
    replace_remote_images (doc);
  if ((flags & DESK_MARKDOWN_BLOCK_IDS) != 0)
    {
      copy = render_with_block_ids (doc, options);
      cmark_node_free (doc);
      return copy;
    }
  html = cmark_render_html (doc, options);
  cmark_node_free (doc);

  /* cmark allocates with its own allocator; hand back GLib memory. */
  copy = g_strdup (html);
  cmark_get_default_mem_allocator ()->free (html);
  return copy;
}

static DeskBlockKind
node_kind (cmark_node *node,
           gboolean   *skip)
{
  *skip = FALSE;
  switch (cmark_node_get_type (node))
    {
    case CMARK_NODE_HEADING: return DESK_BLOCK_HEADING;
    case CMARK_NODE_PARAGRAPH: return DESK_BLOCK_PARAGRAPH;
    case CMARK_NODE_LIST: return DESK_BLOCK_LIST;
    case CMARK_NODE_BLOCK_QUOTE: return DESK_BLOCK_QUOTE;
    case CMARK_NODE_CODE_BLOCK: return DESK_BLOCK_CODE;
    case CMARK_NODE_THEMATIC_BREAK:
      *skip = TRUE;
      return DESK_BLOCK_OTHER;
    default: return DESK_BLOCK_OTHER;
    }
}

static gboolean
is_blank (const char *s,
          gsize       start,
          gsize       end)
{
  for (gsize i = start; i < end; i++)
    if (s[i] != ' ' && s[i] != '\t')
      return FALSE;
  return TRUE;
}

/* cmark's end positions are unreliable for lists, code and HTML blocks, so
 * a block runs from its start to the line before the next block, less the
 * blank lines at its end. */
GArray *
desk_markdown_split_blocks (const char *md,
                            gssize      len)
{
  GArray *spans;
  g_autoptr(GArray) line_starts = NULL;  /* byte offset of each line */
  g_autoptr(GArray) line_ends = NULL;    /* byte offset of its line break */
  cmark_node *doc;
  gsize n;
  gsize char_pos = 0;
  gsize byte_pos = 0;

  g_return_val_if_fail (md != NULL || len == 0, NULL);

  if (md == NULL)
    md = "";
  n = len < 0 ? strlen (md) : (gsize) len;
  spans = g_array_new (FALSE, TRUE, sizeof (DeskSpan));

  line_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  line_ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  {
    gsize i = 0;
    gsize start = 0;

    while (i < n)
      {
        if (md[i] == '\n' || md[i] == '\r')
          {
            g_array_append_val (line_starts, start);
            g_array_append_val (line_ends, i);
            if (md[i] == '\r' && i + 1 < n && md[i + 1] == '\n')
              i++;
            start = ++i;
          }
        else
          i++;
      }
    g_array_append_val (line_starts, start);
    g_array_append_val (line_ends, n);
  }

  doc = cmark_parse_document (md, n, CMARK_OPT_VALIDATE_UTF8);

  for (cmark_node *node = cmark_node_first_child (doc); node != NULL; node = cmark_node_next (node))
    {
      DeskSpan span = { 0 };
      cmark_node *next;
      gboolean skip;
      guint first, last, limit;
      int column;

      span.kind = node_kind (node, &skip);
      if (skip)
        continue;
      if (span.kind == DESK_BLOCK_HEADING)
        span.level = cmark_node_get_heading_level (node);

      first = MAX (cmark_node_get_start_line (node), 1) - 1;
      if (first >= line_starts->len)
        continue;

      next = cmark_node_next (node);
      limit = next != NULL ? (guint) MAX (cmark_node_get_start_line (next), 1) - 1
                           : line_starts->len;
      limit = CLAMP (limit, first + 1, line_starts->len);

      /* An ATX heading is a single line. */
      if (span.kind == DESK_BLOCK_HEADING &&
          cmark_node_get_start_line (node) == cmark_node_get_end_line (node))
        limit = first + 1;

      last = limit - 1;
      while (last > first &&
             is_blank (md, g_array_index (line_starts, gsize, last), g_array_index (line_ends, gsize, last)))
        last--;

      column = MAX (cmark_node_get_start_column (node), 1) - 1;
      span.start = g_array_index (line_starts, gsize, first);
      span.start = MIN (span.start + column, g_array_index (line_ends, gsize, first));
      span.end = g_array_index (line_ends, gsize, last);
      while (span.end > span.start && (md[span.end - 1] == ' ' || md[span.end - 1] == '\t'))
        span.end--;
      span.line_start = first;
      span.line_end = last;

      /* Spans only move forward, so counting code points is linear; lead
       * bytes are counted, which also holds for invalid UTF-8. */
      for (; byte_pos < span.start; byte_pos++)
        if (((guchar) md[byte_pos] & 0xC0) != 0x80)
          char_pos++;
      span.cp_start = char_pos;
      for (; byte_pos < span.end; byte_pos++)
        if (((guchar) md[byte_pos] & 0xC0) != 0x80)
          char_pos++;
      span.cp_end = char_pos;

      g_array_append_val (spans, span);
    }

  cmark_node_free (doc);

  return spans;
}
