/* fuzz-replay.c: runs a fuzz target over files as a GTest program, for builds without libFuzzer
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: fuzz-replay-TARGET [--tap] DIR-OR-FILE…
 * Every regular file under the given directories (corpus and regressions)
 * becomes one test case that feeds its bytes to LLVMFuzzerTestOneInput(), as
 * libFuzzer would. A failed check aborts the program with the case's name.
 */
#include <stdio.h>

#include "fuzz-common.h"

static void
replay_file (gconstpointer user_data)
{
  const char *path = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s: %s", path, error->message);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_path (const char *path,
          const char *test_prefix)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *test_path = g_strdup_printf ("%s/%s", test_prefix, base);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        return;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (name[0] != '.')
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *child = g_build_filename (path, names->pdata[i], NULL);

          add_path (child, test_path);
        }
    }
  else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_test_add_data_func_full (test_path, g_strdup (path), replay_file, g_free);
}

int
main (int    argc,
      char **argv)
{
  int n_paths = 0;

  g_test_init (&argc, &argv, NULL);

  for (int i = 1; i < argc; i++)
    {
      add_path (argv[i], "/fuzz/" FUZZ_TARGET);
      n_paths++;
    }
  if (n_paths == 0)
    g_error ("usage: %s DIR-OR-FILE…", argv[0]);

  return g_test_run ();
}
