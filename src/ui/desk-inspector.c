/* desk-inspector.c: the metadata inspector of the review workspace (tags, importance, key points, impact, comment)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "desk-inspector.h"
#include "desk-inspector-resources.h"

/* The contract's hard limits; the site config's key point range is only a
 * target, shown by the count label. */
#define MAX_TAGS       10
#define MAX_KEY_POINTS 10

typedef enum {
  SCORE_DEPTH,
  SCORE_RELEVANCE,
  SCORE_PRACTICALITY,
  SCORE_INNOVATION,
  SCORE_OVERALL,
  N_SCORES
} Score;

static const char * const score_names[N_SCORES] = {
  "depth", "relevance", "practicality", "innovation", "overall",
};

struct _DeskInspector
{
  GtkWidget       parent_instance;

  DeskSiteConfig *config;
  DeskImportance  importance;
  GPtrArray      *tags;       /* of char* */
  GPtrArray      *kp_rows;    /* of GtkListBoxRow*, refs held, in order */
  guint           loading;    /* > 0: no ::changed */
  guint           read_only : 1;

  GtkWidget      *score_buttons[N_SCORES][5];
  GtkWidget      *score_pickers[N_SCORES];

  /* template */
  GtkWidget      *scroller;
  AdwActionRow   *depth_row;
  AdwActionRow   *relevance_row;
  AdwActionRow   *practicality_row;
  AdwActionRow   *innovation_row;
  AdwActionRow   *suggestion_row;
  AdwActionRow   *overall_row;
  GtkWidget      *differs_icon;
  GtkWidget      *use_suggestion_button;
  GtkLabel       *tag_count_label;
  GtkFlowBox     *tag_flow;
  GtkEntry       *tag_entry;
  GtkLabel       *tag_message;
  GtkLabel       *key_point_count_label;
  GtkWidget      *add_key_point_button;
  GtkListBox     *key_point_list;
  GtkTextView    *impact_view;
  GtkTextView    *comment_view;
};

/* Attached to each key point row. */
typedef struct {
  DeskInspector      *self;     /* unowned: the row dies first */
  GtkWidget          *row;      /* unowned: owns this */
  GtkWidget          *number;
  GtkWidget          *heading;
  GtkWidget          *body;
  GSimpleActionGroup *actions;  /* owned by the row */
  JsonObject         *extra;
} KeyPointRow;

G_DEFINE_FINAL_TYPE (DeskInspector, desk_inspector, GTK_TYPE_WIDGET)

G_DEFINE_QUARK (desk-inspector-error-quark, desk_inspector_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (DeskInspector *self)
{
  if (self->loading == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static gint64 *
score_slot (DeskInspector *self,
            Score          score)
{
  switch (score)
    {
    case SCORE_DEPTH:        return &self->importance.depth;
    case SCORE_RELEVANCE:    return &self->importance.relevance;
    case SCORE_PRACTICALITY: return &self->importance.practicality;
    case SCORE_INNOVATION:   return &self->importance.innovation;
    case SCORE_OVERALL:      return &self->importance.overall;
    case N_SCORES:
    default:
      g_assert_not_reached ();
    }
}

static const char *
score_label (Score score)
{
  switch (score)
    {
    case SCORE_DEPTH:        return _("Depth");
    case SCORE_RELEVANCE:    return _("Relevance");
    case SCORE_PRACTICALITY: return _("Practicality");
    case SCORE_INNOVATION:   return _("Innovation");
    case SCORE_OVERALL:      return _("Overall");
    case N_SCORES:
    default:
      g_assert_not_reached ();
    }
}

/* ---- importance ---------------------------------------------------------- */

static gboolean
sub_scores_valid (DeskInspector *self)
{
  for (Score s = SCORE_DEPTH; s < SCORE_OVERALL; s++)
    {
      gint64 v = *score_slot (self, s);
      if (v < 1 || v > 5)
        return FALSE;
    }
  return TRUE;
}

/* "3.6", "4.55", "4.0": enough digits that the rounding is never hidden. */
static char *
format_mean (double mean)
{
  char buf[32];
  gsize len;

  g_snprintf (buf, sizeof buf, "%.2f", mean);
  len = strlen (buf);
  if (len > 3 && buf[len - 1] == '0')
    buf[len - 1] = '\0';
  return g_strdup (buf);
}

static void
update_suggestion (DeskInspector *self)
{
  gboolean differs = FALSE;
  gboolean valid = sub_scores_valid (self);

  if (valid)
    {
      double mean = desk_importance_weighted_mean (&self->importance, &self->config->weights);
      int suggestion = desk_importance_suggest (&self->importance, &self->config->weights);
      g_autofree char *mean_str = format_mean (mean);
      g_autofree char *title = NULL;

      /* TRANSLATORS: the weighted mean of the sub-scores, then the rounded suggestion */
      title = g_strdup_printf (_("Suggestion: %s → %d"), mean_str, suggestion);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->suggestion_row), title);
      differs = self->importance.overall != suggestion;
    }
  else
    {
      g_autofree char *title = g_strdup_printf (_("Suggestion: %s"), "—");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->suggestion_row), title);
    }

  adw_action_row_set_subtitle (self->suggestion_row,
                               differs ? _("Overall differs from the suggestion") : "");
  gtk_widget_set_visible (self->differs_icon, differs);
  if (differs)
    gtk_widget_add_css_class (GTK_WIDGET (self->overall_row), "desk-differs");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->overall_row), "desk-differs");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.use-suggestion",
                                 valid && differs && !self->read_only);
}

static void
sync_score_buttons (DeskInspector *self,
                    Score          score)
{
  gint64 value = *score_slot (self, score);

  self->loading++;
  for (int v = 1; v <= 5; v++)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->score_buttons[score][v - 1]), value == v);
  self->loading--;
}

static void
set_score (DeskInspector *self,
           Score          score,
           int            value)
{
  gint64 *slot = score_slot (self, score);

  if (*slot == value)
    return;

  *slot = value;
  sync_score_buttons (self, score);
  update_suggestion (self);
  emit_changed (self);
}

static void
score_toggled_cb (GtkToggleButton *button,
                  DeskInspector   *self)
{
  if (self->loading > 0 || !gtk_toggle_button_get_active (button))
    return;

  set_score (self,
             GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "desk-score")),
             GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "desk-value")));
}

static GtkWidget *
score_picker_new (DeskInspector *self,
                  Score          score)
{
  /* One group named after its score; each button says score and value
   * (its text is the bare digit). */
  GtkWidget *box = g_object_new (GTK_TYPE_BOX,
                                 "orientation", GTK_ORIENTATION_HORIZONTAL,
                                 "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                                 NULL);
  GtkToggleButton *group = NULL;

  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  score_label (score), -1);

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_add_css_class (box, "desk-score-picker");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);

  for (int v = 1; v <= 5; v++)
    {
      char label[2] = { (char) ('0' + v), '\0' };
      GtkWidget *button = gtk_toggle_button_new_with_label (label);
      g_autofree char *tooltip = g_strdup_printf ("%s: %d", score_label (score), v);

      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      gtk_widget_add_css_class (button, "numeric");
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_object_set_data (G_OBJECT (button), "desk-score", GINT_TO_POINTER (score));
      g_object_set_data (G_OBJECT (button), "desk-value", GINT_TO_POINTER (v));
      g_signal_connect (button, "toggled", G_CALLBACK (score_toggled_cb), self);
      gtk_box_append (GTK_BOX (box), button);
      self->score_buttons[score][v - 1] = button;
    }

  return box;
}

static AdwActionRow *
score_row (DeskInspector *self,
           Score          score)
{
  switch (score)
    {
    case SCORE_DEPTH:        return self->depth_row;
    case SCORE_RELEVANCE:    return self->relevance_row;
    case SCORE_PRACTICALITY: return self->practicality_row;
    case SCORE_INNOVATION:   return self->innovation_row;
    case SCORE_OVERALL:      return self->overall_row;
    case N_SCORES:
    default:
      g_assert_not_reached ();
    }
}

static void
update_weight_titles (DeskInspector *self)
{
  const DeskImportanceWeights *w = &self->config->weights;
  double weights[4] = { w->depth, w->relevance, w->practicality, w->innovation };
  double sum = weights[0] + weights[1] + weights[2] + weights[3];

  for (Score s = SCORE_DEPTH; s < SCORE_OVERALL; s++)
    {
      double percent = sum > 0.0 ? 100.0 * weights[s] / sum : 0.0;
      g_autofree char *title = g_strdup_printf ("%s  %.0f %%", score_label (s), percent);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (score_row (self, s)), title);
    }
}

/* ---- tags ---------------------------------------------------------------- */

static gboolean
is_hash (gunichar c)
{
  return c == '#' || c == 0xFF03;  /* FULLWIDTH NUMBER SIGN */
}

/* Strips Unicode white space (the ideographic space included) and leading
 * number signs. */
static char *
normalize_tag (const char *tag)
{
  const char *start = tag;
  const char *end;

  for (;;)
    {
      gunichar c = g_utf8_get_char (start);
      if (c == 0 || !(g_unichar_isspace (c) || is_hash (c)))
        break;
      start = g_utf8_next_char (start);
    }

  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);
      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

static char *
tag_key (const char *tag)
{
  g_autofree char *nfkc = g_utf8_normalize (tag, -1, G_NORMALIZE_NFKC);
  return g_utf8_casefold (nfkc != NULL ? nfkc : tag, -1);
}

static void
remove_tag_clicked_cb (GtkButton     *button,
                       DeskInspector *self)
{
  const char *tag = g_object_get_data (G_OBJECT (button), "desk-tag");
  g_autofree char *copy = g_strdup (tag);

  desk_inspector_remove_tag (self, copy);
  gtk_widget_grab_focus (GTK_WIDGET (self->tag_entry));
}

static void
rebuild_tags (DeskInspector *self)
{
  GtkWidget *child;
  g_autofree char *count = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tag_flow))) != NULL)
    gtk_flow_box_remove (self->tag_flow, child);

  for (guint i = 0; i < self->tags->len; i++)
    {
      const char *tag = g_ptr_array_index (self->tags, i);
      GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
      GtkWidget *label = gtk_label_new (tag);
      GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
      g_autofree char *tooltip = g_strdup_printf (_("Remove “%s”"), tag);

      gtk_widget_add_css_class (chip, "desk-tag-chip");
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
      gtk_widget_set_tooltip_text (label, tag);
      gtk_widget_set_tooltip_text (remove, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                      -1);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_add_css_class (remove, "circular");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (remove, !self->read_only);
      g_object_set_data_full (G_OBJECT (remove), "desk-tag", g_strdup (tag), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_tag_clicked_cb), self);
      gtk_box_append (GTK_BOX (chip), label);
      gtk_box_append (GTK_BOX (chip), remove);
      gtk_flow_box_append (self->tag_flow, chip);
      /* Tab goes straight to the remove buttons. */
      gtk_widget_set_focusable (gtk_widget_get_parent (chip), FALSE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->tag_flow), self->tags->len > 0);

  count = g_strdup_printf ("%u / %d", self->tags->len, MAX_TAGS);
  gtk_label_set_text (self->tag_count_label, count);
  if (self->tags->len == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->tag_count_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->tag_count_label), "error");
}

static void
show_tag_message (DeskInspector *self,
                  const char    *message)
{
  gtk_label_set_text (self->tag_message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->tag_message), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->tag_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->tag_entry), "error");
}

static void
tag_entry_activate_cb (DeskInspector *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)));

  if (desk_inspector_add_tag (self, text, &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
      show_tag_message (self, NULL);
    }
  else
    show_tag_message (self, error->message);
}

static void
tag_entry_icon_press_cb (DeskInspector        *self,
                         GtkEntryIconPosition  position)
{
  tag_entry_activate_cb (self);
}

static void
tag_entry_changed_cb (DeskInspector *self)
{
  show_tag_message (self, NULL);
}

/* ---- key points ---------------------------------------------------------- */

static void
key_point_row_free (gpointer data)
{
  KeyPointRow *kpr = data;

  g_clear_pointer (&kpr->extra, json_object_unref);
  g_free (kpr);
}

static KeyPointRow *
key_point_row_get (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "desk-key-point");
}

static int
key_point_row_index (KeyPointRow *kpr)
{
  guint index;

  if (kpr->self->kp_rows == NULL ||
      !g_ptr_array_find (kpr->self->kp_rows, kpr->row, &index))
    return -1;
  return (int) index;
}

static void
update_key_points (DeskInspector *self)
{
  guint n = self->kp_rows->len;
  gint64 min = self->config->key_points_min;
  gint64 max = self->config->key_points_max;
  g_autofree char *count = NULL;
  g_autofree char *tooltip = NULL;

  for (guint i = 0; i < n; i++)
    {
      KeyPointRow *kpr = key_point_row_get (g_ptr_array_index (self->kp_rows, i));
      g_autofree char *number = g_strdup_printf ("%u.", i + 1);
      GAction *action;

      gtk_label_set_text (GTK_LABEL (kpr->number), number);
      action = g_action_map_lookup_action (G_ACTION_MAP (kpr->actions), "move-up");
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), !self->read_only && i > 0);
      action = g_action_map_lookup_action (G_ACTION_MAP (kpr->actions), "move-down");
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), !self->read_only && i + 1 < n);
      action = g_action_map_lookup_action (G_ACTION_MAP (kpr->actions), "remove");
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), !self->read_only);
      gtk_editable_set_editable (GTK_EDITABLE (kpr->heading), !self->read_only);
      gtk_text_view_set_editable (GTK_TEXT_VIEW (kpr->body), !self->read_only);
      gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (kpr->body), !self->read_only);
    }

  if (min == max)
    count = g_strdup_printf ("%u / %" G_GINT64_FORMAT, n, min);
  else
    count = g_strdup_printf ("%u / %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT, n, min, max);
  gtk_label_set_text (self->key_point_count_label, count);
  tooltip = g_strdup_printf (_("The site expects %d–%d key points"), (int) min, (int) max);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->key_point_count_label), tooltip);

  if ((gint64) n < min || (gint64) n > max)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->key_point_count_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->key_point_count_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->key_point_count_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->key_point_count_label), "dim-label");
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.add-key-point",
                                 !self->read_only && n < MAX_KEY_POINTS);
}

static void
remove_key_point (DeskInspector *self,
                  guint          index)
{
  GtkWidget *row;

  g_assert (index < self->kp_rows->len);

  row = g_ptr_array_steal_index (self->kp_rows, index);
  gtk_list_box_remove (self->key_point_list, row);
  g_object_unref (row);
  update_key_points (self);
  emit_changed (self);
}

static void
kp_move_up_cb (GSimpleAction *action,
               GVariant      *param,
               gpointer       data)
{
  KeyPointRow *kpr = data;
  int index = key_point_row_index (kpr);

  if (index > 0)
    desk_inspector_move_key_point (kpr->self, index, index - 1);
}

static void
kp_move_down_cb (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       data)
{
  KeyPointRow *kpr = data;
  int index = key_point_row_index (kpr);

  if (index >= 0 && (guint) index + 1 < kpr->self->kp_rows->len)
    desk_inspector_move_key_point (kpr->self, index, index + 1);
}

static void
kp_remove_cb (GSimpleAction *action,
              GVariant      *param,
              gpointer       data)
{
  KeyPointRow *kpr = data;
  DeskInspector *self = kpr->self;
  int index = key_point_row_index (kpr);

  if (index < 0 || self->read_only)
    return;

  remove_key_point (self, index);

  /* Keep the keyboard in the list. */
  if (self->kp_rows->len > 0)
    {
      KeyPointRow *next = key_point_row_get (g_ptr_array_index (self->kp_rows,
                                                                MIN ((guint) index, self->kp_rows->len - 1)));
      gtk_widget_grab_focus (next->heading);
    }
  else
    gtk_widget_grab_focus (self->add_key_point_button);
}

static GdkContentProvider *
kp_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    KeyPointRow   *kpr)
{
  if (kpr->self->read_only)
    return NULL;

  g_object_set_data (G_OBJECT (source), "desk-x", GINT_TO_POINTER ((int) x));
  g_object_set_data (G_OBJECT (source), "desk-y", GINT_TO_POINTER ((int) y));
  return gdk_content_provider_new_typed (GTK_TYPE_LIST_BOX_ROW, kpr->row);
}

static void
kp_drag_begin_cb (GtkDragSource *source,
                  GdkDrag       *drag,
                  KeyPointRow   *kpr)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (kpr->row);
  GtkWidget *handle = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  graphene_point_t p = GRAPHENE_POINT_INIT (0, 0);

  /* The row hangs from the pointer where the handle was grabbed. */
  if (!gtk_widget_compute_point (handle, kpr->row,
                                 &GRAPHENE_POINT_INIT (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (source), "desk-x")),
                                                       GPOINTER_TO_INT (g_object_get_data (G_OBJECT (source), "desk-y"))),
                                 &p))
    p = GRAPHENE_POINT_INIT (0, 0);
  gtk_drag_source_set_icon (source, paintable, (int) p.x, (int) p.y);
}

static gboolean
kp_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            KeyPointRow   *kpr)
{
  DeskInspector *self = kpr->self;
  GtkWidget *source_row;
  guint from;
  int to;

  gtk_widget_remove_css_class (kpr->row, "drop-target");

  if (self->read_only || !G_VALUE_HOLDS (value, GTK_TYPE_LIST_BOX_ROW))
    return FALSE;

  source_row = g_value_get_object (value);
  if (source_row == NULL || !g_ptr_array_find (self->kp_rows, source_row, &from))
    return FALSE;  /* a row of another inspector */

  to = key_point_row_index (kpr);
  if (to < 0)
    return FALSE;

  desk_inspector_move_key_point (self, from, to);
  return TRUE;
}

static GdkDragAction
kp_drop_enter_cb (GtkDropTarget *target,
                  double         x,
                  double         y,
                  KeyPointRow   *kpr)
{
  gtk_widget_add_css_class (kpr->row, "drop-target");
  return GDK_ACTION_MOVE;
}

static void
kp_drop_leave_cb (GtkDropTarget *target,
                  KeyPointRow   *kpr)
{
  gtk_widget_remove_css_class (kpr->row, "drop-target");
}

static GtkWidget *
icon_button_new (const char *icon_name,
                 const char *tooltip,
                 const char *action_name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static GtkWidget *
key_point_row_new (DeskInspector      *self,
                   const DeskKeyPoint *kp)
{
  static const GActionEntry entries[] = {
    { .name = "move-up",   .activate = kp_move_up_cb },
    { .name = "move-down", .activate = kp_move_down_cb },
    { .name = "remove",    .activate = kp_remove_cb },
  };
  KeyPointRow *kpr = g_new0 (KeyPointRow, 1);
  GtkWidget *box, *header, *handle, *frame;
  GtkDragSource *drag;
  GtkDropTarget *drop;
  GtkEventController *shortcuts;
  GtkTextBuffer *buffer;

  kpr->self = self;
  kpr->row = gtk_list_box_row_new ();
  kpr->extra = kp != NULL && kp->extra != NULL ? json_object_ref (kp->extra) : NULL;
  g_object_set_data_full (G_OBJECT (kpr->row), "desk-key-point", kpr, key_point_row_free);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (kpr->row), FALSE);
  gtk_widget_set_focusable (kpr->row, FALSE);
  gtk_widget_add_css_class (kpr->row, "desk-key-point-row");

  kpr->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (kpr->actions), entries, G_N_ELEMENTS (entries), kpr);
  gtk_widget_insert_action_group (kpr->row, "kp", G_ACTION_GROUP (kpr->actions));
  g_object_unref (kpr->actions);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  handle = gtk_image_new_from_icon_name ("list-drag-handle-symbolic");
  gtk_widget_add_css_class (handle, "desk-drag-handle");
  gtk_widget_set_tooltip_text (handle, _("Drag to reorder"));
  gtk_widget_set_cursor_from_name (handle, "grab");
  drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (kp_drag_prepare_cb), kpr);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (kp_drag_begin_cb), kpr);
  gtk_widget_add_controller (handle, GTK_EVENT_CONTROLLER (drag));
  gtk_box_append (GTK_BOX (header), handle);

  kpr->number = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (kpr->number), 1.0);
  gtk_widget_add_css_class (kpr->number, "desk-key-point-number");
  gtk_widget_add_css_class (kpr->number, "numeric");
  gtk_box_append (GTK_BOX (header), kpr->number);

  kpr->heading = gtk_entry_new ();
  gtk_widget_set_hexpand (kpr->heading, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (kpr->heading), _("Heading"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (kpr->heading),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Heading"),
                                  -1);
  if (kp != NULL && kp->heading != NULL)
    gtk_editable_set_text (GTK_EDITABLE (kpr->heading), kp->heading);
  g_signal_connect_object (kpr->heading, "changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (header), kpr->heading);

  gtk_box_append (GTK_BOX (header), icon_button_new ("go-up-symbolic", _("Move Up (Alt+Shift+Up)"), "kp.move-up"));
  gtk_box_append (GTK_BOX (header), icon_button_new ("go-down-symbolic", _("Move Down (Alt+Shift+Down)"), "kp.move-down"));
  gtk_box_append (GTK_BOX (header), icon_button_new ("user-trash-symbolic", _("Remove"), "kp.remove"));
  gtk_box_append (GTK_BOX (box), header);

  kpr->body = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (kpr->body), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (kpr->body), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (kpr->body), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (kpr->body), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (kpr->body), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (kpr->body), 8);
  gtk_widget_set_size_request (kpr->body, -1, 48);
  gtk_widget_add_css_class (kpr->body, "desk-key-point-body");
  gtk_accessible_update_property (GTK_ACCESSIBLE (kpr->body),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Body"),
                                  -1);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (kpr->body));
  if (kp != NULL && kp->body != NULL)
    gtk_text_buffer_set_text (buffer, kp->body, -1);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  frame = gtk_frame_new (NULL);
  gtk_widget_set_margin_start (frame, 26);
  gtk_frame_set_child (GTK_FRAME (frame), kpr->body);
  gtk_box_append (GTK_BOX (box), frame);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (kpr->row), box);

  drop = gtk_drop_target_new (GTK_TYPE_LIST_BOX_ROW, GDK_ACTION_MOVE);
  g_signal_connect (drop, "drop", G_CALLBACK (kp_drop_cb), kpr);
  g_signal_connect (drop, "enter", G_CALLBACK (kp_drop_enter_cb), kpr);
  g_signal_connect (drop, "leave", G_CALLBACK (kp_drop_leave_cb), kpr);
  gtk_widget_add_controller (kpr->row, GTK_EVENT_CONTROLLER (drop));

  /* In the capture phase so that the entry and the text view do not see
   * the keys first. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Up, GDK_ALT_MASK | GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("kp.move-up")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Down, GDK_ALT_MASK | GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("kp.move-down")));
  gtk_widget_add_controller (kpr->row, shortcuts);

  return kpr->row;
}

static int
key_point_sort_func (GtkListBoxRow *a,
                     GtkListBoxRow *b,
                     gpointer       data)
{
  DeskInspector *self = data;
  guint ia = G_MAXUINT, ib = G_MAXUINT;

  g_ptr_array_find (self->kp_rows, a, &ia);
  g_ptr_array_find (self->kp_rows, b, &ib);
  return ia < ib ? -1 : ia > ib;
}

static void
append_key_point (DeskInspector      *self,
                  const DeskKeyPoint *kp)
{
  GtkWidget *row = key_point_row_new (self, kp);

  g_ptr_array_add (self->kp_rows, g_object_ref_sink (row));
  gtk_list_box_append (self->key_point_list, row);
}

static void
add_key_point_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DeskInspector *self = DESK_INSPECTOR (widget);
  KeyPointRow *kpr;

  if (self->read_only || self->kp_rows->len >= MAX_KEY_POINTS)
    return;

  append_key_point (self, NULL);
  update_key_points (self);
  kpr = key_point_row_get (g_ptr_array_index (self->kp_rows, self->kp_rows->len - 1));
  gtk_widget_grab_focus (kpr->heading);
  emit_changed (self);
}

static void
use_suggestion_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  desk_inspector_use_suggestion (DESK_INSPECTOR (widget));
}

/* ---- text ---------------------------------------------------------------- */

static char *
text_view_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
text_view_set_text (GtkTextView *view,
                    const char  *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);

  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
  /* Loading an entry is not an edit the user can undo. */
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  gtk_text_buffer_set_enable_undo (buffer, TRUE);
}

/* ---- GObject ------------------------------------------------------------- */

static void
apply_read_only (DeskInspector *self)
{
  gboolean editable = !self->read_only;

  for (Score s = 0; s < N_SCORES; s++)
    gtk_widget_set_sensitive (self->score_pickers[s], editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tag_entry), editable);
  gtk_text_view_set_editable (self->impact_view, editable);
  gtk_text_view_set_cursor_visible (self->impact_view, editable);
  gtk_text_view_set_editable (self->comment_view, editable);
  gtk_text_view_set_cursor_visible (self->comment_view, editable);
  rebuild_tags (self);
  update_key_points (self);
  update_suggestion (self);
}

static void
desk_inspector_dispose (GObject *object)
{
  DeskInspector *self = DESK_INSPECTOR (object);

  g_clear_pointer (&self->kp_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_INSPECTOR);

  G_OBJECT_CLASS (desk_inspector_parent_class)->dispose (object);
}

static void
desk_inspector_finalize (GObject *object)
{
  DeskInspector *self = DESK_INSPECTOR (object);

  g_clear_pointer (&self->config, desk_site_config_free);
  g_clear_pointer (&self->tags, g_ptr_array_unref);
  desk_importance_clear (&self->importance);

  G_OBJECT_CLASS (desk_inspector_parent_class)->finalize (object);
}

static void
desk_inspector_class_init (DeskInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_inspector_dispose;
  object_class->finalize = desk_inspector_finalize;

  /**
   * DeskInspector::changed:
   *
   * Emitted on every edit by the user (or by the editing functions), never
   * by desk_inspector_set_fields() or desk_inspector_set_config().
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  desk_inspector_resources_register_resource ();
  g_type_ensure (ADW_TYPE_PREFERENCES_GROUP);
  g_type_ensure (ADW_TYPE_ACTION_ROW);
  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/digestdesk/DigestDesk/ui/desk-inspector.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "deskinspector");

  gtk_widget_class_bind_template_child (widget_class, DeskInspector, scroller);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, depth_row);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, relevance_row);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, practicality_row);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, innovation_row);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, suggestion_row);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, overall_row);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, differs_icon);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, use_suggestion_button);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, tag_count_label);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, tag_flow);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, tag_message);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, key_point_count_label);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, add_key_point_button);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, key_point_list);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, impact_view);
  gtk_widget_class_bind_template_child (widget_class, DeskInspector, comment_view);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_icon_press_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_changed_cb);

  gtk_widget_class_install_action (widget_class, "inspector.use-suggestion", NULL, use_suggestion_action);
  gtk_widget_class_install_action (widget_class, "inspector.add-key-point", NULL, add_key_point_action);
}

static void
ensure_style (void)
{
  static GdkDisplay *styled;
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || display == styled)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/digestdesk/DigestDesk/ui/desk-inspector.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  styled = display;
}

static void
desk_inspector_init (DeskInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Metadata"), -1);
  ensure_style ();

  self->config = desk_site_config_new_default ();
  self->tags = g_ptr_array_new_with_free_func (g_free);
  self->kp_rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (Score s = 0; s < N_SCORES; s++)
    {
      self->score_pickers[s] = score_picker_new (self, s);
      adw_action_row_add_suffix (score_row (self, s), self->score_pickers[s]);
    }

  gtk_list_box_set_sort_func (self->key_point_list, key_point_sort_func, self, NULL);
  gtk_list_box_set_placeholder (self->key_point_list,
                                g_object_new (GTK_TYPE_LABEL,
                                              "label", _("No key points"),
                                              "margin-top", 12,
                                              "margin-bottom", 12,
                                              "css-classes", (const char * const[]) { "dim-label", NULL },
                                              NULL));

  g_signal_connect_object (gtk_text_view_get_buffer (self->impact_view), "changed",
                           G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->comment_view), "changed",
                           G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);

  update_weight_titles (self);
  apply_read_only (self);
}

/* ---- public -------------------------------------------------------------- */

DeskInspector *
desk_inspector_new (void)
{
  return g_object_new (DESK_TYPE_INSPECTOR, NULL);
}

void
desk_inspector_set_config (DeskInspector        *self,
                           const DeskSiteConfig *config)
{
  g_return_if_fail (DESK_IS_INSPECTOR (self));

  g_clear_pointer (&self->config, desk_site_config_free);
  self->config = config != NULL ? desk_site_config_copy (config) : desk_site_config_new_default ();

  update_weight_titles (self);
  update_suggestion (self);
  update_key_points (self);
}

void
desk_inspector_set_fields (DeskInspector      *self,
                           const DeskEditable *fields,
                           gboolean            read_only)
{
  g_return_if_fail (DESK_IS_INSPECTOR (self));
  g_return_if_fail (fields != NULL);

  self->loading++;

  g_ptr_array_set_size (self->tags, 0);
  if ((fields->present & DESK_FIELD_TAGS) != 0 && fields->tags != NULL)
    for (guint i = 0; fields->tags[i] != NULL; i++)
      g_ptr_array_add (self->tags, g_strdup (fields->tags[i]));

  desk_importance_clear (&self->importance);
  if ((fields->present & DESK_FIELD_IMPORTANCE) != 0)
    desk_importance_copy_into (&self->importance, &fields->importance);
  for (Score s = 0; s < N_SCORES; s++)
    sync_score_buttons (self, s);

  for (guint i = 0; i < self->kp_rows->len; i++)
    gtk_list_box_remove (self->key_point_list, g_ptr_array_index (self->kp_rows, i));
  g_ptr_array_set_size (self->kp_rows, 0);
  if ((fields->present & DESK_FIELD_KEY_POINTS) != 0 && fields->key_points != NULL)
    for (guint i = 0; i < fields->key_points->len; i++)
      append_key_point (self, g_ptr_array_index (fields->key_points, i));

  text_view_set_text (self->impact_view,
                      (fields->present & DESK_FIELD_IMPACT_ANALYSIS) != 0 ? fields->impact_analysis : NULL);
  text_view_set_text (self->comment_view,
                      (fields->present & DESK_FIELD_EDITORIAL_COMMENT) != 0 ? fields->editorial_comment : NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  show_tag_message (self, NULL);

  self->read_only = !!read_only;
  apply_read_only (self);

  self->loading--;
}

gboolean
desk_inspector_get_read_only (DeskInspector *self)
{
  g_return_val_if_fail (DESK_IS_INSPECTOR (self), FALSE);

  return self->read_only;
}

DeskEditable *
desk_inspector_get_fields (DeskInspector *self)
{
  DeskEditable *fields;

  g_return_val_if_fail (DESK_IS_INSPECTOR (self), NULL);

  fields = desk_editable_new ();
  fields->present = DESK_INSPECTOR_FIELDS;

  fields->tags = g_new0 (char *, self->tags->len + 1);
  for (guint i = 0; i < self->tags->len; i++)
    fields->tags[i] = g_strdup (g_ptr_array_index (self->tags, i));

  desk_importance_copy_into (&fields->importance, &self->importance);

  fields->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
  for (guint i = 0; i < self->kp_rows->len; i++)
    {
      KeyPointRow *kpr = key_point_row_get (g_ptr_array_index (self->kp_rows, i));
      g_autofree char *body = text_view_get_text (GTK_TEXT_VIEW (kpr->body));
      DeskKeyPoint *kp = desk_key_point_new (gtk_editable_get_text (GTK_EDITABLE (kpr->heading)), body);

      if (kpr->extra != NULL)
        kp->extra = json_object_ref (kpr->extra);
      g_ptr_array_add (fields->key_points, kp);
    }

  fields->impact_analysis = text_view_get_text (self->impact_view);
  fields->editorial_comment = text_view_get_text (self->comment_view);

  return fields;
}

gboolean
desk_inspector_add_tag (DeskInspector  *self,
                        const char     *tag,
                        GError        **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (DESK_IS_INSPECTOR (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->read_only)
    {
      g_set_error_literal (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_READ_ONLY,
                           _("The entry is read-only"));
      return FALSE;
    }

  if (!g_utf8_validate (tag, -1, NULL))
    {
      g_set_error_literal (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_INVALID,
                           _("The tag is not valid text"));
      return FALSE;
    }

  clean = normalize_tag (tag);
  if (clean[0] == '\0')
    {
      g_set_error_literal (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_EMPTY,
                           _("Type a tag first"));
      return FALSE;
    }

  for (const char *p = clean; *p != '\0'; p = g_utf8_next_char (p))
    if (is_hash (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_INVALID,
                             _("Tags cannot contain “#”"));
        return FALSE;
      }

  key = tag_key (clean);
  for (guint i = 0; i < self->tags->len; i++)
    {
      g_autofree char *other = tag_key (g_ptr_array_index (self->tags, i));

      if (g_str_equal (key, other))
        {
          g_set_error (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_DUPLICATE,
                       _("“%s” is already a tag"), (const char *) g_ptr_array_index (self->tags, i));
          return FALSE;
        }
    }

  if (self->tags->len >= MAX_TAGS)
    {
      g_set_error (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_TOO_MANY,
                   _("An entry can have at most %d tags"), MAX_TAGS);
      return FALSE;
    }

  g_ptr_array_add (self->tags, g_steal_pointer (&clean));
  rebuild_tags (self);
  emit_changed (self);
  return TRUE;
}

gboolean
desk_inspector_remove_tag (DeskInspector *self,
                           const char    *tag)
{
  g_return_val_if_fail (DESK_IS_INSPECTOR (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  if (self->read_only)
    return FALSE;

  for (guint i = 0; i < self->tags->len; i++)
    if (g_str_equal (g_ptr_array_index (self->tags, i), tag))
      {
        g_ptr_array_remove_index (self->tags, i);
        rebuild_tags (self);
        emit_changed (self);
        return TRUE;
      }

  return FALSE;
}

void
desk_inspector_move_key_point (DeskInspector *self,
                               guint          from,
                               guint          to)
{
  GtkWidget *row;

  g_return_if_fail (DESK_IS_INSPECTOR (self));
  g_return_if_fail (from < self->kp_rows->len);
  g_return_if_fail (to < self->kp_rows->len);

  if (from == to || self->read_only)
    return;

  /* The list sorts by position in kp_rows: moving a row never takes it
   * out of the window, so it keeps the keyboard focus, and its buttons
   * keep tracking their actions (GTK 4.8 loses that on re-parenting). */
  row = g_ptr_array_steal_index (self->kp_rows, from);
  g_ptr_array_insert (self->kp_rows, to, row);
  gtk_list_box_invalidate_sort (self->key_point_list);

  update_key_points (self);
  emit_changed (self);
}

void
desk_inspector_set_sub_score (DeskInspector *self,
                              const char    *name,
                              int            value)
{
  g_return_if_fail (DESK_IS_INSPECTOR (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (value >= 1 && value <= 5);

  if (self->read_only)
    return;

  for (Score s = 0; s < N_SCORES; s++)
    if (g_str_equal (name, score_names[s]))
      {
        set_score (self, s, value);
        return;
      }

  g_critical ("%s: no importance member “%s”", G_STRFUNC, name);
}

void
desk_inspector_use_suggestion (DeskInspector *self)
{
  g_return_if_fail (DESK_IS_INSPECTOR (self));

  if (self->read_only || !sub_scores_valid (self))
    return;

  set_score (self, SCORE_OVERALL,
             desk_importance_suggest (&self->importance, &self->config->weights));
}

gboolean
desk_inspector_set_text (DeskInspector *self,
                         const char    *field,
                         const char    *text)
{
  GtkTextView *view = NULL;
  GtkTextBuffer *buffer;

  g_return_val_if_fail (DESK_IS_INSPECTOR (self), FALSE);
  g_return_val_if_fail (field != NULL && text != NULL, FALSE);

  if (g_str_equal (field, "impact_analysis"))
    view = self->impact_view;
  else if (g_str_equal (field, "editorial_comment"))
    view = self->comment_view;
  if (view == NULL || self->read_only)
    return FALSE;
  /* As if typed: one undoable user action, ::changed emitted. */
  buffer = gtk_text_view_get_buffer (view);
  {
    GtkTextIter start, end;

    /* set_text() would be irreversible; delete and insert can be undone. */
    gtk_text_buffer_begin_user_action (buffer);
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    gtk_text_buffer_delete (buffer, &start, &end);
    gtk_text_buffer_insert (buffer, &start, text, -1);
    gtk_text_buffer_end_user_action (buffer);
  }
  return TRUE;
}
