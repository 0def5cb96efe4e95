/* desk-preferences-window.c: the preferences: site and token, editing, QA checks, glossary
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-core.h"
#include "desk-preferences-window.h"
#include "desk-secret.h"
#include "desk-site-client.h"

/* The site refuses more (desk_glossary_new_from_json). */
#define MAX_TERMS 10000

const char * const desk_preferences_qa_check_ids[] = {
  "prompt-leak", "placeholder", "untranslated", "number-mismatch", "omission",
  "truncated", "notation-variant", "glossary", "boilerplate", "register",
  "punctuation", "repeated-text", "score-consistency", "structure", NULL,
};

static const char * const qa_check_names[] = {
  N_("Prompt leak"), N_("Placeholders"), N_("Untranslated text"),
  N_("Numbers differ from the original"), N_("Omissions"), N_("Truncated text"),
  N_("Notation variants"), N_("Glossary terms"), N_("Boilerplate"),
  N_("Register (desu/masu, de aru)"), N_("Punctuation"), N_("Repeated text"),
  N_("Score consistency"), N_("Structure"),
};

/* The severity drop-down's items, and their GSettings values. */
static const char * const severity_values[] = { "default", "error", "warning", "info" };
static const char * const severity_labels[] = { N_("Default"), N_("Error"), N_("Warning"), N_("Info"), NULL };

static const char * const house_style_values[] = { "site", "desu-masu", "de-aru", "any" };

struct _DeskPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  DeskStore            *store;
  GCancellable         *cancellable;
  DeskGlossary         *glossary;       /* revision: the site's it is based on, 0 when none */
  gboolean              glossary_dirty;
  gboolean              glossary_edited;  /* since it was opened or queued */
  gboolean              queuing;          /* closing: the edits go to the outbox */
  gboolean              syncing;
  GPtrArray            *qa_rows;        /* AdwActionRow*, in check id order */
  gboolean              loading_qa;

  /* template */
  AdwEntryRow          *site_url_row;
  AdwEntryRow          *account_row;
  AdwEntryRow          *token_row;
  AdwActionRow         *test_row;
  GtkButton            *test_button;
  GtkLabel             *site_message;
  GtkSpinButton        *autosave_spin;
  AdwComboRow          *house_style_row;
  GtkFontButton        *font_button;
  AdwPreferencesGroup  *qa_group;
  AdwActionRow         *sync_row;
  GtkButton            *sync_button;
  AdwPreferencesGroup  *terms_group;
  GtkListBox           *terms_list;
};

G_DEFINE_FINAL_TYPE (DeskPreferencesWindow, desk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  TOKEN_CHANGED,
  GLOSSARY_QUEUED,
  GLOSSARY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (DeskPreferencesWindow *self,
       const char            *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

/* ---- site ------------------------------------------------------------------------ */

static void
show_site_message (DeskPreferencesWindow *self,
                   const char            *message,
                   gboolean               is_error)
{
  gtk_label_set_text (self->site_message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->site_message), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->site_message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->site_message), "error");
}

/* The site address as the client will use it: https, or http to a
 * loopback host; "" is valid (no site). */
static gboolean
validate_site_url (const char  *url,
                   GError     **error)
{
  g_autoptr(DeskSiteClient) client = NULL;

  if (url[0] == '\0')
    return TRUE;
  client = desk_site_client_new (url, NULL, error);
  return client != NULL;
}

static void
site_url_changed (DeskPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->site_url_row), "error");
}

static void
site_url_applied (DeskPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->site_url_row))));
  g_autoptr(GError) error = NULL;

  if (!validate_site_url (url, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The site address was not saved: %s"), error->message);

      gtk_widget_add_css_class (GTK_WIDGET (self->site_url_row), "error");
      show_site_message (self, message, TRUE);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->site_url_row), "error");
  show_site_message (self, NULL, FALSE);
  g_settings_set_string (self->settings, "site-url", url);
}

static void
account_applied (DeskPreferencesWindow *self)
{
  g_autofree char *account = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->account_row))));

  g_settings_set_string (self->settings, "account", account);
}

typedef struct {
  DeskPreferencesWindow *self;
  char *site_url;
  char *account;
  char *token;
} TokenOp;

static void
token_op_free (TokenOp *op)
{
  g_object_unref (op->self);
  g_free (op->site_url);
  g_free (op->account);
  g_free (op->token);
  g_free (op);
}

static void
token_saved (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TokenOp *op = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (op->token[0] != '\0')
    ok = desk_secret_store_token_finish (result, &error);
  else
    ok = desk_secret_clear_token_finish (result, &error) || error == NULL;
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message =
            g_strdup_printf (_("The token could not be saved in the keyring: %s"), error->message);
          show_site_message (op->self, message, TRUE);
        }
    }
  else
    {
      toast (op->self, op->token[0] != '\0' ? _("Token saved in the keyring")
                                            : _("Token removed from the keyring"));
      g_signal_emit (op->self, signals[TOKEN_CHANGED], 0, op->site_url, op->account, op->token);
    }
  token_op_free (op);
}

static void
token_applied (DeskPreferencesWindow *self)
{
  TokenOp *op;

  op = g_new0 (TokenOp, 1);
  op->self = g_object_ref (self);
  op->site_url = g_settings_get_string (self->settings, "site-url");
  op->account = g_settings_get_string (self->settings, "account");
  op->token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
  if (op->site_url[0] == '\0')
    {
      show_site_message (self, _("Save the site address first: the token is kept for that site."), TRUE);
      token_op_free (op);
      return;
    }
  /* Only the keyring sees the token: never GSettings, the store or a log. */
  if (op->token[0] != '\0')
    desk_secret_store_token_async (op->site_url, op->account, op->token, self->cancellable,
                                   token_saved, op);
  else
    desk_secret_clear_token_async (op->site_url, op->account, self->cancellable, token_saved, op);
}

static void
token_looked_up (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DeskPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = desk_secret_lookup_token_finish (result, &error);

  if (token != NULL && gtk_editable_get_text (GTK_EDITABLE (self->token_row))[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->token_row), token);
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("The keyring could not be read: %s", error->message);
}

/* A client for the address and token as they are in the rows now, so a
 * connection can be tried before it is saved. */
static DeskSiteClient *
make_client (DeskPreferencesWindow  *self,
             GError                **error)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->site_url_row))));
  g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));

  if (url[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("No site address is set."));
      return NULL;
    }
  return desk_site_client_new (url, token[0] != '\0' ? token : NULL, error);
}

static void
me_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(DeskPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskAccount) me = NULL;

  me = desk_site_client_get_me_finish (DESK_SITE_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
  if (me == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Connection failed: %s"), error->message);

      adw_action_row_set_subtitle (self->test_row, message);
      show_site_message (self, message, TRUE);
      return;
    }
  {
    g_autofree char *message = g_strdup_printf (_("Connected as %s (%s)"), me->display_name, me->account);

    adw_action_row_set_subtitle (self->test_row, message);
    show_site_message (self, NULL, FALSE);
  }
}

static void
test_connection_clicked (DeskPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSiteClient) client = make_client (self, &error);

  if (client == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Connection failed: %s"), error->message);

      adw_action_row_set_subtitle (self->test_row, message);
      show_site_message (self, message, TRUE);
      return;
    }
  desk_site_client_set_timeout (client, 15);
  adw_action_row_set_subtitle (self->test_row, _("Connecting…"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  desk_site_client_get_me_async (client, self->cancellable, me_done, g_object_ref (self));
}

/* ---- editing ---------------------------------------------------------------------- */

static gboolean
house_style_get (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char *style = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (house_style_values); i++)
    if (g_str_equal (style, house_style_values[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
house_style_set (const GValue       *value,
                 const GVariantType *type,
                 gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return g_variant_new_string (house_style_values[i < G_N_ELEMENTS (house_style_values) ? i : 0]);
}

/* ---- QA checks ----------------------------------------------------------------------- */

static void
qa_store (DeskPreferencesWindow *self)
{
  GVariantBuilder builder;

  if (self->loading_qa)
    return;
  /* Only what differs from a check's own behaviour is kept. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(bs)}"));
  for (guint i = 0; i < self->qa_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->qa_rows, i);
      GtkSwitch *sw = g_object_get_data (G_OBJECT (row), "desk-switch");
      GtkDropDown *severity = g_object_get_data (G_OBJECT (row), "desk-severity");
      gboolean enabled = gtk_switch_get_active (sw);
      guint selected = gtk_drop_down_get_selected (severity);

      if (selected >= G_N_ELEMENTS (severity_values))
        selected = 0;
      if (enabled && selected == 0)
        continue;
      g_variant_builder_add (&builder, "{s(bs)}", desk_preferences_qa_check_ids[i], enabled,
                             severity_values[selected]);
    }
  g_settings_set_value (self->settings, "qa-checks", g_variant_builder_end (&builder));
}

static void
qa_load (DeskPreferencesWindow *self)
{
  g_autoptr(GVariant) checks = g_settings_get_value (self->settings, "qa-checks");

  self->loading_qa = TRUE;
  for (guint i = 0; i < self->qa_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->qa_rows, i);
      gboolean enabled = TRUE;
      const char *severity = "default";
      guint selected = 0;

      g_variant_lookup (checks, desk_preferences_qa_check_ids[i], "(b&s)", &enabled, &severity);
      for (guint j = 0; j < G_N_ELEMENTS (severity_values); j++)
        if (g_str_equal (severity, severity_values[j]))
          selected = j;
      gtk_switch_set_active (g_object_get_data (G_OBJECT (row), "desk-switch"), enabled);
      gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (row), "desk-severity"), selected);
    }
  self->loading_qa = FALSE;
}

static void
build_qa_rows (DeskPreferencesWindow *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; severity_labels[i] != NULL; i++)
    gtk_string_list_append (labels, _(severity_labels[i]));

  for (guint i = 0; desk_preferences_qa_check_ids[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      GtkWidget *severity = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL);
      g_autofree char *name = g_strconcat ("qa-", desk_preferences_qa_check_ids[i], NULL);

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(qa_check_names[i]));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), desk_preferences_qa_check_ids[i]);
      gtk_widget_set_valign (severity, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (severity, _("Severity"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(qa_check_names[i]), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), severity);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      g_object_set_data (G_OBJECT (row), "desk-switch", sw);
      g_object_set_data (G_OBJECT (row), "desk-severity", severity);
      g_object_bind_property (sw, "active", severity, "sensitive", G_BINDING_SYNC_CREATE);
      g_signal_connect_swapped (sw, "notify::active", G_CALLBACK (qa_store), self);
      g_signal_connect_swapped (severity, "notify::selected", G_CALLBACK (qa_store), self);
      adw_preferences_group_add (self->qa_group, row);
      g_ptr_array_add (self->qa_rows, row);
    }
}

/* ---- glossary ------------------------------------------------------------------------- */

static void edit_term (DeskPreferencesWindow *self, int index);
static void drop_queued_glossary (DeskPreferencesWindow *self);

static void
mark_glossary_edited (DeskPreferencesWindow *self)
{
  self->glossary_dirty = TRUE;
  self->glossary_edited = TRUE;
}

static void
term_edit_clicked (GtkButton             *button,
                   DeskPreferencesWindow *self)
{
  edit_term (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "desk-index")));
}

static void refresh_terms (DeskPreferencesWindow *self);

static void
term_delete_clicked (GtkButton             *button,
                     DeskPreferencesWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "desk-index"));

  if (index >= self->glossary->terms->len)
    return;
  g_ptr_array_remove_index (self->glossary->terms, index);
  mark_glossary_edited (self);
  refresh_terms (self);
}

static void
update_sync_subtitle (DeskPreferencesWindow *self)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *revision = g_strdup_printf ("%" G_GINT64_FORMAT, self->glossary->revision);

  if (self->glossary->revision == 0)
    subtitle = g_strdup (self->glossary_dirty ? _("Not synced yet; local changes not uploaded")
                                              : _("Not synced yet"));
  else if (self->glossary_dirty)
    subtitle = g_strdup_printf (_("Based on the site's revision %s; local changes not uploaded"), revision);
  else
    subtitle = g_strdup_printf (_("Same as the site's revision %s"), revision);
  adw_action_row_set_subtitle (self->sync_row, subtitle);
}

static void
refresh_terms (DeskPreferencesWindow *self)
{
  GtkWidget *child;
  g_autofree char *description = NULL;

  if (self->glossary != NULL)
    g_signal_emit (self, signals[GLOSSARY_CHANGED], 0, self->glossary);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->terms_list))) != NULL)
    gtk_list_box_remove (self->terms_list, child);

  for (guint i = 0; i < self->glossary->terms->len; i++)
    {
      const DeskGlossaryTerm *term = g_ptr_array_index (self->glossary->terms, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      /* A prh rule has no source of its own: its source is its target. */
      g_autofree char *title = g_str_equal (term->source, term->target)
                               ? g_strdup (term->target)
                               : g_strdup_printf ("%s → %s", term->source, term->target);
      g_autoptr(GString) subtitle = g_string_new (NULL);

      if (term->forbidden[0] != NULL)
        {
          g_autofree char *variants = g_strjoinv (_(", "), term->forbidden);
          g_string_append_printf (subtitle, _("Forbidden: %s"), variants);
        }
      if (term->note[0] != '\0')
        g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? "\n" : "", term->note);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      for (GtkWidget *b = edit; b != NULL; b = b == edit ? remove : NULL)
        {
          gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (b, "flat");
          g_object_set_data (G_OBJECT (b), "desk-index", GUINT_TO_POINTER (i));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), b);
        }
      gtk_widget_set_tooltip_text (edit, _("Edit Term"));
      gtk_widget_set_tooltip_text (remove, _("Delete Term"));
      g_signal_connect (edit, "clicked", G_CALLBACK (term_edit_clicked), self);
      g_signal_connect (remove, "clicked", G_CALLBACK (term_delete_clicked), self);
      gtk_list_box_append (self->terms_list, row);
    }

  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u term", "%u terms",
                                              self->glossary->terms->len),
                                 self->glossary->terms->len);
  adw_preferences_group_set_description (self->terms_group, description);
  update_sync_subtitle (self);
}

typedef struct {
  DeskPreferencesWindow *self;
  int index;   /* -1: a new term */
  GtkEditable *source, *target, *forbidden, *note;
} EditOp;

static void
edit_response (AdwMessageDialog *dialog,
               const char       *response,
               EditOp           *op)
{
  DeskPreferencesWindow *self = op->self;
  g_autofree char *source = g_strstrip (g_strdup (gtk_editable_get_text (op->source)));
  g_autofree char *target = g_strstrip (g_strdup (gtk_editable_get_text (op->target)));
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) forbidden = g_ptr_array_new_with_free_func (g_free);
  DeskGlossaryTerm *term;

  if (!g_str_equal (response, "save"))
    goto out;
  if (source[0] == '\0' || target[0] == '\0')
    {
      toast (self, _("The term was not saved: the source and the target must not be empty"));
      goto out;
    }
  for (guint i = 0; i < self->glossary->terms->len; i++)
    if ((int) i != op->index &&
        g_str_equal (((DeskGlossaryTerm *) g_ptr_array_index (self->glossary->terms, i))->source, source))
      {
        toast (self, _("The term was not saved: another term has the same source"));
        goto out;
      }
  if (op->index < 0 && self->glossary->terms->len >= MAX_TERMS)
    {
      toast (self, _("The glossary is full (10 000 terms)"));
      goto out;
    }

  parts = g_strsplit (gtk_editable_get_text (op->forbidden), "|", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0' && !g_str_equal (parts[i], target))
        g_ptr_array_add (forbidden, g_strdup (parts[i]));
    }
  g_ptr_array_add (forbidden, NULL);

  if (op->index >= 0)
    term = g_ptr_array_index (self->glossary->terms, op->index);
  else
    {
      term = desk_glossary_term_new (source, target);
      g_ptr_array_add (self->glossary->terms, term);
    }
  g_free (term->source);
  term->source = g_steal_pointer (&source);
  g_free (term->target);
  term->target = g_steal_pointer (&target);
  g_strfreev (term->forbidden);
  term->forbidden = (GStrv) g_ptr_array_steal (forbidden, NULL);
  g_free (term->note);
  term->note = g_strdup (gtk_editable_get_text (op->note));
  mark_glossary_edited (self);
  refresh_terms (self);

out:
  g_object_unref (op->self);
  g_free (op);
}

static GtkEditable *
add_field (GtkGrid    *grid,
           int         row,
           const char *label,
           const char *text,
           const char *placeholder)
{
  GtkWidget *l = gtk_label_new_with_mnemonic (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (l), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_widget_set_hexpand (entry, TRUE);
  if (placeholder != NULL)
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_grid_attach (grid, l, 0, row, 1, 1);
  gtk_grid_attach (grid, entry, 1, row, 1, 1);
  return GTK_EDITABLE (entry);
}

static void
edit_term (DeskPreferencesWindow *self,
           int                    index)
{
  const DeskGlossaryTerm *term = index >= 0 ? g_ptr_array_index (self->glossary->terms, index) : NULL;
  GtkWidget *dialog, *grid;
  g_autofree char *forbidden = term != NULL ? g_strjoinv (" | ", term->forbidden) : NULL;
  EditOp *op = g_new0 (EditOp, 1);

  op->self = g_object_ref (self);
  op->index = index;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), index >= 0 ? _("Edit Term") : _("Add Term"), NULL);
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  op->source = add_field (GTK_GRID (grid), 0, _("_Source"), term ? term->source : "", _("e.g. large language model"));
  op->target = add_field (GTK_GRID (grid), 1, _("_Translation"), term ? term->target : "", _("e.g. 大規模言語モデル"));
  op->forbidden = add_field (GTK_GRID (grid), 2, _("_Forbidden"), forbidden ? forbidden : "",
                             _("Variants separated by “|”"));
  op->note = add_field (GTK_GRID (grid), 3, _("_Note"), term ? term->note : "", NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), grid);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (edit_response), op);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_clicked (DeskPreferencesWindow *self)
{
  edit_term (self, -1);
}

/* ---- glossary: sync ---------------------------------------------------------------------- */

static void
set_glossary (DeskPreferencesWindow *self,
              DeskGlossary          *glossary,
              gboolean               save)
{
  desk_glossary_free (self->glossary);
  self->glossary = glossary;
  self->glossary_dirty = FALSE;
  self->glossary_edited = FALSE;
  /* The site's version, uploaded or chosen: edits queued earlier are in
   * it or were given up. */
  if (save && self->store != NULL)
    {
      desk_store_set_glossary_async (self->store, glossary, self->cancellable, NULL, NULL);
      drop_queued_glossary (self);
    }
  refresh_terms (self);
}

static void
sync_finished (DeskPreferencesWindow *self,
               const char            *message)
{
  self->syncing = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_button), TRUE);
  if (message != NULL)
    toast (self, message);
}

static void
conflict_response (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  DeskPreferencesWindow *self = user_data;
  DeskGlossary *theirs = g_object_get_data (G_OBJECT (dialog), "desk-theirs");

  if (g_str_equal (response, "theirs"))
    set_glossary (self, desk_glossary_copy (theirs), TRUE);
}

static void
show_conflict (DeskPreferencesWindow *self,
               const DeskGlossary    *theirs)
{
  GtkWidget *dialog;
  g_autofree char *revision = g_strdup_printf ("%" G_GINT64_FORMAT, theirs->revision);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Site's Glossary Has Changed"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Someone changed the glossary on the site (now revision %s"
                                    ") since this copy was fetched. Your changes were not uploaded and are kept "
                                    "here. Export them as CSV if you want to keep them, then use the site's version "
                                    "and import them again."),
                                  revision);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep My Changes"),
                                    "theirs", _("_Use the Site's Version"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "theirs", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_widget_set_name (dialog, "glossary-conflict");
  g_object_set_data_full (G_OBJECT (dialog), "desk-theirs", desk_glossary_copy (theirs),
                          (GDestroyNotify) desk_glossary_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (conflict_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
put_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(DeskPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSiteFailure) failure = NULL;
  DeskGlossary *glossary;

  glossary = desk_site_client_put_glossary_finish (DESK_SITE_CLIENT (object), result, NULL, &failure, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (glossary == NULL)
    {
      if (g_error_matches (error, DESK_SITE_ERROR, DESK_SITE_ERROR_PRECONDITION_FAILED) &&
          failure != NULL && failure->api_error != NULL && failure->api_error->current_glossary != NULL)
        {
          sync_finished (self, NULL);
          show_conflict (self, failure->api_error->current_glossary);
          return;
        }
      {
        g_autofree char *message = g_strdup_printf (_("The glossary could not be uploaded: %s"), error->message);
        sync_finished (self, message);
      }
      return;
    }
  set_glossary (self, glossary, TRUE);
  sync_finished (self, _("Glossary uploaded to the site"));
}

static void
get_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(DeskPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(DeskGlossary) theirs = NULL;
  DeskSiteClient *client = DESK_SITE_CLIENT (object);

  theirs = desk_site_client_get_glossary_finish (client, result, &etag, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (theirs == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The glossary could not be fetched: %s"), error->message);
      sync_finished (self, message);
      return;
    }
  if (!self->glossary_dirty)
    {
      set_glossary (self, g_steal_pointer (&theirs), TRUE);
      sync_finished (self, _("Glossary updated from the site"));
      return;
    }
  /* Local changes go up only on top of the revision they were made on
   * (or onto an empty glossary when there was none). */
  if (self->glossary->revision == theirs->revision ||
      (self->glossary->revision == 0 && theirs->terms->len == 0))
    {
      desk_site_client_put_glossary_async (client, etag, self->glossary, self->cancellable,
                                           put_done, g_object_ref (self));
      return;
    }
  sync_finished (self, NULL);
  show_conflict (self, theirs);
}

static void
sync_clicked (DeskPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSiteClient) client = NULL;

  if (self->syncing)
    return;
  client = make_client (self, &error);
  if (client == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The glossary could not be fetched: %s"), error->message);
      toast (self, message);
      return;
    }
  self->syncing = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_button), FALSE);
  desk_site_client_get_glossary_async (client, self->cancellable, get_done, g_object_ref (self));
}

static void
stored_glossary_loaded (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(DeskPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  DeskGlossary *glossary = desk_store_get_glossary_finish (DESK_STORE (object), result, &error);

  if (glossary == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("The stored glossary could not be read: %s", error->message);
      return;
    }
  /* Edits made before it came in win. */
  if (self->glossary_dirty)
    {
      desk_glossary_free (glossary);
      return;
    }
  set_glossary (self, glossary, FALSE);
}

/* ---- glossary: edits kept when the window closes ------------------------------------------- */

/* Edits not uploaded when the window closes go to the outbox as a PUT of
 * the whole glossary, If-Match the site's revision they are based on: the
 * sync engine sends them when it can, and the next preferences window
 * starts from them while they wait (or after the site refused them, until
 * a sync settles them). Only the newest such write is kept. */
#define QUEUED_STATES (DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_PENDING) | \
                       DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_FAILED))

static char *
glossary_etag (const DeskGlossary *glossary)
{
  if (glossary->revision <= 0)
    return NULL;
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", glossary->revision);
}

static gint64
glossary_etag_revision (const char *etag)
{
  g_autofree char *digits = NULL;

  if (etag == NULL)
    return 0;
  digits = g_strdup (etag);
  g_strdelimit (digits, "\"W/", ' ');
  g_strstrip (digits);
  return g_ascii_strtoll (digits, NULL, 10);
}

static void
drop_listed (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GPtrArray) ops = desk_store_outbox_list_finish (DESK_STORE (object), result, NULL);

  for (guint i = 0; ops != NULL && i < ops->len; i++)
    {
      const DeskOutboxOp *op = g_ptr_array_index (ops, i);

      if (op->kind == DESK_OUTBOX_KIND_GLOSSARY)
        desk_store_outbox_delete_async (DESK_STORE (object), op->id, NULL, NULL, NULL);
    }
}

static void
drop_queued_glossary (DeskPreferencesWindow *self)
{
  desk_store_outbox_list_async (self->store, QUEUED_STATES, NULL, drop_listed, NULL);
}

/* The newest queued glossary write, as a glossary based on its revision. */
static DeskGlossary *
queued_glossary (GPtrArray *ops)
{
  for (guint i = ops->len; i > 0; i--)
    {
      const DeskOutboxOp *op = g_ptr_array_index (ops, i - 1);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      DeskGlossary *glossary;

      if (op->kind != DESK_OUTBOX_KIND_GLOSSARY || op->payload == NULL)
        continue;
      node = desk_json_parse (op->payload, -1, 0, 0, &error);
      glossary = node != NULL ? desk_glossary_new_from_json (node, FALSE, &error) : NULL;
      if (glossary == NULL)
        {
          g_message ("A queued glossary could not be read: %s", error->message);
          continue;
        }
      glossary->revision = glossary_etag_revision (op->if_match);
      return glossary;
    }
  return NULL;
}

static void
queued_listed (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DeskPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = desk_store_outbox_list_finish (DESK_STORE (object), result, &error);
  DeskGlossary *queued = ops != NULL ? queued_glossary (ops) : NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (queued == NULL)
    {
      desk_store_get_glossary_async (self->store, self->cancellable, stored_glossary_loaded,
                                     g_object_ref (self));
      return;
    }
  /* Edits made before it came in win. */
  if (self->glossary_dirty)
    {
      desk_glossary_free (queued);
      return;
    }
  desk_glossary_free (self->glossary);
  self->glossary = queued;
  self->glossary_dirty = TRUE;
  self->glossary_edited = FALSE;
  refresh_terms (self);
}

static gint64
enqueue_glossary_sync (DeskStore           *store,
                       const DeskGlossary  *glossary,
                       GError             **error)
{
  g_autoptr(GPtrArray) ops = desk_store_outbox_list_sync (store, QUEUED_STATES, NULL, error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *etag = NULL;

  if (ops == NULL)
    return 0;
  for (guint i = 0; i < ops->len; i++)
    {
      const DeskOutboxOp *op = g_ptr_array_index (ops, i);

      if (op->kind == DESK_OUTBOX_KIND_GLOSSARY && !desk_store_outbox_delete_sync (store, op->id, NULL, error))
        return 0;
    }
  node = desk_glossary_to_json (glossary, FALSE);
  payload = json_to_string (node, FALSE);
  etag = glossary_etag (glossary);
  return desk_store_outbox_enqueue_sync (store, NULL, DESK_OUTBOX_KIND_GLOSSARY, payload, etag, NULL,
                                         NULL, error);
}

/* The outbox is written on the store's worker; the window stays until it is. */
static void
enqueue_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  gint64 id = enqueue_glossary_sync (DESK_PREFERENCES_WINDOW (source)->store, task_data, &error);

  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

static gboolean
destroy_idle (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
close_anyway_response (AdwMessageDialog      *dialog,
                       const char            *response,
                       DeskPreferencesWindow *self)
{
  if (g_str_equal (response, "discard"))
    {
      self->glossary_dirty = FALSE;
      /* Not under the dialog's feet while it emits its response. */
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, destroy_idle, g_object_ref (self), g_object_unref);
    }
}

static void
warn_unsaved (DeskPreferencesWindow *self,
              const char            *reason)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Glossary Changes Not Uploaded"), NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The glossary changes could not be kept for a later upload: %s. "
                                    "Sync them now, or discard them."), reason);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard Changes"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_widget_set_name (dialog, "glossary-unsaved");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_anyway_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
glossary_queued (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DeskPreferencesWindow) self = DESK_PREFERENCES_WINDOW (object);
  g_autoptr(GError) error = NULL;

  self->queuing = FALSE;
  if (g_task_propagate_int (G_TASK (result), &error) == 0)
    {
      warn_unsaved (self, error->message);
      return;
    }
  self->glossary_dirty = FALSE;
  g_signal_emit (self, signals[GLOSSARY_QUEUED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
desk_preferences_window_close_request (GtkWindow *window)
{
  DeskPreferencesWindow *self = DESK_PREFERENCES_WINDOW (window);

  if (self->queuing)
    return TRUE;
  /* Unchanged since it came from the outbox: it is still there. */
  if (self->glossary_dirty && !self->glossary_edited && self->store != NULL)
    self->glossary_dirty = FALSE;
  if (self->glossary_dirty)
    {
      if (self->store == NULL)
        {
          warn_unsaved (self, _("there is no local store"));
          return TRUE;
        }
      else
        {
          g_autoptr(GTask) task = g_task_new (self, NULL, glossary_queued, NULL);

          self->queuing = TRUE;
          g_object_ref (self);
          /* A copy: the page stays editable meanwhile. */
          g_task_set_task_data (task, desk_glossary_copy (self->glossary), (GDestroyNotify) desk_glossary_free);
          g_task_run_in_thread (task, enqueue_thread);
          return TRUE;
        }
    }
  return GTK_WINDOW_CLASS (desk_preferences_window_parent_class)->close_request (window);
}

/* ---- glossary: import and export ------------------------------------------------------------- */

static void
import_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskPreferencesWindow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (object));
  g_autofree char *lower = NULL;
  g_autoptr(GPtrArray) terms = NULL;
  g_autoptr(DeskGlossary) merged = NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  gsize length;
  guint n_regex = 0, added = 0, updated = 0;
  gboolean is_csv;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    goto fail;
  lower = g_ascii_strdown (name, -1);
  is_csv = g_str_has_suffix (lower, ".csv");
  if (is_csv)
    terms = desk_glossary_csv_parse (contents, length, &error);
  else if (g_str_has_suffix (lower, ".yml") || g_str_has_suffix (lower, ".yaml"))
    terms = desk_glossary_prh_parse (contents, length, &n_regex, &error);
  else
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("Only .csv and prh .yml files can be imported"));
  if (terms == NULL)
    goto fail;

  merged = desk_glossary_copy (self->glossary);
  desk_glossary_merge_terms (merged, terms,
                             is_csv ? DESK_GLOSSARY_MERGE_REPLACE : DESK_GLOSSARY_MERGE_ADD_VARIANTS,
                             &added, &updated);
  if (merged->terms->len > MAX_TERMS)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The glossary would have %u terms; the site allows 10 000"), merged->terms->len);
      goto fail;
    }
  desk_glossary_free (self->glossary);
  self->glossary = g_steal_pointer (&merged);
  if (added > 0 || updated > 0)
    mark_glossary_edited (self);
  refresh_terms (self);

  g_string_printf (message, _("%s: %u terms added, %u updated"), name, added, updated);
  if (n_regex > 0)
    {
      g_string_append (message, _(", "));
      g_string_append_printf (message,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u regular expression kept in the notes",
                                           "%u regular expressions kept in the notes", n_regex),
                              n_regex);
    }
  toast (self, message->str);
  g_task_return_boolean (task, TRUE);
  return;

fail:
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("%s was not imported: %s"), name, error->message);
      GtkWidget *dialog;

      /* A dialog, not a toast: the message names the line to fix and is
       * often too long for a toast. */
      dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The File Was Not Imported"), text);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
      gtk_widget_set_name (dialog, "import-error");
      gtk_window_present (GTK_WINDOW (dialog));
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

void
desk_preferences_window_import_file_async (DeskPreferencesWindow *self,
                                           GFile                 *file,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  GTask *task;

  g_return_if_fail (DESK_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_preferences_window_import_file_async);
  g_file_load_contents_async (file, cancellable, import_loaded, task);
}

gboolean
desk_preferences_window_import_file_finish (DeskPreferencesWindow  *self,
                                            GAsyncResult           *result,
                                            GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
import_chosen (GtkNativeDialog       *dialog,
               int                    response,
               DeskPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      desk_preferences_window_import_file_async (self, file, self->cancellable, NULL, NULL);
    }
  g_object_unref (dialog);
}

static void
import_clicked (DeskPreferencesWindow *self)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Import Glossary"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Glossaries (CSV, prh.yml)"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.yml");
  gtk_file_filter_add_pattern (filter, "*.yaml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (import_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_written (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DeskPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("The glossary was not exported: %s"), error->message);
          toast (self, message);
        }
      return;
    }
  toast (self, _("Glossary exported"));
}

static void
export_chosen (GtkNativeDialog       *dialog,
               int                    response,
               DeskPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;
      char *csv = desk_glossary_csv_write (self->glossary->terms, &error);

      if (csv == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("The glossary was not exported: %s"), error->message);
          toast (self, message);
        }
      else
        {
          g_autoptr(GBytes) bytes = g_bytes_new_take (csv, strlen (csv));
          g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                               self->cancellable, export_written, g_object_ref (self));
        }
    }
  g_object_unref (dialog);
}

static void
export_clicked (DeskPreferencesWindow *self)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Glossary"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "glossary.csv");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

const DeskGlossary *
desk_preferences_window_get_glossary (DeskPreferencesWindow *self)
{
  g_return_val_if_fail (DESK_IS_PREFERENCES_WINDOW (self), NULL);
  return self->glossary;
}

/* ---- GObject ------------------------------------------------------------------------------------ */

static void
desk_preferences_window_dispose (GObject *object)
{
  DeskPreferencesWindow *self = DESK_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* Destroyed without a close request (the app quits): the edits are
   * queued here, which waits for the store's worker. */
  if (self->glossary_dirty && self->glossary_edited && self->store != NULL && self->glossary != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->glossary_dirty = FALSE;
      if (enqueue_glossary_sync (self->store, self->glossary, &error) == 0)
        g_warning ("The glossary changes could not be queued: %s", error->message);
      else
        g_signal_emit (self, signals[GLOSSARY_QUEUED], 0);
    }
  if (self->settings != NULL)
    g_settings_unbind (self->autosave_spin, "value");
  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (desk_preferences_window_parent_class)->dispose (object);
}

static void
desk_preferences_window_finalize (GObject *object)
{
  DeskPreferencesWindow *self = DESK_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->glossary, desk_glossary_free);
  g_clear_pointer (&self->qa_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (desk_preferences_window_parent_class)->finalize (object);
}

static void
desk_preferences_window_class_init (DeskPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_preferences_window_dispose;
  object_class->finalize = desk_preferences_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = desk_preferences_window_close_request;

  signals[TOKEN_CHANGED] =
    g_signal_new ("token-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[GLOSSARY_QUEUED] =
    g_signal_new ("glossary-queued", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* ::glossary-changed (DeskGlossary *glossary): the glossary as it now
   * stands in the window (imported, edited or synced), for the QA. */
  signals[GLOSSARY_CHANGED] =
    g_signal_new ("glossary-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DESK_TYPE_GLOSSARY | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/digestdesk/DigestDesk/ui/desk-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, site_url_row);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, site_message);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, autosave_spin);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, house_style_row);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, font_button);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, qa_group);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, sync_row);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, terms_group);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, terms_list);
  gtk_widget_class_bind_template_callback (widget_class, site_url_applied);
  gtk_widget_class_bind_template_callback (widget_class, site_url_changed);
  gtk_widget_class_bind_template_callback (widget_class, account_applied);
  gtk_widget_class_bind_template_callback (widget_class, token_applied);
  gtk_widget_class_bind_template_callback (widget_class, test_connection_clicked);
  gtk_widget_class_bind_template_callback (widget_class, sync_clicked);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked);
}

static void
desk_preferences_window_init (DeskPreferencesWindow *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->glossary = desk_glossary_new ();
  self->qa_rows = g_ptr_array_new ();
  build_qa_rows (self);

  placeholder = gtk_label_new (_("No terms yet: add one, import a file or sync with the site."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->terms_list, placeholder);
}

DeskPreferencesWindow *
desk_preferences_window_new (GSettings *settings,
                             DeskStore *store)
{
  DeskPreferencesWindow *self;
  g_autofree char *url = NULL;
  g_autofree char *account = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (store == NULL || DESK_IS_STORE (store), NULL);

  self = g_object_new (DESK_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);
  self->store = store != NULL ? g_object_ref (store) : NULL;

  url = g_settings_get_string (settings, "site-url");
  account = g_settings_get_string (settings, "account");
  gtk_editable_set_text (GTK_EDITABLE (self->site_url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->account_row), account);
  if (url[0] != '\0')
    desk_secret_lookup_token_async (url, account, self->cancellable, token_looked_up, g_object_ref (self));

  g_settings_bind (settings, "autosave-delay-ms", self->autosave_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "house-style-override", self->house_style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, house_style_get, house_style_set, NULL, NULL);
  g_settings_bind (settings, "editor-font", self->font_button, "font", G_SETTINGS_BIND_DEFAULT);
  qa_load (self);

  refresh_terms (self);
  if (store != NULL)
    desk_store_outbox_list_async (store, QUEUED_STATES, self->cancellable, queued_listed, g_object_ref (self));
  return self;
}
