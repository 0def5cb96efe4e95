/* net-test-util.c: shared helpers of the net tests: waiting on async calls, checking errors for secrets
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "net-test-util.h"

#include <string.h>

static GPtrArray *secrets;
static guint leaked_log_lines;
static guint checked_log_lines;

void
net_test_store_result (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

GAsyncResult *
net_test_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

void
net_test_add_secret (const char *secret)
{
  if (secrets == NULL)
    secrets = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (secrets, g_strdup (secret));
}

static void
assert_no_secret (const char *text)
{
  for (guint i = 0; secrets != NULL && i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);

      if (strstr (text, secret) != NULL)
        g_error ("a secret leaked into: %s", text);
    }
}

static void
check_log_text (const char *text)
{
  for (guint j = 0; secrets != NULL && j < secrets->len; j++)
    if (strstr (text, g_ptr_array_index (secrets, j)) != NULL)
      leaked_log_lines++;
  g_assert_cmpuint (leaked_log_lines, ==, 0);
  checked_log_lines++;
}

static GLogWriterOutput
log_guard_writer (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        {
          g_autofree char *text = fields[i].length < 0
                                  ? g_strdup (fields[i].value)
                                  : g_strndup (fields[i].value, fields[i].length);

          check_log_text (text);
        }
    }

  if (log_level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* g_debug () and friends go through the (GTest) default handler, not the
 * writer, so both are replaced. */
static void
log_guard_handler (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  check_log_text (message);
  if (log_level & G_LOG_LEVEL_DEBUG)
    return;
  g_log_default_handler (log_domain, log_level, message, user_data);
}

void
net_test_init_log_guard (void)
{
  g_log_set_writer_func (log_guard_writer, NULL, NULL);
  g_log_set_default_handler (log_guard_handler, NULL);
}

guint
net_test_get_checked_log_lines (void)
{
  return checked_log_lines;
}

void
net_test_assert_site_error (const GError          *error,
                            const DeskSiteFailure *failure,
                            DeskSiteError          code,
                            guint                  status)
{
  g_assert_nonnull (error);
  if (error->domain != DESK_SITE_ERROR || error->code != (int) code)
    g_error ("expected DESK_SITE_ERROR %d, got %s %d: %s", code,
             g_quark_to_string (error->domain), error->code, error->message);

  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 10);
  assert_no_secret (error->message);
  g_test_message ("DESK_SITE_ERROR %d: %s", code, error->message);

  if (failure != NULL)
    {
      g_assert_cmpint (failure->code, ==, code);
      g_assert_cmpuint (failure->status, ==, status);
      if (failure->api_error != NULL)
        {
          g_autoptr(JsonNode) node = desk_api_error_to_json (failure->api_error);
          g_autofree char *text = desk_json_to_string (node, FALSE, NULL);

          /* The UI may show the site's own message too. */
          assert_no_secret (text);
        }
    }
}
