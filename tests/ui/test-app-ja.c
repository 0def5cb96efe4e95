/* test-app-ja.c: the app under LANG=ja_JP.UTF-8 on the demo site: a screenshot, and its words are ja.po's
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "desk-application.h"
#include "desk-window.h"
#include "ui-test-util.h"

static DeskApplication *app;
static DeskWindow *window;
static GHashTable *catalog;   /* msgid → msgstr of po/ja.po */

/* ---- helpers ------------------------------------------------------------------------ */

/* The value of a PO string line ("…" with C escapes). */
static void
append_po_string (GString    *out,
                  const char *line)
{
  const char *start = strchr (line, '"');
  const char *end = strrchr (line, '"');
  g_autofree char *raw = NULL;
  g_autofree char *value = NULL;

  if (start == NULL || end == NULL || end <= start)
    return;
  raw = g_strndup (start + 1, end - start - 1);
  value = g_strcompress (raw);
  g_string_append (out, value);
}

/* po/ja.po read on its own: the translated, non-fuzzy, singular entries
 * without a context (those with one, such as the preview's "TL;DR", are
 * other strings). */
static GHashTable *
read_catalog (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("DESK_SOURCE_DIR"), "po", "ja.po", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) id = g_string_new (NULL);
  g_autoptr(GString) str = g_string_new (NULL);
  GString *current = NULL;
  gboolean fuzzy = FALSE, plural = FALSE, context = FALSE;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      gboolean last = lines[i + 1] == NULL;

      if (g_str_has_prefix (l, "#,") && strstr (l, "fuzzy") != NULL)
        fuzzy = TRUE;
      else if (g_str_has_prefix (l, "msgctxt "))
        context = TRUE;
      else if (g_str_has_prefix (l, "msgid_plural"))
        plural = TRUE, current = NULL;
      else if (g_str_has_prefix (l, "msgid "))
        current = id, append_po_string (id, l);
      else if (g_str_has_prefix (l, "msgstr "))
        current = str, append_po_string (str, l);
      else if (l[0] == '"' && current != NULL)
        append_po_string (current, l);
      if (l[0] == '\0' || last)
        {
          if (id->len > 0 && str->len > 0 && !fuzzy && !plural && !context)
            g_hash_table_insert (table, g_strdup (id->str), g_strdup (str->str));
          g_string_truncate (id, 0);
          g_string_truncate (str, 0);
          current = NULL;
          fuzzy = plural = context = FALSE;
        }
    }
  g_assert_cmpuint (g_hash_table_size (table), >, 100);
  return table;
}

/* ja.po's translation of @msgid, which must have one. */
static const char *
ja (const char *msgid)
{
  const char *msgstr = g_hash_table_lookup (catalog, msgid);

  g_assert_nonnull (msgstr);
  return msgstr;
}

static gboolean
has_japanese (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff))
        return TRUE;
    }
  return FALSE;
}

/* Labels on screen whose text is an English msgid that ja.po translates
 * differently: words that slipped past gettext. */
static void
collect_english (GtkWidget *widget,
                 GPtrArray *english)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_label (GTK_LABEL (widget));
      const char *msgstr = g_hash_table_lookup (catalog, text);

      if (msgstr != NULL && !g_str_equal (msgstr, text))
        g_ptr_array_add (english, g_strdup (text));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_english (child, english);
}

static GtkWidget *
find_primary_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_primary_menu_button (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
on_entry_shown (DeskWindow *w, const char *id, gboolean *shown)
{
  *shown = TRUE;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void
test_locale (void)
{
  g_assert_cmpstr (setlocale (LC_MESSAGES, NULL), ==, "ja_JP.UTF-8");
  g_assert_cmpstr (_("_Publish"), ==, ja ("_Publish"));
}

/* The header, the queue's filters and the primary menu are ja.po's words. */
static void
test_header_and_menu (void)
{
  GtkWidget *publish = find_by_id (GTK_WIDGET (window), "publish_button");
  GtkWidget *approve = find_by_id (GTK_WIDGET (window), "approve_button");
  GtkWidget *status = find_by_id (GTK_WIDGET (window), "status_button");
  GtkWidget *menu_button = NULL;
  GMenuModel *menu;
  guint items = 0;

  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (publish)), ==, ja ("_Publish"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (approve)), ==, ja ("_Approve"));
  g_assert_true (has_japanese (gtk_button_get_label (GTK_BUTTON (publish))));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (status)), ==, ja ("To review"));
  /* The label follows the filter, in Japanese too. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "queue-status", g_variant_new_string ("approved"));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (status)), ==, ja ("Approved"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "queue-status", g_variant_new_string ("to-review"));

  /* The primary menu: every item translated. */
  menu_button = find_primary_menu_button (GTK_WIDGET (window));
  g_assert_nonnull (menu_button);
  /* The menu is made when it is first opened (F10 or a click). */
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  g_assert_nonnull (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));
  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *label = NULL;
          g_autofree char *action = NULL;

          g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          g_test_message ("menu %s: %s", action, label);
          g_assert_true (has_japanese (label));
          items++;
        }
    }
  g_assert_cmpuint (items, >=, 5);
}

/* The window with an entry open at 1280×800, screenshot kept in the build
 * directory: far from blank, and no English word ja.po translates is on
 * screen. */
static void
test_screenshot (void)
{
  const char *dir = g_getenv ("DESK_BUILD_DIR");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : ".", "ui-screenshot-ja.png", NULL);
  g_autofree char *command = g_strdup_printf ("import -window root %s", path);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) colors = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) english = g_ptr_array_new_with_free_func (g_free);
  GListModel *queue = G_LIST_MODEL (desk_window_get_queue_model (window));
  g_autoptr(GObject) item = g_list_model_get_item (queue, 0);
  gboolean shown = FALSE;
  gulong handler;
  int status = -1;
  guchar *pixels;
  int stride, channels;

  handler = g_signal_connect (window, "entry-shown", G_CALLBACK (on_entry_shown), &shown);
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-entry",
                                  g_variant_new_string (desk_queue_item_get_id (DESK_QUEUE_ITEM (item))));
  g_assert_true (wait_until (flag_cond, &shown, 20000));
  g_signal_handler_disconnect (window, handler);
  spin (1500);

  collect_english (GTK_WIDGET (window), english);
  for (guint i = 0; i < english->len; i++)
    g_test_message ("untranslated on screen: %s", (char *) g_ptr_array_index (english, i));
  g_assert_cmpuint (english->len, ==, 0);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  pixbuf = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  for (int y = 0; y < MIN (800, gdk_pixbuf_get_height (pixbuf)); y += 2)
    for (int x = 0; x < MIN (1280, gdk_pixbuf_get_width (pixbuf)); x += 2)
      {
        guchar *p = pixels + y * stride + x * channels;
        g_hash_table_add (colors, GUINT_TO_POINTER ((p[0] << 16) | (p[1] << 8) | p[2]));
      }
  g_test_message ("screenshot %s: %u colours", path, g_hash_table_size (colors));
  g_assert_cmpuint (g_hash_table_size (colors), >, 200);
}

/* ---- main ---------------------------------------------------------------------------- */

static gboolean
app_ready_cond (gpointer data)
{
  return desk_application_get_ready (app);
}

static gboolean
queue_has_items (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (desk_window_get_queue_model (window))) > 0;
}

static int test_status = 1;

static gboolean
run_tests_idle (gpointer data)
{
  window = DESK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (wait_until (app_ready_cond, NULL, 30000));
  g_assert_true (wait_until (queue_has_items, NULL, 30000));
  test_status = g_test_run ();
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *application)
{
  g_idle_add (run_tests_idle, NULL);
}

/* ja_JP.UTF-8 as an editor's machine has it; where the system lacks it,
 * compiled from glibc's sources into a directory of our own (LOCPATH). */
static char *
ensure_japanese_locale (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *target = NULL;
  g_autofree char *command = NULL;
  int status = -1;

  if (setlocale (LC_ALL, "ja_JP.UTF-8") != NULL)
    return NULL;
  dir = g_dir_make_tmp ("desk-locale-XXXXXX", NULL);
  g_assert_nonnull (dir);
  target = g_build_filename (dir, "ja_JP.UTF-8", NULL);
  command = g_strdup_printf ("localedef -i ja_JP -f UTF-8 %s", target);
  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    return NULL;
  g_setenv ("LOCPATH", dir, TRUE);
  return g_steal_pointer (&dir);
}

int
main (int argc, char *argv[])
{
  char *app_argv[] = { (char *) "digest-desk", (char *) "--demo", (char *) "--demo-interval",
                       (char *) "3600", NULL };
  g_autofree char *locale_dir = NULL;
  g_autofree char *made = NULL;

  g_test_init (&argc, &argv, NULL);
  if (gdk_display_open (NULL) == NULL && g_getenv ("DISPLAY") == NULL)
    {
      if (g_getenv ("DESK_TESTS_STRICT"))
        g_error ("no display");
      return 77;
    }

  /* The user's settings: LANG alone says Japanese. */
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_unsetenv ("LANGUAGE");
  g_setenv ("LANG", "ja_JP.UTF-8", TRUE);
  made = ensure_japanese_locale ();
  if (setlocale (LC_ALL, "") == NULL || g_strcmp0 (setlocale (LC_MESSAGES, NULL), "ja_JP.UTF-8") != 0)
    {
      if (g_getenv ("DESK_TESTS_STRICT"))
        g_error ("the ja_JP.UTF-8 locale is neither installed nor can be made with localedef");
      g_test_skip ("no ja_JP.UTF-8 locale");
      return 77;
    }
  /* As src/main.c does from the build tree. */
  locale_dir = g_build_filename (g_getenv ("DESK_BUILD_DIR"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  catalog = read_catalog ();

  g_test_add_func ("/ja/locale", test_locale);
  g_test_add_func ("/ja/header-and-menu", test_header_and_menu);
  g_test_add_func ("/ja/screenshot", test_screenshot);

  app = desk_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  g_application_run (G_APPLICATION (app), 4, app_argv);
  g_clear_object (&app);
  g_clear_pointer (&catalog, g_hash_table_unref);
  if (made != NULL)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf %s", made);
      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  return test_status;
}
