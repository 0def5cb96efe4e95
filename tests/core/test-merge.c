/* test-merge.c: the three-way merge table: disjoint fields, same field, key point lists, tags
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "desk-core.h"

#define KP3 "\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"}," \
            "{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]"
#define BASE "{\"title\":\"元の題\",\"body\":\"段落1\\n\\n段落2\",\"tldr\":\"要約\"," \
             "\"tags\":[\"LLM\",\"AI規制\",\"半導体\"]," \
             "\"importance\":{\"overall\":3,\"depth\":3,\"relevance\":3,\"practicality\":3,\"innovation\":3}," \
             KP3 ",\"impact_analysis\":\"影響\",\"editorial_comment\":\"\"}"

static DeskEditable *
editable (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = desk_json_parse (json, -1, 0, 0, &error);
  DeskEditable *fields;

  g_assert_no_error (error);
  fields = desk_editable_new_from_json (node, NULL, 0, DESK_FIELDS_ALL, FALSE, &error);
  g_assert_no_error (error);
  return fields;
}

/* @changes: a JSON object of the members to replace in BASE. */
static DeskEditable *
changed (const char *changes)
{
  g_autoptr(DeskEditable) fields = editable (BASE);
  g_autoptr(DeskEditable) delta = editable (changes);

  desk_editable_merge (fields, delta);
  return g_steal_pointer (&fields);
}

typedef struct {
  const char *name;
  const char *mine;      /* the draft: only what the editor touched */
  const char *theirs;    /* changes on the site since base */
  const char *expected;  /* changes of the merged result against base */
  DeskFields  conflicts;
} MergeCase;

static const MergeCase cases[] = {
  { "nothing", "{}", "{}", "{}", 0 },
  { "mine-only", "{\"title\":\"新しい題\"}", "{}", "{\"title\":\"新しい題\"}", 0 },
  { "theirs-only", "{}", "{\"tldr\":\"他の要約\"}", "{\"tldr\":\"他の要約\"}", 0 },
  { "disjoint-fields", "{\"title\":\"新しい題\"}", "{\"tldr\":\"他の要約\"}",
    "{\"title\":\"新しい題\",\"tldr\":\"他の要約\"}", 0 },
  { "same-field-same-value", "{\"body\":\"直した本文\"}", "{\"body\":\"直した本文\"}",
    "{\"body\":\"直した本文\"}", 0 },
  { "same-field-conflict", "{\"title\":\"私の題\"}", "{\"title\":\"彼らの題\"}",
    "{\"title\":\"彼らの題\"}", DESK_FIELD_TITLE },
  { "body-conflict-keeps-theirs", "{\"body\":\"私の本文\",\"tldr\":\"私の要約\"}",
    "{\"body\":\"彼らの本文\"}", "{\"body\":\"彼らの本文\",\"tldr\":\"私の要約\"}", DESK_FIELD_BODY },
  { "untouched-field-in-draft-equal-to-base", "{\"title\":\"元の題\"}", "{\"title\":\"彼らの題\"}",
    "{\"title\":\"彼らの題\"}", 0 },
  { "comment-conflict", "{\"editorial_comment\":\"私\"}", "{\"editorial_comment\":\"彼ら\"}",
    "{\"editorial_comment\":\"彼ら\"}", DESK_FIELD_EDITORIAL_COMMENT },

  /* importance merges per member */
  { "importance-disjoint-members",
    "{\"importance\":{\"overall\":3,\"depth\":5,\"relevance\":3,\"practicality\":3,\"innovation\":3}}",
    "{\"importance\":{\"overall\":3,\"depth\":3,\"relevance\":1,\"practicality\":3,\"innovation\":3}}",
    "{\"importance\":{\"overall\":3,\"depth\":5,\"relevance\":1,\"practicality\":3,\"innovation\":3}}", 0 },
  { "importance-same-member",
    "{\"importance\":{\"overall\":4,\"depth\":3,\"relevance\":3,\"practicality\":3,\"innovation\":3}}",
    "{\"importance\":{\"overall\":2,\"depth\":3,\"relevance\":3,\"practicality\":3,\"innovation\":3}}",
    "{\"importance\":{\"overall\":2,\"depth\":3,\"relevance\":3,\"practicality\":3,\"innovation\":3}}",
    DESK_FIELD_IMPORTANCE },

  /* tags merge as a set */
  { "tags-add-and-remove", "{\"tags\":[\"LLM\",\"AI規制\",\"半導体\",\"エージェント\"]}",
    "{\"tags\":[\"LLM\",\"半導体\"]}", "{\"tags\":[\"LLM\",\"半導体\",\"エージェント\"]}", 0 },
  { "tags-both-add-same", "{\"tags\":[\"LLM\",\"AI規制\",\"半導体\",\"安全性\"]}",
    "{\"tags\":[\"安全性\",\"LLM\",\"AI規制\",\"半導体\"]}",
    "{\"tags\":[\"安全性\",\"LLM\",\"AI規制\",\"半導体\"]}", 0 },
  { "tags-mine-removes-theirs-adds", "{\"tags\":[\"LLM\",\"AI規制\"]}",
    "{\"tags\":[\"LLM\",\"AI規制\",\"半導体\",\"GPU\"]}", "{\"tags\":[\"LLM\",\"AI規制\",\"GPU\"]}", 0 },
  { "tags-over-ten", "{\"tags\":[\"LLM\",\"AI規制\",\"半導体\",\"a\",\"b\",\"c\",\"d\"]}",
    "{\"tags\":[\"LLM\",\"AI規制\",\"半導体\",\"e\",\"f\",\"g\",\"h\"]}",
    "{\"tags\":[\"LLM\",\"AI規制\",\"半導体\",\"e\",\"f\",\"g\",\"h\"]}", DESK_FIELD_TAGS },
  { "tags-none-left", "{\"tags\":[\"LLM\"]}", "{\"tags\":[\"AI規制\",\"半導体\"]}",
    "{\"tags\":[\"AI規制\",\"半導体\"]}", DESK_FIELD_TAGS },

  /* key point lists */
  { "key-points-different-items",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"直した本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"新見出しC\",\"body\":\"本文C\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"直した本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"新見出しC\",\"body\":\"本文C\"}]}", 0 },
  { "key-points-same-item-heading-and-body",
    "{\"key_points\":[{\"heading\":\"私の見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"彼らの本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    "{\"key_points\":[{\"heading\":\"私の見出しA\",\"body\":\"彼らの本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}", 0 },
  { "key-points-same-member-conflict",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"私のB\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"彼らのB\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"彼らのB\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    DESK_FIELD_KEY_POINTS },
  { "key-points-append-and-edit",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"},{\"heading\":\"見出しD\",\"body\":\"本文D\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"彼らのA\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"彼らのA\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"},{\"heading\":\"見出しD\",\"body\":\"本文D\"}]}", 0 },
  { "key-points-both-append",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"},{\"heading\":\"私のD\",\"body\":\"本文D\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"},{\"heading\":\"彼らのD\",\"body\":\"本文D\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"},{\"heading\":\"彼らのD\",\"body\":\"本文D\"}]}",
    DESK_FIELD_KEY_POINTS },
  { "key-points-mine-deletes-theirs-untouched",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    "{\"title\":\"彼らの題\"}",
    "{\"title\":\"彼らの題\",\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}", 0 },
  { "key-points-mine-deletes-theirs-edits",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"彼らのB\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"彼らのB\"},{\"heading\":\"見出しC\",\"body\":\"本文C\"}]}",
    DESK_FIELD_KEY_POINTS },
  { "key-points-identical-reorder",
    "{\"key_points\":[{\"heading\":\"見出しC\",\"body\":\"本文C\"},{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しC\",\"body\":\"本文C\"},{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"}]}",
    "{\"key_points\":[{\"heading\":\"見出しC\",\"body\":\"本文C\"},{\"heading\":\"見出しA\",\"body\":\"本文A\"},{\"heading\":\"見出しB\",\"body\":\"本文B\"}]}", 0 },
};

static void
test_merge_case (gconstpointer data)
{
  const MergeCase *c = data;
  g_autoptr(DeskEditable) base = editable (BASE);
  g_autoptr(DeskEditable) mine = editable (c->mine);
  g_autoptr(DeskEditable) theirs = changed (c->theirs);
  g_autoptr(DeskEditable) expected = changed (c->expected);
  g_autoptr(DeskEditable) merged = NULL;
  g_autofree char *merged_json = NULL;
  g_autofree char *expected_json = NULL;
  DeskFields conflicts = 0xffff;

  merged = desk_merge_three_way (base, mine, theirs, &conflicts);
  g_assert_nonnull (merged);
  g_assert_cmphex (merged->present & DESK_FIELDS_ALL, ==, DESK_FIELDS_ALL);

  {
    g_autoptr(JsonNode) a = desk_editable_to_json (merged);
    g_autoptr(JsonNode) b = desk_editable_to_json (expected);

    merged_json = desk_json_to_string (a, FALSE, NULL);
    expected_json = desk_json_to_string (b, FALSE, NULL);
  }
  g_assert_cmpstr (merged_json, ==, expected_json);
  g_assert_cmphex (conflicts, ==, c->conflicts);
}

/* Nothing of theirs is lost: every conflicting field holds theirs' value. */
static void
test_conflicts_keep_theirs (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DeskEditable) base = editable (BASE);
      g_autoptr(DeskEditable) mine = editable (cases[i].mine);
      g_autoptr(DeskEditable) theirs = changed (cases[i].theirs);
      g_autoptr(DeskEditable) merged = NULL;
      DeskFields conflicts = 0;

      merged = desk_merge_three_way (base, mine, theirs, &conflicts);
      for (DeskFields f = DESK_FIELD_TITLE; f <= DESK_FIELD_EDITORIAL_COMMENT; f <<= 1)
        if (conflicts & f)
          g_assert_true (desk_editable_field_equal (merged, theirs, f));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/merge/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_merge_case);
    }
  g_test_add_func ("/merge/conflicts-keep-theirs", test_conflicts_keep_theirs);

  return g_test_run ();
}
