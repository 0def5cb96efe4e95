/* desk-preview-ops.h: what the window asks of the preview layer, without WebKit's headers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linking WebKit made every start 40 ms slower (its libraries and the
 * symbol look-ups they lengthen), so the app does not link src/preview: it
 * loads it as a module (libdesk-preview.so) after the window's first frame
 * and reaches it through this table. Programs that link the preview
 * statically (tests) export the same table; the loader finds it there
 * first (see src/ui/desk-preview-loader.h).
 */
#pragma once

#include <gmodule.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  /* A hardened DeskWebView; its ::content-shown () signal is emitted when
   * a content given to set_html is loaded. */
  GtkWidget *(*new_view)        (void);
  void       (*set_html)        (GtkWidget  *view,
                                 const char *html,
                                 gboolean    keep_scroll);
  void       (*warm_up)         (GtkWidget  *view);
  void       (*highlight_block) (GtkWidget  *view,
                                 int         n);
} DeskPreviewOps;

#define DESK_PREVIEW_OPS_SYMBOL "desk_preview_get_ops"

typedef const DeskPreviewOps *(*DeskPreviewGetOps) (void);

/* In the preview layer. */
const DeskPreviewOps *desk_preview_get_ops (void);

G_END_DECLS
