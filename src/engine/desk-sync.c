/* desk-sync.c: the sync engine: change feed, prefetch, outbox delivery, merges, locks
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-sync.h"
#include "desk-sync-journal.h"

/* Feed pages as large as the site allows: fewer round trips and fewer
 * store transactions for a first sync. */
#define FEED_PAGE_LIMIT     500
/* Full entries are written to the store in batches: while one batch is
 * being written the next one gathers, and it goes as soon as the store is
 * free (or when it reaches PREFETCH_BATCH_MAX), so the batches grow to
 * whatever keeps the store busy: one entry at a time when the site is the
 * slower side, hundreds when indexing is (each transaction, and each
 * statement, costs the search index a segment to merge). */
#define PREFETCH_BATCH_MAX  512
/* Ids asked of the store per round; a round ends when all of its entries
 * are stored and the pipeline drains (a few tiny batches at each start),
 * so few rounds keep it full: one for a first sync of 10 000 entries. */
#define PREFETCH_ROUND      8192
/* A malformed answer to a write leaves its outcome unknown; retrying is
 * safe (If-Match, idempotency keys) but not forever. */
#define MAX_PROTOCOL_ATTEMPTS 5

struct _DeskSync
{
  GObject           parent_instance;

  DeskStore        *store;
  DeskSiteClient   *client;
  char             *account;
  DeskSyncJournal  *journal;
  GCancellable     *cancellable;

  DeskSyncState     state;
  gint64            pending;
  char             *last_error;
  gboolean          unauthorized;   /* the site refused the token */

  guint             retry_base_ms;
  guint             retry_max_ms;
  guint             probe_min_ms;
  guint             probe_max_ms;
  guint             prefetch_concurrency;
  guint             lock_renew_seconds;

  guint             started : 1;
  guint             outbox_busy : 1;
  guint             outbox_again : 1;
  guint             probing : 1;
  guint             syncing : 1;

  /* GTasks of sync_now: those the running sync completes, and those that
   * asked while it ran and wait for the next one. */
  GPtrArray        *sync_waiters;
  GPtrArray        *sync_next_waiters;
  gboolean          sync_requested;

  guint             probe_source;
  guint             probe_delay_ms;
  guint             outbox_timer;
  guint             renew_source;

  GQueue            enqueue_queue;
  gboolean          enqueue_busy;

  GHashTable       *conflicts;      /* entry id → DeskSyncConflict* */
  GHashTable       *open_entries;   /* entry id → OpenEntry* */
  GHashTable       *fetch_failed;   /* entry ids whose full entry failed this run */
};

typedef struct {
  char     *id;
  DeskLock *lock;
  gboolean  mine;
  gboolean  requesting;
} OpenEntry;

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_ACCOUNT,
  PROP_STATE,
  PROP_PENDING_OPERATIONS,
  PROP_LAST_ERROR,
  PROP_RETRY_BASE_MS,
  PROP_RETRY_MAX_MS,
  PROP_PROBE_MIN_MS,
  PROP_PROBE_MAX_MS,
  PROP_PREFETCH_CONCURRENCY,
  PROP_LOCK_RENEW_SECONDS,
  PROP_UNAUTHORIZED,
  N_PROPS
};

enum {
  ENTRIES_CHANGED,
  FEED_SYNCED,
  CONFLICT,
  OPERATION_FAILED,
  OPERATION_DONE,
  LOCK_CHANGED,
  FETCH_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE (DeskSync, desk_sync, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (DeskSyncState, desk_sync_state,
  G_DEFINE_ENUM_VALUE (DESK_SYNC_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (DESK_SYNC_STATE_ONLINE, "online"),
  G_DEFINE_ENUM_VALUE (DESK_SYNC_STATE_SYNCING, "syncing"))
G_DEFINE_QUARK (desk-sync-error-quark, desk_sync_error)

static void outbox_kick        (DeskSync *self);
static void sync_begin         (DeskSync *self);
static void take_lock          (DeskSync *self, OpenEntry *open);
static void refresh_pending    (DeskSync *self);

static void
open_entry_free (OpenEntry *open)
{
  g_free (open->id);
  g_clear_pointer (&open->lock, desk_lock_free);
  g_free (open);
}

/* ---- small helpers ---------------------------------------------------- */

static char *
etag_for_revision (gint64 revision)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", revision);
}

static gint64
revision_of_etag (const char *etag)
{
  g_autofree char *inner = NULL;
  gint64 revision;
  char *end = NULL;

  if (etag == NULL)
    return -1;
  if (g_str_has_prefix (etag, "W/"))
    etag += 2;
  inner = g_strdup (etag);
  g_strstrip (g_strdelimit (inner, "\"", ' '));
  revision = g_ascii_strtoll (inner, &end, 10);
  if (end == inner || *end != '\0')
    return -1;
  return revision;
}

/* The members of @src named in @mask, as a new editable. */
static DeskEditable *
editable_subset (const DeskEditable *src,
                 DeskFields          mask)
{
  g_autoptr(JsonNode) node = desk_editable_to_json (src);
  JsonObject *object = json_node_get_object (node);
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GError) error = NULL;
  DeskEditable *subset;

  for (GList *l = members; l != NULL; l = l->next)
    {
      DeskFields field;

      if (!desk_field_from_string (l->data, &field) || (field & mask) == 0)
        json_object_remove_member (object, l->data);
    }
  subset = desk_editable_new_from_json (node, NULL, 0, DESK_FIELDS_ALL, FALSE, &error);
  g_assert_no_error (error);
  return subset;
}

static char *
editable_to_payload (const DeskEditable *editable)
{
  g_autoptr(JsonNode) node = desk_editable_to_json (editable);

  return desk_json_to_string (node, FALSE, NULL);
}

static DeskEditable *
editable_from_payload (const char  *payload,
                       GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (payload == NULL)
    {
      g_set_error_literal (error, DESK_JSON_ERROR, DESK_JSON_ERROR_MISSING, "no body");
      return NULL;
    }
  if (!(node = desk_json_parse (payload, -1, 0, 0, error)))
    return NULL;
  return desk_editable_new_from_json (node, NULL, 0, DESK_FIELDS_ALL, FALSE, error);
}

static char *
fields_to_string (DeskFields fields)
{
  GString *str = g_string_new (NULL);

  for (guint bit = 0; bit < 8; bit++)
    if (fields & (1u << bit))
      {
        if (str->len > 0)
          g_string_append (str, ", ");
        g_string_append (str, desk_field_to_string (1u << bit));
      }
  return g_string_free (str, FALSE);
}

static void
set_last_error (DeskSync   *self,
                const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_unauthorized (DeskSync *self,
                  gboolean  unauthorized)
{
  if (self->unauthorized == unauthorized)
    return;
  self->unauthorized = unauthorized;
  g_debug ("token %s", unauthorized ? "refused" : "accepted");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNAUTHORIZED]);
}

static void
set_state (DeskSync      *self,
           DeskSyncState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_debug ("sync state: %s", state == DESK_SYNC_STATE_OFFLINE ? "offline" :
                              state == DESK_SYNC_STATE_ONLINE ? "online" : "syncing");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
emit_entries_changed (DeskSync   *self,
                      GPtrArray  *entries)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < entries->len; i++)
    g_strv_builder_add (builder, desk_entry_get_id (g_ptr_array_index (entries, i)));
  ids = g_strv_builder_end (builder);
  if (ids[0] != NULL)
    g_signal_emit (self, signals[ENTRIES_CHANGED], 0, ids);
}

static void
emit_entry_changed (DeskSync   *self,
                    const char *id)
{
  const char *ids[] = { id, NULL };

  g_signal_emit (self, signals[ENTRIES_CHANGED], 0, ids);
}

/* A failure that says nothing about the site being reachable. */
static gboolean
is_unreachable (const GError *error)
{
  return g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_NETWORK) ||
         g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_TIMEOUT) ||
         g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_TLS);
}

/* ---- online / offline ------------------------------------------------- */

static gboolean probe_cb (gpointer user_data);

static void
schedule_probe (DeskSync *self)
{
  g_clear_handle_id (&self->probe_source, g_source_remove);
  if (!self->started)
    return;
  self->probe_source = g_timeout_add (self->probe_delay_ms, probe_cb, self);
}

static void
go_offline (DeskSync     *self,
            const GError *error)
{
  if (error != NULL)
    set_last_error (self, error->message);
  if (self->state == DESK_SYNC_STATE_OFFLINE)
    return;
  set_state (self, DESK_SYNC_STATE_OFFLINE);
  /* The first probe comes at once: a dropped connection is often just
   * that, and the site still answers. */
  self->probe_delay_ms = 0;
  if (!self->probing)
    schedule_probe (self);
}

static void
go_online (DeskSync *self)
{
  GHashTableIter iter;
  OpenEntry *open;

  g_clear_handle_id (&self->probe_source, g_source_remove);
  if (self->state != DESK_SYNC_STATE_OFFLINE)
    return;
  set_state (self, self->syncing ? DESK_SYNC_STATE_SYNCING : DESK_SYNC_STATE_ONLINE);

  outbox_kick (self);
  g_hash_table_iter_init (&iter, self->open_entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &open))
    if (!open->requesting)
      take_lock (self, open);
  sync_begin (self);
}

static void
probe_me_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DeskSync) self = user_data;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  self->probing = FALSE;
  account = desk_site_client_get_me_finish (DESK_SITE_CLIENT (object), result, &failure, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->started)
    return;

  if (account != NULL && self->account == NULL)
    {
      self->account = g_strdup (account->account);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
    }

  /* Any answer, even an error status, means the site is reachable. */
  if (account != NULL || (failure != NULL && failure->status != 0))
    {
      if (error != NULL)
        set_last_error (self, error->message);
      go_online (self);
      return;
    }

  set_last_error (self, error->message);
  set_state (self, DESK_SYNC_STATE_OFFLINE);
  self->probe_delay_ms = self->probe_delay_ms == 0
                         ? self->probe_min_ms
                         : MIN (self->probe_delay_ms * 2, self->probe_max_ms);
  schedule_probe (self);
}

static gboolean
probe_cb (gpointer user_data)
{
  DeskSync *self = user_data;

  self->probe_source = 0;
  if (self->probing)
    return G_SOURCE_REMOVE;
  self->probing = TRUE;
  desk_site_client_get_me_async (self->client, self->cancellable, probe_me_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* ---- pending count ---------------------------------------------------- */

static void
count_pending_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DeskSync) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 count;

  count = desk_store_outbox_count_pending_finish (DESK_STORE (object), result, &error);
  if (count < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_last_error (self, error->message);
      return;
    }
  if (count != self->pending)
    {
      self->pending = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_OPERATIONS]);
    }
}

static void
refresh_pending (DeskSync *self)
{
  desk_store_outbox_count_pending_async (self->store, self->cancellable,
                                         count_pending_cb, g_object_ref (self));
}

/* ---- change feed and prefetch ---------------------------------------- */

typedef struct {
  DeskSync   *self;
  GError     *error;
  guint       upserts_running;
  gboolean    listing;
  gboolean    feed_done;
  char       *since;
  guint       list_attempts;
  /* prefetch */
  GHashTable *attempted;   /* ids fetched in this run */
  GPtrArray  *ids;         /* this round's */
  guint       next;
  guint       running;
  GPtrArray  *batch;       /* fetched entries not yet stored */
  guint       stores_running;
  guint       progress;    /* entries stored this round */
} SyncRun;

static void sync_run_finish (SyncRun *run);
static void prefetch_round  (SyncRun *run);

static void
sync_run_free (SyncRun *run)
{
  g_clear_error (&run->error);
  g_clear_pointer (&run->attempted, g_hash_table_unref);
  g_clear_pointer (&run->ids, g_ptr_array_unref);
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  g_free (run->since);
  g_clear_object (&run->self);
  g_free (run);
}

static void
sync_run_fail (SyncRun *run,
               GError  *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
}

static void
list_page (SyncRun    *run,
           const char *since);

static void
lock_seen (DeskSync   *self,
           DeskEntry  *entry)
{
  OpenEntry *open = g_hash_table_lookup (self->open_entries, desk_entry_get_id (entry));
  const DeskLock *lock = desk_entry_get_lock (entry);
  gboolean mine;

  if (open == NULL || open->requesting)
    return;
  mine = lock != NULL && g_strcmp0 (lock->editor, self->account) == 0;
  if (desk_lock_equal (open->lock, lock) && open->mine == mine)
    return;
  /* Our own lock seen in the feed changes nothing; another editor's lock,
   * or ours gone, does. */
  if (mine && open->mine)
    return;
  g_clear_pointer (&open->lock, desk_lock_free);
  open->lock = lock != NULL ? desk_lock_copy (lock) : NULL;
  open->mine = mine;
  g_signal_emit (self, signals[LOCK_CHANGED], 0, open->id, open->lock, open->mine);
}

typedef struct {
  SyncRun   *run;
  GPtrArray *entries;
} PageStore;

static void
upsert_page_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PageStore *ps = user_data;
  SyncRun *run = ps->run;
  g_autoptr(GError) error = NULL;

  run->upserts_running--;
  if (!desk_store_upsert_summaries_finish (DESK_STORE (object), result, &error))
    sync_run_fail (run, g_steal_pointer (&error));
  else
    emit_entries_changed (run->self, ps->entries);
  g_ptr_array_unref (ps->entries);
  g_free (ps);

  if (run->upserts_running == 0 && !run->listing && (run->feed_done || run->error != NULL))
    {
      if (run->error != NULL)
        sync_run_finish (run);
      else
        {
          g_signal_emit (run->self, signals[FEED_SYNCED], 0);
          prefetch_round (run);
        }
    }
}

/* How long before reading again after a failure that may pass (503, 429):
 * exponential with full jitter, never sooner than Retry-After. */
static guint
read_retry_delay_ms (DeskSync              *self,
                     guint                  attempt,
                     const DeskSiteFailure *failure)
{
  guint64 cap = MIN ((guint64) self->retry_max_ms, (guint64) self->retry_base_ms << MIN (attempt, 20));
  guint delay = (guint) g_random_double_range (0, (double) MAX (cap, 1));

  if (failure != NULL && failure->retry_after > 0)
    delay = MAX (delay, (guint) failure->retry_after * 1000);
  return delay;
}

static gboolean
is_passing (const GError *error)
{
  return desk_site_error_is_transient (error) && !is_unreachable (error);
}

static gboolean
relist_cb (gpointer data)
{
  SyncRun *run = data;
  g_autofree char *since = g_strdup (run->since);

  list_page (run, since);
  return G_SOURCE_REMOVE;
}

static void
list_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncRun *run = user_data;
  g_autoptr(DeskEntryPage) page = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  GError *error = NULL;
  PageStore *ps;

  run->listing = FALSE;
  page = desk_site_client_list_entries_finish (DESK_SITE_CLIENT (object), result, &failure, &error);
  if (page == NULL && run->error == NULL && is_passing (error) &&
      run->list_attempts < 5 && run->self->started)
    {
      run->listing = TRUE;
      g_timeout_add (read_retry_delay_ms (run->self, run->list_attempts++, failure), relist_cb, run);
      g_clear_error (&error);
      return;
    }
  run->list_attempts = 0;
  if (page == NULL)
    {
      sync_run_fail (run, error);
      run->feed_done = TRUE;
      if (run->upserts_running == 0)
        sync_run_finish (run);
      return;
    }
  if (run->error != NULL)
    {
      run->feed_done = TRUE;
      if (run->upserts_running == 0)
        sync_run_finish (run);
      return;
    }

  /* The next page is asked for while this one is stored: the store's
   * worker runs its jobs in order, so each page's cursor is still stored
   * after the page's rows and before the next page's. */
  if (page->more)
    list_page (run, page->cursor);
  else
    run->feed_done = TRUE;

  for (guint i = 0; i < page->entries->len; i++)
    lock_seen (run->self, g_ptr_array_index (page->entries, i));

  ps = g_new0 (PageStore, 1);
  ps->run = run;
  ps->entries = g_ptr_array_ref (page->entries);
  run->upserts_running++;
  desk_store_upsert_summaries_async (run->self->store, page->entries, page->cursor,
                                     run->self->cancellable, upsert_page_cb, ps);
}

static void
list_page (SyncRun    *run,
           const char *since)
{
  char *copy = g_strdup (since);

  g_free (run->since);
  run->since = copy;
  run->listing = TRUE;
  desk_site_client_list_entries_async (run->self->client, since, NULL, 0, FEED_PAGE_LIMIT,
                                       run->self->cancellable, list_page_cb, run);
}

static void
get_cursor_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SyncRun *run = user_data;
  g_autofree char *cursor = NULL;
  GError *error = NULL;

  cursor = desk_store_get_cursor_finish (DESK_STORE (object), result, &error);
  if (error != NULL)
    {
      sync_run_fail (run, error);
      sync_run_finish (run);
      return;
    }
  list_page (run, cursor);
}

static void prefetch_pump  (SyncRun *run);
static void prefetch_flush (SyncRun *run);

static void
prefetch_store_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PageStore *ps = user_data;
  SyncRun *run = ps->run;
  g_autoptr(GError) error = NULL;

  run->stores_running--;
  if (!desk_store_upsert_entries_finish (DESK_STORE (object), result, &error))
    sync_run_fail (run, g_steal_pointer (&error));
  else
    {
      run->progress += ps->entries->len;
      emit_entries_changed (run->self, ps->entries);
    }
  g_ptr_array_unref (ps->entries);
  g_free (ps);
  if (run->error == NULL && run->stores_running == 0)
    prefetch_flush (run);
  prefetch_pump (run);
}

static void
prefetch_flush (SyncRun *run)
{
  PageStore *ps;

  if (run->batch->len == 0)
    return;
  ps = g_new0 (PageStore, 1);
  ps->run = run;
  ps->entries = g_steal_pointer (&run->batch);
  run->batch = g_ptr_array_new_with_free_func (g_object_unref);
  run->stores_running++;
  desk_store_upsert_entries_async (run->self->store, ps->entries, run->self->cancellable,
                                   prefetch_store_cb, ps);
}

typedef struct {
  SyncRun *run;
  char    *id;
  guint    attempts;
} Fetch;

static void prefetch_get_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static gboolean
refetch_cb (gpointer data)
{
  Fetch *fetch = data;

  desk_site_client_get_entry_async (fetch->run->self->client, fetch->id,
                                    fetch->run->self->cancellable, prefetch_get_cb, fetch);
  return G_SOURCE_REMOVE;
}

static void
prefetch_get_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fetch *fetch = user_data;
  SyncRun *run = fetch->run;
  DeskSync *self = run->self;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskEntry) entry = NULL;

  entry = desk_site_client_get_entry_finish (DESK_SITE_CLIENT (object), result, NULL, &failure, &error);
  if (entry == NULL && run->error == NULL && is_passing (error) && fetch->attempts < 5 && self->started)
    {
      g_timeout_add (read_retry_delay_ms (self, fetch->attempts++, failure), refetch_cb, fetch);
      return;
    }
  run->running--;
  if (entry != NULL)
    {
      g_ptr_array_add (run->batch, g_steal_pointer (&entry));
      if (run->stores_running == 0 || run->batch->len >= PREFETCH_BATCH_MAX)
        prefetch_flush (run);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sync_run_fail (run, g_steal_pointer (&error));
  else if (is_unreachable (error))
    {
      go_offline (self, error);
      sync_run_fail (run, g_steal_pointer (&error));
    }
  else
    {
      /* One broken entry must not stop the others. */
      g_hash_table_add (self->fetch_failed, g_strdup (fetch->id));
      set_last_error (self, error->message);
      g_signal_emit (self, signals[FETCH_FAILED], 0, fetch->id, error);
    }
  g_free (fetch->id);
  g_free (fetch);
  prefetch_pump (run);
}

static void
prefetch_pump (SyncRun *run)
{
  DeskSync *self = run->self;

  /* Back-pressure: no more fetching while a full batch waits behind two
   * being written, so a slow disk cannot pile entries up in memory. */
  while (run->error == NULL &&
         run->running < MAX (self->prefetch_concurrency, 1) &&
         run->next < run->ids->len &&
         !(run->stores_running >= 2 && run->batch->len >= PREFETCH_BATCH_MAX))
    {
      Fetch *fetch = g_new0 (Fetch, 1);

      fetch->run = run;
      fetch->id = g_strdup (g_ptr_array_index (run->ids, run->next++));
      run->running++;
      desk_site_client_get_entry_async (self->client, fetch->id, self->cancellable,
                                        prefetch_get_cb, fetch);
    }

  if (run->running > 0)
    return;
  if (run->error == NULL && run->next >= run->ids->len)
    prefetch_flush (run);
  if (run->stores_running > 0)
    return;

  if (run->error != NULL || run->progress == 0)
    sync_run_finish (run);
  else
    prefetch_round (run);
}

static void
stale_ids_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncRun *run = user_data;
  DeskSync *self = run->self;
  g_auto(GStrv) ids = NULL;
  GError *error = NULL;

  ids = desk_store_list_stale_ids_finish (DESK_STORE (object), result, &error);
  if (ids == NULL)
    {
      sync_run_fail (run, error);
      sync_run_finish (run);
      return;
    }

  g_clear_pointer (&run->ids, g_ptr_array_unref);
  run->ids = g_ptr_array_new_with_free_func (g_free);
  run->next = 0;
  run->progress = 0;
  /* Each entry is fetched at most once per run, so an entry whose fetch
   * keeps failing (or keeps moving) cannot make this loop forever. */
  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_hash_table_contains (run->attempted, ids[i]) &&
        !g_hash_table_contains (self->fetch_failed, ids[i]))
      {
        g_hash_table_add (run->attempted, g_strdup (ids[i]));
        g_ptr_array_add (run->ids, g_strdup (ids[i]));
      }

  if (run->ids->len == 0)
    {
      sync_run_finish (run);
      return;
    }
  prefetch_pump (run);
}

static void
prefetch_round (SyncRun *run)
{
  if (run->batch == NULL)
    run->batch = g_ptr_array_new_with_free_func (g_object_unref);
  desk_store_list_stale_ids_async (run->self->store,
                                   DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_INCOMING) |
                                   DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_IN_REVIEW),
                                   PREFETCH_ROUND, run->self->cancellable, stale_ids_cb, run);
}

static void
sync_run_finish (SyncRun *run)
{
  DeskSync *self = run->self;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->sync_waiters);

  self->syncing = FALSE;
  self->sync_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  if (run->error != NULL && g_error_matches (run->error, DESK_SITE_ERROR, DESK_SITE_ERROR_UNAUTHORIZED))
    set_unauthorized (self, TRUE);
  else if (run->error == NULL)
    set_unauthorized (self, FALSE);
  if (run->error != NULL && is_unreachable (run->error))
    go_offline (self, run->error);
  else if (run->error != NULL && !g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_last_error (self, run->error->message);
  if (self->state == DESK_SYNC_STATE_SYNCING)
    set_state (self, DESK_SYNC_STATE_ONLINE);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (run->error != NULL)
        g_task_return_error (task, g_error_copy (run->error));
      else
        g_task_return_boolean (task, TRUE);
    }

  sync_run_free (run);

  if (self->sync_requested && self->started && self->state != DESK_SYNC_STATE_OFFLINE)
    sync_begin (self);
  else if (self->sync_requested && self->sync_next_waiters->len > 0)
    {
      /* Offline: those who waited for the next run learn it now. */
      g_autoptr(GPtrArray) next = g_steal_pointer (&self->sync_next_waiters);

      self->sync_next_waiters = g_ptr_array_new_with_free_func (g_object_unref);
      self->sync_requested = FALSE;
      for (guint i = 0; i < next->len; i++)
        g_task_return_new_error (g_ptr_array_index (next, i), DESK_SITE_ERROR,
                                 DESK_SITE_ERROR_NETWORK, "%s",
                                 self->last_error ? self->last_error : "Offline");
    }
}

static void
sync_begin (DeskSync *self)
{
  SyncRun *run;
  g_autoptr(GPtrArray) next = NULL;

  if (self->syncing)
    {
      self->sync_requested = TRUE;
      return;
    }
  if (!self->started)
    return;

  self->syncing = TRUE;
  self->sync_requested = FALSE;
  next = g_steal_pointer (&self->sync_next_waiters);
  self->sync_next_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_extend_and_steal (self->sync_waiters, g_steal_pointer (&next));
  g_hash_table_remove_all (self->fetch_failed);

  if (self->state == DESK_SYNC_STATE_ONLINE)
    set_state (self, DESK_SYNC_STATE_SYNCING);

  run = g_new0 (SyncRun, 1);
  run->self = g_object_ref (self);
  run->attempted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  desk_store_get_cursor_async (self->store, self->cancellable, get_cursor_cb, run);
}

void
desk_sync_sync_now_async (DeskSync            *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DESK_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_sync_sync_now_async);
  if (!self->started)
    {
      g_task_return_new_error (task, DESK_SYNC_ERROR, DESK_SYNC_ERROR_BUSY, "The engine is not running");
      return;
    }
  /* A sync already running may have read the feed before the change the
   * caller knows about: wait for a fresh one. */
  g_ptr_array_add (self->sync_next_waiters, g_steal_pointer (&task));
  if (self->syncing)
    self->sync_requested = TRUE;
  else
    sync_begin (self);
}

gboolean
desk_sync_sync_now_finish (DeskSync      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- outbox delivery ------------------------------------------------- */

typedef struct {
  DeskSync     *self;
  DeskOutboxOp *op;
  char         *if_match;  /* what this attempt sends */
  char         *payload;
} Delivery;

static void
delivery_free (Delivery *d)
{
  g_clear_object (&d->self);
  g_clear_pointer (&d->op, desk_outbox_op_free);
  g_free (d->if_match);
  g_free (d->payload);
  g_free (d);
}

static void
outbox_step_done (DeskSync *self)
{
  self->outbox_busy = FALSE;
  refresh_pending (self);
  outbox_kick (self);
}

static gboolean
outbox_timer_cb (gpointer user_data)
{
  DeskSync *self = user_data;

  self->outbox_timer = 0;
  outbox_kick (self);
  return G_SOURCE_REMOVE;
}

static void
next_time_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DeskSync) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 when, delay_ms;

  when = desk_store_outbox_next_time_finish (DESK_STORE (object), result, &error);
  if (when < 0 || when == G_MAXINT64 || !self->started)
    return;
  g_clear_handle_id (&self->outbox_timer, g_source_remove);
  delay_ms = (when - g_get_real_time ()) / 1000;
  self->outbox_timer = g_timeout_add ((guint) CLAMP (delay_ms + 1, 0, G_MAXINT32),
                                      outbox_timer_cb, self);
}

static void deliver (DeskSync *self, DeskOutboxOp *op);

static void
next_due_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DeskSync) self = user_data;
  g_autoptr(GError) error = NULL;
  DeskOutboxOp *op;

  op = desk_store_outbox_next_due_finish (DESK_STORE (object), result, &error);
  if (op == NULL)
    {
      self->outbox_busy = FALSE;
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_last_error (self, error->message);
      if (self->outbox_again)
        {
          outbox_kick (self);
          return;
        }
      refresh_pending (self);
      if (self->started)
        desk_store_outbox_next_time_async (self->store, self->cancellable, next_time_cb,
                                           g_object_ref (self));
      return;
    }
  deliver (self, op);
}

static void
outbox_kick (DeskSync *self)
{
  if (!self->started || self->state == DESK_SYNC_STATE_OFFLINE)
    return;
  if (self->outbox_busy)
    {
      self->outbox_again = TRUE;
      return;
    }
  self->outbox_busy = TRUE;
  self->outbox_again = FALSE;
  g_clear_handle_id (&self->outbox_timer, g_source_remove);
  desk_store_outbox_next_due_async (self->store, g_get_real_time (), self->cancellable,
                                    next_due_cb, g_object_ref (self));
}

static void send_op         (Delivery *d);
static void op_succeeded    (Delivery *d, DeskEntry *entry);
static void op_failed_for_good (Delivery *d, const GError *error);

static void
mark_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Delivery *d = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_store_outbox_mark_finish (DESK_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_last_error (d->self, error->message);
    }
  outbox_step_done (d->self);
  delivery_free (d);
}

static void
mark_and_continue (Delivery       *d,
                   DeskOutboxMark  mark,
                   const char     *message,
                   gint64          next_attempt_at)
{
  desk_store_outbox_mark_async (d->self->store, d->op->id, mark, message, next_attempt_at,
                                NULL, mark_cb, d);
}

static void
in_flight_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Delivery *d = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_store_outbox_mark_finish (DESK_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_last_error (d->self, error->message);
      d->self->outbox_busy = FALSE;
      delivery_free (d);
      return;
    }
  d->op->attempts++;
  send_op (d);
}

static void
begin_attempt (Delivery *d)
{
  if (!d->self->started)
    {
      d->self->outbox_busy = FALSE;
      delivery_free (d);
      return;
    }
  desk_store_outbox_mark_async (d->self->store, d->op->id, DESK_OUTBOX_MARK_IN_FLIGHT, NULL, 0,
                                NULL, in_flight_cb, d);
}

static void
journal_then_attempt_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Delivery *d = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_sync_journal_save_finish (d->self->journal, result, &error))
    {
      /* Without the decision on disk a retry after a crash could send
       * something else: do not send yet. */
      set_last_error (d->self, error->message);
      mark_and_continue (d, DESK_OUTBOX_MARK_RETRY, error->message,
                         g_get_real_time () + (gint64) d->self->retry_max_ms * 1000);
      return;
    }
  begin_attempt (d);
}

static void
chain_entry_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Delivery *d = user_data;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  entry = desk_store_get_entry_finish (DESK_STORE (object), result, &error);
  if (entry == NULL)
    {
      g_autoptr(GError) failure = NULL;

      if (error != NULL)
        {
          set_last_error (d->self, error->message);
          mark_and_continue (d, DESK_OUTBOX_MARK_RETRY, error->message,
                             g_get_real_time () + (gint64) d->self->retry_base_ms * 1000);
          return;
        }
      failure = g_error_new (DESK_SYNC_ERROR, DESK_SYNC_ERROR_NO_REVISION,
                             "No revision of %s is known to base the change on",
                             d->op->entry_id);
      op_failed_for_good (d, failure);
      return;
    }
  d->if_match = desk_entry_dup_etag (entry);
  desk_sync_journal_set_op (d->self->journal, d->op->id, d->if_match, NULL);
  desk_sync_journal_save_async (d->self->journal, NULL, journal_then_attempt_cb, d);
}

static void
deliver (DeskSync     *self,
         DeskOutboxOp *op)
{
  Delivery *d = g_new0 (Delivery, 1);
  g_autofree char *if_match = NULL;
  g_autofree char *payload = NULL;

  d->self = g_object_ref (self);
  d->op = op;
  desk_sync_journal_get_op (self->journal, op->id, &if_match, &payload);
  d->if_match = if_match != NULL ? g_steal_pointer (&if_match) : g_strdup (op->if_match);
  d->payload = payload != NULL ? g_steal_pointer (&payload) : g_strdup (op->payload);

  if (d->if_match == NULL && op->entry_id != NULL &&
      (op->kind == DESK_OUTBOX_KIND_STATUS || op->kind == DESK_OUTBOX_KIND_PUBLISH ||
       op->kind == DESK_OUTBOX_KIND_PATCH))
    {
      /* Queued behind other writes of the entry: based on the revision the
       * last of them produced. Fixed in the journal before the first
       * attempt, because a publish's key is bound to its If-Match. */
      d->if_match = desk_sync_journal_dup_chain (self->journal, op->entry_id);
      if (d->if_match == NULL)
        {
          desk_store_get_entry_async (self->store, op->entry_id, NULL, chain_entry_cb, d);
          return;
        }
      desk_sync_journal_set_op (self->journal, op->id, d->if_match, NULL);
      desk_sync_journal_save_async (self->journal, NULL, journal_then_attempt_cb, d);
      return;
    }
  begin_attempt (d);
}

/* -- sending -- */

static void handle_failure (Delivery *d, GError *error, DeskSiteFailure *failure);

static void
entry_write_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Delivery *d = user_data;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  GError *error = NULL;
  DeskSiteClient *client = DESK_SITE_CLIENT (object);

  switch (d->op->kind)
    {
    case DESK_OUTBOX_KIND_PATCH:
      entry = desk_site_client_patch_entry_finish (client, result, &failure, &error);
      break;
    case DESK_OUTBOX_KIND_STATUS:
      entry = desk_site_client_set_status_finish (client, result, &failure, &error);
      break;
    case DESK_OUTBOX_KIND_PUBLISH:
      entry = desk_site_client_publish_finish (client, result, &failure, &error);
      break;
    case DESK_OUTBOX_KIND_LOCK:
    case DESK_OUTBOX_KIND_UNLOCK:
    case DESK_OUTBOX_KIND_GLOSSARY:
    default:
      g_assert_not_reached ();
    }

  if (entry != NULL)
    op_succeeded (d, entry);
  else
    handle_failure (d, error, failure);
}

typedef struct {
  Delivery     *d;
  DeskGlossary *glossary;
} GlossaryStore;

static void
glossary_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Delivery *d = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_store_set_glossary_finish (DESK_STORE (object), result, &error))
    set_last_error (d->self, error->message);
  desk_sync_journal_remove_op (d->self->journal, d->op->id);
  mark_and_continue (d, DESK_OUTBOX_MARK_DONE, NULL, 0);
}

static void
glossary_write_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Delivery *d = user_data;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskGlossary) glossary = NULL;
  GError *error = NULL;

  glossary = desk_site_client_put_glossary_finish (DESK_SITE_CLIENT (object), result, NULL,
                                                   &failure, &error);
  if (glossary == NULL)
    {
      handle_failure (d, error, failure);
      return;
    }
  desk_store_set_glossary_async (d->self->store, glossary, NULL, glossary_stored_cb, d);
}

static void
send_op (Delivery *d)
{
  DeskSync *self = d->self;
  g_autoptr(GError) error = NULL;

  switch (d->op->kind)
    {
    case DESK_OUTBOX_KIND_PATCH:
      {
        g_autoptr(DeskEditable) fields = editable_from_payload (d->payload, &error);

        if (fields == NULL)
          break;
        desk_site_client_patch_entry_async (self->client, d->op->entry_id, d->if_match, fields,
                                            NULL, entry_write_cb, d);
        return;
      }

    case DESK_OUTBOX_KIND_STATUS:
      {
        g_autoptr(JsonNode) node = desk_json_parse (d->payload ? d->payload : "", -1, 0, 0, &error);
        JsonObject *object;
        DeskEntryStatus status;
        const char *reason = NULL;

        if (node == NULL)
          break;
        object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
        if (object == NULL || !json_object_has_member (object, "status") ||
            json_node_get_value_type (json_object_get_member (object, "status")) != G_TYPE_STRING ||
            !desk_entry_status_from_string (json_object_get_string_member (object, "status"), &status))
          {
            g_set_error_literal (&error, DESK_JSON_ERROR, DESK_JSON_ERROR_INVALID,
                                 "status: not a status change");
            break;
          }
        if (json_object_has_member (object, "reason") &&
            json_node_get_value_type (json_object_get_member (object, "reason")) == G_TYPE_STRING)
          reason = json_object_get_string_member (object, "reason");
        desk_site_client_set_status_async (self->client, d->op->entry_id, d->if_match, status,
                                           reason, NULL, entry_write_cb, d);
        return;
      }

    case DESK_OUTBOX_KIND_PUBLISH:
      desk_site_client_publish_async (self->client, d->op->entry_id, d->if_match,
                                      d->op->idempotency_key, NULL, entry_write_cb, d);
      return;

    case DESK_OUTBOX_KIND_GLOSSARY:
      {
        g_autoptr(JsonNode) node = desk_json_parse (d->payload ? d->payload : "", -1, 0, 0, &error);
        g_autoptr(DeskGlossary) glossary = NULL;

        if (node == NULL || !(glossary = desk_glossary_new_from_json (node, FALSE, &error)))
          break;
        desk_site_client_put_glossary_async (self->client, d->if_match, glossary, NULL,
                                             glossary_write_cb, d);
        return;
      }

    case DESK_OUTBOX_KIND_LOCK:
    case DESK_OUTBOX_KIND_UNLOCK:
    default:
      /* Locks are taken and released directly (desk_sync_open_entry_for_editing):
       * a lock delivered late would be worse than none. */
      g_set_error (&error, DESK_SYNC_ERROR, DESK_SYNC_ERROR_BUSY,
                   "Outbox operations of kind %s are not delivered",
                   desk_outbox_kind_to_string (d->op->kind));
      break;
    }

  g_assert (error != NULL);
  op_failed_for_good (d, error);
}

/* -- outcomes -- */

static void
op_failed_for_good (Delivery     *d,
                    const GError *error)
{
  DeskSync *self = d->self;

  g_debug ("operation %" G_GINT64_FORMAT " failed for good: %s", d->op->id, error->message);
  set_last_error (self, error->message);
  g_signal_emit (self, signals[OPERATION_FAILED], 0, d->op->id, d->op->entry_id, error);
  mark_and_continue (d, DESK_OUTBOX_MARK_FAILED, error->message, 0);
}

static void
done_journal_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Delivery *d = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_sync_journal_save_finish (d->self->journal, result, &error))
    set_last_error (d->self, error->message);
  g_signal_emit (d->self, signals[OPERATION_DONE], 0, d->op->id, d->op->entry_id);
  if (d->op->entry_id != NULL)
    emit_entry_changed (d->self, d->op->entry_id);
  mark_and_continue (d, DESK_OUTBOX_MARK_DONE, NULL, 0);
}

typedef struct {
  Delivery  *d;
  DeskEntry *entry;
} Success;

static void
success_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Success *s = user_data;
  Delivery *d = s->d;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = desk_entry_dup_etag (s->entry);

  if (!desk_store_upsert_entries_finish (DESK_STORE (object), result, &error))
    set_last_error (d->self, error->message);

  /* The chain revision is on disk before the operation counts as done, so
   * the entry's next write is based on it even after a crash. */
  desk_sync_journal_set_chain (d->self->journal, d->op->entry_id, etag);
  desk_sync_journal_remove_op (d->self->journal, d->op->id);
  desk_sync_journal_save_async (d->self->journal, NULL, done_journal_cb, d);
  g_object_unref (s->entry);
  g_free (s);
}

static void
op_succeeded (Delivery  *d,
              DeskEntry *entry)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  Success *s = g_new0 (Success, 1);

  set_unauthorized (d->self, FALSE);
  s->d = d;
  s->entry = g_object_ref (entry);
  g_ptr_array_add (entries, entry);
  desk_store_upsert_entries_async (d->self->store, entries, NULL, success_stored_cb, s);
}

static void
retry_later (Delivery              *d,
             const GError          *error,
             const DeskSiteFailure *failure)
{
  DeskSync *self = d->self;
  guint shift = MIN ((guint) MAX (d->op->attempts - 1, 0), 20);
  guint64 cap = MIN ((guint64) self->retry_max_ms, (guint64) self->retry_base_ms << shift);
  gint64 delay_ms;

  /* Full jitter: clients that failed together do not retry together. */
  delay_ms = cap > 1 ? (gint64) g_random_double_range (0, (double) cap) : 0;
  if (failure != NULL && failure->retry_after > 0)
    delay_ms = MAX (delay_ms, (gint64) failure->retry_after * 1000);
  g_debug ("operation %" G_GINT64_FORMAT " retries in %" G_GINT64_FORMAT " ms: %s",
           d->op->id, delay_ms, error->message);
  set_last_error (self, error->message);
  mark_and_continue (d, DESK_OUTBOX_MARK_RETRY, error->message,
                     g_get_real_time () + delay_ms * 1000);
}

static gint64
lock_expiry_us (const DeskLock *lock)
{
  g_autoptr(GDateTime) dt = NULL;

  if (lock == NULL || lock->expires_at == NULL ||
      !(dt = g_date_time_new_from_iso8601 (lock->expires_at, NULL)))
    return -1;
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static void handle_412_patch (Delivery *d, DeskEntry *theirs);

static void
handle_failure (Delivery        *d,
                GError          *error_in,
                DeskSiteFailure *failure)
{
  g_autoptr(GError) error = error_in;
  DeskSync *self = d->self;
  DeskEntry *current = failure && failure->api_error ? failure->api_error->current : NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped: the operation stays in flight and is retried with the
       * same If-Match and key at the next start. */
      self->outbox_busy = FALSE;
      delivery_free (d);
      return;
    }

  if (g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_PRECONDITION_FAILED) &&
      current != NULL)
    {
      switch (d->op->kind)
        {
        case DESK_OUTBOX_KIND_PATCH:
          handle_412_patch (d, current);
          return;

        case DESK_OUTBOX_KIND_STATUS:
          {
            g_autoptr(JsonNode) node = desk_json_parse (d->payload, -1, 0, 0, NULL);
            DeskEntryStatus wanted;

            /* A lost answer to our own change: the site already has it. */
            if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
                json_object_has_member (json_node_get_object (node), "status") &&
                desk_entry_status_from_string (json_object_get_string_member (json_node_get_object (node), "status"),
                                               &wanted) &&
                desk_entry_get_status (current) == wanted)
              {
                op_succeeded (d, current);
                return;
              }
          }
          break;

        case DESK_OUTBOX_KIND_PUBLISH:
        case DESK_OUTBOX_KIND_LOCK:
        case DESK_OUTBOX_KIND_UNLOCK:
        case DESK_OUTBOX_KIND_GLOSSARY:
        default:
          break;
        }
      /* Someone else changed the entry: approving or publishing what the
       * editor has not seen is not ours to decide. */
      op_failed_for_good (d, error);
      return;
    }

  if (g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_LOCKED))
    {
      const DeskLock *lock = failure && failure->api_error ? failure->api_error->lock : NULL;
      gint64 until = lock_expiry_us (lock);
      OpenEntry *open = d->op->entry_id ? g_hash_table_lookup (self->open_entries, d->op->entry_id) : NULL;

      if (open != NULL && lock != NULL && !desk_lock_equal (open->lock, lock))
        {
          g_clear_pointer (&open->lock, desk_lock_free);
          open->lock = desk_lock_copy (lock);
          open->mine = FALSE;
          g_signal_emit (self, signals[LOCK_CHANGED], 0, open->id, open->lock, FALSE);
        }
      set_last_error (self, error->message);
      /* Another editor's lock ends by itself: try again once it has. */
      if (until > 0)
        mark_and_continue (d, DESK_OUTBOX_MARK_RETRY, error->message,
                           MAX (until, g_get_real_time ()) + (gint64) g_random_int_range (0, 1000) * 1000);
      else
        retry_later (d, error, failure);
      return;
    }

  if (desk_site_error_is_transient (error))
    {
      if (is_unreachable (error))
        go_offline (self, error);
      retry_later (d, error, failure);
      return;
    }

  if (g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_PROTOCOL) &&
      d->op->attempts < MAX_PROTOCOL_ATTEMPTS)
    {
      retry_later (d, error, failure);
      return;
    }

  if (g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_UNAUTHORIZED))
    {
      /* A token can be fixed without losing the queue: the operation
       * waits, and the editor is asked for a new token. */
      set_unauthorized (self, TRUE);
      retry_later (d, error, failure);
      return;
    }

  op_failed_for_good (d, error);
}

/* -- 412 on a PATCH: three-way merge -- */

typedef struct {
  Delivery  *d;
  DeskEntry *theirs;
  DeskFields conflicts;
  DeskEditable *mine;
  DeskEditable *merged;
} Merge;

static void
merge_free (Merge *m)
{
  g_clear_object (&m->theirs);
  g_clear_pointer (&m->mine, desk_editable_free);
  g_clear_pointer (&m->merged, desk_editable_free);
  g_free (m);
}

static void
conflict_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Merge *m = user_data;
  Delivery *d = m->d;
  DeskSync *self = d->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *names = fields_to_string (m->conflicts);
  g_autofree char *message = NULL;
  DeskSyncConflict *conflict;

  if (!desk_sync_journal_save_finish (self->journal, result, &error))
    set_last_error (self, error->message);

  conflict = g_new0 (DeskSyncConflict, 1);
  conflict->op_id = d->op->id;
  conflict->entry_id = g_strdup (d->op->entry_id);
  conflict->fields = m->conflicts;
  conflict->mine = desk_editable_copy (m->mine);
  conflict->theirs = desk_editable_copy (desk_entry_get_fields (m->theirs));
  conflict->merged = desk_editable_copy (m->merged);
  conflict->theirs_etag = desk_entry_dup_etag (m->theirs);
  g_hash_table_replace (self->conflicts, g_strdup (d->op->entry_id), conflict);

  message = g_strdup_printf ("Conflict with a change on the site: %s", names);
  set_last_error (self, message);
  g_signal_emit (self, signals[CONFLICT], 0, d->op->entry_id, m->conflicts,
                 conflict->mine, conflict->theirs);
  /* Failed holds back the entry's later writes until the editor decides. */
  mark_and_continue (d, DESK_OUTBOX_MARK_FAILED, message, 0);
  m->d = NULL;
  merge_free (m);
}

static void
merged_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Delivery *d = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_sync_journal_save_finish (d->self->journal, result, &error))
    {
      set_last_error (d->self, error->message);
      mark_and_continue (d, DESK_OUTBOX_MARK_RETRY, error->message,
                         g_get_real_time () + (gint64) d->self->retry_base_ms * 1000);
      return;
    }
  /* A clean merge goes out again at once, on theirs' revision. */
  mark_and_continue (d, DESK_OUTBOX_MARK_RETRY, "merged with a change on the site",
                     g_get_real_time ());
}

static void
base_revision_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Merge *m = user_data;
  Delivery *d = m->d;
  DeskSync *self = d->self;
  g_autoptr(DeskEntry) base = NULL;
  g_autoptr(GError) error = NULL;
  const DeskEditable *theirs = desk_entry_get_fields (m->theirs);
  DeskFields changes;

  base = desk_store_get_revision_finish (DESK_STORE (object), result, &error);
  if (error != NULL)
    set_last_error (self, error->message);

  if (base != NULL && (desk_entry_get_fields (base)->present & DESK_FIELDS_ALL) == DESK_FIELDS_ALL)
    m->merged = desk_merge_three_way (desk_entry_get_fields (base), m->mine, theirs, &m->conflicts);
  else
    {
      /* Without the base nothing shows who changed what: every field mine
       * sets to something else than theirs is a conflict. */
      m->conflicts = 0;
      for (guint bit = 0; bit < 8; bit++)
        if ((m->mine->present & (1u << bit)) &&
            !desk_editable_field_equal (m->mine, theirs, 1u << bit))
          m->conflicts |= 1u << bit;
      m->merged = desk_editable_copy (theirs);
      if (m->conflicts == 0)
        desk_editable_merge (m->merged, m->mine);
    }

  if (m->conflicts != 0)
    {
      DeskSyncConflict record = {
        .op_id = d->op->id,
        .entry_id = d->op->entry_id,
        .fields = m->conflicts,
        .mine = m->mine,
        .theirs = (DeskEditable *) theirs,
        .merged = m->merged,
      };
      g_autofree char *etag = desk_entry_dup_etag (m->theirs);

      record.theirs_etag = etag;
      desk_sync_journal_set_conflict (self->journal, &record);
      desk_sync_journal_save_async (self->journal, NULL, conflict_saved_cb, m);
      return;
    }

  changes = desk_editable_diff (m->merged, theirs) & DESK_FIELDS_ALL;
  if (changes == 0)
    {
      /* The site already has every change (often our own write whose answer
       * was lost): done, with theirs as the result. */
      op_succeeded (d, m->theirs);
      merge_free (m);
      return;
    }
  else
    {
      g_autoptr(DeskEditable) patch = editable_subset (m->merged, changes);
      g_autofree char *payload = editable_to_payload (patch);
      g_autofree char *etag = desk_entry_dup_etag (m->theirs);

      desk_sync_journal_set_op (self->journal, d->op->id, etag, payload);
      desk_sync_journal_save_async (self->journal, NULL, merged_saved_cb, d);
      merge_free (m);
    }
}

static void
theirs_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Merge *m = user_data;
  g_autoptr(GError) error = NULL;

  /* Kept as history whatever comes next. */
  if (!desk_store_upsert_entries_finish (DESK_STORE (object), result, &error))
    set_last_error (m->d->self, error->message);
  desk_store_get_revision_async (m->d->self->store, m->d->op->entry_id,
                                 revision_of_etag (m->d->if_match), NULL, base_revision_cb, m);
}

static void
handle_412_patch (Delivery  *d,
                  DeskEntry *theirs)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Merge *m;

  m = g_new0 (Merge, 1);
  m->d = d;
  m->theirs = g_object_ref (theirs);
  if (!(m->mine = editable_from_payload (d->payload, &error)))
    {
      merge_free (m);
      op_failed_for_good (d, error);
      return;
    }
  g_ptr_array_add (entries, theirs);
  desk_store_upsert_entries_async (d->self->store, entries, NULL, theirs_stored_cb, m);
}

/* ---- queueing -------------------------------------------------------- */

typedef struct {
  DeskOutboxKind   kind;
  char            *entry_id;
  gint64           revision;
  DeskEditable    *draft;
  DeskEntryStatus  status;
  char            *reason;
  /* desk_sync_queue_workflow_async: the edit's base, the goal, and the
   * PATCH body once the draft was compared with that base. */
  gboolean         workflow;
  gint64           base_revision;
  DeskSyncGoal     goal;
  char            *patch;
} QueueRequest;

static void
queue_request_free (QueueRequest *req)
{
  g_free (req->entry_id);
  g_clear_pointer (&req->draft, desk_editable_free);
  g_free (req->reason);
  g_free (req->patch);
  g_free (req);
}

static void queue_next (DeskSync *self);

/* A queue request has been answered: the next one may go, and what was
 * stored (@queued) is counted and sent. */
static void
queue_done (DeskSync *self,
            gboolean  queued)
{
  self->enqueue_busy = FALSE;
  if (queued)
    {
      refresh_pending (self);
      outbox_kick (self);
    }
  queue_next (self);
}

/* The PATCH body of the fields of @draft that differ from @base (all
 * present ones without a base), or NULL when none does. */
static char *
patch_payload (const DeskEditable *draft,
               DeskEntry          *base)
{
  g_autoptr(DeskEditable) patch = NULL;
  DeskFields changes = draft->present & DESK_FIELDS_ALL;

  if (base != NULL)
    changes &= desk_editable_diff (draft, desk_entry_get_fields (base));
  if (changes == 0)
    return NULL;
  patch = editable_subset (draft, changes);
  return editable_to_payload (patch);
}

/* Whether @ops (unfinished outbox operations) has one of @entry_id. */
static gboolean
entry_is_queued (GPtrArray  *ops,
                 const char *entry_id)
{
  for (guint i = 0; i < ops->len; i++)
    if (g_strcmp0 (((DeskOutboxOp *) g_ptr_array_index (ops, i))->entry_id, entry_id) == 0)
      return TRUE;
  return FALSE;
}

/* The outbox's pending, in-flight and failed operations, for @callback. */
static void
list_unfinished (DeskSync            *self,
                 GAsyncReadyCallback  callback,
                 GTask               *task)
{
  desk_store_outbox_list_async (self->store,
                                DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_PENDING) |
                                DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_IN_FLIGHT) |
                                DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_FAILED),
                                NULL, callback, task);
}

static void
queue_complete (GTask  *task,
                gint64  id,
                GError *error)
{
  DeskSync *self = g_task_get_source_object (task);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
  queue_done (self, id > 0);
}

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gint64 id;

  id = desk_store_outbox_enqueue_finish (DESK_STORE (object), result, &error);
  queue_complete (task, id, error);
}

static void
queue_edit_base_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DeskSync *self = g_task_get_source_object (task);
  QueueRequest *req = g_task_get_task_data (task);
  g_autoptr(DeskEntry) base = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *etag = NULL;
  GError *error = NULL;

  base = desk_store_get_revision_finish (DESK_STORE (object), result, &error);
  if (error != NULL || !(payload = patch_payload (req->draft, base)))
    {
      queue_complete (task, 0, error);
      g_object_unref (task);
      return;
    }
  etag = etag_for_revision (req->revision);
  desk_store_outbox_enqueue_async (self->store, req->entry_id, DESK_OUTBOX_KIND_PATCH,
                                   payload, etag, NULL, NULL, enqueue_cb, task);
}

static char *
status_payload (DeskEntryStatus  status,
                const char      *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, desk_entry_status_to_string (status));
  if (reason != NULL)
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return desk_json_to_string (node, FALSE, NULL);
}

static void
queue_list_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  DeskSync *self = g_task_get_source_object (task);
  QueueRequest *req = g_task_get_task_data (task);
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *if_match = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *key = NULL;
  GError *error = NULL;

  ops = desk_store_outbox_list_finish (DESK_STORE (object), result, &error);
  if (ops == NULL)
    {
      queue_complete (task, 0, error);
      g_object_unref (task);
      return;
    }

  /* Behind other writes of the entry the revision is the one they will
   * produce: left open here and settled by the engine before sending. */
  if (!entry_is_queued (ops, req->entry_id))
    if_match = etag_for_revision (req->revision);

  if (req->kind == DESK_OUTBOX_KIND_STATUS)
    payload = status_payload (req->status, req->reason);
  else
    key = desk_site_new_idempotency_key ();

  desk_store_outbox_enqueue_async (self->store, req->entry_id, req->kind, payload, if_match, key,
                                   NULL, enqueue_cb, task);
}

/* ---- a workflow's steps, queued in one transaction ---- */

static void
workflow_complete (GTask          *task,
                   DeskSyncQueued *queued,
                   GError         *error)
{
  DeskSync *self = g_task_get_source_object (task);
  gboolean any = queued != NULL && queued->last_op != 0;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, queued, g_free);
  queue_done (self, any);
  g_object_unref (task);
}

typedef struct {
  GTask          *task;
  DeskSyncQueued  queued;
  int             edit_index;      /* in the batch, or -1 */
  int             publish_index;
} WorkflowBatch;

static void
workflow_enqueued_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  WorkflowBatch *b = user_data;
  g_autoptr(GArray) ids = NULL;
  GError *error = NULL;
  DeskSyncQueued *queued = NULL;

  ids = desk_store_outbox_enqueue_all_finish (DESK_STORE (object), result, &error);
  if (ids != NULL)
    {
      queued = g_memdup2 (&b->queued, sizeof b->queued);
      if (b->edit_index >= 0)
        queued->edit_op = g_array_index (ids, gint64, b->edit_index);
      if (b->publish_index >= 0)
        queued->publish_op = g_array_index (ids, gint64, b->publish_index);
      queued->last_op = g_array_index (ids, gint64, ids->len - 1);
    }
  workflow_complete (b->task, queued, error);
  g_free (b);
}

static DeskOutboxOp *
batch_op (const char     *entry_id,
          DeskOutboxKind  kind,
          char           *payload,
          char           *if_match,
          char           *key)
{
  DeskOutboxOp *op = g_new0 (DeskOutboxOp, 1);

  op->entry_id = g_strdup (entry_id);
  op->kind = kind;
  op->payload = payload;
  op->if_match = if_match;
  op->idempotency_key = key;
  return op;
}

/* The steps, as workflow_after_edit in the window had them: a PATCH moves
 * an incoming entry to review; otherwise it is asked; then approved; then
 * published. Only the first operation of the entry in the outbox carries
 * the revision the editor saw; the others are based on what their
 * predecessors produce (the chain, settled before sending). */
static void
workflow_list_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DeskSync *self = g_task_get_source_object (task);
  QueueRequest *req = g_task_get_task_data (task);
  g_autoptr(GPtrArray) queued_ops = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_outbox_op_free);
  WorkflowBatch *b;
  GError *error = NULL;
  gboolean behind;
  DeskEntryStatus status = req->status;

  queued_ops = desk_store_outbox_list_finish (DESK_STORE (object), result, &error);
  if (queued_ops == NULL)
    {
      workflow_complete (task, NULL, error);
      return;
    }
  behind = entry_is_queued (queued_ops, req->entry_id);

  b = g_new0 (WorkflowBatch, 1);
  b->task = task;
  b->edit_index = b->publish_index = -1;
  if (req->patch != NULL)
    {
      b->edit_index = batch->len;
      g_ptr_array_add (batch, batch_op (req->entry_id, DESK_OUTBOX_KIND_PATCH, g_steal_pointer (&req->patch),
                                        etag_for_revision (req->base_revision), NULL));
      if (status == DESK_ENTRY_STATUS_INCOMING)
        status = DESK_ENTRY_STATUS_IN_REVIEW;
    }
#define NEXT_IF_MATCH() (batch->len == 0 && !behind ? etag_for_revision (req->revision) : NULL)
  if (status == DESK_ENTRY_STATUS_INCOMING)
    {
      char *if_match = NEXT_IF_MATCH ();

      g_ptr_array_add (batch, batch_op (req->entry_id, DESK_OUTBOX_KIND_STATUS,
                                        status_payload (DESK_ENTRY_STATUS_IN_REVIEW, NULL), if_match, NULL));
      status = DESK_ENTRY_STATUS_IN_REVIEW;
    }
  if (status == DESK_ENTRY_STATUS_IN_REVIEW)
    {
      char *if_match = NEXT_IF_MATCH ();

      g_ptr_array_add (batch, batch_op (req->entry_id, DESK_OUTBOX_KIND_STATUS,
                                        status_payload (DESK_ENTRY_STATUS_APPROVED, NULL), if_match, NULL));
      status = DESK_ENTRY_STATUS_APPROVED;
    }
  if (req->goal == DESK_SYNC_GOAL_PUBLISH &&
      (status == DESK_ENTRY_STATUS_APPROVED || status == DESK_ENTRY_STATUS_PUBLISHED))
    {
      char *if_match = NEXT_IF_MATCH ();

      b->publish_index = batch->len;
      g_ptr_array_add (batch, batch_op (req->entry_id, DESK_OUTBOX_KIND_PUBLISH, NULL, if_match,
                                        desk_site_new_idempotency_key ()));
      status = DESK_ENTRY_STATUS_PUBLISHED;
    }
#undef NEXT_IF_MATCH
  b->queued.status = status;
  if (batch->len == 0)
    {
      DeskSyncQueued *queued = g_memdup2 (&b->queued, sizeof b->queued);

      g_free (b);
      workflow_complete (task, queued, NULL);
      return;
    }
  desk_store_outbox_enqueue_all_async (self->store, batch, NULL, workflow_enqueued_cb, b);
}

static void
workflow_base_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DeskSync *self = g_task_get_source_object (task);
  QueueRequest *req = g_task_get_task_data (task);
  g_autoptr(DeskEntry) base = NULL;
  GError *error = NULL;

  base = desk_store_get_revision_finish (DESK_STORE (object), result, &error);
  if (error != NULL)
    {
      workflow_complete (task, NULL, error);
      return;
    }
  req->patch = patch_payload (req->draft, base);
  list_unfinished (self, workflow_list_cb, task);
}

static void
queue_next (DeskSync *self)
{
  GTask *task;
  QueueRequest *req;

  if (self->enqueue_busy || !(task = g_queue_pop_head (&self->enqueue_queue)))
    return;
  self->enqueue_busy = TRUE;
  req = g_task_get_task_data (task);
  if (req->workflow && req->draft != NULL)
    desk_store_get_revision_async (self->store, req->entry_id, req->base_revision, NULL,
                                   workflow_base_cb, task);
  else if (req->workflow)
    list_unfinished (self, workflow_list_cb, task);
  else if (req->kind == DESK_OUTBOX_KIND_PATCH)
    desk_store_get_revision_async (self->store, req->entry_id, req->revision, NULL,
                                   queue_edit_base_cb, task);
  else
    list_unfinished (self, queue_list_cb, task);
}

/* Queue requests run one at a time, so "is an earlier write of this entry
 * still queued" is answered after the previous request was stored. */
static void
queue_request (DeskSync            *self,
               QueueRequest        *req,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, queue_request);
  /* Once asked for, a write is queued even if the caller goes away. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, req, (GDestroyNotify) queue_request_free);
  g_queue_push_tail (&self->enqueue_queue, task);
  queue_next (self);
}

void
desk_sync_queue_edit_async (DeskSync            *self,
                            const char          *entry_id,
                            gint64               base_revision,
                            const DeskEditable  *draft,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  QueueRequest *req;

  g_return_if_fail (DESK_IS_SYNC (self));
  g_return_if_fail (desk_entry_id_is_valid (entry_id));
  g_return_if_fail (base_revision >= 1);
  g_return_if_fail (draft != NULL);

  req = g_new0 (QueueRequest, 1);
  req->kind = DESK_OUTBOX_KIND_PATCH;
  req->entry_id = g_strdup (entry_id);
  req->revision = base_revision;
  req->draft = desk_editable_copy (draft);
  queue_request (self, req, cancellable, callback, user_data);
}

void
desk_sync_queue_status_async (DeskSync            *self,
                              const char          *entry_id,
                              gint64               revision,
                              DeskEntryStatus      status,
                              const char          *reason,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  QueueRequest *req;

  g_return_if_fail (DESK_IS_SYNC (self));
  g_return_if_fail (desk_entry_id_is_valid (entry_id));
  g_return_if_fail (revision >= 1);

  req = g_new0 (QueueRequest, 1);
  req->kind = DESK_OUTBOX_KIND_STATUS;
  req->entry_id = g_strdup (entry_id);
  req->revision = revision;
  req->status = status;
  req->reason = g_strdup (reason);
  queue_request (self, req, cancellable, callback, user_data);
}

void
desk_sync_queue_publish_async (DeskSync            *self,
                               const char          *entry_id,
                               gint64               revision,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  QueueRequest *req;

  g_return_if_fail (DESK_IS_SYNC (self));
  g_return_if_fail (desk_entry_id_is_valid (entry_id));
  g_return_if_fail (revision >= 1);

  req = g_new0 (QueueRequest, 1);
  req->kind = DESK_OUTBOX_KIND_PUBLISH;
  req->entry_id = g_strdup (entry_id);
  req->revision = revision;
  queue_request (self, req, cancellable, callback, user_data);
}

gint64
desk_sync_queue_finish (DeskSync      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  GError *local = NULL;
  gint64 id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return 0;
    }
  return id;
}

void
desk_sync_queue_workflow_async (DeskSync            *self,
                                const char          *entry_id,
                                gint64               base_revision,
                                const DeskEditable  *draft,
                                gint64               revision,
                                DeskEntryStatus      status,
                                DeskSyncGoal         goal,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  QueueRequest *req;

  g_return_if_fail (DESK_IS_SYNC (self));
  g_return_if_fail (desk_entry_id_is_valid (entry_id));
  g_return_if_fail (revision >= 1);
  g_return_if_fail (draft == NULL || base_revision >= 1);

  req = g_new0 (QueueRequest, 1);
  req->workflow = TRUE;
  req->entry_id = g_strdup (entry_id);
  req->base_revision = base_revision;
  req->draft = draft != NULL ? desk_editable_copy (draft) : NULL;
  req->revision = revision;
  req->status = status;
  req->goal = goal;
  queue_request (self, req, cancellable, callback, user_data);
}

gboolean
desk_sync_queue_workflow_finish (DeskSync        *self,
                                 GAsyncResult    *result,
                                 DeskSyncQueued  *queued,
                                 GError         **error)
{
  g_autofree DeskSyncQueued *got = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  got = g_task_propagate_pointer (G_TASK (result), error);
  if (got == NULL)
    return FALSE;
  if (queued != NULL)
    *queued = *got;
  return TRUE;
}

/* ---- conflicts ------------------------------------------------------- */

gboolean
desk_sync_get_conflict (DeskSync      *self,
                        const char    *entry_id,
                        DeskFields    *fields,
                        DeskEditable **mine,
                        DeskEditable **theirs)
{
  DeskSyncConflict *conflict;

  g_return_val_if_fail (DESK_IS_SYNC (self), FALSE);
  g_return_val_if_fail (entry_id != NULL, FALSE);

  if (!(conflict = g_hash_table_lookup (self->conflicts, entry_id)))
    return FALSE;
  if (fields != NULL)
    *fields = conflict->fields;
  if (mine != NULL)
    *mine = desk_editable_copy (conflict->mine);
  if (theirs != NULL)
    *theirs = desk_editable_copy (conflict->theirs);
  return TRUE;
}

typedef struct {
  DeskSync *self;
  gint64    op_id;
  gboolean  nothing_to_send;
} Resolve;

static void
resolve_marked_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Resolve *r = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_store_outbox_mark_finish (DESK_STORE (object), result, &error))
    set_last_error (r->self, error->message);
  refresh_pending (r->self);
  outbox_kick (r->self);
  g_object_unref (r->self);
  g_free (r);
}

static void
resolve_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Resolve *r = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_sync_journal_save_finish (r->self->journal, result, &error))
    set_last_error (r->self, error->message);
  desk_store_outbox_mark_async (r->self->store, r->op_id,
                                r->nothing_to_send ? DESK_OUTBOX_MARK_DONE : DESK_OUTBOX_MARK_PENDING,
                                NULL, 0, NULL, resolve_marked_cb, r);
}

gboolean
desk_sync_resolve_conflict (DeskSync            *self,
                            const char          *entry_id,
                            const DeskEditable  *resolution,
                            GError             **error)
{
  DeskSyncConflict *conflict;
  g_autoptr(DeskEditable) result = NULL;
  DeskFields changes;
  Resolve *r;

  g_return_val_if_fail (DESK_IS_SYNC (self), FALSE);
  g_return_val_if_fail (entry_id != NULL, FALSE);
  g_return_val_if_fail (resolution != NULL, FALSE);

  if (!(conflict = g_hash_table_lookup (self->conflicts, entry_id)))
    {
      g_set_error (error, DESK_SYNC_ERROR, DESK_SYNC_ERROR_NO_CONFLICT,
                   "%s has no conflict to resolve", entry_id);
      return FALSE;
    }

  result = desk_editable_copy (conflict->merged);
  desk_editable_merge (result, resolution);
  changes = desk_editable_diff (result, conflict->theirs) & DESK_FIELDS_ALL;

  r = g_new0 (Resolve, 1);
  r->self = g_object_ref (self);
  r->op_id = conflict->op_id;
  r->nothing_to_send = changes == 0;

  desk_sync_journal_clear_conflict (self->journal, conflict->op_id);
  if (changes != 0)
    {
      g_autoptr(DeskEditable) patch = editable_subset (result, changes);
      g_autofree char *payload = editable_to_payload (patch);

      desk_sync_journal_set_op (self->journal, conflict->op_id, conflict->theirs_etag, payload);
    }
  else
    {
      desk_sync_journal_remove_op (self->journal, conflict->op_id);
      desk_sync_journal_set_chain (self->journal, entry_id, conflict->theirs_etag);
    }
  g_hash_table_remove (self->conflicts, entry_id);
  desk_sync_journal_save_async (self->journal, NULL, resolve_saved_cb, r);
  return TRUE;
}

/* ---- locks ----------------------------------------------------------- */

typedef struct {
  DeskSync *self;
  char     *id;
} LockCall;

static void
lock_call_free (LockCall *call)
{
  g_object_unref (call->self);
  g_free (call->id);
  g_free (call);
}

static void
take_lock_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LockCall *call = user_data;
  DeskSync *self = call->self;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  OpenEntry *open;

  lock = desk_site_client_take_lock_finish (DESK_SITE_CLIENT (object), result, &failure, &error);
  open = g_hash_table_lookup (self->open_entries, call->id);
  if (open == NULL)
    {
      /* Closed meanwhile: give back what we just got. */
      if (lock != NULL && self->started)
        desk_site_client_release_lock_async (self->client, call->id, NULL, NULL, NULL);
      lock_call_free (call);
      return;
    }
  open->requesting = FALSE;

  if (lock != NULL)
    {
      gboolean changed = !open->mine || open->lock == NULL;

      g_clear_pointer (&open->lock, desk_lock_free);
      open->lock = g_steal_pointer (&lock);
      open->mine = TRUE;
      if (changed)
        g_signal_emit (self, signals[LOCK_CHANGED], 0, open->id, open->lock, TRUE);
    }
  else if (g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_LOCKED) &&
           failure != NULL && failure->api_error != NULL && failure->api_error->lock != NULL)
    {
      const DeskLock *theirs = failure->api_error->lock;

      if (open->mine || !desk_lock_equal (open->lock, theirs))
        {
          g_clear_pointer (&open->lock, desk_lock_free);
          open->lock = desk_lock_copy (theirs);
          open->mine = FALSE;
          g_signal_emit (self, signals[LOCK_CHANGED], 0, open->id, open->lock, FALSE);
        }
    }
  else if (is_unreachable (error))
    go_offline (self, error);  /* taken again when back online */
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_last_error (self, error->message);
  lock_call_free (call);
}

static void
take_lock (DeskSync  *self,
           OpenEntry *open)
{
  LockCall *call;

  if (open->requesting || self->state == DESK_SYNC_STATE_OFFLINE || !self->started)
    return;
  open->requesting = TRUE;
  call = g_new0 (LockCall, 1);
  call->self = g_object_ref (self);
  call->id = g_strdup (open->id);
  desk_site_client_take_lock_async (self->client, open->id, self->cancellable, take_lock_cb, call);
}

static gboolean
renew_locks_cb (gpointer user_data)
{
  DeskSync *self = user_data;
  GHashTableIter iter;
  OpenEntry *open;

  g_hash_table_iter_init (&iter, self->open_entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &open))
    take_lock (self, open);
  return G_SOURCE_CONTINUE;
}

void
desk_sync_open_entry_for_editing (DeskSync   *self,
                                  const char *entry_id)
{
  OpenEntry *open;

  g_return_if_fail (DESK_IS_SYNC (self));
  g_return_if_fail (desk_entry_id_is_valid (entry_id));

  if (!(open = g_hash_table_lookup (self->open_entries, entry_id)))
    {
      open = g_new0 (OpenEntry, 1);
      open->id = g_strdup (entry_id);
      g_hash_table_insert (self->open_entries, open->id, open);
    }
  if (self->renew_source == 0)
    self->renew_source = g_timeout_add_seconds (MAX (self->lock_renew_seconds, 1), renew_locks_cb, self);
  take_lock (self, open);
}

void
desk_sync_close_entry (DeskSync   *self,
                       const char *entry_id)
{
  OpenEntry *open;

  g_return_if_fail (DESK_IS_SYNC (self));
  g_return_if_fail (entry_id != NULL);

  if (!(open = g_hash_table_lookup (self->open_entries, entry_id)))
    return;
  if (open->mine && self->started && self->state != DESK_SYNC_STATE_OFFLINE)
    desk_site_client_release_lock_async (self->client, entry_id, NULL, NULL, NULL);
  g_hash_table_remove (self->open_entries, entry_id);
  if (g_hash_table_size (self->open_entries) == 0)
    g_clear_handle_id (&self->renew_source, g_source_remove);
}

gboolean
desk_sync_is_read_only (DeskSync    *self,
                        const char  *entry_id,
                        char       **editor,
                        char       **expires_at)
{
  OpenEntry *open;

  g_return_val_if_fail (DESK_IS_SYNC (self), FALSE);
  g_return_val_if_fail (entry_id != NULL, FALSE);

  open = g_hash_table_lookup (self->open_entries, entry_id);
  if (open == NULL || open->mine || open->lock == NULL)
    return FALSE;
  /* An expired lock no longer blocks anything. */
  if (lock_expiry_us (open->lock) > 0 && lock_expiry_us (open->lock) <= g_get_real_time ())
    return FALSE;
  if (editor != NULL)
    *editor = g_strdup (open->lock->editor);
  if (expires_at != NULL)
    *expires_at = g_strdup (open->lock->expires_at);
  return TRUE;
}

gboolean
desk_sync_holds_lock (DeskSync   *self,
                      const char *entry_id)
{
  OpenEntry *open;

  g_return_val_if_fail (DESK_IS_SYNC (self), FALSE);

  open = g_hash_table_lookup (self->open_entries, entry_id);
  return open != NULL && open->mine && open->lock != NULL;
}

/* ---- start / stop ---------------------------------------------------- */

static void
start_probe_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskSync *self = g_task_get_source_object (task);
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = desk_site_client_get_me_finish (DESK_SITE_CLIENT (object), result, &failure, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (account != NULL && self->account == NULL)
    {
      self->account = g_strdup (account->account);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
    }
  if (account != NULL || (failure != NULL && failure->status != 0))
    {
      if (error != NULL)
        set_last_error (self, error->message);
      go_online (self);
    }
  else
    {
      set_last_error (self, error->message);
      self->probe_delay_ms = self->probe_min_ms;
      schedule_probe (self);
    }
  g_task_return_boolean (task, TRUE);
}

static void
journal_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskSync *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) conflicts = NULL;
  GError *error = NULL;

  if (!desk_sync_journal_load_finish (self->journal, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  conflicts = desk_sync_journal_list_conflicts (self->journal);
  for (guint i = 0; i < conflicts->len; i++)
    {
      DeskSyncConflict *conflict = g_ptr_array_index (conflicts, i);

      g_hash_table_replace (self->conflicts, g_strdup (conflict->entry_id), conflict);
      g_ptr_array_index (conflicts, i) = NULL;
    }

  self->started = TRUE;
  /* Starts offline until the site has answered once. */
  self->state = DESK_SYNC_STATE_OFFLINE;
  refresh_pending (self);
  desk_site_client_get_me_async (self->client, self->cancellable, start_probe_cb,
                                 g_steal_pointer (&task));
}

void
desk_sync_start_async (DeskSync            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DESK_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_sync_start_async);
  if (self->started)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  desk_sync_journal_load_async (self->journal, cancellable, journal_loaded_cb, g_steal_pointer (&task));
}

gboolean
desk_sync_start_finish (DeskSync      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
desk_sync_stop (DeskSync *self)
{
  g_return_if_fail (DESK_IS_SYNC (self));

  self->started = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->probe_source, g_source_remove);
  g_clear_handle_id (&self->outbox_timer, g_source_remove);
  g_clear_handle_id (&self->renew_source, g_source_remove);
}

/* ---- GObject --------------------------------------------------------- */

DeskSync *
desk_sync_new (DeskStore      *store,
               DeskSiteClient *client,
               const char     *account)
{
  g_return_val_if_fail (DESK_IS_STORE (store), NULL);
  g_return_val_if_fail (DESK_IS_SITE_CLIENT (client), NULL);

  return g_object_new (DESK_TYPE_SYNC,
                       "store", store,
                       "client", client,
                       "account", account,
                       NULL);
}

DeskStore *
desk_sync_get_store (DeskSync *self)
{
  g_return_val_if_fail (DESK_IS_SYNC (self), NULL);
  return self->store;
}

DeskSiteClient *
desk_sync_get_client (DeskSync *self)
{
  g_return_val_if_fail (DESK_IS_SYNC (self), NULL);
  return self->client;
}

DeskSyncState
desk_sync_get_state (DeskSync *self)
{
  g_return_val_if_fail (DESK_IS_SYNC (self), DESK_SYNC_STATE_OFFLINE);
  return self->state;
}

gint64
desk_sync_get_pending_operations (DeskSync *self)
{
  g_return_val_if_fail (DESK_IS_SYNC (self), 0);
  return self->pending;
}

gboolean
desk_sync_get_unauthorized (DeskSync *self)
{
  g_return_val_if_fail (DESK_IS_SYNC (self), FALSE);
  return self->unauthorized;
}

static void
retry_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DeskSync) self = user_data;
  g_autoptr(GPtrArray) ops = desk_store_outbox_list_finish (DESK_STORE (object), result, NULL);
  gint64 now = g_get_real_time ();

  if (!self->started)
    return;
  for (guint i = 0; ops != NULL && i < ops->len; i++)
    {
      const DeskOutboxOp *op = g_ptr_array_index (ops, i);

      /* Keeps the operation, its If-Match and its idempotency key; only
       * the time of the next attempt moves to now. The store's worker
       * runs these in order, before the next-due query below. */
      if (op->next_attempt_at > now)
        desk_store_outbox_mark_async (self->store, op->id, DESK_OUTBOX_MARK_PENDING, NULL, now,
                                      NULL, NULL, NULL);
    }
  outbox_kick (self);
  if (!self->syncing)
    sync_begin (self);
  else
    self->sync_requested = TRUE;
}

void
desk_sync_retry_now (DeskSync *self)
{
  g_return_if_fail (DESK_IS_SYNC (self));

  if (!self->started)
    return;
  desk_store_outbox_list_async (self->store, DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_PENDING), self->cancellable,
                                retry_listed_cb, g_object_ref (self));
}

const char *
desk_sync_get_last_error (DeskSync *self)
{
  g_return_val_if_fail (DESK_IS_SYNC (self), NULL);
  return self->last_error;
}

const char *
desk_sync_get_account (DeskSync *self)
{
  g_return_val_if_fail (DESK_IS_SYNC (self), NULL);
  return self->account;
}

static void
desk_sync_constructed (GObject *object)
{
  DeskSync *self = DESK_SYNC (object);
  g_autofree char *path = NULL;

  G_OBJECT_CLASS (desk_sync_parent_class)->constructed (object);

  g_assert (self->store != NULL && self->client != NULL);
  path = g_strconcat (desk_store_get_path (self->store), ".outbox-journal", NULL);
  self->journal = desk_sync_journal_new (path);
}

static void
desk_sync_dispose (GObject *object)
{
  DeskSync *self = DESK_SYNC (object);

  desk_sync_stop (self);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (desk_sync_parent_class)->dispose (object);
}

static void
desk_sync_finalize (GObject *object)
{
  DeskSync *self = DESK_SYNC (object);
  GTask *task;

  while ((task = g_queue_pop_head (&self->enqueue_queue)))
    {
      g_task_return_new_error (task, DESK_SYNC_ERROR, DESK_SYNC_ERROR_BUSY, "The engine was destroyed");
      g_object_unref (task);
    }
  g_clear_pointer (&self->journal, desk_sync_journal_free);
  g_clear_pointer (&self->sync_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->sync_next_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->conflicts, g_hash_table_unref);
  g_clear_pointer (&self->open_entries, g_hash_table_unref);
  g_clear_pointer (&self->fetch_failed, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_free (self->account);
  g_free (self->last_error);
  G_OBJECT_CLASS (desk_sync_parent_class)->finalize (object);
}

static void
desk_sync_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DeskSync *self = DESK_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_CLIENT: g_value_set_object (value, self->client); break;
    case PROP_ACCOUNT: g_value_set_string (value, self->account); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_PENDING_OPERATIONS: g_value_set_int64 (value, self->pending); break;
    case PROP_LAST_ERROR: g_value_set_string (value, self->last_error); break;
    case PROP_UNAUTHORIZED: g_value_set_boolean (value, self->unauthorized); break;
    case PROP_RETRY_BASE_MS: g_value_set_uint (value, self->retry_base_ms); break;
    case PROP_RETRY_MAX_MS: g_value_set_uint (value, self->retry_max_ms); break;
    case PROP_PROBE_MIN_MS: g_value_set_uint (value, self->probe_min_ms); break;
    case PROP_PROBE_MAX_MS: g_value_set_uint (value, self->probe_max_ms); break;
    case PROP_PREFETCH_CONCURRENCY: g_value_set_uint (value, self->prefetch_concurrency); break;
    case PROP_LOCK_RENEW_SECONDS: g_value_set_uint (value, self->lock_renew_seconds); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_sync_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  DeskSync *self = DESK_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_CLIENT: self->client = g_value_dup_object (value); break;
    case PROP_ACCOUNT:
      g_free (self->account);
      self->account = g_value_dup_string (value);
      break;
    case PROP_RETRY_BASE_MS: self->retry_base_ms = g_value_get_uint (value); break;
    case PROP_RETRY_MAX_MS: self->retry_max_ms = g_value_get_uint (value); break;
    case PROP_PROBE_MIN_MS: self->probe_min_ms = g_value_get_uint (value); break;
    case PROP_PROBE_MAX_MS: self->probe_max_ms = g_value_get_uint (value); break;
    case PROP_PREFETCH_CONCURRENCY: self->prefetch_concurrency = g_value_get_uint (value); break;
    case PROP_LOCK_RENEW_SECONDS: self->lock_renew_seconds = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_sync_class_init (DeskSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = desk_sync_constructed;
  object_class->dispose = desk_sync_dispose;
  object_class->finalize = desk_sync_finalize;
  object_class->get_property = desk_sync_get_property;
  object_class->set_property = desk_sync_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DESK_TYPE_SITE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DESK_TYPE_SYNC_STATE, DESK_SYNC_STATE_OFFLINE, ro);
  properties[PROP_PENDING_OPERATIONS] =
    g_param_spec_int64 ("pending-operations", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  /* TRUE once the site refuses the token (401), until a request with a
   * token succeeds again. Queued work waits meanwhile. */
  properties[PROP_UNAUTHORIZED] =
    g_param_spec_boolean ("unauthorized", NULL, NULL, FALSE, ro);
  properties[PROP_RETRY_BASE_MS] =
    g_param_spec_uint ("retry-base-ms", NULL, NULL, 1, G_MAXINT32, 1000, rw);
  properties[PROP_RETRY_MAX_MS] =
    g_param_spec_uint ("retry-max-ms", NULL, NULL, 1, G_MAXINT32, 300000, rw);
  properties[PROP_PROBE_MIN_MS] =
    g_param_spec_uint ("probe-min-ms", NULL, NULL, 1, G_MAXINT32, 2000, rw);
  properties[PROP_PROBE_MAX_MS] =
    g_param_spec_uint ("probe-max-ms", NULL, NULL, 1, G_MAXINT32, 60000, rw);
  properties[PROP_PREFETCH_CONCURRENCY] =
    g_param_spec_uint ("prefetch-concurrency", NULL, NULL, 1, 64, 4, rw);
  properties[PROP_LOCK_RENEW_SECONDS] =
    g_param_spec_uint ("lock-renew-seconds", NULL, NULL, 1, 3600, 60, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ENTRIES_CHANGED] =
    g_signal_new ("entries-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
  signals[FEED_SYNCED] =
    g_signal_new ("feed-synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CONFLICT] =
    g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, DESK_TYPE_FIELDS, DESK_TYPE_EDITABLE, DESK_TYPE_EDITABLE);
  signals[OPERATION_FAILED] =
    g_signal_new ("operation-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_ERROR);
  signals[OPERATION_DONE] =
    g_signal_new ("operation-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[LOCK_CHANGED] =
    g_signal_new ("lock-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, DESK_TYPE_LOCK, G_TYPE_BOOLEAN);
  signals[FETCH_FAILED] =
    g_signal_new ("fetch-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
desk_sync_init (DeskSync *self)
{
  self->state = DESK_SYNC_STATE_OFFLINE;
  self->retry_base_ms = 1000;
  self->retry_max_ms = 300000;
  self->probe_min_ms = 2000;
  self->probe_max_ms = 60000;
  self->prefetch_concurrency = 4;
  self->lock_renew_seconds = 60;
  self->cancellable = g_cancellable_new ();
  self->sync_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->sync_next_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->enqueue_queue);
  self->conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) desk_sync_conflict_free);
  self->open_entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) open_entry_free);
  self->fetch_failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
