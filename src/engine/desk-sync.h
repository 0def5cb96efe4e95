/* desk-sync.h: the sync engine: change feed, prefetch, outbox delivery, merges, locks
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-store.h"
#include "desk-site-client.h"

G_BEGIN_DECLS

typedef enum {
  DESK_SYNC_STATE_OFFLINE,  /* the site did not answer; probing with backoff */
  DESK_SYNC_STATE_ONLINE,
  DESK_SYNC_STATE_SYNCING,  /* reading the change feed or prefetching */
} DeskSyncState;

#define DESK_TYPE_SYNC_STATE (desk_sync_state_get_type ())
GType desk_sync_state_get_type (void);

#define DESK_SYNC_ERROR (desk_sync_error_quark ())

typedef enum {
  DESK_SYNC_ERROR_NO_CONFLICT,  /* resolve_conflict: the entry has none */
  DESK_SYNC_ERROR_NO_REVISION,  /* no revision of the entry is known to base a write on */
  DESK_SYNC_ERROR_BUSY,         /* stopped, or the engine is shutting down */
} DeskSyncError;

GQuark desk_sync_error_quark (void);

#define DESK_TYPE_SYNC (desk_sync_get_type ())
G_DECLARE_FINAL_TYPE (DeskSync, desk_sync, DESK, SYNC, GObject)

/* Properties:
 * "store", "client" (construct-only).
 * "state" (DeskSyncState, read-only).
 * "pending-operations" (int64, read-only): outbox operations not yet
 *   delivered (pending or in flight), as last counted by the store.
 * "last-error" (string, read-only, nullable): the newest failure, for a
 *   status line.
 * "account" (string, construct): the editor's account, to tell one's own
 *   lock from another editor's; read from GET /me at start when unset.
 * Tuning, mostly for tests (milliseconds unless said):
 * "retry-base-ms" (1000), "retry-max-ms" (300000): the outbox's exponential
 *   backoff with full jitter: a random delay in [0, min(max, base·2^n)),
 *   and never sooner than Retry-After;
 * "probe-min-ms" (2000), "probe-max-ms" (60000): the probe while offline
 *   (doubling);
 * "prefetch-concurrency" (4): full entries fetched at once;
 * "lock-renew-seconds" (60).
 *
 * Signals (all on the main context that made the engine):
 * ::entries-changed (GStrv ids): rows were written to the store.
 * ::conflict (char *entry_id, DeskFields fields, DeskEditable *mine,
 *   DeskEditable *theirs): a write hit a field the site changed too; the
 *   operation waits for desk_sync_resolve_conflict(); nothing was sent.
 * ::operation-failed (gint64 op_id, char *entry_id, GError *error): an
 *   operation was refused for good (422, 403, 404, 409 conflict, …). It
 *   stays in the store as failed and holds back the entry's later ones.
 * ::operation-done (gint64 op_id, char *entry_id): delivered.
 * ::lock-changed (char *entry_id, DeskLock *lock or NULL, gboolean mine).
 * ::fetch-failed (char *entry_id, GError *error): a full entry could not be
 *   fetched ahead (a broken response, …); the others go on. */

DeskSync       *desk_sync_new                     (DeskStore            *store,
                                                   DeskSiteClient       *client,
                                                   const char           *account);

DeskStore      *desk_sync_get_store               (DeskSync             *self);
DeskSiteClient *desk_sync_get_client              (DeskSync             *self);
DeskSyncState   desk_sync_get_state               (DeskSync             *self);
gint64          desk_sync_get_pending_operations  (DeskSync             *self);
gboolean        desk_sync_get_unauthorized (DeskSync *self);
/* Operations waiting to retry are tried now, and the feed read again:
 * after the editor gave a new token, or asked to retry. */
void            desk_sync_retry_now      (DeskSync *self);
const char     *desk_sync_get_last_error          (DeskSync             *self);
const char     *desk_sync_get_account             (DeskSync             *self);

/* Loads the engine's journal (beside the store), then probes the site,
 * reads the feed and starts delivering the outbox. Completes once the
 * engine runs (online or offline), not when the first sync ends. */
void            desk_sync_start_async             (DeskSync             *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean        desk_sync_start_finish            (DeskSync             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Stops timers and requests; the outbox stays as it is in the store. */
void            desk_sync_stop                    (DeskSync             *self);

/* Reads the change feed from the stored cursor to its end (page after
 * page, each page and its cursor stored in one transaction), then fetches
 * the full entries of incoming and in-review entries ahead. Calls made
 * while one runs complete with it. Fails (and goes offline) when the site
 * cannot be reached. */
void            desk_sync_sync_now_async          (DeskSync             *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean        desk_sync_sync_now_finish         (DeskSync             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* ---- writes: each one is persisted in the outbox before it is sent ---- */

/* PATCH of the fields of @draft that differ from @base_revision (every
 * present field when that revision is not stored), If-Match the base
 * revision. Completes with the operation's id (0 when nothing differs). */
void            desk_sync_queue_edit_async        (DeskSync             *self,
                                                   const char           *entry_id,
                                                   gint64                base_revision,
                                                   const DeskEditable   *draft,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
/* Status change and publish. @revision is the revision the editor saw; when
 * earlier writes of the entry are still queued, the operation is based on
 * the revision the entry has once they succeeded instead. A publish's
 * Idempotency-Key is made here and stored with the operation. */
void            desk_sync_queue_status_async      (DeskSync             *self,
                                                   const char           *entry_id,
                                                   gint64                revision,
                                                   DeskEntryStatus       status,
                                                   const char           *reason,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
void            desk_sync_queue_publish_async     (DeskSync             *self,
                                                   const char           *entry_id,
                                                   gint64                revision,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
/* For all three: the operation's id, or 0 with @error. */
gint64          desk_sync_queue_finish            (DeskSync             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

typedef enum {
  DESK_SYNC_GOAL_APPROVE,
  DESK_SYNC_GOAL_PUBLISH,
} DeskSyncGoal;

typedef struct {
  gint64          edit_op;     /* the PATCH, or 0 when the draft changed nothing */
  gint64          publish_op;  /* the publish, or 0 */
  gint64          last_op;     /* the last operation queued, or 0 when none was */
  DeskEntryStatus status;      /* the status the entry has once they are sent */
} DeskSyncQueued;

/* Approving or publishing, every step at once: the PATCH of @draft (when
 * given and it differs from @base_revision), the status changes from
 * @status, the one the editor knows the entry at (revision @revision), up
 * to approved, then the publish when @goal asks for it. They are stored in
 * the outbox in one transaction, so a crash keeps all of them or none
 * (queued one by one, a kill in between kept the edit and lost the
 * publish). */
void            desk_sync_queue_workflow_async    (DeskSync             *self,
                                                   const char           *entry_id,
                                                   gint64                base_revision,
                                                   const DeskEditable   *draft,
                                                   gint64                revision,
                                                   DeskEntryStatus       status,
                                                   DeskSyncGoal          goal,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean        desk_sync_queue_workflow_finish   (DeskSync             *self,
                                                   GAsyncResult         *result,
                                                   DeskSyncQueued       *queued,
                                                   GError              **error);

/* Whether an operation of @entry_id waits in conflict; if so its data
 * (all out parameters may be NULL). */
gboolean        desk_sync_get_conflict            (DeskSync             *self,
                                                   const char           *entry_id,
                                                   DeskFields           *fields,
                                                   DeskEditable        **mine,
                                                   DeskEditable        **theirs);
/* Re-queues the conflicting write as @resolution (the values the editor
 * chose; fields it lacks keep the merged value) on top of theirs'
 * revision. */
gboolean        desk_sync_resolve_conflict        (DeskSync             *self,
                                                   const char           *entry_id,
                                                   const DeskEditable   *resolution,
                                                   GError              **error);

/* ---- locks -------------------------------------------------------------- */

/* Takes the site's lock (renewed every lock-renew-seconds) or, offline,
 * notes that it must be taken once back online; editing is allowed
 * locally meanwhile. Another editor's lock makes the entry read-only
 * (::lock-changed with mine FALSE). */
void            desk_sync_open_entry_for_editing  (DeskSync             *self,
                                                   const char           *entry_id);
void            desk_sync_close_entry             (DeskSync             *self,
                                                   const char           *entry_id);
/* TRUE when another editor holds the lock of an open entry; then @editor
 * and @expires_at (RFC 3339) are set (may be NULL). */
gboolean        desk_sync_is_read_only            (DeskSync             *self,
                                                   const char           *entry_id,
                                                   char                **editor,
                                                   char                **expires_at);
gboolean        desk_sync_holds_lock              (DeskSync             *self,
                                                   const char           *entry_id);

G_END_DECLS
