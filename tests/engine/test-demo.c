/* test-demo.c: DeskDemo against the real digest-site: seeding, the simulated pipeline, stop, failures
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "desk-demo.h"
#include "engine-test-util.h"

/* 17 in articles.json, 15 in papers-and-videos.json. */
#define SAMPLE_ENTRIES 32

static DeskDemo *
start_demo (const char *program,
            GError    **error)
{
  g_autoptr(DeskDemo) demo = desk_demo_new (program, NULL);
  g_autoptr(GAsyncResult) result = NULL;

  desk_demo_start_async (demo, NULL, engine_test_store_result, &result);
  if (!desk_demo_start_finish (demo, engine_test_wait_result (&result), error))
    return NULL;
  return g_steal_pointer (&demo);
}

static DeskDemo *
start_demo_ok (void)
{
  g_autoptr(GError) error = NULL;
  DeskDemo *demo = start_demo (NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (demo);
  return demo;
}

static DeskEntryPage *
list_entries (DeskSiteClient *client,
              const char     *since)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DeskEntryPage *page;

  desk_site_client_list_entries_async (client, since, NULL, 0, 500, NULL, engine_test_store_result, &result);
  page = desk_site_client_list_entries_finish (client, engine_test_wait_result (&result), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (page->more);
  return page;
}

static void
count_signal (DeskDemo   *demo,
              const char *id,
              GPtrArray  *ids)
{
  g_ptr_array_add (ids, g_strdup (id));
}

static gboolean
has_id (gpointer data)
{
  GPtrArray **pair = data;

  for (guint i = 0; i < pair[0]->len; i++)
    if (g_strcmp0 (g_ptr_array_index (pair[0], i), (const char *) pair[1]) == 0)
      return TRUE;
  return FALSE;
}

static void
test_demo_seeded (void)
{
  g_autoptr(DeskDemo) demo = start_demo_ok ();
  g_autoptr(DeskSiteClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskAccount) me = NULL;
  g_autoptr(DeskEntryPage) page = NULL;
  g_autoptr(DeskEntryPage) later = NULL;
  g_autoptr(DeskGlossary) glossary = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = NULL;
  gpointer pair[2];
  guint incoming = 0;

  g_assert_true (g_str_has_prefix (desk_demo_get_base_url (demo), "http://127.0.0.1:"));
  g_assert_nonnull (desk_demo_get_token (demo));
  g_assert_true (g_file_test (desk_demo_get_directory (demo), G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (desk_demo_get_entries_added (demo), ==, 0);

  client = engine_test_client (desk_demo_get_base_url (demo), desk_demo_get_token (demo));
  desk_site_client_get_me_async (client, NULL, engine_test_store_result, &result);
  me = desk_site_client_get_me_finish (client, engine_test_wait_result (&result), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (me->account, ==, "sato");
  g_assert_cmpstr (me->display_name, ==, "佐藤");
  g_assert_cmpstr (me->role, ==, "editor");
  g_clear_object (&result);

  page = list_entries (client, NULL);
  g_assert_cmpuint (page->entries->len, ==, SAMPLE_ENTRIES);
  for (guint i = 0; i < page->entries->len; i++)
    if (desk_entry_get_status (g_ptr_array_index (page->entries, i)) == DESK_ENTRY_STATUS_INCOMING)
      incoming++;
  g_assert_cmpuint (incoming, ==, 14);

  /* The glossary was put through the API (digest-site cannot seed it). */
  desk_site_client_get_glossary_async (client, NULL, engine_test_store_result, &result);
  glossary = desk_site_client_get_glossary_finish (client, engine_test_wait_result (&result), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (glossary->revision, ==, 2);
  g_assert_cmpuint (glossary->terms->len, >, 0);
  g_clear_object (&result);

  g_signal_connect (demo, "entry-added", G_CALLBACK (count_signal), ids);
  id = desk_demo_add_entry_now (demo);
  g_assert_true (g_str_has_prefix (id, "demo-"));
  pair[0] = ids;
  pair[1] = id;
  g_assert_true (engine_test_wait_for (has_id, pair, 10000));
  g_assert_cmpuint (desk_demo_get_entries_added (demo), ==, 1);

  later = list_entries (client, page->cursor);
  g_assert_cmpuint (later->entries->len, ==, 1);
  g_assert_cmpstr (desk_entry_get_id (g_ptr_array_index (later->entries, 0)), ==, id);
  g_clear_pointer (&page, desk_entry_page_free);
  page = list_entries (client, NULL);
  g_assert_cmpuint (page->entries->len, ==, SAMPLE_ENTRIES + 1);

  desk_site_client_get_entry_async (client, id, NULL, engine_test_store_result, &result);
  entry = desk_site_client_get_entry_finish (client, engine_test_wait_result (&result), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_entry_get_status (entry), ==, DESK_ENTRY_STATUS_INCOMING);
  g_assert_cmpint (desk_entry_get_revision (entry), ==, 1);
  g_assert_nonnull (desk_entry_get_machine (entry));
  g_assert_cmpstr (desk_entry_get_title (entry), ==, desk_entry_get_machine (entry)->title);
  g_assert_true (g_str_has_prefix (desk_entry_get_source (entry)->url, "https://example.org/"));
  g_assert_cmpuint (desk_entry_get_key_points (entry)->len, ==, 3);
}

static gboolean
two_added (gpointer data)
{
  return desk_demo_get_entries_added (DESK_DEMO (data)) >= 2;
}

static void
test_demo_interval (void)
{
  g_autoptr(DeskDemo) demo = start_demo_ok ();
  g_autoptr(DeskSiteClient) client = NULL;
  g_autoptr(DeskEntryPage) page = NULL;
  GHashTable *seen;

  desk_demo_set_interval_seconds (demo, 1);
  /* Two ticks: the timer repeats, and the ids of one demo differ. */
  g_assert_true (engine_test_wait_for (two_added, demo, 8000));

  client = engine_test_client (desk_demo_get_base_url (demo), desk_demo_get_token (demo));
  page = list_entries (client, NULL);
  g_assert_cmpuint (page->entries->len, >=, SAMPLE_ENTRIES + 2);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < page->entries->len; i++)
    g_assert_true (g_hash_table_add (seen, (gpointer) desk_entry_get_id (g_ptr_array_index (page->entries, i))));
  g_hash_table_unref (seen);

  /* 0 turns the pipeline off. */
  desk_demo_set_interval_seconds (demo, 0);
  {
    guint added = desk_demo_get_entries_added (demo);

    engine_test_sleep_ms (2500);
    g_assert_cmpuint (desk_demo_get_entries_added (demo), ==, added);
  }
}

static void
assert_refused (guint16 port)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_null (connection);
}

static guint16
port_of (DeskDemo *demo)
{
  const char *url = desk_demo_get_base_url (demo);

  return (guint16) g_ascii_strtoull (url + strlen ("http://127.0.0.1:"), NULL, 10);
}

static void
notified (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_demo_stop (void)
{
  g_autoptr(DeskDemo) demo = start_demo_ok ();
  g_autofree char *dir = g_strdup (desk_demo_get_directory (demo));
  guint16 port = port_of (demo);
  guint notifies = 0;
  gint64 started;

  g_signal_connect (demo, "notify::base-url", G_CALLBACK (notified), &notifies);
  started = g_get_monotonic_time ();
  desk_demo_stop (demo);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_null (desk_demo_get_base_url (demo));
  g_assert_null (desk_demo_get_token (demo));
  g_assert_null (desk_demo_get_directory (demo));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  assert_refused (port);

  /* Again: harmless. And it can start anew. */
  desk_demo_stop (demo);
  g_assert_cmpuint (notifies, ==, 1);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    desk_demo_start_async (demo, NULL, engine_test_store_result, &result);
    g_assert_true (desk_demo_start_finish (demo, engine_test_wait_result (&result), &error));
    g_assert_no_error (error);
    g_assert_nonnull (desk_demo_get_base_url (demo));
  }
}

static void
test_demo_dispose (void)
{
  DeskDemo *demo = start_demo_ok ();
  g_autofree char *dir = g_strdup (desk_demo_get_directory (demo));
  guint16 port = port_of (demo);
  g_autofree char *id = desk_demo_add_entry_now (demo);

  /* Dropped with a request in flight: nothing may outlive it. */
  g_object_add_weak_pointer (G_OBJECT (demo), (gpointer *) &demo);
  g_object_unref (demo);
  g_assert_null (demo);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  assert_refused (port);
  /* Let the cancelled request finish. */
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
assert_start_fails (const char   *program,
                    guint         start_timeout,
                    GIOErrorEnum  code,
                    const char   *in_message)
{
  g_autoptr(DeskDemo) demo = desk_demo_new (program, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  g_object_set (demo, "start-timeout", start_timeout, NULL);
  desk_demo_start_async (demo, NULL, engine_test_store_result, &result);
  g_assert_false (desk_demo_start_finish (demo, engine_test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, (int) code);
  g_test_message ("%s: %s", program, error->message);
  g_assert_nonnull (strstr (error->message, in_message));
  g_assert_cmpint (g_get_monotonic_time () - started, <, (start_timeout + 3) * G_USEC_PER_SEC);
  g_assert_null (desk_demo_get_base_url (demo));
  g_assert_null (desk_demo_get_directory (demo));
}

static void
test_demo_bad_program (void)
{
  g_autofree char *dir = engine_test_mkdtemp ();
  g_autofree char *missing = g_build_filename (dir, "no-such-digest-site", NULL);
  g_autofree char *failing = g_build_filename (dir, "failing-site", NULL);
  g_autofree char *silent = g_build_filename (dir, "silent-site", NULL);
  const char *failing_script = "#!/bin/sh\necho 'digest-site: cannot open the database' >&2\nexit 1\n";
  const char *silent_script = "#!/bin/sh\nexec sleep 30\n";

  g_assert_true (g_file_set_contents (failing, failing_script, -1, NULL));
  g_assert_true (g_file_set_contents (silent, silent_script, -1, NULL));
  g_assert_cmpint (g_chmod (failing, 0755), ==, 0);
  g_assert_cmpint (g_chmod (silent, 0755), ==, 0);

  assert_start_fails (missing, 10, G_IO_ERROR_NOT_FOUND, missing);
  /* Its last word on stderr is the reason shown. */
  assert_start_fails (failing, 10, G_IO_ERROR_FAILED, "cannot open the database");
  assert_start_fails (silent, 1, G_IO_ERROR_TIMED_OUT, "1");
  engine_test_rmdir (dir);
}

static void
test_demo_cancel (void)
{
  g_autoptr(DeskDemo) demo = desk_demo_new (NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  desk_demo_start_async (demo, cancellable, engine_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  g_assert_false (desk_demo_start_finish (demo, engine_test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (desk_demo_get_directory (demo));
}

/* SIGKILL to every process whose command line names @dir (the demo's
 * private directory, so only its server). */
static void
kill_servers_in (const char *dir)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", name, "cmdline", NULL);
      g_autofree char *cmdline = NULL;
      gsize length = 0;
      guint64 pid;

      if (!g_ascii_string_to_unsigned (name, 10, 2, G_MAXINT, &pid, NULL) ||
          !g_file_get_contents (path, &cmdline, &length, NULL))
        continue;
      for (gsize i = 0; i + 1 < length; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      if (strstr (cmdline, dir) != NULL)
        kill ((pid_t) pid, SIGKILL);
    }
}

/* The parent of a demo killed with SIGKILL: its digest-site must die too
 * (PR_SET_PDEATHSIG), since nothing else will ever stop it. */
static void
test_demo_parent_killed (void)
{
#ifdef __linux__
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { self_exe, "--demo-child", NULL };
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  gint64 deadline;
  guint16 port;

  child = engine_test_spawn (argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  parts = g_strsplit (line, " ", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  port = (guint16) g_ascii_strtoull (parts[0] + strlen ("http://127.0.0.1:"), NULL, 10);
  g_assert_cmpuint (port, >, 0);

  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, NULL);

  /* The kernel delivers the death signal right away, but the server's exit
   * and the closing of its socket take a moment. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GError) connect_error = NULL;

      connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, &connect_error);
      if (g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        break;
      if (g_get_monotonic_time () >= deadline)
        {
          /* Fail without leaving the orphan behind. */
          kill_servers_in (parts[1]);
          engine_test_rmdir (parts[1]);
          g_assert_not_reached ();
        }
      g_clear_object (&connection);
      engine_test_sleep_ms (50);
    }
  /* Nobody was left to remove the directory. */
  g_assert_true (g_file_test (parts[1], G_FILE_TEST_IS_DIR));
  engine_test_rmdir (parts[1]);
#else
  g_test_skip ("PR_SET_PDEATHSIG is Linux only");
#endif
}

/* test-demo --demo-child: starts a demo, prints "<base url> <directory>",
 * and runs until killed. */
static int
run_demo_child (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(DeskDemo) demo = NULL;
  g_autoptr(GError) error = NULL;

  demo = start_demo (NULL, &error);
  if (demo == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("%s %s\n", desk_demo_get_base_url (demo), desk_demo_get_directory (demo));
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 2 && g_strcmp0 (argv[1], "--demo-child") == 0)
    return run_demo_child ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/seeded", test_demo_seeded);
  g_test_add_func ("/demo/interval", test_demo_interval);
  g_test_add_func ("/demo/stop", test_demo_stop);
  g_test_add_func ("/demo/dispose", test_demo_dispose);
  g_test_add_func ("/demo/bad-program", test_demo_bad_program);
  g_test_add_func ("/demo/cancel", test_demo_cancel);
  g_test_add_func ("/demo/parent-killed", test_demo_parent_killed);

  return g_test_run ();
}
