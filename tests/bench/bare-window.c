/* bare-window.c: a bare GTK window, the baseline of the startup benchmark
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gtk/gtk.h>

static gboolean done;

static void
after_paint (GdkFrameClock *clock,
             gpointer       user_data)
{
  if (done)
    return;
  done = TRUE;
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
}

static void
mapped (GtkWidget *window,
        gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint), NULL);
}

int
main (int   argc,
      char *argv[])
{
  GtkWidget *window;

  gtk_init ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Digest Desk"));
  g_signal_connect (window, "map", G_CALLBACK (mapped), NULL);
  gtk_window_present (GTK_WINDOW (window));
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
