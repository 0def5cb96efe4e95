/* desk-web-view.h: a hardened WebKitWebView for untrusted originals and the site preview
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

G_BEGIN_DECLS

/* Every content is loaded with this base URI; it is also the view's URI. */
#define DESK_WEB_VIEW_BASE_URI "about:blank"

/* The policy put first into every content that does not begin with it
 * (the sanitizer of src/core writes exactly this tag). */
#define DESK_WEB_VIEW_CSP_META                                              \
  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; " \
  "style-src 'unsafe-inline'; img-src data:\">"

/* The class an element gets from desk_web_view_highlight_block(). */
#define DESK_WEB_VIEW_HIGHLIGHT_CLASS "desk-highlight"

typedef enum {
  DESK_WEB_VIEW_LINK_DENY,
  DESK_WEB_VIEW_LINK_OPEN_EXTERNALLY,
} DeskWebViewLinkDecision;

typedef enum {
  DESK_WEB_VIEW_TEXT_BODY,   /* document.body.innerText */
  DESK_WEB_VIEW_TEXT_TITLE,  /* document.title */
} DeskWebViewText;

#define DESK_TYPE_WEB_VIEW (desk_web_view_get_type ())
G_DECLARE_FINAL_TYPE (DeskWebView, desk_web_view, DESK, WEB_VIEW, WebKitWebView)

/* However it is created (also by GtkBuilder), a DeskWebView uses the shared
 * ephemeral session and web context, hardened settings, its own content
 * manager with the network-blocking filter, and a default CSP; page scripts
 * never run. Signals:
 *   open-link (const char *uri) → gboolean: a user activated an http(s)
 *     link; the default handler opens it with gtk_show_uri(). Return TRUE
 *     from a handler to stop it. The view itself never navigates.
 *   content-shown (): a content given to desk_web_view_set_html() is loaded
 *     (and its scroll position restored when asked). */
GtkWidget              *desk_web_view_new                  (void);

/* Replaces the content. Nothing is loaded before the content filter is in
 * place; calls made meanwhile, or while a load is under way, are coalesced
 * (the last one wins), so calling this on every keystroke is fine. With
 * keep_scroll, the vertical scroll position of what is shown when the load
 * starts is restored after it. */
void                    desk_web_view_set_html             (DeskWebView          *self,
                                                            const char           *html,
                                                            gboolean              keep_scroll);
void                    desk_web_view_warm_up              (DeskWebView          *self);

/* Gives the element with data-block="n" the highlight class (taking it from
 * any other) and scrolls it into view; n < 0 only clears. Runs after any
 * pending content is shown. */
void                    desk_web_view_highlight_block      (DeskWebView          *self,
                                                            int                   n);

/* What the view shows, read back after any pending content is shown. */
void                    desk_web_view_get_text_async       (DeskWebView          *self,
                                                            DeskWebViewText       what,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
char                   *desk_web_view_get_text_finish      (DeskWebView          *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void                    desk_web_view_get_scroll_y_async   (DeskWebView          *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean                desk_web_view_get_scroll_y_finish  (DeskWebView          *self,
                                                            GAsyncResult         *result,
                                                            double               *scroll_y,
                                                            GError              **error);

/* The link policy, pure: only http and https URIs activated by the user are
 * opened, outside the view; everything else is denied. */
DeskWebViewLinkDecision desk_web_view_decide_link          (const char           *uri,
                                                            gboolean              is_user_gesture);

/* html with DESK_WEB_VIEW_CSP_META put first (after a leading doctype) unless
 * it already begins with it. */
char                   *desk_web_view_ensure_csp           (const char           *html);

G_END_DECLS
