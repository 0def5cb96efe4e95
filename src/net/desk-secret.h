/* desk-secret.h: the account's API token in the keyring (libsecret), never in GSettings or the store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

/* "io.github.digestdesk.DigestDesk.Token", attributes "site-url" and
 * "account" (both strings; an empty account is stored as ""). */
const SecretSchema *desk_secret_get_schema          (void);

/* Stores @token for (@site_url, @account), replacing an earlier one. */
void                desk_secret_store_token_async   (const char           *site_url,
                                                     const char           *account,
                                                     const char           *token,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean            desk_secret_store_token_finish  (GAsyncResult         *result,
                                                     GError              **error);

/* The token, or NULL without error when none is stored. */
void                desk_secret_lookup_token_async  (const char           *site_url,
                                                     const char           *account,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
char               *desk_secret_lookup_token_finish (GAsyncResult         *result,
                                                     GError              **error);

/* TRUE when a token was removed, FALSE without error when there was none. */
void                desk_secret_clear_token_async   (const char           *site_url,
                                                     const char           *account,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean            desk_secret_clear_token_finish  (GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
