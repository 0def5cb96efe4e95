/* preview-test-util.h: what the preview tests share: a loopback server that counts, bounded waits, views in windows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "desk-web-view-private.h"

G_BEGIN_DECLS

/* A SoupServer on 127.0.0.1 behind a socket service of our own, so that
 * TCP connections are counted as well as HTTP requests (a preconnect opens
 * a connection without sending a request). Every path answers something a
 * browser would use: scripts that change the title, styles, a page. */
typedef struct {
  GSocketService *service;
  SoupServer     *server;
  guint16         port;
  guint           connections;
  guint           requests;
  GPtrArray      *paths;         /* of char *, in the order they came */
} CountingServer;

CountingServer *counting_server_new     (void);
void            counting_server_free    (CountingServer *self);
char           *counting_server_paths   (CountingServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CountingServer, counting_server_free)

/* Runs the default main context until condition (data) holds; fails the test
 * after timeout_ms. */
void            preview_wait_until      (gboolean      (*condition) (gpointer data),
                                         gpointer        data,
                                         guint           timeout_ms,
                                         const char     *what);
/* Runs the default main context for ms. */
void            preview_spin            (guint           ms);

/* A view in a presented 800×600 window. */
DeskWebView    *preview_view_new        (DeskWebViewGuards guards,
                                         GtkWindow     **window_out);
void            preview_window_destroy  (GtkWindow      *window);

/* set_html, then wait for content-shown (bounded). */
void            preview_show_html       (DeskWebView    *view,
                                         const char     *html,
                                         gboolean        keep_scroll);

/* The view's own read-back API, waited for (bounded). */
char           *preview_get_text        (DeskWebView    *view,
                                         DeskWebViewText what);
double          preview_get_scroll_y    (DeskWebView    *view);

/* A script of the test itself, in the page's main world, waited for. */
JSCValue       *preview_eval            (DeskWebView    *view,
                                         const char     *script);

/* The same, for its effect only. */
void            preview_run             (DeskWebView    *view,
                                         const char     *script);

/* template with every "@PORT@" replaced by port. */
char           *preview_with_port       (const char     *template,
                                         guint16         port);

G_END_DECLS
