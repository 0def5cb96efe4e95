/* desk-qa.c: translation QA, the checks that find machine-translation defects
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it works. Every text field is split into paragraphs (the body as
 * Markdown blocks, the other fields as one paragraph each). The checks that
 * need only one paragraph (prompt leaks, placeholders, untranslated English,
 * boilerplate, register, punctuation, forbidden glossary renderings,
 * truncation) run on it and leave their findings, with what the entry-wide
 * checks need (sentences, katakana words, numbers), in a cache keyed by the
 * paragraph's text and role. The entry-wide checks (alignment with the
 * original, numbers, omissions, notation variants, repetition, structure,
 * scores) then run over those results. After a keystroke only the changed
 * paragraph misses the cache.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk-align.h"
#include "desk-entry-parts.h"
#include "desk-markdown.h"
#include "desk-qa.h"
#include "desk-qa-text.h"
#include "desk-sanitize.h"

/* ---- checks ------------------------------------------------------------------ */

typedef enum {
  CHECK_PROMPT_LEAK,
  CHECK_PLACEHOLDER,
  CHECK_UNTRANSLATED,
  CHECK_NUMBER_MISMATCH,
  CHECK_OMISSION,
  CHECK_TRUNCATED,
  CHECK_NOTATION_VARIANT,
  CHECK_GLOSSARY,
  CHECK_BOILERPLATE,
  CHECK_REGISTER,
  CHECK_PUNCTUATION,
  CHECK_REPEATED_TEXT,
  CHECK_SCORE_CONSISTENCY,
  CHECK_STRUCTURE,
  N_CHECKS
} CheckId;

static const char * const check_ids[N_CHECKS + 1] = {
  "prompt-leak", "placeholder", "untranslated", "number-mismatch", "omission",
  "truncated", "notation-variant", "glossary", "boilerplate", "register",
  "punctuation", "repeated-text", "score-consistency", "structure", NULL,
};

static const char * const check_titles[N_CHECKS] = {
  N_("Prompt leak"), N_("Placeholders"), N_("Untranslated text"),
  N_("Numbers differ from the original"), N_("Omissions"), N_("Truncated text"),
  N_("Notation variants"), N_("Glossary terms"), N_("Boilerplate"),
  N_("Register (desu/masu, de aru)"), N_("Punctuation"), N_("Repeated text"),
  N_("Score consistency"), N_("Structure"),
};

static const DeskQaSeverity check_severities[N_CHECKS] = {
  DESK_QA_SEVERITY_ERROR,   /* prompt-leak */
  DESK_QA_SEVERITY_ERROR,   /* placeholder */
  DESK_QA_SEVERITY_WARNING, /* untranslated */
  DESK_QA_SEVERITY_ERROR,   /* number-mismatch */
  DESK_QA_SEVERITY_ERROR,   /* omission */
  DESK_QA_SEVERITY_ERROR,   /* truncated */
  DESK_QA_SEVERITY_WARNING, /* notation-variant */
  DESK_QA_SEVERITY_ERROR,   /* glossary */
  DESK_QA_SEVERITY_WARNING, /* boilerplate */
  DESK_QA_SEVERITY_WARNING, /* register */
  DESK_QA_SEVERITY_WARNING, /* punctuation */
  DESK_QA_SEVERITY_WARNING, /* repeated-text */
  DESK_QA_SEVERITY_WARNING, /* score-consistency */
  DESK_QA_SEVERITY_ERROR,   /* structure */
};

const char * const *
desk_qa_check_ids (void)
{
  return check_ids;
}

static int
check_index (const char *id)
{
  if (id == NULL)
    return -1;
  for (int i = 0; i < N_CHECKS; i++)
    if (strcmp (check_ids[i], id) == 0)
      return i;
  return -1;
}

gboolean
desk_qa_check_id_is_valid (const char *id)
{
  return check_index (id) >= 0;
}

const char *
desk_qa_check_title (const char *id)
{
  int i = check_index (id);

  g_return_val_if_fail (i >= 0, NULL);
  return _(check_titles[i]);
}

DeskQaSeverity
desk_qa_check_severity (const char *id)
{
  int i = check_index (id);

  g_return_val_if_fail (i >= 0, DESK_QA_SEVERITY_INFO);
  return check_severities[i];
}

const char *
desk_qa_severity_to_string (DeskQaSeverity severity)
{
  switch (severity)
    {
    case DESK_QA_SEVERITY_ERROR: return "error";
    case DESK_QA_SEVERITY_WARNING: return "warning";
    case DESK_QA_SEVERITY_INFO: return "info";
    default: return "info";
    }
}

/* ---- findings ------------------------------------------------------------------ */

DeskQaFinding *
desk_qa_finding_copy (const DeskQaFinding *self)
{
  DeskQaFinding *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->field = g_strdup (self->field);
  copy->text = g_strdup (self->text);
  copy->message = g_strdup (self->message);
  copy->suggestion = g_strdup (self->suggestion);
  copy->original = g_strdup (self->original);
  return copy;
}

void
desk_qa_finding_free (DeskQaFinding *self)
{
  if (self == NULL)
    return;
  g_free (self->field);
  g_free (self->text);
  g_free (self->message);
  g_free (self->suggestion);
  g_free (self->original);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (DeskQaFinding, desk_qa_finding, desk_qa_finding_copy, desk_qa_finding_free)

guint
desk_qa_count (GPtrArray      *findings,
               DeskQaSeverity  severity)
{
  guint n = 0;

  g_return_val_if_fail (findings != NULL, 0);
  for (guint i = 0; i < findings->len; i++)
    if (((DeskQaFinding *) g_ptr_array_index (findings, i))->severity == severity)
      n++;
  return n;
}

/* ---- paragraphs and their cached results ---------------------------------------- */

typedef struct _PatternSet PatternSet;

static PatternSet *pattern_set_new  (void);
static void        pattern_set_free (PatternSet *set);
static guint       pattern_set_add  (PatternSet *set,
                                     const char *pattern);

/* What a paragraph is, which decides which checks apply. */
typedef enum {
  ROLE_TITLE,       /* title, key point heading, Markdown heading: no 。 expected */
  ROLE_PROSE,       /* a body paragraph */
  ROLE_SUMMARY,     /* TL;DR, key point body, impact analysis: whole sentences */
  ROLE_LIST,        /* a Markdown list */
  ROLE_QUOTE,       /* a Markdown block quote: someone's words */
  ROLE_CODE,        /* code and tables: not checked */
  ROLE_TAG,
} Role;

/* A finding inside one paragraph, offsets in the paragraph's code points. */
typedef struct {
  CheckId   check;
  DeskQaSeverity severity;
  gsize     start;
  gsize     end;
  char     *message;
  char     *suggestion;
} LocalFinding;

typedef struct {
  guint32 hash;
  gsize   start;
  gsize   end;
  gsize   byte_start;
  gsize   byte_end;
} Sentence;

typedef struct {
  char   *key;       /* the variant group */
  char   *surface;
  gsize   start;
  gsize   end;
} Word;

/* The cached result of one paragraph. */
typedef struct {
  char      *text;        /* the paragraph, NUL-terminated */
  gsize      len;
  guint      hash;        /* of role and text */
  Role       role;
  GArray    *local;       /* LocalFinding */
  GArray    *sentences;   /* Sentence */
  GArray    *words;       /* Word */
  GArray    *numbers;     /* DeskQaNumber */
  guint      n_placeholders;
  guint      generation;  /* last check that used it */
} ParaInfo;

static void
local_finding_clear (gpointer data)
{
  LocalFinding *f = data;

  g_free (f->message);
  g_free (f->suggestion);
}

static void
word_clear (gpointer data)
{
  Word *w = data;

  g_free (w->key);
  g_free (w->surface);
}

static void
para_info_free (ParaInfo *info)
{
  g_free (info->text);
  g_array_unref (info->local);
  g_array_unref (info->sentences);
  g_array_unref (info->words);
  g_array_unref (info->numbers);
  g_free (info);
}

/* The original, segmented once per entry. */
typedef struct {
  char      *html;
  GPtrArray *blocks;     /* DeskBlock */
  GPtrArray *numbers;    /* GArray of DeskQaNumber per block */
  GPtrArray *code;       /* char*, the text of each code block, in order */
  DeskAligner *aligner;  /* kept while the original stays */
} OriginalInfo;

static void
original_info_free (OriginalInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->html);
  g_ptr_array_unref (info->blocks);
  g_ptr_array_unref (info->numbers);
  g_ptr_array_unref (info->code);
  desk_aligner_free (info->aligner);
  g_free (info);
}

struct _DeskQa
{
  DeskSiteConfig *config;
  gboolean        house_style_set;
  DeskHouseStyle  house_style;
  DeskGlossary   *glossary;
  PatternSet     *forbidden;        /* every forbidden rendering */
  GPtrArray      *forbidden_terms;  /* its term, by pattern index */
  gboolean        enabled[N_CHECKS];
  DeskQaSeverity  severity[N_CHECKS];
  GHashTable     *ignored;      /* "check\x1ftext" */
  GHashTable     *paras;        /* key → ParaInfo */
  OriginalInfo   *original;
  guint           generation;
  guint           config_generation;
  guint           n_checked;
  guint           n_cached;
  GArray         *align_pairs;   /* the last alignment */
};

/* The cache's keys are the ParaInfo themselves: role, text and a hash
 * computed once, eight bytes at a time. */
static guint
hash_text (Role        role,
           const char *text,
           gsize       len)
{
  guint64 h = 0x9E3779B97F4A7C15ull ^ ((guint64) role << 32) ^ len;
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;

      memcpy (&w, text + i, 8);
      h = (h ^ w) * 0x100000001B3ull;
      h ^= h >> 29;
    }
  for (; i < len; i++)
    h = (h ^ (guchar) text[i]) * 0x100000001B3ull;
  h ^= h >> 32;
  return (guint) h;
}

static guint
para_key_hash (gconstpointer key)
{
  return ((const ParaInfo *) key)->hash;
}

static gboolean
para_key_equal (gconstpointer a,
                gconstpointer b)
{
  const ParaInfo *x = a, *y = b;

  return x->hash == y->hash && x->role == y->role && x->len == y->len && memcmp (x->text, y->text, x->len) == 0;
}

DeskQa *
desk_qa_new (void)
{
  DeskQa *self = g_new0 (DeskQa, 1);

  self->config = desk_site_config_new_default ();
  for (int i = 0; i < N_CHECKS; i++)
    {
      self->enabled[i] = TRUE;
      self->severity[i] = check_severities[i];
    }
  self->ignored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->paras = g_hash_table_new_full (para_key_hash, para_key_equal, NULL, (GDestroyNotify) para_info_free);
  return self;
}

void
desk_qa_free (DeskQa *self)
{
  if (self == NULL)
    return;
  desk_site_config_free (self->config);
  g_clear_pointer (&self->glossary, desk_glossary_free);
  g_clear_pointer (&self->forbidden, pattern_set_free);
  g_clear_pointer (&self->forbidden_terms, g_ptr_array_unref);
  g_hash_table_unref (self->ignored);
  g_hash_table_unref (self->paras);
  original_info_free (self->original);
  g_clear_pointer (&self->align_pairs, g_array_unref);
  g_free (self);
}

/* Cached results depend on the settings: drop them when those change. */
static void
invalidate (DeskQa *self)
{
  g_hash_table_remove_all (self->paras);
  self->config_generation++;
}

void
desk_qa_set_config (DeskQa               *self,
                    const DeskSiteConfig *config)
{
  g_return_if_fail (self != NULL);

  desk_site_config_free (self->config);
  self->config = config ? desk_site_config_copy (config) : desk_site_config_new_default ();
  invalidate (self);
}

void
desk_qa_set_house_style (DeskQa         *self,
                         DeskHouseStyle  style)
{
  g_return_if_fail (self != NULL);

  self->house_style_set = TRUE;
  self->house_style = style;
  invalidate (self);
}

void
desk_qa_unset_house_style (DeskQa *self)
{
  g_return_if_fail (self != NULL);

  self->house_style_set = FALSE;
  invalidate (self);
}

void
desk_qa_set_glossary (DeskQa             *self,
                      const DeskGlossary *glossary)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->glossary, desk_glossary_free);
  g_clear_pointer (&self->forbidden, pattern_set_free);
  g_clear_pointer (&self->forbidden_terms, g_ptr_array_unref);
  if (glossary != NULL)
    {
      self->glossary = desk_glossary_copy (glossary);
      self->forbidden = pattern_set_new ();
      self->forbidden_terms = g_ptr_array_new ();
      for (guint k = 0; k < self->glossary->terms->len; k++)
        {
          DeskGlossaryTerm *term = g_ptr_array_index (self->glossary->terms, k);

          for (guint f = 0; term->forbidden[f] != NULL; f++)
            if (*term->forbidden[f] != '\0')
              {
                pattern_set_add (self->forbidden, term->forbidden[f]);
                g_ptr_array_add (self->forbidden_terms, term);
              }
        }
    }
  invalidate (self);
}

void
desk_qa_set_enabled_checks (DeskQa             *self,
                            const char * const *ids)
{
  g_return_if_fail (self != NULL);

  for (int i = 0; i < N_CHECKS; i++)
    self->enabled[i] = (ids == NULL);
  for (guint k = 0; ids != NULL && ids[k] != NULL; k++)
    {
      int i = check_index (ids[k]);

      if (i >= 0)
        self->enabled[i] = TRUE;
    }
}

void
desk_qa_set_check_severity (DeskQa         *self,
                            const char     *id,
                            DeskQaSeverity  severity)
{
  int i = check_index (id);

  g_return_if_fail (self != NULL);
  if (i >= 0)
    self->severity[i] = severity;
}

void
desk_qa_reset_check_severity (DeskQa     *self,
                              const char *id)
{
  int i = check_index (id);

  g_return_if_fail (self != NULL);
  if (i >= 0)
    self->severity[i] = check_severities[i];
}

void
desk_qa_set_ignored (DeskQa    *self,
                     GPtrArray *check_ids_,
                     GPtrArray *texts)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail ((check_ids_ == NULL) == (texts == NULL));

  g_hash_table_remove_all (self->ignored);
  if (check_ids_ == NULL)
    return;
  g_return_if_fail (check_ids_->len == texts->len);
  for (guint i = 0; i < check_ids_->len; i++)
    g_hash_table_add (self->ignored, g_strdup_printf ("%s\x1f%s",
                                                      (const char *) g_ptr_array_index (check_ids_, i),
                                                      (const char *) g_ptr_array_index (texts, i)));
}

void
desk_qa_get_last_stats (DeskQa *self,
                        guint  *n_checked,
                        guint  *n_cached)
{
  g_return_if_fail (self != NULL);

  if (n_checked)
    *n_checked = self->n_checked;
  if (n_cached)
    *n_cached = self->n_cached;
}

static DeskHouseStyle
house_style (DeskQa *self)
{
  return self->house_style_set ? self->house_style : self->config->house_style;
}

/* ---- small text helpers ------------------------------------------------------------ */

static gboolean
cp_match (const DeskQaText *t,
          gsize             i,
          const gunichar   *pat,
          gsize             len)
{
  if (i + len > t->n)
    return FALSE;
  for (gsize k = 0; k < len; k++)
    if (t->cp[i + k] != pat[k])
      return FALSE;
  return TRUE;
}

static char *
cp_dup (const DeskQaText *t,
        gsize             start,
        gsize             end)
{
  return g_strndup (t->s + t->byte_of[start], t->byte_of[end] - t->byte_of[start]);
}

/* A set of literal patterns found in one pass: a bitmap of the code points
 * patterns start with, and for each such code point the patterns to try. */
struct _PatternSet {
  GPtrArray  *patterns;   /* char*, owned */
  GArray     *lengths;    /* gsize, bytes */
  GArray     *cp_lengths; /* gsize, code points */
  guint8     *first;      /* bitmap over the BMP */
  GHashTable *by_first;   /* first code point → GArray of guint */
};

typedef struct {
  guint pattern;
  gsize start;  /* code points */
  gsize end;
} PatternHit;

static void
pattern_set_free (PatternSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->patterns);
  g_array_unref (set->lengths);
  g_array_unref (set->cp_lengths);
  g_free (set->first);
  g_hash_table_unref (set->by_first);
  g_free (set);
}

static PatternSet *
pattern_set_new (void)
{
  PatternSet *set = g_new0 (PatternSet, 1);

  set->patterns = g_ptr_array_new_with_free_func (g_free);
  set->lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  set->cp_lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  set->first = g_new0 (guint8, 0x10000 / 8);
  set->by_first = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  return set;
}

/* Returns the pattern's index. */
static guint
pattern_set_add (PatternSet *set,
                 const char *pattern)
{
  gunichar c = g_utf8_get_char (pattern);
  GArray *list = g_hash_table_lookup (set->by_first, GUINT_TO_POINTER (c));
  guint index = set->patterns->len;
  gsize len = strlen (pattern), cps = g_utf8_strlen (pattern, -1);

  g_ptr_array_add (set->patterns, g_strdup (pattern));
  g_array_append_val (set->lengths, len);
  g_array_append_val (set->cp_lengths, cps);
  if (c < 0x10000)
    set->first[c >> 3] |= 1 << (c & 7);
  if (list == NULL)
    {
      list = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (set->by_first, GUINT_TO_POINTER (c), list);
    }
  g_array_append_val (list, index);
  return index;
}

static PatternSet *
pattern_set_new_from (const char * const *patterns)
{
  PatternSet *set = pattern_set_new ();

  for (guint k = 0; patterns[k] != NULL; k++)
    pattern_set_add (set, patterns[k]);
  return set;
}

/* Every occurrence of every pattern in @t, in order of position. */
static GArray *
pattern_set_scan (const PatternSet *set,
                  const DeskQaText *t)
{
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (PatternHit));

  if (set == NULL || set->patterns->len == 0)
    return hits;
  for (gsize i = 0; i < t->n; i++)
    {
      gunichar c = t->cp[i];
      GArray *list;

      if (c < 0x10000 && !(set->first[c >> 3] & (1 << (c & 7))))
        continue;
      list = g_hash_table_lookup (set->by_first, GUINT_TO_POINTER (c));
      if (list == NULL)
        continue;
      for (guint k = 0; k < list->len; k++)
        {
          guint p = g_array_index (list, guint, k);
          gsize len = g_array_index (set->lengths, gsize, p);

          if (t->byte_of[i] + len <= t->n_bytes &&
              memcmp (t->s + t->byte_of[i], g_ptr_array_index (set->patterns, p), len) == 0)
            {
              PatternHit hit = { p, i, i + g_array_index (set->cp_lengths, gsize, p) };

              g_array_append_val (hits, hit);
            }
        }
    }
  return hits;
}

typedef struct {
  PatternSet *leak;
  PatternSet *chrome;
  PatternSet *cta;
  PatternSet *dialect;
  PatternSet *spelling;
} StaticSets;

static const StaticSets *static_sets (void);

/* The sentence holding code point @i, or -1. */
static int
sentence_at (GArray *sentences,
             gsize   i)
{
  for (guint s = 0; s < sentences->len; s++)
    {
      const Sentence *sen = &g_array_index (sentences, Sentence, s);

      if (i >= sen->start && i < sen->end)
        return s;
    }
  return -1;
}

static gboolean
is_sentence_end (gunichar c)
{
  return c == 0x3002 /* 。 */ || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == 0xFF0E;
}

static gboolean
is_closing (gunichar c)
{
  return c == 0x300D || c == 0x300F || c == 0xFF09 || c == ')' || c == 0x201D || c == '"' ||
         c == 0x3011 || c == 0x2019;
}

static gboolean
is_opening_quote (gunichar c)
{
  return c == 0x300C || c == 0x300E;  /* 「『 */
}

static gboolean
is_closing_quote (gunichar c)
{
  return c == 0x300D || c == 0x300F;
}

static void
add_local (GArray         *local,
           CheckId         check,
           DeskQaSeverity  severity,
           gsize           start,
           gsize           end,
           char           *message,
           char           *suggestion)
{
  LocalFinding f = { check, severity, start, end, message, suggestion };

  g_array_append_val (local, f);
}

/* Sentences of a paragraph: they end after 。！？!? (and the closing quotes
 * and brackets right after), at a line break, and at ". " before a capital
 * in English; terminators inside 「」『』 do not end a sentence. */
static GArray *
split_sentences (const DeskQaText *t)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Sentence));
  gsize start = 0, i = 0;
  int depth = 0;

  while (i < t->n)
    {
      gunichar c = t->cp[i];
      gboolean end_here = FALSE;
      gsize next = i + 1;

      if (is_opening_quote (c))
        depth++;
      else if (is_closing_quote (c) && depth > 0)
        depth--;

      if (c == '\n')
        end_here = TRUE, depth = 0;
      else if (depth == 0 && (is_sentence_end (c) ||
                              (c == '.' && (i + 1 >= t->n || t->cp[i + 1] == ' ') &&
                               i > 0 && desk_qa_is_latin (t->cp[i - 1]))))
        {
          while (next < t->n && is_closing (t->cp[next]))
            next++;
          end_here = TRUE;
        }
      if (end_here || next >= t->n)
        {
          gsize s = start, e = end_here && c == '\n' ? i : next;

          while (s < e && g_unichar_isspace (t->cp[s]))
            s++;
          while (e > s && g_unichar_isspace (t->cp[e - 1]))
            e--;
          if (e > s)
            {
              Sentence sen = { 0, s, e, t->byte_of[s], t->byte_of[e] };
              guint32 h = 5381;

              for (gsize k = s; k < e; k++)
                h = h * 33 + t->cp[k];
              sen.hash = h;
              g_array_append_val (out, sen);
            }
          start = next;
        }
      i = next;
    }
  return out;
}

/* Inline code spans, URLs and link targets: not prose. */
static guint8 *
prose_mask (const DeskQaText *t)
{
  guint8 *mask = g_new0 (guint8, t->n + 1);
  gsize i = 0;

  while (i < t->n)
    {
      gunichar c = t->cp[i];

      if (c == '`')
        {
          gsize j = i + 1;

          while (j < t->n && t->cp[j] != '`')
            j++;
          if (j < t->n)
            {
              memset (mask + i, 1, j + 1 - i);
              i = j + 1;
              continue;
            }
        }
      if (c == ']' && i + 1 < t->n && t->cp[i + 1] == '(')
        {
          gsize j = i + 1;

          while (j < t->n && t->cp[j] != ')')
            j++;
          memset (mask + i, 1, MIN (j + 1, t->n) - i);
          i = j + 1;
          continue;
        }
      if ((c == 'h' && (i == 0 || !desk_qa_is_latin (t->cp[i - 1])) &&
           (cp_match (t, i, (const gunichar[]) { 'h', 't', 't', 'p', ':', '/', '/' }, 7) ||
            cp_match (t, i, (const gunichar[]) { 'h', 't', 't', 'p', 's', ':', '/', '/' }, 8))) ||
          (c == 'w' && cp_match (t, i, (const gunichar[]) { 'w', 'w', 'w', '.' }, 4)))
        {
          gsize j = i;

          while (j < t->n && t->cp[j] > ' ' && t->cp[j] < 0x80 && t->cp[j] != ')')
            j++;
          memset (mask + i, 1, j - i);
          i = j;
          continue;
        }
      i++;
    }
  return mask;
}

/* ---- prompt-leak -------------------------------------------------------------------------- */

static const char * const leak_patterns[] = {
  "以下が翻訳", "以下は翻訳", "以下を翻訳", "以下の文章を翻訳", "以下のテキストを翻訳",
  "以下の記事を翻訳", "翻訳結果です", "日本語訳です", "日本語訳は以下",
  "日本語に翻訳してください", "日本語に訳してください", "翻訳してください",
  "形式で返してください", "形式で出力してください", "形式で回答してください", "形式で返します",
  "訳文：", "訳文:", "【翻訳】", "【訳】", "承知しました。", "かしこまりました。",
  "AI言語モデルとして", "言語モデルとして、", "翻訳者注", "（訳注：", "(訳注:",
  "Here is the translation", "Here's the translation", "here is the translation",
  "Translate the following", "translate the following", "Translation:", "As an AI language model",
  "{\"translation\"", "\"translation\":", "```json", "Sure, here",
  NULL,
};

static void
check_prompt_leak (const DeskQaText *t,
                   GArray           *sentences,
                   GArray           *local,
                   DeskQaSeverity    severity)
{
  const PatternSet *set = static_sets ()->leak;
  g_autoptr(GArray) hits = pattern_set_scan (set, t);
  int last = -1;

  for (guint h = 0; h < hits->len; h++)
    {
      const PatternHit *hit = &g_array_index (hits, PatternHit, h);
      int si = sentence_at (sentences, hit->start);
      const Sentence *sen;

      if (si < 0 || si == last)
        continue;
      last = si;
      sen = &g_array_index (sentences, Sentence, si);
      add_local (local, CHECK_PROMPT_LEAK, severity, sen->start, sen->end,
                 g_strdup_printf (_("Instructions to or from the translation model were left in the text: “%s”."),
                                  (const char *) g_ptr_array_index (set->patterns, hit->pattern)),
                 g_strdup (""));
    }
}

/* ---- placeholder ----------------------------------------------------------------------- */

static guint
check_placeholder (const DeskQaText *t,
                   const guint8     *mask,
                   GArray           *local,
                   DeskQaSeverity    severity)
{
  guint n = 0;

  for (gsize i = 0; i < t->n; i++)
    {
      gunichar c = t->cp[i], close = 0;
      gsize j, min_len = 1;

      if (mask[i])
        continue;
      if (c == 0x27E6)                                   /* ⟦…⟧ */
        close = 0x27E7;
      else if (c == '{' && i + 1 < t->n && t->cp[i + 1] == '{')
        close = '}', min_len = 2;
      else if (c == '[' && i + 1 < t->n && t->cp[i + 1] == '[')
        close = ']', min_len = 2;
      else if (c == '_' && i + 1 < t->n && t->cp[i + 1] == '_' && i + 2 < t->n &&
               g_ascii_isupper (t->cp[i + 2] < 0x80 ? t->cp[i + 2] : 0))
        close = '_', min_len = 2;
      else if (c == '<' && i + 1 < t->n && t->cp[i + 1] == '<')
        close = '>', min_len = 2;
      else
        continue;

      /* The token: uppercase letters, digits and _ only, then the closer. */
      j = i + min_len;
      while (j < t->n && t->cp[j] < 0x80 && (g_ascii_isupper (t->cp[j]) || g_ascii_isdigit (t->cp[j]) ||
                                             t->cp[j] == '_' || t->cp[j] == '-' || t->cp[j] == ' ') &&
             t->cp[j] != close)
        j++;
      if (j == i + min_len)
        continue;
      if (close == '_')
        {
          /* __PH1__: the body ends with its digits, then "__". */
          while (j > i + min_len && t->cp[j - 1] == '_')
            j--;
          if (!(j + 1 < t->n && t->cp[j] == '_' && t->cp[j + 1] == '_') || !g_ascii_isdigit (t->cp[j - 1]))
            continue;
          j += 2;
        }
      else
        {
          gsize k;

          for (k = 0; k < min_len; k++)
            if (j + k >= t->n || t->cp[j + k] != close)
              break;
          if (k < min_len)
            continue;
          j += min_len;
        }
      add_local (local, CHECK_PLACEHOLDER, severity, i, j,
                 g_strdup (_("A placeholder of the translation pipeline was not restored.")), NULL);
      n++;
      i = j - 1;
    }
  return n;
}

/* ---- untranslated ----------------------------------------------------------------------- */

static const char * const function_words[] = {
  "a", "an", "the", "of", "for", "and", "or", "in", "on", "at", "to", "with", "by", "from",
  "is", "are", "as", "vs", "via", "de", "la", "le", "et", "du", "von", "van", "der", NULL,
};

/* Lowercase words that are names, units or commands rather than English. */
static const char * const lowercase_names[] = {
  "pip", "npm", "git", "http", "https", "www", "com", "org", "net", "io", "ms", "kg", "km",
  "cm", "mm", "fps", "ppm", "bps", "kbps", "mbps", "gbps", "tokens/s", "etc", "e", "i",
  "vs", "ok", "llama", "cpp", "apt", "sudo", "curl", "wget", "python", "pytorch", "tensorflow",
  "numpy", "jax", "bash", "json", "yaml", "html", "css", "gguf", "onnx", "cuda", "ollama", "vllm",
  "sglang", "mlx", "pandas", "langchain", "huggingface", "github", "arxiv", "openai", "npx", "uv",
  "conda", "docker", "kubectl", "ssh", "tcp", "udp", "ok", NULL,
};

static gboolean
in_list (const char * const *list,
         const char         *word)
{
  for (guint k = 0; list[k] != NULL; k++)
    if (strcmp (list[k], word) == 0)
      return TRUE;
  return FALSE;
}

typedef enum {
  WORD_NAME,      /* capitalised, mixed case, acronym, with digits */
  WORD_FUNCTION,  /* lowercase function word */
  WORD_CONTENT,   /* an ordinary lowercase English word */
} WordKind;

static WordKind
classify_word (const DeskQaText *t,
               gsize             start,
               gsize             end)
{
  char buf[64];
  gsize len = 0;
  gboolean lower = TRUE;

  for (gsize k = start; k < end; k++)
    {
      gunichar c = t->cp[k];

      if (c < 0x80 && (g_ascii_isupper (c) || g_ascii_isdigit (c)))
        lower = FALSE;
      if (len + 1 < sizeof buf)
        buf[len++] = (char) (c < 0x80 ? c : '?');
    }
  buf[len] = '\0';
  if (!lower)
    return WORD_NAME;
  if (in_list (function_words, buf))
    return WORD_FUNCTION;
  if (in_list (lowercase_names, buf))
    return WORD_NAME;
  /* After a digit: a unit ("10 fps", "3 tokens"). */
  if (start >= 2 && t->cp[start - 1] == ' ' && g_ascii_isdigit (t->cp[start - 2] < 0x80 ? t->cp[start - 2] : 0))
    return WORD_NAME;
  if (len < 3)
    return WORD_FUNCTION;
  return WORD_CONTENT;
}

static void
check_untranslated (const DeskQaText *t,
                    const guint8     *mask,
                    GArray           *local,
                    DeskQaSeverity    severity)
{
  gsize i = 0;
  gssize run_start = -1, run_end = -1;
  guint run_content = 0, run_words = 0;
  gsize last_flag_end = 0;
  gssize last_flag = -1;   /* index in local of the last finding, to merge */
  guint n_japanese = 0;

  for (gsize k = 0; k < t->n; k++)
    if (desk_qa_is_japanese (t->cp[k]))
      n_japanese++;
  /* An English paragraph in a Japanese field is all untranslated; a field
   * with no Japanese at all (a name, a tag) is not prose to translate. */
  if (n_japanese == 0)
    {
      guint words = 0, content = 0;

      for (gsize k = 0; k < t->n;)
        {
          if (desk_qa_is_latin (t->cp[k]) && !mask[k])
            {
              gsize e = k;

              while (e < t->n && (desk_qa_is_latin (t->cp[e]) || t->cp[e] == '\'' || t->cp[e] == '-'))
                e++;
              words++;
              if (classify_word (t, k, e) == WORD_CONTENT)
                content++;
              k = e;
            }
          else
            k++;
        }
      if (words < 6 || content < 3)
        return;
    }

  while (i <= t->n)
    {
      gboolean flush = (i == t->n);
      gunichar c = flush ? 0 : t->cp[i];

      if (!flush && desk_qa_is_latin (c) && !mask[i] && (i == 0 || !g_ascii_isalnum (t->cp[i - 1] < 0x80 ? t->cp[i - 1] : 0)))
        {
          gsize e = i;
          gboolean has_digit_or_dot = FALSE;
          WordKind kind;

          while (e < t->n && t->cp[e] < 0x80 &&
                 (g_ascii_isalnum (t->cp[e]) || t->cp[e] == '\'' || t->cp[e] == '-' || t->cp[e] == '_' ||
                  (t->cp[e] == '.' && e + 1 < t->n && g_ascii_isalnum (t->cp[e + 1] < 0x80 ? t->cp[e + 1] : 0)) ||
                  (t->cp[e] == '/' && e + 1 < t->n && g_ascii_isalpha (t->cp[e + 1] < 0x80 ? t->cp[e + 1] : 0))))
            {
              if (g_ascii_isdigit (t->cp[e]) || t->cp[e] == '.' || t->cp[e] == '_' || t->cp[e] == '/')
                has_digit_or_dot = TRUE;
              e++;
            }
          while (e > i && (t->cp[e - 1] == '-' || t->cp[e - 1] == '\''))
            e--;
          kind = has_digit_or_dot ? WORD_NAME : classify_word (t, i, e);
          if (run_start < 0)
            run_start = i;
          run_end = e;
          run_words++;
          if (kind == WORD_CONTENT)
            run_content++;
          i = e;
          continue;
        }
      if (!flush && run_start >= 0 &&
          (c == ' ' || c == ',' || c == ';' || c == '\'' || c == '-' || c == 0xA0 ||
           (c == '.' && i + 1 < t->n && t->cp[i + 1] == ' ') || c == ':' || c == '"') && !mask[i])
        {
          i++;
          continue;
        }
      /* The run ends here. */
      if (run_start >= 0)
        {
          if (run_content >= 1 && (run_content >= 2 || run_words >= 2 ||
                                   (n_japanese > 0 && run_words == 1)))
            {
              gsize s = run_start, e = run_end;

              /* Take a sentence's full stop along. */
              if (e < t->n && (t->cp[e] == '.' || t->cp[e] == '!' || t->cp[e] == '?'))
                e++;
              if (last_flag >= 0 && s >= last_flag_end && s - last_flag_end <= 3)
                {
                  /* "usage restrictions や training code": one finding. */
                  LocalFinding *prev = &g_array_index (local, LocalFinding, last_flag);
                  gboolean all_ja = TRUE;

                  for (gsize k = last_flag_end; k < s; k++)
                    if (!desk_qa_is_hiragana (t->cp[k]) && t->cp[k] != ' ' && t->cp[k] != 0x3001)
                      all_ja = FALSE;
                  if (all_ja)
                    {
                      prev->end = e;
                      last_flag_end = e;
                      goto reset;
                    }
                }
              add_local (local, CHECK_UNTRANSLATED, severity, s, e,
                         g_strdup (run_words >= 5 ? _("An English sentence was left untranslated.")
                                                  : _("English words were left untranslated.")),
                         NULL);
              last_flag = local->len - 1;
              last_flag_end = e;
            }
        reset:
          run_start = run_end = -1;
          run_content = run_words = 0;
        }
      i++;
    }
}

/* ---- boilerplate --------------------------------------------------------------------------- */

/* Page chrome on a short line of its own. */
static const char * const chrome_words[] = {
  "購読する", "今すぐ購読", "購読はこちら", "購読を開始", "無料で購読", "登録はこちら", "今すぐ登録",
  "この記事をシェア", "シェアする", "でシェア", "をシェア", "をツイート", "をフォロー", "URLをコピー", "リンクをコピー", "コピーしました",
  "フォローする", "フォローして", "コメントを書く", "コメントする", "コメント欄", "スポンサーリンク",
  "関連記事", "続きを読む", "もっと見る", "広告", "PR", "いいね！", "ツイートする", "ブックマークする",
  "印刷する", "imageimage", "画像画像", "Subscribe", "subscribe", "Share this", "Copy link",
  "Advertisement", "Sign up", "Read more", "Click here", "支援をお願い", "サポートをお願い", NULL,
};

/* Calls to action inside a sentence. */
static const char * const cta_patterns[] = {
  "今すぐ購読", "購読して", "購読する", "購読はこちら", "ニュースレターに登録", "無料で登録", "登録して",
  "シェアして", "この記事をシェア", "この投稿をシェア", "フォローして", "高評価と", "チャンネル登録", "お見逃しなく",
  "コメント欄で", "支援をお願い", "imageimage", "画像画像", NULL,
};

static void
check_boilerplate (const DeskQaText *t,
                   GArray           *sentences,
                   GArray           *local,
                   DeskQaSeverity    severity)
{
  const StaticSets *sets = static_sets ();
  g_autoptr(GArray) chrome = pattern_set_scan (sets->chrome, t);
  g_autoptr(GArray) cta = NULL;
  gsize line = 0;
  g_autofree guint8 *done = NULL;
  int last = -1;

  if (chrome->len > 0)
    {
      done = g_new0 (guint8, t->n + 1);
      /* Chrome on a short line of its own. */
      while (line < t->n)
        {
          gsize e = line, s = line;
          gboolean has_period = FALSE;

          while (e < t->n && t->cp[e] != '\n')
            has_period |= t->cp[e] == 0x3002, e++;
          while (s < e && (g_unichar_isspace (t->cp[s]) || t->cp[s] == '-' || t->cp[s] == '*' || t->cp[s] == '>'))
            s++;
          if (e > s && e - s <= 30 && !has_period)
            for (guint h = 0; h < chrome->len; h++)
              {
                const PatternHit *hit = &g_array_index (chrome, PatternHit, h);
                const char *word = g_ptr_array_index (sets->chrome->patterns, hit->pattern);

                if (hit->start < s || hit->end > e)
                  continue;
                /* "PR" and "広告" only when that is about all the line says. */
                if ((strcmp (word, "PR") == 0 || strcmp (word, "広告") == 0) && e - s > 6)
                  continue;
                add_local (local, CHECK_BOILERPLATE, severity, s, e,
                           g_strdup (_("Page chrome or a call to action was copied along with the article.")),
                           g_strdup (""));
                memset (done + s, 1, e - s);
                break;
              }
          line = e + 1;
        }
    }

  /* Calls to action inside a sentence. */
  cta = pattern_set_scan (sets->cta, t);
  for (guint h = 0; h < cta->len; h++)
    {
      const PatternHit *hit = &g_array_index (cta, PatternHit, h);
      int si = sentence_at (sentences, hit->start);
      const Sentence *sen;

      if (si < 0 || si == last || (done != NULL && done[hit->start]))
        continue;
      last = si;
      sen = &g_array_index (sentences, Sentence, si);
      add_local (local, CHECK_BOILERPLATE, severity, sen->start, sen->end,
                 g_strdup (_("Page chrome or a call to action was copied along with the article.")),
                 g_strdup (""));
    }
}

/* ---- register -------------------------------------------------------------------------------- */

typedef enum { ENDING_NONE, ENDING_POLITE, ENDING_PLAIN } Ending;

static gboolean
ends_with (const char *s,
           gsize       len,
           const char *suffix)
{
  gsize n = strlen (suffix);

  return len >= n && memcmp (s + len - n, suffix, n) == 0;
}

static const char * const polite_endings[] = {
  "です", "ます", "でした", "ました", "ません", "でしょう", "ましょう", "ください", "ませんでした",
  "ございます", "下さい", "なさい", "ませ", NULL,
};

static const char * const plain_endings[] = {
  "である", "であった", "だった", "だろう", "ではない", "のだ", "なのだ", "だ", "ない", "ある", "いる",
  "する", "できる", "なる", "れる", "られる", "せる", "た", "う", "く", "ぐ", "す", "つ", "ぬ", "ぶ",
  "む", "る", "い", NULL,
};

/* Plain → polite for the commonest endings. */
static const struct { const char *plain; const char *polite; } ending_fixes[] = {
  { "である", "です" }, { "であった", "でした" }, { "だった", "でした" }, { "だろう", "でしょう" },
  { "ではない", "ではありません" }, { "がある", "があります" }, { "もある", "もあります" },
  { "がない", "がありません" }, { "している", "しています" }, { "ている", "ています" },
  { "できる", "できます" }, { "となる", "となります" }, { "になる", "になります" }, { "する", "します" },
  { "いる", "います" }, { "ある", "あります" }, { "だ", "です" },
};

static Ending
classify_ending (const char *core,
                 gsize       len,
                 const char **matched)
{
  /* A question: polite (ますか, でしょうか) or neutral (保存されたか, in
   * speech); only だろうか and the like are plain. */
  if (ends_with (core, len, "か"))
    {
      gsize l = len - strlen ("か");

      for (guint k = 0; polite_endings[k] != NULL; k++)
        if (ends_with (core, l, polite_endings[k]))
          return ENDING_POLITE;
      if (ends_with (core, l, "だろう") || ends_with (core, l, "であろう") || ends_with (core, l, "のだ"))
        {
          *matched = "だろう";
          return ENDING_PLAIN;
        }
      return ENDING_NONE;
    }
  /* An emphasis particle after the ending: ですね, ますよ. */
  while (len >= 3 && (ends_with (core, len, "ね") || ends_with (core, len, "よ")))
    {
      gsize l = len - 3;

      if (l >= 3 && (ends_with (core, l, "す") || ends_with (core, l, "ん") ||
                     ends_with (core, l, "た") || ends_with (core, l, "う")))
        len = l;
      else
        break;
    }
  for (guint k = 0; polite_endings[k] != NULL; k++)
    if (ends_with (core, len, polite_endings[k]))
      return ENDING_POLITE;
  for (guint k = 0; plain_endings[k] != NULL; k++)
    if (ends_with (core, len, plain_endings[k]))
      {
        *matched = plain_endings[k];
        return ENDING_PLAIN;
      }
  return ENDING_NONE;
}

static const char * const dialect_patterns[] = {
  "やねん", "ねん。", "ねん、", "ねんな", "やなくて", "やないか", "やんか", "へんかった", "あかん",
  "ちゃうか", "ちゃうで", "めっちゃ", "ほんま", "おおきに", "せやから", "せやけど", "やろか", "やろう。",
  "もんや", "しとる", "じゃけえ", "じゃけん", "だべ", "やさかい", "はる。", "しはった", "まへん",
  "でっせ", "やで。", "やで、", NULL,
};

static void
check_register (DeskQa           *self,
                const DeskQaText *t,
                GArray           *sentences,
                Role              role,
                GArray           *local,
                DeskQaSeverity    severity)
{
  DeskHouseStyle style = house_style (self);
  g_autofree gint8 *in_quote = NULL;
  g_autoptr(GArray) dialect_hits = NULL;
  int depth = 0;

  if (style == DESK_HOUSE_STYLE_ANY || role == ROLE_QUOTE || role == ROLE_CODE || role == ROLE_TAG)
    return;

  dialect_hits = pattern_set_scan (static_sets ()->dialect, t);
  in_quote = g_new0 (gint8, t->n + 1);
  for (gsize i = 0; i < t->n; i++)
    {
      if (is_opening_quote (t->cp[i]))
        depth++;
      in_quote[i] = depth > 0;
      if (is_closing_quote (t->cp[i]) && depth > 0)
        depth--;
    }

  for (guint si = 0; si < sentences->len; si++)
    {
      const Sentence *sen = &g_array_index (sentences, Sentence, si);
      gsize e = sen->end;
      gboolean dialect = FALSE;

      /* Dialect outside quotations. */
      for (guint h = 0; h < dialect_hits->len; h++)
        {
          const PatternHit *hit = &g_array_index (dialect_hits, PatternHit, h);

          if (hit->start >= sen->start && hit->start < sen->end && !in_quote[hit->start])
            {
              add_local (local, CHECK_REGISTER, severity, sen->start, sen->end,
                         g_strdup (_("A dialect expression does not fit the site's standard register.")),
                         NULL);
              dialect = TRUE;
              break;
            }
        }
      if (dialect || role == ROLE_TITLE)
        continue;

      /* The sentence's ending: only complete sentences, whose end is not
       * inside a quotation (「…」と述べた。 is the writer's own ending). */
      if (e < 2 || !is_sentence_end (t->cp[e - 1]) || in_quote[e - 2])
        continue;
      while (e > sen->start && (is_sentence_end (t->cp[e - 1]) || g_unichar_isspace (t->cp[e - 1])))
        e--;
      if (e == sen->start || is_closing (t->cp[e - 1]) || !desk_qa_is_hiragana (t->cp[e - 1]))
        continue;
      {
        g_autofree char *core = cp_dup (t, sen->start, e);
        const char *matched = NULL;
        Ending ending = classify_ending (core, strlen (core), &matched);
        gsize clause = e;

        if ((style == DESK_HOUSE_STYLE_DESU_MASU && ending != ENDING_PLAIN) ||
            (style == DESK_HOUSE_STYLE_DE_ARU && ending != ENDING_POLITE))
          continue;
        /* Point at the last clause. */
        while (clause > sen->start && t->cp[clause - 1] != 0x3001 && t->cp[clause - 1] != ',')
          clause--;
        if (style == DESK_HOUSE_STYLE_DESU_MASU)
          {
            char *suggestion = NULL;
            gsize len = strlen (core);

            for (guint k = 0; k < G_N_ELEMENTS (ending_fixes); k++)
              if (ends_with (core, len, ending_fixes[k].plain))
                {
                  g_autofree char *head = cp_dup (t, clause, e);
                  gsize hl = strlen (head);

                  if (hl >= strlen (ending_fixes[k].plain))
                    suggestion = g_strdup_printf ("%.*s%s%s", (int) (hl - strlen (ending_fixes[k].plain)), head,
                                                  ending_fixes[k].polite, "");
                  break;
                }
            if (suggestion != NULL)
              {
                /* Keep the full stop outside the replaced span. */
              }
            add_local (local, CHECK_REGISTER, severity, clause, e,
                       g_strdup (_("A plain (da/de aru) ending in a site written in desu/masu.")),
                       suggestion);
          }
        else
          add_local (local, CHECK_REGISTER, severity, clause, e,
                     g_strdup (_("A polite (desu/masu) ending in a site written in da/de aru.")), NULL);
      }
    }
}

/* ---- punctuation ----------------------------------------------------------------------------- */

static gboolean
near_japanese (const DeskQaText *t,
               gsize             i)
{
  gssize b = (gssize) i - 1;
  gsize a = i + 1;

  while (b >= 0 && t->cp[b] == ' ')
    b--;
  while (a < t->n && t->cp[a] == ' ')
    a++;
  return (b >= 0 && desk_qa_is_japanese (t->cp[b]) && !g_unichar_isspace (t->cp[b])) ||
         (a < t->n && desk_qa_is_japanese (t->cp[a]));
}

static gunichar
fullwidth_of (gunichar c)
{
  switch (c)
    {
    case ',': return 0x3001;   /* 、 */
    case '.': return 0x3002;   /* 。 */
    case '?': return 0xFF1F;
    case '!': return 0xFF01;
    case ':': return 0xFF1A;
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    default: return c;
    }
}

static void
check_punctuation (const DeskQaText *t,
                   const guint8     *mask,
                   GArray           *sentences,
                   GArray           *local,
                   DeskQaSeverity    severity)
{
  for (guint si = 0; si < sentences->len; si++)
    {
      const Sentence *sen = &g_array_index (sentences, Sentence, si);
      gssize first = -1, last = -1;
      GString *fix;

      for (gsize i = sen->start; i < sen->end; i++)
        {
          gunichar c = t->cp[i];
          gboolean bad = FALSE;

          if (mask[i])
            continue;
          switch (c)
            {
            case ',':
              bad = near_japanese (t, i) && !(i > 0 && g_ascii_isdigit (t->cp[i - 1] < 0x80 ? t->cp[i - 1] : 0) &&
                                              i + 1 < t->n && g_ascii_isdigit (t->cp[i + 1] < 0x80 ? t->cp[i + 1] : 0));
              break;
            case '.':
            case '?':
            case '!':
              bad = i > 0 && desk_qa_is_japanese (t->cp[i - 1]);
              break;
            case ':':
              bad = i > 0 && desk_qa_is_japanese (t->cp[i - 1]) && !(i >= 1 && desk_qa_is_latin (t->cp[i - 1]));
              break;
            case '(':
              {
                /* A bracket holding Japanese, or right after it. */
                gsize j = i + 1;
                gboolean ja = FALSE;

                if (i > 0 && t->cp[i - 1] == ']')
                  break;
                while (j < sen->end && t->cp[j] != ')')
                  ja |= desk_qa_is_japanese (t->cp[j]), j++;
                if (j < sen->end && ja)
                  {
                    bad = TRUE;
                    if (first < 0)
                      first = i;
                    last = j;
                  }
              }
              break;
            case ')':
              {
                gssize j = (gssize) i - 1;
                gboolean ja = FALSE;

                while (j >= (gssize) sen->start && t->cp[j] != '(')
                  ja |= desk_qa_is_japanese (t->cp[j]), j--;
                bad = j >= (gssize) sen->start && ja && !(j > 0 && t->cp[j - 1] == ']');
              }
              break;
            default:
              break;
            }
          if (bad)
            {
              if (first < 0)
                first = i;
              last = MAX (last, (gssize) i);
            }
        }
      if (first < 0)
        continue;
      fix = g_string_new (NULL);
      for (gsize i = first; i <= (gsize) last; i++)
        {
          gunichar c = t->cp[i];
          gunichar f = fullwidth_of (c);

          if (f != c && !mask[i] &&
              !(c == ',' && i > 0 && g_ascii_isdigit (t->cp[i - 1] < 0x80 ? t->cp[i - 1] : 0)) &&
              (c == '(' || c == ')' || near_japanese (t, i)))
            {
              g_string_append_unichar (fix, f);
              /* "、 " → "、" */
              if (i + 1 <= (gsize) last && t->cp[i + 1] == ' ' && (c == ',' || c == '.' || c == '?' || c == '!' || c == ':'))
                i++;
            }
          else
            g_string_append_unichar (fix, c);
        }
      add_local (local, CHECK_PUNCTUATION, severity, first, last + 1,
                 g_strdup (_("Half-width punctuation in a Japanese sentence.")), g_string_free (fix, FALSE));
    }

  /* Doubled 。、, unbalanced brackets, half-width katakana. */
  {
    int depth[3] = { 0, 0, 0 };
    gssize open_at[3] = { -1, -1, -1 };
    static const gunichar opens[3] = { 0x300C, 0x300E, 0xFF08 };
    static const gunichar closes[3] = { 0x300D, 0x300F, 0xFF09 };

    for (gsize i = 0; i < t->n; i++)
      {
        gunichar c = t->cp[i];

        if ((c == 0x3002 || c == 0x3001) && i + 1 < t->n && t->cp[i + 1] == c)
          {
            add_local (local, CHECK_PUNCTUATION, severity, i, i + 2,
                       g_strdup (_("Doubled punctuation.")), g_strdup_printf ("%s", c == 0x3002 ? "。" : "、"));
            i++;
            continue;
          }
        if (c >= 0xFF65 && c <= 0xFF9F)
          {
            gsize j = i;
            g_autofree char *run = NULL;

            while (j < t->n && t->cp[j] >= 0xFF65 && t->cp[j] <= 0xFF9F)
              j++;
            run = cp_dup (t, i, j);
            add_local (local, CHECK_PUNCTUATION, severity, i, j,
                       g_strdup (_("Half-width katakana.")),
                       g_utf8_normalize (run, -1, G_NORMALIZE_NFKC));
            i = j - 1;
            continue;
          }
        for (int k = 0; k < 3; k++)
          {
            if (c == opens[k])
              {
                if (depth[k]++ == 0)
                  open_at[k] = i;
              }
            else if (c == closes[k])
              {
                if (depth[k] == 0)
                  add_local (local, CHECK_PUNCTUATION, severity, i, i + 1,
                             g_strdup (_("A closing bracket without its opening bracket.")), NULL);
                else
                  depth[k]--;
              }
          }
      }
    for (int k = 0; k < 3; k++)
      if (depth[k] > 0)
        add_local (local, CHECK_PUNCTUATION, severity, open_at[k], open_at[k] + 1,
                   g_strdup (_("An opening bracket without its closing bracket.")), NULL);
  }
}

/* ---- truncated ---------------------------------------------------------------------------------- */

static void
check_truncated (const DeskQaText *t,
                 gboolean          whole_field,
                 GArray           *local,
                 DeskQaSeverity    severity)
{
  gsize e = t->n, s;
  gunichar c;
  guint n_japanese = 0;

  while (e > 0 && g_unichar_isspace (t->cp[e - 1]))
    e--;
  if (e == 0)
    return;
  for (gsize k = 0; k < e; k++)
    if (desk_qa_is_japanese (t->cp[k]))
      n_japanese++;
  if (n_japanese * 4 < e)
    return;  /* English, or mostly code: other checks speak */
  c = t->cp[e - 1];
  if (is_sentence_end (c) || is_closing (c) || c == ':' || c == 0xFF1A || c == 0x2026 /* … */ ||
      c == '.' || c == '`' || c == '*' || c == '|' || c == '!' || c == '?')
    return;
  /* A table row, or a short line with no sentence in it (a caption, a
   * dateline, a credit) is not a sentence cut short. */
  if (t->cp[0] == '|')
    return;
  if (!whole_field)
    {
      gboolean has_period = FALSE;

      for (gsize k = 0; k < e && !has_period; k++)
        has_period = t->cp[k] == 0x3002;
      if (!has_period && e < 20)
        return;
    }
  /* The last clause: back to the previous 、 or 。 (past a trailing 、). */
  s = e;
  if (t->cp[s - 1] == 0x3001 || t->cp[s - 1] == ',')
    s--;
  while (s > 0 && t->cp[s - 1] != 0x3001 && t->cp[s - 1] != 0x3002 && t->cp[s - 1] != '\n' &&
         !is_closing (t->cp[s - 1]))
    s--;
  add_local (local, CHECK_TRUNCATED, severity, s, e,
             g_strdup (_("The text stops in the middle of a sentence.")), NULL);
}

/* ---- glossary (forbidden renderings) --------------------------------------------------------- */

static void
check_glossary_forbidden (DeskQa           *self,
                          const DeskQaText *t,
                          GArray           *local,
                          DeskQaSeverity    severity)
{
  g_autoptr(GArray) hits = NULL;

  if (self->forbidden == NULL)
    return;
  hits = pattern_set_scan (self->forbidden, t);
  for (guint h = 0; h < hits->len; h++)
    {
      const PatternHit *hit = &g_array_index (hits, PatternHit, h);
      const DeskGlossaryTerm *term = g_ptr_array_index (self->forbidden_terms, hit->pattern);
      const char *word = g_ptr_array_index (self->forbidden->patterns, hit->pattern);
      gunichar first = t->cp[hit->start], last = t->cp[hit->end - 1];

      /* Whole words only: サーバ is not found in サーバー, nor "AI" in "AIM". */
      if ((hit->end < t->n && ((desk_qa_is_katakana (last) && desk_qa_is_katakana (t->cp[hit->end])) ||
                               (desk_qa_is_latin (last) && desk_qa_is_latin (t->cp[hit->end])))) ||
          (hit->start > 0 && ((desk_qa_is_katakana (first) && desk_qa_is_katakana (t->cp[hit->start - 1])) ||
                              (desk_qa_is_latin (first) && desk_qa_is_latin (t->cp[hit->start - 1])))))
        continue;

      add_local (local, CHECK_GLOSSARY, severity, hit->start, hit->end,
                 g_strdup_printf (_("The glossary renders “%s” as “%s”, not “%s”."),
                                  term->source, term->target, word),
                 g_strdup (term->target));
    }
}

/* ---- notation variants: the words of a paragraph -------------------------------------------------- */

/* A katakana word's group: long-vowel mark at the end dropped, ヴァ→バ,
 * ディ→ジ, ティ→チ, ウィ→ウイ, ・ dropped, half width made full. */
static char *
katakana_key (const char *surface)
{
  g_autofree char *nfkc = NULL;
  gboolean half = FALSE;

  for (const char *c = surface; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      half |= u >= 0xFF61 && u <= 0xFF9F;
    }
  nfkc = half ? g_utf8_normalize (surface, -1, G_NORMALIZE_NFKC) : g_strdup (surface);
  GString *key = g_string_new (NULL);
  static const struct { const char *from; const char *to; } maps[] = {
    { "ヴァ", "バ" }, { "ヴィ", "ビ" }, { "ヴェ", "ベ" }, { "ヴォ", "ボ" }, { "ヴ", "ブ" },
    { "ディ", "ジ" }, { "ティ", "チ" }, { "ウィ", "ウイ" }, { "ウェ", "ウエ" }, { "ウォ", "ウオ" },
    { "・", "" }, { "＝", "" },
  };
  const char *p = nfkc;

  while (*p)
    {
      gboolean mapped = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (maps); k++)
        {
          gsize l = strlen (maps[k].from);

          if (strncmp (p, maps[k].from, l) == 0)
            {
              g_string_append (key, maps[k].to);
              p += l;
              mapped = TRUE;
              break;
            }
        }
      if (!mapped)
        {
          const char *next = g_utf8_next_char (p);

          g_string_append_len (key, p, next - p);
          p = next;
        }
    }
  while (g_str_has_suffix (key->str, "ー"))
    g_string_truncate (key, key->len - strlen ("ー"));
  return g_string_free (key, FALSE);
}

/* Kanji and kana spellings of the same word. */
static const struct { const char *a; const char *b; } spelling_pairs[] = {
  { "出来る", "できる" }, { "出来ます", "できます" }, { "子供", "子ども" }, { "全て", "すべて" },
  { "様々", "さまざま" }, { "下さい", "ください" }, { "頂き", "いただき" }, { "頂く", "いただく" },
  { "一つ", "ひとつ" }, { "二つ", "ふたつ" }, { "即ち", "すなわち" }, { "殆ど", "ほとんど" },
  { "更に", "さらに" }, { "既に", "すでに" }, { "未だ", "いまだ" }, { "沢山", "たくさん" },
  { "分かる", "わかる" }, { "分かり", "わかり" }, { "良い", "よい" }, { "無い", "ない" },
  { "事が", "ことが" }, { "おこなう", "行う" },
};

static void
collect_words (const DeskQaText *t,
               GArray           *words)
{
  gsize i = 0;

  while (i < t->n)
    {
      gunichar c = t->cp[i];

      if (desk_qa_is_katakana (c) && c != 0x30FC)
        {
          gsize j = i;
          guint letters = 0;

          while (j < t->n && (desk_qa_is_katakana (t->cp[j]) || t->cp[j] == 0x30FB))
            {
              if (t->cp[j] != 0x30FB)
                letters++;
              j++;
            }
          if (letters >= 3)
            {
              Word w;

              w.surface = cp_dup (t, i, j);
              w.key = katakana_key (w.surface);
              w.start = i;
              w.end = j;
              g_array_append_val (words, w);
            }
          i = j;
          continue;
        }
      if (desk_qa_is_fw_alnum (c))
        {
          gsize j = i;

          while (j < t->n && desk_qa_is_fw_alnum (t->cp[j]))
            j++;
          {
            Word w;
            g_autofree char *surface = cp_dup (t, i, j);

            w.surface = g_strdup (surface);
            g_autofree char *nfkc = g_utf8_normalize (surface, -1, G_NORMALIZE_NFKC);

            w.key = g_strconcat ("w:", nfkc ? nfkc : "", NULL);
            w.start = i;
            w.end = j;
            g_array_append_val (words, w);
          }
          i = j;
          continue;
        }
      i++;
    }
  {
    g_autoptr(GArray) hits = pattern_set_scan (static_sets ()->spelling, t);

    for (guint h = 0; h < hits->len; h++)
      {
        const PatternHit *hit = &g_array_index (hits, PatternHit, h);
        Word w;

        w.surface = cp_dup (t, hit->start, hit->end);
        w.key = g_strdup_printf ("s:%u", hit->pattern / 2);
        w.start = hit->start;
        w.end = hit->end;
        g_array_append_val (words, w);
      }
  }
}

static const StaticSets *
static_sets (void)
{
  static gsize once;
  static StaticSets sets;

  if (g_once_init_enter (&once))
    {
      sets.leak = pattern_set_new_from (leak_patterns);
      sets.chrome = pattern_set_new_from (chrome_words);
      sets.cta = pattern_set_new_from (cta_patterns);
      sets.dialect = pattern_set_new_from (dialect_patterns);
      sets.spelling = pattern_set_new ();
      for (guint k = 0; k < G_N_ELEMENTS (spelling_pairs); k++)
        {
          pattern_set_add (sets.spelling, spelling_pairs[k].a);
          pattern_set_add (sets.spelling, spelling_pairs[k].b);
        }
      g_once_init_leave (&once, 1);
    }
  return &sets;
}

/* ---- one paragraph ------------------------------------------------------------------------------- */

static ParaInfo *
para_info_get (DeskQa     *self,
               const char *text,
               gsize       len,
               Role        role)
{
  ParaInfo probe = { .text = (char *) text, .len = len, .role = role, .hash = hash_text (role, text, len) };
  ParaInfo *info = g_hash_table_lookup (self->paras, &probe);
  DeskQaText t;
  g_autofree guint8 *mask = NULL;

  if (info != NULL)
    {
      info->generation = self->generation;
      self->n_cached++;
      return info;
    }
  self->n_checked++;

  info = g_new0 (ParaInfo, 1);
  info->text = g_strndup (text, len);
  info->len = len;
  info->hash = probe.hash;
  info->role = role;
  info->generation = self->generation;
  info->local = g_array_new (FALSE, FALSE, sizeof (LocalFinding));
  g_array_set_clear_func (info->local, local_finding_clear);
  info->words = g_array_new (FALSE, FALSE, sizeof (Word));
  g_array_set_clear_func (info->words, word_clear);

  desk_qa_text_init (&t, text, len);
  info->sentences = split_sentences (&t);

  if (role == ROLE_CODE || role == ROLE_TAG)
    {
      /* Tags follow the site's tag list, not the entry's notation. */
      if (role == ROLE_TAG)
        {
          info->numbers = g_array_new (FALSE, FALSE, sizeof (DeskQaNumber));
          mask = prose_mask (&t);
          check_prompt_leak (&t, info->sentences, info->local, self->severity[CHECK_PROMPT_LEAK]);
          info->n_placeholders = check_placeholder (&t, mask, info->local, self->severity[CHECK_PLACEHOLDER]);
          check_glossary_forbidden (self, &t, info->local, self->severity[CHECK_GLOSSARY]);
          desk_qa_text_clear (&t);
          g_hash_table_add (self->paras, info);
          return info;
        }
      info->numbers = g_array_new (FALSE, FALSE, sizeof (DeskQaNumber));
      desk_qa_text_clear (&t);
      g_hash_table_add (self->paras, info);
      return info;
    }

  mask = prose_mask (&t);
  info->numbers = desk_qa_numbers_ja (&t);
  collect_words (&t, info->words);

  /* Every check runs; disabled ones are left out when reporting, so the
   * cache stays valid when the preferences change. */
  check_prompt_leak (&t, info->sentences, info->local, self->severity[CHECK_PROMPT_LEAK]);
  info->n_placeholders = check_placeholder (&t, mask, info->local, self->severity[CHECK_PLACEHOLDER]);
  if (role != ROLE_TAG)
    check_untranslated (&t, mask, info->local, self->severity[CHECK_UNTRANSLATED]);
  check_boilerplate (&t, info->sentences, info->local, self->severity[CHECK_BOILERPLATE]);
  check_register (self, &t, info->sentences, role, info->local, self->severity[CHECK_REGISTER]);
  if (role != ROLE_TAG)
    check_punctuation (&t, mask, info->sentences, info->local, self->severity[CHECK_PUNCTUATION]);
  check_glossary_forbidden (self, &t, info->local, self->severity[CHECK_GLOSSARY]);
  if (role == ROLE_PROSE || role == ROLE_SUMMARY)
    check_truncated (&t, role == ROLE_SUMMARY, info->local, self->severity[CHECK_TRUNCATED]);

  desk_qa_text_clear (&t);
  g_hash_table_add (self->paras, info);
  return info;
}

/* ---- the original ------------------------------------------------------------------------------------ */

static OriginalInfo *
original_info_get (DeskQa             *self,
                   const DeskOriginal *original)
{
  OriginalInfo *info;
  g_autoptr(GError) error = NULL;
  GPtrArray *blocks;

  if (original == NULL || original->html == NULL)
    return NULL;
  if (self->original != NULL && strcmp (self->original->html, original->html) == 0)
    return self->original;

  blocks = desk_sanitize_segment (original->html, -1, &error);
  if (blocks == NULL)
    return NULL;
  g_clear_pointer (&self->original, original_info_free);
  g_clear_pointer (&self->align_pairs, g_array_unref);

  info = g_new0 (OriginalInfo, 1);
  info->html = g_strdup (original->html);
  info->blocks = blocks;
  info->numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  info->code = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < blocks->len; i++)
    {
      const DeskBlock *b = g_ptr_array_index (blocks, i);
      DeskQaText t;

      desk_qa_text_init (&t, b->text, strlen (b->text));
      g_ptr_array_add (info->numbers, b->kind == DESK_BLOCK_CODE
                                        ? g_array_new (FALSE, FALSE, sizeof (DeskQaNumber))
                                        : desk_qa_numbers_en (&t));
      desk_qa_text_clear (&t);
      if (b->kind == DESK_BLOCK_CODE)
        g_ptr_array_add (info->code, g_strdup (b->text));
    }
  info->aligner = desk_aligner_new (blocks);
  self->original = info;
  return info;
}

/* ---- the fields as paragraphs -------------------------------------------------------------------------- */

typedef struct {
  char      *field;        /* owned */
  int        order;        /* for sorting findings */
  const char *field_text;
  const char *text;        /* into field_text */
  gsize      len;
  gsize      byte_start;
  gsize      cp_start;
  guint      line_start;   /* from 1 */
  ParaInfo  *info;
  int        body_index;   /* index among the body's blocks, or -1 */
  DeskBlockKind kind;
} Para;

static void
para_clear (gpointer data)
{
  g_free (((Para *) data)->field);
}

static void
add_para (DeskQa     *self,
          GArray     *paras,
          const char *field,
          int         order,
          const char *field_text,
          gsize       byte_start,
          gsize       len,
          gsize       cp_start,
          guint       line_start,
          Role        role,
          int         body_index,
          DeskBlockKind kind)
{
  Para p = { 0 };

  p.field = g_strdup (field);
  p.order = order;
  p.field_text = field_text;
  p.text = field_text + byte_start;
  p.len = len;
  p.byte_start = byte_start;
  p.cp_start = cp_start;
  p.line_start = line_start;
  p.body_index = body_index;
  p.kind = kind;
  p.info = para_info_get (self, p.text, len, role);
  g_array_append_val (paras, p);
}

static void
add_whole_field (DeskQa     *self,
                 GArray     *paras,
                 const char *field,
                 int         order,
                 const char *text,
                 Role        role)
{
  if (text == NULL || *text == '\0')
    return;
  add_para (self, paras, field, order, text, 0, strlen (text), 0, 1, role, -1, DESK_BLOCK_PARAGRAPH);
}

static Role
role_of_block (DeskBlockKind kind)
{
  switch (kind)
    {
    case DESK_BLOCK_HEADING: return ROLE_TITLE;
    case DESK_BLOCK_PARAGRAPH: return ROLE_PROSE;
    case DESK_BLOCK_LIST: return ROLE_LIST;
    case DESK_BLOCK_QUOTE: return ROLE_QUOTE;
    default: return ROLE_CODE;
    }
}

/* ---- emitting findings --------------------------------------------------------------------------------- */

static void
emit (DeskQa       *self,
      GPtrArray    *out,
      const Para   *para,
      CheckId       check,
      gsize         start,     /* code points in the paragraph */
      gsize         end,
      const char   *message,
      const char   *suggestion,
      const char   *original)
{
  DeskQaFinding *f;
  const char *ps, *pe;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  guint line, column = 1;

  if (!self->enabled[check])
    return;

  ps = g_utf8_offset_to_pointer (para->text, start);
  pe = g_utf8_offset_to_pointer (ps, end - start);
  text = g_strndup (ps, pe - ps);
  key = g_strdup_printf ("%s\x1f%s", check_ids[check], text);
  if (g_hash_table_contains (self->ignored, key))
    return;

  line = para->line_start;
  for (const char *p = para->text; p < ps; p = g_utf8_next_char (p))
    {
      if (*p == '\n')
        line++, column = 1;
      else
        column++;
    }
  if (para->body_index >= 0 || para->byte_start > 0)
    {
      /* Columns count from the start of the field's line. */
      const char *line_start = para->text;

      while (line_start > para->field_text && line_start[-1] != '\n')
        line_start--;
      if (line == para->line_start)
        column += g_utf8_strlen (line_start, para->text - line_start);
    }

  f = g_new0 (DeskQaFinding, 1);
  f->check = check_ids[check];
  f->severity = self->severity[check];
  f->field = g_strdup (para->field);
  f->start = para->cp_start + start;
  f->end = para->cp_start + end;
  f->byte_start = para->byte_start + (ps - para->text);
  f->byte_end = para->byte_start + (pe - para->text);
  f->line = line;
  f->column = column;
  f->text = g_steal_pointer (&text);
  f->message = g_strdup (message);
  f->suggestion = g_strdup (suggestion);
  f->original = g_strdup (original);
  g_ptr_array_add (out, f);
}

/* A finding on a whole field without text position (importance, the key
 * point list, the tag list). */
static void
emit_field (DeskQa     *self,
            GPtrArray  *out,
            const char *field,
            const char *field_text,
            CheckId     check,
            const char *message,
            const char *suggestion)
{
  DeskQaFinding *f;
  g_autofree char *key = NULL;

  if (!self->enabled[check])
    return;
  key = g_strdup_printf ("%s\x1f%s", check_ids[check], field_text ? field_text : "");
  if (g_hash_table_contains (self->ignored, key))
    return;

  f = g_new0 (DeskQaFinding, 1);
  f->check = check_ids[check];
  f->severity = self->severity[check];
  f->field = g_strdup (field);
  f->line = 1;
  f->column = 1;
  if (field_text != NULL)
    {
      f->end = g_utf8_strlen (field_text, -1);
      f->byte_end = strlen (field_text);
      f->text = g_strdup (field_text);
      for (const char *p = field_text; *p; p++)
        if (*p == '\n')
          f->line = f->line;  /* the span starts at line 1, column 1 */
    }
  else
    f->text = g_strdup ("");
  f->message = g_strdup (message);
  f->suggestion = g_strdup (suggestion);
  g_ptr_array_add (out, f);
}

static int
field_order (const char *field)
{
  static const char * const order[] = { "title", "tldr", "body", "key_points", "impact_analysis",
                                         "tags", "importance", "editorial_comment" };

  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    if (g_str_has_prefix (field, order[k]))
      {
        int n = k * 10000;

        if (k == 3 && field[strlen ("key_points")] == '[')
          {
            int index = atoi (field + strlen ("key_points["));

            n += 1 + index * 2 + (strstr (field, ".body") != NULL);
          }
        else if (k == 5 && field[strlen ("tags")] == '[')
          n += 1 + atoi (field + strlen ("tags["));
        return n;
      }
  return 100000;
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const DeskQaFinding *x = *(DeskQaFinding * const *) a;
  const DeskQaFinding *y = *(DeskQaFinding * const *) b;
  int ox = field_order (x->field), oy = field_order (y->field);

  if (ox != oy)
    return ox < oy ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return strcmp (x->check, y->check);
}

/* ---- entry-wide checks -------------------------------------------------------------------------------- */

static char *
format_ja_number (double v)
{
  static const struct { double scale; const char *suffix; } scales[] = {
    { 1e12, "兆" }, { 1e8, "億" }, { 1e4, "万" },
  };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint k = 0; k < G_N_ELEMENTS (scales); k++)
    if (v >= scales[k].scale)
      {
        double m = v / scales[k].scale;

        if (fabs (m * 100 - round (m * 100)) < 1e-6)
          return g_strdup_printf ("%s%s", g_ascii_formatd (buf, sizeof buf, "%g", m), scales[k].suffix);
      }
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", v));
}

static gboolean
value_in (GArray *numbers,
          double  v)
{
  for (guint k = 0; k < numbers->len; k++)
    {
      const DeskQaNumber *n = &g_array_index (numbers, DeskQaNumber, k);

      if (desk_qa_number_equal (n->value, v) || (n->alt != 0 && desk_qa_number_equal (n->alt, v)))
        return TRUE;
    }
  return FALSE;
}

/* The body paragraph of translation block @j: the body's paragraphs come
 * in block order, right after the title and TL;DR. */
static Para *
body_para (GArray *paras,
           int     j)
{
  guint lo = 0, hi = paras->len;

  /* Binary search over the body's run of paragraphs (body_index rises). */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      Para *p = &g_array_index (paras, Para, mid);
      int key = p->body_index >= 0 ? p->body_index : (p->order < 2 ? -1 : G_MAXINT);

      if (key < j)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < paras->len && g_array_index (paras, Para, lo).body_index == j)
    return &g_array_index (paras, Para, lo);
  return NULL;
}

/* Whether the number at code points @start–@end of @text is a count: a
 * counter in its span (units such as 人 are part of it) or right after it:
 * 2基, 3台, 5人, 2種類, 2つ. */
static gboolean
counted_at (const char *text,
            gsize       start,
            gsize       end)
{
  static const char counters[] = "基台個枚人名社件本回機棟冊頭匹点つ種";
  const char *p = g_utf8_offset_to_pointer (text, start);

  for (gsize i = start; i <= end && *p != '\0'; i++, p = g_utf8_next_char (p))
    if (g_utf8_strchr (counters, -1, g_utf8_get_char (p)) != NULL)
      return TRUE;
  return FALSE;
}

static void
check_numbers (DeskQa       *self,
               GPtrArray    *out,
               GArray       *paras,
               OriginalInfo *orig,
               GArray       *pairs)
{
  guint k = 0;
  g_autoptr(GArray) onums = g_array_new (FALSE, FALSE, sizeof (DeskQaNumber));
  g_autoptr(GPtrArray) tparas = g_ptr_array_new ();
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) otext = g_string_new (NULL);
  gboolean counted_only;

  while (k < pairs->len)
    {
      const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);
      int oi = p->original_index, ocount = p->original_count;
      guint m;

      g_ptr_array_set_size (tparas, 0);
      g_array_set_size (missing, 0);
      g_array_set_size (onums, 0);
      g_string_truncate (otext, 0);

      if (p->original_index < 0 || p->translation_index < 0)
        {
          k++;
          continue;
        }
      /* Pairs sharing their original block are one group. */
      for (m = k; m < pairs->len; m++)
        {
          const DeskAlignPair *q = &g_array_index (pairs, DeskAlignPair, m);
          Para *para;

          if (q->original_index != oi)
            break;
          ocount = MAX (ocount, q->original_count);
          para = body_para (paras, q->translation_index);
          if (para != NULL && para->info->role != ROLE_CODE)
            g_ptr_array_add (tparas, para);
        }
      k = m;
      if (tparas->len == 0)
        continue;

      for (int b = oi; b < oi + ocount && b < (int) orig->blocks->len; b++)
        {
          GArray *n = g_ptr_array_index (orig->numbers, b);

          g_array_append_vals (onums, n->data, n->len);
        }

      for (guint i = 0; i < onums->len; i++)
        {
          const DeskQaNumber *n = &g_array_index (onums, DeskQaNumber, i);
          gboolean found = FALSE;

          if (n->weak)
            continue;
          for (guint t = 0; t < tparas->len && !found; t++)
            {
              GArray *tnums = ((Para *) g_ptr_array_index (tparas, t))->info->numbers;

              found = value_in (tnums, n->value) || (n->alt != 0 && value_in (tnums, n->alt));
            }
          for (guint w = 0; w < missing->len && !found; w++)
            found = desk_qa_number_equal (g_array_index (missing, double, w), n->value);
          if (!found)
            g_array_append_val (missing, n->value);
        }
      counted_only = FALSE;
      if (missing->len == 0)
        {
          /* Quantities spelled out ("a single GPU", "two labs") demand
           * nothing by themselves, but a counted number of the translation
           * (GPU 2基) that the paragraph has neither in digits nor in
           * words is wrong all the same. */
          for (guint i = 0; i < onums->len; i++)
            {
              const DeskQaNumber *n = &g_array_index (onums, DeskQaNumber, i);
              gboolean found = FALSE;

              if (!n->count)
                continue;
              for (guint t = 0; t < tparas->len && !found; t++)
                found = value_in (((Para *) g_ptr_array_index (tparas, t))->info->numbers, n->value);
              for (guint w = 0; w < missing->len && !found; w++)
                found = desk_qa_number_equal (g_array_index (missing, double, w), n->value);
              if (!found)
                g_array_append_val (missing, n->value);
            }
          if (missing->len == 0)
            continue;
          counted_only = TRUE;
        }

      for (guint t = 0; t < tparas->len; t++)
        {
          Para *para = g_ptr_array_index (tparas, t);
          GArray *tnums = para->info->numbers;

          for (guint i = 0; i < tnums->len; i++)
            {
              const DeskQaNumber *n = &g_array_index (tnums, DeskQaNumber, i);
              g_autoptr(GString) want = NULL;
              g_autofree char *message = NULL;
              g_autofree char *suggestion = NULL;
              g_autofree char *shown = NULL;

              if (value_in (onums, n->value))
                continue;
              if (counted_only && !counted_at (para->text, n->start, n->end))
                continue;
              if (otext->len == 0)
                for (int b = oi; b < oi + ocount && b < (int) orig->blocks->len; b++)
                  {
                    const DeskBlock *block = g_ptr_array_index (orig->blocks, b);

                    if (otext->len > 0)
                      g_string_append_c (otext, ' ');
                    g_string_append (otext, block->text);
                  }
              want = g_string_new (NULL);
              for (guint w = 0; w < missing->len; w++)
                {
                  g_autofree char *f = format_ja_number (g_array_index (missing, double, w));

                  if (w > 0)
                    g_string_append (want, "、");
                  g_string_append (want, f);
                }
              {
                const char *ps = g_utf8_offset_to_pointer (para->text, n->start);
                const char *pe = g_utf8_offset_to_pointer (ps, n->end - n->start);

                shown = g_strndup (ps, pe - ps);
              }
              message = g_strdup_printf (_("“%s” is not a number of the original paragraph, which has %s."),
                                         shown, want->str);
              if (missing->len == 1)
                {
                  /* Replace the digits and scale, keep 約 and the unit. */
                  g_autofree char *value = format_ja_number (g_array_index (missing, double, 0));
                  GString *s = g_string_new (NULL);
                  const char *c = shown;
                  gboolean replaced = FALSE;

                  while (*c)
                    {
                      gunichar u = g_utf8_get_char (c);
                      gboolean numeric = g_unichar_isdigit (u) || u == '.' || u == ',' || u == 0xFF0E ||
                                         u == 0x4E07 || u == 0x5104 || u == 0x5146 || u == 0x5343;

                      if (numeric)
                        {
                          if (!replaced)
                            g_string_append (s, value);
                          replaced = TRUE;
                        }
                      else
                        g_string_append_unichar (s, u);
                      c = g_utf8_next_char (c);
                    }
                  suggestion = g_string_free (s, FALSE);
                }
              emit (self, out, para, CHECK_NUMBER_MISMATCH, n->start, n->end, message, suggestion, otext->str);
            }
        }
    }
}

static void
check_omissions (DeskQa       *self,
                 GPtrArray    *out,
                 GArray       *paras,
                 const char   *body,
                 OriginalInfo *orig,
                 GArray       *pairs)
{
  for (guint k = 0; k < pairs->len; k++)
    {
      const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);
      const DeskBlock *block;
      Para *next = NULL;
      g_autofree char *message = NULL;
      g_autofree char *head = NULL;

      if (p->translation_index >= 0 || p->original_index < 0)
        continue;
      block = g_ptr_array_index (orig->blocks, p->original_index);
      /* Not code (the placeholder check speaks), nor headings, nor short
       * lines without a sentence (bylines, captions, credits). */
      if (block->chrome || block->kind == DESK_BLOCK_CODE || block->kind == DESK_BLOCK_HEADING ||
          block->n_chars < 40 || (block->n_chars < 80 && strpbrk (block->text, ".?!:") == NULL))
        continue;
      for (guint m = k + 1; m < pairs->len && next == NULL; m++)
        {
          const DeskAlignPair *q = &g_array_index (pairs, DeskAlignPair, m);

          if (q->translation_index >= 0)
            next = body_para (paras, q->translation_index);
        }
      head = g_utf8_substring (block->text, 0, MIN (block->n_chars, 40));
      message = g_strdup_printf (_("A paragraph of the original has no translation: “%s…”."), head);
      if (next != NULL)
        emit (self, out, next, CHECK_OMISSION, 0, 0, message, NULL, block->text);
      else
        {
          /* After the last paragraph. */
          Para *last = NULL;

          for (guint m = 0; m < paras->len; m++)
            if (g_array_index (paras, Para, m).body_index >= 0)
              last = &g_array_index (paras, Para, m);
          if (last != NULL)
            {
              glong n = g_utf8_strlen (last->text, last->len);

              emit (self, out, last, CHECK_OMISSION, n, n, message, NULL, block->text);
            }
        }
    }
  (void) body;
}

/* A translation much shorter than its original for its length: part of
 * the paragraph was dropped. Lengths as the alignment weighs them (a CJK
 * character counts 1.8 Latin ones; measured on the corpus, the ratio has a
 * spread of about 0.22 around 1). */
#define SHORT_RATIO        0.45
#define SHORT_MIN_ORIGINAL 100

static double
weighted_length (const char *s,
                 gsize       len)
{
  double n = 0;

  for (const char *p = s; p < s + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || (c < 0x80 && strchr ("#*>`_|-", (int) c) != NULL))
        continue;
      n += (c >= 0x3000 && c <= 0x9FFF) || (c >= 0xFF00 && c <= 0xFFEF) ? 1.8 : 1.0;
    }
  return n;
}

static void
check_short_translations (DeskQa       *self,
                          GPtrArray    *out,
                          GArray       *paras,
                          OriginalInfo *orig,
                          GArray       *pairs)
{
  for (guint k = 0; k < pairs->len; k++)
    {
      const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);
      const DeskBlock *block;
      Para *para;
      double o_len, t_len;

      if (p->translation_index < 0 || p->original_index < 0 || p->original_count != 1)
        continue;
      /* One translation block for one original block, both ways. */
      if ((k > 0 && g_array_index (pairs, DeskAlignPair, k - 1).original_index == p->original_index) ||
          (k + 1 < pairs->len && g_array_index (pairs, DeskAlignPair, k + 1).original_index == p->original_index))
        continue;
      block = g_ptr_array_index (orig->blocks, p->original_index);
      para = body_para (paras, p->translation_index);
      if (para == NULL || para->info->role != ROLE_PROSE || block->kind != DESK_BLOCK_PARAGRAPH ||
          block->chrome || block->n_chars < SHORT_MIN_ORIGINAL)
        continue;
      o_len = weighted_length (block->text, strlen (block->text));
      t_len = weighted_length (para->text, para->len);
      if (t_len < SHORT_RATIO * o_len)
        {
          g_autofree char *message =
            g_strdup_printf (_("This paragraph is much shorter than its original (%.0f%% of its length): part of it may be missing."),
                             100.0 * t_len / o_len);
          guint before = out->len;

          emit (self, out, para, CHECK_OMISSION, 0, g_utf8_strlen (para->text, para->len), message, NULL,
                block->text);
          if (out->len > before)
            ((DeskQaFinding *) g_ptr_array_index (out, out->len - 1))->severity =
              MAX (self->severity[CHECK_OMISSION], DESK_QA_SEVERITY_WARNING);
        }
    }
}

/* Code blocks of the original that the translation lacks. */
static void
check_missing_code (DeskQa       *self,
                    GPtrArray    *out,
                    GArray       *paras,
                    OriginalInfo *orig)
{
  guint t_code = 0, placeholders = 0;

  for (guint k = 0; k < paras->len; k++)
    {
      Para *p = &g_array_index (paras, Para, k);

      if (p->body_index >= 0 && p->kind == DESK_BLOCK_CODE)
        t_code++;
      if (p->body_index >= 0)
        placeholders += p->info->n_placeholders;
    }
  if (orig->code->len > t_code && placeholders == 0)
    {
      Para *last = NULL;

      for (guint m = 0; m < paras->len; m++)
        if (g_array_index (paras, Para, m).body_index >= 0)
          last = &g_array_index (paras, Para, m);
      if (last != NULL)
        {
          glong n = g_utf8_strlen (last->text, last->len);
          g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "The original has %u code block that the translation lacks.",
                                                                   "The original has %u code blocks that the translation lacks.",
                                                                   orig->code->len - t_code),
                                                      orig->code->len - t_code);

          emit (self, out, last, CHECK_PLACEHOLDER, n, n, message, NULL, g_ptr_array_index (orig->code, t_code));
        }
    }
}

typedef struct {
  const char *first;     /* the first surface seen */
  gboolean    several;   /* another surface was seen */
} VariantGroup;

static void
check_variants (DeskQa    *self,
                GPtrArray *out,
                GArray    *paras)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) multi = g_ptr_array_new ();
  gpointer key;

  /* First pass: which groups have more than one spelling (few do). */
  for (guint k = 0; k < paras->len; k++)
    {
      Para *p = &g_array_index (paras, Para, k);

      for (guint w = 0; w < p->info->words->len; w++)
        {
          Word *word = &g_array_index (p->info->words, Word, w);
          VariantGroup *group = g_hash_table_lookup (groups, word->key);

          if (group == NULL)
            {
              group = g_new0 (VariantGroup, 1);
              group->first = word->surface;
              /* Full-width letters and digits are a variant on their own. */
              group->several = g_str_has_prefix (word->key, "w:");
              g_hash_table_insert (groups, word->key, group);
              if (group->several)
                g_ptr_array_add (multi, word->key);
            }
          else if (!group->several && strcmp (group->first, word->surface) != 0)
            {
              group->several = TRUE;
              g_ptr_array_add (multi, word->key);
            }
        }
    }

  for (guint m = 0; m < multi->len; m++)
    {
      const char *gkey = g_ptr_array_index (multi, m);
      g_autoptr(GHashTable) surfaces = g_hash_table_new (g_str_hash, g_str_equal);
      const char *preferred = NULL;
      guint best = 0;
      GHashTableIter si;
      gpointer skey, svalue;
      gboolean fullwidth = g_str_has_prefix (gkey, "w:");

      key = (gpointer) gkey;
      for (guint k = 0; k < paras->len; k++)
        {
          Para *p = &g_array_index (paras, Para, k);

          for (guint w = 0; w < p->info->words->len; w++)
            {
              Word *word = &g_array_index (p->info->words, Word, w);

              if (strcmp (word->key, gkey) == 0)
                g_hash_table_insert (surfaces, word->surface,
                                     GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (surfaces, word->surface)) + 1));
            }
        }
      if (!fullwidth)
        {
          /* The glossary's form, else the most frequent, else the one with
           * the long-vowel mark (the modern standard). */
          if (self->glossary != NULL)
            for (guint t = 0; t < self->glossary->terms->len && preferred == NULL; t++)
              {
                const DeskGlossaryTerm *term = g_ptr_array_index (self->glossary->terms, t);

                g_hash_table_iter_init (&si, surfaces);
                while (g_hash_table_iter_next (&si, &skey, &svalue))
                  if (strstr (term->target, skey) != NULL)
                    preferred = skey;
              }
          if (preferred == NULL)
            {
              g_hash_table_iter_init (&si, surfaces);
              while (g_hash_table_iter_next (&si, &skey, &svalue))
                {
                  guint count = GPOINTER_TO_UINT (svalue);

                  if (count > best || (count == best && preferred != NULL && strlen (skey) > strlen (preferred)))
                    best = count, preferred = skey;
                }
            }
        }

      for (guint k = 0; k < paras->len; k++)
        {
          Para *p = &g_array_index (paras, Para, k);

          for (guint w = 0; w < p->info->words->len; w++)
            {
              Word *word = &g_array_index (p->info->words, Word, w);
              g_autofree char *message = NULL;
              g_autofree char *half = NULL;

              if (strcmp (word->key, key) != 0 || (preferred != NULL && strcmp (word->surface, preferred) == 0))
                continue;
              if (fullwidth)
                {
                  half = g_utf8_normalize (word->surface, -1, G_NORMALIZE_NFKC);
                  message = g_strdup_printf (_("“%s” is written in full-width characters; the site uses “%s”."),
                                             word->surface, half);
                  emit (self, out, p, CHECK_NOTATION_VARIANT, word->start, word->end, message, half, NULL);
                }
              else
                {
                  message = g_strdup_printf (_("“%s” is also written “%s” in this entry."), word->surface, preferred);
                  emit (self, out, p, CHECK_NOTATION_VARIANT, word->start, word->end, message, preferred, NULL);
                }
            }
        }
    }
}

typedef struct {
  const char *field;
  const char *text;
  gsize       len;
  guint32     hash;
} SeenSentence;

static guint
seen_hash (gconstpointer key)
{
  return ((const SeenSentence *) key)->hash;
}

static gboolean
seen_equal (gconstpointer a,
            gconstpointer b)
{
  const SeenSentence *x = a, *y = b;

  return x->hash == y->hash && x->len == y->len && memcmp (x->text, y->text, x->len) == 0 &&
         strcmp (x->field, y->field) == 0;
}

static void
check_repeated (DeskQa    *self,
                GPtrArray *out,
                GArray    *paras)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (seen_hash, seen_equal);
  g_autoptr(GArray) keys = NULL;
  guint total = 0;

  /* The keys live in one array, sized first so that it never moves. */
  for (guint k = 0; k < paras->len; k++)
    total += g_array_index (paras, Para, k).info->sentences->len;
  keys = g_array_sized_new (FALSE, FALSE, sizeof (SeenSentence), total);

  for (guint k = 0; k < paras->len; k++)
    {
      Para *p = &g_array_index (paras, Para, k);
      GArray *sentences = p->info->sentences;
      guint field_hash;

      if (p->info->role == ROLE_CODE)
        continue;
      field_hash = g_str_hash (p->field);
      for (guint s = 0; s < sentences->len; s++)
        {
          const Sentence *sen = &g_array_index (sentences, Sentence, s);
          SeenSentence *key;

          if (sen->end - sen->start < 12)
            continue;
          g_array_set_size (keys, keys->len + 1);
          key = &g_array_index (keys, SeenSentence, keys->len - 1);
          key->field = p->field;
          key->text = p->text + sen->byte_start;
          key->len = sen->byte_end - sen->byte_start;
          key->hash = sen->hash ^ field_hash;
          if (g_hash_table_contains (seen, key))
            {
              emit (self, out, p, CHECK_REPEATED_TEXT, sen->start, sen->end,
                    _("This sentence repeats an earlier one."), "", NULL);
              g_array_set_size (keys, keys->len - 1);
            }
          else
            g_hash_table_add (seen, key);
        }
    }
}

static gboolean
normalized_contains (const char *hay,
                     const char *needle)
{
  g_autofree char *h = g_utf8_normalize (hay, -1, G_NORMALIZE_NFKC);
  g_autofree char *n = g_utf8_normalize (needle, -1, G_NORMALIZE_NFKC);
  GString *hs = g_string_new (NULL), *ns = g_string_new (NULL);
  gboolean found;

  for (const char *c = h; c && *c; c = g_utf8_next_char (c))
    if (*c != ' ' && strncmp (c, "・", strlen ("・")) != 0)
      g_string_append_unichar (hs, g_unichar_tolower (g_utf8_get_char (c)));
  for (const char *c = n; c && *c; c = g_utf8_next_char (c))
    if (*c != ' ' && strncmp (c, "・", strlen ("・")) != 0)
      g_string_append_unichar (ns, g_unichar_tolower (g_utf8_get_char (c)));
  found = strstr (hs->str, ns->str) != NULL;
  g_string_free (hs, TRUE);
  g_string_free (ns, TRUE);
  return found;
}

/* A glossary term of the original paragraph whose translation lacks the
 * glossary's rendering (a forbidden rendering is reported on its own). */
static void
check_glossary_terms (DeskQa       *self,
                      GPtrArray    *out,
                      GArray       *paras,
                      OriginalInfo *orig,
                      GArray       *pairs)
{
  if (self->glossary == NULL)
    return;
  for (guint k = 0; k < pairs->len; k++)
    {
      const DeskAlignPair *p = &g_array_index (pairs, DeskAlignPair, k);
      Para *para;
      const DeskBlock *block;
      g_autofree char *otext = NULL;
      g_autofree char *ttext = NULL;

      if (p->translation_index < 0 || p->original_index < 0)
        continue;
      para = body_para (paras, p->translation_index);
      if (para == NULL || para->info->role == ROLE_CODE)
        continue;
      block = g_ptr_array_index (orig->blocks, p->original_index);
      otext = g_ascii_strdown (block->text, -1);
      ttext = g_strndup (para->text, para->len);
      for (guint t = 0; t < self->glossary->terms->len; t++)
        {
          const DeskGlossaryTerm *term = g_ptr_array_index (self->glossary->terms, t);
          g_autofree char *src = g_ascii_strdown (term->source, -1);
          const char *hit = strstr (otext, src);
          gboolean forbidden = FALSE;
          gsize sl = strlen (src);

          if (hit == NULL || (hit > otext && g_ascii_isalnum (hit[-1])) ||
              (g_ascii_isalnum (hit[sl]) && hit[sl] != 's'))
            continue;
          if (normalized_contains (ttext, term->target) || normalized_contains (ttext, term->source))
            continue;
          for (guint f = 0; term->forbidden[f] != NULL; f++)
            forbidden |= strstr (ttext, term->forbidden[f]) != NULL;
          if (forbidden)
            continue;
          {
            g_autofree char *message = g_strdup_printf (_("The original says “%s”, which the glossary renders “%s”; this paragraph does not use it."),
                                                        term->source, term->target);

            guint before = out->len;

            emit (self, out, para, CHECK_GLOSSARY, 0, 0, message, NULL, block->text);
            /* Not using the glossary's word is a warning; a forbidden one an error. */
            if (out->len > before)
              {
                DeskQaFinding *f = g_ptr_array_index (out, out->len - 1);

                f->severity = MAX (f->severity, DESK_QA_SEVERITY_WARNING);
              }
          }
        }
    }
}

static void
check_structure (DeskQa             *self,
                 GPtrArray          *out,
                 const DeskEditable *fields)
{
  const DeskSiteConfig *config = self->config;

  if ((fields->present & DESK_FIELD_TITLE) && fields->title != NULL &&
      (gint64) g_utf8_strlen (fields->title, -1) > config->title_max_chars)
    {
      g_autofree char *message = g_strdup_printf (_("The title has %ld characters; the site allows %ld."),
                                                  (long) g_utf8_strlen (fields->title, -1),
                                                  (long) config->title_max_chars);

      emit_field (self, out, "title", fields->title, CHECK_STRUCTURE, message, NULL);
    }
  if ((fields->present & DESK_FIELD_TLDR) && fields->tldr != NULL &&
      (gint64) g_utf8_strlen (fields->tldr, -1) > config->tldr_max_chars)
    {
      g_autofree char *message = g_strdup_printf (_("The TL;DR has %ld characters; the site allows %ld."),
                                                  (long) g_utf8_strlen (fields->tldr, -1),
                                                  (long) config->tldr_max_chars);

      emit_field (self, out, "tldr", fields->tldr, CHECK_STRUCTURE, message, NULL);
    }
  if ((fields->present & DESK_FIELD_KEY_POINTS) && fields->key_points != NULL)
    {
      guint n = fields->key_points->len;

      if ((gint64) n < config->key_points_min || (gint64) n > config->key_points_max)
        {
          g_autofree char *message = g_strdup_printf (_("There are %u key points; the site wants %ld to %ld."),
                                                      n, (long) config->key_points_min,
                                                      (long) config->key_points_max);
          guint before = out->len;

          emit_field (self, out, "key_points", NULL, CHECK_STRUCTURE, message, NULL);
          if (out->len > before)
            ((DeskQaFinding *) g_ptr_array_index (out, out->len - 1))->severity =
              MAX (self->severity[CHECK_STRUCTURE], DESK_QA_SEVERITY_WARNING);
        }
      for (guint i = 0; i < n; i++)
        {
          const DeskKeyPoint *kp = g_ptr_array_index (fields->key_points, i);

          g_autofree char *heading = g_strstrip (g_strdup (kp->heading ? kp->heading : ""));

          if (*heading == '\0')
            {
              g_autofree char *path = g_strdup_printf ("key_points[%u].heading", i);

              emit_field (self, out, path, kp->heading ? kp->heading : "", CHECK_STRUCTURE,
                          _("This key point has no heading."), NULL);
            }
          if (kp->body == NULL || *kp->body == '\0')
            {
              g_autofree char *path = g_strdup_printf ("key_points[%u].body", i);

              emit_field (self, out, path, "", CHECK_STRUCTURE, _("This key point has no text."), NULL);
            }
        }
    }
  if ((fields->present & DESK_FIELD_TAGS) && fields->tags != NULL)
    {
      guint n = g_strv_length (fields->tags);
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      if (n == 0 || n > 10)
        {
          g_autofree char *message = g_strdup_printf (_("There are %u tags; the site wants 1 to 10."), n);

          emit_field (self, out, "tags", NULL, CHECK_STRUCTURE, message, NULL);
        }
      for (guint i = 0; i < n; i++)
        {
          const char *tag = fields->tags[i];
          g_autofree char *path = g_strdup_printf ("tags[%u]", i);
          g_autofree char *norm = g_utf8_normalize (tag, -1, G_NORMALIZE_NFKC);
          g_autofree char *fold = norm ? g_utf8_casefold (norm, -1) : g_strdup (tag);

          if (strchr (tag, '#') != NULL || strstr (tag, "＃") != NULL)
            {
              g_autoptr(GString) fixed = g_string_new (tag);

              g_string_replace (fixed, "#", "", 0);
              g_string_replace (fixed, "＃", "", 0);
              emit_field (self, out, path, tag, CHECK_STRUCTURE, _("Tags are written without “#”."),
                          g_strstrip (fixed->str));
            }
          if (*tag == '\0')
            emit_field (self, out, path, tag, CHECK_STRUCTURE, _("This tag is empty."), "");
          else if (g_hash_table_contains (seen, fold))
            {
              guint before = out->len;

              emit_field (self, out, path, tag, CHECK_STRUCTURE, _("This tag is already in the list."), "");
              if (out->len > before)
                ((DeskQaFinding *) g_ptr_array_index (out, out->len - 1))->severity =
                  MAX (self->severity[CHECK_STRUCTURE], DESK_QA_SEVERITY_WARNING);
            }
          else
            g_hash_table_add (seen, g_steal_pointer (&fold));
        }
    }
}

static void
check_score (DeskQa             *self,
             GPtrArray          *out,
             const DeskEditable *fields)
{
  const DeskImportance *imp = &fields->importance;
  const gint64 members[5] = { imp->overall, imp->depth, imp->relevance, imp->practicality, imp->innovation };
  static const char * const names[5] = { "overall", "depth", "relevance", "practicality", "innovation" };
  gboolean out_of_range = FALSE;
  int suggestion;

  if (!(fields->present & DESK_FIELD_IMPORTANCE))
    return;
  for (guint k = 0; k < 5; k++)
    if (members[k] < 1 || members[k] > 5)
      {
        g_autofree char *path = g_strdup_printf ("importance.%s", names[k]);
        g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, members[k]);
        g_autofree char *message = g_strdup_printf (_("Importance scores go from 1 to 5, not %s."), value);
        guint before = out->len;

        emit_field (self, out, path, value, CHECK_SCORE_CONSISTENCY, message, NULL);
        if (out->len > before)
          ((DeskQaFinding *) g_ptr_array_index (out, out->len - 1))->severity = DESK_QA_SEVERITY_ERROR;
        out_of_range = TRUE;
      }
  if (out_of_range)
    return;
  suggestion = desk_importance_suggest (imp, &self->config->weights);
  if (ABS (imp->overall - suggestion) > 1)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, imp->overall);
      g_autofree char *fix = g_strdup_printf ("%d", suggestion);
      g_autofree char *message = g_strdup_printf (_("The overall importance %s is more than one step from the weighted suggestion %d."),
                                                  value, suggestion);

      emit_field (self, out, "importance", value, CHECK_SCORE_CONSISTENCY, message, fix);
    }
}

/* ---- the whole entry ------------------------------------------------------------------------------------- */

static void
add_local_findings (DeskQa       *self,
                    GPtrArray    *out,
                    const Para   *p,
                    OriginalInfo *orig)
{
  for (guint k = 0; k < p->info->local->len; k++)
    {
      const LocalFinding *f = &g_array_index (p->info->local, LocalFinding, k);
      const char *suggestion = f->suggestion;
      g_autofree char *code = NULL;

      /* ⟦CODE_0⟧ standing for the original's first code block. */
      if (f->check == CHECK_PLACEHOLDER && orig != NULL && suggestion == NULL)
        {
          const char *ps = g_utf8_offset_to_pointer (p->text, f->start);
          int n = -1;

          if (sscanf (ps, "⟦CODE_%d⟧", &n) == 1 && n >= 0 && (guint) n < orig->code->len &&
              f->start == 0 && f->end == (gsize) g_utf8_strlen (p->text, p->len))
            suggestion = code = g_strdup_printf ("```\n%s\n```", (const char *) g_ptr_array_index (orig->code, n));
        }
      emit (self, out, p, f->check, f->start, f->end, f->message, suggestion, NULL);
    }
}

/* A finding inside another's span of a check that says more is left out:
 * a forbidden glossary rendering is not also a notation variant, a
 * boilerplate line not also untranslated or punctuation. */
static void
drop_shadowed (GPtrArray *out)
{
  static const char * const shadows[][2] = {
    { "glossary", "notation-variant" }, { "boilerplate", "untranslated" },
    { "boilerplate", "punctuation" }, { "prompt-leak", "untranslated" },
    { "prompt-leak", "punctuation" }, { "repeated-text", "register" },
    { "placeholder", "untranslated" }, { "placeholder", "punctuation" },
    { "register", "punctuation" }, { "boilerplate", "truncated" },
    { "prompt-leak", "truncated" },
  };

  for (guint i = 0; i < out->len;)
    {
      DeskQaFinding *f = g_ptr_array_index (out, i);
      gboolean drop = FALSE;

      for (guint j = 0; j < out->len && !drop; j++)
        {
          DeskQaFinding *g = g_ptr_array_index (out, j);

          if (i == j || strcmp (f->field, g->field) != 0 || g->start > f->start || g->end < f->end ||
              g->end == g->start)
            continue;
          for (guint k = 0; k < G_N_ELEMENTS (shadows) && !drop; k++)
            drop = strcmp (g->check, shadows[k][0]) == 0 && strcmp (f->check, shadows[k][1]) == 0;
        }
      if (drop)
        g_ptr_array_remove_index (out, i);
      else
        i++;
    }
}

/* Paragraphs no check used for a while leave the cache. */
static void
prune_cache (DeskQa *self)
{
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->paras) < 4096)
    return;
  g_hash_table_iter_init (&iter, self->paras);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((ParaInfo *) value)->generation + 8 < self->generation)
      g_hash_table_iter_remove (&iter);
}

GPtrArray *
desk_qa_check (DeskQa             *self,
               const DeskEditable *fields,
               const DeskOriginal *original)
{
  GPtrArray *out;
  g_autoptr(GArray) paras = NULL;
  OriginalInfo *orig;
  GArray *pairs = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_qa_finding_free);
  paras = g_array_new (FALSE, FALSE, sizeof (Para));
  g_array_set_clear_func (paras, para_clear);
  self->generation++;
  self->n_checked = self->n_cached = 0;

  if (fields->present & DESK_FIELD_TITLE)
    add_whole_field (self, paras, "title", 0, fields->title, ROLE_TITLE);
  if (fields->present & DESK_FIELD_TLDR)
    add_whole_field (self, paras, "tldr", 1, fields->tldr, ROLE_SUMMARY);
  if ((fields->present & DESK_FIELD_BODY) && fields->body != NULL && g_utf8_validate (fields->body, -1, NULL))
    {
      g_autoptr(GArray) spans = desk_markdown_scan_blocks (fields->body, -1);

      for (guint j = 0; j < spans->len; j++)
        {
          const DeskSpan *span = &g_array_index (spans, DeskSpan, j);

          add_para (self, paras, "body", 2, fields->body, span->start, span->end - span->start,
                    span->cp_start, span->line_start + 1, role_of_block (span->kind), j, span->kind);
        }

      orig = original_info_get (self, original);
      if (orig != NULL)
        {
          /* Only the columns from the first changed paragraph are computed
           * again. */
          g_clear_pointer (&self->align_pairs, g_array_unref);
          self->align_pairs = desk_aligner_align (orig->aligner, spans, fields->body);
          pairs = self->align_pairs;
        }
    }
  else
    orig = NULL;

  if (fields->present & DESK_FIELD_KEY_POINTS && fields->key_points != NULL)
    for (guint i = 0; i < fields->key_points->len; i++)
      {
        const DeskKeyPoint *kp = g_ptr_array_index (fields->key_points, i);
        g_autofree char *h = g_strdup_printf ("key_points[%u].heading", i);
        g_autofree char *b = g_strdup_printf ("key_points[%u].body", i);

        add_whole_field (self, paras, h, 3, kp->heading, ROLE_TITLE);
        add_whole_field (self, paras, b, 3, kp->body, ROLE_SUMMARY);
      }
  if (fields->present & DESK_FIELD_IMPACT_ANALYSIS)
    add_whole_field (self, paras, "impact_analysis", 4, fields->impact_analysis, ROLE_SUMMARY);
  if ((fields->present & DESK_FIELD_TAGS) && fields->tags != NULL)
    for (guint i = 0; fields->tags[i] != NULL; i++)
      {
        g_autofree char *path = g_strdup_printf ("tags[%u]", i);

        add_whole_field (self, paras, path, 5, fields->tags[i], ROLE_TAG);
      }

  for (guint k = 0; k < paras->len; k++)
    add_local_findings (self, out, &g_array_index (paras, Para, k), orig);

  if (orig != NULL && pairs != NULL)
    {
      check_numbers (self, out, paras, orig, pairs);
      check_omissions (self, out, paras, fields->body, orig, pairs);
      check_short_translations (self, out, paras, orig, pairs);
      check_missing_code (self, out, paras, orig);
      check_glossary_terms (self, out, paras, orig, pairs);
    }
  check_variants (self, out, paras);
  check_repeated (self, out, paras);
  check_structure (self, out, fields);
  check_score (self, out, fields);

  drop_shadowed (out);
  g_ptr_array_sort (out, compare_findings);
  prune_cache (self);
  return out;
}

GPtrArray *
desk_qa_check_entry (DeskQa    *self,
                     DeskEntry *entry)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (DESK_IS_ENTRY (entry), NULL);

  return desk_qa_check (self, desk_entry_get_fields (entry), desk_entry_get_original (entry));
}

const char *
desk_qa_field_text (const DeskEditable *fields,
                    const char         *field)
{
  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (strcmp (field, "title") == 0)
    return fields->title;
  if (strcmp (field, "tldr") == 0)
    return fields->tldr;
  if (strcmp (field, "body") == 0)
    return fields->body;
  if (strcmp (field, "impact_analysis") == 0)
    return fields->impact_analysis;
  if (strcmp (field, "editorial_comment") == 0)
    return fields->editorial_comment;
  if (g_str_has_prefix (field, "key_points[") && fields->key_points != NULL)
    {
      char *end = NULL;
      guint64 i = g_ascii_strtoull (field + strlen ("key_points["), &end, 10);

      if (end != NULL && i < fields->key_points->len)
        {
          const DeskKeyPoint *kp = g_ptr_array_index (fields->key_points, i);

          if (strcmp (end, "].heading") == 0)
            return kp->heading;
          if (strcmp (end, "].body") == 0)
            return kp->body;
        }
      return NULL;
    }
  if (g_str_has_prefix (field, "tags[") && fields->tags != NULL)
    {
      char *end = NULL;
      guint64 i = g_ascii_strtoull (field + strlen ("tags["), &end, 10);

      if (end != NULL && strcmp (end, "]") == 0 && i < g_strv_length (fields->tags))
        return fields->tags[i];
    }
  return NULL;
}

/* Whether @a and @b are one field, or one is a part of the other
 * ("key_points" and "key_points[1].heading"). */
static gboolean
same_field (const char *a,
            const char *b)
{
  size_t la = strlen (a), lb = strlen (b);
  const char *longer = la >= lb ? a : b;
  size_t shorter = MIN (la, lb);

  if (strncmp (a, b, shorter) != 0)
    return FALSE;
  return la == lb || longer[shorter] == '.' || longer[shorter] == '[';
}

GPtrArray *
desk_qa_publish_problems (const DeskEditable *fields,
                          GPtrArray          *findings)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) errors = NULL;

  g_return_val_if_fail (fields != NULL, problems);

  errors = desk_editable_check_rules (fields, NULL);
  for (guint i = 0; i < errors->len; i++)
    {
      const DeskFieldError *e = g_ptr_array_index (errors, i);
      g_autofree char *name = desk_field_describe (e->field);

      /* Translators: a field's name, then what is wrong with it */
      g_ptr_array_add (problems, g_strdup_printf (_("%s: %s"), name, e->message));
    }
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const DeskQaFinding *f = g_ptr_array_index (findings, i);
      g_autofree char *line = NULL;
      gboolean named = FALSE;

      if (f->severity != DESK_QA_SEVERITY_ERROR)
        continue;
      for (guint k = 0; k < errors->len && !named && strcmp (f->check, "structure") == 0; k++)
        named = same_field (f->field, ((const DeskFieldError *) g_ptr_array_index (errors, k))->field);
      if (named)
        continue;
      line = g_strdup_printf (_("%s: %s"), desk_qa_check_title (f->check), f->message);
      /* The same problem found twice (a repeated sentence) is listed once. */
      if (!g_ptr_array_find_with_equal_func (problems, line, g_str_equal, NULL))
        g_ptr_array_add (problems, g_steal_pointer (&line));
    }
  return problems;
}
