/* digest-desk-lint: the QA checks of Digest Desk on entry files
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * digest-desk-lint [--json] [--glossary FILE] [--house-style STYLE] FILE...
 *
 * Each FILE holds one entry or a JSON array of entries, in the Site API's
 * full form or the pipeline's form. Exit status: 0 when no error was found
 * (warnings allowed), 1 when errors were found, 2 when an input could not
 * be read (the reason is printed on stderr).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "desk-core.h"

static gboolean opt_json;
static char *opt_glossary;
static gboolean opt_no_glossary;
static char *opt_house_style;
static char **opt_checks;
static gboolean opt_version;
static char **opt_files;

static const GOptionEntry options[] = {
  { "json", 'j', 0, G_OPTION_ARG_NONE, &opt_json, N_("Print the findings as one JSON array"), NULL },
  { "glossary", 'g', 0, G_OPTION_ARG_FILENAME, &opt_glossary,
    N_("Glossary to check against (JSON as served by the site, CSV or prh YAML)"), N_("FILE") },
  { "no-glossary", 0, 0, G_OPTION_ARG_NONE, &opt_no_glossary,
    N_("Do not use the glossary.json found beside the input files"), NULL },
  { "house-style", 's', 0, G_OPTION_ARG_STRING, &opt_house_style,
    N_("The site's register: desu-masu (default), de-aru or any"), N_("STYLE") },
  { "check", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &opt_checks,
    N_("Run only this check (repeatable)"), N_("ID") },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_files, NULL, N_("FILE…") },
  { NULL }
};

/* Run from the build tree, the translations are the ones built there. */
static const char *
locale_dir (void)
{
  static char *dir;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (dir != NULL)
    return dir;
  if (exe != NULL)
    {
      g_autofree char *exe_dir = g_path_get_dirname (exe);
      g_autofree char *build = g_build_filename (exe_dir, "..", "..", NULL);
      g_autofree char *private = g_build_filename (build, "meson-private", NULL);

      if (g_file_test (private, G_FILE_TEST_IS_DIR))
        dir = g_build_filename (build, "po", NULL);
    }
  if (dir == NULL)
    dir = g_strdup (LOCALEDIR);
  return dir;
}

static DeskGlossary *
load_glossary (const char  *path,
               GError     **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".yml") || g_str_has_suffix (lower, ".yaml"))
    {
      g_autoptr(GPtrArray) terms = NULL;
      DeskGlossary *glossary;

      if (g_str_has_suffix (lower, ".csv"))
        terms = desk_glossary_csv_parse (data, len, error);
      else
        terms = desk_glossary_prh_parse (data, len, NULL, error);
      if (terms == NULL)
        return NULL;
      glossary = desk_glossary_new ();
      desk_glossary_merge_terms (glossary, terms,
                                 g_str_has_suffix (lower, ".csv") ? DESK_GLOSSARY_MERGE_REPLACE
                                                                  : DESK_GLOSSARY_MERGE_ADD_VARIANTS,
                                 NULL, NULL);
      return glossary;
    }
  else
    {
      g_autoptr(JsonNode) node = desk_json_parse (data, len, DESK_JSON_MAX_BYTES, DESK_JSON_MAX_DEPTH, error);
      JsonObject *obj;

      if (node == NULL)
        return NULL;
      obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      return desk_glossary_new_from_json (node, obj != NULL && json_object_has_member (obj, "revision"), error);
    }
}

/* The entries of one file: an object, or an array of objects, each in the
 * full form (it has a "revision") or the pipeline form. */
static GPtrArray *
load_entries (const char  *path,
              GError     **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  node = desk_json_parse (data, len, DESK_JSON_MAX_BYTES * 4, DESK_JSON_MAX_DEPTH, error);
  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (nodes, json_array_get_element (array, i));
    }
  else
    g_ptr_array_add (nodes, node);

  for (guint i = 0; i < nodes->len; i++)
    {
      JsonNode *n = g_ptr_array_index (nodes, i);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      DeskEntryForm form;
      g_autoptr(GError) local = NULL;
      DeskEntry *entry;

      if (obj == NULL)
        {
          g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_TYPE,
                       _("entry %u: not a JSON object"), i + 1);
          return NULL;
        }
      form = json_object_has_member (obj, "revision") ? DESK_ENTRY_FORM_FULL : DESK_ENTRY_FORM_PIPELINE;
      entry = desk_entry_new_from_json (n, form, &local);
      if (entry == NULL)
        {
          const char *id = json_object_has_member (obj, "id") &&
                           JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "id")) &&
                           json_node_get_value_type (json_object_get_member (obj, "id")) == G_TYPE_STRING
                             ? json_object_get_string_member (obj, "id") : NULL;

          g_set_error (error, DESK_JSON_ERROR, local->code, _("entry %u%s%s%s: %s"), i + 1,
                       id ? " (" : "", id ? id : "", id ? ")" : "", local->message);
          return NULL;
        }
      g_ptr_array_add (entries, entry);
    }
  return g_steal_pointer (&entries);
}

static void
print_text (const char          *file,
            const char          *entry_id,
            const DeskQaFinding *f)
{
  const char *severity;

  switch (f->severity)
    {
    case DESK_QA_SEVERITY_ERROR: severity = _("error"); break;
    case DESK_QA_SEVERITY_WARNING: severity = _("warning"); break;
    default: severity = _("info"); break;
    }
  /* UTF-8 as it is, whatever the locale's charset (g_print would turn
   * Japanese into "?" under a C locale). */
  fprintf (stdout, "%s:%s:%s:%u:%u: %s: [%s] %s", file, entry_id, f->field, f->line, f->column,
           severity, f->check, f->message);
  if (f->suggestion != NULL && *f->suggestion != '\0' && strchr (f->suggestion, '\n') == NULL)
    fprintf (stdout, " (%s %s)", _("suggestion:"), f->suggestion);
  fputc ('\n', stdout);
}

static void
add_json (JsonBuilder         *b,
          const char          *file,
          const char          *entry_id,
          const DeskQaFinding *f)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, file);
  json_builder_set_member_name (b, "entry");
  json_builder_add_string_value (b, entry_id);
  json_builder_set_member_name (b, "check");
  json_builder_add_string_value (b, f->check);
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, desk_qa_severity_to_string (f->severity));
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, f->field);
  json_builder_set_member_name (b, "start");
  json_builder_add_int_value (b, f->start);
  json_builder_set_member_name (b, "end");
  json_builder_add_int_value (b, f->end);
  json_builder_set_member_name (b, "line");
  json_builder_add_int_value (b, f->line);
  json_builder_set_member_name (b, "column");
  json_builder_add_int_value (b, f->column);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, f->text);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, f->message);
  json_builder_set_member_name (b, "suggestion");
  if (f->suggestion != NULL)
    json_builder_add_string_value (b, f->suggestion);
  else
    json_builder_add_null_value (b);
  if (f->original != NULL)
    {
      json_builder_set_member_name (b, "original");
      json_builder_add_string_value (b, f->original);
    }
  json_builder_end_object (b);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskQa) qa = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(DeskGlossary) glossary = NULL;
  guint n_errors = 0;
  DeskHouseStyle style;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("FILE… — check machine-translated digest entries"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, options, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Each FILE holds one entry, or a JSON array of entries, in the Site API's full or pipeline form.\n"
                                  "Exit status: 0 no errors, 1 errors found, 2 unreadable input."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("digest-desk-lint: %s\n", error->message);
      return 2;
    }
  if (opt_version)
    {
      g_print ("digest-desk-lint %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (opt_files == NULL || opt_files[0] == NULL)
    {
      g_printerr ("digest-desk-lint: %s\n", _("no input files (see --help)"));
      return 2;
    }

  qa = desk_qa_new ();
  if (opt_house_style != NULL)
    {
      if (!desk_house_style_from_string (opt_house_style, &style))
        {
          g_printerr ("digest-desk-lint: %s\n", _("--house-style must be desu-masu, de-aru or any"));
          return 2;
        }
      desk_qa_set_house_style (qa, style);
    }
  if (opt_checks != NULL)
    {
      for (guint i = 0; opt_checks[i] != NULL; i++)
        if (!desk_qa_check_id_is_valid (opt_checks[i]))
          {
            g_printerr ("digest-desk-lint: %s: %s\n", opt_checks[i], _("no such check"));
            return 2;
          }
      desk_qa_set_enabled_checks (qa, (const char * const *) opt_checks);
    }

  if (opt_glossary != NULL)
    {
      glossary = load_glossary (opt_glossary, &error);
      if (glossary == NULL)
        {
          g_printerr ("digest-desk-lint: %s: %s\n", opt_glossary, error->message);
          return 2;
        }
    }
  else if (!opt_no_glossary)
    {
      /* The site's glossary kept beside the entries, as in data/sample/. */
      g_autofree char *dir = g_path_get_dirname (opt_files[0]);
      g_autofree char *beside = g_build_filename (dir, "glossary.json", NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_REGULAR))
        {
          glossary = load_glossary (beside, &error);
          if (glossary == NULL)
            {
              g_printerr ("digest-desk-lint: %s: %s\n", beside, error->message);
              return 2;
            }
        }
    }
  desk_qa_set_glossary (qa, glossary);

  if (opt_json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }

  for (guint i = 0; opt_files[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) entries = load_entries (opt_files[i], &error);

      if (entries == NULL)
        {
          g_printerr ("digest-desk-lint: %s: %s\n", opt_files[i], error->message);
          return 2;
        }
      for (guint e = 0; e < entries->len; e++)
        {
          DeskEntry *entry = g_ptr_array_index (entries, e);
          g_autoptr(GPtrArray) findings = desk_qa_check_entry (qa, entry);

          for (guint k = 0; k < findings->len; k++)
            {
              const DeskQaFinding *f = g_ptr_array_index (findings, k);

              if (f->severity == DESK_QA_SEVERITY_ERROR)
                n_errors++;
              if (opt_json)
                add_json (builder, opt_files[i], desk_entry_get_id (entry), f);
              else
                print_text (opt_files[i], desk_entry_get_id (entry), f);
            }
        }
    }

  if (opt_json)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = desk_json_to_string (root, TRUE, NULL);
      fputs (text, stdout);
      fputc ('\n', stdout);
    }
  return n_errors > 0 ? 1 : 0;
}
