/* desk-app-main.c: digest-desk, the editors' workstation, once its launcher (main.c) has loaded it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-application.h"

/* The launcher's (main.c) way in. */
int desk_app_main (int   argc,
                   char *argv[]);

int
desk_app_main (int   argc,
               char *argv[])
{
  g_autoptr(DeskApplication) app = NULL;

  /* The launcher has set the locale and the translations up. */
  g_set_application_name (_("Digest Desk"));
  app = desk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
