/* desk-preferences-window.h: the preferences: site and token, editing, QA checks, glossary
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-store.h"

G_BEGIN_DECLS

#define DESK_TYPE_PREFERENCES_WINDOW (desk_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (DeskPreferencesWindow, desk_preferences_window, DESK, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* The QA check ids, in the order of the QA page (NULL-terminated). */
extern const char * const desk_preferences_qa_check_ids[];

/* @settings: the io.github.digestdesk.DigestDesk settings. @store (may be
 * NULL) holds the site's glossary as last synced; the glossary page starts
 * from it and saves what a sync brings back.
 *
 * Signals:
 * "token-changed" (const char *site_url, const char *account, const char *token):
 *   a token was stored in the keyring (token "" when it was removed), for the
 *   running client to use.
 * "glossary-queued" (): glossary edits not uploaded when the window closed
 *   were put in the store's outbox (a PUT /glossary If-Match the revision
 *   they are based on), for the sync engine to send. A window opened while
 *   one waits (or was refused) starts from it. Without a store, closing
 *   with such edits asks whether to discard them. */
DeskPreferencesWindow *desk_preferences_window_new          (GSettings              *settings,
                                                             DeskStore              *store);

/* Imports a glossary file as the Import… button does after its file
 * chooser: "*.csv" as CSV (a term with the same source is replaced),
 * "*.yml"/"*.yaml" as a prh dictionary (variants are added to the term with
 * that target, else a term is added). The result is shown in a toast. */
void                   desk_preferences_window_import_file_async  (DeskPreferencesWindow *self,
                                                                   GFile                 *file,
                                                                   GCancellable          *cancellable,
                                                                   GAsyncReadyCallback    callback,
                                                                   gpointer               user_data);
gboolean               desk_preferences_window_import_file_finish (DeskPreferencesWindow *self,
                                                                   GAsyncResult          *result,
                                                                   GError               **error);

/* The glossary as edited (not yet synced when it differs from the site's). */
const DeskGlossary    *desk_preferences_window_get_glossary (DeskPreferencesWindow  *self);

G_END_DECLS
