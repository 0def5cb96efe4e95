/* bench-startup.c: exec to the main window's first frame with 10 000 entries in the store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "desk-store.h"

#define N_ENTRIES    10000
/* Interleaved starts of each program; on two cores a median of 7 moved by
 * 5 % from one run of the benchmark to the next. */
#define RUNS         15
#define TARGET_MS    400.0
#define TARGET_RATIO 1.5

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Runs @argv and returns the milliseconds from just before the exec to
 * the first frame the program reports. */
static double
time_first_frame (const char * const *argv,
                  const char         *store)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 started, frame = 0;
  char *line;

  g_subprocess_launcher_setenv (launcher, "DESK_BENCH_FIRST_FRAME", "1", TRUE);
  started = g_get_monotonic_time ();
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  line = out != NULL ? strstr (out, "first-frame ") : NULL;
  if (line == NULL)
    g_error ("%s printed no first frame: %s", argv[0], out != NULL ? out : "");
  frame = g_ascii_strtoll (line + strlen ("first-frame "), NULL, 10);
  return (frame - started) / 1000.0;
}

static void
fill_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open_sync (path, NULL, &error);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  for (int i = 0; i < N_ENTRIES; i++)
    {
      g_autofree char *id = g_strdup_printf ("bench-%05d", i);
      g_autofree char *title = g_strdup_printf ("ベンチマーク用の記事 %d：推論コストが%d%%下落", i, i % 90);
      g_autofree char *when = g_strdup_printf ("2026-11-%02dT%02d:%02d:00+09:00", 1 + i % 28, i % 24, i % 60);
      DeskEntry *entry = desk_entry_new (id);
      DeskSource source = { (char *) "Bench Weekly", (char *) "https://example.org/bench", NULL, (char *) "en", NULL };
      DeskEditable *fields = desk_editable_new ();

      desk_entry_set_revision (entry, 1);
      desk_entry_set_status (entry, i % 5);
      desk_entry_set_kind (entry, i % 3);
      desk_entry_set_source (entry, &source);
      desk_entry_set_collected_at (entry, when);
      desk_entry_set_updated_at (entry, when);
      fields->title = g_strdup (title);
      fields->importance.overall = 1 + i % 5;
      fields->importance.depth = fields->importance.relevance = 3;
      fields->importance.practicality = fields->importance.innovation = 3;
      fields->tags = g_strsplit ("AI,推論", ",", -1);
      fields->present = DESK_FIELD_TITLE | DESK_FIELD_IMPORTANCE | DESK_FIELD_TAGS;
      desk_entry_apply_fields (entry, fields);
      desk_editable_free (fields);
      g_ptr_array_add (entries, entry);
    }
  desk_store_upsert_summaries_sync (store, entries, NULL, NULL, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  const char *build = g_getenv ("DESK_BUILD_DIR");
  g_autofree char *dir = g_dir_make_tmp ("desk-bench-startup-XXXXXX", NULL);
  g_autofree char *store = g_build_filename (dir, "store.db", NULL);
  g_autofree char *app = g_build_filename (build, "src", "digest-desk", NULL);
  g_autofree char *bare = g_build_filename (build, "tests", "bench", "bare-window", NULL);
  g_autofree char *bare_adw = g_build_filename (build, "tests", "bench", "bare-adw-window", NULL);
  g_autofree char *store_arg = g_strconcat ("--store=", store, NULL);
  const char *app_argv[] = { app, store_arg, "--site=http://127.0.0.1:9/", NULL };
  const char *bare_argv[] = { bare, NULL };
  const char *bare_adw_argv[] = { bare_adw, NULL };
  double app_ms[RUNS], bare_ms[RUNS], adw_ms[RUNS];
  double app_median, bare_median, adw_median, ratio;
  gboolean ok;

  g_assert_nonnull (build);
  fill_store (store);

  /* Warm both once (shared libraries, fonts, the store's pages). */
  time_first_frame (app_argv, store);
  time_first_frame (bare_argv, store);
  time_first_frame (bare_adw_argv, store);
  for (int i = 0; i < RUNS; i++)
    {
      bare_ms[i] = time_first_frame (bare_argv, store);
      adw_ms[i] = time_first_frame (bare_adw_argv, store);
      app_ms[i] = time_first_frame (app_argv, store);
    }
  qsort (app_ms, RUNS, sizeof (double), compare_double);
  qsort (bare_ms, RUNS, sizeof (double), compare_double);
  qsort (adw_ms, RUNS, sizeof (double), compare_double);
  app_median = app_ms[RUNS / 2];
  bare_median = bare_ms[RUNS / 2];
  adw_median = adw_ms[RUNS / 2];
  ratio = app_median / bare_median;

  printf ("startup, %d entries in the store: digest-desk first frame median %.1f ms (min %.1f, max %.1f), "
          "bare GTK window median %.1f ms; ratio %.2f (targets: <= %.0f ms, <= %.1fx)\n",
          N_ENTRIES, app_median, app_ms[0], app_ms[RUNS - 1], bare_median, ratio, TARGET_MS, TARGET_RATIO);
  /* For context: libadwaita's own start costs part of the margin. */
  printf ("baseline for context: bare libadwaita application window median %.1f ms (%.2fx the bare GTK window); "
          "digest-desk is %.2fx that\n", adw_median, adw_median / bare_median, app_median / adw_median);
  ok = app_median <= TARGET_MS && ratio <= TARGET_RATIO;
  printf ("%s\n", ok ? "startup: target met" : "startup: TARGET MISSED");

  /* DESK_BENCH_KEEP_STORE keeps the filled store, to look at a start by hand. */
  if (g_getenv ("DESK_BENCH_KEEP_STORE") != NULL)
    printf ("store kept: %s\n", store);
  else
    {
      const char *suffixes[] = { "", "-wal", "-shm", ".session", ".outbox-journal" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *p = g_strconcat (store, suffixes[i], NULL);
          g_unlink (p);
        }
      g_rmdir (dir);
    }
  return ok ? 0 : 1;
}
