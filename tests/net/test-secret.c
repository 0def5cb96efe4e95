/* test-secret.c: the token in libsecret's file backend: store, look up, replace, clear
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <glib/gstdio.h>
#include <string.h>

#include "desk-secret.h"

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
store (const char *url,
       const char *account,
       const char *token)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  desk_secret_store_token_async (url, account, token, NULL, got_result, &result);
  g_assert_true (desk_secret_store_token_finish (wait_result (&result), &error));
  g_assert_no_error (error);
  g_object_unref (result);
}

static char *
lookup (const char *url,
        const char *account)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  char *token;

  desk_secret_lookup_token_async (url, account, NULL, got_result, &result);
  token = desk_secret_lookup_token_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return token;
}

static gboolean
clear (const char *url,
       const char *account)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gboolean removed;

  desk_secret_clear_token_async (url, account, NULL, got_result, &result);
  removed = desk_secret_clear_token_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return removed;
}

static void
test_round_trip (void)
{
  char *token;

  g_assert_null (lookup ("https://news.example.org", "hanako"));
  store ("https://news.example.org", "hanako", "tok-hanako-1");
  store ("https://news.example.org", "taro", "tok-taro");
  store ("http://127.0.0.1:8080", "", "tok-local");

  token = lookup ("https://news.example.org", "hanako");
  g_assert_cmpstr (token, ==, "tok-hanako-1");
  g_free (token);
  token = lookup ("http://127.0.0.1:8080", NULL);
  g_assert_cmpstr (token, ==, "tok-local");
  g_free (token);

  /* Storing again replaces. */
  store ("https://news.example.org", "hanako", "tok-hanako-2");
  token = lookup ("https://news.example.org", "hanako");
  g_assert_cmpstr (token, ==, "tok-hanako-2");
  g_free (token);

  g_assert_true (clear ("https://news.example.org", "hanako"));
  g_assert_false (clear ("https://news.example.org", "hanako"));
  g_assert_null (lookup ("https://news.example.org", "hanako"));
  token = lookup ("https://news.example.org", "taro");
  g_assert_cmpstr (token, ==, "tok-taro");
  g_free (token);
}

/* The keyring file is encrypted: the token is not in it in clear. */
static void
test_file_is_encrypted (void)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  store ("https://news.example.org", "hanako", "tok-plain-search-me");
  g_assert_true (g_file_get_contents (g_getenv ("SECRET_FILE_TEST_PATH"), &contents, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  g_assert_null (memmem (contents, length, "tok-plain-search-me", strlen ("tok-plain-search-me")));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("desk-secret-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keyring", NULL);
  int ret;

  /* libsecret's file backend (0.20): no D-Bus, no keyring daemon. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/secret/round-trip", test_round_trip);
  g_test_add_func ("/secret/file-is-encrypted", test_file_is_encrypted);
  ret = g_test_run ();
  g_unlink (path);
  g_rmdir (dir);
  return ret;
}
