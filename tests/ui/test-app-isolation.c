/* test-app-isolation.c: a hostile original opened in the app reaches nothing, runs nothing, navigates nowhere
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "desk-application.h"
#include "desk-window.h"
#include "preview-test-util.h"
#include "store-test-util.h"
#include "ui-test-util.h"

#define ENTRY_ID  "hostile-original"
#define SETTLE_MS 1500

/* Written for this test. Every way an original has to load, run or go
 * somewhere; each script tries to change the title; @PORT@ is the
 * counting server. */
static const char hostile_original[] =
  "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Original</title>"
  "<meta http-equiv=\"refresh\" content=\"0;url=http://127.0.0.1:@PORT@/meta-refresh\">"
  "<link rel=\"prefetch\" href=\"http://127.0.0.1:@PORT@/link-prefetch\">"
  "<link rel=\"stylesheet\" href=\"http://127.0.0.1:@PORT@/link-stylesheet.css\">"
  "<style>@import url(http://127.0.0.1:@PORT@/css-import.css);"
  "body{background:url(http://127.0.0.1:@PORT@/css-url.png)}</style>"
  "<script src=\"http://127.0.0.1:@PORT@/script-src.js\"></script>"
  "<script>document.title='PWNED-inline';fetch('http://127.0.0.1:@PORT@/script-fetch');"
  "setTimeout(function(){location.href='http://127.0.0.1:@PORT@/script-location'},200);</script>"
  "</head><body onload=\"document.title='PWNED-onload';fetch('http://127.0.0.1:@PORT@/onload')\">"
  "<h1>Hostile page</h1>"
  "<p>ORIGINAL-BODY first paragraph about inference prices.</p>"
  "<p onmouseover=\"document.title='PWNED-handler'\">Second paragraph "
  "<img src=\"http://127.0.0.1:@PORT@/img.png\" alt=\"chart\" onerror=\"document.title='PWNED-onerror'\"></p>"
  "<iframe src=\"http://127.0.0.1:@PORT@/iframe\"></iframe>"
  "<form action=\"http://127.0.0.1:@PORT@/form\" method=\"post\"><input name=\"q\" value=\"x\">"
  "<button>Send</button></form>"
  "<p><a href=\"javascript:document.title='PWNED-js-link'\">js link</a> "
  "<a href=\"file:///etc/passwd\">file link</a> "
  "<a href=\"http://127.0.0.1:@PORT@/plain-link\">plain link</a></p>"
  "<video src=\"http://127.0.0.1:@PORT@/video.mp4\" autoplay></video>"
  "<object data=\"http://127.0.0.1:@PORT@/object\"></object>"
  "</body></html>";

static const char hostile_body[] =
  "ORIGINAL-TRANSLATION 推論価格についての最初の段落です。\n\n"
  "二つ目の段落です。![図](http://127.0.0.1:@PORT@/markdown-image.png)\n\n"
  "<script>document.title='PWNED-markdown'</script>\n\n"
  "[リンク](javascript:alert(1)) と [サイト](http://127.0.0.1:@PORT@/markdown-link)\n";

static DeskApplication *app;
static CountingServer *server;
static int status = 1;

static void
shown_cb (DeskWindow *window, const char *id, gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
ready_cond (gpointer data)
{
  return desk_application_get_ready (app);
}

static void
test_isolation (void)
{
  DeskWindow *window = DESK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gboolean shown = FALSE;
  DeskWebView *original, *preview;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *preview_text = NULL;
  g_autofree char *paths = NULL;

  preview_wait_until (ready_cond, NULL, 20000, "the backend");
  g_signal_connect (window, "entry-shown", G_CALLBACK (shown_cb), &shown);
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-entry", g_variant_new_string (ENTRY_ID));
  preview_wait_until (flag_cond, &shown, 20000, "the entry shown");
  preview_spin (SETTLE_MS);

  original = DESK_WEB_VIEW (desk_window_get_original_view (window));
  title = preview_get_text (original, DESK_WEB_VIEW_TEXT_TITLE);
  text = preview_get_text (original, DESK_WEB_VIEW_TEXT_BODY);
  g_assert_null (strstr (title, "PWNED"));
  g_assert_nonnull (strstr (text, "ORIGINAL-BODY"));
  g_assert_null (strstr (text, "PWNED"));
  g_assert_cmpstr (webkit_web_view_get_uri (WEBKIT_WEB_VIEW (original)), ==, DESK_WEB_VIEW_BASE_URI);

  /* The site preview of the same entry: its Markdown image and raw HTML. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-preview", NULL);
  preview = DESK_WEB_VIEW (desk_window_get_preview_view (window));
  preview_text = preview_get_text (preview, DESK_WEB_VIEW_TEXT_BODY);
  preview_spin (SETTLE_MS);
  g_assert_nonnull (strstr (preview_text, "ORIGINAL-TRANSLATION"));
  g_assert_null (strstr (preview_text, "PWNED"));
  g_clear_pointer (&title, g_free);
  title = preview_get_text (preview, DESK_WEB_VIEW_TEXT_TITLE);
  g_assert_null (strstr (title, "PWNED"));
  g_assert_cmpstr (webkit_web_view_get_uri (WEBKIT_WEB_VIEW (preview)), ==, DESK_WEB_VIEW_BASE_URI);

  paths = counting_server_paths (server);
  g_test_message ("requests: %u, connections: %u (%s)", server->requests, server->connections, paths);
  g_assert_cmpuint (server->requests, ==, 0);
  g_assert_cmpuint (server->connections, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *html = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  server = counting_server_new ();
  html = preview_with_port (hostile_original, server->port);
  body = preview_with_port (hostile_body, server->port);

  dir = store_test_mkdtemp ();
  path = g_build_filename (dir, "store.db", NULL);
  {
    StoreTestEntry spec = {
      .id = ENTRY_ID, .revision = 1, .status = DESK_ENTRY_STATUS_IN_REVIEW,
      .kind = DESK_ENTRY_KIND_ARTICLE, .source_name = "Hostile Weekly",
      .title = "敵対的な原文", .tldr = "要約です。", .body = body, .tags = "AI",
      .original_title = "Hostile page", .original_html = html, .importance = 3,
      .updated_at = "2026-11-20T09:00:00Z", .collected_at = "2026-11-20T09:00:00Z",
    };
    g_autoptr(DeskStore) store = desk_store_open_sync (path, NULL, &error);
    g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);

    g_assert_no_error (error);
    g_ptr_array_add (entries, store_test_make_entry (&spec, DESK_ENTRY_FORM_FULL));
    desk_store_upsert_entries_sync (store, entries, NULL, &error);
    g_assert_no_error (error);
  }

  g_test_add_func ("/ui/isolation/hostile-original", test_isolation);

  app = desk_application_new ();
  status = ui_test_run_app_offline (G_APPLICATION (app), path);
  g_clear_object (&app);
  counting_server_free (server);
  store_test_rmdir (dir);
  return status;
}
