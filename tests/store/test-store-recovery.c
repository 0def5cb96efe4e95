/* test-store-recovery.c: a damaged store file is set aside, its drafts and outbox salvaged
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "store-test-util.h"

typedef struct {
  char   *dir;
  char   *path;
  gint64  ops[4];
} Fixture;

static DeskEditable *
make_fields (const char *title)
{
  DeskEditable *fields = desk_editable_new ();

  fields->present = DESK_FIELD_TITLE | DESK_FIELD_TLDR;
  fields->title = g_strdup (title);
  fields->tldr = g_strdup ("救出される要約");
  return fields;
}

/* A store whose drafts and outbox were written first (so they sit in the
 * first pages) followed by enough entries to make the file large. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) body = g_string_new (NULL);

  f->dir = store_test_mkdtemp ();
  f->path = g_build_filename (f->dir, "store.sqlite", NULL);
  store = desk_store_open_sync (f->path, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("draft-%u", i);
      g_autofree char *title = g_strdup_printf ("下書き %u", i);
      g_autoptr(DeskEditable) fields = make_fields (title);

      g_assert_true (desk_store_save_draft_sync (store, id, i + 1, fields, NULL, &error));
    }

  f->ops[0] = desk_store_outbox_enqueue_sync (store, "draft-0", DESK_OUTBOX_KIND_PATCH,
                                              "{\"title\":\"a\"}", "\"1\"", NULL, NULL, &error);
  f->ops[1] = desk_store_outbox_enqueue_sync (store, "draft-1", DESK_OUTBOX_KIND_PUBLISH, NULL,
                                              "\"2\"", "key-publish-1", NULL, &error);
  f->ops[2] = desk_store_outbox_enqueue_sync (store, "draft-2", DESK_OUTBOX_KIND_STATUS,
                                              "{\"status\":\"approved\"}", "\"3\"", NULL, NULL,
                                              &error);
  f->ops[3] = desk_store_outbox_enqueue_sync (store, "draft-2", DESK_OUTBOX_KIND_UNLOCK, NULL,
                                              NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* One delivered (not worth salvaging), one in flight, one failed. */
  g_assert_true (desk_store_outbox_mark_sync (store, f->ops[0], DESK_OUTBOX_MARK_DONE, NULL, 0,
                                              NULL, &error));
  g_assert_true (desk_store_outbox_mark_sync (store, f->ops[1], DESK_OUTBOX_MARK_IN_FLIGHT, NULL,
                                              0, NULL, &error));
  g_assert_true (desk_store_outbox_mark_sync (store, f->ops[2], DESK_OUTBOX_MARK_FAILED,
                                              "conflict", 0, NULL, &error));

  for (guint i = 0; i < 200; i++)
    g_string_append (body, "キャッシュの本文です。");
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("cached-%03u", i);
      StoreTestEntry spec = {
        .id = id, .title = "キャッシュの記事", .body = body->str, .tags = "キャッシュ",
        .original_html = body->str,
      };

      g_ptr_array_add (entries, store_test_make_entry (&spec, DESK_ENTRY_FORM_FULL));
    }
  g_assert_true (desk_store_upsert_entries_sync (store, entries, NULL, &error));
  g_assert_true (desk_store_set_cursor_sync (store, "cursor-before", NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  store_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The store set the file aside under "<path>.corrupt-YYYYMMDD-HHMMSS". */
static void
assert_set_aside (Fixture     *f,
                  DeskStore   *store,
                  const char  *old_contents,
                  gsize        old_length)
{
  const char *aside = desk_store_get_corrupt_path (store);
  g_autofree char *pattern = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (desk_store_get_recovered (store));
  g_assert_nonnull (aside);
  pattern = g_strdup_printf ("^%s\\.corrupt-[0-9]{8}-[0-9]{6}$", g_regex_escape_string (f->path, -1));
  g_assert_true (g_regex_match_simple (pattern, aside, 0, 0));
  g_assert_true (g_file_get_contents (aside, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, old_contents, old_length);
}

static void
assert_fresh_store_works (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  /* What came from the site is gone, to be synced again from the start. */
  g_assert_cmpint (desk_store_count_entries_sync (store, 0, NULL, &error), ==, 0);
  cursor = desk_store_get_cursor_sync (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (cursor);

  rows = desk_store_search_sync (store, "キャッシュ", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpint (desk_store_outbox_enqueue_sync (store, "new", DESK_OUTBOX_KIND_LOCK, NULL,
                                                   NULL, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
}

static void
assert_salvaged (Fixture   *f,
                 DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  DeskOutboxOp *op;

  g_assert_cmpuint (desk_store_get_salvaged_drafts (store), ==, 3);
  g_assert_cmpuint (desk_store_get_salvaged_outbox (store), ==, 3);

  drafts = desk_store_list_drafts_sync (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      DeskStoreDraft *draft = g_ptr_array_index (drafts, i);
      g_autofree char *id = g_strdup_printf ("draft-%u", i);
      g_autofree char *title = g_strdup_printf ("下書き %u", i);

      g_assert_cmpstr (draft->entry_id, ==, id);
      g_assert_cmpint (draft->base_revision, ==, i + 1);
      g_assert_cmpstr (draft->fields->title, ==, title);
      g_assert_cmpstr (draft->fields->tldr, ==, "救出される要約");
    }

  /* Order and ids kept; the done one dropped; in flight is pending again;
   * failed stays failed; the publish keeps its idempotency key. */
  ops = desk_store_outbox_list_sync (store, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 3);
  op = g_ptr_array_index (ops, 0);
  g_assert_cmpint (op->id, ==, f->ops[1]);
  g_assert_cmpint (op->kind, ==, DESK_OUTBOX_KIND_PUBLISH);
  g_assert_cmpint (op->state, ==, DESK_OUTBOX_STATE_PENDING);
  g_assert_cmpstr (op->idempotency_key, ==, "key-publish-1");
  g_assert_cmpstr (op->if_match, ==, "\"2\"");
  g_assert_cmpint (op->attempts, ==, 1);
  op = g_ptr_array_index (ops, 1);
  g_assert_cmpint (op->id, ==, f->ops[2]);
  g_assert_cmpint (op->state, ==, DESK_OUTBOX_STATE_FAILED);
  g_assert_cmpstr (op->last_error, ==, "conflict");
  g_assert_cmpstr (op->payload, ==, "{\"status\":\"approved\"}");
  op = g_ptr_array_index (ops, 2);
  g_assert_cmpint (op->id, ==, f->ops[3]);
  g_assert_cmpint (op->kind, ==, DESK_OUTBOX_KIND_UNLOCK);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1024 * 1024);
  length /= 2;
  g_assert_true (g_file_set_contents (f->path, contents, length, &error));

  store = desk_store_open_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  assert_set_aside (f, store, contents, length);
  assert_salvaged (f, store);
  assert_fresh_store_works (store);

  /* Recovered once; the next start is an ordinary one. */
  g_clear_object (&store);
  store = desk_store_open_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (desk_store_get_recovered (store));
  g_assert_null (desk_store_get_corrupt_path (store));
  g_assert_cmpint (desk_store_outbox_count_pending_sync (store, NULL, &error), ==, 3);
}

static void
test_damaged_pages (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  /* Garbage over the middle of the file (the cached entries), the size
   * unchanged. */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  for (gsize i = length / 3; i < 2 * length / 3; i++)
    contents[i] = (char) (i * 7919 % 251);
  g_assert_true (g_file_set_contents (f->path, contents, length, &error));

  store = desk_store_open_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  assert_set_aside (f, store, contents, length);
  assert_salvaged (f, store);
  assert_fresh_store_works (store);
}

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree char *garbage = g_malloc (16384);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *aside_wal = NULL;
  g_autofree char *wal_contents = NULL;

  for (guint i = 0; i < 16384; i++)
    garbage[i] = (char) g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (f->path, garbage, 16384, &error));
  /* A WAL beside it goes aside with it. */
  g_assert_true (g_file_set_contents (wal, "not a wal", -1, &error));

  store = desk_store_open_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  assert_set_aside (f, store, garbage, 16384);
  g_assert_cmpuint (desk_store_get_salvaged_drafts (store), ==, 0);
  g_assert_cmpuint (desk_store_get_salvaged_outbox (store), ==, 0);
  aside_wal = g_strconcat (desk_store_get_corrupt_path (store), "-wal", NULL);
  g_assert_true (g_file_get_contents (aside_wal, &wal_contents, NULL, NULL));
  g_assert_cmpstr (wal_contents, ==, "not a wal");
  assert_fresh_store_works (store);
}

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} AsyncWait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* The async open reports the same. */
static void
test_garbage_async (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncWait wait = { loop, NULL };

  g_assert_true (g_file_set_contents (f->path, "SQLite format 3\0garbage garbage garbage", 40,
                                      &error));
  desk_store_new_async (f->path, NULL, on_done, &wait);
  g_main_loop_run (loop);
  store = desk_store_new_finish (wait.result, &error);
  g_assert_no_error (error);
  g_assert_true (desk_store_get_recovered (store));
  g_assert_nonnull (desk_store_get_corrupt_path (store));
  g_assert_true (g_file_test (desk_store_get_corrupt_path (store), G_FILE_TEST_EXISTS));
  assert_fresh_store_works (store);
  g_clear_object (&wait.result);
  /* The store's tasks are released from idles of this context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The store warns when it rebuilds a file; that is expected here. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_fatal_mask ("desk-store", G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  g_test_add ("/store/recovery/truncated", Fixture, NULL, fixture_set_up, test_truncated,
              fixture_tear_down);
  g_test_add ("/store/recovery/damaged-pages", Fixture, NULL, fixture_set_up, test_damaged_pages,
              fixture_tear_down);
  g_test_add ("/store/recovery/garbage", Fixture, NULL, fixture_set_up, test_garbage,
              fixture_tear_down);
  g_test_add ("/store/recovery/garbage-async", Fixture, NULL, fixture_set_up, test_garbage_async,
              fixture_tear_down);

  return g_test_run ();
}
