/* desk-qa-panel.h: the list of an entry's QA findings
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-core.h"

G_BEGIN_DECLS

#define DESK_TYPE_QA_PANEL (desk_qa_panel_get_type ())
G_DECLARE_FINAL_TYPE (DeskQaPanel, desk_qa_panel, DESK, QA_PANEL, GtkWidget)

/* Findings by severity (errors first), each with its check, message and
 * text, in a list view (only the rows in sight are made); a row's Fix button activates win.apply-fix(u) and its Ignore button
 * win.ignore-finding-ask(u), u being the finding's index in the array
 * given. Signal ::finding-activated (guint index) when a row is
 * activated. */
GtkWidget   *desk_qa_panel_new          (void);
void         desk_qa_panel_set_findings (DeskQaPanel *self,
                                         GPtrArray   *findings,
                                         gboolean     read_only);
/* The rows (one per finding given, some perhaps still being added). */
guint        desk_qa_panel_get_n_rows   (DeskQaPanel *self);
/* The rows in the list now (a chunk of a long new list is added per
 * main-loop turn); for tests. */
GListModel  *desk_qa_panel_get_rows     (DeskQaPanel *self);
/* The index, in the array last given, of the finding in row @position
 * (errors first), or -1. */
int          desk_qa_panel_get_row_finding (DeskQaPanel *self,
                                            guint        position);
/* "2 errors, 3 warnings", translated; for the tab's title too. */
char        *desk_qa_panel_dup_summary  (GPtrArray   *findings);

G_END_DECLS
