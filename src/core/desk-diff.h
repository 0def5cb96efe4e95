/* desk-diff.h: character and word differences between two texts, and post-edit effort
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DESK_DIFF_CHAR,  /* every code point is a token */
  DESK_DIFF_WORD,  /* letter and digit runs of any script are words */
  /* Runs of Latin (and other space-separated scripts') letters and digits
   * are words; every Han, kana and Hangul character is a token of its own;
   * whitespace runs are one token; any other character is its own token.
   * Japanese prose then differs by character, English by word. */
  DESK_DIFF_AUTO,
} DeskDiffGranularity;

typedef enum {
  DESK_DIFF_EQUAL,
  DESK_DIFF_INSERT,
  DESK_DIFF_DELETE,
} DeskDiffKind;

/* Offsets in code points, half-open. An insert has a_start == a_end (where
 * in @a it goes), a delete b_start == b_end. */
typedef struct {
  DeskDiffKind kind;
  gsize        a_start;
  gsize        a_end;
  gsize        b_start;
  gsize        b_end;
} DeskDiffOp;

/* The edit script that turns @a into @b (both UTF-8; invalid sequences
 * count as U+FFFD), as DeskDiffOp in order: the ops cover both texts
 * without gaps, no two neighbours have the same kind, and a changed stretch
 * is a delete followed by an insert. Myers' O(ND) algorithm in linear space,
 * after trimming the common prefix and suffix; when the texts differ too
 * much to finish quickly, it settles for a valid script that is not
 * necessarily the shortest (as GNU diff and git do). */
GArray *desk_diff                 (const char           *a,
                                   const char           *b,
                                   DeskDiffGranularity   granularity);

/* Post-edit effort: the edit distance between the two texts in DESK_DIFF_AUTO
 * tokens, where a changed stretch of d deleted and i inserted tokens costs
 * max (d, i) (substitutions first), divided by the longer text's token count.
 * 0.0 for identical texts, 1.0 when nothing was kept. */
double  desk_edit_distance_ratio  (const char           *machine,
                                   const char           *edited);

G_END_DECLS
