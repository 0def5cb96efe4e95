/* test-web-view-isolation.c: a hostile original, shown raw, reaches nothing, runs nothing, navigates nowhere
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <gdk/x11/gdkx.h>

#include "preview-test-util.h"

/* Long enough for timers, meta refresh, fonts and media to have had their go. */
#define SETTLE_MS 1500

/* build-aux/run-tests provides everything these checks need and sets
 * DESK_TESTS_STRICT, so there a missing piece is a failure, not a skip. */
static void
skip_or_fail (const char *why)
{
  if (g_getenv ("DESK_TESTS_STRICT") != NULL)
    {
      g_test_message ("%s", why);
      g_test_fail ();
    }
  else
    g_test_skip (why);
}

/* Every way a page has to load something, run something or go somewhere.
 * Each attempt at a script tries to change the title; each request names
 * what made it. Written for this test; @PORT@ is the counting server. */
static const char hostile_page[] =
  "<!DOCTYPE html>\n"
  "<html><head>\n"
  "<meta charset=\"utf-8\">\n"
  "<title>Original</title>\n"
  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src * 'unsafe-inline' 'unsafe-eval' data: blob:\">\n"
  "<meta http-equiv=\"refresh\" content=\"0;url=http://127.0.0.1:@PORT@/refresh\">\n"
  "<link rel=\"stylesheet\" href=\"http://127.0.0.1:@PORT@/link-stylesheet.css\">\n"
  "<link rel=\"prefetch\" href=\"http://127.0.0.1:@PORT@/link-prefetch\">\n"
  "<link rel=\"preload\" href=\"http://127.0.0.1:@PORT@/link-preload.js\" as=\"script\">\n"
  "<link rel=\"preload\" href=\"http://127.0.0.1:@PORT@/link-preload-font.woff2\" as=\"font\" crossorigin>\n"
  "<link rel=\"dns-prefetch\" href=\"http://127.0.0.1:@PORT@/\">\n"
  "<link rel=\"preconnect\" href=\"http://127.0.0.1:@PORT@/\">\n"
  "<link rel=\"modulepreload\" href=\"http://127.0.0.1:@PORT@/link-modulepreload.js\">\n"
  "<link rel=\"icon\" href=\"http://127.0.0.1:@PORT@/link-icon.png\">\n"
  "<link rel=\"manifest\" href=\"http://127.0.0.1:@PORT@/link-manifest.json\">\n"
  "<style>\n"
  "@import url(http://127.0.0.1:@PORT@/style-import.css);\n"
  "@font-face { font-family: Hostile; src: url(http://127.0.0.1:@PORT@/style-font-face.woff); }\n"
  "body { font-family: Hostile; background-image: url(http://127.0.0.1:@PORT@/style-background.png); }\n"
  "p::after { content: url(http://127.0.0.1:@PORT@/style-content.png); }\n"
  "li { list-style-image: url(http://127.0.0.1:@PORT@/style-list.png); cursor: url(http://127.0.0.1:@PORT@/style-cursor.png), auto; }\n"
  "</style>\n"
  "<script src=\"http://127.0.0.1:@PORT@/script-src.js\"></script>\n"
  "<script type=\"module\" src=\"http://127.0.0.1:@PORT@/script-module.js\"></script>\n"
  "<script>\n"
  "document.title = 'PWNED-inline';\n"
  "fetch('http://127.0.0.1:@PORT@/script-fetch');\n"
  "var x = new XMLHttpRequest(); x.open('GET', 'http://127.0.0.1:@PORT@/script-xhr'); x.send();\n"
  "new Image().src = 'http://127.0.0.1:@PORT@/script-image';\n"
  "try { new WebSocket('ws://127.0.0.1:@PORT@/script-websocket'); } catch (e) {}\n"
  "try { new EventSource('http://127.0.0.1:@PORT@/script-eventsource'); } catch (e) {}\n"
  "try { navigator.sendBeacon('http://127.0.0.1:@PORT@/script-beacon', 'x'); } catch (e) {}\n"
  "try { new Worker('http://127.0.0.1:@PORT@/script-worker.js'); } catch (e) {}\n"
  "try { window.open('http://127.0.0.1:@PORT@/script-window-open'); } catch (e) {}\n"
  "try { var b = URL.createObjectURL(new Blob(['<script>top.document.title=\"PWNED-blob\"<\\/script>'], {type: 'text/html'}));\n"
  "      var bf = document.createElement('iframe'); bf.src = b; document.documentElement.appendChild(bf); } catch (e) {}\n"
  "document.addEventListener('DOMContentLoaded', function () {\n"
  "  document.body.insertAdjacentText('beforeend', 'SCRIPT-RAN');\n"
  "  document.getElementById('form').submit();\n"
  "});\n"
  "setTimeout(function () { location.href = 'http://127.0.0.1:@PORT@/script-location'; }, 300);\n"
  "</script>\n"
  "<base href=\"http://127.0.0.1:@PORT@/base/\">\n"
  "</head>\n"
  "<body onload=\"document.title = 'PWNED-onload'; fetch('http://127.0.0.1:@PORT@/body-onload')\">\n"
  "<p>ORIGINAL-BODY</p>\n"
  "<img src=\"x\" onerror=\"document.title = 'PWNED-onerror'; fetch('http://127.0.0.1:@PORT@/img-onerror')\">\n"
  "<img src=\"relative-to-base.png\">\n"
  "<img src=\"http://127.0.0.1:@PORT@/img-src.png\">\n"
  "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" srcset=\"http://127.0.0.1:@PORT@/img-srcset.png 2x, http://127.0.0.1:@PORT@/img-srcset-1.png 1x\">\n"
  "<picture><source srcset=\"http://127.0.0.1:@PORT@/picture-source.png\"><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"></picture>\n"
  "<img src=\"http://127.0.0.1:@PORT@/img-lazy.png\" loading=\"lazy\">\n"
  "<div style=\"background: url(http://127.0.0.1:@PORT@/style-attribute.png)\">styled</div>\n"
  "<div style=\"background-image: image-set(url(http://127.0.0.1:@PORT@/style-image-set.png) 1x)\">image-set</div>\n"
  "<ul><li>item</li></ul>\n"
  "<iframe src=\"http://127.0.0.1:@PORT@/iframe\"></iframe>\n"
  "<iframe srcdoc=\"&lt;script&gt;top.document.title='PWNED-srcdoc'&lt;/script&gt;&lt;img src=http://127.0.0.1:@PORT@/iframe-srcdoc.png&gt;\"></iframe>\n"
  "<iframe src=\"data:text/html,&lt;script&gt;top.document.title='PWNED-data-frame'&lt;/script&gt;&lt;img src=http://127.0.0.1:@PORT@/iframe-data.png&gt;\"></iframe>\n"
  "<iframe src=\"javascript:top.document.title='PWNED-js-frame'\"></iframe>\n"
  "<object data=\"http://127.0.0.1:@PORT@/object.svg\" type=\"image/svg+xml\"></object>\n"
  "<object data=\"http://127.0.0.1:@PORT@/object.html\"></object>\n"
  "<embed src=\"http://127.0.0.1:@PORT@/embed.svg\" type=\"image/svg+xml\">\n"
  "<form id=\"form\" action=\"http://127.0.0.1:@PORT@/form-post\" method=\"post\"><input name=\"q\" value=\"x\"><input type=\"submit\" id=\"submit\"></form>\n"
  "<form action=\"http://127.0.0.1:@PORT@/form-get\"><input type=\"image\" src=\"http://127.0.0.1:@PORT@/input-image.png\"></form>\n"
  "<a id=\"js\" href=\"javascript:document.title = 'PWNED-js-link'\">javascript link</a>\n"
  "<a id=\"file\" href=\"file:///etc/passwd\">file link</a>\n"
  "<a id=\"data\" href=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\">data link</a>\n"
  "<a id=\"blob\" href=\"blob:http://127.0.0.1:@PORT@/00000000-0000-0000-0000-000000000000\">blob link</a>\n"
  "<a id=\"ext\" href=\"http://127.0.0.1:@PORT@/link-click\" ping=\"http://127.0.0.1:@PORT@/link-ping\">web link</a>\n"
  "<a id=\"blank\" href=\"http://127.0.0.1:@PORT@/link-target-blank\" target=\"_blank\">new window link</a>\n"
  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"20\"><script>document.title = 'PWNED-svg'; fetch('http://127.0.0.1:@PORT@/svg-script');</script>"
  "<image href=\"http://127.0.0.1:@PORT@/svg-image.png\" width=\"10\" height=\"10\"/>"
  "<a href=\"javascript:document.title='PWNED-svg-link'\"><text y=\"15\">s</text></a></svg>\n"
  "<img src=\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3Cscript%3Efetch('http://127.0.0.1:@PORT@/svg-data-img')%3C/script%3E%3Cimage href='http://127.0.0.1:@PORT@/svg-data-image.png'/%3E%3C/svg%3E\">\n"
  "<video poster=\"http://127.0.0.1:@PORT@/video-poster.png\" src=\"http://127.0.0.1:@PORT@/video.mp4\" autoplay muted></video>\n"
  "<video autoplay muted><source src=\"http://127.0.0.1:@PORT@/video-source.webm\"><track src=\"http://127.0.0.1:@PORT@/video-track.vtt\" default></video>\n"
  "<audio src=\"http://127.0.0.1:@PORT@/audio.mp3\" autoplay></audio>\n"
  "<noscript><img src=\"http://127.0.0.1:@PORT@/noscript-img.png\"></noscript>\n"
  "<table background=\"http://127.0.0.1:@PORT@/table-background.png\"><tr><td>cell</td></tr></table>\n"
  "<math><mi xlink:href=\"javascript:document.title='PWNED-math'\">m</mi></math>\n"
  "</body></html>\n";

static const char clickable_page[] =
  "<!DOCTYPE html><title>Links</title>"
  "<style>html, body { margin: 0; height: 100%; } a { display: block; height: 50%; }</style>"
  "<a id=\"top\" href=\"@TOP@\">top half</a>"
  "<a id=\"bottom\" href=\"@BOTTOM@\">bottom half</a>";

typedef struct {
  GPtrArray *uris;
} LinkLog;

static gboolean
on_open_link (DeskWebView *view,
              const char  *uri,
              LinkLog     *log)
{
  g_ptr_array_add (log->uris, g_strdup (uri));
  /* handled: the default handler would start a browser */
  return TRUE;
}

static void
assert_no_request (CountingServer *server,
                   const char     *when)
{
  if (server->requests != 0 || server->connections != 0)
    {
      g_autofree char *paths = counting_server_paths (server);

      g_error ("%s: %u connections, %u requests reached the server: %s",
               when, server->connections, server->requests, paths);
    }
}

static void
assert_untouched (DeskWebView *view)
{
  g_autofree char *title = preview_get_text (view, DESK_WEB_VIEW_TEXT_TITLE);
  g_autofree char *body = preview_get_text (view, DESK_WEB_VIEW_TEXT_BODY);

  g_assert_cmpstr (title, ==, "Original");
  g_assert_nonnull (strstr (body, "ORIGINAL-BODY"));
  g_assert_null (strstr (body, "SCRIPT-RAN"));
  g_assert_cmpstr (webkit_web_view_get_uri (WEBKIT_WEB_VIEW (view)), ==, DESK_WEB_VIEW_BASE_URI);
}

/* The application's view: nothing leaves, nothing runs, nothing moves —
 * not by itself, and not when the application's own script clicks every
 * link (WebKit counts that as a user gesture; the view must not). */
static void
test_all_guards (void)
{
  g_autoptr(CountingServer) server = counting_server_new ();
  g_autofree char *page = preview_with_port (hostile_page, server->port);
  LinkLog log = { g_ptr_array_new_with_free_func (g_free) };
  const char *ids[] = { "ext", "blank", "js", "file", "data", "blob", "submit" };
  GtkWindow *window;
  DeskWebView *view = preview_view_new (DESK_WEB_VIEW_GUARD_ALL, &window);

  g_signal_connect (view, "open-link", G_CALLBACK (on_open_link), &log);

  preview_show_html (view, page, FALSE);
  preview_spin (SETTLE_MS);
  assert_no_request (server, "after loading");
  assert_untouched (view);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *script = g_strdup_printf ("document.getElementById('%s').click(); true", ids[i]);
      g_autoptr(JSCValue) value = preview_eval (view, script);

      g_assert_true (jsc_value_to_boolean (value));
    }
  preview_spin (SETTLE_MS);

  g_assert_cmpuint (log.uris->len, ==, 0);
  assert_no_request (server, "after the programmatic clicks");
  assert_untouched (view);

  /* Scroll to the bottom, where lazy images would load. */
  preview_run (view, "window.scrollTo(0, 1e6)");
  preview_spin (500);
  assert_no_request (server, "after scrolling");

  preview_window_destroy (window);
  g_ptr_array_unref (log.uris);
}

/* Each layer alone, with page scripts running: the filter, the CSP. */
static void
test_one_guard (gconstpointer data)
{
  DeskWebViewGuards guards = GPOINTER_TO_UINT (data);
  g_autoptr(CountingServer) server = counting_server_new ();
  g_autofree char *page = preview_with_port (hostile_page, server->port);
  GtkWindow *window;
  DeskWebView *view = preview_view_new (guards, &window);

  preview_show_html (view, page, FALSE);
  preview_spin (SETTLE_MS);
  assert_no_request (server, "with a single guard");
  g_assert_cmpstr (webkit_web_view_get_uri (WEBKIT_WEB_VIEW (view)), ==, DESK_WEB_VIEW_BASE_URI);

  preview_window_destroy (window);
}

/* The control: with every guard but decide-policy off, the same page does
 * reach the server and does run — so the zeros above mean something. */
static void
test_no_guard (void)
{
  g_autoptr(CountingServer) server = counting_server_new ();
  g_autofree char *page = preview_with_port (hostile_page, server->port);
  g_autofree char *title = NULL;
  g_autofree char *paths = NULL;
  GtkWindow *window;
  DeskWebView *view = preview_view_new (DESK_WEB_VIEW_GUARD_NONE, &window);

  preview_show_html (view, page, FALSE);
  preview_spin (SETTLE_MS);

  paths = counting_server_paths (server);
  g_test_message ("unguarded: %u connections, %u requests: %s",
                  server->connections, server->requests, paths);
  g_assert_cmpuint (server->requests, >=, 10);
  g_assert_nonnull (strstr (paths, "/script-fetch"));
  g_assert_nonnull (strstr (paths, "/img-src.png"));
  g_assert_nonnull (strstr (paths, "/style-import.css"));

  title = preview_get_text (view, DESK_WEB_VIEW_TEXT_TITLE);
  g_assert_true (g_str_has_prefix (title, "PWNED-"));
  /* decide-policy still holds without the other guards */
  g_assert_cmpstr (webkit_web_view_get_uri (WEBKIT_WEB_VIEW (view)), ==, DESK_WEB_VIEW_BASE_URI);

  preview_window_destroy (window);
}

static gboolean
has_uris (gpointer data)
{
  LinkLog *log = data;

  return log->uris->len > 0;
}

static void
xdotool (const char *command_line)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_command_line_sync (command_line, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Real input under Xvfb: a click, a middle click and Enter on a focused
 * link hand an http(s) URI to open-link, and the view stays where it is;
 * a click on a javascript: link does nothing at all. */
static void
test_user_activation (void)
{
  g_autoptr(CountingServer) server = counting_server_new ();
  g_autofree char *web = g_strdup_printf ("http://127.0.0.1:%u/clicked", server->port);
  g_autofree char *page = NULL;
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  LinkLog log = { g_ptr_array_new_with_free_func (g_free) };
  GtkWindow *window;
  DeskWebView *view;
  g_auto(GStrv) parts = NULL;
  gulong xid;

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()) || xdotool_path == NULL)
    {
      skip_or_fail ("needs X11 and xdotool (build-aux/run-tests provides both)");
      return;
    }

  parts = g_strsplit (clickable_page, "@TOP@", -1);
  page = g_strjoinv (web, parts);
  g_strfreev (parts);
  parts = g_strsplit (page, "@BOTTOM@", -1);
  g_free (page);
  page = g_strjoinv ("javascript:document.title='PWNED-click'", parts);

  view = preview_view_new (DESK_WEB_VIEW_GUARD_ALL, &window);
  g_signal_connect (view, "open-link", G_CALLBACK (on_open_link), &log);
  preview_show_html (view, page, FALSE);
  preview_spin (300);
  xid = gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window)));

  /* a left click, a middle click, Enter on the focused link */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *command = NULL;

      if (i < 2)
        command = g_strdup_printf ("xdotool mousemove --window %lu 200 100 click %u", xid, i + 1);
      else
        {
          preview_run (view, "document.getElementById('top').focus()");
          command = g_strdup ("xdotool key Return");
        }

      g_ptr_array_set_size (log.uris, 0);
      xdotool (command);
      preview_wait_until (has_uris, &log, 10000, "open-link after real input");
      preview_spin (200);

      g_assert_cmpuint (log.uris->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (log.uris, 0), ==, web);
      g_assert_cmpstr (webkit_web_view_get_uri (WEBKIT_WEB_VIEW (view)), ==, DESK_WEB_VIEW_BASE_URI);
    }

  /* the javascript: half */
  {
    g_autofree char *command = g_strdup_printf ("xdotool mousemove --window %lu 200 450 click 1", xid);
    g_autofree char *title = NULL;

    g_ptr_array_set_size (log.uris, 0);
    xdotool (command);
    preview_spin (SETTLE_MS);
    g_assert_cmpuint (log.uris->len, ==, 0);
    title = preview_get_text (view, DESK_WEB_VIEW_TEXT_TITLE);
    g_assert_cmpstr (title, ==, "Links");
  }

  assert_no_request (server, "after real clicks");
  preview_window_destroy (window);
  g_ptr_array_unref (log.uris);
}

static GHashTable *
process_parents (void)
{
  GHashTable *parents = g_hash_table_new (NULL, NULL);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *end;
      guint64 pid, ppid;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      /* "pid (comm) state ppid …", and comm may hold spaces and parentheses */
      end = strrchr (stat, ')');
      if (end == NULL || sscanf (end + 1, " %*c %" G_GUINT64_FORMAT, &ppid) != 1)
        continue;
      pid = g_ascii_strtoull (name, NULL, 10);
      g_hash_table_insert (parents, GSIZE_TO_POINTER (pid), GSIZE_TO_POINTER (ppid));
    }

  return parents;
}

static gboolean
descends_from (GHashTable *parents,
               gsize       pid,
               gsize       ancestor)
{
  for (guint depth = 0; pid > 1 && depth < 16; depth++)
    {
      pid = GPOINTER_TO_SIZE (g_hash_table_lookup (parents, GSIZE_TO_POINTER (pid)));
      if (pid == ancestor)
        return TRUE;
    }

  return FALSE;
}

/* The WebKitWebProcess processes below this one. */
static GArray *
web_processes (void)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GHashTable) parents = process_parents ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, parents);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gsize pid = GPOINTER_TO_SIZE (key);
      g_autofree char *path = g_strdup_printf ("/proc/%" G_GSIZE_FORMAT "/cmdline", pid);
      g_autofree char *cmdline = NULL;

      /* argv[0] only: the bwrap wrappers name the web process later on */
      if (descends_from (parents, pid, getpid ())
          && g_file_get_contents (path, &cmdline, NULL, NULL)
          && g_str_has_suffix (cmdline, "/WebKitWebProcess"))
        g_array_append_val (pids, pid);
    }

  return pids;
}

/* The web processes that parse the page run in WebKit's bubblewrap sandbox:
 * a network namespace of their own, so the parser itself has no network
 * at all and everything goes through the network process and its checks.
 * Fails if the sandbox were turned off (WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS). */
static void
test_sandbox (void)
{
  GtkWindow *window;
  DeskWebView *view = preview_view_new (DESK_WEB_VIEW_GUARD_ALL, &window);
  g_autofree char *own_net = g_file_read_link ("/proc/self/ns/net", NULL);
  g_autoptr(GArray) pids = NULL;

  preview_show_html (view, "<p>sandboxed</p>", FALSE);

  pids = web_processes ();
  g_assert_cmpuint (pids->len, >=, 1);
  for (guint i = 0; i < pids->len; i++)
    {
      gsize pid = g_array_index (pids, gsize, i);
      g_autofree char *path = g_strdup_printf ("/proc/%" G_GSIZE_FORMAT "/ns/net", pid);
      g_autoptr(GError) error = NULL;
      g_autofree char *net = g_file_read_link (path, &error);

      if (net == NULL)
        {
          g_autofree char *why = g_strdup_printf ("cannot read the namespace of the web process: %s",
                                                  error->message);

          skip_or_fail (why);
          break;
        }

      g_test_message ("web process %" G_GSIZE_FORMAT ": %s (ours: %s)", pid, net, own_net);
      g_assert_cmpstr (net, !=, own_net);
    }

  preview_window_destroy (window);
}

static void
on_shown_count (DeskWebView *view,
                guint       *count)
{
  (*count)++;
}

static gboolean
shown_once (gpointer data)
{
  return *(guint *) data >= 1;
}

/* A web process that dies is replaced, and the content shown again — once. */
static void
test_web_process_crash (void)
{
  GtkWindow *window;
  DeskWebView *view = preview_view_new (DESK_WEB_VIEW_GUARD_ALL, &window);
  g_autoptr(GArray) pids = NULL;
  g_autofree char *title = NULL;
  guint shown = 0;

  preview_show_html (view, "<title>Crash</title><p>shown again</p>", FALSE);
  pids = web_processes ();
  g_assert_cmpuint (pids->len, >=, 1);

  g_signal_connect (view, "content-shown", G_CALLBACK (on_shown_count), &shown);
  g_test_expect_message ("desk-preview", G_LOG_LEVEL_WARNING, "The web process of a preview ended*");
  for (guint i = 0; i < pids->len; i++)
    g_assert_cmpint (kill ((pid_t) g_array_index (pids, gsize, i), SIGKILL), ==, 0);

  preview_wait_until (shown_once, &shown, 15000, "the content shown again");
  g_test_assert_expected_messages ();
  title = preview_get_text (view, DESK_WEB_VIEW_TEXT_TITLE);
  g_assert_cmpstr (title, ==, "Crash");
  g_assert_cmpuint (shown, ==, 1);

  preview_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/preview/isolation/all-guards", test_all_guards);
  g_test_add_data_func ("/preview/isolation/filter-only",
                        GUINT_TO_POINTER (DESK_WEB_VIEW_GUARD_FILTER), test_one_guard);
  g_test_add_data_func ("/preview/isolation/csp-only",
                        GUINT_TO_POINTER (DESK_WEB_VIEW_GUARD_CSP), test_one_guard);
  g_test_add_func ("/preview/isolation/control-no-guard", test_no_guard);
  g_test_add_func ("/preview/isolation/user-activation", test_user_activation);
  g_test_add_func ("/preview/isolation/sandbox", test_sandbox);
  g_test_add_func ("/preview/isolation/web-process-crash", test_web_process_crash);

  return g_test_run ();
}
