/* desk-merge.h: three-way merge of an editor's draft with the site's current entry
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-entry-parts.h"

G_BEGIN_DECLS

/* Merges per field: @base is the revision the draft started from (all fields
 * present), @mine the draft (fields absent there count as unchanged), @theirs
 * the site's current fields (all present).
 *
 * A field changed on one side only takes that side's value; changed on both
 * sides to the same value, that value. Otherwise the field is a conflict,
 * unless its parts combine:
 *  - importance merges per member (depth, relevance, …);
 *  - tags merge as a set: what either side removed is gone, what either side
 *    added is there (theirs' order, then mine's additions); a result with no
 *    tag or more than 10 is a conflict;
 *  - key points merge per item and per heading/body when neither side added
 *    or removed items, and also when one side only appended items while the
 *    other edited items in place; any other change of the list on both
 *    sides is a conflict.
 *
 * Returns the merged fields, all present. A conflicting field holds theirs'
 * value there (nothing of theirs is overwritten); @conflicts receives the
 * conflicting fields, to be shown to the editor with mine beside theirs. */
DeskEditable *desk_merge_three_way (const DeskEditable *base,
                                    const DeskEditable *mine,
                                    const DeskEditable *theirs,
                                    DeskFields         *conflicts);

G_END_DECLS
