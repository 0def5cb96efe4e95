/* engine-driver.c: a process that drives DeskSync through its outbox, for the kill -9 test
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "engine-test-util.h"

/* engine-driver --store PATH --url URL [--enqueue PREFIX:N]
 *
 * With --enqueue, syncs and queues for each of PREFIX-000…: an edit of the
 * title ("kill-9 版 <i>"), approval and publish, then prints "queued".
 * Then delivers the outbox, printing "done <op id>" per delivered
 * operation, and "finished" once nothing is pending. */

static GMainLoop *loop;
static DeskSync *sync_engine;

static void
done_cb (DeskSync   *sync,
         gint64      op_id,
         const char *entry_id,
         gpointer    user_data)
{
  printf ("done %" G_GINT64_FORMAT " %s\n", op_id, entry_id);
  fflush (stdout);
}

static void
failed_cb (DeskSync   *sync,
           gint64      op_id,
           const char *entry_id,
           GError     *error,
           gpointer    user_data)
{
  printf ("failed %" G_GINT64_FORMAT " %s: %s\n", op_id, entry_id, error->message);
  fflush (stdout);
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 count = desk_store_outbox_count_pending_finish (DESK_STORE (object), result, &error);

  if (count == 0)
    {
      printf ("finished\n");
      fflush (stdout);
      g_main_loop_quit (loop);
    }
}

static gboolean
check_cb (gpointer user_data)
{
  desk_store_outbox_count_pending_async (desk_sync_get_store (sync_engine), NULL, count_cb, NULL);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *store_path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *enqueue = NULL;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, "Store file", "PATH" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "Site URL", "URL" },
    { "enqueue", 0, 0, G_OPTION_ARG_STRING, &enqueue, "Queue writes for PREFIX:N", "PREFIX:N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSiteClient) client = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || store_path == NULL || url == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--store and --url are required");
      return 2;
    }

  loop = g_main_loop_new (NULL, FALSE);
  store = engine_test_open_store (store_path);
  client = engine_test_client (url, ENGINE_TEST_EDITOR_TOKEN);
  sync_engine = engine_test_start_sync (store, client);
  g_signal_connect (sync_engine, "operation-done", G_CALLBACK (done_cb), NULL);
  g_signal_connect (sync_engine, "operation-failed", G_CALLBACK (failed_cb), NULL);

  if (enqueue != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (enqueue, ":", 2);
      guint n = parts[1] ? (guint) g_ascii_strtoull (parts[1], NULL, 10) : 0;

      engine_test_sync_now (sync_engine);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *id = g_strdup_printf ("%s-%03u", parts[0], i);
          g_autoptr(DeskEditable) draft = desk_editable_new ();
          g_autoptr(GAsyncResult) r1 = NULL;
          g_autoptr(GAsyncResult) r2 = NULL;
          g_autoptr(GAsyncResult) r3 = NULL;

          draft->present = DESK_FIELD_TITLE;
          draft->title = g_strdup_printf ("kill-9 版 %u", i);
          desk_sync_queue_edit_async (sync_engine, id, 1, draft, NULL, engine_test_store_result, &r1);
          desk_sync_queue_status_async (sync_engine, id, 1, DESK_ENTRY_STATUS_APPROVED, NULL, NULL,
                                        engine_test_store_result, &r2);
          desk_sync_queue_publish_async (sync_engine, id, 1, NULL, engine_test_store_result, &r3);
          if (desk_sync_queue_finish (sync_engine, engine_test_wait_result (&r1), &error) <= 0 ||
              desk_sync_queue_finish (sync_engine, engine_test_wait_result (&r2), &error) <= 0 ||
              desk_sync_queue_finish (sync_engine, engine_test_wait_result (&r3), &error) <= 0)
            {
              g_printerr ("queueing failed: %s\n", error ? error->message : "nothing to send");
              return 1;
            }
        }
      printf ("queued\n");
      fflush (stdout);
    }

  g_timeout_add (100, check_cb, NULL);
  g_main_loop_run (loop);

  desk_sync_stop (sync_engine);
  g_clear_object (&sync_engine);
  g_main_loop_unref (loop);
  return 0;
}
