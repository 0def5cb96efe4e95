/* test-entry.c: entries, their parts and the other API documents, read and written strictly
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "desk-core.h"

/* All data below is synthetic. Written compactly in contract order, so the
 * writer must give back exactly these bytes. */

#define SOURCE_JSON \
  "{\"name\":\"Synthetic Weekly\",\"url\":\"https://example.org/p/synthetic-001\"," \
  "\"published_at\":\"2026-05-11T21:46:00+09:00\",\"language\":\"en\"}"

#define MACHINE_JSON \
  "{\"title\":\"機械訳タイトル\",\"body\":\"機械訳の本文\",\"tldr\":\"機械訳の要約\"," \
  "\"tags\":[\"AI\"],\"importance\":{\"overall\":3,\"depth\":4,\"relevance\":3,\"practicality\":3,\"innovation\":2}," \
  "\"key_points\":[],\"impact_analysis\":\"機械訳の影響分析\"}"

#define EDITABLE_JSON \
  "\"title\":\"合成週報 1：テスト\",\"body\":\"本文です。\\n\\n- 箇条書き\\n- \\\"引用\\\"\"," \
  "\"tldr\":\"要約です。\",\"tags\":[\"AI規制\",\"ガバナンス\"]," \
  "\"importance\":{\"overall\":4,\"depth\":5,\"relevance\":5,\"practicality\":3,\"innovation\":4}," \
  "\"key_points\":[{\"heading\":\"見出し1\",\"body\":\"本文1\"},{\"heading\":\"見出し2\",\"body\":\"本文2\"}," \
  "{\"heading\":\"見出し3\",\"body\":\"本文3\"}]," \
  "\"impact_analysis\":\"影響分析です。\",\"editorial_comment\":\"\""

#define HEAD_JSON \
  "\"id\":\"2026-05-11-synthetic-001\",\"revision\":3,\"status\":\"in_review\",\"kind\":\"article\"," \
  "\"source\":" SOURCE_JSON "," \
  "\"collected_at\":\"2026-05-11T22:10:00+09:00\",\"analyzed_at\":\"2026-05-11T23:04:00+09:00\"," \
  "\"updated_at\":\"2026-05-12T09:15:00+09:00\",\"reading_minutes\":23,"

#define LOCK_JSON \
  "{\"editor\":\"sato\",\"acquired_at\":\"2026-05-12T09:10:00+09:00\",\"expires_at\":\"2026-05-12T09:12:00+09:00\"}"

static const char full_json[] =
  "{" HEAD_JSON
  "\"original\":{\"title\":\"Synthetic Weekly 1: test data\",\"html\":\"<p>Synthetic <b>test</b></p><script>x()</script>\"},"
  EDITABLE_JSON ","
  "\"machine\":" MACHINE_JSON ","
  "\"lock\":" LOCK_JSON ","
  "\"published\":null}";

static const char summary_json[] =
  "{" HEAD_JSON
  "\"original\":{\"title\":\"Synthetic Weekly 1: test data\"},"
  "\"title\":\"合成週報 1：テスト\","
  "\"tldr\":\"要約です。\",\"tags\":[\"AI規制\",\"ガバナンス\"],"
  "\"importance\":{\"overall\":4,\"depth\":5,\"relevance\":5,\"practicality\":3,\"innovation\":4},"
  "\"key_points\":[{\"heading\":\"見出し1\",\"body\":\"本文1\"}],"
  "\"impact_analysis\":\"影響分析です。\",\"editorial_comment\":\"確認済み\","
  "\"lock\":null,"
  "\"published\":{\"url\":\"https://example.org/news/2026-05-11-synthetic-001\",\"at\":\"2026-05-12T10:00:00Z\"}}";

static const char pipeline_json[] =
  "{\"id\":\"2026-05-11-synthetic-002\",\"kind\":\"paper\","
  "\"source\":{\"name\":\"Synthetic Papers\",\"url\":\"http://example.org/paper/2\",\"published_at\":null,\"language\":\"en-US\"},"
  "\"collected_at\":\"2026-05-11T22:10:00.250+09:00\",\"analyzed_at\":null,\"reading_minutes\":null,"
  "\"original\":{\"title\":\"A synthetic paper\",\"html\":\"<html><body>x</body></html>\"},"
  "\"machine\":" MACHINE_JSON "}";

/* ---- helpers --------------------------------------------------------------- */

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = desk_json_parse (json, -1, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
write_node (JsonNode *node)
{
  return desk_json_to_string (node, FALSE, NULL);
}

static DeskEntry *
read_entry (const char    *json,
            DeskEntryForm  form)
{
  g_autoptr(GError) error = NULL;
  DeskEntry *entry = desk_entry_new_from_data (json, -1, form, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry;
}

/* Descends "a.b[2].c" to the object holding the last member. */
static JsonObject *
walk_to_parent (JsonNode    *root,
                const char  *path,
                const char **last)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);
  JsonNode *node = root;
  static char last_buf[128];

  for (guint i = 0; i + 1 < n; i++)
    {
      char *bracket = strchr (parts[i], '[');

      if (bracket != NULL)
        {
          guint index = (guint) g_ascii_strtoull (bracket + 1, NULL, 10);

          *bracket = '\0';
          node = json_object_get_member (json_node_get_object (node), parts[i]);
          node = json_array_get_element (json_node_get_array (node), index);
        }
      else
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      g_assert_nonnull (node);
    }

  g_strlcpy (last_buf, parts[n - 1], sizeof last_buf);
  *last = last_buf;
  return json_node_get_object (node);
}

/* Sets @path to the JSON @value, or removes it when @value is NULL. */
static void
mutate (JsonNode   *root,
        const char *path,
        const char *value)
{
  const char *last;
  JsonObject *parent = walk_to_parent (root, path, &last);

  if (value == NULL)
    {
      g_assert_true (json_object_has_member (parent, last));
      json_object_remove_member (parent, last);
    }
  else
    json_object_set_member (parent, last, parse (value));
}

static GError *
read_error (const char    *json,
            DeskEntryForm  form,
            const char    *path,
            const char    *value)
{
  g_autoptr(JsonNode) root = parse (json);
  g_autoptr(DeskEntry) entry = NULL;
  GError *error = NULL;

  if (path != NULL)
    mutate (root, path, value);
  entry = desk_entry_new_from_json (root, form, &error);
  g_assert_null (entry);
  g_assert_nonnull (error);
  return error;
}

/* ---- enums and value checks ------------------------------------------------ */

static void
test_enums (void)
{
  DeskEntryStatus status;
  DeskEntryKind kind;
  DeskHouseStyle style;
  DeskFields field;
  const char *statuses[] = { "incoming", "in_review", "approved", "published", "rejected" };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_assert_true (desk_entry_status_from_string (statuses[i], &status));
      g_assert_cmpint (status, ==, i);
      g_assert_cmpstr (desk_entry_status_to_string (status), ==, statuses[i]);
    }
  g_assert_false (desk_entry_status_from_string ("draft", &status));
  g_assert_false (desk_entry_status_from_string ("in-review", &status));
  g_assert_false (desk_entry_status_from_string (NULL, &status));

  g_assert_true (desk_entry_kind_from_string ("video", &kind));
  g_assert_cmpint (kind, ==, DESK_ENTRY_KIND_VIDEO);
  g_assert_cmpstr (desk_entry_kind_to_string (DESK_ENTRY_KIND_PAPER), ==, "paper");
  g_assert_false (desk_entry_kind_from_string ("podcast", &kind));

  g_assert_true (desk_house_style_from_string ("de-aru", &style));
  g_assert_cmpint (style, ==, DESK_HOUSE_STYLE_DE_ARU);
  g_assert_cmpstr (desk_house_style_to_string (DESK_HOUSE_STYLE_ANY), ==, "any");
  g_assert_false (desk_house_style_from_string ("de_aru", &style));

  g_assert_true (desk_field_from_string ("key_points", &field));
  g_assert_cmpint (field, ==, DESK_FIELD_KEY_POINTS);
  g_assert_cmpstr (desk_field_to_string (DESK_FIELD_IMPACT_ANALYSIS), ==, "impact_analysis");
  g_assert_cmpstr (desk_field_to_string (DESK_FIELD_EDITORIAL_COMMENT), ==, "editorial_comment");
  g_assert_false (desk_field_from_string ("status", &field));

  g_assert_true (G_TYPE_IS_ENUM (DESK_TYPE_ENTRY_STATUS));
  g_assert_true (G_TYPE_IS_ENUM (DESK_TYPE_ENTRY_KIND));
  g_assert_true (G_TYPE_IS_ENUM (DESK_TYPE_HOUSE_STYLE));
  g_assert_true (G_TYPE_IS_FLAGS (DESK_TYPE_FIELDS));
  g_assert_true (G_TYPE_IS_BOXED (DESK_TYPE_IMPORTANCE));
  g_assert_true (G_TYPE_IS_BOXED (DESK_TYPE_EDITABLE));
  g_assert_true (G_TYPE_IS_BOXED (DESK_TYPE_GLOSSARY));
  g_assert_true (G_TYPE_IS_BOXED (DESK_TYPE_API_ERROR));
}

static void
test_status_transitions (void)
{
  /* Rows: from; columns: to (incoming, in_review, approved, published, rejected). */
  static const gboolean allowed[5][5] = {
    { FALSE, TRUE,  FALSE, FALSE, TRUE  },
    { FALSE, FALSE, TRUE,  FALSE, TRUE  },
    { FALSE, TRUE,  FALSE, FALSE, TRUE  },
    { FALSE, FALSE, FALSE, FALSE, FALSE },
    { FALSE, TRUE,  FALSE, FALSE, FALSE },
  };

  for (guint from = 0; from < 5; from++)
    for (guint to = 0; to < 5; to++)
      if (desk_entry_status_can_change (from, to) != allowed[from][to])
        g_error ("transition %u → %u", from, to);
}

static void
test_validators (void)
{
  g_autofree char *id128 = g_strnfill (128, 'a');
  g_autofree char *id129 = g_strnfill (129, 'a');
  g_autofree char *now = NULL;
  const char *good_ids[] = { "a", "2026-05-11-import-ai-456", "A.b_c-9", id128 };
  const char *bad_ids[] = { "", "a b", "a/b", "é", "a:b", ".", "..", id129 };
  const char *good_times[] = {
    "2026-05-11T21:46:00+09:00", "2026-05-11T12:46:00Z", "2026-05-11T21:46:00.123456-03:30",
    "2024-02-29T00:00:00+00:00",
  };
  const char *bad_times[] = {
    "yesterday", "2026-05-11", "2026-05-11T21:46:00", "2026-05-11 21:46:00+09:00",
    "2026-05-11T21:46+09:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
    "2025-02-29T00:00:00Z", "2026-05-11T24:00:00Z", "2026-05-11T21:60:00Z",
    "2026-05-11T21:46:60Z", "2026-05-11T21:46:00+0900", "2026-05-11T21:46:00+24:00",
    "2026-05-11T21:46:00.Z", "2026-05-11t21:46:00z", "2026-05-11T21:46:00Z ", "",
  };
  const char *good_langs[] = { "en", "ja", "en-US", "zh-Hant-TW", "sgn-BE-FR", "x-private", "english" };
  const char *bad_langs[] = { "", "english!", "e", "en-", "-en", "en--US", "abcd", "toolongtag", "en-abcdefghi", "x", "1en" };
  const char *good_urls[] = { "https://example.org/p/1", "http://example.org", "HTTPS://EXAMPLE.ORG/a?b=c#d", "http://127.0.0.1:8080/x" };
  const char *bad_urls[] = { "ftp://x", "example.org/p", "/relative", "https://", "http:///path", "https://exa mple.org", "javascript:alert(1)", "" };

  for (guint i = 0; i < G_N_ELEMENTS (good_ids); i++)
    g_assert_true (desk_entry_id_is_valid (good_ids[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad_ids); i++)
    g_assert_false (desk_entry_id_is_valid (bad_ids[i]));
  g_assert_false (desk_entry_id_is_valid (NULL));

  for (guint i = 0; i < G_N_ELEMENTS (good_times); i++)
    if (!desk_rfc3339_is_valid (good_times[i]))
      g_error ("refused %s", good_times[i]);
  for (guint i = 0; i < G_N_ELEMENTS (bad_times); i++)
    if (desk_rfc3339_is_valid (bad_times[i]))
      g_error ("accepted %s", bad_times[i]);

  for (guint i = 0; i < G_N_ELEMENTS (good_langs); i++)
    if (!desk_language_tag_is_valid (good_langs[i]))
      g_error ("refused %s", good_langs[i]);
  for (guint i = 0; i < G_N_ELEMENTS (bad_langs); i++)
    if (desk_language_tag_is_valid (bad_langs[i]))
      g_error ("accepted %s", bad_langs[i]);

  for (guint i = 0; i < G_N_ELEMENTS (good_urls); i++)
    if (!desk_http_url_is_valid (good_urls[i]))
      g_error ("refused %s", good_urls[i]);
  for (guint i = 0; i < G_N_ELEMENTS (bad_urls); i++)
    if (desk_http_url_is_valid (bad_urls[i]))
      g_error ("accepted %s", bad_urls[i]);

  now = desk_rfc3339_now ();
  g_assert_true (desk_rfc3339_is_valid (now));
  /* Whole seconds with a numeric offset: "YYYY-MM-DDTHH:MM:SS+HH:MM". */
  g_assert_cmpuint (strlen (now), ==, 25);
  g_assert_true (now[19] == '+' || now[19] == '-');

  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_offset (9 * 3600);
    g_autoptr(GDateTime) dt = g_date_time_new (tz, 2026, 5, 11, 21, 46, 0.75);
    g_autofree char *text = desk_rfc3339_from_date_time (dt);

    g_assert_cmpstr (text, ==, "2026-05-11T21:46:00+09:00");
  }
}

/* ---- the three forms -------------------------------------------------------- */

static void
assert_round_trip (const char    *json,
                   DeskEntryForm  form)
{
  g_autoptr(DeskEntry) entry = read_entry (json, form);
  g_autoptr(DeskEntry) again = NULL;
  g_autofree char *written = NULL;
  g_autofree char *written_again = NULL;
  g_autofree char *pretty = NULL;
  g_autoptr(DeskEntry) from_pretty = NULL;
  g_autofree char *written_from_pretty = NULL;
  gsize length = 0;

  written = desk_entry_to_data (entry, form, FALSE, &length);
  g_assert_cmpstr (written, ==, json);
  g_assert_cmpuint (length, ==, strlen (json));

  again = read_entry (written, form);
  written_again = desk_entry_to_data (again, form, FALSE, NULL);
  g_assert_cmpstr (written_again, ==, written);

  pretty = desk_entry_to_data (entry, form, TRUE, NULL);
  g_assert_nonnull (strchr (pretty, '\n'));
  from_pretty = read_entry (pretty, form);
  written_from_pretty = desk_entry_to_data (from_pretty, form, FALSE, NULL);
  g_assert_cmpstr (written_from_pretty, ==, json);
}

static void
test_full_form (void)
{
  g_autoptr(DeskEntry) entry = read_entry (full_json, DESK_ENTRY_FORM_FULL);
  g_autofree char *etag = desk_entry_dup_etag (entry);
  const DeskImportance *importance;
  GPtrArray *key_points;
  const DeskEditable *machine;

  assert_round_trip (full_json, DESK_ENTRY_FORM_FULL);

  g_assert_cmpstr (desk_entry_get_id (entry), ==, "2026-05-11-synthetic-001");
  g_assert_cmpint (desk_entry_get_revision (entry), ==, 3);
  g_assert_cmpstr (etag, ==, "\"3\"");
  g_assert_cmpint (desk_entry_get_status (entry), ==, DESK_ENTRY_STATUS_IN_REVIEW);
  g_assert_cmpint (desk_entry_get_kind (entry), ==, DESK_ENTRY_KIND_ARTICLE);
  g_assert_cmpstr (desk_entry_get_source (entry)->language, ==, "en");
  g_assert_cmpstr (desk_entry_get_source (entry)->published_at, ==, "2026-05-11T21:46:00+09:00");
  g_assert_cmpint (desk_entry_get_reading_minutes (entry), ==, 23);
  g_assert_cmpstr (desk_entry_get_original (entry)->html, ==, "<p>Synthetic <b>test</b></p><script>x()</script>");
  g_assert_cmpstr (desk_entry_get_body (entry), ==, "本文です。\n\n- 箇条書き\n- \"引用\"");
  g_assert_cmpstr (desk_entry_get_tags (entry)[1], ==, "ガバナンス");
  g_assert_null (desk_entry_get_tags (entry)[2]);
  importance = desk_entry_get_importance (entry);
  g_assert_cmpint (importance->overall, ==, 4);
  g_assert_cmpint (importance->practicality, ==, 3);
  key_points = desk_entry_get_key_points (entry);
  g_assert_cmpuint (key_points->len, ==, 3);
  g_assert_cmpstr (((DeskKeyPoint *) g_ptr_array_index (key_points, 2))->heading, ==, "見出し3");
  g_assert_cmpstr (desk_entry_get_editorial_comment (entry), ==, "");
  machine = desk_entry_get_machine (entry);
  g_assert_nonnull (machine);
  g_assert_cmpint (machine->present, ==, DESK_FIELDS_MACHINE);
  g_assert_cmpstr (machine->title, ==, "機械訳タイトル");
  g_assert_cmpuint (machine->key_points->len, ==, 0);
  g_assert_cmpstr (desk_entry_get_lock (entry)->editor, ==, "sato");
  g_assert_null (desk_entry_get_published (entry));
  g_assert_cmpint (desk_entry_get_fields (entry)->present, ==, DESK_FIELDS_ALL);

  /* The summary of a full entry drops html, body and machine. */
  {
    g_autofree char *summary = desk_entry_to_data (entry, DESK_ENTRY_FORM_SUMMARY, FALSE, NULL);
    g_autoptr(DeskEntry) read_back = read_entry (summary, DESK_ENTRY_FORM_SUMMARY);

    g_assert_null (strstr (summary, "\"html\""));
    g_assert_null (strstr (summary, "本文です"));
    g_assert_null (strstr (summary, "\"machine\""));
    g_assert_null (desk_entry_get_machine (read_back));
    g_assert_null (desk_entry_get_body (read_back));
  }

  /* A copy writes the same bytes and is independent. */
  {
    g_autoptr(DeskEntry) copy = desk_entry_copy (entry);
    g_autofree char *a = desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);
    g_autofree char *b = desk_entry_to_data (copy, DESK_ENTRY_FORM_FULL, FALSE, NULL);

    g_assert_cmpstr (a, ==, b);
    desk_entry_set_revision (copy, 4);
    g_assert_cmpint (desk_entry_get_revision (entry), ==, 3);
  }
}

static void
test_summary_form (void)
{
  g_autoptr(DeskEntry) entry = read_entry (summary_json, DESK_ENTRY_FORM_SUMMARY);

  assert_round_trip (summary_json, DESK_ENTRY_FORM_SUMMARY);
  g_assert_null (desk_entry_get_machine (entry));
  g_assert_null (desk_entry_get_body (entry));
  g_assert_null (desk_entry_get_original (entry)->html);
  g_assert_null (desk_entry_get_lock (entry));
  g_assert_cmpstr (desk_entry_get_published (entry)->at, ==, "2026-05-12T10:00:00Z");
  g_assert_cmpstr (desk_entry_get_editorial_comment (entry), ==, "確認済み");
  g_assert_false (desk_entry_get_fields (entry)->present & DESK_FIELD_BODY);
}

static void
test_pipeline_form (void)
{
  g_autoptr(DeskEntry) entry = read_entry (pipeline_json, DESK_ENTRY_FORM_PIPELINE);
  const DeskEditable *fields = desk_entry_get_fields (entry);
  const DeskEditable *machine = desk_entry_get_machine (entry);
  g_autofree char *full = NULL;
  g_autoptr(DeskEntry) full_back = NULL;

  assert_round_trip (pipeline_json, DESK_ENTRY_FORM_PIPELINE);

  g_assert_cmpint (desk_entry_get_status (entry), ==, DESK_ENTRY_STATUS_INCOMING);
  g_assert_cmpint (desk_entry_get_revision (entry), ==, 0);
  g_assert_cmpint (desk_entry_get_kind (entry), ==, DESK_ENTRY_KIND_PAPER);
  g_assert_cmpint (desk_entry_get_reading_minutes (entry), ==, -1);
  g_assert_null (desk_entry_get_analyzed_at (entry));
  g_assert_null (desk_entry_get_source (entry)->published_at);
  g_assert_null (desk_entry_get_lock (entry));
  g_assert_null (desk_entry_get_published (entry));

  /* The editable fields start as copies of machine, with an empty comment. */
  g_assert_cmpint (fields->present, ==, DESK_FIELDS_ALL);
  g_assert_cmpint (desk_editable_diff (fields, machine), ==, DESK_FIELD_EDITORIAL_COMMENT);
  g_assert_cmpstr (fields->editorial_comment, ==, "");
  g_assert_cmpstr (fields->title, ==, machine->title);
  g_assert_true (fields->title != machine->title);
  g_assert_true (desk_importance_equal (&fields->importance, &machine->importance));

  /* Once the server gives it a revision and time, it is a valid full entry. */
  desk_entry_set_revision (entry, 1);
  desk_entry_set_updated_at (entry, "2026-05-11T22:10:01+09:00");
  desk_entry_set_reading_minutes (entry, 7);
  desk_entry_set_analyzed_at (entry, "2026-05-11T22:11:00+09:00");
  full = desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);
  full_back = read_entry (full, DESK_ENTRY_FORM_FULL);
  g_assert_cmpstr (desk_entry_get_title (full_back), ==, "機械訳タイトル");

  /* Optional members may also be absent. */
  {
    g_autoptr(JsonNode) root = parse (pipeline_json);
    g_autoptr(DeskEntry) sparse = NULL;
    g_autoptr(GError) error = NULL;

    mutate (root, "analyzed_at", NULL);
    mutate (root, "reading_minutes", NULL);
    mutate (root, "source.published_at", NULL);
    sparse = desk_entry_new_from_json (root, DESK_ENTRY_FORM_PIPELINE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (desk_entry_get_reading_minutes (sparse), ==, -1);
    g_assert_null (desk_entry_get_analyzed_at (sparse));
  }

  /* And reading_minutes / analyzed_at may have values. */
  {
    g_autoptr(JsonNode) root = parse (pipeline_json);
    g_autoptr(DeskEntry) filled = NULL;
    g_autoptr(GError) error = NULL;

    mutate (root, "reading_minutes", "0");
    mutate (root, "analyzed_at", "\"2026-05-11T23:04:00+09:00\"");
    filled = desk_entry_new_from_json (root, DESK_ENTRY_FORM_PIPELINE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (desk_entry_get_reading_minutes (filled), ==, 0);
  }
}

static void
test_nullable_members (void)
{
  g_autoptr(JsonNode) root = parse (full_json);
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autofree char *expected = NULL;

  mutate (root, "analyzed_at", "null");
  mutate (root, "reading_minutes", "null");
  mutate (root, "lock", "null");
  mutate (root, "source.published_at", "null");
  mutate (root, "published", "{\"url\":\"https://example.org/news/x\",\"at\":\"2026-05-12T10:00:00+09:00\"}");
  entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, &error);
  g_assert_no_error (error);
  g_assert_null (desk_entry_get_analyzed_at (entry));
  g_assert_cmpint (desk_entry_get_reading_minutes (entry), ==, -1);
  g_assert_null (desk_entry_get_lock (entry));
  g_assert_null (desk_entry_get_source (entry)->published_at);
  g_assert_cmpstr (desk_entry_get_published (entry)->url, ==, "https://example.org/news/x");

  written = desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);
  expected = write_node (root);
  g_assert_cmpstr (written, ==, expected);
}

static void
test_unknown_members_kept (void)
{
  g_autoptr(JsonNode) root = parse (full_json);
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskEntry) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *written = NULL;
  g_autofree char *copy_written = NULL;
  g_autofree char *summary = NULL;

  /* Appended at the end of each object, so the contract order still holds. */
  mutate (root, "x_top", "{\"nested\":[1,2.5,\"three\",null,{\"k\":false}]}");
  mutate (root, "source.x_source", "1");
  mutate (root, "original.x_original", "\"o\"");
  mutate (root, "importance.x_importance", "\"y\"");
  mutate (root, "key_points[1].x_key_point", "true");
  mutate (root, "machine.x_machine", "[]");
  mutate (root, "machine.importance.x_machine_importance", "0");
  mutate (root, "lock.x_lock", "\"l\"");
  input = write_node (root);

  entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, &error);
  g_assert_no_error (error);
  written = desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);
  g_assert_cmpstr (written, ==, input);
  g_assert_true (g_str_has_suffix (written, ",\"published\":null,\"x_top\":{\"nested\":[1,2.5,\"three\",null,{\"k\":false}]}}"));

  copy = desk_entry_copy (entry);
  copy_written = desk_entry_to_data (copy, DESK_ENTRY_FORM_FULL, FALSE, NULL);
  g_assert_cmpstr (copy_written, ==, input);

  /* The other forms keep them too. */
  summary = desk_entry_to_data (entry, DESK_ENTRY_FORM_SUMMARY, FALSE, NULL);
  g_assert_nonnull (strstr (summary, "\"x_source\":1"));
  g_assert_nonnull (strstr (summary, "\"x_key_point\":true"));
  g_assert_true (g_str_has_suffix (summary, ",\"x_top\":{\"nested\":[1,2.5,\"three\",null,{\"k\":false}]}}"));

  /* The extra survives the source being read alone, too. */
  {
    g_autoptr(JsonNode) source_node = parse ("{\"name\":\"n\",\"url\":\"https://e.org\",\"published_at\":null,\"language\":\"ja\",\"z\":1,\"a\":2}");
    g_autoptr(DeskSource) source = desk_source_new_from_json (source_node, "source", &error);
    g_autoptr(JsonNode) out = NULL;
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    out = desk_source_to_json (source);
    text = write_node (out);
    g_assert_cmpstr (text, ==, "{\"name\":\"n\",\"url\":\"https://e.org\",\"published_at\":null,\"language\":\"ja\",\"z\":1,\"a\":2}");
  }
}

/* ---- malformed entries -------------------------------------------------------- */

typedef struct {
  DeskEntryForm  form;
  const char    *path;     /* member to change; NULL: none */
  const char    *value;    /* JSON; NULL: remove the member */
  DeskJsonError  code;
  const char    *message;  /* the message starts with this */
} EntryCase;

static const EntryCase entry_cases[] = {
  { DESK_ENTRY_FORM_FULL, "id", NULL, DESK_JSON_ERROR_MISSING, "id: required" },
  { DESK_ENTRY_FORM_FULL, "id", "\"bad id!\"", DESK_JSON_ERROR_INVALID, "id: must be 1 to 128 characters" },
  { DESK_ENTRY_FORM_FULL, "id", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
    DESK_JSON_ERROR_INVALID, "id: must be 1 to 128 characters" },
  { DESK_ENTRY_FORM_FULL, "id", "\"\"", DESK_JSON_ERROR_INVALID, "id: must be" },
  { DESK_ENTRY_FORM_FULL, "id", "7", DESK_JSON_ERROR_TYPE, "id: must be a string" },
  { DESK_ENTRY_FORM_FULL, "revision", "0", DESK_JSON_ERROR_RANGE, "revision: must be between 1 and" },
  { DESK_ENTRY_FORM_FULL, "revision", "\"3\"", DESK_JSON_ERROR_TYPE, "revision: must be an integer" },
  { DESK_ENTRY_FORM_FULL, "revision", "3.0", DESK_JSON_ERROR_TYPE, "revision: must be an integer" },
  { DESK_ENTRY_FORM_FULL, "status", "\"draft\"", DESK_JSON_ERROR_INVALID, "status: must be one of" },
  { DESK_ENTRY_FORM_FULL, "status", NULL, DESK_JSON_ERROR_MISSING, "status: required" },
  { DESK_ENTRY_FORM_FULL, "kind", "\"podcast\"", DESK_JSON_ERROR_INVALID, "kind: must be one of" },
  { DESK_ENTRY_FORM_FULL, "tags", "\"AI\"", DESK_JSON_ERROR_TYPE, "tags: must be an array" },
  { DESK_ENTRY_FORM_FULL, "tags", "[\"AI\",3]", DESK_JSON_ERROR_TYPE, "tags[1]: must be a string" },
  { DESK_ENTRY_FORM_FULL, "importance.depth", "\"5\"", DESK_JSON_ERROR_TYPE, "importance.depth: must be an integer" },
  { DESK_ENTRY_FORM_FULL, "importance.depth", "2.5", DESK_JSON_ERROR_TYPE, "importance.depth: must be an integer" },
  { DESK_ENTRY_FORM_FULL, "importance.overall", NULL, DESK_JSON_ERROR_MISSING, "importance.overall: required" },
  { DESK_ENTRY_FORM_FULL, "key_points[2].heading", NULL, DESK_JSON_ERROR_MISSING, "key_points[2].heading: required" },
  { DESK_ENTRY_FORM_FULL, "key_points[0].body", "null", DESK_JSON_ERROR_TYPE, "key_points[0].body: must be a string" },
  { DESK_ENTRY_FORM_FULL, "source.published_at", "\"yesterday\"", DESK_JSON_ERROR_INVALID, "source.published_at: must be an RFC 3339 time" },
  { DESK_ENTRY_FORM_FULL, "source.published_at", NULL, DESK_JSON_ERROR_MISSING, "source.published_at: required" },
  { DESK_ENTRY_FORM_FULL, "source.language", "\"english!\"", DESK_JSON_ERROR_INVALID, "source.language: must be a BCP 47 language tag" },
  { DESK_ENTRY_FORM_FULL, "source.url", "\"ftp://x\"", DESK_JSON_ERROR_INVALID, "source.url: must be an absolute http or https URL" },
  { DESK_ENTRY_FORM_FULL, "source.url", "1", DESK_JSON_ERROR_TYPE, "source.url: must be a string" },
  { DESK_ENTRY_FORM_FULL, "source.name", NULL, DESK_JSON_ERROR_MISSING, "source.name: required" },
  { DESK_ENTRY_FORM_FULL, "source", "null", DESK_JSON_ERROR_TYPE, "source: must be an object" },
  { DESK_ENTRY_FORM_FULL, "lock", "\"sato\"", DESK_JSON_ERROR_TYPE, "lock: must be an object or null" },
  { DESK_ENTRY_FORM_FULL, "lock.expires_at", "5", DESK_JSON_ERROR_TYPE, "lock.expires_at: must be a string" },
  { DESK_ENTRY_FORM_FULL, "lock", NULL, DESK_JSON_ERROR_MISSING, "lock: required" },
  { DESK_ENTRY_FORM_FULL, "published", "{\"url\":\"https://example.org/a\"}", DESK_JSON_ERROR_MISSING, "published.at: required" },
  { DESK_ENTRY_FORM_FULL, "published", "[]", DESK_JSON_ERROR_TYPE, "published: must be an object or null" },
  { DESK_ENTRY_FORM_FULL, "collected_at", "\"2026-05-11 22:10:00\"", DESK_JSON_ERROR_INVALID, "collected_at: must be an RFC 3339 time" },
  { DESK_ENTRY_FORM_FULL, "updated_at", "\"2026-02-30T00:00:00Z\"", DESK_JSON_ERROR_INVALID, "updated_at: must be an RFC 3339 time" },
  { DESK_ENTRY_FORM_FULL, "analyzed_at", NULL, DESK_JSON_ERROR_MISSING, "analyzed_at: required" },
  { DESK_ENTRY_FORM_FULL, "reading_minutes", "-1", DESK_JSON_ERROR_RANGE, "reading_minutes: must be between 0 and 100000" },
  { DESK_ENTRY_FORM_FULL, "reading_minutes", "100001", DESK_JSON_ERROR_RANGE, "reading_minutes: must be between 0 and 100000" },
  { DESK_ENTRY_FORM_FULL, "reading_minutes", "\"23\"", DESK_JSON_ERROR_TYPE, "reading_minutes: must be an integer or null" },
  { DESK_ENTRY_FORM_FULL, "original.html", "1", DESK_JSON_ERROR_TYPE, "original.html: must be a string" },
  { DESK_ENTRY_FORM_FULL, "body", NULL, DESK_JSON_ERROR_MISSING, "body: required" },
  { DESK_ENTRY_FORM_FULL, "machine", NULL, DESK_JSON_ERROR_MISSING, "machine: required" },
  { DESK_ENTRY_FORM_FULL, "machine.editorial_comment", "\"\"", DESK_JSON_ERROR_UNKNOWN, "machine.editorial_comment: not allowed" },
  { DESK_ENTRY_FORM_FULL, "machine.tldr", NULL, DESK_JSON_ERROR_MISSING, "machine.tldr: required" },
  { DESK_ENTRY_FORM_FULL, "machine.importance.innovation", "\"2\"", DESK_JSON_ERROR_TYPE, "machine.importance.innovation: must be an integer" },
  { DESK_ENTRY_FORM_PIPELINE, "status", "\"incoming\"", DESK_JSON_ERROR_UNKNOWN, "status: not allowed in the pipeline form" },
  { DESK_ENTRY_FORM_PIPELINE, "revision", "1", DESK_JSON_ERROR_UNKNOWN, "revision: not allowed in the pipeline form" },
  { DESK_ENTRY_FORM_PIPELINE, "title", "\"t\"", DESK_JSON_ERROR_UNKNOWN, "title: not allowed in the pipeline form" },
  { DESK_ENTRY_FORM_PIPELINE, "lock", "null", DESK_JSON_ERROR_UNKNOWN, "lock: not allowed in the pipeline form" },
  { DESK_ENTRY_FORM_PIPELINE, "updated_at", "\"2026-05-11T22:10:00Z\"", DESK_JSON_ERROR_UNKNOWN, "updated_at: not allowed in the pipeline form" },
  { DESK_ENTRY_FORM_PIPELINE, "machine", NULL, DESK_JSON_ERROR_MISSING, "machine: required" },
  { DESK_ENTRY_FORM_PIPELINE, "reading_minutes", "\"12\"", DESK_JSON_ERROR_TYPE, "reading_minutes: must be an integer or null" },
  { DESK_ENTRY_FORM_SUMMARY, "body", "\"x\"", DESK_JSON_ERROR_UNKNOWN, "body: not allowed in the summary form" },
  { DESK_ENTRY_FORM_SUMMARY, "machine", MACHINE_JSON, DESK_JSON_ERROR_UNKNOWN, "machine: not allowed in the summary form" },
  { DESK_ENTRY_FORM_SUMMARY, "original.html", "\"<p>\"", DESK_JSON_ERROR_UNKNOWN, "original.html: not allowed in the summary form" },
  { DESK_ENTRY_FORM_SUMMARY, "tldr", NULL, DESK_JSON_ERROR_MISSING, "tldr: required" },
};

static void
test_malformed_entries (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (entry_cases); i++)
    {
      const EntryCase *c = &entry_cases[i];
      const char *base = c->form == DESK_ENTRY_FORM_FULL ? full_json
                         : c->form == DESK_ENTRY_FORM_SUMMARY ? summary_json
                         : pipeline_json;
      g_autoptr(GError) error = read_error (base, c->form, c->path, c->value);

      if (error->domain != DESK_JSON_ERROR || error->code != (int) c->code ||
          !g_str_has_prefix (error->message, c->message))
        g_error ("case %u (%s): expected %d \"%s…\", got %d \"%s\"",
                 i, c->path, c->code, c->message, error->code, error->message);
    }

  /* 128 characters are fine. */
  {
    g_autoptr(JsonNode) root = parse (full_json);
    g_autofree char *id = g_strnfill (128, 'z');
    g_autofree char *value = g_strdup_printf ("\"%s\"", id);
    g_autoptr(DeskEntry) entry = NULL;
    g_autoptr(GError) error = NULL;

    mutate (root, "id", value);
    entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (desk_entry_get_id (entry), ==, id);
  }

  /* Not an object, and broken bytes. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DeskEntry) entry = NULL;

    entry = desk_entry_new_from_data ("[]", -1, DESK_ENTRY_FORM_FULL, &error);
    g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_TYPE);
    g_assert_cmpstr (error->message, ==, "must be an object");
    g_clear_error (&error);

    entry = desk_entry_new_from_data ("{\"id\":\"a\",\"revision\":9007199254740993}", -1,
                                      DESK_ENTRY_FORM_FULL, &error);
    g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_RANGE);
    g_clear_error (&error);

    entry = desk_entry_new_from_data ("{\"id\":\"a\",\"id\":\"b\"}", -1, DESK_ENTRY_FORM_FULL, &error);
    g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_SYNTAX);
  }

  /* Hard limits: 100 tags are read (the rules say 10), 101 are not. */
  {
    g_autoptr(GString) tags = g_string_new ("[");
    g_autoptr(JsonNode) root = parse (full_json);
    g_autoptr(DeskEntry) entry = NULL;
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 100; i++)
      g_string_append_printf (tags, "%s\"t%u\"", i ? "," : "", i);
    g_string_append (tags, "]");
    mutate (root, "tags", tags->str);
    entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length ((GStrv) desk_entry_get_tags (entry)), ==, 100);
    g_clear_object (&entry);

    g_string_truncate (tags, tags->len - 1);
    g_string_append (tags, ",\"t100\"]");
    mutate (root, "tags", tags->str);
    entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, &error);
    g_assert_null (entry);
    g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_RANGE);
    g_assert_cmpstr (error->message, ==, "tags: must have at most 100 items");
  }

  /* 101 key points are refused by the reader. */
  {
    g_autoptr(GString) key_points = g_string_new ("[");
    g_autoptr(JsonNode) root = parse (full_json);
    g_autoptr(GError) error = NULL;
    g_autoptr(DeskEntry) entry = NULL;

    for (guint i = 0; i < 101; i++)
      g_string_append_printf (key_points, "%s{\"heading\":\"h\",\"body\":\"b\"}", i ? "," : "");
    g_string_append (key_points, "]");
    mutate (root, "key_points", key_points->str);
    entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, &error);
    g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_RANGE);
    g_assert_cmpstr (error->message, ==, "key_points: must have at most 100 items");
  }
}

static void
test_large_body (void)
{
  g_autoptr(JsonNode) root = parse (full_json);
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) value = g_string_new ("\"");
  g_autofree char *data = NULL;
  g_autoptr(DeskEntry) back = NULL;

  /* Strings of any length within the body cap: 6 MiB of Japanese. */
  while (value->len < 6 * 1024 * 1024)
    g_string_append (value, "日本語の本文。");
  g_string_append_c (value, '"');
  mutate (root, "body", value->str);
  entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, &error);
  g_assert_no_error (error);
  data = desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);
  back = desk_entry_new_from_data (data, -1, DESK_ENTRY_FORM_FULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_entry_get_body (back), ==, desk_entry_get_body (entry));
}

/* ---- samples ------------------------------------------------------------------- */

/* Every member of @in is in @out with the same value; members only in @out
 * must be null (optional members the pipeline form may leave out). */
static void
assert_nothing_lost (JsonNode   *in,
                     JsonNode   *out,
                     const char *where)
{
  if (JSON_NODE_HOLDS_OBJECT (in))
    {
      JsonObject *a = json_node_get_object (in);
      JsonObject *b;
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      g_assert_true (JSON_NODE_HOLDS_OBJECT (out));
      b = json_node_get_object (out);

      json_object_iter_init_ordered (&iter, a);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          g_autofree char *sub = g_strdup_printf ("%s.%s", where, name);

          if (!json_object_has_member (b, name))
            g_error ("%s: lost", sub);
          assert_nothing_lost (member, json_object_get_member (b, name), sub);
        }

      json_object_iter_init_ordered (&iter, b);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        if (!json_object_has_member (a, name) && !JSON_NODE_HOLDS_NULL (member))
          g_error ("%s.%s: added", where, name);
    }
  else if (JSON_NODE_HOLDS_ARRAY (in))
    {
      JsonArray *a = json_node_get_array (in);
      JsonArray *b;

      g_assert_true (JSON_NODE_HOLDS_ARRAY (out));
      b = json_node_get_array (out);
      g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", where, i);

          assert_nothing_lost (json_array_get_element (a, i), json_array_get_element (b, i), sub);
        }
    }
  else
    {
      g_autofree char *x = write_node (in);
      g_autofree char *y = write_node (out);

      if (g_strcmp0 (x, y) != 0)
        g_error ("%s: %s became %s", where, x, y);
    }
}

/* An array whose elements all are objects with an "id" and either a
 * "revision" (full form) or a "machine" (pipeline form). */
static gboolean
is_entry_array (JsonNode *root)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return FALSE;
      object = json_node_get_object (element);
      if (!json_object_has_member (object, "id") ||
          (!json_object_has_member (object, "revision") && !json_object_has_member (object, "machine")))
        return FALSE;
    }
  return json_array_get_length (array) > 0;
}

static void
test_samples (void)
{
  const char *dir_name = g_getenv ("DESK_SAMPLE_DIR");
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint n_entries = 0;
  guint n_identical = 0;
  guint n_files = 0;
  guint n_other = 0;
  const char *name;

  g_assert_nonnull (dir_name);
  dir = g_dir_open (dir_name, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));

  if (names->len == 0)
    {
      g_test_message ("no *.json in %s yet: nothing to round-trip", dir_name);
      return;
    }

  for (guint f = 0; f < names->len; f++)
    {
      g_autofree char *path = g_build_filename (dir_name, g_ptr_array_index (names, f), NULL);
      g_autofree char *contents = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonArray *array;
      gsize length;

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      /* Seed files may be larger than one request body. */
      root = desk_json_parse (contents, (gssize) length, G_MAXSIZE - 1, DESK_JSON_MAX_DEPTH, &error);
      if (error != NULL)
        g_error ("%s: %s", path, error->message);
      /* The folder also holds other documents: a glossary is round-tripped
       * as one; anything that is not an array of entries is named. */
      if (JSON_NODE_HOLDS_OBJECT (root) &&
          json_object_has_member (json_node_get_object (root), "terms"))
        {
          gboolean with_revision = json_object_has_member (json_node_get_object (root), "revision");
          g_autoptr(DeskGlossary) glossary = desk_glossary_new_from_json (root, with_revision, &error);
          g_autoptr(JsonNode) out = NULL;
          g_autofree char *in_text = write_node (root);
          g_autofree char *out_text = NULL;

          if (error != NULL)
            g_error ("%s: %s", path, error->message);
          out = desk_glossary_to_json (glossary, with_revision);
          out_text = write_node (out);
          assert_nothing_lost (root, out, path);
          g_test_message ("%s: glossary of %u terms round-tripped%s", path, glossary->terms->len,
                          g_strcmp0 (in_text, out_text) == 0 ? " byte-identical" : "");
          n_other++;
          continue;
        }
      if (!is_entry_array (root))
        {
          g_test_message ("%s: not an array of entries, not read here", path);
          n_other++;
          continue;
        }
      array = json_node_get_array (root);
      n_files++;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          DeskEntryForm form;
          g_autoptr(DeskEntry) entry = NULL;
          g_autoptr(DeskEntry) again = NULL;
          g_autoptr(DeskEntry) summary = NULL;
          g_autoptr(JsonNode) written_node = NULL;
          g_autofree char *written = NULL;
          g_autofree char *written_again = NULL;
          g_autofree char *canonical_input = NULL;
          g_autofree char *summary_text = NULL;
          g_autofree char *summary_again = NULL;
          g_autofree char *where = g_strdup_printf ("%s[%u]", path, i);

          g_assert_true (JSON_NODE_HOLDS_OBJECT (element));
          form = json_object_has_member (json_node_get_object (element), "revision")
                 ? DESK_ENTRY_FORM_FULL : DESK_ENTRY_FORM_PIPELINE;

          entry = desk_entry_new_from_json (element, form, &error);
          if (error != NULL)
            g_error ("%s: %s", where, error->message);

          written = desk_entry_to_data (entry, form, FALSE, NULL);
          again = desk_entry_new_from_data (written, -1, form, &error);
          g_assert_no_error (error);
          written_again = desk_entry_to_data (again, form, FALSE, NULL);
          g_assert_cmpstr (written_again, ==, written);

          written_node = parse (written);
          assert_nothing_lost (element, written_node, where);

          canonical_input = write_node (element);
          if (g_strcmp0 (canonical_input, written) == 0)
            n_identical++;

          /* A pipeline entry completed as the server would (revision 1,
           * updated_at) is a valid full entry. */
          if (form == DESK_ENTRY_FORM_PIPELINE)
            {
              g_autofree char *full = NULL;
              g_autoptr(DeskEntry) full_entry = NULL;
              g_autofree char *full_again = NULL;

              desk_entry_set_revision (entry, 1);
              desk_entry_set_updated_at (entry, desk_entry_get_collected_at (entry));
              if (desk_entry_get_reading_minutes (entry) < 0)
                desk_entry_set_reading_minutes (entry, 0);
              full = desk_entry_to_data (entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);
              full_entry = desk_entry_new_from_data (full, -1, DESK_ENTRY_FORM_FULL, &error);
              g_assert_no_error (error);
              full_again = desk_entry_to_data (full_entry, DESK_ENTRY_FORM_FULL, FALSE, NULL);
              g_assert_cmpstr (full_again, ==, full);
            }

          /* Its summary reads back as a summary and writes the same. */
          summary_text = desk_entry_to_data (entry, DESK_ENTRY_FORM_SUMMARY, FALSE, NULL);
          summary = desk_entry_new_from_data (summary_text, -1, DESK_ENTRY_FORM_SUMMARY, &error);
          g_assert_no_error (error);
          summary_again = desk_entry_to_data (summary, DESK_ENTRY_FORM_SUMMARY, FALSE, NULL);
          g_assert_cmpstr (summary_again, ==, summary_text);

          n_entries++;
        }
    }

  g_assert_cmpuint (n_files, >, 0);
  g_assert_cmpuint (n_entries, >, 0);
  g_test_message ("%u entry files, %u entries round-tripped; %u byte-identical to their "
                  "compact input (the others differ only by member order or absent optional "
                  "members written as null); %u other documents", n_files, n_entries,
                  n_identical, n_other);
}

/* ---- properties ------------------------------------------------------------------- */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GHashTable *counts = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
count_of (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_property_notify (void)
{
  g_autoptr(DeskEntry) entry = read_entry (full_json, DESK_ENTRY_FORM_FULL);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  g_auto(GStrv) tags = NULL;
  const char *new_tags[] = { "a", "b", NULL };
  DeskEntryStatus status;

  g_signal_connect (entry, "notify", G_CALLBACK (count_notify), counts);

  g_object_set (entry, "title", "新しいタイトル", NULL);
  g_assert_cmpuint (count_of (counts, "title"), ==, 1);
  g_object_set (entry, "title", "新しいタイトル", NULL);
  g_assert_cmpuint (count_of (counts, "title"), ==, 1);
  g_assert_cmpstr (desk_entry_get_title (entry), ==, "新しいタイトル");
  g_object_get (entry, "title", &title, NULL);
  g_assert_cmpstr (title, ==, "新しいタイトル");

  desk_entry_set_status (entry, DESK_ENTRY_STATUS_APPROVED);
  desk_entry_set_status (entry, DESK_ENTRY_STATUS_APPROVED);
  g_assert_cmpuint (count_of (counts, "status"), ==, 1);
  g_object_get (entry, "status", &status, NULL);
  g_assert_cmpint (status, ==, DESK_ENTRY_STATUS_APPROVED);

  desk_entry_set_revision (entry, 3);
  g_assert_cmpuint (count_of (counts, "revision"), ==, 0);
  desk_entry_set_revision (entry, 4);
  g_assert_cmpuint (count_of (counts, "revision"), ==, 1);

  g_object_set (entry, "tags", new_tags, NULL);
  g_object_set (entry, "tags", new_tags, NULL);
  g_assert_cmpuint (count_of (counts, "tags"), ==, 1);
  g_object_get (entry, "tags", &tags, NULL);
  g_assert_true (g_strv_equal ((const char * const *) tags, new_tags));

  {
    DeskLock *lock = desk_lock_new ("suzuki", "2026-05-12T09:10:00+09:00", "2026-05-12T09:12:00+09:00");

    desk_entry_set_lock (entry, lock);
    desk_entry_set_lock (entry, lock);
    g_assert_cmpuint (count_of (counts, "lock"), ==, 1);
    desk_entry_set_lock (entry, NULL);
    desk_entry_set_lock (entry, NULL);
    g_assert_cmpuint (count_of (counts, "lock"), ==, 2);
    desk_lock_free (lock);
  }

  {
    DeskImportance importance = *desk_entry_get_importance (entry);

    importance.extra = NULL;
    desk_entry_set_reading_minutes (entry, 23);
    g_assert_cmpuint (count_of (counts, "reading-minutes"), ==, 0);
    importance.depth = 1;
    g_object_set (entry, "importance", &importance, NULL);
    g_object_set (entry, "importance", &importance, NULL);
    g_assert_cmpuint (count_of (counts, "importance"), ==, 1);
    g_assert_cmpint (desk_entry_get_importance (entry)->depth, ==, 1);
  }

  desk_entry_set_updated_at (entry, "2026-05-12T09:15:00+09:00");
  g_assert_cmpuint (count_of (counts, "updated-at"), ==, 0);
  desk_entry_set_updated_at (entry, "2026-05-12T09:16:00+09:00");
  g_assert_cmpuint (count_of (counts, "updated-at"), ==, 1);

  /* Nothing else fired. */
  g_assert_cmpuint (g_hash_table_size (counts), ==, 7);
}

static void
test_apply_fields (void)
{
  g_autoptr(DeskEntry) entry = read_entry (full_json, DESK_ENTRY_FORM_FULL);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patch_node = parse ("{\"title\":\"修正タイトル\",\"tags\":[\"AI規制\",\"ガバナンス\"],"
                                          "\"key_points\":[{\"heading\":\"一つ\",\"body\":\"だけ\"}],"
                                          "\"editorial_comment\":\"コメント\"}");
  g_autoptr(DeskEditable) patch = NULL;
  GPtrArray *key_points;

  patch = desk_editable_new_from_json (patch_node, NULL, 0, DESK_FIELDS_ALL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (patch->present, ==, DESK_FIELD_TITLE | DESK_FIELD_TAGS |
                   DESK_FIELD_KEY_POINTS | DESK_FIELD_EDITORIAL_COMMENT);

  g_signal_connect (entry, "notify", G_CALLBACK (count_notify), counts);
  desk_entry_apply_fields (entry, patch);

  /* tags were the same: not notified. */
  g_assert_cmpuint (count_of (counts, "title"), ==, 1);
  g_assert_cmpuint (count_of (counts, "key-points"), ==, 1);
  g_assert_cmpuint (count_of (counts, "editorial-comment"), ==, 1);
  g_assert_cmpuint (count_of (counts, "tags"), ==, 0);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 3);

  g_assert_cmpstr (desk_entry_get_title (entry), ==, "修正タイトル");
  g_assert_cmpstr (desk_entry_get_editorial_comment (entry), ==, "コメント");
  key_points = desk_entry_get_key_points (entry);
  g_assert_cmpuint (key_points->len, ==, 1);
  g_assert_cmpstr (desk_entry_get_tldr (entry), ==, "要約です。");
  g_assert_cmpint (desk_entry_get_fields (entry)->present, ==, DESK_FIELDS_ALL);

  /* Applying the same again changes nothing. */
  desk_entry_apply_fields (entry, patch);
  g_assert_cmpuint (count_of (counts, "title"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 3);

  /* The machine snapshot is untouched. */
  g_assert_cmpstr (desk_entry_get_machine (entry)->title, ==, "機械訳タイトル");
}

/* ---- editables ----------------------------------------------------------------------- */

static void
test_editable_read_patch (void)
{
  struct {
    const char    *json;
    DeskJsonError  code;
    const char    *message;
  } cases[] = {
    { "{\"status\":\"approved\"}", DESK_JSON_ERROR_UNKNOWN, "status: not an editable field" },
    { "{\"title\":\"t\",\"revision\":2}", DESK_JSON_ERROR_UNKNOWN, "revision: not an editable field" },
    { "{\"importance\":{\"overall\":1,\"depth\":1,\"relevance\":1,\"practicality\":1,\"innovation\":1,\"x\":1}}",
      DESK_JSON_ERROR_UNKNOWN, "importance.x: not allowed" },
    { "{\"key_points\":[{\"heading\":\"h\",\"body\":\"b\",\"x\":1}]}", DESK_JSON_ERROR_UNKNOWN, "key_points[0].x: not allowed" },
    { "{\"title\":null}", DESK_JSON_ERROR_TYPE, "title: must be a string" },
    { "\"title\"", DESK_JSON_ERROR_TYPE, "must be an object" },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse (cases[i].json);
      g_autoptr(DeskEditable) editable = desk_editable_new_from_json (node, NULL, 0, DESK_FIELDS_ALL, FALSE, &error);

      g_assert_null (editable);
      g_assert_error (error, DESK_JSON_ERROR, (int) cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
    }

  /* A path prefix ends up in messages; the empty PATCH is fine. */
  {
    g_autoptr(JsonNode) node = parse ("{\"tags\":[1]}");
    g_autoptr(DeskEditable) editable = desk_editable_new_from_json (node, "machine", 0, DESK_FIELDS_ALL, FALSE, &error);

    g_assert_null (editable);
    g_assert_cmpstr (error->message, ==, "machine.tags[0]: must be a string");
    g_clear_error (&error);
  }
  {
    g_autoptr(JsonNode) node = parse ("{}");
    g_autoptr(DeskEditable) editable = desk_editable_new_from_json (node, NULL, 0, DESK_FIELDS_ALL, FALSE, &error);
    g_autoptr(JsonNode) out = NULL;
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (editable->present, ==, 0);
    out = desk_editable_to_json (editable);
    text = write_node (out);
    g_assert_cmpstr (text, ==, "{}");
  }
  /* Not allowed, although editable. */
  {
    g_autoptr(JsonNode) node = parse ("{\"title\":\"t\",\"body\":\"b\"}");
    g_autoptr(DeskEditable) editable = desk_editable_new_from_json (node, NULL, 0, DESK_FIELD_TITLE, FALSE, &error);

    g_assert_null (editable);
    g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_UNKNOWN);
    g_assert_cmpstr (error->message, ==, "body: not allowed");
    g_clear_error (&error);
  }
  /* Written in contract order whatever the input order; extra last. */
  {
    g_autoptr(JsonNode) node = parse ("{\"z\":0,\"editorial_comment\":\"c\",\"tags\":[],\"title\":\"t\"}");
    g_autoptr(DeskEditable) editable = desk_editable_new_from_json (node, NULL, 0, DESK_FIELDS_ALL, TRUE, &error);
    g_autoptr(JsonNode) out = NULL;
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    out = desk_editable_to_json (editable);
    text = write_node (out);
    g_assert_cmpstr (text, ==, "{\"title\":\"t\",\"tags\":[],\"editorial_comment\":\"c\",\"z\":0}");
  }
}

static void
test_editable_diff_merge (void)
{
  g_autoptr(DeskEntry) entry = read_entry (full_json, DESK_ENTRY_FORM_FULL);
  const DeskEditable *fields = desk_entry_get_fields (entry);
  const DeskEditable *machine = desk_entry_get_machine (entry);
  g_autoptr(DeskEditable) copy = desk_editable_copy (fields);
  g_autoptr(DeskEditable) patch = desk_editable_new ();
  DeskFields diff;

  g_assert_true (desk_editable_equal (fields, copy));
  g_assert_cmpint (desk_editable_diff (fields, copy), ==, 0);

  diff = desk_editable_diff (fields, machine);
  /* Every machine field differs in the sample, and editorial_comment is
   * only in one of them. */
  g_assert_cmpint (diff, ==, DESK_FIELDS_ALL);

  patch->present = DESK_FIELD_TLDR | DESK_FIELD_IMPORTANCE;
  patch->tldr = g_strdup ("新しい要約");
  patch->importance.overall = 5;
  patch->importance.depth = 5;
  patch->importance.relevance = 5;
  patch->importance.practicality = 5;
  patch->importance.innovation = 5;
  desk_editable_merge (copy, patch);
  g_assert_cmpint (desk_editable_diff (fields, copy), ==, DESK_FIELD_TLDR | DESK_FIELD_IMPORTANCE);
  g_assert_cmpstr (copy->tldr, ==, "新しい要約");
  g_assert_cmpstr (copy->title, ==, fields->title);
  g_assert_false (desk_editable_field_equal (fields, copy, DESK_FIELD_IMPORTANCE));
  g_assert_true (desk_editable_field_equal (fields, copy, DESK_FIELD_KEY_POINTS));

  /* Present in one only: differs. */
  g_assert_cmpint (desk_editable_diff (patch, copy), ==, DESK_FIELDS_ALL & ~(DESK_FIELD_TLDR | DESK_FIELD_IMPORTANCE));
  g_assert_false (desk_editable_equal (patch, copy));

  /* Boxed copy through GValue. */
  {
    g_auto(GValue) value = G_VALUE_INIT;
    const DeskEditable *boxed;

    g_value_init (&value, DESK_TYPE_EDITABLE);
    g_value_set_boxed (&value, copy);
    boxed = g_value_get_boxed (&value);
    g_assert_true (boxed != copy);
    g_assert_true (desk_editable_equal (boxed, copy));
  }
}

/* ---- rules ---------------------------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *path;        /* member of the valid fields to change */
  const char *value;
  const char *prefix;
  const char *expected;    /* the failing fields, joined with ' ' */
} RuleCase;

static const RuleCase rule_cases[] = {
  { "valid", NULL, NULL, NULL, "" },
  { "empty-title", "title", "\"\"", NULL, "title" },
  { "no-tags", "tags", "[]", NULL, "tags" },
  { "eleven-tags", "tags", "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]", NULL, "tags" },
  { "ten-tags", "tags", "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\"]", NULL, "" },
  { "hash-tag", "tags", "[\"AI\",\"#規制\"]", NULL, "tags[1]" },
  { "empty-tag", "tags", "[\"\",\"AI\"]", NULL, "tags[0]" },
  { "importance-0", "importance.depth", "0", NULL, "importance.depth" },
  { "importance-6", "importance.overall", "6", NULL, "importance.overall" },
  { "importance-negative", "importance.innovation", "-1", NULL, "importance.innovation" },
  { "eleven-key-points", "key_points",
    "[{\"heading\":\"h\",\"body\":\"b\"},{\"heading\":\"h\",\"body\":\"b\"},{\"heading\":\"h\",\"body\":\"b\"},"
    "{\"heading\":\"h\",\"body\":\"b\"},{\"heading\":\"h\",\"body\":\"b\"},{\"heading\":\"h\",\"body\":\"b\"},"
    "{\"heading\":\"h\",\"body\":\"b\"},{\"heading\":\"h\",\"body\":\"b\"},{\"heading\":\"h\",\"body\":\"b\"},"
    "{\"heading\":\"h\",\"body\":\"b\"},{\"heading\":\"h\",\"body\":\"b\"}]", NULL, "key_points" },
  { "no-key-points", "key_points", "[]", NULL, "" },
  { "empty-heading", "key_points[2].heading", "\"\"", NULL, "key_points[2].heading" },
  { "empty-key-point-body", "key_points[0].body", "\"\"", NULL, "key_points[0].body" },
  { "machine-prefix", "tags", "[\"#AI\"]", "machine.", "machine.tags[0]" },
  { "prefix-without-dot", "title", "\"\"", "machine", "machine.title" },
};

/* Field ids as the editor reads them (C locale: the English names). */
static void
test_field_describe (void)
{
  static const struct { const char *id; const char *name; } cases[] = {
    { "title", "Title" },
    { "tldr", "TL;DR" },
    { "tags", "Tags" },
    { "tags[0]", "Tag 1" },
    { "tags[9]", "Tag 10" },
    { "key_points", "Key points" },
    { "key_points[2].heading", "Key point 3, heading" },
    { "key_points[0].body", "Key point 1, body" },
    { "importance.depth", "Depth" },
    { "importance.overall", "Importance" },
    /* Not a field this app knows: as it is. */
    { "key_points[0].colour", "key_points[0].colour" },
    { "tags[1]x", "tags[1]x" },
    { "tags[-1]", "tags[-1]" },
    { "fields.title", "fields.title" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = desk_field_describe (cases[i].id);
      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

static void
test_check_rules (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (rule_cases); i++)
    {
      const RuleCase *c = &rule_cases[i];
      g_autoptr(JsonNode) root = parse (full_json);
      g_autoptr(DeskEntry) entry = NULL;
      g_autoptr(GPtrArray) errors = NULL;
      g_autoptr(GString) got = g_string_new (NULL);
      g_autoptr(GError) error = NULL;

      if (c->path != NULL)
        mutate (root, c->path, c->value);
      entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, &error);
      g_assert_no_error (error);

      errors = desk_editable_check_rules (desk_entry_get_fields (entry), c->prefix);
      for (guint j = 0; j < errors->len; j++)
        {
          const DeskFieldError *fe = g_ptr_array_index (errors, j);

          g_assert_nonnull (fe->message);
          g_assert_cmpstr (fe->message, !=, "");
          g_string_append_printf (got, "%s%s", j ? " " : "", fe->field);
        }
      if (strcmp (got->str, c->expected) != 0)
        g_error ("%s: expected \"%s\", got \"%s\"", c->name, c->expected, got->str);
    }

  /* Every failing rule is reported, not only the first. */
  {
    g_autoptr(JsonNode) root = parse (full_json);
    g_autoptr(DeskEntry) entry = NULL;
    g_autoptr(GPtrArray) errors = NULL;
    g_autoptr(GString) got = g_string_new (NULL);

    mutate (root, "title", "\"\"");
    mutate (root, "tags", "[\"#a\",\"\",\"ok\",\"#b\"]");
    mutate (root, "importance", "{\"overall\":0,\"depth\":6,\"relevance\":3,\"practicality\":3,\"innovation\":9}");
    mutate (root, "key_points", "[{\"heading\":\"\",\"body\":\"\"},{\"heading\":\"h\",\"body\":\"b\"}]");
    entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, NULL);
    g_assert_nonnull (entry);
    errors = desk_editable_check_rules (desk_entry_get_fields (entry), NULL);
    for (guint j = 0; j < errors->len; j++)
      g_string_append_printf (got, "%s%s", j ? " " : "", ((DeskFieldError *) g_ptr_array_index (errors, j))->field);
    g_assert_cmpstr (got->str, ==,
                     "title tags[0] tags[1] tags[3] importance.overall importance.depth "
                     "importance.innovation key_points[0].heading key_points[0].body");
    g_assert_cmpstr (((DeskFieldError *) g_ptr_array_index (errors, 0))->message, ==, "must not be empty");
    g_assert_cmpstr (((DeskFieldError *) g_ptr_array_index (errors, 3))->message, ==, "must not contain '#'");
    g_assert_cmpstr (((DeskFieldError *) g_ptr_array_index (errors, 4))->message, ==, "must be an integer from 1 to 5");
  }

  /* Only present members are checked. */
  {
    g_autoptr(DeskEditable) patch = desk_editable_new ();
    g_autoptr(GPtrArray) errors = NULL;

    patch->present = DESK_FIELD_BODY;
    patch->body = g_strdup ("");
    errors = desk_editable_check_rules (patch, NULL);
    g_assert_cmpuint (errors->len, ==, 0);
  }
}

/* ---- importance ------------------------------------------------------------------------ */

static void
test_importance_suggest (void)
{
  static const struct {
    gint64 depth, relevance, practicality, innovation;
    double weights[4];    /* all 0: the defaults */
    int    expected;
  } cases[] = {
    { 5, 5, 3, 4, { 0 }, 4 },                         /* 4.5 exactly: half down */
    { 1, 1, 1, 1, { 0 }, 1 },
    { 5, 5, 5, 5, { 0 }, 5 },
    { 3, 3, 1, 2, { 0 }, 2 },                         /* 2.5 → 2 */
    { 4, 5, 5, 5, { 0 }, 5 },                         /* 4.6 */
    { 5, 3, 5, 5, { 0 }, 4 },                         /* 4.4 */
    { 5, 4, 1, 1, { 0.5, 0.5, 0, 0 }, 4 },            /* 4.5 */
    { 5, 4, 1, 1, { 0.5000001, 0.4999999, 0, 0 }, 5 }, /* 4.5000001 */
    { 5, 4, 1, 1, { 0.4999999, 0.5000001, 0, 0 }, 4 }, /* 4.4999999 */
    { 5, 5, 3, 4, { 4, 3, 2, 1 }, 4 },                /* not normalised: 45/10 */
    { 5, 5, 3, 4, { 0.1, 0.1, 0.1, 0.1 }, 4 },        /* 17/4 = 4.25 */
    { 0, 0, 0, 0, { 0 }, 1 },                         /* clamped */
    { 9, 9, 9, 9, { 0 }, 5 },                         /* clamped */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DeskImportance importance = { 0 };
      DeskImportanceWeights weights;
      const DeskImportanceWeights *w = NULL;
      int got;

      importance.depth = cases[i].depth;
      importance.relevance = cases[i].relevance;
      importance.practicality = cases[i].practicality;
      importance.innovation = cases[i].innovation;
      if (cases[i].weights[0] + cases[i].weights[1] + cases[i].weights[2] + cases[i].weights[3] > 0)
        {
          weights.depth = cases[i].weights[0];
          weights.relevance = cases[i].weights[1];
          weights.practicality = cases[i].weights[2];
          weights.innovation = cases[i].weights[3];
          w = &weights;
        }

      got = desk_importance_suggest (&importance, w);
      if (got != cases[i].expected)
        g_error ("case %u: expected %d, got %d (mean %.17g)", i, cases[i].expected, got,
                 desk_importance_weighted_mean (&importance, w));
    }

  {
    DeskImportance importance = { .depth = 5, .relevance = 5, .practicality = 3, .innovation = 4 };
    DeskImportanceWeights defaults;

    desk_importance_weights_init_default (&defaults);
    g_assert_cmpfloat (defaults.depth, ==, 0.4);
    g_assert_cmpfloat (defaults.innovation, ==, 0.1);
    g_assert_cmpfloat_with_epsilon (desk_importance_weighted_mean (&importance, &defaults), 4.5, 1e-12);
  }
}

static void
test_importance_boxed (void)
{
  g_autoptr(JsonNode) root = parse (full_json);
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskImportance) copy = NULL;
  DeskImportance dest = { 0 };

  mutate (root, "importance.x", "[1]");
  entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_FULL, NULL);
  g_assert_nonnull (entry);

  copy = desk_importance_copy (desk_entry_get_importance (entry));
  g_assert_true (desk_importance_equal (copy, desk_entry_get_importance (entry)));
  g_assert_nonnull (copy->extra);
  g_assert_true (copy->extra != desk_entry_get_importance (entry)->extra);

  desk_importance_copy_into (&dest, copy);
  desk_importance_copy_into (&dest, copy);   /* frees the old extra */
  g_assert_true (desk_importance_equal (&dest, copy));
  dest.innovation++;
  g_assert_false (desk_importance_equal (&dest, copy));
  desk_importance_clear (&dest);
  g_assert_null (dest.extra);
  g_assert_cmpint (dest.overall, ==, 0);
}

/* ---- the other documents --------------------------------------------------------------- */

typedef struct {
  const char    *json;
  DeskJsonError  code;
  const char    *message;   /* prefix */
} DocCase;

typedef gpointer (*ReadDoc) (JsonNode *node, GError **error);

static void
check_doc_cases (const DocCase *cases,
                 guint          n,
                 ReadDoc        read,
                 GDestroyNotify free_func)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) node = parse (cases[i].json);
      g_autoptr(GError) error = NULL;
      gpointer doc = read (node, &error);

      if (doc != NULL)
        {
          free_func (doc);
          g_error ("case %u accepted: %s", i, cases[i].json);
        }
      if (error == NULL || error->code != (int) cases[i].code ||
          !g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u: expected %d \"%s…\", got %d \"%s\"", i, cases[i].code,
                 cases[i].message, error ? error->code : -1, error ? error->message : "");
    }
}

#define CONFIG_JSON \
  "{\"importance_weights\":{\"depth\":0.4,\"relevance\":0.3,\"practicality\":0.2,\"innovation\":0.1}," \
  "\"key_points\":{\"min\":3,\"max\":7},\"tldr_max_chars\":200,\"title_max_chars\":120,\"house_style\":\"desu-masu\"}"

static gpointer
read_config (JsonNode *node, GError **error)
{
  return desk_site_config_new_from_json (node, error);
}

static void
test_config (void)
{
  g_autoptr(DeskSiteConfig) defaults = desk_site_config_new_default ();
  g_autoptr(JsonNode) default_node = desk_site_config_to_json (defaults);
  g_autofree char *default_text = write_node (default_node);
  g_autoptr(JsonNode) node = parse ("{\"importance_weights\":{\"depth\":1,\"relevance\":0,\"practicality\":0,\"innovation\":0,\"future\":1},"
                                    "\"key_points\":{\"min\":0,\"max\":10},\"tldr_max_chars\":1,\"title_max_chars\":9007199254740992,"
                                    "\"house_style\":\"any\",\"new_member\":[true]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSiteConfig) config = NULL;
  g_autoptr(DeskSiteConfig) copy = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autofree char *text = NULL;
  static const DocCase cases[] = {
    { "[]", DESK_JSON_ERROR_TYPE, "must be an object" },
    { "{\"key_points\":{\"min\":3,\"max\":7},\"tldr_max_chars\":200,\"title_max_chars\":120,\"house_style\":\"any\"}",
      DESK_JSON_ERROR_MISSING, "importance_weights: required" },
    { "{\"importance_weights\":{\"depth\":1.5,\"relevance\":0.3,\"practicality\":0.2,\"innovation\":0.1},\"key_points\":{\"min\":3,\"max\":7},\"tldr_max_chars\":200,\"title_max_chars\":120,\"house_style\":\"any\"}",
      DESK_JSON_ERROR_RANGE, "importance_weights.depth: must be between 0 and 1" },
    { "{\"importance_weights\":{\"depth\":\"0.4\",\"relevance\":0.3,\"practicality\":0.2,\"innovation\":0.1},\"key_points\":{\"min\":3,\"max\":7},\"tldr_max_chars\":200,\"title_max_chars\":120,\"house_style\":\"any\"}",
      DESK_JSON_ERROR_TYPE, "importance_weights.depth: must be a number" },
    { "{\"importance_weights\":{\"depth\":0,\"relevance\":0,\"practicality\":0,\"innovation\":0},\"key_points\":{\"min\":3,\"max\":7},\"tldr_max_chars\":200,\"title_max_chars\":120,\"house_style\":\"any\"}",
      DESK_JSON_ERROR_RANGE, "importance_weights: must not all be 0" },
    { "{\"importance_weights\":{\"depth\":0.4,\"relevance\":0.3,\"practicality\":0.2,\"innovation\":0.1},\"key_points\":{\"min\":8,\"max\":7},\"tldr_max_chars\":200,\"title_max_chars\":120,\"house_style\":\"any\"}",
      DESK_JSON_ERROR_RANGE, "key_points.min: " },
    { "{\"importance_weights\":{\"depth\":0.4,\"relevance\":0.3,\"practicality\":0.2,\"innovation\":0.1},\"key_points\":{\"min\":3,\"max\":11},\"tldr_max_chars\":200,\"title_max_chars\":120,\"house_style\":\"any\"}",
      DESK_JSON_ERROR_RANGE, "key_points.max: must be between 0 and 10" },
    { "{\"importance_weights\":{\"depth\":0.4,\"relevance\":0.3,\"practicality\":0.2,\"innovation\":0.1},\"key_points\":{\"min\":3,\"max\":7},\"tldr_max_chars\":0,\"title_max_chars\":120,\"house_style\":\"any\"}",
      DESK_JSON_ERROR_RANGE, "tldr_max_chars: must be between 1 and" },
    { "{\"importance_weights\":{\"depth\":0.4,\"relevance\":0.3,\"practicality\":0.2,\"innovation\":0.1},\"key_points\":{\"min\":3,\"max\":7},\"tldr_max_chars\":200,\"house_style\":\"any\"}",
      DESK_JSON_ERROR_MISSING, "title_max_chars: required" },
    { "{\"importance_weights\":{\"depth\":0.4,\"relevance\":0.3,\"practicality\":0.2,\"innovation\":0.1},\"key_points\":{\"min\":3,\"max\":7},\"tldr_max_chars\":200,\"title_max_chars\":120,\"house_style\":\"formal\"}",
      DESK_JSON_ERROR_INVALID, "house_style: must be one of desu-masu, de-aru, any" },
  };

  g_assert_cmpstr (default_text, ==, CONFIG_JSON);

  {
    g_autoptr(JsonNode) contract = parse (CONFIG_JSON);
    g_autoptr(DeskSiteConfig) read = desk_site_config_new_from_json (contract, &error);
    g_autoptr(JsonNode) back = NULL;
    g_autofree char *back_text = NULL;

    g_assert_no_error (error);
    g_assert_cmpfloat (read->weights.relevance, ==, 0.3);
    g_assert_cmpint (read->key_points_max, ==, 7);
    g_assert_cmpint (read->house_style, ==, DESK_HOUSE_STYLE_DESU_MASU);
    back = desk_site_config_to_json (read);
    back_text = write_node (back);
    g_assert_cmpstr (back_text, ==, CONFIG_JSON);
  }

  config = desk_site_config_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->title_max_chars, ==, DESK_JSON_MAX_INT);
  g_assert_cmpint (config->house_style, ==, DESK_HOUSE_STYLE_ANY);
  copy = desk_site_config_copy (config);
  out = desk_site_config_to_json (copy);
  text = write_node (out);
  /* Integer weights come back as doubles; the top-level extra is kept. */
  g_assert_cmpstr (text, ==,
                   "{\"importance_weights\":{\"depth\":1.0,\"relevance\":0.0,\"practicality\":0.0,\"innovation\":0.0},"
                   "\"key_points\":{\"min\":0,\"max\":10},\"tldr_max_chars\":1,\"title_max_chars\":9007199254740992,"
                   "\"house_style\":\"any\",\"new_member\":[true]}");

  check_doc_cases (cases, G_N_ELEMENTS (cases), read_config, (GDestroyNotify) desk_site_config_free);
}

#define GLOSSARY_JSON \
  "{\"revision\":7,\"terms\":[{\"source\":\"Radical Optionality\",\"target\":\"ラディカル・オプショナリティ\"," \
  "\"forbidden\":[\"ラジカルなオプション性\"],\"note\":\"\"},{\"source\":\"Synthetic Term\",\"target\":\"合成語\"," \
  "\"forbidden\":[],\"note\":\"テスト用\",\"x\":1}],\"y\":null}"

static gpointer
read_glossary (JsonNode *node, GError **error)
{
  return desk_glossary_new_from_json (node, TRUE, error);
}

static void
test_glossary (void)
{
  g_autoptr(JsonNode) node = parse (GLOSSARY_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskGlossary) glossary = desk_glossary_new_from_json (node, TRUE, &error);
  g_autoptr(DeskGlossary) copy = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autofree char *text = NULL;
  DeskGlossaryTerm *term;
  static const DocCase cases[] = {
    { "{\"terms\":[]}", DESK_JSON_ERROR_MISSING, "revision: required" },
    { "{\"revision\":0,\"terms\":[]}", DESK_JSON_ERROR_RANGE, "revision: must be between 1 and" },
    { "{\"revision\":1}", DESK_JSON_ERROR_MISSING, "terms: required" },
    { "{\"revision\":1,\"terms\":{}}", DESK_JSON_ERROR_TYPE, "terms: must be an array" },
    { "{\"revision\":1,\"terms\":[{\"source\":\"a\",\"target\":\"b\"},{\"source\":\"a\",\"target\":\"c\"}]}",
      DESK_JSON_ERROR_INVALID, "terms[1].source: duplicate source \"a\"" },
    { "{\"revision\":1,\"terms\":[{\"source\":\"a\",\"target\":\"\"}]}", DESK_JSON_ERROR_INVALID, "terms[0].target: must not be empty" },
    { "{\"revision\":1,\"terms\":[{\"source\":\"\",\"target\":\"b\"}]}", DESK_JSON_ERROR_INVALID, "terms[0].source: must not be empty" },
    { "{\"revision\":1,\"terms\":[{\"source\":\"a\",\"target\":\"b\",\"forbidden\":[\"x\",\"\"]}]}",
      DESK_JSON_ERROR_INVALID, "terms[0].forbidden[1]: must not be empty" },
    { "{\"revision\":1,\"terms\":[{\"source\":\"a\",\"target\":\"b\",\"forbidden\":\"x\"}]}",
      DESK_JSON_ERROR_TYPE, "terms[0].forbidden: must be an array" },
    { "{\"revision\":1,\"terms\":[{\"source\":\"a\",\"target\":\"b\",\"note\":null}]}",
      DESK_JSON_ERROR_TYPE, "terms[0].note: must be a string" },
    { "{\"revision\":1,\"terms\":[\"a\"]}", DESK_JSON_ERROR_TYPE, "terms[0]: must be an object" },
  };

  g_assert_no_error (error);
  g_assert_cmpint (glossary->revision, ==, 7);
  g_assert_cmpuint (glossary->terms->len, ==, 2);
  term = g_ptr_array_index (glossary->terms, 0);
  g_assert_cmpstr (term->forbidden[0], ==, "ラジカルなオプション性");

  copy = desk_glossary_copy (glossary);
  out = desk_glossary_to_json (copy, TRUE);
  text = write_node (out);
  g_assert_cmpstr (text, ==, GLOSSARY_JSON);

  check_doc_cases (cases, G_N_ELEMENTS (cases), read_glossary, (GDestroyNotify) desk_glossary_free);

  /* A PUT body: no revision needed, any revision ignored, defaults filled. */
  {
    g_autoptr(JsonNode) put = parse ("{\"revision\":\"whatever\",\"terms\":[{\"source\":\"a\",\"target\":\"b\"}]}");
    g_autoptr(DeskGlossary) body = desk_glossary_new_from_json (put, FALSE, &error);
    g_autoptr(JsonNode) put_out = NULL;
    g_autofree char *put_text = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (body->revision, ==, 0);
    put_out = desk_glossary_to_json (body, FALSE);
    put_text = write_node (put_out);
    g_assert_cmpstr (put_text, ==, "{\"terms\":[{\"source\":\"a\",\"target\":\"b\",\"forbidden\":[],\"note\":\"\"}]}");
  }

  /* 10 000 terms are fine, 10 001 are not. */
  {
    g_autoptr(GString) big = g_string_new ("{\"revision\":1,\"terms\":[");
    g_autoptr(JsonNode) big_node = NULL;
    g_autoptr(DeskGlossary) big_glossary = NULL;

    for (guint i = 0; i < 10000; i++)
      g_string_append_printf (big, "%s{\"source\":\"s%u\",\"target\":\"t\"}", i ? "," : "", i);
    g_string_append (big, "]}");
    big_node = parse (big->str);
    big_glossary = desk_glossary_new_from_json (big_node, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (big_glossary->terms->len, ==, 10000);
    g_clear_pointer (&big_glossary, desk_glossary_free);
    g_clear_pointer (&big_node, json_node_unref);

    g_string_truncate (big, big->len - 2);
    g_string_append (big, ",{\"source\":\"s10000\",\"target\":\"t\"}]}");
    big_node = parse (big->str);
    big_glossary = desk_glossary_new_from_json (big_node, TRUE, &error);
    g_assert_null (big_glossary);
    g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_RANGE);
    g_assert_cmpstr (error->message, ==, "terms: must have at most 10000 items");
  }
}

static gpointer
read_account (JsonNode *node, GError **error)
{
  return desk_account_new_from_json (node, error);
}

static void
test_account (void)
{
  const char *json = "{\"account\":\"sato\",\"display_name\":\"佐藤\",\"role\":\"editor\",\"since\":\"2026\"}";
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskAccount) account = desk_account_new_from_json (node, &error);
  g_autoptr(DeskAccount) copy = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autofree char *text = NULL;
  static const DocCase cases[] = {
    { "{\"account\":\"sato\",\"display_name\":\"佐藤\",\"role\":\"admin\"}", DESK_JSON_ERROR_INVALID, "role: must be editor or pipeline" },
    { "{\"account\":\"sato\",\"role\":\"editor\"}", DESK_JSON_ERROR_MISSING, "display_name: required" },
    { "{\"account\":5,\"display_name\":\"x\",\"role\":\"editor\"}", DESK_JSON_ERROR_TYPE, "account: must be a string" },
    { "{\"account\":\"\",\"display_name\":\"x\",\"role\":\"editor\"}", DESK_JSON_ERROR_INVALID, "account: must not be empty" },
    { "null", DESK_JSON_ERROR_TYPE, "must be an object" },
  };

  g_assert_no_error (error);
  g_assert_cmpstr (account->display_name, ==, "佐藤");
  copy = desk_account_copy (account);
  out = desk_account_to_json (copy);
  text = write_node (out);
  g_assert_cmpstr (text, ==, json);

  check_doc_cases (cases, G_N_ELEMENTS (cases), read_account, (GDestroyNotify) desk_account_free);
}

static gpointer
read_page (JsonNode *node, GError **error)
{
  return desk_entry_page_new_from_json (node, error);
}

static void
test_entry_page (void)
{
  g_autofree char *json = g_strdup_printf ("{\"entries\":[%s,%s],\"cursor\":\"c-42\",\"more\":true}",
                                           summary_json, summary_json);
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskEntryPage) page = desk_entry_page_new_from_json (node, &error);
  g_autoptr(JsonNode) out = NULL;
  g_autofree char *text = NULL;
  static const DocCase cases[] = {
    { "{\"cursor\":\"c\",\"more\":false}", DESK_JSON_ERROR_MISSING, "entries: required" },
    { "{\"entries\":[],\"cursor\":\"c\",\"more\":\"no\"}", DESK_JSON_ERROR_TYPE, "more: must be a boolean" },
    { "{\"entries\":[],\"more\":false}", DESK_JSON_ERROR_MISSING, "cursor: required" },
    { "{\"entries\":[],\"cursor\":7,\"more\":false}", DESK_JSON_ERROR_TYPE, "cursor: must be a string" },
    { "{\"entries\":[1],\"cursor\":\"c\",\"more\":false}", DESK_JSON_ERROR_TYPE, "entries[0]: must be an object" },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (page->entries->len, ==, 2);
  g_assert_true (page->more);
  g_assert_cmpstr (page->cursor, ==, "c-42");
  out = desk_entry_page_to_json (page);
  text = write_node (out);
  g_assert_cmpstr (text, ==, json);

  check_doc_cases (cases, G_N_ELEMENTS (cases), read_page, (GDestroyNotify) desk_entry_page_free);

  /* Entries are read as summaries, with their index in the path. */
  {
    g_autoptr(JsonNode) bad = parse (json);
    g_autoptr(DeskEntryPage) none = NULL;

    mutate (bad, "entries[1].body", "\"x\"");
    none = desk_entry_page_new_from_json (bad, &error);
    g_assert_null (none);
    g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_UNKNOWN);
    g_assert_cmpstr (error->message, ==, "entries[1].body: not allowed in the summary form");
    g_clear_error (&error);
  }
  {
    g_autoptr(JsonNode) bad = parse (json);
    g_autoptr(DeskEntryPage) none = NULL;

    mutate (bad, "entries[0].source.url", "\"ftp://x\"");
    none = desk_entry_page_new_from_json (bad, &error);
    g_assert_null (none);
    g_assert_cmpstr (error->message, ==, "entries[0].source.url: must be an absolute http or https URL");
  }
}

static gpointer
read_api_error (JsonNode *node, GError **error)
{
  return desk_api_error_new_from_json (node, error);
}

static void
test_api_error (void)
{
  const char *invalid = "{\"error\":{\"code\":\"invalid\",\"message\":\"2 fields\"},"
                        "\"fields\":[{\"field\":\"importance.depth\",\"message\":\"must be an integer from 1 to 5\"},"
                        "{\"field\":\"tags[3]\",\"message\":\"must not contain '#'\"}]}";
  g_autofree char *stale = g_strdup_printf ("{\"error\":{\"code\":\"precondition_failed\",\"message\":\"stale\"},\"current\":%s}", full_json);
  const char *locked = "{\"error\":{\"code\":\"locked\",\"message\":\"held\"},\"lock\":" LOCK_JSON ",\"retry\":1}";
  const char *glossary_stale = "{\"error\":{\"code\":\"precondition_failed\",\"message\":\"stale\"},"
                               "\"current\":{\"revision\":2,\"terms\":[]}}";
  const char *docs[] = { invalid, stale, locked, glossary_stale, "{\"error\":{\"code\":\"not_found\",\"message\":\"\"}}" };
  static const DocCase cases[] = {
    { "{}", DESK_JSON_ERROR_MISSING, "error: required" },
    { "{\"error\":\"bad\"}", DESK_JSON_ERROR_TYPE, "error: must be an object" },
    { "{\"error\":{\"code\":5,\"message\":\"m\"}}", DESK_JSON_ERROR_TYPE, "error.code: must be a string" },
    { "{\"error\":{\"code\":\"x\"}}", DESK_JSON_ERROR_MISSING, "error.message: required" },
    { "{\"error\":{\"code\":\"x\",\"message\":\"m\"},\"fields\":[{\"message\":\"m\"}]}", DESK_JSON_ERROR_MISSING, "fields[0].field: required" },
    { "{\"error\":{\"code\":\"x\",\"message\":\"m\"},\"fields\":{}}", DESK_JSON_ERROR_TYPE, "fields: must be an array" },
    { "{\"error\":{\"code\":\"x\",\"message\":\"m\"},\"lock\":{\"acquired_at\":\"2026-05-12T09:10:00Z\",\"expires_at\":\"2026-05-12T09:10:00Z\"}}",
      DESK_JSON_ERROR_MISSING, "lock.editor: required" },
    { "{\"error\":{\"code\":\"x\",\"message\":\"m\"},\"current\":{\"id\":\"a\"}}", DESK_JSON_ERROR_MISSING, "current.revision: required" },
    { "{\"error\":{\"code\":\"x\",\"message\":\"m\"},\"current\":{\"revision\":0,\"terms\":[]}}", DESK_JSON_ERROR_RANGE, "current.revision: must be between 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr(JsonNode) node = parse (docs[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskApiError) api_error = desk_api_error_new_from_json (node, &error);
      g_autoptr(DeskApiError) copy = NULL;
      g_autoptr(JsonNode) out = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      copy = desk_api_error_copy (api_error);
      out = desk_api_error_to_json (copy);
      text = write_node (out);
      g_assert_cmpstr (text, ==, docs[i]);
    }

  {
    g_autoptr(JsonNode) node = parse (invalid);
    g_autoptr(DeskApiError) api_error = desk_api_error_new_from_json (node, NULL);

    g_assert_cmpstr (api_error->code, ==, "invalid");
    g_assert_cmpuint (api_error->fields->len, ==, 2);
    g_assert_cmpstr (((DeskFieldError *) g_ptr_array_index (api_error->fields, 1))->field, ==, "tags[3]");
    g_assert_null (api_error->current);
  }
  {
    g_autoptr(JsonNode) node = parse (stale);
    g_autoptr(DeskApiError) api_error = desk_api_error_new_from_json (node, NULL);

    g_assert_nonnull (api_error->current);
    g_assert_cmpint (desk_entry_get_revision (api_error->current), ==, 3);
    g_assert_null (api_error->fields);
  }
  {
    g_autoptr(JsonNode) node = parse (glossary_stale);
    g_autoptr(DeskApiError) api_error = desk_api_error_new_from_json (node, NULL);

    g_assert_null (api_error->current);
    g_assert_nonnull (api_error->current_glossary);
    g_assert_cmpint (api_error->current_glossary->revision, ==, 2);
  }
  {
    g_autoptr(DeskApiError) made = desk_api_error_new ("unauthorized", "no token");
    g_autoptr(JsonNode) out = desk_api_error_to_json (made);
    g_autofree char *text = write_node (out);

    g_assert_cmpstr (text, ==, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"no token\"}}");
  }

  check_doc_cases (cases, G_N_ELEMENTS (cases), read_api_error, (GDestroyNotify) desk_api_error_free);
}

/* A server refuses members nobody knows; it finds them through this. */
static void
test_unknown_member_path (void)
{
  static const struct { const char *path; const char *value; const char *expected; } cases[] = {
    { NULL, NULL, NULL },
    { "x_new", "1", "x_new" },
    { "source.x_new", "1", "source.x_new" },
    { "original.x_new", "1", "original.x_new" },
    { "machine.x_new", "1", "machine.x_new" },
    { "machine.importance.x_new", "1", "machine.importance.x_new" },
    { "machine.key_points",
      "[{\"heading\":\"h\",\"body\":\"b\"},{\"heading\":\"h\",\"body\":\"b\",\"x_new\":1}]",
      "machine.key_points[1].x_new" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = parse (pipeline_json);
      g_autoptr(DeskEntry) entry = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *found = NULL;

      if (cases[i].path != NULL)
        mutate (root, cases[i].path, cases[i].value);
      entry = desk_entry_new_from_json (root, DESK_ENTRY_FORM_PIPELINE, &error);
      g_assert_no_error (error);
      found = desk_entry_dup_unknown_member_path (entry);
      g_assert_cmpstr (found, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/entry/enums", test_enums);
  g_test_add_func ("/entry/unknown-member-path", test_unknown_member_path);
  g_test_add_func ("/entry/status-transitions", test_status_transitions);
  g_test_add_func ("/entry/validators", test_validators);
  g_test_add_func ("/entry/form/full", test_full_form);
  g_test_add_func ("/entry/form/summary", test_summary_form);
  g_test_add_func ("/entry/form/pipeline", test_pipeline_form);
  g_test_add_func ("/entry/nullable-members", test_nullable_members);
  g_test_add_func ("/entry/unknown-members-kept", test_unknown_members_kept);
  g_test_add_func ("/entry/malformed", test_malformed_entries);
  g_test_add_func ("/entry/large-body", test_large_body);
  g_test_add_func ("/entry/samples", test_samples);
  g_test_add_func ("/entry/property-notify", test_property_notify);
  g_test_add_func ("/entry/apply-fields", test_apply_fields);
  g_test_add_func ("/editable/read-patch", test_editable_read_patch);
  g_test_add_func ("/editable/diff-merge", test_editable_diff_merge);
  g_test_add_func ("/editable/check-rules", test_check_rules);
  g_test_add_func ("/importance/suggest", test_importance_suggest);
  g_test_add_func ("/importance/boxed", test_importance_boxed);
  g_test_add_func ("/api/config", test_config);
  g_test_add_func ("/api/glossary", test_glossary);
  g_test_add_func ("/entry/field-describe", test_field_describe);
  g_test_add_func ("/api/account", test_account);
  g_test_add_func ("/api/entry-page", test_entry_page);
  g_test_add_func ("/api/error", test_api_error);

  return g_test_run ();
}
