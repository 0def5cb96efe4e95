/* desk-web-view.c: a hardened WebKitWebView for untrusted originals and the site preview
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-preview-shared.h"
#include "desk-web-view-private.h"
#include "desk-preview-ops.h"

#include <gmodule.h>

/* The application's scripts run in a world of their own: they share the
 * DOM with the page but none of its JavaScript objects. */
#define SCRIPT_WORLD "desk-preview"

#define HIGHLIGHT_CSS                                                        \
  "." DESK_WEB_VIEW_HIGHLIGHT_CLASS " {"                                     \
  " background-color: rgba(53, 132, 228, 0.16) !important;"                  \
  " outline: 2px solid rgba(53, 132, 228, 0.65) !important;"                 \
  " outline-offset: 2px !important;"                                         \
  " border-radius: 3px !important; }"

#define HIGHLIGHT_SCRIPT                                                     \
  "(function (n) {"                                                          \
  "  var c = '" DESK_WEB_VIEW_HIGHLIGHT_CLASS "';"                           \
  "  var old = document.querySelectorAll('.' + c);"                          \
  "  for (var i = 0; i < old.length; i++) old[i].classList.remove(c);"       \
  "  if (n < 0) return false;"                                               \
  "  var el = document.querySelector('[data-block=\"' + n + '\"]');"         \
  "  if (!el) return false;"                                                 \
  "  el.classList.add(c);"                                                   \
  "  el.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});" \
  "  return true;"                                                           \
  "})(%d)"

typedef enum {
  RESULT_NONE,
  RESULT_STRING,
  RESULT_NUMBER,
} ResultKind;

typedef struct {
  char       *source;
  GTask      *task;     /* NULL when nobody waits for the result */
  ResultKind  kind;
} DeskScript;

struct _DeskWebView
{
  WebKitWebView      parent_instance;

  DeskWebViewGuards  guards;
  GCancellable      *cancellable;
  WebKitSettings    *settings;

  char              *pending_html;      /* the next content, CSP in place */
  char              *shown_html;        /* the last content loaded, for a reload
                                         * after the web process crashed */
  GQueue             scripts;           /* DeskScript, run once the view is idle */
  double             restore_scroll_y;
  guint              serial;            /* of the load under way */

  guint              filter_ready : 1;
  guint              busy : 1;          /* a load, or the scroll read before it,
                                         * is under way */
  guint              pending_keep_scroll : 1;
  guint              expect_own_load : 1;
  guint              restore_scroll : 1;
  guint              has_content : 1;
  guint              reloaded_after_crash : 1;
  guint              disposed : 1;
};

G_DEFINE_FINAL_TYPE (DeskWebView, desk_web_view, WEBKIT_TYPE_WEB_VIEW)

enum {
  OPEN_LINK,
  CONTENT_SHOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Only desk_web_view_new_with_guards() changes this, around g_object_new(). */
static DeskWebViewGuards construct_guards = DESK_WEB_VIEW_GUARD_ALL;

static void pump (DeskWebView *self);

static void
desk_script_free (DeskScript *script)
{
  g_free (script->source);
  g_clear_object (&script->task);
  g_free (script);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskScript, desk_script_free)

/* ---- pure policy --------------------------------------------------------- */

DeskWebViewLinkDecision
desk_web_view_decide_link (const char *uri,
                           gboolean    is_user_gesture)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  if (uri == NULL || !is_user_gesture)
    return DESK_WEB_VIEW_LINK_DENY;

  /* WebKit hands over canonical URLs (escaped, IDN as punycode); anything
   * else — spaces, controls, backslashes a browser would read as slashes —
   * is not given to a browser to make sense of. */
  for (const char *p = uri; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f || *p == '\\')
      return DESK_WEB_VIEW_LINK_DENY;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return DESK_WEB_VIEW_LINK_DENY;

  scheme = g_uri_get_scheme (parsed);
  host = g_uri_get_host (parsed);
  if ((g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
      && host != NULL && host[0] != '\0')
    return DESK_WEB_VIEW_LINK_OPEN_EXTERNALLY;

  return DESK_WEB_VIEW_LINK_DENY;
}

/* Skips a start tag named name whose attributes hold no quotes: for such a
 * tag the first '>' is its end, as the HTML tokenizer sees it. Anything
 * fancier is not skipped, and then the tag is simply added once more. */
static const char *
skip_plain_tag (const char *p,
                const char *name)
{
  gsize len = strlen (name);
  const char *end;

  if (p[0] != '<' || g_ascii_strncasecmp (p + 1, name, len) != 0)
    return p;
  if (p[1 + len] != '>' && p[1 + len] != '/' && !g_ascii_isspace (p[1 + len]))
    return p;

  end = strchr (p, '>');
  if (end == NULL || memchr (p, '"', end - p) != NULL || memchr (p, '\'', end - p) != NULL)
    return p;

  for (p = end + 1; g_ascii_isspace (*p); p++)
    ;
  return p;
}

char *
desk_web_view_ensure_csp (const char *html)
{
  const char *start = html;
  const char *p;

  g_return_val_if_fail (html != NULL, NULL);

  if (g_str_has_prefix (start, "\xEF\xBB\xBF"))
    start += 3;
  while (g_ascii_isspace (*start))
    start++;

  /* In HTML the first '>' ends a doctype, quoted identifiers or not; the
   * tag goes after it so that the doctype keeps the page in standards mode. */
  if (g_ascii_strncasecmp (start, "<!doctype", 9) == 0)
    {
      const char *end = strchr (start, '>');

      if (end != NULL)
        for (start = end + 1; g_ascii_isspace (*start); start++)
          ;
    }

  p = skip_plain_tag (start, "html");
  p = skip_plain_tag (p, "head");
  if (g_str_has_prefix (p, DESK_WEB_VIEW_CSP_META))
    return g_strdup (html);

  /* Before anything else of the page the parser opens <head> for the tag
   * itself, so the policy is in force for all that follows. */
  return g_strdup_printf ("%.*s%s%s", (int) (start - html), html, DESK_WEB_VIEW_CSP_META, start);
}

void
desk_web_view_filter_context_menu (WebKitContextMenu *menu)
{
  g_autoptr(GList) items = NULL;

  g_return_if_fail (WEBKIT_IS_CONTEXT_MENU (menu));

  items = g_list_copy (webkit_context_menu_get_items (menu));
  for (GList *l = items; l != NULL; l = l->next)
    {
      WebKitContextMenuItem *item = l->data;

      switch (webkit_context_menu_item_get_stock_action (item))
        {
        case WEBKIT_CONTEXT_MENU_ACTION_COPY:
        case WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD:
          break;

        default:
          webkit_context_menu_remove (menu, item);
          break;
        }
    }
}

gboolean
desk_web_view_action_is_user_gesture (WebKitNavigationAction *action)
{
  g_return_val_if_fail (action != NULL, FALSE);

  /* WebKit (2.50) runs everything given to webkit_web_view_evaluate_javascript()
   * as a user gesture, so a programmatic element.click() from the
   * application's own scripts, and timers they start (for about a second),
   * report is_user_gesture. Such clicks carry no mouse button; a real
   * click, a middle click and Enter on a focused link all do (Enter reports
   * the left button). Page scripts never run at all. */
  return webkit_navigation_action_get_navigation_type (action) == WEBKIT_NAVIGATION_TYPE_LINK_CLICKED
      && webkit_navigation_action_is_user_gesture (action)
      && webkit_navigation_action_get_mouse_button (action) != 0;
}

/* ---- WebKit signals ------------------------------------------------------ */

static gboolean
is_own_load (DeskWebView            *self,
             WebKitNavigationAction *action)
{
  WebKitURIRequest *request = webkit_navigation_action_get_request (action);

  return self->expect_own_load
      && webkit_navigation_action_get_navigation_type (action) == WEBKIT_NAVIGATION_TYPE_OTHER
      && !webkit_navigation_action_is_redirect (action)
      && g_strcmp0 (webkit_uri_request_get_uri (request), DESK_WEB_VIEW_BASE_URI) == 0;
}

static gboolean
on_decide_policy (WebKitWebView            *view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  DeskWebView              *self)
{
  WebKitNavigationAction *action;
  const char *uri;

  if (type != WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION
      && type != WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
    {
      /* A response only comes from the network or a file, and nothing
       * shown here is loaded from either: refusing it also refuses any
       * download. */
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }

  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION && is_own_load (self, action))
    {
      self->expect_own_load = FALSE;
      webkit_policy_decision_use (decision);
      return TRUE;
    }

  webkit_policy_decision_ignore (decision);

  if (desk_web_view_decide_link (uri, desk_web_view_action_is_user_gesture (action))
      == DESK_WEB_VIEW_LINK_OPEN_EXTERNALLY)
    {
      gboolean handled = FALSE;

      g_signal_emit (self, signals[OPEN_LINK], 0, uri, &handled);
    }
  else
    g_debug ("Refused a navigation to %.200s", uri);

  return TRUE;
}

static GtkWidget *
on_create (WebKitWebView          *view,
           WebKitNavigationAction *action,
           DeskWebView            *self)
{
  return NULL;
}

static gboolean
on_permission_request (WebKitWebView           *view,
                       WebKitPermissionRequest *request,
                       DeskWebView             *self)
{
  webkit_permission_request_deny (request);
  return TRUE;
}

static gboolean
on_query_permission_state (WebKitWebView              *view,
                           WebKitPermissionStateQuery *query,
                           DeskWebView                *self)
{
  webkit_permission_state_query_finish (query, WEBKIT_PERMISSION_STATE_DENIED);
  return TRUE;
}

static gboolean
on_authenticate (WebKitWebView               *view,
                 WebKitAuthenticationRequest *request,
                 DeskWebView                 *self)
{
  webkit_authentication_request_cancel (request);
  return TRUE;
}

static gboolean
on_run_file_chooser (WebKitWebView            *view,
                     WebKitFileChooserRequest *request,
                     DeskWebView              *self)
{
  webkit_file_chooser_request_cancel (request);
  return TRUE;
}

static gboolean
on_refuse (WebKitWebView *view,
           DeskWebView   *self)
{
  return TRUE;
}

static gboolean
on_refuse_object (WebKitWebView *view,
                  GObject       *object,
                  DeskWebView   *self)
{
  return TRUE;
}

static gboolean
on_context_menu (WebKitWebView       *view,
                 WebKitContextMenu   *menu,
                 WebKitHitTestResult *hit_test_result,
                 DeskWebView         *self)
{
  desk_web_view_filter_context_menu (menu);

  return webkit_context_menu_get_n_items (menu) == 0;
}

static void
load_done (DeskWebView *self)
{
  self->busy = FALSE;
  self->has_content = TRUE;
  g_signal_emit (self, signals[CONTENT_SHOWN], 0);
  pump (self);
}

static void
scroll_restored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DeskWebView *self = DESK_WEB_VIEW (object);
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (self), result, &error);
  if (self->disposed || GPOINTER_TO_UINT (user_data) != self->serial)
    return;
  if (value == NULL)
    g_debug ("Could not restore the scroll position: %s", error->message);

  load_done (self);
}

static void
on_load_changed (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 DeskWebView     *self)
{
  g_autofree char *script = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (event == WEBKIT_LOAD_COMMITTED)
    self->expect_own_load = FALSE;

  if (event != WEBKIT_LOAD_FINISHED || !self->busy)
    return;

  if (!self->restore_scroll)
    {
      load_done (self);
      return;
    }

  g_ascii_dtostr (number, sizeof number, self->restore_scroll_y);
  script = g_strdup_printf ("window.scrollTo(0, %s); window.scrollY", number);
  webkit_web_view_evaluate_javascript (view, script, -1, SCRIPT_WORLD, NULL,
                                       self->cancellable, scroll_restored_cb,
                                       GUINT_TO_POINTER (self->serial));
}

static void
on_web_process_terminated (WebKitWebView                     *view,
                           WebKitWebProcessTerminationReason  reason,
                           DeskWebView                       *self)
{
  g_warning ("The web process of a preview ended (reason %d)", reason);

  self->busy = FALSE;
  self->has_content = FALSE;
  self->expect_own_load = FALSE;
  self->serial++;

  if (reason == WEBKIT_WEB_PROCESS_TERMINATED_BY_API)
    return;

  /* Once per content: a page that crashes WebKit every time stays blank. */
  if (self->pending_html == NULL && self->shown_html != NULL && !self->reloaded_after_crash)
    {
      self->reloaded_after_crash = TRUE;
      self->pending_html = g_strdup (self->shown_html);
      self->pending_keep_scroll = FALSE;
    }

  pump (self);
}

/* ---- loading ------------------------------------------------------------- */

static void
start_load (DeskWebView *self,
            gboolean     restore_scroll,
            double       scroll_y)
{
  WebKitWebView *view = WEBKIT_WEB_VIEW (self);

  g_assert (self->busy);
  g_assert (self->pending_html != NULL);

  /* The settings are a public property of WebKitWebView; whoever replaced
   * them must not turn page scripts back on. */
  if (webkit_web_view_get_settings (view) != self->settings)
    {
      g_warning ("The settings of a DeskWebView were replaced; restoring them");
      webkit_web_view_set_settings (view, self->settings);
    }

  g_free (self->shown_html);
  self->shown_html = g_steal_pointer (&self->pending_html);
  self->restore_scroll = restore_scroll;
  self->restore_scroll_y = scroll_y;
  self->expect_own_load = TRUE;

  webkit_web_view_load_html (view, self->shown_html, DESK_WEB_VIEW_BASE_URI);
}

static void
scroll_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DeskWebView *self = DESK_WEB_VIEW (object);
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (self), result, &error);
  if (self->disposed || GPOINTER_TO_UINT (user_data) != self->serial)
    return;

  if (value != NULL && jsc_value_is_number (value))
    start_load (self, TRUE, jsc_value_to_double (value));
  else
    start_load (self, FALSE, 0);
}

static void
script_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DeskScript) script = user_data;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);

  if (script->task == NULL)
    {
      if (value == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("A preview script failed: %s", error->message);
      return;
    }

  if (value == NULL)
    g_task_return_error (script->task, g_steal_pointer (&error));
  else if (script->kind == RESULT_STRING)
    g_task_return_pointer (script->task, jsc_value_to_string (value), g_free);
  else if (script->kind == RESULT_NUMBER && jsc_value_is_number (value))
    {
      double number = jsc_value_to_double (value);

      g_task_return_pointer (script->task, g_memdup2 (&number, sizeof number), g_free);
    }
  else
    g_task_return_new_error (script->task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             "The script did not return a number");
}

static void
run_scripts (DeskWebView *self)
{
  DeskScript *script;

  while ((script = g_queue_pop_head (&self->scripts)) != NULL)
    {
      GCancellable *cancellable = self->cancellable;

      if (script->task != NULL)
        {
          if (g_task_return_error_if_cancelled (script->task))
            {
              desk_script_free (script);
              continue;
            }
          cancellable = g_task_get_cancellable (script->task);
        }

      webkit_web_view_evaluate_javascript (WEBKIT_WEB_VIEW (self), script->source, -1,
                                           SCRIPT_WORLD, NULL, cancellable,
                                           script_done_cb, script);
    }
}

static void
pump (DeskWebView *self)
{
  if (self->disposed || !self->filter_ready || self->busy)
    return;

  if (self->pending_html == NULL)
    {
      run_scripts (self);
      return;
    }

  self->busy = TRUE;
  self->serial++;

  if (self->pending_keep_scroll && self->has_content)
    webkit_web_view_evaluate_javascript (WEBKIT_WEB_VIEW (self), "window.scrollY", -1,
                                         SCRIPT_WORLD, NULL, self->cancellable,
                                         scroll_read_cb, GUINT_TO_POINTER (self->serial));
  else
    start_load (self, FALSE, 0);
}

static void
queue_script (DeskWebView *self,
              char        *source,
              GTask       *task,
              ResultKind   kind)
{
  DeskScript *script = g_new0 (DeskScript, 1);

  script->source = source;
  script->task = task;
  script->kind = kind;
  g_queue_push_tail (&self->scripts, script);
  pump (self);
}

static void
filter_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DeskWebView) self = user_data;
  g_autoptr(WebKitUserContentFilter) filter = NULL;
  g_autoptr(GError) error = NULL;
  WebKitUserContentManager *manager;

  filter = desk_preview_get_filter_finish (result, &error);
  if (self->disposed)
    return;

  if (filter == NULL)
    {
      /* Without the filter nothing is loaded: the view stays blank. */
      g_warning ("The preview stays blank: %s", error->message);
      return;
    }

  manager = webkit_web_view_get_user_content_manager (WEBKIT_WEB_VIEW (self));
  webkit_user_content_manager_add_filter (manager, filter);
  self->filter_ready = TRUE;
  pump (self);
}

/* ---- the object ---------------------------------------------------------- */

static WebKitSettings *
new_settings (DeskWebViewGuards guards)
{
  WebKitSettings *settings = webkit_settings_new ();

  g_object_set (settings,
                /* The application's own scripts (scroll, highlight, read
                 * back) run; the page's never do. */
                "enable-javascript", TRUE,
                "enable-javascript-markup", (guards & DESK_WEB_VIEW_GUARD_SCRIPTS) == 0,
                "javascript-can-open-windows-automatically", FALSE,
                "javascript-can-access-clipboard", FALSE,
                "allow-file-access-from-file-urls", FALSE,
                "allow-universal-access-from-file-urls", FALSE,
                "allow-top-navigation-to-data-urls", FALSE,
                "allow-modal-dialogs", FALSE,
                "disable-web-security", FALSE,
                "enable-page-cache", FALSE,
                "enable-html5-local-storage", FALSE,
                "enable-html5-database", FALSE,
                "enable-webgl", FALSE,
                "enable-webaudio", FALSE,
                "enable-webrtc", FALSE,
                "enable-media", FALSE,
                "enable-mediasource", FALSE,
                "enable-media-stream", FALSE,
                "enable-media-capabilities", FALSE,
                "enable-encrypted-media", FALSE,
                "enable-mock-capture-devices", FALSE,
                "media-playback-requires-user-gesture", TRUE,
                "enable-developer-extras", FALSE,
                "enable-write-console-messages-to-stdout", FALSE,
                "enable-fullscreen", FALSE,
                "enable-back-forward-navigation-gestures", FALSE,
                "enable-site-specific-quirks", FALSE,
                "enable-2d-canvas-acceleration", FALSE,
                /* Only data: images can load; the filter and the CSP stop
                 * every other. */
                "auto-load-images", TRUE,
                "hardware-acceleration-policy", WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER,
                "default-charset", "utf-8",
                NULL);

#if WEBKIT_CHECK_VERSION (2, 42, 0)
  {
    /* Network hints. LinkPreconnect also makes WebKit open a connection to
     * the target of a clicked link while decide-policy is still deciding,
     * a connection the filter never sees; measured on 2.50. */
    static const char * const hints[] = {
      "LinkPreconnect", "LinkPreconnectEarlyHints", "LinkPreload",
      "LinkPrefetch", "LinkDNSPrefetch", NULL,
    };
    g_autoptr(WebKitFeatureList) features = webkit_settings_get_all_features ();

    for (gsize i = 0; i < webkit_feature_list_get_length (features); i++)
      {
        WebKitFeature *feature = webkit_feature_list_get (features, i);

        if (g_strv_contains (hints, webkit_feature_get_identifier (feature)))
          webkit_settings_set_feature_enabled (settings, feature, FALSE);
      }
  }
#endif

  return settings;
}

/* Whoever creates the view, desk_web_view_new() or GtkBuilder, the
 * construct-only properties that isolation rests on are ours. */
static GObject *
desk_web_view_constructor (GType                  type,
                           guint                  n_params,
                           GObjectConstructParam *params)
{
  DeskWebViewGuards guards = construct_guards;
  g_autofree GObjectConstructParam *own = g_new (GObjectConstructParam, n_params);
  g_autoptr(WebKitSettings) settings = new_settings (guards);
  g_autoptr(WebKitUserContentManager) manager = webkit_user_content_manager_new ();
  g_autoptr(WebKitWebsitePolicies) policies = NULL;
  GValue values[8] = { G_VALUE_INIT, };
  guint n_values = 0;
  GObject *object;
  DeskWebView *self;

  policies = webkit_website_policies_new_with_policies ("autoplay", WEBKIT_AUTOPLAY_DENY, NULL);

  for (guint i = 0; i < n_params; i++)
    {
      const char *name = params[i].pspec->name;
      GValue *value;

      own[i] = params[i];

      if (!g_str_equal (name, "settings")
          && !g_str_equal (name, "user-content-manager")
          && !g_str_equal (name, "network-session")
          && !g_str_equal (name, "web-context")
          && !g_str_equal (name, "website-policies")
          && !g_str_equal (name, "related-view")
          && !g_str_equal (name, "default-content-security-policy")
          && !g_str_equal (name, "is-controlled-by-automation"))
        continue;

      g_assert (n_values < G_N_ELEMENTS (values));
      value = &values[n_values++];
      g_value_init (value, G_PARAM_SPEC_VALUE_TYPE (params[i].pspec));
      own[i].value = value;

      if (g_str_equal (name, "settings"))
        g_value_set_object (value, settings);
      else if (g_str_equal (name, "user-content-manager"))
        g_value_set_object (value, manager);
      else if (g_str_equal (name, "network-session"))
        g_value_set_object (value, desk_preview_get_network_session ());
      else if (g_str_equal (name, "web-context"))
        g_value_set_object (value, desk_preview_get_web_context ());
      else if (g_str_equal (name, "website-policies"))
        g_value_set_object (value, policies);
      else if (g_str_equal (name, "default-content-security-policy"))
        g_value_set_string (value, (guards & DESK_WEB_VIEW_GUARD_CSP) ? DESK_WEB_VIEW_DEFAULT_CSP : NULL);
      /* related-view stays NULL, is-controlled-by-automation FALSE */
    }

  object = G_OBJECT_CLASS (desk_web_view_parent_class)->constructor (type, n_params, own);

  for (guint i = 0; i < n_values; i++)
    g_value_unset (&values[i]);

  self = DESK_WEB_VIEW (object);
  self->guards = guards;
  self->settings = g_object_ref (settings);

  return object;
}

static void
desk_web_view_constructed (GObject *object)
{
  DeskWebView *self = DESK_WEB_VIEW (object);
  WebKitWebView *view = WEBKIT_WEB_VIEW (object);
  WebKitUserContentManager *manager;
  g_autoptr(WebKitUserStyleSheet) sheet = NULL;

  G_OBJECT_CLASS (desk_web_view_parent_class)->constructed (object);

  /* Connected here rather than as class handlers so that they run before
   * any handler the application connects, and stop the emission. */
  g_signal_connect (view, "decide-policy", G_CALLBACK (on_decide_policy), self);
  g_signal_connect (view, "create", G_CALLBACK (on_create), self);
  g_signal_connect (view, "permission-request", G_CALLBACK (on_permission_request), self);
  g_signal_connect (view, "query-permission-state", G_CALLBACK (on_query_permission_state), self);
  g_signal_connect (view, "authenticate", G_CALLBACK (on_authenticate), self);
  g_signal_connect (view, "run-file-chooser", G_CALLBACK (on_run_file_chooser), self);
  g_signal_connect (view, "context-menu", G_CALLBACK (on_context_menu), self);
  g_signal_connect (view, "enter-fullscreen", G_CALLBACK (on_refuse), self);
  g_signal_connect (view, "show-notification", G_CALLBACK (on_refuse_object), self);
  g_signal_connect (view, "script-dialog", G_CALLBACK (on_refuse_object), self);
  g_signal_connect (view, "print", G_CALLBACK (on_refuse_object), self);
  g_signal_connect (view, "load-changed", G_CALLBACK (on_load_changed), self);
  g_signal_connect (view, "web-process-terminated", G_CALLBACK (on_web_process_terminated), self);

  manager = webkit_web_view_get_user_content_manager (view);
  sheet = webkit_user_style_sheet_new (HIGHLIGHT_CSS,
                                       WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                       WEBKIT_USER_STYLE_LEVEL_USER,
                                       NULL, NULL);
  webkit_user_content_manager_add_style_sheet (manager, sheet);

  if (self->guards & DESK_WEB_VIEW_GUARD_FILTER)
    desk_preview_get_filter_async (self->cancellable, filter_ready_cb, g_object_ref (self));
  else
    self->filter_ready = TRUE;
}

static void
desk_web_view_dispose (GObject *object)
{
  DeskWebView *self = DESK_WEB_VIEW (object);
  DeskScript *script;

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);

  while ((script = g_queue_pop_head (&self->scripts)) != NULL)
    {
      if (script->task != NULL)
        g_task_return_new_error (script->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "The view was destroyed");
      desk_script_free (script);
    }

  G_OBJECT_CLASS (desk_web_view_parent_class)->dispose (object);
}

static void
desk_web_view_finalize (GObject *object)
{
  DeskWebView *self = DESK_WEB_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pending_html, g_free);
  g_clear_pointer (&self->shown_html, g_free);

  G_OBJECT_CLASS (desk_web_view_parent_class)->finalize (object);
}

static gboolean
desk_web_view_real_open_link (DeskWebView *self,
                              const char  *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
  return TRUE;
}

static void
desk_web_view_class_init (DeskWebViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructor = desk_web_view_constructor;
  object_class->constructed = desk_web_view_constructed;
  object_class->dispose = desk_web_view_dispose;
  object_class->finalize = desk_web_view_finalize;

  signals[OPEN_LINK] =
    g_signal_new_class_handler ("open-link",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (desk_web_view_real_open_link),
                                g_signal_accumulator_true_handled, NULL,
                                NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  signals[CONTENT_SHOWN] =
    g_signal_new ("content-shown",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
desk_web_view_init (DeskWebView *self)
{
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->scripts);
}

GtkWidget *
desk_web_view_new (void)
{
  return g_object_new (DESK_TYPE_WEB_VIEW, NULL);
}

GtkWidget *
desk_web_view_new_with_guards (DeskWebViewGuards guards)
{
  GtkWidget *widget;

  construct_guards = guards;
  widget = g_object_new (DESK_TYPE_WEB_VIEW, NULL);
  construct_guards = DESK_WEB_VIEW_GUARD_ALL;

  return widget;
}

/* ---- API ------------------------------------------------------------------ */

void
desk_web_view_set_html (DeskWebView *self,
                        const char  *html,
                        gboolean     keep_scroll)
{
  g_return_if_fail (DESK_IS_WEB_VIEW (self));
  g_return_if_fail (html != NULL);

  g_free (self->pending_html);
  if (self->guards & DESK_WEB_VIEW_GUARD_CSP)
    self->pending_html = desk_web_view_ensure_csp (html);
  else
    self->pending_html = g_strdup (html);
  self->pending_keep_scroll = !!keep_scroll;
  self->reloaded_after_crash = FALSE;

  pump (self);
}

/* WebKit starts a view's web process with its first load, which takes the
 * main thread 30 ms or more: this gives the view an empty page to load in
 * an idle moment, before anything waits for it. Does nothing once the view
 * has or awaits content. */
void
desk_web_view_warm_up (DeskWebView *self)
{
  g_return_if_fail (DESK_IS_WEB_VIEW (self));

  if (self->has_content || self->busy || self->pending_html != NULL || self->shown_html != NULL)
    return;
  desk_web_view_set_html (self, "<!DOCTYPE html><html><head></head><body></body></html>", FALSE);
}

void
desk_web_view_highlight_block (DeskWebView *self,
                               int          n)
{
  g_return_if_fail (DESK_IS_WEB_VIEW (self));

  queue_script (self, g_strdup_printf (HIGHLIGHT_SCRIPT, MAX (n, -1)), NULL, RESULT_NONE);
}

void
desk_web_view_get_text_async (DeskWebView         *self,
                              DeskWebViewText      what,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  const char *source;

  g_return_if_fail (DESK_IS_WEB_VIEW (self));
  g_return_if_fail (what == DESK_WEB_VIEW_TEXT_BODY || what == DESK_WEB_VIEW_TEXT_TITLE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_web_view_get_text_async);

  if (what == DESK_WEB_VIEW_TEXT_TITLE)
    source = "String(document.title)";
  else
    source = "document.body ? String(document.body.innerText) : ''";

  queue_script (self, g_strdup (source), task, RESULT_STRING);
}

char *
desk_web_view_get_text_finish (DeskWebView   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (DESK_IS_WEB_VIEW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
desk_web_view_get_scroll_y_async (DeskWebView         *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DESK_IS_WEB_VIEW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_web_view_get_scroll_y_async);

  queue_script (self, g_strdup ("window.scrollY"), task, RESULT_NUMBER);
}

gboolean
desk_web_view_get_scroll_y_finish (DeskWebView   *self,
                                   GAsyncResult  *result,
                                   double        *scroll_y,
                                   GError       **error)
{
  g_autofree double *value = NULL;

  g_return_val_if_fail (DESK_IS_WEB_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;

  if (scroll_y != NULL)
    *scroll_y = *value;
  return TRUE;
}

/* ---- the table the app reaches the preview through --------------------- */

static void
ops_set_html (GtkWidget  *view,
              const char *html,
              gboolean    keep_scroll)
{
  desk_web_view_set_html (DESK_WEB_VIEW (view), html, keep_scroll);
}

static void
ops_warm_up (GtkWidget *view)
{
  desk_web_view_warm_up (DESK_WEB_VIEW (view));
}

static void
ops_highlight_block (GtkWidget *view,
                     int        n)
{
  desk_web_view_highlight_block (DESK_WEB_VIEW (view), n);
}

G_MODULE_EXPORT const DeskPreviewOps *
desk_preview_get_ops (void)
{
  static const DeskPreviewOps ops = {
    desk_web_view_new,
    ops_set_html,
    ops_warm_up,
    ops_highlight_block,
  };

  return &ops;
}
