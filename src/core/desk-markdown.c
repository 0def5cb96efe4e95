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

/* ---- a fast block scanner ------------------------------------------------------ */

typedef enum {
  LINE_BLANK,
  LINE_TEXT,
  LINE_ATX,
  LINE_FENCE,
  LINE_QUOTE,
  LINE_BULLET,     /* "- ", "* ", "+ " */
  LINE_ORDERED,    /* "1. ", "2) " */
  LINE_BREAK,      /* a thematic break */
  LINE_SETEXT1,    /* "===" */
  LINE_HTML,
  LINE_INDENTED,   /* four spaces or more */
} LineKind;

typedef struct {
  gsize    start;    /* of the line */
  gsize    end;      /* of its text, before the line break */
  gsize    content;  /* after the indentation */
  guint    indent;
  LineKind kind;
  guint    level;    /* ATX level; the fence's length */
  char     fence;    /* '`' or '~' */
  gboolean ordered_one; /* an ordered item numbered 1 (may interrupt a paragraph) */
} Line;

static void
classify_line (const char *md,
               Line       *l)
{
  gsize i = l->start;
  guint indent = 0;

  while (i < l->end && (md[i] == ' ' || md[i] == '\t'))
    indent += md[i] == '\t' ? 4 - indent % 4 : 1, i++;
  l->content = i;
  l->indent = indent;
  l->level = 0;
  l->fence = 0;
  l->ordered_one = FALSE;
  if (i == l->end)
    {
      l->kind = LINE_BLANK;
      return;
    }
  if (indent >= 4)
    {
      l->kind = LINE_INDENTED;
      return;
    }
  switch (md[i])
    {
    case '#':
      {
        gsize j = i;

        while (j < l->end && md[j] == '#')
          j++;
        if (j - i <= 6 && (j == l->end || md[j] == ' ' || md[j] == '\t'))
          {
            l->kind = LINE_ATX;
            l->level = j - i;
            return;
          }
      }
      break;
    case '`':
    case '~':
      {
        gsize j = i;

        while (j < l->end && md[j] == md[i])
          j++;
        if (j - i >= 3 && (md[i] == '~' || memchr (md + j, '`', l->end - j) == NULL))
          {
            l->kind = LINE_FENCE;
            l->level = j - i;
            l->fence = md[i];
            return;
          }
      }
      break;
    case '>':
      l->kind = LINE_QUOTE;
      return;
    case '<':
      if (i + 1 < l->end && (g_ascii_isalpha (md[i + 1]) || md[i + 1] == '/' || md[i + 1] == '!' || md[i + 1] == '?'))
        {
          l->kind = LINE_HTML;
          return;
        }
      break;
    case '=':
      {
        gsize j = i;

        while (j < l->end && md[j] == '=')
          j++;
        while (j < l->end && (md[j] == ' ' || md[j] == '\t'))
          j++;
        if (j == l->end)
          {
            l->kind = LINE_SETEXT1;
            return;
          }
      }
      break;
    default:
      break;
    }
  if (md[i] == '-' || md[i] == '*' || md[i] == '_')
    {
      guint count = 0;
      gsize j = i;

      for (; j < l->end; j++)
        if (md[j] == md[i])
          count++;
        else if (md[j] != ' ' && md[j] != '\t')
          break;
      if (j == l->end && count >= 3)
        {
          l->kind = LINE_BREAK;
          return;
        }
    }
  if ((md[i] == '-' || md[i] == '*' || md[i] == '+') && (i + 1 == l->end || md[i + 1] == ' ' || md[i + 1] == '\t'))
    {
      l->kind = LINE_BULLET;
      l->fence = md[i];   /* the marker: a list goes on with the same one */
      return;
    }
  if (g_ascii_isdigit (md[i]))
    {
      gsize j = i;

      while (j < l->end && j - i < 9 && g_ascii_isdigit (md[j]))
        j++;
      if (j < l->end && (md[j] == '.' || md[j] == ')') && (j + 1 == l->end || md[j + 1] == ' ' || md[j + 1] == '\t'))
        {
          l->kind = LINE_ORDERED;
          l->fence = md[j];
          l->ordered_one = (j - i == 1 && md[i] == '1');
          return;
        }
    }
  l->kind = LINE_TEXT;
}

static void
push_span (GArray        *spans,
           const char    *md,
           const Line    *lines,
           guint          first,
           guint          last,
           DeskBlockKind  kind,
           guint          level)
{
  DeskSpan span = { 0 };

  while (last > first && lines[last].kind == LINE_BLANK)
    last--;
  span.kind = kind;
  span.level = level;
  span.start = lines[first].content;
  span.end = lines[last].end;
  while (span.end > span.start && (md[span.end - 1] == ' ' || md[span.end - 1] == '\t'))
    span.end--;
  span.line_start = first;
  span.line_end = last;
  g_array_append_val (spans, span);
}

GArray *
desk_markdown_scan_blocks (const char *md,
                           gssize      len)
{
  GArray *spans = g_array_new (FALSE, TRUE, sizeof (DeskSpan));
  g_autoptr(GArray) lines_array = g_array_new (FALSE, FALSE, sizeof (Line));
  Line *lines;
  gsize n, i = 0, start = 0;
  guint nl, k = 0;

  g_return_val_if_fail (md != NULL || len == 0, NULL);
  if (md == NULL)
    md = "";
  n = len < 0 ? strlen (md) : (gsize) len;

  for (;;)
    {
      const char *nlp = memchr (md + i, '\n', n - i);
      gsize e = nlp != NULL ? (gsize) (nlp - md) : n;
      Line l = { 0 };

      l.start = start;
      l.end = (e > start && md[e - 1] == '\r') ? e - 1 : e;
      classify_line (md, &l);
      g_array_append_val (lines_array, l);
      if (nlp == NULL)
        break;
      start = i = e + 1;
    }
  lines = (Line *) (gpointer) lines_array->data;
  nl = lines_array->len;

  while (k < nl)
    {
      Line *l = &lines[k];
      guint j;

      switch (l->kind)
        {
        case LINE_BLANK:
        case LINE_BREAK:
        case LINE_SETEXT1:
          if (l->kind == LINE_SETEXT1)
            {
              /* A stray "===" is a paragraph of its own. */
              push_span (spans, md, lines, k, k, DESK_BLOCK_PARAGRAPH, 0);
            }
          k++;
          break;

        case LINE_ATX:
          push_span (spans, md, lines, k, k, DESK_BLOCK_HEADING, l->level);
          k++;
          break;

        case LINE_FENCE:
          for (j = k + 1; j < nl; j++)
            if (lines[j].kind == LINE_FENCE && lines[j].fence == l->fence && lines[j].level >= l->level)
              {
                /* A closing fence has nothing after its characters. */
                gsize after = lines[j].content + lines[j].level;

                while (after < lines[j].end && (md[after] == ' ' || md[after] == '\t'))
                  after++;
                if (after == lines[j].end)
                  break;
              }
          push_span (spans, md, lines, k, MIN (j, nl - 1), DESK_BLOCK_CODE, 0);
          k = j + 1;
          break;

        case LINE_INDENTED:
          for (j = k + 1; j < nl && (lines[j].kind == LINE_INDENTED || lines[j].kind == LINE_BLANK); j++)
            ;
          push_span (spans, md, lines, k, j - 1, DESK_BLOCK_CODE, 0);
          k = j;
          break;

        case LINE_HTML:
          for (j = k + 1; j < nl && lines[j].kind != LINE_BLANK; j++)
            ;
          push_span (spans, md, lines, k, j - 1, DESK_BLOCK_OTHER, 0);
          k = j;
          break;

        case LINE_QUOTE:
          /* Until a blank line; lazy continuation lines belong to it. */
          for (j = k + 1; j < nl && lines[j].kind != LINE_BLANK; j++)
            if (lines[j].kind != LINE_QUOTE && lines[j].kind != LINE_TEXT && lines[j].kind != LINE_INDENTED)
              break;
          push_span (spans, md, lines, k, j - 1, DESK_BLOCK_QUOTE, 0);
          k = j;
          break;

        case LINE_BULLET:
        case LINE_ORDERED:
          {
            LineKind kind = l->kind;
            char marker = l->fence;

            for (j = k + 1; j < nl; j++)
              {
                const Line *m = &lines[j];

                if (m->kind == LINE_BLANK)
                  {
                    guint b = j;

                    while (b < nl && lines[b].kind == LINE_BLANK)
                      b++;
                    /* A loose list goes on with another item or an
                     * indented continuation. */
                    if (b < nl && ((lines[b].kind == kind && lines[b].fence == marker) || lines[b].indent >= 2))
                      {
                        j = b - 1;
                        continue;
                      }
                    break;
                  }
                if (m->indent >= 2 || (m->kind == kind && m->fence == marker) || m->kind == LINE_TEXT ||
                    m->kind == LINE_INDENTED)
                  continue;
                break;
              }
            push_span (spans, md, lines, k, j - 1, DESK_BLOCK_LIST, 0);
            k = j;
          }
          break;

        case LINE_TEXT:
        default:
          {
            gboolean setext = FALSE;
            guint level = 0;

            for (j = k + 1; j < nl; j++)
              {
                const Line *m = &lines[j];

                if (m->kind == LINE_TEXT || m->kind == LINE_INDENTED || m->kind == LINE_HTML ||
                    (m->kind == LINE_ORDERED && !m->ordered_one))
                  continue;
                if (m->kind == LINE_SETEXT1 ||
                    (m->kind == LINE_BREAK && md[m->content] == '-' &&
                     strspn (md + m->content, "- \t") >= m->end - m->content))
                  {
                    setext = TRUE;
                    level = m->kind == LINE_SETEXT1 ? 1 : 2;
                  }
                break;
              }
            if (setext)
              {
                push_span (spans, md, lines, k, j, DESK_BLOCK_HEADING, level);
                k = j + 1;
              }
            else
              {
                push_span (spans, md, lines, k, j - 1, DESK_BLOCK_PARAGRAPH, 0);
                k = j;
              }
          }
          break;
        }
    }

  /* Code point offsets, in one forward pass. */
  {
    gsize byte_pos = 0, char_pos = 0;

    for (guint s = 0; s < spans->len; s++)
      {
        DeskSpan *span = &g_array_index (spans, DeskSpan, s);

        for (; byte_pos < span->start; byte_pos++)
          if (((guchar) md[byte_pos] & 0xC0) != 0x80)
            char_pos++;
        span->cp_start = char_pos;
        for (; byte_pos < span->end; byte_pos++)
          if (((guchar) md[byte_pos] & 0xC0) != 0x80)
            char_pos++;
        span->cp_end = char_pos;
      }
  }
  return spans;
}
