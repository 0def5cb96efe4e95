/* desk-fetch.c: fetch one full entry from the site into the store, on demand
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-fetch.h"

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = g_task_get_task_data (task);

  if (!desk_store_upsert_entries_finish (DESK_STORE (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_object_ref (g_ptr_array_index (entries, 0)), g_object_unref);
}

static void
got_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  DeskSync *sync = g_task_get_source_object (task);
  DeskEntry *entry;
  GPtrArray *entries;

  entry = desk_site_client_get_entry_finish (DESK_SITE_CLIENT (object), result, NULL, NULL, &error);
  if (entry == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (entries, entry);
  g_task_set_task_data (task, entries, (GDestroyNotify) g_ptr_array_unref);
  desk_store_upsert_entries_async (desk_sync_get_store (sync), entries,
                                   g_task_get_cancellable (task), stored_cb, g_object_ref (task));
}

void
desk_fetch_entry_async (DeskSync            *sync,
                        const char          *entry_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DESK_IS_SYNC (sync));
  g_return_if_fail (entry_id != NULL);

  task = g_task_new (sync, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_fetch_entry_async);
  desk_site_client_get_entry_async (desk_sync_get_client (sync), entry_id, cancellable,
                                    got_cb, g_object_ref (task));
}

DeskEntry *
desk_fetch_entry_finish (DeskSync      *sync,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, sync), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
