/* desk-queue-item.c: one row of the queue, a GObject view of a DeskStoreRow
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-queue-item.h"

struct _DeskQueueItem
{
  GObject       parent_instance;
  DeskStoreRow *row;
};

G_DEFINE_FINAL_TYPE (DeskQueueItem, desk_queue_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROW,
  PROP_ID,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
desk_queue_item_finalize (GObject *object)
{
  DeskQueueItem *self = DESK_QUEUE_ITEM (object);

  g_clear_pointer (&self->row, desk_store_row_free);
  G_OBJECT_CLASS (desk_queue_item_parent_class)->finalize (object);
}

static void
desk_queue_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DeskQueueItem *self = DESK_QUEUE_ITEM (object);

  switch (prop_id)
    {
    case PROP_ROW:
      g_value_set_boxed (value, self->row);
      break;
    case PROP_ID:
      g_value_set_string (value, self->row->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->row->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_queue_item_class_init (DeskQueueItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = desk_queue_item_finalize;
  object_class->get_property = desk_queue_item_get_property;

  properties[PROP_ROW] =
    g_param_spec_boxed ("row", NULL, NULL, DESK_TYPE_STORE_ROW,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_queue_item_init (DeskQueueItem *self)
{
}

DeskQueueItem *
desk_queue_item_new (const DeskStoreRow *row)
{
  DeskQueueItem *self;

  g_return_val_if_fail (row != NULL && row->id != NULL, NULL);

  self = g_object_new (DESK_TYPE_QUEUE_ITEM, NULL);
  self->row = desk_store_row_copy (row);
  return self;
}

static gboolean
row_equal (const DeskStoreRow *a,
           const DeskStoreRow *b)
{
  return a->revision == b->revision &&
         a->status == b->status &&
         a->kind == b->kind &&
         a->importance == b->importance &&
         a->qa_errors == b->qa_errors &&
         a->has_full == b->has_full &&
         g_strcmp0 (a->title, b->title) == 0 &&
         g_strcmp0 (a->source_name, b->source_name) == 0 &&
         g_strcmp0 (a->updated_at, b->updated_at) == 0 &&
         g_strcmp0 (a->collected_at, b->collected_at) == 0 &&
         g_strcmp0 (a->lock_editor, b->lock_editor) == 0 &&
         g_strcmp0 (a->lock_expires_at, b->lock_expires_at) == 0;
}

gboolean
desk_queue_item_update (DeskQueueItem      *self,
                        const DeskStoreRow *row)
{
  gboolean title_changed;

  g_return_val_if_fail (DESK_IS_QUEUE_ITEM (self), FALSE);
  g_return_val_if_fail (row != NULL && g_strcmp0 (row->id, self->row->id) == 0, FALSE);

  if (row_equal (self->row, row))
    return FALSE;

  title_changed = g_strcmp0 (self->row->title, row->title) != 0;
  desk_store_row_free (self->row);
  self->row = desk_store_row_copy (row);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW]);
  if (title_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  return TRUE;
}

const DeskStoreRow *
desk_queue_item_get_row (DeskQueueItem *self)
{
  g_return_val_if_fail (DESK_IS_QUEUE_ITEM (self), NULL);
  return self->row;
}

const char *
desk_queue_item_get_id (DeskQueueItem *self)
{
  g_return_val_if_fail (DESK_IS_QUEUE_ITEM (self), NULL);
  return self->row->id;
}

const char *
desk_queue_item_get_title (DeskQueueItem *self)
{
  g_return_val_if_fail (DESK_IS_QUEUE_ITEM (self), NULL);
  return self->row->title;
}

DeskEntryStatus
desk_queue_item_get_status (DeskQueueItem *self)
{
  g_return_val_if_fail (DESK_IS_QUEUE_ITEM (self), DESK_ENTRY_STATUS_INCOMING);
  return self->row->status;
}

gint64
desk_queue_item_get_revision (DeskQueueItem *self)
{
  g_return_val_if_fail (DESK_IS_QUEUE_ITEM (self), 0);
  return self->row->revision;
}

char *
desk_queue_format_relative_time (const char *rfc3339,
                                 gint64      now_us)
{
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) then_local = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 seconds;

  if (rfc3339 == NULL || !(then = g_date_time_new_from_iso8601 (rfc3339, NULL)))
    return NULL;

  seconds = (now_us - g_date_time_to_unix (then) * G_USEC_PER_SEC) / G_USEC_PER_SEC;
  if (seconds < 60)
    return g_strdup (_("just now"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (NULL, "%d minute ago", "%d minutes ago", seconds / 60),
                            (int) (seconds / 60));
  if (seconds < 24 * 3600)
    return g_strdup_printf (g_dngettext (NULL, "%d hour ago", "%d hours ago", seconds / 3600),
                            (int) (seconds / 3600));

  now = g_date_time_new_from_unix_local (now_us / G_USEC_PER_SEC);
  then_local = g_date_time_to_local (then);
  if (seconds < 48 * 3600 &&
      g_date_time_get_day_of_year (now) != g_date_time_get_day_of_year (then_local) &&
      (g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (then_local) == 1 ||
       g_date_time_get_day_of_year (now) == 1))
    return g_strdup (_("yesterday"));
  if (g_date_time_get_year (now) == g_date_time_get_year (then_local))
    /* Translators: a date in this year, strftime format (e.g. 11月3日) */
    return g_date_time_format (then_local, _("%b %-d"));
  /* Translators: a date in another year, strftime format (e.g. 2025年11月3日) */
  return g_date_time_format (then_local, _("%b %-d, %Y"));
}
