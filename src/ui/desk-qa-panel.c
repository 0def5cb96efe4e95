/* desk-qa-panel.c: the list of an entry's QA findings
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "desk-qa-panel.h"

struct _DeskQaPanel
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkLabel   *summary;
  GListStore *rows;
  GPtrArray  *pending;          /* rows still to add, by add_pending_rows */
  guint       pending_source;
  GtkListView *list;
  GtkWidget  *empty;
  GtkWidget  *scroller;
  GtkStack   *stack;
};

enum {
  FINDING_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DeskQaPanel, desk_qa_panel, GTK_TYPE_WIDGET)

char *
desk_qa_panel_dup_summary (GPtrArray *findings)
{
  guint errors = findings ? desk_qa_count (findings, DESK_QA_SEVERITY_ERROR) : 0;
  guint warnings = findings ? desk_qa_count (findings, DESK_QA_SEVERITY_WARNING) : 0;
  guint infos = findings ? desk_qa_count (findings, DESK_QA_SEVERITY_INFO) : 0;
  g_autofree char *e = NULL;
  g_autofree char *w = NULL;

  if (errors + warnings + infos == 0)
    return g_strdup (_("No problems found"));
  e = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", errors), errors);
  w = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings), warnings);
  if (infos == 0)
    /* Translators: "2 errors, 3 warnings" */
    return g_strdup_printf (_("%s, %s"), e, w);
  {
    g_autofree char *i = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note", "%u notes", infos), infos);

    return g_strdup_printf (_("%s, %s, %s"), e, w, i);
  }
}

static const char *
severity_icon (DeskQaSeverity severity)
{
  switch (severity)
    {
    case DESK_QA_SEVERITY_ERROR: return "dialog-error-symbolic";
    case DESK_QA_SEVERITY_WARNING: return "dialog-warning-symbolic";
    default: return "dialog-information-symbolic";
    }
}

static const char *
severity_name (DeskQaSeverity severity)
{
  switch (severity)
    {
    case DESK_QA_SEVERITY_ERROR: return _("Error");
    case DESK_QA_SEVERITY_WARNING: return _("Warning");
    default: return _("Info");
    }
}

/* One row of the list: a finding and its index in the array given. */
#define DESK_TYPE_QA_PANEL_ITEM (desk_qa_panel_item_get_type ())
G_DECLARE_FINAL_TYPE (DeskQaPanelItem, desk_qa_panel_item, DESK, QA_PANEL_ITEM, GObject)

struct _DeskQaPanelItem
{
  GObject        parent_instance;
  DeskQaFinding *finding;
  guint          index;
  gboolean       read_only;
};

G_DEFINE_FINAL_TYPE (DeskQaPanelItem, desk_qa_panel_item, G_TYPE_OBJECT)

static void
desk_qa_panel_item_finalize (GObject *object)
{
  DeskQaPanelItem *self = DESK_QA_PANEL_ITEM (object);

  g_clear_pointer (&self->finding, desk_qa_finding_free);
  G_OBJECT_CLASS (desk_qa_panel_item_parent_class)->finalize (object);
}

static void
desk_qa_panel_item_class_init (DeskQaPanelItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = desk_qa_panel_item_finalize;
}

static void
desk_qa_panel_item_init (DeskQaPanelItem *self)
{
}

/* The widgets of a row, made once per visible row and reused as the list
 * scrolls (an entry can have hundreds of findings). */
typedef struct {
  GtkImage  *icon;
  GtkLabel  *title;
  GtkLabel  *message;
  GtkLabel  *excerpt;
  GtkWidget *fix;
  GtkWidget *ignore;
} RowWidgets;

/* The finding's index is read when the button is clicked: rows are kept
 * across re-checks while the indices of their findings move. */
static void
button_clicked (GtkButton  *button,
                const char *action)
{
  DeskQaPanelItem *row = g_object_get_data (G_OBJECT (button), "desk-row");

  if (row != NULL)
    gtk_widget_activate_action (GTK_WIDGET (button), action, "u", row->index);
}

static void
row_unbind (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  RowWidgets *w = g_object_get_data (G_OBJECT (gtk_list_item_get_child (item)), "desk-row-widgets");

  g_object_set_data (G_OBJECT (w->fix), "desk-row", NULL);
  g_object_set_data (G_OBJECT (w->ignore), "desk-row", NULL);
}

static void
row_setup (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  RowWidgets *w = g_new0 (RowWidgets, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 10);
  gtk_widget_set_margin_end (box, 10);

  w->icon = GTK_IMAGE (gtk_image_new ());
  gtk_widget_set_valign (GTK_WIDGET (w->icon), GTK_ALIGN_START);
  gtk_image_set_icon_size (w->icon, GTK_ICON_SIZE_NORMAL);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (w->icon));

  gtk_widget_set_hexpand (text, TRUE);
  w->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (w->title, 0);
  gtk_widget_add_css_class (GTK_WIDGET (w->title), "heading");
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (w->title));
  w->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (w->message, 0);
  gtk_label_set_wrap (w->message, TRUE);
  gtk_label_set_wrap_mode (w->message, PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (w->message));
  w->excerpt = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (w->excerpt, 0);
  gtk_label_set_ellipsize (w->excerpt, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (w->excerpt, 40);
  gtk_widget_add_css_class (GTK_WIDGET (w->excerpt), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (w->excerpt), "caption");
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (w->excerpt));
  gtk_box_append (GTK_BOX (box), text);

  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  w->fix = gtk_button_new_with_mnemonic (_("_Fix"));
  g_signal_connect (w->fix, "clicked", G_CALLBACK (button_clicked), (gpointer) "win.apply-fix");
  gtk_widget_add_css_class (w->fix, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), w->fix);
  w->ignore = gtk_button_new_with_mnemonic (_("_Ignore…"));
  gtk_widget_set_tooltip_text (w->ignore, _("Set this finding aside, with a reason"));
  g_signal_connect (w->ignore, "clicked", G_CALLBACK (button_clicked), (gpointer) "win.ignore-finding-ask");
  gtk_widget_add_css_class (w->ignore, "flat");
  gtk_box_append (GTK_BOX (buttons), w->ignore);
  gtk_box_append (GTK_BOX (box), buttons);

  g_object_set_data_full (G_OBJECT (box), "desk-row-widgets", w, g_free);
  gtk_list_item_set_child (item, box);
}

static void
row_bind (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  DeskQaPanelItem *row = gtk_list_item_get_item (item);
  const DeskQaFinding *f = row->finding;
  GtkWidget *box = gtk_list_item_get_child (item);
  RowWidgets *w = g_object_get_data (G_OBJECT (box), "desk-row-widgets");
  g_autofree char *a11y = NULL;
  static const char * const severities[] = { "error", "warning", "accent" };
  const char *severity = f->severity == DESK_QA_SEVERITY_ERROR ? severities[0] :
                         f->severity == DESK_QA_SEVERITY_WARNING ? severities[1] : severities[2];

  gtk_image_set_from_icon_name (w->icon, severity_icon (f->severity));
  for (guint i = 0; i < G_N_ELEMENTS (severities); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (w->icon), severities[i]);
  gtk_widget_add_css_class (GTK_WIDGET (w->icon), severity);
  gtk_label_set_text (w->title, desk_qa_check_title (f->check));
  gtk_label_set_text (w->message, f->message);
  if (f->text != NULL && f->text[0] != '\0')
    {
      g_autofree char *quoted = g_strdup_printf ("「%s」", f->text);

      gtk_label_set_text (w->excerpt, quoted);
      gtk_widget_set_visible (GTK_WIDGET (w->excerpt), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (w->excerpt), FALSE);

  gtk_widget_set_visible (w->fix, f->suggestion != NULL && !row->read_only);
  if (f->suggestion != NULL)
    {
      g_autofree char *tip = f->suggestion[0] != '\0'
                               ? g_strdup_printf (_("Replace with “%s”"), f->suggestion)
                               : g_strdup (_("Delete this text"));

      gtk_widget_set_tooltip_text (w->fix, tip);
    }
  gtk_widget_set_visible (w->ignore, !row->read_only);
  g_object_set_data (G_OBJECT (w->fix), "desk-row", row);
  g_object_set_data (G_OBJECT (w->ignore), "desk-row", row);

  a11y = g_strdup_printf ("%s: %s. %s", severity_name (f->severity), desk_qa_check_title (f->check), f->message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static void
row_activated (GtkListView *list,
               guint        position,
               DeskQaPanel *self)
{
  g_autoptr(DeskQaPanelItem) row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  if (row != NULL)
    g_signal_emit (self, signals[FINDING_ACTIVATED], 0, row->index);
}

static int
compare_by_severity (gconstpointer a,
                     gconstpointer b,
                     gpointer      findings)
{
  guint i = *(const guint *) a, j = *(const guint *) b;
  const DeskQaFinding *x = g_ptr_array_index ((GPtrArray *) findings, i);
  const DeskQaFinding *y = g_ptr_array_index ((GPtrArray *) findings, j);

  if (x->severity != y->severity)
    return x->severity < y->severity ? -1 : 1;
  return i < j ? -1 : i > j;
}

/* Whether two findings show the same (their places may differ). */
static gboolean
same_row (const DeskQaPanelItem *a,
          const DeskQaPanelItem *b)
{
  const DeskQaFinding *x = a->finding, *y = b->finding;

  return a->read_only == b->read_only
      && x->severity == y->severity
      && g_strcmp0 (x->check, y->check) == 0
      && g_strcmp0 (x->message, y->message) == 0
      && g_strcmp0 (x->text, y->text) == 0
      && g_strcmp0 (x->suggestion, y->suggestion) == 0;
}

/* GTK 4.8's list view makes up to 200 rows at once, about 1 ms each: a
 * long list of new findings goes in by chunks, one per main-loop turn. */
#define ROWS_PER_TURN 24

static gboolean
add_pending_rows (gpointer user_data)
{
  DeskQaPanel *self = user_data;
  guint n = MIN (self->pending->len, ROWS_PER_TURN);

  g_list_store_splice (self->rows, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), 0,
                       self->pending->pdata, n);
  g_ptr_array_remove_range (self->pending, 0, n);
  if (self->pending->len > 0)
    return G_SOURCE_CONTINUE;
  self->pending_source = 0;
  return G_SOURCE_REMOVE;
}

void
desk_qa_panel_set_findings (DeskQaPanel *self,
                            GPtrArray   *findings,
                            gboolean     read_only)
{
  g_autofree char *summary = NULL;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_n, prefix = 0, suffix = 0, middle;

  g_return_if_fail (DESK_IS_QA_PANEL (self));

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    g_array_append_val (order, i);
  if (findings != NULL)
    g_array_sort_with_data (order, compare_by_severity, findings);
  for (guint k = 0; k < order->len; k++)
    {
      guint i = g_array_index (order, guint, k);
      DeskQaPanelItem *row = g_object_new (DESK_TYPE_QA_PANEL_ITEM, NULL);

      row->finding = desk_qa_finding_copy (g_ptr_array_index (findings, i));
      row->index = i;
      row->read_only = read_only;
      g_ptr_array_add (items, row);
    }

  /* Rows still to be added belong to the list being replaced. */
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_ptr_array_set_size (self->pending, 0);

  /* Rows that show the same stay (their findings are brought up to date
   * in place); only the changed middle is replaced. */
  old_n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  while (prefix < old_n && prefix < items->len)
    {
      g_autoptr(DeskQaPanelItem) old = g_list_model_get_item (G_LIST_MODEL (self->rows), prefix);
      DeskQaPanelItem *row = g_ptr_array_index (items, prefix);

      if (!same_row (old, row))
        break;
      old->index = row->index;
      desk_qa_finding_free (old->finding);
      old->finding = g_steal_pointer (&row->finding);
      prefix++;
    }
  while (suffix < old_n - prefix && suffix < items->len - prefix)
    {
      g_autoptr(DeskQaPanelItem) old = g_list_model_get_item (G_LIST_MODEL (self->rows), old_n - 1 - suffix);
      DeskQaPanelItem *row = g_ptr_array_index (items, items->len - 1 - suffix);

      if (!same_row (old, row))
        break;
      old->index = row->index;
      desk_qa_finding_free (old->finding);
      old->finding = g_steal_pointer (&row->finding);
      suffix++;
    }
  middle = items->len - prefix - suffix;
  if (suffix == 0 && middle > ROWS_PER_TURN)
    {
      /* The first rows now, the rest by chunks. */
      g_list_store_splice (self->rows, prefix, old_n - prefix, items->pdata + prefix, ROWS_PER_TURN);
      for (guint k = prefix + ROWS_PER_TURN; k < items->len; k++)
        g_ptr_array_add (self->pending, g_object_ref (g_ptr_array_index (items, k)));
      self->pending_source = g_idle_add (add_pending_rows, self);
    }
  else if (middle > 0 || old_n > prefix + suffix)
    g_list_store_splice (self->rows, prefix, old_n - prefix - suffix, items->pdata + prefix, middle);

  summary = desk_qa_panel_dup_summary (findings);
  gtk_label_set_text (self->summary, summary);
  gtk_stack_set_visible_child (self->stack, order->len > 0 ? self->scroller : self->empty);
}

guint
desk_qa_panel_get_n_rows (DeskQaPanel *self)
{
  g_return_val_if_fail (DESK_IS_QA_PANEL (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->rows)) + self->pending->len;
}

GListModel *
desk_qa_panel_get_rows (DeskQaPanel *self)
{
  g_return_val_if_fail (DESK_IS_QA_PANEL (self), NULL);

  return G_LIST_MODEL (self->rows);
}

/* The finding (its index in the array last given) shown in row @position,
 * or -1. */
int
desk_qa_panel_get_row_finding (DeskQaPanel *self,
                               guint        position)
{
  g_autoptr(DeskQaPanelItem) row = NULL;
  guint shown;

  g_return_val_if_fail (DESK_IS_QA_PANEL (self), -1);

  shown = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  if (position >= shown)
    return position - shown < self->pending->len
             ? (int) DESK_QA_PANEL_ITEM (g_ptr_array_index (self->pending, position - shown))->index : -1;
  row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
  return row->index;
}

static void
desk_qa_panel_dispose (GObject *object)
{
  DeskQaPanel *self = DESK_QA_PANEL (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->rows);
  G_OBJECT_CLASS (desk_qa_panel_parent_class)->dispose (object);
}

static void
desk_qa_panel_class_init (DeskQaPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_qa_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "deskqapanel");

  signals[FINDING_ACTIVATED] =
    g_signal_new ("finding-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
desk_qa_panel_init (DeskQaPanel *self)
{
  GtkWidget *header;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Translation QA"), -1);

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_widget_set_margin_top (header, 8);
  gtk_widget_set_margin_bottom (header, 8);
  self->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->summary, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->summary), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary), "heading");
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->summary));
  {
    GtkWidget *keys = gtk_label_new (_("F8: next · Shift+F8: previous"));

    gtk_widget_add_css_class (keys, "dim-label");
    gtk_widget_add_css_class (keys, "caption");
    gtk_box_append (GTK_BOX (header), keys);
  }
  gtk_box_append (GTK_BOX (self->box), header);

  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    self->rows = g_list_store_new (DESK_TYPE_QA_PANEL_ITEM);
    self->pending = g_ptr_array_new_with_free_func (g_object_unref);
    g_signal_connect (factory, "setup", G_CALLBACK (row_setup), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (row_bind), NULL);
    g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind), NULL);
    self->list = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)))),
                                                   factory));
  }
  gtk_list_view_set_show_separators (self->list, TRUE);
  gtk_list_view_set_single_click_activate (self->list, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("QA findings"), -1);
  g_signal_connect (self->list, "activate", G_CALLBACK (row_activated), self);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->list));
  gtk_widget_set_vexpand (self->scroller, TRUE);
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_child (self->stack, self->scroller);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->stack));

  self->empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("No Problems Found"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty),
                                   _("The checks find nothing to correct in this entry."));
  gtk_widget_add_css_class (self->empty, "compact");
  gtk_widget_set_vexpand (self->empty, TRUE);
  gtk_stack_add_child (self->stack, self->empty);
  desk_qa_panel_set_findings (self, NULL, TRUE);
}

GtkWidget *
desk_qa_panel_new (void)
{
  return g_object_new (DESK_TYPE_QA_PANEL, NULL);
}
