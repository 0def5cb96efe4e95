/* desk-site-synthetic.h: deterministic made-up entries for digest-site --synthetic
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-core.h"

G_BEGIN_DECLS

/* The id of synthetic entry @index (1-based): "synthetic-000042". */
char      *desk_site_synthetic_id    (guint       index);

/* Entry @index, always the same for the same @index and @public_base,
 * whatever N is: Japanese editable fields, an English original, a mix of
 * kinds and statuses (published ones under @public_base). */
DeskEntry *desk_site_synthetic_entry (guint       index,
                                      const char *public_base);

G_END_DECLS
