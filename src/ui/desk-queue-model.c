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

  /* The rows as read (immutable once applied, so a worker thread may
   * read them), an item per row made only when asked for, and the
   * position of each id. 100 000 rows never become 100 000 objects. */
  GPtrArray     *rows;         /* of DeskStoreRow*, owned */
  GPtrArray     *items;        /* of DeskQueueItem* or NULL, as long as rows */
  GHashTable    *index;        /* id (rows' string) → position + 1 */

  guint          shown;        /* rows told to the list: a prefix of rows */
  guint          show_source;  /* adds the next rows, see show_more() */

  GCancellable  *cancellable;  /* of the read under way */
  guint          reload_again : 1;
  guint          loading : 1;
  guint          owe_finish : 1;   /* the read ends when all rows are shown */
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
  SWAPPING,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A search returns at most this many rows; the list by status all of them. */
#define SEARCH_LIMIT 2000

/* The items array holds NULL for rows no one has asked for. */
static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static GType
desk_queue_model_get_item_type (GListModel *model)
{
  return DESK_TYPE_QUEUE_ITEM;
}

static guint
desk_queue_model_get_n_items (GListModel *model)
{
  return DESK_QUEUE_MODEL (model)->shown;
}

static gpointer
desk_queue_model_get_item (GListModel *model,
                           guint       position)
{
  DeskQueueModel *self = DESK_QUEUE_MODEL (model);
  DeskQueueItem *item;

  if (position >= self->shown)
    return NULL;
  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      item = desk_queue_item_new (g_ptr_array_index (self->rows, position));
      g_ptr_array_index (self->items, position) = item;
    }
  return g_object_ref (item);
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

/* What a worker thread prepares from a new read, so that the main thread
 * only swaps arrays: the id index, and the common head and tail of the
 * old and new lists (compared by id). */
typedef struct {
  GPtrArray  *old_rows;   /* a reference to the applied rows */
  GPtrArray  *rows;       /* the new rows, duplicates dropped */
  GHashTable *index;
  guint       head;
  guint       tail;
} Prepared;

static void
prepared_free (Prepared *p)
{
  g_clear_pointer (&p->old_rows, g_ptr_array_unref);
  g_clear_pointer (&p->rows, g_ptr_array_unref);
  g_clear_pointer (&p->index, g_hash_table_unref);
  g_free (p);
}

static const char *
row_id (GPtrArray *rows,
        guint      i)
{
  return ((const DeskStoreRow *) g_ptr_array_index (rows, i))->id;
}

static void
prepare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Prepared *p = task_data;
  guint old_len = p->old_rows->len;
  guint new_len;

  p->index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < p->rows->len; )
    {
      const char *id = row_id (p->rows, i);

      /* A search could list an entry twice; keep its first place. */
      if (g_hash_table_contains (p->index, id))
        {
          g_ptr_array_remove_index (p->rows, i);
          continue;
        }
      g_hash_table_insert (p->index, (gpointer) id, GUINT_TO_POINTER (i + 1));
      i++;
    }
  new_len = p->rows->len;

  while (p->head < old_len && p->head < new_len &&
         g_str_equal (row_id (p->old_rows, p->head), row_id (p->rows, p->head)))
    p->head++;
  while (p->tail < old_len - p->head && p->tail < new_len - p->head &&
         g_str_equal (row_id (p->old_rows, old_len - 1 - p->tail),
                      row_id (p->rows, new_len - 1 - p->tail)))
    p->tail++;
  g_task_return_boolean (task, TRUE);
}

static void
free_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  /* Here, not in the task's destroy notify: that would run wherever the
   * task is finalized, which may be the main thread. */
  prepared_free (task_data);
  g_task_return_boolean (task, TRUE);
}

/* Freeing 100 000 rows takes longer than a frame: a worker does it. The
 * caller must hold no other reference to @rows. */
static void
drop_later (GPtrArray  *rows,
            GHashTable *index)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  Prepared *garbage = g_new0 (Prepared, 1);

  garbage->rows = rows;
  garbage->index = index;
  g_task_set_task_data (task, garbage, NULL);
  g_task_run_in_thread (task, free_in_thread);
}

/* Above this many rows changed, the new rows are shown by chunks. */
#define BIG_CHANGE 1000
/* GTK 4.8's list view keeps up to 200 rows and makes them all again when
 * a whole list is replaced (about 0.3 ms each, in the next frame): the
 * first rows of a new list are told this many at a time, a frame apart,
 * the rest at once when the list view has its rows. (In idle callbacks,
 * several chunks went in before one frame, which then made them all.) */
#define ROWS_PER_TURN 40
#define ROWS_BY_CHUNKS 240
#define CHUNK_INTERVAL_MS 25

static void read_finished (DeskQueueModel *self);

static gboolean
show_more (gpointer user_data)
{
  DeskQueueModel *self = user_data;
  guint len = self->rows->len;
  guint position = self->shown;
  guint add = position < ROWS_BY_CHUNKS ? MIN (ROWS_PER_TURN, len - position) : len - position;

  self->shown += add;
  if (add > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, add);
  if (self->shown < len)
    return G_SOURCE_CONTINUE;
  self->show_source = 0;
  if (self->owe_finish)
    {
      self->owe_finish = FALSE;
      read_finished (self);
    }
  return G_SOURCE_REMOVE;
}

/* Swaps the prepared rows in: items already made are kept (updated in
 * place) wherever their entry is listed, and one items-changed covers
 * the middle, so an entry arriving at the top shifts the selection
 * instead of losing it. */
static void
apply_prepared (DeskQueueModel *self,
                Prepared       *p)
{
  GPtrArray *old_items = self->items;
  guint old_len = self->rows->len;
  guint old_shown = self->shown;
  guint new_len = p->rows->len;
  guint old_mid = old_len - p->head - p->tail;
  guint new_mid = new_len - p->head - p->tail;
  gboolean showing = self->show_source != 0;
  GPtrArray *items;

  /* Before anything changes: a selection may still let go of its item
   * while the model is as it knows it. */
  if (old_mid > 0 || new_mid > 0)
    g_signal_emit (self, signals[SWAPPING], 0);
  items = g_ptr_array_new_full (new_len, unref_item);

  g_ptr_array_set_size (items, new_len);
  for (guint i = 0; i < old_len; i++)
    {
      DeskQueueItem *item = g_ptr_array_index (old_items, i);
      gpointer found;
      guint to;

      if (item == NULL)
        continue;
      found = g_hash_table_lookup (p->index, desk_queue_item_get_id (item));
      if (found == NULL)
        continue;
      to = GPOINTER_TO_UINT (found) - 1;
      desk_queue_item_update (item, g_ptr_array_index (p->rows, to));
      g_ptr_array_index (items, to) = g_object_ref (item);
    }

  g_ptr_array_unref (old_items);
  self->items = items;
  g_clear_pointer (&p->old_rows, g_ptr_array_unref);
  drop_later (g_steal_pointer (&self->rows), g_steal_pointer (&self->index));
  self->rows = g_steal_pointer (&p->rows);
  self->index = g_steal_pointer (&p->index);

  if (old_mid == 0 && new_mid == 0)
    return;

  if (showing || old_mid + new_mid > BIG_CHANGE)
    {
      /* A new search or filter (or the first list): the rows shown that
       * both lists share at their head stay, the others go, and the new
       * ones come by chunks, the model passing through each state. In one
       * items-changed GTK's list view would remake its 200 rows at once,
       * and look for the item it scrolled to among every new row (making
       * an item for each: 100 000 when a search is cleared). */
      guint keep = MIN (p->head, old_shown);

      self->shown = keep;
      if (old_shown > keep)
        g_list_model_items_changed (G_LIST_MODEL (self), keep, old_shown - keep, 0);
      if (self->show_source == 0)
        self->show_source = g_timeout_add (CHUNK_INTERVAL_MS, show_more, self);
    }
  else
    {
      self->shown = new_len;
      g_list_model_items_changed (G_LIST_MODEL (self), p->head, old_mid, new_mid);
    }
}

static void start_read (DeskQueueModel *self);

static void
read_finished (DeskQueueModel *self)
{
  if (self->reload_again)
    {
      start_read (self);
      return;
    }
  g_clear_object (&self->cancellable);
  set_loading (self, FALSE);
  g_signal_emit (self, signals[LOADED], 0);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DeskQueueModel *self = DESK_QUEUE_MODEL (object);
  Prepared *p = g_task_get_task_data (G_TASK (result));

  /* A newer read replaced this one meanwhile: nothing to apply. */
  if (g_task_had_error (G_TASK (result)) ||
      g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  apply_prepared (self, p);
  if (self->show_source != 0)
    self->owe_finish = TRUE;   /* "loaded" when every row is shown */
  else
    read_finished (self);
}

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
      Prepared *p = g_new0 (Prepared, 1);
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, prepared_cb, NULL);

      p->old_rows = g_ptr_array_ref (self->rows);
      p->rows = g_steal_pointer (&rows);
      g_task_set_task_data (task, p, (GDestroyNotify) prepared_free);
      g_task_run_in_thread (task, prepare_thread);
      return;
    }
  read_finished (self);
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
  self->owe_finish = FALSE;
  desk_queue_model_reload (self);
}

static void
desk_queue_model_dispose (GObject *object)
{
  DeskQueueModel *self = DESK_QUEUE_MODEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->show_source, g_source_remove);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (desk_queue_model_parent_class)->dispose (object);
}

static void
desk_queue_model_finalize (GObject *object)
{
  DeskQueueModel *self = DESK_QUEUE_MODEL (object);

  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
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
  /* Right before the rows are swapped in (then items-changed, then
   * ::loaded): a selection kept by id may let go of its item here, so
   * that a GtkSingleSelection does not look for it among every new row
   * (making an item for each, 100 000 of them after a search is cleared). */
  signals[SWAPPING] = g_signal_new ("swapping", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
desk_queue_model_init (DeskQueueModel *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_store_row_free);
  self->items = g_ptr_array_new_with_free_func (unref_item);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
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
  gpointer found;

  g_return_val_if_fail (DESK_IS_QUEUE_MODEL (self), G_MAXUINT);

  if (entry_id == NULL || !(found = g_hash_table_lookup (self->index, entry_id)))
    return G_MAXUINT;
  if (GPOINTER_TO_UINT (found) - 1 >= self->shown)
    return G_MAXUINT;   /* not shown yet */
  return GPOINTER_TO_UINT (found) - 1;
}
