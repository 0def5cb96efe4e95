/* desk-store-types.h: the records DeskStore hands out (list rows, drafts, outbox operations, ignored findings)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-core.h"

G_BEGIN_DECLS

#define DESK_STORE_ERROR (desk_store_error_quark ())

typedef enum {
  DESK_STORE_ERROR_FAILED,     /* sqlite said no (message has its text) */
  DESK_STORE_ERROR_CORRUPT,    /* the file is not a readable database */
  DESK_STORE_ERROR_TOO_NEW,    /* written by a newer Digest Desk: left alone */
  DESK_STORE_ERROR_DATA,       /* a stored document no longer parses */
  DESK_STORE_ERROR_INVALID,    /* refused input (a draft field not UTF-8) */
} DeskStoreError;

GQuark desk_store_error_quark (void);

/* A set of statuses, for filters: (1 << DESK_ENTRY_STATUS_x); 0 = all. */
#define DESK_STORE_STATUS_BIT(status) (1u << (status))
#define DESK_STORE_STATUS_ALL         0u

typedef enum {
  DESK_STORE_SORT_UPDATED_DESC,     /* newest change first */
  DESK_STORE_SORT_UPDATED_ASC,
  DESK_STORE_SORT_COLLECTED_DESC,
  DESK_STORE_SORT_IMPORTANCE_DESC,  /* then newest change first */
} DeskStoreSort;

/* One line of the queue list: the summary columns only. Also what search
 * returns. */
typedef struct {
  char            *id;
  gint64           revision;
  DeskEntryStatus  status;
  DeskEntryKind    kind;
  char            *title;
  char            *source_name;
  int              importance;       /* overall, 0 when unknown */
  char            *updated_at;       /* RFC 3339 as the site sent it */
  char            *collected_at;
  char            *lock_editor;      /* NULL when unlocked */
  char            *lock_expires_at;
  int              qa_errors;        /* -1 until QA has run */
  gboolean         has_full;         /* the full entry of this revision is stored */
} DeskStoreRow;

#define DESK_TYPE_STORE_ROW (desk_store_row_get_type ())
GType         desk_store_row_get_type (void);
DeskStoreRow *desk_store_row_copy     (const DeskStoreRow *self);
void          desk_store_row_free     (DeskStoreRow       *self);

/* A draft: the fields the editor changed, and the revision they started from
 * (the base of the three-way merge). */
typedef struct {
  char         *entry_id;
  gint64        base_revision;
  DeskEditable *fields;
  gint64        updated_at;          /* unix µs (g_get_real_time) */
} DeskStoreDraft;

#define DESK_TYPE_STORE_DRAFT (desk_store_draft_get_type ())
GType           desk_store_draft_get_type (void);
DeskStoreDraft *desk_store_draft_copy     (const DeskStoreDraft *self);
void            desk_store_draft_free     (DeskStoreDraft       *self);

typedef enum {
  DESK_OUTBOX_KIND_PATCH,
  DESK_OUTBOX_KIND_STATUS,
  DESK_OUTBOX_KIND_PUBLISH,
  DESK_OUTBOX_KIND_LOCK,
  DESK_OUTBOX_KIND_UNLOCK,
  DESK_OUTBOX_KIND_GLOSSARY,
} DeskOutboxKind;

typedef enum {
  DESK_OUTBOX_STATE_PENDING,    /* waiting for its next attempt */
  DESK_OUTBOX_STATE_IN_FLIGHT,  /* sent, no answer yet */
  DESK_OUTBOX_STATE_DONE,
  DESK_OUTBOX_STATE_FAILED,     /* refused for good; needs the editor */
} DeskOutboxState;

#define DESK_OUTBOX_STATE_BIT(state) (1u << (state))

const char *desk_outbox_kind_to_string    (DeskOutboxKind   kind);
gboolean    desk_outbox_kind_from_string  (const char      *str,
                                           DeskOutboxKind  *kind);
const char *desk_outbox_state_to_string   (DeskOutboxState  state);

/* One queued write to the site. */
typedef struct {
  gint64           id;               /* the queue order */
  char            *entry_id;         /* NULL for the glossary */
  DeskOutboxKind   kind;
  char            *payload;          /* the JSON body, or NULL */
  char            *if_match;         /* the ETag the write is based on */
  char            *idempotency_key;  /* made once, reused on every retry */
  int              attempts;
  gint64           next_attempt_at;  /* unix µs */
  char            *last_error;
  DeskOutboxState  state;
  gint64           created_at;       /* unix µs */
} DeskOutboxOp;

#define DESK_TYPE_OUTBOX_OP (desk_outbox_op_get_type ())
GType         desk_outbox_op_get_type (void);
DeskOutboxOp *desk_outbox_op_copy     (const DeskOutboxOp *self);
void          desk_outbox_op_free     (DeskOutboxOp       *self);

/* A QA finding the editor chose to ignore, found again by its text. */
typedef struct {
  char   *entry_id;
  char   *check_id;
  char   *snippet;
  char   *reason;
  gint64  created_at;                /* unix µs */
} DeskIgnoredFinding;

#define DESK_TYPE_IGNORED_FINDING (desk_ignored_finding_get_type ())
GType               desk_ignored_finding_get_type (void);
DeskIgnoredFinding *desk_ignored_finding_copy     (const DeskIgnoredFinding *self);
void                desk_ignored_finding_free     (DeskIgnoredFinding       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskStoreRow, desk_store_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskStoreDraft, desk_store_draft_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskOutboxOp, desk_outbox_op_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskIgnoredFinding, desk_ignored_finding_free)

G_END_DECLS
