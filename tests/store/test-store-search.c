/* test-store-search.c: DeskStore search: trigram words, 1–2 character words, hostile queries
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "store-test-util.h"

/* The texts are chosen so that each query word occurs only where the test
 * says: no stray "ai" in English words, no 株 or 推論 in other Japanese. */
static const StoreTestEntry specs[] = {
  { .id = "e1", .title = "株価とAIの関係", .tldr = "市場の動きを解説します", .body = "日本の市場について",
    .tags = "市場", .original_title = "Markets and machine learning",
    .original_html = "<p>Stock markets</p>", .updated_at = "2026-05-01T00:00:00+09:00" },
  { .id = "e2", .title = "推論コストの話", .tldr = "費用を下げる方法", .body = "計算資源の節約",
    .tags = "コスト", .original_title = "Inference costs",
    .original_html = "<div><p>New <b>Bench</b>mark results</p></div>",
    .updated_at = "2026-05-02T00:00:00+09:00" },
  { .id = "e3", .title = "市場の新しい動き", .tldr = "強化学習で取引する研究",
    .body = "株式の売買を自動化します", .tags = "研究", .original_title = "Trading with RL",
    .original_html = "<p>Trading agents</p>", .updated_at = "2026-05-03T00:00:00+09:00" },
  { .id = "e5", .title = "強化学習の入門", .tldr = "基礎から学ぶ", .body = "報酬と方策",
    .tags = "入門", .original_title = "Intro to RL", .original_html = "<p>Policy gradients</p>",
    .updated_at = "2026-05-05T00:00:00+09:00" },
  { .id = "e6", .title = "評価手法のまとめ", .tldr = "100%の再現性", .body = "評価の方法",
    .tags = "評価", .original_title = "BENCHMARKS for agents",
    .original_html = "<p>Evaluation suite</p>", .updated_at = "2026-05-06T00:00:00+09:00" },
  { .id = "e7", .title = "安全性の話題", .tldr = "注意点", .body = "リスクの整理", .tags = "安全性",
    .original_title = "Safety notes",
    .original_html = "<script>var x = \"強化学習 benchmark 株 ai\";</script>"
                     "<style>.推論 { color: red }</style>"
                     "<p><a href=\"https://benchmark.example/ai\" title=\"株\">link</a> simple words</p>"
                     "<!-- 推論 株 -->",
    .updated_at = "2026-05-07T00:00:00+09:00" },
};

/* Only a summary: no body or original text, but tags and titles. */
static const StoreTestEntry summary_spec = {
  .id = "e4", .title = "言語モデルの新版", .tldr = "性能が向上しました", .tags = "推論,言語モデル",
  .original_title = "New language model", .updated_at = "2026-05-04T00:00:00+09:00",
};

typedef struct {
  char      *dir;
  DeskStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);

  f->dir = store_test_mkdtemp ();
  path = g_build_filename (f->dir, "search.sqlite", NULL);
  f->store = desk_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_ptr_array_add (page, store_test_make_entry (&specs[i], DESK_ENTRY_FORM_SUMMARY));
      g_ptr_array_add (full, store_test_make_entry (&specs[i], DESK_ENTRY_FORM_FULL));
    }
  g_ptr_array_add (page, store_test_make_entry (&summary_spec, DESK_ENTRY_FORM_SUMMARY));

  /* As sync does it: summaries first, then the full entries. */
  g_assert_true (desk_store_upsert_summaries_sync (f->store, page, "c", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (desk_store_upsert_entries_sync (f->store, full, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  store_test_rmdir (f->dir);
  g_free (f->dir);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids found, sorted, space-separated. */
static char *
search_ids (DeskStore  *store,
            const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);

  rows = desk_store_search_sync (store, query, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rows);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (ids, ((DeskStoreRow *) g_ptr_array_index (rows, i))->id);
  g_ptr_array_sort (ids, compare_strings);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "", (char *) g_ptr_array_index (ids, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_search(store, query, expected)                 \
  G_STMT_START {                                              \
    g_autofree char *found__ = search_ids (store, query);     \
    if (g_strcmp0 (found__, expected) != 0)                   \
      g_error ("search for «%s»: found «%s», expected «%s»",  \
               query, found__, expected);                     \
  } G_STMT_END

static void
test_japanese (Fixture       *f,
               gconstpointer  data)
{
  /* 1 character: title of e1, body of e3; e7 has it only in markup. */
  assert_search (f->store, "株", "e1 e3");
  /* 2 characters: title of e2, a tag of the summary-only e4. */
  assert_search (f->store, "推論", "e2 e4");
  /* 3+ characters: title of e5, TL;DR of e3; not e7's script. */
  assert_search (f->store, "強化学習", "e3 e5");
  assert_search (f->store, "学習の入", "e5");
  assert_search (f->store, "言語モデル", "e4");
  /* Words are ANDed, long and short mixed. */
  assert_search (f->store, "強化学習 株", "e3");
  assert_search (f->store, "強化学習　入門", "e5");  /* U+3000 separates too */
  assert_search (f->store, "市場 株", "e1 e3");
  assert_search (f->store, "存在しない語", "");
}

static void
test_english (Fixture       *f,
              gconstpointer  data)
{
  /* Case-insensitive, in the original's text (inline tags inside the word)
   * and title; not in e7's attributes, script or comment. */
  assert_search (f->store, "benchmark", "e2 e6");
  assert_search (f->store, "BENCHMARK", "e2 e6");
  assert_search (f->store, "ai", "e1");
  assert_search (f->store, "AI", "e1");
  assert_search (f->store, "trading agents", "e3");
  assert_search (f->store, "agents", "e3 e6");
  assert_search (f->store, "simple words", "e7");
  assert_search (f->store, "link", "e7");
  assert_search (f->store, "color", "");
  assert_search (f->store, "href", "");
}

static void
test_hostile_queries (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const queries[] = {
    "\"", "\"\"", "%", "_", "*", "NEAR", "NEAR(a b)", "a OR b", "強化\" OR \"株",
    "title:株", "(", ")", "\\", "'", "'; DROP TABLE entries; --", "^株", "株*", "-", "+",
    "{title tldr}: x", "AND", "NOT 株", "\xe6\xa0", "  ", "",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GPtrArray) rows = desk_store_search_sync (f->store, queries[i], -1, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (rows);
    }

  /* Metacharacters are text: % is only in e6, _ nowhere, and the quoted
   * "OR" of FTS finds nothing rather than both words. */
  assert_search (f->store, "%", "e6");
  assert_search (f->store, "100%", "e6");
  assert_search (f->store, "_", "");
  assert_search (f->store, "*", "");
  assert_search (f->store, "NEAR", "");
  assert_search (f->store, "強化\" OR \"株", "");
  assert_search (f->store, "", "");

  /* Still a working store. */
  g_assert_cmpint (desk_store_count_entries_sync (f->store, 0, NULL, &error), ==, 7);
}

static void
test_reindex (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rows = NULL;
  StoreTestEntry changed = specs[3];

  /* A new revision of e5 without the word: found no more. */
  changed.revision = 2;
  changed.title = "方策勾配の入門";
  changed.body = "新しい本文";
  g_ptr_array_add (full, store_test_make_entry (&changed, DESK_ENTRY_FORM_FULL));
  g_assert_true (desk_store_upsert_entries_sync (f->store, full, NULL, &error));
  assert_search (f->store, "強化学習", "e3");
  assert_search (f->store, "方策勾配", "e5");
  assert_search (f->store, "報酬", "");
  assert_search (f->store, "新し", "e3 e5");

  /* Results carry the row's columns. */
  rows = desk_store_search_sync (f->store, "方策勾配", 10, NULL, &error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((DeskStoreRow *) g_ptr_array_index (rows, 0))->title, ==, "方策勾配の入門");
  g_assert_cmpint (((DeskStoreRow *) g_ptr_array_index (rows, 0))->revision, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The limit holds on both paths. */
  rows = desk_store_search_sync (f->store, "の", 2, NULL, &error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = desk_store_search_sync (f->store, "agents", 1, NULL, &error);
  g_assert_cmpuint (rows->len, ==, 1);
}

/* FTS5's own check that an external-content index holds exactly what its
 * content table says: the background pass must keep entry_text and
 * entry_fts in step at every commit. */
static void
assert_index_consistent (const char *path)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, "INSERT INTO entry_fts (entry_fts) VALUES ('integrity-check')",
                    NULL, NULL, &message) != SQLITE_OK)
    g_error ("entry_fts integrity-check: %s", message);
  sqlite3_close (db);
}

/* Full entries with a word only their original has, as a first sync
 * stores them: summaries, then full entries in one large batch. */
#define N_ORIGINALS 300

static void
add_originals (DeskStore  *store,
               guint       revision,
               const char *word)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < N_ORIGINALS; i++)
    {
      g_autofree char *id = g_strdup_printf ("o%04u", i);
      /* Every third entry has the word; the others are a near miss. */
      g_autofree char *html = g_strdup_printf ("<p>Report %u on <b>%s</b></p>", i,
                                               i % 3 == 0 ? word : "nothing in particular");
      StoreTestEntry spec = {
        .id = id, .revision = revision, .title = "原文の検索", .tldr = "要約", .body = "本文",
        .tags = "検索", .original_title = "Searching originals", .original_html = html,
        .updated_at = "2026-05-01T00:00:00+09:00",
      };

      g_ptr_array_add (page, store_test_make_entry (&spec, DESK_ENTRY_FORM_SUMMARY));
      /* In another order than the summaries, as a prefetch stores them. */
      g_ptr_array_insert (full, 0, store_test_make_entry (&spec, DESK_ENTRY_FORM_FULL));
    }
  g_assert_true (desk_store_upsert_summaries_sync (store, page, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (desk_store_upsert_entries_sync (store, full, NULL, &error));
  g_assert_no_error (error);
}

static char *
originals_with_word (void)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < N_ORIGINALS; i += 3)
    g_string_append_printf (out, "%so%04u", out->len > 0 ? " " : "", i);
  return g_string_free (out, FALSE);
}

/* Waits for the background pass alone (no search, no flush) to index
 * everything; fails after 30 s. */
static void
wait_unindexed_zero (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  gint64 n;

  while ((n = desk_store_count_unindexed_sync (store, NULL, &error)) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * 1000);
    }
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
}

/* The originals' text is indexed after the entries are stored: by the
 * background pass by itself, and it goes on after a restart. */
static void
test_originals_background (void)
{
  g_autofree char *dir = store_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "originals.sqlite", NULL);
  g_autofree char *expected = originals_with_word ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open_sync (path, NULL, &error);
  gint64 waiting;

  g_assert_no_error (error);
  add_originals (store, 1, "walrus");
  /* The entries are there, readable, at once. */
  g_assert_cmpint (desk_store_count_entries_sync (store, 0, NULL, &error), ==, N_ORIGINALS);
  {
    g_autoptr(DeskEntry) entry = desk_store_get_entry_sync (store, "o0003", NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (entry);
    g_assert_nonnull (strstr (desk_entry_get_original (entry)->html, "walrus"));
  }
  waiting = desk_store_count_unindexed_sync (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waiting, >=, 0);
  g_assert_cmpint (waiting, <=, N_ORIGINALS);

  wait_unindexed_zero (store);
  assert_index_consistent (path);
  assert_search (store, "walrus", expected);
  g_clear_object (&store);

  /* A new revision with another original: stored, then the store stops
   * before the pass has run; after a restart the pass finishes. */
  store = desk_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  add_originals (store, 2, "narwhal");
  g_clear_object (&store);

  store = desk_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  wait_unindexed_zero (store);
  assert_index_consistent (path);
  assert_search (store, "narwhal", expected);
  assert_search (store, "walrus", "");

  g_clear_object (&store);
  store_test_rmdir (dir);
}

/* A search right after a large batch is complete: it indexes what waits. */
static void
test_originals_search_flushes (void)
{
  g_autofree char *dir = store_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "originals.sqlite", NULL);
  g_autofree char *expected = originals_with_word ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open_sync (path, NULL, &error);
  gint64 n;

  g_assert_no_error (error);
  add_originals (store, 1, "walrus");
  assert_search (store, "walrus", expected);
  g_assert_cmpint (desk_store_count_unindexed_sync (store, NULL, &error), ==, 0);

  /* An unchanged original is not indexed again; a changed one is. */
  add_originals (store, 2, "walrus");
  g_assert_cmpint (desk_store_flush_index_sync (store, NULL, &error), ==, 0);
  g_assert_no_error (error);
  add_originals (store, 3, "narwhal");
  n = desk_store_flush_index_sync (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >=, 0);
  g_assert_cmpint (n, <=, N_ORIGINALS);
  g_assert_cmpint (desk_store_count_unindexed_sync (store, NULL, &error), ==, 0);
  assert_index_consistent (path);
  assert_search (store, "narwhal", expected);
  assert_search (store, "walrus", "");
  /* The rest of each entry is still there next to the new original. */
  assert_search (store, "Searching originals narwhal", expected);
  assert_search (store, "原文の検索 narwhal", expected);

  g_clear_object (&store);
  store_test_rmdir (dir);
}

#define N_BROAD 2100

static int
compare_rows_updated_desc (gconstpointer a,
                           gconstpointer b)
{
  const DeskStoreRow *x = *(const DeskStoreRow * const *) a;
  const DeskStoreRow *y = *(const DeskStoreRow * const *) b;

  /* The test's times are all UTC with the same form: text order is time
   * order here. */
  return -g_strcmp0 (x->updated_at, y->updated_at);
}

/* Over 2000 matches: the last added matches, newest change first. */
static void
test_broad (void)
{
  g_autofree char *dir = store_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "broad.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open_sync (path, NULL, &error);
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  static const char * const queries[] = { "共通の話題", "共", "common topic" };

  g_assert_no_error (error);
  for (guint i = 0; i < N_BROAD; i++)
    {
      g_autofree char *id = g_strdup_printf ("b%04u", i);
      /* Times in another order than the insertion. */
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (1767225600 + (gint64) (i * 7919 % N_BROAD) * 60);
      g_autofree char *updated = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S+00:00");
      StoreTestEntry spec = {
        .id = id, .title = "共通の話題", .original_title = "A common topic",
        .tags = i % 3 == 0 ? "AI,話題" : "話題", .updated_at = updated,
      };

      g_ptr_array_add (page, store_test_make_entry (&spec, DESK_ENTRY_FORM_SUMMARY));
    }
  g_assert_true (desk_store_upsert_summaries_sync (store, page, NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GPtrArray) rows = desk_store_search_sync (store, queries[q], 10, NULL, &error);
      g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_store_row_free);

      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, 10);
      /* The ten added last, b2090…b2099, sorted by their change time. */
      for (guint i = 0; i < 10; i++)
        g_ptr_array_add (expected, desk_store_row_copy (g_ptr_array_index (rows, i)));
      g_ptr_array_sort (expected, compare_rows_updated_desc);
      for (guint i = 0; i < 10; i++)
        {
          DeskStoreRow *row = g_ptr_array_index (rows, i);

          g_assert_cmpstr (row->id, >=, "b2090");
          g_assert_cmpstr (row->id, ==, ((DeskStoreRow *) g_ptr_array_index (expected, i))->id);
        }
    }

  /* A short word riding along with a broad long one filters it. */
  {
    g_autoptr(GPtrArray) rows = desk_store_search_sync (store, "共通の話題 AI", 20, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 20);
    for (guint i = 0; i < rows->len; i++)
      {
        const char *id = ((DeskStoreRow *) g_ptr_array_index (rows, i))->id;

        g_assert_cmpuint (g_ascii_strtoull (id + 1, NULL, 10) % 3, ==, 0);
        g_assert_cmpstr (id, >=, "b2040");
      }
  }

  g_clear_object (&store);
  store_test_rmdir (dir);
}

static void
test_html_to_text (void)
{
  static const struct { const char *html; const char *text; } cases[] = {
    { "<p>Hello <b>wor</b>ld</p><p>again</p>", "Hello world again" },
    { "<b>強化</b>学習", "強化学習" },
    { "a<br>b<br/>c", "a b c" },
    { "<script>alert('x')</script>visible<style>p{}</style>", "visible" },
    { "<SCRIPT type=\"a\">x</SCRIPT >y", "y" },
    { "<!-- hidden -->shown<!-- unterminated", "shown" },
    { "<a href=\"x>y\" title='a>b'>link</a>", "link" },
    { "AT&amp;T &lt;tag&gt; &quot;q&quot; &#26666; &#x682A; &nbsp;x", "AT&T <tag> \"q\" 株 株 x" },
    { "&#0; &#xD800; &#99999999999;", "\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd" },
    { "a & b &unknown; c", "a & b &unknown; c" },
    { "1 < 2 and 3 > 2", "1 < 2 and 3 > 2" },
    { "  many \n\t spaces  ", "many spaces" },
    { "bad \xff byte", "bad \xef\xbf\xbd byte" },
    { "<p>unterminated <b", "unterminated" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = desk_store_html_to_text (cases[i].html);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/search/html-to-text", test_html_to_text);
  g_test_add_func ("/store/search/broad", test_broad);
  g_test_add_func ("/store/search/originals-background", test_originals_background);
  g_test_add_func ("/store/search/originals-search-flushes", test_originals_search_flushes);
  g_test_add ("/store/search/japanese", Fixture, NULL, fixture_set_up, test_japanese,
              fixture_tear_down);
  g_test_add ("/store/search/english", Fixture, NULL, fixture_set_up, test_english,
              fixture_tear_down);
  g_test_add ("/store/search/hostile-queries", Fixture, NULL, fixture_set_up,
              test_hostile_queries, fixture_tear_down);
  g_test_add ("/store/search/reindex", Fixture, NULL, fixture_set_up, test_reindex,
              fixture_tear_down);

  return g_test_run ();
}
