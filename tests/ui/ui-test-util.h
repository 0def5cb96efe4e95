/* ui-test-util.h: waiting on the main loop and finding widgets, shared by the UI tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

/* Sets the gboolean at @data: a timeout's callback. */
static inline gboolean
timeout_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The gboolean at @data, as a wait_until() condition. */
static inline gboolean
flag_cond (gpointer data)
{
  return *(gboolean *) data;
}

/* Iterates the main loop until @cond returns TRUE or @ms pass. */
static inline gboolean
wait_until (gboolean (*cond) (gpointer), gpointer data, guint ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (ms, timeout_flag_cb, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return cond (data);
}

/* Iterates the main loop for @ms. */
static inline void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The widget under @widget (itself included) whose .ui id is @id, or NULL. */
static inline GtkWidget *
find_by_id (GtkWidget  *widget,
            const char *id)
{
  if (GTK_IS_BUILDABLE (widget) && g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_id (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Runs @app with @argv and, once it is activated, the tests registered
 * with g_test_add_func (); returns g_test_run ()'s status, 1 if the app
 * never activated. */
typedef struct {
  GApplication *app;
  int           status;
} UiTestRun;

static inline gboolean
ui_test_run_idle (gpointer data)
{
  UiTestRun *run = data;

  run->status = g_test_run ();
  g_application_quit (run->app);
  return G_SOURCE_REMOVE;
}

static inline void
ui_test_activated (GApplication *app,
                   UiTestRun    *run)
{
  g_idle_add (ui_test_run_idle, run);
}

static inline int
ui_test_run_app (GApplication *app,
                 int           argc,
                 char        **argv)
{
  UiTestRun run = { app, 1 };
  gulong handler = g_signal_connect_after (app, "activate", G_CALLBACK (ui_test_activated), &run);

  g_application_run (app, argc, argv);
  g_signal_handler_disconnect (app, handler);
  return run.status;
}

/* The same, for the app on the store at @store_path with a site where
 * nothing listens (port 9): what it shows comes from the store. */
static inline int
ui_test_run_app_offline (GApplication *app,
                         const char   *store_path)
{
  g_autofree char *store_arg = g_strconcat ("--store=", store_path, NULL);
  char *argv[] = { (char *) "digest-desk", store_arg, (char *) "--site=http://127.0.0.1:9/", NULL };

  return ui_test_run_app (app, 3, argv);
}
