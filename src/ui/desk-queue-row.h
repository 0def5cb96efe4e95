/* desk-queue-row.h: the widget of one queue row
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-queue-item.h"

G_BEGIN_DECLS

#define DESK_TYPE_QUEUE_ROW (desk_queue_row_get_type ())
G_DECLARE_FINAL_TYPE (DeskQueueRow, desk_queue_row, DESK, QUEUE_ROW, GtkWidget)

GtkWidget     *desk_queue_row_new      (void);
/* Shows @item (NULL: nothing) and follows its changes. */
void           desk_queue_row_set_item (DeskQueueRow  *self,
                                        DeskQueueItem *item);
DeskQueueItem *desk_queue_row_get_item (DeskQueueRow  *self);
/* For tests: the texts shown. */
const char    *desk_queue_row_get_title_text    (DeskQueueRow *self);
const char    *desk_queue_row_get_subtitle_text (DeskQueueRow *self);
const char    *desk_queue_row_get_lock_text     (DeskQueueRow *self);

/* The name shown for an entry status ("Incoming", …), translated. */
const char    *desk_status_display_name (DeskEntryStatus status);
const char    *desk_kind_icon_name      (DeskEntryKind   kind);

G_END_DECLS
