/* desk-site-render.h: an entry as the public digest site shows it, as one self-contained HTML page
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-api-types.h"

G_BEGIN_DECLS

#define DESK_SITE_RENDER_ERROR (desk_site_render_error_quark ())

typedef enum {
  /* The editable fields together are larger than an entry may be
   * (DESK_SANITIZE_MAX_BYTES): the site would never show them. */
  DESK_SITE_RENDER_ERROR_TOO_LARGE,
} DeskSiteRenderError;

typedef enum {
  DESK_SITE_RENDER_DEFAULT = 0,
  /* Leave out the body (a quick look at the header fields, or an entry
   * read from a summary). */
  DESK_SITE_RENDER_NO_BODY = 1 << 0,
} DeskSiteRenderFlags;

GQuark  desk_site_render_error_quark (void);

/* Renders @entry the way the public site shows it, with the fields present
 * in @draft (nullable) in place of the entry's. @config (nullable: the
 * contract's defaults) gives the importance weights, shown as percentages
 * of their sum, as desk_importance_weighted_mean() weighs them.
 *
 * The result is a whole UTF-8 HTML5 document, <html lang="ja">, whose <head>
 * starts with DESK_CSP_META and holds the only stylesheet; it contains no
 * script, no event attribute and nothing that loads (the only URLs are
 * <a href> targets: the source's http(s) URL and the body's links, which
 * cmark's safe mode has cleaned, and data: images). Every text is escaped;
 * the body goes through desk_markdown_to_html() (raw HTML left out, remote
 * images shown as their alt text: DESK_MARKDOWN_NO_REMOTE_IMAGES).
 *
 * In order, each only when not empty: the title (h1), a source line (the
 * source's name, linked to its URL; the original's publication date in
 * Japan time, 「2026年5月11日」; 「約23分で読めます」 when reading_minutes
 * is at least 1), the tags, the TL;DR, the importance (overall as stars out
 * of 5, then depth, relevance, practicality and innovation as bars with
 * their weights), the numbered key points, the impact analysis, the
 * editorial comment and the body. Each carries data-field="title", "tags",
 * "tldr", "importance", "key_points", "impact", "comment" or "body". In the
 * body, the element of each top-level Markdown block carries data-block="N",
 * N being its index in desk_markdown_split_blocks() of the same body (see
 * DESK_MARKDOWN_BLOCK_IDS). Labels come from gettext (the site is Japanese:
 * the ja catalog has 深さ, 関連性, 実用性, 革新性, …). */
char   *desk_site_render_entry       (DeskEntry             *entry,
                                      const DeskEditable    *draft,
                                      const DeskSiteConfig  *config,
                                      DeskSiteRenderFlags    flags,
                                      GError               **error);

G_END_DECLS
