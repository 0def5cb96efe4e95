/* desk-align.h: alignment of a translation's blocks with its original's blocks
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "desk-markdown.h"
#include "desk-sanitize.h"

G_BEGIN_DECLS

/* One step of the alignment. A translation block aligned with one original
 * block has original_count 1; with two (the translation merged them),
 * original_count 2 from original_index on. Two translation blocks that split
 * one original appear as two pairs with the same original_index. A
 * translation block with no original (added text, copied boilerplate) has
 * original_index -1 and original_count 0; an original block with no
 * translation (an omission) has translation_index -1. Chrome blocks of the
 * original left without translation are not listed: nothing is missing.
 * @score is the confidence of the pair, in (0, 1]; 0 for unaligned ones. */
typedef struct {
  int    translation_index;
  int    original_index;
  int    original_count;
  double score;
} DeskAlignPair;

/* Aligns @translation_spans (DeskSpan of desk_markdown_split_blocks()
 * over @translation) with @original_blocks (DeskBlock of
 * desk_sanitize_segment()) and returns DeskAlignPair in reading order.
 *
 * A monotone dynamic programme over both sequences in the manner of Gale and
 * Church: blocks are matched by order, and where the counts differ, by
 * length — a Japanese translation runs at about 0.55 code points of CJK
 * text per English character, while Latin names and numbers are copied one
 * to one — by kind (a Markdown heading goes with an <hN>) and by shared
 * numbers and Latin words (names, timestamps). Steps are 1–1, 2–1, 1–2,
 * 1–0 (an omitted original block; free for chrome) and 0–1. */
GArray *desk_align                     (GPtrArray   *original_blocks,
                                        GArray      *translation_spans,
                                        const char  *translation);

/* The original block index aligned with translation block @translation_index
 * in @pairs, or -1. */
/* The same alignment, kept between runs for one original: the units of
 * translation blocks already seen are reused, and the table is computed
 * again only from the first block that changed, so re-aligning after an
 * edit costs in proportion to what follows the edit. */
typedef struct _DeskAligner DeskAligner;

DeskAligner *desk_aligner_new        (GPtrArray   *original_blocks);
void         desk_aligner_free       (DeskAligner *self);
GArray      *desk_aligner_align      (DeskAligner *self,
                                      GArray      *translation_spans,
                                      const char  *translation);
/* How many columns (translation blocks + 1) the last run computed. */
guint        desk_aligner_get_last_columns (DeskAligner *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskAligner, desk_aligner_free)

int     desk_align_original_for        (GArray      *pairs,
                                        int          translation_index);

/* The first translation block index aligned with original block
 * @original_index in @pairs, or -1. */
int     desk_align_translation_for     (GArray      *pairs,
                                        int          original_index);

G_END_DECLS
