/* desk-fetch.h: fetch one full entry from the site into the store, on demand
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-sync.h"

G_BEGIN_DECLS

/* GET the entry, store it (and its revision), and complete with it. For an
 * entry the prefetch has not reached yet, or one that failed there. */
void       desk_fetch_entry_async  (DeskSync             *sync,
                                    const char           *entry_id,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
DeskEntry *desk_fetch_entry_finish (DeskSync             *sync,
                                    GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
