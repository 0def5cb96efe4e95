/* desk-site-db.h: the sqlite storage of digest-site (entries, history, feed, glossary, idempotency)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-core.h"

G_BEGIN_DECLS

#define DESK_SITE_DB_ERROR (desk_site_db_error_quark ())

typedef enum {
  DESK_SITE_DB_ERROR_SQLITE,
  DESK_SITE_DB_ERROR_SCHEMA,
} DeskSiteDbError;

/* Every status, as the mask desk_site_db_feed() takes (1 << DeskEntryStatus). */
#define DESK_SITE_STATUS_MASK_ALL 0x1fu

/* One stored entry. The stored JSON never holds a lock: the lock lives in
 * its own columns so that it can expire without a write. */
typedef struct {
  char            *id;
  gint64           seq;
  gint64           revision;
  DeskEntryStatus  status;
  char            *full_json;     /* NULL unless asked for */
  char            *summary_json;
  DeskLock        *lock;          /* as stored, possibly expired; or NULL */
  gint64           lock_expires_us;
} DeskSiteRecord;

/* A stored publish answer, replayed for the same Idempotency-Key. */
typedef struct {
  char  *entry_id;
  char  *if_match;   /* "" when the request had none */
  guint  status;
  char  *etag;       /* or NULL */
  char  *body;
} DeskSiteIdempotent;

void                desk_site_record_free       (DeskSiteRecord     *record);
void                desk_site_idempotent_free   (DeskSiteIdempotent *idem);

#define DESK_TYPE_SITE_DB (desk_site_db_get_type ())
G_DECLARE_FINAL_TYPE (DeskSiteDb, desk_site_db, DESK, SITE_DB, GObject)

GQuark              desk_site_db_error_quark    (void);

DeskSiteDb         *desk_site_db_open           (const char          *path,
                                                 GError             **error);
/* Finalizes the statements and closes the database; also done on finalize. */
void                desk_site_db_close          (DeskSiteDb          *self);

/* Every write happens between begin and commit; a commit returns only once
 * sqlite synced it (WAL, synchronous=FULL). */
gboolean            desk_site_db_begin          (DeskSiteDb          *self,
                                                 GError             **error);
gboolean            desk_site_db_commit         (DeskSiteDb          *self,
                                                 GError             **error);
void                desk_site_db_rollback       (DeskSiteDb          *self);

/* The newest feed position of the site (0 when empty), as committed. */
gint64              desk_site_db_get_last_seq   (DeskSiteDb          *self);

/* Random at creation: tells cursors of this database from others. */
const char         *desk_site_db_get_site_id    (DeskSiteDb          *self);

/* Returns NULL without an error when there is no such entry. */
DeskSiteRecord     *desk_site_db_lookup         (DeskSiteDb          *self,
                                                 const char          *id,
                                                 gboolean             with_full,
                                                 GError             **error);
gboolean            desk_site_db_exists         (DeskSiteDb          *self,
                                                 const char          *id,
                                                 gboolean            *exists,
                                                 GError             **error);

/* Stores @entry (its lock is dropped first) at the next feed position, and
 * its revision in the history with @action, @account and @reason. */
gboolean            desk_site_db_insert_entry   (DeskSiteDb          *self,
                                                 DeskEntry           *entry,
                                                 const char          *action,
                                                 const char          *account,
                                                 const char          *reason,
                                                 GError             **error);
gboolean            desk_site_db_update_entry   (DeskSiteDb          *self,
                                                 DeskEntry           *entry,
                                                 const char          *action,
                                                 const char          *account,
                                                 const char          *reason,
                                                 GError             **error);
/* Sets (or clears, when @lock is NULL) the lock; @move_in_feed gives the
 * entry the next feed position. */
gboolean            desk_site_db_set_lock       (DeskSiteDb          *self,
                                                 const char          *id,
                                                 const DeskLock      *lock,
                                                 gint64               expires_us,
                                                 gboolean             move_in_feed,
                                                 GError             **error);

/* At most @limit records (summary JSON only) after @after_seq, in feed
 * order, whose status is in @status_mask. */
GPtrArray          *desk_site_db_feed           (DeskSiteDb          *self,
                                                 gint64               after_seq,
                                                 guint                status_mask,
                                                 guint                limit,
                                                 GError             **error);

/* The glossary as stored (revision 1 with no terms at first). */
gboolean            desk_site_db_get_glossary   (DeskSiteDb          *self,
                                                 gint64              *revision,
                                                 char               **json,
                                                 GError             **error);
gboolean            desk_site_db_put_glossary   (DeskSiteDb          *self,
                                                 gint64               revision,
                                                 const char          *json,
                                                 GError             **error);

/* Returns NULL without an error when the key is new. */
DeskSiteIdempotent *desk_site_db_get_idempotent (DeskSiteDb          *self,
                                                 const char          *key,
                                                 GError             **error);
gboolean            desk_site_db_put_idempotent (DeskSiteDb          *self,
                                                 const char          *key,
                                                 const DeskSiteIdempotent *idem,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskSiteRecord, desk_site_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskSiteIdempotent, desk_site_idempotent_free)

G_END_DECLS
