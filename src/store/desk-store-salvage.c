/* desk-store-salvage.c: reading the drafts and outbox out of a corrupt store file
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "desk-store-private.h"

/* Only drafts and outbox operations are the editor's own work; everything
 * else is a copy of the site and sync fetches it again. So this reads just
 * those two tables, row by row by rowid, and steps over rows (or runs of
 * rows) that fail to read, rather than giving up at the first bad page. */

/* Consecutive failed reads before a table is given up. Each failure skips
 * further ahead (1, 2, 4, … rowids), so a bad page of a few hundred rows is
 * crossed in a few steps. */
#define MAX_FAILURES 24

typedef struct {
  char   *entry_id;
  gint64  base_revision;
  char   *fields_json;
  gint64  updated_at;
} SalvagedDraft;

typedef struct {
  gint64  id;
  char   *entry_id;
  char   *kind;
  char   *payload;
  char   *if_match;
  char   *idempotency_key;
  gint64  attempts;
  char   *state;
  gint64  created_at;
  gint64  next_attempt_at;
  char   *last_error;
} SalvagedOp;

static void
salvaged_draft_free (SalvagedDraft *draft)
{
  g_free (draft->entry_id);
  g_free (draft->fields_json);
  g_free (draft);
}

static void
salvaged_op_free (SalvagedOp *op)
{
  g_free (op->entry_id);
  g_free (op->kind);
  g_free (op->payload);
  g_free (op->if_match);
  g_free (op->idempotency_key);
  g_free (op->state);
  g_free (op->last_error);
  g_free (op);
}

void
desk_store_salvage_free (DeskStoreSalvage *salvage)
{
  if (salvage == NULL)
    return;
  g_clear_pointer (&salvage->drafts, g_ptr_array_unref);
  g_clear_pointer (&salvage->outbox, g_ptr_array_unref);
  g_free (salvage);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  if (text == NULL)
    return NULL;
  /* A damaged page can hold any bytes. */
  return g_utf8_make_valid (text, -1);
}

/* A draft is only worth keeping when it still reads as editable fields. */
static gboolean
draft_fields_are_valid (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DeskEditable) fields = NULL;

  if (json == NULL)
    return FALSE;
  node = desk_json_parse (json, -1, 0, 0, NULL);
  if (node == NULL)
    return FALSE;
  fields = desk_editable_new_from_json (node, "draft", 0, DESK_FIELDS_ALL, TRUE, NULL);
  return fields != NULL;
}

typedef gboolean (*RowReader) (sqlite3_stmt *stmt,
                               gpointer      user_data);

/* Runs @sql (which selects rowid first and takes the last rowid as ?1) row
 * by row. */
static void
read_rows (sqlite3    *db,
           const char *sql,
           RowReader   reader,
           gpointer    user_data)
{
  sqlite3_stmt *stmt = NULL;
  gint64 last = G_MININT64;
  guint failures = 0;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return;

  while (failures < MAX_FAILURES)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, last);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          last = sqlite3_column_int64 (stmt, 0);
          reader (stmt, user_data);
          failures = 0;
        }
      else if (rc == SQLITE_DONE)
        break;
      else
        {
          gint64 skip = (gint64) 1 << failures;

          if (last == G_MININT64)
            last = 0;
          if (last > G_MAXINT64 - skip)
            break;
          last += skip;
          failures++;
        }
    }

  sqlite3_finalize (stmt);
}

static gboolean
read_draft (sqlite3_stmt *stmt,
            gpointer      user_data)
{
  GPtrArray *drafts = user_data;
  SalvagedDraft *draft;

  draft = g_new0 (SalvagedDraft, 1);
  draft->entry_id = dup_column (stmt, 1);
  draft->base_revision = sqlite3_column_int64 (stmt, 2);
  draft->fields_json = dup_column (stmt, 3);
  draft->updated_at = sqlite3_column_int64 (stmt, 4);

  if (draft->entry_id == NULL || !desk_entry_id_is_valid (draft->entry_id) ||
      !draft_fields_are_valid (draft->fields_json))
    {
      salvaged_draft_free (draft);
      return FALSE;
    }
  g_ptr_array_add (drafts, draft);
  return TRUE;
}

static gboolean
read_op (sqlite3_stmt *stmt,
         gpointer      user_data)
{
  GPtrArray *outbox = user_data;
  DeskOutboxKind kind;
  SalvagedOp *op;

  op = g_new0 (SalvagedOp, 1);
  op->id = sqlite3_column_int64 (stmt, 0);
  op->entry_id = dup_column (stmt, 1);
  op->kind = dup_column (stmt, 2);
  op->payload = dup_column (stmt, 3);
  op->if_match = dup_column (stmt, 4);
  op->idempotency_key = dup_column (stmt, 5);
  op->attempts = sqlite3_column_int64 (stmt, 6);
  op->state = dup_column (stmt, 7);
  op->created_at = sqlite3_column_int64 (stmt, 8);
  if (sqlite3_column_count (stmt) > 9)
    {
      op->next_attempt_at = sqlite3_column_int64 (stmt, 9);
      op->last_error = dup_column (stmt, 10);
    }

  /* Done operations need nothing more; an operation that was in flight
   * when the file broke is retried (with its idempotency key). */
  if (op->id <= 0 || !desk_outbox_kind_from_string (op->kind, &kind) ||
      op->state == NULL || g_str_equal (op->state, "done") ||
      (kind != DESK_OUTBOX_KIND_GLOSSARY && (op->entry_id == NULL ||
                                             !desk_entry_id_is_valid (op->entry_id))))
    {
      salvaged_op_free (op);
      return FALSE;
    }
  if (!g_str_equal (op->state, "failed"))
    {
      g_free (op->state);
      op->state = g_strdup ("pending");
    }
  g_ptr_array_add (outbox, op);
  return TRUE;
}

DeskStoreSalvage *
desk_store_salvage_read (const char *path)
{
  DeskStoreSalvage *salvage;
  sqlite3 *db = NULL;

  salvage = g_new0 (DeskStoreSalvage, 1);
  salvage->drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) salvaged_draft_free);
  salvage->outbox = g_ptr_array_new_with_free_func ((GDestroyNotify) salvaged_op_free);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return salvage;
    }

  /* A file shorter than its header says is refused as corrupt unless
   * writable_schema is on; the pages that are there can still be read. */
  sqlite3_exec (db, "PRAGMA writable_schema = ON", NULL, NULL, NULL);

  read_rows (db,
             "SELECT rowid, entry_id, base_revision, fields_json, updated_at FROM drafts"
             " WHERE rowid > ?1 ORDER BY rowid LIMIT 1",
             read_draft, salvage->drafts);

  /* The version 2 columns when the file has them; a version 1 file has
   * only the others. */
  {
    sqlite3_stmt *probe = NULL;

    if (sqlite3_prepare_v2 (db, "SELECT next_attempt_at, last_error FROM outbox", -1,
                            &probe, NULL) == SQLITE_OK)
      read_rows (db,
                 "SELECT id, entry_id, kind, payload, if_match, idempotency_key, attempts,"
                 " state, created_at, next_attempt_at, last_error FROM outbox"
                 " WHERE id > ?1 ORDER BY id LIMIT 1",
                 read_op, salvage->outbox);
    else
      read_rows (db,
                 "SELECT id, entry_id, kind, payload, if_match, idempotency_key, attempts,"
                 " state, created_at FROM outbox"
                 " WHERE id > ?1 ORDER BY id LIMIT 1",
                 read_op, salvage->outbox);
    sqlite3_finalize (probe);
  }

  sqlite3_close (db);
  return salvage;
}

gboolean
desk_store_salvage_write (DeskStoreSalvage  *salvage,
                          sqlite3           *db,
                          GError           **error)
{
  sqlite3_stmt *draft_stmt = NULL;
  sqlite3_stmt *op_stmt = NULL;
  int rc;

  if (salvage->drafts->len == 0 && salvage->outbox->len == 0)
    return TRUE;

  if (!desk_store_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  rc = sqlite3_prepare_v2 (db,
                           "INSERT OR REPLACE INTO drafts (entry_id, base_revision, fields_json,"
                           " updated_at) VALUES (?1, ?2, ?3, ?4)",
                           -1, &draft_stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db,
                             "INSERT OR REPLACE INTO outbox (id, entry_id, kind, payload, if_match,"
                             " idempotency_key, attempts, state, created_at, next_attempt_at,"
                             " last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                             -1, &op_stmt, NULL);

  for (guint i = 0; rc == SQLITE_OK && i < salvage->drafts->len; i++)
    {
      SalvagedDraft *draft = g_ptr_array_index (salvage->drafts, i);

      sqlite3_reset (draft_stmt);
      sqlite3_bind_text (draft_stmt, 1, draft->entry_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (draft_stmt, 2, draft->base_revision);
      sqlite3_bind_text (draft_stmt, 3, draft->fields_json, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (draft_stmt, 4, draft->updated_at);
      rc = sqlite3_step (draft_stmt) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode (db);
    }

  for (guint i = 0; rc == SQLITE_OK && i < salvage->outbox->len; i++)
    {
      SalvagedOp *op = g_ptr_array_index (salvage->outbox, i);

      /* The old ids keep the queue order. */
      sqlite3_reset (op_stmt);
      sqlite3_bind_int64 (op_stmt, 1, op->id);
      sqlite3_bind_text (op_stmt, 2, op->entry_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (op_stmt, 3, op->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (op_stmt, 4, op->payload, -1, SQLITE_STATIC);
      sqlite3_bind_text (op_stmt, 5, op->if_match, -1, SQLITE_STATIC);
      sqlite3_bind_text (op_stmt, 6, op->idempotency_key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (op_stmt, 7, op->attempts);
      sqlite3_bind_text (op_stmt, 8, op->state, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (op_stmt, 9, op->created_at);
      sqlite3_bind_int64 (op_stmt, 10, op->next_attempt_at);
      sqlite3_bind_text (op_stmt, 11, op->last_error, -1, SQLITE_STATIC);
      rc = sqlite3_step (op_stmt) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode (db);
    }

  if (rc != SQLITE_OK)
    desk_store_set_sqlite_error (error, db, rc, "Restoring salvaged drafts and outbox");
  sqlite3_finalize (draft_stmt);
  sqlite3_finalize (op_stmt);

  if (rc != SQLITE_OK)
    {
      desk_store_exec (db, "ROLLBACK", NULL);
      return FALSE;
    }
  return desk_store_exec (db, "COMMIT", error);
}
