/* test-app-recovery.c: after an unclean exit the app restores the drafts and says which
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-application.h"
#include "desk-session.h"
#include "desk-window.h"
#include "store-test-util.h"
#include "ui-test-util.h"

#define ENTRY_ID    "draft-entry"
#define DRAFT_TITLE "停電の前に書いていた見出し（下書き）"

static DeskApplication *app;
static int status = 1;

static gboolean
toast_cond (gpointer data)
{
  const char *toast = desk_window_get_last_toast (DESK_WINDOW (data));
  return toast != NULL && strstr (toast, DRAFT_TITLE) != NULL;
}

static void
shown_cb (DeskWindow *window, const char *id, gboolean *flag)
{
  *flag = TRUE;
}

static void
test_restored (void)
{
  DeskWindow *window = DESK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_autoptr(DeskEditable) shown = NULL;
  gboolean opened = FALSE;

  g_assert_true (wait_until (toast_cond, window, 20000));

  g_signal_connect (window, "entry-shown", G_CALLBACK (shown_cb), &opened);
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-entry", g_variant_new_string (ENTRY_ID));
  g_assert_true (wait_until (flag_cond, &opened, 20000));
  shown = desk_window_dup_fields (window);
  g_assert_cmpstr (shown->title, ==, DRAFT_TITLE);
  g_assert_cmpstr (shown->body, ==, "下書きの本文です。");
}

static void
store_result (GObject *object, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
result_cond (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* A run that wrote a draft and then died: no shutdown of its session. */
static void
crashed_run (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open_sync (path, NULL, &error);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(DeskEditable) draft = desk_editable_new ();
  StoreTestEntry spec = {
    .id = ENTRY_ID, .revision = 1, .status = DESK_ENTRY_STATUS_IN_REVIEW,
    .kind = DESK_ENTRY_KIND_ARTICLE, .source_name = "Test Wire",
    .title = "元の見出し", .tldr = "要約です。", .body = "元の本文です。", .tags = "AI",
    .original_title = "Original", .original_html = "<p>The original body.</p>", .importance = 3,
    .updated_at = "2026-11-20T09:00:00Z", .collected_at = "2026-11-20T09:00:00Z",
  };

  g_assert_no_error (error);
  g_ptr_array_add (entries, store_test_make_entry (&spec, DESK_ENTRY_FORM_FULL));
  desk_store_upsert_entries_sync (store, entries, NULL, &error);
  g_assert_no_error (error);

  session = desk_session_new (store);
  desk_session_start_async (session, NULL, store_result, &result);
  g_assert_true (wait_until (result_cond, &result, 10000));
  restored = desk_session_start_finish (session, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  draft->title = g_strdup (DRAFT_TITLE);
  draft->body = g_strdup ("下書きの本文です。");
  draft->present = DESK_FIELD_TITLE | DESK_FIELD_BODY;
  desk_session_update_draft (session, ENTRY_ID, 1, draft);
  desk_session_flush_async (session, NULL, store_result, &result);
  g_assert_true (wait_until (result_cond, &result, 10000));
  g_assert_true (desk_session_flush_finish (session, result, &error));
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
  crashed_run (path);

  g_test_add_func ("/ui/recovery/drafts-restored", test_restored);
  app = desk_application_new ();
  status = ui_test_run_app_offline (G_APPLICATION (app), path);
  g_clear_object (&app);
  store_test_rmdir (dir);
  return status;
}
