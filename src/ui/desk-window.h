/* desk-window.h: the main window: queue, review workspace, workflow actions
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-application.h"
#include "desk-changes-view.h"
#include "desk-editor.h"
#include "desk-queue-model.h"

G_BEGIN_DECLS

#define DESK_TYPE_WINDOW (desk_window_get_type ())
G_DECLARE_FINAL_TYPE (DeskWindow, desk_window, DESK, WINDOW, AdwApplicationWindow)

/* Window actions (the scripting surface, listed in the README):
 * win.approve, win.reject('reason'), win.back-to-review, win.publish (asks
 * for confirmation), win.confirm-publish (publishes without asking),
 * win.save, win.set-field(('field', 'text')) for title, tldr, body,
 * impact_analysis and editorial_comment, win.next-entry,
 * win.previous-entry, win.focus-search, win.show-original,
 * win.show-preview, win.show-translation, win.show-metadata (show the
 * page and focus it), win.focus-next-pane, win.focus-previous-pane (F6,
 * Shift+F6), win.toggle-changes, win.take-over,
 * win.copy-published-url.
 *
 * Signals, for tests and the startup benchmark: ::entry-shown (char *id)
 * once an opened entry's translation and original are on screen;
 * ::preview-updated () after the preview showed an edit. */
DeskWindow      *desk_window_new                (DeskApplication *app);
void             desk_window_open_entry         (DeskWindow      *self,
                                                 const char      *entry_id);
const char      *desk_window_get_current_id     (DeskWindow      *self);
DeskEditor      *desk_window_get_editor         (DeskWindow      *self);
DeskChangesView *desk_window_get_changes_view   (DeskWindow      *self);
DeskQueueModel  *desk_window_get_queue_model    (DeskWindow      *self);
GtkListView     *desk_window_get_queue_view     (DeskWindow      *self);
GtkWidget       *desk_window_get_inspector      (DeskWindow      *self);
/* The WebKit views (NULL until the first entry was opened). */
GtkWidget       *desk_window_get_original_view  (DeskWindow      *self);
GtkWidget       *desk_window_get_preview_view   (DeskWindow      *self);
/* The current fields: the editor's and the inspector's. */
DeskEditable    *desk_window_dup_fields         (DeskWindow      *self);
gboolean         desk_window_get_read_only      (DeskWindow      *self);
/* The text of the sync indicator and of the lock banner (NULL when hidden). */
char            *desk_window_dup_sync_text      (DeskWindow      *self);
const char      *desk_window_get_lock_text      (DeskWindow      *self);
/* The original block the cursor's paragraph is aligned with, or -1. */
int              desk_window_get_highlighted_block (DeskWindow   *self);
/* The message of the newest toast, or NULL (for tests). */
const char      *desk_window_get_last_toast     (DeskWindow      *self);
/* The QA findings (DeskQaFinding*) of the open entry as shown, or NULL. */
GPtrArray       *desk_window_get_qa_findings    (DeskWindow      *self);
/* The glossary QA enforces from now on (the preferences' own). */
void             desk_window_set_qa_glossary    (DeskWindow         *self,
                                                 const DeskGlossary *glossary);

G_END_DECLS
