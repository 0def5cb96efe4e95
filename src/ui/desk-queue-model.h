/* desk-queue-model.h: the queue, a GListModel of DeskQueueItem backed by the store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-store.h"
#include "desk-queue-item.h"

G_BEGIN_DECLS

#define DESK_TYPE_QUEUE_MODEL (desk_queue_model_get_type ())
G_DECLARE_FINAL_TYPE (DeskQueueModel, desk_queue_model, DESK, QUEUE_MODEL, GObject)

/* A GListModel whose rows are read from the store on its worker thread,
 * never on the main thread. Changing the filter, the sort or the query, or
 * calling desk_queue_model_reload(), reads the rows again (calls made while
 * a read is under way are coalesced) and applies the difference: items of
 * entries still listed are kept and updated in place, so a selection and a
 * scroll position survive new entries arriving.
 *
 * Properties: "store" (construct-only, nullable until set), "status-mask"
 * (DESK_STORE_STATUS_BIT()s, 0 all), "sort" (DeskStoreSort as int), "query"
 * (a search; NULL or "" lists by status and sort; a search lists matches in
 * the store's order, filtered by status), "loading" (read-only).
 * Signal ::loaded (): a read was applied. */
DeskQueueModel *desk_queue_model_new             (void);
void            desk_queue_model_set_store       (DeskQueueModel *self,
                                                  DeskStore      *store);
void            desk_queue_model_set_status_mask (DeskQueueModel *self,
                                                  guint           mask);
guint           desk_queue_model_get_status_mask (DeskQueueModel *self);
void            desk_queue_model_set_sort        (DeskQueueModel *self,
                                                  DeskStoreSort   sort);
DeskStoreSort   desk_queue_model_get_sort        (DeskQueueModel *self);
void            desk_queue_model_set_query       (DeskQueueModel *self,
                                                  const char     *query);
const char     *desk_queue_model_get_query       (DeskQueueModel *self);
gboolean        desk_queue_model_get_loading     (DeskQueueModel *self);
void            desk_queue_model_reload          (DeskQueueModel *self);
/* The position of the entry, or G_MAXUINT. */
guint           desk_queue_model_find            (DeskQueueModel *self,
                                                  const char     *entry_id);

G_END_DECLS
