/* desk-web-view-private.h: the parts of DeskWebView only its tests use
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-web-view.h"

G_BEGIN_DECLS

/* The independent layers of isolation. The application always gets all of
 * them; the tests turn single layers off to prove that each one holds by
 * itself, and all of them off to prove that the hostile page is really
 * hostile. decide-policy (no navigation, no new window, no download) cannot
 * be turned off. */
typedef enum {
  DESK_WEB_VIEW_GUARD_NONE    = 0,
  DESK_WEB_VIEW_GUARD_SCRIPTS = 1 << 0,  /* enable-javascript-markup FALSE */
  DESK_WEB_VIEW_GUARD_CSP     = 1 << 1,  /* the meta tag and the default CSP */
  DESK_WEB_VIEW_GUARD_FILTER  = 1 << 2,  /* the content filter */
  DESK_WEB_VIEW_GUARD_ALL     = 0x7,
} DeskWebViewGuards;

/* The policy every view enforces, stricter than the meta tag. */
#define DESK_WEB_VIEW_DEFAULT_CSP                                             \
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "            \
  "form-action 'none'; base-uri 'none'; frame-src 'none'; object-src 'none'"

GtkWidget *desk_web_view_new_with_guards          (DeskWebViewGuards     guards);

/* Drops every item of menu but copying. */
void       desk_web_view_filter_context_menu      (WebKitContextMenu    *menu);

/* Whether a navigation action comes from the user (see the .c for why the
 * mouse button is part of it). */
gboolean   desk_web_view_action_is_user_gesture   (WebKitNavigationAction *action);

G_END_DECLS
