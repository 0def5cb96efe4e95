/* desk-application.c: the Digest Desk application: backend start-up, app actions, demo mode
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <gtksourceview/gtksource.h>

#include "desk-application.h"
#include "desk-empty-theme.h"
#include "desk-font-warmup.h"
#include "desk-trace.h"
#include "desk-about.h"
#include "desk-demo.h"
#include "desk-preferences-window.h"
#include "desk-secret.h"
#include "desk-window.h"

struct _DeskApplication
{
  AdwApplication  parent_instance;

  /* command line */
  gboolean        demo_mode;
  int             demo_interval;
  char           *store_path;
  char           *site_url;

  DeskDemo       *demo;
  char           *demo_dir;      /* the demo's fresh store lives here */
  GdkFrameClock  *backend_waits_for_frame;
  gulong          backend_frame_handler;
  guint           backend_frame_timeout;
  DeskStore      *store;
  DeskSiteClient *client;
  DeskSync       *sync;
  DeskSession    *session;
  DeskSiteConfig *config;
  DeskAccount    *me;
  char           *token;

  GSettings      *settings;       /* NULL when the schema is not installed */
  GtkCssProvider *font_css;

  /* Notifications of important arrivals: the entries known when the first
   * sync ended (its backlog is not news) and those seen since. */
  GHashTable     *known_ids;
  GHashTable     *pending_arrivals;  /* new, not yet fetched in full */
  gboolean        backlog_done;
  gboolean        backlog_syncing;

  GCancellable   *cancellable;
  gboolean        ready;
  gboolean        starting;
  char           *failure;
};

G_DEFINE_FINAL_TYPE (DeskApplication, desk_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

enum {
  BACKEND_FAILED,
  DRAFTS_RESTORED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run on a private demo site with sample entries"), NULL },
  { "demo-interval", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("Seconds between new demo entries (default 60)"), N_("SECONDS") },
  { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use this local store file"), N_("FILE") },
  { "site", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The site's base URL"), N_("URL") },
  { NULL }
};

static void
fail (DeskApplication *self,
      const char      *message)
{
  self->starting = FALSE;
  g_free (self->failure);
  self->failure = g_strdup (message);
  g_warning ("%s", message);
  g_signal_emit (self, signals[BACKEND_FAILED], 0, message);
}

static void
set_ready (DeskApplication *self)
{
  self->starting = FALSE;
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
config_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DeskApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  DeskSiteConfig *config;

  config = desk_site_client_get_config_finish (DESK_SITE_CLIENT (object), result, NULL, &error);
  if (config == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("The site's configuration could not be read (%s); using the defaults",
                   error->message);
      return;
    }
  desk_site_config_free (self->config);
  self->config = config;
}

static void
me_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(DeskApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  DeskAccount *me;

  me = desk_site_client_get_me_finish (DESK_SITE_CLIENT (object), result, NULL, &error);
  if (me == NULL)
    return;
  g_clear_pointer (&self->me, desk_account_free);
  self->me = me;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

/* ---- notifications ------------------------------------------------------------ */

/* An incoming entry this important is news worth interrupting for. */
#define NOTIFY_MIN_IMPORTANCE 4

static void
send_arrival_notification (DeskApplication *self,
                           DeskEntry       *entry)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const DeskImportance *importance = desk_entry_get_importance (entry);
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *body = NULL;
  g_autofree char *notification_id = NULL;
  const char *id = desk_entry_get_id (entry);

  /* The editor looking at the window sees the queue grow. */
  if (window != NULL && gtk_window_is_active (window))
    return;

  notification = g_notification_new (_("Important New Entry"));
  /* TRANSLATORS: the body of the notification of an important new entry:
   * its title and its overall importance (1 to 5). */
  body = g_strdup_printf (_("“%s” arrived with importance %d."), desk_entry_get_title (entry),
                          (int) importance->overall);
  g_notification_set_body (notification, body);
  icon = g_themed_icon_new (APP_ID);
  g_notification_set_icon (notification, icon);
  g_notification_set_default_action_and_target (notification, "app.open-entry", "s", id);
  notification_id = g_strconcat ("new-entry-", id, NULL);
  g_application_send_notification (G_APPLICATION (self), notification_id, notification);
}

static void
arrival_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DeskApplication) self = user_data;
  g_autoptr(DeskEntry) entry = desk_store_get_entry_finish (DESK_STORE (object), result, NULL);

  /* Only its summary yet: the full entry follows (sync fetches incoming
   * entries ahead), with another ::entries-changed. */
  if (entry == NULL || !g_hash_table_remove (self->pending_arrivals, desk_entry_get_id (entry)))
    return;
  if (desk_entry_get_status (entry) != DESK_ENTRY_STATUS_INCOMING ||
      desk_entry_get_importance (entry)->overall < NOTIFY_MIN_IMPORTANCE)
    return;
  send_arrival_notification (self, entry);
}

static void
entries_changed (DeskSync           *sync,
                 const char * const *ids,
                 DeskApplication    *self)
{
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (!g_hash_table_contains (self->known_ids, ids[i]))
        {
          g_hash_table_add (self->known_ids, g_strdup (ids[i]));
          if (self->backlog_done)
            g_hash_table_add (self->pending_arrivals, g_strdup (ids[i]));
        }
      if (g_hash_table_contains (self->pending_arrivals, ids[i]))
        desk_store_get_entry_async (self->store, ids[i], self->cancellable, arrival_loaded,
                                    g_object_ref (self));
    }
}

static void
backlog_listed (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DeskApplication) self = user_data;
  g_autoptr(GPtrArray) rows = desk_store_list_rows_finish (DESK_STORE (object), result, NULL);

  self->backlog_syncing = FALSE;
  if (rows == NULL)
    return;
  for (guint i = 0; i < rows->len; i++)
    {
      const DeskStoreRow *row = g_ptr_array_index (rows, i);
      g_hash_table_add (self->known_ids, g_strdup (row->id));
    }
  self->backlog_done = TRUE;
}

static void
backlog_synced (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DeskApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_sync_sync_now_finish (DESK_SYNC (object), result, &error))
    {
      /* Offline: the backlog is what the first sync that works brings. */
      self->backlog_syncing = FALSE;
      return;
    }
  /* What was incoming before the app ran, even when the store had it
   * already and this sync did not touch it. */
  desk_store_list_rows_async (self->store, DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_INCOMING),
                              DESK_STORE_SORT_UPDATED_DESC, 0, -1, self->cancellable,
                              backlog_listed, g_object_ref (self));
}

static void
sync_backlog (DeskApplication *self)
{
  if (self->backlog_done || self->backlog_syncing || self->sync == NULL ||
      desk_sync_get_state (self->sync) == DESK_SYNC_STATE_OFFLINE)
    return;
  self->backlog_syncing = TRUE;
  desk_sync_sync_now_async (self->sync, self->cancellable, backlog_synced, g_object_ref (self));
}

static void
sync_state_changed (DeskApplication *self)
{
  sync_backlog (self);
}

static void
sync_started (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DeskApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_sync_start_finish (DESK_SYNC (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error->message);
      return;
    }
  set_ready (self);
  sync_backlog (self);
}

static void
session_started (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DeskApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) restored = NULL;

  restored = desk_session_start_finish (DESK_SESSION (object), result, &error);
  if (restored == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error->message);
      return;
    }
  if (restored->len > 0)
    {
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint i = 0; i < restored->len; i++)
        {
          const DeskSessionRestored *r = g_ptr_array_index (restored, i);
          g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "", r->entry_id);
        }
      /* For the log: which drafts came back (titles are in the toast). */
      g_message ("Restored %u draft(s) after an unclean exit: %s", restored->len, ids->str);
      g_signal_emit (self, signals[DRAFTS_RESTORED], 0, restored);
    }

  desk_sync_start_async (self->sync, self->cancellable, sync_started, g_object_ref (self));
}

static GSettings *app_settings (void);

/* The autosave delay of the preferences: a draft is written at most this
 * long after the first unsaved change, and after a pause of half of it. */
static void
apply_autosave_delay (DeskApplication *self)
{
  int delay;

  if (self->settings == NULL || self->session == NULL)
    return;
  delay = g_settings_get_int (self->settings, "autosave-delay-ms");
  g_object_set (self->session,
                "max-latency-ms", (guint) delay,
                "quiet-ms", (guint) MIN (500, delay / 2),
                NULL);
}

/* The editor font of the preferences ("Noto Sans CJK JP 12"), as CSS for
 * the translation's fields; empty: the default. */
static void
apply_editor_font (DeskApplication *self)
{
  g_autofree char *name = NULL;
  g_autoptr(GString) css = g_string_new (NULL);

  if (self->settings == NULL)
    return;
  name = g_settings_get_string (self->settings, "editor-font");
  if (name[0] != '\0')
    {
      PangoFontDescription *desc = pango_font_description_from_string (name);
      const char *family = pango_font_description_get_family (desc);
      int size = pango_font_description_get_size (desc);

      g_string_append (css, "deskeditor textview.desk-field, deskeditor textview.desk-body, deskeditor entry {");
      if (family != NULL && strchr (family, '"') == NULL && strchr (family, '}') == NULL)
        g_string_append_printf (css, " font-family: \"%s\";", family);
      if (size > 0)
        g_string_append_printf (css, " font-size: %dpt;", size / PANGO_SCALE);
      g_string_append (css, " }");
      pango_font_description_free (desc);
    }
  if (self->font_css == NULL)
    {
      self->font_css = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (self->font_css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  gtk_css_provider_load_from_data (self->font_css, css->str, -1);
}

static void
store_opened (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DeskApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  self->store = desk_store_new_finish (result, &error);
  if (self->store == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message =
            g_strdup_printf (_("The local store could not be opened: %s"), error->message);
          fail (self, message);
        }
      return;
    }

  if (desk_store_get_recovered (self->store))
    g_message ("The local store was damaged and rebuilt; the damaged file is %s; "
               "%u drafts and %u queued operations were salvaged",
               desk_store_get_corrupt_path (self->store), desk_store_get_salvaged_drafts (self->store),
               desk_store_get_salvaged_outbox (self->store));

  self->client = desk_site_client_new (self->site_url, self->token, &error);
  if (self->client == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The site address cannot be used: %s"), error->message);
      fail (self, message);
      return;
    }
  self->sync = desk_sync_new (self->store, self->client, NULL);
  /* Tests against a site that fails on purpose cap the outbox's backoff
   * (default five minutes) so that they end in bounded time. */
  if (g_getenv ("DESK_RETRY_MAX_MS") != NULL)
    g_object_set (self->sync, "retry-max-ms",
                  (guint) g_ascii_strtoull (g_getenv ("DESK_RETRY_MAX_MS"), NULL, 10), NULL);
  self->session = desk_session_new (self->store);
  apply_autosave_delay (self);
  g_signal_connect_object (self->sync, "entries-changed", G_CALLBACK (entries_changed), self, 0);
  g_signal_connect_object (self->sync, "notify::state", G_CALLBACK (sync_state_changed), self,
                           G_CONNECT_SWAPPED);

  desk_site_client_get_config_async (self->client, self->cancellable, config_done,
                                     g_object_ref (self));
  desk_site_client_get_me_async (self->client, self->cancellable, me_done, g_object_ref (self));
  desk_session_start_async (self->session, self->cancellable, session_started,
                            g_object_ref (self));
}

static char *
default_store_path (const char *site_url)
{
  g_autoptr(GUri) uri = g_uri_parse (site_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *host = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "digest-desk", NULL);

  host = g_strdup_printf ("%s-%d", uri != NULL && g_uri_get_host (uri) ? g_uri_get_host (uri) : "site",
                          uri != NULL ? g_uri_get_port (uri) : 0);
  g_strcanon (host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", '_');
  name = g_strconcat (host, ".db", NULL);
  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, name, NULL);
}

static void
open_store (DeskApplication *self)
{
  g_autofree char *path = NULL;

  if (self->store_path != NULL)
    path = g_strdup (self->store_path);
  else if (self->demo_dir != NULL)
    path = g_build_filename (self->demo_dir, "store.db", NULL);
  else
    path = default_store_path (self->site_url);

  desk_store_new_async (path, self->cancellable, store_opened, g_object_ref (self));
}

static void
demo_started (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DeskApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_demo_start_finish (DESK_DEMO (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message =
            g_strdup_printf (_("The demo site could not be started: %s"), error->message);
          fail (self, message);
        }
      return;
    }
  g_free (self->site_url);
  self->site_url = g_strdup (desk_demo_get_base_url (self->demo));
  g_free (self->token);
  self->token = g_strdup (desk_demo_get_token (self->demo));
  /* For scripts driving the demo: where it is (the demo token is public). */
  g_printerr ("demo site %s token %s\n", self->site_url, self->token);
  open_store (self);
}

/* ---- the token and the settings (preferences) ---------------------------------- */

/* The settings, or NULL when the schema is not installed (a run from the
 * build tree without GSETTINGS_SCHEMA_DIR). */
static GSettings *
app_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL || (schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)) == NULL)
    return NULL;
  return g_settings_new (APP_ID);
}

static void
token_looked_up (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DeskApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = desk_secret_lookup_token_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_message ("The keyring could not be read (%s); continuing without a token", error->message);
  g_free (self->token);
  self->token = token;
  open_store (self);
}

/* DIGEST_DESK_TOKEN overrides the keyring for scripted runs; otherwise the
 * token stored by the preferences for this site and account is used. */
static void
read_token_then_open_store (DeskApplication *self)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *account = NULL;

  g_free (self->token);
  self->token = g_strdup (g_getenv ("DIGEST_DESK_TOKEN"));
  if (self->token != NULL || (settings = app_settings ()) == NULL)
    {
      open_store (self);
      return;
    }
  account = g_settings_get_string (settings, "account");
  desk_secret_lookup_token_async (self->site_url, account, self->cancellable, token_looked_up,
                                  g_object_ref (self));
}

static void
preferences_token_changed (DeskPreferencesWindow *window,
                           const char            *site_url,
                           const char            *account,
                           const char            *token,
                           DeskApplication       *self)
{
  if (self->client != NULL && self->demo == NULL &&
      g_strcmp0 (site_url, desk_site_client_get_base_url (self->client)) == 0)
    desk_site_client_set_token (self->client, token[0] != '\0' ? token : NULL);
}

/* The outbox has a new write: deliver it now rather than at the next retry. */
static void
preferences_glossary_queued (DeskApplication *self)
{
  if (self->sync != NULL)
    desk_sync_retry_now (self->sync);
}

/* The editor's glossary as the preferences hold it (imported prh rules,
 * edits not yet uploaded) is what QA enforces from now on. */
static void
preferences_glossary_changed (DeskPreferencesWindow *window,
                              const DeskGlossary    *glossary,
                              DeskApplication       *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (DESK_IS_WINDOW (l->data))
      desk_window_set_qa_glossary (DESK_WINDOW (l->data), glossary);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  DeskApplication *self = user_data;
  g_autoptr(GSettings) settings = app_settings ();
  DeskPreferencesWindow *window;

  if (settings == NULL)
    {
      g_warning ("The settings schema %s is not installed; the preferences cannot be shown", APP_ID);
      return;
    }
  window = desk_preferences_window_new (settings, self->store);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  g_signal_connect_object (window, "token-changed", G_CALLBACK (preferences_token_changed), self, 0);
  g_signal_connect_object (window, "glossary-changed", G_CALLBACK (preferences_glossary_changed), self, 0);
  g_signal_connect_object (window, "glossary-queued", G_CALLBACK (preferences_glossary_queued), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
start_backend (DeskApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->ready || self->starting)
    return;
  self->starting = TRUE;
  desk_trace ("backend-starts");

  if (self->demo_mode)
    {
      self->demo_dir = g_dir_make_tmp ("digest-desk-demo-XXXXXX", &error);
      if (self->demo_dir == NULL)
        {
          fail (self, error->message);
          return;
        }
      self->demo = desk_demo_new (NULL, NULL);
      if (self->demo_interval > 0)
        g_object_set (self->demo, "interval-seconds", (guint) self->demo_interval, NULL);
      desk_demo_start_async (self->demo, self->cancellable, demo_started, g_object_ref (self));
      return;
    }

  if (self->site_url == NULL || self->site_url[0] == '\0')
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      /* Run from the build tree, the schema may not be installed. */
      if (source != NULL && (schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)))
        {
          g_autoptr(GSettings) settings = g_settings_new (APP_ID);
          g_free (self->site_url);
          self->site_url = g_settings_get_string (settings, "site-url");
        }
    }
  if (self->site_url == NULL || self->site_url[0] == '\0')
    {
      fail (self, _("No site is configured. Start Digest Desk with --site URL, or try it with --demo."));
      return;
    }
  read_token_then_open_store (self);
}

/* ---- actions ------------------------------------------------------------------ */

static DeskWindow *
get_window (DeskApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (desk_window_new (self));
  return DESK_WINDOW (window);
}

static void
open_entry_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  DeskApplication *self = user_data;
  DeskWindow *window = get_window (self);

  gtk_window_present (GTK_WINDOW (window));
  desk_window_open_entry (window, g_variant_get_string (parameter, NULL));
}

static void
sync_now_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!desk_sync_sync_now_finish (DESK_SYNC (object), result, &error))
    g_message ("Sync failed: %s", error->message);
}

static void
sync_now_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  DeskApplication *self = user_data;

  if (self->sync != NULL)
    desk_sync_sync_now_async (self->sync, self->cancellable, sync_now_done, NULL);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  DeskApplication *self = user_data;
  GtkWidget *about = desk_about_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)));

  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  DeskApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Each window flushes its draft as it closes; the session is shut down
   * cleanly in shutdown. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_destroy (window);
    }
}

/* With DESK_MEASURE_STALLS set (the reliability tests), the longest time
 * the main loop did not come round, after the start, is printed at quit. */
#define STALL_TICK_MS 10

static gint64 stall_last;
static gint64 stall_max;

static gboolean
stall_tick (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (stall_last != 0)
    {
      gint64 stall = now - stall_last - STALL_TICK_MS * 1000;

      if (stall >= 30000)
        g_printerr ("main-loop stall: %.1f ms, from %" G_GINT64_FORMAT " us\n",
                    stall / 1000.0, stall_last + STALL_TICK_MS * 1000);
      stall_max = MAX (stall_max, stall);
    }
  stall_last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
start_stall_measure (gpointer user_data)
{
  stall_last = 0;
  g_timeout_add (STALL_TICK_MS, stall_tick, NULL);
  return G_SOURCE_REMOVE;
}

/* SIGTERM and SIGINT (Ctrl+C in a terminal) end the run cleanly: drafts
 * written, the session marked clean, the demo site stopped. */
static gboolean
quit_on_signal (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
  return G_SOURCE_CONTINUE;
}

static void
token_stored (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!desk_secret_store_token_finish (result, &error))
    g_message ("The new token could not be kept in the keyring: %s", error->message);
}

/* The editor gives a new token after the site refused the old one: used
 * at once for the queued work, and kept in the keyring for the next start
 * (never in the store, GSettings or the log). */
static void
set_token_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  DeskApplication *self = user_data;
  const char *token = g_variant_get_string (parameter, NULL);
  g_autoptr(GSettings) settings = NULL;

  if (self->client == NULL || token[0] == '\0')
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  desk_site_client_set_token (self->client, token);
  if (self->demo == NULL && (settings = app_settings ()) != NULL)
    {
      g_autofree char *account = g_settings_get_string (settings, "account");

      desk_secret_store_token_async (self->site_url, account, token, self->cancellable, token_stored, NULL);
    }
  if (self->sync != NULL)
    desk_sync_retry_now (self->sync);
}

static const GActionEntry app_actions[] = {
  { "set-token", set_token_action, "s" },
  { "open-entry", open_entry_action, "s" },
  { "sync-now", sync_now_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

/* ---- GApplication ------------------------------------------------------------- */

static int
desk_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  DeskApplication *self = DESK_APPLICATION (app);

  /* Options are for this instance: each demo or store is its own run. */
  self->demo_mode = g_variant_dict_contains (options, "demo");
  g_variant_dict_lookup (options, "demo-interval", "i", &self->demo_interval);
  g_variant_dict_lookup (options, "store", "^ay", &self->store_path);
  g_variant_dict_lookup (options, "site", "s", &self->site_url);
  if (self->demo_interval < 0)
    {
      g_printerr ("%s\n", _("--demo-interval must be a positive number of seconds"));
      return 1;
    }
  /* A run on its own store or site is its own instance, unless it was
   * given an application id of its own (--gapplication-app-id), under
   * which scripts can drive it; the demo owns the application's name. */
  if (!self->demo_mode && (self->store_path != NULL || self->site_url != NULL) &&
      g_strcmp0 (g_application_get_application_id (app), APP_ID) == 0)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static void
load_icon_theme (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GtkIconTheme *theme = task_data;
  /* Those of the window's first frame; the lookups stay in the theme's cache. */
  static const char *names[] = {
    "open-menu-symbolic", "network-idle-symbolic", "folder-documents-symbolic",
    "document-edit-symbolic", "edit-find-symbolic", "pan-down-symbolic",
    "system-search-symbolic", "edit-clear-symbolic",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_object_unref (gtk_icon_theme_lookup_icon (theme, names[i], NULL, 16, 1, GTK_TEXT_DIR_NONE, 0));
}

/* The icon theme reads its index files and caches on its first lookup,
 * 6 to 9 ms, which the first frame waited for. GtkIconTheme allows
 * lookups from other threads once it is made on the main thread, so it
 * is loaded in a worker while the window is built. Not earlier: adding a
 * resource path, as libadwaita, GtkApplication and GtkSourceView do in
 * their start, makes the theme load again. */
static void
start_loading_icon_theme (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GTask) task = NULL;

  if (display == NULL)
    return;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, g_object_ref (gtk_icon_theme_get_for_display (display)), g_object_unref);
  g_task_run_in_thread (task, load_icon_theme);
}

static void
desk_application_startup (GApplication *app)
{
  DeskApplication *self = DESK_APPLICATION (app);
  static const char *next_accels[] = { "<Alt>Down", NULL };
  static const char *next_finding_accels[] = { "F8", NULL };
  static const char *previous_finding_accels[] = { "<Shift>F8", NULL };
  static const char *previous_accels[] = { "<Alt>Up", NULL };
  static const char *approve_accels[] = { "<Control>Return", NULL };
  static const char *publish_accels[] = { "<Control><Shift>p", NULL };
  static const char *original_accels[] = { "<Control>1", NULL };
  static const char *preview_accels[] = { "<Control>2", NULL };
  static const char *translation_accels[] = { "<Alt>1", NULL };
  static const char *metadata_accels[] = { "<Alt>2", NULL };
  static const char *qa_accels[] = { "<Alt>3", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *save_accels[] = { "<Control>s", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *changes_accels[] = { "<Control>d", NULL };
  static const char *sync_accels[] = { "F5", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };

  desk_trace ("startup");
  /* The display first, so the fonts load beside the rest of the start.
   * The launcher (main.c) has usually opened it; if it could not, GTK
   * counts itself started and gtk_init () would no longer say why, so
   * this does, and stops as gtk_init () does. */
  if (!gtk_init_check () || gdk_display_get_default () == NULL)
    {
      g_printerr ("%s\n", _("Digest Desk cannot open a display: run it in a graphical session."));
      exit (1);
    }
  desk_font_warmup_start ();
  G_APPLICATION_CLASS (desk_application_parent_class)->startup (app);
  desk_empty_theme_settle (gtk_settings_get_default ());
  desk_trace ("toolkit-ready");

  gtk_source_init ();
  start_loading_icon_theme ();
  g_unix_signal_add (SIGTERM, quit_on_signal, self);
  self->settings = app_settings ();
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::autosave-delay-ms",
                               G_CALLBACK (apply_autosave_delay), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::editor-font",
                               G_CALLBACK (apply_editor_font), self, G_CONNECT_SWAPPED);
      apply_editor_font (self);
    }
  if (g_getenv ("DESK_MEASURE_STALLS") != NULL)
    /* From two seconds in: the start itself is measured by its benchmark. */
    g_timeout_add_seconds (2, start_stall_measure, NULL);
  g_unix_signal_add (SIGINT, quit_on_signal, self);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.next-entry", next_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.next-finding", next_finding_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.previous-finding", previous_finding_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.previous-entry", previous_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.approve", approve_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.publish", publish_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-original", original_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-preview", preview_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-translation", translation_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-metadata", metadata_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-qa", qa_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.focus-search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.save", save_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.toggle-changes", changes_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.sync-now", sync_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", help_accels);
}

static void
trace_layout (GdkFrameClock *clock)
{
  g_signal_handlers_disconnect_by_func (clock, trace_layout, NULL);
  desk_trace ("first-layout");
}

static void
stop_waiting_for_frame (DeskApplication *self)
{
  if (self->backend_waits_for_frame != NULL)
    g_clear_signal_handler (&self->backend_frame_handler, self->backend_waits_for_frame);
  g_clear_object (&self->backend_waits_for_frame);
  g_clear_handle_id (&self->backend_frame_timeout, g_source_remove);
}

static void
first_frame_painted (GdkFrameClock   *clock,
                     DeskApplication *self)
{
  gint64 now = g_get_monotonic_time ();

  desk_trace ("first-frame");
  stop_waiting_for_frame (self);
  start_backend (self);
  /* For the startup benchmark (tests/bench): the frame's time, on the
   * clock the benchmark also reads, then quit. */
  if (g_getenv ("DESK_BENCH_FIRST_FRAME") != NULL)
    {
      g_print ("first-frame %" G_GINT64_FORMAT "\n", now);
      g_application_quit (G_APPLICATION (self));
    }
}

/* A window that is never drawn (minimized at once, say) still starts. */
static gboolean
first_frame_late (gpointer user_data)
{
  DeskApplication *self = user_data;

  self->backend_frame_timeout = 0;
  start_backend (self);
  return G_SOURCE_REMOVE;
}

/* The store is opened and read, the keyring asked and the site connected
 * once the window has painted its first frame: on two cores their threads
 * took the CPU from the first frame and from the X server drawing it. */
static void
window_mapped (GtkWidget       *window,
               DeskApplication *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  desk_trace ("mapped");
  g_signal_handlers_disconnect_by_func (window, window_mapped, self);
  if (clock == NULL || self->backend_waits_for_frame != NULL)
    return;
  self->backend_waits_for_frame = g_object_ref (clock);
  self->backend_frame_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (first_frame_painted), self);
  g_signal_connect (clock, "layout", G_CALLBACK (trace_layout), NULL);
  self->backend_frame_timeout = g_timeout_add (500, first_frame_late, self);
}

static void
desk_application_activate (GApplication *app)
{
  DeskApplication *self = DESK_APPLICATION (app);
  GtkWindow *window;

  desk_trace ("activate");
  if (desk_font_warmup_finish ())
    desk_trace ("fonts-ready");
  window = GTK_WINDOW (get_window (self));
  desk_trace ("window-built");
  if (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_signal_connect (window, "map", G_CALLBACK (window_mapped), self);
  gtk_window_present (window);
  desk_trace ("presented");
  if (self->backend_waits_for_frame == NULL)
    start_backend (self);
}

static void
session_shut_down (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_session_shutdown_finish (DESK_SESSION (object), result, &error))
    g_warning ("The session could not be closed cleanly: %s", error->message);
  *done = TRUE;
}

static void
desk_application_shutdown (GApplication *app)
{
  DeskApplication *self = DESK_APPLICATION (app);

  stop_waiting_for_frame (self);
  g_cancellable_cancel (self->cancellable);
  if (self->sync != NULL)
    desk_sync_stop (self->sync);
  if (self->session != NULL)
    {
      gboolean done = FALSE;

      /* The windows are gone; waiting here for the drafts to be written
       * keeps nothing on screen from answering. */
      desk_session_shutdown_async (self->session, NULL, session_shut_down, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }
  if (self->demo != NULL)
    desk_demo_stop (self->demo);
  if (g_getenv ("DESK_MEASURE_STALLS") != NULL)
    g_printerr ("main-loop longest stall: %.1f ms\n", stall_max / 1000.0);

  G_APPLICATION_CLASS (desk_application_parent_class)->shutdown (app);
}

static void
desk_application_dispose (GObject *object)
{
  DeskApplication *self = DESK_APPLICATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->sync);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->demo);
  if (self->demo_dir != NULL)
    {
      g_autofree char *store = g_build_filename (self->demo_dir, "store.db", NULL);
      const char *suffixes[] = { "", "-wal", "-shm", ".session", ".outbox-journal" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *path = g_strconcat (store, suffixes[i], NULL);
          g_unlink (path);
        }
      g_rmdir (self->demo_dir);
      g_clear_pointer (&self->demo_dir, g_free);
    }
  g_clear_object (&self->settings);
  g_clear_object (&self->font_css);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->known_ids, g_hash_table_unref);
  g_clear_pointer (&self->pending_arrivals, g_hash_table_unref);
  G_OBJECT_CLASS (desk_application_parent_class)->dispose (object);
}

static void
desk_application_finalize (GObject *object)
{
  DeskApplication *self = DESK_APPLICATION (object);

  g_clear_pointer (&self->config, desk_site_config_free);
  g_clear_pointer (&self->me, desk_account_free);
  g_free (self->store_path);
  g_free (self->site_url);
  g_free (self->token);
  g_free (self->failure);
  G_OBJECT_CLASS (desk_application_parent_class)->finalize (object);
}

static void
desk_application_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DeskApplication *self = DESK_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_application_class_init (DeskApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = desk_application_dispose;
  object_class->finalize = desk_application_finalize;
  object_class->get_property = desk_application_get_property;

  app_class->handle_local_options = desk_application_handle_local_options;
  app_class->startup = desk_application_startup;
  app_class->activate = desk_application_activate;
  app_class->shutdown = desk_application_shutdown;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[BACKEND_FAILED] =
    g_signal_new ("backend-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[DRAFTS_RESTORED] =
    g_signal_new ("drafts-restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
desk_application_init (DeskApplication *self)
{
  self->cancellable = g_cancellable_new ();
  self->known_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_arrivals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->config = desk_site_config_new_default ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Review machine-translated AI news before it goes live."));
}

DeskApplication *
desk_application_new (void)
{
  return g_object_new (DESK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS | G_APPLICATION_CAN_OVERRIDE_APP_ID,
                       "resource-base-path", "/io/github/digestdesk/DigestDesk",
                       NULL);
}

gboolean
desk_application_get_ready (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), FALSE);
  return self->ready;
}

DeskStore *
desk_application_get_store (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), NULL);
  return self->store;
}

DeskSync *
desk_application_get_sync (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), NULL);
  return self->sync;
}

DeskSession *
desk_application_get_session (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), NULL);
  return self->session;
}

DeskSiteClient *
desk_application_get_client (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), NULL);
  return self->client;
}

const DeskSiteConfig *
desk_application_get_config (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), NULL);
  return self->config;
}

const char *
desk_application_get_display_name (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), NULL);
  if (self->me == NULL)
    return NULL;
  return self->me->display_name != NULL ? self->me->display_name : self->me->account;
}

const char *
desk_application_get_account (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), NULL);
  return self->me != NULL ? self->me->account : NULL;
}

const char *
desk_application_get_site_url (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), NULL);
  return self->site_url;
}

GObject *
desk_application_get_demo (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), NULL);
  return self->demo != NULL ? G_OBJECT (self->demo) : NULL;
}

gboolean
desk_application_get_watching_arrivals (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), FALSE);
  return self->backlog_done;
}
