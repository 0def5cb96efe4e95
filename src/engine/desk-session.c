/* desk-session.c: delayed autosave of drafts and recovery after an unclean exit
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-session.h"

/* The flag file holds one word: "running" while the app runs, "clean"
 * once it shut down properly. A run that finds "running" follows one
 * that crashed, was killed or lost power. */
#define FLAG_RUNNING "running\n"
#define FLAG_CLEAN   "clean\n"

struct _DeskSession
{
  GObject       parent_instance;

  DeskStore    *store;
  char         *state_path;
  guint         quiet_ms;
  guint         max_latency_ms;

  GHashTable   *dirty;          /* entry id → DirtyDraft*, changes not yet written */
  gint64        first_dirty_us; /* monotonic time of the oldest unwritten change */
  guint         timer;

  guint         writes_running;
  guint         draft_writes;
  GPtrArray    *flush_waiters;  /* GTask*, completed when no write runs */
  GError       *write_error;    /* the first failure since the last flush completed */
  char         *save_error;     /* why drafts cannot be written now (disk full…), or NULL */
  guint         retry_timer;
  guint         retry_ms;

  gboolean      unclean_exit;
};

typedef struct {
  gint64        base_revision;
  DeskEditable *fields;
} DirtyDraft;

#define RETRY_FIRST_MS 1000
#define RETRY_MAX_MS   16000

static void write_dirty (DeskSession *self);

enum {
  PROP_0,
  PROP_STORE,
  PROP_STATE_PATH,
  PROP_QUIET_MS,
  PROP_MAX_LATENCY_MS,
  PROP_DRAFT_WRITES,
  PROP_UNCLEAN_EXIT,
  PROP_SAVE_ERROR,
  N_PROPS
};

enum {
  DRAFTS_RESTORED,
  DRAFT_SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE (DeskSession, desk_session, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (DeskSessionRestored, desk_session_restored,
                     desk_session_restored_copy, desk_session_restored_free)

DeskSessionRestored *
desk_session_restored_copy (const DeskSessionRestored *self)
{
  DeskSessionRestored *copy = g_new0 (DeskSessionRestored, 1);

  copy->entry_id = g_strdup (self->entry_id);
  copy->title = g_strdup (self->title);
  copy->base_revision = self->base_revision;
  return copy;
}

void
desk_session_restored_free (DeskSessionRestored *self)
{
  if (self == NULL)
    return;
  g_free (self->entry_id);
  g_free (self->title);
  g_free (self);
}

static void
dirty_draft_free (DirtyDraft *draft)
{
  g_clear_pointer (&draft->fields, desk_editable_free);
  g_free (draft);
}

/* ---- the flag file ---------------------------------------------------- */

static void
write_flag_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DeskSession *self = source_object;
  const char *contents = task_data;
  GError *error = NULL;

  if (!g_file_set_contents_full (self->state_path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
write_flag_async (DeskSession         *self,
                  const char          *contents,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, write_flag_async);
  g_task_set_task_data (task, (gpointer) contents, NULL);
  g_task_run_in_thread (task, write_flag_thread);
}

/* ---- autosave --------------------------------------------------------- */

static void
complete_flush_waiters (DeskSession *self)
{
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(GError) error = NULL;

  if (self->writes_running > 0 || self->flush_waiters->len == 0)
    return;
  waiters = g_steal_pointer (&self->flush_waiters);
  self->flush_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  error = g_steal_pointer (&self->write_error);
  for (guint i = 0; i < waiters->len; i++)
    {
      if (error != NULL)
        g_task_return_error (g_ptr_array_index (waiters, i), g_error_copy (error));
      else
        g_task_return_boolean (g_ptr_array_index (waiters, i), TRUE);
    }
}

typedef struct {
  DeskSession *self;
  char        *entry_id;
  gint64        base_revision;
  DeskEditable *fields;         /* kept until written, to try again */
} DraftWrite;

static gboolean
retry_cb (gpointer user_data)
{
  DeskSession *self = user_data;

  self->retry_timer = 0;
  write_dirty (self);
  return G_SOURCE_REMOVE;
}

static void
save_draft_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  DraftWrite *write = user_data;
  DeskSession *self = write->self;
  g_autoptr(GError) error = NULL;

  self->writes_running--;
  if (!desk_store_save_draft_finish (DESK_STORE (object), result, &error))
    {
      g_warning ("Could not save the draft of %s, kept in memory to try again: %s",
                 write->entry_id, error->message);
      /* The draft goes back to the unwritten ones (unless the editor
       * changed it since: the newer one is there) and is tried again,
       * later and later, until the disk has room again. */
      if (!g_hash_table_contains (self->dirty, write->entry_id))
        {
          DirtyDraft *draft = g_new0 (DirtyDraft, 1);

          draft->base_revision = write->base_revision;
          draft->fields = g_steal_pointer (&write->fields);
          g_hash_table_insert (self->dirty, g_strdup (write->entry_id), draft);
        }
      if (g_strcmp0 (self->save_error, error->message) != 0)
        {
          g_free (self->save_error);
          self->save_error = g_strdup (error->message);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVE_ERROR]);
        }
      if (self->retry_timer == 0)
        {
          self->retry_ms = self->retry_ms == 0 ? RETRY_FIRST_MS : MIN (self->retry_ms * 2, RETRY_MAX_MS);
          self->retry_timer = g_timeout_add (self->retry_ms, retry_cb, self);
        }
      if (self->write_error == NULL)
        self->write_error = g_steal_pointer (&error);
    }
  else
    {
      if (self->save_error != NULL && g_hash_table_size (self->dirty) == 0 && self->writes_running == 0)
        {
          g_clear_pointer (&self->save_error, g_free);
          self->retry_ms = 0;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVE_ERROR]);
        }
      self->draft_writes++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAFT_WRITES]);
      g_signal_emit (self, signals[DRAFT_SAVED], 0, write->entry_id);
    }
  complete_flush_waiters (self);
  g_free (write->entry_id);
  g_clear_pointer (&write->fields, desk_editable_free);
  g_object_unref (write->self);
  g_free (write);
}

static void
write_dirty (DeskSession *self)
{
  g_clear_handle_id (&self->retry_timer, g_source_remove);
  GHashTableIter iter;
  const char *entry_id;
  DirtyDraft *draft;

  g_clear_handle_id (&self->timer, g_source_remove);
  self->first_dirty_us = 0;

  g_hash_table_iter_init (&iter, self->dirty);
  while (g_hash_table_iter_next (&iter, (gpointer *) &entry_id, (gpointer *) &draft))
    {
      DraftWrite *write = g_new0 (DraftWrite, 1);

      write->self = g_object_ref (self);
      write->entry_id = g_strdup (entry_id);
      write->base_revision = draft->base_revision;
      write->fields = desk_editable_copy (draft->fields);
      self->writes_running++;
      /* The store copies the fields before returning and runs its jobs in
       * order, so a later write of the same draft always lands last. */
      desk_store_save_draft_async (self->store, entry_id, draft->base_revision, draft->fields,
                                   NULL, save_draft_cb, write);
      g_hash_table_iter_remove (&iter);
    }
}

static gboolean
autosave_cb (gpointer user_data)
{
  DeskSession *self = user_data;

  self->timer = 0;
  write_dirty (self);
  return G_SOURCE_REMOVE;
}

void
desk_session_update_draft (DeskSession        *self,
                           const char         *entry_id,
                           gint64              base_revision,
                           const DeskEditable *fields)
{
  DirtyDraft *draft;
  gint64 now, deadline, fire;

  g_return_if_fail (DESK_IS_SESSION (self));
  g_return_if_fail (desk_entry_id_is_valid (entry_id));
  g_return_if_fail (fields != NULL);

  draft = g_new0 (DirtyDraft, 1);
  draft->base_revision = base_revision;
  draft->fields = desk_editable_copy (fields);
  g_hash_table_replace (self->dirty, g_strdup (entry_id), draft);

  now = g_get_monotonic_time ();
  if (self->first_dirty_us == 0)
    self->first_dirty_us = now;
  /* Quiet delay after this change, but never past the latency bound of
   * the first unwritten one. */
  deadline = self->first_dirty_us + (gint64) self->max_latency_ms * 1000;
  fire = MIN (now + (gint64) self->quiet_ms * 1000, deadline);
  g_clear_handle_id (&self->timer, g_source_remove);
  self->timer = g_timeout_add ((guint) MAX ((fire - now) / 1000, 0), autosave_cb, self);
}

static void
delete_draft_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DeskSession) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writes_running--;
  if (!desk_store_delete_draft_finish (DESK_STORE (object), result, &error))
    g_warning ("Could not delete a draft: %s", error->message);
  complete_flush_waiters (self);
}

void
desk_session_discard_draft (DeskSession *self,
                            const char  *entry_id)
{
  g_return_if_fail (DESK_IS_SESSION (self));
  g_return_if_fail (entry_id != NULL);

  g_hash_table_remove (self->dirty, entry_id);
  if (g_hash_table_size (self->dirty) == 0)
    {
      g_clear_handle_id (&self->timer, g_source_remove);
      self->first_dirty_us = 0;
    }
  self->writes_running++;
  desk_store_delete_draft_async (self->store, entry_id, NULL, delete_draft_cb, g_object_ref (self));
}

gboolean
desk_session_has_unsaved (DeskSession *self)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), FALSE);
  return g_hash_table_size (self->dirty) > 0 || self->writes_running > 0;
}

guint
desk_session_get_draft_writes (DeskSession *self)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), 0);
  return self->draft_writes;
}

const char *
desk_session_get_save_error (DeskSession *self)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), NULL);
  return self->save_error;
}

gboolean
desk_session_get_unclean_exit (DeskSession *self)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), FALSE);
  return self->unclean_exit;
}

void
desk_session_flush_async (DeskSession         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DESK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_session_flush_async);
  /* Drafts once handed to the store are written whatever the caller does. */
  g_task_set_check_cancellable (task, FALSE);
  write_dirty (self);
  g_ptr_array_add (self->flush_waiters, task);
  complete_flush_waiters (self);
}

gboolean
desk_session_flush_finish (DeskSession   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- start and shutdown ---------------------------------------------- */

static void
clean_flag_written_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
shutdown_flushed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskSession *self = DESK_SESSION (object);
  GError *error = NULL;

  /* A draft that could not be written must be looked for at the next
   * start: do not claim a clean shutdown then. */
  if (!desk_session_flush_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  write_flag_async (self, FLAG_CLEAN, clean_flag_written_cb, g_steal_pointer (&task));
}

void
desk_session_shutdown_async (DeskSession         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DESK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_session_shutdown_async);
  g_task_set_check_cancellable (task, FALSE);
  desk_session_flush_async (self, NULL, shutdown_flushed_cb, task);
}

gboolean
desk_session_shutdown_finish (DeskSession   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  GPtrArray *restored;  /* DeskSessionRestored* */
  GPtrArray *drafts;    /* DeskStoreDraft* still to look up */
  guint      next;
} StartData;

static void
start_data_free (StartData *data)
{
  g_clear_pointer (&data->restored, g_ptr_array_unref);
  g_clear_pointer (&data->drafts, g_ptr_array_unref);
  g_free (data);
}

static void
running_flag_written_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskSession *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->restored->len > 0)
    g_signal_emit (self, signals[DRAFTS_RESTORED], 0, data->restored);
  g_task_return_pointer (task, g_ptr_array_ref (data->restored), (GDestroyNotify) g_ptr_array_unref);
}

static void look_up_next (GTask *task);

static void
restored_entry_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  StartData *data = g_task_get_task_data (task);
  DeskStoreDraft *draft = g_ptr_array_index (data->drafts, data->next);
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  DeskSessionRestored *restored;

  /* A missing title is no reason to hide a draft: fall back to the id. */
  entry = desk_store_get_entry_finish (DESK_STORE (object), result, &error);
  restored = g_new0 (DeskSessionRestored, 1);
  restored->entry_id = g_strdup (draft->entry_id);
  restored->base_revision = draft->base_revision;
  if (draft->fields != NULL && (draft->fields->present & DESK_FIELD_TITLE) && draft->fields->title)
    restored->title = g_strdup (draft->fields->title);
  else if (entry != NULL && desk_entry_get_title (entry) != NULL)
    restored->title = g_strdup (desk_entry_get_title (entry));
  else
    restored->title = g_strdup (draft->entry_id);
  g_ptr_array_add (data->restored, restored);
  data->next++;
  look_up_next (task);
}

static void
look_up_next (GTask *task)
{
  DeskSession *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  if (data->next < data->drafts->len)
    {
      DeskStoreDraft *draft = g_ptr_array_index (data->drafts, data->next);

      desk_store_get_entry_async (self->store, draft->entry_id, NULL, restored_entry_cb, task);
      return;
    }
  write_flag_async (self, FLAG_RUNNING, running_flag_written_cb, task);
}

static void
list_drafts_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  StartData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->drafts = desk_store_list_drafts_finish (DESK_STORE (object), result, &error);
  if (data->drafts == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  look_up_next (task);
}

static void
flag_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  DeskSession *self = g_task_get_source_object (task);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  if (g_file_load_contents_finish (G_FILE (object), result, &contents, &len, NULL, &error))
    self->unclean_exit = g_strcmp0 (contents, FLAG_CLEAN) != 0;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    self->unclean_exit = FALSE;  /* the first run */
  else
    {
      /* Unreadable: assume the worst, drafts are only reported. */
      g_warning ("Could not read %s: %s", self->state_path, error->message);
      self->unclean_exit = TRUE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNCLEAN_EXIT]);

  /* A store rebuilt from a corrupt file salvaged drafts the editor must
   * hear about too. */
  if (self->unclean_exit || desk_store_get_recovered (self->store))
    desk_store_list_drafts_async (self->store, NULL, list_drafts_cb, task);
  else
    {
      StartData *data = g_task_get_task_data (task);

      data->drafts = g_ptr_array_new ();
      look_up_next (task);
    }
}

void
desk_session_start_async (DeskSession         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  StartData *data;
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (DESK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_session_start_async);
  data = g_new0 (StartData, 1);
  data->restored = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_session_restored_free);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);

  file = g_file_new_for_path (self->state_path);
  g_file_load_contents_async (file, cancellable, flag_loaded_cb, task);
}

GPtrArray *
desk_session_start_finish (DeskSession   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject --------------------------------------------------------- */

DeskSession *
desk_session_new (DeskStore *store)
{
  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  return g_object_new (DESK_TYPE_SESSION, "store", store, NULL);
}

static void
desk_session_constructed (GObject *object)
{
  DeskSession *self = DESK_SESSION (object);

  G_OBJECT_CLASS (desk_session_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  if (self->state_path == NULL)
    self->state_path = g_strconcat (desk_store_get_path (self->store), ".session", NULL);
}

static void
desk_session_dispose (GObject *object)
{
  DeskSession *self = DESK_SESSION (object);

  /* Unwritten changes are lost here by design of the caller: the app
   * flushes (or shuts down) first. */
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->retry_timer, g_source_remove);
  G_OBJECT_CLASS (desk_session_parent_class)->dispose (object);
}

static void
desk_session_finalize (GObject *object)
{
  DeskSession *self = DESK_SESSION (object);

  g_clear_pointer (&self->dirty, g_hash_table_unref);
  g_clear_pointer (&self->flush_waiters, g_ptr_array_unref);
  g_clear_error (&self->write_error);
  g_free (self->save_error);
  g_clear_object (&self->store);
  g_free (self->state_path);
  G_OBJECT_CLASS (desk_session_parent_class)->finalize (object);
}

static void
desk_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DeskSession *self = DESK_SESSION (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_STATE_PATH: g_value_set_string (value, self->state_path); break;
    case PROP_QUIET_MS: g_value_set_uint (value, self->quiet_ms); break;
    case PROP_MAX_LATENCY_MS: g_value_set_uint (value, self->max_latency_ms); break;
    case PROP_DRAFT_WRITES: g_value_set_uint (value, self->draft_writes); break;
    case PROP_UNCLEAN_EXIT: g_value_set_boolean (value, self->unclean_exit); break;
    case PROP_SAVE_ERROR: g_value_set_string (value, self->save_error); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DeskSession *self = DESK_SESSION (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_STATE_PATH:
      g_free (self->state_path);
      self->state_path = g_value_dup_string (value);
      break;
    case PROP_QUIET_MS: self->quiet_ms = g_value_get_uint (value); break;
    case PROP_MAX_LATENCY_MS: self->max_latency_ms = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_session_class_init (DeskSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = desk_session_constructed;
  object_class->dispose = desk_session_dispose;
  object_class->finalize = desk_session_finalize;
  object_class->get_property = desk_session_get_property;
  object_class->set_property = desk_session_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_PATH] =
    g_param_spec_string ("state-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUIET_MS] =
    g_param_spec_uint ("quiet-ms", NULL, NULL, 0, 60000, 500,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_LATENCY_MS] =
    g_param_spec_uint ("max-latency-ms", NULL, NULL, 0, 60000, 1000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAFT_WRITES] =
    g_param_spec_uint ("draft-writes", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_UNCLEAN_EXIT] =
    g_param_spec_boolean ("unclean-exit", NULL, NULL, FALSE, ro);
  /* Why drafts cannot be written (the disk is full, the database locked),
   * NULL once they can again; meanwhile they are kept in memory and tried
   * again every few seconds. */
  properties[PROP_SAVE_ERROR] =
    g_param_spec_string ("save-error", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DRAFTS_RESTORED] =
    g_signal_new ("drafts-restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
  signals[DRAFT_SAVED] =
    g_signal_new ("draft-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
desk_session_init (DeskSession *self)
{
  self->quiet_ms = 500;
  self->max_latency_ms = 1000;
  self->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) dirty_draft_free);
  self->flush_waiters = g_ptr_array_new_with_free_func (g_object_unref);
}
