/* engine-test-util.c: helpers of the engine tests: a digest-site per test, seeds, waiting on the main loop
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "engine-test-util.h"

/* A failed assertion aborts the test before its teardown: without this the
 * child would outlive it, keep the test's output pipe open and hold up
 * `meson test` until its timeout. */
static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

GSubprocess *
engine_test_spawn (const char * const  *argv,
                   GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

EngineSite *
engine_site_start (const char         *db,
                   guint               port,
                   const char * const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *binary = g_getenv ("DIGEST_SITE");
  EngineSite *site;
  const char *prefix = "listening on http://127.0.0.1:";

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, g_strdup (binary));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (db));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  g_ptr_array_add (argv, g_strdup ("--token"));
  g_ptr_array_add (argv, g_strdup ("sato:editor:" ENGINE_TEST_EDITOR_TOKEN));
  g_ptr_array_add (argv, g_strdup ("--token"));
  g_ptr_array_add (argv, g_strdup ("pipe:pipeline:" ENGINE_TEST_PIPELINE_TOKEN));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  site = g_new0 (EngineSite, 1);
  site->db = g_strdup (db);
  site->proc = engine_test_spawn ((const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* Blocking is fine here: nothing else runs until the site is up. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (site->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  site->port = (guint) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
  g_assert_cmpuint (site->port, >, 0);
  site->url = g_strdup_printf ("http://127.0.0.1:%u", site->port);
  return site;
}

void
engine_site_stop (EngineSite *site)
{
  if (site->proc == NULL)
    return;
  g_subprocess_send_signal (site->proc, SIGKILL);
  g_subprocess_wait (site->proc, NULL, NULL);
  g_clear_object (&site->proc);
}

void
engine_site_free (EngineSite *site)
{
  if (site == NULL)
    return;
  engine_site_stop (site);
  g_free (site->db);
  g_free (site->url);
  g_free (site);
}

char *
engine_test_write_seed (const char *dir,
                        const char *prefix,
                        guint       n,
                        const char *status)
{
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s-%s.json", prefix, status);
  char *path = g_build_filename (dir, name, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (json,
        "%s{\"id\":\"%s-%03u\",\"revision\":1,\"status\":\"%s\",\"kind\":\"article\","
        "\"source\":{\"name\":\"Synthetic Weekly\",\"url\":\"https://example.org/s/%s-%03u\","
        "\"published_at\":\"2026-05-11T21:46:00+09:00\",\"language\":\"en\"},"
        "\"collected_at\":\"2026-05-11T22:10:00+09:00\",\"analyzed_at\":\"2026-05-11T23:04:00+09:00\","
        "\"updated_at\":\"2026-05-12T09:15:00+09:00\",\"reading_minutes\":5,"
        "\"original\":{\"title\":\"Synthetic story %u\",\"html\":\"<p>An invented story number %u.</p>\"},"
        "\"title\":\"合成記事 %u\",\"body\":\"本文です。\",\"tldr\":\"要約 %u です。\",\"tags\":[\"テスト\"],"
        "\"importance\":{\"overall\":3,\"depth\":3,\"relevance\":3,\"practicality\":3,\"innovation\":3},"
        "\"key_points\":[{\"heading\":\"見出し\",\"body\":\"要点です。\"}],"
        "\"impact_analysis\":\"影響は小さいです。\",\"editorial_comment\":\"\","
        "\"machine\":{\"title\":\"合成記事 %u\",\"body\":\"本文です。\",\"tldr\":\"要約 %u です。\","
        "\"tags\":[\"テスト\"],\"importance\":{\"overall\":3,\"depth\":3,\"relevance\":3,"
        "\"practicality\":3,\"innovation\":3},\"key_points\":[{\"heading\":\"見出し\",\"body\":\"要点です。\"}],"
        "\"impact_analysis\":\"影響は小さいです。\"},\"lock\":null,\"published\":null}",
        i == 0 ? "" : ",", prefix, i, status, prefix, i, i, i, i, i, i, i);
    }
  g_string_append (json, "]");
  g_file_set_contents (path, json->str, json->len, &error);
  g_assert_no_error (error);
  return path;
}

char *
engine_test_mkdtemp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("desk-engine-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
engine_test_rmdir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        engine_test_rmdir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_REMOVE;
}

gboolean
engine_test_wait_for (gboolean (*cond) (gpointer data),
                      gpointer   data,
                      guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () >= deadline)
        return cond (data);
      /* Wake up now and then: some conditions change without an event. */
      if (!g_main_context_pending (NULL))
        g_timeout_add (10, wake_up, NULL);
      g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}

void
engine_test_store_result (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

GAsyncResult *
engine_test_wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
sleep_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
engine_test_sleep_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, sleep_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

DeskStore *
engine_test_open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  DeskStore *store;

  desk_store_new_async (path, NULL, engine_test_store_result, &result);
  store = desk_store_new_finish (engine_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return store;
}

DeskSiteClient *
engine_test_client (const char *url,
                    const char *token)
{
  g_autoptr(GError) error = NULL;
  DeskSiteClient *client = desk_site_client_new (url, token, &error);

  g_assert_no_error (error);
  desk_site_client_set_timeout (client, 10);
  return client;
}

DeskSync *
engine_test_start_sync (DeskStore      *store,
                        DeskSiteClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DeskSync *sync = g_object_new (DESK_TYPE_SYNC,
                                 "store", store,
                                 "client", client,
                                 "retry-base-ms", 20,
                                 "retry-max-ms", 200,
                                 "probe-min-ms", 50,
                                 "probe-max-ms", 300,
                                 NULL);

  desk_sync_start_async (sync, NULL, engine_test_store_result, &result);
  desk_sync_start_finish (sync, engine_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return sync;
}

void
engine_test_sync_now (DeskSync *sync)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  desk_sync_sync_now_async (sync, NULL, engine_test_store_result, &result);
  desk_sync_sync_now_finish (sync, engine_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

static gboolean
outbox_empty (gpointer data)
{
  DeskSync *sync = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 count;

  desk_store_outbox_count_pending_async (desk_sync_get_store (sync), NULL,
                                         engine_test_store_result, &result);
  count = desk_store_outbox_count_pending_finish (desk_sync_get_store (sync),
                                                  engine_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return count == 0;
}

gboolean
engine_test_wait_outbox_empty (DeskSync *sync,
                               guint     timeout_ms)
{
  return engine_test_wait_for (outbox_empty, sync, timeout_ms);
}

gint64
engine_test_site_query_int (const char *db,
                            const char *sql)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *uri = g_strdup_printf ("file:%s?mode=ro", db);
  gint64 value = -1;
  int rc;

  rc = sqlite3_open_v2 (uri, &conn, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_busy_timeout (conn, 5000);
  rc = sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (conn));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return value;
}
