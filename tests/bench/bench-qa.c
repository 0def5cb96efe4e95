/* bench-qa.c: the QA engine's speed
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints, and fails when a target is missed:
 * - all checks over a 100 KB entry (its body and original HTML together
 *   make 100 KB; the other fields are as usual), from a fresh engine, so
 *   the original is segmented and aligned too: median ≤ 5 ms;
 * - the same from 10 KB to 1 MB: time per KB at 1 MB over time per KB at
 *   10 KB (near-linear growth is a ratio near 1; the target is ≤ 3);
 * - one keystroke in the body of that entry, re-checked incrementally:
 *   p99 ≤ 1 ms;
 * - where `npx textlint` with textlint-rule-preset-jtf-style and
 *   textlint-rule-no-mix-dearu-desumasu works, its time on the same
 *   Japanese text, for comparison (printed only).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "desk-core.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *times,
            double  p)
{
  g_array_sort (times, compare_double);
  return g_array_index (times, double, MIN (times->len - 1, (guint) (p * times->len)));
}

/* A synthetic entry of about @kb KB: Japanese body and English original
 * HTML about half each, every paragraph different, a few defects planted. */
static void
make_entry (guint          kb,
            DeskEditable **fields_out,
            DeskOriginal **original_out)
{
  GString *body = g_string_new (NULL);
  GString *html = g_string_new ("<article>");
  DeskEditable *fields = desk_editable_new ();
  DeskOriginal *original = g_new0 (DeskOriginal, 1);
  guint i = 0;

  /* The entry's size: its body and its original together. */
  while (body->len + html->len < kb * 1024)
    {
      guint k = i % 4, a = i + 2, b = (i % 9) + 1;

      if (i % 12 == 0)
        {
          g_string_append_printf (body, "## 第%u節\n\n", i / 12 + 1);
          g_string_append_printf (html, "<h2>Section %u</h2>", i / 12 + 1);
        }
      switch (k)
        {
        case 0:
          g_string_append_printf (body, "研究チームは第%u版のモデルを公開し、推論の速度が%u.%u倍になったと発表しました。", a, b, b);
          g_string_append_printf (html, "<p>"); g_string_append_printf (html, "The research team released version %u of the model and said inference is %u.%ux faster.", a, b, b);
          break;
        case 1:
          g_string_append_printf (body, "同社によると、学習には%u日間かかり、計算資源の費用は約%u億円に達したといいます。", a, b);
          g_string_append_printf (html, "<p>"); g_string_append_printf (html, "According to the company, training took %u days and compute cost about %u00 million yen.", a, b);
          break;
        case 2:
          g_string_append_printf (body, "コンピューターの性能が上がるにつれて、%u番目の課題にも取り組めるようになりました。", a);
          g_string_append_printf (html, "<p>"); g_string_append_printf (html, "As computers get faster, problem number %u has become tractable as well.", a);
          break;
        default:
          g_string_append_printf (body, "評価では%u件のタスクのうち%u%%を完了し、従来のシステムを上回りました。", a, b * 10);
          g_string_append_printf (html, "<p>"); g_string_append_printf (html, "In the evaluation it completed %u%% of %u tasks, ahead of earlier systems.", b * 10, a);
          break;
        }
      g_string_append (body, i % 50 == 7 ? "コンピュータの話です。\n\n" : "\n\n");
      g_string_append (html, "</p>");
      i++;
    }
  g_string_append (html, "</article>");

  fields->present = DESK_FIELDS_MACHINE;
  fields->title = g_strdup ("新しいモデルを公開、推論は3.2倍高速に");
  fields->tldr = g_strdup ("研究チームが新しいモデルを公開しました。推論の速度は従来の3.2倍です。");
  fields->body = g_string_free (body, FALSE);
  fields->tags = g_strsplit ("LLM,推論,モデル公開", ",", -1);
  fields->importance.overall = 4;
  fields->importance.depth = 4;
  fields->importance.relevance = 4;
  fields->importance.practicality = 3;
  fields->importance.innovation = 3;
  fields->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
  for (int k = 0; k < 4; k++)
    g_ptr_array_add (fields->key_points, desk_key_point_new ("推論の高速化", "推論の速度が従来の3.2倍になりました。"));
  fields->impact_analysis = g_strdup ("推論の費用が下がれば、中小企業でも大きなモデルを使いやすくなります。");
  original->title = g_strdup ("New model released");
  original->html = g_string_free (html, FALSE);
  *fields_out = fields;
  *original_out = original;
}

static double
cold_check_ms (guint kb,
               guint runs,
               guint *n_findings)
{
  DeskEditable *fields;
  DeskOriginal *original;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  double median;

  make_entry (kb, &fields, &original);
  for (guint r = 0; r < runs; r++)
    {
      g_autoptr(DeskQa) qa = desk_qa_new ();
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GPtrArray) findings = desk_qa_check (qa, fields, original);
      double ms = (g_get_monotonic_time () - t0) / 1000.0;

      g_array_append_val (times, ms);
      *n_findings = findings->len;
    }
  median = percentile (times, 0.5);
  desk_editable_free (fields);
  desk_original_free (original);
  return median;
}

static void
run_textlint (const char *text)
{
  g_autofree char *npx = g_find_program_in_path ("npx");
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *rc = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  gint64 t0;
  const char *argv[] = { "npx", "--no-install", "textlint", "--rule", "preset-jtf-style",
                         "--rule", "no-mix-dearu-desumasu", NULL, NULL };

  if (npx == NULL)
    {
      printf ("textlint: not measured (npx is not installed)\n");
      return;
    }
  dir = g_dir_make_tmp ("bench-qa-XXXXXX", &error);
  if (dir == NULL)
    return;
  file = g_build_filename (dir, "body.md", NULL);
  g_file_set_contents (file, text, -1, NULL);
  argv[7] = file;
  t0 = g_get_monotonic_time ();
  if (!g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error) ||
      (!g_spawn_check_wait_status (status, NULL) && (out == NULL || strstr (out, "problem") == NULL)))
    printf ("textlint: not measured (npx textlint with the JTF preset is not installed)\n");
  else
    printf ("textlint (preset-jtf-style + no-mix-dearu-desumasu) on the same 100 KB body: %.0f ms, "
             "Node start-up included\n", (g_get_monotonic_time () - t0) / 1000.0);
  g_unlink (file);
  g_rmdir (dir);
}

int
main (void)
{
  guint n = 0;
  double at100, at10, at1000, ratio, p50, p99;
  gboolean ok = TRUE;
  DeskEditable *fields;
  DeskOriginal *original;
  g_autoptr(DeskQa) qa = desk_qa_new ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  at100 = cold_check_ms (100, 21, &n);
  make_entry (100, &fields, &original);
  printf ("all checks, 100 KB entry (body %zu KB, original %zu KB), fresh engine: median %.2f ms (%u findings) — target ≤ 5 ms\n",
          strlen (fields->body) / 1024, strlen (original->html) / 1024, at100, n);
  desk_editable_free (fields);
  desk_original_free (original);
  ok &= at100 <= 5.0;

  at10 = cold_check_ms (10, 51, &n);
  at1000 = cold_check_ms (1000, 5, &n);
  ratio = (at1000 / 1000.0) / (at10 / 10.0);
  printf ("growth: 10 KB %.2f ms, 1 MB %.1f ms; time per KB at 1 MB / at 10 KB = %.2f — target ≤ 3\n",
           at10, at1000, ratio);
  ok &= ratio <= 3.0;

  /* Keystrokes: type into a paragraph, one character a time; in the middle
   * of the body (the alignment is computed again from that paragraph on)
   * and in its first paragraph (the worst case: all of it). */
  make_entry (100, &fields, &original);
  g_ptr_array_unref (desk_qa_check (qa, fields, original));
  for (guint where = 0; where < 2; where++)
    {
      const char *from = where == 0 ? fields->body + strlen (fields->body) / 2 : fields->body;
      gsize at = strstr (from, "。") - fields->body;
      static const char * const typed[] = { "新", "し", "い", "文", "を", "書", "き", "ま", "す", "。" };
      guint checked, cached;

      g_array_set_size (times, 0);
      for (guint k = 0; k < 200; k++)
        {
          GString *b = g_string_new (NULL);
          gint64 t0;
          GPtrArray *findings;
          double ms;

          g_string_append_len (b, fields->body, at);
          g_string_append (b, typed[k % G_N_ELEMENTS (typed)]);
          g_string_append (b, fields->body + at);
          at += strlen (typed[k % G_N_ELEMENTS (typed)]);
          g_free (fields->body);
          fields->body = g_string_free (b, FALSE);

          t0 = g_get_monotonic_time ();
          findings = desk_qa_check (qa, fields, original);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          g_ptr_array_unref (findings);
          g_array_append_val (times, ms);
        }
      p50 = percentile (times, 0.5);
      p99 = percentile (times, 0.99);
      desk_qa_get_last_stats (qa, &checked, &cached);
      printf ("one keystroke in the 100 KB entry's body, %s, incremental: p50 %.3f ms, p99 %.3f ms "
              "(%u paragraph checked, %u from the cache) — target p99 ≤ 1 ms\n",
              where == 0 ? "in the middle" : "in the first paragraph", p50, p99, checked, cached);
      ok &= p99 <= 1.0;
    }

  run_textlint (fields->body);
  desk_editable_free (fields);
  desk_original_free (original);

  printf ("%s\n", ok ? "all targets met" : "TARGET MISSED");
  return ok ? 0 : 1;
}
