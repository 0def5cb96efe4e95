/* desk-preview-loader.h: finds the preview layer (WebKit) when it is first needed
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-preview-ops.h"

G_BEGIN_DECLS

/* The preview's table, or NULL with @error set. Looked for in this program
 * first (tests link the preview), then in libdesk-preview.so: the file
 * DESK_PREVIEW_MODULE names, the build tree's (src/preview/ beside the
 * program), PKGLIBDIR's. Loaded once; later calls return the same. */
const DeskPreviewOps *desk_preview_loader_get        (GError              **error);
/* Loads it in a worker thread, so that the main thread does not wait for
 * WebKit's libraries (30 ms or more) when it is first needed. */
void                  desk_preview_loader_load_async (GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
const DeskPreviewOps *desk_preview_loader_load_finish (GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
