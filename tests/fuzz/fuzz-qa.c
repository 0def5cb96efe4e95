/* fuzz-qa.c: fuzz target for the QA engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a translation (used as body, TL;DR, title, key point and impact
 * analysis), a NUL byte, and the original's HTML. Checks that every
 * finding points inside its field, that its offsets, text, line and column
 * agree, and that an incremental re-check after an edit gives what a fresh
 * engine gives.
 */
#include <stdio.h>

#include "desk-core.h"

#include "fuzz-common.h"

static void
check_findings (const DeskEditable *fields,
                GPtrArray          *findings)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const DeskQaFinding *f = g_ptr_array_index (findings, i);
      const char *text = desk_qa_field_text (fields, f->field);

      FUZZ_CHECK (desk_qa_check_id_is_valid (f->check), "finding %u: check %s", i, f->check);
      FUZZ_CHECK (f->message != NULL && *f->message != '\0', "finding %u: no message", i);
      FUZZ_CHECK (f->start <= f->end, "finding %u runs backwards", i);
      FUZZ_CHECK (f->line >= 1 && f->column >= 1, "finding %u: line %u column %u", i, f->line, f->column);
      FUZZ_CHECK (f->suggestion == NULL || g_utf8_validate (f->suggestion, -1, NULL), "finding %u: suggestion", i);
      if (text == NULL)
        continue;
      FUZZ_CHECK (f->end <= (gsize) g_utf8_strlen (text, -1), "finding %u ends at %zu past the field", i, f->end);
      FUZZ_CHECK (f->byte_end <= strlen (text) && f->byte_start <= f->byte_end, "finding %u: bytes", i);
      FUZZ_CHECK (strlen (f->text) == f->byte_end - f->byte_start &&
                  memcmp (text + f->byte_start, f->text, strlen (f->text)) == 0,
                  "finding %u: text is not the span", i);
      FUZZ_CHECK ((gsize) g_utf8_pointer_to_offset (text, text + f->byte_start) == f->start,
                  "finding %u: byte and code point starts disagree", i);
      {
        guint line = 1, column = 1;

        for (const char *p = text; p < text + f->byte_start; p = g_utf8_next_char (p))
          {
            if (*p == '\n')
              line++, column = 1;
            else if (*p != '\r' || p[1] != '\n')
              column++;
          }
        FUZZ_CHECK (line == f->line, "finding %u (%s): line %u, expected %u", i, f->check, f->line, line);
      }
    }
}

static void
assert_same (GPtrArray *a,
             GPtrArray *b)
{
  FUZZ_CHECK (a->len == b->len, "incremental %u findings, fresh %u", a->len, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const DeskQaFinding *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, i);

      FUZZ_CHECK (strcmp (x->check, y->check) == 0 && strcmp (x->field, y->field) == 0 &&
                  x->start == y->start && x->end == y->end && x->line == y->line &&
                  x->column == y->column && g_strcmp0 (x->suggestion, y->suggestion) == 0,
                  "finding %u differs: %s %s %zu-%zu / %s %s %zu-%zu", i,
                  x->check, x->field, x->start, x->end, y->check, y->field, y->start, y->end);
    }
}

static DeskEditable *
fields_from (const char *text)
{
  DeskEditable *fields = desk_editable_new ();

  fields->present = DESK_FIELDS_MACHINE;
  fields->title = g_strdup (text);
  fields->body = g_strdup (text);
  fields->tldr = g_strdup (text);
  fields->tags = g_strsplit (text, "\n", 12);
  fields->importance.overall = (strlen (text) % 7);
  fields->importance.depth = 3;
  fields->importance.relevance = 1;
  fields->importance.practicality = 5;
  fields->importance.innovation = 2;
  fields->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
  g_ptr_array_add (fields->key_points, desk_key_point_new (text, text));
  fields->impact_analysis = g_strdup (text);
  return fields;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *sep;
  size_t t_size;
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autoptr(DeskQa) qa = NULL;
  g_autoptr(DeskGlossary) glossary = desk_glossary_new ();
  g_autoptr(DeskEditable) fields = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  DeskOriginal original = { NULL, NULL, NULL };
  DeskGlossaryTerm *term;

  fuzz_setup ();
  if (size > 64 * 1024)
    return 0;

  sep = memchr (data, '\0', size);
  t_size = sep != NULL ? (size_t) (sep - data) : size;
  raw = g_strndup ((const char *) data, t_size);
  text = g_utf8_make_valid (raw, -1);
  html = sep != NULL ? g_strndup ((const char *) sep + 1, size - t_size - 1) : g_strdup ("<p>1 2 three</p>");
  original.html = html;

  term = desk_glossary_term_new ("frontier model", "フロンティアモデル");
  g_strfreev (term->forbidden);
  term->forbidden = g_strsplit ("辺境モデル,最先端境界モデル", ",", -1);
  g_ptr_array_add (glossary->terms, term);

  qa = desk_qa_new ();
  desk_qa_set_glossary (qa, glossary);
  fields = fields_from (text);
  first = desk_qa_check (qa, fields, &original);
  check_findings (fields, first);

  /* An edit in the middle of the body, checked incrementally and afresh. */
  {
    gsize half = strlen (fields->body) / 2;
    const char *at = g_utf8_find_prev_char (fields->body, fields->body + half + 1);
    gsize cut = at != NULL ? (gsize) (at - fields->body) : 0;
    g_autofree char *edited = g_strdup_printf ("%.*s。x%s", (int) cut, fields->body, fields->body + cut);
    g_autoptr(DeskQa) other = desk_qa_new ();

    g_free (fields->body);
    fields->body = g_steal_pointer (&edited);
    second = desk_qa_check (qa, fields, &original);
    check_findings (fields, second);
    desk_qa_set_glossary (other, glossary);
    fresh = desk_qa_check (other, fields, &original);
    assert_same (second, fresh);
  }
  return 0;
}
