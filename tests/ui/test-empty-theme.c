/* test-empty-theme.c: GTK's first style sheet is libadwaita's empty one, and a user's GTK_THEME stays
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case runs in its own process: GTK makes its settings once.
 * "theme_bg_color" is defined by GTK's own style sheet (and, for older
 * apps, by libadwaita's), "accent_bg_color" by libadwaita's only.
 */
#include "config.h"

#include <adwaita.h>

#include "desk-empty-theme.h"

static gboolean
color_defined (const char *name)
{
  g_autoptr(GtkWidget) label = g_object_ref_sink (gtk_label_new (NULL));
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  return gtk_style_context_lookup_color (gtk_widget_get_style_context (label), name, &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* The launcher's order: begin, the display and the settings, end. */
static gboolean
start_as_launcher (void)
{
  gboolean began = desk_empty_theme_begin ();

  g_assert_true (gtk_init_check ());
  gtk_settings_get_default ();
  desk_empty_theme_end (began);
  return began;
}

static void
first_theme_empty (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *name = NULL;

      g_unsetenv ("GTK_THEME");
      g_assert_true (start_as_launcher ());
      /* Nothing started later inherits it. */
      g_assert_null (g_getenv ("GTK_THEME"));
      /* GTK did not parse its own style sheet. */
      g_assert_false (color_defined ("theme_bg_color"));

      /* libadwaita sets the empty theme and loads its style sheet. */
      adw_init ();
      g_object_get (gtk_settings_get_default (), "gtk-theme-name", &name, NULL);
      g_assert_cmpstr (name, ==, "Adwaita-empty");
      g_assert_true (color_defined ("accent_bg_color"));
      g_assert_false (desk_empty_theme_settle (gtk_settings_get_default ()));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
user_theme_kept (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("GTK_THEME", "Default", TRUE);
      g_assert_false (start_as_launcher ());
      g_assert_cmpstr (g_getenv ("GTK_THEME"), ==, "Default");
      g_assert_true (color_defined ("theme_bg_color"));
      g_assert_false (desk_empty_theme_settle (gtk_settings_get_default ()));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Where libadwaita leaves the theme alone, the named one is loaded after all. */
static void
named_theme_when_not_emptied (void)
{
  if (g_test_subprocess ())
    {
      g_unsetenv ("GTK_THEME");
      g_assert_true (start_as_launcher ());
      g_assert_false (color_defined ("theme_bg_color"));
      g_assert_true (desk_empty_theme_settle (gtk_settings_get_default ()));
      g_assert_true (color_defined ("theme_bg_color"));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      if (g_getenv ("DESK_TESTS_STRICT"))
        g_error ("no display");
      g_test_skip ("no display");
      return 77;
    }
  g_test_add_func ("/empty-theme/first-theme-empty", first_theme_empty);
  g_test_add_func ("/empty-theme/user-theme-kept", user_theme_kept);
  g_test_add_func ("/empty-theme/named-theme-when-not-emptied", named_theme_when_not_emptied);
  return g_test_run ();
}
