/* test-align.c: tests of desk_align() on synthetic cases and on the sample corpus
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>
#include <string.h>

#include "desk-core.h"

/* Every translation block appears once, in order; original indices never go
 * back; omitted originals are listed once. */
static void
check_monotone (GArray *pairs,
                guint   n_original,
                guint   n_translation)
{
  int next_t = 0;
  int last_o = -1;

  for (guint k = 0; k < pairs->len; k++)
    {
      const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);

      if (p->translation_index >= 0)
        g_assert_cmpint (p->translation_index, ==, next_t++);
      if (p->original_index >= 0)
        {
          g_assert_cmpint (p->original_index, >=, last_o);
          g_assert_cmpint (p->original_index + MAX (p->original_count, 1), <=, (int) n_original);
          last_o = p->original_index + MAX (p->original_count, 1) - 1;
        }
      g_assert_true (p->translation_index >= 0 || p->original_index >= 0);
      g_assert_cmpfloat (p->score, >=, 0.0);
      g_assert_cmpfloat (p->score, <=, 1.0);
    }
  g_assert_cmpint (next_t, ==, (int) n_translation);
}

static GArray *
align_texts (const char  *html,
             const char  *md,
             GPtrArray  **blocks_out,
             GArray     **spans_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) blocks = desk_sanitize_segment (html, -1, &error);
  g_autoptr(GArray) spans = NULL;
  GArray *pairs;

  g_assert_no_error (error);
  spans = desk_markdown_split_blocks (md, -1);
  pairs = desk_align (blocks, spans, md);
  check_monotone (pairs, blocks->len, spans->len);
  if (blocks_out != NULL)
    *blocks_out = g_steal_pointer (&blocks);
  if (spans_out != NULL)
    *spans_out = g_steal_pointer (&spans);
  return pairs;
}

static char *
describe (GArray *pairs)
{
  GString *s = g_string_new (NULL);

  for (guint k = 0; k < pairs->len; k++)
    {
      const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);

      if (s->len > 0)
        g_string_append_c (s, ' ');
      if (p->translation_index < 0)
        g_string_append_printf (s, "-:%d", p->original_index);
      else if (p->original_index < 0)
        g_string_append_printf (s, "%d:-", p->translation_index);
      else if (p->original_count == 2)
        g_string_append_printf (s, "%d:%d+%d", p->translation_index, p->original_index, p->original_index + 1);
      else
        g_string_append_printf (s, "%d:%d", p->translation_index, p->original_index);
    }
  return g_string_free (s, FALSE);
}

static const char synthetic_html[] =
  "<h2>Results</h2>"
  "<p>The new model reaches 61.4% accuracy on the benchmark, against 59.8% for the dense baseline of the same size, "
  "and its throughput at inference is 2.6 times higher on a single accelerator.</p>"
  "<p>Training used 1.2 trillion tokens over 21 days on 256 accelerators, and the router adds only 0.4% to the total "
  "parameter count of the model, which the authors consider negligible.</p>"
  "<p>The authors say that the routing decisions are hard to interpret, and that the gains shrink on short inputs, "
  "where dense attention is already cheap and fast enough for most uses.</p>"
  "<div class=\"newsletter\">Subscribe to our newsletter</div>";

static const char *p_results = "## 結果\n\n";
static const char *p_one =
  "新しいモデルはベンチマークで61.4%の正解率に達し、同規模の密なベースラインの59.8%を上回りました。"
  "推論時のスループットは単一のアクセラレーターで2.6倍に向上しています。\n\n";
static const char *p_two =
  "学習には1.2兆トークンを使い、256基のアクセラレーターで21日間かかりました。"
  "ルーターによるパラメーター数の増加は全体の0.4%にとどまり、著者らはこれを無視できる程度としています。\n\n";
static const char *p_three =
  "著者らは、ルーティングの判断は解釈が難しく、密なアテンションがもともと安価で十分に速い短い入力では"
  "改善幅が小さくなると述べています。\n\n";

static void
test_synthetic (void)
{
  static const struct {
    const char *name;
    const char *parts[6];
    const char *expected;
  } cases[] = {
    { "all", { "R", "1", "2", "3", NULL }, "0:0 1:1 2:2 3:3" },
    { "middle omitted", { "R", "1", "3", NULL }, "0:0 1:1 -:2 2:3" },
    { "first omitted", { "R", "2", "3", NULL }, "0:0 -:1 1:2 2:3" },
    { "last omitted", { "R", "1", "2", NULL }, "0:0 1:1 2:2 -:3" },
    { "heading omitted", { "1", "2", "3", NULL }, "-:0 0:1 1:2 2:3" },
    { "boilerplate added", { "R", "1", "B", "2", "3", NULL }, "0:0 1:1 2:- 3:2 4:3" },
    { "chrome translated", { "R", "1", "2", "3", "S", NULL }, "0:0 1:1 2:2 3:3 4:4" },
    { "two merged", { "R", "12", "3", NULL }, "0:0 1:1+2 2:3" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GString) md = g_string_new (NULL);
      g_autoptr(GArray) pairs = NULL;
      g_autofree char *got = NULL;

      for (guint k = 0; cases[c].parts[k] != NULL; k++)
        {
          const char *part = cases[c].parts[k];

          if (strcmp (part, "R") == 0)
            g_string_append (md, p_results);
          else if (strcmp (part, "1") == 0)
            g_string_append (md, p_one);
          else if (strcmp (part, "2") == 0)
            g_string_append (md, p_two);
          else if (strcmp (part, "3") == 0)
            g_string_append (md, p_three);
          else if (strcmp (part, "12") == 0)
            {
              g_string_append_len (md, p_one, strlen (p_one) - 2);
              g_string_append (md, p_two);
            }
          else if (strcmp (part, "B") == 0)
            g_string_append (md, "この記事をシェア　URLをコピー\n\n");
          else if (strcmp (part, "S") == 0)
            g_string_append (md, "ニュースレターを購読する\n\n");
        }

      pairs = align_texts (synthetic_html, md->str, NULL, NULL);
      got = describe (pairs);
      g_test_message ("%s: %s", cases[c].name, got);
      g_assert_cmpstr (got, ==, cases[c].expected);
    }
}

static void
test_empty (void)
{
  g_autoptr(GArray) none = align_texts ("", "", NULL, NULL);
  g_autoptr(GArray) no_translation = align_texts ("<p>One</p><p>Two</p><aside>Share</aside>", "", NULL, NULL);
  g_autoptr(GArray) no_original = align_texts ("", "一つ\n\n二つ", NULL, NULL);
  g_autofree char *a = describe (no_translation);
  g_autofree char *b = describe (no_original);

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpstr (a, ==, "-:0 -:1");
  g_assert_cmpstr (b, ==, "0:- 1:-");
  g_assert_cmpint (desk_align_original_for (no_original, 1), ==, -1);
  g_assert_cmpint (desk_align_translation_for (no_translation, 0), ==, -1);
}

static JsonArray *
load_sample (const char *name,
             JsonParser *parser)
{
  const char *dir = g_getenv ("DESK_SAMPLE_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, name, NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

static const char *
body_of_entry (JsonObject *entry)
{
  if (json_object_has_member (entry, "body"))
    return json_object_get_string_member (entry, "body");
  return json_object_get_string_member (json_object_get_object_member (entry, "machine"), "body");
}

/* The planted omissions are found, and nothing else is reported missing;
 * the clean entries align one to one, in order. */
static void
test_sample_corpus (void)
{
  const char *files[] = { "articles", "papers-and-videos" };
  guint omissions_planted = 0, omissions_found = 0, clean = 0;

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(JsonParser) entries_parser = json_parser_new ();
      g_autoptr(JsonParser) defects_parser = json_parser_new ();
      g_autofree char *entries_name = g_strconcat (files[f], ".json", NULL);
      g_autofree char *defects_name = g_strconcat (files[f], ".defects.json", NULL);
      JsonArray *entries = load_sample (entries_name, entries_parser);
      JsonArray *defects = load_sample (defects_name, defects_parser);

      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonObject *entry = json_array_get_object_element (entries, i);
          const char *id = json_object_get_string_member (entry, "id");
          const char *html = json_object_get_string_member (json_object_get_object_member (entry, "original"), "html");
          const char *body = body_of_entry (entry);
          g_autoptr(GPtrArray) blocks = NULL;
          g_autoptr(GArray) spans = NULL;
          g_autoptr(GArray) pairs = align_texts (html, body, &blocks, &spans);
          g_autofree char *got = describe (pairs);
          g_autoptr(GPtrArray) expected_omitted = g_ptr_array_new ();
          gboolean is_clean = FALSE;
          guint omitted = 0;

          g_test_message ("%s: %u blocks, %u spans: %s", id, blocks->len, spans->len, got);

          for (guint d = 0; d < json_array_get_length (defects); d++)
            {
              JsonObject *defect = json_array_get_object_element (defects, d);

              if (strcmp (json_object_get_string_member (defect, "entry"), id) != 0)
                continue;
              if (strcmp (json_object_get_string_member (defect, "check"), "clean") == 0)
                is_clean = TRUE;
              if (strcmp (json_object_get_string_member (defect, "check"), "omission") == 0)
                g_ptr_array_add (expected_omitted, (gpointer) json_object_get_string_member (defect, "text"));
            }
          omissions_planted += expected_omitted->len;

          for (guint k = 0; k < pairs->len; k++)
            {
              const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);
              const DeskBlock *b;
              gboolean planted = FALSE;

              if (p->translation_index >= 0)
                continue;
              b = blocks->pdata[p->original_index];
              g_assert_false (b->chrome);
              for (guint e = 0; e < expected_omitted->len; e++)
                planted |= g_str_has_prefix (b->text, expected_omitted->pdata[e]);
              if (!planted)
                g_error ("%s: block %d \"%.40s…\" reported omitted (%s)", id, p->original_index, b->text, got);
              omitted++;
            }
          g_assert_cmpuint (omitted, ==, expected_omitted->len);
          omissions_found += omitted;

          if (is_clean)
            {
              guint next_o = 0;

              clean++;
              for (guint k = 0; k < pairs->len; k++)
                {
                  const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);

                  /* Chrome before the content may be skipped, nothing else. */
                  while (next_o < blocks->len && ((DeskBlock *) blocks->pdata[next_o])->chrome &&
                         (int) next_o < p->original_index)
                    next_o++;
                  g_assert_cmpint (p->translation_index, ==, (int) k);
                  g_assert_cmpint (p->original_index, ==, (int) next_o);
                  g_assert_cmpint (p->original_count, ==, 1);
                  g_assert_cmpfloat (p->score, >, 0.3);
                  next_o++;
                }
              for (; next_o < blocks->len; next_o++)
                g_assert_true (((DeskBlock *) blocks->pdata[next_o])->chrome);
            }
        }
    }

  g_assert_cmpuint (omissions_planted, ==, 4);
  g_assert_cmpuint (omissions_found, ==, omissions_planted);
  g_assert_cmpuint (clean, ==, 8);
}

/* Drops each translated paragraph of every entry without a planted
 * omission in turn: the aligner must then report exactly the original that
 * paragraph translated. Not every case is decidable from lengths and
 * anchors alone (two neighbours of equal length without numbers), so the
 * bar is a rate, printed with the misses. */
static void
test_leave_one_out (void)
{
  const char *files[] = { "articles.json", "papers-and-videos.json" };
  guint trials = 0, exact = 0;

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *entries = load_sample (files[f], parser);

      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonObject *entry = json_array_get_object_element (entries, i);
          const char *html = json_object_get_string_member (json_object_get_object_member (entry, "original"), "html");
          const char *body = body_of_entry (entry);
          g_autoptr(GPtrArray) blocks = NULL;
          g_autoptr(GArray) spans = NULL;
          g_autoptr(GArray) full = align_texts (html, body, &blocks, &spans);

          if (spans->len < 2)
            continue;
          for (guint k = 0; k < full->len; k++)
            if (g_array_index (full, DeskAlignPair, k).translation_index < 0)
              goto next_entry;

          for (guint drop = 0; drop < spans->len; drop++)
            {
              const DeskSpan *span = &g_array_index (spans, DeskSpan, drop);
              int orig = desk_align_original_for (full, drop);
              g_autoptr(GString) md = g_string_new (NULL);
              g_autoptr(GArray) pairs = NULL;
              guint omitted = 0;
              gboolean hit = FALSE;

              if (orig < 0 || ((DeskBlock *) blocks->pdata[orig])->chrome)
                continue;
              g_string_append_len (md, body, span->start);
              g_string_append (md, body + span->end);
              pairs = align_texts (html, md->str, NULL, NULL);
              for (guint k = 0; k < pairs->len; k++)
                {
                  const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);

                  if (p->translation_index < 0)
                    {
                      omitted++;
                      hit |= p->original_index == orig;
                    }
                }
              trials++;
              if (omitted == 1 && hit)
                exact++;
              else
                g_test_message ("miss: %s without paragraph %u: %u omitted, right one %s",
                                json_object_get_string_member (entry, "id"), drop, omitted, hit ? "among them" : "not found");
            }
        next_entry:
          ;
        }
    }

  g_test_message ("leave-one-out: %u of %u omissions found exactly", exact, trials);
  g_assert_cmpuint (trials, >, 150);
  g_assert_cmpfloat ((double) exact / trials, >=, 0.95);
}

static void
assert_pairs_equal (GArray *a,
                    GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint k = 0; k < a->len; k++)
    {
      const DeskAlignPair *x = &g_array_index (a, DeskAlignPair, k), *y = &g_array_index (b, DeskAlignPair, k);

      g_assert_cmpint (x->translation_index, ==, y->translation_index);
      g_assert_cmpint (x->original_index, ==, y->original_index);
      g_assert_cmpint (x->original_count, ==, y->original_count);
      g_assert_cmpfloat_with_epsilon (x->score, y->score, 1e-6);
    }
}

/* The aligner kept across edits gives what a fresh alignment gives, and
 * computes again only from the edited block: a long synthetic entry (over
 * the band's threshold) edited at its end, its middle and its start, then
 * a paragraph deleted and typed back. */
static void
test_aligner_incremental (void)
{
  GString *html = g_string_new (NULL);
  GString *md = g_string_new (NULL);
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(DeskAligner) aligner = NULL;
  static const char * const edits[] = { "end", "middle", "start", "delete", "restore" };
  char *text;

  for (int i = 0; i < 300; i++)
    {
      if (i % 40 == 17)
        {
          /* An omitted paragraph now and then. */
          g_string_append_printf (html, "<p>Paragraph %d was never translated, and it is long enough to matter.</p>", i);
          continue;
        }
      g_string_append_printf (html, "<p>Model %d of the Kestrel family runs %d.%dx faster on %d GPUs.</p>", i, i % 9, i % 7, i % 5 + 1);
      g_string_append_printf (md, "Kestrelファミリーのモデル%dは、%d基のGPUで%d.%d倍高速に動作します。\n\n", i, i % 5 + 1, i % 9, i % 7);
    }
  blocks = desk_sanitize_segment (html->str, -1, NULL);
  g_assert_nonnull (blocks);
  aligner = desk_aligner_new (blocks);
  text = g_string_free (md, FALSE);

  for (guint e = 0; e <= G_N_ELEMENTS (edits); e++)
    {
      g_autoptr(GArray) spans = desk_markdown_scan_blocks (text, -1);
      g_autoptr(GArray) kept = desk_aligner_align (aligner, spans, text);
      g_autoptr(GArray) fresh = desk_align (blocks, spans, text);
      guint columns = desk_aligner_get_last_columns (aligner);
      GString *next;
      const char *at;

      g_test_message ("after %s: %u columns computed of %u", e == 0 ? "nothing" : edits[e - 1],
                      columns, spans->len + 1);
      assert_pairs_equal (kept, fresh);
      if (e == 0)
        g_assert_cmpuint (columns, ==, spans->len + 1);
      else if (strcmp (edits[e - 1], "end") == 0)
        g_assert_cmpuint (columns, <=, 3);
      else if (strcmp (edits[e - 1], "middle") == 0)
        g_assert_cmpuint (columns, <=, spans->len / 2 + 3);
      if (e == G_N_ELEMENTS (edits))
        break;

      /* The next edit. */
      next = g_string_new (text);
      if (strcmp (edits[e], "end") == 0)
        g_string_insert (next, next->len - 2, "追記");
      else if (strcmp (edits[e], "middle") == 0)
        g_string_replace (next, "モデル150は", "モデル150（新版）は", 1);
      else if (strcmp (edits[e], "start") == 0)
        g_string_prepend (next, "冒頭");
      else if (strcmp (edits[e], "delete") == 0)
        {
          at = strstr (next->str, "Kestrelファミリーのモデル100は");
          g_string_erase (next, at - next->str, strstr (at, "\n\n") + 2 - at);
        }
      else
        g_string_insert (next, strstr (next->str, "Kestrelファミリーのモデル101は") - next->str,
                         "Kestrelファミリーのモデル100は、1基のGPUで1.2倍高速に動作します。\n\n");
      g_free (text);
      text = g_string_free (next, FALSE);
    }
  g_free (text);
  g_string_free (html, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/align/synthetic", test_synthetic);
  g_test_add_func ("/align/empty", test_empty);
  g_test_add_func ("/align/sample-corpus", test_sample_corpus);
  g_test_add_func ("/align/leave-one-out", test_leave_one_out);
  g_test_add_func ("/align/aligner-incremental", test_aligner_incremental);

  return g_test_run ();
}
