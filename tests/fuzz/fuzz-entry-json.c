/* fuzz-entry-json.c: fuzz target for the strict JSON reader and entry reading in every form
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "desk-entry.h"
#include "desk-json.h"

#include "fuzz-common.h"

/* Whatever parses must write back to text that parses to the same text:
 * canonical writing is a fixed point after one step. */
static void
check_json_round_trip (const uint8_t *data,
                       size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) from_pretty = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *pretty = NULL;
  g_autofree char *text3 = NULL;
  gsize len = 0, len2 = 0, pretty_len = 0, len3 = 0;

  /* Small caps too, so that the cap checks themselves are exercised. */
  {
    g_autoptr(JsonNode) capped = desk_json_parse ((const char *) data, size, 256, 4, NULL);

    FUZZ_CHECK (capped == NULL || size <= 256, "the byte cap let %zu bytes through", size);
  }

  node = desk_json_parse ((const char *) data, size, 0, 0, &error);
  if (node == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == DESK_JSON_ERROR, "a failure without a DESK_JSON_ERROR");
      return;
    }
  FUZZ_CHECK (error == NULL, "an error set on success");

  text = desk_json_to_string (node, FALSE, &len);
  FUZZ_CHECK (strlen (text) == len, "written length %zu, strlen %zu", len, strlen (text));
  FUZZ_CHECK (g_utf8_validate (text, len, NULL), "written JSON is not UTF-8");
  again = desk_json_parse (text, len, 0, 0, &error);
  FUZZ_CHECK (again != NULL, "written JSON does not read back: %s\n%s", error->message, text);
  text2 = desk_json_to_string (again, FALSE, &len2);
  FUZZ_CHECK (len == len2 && memcmp (text, text2, len) == 0, "round trip unstable:\n%s\n%s", text, text2);

  pretty = desk_json_to_string (node, TRUE, &pretty_len);
  from_pretty = desk_json_parse (pretty, pretty_len, 0, 0, &error);
  FUZZ_CHECK (from_pretty != NULL, "pretty JSON does not read back: %s\n%s", error->message, pretty);
  text3 = desk_json_to_string (from_pretty, FALSE, &len3);
  FUZZ_CHECK (len == len3 && memcmp (text, text3, len) == 0, "pretty round trip differs:\n%s\n%s", text, text3);
}

static void
check_entry (const uint8_t *data,
             size_t         size,
             DeskEntryForm  form)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(DeskEntry) again = NULL;
  g_autoptr(DeskEntry) copy = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text3 = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *etag = NULL;
  gsize len = 0, len2 = 0, len3 = 0;

  entry = desk_entry_new_from_data ((const char *) data, size, form, &error);
  if (entry == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == DESK_JSON_ERROR, "a failure without a DESK_JSON_ERROR");
      return;
    }

  unknown = desk_entry_dup_unknown_member_path (entry);
  etag = desk_entry_dup_etag (entry);
  FUZZ_CHECK (etag != NULL && etag[0] == '"', "bad etag");

  text = desk_entry_to_data (entry, form, FALSE, &len);
  again = desk_entry_new_from_data (text, len, form, &error);
  FUZZ_CHECK (again != NULL, "form %d: written entry does not read back: %s\n%s", form, error->message, text);
  text2 = desk_entry_to_data (again, form, FALSE, &len2);
  FUZZ_CHECK (len == len2 && memcmp (text, text2, len) == 0, "form %d: round trip unstable:\n%s\n%s", form, text, text2);

  copy = desk_entry_copy (entry);
  text3 = desk_entry_to_data (copy, form, FALSE, &len3);
  FUZZ_CHECK (len == len3 && memcmp (text, text3, len) == 0, "form %d: copy differs:\n%s\n%s", form, text, text3);

  /* The other forms of the same entry must at least be writable. */
  for (int other = DESK_ENTRY_FORM_FULL; other <= DESK_ENTRY_FORM_PIPELINE; other++)
    {
      g_autofree char *t = desk_entry_to_data (entry, other, TRUE, NULL);
      FUZZ_CHECK (t != NULL && g_utf8_validate (t, -1, NULL), "form %d written as %d", form, other);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_setup ();

  check_json_round_trip (data, size);
  check_entry (data, size, DESK_ENTRY_FORM_FULL);
  check_entry (data, size, DESK_ENTRY_FORM_SUMMARY);
  check_entry (data, size, DESK_ENTRY_FORM_PIPELINE);

  return 0;
}
