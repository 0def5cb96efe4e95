/* test-inspector.c: DeskInspector loads, edits and gives back the metadata fields
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "desk-inspector.h"

static const char *sample_tags[] = { "AI規制", "ガバナンス", "OpenWeights", NULL };

static DeskEditable *
sample_fields (guint n_key_points)
{
  DeskEditable *fields = desk_editable_new ();

  fields->present = DESK_INSPECTOR_FIELDS;
  fields->tags = g_strdupv ((char **) sample_tags);
  fields->importance.overall = 4;
  fields->importance.depth = 5;
  fields->importance.relevance = 5;
  fields->importance.practicality = 3;
  fields->importance.innovation = 4;
  fields->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
  for (guint i = 0; i < n_key_points; i++)
    {
      g_autofree char *heading = g_strdup_printf ("見出し%c", 'A' + i);
      g_autofree char *body = g_strdup_printf ("本文 %u：長い説明\n二行目", i + 1);
      g_ptr_array_add (fields->key_points, desk_key_point_new (heading, body));
    }
  fields->impact_analysis = g_strdup ("中小企業にも影響します。\n\n二段落目。");
  fields->editorial_comment = g_strdup ("要確認：数字の出典");
  return fields;
}

static gpointer
child (DeskInspector *inspector,
       const char    *name)
{
  gpointer widget = gtk_widget_get_template_child (GTK_WIDGET (inspector), DESK_TYPE_INSPECTOR, name);
  g_assert_nonnull (widget);
  return widget;
}

static void
count_cb (DeskInspector *inspector,
          guint         *count)
{
  (*count)++;
}

static DeskInspector *
new_inspector (guint *changed)
{
  DeskInspector *inspector = g_object_ref_sink (desk_inspector_new ());
  GtkWidget *window = gtk_window_new ();

  /* Rooted, as in the app: actionables see widget actions through the
   * window's action muxer chain only. */
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (inspector));
  g_test_queue_destroy ((GDestroyNotify) gtk_window_destroy, window);
  g_signal_connect (inspector, "changed", G_CALLBACK (count_cb), changed);
  return inspector;
}

static GPtrArray *
key_point_rows (DeskInspector *inspector)
{
  GtkWidget *list = child (inspector, "key_point_list");
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *w = gtk_widget_get_first_child (list); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LIST_BOX_ROW (w))
      g_ptr_array_add (rows, w);
  return rows;
}

/* row → box → header: handle, number, heading, up, down, remove */
static GtkWidget *
row_header_child (GtkWidget *row,
                  guint      n)
{
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_first_child (box));

  for (guint i = 0; i < n; i++)
    w = gtk_widget_get_next_sibling (w);
  return w;
}

static const char *
row_number (GtkWidget *row)
{
  return gtk_label_get_text (GTK_LABEL (row_header_child (row, 1)));
}

static const char *
row_heading (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row_header_child (row, 2)));
}

static const char *
suggestion_title (DeskInspector *inspector)
{
  return adw_preferences_row_get_title (child (inspector, "suggestion_row"));
}

static void
test_round_trip (void)
{
  guint changed = 0;
  g_autoptr(DeskInspector) inspector = new_inspector (&changed);
  g_autoptr(DeskEditable) in = sample_fields (5);
  g_autoptr(DeskEditable) out = NULL;
  g_autoptr(DeskEditable) empty = desk_editable_new ();

  /* members the inspector does not know ride along */
  in->importance.extra = json_object_new ();
  json_object_set_int_member (in->importance.extra, "novelty", 2);

  desk_inspector_set_fields (inspector, in, FALSE);
  out = desk_inspector_get_fields (inspector);

  g_assert_cmpint (out->present, ==, DESK_INSPECTOR_FIELDS);
  g_assert_true (desk_editable_field_equal (in, out, DESK_FIELD_TAGS));
  g_assert_true (desk_editable_field_equal (in, out, DESK_FIELD_IMPORTANCE));
  g_assert_true (desk_editable_field_equal (in, out, DESK_FIELD_KEY_POINTS));
  g_assert_true (desk_editable_field_equal (in, out, DESK_FIELD_IMPACT_ANALYSIS));
  g_assert_true (desk_editable_field_equal (in, out, DESK_FIELD_EDITORIAL_COMMENT));
  g_assert_cmpuint (out->key_points->len, ==, 5);
  g_assert_cmpstr (((DeskKeyPoint *) out->key_points->pdata[4])->body, ==, "本文 5：長い説明\n二行目");
  g_assert_cmpint (out->importance.innovation, ==, 4);
  g_assert_cmpint (out->importance.overall, ==, 4);

  /* set_fields, set_config, and loading again emit nothing */
  desk_inspector_set_config (inspector, NULL);
  desk_inspector_set_fields (inspector, in, TRUE);
  desk_inspector_set_fields (inspector, in, FALSE);
  g_assert_cmpuint (changed, ==, 0);

  /* loading an empty set clears everything */
  desk_inspector_set_fields (inspector, empty, FALSE);
  g_clear_pointer (&out, desk_editable_free);
  out = desk_inspector_get_fields (inspector);
  g_assert_cmpuint (g_strv_length (out->tags), ==, 0);
  g_assert_cmpuint (out->key_points->len, ==, 0);
  {
    g_autoptr(GPtrArray) rows = key_point_rows (inspector);
    g_assert_cmpuint (rows->len, ==, 0);
  }
  g_assert_cmpstr (out->impact_analysis, ==, "");
  g_assert_cmpint (out->importance.depth, ==, 0);
  g_assert_cmpuint (changed, ==, 0);

  /* typing is an edit */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (child (inspector, "comment_view")), "x", -1);
  g_assert_cmpuint (changed, ==, 1);
}

static void
test_sub_score (void)
{
  guint changed = 0;
  g_autoptr(DeskInspector) inspector = new_inspector (&changed);
  g_autoptr(DeskEditable) in = sample_fields (3);
  g_autoptr(DeskEditable) out = NULL;

  desk_inspector_set_fields (inspector, in, FALSE);
  /* (5, 5, 3, 4) with 0.4/0.3/0.2/0.1 is 4.5: the suggestion is 4 */
  g_assert_cmpstr (suggestion_title (inspector), ==, "Suggestion: 4.5 → 4");
  g_assert_false (gtk_widget_get_visible (child (inspector, "differs_icon")));
  g_assert_cmpstr (adw_preferences_row_get_title (child (inspector, "depth_row")), ==, "Depth  40 %");

  desk_inspector_set_sub_score (inspector, "depth", 3);
  g_assert_cmpuint (changed, ==, 1);
  /* 1.2 + 1.5 + 0.6 + 0.4 = 3.7 */
  g_assert_cmpstr (suggestion_title (inspector), ==, "Suggestion: 3.7 → 4");

  desk_inspector_set_sub_score (inspector, "innovation", 1);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpstr (suggestion_title (inspector), ==, "Suggestion: 3.4 → 3");
  g_assert_true (gtk_widget_get_visible (child (inspector, "differs_icon")));
  g_assert_true (gtk_widget_is_sensitive (child (inspector, "use_suggestion_button")));

  /* the same value again is no edit */
  desk_inspector_set_sub_score (inspector, "innovation", 1);
  g_assert_cmpuint (changed, ==, 2);

  /* clicking a score button is an edit too */
  {
    GtkWidget *row = child (inspector, "relevance_row");
    GtkWidget *picker = NULL;
    GtkWidget *button;

    /* the picker is the row's last suffix: find the box of 5 toggles */
    for (GtkWidget *w = gtk_widget_get_first_child (row); w != NULL; )
      {
        if (gtk_widget_has_css_class (w, "desk-score-picker"))
          {
            picker = w;
            break;
          }
        if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
              w = w == row ? NULL : gtk_widget_get_parent (w);
            if (w != NULL)
              w = gtk_widget_get_next_sibling (w);
          }
      }
    g_assert_nonnull (picker);
    button = gtk_widget_get_first_child (picker);  /* 1 */
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (gtk_widget_get_last_child (picker))));
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
    g_assert_cmpuint (changed, ==, 3);
    g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (gtk_widget_get_last_child (picker))));
    out = desk_inspector_get_fields (inspector);
    g_assert_cmpint (out->importance.relevance, ==, 1);
    /* 1.2 + 0.3 + 0.6 + 0.1 = 2.2 */
    g_assert_cmpstr (suggestion_title (inspector), ==, "Suggestion: 2.2 → 2");
  }
}

static void
test_use_suggestion (void)
{
  guint changed = 0;
  g_autoptr(DeskInspector) inspector = new_inspector (&changed);
  g_autoptr(DeskEditable) in = sample_fields (3);
  g_autoptr(DeskEditable) out = NULL;
  g_autoptr(DeskSiteConfig) config = desk_site_config_new_default ();

  in->importance.overall = 5;
  desk_inspector_set_fields (inspector, in, FALSE);
  g_assert_true (gtk_widget_get_visible (child (inspector, "differs_icon")));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (inspector, "suggestion_row")), ==,
                   "Overall differs from the suggestion");

  /* 4.5: half up would give 5 */
  desk_inspector_use_suggestion (inspector);
  out = desk_inspector_get_fields (inspector);
  g_assert_cmpint (out->importance.overall, ==, 4);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_false (gtk_widget_get_visible (child (inspector, "differs_icon")));
  g_assert_false (gtk_widget_is_sensitive (child (inspector, "use_suggestion_button")));

  /* free override */
  desk_inspector_set_sub_score (inspector, "overall", 2);
  g_clear_pointer (&out, desk_editable_free);
  out = desk_inspector_get_fields (inspector);
  g_assert_cmpint (out->importance.overall, ==, 2);
  g_assert_true (gtk_widget_get_visible (child (inspector, "differs_icon")));

  /* the site's weights: depth and relevance only, 3 and 4 → 3.5 → 3 */
  config->weights = (DeskImportanceWeights) { 0.5, 0.5, 0.0, 0.0 };
  desk_inspector_set_config (inspector, config);
  g_assert_cmpstr (adw_preferences_row_get_title (child (inspector, "depth_row")), ==, "Depth  50 %");
  g_assert_cmpstr (adw_preferences_row_get_title (child (inspector, "innovation_row")), ==, "Innovation  0 %");
  desk_inspector_set_sub_score (inspector, "depth", 3);
  desk_inspector_set_sub_score (inspector, "relevance", 4);
  g_assert_cmpstr (suggestion_title (inspector), ==, "Suggestion: 3.5 → 3");
  gtk_widget_activate_action (GTK_WIDGET (inspector), "inspector.use-suggestion", NULL);
  g_clear_pointer (&out, desk_editable_free);
  out = desk_inspector_get_fields (inspector);
  g_assert_cmpint (out->importance.overall, ==, 3);
}

static void
test_tags (void)
{
  guint changed = 0;
  g_autoptr(DeskInspector) inspector = new_inspector (&changed);
  g_autoptr(DeskEditable) in = sample_fields (3);
  g_autoptr(DeskEditable) out = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *entry = child (inspector, "tag_entry");
  GtkWidget *message = child (inspector, "tag_message");

  desk_inspector_set_fields (inspector, in, FALSE);
  g_assert_cmpstr (gtk_label_get_text (child (inspector, "tag_count_label")), ==, "3 / 10");

  g_assert_true (desk_inspector_add_tag (inspector, "  #LLM ", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (desk_inspector_add_tag (inspector, "\u3000＃推論\u3000", &error));
  g_assert_no_error (error);

  g_assert_false (desk_inspector_add_tag (inspector, "llm", &error));
  g_assert_error (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_false (desk_inspector_add_tag (inspector, "#openweights", &error));
  g_assert_error (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_false (desk_inspector_add_tag (inspector, "ＬＬＭ", &error));  /* full width */
  g_assert_error (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_false (desk_inspector_add_tag (inspector, "   ", &error));
  g_assert_error (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (desk_inspector_add_tag (inspector, "#", &error));
  g_assert_error (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (desk_inspector_add_tag (inspector, "C#", &error));
  g_assert_error (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (changed, ==, 2);

  out = desk_inspector_get_fields (inspector);
  g_assert_cmpuint (g_strv_length (out->tags), ==, 5);
  g_assert_cmpstr (out->tags[3], ==, "LLM");
  g_assert_cmpstr (out->tags[4], ==, "推論");

  /* through the entry: Enter adds, a refusal shows inline and keeps the text */
  gtk_editable_set_text (GTK_EDITABLE (entry), "#エージェント");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_cmpuint (changed, ==, 3);
  gtk_editable_set_text (GTK_EDITABLE (entry), "エージェント");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "already"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "エージェント");
  gtk_editable_set_text (GTK_EDITABLE (entry), "エ");
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_cmpuint (changed, ==, 3);

  /* at most 10 */
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *tag = g_strdup_printf ("tag%d", i);
      g_assert_true (desk_inspector_add_tag (inspector, tag, &error));
    }
  g_assert_cmpstr (gtk_label_get_text (child (inspector, "tag_count_label")), ==, "10 / 10");
  g_assert_false (desk_inspector_add_tag (inspector, "eleventh", &error));
  g_assert_error (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_TOO_MANY);
  g_clear_error (&error);

  /* removing a chip */
  g_assert_true (desk_inspector_remove_tag (inspector, "LLM"));
  g_clear_pointer (&out, desk_editable_free);
  out = desk_inspector_get_fields (inspector);
  g_assert_cmpuint (g_strv_length (out->tags), ==, 9);
  g_assert_false (g_strv_contains ((const char * const *) out->tags, "LLM"));
}

static void
test_move_key_point (void)
{
  guint changed = 0;
  g_autoptr(DeskInspector) inspector = new_inspector (&changed);
  g_autoptr(DeskEditable) in = sample_fields (5);
  g_autoptr(DeskEditable) out = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *expected[] = { "見出しB", "見出しC", "見出しA", "見出しD", "見出しE" };

  desk_inspector_set_fields (inspector, in, FALSE);
  desk_inspector_move_key_point (inspector, 0, 2);
  g_assert_cmpuint (changed, ==, 1);

  out = desk_inspector_get_fields (inspector);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (((DeskKeyPoint *) out->key_points->pdata[i])->heading, ==, expected[i]);
  g_assert_cmpstr (((DeskKeyPoint *) out->key_points->pdata[2])->body, ==, "本文 1：長い説明\n二行目");

  rows = key_point_rows (inspector);
  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u.", i + 1);
      g_assert_cmpint (gtk_list_box_row_get_index (rows->pdata[i]), ==, (int) i);
      g_assert_cmpstr (row_number (rows->pdata[i]), ==, number);
      g_assert_cmpstr (row_heading (rows->pdata[i]), ==, expected[i]);
    }
}

static void
test_keyboard_reorder (void)
{
  guint changed = 0;
  g_autoptr(DeskInspector) inspector = new_inspector (&changed);
  g_autoptr(DeskEditable) in = sample_fields (3);
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *row;
  gboolean found_up = FALSE, found_down = FALSE;
  GListModel *controllers;

  desk_inspector_set_fields (inspector, in, FALSE);
  rows = key_point_rows (inspector);
  row = rows->pdata[1];

  /* Alt+Shift+Up/Down on the row trigger kp.move-up/down */
  controllers = gtk_widget_observe_controllers (row);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      g_assert_cmpint (gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (c)), ==, GTK_PHASE_CAPTURE);
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (c)); j++)
        {
          g_autoptr(GtkShortcut) s = g_list_model_get_item (G_LIST_MODEL (c), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (s));
          GtkShortcutAction *action = gtk_shortcut_get_action (s);

          if (!GTK_IS_NAMED_ACTION (action))
            continue;
          if (g_str_equal (trigger, "<Shift><Alt>Up") &&
              g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "kp.move-up"))
            found_up = TRUE;
          if (g_str_equal (trigger, "<Shift><Alt>Down") &&
              g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "kp.move-down"))
            found_down = TRUE;
        }
    }
  g_object_unref (controllers);
  g_assert_true (found_up);
  g_assert_true (found_down);

  /* what the shortcut activates, on the second row */
  g_assert_true (gtk_widget_activate_action (row, "kp.move-up", NULL));
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)), ==, 0);
  g_assert_cmpstr (row_number (row), ==, "1.");
  g_assert_cmpstr (row_heading (row), ==, "見出しB");
  g_assert_cmpuint (changed, ==, 1);

  /* the first row cannot go up; its move-up button is insensitive */
  gtk_widget_activate_action (row, "kp.move-up", NULL);
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)), ==, 0);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_false (gtk_widget_is_sensitive (row_header_child (row, 3)));
  g_assert_true (gtk_widget_is_sensitive (row_header_child (row, 4)));

  /* the down button */
  g_signal_emit_by_name (row_header_child (row, 4), "clicked");
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)), ==, 1);
  g_assert_cmpstr (row_number (row), ==, "2.");
  g_assert_cmpuint (changed, ==, 2);
}

static void
test_count_label (void)
{
  guint changed = 0;
  g_autoptr(DeskInspector) inspector = new_inspector (&changed);
  g_autoptr(DeskEditable) five = sample_fields (5);
  g_autoptr(DeskEditable) two = sample_fields (2);
  g_autoptr(DeskEditable) eight = sample_fields (8);
  g_autoptr(DeskEditable) out = NULL;
  g_autoptr(DeskSiteConfig) config = desk_site_config_new_default ();
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *label = child (inspector, "key_point_count_label");

  desk_inspector_set_fields (inspector, five, FALSE);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "5 / 3–7");
  g_assert_false (gtk_widget_has_css_class (label, "error"));

  desk_inspector_set_fields (inspector, two, FALSE);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "2 / 3–7");
  g_assert_true (gtk_widget_has_css_class (label, "error"));

  desk_inspector_set_fields (inspector, eight, FALSE);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "8 / 3–7");
  g_assert_true (gtk_widget_has_css_class (label, "error"));

  /* removing one with its button: 7 is within */
  rows = key_point_rows (inspector);
  gtk_widget_activate_action (rows->pdata[0], "kp.remove", NULL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "7 / 3–7");
  g_assert_false (gtk_widget_has_css_class (label, "error"));
  g_assert_cmpuint (changed, ==, 1);
  out = desk_inspector_get_fields (inspector);
  g_assert_cmpstr (((DeskKeyPoint *) out->key_points->pdata[0])->heading, ==, "見出しB");

  /* the site's range */
  config->key_points_min = 1;
  config->key_points_max = 5;
  desk_inspector_set_config (inspector, config);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "7 / 1–5");
  g_assert_true (gtk_widget_has_css_class (label, "error"));

  /* adding goes up to the contract's 10 */
  for (int i = 0; i < 3; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (inspector), "inspector.add-key-point", NULL));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "10 / 1–5");
  g_assert_false (gtk_widget_is_sensitive (child (inspector, "add_key_point_button")));
  g_assert_cmpuint (changed, ==, 4);
  g_clear_pointer (&out, desk_editable_free);
  out = desk_inspector_get_fields (inspector);
  g_assert_cmpuint (out->key_points->len, ==, 10);
  g_assert_cmpstr (((DeskKeyPoint *) out->key_points->pdata[9])->heading, ==, "");
}

static void
test_read_only (void)
{
  guint changed = 0;
  g_autoptr(DeskInspector) inspector = new_inspector (&changed);
  g_autoptr(DeskEditable) in = sample_fields (4);
  g_autoptr(DeskEditable) out = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  in->importance.overall = 5;
  desk_inspector_set_fields (inspector, in, TRUE);
  g_assert_true (desk_inspector_get_read_only (inspector));

  g_assert_false (gtk_widget_is_sensitive (child (inspector, "use_suggestion_button")));
  g_assert_false (gtk_widget_is_sensitive (child (inspector, "tag_entry")));
  g_assert_false (gtk_widget_is_sensitive (child (inspector, "add_key_point_button")));
  g_assert_false (gtk_text_view_get_editable (child (inspector, "impact_view")));
  g_assert_false (gtk_text_view_get_editable (child (inspector, "comment_view")));

  rows = key_point_rows (inspector);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *box = gtk_list_box_row_get_child (rows->pdata[i]);
      GtkWidget *body = gtk_frame_get_child (GTK_FRAME (gtk_widget_get_last_child (box)));

      g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (row_header_child (rows->pdata[i], 2))));
      g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (body)));
      for (guint b = 3; b <= 5; b++)
        g_assert_false (gtk_widget_is_sensitive (row_header_child (rows->pdata[i], b)));
    }
  g_assert_false (gtk_widget_activate_action (rows->pdata[1], "kp.move-up", NULL) &&
                  gtk_list_box_row_get_index (rows->pdata[1]) == 0);

  /* the score pickers */
  {
    GtkWidget *row = child (inspector, "overall_row");
    gboolean any = FALSE;
    GtkWidget *w = row;

    while (w != NULL)
      {
        if (GTK_IS_TOGGLE_BUTTON (w))
          {
            any = TRUE;
            g_assert_false (gtk_widget_is_sensitive (w));
          }
        if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != NULL && w != row && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            w = w == row || w == NULL ? NULL : gtk_widget_get_next_sibling (w);
          }
      }
    g_assert_true (any);
  }

  /* and the scripting entry points refuse */
  g_assert_false (desk_inspector_add_tag (inspector, "new", &error));
  g_assert_error (error, DESK_INSPECTOR_ERROR, DESK_INSPECTOR_ERROR_READ_ONLY);
  desk_inspector_set_sub_score (inspector, "depth", 1);
  desk_inspector_use_suggestion (inspector);
  desk_inspector_move_key_point (inspector, 0, 3);
  g_assert_cmpuint (changed, ==, 0);
  out = desk_inspector_get_fields (inspector);
  g_assert_true (desk_editable_field_equal (in, out, DESK_FIELD_IMPORTANCE));
  g_assert_true (desk_editable_field_equal (in, out, DESK_FIELD_KEY_POINTS));

  /* editable again */
  desk_inspector_set_fields (inspector, in, FALSE);
  g_assert_true (gtk_widget_is_sensitive (child (inspector, "tag_entry")));
  g_assert_true (gtk_widget_is_sensitive (child (inspector, "use_suggestion_button")));
  g_assert_true (gtk_text_view_get_editable (child (inspector, "impact_view")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* No display is a failure, not a skip. */
  if (!gtk_init_check ())
    g_error ("cannot open a display; run under Xvfb");
  adw_init ();

  g_test_add_func ("/inspector/round-trip", test_round_trip);
  g_test_add_func ("/inspector/sub-score", test_sub_score);
  g_test_add_func ("/inspector/use-suggestion", test_use_suggestion);
  g_test_add_func ("/inspector/tags", test_tags);
  g_test_add_func ("/inspector/move-key-point", test_move_key_point);
  g_test_add_func ("/inspector/keyboard-reorder", test_keyboard_reorder);
  g_test_add_func ("/inspector/count-label", test_count_label);
  g_test_add_func ("/inspector/read-only", test_read_only);

  return g_test_run ();
}
