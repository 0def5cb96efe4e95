/* desk-store-token.c: put a token into the keyring through desk-secret, as the preferences do (a test helper)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * desk-store-token SITE-URL ACCOUNT < token
 *
 * The token is read from standard input so that it is on no command line.
 * The keyring is whatever libsecret's environment says (the tests use its
 * file backend: SECRET_BACKEND=file, SECRET_FILE_TEST_PATH, …). */
#include <stdio.h>
#include <string.h>

#include "desk-secret.h"

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  GAsyncResult *result = NULL;
  char line[1024];
  gboolean ok;

  if (argc != 3)
    {
      g_printerr ("usage: desk-store-token SITE-URL ACCOUNT < token\n");
      return 2;
    }
  if (fgets (line, sizeof line, stdin) == NULL)
    {
      g_printerr ("desk-store-token: no token on standard input\n");
      return 2;
    }
  token = g_strdup (g_strchomp (line));
  memset (line, 0, sizeof line);
  if (token[0] == '\0')
    {
      g_printerr ("desk-store-token: empty token\n");
      return 2;
    }

  desk_secret_store_token_async (argv[1], argv[2], token, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = desk_secret_store_token_finish (result, &error);
  g_object_unref (result);
  memset (token, 0, strlen (token));
  if (!ok)
    {
      g_printerr ("desk-store-token: %s\n", error->message);
      return 1;
    }
  return 0;
}
