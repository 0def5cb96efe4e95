/* desk-qa.h: translation QA, the checks that find machine-translation defects
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks compare an entry's Japanese fields with each other and with the
 * original they translate. Each finding names its check (a stable id), a
 * severity, the field and the span it points at (code points, and line and
 * column, both from 1), a translated message, and where the check can tell,
 * the text that should replace the span.
 *
 * DeskQa is incremental: what a check learns from one paragraph is kept,
 * keyed by the paragraph's text, so after a keystroke only the changed
 * paragraph and the entry-wide checks (alignment with the original,
 * numbers, omissions, notation variants, repetition, structure, scores) run
 * again. It is not thread-safe: use one per thread.
 */
#pragma once

#include "desk-api-types.h"

G_BEGIN_DECLS

typedef enum {
  DESK_QA_SEVERITY_ERROR,
  DESK_QA_SEVERITY_WARNING,
  DESK_QA_SEVERITY_INFO,
} DeskQaSeverity;

typedef struct {
  const char     *check;       /* a stable id, static: "prompt-leak", … */
  DeskQaSeverity  severity;
  char           *field;       /* "title", "body", "key_points[2].body", "tags[1]", "importance" */
  gsize           start;       /* code points from the start of the field's text */
  gsize           end;         /* exclusive; start == end for a position */
  gsize           byte_start;
  gsize           byte_end;
  guint           line;        /* from 1 */
  guint           column;      /* from 1, in code points */
  char           *text;        /* the field's text in [start, end) */
  char           *message;     /* translated, one sentence */
  char           *suggestion;  /* replacement for [start, end), "" to delete, or NULL */
  char           *original;    /* the original's passage concerned, or NULL */
} DeskQaFinding;

#define DESK_TYPE_QA_FINDING (desk_qa_finding_get_type ())

GType           desk_qa_finding_get_type      (void);
DeskQaFinding  *desk_qa_finding_copy          (const DeskQaFinding *self);
void            desk_qa_finding_free          (DeskQaFinding       *self);

/* "error", "warning", "info". */
const char     *desk_qa_severity_to_string    (DeskQaSeverity       severity);

/* The ids of every check, in a stable order, NULL-terminated. */
const char * const *desk_qa_check_ids         (void);
gboolean        desk_qa_check_id_is_valid     (const char          *id);
/* A short translated name for the check ("プロンプトの混入"). */
const char     *desk_qa_check_title           (const char          *id);
/* Its default severity (the most severe it reports). */
DeskQaSeverity  desk_qa_check_severity        (const char          *id);

typedef struct _DeskQa DeskQa;

DeskQa         *desk_qa_new                   (void);
void            desk_qa_free                  (DeskQa              *self);

/* The site's rules (limits, weights, house style); NULL: the contract's
 * defaults. Copied. */
void            desk_qa_set_config            (DeskQa              *self,
                                               const DeskSiteConfig *config);
/* Overrides the config's house style (the editor's preference, or the
 * lint's --house-style). */
void            desk_qa_set_house_style       (DeskQa              *self,
                                               DeskHouseStyle       style);
void            desk_qa_unset_house_style     (DeskQa              *self);
/* NULL: no glossary. Copied. */
void            desk_qa_set_glossary          (DeskQa              *self,
                                               const DeskGlossary  *glossary);
/* The checks to run; NULL (the default) runs every check. Unknown ids are
 * ignored. */
void            desk_qa_set_enabled_checks    (DeskQa              *self,
                                               const char * const  *ids);
/* Reports the findings of check @id at @severity instead of its default
 * (the preferences' per-check setting). */
void            desk_qa_set_check_severity    (DeskQa              *self,
                                               const char          *id,
                                               DeskQaSeverity       severity);
void            desk_qa_reset_check_severity  (DeskQa              *self,
                                               const char          *id);
/* Findings the editor has set aside, as (check id, text) pairs: a finding
 * of that check whose text is that text is left out. Replaces the list. */
void            desk_qa_set_ignored           (DeskQa              *self,
                                               GPtrArray           *check_ids,
                                               GPtrArray           *texts);

/* Checks @fields (the editable fields; title, body, tldr, tags, importance,
 * key points and impact analysis are checked when present) against
 * @original (may be NULL: no comparison with the original). Returns the
 * findings (DeskQaFinding*), sorted by field order then position. */
GPtrArray      *desk_qa_check                 (DeskQa              *self,
                                               const DeskEditable  *fields,
                                               const DeskOriginal  *original);
GPtrArray      *desk_qa_check_entry           (DeskQa              *self,
                                               DeskEntry           *entry);

/* What a publication should not hide, one translated line each ("TL;DR:
 * …"): the contract's rules on @fields (what the site would refuse), then
 * the errors among @findings (may be NULL). A structure error on a field
 * the rules already name, or on a part or whole of it, is left out, and
 * the same line is listed once. */
GPtrArray      *desk_qa_publish_problems      (const DeskEditable  *fields,
                                               GPtrArray           *findings);

/* What the last check did: paragraphs checked afresh and paragraphs whose
 * results came from the cache (for the incremental tests and benchmark). */
void            desk_qa_get_last_stats        (DeskQa              *self,
                                               guint               *n_checked,
                                               guint               *n_cached);

/* Counts the findings of @severity. */
guint           desk_qa_count                 (GPtrArray           *findings,
                                               DeskQaSeverity       severity);

/* Where the field named by a finding's @field is in @fields: its text, or
 * NULL for a field without text ("importance", "key_points"). */
const char     *desk_qa_field_text            (const DeskEditable  *fields,
                                               const char          *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskQaFinding, desk_qa_finding_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskQa, desk_qa_free)

G_END_DECLS
