/* test-app-token.c: the application signs in with the token the preferences stored in the keyring
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "desk-application.h"
#include "desk-demo.h"
#include "desk-secret.h"
#include "ui-test-util.h"

static DeskApplication *app;
static char *token;
static char *store_dir;
static int status = 1;

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
dir_contains (const char *dir,
              const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_get_contents (path, &contents, &length, NULL) &&
          memmem (contents, length, needle, strlen (needle)) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_token_from_keyring (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* /me answers only with the right token: the account shows it was read. */
  while (desk_application_get_account (app) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (desk_application_get_account (app));
  while (!desk_application_get_ready (app) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (desk_application_get_ready (app));

  /* The token is in neither the settings nor the store the run wrote. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, TRUE);
      g_assert_null (strstr (text, token));
    }
  g_assert_false (dir_contains (store_dir, token));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = g_dir_make_tmp ("desk-app-token-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (tmp, "test.keyring", NULL);
  g_autofree char *store_arg = NULL;
  g_autofree char *schemas = NULL;
  g_autoptr(DeskDemo) demo = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  char *app_argv[3];

  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("DIGEST_DESK_TOKEN");
  g_assert_nonnull (g_getenv ("DESK_BUILD_DIR"));
  schemas = g_build_filename (g_getenv ("DESK_BUILD_DIR"), "data", NULL);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/token-from-keyring", test_token_from_keyring);

  /* A site, its address in the settings and its token in the keyring, as
   * the preferences leave them. */
  demo = desk_demo_new (g_getenv ("DIGEST_SITE"), g_getenv ("DESK_SAMPLE_DIR"));
  desk_demo_start_async (demo, NULL, got_result, &result);
  g_assert_true (desk_demo_start_finish (demo, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  token = g_strdup (desk_demo_get_token (demo));
  settings = g_settings_new (APP_ID);
  g_settings_set_string (settings, "site-url", desk_demo_get_base_url (demo));
  g_settings_set_string (settings, "account", "");
  desk_secret_store_token_async (desk_demo_get_base_url (demo), "", token, NULL, got_result, &result);
  g_assert_true (desk_secret_store_token_finish (wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  store_dir = g_build_filename (tmp, "store", NULL);
  g_mkdir_with_parents (store_dir, 0700);
  store_arg = g_strconcat ("--store=", store_dir, "/store.db", NULL);
  app_argv[0] = (char *) "digest-desk";
  app_argv[1] = store_arg;
  app_argv[2] = NULL;
  app = desk_application_new ();
  status = ui_test_run_app (G_APPLICATION (app), 2, app_argv);
  g_clear_object (&app);
  desk_demo_stop (demo);
  return status;
}
