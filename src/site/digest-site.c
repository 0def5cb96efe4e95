/* digest-site.c: the reference server of Site API v1: command line, seeding, main loop
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <locale.h>
#include <glib-unix.h>

#include "desk-site-db.h"
#include "desk-site-server.h"
#include "desk-site-synthetic.h"

#define DEFAULT_PUBLIC_BASE "https://example.org/news"

static gboolean
quit_on_signal (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

/* Seeds must satisfy the same rules as a POST; a full-form entry also has
 * its current fields checked. */
static gboolean
check_seed_rules (DeskEntry    *entry,
                  DeskEntryForm form,
                  const char   *file,
                  guint         index,
                  GError      **error)
{
  g_autoptr(GPtrArray) machine_rules = NULL;
  g_autoptr(GPtrArray) field_rules = NULL;
  const DeskFieldError *fe = NULL;

  machine_rules = desk_editable_check_rules (desk_entry_get_machine (entry), "machine.");
  if (machine_rules != NULL && machine_rules->len > 0)
    fe = g_ptr_array_index (machine_rules, 0);

  if (fe == NULL && form == DESK_ENTRY_FORM_FULL)
    {
      field_rules = desk_editable_check_rules (desk_entry_get_fields (entry), NULL);
      if (field_rules != NULL && field_rules->len > 0)
        fe = g_ptr_array_index (field_rules, 0);
    }

  if (fe == NULL)
    return TRUE;

  g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_INVALID,
               "%s: [%u].%s: %s", file, index, fe->field, fe->message);
  return FALSE;
}

static gboolean
seed_one (DeskSiteDb  *db,
          JsonNode    *element,
          const char  *file,
          guint        index,
          gboolean    *added,
          GError     **error)
{
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) local_error = NULL;
  DeskEntryForm form;
  gboolean exists = FALSE;

  *added = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (element))
    {
      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_TYPE,
                   "%s: [%u]: must be an entry object", file, index);
      return FALSE;
    }

  /* Only the full form has a revision. */
  form = json_object_has_member (json_node_get_object (element), "revision")
         ? DESK_ENTRY_FORM_FULL : DESK_ENTRY_FORM_PIPELINE;

  entry = desk_entry_new_from_json (element, form, &local_error);
  if (entry == NULL)
    {
      g_set_error (error, DESK_JSON_ERROR, local_error->code,
                   "%s: [%u].%s", file, index, local_error->message);
      return FALSE;
    }

  if (!check_seed_rules (entry, form, file, index, error))
    return FALSE;

  if (!desk_site_db_exists (db, desk_entry_get_id (entry), &exists, error))
    return FALSE;
  if (exists)
    return TRUE;

  if (form == DESK_ENTRY_FORM_PIPELINE)
    {
      g_autofree char *now = desk_rfc3339_now ();

      desk_entry_set_revision (entry, 1);
      desk_entry_set_status (entry, DESK_ENTRY_STATUS_INCOMING);
      desk_entry_set_updated_at (entry, now);
      desk_entry_set_published (entry, NULL);
    }
  else if (desk_entry_get_updated_at (entry) == NULL)
    {
      g_autofree char *now = desk_rfc3339_now ();
      desk_entry_set_updated_at (entry, now);
    }
  desk_entry_set_lock (entry, NULL);

  if (!desk_site_db_insert_entry (db, entry, "seed", NULL, NULL, error))
    return FALSE;

  *added = TRUE;
  return TRUE;
}

static gboolean
load_seed_file (DeskSiteDb  *db,
                const char  *file,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  JsonArray *array;
  gsize length;
  guint added = 0;

  if (!g_file_get_contents (file, &data, &length, error))
    return FALSE;

  /* A seed file is an array of entries, one level deeper than a body. */
  root = desk_json_parse (data, length, G_MAXSSIZE, DESK_JSON_MAX_DEPTH + 1, &local_error);
  if (root == NULL)
    {
      g_set_error (error, DESK_JSON_ERROR, local_error->code,
                   "%s: %s", file, local_error->message);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_TYPE,
                   "%s: must be a JSON array of entries", file);
      return FALSE;
    }

  array = json_node_get_array (root);

  if (!desk_site_db_begin (db, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gboolean was_added;

      if (!seed_one (db, json_array_get_element (array, i), file, i, &was_added, error))
        {
          desk_site_db_rollback (db);
          return FALSE;
        }
      if (was_added)
        added++;
    }

  if (!desk_site_db_commit (db, error))
    return FALSE;

  g_message ("%s: %u of %u entries added", file, added, json_array_get_length (array));
  return TRUE;
}

static gboolean
add_synthetic (DeskSiteDb  *db,
               guint        count,
               const char  *public_base,
               GError     **error)
{
  guint added = 0;

  /* One transaction: 10 000 entries in seconds, not minutes of fsyncs. */
  if (!desk_site_db_begin (db, error))
    return FALSE;

  for (guint i = 1; i <= count; i++)
    {
      g_autofree char *id = desk_site_synthetic_id (i);
      g_autoptr(DeskEntry) entry = NULL;
      gboolean exists = FALSE;

      if (!desk_site_db_exists (db, id, &exists, error))
        goto fail;
      if (exists)
        continue;

      entry = desk_site_synthetic_entry (i, public_base);
      if (!desk_site_db_insert_entry (db, entry, "synthetic", NULL, NULL, error))
        goto fail;
      added++;
    }

  if (!desk_site_db_commit (db, error))
    return FALSE;

  if (added > 0)
    g_message ("%u synthetic entries added", added);
  return TRUE;

fail:
  desk_site_db_rollback (db);
  return FALSE;
}

static gboolean
parse_display_names (char       **specs,
                     GHashTable  *names,
                     GError     **error)
{
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      const char *colon = strchr (specs[i], ':');

      if (colon == NULL || colon == specs[i] || colon[1] == '\0' ||
          !g_utf8_validate (specs[i], -1, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--display-name must be ACCOUNT:NAME, got “%s”", specs[i]);
          return FALSE;
        }

      g_hash_table_replace (names, g_strndup (specs[i], colon - specs[i]), g_strdup (colon + 1));
    }

  return TRUE;
}

/* One ACCOUNT:ROLE:SECRET a line; blank lines and lines starting with #
 * are skipped. Keeps the secrets off the command line, which every local
 * user can read in /proc. Messages name the line, never its text. */
static gboolean
read_token_file (const char  *path,
                 GPtrArray   *specs,
                 GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  if (memchr (contents, '\0', length) != NULL || !g_utf8_validate (contents, length, NULL))
    {
      memset (contents, 0, length);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--token-file %s: not UTF-8 text", path);
      return FALSE;
    }
  lines = g_strsplit (contents, "\n", -1);
  memset (contents, 0, length);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] != '\0' && line[0] != '#')
        g_ptr_array_add (specs, g_strdup (line));
      memset (lines[i], 0, strlen (lines[i]));
    }
  return TRUE;
}

static void
free_secret_string (gpointer data)
{
  char *text = data;

  memset (text, 0, strlen (text));
  g_free (text);
}

static gboolean
check_rate (const char  *option,
            double       value,
            GError     **error)
{
  if (value >= 0.0 && value <= 1.0)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s must be between 0 and 1", option);
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSiteDb) db = NULL;
  g_autoptr(DeskSiteServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GHashTable) display_names = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *public_base = NULL;
  g_auto(GStrv) token_specs = NULL;
  g_auto(GStrv) token_files = NULL;
  g_autoptr(GPtrArray) all_specs = NULL;
  g_auto(GStrv) seeds = NULL;
  g_auto(GStrv) display_specs = NULL;
  int port = 0;
  int synthetic = 0;
  int lock_seconds = 120;
  double fail_rate = 0.0;
  int delay_ms = 0;
  double drop_after_commit = 0.0;
  int retry_after = -1;
  gint64 fault_seed = -1;
  DeskSiteSettings settings = { 0 };
  guint bound_port = 0;
  guint sigint_id, sigterm_id;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The sqlite database (created if missing)", "FILE" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "The port on 127.0.0.1 (0: a free one; default 0)", "N" },
    { "token", 0, 0, G_OPTION_ARG_STRING_ARRAY, &token_specs, "A bearer token (role editor or pipeline)", "ACCOUNT:ROLE:SECRET" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &token_files, "Read tokens from FILE, one ACCOUNT:ROLE:SECRET a line", "FILE" },
    { "seed", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &seeds, "Load entries from a JSON array (existing ids are skipped)", "FILE.json" },
    { "display-name", 0, 0, G_OPTION_ARG_STRING_ARRAY, &display_specs, "The display name of an account in /me", "ACCOUNT:NAME" },
    { "synthetic", 0, 0, G_OPTION_ARG_INT, &synthetic, "Add N deterministic synthetic entries", "N" },
    { "public-base", 0, 0, G_OPTION_ARG_STRING, &public_base, "The base URL of published pages (default " DEFAULT_PUBLIC_BASE ")", "URL" },
    { "lock-seconds", 0, 0, G_OPTION_ARG_INT, &lock_seconds, "How long an editing lock lasts (default 120)", "N" },
    { "fail-rate", 0, 0, G_OPTION_ARG_DOUBLE, &fail_rate, "Answer this share of requests with 503", "P" },
    { "delay-ms", 0, 0, G_OPTION_ARG_INT, &delay_ms, "Hold every response this long", "N" },
    { "drop-after-commit", 0, 0, G_OPTION_ARG_DOUBLE, &drop_after_commit, "Close this share of successful writes without a response", "P" },
    { "retry-after", 0, 0, G_OPTION_ARG_INT, &retry_after, "Send Retry-After with injected 503s", "SECONDS" },
    { "fault-seed", 0, 0, G_OPTION_ARG_INT64, &fault_seed, "Seed of the fault draws", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("- the reference server of Site API v1");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto usage;

  if (argc > 1)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "unexpected argument “%s”", argv[1]);
      goto usage;
    }
  if (db_path == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "--db is required");
      goto usage;
    }
  if (port < 0 || port > 65535)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--port must be 0–65535");
      goto usage;
    }
  if (synthetic < 0 || lock_seconds < 1 || delay_ms < 0 ||
      (retry_after < 0 && retry_after != -1) || fault_seed < -1 ||
      fault_seed > G_MAXUINT32)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--synthetic, --delay-ms, --retry-after and --fault-seed must not be "
                           "negative (--fault-seed at most 4294967295); --lock-seconds at least 1");
      goto usage;
    }
  if (!check_rate ("--fail-rate", fail_rate, &error) ||
      !check_rate ("--drop-after-commit", drop_after_commit, &error))
    goto usage;

  if (public_base == NULL)
    public_base = g_strdup (DEFAULT_PUBLIC_BASE);
  while (g_str_has_suffix (public_base, "/"))
    public_base[strlen (public_base) - 1] = '\0';
  if (!desk_http_url_is_valid (public_base))
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--public-base must be an absolute http(s) URL");
      goto usage;
    }

  all_specs = g_ptr_array_new_with_free_func (free_secret_string);
  for (guint i = 0; token_specs != NULL && token_specs[i] != NULL; i++)
    g_ptr_array_add (all_specs, g_strdup (token_specs[i]));
  for (guint i = 0; token_files != NULL && token_files[i] != NULL; i++)
    {
      if (!read_token_file (token_files[i], all_specs, &error))
        goto usage;
    }

  tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_site_token_free);
  for (guint i = 0; i < all_specs->len; i++)
    {
      DeskSiteToken *token = desk_site_token_new_parse (g_ptr_array_index (all_specs, i), &error);

      if (token == NULL)
        goto usage;
      for (guint j = 0; j < tokens->len; j++)
        {
          if (strcmp (((DeskSiteToken *) g_ptr_array_index (tokens, j))->secret, token->secret) == 0)
            {
              g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--token for %s reuses the secret of another token", token->account);
              desk_site_token_free (token);
              goto usage;
            }
        }
      g_ptr_array_add (tokens, token);
    }
  if (tokens->len == 0)
    g_printerr ("digest-site: warning: no --token given, every request will be answered 401\n");

  display_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!parse_display_names (display_specs, display_names, &error))
    goto usage;

  db = desk_site_db_open (db_path, &error);
  if (db == NULL)
    {
      g_printerr ("digest-site: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; seeds != NULL && seeds[i] != NULL; i++)
    {
      if (!load_seed_file (db, seeds[i], &error))
        {
          g_printerr ("digest-site: bad seed: %s\n", error->message);
          return 1;
        }
    }

  if (synthetic > 0 && !add_synthetic (db, synthetic, public_base, &error))
    {
      g_printerr ("digest-site: synthetic entries: %s\n", error->message);
      return 1;
    }

  settings.tokens = tokens;
  settings.display_names = display_names;
  settings.public_base = public_base;
  settings.lock_seconds = lock_seconds;
  settings.fail_rate = fail_rate;
  settings.delay_ms = delay_ms;
  settings.drop_after_commit = drop_after_commit;
  settings.retry_after = retry_after;
  settings.has_fault_seed = fault_seed >= 0;
  settings.fault_seed = fault_seed >= 0 ? (guint32) fault_seed : 0;

  server = desk_site_server_new (db, &settings);
  if (!desk_site_server_listen (server, port, &bound_port, &error))
    {
      g_printerr ("digest-site: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_on_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_on_signal, loop);

  printf ("listening on http://127.0.0.1:%u\n", bound_port);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  desk_site_server_shutdown (server);
  g_clear_object (&server);
  desk_site_db_close (db);

  return 0;

usage:
  g_printerr ("digest-site: %s\nTry “digest-site --help”.\n", error->message);
  return 2;
}
