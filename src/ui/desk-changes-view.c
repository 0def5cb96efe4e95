/* desk-changes-view.c: every field's difference from the machine output, and the post-edit effort
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-changes-view.h"

struct _DeskChangesView
{
  GtkWidget    parent_instance;

  GtkWidget   *box;
  GtkLabel    *effort_label;
  GtkTextView *text_view;
  double       effort;
};

G_DEFINE_FINAL_TYPE (DeskChangesView, desk_changes_view, GTK_TYPE_WIDGET)

static char *
key_points_text (const DeskEditable *fields)
{
  GString *s = g_string_new (NULL);

  if (fields->key_points == NULL)
    return g_string_free (s, FALSE);
  for (guint i = 0; i < fields->key_points->len; i++)
    {
      const DeskKeyPoint *kp = g_ptr_array_index (fields->key_points, i);
      g_string_append_printf (s, "%u. %s\n%s\n", i + 1,
                              kp->heading != NULL ? kp->heading : "",
                              kp->body != NULL ? kp->body : "");
    }
  return g_string_free (s, FALSE);
}

static char *
tags_text (const DeskEditable *fields)
{
  return fields->tags != NULL ? g_strjoinv ("、", fields->tags) : g_strdup ("");
}

static char *
importance_text (const DeskEditable *fields)
{
  const DeskImportance *i = &fields->importance;

  if (!(fields->present & DESK_FIELD_IMPORTANCE))
    return g_strdup ("");
  /* Translators: the importance in the changes view */
  return g_strdup_printf (_("overall %d · depth %d · relevance %d · practicality %d · innovation %d"),
                          (int) i->overall, (int) i->depth, (int) i->relevance,
                          (int) i->practicality, (int) i->innovation);
}

typedef struct {
  DeskFields   field;
  const char  *label;
} FieldInfo;

char *
desk_field_text (const DeskEditable *fields,
                 DeskFields          field)
{
  if (fields == NULL)
    return g_strdup ("");
  switch (field)
    {
    case DESK_FIELD_TITLE:
      return g_strdup (fields->title != NULL ? fields->title : "");
    case DESK_FIELD_TLDR:
      return g_strdup (fields->tldr != NULL ? fields->tldr : "");
    case DESK_FIELD_TAGS:
      return tags_text (fields);
    case DESK_FIELD_IMPORTANCE:
      return importance_text (fields);
    case DESK_FIELD_KEY_POINTS:
      return key_points_text (fields);
    case DESK_FIELD_IMPACT_ANALYSIS:
      return g_strdup (fields->impact_analysis != NULL ? fields->impact_analysis : "");
    case DESK_FIELD_EDITORIAL_COMMENT:
      return g_strdup (fields->editorial_comment != NULL ? fields->editorial_comment : "");
    case DESK_FIELD_BODY:
      return g_strdup (fields->body != NULL ? fields->body : "");
    default:
      return g_strdup ("");
    }
}

static const DeskFields field_order[] = {
  DESK_FIELD_TITLE, DESK_FIELD_TLDR, DESK_FIELD_TAGS, DESK_FIELD_IMPORTANCE,
  DESK_FIELD_KEY_POINTS, DESK_FIELD_IMPACT_ANALYSIS, DESK_FIELD_EDITORIAL_COMMENT, DESK_FIELD_BODY,
};

const char *
desk_field_label (DeskFields field)
{
  switch (field)
    {
    case DESK_FIELD_TITLE: return _("Title");
    case DESK_FIELD_TLDR: return _("TL;DR");
    case DESK_FIELD_TAGS: return _("Tags");
    case DESK_FIELD_IMPORTANCE: return _("Importance");
    case DESK_FIELD_KEY_POINTS: return _("Key points");
    case DESK_FIELD_IMPACT_ANALYSIS: return _("Impact analysis");
    case DESK_FIELD_EDITORIAL_COMMENT: return _("Editorial comment");
    case DESK_FIELD_BODY: return _("Body");
    default: return "";
    }
}

char *
desk_changes_flatten (const DeskEditable *fields)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (field_order); i++)
    {
      g_autofree char *text = NULL;

      /* Numbers, and the editor's own comment (the machine writes none),
       * are not post-editing. */
      if (field_order[i] == DESK_FIELD_IMPORTANCE || field_order[i] == DESK_FIELD_EDITORIAL_COMMENT)
        continue;
      text = desk_field_text (fields, field_order[i]);
      g_string_append (s, text);
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* Appends @len code points of @text from code point @start with @tag. */
static void
append_range (GtkTextBuffer *buffer,
              const char    *text,
              gsize          start,
              gsize          end,
              const char    *tag)
{
  const char *from = g_utf8_offset_to_pointer (text, start);
  const char *to = g_utf8_offset_to_pointer (from, end - start);
  GtkTextIter iter;

  gtk_text_buffer_get_end_iter (buffer, &iter);
  if (tag != NULL)
    gtk_text_buffer_insert_with_tags_by_name (buffer, &iter, from, to - from, tag, NULL);
  else
    gtk_text_buffer_insert (buffer, &iter, from, to - from);
}

void
desk_changes_view_set (DeskChangesView    *self,
                       const DeskEditable *machine,
                       const DeskEditable *current)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_return_if_fail (DESK_IS_CHANGES_VIEW (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_set_text (buffer, "", 0);

  if (machine == NULL || current == NULL)
    {
      self->effort = -1;
      gtk_label_set_text (self->effort_label, _("There is no machine output to compare with."));
      return;
    }

  {
    g_autofree char *a = desk_changes_flatten (machine);
    g_autofree char *b = desk_changes_flatten (current);
    g_autofree char *label = NULL;

    self->effort = desk_edit_distance_ratio (a, b);
    /* Translators: the post-edit effort: edit distance over length, in % */
    label = g_strdup_printf (_("Post-edit effort: %.1f %%"), self->effort * 100.0);
    gtk_label_set_text (self->effort_label, label);
  }

  for (guint f = 0; f < G_N_ELEMENTS (field_order); f++)
    {
      g_autofree char *a = desk_field_text (machine, field_order[f]);
      g_autofree char *b = desk_field_text (current, field_order[f]);
      g_autoptr(GArray) ops = NULL;
      gboolean changed = g_strcmp0 (a, b) != 0;

      gtk_text_buffer_get_end_iter (buffer, &iter);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &iter, desk_field_label (field_order[f]), -1,
                                                "heading", NULL);
      gtk_text_buffer_get_end_iter (buffer, &iter);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &iter,
                                                changed ? "" : _(" — unchanged"), -1, "note", NULL);
      gtk_text_buffer_get_end_iter (buffer, &iter);
      gtk_text_buffer_insert (buffer, &iter, "\n", 1);
      if (!changed)
        continue;

      ops = desk_diff (a, b, DESK_DIFF_AUTO);
      for (guint i = 0; i < ops->len; i++)
        {
          const DeskDiffOp *op = &g_array_index (ops, DeskDiffOp, i);

          if (op->kind == DESK_DIFF_EQUAL)
            append_range (buffer, b, op->b_start, op->b_end, NULL);
          else if (op->kind == DESK_DIFF_DELETE)
            append_range (buffer, a, op->a_start, op->a_end, "delete");
          else
            append_range (buffer, b, op->b_start, op->b_end, "insert");
        }
      gtk_text_buffer_get_end_iter (buffer, &iter);
      gtk_text_buffer_insert (buffer, &iter, "\n\n", 2);
    }
}

double
desk_changes_view_get_effort (DeskChangesView *self)
{
  g_return_val_if_fail (DESK_IS_CHANGES_VIEW (self), -1);
  return self->effort;
}

char *
desk_changes_view_dup_text (DeskChangesView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (DESK_IS_CHANGES_VIEW (self), NULL);
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
desk_changes_view_dispose (GObject *object)
{
  DeskChangesView *self = DESK_CHANGES_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (desk_changes_view_parent_class)->dispose (object);
}

static void
desk_changes_view_class_init (DeskChangesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_changes_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "deskchangesview");
}

static void
desk_changes_view_init (DeskChangesView *self)
{
  GtkWidget *scroller;
  GtkTextBuffer *buffer;

  self->effort = -1;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->effort_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->effort_label, 0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->effort_label), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->effort_label), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->effort_label), "heading");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->effort_label));

  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_editable (self->text_view, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Changes from the machine translation"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Changes from the machine translation"), -1);
  gtk_text_view_set_cursor_visible (self->text_view, FALSE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (self->text_view, 12);
  gtk_text_view_set_right_margin (self->text_view, 12);
  gtk_text_view_set_top_margin (self->text_view, 6);
  gtk_text_view_set_bottom_margin (self->text_view, 24);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->text_view));
  gtk_box_append (GTK_BOX (self->box), scroller);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_create_tag (buffer, "heading", "weight", 700, "pixels-above-lines", 6, NULL);
  gtk_text_buffer_create_tag (buffer, "note", "foreground", "#77767b", NULL);
  gtk_text_buffer_create_tag (buffer, "insert", "background", "#c6f0d0", "foreground", "#0b4a1d",
                              "underline", PANGO_UNDERLINE_SINGLE, NULL);
  gtk_text_buffer_create_tag (buffer, "delete", "background", "#f8d0d0", "foreground", "#7a1010",
                              "strikethrough", TRUE, NULL);
}

GtkWidget *
desk_changes_view_new (void)
{
  return g_object_new (DESK_TYPE_CHANGES_VIEW, NULL);
}
