/* desk-site-server.h: the HTTP side of digest-site: routing, checks and handlers of Site API v1
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-site-db.h"

G_BEGIN_DECLS

typedef enum {
  DESK_SITE_ROLE_EDITOR,
  DESK_SITE_ROLE_PIPELINE,
} DeskSiteRole;

/* What the command line decides; the server copies it. */
typedef struct {
  GPtrArray  *tokens;             /* of DeskSiteToken* */
  GHashTable *display_names;      /* account → display name */
  char       *public_base;        /* without a trailing '/' */
  int         lock_seconds;
  double      fail_rate;          /* 0–1 */
  int         delay_ms;
  double      drop_after_commit;  /* 0–1 */
  int         retry_after;        /* seconds, or -1 for no Retry-After */
  gboolean    has_fault_seed;
  guint32     fault_seed;
} DeskSiteSettings;

typedef struct {
  char         *account;
  DeskSiteRole  role;
  char         *secret;
} DeskSiteToken;

DeskSiteToken *desk_site_token_new_parse (const char    *spec,
                                          GError       **error);
void           desk_site_token_free      (DeskSiteToken *token);

#define DESK_TYPE_SITE_SERVER (desk_site_server_get_type ())
G_DECLARE_FINAL_TYPE (DeskSiteServer, desk_site_server, DESK, SITE_SERVER, GObject)

DeskSiteServer *desk_site_server_new      (DeskSiteDb              *db,
                                           const DeskSiteSettings  *settings);
/* Listens on 127.0.0.1 only; @port 0 picks a free one, returned in
 * @bound_port. */
gboolean        desk_site_server_listen   (DeskSiteServer          *self,
                                           guint                    port,
                                           guint                   *bound_port,
                                           GError                 **error);
/* Closes the listening socket and every client connection. */
void            desk_site_server_shutdown (DeskSiteServer          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskSiteToken, desk_site_token_free)

G_END_DECLS
