/* desk-store.c: the local sqlite store: entry cache, revisions, drafts, outbox, search
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "desk-store-private.h"

/* Durability. sqlite's synchronous is a setting of the connection, not of
 * a table, so each write transaction says what it needs and the worker
 * switches between transactions (a PRAGMA, cheap; only when it changes):
 *
 * - FULL for drafts, the outbox and ignored findings: they are the editor's
 *   own work and exist nowhere else; in WAL mode FULL syncs the WAL on every
 *   commit, so once a save or an enqueue is acknowledged it survives a power
 *   cut, not just a crash of the app.
 * - NORMAL for everything copied from the site (entries, revisions, the
 *   cursor with its page of entries, the glossary): WAL + NORMAL never
 *   corrupts and survives an app crash; a power cut may lose the last
 *   commits, which sync fetches again because the cursor goes back with
 *   them (they share one transaction). Syncing every page of a first sync
 *   would cost a disk flush per page for nothing.
 */
typedef enum {
  DURABILITY_CACHE,   /* synchronous = NORMAL */
  DURABILITY_WORK,    /* synchronous = FULL */
} Durability;

#define BUSY_TIMEOUT_MS      5000
/* KiB of page cache: the default 2 MiB makes a first sync into a large
 * file (the trigram index grows fast) re-read its own pages. */
#define CACHE_KIB            32768
#define PROGRESS_OPS         2000
/* Entries whose original's text one background transaction indexes: small
 * enough that a job arriving meanwhile waits some tens of milliseconds at
 * most (an incremental sync right after a first one stays in its budget;
 * 128 did not), large enough that FTS5 does not get a segment per handful
 * of entries. A search, which needs all of them, indexes in larger steps. */
#define INDEX_CHUNK_IDLE     48
#define INDEX_CHUNK_SEARCH   512
/* How long the worker must have had nothing to do before that pass starts:
 * longer than the gaps between the jobs of a sync, so that a sync does not
 * wait for it at every step. A steady stream of jobs still lets one
 * transaction of it through this often. */
#define INDEX_IDLE_US        (50 * G_TIME_SPAN_MILLISECOND)
#define INDEX_MAX_DELAY_US   (250 * G_TIME_SPAN_MILLISECOND)
#define SEARCH_DEFAULT_LIMIT 500
#define SEARCH_MAX_WORDS     8

struct _DeskStore
{
  GObject      parent_instance;

  char        *path;
  GThread     *worker;
  GAsyncQueue *jobs;

  /* Worker thread only. */
  sqlite3      *db;
  GHashTable   *stmts;            /* SQL text → sqlite3_stmt*, prepared once */
  int           durability;       /* -1: not set yet */
  gboolean      index_pending;    /* bodies and originals may wait for indexing */
  GCancellable *read_cancellable; /* of the read running now, for the progress handler */

  /* Written by the open job before it completes, read-only afterwards. */
  gboolean      recovered;
  char         *corrupt_path;
  guint         salvaged_drafts;
  guint         salvaged_outbox;
};

G_DEFINE_FINAL_TYPE (DeskStore, desk_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- jobs -------------------------------------------------------------------- */

typedef gpointer (*JobFunc) (DeskStore  *self,
                             gpointer    data,
                             GError    **error);

typedef struct {
  JobFunc         func;           /* NULL: stop the worker */
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
  gboolean        is_read;        /* interruptible, result dropped when cancelled */
  GCancellable   *cancellable;
  GTask          *task;           /* async jobs */

  /* sync jobs: the caller waits on @cond */
  GMutex          mutex;
  GCond           cond;
  gboolean        done;
  gpointer        result;
  GError         *error;
} Job;

static void
job_free (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static gboolean
unref_in_context (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
worker_run (DeskStore *self,
            Job       *job)
{
  GError *error = NULL;
  gpointer result = NULL;

  if (!g_cancellable_set_error_if_cancelled (job->cancellable, &error))
    {
      if (job->is_read)
        self->read_cancellable = job->cancellable;
      result = job->func (self, job->data, &error);
      self->read_cancellable = NULL;
    }

  if (job->task != NULL)
    {
      GTask *task = g_steal_pointer (&job->task);

      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, result, job->result_free);

      /* The task holds the store; dropping the last reference here could
       * dispose the store on this very thread, which then waits for itself.
       * So the task is released in its own context. */
      {
        /* Not g_main_context_invoke(): it runs the function right here
         * when nobody owns the context. */
        GSource *source = g_idle_source_new ();

        g_source_set_callback (source, unref_in_context, task, NULL);
        g_source_set_static_name (source, "[desk-store] release task");
        g_source_attach (source, g_task_get_context (task));
        g_source_unref (source);
      }
      job_free (job);
    }
  else
    {
      /* Sync: the caller owns the job and frees it after waking. */
      g_mutex_lock (&job->mutex);
      job->result = result;
      job->error = error;
      job->done = TRUE;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
    }
}

static void
close_db (DeskStore *self)
{
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db != NULL)
    {
      /* Leaves a checkpointed file without -wal: what a copy or a backup
       * of the file expects. */
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
}

static void index_in_background (DeskStore *self);

static gpointer
worker_main (gpointer data)
{
  DeskStore *self = data;
  gint64 last_job = 0;
  gint64 last_chunk = 0;

  for (;;)
    {
      Job *job;

      /* Indexing the originals' text is done when there is nothing else
       * to do, a small transaction at a time, so that jobs wait for it
       * little. */
      if (self->index_pending)
        {
          gint64 start = MIN (last_job + INDEX_IDLE_US, last_chunk + INDEX_MAX_DELAY_US);
          gint64 wait = start - g_get_monotonic_time ();

          job = wait > 0 ? g_async_queue_timeout_pop (self->jobs, wait)
                         : g_async_queue_try_pop (self->jobs);
          if (job == NULL)
            {
              index_in_background (self);
              last_chunk = g_get_monotonic_time ();
              continue;
            }
        }
      else
        job = g_async_queue_pop (self->jobs);

      if (job->func == NULL)
        {
          job_free (job);
          break;
        }
      worker_run (self, job);
      last_job = g_get_monotonic_time ();
    }

  close_db (self);
  return NULL;
}

static void
queue_async (DeskStore           *self,
             JobFunc              func,
             gpointer             data,
             GDestroyNotify       data_free,
             GDestroyNotify       result_free,
             gboolean             is_read,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  job->is_read = is_read;
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  /* A write that ran reports what it did even if cancelled meanwhile. */
  g_task_set_check_cancellable (job->task, is_read);
  g_async_queue_push (self->jobs, job);
}

static gpointer
run_sync (DeskStore       *self,
          JobFunc          func,
          gpointer         data,
          GDestroyNotify   data_free,
          gboolean         is_read,
          GCancellable    *cancellable,
          GError         **error)
{
  Job *job = g_new0 (Job, 1);
  gpointer result;

  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->is_read = is_read;
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);

  g_mutex_lock (&job->mutex);
  g_async_queue_push (self->jobs, job);
  while (!job->done)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  result = job->result;
  if (job->error != NULL)
    g_propagate_error (error, job->error);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  job_free (job);
  return result;
}

static gpointer
finish_pointer (DeskStore     *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Jobs that return "done" give this non-NULL pointer. */
#define JOB_OK GINT_TO_POINTER (1)

static gpointer
box_int64 (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

static gint64
unbox_int64 (gpointer  boxed,
             gint64    fallback)
{
  gint64 value;

  if (boxed == NULL)
    return fallback;
  value = *(gint64 *) boxed;
  g_free (boxed);
  return value;
}

/* ---- sqlite helpers (worker thread) ------------------------------------------ */

typedef sqlite3_stmt DeskStoreStmt;

static void
stmt_release (DeskStoreStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskStoreStmt, stmt_release)

/* The statement for @sql, prepared on first use and kept; release it with
 * g_autoptr(DeskStoreStmt), which resets it for the next user. */
static DeskStoreStmt *
get_stmt (DeskStore   *self,
          const char  *sql,
          GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);
  int rc;

  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Preparing a query");
      return NULL;
    }
  g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
  return stmt;
}

static gboolean
step_done (DeskStore     *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, what);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
begin (DeskStore   *self,
       Durability   durability,
       GError     **error)
{
  if (self->durability != (int) durability)
    {
      if (!desk_store_exec (self->db,
                            durability == DURABILITY_WORK ? "PRAGMA synchronous = FULL"
                                                          : "PRAGMA synchronous = NORMAL",
                            error))
        return FALSE;
      self->durability = durability;
    }
  return desk_store_exec (self->db, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (DeskStore  *self,
        GError    **error)
{
  if (!desk_store_exec (self->db, "COMMIT", error))
    {
      desk_store_exec (self->db, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

static void
rollback (DeskStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    desk_store_exec (self->db, "ROLLBACK", NULL);
}

static int
progress_handler (void *data)
{
  DeskStore *self = data;

  return self->read_cancellable != NULL && g_cancellable_is_cancelled (self->read_cancellable);
}

static gint64
rfc3339_to_unix (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

/* ---- object ---------------------------------------------------------------------- */

static void
desk_store_dispose (GObject *object)
{
  DeskStore *self = (DeskStore *) object;

  if (self->worker != NULL)
    {
      /* Every queued job holds a reference, so the queue is empty here and
       * the worker stops at once. */
      g_async_queue_push (self->jobs, g_new0 (Job, 1));
      g_thread_join (g_steal_pointer (&self->worker));
    }

  G_OBJECT_CLASS (desk_store_parent_class)->dispose (object);
}

static void
desk_store_finalize (GObject *object)
{
  DeskStore *self = (DeskStore *) object;

  g_clear_pointer (&self->jobs, g_async_queue_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->corrupt_path, g_free);

  G_OBJECT_CLASS (desk_store_parent_class)->finalize (object);
}

static void
desk_store_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DeskStore *self = DESK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_store_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DeskStore *self = DESK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_store_class_init (DeskStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_store_dispose;
  object_class->finalize = desk_store_finalize;
  object_class->get_property = desk_store_get_property;
  object_class->set_property = desk_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_store_init (DeskStore *self)
{
  self->durability = -1;
  self->jobs = g_async_queue_new ();
}

/* ---- opening (worker) ------------------------------------------------------------ */

static gboolean
quick_check (DeskStore  *self,
             GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  const char *answer;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Checking the local store");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  answer = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (answer, "ok") != 0)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT,
                   "The local store is damaged: %s", answer != NULL ? answer : "?");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Opens, checks and migrates the file at self->path. */
static gboolean
open_db (DeskStore  *self,
         GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  const char *mode;
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Opening the local store");
      close_db (self);
      return FALSE;
    }
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) sqlite3_finalize);
  self->durability = -1;
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_progress_handler (self->db, PROGRESS_OPS, progress_handler, self);

  /* The first statement that reads the file: garbage fails here with
   * SQLITE_NOTADB. A newer schema is refused before anything (even the
   * journal mode) is written. */
  if (!desk_store_schema_check (self->db, error))
    {
      close_db (self);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  mode = rc == SQLITE_ROW ? (const char *) sqlite3_column_text (stmt, 0) : NULL;
  if (rc != SQLITE_ROW || g_strcmp0 (mode, "wal") != 0)
    {
      if (rc == SQLITE_ROW)
        g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED,
                     "The local store cannot use WAL (journal mode %s)", mode);
      else
        desk_store_set_sqlite_error (error, self->db, rc, "Opening the local store");
      sqlite3_finalize (stmt);
      close_db (self);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  if (!desk_store_exec (self->db,
                        "PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;"
                        " PRAGMA cache_size = -" G_STRINGIFY (CACHE_KIB),
                        error) ||
      !desk_store_schema_register_functions (self->db, error) ||
      !quick_check (self, error) ||
      !desk_store_schema_migrate (self->db, error) ||
      /* Per connection, in memory (temp_store): see flush_text_batch(). */
      !desk_store_exec (self->db,
                        "CREATE TEMP TABLE text_batch ("
                        "  entry_id TEXT PRIMARY KEY NOT NULL, title TEXT, tldr TEXT, body TEXT,"
                        "  tags TEXT, original_title TEXT, original_text TEXT,"
                        "  body_pending TEXT, original_pending TEXT);"
                        "CREATE TEMP TABLE index_chunk (docid INTEGER PRIMARY KEY)",
                        error) ||
      /* An operation that was in flight when the app stopped may or may not
       * have reached the site: it is sent again (same If-Match, same
       * idempotency key), which the site answers safely. */
      !desk_store_exec (self->db,
                        "UPDATE outbox SET state = 'pending' WHERE state = 'in_flight'",
                        error))
    {
      close_db (self);
      return FALSE;
    }

  /* An earlier run may have stopped before indexing all of them. */
  self->index_pending = TRUE;
  return TRUE;
}

static char *
set_aside (const char  *path,
           GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = NULL;
  static const char * const suffixes[] = { "-wal", "-shm" };

  aside = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Setting the damaged local store aside: %s", g_strerror (saved_errno));
      return NULL;
    }

  /* The WAL goes with its file, under the same new name, so the set-aside
   * copy opens with everything it had. */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS) && g_rename (from, to) != 0)
        g_unlink (from);
    }

  return g_steal_pointer (&aside);
}

/* Whether the file is there, not empty, and does not start as a database
 * does. Checked before sqlite opens it, because sqlite deletes a -wal it
 * finds beside a file it cannot read, and the -wal goes aside too. */
static gboolean
is_not_a_database (const char  *path,
                   GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  char header[sizeof magic];
  gboolean bad = FALSE;
  FILE *file;

  file = g_fopen (path, "rb");
  if (file == NULL)
    return FALSE;
  if (fread (header, 1, sizeof header, file) != sizeof header)
    bad = ftell (file) > 0;
  else
    bad = memcmp (header, magic, sizeof magic) != 0;
  fclose (file);

  if (bad)
    g_set_error_literal (error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT,
                         "file is not a database");
  return bad;
}

static gpointer
open_job (DeskStore  *self,
          gpointer    data,
          GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DeskStoreSalvage) salvage = NULL;

  if (!is_not_a_database (self->path, &local_error) && open_db (self, &local_error))
    return JOB_OK;

  if (!g_error_matches (local_error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_warning ("Local store %s is damaged (%s); rebuilding it", self->path, local_error->message);

  self->corrupt_path = set_aside (self->path, error);
  if (self->corrupt_path == NULL)
    return NULL;
  self->recovered = TRUE;

  salvage = desk_store_salvage_read (self->corrupt_path);

  if (!open_db (self, error))
    return NULL;
  if (!desk_store_exec (self->db, "PRAGMA synchronous = FULL", error) ||
      !desk_store_salvage_write (salvage, self->db, error))
    return NULL;
  self->durability = DURABILITY_WORK;
  self->salvaged_drafts = salvage->drafts->len;
  self->salvaged_outbox = salvage->outbox->len;

  return JOB_OK;
}

static DeskStore *
store_new (const char *path)
{
  DeskStore *self = g_object_new (DESK_TYPE_STORE, "path", path, NULL);

  self->worker = g_thread_new ("desk-store", worker_main, self);
  return self;
}

void
desk_store_new_async (const char          *path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(DeskStore) self = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  self = store_new (path);
  queue_async (self, open_job, NULL, NULL, NULL, FALSE, cancellable, callback, user_data,
               desk_store_new_async);
}

DeskStore *
desk_store_new_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_autoptr(GObject) source = NULL;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == desk_store_new_async, NULL);

  source = g_async_result_get_source_object (result);
  if (g_task_propagate_pointer (G_TASK (result), error) == NULL)
    return NULL;
  return DESK_STORE (g_steal_pointer (&source));
}

DeskStore *
desk_store_open_sync (const char    *path,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(DeskStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = store_new (path);
  if (run_sync (self, open_job, NULL, NULL, FALSE, cancellable, error) == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

const char *
desk_store_get_path (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  return self->path;
}

gboolean
desk_store_get_recovered (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  return self->recovered;
}

const char *
desk_store_get_corrupt_path (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  return self->corrupt_path;
}

guint
desk_store_get_salvaged_drafts (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), 0);
  return self->salvaged_drafts;
}

guint
desk_store_get_salvaged_outbox (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), 0);
  return self->salvaged_outbox;
}

/* ---- entries (worker) ------------------------------------------------------------- */

static const char sql_upsert_row[] =
  "INSERT INTO entries (id, revision, status, kind, title, source_name, importance,"
  " updated_at, updated_ts, collected_at, collected_ts, lock_editor, lock_expires_at,"
  " summary_json)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
  " ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, status = excluded.status,"
  " kind = excluded.kind, title = excluded.title, source_name = excluded.source_name,"
  " importance = excluded.importance, updated_at = excluded.updated_at,"
  " updated_ts = excluded.updated_ts, collected_at = excluded.collected_at,"
  " collected_ts = excluded.collected_ts, lock_editor = excluded.lock_editor,"
  " lock_expires_at = excluded.lock_expires_at, summary_json = excluded.summary_json,"
  " qa_errors = CASE WHEN excluded.revision = entries.revision THEN entries.qa_errors"
  " ELSE -1 END"
  " WHERE excluded.revision >= entries.revision";

/* The search text of a job's entries is staged in temp.text_batch and
 * indexed by flush_text_batch() with one statement per step for the whole
 * batch, not by triggers row by row: FTS5 writes its pending terms out as a
 * new segment at the start of every statement that touches it (its
 * savepoint), so a statement per entry made a segment per entry, and
 * merging those cost four times the tokenizing itself (v3 dropped the
 * triggers). Summaries keep the stored body and original text. */
static const char sql_stage_summary_text[] =
  "INSERT OR REPLACE INTO temp.text_batch"
  " (entry_id, title, tldr, tags, original_title, body, original_text, body_pending,"
  " original_pending)"
  " SELECT ?1, ?2, ?3, ?4, ?5, t.body, t.original_text, t.body_pending, t.original_pending"
  " FROM (SELECT 1) LEFT JOIN entry_text t ON t.entry_id = ?1";

/* When the original's text is the one indexed (a new revision seldom
 * changes the original) the entry is indexed at once. Otherwise its body
 * and original wait in the pending columns for index_pending_chunk() and
 * the indexed ones stay: for an entry fetched in full for the first time
 * they are the summary's (no body, no original), so nothing is indexed
 * now and the pass indexes the whole entry once. */
static const char sql_stage_full_text[] =
  "INSERT OR REPLACE INTO temp.text_batch"
  " (entry_id, title, tldr, tags, original_title, body, original_text, body_pending,"
  " original_pending)"
  " SELECT ?1, ?2, ?3, ?4, ?5,"
  " CASE WHEN t.original_text IS ?7 THEN ?6 ELSE t.body END,"
  " t.original_text,"
  " CASE WHEN t.original_text IS ?7 THEN NULL ELSE ?6 END,"
  " CASE WHEN t.original_text IS ?7 THEN NULL ELSE ?7 END"
  " FROM (SELECT 1) LEFT JOIN entry_text t ON t.entry_id = ?1";

/* In order; the 'delete' steps must see the old text (entry_short is
 * contentless: its tokens are re-derived from the same columns in the same
 * order as when they were inserted).
 *
 * Each index statement visits the rows in docid order (CROSS JOIN keeps
 * text_batch outside, sorted afterwards): FTS5 also flushes its pending
 * terms as a new segment whenever a rowid is lower than the one before,
 * and a batch arrives in fetch order, so unsorted it made a segment of
 * nearly every entry again, within the one statement. */
static const char * const sql_flush_text[] = {
  /* Unchanged text (a lock moving) does not churn the index. */
  "DELETE FROM temp.text_batch WHERE EXISTS (SELECT 1 FROM entry_text t"
  " WHERE t.entry_id = text_batch.entry_id AND t.title IS text_batch.title"
  " AND t.tldr IS text_batch.tldr AND t.body IS text_batch.body"
  " AND t.tags IS text_batch.tags AND t.original_title IS text_batch.original_title"
  " AND t.original_text IS text_batch.original_text"
  " AND t.body_pending IS text_batch.body_pending"
  " AND t.original_pending IS text_batch.original_pending)",
  "INSERT INTO entry_fts (entry_fts, rowid, title, tldr, body, tags, original_title,"
  " original_text)"
  " SELECT 'delete', t.docid, t.title, t.tldr, t.body, t.tags, t.original_title,"
  " t.original_text FROM temp.text_batch b CROSS JOIN entry_text t ON t.entry_id = b.entry_id"
  " ORDER BY t.docid",
  "INSERT INTO entry_short (entry_short, rowid, text)"
  " SELECT 'delete', t.docid, desk_search_grams (t.title, t.tldr, t.body, t.tags,"
  " t.original_title, t.original_text)"
  " FROM temp.text_batch b CROSS JOIN entry_text t ON t.entry_id = b.entry_id"
  " ORDER BY t.docid",
  "INSERT INTO entry_text (entry_id, title, tldr, body, tags, original_title, original_text,"
  " body_pending, original_pending)"
  " SELECT entry_id, title, tldr, body, tags, original_title, original_text, body_pending,"
  " original_pending"
  " FROM temp.text_batch WHERE true"
  " ON CONFLICT (entry_id) DO UPDATE SET title = excluded.title, tldr = excluded.tldr,"
  " body = excluded.body, tags = excluded.tags, original_title = excluded.original_title,"
  " original_text = excluded.original_text, body_pending = excluded.body_pending,"
  " original_pending = excluded.original_pending",
  "INSERT INTO entry_fts (rowid, title, tldr, body, tags, original_title, original_text)"
  " SELECT t.docid, b.title, b.tldr, b.body, b.tags, b.original_title, b.original_text"
  " FROM temp.text_batch b CROSS JOIN entry_text t ON t.entry_id = b.entry_id"
  " ORDER BY t.docid",
  "INSERT INTO entry_short (rowid, text)"
  " SELECT t.docid, desk_search_grams (b.title, b.tldr, b.body, b.tags, b.original_title,"
  " b.original_text)"
  " FROM temp.text_batch b CROSS JOIN entry_text t ON t.entry_id = b.entry_id"
  " ORDER BY t.docid",
  "DELETE FROM temp.text_batch",
};

static const char sql_set_full[] =
  "UPDATE entries SET full_json = ?2, full_revision = ?3"
  " WHERE id = ?1 AND full_revision <= ?3";

static const char sql_add_revision[] =
  "INSERT OR IGNORE INTO revisions (entry_id, revision, json, seen_at) VALUES (?1, ?2, ?3, ?4)";

/* Writes the row and the summary search text of @entry; FALSE in
 * *@changed when the store already had a newer revision. */
static gboolean
upsert_row (DeskStore  *self,
            DeskEntry  *entry,
            gboolean    full,
            gboolean   *changed,
            GError    **error)
{
  g_autoptr(DeskStoreStmt) row = NULL;
  g_autoptr(DeskStoreStmt) text = NULL;
  g_autofree char *summary_json = NULL;
  g_autofree char *tags = NULL;
  const DeskSource *source = desk_entry_get_source (entry);
  const DeskOriginal *original = desk_entry_get_original (entry);
  const DeskLock *lock = desk_entry_get_lock (entry);
  const DeskImportance *importance = desk_entry_get_importance (entry);

  if (!(row = get_stmt (self, sql_upsert_row, error)))
    return FALSE;

  summary_json = desk_entry_to_data (entry, DESK_ENTRY_FORM_SUMMARY, FALSE, NULL);
  bind_text (row, 1, desk_entry_get_id (entry));
  sqlite3_bind_int64 (row, 2, desk_entry_get_revision (entry));
  bind_text (row, 3, desk_entry_status_to_string (desk_entry_get_status (entry)));
  bind_text (row, 4, desk_entry_kind_to_string (desk_entry_get_kind (entry)));
  bind_text (row, 5, desk_entry_get_title (entry) != NULL ? desk_entry_get_title (entry) : "");
  bind_text (row, 6, source != NULL ? source->name : NULL);
  sqlite3_bind_int64 (row, 7, importance != NULL ? importance->overall : 0);
  bind_text (row, 8, desk_entry_get_updated_at (entry));
  sqlite3_bind_int64 (row, 9, rfc3339_to_unix (desk_entry_get_updated_at (entry)));
  bind_text (row, 10, desk_entry_get_collected_at (entry));
  sqlite3_bind_int64 (row, 11, rfc3339_to_unix (desk_entry_get_collected_at (entry)));
  bind_text (row, 12, lock != NULL ? lock->editor : NULL);
  bind_text (row, 13, lock != NULL ? lock->expires_at : NULL);
  bind_text (row, 14, summary_json);
  if (!step_done (self, row, "Storing an entry", error))
    return FALSE;

  *changed = sqlite3_changes (self->db) > 0;
  if (!*changed || full)
    return TRUE;

  if (desk_entry_get_tags (entry) != NULL)
    tags = g_strjoinv (" ", (char **) desk_entry_get_tags (entry));

  if (!(text = get_stmt (self, sql_stage_summary_text, error)))
    return FALSE;
  bind_text (text, 1, desk_entry_get_id (entry));
  bind_text (text, 2, desk_entry_get_title (entry));
  bind_text (text, 3, desk_entry_get_tldr (entry));
  bind_text (text, 4, tags);
  bind_text (text, 5, original != NULL ? original->title : NULL);
  return step_done (self, text, "Indexing an entry", error);
}

/* Indexes the text staged by the entries of this transaction. */
static gboolean
flush_text_batch (DeskStore  *self,
                  GError    **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (sql_flush_text); i++)
    {
      g_autoptr(DeskStoreStmt) stmt = NULL;

      if (!(stmt = get_stmt (self, sql_flush_text[i], error)) ||
          !step_done (self, stmt, "Indexing entries", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_revision (DeskStore   *self,
              DeskEntry   *entry,
              const char  *full_json,
              GError     **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;

  if (!(stmt = get_stmt (self, sql_add_revision, error)))
    return FALSE;
  bind_text (stmt, 1, desk_entry_get_id (entry));
  sqlite3_bind_int64 (stmt, 2, desk_entry_get_revision (entry));
  bind_text (stmt, 3, full_json);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  return step_done (self, stmt, "Keeping a revision", error);
}

static gboolean
upsert_full (DeskStore  *self,
             DeskEntry  *entry,
             GError    **error)
{
  g_autofree char *full_json = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *original_text = NULL;
  const DeskOriginal *original = desk_entry_get_original (entry);
  gboolean changed;

  full_json = desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);
  if (!upsert_row (self, entry, TRUE, &changed, error) ||
      !add_revision (self, entry, full_json, error))
    return FALSE;

  {
    g_autoptr(DeskStoreStmt) stmt = NULL;

    if (!(stmt = get_stmt (self, sql_set_full, error)))
      return FALSE;
    bind_text (stmt, 1, desk_entry_get_id (entry));
    bind_text (stmt, 2, full_json);
    sqlite3_bind_int64 (stmt, 3, desk_entry_get_revision (entry));
    if (!step_done (self, stmt, "Storing an entry", error))
      return FALSE;
    if (sqlite3_changes (self->db) == 0)
      return TRUE;  /* an older revision than the one kept */
  }

  if (desk_entry_get_tags (entry) != NULL)
    tags = g_strjoinv (" ", (char **) desk_entry_get_tags (entry));
  original_text = desk_store_html_to_text (original != NULL ? original->html : NULL);

  {
    g_autoptr(DeskStoreStmt) stmt = NULL;

    if (!(stmt = get_stmt (self, sql_stage_full_text, error)))
      return FALSE;
    bind_text (stmt, 1, desk_entry_get_id (entry));
    bind_text (stmt, 2, desk_entry_get_title (entry));
    bind_text (stmt, 3, desk_entry_get_tldr (entry));
    bind_text (stmt, 4, tags);
    bind_text (stmt, 5, original != NULL ? original->title : NULL);
    bind_text (stmt, 6, desk_entry_get_body (entry));
    bind_text (stmt, 7, original_text);
    return step_done (self, stmt, "Indexing an entry", error);
  }
}

/* ---- the originals' text (worker) ------------------------------------------------ */

/* Moves the body and original's text of up to ?1 entries from the pending
 * columns into entry_text and the two indexes, in docid order (see
 * sql_flush_text). Each entry is indexed again as a whole, since FTS5
 * cannot add a column's words to a row it holds; what it held was the
 * summary's text, short next to the rest. */
static const char * const sql_index_chunk[] = {
  "DELETE FROM temp.index_chunk",
  "INSERT INTO temp.index_chunk (docid) SELECT docid FROM entry_text"
  " WHERE original_pending IS NOT NULL ORDER BY docid LIMIT ?1",
  "INSERT INTO entry_fts (entry_fts, rowid, title, tldr, body, tags, original_title,"
  " original_text)"
  " SELECT 'delete', t.docid, t.title, t.tldr, t.body, t.tags, t.original_title,"
  " t.original_text FROM temp.index_chunk c CROSS JOIN entry_text t ON t.docid = c.docid"
  " ORDER BY c.docid",
  "INSERT INTO entry_short (entry_short, rowid, text)"
  " SELECT 'delete', t.docid, desk_search_grams (t.title, t.tldr, t.body, t.tags,"
  " t.original_title, t.original_text)"
  " FROM temp.index_chunk c CROSS JOIN entry_text t ON t.docid = c.docid ORDER BY c.docid",
  "UPDATE entry_text SET body = body_pending, original_text = original_pending,"
  " body_pending = NULL, original_pending = NULL WHERE docid IN temp.index_chunk",
  "INSERT INTO entry_fts (rowid, title, tldr, body, tags, original_title, original_text)"
  " SELECT t.docid, t.title, t.tldr, t.body, t.tags, t.original_title, t.original_text"
  " FROM temp.index_chunk c CROSS JOIN entry_text t ON t.docid = c.docid ORDER BY c.docid",
  "INSERT INTO entry_short (rowid, text)"
  " SELECT t.docid, desk_search_grams (t.title, t.tldr, t.body, t.tags, t.original_title,"
  " t.original_text)"
  " FROM temp.index_chunk c CROSS JOIN entry_text t ON t.docid = c.docid ORDER BY c.docid",
};

/* One transaction of index_chunk; the number of entries indexed, or -1. */
static gint64
index_pending_chunk (DeskStore  *self,
                     gint64      limit,
                     GError    **error)
{
  gint64 n = 0;

  if (!begin (self, DURABILITY_CACHE, error))
    return -1;

  for (guint i = 0; i < G_N_ELEMENTS (sql_index_chunk); i++)
    {
      g_autoptr(DeskStoreStmt) stmt = NULL;

      if (!(stmt = get_stmt (self, sql_index_chunk[i], error)))
        {
          rollback (self);
          return -1;
        }
      if (i == 1)
        sqlite3_bind_int64 (stmt, 1, limit);
      if (!step_done (self, stmt, "Indexing the originals' text", error))
        {
          rollback (self);
          return -1;
        }
      if (i == 1 && (n = sqlite3_changes (self->db)) == 0)
        break;
    }

  if (!commit (self, error))
    return -1;
  if (n < limit)
    self->index_pending = FALSE;
  return n;
}

/* Everything still waiting; the number of entries indexed, or -1. */
static gint64
index_all_pending (DeskStore  *self,
                   GError    **error)
{
  gint64 total = 0;

  while (self->index_pending)
    {
      gint64 n = index_pending_chunk (self, INDEX_CHUNK_SEARCH, error);

      if (n < 0)
        return -1;
      total += n;
    }
  return total;
}

static void
index_in_background (DeskStore *self)
{
  g_autoptr(GError) error = NULL;

  if (index_pending_chunk (self, INDEX_CHUNK_IDLE, &error) < 0)
    {
      /* Not in a loop: the next full entries, search or start tries again. */
      g_warning ("Indexing the originals' text: %s", error->message);
      self->index_pending = FALSE;
    }
}

static gpointer
flush_index_job (DeskStore  *self,
                 gpointer    data,
                 GError    **error)
{
  gint64 n = index_all_pending (self, error);

  return n < 0 ? NULL : box_int64 (n);
}

void
desk_store_flush_index_async (DeskStore           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, flush_index_job, NULL, NULL, g_free, FALSE, cancellable, callback, user_data,
               desk_store_flush_index_async);
}

gint64
desk_store_flush_index_finish (DeskStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return unbox_int64 (finish_pointer (self, result, desk_store_flush_index_async, error), -1);
}

gint64
desk_store_flush_index_sync (DeskStore     *self,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), -1);

  return unbox_int64 (run_sync (self, flush_index_job, NULL, NULL, FALSE, cancellable, error), -1);
}

static gpointer
count_unindexed_job (DeskStore  *self,
                     gpointer    data,
                     GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;
  int rc;

  if (!(stmt = get_stmt (self, "SELECT count(*) FROM entry_text WHERE original_pending IS NOT NULL",
                         error)))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Counting entries to index");
      return NULL;
    }
  return box_int64 (sqlite3_column_int64 (stmt, 0));
}

gint64
desk_store_count_unindexed_sync (DeskStore     *self,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), -1);

  return unbox_int64 (run_sync (self, count_unindexed_job, NULL, NULL, TRUE, cancellable, error), -1);
}

static gboolean
set_sync_state (DeskStore   *self,
                const char  *key,
                const char  *value,
                GError     **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;

  if (value == NULL)
    {
      if (!(stmt = get_stmt (self, "DELETE FROM sync_state WHERE key = ?1", error)))
        return FALSE;
      bind_text (stmt, 1, key);
    }
  else
    {
      if (!(stmt = get_stmt (self, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)",
                             error)))
        return FALSE;
      bind_text (stmt, 1, key);
      bind_text (stmt, 2, value);
    }
  return step_done (self, stmt, "Storing the sync state", error);
}

typedef struct {
  GPtrArray *entries;
  char      *cursor;
  gboolean   full;
} UpsertData;

static void
upsert_data_free (UpsertData *data)
{
  g_ptr_array_unref (data->entries);
  g_free (data->cursor);
  g_free (data);
}

static gpointer
upsert_job (DeskStore  *self,
            gpointer    user_data,
            GError    **error)
{
  UpsertData *data = user_data;

  if (!begin (self, DURABILITY_CACHE, error))
    return NULL;

  for (guint i = 0; i < data->entries->len; i++)
    {
      DeskEntry *entry = g_ptr_array_index (data->entries, i);
      gboolean changed;

      if (data->full ? !upsert_full (self, entry, error)
                     : !upsert_row (self, entry, FALSE, &changed, error))
        {
          rollback (self);
          return NULL;
        }
    }

  if (!flush_text_batch (self, error) ||
      (data->cursor != NULL && !set_sync_state (self, "cursor", data->cursor, error)))
    {
      rollback (self);
      return NULL;
    }

  if (!commit (self, error))
    return NULL;
  if (data->full)
    self->index_pending = TRUE;
  return JOB_OK;
}

static UpsertData *
upsert_data_new (GPtrArray  *entries,
                 const char *cursor,
                 gboolean    full)
{
  UpsertData *data = g_new0 (UpsertData, 1);

  /* A new array of new references: the caller may change its array. */
  data->entries = g_ptr_array_new_full (entries->len, g_object_unref);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (data->entries, g_object_ref (g_ptr_array_index (entries, i)));
  data->cursor = g_strdup (cursor);
  data->full = full;
  return data;
}

static gboolean
entries_are_valid (GPtrArray *entries)
{
  for (guint i = 0; i < entries->len; i++)
    if (!DESK_IS_ENTRY (g_ptr_array_index (entries, i)) ||
        desk_entry_get_id (g_ptr_array_index (entries, i)) == NULL)
      return FALSE;
  return TRUE;
}

void
desk_store_upsert_summaries_async (DeskStore           *self,
                                   GPtrArray           *entries,
                                   const char          *cursor,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (entries != NULL && entries_are_valid (entries));

  queue_async (self, upsert_job, upsert_data_new (entries, cursor, FALSE),
               (GDestroyNotify) upsert_data_free, NULL, FALSE, cancellable, callback, user_data,
               desk_store_upsert_summaries_async);
}

gboolean
desk_store_upsert_summaries_finish (DeskStore     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_pointer (self, result, desk_store_upsert_summaries_async, error) != NULL;
}

gboolean
desk_store_upsert_summaries_sync (DeskStore     *self,
                                  GPtrArray     *entries,
                                  const char    *cursor,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL && entries_are_valid (entries), FALSE);

  return run_sync (self, upsert_job, upsert_data_new (entries, cursor, FALSE),
                   (GDestroyNotify) upsert_data_free, FALSE, cancellable, error) != NULL;
}

void
desk_store_upsert_entries_async (DeskStore           *self,
                                 GPtrArray           *entries,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (entries != NULL && entries_are_valid (entries));

  queue_async (self, upsert_job, upsert_data_new (entries, NULL, TRUE),
               (GDestroyNotify) upsert_data_free, NULL, FALSE, cancellable, callback, user_data,
               desk_store_upsert_entries_async);
}

gboolean
desk_store_upsert_entries_finish (DeskStore     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_pointer (self, result, desk_store_upsert_entries_async, error) != NULL;
}

gboolean
desk_store_upsert_entries_sync (DeskStore     *self,
                                GPtrArray     *entries,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL && entries_are_valid (entries), FALSE);

  return run_sync (self, upsert_job, upsert_data_new (entries, NULL, TRUE),
                   (GDestroyNotify) upsert_data_free, FALSE, cancellable, error) != NULL;
}

static DeskEntry *
parse_entry (const char     *json,
             DeskEntryForm   form,
             const char     *what,
             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  DeskEntry *entry;

  entry = desk_entry_new_from_data (json, -1, form, &local_error);
  if (entry == NULL)
    g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_DATA,
                 "%s no longer reads: %s", what, local_error->message);
  return entry;
}

static gpointer
get_entry_job (DeskStore  *self,
               gpointer    data,
               GError    **error)
{
  const char *id = data;
  g_autoptr(DeskStoreStmt) stmt = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  const char *full_json;
  const char *summary_json;
  int rc;

  if (!(stmt = get_stmt (self,
                         "SELECT full_json, full_revision = revision, summary_json"
                         " FROM entries WHERE id = ?1",
                         error)))
    return NULL;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Reading an entry");
      return NULL;
    }

  full_json = (const char *) sqlite3_column_text (stmt, 0);
  if (full_json == NULL)
    return NULL;
  if (!(entry = parse_entry (full_json, DESK_ENTRY_FORM_FULL, "A stored entry", error)))
    return NULL;

  /* The feed brings lock changes without a new revision: the summary of the
   * same revision knows the lock better than the full entry fetched before. */
  summary_json = (const char *) sqlite3_column_text (stmt, 2);
  if (sqlite3_column_int (stmt, 1) && summary_json != NULL)
    {
      g_autoptr(DeskEntry) summary = NULL;

      summary = desk_entry_new_from_data (summary_json, -1, DESK_ENTRY_FORM_SUMMARY, NULL);
      if (summary != NULL)
        desk_entry_set_lock (entry, desk_entry_get_lock (summary));
    }

  return g_steal_pointer (&entry);
}

void
desk_store_get_entry_async (DeskStore           *self,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (id != NULL);

  queue_async (self, get_entry_job, g_strdup (id), g_free, g_object_unref, TRUE,
               cancellable, callback, user_data, desk_store_get_entry_async);
}

DeskEntry *
desk_store_get_entry_finish (DeskStore     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_pointer (self, result, desk_store_get_entry_async, error);
}

DeskEntry *
desk_store_get_entry_sync (DeskStore     *self,
                           const char    *id,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return run_sync (self, get_entry_job, g_strdup (id), g_free, TRUE, cancellable, error);
}

/* ---- rows ------------------------------------------------------------------------- */

#define ROW_COLUMNS \
  "e.id, e.revision, e.status, e.kind, e.title, e.source_name, e.importance," \
  " e.updated_at, e.collected_at, e.lock_editor, e.lock_expires_at, e.qa_errors," \
  " e.full_json IS NOT NULL AND e.full_revision = e.revision"

static DeskStoreRow *
row_from_stmt (sqlite3_stmt *stmt)
{
  DeskStoreRow *row = g_new0 (DeskStoreRow, 1);
  DeskEntryStatus status = DESK_ENTRY_STATUS_INCOMING;
  DeskEntryKind kind = DESK_ENTRY_KIND_ARTICLE;

  row->id = dup_column (stmt, 0);
  row->revision = sqlite3_column_int64 (stmt, 1);
  desk_entry_status_from_string ((const char *) sqlite3_column_text (stmt, 2), &status);
  row->status = status;
  desk_entry_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &kind);
  row->kind = kind;
  row->title = dup_column (stmt, 4);
  row->source_name = dup_column (stmt, 5);
  row->importance = sqlite3_column_int (stmt, 6);
  row->updated_at = dup_column (stmt, 7);
  row->collected_at = dup_column (stmt, 8);
  row->lock_editor = dup_column (stmt, 9);
  row->lock_expires_at = dup_column (stmt, 10);
  row->qa_errors = sqlite3_column_int (stmt, 11);
  row->has_full = sqlite3_column_int (stmt, 12);
  return row;
}

static GPtrArray *
collect_rows (DeskStore     *self,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_store_row_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Listing entries");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* " AND e.status IN ('incoming', …)" for @mask; the names come from the
 * enum, never from input. */
static void
append_status_filter (GString *sql,
                      guint    mask)
{
  gboolean first = TRUE;

  if (mask == 0)
    return;
  g_string_append (sql, " AND e.status IN (");
  for (guint s = DESK_ENTRY_STATUS_INCOMING; s <= DESK_ENTRY_STATUS_REJECTED; s++)
    if (mask & DESK_STORE_STATUS_BIT (s))
      {
        g_string_append_printf (sql, "%s'%s'", first ? "" : ", ",
                                desk_entry_status_to_string ((DeskEntryStatus) s));
        first = FALSE;
      }
  if (first)
    g_string_append (sql, "NULL");
  g_string_append (sql, ")");
}

typedef struct {
  guint          status_mask;
  DeskStoreSort  sort;
  int            offset;
  int            limit;
} ListData;

static gpointer
list_rows_job (DeskStore  *self,
               gpointer    user_data,
               GError    **error)
{
  ListData *data = user_data;
  g_autoptr(GString) sql = g_string_new ("SELECT " ROW_COLUMNS " FROM entries e WHERE 1");
  g_autoptr(DeskStoreStmt) stmt = NULL;

  append_status_filter (sql, data->status_mask);
  switch (data->sort)
    {
    case DESK_STORE_SORT_UPDATED_ASC:
      g_string_append (sql, " ORDER BY e.updated_ts ASC, e.id");
      break;
    case DESK_STORE_SORT_COLLECTED_DESC:
      g_string_append (sql, " ORDER BY e.collected_ts DESC, e.id");
      break;
    case DESK_STORE_SORT_IMPORTANCE_DESC:
      g_string_append (sql, " ORDER BY e.importance DESC, e.updated_ts DESC, e.id");
      break;
    case DESK_STORE_SORT_UPDATED_DESC:
    default:
      g_string_append (sql, " ORDER BY e.updated_ts DESC, e.id");
      break;
    }
  g_string_append (sql, " LIMIT ?1 OFFSET ?2");

  if (!(stmt = get_stmt (self, sql->str, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, data->limit);
  sqlite3_bind_int64 (stmt, 2, MAX (data->offset, 0));
  return collect_rows (self, stmt, error);
}

static ListData *
list_data_new (guint         status_mask,
               DeskStoreSort sort,
               int           offset,
               int           limit)
{
  ListData *data = g_new0 (ListData, 1);

  data->status_mask = status_mask;
  data->sort = sort;
  data->offset = offset;
  data->limit = limit;
  return data;
}

void
desk_store_list_rows_async (DeskStore           *self,
                            guint                status_mask,
                            DeskStoreSort        sort,
                            int                  offset,
                            int                  limit,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, list_rows_job, list_data_new (status_mask, sort, offset, limit), g_free,
               (GDestroyNotify) g_ptr_array_unref, TRUE, cancellable, callback, user_data,
               desk_store_list_rows_async);
}

GPtrArray *
desk_store_list_rows_finish (DeskStore     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_pointer (self, result, desk_store_list_rows_async, error);
}

GPtrArray *
desk_store_list_rows_sync (DeskStore      *self,
                           guint           status_mask,
                           DeskStoreSort   sort,
                           int             offset,
                           int             limit,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  return run_sync (self, list_rows_job, list_data_new (status_mask, sort, offset, limit), g_free,
                   TRUE, cancellable, error);
}

static gpointer
count_entries_job (DeskStore  *self,
                   gpointer    data,
                   GError    **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM entries e WHERE 1");
  g_autoptr(DeskStoreStmt) stmt = NULL;
  int rc;

  append_status_filter (sql, GPOINTER_TO_UINT (data));
  if (!(stmt = get_stmt (self, sql->str, error)))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Counting entries");
      return NULL;
    }
  return box_int64 (sqlite3_column_int64 (stmt, 0));
}

void
desk_store_count_entries_async (DeskStore           *self,
                                guint                status_mask,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, count_entries_job, GUINT_TO_POINTER (status_mask), NULL, g_free, TRUE,
               cancellable, callback, user_data, desk_store_count_entries_async);
}

gint64
desk_store_count_entries_finish (DeskStore     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return unbox_int64 (finish_pointer (self, result, desk_store_count_entries_async, error), -1);
}

gint64
desk_store_count_entries_sync (DeskStore     *self,
                               guint          status_mask,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), -1);

  return unbox_int64 (run_sync (self, count_entries_job, GUINT_TO_POINTER (status_mask), NULL,
                                TRUE, cancellable, error),
                      -1);
}

static gpointer
stale_ids_job (DeskStore  *self,
               gpointer    user_data,
               GError    **error)
{
  ListData *data = user_data;
  g_autoptr(GString) sql = g_string_new ("SELECT e.id FROM entries e"
                                         " WHERE (e.full_json IS NULL"
                                         " OR e.full_revision < e.revision)");
  g_autoptr(DeskStoreStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  int rc;

  append_status_filter (sql, data->status_mask);
  g_string_append (sql, " ORDER BY e.updated_ts, e.id LIMIT ?1");
  if (!(stmt = get_stmt (self, sql->str, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, data->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (ids, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Listing entries to fetch");
      return NULL;
    }
  return g_strv_builder_end (ids);
}

void
desk_store_list_stale_ids_async (DeskStore           *self,
                                 guint                status_mask,
                                 int                  limit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, stale_ids_job, list_data_new (status_mask, 0, 0, limit), g_free,
               (GDestroyNotify) g_strfreev, TRUE, cancellable, callback, user_data,
               desk_store_list_stale_ids_async);
}

GStrv
desk_store_list_stale_ids_finish (DeskStore     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_pointer (self, result, desk_store_list_stale_ids_async, error);
}

GStrv
desk_store_list_stale_ids_sync (DeskStore     *self,
                                guint          status_mask,
                                int            limit,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  return run_sync (self, stale_ids_job, list_data_new (status_mask, 0, 0, limit), g_free, TRUE,
                   cancellable, error);
}

/* ---- revisions ------------------------------------------------------------------ */

static gpointer
add_revision_job (DeskStore  *self,
                  gpointer    data,
                  GError    **error)
{
  DeskEntry *entry = data;
  g_autofree char *json = desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);

  if (!begin (self, DURABILITY_CACHE, error))
    return NULL;
  if (!add_revision (self, entry, json, error))
    {
      rollback (self);
      return NULL;
    }
  return commit (self, error) ? JOB_OK : NULL;
}

void
desk_store_add_revision_async (DeskStore           *self,
                               DeskEntry           *entry,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (DESK_IS_ENTRY (entry));

  queue_async (self, add_revision_job, desk_entry_copy (entry), g_object_unref, NULL, FALSE,
               cancellable, callback, user_data, desk_store_add_revision_async);
}

gboolean
desk_store_add_revision_finish (DeskStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, desk_store_add_revision_async, error) != NULL;
}

gboolean
desk_store_add_revision_sync (DeskStore     *self,
                              DeskEntry     *entry,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (DESK_IS_ENTRY (entry), FALSE);

  return run_sync (self, add_revision_job, desk_entry_copy (entry), g_object_unref, FALSE,
                   cancellable, error) != NULL;
}

typedef struct {
  char   *id;
  gint64  revision;
} RevisionData;

static void
revision_data_free (RevisionData *data)
{
  g_free (data->id);
  g_free (data);
}

static RevisionData *
revision_data_new (const char *id,
                   gint64      revision)
{
  RevisionData *data = g_new0 (RevisionData, 1);

  data->id = g_strdup (id);
  data->revision = revision;
  return data;
}

static gpointer
get_revision_job (DeskStore  *self,
                  gpointer    user_data,
                  GError    **error)
{
  RevisionData *data = user_data;
  g_autoptr(DeskStoreStmt) stmt = NULL;
  int rc;

  if (!(stmt = get_stmt (self, "SELECT json FROM revisions WHERE entry_id = ?1 AND revision = ?2",
                         error)))
    return NULL;
  bind_text (stmt, 1, data->id);
  sqlite3_bind_int64 (stmt, 2, data->revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Reading a revision");
      return NULL;
    }
  return parse_entry ((const char *) sqlite3_column_text (stmt, 0), DESK_ENTRY_FORM_FULL,
                      "A stored revision", error);
}

void
desk_store_get_revision_async (DeskStore           *self,
                               const char          *id,
                               gint64               revision,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (id != NULL);

  queue_async (self, get_revision_job, revision_data_new (id, revision),
               (GDestroyNotify) revision_data_free, g_object_unref, TRUE, cancellable, callback,
               user_data, desk_store_get_revision_async);
}

DeskEntry *
desk_store_get_revision_finish (DeskStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, desk_store_get_revision_async, error);
}

DeskEntry *
desk_store_get_revision_sync (DeskStore     *self,
                              const char    *id,
                              gint64         revision,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return run_sync (self, get_revision_job, revision_data_new (id, revision),
                   (GDestroyNotify) revision_data_free, TRUE, cancellable, error);
}

static gpointer
list_revisions_job (DeskStore  *self,
                    gpointer    data,
                    GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;
  g_autoptr(GArray) revisions = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (!(stmt = get_stmt (self,
                         "SELECT revision FROM revisions WHERE entry_id = ?1 ORDER BY revision",
                         error)))
    return NULL;
  bind_text (stmt, 1, data);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 revision = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (revisions, revision);
    }
  if (rc != SQLITE_DONE)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Listing revisions");
      return NULL;
    }
  return g_steal_pointer (&revisions);
}

void
desk_store_list_revisions_async (DeskStore           *self,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (id != NULL);

  queue_async (self, list_revisions_job, g_strdup (id), g_free, (GDestroyNotify) g_array_unref,
               TRUE, cancellable, callback, user_data, desk_store_list_revisions_async);
}

GArray *
desk_store_list_revisions_finish (DeskStore     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_pointer (self, result, desk_store_list_revisions_async, error);
}

GArray *
desk_store_list_revisions_sync (DeskStore     *self,
                                const char    *id,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return run_sync (self, list_revisions_job, g_strdup (id), g_free, TRUE, cancellable, error);
}

/* ---- QA results ------------------------------------------------------------------- */

typedef struct {
  char   *id;
  gint64  revision;
  int     n_errors;
} QaData;

static void
qa_data_free (QaData *data)
{
  g_free (data->id);
  g_free (data);
}

static QaData *
qa_data_new (const char *id,
             gint64      revision,
             int         n_errors)
{
  QaData *data = g_new0 (QaData, 1);

  data->id = g_strdup (id);
  data->revision = revision;
  data->n_errors = n_errors;
  return data;
}

static gpointer
set_qa_errors_job (DeskStore  *self,
                   gpointer    user_data,
                   GError    **error)
{
  QaData *data = user_data;
  g_autoptr(DeskStoreStmt) stmt = NULL;

  /* Re-derivable from the entry, so cache durability. */
  if (!begin (self, DURABILITY_CACHE, error))
    return NULL;
  if (!(stmt = get_stmt (self, "UPDATE entries SET qa_errors = ?3 WHERE id = ?1 AND revision = ?2",
                         error)))
    {
      rollback (self);
      return NULL;
    }
  bind_text (stmt, 1, data->id);
  sqlite3_bind_int64 (stmt, 2, data->revision);
  sqlite3_bind_int (stmt, 3, data->n_errors);
  if (!step_done (self, stmt, "Storing QA results", error))
    {
      rollback (self);
      return NULL;
    }
  return commit (self, error) ? JOB_OK : NULL;
}

void
desk_store_set_qa_errors_async (DeskStore           *self,
                                const char          *id,
                                gint64               revision,
                                int                  n_errors,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (n_errors >= 0);

  queue_async (self, set_qa_errors_job, qa_data_new (id, revision, n_errors),
               (GDestroyNotify) qa_data_free, NULL, FALSE, cancellable, callback, user_data,
               desk_store_set_qa_errors_async);
}

gboolean
desk_store_set_qa_errors_finish (DeskStore     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_pointer (self, result, desk_store_set_qa_errors_async, error) != NULL;
}

gboolean
desk_store_set_qa_errors_sync (DeskStore     *self,
                               const char    *id,
                               gint64         revision,
                               int            n_errors,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (n_errors >= 0, FALSE);

  return run_sync (self, set_qa_errors_job, qa_data_new (id, revision, n_errors),
                   (GDestroyNotify) qa_data_free, FALSE, cancellable, error) != NULL;
}

/* ---- drafts ------------------------------------------------------------------------ */

typedef struct {
  char   *entry_id;
  gint64  base_revision;
  char   *fields_json;
  gint64  updated_at;
  GError *invalid;        /* set instead of fields_json: refused at the job */
} DraftData;

static void
draft_data_free (DraftData *data)
{
  g_free (data->entry_id);
  g_free (data->fields_json);
  g_clear_error (&data->invalid);
  g_free (data);
}

static gboolean
check_utf8 (const char  *text,
            const char  *field,
            GError     **error)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return TRUE;
  g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID,
               "The draft was not saved: its field “%s” is not valid UTF-8", field);
  return FALSE;
}

/* json-glib writes whatever bytes it is given, and an invalid sequence
 * would make the draft unreadable (or silently changed) when read back:
 * the editor's work must come back exactly or be refused now, while the
 * editor is still there to see it. */
static gboolean
check_draft_utf8 (const char          *entry_id,
                  const DeskEditable  *fields,
                  GError             **error)
{
  if (!check_utf8 (entry_id, "entry_id", error) ||
      !check_utf8 (fields->title, "title", error) ||
      !check_utf8 (fields->body, "body", error) ||
      !check_utf8 (fields->tldr, "tldr", error) ||
      !check_utf8 (fields->impact_analysis, "impact_analysis", error) ||
      !check_utf8 (fields->editorial_comment, "editorial_comment", error))
    return FALSE;

  for (guint i = 0; fields->tags != NULL && fields->tags[i] != NULL; i++)
    {
      g_autofree char *field = g_strdup_printf ("tags[%u]", i);

      if (!check_utf8 (fields->tags[i], field, error))
        return FALSE;
    }

  for (guint i = 0; fields->key_points != NULL && i < fields->key_points->len; i++)
    {
      const DeskKeyPoint *point = g_ptr_array_index (fields->key_points, i);
      g_autofree char *heading = g_strdup_printf ("key_points[%u].heading", i);
      g_autofree char *body = g_strdup_printf ("key_points[%u].body", i);

      if (!check_utf8 (point->heading, heading, error) ||
          !check_utf8 (point->body, body, error))
        return FALSE;
    }
  return TRUE;
}

static DraftData *
draft_data_new (const char         *entry_id,
                gint64              base_revision,
                const DeskEditable *fields)
{
  DraftData *data = g_new0 (DraftData, 1);
  g_autoptr(JsonNode) node = NULL;

  data->base_revision = base_revision;
  data->updated_at = g_get_real_time ();
  if (!check_draft_utf8 (entry_id, fields, &data->invalid))
    return data;
  node = desk_editable_to_json (fields);
  data->entry_id = g_strdup (entry_id);
  data->fields_json = desk_json_to_string (node, FALSE, NULL);
  return data;
}

static gpointer
save_draft_job (DeskStore  *self,
                gpointer    user_data,
                GError    **error)
{
  DraftData *data = user_data;
  g_autoptr(DeskStoreStmt) stmt = NULL;

  if (data->invalid != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&data->invalid));
      return NULL;
    }
  if (!begin (self, DURABILITY_WORK, error))
    return NULL;
  if (!(stmt = get_stmt (self,
                         "INSERT OR REPLACE INTO drafts (entry_id, base_revision, fields_json,"
                         " updated_at) VALUES (?1, ?2, ?3, ?4)",
                         error)))
    {
      rollback (self);
      return NULL;
    }
  bind_text (stmt, 1, data->entry_id);
  sqlite3_bind_int64 (stmt, 2, data->base_revision);
  bind_text (stmt, 3, data->fields_json);
  sqlite3_bind_int64 (stmt, 4, data->updated_at);
  if (!step_done (self, stmt, "Saving a draft", error))
    {
      rollback (self);
      return NULL;
    }
  return commit (self, error) ? JOB_OK : NULL;
}

void
desk_store_save_draft_async (DeskStore           *self,
                             const char          *entry_id,
                             gint64               base_revision,
                             const DeskEditable  *fields,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (entry_id != NULL);
  g_return_if_fail (fields != NULL);

  queue_async (self, save_draft_job, draft_data_new (entry_id, base_revision, fields),
               (GDestroyNotify) draft_data_free, NULL, FALSE, cancellable, callback, user_data,
               desk_store_save_draft_async);
}

gboolean
desk_store_save_draft_finish (DeskStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, desk_store_save_draft_async, error) != NULL;
}

gboolean
desk_store_save_draft_sync (DeskStore           *self,
                            const char          *entry_id,
                            gint64               base_revision,
                            const DeskEditable  *fields,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry_id != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  return run_sync (self, save_draft_job, draft_data_new (entry_id, base_revision, fields),
                   (GDestroyNotify) draft_data_free, FALSE, cancellable, error) != NULL;
}

#define DRAFT_COLUMNS "entry_id, base_revision, fields_json, updated_at"

static DeskStoreDraft *
draft_from_stmt (sqlite3_stmt  *stmt,
                 GError       **error)
{
  g_autoptr(DeskStoreDraft) draft = g_new0 (DeskStoreDraft, 1);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *json = (const char *) sqlite3_column_text (stmt, 2);

  draft->entry_id = dup_column (stmt, 0);
  draft->base_revision = sqlite3_column_int64 (stmt, 1);
  draft->updated_at = sqlite3_column_int64 (stmt, 3);

  node = desk_json_parse (json != NULL ? json : "", -1, 0, 0, &local_error);
  if (node != NULL)
    draft->fields = desk_editable_new_from_json (node, "draft", 0, DESK_FIELDS_ALL, TRUE,
                                                 &local_error);
  if (draft->fields == NULL)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_DATA,
                   "The draft of %s no longer reads: %s", draft->entry_id, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&draft);
}

static gpointer
get_draft_job (DeskStore  *self,
               gpointer    data,
               GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;
  int rc;

  if (!(stmt = get_stmt (self, "SELECT " DRAFT_COLUMNS " FROM drafts WHERE entry_id = ?1",
                         error)))
    return NULL;
  bind_text (stmt, 1, data);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Reading a draft");
      return NULL;
    }
  return draft_from_stmt (stmt, error);
}

void
desk_store_get_draft_async (DeskStore           *self,
                            const char          *entry_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (entry_id != NULL);

  queue_async (self, get_draft_job, g_strdup (entry_id), g_free,
               (GDestroyNotify) desk_store_draft_free, TRUE, cancellable, callback, user_data,
               desk_store_get_draft_async);
}

DeskStoreDraft *
desk_store_get_draft_finish (DeskStore     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_pointer (self, result, desk_store_get_draft_async, error);
}

DeskStoreDraft *
desk_store_get_draft_sync (DeskStore     *self,
                           const char    *entry_id,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  g_return_val_if_fail (entry_id != NULL, NULL);

  return run_sync (self, get_draft_job, g_strdup (entry_id), g_free, TRUE, cancellable, error);
}

static gpointer
delete_draft_job (DeskStore  *self,
                  gpointer    data,
                  GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;

  if (!begin (self, DURABILITY_WORK, error))
    return NULL;
  if (!(stmt = get_stmt (self, "DELETE FROM drafts WHERE entry_id = ?1", error)))
    {
      rollback (self);
      return NULL;
    }
  bind_text (stmt, 1, data);
  if (!step_done (self, stmt, "Deleting a draft", error))
    {
      rollback (self);
      return NULL;
    }
  return commit (self, error) ? JOB_OK : NULL;
}

void
desk_store_delete_draft_async (DeskStore           *self,
                               const char          *entry_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (entry_id != NULL);

  queue_async (self, delete_draft_job, g_strdup (entry_id), g_free, NULL, FALSE, cancellable,
               callback, user_data, desk_store_delete_draft_async);
}

gboolean
desk_store_delete_draft_finish (DeskStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, desk_store_delete_draft_async, error) != NULL;
}

gboolean
desk_store_delete_draft_sync (DeskStore     *self,
                              const char    *entry_id,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry_id != NULL, FALSE);

  return run_sync (self, delete_draft_job, g_strdup (entry_id), g_free, FALSE, cancellable,
                   error) != NULL;
}

static gpointer
list_drafts_job (DeskStore  *self,
                 gpointer    data,
                 GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  int rc;

  drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_store_draft_free);
  if (!(stmt = get_stmt (self, "SELECT " DRAFT_COLUMNS " FROM drafts ORDER BY updated_at, entry_id",
                         error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DeskStoreDraft *draft = draft_from_stmt (stmt, error);

      if (draft == NULL)
        return NULL;
      g_ptr_array_add (drafts, draft);
    }
  if (rc != SQLITE_DONE)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Listing drafts");
      return NULL;
    }
  return g_steal_pointer (&drafts);
}

void
desk_store_list_drafts_async (DeskStore           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, list_drafts_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref, TRUE,
               cancellable, callback, user_data, desk_store_list_drafts_async);
}

GPtrArray *
desk_store_list_drafts_finish (DeskStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, desk_store_list_drafts_async, error);
}

GPtrArray *
desk_store_list_drafts_sync (DeskStore     *self,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  return run_sync (self, list_drafts_job, NULL, NULL, TRUE, cancellable, error);
}

/* ---- outbox ---------------------------------------------------------------------- */

#define OP_COLUMNS \
  "id, entry_id, kind, payload, if_match, idempotency_key, attempts, next_attempt_at," \
  " last_error, state, created_at"

static const char * const state_names[] = { "pending", "in_flight", "done", "failed" };

static DeskOutboxOp *
op_from_stmt (sqlite3_stmt *stmt)
{
  DeskOutboxOp *op = g_new0 (DeskOutboxOp, 1);
  const char *state = (const char *) sqlite3_column_text (stmt, 9);
  DeskOutboxKind kind = DESK_OUTBOX_KIND_PATCH;

  op->id = sqlite3_column_int64 (stmt, 0);
  op->entry_id = dup_column (stmt, 1);
  desk_outbox_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &kind);
  op->kind = kind;
  op->payload = dup_column (stmt, 3);
  op->if_match = dup_column (stmt, 4);
  op->idempotency_key = dup_column (stmt, 5);
  op->attempts = sqlite3_column_int (stmt, 6);
  op->next_attempt_at = sqlite3_column_int64 (stmt, 7);
  op->last_error = dup_column (stmt, 8);
  op->state = DESK_OUTBOX_STATE_PENDING;
  for (guint i = 0; state != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (strcmp (state, state_names[i]) == 0)
      op->state = (DeskOutboxState) i;
  op->created_at = sqlite3_column_int64 (stmt, 10);
  return op;
}

typedef struct {
  char           *entry_id;
  DeskOutboxKind  kind;
  char           *payload;
  char           *if_match;
  char           *idempotency_key;
  gint64          id;
  DeskOutboxMark  mark;
  char           *error_message;
  gint64          time;
} OpData;

static void
op_data_free (OpData *data)
{
  g_free (data->entry_id);
  g_free (data->payload);
  g_free (data->if_match);
  g_free (data->idempotency_key);
  g_free (data->error_message);
  g_free (data);
}

/* Runs @stmt (bound) as a FULL transaction of its own. */
static gboolean
write_work (DeskStore     *self,
            sqlite3_stmt  *stmt,
            const char    *what,
            gboolean       must_change,
            GError       **error)
{
  if (!begin (self, DURABILITY_WORK, error))
    return FALSE;
  if (!step_done (self, stmt, what, error))
    {
      rollback (self);
      return FALSE;
    }
  if (must_change && sqlite3_changes (self->db) == 0)
    {
      rollback (self);
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED,
                   "%s: no such outbox operation", what);
      return FALSE;
    }
  return commit (self, error);
}

/* Appends @data as a pending operation due at @now, inside the caller's
 * transaction; its id, or 0 with @error. */
static gint64
insert_op (DeskStore  *self,
           OpData     *data,
           gint64      now,
           GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;

  if (!(stmt = get_stmt (self,
                         "INSERT INTO outbox (entry_id, kind, payload, if_match, idempotency_key,"
                         " attempts, state, created_at, next_attempt_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, 0, 'pending', ?6, ?6)",
                         error)))
    return 0;
  bind_text (stmt, 1, data->entry_id);
  bind_text (stmt, 2, desk_outbox_kind_to_string (data->kind));
  bind_text (stmt, 3, data->payload);
  bind_text (stmt, 4, data->if_match);
  bind_text (stmt, 5, data->idempotency_key);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!step_done (self, stmt, "Queueing a change", error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

/* Every operation of @data (a GPtrArray of OpData) in one FULL transaction. */
static gpointer
enqueue_all_job (DeskStore  *self,
                 gpointer    user_data,
                 GError    **error)
{
  GPtrArray *ops = user_data;
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), ops->len);
  gint64 now = g_get_real_time ();

  if (!begin (self, DURABILITY_WORK, error))
    return NULL;
  for (guint i = 0; i < ops->len; i++)
    {
      gint64 id = insert_op (self, g_ptr_array_index (ops, i), now, error);

      if (id == 0)
        {
          rollback (self);
          return NULL;
        }
      g_array_append_val (ids, id);
    }
  if (!commit (self, error))
    return NULL;
  return g_steal_pointer (&ids);
}

static gpointer
enqueue_job (DeskStore  *self,
             gpointer    user_data,
             GError    **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(GArray) ids = NULL;

  g_ptr_array_add (one, user_data);
  if (!(ids = enqueue_all_job (self, one, error)))
    return NULL;
  return box_int64 (g_array_index (ids, gint64, 0));
}

static OpData *
enqueue_data_new (const char     *entry_id,
                  DeskOutboxKind  kind,
                  const char     *payload,
                  const char     *if_match,
                  const char     *idempotency_key)
{
  OpData *data = g_new0 (OpData, 1);

  data->entry_id = g_strdup (entry_id);
  data->kind = kind;
  data->payload = g_strdup (payload);
  data->if_match = g_strdup (if_match);
  data->idempotency_key = g_strdup (idempotency_key);
  return data;
}

void
desk_store_outbox_enqueue_async (DeskStore           *self,
                                 const char          *entry_id,
                                 DeskOutboxKind       kind,
                                 const char          *payload,
                                 const char          *if_match,
                                 const char          *idempotency_key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (kind <= DESK_OUTBOX_KIND_GLOSSARY);
  g_return_if_fail ((entry_id != NULL) == (kind != DESK_OUTBOX_KIND_GLOSSARY));

  queue_async (self, enqueue_job,
               enqueue_data_new (entry_id, kind, payload, if_match, idempotency_key),
               (GDestroyNotify) op_data_free, g_free, FALSE, cancellable, callback, user_data,
               desk_store_outbox_enqueue_async);
}

gint64
desk_store_outbox_enqueue_finish (DeskStore     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return unbox_int64 (finish_pointer (self, result, desk_store_outbox_enqueue_async, error), 0);
}

gint64
desk_store_outbox_enqueue_sync (DeskStore       *self,
                                const char      *entry_id,
                                DeskOutboxKind   kind,
                                const char      *payload,
                                const char      *if_match,
                                const char      *idempotency_key,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), 0);
  g_return_val_if_fail (kind <= DESK_OUTBOX_KIND_GLOSSARY, 0);
  g_return_val_if_fail ((entry_id != NULL) == (kind != DESK_OUTBOX_KIND_GLOSSARY), 0);

  return unbox_int64 (run_sync (self, enqueue_job,
                                enqueue_data_new (entry_id, kind, payload, if_match,
                                                  idempotency_key),
                                (GDestroyNotify) op_data_free, FALSE, cancellable, error),
                      0);
}

void
desk_store_outbox_enqueue_all_async (DeskStore           *self,
                                     GPtrArray           *ops,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GPtrArray *data;

  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (ops != NULL && ops->len > 0);

  for (guint i = 0; i < ops->len; i++)
    {
      const DeskOutboxOp *op = g_ptr_array_index (ops, i);

      g_return_if_fail (op->kind <= DESK_OUTBOX_KIND_GLOSSARY);
      g_return_if_fail ((op->entry_id != NULL) == (op->kind != DESK_OUTBOX_KIND_GLOSSARY));
    }
  data = g_ptr_array_new_full (ops->len, (GDestroyNotify) op_data_free);
  for (guint i = 0; i < ops->len; i++)
    {
      const DeskOutboxOp *op = g_ptr_array_index (ops, i);

      g_ptr_array_add (data, enqueue_data_new (op->entry_id, op->kind, op->payload, op->if_match,
                                               op->idempotency_key));
    }
  queue_async (self, enqueue_all_job, data, (GDestroyNotify) g_ptr_array_unref,
               (GDestroyNotify) g_array_unref, FALSE, cancellable, callback, user_data,
               desk_store_outbox_enqueue_all_async);
}

GArray *
desk_store_outbox_enqueue_all_finish (DeskStore     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (self, result, desk_store_outbox_enqueue_all_async, error);
}

static gpointer
next_due_job (DeskStore  *self,
              gpointer    data,
              GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;
  int rc;

  if (!(stmt = get_stmt (self,
                         "SELECT " OP_COLUMNS " FROM outbox o"
                         " WHERE o.state = 'pending' AND o.next_attempt_at <= ?1"
                         " AND NOT EXISTS (SELECT 1 FROM outbox p"
                         "   WHERE p.entry_id IS o.entry_id AND p.id < o.id"
                         "   AND p.state IN ('pending', 'in_flight', 'failed'))"
                         " ORDER BY o.id LIMIT 1",
                         error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, *(gint64 *) data);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Reading the outbox");
      return NULL;
    }
  return op_from_stmt (stmt);
}

void
desk_store_outbox_next_due_async (DeskStore           *self,
                                  gint64               now,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, next_due_job, box_int64 (now), g_free, (GDestroyNotify) desk_outbox_op_free,
               TRUE, cancellable, callback, user_data, desk_store_outbox_next_due_async);
}

DeskOutboxOp *
desk_store_outbox_next_due_finish (DeskStore     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_pointer (self, result, desk_store_outbox_next_due_async, error);
}

DeskOutboxOp *
desk_store_outbox_next_due_sync (DeskStore     *self,
                                 gint64         now,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  return run_sync (self, next_due_job, box_int64 (now), g_free, TRUE, cancellable, error);
}

static gpointer
next_time_job (DeskStore  *self,
               gpointer    data,
               GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;
  int rc;

  if (!(stmt = get_stmt (self,
                         "SELECT min(o.next_attempt_at) FROM outbox o WHERE o.state = 'pending'"
                         " AND NOT EXISTS (SELECT 1 FROM outbox p"
                         "   WHERE p.entry_id IS o.entry_id AND p.id < o.id"
                         "   AND p.state IN ('pending', 'in_flight', 'failed'))",
                         error)))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Reading the outbox");
      return NULL;
    }
  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return box_int64 (G_MAXINT64);
  return box_int64 (sqlite3_column_int64 (stmt, 0));
}

void
desk_store_outbox_next_time_async (DeskStore           *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, next_time_job, NULL, NULL, g_free, TRUE, cancellable, callback, user_data,
               desk_store_outbox_next_time_async);
}

gint64
desk_store_outbox_next_time_finish (DeskStore     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return unbox_int64 (finish_pointer (self, result, desk_store_outbox_next_time_async, error), -1);
}

gint64
desk_store_outbox_next_time_sync (DeskStore     *self,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), -1);

  return unbox_int64 (run_sync (self, next_time_job, NULL, NULL, TRUE, cancellable, error), -1);
}

static gpointer
mark_job (DeskStore  *self,
          gpointer    user_data,
          GError    **error)
{
  OpData *data = user_data;
  g_autoptr(DeskStoreStmt) stmt = NULL;
  const char *sql;

  switch (data->mark)
    {
    case DESK_OUTBOX_MARK_IN_FLIGHT:
      sql = "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1 WHERE id = ?1";
      break;
    case DESK_OUTBOX_MARK_DONE:
      sql = "UPDATE outbox SET state = 'done', last_error = NULL WHERE id = ?1";
      break;
    case DESK_OUTBOX_MARK_RETRY:
      sql = "UPDATE outbox SET state = 'pending', last_error = ?2, next_attempt_at = ?3"
            " WHERE id = ?1";
      break;
    case DESK_OUTBOX_MARK_FAILED:
      sql = "UPDATE outbox SET state = 'failed', last_error = ?2 WHERE id = ?1";
      break;
    case DESK_OUTBOX_MARK_PENDING:
    default:
      sql = "UPDATE outbox SET state = 'pending', next_attempt_at = ?3 WHERE id = ?1";
      break;
    }

  if (!(stmt = get_stmt (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, data->id);
  if (data->mark == DESK_OUTBOX_MARK_RETRY || data->mark == DESK_OUTBOX_MARK_FAILED)
    bind_text (stmt, 2, data->error_message);
  if (data->mark == DESK_OUTBOX_MARK_RETRY || data->mark == DESK_OUTBOX_MARK_PENDING)
    sqlite3_bind_int64 (stmt, 3, data->mark == DESK_OUTBOX_MARK_PENDING ? g_get_real_time ()
                                                                        : data->time);
  return write_work (self, stmt, "Updating the outbox", TRUE, error) ? JOB_OK : NULL;
}

static OpData *
mark_data_new (gint64          id,
               DeskOutboxMark  mark,
               const char     *error_message,
               gint64          time)
{
  OpData *data = g_new0 (OpData, 1);

  data->id = id;
  data->mark = mark;
  data->error_message = g_strdup (error_message);
  data->time = time;
  return data;
}

void
desk_store_outbox_mark_async (DeskStore           *self,
                              gint64               id,
                              DeskOutboxMark       mark,
                              const char          *error_message,
                              gint64               next_attempt_at,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (mark <= DESK_OUTBOX_MARK_PENDING);

  queue_async (self, mark_job, mark_data_new (id, mark, error_message, next_attempt_at),
               (GDestroyNotify) op_data_free, NULL, FALSE, cancellable, callback, user_data,
               desk_store_outbox_mark_async);
}

gboolean
desk_store_outbox_mark_finish (DeskStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, desk_store_outbox_mark_async, error) != NULL;
}

gboolean
desk_store_outbox_mark_sync (DeskStore       *self,
                             gint64           id,
                             DeskOutboxMark   mark,
                             const char      *error_message,
                             gint64           next_attempt_at,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (mark <= DESK_OUTBOX_MARK_PENDING, FALSE);

  return run_sync (self, mark_job, mark_data_new (id, mark, error_message, next_attempt_at),
                   (GDestroyNotify) op_data_free, FALSE, cancellable, error) != NULL;
}

static gpointer
outbox_list_job (DeskStore  *self,
                 gpointer    data,
                 GError    **error)
{
  guint mask = GPOINTER_TO_UINT (data);
  g_autoptr(GString) sql = g_string_new ("SELECT " OP_COLUMNS " FROM outbox WHERE 1");
  g_autoptr(DeskStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  gboolean first = TRUE;
  int rc;

  if (mask != 0)
    {
      g_string_append (sql, " AND state IN (");
      for (guint s = 0; s < G_N_ELEMENTS (state_names); s++)
        if (mask & DESK_OUTBOX_STATE_BIT (s))
          {
            g_string_append_printf (sql, "%s'%s'", first ? "" : ", ", state_names[s]);
            first = FALSE;
          }
      g_string_append (sql, first ? "NULL)" : ")");
    }
  g_string_append (sql, " ORDER BY id");

  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_outbox_op_free);
  if (!(stmt = get_stmt (self, sql->str, error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ops, op_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Listing the outbox");
      return NULL;
    }
  return g_steal_pointer (&ops);
}

void
desk_store_outbox_list_async (DeskStore           *self,
                              guint                state_mask,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, outbox_list_job, GUINT_TO_POINTER (state_mask), NULL,
               (GDestroyNotify) g_ptr_array_unref, TRUE, cancellable, callback, user_data,
               desk_store_outbox_list_async);
}

GPtrArray *
desk_store_outbox_list_finish (DeskStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, desk_store_outbox_list_async, error);
}

GPtrArray *
desk_store_outbox_list_sync (DeskStore     *self,
                             guint          state_mask,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  return run_sync (self, outbox_list_job, GUINT_TO_POINTER (state_mask), NULL, TRUE, cancellable,
                   error);
}

static gpointer
count_pending_job (DeskStore  *self,
                   gpointer    data,
                   GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;
  int rc;

  if (!(stmt = get_stmt (self,
                         "SELECT count(*) FROM outbox WHERE state IN ('pending', 'in_flight')",
                         error)))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Counting the outbox");
      return NULL;
    }
  return box_int64 (sqlite3_column_int64 (stmt, 0));
}

void
desk_store_outbox_count_pending_async (DeskStore           *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, count_pending_job, NULL, NULL, g_free, TRUE, cancellable, callback,
               user_data, desk_store_outbox_count_pending_async);
}

gint64
desk_store_outbox_count_pending_finish (DeskStore     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return unbox_int64 (finish_pointer (self, result, desk_store_outbox_count_pending_async, error),
                      -1);
}

gint64
desk_store_outbox_count_pending_sync (DeskStore     *self,
                                      GCancellable  *cancellable,
                                      GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), -1);

  return unbox_int64 (run_sync (self, count_pending_job, NULL, NULL, TRUE, cancellable, error),
                      -1);
}

static gpointer
outbox_delete_job (DeskStore  *self,
                   gpointer    data,
                   GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;

  if (!(stmt = get_stmt (self, "DELETE FROM outbox WHERE id = ?1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, *(gint64 *) data);
  return write_work (self, stmt, "Removing an outbox operation", TRUE, error) ? JOB_OK : NULL;
}

void
desk_store_outbox_delete_async (DeskStore           *self,
                                gint64               id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, outbox_delete_job, box_int64 (id), g_free, NULL, FALSE, cancellable,
               callback, user_data, desk_store_outbox_delete_async);
}

gboolean
desk_store_outbox_delete_finish (DeskStore     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_pointer (self, result, desk_store_outbox_delete_async, error) != NULL;
}

gboolean
desk_store_outbox_delete_sync (DeskStore     *self,
                               gint64         id,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  return run_sync (self, outbox_delete_job, box_int64 (id), g_free, FALSE, cancellable,
                   error) != NULL;
}

/* ---- cursor ------------------------------------------------------------------------ */

static gpointer
get_cursor_job (DeskStore  *self,
                gpointer    data,
                GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;
  int rc;

  if (!(stmt = get_stmt (self, "SELECT value FROM sync_state WHERE key = 'cursor'", error)))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Reading the sync cursor");
      return NULL;
    }
  return dup_column (stmt, 0);
}

void
desk_store_get_cursor_async (DeskStore           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, get_cursor_job, NULL, NULL, g_free, TRUE, cancellable, callback, user_data,
               desk_store_get_cursor_async);
}

char *
desk_store_get_cursor_finish (DeskStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, desk_store_get_cursor_async, error);
}

char *
desk_store_get_cursor_sync (DeskStore     *self,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  return run_sync (self, get_cursor_job, NULL, NULL, TRUE, cancellable, error);
}

static gpointer
set_cursor_job (DeskStore  *self,
                gpointer    data,
                GError    **error)
{
  if (!begin (self, DURABILITY_CACHE, error))
    return NULL;
  if (!set_sync_state (self, "cursor", data, error))
    {
      rollback (self);
      return NULL;
    }
  return commit (self, error) ? JOB_OK : NULL;
}

void
desk_store_set_cursor_async (DeskStore           *self,
                             const char          *cursor,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, set_cursor_job, g_strdup (cursor), g_free, NULL, FALSE, cancellable, callback,
               user_data, desk_store_set_cursor_async);
}

gboolean
desk_store_set_cursor_finish (DeskStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, desk_store_set_cursor_async, error) != NULL;
}

gboolean
desk_store_set_cursor_sync (DeskStore     *self,
                            const char    *cursor,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  return run_sync (self, set_cursor_job, g_strdup (cursor), g_free, FALSE, cancellable,
                   error) != NULL;
}

/* ---- glossary ---------------------------------------------------------------------- */

static gpointer
get_glossary_job (DeskStore  *self,
                  gpointer    data,
                  GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  DeskGlossary *glossary = NULL;
  int rc;

  if (!(stmt = get_stmt (self, "SELECT json FROM glossary WHERE id = 1", error)))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Reading the glossary");
      return NULL;
    }
  node = desk_json_parse ((const char *) sqlite3_column_text (stmt, 0), -1, 0, 0, &local_error);
  if (node != NULL)
    glossary = desk_glossary_new_from_json (node, TRUE, &local_error);
  if (glossary == NULL)
    g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_DATA,
                 "The stored glossary no longer reads: %s", local_error->message);
  return glossary;
}

void
desk_store_get_glossary_async (DeskStore           *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));

  queue_async (self, get_glossary_job, NULL, NULL, (GDestroyNotify) desk_glossary_free, TRUE,
               cancellable, callback, user_data, desk_store_get_glossary_async);
}

DeskGlossary *
desk_store_get_glossary_finish (DeskStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, desk_store_get_glossary_async, error);
}

DeskGlossary *
desk_store_get_glossary_sync (DeskStore     *self,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  return run_sync (self, get_glossary_job, NULL, NULL, TRUE, cancellable, error);
}

typedef struct {
  gint64  revision;
  char   *json;
} GlossaryData;

static void
glossary_data_free (GlossaryData *data)
{
  g_free (data->json);
  g_free (data);
}

static GlossaryData *
glossary_data_new (const DeskGlossary *glossary)
{
  GlossaryData *data = g_new0 (GlossaryData, 1);
  g_autoptr(JsonNode) node = desk_glossary_to_json (glossary, TRUE);

  data->revision = glossary->revision;
  data->json = desk_json_to_string (node, FALSE, NULL);
  return data;
}

static gpointer
set_glossary_job (DeskStore  *self,
                  gpointer    user_data,
                  GError    **error)
{
  GlossaryData *data = user_data;
  g_autoptr(DeskStoreStmt) stmt = NULL;

  if (!begin (self, DURABILITY_CACHE, error))
    return NULL;
  if (!(stmt = get_stmt (self, "INSERT OR REPLACE INTO glossary (id, revision, json)"
                               " VALUES (1, ?1, ?2)",
                         error)))
    {
      rollback (self);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, data->revision);
  bind_text (stmt, 2, data->json);
  if (!step_done (self, stmt, "Storing the glossary", error))
    {
      rollback (self);
      return NULL;
    }
  return commit (self, error) ? JOB_OK : NULL;
}

void
desk_store_set_glossary_async (DeskStore           *self,
                               const DeskGlossary  *glossary,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (glossary != NULL && glossary->revision >= 1);

  queue_async (self, set_glossary_job, glossary_data_new (glossary),
               (GDestroyNotify) glossary_data_free, NULL, FALSE, cancellable, callback, user_data,
               desk_store_set_glossary_async);
}

gboolean
desk_store_set_glossary_finish (DeskStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, desk_store_set_glossary_async, error) != NULL;
}

gboolean
desk_store_set_glossary_sync (DeskStore           *self,
                              const DeskGlossary  *glossary,
                              GCancellable        *cancellable,
                              GError             **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (glossary != NULL && glossary->revision >= 1, FALSE);

  return run_sync (self, set_glossary_job, glossary_data_new (glossary),
                   (GDestroyNotify) glossary_data_free, FALSE, cancellable, error) != NULL;
}

/* ---- ignored findings ------------------------------------------------------------- */

typedef struct {
  char *entry_id;
  char *check_id;
  char *snippet;
  char *snippet_hash;
  char *reason;
} FindingData;

static void
finding_data_free (FindingData *data)
{
  g_free (data->entry_id);
  g_free (data->check_id);
  g_free (data->snippet);
  g_free (data->snippet_hash);
  g_free (data->reason);
  g_free (data);
}

static FindingData *
finding_data_new (const char *entry_id,
                  const char *check_id,
                  const char *snippet,
                  const char *reason)
{
  FindingData *data = g_new0 (FindingData, 1);

  data->entry_id = g_strdup (entry_id);
  data->check_id = g_strdup (check_id);
  data->snippet = g_strdup (snippet);
  /* The key is a hash so a long snippet does not bloat the index. */
  data->snippet_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, snippet, -1);
  data->reason = g_strdup (reason);
  return data;
}

static gpointer
ignore_finding_job (DeskStore  *self,
                    gpointer    user_data,
                    GError    **error)
{
  FindingData *data = user_data;
  g_autoptr(DeskStoreStmt) stmt = NULL;

  if (!(stmt = get_stmt (self,
                         "INSERT INTO ignored_findings (entry_id, check_id, snippet_hash, snippet,"
                         " reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                         " ON CONFLICT DO UPDATE SET reason = excluded.reason",
                         error)))
    return NULL;
  bind_text (stmt, 1, data->entry_id);
  bind_text (stmt, 2, data->check_id);
  bind_text (stmt, 3, data->snippet_hash);
  bind_text (stmt, 4, data->snippet);
  bind_text (stmt, 5, data->reason);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  return write_work (self, stmt, "Ignoring a finding", FALSE, error) ? JOB_OK : NULL;
}

void
desk_store_ignore_finding_async (DeskStore           *self,
                                 const char          *entry_id,
                                 const char          *check_id,
                                 const char          *snippet,
                                 const char          *reason,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (entry_id != NULL && check_id != NULL && snippet != NULL);

  queue_async (self, ignore_finding_job, finding_data_new (entry_id, check_id, snippet, reason),
               (GDestroyNotify) finding_data_free, NULL, FALSE, cancellable, callback, user_data,
               desk_store_ignore_finding_async);
}

gboolean
desk_store_ignore_finding_finish (DeskStore     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_pointer (self, result, desk_store_ignore_finding_async, error) != NULL;
}

gboolean
desk_store_ignore_finding_sync (DeskStore     *self,
                                const char    *entry_id,
                                const char    *check_id,
                                const char    *snippet,
                                const char    *reason,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry_id != NULL && check_id != NULL && snippet != NULL, FALSE);

  return run_sync (self, ignore_finding_job, finding_data_new (entry_id, check_id, snippet, reason),
                   (GDestroyNotify) finding_data_free, FALSE, cancellable, error) != NULL;
}

static gpointer
list_ignored_job (DeskStore  *self,
                  gpointer    data,
                  GError    **error)
{
  g_autoptr(DeskStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  int rc;

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_ignored_finding_free);
  if (!(stmt = get_stmt (self,
                         "SELECT entry_id, check_id, snippet, reason, created_at"
                         " FROM ignored_findings WHERE entry_id = ?1"
                         " ORDER BY created_at, check_id, snippet_hash",
                         error)))
    return NULL;
  bind_text (stmt, 1, data);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DeskIgnoredFinding *finding = g_new0 (DeskIgnoredFinding, 1);

      finding->entry_id = dup_column (stmt, 0);
      finding->check_id = dup_column (stmt, 1);
      finding->snippet = dup_column (stmt, 2);
      finding->reason = dup_column (stmt, 3);
      finding->created_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (findings, finding);
    }
  if (rc != SQLITE_DONE)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Listing ignored findings");
      return NULL;
    }
  return g_steal_pointer (&findings);
}

void
desk_store_list_ignored_async (DeskStore           *self,
                               const char          *entry_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (entry_id != NULL);

  queue_async (self, list_ignored_job, g_strdup (entry_id), g_free,
               (GDestroyNotify) g_ptr_array_unref, TRUE, cancellable, callback, user_data,
               desk_store_list_ignored_async);
}

GPtrArray *
desk_store_list_ignored_finish (DeskStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, desk_store_list_ignored_async, error);
}

GPtrArray *
desk_store_list_ignored_sync (DeskStore     *self,
                              const char    *entry_id,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  g_return_val_if_fail (entry_id != NULL, NULL);

  return run_sync (self, list_ignored_job, g_strdup (entry_id), g_free, TRUE, cancellable, error);
}

static gpointer
unignore_finding_job (DeskStore  *self,
                      gpointer    user_data,
                      GError    **error)
{
  FindingData *data = user_data;
  g_autoptr(DeskStoreStmt) stmt = NULL;

  if (!(stmt = get_stmt (self,
                         "DELETE FROM ignored_findings"
                         " WHERE entry_id = ?1 AND check_id = ?2 AND snippet_hash = ?3",
                         error)))
    return NULL;
  bind_text (stmt, 1, data->entry_id);
  bind_text (stmt, 2, data->check_id);
  bind_text (stmt, 3, data->snippet_hash);
  return write_work (self, stmt, "Removing an ignored finding", FALSE, error) ? JOB_OK : NULL;
}

void
desk_store_unignore_finding_async (DeskStore           *self,
                                   const char          *entry_id,
                                   const char          *check_id,
                                   const char          *snippet,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (entry_id != NULL && check_id != NULL && snippet != NULL);

  queue_async (self, unignore_finding_job, finding_data_new (entry_id, check_id, snippet, NULL),
               (GDestroyNotify) finding_data_free, NULL, FALSE, cancellable, callback, user_data,
               desk_store_unignore_finding_async);
}

gboolean
desk_store_unignore_finding_finish (DeskStore     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_pointer (self, result, desk_store_unignore_finding_async, error) != NULL;
}

gboolean
desk_store_unignore_finding_sync (DeskStore     *self,
                                  const char    *entry_id,
                                  const char    *check_id,
                                  const char    *snippet,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry_id != NULL && check_id != NULL && snippet != NULL, FALSE);

  return run_sync (self, unignore_finding_job,
                   finding_data_new (entry_id, check_id, snippet, NULL),
                   (GDestroyNotify) finding_data_free, FALSE, cancellable, error) != NULL;
}

/* ---- search ---------------------------------------------------------------------- */

typedef struct {
  char *query;
  int   limit;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_free (data->query);
  g_free (data);
}

/* The query's words (split at any Unicode white space, U+3000 included). */
static GPtrArray *
split_words (const char *query)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *start = NULL;
  const char *p;

  for (p = query;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0 || g_unichar_isspace (c))
        {
          if (start != NULL && words->len < SEARCH_MAX_WORDS)
            g_ptr_array_add (words, g_strndup (start, p - start));
          start = NULL;
          if (c == 0)
            break;
        }
      else if (start == NULL)
        start = p;
    }
  return words;
}

/* A word as one FTS5 string: double quotes doubled, so AND, OR, NEAR, *,
 * ^, column filters and parentheses in it are text. */
static void
append_fts_phrase (GString    *out,
                   const char *word)
{
  g_string_append_c (out, '"');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* "%word%" for LIKE … ESCAPE '\', with %, _ and \ in the word escaped. */
static char *
like_pattern (const char *word)
{
  GString *out = g_string_new ("%");

  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '%');
  return g_string_free (out, FALSE);
}

/* Below this many matches results are ordered by rank (bm25); at or over
 * it computing the rank of every match would cost more than the whole
 * budget of a keystroke (≈40 ms for 35 000 matches of 100 000 entries), so
 * the newest additions come first. A broad query is narrowed by typing
 * more anyway. */
#define SEARCH_RANK_CAP 2000

/* An FTS5 query of the short words for entry_short: each word's grams as a
 * phrase, the last token a prefix when it is a word of a spaced script
 * ("ai" finds "AI" and "aims", not "said"). Words with no letters or
 * digits go to @patterns (LIKE) instead. */
static void
append_short_match (GString    *match,
                    GPtrArray  *patterns,
                    const char *word)
{
  g_autofree char *grams = desk_store_search_grams (word);
  const char *last;

  if (grams[0] == '\0')
    {
      g_ptr_array_add (patterns, like_pattern (word));
      return;
    }

  last = g_utf8_find_prev_char (grams, grams + strlen (grams));
  if (match->len > 0)
    g_string_append_c (match, ' ');
  /* Grams hold only letters, digits, marks and spaces: no quote to
   * escape. */
  g_string_append_printf (match, "\"%s\"", grams);
  if (last != NULL && !desk_store_char_is_unspaced (g_utf8_get_char (last)))
    g_string_append (match, " *");
}

static gint64
count_matches (DeskStore   *self,
               const char  *table,
               const char  *match,
               GError     **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(DeskStoreStmt) stmt = NULL;
  int rc;

  sql = g_strdup_printf ("SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s MATCH ?1 LIMIT %d)",
                         table, table, SEARCH_RANK_CAP);
  if (!(stmt = get_stmt (self, sql, error)))
    return -1;
  bind_text (stmt, 1, match);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, self->db, rc, "Searching");
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static gpointer
search_job (DeskStore  *self,
            gpointer    user_data,
            GError    **error)
{
  SearchData *data = user_data;
  g_autoptr(GPtrArray) words = split_words (data->query);
  g_autoptr(GPtrArray) patterns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) long_match = g_string_new (NULL);
  g_autoptr(GString) short_match = g_string_new (NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(DeskStoreStmt) stmt = NULL;
  const char *driver = NULL;
  const char *driver_match = NULL;
  gboolean ranked = FALSE;
  int param;

  if (words->len == 0)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) desk_store_row_free);

  /* Results are complete: what waits for the background pass (right after
   * a first sync, a second or two of work) is indexed first. */
  if (self->index_pending && index_all_pending (self, error) < 0)
    return NULL;

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (g_utf8_strlen (word, -1) >= 3)
        {
          if (long_match->len > 0)
            g_string_append_c (long_match, ' ');
          append_fts_phrase (long_match, word);
        }
      else
        append_short_match (short_match, patterns, word);
    }

  /* The index that finds the candidates: trigrams when there is a long
   * word, else the short-word index; a scan only for queries made of
   * punctuation alone. */
  if (long_match->len > 0)
    {
      driver = "entry_fts";
      driver_match = long_match->str;
    }
  else if (short_match->len > 0)
    {
      driver = "entry_short";
      driver_match = short_match->str;
    }

  if (driver != NULL)
    {
      gint64 n = count_matches (self, driver, driver_match, error);

      if (n < 0)
        return NULL;
      ranked = n < SEARCH_RANK_CAP;
      /* The rank is only asked for when used: asking computes it. */
      g_string_append_printf (sql,
                              "SELECT * FROM (SELECT " ROW_COLUMNS ", %s AS r,"
                              " e.updated_ts AS u"
                              " FROM %s f JOIN entry_text t ON t.docid = f.rowid"
                              " JOIN entries e ON e.id = t.entry_id WHERE %s MATCH ?1",
                              ranked ? "f.rank" : "0", driver, driver);
      /* Short words that ride along with a long one. */
      if (long_match->len > 0 && short_match->len > 0)
        g_string_append (sql, " AND t.docid IN (SELECT rowid FROM entry_short"
                              " WHERE entry_short MATCH ?2)");
      else
        g_string_append (sql, " AND ?2 IS NULL");
    }
  else
    g_string_append (sql,
                     "SELECT * FROM (SELECT " ROW_COLUMNS ", 0 AS r, e.updated_ts AS u"
                     " FROM entry_text t JOIN entries e ON e.id = t.entry_id"
                     " WHERE ?1 IS NULL AND ?2 IS NULL");

  /* LIKE is case-insensitive for ASCII, as the indexes are. */
  for (guint i = 0; i < patterns->len; i++)
    g_string_append_printf (sql,
                            " AND (t.title LIKE ?%u ESCAPE '\\' OR t.tldr LIKE ?%u ESCAPE '\\'"
                            " OR t.body LIKE ?%u ESCAPE '\\' OR t.tags LIKE ?%u ESCAPE '\\'"
                            " OR t.original_title LIKE ?%u ESCAPE '\\'"
                            " OR t.original_text LIKE ?%u ESCAPE '\\')",
                            i + 3, i + 3, i + 3, i + 3, i + 3, i + 3);

  if (driver == NULL)
    g_string_append_printf (sql, " ORDER BY e.updated_ts DESC, e.id LIMIT ?%u)",
                            patterns->len + 3);
  else if (ranked)
    g_string_append_printf (sql, " ORDER BY f.rank LIMIT ?%u)", patterns->len + 3);
  else
    g_string_append_printf (sql, " ORDER BY f.rowid DESC LIMIT ?%u)", patterns->len + 3);
  g_string_append (sql, ranked ? " ORDER BY r, u DESC, id" : " ORDER BY u DESC, id");

  if (!(stmt = get_stmt (self, sql->str, error)))
    return NULL;
  if (driver != NULL)
    bind_text (stmt, 1, driver_match);
  if (long_match->len > 0 && short_match->len > 0)
    bind_text (stmt, 2, short_match->str);
  param = 3;
  for (guint i = 0; i < patterns->len; i++)
    bind_text (stmt, param++, g_ptr_array_index (patterns, i));
  sqlite3_bind_int64 (stmt, param, data->limit);

  return collect_rows (self, stmt, error);
}

static SearchData *
search_data_new (const char *query,
                 int         limit)
{
  SearchData *data = g_new0 (SearchData, 1);

  data->query = g_utf8_make_valid (query, -1);
  data->limit = limit < 0 ? SEARCH_DEFAULT_LIMIT : limit;
  return data;
}

void
desk_store_search_async (DeskStore           *self,
                         const char          *query,
                         int                  limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (query != NULL);

  queue_async (self, search_job, search_data_new (query, limit), (GDestroyNotify) search_data_free,
               (GDestroyNotify) g_ptr_array_unref, TRUE, cancellable, callback, user_data,
               desk_store_search_async);
}

GPtrArray *
desk_store_search_finish (DeskStore     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return finish_pointer (self, result, desk_store_search_async, error);
}

GPtrArray *
desk_store_search_sync (DeskStore     *self,
                        const char    *query,
                        int            limit,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return run_sync (self, search_job, search_data_new (query, limit),
                   (GDestroyNotify) search_data_free, TRUE, cancellable, error);
}
