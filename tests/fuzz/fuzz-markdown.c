/* fuzz-markdown.c: fuzz target for Markdown rendering and block splitting
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "desk-markdown.h"

#include "fuzz-common.h"

static gsize
count_lead_bytes (const char *s,
                  gsize       from,
                  gsize       to)
{
  gsize n = 0;

  for (gsize i = from; i < to; i++)
    if (((guchar) s[i] & 0xC0) != 0x80)
      n++;
  return n;
}

static void
check_spans (const char *md,
             gsize       len,
             GArray     *spans)
{
  gboolean valid = g_utf8_validate_len (md, len, NULL);
  guint n_lines = 1;
  gsize prev_end = 0;
  guint prev_line = 0;

  for (gsize i = 0; i < len; i++)
    if (md[i] == '\n' || (md[i] == '\r' && !(i + 1 < len && md[i + 1] == '\n')))
      n_lines++;

  for (guint i = 0; i < spans->len; i++)
    {
      const DeskSpan *span = &g_array_index (spans, DeskSpan, i);

      FUZZ_CHECK (span->start <= span->end && span->end <= len,
                  "span %u: [%zu, %zu) in %zu bytes", i, span->start, span->end, len);
      FUZZ_CHECK (i == 0 || span->start >= prev_end,
                  "span %u starts at %zu before the previous end %zu", i, span->start, prev_end);
      FUZZ_CHECK (span->line_start <= span->line_end && span->line_end < n_lines,
                  "span %u: lines %u–%u of %u", i, span->line_start, span->line_end, n_lines);
      FUZZ_CHECK (i == 0 || span->line_start > prev_line,
                  "span %u starts on line %u, the previous ended on %u", i, span->line_start, prev_line);
      FUZZ_CHECK (span->cp_start == count_lead_bytes (md, 0, span->start) &&
                  span->cp_end == count_lead_bytes (md, 0, span->end),
                  "span %u: code points [%zu, %zu) for bytes [%zu, %zu)", i,
                  span->cp_start, span->cp_end, span->start, span->end);
      FUZZ_CHECK (span->kind <= DESK_BLOCK_OTHER, "span %u: kind %d", i, span->kind);
      if (span->kind == DESK_BLOCK_HEADING)
        FUZZ_CHECK (span->level >= 1 && span->level <= 6, "span %u: level %u", i, span->level);
      if (valid)
        {
          /* On valid text, spans fall on character boundaries, and then the
           * code point offsets are the ordinary ones. */
          FUZZ_CHECK ((span->start == len || ((guchar) md[span->start] & 0xC0) != 0x80) &&
                      (span->end == len || ((guchar) md[span->end] & 0xC0) != 0x80),
                      "span %u cuts a character", i);
          FUZZ_CHECK ((gsize) g_utf8_strlen (md, span->start) == span->cp_start, "span %u: cp_start", i);
        }
      prev_end = span->end;
      prev_line = span->line_end;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GArray) spans = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *with_ids = NULL;
  g_autofree char *block_marker = NULL;
  DeskMarkdownFlags flags;
  const char *md;

  fuzz_setup ();
  if (size < 1)
    return 0;

  /* The first byte picks the flags; the rest is the text. */
  flags = data[0] & (DESK_MARKDOWN_SOURCEPOS | DESK_MARKDOWN_BLOCK_IDS | DESK_MARKDOWN_NO_REMOTE_IMAGES);
  md = (const char *) data + 1;
  size--;

  plain = desk_markdown_to_html (md, size, flags & ~DESK_MARKDOWN_BLOCK_IDS);
  FUZZ_CHECK (plain != NULL && g_utf8_validate (plain, -1, NULL), "rendering is not UTF-8");
  FUZZ_CHECK (!fuzz_contains_ci (plain, "<script"), "a script:\n%s", plain);
  /* Without NO_REMOTE_IMAGES, <img src="https://…"> is what cmark writes. */
  if ((flags & DESK_MARKDOWN_NO_REMOTE_IMAGES) != 0)
    FUZZ_CHECK (fuzz_check_tags (plain) == 0, "an http-equiv:\n%s", plain);

  spans = desk_markdown_split_blocks (md, size);
  FUZZ_CHECK (spans != NULL, "no spans");
  check_spans (md, size, spans);

  /* With block ids, every span has its anchor and there is none beyond. */
  with_ids = desk_markdown_to_html (md, size, flags | DESK_MARKDOWN_BLOCK_IDS);
  FUZZ_CHECK (with_ids != NULL, "no rendering with block ids");
  FUZZ_CHECK (!fuzz_contains_ci (with_ids, "<script"), "a script:\n%s", with_ids);
  if (spans->len > 0)
    {
      g_autofree char *last = g_strdup_printf (" data-block=\"%u\"", spans->len - 1);
      FUZZ_CHECK (strstr (with_ids, last) != NULL, "no anchor for the last span %u:\n%s", spans->len - 1, with_ids);
    }
  block_marker = g_strdup_printf (" data-block=\"%u\"", spans->len);
  FUZZ_CHECK (strstr (with_ids, block_marker) == NULL, "an anchor beyond %u spans:\n%s", spans->len, with_ids);

  return 0;
}
