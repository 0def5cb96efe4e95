/* desk-app-main.c: digest-desk, the editors' workstation, once its launcher has loaded it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "desk-application.h"

/* Run from the build tree, the translations are the ones built there. */
static const char *
locale_dir (void)
{
  static char *dir;
  g_autofree char *exe = NULL;
  g_autofree char *exe_dir = NULL;
  g_autofree char *private = NULL;

  if (dir != NULL)
    return dir;
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      exe_dir = g_path_get_dirname (exe);
      private = g_build_filename (exe_dir, "..", "meson-private", NULL);
      if (g_file_test (private, G_FILE_TEST_IS_DIR))
        dir = g_build_filename (exe_dir, "..", "po", NULL);
    }
  if (dir == NULL)
    dir = g_strdup (LOCALEDIR);
  return dir;
}

/* The launcher's (main.c) way in. */
int desk_app_main (int   argc,
                   char *argv[]);

int
desk_app_main (int   argc,
               char *argv[])
{
  g_autoptr(DeskApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Digest Desk"));
  app = desk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
