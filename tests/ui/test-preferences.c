/* test-preferences.c: the preferences window under Xvfb: settings, keyring token, QA rows, prh import
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "desk-preferences-window.h"
#include "desk-demo.h"
#include "desk-secret.h"
#include "desk-site-client.h"
#include "desk-sync.h"
#include "ui-test-util.h"

#define TOKEN "tok-s3cret-must-not-leak-4711"

static char *tmp_dir;

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
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (20000, timeout_flag_cb, &timed_out);

  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  return *slot;
}

/* Template children by their id in the .ui file. */
static void
count_named (GtkWidget  *widget,
             const char *prefix,
             guint      *count)
{
  if (g_str_has_prefix (gtk_widget_get_name (widget), prefix) && ADW_IS_ACTION_ROW (widget))
    (*count)++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_named (child, prefix, count);
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

static DeskPreferencesWindow *
open_window (GSettings *settings,
             DeskStore *store)
{
  DeskPreferencesWindow *window = desk_preferences_window_new (settings, store);

  gtk_window_present (GTK_WINDOW (window));
  spin (200);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  return window;
}

static void
apply_row (DeskPreferencesWindow *window,
           const char            *id,
           const char            *text)
{
  GtkWidget *row = find_by_id (GTK_WIDGET (window), id);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
}

static char *
settings_dump (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  GString *out = g_string_new (NULL);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, TRUE);
      g_string_append_printf (out, "%s=%s\n", keys[i], text);
    }
  return g_string_free (out, FALSE);
}

static void
test_site_settings (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  DeskPreferencesWindow *window = open_window (settings, NULL);
  g_autofree char *url = NULL;
  g_autofree char *account = NULL;
  GtkWidget *message;

  apply_row (window, "site_url_row", "https://news.example.org");
  apply_row (window, "account_row", "hanako");
  url = g_settings_get_string (settings, "site-url");
  account = g_settings_get_string (settings, "account");
  g_assert_cmpstr (url, ==, "https://news.example.org");
  g_assert_cmpstr (account, ==, "hanako");

  /* Plain http to a host that is not loopback: refused, not saved, said. */
  apply_row (window, "site_url_row", "http://news.example.org");
  g_free (url);
  url = g_settings_get_string (settings, "site-url");
  g_assert_cmpstr (url, ==, "https://news.example.org");
  g_assert_true (gtk_widget_has_css_class (find_by_id (GTK_WIDGET (window), "site_url_row"), "error"));
  message = find_by_id (GTK_WIDGET (window), "site_message");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_cmpuint (strlen (gtk_label_get_text (GTK_LABEL (message))), >, 0);

  apply_row (window, "site_url_row", "not a url");
  g_free (url);
  url = g_settings_get_string (settings, "site-url");
  g_assert_cmpstr (url, ==, "https://news.example.org");

  /* Loopback http is fine. */
  apply_row (window, "site_url_row", "http://127.0.0.1:8080");
  g_free (url);
  url = g_settings_get_string (settings, "site-url");
  g_assert_cmpstr (url, ==, "http://127.0.0.1:8080");
  g_assert_false (gtk_widget_has_css_class (find_by_id (GTK_WIDGET (window), "site_url_row"), "error"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
token_changed_cb (DeskPreferencesWindow *window,
                  const char            *url,
                  const char            *account,
                  const char            *token,
                  gboolean              *changed)
{
  *changed = TRUE;
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

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && g_file_get_contents (path, &contents, &length, NULL) &&
          memmem (contents, length, needle, strlen (needle)) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The token goes to the keyring only: not GSettings, not the store. */
static void
test_token_only_in_keyring (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autofree char *store_dir = g_build_filename (tmp_dir, "store", NULL);
  g_autofree char *store_path = g_build_filename (store_dir, "store.db", NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump_before = NULL;
  g_autofree char *dump_after = NULL;
  g_autofree char *looked_up = NULL;
  GAsyncResult *result = NULL;
  DeskPreferencesWindow *window;
  gboolean changed = FALSE;
  gboolean timed_out = FALSE;

  g_mkdir_with_parents (store_dir, 0700);
  desk_store_new_async (store_path, NULL, got_result, &result);
  store = desk_store_new_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  window = open_window (settings, store);
  g_signal_connect (window, "token-changed", G_CALLBACK (token_changed_cb), &changed);
  apply_row (window, "site_url_row", "https://news.example.org");
  apply_row (window, "account_row", "hanako");
  dump_before = settings_dump (settings);
  apply_row (window, "token_row", TOKEN);
  g_timeout_add (20000, timeout_flag_cb, &timed_out);
  while (!changed && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (changed);

  desk_secret_lookup_token_async ("https://news.example.org", "hanako", NULL, got_result, &result);
  looked_up = desk_secret_lookup_token_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (looked_up, ==, TOKEN);

  dump_after = settings_dump (settings);
  g_assert_cmpstr (dump_before, ==, dump_after);
  g_assert_null (strstr (dump_after, TOKEN));
  gtk_window_destroy (GTK_WINDOW (window));

  /* A new window shows the stored token (masked) again. */
  window = open_window (settings, store);
  spin (300);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_by_id (GTK_WIDGET (window), "token_row"))), ==, TOKEN);
  gtk_window_destroy (GTK_WINDOW (window));

  g_clear_object (&store);
  spin (100);
  g_assert_false (dir_contains (store_dir, TOKEN));
  /* The keyring file itself is encrypted. */
  {
    g_autofree char *keyring_dir = g_path_get_dirname (g_getenv ("SECRET_FILE_TEST_PATH"));
    g_assert_false (dir_contains (keyring_dir, TOKEN));
  }
}

static void
test_editing_settings (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  DeskPreferencesWindow *window = open_window (settings, NULL);
  GtkWidget *spin_button = find_by_id (GTK_WIDGET (window), "autosave_spin");
  GtkWidget *combo = find_by_id (GTK_WIDGET (window), "house_style_row");
  g_autofree char *style = NULL;

  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin_button)), ==, 1000);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), 2500);
  g_assert_cmpint (g_settings_get_int (settings, "autosave-delay-ms"), ==, 2500);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), 99999);
  g_assert_cmpint (g_settings_get_int (settings, "autosave-delay-ms"), ==, 5000);

  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  style = g_settings_get_string (settings, "house-style-override");
  g_assert_cmpstr (style, ==, "de-aru");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_qa_rows (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  DeskPreferencesWindow *window = open_window (settings, NULL);
  g_autoptr(GVariant) checks = NULL;
  guint count = 0;
  gboolean enabled = TRUE;
  const char *severity = NULL;

  count_named (GTK_WIDGET (window), "qa-", &count);
  g_assert_cmpuint (count, ==, 14);
  g_assert_cmpuint (g_strv_length ((char **) desk_preferences_qa_check_ids), ==, 14);

  /* Turning "register" off and "glossary" to error is stored. */
  {
    GtkWidget *reg = NULL, *glo = NULL;
    GtkWidget *qa_group = find_by_id (GTK_WIDGET (window), "qa_group");
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, qa_group);
    while (stack->len > 0)
      {
        GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);
        if (g_str_equal (gtk_widget_get_name (w), "qa-register"))
          reg = w;
        if (g_str_equal (gtk_widget_get_name (w), "qa-glossary"))
          glo = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (stack, c);
      }
    g_ptr_array_unref (stack);
    g_assert_nonnull (reg);
    g_assert_nonnull (glo);
    gtk_switch_set_active (g_object_get_data (G_OBJECT (reg), "desk-switch"), FALSE);
    gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (glo), "desk-severity"), 1);
  }
  checks = g_settings_get_value (settings, "qa-checks");
  g_assert_cmpuint (g_variant_n_children (checks), ==, 2);
  g_assert_true (g_variant_lookup (checks, "register", "(b&s)", &enabled, &severity));
  g_assert_false (enabled);
  g_assert_cmpstr (severity, ==, "default");
  g_assert_true (g_variant_lookup (checks, "glossary", "(b&s)", &enabled, &severity));
  g_assert_true (enabled);
  g_assert_cmpstr (severity, ==, "error");
  gtk_window_destroy (GTK_WINDOW (window));

  /* A new window reads them back. */
  window = open_window (settings, NULL);
  count = 0;
  count_named (GTK_WIDGET (window), "qa-", &count);
  g_assert_cmpuint (count, ==, 14);
  gtk_window_destroy (GTK_WINDOW (window));
}

static const char prh_yml[] =
  "version: 1\n"
  "rules:\n"
  "  - expected: ソフトウェア\n"
  "    pattern: ソフトウエア\n"
  "  - expected: サーバー\n"
  "    pattern:\n"
  "      - サーバ\n"
  "      - /サーヴァー?/\n"
  "  - expected: インターフェース\n"
  "    pattern: [インタフェース, インターフェイス]\n";

static guint
list_rows (DeskPreferencesWindow *window)
{
  GtkWidget *list = find_by_id (GTK_WIDGET (window), "terms_list");
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_BOX_ROW (c) && gtk_widget_get_child_visible (c))
      n++;
  return n;
}

static void
keep_glossary (DeskPreferencesWindow *window,
               const DeskGlossary    *glossary,
               DeskGlossary         **slot)
{
  g_clear_pointer (slot, desk_glossary_free);
  *slot = desk_glossary_copy (glossary);
}

static void
test_import_prh (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  DeskPreferencesWindow *window = open_window (settings, NULL);
  g_autofree char *path = g_build_filename (tmp_dir, "prh.yml", NULL);
  g_autofree char *bad_path = g_build_filename (tmp_dir, "bad.yml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  const DeskGlossary *glossary;
  const DeskGlossaryTerm *term;
  g_autoptr(DeskGlossary) announced = NULL;

  g_signal_connect (window, "glossary-changed", G_CALLBACK (keep_glossary), &announced);
  g_assert_true (g_file_set_contents (path, prh_yml, -1, NULL));
  g_assert_cmpuint (list_rows (window), ==, 0);
  desk_preferences_window_import_file_async (window, file, NULL, got_result, &result);
  g_assert_true (desk_preferences_window_import_file_finish (window, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  glossary = desk_preferences_window_get_glossary (window);
  g_assert_cmpuint (glossary->terms->len, ==, 3);
  /* What the preferences announce is what QA then enforces. */
  g_assert_nonnull (announced);
  g_assert_cmpuint (announced->terms->len, ==, 3);
  {
    g_autoptr(DeskQa) qa = desk_qa_new ();
    g_autoptr(DeskEditable) fields = desk_editable_new ();
    g_autoptr(GPtrArray) findings = NULL;

    fields->present = DESK_FIELD_BODY;
    fields->body = g_strdup ("新しいサーバを導入しました。");
    desk_qa_set_glossary (qa, announced);
    findings = desk_qa_check (qa, fields, NULL);
    g_assert_cmpuint (findings->len, ==, 1);
    g_assert_cmpstr (((DeskQaFinding *) g_ptr_array_index (findings, 0))->check, ==, "glossary");
    g_assert_cmpstr (((DeskQaFinding *) g_ptr_array_index (findings, 0))->suggestion, ==, "サーバー");
  }
  term = g_ptr_array_index (glossary->terms, 1);
  g_assert_cmpstr (term->target, ==, "サーバー");
  g_assert_cmpstr (term->forbidden[0], ==, "サーバ");
  g_assert_null (term->forbidden[1]);
  term = g_ptr_array_index (glossary->terms, 2);
  g_assert_cmpuint (g_strv_length (term->forbidden), ==, 2);
  g_assert_cmpuint (list_rows (window), ==, 3);

  if (g_getenv ("DESK_PREFS_SCREENSHOT") != NULL)
    {
      /* For screenshots (see the report): a filled-in window on one page. */
      apply_row (window, "site_url_row", "https://news.example.org");
      apply_row (window, "account_row", "hanako");
      adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window),
                                                    g_getenv ("DESK_PREFS_SCREENSHOT"));
      spin (60000);
    }

  /* A broken file changes nothing and says where, in a dialog. */
  g_assert_true (g_file_set_contents (bad_path, "version: 1\nrules:\n  - expected: a\n   pattern: b\n", -1, NULL));
  desk_preferences_window_import_file_async (window, bad, NULL, got_result, &result);
  g_assert_false (desk_preferences_window_import_file_finish (window, wait_result (&result), &error));
  g_assert_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_SYNTAX);
  if (g_getenv ("DESK_PREFS_SCREENSHOT") == NULL)   /* in Japanese then */
    g_assert_true (g_str_has_prefix (error->message, "Line 4:"));
  g_clear_object (&result);
  g_assert_cmpuint (desk_preferences_window_get_glossary (window)->terms->len, ==, 3);
  g_assert_cmpuint (list_rows (window), ==, 3);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean shown = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
        shown = shown || (ADW_IS_MESSAGE_DIALOG (w) && g_str_equal (gtk_widget_get_name (w), "import-error") &&
                          gtk_window_get_transient_for (GTK_WINDOW (w)) == GTK_WINDOW (window));
      }
    g_assert_true (shown);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}


static gboolean
sync_idle (gpointer data)
{
  DeskPreferencesWindow *window = data;

  return gtk_widget_get_sensitive (find_by_id (GTK_WIDGET (window), "sync_button"));
}

static void
click_sync_and_wait (DeskPreferencesWindow *window)
{
  gboolean timed_out = FALSE;
  guint id;

  g_signal_emit_by_name (find_by_id (GTK_WIDGET (window), "sync_button"), "clicked");
  g_assert_false (sync_idle (window));
  id = g_timeout_add (30000, timeout_flag_cb, &timed_out);
  while (!sync_idle (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static DeskGlossary *
site_glossary (DeskSiteClient *client,
               char          **etag)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  DeskGlossary *glossary;

  desk_site_client_get_glossary_async (client, NULL, got_result, &result);
  glossary = desk_site_client_get_glossary_finish (client, wait_result (&result), etag, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return glossary;
}

static gboolean
has_source (const DeskGlossary *glossary,
            const char         *source)
{
  for (guint i = 0; i < glossary->terms->len; i++)
    if (g_str_equal (((DeskGlossaryTerm *) g_ptr_array_index (glossary->terms, i))->source, source))
      return TRUE;
  return FALSE;
}

static GtkWindow *
find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && g_str_equal (gtk_widget_get_name (w), name))
        return GTK_WINDOW (w);
    }
  return NULL;
}

/* The glossary page against a real digest-site (the demo's): fetch, import,
 * upload with If-Match, and a conflict when the site moved on. */
static void
test_glossary_sync (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DeskDemo) demo = desk_demo_new (g_getenv ("DIGEST_SITE"), g_getenv ("DESK_SAMPLE_DIR"));
  g_autoptr(DeskSiteClient) other = NULL;
  g_autoptr(DeskGlossary) theirs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "sync-prh.yml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *etag = NULL;
  GAsyncResult *result = NULL;
  DeskPreferencesWindow *window;
  const DeskGlossary *mine;
  gint64 first_revision;
  GtkWindow *dialog;

  if (g_getenv ("DIGEST_SITE") == NULL)
    {
      g_test_skip ("DIGEST_SITE is not set (run through meson test)");
      return;
    }
  desk_demo_start_async (demo, NULL, got_result, &result);
  g_assert_true (desk_demo_start_finish (demo, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  other = desk_site_client_new (desk_demo_get_base_url (demo), desk_demo_get_token (demo), &error);
  g_assert_no_error (error);

  window = open_window (settings, NULL);
  apply_row (window, "site_url_row", desk_demo_get_base_url (demo));
  /* Typed but not applied: the sync uses what the rows say. */
  gtk_editable_set_text (GTK_EDITABLE (find_by_id (GTK_WIDGET (window), "token_row")),
                         desk_demo_get_token (demo));

  /* Nothing local: the site's glossary comes down. */
  click_sync_and_wait (window);
  theirs = site_glossary (other, NULL);
  mine = desk_preferences_window_get_glossary (window);
  g_assert_cmpint (mine->revision, ==, theirs->revision);
  g_assert_cmpuint (mine->terms->len, ==, theirs->terms->len);
  first_revision = theirs->revision;
  g_clear_pointer (&theirs, desk_glossary_free);

  /* Imported terms go up on top of that revision. */
  g_assert_true (g_file_set_contents (path, prh_yml, -1, NULL));
  desk_preferences_window_import_file_async (window, file, NULL, got_result, &result);
  g_assert_true (desk_preferences_window_import_file_finish (window, wait_result (&result), &error));
  g_clear_object (&result);
  click_sync_and_wait (window);
  theirs = site_glossary (other, &etag);
  g_assert_cmpint (theirs->revision, >, first_revision);
  g_assert_true (has_source (theirs, "サーバー"));
  g_assert_true (has_source (theirs, "インターフェース"));
  mine = desk_preferences_window_get_glossary (window);
  g_assert_cmpint (mine->revision, ==, theirs->revision);
  g_assert_null (find_dialog ("glossary-conflict"));

  /* Someone else changes the site; a local change then conflicts and is
   * not uploaded. */
  g_ptr_array_add (theirs->terms, desk_glossary_term_new ("colleague", "同僚"));
  {
    g_autoptr(DeskGlossary) put = NULL;
    desk_site_client_put_glossary_async (other, etag, theirs, NULL, got_result, &result);
    put = desk_site_client_put_glossary_finish (other, wait_result (&result), NULL, NULL, &error);
    g_assert_no_error (error);
    g_clear_object (&result);
  }
  g_clear_pointer (&theirs, desk_glossary_free);
  {
    g_autofree char *csv_path = g_build_filename (tmp_dir, "mine.csv", NULL);
    g_autoptr(GFile) csv = g_file_new_for_path (csv_path);

    g_assert_true (g_file_set_contents (csv_path, "mine,私の用語\n", -1, NULL));
    desk_preferences_window_import_file_async (window, csv, NULL, got_result, &result);
    g_assert_true (desk_preferences_window_import_file_finish (window, wait_result (&result), &error));
    g_clear_object (&result);
  }
  click_sync_and_wait (window);
  dialog = find_dialog ("glossary-conflict");
  g_assert_nonnull (dialog);
  theirs = site_glossary (other, NULL);
  g_assert_false (has_source (theirs, "mine"));
  g_assert_true (has_source (theirs, "colleague"));
  g_assert_true (has_source (desk_preferences_window_get_glossary (window), "mine"));

  /* "Use the site's version" takes theirs. */
  g_signal_emit_by_name (dialog, "response", "theirs");
  mine = desk_preferences_window_get_glossary (window);
  g_assert_false (has_source (mine, "mine"));
  g_assert_true (has_source (mine, "colleague"));
  g_assert_cmpint (mine->revision, ==, theirs->revision);

  gtk_window_destroy (GTK_WINDOW (window));
  desk_demo_stop (demo);
}

static void
import_csv (DeskPreferencesWindow *window,
            const char            *name,
            const char            *csv)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  desk_preferences_window_import_file_async (window, file, NULL, got_result, &result);
  g_assert_true (desk_preferences_window_import_file_finish (window, wait_result (&result), &error));
  g_assert_no_error (error);
  g_object_unref (result);
}

typedef struct {
  DeskPreferencesWindow *window;
  const char            *source;
  gint64                 revision;
} GlossaryWait;

static gboolean
glossary_cond (gpointer data)
{
  GlossaryWait *w = data;
  const DeskGlossary *glossary = desk_preferences_window_get_glossary (w->window);

  return glossary->revision == w->revision && (w->source == NULL || has_source (glossary, w->source));
}

static void
wait_glossary (DeskPreferencesWindow *window,
               const char            *source,
               gint64                 revision)
{
  GlossaryWait w = { window, source, revision };
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (10000, timeout_flag_cb, &timed_out);

  while (!glossary_cond (&w) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static GPtrArray *
queued_glossary_ops (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ops = desk_store_outbox_list_sync (store,
                                                DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_PENDING) |
                                                DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_FAILED),
                                                NULL, &error);

  g_assert_no_error (error);
  for (guint i = ops->len; i > 0; i--)
    if (((DeskOutboxOp *) g_ptr_array_index (ops, i - 1))->kind != DESK_OUTBOX_KIND_GLOSSARY)
      g_ptr_array_remove_index (ops, i - 1);
  return ops;
}

static void
on_queued (DeskPreferencesWindow *window,
           gboolean              *queued)
{
  *queued = TRUE;
}

/* Closed with glossary edits not uploaded: the edits wait in the outbox
 * (If-Match the revision they are based on), the next window starts from
 * them, and the sync engine delivers them; destroyed without a close
 * request (the app quits), they are queued too. */
static void
test_glossary_kept_on_close (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DeskDemo) demo = desk_demo_new (g_getenv ("DIGEST_SITE"), g_getenv ("DESK_SAMPLE_DIR"));
  g_autofree char *store_path = g_build_filename (tmp_dir, "kept.db", NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSiteClient) other = NULL;
  g_autoptr(DeskSiteClient) client = NULL;
  g_autoptr(DeskSync) sync = NULL;
  g_autoptr(DeskGlossary) theirs = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  GAsyncResult *result = NULL;
  DeskPreferencesWindow *window;
  const DeskOutboxOp *op;
  gboolean queued = FALSE;
  gint64 op_id, revision;

  if (g_getenv ("DIGEST_SITE") == NULL)
    {
      g_test_skip ("DIGEST_SITE is not set (run through meson test)");
      return;
    }
  desk_demo_start_async (demo, NULL, got_result, &result);
  g_assert_true (desk_demo_start_finish (demo, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  other = desk_site_client_new (desk_demo_get_base_url (demo), desk_demo_get_token (demo), &error);
  g_assert_no_error (error);
  store = desk_store_open_sync (store_path, NULL, &error);
  g_assert_no_error (error);
  theirs = site_glossary (other, &etag);
  revision = theirs->revision;
  g_assert_true (desk_store_set_glossary_sync (store, theirs, NULL, &error));
  g_assert_no_error (error);

  /* Edited, then closed. */
  window = open_window (settings, store);
  wait_glossary (window, NULL, revision);
  import_csv (window, "kept.csv", "kept-term,保存される用語\n");
  g_signal_connect (window, "glossary-queued", G_CALLBACK (on_queued), &queued);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  {
    gboolean timed_out = FALSE;
    guint id = g_timeout_add (10000, timeout_flag_cb, &timed_out);
    while (window != NULL && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (timed_out);
    g_source_remove (id);
  }
  g_assert_true (queued);
  ops = queued_glossary_ops (store);
  g_assert_cmpuint (ops->len, ==, 1);
  op = g_ptr_array_index (ops, 0);
  g_assert_cmpint (op->state, ==, DESK_OUTBOX_STATE_PENDING);
  g_assert_null (op->entry_id);
  g_assert_cmpstr (op->if_match, ==, etag);
  g_assert_nonnull (strstr (op->payload, "kept-term"));
  op_id = op->id;
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* Opened again: the queued edits are what it shows; closed unchanged,
   * the same write waits. */
  window = open_window (settings, store);
  wait_glossary (window, "kept-term", revision);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  spin (300);
  g_assert_null (window);
  ops = queued_glossary_ops (store);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (((DeskOutboxOp *) g_ptr_array_index (ops, 0))->id, ==, op_id);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* The sync engine delivers it. */
  client = desk_site_client_new (desk_demo_get_base_url (demo), desk_demo_get_token (demo), &error);
  g_assert_no_error (error);
  sync = desk_sync_new (store, client, NULL);
  desk_sync_start_async (sync, NULL, got_result, &result);
  g_assert_true (desk_sync_start_finish (sync, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  for (int i = 0; i < 100; i++)
    {
      g_autoptr(DeskGlossary) now = site_glossary (other, NULL);
      if (has_source (now, "kept-term"))
        break;
      spin (100);
    }
  g_clear_pointer (&theirs, desk_glossary_free);
  theirs = site_glossary (other, NULL);
  g_assert_true (has_source (theirs, "kept-term"));
  g_assert_cmpint (theirs->revision, >, revision);
  spin (300);
  ops = queued_glossary_ops (store);
  g_assert_cmpuint (ops->len, ==, 0);
  g_clear_pointer (&ops, g_ptr_array_unref);
  desk_sync_stop (sync);

  /* Destroyed with edits, as when the app quits: queued as well. */
  window = open_window (settings, store);
  wait_glossary (window, "kept-term", theirs->revision);
  import_csv (window, "quit.csv", "quit-term,終了時の用語\n");
  gtk_window_destroy (GTK_WINDOW (window));
  ops = queued_glossary_ops (store);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_nonnull (strstr (((DeskOutboxOp *) g_ptr_array_index (ops, 0))->payload, "quit-term"));
  g_assert_nonnull (strstr (((DeskOutboxOp *) g_ptr_array_index (ops, 0))->payload, "kept-term"));

  desk_demo_stop (demo);
}

/* Without a store, closing with edits asks before discarding them. */
static void
test_glossary_close_warns_without_store (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  DeskPreferencesWindow *window = open_window (settings, NULL);
  GtkWindow *dialog;

  import_csv (window, "warn.csv", "warn-term,警告の用語\n");
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  spin (200);
  g_assert_nonnull (window);
  dialog = find_dialog ("glossary-unsaved");
  g_assert_nonnull (dialog);
  g_signal_emit_by_name (dialog, "response", "cancel");
  spin (100);
  g_assert_nonnull (window);
  gtk_window_close (GTK_WINDOW (window));
  spin (200);
  dialog = find_dialog ("glossary-unsaved");
  g_assert_nonnull (dialog);
  g_signal_emit_by_name (dialog, "response", "discard");
  spin (200);
  g_assert_null (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("desk-prefs-XXXXXX", NULL);
  keyring = g_build_filename (tmp_dir, "keyring", "test.keyring", NULL);
  {
    g_autofree char *keyring_dir = g_path_get_dirname (keyring);
    g_mkdir_with_parents (keyring_dir, 0700);
  }
  /* libsecret's file backend, the settings in memory, the build's schema. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (g_getenv ("DESK_BUILD_DIR") != NULL)
    {
      g_autofree char *schemas = g_build_filename (g_getenv ("DESK_BUILD_DIR"), "data", NULL);
      g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);
    }

  if (g_getenv ("DESK_BUILD_DIR") != NULL)
    {
      g_autofree char *locale_dir = g_build_filename (g_getenv ("DESK_BUILD_DIR"), "po", NULL);
      bindtextdomain (GETTEXT_PACKAGE, locale_dir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() leaves the C locale; screenshots are taken in the
   * caller's language (LANGUAGE=ja LC_ALL=C.UTF-8). */
  if (g_getenv ("DESK_PREFS_SCREENSHOT") != NULL)
    setlocale (LC_ALL, "");
  adw_init ();
  g_test_add_func ("/preferences/site-settings", test_site_settings);
  g_test_add_func ("/preferences/token-only-in-keyring", test_token_only_in_keyring);
  g_test_add_func ("/preferences/editing-settings", test_editing_settings);
  g_test_add_func ("/preferences/qa-rows", test_qa_rows);
  g_test_add_func ("/preferences/import-prh", test_import_prh);
  g_test_add_func ("/preferences/glossary-sync", test_glossary_sync);
  g_test_add_func ("/preferences/glossary-kept-on-close", test_glossary_kept_on_close);
  g_test_add_func ("/preferences/glossary-close-warns-without-store", test_glossary_close_warns_without_store);
  ret = g_test_run ();
  return ret;
}
