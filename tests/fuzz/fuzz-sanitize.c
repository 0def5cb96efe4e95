/* fuzz-sanitize.c: fuzz target for the sanitizer and segmenter of original HTML
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "desk-sanitize.h"

#include "fuzz-common.h"

#define DOCUMENT_START "<!DOCTYPE html>\n<html><head>" DESK_CSP_META

/* Nothing that runs or loads may come through, whatever the flags. */
static void
check_html (const char        *html,
            DeskSanitizeFlags  flags)
{
  guint n_meta;

  FUZZ_CHECK (g_utf8_validate (html, -1, NULL), "output is not UTF-8");
  FUZZ_CHECK (!fuzz_contains_ci (html, "<script"), "a script:\n%s", html);
  n_meta = fuzz_check_tags (html);
  if ((flags & DESK_SANITIZE_BODY_ONLY) == 0)
    {
      FUZZ_CHECK (g_str_has_prefix (html, DOCUMENT_START), "no CSP meta first:\n%.200s", html);
      FUZZ_CHECK (n_meta == 1, "%u http-equiv:\n%s", n_meta, html);
    }
  else
    FUZZ_CHECK (n_meta == 0, "%u http-equiv in a body:\n%s", n_meta, html);
}

static void
check_blocks (GPtrArray *blocks)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      DeskBlock *block = g_ptr_array_index (blocks, i);

      FUZZ_CHECK (block->index == i, "block %u has index %u", i, block->index);
      FUZZ_CHECK (block->kind <= DESK_BLOCK_OTHER, "block %u has kind %d", i, block->kind);
      FUZZ_CHECK (block->text != NULL && block->text[0] != '\0', "block %u has no text", i);
      FUZZ_CHECK (g_utf8_validate (block->text, -1, NULL), "block %u is not UTF-8", i);
      FUZZ_CHECK ((gsize) g_utf8_strlen (block->text, -1) == block->n_chars,
                  "block %u: n_chars %u for %ld code points", i, block->n_chars,
                  g_utf8_strlen (block->text, -1));
      FUZZ_CHECK (!g_ascii_isspace (block->text[0]) &&
                  !g_ascii_isspace (block->text[strlen (block->text) - 1]),
                  "block %u is not trimmed: [%s]", i, block->text);
      if (block->kind == DESK_BLOCK_HEADING)
        FUZZ_CHECK (block->level >= 1 && block->level <= 6, "heading level %u", block->level);
      else
        FUZZ_CHECK (block->level == 0, "level %u on kind %d", block->level, block->kind);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GPtrArray) blocks2 = NULL;
  g_autofree char *html = NULL;
  g_autofree char *html2 = NULL;
  DeskSanitizeFlags flags;

  fuzz_setup ();
  if (size < 1)
    return 0;

  /* The first byte picks the flags; the rest is the page. */
  flags = data[0] & (DESK_SANITIZE_BODY_ONLY | DESK_SANITIZE_NO_BLOCK_IDS);
  data++;
  size--;

  html = desk_sanitize_html_and_segment ((const char *) data, size, flags, &blocks, &error);
  if (html == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == DESK_SANITIZE_ERROR, "a failure without an error");
      return 0;
    }
  FUZZ_CHECK (blocks != NULL, "no blocks");
  check_html (html, flags);
  check_blocks (blocks);

  /* The two-in-one call and the separate ones agree. */
  html2 = desk_sanitize_html ((const char *) data, size, flags, NULL);
  FUZZ_CHECK (html2 != NULL && strcmp (html, html2) == 0, "desk_sanitize_html differs");
  blocks2 = desk_sanitize_segment ((const char *) data, size, NULL);
  FUZZ_CHECK (blocks2 != NULL && blocks2->len == blocks->len, "desk_sanitize_segment differs");
  for (guint i = 0; i < blocks->len; i++)
    FUZZ_CHECK (strcmp (((DeskBlock *) blocks->pdata[i])->text, ((DeskBlock *) blocks2->pdata[i])->text) == 0,
                "block %u differs", i);

  return 0;
}
