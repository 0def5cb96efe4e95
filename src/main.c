/* main.c: digest-desk's launcher
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application itself is a module, libdigest-desk-app.so, linked with
 * the libraries only it uses: libadwaita, libsoup, sqlite, json-glib,
 * libxml2, cmark, libsecret and GtkSourceView. Linked into the program,
 * they cost every start 4 to 6 ms before main (), and they made each
 * symbol lookup of the GL driver that GTK loads at start slower (the
 * driver's lookups go through every library the program links).
 *
 * So the program links GTK alone. A thread loads and links the module
 * while the main thread opens the display and makes GTK's settings, which
 * the application's start would do first anyway (with libadwaita's empty
 * theme: desk-empty-theme.h), and then the module runs. Loaded with
 * RTLD_LOCAL, its libraries stay out of the lookups of what is loaded
 * later.
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <gmodule.h>
#include <gtk/gtk.h>

#include "desk-empty-theme.h"
#include "desk-trace.h"

#define APP_MODULE "libdigest-desk-app.so"
#define APP_MAIN   "desk_app_main"

typedef int (*DeskAppMain) (int argc, char *argv[]);

typedef struct {
  const char *program_dir;  /* NULL if unknown */
  GString    *errors;
} AppLoad;

/* Run from the build tree, the translations are the ones built there. */
static char *
locale_dir (const char *program_dir)
{
  g_autofree char *private = NULL;

  if (program_dir == NULL)
    return g_strdup (LOCALEDIR);
  private = g_build_filename (program_dir, "..", "meson-private", NULL);
  if (!g_file_test (private, G_FILE_TEST_IS_DIR))
    return g_strdup (LOCALEDIR);
  return g_build_filename (program_dir, "..", "po", NULL);
}

/* Where the module is: beside the program in the build tree, else where
 * it is installed. */
static gpointer
load_app (gpointer data)
{
  AppLoad *load = data;
  g_autofree char *beside = NULL;
  const char *candidates[2];

  if (load->program_dir != NULL)
    beside = g_build_filename (load->program_dir, APP_MODULE, NULL);
  candidates[0] = beside;
  candidates[1] = PKGLIBDIR "/" APP_MODULE;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      GModule *module;
      gpointer symbol = NULL;

      if (candidates[i] == NULL || !g_file_test (candidates[i], G_FILE_TEST_EXISTS))
        continue;
      /* Linked now, in this thread, not symbol by symbol on the main one. */
      module = g_module_open (candidates[i], G_MODULE_BIND_LOCAL);
      if (module != NULL && g_module_symbol (module, APP_MAIN, &symbol) && symbol != NULL)
        {
          g_module_make_resident (module);
          return symbol;
        }
      g_string_append_printf (load->errors, "%s%s", load->errors->len > 0 ? "; " : "",
                              module == NULL ? g_module_error () : candidates[i]);
      if (module != NULL)
        g_module_close (module);
    }
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *exe = NULL;
  g_autofree char *program_dir = NULL;
  g_autofree char *translations = NULL;
  g_autoptr(GString) errors = g_string_new (NULL);
  AppLoad load;
  GThread *loader;
  DeskAppMain app_main;
  gboolean empty_theme;

  desk_trace ("main");
  exe = g_file_read_link ("/proc/self/exe", NULL);
  program_dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  translations = locale_dir (program_dir);
  load.program_dir = program_dir;
  load.errors = errors;
  /* Before any thread: neither the locale nor the environment is safe to
   * change beside one. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, translations);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  empty_theme = desk_empty_theme_begin ();
  loader = g_thread_new ("desk-load", load_app, &load);
  /* Without a display this returns FALSE, and the application says so
   * itself when it needs one. */
  if (gtk_init_check ())
    gtk_settings_get_default ();
  app_main = (DeskAppMain) g_thread_join (loader);
  desk_empty_theme_end (empty_theme);
  desk_trace ("app-loaded");
  if (app_main == NULL)
    {
      if (errors->len == 0)
        /* Translators: the module's file name, then two folders */
        g_string_printf (errors, _("%s is neither in %s nor in %s"), APP_MODULE,
                         program_dir != NULL ? program_dir : "?", PKGLIBDIR);
      /* Translators: %s lists the files tried, or the loader's message */
      g_printerr (_("Digest Desk cannot start: its application module could not be loaded (%s)"), errors->str);
      g_printerr ("\n");
      return 1;
    }
  return app_main (argc, argv);
}
