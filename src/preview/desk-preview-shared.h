/* desk-preview-shared.h: what every DeskWebView shares: the ephemeral network session, the web context and the network-blocking content filter
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

G_BEGIN_DECLS

/* The rules, as WebKit content-blocker JSON: every load whose URL starts with
 * one of these schemes is blocked. WebKit's url-filter has no alternation, so
 * there is one rule per scheme family. */
const char              *desk_preview_filter_rules        (void);

/* One ephemeral session (nothing on disk: no cookies, no cache, no HSTS
 * store) and one private web context for all views; downloads started in
 * the session are cancelled. */
WebKitNetworkSession    *desk_preview_get_network_session (void);
WebKitWebContext        *desk_preview_get_web_context     (void);

/* The compiled filter. It is compiled once per process, asynchronously, in
 * a private temporary directory that is removed again afterwards; callers
 * that ask while it compiles wait for the same result. */
void                     desk_preview_get_filter_async    (GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
WebKitUserContentFilter *desk_preview_get_filter_finish   (GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
