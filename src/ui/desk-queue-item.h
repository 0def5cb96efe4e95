/* desk-queue-item.h: one row of the queue, a GObject view of a DeskStoreRow
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-store.h"

G_BEGIN_DECLS

#define DESK_TYPE_QUEUE_ITEM (desk_queue_item_get_type ())
G_DECLARE_FINAL_TYPE (DeskQueueItem, desk_queue_item, DESK, QUEUE_ITEM, GObject)

/* Properties (read-only): "row" (DeskStoreRow, notified when
 * desk_queue_item_update() changes it), "id", "title". A row widget
 * listens to notify::row and redraws itself. */
DeskQueueItem      *desk_queue_item_new              (const DeskStoreRow *row);
/* Takes the new values of the same entry; returns whether anything changed. */
gboolean            desk_queue_item_update           (DeskQueueItem      *self,
                                                      const DeskStoreRow *row);
const DeskStoreRow *desk_queue_item_get_row          (DeskQueueItem      *self);
const char         *desk_queue_item_get_id           (DeskQueueItem      *self);
const char         *desk_queue_item_get_title        (DeskQueueItem      *self);
DeskEntryStatus     desk_queue_item_get_status       (DeskQueueItem      *self);
gint64              desk_queue_item_get_revision     (DeskQueueItem      *self);

/* "3分前", "昨日", … relative to @now_us (unix µs), for the row's subtitle;
 * NULL when @rfc3339 cannot be read. */
char               *desk_queue_format_relative_time  (const char         *rfc3339,
                                                      gint64              now_us);

G_END_DECLS
