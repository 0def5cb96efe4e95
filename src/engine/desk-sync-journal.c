/* desk-sync-journal.c: what the engine decided about queued operations, kept in a file beside the store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-sync-journal.h"

struct _DeskSyncJournal
{
  char        *path;
  GKeyFile    *keyfile;
  /* One thread, so saves land in the order they were asked for: a later
   * snapshot must never be overwritten by an earlier one. */
  GThreadPool *writer;
};

#define CHAIN_GROUP "chain"

static char *
op_group (gint64 op_id)
{
  return g_strdup_printf ("op %" G_GINT64_FORMAT, op_id);
}

void
desk_sync_conflict_free (DeskSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->entry_id);
  g_clear_pointer (&conflict->mine, desk_editable_free);
  g_clear_pointer (&conflict->theirs, desk_editable_free);
  g_clear_pointer (&conflict->merged, desk_editable_free);
  g_free (conflict->theirs_etag);
  g_free (conflict);
}

static void
writer_func (gpointer data,
             gpointer user_data)
{
  g_autoptr(GTask) task = data;
  GBytes *bytes = g_task_get_task_data (task);
  const char *path = user_data;
  GError *error = NULL;
  gsize len;
  const char *contents = g_bytes_get_data (bytes, &len);

  if (!g_file_set_contents_full (path, contents, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

DeskSyncJournal *
desk_sync_journal_new (const char *path)
{
  DeskSyncJournal *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (DeskSyncJournal, 1);
  self->path = g_strdup (path);
  self->keyfile = g_key_file_new ();
  self->writer = g_thread_pool_new (writer_func, self->path, 1, FALSE, NULL);
  return self;
}

void
desk_sync_journal_free (DeskSyncJournal *self)
{
  if (self == NULL)
    return;
  /* Waits for the saves already asked for: they were promised. */
  g_thread_pool_free (self->writer, FALSE, TRUE);
  g_key_file_free (self->keyfile);
  g_free (self->path);
  g_free (self);
}

const char *
desk_sync_journal_get_path (DeskSyncJournal *self)
{
  return self->path;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  GError *error = NULL;

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_clear_error (&error);
          g_task_return_pointer (task, g_steal_pointer (&keyfile), (GDestroyNotify) g_key_file_free);
          return;
        }
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&keyfile), (GDestroyNotify) g_key_file_free);
}

void
desk_sync_journal_load_async (DeskSyncJournal     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, desk_sync_journal_load_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
desk_sync_journal_load_finish (DeskSyncJournal  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  GKeyFile *keyfile = g_task_propagate_pointer (G_TASK (result), error);

  if (keyfile == NULL)
    return FALSE;
  g_key_file_free (self->keyfile);
  self->keyfile = keyfile;
  return TRUE;
}

void
desk_sync_journal_save_async (DeskSyncJournal     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  gsize len = 0;
  char *data = g_key_file_to_data (self->keyfile, &len, NULL);

  g_task_set_source_tag (task, desk_sync_journal_save_async);
  /* A save once asked for is written even when the caller is cancelled:
   * the engine may already act on it. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_bytes_new_take (data, len), (GDestroyNotify) g_bytes_unref);
  g_thread_pool_push (self->writer, task, NULL);
}

gboolean
desk_sync_journal_save_finish (DeskSyncJournal  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
desk_sync_journal_get_op (DeskSyncJournal  *self,
                          gint64            op_id,
                          char            **if_match,
                          char            **payload)
{
  g_autofree char *group = op_group (op_id);
  char *im, *pl;

  im = g_key_file_get_string (self->keyfile, group, "if-match", NULL);
  pl = g_key_file_get_string (self->keyfile, group, "payload", NULL);
  if (if_match != NULL)
    *if_match = im;
  else
    g_free (im);
  if (payload != NULL)
    *payload = pl;
  else
    g_free (pl);
  return g_key_file_has_key (self->keyfile, group, "if-match", NULL) ||
         g_key_file_has_key (self->keyfile, group, "payload", NULL);
}

void
desk_sync_journal_set_op (DeskSyncJournal *self,
                          gint64           op_id,
                          const char      *if_match,
                          const char      *payload)
{
  g_autofree char *group = op_group (op_id);

  if (if_match != NULL)
    g_key_file_set_string (self->keyfile, group, "if-match", if_match);
  if (payload != NULL)
    g_key_file_set_string (self->keyfile, group, "payload", payload);
}

void
desk_sync_journal_remove_op (DeskSyncJournal *self,
                             gint64           op_id)
{
  g_autofree char *group = op_group (op_id);

  g_key_file_remove_group (self->keyfile, group, NULL);
}

char *
desk_sync_journal_dup_chain (DeskSyncJournal *self,
                             const char      *entry_id)
{
  return g_key_file_get_string (self->keyfile, CHAIN_GROUP, entry_id, NULL);
}

void
desk_sync_journal_set_chain (DeskSyncJournal *self,
                             const char      *entry_id,
                             const char      *etag)
{
  g_key_file_set_string (self->keyfile, CHAIN_GROUP, entry_id, etag);
}

static char *
editable_to_string (const DeskEditable *editable)
{
  g_autoptr(JsonNode) node = desk_editable_to_json (editable);

  return desk_json_to_string (node, FALSE, NULL);
}

static DeskEditable *
editable_from_string (const char  *str,
                      GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (str == NULL)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND, "missing fields");
      return NULL;
    }
  if (!(node = desk_json_parse (str, -1, 0, 0, error)))
    return NULL;
  return desk_editable_new_from_json (node, NULL, 0, DESK_FIELDS_ALL, FALSE, error);
}

void
desk_sync_journal_set_conflict (DeskSyncJournal        *self,
                                const DeskSyncConflict *conflict)
{
  g_autofree char *group = op_group (conflict->op_id);
  g_autofree char *mine = editable_to_string (conflict->mine);
  g_autofree char *theirs = editable_to_string (conflict->theirs);
  g_autofree char *merged = editable_to_string (conflict->merged);

  g_key_file_set_string (self->keyfile, group, "conflict-entry", conflict->entry_id);
  g_key_file_set_uint64 (self->keyfile, group, "conflict-fields", conflict->fields);
  g_key_file_set_string (self->keyfile, group, "conflict-mine", mine);
  g_key_file_set_string (self->keyfile, group, "conflict-theirs", theirs);
  g_key_file_set_string (self->keyfile, group, "conflict-merged", merged);
  g_key_file_set_string (self->keyfile, group, "conflict-etag", conflict->theirs_etag);
}

void
desk_sync_journal_clear_conflict (DeskSyncJournal *self,
                                  gint64           op_id)
{
  static const char * const keys[] = {
    "conflict-entry", "conflict-fields", "conflict-mine", "conflict-theirs",
    "conflict-merged", "conflict-etag",
  };
  g_autofree char *group = op_group (op_id);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_key_file_remove_key (self->keyfile, group, keys[i], NULL);
}

static int
compare_conflicts (gconstpointer a,
                   gconstpointer b)
{
  const DeskSyncConflict *ca = *(DeskSyncConflict * const *) a;
  const DeskSyncConflict *cb = *(DeskSyncConflict * const *) b;

  return (ca->op_id > cb->op_id) - (ca->op_id < cb->op_id);
}

GPtrArray *
desk_sync_journal_list_conflicts (DeskSyncJournal *self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_sync_conflict_free);
  g_auto(GStrv) groups = g_key_file_get_groups (self->keyfile, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(DeskSyncConflict) conflict = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *mine = NULL;
      g_autofree char *theirs = NULL;
      g_autofree char *merged = NULL;
      gint64 op_id;

      if (!g_str_has_prefix (groups[i], "op ") ||
          !g_key_file_has_key (self->keyfile, groups[i], "conflict-entry", NULL))
        continue;
      op_id = g_ascii_strtoll (groups[i] + 3, NULL, 10);
      conflict = g_new0 (DeskSyncConflict, 1);
      conflict->op_id = op_id;
      conflict->entry_id = g_key_file_get_string (self->keyfile, groups[i], "conflict-entry", NULL);
      conflict->fields = g_key_file_get_uint64 (self->keyfile, groups[i], "conflict-fields", NULL);
      conflict->theirs_etag = g_key_file_get_string (self->keyfile, groups[i], "conflict-etag", NULL);
      mine = g_key_file_get_string (self->keyfile, groups[i], "conflict-mine", NULL);
      theirs = g_key_file_get_string (self->keyfile, groups[i], "conflict-theirs", NULL);
      merged = g_key_file_get_string (self->keyfile, groups[i], "conflict-merged", NULL);
      if (!(conflict->mine = editable_from_string (mine, &error)) ||
          !(conflict->theirs = editable_from_string (theirs, &error)) ||
          !(conflict->merged = editable_from_string (merged, &error)) ||
          conflict->theirs_etag == NULL)
        {
          g_warning ("Skipping the unreadable conflict of operation %" G_GINT64_FORMAT ": %s",
                     op_id, error != NULL ? error->message : "no ETag");
          continue;
        }
      g_ptr_array_add (list, g_steal_pointer (&conflict));
    }
  g_ptr_array_sort (list, compare_conflicts);
  return list;
}
