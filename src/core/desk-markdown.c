/* desk-markdown.c: Markdown to HTML through cmark in safe mode, and the blocks of a translation
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cmark.h>
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
