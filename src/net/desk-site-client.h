/* desk-site-client.h: the Site API v1 client (libsoup 3), one SoupSession per site
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-core.h"

G_BEGIN_DECLS

/* ---- errors -------------------------------------------------------------- */

#define DESK_SITE_ERROR (desk_site_error_quark ())

/* What went wrong, in terms the UI and the sync engine can act on. The HTTP
 * status, Retry-After and the error body's data (current entry, lock, field
 * errors) travel beside the GError in a DeskSiteFailure (see below).
 * Cancellation through the caller's GCancellable is reported as
 * G_IO_ERROR_CANCELLED, not in this domain, and has no DeskSiteFailure. */
typedef enum {
  DESK_SITE_ERROR_BAD_URL,                /* construction: not a usable base URL, or
                                           * http:// to a host that is not loopback */
  DESK_SITE_ERROR_UNAUTHORIZED,           /* 401: missing or unknown token */
  DESK_SITE_ERROR_FORBIDDEN,              /* 403: the account's role may not do it */
  DESK_SITE_ERROR_NOT_FOUND,              /* 404 */
  DESK_SITE_ERROR_CONFLICT,               /* 409 conflict (transition, existing id, …) */
  DESK_SITE_ERROR_LOCKED,                 /* 409 locked: failure->api_error->lock */
  DESK_SITE_ERROR_PRECONDITION_FAILED,    /* 412: failure->api_error->current (or
                                           * ->current_glossary for PUT /glossary) */
  DESK_SITE_ERROR_PRECONDITION_REQUIRED,  /* 428: no If-Match was sent */
  DESK_SITE_ERROR_INVALID,                /* 422 invalid: failure->api_error->fields */
  DESK_SITE_ERROR_IDEMPOTENCY_KEY_REUSED, /* 422 idempotency_key_reused */
  DESK_SITE_ERROR_TOO_LARGE,              /* 413: the request body was too large */
  DESK_SITE_ERROR_BAD_REQUEST,            /* 400, 405, 415: a bug on our side */
  DESK_SITE_ERROR_RATE_LIMITED,           /* 429: failure->retry_after */
  DESK_SITE_ERROR_SERVER,                 /* 5xx: failure->retry_after if any */
  DESK_SITE_ERROR_NETWORK,                /* refused, reset, closed without a response,
                                           * DNS, unreachable */
  DESK_SITE_ERROR_TIMEOUT,                /* connect, an I/O wait or the whole request
                                           * took longer than allowed */
  DESK_SITE_ERROR_TLS,                    /* bad certificate or TLS handshake failure */
  DESK_SITE_ERROR_PROTOCOL,               /* malformed or oversized response, wrong
                                           * content type, redirect, unexpected status */
} DeskSiteError;

GQuark desk_site_error_quark (void);

/* Whether retrying the same request later may succeed (network, timeout,
 * rate limited, server error). */
gboolean desk_site_error_is_transient (const GError *error);

/* The data of one failed request. Every _finish function takes an optional
 * `DeskSiteFailure **failure`: when it returns a DESK_SITE_ERROR it also
 * stores a new failure there (free it with desk_site_failure_free). Each
 * failure belongs to its own request (it travels in the request's GTask), so
 * concurrent requests never see each other's failures. */
typedef struct {
  DeskSiteError  code;          /* the same as the GError's code */
  guint          status;        /* HTTP status, or 0 when no response came */
  int            retry_after;   /* seconds from Retry-After, or -1 when none */
  DeskApiError  *api_error;     /* the site's error body, or NULL (network
                                 * failures, bodies that were not JSON) */
} DeskSiteFailure;

#define DESK_TYPE_SITE_FAILURE (desk_site_failure_get_type ())
GType            desk_site_failure_get_type (void);
DeskSiteFailure *desk_site_failure_copy     (const DeskSiteFailure *self);
void             desk_site_failure_free     (DeskSiteFailure       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskSiteFailure, desk_site_failure_free)

/* ---- the client ---------------------------------------------------------- */

/* Response bodies larger than this are refused (DESK_SITE_ERROR_PROTOCOL)
 * without being kept in memory. */
#define DESK_SITE_CLIENT_MAX_RESPONSE ((gsize) 16 * 1024 * 1024)

#define DESK_TYPE_SITE_CLIENT (desk_site_client_get_type ())
G_DECLARE_FINAL_TYPE (DeskSiteClient, desk_site_client, DESK, SITE_CLIENT, GObject)

/* Properties:
 * "base-url" (string, construct-only): the site's root, e.g.
 *   "https://news.example.org" or "http://127.0.0.1:8080"; requests go to
 *   <base-url>/api/v1/…. https is required unless the host is loopback
 *   (127.0.0.0/8, ::1, localhost). No user info, query or fragment.
 * "token" (string, write-only): the bearer token; may be changed at any time
 *   and applies to requests started afterwards. It is never logged, never
 *   part of an error message (any server text that repeats it is masked),
 *   and cannot be read back.
 * "timeout" (uint, seconds, default 60): the deadline of one whole request,
 *   from connecting to the last byte of the body; read when a request starts.
 * "io-timeout" (uint, seconds, default 20, construct-only): the longest
 *   connect or single socket wait (SoupSession:timeout).
 * "idle-timeout" (uint, seconds, default 60, construct-only): how long an
 *   idle keep-alive connection is kept (SoupSession:idle-timeout).
 *
 * The client implements GInitable: the base URL is checked there, so use
 * desk_site_client_new() or g_initable_new().
 *
 * Requests run on the thread-default main context of the thread that starts
 * them; use one client from one thread. Redirects are never followed (a 3xx
 * is a protocol error), invalid TLS certificates are never accepted, a new
 * SoupMessage is made per call, and response bodies are parsed strictly
 * through src/core on a worker thread. */
DeskSiteClient  *desk_site_client_new                (const char           *base_url,
                                                      const char           *token,
                                                      GError              **error);
const char      *desk_site_client_get_base_url       (DeskSiteClient       *self);
void             desk_site_client_set_token          (DeskSiteClient       *self,
                                                      const char           *token);
guint            desk_site_client_get_timeout        (DeskSiteClient       *self);
void             desk_site_client_set_timeout        (DeskSiteClient       *self,
                                                      guint                 seconds);

/* A new Idempotency-Key for a publish (a random UUID). Make it once per
 * publish operation, store it with the operation and reuse it on every
 * retry. */
char            *desk_site_new_idempotency_key       (void);

/* GET /me */
void             desk_site_client_get_me_async       (DeskSiteClient       *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskAccount     *desk_site_client_get_me_finish      (DeskSiteClient       *self,
                                                      GAsyncResult         *result,
                                                      DeskSiteFailure     **failure,
                                                      GError              **error);

/* GET /config */
void             desk_site_client_get_config_async   (DeskSiteClient       *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskSiteConfig  *desk_site_client_get_config_finish  (DeskSiteClient       *self,
                                                      GAsyncResult         *result,
                                                      DeskSiteFailure     **failure,
                                                      GError              **error);

/* GET /entries: @since is a cursor from an earlier page or NULL for the
 * beginning; @statuses (@n_statuses of them) filters, or NULL/0 for all;
 * @limit 1–500, or 0 for the site's default. */
void             desk_site_client_list_entries_async (DeskSiteClient       *self,
                                                      const char           *since,
                                                      const DeskEntryStatus *statuses,
                                                      gsize                 n_statuses,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskEntryPage   *desk_site_client_list_entries_finish (DeskSiteClient      *self,
                                                       GAsyncResult        *result,
                                                       DeskSiteFailure    **failure,
                                                       GError             **error);

/* GET /entries/<id>: the full entry and its ETag (quotes included, and
 * checked to match the entry's revision). */
void             desk_site_client_get_entry_async    (DeskSiteClient       *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskEntry       *desk_site_client_get_entry_finish   (DeskSiteClient       *self,
                                                      GAsyncResult         *result,
                                                      char                **etag,
                                                      DeskSiteFailure     **failure,
                                                      GError              **error);

/* The writes. @if_match is the ETag the change is based on ("\"3\""); NULL
 * sends none (the site then answers 428). The body is serialized when the
 * call is made, so the caller may change @fields afterwards. */

/* PATCH /entries/<id> with the present members of @fields. */
void             desk_site_client_patch_entry_async  (DeskSiteClient       *self,
                                                      const char           *id,
                                                      const char           *if_match,
                                                      const DeskEditable   *fields,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskEntry       *desk_site_client_patch_entry_finish (DeskSiteClient       *self,
                                                      GAsyncResult         *result,
                                                      DeskSiteFailure     **failure,
                                                      GError              **error);

/* POST /entries/<id>/status; @reason may be NULL. */
void             desk_site_client_set_status_async   (DeskSiteClient       *self,
                                                      const char           *id,
                                                      const char           *if_match,
                                                      DeskEntryStatus       status,
                                                      const char           *reason,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskEntry       *desk_site_client_set_status_finish  (DeskSiteClient       *self,
                                                      GAsyncResult         *result,
                                                      DeskSiteFailure     **failure,
                                                      GError              **error);

/* POST /entries/<id>/publish; @idempotency_key: 1–128 printable ASCII (see
 * desk_site_new_idempotency_key()). Returns the published entry. */
void             desk_site_client_publish_async      (DeskSiteClient       *self,
                                                      const char           *id,
                                                      const char           *if_match,
                                                      const char           *idempotency_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskEntry       *desk_site_client_publish_finish     (DeskSiteClient       *self,
                                                      GAsyncResult         *result,
                                                      DeskSiteFailure     **failure,
                                                      GError              **error);

/* PUT /entries/<id>/lock: takes or renews the caller's lock. */
void             desk_site_client_take_lock_async    (DeskSiteClient       *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskLock        *desk_site_client_take_lock_finish   (DeskSiteClient       *self,
                                                      GAsyncResult         *result,
                                                      DeskSiteFailure     **failure,
                                                      GError              **error);

/* DELETE /entries/<id>/lock */
void             desk_site_client_release_lock_async (DeskSiteClient       *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean         desk_site_client_release_lock_finish (DeskSiteClient      *self,
                                                       GAsyncResult        *result,
                                                       DeskSiteFailure    **failure,
                                                       GError             **error);

/* POST /entries (role pipeline): @entry is sent in the pipeline form. */
void             desk_site_client_create_entry_async (DeskSiteClient       *self,
                                                      DeskEntry            *entry,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskEntry       *desk_site_client_create_entry_finish (DeskSiteClient      *self,
                                                       GAsyncResult        *result,
                                                       DeskSiteFailure    **failure,
                                                       GError             **error);

/* GET /glossary, with its ETag. */
void             desk_site_client_get_glossary_async (DeskSiteClient       *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskGlossary    *desk_site_client_get_glossary_finish (DeskSiteClient      *self,
                                                       GAsyncResult        *result,
                                                       char               **etag,
                                                       DeskSiteFailure    **failure,
                                                       GError             **error);

/* PUT /glossary: replaces the terms; returns the new glossary. */
void             desk_site_client_put_glossary_async (DeskSiteClient       *self,
                                                      const char           *if_match,
                                                      const DeskGlossary   *glossary,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
DeskGlossary    *desk_site_client_put_glossary_finish (DeskSiteClient      *self,
                                                       GAsyncResult        *result,
                                                       char               **etag,
                                                       DeskSiteFailure    **failure,
                                                       GError             **error);

G_END_DECLS
