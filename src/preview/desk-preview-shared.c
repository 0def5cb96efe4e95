/* desk-preview-shared.c: the session, web context and content filter every DeskWebView shares
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "desk-preview-shared.h"

#define FILTER_ID "desk-block-network-v1"

/* file: is not a network scheme, but nothing shown here may read local
 * files either; data: stays allowed (inline images). */
static const char filter_rules[] =
  "["
  "{\"trigger\":{\"url-filter\":\"^https?:\"},\"action\":{\"type\":\"block\"}},"
  "{\"trigger\":{\"url-filter\":\"^wss?:\"},\"action\":{\"type\":\"block\"}},"
  "{\"trigger\":{\"url-filter\":\"^ftps?:\"},\"action\":{\"type\":\"block\"}},"
  "{\"trigger\":{\"url-filter\":\"^file:\"},\"action\":{\"type\":\"block\"}}"
  "]";

static WebKitNetworkSession    *network_session;
static WebKitWebContext        *web_context;
static WebKitUserContentFilter *filter;
static GPtrArray               *filter_waiters;  /* of GTask, NULL when not compiling */

const char *
desk_preview_filter_rules (void)
{
  return filter_rules;
}

static void
on_download_started (WebKitNetworkSession *session,
                     WebKitDownload       *download,
                     gpointer              user_data)
{
  g_debug ("Refusing a download of %s",
           webkit_uri_request_get_uri (webkit_download_get_request (download)));
  webkit_download_cancel (download);
}

WebKitNetworkSession *
desk_preview_get_network_session (void)
{
  if (network_session == NULL)
    {
      network_session = webkit_network_session_new_ephemeral ();
      webkit_network_session_set_tls_errors_policy (network_session,
                                                    WEBKIT_TLS_ERRORS_POLICY_FAIL);
      g_signal_connect (network_session, "download-started",
                        G_CALLBACK (on_download_started), NULL);
    }

  return network_session;
}

WebKitWebContext *
desk_preview_get_web_context (void)
{
  if (web_context == NULL)
    {
      /* A context of our own keeps these pages in web processes that no
       * other view of the application shares; the document-viewer cache
       * model keeps no page or memory cache between contents. */
      web_context = webkit_web_context_new ();
      webkit_web_context_set_cache_model (web_context, WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER);
      webkit_web_context_set_spell_checking_enabled (web_context, FALSE);
    }

  return web_context;
}

static void
remove_store_dir_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  /* The store holds one flat file per filter; the compiled filter stays
   * mapped in memory after its file is gone. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (g_unlink (file) != 0)
        g_debug ("Could not remove %s: %s", file, g_strerror (errno));
    }

  if (g_rmdir (path) != 0)
    g_debug ("Could not remove %s: %s", path, g_strerror (errno));

  g_task_return_boolean (task, TRUE);
}

static void
remove_store_dir (const char *path)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, remove_store_dir);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, remove_store_dir_thread);
}

static void
filter_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WebKitUserContentFilterStore *store = WEBKIT_USER_CONTENT_FILTER_STORE (object);
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&filter_waiters);
  g_autoptr(WebKitUserContentFilter) compiled = NULL;
  g_autoptr(GError) error = NULL;

  compiled = webkit_user_content_filter_store_save_finish (store, result, &error);
  remove_store_dir (webkit_user_content_filter_store_get_path (store));

  if (compiled != NULL)
    filter = webkit_user_content_filter_ref (compiled);
  else
    g_warning ("Could not compile the content filter: %s", error->message);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (compiled != NULL)
        g_task_return_pointer (task, webkit_user_content_filter_ref (compiled),
                               (GDestroyNotify) webkit_user_content_filter_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }

  g_object_unref (store);
}

void
desk_preview_get_filter_async (GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  WebKitUserContentFilterStore *store;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_preview_get_filter_async);

  if (filter != NULL)
    {
      g_task_return_pointer (task, webkit_user_content_filter_ref (filter),
                             (GDestroyNotify) webkit_user_content_filter_unref);
      return;
    }

  if (filter_waiters != NULL)
    {
      g_ptr_array_add (filter_waiters, g_steal_pointer (&task));
      return;
    }

  dir = g_dir_make_tmp ("digest-desk-filter-XXXXXX", &error);
  if (dir == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  filter_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (filter_waiters, g_steal_pointer (&task));

  /* Not cancellable: other views may be waiting for the same filter. */
  store = webkit_user_content_filter_store_new (dir);
  rules = g_bytes_new_static (filter_rules, sizeof filter_rules - 1);
  webkit_user_content_filter_store_save (store, FILTER_ID, rules, NULL,
                                         filter_saved_cb, NULL);
}

WebKitUserContentFilter *
desk_preview_get_filter_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
