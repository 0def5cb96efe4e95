/* desk-markdown.h: Markdown to HTML through cmark in safe mode, and the blocks of a translation
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "desk-sanitize.h"

G_BEGIN_DECLS

typedef enum {
  DESK_MARKDOWN_DEFAULT   = 0,
  /* data-sourcepos="line:col-line:col" on block elements, for the preview
   * to find the paragraph under the editor's cursor. */
  DESK_MARKDOWN_SOURCEPOS = 1 << 0,
  /* data-block="N" on the element of each top-level block, N being the
   * block's index in desk_markdown_split_blocks() of the same text. A block
   * that safe mode renders as no element (an HTML block) becomes an empty
   * <div data-block="N"></div>, so every index has an anchor. */
  DESK_MARKDOWN_BLOCK_IDS = 1 << 1,
  /* An image whose target is not a data: image (which safe mode keeps)
   * becomes the text "[Image: alt]", translated, or nothing without alt
   * text: a page under the preview's CSP would only show it broken, and
   * the output then names no resource to load at all. */
  DESK_MARKDOWN_NO_REMOTE_IMAGES = 1 << 2,
} DeskMarkdownFlags;

/* One top-level block of a Markdown text. Offsets are half-open, in bytes
 * and in code points; lines count from 0. The span starts at the block's
 * first character and ends after its last non-blank line, without the line
 * break. */
typedef struct {
  gsize          start;
  gsize          end;
  gsize          cp_start;
  gsize          cp_end;
  guint          line_start;
  guint          line_end;   /* the last line, inclusive */
  DeskBlockKind  kind;
  guint          level;      /* 1–6 for headings, else 0 */
} DeskSpan;

/* Renders @md (@len bytes, or NUL-terminated when -1) as an HTML fragment
 * with cmark's safe mode: raw HTML is left out, and javascript:, vbscript:,
 * file: and data: links lose their target (data: images are kept). Invalid UTF-8 is
 * replaced. Smart punctuation is off: it would turn the ASCII quotes and
 * dashes that the QA reports inside Japanese sentences into typographic
 * ones, hiding them in the preview. */
char   *desk_markdown_to_html            (const char         *md,
                                          gssize              len,
                                          DeskMarkdownFlags   flags);

/* The top-level blocks of @md in order (DeskSpan): paragraphs, headings,
 * whole lists, block quotes, code blocks (a fenced block is one block even
 * with blank lines inside) and HTML blocks (kind "other"), as CommonMark
 * reads them. Thematic breaks and blank lines are not blocks. */
GArray *desk_markdown_split_blocks       (const char         *md,
                                          gssize              len);

/* The same blocks found by a line scanner, without building a document: it
 * agrees with desk_markdown_split_blocks() on ordinary Markdown (ATX and
 * setext headings, paragraphs, tight and loose lists, block quotes, fenced
 * and indented code, thematic breaks, HTML blocks) and is several times
 * faster, for the QA that runs on every keystroke. Nested containers are
 * seen only by their outer block. */
GArray *desk_markdown_scan_blocks        (const char         *md,
                                          gssize              len);

G_END_DECLS
