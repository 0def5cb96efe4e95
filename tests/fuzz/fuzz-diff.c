/* fuzz-diff.c: fuzz target for the diff and the post-edit effort
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>

#include "desk-diff.h"

#include "fuzz-common.h"

/* The code points desk_diff() sees: invalid sequences as U+FFFD. */
static gsize
n_code_points (const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s, -1);

  return g_utf8_strlen (valid, -1);
}

static void
check_ops (const char          *a,
           const char          *b,
           DeskDiffGranularity  granularity)
{
  g_autoptr(GArray) ops = desk_diff (a, b, granularity);
  gsize a_len = n_code_points (a), b_len = n_code_points (b);
  gsize a_pos = 0, b_pos = 0;

  FUZZ_CHECK (ops != NULL, "no ops");
  for (guint i = 0; i < ops->len; i++)
    {
      const DeskDiffOp *op = &g_array_index (ops, DeskDiffOp, i);

      FUZZ_CHECK (op->a_start == a_pos && op->b_start == b_pos,
                  "granularity %d, op %u starts at (%zu, %zu), expected (%zu, %zu)",
                  granularity, i, op->a_start, op->b_start, a_pos, b_pos);
      FUZZ_CHECK (op->a_end >= op->a_start && op->b_end >= op->b_start, "op %u runs backwards", i);
      FUZZ_CHECK (op->a_end > op->a_start || op->b_end > op->b_start, "op %u is empty", i);
      switch (op->kind)
        {
        case DESK_DIFF_EQUAL:
          FUZZ_CHECK (op->a_end - op->a_start == op->b_end - op->b_start, "equal op %u of unequal lengths", i);
          break;
        case DESK_DIFF_INSERT:
          FUZZ_CHECK (op->a_end == op->a_start, "insert op %u deletes", i);
          break;
        case DESK_DIFF_DELETE:
          FUZZ_CHECK (op->b_end == op->b_start, "delete op %u inserts", i);
          FUZZ_CHECK (i + 1 == ops->len || g_array_index (ops, DeskDiffOp, i + 1).kind != DESK_DIFF_DELETE, "two deletes");
          break;
        default:
          FUZZ_CHECK (FALSE, "op %u has kind %d", i, op->kind);
        }
      if (i > 0)
        {
          const DeskDiffOp *prev = &g_array_index (ops, DeskDiffOp, i - 1);

          FUZZ_CHECK (prev->kind != op->kind, "ops %u and %u have the same kind", i - 1, i);
          FUZZ_CHECK (!(prev->kind == DESK_DIFF_INSERT && op->kind == DESK_DIFF_DELETE),
                      "op %u: an insert before a delete", i);
        }
      a_pos = op->a_end;
      b_pos = op->b_end;
    }
  FUZZ_CHECK (a_pos == a_len && b_pos == b_len,
              "granularity %d: ops end at (%zu, %zu) for lengths (%zu, %zu)",
              granularity, a_pos, b_pos, a_len, b_len);

  /* Equal stretches really are equal. */
  {
    g_autofree char *va = g_utf8_make_valid (a, -1);
    g_autofree char *vb = g_utf8_make_valid (b, -1);
    g_autofree gunichar *ua = g_utf8_to_ucs4_fast (va, -1, NULL);
    g_autofree gunichar *ub = g_utf8_to_ucs4_fast (vb, -1, NULL);

    for (guint i = 0; i < ops->len; i++)
      {
        const DeskDiffOp *op = &g_array_index (ops, DeskDiffOp, i);

        if (op->kind == DESK_DIFF_EQUAL)
          FUZZ_CHECK (memcmp (ua + op->a_start, ub + op->b_start,
                              (op->a_end - op->a_start) * sizeof (gunichar)) == 0,
                      "equal op %u differs", i);
      }
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  const uint8_t *sep;
  size_t a_size;
  double ratio, back;

  fuzz_setup ();

  /* The two texts are separated by the first NUL byte (or split in half). */
  sep = memchr (data, '\0', size);
  a_size = sep != NULL ? (size_t) (sep - data) : size / 2;
  a = fuzz_strndup (data, a_size);
  b = fuzz_strndup (data + a_size + (sep != NULL ? 1 : 0), size - a_size - (sep != NULL ? 1 : 0));

  check_ops (a, b, DESK_DIFF_CHAR);
  check_ops (a, b, DESK_DIFF_WORD);
  check_ops (a, b, DESK_DIFF_AUTO);

  ratio = desk_edit_distance_ratio (a, b);
  FUZZ_CHECK (isfinite (ratio) && ratio >= 0.0 && ratio <= 1.0, "ratio %g", ratio);
  FUZZ_CHECK (desk_edit_distance_ratio (a, a) == 0.0, "a text differs from itself");
  back = desk_edit_distance_ratio (b, a);
  FUZZ_CHECK (isfinite (back) && back >= 0.0 && back <= 1.0, "reverse ratio %g", back);

  return 0;
}
