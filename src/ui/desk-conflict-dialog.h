/* desk-conflict-dialog.h: resolve a conflicting write field by field: mine, theirs, or edited
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-sync.h"

G_BEGIN_DECLS

#define DESK_TYPE_CONFLICT_DIALOG (desk_conflict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DeskConflictDialog, desk_conflict_dialog, DESK, CONFLICT_DIALOG, AdwWindow)

/* A modal window listing each field of @fields with mine and theirs side
 * by side; the editor picks one (mine by default) or edits the result of a
 * text field, then saves: desk_sync_resolve_conflict() re-queues the write
 * on top of theirs. Closing without saving leaves the conflict waiting. */
GtkWidget *desk_conflict_dialog_new    (GtkWindow          *parent,
                                        DeskSync           *sync,
                                        const char         *entry_id,
                                        DeskFields          fields,
                                        const DeskEditable *mine,
                                        const DeskEditable *theirs);
/* For scripts and tests: choose a side for @field (one DESK_FIELD_*). */
void       desk_conflict_dialog_choose (DeskConflictDialog *self,
                                        DeskFields          field,
                                        gboolean            mine);
/* Saves the resolution and closes the dialog. */
gboolean   desk_conflict_dialog_save   (DeskConflictDialog *self,
                                        GError            **error);
DeskFields desk_conflict_dialog_get_fields (DeskConflictDialog *self);

G_END_DECLS
