/* test-sync.c: DeskSync against a real digest-site: exactly-once publishes, offline queueing, merges, broken servers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <libsoup/soup.h>

#include "engine-test-util.h"

typedef struct {
  char       *dir;
  char       *site_db;
  char       *store_path;
  EngineSite *site;
  DeskStore  *store;
  DeskSiteClient *client;
  DeskSync   *sync;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = engine_test_mkdtemp ();
  f->site_db = g_build_filename (f->dir, "site.db", NULL);
  f->store_path = g_build_filename (f->dir, "desk.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->sync != NULL)
    desk_sync_stop (f->sync);
  g_clear_object (&f->sync);
  g_clear_object (&f->client);
  g_clear_object (&f->store);
  /* Let cancelled requests and the store's last jobs finish. */
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_pointer (&f->site, engine_site_free);
  engine_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->site_db);
  g_free (f->store_path);
}

static void
start_engine (Fixture *f)
{
  f->store = engine_test_open_store (f->store_path);
  f->client = engine_test_client (f->site->url, ENGINE_TEST_EDITOR_TOKEN);
  f->sync = engine_test_start_sync (f->store, f->client);
}

static gint64
queue_wait (DeskSync     *sync,
            GAsyncResult **slot)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_sync_queue_finish (sync, engine_test_wait_result (slot), &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_clear_object (slot);
  return id;
}

static guint
count_ops (DeskStore *store,
           guint      state_mask,
           int       *attempts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = desk_store_outbox_list_sync (store, state_mask, NULL, &error);

  g_assert_no_error (error);
  if (attempts != NULL)
    {
      *attempts = 0;
      for (guint i = 0; i < ops->len; i++)
        *attempts += ((DeskOutboxOp *) g_ptr_array_index (ops, i))->attempts;
    }
  return ops->len;
}

static void
count_failed_cb (DeskSync   *sync,
                 gint64      op_id,
                 const char *entry_id,
                 GError     *error,
                 guint      *count)
{
  g_test_message ("operation %" G_GINT64_FORMAT " of %s failed: %s", op_id, entry_id, error->message);
  (*count)++;
}

/* ---- exactly once ----------------------------------------------------- */

static void
test_exactly_once (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *seed = engine_test_write_seed (f->dir, "pub", 50, "approved");
  const char *args[] = { "--seed", seed, "--fail-rate", "0.3", "--drop-after-commit", "0.3",
                         "--fault-seed", "11", NULL };
  guint failed = 0;
  int attempts = 0;

  f->site = engine_site_start (f->site_db, 0, args);
  start_engine (f);
  g_signal_connect (f->sync, "operation-failed", G_CALLBACK (count_failed_cb), &failed);

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *id = g_strdup_printf ("pub-%03u", i);
      g_autoptr(GAsyncResult) result = NULL;

      desk_sync_queue_publish_async (f->sync, id, 1, NULL, engine_test_store_result, &result);
      queue_wait (f->sync, &result);
    }

  g_assert_true (engine_test_wait_outbox_empty (f->sync, 120000));
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpuint (count_ops (f->store, DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_DONE), &attempts), ==, 50);
  /* The faults really happened: some publishes needed more than one try. */
  g_test_message ("50 publishes took %d attempts", attempts);
  g_assert_cmpint (attempts, >, 50);

  engine_site_stop (f->site);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM entries WHERE id LIKE 'pub-%' AND revision = 2"
                   " AND json_extract (full_json, '$.status') = 'published'"
                   " AND json_extract (full_json, '$.published.at') IS NOT NULL"), ==, 50);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM revisions WHERE action = 'publish'"), ==, 50);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(DISTINCT entry_id) FROM revisions WHERE action = 'publish'"), ==, 50);
  /* One key per operation: every retry reused it. */
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM idempotency"), ==, 50);
}

/* ---- offline ---------------------------------------------------------- */

static gboolean
is_offline (gpointer data)
{
  return desk_sync_get_state (data) == DESK_SYNC_STATE_OFFLINE;
}

static gboolean
has_pending_15 (gpointer data)
{
  return desk_sync_get_pending_operations (data) == 15;
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *seed = engine_test_write_seed (f->dir, "off", 5, "in_review");
  const char *args[] = { "--seed", seed, NULL };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint port, failed = 0;

  f->site = engine_site_start (f->site_db, 0, args);
  port = f->site->port;
  start_engine (f);
  g_signal_connect (f->sync, "operation-failed", G_CALLBACK (count_failed_cb), &failed);
  engine_test_sync_now (f->sync);

  engine_site_stop (f->site);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("off-%03u", i);
      g_autoptr(DeskEditable) draft = desk_editable_new ();
      g_autoptr(GAsyncResult) result = NULL;

      draft->present = DESK_FIELD_TITLE;
      draft->title = g_strdup_printf ("オフラインで直した題 %u", i);
      desk_sync_queue_edit_async (f->sync, id, 1, draft, NULL, engine_test_store_result, &result);
      queue_wait (f->sync, &result);
      desk_sync_queue_status_async (f->sync, id, 1, DESK_ENTRY_STATUS_APPROVED, "checked on a train",
                                    NULL, engine_test_store_result, &result);
      queue_wait (f->sync, &result);
      desk_sync_queue_publish_async (f->sync, id, 1, NULL, engine_test_store_result, &result);
      queue_wait (f->sync, &result);
      if (i == 0)
        g_assert_true (engine_test_wait_for (is_offline, f->sync, 10000));
    }
  g_assert_true (engine_test_wait_for (has_pending_15, f->sync, 5000));
  /* Still offline a while later: the probe keeps failing. */
  engine_test_sleep_ms (500);
  g_assert_cmpint (desk_sync_get_state (f->sync), ==, DESK_SYNC_STATE_OFFLINE);
  g_assert_cmpint (desk_sync_get_pending_operations (f->sync), ==, 15);

  g_clear_pointer (&f->site, engine_site_free);
  f->site = engine_site_start (f->site_db, port, NULL);

  g_assert_true (engine_test_wait_outbox_empty (f->sync, 30000));
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpint (desk_sync_get_state (f->sync), !=, DESK_SYNC_STATE_OFFLINE);
  engine_test_sync_now (f->sync);

  rows = desk_store_list_rows_sync (f->store, 0, DESK_STORE_SORT_UPDATED_ASC, 0, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 0; i < rows->len; i++)
    {
      DeskStoreRow *row = g_ptr_array_index (rows, i);

      g_assert_cmpint (row->revision, ==, 4);
      g_assert_cmpint (row->status, ==, DESK_ENTRY_STATUS_PUBLISHED);
      g_assert_true (g_str_has_prefix (row->title, "オフラインで直した題"));
    }

  engine_site_stop (f->site);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *sql = NULL;

      /* In order: the edit, then the status, then the publish. */
      sql = g_strdup_printf ("SELECT group_concat (action, ',') FROM (SELECT action FROM revisions"
                             " WHERE entry_id = 'off-%03u' AND revision > 1 ORDER BY revision)"
                             " HAVING group_concat (action, ',') = 'patch,status,publish'", i);
      g_assert_cmpint (engine_test_site_query_int (f->site_db, sql), !=, -1);
    }
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM entries WHERE revision = 4"
                   " AND json_extract (full_json, '$.title') LIKE 'オフラインで直した題%'"), ==, 5);
}

/* ---- merge ------------------------------------------------------------ */

typedef struct {
  guint       count;
  char       *entry_id;
  DeskFields  fields;
  DeskEditable *mine;
  DeskEditable *theirs;
} ConflictSeen;

static void
conflict_cb (DeskSync     *sync,
             const char   *entry_id,
             DeskFields    fields,
             DeskEditable *mine,
             DeskEditable *theirs,
             ConflictSeen *seen)
{
  seen->count++;
  g_free (seen->entry_id);
  seen->entry_id = g_strdup (entry_id);
  seen->fields = fields;
  g_clear_pointer (&seen->mine, desk_editable_free);
  g_clear_pointer (&seen->theirs, desk_editable_free);
  seen->mine = desk_editable_copy (mine);
  seen->theirs = desk_editable_copy (theirs);
}

static gboolean
conflict_seen (gpointer data)
{
  return ((ConflictSeen *) data)->count > 0;
}

static DeskEntry *
other_patch (DeskSiteClient     *client,
             const char         *id,
             gint64              revision,
             const DeskEditable *fields)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", revision);
  DeskEntry *entry;

  desk_site_client_patch_entry_async (client, id, etag, fields, NULL, engine_test_store_result, &result);
  entry = desk_site_client_patch_entry_finish (client, engine_test_wait_result (&result), NULL, &error);
  g_assert_no_error (error);
  return entry;
}

static DeskEntry *
site_entry (DeskSiteClient *client,
            const char     *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DeskEntry *entry;

  desk_site_client_get_entry_async (client, id, NULL, engine_test_store_result, &result);
  entry = desk_site_client_get_entry_finish (client, engine_test_wait_result (&result), NULL, NULL, &error);
  g_assert_no_error (error);
  return entry;
}

static gboolean
no_failed_op (gpointer data)
{
  return count_ops (data, DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_FAILED), NULL) == 0;
}

static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *seed = engine_test_write_seed (f->dir, "mrg", 1, "in_review");
  const char *args[] = { "--seed", seed, NULL };
  g_autoptr(DeskSiteClient) other = NULL;
  g_autoptr(DeskEntry) after = NULL;
  g_autoptr(DeskEntry) theirs_entry = NULL;
  g_autoptr(DeskEntry) kept = NULL;
  g_autoptr(GError) error = NULL;
  ConflictSeen seen = { 0 };
  guint failed = 0;

  f->site = engine_site_start (f->site_db, 0, args);
  start_engine (f);
  g_signal_connect (f->sync, "conflict", G_CALLBACK (conflict_cb), &seen);
  g_signal_connect (f->sync, "operation-failed", G_CALLBACK (count_failed_cb), &failed);
  engine_test_sync_now (f->sync);
  other = engine_test_client (f->site->url, ENGINE_TEST_EDITOR_TOKEN);

  /* Disjoint fields: the other editor changes the TL;DR (r2), we change
   * the title on r1: merged and sent again by itself. */
  {
    g_autoptr(DeskEditable) theirs = desk_editable_new ();
    g_autoptr(DeskEditable) mine = desk_editable_new ();
    g_autoptr(DeskEntry) r2 = NULL;
    g_autoptr(GAsyncResult) result = NULL;

    theirs->present = DESK_FIELD_TLDR;
    theirs->tldr = g_strdup ("他の編集者の要約です。");
    r2 = other_patch (other, "mrg-000", 1, theirs);
    g_assert_cmpint (desk_entry_get_revision (r2), ==, 2);

    mine->present = DESK_FIELD_TITLE;
    mine->title = g_strdup ("私の題");
    desk_sync_queue_edit_async (f->sync, "mrg-000", 1, mine, NULL, engine_test_store_result, &result);
    queue_wait (f->sync, &result);
    g_assert_true (engine_test_wait_outbox_empty (f->sync, 10000));
    g_assert_cmpuint (seen.count, ==, 0);
    g_assert_cmpuint (failed, ==, 0);

    after = site_entry (other, "mrg-000");
    g_assert_cmpint (desk_entry_get_revision (after), ==, 3);
    g_assert_cmpstr (desk_entry_get_title (after), ==, "私の題");
    g_assert_cmpstr (desk_entry_get_tldr (after), ==, "他の編集者の要約です。");
  }

  /* Same field: the other editor retitles r3 (r4), we retitle r3 too. */
  {
    g_autoptr(DeskEditable) theirs = desk_editable_new ();
    g_autoptr(DeskEditable) mine = desk_editable_new ();
    g_autoptr(DeskEntry) r4 = NULL;
    g_autoptr(DeskEntry) now = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    DeskFields fields = 0;

    theirs->present = DESK_FIELD_TITLE;
    theirs->title = g_strdup ("他の編集者の題");
    r4 = other_patch (other, "mrg-000", 3, theirs);
    g_assert_cmpint (desk_entry_get_revision (r4), ==, 4);

    mine->present = DESK_FIELD_TITLE | DESK_FIELD_IMPACT_ANALYSIS;
    mine->title = g_strdup ("私の新しい題");
    mine->impact_analysis = g_strdup ("私の影響分析です。");
    desk_sync_queue_edit_async (f->sync, "mrg-000", 3, mine, NULL, engine_test_store_result, &result);
    queue_wait (f->sync, &result);
    g_assert_true (engine_test_wait_for (conflict_seen, &seen, 10000));
    g_assert_cmpstr (seen.entry_id, ==, "mrg-000");
    g_assert_cmpuint (seen.fields, ==, DESK_FIELD_TITLE);
    g_assert_cmpstr (seen.mine->title, ==, "私の新しい題");
    g_assert_cmpstr (seen.theirs->title, ==, "他の編集者の題");
    g_assert_true (desk_sync_get_conflict (f->sync, "mrg-000", &fields, NULL, NULL));
    g_assert_cmpuint (fields, ==, DESK_FIELD_TITLE);

    /* Nothing was overwritten: the site still has theirs, at r4. */
    engine_test_sleep_ms (200);
    now = site_entry (other, "mrg-000");
    g_assert_cmpint (desk_entry_get_revision (now), ==, 4);
    g_assert_cmpstr (desk_entry_get_title (now), ==, "他の編集者の題");
    g_assert_cmpint (desk_sync_get_pending_operations (f->sync), ==, 0);
    g_assert_cmpuint (count_ops (f->store, DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_FAILED), NULL), ==, 1);

    /* The editor keeps mine. */
    g_assert_true (desk_sync_resolve_conflict (f->sync, "mrg-000", seen.mine, &error));
    g_assert_no_error (error);
    g_assert_false (desk_sync_get_conflict (f->sync, "mrg-000", NULL, NULL, NULL));
    /* Failed ops are not pending: wait for the resolved one to be done. */
    g_assert_true (engine_test_wait_for (no_failed_op, f->store, 10000));
    g_assert_true (engine_test_wait_outbox_empty (f->sync, 10000));

    theirs_entry = site_entry (other, "mrg-000");
    g_assert_cmpint (desk_entry_get_revision (theirs_entry), ==, 5);
    g_assert_cmpstr (desk_entry_get_title (theirs_entry), ==, "私の新しい題");
    g_assert_cmpstr (desk_entry_get_impact_analysis (theirs_entry), ==, "私の影響分析です。");
    /* The disjoint merge's TL;DR survived too. */
    g_assert_cmpstr (desk_entry_get_tldr (theirs_entry), ==, "他の編集者の要約です。");
  }

  /* Theirs is still in the store's history. */
  kept = desk_store_get_revision_sync (f->store, "mrg-000", 4, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  g_assert_cmpstr (desk_entry_get_title (kept), ==, "他の編集者の題");

  /* A resolution without a conflict is refused. */
  g_assert_false (desk_sync_resolve_conflict (f->sync, "mrg-000", seen.mine, &error));
  g_assert_error (error, DESK_SYNC_ERROR, DESK_SYNC_ERROR_NO_CONFLICT);

  g_free (seen.entry_id);
  desk_editable_free (seen.mine);
  desk_editable_free (seen.theirs);
}

/* ---- a permanent refusal ---------------------------------------------- */

static gboolean
some_failed (gpointer data)
{
  return *(guint *) data > 0;
}

static void
test_permanent_failure (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *seed = engine_test_write_seed (f->dir, "bad", 1, "in_review");
  const char *args[] = { "--seed", seed, NULL };
  g_autoptr(DeskEditable) draft = desk_editable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  int attempts = 0;
  guint failed = 0;

  f->site = engine_site_start (f->site_db, 0, args);
  start_engine (f);
  g_signal_connect (f->sync, "operation-failed", G_CALLBACK (count_failed_cb), &failed);
  engine_test_sync_now (f->sync);

  /* An empty title is refused (422): kept as failed, not retried. */
  draft->present = DESK_FIELD_TITLE;
  draft->title = g_strdup ("");
  desk_sync_queue_edit_async (f->sync, "bad-000", 1, draft, NULL, engine_test_store_result, &result);
  queue_wait (f->sync, &result);
  desk_sync_queue_publish_async (f->sync, "bad-000", 1, NULL, engine_test_store_result, &result);
  queue_wait (f->sync, &result);

  g_assert_true (engine_test_wait_for (some_failed, &failed, 10000));
  engine_test_sleep_ms (300);
  g_assert_cmpuint (failed, ==, 1);
  g_assert_cmpuint (count_ops (f->store, DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_FAILED), &attempts), ==, 1);
  g_assert_cmpint (attempts, ==, 1);
  /* The publish behind it waits. */
  g_assert_cmpuint (count_ops (f->store, DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_PENDING), NULL), ==, 1);
  g_assert_nonnull (desk_sync_get_last_error (f->sync));
}

/* ---- locks ------------------------------------------------------------ */

typedef struct {
  guint    count;
  gboolean mine;
  char    *editor;
} LockSeen;

static void
lock_cb (DeskSync   *sync,
         const char *entry_id,
         DeskLock   *lock,
         gboolean    mine,
         LockSeen   *seen)
{
  seen->count++;
  seen->mine = mine;
  g_free (seen->editor);
  seen->editor = lock ? g_strdup (lock->editor) : NULL;
}

static gboolean
lock_seen (gpointer data)
{
  return ((LockSeen *) data)->count > 0;
}

static void
test_locks (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *seed = engine_test_write_seed (f->dir, "lck", 2, "in_review");
  const char *args[] = { "--seed", seed, "--token", "suzuki:editor:other", NULL };
  g_autoptr(DeskSiteClient) other = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DeskLock) their_lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *editor = NULL;
  g_autofree char *until = NULL;
  LockSeen seen = { 0 };

  f->site = engine_site_start (f->site_db, 0, args);
  start_engine (f);
  g_signal_connect (f->sync, "lock-changed", G_CALLBACK (lock_cb), &seen);

  desk_sync_open_entry_for_editing (f->sync, "lck-000");
  g_assert_true (engine_test_wait_for (lock_seen, &seen, 5000));
  g_assert_true (seen.mine);
  g_assert_true (desk_sync_holds_lock (f->sync, "lck-000"));
  g_assert_false (desk_sync_is_read_only (f->sync, "lck-000", NULL, NULL));

  other = engine_test_client (f->site->url, "other");
  desk_site_client_take_lock_async (other, "lck-001", NULL, engine_test_store_result, &result);
  their_lock = desk_site_client_take_lock_finish (other, engine_test_wait_result (&result), NULL, &error);
  g_assert_no_error (error);

  seen.count = 0;
  desk_sync_open_entry_for_editing (f->sync, "lck-001");
  g_assert_true (engine_test_wait_for (lock_seen, &seen, 5000));
  g_assert_false (seen.mine);
  g_assert_cmpstr (seen.editor, ==, "suzuki");
  g_assert_true (desk_sync_is_read_only (f->sync, "lck-001", &editor, &until));
  g_assert_cmpstr (editor, ==, "suzuki");
  g_assert_cmpstr (until, ==, their_lock->expires_at);

  /* Closing gives the lock back: the other editor can take it. */
  desk_sync_close_entry (f->sync, "lck-000");
  engine_test_sleep_ms (300);
  g_clear_object (&result);
  {
    g_autoptr(DeskLock) taken = NULL;

    desk_site_client_take_lock_async (other, "lck-000", NULL, engine_test_store_result, &result);
    taken = desk_site_client_take_lock_finish (other, engine_test_wait_result (&result), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (taken->editor, ==, "suzuki");
  }
  desk_sync_close_entry (f->sync, "lck-001");
  g_free (seen.editor);
}

typedef struct {
  DeskSync   *sync;
  const char *id;
} HoldsLock;

static gboolean
holds_lock (gpointer data)
{
  HoldsLock *hl = data;

  return desk_sync_holds_lock (hl->sync, hl->id);
}

static void
test_lock_renew_offline (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *seed = engine_test_write_seed (f->dir, "lkr", 2, "in_review");
  /* Locks that last 2 s, renewed every second: only renewal keeps ours. */
  const char *args[] = { "--seed", seed, "--lock-seconds", "2", "--token", "suzuki:editor:other", NULL };
  g_autoptr(DeskSiteClient) other = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskLock) got = NULL;
  g_autoptr(GError) error = NULL;
  HoldsLock first = { NULL, "lkr-000" };
  HoldsLock second = { NULL, "lkr-001" };
  guint port;

  f->site = engine_site_start (f->site_db, 0, args);
  port = f->site->port;
  start_engine (f);
  g_object_set (f->sync, "lock-renew-seconds", 1, NULL);
  first.sync = second.sync = f->sync;

  desk_sync_open_entry_for_editing (f->sync, "lkr-000");
  g_assert_true (engine_test_wait_for (holds_lock, &first, 5000));

  /* Well past the lock's 2 s life: still ours, so the other editor is
   * refused and told who holds it. */
  engine_test_sleep_ms (3500);
  other = engine_test_client (f->site->url, "other");
  desk_site_client_take_lock_async (other, "lkr-000", NULL, engine_test_store_result, &result);
  got = desk_site_client_take_lock_finish (other, engine_test_wait_result (&result), &failure, &error);
  g_assert_null (got);
  g_assert_error (error, DESK_SITE_ERROR, DESK_SITE_ERROR_LOCKED);
  g_assert_nonnull (failure);
  g_assert_nonnull (failure->api_error);
  g_assert_nonnull (failure->api_error->lock);
  g_assert_cmpstr (failure->api_error->lock->editor, ==, "sato");
  g_assert_true (desk_sync_holds_lock (f->sync, "lkr-000"));

  /* Offline: the next renewal fails and the engine goes offline; an entry
   * opened now is editable locally (not read-only) without a lock. */
  engine_site_stop (f->site);
  g_assert_true (engine_test_wait_for (is_offline, f->sync, 10000));
  desk_sync_open_entry_for_editing (f->sync, "lkr-001");
  g_assert_false (desk_sync_is_read_only (f->sync, "lkr-001", NULL, NULL));
  g_assert_false (desk_sync_holds_lock (f->sync, "lkr-001"));

  /* Back online: the lock is taken then, without being asked again. */
  g_clear_pointer (&f->site, engine_site_free);
  f->site = engine_site_start (f->site_db, port, args);
  g_assert_true (engine_test_wait_for (holds_lock, &second, 10000));
  g_assert_false (desk_sync_is_read_only (f->sync, "lkr-001", NULL, NULL));

  desk_sync_close_entry (f->sync, "lkr-000");
  desk_sync_close_entry (f->sync, "lkr-001");
}

/* ---- broken server ---------------------------------------------------- */

typedef struct {
  char *summaries;          /* the feed page */
  GHashTable *full;         /* id → full JSON */
} BrokenSite;

static void
broken_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  BrokenSite *site = user_data;
  const char *body = NULL;
  const char *type = "application/json; charset=utf-8";
  const char *prefix = "/api/v1/entries/";

  if (g_strcmp0 (path, "/api/v1/me") == 0)
    body = "{\"account\":\"sato\",\"display_name\":\"sato\",\"role\":\"editor\"}";
  else if (g_strcmp0 (path, "/api/v1/entries") == 0)
    body = query != NULL && g_hash_table_contains (query, "since")
           ? "{\"entries\":[],\"cursor\":\"c1\",\"more\":false}" : site->summaries;
  else if (g_str_has_prefix (path, prefix) && strcmp (path + strlen (prefix), "brk-001") == 0)
    {
      body = "<html><body>Bad gateway, sort of {\"id\":";
      type = "text/html";
    }
  else if (g_str_has_prefix (path, prefix) && strcmp (path + strlen (prefix), "brk-002") == 0)
    body = "{\"id\":\"brk-002\",\"revision\":1,\"status\":\"in_review\"";  /* truncated */
  else if (g_str_has_prefix (path, prefix))
    body = g_hash_table_lookup (site->full, path + strlen (prefix));

  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY,
                                        "{\"error\":{\"code\":\"not_found\",\"message\":\"no\"}}", 45);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", "\"1\"");
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

typedef struct {
  GHashTable *ids;
  GError     *error;
} FetchFailed;

static void
fetch_failed_cb (DeskSync    *sync,
                 const char  *entry_id,
                 GError      *error,
                 FetchFailed *seen)
{
  g_hash_table_add (seen->ids, g_strdup (entry_id));
  g_test_message ("fetch of %s failed: %s", entry_id, error->message);
  if (g_strcmp0 (entry_id, "brk-001") == 0)
    {
      g_clear_error (&seen->error);
      seen->error = g_error_copy (error);
    }
}

static void
test_broken_server (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *seed_path = engine_test_write_seed (f->dir, "brk", 4, "in_review");
  g_autofree char *seed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) array = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GString) page = g_string_new ("{\"entries\":[");
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;
  BrokenSite site = { 0 };
  FetchFailed seen = { 0 };

  g_file_get_contents (seed_path, &seed, NULL, &error);
  g_assert_no_error (error);
  array = desk_json_parse (seed, -1, 0, 0, &error);
  g_assert_no_error (error);
  site.full = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (array)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (array), i);
      g_autoptr(DeskEntry) entry = desk_entry_new_from_json (node, DESK_ENTRY_FORM_FULL, &error);
      g_autofree char *summary = NULL;

      g_assert_no_error (error);
      summary = desk_entry_to_data (entry, DESK_ENTRY_FORM_SUMMARY, FALSE, NULL);
      g_string_append_printf (page, "%s%s", i ? "," : "", summary);
      g_hash_table_insert (site.full, g_strdup (desk_entry_get_id (entry)),
                           desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL));
    }
  g_string_append (page, "],\"cursor\":\"c1\",\"more\":false}");
  site.summaries = page->str;

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, broken_handler, &site, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  f->store = engine_test_open_store (f->store_path);
  f->client = engine_test_client (url, ENGINE_TEST_EDITOR_TOKEN);
  seen.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->sync = engine_test_start_sync (f->store, f->client);
  g_signal_connect (f->sync, "fetch-failed", G_CALLBACK (fetch_failed_cb), &seen);
  engine_test_sync_now (f->sync);

  /* A clear error for each broken entry (once per sync run) ... */
  g_assert_cmpuint (g_hash_table_size (seen.ids), ==, 2);
  g_assert_true (g_hash_table_contains (seen.ids, "brk-001"));
  g_assert_true (g_hash_table_contains (seen.ids, "brk-002"));
  g_assert_error (seen.error, DESK_SITE_ERROR, DESK_SITE_ERROR_PROTOCOL);
  g_assert_cmpint (desk_sync_get_state (f->sync), !=, DESK_SYNC_STATE_OFFLINE);
  /* ... and the others still synced, fully. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("brk-%03u", i);
      g_autoptr(DeskEntry) entry = desk_store_get_entry_sync (f->store, id, NULL, &error);

      g_assert_no_error (error);
      if (i == 1 || i == 2)
        g_assert_null (entry);
      else
        {
          g_assert_nonnull (entry);
          g_assert_cmpstr (desk_entry_get_body (entry), ==, "本文です。");
        }
    }
  g_assert_cmpint (desk_store_count_entries_sync (f->store, 0, NULL, &error), ==, 4);

  desk_sync_stop (f->sync);
  g_clear_object (&f->sync);
  g_clear_error (&seen.error);
  g_hash_table_unref (seen.ids);
  g_hash_table_unref (site.full);
}

/* ---- kill -9 in the middle of delivery -------------------------------- */

static GSubprocess *
spawn_driver (const char     *store,
              const char     *url,
              const char     *enqueue,
              GDataInputStream **out)
{
  g_autofree char *driver = g_build_filename (g_getenv ("DESK_BUILD_DIR"), "tests", "engine",
                                              "engine-driver", NULL);
  const char *argv[] = { driver, "--store", store, "--url", url, "--enqueue", enqueue, NULL };
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  if (enqueue == NULL)
    argv[5] = NULL;
  proc = engine_test_spawn (argv, &error);
  g_assert_no_error (error);
  *out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  return proc;
}

static void
test_kill9 (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *seed = engine_test_write_seed (f->dir, "k9", 8, "in_review");
  const char *args[] = { "--seed", seed, "--delay-ms", "60", NULL };
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  guint delivered = 0;
  gboolean finished = FALSE;
  char *line;

  f->site = engine_site_start (f->site_db, 0, args);

  first = spawn_driver (f->store_path, f->site->url, "k9:8", &out);
  while (delivered < 7 && (line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)))
    {
      if (g_str_has_prefix (line, "done "))
        delivered++;
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (delivered, ==, 7);
  g_subprocess_send_signal (first, SIGKILL);
  g_subprocess_wait (first, NULL, NULL);
  g_clear_object (&out);

  second = spawn_driver (f->store_path, f->site->url, NULL, &out);
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)))
    {
      if (g_strcmp0 (line, "finished") == 0)
        finished = TRUE;
      g_free (line);
    }
  g_assert_no_error (error);
  g_subprocess_wait_check (second, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (finished);

  engine_site_stop (f->site);
  /* Nothing lost: every entry edited, approved and published; nothing
   * doubled: exactly three changes each, one publish each. */
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM entries WHERE id LIKE 'k9-%' AND revision = 4"
                   " AND json_extract (full_json, '$.status') = 'published'"
                   " AND json_extract (full_json, '$.title') LIKE 'kill-9 版 %'"), ==, 8);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM revisions WHERE action = 'publish'"), ==, 8);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM revisions WHERE revision > 1"), ==, 24);
}

/* ---- a token refused mid-session ---------------------------------------- */

static gboolean
is_unauthorized (gpointer data)
{
  return desk_sync_get_unauthorized (data);
}

static gboolean
outbox_is_empty (gpointer data)
{
  return desk_sync_get_pending_operations (data) == 0;
}

static void
test_token_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *seed = engine_test_write_seed (f->dir, "tok", 2, "in_review");
  const char *args[] = { "--seed", seed, NULL };
  g_autoptr(DeskEditable) draft = desk_editable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  guint failed = 0;

  f->site = engine_site_start (f->site_db, 0, args);
  start_engine (f);
  g_signal_connect (f->sync, "operation-failed", G_CALLBACK (count_failed_cb), &failed);
  engine_test_sync_now (f->sync);
  g_assert_false (desk_sync_get_unauthorized (f->sync));
  /* Retries far apart: only desk_sync_retry_now () can deliver in time. */
  g_object_set (f->sync, "retry-base-ms", 60000, "retry-max-ms", 60000, NULL);

  /* The site no longer takes the token (revoked, expired). */
  desk_site_client_set_token (f->client, "revoked-token");
  draft->present = DESK_FIELD_TITLE;
  draft->title = g_strdup ("トークン切れの間に直した題");
  desk_sync_queue_edit_async (f->sync, "tok-000", 1, draft, NULL, engine_test_store_result, &result);
  queue_wait (f->sync, &result);
  desk_sync_queue_status_async (f->sync, "tok-001", 1, DESK_ENTRY_STATUS_APPROVED, "checked",
                                NULL, engine_test_store_result, &result);
  queue_wait (f->sync, &result);

  g_assert_true (engine_test_wait_for (is_unauthorized, f->sync, 10000));
  engine_test_sleep_ms (300);
  /* The work waits; nothing failed for good, nothing reached the site. */
  g_assert_cmpint (desk_sync_get_pending_operations (f->sync), ==, 2);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpint (desk_sync_get_state (f->sync), !=, DESK_SYNC_STATE_OFFLINE);

  /* The editor gives the new token. */
  desk_site_client_set_token (f->client, ENGINE_TEST_EDITOR_TOKEN);
  desk_sync_retry_now (f->sync);
  g_assert_true (engine_test_wait_for (outbox_is_empty, f->sync, 10000));
  g_assert_false (desk_sync_get_unauthorized (f->sync));
  g_assert_cmpuint (failed, ==, 0);

  engine_site_stop (f->site);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM revisions WHERE entry_id = 'tok-000' AND action = 'patch'"), ==, 1);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM entries WHERE id = 'tok-000'"
                   " AND json_extract (full_json, '$.title') = 'トークン切れの間に直した題'"), ==, 1);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM revisions WHERE entry_id = 'tok-001' AND action = 'status'"), ==, 1);
}

/* ---- a workflow's steps at once --------------------------------------- */

static DeskSyncQueued
workflow_wait (DeskSync     *sync,
               GAsyncResult **slot)
{
  g_autoptr(GError) error = NULL;
  DeskSyncQueued queued = { 0, };

  g_assert_true (desk_sync_queue_workflow_finish (sync, engine_test_wait_result (slot), &queued, &error));
  g_assert_no_error (error);
  g_clear_object (slot);
  return queued;
}

/* The outbox's operations of @entry_id, in order. */
static GPtrArray *
ops_of (DeskStore  *store,
        const char *entry_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = desk_store_outbox_list_sync (store, DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_PENDING),
                                                          NULL, &error);
  GPtrArray *mine = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_outbox_op_free);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len;)
    if (g_strcmp0 (((DeskOutboxOp *) g_ptr_array_index (all, i))->entry_id, entry_id) == 0)
      g_ptr_array_add (mine, g_ptr_array_steal_index (all, i));
    else
      i++;
  return mine;
}

static void
assert_op (GPtrArray      *ops,
           guint           i,
           DeskOutboxKind  kind,
           const char     *payload_part,
           const char     *if_match)
{
  DeskOutboxOp *op = g_ptr_array_index (ops, i);

  g_assert_cmpint (op->kind, ==, kind);
  if (payload_part != NULL)
    g_assert_nonnull (strstr (op->payload, payload_part));
  g_assert_cmpstr (op->if_match, ==, if_match);
  g_assert_true ((op->idempotency_key != NULL) == (kind == DESK_OUTBOX_KIND_PUBLISH));
}

/* Approve and publish queue their steps (edit, status changes, publish) in
 * one store transaction, each based as it would have been one by one, and
 * the site ends with each step done once. */
static void
test_workflow (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *seed = engine_test_write_seed (f->dir, "wf", 3, "incoming");
  const char *args[] = { "--seed", seed, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DeskEditable) edited = desk_editable_new ();
  g_autoptr(DeskEditable) same = NULL;
  g_autoptr(DeskEntry) stored = NULL;
  g_autoptr(GError) error = NULL;
  DeskSyncQueued q;
  guint port, failed = 0;

  f->site = engine_site_start (f->site_db, 0, args);
  port = f->site->port;
  start_engine (f);
  g_signal_connect (f->sync, "operation-failed", G_CALLBACK (count_failed_cb), &failed);
  engine_test_sync_now (f->sync);
  stored = desk_store_get_revision_sync (f->store, "wf-001", 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  same = desk_editable_copy (desk_entry_get_fields (stored));
  /* Kept here until all three are queued. */
  engine_site_stop (f->site);

  /* An incoming entry edited and published: the PATCH (which moves it to
   * review), the approval and the publish. */
  edited->present = DESK_FIELD_TITLE;
  edited->title = g_strdup ("一度に出す直した題");
  desk_sync_queue_workflow_async (f->sync, "wf-000", 1, edited, 1, DESK_ENTRY_STATUS_INCOMING,
                                  DESK_SYNC_GOAL_PUBLISH, NULL, engine_test_store_result, &result);
  q = workflow_wait (f->sync, &result);
  g_assert_cmpint (q.edit_op, >, 0);
  g_assert_cmpint (q.publish_op, >, q.edit_op);
  g_assert_cmpint (q.last_op, ==, q.publish_op);
  g_assert_cmpint (q.status, ==, DESK_ENTRY_STATUS_PUBLISHED);
  {
    g_autoptr(GPtrArray) ops = ops_of (f->store, "wf-000");

    g_assert_cmpuint (ops->len, ==, 3);
    assert_op (ops, 0, DESK_OUTBOX_KIND_PATCH, "一度に出す直した題", "\"1\"");
    assert_op (ops, 1, DESK_OUTBOX_KIND_STATUS, "\"approved\"", NULL);
    assert_op (ops, 2, DESK_OUTBOX_KIND_PUBLISH, NULL, NULL);
    g_assert_cmpint (((DeskOutboxOp *) g_ptr_array_index (ops, 0))->id, ==, q.edit_op);
    g_assert_cmpint (((DeskOutboxOp *) g_ptr_array_index (ops, 2))->id, ==, q.publish_op);
  }

  /* A draft that changes nothing: no PATCH; the entry is asked into review,
   * then approved. */
  desk_sync_queue_workflow_async (f->sync, "wf-001", 1, same, 1, DESK_ENTRY_STATUS_INCOMING,
                                  DESK_SYNC_GOAL_APPROVE, NULL, engine_test_store_result, &result);
  q = workflow_wait (f->sync, &result);
  g_assert_cmpint (q.edit_op, ==, 0);
  g_assert_cmpint (q.publish_op, ==, 0);
  g_assert_cmpint (q.status, ==, DESK_ENTRY_STATUS_APPROVED);
  {
    g_autoptr(GPtrArray) ops = ops_of (f->store, "wf-001");

    g_assert_cmpuint (ops->len, ==, 2);
    assert_op (ops, 0, DESK_OUTBOX_KIND_STATUS, "\"in_review\"", "\"1\"");
    assert_op (ops, 1, DESK_OUTBOX_KIND_STATUS, "\"approved\"", NULL);
  }

  /* Behind a write still queued, even the first step waits for the
   * revision that write produces. */
  desk_sync_queue_workflow_async (f->sync, "wf-002", 0, NULL, 1, DESK_ENTRY_STATUS_INCOMING,
                                  DESK_SYNC_GOAL_APPROVE, NULL, engine_test_store_result, &result);
  workflow_wait (f->sync, &result);
  desk_sync_queue_workflow_async (f->sync, "wf-002", 0, NULL, 1, DESK_ENTRY_STATUS_APPROVED,
                                  DESK_SYNC_GOAL_PUBLISH, NULL, engine_test_store_result, &result);
  q = workflow_wait (f->sync, &result);
  g_assert_cmpint (q.publish_op, >, 0);
  {
    g_autoptr(GPtrArray) ops = ops_of (f->store, "wf-002");

    g_assert_cmpuint (ops->len, ==, 3);
    assert_op (ops, 0, DESK_OUTBOX_KIND_STATUS, "\"in_review\"", "\"1\"");
    assert_op (ops, 1, DESK_OUTBOX_KIND_STATUS, "\"approved\"", NULL);
    assert_op (ops, 2, DESK_OUTBOX_KIND_PUBLISH, NULL, NULL);
  }

  g_clear_pointer (&f->site, engine_site_free);
  f->site = engine_site_start (f->site_db, port, NULL);
  g_assert_true (engine_test_wait_outbox_empty (f->sync, 30000));
  g_assert_cmpuint (failed, ==, 0);

  engine_site_stop (f->site);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM entries WHERE id = 'wf-000'"
                   " AND json_extract (full_json, '$.status') = 'published'"
                   " AND json_extract (full_json, '$.title') = '一度に出す直した題'"), ==, 1);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM entries WHERE id = 'wf-001'"
                   " AND json_extract (full_json, '$.status') = 'approved'"), ==, 1);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM entries WHERE id = 'wf-002'"
                   " AND json_extract (full_json, '$.status') = 'published'"), ==, 1);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM revisions WHERE action = 'publish'"), ==, 2);
  g_assert_cmpint (engine_test_site_query_int (f->site_db,
                   "SELECT COUNT(*) FROM revisions WHERE entry_id = 'wf-000' AND action = 'patch'"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/engine/sync/exactly-once", test_exactly_once);
  ADD ("/engine/sync/offline", test_offline);
  ADD ("/engine/sync/token-refused", test_token_refused);
  ADD ("/engine/sync/merge", test_merge);
  ADD ("/engine/sync/permanent-failure", test_permanent_failure);
  ADD ("/engine/sync/locks", test_locks);
  ADD ("/engine/sync/lock-renew-offline", test_lock_renew_offline);
  ADD ("/engine/sync/broken-server", test_broken_server);
  ADD ("/engine/sync/kill-9", test_kill9);
  ADD ("/engine/sync/workflow", test_workflow);
#undef ADD

  return g_test_run ();
}
