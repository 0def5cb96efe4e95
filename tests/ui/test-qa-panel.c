/* test-qa-panel.c: the QA list keeps its rows across re-checks and fills long lists by chunks
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "desk-qa-panel.h"

static DeskQaFinding *
finding (const char     *check,
         DeskQaSeverity  severity,
         const char     *text,
         const char     *suggestion)
{
  DeskQaFinding *f = g_new0 (DeskQaFinding, 1);

  f->check = check;
  f->severity = severity;
  f->field = g_strdup ("body");
  f->text = g_strdup (text);
  f->message = g_strdup_printf ("「%s」を確認してください。", text);
  f->suggestion = g_strdup (suggestion);
  return f;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

typedef struct {
  guint removed, added, calls;
} Changes;

static void
changed_cb (GListModel *model,
            guint       position,
            guint       removed,
            guint       added,
            Changes    *changes)
{
  changes->removed += removed;
  changes->added += added;
  changes->calls++;
}

/* 300 new findings: the first rows at once, the rest by chunks while the
 * main loop turns; errors first, each row naming its finding. */
static void
test_long_list (void)
{
  DeskQaPanel *panel = g_object_ref_sink (DESK_QA_PANEL (desk_qa_panel_new ()));
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_qa_finding_free);
  GListModel *rows = desk_qa_panel_get_rows (panel);
  guint now;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *text = g_strdup_printf ("文%u", i);
      g_ptr_array_add (findings, finding ("repeated-text", i % 3 == 0 ? DESK_QA_SEVERITY_ERROR
                                                         : DESK_QA_SEVERITY_WARNING, text, NULL));
    }
  desk_qa_panel_set_findings (panel, findings, FALSE);
  now = g_list_model_get_n_items (rows);
  g_assert_cmpuint (now, >, 0);
  g_assert_cmpuint (now, <, 300);
  g_assert_cmpuint (desk_qa_panel_get_n_rows (panel), ==, 300);
  spin (300);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 300);
  /* 100 errors (0, 3, 6, …) then the warnings, each group in order. */
  g_assert_cmpint (desk_qa_panel_get_row_finding (panel, 0), ==, 0);
  g_assert_cmpint (desk_qa_panel_get_row_finding (panel, 1), ==, 3);
  g_assert_cmpint (desk_qa_panel_get_row_finding (panel, 99), ==, 297);
  g_assert_cmpint (desk_qa_panel_get_row_finding (panel, 100), ==, 1);
  g_assert_cmpint (desk_qa_panel_get_row_finding (panel, 299), ==, 299);
  g_assert_cmpint (desk_qa_panel_get_row_finding (panel, 300), ==, -1);

  /* A new list before the chunks are in replaces them all. */
  desk_qa_panel_set_findings (panel, findings, TRUE);
  g_ptr_array_set_size (findings, 2);
  desk_qa_panel_set_findings (panel, findings, FALSE);
  spin (200);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);

  desk_qa_panel_set_findings (panel, NULL, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  g_object_unref (panel);
}

/* A re-check that changes one finding replaces that row only; rows kept
 * follow their findings' new indices. */
static void
test_recheck_keeps_rows (void)
{
  DeskQaPanel *panel = g_object_ref_sink (DESK_QA_PANEL (desk_qa_panel_new ()));
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_qa_finding_free);
  GListModel *rows = desk_qa_panel_get_rows (panel);
  Changes changes = { 0 };

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *text = g_strdup_printf ("語%u", i);
      g_ptr_array_add (findings, finding ("untranslated", DESK_QA_SEVERITY_WARNING, text, NULL));
    }
  desk_qa_panel_set_findings (panel, findings, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 10);
  g_signal_connect (rows, "items-changed", G_CALLBACK (changed_cb), &changes);

  /* The same findings, moved (the editor typed before them): no change. */
  for (guint i = 0; i < findings->len; i++)
    ((DeskQaFinding *) g_ptr_array_index (findings, i))->start += 5;
  desk_qa_panel_set_findings (panel, findings, FALSE);
  g_assert_cmpuint (changes.calls, ==, 0);

  /* The fifth one's text changes: one row out, one in. */
  g_ptr_array_index (findings, 4) = finding ("untranslated", DESK_QA_SEVERITY_WARNING, "別語", NULL);
  desk_qa_panel_set_findings (panel, findings, FALSE);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 1);

  /* A new error at index 0 shifts every other finding by one: the rows
   * stay and name the new indices. */
  changes = (Changes) { 0 };
  g_ptr_array_insert (findings, 0, finding ("placeholder", DESK_QA_SEVERITY_ERROR, "⟦CODE_0⟧", "print()"));
  desk_qa_panel_set_findings (panel, findings, FALSE);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_cmpint (desk_qa_panel_get_row_finding (panel, 0), ==, 0);
  for (guint k = 1; k <= 10; k++)
    g_assert_cmpint (desk_qa_panel_get_row_finding (panel, k), ==, (int) k);

  /* Read-only changes how every row shows (no Fix, no Ignore). */
  changes = (Changes) { 0 };
  desk_qa_panel_set_findings (panel, findings, TRUE);
  g_assert_cmpuint (changes.removed, ==, 11);
  g_assert_cmpuint (changes.added, ==, 11);
  g_object_unref (panel);
}

static void
activated_cb (GSimpleAction *action,
              GVariant      *parameter,
              int           *index)
{
  *index = g_variant_get_uint32 (parameter);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A row's Fix button asks for its finding's current index, after the
 * findings before it moved. */
static void
test_fix_button (void)
{
  GtkWidget *window = gtk_window_new ();
  DeskQaPanel *panel = DESK_QA_PANEL (desk_qa_panel_new ());
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_qa_finding_free);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) fix = g_simple_action_new ("apply-fix", G_VARIANT_TYPE_UINT32);
  GtkWidget *button;
  int fixed = -1;

  g_signal_connect (fix, "activate", G_CALLBACK (activated_cb), &fixed);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (fix));
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  gtk_window_set_default_size (GTK_WINDOW (window), 500, 400);
  gtk_window_present (GTK_WINDOW (window));

  g_ptr_array_add (findings, finding ("placeholder", DESK_QA_SEVERITY_ERROR, "⟦CODE_0⟧", "print()"));
  desk_qa_panel_set_findings (panel, findings, FALSE);
  spin (300);
  button = find_button (GTK_WIDGET (panel), "_Fix");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpint (fixed, ==, 0);

  g_ptr_array_insert (findings, 0, finding ("untranslated", DESK_QA_SEVERITY_INFO, "語", NULL));
  desk_qa_panel_set_findings (panel, findings, FALSE);
  spin (200);
  g_assert_true (find_button (GTK_WIDGET (panel), "_Fix") == button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpint (fixed, ==, 1);

  /* Read-only: no Fix to press. */
  desk_qa_panel_set_findings (panel, findings, TRUE);
  spin (200);
  g_assert_null (find_button (GTK_WIDGET (panel), "_Fix"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/qa-panel/long-list", test_long_list);
  g_test_add_func ("/qa-panel/recheck-keeps-rows", test_recheck_keeps_rows);
  g_test_add_func ("/qa-panel/fix-button", test_fix_button);
  return g_test_run ();
}
