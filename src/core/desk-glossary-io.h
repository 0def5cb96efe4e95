/* desk-glossary-io.h: glossary import and export: CSV (RFC 4180) and textlint-rule-prh dictionaries
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-api-types.h"

G_BEGIN_DECLS

#define DESK_GLOSSARY_IO_ERROR (desk_glossary_io_error_quark ())

typedef enum {
  DESK_GLOSSARY_IO_ERROR_SYNTAX,      /* not CSV / not the YAML subset; the message names the line */
  DESK_GLOSSARY_IO_ERROR_INVALID,     /* well formed, but not a glossary (empty source, bad prh version, …) */
  DESK_GLOSSARY_IO_ERROR_UNSUPPORTED, /* YAML or prh features this reader does not follow
                                       * (anchors, tags, flow mappings, imports) */
} DeskGlossaryIoError;

GQuark desk_glossary_io_error_quark (void);

/* Input larger than this is refused (a glossary holds at most 10 000 terms). */
#define DESK_GLOSSARY_IO_MAX_INPUT ((gsize) 8 * 1024 * 1024)

/* CSV with the columns source,target,forbidden,note: RFC 4180 quoting
 * (fields with commas, quotes or line breaks in double quotes, a quote
 * doubled), CRLF or LF line ends, an optional UTF-8 BOM and an optional
 * header row "source,target,forbidden,note". Forbidden variants are
 * separated by "|". Each row has 2 to 4 fields; source and target must not
 * be empty; sources must be unique. Blank lines are skipped.
 *
 * Returns the terms (DeskGlossaryTerm*) in file order; errors name the line. */
GPtrArray *desk_glossary_csv_parse  (const char       *text,
                                     gssize            length,
                                     GError          **error);
/* The header row and one row per term, CRLF line ends as RFC 4180 says.
 * Fails when a forbidden variant contains "|", which the format cannot hold. */
char      *desk_glossary_csv_write  (GPtrArray        *terms,
                                     GError          **error);

/* A textlint-rule-prh dictionary (prh.yml): "version: 1" and "rules:", each
 * rule with "expected:", optional "pattern:" (a string or a list; "/…/flags"
 * is a regular expression), optional "specs:", "options:" and "prh:" (a
 * description). Each rule becomes a term with source and target = expected
 * and forbidden = its literal patterns other than expected; the regular
 * expressions cannot be glossary variants and are kept in the note
 * ("prh: /…/"), counted in @n_regex. Rules with the same expected are
 * merged. "imports:" is refused (import each file instead).
 *
 * The YAML read is a subset: block mappings and sequences, plain, single-
 * and double-quoted scalars, flow sequences of scalars ([a, b]), literal
 * and folded block scalars (| and >), comments and "---". Anchors, aliases,
 * tags, flow mappings and multi-line plain scalars are errors. */
GPtrArray *desk_glossary_prh_parse  (const char       *text,
                                     gssize            length,
                                     guint            *n_regex,
                                     GError          **error);

typedef enum {
  /* CSV: a term with the same source is replaced. */
  DESK_GLOSSARY_MERGE_REPLACE,
  /* prh: a term whose target (else source) is the imported target gains
   * the imported forbidden variants; its source, target and note stay. */
  DESK_GLOSSARY_MERGE_ADD_VARIANTS,
} DeskGlossaryMerge;

/* Merges @terms into @glossary (its terms are changed in place, new ones
 * appended); @n_added and @n_updated may be NULL. */
void       desk_glossary_merge_terms (DeskGlossary     *glossary,
                                      GPtrArray        *terms,
                                      DeskGlossaryMerge mode,
                                      guint            *n_added,
                                      guint            *n_updated);

G_END_DECLS
