/* test-site-client-faults.c: DeskSiteClient against a misbehaving SoupServer, bad URLs and bad TLS
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "desk-site-client.h"
#include "net-test-util.h"

#define TOKEN "fault-token-7c1e9a"

typedef enum {
  MODE_OK,
  MODE_GARBAGE,
  MODE_HTML,
  MODE_TRUNCATED,
  MODE_HUGE_LENGTH,
  MODE_HUGE_CHUNKED,
  MODE_ENDLESS,
  MODE_BIG_NUMBER,
  MODE_REDIRECT,
  MODE_UNAVAILABLE,
  MODE_PROXY_HTML_503,
  MODE_RATE_LIMITED,
  MODE_CLOSE,
  MODE_ECHO_TOKEN,
  MODE_UNEXPECTED_STATUS,
  MODE_STALE_WITHOUT_CURRENT,
  MODE_LOCKED,
  MODE_CHARSET,
  MODE_ENTRY,
  MODE_ENTRY_WRONG_ETAG,
  MODE_ENTRY_NO_ETAG,
} Mode;

typedef struct {
  SoupServer     *server;
  char           *base_url;
  Mode            mode;
  guint           requests;
  char           *last_authorization;
  char           *last_path;
  DeskSiteClient *client;
  char           *entry_json;   /* a full entry "fault-entry-1", revision 4 */
} Fixture;

static const char ok_me[] =
  "{\"account\": \"sato\", \"display_name\": \"佐藤\", \"role\": \"editor\"}";

typedef struct {
  SoupServerMessage *msg;
  guint              source;
} Drip;

static gboolean
drip_more (gpointer user_data)
{
  Drip *drip = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (drip->msg);

  soup_message_body_append (body, SOUP_MEMORY_STATIC, "[[[[", 4);
  soup_server_message_unpause (drip->msg);
  return G_SOURCE_CONTINUE;
}

static void
drip_stop (Drip *drip)
{
  g_clear_handle_id (&drip->source, g_source_remove);
}

static void
drip_free (gpointer data)
{
  Drip *drip = data;

  drip_stop (drip);
  g_free (drip);
}

static void
set_json (SoupServerMessage *msg,
          guint              status,
          const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_COPY, body, strlen (body));
}

static void
server_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  const char *authorization;

  fixture->requests++;
  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  g_free (fixture->last_authorization);
  fixture->last_authorization = g_strdup (authorization);
  g_free (fixture->last_path);
  fixture->last_path = g_strdup (path);

  switch (fixture->mode)
    {
    case MODE_OK:
      set_json (msg, 200, ok_me);
      break;

    case MODE_GARBAGE:
      set_json (msg, 200, "<html>\x01 this is not json at all");
      break;

    case MODE_HTML:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, ok_me, strlen (ok_me));
      break;

    case MODE_TRUNCATED:
      set_json (msg, 200, "{\"account\": \"sato\", \"display_na");
      break;

    case MODE_HUGE_LENGTH:
    case MODE_HUGE_CHUNKED:
      {
        g_autoptr(GBytes) mib = NULL;
        char *data = g_malloc (1024 * 1024);

        memset (data, ' ', 1024 * 1024);
        data[0] = '[';
        mib = g_bytes_new_take (data, 1024 * 1024);
        soup_server_message_set_status (msg, 200, NULL);
        soup_message_headers_set_content_type (headers, "application/json", NULL);
        if (fixture->mode == MODE_HUGE_CHUNKED)
          soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
        /* 50 references to the same MiB: a 50 MiB answer without 50 MiB here. */
        for (guint i = 0; i < 50; i++)
          soup_message_body_append_bytes (body, mib);
        soup_message_body_complete (body);
      }
      break;

    case MODE_ENDLESS:
      {
        Drip *drip = g_new0 (Drip, 1);

        soup_server_message_set_status (msg, 200, NULL);
        soup_message_headers_set_content_type (headers, "application/json", NULL);
        soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
        drip->msg = msg;
        drip->source = g_timeout_add (100, drip_more, drip);
        g_object_set_data_full (G_OBJECT (msg), "drip", drip, drip_free);
        g_signal_connect_swapped (msg, "finished", G_CALLBACK (drip_stop), drip);
        g_signal_connect_swapped (msg, "disconnected", G_CALLBACK (drip_stop), drip);
        soup_message_body_append (body, SOUP_MEMORY_STATIC, "[", 1);
      }
      break;

    case MODE_BIG_NUMBER:
      set_json (msg, 200,
                "{\"importance_weights\": {\"depth\": 0.4, \"relevance\": 0.3, "
                "\"practicality\": 0.2, \"innovation\": 0.1}, "
                "\"key_points\": {\"min\": 3, \"max\": 7}, \"tldr_max_chars\": 1e400, "
                "\"title_max_chars\": 120, \"house_style\": \"desu-masu\"}");
      break;

    case MODE_REDIRECT:
      soup_server_message_set_redirect (msg, 302, "/api/v1/me?followed=1");
      break;

    case MODE_UNAVAILABLE:
      set_json (msg, 503, "{\"error\": {\"code\": \"internal\", \"message\": \"injected failure\"}}");
      soup_message_headers_replace (headers, "Retry-After", "7");
      break;

    case MODE_PROXY_HTML_503:
      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        "<h1>Bad gateway</h1>", 20);
      break;

    case MODE_RATE_LIMITED:
      set_json (msg, 429, "{\"error\": {\"code\": \"rate_limited\", \"message\": \"slow down\"}}");
      soup_message_headers_replace (headers, "Retry-After", "3");
      break;

    case MODE_CLOSE:
      {
        GIOStream *stream = soup_server_message_steal_connection (msg);

        g_io_stream_close (stream, NULL, NULL);
        g_object_unref (stream);
      }
      break;

    case MODE_ECHO_TOKEN:
      {
        g_autofree char *text =
          g_strdup_printf ("{\"error\": {\"code\": \"bad_request\", "
                           "\"message\": \"we did not like %s\"}}",
                           authorization ? authorization : "nothing");

        set_json (msg, 400, text);
      }
      break;

    case MODE_UNEXPECTED_STATUS:
      set_json (msg, 202, ok_me);
      break;

    case MODE_STALE_WITHOUT_CURRENT:
      set_json (msg, 412, "{\"error\": {\"code\": \"precondition_failed\", \"message\": \"stale\"}}");
      break;

    case MODE_LOCKED:
      set_json (msg, 409,
                "{\"error\": {\"code\": \"locked\", \"message\": \"locked\"}, "
                "\"lock\": {\"editor\": \"kato\", \"acquired_at\": \"2026-05-12T09:00:00+09:00\", "
                "\"expires_at\": \"2026-05-12T09:02:00+09:00\"}}");
      break;

    case MODE_CHARSET:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json; charset=iso-8859-1",
                                        SOUP_MEMORY_STATIC, ok_me, strlen (ok_me));
      break;

    case MODE_ENTRY:
    case MODE_ENTRY_WRONG_ETAG:
    case MODE_ENTRY_NO_ETAG:
      set_json (msg, 200, fixture->entry_json);
      if (fixture->mode == MODE_ENTRY)
        soup_message_headers_replace (headers, "ETag", "\"4\"");
      else if (fixture->mode == MODE_ENTRY_WRONG_ETAG)
        soup_message_headers_replace (headers, "ETag", "\"3\"");
      break;

    default:
      g_assert_not_reached ();
    }
}

static const char pipeline_entry_json[] =
  "{\"id\": \"fault-entry-1\", \"kind\": \"paper\","
  " \"source\": {\"name\": \"Fault Notes\", \"url\": \"https://example.org/fault/1\","
  "             \"published_at\": null, \"language\": \"en\"},"
  " \"collected_at\": \"2026-11-01T08:10:00+09:00\", \"analyzed_at\": null,"
  " \"reading_minutes\": 5,"
  " \"original\": {\"title\": \"An invented paper\", \"html\": \"<p>x</p>\"},"
  " \"machine\": {\"title\": \"架空の論文\", \"body\": \"本文\", \"tldr\": \"要約\","
  "   \"tags\": [\"論文\"], \"importance\": {\"overall\": 2, \"depth\": 2, \"relevance\": 2,"
  "   \"practicality\": 2, \"innovation\": 2}, \"key_points\": [],"
  "   \"impact_analysis\": \"なし\"}}";

static char *
make_full_entry_json (void)
{
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  entry = desk_entry_new_from_data (pipeline_entry_json, -1, DESK_ENTRY_FORM_PIPELINE, &error);
  g_assert_no_error (error);
  desk_entry_set_revision (entry, 4);
  desk_entry_set_status (entry, DESK_ENTRY_STATUS_IN_REVIEW);
  desk_entry_set_updated_at (entry, "2026-11-02T10:00:00+09:00");
  return desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  fixture->entry_json = make_full_entry_json ();

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, server_handler, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  g_assert_nonnull (uris);
  fixture->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));

  fixture->client = g_initable_new (DESK_TYPE_SITE_CLIENT, NULL, &error,
                                    "base-url", fixture->base_url,
                                    "token", TOKEN,
                                    "timeout", 2,
                                    "io-timeout", 2,
                                    NULL);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->client);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_free (fixture->base_url);
  g_free (fixture->last_authorization);
  g_free (fixture->last_path);
  g_free (fixture->entry_json);

  /* Let dropped connections and their sources go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static DeskAccount *
get_me (Fixture          *fixture,
        DeskSiteFailure **failure,
        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_get_me_async (fixture->client, NULL, net_test_store_result, &result);
  return desk_site_client_get_me_finish (fixture->client, net_test_wait (&result), failure, error);
}

/* After any failure the same client must still work. */
static void
assert_recovers (Fixture *fixture)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  fixture->mode = MODE_OK;
  account = get_me (fixture, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_nonnull (account);
  g_assert_cmpstr (account->account, ==, "sato");
  g_assert_cmpstr (account->display_name, ==, "佐藤");
}

static void
expect_me_failure (Fixture       *fixture,
                   Mode           mode,
                   DeskSiteError  code,
                   guint          status,
                   const char    *in_message)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  fixture->mode = mode;
  account = get_me (fixture, &failure, &error);
  g_assert_null (account);
  g_assert_nonnull (failure);
  net_test_assert_site_error (error, failure, code, status);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” not in “%s”", in_message, error->message);
  g_test_message ("%s", error->message);

  assert_recovers (fixture);
}

static void
test_ok (Fixture       *fixture,
         gconstpointer  data)
{
  g_autofree char *expected = g_strdup_printf ("Bearer %s", TOKEN);

  assert_recovers (fixture);
  g_assert_cmpstr (fixture->last_authorization, ==, expected);
  g_assert_cmpstr (fixture->last_path, ==, "/api/v1/me");
  /* The client's own debug line ("GET /api/v1/me: 200") went through the guard. */
  g_assert_cmpuint (net_test_get_checked_log_lines (), >, 0);
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  expect_me_failure (fixture, MODE_GARBAGE, DESK_SITE_ERROR_PROTOCOL, 200, "malformed");
}

static void
test_wrong_content_type (Fixture       *fixture,
                         gconstpointer  data)
{
  expect_me_failure (fixture, MODE_HTML, DESK_SITE_ERROR_PROTOCOL, 200, "text/html");
  expect_me_failure (fixture, MODE_CHARSET, DESK_SITE_ERROR_PROTOCOL, 200, "application/json");
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  expect_me_failure (fixture, MODE_TRUNCATED, DESK_SITE_ERROR_PROTOCOL, 200, "malformed");
}

static void
test_huge (Fixture       *fixture,
           gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();

  expect_me_failure (fixture, MODE_HUGE_LENGTH, DESK_SITE_ERROR_PROTOCOL, 200, "16 MiB");
  expect_me_failure (fixture, MODE_HUGE_CHUNKED, DESK_SITE_ERROR_PROTOCOL, 200, "16 MiB");
  /* Refused early, not after waiting for the deadline. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_endless (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  desk_site_client_set_timeout (fixture->client, 1);
  expect_me_failure (fixture, MODE_ENDLESS, DESK_SITE_ERROR_TIMEOUT, 200, "1 second");
  elapsed = g_get_monotonic_time () - start;
  /* The server dripped a chunk every 100 ms, so only the overall deadline
   * (not the socket's I/O timeout) could stop it. */
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC - 100000);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  guint id;

  fixture->mode = MODE_ENDLESS;
  desk_site_client_get_me_async (fixture->client, cancellable, net_test_store_result, &result);
  id = g_timeout_add_once (300, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  account = desk_site_client_get_me_finish (fixture->client, net_test_wait (&result),
                                            &failure, &error);
  (void) id;
  g_assert_null (account);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (failure);

  assert_recovers (fixture);
}

static void
test_big_number (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskSiteConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  fixture->mode = MODE_BIG_NUMBER;
  desk_site_client_get_config_async (fixture->client, NULL, net_test_store_result, &result);
  config = desk_site_client_get_config_finish (fixture->client, net_test_wait (&result),
                                               &failure, &error);
  g_assert_null (config);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_PROTOCOL, 200);
  g_assert_cmpstr (fixture->last_path, ==, "/api/v1/config");

  assert_recovers (fixture);
}

static void
test_redirect (Fixture       *fixture,
               gconstpointer  data)
{
  guint before;

  before = fixture->requests;
  expect_me_failure (fixture, MODE_REDIRECT, DESK_SITE_ERROR_PROTOCOL, 302, "redirect");
  /* One for the redirect, one for assert_recovers: the redirect was not followed. */
  g_assert_cmpuint (fixture->requests - before, ==, 2);
}

static void
test_unavailable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  fixture->mode = MODE_UNAVAILABLE;
  account = get_me (fixture, &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_SERVER, 503);
  g_assert_cmpint (failure->retry_after, ==, 7);
  g_assert_nonnull (failure->api_error);
  g_assert_cmpstr (failure->api_error->code, ==, "internal");
  g_assert_true (desk_site_error_is_transient (error));
  assert_recovers (fixture);

  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);
  fixture->mode = MODE_PROXY_HTML_503;
  account = get_me (fixture, &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_SERVER, 503);
  g_assert_cmpint (failure->retry_after, ==, -1);
  g_assert_null (failure->api_error);
  assert_recovers (fixture);

  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);
  fixture->mode = MODE_RATE_LIMITED;
  account = get_me (fixture, &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_RATE_LIMITED, 429);
  g_assert_cmpint (failure->retry_after, ==, 3);
  assert_recovers (fixture);
}

static void
test_closed (Fixture       *fixture,
             gconstpointer  data)
{
  expect_me_failure (fixture, MODE_CLOSE, DESK_SITE_ERROR_NETWORK, 0, NULL);
}

static void
test_echoed_token (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  fixture->mode = MODE_ECHO_TOKEN;
  account = get_me (fixture, &failure, &error);
  g_assert_null (account);
  /* net_test_assert_site_error fails if the echoed token is in the message
   * or in the failure's api_error. */
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_BAD_REQUEST, 400);
  g_assert_nonnull (strstr (error->message, "we did not like Bearer [token]"));
  g_assert_nonnull (failure->api_error);
  assert_recovers (fixture);
}

static void
test_unexpected (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;

  expect_me_failure (fixture, MODE_UNEXPECTED_STATUS, DESK_SITE_ERROR_PROTOCOL, 202, "202");

  /* A 412 must carry the current entry, or the caller could not merge. */
  fixture->mode = MODE_STALE_WITHOUT_CURRENT;
  desk_site_client_get_entry_async (fixture->client, "e-1", NULL, net_test_store_result, &result);
  entry = desk_site_client_get_entry_finish (fixture->client, net_test_wait (&result), &etag,
                                             &failure, &error);
  g_assert_null (entry);
  g_assert_null (etag);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_PROTOCOL, 412);
  g_assert_cmpstr (fixture->last_path, ==, "/api/v1/entries/e-1");
  assert_recovers (fixture);
}

static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskLock) lock = NULL;
  g_autoptr(GError) error = NULL;

  fixture->mode = MODE_LOCKED;
  desk_site_client_take_lock_async (fixture->client, "e-2", NULL, net_test_store_result, &result);
  lock = desk_site_client_take_lock_finish (fixture->client, net_test_wait (&result),
                                            &failure, &error);
  g_assert_null (lock);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_LOCKED, 409);
  g_assert_nonnull (failure->api_error);
  g_assert_nonnull (failure->api_error->lock);
  g_assert_cmpstr (failure->api_error->lock->editor, ==, "kato");
  g_assert_nonnull (strstr (error->message, "kato"));
  g_assert_cmpstr (fixture->last_path, ==, "/api/v1/entries/e-2/lock");
  assert_recovers (fixture);
}

static DeskEntry *
get_entry (Fixture          *fixture,
           const char       *id,
           char            **etag,
           DeskSiteFailure **failure,
           GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_site_client_get_entry_async (fixture->client, id, NULL, net_test_store_result, &result);
  return desk_site_client_get_entry_finish (fixture->client, net_test_wait (&result), etag,
                                            failure, error);
}

static void
test_entry_etag (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;

  fixture->mode = MODE_ENTRY;
  entry = get_entry (fixture, "fault-entry-1", &etag, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_cmpstr (etag, ==, "\"4\"");
  g_assert_cmpint (desk_entry_get_revision (entry), ==, 4);
  g_assert_cmpstr (desk_entry_get_title (entry), ==, "架空の論文");
  g_clear_object (&entry);
  g_clear_pointer (&etag, g_free);

  /* An answer about another entry than the one asked for. */
  entry = get_entry (fixture, "fault-entry-2", &etag, &failure, &error);
  g_assert_null (entry);
  g_assert_null (etag);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_PROTOCOL, 200);
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  /* An ETag that is not the entry's revision, or none at all. */
  fixture->mode = MODE_ENTRY_WRONG_ETAG;
  entry = get_entry (fixture, "fault-entry-1", &etag, &failure, &error);
  g_assert_null (entry);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_PROTOCOL, 200);
  g_assert_nonnull (strstr (error->message, "ETag"));
  g_clear_pointer (&failure, desk_site_failure_free);
  g_clear_error (&error);

  fixture->mode = MODE_ENTRY_NO_ETAG;
  entry = get_entry (fixture, "fault-entry-1", &etag, &failure, &error);
  g_assert_null (entry);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_PROTOCOL, 200);
  g_assert_nonnull (strstr (error->message, "ETag"));

  assert_recovers (fixture);
}

static void
test_token_unsendable (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  guint before = fixture->requests;

  net_test_add_secret ("bad\ntoken-4411");
  desk_site_client_set_token (fixture->client, "bad\ntoken-4411");
  account = get_me (fixture, &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_UNAUTHORIZED, 0);
  g_assert_cmpuint (fixture->requests, ==, before);

  desk_site_client_set_token (fixture->client, TOKEN);
  assert_recovers (fixture);

  /* Without a token no Authorization header is sent at all. */
  desk_site_client_set_token (fixture->client, NULL);
  assert_recovers (fixture);
  g_assert_null (fixture->last_authorization);
}

/* ---- construction ------------------------------------------------------- */

static void
assert_bad_url (const char *url)
{
  g_autoptr(DeskSiteClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = desk_site_client_new (url, TOKEN, &error);
  g_assert_null (client);
  net_test_assert_site_error (error, NULL, DESK_SITE_ERROR_BAD_URL, 0);
  g_test_message ("%s → %s", url, error->message);
}

static void
assert_good_url (const char *url)
{
  g_autoptr(DeskSiteClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = desk_site_client_new (url, TOKEN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (client);
  g_assert_cmpstr (desk_site_client_get_base_url (client), ==, url);
}

static void
test_urls (void)
{
  assert_bad_url ("http://example.org");
  assert_bad_url ("http://example.org:8080/digest");
  assert_bad_url ("http://127.0.0.1.example.org");
  assert_bad_url ("http://localhost.example.org");
  assert_bad_url ("http://10.0.0.1");
  assert_bad_url ("http://[2001:db8::1]");
  assert_bad_url ("ftp://127.0.0.1");
  assert_bad_url ("not a url");
  assert_bad_url ("");
  assert_bad_url ("https://");
  assert_bad_url ("https://example.org/?x=1");
  assert_bad_url ("https://example.org/#top");

  /* A password pasted into the address is refused and not repeated. */
  net_test_add_secret ("pw-in-url-5521");
  assert_bad_url ("https://sato:pw-in-url-5521@example.org");

  assert_good_url ("http://127.0.0.1:8080");
  assert_good_url ("http://127.3.4.5:1/digest/");
  assert_good_url ("http://localhost:8080");
  assert_good_url ("http://LOCALHOST");
  assert_good_url ("http://[::1]:8080");
  assert_good_url ("https://example.org");
  assert_good_url ("https://news.example.org/digest");
}

static void
test_base_path (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/digest/", fixture->base_url);
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->client);
  fixture->client = desk_site_client_new (url, TOKEN, &error);
  g_assert_no_error (error);
  assert_recovers (fixture);
  g_assert_cmpstr (fixture->last_path, ==, "/digest/api/v1/me");
}

static void
test_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(DeskSiteClient) client = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A port that was free a moment ago and has nobody listening now. */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_listener_close (listener);

  client = desk_site_client_new (url, TOKEN, &error);
  g_assert_no_error (error);
  desk_site_client_get_me_async (client, NULL, net_test_store_result, &result);
  account = desk_site_client_get_me_finish (client, net_test_wait (&result), &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_NETWORK, 0);
  g_assert_true (desk_site_error_is_transient (error));
  g_test_message ("%s", error->message);
}

/* ---- TLS ------------------------------------------------------------------- */

static char *
make_test_pem (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *dir = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key = NULL;
  g_autofree char *cert = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (openssl == NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("DESK_SOURCE_DIR"),
                                                "tests", "net", "test-only-tls.pem", NULL);
      char *pem = NULL;

      g_test_message ("openssl not found; using %s", path);
      g_file_get_contents (path, &pem, NULL, &error);
      g_assert_no_error (error);
      return pem;
    }

  dir = g_dir_make_tmp ("desk-net-tls-XXXXXX", &error);
  g_assert_no_error (error);
  key_path = g_build_filename (dir, "key.pem", NULL);
  cert_path = g_build_filename (dir, "cert.pem", NULL);
  {
    const char *argv[] = {
      openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", key_path, "-out", cert_path, "-days", "2",
      "-subj", "/CN=127.0.0.1", NULL
    };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_spawn_check_wait_status (status, &error);
    g_assert_no_error (error);
  }
  g_file_get_contents (key_path, &key, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (cert_path, &cert, NULL, &error);
  g_assert_no_error (error);
  g_unlink (key_path);
  g_unlink (cert_path);
  g_rmdir (dir);
  return g_strconcat (cert, key, NULL);
}

static void
test_tls_refused (void)
{
  g_autofree char *pem = make_test_pem ();
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(DeskSiteClient) client = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  g_autoptr(DeskAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;
  Fixture fixture = { 0 };

  certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, server_handler, &fixture, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));

  client = desk_site_client_new (url, TOKEN, &error);
  g_assert_no_error (error);
  desk_site_client_get_me_async (client, NULL, net_test_store_result, &result);
  account = desk_site_client_get_me_finish (client, net_test_wait (&result), &failure, &error);
  g_assert_null (account);
  net_test_assert_site_error (error, failure, DESK_SITE_ERROR_TLS, 0);
  g_test_message ("%s", error->message);
  /* The handshake failed, so no request (and no token) ever reached the server. */
  g_assert_cmpuint (fixture.requests, ==, 0);

  soup_server_disconnect (server);
  g_free (fixture.last_authorization);
  g_free (fixture.last_path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  net_test_init_log_guard ();
  net_test_add_secret (TOKEN);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/net/faults/ok", test_ok);
  ADD ("/net/faults/garbage", test_garbage);
  ADD ("/net/faults/wrong-content-type", test_wrong_content_type);
  ADD ("/net/faults/truncated", test_truncated);
  ADD ("/net/faults/huge-body", test_huge);
  ADD ("/net/faults/endless-body", test_endless);
  ADD ("/net/faults/cancel", test_cancel);
  ADD ("/net/faults/big-number", test_big_number);
  ADD ("/net/faults/redirect", test_redirect);
  ADD ("/net/faults/unavailable", test_unavailable);
  ADD ("/net/faults/closed", test_closed);
  ADD ("/net/faults/echoed-token", test_echoed_token);
  ADD ("/net/faults/unexpected", test_unexpected);
  ADD ("/net/faults/locked", test_locked);
  ADD ("/net/faults/entry-etag", test_entry_etag);
  ADD ("/net/faults/token-unsendable", test_token_unsendable);
  ADD ("/net/faults/base-path", test_base_path);
  g_test_add_func ("/net/url", test_urls);
  g_test_add_func ("/net/refused", test_refused);
  g_test_add_func ("/net/tls-refused", test_tls_refused);

  return g_test_run ();
}
