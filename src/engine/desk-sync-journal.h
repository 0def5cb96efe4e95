/* desk-sync-journal.h: what the engine decided about queued operations, kept in a file beside the store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-core.h"

G_BEGIN_DECLS

/* The store keeps an outbox operation's If-Match and body as they were
 * queued and has no way to change them. Some are only settled later and
 * must then stay fixed for every retry:
 *
 * - a status change or publish queued behind other writes of its entry is
 *   based on the revision those writes produce (the chain);
 * - a PATCH re-sent after a clean 412 merge carries the merged fields and
 *   theirs' ETag;
 * - a PATCH stopped by a conflicting 412 waits with mine, theirs and the
 *   merge for the editor.
 *
 * This journal records those decisions per operation id, and the chain
 * revision per entry. It is written atomically (temporary file, fsync,
 * rename) and a decision is saved before the request it shapes is sent,
 * so a retry after a crash sends exactly what the first attempt sent. */

typedef struct _DeskSyncJournal DeskSyncJournal;

typedef struct {
  gint64        op_id;
  char         *entry_id;
  DeskFields    fields;      /* the conflicting fields */
  DeskEditable *mine;        /* the fields the operation wanted to write */
  DeskEditable *theirs;      /* the site's fields (all present) */
  DeskEditable *merged;      /* the merge: theirs' value where in conflict */
  char         *theirs_etag;
} DeskSyncConflict;

void              desk_sync_conflict_free        (DeskSyncConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskSyncConflict, desk_sync_conflict_free)

DeskSyncJournal  *desk_sync_journal_new          (const char       *path);
void              desk_sync_journal_free         (DeskSyncJournal  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskSyncJournal, desk_sync_journal_free)

const char       *desk_sync_journal_get_path     (DeskSyncJournal  *self);

/* A missing file is an empty journal. */
void              desk_sync_journal_load_async   (DeskSyncJournal     *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          desk_sync_journal_load_finish  (DeskSyncJournal     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Writes the journal as it is now. Saves complete in the order they were
 * asked for. */
void              desk_sync_journal_save_async   (DeskSyncJournal     *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          desk_sync_journal_save_finish  (DeskSyncJournal     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Overrides of an operation's If-Match and body (either may be NULL to
 * keep the queued one). get returns FALSE when there is none. */
gboolean          desk_sync_journal_get_op       (DeskSyncJournal  *self,
                                                  gint64            op_id,
                                                  char            **if_match,
                                                  char            **payload);
void              desk_sync_journal_set_op       (DeskSyncJournal  *self,
                                                  gint64            op_id,
                                                  const char       *if_match,
                                                  const char       *payload);
/* Forgets the operation's overrides and conflict. */
void              desk_sync_journal_remove_op    (DeskSyncJournal  *self,
                                                  gint64            op_id);

/* The ETag the entry has after the last of its writes that succeeded. */
char             *desk_sync_journal_dup_chain    (DeskSyncJournal  *self,
                                                  const char       *entry_id);
void              desk_sync_journal_set_chain    (DeskSyncJournal  *self,
                                                  const char       *entry_id,
                                                  const char       *etag);

void              desk_sync_journal_set_conflict (DeskSyncJournal        *self,
                                                  const DeskSyncConflict *conflict);
void              desk_sync_journal_clear_conflict (DeskSyncJournal      *self,
                                                  gint64                  op_id);
/* Every conflict recorded (DeskSyncConflict*), oldest operation first;
 * records that no longer read are skipped with a warning. */
GPtrArray        *desk_sync_journal_list_conflicts (DeskSyncJournal      *self);

G_END_DECLS
