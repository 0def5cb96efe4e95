/* desk-site-db.c: the sqlite storage of digest-site (entries, history, feed, glossary, idempotency)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "desk-site-db.h"

#define SCHEMA_VERSION 1

typedef enum {
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_MAX_SEQ,
  STMT_LOOKUP,
  STMT_EXISTS,
  STMT_INSERT,
  STMT_UPDATE,
  STMT_HISTORY,
  STMT_SET_LOCK,
  STMT_FEED,
  STMT_GLOSSARY_GET,
  STMT_GLOSSARY_PUT,
  STMT_IDEM_GET,
  STMT_IDEM_PUT,
  N_STMTS
} Stmt;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_MAX_SEQ] = "SELECT coalesce (max (seq), 0) FROM entries",
  [STMT_LOOKUP] =
    "SELECT seq, revision, status, summary_json, lock_editor, lock_acquired_at,"
    " lock_expires_at, lock_expires_us, CASE WHEN ?2 THEN full_json END"
    " FROM entries WHERE id = ?1",
  [STMT_EXISTS] = "SELECT 1 FROM entries WHERE id = ?1",
  [STMT_INSERT] =
    "INSERT INTO entries (id, seq, revision, status, full_json, summary_json)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_UPDATE] =
    "UPDATE entries SET seq = ?2, revision = ?3, status = ?4, full_json = ?5,"
    " summary_json = ?6 WHERE id = ?1",
  [STMT_HISTORY] =
    "INSERT OR REPLACE INTO revisions (entry_id, revision, json, action, reason,"
    " account, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  [STMT_SET_LOCK] =
    "UPDATE entries SET lock_editor = ?2, lock_acquired_at = ?3,"
    " lock_expires_at = ?4, lock_expires_us = ?5, seq = coalesce (?6, seq)"
    " WHERE id = ?1",
  [STMT_FEED] =
    "SELECT id, seq, revision, status, summary_json, lock_editor,"
    " lock_acquired_at, lock_expires_at, lock_expires_us FROM entries"
    " WHERE seq > ?1 AND ((1 << status) & ?2) != 0 ORDER BY seq LIMIT ?3",
  [STMT_GLOSSARY_GET] = "SELECT revision, json FROM glossary WHERE id = 1",
  [STMT_GLOSSARY_PUT] =
    "INSERT OR REPLACE INTO glossary (id, revision, json) VALUES (1, ?1, ?2)",
  [STMT_IDEM_GET] =
    "SELECT entry_id, if_match, status, etag, body FROM idempotency WHERE key = ?1",
  [STMT_IDEM_PUT] =
    "INSERT INTO idempotency (key, entry_id, if_match, status, etag, body, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

static const char schema_sql[] =
  "CREATE TABLE entries ("
  "  id               TEXT PRIMARY KEY,"
  "  seq              INTEGER NOT NULL UNIQUE,"
  "  revision         INTEGER NOT NULL,"
  "  status           INTEGER NOT NULL,"
  "  full_json        TEXT NOT NULL,"
  "  summary_json     TEXT NOT NULL,"
  "  lock_editor      TEXT,"
  "  lock_acquired_at TEXT,"
  "  lock_expires_at  TEXT,"
  "  lock_expires_us  INTEGER"
  ");"
  "CREATE TABLE revisions ("
  "  entry_id TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  json     TEXT NOT NULL,"
  "  action   TEXT NOT NULL,"
  "  reason   TEXT,"
  "  account  TEXT,"
  "  at       TEXT NOT NULL,"
  "  PRIMARY KEY (entry_id, revision)"
  ");"
  "CREATE TABLE glossary ("
  "  id       INTEGER PRIMARY KEY CHECK (id = 1),"
  "  revision INTEGER NOT NULL,"
  "  json     TEXT NOT NULL"
  ");"
  "CREATE TABLE idempotency ("
  "  key      TEXT PRIMARY KEY,"
  "  entry_id TEXT NOT NULL,"
  "  if_match TEXT NOT NULL,"
  "  status   INTEGER NOT NULL,"
  "  etag     TEXT,"
  "  body     TEXT NOT NULL,"
  "  at       TEXT NOT NULL"
  ");"
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "INSERT INTO glossary (id, revision, json) VALUES (1, 1, '{\"revision\":1,\"terms\":[]}');"
  "INSERT INTO meta (key, value) VALUES ('site_id', lower (hex (randomblob (4))));";

struct _DeskSiteDb
{
  GObject       parent_instance;

  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];

  /* The feed position of the last commit, and the one being built inside
   * the current transaction: a rollback must not leave a gap that a
   * restart would forget (cursors are checked against it). */
  gint64        last_seq;
  gint64        txn_seq;
  gboolean      in_txn;

  char         *site_id;
};

G_DEFINE_TYPE (DeskSiteDb, desk_site_db, G_TYPE_OBJECT)

G_DEFINE_QUARK (desk-site-db-error-quark, desk_site_db_error)

void
desk_site_record_free (DeskSiteRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->full_json);
  g_free (record->summary_json);
  g_clear_pointer (&record->lock, desk_lock_free);
  g_free (record);
}

void
desk_site_idempotent_free (DeskSiteIdempotent *idem)
{
  if (idem == NULL)
    return;

  g_free (idem->entry_id);
  g_free (idem->if_match);
  g_free (idem->etag);
  g_free (idem->body);
  g_free (idem);
}

static gboolean
set_sqlite_error (DeskSiteDb  *self,
                  GError     **error,
                  const char  *what)
{
  g_set_error (error, DESK_SITE_DB_ERROR, DESK_SITE_DB_ERROR_SQLITE,
               "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
get_stmt (DeskSiteDb *self,
          Stmt        which)
{
  sqlite3_stmt *stmt = self->stmts[which];

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (DeskSiteDb    *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);
  gboolean ok = (rc == SQLITE_DONE);

  if (!ok)
    set_sqlite_error (self, error, what);
  sqlite3_reset (stmt);
  return ok;
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
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static gboolean
exec_sql (DeskSiteDb  *self,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, DESK_SITE_DB_ERROR, DESK_SITE_DB_ERROR_SQLITE,
                   "%s", message != NULL ? message : sqlite3_errmsg (self->db));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
query_int (DeskSiteDb  *self,
           const char  *sql,
           gint64      *value,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (self, error, sql);

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *value = sqlite3_column_int64 (stmt, 0);
      ok = TRUE;
    }
  else
    set_sqlite_error (self, error, sql);

  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
migrate (DeskSiteDb  *self,
         GError     **error)
{
  gint64 version = 0;
  g_autofree char *sql = NULL;

  if (!query_int (self, "PRAGMA user_version", &version, error))
    return FALSE;

  if (version == SCHEMA_VERSION)
    return TRUE;

  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, DESK_SITE_DB_ERROR, DESK_SITE_DB_ERROR_SCHEMA,
                   "the database has schema version %" G_GINT64_FORMAT
                   ", newer than this digest-site (%d)", version, SCHEMA_VERSION);
      return FALSE;
    }

  sql = g_strdup_printf ("BEGIN IMMEDIATE; %s PRAGMA user_version = %d; COMMIT;",
                         schema_sql, SCHEMA_VERSION);
  if (!exec_sql (self, sql, error))
    {
      exec_sql (self, "ROLLBACK", NULL);
      return FALSE;
    }

  return TRUE;
}

DeskSiteDb *
desk_site_db_open (const char  *path,
                   GError     **error)
{
  g_autoptr(DeskSiteDb) self = NULL;
  g_autofree char *journal = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (DESK_TYPE_SITE_DB, NULL);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DESK_SITE_DB_ERROR, DESK_SITE_DB_ERROR_SQLITE,
                   "cannot open %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL with FULL sync: a commit is on disk before the answer leaves, so a
   * kill -9 right after a 2xx loses nothing. */
  stmt = NULL;
  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      set_sqlite_error (self, error, path);
      return NULL;
    }
  journal = column_dup (stmt, 0);
  sqlite3_finalize (stmt);
  if (g_ascii_strcasecmp (journal, "wal") != 0)
    {
      g_set_error (error, DESK_SITE_DB_ERROR, DESK_SITE_DB_ERROR_SQLITE,
                   "%s: cannot switch to WAL (journal mode %s)", path, journal);
      return NULL;
    }

  if (!exec_sql (self, "PRAGMA synchronous = FULL; PRAGMA journal_size_limit = 67108864;", error) ||
      !migrate (self, error))
    return NULL;

  for (guint i = 0; i < N_STMTS; i++)
    {
      if (sqlite3_prepare_v3 (self->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                              &self->stmts[i], NULL) != SQLITE_OK)
        {
          set_sqlite_error (self, error, stmt_sql[i]);
          return NULL;
        }
    }

  stmt = get_stmt (self, STMT_MAX_SEQ);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_sqlite_error (self, error, "reading the feed position");
      return NULL;
    }
  self->last_seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = 'site_id'",
                          -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      set_sqlite_error (self, error, "reading the site id");
      return NULL;
    }
  self->site_id = column_dup (stmt, 0);
  sqlite3_finalize (stmt);

  return g_steal_pointer (&self);
}

void
desk_site_db_close (DeskSiteDb *self)
{
  g_return_if_fail (DESK_IS_SITE_DB (self));

  if (self->db == NULL)
    return;

  if (self->in_txn)
    desk_site_db_rollback (self);

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);

  /* The last connection to close checkpoints and removes the WAL. */
  sqlite3_close (self->db);
  self->db = NULL;
}

static void
desk_site_db_finalize (GObject *object)
{
  DeskSiteDb *self = (DeskSiteDb *)object;

  desk_site_db_close (self);
  g_clear_pointer (&self->site_id, g_free);

  G_OBJECT_CLASS (desk_site_db_parent_class)->finalize (object);
}

static void
desk_site_db_class_init (DeskSiteDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = desk_site_db_finalize;
}

static void
desk_site_db_init (DeskSiteDb *self)
{
}

gboolean
desk_site_db_begin (DeskSiteDb  *self,
                    GError     **error)
{
  g_return_val_if_fail (DESK_IS_SITE_DB (self), FALSE);
  g_return_val_if_fail (!self->in_txn, FALSE);

  if (!step_done (self, get_stmt (self, STMT_BEGIN), "BEGIN", error))
    return FALSE;

  self->in_txn = TRUE;
  self->txn_seq = self->last_seq;
  return TRUE;
}

gboolean
desk_site_db_commit (DeskSiteDb  *self,
                     GError     **error)
{
  g_return_val_if_fail (DESK_IS_SITE_DB (self), FALSE);
  g_return_val_if_fail (self->in_txn, FALSE);

  if (!step_done (self, get_stmt (self, STMT_COMMIT), "COMMIT", error))
    {
      desk_site_db_rollback (self);
      return FALSE;
    }

  self->in_txn = FALSE;
  self->last_seq = self->txn_seq;
  return TRUE;
}

void
desk_site_db_rollback (DeskSiteDb *self)
{
  g_return_if_fail (DESK_IS_SITE_DB (self));

  if (!self->in_txn)
    return;

  self->in_txn = FALSE;
  /* Fails harmlessly when sqlite already rolled back on its own. */
  step_done (self, get_stmt (self, STMT_ROLLBACK), "ROLLBACK", NULL);
}

gint64
desk_site_db_get_last_seq (DeskSiteDb *self)
{
  g_return_val_if_fail (DESK_IS_SITE_DB (self), 0);

  return self->last_seq;
}

static DeskLock *
read_lock (sqlite3_stmt *stmt,
           int           first_column,
           gint64       *expires_us)
{
  if (sqlite3_column_type (stmt, first_column) == SQLITE_NULL)
    {
      *expires_us = 0;
      return NULL;
    }

  *expires_us = sqlite3_column_int64 (stmt, first_column + 3);
  return desk_lock_new ((const char *) sqlite3_column_text (stmt, first_column),
                        (const char *) sqlite3_column_text (stmt, first_column + 1),
                        (const char *) sqlite3_column_text (stmt, first_column + 2));
}

const char *
desk_site_db_get_site_id (DeskSiteDb *self)
{
  g_return_val_if_fail (DESK_IS_SITE_DB (self), NULL);

  return self->site_id;
}

DeskSiteRecord *
desk_site_db_lookup (DeskSiteDb  *self,
                     const char  *id,
                     gboolean     with_full,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  DeskSiteRecord *record;
  int rc;

  g_return_val_if_fail (DESK_IS_SITE_DB (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = get_stmt (self, STMT_LOOKUP);
  bind_text (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, with_full ? 1 : 0);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, error, "reading an entry");
      sqlite3_reset (stmt);
      return NULL;
    }

  record = g_new0 (DeskSiteRecord, 1);
  record->id = g_strdup (id);
  record->seq = sqlite3_column_int64 (stmt, 0);
  record->revision = sqlite3_column_int64 (stmt, 1);
  record->status = sqlite3_column_int (stmt, 2);
  record->summary_json = column_dup (stmt, 3);
  record->lock = read_lock (stmt, 4, &record->lock_expires_us);
  record->full_json = column_dup (stmt, 8);
  sqlite3_reset (stmt);

  return record;
}

gboolean
desk_site_db_exists (DeskSiteDb  *self,
                     const char  *id,
                     gboolean    *exists,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DESK_IS_SITE_DB (self), FALSE);

  stmt = get_stmt (self, STMT_EXISTS);
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self, error, "looking up an entry");

  *exists = (rc == SQLITE_ROW);
  return TRUE;
}

static gboolean
write_entry (DeskSiteDb  *self,
             DeskEntry   *entry,
             gboolean     insert,
             const char  *action,
             const char  *account,
             const char  *reason,
             GError     **error)
{
  g_autofree char *full = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 seq;

  g_assert (self->in_txn);

  /* Locks are kept in their own columns (they expire without a write). */
  if (desk_entry_get_lock (entry) != NULL)
    desk_entry_set_lock (entry, NULL);

  full = desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);
  summary = desk_entry_to_data (entry, DESK_ENTRY_FORM_SUMMARY, FALSE, NULL);
  if (full == NULL || summary == NULL)
    {
      g_set_error (error, DESK_SITE_DB_ERROR, DESK_SITE_DB_ERROR_SQLITE,
                   "cannot serialize entry %s", desk_entry_get_id (entry));
      return FALSE;
    }

  seq = self->txn_seq + 1;

  stmt = get_stmt (self, insert ? STMT_INSERT : STMT_UPDATE);
  bind_text (stmt, 1, desk_entry_get_id (entry));
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_int64 (stmt, 3, desk_entry_get_revision (entry));
  sqlite3_bind_int (stmt, 4, desk_entry_get_status (entry));
  bind_text (stmt, 5, full);
  bind_text (stmt, 6, summary);
  if (!step_done (self, stmt, insert ? "storing an entry" : "updating an entry", error))
    return FALSE;
  if (!insert && sqlite3_changes (self->db) != 1)
    {
      g_set_error (error, DESK_SITE_DB_ERROR, DESK_SITE_DB_ERROR_SQLITE,
                   "entry %s vanished", desk_entry_get_id (entry));
      return FALSE;
    }

  self->txn_seq = seq;

  now = desk_rfc3339_now ();
  stmt = get_stmt (self, STMT_HISTORY);
  bind_text (stmt, 1, desk_entry_get_id (entry));
  sqlite3_bind_int64 (stmt, 2, desk_entry_get_revision (entry));
  bind_text (stmt, 3, full);
  bind_text (stmt, 4, action);
  bind_text (stmt, 5, reason);
  bind_text (stmt, 6, account);
  bind_text (stmt, 7, now);
  return step_done (self, stmt, "storing a revision", error);
}

gboolean
desk_site_db_insert_entry (DeskSiteDb  *self,
                           DeskEntry   *entry,
                           const char  *action,
                           const char  *account,
                           const char  *reason,
                           GError     **error)
{
  g_return_val_if_fail (DESK_IS_SITE_DB (self), FALSE);
  g_return_val_if_fail (DESK_IS_ENTRY (entry), FALSE);

  return write_entry (self, entry, TRUE, action, account, reason, error);
}

gboolean
desk_site_db_update_entry (DeskSiteDb  *self,
                           DeskEntry   *entry,
                           const char  *action,
                           const char  *account,
                           const char  *reason,
                           GError     **error)
{
  g_return_val_if_fail (DESK_IS_SITE_DB (self), FALSE);
  g_return_val_if_fail (DESK_IS_ENTRY (entry), FALSE);

  return write_entry (self, entry, FALSE, action, account, reason, error);
}

gboolean
desk_site_db_set_lock (DeskSiteDb      *self,
                       const char      *id,
                       const DeskLock  *lock,
                       gint64           expires_us,
                       gboolean         move_in_feed,
                       GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DESK_IS_SITE_DB (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_assert (self->in_txn);

  stmt = get_stmt (self, STMT_SET_LOCK);
  bind_text (stmt, 1, id);
  if (lock != NULL)
    {
      bind_text (stmt, 2, lock->editor);
      bind_text (stmt, 3, lock->acquired_at);
      bind_text (stmt, 4, lock->expires_at);
      sqlite3_bind_int64 (stmt, 5, expires_us);
    }
  if (move_in_feed)
    sqlite3_bind_int64 (stmt, 6, self->txn_seq + 1);

  if (!step_done (self, stmt, "storing a lock", error))
    return FALSE;

  if (move_in_feed)
    self->txn_seq++;
  return TRUE;
}

GPtrArray *
desk_site_db_feed (DeskSiteDb  *self,
                   gint64       after_seq,
                   guint        status_mask,
                   guint        limit,
                   GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DESK_IS_SITE_DB (self), NULL);

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_site_record_free);

  stmt = get_stmt (self, STMT_FEED);
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, status_mask);
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DeskSiteRecord *record = g_new0 (DeskSiteRecord, 1);

      record->id = column_dup (stmt, 0);
      record->seq = sqlite3_column_int64 (stmt, 1);
      record->revision = sqlite3_column_int64 (stmt, 2);
      record->status = sqlite3_column_int (stmt, 3);
      record->summary_json = column_dup (stmt, 4);
      record->lock = read_lock (stmt, 5, &record->lock_expires_us);
      g_ptr_array_add (records, record);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "reading the change feed");
      sqlite3_reset (stmt);
      return NULL;
    }

  sqlite3_reset (stmt);
  return g_steal_pointer (&records);
}

gboolean
desk_site_db_get_glossary (DeskSiteDb  *self,
                           gint64      *revision,
                           char       **json,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DESK_IS_SITE_DB (self), FALSE);

  stmt = get_stmt (self, STMT_GLOSSARY_GET);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_sqlite_error (self, error, "reading the glossary");
      sqlite3_reset (stmt);
      return FALSE;
    }

  *revision = sqlite3_column_int64 (stmt, 0);
  *json = column_dup (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
desk_site_db_put_glossary (DeskSiteDb  *self,
                           gint64       revision,
                           const char  *json,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DESK_IS_SITE_DB (self), FALSE);
  g_assert (self->in_txn);

  stmt = get_stmt (self, STMT_GLOSSARY_PUT);
  sqlite3_bind_int64 (stmt, 1, revision);
  bind_text (stmt, 2, json);
  return step_done (self, stmt, "storing the glossary", error);
}

DeskSiteIdempotent *
desk_site_db_get_idempotent (DeskSiteDb  *self,
                             const char  *key,
                             GError     **error)
{
  DeskSiteIdempotent *idem;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DESK_IS_SITE_DB (self), NULL);

  stmt = get_stmt (self, STMT_IDEM_GET);
  bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, error, "reading an idempotency key");
      sqlite3_reset (stmt);
      return NULL;
    }

  idem = g_new0 (DeskSiteIdempotent, 1);
  idem->entry_id = column_dup (stmt, 0);
  idem->if_match = column_dup (stmt, 1);
  idem->status = sqlite3_column_int (stmt, 2);
  idem->etag = column_dup (stmt, 3);
  idem->body = column_dup (stmt, 4);
  sqlite3_reset (stmt);

  return idem;
}

gboolean
desk_site_db_put_idempotent (DeskSiteDb               *self,
                             const char               *key,
                             const DeskSiteIdempotent *idem,
                             GError                  **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DESK_IS_SITE_DB (self), FALSE);
  g_assert (self->in_txn);

  now = desk_rfc3339_now ();
  stmt = get_stmt (self, STMT_IDEM_PUT);
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, idem->entry_id);
  bind_text (stmt, 3, idem->if_match != NULL ? idem->if_match : "");
  sqlite3_bind_int (stmt, 4, idem->status);
  bind_text (stmt, 5, idem->etag);
  bind_text (stmt, 6, idem->body);
  bind_text (stmt, 7, now);
  return step_done (self, stmt, "storing an idempotency key", error);
}
