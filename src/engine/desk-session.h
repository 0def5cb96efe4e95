/* desk-session.h: delayed autosave of drafts and recovery after an unclean exit
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-store.h"

G_BEGIN_DECLS

/* One draft found after an unclean exit, for the "restored" toast. */
typedef struct {
  char   *entry_id;
  char   *title;          /* the draft's title, else the stored entry's, else the id */
  gint64  base_revision;
} DeskSessionRestored;

#define DESK_TYPE_SESSION_RESTORED (desk_session_restored_get_type ())
GType                desk_session_restored_get_type (void);
DeskSessionRestored *desk_session_restored_copy     (const DeskSessionRestored *self);
void                 desk_session_restored_free     (DeskSessionRestored       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskSessionRestored, desk_session_restored_free)

#define DESK_TYPE_SESSION (desk_session_get_type ())
G_DECLARE_FINAL_TYPE (DeskSession, desk_session, DESK, SESSION, GObject)

/* Properties:
 * "store" (construct-only);
 * "state-path" (construct-only): the small file holding the shutdown flag;
 *   default "<store path>.session";
 * "quiet-ms" (default 500): a draft is written this long after the last
 *   change, the timer restarting with every change, ...
 * "max-latency-ms" (default 1000): ... but never later than this after the
 *   first change not yet written, so steady typing is saved too;
 * "draft-writes" (uint, read-only): drafts written so far (for tests and
 *   the status line);
 * "unclean-exit" (boolean, read-only): the last run did not end with
 *   desk_session_shutdown_async().
 *
 * Signals: ::drafts-restored (GPtrArray of DeskSessionRestored*) once at
 * start after an unclean exit, when there are drafts; ::draft-saved
 * (char *entry_id). */

DeskSession *desk_session_new              (DeskStore            *store);

/* Reads the shutdown flag and then marks this run as running. After an
 * unclean exit (or when the store was rebuilt from a corrupt file) every
 * draft is listed, reported by ::drafts-restored and returned; otherwise
 * the array is empty. */
void         desk_session_start_async      (DeskSession          *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GPtrArray   *desk_session_start_finish     (DeskSession          *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* The editor changed the draft of @entry_id: it is written after the
 * delay (see quiet-ms and max-latency-ms), only its last state. */
void         desk_session_update_draft     (DeskSession          *self,
                                            const char           *entry_id,
                                            gint64                base_revision,
                                            const DeskEditable   *fields);
/* Forgets the draft (unsaved changes included) and deletes it from the
 * store. */
void         desk_session_discard_draft    (DeskSession          *self,
                                            const char           *entry_id);
gboolean     desk_session_has_unsaved      (DeskSession          *self);
guint        desk_session_get_draft_writes (DeskSession          *self);
const char  *desk_session_get_save_error   (DeskSession          *self);
gboolean     desk_session_get_unclean_exit (DeskSession          *self);

/* Writes every unsaved draft now. */
void         desk_session_flush_async      (DeskSession          *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean     desk_session_flush_finish     (DeskSession          *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Flushes, then records a clean shutdown. */
void         desk_session_shutdown_async   (DeskSession          *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean     desk_session_shutdown_finish  (DeskSession          *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
