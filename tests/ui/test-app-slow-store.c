/* test-app-slow-store.c: the queue's spinner turns while the store is slow to read, and only then
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Another connection holds the store's exclusive lock when the app
 * starts, so its first read waits. The queue says it is reading at once,
 * with no spinner (a read usually takes a tenth of a second, and a spinner
 * that flashes is noise); the spinner starts once the read has taken a
 * while, and stops when the entries are shown.
 */
#include "config.h"

#include <sqlite3.h>

#include "desk-application.h"
#include "desk-window.h"
#include "store-test-util.h"
#include "ui-test-util.h"

static DeskApplication *app;
static sqlite3         *locker;
static int              status = 1;

static gboolean
spinning_cond (gpointer data)
{
  return gtk_spinner_get_spinning (GTK_SPINNER (data));
}

static gboolean
list_shown_cond (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (data)), "list") == 0;
}

static void
test_slow_read (void)
{
  GtkWidget *window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  GtkStack *stack = GTK_STACK (find_by_id (window, "queue_stack"));
  GtkSpinner *spinner = GTK_SPINNER (find_by_id (window, "queue_spinner"));

  g_assert_nonnull (stack);
  g_assert_nonnull (spinner);
  /* The first turn after activation: reading, no spinner yet. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "loading");
  g_assert_false (gtk_spinner_get_spinning (spinner));

  /* The read waits on the lock: the spinner starts. */
  g_assert_true (wait_until (spinning_cond, spinner, 5000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "loading");

  /* The lock is let go: the entries show and the spinner stops. */
  g_assert_cmpint (sqlite3_exec (locker, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (locker);
  locker = NULL;
  g_assert_true (wait_until (list_shown_cond, stack, 20000));
  g_assert_false (gtk_spinner_get_spinning (spinner));
}

static void
fill_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open_sync (path, NULL, &error);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  StoreTestEntry spec = {
    .id = "slow-entry", .revision = 1, .status = DESK_ENTRY_STATUS_INCOMING,
    .kind = DESK_ENTRY_KIND_ARTICLE, .source_name = "Test Wire",
    .title = "読み込みに時間がかかる見出し", .tldr = "要約です。", .body = "本文です。", .tags = "AI",
    .original_title = "Original", .original_html = "<p>The original body.</p>", .importance = 3,
    .updated_at = "2026-11-20T09:00:00Z", .collected_at = "2026-11-20T09:00:00Z",
  };

  g_assert_no_error (error);
  g_ptr_array_add (entries, store_test_make_entry (&spec, DESK_ENTRY_FORM_FULL));
  desk_store_upsert_entries_sync (store, entries, NULL, &error);
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  g_test_init (&argc, &argv, NULL);
  dir = store_test_mkdtemp ();
  path = g_build_filename (dir, "store.db", NULL);
  fill_store (path);

  /* In exclusive locking mode a connection keeps its lock on the file,
   * which in WAL mode is what keeps other connections from reading. */
  g_assert_cmpint (sqlite3_open (path, &locker), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (locker, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE;"
                                 "SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL), ==, SQLITE_OK);

  g_test_add_func ("/ui/slow-store/spinner", test_slow_read);
  app = desk_application_new ();
  status = ui_test_run_app_offline (G_APPLICATION (app), path);
  g_clear_object (&app);
  if (locker != NULL)
    sqlite3_close (locker);
  store_test_rmdir (dir);
  return status;
}
