/* desk-secret.c: the account's API token in the keyring (libsecret), never in GSettings or the store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-secret.h"

const SecretSchema *
desk_secret_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.digestdesk.DigestDesk.Token", SECRET_SCHEMA_NONE,
    {
      { "site-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* The libsecret call's result travels in our own task, so callers see a
 * GAsyncResult of this module whatever backend answered. */
static void
store_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
desk_secret_store_token_async (const char          *site_url,
                               const char          *account,
                               const char          *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (site_url != NULL && site_url[0] != '\0');
  g_return_if_fail (token != NULL && token[0] != '\0');

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_secret_store_token_async);
  /* The label is what keyring managers (Seahorse) show. */
  label = g_strdup_printf (_("Digest Desk token for %s"), site_url);
  secret_password_store (desk_secret_get_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, store_done, g_steal_pointer (&task),
                         "site-url", site_url,
                         "account", account != NULL ? account : "",
                         NULL);
}

gboolean
desk_secret_store_token_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (password == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  /* Out of libsecret's non-pageable memory: the client keeps it as a string. */
  g_task_return_pointer (task, g_strdup (password), g_free);
  secret_password_free (password);
}

void
desk_secret_lookup_token_async (const char          *site_url,
                                const char          *account,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (site_url != NULL && site_url[0] != '\0');

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_secret_lookup_token_async);
  secret_password_lookup (desk_secret_get_schema (), cancellable, lookup_done, task,
                          "site-url", site_url,
                          "account", account != NULL ? account : "",
                          NULL);
}

char *
desk_secret_lookup_token_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean removed;

  removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, removed);
}

void
desk_secret_clear_token_async (const char          *site_url,
                               const char          *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (site_url != NULL && site_url[0] != '\0');

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_secret_clear_token_async);
  secret_password_clear (desk_secret_get_schema (), cancellable, clear_done, task,
                         "site-url", site_url,
                         "account", account != NULL ? account : "",
                         NULL);
}

gboolean
desk_secret_clear_token_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
