/* store-test-util.h: synthetic entries for the store's tests and benchmark
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-store.h"

G_BEGIN_DECLS

typedef struct {
  const char      *id;
  gint64           revision;
  DeskEntryStatus  status;
  DeskEntryKind    kind;
  const char      *source_name;
  const char      *title;
  const char      *tldr;
  const char      *body;
  const char      *tags;            /* comma-separated, at least one */
  const char      *original_title;
  const char      *original_html;
  int              importance;      /* overall, 1–5 */
  const char      *updated_at;      /* RFC 3339 */
  const char      *collected_at;
  const char      *lock_editor;     /* NULL: unlocked */
} StoreTestEntry;

/* The full-form JSON of @spec (all members the contract requires). */
char      *store_test_entry_json  (const StoreTestEntry *spec);
/* Parsed in @form (FULL or SUMMARY) by the core's strict reader; aborts the
 * test when that fails. */
DeskEntry *store_test_make_entry  (const StoreTestEntry *spec,
                                   DeskEntryForm         form);
/* A fresh temporary directory for one test, removed by the caller with
 * store_test_rmdir. */
char      *store_test_mkdtemp     (void);
void       store_test_rmdir       (const char           *dir);

G_END_DECLS
