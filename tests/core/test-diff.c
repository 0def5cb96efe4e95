/* test-diff.c: tests of desk_diff() and desk_edit_distance_ratio()
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "desk-core.h"

/* Writes the ops compactly: "=3" equal, "-2" delete, "+1" insert, with the
 * text each covers, e.g. "=[今日は]-[晴れ]+[雨]". */
static char *
describe (const char *a,
          const char *b,
          GArray     *ops)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ops->len; i++)
    {
      const DeskDiffOp *op = &g_array_index (ops, DeskDiffOp, i);
      const char *src = op->kind == DESK_DIFF_INSERT ? b : a;
      gsize start = op->kind == DESK_DIFF_INSERT ? op->b_start : op->a_start;
      gsize end = op->kind == DESK_DIFF_INSERT ? op->b_end : op->a_end;
      const char *p = g_utf8_offset_to_pointer (src, start);
      const char *q = g_utf8_offset_to_pointer (src, end);

      g_string_append_c (out, op->kind == DESK_DIFF_EQUAL ? '=' : op->kind == DESK_DIFF_INSERT ? '+' : '-');
      g_string_append_c (out, '[');
      g_string_append_len (out, p, q - p);
      g_string_append_c (out, ']');
    }

  return g_string_free (out, FALSE);
}

/* The ops cover both texts in order without gaps, and applying them to @a
 * gives @b. */
static void
check_ops (const char *a,
           const char *b,
           GArray     *ops)
{
  g_autoptr(GString) rebuilt = g_string_new (NULL);
  gsize pa = 0, pb = 0;
  glong na = g_utf8_strlen (a, -1), nb = g_utf8_strlen (b, -1);

  for (guint i = 0; i < ops->len; i++)
    {
      const DeskDiffOp *op = &g_array_index (ops, DeskDiffOp, i);
      const char *p, *q;

      g_assert_cmpuint (op->a_start, ==, pa);
      g_assert_cmpuint (op->b_start, ==, pb);
      g_assert_cmpuint (op->a_end, >=, op->a_start);
      g_assert_cmpuint (op->b_end, >=, op->b_start);
      if (i > 0)
        g_assert_cmpint (op->kind, !=, g_array_index (ops, DeskDiffOp, i - 1).kind);

      switch (op->kind)
        {
        case DESK_DIFF_EQUAL:
          g_assert_cmpuint (op->a_end - op->a_start, ==, op->b_end - op->b_start);
          g_assert_cmpuint (op->a_end, >, op->a_start);
          p = g_utf8_offset_to_pointer (a, op->a_start);
          q = g_utf8_offset_to_pointer (a, op->a_end);
          g_assert_true (strncmp (p, g_utf8_offset_to_pointer (b, op->b_start), q - p) == 0);
          g_string_append_len (rebuilt, p, q - p);
          break;
        case DESK_DIFF_DELETE:
          g_assert_cmpuint (op->b_end, ==, op->b_start);
          g_assert_cmpuint (op->a_end, >, op->a_start);
          break;
        case DESK_DIFF_INSERT:
          g_assert_cmpuint (op->a_end, ==, op->a_start);
          g_assert_cmpuint (op->b_end, >, op->b_start);
          p = g_utf8_offset_to_pointer (b, op->b_start);
          q = g_utf8_offset_to_pointer (b, op->b_end);
          g_string_append_len (rebuilt, p, q - p);
          break;
        default:
          g_assert_not_reached ();
        }
      pa = op->a_end;
      pb = op->b_end;
    }

  g_assert_cmpuint (pa, ==, (gsize) na);
  g_assert_cmpuint (pb, ==, (gsize) nb);
  g_assert_cmpstr (rebuilt->str, ==, b);
}

static const struct {
  const char          *a;
  const char          *b;
  DeskDiffGranularity  g;
  const char          *expected;
} cases[] = {
  { "", "", DESK_DIFF_AUTO, "" },
  { "同じ文です。", "同じ文です。", DESK_DIFF_AUTO, "=[同じ文です。]" },
  { "", "新しい", DESK_DIFF_AUTO, "+[新しい]" },
  { "消える", "", DESK_DIFF_AUTO, "-[消える]" },
  { "今日は晴れです。", "今日は雨です。", DESK_DIFF_AUTO, "=[今日は]-[晴れ]+[雨]=[です。]" },
  { "サーバ設計", "サーバー設計", DESK_DIFF_AUTO, "=[サーバ]+[ー]=[設計]" },
  { "the quick brown fox", "the quick red fox", DESK_DIFF_AUTO, "=[the quick ]-[brown]+[red]=[ fox]" },
  { "the quick brown fox", "the quick red fox", DESK_DIFF_WORD, "=[the quick ]-[brown]+[red]=[ fox]" },
  { "the quick brown fox", "the quick red fox", DESK_DIFF_CHAR, "=[the quick ]-[b]=[r]-[own]+[ed]=[ fox]" },
  { "modeling", "modelling", DESK_DIFF_AUTO, "-[modeling]+[modelling]" },
  { "modeling", "modelling", DESK_DIFF_CHAR, "=[model]+[l]=[ing]" },
  { "Kestrel 2は3.2倍高速", "Kestrel 2は2.3倍高速", DESK_DIFF_AUTO, "=[Kestrel 2は]-[3.]=[2]+[.3]=[倍高速]" },
  { "GPT4を使う", "GPT5を使う", DESK_DIFF_AUTO, "-[GPT4]+[GPT5]=[を使う]" },
  { "絵文字🎉です", "絵文字🎊です", DESK_DIFF_AUTO, "=[絵文字]-[🎉]+[🎊]=[です]" },
  { "日本語の文", "日本語の文", DESK_DIFF_WORD, "=[日本語の文]" },
  { "日本語の文", "日本語と文", DESK_DIFF_WORD, "-[日本語の文]+[日本語と文]" },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) ops = desk_diff (cases[i].a, cases[i].b, cases[i].g);
      g_autofree char *got = describe (cases[i].a, cases[i].b, ops);

      check_ops (cases[i].a, cases[i].b, ops);
      if (strcmp (got, cases[i].expected) != 0)
        g_error ("case %u: \"%s\" → \"%s\": got %s, expected %s",
                 i, cases[i].a, cases[i].b, got, cases[i].expected);
    }
}

static const char * const alphabet[] = {
  "a", "b", "c", "x", "Z", "0", "7", " ", " ", "\n", ",", ".", "-",
  "日", "本", "語", "の", "は", "で", "す", "ア", "イ", "ー", "。", "、", "「", "」",
  "é", "ß", "🎉", "👍🏽", "\xe2\x80\x8d", "한",
};

static char *
random_text (GRand *rand,
             guint  max_len)
{
  GString *s = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 0, max_len + 1);

  for (guint i = 0; i < n; i++)
    g_string_append (s, alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))]);
  return g_string_free (s, FALSE);
}

/* Edits @a at random, so that the pair shares most of its text. */
static char *
mutate (GRand      *rand,
        const char *a)
{
  g_autofree gunichar *chars = NULL;
  GString *s = g_string_new (NULL);
  glong n = 0;

  chars = g_utf8_to_ucs4_fast (a, -1, &n);
  for (glong i = 0; i < n; i++)
    {
      int r = g_rand_int_range (rand, 0, 100);

      if (r < 5)
        continue;
      if (r < 10)
        g_string_append (s, alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))]);
      g_string_append_unichar (s, chars[i]);
    }
  return g_string_free (s, FALSE);
}

static void
test_property (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);

  for (guint round = 0; round < 400; round++)
    {
      g_autofree char *a = random_text (rand, 60);
      g_autofree char *b = round % 2 ? random_text (rand, 60) : mutate (rand, a);

      for (DeskDiffGranularity g = DESK_DIFF_CHAR; g <= DESK_DIFF_AUTO; g++)
        {
          g_autoptr(GArray) ops = desk_diff (a, b, g);
          check_ops (a, b, ops);
        }

      {
        double r = desk_edit_distance_ratio (a, b);

        g_assert_cmpfloat (r, >=, 0.0);
        g_assert_cmpfloat (r, <=, 1.0);
        g_assert_true ((r == 0.0) == (strcmp (a, b) == 0));
      }
    }
}

/* Myers' algorithm finds the shortest script: on small inputs, compare the
 * number of edited code points with a plain LCS table. */
static void
test_minimal (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 200; round++)
    {
      g_autofree char *a = random_text (rand, 25);
      g_autofree char *b = mutate (rand, a);
      g_autofree gunichar *ua = NULL;
      g_autofree gunichar *ub = NULL;
      g_autofree guint *lcs = NULL;
      g_autoptr(GArray) ops = desk_diff (a, b, DESK_DIFF_CHAR);
      glong na = 0, nb = 0;
      gsize edits = 0;

      ua = g_utf8_to_ucs4_fast (a, -1, &na);
      ub = g_utf8_to_ucs4_fast (b, -1, &nb);
      lcs = g_new0 (guint, (na + 1) * (nb + 1));
      for (glong i = na - 1; i >= 0; i--)
        for (glong j = nb - 1; j >= 0; j--)
          lcs[i * (nb + 1) + j] = ua[i] == ub[j] ? lcs[(i + 1) * (nb + 1) + j + 1] + 1
                                                  : MAX (lcs[(i + 1) * (nb + 1) + j], lcs[i * (nb + 1) + j + 1]);

      for (guint k = 0; k < ops->len; k++)
        {
          const DeskDiffOp *op = &g_array_index (ops, DeskDiffOp, k);
          edits += (op->a_end - op->a_start) * (op->kind == DESK_DIFF_DELETE) +
                   (op->b_end - op->b_start) * (op->kind == DESK_DIFF_INSERT);
        }
      g_assert_cmpuint (edits, ==, na + nb - 2 * lcs[0]);
    }
}

static void
test_ratio (void)
{
  g_assert_cmpfloat (desk_edit_distance_ratio ("", ""), ==, 0.0);
  g_assert_cmpfloat (desk_edit_distance_ratio ("同じ", "同じ"), ==, 0.0);
  g_assert_cmpfloat (desk_edit_distance_ratio ("", "新しい"), ==, 1.0);
  g_assert_cmpfloat (desk_edit_distance_ratio ("あいう", "かきく"), ==, 1.0);
  /* 10 tokens, one substituted. */
  g_assert_cmpfloat_with_epsilon (desk_edit_distance_ratio ("今日は晴れですね。", "今日は雨ですね。"), 2.0 / 9.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (desk_edit_distance_ratio ("サーバ設計", "サーバー設計"), 1.0 / 6.0, 1e-9);
  /* "the quick brown fox": 7 tokens, one word replaced. */
  g_assert_cmpfloat_with_epsilon (desk_edit_distance_ratio ("the quick brown fox", "the quick red fox"), 1.0 / 7.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (desk_edit_distance_ratio ("a b", "a b c d"), 4.0 / 7.0, 1e-9);
}

static char *
big_text (GRand *rand,
          gsize  bytes)
{
  static const char * const words[] = {
    "推論", "モデル", "の", "は", "を", "で", "学習", "データ", "します。", "、",
    "Kestrel", " ", "2.3倍", "GPU", "研究者", "\n\n", "ライセンス", "公開",
  };
  GString *s = g_string_new (NULL);

  while (s->len < bytes)
    g_string_append (s, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
  return g_string_free (s, FALSE);
}

/* Large inputs give correct scripts; their speed is a benchmark's business,
 * not a unit test's. */
static void
test_large (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (50);
  g_autofree char *a = big_text (rand, 50 * 1024);
  g_autofree char *edited = mutate (rand, a);
  g_autofree char *other = big_text (rand, 50 * 1024);
  g_autoptr(GArray) ops_edited = NULL;
  g_autoptr(GArray) ops_other = NULL;

  ops_edited = desk_diff (a, edited, DESK_DIFF_AUTO);
  /* Unrelated texts: the bounded search still ends with a valid script. */
  ops_other = desk_diff (a, other, DESK_DIFF_AUTO);

  check_ops (a, edited, ops_edited);
  check_ops (a, other, ops_other);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diff/table", test_table);
  g_test_add_func ("/diff/property", test_property);
  g_test_add_func ("/diff/minimal", test_minimal);
  g_test_add_func ("/diff/ratio", test_ratio);
  g_test_add_func ("/diff/large", test_large);

  return g_test_run ();
}
