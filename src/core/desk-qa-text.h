/* desk-qa-text.h: text machinery of the QA checks (private to src/core)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A piece of text decoded once: code points, and where each starts in the
 * UTF-8 bytes (@byte_of has n + 1 entries). */
typedef struct {
  const char *s;         /* not owned */
  gsize       n_bytes;
  gunichar   *cp;
  gsize      *byte_of;
  gsize       n;
} DeskQaText;

void      desk_qa_text_init   (DeskQaText *t, const char *s, gsize n_bytes);
void      desk_qa_text_clear  (DeskQaText *t);
/* The code point index of byte offset @b (which must start a character). */
gsize     desk_qa_text_cp_at  (const DeskQaText *t, gsize b);

gboolean  desk_qa_is_hiragana (gunichar c);
gboolean  desk_qa_is_katakana (gunichar c);   /* full and half width, ー included */
gboolean  desk_qa_is_kanji    (gunichar c);
gboolean  desk_qa_is_japanese (gunichar c);   /* kana, kanji, Japanese punctuation */
gboolean  desk_qa_is_latin    (gunichar c);   /* ASCII letters */
gboolean  desk_qa_is_fw_alnum (gunichar c);   /* Ａ–Ｚ ａ–ｚ ０–９ */

/* A number found in text, with its value scaled (12 billion = 1.2e10,
 * 120億 = 1.2e10, 13% = 13). */
typedef struct {
  double value;
  gsize  start;   /* code points in the text */
  gsize  end;
  gboolean weak;  /* a spelled-out English word ("two"): matches, never missed */
  double alt;     /* another reading, or 0: "7B" is 7 as written and 7e9 */
  gboolean count; /* a weak word that counts things ("a single", "two"), not
                   * an ordinal, a month or "half" */
} DeskQaNumber;

/* Numbers of English text (digits, "1,200", "3.2x", "$18 million",
 * "34-billion", "5k", number words one–twenty). */
GArray   *desk_qa_numbers_en  (const DeskQaText *t);
/* Numbers of Japanese text (ASCII and 全角 digits, 万/億/兆 scales,
 * "1兆2000億"); spans widened to a leading 約 and a trailing unit. */
GArray   *desk_qa_numbers_ja  (const DeskQaText *t);
gboolean  desk_qa_number_equal (double a, double b);

G_END_DECLS
