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
  GtkListBox *list;
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

static GtkWidget *
make_row (const DeskQaFinding *f,
          guint                index,
          gboolean             read_only)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *icon = gtk_image_new_from_icon_name (severity_icon (f->severity));
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (desk_qa_check_title (f->check));
  GtkWidget *message = gtk_label_new (f->message);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *a11y = NULL;

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 10);
  gtk_widget_set_margin_end (box, 10);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, f->severity == DESK_QA_SEVERITY_ERROR ? "error" :
                                  f->severity == DESK_QA_SEVERITY_WARNING ? "warning" : "accent");
  gtk_image_set_icon_size (GTK_IMAGE (icon), GTK_ICON_SIZE_NORMAL);
  gtk_box_append (GTK_BOX (box), icon);

  gtk_widget_set_hexpand (text, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (text), title);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (text), message);
  if (f->text != NULL && f->text[0] != '\0')
    {
      g_autofree char *quoted = g_strdup_printf ("「%s」", f->text);
      GtkWidget *excerpt = gtk_label_new (quoted);

      gtk_label_set_xalign (GTK_LABEL (excerpt), 0);
      gtk_label_set_ellipsize (GTK_LABEL (excerpt), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (excerpt), 40);
      gtk_widget_add_css_class (excerpt, "dim-label");
      gtk_widget_add_css_class (excerpt, "caption");
      gtk_box_append (GTK_BOX (text), excerpt);
    }
  gtk_box_append (GTK_BOX (box), text);

  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  if (f->suggestion != NULL && !read_only)
    {
      GtkWidget *fix = gtk_button_new_with_mnemonic (_("_Fix"));
      g_autofree char *tip = f->suggestion[0] != '\0'
                               ? g_strdup_printf (_("Replace with “%s”"), f->suggestion)
                               : g_strdup (_("Delete this text"));

      gtk_widget_set_tooltip_text (fix, tip);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (fix), "win.apply-fix");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (fix), "u", index);
      gtk_widget_add_css_class (fix, "suggested-action");
      gtk_box_append (GTK_BOX (buttons), fix);
    }
  if (!read_only)
    {
      GtkWidget *ignore = gtk_button_new_with_mnemonic (_("_Ignore…"));

      gtk_widget_set_tooltip_text (ignore, _("Set this finding aside, with a reason"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (ignore), "win.ignore-finding-ask");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (ignore), "u", index);
      gtk_widget_add_css_class (ignore, "flat");
      gtk_box_append (GTK_BOX (buttons), ignore);
    }
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  a11y = g_strdup_printf ("%s: %s. %s", severity_name (f->severity), desk_qa_check_title (f->check), f->message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_object_set_data (G_OBJECT (row), "finding-index", GUINT_TO_POINTER (index + 1));
  return row;
}

static void
row_activated (GtkListBox    *list,
               GtkListBoxRow *row,
               DeskQaPanel   *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "finding-index"));

  if (index > 0)
    g_signal_emit (self, signals[FINDING_ACTIVATED], 0, index - 1);
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

void
desk_qa_panel_set_findings (DeskQaPanel *self,
                            GPtrArray   *findings,
                            gboolean     read_only)
{
  GtkWidget *child;
  g_autofree char *summary = NULL;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_if_fail (DESK_IS_QA_PANEL (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    g_array_append_val (order, i);
  if (findings != NULL)
    g_array_sort_with_data (order, compare_by_severity, findings);
  for (guint k = 0; k < order->len; k++)
    {
      guint i = g_array_index (order, guint, k);

      gtk_list_box_append (self->list, make_row (g_ptr_array_index (findings, i), i, read_only));
    }
  summary = desk_qa_panel_dup_summary (findings);
  gtk_label_set_text (self->summary, summary);
  gtk_stack_set_visible_child (self->stack, order->len > 0 ? self->scroller : self->empty);
}

static void
desk_qa_panel_dispose (GObject *object)
{
  DeskQaPanel *self = DESK_QA_PANEL (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
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

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_margin_start (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->list), 12);
  gtk_widget_set_valign (GTK_WIDGET (self->list), GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("QA findings"), -1);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated), self);
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
