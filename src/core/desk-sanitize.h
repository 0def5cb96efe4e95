/* desk-sanitize.h: allowlist sanitizing and block segmenting of untrusted original HTML
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DESK_SANITIZE_ERROR (desk_sanitize_error_quark ())

typedef enum {
  DESK_SANITIZE_ERROR_TOO_LARGE,  /* input over DESK_SANITIZE_MAX_BYTES */
  DESK_SANITIZE_ERROR_PARSE,      /* libxml2 built no document at all */
} DeskSanitizeError;

/* Originals come inside entries, which the contract caps at 8 MiB. */
#define DESK_SANITIZE_MAX_BYTES ((gsize) 8 * 1024 * 1024)
/* Elements nested deeper than this are flattened: their text is kept, their
 * tags are not written, so the output never nests deeper either. */
#define DESK_SANITIZE_MAX_DEPTH 64

/* The policy of every document the core writes for a web view: nothing
 * loads (no scripts, styles from files, fonts, frames or remote images),
 * inline styles and data: images excepted. The meta tag must come first in
 * <head>, before anything it is meant to govern. */
#define DESK_CSP_POLICY "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
#define DESK_CSP_META   "<meta http-equiv=\"Content-Security-Policy\" content=\"" DESK_CSP_POLICY "\">"

typedef enum {
  DESK_SANITIZE_DEFAULT        = 0,
  /* Only the content of <body>, for embedding; the caller then owns the
   * CSP. Without it the result is a whole document with the CSP meta tag. */
  DESK_SANITIZE_BODY_ONLY      = 1 << 0,
  /* Leave out the data-block="N" attributes. */
  DESK_SANITIZE_NO_BLOCK_IDS   = 1 << 1,
} DeskSanitizeFlags;

/* Shared by the original's blocks and the translation's Markdown blocks. */
typedef enum {
  DESK_BLOCK_HEADING,
  DESK_BLOCK_PARAGRAPH,
  DESK_BLOCK_LIST,
  DESK_BLOCK_QUOTE,
  DESK_BLOCK_CODE,
  DESK_BLOCK_TABLE,
  DESK_BLOCK_OTHER,
} DeskBlockKind;

/* One block of the original, in reading order. @chrome marks page chrome
 * (share bars, subscribe calls, ads, comment links, nav/aside/footer/header
 * content): still a block, so that the view can number it and the QA can
 * recognise it when a translation copies it, but nothing that needs a
 * translation. */
typedef struct {
  guint          index;
  DeskBlockKind  kind;
  guint          level;     /* 1–6 for headings, else 0 */
  gboolean       chrome;
  char          *text;      /* plain, whitespace collapsed and trimmed */
  guint          n_chars;   /* code points in @text */
} DeskBlock;

GQuark      desk_sanitize_error_quark          (void);

void        desk_block_free                    (DeskBlock          *block);
const char *desk_block_kind_to_string          (DeskBlockKind       kind);

/* Parses @html (@len bytes, or NUL-terminated when -1; a fragment or a whole
 * page; invalid UTF-8 and NUL bytes are replaced) with libxml2's HTML parser,
 * without network or entities from outside, and writes back only the
 * allowlist: text, a few structural and phrase elements, href on <a> when it
 * is http, https or mailto, title, lang, dir, colspan/rowspan. Images become
 * a text placeholder with their alt text. Scripts, styles, frames, objects,
 * forms, SVG, MathML, templates and the like are dropped with their content.
 * Each block of desk_sanitize_segment() carries data-block="N".
 *
 * The result is a self-contained UTF-8 document whose <head> starts with a
 * Content-Security-Policy meta tag ("default-src 'none'; style-src
 * 'unsafe-inline'; img-src data:") followed by a built-in stylesheet; it
 * references nothing outside itself. */
char       *desk_sanitize_html                 (const char         *html,
                                                gssize              len,
                                                DeskSanitizeFlags   flags,
                                                GError            **error);

/* The blocks of the original in reading order (DeskBlock, owned by the
 * array): h1–h6, p, a whole top-level list (ul, ol, dl), blockquote, pre,
 * table; text standing directly in other containers (div, section, nav, …)
 * forms a block of kind DESK_BLOCK_OTHER. Blocks inside another block (a <p>
 * in a <blockquote> or <li>) belong to the outer one. Blocks without text
 * are left out; indices run from 0 without gaps. What the sanitizer drops
 * with its content (scripts, forms and buttons, …) is never a block. */
GPtrArray  *desk_sanitize_segment              (const char         *html,
                                                gssize              len,
                                                GError            **error);

/* Both at once, from one parse: returns the HTML, and the blocks in
 * @blocks when not NULL. */
char       *desk_sanitize_html_and_segment     (const char         *html,
                                                gssize              len,
                                                DeskSanitizeFlags   flags,
                                                GPtrArray         **blocks,
                                                GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskBlock, desk_block_free)

G_END_DECLS
