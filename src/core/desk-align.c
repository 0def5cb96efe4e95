/* desk-align.c: alignment of a translation's blocks with its original's blocks
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "desk-align.h"

/* Measured on the sample corpus: CJK code points × 1.8 + other visible
 * characters gives the English length with a median log ratio of 0.0 and a
 * spread of about 0.22. */
#define CJK_WEIGHT      1.8
#define LENGTH_SMOOTH   10.0
#define SIGMA           0.25
#define OMIT_COST       3.0
#define OMIT_CHROME     0.3
#define INSERT_COST     3.0
#define MERGE_COST      4.0
#define HEADING_MISMATCH 3.0
#define CODE_MISMATCH   1.0
#define CODE_LENGTH_CAP 2.0
#define ANCHOR_BONUS    4.0
#define SLIVER          0.25
#define SLIVER_COST     2.0
/* Beyond this many cells the entry is pathological; pair blocks by
 * proportion instead of building the table. */
#define MAX_CELLS       ((gsize) 4 * 1000 * 1000)
/* Above this many cells only a band around the diagonal is computed. */
#define BAND_MIN_CELLS  ((gsize) 40 * 1000)
#define BAND_SLACK      16

typedef struct {
  double         len;
  double         lg;       /* log (len + LENGTH_SMOOTH) */
  DeskBlockKind  kind;
  gboolean       chrome;
  GArray        *anchors;  /* sorted unique guint hashes */
} Unit;

enum {
  STEP_NONE,
  STEP_11,
  STEP_10,   /* original omitted */
  STEP_01,   /* translation added */
  STEP_12,   /* one translation block, two originals */
  STEP_21,   /* two translation blocks, one original */
};

/* g_unichar_isspace () with a fast path: it is called on every character. */
static inline gboolean
is_space (gunichar c)
{
  if (c < 0x80)
    return c == ' ' || (c >= '\t' && c <= '\r');
  if (c >= 0x3001 && c <= 0x9FFF)
    return FALSE;
  return g_unichar_isspace (c);
}

static gboolean
is_cjk (gunichar c)
{
  return (c >= 0x3000 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x20000 && c <= 0x2FFFF);
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

/* Numbers and capitalised Latin words (names, products, acronyms) survive
 * translation into Japanese unchanged often enough — unlike ordinary
 * English words — to anchor a pair when lengths alone are ambiguous. */
static GArray *
collect_anchors (const char *s,
                 gsize       len)
{
  GArray *anchors = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize i = 0;

  while (i < len)
    {
      gsize j = i;
      gboolean digits = g_ascii_isdigit (s[i]);

      if (!digits && !g_ascii_isalpha (s[i]))
        {
          i++;
          continue;
        }
      while (j < len && (digits ? g_ascii_isdigit (s[j]) : g_ascii_isalpha (s[j])))
        j++;
      if (digits || (g_ascii_isupper (s[i]) && j - i >= 2))
        {
          g_autofree char *tok = g_strndup (s + i, j - i);
          guint h = g_str_hash (tok);

          g_array_append_val (anchors, h);
        }
      i = j;
    }

  g_array_sort (anchors, compare_uint);
  if (anchors->len > 1)
    {
      guint out = 1;

      for (guint k = 1; k < anchors->len; k++)
        if (g_array_index (anchors, guint, k) != g_array_index (anchors, guint, out - 1))
          g_array_index (anchors, guint, out++) = g_array_index (anchors, guint, k);
      g_array_set_size (anchors, out);
    }

  return anchors;
}

static gboolean
has_anchor (GArray *set,
            guint   h)
{
  guint lo = 0, hi = set->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      guint v = g_array_index (set, guint, mid);

      if (v == h)
        return TRUE;
      if (v < h)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

/* Dice coefficient of the two blocks' anchors. */
static double
anchor_similarity (const Unit *t,
                   const Unit *o)
{
  guint shared = 0;

  if (t->anchors->len == 0 || o->anchors->len == 0)
    return 0.0;

  for (guint k = 0; k < t->anchors->len; k++)
    if (has_anchor (o->anchors, g_array_index (t->anchors, guint, k)))
      shared++;

  return 2.0 * shared / (t->anchors->len + o->anchors->len);
}

static void
unit_from_original (Unit            *u,
                    const DeskBlock *block)
{
  u->len = 0;
  for (const char *p = block->text; *p != '\0'; p = g_utf8_next_char (p))
    if (!is_space (g_utf8_get_char (p)))
      u->len += 1;
  u->kind = block->kind;
  u->chrome = block->chrome;
  u->anchors = collect_anchors (block->text, strlen (block->text));
}

static void
unit_from_translation (Unit           *u,
                       const DeskSpan *span,
                       const char     *text,
                       gsize           text_len)
{
  gsize start = MIN (span->start, text_len);
  gsize end = CLAMP (span->end, start, text_len);
  g_autofree char *valid = g_utf8_make_valid (text + start, end - start);

  u->len = 0;
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_space (c) || (c < 0x80 && strchr ("#*>`_|-", (int) c) != NULL))
        continue;
      u->len += is_cjk (c) ? CJK_WEIGHT : 1.0;
    }
  u->kind = span->kind;
  u->chrome = FALSE;
  u->anchors = collect_anchors (valid, strlen (valid));
}

/* From the logs of the smoothed lengths (computed once per block). */
static double
length_cost (double log_t,
             double log_o)
{
  double r = log_t - log_o;
  return r * r / (2 * SIGMA * SIGMA);
}

static double
smoothed_log (double len)
{
  return log (len + LENGTH_SMOOTH);
}

static double
match_cost (const Unit *t,
            double      log_t,
            const Unit *o1,
            const Unit *o2,
            double      log_o,
            double      sim1,
            double      sim2)
{
  double cost = length_cost (log_t, log_o);
  gboolean o_heading = o1->kind == DESK_BLOCK_HEADING;
  gboolean o_code = o1->kind == DESK_BLOCK_CODE;
  double similarity;

  /* Code is copied verbatim or stands as a placeholder: its length says
   * little about the translation's. */
  if (o_code && o2 == NULL)
    cost = MIN (cost, CODE_LENGTH_CAP);
  if (o_heading != (t->kind == DESK_BLOCK_HEADING))
    cost += HEADING_MISMATCH;
  if (o_code != (t->kind == DESK_BLOCK_CODE))
    cost += CODE_MISMATCH;
  if (o1->chrome)
    cost += OMIT_CHROME;

  /* A merged translation should share anchors with both originals. */
  similarity = o2 == NULL ? sim1 : (sim1 + sim2) / 2;

  return cost - ANCHOR_BONUS * similarity;
}

/* Two translation blocks for one original: both halves must look like part
 * of it, and a translation does not split off a sliver, which is more
 * likely an added line (a copied call to action). */
static double
split_cost (const Unit *t1,
            const Unit *t2,
            const Unit *o,
            double      log_t12,
            double      sim1,
            double      sim2)
{
  double total = t1->len + t2->len;
  double cost = MERGE_COST + match_cost (t1, log_t12, o, NULL, o->lg, sim1, 0) + ANCHOR_BONUS * sim1;

  cost -= ANCHOR_BONUS * (sim1 + sim2) / 2;
  if (MIN (t1->len, t2->len) < SLIVER * total)
    cost += SLIVER_COST;
  return cost;
}

static double
score_of (double cost)
{
  return exp (-MAX (cost, 0.0) / 4.0);
}

static void
push_pair (GArray *pairs,
           int     t,
           int     o,
           int     count,
           double  score)
{
  DeskAlignPair pair = { t, o, count, score };
  g_array_append_val (pairs, pair);
}

static GArray *
align_by_proportion (guint n_o,
                     guint n_t)
{
  GArray *pairs = g_array_new (FALSE, FALSE, sizeof (DeskAlignPair));

  for (guint j = 0; j < n_t; j++)
    push_pair (pairs, j, n_o > 0 ? (int) ((guint64) j * n_o / n_t) : -1, n_o > 0, n_o > 0 ? 0.5 : 0.0);
  return pairs;
}

GArray *
desk_align (GPtrArray  *original_blocks,
            GArray     *translation_spans,
            const char *translation)
{
  guint n_o, n_t;
  gsize text_len;
  g_autofree Unit *orig = NULL;
  g_autofree Unit *trans = NULL;
  g_autofree double *cost = NULL;
  g_autofree guint8 *step = NULL;
  g_autoptr(GArray) rev = NULL;
  GArray *pairs;
  guint i, j, w;
  int band;
  g_autofree double *log_o2 = NULL;
  g_autofree double *log_t2 = NULL;
  g_autofree int *center = NULL;
  g_autofree float *sim = NULL;

  g_return_val_if_fail (original_blocks != NULL, NULL);
  g_return_val_if_fail (translation_spans != NULL, NULL);
  g_return_val_if_fail (translation != NULL, NULL);

  n_o = original_blocks->len;
  n_t = translation_spans->len;
  if ((gsize) (n_o + 1) * (n_t + 1) > MAX_CELLS)
    return align_by_proportion (n_o, n_t);

  text_len = strlen (translation);
  orig = g_new0 (Unit, n_o + 1);
  trans = g_new0 (Unit, n_t + 1);
  for (i = 0; i < n_o; i++)
    unit_from_original (&orig[i], g_ptr_array_index (original_blocks, i));
  for (j = 0; j < n_t; j++)
    unit_from_translation (&trans[j], &g_array_index (translation_spans, DeskSpan, j),
                           translation, text_len);

  /* log_o2[i]: blocks i-2 and i-1 of the original together; log_t2[j]:
   * translation blocks j-2 and j-1. */
  log_o2 = g_new0 (double, n_o + 1);
  log_t2 = g_new0 (double, n_t + 1);
  for (i = 0; i < n_o; i++)
    orig[i].lg = smoothed_log (orig[i].len);
  for (j = 0; j < n_t; j++)
    trans[j].lg = smoothed_log (trans[j].len);
  for (i = 2; i <= n_o; i++)
    log_o2[i] = smoothed_log (orig[i - 2].len + orig[i - 1].len);
  for (j = 2; j <= n_t; j++)
    log_t2[j] = smoothed_log (trans[j - 2].len + trans[j - 1].len);

  w = n_t + 1;
  cost = g_new (double, (gsize) (n_o + 1) * w);
  step = g_new0 (guint8, (gsize) (n_o + 1) * w);

  /* Long entries: only a band around the diagonal, wide enough for every
   * block one side has more plus BAND_SLACK; a path outside it would pay
   * that many omission or insertion costs anyway. */
  if ((gsize) (n_o + 1) * (n_t + 1) > BAND_MIN_CELLS)
    band = (ABS ((int) n_o - (int) n_t)) + BAND_SLACK;
  else
    band = G_MAXINT / 4;

  /* Anchor similarity of translation block j-1 and original block i-1,
   * computed once per cell: each cell's steps ask for it several times. */
  sim = g_new0 (float, (gsize) (n_o + 1) * w);
#define SIM(ii, jj) (sim[(ii) * w + (jj)] != 0 ? sim[(ii) * w + (jj)] - 1.0f \
                                                : (sim[(ii) * w + (jj)] = 1.0f + (float) anchor_similarity (&trans[(jj) - 1], &orig[(ii) - 1])) - 1.0f)

  center = g_new (int, n_o + 1);
  for (i = 0; i <= n_o; i++)
    center[i] = (int) ((double) i * n_t / MAX (n_o, 1));
#define IN_BAND(ii, jj) (ABS ((int) (jj) - center[ii]) <= band)
#define COST(ii, jj)    (IN_BAND (ii, jj) ? cost[(ii) * w + (jj)] : INFINITY)

  for (i = 0; i <= n_o; i++)
    for (j = 0; j <= n_t; j++)
      {
        double best = INFINITY, c;
        guint8 how = STEP_NONE;

        if (i == 0 && j == 0)
          {
            cost[0] = 0;
            continue;
          }
        if (!IN_BAND (i, j))
          {
            /* Skip to the band's start in this row, and leave the row
             * after its end. */
            int lo = center[i] - band;

            if ((int) j < lo)
              {
                j = lo - 1;
                continue;
              }
            break;
          }

        if (i > 0 && j > 0)
          {
            c = COST (i - 1, j - 1) + match_cost (&trans[j - 1], trans[j - 1].lg, &orig[i - 1], NULL, orig[i - 1].lg, SIM (i, j), 0);
            if (c < best)
              best = c, how = STEP_11;
          }
        if (i > 0)
          {
            c = COST (i - 1, j) + (orig[i - 1].chrome ? OMIT_CHROME : OMIT_COST);
            if (c < best)
              best = c, how = STEP_10;
          }
        if (j > 0)
          {
            c = COST (i, j - 1) + INSERT_COST;
            if (c < best)
              best = c, how = STEP_01;
          }
        /* Headings are never merged with anything. */
        if (i > 1 && j > 0 &&
            orig[i - 1].kind != DESK_BLOCK_HEADING && orig[i - 2].kind != DESK_BLOCK_HEADING &&
            trans[j - 1].kind != DESK_BLOCK_HEADING)
          {
            c = COST (i - 2, j - 1) + MERGE_COST +
                match_cost (&trans[j - 1], trans[j - 1].lg, &orig[i - 2], &orig[i - 1], log_o2[i], SIM (i - 1, j), SIM (i, j));
            if (c < best)
              best = c, how = STEP_12;
          }
        if (i > 0 && j > 1 &&
            orig[i - 1].kind != DESK_BLOCK_HEADING &&
            trans[j - 1].kind != DESK_BLOCK_HEADING && trans[j - 2].kind != DESK_BLOCK_HEADING)
          {
            c = COST (i - 1, j - 2) + split_cost (&trans[j - 2], &trans[j - 1], &orig[i - 1], log_t2[j], SIM (i, j - 1), SIM (i, j));
            if (c < best)
              best = c, how = STEP_21;
          }

        cost[i * w + j] = best;
        step[i * w + j] = how;
      }

  /* Walk back, collecting pairs in reverse. */
  rev = g_array_new (FALSE, FALSE, sizeof (DeskAlignPair));
  for (i = n_o, j = n_t; i > 0 || j > 0;)
    {
      guint8 how = step[i * w + j];
      double c;

      switch (how)
        {
        case STEP_11:
          c = match_cost (&trans[j - 1], trans[j - 1].lg, &orig[i - 1], NULL, orig[i - 1].lg, SIM (i, j), 0);
          push_pair (rev, j - 1, i - 1, 1, score_of (c));
          i--, j--;
          break;
        case STEP_10:
          if (!orig[i - 1].chrome)
            push_pair (rev, -1, i - 1, 1, 0.0);
          i--;
          break;
        case STEP_01:
          push_pair (rev, j - 1, -1, 0, 0.0);
          j--;
          break;
        case STEP_12:
          c = match_cost (&trans[j - 1], trans[j - 1].lg, &orig[i - 2], &orig[i - 1], log_o2[i], SIM (i - 1, j), SIM (i, j)) + MERGE_COST;
          push_pair (rev, j - 1, i - 2, 2, score_of (c));
          i -= 2, j--;
          break;
        case STEP_21:
          c = split_cost (&trans[j - 2], &trans[j - 1], &orig[i - 1], log_t2[j], SIM (i, j - 1), SIM (i, j));
          push_pair (rev, j - 1, i - 1, 1, score_of (c));
          push_pair (rev, j - 2, i - 1, 1, score_of (c));
          i--, j -= 2;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  pairs = g_array_sized_new (FALSE, FALSE, sizeof (DeskAlignPair), rev->len);
  for (guint k = rev->len; k > 0; k--)
    g_array_append_val (pairs, g_array_index (rev, DeskAlignPair, k - 1));

  for (i = 0; i < n_o; i++)
    g_array_free (orig[i].anchors, TRUE);
  for (j = 0; j < n_t; j++)
    g_array_free (trans[j].anchors, TRUE);

  return pairs;
}

int
desk_align_original_for (GArray *pairs,
                         int     translation_index)
{
  g_return_val_if_fail (pairs != NULL, -1);

  for (guint k = 0; k < pairs->len; k++)
    {
      const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);

      if (p->translation_index == translation_index)
        return p->original_index;
    }
  return -1;
}

int
desk_align_translation_for (GArray *pairs,
                            int     original_index)
{
  g_return_val_if_fail (pairs != NULL, -1);

  for (guint k = 0; k < pairs->len; k++)
    {
      const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);

      if (p->translation_index >= 0 && p->original_index >= 0 &&
          original_index >= p->original_index &&
          original_index < p->original_index + p->original_count)
        return p->translation_index;
    }
  return -1;
}
