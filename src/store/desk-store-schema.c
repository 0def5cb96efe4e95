/* desk-store-schema.c: the store's schema history and its migrations
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "desk-store-private.h"

/* Every schema the store ever had stays here as the step that made it, and
 * a new file runs them all in order: so a file of any earlier version takes
 * exactly the path a fresh one took, and the tests can make an old file by
 * hand. Never edit a step once released; add one. */

/* Version 1: the first cache: entries with their full JSON, drafts, the
 * outbox and the feed cursor. */
static const char schema_v1[] =
  "CREATE TABLE entries ("
  "  id         TEXT PRIMARY KEY NOT NULL,"
  "  revision   INTEGER NOT NULL,"
  "  status     TEXT NOT NULL,"
  "  title      TEXT NOT NULL,"
  "  updated_at TEXT,"
  "  full_json  TEXT"
  ");"
  "CREATE TABLE drafts ("
  "  entry_id      TEXT PRIMARY KEY NOT NULL,"
  "  base_revision INTEGER NOT NULL,"
  "  fields_json   TEXT NOT NULL,"
  "  updated_at    INTEGER NOT NULL"
  ");"
  "CREATE TABLE outbox ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  entry_id        TEXT,"
  "  kind            TEXT NOT NULL,"
  "  payload         TEXT,"
  "  if_match        TEXT,"
  "  idempotency_key TEXT,"
  "  attempts        INTEGER NOT NULL DEFAULT 0,"
  "  state           TEXT NOT NULL DEFAULT 'pending',"
  "  created_at      INTEGER NOT NULL"
  ");"
  "CREATE TABLE sync_state ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT"
  ");";

/* Version 2: the list's summary columns (filled from the full JSON of a
 * version 1 file where there is one), revisions, retries in the outbox,
 * the glossary, ignored QA findings and the search index.
 *
 * Times the list sorts on are kept as unix seconds next to the site's
 * RFC 3339 text, because offsets differ and text order is not time order.
 *
 * Search: entry_text holds the plain text of each entry (one row per
 * entry, its own integer key so a VACUUM cannot renumber what the index
 * points at) and entry_fts is an external-content FTS5 trigram index over
 * it, kept in step by triggers. Short queries scan entry_text. */
static const char schema_v2[] =
  "ALTER TABLE entries ADD COLUMN kind TEXT NOT NULL DEFAULT 'article';"
  "ALTER TABLE entries ADD COLUMN source_name TEXT;"
  "ALTER TABLE entries ADD COLUMN importance INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE entries ADD COLUMN updated_ts INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE entries ADD COLUMN collected_at TEXT;"
  "ALTER TABLE entries ADD COLUMN collected_ts INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE entries ADD COLUMN lock_editor TEXT;"
  "ALTER TABLE entries ADD COLUMN lock_expires_at TEXT;"
  "ALTER TABLE entries ADD COLUMN qa_errors INTEGER NOT NULL DEFAULT -1;"
  "ALTER TABLE entries ADD COLUMN summary_json TEXT;"
  "ALTER TABLE entries ADD COLUMN full_revision INTEGER NOT NULL DEFAULT 0;"
  "UPDATE entries SET"
  "  updated_ts = coalesce(unixepoch(updated_at), 0),"
  "  full_revision = CASE WHEN full_json IS NULL THEN 0 ELSE revision END;"
  "UPDATE entries SET"
  "  kind = coalesce(json_extract(full_json, '$.kind'), 'article'),"
  "  source_name = json_extract(full_json, '$.source.name'),"
  "  importance = coalesce(json_extract(full_json, '$.importance.overall'), 0),"
  "  collected_at = json_extract(full_json, '$.collected_at'),"
  "  collected_ts = coalesce(unixepoch(json_extract(full_json, '$.collected_at')), 0),"
  "  lock_editor = json_extract(full_json, '$.lock.editor'),"
  "  lock_expires_at = json_extract(full_json, '$.lock.expires_at')"
  "  WHERE full_json IS NOT NULL AND json_valid(full_json);"
  "CREATE INDEX entries_status_updated ON entries (status, updated_ts DESC);"
  "CREATE INDEX entries_updated ON entries (updated_ts DESC);"
  "CREATE INDEX entries_collected ON entries (collected_ts DESC);"
  "CREATE INDEX entries_importance ON entries (importance DESC, updated_ts DESC);"

  "CREATE TABLE revisions ("
  "  entry_id TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  json     TEXT NOT NULL,"
  "  seen_at  INTEGER NOT NULL,"
  "  PRIMARY KEY (entry_id, revision)"
  ") WITHOUT ROWID;"
  "INSERT OR IGNORE INTO revisions (entry_id, revision, json, seen_at)"
  "  SELECT id, revision, full_json, 0 FROM entries WHERE full_json IS NOT NULL;"

  "ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE outbox ADD COLUMN last_error TEXT;"
  "CREATE INDEX outbox_state ON outbox (state, id);"
  "CREATE INDEX outbox_entry ON outbox (entry_id, id);"

  "CREATE TABLE glossary ("
  "  id       INTEGER PRIMARY KEY CHECK (id = 1),"
  "  revision INTEGER NOT NULL,"
  "  json     TEXT NOT NULL"
  ");"

  "CREATE TABLE ignored_findings ("
  "  entry_id     TEXT NOT NULL,"
  "  check_id     TEXT NOT NULL,"
  "  snippet_hash TEXT NOT NULL,"
  "  snippet      TEXT NOT NULL,"
  "  reason       TEXT,"
  "  created_at   INTEGER NOT NULL,"
  "  PRIMARY KEY (entry_id, check_id, snippet_hash)"
  ") WITHOUT ROWID;"

  "CREATE TABLE entry_text ("
  "  docid          INTEGER PRIMARY KEY,"
  "  entry_id       TEXT UNIQUE NOT NULL,"
  "  title          TEXT,"
  "  tldr           TEXT,"
  "  body           TEXT,"
  "  tags           TEXT,"
  "  original_title TEXT,"
  "  original_text  TEXT"
  ");"
  "CREATE VIRTUAL TABLE entry_fts USING fts5("
  "  title, tldr, body, tags, original_title, original_text,"
  "  content='entry_text', content_rowid='docid', tokenize='trigram'"
  ");"
  /* Trigrams never match words of 1 or 2 characters. entry_short indexes
   * the same text with every Han, kana and Hangul character made a token
   * of its own (desk_search_grams), so such a word is a one-token query or
   * a two-token phrase; words of other scripts stay words, found by
   * prefix. Contentless: the text is entry_text's, re-derived to delete. */
  "CREATE VIRTUAL TABLE entry_short USING fts5("
  "  text, content='', tokenize='unicode61', prefix='2'"
  ");"
  "CREATE TRIGGER entry_text_ai AFTER INSERT ON entry_text BEGIN"
  "  INSERT INTO entry_fts (rowid, title, tldr, body, tags, original_title, original_text)"
  "    VALUES (new.docid, new.title, new.tldr, new.body, new.tags, new.original_title,"
  "            new.original_text);"
  "  INSERT INTO entry_short (rowid, text)"
  "    VALUES (new.docid, desk_search_grams (new.title, new.tldr, new.body, new.tags,"
  "                                          new.original_title, new.original_text));"
  "END;"
  "CREATE TRIGGER entry_text_ad AFTER DELETE ON entry_text BEGIN"
  "  INSERT INTO entry_fts (entry_fts, rowid, title, tldr, body, tags, original_title,"
  "                         original_text)"
  "    VALUES ('delete', old.docid, old.title, old.tldr, old.body, old.tags,"
  "            old.original_title, old.original_text);"
  "  INSERT INTO entry_short (entry_short, rowid, text)"
  "    VALUES ('delete', old.docid, desk_search_grams (old.title, old.tldr, old.body, old.tags,"
  "                                                    old.original_title, old.original_text));"
  "END;"
  "CREATE TRIGGER entry_text_au AFTER UPDATE ON entry_text BEGIN"
  "  INSERT INTO entry_fts (entry_fts, rowid, title, tldr, body, tags, original_title,"
  "                         original_text)"
  "    VALUES ('delete', old.docid, old.title, old.tldr, old.body, old.tags,"
  "            old.original_title, old.original_text);"
  "  INSERT INTO entry_fts (rowid, title, tldr, body, tags, original_title, original_text)"
  "    VALUES (new.docid, new.title, new.tldr, new.body, new.tags, new.original_title,"
  "            new.original_text);"
  "  INSERT INTO entry_short (entry_short, rowid, text)"
  "    VALUES ('delete', old.docid, desk_search_grams (old.title, old.tldr, old.body, old.tags,"
  "                                                    old.original_title, old.original_text));"
  "  INSERT INTO entry_short (rowid, text)"
  "    VALUES (new.docid, desk_search_grams (new.title, new.tldr, new.body, new.tags,"
  "                                          new.original_title, new.original_text));"
  "END;"
  "INSERT INTO entry_text (entry_id, title, tldr, body, tags, original_title, original_text)"
  "  SELECT id,"
  "    CASE WHEN json_valid(full_json) THEN json_extract(full_json, '$.title') ELSE title END,"
  "    CASE WHEN json_valid(full_json) THEN json_extract(full_json, '$.tldr') END,"
  "    CASE WHEN json_valid(full_json) THEN json_extract(full_json, '$.body') END,"
  "    CASE WHEN json_valid(full_json) THEN"
  "      (SELECT group_concat(value, ' ') FROM json_each(full_json, '$.tags')) END,"
  "    CASE WHEN json_valid(full_json) THEN json_extract(full_json, '$.original.title') END,"
  "    CASE WHEN json_valid(full_json) THEN"
  "      desk_html_text(json_extract(full_json, '$.original.html')) END"
  "  FROM entries;";

/* Version 3: entry_text's insert and update triggers are gone; the store
 * keeps entry_fts and entry_short in step itself, a whole transaction's
 * entries in one statement per index (desk-store.c, flush_text_batch):
 * FTS5 flushes its pending terms at every statement, so the triggers made
 * a segment per entry and a first sync spent most of its time merging
 * them. The indexes and their content are unchanged. The delete trigger
 * stays (a rare, single-row operation).
 *
 * automerge 16 instead of FTS5's 4: a first sync writes a few hundred
 * entries per transaction and merging every 4 segments made FTS5 rewrite
 * the same terms over and over (≈35 % of the indexing time); a query reads
 * a few more segments, which the search benchmark shows is cheap. */
static const char schema_v3[] =
  "DROP TRIGGER entry_text_ai;"
  "DROP TRIGGER entry_text_au;"
  "INSERT INTO entry_fts (entry_fts, rank) VALUES ('automerge', 16);"
  "INSERT INTO entry_short (entry_short, rank) VALUES ('automerge', 16);";

/* Version 4: the body and original's text of a full entry with a new
 * original are indexed by a pass of their own after the entry is stored
 * (desk-store.c, index_pending_chunk): they are most of what a first sync
 * indexes (the original alone ≈85 % of the trigrams), and the entries
 * themselves, readable offline, should not wait for them. Until then they
 * wait in body_pending and original_pending, and entry_text's other
 * columns stay what the two indexes hold (their 'delete' steps read
 * them), so the external-content invariant holds at every commit. */
static const char schema_v4[] =
  "ALTER TABLE entry_text ADD COLUMN body_pending TEXT;"
  "ALTER TABLE entry_text ADD COLUMN original_pending TEXT;"
  "CREATE INDEX entry_text_pending ON entry_text (docid) WHERE original_pending IS NOT NULL;";

const char * const desk_store_schema_steps[DESK_STORE_SCHEMA_VERSION] = {
  schema_v1,
  schema_v2,
  schema_v3,
  schema_v4,
};

void
desk_store_set_sqlite_error (GError     **error,
                             sqlite3     *db,
                             int          rc,
                             const char  *what)
{
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_INTERRUPT:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s: cancelled", what);
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT, "%s: %s", what, message);
      break;
    default:
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED, "%s: %s", what, message);
      break;
    }
}

gboolean
desk_store_exec (sqlite3     *db,
                 const char  *sql,
                 GError     **error)
{
  char *message = NULL;
  int rc;

  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      int code = sqlite3_extended_errcode (db) & 0xff;
      const char *text = message != NULL ? message : sqlite3_errstr (rc);

      if (code == SQLITE_INTERRUPT)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, text);
      else
        g_set_error_literal (error, DESK_STORE_ERROR,
                             code == SQLITE_CORRUPT || code == SQLITE_NOTADB
                               ? DESK_STORE_ERROR_CORRUPT : DESK_STORE_ERROR_FAILED,
                             text);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static void
html_text_func (sqlite3_context  *context,
                int               argc,
                sqlite3_value   **argv)
{
  const char *html = (const char *) sqlite3_value_text (argv[0]);
  char *text;

  if (html == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  text = desk_store_html_to_text (html);
  sqlite3_result_text (context, text, -1, g_free);
}

static void
search_grams_func (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  GString *out = g_string_new (NULL);

  for (int i = 0; i < argc; i++)
    {
      const char *text = (const char *) sqlite3_value_text (argv[i]);

      if (text != NULL)
        {
          g_autofree char *grams = desk_store_search_grams (text);

          g_string_append (out, grams);
          g_string_append_c (out, ' ');
        }
    }
  sqlite3_result_text (context, g_string_free (out, FALSE), -1, g_free);
}

gboolean
desk_store_schema_register_functions (sqlite3  *db,
                                      GError  **error)
{
  int rc;

  /* Innocuous, not direct-only: the triggers of entry_text call it. */
  rc = sqlite3_create_function_v2 (db, "desk_search_grams", -1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, search_grams_func, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      desk_store_set_sqlite_error (error, db, rc, "registering desk_search_grams");
      return FALSE;
    }

  rc = sqlite3_create_function_v2 (db, "desk_html_text", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                   NULL, html_text_func, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      desk_store_set_sqlite_error (error, db, rc, "registering desk_html_text");
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_user_version (sqlite3  *db,
                   int      *version,
                   GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      desk_store_set_sqlite_error (error, db, rc, "reading the schema version");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
check_version (sqlite3  *db,
               int      *version,
               GError  **error)
{
  if (!read_user_version (db, version, error))
    return FALSE;

  if (*version > DESK_STORE_SCHEMA_VERSION || *version < 0)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_TOO_NEW,
                   "The local store has schema version %d; this version of Digest Desk "
                   "knows up to %d",
                   *version, DESK_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

gboolean
desk_store_schema_check (sqlite3  *db,
                         GError  **error)
{
  int version;

  return check_version (db, &version, error);
}

gboolean
desk_store_schema_migrate (sqlite3  *db,
                           GError  **error)
{
  int version;

  if (!check_version (db, &version, error))
    return FALSE;

  for (; version < DESK_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = NULL;
      g_autoptr(GError) local_error = NULL;

      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      /* One transaction per step: a crash leaves the file at a version it
       * really has, and the next start goes on from there. */
      if (!desk_store_exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!desk_store_exec (db, desk_store_schema_steps[version], &local_error) ||
          !desk_store_exec (db, set_version, &local_error) ||
          !desk_store_exec (db, "COMMIT", &local_error))
        {
          desk_store_exec (db, "ROLLBACK", NULL);
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "Migrating the local store to version %d: ",
                                      version + 1);
          return FALSE;
        }
    }

  return TRUE;
}
