/* test-preview-policy.c: the pure parts of DeskWebView: link decisions, CSP injection, context menu, filter rules
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "desk-preview-shared.h"
#include "desk-web-view-private.h"

static void
test_decide_link (void)
{
  static const struct {
    const char *uri;
    gboolean    gesture;
    DeskWebViewLinkDecision expected;
  } cases[] = {
    { "http://example.com/", TRUE, DESK_WEB_VIEW_LINK_OPEN_EXTERNALLY },
    { "https://example.com/a?b=c#d", TRUE, DESK_WEB_VIEW_LINK_OPEN_EXTERNALLY },
    { "HTTPS://EXAMPLE.COM/", TRUE, DESK_WEB_VIEW_LINK_OPEN_EXTERNALLY },
    { "http://127.0.0.1:8080/x", TRUE, DESK_WEB_VIEW_LINK_OPEN_EXTERNALLY },
    { "https://[::1]/", TRUE, DESK_WEB_VIEW_LINK_OPEN_EXTERNALLY },
    /* no gesture: nothing, whatever the scheme */
    { "http://example.com/", FALSE, DESK_WEB_VIEW_LINK_DENY },
    { "https://example.com/", FALSE, DESK_WEB_VIEW_LINK_DENY },
    { "javascript:alert(1)", FALSE, DESK_WEB_VIEW_LINK_DENY },
    /* other schemes: never */
    { "javascript:alert(1)", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "JavaScript:alert(1)", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "file:///etc/passwd", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "data:text/html,<script>alert(1)</script>", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "blob:http://example.com/5f0e", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "about:blank", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "about:blank#top", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "ftp://example.com/", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "ws://example.com/", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "wss://example.com/", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "mailto:someone@example.com", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "view-source:http://example.com/", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "httpx://example.com/", TRUE, DESK_WEB_VIEW_LINK_DENY },
    /* http(s) that is not a usable absolute URI */
    { "http:", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "http:///path", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "http:example.com", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "//example.com/", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "/relative", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { " http://example.com/", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "http://exa mple.com/", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "http://example.com/\n", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "http://example.com\\@evil.example/", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "http://例え.jp/", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { "http://xn--r8jz45g.jp/%E3%81%82", TRUE, DESK_WEB_VIEW_LINK_OPEN_EXTERNALLY },
    { "", TRUE, DESK_WEB_VIEW_LINK_DENY },
    { NULL, TRUE, DESK_WEB_VIEW_LINK_DENY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DeskWebViewLinkDecision got = desk_web_view_decide_link (cases[i].uri, cases[i].gesture);

      if (got != cases[i].expected)
        g_error ("decide_link (%s, %d) = %d, expected %d", cases[i].uri,
                 cases[i].gesture, got, cases[i].expected);
    }
}

static void
test_ensure_csp (void)
{
  static const struct {
    const char *html;
    const char *expected;   /* NULL: unchanged */
  } cases[] = {
    { "<p>x</p>", DESK_WEB_VIEW_CSP_META "<p>x</p>" },
    { "", DESK_WEB_VIEW_CSP_META },
    { "<!DOCTYPE html><p>x</p>", "<!DOCTYPE html>" DESK_WEB_VIEW_CSP_META "<p>x</p>" },
    { "\xEF\xBB\xBF  <!doctype html>\n<html><head><title>t</title>",
      "\xEF\xBB\xBF  <!doctype html>\n" DESK_WEB_VIEW_CSP_META "<html><head><title>t</title>" },
    /* the first '>' ends a doctype, even inside quotes */
    { "<!DOCTYPE html PUBLIC \"a>b\"><p>",
      "<!DOCTYPE html PUBLIC \"a>" DESK_WEB_VIEW_CSP_META "b\"><p>" },
    /* already there: unchanged */
    { DESK_WEB_VIEW_CSP_META "<p>x</p>", NULL },
    { "<!DOCTYPE html>" DESK_WEB_VIEW_CSP_META "<p>", NULL },
    { "<!DOCTYPE html>\n<html lang=ja>\n<head>\n" DESK_WEB_VIEW_CSP_META "<title>t</title>", NULL },
    { "<html><head>" DESK_WEB_VIEW_CSP_META, NULL },
    /* there, but not first, or hidden in an attribute: added again */
    { "<title>t</title>" DESK_WEB_VIEW_CSP_META,
      DESK_WEB_VIEW_CSP_META "<title>t</title>" DESK_WEB_VIEW_CSP_META },
    { "<html title=\">\">" DESK_WEB_VIEW_CSP_META,
      DESK_WEB_VIEW_CSP_META "<html title=\">\">" DESK_WEB_VIEW_CSP_META },
    { "<htmlx>" DESK_WEB_VIEW_CSP_META, DESK_WEB_VIEW_CSP_META "<htmlx>" DESK_WEB_VIEW_CSP_META },
    /* a weaker policy of the page's own does not count */
    { "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src *\">",
      DESK_WEB_VIEW_CSP_META "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src *\">" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = desk_web_view_ensure_csp (cases[i].html);

      g_assert_cmpstr (got, ==, cases[i].expected ? cases[i].expected : cases[i].html);
    }
}

static void
test_context_menu (void)
{
  g_autoptr(WebKitContextMenu) menu = webkit_context_menu_new ();
  static const WebKitContextMenuAction actions[] = {
    WEBKIT_CONTEXT_MENU_ACTION_OPEN_LINK,
    WEBKIT_CONTEXT_MENU_ACTION_OPEN_LINK_IN_NEW_WINDOW,
    WEBKIT_CONTEXT_MENU_ACTION_DOWNLOAD_LINK_TO_DISK,
    WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD,
    WEBKIT_CONTEXT_MENU_ACTION_OPEN_IMAGE_IN_NEW_WINDOW,
    WEBKIT_CONTEXT_MENU_ACTION_DOWNLOAD_IMAGE_TO_DISK,
    WEBKIT_CONTEXT_MENU_ACTION_OPEN_FRAME_IN_NEW_WINDOW,
    WEBKIT_CONTEXT_MENU_ACTION_GO_BACK,
    WEBKIT_CONTEXT_MENU_ACTION_RELOAD,
    WEBKIT_CONTEXT_MENU_ACTION_COPY,
    WEBKIT_CONTEXT_MENU_ACTION_INSPECT_ELEMENT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    webkit_context_menu_append (menu, webkit_context_menu_item_new_from_stock_action (actions[i]));
  webkit_context_menu_append (menu, webkit_context_menu_item_new_separator ());

  desk_web_view_filter_context_menu (menu);

  g_assert_cmpuint (webkit_context_menu_get_n_items (menu), ==, 2);
  g_assert_cmpint (webkit_context_menu_item_get_stock_action (webkit_context_menu_get_item_at_position (menu, 0)),
                   ==, WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD);
  g_assert_cmpint (webkit_context_menu_item_get_stock_action (webkit_context_menu_get_item_at_position (menu, 1)),
                   ==, WEBKIT_CONTEXT_MENU_ACTION_COPY);
}

static void
test_filter_rules (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) filters = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *rules;

  json_parser_load_from_data (parser, desk_preview_filter_rules (), -1, &error);
  g_assert_no_error (error);
  rules = json_node_get_array (json_parser_get_root (parser));

  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);
      JsonObject *trigger = json_object_get_object_member (rule, "trigger");
      JsonObject *action = json_object_get_object_member (rule, "action");

      g_assert_cmpstr (json_object_get_string_member (action, "type"), ==, "block");
      /* a trigger limited to some resource types or domains would let the others through */
      g_assert_cmpuint (json_object_get_size (trigger), ==, 1);
      g_hash_table_add (filters, (gpointer) json_object_get_string_member (trigger, "url-filter"));
    }

  g_assert_true (g_hash_table_contains (filters, "^https?:"));
  g_assert_true (g_hash_table_contains (filters, "^wss?:"));
  g_assert_true (g_hash_table_contains (filters, "^ftps?:"));
  g_assert_true (g_hash_table_contains (filters, "^file:"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/preview/policy/decide-link", test_decide_link);
  g_test_add_func ("/preview/policy/ensure-csp", test_ensure_csp);
  g_test_add_func ("/preview/policy/context-menu", test_context_menu);
  g_test_add_func ("/preview/policy/filter-rules", test_filter_rules);

  return g_test_run ();
}
