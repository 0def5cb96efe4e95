/* test-web-view.c: DeskWebView's behaviour: hardened construction, read back, kept scroll position, highlighting
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "preview-test-util.h"

/* A document of n blocks, each about 40 px high. */
static char *
long_document (const char *title,
               guint       n)
{
  g_autoptr(GString) html = g_string_new (NULL);

  g_string_append_printf (html, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title>"
                                "<style>p { margin: 0; height: 40px; }</style></head><body>",
                          title);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (html, "<p data-block=\"%u\">段落 %u — paragraph %u</p>", i, i, i);
  g_string_append (html, "</body></html>");

  return g_string_free (g_steal_pointer (&html), FALSE);
}

/* The deprecated enable-dns-prefetching setting does nothing on 2.50; the
 * network hints are runtime features, and each of them must be off. */
static void
assert_network_hints_off (WebKitSettings *settings)
{
#if WEBKIT_CHECK_VERSION (2, 42, 0)
  static const char * const hints[] = {
    "LinkDNSPrefetch", "LinkPrefetch", "LinkPreload", "LinkPreconnect",
  };
  g_autoptr(WebKitFeatureList) features = webkit_settings_get_all_features ();
  guint found = 0;

  for (gsize i = 0; i < webkit_feature_list_get_length (features); i++)
    {
      WebKitFeature *feature = webkit_feature_list_get (features, i);

      for (guint j = 0; j < G_N_ELEMENTS (hints); j++)
        if (g_str_equal (webkit_feature_get_identifier (feature), hints[j]))
          {
            found++;
            if (webkit_settings_get_feature_enabled (settings, feature))
              g_error ("The network hint %s is on", hints[j]);
          }
    }

  /* a renamed feature would otherwise pass unnoticed */
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (hints));
#endif
}

/* However the view is built, the properties isolation rests on are its own. */
static void
test_construction (void)
{
  g_autoptr(WebKitSettings) weak = webkit_settings_new ();
  GtkWidget *views[2];

  g_object_set (weak, "enable-javascript-markup", TRUE, "enable-developer-extras", TRUE, NULL);
  views[0] = g_object_ref_sink (desk_web_view_new ());
  views[1] = g_object_ref_sink (g_object_new (DESK_TYPE_WEB_VIEW,
                                              "settings", weak,
                                              "default-content-security-policy", "default-src *",
                                              NULL));

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      WebKitWebView *view = WEBKIT_WEB_VIEW (views[i]);
      WebKitSettings *settings = webkit_web_view_get_settings (view);
      WebKitNetworkSession *session = webkit_web_view_get_network_session (view);

      g_assert_true (settings != weak);
      g_assert_true (webkit_settings_get_enable_javascript (settings));
      g_assert_false (webkit_settings_get_enable_javascript_markup (settings));
      g_assert_false (webkit_settings_get_enable_developer_extras (settings));
      g_assert_false (webkit_settings_get_enable_page_cache (settings));
      g_assert_false (webkit_settings_get_enable_html5_local_storage (settings));
      g_assert_false (webkit_settings_get_enable_html5_database (settings));
      g_assert_false (webkit_settings_get_enable_webgl (settings));
      g_assert_false (webkit_settings_get_enable_webaudio (settings));
      g_assert_false (webkit_settings_get_enable_media (settings));
      g_assert_false (webkit_settings_get_enable_mediasource (settings));
      g_assert_false (webkit_settings_get_enable_media_stream (settings));
      g_assert_false (webkit_settings_get_enable_webrtc (settings));
      g_assert_false (webkit_settings_get_javascript_can_open_windows_automatically (settings));
      g_assert_false (webkit_settings_get_javascript_can_access_clipboard (settings));
      g_assert_false (webkit_settings_get_allow_file_access_from_file_urls (settings));
      g_assert_false (webkit_settings_get_allow_universal_access_from_file_urls (settings));
      g_assert_cmpint (webkit_settings_get_hardware_acceleration_policy (settings), ==,
                       WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER);
      assert_network_hints_off (settings);

      g_assert_nonnull (session);
      g_assert_true (webkit_network_session_is_ephemeral (session));
      g_assert_cmpstr (webkit_web_view_get_default_content_security_policy (view), ==,
                       DESK_WEB_VIEW_DEFAULT_CSP);
      g_assert_true (webkit_web_view_get_user_content_manager (view) !=
                     webkit_web_view_get_user_content_manager (WEBKIT_WEB_VIEW (views[1 - i])));
    }

  /* one session and one context for all */
  g_assert_true (webkit_web_view_get_network_session (WEBKIT_WEB_VIEW (views[0])) ==
                 webkit_web_view_get_network_session (WEBKIT_WEB_VIEW (views[1])));
  g_assert_true (webkit_web_view_get_context (WEBKIT_WEB_VIEW (views[0])) ==
                 webkit_web_view_get_context (WEBKIT_WEB_VIEW (views[1])));

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    g_object_unref (views[i]);
}

/* What is shown is what was given, with the CSP tag first; data: images load. */
static void
test_read_back (void)
{
  GtkWindow *window;
  DeskWebView *view = preview_view_new (DESK_WEB_VIEW_GUARD_ALL, &window);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JSCValue) csp = NULL;
  g_autoptr(JSCValue) image = NULL;

  preview_show_html (view,
                     "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>生成AIの要約</title></head>"
                     "<body><h1>見出し</h1><p>本文です。</p>"
                     "<img id=\"i\" src=\"data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=\">"
                     "</body></html>",
                     FALSE);

  title = preview_get_text (view, DESK_WEB_VIEW_TEXT_TITLE);
  body = preview_get_text (view, DESK_WEB_VIEW_TEXT_BODY);
  g_assert_cmpstr (title, ==, "生成AIの要約");
  g_assert_nonnull (strstr (body, "見出し"));
  g_assert_nonnull (strstr (body, "本文です。"));

  csp = preview_eval (view, "var m = document.head.firstElementChild;"
                            "m.httpEquiv + '|' + m.content");
  g_assert_cmpstr (jsc_value_to_string (csp), ==,
                   "Content-Security-Policy|default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  image = preview_eval (view, "var i = document.getElementById('i'); i.complete && i.naturalWidth === 1");
  g_assert_true (jsc_value_to_boolean (image));
  g_assert_cmpstr (webkit_web_view_get_uri (WEBKIT_WEB_VIEW (view)), ==, DESK_WEB_VIEW_BASE_URI);

  preview_window_destroy (window);
}

/* Replacing the content with keep_scroll keeps the reader where they were;
 * without it the new content starts at the top. */
static void
test_keep_scroll (void)
{
  GtkWindow *window;
  DeskWebView *view = preview_view_new (DESK_WEB_VIEW_GUARD_ALL, &window);
  g_autofree char *before = long_document ("Before", 300);
  g_autofree char *after = long_document ("After", 300);
  g_autofree char *title = NULL;
  double y;

  preview_show_html (view, before, FALSE);
  preview_run (view, "window.scrollTo(0, 800)");
  g_assert_cmpfloat_with_epsilon (preview_get_scroll_y (view), 800, 1);

  preview_show_html (view, after, TRUE);
  title = preview_get_text (view, DESK_WEB_VIEW_TEXT_TITLE);
  g_assert_cmpstr (title, ==, "After");
  y = preview_get_scroll_y (view);
  g_test_message ("scrollY after a kept replacement: %g", y);
  g_assert_cmpfloat_with_epsilon (y, 800, 1);

  preview_show_html (view, before, FALSE);
  g_assert_cmpfloat_with_epsilon (preview_get_scroll_y (view), 0, 0.5);

  preview_window_destroy (window);
}

static void
count_shown (DeskWebView *view,
             guint       *count)
{
  (*count)++;
}

/* Many replacements in a row, as when typing: the last one is shown, at
 * the kept position, and fewer loads happen than calls were made. */
static void
test_coalesce (void)
{
  GtkWindow *window;
  DeskWebView *view = preview_view_new (DESK_WEB_VIEW_GUARD_ALL, &window);
  g_autofree char *first = long_document ("Edit 0", 300);
  g_autofree char *title = NULL;
  guint shown = 0;
  guint calls = 20;

  preview_show_html (view, first, FALSE);
  preview_run (view, "window.scrollTo(0, 1200)");

  g_signal_connect (view, "content-shown", G_CALLBACK (count_shown), &shown);
  for (guint i = 1; i < calls; i++)
    {
      g_autofree char *html = NULL;
      g_autofree char *name = g_strdup_printf ("Edit %u", i);

      html = long_document (name, 300);
      desk_web_view_set_html (view, html, TRUE);
      if (i % 5 == 0)
        preview_spin (10);
    }

  /* read back waits for the pending content */
  title = preview_get_text (view, DESK_WEB_VIEW_TEXT_TITLE);
  g_assert_cmpstr (title, ==, "Edit 19");
  g_assert_cmpfloat_with_epsilon (preview_get_scroll_y (view), 1200, 1);
  g_test_message ("%u calls, %u loads", calls - 1, shown);
  g_assert_cmpuint (shown, >=, 1);
  g_assert_cmpuint (shown, <, calls - 1);

  preview_window_destroy (window);
}

static char *
highlighted (DeskWebView *view)
{
  g_autoptr(JSCValue) value =
    preview_eval (view, "Array.prototype.map.call(document.querySelectorAll('." DESK_WEB_VIEW_HIGHLIGHT_CLASS "'),"
                        " function (e) { return e.dataset.block; }).join(',')");

  return jsc_value_to_string (value);
}

static gboolean
block_in_view (DeskWebView *view,
               int          n)
{
  g_autofree char *script =
    g_strdup_printf ("var r = document.querySelector('[data-block=\"%d\"]').getBoundingClientRect();"
                     "r.top >= 0 && r.bottom <= window.innerHeight", n);
  g_autoptr(JSCValue) value = preview_eval (view, script);

  return jsc_value_to_boolean (value);
}

static void
test_highlight (void)
{
  GtkWindow *window;
  DeskWebView *view = preview_view_new (DESK_WEB_VIEW_GUARD_ALL, &window);
  g_autofree char *html = long_document ("Blocks", 300);
  g_autofree char *marks = NULL;
  double y;

  preview_show_html (view, html, FALSE);
  g_assert_false (block_in_view (view, 150));

  desk_web_view_highlight_block (view, 150);
  y = preview_get_scroll_y (view);
  g_test_message ("scrollY with block 150 highlighted: %g", y);
  g_assert_cmpfloat (y, >, 40 * 100);
  g_assert_true (block_in_view (view, 150));
  marks = highlighted (view);
  g_assert_cmpstr (marks, ==, "150");
  g_clear_pointer (&marks, g_free);

  desk_web_view_highlight_block (view, 2);
  g_assert_cmpfloat (preview_get_scroll_y (view), <, 40 * 3);
  g_assert_true (block_in_view (view, 2));
  marks = highlighted (view);
  g_assert_cmpstr (marks, ==, "2");
  g_clear_pointer (&marks, g_free);

  /* an unknown block only clears */
  desk_web_view_highlight_block (view, 9999);
  marks = highlighted (view);
  g_assert_cmpstr (marks, ==, "");
  g_clear_pointer (&marks, g_free);

  /* asked for before the content is there: applied to it once shown */
  desk_web_view_set_html (view, html, FALSE);
  desk_web_view_highlight_block (view, 200);
  /* the view's own read back is queued behind both, the test's script is not */
  g_assert_cmpfloat (preview_get_scroll_y (view), >, 40 * 150);
  g_assert_true (block_in_view (view, 200));
  marks = highlighted (view);
  g_assert_cmpstr (marks, ==, "200");

  preview_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/preview/web-view/construction", test_construction);
  g_test_add_func ("/preview/web-view/read-back", test_read_back);
  g_test_add_func ("/preview/web-view/keep-scroll", test_keep_scroll);
  g_test_add_func ("/preview/web-view/coalesce", test_coalesce);
  g_test_add_func ("/preview/web-view/highlight", test_highlight);

  return g_test_run ();
}
