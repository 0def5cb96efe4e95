/* desk-store-types.c: the records DeskStore hands out
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-store-types.h"

G_DEFINE_QUARK (desk-store-error-quark, desk_store_error)

G_DEFINE_BOXED_TYPE (DeskStoreRow, desk_store_row, desk_store_row_copy, desk_store_row_free)
G_DEFINE_BOXED_TYPE (DeskStoreDraft, desk_store_draft, desk_store_draft_copy, desk_store_draft_free)
G_DEFINE_BOXED_TYPE (DeskOutboxOp, desk_outbox_op, desk_outbox_op_copy, desk_outbox_op_free)
G_DEFINE_BOXED_TYPE (DeskIgnoredFinding, desk_ignored_finding,
                     desk_ignored_finding_copy, desk_ignored_finding_free)

DeskStoreRow *
desk_store_row_copy (const DeskStoreRow *self)
{
  DeskStoreRow *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->title = g_strdup (self->title);
  copy->source_name = g_strdup (self->source_name);
  copy->updated_at = g_strdup (self->updated_at);
  copy->collected_at = g_strdup (self->collected_at);
  copy->lock_editor = g_strdup (self->lock_editor);
  copy->lock_expires_at = g_strdup (self->lock_expires_at);
  return copy;
}

void
desk_store_row_free (DeskStoreRow *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->title);
  g_free (self->source_name);
  g_free (self->updated_at);
  g_free (self->collected_at);
  g_free (self->lock_editor);
  g_free (self->lock_expires_at);
  g_free (self);
}

DeskStoreDraft *
desk_store_draft_copy (const DeskStoreDraft *self)
{
  DeskStoreDraft *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->entry_id = g_strdup (self->entry_id);
  copy->fields = self->fields != NULL ? desk_editable_copy (self->fields) : NULL;
  return copy;
}

void
desk_store_draft_free (DeskStoreDraft *self)
{
  if (self == NULL)
    return;
  g_free (self->entry_id);
  g_clear_pointer (&self->fields, desk_editable_free);
  g_free (self);
}

static const char * const outbox_kinds[] = {
  "patch", "status", "publish", "lock", "unlock", "glossary",
};

static const char * const outbox_states[] = {
  "pending", "in_flight", "done", "failed",
};

const char *
desk_outbox_kind_to_string (DeskOutboxKind kind)
{
  g_return_val_if_fail (kind <= DESK_OUTBOX_KIND_GLOSSARY, NULL);
  return outbox_kinds[kind];
}

gboolean
desk_outbox_kind_from_string (const char     *str,
                              DeskOutboxKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (outbox_kinds); i++)
    if (strcmp (str, outbox_kinds[i]) == 0)
      {
        *kind = (DeskOutboxKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
desk_outbox_state_to_string (DeskOutboxState state)
{
  g_return_val_if_fail (state <= DESK_OUTBOX_STATE_FAILED, NULL);
  return outbox_states[state];
}

DeskOutboxOp *
desk_outbox_op_copy (const DeskOutboxOp *self)
{
  DeskOutboxOp *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->entry_id = g_strdup (self->entry_id);
  copy->payload = g_strdup (self->payload);
  copy->if_match = g_strdup (self->if_match);
  copy->idempotency_key = g_strdup (self->idempotency_key);
  copy->last_error = g_strdup (self->last_error);
  return copy;
}

void
desk_outbox_op_free (DeskOutboxOp *self)
{
  if (self == NULL)
    return;
  g_free (self->entry_id);
  g_free (self->payload);
  g_free (self->if_match);
  g_free (self->idempotency_key);
  g_free (self->last_error);
  g_free (self);
}

DeskIgnoredFinding *
desk_ignored_finding_copy (const DeskIgnoredFinding *self)
{
  DeskIgnoredFinding *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->entry_id = g_strdup (self->entry_id);
  copy->check_id = g_strdup (self->check_id);
  copy->snippet = g_strdup (self->snippet);
  copy->reason = g_strdup (self->reason);
  return copy;
}

void
desk_ignored_finding_free (DeskIgnoredFinding *self)
{
  if (self == NULL)
    return;
  g_free (self->entry_id);
  g_free (self->check_id);
  g_free (self->snippet);
  g_free (self->reason);
  g_free (self);
}
