/* store-test-util.c: synthetic entries for the store's tests and benchmark
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "store-test-util.h"

static void
add_editable (JsonBuilder          *builder,
              const StoreTestEntry *spec,
              gboolean              with_comment)
{
  g_auto(GStrv) tags = g_strsplit (spec->tags != NULL ? spec->tags : "AI", ",", -1);

  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, spec->title);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, spec->body != NULL ? spec->body : "");
  json_builder_set_member_name (builder, "tldr");
  json_builder_add_string_value (builder, spec->tldr != NULL ? spec->tldr : "");
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; tags[i] != NULL; i++)
    json_builder_add_string_value (builder, tags[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "importance");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "overall");
  json_builder_add_int_value (builder, spec->importance > 0 ? spec->importance : 3);
  json_builder_set_member_name (builder, "depth");
  json_builder_add_int_value (builder, 3);
  json_builder_set_member_name (builder, "relevance");
  json_builder_add_int_value (builder, 3);
  json_builder_set_member_name (builder, "practicality");
  json_builder_add_int_value (builder, 3);
  json_builder_set_member_name (builder, "innovation");
  json_builder_add_int_value (builder, 3);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "key_points");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "heading");
  json_builder_add_string_value (builder, "要点");
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, "合成データの要点です。");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "impact_analysis");
  json_builder_add_string_value (builder, "");
  if (with_comment)
    {
      json_builder_set_member_name (builder, "editorial_comment");
      json_builder_add_string_value (builder, "");
    }
}

char *
store_test_entry_json (const StoreTestEntry *spec)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *updated = spec->updated_at != NULL ? spec->updated_at : "2026-05-12T09:00:00+09:00";
  const char *collected = spec->collected_at != NULL ? spec->collected_at : updated;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, spec->id);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, spec->revision > 0 ? spec->revision : 1);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, desk_entry_status_to_string (spec->status));
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, desk_entry_kind_to_string (spec->kind));
  json_builder_set_member_name (builder, "source");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, spec->source_name != NULL ? spec->source_name : "Synthetic Weekly");
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, "https://example.org/p/synthetic");
  json_builder_set_member_name (builder, "published_at");
  json_builder_add_string_value (builder, collected);
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, "en");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "collected_at");
  json_builder_add_string_value (builder, collected);
  json_builder_set_member_name (builder, "analyzed_at");
  json_builder_add_string_value (builder, collected);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, updated);
  json_builder_set_member_name (builder, "reading_minutes");
  json_builder_add_int_value (builder, 5);
  json_builder_set_member_name (builder, "original");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, spec->original_title != NULL ? spec->original_title : "Untitled");
  json_builder_set_member_name (builder, "html");
  json_builder_add_string_value (builder, spec->original_html != NULL ? spec->original_html : "<p></p>");
  json_builder_end_object (builder);

  add_editable (builder, spec, TRUE);

  json_builder_set_member_name (builder, "machine");
  json_builder_begin_object (builder);
  add_editable (builder, spec, FALSE);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "lock");
  if (spec->lock_editor != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "editor");
      json_builder_add_string_value (builder, spec->lock_editor);
      json_builder_set_member_name (builder, "acquired_at");
      json_builder_add_string_value (builder, updated);
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_string_value (builder, "2030-01-01T00:00:00+09:00");
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "published");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return desk_json_to_string (root, FALSE, NULL);
}

DeskEntry *
store_test_make_entry (const StoreTestEntry *spec,
                       DeskEntryForm         form)
{
  g_autofree char *json = store_test_entry_json (spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskEntry) full = NULL;
  g_autofree char *summary_json = NULL;
  DeskEntry *entry;

  full = desk_entry_new_from_data (json, -1, DESK_ENTRY_FORM_FULL, &error);
  g_assert_no_error (error);
  if (form == DESK_ENTRY_FORM_FULL)
    return g_steal_pointer (&full);

  /* A summary as the feed sends it: through its own JSON form. */
  summary_json = desk_entry_to_data (full, DESK_ENTRY_FORM_SUMMARY, FALSE, NULL);
  entry = desk_entry_new_from_data (summary_json, -1, DESK_ENTRY_FORM_SUMMARY, &error);
  g_assert_no_error (error);
  return entry;
}

char *
store_test_mkdtemp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("desk-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
store_test_rmdir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}
