/* test-store.c: DeskStore round trips, the async API, cancellation, migration and the outbox
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "store-test-util.h"
#include "desk-store-private.h"

typedef struct {
  char      *dir;
  char      *path;
  DeskStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = store_test_mkdtemp ();
  f->path = g_build_filename (f->dir, "store.sqlite", NULL);
  f->store = desk_store_open_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
  g_assert_false (desk_store_get_recovered (f->store));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  store_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->store);
  f->store = desk_store_open_sync (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (desk_store_get_recovered (f->store));
}

static const StoreTestEntry spec_a = {
  .id = "entry-a", .revision = 3, .status = DESK_ENTRY_STATUS_IN_REVIEW,
  .kind = DESK_ENTRY_KIND_PAPER, .source_name = "Import Synthetic",
  .title = "強化学習の新しい手法", .tldr = "要約その一", .body = "本文その一",
  .tags = "強化学習,論文", .original_title = "A New Method for RL",
  .original_html = "<p>Original <b>text</b> one</p>", .importance = 4,
  .updated_at = "2026-05-12T10:00:00+09:00", .collected_at = "2026-05-11T08:00:00+09:00",
};

static const StoreTestEntry spec_b = {
  .id = "entry-b", .revision = 1, .status = DESK_ENTRY_STATUS_INCOMING,
  .kind = DESK_ENTRY_KIND_ARTICLE, .source_name = "Weekly Synthetic",
  .title = "推論コストの話", .tldr = "要約その二", .tags = "推論",
  .original_title = "Inference costs", .importance = 2,
  /* Earlier than entry-a in time although later as text (offsets). */
  .updated_at = "2026-05-12T02:30:00+00:00", .collected_at = "2026-05-10T08:00:00+09:00",
  .lock_editor = "sato",
};

static const StoreTestEntry spec_c = {
  .id = "entry-c", .revision = 2, .status = DESK_ENTRY_STATUS_PUBLISHED,
  .kind = DESK_ENTRY_KIND_VIDEO, .title = "動画の書き起こし", .tags = "動画",
  .importance = 5, .updated_at = "2026-05-13T00:00:00+09:00",
  .collected_at = "2026-05-12T00:00:00+09:00",
};

static GPtrArray *
summaries (void)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (entries, store_test_make_entry (&spec_a, DESK_ENTRY_FORM_SUMMARY));
  g_ptr_array_add (entries, store_test_make_entry (&spec_b, DESK_ENTRY_FORM_SUMMARY));
  g_ptr_array_add (entries, store_test_make_entry (&spec_c, DESK_ENTRY_FORM_SUMMARY));
  return entries;
}

static void
assert_row_ids (GPtrArray  *rows,
                const char *expected)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_nonnull (rows);
  for (guint i = 0; i < rows->len; i++)
    {
      DeskStoreRow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", row->id);
    }
  g_assert_cmpstr (ids->str, ==, expected);
}

/* ---- entries -------------------------------------------------------------------- */

static void
test_entries (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = summaries ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(DeskEntry) got = NULL;
  g_autofree char *cursor = NULL;
  g_auto(GStrv) stale = NULL;
  DeskStoreRow *row;

  g_assert_true (desk_store_upsert_summaries_sync (f->store, entries, "cursor-1", NULL, &error));
  g_assert_no_error (error);

  cursor = desk_store_get_cursor_sync (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cursor, ==, "cursor-1");

  /* Newest change first; entry-b is 11:30 in Tokyo, after entry-a. */
  rows = desk_store_list_rows_sync (f->store, 0, DESK_STORE_SORT_UPDATED_DESC, 0, -1, NULL, &error);
  g_assert_no_error (error);
  assert_row_ids (rows, "entry-c entry-b entry-a");
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = desk_store_list_rows_sync (f->store, 0, DESK_STORE_SORT_UPDATED_ASC, 1, 1, NULL, &error);
  assert_row_ids (rows, "entry-b");
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = desk_store_list_rows_sync (f->store, 0, DESK_STORE_SORT_IMPORTANCE_DESC, 0, -1, NULL, &error);
  assert_row_ids (rows, "entry-c entry-a entry-b");
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = desk_store_list_rows_sync (f->store, 0, DESK_STORE_SORT_COLLECTED_DESC, 0, -1, NULL, &error);
  assert_row_ids (rows, "entry-c entry-a entry-b");
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = desk_store_list_rows_sync (f->store,
                                    DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_INCOMING) |
                                    DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_IN_REVIEW),
                                    DESK_STORE_SORT_UPDATED_DESC, 0, -1, NULL, &error);
  assert_row_ids (rows, "entry-b entry-a");
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->title, ==, "推論コストの話");
  g_assert_cmpstr (row->source_name, ==, "Weekly Synthetic");
  g_assert_cmpint (row->status, ==, DESK_ENTRY_STATUS_INCOMING);
  g_assert_cmpint (row->kind, ==, DESK_ENTRY_KIND_ARTICLE);
  g_assert_cmpint (row->importance, ==, 2);
  g_assert_cmpint (row->revision, ==, 1);
  g_assert_cmpstr (row->updated_at, ==, "2026-05-12T02:30:00+00:00");
  g_assert_cmpstr (row->collected_at, ==, "2026-05-10T08:00:00+09:00");
  g_assert_cmpstr (row->lock_editor, ==, "sato");
  g_assert_cmpstr (row->lock_expires_at, ==, "2030-01-01T00:00:00+09:00");
  g_assert_cmpint (row->qa_errors, ==, -1);
  g_assert_false (row->has_full);
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_assert_cmpint (desk_store_count_entries_sync (f->store, 0, NULL, &error), ==, 3);
  g_assert_cmpint (desk_store_count_entries_sync (f->store,
                                                  DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_PUBLISHED),
                                                  NULL, &error), ==, 1);

  /* No full entry yet. */
  got = desk_store_get_entry_sync (f->store, "entry-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (got);

  stale = desk_store_list_stale_ids_sync (f->store,
                                          DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_INCOMING) |
                                          DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_IN_REVIEW),
                                          10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (stale), ==, 2);
  g_assert_cmpstr (stale[0], ==, "entry-a");
  g_assert_cmpstr (stale[1], ==, "entry-b");
  g_clear_pointer (&stale, g_strfreev);

  /* The full entry: stored, read back the same, and no longer stale. */
  {
    g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
    g_autofree char *expected = NULL;
    g_autofree char *actual = NULL;

    g_ptr_array_add (full, store_test_make_entry (&spec_a, DESK_ENTRY_FORM_FULL));
    g_assert_true (desk_store_upsert_entries_sync (f->store, full, NULL, &error));
    g_assert_no_error (error);

    got = desk_store_get_entry_sync (f->store, "entry-a", NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (got);
    expected = desk_entry_to_data (g_ptr_array_index (full, 0), DESK_ENTRY_FORM_FULL, FALSE, NULL);
    actual = desk_entry_to_data (got, DESK_ENTRY_FORM_FULL, FALSE, NULL);
    g_assert_cmpstr (actual, ==, expected);
    g_clear_object (&got);
  }

  stale = desk_store_list_stale_ids_sync (f->store, 0, 10, NULL, &error);
  g_assert_cmpuint (g_strv_length (stale), ==, 2);
  g_assert_cmpstr (stale[0], ==, "entry-b");
  g_assert_cmpstr (stale[1], ==, "entry-c");
  g_clear_pointer (&stale, g_strfreev);

  /* A newer summary makes the full entry stale but keeps it readable; an
   * older one never moves the row back. */
  {
    StoreTestEntry newer = spec_a;
    StoreTestEntry older = spec_a;
    g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);

    newer.revision = 4;
    newer.title = "強化学習の新しい手法（改）";
    newer.status = DESK_ENTRY_STATUS_APPROVED;
    g_ptr_array_add (page, store_test_make_entry (&newer, DESK_ENTRY_FORM_SUMMARY));
    older.revision = 2;
    older.title = "古い題名";
    g_ptr_array_add (page, store_test_make_entry (&older, DESK_ENTRY_FORM_SUMMARY));
    g_assert_true (desk_store_upsert_summaries_sync (f->store, page, NULL, NULL, &error));

    rows = desk_store_list_rows_sync (f->store, DESK_STORE_STATUS_BIT (DESK_ENTRY_STATUS_APPROVED),
                                      DESK_STORE_SORT_UPDATED_DESC, 0, -1, NULL, &error);
    assert_row_ids (rows, "entry-a");
    row = g_ptr_array_index (rows, 0);
    g_assert_cmpint (row->revision, ==, 4);
    g_assert_cmpstr (row->title, ==, "強化学習の新しい手法（改）");
    g_assert_false (row->has_full);
    g_clear_pointer (&rows, g_ptr_array_unref);

    /* The cursor is left alone when none is given. */
    g_clear_pointer (&cursor, g_free);
    cursor = desk_store_get_cursor_sync (f->store, NULL, &error);
    g_assert_cmpstr (cursor, ==, "cursor-1");

    got = desk_store_get_entry_sync (f->store, "entry-a", NULL, &error);
    g_assert_nonnull (got);
    g_assert_cmpint (desk_entry_get_revision (got), ==, 3);
    g_clear_object (&got);
  }

  /* Lock changes come as summaries of the same revision; the full entry
   * shows the newer lock. */
  {
    StoreTestEntry locked = spec_c;
    g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);

    g_ptr_array_add (full, store_test_make_entry (&spec_c, DESK_ENTRY_FORM_FULL));
    g_assert_true (desk_store_upsert_entries_sync (f->store, full, NULL, &error));
    locked.lock_editor = "suzuki";
    g_ptr_array_add (page, store_test_make_entry (&locked, DESK_ENTRY_FORM_SUMMARY));
    g_assert_true (desk_store_upsert_summaries_sync (f->store, page, "cursor-2", NULL, &error));

    got = desk_store_get_entry_sync (f->store, "entry-c", NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (desk_entry_get_lock (got));
    g_assert_cmpstr (desk_entry_get_lock (got)->editor, ==, "suzuki");
    g_clear_object (&got);
  }

  /* And it all survives a reopen. */
  reopen (f);
  g_clear_pointer (&cursor, g_free);
  cursor = desk_store_get_cursor_sync (f->store, NULL, &error);
  g_assert_cmpstr (cursor, ==, "cursor-2");
  g_assert_cmpint (desk_store_count_entries_sync (f->store, 0, NULL, &error), ==, 3);
  got = desk_store_get_entry_sync (f->store, "entry-c", NULL, &error);
  g_assert_nonnull (got);
  g_assert_cmpstr (desk_entry_get_title (got), ==, "動画の書き起こし");

  g_assert_true (desk_store_set_cursor_sync (f->store, NULL, NULL, &error));
  g_clear_pointer (&cursor, g_free);
  cursor = desk_store_get_cursor_sync (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (cursor);
}

static void
test_revisions (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DeskEntry) rev2 = NULL;
  g_autoptr(DeskEntry) got = NULL;
  g_autoptr(GArray) revisions = NULL;
  StoreTestEntry spec = spec_a;

  /* upsert_entries keeps every revision it sees … */
  g_ptr_array_add (full, store_test_make_entry (&spec_a, DESK_ENTRY_FORM_FULL));
  g_assert_true (desk_store_upsert_entries_sync (f->store, full, NULL, &error));

  /* … and add_revision keeps one explicitly (a 412's "current"). */
  spec.revision = 2;
  spec.title = "第二版の題名";
  rev2 = store_test_make_entry (&spec, DESK_ENTRY_FORM_FULL);
  g_assert_true (desk_store_add_revision_sync (f->store, rev2, NULL, &error));
  g_assert_no_error (error);
  /* A revision already kept is not replaced. */
  spec.title = "別の題名";
  {
    g_autoptr(DeskEntry) again = store_test_make_entry (&spec, DESK_ENTRY_FORM_FULL);

    g_assert_true (desk_store_add_revision_sync (f->store, again, NULL, &error));
  }

  revisions = desk_store_list_revisions_sync (f->store, "entry-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 2);
  g_assert_cmpint (g_array_index (revisions, gint64, 0), ==, 2);
  g_assert_cmpint (g_array_index (revisions, gint64, 1), ==, 3);

  got = desk_store_get_revision_sync (f->store, "entry-a", 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_entry_get_title (got), ==, "第二版の題名");
  g_clear_object (&got);

  got = desk_store_get_revision_sync (f->store, "entry-a", 3, NULL, &error);
  g_assert_cmpstr (desk_entry_get_title (got), ==, "強化学習の新しい手法");
  g_clear_object (&got);

  got = desk_store_get_revision_sync (f->store, "entry-a", 7, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (got);

  /* An older full entry does not replace the newer one. */
  g_ptr_array_set_size (full, 0);
  g_ptr_array_add (full, g_object_ref (rev2));
  g_assert_true (desk_store_upsert_entries_sync (f->store, full, NULL, &error));
  got = desk_store_get_entry_sync (f->store, "entry-a", NULL, &error);
  g_assert_cmpint (desk_entry_get_revision (got), ==, 3);
}

/* ---- drafts ------------------------------------------------------------------------ */

static DeskEditable *
make_fields (const char *title)
{
  DeskEditable *fields = desk_editable_new ();

  fields->present = DESK_FIELD_TITLE | DESK_FIELD_TAGS | DESK_FIELD_KEY_POINTS |
                    DESK_FIELD_IMPORTANCE;
  fields->title = g_strdup (title);
  fields->tags = g_strsplit ("タグ一,タグ二", ",", -1);
  fields->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
  g_ptr_array_add (fields->key_points, desk_key_point_new ("見出し", "本文"));
  fields->importance.overall = 4;
  fields->importance.depth = 5;
  fields->importance.relevance = 4;
  fields->importance.practicality = 3;
  fields->importance.innovation = 2;
  return fields;
}

static void
test_drafts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskEditable) fields = make_fields ("下書きの題名");
  g_autoptr(DeskEditable) fields2 = make_fields ("二つ目");
  g_autoptr(DeskStoreDraft) draft = NULL;
  g_autoptr(GPtrArray) drafts = NULL;

  g_assert_true (desk_store_save_draft_sync (f->store, "entry-a", 3, fields, NULL, &error));
  g_assert_no_error (error);
  g_usleep (2000);
  g_assert_true (desk_store_save_draft_sync (f->store, "entry-b", 1, fields2, NULL, &error));

  draft = desk_store_get_draft_sync (f->store, "entry-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  g_assert_cmpstr (draft->entry_id, ==, "entry-a");
  g_assert_cmpint (draft->base_revision, ==, 3);
  g_assert_cmpint (draft->updated_at, >, 0);
  g_assert_cmpint (desk_editable_diff (draft->fields, fields), ==, 0);
  g_clear_pointer (&draft, desk_store_draft_free);

  /* Saving again replaces. */
  g_free (fields->title);
  fields->title = g_strdup ("書き直した題名");
  g_assert_true (desk_store_save_draft_sync (f->store, "entry-a", 4, fields, NULL, &error));
  reopen (f);
  draft = desk_store_get_draft_sync (f->store, "entry-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->fields->title, ==, "書き直した題名");
  g_assert_cmpint (draft->base_revision, ==, 4);
  g_assert_cmpint (desk_editable_diff (draft->fields, fields), ==, 0);
  g_clear_pointer (&draft, desk_store_draft_free);

  drafts = desk_store_list_drafts_sync (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 2);
  g_assert_cmpstr (((DeskStoreDraft *) g_ptr_array_index (drafts, 0))->entry_id, ==, "entry-b");
  g_assert_cmpstr (((DeskStoreDraft *) g_ptr_array_index (drafts, 1))->entry_id, ==, "entry-a");
  g_clear_pointer (&drafts, g_ptr_array_unref);

  g_assert_true (desk_store_delete_draft_sync (f->store, "entry-a", NULL, &error));
  g_assert_true (desk_store_delete_draft_sync (f->store, "entry-a", NULL, &error));
  g_assert_no_error (error);
  draft = desk_store_get_draft_sync (f->store, "entry-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (draft);
  drafts = desk_store_list_drafts_sync (f->store, NULL, &error);
  g_assert_cmpuint (drafts->len, ==, 1);
}

/* ---- glossary, findings ---------------------------------------------------------- */

static void
test_glossary (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskGlossary) glossary = desk_glossary_new ();
  g_autoptr(DeskGlossary) got = NULL;
  DeskGlossaryTerm *term;

  got = desk_store_get_glossary_sync (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (got);

  glossary->revision = 7;
  term = desk_glossary_term_new ("Radical Optionality", "ラディカル・オプショナリティ");
  g_strfreev (term->forbidden);
  term->forbidden = g_strsplit ("ラジカルなオプション性", ",", -1);
  g_ptr_array_add (glossary->terms, term);
  g_ptr_array_add (glossary->terms, desk_glossary_term_new ("reasoning", "推論"));
  g_assert_true (desk_store_set_glossary_sync (f->store, glossary, NULL, &error));
  g_assert_no_error (error);

  reopen (f);
  got = desk_store_get_glossary_sync (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpint (got->revision, ==, 7);
  g_assert_cmpuint (got->terms->len, ==, 2);
  term = g_ptr_array_index (got->terms, 0);
  g_assert_cmpstr (term->source, ==, "Radical Optionality");
  g_assert_cmpstr (term->target, ==, "ラディカル・オプショナリティ");
  g_assert_cmpstr (term->forbidden[0], ==, "ラジカルなオプション性");
  g_assert_null (term->forbidden[1]);
}

static void
test_ignored_findings (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  DeskIgnoredFinding *finding;

  g_assert_true (desk_store_ignore_finding_sync (f->store, "entry-a", "tldr-length",
                                                 "長すぎる要約", "意図的", NULL, &error));
  g_assert_no_error (error);
  g_usleep (2000);
  g_assert_true (desk_store_ignore_finding_sync (f->store, "entry-a", "glossary",
                                                 "ラジカルなオプション性", NULL, NULL, &error));
  g_assert_true (desk_store_ignore_finding_sync (f->store, "entry-b", "glossary",
                                                 "x", NULL, NULL, &error));
  /* Again: the reason is replaced, no second row. */
  g_assert_true (desk_store_ignore_finding_sync (f->store, "entry-a", "tldr-length",
                                                 "長すぎる要約", "編集長の判断", NULL, &error));

  reopen (f);
  findings = desk_store_list_ignored_sync (f->store, "entry-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 2);
  finding = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (finding->entry_id, ==, "entry-a");
  g_assert_cmpstr (finding->check_id, ==, "tldr-length");
  g_assert_cmpstr (finding->snippet, ==, "長すぎる要約");
  g_assert_cmpstr (finding->reason, ==, "編集長の判断");
  g_assert_cmpint (finding->created_at, >, 0);
  finding = g_ptr_array_index (findings, 1);
  g_assert_cmpstr (finding->check_id, ==, "glossary");
  g_assert_null (finding->reason);
  g_clear_pointer (&findings, g_ptr_array_unref);

  g_assert_true (desk_store_unignore_finding_sync (f->store, "entry-a", "tldr-length",
                                                   "長すぎる要約", NULL, &error));
  findings = desk_store_list_ignored_sync (f->store, "entry-a", NULL, &error);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_cmpstr (((DeskIgnoredFinding *) g_ptr_array_index (findings, 0))->check_id, ==,
                   "glossary");
}

/* ---- outbox ------------------------------------------------------------------------ */

static gint64
enqueue (Fixture        *f,
         const char     *entry_id,
         DeskOutboxKind  kind,
         const char     *key)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = desk_store_outbox_enqueue_sync (f->store, entry_id, kind, "{\"title\":\"t\"}", "\"3\"",
                                       key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
next_due_id (Fixture *f,
             gint64   now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskOutboxOp) op = desk_store_outbox_next_due_sync (f->store, now, NULL, &error);

  g_assert_no_error (error);
  return op != NULL ? op->id : 0;
}

static void
mark (Fixture        *f,
      gint64          id,
      DeskOutboxMark  how,
      const char     *message,
      gint64          when)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_store_outbox_mark_sync (f->store, id, how, message, when, NULL, &error));
  g_assert_no_error (error);
}

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  gint64 now = g_get_real_time ();
  gint64 later = now + (gint64) 3600 * G_USEC_PER_SEC;
  gint64 patch_a, status_a, publish_a, patch_b, glossary, patch_c;
  DeskOutboxOp *op;

  patch_a = enqueue (f, "entry-a", DESK_OUTBOX_KIND_PATCH, NULL);
  status_a = enqueue (f, "entry-a", DESK_OUTBOX_KIND_STATUS, NULL);
  publish_a = enqueue (f, "entry-a", DESK_OUTBOX_KIND_PUBLISH, "key-a-1");
  patch_b = enqueue (f, "entry-b", DESK_OUTBOX_KIND_PATCH, NULL);
  glossary = desk_store_outbox_enqueue_sync (f->store, NULL, DESK_OUTBOX_KIND_GLOSSARY,
                                             "{\"terms\":[]}", "\"7\"", NULL, NULL, &error);
  g_assert_no_error (error);
  patch_c = enqueue (f, "entry-c", DESK_OUTBOX_KIND_PATCH, NULL);
  g_assert_cmpint (patch_a, <, status_a);
  g_assert_cmpint (status_a, <, publish_a);
  g_assert_cmpint (publish_a, <, patch_b);
  g_assert_cmpint (patch_b, <, glossary);

  g_assert_cmpint (desk_store_outbox_count_pending_sync (f->store, NULL, &error), ==, 6);
  g_assert_cmpint (desk_store_outbox_next_time_sync (f->store, NULL, &error), <=,
                   g_get_real_time ());

  /* Everything round-trips. */
  ops = desk_store_outbox_list_sync (f->store, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 6);
  op = g_ptr_array_index (ops, 2);
  g_assert_cmpint (op->id, ==, publish_a);
  g_assert_cmpstr (op->entry_id, ==, "entry-a");
  g_assert_cmpint (op->kind, ==, DESK_OUTBOX_KIND_PUBLISH);
  g_assert_cmpstr (op->payload, ==, "{\"title\":\"t\"}");
  g_assert_cmpstr (op->if_match, ==, "\"3\"");
  g_assert_cmpstr (op->idempotency_key, ==, "key-a-1");
  g_assert_cmpint (op->attempts, ==, 0);
  g_assert_cmpint (op->state, ==, DESK_OUTBOX_STATE_PENDING);
  g_assert_null (op->last_error);
  g_assert_cmpint (op->created_at, >=, now);
  op = g_ptr_array_index (ops, 4);
  g_assert_null (op->entry_id);
  g_assert_cmpint (op->kind, ==, DESK_OUTBOX_KIND_GLOSSARY);
  g_clear_pointer (&ops, g_ptr_array_unref);

  /* In order; the first goes out. */
  g_assert_cmpint (next_due_id (f, g_get_real_time ()), ==, patch_a);
  mark (f, patch_a, DESK_OUTBOX_MARK_IN_FLIGHT, NULL, 0);
  /* While it is in flight the next due is another entry's: entry-a's later
   * operations wait for it. */
  g_assert_cmpint (next_due_id (f, g_get_real_time ()), ==, patch_b);

  /* The answer is lost: retry in an hour. Nothing of entry-a is due now. */
  mark (f, patch_a, DESK_OUTBOX_MARK_RETRY, "network: connection reset", later);
  mark (f, patch_b, DESK_OUTBOX_MARK_IN_FLIGHT, NULL, 0);
  g_assert_cmpint (next_due_id (f, g_get_real_time ()), ==, glossary);
  g_assert_cmpint (next_due_id (f, later), ==, patch_a);

  /* entry-b's patch is refused for good; entry-c is not held back by it. */
  mark (f, patch_b, DESK_OUTBOX_MARK_FAILED, "invalid: title", 0);
  mark (f, glossary, DESK_OUTBOX_MARK_IN_FLIGHT, NULL, 0);
  mark (f, glossary, DESK_OUTBOX_MARK_DONE, NULL, 0);
  g_assert_cmpint (next_due_id (f, g_get_real_time ()), ==, patch_c);
  mark (f, patch_c, DESK_OUTBOX_MARK_IN_FLIGHT, NULL, 0);

  /* An unknown id is an error. */
  g_assert_false (desk_store_outbox_mark_sync (f->store, 9999, DESK_OUTBOX_MARK_DONE, NULL, 0,
                                               NULL, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED);
  g_clear_error (&error);

  /* Close and reopen: order, attempts, errors and states are kept, and the
   * operation left in flight (patch_c) is pending again. */
  reopen (f);
  ops = desk_store_outbox_list_sync (f->store, 0, NULL, &error);
  g_assert_cmpuint (ops->len, ==, 6);
  op = g_ptr_array_index (ops, 0);
  g_assert_cmpint (op->id, ==, patch_a);
  g_assert_cmpint (op->state, ==, DESK_OUTBOX_STATE_PENDING);
  g_assert_cmpint (op->attempts, ==, 1);
  g_assert_cmpint (op->next_attempt_at, ==, later);
  g_assert_cmpstr (op->last_error, ==, "network: connection reset");
  op = g_ptr_array_index (ops, 3);
  g_assert_cmpint (op->id, ==, patch_b);
  g_assert_cmpint (op->state, ==, DESK_OUTBOX_STATE_FAILED);
  g_assert_cmpstr (op->last_error, ==, "invalid: title");
  op = g_ptr_array_index (ops, 4);
  g_assert_cmpint (op->state, ==, DESK_OUTBOX_STATE_DONE);
  op = g_ptr_array_index (ops, 5);
  g_assert_cmpint (op->id, ==, patch_c);
  g_assert_cmpint (op->state, ==, DESK_OUTBOX_STATE_PENDING);
  g_assert_cmpint (op->attempts, ==, 1);
  g_clear_pointer (&ops, g_ptr_array_unref);

  ops = desk_store_outbox_list_sync (f->store,
                                     DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_PENDING) |
                                     DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_FAILED),
                                     NULL, &error);
  g_assert_cmpuint (ops->len, ==, 5);
  g_clear_pointer (&ops, g_ptr_array_unref);
  g_assert_cmpint (desk_store_outbox_count_pending_sync (f->store, NULL, &error), ==, 4);
  g_assert_cmpint (desk_store_outbox_next_time_sync (f->store, NULL, &error), <=,
                   g_get_real_time ());

  g_assert_cmpint (next_due_id (f, g_get_real_time ()), ==, patch_c);
  mark (f, patch_c, DESK_OUTBOX_MARK_DONE, NULL, 0);
  g_assert_cmpint (next_due_id (f, g_get_real_time ()), ==, 0);
  g_assert_cmpint (desk_store_outbox_next_time_sync (f->store, NULL, &error), ==, later);

  /* Delivering entry-a in order after its retry time. */
  g_assert_cmpint (next_due_id (f, later), ==, patch_a);
  mark (f, patch_a, DESK_OUTBOX_MARK_DONE, NULL, 0);
  g_assert_cmpint (next_due_id (f, later), ==, status_a);
  mark (f, status_a, DESK_OUTBOX_MARK_DONE, NULL, 0);
  g_assert_cmpint (next_due_id (f, later), ==, publish_a);
  mark (f, publish_a, DESK_OUTBOX_MARK_DONE, NULL, 0);
  g_assert_cmpint (next_due_id (f, later), ==, 0);

  /* The editor retries the failed one, then discards it. */
  mark (f, patch_b, DESK_OUTBOX_MARK_PENDING, NULL, 0);
  g_assert_cmpint (next_due_id (f, g_get_real_time ()), ==, patch_b);
  g_assert_true (desk_store_outbox_delete_sync (f->store, patch_b, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (desk_store_outbox_count_pending_sync (f->store, NULL, &error), ==, 0);
  g_assert_cmpint (desk_store_outbox_next_time_sync (f->store, NULL, &error), ==, G_MAXINT64);

  /* Ids keep growing after a reopen (AUTOINCREMENT): order stays total. */
  reopen (f);
  g_assert_cmpint (enqueue (f, "entry-d", DESK_OUTBOX_KIND_LOCK, NULL), >, patch_c);
}

/* ---- async and cancellation -------------------------------------------------------- */

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} AsyncWait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncWait *wait = user_data;

  /* Callbacks run on the thread of the caller's main context. */
  g_assert_true (g_main_context_is_owner (g_main_loop_get_context (wait->loop)));
  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_result (AsyncWait *wait)
{
  g_clear_object (&wait->result);
  g_main_loop_run (wait->loop);
  return wait->result;
}

static void
test_async (void)
{
  g_autofree char *dir = store_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "async.sqlite", NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GPtrArray) entries = summaries ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(DeskEditable) fields = make_fields ("非同期");
  g_autoptr(DeskStoreDraft) draft = NULL;
  g_autoptr(DeskOutboxOp) op = NULL;
  AsyncWait wait = { loop, NULL };
  gint64 id;

  desk_store_new_async (path, NULL, on_done, &wait);
  store = desk_store_new_finish (wait_result (&wait), &error);
  g_assert_no_error (error);
  g_assert_true (DESK_IS_STORE (store));
  g_assert_cmpstr (desk_store_get_path (store), ==, path);

  /* Queued back to back, run in order. */
  desk_store_upsert_summaries_async (store, entries, "c-1", NULL, on_done, &wait);
  g_assert_true (desk_store_upsert_summaries_finish (store, wait_result (&wait), &error));
  g_assert_no_error (error);

  desk_store_list_rows_async (store, 0, DESK_STORE_SORT_UPDATED_DESC, 0, 2, NULL, on_done, &wait);
  rows = desk_store_list_rows_finish (store, wait_result (&wait), &error);
  g_assert_no_error (error);
  assert_row_ids (rows, "entry-c entry-b");
  g_clear_pointer (&rows, g_ptr_array_unref);

  desk_store_search_async (store, "推論", -1, NULL, on_done, &wait);
  rows = desk_store_search_finish (store, wait_result (&wait), &error);
  g_assert_no_error (error);
  assert_row_ids (rows, "entry-b");
  g_clear_pointer (&rows, g_ptr_array_unref);

  desk_store_save_draft_async (store, "entry-b", 1, fields, NULL, on_done, &wait);
  g_assert_true (desk_store_save_draft_finish (store, wait_result (&wait), &error));
  desk_store_get_draft_async (store, "entry-b", NULL, on_done, &wait);
  draft = desk_store_get_draft_finish (store, wait_result (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->fields->title, ==, "非同期");

  desk_store_outbox_enqueue_async (store, "entry-b", DESK_OUTBOX_KIND_PATCH, "{}", "\"1\"", NULL,
                                   NULL, on_done, &wait);
  id = desk_store_outbox_enqueue_finish (store, wait_result (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  desk_store_outbox_next_due_async (store, g_get_real_time (), NULL, on_done, &wait);
  op = desk_store_outbox_next_due_finish (store, wait_result (&wait), &error);
  g_assert_cmpint (op->id, ==, id);

  desk_store_count_entries_async (store, 0, NULL, on_done, &wait);
  g_assert_cmpint (desk_store_count_entries_finish (store, wait_result (&wait), &error), ==, 3);

  g_clear_object (&wait.result);
  /* The store's tasks are released from idles of this context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&store);
  store_test_rmdir (dir);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = summaries ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(DeskEditable) fields = make_fields ("取り消し");
  g_autoptr(DeskStoreDraft) draft = NULL;
  AsyncWait wait = { loop, NULL };

  g_assert_true (desk_store_upsert_summaries_sync (f->store, entries, NULL, NULL, &error));

  /* A read cancelled right after it was queued reports cancelled, whether
   * the worker had started it or not. */
  desk_store_search_async (f->store, "強化学習", -1, cancellable, on_done, &wait);
  g_cancellable_cancel (cancellable);
  rows = desk_store_search_finish (f->store, wait_result (&wait), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (rows);
  g_clear_error (&error);

  /* A write cancelled before it runs does not happen. */
  desk_store_save_draft_async (f->store, "entry-a", 1, fields, cancellable, on_done, &wait);
  g_assert_false (desk_store_save_draft_finish (f->store, wait_result (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (desk_store_save_draft_sync (f->store, "entry-a", 1, fields, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  draft = desk_store_get_draft_sync (f->store, "entry-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (draft);

  g_assert_null (desk_store_list_rows_sync (f->store, 0, DESK_STORE_SORT_UPDATED_DESC, 0, -1,
                                            cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The store goes on working. */
  rows = desk_store_search_sync (f->store, "強化学習", -1, NULL, &error);
  g_assert_no_error (error);
  assert_row_ids (rows, "entry-a");
  g_clear_object (&wait.result);
  /* The store's tasks are released from idles of this context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- QA results and refused drafts -------------------------------------------------- */

static int
row_qa_errors (DeskStore  *store,
               const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = desk_store_list_rows_sync (store, 0, DESK_STORE_SORT_UPDATED_DESC,
                                                         0, -1, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      DeskStoreRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (row->id, id) == 0)
        return row->qa_errors;
    }
  g_assert_not_reached ();
}

static void
test_qa_errors (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = summaries ();
  g_autoptr(GPtrArray) newer = g_ptr_array_new_with_free_func (g_object_unref);
  StoreTestEntry spec_a4 = spec_a;
  AsyncWait wait = { loop, NULL };

  g_assert_true (desk_store_upsert_summaries_sync (f->store, entries, NULL, NULL, &error));
  g_assert_cmpint (row_qa_errors (f->store, "entry-a"), ==, -1);

  g_assert_true (desk_store_set_qa_errors_sync (f->store, "entry-a", 3, 2, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (row_qa_errors (f->store, "entry-a"), ==, 2);
  g_assert_cmpint (row_qa_errors (f->store, "entry-b"), ==, -1);

  /* A result for another revision, or an unknown entry, is stale: left
   * out without an error. */
  g_assert_true (desk_store_set_qa_errors_sync (f->store, "entry-a", 2, 7, NULL, &error));
  g_assert_true (desk_store_set_qa_errors_sync (f->store, "entry-a", 4, 7, NULL, &error));
  g_assert_true (desk_store_set_qa_errors_sync (f->store, "entry-zz", 1, 7, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (row_qa_errors (f->store, "entry-a"), ==, 2);

  /* The same revision again (a lock moving) keeps the result; it survives
   * a restart. */
  g_assert_true (desk_store_upsert_summaries_sync (f->store, entries, NULL, NULL, &error));
  reopen (f);
  g_assert_cmpint (row_qa_errors (f->store, "entry-a"), ==, 2);

  /* A newer revision has not been checked. */
  spec_a4.revision = 4;
  g_ptr_array_add (newer, store_test_make_entry (&spec_a4, DESK_ENTRY_FORM_SUMMARY));
  g_assert_true (desk_store_upsert_summaries_sync (f->store, newer, NULL, NULL, &error));
  g_assert_cmpint (row_qa_errors (f->store, "entry-a"), ==, -1);

  desk_store_set_qa_errors_async (f->store, "entry-a", 4, 0, NULL, on_done, &wait);
  g_assert_true (desk_store_set_qa_errors_finish (f->store, wait_result (&wait), &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpint (row_qa_errors (f->store, "entry-a"), ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
assert_draft_refused (DeskStore          *store,
                      const char         *entry_id,
                      const DeskEditable *fields,
                      const char         *field)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (desk_store_save_draft_sync (store, entry_id, 9, fields, NULL, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, field));
}

static void
test_draft_invalid_utf8 (Fixture       *f,
                         gconstpointer  data)
{
  static const char bad[] = "壊れた\xff\xfe文字";
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskEditable) good = make_fields ("元の下書き");
  g_autoptr(DeskStoreDraft) draft = NULL;
  AsyncWait wait = { loop, NULL };

  g_assert_true (desk_store_save_draft_sync (f->store, "entry-a", 3, good, NULL, &error));
  g_assert_no_error (error);

  {
    g_autoptr(DeskEditable) fields = make_fields (bad);

    assert_draft_refused (f->store, "entry-a", fields, "“title”");
  }
  {
    g_autoptr(DeskEditable) fields = make_fields ("題名");

    fields->present |= DESK_FIELD_BODY;
    fields->body = g_strdup (bad);
    assert_draft_refused (f->store, "entry-a", fields, "“body”");
  }
  {
    g_autoptr(DeskEditable) fields = make_fields ("題名");

    fields->present |= DESK_FIELD_TLDR;
    fields->tldr = g_strdup (bad);
    assert_draft_refused (f->store, "entry-a", fields, "“tldr”");
  }
  {
    g_autoptr(DeskEditable) fields = make_fields ("題名");

    g_free (fields->tags[1]);
    fields->tags[1] = g_strdup (bad);
    assert_draft_refused (f->store, "entry-a", fields, "“tags[1]”");
  }
  {
    g_autoptr(DeskEditable) fields = make_fields ("題名");

    g_ptr_array_add (fields->key_points, desk_key_point_new ("見出し二", bad));
    assert_draft_refused (f->store, "entry-a", fields, "“key_points[1].body”");
  }
  {
    g_autoptr(DeskEditable) fields = make_fields ("題名");

    g_ptr_array_add (fields->key_points, desk_key_point_new (bad, "本文"));
    assert_draft_refused (f->store, "entry-a", fields, "“key_points[1].heading”");
  }
  {
    g_autoptr(DeskEditable) fields = make_fields ("題名");

    fields->present |= DESK_FIELD_IMPACT_ANALYSIS | DESK_FIELD_EDITORIAL_COMMENT;
    fields->impact_analysis = g_strdup ("影響");
    fields->editorial_comment = g_strdup (bad);
    assert_draft_refused (f->store, "entry-a", fields, "“editorial_comment”");
    g_free (fields->impact_analysis);
    fields->impact_analysis = g_strdup (bad);
    assert_draft_refused (f->store, "entry-a", fields, "“impact_analysis”");
  }
  /* The entry id too, and nothing is written for a new entry either. */
  assert_draft_refused (f->store, "entry-\xc3", good, "“entry_id”");
  {
    g_autoptr(DeskEditable) fields = make_fields (bad);

    desk_store_save_draft_async (f->store, "entry-new", 1, fields, NULL, on_done, &wait);
    g_assert_false (desk_store_save_draft_finish (f->store, wait_result (&wait), &error));
    g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_clear_object (&wait.result);
  }

  /* The draft saved before is untouched and the only one. */
  reopen (f);
  draft = desk_store_get_draft_sync (f->store, "entry-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  g_assert_cmpint (draft->base_revision, ==, 3);
  g_assert_cmpint (desk_editable_diff (draft->fields, good), ==, 0);
  g_clear_pointer (&draft, desk_store_draft_free);
  draft = desk_store_get_draft_sync (f->store, "entry-new", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (draft);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- migration ---------------------------------------------------------------------- */

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Version 1 exactly as it was released, written here by hand so a change
 * to the store's own copy cannot hide a broken migration. */
static const char v1_schema[] =
  "CREATE TABLE entries (id TEXT PRIMARY KEY NOT NULL, revision INTEGER NOT NULL,"
  " status TEXT NOT NULL, title TEXT NOT NULL, updated_at TEXT, full_json TEXT);"
  "CREATE TABLE drafts (entry_id TEXT PRIMARY KEY NOT NULL, base_revision INTEGER NOT NULL,"
  " fields_json TEXT NOT NULL, updated_at INTEGER NOT NULL);"
  "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, entry_id TEXT, kind TEXT NOT NULL,"
  " payload TEXT, if_match TEXT, idempotency_key TEXT, attempts INTEGER NOT NULL DEFAULT 0,"
  " state TEXT NOT NULL DEFAULT 'pending', created_at INTEGER NOT NULL);"
  "CREATE TABLE sync_state (key TEXT PRIMARY KEY NOT NULL, value TEXT);"
  "PRAGMA user_version = 1;";

static void
test_migrate_v1 (void)
{
  g_autofree char *dir = store_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "v1.sqlite", NULL);
  g_autofree char *full_json = store_test_entry_json (&spec_a);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(DeskStoreDraft) draft = NULL;
  g_autoptr(DeskOutboxOp) op = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GArray) revisions = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  DeskStoreRow *row;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, v1_schema);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO entries VALUES (?1, 3, 'in_review', ?2, ?3, ?4)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, "entry-a", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, spec_a.title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, spec_a.updated_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, full_json, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  exec_sql (db,
            "INSERT INTO entries VALUES ('entry-old', 1, 'incoming', '古い要約だけの記事',"
            " '2026-05-01T00:00:00+09:00', NULL);"
            "INSERT INTO drafts VALUES ('entry-a', 3, '{\"title\":\"旧版の下書き\"}', 1000);"
            "INSERT INTO outbox (entry_id, kind, payload, if_match, idempotency_key, attempts,"
            " state, created_at) VALUES ('entry-a', 'publish', NULL, '\"3\"', 'key-1', 2,"
            " 'in_flight', 2000);"
            "INSERT INTO sync_state VALUES ('cursor', 'v1-cursor');");
  sqlite3_close (db);

  store = desk_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (desk_store_get_recovered (store));

  /* The schema is now the newest. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, DESK_STORE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* Data kept, and the new summary columns filled from the full JSON. */
  entry = desk_store_get_entry_sync (store, "entry-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_assert_cmpstr (desk_entry_get_body (entry), ==, "本文その一");

  rows = desk_store_list_rows_sync (store, 0, DESK_STORE_SORT_UPDATED_DESC, 0, -1, NULL, &error);
  g_assert_no_error (error);
  assert_row_ids (rows, "entry-a entry-old");
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->kind, ==, DESK_ENTRY_KIND_PAPER);
  g_assert_cmpstr (row->source_name, ==, "Import Synthetic");
  g_assert_cmpint (row->importance, ==, 4);
  g_assert_cmpstr (row->collected_at, ==, "2026-05-11T08:00:00+09:00");
  g_assert_true (row->has_full);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row->title, ==, "古い要約だけの記事");
  g_assert_false (row->has_full);
  g_clear_pointer (&rows, g_ptr_array_unref);

  revisions = desk_store_list_revisions_sync (store, "entry-a", NULL, &error);
  g_assert_cmpuint (revisions->len, ==, 1);
  g_assert_cmpint (g_array_index (revisions, gint64, 0), ==, 3);

  /* The search index was built from the old rows, original text included. */
  rows = desk_store_search_sync (store, "本文その一", -1, NULL, &error);
  g_assert_no_error (error);
  assert_row_ids (rows, "entry-a");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = desk_store_search_sync (store, "original text one", -1, NULL, &error);
  assert_row_ids (rows, "entry-a");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = desk_store_search_sync (store, "古い", -1, NULL, &error);
  assert_row_ids (rows, "entry-old");
  g_clear_pointer (&rows, g_ptr_array_unref);

  draft = desk_store_get_draft_sync (store, "entry-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->fields->title, ==, "旧版の下書き");
  g_assert_cmpint (draft->base_revision, ==, 3);

  /* In flight in the old file: pending again, due at once, key kept. */
  op = desk_store_outbox_next_due_sync (store, g_get_real_time (), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (op);
  g_assert_cmpint (op->kind, ==, DESK_OUTBOX_KIND_PUBLISH);
  g_assert_cmpstr (op->idempotency_key, ==, "key-1");
  g_assert_cmpint (op->attempts, ==, 2);
  g_assert_cmpint (op->created_at, ==, 2000);

  cursor = desk_store_get_cursor_sync (store, NULL, &error);
  g_assert_cmpstr (cursor, ==, "v1-cursor");

  g_clear_object (&store);
  store_test_rmdir (dir);
}

/* A version 2 file, made by the released steps themselves (they never
 * change), its search text indexed by the version 2 triggers: version 3
 * dropped them, and the store's own indexing must keep working on what
 * they wrote (the contentless short index deletes by re-deriving tokens). */
static void
test_migrate_v2 (void)
{
  g_autofree char *dir = store_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "v2.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  StoreTestEntry spec_a5 = spec_a;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (desk_store_schema_register_functions (db, &error));
  g_assert_no_error (error);
  exec_sql (db, desk_store_schema_steps[0]);
  exec_sql (db, desk_store_schema_steps[1]);
  exec_sql (db,
            "PRAGMA user_version = 2;"
            "INSERT INTO entries (id, revision, status, title, updated_at, updated_ts)"
            "  VALUES ('entry-a', 3, 'in_review', '強化学習の旧題', '2026-05-12T10:00:00+09:00', 1);"
            "INSERT INTO entry_text (entry_id, title, tldr, body, tags, original_title,"
            "  original_text) VALUES ('entry-a', '強化学習の旧題', '旧い要約', '古い本文の蛸',"
            "  '旧タグ', 'Old headline', 'stale walrus text');");
  sqlite3_close (db);

  store = desk_store_open_sync (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (desk_store_get_recovered (store));

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, DESK_STORE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT group_concat(name, ' ') FROM (SELECT name"
                                       " FROM sqlite_schema WHERE type = 'trigger' ORDER BY name)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "entry_text_ad");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* What the old triggers indexed is found, long and short words. */
  rows = desk_store_search_sync (store, "walrus", -1, NULL, &error);
  g_assert_no_error (error);
  assert_row_ids (rows, "entry-a");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = desk_store_search_sync (store, "蛸", -1, NULL, &error);
  assert_row_ids (rows, "entry-a");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A newer revision replaces it in both indexes. */
  spec_a5.revision = 5;
  g_ptr_array_add (entries, store_test_make_entry (&spec_a5, DESK_ENTRY_FORM_FULL));
  g_assert_true (desk_store_upsert_entries_sync (store, entries, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      const char *gone[] = { "walrus", "蛸", "古い本文", "旧タグ" };

      rows = desk_store_search_sync (store, gone[i], -1, NULL, &error);
      g_assert_no_error (error);
      assert_row_ids (rows, "");
      g_clear_pointer (&rows, g_ptr_array_unref);
    }
  for (guint i = 0; i < 4; i++)
    {
      const char *found[] = { "本文その一", "text one", "一", "RL" };

      rows = desk_store_search_sync (store, found[i], -1, NULL, &error);
      g_assert_no_error (error);
      assert_row_ids (rows, "entry-a");
      g_clear_pointer (&rows, g_ptr_array_unref);
    }

  g_clear_object (&store);
  store_test_rmdir (dir);
}

static void
test_too_new (void)
{
  g_autofree char *dir = store_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "new.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "CREATE TABLE future (x); PRAGMA user_version = 99;");
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  store = desk_store_open_sync (path, NULL, &error);
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_TOO_NEW);
  g_assert_null (store);

  /* Left as it was: not "recovered", not set aside. */
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);

  store_test_rmdir (dir);
}

/* ---- several operations in one transaction -------------------------------------------- */

static void
store_async_result (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GArray *
enqueue_all (Fixture    *f,
             GPtrArray  *ops,
             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_store_outbox_enqueue_all_async (f->store, ops, NULL, store_async_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return desk_store_outbox_enqueue_all_finish (f->store, result, error);
}

static DeskOutboxOp *
new_op (const char     *entry_id,
        DeskOutboxKind  kind,
        const char     *payload,
        const char     *if_match,
        const char     *key)
{
  DeskOutboxOp *op = g_new0 (DeskOutboxOp, 1);

  op->entry_id = g_strdup (entry_id);
  op->kind = kind;
  op->payload = g_strdup (payload);
  op->if_match = g_strdup (if_match);
  op->idempotency_key = g_strdup (key);
  return op;
}

static void
exec_other (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* The edit, the approval and the publish of a workflow are stored in one
 * transaction: when the last cannot be written, neither are the others. */
static void
test_outbox_all_or_none (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_outbox_op_free);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (ops, new_op ("entry-a", DESK_OUTBOX_KIND_PATCH, "{\"title\":\"直した題\"}", "\"1\"", NULL));
  g_ptr_array_add (ops, new_op ("entry-a", DESK_OUTBOX_KIND_STATUS, "{\"status\":\"approved\"}", NULL, NULL));
  g_ptr_array_add (ops, new_op ("entry-a", DESK_OUTBOX_KIND_PUBLISH, NULL, NULL, "key-a"));

  /* Another connection makes every publish fail to insert. */
  exec_other (f->path, "CREATE TRIGGER no_publish BEFORE INSERT ON outbox WHEN NEW.kind = 'publish'"
                       " BEGIN SELECT RAISE (ABORT, 'no publish today'); END;");
  ids = enqueue_all (f, ops, &error);
  g_assert_null (ids);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "no publish today"));
  g_clear_error (&error);
  g_assert_cmpint (desk_store_outbox_count_pending_sync (f->store, NULL, &error), ==, 0);
  g_assert_no_error (error);

  exec_other (f->path, "DROP TRIGGER no_publish;");
  ids = enqueue_all (f, ops, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), <, g_array_index (ids, gint64, 1));
  g_assert_cmpint (g_array_index (ids, gint64, 1), <, g_array_index (ids, gint64, 2));

  /* As they were given, after a reopen too. */
  reopen (f);
  stored = desk_store_outbox_list_sync (f->store, DESK_OUTBOX_STATE_BIT (DESK_OUTBOX_STATE_PENDING), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      DeskOutboxOp *want = g_ptr_array_index (ops, i);
      DeskOutboxOp *got = g_ptr_array_index (stored, i);

      g_assert_cmpint (got->id, ==, g_array_index (ids, gint64, i));
      g_assert_cmpstr (got->entry_id, ==, want->entry_id);
      g_assert_cmpint (got->kind, ==, want->kind);
      g_assert_cmpstr (got->payload, ==, want->payload);
      g_assert_cmpstr (got->if_match, ==, want->if_match);
      g_assert_cmpstr (got->idempotency_key, ==, want->idempotency_key);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/entries", Fixture, NULL, fixture_set_up, test_entries, fixture_tear_down);
  g_test_add ("/store/revisions", Fixture, NULL, fixture_set_up, test_revisions, fixture_tear_down);
  g_test_add ("/store/drafts", Fixture, NULL, fixture_set_up, test_drafts, fixture_tear_down);
  g_test_add ("/store/glossary", Fixture, NULL, fixture_set_up, test_glossary, fixture_tear_down);
  g_test_add ("/store/ignored-findings", Fixture, NULL, fixture_set_up, test_ignored_findings,
              fixture_tear_down);
  g_test_add ("/store/outbox", Fixture, NULL, fixture_set_up, test_outbox, fixture_tear_down);
  g_test_add ("/store/outbox-all-or-none", Fixture, NULL, fixture_set_up, test_outbox_all_or_none,
              fixture_tear_down);
  g_test_add ("/store/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add_func ("/store/async", test_async);
  g_test_add ("/store/qa-errors", Fixture, NULL, fixture_set_up, test_qa_errors, fixture_tear_down);
  g_test_add ("/store/draft-invalid-utf8", Fixture, NULL, fixture_set_up, test_draft_invalid_utf8,
              fixture_tear_down);
  g_test_add_func ("/store/migrate-v1", test_migrate_v1);
  g_test_add_func ("/store/migrate-v2", test_migrate_v2);
  g_test_add_func ("/store/too-new", test_too_new);

  return g_test_run ();
}
