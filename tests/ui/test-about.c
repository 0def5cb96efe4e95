/* test-about.c: the About window shows the build's version and the metainfo's facts
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "desk-about.h"

/* The built metainfo, read on its own here (not through desk-about's
 * parser): the first match of @pattern's group 1. */
static char *
metainfo_match (const char *pattern)
{
  const char *build = g_getenv ("DESK_BUILD_DIR");
  g_autofree char *path = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  g_assert_nonnull (build);
  path = g_build_filename (build, "data", APP_ID ".metainfo.xml", NULL);
  g_assert_true (g_file_get_contents (path, &xml, NULL, &error));
  g_assert_no_error (error);
  regex = g_regex_new (pattern, G_REGEX_DOTALL, 0, &error);
  g_assert_no_error (error);
  if (!g_regex_match (regex, xml, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

/* The msgstr of @msgid in po/ja.po (single-line entries only). */
static char *
ja_msgstr (const char *msgid)
{
  g_autofree char *path = g_build_filename (g_getenv ("DESK_SOURCE_DIR"), "po", "ja.po", NULL);
  g_autofree char *po = NULL;
  g_autofree char *needle = g_strdup_printf ("\nmsgid \"%s\"\nmsgstr \"", msgid);
  const char *at, *end;

  g_assert_true (g_file_get_contents (path, &po, NULL, NULL));
  at = strstr (po, needle);
  g_assert_nonnull (at);
  at += strlen (needle);
  end = strchr (at, '"');
  g_assert_nonnull (end);
  return g_strndup (at, end - at);
}

static void
test_facts (void)
{
  GtkWidget *about = desk_about_window_new (NULL);
  AdwAboutWindow *window = ADW_ABOUT_WINDOW (about);
  const char *project_version = g_getenv ("DESK_PROJECT_VERSION");
  g_autofree char *id = metainfo_match ("<id>([^<]+)</id>");
  g_autofree char *license = metainfo_match ("<project_license>([^<]+)</project_license>");
  g_autofree char *release = metainfo_match ("<release version=\"([^\"]+)\"");
  g_autofree char *homepage = metainfo_match ("<url type=\"homepage\">([^<]+)</url>");
  g_autofree char *bugs = metainfo_match ("<url type=\"bugtracker\">([^<]+)</url>");
  g_autofree char *developer = metainfo_match ("<developer[^>]*>\\s*<name[^>]*>([^<]+)</name>");
  g_autofree char *first_note = metainfo_match ("<release [^>]*>\\s*<description>\\s*<p>([^<]+)</p>");

  /* meson's project version is the one shown and the newest release. */
  g_assert_nonnull (project_version);
  g_assert_cmpstr (adw_about_window_get_version (window), ==, project_version);
  g_assert_cmpstr (release, ==, project_version);
  g_assert_cmpstr (adw_about_window_get_release_notes_version (window), ==, release);

  g_assert_cmpstr (id, ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_application_icon (window), ==, id);
  g_assert_cmpstr (license, ==, "GPL-3.0-or-later");
  g_assert_cmpint (adw_about_window_get_license_type (window), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_website (window), ==, homepage);
  g_assert_cmpstr (adw_about_window_get_issue_url (window), ==, bugs);
  g_assert_cmpstr (adw_about_window_get_developer_name (window), ==, developer);
  g_assert_cmpstr (adw_about_window_get_application_name (window), ==, "Digest Desk");
  g_assert_nonnull (adw_about_window_get_comments (window));

  /* The notes of the current release, as markup AdwAboutWindow reads. */
  g_assert_nonnull (first_note);
  {
    g_autofree char *para = g_strdup_printf ("<p>%s</p>", first_note);
    g_assert_nonnull (strstr (adw_about_window_get_release_notes (window), para));
  }
  /* Untranslated, no translator is credited. */
  g_assert_cmpstr (adw_about_window_get_translator_credits (window), ==, NULL);
  gtk_window_destroy (GTK_WINDOW (about));
}

/* In Japanese: the name, the notes and the translators from ja.po. */
static void
test_japanese (void)
{
  GtkWidget *about;
  AdwAboutWindow *window;
  g_autofree char *credits = ja_msgstr ("translator-credits");
  g_autofree char *name = ja_msgstr ("Digest Desk");
  g_autofree char *note = ja_msgstr ("The first release.");

  g_setenv ("LANGUAGE", "ja", TRUE);
  setlocale (LC_MESSAGES, "");
  about = desk_about_window_new (NULL);
  window = ADW_ABOUT_WINDOW (about);
  g_assert_cmpstr (credits, !=, "");
  g_assert_cmpstr (adw_about_window_get_translator_credits (window), ==, credits);
  g_assert_cmpstr (adw_about_window_get_application_name (window), ==, name);
  g_assert_nonnull (strstr (adw_about_window_get_release_notes (window), note));
  /* The facts that are not words stay. */
  g_assert_cmpstr (adw_about_window_get_version (window), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (window), ==, GTK_LICENSE_GPL_3_0);
  gtk_window_destroy (GTK_WINDOW (about));
  g_unsetenv ("LANGUAGE");
  setlocale (LC_MESSAGES, "");
}

/* A file that is not metainfo is refused, not shown. */
static void
test_parse_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskAppInfo) info = NULL;

  info = desk_app_info_parse ("<html><id>x</id></html>", -1, &error);
  g_assert_null (info);
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT);
  g_clear_error (&error);
  info = desk_app_info_parse ("<component><name>x</name></component>", -1, &error);
  g_assert_null (info);
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* Translations merged into the file are skipped; escapes are kept. */
  info = desk_app_info_parse ("<component><id>a.b</id><name>N</name><name xml:lang=\"ja\">名</name>"
                              "<releases><release version=\"2\"><description><p>x &lt; y</p>"
                              "<ul><li>one</li></ul></description></release>"
                              "<release version=\"1\"><description><p>old</p></description></release>"
                              "</releases></component>", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "N");
  g_assert_cmpstr (info->release_version, ==, "2");
  g_assert_cmpstr (info->release_notes, ==, "<p>x &lt; y</p><ul><li>one</li></ul>");
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DESK_BUILD_DIR") != NULL)
    {
      g_autofree char *locale_dir = g_build_filename (g_getenv ("DESK_BUILD_DIR"), "po", NULL);
      bindtextdomain (GETTEXT_PACKAGE, locale_dir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  g_unsetenv ("LANGUAGE");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* gtk_test_init() leaves the C locale, where gettext never translates. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_add_func ("/about/facts", test_facts);
  g_test_add_func ("/about/japanese", test_japanese);
  g_test_add_func ("/about/parse-errors", test_parse_errors);
  return g_test_run ();
}
