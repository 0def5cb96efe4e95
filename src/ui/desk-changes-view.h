/* desk-changes-view.h: every field's difference from the machine output, and the post-edit effort
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-core.h"

G_BEGIN_DECLS

#define DESK_TYPE_CHANGES_VIEW (desk_changes_view_get_type ())
G_DECLARE_FINAL_TYPE (DeskChangesView, desk_changes_view, DESK, CHANGES_VIEW, GtkWidget)

GtkWidget *desk_changes_view_new        (void);
/* Shows, field by field, what turned @machine into @current (character
 * level for Japanese, word level for Latin script: DESK_DIFF_AUTO) and the
 * entry's post-edit effort. Either may be NULL (nothing to compare). */
void       desk_changes_view_set        (DeskChangesView    *self,
                                         const DeskEditable *machine,
                                         const DeskEditable *current);
/* The post-edit effort shown: edit distance over length of all text
 * fields together, 0–1; -1 when nothing is compared. */
double     desk_changes_view_get_effort (DeskChangesView    *self);
/* The text shown (for tests). */
char      *desk_changes_view_dup_text   (DeskChangesView    *self);

/* The text fields of @fields joined as the changes view compares them
 * (title, TL;DR, tags, key points, impact, comment, body). */
char      *desk_changes_flatten         (const DeskEditable *fields);

/* The translated name of one field (a single DESK_FIELD_*), and its value
 * as readable text (tags joined, key points numbered, the importance
 * spelled out); "" for an absent field or a NULL @fields. */
const char *desk_field_label             (DeskFields          field);
char       *desk_field_text              (const DeskEditable *fields,
                                          DeskFields          field);

G_END_DECLS
