/* desk-diff.c: character and word differences between two texts, and post-edit effort
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "desk-diff.h"

typedef struct {
  gsize start;  /* code points */
  gsize len;
} Token;

typedef struct {
  GArray *tokens;  /* Token */
  GArray *ids;     /* int: equal tokens have equal ids */
  gsize   n_chars;
} Seq;

/* After this many rounds of the search without meeting, a split point that
 * is merely good is taken; keeps the worst case near O((N+M)·cost). */
#define MIN_MAX_COST 256

static gboolean
is_cjk (gunichar c)
{
  GUnicodeScript script;

  if ((c >= 0x3000 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
      (c >= 0xFF66 && c <= 0xFF9F))
    return TRUE;

  script = g_unichar_get_script (c);
  return script == G_UNICODE_SCRIPT_HAN ||
         script == G_UNICODE_SCRIPT_HIRAGANA ||
         script == G_UNICODE_SCRIPT_KATAKANA ||
         script == G_UNICODE_SCRIPT_HANGUL ||
         script == G_UNICODE_SCRIPT_BOPOMOFO ||
         script == G_UNICODE_SCRIPT_YI;
}

typedef enum {
  CLASS_WORD,
  CLASS_SPACE,
  CLASS_SINGLE,
} CharClass;

static CharClass
char_class (gunichar            c,
            DeskDiffGranularity granularity)
{
  if (granularity == DESK_DIFF_CHAR)
    return CLASS_SINGLE;
  if (g_unichar_isspace (c))
    return CLASS_SPACE;
  if (g_unichar_isalnum (c) || g_unichar_ismark (c))
    {
      if (granularity == DESK_DIFF_AUTO && is_cjk (c))
        return CLASS_SINGLE;
      return CLASS_WORD;
    }
  return CLASS_SINGLE;
}

static gunichar *
decode (const char *s,
        gsize      *n_out)
{
  g_autofree char *valid = g_utf8_make_valid (s, -1);
  glong n = 0;
  gunichar *chars = g_utf8_to_ucs4_fast (valid, -1, &n);

  *n_out = n;
  return chars;
}

static void
seq_init (Seq                *seq,
          const gunichar     *chars,
          gsize               n,
          DeskDiffGranularity granularity,
          GHashTable         *intern)
{
  seq->tokens = g_array_sized_new (FALSE, FALSE, sizeof (Token), n);
  seq->ids = g_array_sized_new (FALSE, FALSE, sizeof (int), n);
  seq->n_chars = n;

  for (gsize i = 0; i < n;)
    {
      CharClass klass = char_class (chars[i], granularity);
      Token t = { i, 1 };
      int id;

      if (klass != CLASS_SINGLE)
        while (t.start + t.len < n && char_class (chars[t.start + t.len], granularity) == klass)
          t.len++;

      if (t.len == 1)
        id = (int) chars[i];  /* code points are below 0x110000 */
      else
        {
          g_autofree char *key = g_ucs4_to_utf8 (chars + i, t.len, NULL, NULL, NULL);
          gpointer value;

          if (key == NULL)
            key = g_strdup ("");
          if (g_hash_table_lookup_extended (intern, key, NULL, &value))
            id = GPOINTER_TO_INT (value);
          else
            {
              id = 0x110000 + (int) g_hash_table_size (intern);
              g_hash_table_insert (intern, g_steal_pointer (&key), GINT_TO_POINTER (id));
            }
        }

      g_array_append_val (seq->tokens, t);
      g_array_append_val (seq->ids, id);
      i += t.len;
    }
}

static void
seq_clear (Seq *seq)
{
  g_array_free (seq->tokens, TRUE);
  g_array_free (seq->ids, TRUE);
}

typedef struct {
  const int *a;
  const int *b;
  guint8    *changed_a;
  guint8    *changed_b;
  gssize    *kvdf;  /* indexed by diagonal, may be negative */
  gssize    *kvdb;
  gssize     max_cost;
} Ctx;

typedef struct {
  gssize   i1;
  gssize   i2;
  gboolean min_lo;
  gboolean min_hi;
} Split;

/* Finds where the forward and backward searches of Myers' algorithm meet
 * on the box [off1, lim1) × [off2, lim2), or, after max_cost rounds, the
 * furthest-reaching point of either (the GNU diff / xdiff heuristic). */
static void
split_box (Ctx    *c,
           gssize  off1,
           gssize  lim1,
           gssize  off2,
           gssize  lim2,
           gboolean need_min,
           Split  *spl)
{
  gssize *kvdf = c->kvdf;
  gssize *kvdb = c->kvdb;
  gssize dmin = off1 - lim2, dmax = lim1 - off2;
  gssize fmid = off1 - off2, bmid = lim1 - lim2;
  gboolean odd = ((fmid - bmid) & 1) != 0;
  gssize fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;

  kvdf[fmid] = off1;
  kvdb[bmid] = lim1;

  for (gssize ec = 1;; ec++)
    {
      gssize d, i1, i2;

      if (fmin > dmin)
        kvdf[--fmin - 1] = -1;
      else
        ++fmin;
      if (fmax < dmax)
        kvdf[++fmax + 1] = -1;
      else
        --fmax;

      for (d = fmax; d >= fmin; d -= 2)
        {
          if (kvdf[d - 1] >= kvdf[d + 1])
            i1 = kvdf[d - 1] + 1;
          else
            i1 = kvdf[d + 1];
          i2 = i1 - d;
          while (i1 < lim1 && i2 < lim2 && c->a[i1] == c->b[i2])
            i1++, i2++;
          kvdf[d] = i1;
          if (odd && bmin <= d && d <= bmax && kvdb[d] <= i1)
            {
              spl->i1 = i1;
              spl->i2 = i2;
              spl->min_lo = spl->min_hi = TRUE;
              return;
            }
        }

      if (bmin > dmin)
        kvdb[--bmin - 1] = G_MAXSSIZE;
      else
        ++bmin;
      if (bmax < dmax)
        kvdb[++bmax + 1] = G_MAXSSIZE;
      else
        --bmax;

      for (d = bmax; d >= bmin; d -= 2)
        {
          if (kvdb[d - 1] < kvdb[d + 1])
            i1 = kvdb[d - 1];
          else
            i1 = kvdb[d + 1] - 1;
          i2 = i1 - d;
          while (i1 > off1 && i2 > off2 && c->a[i1 - 1] == c->b[i2 - 1])
            i1--, i2--;
          kvdb[d] = i1;
          if (!odd && fmin <= d && d <= fmax && i1 <= kvdf[d])
            {
              spl->i1 = i1;
              spl->i2 = i2;
              spl->min_lo = spl->min_hi = TRUE;
              return;
            }
        }

      if (need_min || ec < c->max_cost)
        continue;

      {
        gssize fbest = -1, fbest1 = -1, bbest = G_MAXSSIZE, bbest1 = G_MAXSSIZE;

        for (d = fmax; d >= fmin; d -= 2)
          {
            i1 = MIN (kvdf[d], lim1);
            i2 = i1 - d;
            if (lim2 < i2)
              i1 = lim2 + d, i2 = lim2;
            if (fbest < i1 + i2)
              fbest = i1 + i2, fbest1 = i1;
          }
        for (d = bmax; d >= bmin; d -= 2)
          {
            i1 = MAX (off1, kvdb[d]);
            i2 = i1 - d;
            if (i2 < off2)
              i1 = off2 + d, i2 = off2;
            if (i1 + i2 < bbest)
              bbest = i1 + i2, bbest1 = i1;
          }
        if ((lim1 + lim2) - bbest < fbest - (off1 + off2))
          {
            spl->i1 = fbest1;
            spl->i2 = fbest - fbest1;
            spl->min_lo = TRUE;
            spl->min_hi = FALSE;
          }
        else
          {
            spl->i1 = bbest1;
            spl->i2 = bbest - bbest1;
            spl->min_lo = FALSE;
            spl->min_hi = TRUE;
          }
        return;
      }
    }
}

static void
compare_box (Ctx      *c,
             gssize    off1,
             gssize    lim1,
             gssize    off2,
             gssize    lim2,
             gboolean  need_min)
{
  Split spl;

  while (off1 < lim1 && off2 < lim2 && c->a[off1] == c->b[off2])
    off1++, off2++;
  while (off1 < lim1 && off2 < lim2 && c->a[lim1 - 1] == c->b[lim2 - 1])
    lim1--, lim2--;

  if (off1 == lim1)
    {
      for (gssize i = off2; i < lim2; i++)
        c->changed_b[i] = 1;
      return;
    }
  if (off2 == lim2)
    {
      for (gssize i = off1; i < lim1; i++)
        c->changed_a[i] = 1;
      return;
    }

  split_box (c, off1, lim1, off2, lim2, need_min, &spl);
  g_assert (spl.i1 >= off1 && spl.i1 <= lim1 && spl.i2 >= off2 && spl.i2 <= lim2);
  compare_box (c, off1, spl.i1, off2, spl.i2, spl.min_lo);
  compare_box (c, spl.i1, lim1, spl.i2, lim2, spl.min_hi);
}

static void
push_op (GArray       *ops,
         DeskDiffKind  kind,
         gsize         a_start,
         gsize         a_end,
         gsize         b_start,
         gsize         b_end)
{
  DeskDiffOp op = { kind, a_start, a_end, b_start, b_end };

  if (a_start == a_end && b_start == b_end)
    return;
  if (ops->len > 0)
    {
      DeskDiffOp *last = &g_array_index (ops, DeskDiffOp, ops->len - 1);

      if (last->kind == kind)
        {
          last->a_end = a_end;
          last->b_end = b_end;
          return;
        }
    }
  g_array_append_val (ops, op);
}

/* Runs the token diff; @ops (if not NULL) receives the script in code
 * points, @cost the edit distance with substitutions. */
static void
diff_tokens (const char           *a,
             const char           *b,
             DeskDiffGranularity   granularity,
             GArray               *ops,
             gsize                *cost,
             gsize                *max_tokens)
{
  g_autofree gunichar *ca = NULL;
  g_autofree gunichar *cb = NULL;
  g_autoptr(GHashTable) intern = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree guint8 *changed_a = NULL;
  g_autofree guint8 *changed_b = NULL;
  g_autofree gssize *kv = NULL;
  gsize na, nb, ta, tb, i, j, total = 0;
  Seq sa, sb;
  Ctx c;

  ca = decode (a, &na);
  cb = decode (b, &nb);
  seq_init (&sa, ca, na, granularity, intern);
  seq_init (&sb, cb, nb, granularity, intern);
  ta = sa.tokens->len;
  tb = sb.tokens->len;

  changed_a = g_malloc0 (ta + 1);
  changed_b = g_malloc0 (tb + 1);
  kv = g_new (gssize, 2 * (ta + tb + 3));

  c.a = (const int *) sa.ids->data;
  c.b = (const int *) sb.ids->data;
  c.changed_a = changed_a;
  c.changed_b = changed_b;
  c.kvdf = kv + tb + 1;
  c.kvdb = kv + (ta + tb + 3) + tb + 1;
  c.max_cost = MAX (MIN_MAX_COST, (gssize) sqrt ((double) (ta + tb)));

  compare_box (&c, 0, ta, 0, tb, FALSE);

  for (i = 0, j = 0; i < ta || j < tb;)
    {
      gsize i0 = i, j0 = j;
      Token *tok;
      gsize a0, b0;

      a0 = i < ta ? g_array_index (sa.tokens, Token, i).start : na;
      b0 = j < tb ? g_array_index (sb.tokens, Token, j).start : nb;

      if (i < ta && j < tb && !changed_a[i] && !changed_b[j])
        {
          while (i < ta && j < tb && !changed_a[i] && !changed_b[j])
            i++, j++;
          if (ops != NULL)
            {
              tok = &g_array_index (sa.tokens, Token, i - 1);
              push_op (ops, DESK_DIFF_EQUAL, a0, tok->start + tok->len,
                       b0, g_array_index (sb.tokens, Token, j - 1).start +
                           g_array_index (sb.tokens, Token, j - 1).len);
            }
          continue;
        }

      while (i < ta && changed_a[i])
        i++;
      while (j < tb && changed_b[j])
        j++;
      g_assert (i > i0 || j > j0);
      total += MAX (i - i0, j - j0);

      if (ops != NULL)
        {
          gsize a1 = i < ta ? g_array_index (sa.tokens, Token, i).start : na;
          gsize b1 = j < tb ? g_array_index (sb.tokens, Token, j).start : nb;

          push_op (ops, DESK_DIFF_DELETE, a0, a1, b0, b0);
          push_op (ops, DESK_DIFF_INSERT, a1, a1, b0, b1);
        }
    }

  if (cost != NULL)
    *cost = total;
  if (max_tokens != NULL)
    *max_tokens = MAX (ta, tb);

  seq_clear (&sa);
  seq_clear (&sb);
}

GArray *
desk_diff (const char          *a,
           const char          *b,
           DeskDiffGranularity  granularity)
{
  GArray *ops;

  g_return_val_if_fail (a != NULL, NULL);
  g_return_val_if_fail (b != NULL, NULL);
  g_return_val_if_fail (granularity <= DESK_DIFF_AUTO, NULL);

  ops = g_array_new (FALSE, FALSE, sizeof (DeskDiffOp));
  diff_tokens (a, b, granularity, ops, NULL, NULL);
  return ops;
}

double
desk_edit_distance_ratio (const char *machine,
                          const char *edited)
{
  gsize cost = 0, max_tokens = 0;

  g_return_val_if_fail (machine != NULL, 0.0);
  g_return_val_if_fail (edited != NULL, 0.0);

  if (strcmp (machine, edited) == 0)
    return 0.0;

  diff_tokens (machine, edited, DESK_DIFF_AUTO, NULL, &cost, &max_tokens);
  if (max_tokens == 0)
    return 0.0;
  return MIN (1.0, (double) cost / (double) max_tokens);
}
