/* desk-fetch.c: fetch one full entry from the site into the store, on demand
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-fetch.h"

/* A failing or overloaded site is asked again, a few times, waiting
 * longer each time (and never less than its Retry-After). */
#define MAX_ATTEMPTS   10
#define FIRST_DELAY_MS 250
#define MAX_DELAY_MS   4000

typedef struct {
  char  *entry_id;
  guint  attempts;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_free (fetch->entry_id);
  g_free (fetch);
}

static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_SERVER) ||
         g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_TIMEOUT) ||
         g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_RATE_LIMITED) ||
         g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_NETWORK) ||
         g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_PROTOCOL);
}

static void got_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  DeskSync *sync = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);

  desk_site_client_get_entry_async (desk_sync_get_client (sync), fetch->entry_id,
                                    g_task_get_cancellable (task), got_cb, task);
  return G_SOURCE_REMOVE;
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = g_object_get_data (G_OBJECT (task), "desk-entries");

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
  g_autoptr(DeskSiteFailure) failure = NULL;
  DeskSync *sync = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  DeskEntry *entry;
  GPtrArray *entries;

  entry = desk_site_client_get_entry_finish (DESK_SITE_CLIENT (object), result, NULL, &failure, &error);
  if (entry == NULL)
    {
      if (is_transient (error) && ++fetch->attempts < MAX_ATTEMPTS)
        {
          guint delay = MIN (MAX_DELAY_MS, FIRST_DELAY_MS << MIN (fetch->attempts - 1, 8));

          if (failure != NULL && failure->retry_after > 0)
            delay = MAX (delay, (guint) MIN (failure->retry_after, 60) * 1000);
          g_timeout_add (delay, retry_cb, g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (entries, entry);
  g_object_set_data_full (G_OBJECT (task), "desk-entries", entries, (GDestroyNotify) g_ptr_array_unref);
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
  {
    Fetch *fetch = g_new0 (Fetch, 1);

    fetch->entry_id = g_strdup (entry_id);
    g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  }
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
