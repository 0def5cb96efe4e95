/* desk-store-text.h: the plain text the store indexes for search
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The text of an untrusted HTML fragment or page, for the search index
 * only (never for display): tags removed, the content of script, style,
 * template, noscript and comments dropped, character references decoded
 * (invalid ones become U+FFFD), runs of white space collapsed to one space.
 * @html need not be valid UTF-8; invalid bytes become U+FFFD. */
char     *desk_store_html_to_text     (const char *html);

/* @text with every character of a script written without spaces (Han,
 * Hiragana, Katakana, Hangul, Thai, …) set apart by spaces, so that an
 * FTS5 unicode61 tokenizer makes each of them a token while words of other
 * scripts stay whole. Both the indexed text and the query go through it.
 * Characters that are neither letters nor digits become spaces. */
char     *desk_store_search_grams     (const char *text);
/* Whether @c is one of the characters desk_store_search_grams sets apart. */
gboolean  desk_store_char_is_unspaced (gunichar    c);

G_END_DECLS
