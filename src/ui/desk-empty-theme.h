/* desk-empty-theme.h: GTK's first style sheet, the empty one libadwaita uses
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When GTK makes its settings it loads the theme they name, GTK's own
 * Adwaita style sheet unless the desktop names another: 10 ms of parsing
 * at every start. libadwaita then sets the theme to its empty one,
 * "Adwaita-empty", and loads its own style sheet, so in an app that uses
 * libadwaita that first parse is thrown away.
 *
 * GTK_THEME, when set, names the theme GTK loads. The launcher (main.c)
 * sets it to "Adwaita-empty" before it starts any thread, has GTK make
 * its settings, and unsets it again before the application runs: nothing
 * it starts inherits it, and libadwaita, which leaves the theme alone when
 * GTK_THEME is set, finds it unset and sets the empty theme itself. A
 * GTK_THEME the user set is left as it is.
 *
 * If libadwaita did not set the empty theme (it does not beside
 * elementary's Granite), desk_empty_theme_settle () has GTK load the
 * theme its settings name after all.
 */
#pragma once

#include <gtk/gtk.h>

#define DESK_EMPTY_THEME "Adwaita-empty"

/* Returns whether it set GTK_THEME, for desk_empty_theme_end (). */
static inline gboolean
desk_empty_theme_begin (void)
{
  if (g_getenv ("GTK_THEME") != NULL)
    return FALSE;
  return g_setenv ("GTK_THEME", DESK_EMPTY_THEME, TRUE);
}

static inline void
desk_empty_theme_end (gboolean began)
{
  if (began)
    g_unsetenv ("GTK_THEME");
}

/* After libadwaita's start: whether GTK had to load the named theme. */
static inline gboolean
desk_empty_theme_settle (GtkSettings *settings)
{
  g_autofree char *name = NULL;

  if (settings == NULL || g_getenv ("GTK_THEME") != NULL)
    return FALSE;
  g_object_get (settings, "gtk-theme-name", &name, NULL);
  if (g_strcmp0 (name, DESK_EMPTY_THEME) == 0)
    return FALSE;
  /* GtkSettings loads its theme again whenever the name is notified. */
  g_object_notify (G_OBJECT (settings), "gtk-theme-name");
  return TRUE;
}
