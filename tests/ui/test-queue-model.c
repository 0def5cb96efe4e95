/* test-queue-model.c: the queue's list model: rows from the store, updates in place, search
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-queue-model.h"
#include "desk-queue-item.h"
#include "store-test-util.h"

typedef struct {
  char           *dir;
  DeskStore      *store;
  DeskQueueModel *model;
  GArray         *changes;   /* guint[3]: position, removed, added */
  guint           loaded;
} Fixture;

static void
add_entry (Fixture *f, const char *id, gint64 rev, DeskEntryStatus status,
           const char *title, const char *updated, const char *collected)
{
  StoreTestEntry spec = {
    .id = id, .revision = rev, .status = status, .kind = DESK_ENTRY_KIND_ARTICLE,
    .source_name = "Test Wire", .title = title, .tldr = "要約です。",
    .body = "本文です。推論の話。", .tags = "AI", .original_title = "Original",
    .original_html = "<p>Original text about inference.</p>", .importance = 3,
    .updated_at = updated, .collected_at = collected,
  };
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (entries, store_test_make_entry (&spec, DESK_ENTRY_FORM_FULL));
  desk_store_upsert_entries_sync (f->store, entries, NULL, &error);
  g_assert_no_error (error);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Fixture *f)
{
  guint c[3] = { position, removed, added };
  g_array_append_vals (f->changes, c, 3);
}

static void
on_loaded (DeskQueueModel *model, Fixture *f)
{
  f->loaded++;
}

static void
wait_loaded (Fixture *f)
{
  guint before = f->loaded;

  desk_queue_model_reload (f->model);
  while (f->loaded == before)
    g_main_context_iteration (NULL, TRUE);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = store_test_mkdtemp ();
  path = g_build_filename (f->dir, "store.db", NULL);
  f->store = desk_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  f->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  add_entry (f, "a", 1, DESK_ENTRY_STATUS_INCOMING, "最初の記事", "2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z");
  add_entry (f, "b", 1, DESK_ENTRY_STATUS_IN_REVIEW, "二つ目の記事", "2026-11-20T10:00:00Z", "2026-11-20T10:00:00Z");
  add_entry (f, "c", 1, DESK_ENTRY_STATUS_PUBLISHED, "公開済みの記事", "2026-11-20T11:00:00Z", "2026-11-20T11:00:00Z");

  f->model = desk_queue_model_new ();
  desk_queue_model_set_sort (f->model, DESK_STORE_SORT_COLLECTED_DESC);
  g_signal_connect (f->model, "items-changed", G_CALLBACK (on_items_changed), f);
  g_signal_connect (f->model, "loaded", G_CALLBACK (on_loaded), f);
  desk_queue_model_set_store (f->model, f->store);
  while (f->loaded == 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  /* A read still under way keeps the model alive past the fixture. */
  g_signal_handlers_disconnect_by_data (f->model, f);
  g_clear_object (&f->model);
  g_clear_object (&f->store);
  g_array_unref (f->changes);
  store_test_rmdir (f->dir);
  g_free (f->dir);
}

static const char *
id_at (Fixture *f, guint i)
{
  g_autoptr(DeskQueueItem) item = g_list_model_get_item (G_LIST_MODEL (f->model), i);
  return item != NULL ? g_intern_string (desk_queue_item_get_id (item)) : NULL;
}

static void
test_lists_sorted (Fixture *f, gconstpointer data)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 3);
  g_assert_cmpstr (id_at (f, 0), ==, "c");
  g_assert_cmpstr (id_at (f, 1), ==, "b");
  g_assert_cmpstr (id_at (f, 2), ==, "a");
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->model)) == DESK_TYPE_QUEUE_ITEM);
  g_assert_cmpuint (desk_queue_model_find (f->model, "b"), ==, 1);
  g_assert_cmpuint (desk_queue_model_find (f->model, "zz"), ==, G_MAXUINT);
}

/* A new entry at the top is one insertion; the other items are the same
 * objects (so a list view keeps their rows and the selection). */
static void
test_new_entry_keeps_items (Fixture *f, gconstpointer data)
{
  g_autoptr(DeskQueueItem) b_before = g_list_model_get_item (G_LIST_MODEL (f->model), 1);
  g_autoptr(DeskQueueItem) b_after = NULL;

  g_array_set_size (f->changes, 0);
  add_entry (f, "d", 1, DESK_ENTRY_STATUS_INCOMING, "新着", "2026-11-21T08:00:00Z", "2026-11-21T08:00:00Z");
  wait_loaded (f);
  g_assert_cmpuint (f->changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->changes, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (f->changes, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (f->changes, guint, 2), ==, 1);
  b_after = g_list_model_get_item (G_LIST_MODEL (f->model), 2);
  g_assert_true (b_before == b_after);

  /* Nothing changed: no signal at all. */
  g_array_set_size (f->changes, 0);
  wait_loaded (f);
  g_assert_cmpuint (f->changes->len, ==, 0);
}

static void
on_row_notify (GObject *item, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

/* A changed entry updates its item in place. */
static void
test_update_in_place (Fixture *f, gconstpointer data)
{
  g_autoptr(DeskQueueItem) a = g_list_model_get_item (G_LIST_MODEL (f->model), 2);
  guint notified = 0;

  g_signal_connect (a, "notify::row", G_CALLBACK (on_row_notify), &notified);
  g_array_set_size (f->changes, 0);
  add_entry (f, "a", 2, DESK_ENTRY_STATUS_IN_REVIEW, "最初の記事（改題）", "2026-11-20T12:00:00Z", "2026-11-20T09:00:00Z");
  wait_loaded (f);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpstr (desk_queue_item_get_title (a), ==, "最初の記事（改題）");
  g_assert_cmpint (desk_queue_item_get_revision (a), ==, 2);
}

static void
test_filter_and_search (Fixture *f, gconstpointer data)
{
  desk_queue_model_set_status_mask (f->model, DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_PUBLISHED));
  while (desk_queue_model_get_loading (f->model))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 1);
  g_assert_cmpstr (id_at (f, 0), ==, "c");

  desk_queue_model_set_status_mask (f->model, DESK_STORE_STATUS_ALL);
  desk_queue_model_set_query (f->model, "二つ目");
  while (desk_queue_model_get_loading (f->model))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 1);
  g_assert_cmpstr (id_at (f, 0), ==, "b");

  /* A one-character Japanese query, and the search limited by status. */
  desk_queue_model_set_query (f->model, "記");
  desk_queue_model_set_status_mask (f->model, DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_INCOMING));
  while (desk_queue_model_get_loading (f->model))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 1);
  g_assert_cmpstr (id_at (f, 0), ==, "a");

  desk_queue_model_set_query (f->model, "   ");
  g_assert_null (desk_queue_model_get_query (f->model));
}

/* A change of over a thousand rows is told in two steps (the old rows
 * out, then the new ones in), and at each step the model is what the
 * signal says: its length and its items, for views that read it then. */
typedef struct {
  guint    n_before;
  gboolean consistent;
  guint    steps;
  guint    max_added_early;   /* the most rows added by one step while under 240 shown */
  guint    steps_in_a_turn;   /* the most steps in one main-loop turn */
  guint    steps_this_turn;
  guint    last_turn;
} Tracker;

/* Counts main-loop turns: a source's prepare runs once in each. */
static guint turns;

static gboolean
turn_prepare (GSource *source,
              int     *timeout)
{
  turns++;
  *timeout = -1;
  return FALSE;
}

static GSourceFuncs turn_funcs = { turn_prepare, NULL, NULL, NULL, NULL, NULL };

static void
track_items_changed (GListModel *model, guint position, guint removed, guint added, Tracker *t)
{
  guint n = g_list_model_get_n_items (model);

  t->steps++;
  if (turns != t->last_turn)
    t->steps_this_turn = 0;
  t->last_turn = turns;
  t->steps_this_turn++;
  t->steps_in_a_turn = MAX (t->steps_in_a_turn, t->steps_this_turn);
  if (t->n_before - removed + added != n)
    t->consistent = FALSE;
  if (position < 240)
    t->max_added_early = MAX (t->max_added_early, added);
  /* Every item in the reported range can be had. */
  for (guint i = position; i < position + added && i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item == NULL)
        t->consistent = FALSE;
    }
  t->n_before = n;
}

/* A big change: the old rows go, then the new ones come 40 per main-loop
 * turn up to 240 (GTK 4.8's list view makes its 200 rows for them), then
 * the rest in one step; "loaded" only once all are there. */
static void
test_big_change_by_chunks (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  Tracker t = { 0, TRUE, 0 };
  gulong handler;

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *id = g_strdup_printf ("big-%04u", i);
      g_autofree char *title = g_strdup_printf ("%s の記事 %u", i % 2 ? "奇数" : "偶数", i);
      g_autofree char *when = g_strdup_printf ("2026-11-%02uT%02u:%02u:00Z", 1 + i / 1440, (i / 60) % 24, i % 60);
      StoreTestEntry spec = {
        .id = id, .revision = 1, .status = i % 2 ? DESK_ENTRY_STATUS_INCOMING : DESK_ENTRY_STATUS_IN_REVIEW,
        .kind = DESK_ENTRY_KIND_ARTICLE, .source_name = "Test Wire", .title = title, .tldr = "要約です。",
        .body = "本文です。", .tags = "AI", .original_title = "Original", .original_html = "<p>x</p>",
        .importance = 3, .updated_at = when, .collected_at = when,
      };

      g_ptr_array_add (entries, store_test_make_entry (&spec, DESK_ENTRY_FORM_FULL));
    }
  desk_store_upsert_entries_sync (f->store, entries, NULL, &error);
  g_assert_no_error (error);
  wait_loaded (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 3003);

  t.n_before = 3003;
  handler = g_signal_connect (f->model, "items-changed", G_CALLBACK (track_items_changed), &t);
  {
    guint before = f->loaded;
    GSource *turn = g_source_new (&turn_funcs, sizeof (GSource));

    g_source_attach (turn, NULL);

    desk_queue_model_set_status_mask (f->model, DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_INCOMING));
    while (f->loaded == before)
      g_main_context_iteration (NULL, TRUE);
    g_source_destroy (turn);
    g_source_unref (turn);
  }
  g_assert_false (desk_queue_model_get_loading (f->model));
  g_assert_true (t.consistent);
  /* Out; 6 × 40 in; the other 1261 in. */
  g_assert_cmpuint (t.steps, ==, 8);
  g_assert_cmpuint (t.max_added_early, ==, 40);
  g_assert_cmpuint (t.steps_in_a_turn, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 1501);
  for (guint i = 0; i < 1501; i++)
    {
      g_autoptr(DeskQueueItem) item = g_list_model_get_item (G_LIST_MODEL (f->model), i);

      g_assert_true (desk_queue_item_get_status (item) == DESK_ENTRY_STATUS_INCOMING);
    }

  /* A small change stays one step. */
  t.steps = 0;
  add_entry (f, "late", 1, DESK_ENTRY_STATUS_INCOMING, "遅れて届いた記事", "2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z");
  wait_loaded (f);
  g_assert_true (t.consistent);
  g_assert_cmpuint (t.steps, ==, 1);
  g_assert_cmpstr (id_at (f, 0), ==, "late");
  g_signal_handler_disconnect (f->model, handler);
}

static void
test_relative_time (void)
{
  gint64 now = g_date_time_to_unix (g_date_time_new_from_iso8601 ("2026-11-23T12:00:00Z", NULL)) * G_USEC_PER_SEC;
  g_autofree char *a = desk_queue_format_relative_time ("2026-11-23T11:59:30Z", now);
  g_autofree char *b = desk_queue_format_relative_time ("2026-11-23T11:15:00Z", now);
  g_autofree char *c = desk_queue_format_relative_time ("2026-11-23T07:00:00Z", now);
  g_autofree char *d = desk_queue_format_relative_time ("not a date", now);

  g_assert_cmpstr (a, ==, "just now");
  g_assert_cmpstr (b, ==, "45 minutes ago");
  g_assert_cmpstr (c, ==, "5 hours ago");
  g_assert_null (d);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/queue-model/sorted", Fixture, NULL, setup, test_lists_sorted, teardown);
  g_test_add ("/queue-model/new-entry-keeps-items", Fixture, NULL, setup, test_new_entry_keeps_items, teardown);
  g_test_add ("/queue-model/update-in-place", Fixture, NULL, setup, test_update_in_place, teardown);
  g_test_add ("/queue-model/filter-and-search", Fixture, NULL, setup, test_filter_and_search, teardown);
  g_test_add ("/queue-model/big-change-by-chunks", Fixture, NULL, setup, test_big_change_by_chunks, teardown);
  g_test_add_func ("/queue-model/relative-time", test_relative_time);
  return g_test_run ();
}
