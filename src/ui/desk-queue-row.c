/* desk-queue-row.c: the widget of one queue row
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-queue-row.h"

struct _DeskQueueRow
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkImage      *kind_icon;
  GtkLabel      *title_label;
  GtkLabel      *subtitle_label;
  GtkLabel      *lock_label;
  GtkLabel      *importance_label;
  GtkLabel      *qa_label;
  GtkLabel      *status_label;

  DeskQueueItem *item;
  gulong         notify_id;
};

G_DEFINE_FINAL_TYPE (DeskQueueRow, desk_queue_row, GTK_TYPE_WIDGET)

const char *
desk_status_display_name (DeskEntryStatus status)
{
  switch (status)
    {
    case DESK_ENTRY_STATUS_INCOMING:
      return _("Incoming");
    case DESK_ENTRY_STATUS_IN_REVIEW:
      return _("In review");
    case DESK_ENTRY_STATUS_APPROVED:
      return _("Approved");
    case DESK_ENTRY_STATUS_PUBLISHED:
      return _("Published");
    case DESK_ENTRY_STATUS_REJECTED:
      return _("Rejected");
    default:
      return "";
    }
}

const char *
desk_kind_icon_name (DeskEntryKind kind)
{
  switch (kind)
    {
    case DESK_ENTRY_KIND_PAPER:
      return "x-office-document-symbolic";
    case DESK_ENTRY_KIND_VIDEO:
      return "video-x-generic-symbolic";
    case DESK_ENTRY_KIND_ARTICLE:
    default:
      return "text-x-generic-symbolic";
    }
}

static const char *
kind_name (DeskEntryKind kind)
{
  switch (kind)
    {
    case DESK_ENTRY_KIND_PAPER:
      return _("Paper");
    case DESK_ENTRY_KIND_VIDEO:
      return _("Video");
    case DESK_ENTRY_KIND_ARTICLE:
    default:
      return _("Article");
    }
}

/* A screen reader reads the row by its title, then what the badges show. */
static void
update_accessible (DeskQueueRow       *self,
                   const DeskStoreRow *row)
{
  g_autoptr(GString) description = g_string_new (desk_status_display_name (row->status));

  if (row->importance > 0)
    {
      g_string_append (description, ", ");
      g_string_append_printf (description, _("Importance %d of 5"), row->importance);
    }
  if (row->qa_errors > 0)
    {
      g_string_append (description, ", ");
      g_string_append_printf (description, g_dngettext (NULL, "%d QA error", "%d QA errors", row->qa_errors),
                              row->qa_errors);
    }
  if (gtk_widget_get_visible (GTK_WIDGET (self->lock_label)))
    {
      g_string_append (description, ", ");
      g_string_append (description, gtk_label_get_text (self->lock_label));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (self->title_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
}

static void
refresh (DeskQueueRow *self)
{
  const DeskStoreRow *row;
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  const char *status_classes[] = { "incoming", "in-review", "approved", "published", "rejected" };

  if (self->item == NULL)
    return;
  row = desk_queue_item_get_row (self->item);

  gtk_label_set_text (self->title_label, row->title != NULL && row->title[0] ? row->title : row->id);
  gtk_image_set_from_icon_name (self->kind_icon, desk_kind_icon_name (row->kind));

  when = desk_queue_format_relative_time (row->collected_at != NULL ? row->collected_at : row->updated_at,
                                          g_get_real_time ());
  if (row->source_name != NULL && when != NULL)
    /* Translators: a queue row's subtitle: source name · relative time */
    subtitle = g_strdup_printf (_("%s · %s"), row->source_name, when);
  else
    subtitle = g_strdup (row->source_name != NULL ? row->source_name : when != NULL ? when : "");
  gtk_label_set_text (self->subtitle_label, subtitle);

  if (row->lock_editor != NULL)
    {
      /* Translators: %s is an editor's name; 「○○さんが編集中」 */
      g_autofree char *text = g_strdup_printf (_("%s is editing"), row->lock_editor);
      gtk_label_set_text (self->lock_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->lock_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->lock_label), FALSE);

  if (row->importance > 0)
    {
      g_autofree char *text = g_strdup_printf ("★%d", row->importance);
      gtk_label_set_text (self->importance_label, text);
      for (int i = 1; i <= 5; i++)
        {
          char name[16];
          g_snprintf (name, sizeof name, "importance-%d", i);
          if (i == row->importance)
            gtk_widget_add_css_class (GTK_WIDGET (self->importance_label), name);
          else
            gtk_widget_remove_css_class (GTK_WIDGET (self->importance_label), name);
        }
    }
  else
    gtk_label_set_text (self->importance_label, "");

  if (row->qa_errors > 0)
    {
      g_autofree char *text = g_strdup_printf ("⚠ %d", row->qa_errors);
      gtk_label_set_text (self->qa_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->qa_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->qa_label), FALSE);

  gtk_label_set_text (self->status_label, desk_status_display_name (row->status));
  update_accessible (self, row);
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    {
      if (i == (guint) row->status)
        gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
    }
}

/* The tooltip is made when asked for: setting one on every bind costs an
 * X server round trip each (GTK 4.8 looks up the pointer), which made a
 * list of 100 000 entries stall when it changed. */
static gboolean
query_tooltip (GtkWidget    *widget,
               int           x,
               int           y,
               gboolean      keyboard,
               GtkTooltip   *tooltip,
               DeskQueueRow *self)
{
  const DeskStoreRow *row;
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->item == NULL)
    return FALSE;
  row = desk_queue_item_get_row (self->item);
  g_string_append (text, kind_name (row->kind));
  if (row->importance > 0)
    {
      g_string_append (text, "\n");
      g_string_append_printf (text, _("Importance %d of 5"), row->importance);
    }
  if (row->qa_errors > 0)
    {
      g_string_append (text, "\n");
      g_string_append_printf (text, g_dngettext (NULL, "%d QA error", "%d QA errors", row->qa_errors),
                              row->qa_errors);
    }
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

void
desk_queue_row_set_item (DeskQueueRow  *self,
                         DeskQueueItem *item)
{
  g_return_if_fail (DESK_IS_QUEUE_ROW (self));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_id, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    {
      self->notify_id = g_signal_connect_swapped (item, "notify::row", G_CALLBACK (refresh), self);
      refresh (self);
    }
}

DeskQueueItem *
desk_queue_row_get_item (DeskQueueRow *self)
{
  g_return_val_if_fail (DESK_IS_QUEUE_ROW (self), NULL);
  return self->item;
}

const char *
desk_queue_row_get_title_text (DeskQueueRow *self)
{
  return gtk_label_get_text (self->title_label);
}

const char *
desk_queue_row_get_subtitle_text (DeskQueueRow *self)
{
  return gtk_label_get_text (self->subtitle_label);
}

const char *
desk_queue_row_get_lock_text (DeskQueueRow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->lock_label)) ? gtk_label_get_text (self->lock_label) : NULL;
}

static void
desk_queue_row_dispose (GObject *object)
{
  DeskQueueRow *self = DESK_QUEUE_ROW (object);

  desk_queue_row_set_item (self, NULL);
  g_clear_pointer ((GtkWidget **) &self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (desk_queue_row_parent_class)->dispose (object);
}

static void
desk_queue_row_class_init (DeskQueueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_queue_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "deskqueuerow");
}

static GtkLabel *
row_label (GtkBox     *parent,
           const char *class1,
           const char *class2)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (class1 != NULL)
    gtk_widget_add_css_class (label, class1);
  if (class2 != NULL)
    gtk_widget_add_css_class (label, class2);
  gtk_box_append (parent, label);
  return GTK_LABEL (label);
}

/* Built in code, not from a template: GtkListView keeps up to 200 rows
 * and makes them all again when a search or filter replaces the list,
 * and parsing a template per row cost about four times as much. */
static void
build_row (DeskQueueRow *self)
{
  GtkWidget *text, *badges;

  self->box = GTK_WIDGET (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10));
  gtk_widget_set_margin_top (self->box, 8);
  gtk_widget_set_margin_bottom (self->box, 8);
  gtk_widget_set_margin_start (self->box, 8);
  gtk_widget_set_margin_end (self->box, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->kind_icon = GTK_IMAGE (gtk_image_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->kind_icon), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (self->kind_icon), 2);
  gtk_widget_add_css_class (GTK_WIDGET (self->kind_icon), "dim-label");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->kind_icon));

  text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (self->box), text);
  /* One line, ellipsized (the whole title is in the tooltip): a wrapped
   * label is measured several times per frame, which made a list change
   * cost some 100 ms of drawing. */
  self->title_label = row_label (GTK_BOX (text), "desk-row-title", NULL);
  gtk_label_set_width_chars (self->title_label, 10);
  gtk_label_set_max_width_chars (self->title_label, 40);
  self->subtitle_label = row_label (GTK_BOX (text), "dim-label", "caption");
  self->lock_label = row_label (GTK_BOX (text), "caption", "warning");
  gtk_widget_set_visible (GTK_WIDGET (self->lock_label), FALSE);
  for (GtkWidget *c = gtk_widget_get_first_child (text); c != NULL; c = gtk_widget_get_next_sibling (c))
    gtk_label_set_xalign (GTK_LABEL (c), 0);

  badges = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_valign (badges, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self->box), badges);
  self->importance_label = row_label (GTK_BOX (badges), "desk-importance", "numeric");
  self->qa_label = row_label (GTK_BOX (badges), "desk-qa-badge", "numeric");
  gtk_widget_set_visible (GTK_WIDGET (self->qa_label), FALSE);
  self->status_label = row_label (GTK_BOX (badges), "desk-status", "caption");
  for (GtkWidget *c = gtk_widget_get_first_child (badges); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      gtk_widget_set_halign (c, GTK_ALIGN_END);
      gtk_label_set_ellipsize (GTK_LABEL (c), PANGO_ELLIPSIZE_NONE);
    }
}

static void
desk_queue_row_init (DeskQueueRow *self)
{
  build_row (self);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip), self);
}

GtkWidget *
desk_queue_row_new (void)
{
  return g_object_new (DESK_TYPE_QUEUE_ROW, NULL);
}
