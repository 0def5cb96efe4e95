/* desk-window.c: the main window: queue, review workspace, workflow actions
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "desk-conflict-dialog.h"
#include "desk-fetch.h"
#include "desk-inspector.h"
#include "desk-qa-panel.h"
#include "desk-queue-row.h"
#include "desk-site-render.h"
#include "desk-preview-loader.h"
#include "desk-window.h"

struct _DeskWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  AdwToastOverlay      *toast_overlay;
  GtkPaned             *outer_paned;
  AdwWindowTitle       *sidebar_title;
  GtkButton            *sync_button;
  GtkImage             *sync_icon;
  GtkLabel             *sync_label;
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *status_button;
  GtkMenuButton        *sort_button;
  GtkStack             *queue_stack;
  GtkScrolledWindow    *queue_scroller;
  GtkListView          *queue_view;
  AdwStatusPage        *queue_empty;
  AdwWindowTitle       *entry_title;
  GtkLabel             *status_pill;
  GtkToggleButton      *changes_toggle;
  GtkButton            *publish_button;
  GtkButton            *approve_button;
  GtkMenuButton        *reject_button;
  GtkPopover           *reject_popover;
  GtkEntry             *reject_reason;
  GtkButton            *reject_confirm;
  GtkButton            *review_button;
  GtkButton            *save_button;
  GtkRevealer          *lock_revealer;
  GtkMenuButton        *main_menu_button;
  GMenuModel           *main_menu;
  GMenuModel           *status_menu;
  GMenuModel           *sort_menu;
  GtkRevealer          *token_revealer;
  DeskQaPanel          *qa_panel;
  GtkStackPage         *qa_page;
  DeskQa               *qa;
  GPtrArray            *qa_findings;       /* DeskQaFinding*, of the open entry as shown */
  guint                 qa_timeout;
  const DeskSiteConfig *qa_config;         /* the config DeskQa was given */
  int                   qa_cursor;         /* the finding F8 went to last */
  char                 *qa_counted_id;     /* the entry whose error count the store has */
  int                   qa_counted;
  GPtrArray            *ignored_checks;    /* of the open entry, as stored */
  GPtrArray            *ignored_texts;
  gboolean              glossary_from_site;
  guint                 count_timeout;     /* the queue's QA counts, soon */
  GCancellable         *count_cancellable; /* of the count under way */
  GtkRevealer          *save_revealer;
  GtkLabel             *save_label;
  GtkLabel             *lock_label;
  GtkButton            *take_over_button;
  GtkRevealer          *published_revealer;
  GtkLabel             *published_label;
  GtkStack             *workspace_stack;
  AdwStatusPage        *workspace_status;
  GtkButton            *retry_button;
  GtkSpinner           *loading_spinner;
  GtkStack             *edit_stack;
  GtkBox               *editor_box;
  DeskEditor           *editor;           /* created with the first entry */
  GtkBox               *inspector_box;
  DeskChangesView      *changes_view;
  GtkStack             *web_stack;
  GtkBox               *original_box;
  GtkBox               *preview_box;

  DeskInspector        *inspector;
  GtkWidget            *original_view;   /* made after the first frame */
  GtkWidget            *preview_view;
  const DeskPreviewOps *preview;         /* the preview module's table */

  DeskQueueModel       *queue;
  GtkSingleSelection   *selection;
  gboolean              backend_connected;
  gboolean              queue_shown;   /* read once from the store, or given up */
  GtkSpinner           *queue_spinner;
  guint                 queue_spinner_timeout;
  gboolean              token_prompted;
  GtkWindow            *token_dialog;    /* weak */

  /* the open entry */
  char                 *current_id;
  DeskEntry            *entry;
  gint64                base_revision;
  gboolean              dirty;            /* edited since the last send */
  guint                 edit_serial;
  DeskEditable         *sent;             /* the fields last sent, until they land */
  gboolean              read_only;
  char                 *lock_text;
  GCancellable         *entry_cancellable;
  int                  *block_to_original;
  guint                 n_blocks;
  int                   highlighted;
  gint64                publish_op;
  DeskEntryStatus       pending_status;   /* the status once our queued writes land */
  guint                 preview_timeout;
  guint                 warm_up_source;
  guint                 warm_up_step;
  gboolean              preview_failed;
  guint                 lock_timeout;
  gboolean              selecting;
  char                 *last_toast;
};

G_DEFINE_FINAL_TYPE (DeskWindow, desk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  ENTRY_SHOWN,
  PREVIEW_UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Milliseconds after the last keystroke before the preview is rendered. */
#define PREVIEW_DELAY_MS 250
#define QUEUE_SPINNER_DELAY_MS 500

/* The queue's filters, the targets of win.queue-status and win.queue-sort
 * (and of the menus in desk-window.ui); the first of each is the default.
 * The value is a status mask or a DeskStoreSort. */
typedef struct {
  const char *id;
  const char *label;
  guint       value;
} QueueChoice;

static const QueueChoice queue_statuses[] = {
  { "to-review", N_("To review"),
    DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_INCOMING) | DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_IN_REVIEW) },
  { "incoming", N_("Incoming"), DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_INCOMING) },
  { "in-review", N_("In review"), DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_IN_REVIEW) },
  { "approved", N_("Approved"), DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_APPROVED) },
  { "published", N_("Published"), DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_PUBLISHED) },
  { "rejected", N_("Rejected"), DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_REJECTED) },
  { "all", N_("All"), DESK_STORE_STATUS_ALL },
};

static const QueueChoice queue_sorts[] = {
  { "newest", N_("Newest"), DESK_STORE_SORT_COLLECTED_DESC },
  { "importance", N_("Most important"), DESK_STORE_SORT_IMPORTANCE_DESC },
  { "oldest", N_("Oldest"), DESK_STORE_SORT_UPDATED_ASC },
};

/* A banner's revealer is hidden while closed: hidden, it is not laid out
 * with the window (four banners, their labels and buttons, measured for
 * each frame though none was shown). */
static void
revealer_closed (GtkRevealer *revealer)
{
  if (!gtk_revealer_get_reveal_child (revealer) && !gtk_revealer_get_child_revealed (revealer))
    gtk_widget_set_visible (GTK_WIDGET (revealer), FALSE);
}

static void
set_revealed (GtkRevealer *revealer,
              gboolean     reveal)
{
  if (reveal)
    gtk_widget_set_visible (GTK_WIDGET (revealer), TRUE);
  gtk_revealer_set_reveal_child (revealer, reveal);
}

static DeskApplication *
get_app (DeskWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  return app != NULL ? DESK_APPLICATION (app) : NULL;
}

static DeskSync *
get_sync (DeskWindow *self)
{
  DeskApplication *app = get_app (self);
  return app != NULL ? desk_application_get_sync (app) : NULL;
}

static void
toast_for (DeskWindow *self,
           const char *message,
           guint       seconds)
{
  AdwToast *t = adw_toast_new (message);

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);

  adw_toast_set_timeout (t, seconds);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
toast (DeskWindow *self,
       const char *message)
{
  toast_for (self, message, 4);
}

/* ---- fields -------------------------------------------------------------------- */

static void fields_changed (DeskWindow *self);
static void queue_qa (DeskWindow *self);
static void update_highlight (DeskWindow *self);

/* The editor (a GtkSourceView) and the inspector are made after the
 * window's first frame (see warm_up_step) or with the first entry,
 * whichever comes first: the first frame does not wait for them. */
static void finding_activated (DeskWindow *self, guint index);
static void edit_page_changed (DeskWindow *self);

/* The review workspace, the "entry" page of workspace_stack, is not part
 * of the window's template (desk-window-entry.ui): nothing of it shows
 * before an entry is opened, and building it with the window cost the
 * first frame 5 to 8 ms. The warm-up builds it after the first frame;
 * whatever needs it earlier builds it then. */
static void
ensure_entry_page (DeskWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->edit_stack != NULL)
    return;
  builder = gtk_builder_new_from_resource ("/io/github/digestdesk/DigestDesk/ui/desk-window-entry.ui");
  self->edit_stack = GTK_STACK (gtk_builder_get_object (builder, "edit_stack"));
  self->editor_box = GTK_BOX (gtk_builder_get_object (builder, "editor_box"));
  self->inspector_box = GTK_BOX (gtk_builder_get_object (builder, "inspector_box"));
  self->qa_page = GTK_STACK_PAGE (gtk_builder_get_object (builder, "qa_page"));
  self->qa_panel = DESK_QA_PANEL (gtk_builder_get_object (builder, "qa_panel"));
  self->changes_view = DESK_CHANGES_VIEW (gtk_builder_get_object (builder, "changes_view"));
  self->web_stack = GTK_STACK (gtk_builder_get_object (builder, "web_stack"));
  self->original_box = GTK_BOX (gtk_builder_get_object (builder, "original_box"));
  self->preview_box = GTK_BOX (gtk_builder_get_object (builder, "preview_box"));
  gtk_stack_add_named (self->workspace_stack, GTK_WIDGET (gtk_builder_get_object (builder, "work_paned")), "entry");
  g_signal_connect_swapped (self->qa_panel, "finding-activated", G_CALLBACK (finding_activated), self);
  g_signal_connect_swapped (self->edit_stack, "notify::visible-child-name", G_CALLBACK (edit_page_changed), self);
}

static void
ensure_editor (DeskWindow *self)
{
  if (self->editor != NULL)
    return;
  ensure_entry_page (self);
  self->editor = DESK_EDITOR (desk_editor_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->editor), TRUE);
  gtk_box_append (self->editor_box, GTK_WIDGET (self->editor));
  g_signal_connect_swapped (self->editor, "changed", G_CALLBACK (fields_changed), self);
  g_signal_connect_swapped (self->editor, "notify::cursor-block", G_CALLBACK (update_highlight), self);
}

static void
ensure_workspace (DeskWindow *self)
{
  ensure_editor (self);
  if (self->inspector != NULL)
    return;
  self->inspector = DESK_INSPECTOR (desk_inspector_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->inspector), TRUE);
  gtk_box_append (self->inspector_box, GTK_WIDGET (self->inspector));
  g_signal_connect_swapped (self->inspector, "changed", G_CALLBACK (fields_changed), self);
}

DeskEditable *
desk_window_dup_fields (DeskWindow *self)
{
  g_autoptr(DeskEditable) fields = NULL;

  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  if (self->editor == NULL)
    return desk_editable_new ();
  fields = desk_editor_get_fields (self->editor);
  if (self->inspector != NULL)
    {
      g_autoptr(DeskEditable) meta = desk_inspector_get_fields (self->inspector);
      desk_editable_merge (fields, meta);
    }
  return g_steal_pointer (&fields);
}

/* The entry's current values of the fields the window edits. */
static DeskEditable *
entry_fields (DeskWindow *self)
{
  DeskEditable *fields = desk_editable_copy (desk_entry_get_fields (self->entry));

  fields->present &= DESK_FIELDS_ALL;
  return fields;
}

/* Whether @fields differ from what the site has or will have once what
 * was sent lands. */
static gboolean
fields_differ_from_entry (DeskWindow         *self,
                          const DeskEditable *fields)
{
  g_autoptr(DeskEditable) current = entry_fields (self);

  if (self->sent != NULL)
    desk_editable_merge (current, self->sent);
  return (desk_editable_diff (current, fields) & fields->present) != 0;
}

/* ---- actions' state -------------------------------------------------------------- */

static void
set_action_enabled (DeskWindow *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_actions (DeskWindow *self)
{
  gboolean have = self->entry != NULL;
  gboolean writable = have && !self->read_only;
  DeskEntryStatus status = have ? self->pending_status : DESK_ENTRY_STATUS_INCOMING;
  const DeskPublished *published = have ? desk_entry_get_published (self->entry) : NULL;

  set_action_enabled (self, "approve", writable &&
                      (status == DESK_ENTRY_STATUS_INCOMING || status == DESK_ENTRY_STATUS_IN_REVIEW));
  set_action_enabled (self, "reject", writable && status != DESK_ENTRY_STATUS_PUBLISHED &&
                      status != DESK_ENTRY_STATUS_REJECTED);
  set_action_enabled (self, "back-to-review", writable &&
                      (status == DESK_ENTRY_STATUS_APPROVED || status == DESK_ENTRY_STATUS_REJECTED));
  set_action_enabled (self, "publish", writable && status != DESK_ENTRY_STATUS_REJECTED);
  set_action_enabled (self, "confirm-publish", writable && status != DESK_ENTRY_STATUS_REJECTED);
  set_action_enabled (self, "save", writable);
  set_action_enabled (self, "set-field", writable);
  set_action_enabled (self, "toggle-changes", have);
  set_action_enabled (self, "copy-published-url", published != NULL && published->url != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->approve_button), have && status != DESK_ENTRY_STATUS_PUBLISHED &&
                          status != DESK_ENTRY_STATUS_APPROVED && status != DESK_ENTRY_STATUS_REJECTED);
  gtk_widget_set_visible (GTK_WIDGET (self->review_button), have &&
                          (status == DESK_ENTRY_STATUS_APPROVED || status == DESK_ENTRY_STATUS_REJECTED));
  gtk_widget_set_visible (GTK_WIDGET (self->reject_button), have && status != DESK_ENTRY_STATUS_PUBLISHED &&
                          status != DESK_ENTRY_STATUS_REJECTED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reject_button), writable);
  gtk_widget_set_visible (GTK_WIDGET (self->publish_button), have && status != DESK_ENTRY_STATUS_REJECTED);
  gtk_button_set_label (self->publish_button, status == DESK_ENTRY_STATUS_PUBLISHED
                                                ? _("Re_publish") : _("_Publish"));
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), have);
  gtk_widget_set_visible (GTK_WIDGET (self->changes_toggle), have);

  if (have)
    {
      const char *classes[] = { "incoming", "in-review", "approved", "published", "rejected" };

      gtk_label_set_text (self->status_pill, desk_status_display_name (status));
      for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
        {
          if (i == (guint) status)
            gtk_widget_add_css_class (GTK_WIDGET (self->status_pill), classes[i]);
          else
            gtk_widget_remove_css_class (GTK_WIDGET (self->status_pill), classes[i]);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->status_pill), have);

  if (published != NULL && published->url != NULL)
    {
      /* Translators: %s is the URL of the published page */
      g_autofree char *text = g_strdup_printf (_("Published at %s"), published->url);
      gtk_label_set_text (self->published_label, text);
      set_revealed (self->published_revealer, TRUE);
    }
  else
    set_revealed (self->published_revealer, FALSE);
}

/* ---- sync indicator --------------------------------------------------------------- */

char *
desk_window_dup_sync_text (DeskWindow *self)
{
  DeskSync *sync = get_sync (self);
  gint64 pending;
  const char *state;

  if (sync == NULL)
    return g_strdup (_("Starting…"));
  pending = desk_sync_get_pending_operations (sync);
  switch (desk_sync_get_state (sync))
    {
    case DESK_SYNC_STATE_OFFLINE:
      state = _("Offline");
      break;
    case DESK_SYNC_STATE_SYNCING:
      state = _("Syncing");
      break;
    case DESK_SYNC_STATE_ONLINE:
    default:
      state = _("Online");
      break;
    }
  if (pending > 0)
    /* Translators: the sync state, then the number of changes waiting to be sent */
    return g_strdup_printf (g_dngettext (NULL, "%s, %d change waiting", "%s, %d changes waiting",
                                         pending), state, (int) pending);
  return g_strdup (state);
}

static void
update_sync_indicator (DeskWindow *self)
{
  DeskSync *sync = get_sync (self);
  g_autofree char *text = desk_window_dup_sync_text (self);
  const char *icon = "network-idle-symbolic";
  gint64 pending = 0;

  if (sync != NULL)
    {
      pending = desk_sync_get_pending_operations (sync);
      switch (desk_sync_get_state (sync))
        {
        case DESK_SYNC_STATE_OFFLINE:
          icon = "network-offline-symbolic";
          break;
        case DESK_SYNC_STATE_SYNCING:
          icon = "emblem-synchronizing-symbolic";
          break;
        case DESK_SYNC_STATE_ONLINE:
        default:
          icon = "network-transmit-receive-symbolic";
          break;
        }
    }
  gtk_image_set_from_icon_name (self->sync_icon, icon);
  if (pending > 0)
    {
      g_autofree char *count = g_strdup_printf ("%d", (int) pending);
      gtk_label_set_text (self->sync_label, count);
    }
  else
    gtk_label_set_text (self->sync_label, "");
  if (sync != NULL && desk_sync_get_last_error (sync) != NULL &&
      desk_sync_get_state (sync) == DESK_SYNC_STATE_OFFLINE)
    {
      g_autofree char *tip = g_strdup_printf ("%s\n%s", text, desk_sync_get_last_error (sync));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), tip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), text);
  /* The icon and the count say it to the eye; this to a screen reader. */
  {
    g_autofree char *name = g_strdup_printf (_("Sync Now (%s)"), text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    name, -1);
  }
  adw_window_title_set_subtitle (self->sidebar_title, text);
}

/* ---- drafts that cannot be written ---------------------------------------------------- */

static DeskSession *
get_session (DeskWindow *self)
{
  DeskApplication *app = get_app (self);

  return app != NULL ? desk_application_get_session (app) : NULL;
}

static void
update_save_banner (DeskWindow *self)
{
  DeskSession *session = get_session (self);
  const char *error = session != NULL ? desk_session_get_save_error (session) : NULL;
  gboolean was = gtk_revealer_get_reveal_child (self->save_revealer);

  if (error != NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_("Drafts cannot be saved on this computer (%s). They are kept in memory and "
                           "saved as soon as there is room again; do not quit until then."), error);

      gtk_label_set_text (self->save_label, text);
    }
  set_revealed (self->save_revealer, error != NULL);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "retry-save")),
                               error != NULL);
  if (was && error == NULL)
    toast (self, _("The drafts kept in memory are saved"));
}

static void
retry_save_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  DeskSession *session = get_session (user_data);

  if (session != NULL)
    desk_session_flush_async (session, NULL, NULL, NULL);
}

/* ---- a refused token ------------------------------------------------------------------ */

static void
update_token_banner (DeskWindow *self)
{
  DeskSync *sync = get_sync (self);
  gboolean refused = sync != NULL && desk_sync_get_unauthorized (sync);

  set_revealed (self->token_revealer, refused);
  /* The action is there while the site refuses the token (scripts and
   * tests read its enabled state). */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "enter-token")),
                               refused);
  if (!refused && self->token_dialog != NULL)
    gtk_window_close (self->token_dialog);
  /* The prompt comes once per refusal, not on every retry. */
  if (refused && !self->token_prompted && gtk_window_is_active (GTK_WINDOW (self)))
    {
      self->token_prompted = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (self), "win.enter-token", NULL);
    }
  if (!refused)
    self->token_prompted = FALSE;
}

static void
token_response (AdwMessageDialog *dialog,
                const char       *response,
                DeskWindow       *self)
{
  GtkEditable *entry;
  const char *token;

  if (g_strcmp0 (response, "save") != 0)
    return;
  entry = g_object_get_data (G_OBJECT (dialog), "entry");
  token = gtk_editable_get_text (entry);
  if (token[0] != '\0')
    g_action_group_activate_action (G_ACTION_GROUP (gtk_window_get_application (GTK_WINDOW (self))),
                                    "set-token", g_variant_new_string (token));
}

static void
token_entry_activate (GtkPasswordEntry *entry,
                      AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "save");
}

static void
enter_token_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  DeskWindow *self = user_data;
  GtkWidget *dialog, *entry;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Enter a New Access Token"),
                                   _("The site refused the token it was given, perhaps because it expired "
                                     "or was revoked. Ask the site's administrator for a new one. It is "
                                     "kept in the keyring, never in the app's files."));
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Access token"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Later"),
                                    "save", _("_Use Token"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "entry", g_object_ref (entry), g_object_unref);
  g_signal_connect (entry, "activate", G_CALLBACK (token_entry_activate), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (token_response), self, 0);
  g_set_weak_pointer (&self->token_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* ---- queue ------------------------------------------------------------------------ */

static void
queue_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  gtk_list_item_set_child (item, desk_queue_row_new ());
}

static void
queue_bind (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  desk_queue_row_set_item (DESK_QUEUE_ROW (gtk_list_item_get_child (item)),
                           gtk_list_item_get_item (item));
}

static void
queue_unbind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  desk_queue_row_set_item (DESK_QUEUE_ROW (gtk_list_item_get_child (item)), NULL);
}

/* The queue's spinner shows only when reading the store takes a while:
 * usually it takes a tenth of a second, and a spinner that flashes for
 * that long is noise. (It also spared the first frame loading the SVG
 * renderer for the spinner's icon, 4 ms.) */
static gboolean
start_queue_spinner (gpointer user_data)
{
  DeskWindow *self = user_data;

  self->queue_spinner_timeout = 0;
  if (!self->queue_shown)
    gtk_spinner_start (self->queue_spinner);
  return G_SOURCE_REMOVE;
}

static void
stop_queue_spinner (DeskWindow *self)
{
  g_clear_handle_id (&self->queue_spinner_timeout, g_source_remove);
  gtk_spinner_stop (self->queue_spinner);
}

static void
update_queue_empty (DeskWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));

  if (self->queue_shown || n > 0)
    stop_queue_spinner (self);
  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->queue_stack, "list");
      return;
    }
  /* Not "No Entries" before the store has been read. */
  if (!self->queue_shown)
    {
      gtk_stack_set_visible_child_name (self->queue_stack, "loading");
      if (self->queue_spinner_timeout == 0 && !gtk_spinner_get_spinning (self->queue_spinner))
        self->queue_spinner_timeout = g_timeout_add (QUEUE_SPINNER_DELAY_MS, start_queue_spinner, self);
      return;
    }
  if (desk_queue_model_get_query (self->queue) != NULL)
    {
      adw_status_page_set_icon_name (self->queue_empty, "edit-find-symbolic");
      adw_status_page_set_title (self->queue_empty, _("No Results"));
      adw_status_page_set_description (self->queue_empty, _("No entry matches the search."));
    }
  else
    {
      /* An icon of Debian 12's Adwaita and of the GNOME runtime's. */
      adw_status_page_set_icon_name (self->queue_empty, "folder-documents-symbolic");
      adw_status_page_set_title (self->queue_empty, _("No Entries"));
      adw_status_page_set_description (self->queue_empty,
                                       get_sync (self) == NULL ? _("Connecting to the site…") : NULL);
    }
  gtk_stack_set_visible_child_name (self->queue_stack, "empty");
}

/* Keeps the open entry selected when the list changes around it. */
static void
select_current (DeskWindow *self)
{
  guint position = desk_queue_model_find (self->queue, self->current_id);

  self->selecting = TRUE;
  if (position == G_MAXUINT)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  else if (gtk_single_selection_get_selected (self->selection) != position)
    gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;
}

/* The selection follows the open entry by id (select_current () once the
 * new rows are in): let go of the item now, or GtkSingleSelection would
 * look for it in every new row. */
static void
queue_swapping (DeskWindow *self)
{
  if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
    return;
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
}

static void
queue_loaded (DeskWindow *self)
{
  self->queue_shown = TRUE;
  select_current (self);
  update_queue_empty (self);
}

static void
selection_changed (DeskWindow *self)
{
  DeskQueueItem *item;

  if (self->selecting)
    return;
  item = gtk_single_selection_get_selected_item (self->selection);
  if (item != NULL)
    desk_window_open_entry (self, desk_queue_item_get_id (item));
}

static void
search_changed (DeskWindow *self)
{
  desk_queue_model_set_query (self->queue, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* The choice @value names in @choices, made @action's state and shown on
 * @button; NULL, and nothing changed, when it names none. */
static const QueueChoice *
choose (GSimpleAction     *action,
        GVariant          *value,
        const QueueChoice *choices,
        guint              n_choices,
        GtkMenuButton     *button)
{
  const char *id = g_variant_get_string (value, NULL);

  for (guint i = 0; i < n_choices; i++)
    if (strcmp (id, choices[i].id) == 0)
      {
        gtk_menu_button_set_label (button, _(choices[i].label));
        g_simple_action_set_state (action, value);
        return &choices[i];
      }
  return NULL;
}

/* win.queue-status('approved'): an unknown status leaves the filter as it is. */
static void
queue_status_action (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  DeskWindow *self = user_data;
  const QueueChoice *choice = choose (action, value, queue_statuses, G_N_ELEMENTS (queue_statuses),
                                      self->status_button);

  if (choice != NULL)
    desk_queue_model_set_status_mask (self->queue, choice->value);
}

/* win.queue-sort('importance') */
static void
queue_sort_action (GSimpleAction *action,
                   GVariant      *value,
                   gpointer       user_data)
{
  DeskWindow *self = user_data;
  const QueueChoice *choice = choose (action, value, queue_sorts, G_N_ELEMENTS (queue_sorts),
                                      self->sort_button);

  if (choice != NULL)
    desk_queue_model_set_sort (self->queue, choice->value);
}

/* ---- web views, alignment, preview ----------------------------------------------- */

static void preview_shown (GtkWidget *view, DeskWindow *self);

/* The views come from the preview module (see desk-preview-ops.h), loaded
 * in a worker after the first frame, or here at the latest. FALSE (and the
 * editor told once) when it cannot be loaded: the rest of the window works. */
static gboolean
ensure_web_views (DeskWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->original_view != NULL)
    return TRUE;
  ensure_entry_page (self);
  if (self->preview == NULL && (self->preview = desk_preview_loader_get (&error)) == NULL)
    {
      if (!self->preview_failed)
        toast (self, error->message);
      self->preview_failed = TRUE;
      return FALSE;
    }
  self->original_view = self->preview->new_view ();
  gtk_widget_set_vexpand (self->original_view, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->original_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Original page"), -1);
  gtk_box_append (self->original_box, self->original_view);
  /* A link the user clicks opens in the browser (DeskWebView's default
   * handler, http and https only); the view itself never navigates. */

  self->preview_view = self->preview->new_view ();
  gtk_widget_set_vexpand (self->preview_view, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preview as on the site"), -1);
  gtk_box_append (self->preview_box, self->preview_view);
  g_signal_connect (self->preview_view, "content-shown", G_CALLBACK (preview_shown), self);
  return TRUE;
}

static gboolean warm_up_step (gpointer user_data);

#define WARM_UP_DONE 100

static void
preview_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DeskWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const DeskPreviewOps *ops = desk_preview_loader_load_finish (result, &error);

  if (self->warm_up_step >= WARM_UP_DONE)
    return;   /* the window is going */
  if (ops == NULL)
    {
      g_message ("%s", error->message);   /* told when an entry is opened */
      return;
    }
  self->preview = ops;
  if (self->warm_up_source == 0)
    self->warm_up_source = g_idle_add_full (G_PRIORITY_LOW, warm_up_step, self, NULL);
}

/* After the first frame, in idle moments, one piece per main-loop turn:
 * what the first entry would otherwise make all at once (GtkSourceView's
 * definitions, the editor, the inspector, WebKit's views and their web
 * processes), which froze the window for 40 to 120 ms when it opened. */
static gboolean
warm_up_step (gpointer user_data)
{
  DeskWindow *self = user_data;

  switch (self->warm_up_step++)
    {
    case 0:
      ensure_entry_page (self);
      return G_SOURCE_CONTINUE;
    case 1:
      desk_editor_warm_up ();
      return G_SOURCE_CONTINUE;
    case 2:
      ensure_editor (self);
      return G_SOURCE_CONTINUE;
    case 3:
      ensure_workspace (self);
      return G_SOURCE_CONTINUE;
    case 4:
      /* WebKit's libraries are loaded in a worker; preview_loaded goes on. */
      if (self->preview == NULL)
        {
          desk_preview_loader_load_async (NULL, preview_loaded, g_object_ref (self));
          self->warm_up_source = 0;
          return G_SOURCE_REMOVE;
        }
      return G_SOURCE_CONTINUE;
    case 5:
      ensure_web_views (self);
      return G_SOURCE_CONTINUE;
    case 6:
      if (self->original_view != NULL)
        self->preview->warm_up (self->original_view);
      return G_SOURCE_CONTINUE;
    case 7:
      if (self->preview_view != NULL)
        self->preview->warm_up (self->preview_view);
      G_GNUC_FALLTHROUGH;
    default:
      self->warm_up_source = 0;
      return G_SOURCE_REMOVE;
    }
}

static void
first_frame_painted (GdkFrameClock *clock,
                     DeskWindow    *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_painted, self);
  if (self->warm_up_source == 0 && self->warm_up_step == 0)
    self->warm_up_source = g_idle_add_full (G_PRIORITY_LOW, warm_up_step, self, NULL);
}

static void
window_mapped (DeskWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock != NULL && self->warm_up_step == 0)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (first_frame_painted), self, 0);
}

typedef struct {
  char      *original_html;
  char      *body;
  char      *html;          /* out: sanitized, with the block marks */
  int       *map;           /* out */
  guint      n_blocks;
} Prepare;

static void
prepare_free (Prepare *p)
{
  g_free (p->original_html);
  g_free (p->body);
  g_free (p->html);
  g_free (p->map);
  g_free (p);
}

/* The badge each original block shows, matching the ¶N in the editor's
 * gutter, and the highlight of the block under the cursor. */
static const char block_style[] =
  "<style>"
  "[data-block]{position:relative}"
  "[data-block]::before{content:\"¶\" attr(data-block-label);position:absolute;left:-2.6em;"
  "width:2.2em;text-align:right;font:600 11px/1.9 system-ui,sans-serif;color:#9a9996}"
  "body{padding-left:2.8em!important}"
  ".desk-highlight{background:rgba(53,132,228,.14);outline:2px solid rgba(53,132,228,.45);"
  "outline-offset:3px;border-radius:3px}"
  "</style>";

/* Runs in a worker thread: sanitizing and aligning a long original takes
 * longer than a frame. */
static void
prepare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Prepare *p = task_data;
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) pairs = NULL;
  g_autoptr(GString) marked = NULL;
  const char *head_end;

  html = desk_sanitize_html_and_segment (p->original_html != NULL ? p->original_html : "", -1,
                                         0, &blocks, &error);
  if (html == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* data-block counts from 0; the badge shows it from 1. */
  marked = g_string_new (html);
  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    {
      g_autofree char *needle = g_strdup_printf ("data-block=\"%u\"", i);
      g_autofree char *with = g_strdup_printf ("data-block=\"%u\" data-block-label=\"%u\"", i, i + 1);
      char *at = strstr (marked->str, needle);
      if (at != NULL)
        {
          gsize pos = at - marked->str;
          g_string_erase (marked, pos, strlen (needle));
          g_string_insert (marked, pos, with);
        }
    }
  head_end = strstr (marked->str, "</head>");
  if (head_end != NULL)
    g_string_insert (marked, head_end - marked->str, block_style);
  p->html = g_string_free (g_steal_pointer (&marked), FALSE);

  spans = desk_markdown_split_blocks (p->body != NULL ? p->body : "", -1);
  pairs = desk_align (blocks, spans, p->body != NULL ? p->body : "");
  p->n_blocks = spans->len;
  p->map = g_new (int, MAX (1, spans->len));
  for (guint i = 0; i < spans->len; i++)
    p->map[i] = desk_align_original_for (pairs, i);
  g_task_return_boolean (task, TRUE);
}

static void
update_highlight (DeskWindow *self)
{
  int block = self->editor != NULL ? desk_editor_get_cursor_block (self->editor) : -1;
  int original = -1;

  if (block >= 0 && (guint) block < self->n_blocks && self->block_to_original != NULL)
    original = self->block_to_original[block];
  if (original == self->highlighted)
    return;
  self->highlighted = original;
  if (self->original_view != NULL)
    self->preview->highlight_block (self->original_view, original);
}

int
desk_window_get_highlighted_block (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), -1);
  update_highlight (self);
  return self->highlighted;
}

static void
original_shown (GtkWidget   *view,
                DeskWindow  *self)
{
  g_signal_handlers_disconnect_by_func (view, original_shown, self);
  if (self->current_id != NULL)
    g_signal_emit (self, signals[ENTRY_SHOWN], 0, self->current_id);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DeskWindow *self = DESK_WINDOW (object);
  Prepare *p = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_autofree char *message = g_strdup_printf (_("The original could not be shown: %s"), error->message);
      toast (self, message);
      return;
    }
  g_free (self->block_to_original);
  self->block_to_original = g_steal_pointer (&p->map);
  self->n_blocks = p->n_blocks;
  self->highlighted = -2;
  desk_editor_set_alignment (self->editor, self->block_to_original, self->n_blocks);

  if (self->original_view != NULL)
    {
      g_signal_connect (self->original_view, "content-shown", G_CALLBACK (original_shown), self);
      self->preview->set_html (self->original_view, p->html, FALSE);
    }
  update_highlight (self);
}

static void
render_preview (DeskWindow *self)
{
  g_autoptr(DeskEditable) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  DeskApplication *app = get_app (self);

  if (self->entry == NULL || self->preview_view == NULL)
    return;
  fields = desk_window_dup_fields (self);
  html = desk_site_render_entry (self->entry, fields,
                                 app != NULL ? desk_application_get_config (app) : NULL,
                                 0, &error);
  if (html == NULL)
    {
      g_warning ("The preview could not be rendered: %s", error->message);
      return;
    }
  self->preview->set_html (self->preview_view, html, TRUE);
}

static void
preview_shown (GtkWidget  *view,
               DeskWindow *self)
{
  if (self->entry == NULL)
    return;   /* the empty page of the warm-up */
  g_signal_emit (self, signals[PREVIEW_UPDATED], 0);
}

static gboolean
preview_timeout_cb (gpointer user_data)
{
  DeskWindow *self = user_data;

  self->preview_timeout = 0;
  render_preview (self);
  return G_SOURCE_REMOVE;
}

static void
queue_preview (DeskWindow *self)
{
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  self->preview_timeout = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout_cb, self);
}

static void
update_changes_view (DeskWindow *self)
{
  g_autoptr(DeskEditable) fields = NULL;

  if (self->entry == NULL || self->edit_stack == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->edit_stack), "changes") != 0)
    return;
  fields = desk_window_dup_fields (self);
  desk_changes_view_set (self->changes_view, desk_entry_get_machine (self->entry), fields);
}

/* ---- editing -------------------------------------------------------------------------- */

static void
fields_changed (DeskWindow *self)
{
  g_autoptr(DeskEditable) fields = NULL;
  DeskApplication *app = get_app (self);
  DeskSession *session = app != NULL ? desk_application_get_session (app) : NULL;

  if (self->entry == NULL || self->read_only)
    return;
  self->dirty = TRUE;
  self->edit_serial++;
  fields = desk_window_dup_fields (self);
  if (session != NULL)
    desk_session_update_draft (session, self->current_id, self->base_revision, fields);
  queue_preview (self);
  queue_qa (self);
}

static void
show_fields (DeskWindow         *self,
             const DeskEditable *fields)
{
  DeskApplication *app = get_app (self);
  const DeskSiteConfig *config = app != NULL ? desk_application_get_config (app) : NULL;

  ensure_workspace (self);
  if (config != NULL)
    desk_editor_set_limits (self->editor, config->title_max_chars, config->tldr_max_chars);
  desk_editor_set_fields (self->editor, fields);
  if (self->inspector != NULL)
    {
      desk_inspector_set_config (self->inspector, config);
      desk_inspector_set_fields (self->inspector, fields, self->read_only);
    }
}

static void
set_read_only (DeskWindow *self,
               gboolean    read_only,
               const char *text)
{
  self->read_only = read_only;
  if (self->editor != NULL)
    desk_editor_set_read_only (self->editor, read_only);
  if (self->inspector != NULL)
    {
      g_autoptr(DeskEditable) fields = desk_window_dup_fields (self);
      desk_inspector_set_fields (self->inspector, fields, read_only);
    }
  g_free (self->lock_text);
  self->lock_text = g_strdup (text);
  gtk_label_set_text (self->lock_label, text != NULL ? text : "");
  set_revealed (self->lock_revealer, text != NULL);
  update_actions (self);
}

static char *
lock_time (const char *rfc3339)
{
  g_autoptr(GDateTime) when = rfc3339 ? g_date_time_new_from_iso8601 (rfc3339, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return g_strdup ("?");
  local = g_date_time_to_local (when);
  return g_date_time_format (local, "%H:%M");
}

static gboolean lock_timeout_cb (gpointer user_data);

static void
refresh_lock (DeskWindow *self)
{
  DeskSync *sync = get_sync (self);
  g_autofree char *editor = NULL;
  g_autofree char *expires = NULL;

  g_clear_handle_id (&self->lock_timeout, g_source_remove);
  if (sync == NULL || self->current_id == NULL)
    return;
  if (desk_sync_is_read_only (sync, self->current_id, &editor, &expires))
    {
      g_autoptr(GDateTime) until = expires ? g_date_time_new_from_iso8601 (expires, NULL) : NULL;
      g_autofree char *hhmm = lock_time (expires);
      g_autofree char *text = NULL;
      gboolean expired = until == NULL || g_date_time_to_unix (until) * G_USEC_PER_SEC <= g_get_real_time ();

      if (expired)
        /* Translators: %s is an editor's account; 「○○さんの編集ロックは期限切れです」 */
        text = g_strdup_printf (_("%s was editing this entry; the lock has expired and you can take over."), editor);
      else
        /* Translators: %s is an editor's account, then a time; 「○○さんが編集中（12:30 まで）」 */
        text = g_strdup_printf (_("%s is editing this entry (until %s). It is read-only for you."), editor, hhmm);
      gtk_widget_set_sensitive (GTK_WIDGET (self->take_over_button), expired);
      set_read_only (self, TRUE, text);
      if (!expired)
        self->lock_timeout = g_timeout_add_seconds (
          MAX (1, g_date_time_to_unix (until) - g_get_real_time () / G_USEC_PER_SEC + 1),
          lock_timeout_cb, self);
    }
  else if (self->read_only || self->lock_text != NULL)
    set_read_only (self, FALSE, NULL);
}

static gboolean
lock_timeout_cb (gpointer user_data)
{
  DeskWindow *self = user_data;

  self->lock_timeout = 0;
  refresh_lock (self);
  return G_SOURCE_REMOVE;
}

/* ---- translation QA ------------------------------------------------------------------ */

/* The preferences: the house style override and each check's switch and
 * severity (when the settings schema is installed). */
static void
apply_qa_settings (DeskWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *style = NULL;
  g_autoptr(GVariant) checks = NULL;
  g_autoptr(GStrvBuilder) enabled = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  DeskHouseStyle house;

  if (source == NULL || (schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)) == NULL)
    return;
  settings = g_settings_new (APP_ID);
  style = g_settings_get_string (settings, "house-style-override");
  if (desk_house_style_from_string (style, &house))
    desk_qa_set_house_style (self->qa, house);
  else
    desk_qa_unset_house_style (self->qa);

  checks = g_settings_get_value (settings, "qa-checks");
  for (const char * const *id = desk_qa_check_ids (); *id != NULL; id++)
    {
      gboolean on = TRUE;
      const char *severity = "default";

      g_variant_lookup (checks, *id, "(b&s)", &on, &severity);
      if (on)
        g_strv_builder_add (enabled, *id);
      if (g_strcmp0 (severity, "error") == 0)
        desk_qa_set_check_severity (self->qa, *id, DESK_QA_SEVERITY_ERROR);
      else if (g_strcmp0 (severity, "warning") == 0)
        desk_qa_set_check_severity (self->qa, *id, DESK_QA_SEVERITY_WARNING);
      else if (g_strcmp0 (severity, "info") == 0)
        desk_qa_set_check_severity (self->qa, *id, DESK_QA_SEVERITY_INFO);
      else
        desk_qa_reset_check_severity (self->qa, *id);
    }
  ids = g_strv_builder_end (enabled);
  desk_qa_set_enabled_checks (self->qa, (const char * const *) ids);
}

static void
qa_counted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DeskWindow) self = user_data;

  if (desk_store_set_qa_errors_finish (DESK_STORE (object), result, NULL))
    desk_queue_model_reload (self->queue);
}

static void
run_qa (DeskWindow *self)
{
  DeskApplication *app = get_app (self);
  const DeskSiteConfig *config = app != NULL ? desk_application_get_config (app) : NULL;
  g_autoptr(DeskEditable) fields = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;
  guint errors, warnings;

  g_clear_handle_id (&self->qa_timeout, g_source_remove);
  if (self->entry == NULL || self->editor == NULL)
    return;
  if (config != self->qa_config)
    {
      desk_qa_set_config (self->qa, config);
      self->qa_config = config;
    }
  fields = desk_window_dup_fields (self);
  g_clear_pointer (&self->qa_findings, g_ptr_array_unref);
  self->qa_findings = desk_qa_check (self->qa, fields, desk_entry_get_original (self->entry));
  self->qa_cursor = -1;

  desk_editor_mark_findings (self->editor, self->qa_findings);
  desk_qa_panel_set_findings (self->qa_panel, self->qa_findings, self->read_only);
  errors = desk_qa_count (self->qa_findings, DESK_QA_SEVERITY_ERROR);
  warnings = desk_qa_count (self->qa_findings, DESK_QA_SEVERITY_WARNING);
  title = errors + warnings > 0 ? g_strdup_printf (_("QA (%u)"), errors + warnings) : g_strdup (_("QA"));
  gtk_stack_page_set_title (self->qa_page, title);

  /* The queue shows the entry's error count. */
  if (app != NULL && desk_application_get_store (app) != NULL &&
      (g_strcmp0 (self->qa_counted_id, self->current_id) != 0 || self->qa_counted != (int) errors))
    {
      g_free (self->qa_counted_id);
      self->qa_counted_id = g_strdup (self->current_id);
      self->qa_counted = errors;
      desk_store_set_qa_errors_async (desk_application_get_store (app), self->current_id,
                                      desk_entry_get_revision (self->entry), errors, NULL,
                                      qa_counted_cb, g_object_ref (self));
    }
}

static gboolean
qa_timeout_cb (gpointer user_data)
{
  DeskWindow *self = user_data;

  self->qa_timeout = 0;
  run_qa (self);
  return G_SOURCE_REMOVE;
}

/* As the editor types: one check 150 ms after the last keystroke. */
static void
queue_qa (DeskWindow *self)
{
  g_clear_handle_id (&self->qa_timeout, g_source_remove);
  self->qa_timeout = g_timeout_add (150, qa_timeout_cb, self);
}

static void
ignored_listed (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DeskWindow) self = user_data;
  g_autoptr(GPtrArray) ignored = desk_store_list_ignored_finish (DESK_STORE (object), result, NULL);

  if (ignored == NULL)
    return;
  g_ptr_array_set_size (self->ignored_checks, 0);
  g_ptr_array_set_size (self->ignored_texts, 0);
  for (guint i = 0; i < ignored->len; i++)
    {
      const DeskIgnoredFinding *f = g_ptr_array_index (ignored, i);

      if (g_strcmp0 (f->entry_id, self->current_id) != 0)
        return;  /* another entry opened since */
      g_ptr_array_add (self->ignored_checks, g_strdup (f->check_id));
      g_ptr_array_add (self->ignored_texts, g_strdup (f->snippet));
    }
  desk_qa_set_ignored (self->qa, self->ignored_checks, self->ignored_texts);
  run_qa (self);
}

static void
load_ignored (DeskWindow *self)
{
  DeskApplication *app = get_app (self);

  g_ptr_array_set_size (self->ignored_checks, 0);
  g_ptr_array_set_size (self->ignored_texts, 0);
  desk_qa_set_ignored (self->qa, NULL, NULL);
  if (app != NULL && desk_application_get_store (app) != NULL && self->current_id != NULL)
    desk_store_list_ignored_async (desk_application_get_store (app), self->current_id, NULL,
                                   ignored_listed, g_object_ref (self));
}

static void
glossary_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DeskWindow) self = user_data;
  g_autoptr(DeskGlossary) glossary = desk_store_get_glossary_finish (DESK_STORE (object), result, NULL);

  if (self->glossary_from_site)
    return;  /* the site's, fetched meanwhile, is newer */
  desk_qa_set_glossary (self->qa, glossary);
  run_qa (self);
}

/* The site's glossary, fetched at start and kept in the store: the stored
 * one serves until it comes (and offline). */
static void
glossary_fetched (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DeskWindow) self = user_data;
  g_autoptr(DeskGlossary) glossary = NULL;
  DeskApplication *app = get_app (self);

  glossary = desk_site_client_get_glossary_finish (DESK_SITE_CLIENT (object), result, NULL, NULL, NULL);
  if (glossary == NULL)
    return;
  self->glossary_from_site = TRUE;
  if (app != NULL && desk_application_get_store (app) != NULL)
    desk_store_set_glossary_async (desk_application_get_store (app), glossary, NULL, NULL, NULL);
  desk_qa_set_glossary (self->qa, glossary);
  run_qa (self);
}

static const DeskQaFinding *
finding_at (DeskWindow *self,
            guint       index)
{
  if (self->qa_findings == NULL || index >= self->qa_findings->len)
    return NULL;
  return g_ptr_array_index (self->qa_findings, index);
}

/* Shows a finding: selects its text in the editor, or shows the metadata
 * for fields the inspector holds. */
static void
select_finding (DeskWindow *self,
                guint       index)
{
  const DeskQaFinding *f = finding_at (self, index);

  if (f == NULL || self->editor == NULL)
    return;
  self->qa_cursor = index;
  if (desk_editor_select_span (self->editor, f->field, f->start, f->end))
    gtk_stack_set_visible_child_name (self->edit_stack, "translation");
  else
    gtk_stack_set_visible_child_name (self->edit_stack, "metadata");
}

static void
finding_activated (DeskWindow *self,
                   guint       index)
{
  select_finding (self, index);
}

/* Reading order: the title, the TL;DR, the body, then what the inspector
 * holds (key points, tags, scores). */
static int
field_rank (const char *field)
{
  if (g_strcmp0 (field, "title") == 0)
    return 0;
  if (g_strcmp0 (field, "tldr") == 0)
    return 1;
  if (g_strcmp0 (field, "body") == 0)
    return 2;
  return 3;
}

static int
compare_in_reading_order (gconstpointer a,
                          gconstpointer b,
                          gpointer      findings)
{
  guint i = *(const guint *) a, j = *(const guint *) b;
  const DeskQaFinding *x = g_ptr_array_index ((GPtrArray *) findings, i);
  const DeskQaFinding *y = g_ptr_array_index ((GPtrArray *) findings, j);
  int rx = field_rank (x->field), ry = field_rank (y->field);
  int c;

  if (rx != ry)
    return rx < ry ? -1 : 1;
  if (rx == 3 && (c = g_strcmp0 (x->field, y->field)) != 0)
    return c;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return i < j ? -1 : i > j;
}

/* F8 and Shift+F8 go to the next or previous finding in reading order:
 * from the one they selected last while it is still selected, otherwise
 * from the cursor (a finding starting at the cursor is the next one). */
static void
step_finding (DeskWindow *self,
              int         direction)
{
  guint n = self->qa_findings != NULL ? self->qa_findings->len : 0;
  g_autoptr(GArray) order = NULL;
  const DeskQaFinding *last = self->qa_cursor >= 0 ? finding_at (self, (guint) self->qa_cursor) : NULL;
  const char *focus = self->editor != NULL ? desk_editor_get_focus_field (self->editor) : NULL;
  gsize start = 0, end = 0;
  int at = -1;

  if (n == 0)
    return;
  order = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);
  for (guint i = 0; i < n; i++)
    g_array_append_val (order, i);
  g_array_sort_with_data (order, compare_in_reading_order, self->qa_findings);

  if (last != NULL && self->editor != NULL &&
      (field_rank (last->field) == 3
         ? focus == NULL
         : g_strcmp0 (focus, last->field) == 0 &&
           desk_editor_get_selection (self->editor, last->field, &start, &end) &&
           start == last->start && end == last->end))
    {
      /* Still on the last one selected: the one beside it. */
      for (guint k = 0; k < n; k++)
        if (g_array_index (order, guint, k) == (guint) self->qa_cursor)
          at = (int) ((k + direction + n) % n);
    }
  else if (focus != NULL && desk_editor_get_selection (self->editor, focus, &start, &end))
    {
      int rank = field_rank (focus);

      if (direction > 0)
        {
          at = 0;   /* past the last one: round to the first */
          for (guint k = 0; k < n; k++)
            {
              const DeskQaFinding *f = finding_at (self, g_array_index (order, guint, k));
              int r = field_rank (f->field);

              if (r > rank || (r == rank && f->start >= end))
                {
                  at = (int) k;
                  break;
                }
            }
        }
      else
        {
          at = (int) n - 1;
          for (guint k = n; k > 0; k--)
            {
              const DeskQaFinding *f = finding_at (self, g_array_index (order, guint, k - 1));
              int r = field_rank (f->field);

              if (r < rank || (r == rank && f->start < start))
                {
                  at = (int) k - 1;
                  break;
                }
            }
        }
    }
  if (at < 0)
    at = direction > 0 ? 0 : (int) n - 1;
  select_finding (self, g_array_index (order, guint, at));
}

static void
next_finding_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  step_finding (DESK_WINDOW (user_data), 1);
}

static void
previous_finding_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  step_finding (DESK_WINDOW (user_data), -1);
}

static void
apply_fix_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);
  const DeskQaFinding *f = finding_at (self, g_variant_get_uint32 (parameter));
  g_autoptr(DeskEditable) fields = NULL;
  const char *text;
  g_autofree char *fixed = NULL;
  gboolean done = FALSE;

  if (f == NULL || f->suggestion == NULL || self->read_only || self->editor == NULL)
    return;
  /* Typed since the last check? Then the finding may point elsewhere. */
  if (self->qa_timeout != 0)
    {
      g_autofree char *check = g_strdup (f->check);
      g_autofree char *was = g_strdup (f->text);
      g_autofree char *field = g_strdup (f->field);

      run_qa (self);
      f = finding_at (self, g_variant_get_uint32 (parameter));
      if (f == NULL || g_strcmp0 (f->check, check) != 0 || g_strcmp0 (f->text, was) != 0 ||
          g_strcmp0 (f->field, field) != 0 || f->suggestion == NULL)
        {
          toast (self, _("The text changed since the check; look at the finding again"));
          return;
        }
    }
  if (g_strcmp0 (f->field, "importance") == 0)
    {
      desk_inspector_set_sub_score (self->inspector, "overall", atoi (f->suggestion));
      run_qa (self);
      return;
    }
  fields = desk_window_dup_fields (self);
  text = desk_qa_field_text (fields, f->field);
  if (text == NULL || f->byte_end > strlen (text))
    return;
  fixed = g_strdup_printf ("%.*s%s%s", (int) f->byte_start, text, f->suggestion, text + f->byte_end);
  if (g_strcmp0 (f->field, "title") == 0 || g_strcmp0 (f->field, "tldr") == 0 ||
      g_strcmp0 (f->field, "body") == 0)
    done = desk_editor_set_text (self->editor, f->field, fixed);
  else if (g_strcmp0 (f->field, "impact_analysis") == 0)
    done = desk_inspector_set_text (self->inspector, f->field, fixed);
  if (done)
    {
      toast (self, _("Fixed"));
      run_qa (self);
    }
}

static void
ignored_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DeskWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_store_ignore_finding_finish (DESK_STORE (object), result, &error))
    toast (self, error->message);
}

static void
ignore_finding_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);
  DeskApplication *app = get_app (self);
  guint index;
  const char *reason;
  const DeskQaFinding *f;

  g_variant_get (parameter, "(u&s)", &index, &reason);
  f = finding_at (self, index);
  if (f == NULL || app == NULL || desk_application_get_store (app) == NULL)
    return;
  /* Stored, and left out from now on for this text. */
  desk_store_ignore_finding_async (desk_application_get_store (app), self->current_id, f->check, f->text,
                                   reason, NULL, ignored_cb, g_object_ref (self));
  g_ptr_array_add (self->ignored_checks, g_strdup (f->check));
  g_ptr_array_add (self->ignored_texts, g_strdup (f->text));
  desk_qa_set_ignored (self->qa, self->ignored_checks, self->ignored_texts);
  toast (self, _("Finding ignored"));
  run_qa (self);
}

static void
ignore_response (AdwMessageDialog *dialog,
                 const char       *response,
                 DeskWindow       *self)
{
  GtkEditable *entry;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "index"));

  if (g_strcmp0 (response, "ignore") != 0)
    return;
  entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_action_group_activate_action (G_ACTION_GROUP (self), "ignore-finding",
                                  g_variant_new ("(us)", index, gtk_editable_get_text (entry)));
}

static void
ignore_finding_ask_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);
  guint index = g_variant_get_uint32 (parameter);
  const DeskQaFinding *f = finding_at (self, index);
  GtkWidget *dialog, *entry;
  g_autofree char *body = NULL;

  if (f == NULL)
    return;
  body = g_strdup_printf (_("“%s” will not be reported again for this text in this entry. Why is it right as it is?"),
                          f->text[0] != '\0' ? f->text : desk_qa_check_title (f->check));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Ignore This Finding?"), body);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (e.g. a quotation, a product name)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "ignore", _("_Ignore"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ignore");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "entry", g_object_ref (entry), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "index", GUINT_TO_POINTER (index));
  g_signal_connect_object (dialog, "response", G_CALLBACK (ignore_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
desk_window_set_qa_glossary (DeskWindow         *self,
                             const DeskGlossary *glossary)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  self->glossary_from_site = TRUE;  /* newer than the stored one */
  desk_qa_set_glossary (self->qa, glossary);
  run_qa (self);
}

GPtrArray *
desk_window_get_qa_findings (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  return self->qa_findings;
}

/* ---- QA counts for the queue ------------------------------------------------------------ */

typedef struct {
  DeskStore      *store;
  DeskSiteConfig *config;
  guint           counted;
} CountJob;

static void
count_job_free (CountJob *job)
{
  g_clear_object (&job->store);
  g_clear_pointer (&job->config, desk_site_config_free);
  g_free (job);
}

/* In a worker: every entry awaiting review whose full text is stored and
 * that QA has not seen at this revision gets its error count, so the queue
 * shows it before the entry is opened. Ignored findings count too: those
 * are set aside only in the editor. */
static void
count_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  CountJob *job = data;
  g_autoptr(DeskQa) qa = desk_qa_new ();
  g_autoptr(DeskGlossary) glossary = desk_store_get_glossary_sync (job->store, cancellable, NULL);
  g_autoptr(GPtrArray) rows = NULL;

  desk_qa_set_config (qa, job->config);
  desk_qa_set_glossary (qa, glossary);
  rows = desk_store_list_rows_sync (job->store,
                                    DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_INCOMING) |
                                    DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_IN_REVIEW),
                                    DESK_STORE_SORT_UPDATED_DESC, 0, -1, cancellable, NULL);
  for (guint i = 0; rows != NULL && i < rows->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const DeskStoreRow *row = g_ptr_array_index (rows, i);
      g_autoptr(DeskEntry) entry = NULL;
      g_autoptr(GPtrArray) findings = NULL;

      if (row->qa_errors >= 0 || !row->has_full)
        continue;
      entry = desk_store_get_entry_sync (job->store, row->id, cancellable, NULL);
      if (entry == NULL || desk_entry_get_body (entry) == NULL)
        continue;
      findings = desk_qa_check_entry (qa, entry);
      if (desk_store_set_qa_errors_sync (job->store, row->id, desk_entry_get_revision (entry),
                                         desk_qa_count (findings, DESK_QA_SEVERITY_ERROR), cancellable, NULL))
        job->counted++;
    }
  g_task_return_boolean (task, TRUE);
}

static void
count_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  DeskWindow *self = DESK_WINDOW (object);
  CountJob *job = g_task_get_task_data (G_TASK (result));

  gboolean cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result)));

  if (g_task_propagate_boolean (G_TASK (result), NULL) && job->counted > 0 && !cancelled && self->queue != NULL)
    desk_queue_model_reload (self->queue);
  g_clear_object (&self->count_cancellable);
}

static gboolean
count_timeout_cb (gpointer user_data)
{
  DeskWindow *self = user_data;
  DeskApplication *app = get_app (self);
  g_autoptr(GTask) task = NULL;
  CountJob *job;

  self->count_timeout = 0;
  if (app == NULL || desk_application_get_store (app) == NULL)
    return G_SOURCE_REMOVE;
  if (self->count_cancellable != NULL)
    {
      /* One at a time: try again after it. */
      self->count_timeout = g_timeout_add_seconds (2, count_timeout_cb, self);
      return G_SOURCE_REMOVE;
    }
  job = g_new0 (CountJob, 1);
  job->store = g_object_ref (desk_application_get_store (app));
  job->config = desk_application_get_config (app) ? desk_site_config_copy (desk_application_get_config (app))
                                                  : desk_site_config_new_default ();
  self->count_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->count_cancellable, count_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) count_job_free);
  g_task_run_in_thread (task, count_thread);
  return G_SOURCE_REMOVE;
}

/* After the feed brought entries, in a second or so. */
static void
queue_counts (DeskWindow *self)
{
  if (self->count_timeout == 0)
    self->count_timeout = g_timeout_add (1000, count_timeout_cb, self);
}

/* ---- opening an entry ------------------------------------------------------------- */

static void
show_entry (DeskWindow         *self,
            DeskEntry          *entry,
            const DeskEditable *draft,
            gint64              base_revision)
{
  g_autoptr(DeskEditable) fields = NULL;
  g_autoptr(GTask) task = NULL;
  Prepare *p;
  const DeskOriginal *original = desk_entry_get_original (entry);

  g_set_object (&self->entry, entry);
  self->pending_status = desk_entry_get_status (entry);
  self->base_revision = base_revision;
  self->dirty = draft != NULL;
  g_clear_pointer (&self->sent, desk_editable_free);

  fields = entry_fields (self);
  if (draft != NULL)
    desk_editable_merge (fields, draft);
  show_fields (self, fields);
  load_ignored (self);
  run_qa (self);

  adw_window_title_set_title (self->entry_title, fields->title != NULL ? fields->title : "");
  adw_window_title_set_subtitle (self->entry_title,
                                 desk_entry_get_source (entry) != NULL &&
                                 desk_entry_get_source (entry)->name != NULL
                                   ? desk_entry_get_source (entry)->name : "");
  ensure_entry_page (self);
  gtk_stack_set_visible_child_name (self->workspace_stack, "entry");
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  gtk_spinner_stop (self->loading_spinner);

  ensure_web_views (self);
  g_free (self->block_to_original);
  self->block_to_original = NULL;
  self->n_blocks = 0;
  self->highlighted = -2;

  p = g_new0 (Prepare, 1);
  p->original_html = g_strdup (original != NULL ? original->html : NULL);
  p->body = g_strdup (fields->body);
  task = g_task_new (self, self->entry_cancellable, prepared_cb, NULL);
  g_task_set_task_data (task, p, (GDestroyNotify) prepare_free);
  g_task_run_in_thread (task, prepare_thread);

  render_preview (self);
  update_changes_view (self);
  refresh_lock (self);
  update_actions (self);

  /* A conflict waiting from an earlier run is shown at once. */
  {
    DeskSync *sync = get_sync (self);
    DeskFields cfields = 0;
    g_autoptr(DeskEditable) mine = NULL;
    g_autoptr(DeskEditable) theirs = NULL;

    if (sync != NULL && desk_sync_get_conflict (sync, self->current_id, &cfields, &mine, &theirs))
      {
        GtkWidget *dialog = desk_conflict_dialog_new (GTK_WINDOW (self), sync, self->current_id,
                                                      cfields, mine, theirs);
        gtk_window_present (GTK_WINDOW (dialog));
      }
  }
}

typedef struct {
  DeskWindow *self;
  DeskEntry  *entry;
} OpenState;

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data);

static void
draft_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(DeskEntry) entry = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStoreDraft) draft = NULL;
  DeskWindow *self;

  draft = desk_store_get_draft_finish (DESK_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (G_OBJECT (entry), "desk-window");
  if (self == NULL || g_strcmp0 (self->current_id, desk_entry_get_id (entry)) != 0)
    return;
  if (draft != NULL)
    show_entry (self, entry, draft->fields, draft->base_revision);
  else
    show_entry (self, entry, NULL, desk_entry_get_revision (entry));
}

static void
load_draft (DeskWindow *self,
            DeskEntry  *entry)
{
  DeskApplication *app = get_app (self);

  g_object_set_data (G_OBJECT (entry), "desk-window", self);
  desk_store_get_draft_async (desk_application_get_store (app), desk_entry_get_id (entry),
                              self->entry_cancellable, draft_cb, g_object_ref (entry));
}

static void
show_failure (DeskWindow *self,
              const char *message)
{
  adw_status_page_set_icon_name (self->workspace_status, "dialog-warning-symbolic");
  adw_status_page_set_title (self->workspace_status, _("The Entry Cannot Be Opened"));
  adw_status_page_set_description (self->workspace_status, message);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), TRUE);
  gtk_stack_set_visible_child_name (self->workspace_stack, "empty");
  gtk_spinner_stop (self->loading_spinner);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  DeskWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskEntry) entry = NULL;

  entry = desk_fetch_entry_finish (DESK_SYNC (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (entry == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("It is not stored on this computer yet and the site could not send it: %s"),
                         error->message);
      show_failure (self, message);
      return;
    }
  if (g_strcmp0 (self->current_id, desk_entry_get_id (entry)) == 0)
    load_draft (self, entry);
}

static void
stored_entry_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DeskWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  DeskSync *sync;

  entry = desk_store_get_entry_finish (DESK_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      show_failure (self, error->message);
      return;
    }
  if (entry != NULL && desk_entry_get_original (entry) != NULL &&
      desk_entry_get_original (entry)->html != NULL)
    {
      load_draft (self, entry);
      return;
    }
  sync = get_sync (self);
  if (sync == NULL)
    return;
  desk_fetch_entry_async (sync, self->current_id, self->entry_cancellable, fetched_cb, self);
}

static void
close_current (DeskWindow *self)
{
  DeskSync *sync = get_sync (self);

  if (self->entry_cancellable != NULL)
    g_cancellable_cancel (self->entry_cancellable);
  g_clear_object (&self->entry_cancellable);
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  g_clear_handle_id (&self->lock_timeout, g_source_remove);
  if (self->current_id != NULL && sync != NULL)
    desk_sync_close_entry (sync, self->current_id);
  /* The draft of the entry left is written now, not a second later: the
   * store runs its jobs in order, so reopening the entry at once reads it. */
  if (self->dirty && get_session (self) != NULL)
    desk_session_flush_async (get_session (self), NULL, NULL, NULL);
  g_clear_handle_id (&self->qa_timeout, g_source_remove);
  g_clear_pointer (&self->current_id, g_free);
  g_clear_object (&self->entry);
  g_clear_pointer (&self->sent, desk_editable_free);
  self->dirty = FALSE;
  if (self->read_only || self->lock_text != NULL)
    set_read_only (self, FALSE, NULL);
}

void
desk_window_open_entry (DeskWindow *self,
                        const char *entry_id)
{
  DeskApplication *app;
  DeskSync *sync;

  g_return_if_fail (DESK_IS_WINDOW (self));
  g_return_if_fail (entry_id != NULL);

  if (g_strcmp0 (self->current_id, entry_id) == 0)
    return;
  close_current (self);
  self->current_id = g_strdup (entry_id);
  self->entry_cancellable = g_cancellable_new ();
  select_current (self);
  update_actions (self);

  app = get_app (self);
  if (app == NULL || desk_application_get_store (app) == NULL)
    {
      /* Opened before the backend runs: opened again once it does. */
      gtk_stack_set_visible_child_name (self->workspace_stack, "loading");
      gtk_spinner_start (self->loading_spinner);
      return;
    }
  sync = get_sync (self);
  if (sync != NULL)
    desk_sync_open_entry_for_editing (sync, entry_id);
  gtk_stack_set_visible_child_name (self->workspace_stack, "loading");
  gtk_spinner_start (self->loading_spinner);
  desk_store_get_entry_async (desk_application_get_store (app), entry_id,
                              self->entry_cancellable, stored_entry_cb, self);
}

/* ---- changes from the engine ---------------------------------------------------------- */

static void
reloaded_entry_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DeskWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskEditable) shown = NULL;
  g_autoptr(DeskEditable) fresh = NULL;

  entry = desk_store_get_entry_finish (DESK_STORE (object), result, &error);
  if (entry == NULL || self->entry == NULL ||
      g_strcmp0 (desk_entry_get_id (entry), self->current_id) != 0)
    return;
  if (desk_entry_get_revision (entry) < desk_entry_get_revision (self->entry))
    return;

  g_set_object (&self->entry, entry);
  if (get_sync (self) == NULL || desk_sync_get_pending_operations (get_sync (self)) == 0)
    self->pending_status = desk_entry_get_status (entry);
  fresh = entry_fields (self);
  shown = desk_window_dup_fields (self);

  if (self->sent != NULL && (desk_editable_diff (fresh, self->sent) & self->sent->present) == 0)
    {
      /* What we sent has landed. */
      g_clear_pointer (&self->sent, desk_editable_free);
      if (!self->dirty)
        {
          DeskApplication *app = get_app (self);
          desk_session_discard_draft (desk_application_get_session (app), self->current_id);
        }
    }
  if (!self->dirty && self->sent == NULL)
    {
      self->base_revision = desk_entry_get_revision (entry);
      /* Another editor's change, or ours come back: show the site's values
       * unless they are already what is shown. */
      if ((desk_editable_diff (fresh, shown) & shown->present) != 0)
        show_fields (self, fresh);
    }
  render_preview (self);
  update_changes_view (self);
  update_actions (self);
}

static void
entries_changed (DeskWindow         *self,
                 const char * const *ids)
{
  DeskApplication *app = get_app (self);

  desk_queue_model_reload (self->queue);
  queue_counts (self);
  if (self->current_id == NULL || self->entry == NULL || ids == NULL ||
      !g_strv_contains (ids, self->current_id))
    return;
  desk_store_get_entry_async (desk_application_get_store (app), self->current_id,
                              self->entry_cancellable, reloaded_entry_cb, self);
}

static void
lock_changed (DeskWindow     *self,
              const char     *entry_id,
              const DeskLock *lock,
              gboolean        mine)
{
  if (g_strcmp0 (entry_id, self->current_id) == 0)
    refresh_lock (self);
}

static void
conflict_cb (DeskWindow         *self,
             const char         *entry_id,
             DeskFields          fields,
             const DeskEditable *mine,
             const DeskEditable *theirs)
{
  if (g_strcmp0 (entry_id, self->current_id) == 0)
    {
      GtkWidget *dialog = desk_conflict_dialog_new (GTK_WINDOW (self), get_sync (self), entry_id,
                                                    fields, mine, theirs);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    {
      /* Translators: %s is an entry's id */
      g_autofree char *message = g_strdup_printf (_("Another editor changed the same fields of %s; open it to resolve"), entry_id);
      toast (self, message);
    }
}

static void
operation_failed (DeskWindow   *self,
                  gint64        op_id,
                  const char   *entry_id,
                  const GError *error)
{
  g_autofree char *message = g_strdup_printf (_("The site refused a change: %s"), error->message);

  toast (self, message);
}

static void
operation_done (DeskWindow *self,
                gint64      op_id,
                const char *entry_id)
{
  if (op_id == self->publish_op && op_id != 0)
    {
      self->publish_op = 0;
      toast (self, _("Published"));
    }
}

static void
drafts_restored (DeskWindow *self,
                 GPtrArray  *restored)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *message = NULL;

  for (guint i = 0; i < restored->len && i < 3; i++)
    {
      const DeskSessionRestored *r = g_ptr_array_index (restored, i);
      if (i > 0)
        g_string_append (names, "、");
      g_string_append_printf (names, "「%s」", r->title != NULL ? r->title : r->entry_id);
    }
  if (restored->len > 3)
    g_string_append (names, "…");
  if (restored->len == 1)
    /* Translators: %s is the title of the restored draft, in 「」 */
    message = g_strdup_printf (_("After an unexpected exit, the draft of %s was restored"), names->str);
  else
    /* Translators: %d drafts, then their titles */
    message = g_strdup_printf (g_dngettext (NULL, "After an unexpected exit, %d draft was restored: %s",
                                            "After an unexpected exit, %d drafts were restored: %s",
                                            restored->len), restored->len, names->str);
  toast (self, message);
}

static void
backend_failed (DeskWindow *self,
                const char *message)
{
  adw_status_page_set_icon_name (self->workspace_status, "network-error-symbolic");
  adw_status_page_set_title (self->workspace_status, _("Digest Desk Cannot Start"));
  adw_status_page_set_description (self->workspace_status, message);
  gtk_stack_set_visible_child_name (self->workspace_stack, "empty");
  self->queue_shown = TRUE;
  update_queue_empty (self);
}

static void
connect_backend (DeskWindow *self)
{
  DeskApplication *app = get_app (self);
  DeskSync *sync;

  if (self->backend_connected || app == NULL || !desk_application_get_ready (app))
    return;
  self->backend_connected = TRUE;
  sync = desk_application_get_sync (app);

  desk_queue_model_set_store (self->queue, desk_application_get_store (app));
  g_signal_connect_object (sync, "entries-changed", G_CALLBACK (entries_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::state", G_CALLBACK (update_sync_indicator), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::pending-operations", G_CALLBACK (update_sync_indicator), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::last-error", G_CALLBACK (update_sync_indicator), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::unauthorized", G_CALLBACK (update_token_banner), self, G_CONNECT_SWAPPED);
  update_token_banner (self);
  desk_store_get_glossary_async (desk_application_get_store (app), NULL, glossary_read, g_object_ref (self));
  if (desk_application_get_client (app) != NULL)
    desk_site_client_get_glossary_async (desk_application_get_client (app), NULL, glossary_fetched,
                                         g_object_ref (self));
  queue_counts (self);
  g_signal_connect_object (desk_application_get_session (app), "notify::save-error",
                           G_CALLBACK (update_save_banner), self, G_CONNECT_SWAPPED);
  update_save_banner (self);
  /* The store was found damaged at start and rebuilt: say so once. */
  if (desk_store_get_recovered (desk_application_get_store (app)) &&
      self == DESK_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data))
    {
      DeskStore *store = desk_application_get_store (app);
      g_autofree char *message =
        g_strdup_printf (_("The local store was damaged and has been rebuilt from the site; %u drafts and %u "
                           "unsent changes were saved. The damaged file is kept as %s."),
                         desk_store_get_salvaged_drafts (store), desk_store_get_salvaged_outbox (store),
                         desk_store_get_corrupt_path (store));

      /* It stays until dismissed: the editor should read it. */
      toast_for (self, message, 0);
    }
  g_signal_connect_object (sync, "lock-changed", G_CALLBACK (lock_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "conflict", G_CALLBACK (conflict_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "operation-failed", G_CALLBACK (operation_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "operation-done", G_CALLBACK (operation_done), self, G_CONNECT_SWAPPED);
  update_sync_indicator (self);

  if (desk_application_get_site_url (app) != NULL)
    adw_window_title_set_subtitle (self->sidebar_title, desk_application_get_site_url (app));

  /* An entry asked for before the backend ran. */
  if (self->current_id != NULL && self->entry == NULL)
    {
      g_autofree char *id = g_strdup (self->current_id);
      g_clear_pointer (&self->current_id, g_free);
      desk_window_open_entry (self, id);
    }
}

/* ---- workflow ------------------------------------------------------------------------- */

typedef enum {
  STEP_NONE,
  STEP_APPROVE,
  STEP_PUBLISH,
} FinalStep;

typedef struct {
  DeskWindow *self;
  char       *entry_id;
  gint64      revision;
  FinalStep        final;
  guint            serial;
  DeskEntryStatus  status;   /* the entry's pending status when asked */
} Workflow;

static void
workflow_free (Workflow *w)
{
  g_object_unref (w->self);
  g_free (w->entry_id);
  g_free (w);
}

static void
queued_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DeskWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (desk_sync_queue_finish (DESK_SYNC (object), result, &error) == 0 && error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The change could not be queued: %s"), error->message);
      toast (self, message);
    }
  g_object_unref (self);
}

/* Approve or publish: the edit, the status steps and the publish were
 * stored in one transaction (desk_sync_queue_workflow_async). */
static void
workflow_queued_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Workflow *w = user_data;
  DeskWindow *self = w->self;
  g_autoptr(GError) error = NULL;
  DeskSyncQueued queued = { 0, };
  gboolean current = g_strcmp0 (self->current_id, w->entry_id) == 0;

  if (!desk_sync_queue_workflow_finish (DESK_SYNC (object), result, &queued, &error))
    {
      g_autofree char *message = g_strdup_printf (w->final == STEP_PUBLISH
                                                  ? _("The publication could not be queued: %s")
                                                  : _("The changes could not be queued: %s"),
                                                  error->message);
      toast (self, message);
      workflow_free (w);
      return;
    }
  /* The editor may have gone on to the next entry meanwhile: the steps
   * went for the entry they were asked for. */
  if (current)
    {
      if (self->edit_serial == w->serial)
        self->dirty = FALSE;
      self->pending_status = queued.status;
      update_actions (self);
    }
  if (w->final == STEP_PUBLISH && queued.publish_op != 0)
    {
      self->publish_op = queued.publish_op;
      toast (self, desk_sync_get_state (DESK_SYNC (object)) == DESK_SYNC_STATE_OFFLINE
                     ? _("Offline: the entry will be published when the site is back")
                     : _("Publishing…"));
    }
  else if (w->final == STEP_APPROVE)
    toast (self, _("Approved"));
  workflow_free (w);
}

static void
edit_queued_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Workflow *w = user_data;
  DeskWindow *self = w->self;
  g_autoptr(GError) error = NULL;
  gint64 op;

  op = desk_sync_queue_finish (DESK_SYNC (object), result, &error);
  if (op == 0 && error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The changes could not be queued: %s"), error->message);
      toast (self, message);
      workflow_free (w);
      return;
    }
  if (g_strcmp0 (self->current_id, w->entry_id) == 0 && self->edit_serial == w->serial)
    self->dirty = FALSE;
  if (op != 0 && g_strcmp0 (self->current_id, w->entry_id) == 0 &&
      self->pending_status == DESK_ENTRY_STATUS_INCOMING)
    self->pending_status = DESK_ENTRY_STATUS_IN_REVIEW;
  update_actions (self);
  toast (self, desk_sync_get_state (DESK_SYNC (object)) == DESK_SYNC_STATE_OFFLINE
                 ? _("Saved; it will be sent when the site is back") : _("Changes sent"));
  workflow_free (w);
}

/* Sends the edits (when there are any); to approve or publish, with the
 * status steps of @final, all stored at once. */
static void
run_workflow (DeskWindow *self,
              FinalStep   final)
{
  DeskSync *sync = get_sync (self);
  g_autoptr(DeskEditable) fields = NULL;
  gboolean differs;
  Workflow *w;

  if (sync == NULL || self->entry == NULL || self->read_only)
    return;

  w = g_new0 (Workflow, 1);
  w->self = g_object_ref (self);
  w->entry_id = g_strdup (self->current_id);
  w->revision = desk_entry_get_revision (self->entry);
  w->final = final;
  w->serial = self->edit_serial;
  w->status = self->pending_status;

  fields = desk_window_dup_fields (self);
  differs = fields_differ_from_entry (self, fields);
  if (differs)
    {
      g_clear_pointer (&self->sent, desk_editable_free);
      self->sent = desk_editable_copy (fields);
    }
  if (final == STEP_NONE && differs)
    desk_sync_queue_edit_async (sync, self->current_id, self->base_revision, fields, NULL,
                                edit_queued_cb, w);
  else if (final == STEP_NONE)
    {
      toast (self, _("There are no changes to send"));
      workflow_free (w);
    }
  else
    desk_sync_queue_workflow_async (sync, self->current_id, self->base_revision, differs ? fields : NULL,
                                    w->revision, w->status,
                                    final == STEP_PUBLISH ? DESK_SYNC_GOAL_PUBLISH : DESK_SYNC_GOAL_APPROVE,
                                    NULL, workflow_queued_cb, w);
}

static void
save_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  run_workflow (DESK_WINDOW (user_data), STEP_NONE);
}

static void
approve_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  run_workflow (DESK_WINDOW (user_data), STEP_APPROVE);
}

static void
confirm_publish_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  run_workflow (DESK_WINDOW (user_data), STEP_PUBLISH);
}

/* The problems a publication should not hide: the contract's rules and the
 * site's limits, on what is about to be sent. */
static GPtrArray *
open_problems (DeskWindow *self)
{
  g_autoptr(DeskEditable) fields = desk_window_dup_fields (self);

  run_qa (self);
  return desk_qa_publish_problems (fields, self->qa_findings);
}

/* The publish dialog lists this many problems, then counts the rest. */
#define MAX_PROBLEMS_LISTED 8

static void
publish_response (AdwMessageDialog *dialog,
                  const char       *response,
                  DeskWindow       *self)
{
  if (g_strcmp0 (response, "publish") == 0)
    run_workflow (self, STEP_PUBLISH);
}

static void
publish_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  if (self->entry == NULL)
    return;
  problems = open_problems (self);
  if (problems->len == 0)
    g_string_append (body, _("No QA errors are open. The entry goes live on the site."));
  else
    {
      g_string_append_printf (body, g_dngettext (NULL, "%u QA error is still open:",
                                                 "%u QA errors are still open:", problems->len),
                              problems->len);
      for (guint i = 0; i < MIN (problems->len, MAX_PROBLEMS_LISTED); i++)
        g_string_append_printf (body, "\n• %s", (char *) g_ptr_array_index (problems, i));
      if (problems->len > MAX_PROBLEMS_LISTED)
        {
          guint more = problems->len - MAX_PROBLEMS_LISTED;

          g_string_append (body, "\n");
          g_string_append_printf (body, g_dngettext (NULL, "…and %u more (see the QA tab)",
                                                     "…and %u more (see the QA tab)", more), more);
        }
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Publish This Entry?"), body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "publish", problems->len > 0 ? _("_Publish Anyway") : _("_Publish"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "publish",
                                              problems->len > 0 ? ADW_RESPONSE_DESTRUCTIVE
                                                                : ADW_RESPONSE_SUGGESTED);
  /* With errors open, Enter does not publish. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           problems->len > 0 ? "cancel" : "publish");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (publish_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
queue_simple_status (DeskWindow      *self,
                     DeskEntryStatus  status,
                     const char      *reason)
{
  DeskSync *sync = get_sync (self);

  if (sync == NULL || self->entry == NULL || self->read_only)
    return;
  desk_sync_queue_status_async (sync, self->current_id, desk_entry_get_revision (self->entry),
                                status, reason, NULL, queued_cb, g_object_ref (self));
  self->pending_status = status;
  update_actions (self);
}

static void
reject_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);
  const char *reason = g_variant_get_string (parameter, NULL);

  queue_simple_status (self, DESK_ENTRY_STATUS_REJECTED, reason[0] != '\0' ? reason : NULL);
  toast (self, _("Entry rejected"));
}

static void
reject_confirmed (DeskWindow *self)
{
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (self->reject_reason));

  gtk_popover_popdown (self->reject_popover);
  g_action_group_activate_action (G_ACTION_GROUP (self), "reject", g_variant_new_string (reason));
  gtk_editable_set_text (GTK_EDITABLE (self->reject_reason), "");
}

static void
back_to_review_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  queue_simple_status (DESK_WINDOW (user_data), DESK_ENTRY_STATUS_IN_REVIEW, NULL);
}

static void
set_field_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);
  const char *field, *text;

  g_variant_get (parameter, "(&s&s)", &field, &text);
  if (self->entry == NULL || self->read_only)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    return;
  if (self->editor != NULL && desk_editor_set_text (self->editor, field, text))
    return;
  if (self->inspector != NULL && desk_inspector_set_text (self->inspector, field, text))
    return;
  g_warning ("win.set-field: no field named “%s”", field);
}

static void
move_selection (DeskWindow *self,
                int         delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  guint position = gtk_single_selection_get_selected (self->selection);
  guint next;

  if (n == 0)
    return;
  if (position == GTK_INVALID_LIST_POSITION)
    next = delta > 0 ? 0 : n - 1;
  else if (delta < 0 && position == 0)
    return;
  else
    next = MIN (position + delta, n - 1);
  gtk_single_selection_set_selected (self->selection, next);
  gtk_widget_activate_action (GTK_WIDGET (self->queue_view), "list.scroll-to-item", "u", next);
}

static void
next_entry_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  move_selection (DESK_WINDOW (user_data), 1);
}

static void
previous_entry_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  move_selection (DESK_WINDOW (user_data), -1);
}

static void
focus_search_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);

  /* In the body, Ctrl+F searches the body; anywhere else, the queue. */
  if (self->entry != NULL && self->editor != NULL && desk_editor_has_focus_within (self->editor))
    desk_editor_begin_search (self->editor);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_original_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);

  ensure_entry_page (self);
  gtk_stack_set_visible_child_name (self->web_stack, "original");
}

static void
show_preview_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);

  ensure_entry_page (self);
  gtk_stack_set_visible_child_name (self->web_stack, "preview");
}

/* Shows a page of the left pane and puts the keyboard focus in it, so that
 * Alt+1 and Alt+2 go straight to the translation and the metadata. */
static void
show_edit_page (DeskWindow *self,
                const char *name)
{
  GtkWidget *page;

  if (self->entry == NULL)
    return;
  gtk_stack_set_visible_child_name (self->edit_stack, name);
  page = gtk_stack_get_visible_child (self->edit_stack);
  if (page != NULL && !gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (page);
}

static void
show_translation_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  show_edit_page (DESK_WINDOW (user_data), "translation");
}

static void
show_metadata_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  show_edit_page (DESK_WINDOW (user_data), "metadata");
}

static void
show_qa_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  show_edit_page (DESK_WINDOW (user_data), "qa");
}

/* F6 and Shift+F6 go round the panes as in other GNOME apps: the queue,
 * the page of the left pane (translation, metadata or changes) and the
 * web view, those that are shown. */
static void
focus_pane (DeskWindow *self,
            int         step)
{
  GtkWidget *panes[3];
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  int n = 0, current = -1;

  panes[n++] = GTK_WIDGET (self->queue_stack);
  if (self->entry != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->workspace_stack), "entry") == 0)
    {
      panes[n++] = gtk_stack_get_visible_child (self->edit_stack);
      panes[n++] = gtk_stack_get_visible_child (self->web_stack);
    }
  else
    panes[n++] = GTK_WIDGET (self->workspace_stack);

  for (int i = 0; i < n; i++)
    if (focus != NULL && panes[i] != NULL && (focus == panes[i] || gtk_widget_is_ancestor (focus, panes[i])))
      current = i;
  for (int tries = 0; tries < n; tries++)
    {
      GtkWidget *pane;

      current = current < 0 ? (step > 0 ? 0 : n - 1) : (current + step + n) % n;
      pane = panes[current];
      if (pane == NULL || !gtk_widget_is_visible (pane))
        continue;
      /* The queue: its list (and so the selected row), not the sync button. */
      if (pane == GTK_WIDGET (self->queue_stack) &&
          g_strcmp0 (gtk_stack_get_visible_child_name (self->queue_stack), "list") == 0 &&
          (gtk_widget_grab_focus (GTK_WIDGET (self->queue_view)) ||
           gtk_widget_child_focus (GTK_WIDGET (self->queue_view), GTK_DIR_TAB_FORWARD)))
        return;
      if (gtk_widget_child_focus (pane, GTK_DIR_TAB_FORWARD) || gtk_widget_grab_focus (pane))
        return;
    }
}

static void
next_pane_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  focus_pane (DESK_WINDOW (user_data), 1);
}

static void
previous_pane_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  focus_pane (DESK_WINDOW (user_data), -1);
}

static void
toggle_changes_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));
  gboolean active = !g_variant_get_boolean (state);

  g_simple_action_set_state (action, g_variant_new_boolean (active));
  ensure_entry_page (self);
  gtk_stack_set_visible_child_name (self->edit_stack, active ? "changes" : "translation");
}

static void
edit_page_changed (DeskWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "toggle-changes");
  gboolean changes = g_strcmp0 (gtk_stack_get_visible_child_name (self->edit_stack), "changes") == 0;

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (changes));
  update_changes_view (self);
}

static void
take_over_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);
  DeskSync *sync = get_sync (self);

  if (sync == NULL || self->current_id == NULL)
    return;
  desk_sync_close_entry (sync, self->current_id);
  desk_sync_open_entry_for_editing (sync, self->current_id);
}

static void
copy_published_url_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);
  const DeskPublished *published = self->entry != NULL ? desk_entry_get_published (self->entry) : NULL;

  if (published == NULL || published->url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), published->url);
  toast (self, _("Link copied"));
}

static void
retry_open_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  DeskWindow *self = DESK_WINDOW (user_data);
  g_autofree char *id = g_strdup (self->current_id);

  if (id == NULL)
    return;
  close_current (self);
  desk_window_open_entry (self, id);
}

/* The shortcuts window is built on first use, not with the window:
 * GtkApplication would build gtk/help-overlay.ui, its 60 widgets, before
 * the window's first frame. */
static void
show_help_overlay_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  DeskWindow *self = user_data;
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (self);

  if (gtk_application_window_get_help_overlay (window) == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/digestdesk/DigestDesk/ui/desk-shortcuts-window.ui");

      gtk_application_window_set_help_overlay (window, GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
    }
  gtk_window_present (GTK_WINDOW (gtk_application_window_get_help_overlay (window)));
}

/* The main menu's popover is made when the menu first opens, not with
 * the window: GtkMenuButton makes it, with its menu widgets, as soon as
 * it is given a model. */
/* A menu button's popover is made when it first opens (GtkMenuButton
 * makes it as soon as it is given a model): none is shown in the first
 * frame. @user_data is the menu. */
static void
menu_popup (GtkMenuButton *button,
            gpointer       user_data)
{
  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_menu_model (button, user_data);
}

static const GActionEntry win_actions[] = {
  { "show-help-overlay", show_help_overlay_action },
  { "queue-status", NULL, "s", "'to-review'", queue_status_action },
  { "queue-sort", NULL, "s", "'newest'", queue_sort_action },
  { "retry-open", retry_open_action },
  { "approve", approve_action },
  { "reject", reject_action, "s" },
  { "back-to-review", back_to_review_action },
  { "publish", publish_action },
  { "confirm-publish", confirm_publish_action },
  { "save", save_action },
  { "set-field", set_field_action, "(ss)" },
  { "next-entry", next_entry_action },
  { "previous-entry", previous_entry_action },
  { "focus-search", focus_search_action },
  { "show-original", show_original_action },
  { "show-preview", show_preview_action },
  { "show-translation", show_translation_action },
  { "show-metadata", show_metadata_action },
  { "show-qa", show_qa_action },
  { "focus-next-pane", next_pane_action },
  { "focus-previous-pane", previous_pane_action },
  { "toggle-changes", toggle_changes_action, NULL, "false" },
  { "take-over", take_over_action },
  { "copy-published-url", copy_published_url_action },
  { "enter-token", enter_token_action },
  { "retry-save", retry_save_action },
  { "next-finding", next_finding_action },
  { "previous-finding", previous_finding_action },
  { "apply-fix", apply_fix_action, "u" },
  { "ignore-finding-ask", ignore_finding_ask_action, "u" },
  { "ignore-finding", ignore_finding_action, "(us)" },
};

/* ---- GObject ---------------------------------------------------------------------------- */

static gboolean
desk_window_close_request (GtkWindow *window)
{
  DeskWindow *self = DESK_WINDOW (window);

  close_current (self);
  return GTK_WINDOW_CLASS (desk_window_parent_class)->close_request (window);
}

static void
desk_window_dispose (GObject *object)
{
  DeskWindow *self = DESK_WINDOW (object);

  g_clear_weak_pointer (&self->token_dialog);
  g_clear_handle_id (&self->qa_timeout, g_source_remove);
  g_clear_handle_id (&self->count_timeout, g_source_remove);
  g_clear_handle_id (&self->queue_spinner_timeout, g_source_remove);
  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  if (self->entry_cancellable != NULL)
    g_cancellable_cancel (self->entry_cancellable);
  g_clear_object (&self->entry_cancellable);
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  g_clear_handle_id (&self->warm_up_source, g_source_remove);
  self->warm_up_step = WARM_UP_DONE;
  g_clear_handle_id (&self->lock_timeout, g_source_remove);
  g_clear_object (&self->entry);
  g_clear_object (&self->selection);
  g_clear_object (&self->queue);
  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_WINDOW);
  G_OBJECT_CLASS (desk_window_parent_class)->dispose (object);
}

static void
desk_window_finalize (GObject *object)
{
  DeskWindow *self = DESK_WINDOW (object);

  g_clear_pointer (&self->qa, desk_qa_free);
  g_clear_pointer (&self->qa_findings, g_ptr_array_unref);
  g_clear_pointer (&self->ignored_checks, g_ptr_array_unref);
  g_clear_pointer (&self->ignored_texts, g_ptr_array_unref);
  g_free (self->qa_counted_id);

  g_free (self->current_id);
  g_free (self->lock_text);
  g_free (self->last_toast);
  g_free (self->block_to_original);
  g_clear_pointer (&self->sent, desk_editable_free);
  G_OBJECT_CLASS (desk_window_parent_class)->finalize (object);
}

static void
desk_window_class_init (DeskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = desk_window_dispose;
  object_class->finalize = desk_window_finalize;
  window_class->close_request = desk_window_close_request;

  signals[ENTRY_SHOWN] =
    g_signal_new ("entry-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[PREVIEW_UPDATED] =
    g_signal_new ("preview-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (DESK_TYPE_CHANGES_VIEW);
  g_type_ensure (DESK_TYPE_QA_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/digestdesk/DigestDesk/ui/desk-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, DeskWindow, name)
  BIND (toast_overlay);
  BIND (outer_paned);
  BIND (sidebar_title);
  BIND (sync_button);
  BIND (sync_icon);
  BIND (sync_label);
  BIND (search_entry);
  BIND (status_button);
  BIND (sort_button);
  BIND (queue_stack);
  BIND (queue_scroller);
  BIND (queue_view);
  BIND (queue_empty);
  BIND (entry_title);
  BIND (status_pill);
  BIND (changes_toggle);
  BIND (publish_button);
  BIND (approve_button);
  BIND (reject_button);
  BIND (reject_popover);
  BIND (reject_reason);
  BIND (reject_confirm);
  BIND (review_button);
  BIND (save_button);
  BIND (lock_revealer);
  BIND (main_menu_button);
  BIND (main_menu);
  BIND (status_menu);
  BIND (sort_menu);
  BIND (token_revealer);
  BIND (save_revealer);
  BIND (save_label);
  BIND (lock_label);
  BIND (take_over_button);
  BIND (published_revealer);
  BIND (published_label);
  BIND (workspace_stack);
  BIND (workspace_status);
  BIND (retry_button);
  BIND (loading_spinner);
  BIND (queue_spinner);
#undef BIND
}

static void
desk_window_init (DeskWindow *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->highlighted = -2;
  self->qa = desk_qa_new ();
  self->qa_cursor = -1;
  self->ignored_checks = g_ptr_array_new_with_free_func (g_free);
  self->ignored_texts = g_ptr_array_new_with_free_func (g_free);
  apply_qa_settings (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  /* In the capture phase: before GtkPaned's own F6, which only goes
   * between the two children of one paned. */
  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F6, 0),
                                                            gtk_named_action_new ("win.focus-next-pane")));
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F6, GDK_SHIFT_MASK),
                                                            gtk_named_action_new ("win.focus-previous-pane")));
    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "enter-token")),
                               FALSE);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "retry-save")),
                               FALSE);

  self->queue = desk_queue_model_new ();
  desk_queue_model_set_status_mask (self->queue, queue_statuses[0].value);
  desk_queue_model_set_sort (self->queue, queue_sorts[0].value);
  gtk_menu_button_set_label (self->status_button, _(queue_statuses[0].label));
  gtk_menu_button_set_label (self->sort_button, _(queue_sorts[0].label));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->queue)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (queue_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (queue_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (queue_unbind), self);
  gtk_list_view_set_factory (self->queue_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->queue_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed), self);
  g_signal_connect_swapped (self->queue, "loaded", G_CALLBACK (queue_loaded), self);
  g_signal_connect_swapped (self->queue, "swapping", G_CALLBACK (queue_swapping), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed), self);
  g_signal_connect_swapped (self->reject_confirm, "clicked", G_CALLBACK (reject_confirmed), self);
  g_signal_connect_swapped (self->reject_reason, "activate", G_CALLBACK (reject_confirmed), self);
  g_signal_connect (self, "map", G_CALLBACK (window_mapped), NULL);
  gtk_menu_button_set_create_popup_func (self->main_menu_button, menu_popup, self->main_menu, NULL);
  gtk_menu_button_set_create_popup_func (self->status_button, menu_popup, self->status_menu, NULL);
  gtk_menu_button_set_create_popup_func (self->sort_button, menu_popup, self->sort_menu, NULL);
  g_signal_connect (self->save_revealer, "notify::child-revealed", G_CALLBACK (revealer_closed), NULL);
  g_signal_connect (self->token_revealer, "notify::child-revealed", G_CALLBACK (revealer_closed), NULL);
  g_signal_connect (self->lock_revealer, "notify::child-revealed", G_CALLBACK (revealer_closed), NULL);
  g_signal_connect (self->published_revealer, "notify::child-revealed", G_CALLBACK (revealer_closed), NULL);


  update_actions (self);
  update_queue_empty (self);
}

static void
app_ready (DeskWindow *self)
{
  connect_backend (self);
  update_queue_empty (self);
}

DeskWindow *
desk_window_new (DeskApplication *app)
{
  DeskWindow *self = g_object_new (DESK_TYPE_WINDOW, "application", app, NULL);

  g_signal_connect_object (app, "notify::ready", G_CALLBACK (app_ready), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "backend-failed", G_CALLBACK (backend_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "drafts-restored", G_CALLBACK (drafts_restored), self, G_CONNECT_SWAPPED);
  update_sync_indicator (self);
  connect_backend (self);
  return self;
}

const char *
desk_window_get_current_id (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  return self->current_id;
}

DeskEditor *
desk_window_get_editor (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  return self->editor;
}

DeskChangesView *
desk_window_get_changes_view (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  ensure_entry_page (self);
  return self->changes_view;
}

DeskQueueModel *
desk_window_get_queue_model (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  return self->queue;
}

GtkListView *
desk_window_get_queue_view (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  return self->queue_view;
}

GtkWidget *
desk_window_get_inspector (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->inspector);
}

GtkWidget *
desk_window_get_original_view (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->original_view);
}

GtkWidget *
desk_window_get_preview_view (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->preview_view);
}

gboolean
desk_window_get_read_only (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), FALSE);
  return self->read_only;
}

const char *
desk_window_get_lock_text (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  return self->lock_text;
}

const char *
desk_window_get_last_toast (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);
  return self->last_toast;
}
