/* desk-store-private.h: what the store's files share: schema, migrations, salvage, sqlite errors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-store.h"

G_BEGIN_DECLS

/* Sets @error from @rc and the connection's message; SQLITE_INTERRUPT is
 * G_IO_ERROR_CANCELLED, SQLITE_CORRUPT/NOTADB are DESK_STORE_ERROR_CORRUPT. */
void      desk_store_set_sqlite_error (GError     **error,
                                       sqlite3     *db,
                                       int          rc,
                                       const char  *what);
gboolean  desk_store_exec             (sqlite3     *db,
                                       const char  *sql,
                                       GError     **error);

/* Registers desk_html_text(html) (desk_store_html_to_text) on @db; the
 * migrations use it to fill the search text. */
gboolean  desk_store_schema_register_functions (sqlite3  *db,
                                                GError  **error);
/* Reads the file's user_version: SQLITE_NOTADB for garbage, and
 * DESK_STORE_ERROR_TOO_NEW for a schema newer than this build. */
gboolean  desk_store_schema_check     (sqlite3     *db,
                                       GError     **error);
/* Brings @db from its user_version to DESK_STORE_SCHEMA_VERSION, each step
 * in its own transaction. */
gboolean  desk_store_schema_migrate   (sqlite3     *db,
                                       GError     **error);
/* The SQL of each step: [0] makes version 1 from an empty file, [1] makes
 * version 2 from version 1, [2] version 3 from version 2. */
extern const char * const desk_store_schema_steps[DESK_STORE_SCHEMA_VERSION];

typedef struct {
  GPtrArray *drafts;   /* of SalvagedDraft* */
  GPtrArray *outbox;   /* of SalvagedOp* */
} DeskStoreSalvage;

/* Reads what it can of the drafts and outbox of the (corrupt) database at
 * @path, row by row, skipping what fails. Never fails itself. */
DeskStoreSalvage *desk_store_salvage_read  (const char       *path);
/* Inserts the salvaged rows into @db (migrated, empty) in one transaction. */
gboolean          desk_store_salvage_write (DeskStoreSalvage *salvage,
                                            sqlite3          *db,
                                            GError          **error);
void              desk_store_salvage_free  (DeskStoreSalvage *salvage);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskStoreSalvage, desk_store_salvage_free)

G_END_DECLS
