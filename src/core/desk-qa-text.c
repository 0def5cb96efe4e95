/* desk-qa-text.c: text machinery of the QA checks
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "desk-qa-text.h"

void
desk_qa_text_init (DeskQaText *t,
                   const char *s,
                   gsize       n_bytes)
{
  const char *p = s, *end = s + n_bytes;
  gsize i = 0;

  t->s = s;
  t->n_bytes = n_bytes;
  t->cp = g_new (gunichar, n_bytes + 1);
  t->byte_of = g_new (gsize, n_bytes + 1);
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      t->byte_of[i] = p - s;
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Callers validate; never loop on bad bytes all the same. */
          t->cp[i++] = 0xFFFD;
          p++;
          continue;
        }
      t->cp[i++] = c;
      p = g_utf8_next_char (p);
    }
  t->byte_of[i] = n_bytes;
  t->n = i;
}

void
desk_qa_text_clear (DeskQaText *t)
{
  g_clear_pointer (&t->cp, g_free);
  g_clear_pointer (&t->byte_of, g_free);
  t->n = 0;
}

gsize
desk_qa_text_cp_at (const DeskQaText *t,
                    gsize             b)
{
  gsize lo = 0, hi = t->n;

  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;

      if (t->byte_of[mid] < b)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

gboolean
desk_qa_is_hiragana (gunichar c)
{
  return c >= 0x3041 && c <= 0x309F;
}

gboolean
desk_qa_is_katakana (gunichar c)
{
  return (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC || (c >= 0x31F0 && c <= 0x31FF) ||
         (c >= 0xFF66 && c <= 0xFF9F);
}

gboolean
desk_qa_is_kanji (gunichar c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || c == 0x3005 ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

gboolean
desk_qa_is_japanese (gunichar c)
{
  return desk_qa_is_hiragana (c) || desk_qa_is_katakana (c) || desk_qa_is_kanji (c) ||
         (c >= 0x3001 && c <= 0x303F) || c == 0x30FB || c == 0xFF08 || c == 0xFF09 ||
         c == 0xFF01 || c == 0xFF1F;
}

gboolean
desk_qa_is_latin (gunichar c)
{
  return c < 0x80 && g_ascii_isalpha (c);
}

gboolean
desk_qa_is_fw_alnum (gunichar c)
{
  return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
}

gboolean
desk_qa_number_equal (double a,
                      double b)
{
  double m = MAX (fabs (a), fabs (b));

  return fabs (a - b) <= m * 1e-9 + 1e-12;
}

static int
digit_of (gunichar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 0xFF10 && c <= 0xFF19)
    return c - 0xFF10;
  return -1;
}

static gboolean
is_word_char (gunichar c)
{
  return desk_qa_is_latin (c) || digit_of (c) >= 0;
}

/* Reads digits with thousands separators and a decimal part at @i; returns
 * the index after it, or @i when there is no number. */
static gsize
read_decimal (const DeskQaText *t,
              gsize             i,
              double           *value)
{
  GString *buf = g_string_new (NULL);
  gsize j = i;
  gboolean dot = FALSE;

  while (j < t->n)
    {
      gunichar c = t->cp[j];
      int d = digit_of (c);

      if (d >= 0)
        {
          g_string_append_c (buf, '0' + d);
          j++;
        }
      else if ((c == ',' || c == 0xFF0C) && buf->len > 0 && !dot && j + 3 < t->n &&
               digit_of (t->cp[j + 1]) >= 0 && digit_of (t->cp[j + 2]) >= 0 &&
               digit_of (t->cp[j + 3]) >= 0 && (j + 4 >= t->n || digit_of (t->cp[j + 4]) < 0))
        j++;
      else if ((c == '.' || c == 0xFF0E) && !dot && buf->len > 0 && j + 1 < t->n &&
               digit_of (t->cp[j + 1]) >= 0)
        {
          g_string_append_c (buf, '.');
          dot = TRUE;
          j++;
        }
      else
        break;
    }
  if (buf->len == 0)
    {
      g_string_free (buf, TRUE);
      return i;
    }
  *value = g_ascii_strtod (buf->str, NULL);
  g_string_free (buf, TRUE);
  return j;
}

static gboolean
word_at (const DeskQaText *t,
         gsize             i,
         const char       *word,
         gsize            *after)
{
  gsize k = 0, len = strlen (word);

  for (; k < len; k++)
    if (i + k >= t->n || g_ascii_tolower (t->cp[i + k] < 0x80 ? t->cp[i + k] : 0) != word[k])
      return FALSE;
  if (i + k < t->n && desk_qa_is_latin (t->cp[i + k]))
    return FALSE;
  *after = i + k;
  return TRUE;
}

static void
push_number (GArray  *out,
             double   value,
             gsize    start,
             gsize    end,
             gboolean weak)
{
  DeskQaNumber n = { value, start, end, weak, 0, FALSE };

  g_array_append_val (out, n);
}

static const struct { const char *word; double value; } en_words[] = {
  { "one", 1 }, { "two", 2 }, { "three", 3 }, { "four", 4 }, { "five", 5 }, { "six", 6 },
  { "seven", 7 }, { "eight", 8 }, { "nine", 9 }, { "ten", 10 }, { "eleven", 11 },
  { "twelve", 12 }, { "thirteen", 13 }, { "fourteen", 14 }, { "fifteen", 15 },
  { "sixteen", 16 }, { "seventeen", 17 }, { "eighteen", 18 }, { "nineteen", 19 },
  { "twenty", 20 }, { "thirty", 30 }, { "forty", 40 }, { "fifty", 50 }, { "hundred", 100 },
  { "dozen", 12 }, { "single", 1 },
  /* Not counts (see DeskQaNumber.count): from here on. */
  { "half", 0.5 }, { "double", 2 }, { "twice", 2 }, { "triple", 3 },
  { "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 }, { "may", 5 },
  { "june", 6 }, { "july", 7 }, { "august", 8 }, { "september", 9 }, { "october", 10 },
  { "november", 11 }, { "december", 12 },
  { "first", 1 }, { "second", 2 }, { "third", 3 }, { "fourth", 4 }, { "fifth", 5 },
};

/* The cardinal words of en_words, up to "single". */
static gboolean
is_count_word (const char *word)
{
  for (guint k = 0; k < G_N_ELEMENTS (en_words); k++)
    {
      if (strcmp (en_words[k].word, word) == 0)
        return TRUE;
      if (strcmp (en_words[k].word, "single") == 0)
        break;
    }
  return FALSE;
}

static GHashTable *
number_words (void)
{
  static gsize once;
  static GHashTable *words;

  if (g_once_init_enter (&once))
    {
      words = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint k = 0; k < G_N_ELEMENTS (en_words); k++)
        g_hash_table_insert (words, (gpointer) en_words[k].word, (gpointer) &en_words[k].value);
      g_once_init_leave (&once, 1);
    }
  return words;
}

GArray *
desk_qa_numbers_en (const DeskQaText *t)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (DeskQaNumber));
  gsize i = 0;

  while (i < t->n)
    {
      gunichar c = t->cp[i];
      double v;
      gsize j, start = i, after;

      if (desk_qa_is_latin (c))
        {
          /* A whole word: a number word, or nothing. */
          char buf[16];
          gsize e = i, len = 0;
          gboolean starts_word = (i == 0 || !is_word_char (t->cp[i - 1]));

          while (e < t->n && desk_qa_is_latin (t->cp[e]))
            {
              if (len + 1 < sizeof buf)
                buf[len] = g_ascii_tolower ((char) t->cp[e]);
              len++;
              e++;
            }
          if (starts_word && len < sizeof buf && (e == t->n || !g_ascii_isdigit (t->cp[e] < 0x80 ? t->cp[e] : 0)))
            {
              gpointer value;

              buf[len] = '\0';
              if (g_hash_table_lookup_extended (number_words (), buf, NULL, &value))
                {
                  push_number (out, *(const double *) value, i, e, TRUE);
                  g_array_index (out, DeskQaNumber, out->len - 1).count = is_count_word (buf);
                }
            }
          i = e;
          continue;
        }
      if (digit_of (c) < 0)
        {
          i++;
          continue;
        }
      if (i > 0 && (t->cp[i - 1] == '$' || t->cp[i - 1] == 0x20AC || t->cp[i - 1] == 0xA3))
        start = i - 1;
      j = read_decimal (t, i, &v);
      if (j == i)
        {
          i++;
          continue;
        }
      /* Scale: "18 million", "34-billion", "5k", "1.2bn", "3.2x". */
      {
        gsize k = j;

        if (k < t->n && (t->cp[k] == ' ' || t->cp[k] == '-' || t->cp[k] == 0xA0))
          k++;
        if (word_at (t, k, "thousand", &after))
          v *= 1e3, j = after;
        else if (word_at (t, k, "million", &after))
          v *= 1e6, j = after;
        else if (word_at (t, k, "billion", &after))
          v *= 1e9, j = after;
        else if (word_at (t, k, "trillion", &after))
          v *= 1e12, j = after;
        else if (j < t->n && (t->cp[j] == 'k' || t->cp[j] == 'K' || t->cp[j] == 'M' || t->cp[j] == 'B' ||
                              t->cp[j] == 'T' || (t->cp[j] == 'm' && start < i)) &&
                 (j + 1 >= t->n || !desk_qa_is_latin (t->cp[j + 1])))
          {
            /* "128K", "7B", "$5M", "1.5T": a scale, or a name kept as
             * written ("Brightwing 9B" may stay "9B" in the translation). */
            gunichar u = t->cp[j];
            double raw = v;

            v *= (u == 'k' || u == 'K') ? 1e3 : (u == 'M' || u == 'm') ? 1e6 : u == 'B' ? 1e9 : 1e12;
            j++;
            if (j < t->n && (t->cp[j] == '%' || t->cp[j] == 'x' || t->cp[j] == 0xD7))
              j++;
            push_number (out, v, start, j, FALSE);
            g_array_index (out, DeskQaNumber, out->len - 1).alt = raw;
            i = j;
            continue;
          }
        else if (word_at (t, j, "bn", &after))
          v *= 1e9, j = after;
        else if (word_at (t, k, "percent", &after))
          j = after;
      }
      if (j < t->n && (t->cp[j] == '%' || t->cp[j] == 'x' || t->cp[j] == 0xD7))
        j++;
      push_number (out, v, start, j, FALSE);
      i = j;
    }
  return out;
}

static int
ja_scale (gunichar c,
          double  *scale)
{
  switch (c)
    {
    case 0x5343: *scale = 1e3; return 1;   /* 千 */
    case 0x4E07: *scale = 1e4; return 1;   /* 万 */
    case 0x5104: *scale = 1e8; return 1;   /* 億 */
    case 0x5146: *scale = 1e12; return 1;  /* 兆 */
    default: return 0;
    }
}

/* Units worth showing in a number's span: a run of these after it. */
static gboolean
is_unit_char (gunichar c)
{
  static const gunichar units[] = {
    0x500D /* 倍 */, '%', 0xFF05, 0x30C9 /* ド */, 0x30EB /* ル */, 0x5186 /* 円 */,
    0x65E5 /* 日 */, 0x9593 /* 間 */, 0x6642 /* 時 */, 0x5206 /* 分 */, 0x79D2 /* 秒 */,
    0x4EBA /* 人 */, 0x4EF6 /* 件 */, 0x500B /* 個 */, 0x5E74 /* 年 */, 0x6708 /* 月 */,
    0x9031 /* 週 */, 0x56DE /* 回 */, 0x793E /* 社 */, 0x53F0 /* 台 */, 0x679A /* 枚 */,
    0x70B9 /* 点 */, 0x30E6 /* ユ */, 0x30FC /* ー */, 0x30ED /* ロ */, 0x6B73 /* 歳 */,
    0x4E07, 0x5104, 0x5146,
  };

  for (guint k = 0; k < G_N_ELEMENTS (units); k++)
    if (units[k] == c)
      return TRUE;
  return FALSE;
}

GArray *
desk_qa_numbers_ja (const DeskQaText *t)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (DeskQaNumber));
  gsize i = 0;

  while (i < t->n)
    {
      double v, total = 0, scale;
      gsize j, start, end;

      if (digit_of (t->cp[i]) < 0 || (i > 0 && (digit_of (t->cp[i - 1]) >= 0)))
        {
          i++;
          continue;
        }
      start = i;
      j = read_decimal (t, i, &v);
      if (j == i)
        {
          i++;
          continue;
        }
      /* 1兆2000億, 12億5000万, 1800万 */
      for (;;)
        {
          if (j < t->n && ja_scale (t->cp[j], &scale))
            {
              total += v * scale;
              j++;
              if (j < t->n && digit_of (t->cp[j]) >= 0)
                {
                  double rest;
                  gsize k = read_decimal (t, j, &rest);
                  double next_scale;

                  if (k < t->n && ja_scale (t->cp[k], &next_scale) && next_scale < scale)
                    {
                      /* 1兆2000億: the next part has its own scale. */
                      v = rest;
                      j = k;
                      continue;
                    }
                  if (rest < scale)
                    {
                      /* 3万2000: the units after the scale. */
                      v = rest;
                      j = k;
                      break;
                    }
                }
              v = 0;
              break;
            }
          break;
        }
      total += v;
      end = j;
      /* か月, カ月, ヶ月 */
      if (end + 1 < t->n && (t->cp[end] == 0x304B || t->cp[end] == 0x30AB || t->cp[end] == 0x30F6 ||
                             t->cp[end] == 0x30B1) && t->cp[end + 1] == 0x6708)
        end += 2;
      else
        while (end < t->n && end < j + 3 && is_unit_char (t->cp[end]))
          end++;
      if (start > 0 && t->cp[start - 1] == 0x7D04) /* 約 */
        start--;
      push_number (out, total, start, end, FALSE);
      i = j;
    }
  return out;
}
