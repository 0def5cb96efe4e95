/* desk-site-client.c: the Site API v1 client (libsoup 3), one SoupSession per site
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "desk-site-client.h"

#define READ_CHUNK          ((gsize) 64 * 1024)
#define MAX_SERVER_TEXT     300     /* code points of a server message we repeat */
#define MAX_RETRY_AFTER     86400   /* a day; longer is a misconfigured server */
#define MIN_MASKED_TOKEN    4       /* shorter tokens would mangle every message */

struct _DeskSiteClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  GUri        *base_uri;
  char        *base_path;     /* without the trailing '/' */
  char        *token;
  guint        timeout;
  guint        io_timeout;
  guint        idle_timeout;
};

static void desk_site_client_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeskSiteClient, desk_site_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      desk_site_client_initable_iface_init))

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_TIMEOUT,
  PROP_IO_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (desk-site-error-quark, desk_site_error)

/* ---- failures ------------------------------------------------------------ */

G_DEFINE_BOXED_TYPE (DeskSiteFailure, desk_site_failure,
                     desk_site_failure_copy, desk_site_failure_free)

static DeskSiteFailure *
desk_site_failure_new (DeskSiteError  code,
                       guint          status,
                       int            retry_after,
                       DeskApiError  *api_error)
{
  DeskSiteFailure *self = g_new0 (DeskSiteFailure, 1);

  self->code = code;
  self->status = status;
  self->retry_after = retry_after;
  self->api_error = api_error;
  return self;
}

DeskSiteFailure *
desk_site_failure_copy (const DeskSiteFailure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return desk_site_failure_new (self->code, self->status, self->retry_after,
                                self->api_error ? desk_api_error_copy (self->api_error) : NULL);
}

void
desk_site_failure_free (DeskSiteFailure *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->api_error, desk_api_error_free);
  g_free (self);
}

gboolean
desk_site_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != DESK_SITE_ERROR)
    return FALSE;

  switch ((DeskSiteError) error->code)
    {
    case DESK_SITE_ERROR_NETWORK:
    case DESK_SITE_ERROR_TIMEOUT:
    case DESK_SITE_ERROR_RATE_LIMITED:
    case DESK_SITE_ERROR_SERVER:
      return TRUE;
    case DESK_SITE_ERROR_BAD_URL:
    case DESK_SITE_ERROR_UNAUTHORIZED:
    case DESK_SITE_ERROR_FORBIDDEN:
    case DESK_SITE_ERROR_NOT_FOUND:
    case DESK_SITE_ERROR_CONFLICT:
    case DESK_SITE_ERROR_LOCKED:
    case DESK_SITE_ERROR_PRECONDITION_FAILED:
    case DESK_SITE_ERROR_PRECONDITION_REQUIRED:
    case DESK_SITE_ERROR_INVALID:
    case DESK_SITE_ERROR_IDEMPOTENCY_KEY_REUSED:
    case DESK_SITE_ERROR_TOO_LARGE:
    case DESK_SITE_ERROR_BAD_REQUEST:
    case DESK_SITE_ERROR_TLS:
    case DESK_SITE_ERROR_PROTOCOL:
    default:
      return FALSE;
    }
}

/* Replaces every occurrence of @token in @text, so that a server or library
 * message that repeats the secret never reaches a GError. */
static char *
mask_token (const char *text,
            const char *token)
{
  g_autoptr(GString) out = NULL;
  const char *p;
  const char *hit;
  gsize token_len;

  if (token == NULL || (token_len = strlen (token)) < MIN_MASKED_TOKEN)
    return g_strdup (text);

  out = g_string_new (NULL);
  for (p = text; (hit = strstr (p, token)) != NULL; p = hit + token_len)
    {
      g_string_append_len (out, p, hit - p);
      g_string_append (out, "[token]");
    }
  g_string_append (out, p);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Text that came from the network, made fit to show: valid UTF-8, no control
 * characters, at most MAX_SERVER_TEXT code points. */
static char *
clean_text (const char *text)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = 0;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n >= MAX_SERVER_TEXT)
        {
          g_string_append (out, "…");
          break;
        }
      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- one request ----------------------------------------------------------- */

typedef struct _Request Request;

typedef struct {
  gpointer       value;
  GDestroyNotify value_free;
  char          *etag;
} Result;

/* Reads the success body; runs on a worker thread. Errors set here are
 * wrapped into DESK_SITE_ERROR_PROTOCOL. */
typedef gboolean (*ParseFunc) (Request   *req,
                               JsonNode  *root,
                               Result    *result,
                               GError   **error);

struct _Request
{
  /* Set before the request starts, read-only afterwards. */
  char            *method;
  char            *path;
  char            *token;          /* a copy, only to mask it in messages */
  char            *expect_id;      /* entry answers must be about this entry */
  guint            expect_status;
  gboolean         need_etag;
  ParseFunc        parse;
  guint            timeout;

  /* Main thread only. */
  SoupMessage     *message;
  GCancellable    *cancellable;    /* ours: the caller's cancel and the deadline */
  GCancellable    *user_cancellable;
  gulong           user_cancelled_id;
  GSource         *deadline;
  gboolean         timed_out;
  GInputStream    *stream;
  GByteArray      *body;

  /* Copied from the response on the main thread, for the worker. */
  guint            status;
  char            *media_type;
  char            *charset;
  char            *etag;
  int              retry_after;

  /* Set by whoever fails the request, taken by _finish. */
  DeskSiteFailure *failure;
};

static void
result_free (Result *result)
{
  if (result->value != NULL && result->value_free != NULL)
    result->value_free (result->value);
  g_free (result->etag);
  g_free (result);
}

static gpointer
result_steal (Result  *result,
              char   **etag)
{
  gpointer value = g_steal_pointer (&result->value);

  if (etag != NULL)
    *etag = g_steal_pointer (&result->etag);
  result_free (result);
  return value;
}

static void
request_end_io (Request *req)
{
  if (req->deadline != NULL)
    {
      g_source_destroy (req->deadline);
      g_clear_pointer (&req->deadline, g_source_unref);
    }
  if (req->user_cancelled_id != 0)
    {
      g_cancellable_disconnect (req->user_cancellable, req->user_cancelled_id);
      req->user_cancelled_id = 0;
    }
}

/* Drops a response stream whose body we do not want (or cannot finish):
 * closing a SoupClientInputStream reads the rest of the body, so it is closed
 * with a cancelled cancellable, which also keeps the connection from being
 * reused. */
static void
request_abandon_stream (Request *req)
{
  if (req->stream == NULL)
    return;

  g_cancellable_cancel (req->cancellable);
  g_input_stream_close (req->stream, req->cancellable, NULL);
  g_clear_object (&req->stream);
}

static void
request_free (Request *req)
{
  request_end_io (req);
  request_abandon_stream (req);
  g_free (req->method);
  g_free (req->path);
  if (req->token != NULL)
    memset (req->token, 0, strlen (req->token));
  g_free (req->token);
  g_free (req->expect_id);
  g_clear_object (&req->message);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->user_cancellable);
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_free (req->media_type);
  g_free (req->charset);
  g_free (req->etag);
  g_clear_pointer (&req->failure, desk_site_failure_free);
  g_free (req);
}

/* Records the failure of @req and builds its GError; the message goes
 * through mask_token() whatever its source. Takes @api_error. */
static void
request_fail (Request       *req,
              GError       **error,
              DeskSiteError  code,
              DeskApiError  *api_error,
              const char    *format,
              ...) G_GNUC_PRINTF (5, 6);

static void
request_fail (Request       *req,
              GError       **error,
              DeskSiteError  code,
              DeskApiError  *api_error,
              const char    *format,
              ...)
{
  g_autofree char *message = NULL;
  g_autofree char *masked = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  masked = mask_token (message, req->token);

  /* The UI may show the site's own message as well. */
  if (api_error != NULL && api_error->message != NULL)
    {
      char *masked_message = mask_token (api_error->message, req->token);

      g_free (api_error->message);
      api_error->message = masked_message;
    }

  g_clear_pointer (&req->failure, desk_site_failure_free);
  req->failure = desk_site_failure_new (code, req->status, req->retry_after, api_error);
  g_set_error_literal (error, DESK_SITE_ERROR, code, masked);
  g_debug ("%s %s failed: %s", req->method, req->path, masked);
}

static gboolean
media_type_is_json (Request *req)
{
  return req->media_type != NULL &&
         g_ascii_strcasecmp (req->media_type, "application/json") == 0 &&
         (req->charset == NULL || g_ascii_strcasecmp (req->charset, "utf-8") == 0);
}

static JsonNode *
request_parse_body (Request  *req,
                    GError  **error)
{
  const char *data = req->body && req->body->len > 0 ? (const char *) req->body->data : "";
  gsize len = req->body ? req->body->len : 0;

  return desk_json_parse (data, len, DESK_SITE_CLIENT_MAX_RESPONSE, 0, error);
}

static Result *
interpret_success (Request  *req,
                   GError  **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  Result *result = g_new0 (Result, 1);

  if (req->parse == NULL)
    return result;

  if (!media_type_is_json (req))
    {
      g_autofree char *shown = clean_text (req->media_type ? req->media_type : _("no content type"));

      request_fail (req, error, DESK_SITE_ERROR_PROTOCOL, NULL,
                    _("The site sent “%s” instead of JSON (status %u). It may not be a Digest Desk site."),
                    shown, req->status);
      result_free (result);
      return NULL;
    }

  root = request_parse_body (req, &local_error);
  if (root == NULL)
    {
      g_autofree char *shown = clean_text (local_error->message);

      request_fail (req, error, DESK_SITE_ERROR_PROTOCOL, NULL,
                    _("The site sent a malformed answer: %s"), shown);
      result_free (result);
      return NULL;
    }

  if (!req->parse (req, root, result, &local_error))
    {
      g_autofree char *shown = clean_text (local_error->message);

      request_fail (req, error, DESK_SITE_ERROR_PROTOCOL, NULL,
                    _("The site’s answer does not follow the Site API: %s"), shown);
      result_free (result);
      return NULL;
    }

  return result;
}

static char *
describe_fields (const DeskApiError *api_error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint shown = MIN (api_error->fields->len, 3);

  for (guint i = 0; i < shown; i++)
    {
      const DeskFieldError *field = g_ptr_array_index (api_error->fields, i);
      g_autofree char *name = clean_text (field->field);
      g_autofree char *message = clean_text (field->message);

      if (i > 0)
        g_string_append (out, "; ");
      g_string_append_printf (out, "%s: %s", name, message);
    }
  if (api_error->fields->len > shown)
    g_string_append_printf (out, _(" (and %u more)"), api_error->fields->len - shown);
  if (api_error->fields->len == 0)
    {
      g_autofree char *message = clean_text (api_error->message);

      g_string_append (out, message);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Maps an error status to its code. 409, 412 and 422 need a valid error
 * body because their data is what the caller acts on; the other statuses are
 * decided by the status alone (a proxy's HTML 503 is still a server error),
 * with the body kept when it is a valid error document. */
static void
interpret_failure (Request  *req,
                   GError  **error)
{
  g_autoptr(DeskApiError) api_error = NULL;
  g_autoptr(GError) body_error = NULL;
  g_autofree char *server_text = NULL;
  guint status = req->status;

  if (!media_type_is_json (req))
    g_set_error (&body_error, DESK_JSON_ERROR, DESK_JSON_ERROR_SYNTAX,
                 _("the error body is “%s”, not JSON"),
                 req->media_type ? req->media_type : _("without a content type"));
  else
    {
      g_autoptr(JsonNode) root = request_parse_body (req, &body_error);

      if (root != NULL)
        api_error = desk_api_error_new_from_json (root, &body_error);
    }
  server_text = clean_text (api_error ? api_error->message : "");

  if (status == 409 || status == 412 || status == 422)
    {
      const char *code;

      if (api_error == NULL)
        {
          g_autofree char *shown = clean_text (body_error->message);

          request_fail (req, error, DESK_SITE_ERROR_PROTOCOL, NULL,
                        _("The site answered %u with a malformed error body: %s"),
                        status, shown);
          return;
        }

      code = api_error->code;
      if (status == 409 && g_strcmp0 (code, "locked") == 0)
        {
          g_autofree char *editor = NULL;
          g_autofree char *until = NULL;

          if (api_error->lock == NULL)
            {
              request_fail (req, error, DESK_SITE_ERROR_PROTOCOL, NULL,
                            _("The site said the entry is locked (409) but did not say by whom."));
              return;
            }
          editor = clean_text (api_error->lock->editor);
          until = clean_text (api_error->lock->expires_at);
          request_fail (req, error, DESK_SITE_ERROR_LOCKED, g_steal_pointer (&api_error),
                        _("%s is editing this entry on the site until %s (409)."), editor, until);
        }
      else if (status == 409)
        request_fail (req, error, DESK_SITE_ERROR_CONFLICT, g_steal_pointer (&api_error),
                      _("The site refused this because of the entry’s current state (409): %s"),
                      server_text);
      else if (status == 412)
        {
          if (api_error->current == NULL && api_error->current_glossary == NULL)
            {
              request_fail (req, error, DESK_SITE_ERROR_PROTOCOL, NULL,
                            _("The site said the revision is stale (412) but did not send the current one."));
              return;
            }
          request_fail (req, error, DESK_SITE_ERROR_PRECONDITION_FAILED, g_steal_pointer (&api_error),
                        _("Someone changed this on the site since it was loaded (412)."));
        }
      else if (g_strcmp0 (code, "idempotency_key_reused") == 0)
        request_fail (req, error, DESK_SITE_ERROR_IDEMPOTENCY_KEY_REUSED, g_steal_pointer (&api_error),
                      _("The site has already seen this publish key with another entry or revision (422)."));
      else
        {
          g_autofree char *fields = NULL;

          if (api_error->fields == NULL)
            {
              request_fail (req, error, DESK_SITE_ERROR_PROTOCOL, NULL,
                            _("The site refused the change (422) but did not say which fields are wrong."));
              return;
            }
          fields = describe_fields (api_error);
          request_fail (req, error, DESK_SITE_ERROR_INVALID, g_steal_pointer (&api_error),
                        _("The site refused the change (422): %s"), fields);
        }
      return;
    }

  switch (status)
    {
    case 400:
    case 405:
    case 415:
      request_fail (req, error, DESK_SITE_ERROR_BAD_REQUEST, g_steal_pointer (&api_error),
                    _("The site refused the request as malformed (%u): %s"), status, server_text);
      break;

    case 401:
      request_fail (req, error, DESK_SITE_ERROR_UNAUTHORIZED, g_steal_pointer (&api_error),
                    _("The site refused the token (401). Check the account in Preferences."));
      break;

    case 403:
      request_fail (req, error, DESK_SITE_ERROR_FORBIDDEN, g_steal_pointer (&api_error),
                    _("This account is not allowed to do that on the site (403)."));
      break;

    case 404:
      request_fail (req, error, DESK_SITE_ERROR_NOT_FOUND, g_steal_pointer (&api_error),
                    _("The site does not have this (404)."));
      break;

    case 413:
      request_fail (req, error, DESK_SITE_ERROR_TOO_LARGE, g_steal_pointer (&api_error),
                    _("The change is too large for the site (413)."));
      break;

    case 428:
      request_fail (req, error, DESK_SITE_ERROR_PRECONDITION_REQUIRED, g_steal_pointer (&api_error),
                    _("The site needs to know which revision this change is based on (428)."));
      break;

    case 429:
      if (req->retry_after >= 0)
        request_fail (req, error, DESK_SITE_ERROR_RATE_LIMITED, g_steal_pointer (&api_error),
                      _("The site is receiving too many requests (429); it asks to wait %d s."),
                      req->retry_after);
      else
        request_fail (req, error, DESK_SITE_ERROR_RATE_LIMITED, g_steal_pointer (&api_error),
                      _("The site is receiving too many requests (429)."));
      break;

    default:
      if (status >= 500 && status <= 599)
        {
          if (req->retry_after >= 0)
            request_fail (req, error, DESK_SITE_ERROR_SERVER, g_steal_pointer (&api_error),
                          _("The site has a problem (%u); it asks to wait %d s."),
                          status, req->retry_after);
          else
            request_fail (req, error, DESK_SITE_ERROR_SERVER, g_steal_pointer (&api_error),
                          _("The site has a problem (%u). Try again later."), status);
        }
      else
        request_fail (req, error, DESK_SITE_ERROR_PROTOCOL, NULL,
                      _("The site answered with the unexpected status %u."), status);
      break;
    }
}

static void
interpret_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Request *req = task_data;
  g_autoptr(GError) error = NULL;
  Result *result = NULL;

  if (req->status == req->expect_status)
    result = interpret_success (req, &error);
  else
    interpret_failure (req, &error);

  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) result_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
return_transport_error (GTask  *task,
                        GError *transport_error)
{
  Request *req = g_task_get_task_data (task);
  GCancellable *user_cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) io_error = transport_error;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = clean_text (io_error->message);

  request_end_io (req);
  request_abandon_stream (req);

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      user_cancellable != NULL && g_cancellable_is_cancelled (user_cancellable) &&
      !req->timed_out)
    {
      g_task_return_error (task, g_steal_pointer (&io_error));
      return;
    }

  if (req->timed_out || g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    request_fail (req, &error, DESK_SITE_ERROR_TIMEOUT, NULL,
                  g_dngettext (GETTEXT_PACKAGE,
                               "The site did not answer within %u second.",
                               "The site did not answer within %u seconds.",
                               req->timeout),
                  req->timeout);
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    request_fail (req, &error, DESK_SITE_ERROR_TIMEOUT, NULL,
                  _("The site did not answer in time: %s"), shown);
  else if (io_error->domain == G_TLS_ERROR)
    request_fail (req, &error, DESK_SITE_ERROR_TLS, NULL,
                  _("The site’s secure connection cannot be trusted, so nothing was sent: %s"),
                  shown);
  else if (io_error->domain == SOUP_SESSION_ERROR)
    request_fail (req, &error, DESK_SITE_ERROR_PROTOCOL, NULL,
                  _("The site’s answer could not be read: %s"), shown);
  else if (req->status != 0)
    request_fail (req, &error, DESK_SITE_ERROR_NETWORK, NULL,
                  _("The connection to the site broke while its answer arrived: %s"), shown);
  else
    request_fail (req, &error, DESK_SITE_ERROR_NETWORK, NULL,
                  _("Could not reach the site: %s"), shown);

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
return_protocol_error (GTask      *task,
                       const char *message)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  request_end_io (req);
  request_abandon_stream (req);
  request_fail (req, &error, DESK_SITE_ERROR_PROTOCOL, NULL, "%s", message);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void read_next (GTask *task);

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      /* At the end of the body closing is immediate and lets the
       * connection be reused. */
      g_input_stream_close (req->stream, NULL, NULL);
      g_clear_object (&req->stream);
      request_end_io (req);
      g_task_run_in_thread (task, interpret_thread);
      return;
    }

  if (req->body->len + size > DESK_SITE_CLIENT_MAX_RESPONSE)
    {
      return_protocol_error (task, _("The site’s answer is larger than 16 MiB; it was not read."));
      return;
    }

  g_byte_array_append (req->body, g_bytes_get_data (bytes, NULL), size);
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   req->cancellable, on_read, task);
}

/* Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
static int
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 seconds;
  char *end = NULL;

  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_isdigit (*value))
    {
      guint64 parsed = g_ascii_strtoull (value, &end, 10);

      while (end != NULL && g_ascii_isspace (*end))
        end++;
      if (end == NULL || *end != '\0')
        return -1;
      return (int) MIN (parsed, MAX_RETRY_AFTER);
    }

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  seconds = g_date_time_difference (date, now) / G_TIME_SPAN_SECOND;
  return (int) CLAMP (seconds, 0, MAX_RETRY_AFTER);
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GHashTable) params = NULL;
  SoupMessageHeaders *headers;
  const char *media_type;
  GError *error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (req->stream == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  req->status = soup_message_get_status (req->message);
  headers = soup_message_get_response_headers (req->message);
  media_type = soup_message_headers_get_content_type (headers, &params);
  req->media_type = g_strdup (media_type);
  if (params != NULL)
    req->charset = g_strdup (g_hash_table_lookup (params, "charset"));
  req->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  req->retry_after = parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"));

  g_debug ("%s %s: %u", req->method, req->path, req->status);

  if (req->status >= 300 && req->status <= 399)
    {
      g_autofree char *message =
        g_strdup_printf (_("The site answered with a redirect (%u), which is not followed. Check the site address."),
                         req->status);

      return_protocol_error (task, message);
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) DESK_SITE_CLIENT_MAX_RESPONSE)
    {
      return_protocol_error (task, _("The site’s answer is larger than 16 MiB; it was not read."));
      return;
    }

  req->body = g_byte_array_new ();
  read_next (g_steal_pointer (&task));
}

static gboolean
on_deadline (gpointer user_data)
{
  Request *req = user_data;

  req->timed_out = TRUE;
  g_cancellable_cancel (req->cancellable);
  g_clear_pointer (&req->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
on_user_cancelled (GCancellable *user_cancellable,
                   GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

/* Any byte outside visible ASCII would break the header or be refused by
 * libsoup; say so without repeating the token. */
static gboolean
token_is_sendable (const char *token)
{
  for (const char *p = token; *p != '\0'; p++)
    if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
      return FALSE;
  return *token != '\0';
}

static char *
escape_id (const char *id)
{
  /* "." and ".." are valid ids but would be removed as dot segments. */
  if (strcmp (id, ".") == 0)
    return g_strdup ("%2E");
  if (strcmp (id, "..") == 0)
    return g_strdup ("%2E%2E");
  return g_uri_escape_string (id, NULL, FALSE);
}

static GTask *
request_new (DeskSiteClient *self,
             const char     *method,
             const char     *rel_path,
             const char     *query,
             guint           expect_status,
             ParseFunc       parse,
             GCancellable   *cancellable,
             GAsyncReadyCallback callback,
             gpointer        user_data,
             gpointer        source_tag)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;
  Request *req;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  req = g_new0 (Request, 1);
  req->method = g_strdup (method);
  req->path = g_strconcat (self->base_path, "/api/v1", rel_path, NULL);
  req->token = g_strdup (self->token);
  req->expect_status = expect_status;
  req->parse = parse;
  req->timeout = self->timeout;
  req->retry_after = -1;
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  uri = g_uri_build (G_URI_FLAGS_ENCODED,
                     g_uri_get_scheme (self->base_uri), NULL,
                     g_uri_get_host (self->base_uri), g_uri_get_port (self->base_uri),
                     req->path, query, NULL);
  req->message = soup_message_new_from_uri (method, uri);
  soup_message_add_flags (req->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (req->message),
                                "Accept", "application/json");
  return task;
}

static void
request_set_json_body (GTask    *task,
                       JsonNode *node)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  char *data;

  data = desk_json_to_string (node, FALSE, &len);
  bytes = g_bytes_new_take (data, len);
  soup_message_set_request_body_from_bytes (req->message, "application/json; charset=utf-8", bytes);
}

static void
request_set_header (GTask      *task,
                    const char *name,
                    const char *value)
{
  Request *req = g_task_get_task_data (task);

  if (value != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (req->message), name, value);
}

static void
request_start (DeskSiteClient *self,
               GTask          *task)
{
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  if (req->token != NULL && !token_is_sendable (req->token))
    {
      request_fail (req, &error, DESK_SITE_ERROR_UNAUTHORIZED, NULL,
                    _("The token has characters that cannot be sent. Check the account in Preferences."));
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (req->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", req->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (req->message),
                                    "Authorization", value);
      memset (value, 0, strlen (value));
    }

  req->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      req->user_cancellable = g_object_ref (cancellable);
      req->user_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_user_cancelled),
                                                      g_object_ref (req->cancellable),
                                                      g_object_unref);
    }

  req->deadline = g_timeout_source_new ((guint) MIN ((guint64) req->timeout * 1000, G_MAXUINT));
  g_source_set_name (req->deadline, "[desk-net] request deadline");
  g_source_set_callback (req->deadline, on_deadline, req, NULL);
  g_source_attach (req->deadline, g_task_get_context (task));

  soup_session_send_async (self->session, req->message, G_PRIORITY_DEFAULT,
                           req->cancellable, on_sent, task);
}

static Result *
request_finish (DeskSiteClient   *self,
                GAsyncResult     *result,
                gpointer          source_tag,
                DeskSiteFailure **failure,
                GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  Request *req;
  Result *res;

  if (failure != NULL)
    *failure = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  req = g_task_get_task_data (G_TASK (result));
  res = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (res != NULL)
    return res;

  if (failure != NULL && local_error->domain == DESK_SITE_ERROR)
    *failure = g_steal_pointer (&req->failure);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* ---- response readers (worker thread) ------------------------------------ */

static gboolean
parse_account (Request   *req,
               JsonNode  *root,
               Result    *result,
               GError   **error)
{
  result->value = desk_account_new_from_json (root, error);
  result->value_free = (GDestroyNotify) desk_account_free;
  return result->value != NULL;
}

static gboolean
parse_config (Request   *req,
              JsonNode  *root,
              Result    *result,
              GError   **error)
{
  result->value = desk_site_config_new_from_json (root, error);
  result->value_free = (GDestroyNotify) desk_site_config_free;
  return result->value != NULL;
}

static gboolean
parse_page (Request   *req,
            JsonNode  *root,
            Result    *result,
            GError   **error)
{
  result->value = desk_entry_page_new_from_json (root, error);
  result->value_free = (GDestroyNotify) desk_entry_page_free;
  return result->value != NULL;
}

static gboolean
check_entry (Request   *req,
             DeskEntry *entry,
             Result    *result,
             GError   **error)
{
  g_autofree char *etag = desk_entry_dup_etag (entry);

  if (req->expect_id != NULL && g_strcmp0 (desk_entry_get_id (entry), req->expect_id) != 0)
    {
      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_INVALID,
                   _("id: the answer is about another entry"));
      return FALSE;
    }
  if (req->etag == NULL && req->need_etag)
    {
      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_MISSING,
                   _("the ETag header is missing"));
      return FALSE;
    }
  if (req->etag != NULL && strcmp (req->etag, etag) != 0)
    {
      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_INVALID,
                   _("the ETag header does not match the entry’s revision (%s)"), etag);
      return FALSE;
    }
  result->etag = g_steal_pointer (&etag);
  return TRUE;
}

static gboolean
parse_entry (Request   *req,
             JsonNode  *root,
             Result    *result,
             GError   **error)
{
  g_autoptr(DeskEntry) entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, error);

  if (entry == NULL || !check_entry (req, entry, result, error))
    return FALSE;
  result->value = g_steal_pointer (&entry);
  result->value_free = g_object_unref;
  return TRUE;
}

static gboolean
parse_publish (Request   *req,
               JsonNode  *root,
               Result    *result,
               GError   **error)
{
  g_autoptr(DeskEntry) entry = NULL;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (member = json_object_get_member (json_node_get_object (root), "entry")) == NULL)
    {
      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_MISSING, _("entry: missing"));
      return FALSE;
    }

  entry = desk_entry_new_from_json (member, DESK_ENTRY_FORM_FULL, error);
  if (entry == NULL)
    {
      g_prefix_error (error, "entry.");
      return FALSE;
    }
  if (!check_entry (req, entry, result, error))
    return FALSE;
  if (desk_entry_get_published (entry) == NULL)
    {
      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_MISSING,
                   _("entry.published: missing after a publish"));
      return FALSE;
    }
  result->value = g_steal_pointer (&entry);
  result->value_free = g_object_unref;
  return TRUE;
}

static gboolean
parse_lock (Request   *req,
            JsonNode  *root,
            Result    *result,
            GError   **error)
{
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (member = json_object_get_member (json_node_get_object (root), "lock")) == NULL ||
      JSON_NODE_HOLDS_NULL (member))
    {
      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_MISSING, _("lock: missing"));
      return FALSE;
    }

  result->value = desk_lock_new_from_json (member, "lock", error);
  result->value_free = (GDestroyNotify) desk_lock_free;
  return result->value != NULL;
}

static gboolean
parse_glossary (Request   *req,
                JsonNode  *root,
                Result    *result,
                GError   **error)
{
  g_autoptr(DeskGlossary) glossary = desk_glossary_new_from_json (root, TRUE, error);
  g_autofree char *etag = NULL;

  if (glossary == NULL)
    return FALSE;

  etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", glossary->revision);
  if (req->etag == NULL && req->need_etag)
    {
      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_MISSING,
                   _("the ETag header is missing"));
      return FALSE;
    }
  if (req->etag != NULL && strcmp (req->etag, etag) != 0)
    {
      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_INVALID,
                   _("the ETag header does not match the glossary’s revision (%s)"), etag);
      return FALSE;
    }
  result->etag = g_steal_pointer (&etag);
  result->value = g_steal_pointer (&glossary);
  result->value_free = (GDestroyNotify) desk_glossary_free;
  return TRUE;
}

/* ---- endpoints ------------------------------------------------------------ */

char *
desk_site_new_idempotency_key (void)
{
  return g_uuid_string_random ();
}

static gboolean
idempotency_key_is_valid (const char *key)
{
  gsize len = 0;

  for (const char *p = key; *p != '\0'; p++, len++)
    if ((guchar) *p < 0x20 || (guchar) *p > 0x7e || len >= 128)
      return FALSE;
  return len >= 1;
}

static char *
entry_path (const char *id,
            const char *suffix)
{
  g_autofree char *escaped = escape_id (id);

  return g_strconcat ("/entries/", escaped, suffix, NULL);
}

void
desk_site_client_get_me_async (DeskSiteClient      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_new (self, "GET", "/me", NULL, 200, parse_account,
                      cancellable, callback, user_data, desk_site_client_get_me_async);
  request_start (self, task);
}

DeskAccount *
desk_site_client_get_me_finish (DeskSiteClient   *self,
                                GAsyncResult     *result,
                                DeskSiteFailure **failure,
                                GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_get_me_async, failure, error);

  return res ? result_steal (res, NULL) : NULL;
}

void
desk_site_client_get_config_async (DeskSiteClient      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_new (self, "GET", "/config", NULL, 200, parse_config,
                      cancellable, callback, user_data, desk_site_client_get_config_async);
  request_start (self, task);
}

DeskSiteConfig *
desk_site_client_get_config_finish (DeskSiteClient   *self,
                                    GAsyncResult     *result,
                                    DeskSiteFailure **failure,
                                    GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_get_config_async, failure, error);

  return res ? result_steal (res, NULL) : NULL;
}

void
desk_site_client_list_entries_async (DeskSiteClient        *self,
                                     const char            *since,
                                     const DeskEntryStatus *statuses,
                                     gsize                  n_statuses,
                                     guint                  limit,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);
  GTask *task;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (statuses != NULL || n_statuses == 0);
  g_return_if_fail (limit <= 500);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (since != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (since, NULL, FALSE);

      g_string_append_printf (query, "since=%s", escaped);
    }
  if (n_statuses > 0)
    {
      g_string_append (query, query->len ? "&status=" : "status=");
      for (gsize i = 0; i < n_statuses; i++)
        {
          const char *name = desk_entry_status_to_string (statuses[i]);

          g_return_if_fail (name != NULL);
          if (i > 0)
            g_string_append_c (query, ',');
          g_string_append (query, name);
        }
    }
  if (limit > 0)
    g_string_append_printf (query, "%slimit=%u", query->len ? "&" : "", limit);

  task = request_new (self, "GET", "/entries", query->len ? query->str : NULL, 200, parse_page,
                      cancellable, callback, user_data, desk_site_client_list_entries_async);
  request_start (self, task);
}

DeskEntryPage *
desk_site_client_list_entries_finish (DeskSiteClient   *self,
                                      GAsyncResult     *result,
                                      DeskSiteFailure **failure,
                                      GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_list_entries_async, failure, error);

  return res ? result_steal (res, NULL) : NULL;
}

void
desk_site_client_get_entry_async (DeskSiteClient      *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;
  Request *req;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (desk_entry_id_is_valid (id));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = entry_path (id, NULL);
  task = request_new (self, "GET", path, NULL, 200, parse_entry,
                      cancellable, callback, user_data, desk_site_client_get_entry_async);
  req = g_task_get_task_data (task);
  req->expect_id = g_strdup (id);
  req->need_etag = TRUE;
  request_start (self, task);
}

DeskEntry *
desk_site_client_get_entry_finish (DeskSiteClient   *self,
                                   GAsyncResult     *result,
                                   char            **etag,
                                   DeskSiteFailure **failure,
                                   GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_get_entry_async, failure, error);

  if (etag != NULL)
    *etag = NULL;
  return res ? result_steal (res, etag) : NULL;
}

void
desk_site_client_patch_entry_async (DeskSiteClient      *self,
                                    const char          *id,
                                    const char          *if_match,
                                    const DeskEditable  *fields,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  GTask *task;
  Request *req;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (desk_entry_id_is_valid (id));
  g_return_if_fail (fields != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = entry_path (id, NULL);
  task = request_new (self, "PATCH", path, NULL, 200, parse_entry,
                      cancellable, callback, user_data, desk_site_client_patch_entry_async);
  req = g_task_get_task_data (task);
  req->expect_id = g_strdup (id);
  body = desk_editable_to_json (fields);
  request_set_json_body (task, body);
  request_set_header (task, "If-Match", if_match);
  request_start (self, task);
}

DeskEntry *
desk_site_client_patch_entry_finish (DeskSiteClient   *self,
                                     GAsyncResult     *result,
                                     DeskSiteFailure **failure,
                                     GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_patch_entry_async, failure, error);

  return res ? result_steal (res, NULL) : NULL;
}

void
desk_site_client_set_status_async (DeskSiteClient      *self,
                                   const char          *id,
                                   const char          *if_match,
                                   DeskEntryStatus      status,
                                   const char          *reason,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  JsonObject *object;
  GTask *task;
  Request *req;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (desk_entry_id_is_valid (id));
  g_return_if_fail (desk_entry_status_to_string (status) != NULL);
  g_return_if_fail (reason == NULL || g_utf8_validate (reason, -1, NULL));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = entry_path (id, "/status");
  task = request_new (self, "POST", path, NULL, 200, parse_entry,
                      cancellable, callback, user_data, desk_site_client_set_status_async);
  req = g_task_get_task_data (task);
  req->expect_id = g_strdup (id);

  object = json_object_new ();
  json_object_set_string_member (object, "status", desk_entry_status_to_string (status));
  if (reason != NULL)
    json_object_set_string_member (object, "reason", reason);
  body = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);

  request_set_json_body (task, body);
  request_set_header (task, "If-Match", if_match);
  request_start (self, task);
}

DeskEntry *
desk_site_client_set_status_finish (DeskSiteClient   *self,
                                    GAsyncResult     *result,
                                    DeskSiteFailure **failure,
                                    GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_set_status_async, failure, error);

  return res ? result_steal (res, NULL) : NULL;
}

void
desk_site_client_publish_async (DeskSiteClient      *self,
                                const char          *id,
                                const char          *if_match,
                                const char          *idempotency_key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;
  Request *req;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (desk_entry_id_is_valid (id));
  g_return_if_fail (idempotency_key != NULL && idempotency_key_is_valid (idempotency_key));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = entry_path (id, "/publish");
  task = request_new (self, "POST", path, NULL, 200, parse_publish,
                      cancellable, callback, user_data, desk_site_client_publish_async);
  req = g_task_get_task_data (task);
  req->expect_id = g_strdup (id);
  request_set_header (task, "If-Match", if_match);
  request_set_header (task, "Idempotency-Key", idempotency_key);
  request_start (self, task);
}

DeskEntry *
desk_site_client_publish_finish (DeskSiteClient   *self,
                                 GAsyncResult     *result,
                                 DeskSiteFailure **failure,
                                 GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_publish_async, failure, error);

  return res ? result_steal (res, NULL) : NULL;
}

void
desk_site_client_take_lock_async (DeskSiteClient      *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (desk_entry_id_is_valid (id));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = entry_path (id, "/lock");
  task = request_new (self, "PUT", path, NULL, 200, parse_lock,
                      cancellable, callback, user_data, desk_site_client_take_lock_async);
  request_start (self, task);
}

DeskLock *
desk_site_client_take_lock_finish (DeskSiteClient   *self,
                                   GAsyncResult     *result,
                                   DeskSiteFailure **failure,
                                   GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_take_lock_async, failure, error);

  return res ? result_steal (res, NULL) : NULL;
}

void
desk_site_client_release_lock_async (DeskSiteClient      *self,
                                     const char          *id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (desk_entry_id_is_valid (id));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = entry_path (id, "/lock");
  task = request_new (self, "DELETE", path, NULL, 204, NULL,
                      cancellable, callback, user_data, desk_site_client_release_lock_async);
  request_start (self, task);
}

gboolean
desk_site_client_release_lock_finish (DeskSiteClient   *self,
                                      GAsyncResult     *result,
                                      DeskSiteFailure **failure,
                                      GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_release_lock_async, failure, error);

  if (res == NULL)
    return FALSE;
  result_free (res);
  return TRUE;
}

void
desk_site_client_create_entry_async (DeskSiteClient      *self,
                                     DeskEntry           *entry,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  GTask *task;
  Request *req;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (DESK_IS_ENTRY (entry));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_new (self, "POST", "/entries", NULL, 201, parse_entry,
                      cancellable, callback, user_data, desk_site_client_create_entry_async);
  req = g_task_get_task_data (task);
  req->expect_id = g_strdup (desk_entry_get_id (entry));
  body = desk_entry_to_json (entry, DESK_ENTRY_FORM_PIPELINE);
  request_set_json_body (task, body);
  request_start (self, task);
}

DeskEntry *
desk_site_client_create_entry_finish (DeskSiteClient   *self,
                                      GAsyncResult     *result,
                                      DeskSiteFailure **failure,
                                      GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_create_entry_async, failure, error);

  return res ? result_steal (res, NULL) : NULL;
}

void
desk_site_client_get_glossary_async (DeskSiteClient      *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_new (self, "GET", "/glossary", NULL, 200, parse_glossary,
                      cancellable, callback, user_data, desk_site_client_get_glossary_async);
  req = g_task_get_task_data (task);
  req->need_etag = TRUE;
  request_start (self, task);
}

DeskGlossary *
desk_site_client_get_glossary_finish (DeskSiteClient   *self,
                                      GAsyncResult     *result,
                                      char            **etag,
                                      DeskSiteFailure **failure,
                                      GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_get_glossary_async, failure, error);

  if (etag != NULL)
    *etag = NULL;
  return res ? result_steal (res, etag) : NULL;
}

void
desk_site_client_put_glossary_async (DeskSiteClient      *self,
                                     const char          *if_match,
                                     const DeskGlossary  *glossary,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  GTask *task;

  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (glossary != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_new (self, "PUT", "/glossary", NULL, 200, parse_glossary,
                      cancellable, callback, user_data, desk_site_client_put_glossary_async);
  body = desk_glossary_to_json (glossary, FALSE);
  request_set_json_body (task, body);
  request_set_header (task, "If-Match", if_match);
  request_start (self, task);
}

DeskGlossary *
desk_site_client_put_glossary_finish (DeskSiteClient   *self,
                                      GAsyncResult     *result,
                                      char            **etag,
                                      DeskSiteFailure **failure,
                                      GError          **error)
{
  Result *res = request_finish (self, result, desk_site_client_put_glossary_async, failure, error);

  if (etag != NULL)
    *etag = NULL;
  return res ? result_steal (res, etag) : NULL;
}

/* ---- the object ------------------------------------------------------------ */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* The URL itself is never repeated in a message: a user may have pasted
 * one with a secret in it. */
static gboolean
desk_site_client_initable_init (GInitable     *initable,
                                GCancellable  *cancellable,
                                GError       **error)
{
  DeskSiteClient *self = DESK_SITE_CLIENT (initable);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  const char *path;

  if (self->base_url == NULL ||
      (uri = g_uri_parse (self->base_url, G_URI_FLAGS_ENCODED, NULL)) == NULL)
    {
      g_set_error_literal (error, DESK_SITE_ERROR, DESK_SITE_ERROR_BAD_URL,
                           _("The site address is not a valid web address."));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error_literal (error, DESK_SITE_ERROR, DESK_SITE_ERROR_BAD_URL,
                           _("The site address must start with https://."));
      return FALSE;
    }
  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, DESK_SITE_ERROR, DESK_SITE_ERROR_BAD_URL,
                           _("The site address has no host name."));
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, DESK_SITE_ERROR, DESK_SITE_ERROR_BAD_URL,
                           _("The site address must not contain a user name or password; "
                             "the token is set in Preferences."));
      return FALSE;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, DESK_SITE_ERROR, DESK_SITE_ERROR_BAD_URL,
                           _("The site address must not contain “?” or “#”."));
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (host))
    {
      g_set_error (error, DESK_SITE_ERROR, DESK_SITE_ERROR_BAD_URL,
                   _("The site address must use https:// to reach %s; plain http:// is only "
                     "allowed for this computer (127.0.0.1, ::1, localhost)."),
                   host);
      return FALSE;
    }

  path = g_uri_get_path (uri);
  self->base_path = g_strdup (path);
  while (*self->base_path != '\0' && g_str_has_suffix (self->base_path, "/"))
    self->base_path[strlen (self->base_path) - 1] = '\0';
  self->base_uri = g_steal_pointer (&uri);

  self->session = soup_session_new_with_options ("timeout", self->io_timeout,
                                                 "idle-timeout", self->idle_timeout,
                                                 "max-conns-per-host", 4,
                                                 "user-agent", "DigestDesk/" PACKAGE_VERSION,
                                                 NULL);
  return TRUE;
}

static void
desk_site_client_initable_iface_init (GInitableIface *iface)
{
  iface->init = desk_site_client_initable_init;
}

static void
desk_site_client_dispose (GObject *object)
{
  DeskSiteClient *self = DESK_SITE_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (desk_site_client_parent_class)->dispose (object);
}

static void
desk_site_client_finalize (GObject *object)
{
  DeskSiteClient *self = DESK_SITE_CLIENT (object);

  g_free (self->base_url);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_free (self->base_path);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);

  G_OBJECT_CLASS (desk_site_client_parent_class)->finalize (object);
}

static void
desk_site_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DeskSiteClient *self = DESK_SITE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_IO_TIMEOUT:
      g_value_set_uint (value, self->io_timeout);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_site_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DeskSiteClient *self = DESK_SITE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      self->base_url = g_value_dup_string (value);
      break;
    case PROP_TOKEN:
      desk_site_client_set_token (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      desk_site_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_IO_TIMEOUT:
      self->io_timeout = g_value_get_uint (value);
      break;
    case PROP_IDLE_TIMEOUT:
      self->idle_timeout = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_site_client_class_init (DeskSiteClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_site_client_dispose;
  object_class->finalize = desk_site_client_finalize;
  object_class->get_property = desk_site_client_get_property;
  object_class->set_property = desk_site_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Write-only, so that nothing can read the secret back through GObject. */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_IO_TIMEOUT] =
    g_param_spec_uint ("io-timeout", NULL, NULL, 1, 600, 20,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_site_client_init (DeskSiteClient *self)
{
  self->timeout = 60;
  self->io_timeout = 20;
  self->idle_timeout = 60;
}

DeskSiteClient *
desk_site_client_new (const char  *base_url,
                      const char  *token,
                      GError     **error)
{
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (DESK_TYPE_SITE_CLIENT, NULL, error,
                         "base-url", base_url,
                         "token", token,
                         NULL);
}

const char *
desk_site_client_get_base_url (DeskSiteClient *self)
{
  g_return_val_if_fail (DESK_IS_SITE_CLIENT (self), NULL);

  return self->base_url;
}

void
desk_site_client_set_token (DeskSiteClient *self,
                            const char     *token)
{
  g_return_if_fail (DESK_IS_SITE_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

guint
desk_site_client_get_timeout (DeskSiteClient *self)
{
  g_return_val_if_fail (DESK_IS_SITE_CLIENT (self), 0);

  return self->timeout;
}

void
desk_site_client_set_timeout (DeskSiteClient *self,
                              guint           seconds)
{
  g_return_if_fail (DESK_IS_SITE_CLIENT (self));
  g_return_if_fail (seconds >= 1);

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}
