/* desk-application.h: the Digest Desk application: backend start-up, app actions, demo mode
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-store.h"
#include "desk-sync.h"
#include "desk-session.h"

G_BEGIN_DECLS

#define DESK_TYPE_APPLICATION (desk_application_get_type ())
G_DECLARE_FINAL_TYPE (DeskApplication, desk_application, DESK, APPLICATION, AdwApplication)

/* Command line: --demo, --demo-interval SECONDS, --store FILE (the local
 * store; default under the user data dir, a fresh temporary one in the
 * demo), --site URL (the site; default: GSettings "site-url").
 *
 * The backend (store, client, sync, session) starts asynchronously after
 * the window is shown; "ready" turns TRUE when it runs (online or not) and
 * ::backend-failed (char *message) tells the window when it cannot.
 *
 * App actions: app.open-entry('id'), app.sync-now, app.about,
 * app.preferences, app.quit. */
DeskApplication *desk_application_new            (void);
gboolean         desk_application_get_ready      (DeskApplication *self);
DeskStore       *desk_application_get_store      (DeskApplication *self);
DeskSync        *desk_application_get_sync       (DeskApplication *self);
DeskSession     *desk_application_get_session    (DeskApplication *self);
DeskSiteClient  *desk_application_get_client     (DeskApplication *self);
/* The site's /config, or the contract's defaults until it was read. */
const DeskSiteConfig *desk_application_get_config (DeskApplication *self);
/* The account's display name, or its id, or NULL until known. */
const char      *desk_application_get_display_name (DeskApplication *self);
const char      *desk_application_get_account    (DeskApplication *self);
/* The demo site's base URL in --demo mode, else the configured site. */
const char      *desk_application_get_site_url   (DeskApplication *self);
/* TRUE once the first sync ended and what it brought is known: from then
 * on an incoming entry of importance 4 or more that arrives while no
 * window of the app is active is announced with a GNotification whose
 * default action is app.open-entry. */
gboolean         desk_application_get_watching_arrivals (DeskApplication *self);
/* The demo (a DeskDemo) in --demo mode, else NULL. */
GObject         *desk_application_get_demo       (DeskApplication *self);

G_END_DECLS
