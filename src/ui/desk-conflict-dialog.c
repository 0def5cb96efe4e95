/* desk-conflict-dialog.c: resolve a conflicting write field by field: mine, theirs, or edited
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-changes-view.h"
#include "desk-conflict-dialog.h"

typedef struct {
  DeskFields       field;
  GtkToggleButton *mine_button;
  GtkToggleButton *theirs_button;
  GtkTextView     *result;         /* NULL for fields that are not one text */
} FieldRow;

struct _DeskConflictDialog
{
  AdwWindow     parent_instance;

  DeskSync     *sync;
  char         *entry_id;
  DeskFields    fields;
  DeskEditable *mine;
  DeskEditable *theirs;
  GArray       *rows;             /* FieldRow */
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (DeskConflictDialog, desk_conflict_dialog, ADW_TYPE_WINDOW)

static const DeskFields all_fields[] = {
  DESK_FIELD_TITLE, DESK_FIELD_TLDR, DESK_FIELD_BODY, DESK_FIELD_TAGS, DESK_FIELD_IMPORTANCE,
  DESK_FIELD_KEY_POINTS, DESK_FIELD_IMPACT_ANALYSIS, DESK_FIELD_EDITORIAL_COMMENT,
};

static char **
text_slot (DeskEditable *e,
           DeskFields    field)
{
  switch (field)
    {
    case DESK_FIELD_TITLE: return &e->title;
    case DESK_FIELD_TLDR: return &e->tldr;
    case DESK_FIELD_BODY: return &e->body;
    case DESK_FIELD_IMPACT_ANALYSIS: return &e->impact_analysis;
    case DESK_FIELD_EDITORIAL_COMMENT: return &e->editorial_comment;
    default: return NULL;
    }
}

static GtkWidget *
text_column (const char *title,
             const char *text,
             gboolean    editable,
             GtkTextView **out_view)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (box), label);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 4);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 4);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 60);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 180);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_widget_add_css_class (scroller, "card");
  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  if (out_view != NULL)
    *out_view = GTK_TEXT_VIEW (view);
  return box;
}

static FieldRow *
find_row (DeskConflictDialog *self,
          DeskFields          field)
{
  for (guint i = 0; i < self->rows->len; i++)
    if (g_array_index (self->rows, FieldRow, i).field == field)
      return &g_array_index (self->rows, FieldRow, i);
  return NULL;
}

static void
side_toggled (GtkToggleButton    *button,
              DeskConflictDialog *self)
{
  DeskFields field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "desk-field"));
  FieldRow *row = find_row (self, field);
  g_autofree char *text = NULL;

  if (row == NULL || !gtk_toggle_button_get_active (button) || row->result == NULL)
    return;
  text = desk_field_text (button == row->mine_button ? self->mine : self->theirs, field);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (row->result), text, -1);
}

void
desk_conflict_dialog_choose (DeskConflictDialog *self,
                             DeskFields          field,
                             gboolean            mine)
{
  FieldRow *row;

  g_return_if_fail (DESK_IS_CONFLICT_DIALOG (self));
  if (!(row = find_row (self, field)))
    return;
  gtk_toggle_button_set_active (mine ? row->mine_button : row->theirs_button, TRUE);
}

DeskFields
desk_conflict_dialog_get_fields (DeskConflictDialog *self)
{
  g_return_val_if_fail (DESK_IS_CONFLICT_DIALOG (self), 0);
  return self->fields;
}

gboolean
desk_conflict_dialog_save (DeskConflictDialog  *self,
                           GError             **error)
{
  g_autoptr(DeskEditable) resolution = desk_editable_new ();

  g_return_val_if_fail (DESK_IS_CONFLICT_DIALOG (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = &g_array_index (self->rows, FieldRow, i);
      gboolean mine = gtk_toggle_button_get_active (row->mine_button);
      g_autoptr(DeskEditable) side = desk_editable_new ();

      /* Copy one field of the chosen side, then replace its text with the
       * edited result when the field is a text. */
      side->present = 0;
      desk_editable_merge (side, mine ? self->mine : self->theirs);
      side->present &= row->field;
      if (row->result != NULL)
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (row->result);
          GtkTextIter start, end;
          char **slot = text_slot (side, row->field);

          gtk_text_buffer_get_bounds (buffer, &start, &end);
          g_free (*slot);
          *slot = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
          side->present |= row->field;
        }
      desk_editable_merge (resolution, side);
    }

  if (!desk_sync_resolve_conflict (self->sync, self->entry_id, resolution, error))
    return FALSE;
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

static void
save_clicked (DeskConflictDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (!desk_conflict_dialog_save (self, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

static void
desk_conflict_dialog_dispose (GObject *object)
{
  DeskConflictDialog *self = DESK_CONFLICT_DIALOG (object);

  g_clear_object (&self->sync);
  G_OBJECT_CLASS (desk_conflict_dialog_parent_class)->dispose (object);
}

static void
desk_conflict_dialog_finalize (GObject *object)
{
  DeskConflictDialog *self = DESK_CONFLICT_DIALOG (object);

  g_free (self->entry_id);
  g_clear_pointer (&self->mine, desk_editable_free);
  g_clear_pointer (&self->theirs, desk_editable_free);
  g_clear_pointer (&self->rows, g_array_unref);
  G_OBJECT_CLASS (desk_conflict_dialog_parent_class)->finalize (object);
}

static void
desk_conflict_dialog_class_init (DeskConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_conflict_dialog_dispose;
  object_class->finalize = desk_conflict_dialog_finalize;
}

static void
desk_conflict_dialog_init (DeskConflictDialog *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (FieldRow));
}

GtkWidget *
desk_conflict_dialog_new (GtkWindow          *parent,
                          DeskSync           *sync,
                          const char         *entry_id,
                          DeskFields          fields,
                          const DeskEditable *mine,
                          const DeskEditable *theirs)
{
  DeskConflictDialog *self;
  GtkWidget *content, *header, *cancel, *save, *scroller, *list, *intro;

  g_return_val_if_fail (DESK_IS_SYNC (sync), NULL);
  g_return_val_if_fail (entry_id != NULL && mine != NULL && theirs != NULL, NULL);

  self = g_object_new (DESK_TYPE_CONFLICT_DIALOG,
                       "modal", TRUE,
                       "transient-for", parent,
                       "title", _("Resolve Conflict"),
                       "default-width", 900,
                       "default-height", 640,
                       NULL);
  self->sync = g_object_ref (sync);
  self->entry_id = g_strdup (entry_id);
  self->fields = fields;
  self->mine = desk_editable_copy (mine);
  self->theirs = desk_editable_copy (theirs);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Later"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  save = gtk_button_new_with_mnemonic (_("_Save Resolution"));
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_clicked), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_box_append (GTK_BOX (content), header);

  list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_start (list, 18);
  gtk_widget_set_margin_end (list, 18);
  gtk_widget_set_margin_top (list, 12);
  gtk_widget_set_margin_bottom (list, 18);

  intro = gtk_label_new (_("Another editor changed the same fields while you were editing. Nothing was overwritten: "
                           "for each field, keep yours, take theirs, or edit the result. Their version stays in the history."));
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_box_append (GTK_BOX (list), intro);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (list), GTK_WIDGET (self->error_label));

  for (guint i = 0; i < G_N_ELEMENTS (all_fields); i++)
    {
      DeskFields field = all_fields[i];
      FieldRow row = { field, NULL, NULL, NULL };
      g_autofree char *mine_text = NULL;
      g_autofree char *theirs_text = NULL;
      GtkWidget *group, *title_box, *title, *toggles, *columns;

      if (!(fields & field))
        continue;
      mine_text = desk_field_text (mine, field);
      theirs_text = desk_field_text (theirs, field);

      group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      title = gtk_label_new (desk_field_label (field));
      gtk_widget_add_css_class (title, "heading");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_set_hexpand (title, TRUE);
      gtk_box_append (GTK_BOX (title_box), title);

      toggles = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      gtk_widget_add_css_class (toggles, "linked");
      row.mine_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("Keep Mine")));
      row.theirs_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("Take Theirs")));
      gtk_toggle_button_set_group (row.theirs_button, row.mine_button);
      gtk_toggle_button_set_active (row.mine_button, TRUE);
      g_object_set_data (G_OBJECT (row.mine_button), "desk-field", GUINT_TO_POINTER (field));
      g_object_set_data (G_OBJECT (row.theirs_button), "desk-field", GUINT_TO_POINTER (field));
      gtk_box_append (GTK_BOX (toggles), GTK_WIDGET (row.mine_button));
      gtk_box_append (GTK_BOX (toggles), GTK_WIDGET (row.theirs_button));
      gtk_box_append (GTK_BOX (title_box), toggles);
      gtk_box_append (GTK_BOX (group), title_box);

      columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_box_set_homogeneous (GTK_BOX (columns), TRUE);
      gtk_box_append (GTK_BOX (columns), text_column (_("Mine"), mine_text, FALSE, NULL));
      gtk_box_append (GTK_BOX (columns), text_column (_("Theirs"), theirs_text, FALSE, NULL));
      gtk_box_append (GTK_BOX (group), columns);
      if (text_slot (self->mine, field) != NULL)
        gtk_box_append (GTK_BOX (group), text_column (_("Result (editable)"), mine_text, TRUE, &row.result));

      g_array_append_val (self->rows, row);
      g_signal_connect (row.mine_button, "toggled", G_CALLBACK (side_toggled), self);
      g_signal_connect (row.theirs_button, "toggled", G_CALLBACK (side_toggled), self);
      gtk_box_append (GTK_BOX (list), group);
    }

  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_box_append (GTK_BOX (content), scroller);
  adw_window_set_content (ADW_WINDOW (self), content);
  return GTK_WIDGET (self);
}
