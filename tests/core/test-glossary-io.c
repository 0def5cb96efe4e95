/* test-glossary-io.c: tests of the glossary's CSV and prh.yml import and export
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "desk-core.h"

static DeskGlossaryTerm *
term_at (GPtrArray *terms,
         guint      i)
{
  g_assert_cmpuint (i, <, terms->len);
  return g_ptr_array_index (terms, i);
}

static char *
joined (const DeskGlossaryTerm *term)
{
  return g_strjoinv ("|", term->forbidden);
}

static void
assert_term (GPtrArray  *terms,
             guint       i,
             const char *source,
             const char *target,
             const char *forbidden,
             const char *note)
{
  DeskGlossaryTerm *term = term_at (terms, i);
  g_autofree char *f = joined (term);

  g_assert_cmpstr (term->source, ==, source);
  g_assert_cmpstr (term->target, ==, target);
  g_assert_cmpstr (f, ==, forbidden);
  if (note != NULL)
    g_assert_cmpstr (term->note, ==, note);
}

/* ---- prh ---------------------------------------------------------------------- */

static const char prh_three[] =
  "# 表記ゆれの辞書\n"
  "version: 1\n"
  "rules:\n"
  "  - expected: ソフトウェア\n"
  "    pattern: ソフトウエア\n"
  "  - expected: ハードウェア   # コメント\n"
  "    pattern:\n"
  "      - ハードウエア\n"
  "      - \"ハード・ウェア\"\n"
  "      - /ハードウ[エヱ]ア/\n"
  "    specs:\n"
  "      - from: ハードウエアを買う\n"
  "        to: ハードウェアを買う\n"
  "  - expected: 'Web サイト'\n"
  "    pattern: [ウェブサイト, 'Webサイト', ウエブサイト]\n"
  "    prh: 「Web サイト」に統一（#記号を含む説明）\n";

static void
test_prh_three_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = NULL;
  guint n_regex = 99;

  terms = desk_glossary_prh_parse (prh_three, -1, &n_regex, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (terms->len, ==, 3);
  assert_term (terms, 0, "ソフトウェア", "ソフトウェア", "ソフトウエア", "");
  assert_term (terms, 1, "ハードウェア", "ハードウェア", "ハードウエア|ハード・ウェア",
               "prh: /ハードウ[エヱ]ア/");
  assert_term (terms, 2, "Web サイト", "Web サイト", "ウェブサイト|Webサイト|ウエブサイト",
               "「Web サイト」に統一（#記号を含む説明）");
  g_assert_cmpuint (n_regex, ==, 1);
}

/* The three rules merged into a glossary: the existing term whose target is
 * an expected text gains the variants; the others are added. */
static void
test_prh_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = NULL;
  g_autoptr(DeskGlossary) glossary = desk_glossary_new ();
  DeskGlossaryTerm *software = desk_glossary_term_new ("software", "ソフトウェア");
  guint added = 0, updated = 0;
  g_autofree char *f = NULL;

  g_free (software->note);
  software->note = g_strdup ("IT 用語");
  g_ptr_array_add (glossary->terms, software);
  terms = desk_glossary_prh_parse (prh_three, -1, NULL, &error);
  g_assert_no_error (error);
  desk_glossary_merge_terms (glossary, terms, DESK_GLOSSARY_MERGE_ADD_VARIANTS, &added, &updated);
  g_assert_cmpuint (added, ==, 2);
  g_assert_cmpuint (updated, ==, 1);
  g_assert_cmpuint (glossary->terms->len, ==, 3);
  assert_term (glossary->terms, 0, "software", "ソフトウェア", "ソフトウエア", "IT 用語");

  /* Importing again changes nothing. */
  desk_glossary_merge_terms (glossary, terms, DESK_GLOSSARY_MERGE_ADD_VARIANTS, &added, &updated);
  g_assert_cmpuint (added, ==, 0);
  g_assert_cmpuint (updated, ==, 0);
  g_assert_cmpuint (glossary->terms->len, ==, 3);
}

static void
test_prh_yaml_subset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = NULL;
  const char *text =
    "---\r\n"
    "version: 1\r\n"
    "rules:\r\n"
    "- expected: \"A\\u3042\\\"#\"\r\n"      /* a sequence at the key's indentation */
    "  pattern:\r\n"
    "  - 'it''s'\r\n"
    "  options:\r\n"
    "    wordBoundary: true\r\n"
    "  prh: |\r\n"
    "    一行目 # これはコメントではない\r\n"
    "    二行目\r\n"
    "\r\n"
    "- expected: 引数\r\n"
    "  pattern: 引き数\r\n"
    "- expected: 引数\r\n"                     /* the same expected: merged */
    "  pattern: [ひきすう, 引き数]\r\n"
    "  prh: >-\r\n"
    "    折り返し\r\n"
    "    の説明\r\n"
    "...\r\n";

  terms = desk_glossary_prh_parse (text, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (terms->len, ==, 2);
  assert_term (terms, 0, "Aあ\"#", "Aあ\"#", "it's", "一行目 # これはコメントではない\n二行目");
  assert_term (terms, 1, "引数", "引数", "引き数|ひきすう", "折り返し の説明");
}

typedef struct {
  const char *text;
  int         code;
  const char *line;   /* "Line N:" expected in the message */
} BadCase;

static void
test_prh_malformed (void)
{
  static const BadCase cases[] = {
    { "version: 1\nrules:\n  - expected: a\n   pattern: b\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 4:" },
    { "version: 1\nrules:\n  - expected: \"a\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 3:" },
    { "version: 1\nrules:\n\t- expected: a\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 3:" },
    { "version: 1\nrules:\n  - expected: a\n    pattern: b\n    just text\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 5:" },
    { "version: 1\nrules:\n  - expected: a\n    expected: b\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 4:" },
    { "version: 2\nrules: []\n", DESK_GLOSSARY_IO_ERROR_INVALID, "Line 1:" },
    { "rules:\n  - expected: a\n", DESK_GLOSSARY_IO_ERROR_INVALID, "Line 1:" },
    { "version: 1\nrules:\n  - pattern: a\n", DESK_GLOSSARY_IO_ERROR_INVALID, "Line 3:" },
    { "version: 1\nrules:\n  - expected: a\n    pattern: {a: b}\n", DESK_GLOSSARY_IO_ERROR_UNSUPPORTED, "Line 4:" },
    { "version: 1\nrules:\n  - expected: &x a\n", DESK_GLOSSARY_IO_ERROR_UNSUPPORTED, "Line 3:" },
    { "version: 1\nimports:\n  - ./other.yml\n", DESK_GLOSSARY_IO_ERROR_UNSUPPORTED, "Line 3:" },
    { "version: 1\nrules:\n  - expected: a\n    specs:\n      - from: x\n", DESK_GLOSSARY_IO_ERROR_INVALID, "Line 5:" },
    { "version: 1\nrules: a\n", DESK_GLOSSARY_IO_ERROR_INVALID, "Line 2:" },
    { "- a\n- b\n", DESK_GLOSSARY_IO_ERROR_INVALID, "Line 1:" },
    { "version: 1\nrules:\n  - expected: \"\\q\"\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 3:" },
    { "version: 1\nrules:\n  - expected: a\n  pattern: b\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 4:" },
    { "version: 1\n\xff\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 2:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) terms = desk_glossary_prh_parse (cases[i].text, -1, NULL, &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(no error)");
      g_assert_null (terms);
      g_assert_error (error, DESK_GLOSSARY_IO_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, cases[i].line));
    }
}

static void
test_prh_empty_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = desk_glossary_prh_parse ("version: 1\nrules:\n", -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (terms->len, ==, 0);
}

/* ---- CSV ---------------------------------------------------------------------- */

static void
test_csv_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_glossary_term_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *again = NULL;
  DeskGlossaryTerm *t;

  t = desk_glossary_term_new ("large language model", "大規模言語モデル");
  g_strfreev (t->forbidden);
  t->forbidden = g_strdupv ((char **) (const char *[]) { "大型言語モデル", "巨大言語モデル", NULL });
  g_free (t->note);
  t->note = g_strdup ("略称は \"LLM\", 初出で併記");
  g_ptr_array_add (terms, t);
  t = desk_glossary_term_new ("fine-tuning, full", "フルファインチューニング");
  g_free (t->note);
  t->note = g_strdup ("一行目\n二行目\r\n三行目");
  g_ptr_array_add (terms, t);
  g_ptr_array_add (terms, desk_glossary_term_new ("\"quoted\"", "引用"));

  csv = desk_glossary_csv_write (terms, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv, "source,target,forbidden,note\r\n"));
  g_assert_nonnull (strstr (csv, "\"略称は \"\"LLM\"\", 初出で併記\""));

  back = desk_glossary_csv_parse (csv, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 3);
  assert_term (back, 0, "large language model", "大規模言語モデル", "大型言語モデル|巨大言語モデル",
               "略称は \"LLM\", 初出で併記");
  assert_term (back, 1, "fine-tuning, full", "フルファインチューニング", "", "一行目\n二行目\r\n三行目");
  assert_term (back, 2, "\"quoted\"", "引用", "", "");

  again = desk_glossary_csv_write (back, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, csv);
}

static void
test_csv_lenient_forms (void)
{
  g_autoptr(GError) error = NULL;
  /* BOM, no header, LF ends, 2 and 3 fields, blank line, no final newline. */
  g_autoptr(GPtrArray) terms =
    desk_glossary_csv_parse ("\xef\xbb\xbf" "GPU,GPU\n\ninference, 推論 ,推定| 推理 |\nagent,エージェント,,", -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (terms->len, ==, 3);
  assert_term (terms, 0, "GPU", "GPU", "", "");
  assert_term (terms, 1, "inference", "推論", "推定|推理", "");
  assert_term (terms, 2, "agent", "エージェント", "", "");
}

static void
test_csv_malformed (void)
{
  static const BadCase cases[] = {
    { "source,target\na,b\n\"c,d\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 3:" },
    { "a,b\nc\"d,e\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 2:" },
    { "a,b\n\"c\"x,d\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 2:" },
    { "a,b\n\"multi\nline\",b,c,d,e\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 2:" },
    { "a,b\nonly\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 2:" },
    { "a,b\n,c\n", DESK_GLOSSARY_IO_ERROR_INVALID, "Line 2:" },
    { "a,b\nx,y\na,c\n", DESK_GLOSSARY_IO_ERROR_INVALID, "Line 3:" },
    { "a,b\rc,d\n", DESK_GLOSSARY_IO_ERROR_SYNTAX, "Line 1:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) terms = desk_glossary_csv_parse (cases[i].text, -1, &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(no error)");
      g_assert_null (terms);
      g_assert_error (error, DESK_GLOSSARY_IO_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, cases[i].line));
    }
}

static void
test_csv_write_refuses_bar (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_glossary_term_free);
  DeskGlossaryTerm *t = desk_glossary_term_new ("a", "b");
  g_autofree char *csv = NULL;

  g_strfreev (t->forbidden);
  t->forbidden = g_strdupv ((char **) (const char *[]) { "x|y", NULL });
  g_ptr_array_add (terms, t);
  csv = desk_glossary_csv_write (terms, &error);
  g_assert_null (csv);
  g_assert_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_INVALID);
}

static void
test_csv_merge_replaces (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskGlossary) glossary = desk_glossary_new ();
  g_autoptr(GPtrArray) terms = desk_glossary_csv_parse ("GPU,ジーピーユー\nTPU,TPU\n", -1, &error);
  guint added, updated;

  g_assert_no_error (error);
  g_ptr_array_add (glossary->terms, desk_glossary_term_new ("GPU", "GPU"));
  desk_glossary_merge_terms (glossary, terms, DESK_GLOSSARY_MERGE_REPLACE, &added, &updated);
  g_assert_cmpuint (added, ==, 1);
  g_assert_cmpuint (updated, ==, 1);
  assert_term (glossary->terms, 0, "GPU", "ジーピーユー", "", "");
  assert_term (glossary->terms, 1, "TPU", "TPU", "", "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/glossary-io/prh/three-rules", test_prh_three_rules);
  g_test_add_func ("/glossary-io/prh/merge", test_prh_merge);
  g_test_add_func ("/glossary-io/prh/yaml-subset", test_prh_yaml_subset);
  g_test_add_func ("/glossary-io/prh/malformed", test_prh_malformed);
  g_test_add_func ("/glossary-io/prh/empty-rules", test_prh_empty_rules);
  g_test_add_func ("/glossary-io/csv/round-trip", test_csv_round_trip);
  g_test_add_func ("/glossary-io/csv/lenient-forms", test_csv_lenient_forms);
  g_test_add_func ("/glossary-io/csv/malformed", test_csv_malformed);
  g_test_add_func ("/glossary-io/csv/write-refuses-bar", test_csv_write_refuses_bar);
  g_test_add_func ("/glossary-io/csv/merge-replaces", test_csv_merge_replaces);
  return g_test_run ();
}
