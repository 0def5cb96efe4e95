/* desk-site-server.c: the HTTP side of digest-site: routing, checks and handlers of Site API v1
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "desk-site-server.h"

#define CONTENT_TYPE_JSON "application/json; charset=utf-8"
#define REQUEST_KEY       "desk-site-request"
/* Stored entries may exceed the request caps (the editable fields are
 * copies of machine), so they are read back with looser ones. */
#define STORED_MAX_BYTES  ((gsize) G_MAXSSIZE)
#define STORED_MAX_DEPTH  256
#define REASON_MAX_CHARS  2000
#define KEY_MAX_CHARS     128
#define DISCARD_MAX_BYTES ((guint64) 64 * 1024 * 1024)
#define LISTEN_BACKLOG    128

typedef enum {
  ROUTE_ME,
  ROUTE_CONFIG,
  ROUTE_ENTRIES,
  ROUTE_ENTRY,
  ROUTE_ENTRY_STATUS,
  ROUTE_ENTRY_PUBLISH,
  ROUTE_ENTRY_LOCK,
  ROUTE_GLOSSARY,
} Route;

typedef enum {
  METHOD_GET    = 1 << 0,
  METHOD_HEAD   = 1 << 1,
  METHOD_POST   = 1 << 2,
  METHOD_PUT    = 1 << 3,
  METHOD_PATCH  = 1 << 4,
  METHOD_DELETE = 1 << 5,
  METHOD_OTHER  = 1 << 6,
} Method;

#define METHODS_READ  (METHOD_GET | METHOD_HEAD)
#define METHODS_WRITE (METHOD_POST | METHOD_PUT | METHOD_PATCH | METHOD_DELETE)

static const struct {
  Method      methods;
  const char *allow;
} route_methods[] = {
  [ROUTE_ME]            = { METHODS_READ, "GET, HEAD" },
  [ROUTE_CONFIG]        = { METHODS_READ, "GET, HEAD" },
  [ROUTE_ENTRIES]       = { METHODS_READ | METHOD_POST, "GET, HEAD, POST" },
  [ROUTE_ENTRY]         = { METHODS_READ | METHOD_PATCH, "GET, HEAD, PATCH" },
  [ROUTE_ENTRY_STATUS]  = { METHOD_POST, "POST" },
  [ROUTE_ENTRY_PUBLISH] = { METHOD_POST, "POST" },
  [ROUTE_ENTRY_LOCK]    = { METHOD_PUT | METHOD_DELETE, "PUT, DELETE" },
  [ROUTE_GLOSSARY]      = { METHODS_READ | METHOD_PUT, "GET, HEAD, PUT" },
};

/* What is known about one request once its headers are in. */
typedef struct {
  Route                route;
  Method               method;
  char                *entry_id;
  const DeskSiteToken *token;
  GByteArray          *body;
  guint64              received;
  gboolean             too_large;
  gboolean             dropping;
} Request;

/* One answer, built before it is sent so that publish can store it. */
typedef struct {
  guint        status;
  char        *body;           /* JSON, or NULL for none */
  gsize        length;
  char        *etag;           /* quotes included, or NULL */
  char        *location;
  const char  *allow;
  gboolean     challenge;      /* WWW-Authenticate: Bearer */
  gboolean     close;
} Reply;

struct _DeskSiteServer
{
  GObject         parent_instance;

  SoupServer     *soup;
  DeskSiteDb     *db;
  GPtrArray      *tokens;
  GHashTable     *tokens_by_secret;
  GHashTable     *display_names;
  DeskSiteConfig *config;
  GRand          *rand;

  char           *public_base;
  int             lock_seconds;
  double          fail_rate;
  int             delay_ms;
  double          drop_after_commit;
  int             retry_after;
};

G_DEFINE_TYPE (DeskSiteServer, desk_site_server, G_TYPE_OBJECT)

/* ---- tokens -------------------------------------------------------------- */

void
desk_site_token_free (DeskSiteToken *token)
{
  if (token == NULL)
    return;

  g_free (token->account);
  if (token->secret != NULL)
    memset (token->secret, 0, strlen (token->secret));
  g_free (token->secret);
  g_free (token);
}

DeskSiteToken *
desk_site_token_new_parse (const char  *spec,
                           GError     **error)
{
  g_autoptr(DeskSiteToken) token = NULL;
  const char *first;
  const char *second;
  g_autofree char *role = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  /* Messages never quote @spec: it holds the secret. */
  first = strchr (spec, ':');
  second = first != NULL ? strchr (first + 1, ':') : NULL;
  if (first == NULL || second == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--token must be ACCOUNT:ROLE:SECRET");
      return NULL;
    }

  token = g_new0 (DeskSiteToken, 1);
  token->account = g_strndup (spec, first - spec);
  role = g_strndup (first + 1, second - first - 1);
  token->secret = g_strdup (second + 1);

  if (token->account[0] == '\0' || !g_utf8_validate (token->account, -1, NULL))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--token: the account must be non-empty UTF-8");
      return NULL;
    }

  if (g_strcmp0 (role, "editor") == 0)
    token->role = DESK_SITE_ROLE_EDITOR;
  else if (g_strcmp0 (role, "pipeline") == 0)
    token->role = DESK_SITE_ROLE_PIPELINE;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--token for %s: the role must be editor or pipeline",
                   token->account);
      return NULL;
    }

  /* A bearer token is a token68-ish run of visible ASCII. */
  if (token->secret[0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--token for %s: the secret is empty", token->account);
      return NULL;
    }
  for (const char *p = token->secret; *p != '\0'; p++)
    {
      if (*p <= 0x20 || *p >= 0x7f)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--token for %s: the secret must be visible ASCII without spaces",
                       token->account);
          return NULL;
        }
    }

  return g_steal_pointer (&token);
}

/* ---- replies ------------------------------------------------------------- */

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_free);
  g_clear_pointer (&reply->etag, g_free);
  g_clear_pointer (&reply->location, g_free);
}

static char *
etag_for_revision (gint64 revision)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", revision);
}

static void
reply_take_node (Reply    *reply,
                 guint     status,
                 JsonNode *node)
{
  g_free (reply->body);
  reply->status = status;
  reply->body = desk_json_to_string (node, FALSE, &reply->length);
  json_node_unref (node);
}

static void
reply_set_etag (Reply  *reply,
                gint64  revision)
{
  g_free (reply->etag);
  reply->etag = etag_for_revision (revision);
}

static JsonObject *
error_object_new (const char *code,
                  const char *message)
{
  JsonObject *inner = json_object_new ();

  json_object_set_string_member (inner, "code", code);
  json_object_set_string_member (inner, "message", message);
  return inner;
}

/* Takes @inner, the object inside "error", and @extra, the member named
 * @extra_name beside it ("fields", "current", "lock"), if any. */
static void
reply_error_object (Reply      *reply,
                    guint       status,
                    JsonObject *inner,
                    const char *extra_name,
                    JsonNode   *extra)
{
  JsonObject *outer = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_object_member (outer, "error", inner);
  if (extra_name != NULL)
    json_object_set_member (outer, extra_name, extra);
  json_node_take_object (node, outer);
  reply_take_node (reply, status, node);
}

static void
reply_error (Reply      *reply,
             guint       status,
             const char *code,
             const char *message)
{
  reply_error_object (reply, status, error_object_new (code, message), NULL, NULL);
}

static void G_GNUC_PRINTF (4, 5)
reply_errorf (Reply      *reply,
              guint       status,
              const char *code,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  reply_error (reply, status, code, message);
}

static void
reply_internal (Reply        *reply,
                const GError *error)
{
  g_warning ("internal error: %s", error != NULL ? error->message : "unknown");
  reply_error (reply, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
               "the server could not complete the request");
}

/* The 422 "fields" list. */
static void
fields_add (JsonArray  *fields,
            const char *field,
            const char *message)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "field", field != NULL ? field : "");
  json_object_set_string_member (item, "message", message);
  json_array_add_object_element (fields, item);
}

/* Core errors read "PATH: MESSAGE"; the path is the field. */
static void
fields_add_error (JsonArray    *fields,
                  const GError *error)
{
  const char *sep = strstr (error->message, ": ");

  if (sep == NULL)
    fields_add (fields, "", error->message);
  else
    {
      g_autofree char *field = g_strndup (error->message, sep - error->message);
      fields_add (fields, field, sep + 2);
    }
}

static void
fields_add_rules (JsonArray *fields,
                  GPtrArray *rules)
{
  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      const DeskFieldError *fe = g_ptr_array_index (rules, i);
      fields_add (fields, fe->field, fe->message);
    }
}

/* Takes @fields. */
static void
reply_invalid (Reply     *reply,
               JsonArray *fields)
{
  JsonObject *inner = error_object_new ("invalid", "some members of the body are invalid (see fields)");
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, fields);
  reply_error_object (reply, 422, inner, "fields", node);
}

static void
send_reply (SoupServerMessage *msg,
            Reply             *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, reply->status, NULL);

  if (reply->body != NULL)
    {
      soup_server_message_set_response (msg, CONTENT_TYPE_JSON, SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&reply->body), reply->length);
    }
  if (reply->etag != NULL)
    soup_message_headers_replace (headers, "ETag", reply->etag);
  if (reply->location != NULL)
    soup_message_headers_replace (headers, "Location", reply->location);
  if (reply->allow != NULL)
    soup_message_headers_replace (headers, "Allow", reply->allow);
  if (reply->challenge)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer");
  if (reply->close)
    soup_message_headers_replace (headers, "Connection", "close");
}

/* ---- entries as JSON ----------------------------------------------------- */

static gboolean
lock_is_active (const DeskSiteRecord *record,
                gint64                now_us)
{
  return record->lock != NULL && now_us < record->lock_expires_us;
}

static const DeskLock *
active_lock (const DeskSiteRecord *record)
{
  return lock_is_active (record, g_get_real_time ()) ? record->lock : NULL;
}

/* The stored JSON never holds a lock; an unexpired one is put in here. */
static JsonNode *
stored_with_lock (const char      *stored,
                  const DeskLock  *lock,
                  GError         **error)
{
  g_autoptr(JsonNode) node = NULL;

  node = desk_json_parse (stored, -1, STORED_MAX_BYTES, STORED_MAX_DEPTH, error);
  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, DESK_JSON_ERROR, DESK_JSON_ERROR_TYPE,
                           "stored entry is not an object");
      return NULL;
    }

  if (lock != NULL)
    json_object_set_member (json_node_get_object (node), "lock", desk_lock_to_json (lock));
  else
    json_object_set_null_member (json_node_get_object (node), "lock");

  return g_steal_pointer (&node);
}

static JsonNode *
record_entry_node (const DeskSiteRecord  *record,
                   GError               **error)
{
  g_assert (record->full_json != NULL);
  return stored_with_lock (record->full_json, active_lock (record), error);
}

static DeskEntry *
record_load_entry (const DeskSiteRecord  *record,
                   GError               **error)
{
  g_autoptr(JsonNode) node = NULL;

  node = desk_json_parse (record->full_json, -1, STORED_MAX_BYTES, STORED_MAX_DEPTH, error);
  if (node == NULL)
    return NULL;

  return desk_entry_new_from_json (node, DESK_ENTRY_FORM_FULL, error);
}

static void
reply_entry (Reply                *reply,
             guint                 status,
             const DeskSiteRecord *record)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = record_entry_node (record, &error);
  if (node == NULL)
    {
      reply_internal (reply, error);
      return;
    }

  reply_take_node (reply, status, node);
  reply_set_etag (reply, record->revision);
}

/* 412 with the current entry and its ETag. */
static void
reply_stale (Reply                *reply,
             const DeskSiteRecord *record)
{
  g_autoptr(GError) error = NULL;
  JsonObject *inner;
  JsonNode *node;

  node = record_entry_node (record, &error);
  if (node == NULL)
    {
      reply_internal (reply, error);
      return;
    }

  inner = error_object_new ("precondition_failed",
                            "the entry changed since your copy (If-Match is stale)");
  reply_error_object (reply, SOUP_STATUS_PRECONDITION_FAILED, inner, "current", node);
  reply_set_etag (reply, record->revision);
}

static void
reply_locked (Reply          *reply,
              const DeskLock *lock)
{
  g_autofree char *message = NULL;
  JsonObject *inner;

  message = g_strdup_printf ("%s is editing this entry", lock->editor);
  inner = error_object_new ("locked", message);
  reply_error_object (reply, SOUP_STATUS_CONFLICT, inner, "lock", desk_lock_to_json (lock));
}

/* Reloads after a write, so that the answer is exactly what is stored. */
static void
reply_entry_by_id (DeskSiteServer *self,
                   Reply          *reply,
                   guint           status,
                   const char     *id)
{
  g_autoptr(DeskSiteRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = desk_site_db_lookup (self->db, id, TRUE, &error);
  if (record == NULL)
    {
      if (error == NULL)
        g_set_error (&error, DESK_SITE_DB_ERROR, DESK_SITE_DB_ERROR_SQLITE,
                     "entry %s vanished", id);
      reply_internal (reply, error);
      return;
    }

  reply_entry (reply, status, record);
}

/* ---- header checks ------------------------------------------------------- */

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t';
}

/* RFC 9110 If-Match with strong comparison: "*" or a list of quoted tags. */
static gboolean
if_match_matches (const char *header,
                  gint64      revision)
{
  g_autofree char *wanted = etag_for_revision (revision);
  gsize wanted_len = strlen (wanted);
  const char *p = header;

  for (;;)
    {
      const char *end;

      while (is_space (*p) || *p == ',')
        p++;
      if (*p == '\0')
        return FALSE;

      if (*p == '*')
        return TRUE;

      if (p[0] == 'W' && p[1] == '/')
        {
          /* Weak tags never match strongly; skip this one. */
          p += 2;
          if (*p != '"')
            return FALSE;
          end = strchr (p + 1, '"');
          if (end == NULL)
            return FALSE;
          p = end + 1;
          continue;
        }

      if (*p != '"')
        return FALSE;
      end = strchr (p + 1, '"');
      if (end == NULL)
        return FALSE;
      if ((gsize) (end + 1 - p) == wanted_len && strncmp (p, wanted, wanted_len) == 0)
        return TRUE;
      p = end + 1;
    }
}

static char *
dup_trimmed_header (SoupServerMessage *msg,
                    const char        *name)
{
  const char *value;

  value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), name);
  if (value == NULL)
    return NULL;

  return g_strstrip (g_strdup (value));
}

/* application/json, whose only allowed parameter is charset=utf-8. */
static gboolean
content_type_is_json (SoupServerMessage *msg)
{
  g_autofree char *value = dup_trimmed_header (msg, "Content-Type");
  g_auto(GStrv) parts = NULL;

  if (value == NULL)
    return FALSE;

  parts = g_strsplit (value, ";", -1);
  if (g_ascii_strcasecmp (g_strstrip (parts[0]), "application/json") != 0)
    return FALSE;

  for (guint i = 1; parts[i] != NULL; i++)
    {
      char *param = g_strstrip (parts[i]);
      char *eq;
      char *name;
      char *val;
      gsize len;

      if (param[0] == '\0')
        continue;

      eq = strchr (param, '=');
      if (eq == NULL)
        return FALSE;
      *eq = '\0';
      name = g_strstrip (param);
      val = g_strstrip (eq + 1);
      len = strlen (val);
      if (len >= 2 && val[0] == '"' && val[len - 1] == '"')
        {
          val[len - 1] = '\0';
          val++;
        }

      if (g_ascii_strcasecmp (name, "charset") != 0 ||
          g_ascii_strcasecmp (val, "utf-8") != 0)
        return FALSE;
    }

  return TRUE;
}

static void
count_authorization (const char *name,
                     const char *value,
                     gpointer    user_data)
{
  if (g_ascii_strcasecmp (name, "Authorization") == 0)
    (*(guint *) user_data)++;
}

static const DeskSiteToken *
authenticate (DeskSiteServer    *self,
              SoupServerMessage *msg)
{
  g_autofree char *value = dup_trimmed_header (msg, "Authorization");
  guint n_headers = 0;
  const char *p;

  /* Two credentials are none: libsoup would pick one of them, and a proxy
   * in front could have checked the other. */
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg),
                                count_authorization, &n_headers);
  if (n_headers != 1)
    return NULL;

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer", 6) != 0 || !is_space (value[6]))
    return NULL;

  p = value + 6;
  while (is_space (*p))
    p++;
  if (*p == '\0')
    return NULL;

  return g_hash_table_lookup (self->tokens_by_secret, p);
}

static Method
method_from_string (const char *method)
{
  if (g_strcmp0 (method, "GET") == 0)
    return METHOD_GET;
  if (g_strcmp0 (method, "HEAD") == 0)
    return METHOD_HEAD;
  if (g_strcmp0 (method, "POST") == 0)
    return METHOD_POST;
  if (g_strcmp0 (method, "PUT") == 0)
    return METHOD_PUT;
  if (g_strcmp0 (method, "PATCH") == 0)
    return METHOD_PATCH;
  if (g_strcmp0 (method, "DELETE") == 0)
    return METHOD_DELETE;
  return METHOD_OTHER;
}

static gboolean
parse_route (const char  *path,
             Route       *route,
             char       **entry_id)
{
  static const char prefix[] = "/api/v1/";
  g_auto(GStrv) parts = NULL;
  guint n;

  *entry_id = NULL;

  if (path == NULL || !g_str_has_prefix (path, prefix))
    return FALSE;

  parts = g_strsplit (path + strlen (prefix), "/", 4);
  n = g_strv_length (parts);

  if (n == 1 && strcmp (parts[0], "me") == 0)
    *route = ROUTE_ME;
  else if (n == 1 && strcmp (parts[0], "config") == 0)
    *route = ROUTE_CONFIG;
  else if (n == 1 && strcmp (parts[0], "glossary") == 0)
    *route = ROUTE_GLOSSARY;
  else if (n == 1 && strcmp (parts[0], "entries") == 0)
    *route = ROUTE_ENTRIES;
  else if ((n == 2 || n == 3) && strcmp (parts[0], "entries") == 0 &&
           desk_entry_id_is_valid (parts[1]))
    {
      if (n == 2)
        *route = ROUTE_ENTRY;
      else if (strcmp (parts[2], "status") == 0)
        *route = ROUTE_ENTRY_STATUS;
      else if (strcmp (parts[2], "publish") == 0)
        *route = ROUTE_ENTRY_PUBLISH;
      else if (strcmp (parts[2], "lock") == 0)
        *route = ROUTE_ENTRY_LOCK;
      else
        return FALSE;
      *entry_id = g_strdup (parts[1]);
    }
  else
    return FALSE;

  return TRUE;
}

static gboolean
route_takes_body (Route  route,
                  Method method)
{
  return (route == ROUTE_ENTRY && method == METHOD_PATCH) ||
         (route == ROUTE_ENTRY_STATUS && method == METHOD_POST) ||
         (route == ROUTE_ENTRIES && method == METHOD_POST) ||
         (route == ROUTE_GLOSSARY && method == METHOD_PUT);
}

static gboolean
role_may (DeskSiteRole role,
          Route        route,
          Method       method)
{
  if (method & METHODS_READ)
    return TRUE;
  if (route == ROUTE_ENTRIES && method == METHOD_POST)
    return role == DESK_SITE_ROLE_PIPELINE;
  return role == DESK_SITE_ROLE_EDITOR;
}

/* ---- request life cycle -------------------------------------------------- */

static void
request_free (gpointer data)
{
  Request *req = data;

  g_free (req->entry_id);
  g_byte_array_unref (req->body);
  g_free (req);
}

typedef struct {
  SoupServerMessage *msg;
  gboolean           drop;
} Held;

static gboolean release_held (gpointer data);

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  Request *req = user_data;
  gsize size;
  gconstpointer data = g_bytes_get_data (chunk, &size);

  /* libsoup 3.2 reads a body to its end before it writes any answer, so a
   * refused body is read and dropped; one that goes on far past the cap
   * gets the connection closed instead. */
  req->received += size;
  if (req->received > DISCARD_MAX_BYTES && !req->dropping)
    {
      Held *held = g_new0 (Held, 1);

      req->dropping = TRUE;
      soup_server_message_pause (msg);
      held->msg = g_object_ref (msg);
      held->drop = TRUE;
      g_idle_add (release_held, held);
      return;
    }

  /* Nothing to keep when the answer is already decided. */
  if (req->too_large || soup_server_message_get_status (msg) != 0)
    return;

  /* Past the cap the rest is read and dropped: memory stays bounded. */
  if (req->body->len + size > DESK_JSON_MAX_BYTES)
    {
      req->too_large = TRUE;
      g_byte_array_set_size (req->body, 0);
      return;
    }

  g_byte_array_append (req->body, data, size);
}

static gboolean
release_held (gpointer data)
{
  Held *held = data;

  if (held->drop)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (held->msg);

      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
    }
  else
    soup_server_message_unpause (held->msg);

  g_object_unref (held->msg);
  g_free (held);
  return G_SOURCE_REMOVE;
}

/* Holds the answer for --delay-ms, or drops the connection for
 * --drop-after-commit (the write is already committed). */
static void
after_response (DeskSiteServer    *self,
                SoupServerMessage *msg,
                Method             method,
                gboolean           may_drop)
{
  gboolean drop = FALSE;
  Held *held;

  if (may_drop && (method & METHODS_WRITE) != 0 &&
      SOUP_STATUS_IS_SUCCESSFUL (soup_server_message_get_status (msg)) &&
      self->drop_after_commit > 0)
    drop = g_rand_double (self->rand) < self->drop_after_commit;

  if (!drop && self->delay_ms <= 0)
    return;

  soup_server_message_pause (msg);

  held = g_new0 (Held, 1);
  held->msg = g_object_ref (msg);
  held->drop = drop;

  if (self->delay_ms > 0)
    g_timeout_add (self->delay_ms, release_held, held);
  else
    g_idle_add (release_held, held);
}

static void
answer_early (DeskSiteServer    *self,
              SoupServerMessage *msg,
              Request           *req,
              Reply             *reply)
{
  send_reply (msg, reply);
  reply_clear (reply);
  after_response (self, msg, req->method, FALSE);
}

/* Checks 1–5 of docs/site-api-notes.md, from the headers alone: an answer
 * set here means libsoup never hands the body to the normal handler (and,
 * with Expect: 100-continue, never reads it at all). */
static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  DeskSiteServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Reply reply = { 0 };
  Request *req;

  req = g_new0 (Request, 1);
  req->body = g_byte_array_new ();
  req->method = method_from_string (soup_server_message_get_method (msg));
  g_object_set_data_full (G_OBJECT (msg), REQUEST_KEY, req, request_free);

  /* The body is collected here, up to the cap, instead of by libsoup,
   * which would keep all of it. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), req);

  if (self->fail_rate > 0 && g_rand_double (self->rand) < self->fail_rate)
    {
      reply_error (&reply, SOUP_STATUS_SERVICE_UNAVAILABLE, "internal", "injected failure");
      send_reply (msg, &reply);
      if (self->retry_after >= 0)
        {
          g_autofree char *seconds = g_strdup_printf ("%d", self->retry_after);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", seconds);
        }
      reply_clear (&reply);
      after_response (self, msg, req->method, FALSE);
      return;
    }

  req->token = authenticate (self, msg);
  if (req->token == NULL)
    {
      reply_error (&reply, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                   "a valid bearer token is required");
      reply.challenge = TRUE;
      answer_early (self, msg, req, &reply);
      return;
    }

  if (!parse_route (path, &req->route, &req->entry_id))
    {
      reply_error (&reply, SOUP_STATUS_NOT_FOUND, "not_found", "no such resource");
      answer_early (self, msg, req, &reply);
      return;
    }

  if ((route_methods[req->route].methods & req->method) == 0)
    {
      reply_errorf (&reply, SOUP_STATUS_METHOD_NOT_ALLOWED, "bad_request",
                    "method %s is not allowed here", soup_server_message_get_method (msg));
      reply.allow = route_methods[req->route].allow;
      answer_early (self, msg, req, &reply);
      return;
    }

  if (!role_may (req->token->role, req->route, req->method))
    {
      reply_errorf (&reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                    "the %s role may not do this",
                    req->token->role == DESK_SITE_ROLE_EDITOR ? "editor" : "pipeline");
      answer_early (self, msg, req, &reply);
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) DESK_JSON_MAX_BYTES)
    {
      req->too_large = TRUE;
      reply_error (&reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                   "the request body is over 8 MiB");
      reply.close = TRUE;
      answer_early (self, msg, req, &reply);
      return;
    }
}

/* ---- GET /me, /config ---------------------------------------------------- */

static void
handle_me (DeskSiteServer *self,
           Request        *req,
           Reply          *reply)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  const char *name;

  name = g_hash_table_lookup (self->display_names, req->token->account);
  json_object_set_string_member (object, "account", req->token->account);
  json_object_set_string_member (object, "display_name",
                                 name != NULL ? name : req->token->account);
  json_object_set_string_member (object, "role",
                                 req->token->role == DESK_SITE_ROLE_EDITOR ? "editor" : "pipeline");
  json_node_take_object (node, object);
  reply_take_node (reply, SOUP_STATUS_OK, node);
}

static void
handle_config (DeskSiteServer *self,
               Reply          *reply)
{
  reply_take_node (reply, SOUP_STATUS_OK, desk_site_config_to_json (self->config));
}

/* ---- GET /entries -------------------------------------------------------- */

#define CURSOR_PREFIX "c1-"

/* "c1-SITE-POSITION": the site id (random per database) and the feed
 * position in base 36. */
static char *
cursor_encode (const char *site_id,
               gint64      seq)
{
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  char buf[32];
  int i = sizeof buf;
  guint64 v = (guint64) seq;

  buf[--i] = '\0';
  do
    {
      buf[--i] = digits[v % 36];
      v /= 36;
    }
  while (v > 0);

  return g_strconcat (CURSOR_PREFIX, site_id, "-", buf + i, NULL);
}

/* Only the exact spelling this server gives, of this database, and no
 * position it has not reached yet. */
static gboolean
cursor_decode (const char *cursor,
               const char *site_id,
               gint64      last_seq,
               gint64     *seq)
{
  const char *p;
  guint64 v = 0;

  if (!g_str_has_prefix (cursor, CURSOR_PREFIX))
    return FALSE;

  p = cursor + strlen (CURSOR_PREFIX);
  if (!g_str_has_prefix (p, site_id) || p[strlen (site_id)] != '-')
    return FALSE;

  p += strlen (site_id) + 1;
  if (*p == '\0' || strlen (p) > 12 || (p[0] == '0' && p[1] != '\0'))
    return FALSE;

  for (; *p != '\0'; p++)
    {
      int d;

      if (*p >= '0' && *p <= '9')
        d = *p - '0';
      else if (*p >= 'a' && *p <= 'z')
        d = *p - 'a' + 10;
      else
        return FALSE;
      v = v * 36 + d;
    }

  if (v > (guint64) last_seq)
    return FALSE;

  *seq = (gint64) v;
  return TRUE;
}

static void
handle_feed (DeskSiteServer    *self,
             SoupServerMessage *msg,
             Reply             *reply)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_auto(GStrv) params = NULL;
  gboolean seen_since = FALSE, seen_status = FALSE, seen_limit = FALSE;
  const char *site_id = desk_site_db_get_site_id (self->db);
  gint64 last_seq = desk_site_db_get_last_seq (self->db);
  gint64 after = 0;
  guint limit = 100;
  guint mask = DESK_SITE_STATUS_MASK_ALL;
  gboolean more;
  GString *out;
  gint64 now_us;

  params = g_strsplit (query != NULL ? query : "", "&", -1);
  for (guint i = 0; params[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      char *eq;

      if (params[i][0] == '\0')
        continue;

      eq = strchr (params[i], '=');
      if (eq == NULL)
        {
          reply_errorf (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                        "query parameter without a value");
          return;
        }
      name = g_uri_unescape_segment (params[i], eq, NULL);
      value = g_uri_unescape_string (eq + 1, NULL);
      if (name == NULL || value == NULL)
        {
          reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "badly escaped query parameter");
          return;
        }

      if (strcmp (name, "since") == 0 && !seen_since)
        {
          seen_since = TRUE;
          if (!cursor_decode (value, site_id, last_seq, &after))
            {
              reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                           "since is not a cursor of this site");
              return;
            }
        }
      else if (strcmp (name, "status") == 0 && !seen_status)
        {
          g_auto(GStrv) names = g_strsplit (value, ",", -1);

          seen_status = TRUE;
          mask = 0;
          if (names[0] == NULL)
            {
              reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                           "status must list at least one status");
              return;
            }
          for (guint j = 0; names[j] != NULL; j++)
            {
              DeskEntryStatus status;

              if (!desk_entry_status_from_string (names[j], &status))
                {
                  reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "status must be a comma list of incoming, in_review, "
                               "approved, published, rejected");
                  return;
                }
              mask |= 1u << status;
            }
        }
      else if (strcmp (name, "limit") == 0 && !seen_limit)
        {
          guint64 n = 0;

          seen_limit = TRUE;
          if (value[0] == '\0' || strlen (value) > 3 ||
              !g_ascii_string_to_unsigned (value, 10, 1, 500, &n, NULL))
            {
              reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                           "limit must be an integer from 1 to 500");
              return;
            }
          limit = (guint) n;
        }
      else
        {
          reply_errorf (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                        "unknown or repeated query parameter %s", name);
          return;
        }
    }

  records = desk_site_db_feed (self->db, after, mask, limit + 1, &error);
  if (records == NULL)
    {
      reply_internal (reply, error);
      return;
    }

  more = records->len > limit;
  if (more)
    g_ptr_array_set_size (records, limit);

  /* A full page gives its last position; the last page gives the site's,
   * so a filtered feed does not scan again what it skipped. */
  if (more)
    cursor = cursor_encode (site_id, ((DeskSiteRecord *) g_ptr_array_index (records, records->len - 1))->seq);
  else
    cursor = cursor_encode (site_id, last_seq);

  now_us = g_get_real_time ();
  out = g_string_sized_new (4096);
  g_string_append (out, "{\"entries\":[");
  for (guint i = 0; i < records->len; i++)
    {
      const DeskSiteRecord *record = g_ptr_array_index (records, i);

      if (i > 0)
        g_string_append_c (out, ',');

      if (lock_is_active (record, now_us))
        {
          g_autoptr(JsonNode) node = stored_with_lock (record->summary_json, record->lock, &error);

          if (node == NULL)
            {
              g_string_free (out, TRUE);
              reply_internal (reply, error);
              return;
            }
          desk_json_write (out, node, FALSE);
        }
      else
        g_string_append (out, record->summary_json);
    }
  g_string_append_printf (out, "],\"cursor\":\"%s\",\"more\":%s}",
                          cursor, more ? "true" : "false");

  reply->status = SOUP_STATUS_OK;
  reply->length = out->len;
  reply->body = g_string_free (out, FALSE);
}

/* ---- GET /entries/<id> --------------------------------------------------- */

static DeskSiteRecord *
lookup_or_reply (DeskSiteServer *self,
                 const char     *id,
                 Reply          *reply)
{
  g_autoptr(GError) error = NULL;
  DeskSiteRecord *record;

  record = desk_site_db_lookup (self->db, id, TRUE, &error);
  if (record == NULL)
    {
      if (error != NULL)
        reply_internal (reply, error);
      else
        reply_errorf (reply, SOUP_STATUS_NOT_FOUND, "not_found", "no entry %s", id);
    }

  return record;
}

static void
handle_get_entry (DeskSiteServer *self,
                  Request        *req,
                  Reply          *reply)
{
  g_autoptr(DeskSiteRecord) record = lookup_or_reply (self, req->entry_id, reply);

  if (record != NULL)
    reply_entry (reply, SOUP_STATUS_OK, record);
}

/* Checks 10 and 11 for an entry write; FALSE once answered. */
static gboolean
check_write (Request              *req,
             const char           *if_match,
             gboolean              if_match_required,
             const DeskSiteRecord *record,
             Reply                *reply)
{
  const DeskLock *lock;

  if (if_match == NULL && if_match_required)
    {
      reply_error (reply, 428, "precondition_required",
                   "this write needs If-Match with the entry's ETag");
      return FALSE;
    }

  if (if_match != NULL && !if_match_matches (if_match, record->revision))
    {
      reply_stale (reply, record);
      return FALSE;
    }

  lock = active_lock (record);
  if (lock != NULL && g_strcmp0 (lock->editor, req->token->account) != 0)
    {
      reply_locked (reply, lock);
      return FALSE;
    }

  return TRUE;
}

/* Stores @entry, whose content changed, as its next revision. */
static gboolean
commit_entry_change (DeskSiteServer  *self,
                     DeskEntry       *entry,
                     gint64           old_revision,
                     const char      *action,
                     const char      *account,
                     const char      *reason,
                     GError         **error)
{
  g_autofree char *now = desk_rfc3339_now ();

  desk_entry_set_revision (entry, old_revision + 1);
  desk_entry_set_updated_at (entry, now);

  if (!desk_site_db_begin (self->db, error))
    return FALSE;

  if (!desk_site_db_update_entry (self->db, entry, action, account, reason, error) ||
      !desk_site_db_commit (self->db, error))
    {
      desk_site_db_rollback (self->db);
      return FALSE;
    }

  return TRUE;
}

/* ---- PATCH /entries/<id> ------------------------------------------------- */

static void
handle_patch (DeskSiteServer    *self,
              SoupServerMessage *msg,
              Request           *req,
              JsonNode          *body,
              Reply             *reply)
{
  g_autoptr(DeskSiteRecord) record = NULL;
  g_autoptr(DeskEditable) patch = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *if_match = dup_trimmed_header (msg, "If-Match");
  const DeskEditable *current;
  gboolean changed = FALSE;

  record = lookup_or_reply (self, req->entry_id, reply);
  if (record == NULL || !check_write (req, if_match, TRUE, record, reply))
    return;

  patch = desk_editable_new_from_json (body, NULL, 0, DESK_FIELDS_ALL, FALSE, &error);
  if (patch == NULL)
    {
      JsonArray *fields = json_array_new ();

      fields_add_error (fields, error);
      reply_invalid (reply, fields);
      return;
    }

  rules = desk_editable_check_rules (patch, NULL);
  if (rules != NULL && rules->len > 0)
    {
      JsonArray *fields = json_array_new ();

      fields_add_rules (fields, rules);
      reply_invalid (reply, fields);
      return;
    }

  entry = record_load_entry (record, &error);
  if (entry == NULL)
    {
      reply_internal (reply, error);
      return;
    }

  current = desk_entry_get_fields (entry);
  for (guint bit = 0; bit < 8; bit++)
    {
      DeskFields field = 1u << bit;

      if ((patch->present & field) != 0 &&
          !desk_editable_field_equal (current, patch, field))
        changed = TRUE;
    }

  /* The editor touched it: it is no longer untouched pipeline output. */
  if (desk_entry_get_status (entry) == DESK_ENTRY_STATUS_INCOMING)
    {
      desk_entry_set_status (entry, DESK_ENTRY_STATUS_IN_REVIEW);
      changed = TRUE;
    }

  if (!changed)
    {
      reply_entry (reply, SOUP_STATUS_OK, record);
      return;
    }

  desk_entry_apply_fields (entry, patch);

  if (!commit_entry_change (self, entry, record->revision, "patch",
                            req->token->account, NULL, &error))
    {
      reply_internal (reply, error);
      return;
    }

  reply_entry_by_id (self, reply, SOUP_STATUS_OK, req->entry_id);
}

/* ---- POST /entries/<id>/status ------------------------------------------- */

static void
handle_status (DeskSiteServer    *self,
               SoupServerMessage *msg,
               Request           *req,
               JsonNode          *body,
               Reply             *reply)
{
  g_autoptr(DeskSiteRecord) record = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *if_match = dup_trimmed_header (msg, "If-Match");
  JsonObject *object = json_node_get_object (body);
  JsonArray *fields;
  DeskEntryStatus target = DESK_ENTRY_STATUS_INCOMING;
  const char *reason = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  record = lookup_or_reply (self, req->entry_id, reply);
  if (record == NULL || !check_write (req, if_match, TRUE, record, reply))
    return;

  fields = json_array_new ();
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (strcmp (name, "status") != 0 && strcmp (name, "reason") != 0)
        fields_add (fields, name, "unknown member");
    }

  value = json_object_get_member (object, "status");
  if (value == NULL)
    fields_add (fields, "status", "is required");
  else if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
    fields_add (fields, "status", "must be a string");
  else if (!desk_entry_status_from_string (json_node_get_string (value), &target) ||
           (target != DESK_ENTRY_STATUS_IN_REVIEW && target != DESK_ENTRY_STATUS_APPROVED &&
            target != DESK_ENTRY_STATUS_REJECTED))
    fields_add (fields, "status", "must be in_review, approved or rejected");

  value = json_object_get_member (object, "reason");
  if (value != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        fields_add (fields, "reason", "must be a string");
      else if (g_utf8_strlen (json_node_get_string (value), -1) > REASON_MAX_CHARS)
        fields_add (fields, "reason", "must be at most 2000 characters");
      else
        reason = json_node_get_string (value);
    }

  if (json_array_get_length (fields) > 0)
    {
      reply_invalid (reply, fields);
      return;
    }
  json_array_unref (fields);

  if (target == record->status || !desk_entry_status_can_change (record->status, target))
    {
      reply_errorf (reply, SOUP_STATUS_CONFLICT, "conflict",
                    "an entry cannot go from %s to %s",
                    desk_entry_status_to_string (record->status),
                    desk_entry_status_to_string (target));
      return;
    }

  entry = record_load_entry (record, &error);
  if (entry == NULL)
    {
      reply_internal (reply, error);
      return;
    }

  desk_entry_set_status (entry, target);
  if (!commit_entry_change (self, entry, record->revision, "status",
                            req->token->account, reason, &error))
    {
      reply_internal (reply, error);
      return;
    }

  reply_entry_by_id (self, reply, SOUP_STATUS_OK, req->entry_id);
}

/* ---- POST /entries/<id>/publish ------------------------------------------ */

static gboolean
idempotency_key_is_valid (const char *key)
{
  gsize len;

  if (key == NULL)
    return FALSE;

  len = strlen (key);
  if (len < 1 || len > KEY_MAX_CHARS)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if ((guchar) key[i] < 0x20 || (guchar) key[i] > 0x7e)
      return FALSE;

  return TRUE;
}

/* Everything after the key check, whose answer is stored with the key. */
static gboolean
publish_entry (DeskSiteServer *self,
               Request        *req,
               const char     *if_match,
               const char     *key,
               Reply          *reply)
{
  g_autoptr(DeskSiteRecord) record = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskPublished) published = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;
  g_autofree char *url = NULL;
  DeskSiteIdempotent idem = { 0 };
  const DeskPublished *old;
  JsonObject *object;
  JsonNode *node;

  record = lookup_or_reply (self, req->entry_id, reply);
  if (record != NULL)
    {
      if (!check_write (req, if_match, TRUE, record, reply))
        {
          /* 428 is an answer to a malformed request: not stored. */
          if (reply->status == 428)
            return TRUE;
        }
      else if (record->status != DESK_ENTRY_STATUS_APPROVED &&
               record->status != DESK_ENTRY_STATUS_PUBLISHED)
        {
          reply_errorf (reply, SOUP_STATUS_CONFLICT, "conflict",
                        "only approved or published entries can be published (this one is %s)",
                        desk_entry_status_to_string (record->status));
        }
      else
        {
          entry = record_load_entry (record, &error);
          if (entry == NULL)
            {
              reply_internal (reply, error);
              return FALSE;
            }
        }
    }

  if (reply->status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    return FALSE;

  if (!desk_site_db_begin (self->db, &error))
    {
      reply_clear (reply);
      reply_internal (reply, error);
      return FALSE;
    }

  if (entry != NULL)
    {
      now = desk_rfc3339_now ();
      old = desk_entry_get_published (entry);
      if (old != NULL && old->url != NULL)
        url = g_strdup (old->url);
      else
        url = g_strdup_printf ("%s/%s", self->public_base, req->entry_id);

      published = desk_published_new (url, now);
      desk_entry_set_published (entry, published);
      desk_entry_set_status (entry, DESK_ENTRY_STATUS_PUBLISHED);
      desk_entry_set_revision (entry, record->revision + 1);
      desk_entry_set_updated_at (entry, now);

      if (!desk_site_db_update_entry (self->db, entry, "publish",
                                      req->token->account, NULL, &error))
        goto fail;

      /* The stored answer is the entry as it now is, lock included. */
      g_clear_pointer (&record, desk_site_record_free);
      record = desk_site_db_lookup (self->db, req->entry_id, TRUE, &error);
      if (record == NULL)
        goto fail;
      node = record_entry_node (record, &error);
      if (node == NULL)
        goto fail;

      object = json_object_new ();
      json_object_set_member (object, "entry", node);
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, object);
      reply_take_node (reply, SOUP_STATUS_OK, node);
      reply_set_etag (reply, record->revision);
    }

  idem.entry_id = req->entry_id;
  idem.if_match = (char *) (if_match != NULL ? if_match : "");
  idem.status = reply->status;
  idem.etag = reply->etag;
  idem.body = reply->body;
  if (!desk_site_db_put_idempotent (self->db, key, &idem, &error) ||
      !desk_site_db_commit (self->db, &error))
    goto fail;

  return TRUE;

fail:
  desk_site_db_rollback (self->db);
  reply_clear (reply);
  reply_internal (reply, error);
  return FALSE;
}

static void
handle_publish (DeskSiteServer    *self,
                SoupServerMessage *msg,
                Request           *req,
                Reply             *reply)
{
  g_autoptr(DeskSiteIdempotent) idem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *if_match = dup_trimmed_header (msg, "If-Match");
  g_autofree char *key = dup_trimmed_header (msg, "Idempotency-Key");

  if (!idempotency_key_is_valid (key))
    {
      reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "publish needs an Idempotency-Key of 1–128 printable ASCII characters");
      return;
    }

  idem = desk_site_db_get_idempotent (self->db, key, &error);
  if (error != NULL)
    {
      reply_internal (reply, error);
      return;
    }

  if (idem != NULL)
    {
      if (g_strcmp0 (idem->entry_id, req->entry_id) != 0 ||
          g_strcmp0 (idem->if_match, if_match != NULL ? if_match : "") != 0)
        {
          reply_error (reply, 422, "idempotency_key_reused",
                       "this Idempotency-Key was used for another request");
          return;
        }

      reply->status = idem->status;
      reply->body = g_steal_pointer (&idem->body);
      reply->length = strlen (reply->body);
      reply->etag = g_steal_pointer (&idem->etag);
      return;
    }

  publish_entry (self, req, if_match, key, reply);
}

/* ---- PUT/DELETE /entries/<id>/lock --------------------------------------- */

static char *
rfc3339_from_unix (gint64 seconds)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (seconds);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return desk_rfc3339_from_date_time (local);
}

static void
handle_lock_put (DeskSiteServer    *self,
                 SoupServerMessage *msg,
                 Request           *req,
                 Reply             *reply)
{
  g_autoptr(DeskSiteRecord) record = NULL;
  g_autoptr(DeskLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *if_match = dup_trimmed_header (msg, "If-Match");
  g_autofree char *acquired = NULL;
  g_autofree char *expires = NULL;
  const DeskLock *held;
  JsonObject *object;
  JsonNode *node;
  gint64 now_us;
  gint64 expires_s;

  record = lookup_or_reply (self, req->entry_id, reply);
  /* If-Match is optional here: a lock is not a content change. */
  if (record == NULL || !check_write (req, if_match, FALSE, record, reply))
    return;

  /* Whole seconds on the wire, rounded up: a lock never lasts less than
   * --lock-seconds. */
  now_us = g_get_real_time ();
  expires_s = (now_us + (gint64) self->lock_seconds * G_USEC_PER_SEC + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

  held = active_lock (record);
  if (held != NULL)
    acquired = g_strdup (held->acquired_at);
  else
    acquired = desk_rfc3339_now ();
  expires = rfc3339_from_unix (expires_s);
  lock = desk_lock_new (req->token->account, acquired, expires);

  if (!desk_site_db_begin (self->db, &error))
    {
      reply_internal (reply, error);
      return;
    }
  if (!desk_site_db_set_lock (self->db, req->entry_id, lock, expires_s * G_USEC_PER_SEC,
                              TRUE, &error) ||
      !desk_site_db_commit (self->db, &error))
    {
      desk_site_db_rollback (self->db);
      reply_internal (reply, error);
      return;
    }

  object = json_object_new ();
  json_object_set_member (object, "lock", desk_lock_to_json (lock));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  reply_take_node (reply, SOUP_STATUS_OK, node);
  reply_set_etag (reply, record->revision);
}

static void
handle_lock_delete (DeskSiteServer    *self,
                    SoupServerMessage *msg,
                    Request           *req,
                    Reply             *reply)
{
  g_autoptr(DeskSiteRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *if_match = dup_trimmed_header (msg, "If-Match");
  gboolean move;

  record = lookup_or_reply (self, req->entry_id, reply);
  if (record == NULL || !check_write (req, if_match, FALSE, record, reply))
    return;

  if (record->lock != NULL)
    {
      /* Only a release others could see moves the entry in the feed; an
       * expired lock already shows as null. */
      move = active_lock (record) != NULL;

      if (!desk_site_db_begin (self->db, &error))
        {
          reply_internal (reply, error);
          return;
        }
      if (!desk_site_db_set_lock (self->db, req->entry_id, NULL, 0, move, &error) ||
          !desk_site_db_commit (self->db, &error))
        {
          desk_site_db_rollback (self->db);
          reply_internal (reply, error);
          return;
        }
    }

  reply->status = SOUP_STATUS_NO_CONTENT;
  /* libsoup 3.2 ends every 204 with a close (it drops Content-Length and
   * then takes the response as EOF-terminated); saying so lets clients
   * open a new connection instead of failing on the dead one. */
  reply->close = TRUE;
}

/* ---- POST /entries ------------------------------------------------------- */

static void
handle_create (DeskSiteServer *self,
               Request        *req,
               JsonNode       *body,
               Reply          *reply)
{
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;
  gboolean exists = FALSE;
  const char *id;

  g_autofree char *unknown = NULL;

  entry = desk_entry_new_from_json (body, DESK_ENTRY_FORM_PIPELINE, &error);
  if (entry == NULL)
    {
      JsonArray *fields = json_array_new ();

      fields_add_error (fields, error);
      reply_invalid (reply, fields);
      return;
    }

  unknown = desk_entry_dup_unknown_member_path (entry);
  if (unknown != NULL)
    {
      JsonArray *fields = json_array_new ();

      fields_add (fields, unknown, "not allowed");
      reply_invalid (reply, fields);
      return;
    }

  rules = desk_editable_check_rules (desk_entry_get_machine (entry), "machine.");
  if (rules != NULL && rules->len > 0)
    {
      JsonArray *fields = json_array_new ();

      fields_add_rules (fields, rules);
      reply_invalid (reply, fields);
      return;
    }

  id = desk_entry_get_id (entry);
  if (!desk_site_db_exists (self->db, id, &exists, &error))
    {
      reply_internal (reply, error);
      return;
    }
  if (exists)
    {
      reply_errorf (reply, SOUP_STATUS_CONFLICT, "conflict", "entry %s already exists", id);
      return;
    }

  now = desk_rfc3339_now ();
  desk_entry_set_revision (entry, 1);
  desk_entry_set_status (entry, DESK_ENTRY_STATUS_INCOMING);
  desk_entry_set_updated_at (entry, now);
  desk_entry_set_lock (entry, NULL);
  desk_entry_set_published (entry, NULL);

  if (!desk_site_db_begin (self->db, &error))
    {
      reply_internal (reply, error);
      return;
    }
  if (!desk_site_db_insert_entry (self->db, entry, "create", req->token->account, NULL, &error) ||
      !desk_site_db_commit (self->db, &error))
    {
      desk_site_db_rollback (self->db);
      reply_internal (reply, error);
      return;
    }

  reply_entry_by_id (self, reply, SOUP_STATUS_CREATED, id);
  if (reply->status == SOUP_STATUS_CREATED)
    reply->location = g_strdup_printf ("/api/v1/entries/%s", id);
}

/* ---- GET/PUT /glossary --------------------------------------------------- */

static gboolean
load_glossary (DeskSiteServer  *self,
               gint64          *revision,
               JsonNode       **node,
               GError         **error)
{
  g_autofree char *json = NULL;

  if (!desk_site_db_get_glossary (self->db, revision, &json, error))
    return FALSE;

  *node = desk_json_parse (json, -1, STORED_MAX_BYTES, STORED_MAX_DEPTH, error);
  return *node != NULL;
}

static void
handle_glossary_get (DeskSiteServer *self,
                     Reply          *reply)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = NULL;
  gint64 revision;

  if (!load_glossary (self, &revision, &node, &error))
    {
      reply_internal (reply, error);
      return;
    }

  reply_take_node (reply, SOUP_STATUS_OK, node);
  reply_set_etag (reply, revision);
}

/* Unknown members, which the core reader would keep, are refused in a PUT. */
static void
glossary_check_members (JsonNode  *body,
                        JsonArray *fields)
{
  JsonObject *object = json_node_get_object (body);
  JsonNode *terms;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    if (strcmp (name, "terms") != 0 && strcmp (name, "revision") != 0)
      fields_add (fields, name, "unknown member");

  terms = json_object_get_member (object, "terms");
  if (terms == NULL || !JSON_NODE_HOLDS_ARRAY (terms))
    return;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (terms)); i++)
    {
      JsonNode *term = json_array_get_element (json_node_get_array (terms), i);

      if (!JSON_NODE_HOLDS_OBJECT (term))
        continue;

      json_object_iter_init (&iter, json_node_get_object (term));
      while (json_object_iter_next (&iter, &name, &value))
        {
          if (strcmp (name, "source") != 0 && strcmp (name, "target") != 0 &&
              strcmp (name, "forbidden") != 0 && strcmp (name, "note") != 0)
            {
              g_autofree char *path = g_strdup_printf ("terms[%u].%s", i, name);
              fields_add (fields, path, "unknown member");
            }
        }
    }
}

static void
handle_glossary_put (DeskSiteServer    *self,
                     SoupServerMessage *msg,
                     JsonNode          *body,
                     Reply             *reply)
{
  g_autoptr(DeskGlossary) glossary = NULL;
  g_autoptr(JsonNode) current = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *if_match = dup_trimmed_header (msg, "If-Match");
  g_autofree char *json = NULL;
  JsonArray *fields;
  gint64 revision;

  if (!load_glossary (self, &revision, &current, &error))
    {
      reply_internal (reply, error);
      return;
    }

  if (if_match == NULL)
    {
      reply_error (reply, 428, "precondition_required",
                   "PUT /glossary needs If-Match with the glossary's ETag");
      return;
    }
  if (!if_match_matches (if_match, revision))
    {
      JsonObject *inner = error_object_new ("precondition_failed",
                                            "the glossary changed since your copy");

      reply_error_object (reply, SOUP_STATUS_PRECONDITION_FAILED, inner,
                          "current", g_steal_pointer (&current));
      reply_set_etag (reply, revision);
      return;
    }

  fields = json_array_new ();
  glossary_check_members (body, fields);
  glossary = desk_glossary_new_from_json (body, FALSE, &error);
  if (glossary == NULL)
    fields_add_error (fields, error);
  if (json_array_get_length (fields) > 0)
    {
      reply_invalid (reply, fields);
      return;
    }
  json_array_unref (fields);

  glossary->revision = revision + 1;
  node = desk_glossary_to_json (glossary, TRUE);
  json = desk_json_to_string (node, FALSE, NULL);

  if (!desk_site_db_begin (self->db, &error))
    {
      reply_internal (reply, error);
      return;
    }
  if (!desk_site_db_put_glossary (self->db, revision + 1, json, &error) ||
      !desk_site_db_commit (self->db, &error))
    {
      desk_site_db_rollback (self->db);
      reply_internal (reply, error);
      return;
    }

  reply_take_node (reply, SOUP_STATUS_OK, g_steal_pointer (&node));
  reply_set_etag (reply, revision + 1);
}

/* ---- the normal handler -------------------------------------------------- */

static void
dispatch (DeskSiteServer    *self,
          SoupServerMessage *msg,
          Request           *req,
          Reply             *reply)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  gboolean takes_body = route_takes_body (req->route, req->method);

  /* Checks 5 (a chunked body past the cap), 6 and 7. */
  if (req->too_large)
    {
      reply_error (reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                   "the request body is over 8 MiB");
      reply->close = TRUE;
      return;
    }

  if (takes_body || req->body->len > 0)
    {
      if (!content_type_is_json (msg))
        {
          reply_error (reply, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                       "the body must be application/json; charset=utf-8");
          return;
        }

      body = desk_json_parse ((const char *) req->body->data, req->body->len,
                              DESK_JSON_MAX_BYTES, DESK_JSON_MAX_DEPTH, &error);
      if (body == NULL)
        {
          reply_errorf (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                        "the body is not valid JSON: %s", error->message);
          return;
        }

      if (takes_body && !JSON_NODE_HOLDS_OBJECT (body))
        {
          reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "the body must be a JSON object");
          return;
        }
    }

  switch (req->route)
    {
    case ROUTE_ME:
      handle_me (self, req, reply);
      break;

    case ROUTE_CONFIG:
      handle_config (self, reply);
      break;

    case ROUTE_ENTRIES:
      if (req->method == METHOD_POST)
        handle_create (self, req, body, reply);
      else
        handle_feed (self, msg, reply);
      break;

    case ROUTE_ENTRY:
      if (req->method == METHOD_PATCH)
        handle_patch (self, msg, req, body, reply);
      else
        handle_get_entry (self, req, reply);
      break;

    case ROUTE_ENTRY_STATUS:
      handle_status (self, msg, req, body, reply);
      break;

    case ROUTE_ENTRY_PUBLISH:
      handle_publish (self, msg, req, reply);
      break;

    case ROUTE_ENTRY_LOCK:
      if (req->method == METHOD_PUT)
        handle_lock_put (self, msg, req, reply);
      else
        handle_lock_delete (self, msg, req, reply);
      break;

    case ROUTE_GLOSSARY:
      if (req->method == METHOD_PUT)
        handle_glossary_put (self, msg, body, reply);
      else
        handle_glossary_get (self, reply);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
handler (SoupServer        *soup,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  DeskSiteServer *self = user_data;
  Request *req = g_object_get_data (G_OBJECT (msg), REQUEST_KEY);
  Reply reply = { 0 };

  if (req == NULL)
    {
      reply_internal (&reply, NULL);
      send_reply (msg, &reply);
      reply_clear (&reply);
      return;
    }

  dispatch (self, msg, req, &reply);
  if (reply.status == 0)
    reply_internal (&reply, NULL);

  send_reply (msg, &reply);
  reply_clear (&reply);
  after_response (self, msg, req->method, TRUE);
}

/* ---- the object ---------------------------------------------------------- */

static void
desk_site_server_dispose (GObject *object)
{
  DeskSiteServer *self = (DeskSiteServer *)object;

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (desk_site_server_parent_class)->dispose (object);
}

static void
desk_site_server_finalize (GObject *object)
{
  DeskSiteServer *self = (DeskSiteServer *)object;

  g_clear_pointer (&self->tokens_by_secret, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_clear_pointer (&self->display_names, g_hash_table_unref);
  g_clear_pointer (&self->config, desk_site_config_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->public_base, g_free);

  G_OBJECT_CLASS (desk_site_server_parent_class)->finalize (object);
}

static void
desk_site_server_class_init (DeskSiteServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_site_server_dispose;
  object_class->finalize = desk_site_server_finalize;
}

static void
desk_site_server_init (DeskSiteServer *self)
{
}

DeskSiteServer *
desk_site_server_new (DeskSiteDb             *db,
                      const DeskSiteSettings *settings)
{
  DeskSiteServer *self;

  g_return_val_if_fail (DESK_IS_SITE_DB (db), NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (settings->tokens != NULL, NULL);
  g_return_val_if_fail (settings->display_names != NULL, NULL);

  self = g_object_new (DESK_TYPE_SITE_SERVER, NULL);
  self->db = g_object_ref (db);
  self->tokens = g_ptr_array_ref (settings->tokens);
  self->display_names = g_hash_table_ref (settings->display_names);
  self->public_base = g_strdup (settings->public_base);
  self->lock_seconds = settings->lock_seconds;
  self->fail_rate = settings->fail_rate;
  self->delay_ms = settings->delay_ms;
  self->drop_after_commit = settings->drop_after_commit;
  self->retry_after = settings->retry_after;
  self->rand = settings->has_fault_seed ? g_rand_new_with_seed (settings->fault_seed) : g_rand_new ();
  self->config = desk_site_config_new_default ();

  self->tokens_by_secret = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->tokens->len; i++)
    {
      DeskSiteToken *token = g_ptr_array_index (self->tokens, i);
      g_hash_table_insert (self->tokens_by_secret, token->secret, token);
    }

  /* No "Server" header: nothing to learn about us from the outside. */
  self->soup = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler, self, NULL);

  return self;
}

gboolean
desk_site_server_listen (DeskSiteServer  *self,
                         guint            port,
                         guint           *bound_port,
                         GError         **error)
{
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  g_return_val_if_fail (DESK_IS_SITE_SERVER (self), FALSE);

  /* Our own socket rather than soup_server_listen_local(), whose backlog
   * is GLib's default of 10: fifty clients connecting at once had their
   * SYNs dropped and waited a second or two for the retransmission. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->soup, socket, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "not listening");
      return FALSE;
    }

  if (bound_port != NULL)
    *bound_port = g_uri_get_port (uris->data);

  g_slist_foreach (uris, (GFunc) g_uri_unref, NULL);
  return TRUE;
}

void
desk_site_server_shutdown (DeskSiteServer *self)
{
  g_return_if_fail (DESK_IS_SITE_SERVER (self));

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}
