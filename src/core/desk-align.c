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
#define BAND_SLACK      12

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

/* ---- the aligner ------------------------------------------------------------- */

struct _DeskAligner
{
  guint       n_o;
  Unit       *orig;
  double     *log_o2;      /* [i]: blocks i-2 and i-1 together */

  /* Translation units by block (kind and text), kept between runs. */
  GHashTable *units;       /* guint64* key → Unit* */

  /* The last run: its blocks and its table, valid for columns below
   * valid_cols (column j depends on translation blocks before j only). */
  guint       n_t;
  Unit      **trans;
  guint64    *keys;
  double     *log_t2;
  double     *cost;        /* column-major: cost[j * h + i], h = n_o + 1 */
  guint8     *step;
  float      *sim;         /* 1 + similarity, 0 when not computed */
  int        *center;      /* [i]: the diagonal's column in row i */
  int        *row_lo;      /* [j]: the band's rows in column j */
  int        *row_hi;
  int         band;
  guint       valid_cols;
  guint       n_computed;  /* columns computed by the last run */
};

static void
unit_free (gpointer data)
{
  Unit *u = data;

  if (u->anchors != NULL)
    g_array_free (u->anchors, TRUE);
  g_free (u);
}

static guint
key_hash (gconstpointer key)
{
  guint64 k = *(const guint64 *) key;

  return (guint) (k ^ (k >> 32));
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  return *(const guint64 *) a == *(const guint64 *) b;
}

/* A 64-bit hash of a block's kind and text: equal keys are taken for equal
 * blocks. */
static guint64
block_key (const char    *text,
           gsize          len,
           DeskBlockKind  kind)
{
  guint64 h = 0xCBF29CE484222325ull ^ ((guint64) kind << 56) ^ len;

  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar) text[i]) * 0x100000001B3ull;
  return h;
}

DeskAligner *
desk_aligner_new (GPtrArray *original_blocks)
{
  DeskAligner *self;

  g_return_val_if_fail (original_blocks != NULL, NULL);

  self = g_new0 (DeskAligner, 1);
  self->n_o = original_blocks->len;
  self->orig = g_new0 (Unit, self->n_o + 1);
  self->log_o2 = g_new0 (double, self->n_o + 1);
  for (guint i = 0; i < self->n_o; i++)
    {
      unit_from_original (&self->orig[i], g_ptr_array_index (original_blocks, i));
      self->orig[i].lg = smoothed_log (self->orig[i].len);
    }
  for (guint i = 2; i <= self->n_o; i++)
    self->log_o2[i] = smoothed_log (self->orig[i - 2].len + self->orig[i - 1].len);
  self->units = g_hash_table_new_full (key_hash, key_equal, g_free, unit_free);
  return self;
}

static void
clear_table (DeskAligner *self)
{
  g_clear_pointer (&self->trans, g_free);
  g_clear_pointer (&self->keys, g_free);
  g_clear_pointer (&self->log_t2, g_free);
  g_clear_pointer (&self->cost, g_free);
  g_clear_pointer (&self->step, g_free);
  g_clear_pointer (&self->sim, g_free);
  g_clear_pointer (&self->center, g_free);
  g_clear_pointer (&self->row_lo, g_free);
  g_clear_pointer (&self->row_hi, g_free);
  self->n_t = 0;
  self->valid_cols = 0;
}

void
desk_aligner_free (DeskAligner *self)
{
  if (self == NULL)
    return;
  clear_table (self);
  for (guint i = 0; i < self->n_o; i++)
    g_array_free (self->orig[i].anchors, TRUE);
  g_free (self->orig);
  g_free (self->log_o2);
  g_hash_table_unref (self->units);
  g_free (self);
}

guint
desk_aligner_get_last_columns (DeskAligner *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_computed;
}

/* (Re)allocates the table for @n_t translation blocks. */
static void
prepare_table (DeskAligner *self,
               guint        n_t)
{
  guint n_o = self->n_o, h = n_o + 1;

  clear_table (self);
  self->n_t = n_t;
  self->trans = g_new0 (Unit *, n_t + 1);
  self->keys = g_new0 (guint64, n_t + 1);
  self->log_t2 = g_new0 (double, n_t + 1);
  self->cost = g_new (double, (gsize) h * (n_t + 1));
  self->step = g_new0 (guint8, (gsize) h * (n_t + 1));
  self->sim = g_new0 (float, (gsize) h * (n_t + 1));
  self->center = g_new (int, h);
  self->row_lo = g_new (int, n_t + 1);
  self->row_hi = g_new (int, n_t + 1);

  /* Long entries: only a band around the diagonal, wide enough for every
   * block one side has more plus BAND_SLACK; a path outside it would pay
   * that many omission or insertion costs anyway. */
  if ((gsize) h * (n_t + 1) > BAND_MIN_CELLS)
    self->band = ABS ((int) n_o - (int) n_t) + BAND_SLACK;
  else
    self->band = G_MAXINT / 4;
  for (guint i = 0; i <= n_o; i++)
    self->center[i] = (int) ((double) i * n_t / MAX (n_o, 1));
  /* The rows of each column inside the band: contiguous, and moving down
   * as the column moves right. */
  {
    int lo = 0;

    for (guint j = 0; j <= n_t; j++)
      {
        int hi;

        while (lo <= (int) n_o && self->center[lo] < (int) j - self->band)
          lo++;
        hi = lo;
        while (hi <= (int) n_o && self->center[hi] <= (int) j + self->band)
          hi++;
        self->row_lo[j] = lo;
        self->row_hi[j] = hi - 1;  /* may be below lo: no row */
      }
  }
}

GArray *
desk_aligner_align (DeskAligner *self,
                    GArray      *translation_spans,
                    const char  *translation)
{
  guint n_o, n_t, h, i, j, first_changed;
  gsize text_len;
  g_autoptr(GArray) rev = NULL;
  GArray *pairs;
  Unit **trans;
  Unit *orig;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (translation_spans != NULL, NULL);
  g_return_val_if_fail (translation != NULL, NULL);

  n_o = self->n_o;
  n_t = translation_spans->len;
  h = n_o + 1;
  self->n_computed = 0;
  if ((gsize) h * (n_t + 1) > MAX_CELLS)
    {
      clear_table (self);
      return align_by_proportion (n_o, n_t);
    }
  if (n_t != self->n_t || self->cost == NULL)
    prepare_table (self, n_t);

  /* The translation's units, from the cache when the block is known. */
  text_len = strlen (translation);
  first_changed = n_t;
  for (j = 0; j < n_t; j++)
    {
      const DeskSpan *span = &g_array_index (translation_spans, DeskSpan, j);
      gsize start = MIN (span->start, text_len);
      gsize end = CLAMP (span->end, start, text_len);
      guint64 key = block_key (translation + start, end - start, span->kind);
      Unit *unit = g_hash_table_lookup (self->units, &key);

      if (unit == NULL)
        {
          unit = g_new0 (Unit, 1);
          unit_from_translation (unit, span, translation, text_len);
          unit->lg = smoothed_log (unit->len);
          g_hash_table_insert (self->units, g_memdup2 (&key, sizeof key), unit);
        }
      if (self->keys[j] != key || self->trans[j] != unit)
        {
          first_changed = MIN (first_changed, j);
          self->keys[j] = key;
          self->trans[j] = unit;
        }
    }
  /* Column c depends on translation blocks before c. */
  self->valid_cols = MIN (self->valid_cols, first_changed + 1);
  trans = self->trans;
  orig = self->orig;
  for (j = MAX (self->valid_cols, 2); j <= n_t; j++)
    self->log_t2[j] = smoothed_log (trans[j - 2]->len + trans[j - 1]->len);

#define IN_BAND(ii, jj) ((int) (ii) >= self->row_lo[jj] && (int) (ii) <= self->row_hi[jj])
#define COST(ii, jj)    (IN_BAND (ii, jj) ? self->cost[(jj) * h + (ii)] : INFINITY)
  /* Anchor similarity of translation block j-1 and original block i-1,
   * computed once per cell: each cell's steps ask for it several times. */
#define SIM(ii, jj) (self->sim[(jj) * h + (ii)] != 0 ? self->sim[(jj) * h + (ii)] - 1.0f \
                     : (self->sim[(jj) * h + (ii)] = 1.0f + (float) anchor_similarity (trans[(jj) - 1], &orig[(ii) - 1])) - 1.0f)

  for (j = self->valid_cols; j <= n_t; j++)
    {
      int lo = self->row_lo[j], hi = self->row_hi[j];

      self->n_computed++;
      /* This column's similarities are stale, also just outside the band,
       * where the merge and split steps of this and the next column look. */
      {
        int clear_lo = MAX (0, MIN (lo, hi) - 2);
        int clear_hi = MIN ((int) n_o, MAX (hi, j < n_t ? self->row_hi[j + 1] : hi) + 1);

        if (clear_hi >= clear_lo)
          memset (self->sim + (gsize) j * h + clear_lo, 0, sizeof (float) * (clear_hi - clear_lo + 1));
      }
      for (int ii = lo; ii <= hi; ii++)
        {
          double best = INFINITY, c;
          guint8 how = STEP_NONE;

          i = ii;
          if (i == 0 && j == 0)
            {
              self->cost[0] = 0;
              self->step[0] = STEP_NONE;
              continue;
            }
          if (i > 0 && j > 0)
            {
              c = COST (i - 1, j - 1) + match_cost (trans[j - 1], trans[j - 1]->lg, &orig[i - 1], NULL, orig[i - 1].lg, SIM (i, j), 0);
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
              trans[j - 1]->kind != DESK_BLOCK_HEADING)
            {
              c = COST (i - 2, j - 1) + MERGE_COST +
                  match_cost (trans[j - 1], trans[j - 1]->lg, &orig[i - 2], &orig[i - 1], self->log_o2[i], SIM (i - 1, j), SIM (i, j));
              if (c < best)
                best = c, how = STEP_12;
            }
          if (i > 0 && j > 1 &&
              orig[i - 1].kind != DESK_BLOCK_HEADING &&
              trans[j - 1]->kind != DESK_BLOCK_HEADING && trans[j - 2]->kind != DESK_BLOCK_HEADING)
            {
              c = COST (i - 1, j - 2) + split_cost (trans[j - 2], trans[j - 1], &orig[i - 1], self->log_t2[j], SIM (i, j - 1), SIM (i, j));
              if (c < best)
                best = c, how = STEP_21;
            }

          self->cost[j * h + i] = best;
          self->step[j * h + i] = how;
        }
    }
  self->valid_cols = n_t + 1;

  /* Walk back, collecting pairs in reverse. */
  rev = g_array_new (FALSE, FALSE, sizeof (DeskAlignPair));
  for (i = n_o, j = n_t; i > 0 || j > 0;)
    {
      guint8 how = IN_BAND (i, j) ? self->step[j * h + i] : STEP_NONE;
      double c;

      switch (how)
        {
        case STEP_11:
          c = match_cost (trans[j - 1], trans[j - 1]->lg, &orig[i - 1], NULL, orig[i - 1].lg, SIM (i, j), 0);
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
          c = match_cost (trans[j - 1], trans[j - 1]->lg, &orig[i - 2], &orig[i - 1], self->log_o2[i], SIM (i - 1, j), SIM (i, j)) + MERGE_COST;
          push_pair (rev, j - 1, i - 2, 2, score_of (c));
          i -= 2, j--;
          break;
        case STEP_21:
          c = split_cost (trans[j - 2], trans[j - 1], &orig[i - 1], self->log_t2[j], SIM (i, j - 1), SIM (i, j));
          push_pair (rev, j - 1, i - 1, 1, score_of (c));
          push_pair (rev, j - 2, i - 1, 1, score_of (c));
          i--, j -= 2;
          break;
        default:
          /* Outside the band (cannot happen: the corner is on the
           * diagonal and every band cell has a way in). */
          g_assert_not_reached ();
        }
    }
#undef SIM
#undef COST
#undef IN_BAND

  pairs = g_array_sized_new (FALSE, FALSE, sizeof (DeskAlignPair), rev->len);
  for (guint k = rev->len; k > 0; k--)
    g_array_append_val (pairs, g_array_index (rev, DeskAlignPair, k - 1));

  /* Units of blocks no longer in the text leave the cache now and then. */
  if (g_hash_table_size (self->units) > 2 * n_t + 256)
    {
      GHashTableIter iter;
      gpointer key, value;
      g_autoptr(GHashTable) live = g_hash_table_new (NULL, NULL);

      for (j = 0; j < n_t; j++)
        g_hash_table_add (live, trans[j]);
      g_hash_table_iter_init (&iter, self->units);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (live, value))
          g_hash_table_iter_remove (&iter);
    }
  return pairs;
}

GArray *
desk_align (GPtrArray  *original_blocks,
            GArray     *translation_spans,
            const char *translation)
{
  DeskAligner *aligner;
  GArray *pairs;

  g_return_val_if_fail (original_blocks != NULL, NULL);
  g_return_val_if_fail (translation_spans != NULL, NULL);
  g_return_val_if_fail (translation != NULL, NULL);

  aligner = desk_aligner_new (original_blocks);
  pairs = desk_aligner_align (aligner, translation_spans, translation);
  desk_aligner_free (aligner);
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
