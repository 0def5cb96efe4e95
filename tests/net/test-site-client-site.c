/* test-site-client-site.c: DeskSiteClient against a real digest-site: every endpoint and every contract error
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "desk-site-client.h"
#include "net-test-util.h"

#define SATO_TOKEN  "s3cret-sato-5b2e"
#define KATO_TOKEN  "k4to-secret-9d1f"
#define PIPE_TOKEN  "pipe-secret-p1q7"
#define WRONG_TOKEN "wrong-token-zz93"

typedef struct {
  GSubprocess    *process;
  char           *dir;
  char           *base_url;
  DeskSiteClient *sato;
  DeskSiteClient *kato;
  DeskSiteClient *pipe;
} Site;

/* ---- the server ------------------------------------------------------------ */

/* A failed assertion aborts the test without its teardown: the server must
 * not outlive it (it would also keep meson waiting on the inherited stderr). */
static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

static void
site_start (Site              *site,
            const char *const *extra_args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *db = NULL;
  g_autofree char *seed = NULL;
  const char *exe = g_getenv ("DIGEST_SITE");
  const char *sample_dir = g_getenv ("DESK_SAMPLE_DIR");

  g_assert_nonnull (exe);
  g_assert_nonnull (sample_dir);

  if (site->dir == NULL)
    {
      site->dir = g_dir_make_tmp ("desk-net-site-XXXXXX", &error);
      g_assert_no_error (error);
    }
  db = g_build_filename (site->dir, "site.db", NULL);
  seed = g_build_filename (sample_dir, "articles.json", NULL);

  g_ptr_array_add (argv, g_strdup (exe));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup ("0"));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (db));
  g_ptr_array_add (argv, g_strdup ("--token"));
  g_ptr_array_add (argv, g_strdup ("sato:editor:" SATO_TOKEN));
  g_ptr_array_add (argv, g_strdup ("--token"));
  g_ptr_array_add (argv, g_strdup ("kato:editor:" KATO_TOKEN));
  g_ptr_array_add (argv, g_strdup ("--token"));
  g_ptr_array_add (argv, g_strdup ("pipe:pipeline:" PIPE_TOKEN));
  g_ptr_array_add (argv, g_strdup ("--display-name"));
  g_ptr_array_add (argv, g_strdup ("sato:佐藤"));
  g_ptr_array_add (argv, g_strdup ("--seed"));
  g_ptr_array_add (argv, g_strdup (seed));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  site->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (site->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));

  g_free (site->base_url);
  site->base_url = g_strdup (line + strlen ("listening on "));
}

static void
site_stop (Site *site)
{
  if (site->process == NULL)
    return;
  g_subprocess_send_signal (site->process, SIGTERM);
  g_subprocess_wait (site->process, NULL, NULL);
  g_clear_object (&site->process);
}

static DeskSiteClient *
new_client (Site       *site,
            const char *token)
{
  g_autoptr(GError) error = NULL;
  DeskSiteClient *client;

  client = desk_site_client_new (site->base_url, token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (client);
  desk_site_client_set_timeout (client, 20);
  return client;
}

static void
site_set_up (Site          *site,
             gconstpointer  data)
{
  site_start (site, data);
  site->sato = new_client (site, SATO_TOKEN);
  site->kato = new_client (site, KATO_TOKEN);
  site->pipe = new_client (site, PIPE_TOKEN);
}

static void
site_tear_down (Site          *site,
                gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&site->sato);
  g_clear_object (&site->kato);
  g_clear_object (&site->pipe);
  site_stop (site);

  dir = g_dir_open (site->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (site->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (site->dir);
  g_free (site->dir);
  g_free (site->base_url);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- synchronous wrappers ---------------------------------------------------- */

static DeskAccount *
sync_get_me (DeskSiteClient *client, DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_get_me_async (client, NULL, net_test_store_result, &result);
  return desk_site_client_get_me_finish (client, net_test_wait (&result), failure, error);
}

static DeskSiteConfig *
sync_get_config (DeskSiteClient *client, DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_get_config_async (client, NULL, net_test_store_result, &result);
  return desk_site_client_get_config_finish (client, net_test_wait (&result), failure, error);
}

static DeskEntryPage *
sync_list (DeskSiteClient        *client,
           const char            *since,
           const DeskEntryStatus *statuses,
           gsize                  n_statuses,
           guint                  limit,
           DeskSiteFailure      **failure,
           GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_list_entries_async (client, since, statuses, n_statuses, limit, NULL,
                                       net_test_store_result, &result);
  return desk_site_client_list_entries_finish (client, net_test_wait (&result), failure, error);
}

static DeskEntry *
sync_get_entry (DeskSiteClient *client, const char *id, char **etag,
                DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_get_entry_async (client, id, NULL, net_test_store_result, &result);
  return desk_site_client_get_entry_finish (client, net_test_wait (&result), etag, failure, error);
}

static DeskEntry *
sync_patch (DeskSiteClient *client, const char *id, const char *if_match,
            const DeskEditable *fields, DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_patch_entry_async (client, id, if_match, fields, NULL,
                                      net_test_store_result, &result);
  return desk_site_client_patch_entry_finish (client, net_test_wait (&result), failure, error);
}

static DeskEntry *
sync_set_status (DeskSiteClient *client, const char *id, const char *if_match,
                 DeskEntryStatus status, const char *reason,
                 DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_set_status_async (client, id, if_match, status, reason, NULL,
                                     net_test_store_result, &result);
  return desk_site_client_set_status_finish (client, net_test_wait (&result), failure, error);
}

static DeskEntry *
sync_publish (DeskSiteClient *client, const char *id, const char *if_match, const char *key,
              DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_publish_async (client, id, if_match, key, NULL, net_test_store_result, &result);
  return desk_site_client_publish_finish (client, net_test_wait (&result), failure, error);
}

static DeskLock *
sync_take_lock (DeskSiteClient *client, const char *id, DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_take_lock_async (client, id, NULL, net_test_store_result, &result);
  return desk_site_client_take_lock_finish (client, net_test_wait (&result), failure, error);
}

static gboolean
sync_release_lock (DeskSiteClient *client, const char *id, DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_release_lock_async (client, id, NULL, net_test_store_result, &result);
  return desk_site_client_release_lock_finish (client, net_test_wait (&result), failure, error);
}

static DeskEntry *
sync_create (DeskSiteClient *client, DeskEntry *entry, DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_create_entry_async (client, entry, NULL, net_test_store_result, &result);
  return desk_site_client_create_entry_finish (client, net_test_wait (&result), failure, error);
}

static DeskGlossary *
sync_get_glossary (DeskSiteClient *client, char **etag, DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_get_glossary_async (client, NULL, net_test_store_result, &result);
  return desk_site_client_get_glossary_finish (client, net_test_wait (&result), etag, failure, error);
}

static DeskGlossary *
sync_put_glossary (DeskSiteClient *client, const char *if_match, const DeskGlossary *glossary,
                   char **etag, DeskSiteFailure **failure, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_put_glossary_async (client, if_match, glossary, NULL,
                                       net_test_store_result, &result);
  return desk_site_client_put_glossary_finish (client, net_test_wait (&result), etag, failure, error);
}

/* ---- test data ------------------------------------------------------------ */

static const char pipeline_entry_json[] =
  "{"
  "  \"id\": \"net-test-0001\","
  "  \"kind\": \"article\","
  "  \"source\": {\"name\": \"Net Test Weekly\", \"url\": \"https://example.org/net-test/1\","
  "              \"published_at\": \"2026-11-01T08:00:00+09:00\", \"language\": \"en\"},"
  "  \"collected_at\": \"2026-11-01T08:10:00+09:00\","
  "  \"analyzed_at\": \"2026-11-01T08:20:00+09:00\","
  "  \"reading_minutes\": 3,"
  "  \"original\": {\"title\": \"A made-up note about test servers\","
  "               \"html\": \"<p>Invented text for the client tests.</p>\"},"
  "  \"machine\": {"
  "    \"title\": \"テストサーバーについての架空のメモ\","
  "    \"body\": \"クライアントのテスト用に書いた架空の本文です。\","
  "    \"tldr\": \"テスト用の架空の記事です。\","
  "    \"tags\": [\"テスト\"],"
  "    \"importance\": {\"overall\": 3, \"depth\": 3, \"relevance\": 3,"
  "                   \"practicality\": 3, \"innovation\": 3},"
  "    \"key_points\": [{\"heading\": \"要点\", \"body\": \"架空の要点です。\"}],"
  "    \"impact_analysis\": \"影響はありません。\""
  "  }"
  "}";

static DeskEntry *
create_test_entry (Site       *site,
                   const char *id)
{
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  DeskEntry *created;

  json = g_strdup (pipeline_entry_json);
  memcpy (strstr (json, "net-test-0001"), id, strlen ("net-test-0001"));
  entry = desk_entry_new_from_data (json, -1, DESK_ENTRY_FORM_PIPELINE, &error);
  g_assert_no_error (error);

  created = sync_create (site->pipe, entry, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_cmpstr (desk_entry_get_id (created), ==, id);
  g_assert_cmpint (desk_entry_get_revision (created), ==, 1);
  g_assert_cmpint (desk_entry_get_status (created), ==, DESK_ENTRY_STATUS_INCOMING);
  g_assert_cmpstr (desk_entry_get_title (created), ==, "テストサーバーについての架空のメモ");
  return created;
}

static DeskEditable *
editable_with_title (const char *title)
{
  DeskEditable *fields = desk_editable_new ();

  fields->present = DESK_FIELD_TITLE;
  fields->title = g_strdup (title);
  return fields;
}

/* ---- tests ----------------------------------------------------------------- */

static void
test_me_and_config (Site          *site,
                    gconstpointer  data)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(DeskAccount) pipeline = NULL;
  g_autoptr(DeskSiteConfig) config = NULL;
  g_autoptr(DeskSiteClient) wrong = NULL;
  g_autoptr(DeskSiteClient) none = NULL;
  g_autoptr(GError) error = NULL;

  account = sync_get_me (site->sato, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account->account, ==, "sato");
  g_assert_cmpstr (account->display_name, ==, "佐藤");
  g_assert_cmpstr (account->role, ==, "editor");

  pipeline = sync_get_me (site->pipe, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pipeline->role, ==, "pipeline");

  config = sync_get_config (site->sato, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->house_style, ==, DESK_HOUSE_STYLE_DESU_MASU);
  g_assert_cmpfloat_with_epsilon (config->weights.depth, 0.4, 1e-9);
  g_assert_cmpint (config->key_points_min, <=, config->key_points_max);

  wrong = new_client (site, WRONG_TOKEN);
  g_clear_pointer (&account, desk_account_free);
  account = sync_get_me (wrong, &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_UNAUTHORIZED, 401);
  g_assert_nonnull (failure->api_error);
  g_assert_cmpstr (failure->api_error->code, ==, "unauthorized");
  g_assert_false (desk_site_error_is_transient (error));
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  none = new_client (site, NULL);
  account = sync_get_me (none, &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_UNAUTHORIZED, 401);
}

static GPtrArray *
read_whole_feed (DeskSiteClient         *client,
                 const DeskEntryStatus  *statuses,
                 gsize                   n_statuses,
                 char                  **cursor)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *since = NULL;
  guint pages = 0;

  for (;;)
    {
      g_autoptr(DeskSiteFailure) failure = NULL;
      g_autoptr(DeskEntryPage) page = NULL;
      g_autoptr(GError) error = NULL;

      page = sync_list (client, since, statuses, n_statuses, 5, &failure, &error);
      g_assert_no_error (error);
      g_assert_nonnull (page);
      g_assert_cmpuint (page->entries->len, <=, 5);
      for (guint i = 0; i < page->entries->len; i++)
        {
          DeskEntry *entry = g_ptr_array_index (page->entries, i);

          /* Summaries: no machine snapshot. */
          g_assert_null (desk_entry_get_machine (entry));
          g_ptr_array_add (entries, g_object_ref (entry));
        }
      g_free (since);
      since = g_strdup (page->cursor);
      pages++;
      g_assert_cmpuint (pages, <, 100);
      if (!page->more)
        break;
    }
  *cursor = g_steal_pointer (&since);
  return entries;
}

static void
test_feed (Site          *site,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) incoming = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskEntryPage) page = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskEntry) patched = NULL;
  g_autoptr(DeskEditable) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *incoming_cursor = NULL;
  g_autofree char *etag = NULL;
  const DeskEntryStatus only_incoming[] = { DESK_ENTRY_STATUS_INCOMING };
  guint n_incoming = 0;

  all = read_whole_feed (site->sato, NULL, 0, &cursor);
  g_assert_cmpuint (all->len, ==, 17);  /* data/sample/articles.json */
  for (guint i = 0; i < all->len; i++)
    {
      DeskEntry *e = g_ptr_array_index (all, i);

      g_assert_true (g_hash_table_add (ids, (gpointer) desk_entry_get_id (e)));
      if (desk_entry_get_status (e) == DESK_ENTRY_STATUS_INCOMING)
        n_incoming++;
    }
  g_assert_cmpuint (n_incoming, >, 0);

  incoming = read_whole_feed (site->sato, only_incoming, 1, &incoming_cursor);
  g_assert_cmpuint (incoming->len, ==, n_incoming);

  /* Nothing changed since the cursor. */
  page = sync_list (site->sato, cursor, NULL, 0, 0, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->entries->len, ==, 0);
  g_assert_false (page->more);
  g_clear_pointer (&page, desk_entry_page_free);

  /* A cursor this site never gave: 400. */
  page = sync_list (site->sato, "not a cursor/?&=", NULL, 0, 0, &failure, &error);
  g_assert_null (page);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_BAD_REQUEST, 400);
  g_assert_cmpstr (failure->api_error->code, ==, "bad_request");
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  /* Another editor's change arrives through the cursor. */
  entry = sync_get_entry (site->kato, desk_entry_get_id (g_ptr_array_index (all, 3)), &etag,
                          &failure, &error);
  g_assert_no_error (error);
  fields = editable_with_title ("カーソルで届く変更");
  patched = sync_patch (site->kato, desk_entry_get_id (entry), etag, fields, &failure, &error);
  g_assert_no_error (error);

  page = sync_list (site->sato, cursor, NULL, 0, 0, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->entries->len, ==, 1);
  g_assert_cmpstr (desk_entry_get_id (g_ptr_array_index (page->entries, 0)), ==,
                   desk_entry_get_id (entry));
  g_assert_cmpstr (desk_entry_get_title (g_ptr_array_index (page->entries, 0)), ==,
                   "カーソルで届く変更");
}

static void
test_create (Site          *site,
             gconstpointer  data)
{
  g_autoptr(DeskEntry) created = create_test_entry (site, "net-test-0001");
  g_autoptr(DeskEntry) again = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;

  entry = sync_get_entry (site->sato, "net-test-0001", &etag, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (etag, ==, "\"1\"");
  g_assert_nonnull (desk_entry_get_machine (entry));
  g_assert_cmpstr (desk_entry_get_original (entry)->html, ==,
                   "<p>Invented text for the client tests.</p>");

  /* The same id again: 409 conflict. */
  again = sync_create (site->pipe, created, &failure, &error);
  g_assert_null (again);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_CONFLICT, 409);
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  /* Editors may not create. */
  again = sync_create (site->sato, created, &failure, &error);
  g_assert_null (again);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_FORBIDDEN, 403);
}

/* The pipeline may leave analyzed_at, reading_minutes and
 * source.published_at null (docs/site-api-notes.md); such entries must still
 * be readable in the full and summary forms the site then serves. */
static void
test_nullable_pipeline_fields (Site          *site,
                               gconstpointer  data)
{
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskEntry) created = NULL;
  g_autoptr(DeskEntry) fetched = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup (pipeline_entry_json);
  g_autofree char *cursor = NULL;
  g_auto(GStrv) parts = NULL;

  memcpy (strstr (json, "net-test-0001"), "net-test-0009", strlen ("net-test-0001"));
  parts = g_strsplit (json, "\"reading_minutes\": 3", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  g_free (json);
  json = g_strjoinv ("\"reading_minutes\": null", parts);
  entry = desk_entry_new_from_data (json, -1, DESK_ENTRY_FORM_PIPELINE, &error);
  g_assert_no_error (error);

  created = sync_create (site->pipe, entry, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_entry_get_reading_minutes (created), ==, -1);

  fetched = sync_get_entry (site->sato, "net-test-0009", NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_entry_get_reading_minutes (fetched), ==, -1);

  all = read_whole_feed (site->sato, NULL, 0, &cursor);
  g_assert_cmpuint (all->len, ==, 18);
}

static void
test_entry_errors (Site          *site,
                   gconstpointer  data)
{
  g_autoptr(DeskEntry) created = create_test_entry (site, "net-test-0002");
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskEntry) result = NULL;
  g_autoptr(DeskEditable) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *new_etag = NULL;
  DeskFieldError *field;

  entry = sync_get_entry (site->sato, "net-test-0002", &etag, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (etag, ==, "\"1\"");

  /* 404 */
  result = sync_get_entry (site->sato, "no-such-entry", NULL, &failure, &error);
  g_assert_null (result);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_NOT_FOUND, 404);
  g_assert_cmpstr (failure->api_error->code, ==, "not_found");
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  /* A PATCH that works: incoming becomes in_review. */
  fields = editable_with_title ("直したタイトル");
  result = sync_patch (site->sato, "net-test-0002", etag, fields, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_cmpint (desk_entry_get_revision (result), ==, 2);
  g_assert_cmpint (desk_entry_get_status (result), ==, DESK_ENTRY_STATUS_IN_REVIEW);
  g_assert_cmpstr (desk_entry_get_title (result), ==, "直したタイトル");
  new_etag = desk_entry_dup_etag (result);
  g_clear_object (&result);

  /* 412 with the current entry. */
  g_free (fields->title);
  fields->title = g_strdup ("古い版からの変更");
  result = sync_patch (site->sato, "net-test-0002", etag, fields, &failure, &error);
  g_assert_null (result);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_PRECONDITION_FAILED, 412);
  g_assert_nonnull (failure->api_error->current);
  g_assert_cmpint (desk_entry_get_revision (failure->api_error->current), ==, 2);
  g_assert_cmpstr (desk_entry_get_title (failure->api_error->current), ==, "直したタイトル");
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  /* 428 without If-Match. */
  result = sync_patch (site->sato, "net-test-0002", NULL, fields, &failure, &error);
  g_assert_null (result);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_PRECONDITION_REQUIRED, 428);
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  /* 422 with the fields. */
  g_clear_pointer (&fields, desk_editable_free);
  fields = desk_editable_new ();
  fields->present = DESK_FIELD_IMPORTANCE;
  fields->importance.overall = 3;
  fields->importance.depth = 9;
  fields->importance.relevance = 3;
  fields->importance.practicality = 3;
  fields->importance.innovation = 3;
  result = sync_patch (site->sato, "net-test-0002", new_etag, fields, &failure, &error);
  g_assert_null (result);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_INVALID, 422);
  g_assert_nonnull (failure->api_error->fields);
  g_assert_cmpuint (failure->api_error->fields->len, ==, 1);
  field = g_ptr_array_index (failure->api_error->fields, 0);
  g_assert_cmpstr (field->field, ==, "importance.depth");
  g_assert_nonnull (strstr (error->message, "importance.depth"));
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  /* 403: the pipeline may not edit. */
  result = sync_patch (site->pipe, "net-test-0002", new_etag, fields, &failure, &error);
  g_assert_null (result);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_FORBIDDEN, 403);
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  /* 409 conflict: in_review → published is no transition (and publishing
   * needs approved). */
  result = sync_set_status (site->sato, "net-test-0002", new_etag, DESK_ENTRY_STATUS_IN_REVIEW,
                            NULL, &failure, &error);
  g_assert_null (result);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_CONFLICT, 409);
  g_assert_cmpstr (failure->api_error->code, ==, "conflict");
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  result = sync_publish (site->sato, "net-test-0002", new_etag, "key-not-approved-1",
                         &failure, &error);
  g_assert_null (result);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_CONFLICT, 409);
}

static void
test_status_and_publish (Site          *site,
                         gconstpointer  data)
{
  g_autoptr(DeskEntry) a = create_test_entry (site, "net-test-0003");
  g_autoptr(DeskEntry) b = create_test_entry (site, "net-test-0004");
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskEntry) reviewed = NULL;
  g_autoptr(DeskEntry) approved = NULL;
  g_autoptr(DeskEntry) published = NULL;
  g_autoptr(DeskEntry) replayed = NULL;
  g_autoptr(DeskEntry) reused = NULL;
  g_autoptr(DeskEntry) b_approved = NULL;
  g_autoptr(DeskEntry) fetched = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = desk_entry_dup_etag (a);
  g_autofree char *approved_etag = NULL;
  g_autofree char *b_etag = NULL;
  g_autofree char *fetched_etag = NULL;
  g_autofree char *key = desk_site_new_idempotency_key ();
  g_autofree char *other_key = desk_site_new_idempotency_key ();

  g_assert_cmpstr (key, !=, other_key);
  g_assert_cmpuint (strlen (key), ==, 36);

  reviewed = sync_set_status (site->sato, "net-test-0003", etag, DESK_ENTRY_STATUS_IN_REVIEW,
                              "読み始めます", &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_entry_get_status (reviewed), ==, DESK_ENTRY_STATUS_IN_REVIEW);
  g_free (etag);
  etag = desk_entry_dup_etag (reviewed);

  approved = sync_set_status (site->sato, "net-test-0003", etag, DESK_ENTRY_STATUS_APPROVED,
                              NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_entry_get_status (approved), ==, DESK_ENTRY_STATUS_APPROVED);
  approved_etag = desk_entry_dup_etag (approved);

  published = sync_publish (site->sato, "net-test-0003", approved_etag, key, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_entry_get_status (published), ==, DESK_ENTRY_STATUS_PUBLISHED);
  g_assert_nonnull (desk_entry_get_published (published));

  /* A retry with the same key gets the stored first answer. */
  replayed = sync_publish (site->sato, "net-test-0003", approved_etag, key, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_entry_get_revision (replayed), ==, desk_entry_get_revision (published));
  g_assert_cmpstr (desk_entry_get_published (replayed)->at, ==,
                   desk_entry_get_published (published)->at);

  fetched = sync_get_entry (site->sato, "net-test-0003", &fetched_etag, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_entry_get_revision (fetched), ==, desk_entry_get_revision (published));

  /* The same key with another entry: 422 idempotency_key_reused. */
  b_etag = desk_entry_dup_etag (b);
  b_approved = sync_set_status (site->sato, "net-test-0004", b_etag, DESK_ENTRY_STATUS_IN_REVIEW,
                                NULL, &failure, &error);
  g_assert_no_error (error);
  g_free (b_etag);
  b_etag = desk_entry_dup_etag (b_approved);
  g_clear_object (&b_approved);
  b_approved = sync_set_status (site->sato, "net-test-0004", b_etag, DESK_ENTRY_STATUS_APPROVED,
                                NULL, &failure, &error);
  g_assert_no_error (error);
  g_free (b_etag);
  b_etag = desk_entry_dup_etag (b_approved);

  reused = sync_publish (site->sato, "net-test-0004", b_etag, key, &failure, &error);
  g_assert_null (reused);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_IDEMPOTENCY_KEY_REUSED, 422);
  g_assert_cmpstr (failure->api_error->code, ==, "idempotency_key_reused");
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  reused = sync_publish (site->sato, "net-test-0004", b_etag, other_key, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_entry_get_status (reused), ==, DESK_ENTRY_STATUS_PUBLISHED);
}

static void
test_locks (Site          *site,
            gconstpointer  data)
{
  g_autoptr(DeskEntry) created = create_test_entry (site, "net-test-0005");
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskLock) lock = NULL;
  g_autoptr(DeskLock) mine = NULL;
  g_autoptr(DeskEntry) result = NULL;
  g_autoptr(DeskEditable) fields = editable_with_title ("ロック中の変更");
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = desk_entry_dup_etag (created);

  lock = sync_take_lock (site->kato, "net-test-0005", &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lock->editor, ==, "kato");

  /* 409 locked, with the lock. */
  result = sync_patch (site->sato, "net-test-0005", etag, fields, &failure, &error);
  g_assert_null (result);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_LOCKED, 409);
  g_assert_nonnull (failure->api_error->lock);
  g_assert_cmpstr (failure->api_error->lock->editor, ==, "kato");
  g_assert_cmpstr (failure->api_error->lock->expires_at, ==, lock->expires_at);
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  mine = sync_take_lock (site->sato, "net-test-0005", &failure, &error);
  g_assert_null (mine);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_LOCKED, 409);
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  g_assert_false (sync_release_lock (site->sato, "net-test-0005", &failure, &error));
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_LOCKED, 409);
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  /* The pipeline may not lock. */
  mine = sync_take_lock (site->pipe, "net-test-0005", &failure, &error);
  g_assert_null (mine);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_FORBIDDEN, 403);
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  g_assert_true (sync_release_lock (site->kato, "net-test-0005", &failure, &error));
  g_assert_no_error (error);

  mine = sync_take_lock (site->sato, "net-test-0005", &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mine->editor, ==, "sato");

  /* Taking the lock does not change the ETag: the holder's If-Match holds. */
  result = sync_patch (site->sato, "net-test-0005", etag, fields, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_entry_get_title (result), ==, "ロック中の変更");
  g_assert_true (sync_release_lock (site->sato, "net-test-0005", &failure, &error));
  g_assert_no_error (error);
}

static void
test_glossary (Site          *site,
               gconstpointer  data)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskGlossary) glossary = NULL;
  g_autoptr(DeskGlossary) updated = NULL;
  g_autoptr(DeskGlossary) stale = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *new_etag = NULL;
  g_autofree char *expected = NULL;
  DeskGlossaryTerm *term;

  glossary = sync_get_glossary (site->sato, &etag, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (glossary->revision, >=, 1);
  expected = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", glossary->revision);
  g_assert_cmpstr (etag, ==, expected);

  term = desk_glossary_term_new ("Test Harness", "テストハーネス");
  g_ptr_array_add (glossary->terms, term);
  updated = sync_put_glossary (site->sato, etag, glossary, &new_etag, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (updated->revision, ==, glossary->revision + 1);
  g_assert_cmpuint (updated->terms->len, ==, glossary->terms->len);
  g_assert_cmpstr (new_etag, !=, etag);

  /* 412 carries the current glossary. */
  stale = sync_put_glossary (site->sato, etag, glossary, NULL, &failure, &error);
  g_assert_null (stale);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_PRECONDITION_FAILED, 412);
  g_assert_nonnull (failure->api_error->current_glossary);
  g_assert_null (failure->api_error->current);
  g_assert_cmpint (failure->api_error->current_glossary->revision, ==, updated->revision);
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  stale = sync_put_glossary (site->sato, NULL, glossary, NULL, &failure, &error);
  g_assert_null (stale);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_PRECONDITION_REQUIRED, 428);
}

static void
test_too_large (Site          *site,
                gconstpointer  data)
{
  g_autoptr(DeskEntry) created = create_test_entry (site, "net-test-0006");
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskEditable) fields = desk_editable_new ();
  g_autoptr(DeskEntry) result = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = desk_entry_dup_etag (created);
  gsize size = 9 * 1024 * 1024;

  fields->present = DESK_FIELD_BODY;
  fields->body = g_malloc (size + 1);
  memset (fields->body, 'a', size);
  fields->body[size] = '\0';

  result = sync_patch (site->sato, "net-test-0006", etag, fields, &failure, &error);
  g_assert_null (result);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_TOO_LARGE, 413);
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  account = sync_get_me (site->sato, &failure, &error);
  g_assert_no_error (error);
}

static void
test_server_gone (Site          *site,
                  gconstpointer  data)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = sync_get_me (site->sato, &failure, &error);
  g_assert_no_error (error);
  g_clear_pointer (&account, desk_account_free);

  site_stop (site);
  account = sync_get_me (site->sato, &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_NETWORK, 0);
  g_assert_true (desk_site_error_is_transient (error));
}

static const char *const fail_all_args[] = { "--fail-rate", "1", "--retry-after", "5", NULL };

static void
test_injected_503 (Site          *site,
                   gconstpointer  data)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = sync_get_me (site->sato, &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_SERVER, 503);
  g_assert_cmpint (failure->retry_after, ==, 5);
  g_assert_nonnull (failure->api_error);
  g_assert_cmpstr (failure->api_error->code, ==, "internal");
}

static const char *const slow_args[] = { "--delay-ms", "2500", NULL };

static void
test_slow (Site          *site,
           gconstpointer  data)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  desk_site_client_set_timeout (site->sato, 1);
  account = sync_get_me (site->sato, &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_TIMEOUT, 0);

  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);
  desk_site_client_set_timeout (site->sato, 10);
  account = sync_get_me (site->sato, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account->account, ==, "sato");
}

static const char *const drop_args[] = { "--drop-after-commit", "1", NULL };

static void
test_dropped_after_commit (Site          *site,
                           gconstpointer  data)
{
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskEntry) result = NULL;
  g_autoptr(DeskEntry) after = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskEditable) fields = editable_with_title ("届いたが返事のない変更");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *etag = NULL;
  const char *id;

  all = read_whole_feed (site->sato, NULL, 0, &cursor);
  id = desk_entry_get_id (g_ptr_array_index (all, 0));
  entry = sync_get_entry (site->sato, id, &etag, &failure, &error);
  g_assert_no_error (error);

  result = sync_patch (site->sato, id, etag, fields, &failure, &error);
  g_assert_null (result);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_NETWORK, 0);
  g_assert_true (desk_site_error_is_transient (error));
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  /* The write landed although no answer came. */
  after = sync_get_entry (site->sato, id, NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_entry_get_title (after), ==, "届いたが返事のない変更");
  g_assert_cmpint (desk_entry_get_revision (after), ==, desk_entry_get_revision (entry) + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  net_test_init_log_guard ();
  net_test_add_secret (SATO_TOKEN);
  net_test_add_secret (KATO_TOKEN);
  net_test_add_secret (PIPE_TOKEN);
  net_test_add_secret (WRONG_TOKEN);

#define ADD(path, args, func) \
  g_test_add (path, Site, args, site_set_up, func, site_tear_down)

  ADD ("/net/site/me-and-config", NULL, test_me_and_config);
  ADD ("/net/site/feed", NULL, test_feed);
  ADD ("/net/site/create", NULL, test_create);
  ADD ("/net/site/entry-errors", NULL, test_entry_errors);
  ADD ("/net/site/status-and-publish", NULL, test_status_and_publish);
  ADD ("/net/site/locks", NULL, test_locks);
  ADD ("/net/site/glossary", NULL, test_glossary);
  ADD ("/net/site/too-large", NULL, test_too_large);
  ADD ("/net/site/server-gone", NULL, test_server_gone);
  ADD ("/net/site/injected-503", fail_all_args, test_injected_503);
  ADD ("/net/site/slow", slow_args, test_slow);
  ADD ("/net/site/dropped-after-commit", drop_args, test_dropped_after_commit);
  /* Last: it fails until src/core reads a null reading_minutes in the full form. */
  ADD ("/net/site/nullable-pipeline-fields", NULL, test_nullable_pipeline_fields);

  return g_test_run ();
}
