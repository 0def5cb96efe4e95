/* desk-store.h: the local sqlite store: entry cache, revisions, drafts, outbox, search
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-core.h"
#include "desk-store-types.h"
#include "desk-store-text.h"

G_BEGIN_DECLS

#define DESK_TYPE_STORE (desk_store_get_type ())
G_DECLARE_FINAL_TYPE (DeskStore, desk_store, DESK, STORE, GObject)

/* The newest schema (PRAGMA user_version) this build writes. */
#define DESK_STORE_SCHEMA_VERSION 4

/* Threads: one sqlite connection lives on the store's own worker thread and
 * every operation is a job queued to it, run in order. Each operation comes
 * three ways:
 *
 * - foo_async/foo_finish: for the main thread; the callback runs in the
 *   thread-default main context of the caller.
 * - foo_sync: queues the same job and waits for it. For tests, benchmarks
 *   and engine threads only: never call it from the main thread of the app.
 *
 * Objects passed in (entries, editables, glossaries) are copied or
 * serialized before the call returns, except the entries of
 * upsert_summaries/upsert_entries, which are referenced and serialized on
 * the worker: do not change them until the operation completes.
 *
 * Cancellation: a job whose cancellable is cancelled before it starts is
 * not run (G_IO_ERROR_CANCELLED). A read (get, list, search) is also
 * interrupted while it runs and its result dropped. A write that has
 * started runs to its end and reports what really happened, so a caller
 * never sees "cancelled" for a write that committed.
 *
 * Unreffing the last reference stops the worker after the jobs already
 * queued (each holds a reference while it waits, so that only happens once
 * the queue is empty). */

/* ---- opening ---------------------------------------------------------------- */

/* Opens (creating when missing) the store at @path, migrating an older
 * schema. A file that is not a readable database, or fails
 * PRAGMA quick_check, is set aside as "<path>.corrupt-YYYYMMDD-HHMMSS"
 * (with its -wal/-shm), the drafts and outbox operations that can still be
 * read are copied into a fresh store, and desk_store_get_recovered() says
 * so. A schema newer than this build is refused with
 * DESK_STORE_ERROR_TOO_NEW and left untouched. */
void        desk_store_new_async              (const char           *path,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
DeskStore  *desk_store_new_finish             (GAsyncResult         *result,
                                               GError              **error);
DeskStore  *desk_store_open_sync              (const char           *path,
                                               GCancellable         *cancellable,
                                               GError              **error);

const char *desk_store_get_path               (DeskStore            *self);
/* Whether the file was found corrupt at open and rebuilt. */
gboolean    desk_store_get_recovered          (DeskStore            *self);
/* Where the corrupt file was moved (NULL unless recovered). */
const char *desk_store_get_corrupt_path       (DeskStore            *self);
guint       desk_store_get_salvaged_drafts    (DeskStore            *self);
guint       desk_store_get_salvaged_outbox    (DeskStore            *self);

/* ---- entries ------------------------------------------------------------------ */

/* One page of the change feed: every summary (DeskEntry*) and the new
 * @cursor (or NULL to leave it) in one transaction, so a crash never keeps
 * a cursor past entries it did not store. A row is never moved back to an
 * older revision; a summary of the same revision updates the lock. */
void        desk_store_upsert_summaries_async (DeskStore            *self,
                                               GPtrArray            *entries,
                                               const char           *cursor,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_upsert_summaries_finish (DeskStore           *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_upsert_summaries_sync  (DeskStore            *self,
                                               GPtrArray            *entries,
                                               const char           *cursor,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* Full entries (DeskEntry*, full form), in one transaction: the summary
 * columns, the full JSON, the search text and a row in revisions each. */
void        desk_store_upsert_entries_async   (DeskStore            *self,
                                               GPtrArray            *entries,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_upsert_entries_finish  (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_upsert_entries_sync    (DeskStore            *self,
                                               GPtrArray            *entries,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* The stored full entry (its lock replaced by the newer one of the feed
 * when both are of the same revision), or NULL without error when none was
 * fetched. It may be older than the row's revision: see has_full. */
void        desk_store_get_entry_async        (DeskStore            *self,
                                               const char           *id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
DeskEntry  *desk_store_get_entry_finish       (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
DeskEntry  *desk_store_get_entry_sync         (DeskStore            *self,
                                               const char           *id,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* Rows (DeskStoreRow*) whose status is in @status_mask (0: all), sorted,
 * from @offset, at most @limit (-1: all). */
void        desk_store_list_rows_async        (DeskStore            *self,
                                               guint                 status_mask,
                                               DeskStoreSort         sort,
                                               int                   offset,
                                               int                   limit,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray  *desk_store_list_rows_finish       (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
GPtrArray  *desk_store_list_rows_sync         (DeskStore            *self,
                                               guint                 status_mask,
                                               DeskStoreSort         sort,
                                               int                   offset,
                                               int                   limit,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* The number of entries whose status is in @status_mask (0: all); -1 on
 * error. */
void        desk_store_count_entries_async    (DeskStore            *self,
                                               guint                 status_mask,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gint64      desk_store_count_entries_finish   (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gint64      desk_store_count_entries_sync     (DeskStore            *self,
                                               guint                 status_mask,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* Ids of entries in @status_mask with no full entry of their current
 * revision, oldest change first, at most @limit: what sync fetches ahead. */
void        desk_store_list_stale_ids_async   (DeskStore            *self,
                                               guint                 status_mask,
                                               int                   limit,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GStrv       desk_store_list_stale_ids_finish  (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
GStrv       desk_store_list_stale_ids_sync    (DeskStore            *self,
                                               guint                 status_mask,
                                               int                   limit,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* Stores the number of QA errors found in revision @revision of @id, shown
 * in the list (DeskStoreRow.qa_errors; -1 is "not checked"). Only when the
 * row is still at @revision: a result for another revision is stale and
 * left out, which is not an error. A row that moves to a newer revision
 * goes back to -1 until checked again. */
void        desk_store_set_qa_errors_async    (DeskStore            *self,
                                               const char           *id,
                                               gint64                revision,
                                               int                   n_errors,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_set_qa_errors_finish   (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_set_qa_errors_sync     (DeskStore            *self,
                                               const char           *id,
                                               gint64                revision,
                                               int                   n_errors,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* ---- revisions ------------------------------------------------------------------ */

/* Keeps @entry (full form) as the revision it carries; a revision already
 * kept is left as it is. */
void        desk_store_add_revision_async     (DeskStore            *self,
                                               DeskEntry            *entry,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_add_revision_finish    (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_add_revision_sync      (DeskStore            *self,
                                               DeskEntry            *entry,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* NULL without error when that revision was never seen. */
void        desk_store_get_revision_async     (DeskStore            *self,
                                               const char           *id,
                                               gint64                revision,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
DeskEntry  *desk_store_get_revision_finish    (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
DeskEntry  *desk_store_get_revision_sync      (DeskStore            *self,
                                               const char           *id,
                                               gint64                revision,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* The revisions kept for @id, ascending (a GArray of gint64). */
void        desk_store_list_revisions_async   (DeskStore            *self,
                                               const char           *id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GArray     *desk_store_list_revisions_finish  (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
GArray     *desk_store_list_revisions_sync    (DeskStore            *self,
                                               const char           *id,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* ---- drafts ------------------------------------------------------------------ */

/* Replaces the draft of @entry_id (committed with synchronous=FULL). A
 * text field (or @entry_id) that is not valid UTF-8 is refused with
 * DESK_STORE_ERROR_INVALID, naming the field, and nothing is written. */
void        desk_store_save_draft_async       (DeskStore            *self,
                                               const char           *entry_id,
                                               gint64                base_revision,
                                               const DeskEditable   *fields,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_save_draft_finish      (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_save_draft_sync        (DeskStore            *self,
                                               const char           *entry_id,
                                               gint64                base_revision,
                                               const DeskEditable   *fields,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* NULL without error when there is no draft. */
void             desk_store_get_draft_async   (DeskStore            *self,
                                               const char           *entry_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
DeskStoreDraft  *desk_store_get_draft_finish  (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
DeskStoreDraft  *desk_store_get_draft_sync    (DeskStore            *self,
                                               const char           *entry_id,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* Deleting a draft that does not exist is not an error. */
void        desk_store_delete_draft_async     (DeskStore            *self,
                                               const char           *entry_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_delete_draft_finish    (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_delete_draft_sync      (DeskStore            *self,
                                               const char           *entry_id,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* Every draft (DeskStoreDraft*), oldest change first. */
void        desk_store_list_drafts_async      (DeskStore            *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray  *desk_store_list_drafts_finish     (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
GPtrArray  *desk_store_list_drafts_sync       (DeskStore            *self,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* ---- outbox ------------------------------------------------------------------ */

/* Appends a pending operation due now and returns its id (the queue
 * order), or 0 on error. @entry_id is NULL only for the glossary; @payload
 * is the JSON body or NULL. Committed with synchronous=FULL before this
 * returns, so the operation survives a power cut once acknowledged. */
void        desk_store_outbox_enqueue_async   (DeskStore            *self,
                                               const char           *entry_id,
                                               DeskOutboxKind        kind,
                                               const char           *payload,
                                               const char           *if_match,
                                               const char           *idempotency_key,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gint64      desk_store_outbox_enqueue_finish  (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gint64      desk_store_outbox_enqueue_sync    (DeskStore            *self,
                                               const char           *entry_id,
                                               DeskOutboxKind        kind,
                                               const char           *payload,
                                               const char           *if_match,
                                               const char           *idempotency_key,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* Appends the operations of @ops (DeskOutboxOp; their entry_id, kind,
 * payload, if_match and idempotency_key are read) in one transaction: after
 * a crash either all of them are in the outbox or none. Completes with
 * their ids in order, a GArray of gint64, or NULL with an error. */
void        desk_store_outbox_enqueue_all_async  (DeskStore            *self,
                                                  GPtrArray            *ops,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GArray     *desk_store_outbox_enqueue_all_finish (DeskStore            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* The oldest pending operation due at @now (unix µs) that no earlier
 * unfinished (pending, in flight or failed) operation of the same entry
 * holds back, so the writes to one entry go out in order; NULL without
 * error when nothing is due. Operations left in flight by a crash are made
 * pending again at open (their attempts kept): the engine retries them
 * with the same If-Match and idempotency key. */
void          desk_store_outbox_next_due_async  (DeskStore          *self,
                                                 gint64              now,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
DeskOutboxOp *desk_store_outbox_next_due_finish (DeskStore          *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);
DeskOutboxOp *desk_store_outbox_next_due_sync   (DeskStore          *self,
                                                 gint64              now,
                                                 GCancellable       *cancellable,
                                                 GError            **error);

/* When next_due will next return something: the earliest next attempt
 * time (unix µs) of the pending operations no earlier one holds back, or
 * G_MAXINT64 when there is none; -1 on error. For the engine's timer. */
void        desk_store_outbox_next_time_async   (DeskStore          *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gint64      desk_store_outbox_next_time_finish  (DeskStore          *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);
gint64      desk_store_outbox_next_time_sync    (DeskStore          *self,
                                                 GCancellable       *cancellable,
                                                 GError            **error);

/* State changes. in_flight counts an attempt; retry makes it pending again
 * from @next_attempt_at with @error_message; failed ends it for good with
 * @error_message (later operations of that entry wait for the editor);
 * done ends it. An unknown id is DESK_STORE_ERROR_FAILED. All are committed
 * with synchronous=FULL. */
typedef enum {
  DESK_OUTBOX_MARK_IN_FLIGHT,
  DESK_OUTBOX_MARK_DONE,
  DESK_OUTBOX_MARK_RETRY,
  DESK_OUTBOX_MARK_FAILED,
  DESK_OUTBOX_MARK_PENDING,   /* the editor retries a failed one now */
} DeskOutboxMark;

void        desk_store_outbox_mark_async      (DeskStore            *self,
                                               gint64                id,
                                               DeskOutboxMark        mark,
                                               const char           *error_message,
                                               gint64                next_attempt_at,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_outbox_mark_finish     (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_outbox_mark_sync       (DeskStore            *self,
                                               gint64                id,
                                               DeskOutboxMark        mark,
                                               const char           *error_message,
                                               gint64                next_attempt_at,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* Operations (DeskOutboxOp*) whose state is in @state_mask (0: all), in
 * queue order. */
void        desk_store_outbox_list_async      (DeskStore            *self,
                                               guint                 state_mask,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray  *desk_store_outbox_list_finish     (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
GPtrArray  *desk_store_outbox_list_sync       (DeskStore            *self,
                                               guint                 state_mask,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* Pending and in-flight operations; -1 on error. */
void        desk_store_outbox_count_pending_async  (DeskStore          *self,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
gint64      desk_store_outbox_count_pending_finish (DeskStore          *self,
                                                    GAsyncResult       *result,
                                                    GError            **error);
gint64      desk_store_outbox_count_pending_sync   (DeskStore          *self,
                                                    GCancellable       *cancellable,
                                                    GError            **error);

/* Removes one operation (the editor discards a failed write). */
void        desk_store_outbox_delete_async    (DeskStore            *self,
                                               gint64                id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_outbox_delete_finish   (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_outbox_delete_sync     (DeskStore            *self,
                                               gint64                id,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* ---- sync state, glossary -------------------------------------------------------- */

/* The change feed's cursor; NULL without error before the first sync. */
void        desk_store_get_cursor_async       (DeskStore            *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
char       *desk_store_get_cursor_finish      (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
char       *desk_store_get_cursor_sync        (DeskStore            *self,
                                               GCancellable         *cancellable,
                                               GError              **error);
/* NULL forgets it (the next sync starts from the beginning). */
void        desk_store_set_cursor_async       (DeskStore            *self,
                                               const char           *cursor,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_set_cursor_finish      (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_set_cursor_sync        (DeskStore            *self,
                                               const char           *cursor,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* The site's glossary as last fetched; NULL without error when never. */
void          desk_store_get_glossary_async   (DeskStore            *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
DeskGlossary *desk_store_get_glossary_finish  (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
DeskGlossary *desk_store_get_glossary_sync    (DeskStore            *self,
                                               GCancellable         *cancellable,
                                               GError              **error);
/* @glossary must have a revision (≥ 1): it is the site's. */
void        desk_store_set_glossary_async     (DeskStore            *self,
                                               const DeskGlossary   *glossary,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_set_glossary_finish    (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_set_glossary_sync      (DeskStore            *self,
                                               const DeskGlossary   *glossary,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* ---- ignored QA findings ------------------------------------------------------- */

/* A finding is known by entry, check and the text it points at; ignoring
 * it again replaces the reason. */
void        desk_store_ignore_finding_async   (DeskStore            *self,
                                               const char           *entry_id,
                                               const char           *check_id,
                                               const char           *snippet,
                                               const char           *reason,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_ignore_finding_finish  (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_ignore_finding_sync    (DeskStore            *self,
                                               const char           *entry_id,
                                               const char           *check_id,
                                               const char           *snippet,
                                               const char           *reason,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* DeskIgnoredFinding* of @entry_id, oldest first. */
void        desk_store_list_ignored_async     (DeskStore            *self,
                                               const char           *entry_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray  *desk_store_list_ignored_finish    (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
GPtrArray  *desk_store_list_ignored_sync      (DeskStore            *self,
                                               const char           *entry_id,
                                               GCancellable         *cancellable,
                                               GError              **error);

void        desk_store_unignore_finding_async (DeskStore            *self,
                                               const char           *entry_id,
                                               const char           *check_id,
                                               const char           *snippet,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    desk_store_unignore_finding_finish (DeskStore           *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gboolean    desk_store_unignore_finding_sync  (DeskStore            *self,
                                               const char           *entry_id,
                                               const char           *check_id,
                                               const char           *snippet,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* ---- search -------------------------------------------------------------------- */

/* Rows (DeskStoreRow*) matching every word of @query (split at white
 * space, U+3000 included) in the title, TL;DR, body, tags and the
 * original's title and text (its HTML reduced to the text a reader sees),
 * case-insensitively; at most @limit (-1: 500).
 *
 * - A word of 3 or more characters matches as a substring (FTS5 trigram).
 * - A word of 1 or 2 characters (trigrams cannot match those) uses a second
 *   index where each Han, kana or Hangul character is a token of its own:
 *   「株」 and 「推論」 match as substrings; a word of a spaced script
 *   matches as the start of a word ("AI" finds "AI" and "AI-driven", not
 *   "said"); a word of punctuation only ("%") is looked for in the stored
 *   text by a scan.
 *
 * Order: when fewer than 2000 entries match, best rank (bm25) first, then
 * the newest change; for broader queries ranking every match would cost
 * tens of milliseconds, so the matches added to the store last are taken,
 * newest change first.
 *
 * Any text is a valid query: FTS5 and LIKE syntax in it has no effect. */
void        desk_store_search_async           (DeskStore            *self,
                                               const char           *query,
                                               int                   limit,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray  *desk_store_search_finish          (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
GPtrArray  *desk_store_search_sync            (DeskStore            *self,
                                               const char           *query,
                                               int                   limit,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* The body and original's text of a full entry stored with a new original
 * (every entry fetched in full for the first time) are indexed after the
 * entry is stored, by a pass of its own that runs while the worker has
 * nothing else to do, a few dozen entries per transaction (and goes on
 * after a restart). A search first indexes whatever still waits, so its
 * results are always complete; right after a large first sync that search
 * waits for the pass to finish.
 *
 * flush_index indexes everything waiting now and gives the number of
 * entries it indexed; count_unindexed gives the number waiting. */
void        desk_store_flush_index_async      (DeskStore            *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gint64      desk_store_flush_index_finish     (DeskStore            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
gint64      desk_store_flush_index_sync       (DeskStore            *self,
                                               GCancellable         *cancellable,
                                               GError              **error);
gint64      desk_store_count_unindexed_sync   (DeskStore            *self,
                                               GCancellable         *cancellable,
                                               GError              **error);

G_END_DECLS
