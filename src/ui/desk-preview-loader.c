/* desk-preview-loader.c: finds the preview layer (WebKit) when it is first needed
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-preview-loader.h"

#define MODULE_NAME "libdesk-preview.so"

static GMutex lock;
static const DeskPreviewOps *loaded;

static const DeskPreviewOps *
ops_from (GModule *module)
{
  gpointer symbol = NULL;

  if (module == NULL || !g_module_symbol (module, DESK_PREVIEW_OPS_SYMBOL, &symbol) || symbol == NULL)
    return NULL;
  return ((DeskPreviewGetOps) symbol) ();
}

static const DeskPreviewOps *
load_locked (GError **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) tried = g_string_new (NULL);
  g_autofree char *exe = NULL;
  GModule *self_module;

  if (loaded != NULL)
    return loaded;

  /* A program that links the preview (the tests) exports its table. */
  self_module = g_module_open (NULL, 0);
  loaded = ops_from (self_module);
  if (self_module != NULL)
    g_module_close (self_module);
  if (loaded != NULL)
    return loaded;

  if (g_getenv ("DESK_PREVIEW_MODULE") != NULL)
    g_ptr_array_add (candidates, g_strdup (g_getenv ("DESK_PREVIEW_MODULE")));
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_ptr_array_add (candidates, g_build_filename (dir, "preview", MODULE_NAME, NULL));
    }
  g_ptr_array_add (candidates, g_build_filename (PKGLIBDIR, MODULE_NAME, NULL));

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *path = g_ptr_array_index (candidates, i);
      GModule *module;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      /* Kept loaded for good: it registers GTypes. */
      module = g_module_open (path, G_MODULE_BIND_LOCAL);
      if (module == NULL)
        {
          g_string_append_printf (tried, "%s%s", tried->len > 0 ? "; " : "", g_module_error ());
          continue;
        }
      g_module_make_resident (module);
      loaded = ops_from (module);
      if (loaded != NULL)
        return loaded;
    }

  if (tried->len == 0)
    g_string_append (tried, MODULE_NAME);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               /* Translators: %s is a file name or the loader's message */
               _("The part that shows web pages could not be loaded (%s)"), tried->str);
  return NULL;
}

const DeskPreviewOps *
desk_preview_loader_get (GError **error)
{
  const DeskPreviewOps *ops;

  g_mutex_lock (&lock);
  ops = load_locked (error);
  g_mutex_unlock (&lock);
  return ops;
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  const DeskPreviewOps *ops = desk_preview_loader_get (&error);

  if (ops == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, (gpointer) ops, NULL);
}

void
desk_preview_loader_load_async (GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, desk_preview_loader_load_async);
  g_task_run_in_thread (task, load_thread);
}

const DeskPreviewOps *
desk_preview_loader_load_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
