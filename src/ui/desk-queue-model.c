/* desk-queue-model.c: the queue, a GListModel of DeskQueueItem backed by the store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-queue-model.h"

struct _DeskQueueModel
{
  GObject        parent_instance;

  DeskStore     *store;
  guint          status_mask;
  DeskStoreSort  sort;
  char          *query;

  GPtrArray     *items;        /* of DeskQueueItem* */
  GHashTable    *by_id;        /* id → DeskQueueItem* (borrowed from items) */

  GCancellable  *cancellable;  /* of the read under way */
  guint          reload_again : 1;
  guint          loading : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeskQueueModel, desk_queue_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_STATUS_MASK,
  PROP_SORT,
  PROP_QUERY,
  PROP_LOADING,
  N_PROPS
};

enum {
  LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A search returns at most this many rows; the list by status all of them. */
#define SEARCH_LIMIT 2000

static GType
desk_queue_model_get_item_type (GListModel *model)
{
  return DESK_TYPE_QUEUE_ITEM;
}

static guint
desk_queue_model_get_n_items (GListModel *model)
{
  return DESK_QUEUE_MODEL (model)->items->len;
}

static gpointer
desk_queue_model_get_item (GListModel *model,
                           guint       position)
{
  DeskQueueModel *self = DESK_QUEUE_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = desk_queue_model_get_item_type;
  iface->get_n_items = desk_queue_model_get_n_items;
  iface->get_item = desk_queue_model_get_item;
}

static void
set_loading (DeskQueueModel *self,
             gboolean        loading)
{
  if (self->loading == !!loading)
    return;
  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Applies the new list of rows: the common head and tail are kept (their
 * items updated in place) and the middle replaced in one items-changed, so
 * an entry arriving at the top shifts the selection instead of losing it.
 * Items of entries still listed anywhere are reused. */
static void
apply_rows (DeskQueueModel *self,
            GPtrArray      *rows)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_full (rows->len, g_object_unref);
  g_autoptr(GHashTable) fresh_ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint old_len = self->items->len;
  guint head = 0, tail = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const DeskStoreRow *row = g_ptr_array_index (rows, i);
      DeskQueueItem *item;

      /* A search could list an entry twice; keep its first place. */
      if (g_hash_table_contains (fresh_ids, row->id))
        continue;
      item = g_hash_table_lookup (self->by_id, row->id);
      if (item != NULL)
        {
          desk_queue_item_update (item, row);
          g_object_ref (item);
        }
      else
        item = desk_queue_item_new (row);
      g_ptr_array_add (fresh, item);
      g_hash_table_add (fresh_ids, (gpointer) desk_queue_item_get_id (item));
    }

  while (head < old_len && head < fresh->len &&
         g_ptr_array_index (self->items, head) == g_ptr_array_index (fresh, head))
    head++;
  while (tail < old_len - head && tail < fresh->len - head &&
         g_ptr_array_index (self->items, old_len - 1 - tail) ==
         g_ptr_array_index (fresh, fresh->len - 1 - tail))
    tail++;

  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&fresh);
  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < self->items->len; i++)
    {
      DeskQueueItem *item = g_ptr_array_index (self->items, i);
      g_hash_table_insert (self->by_id, (gpointer) desk_queue_item_get_id (item), item);
    }

  if (old_len - head - tail > 0 || self->items->len - head - tail > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), head,
                                old_len - head - tail,
                                self->items->len - head - tail);
}

static void start_read (DeskQueueModel *self);

static void
read_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DeskQueueModel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  /* Ask the result which read it was: the query may have changed since. */
  gboolean searching = g_async_result_is_tagged (result, desk_store_search_async);

  if (searching)
    rows = desk_store_search_finish (DESK_STORE (object), result, &error);
  else
    rows = desk_store_list_rows_finish (DESK_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);

  if (rows == NULL)
    g_warning ("Could not read the queue: %s", error->message);
  else
    {
      if (searching && self->status_mask != 0)
        {
          /* The search spans every status; keep the ones asked for. */
          for (guint i = rows->len; i > 0; i--)
            {
              const DeskStoreRow *row = g_ptr_array_index (rows, i - 1);
              if (!(self->status_mask & DESK_STORE_STATUS_BIT (row->status)))
                g_ptr_array_remove_index (rows, i - 1);
            }
        }
      apply_rows (self, rows);
    }

  if (self->reload_again)
    {
      start_read (self);
      return;
    }
  set_loading (self, FALSE);
  g_signal_emit (self, signals[LOADED], 0);
}

static void
start_read (DeskQueueModel *self)
{
  self->reload_again = FALSE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);

  if (self->query != NULL && self->query[0] != '\0')
    desk_store_search_async (self->store, self->query, SEARCH_LIMIT, self->cancellable,
                             read_done, g_object_ref (self));
  else
    desk_store_list_rows_async (self->store, self->status_mask, self->sort, 0, -1,
                                self->cancellable, read_done, g_object_ref (self));
}

void
desk_queue_model_reload (DeskQueueModel *self)
{
  g_return_if_fail (DESK_IS_QUEUE_MODEL (self));

  if (self->store == NULL)
    return;
  if (self->cancellable != NULL)
    {
      self->reload_again = TRUE;
      return;
    }
  start_read (self);
}

/* A change of what is asked makes the read under way useless. */
static void
restart (DeskQueueModel *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  desk_queue_model_reload (self);
}

static void
desk_queue_model_dispose (GObject *object)
{
  DeskQueueModel *self = DESK_QUEUE_MODEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (desk_queue_model_parent_class)->dispose (object);
}

static void
desk_queue_model_finalize (GObject *object)
{
  DeskQueueModel *self = DESK_QUEUE_MODEL (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->query);
  G_OBJECT_CLASS (desk_queue_model_parent_class)->finalize (object);
}

static void
desk_queue_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DeskQueueModel *self = DESK_QUEUE_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STATUS_MASK:
      g_value_set_uint (value, self->status_mask);
      break;
    case PROP_SORT:
      g_value_set_int (value, self->sort);
      break;
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_queue_model_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DeskQueueModel *self = DESK_QUEUE_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      desk_queue_model_set_store (self, g_value_get_object (value));
      break;
    case PROP_STATUS_MASK:
      desk_queue_model_set_status_mask (self, g_value_get_uint (value));
      break;
    case PROP_SORT:
      desk_queue_model_set_sort (self, g_value_get_int (value));
      break;
    case PROP_QUERY:
      desk_queue_model_set_query (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_queue_model_class_init (DeskQueueModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_queue_model_dispose;
  object_class->finalize = desk_queue_model_finalize;
  object_class->get_property = desk_queue_model_get_property;
  object_class->set_property = desk_queue_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_MASK] =
    g_param_spec_uint ("status-mask", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORT] =
    g_param_spec_int ("sort", NULL, NULL,
                      DESK_STORE_SORT_UPDATED_DESC, DESK_STORE_SORT_IMPORTANCE_DESC,
                      DESK_STORE_SORT_UPDATED_DESC,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
desk_queue_model_init (DeskQueueModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->sort = DESK_STORE_SORT_UPDATED_DESC;
}

DeskQueueModel *
desk_queue_model_new (void)
{
  return g_object_new (DESK_TYPE_QUEUE_MODEL, NULL);
}

void
desk_queue_model_set_store (DeskQueueModel *self,
                            DeskStore      *store)
{
  g_return_if_fail (DESK_IS_QUEUE_MODEL (self));
  g_return_if_fail (store == NULL || DESK_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  restart (self);
}

void
desk_queue_model_set_status_mask (DeskQueueModel *self,
                                  guint           mask)
{
  g_return_if_fail (DESK_IS_QUEUE_MODEL (self));

  if (self->status_mask == mask)
    return;
  self->status_mask = mask;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_MASK]);
  restart (self);
}

guint
desk_queue_model_get_status_mask (DeskQueueModel *self)
{
  g_return_val_if_fail (DESK_IS_QUEUE_MODEL (self), 0);
  return self->status_mask;
}

void
desk_queue_model_set_sort (DeskQueueModel *self,
                           DeskStoreSort   sort)
{
  g_return_if_fail (DESK_IS_QUEUE_MODEL (self));

  if (self->sort == sort)
    return;
  self->sort = sort;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT]);
  restart (self);
}

DeskStoreSort
desk_queue_model_get_sort (DeskQueueModel *self)
{
  g_return_val_if_fail (DESK_IS_QUEUE_MODEL (self), DESK_STORE_SORT_UPDATED_DESC);
  return self->sort;
}

void
desk_queue_model_set_query (DeskQueueModel *self,
                            const char     *query)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (DESK_IS_QUEUE_MODEL (self));

  stripped = g_strstrip (g_strdup (query != NULL ? query : ""));
  if (g_strcmp0 (self->query != NULL ? self->query : "", stripped) == 0)
    return;
  g_free (self->query);
  self->query = stripped[0] != '\0' ? g_steal_pointer (&stripped) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
  restart (self);
}

const char *
desk_queue_model_get_query (DeskQueueModel *self)
{
  g_return_val_if_fail (DESK_IS_QUEUE_MODEL (self), NULL);
  return self->query;
}

gboolean
desk_queue_model_get_loading (DeskQueueModel *self)
{
  g_return_val_if_fail (DESK_IS_QUEUE_MODEL (self), FALSE);
  return self->loading;
}

guint
desk_queue_model_find (DeskQueueModel *self,
                       const char     *entry_id)
{
  DeskQueueItem *item;

  g_return_val_if_fail (DESK_IS_QUEUE_MODEL (self), G_MAXUINT);

  if (entry_id == NULL || !(item = g_hash_table_lookup (self->by_id, entry_id)))
    return G_MAXUINT;
  for (guint i = 0; i < self->items->len; i++)
    if (g_ptr_array_index (self->items, i) == item)
      return i;
  return G_MAXUINT;
}
