/* preview-test-util.c: what the preview tests share: a loopback server that counts, bounded waits, views in windows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "preview-test-util.h"

#define STEP_TIMEOUT_MS 15000

static void
server_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  const char *type = "text/html";
  const char *body;

  /* What a page would get if anything got through: every answer tries to
   * change the title and to come back for more. */
  if (g_str_has_suffix (path, ".js"))
    {
      type = "application/javascript";
      body = "document.title = 'PWNED-script-src'; fetch('/from-script-src');";
    }
  else if (g_str_has_suffix (path, ".css"))
    {
      type = "text/css";
      body = "body { background: url(/from-css.png); }";
    }
  else
    body = "<!DOCTYPE html><title>PWNED-page</title>"
           "<script>parent.document.title = 'PWNED-frame'; fetch('/from-frame');</script>"
           "<img src=/from-page.png>";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_STATIC, body, strlen (body));
}

/* Counted as soon as a request begins, before its head is even read; its
 * method and path are logged once they are known. */
static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    CountingServer    *self)
{
  self->requests++;
}

static void
on_request_read (SoupServer        *server,
                 SoupServerMessage *msg,
                 CountingServer    *self)
{
  GUri *uri = soup_server_message_get_uri (msg);

  g_ptr_array_add (self->paths, g_strdup_printf ("%s %s", soup_server_message_get_method (msg),
                                                 uri != NULL ? g_uri_get_path (uri) : "?"));
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             CountingServer    *self)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GError) error = NULL;

  self->connections++;

  local = g_socket_connection_get_local_address (connection, NULL);
  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, &error))
    g_printerr ("# counting server: %s\n", error->message);

  return TRUE;
}

CountingServer *
counting_server_new (void)
{
  CountingServer *self = g_new0 (CountingServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  self->paths = g_ptr_array_new_with_free_func (g_free);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, server_handler, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->server, "request-read", G_CALLBACK (on_request_read), self);

  self->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);

  return self;
}

void
counting_server_free (CountingServer *self)
{
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_ptr_array_unref (self->paths);
  g_free (self);
}

char *
counting_server_paths (CountingServer *self)
{
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint i = 0; i < self->paths->len; i++)
    g_string_append_printf (all, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (self->paths, i));

  return g_string_free (g_steal_pointer (&all), FALSE);
}

static gboolean
timed_out_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
preview_wait_until (gboolean   (*condition) (gpointer data),
                    gpointer     data,
                    guint        timeout_ms,
                    const char  *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %u ms waiting for %s", timeout_ms, what);

  g_source_remove (id);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

void
preview_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

DeskWebView *
preview_view_new (DeskWebViewGuards   guards,
                  GtkWindow         **window_out)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *view = desk_web_view_new_with_guards (guards);

  gtk_window_set_default_size (window, 800, 600);
  gtk_window_set_decorated (window, FALSE);
  gtk_window_set_child (window, view);
  gtk_window_present (window);

  *window_out = window;
  return DESK_WEB_VIEW (view);
}

void
preview_window_destroy (GtkWindow *window)
{
  gtk_window_destroy (window);
  /* Let WebKit tear its processes down before the next test. */
  preview_spin (50);
}

static void
on_content_shown (DeskWebView *view,
                  gboolean    *shown)
{
  *shown = TRUE;
}

void
preview_show_html (DeskWebView *view,
                   const char  *html,
                   gboolean     keep_scroll)
{
  gboolean shown = FALSE;
  gulong id = g_signal_connect (view, "content-shown", G_CALLBACK (on_content_shown), &shown);

  desk_web_view_set_html (view, html, keep_scroll);
  preview_wait_until (is_true, &shown, STEP_TIMEOUT_MS, "content-shown");
  g_signal_handler_disconnect (view, id);
}

typedef struct {
  GAsyncResult *result;
} Waiter;

static gboolean
has_result (gpointer data)
{
  return ((Waiter *) data)->result != NULL;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ((Waiter *) user_data)->result = g_object_ref (result);
}

char *
preview_get_text (DeskWebView     *view,
                  DeskWebViewText  what)
{
  Waiter waiter = { NULL };
  g_autoptr(GError) error = NULL;
  char *text;

  desk_web_view_get_text_async (view, what, NULL, store_result_cb, &waiter);
  preview_wait_until (has_result, &waiter, STEP_TIMEOUT_MS, "the view's text");
  text = desk_web_view_get_text_finish (view, waiter.result, &error);
  g_assert_no_error (error);
  g_object_unref (waiter.result);

  return text;
}

double
preview_get_scroll_y (DeskWebView *view)
{
  Waiter waiter = { NULL };
  g_autoptr(GError) error = NULL;
  double y = -1;

  desk_web_view_get_scroll_y_async (view, NULL, store_result_cb, &waiter);
  preview_wait_until (has_result, &waiter, STEP_TIMEOUT_MS, "the view's scroll position");
  g_assert_true (desk_web_view_get_scroll_y_finish (view, waiter.result, &y, &error));
  g_assert_no_error (error);
  g_object_unref (waiter.result);

  return y;
}

JSCValue *
preview_eval (DeskWebView *view,
              const char  *script)
{
  Waiter waiter = { NULL };
  g_autoptr(GError) error = NULL;
  JSCValue *value;

  webkit_web_view_evaluate_javascript (WEBKIT_WEB_VIEW (view), script, -1, NULL, NULL, NULL,
                                       store_result_cb, &waiter);
  preview_wait_until (has_result, &waiter, STEP_TIMEOUT_MS, "a test script");
  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (view), waiter.result, &error);
  g_assert_no_error (error);
  g_object_unref (waiter.result);

  return value;
}

void
preview_run (DeskWebView *view,
             const char  *script)
{
  g_autofree char *wrapped = g_strdup_printf ("%s; true", script);
  g_autoptr(JSCValue) value = preview_eval (view, wrapped);

  g_assert_true (jsc_value_to_boolean (value));
}

char *
preview_with_port (const char *template,
                   guint16     port)
{
  g_autofree char *number = g_strdup_printf ("%u", port);
  g_auto(GStrv) parts = g_strsplit (template, "@PORT@", -1);

  return g_strjoinv (number, parts);
}
