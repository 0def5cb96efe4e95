/* desk-inspector.h: the metadata inspector of the review workspace (tags, importance, key points, impact, comment)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-api-types.h"

G_BEGIN_DECLS

#define DESK_INSPECTOR_ERROR (desk_inspector_error_quark ())

typedef enum {
  DESK_INSPECTOR_ERROR_EMPTY,      /* the tag is empty after stripping */
  DESK_INSPECTOR_ERROR_INVALID,    /* the tag contains '#' */
  DESK_INSPECTOR_ERROR_DUPLICATE,  /* the tag is there already */
  DESK_INSPECTOR_ERROR_TOO_MANY,   /* the contract's 10 tags are there */
  DESK_INSPECTOR_ERROR_READ_ONLY,  /* the inspector is read-only */
} DeskInspectorError;

/* The fields the inspector edits. */
#define DESK_INSPECTOR_FIELDS (DESK_FIELD_TAGS | DESK_FIELD_IMPORTANCE | DESK_FIELD_KEY_POINTS | \
                               DESK_FIELD_IMPACT_ANALYSIS | DESK_FIELD_EDITORIAL_COMMENT)

#define DESK_TYPE_INSPECTOR (desk_inspector_get_type ())
G_DECLARE_FINAL_TYPE (DeskInspector, desk_inspector, DESK, INSPECTOR, GtkWidget)

GQuark         desk_inspector_error_quark      (void);

DeskInspector *desk_inspector_new              (void);
/* The importance weights and the key point limits; NULL = the contract's
 * defaults. */
void           desk_inspector_set_config       (DeskInspector        *self,
                                                const DeskSiteConfig *config);
/* Loads the DESK_INSPECTOR_FIELDS of @fields (absent ones read as empty)
 * without emitting ::changed. */
void           desk_inspector_set_fields       (DeskInspector        *self,
                                                const DeskEditable   *fields,
                                                gboolean              read_only);
gboolean       desk_inspector_get_read_only    (DeskInspector        *self);
/* The current values: the DESK_INSPECTOR_FIELDS present, nothing else. */
DeskEditable  *desk_inspector_get_fields       (DeskInspector        *self);

/* What the controls do, for scripts and tests; each emits ::changed when it
 * changes something. */
/* Strips whitespace and a leading '#'; refuses an empty tag, a '#' inside,
 * a duplicate (compared after NFKC and case folding) and an 11th tag. */
gboolean       desk_inspector_add_tag          (DeskInspector        *self,
                                                const char           *tag,
                                                GError              **error);
gboolean       desk_inspector_remove_tag       (DeskInspector        *self,
                                                const char           *tag);
void           desk_inspector_move_key_point   (DeskInspector        *self,
                                                guint                 from,
                                                guint                 to);
/* @name: "depth", "relevance", "practicality", "innovation" or "overall";
 * @value 1–5. */
void           desk_inspector_set_sub_score    (DeskInspector        *self,
                                                const char           *name,
                                                int                   value);
/* Sets overall to desk_importance_suggest() of the four members. */
void           desk_inspector_use_suggestion   (DeskInspector        *self);

/* Replaces "impact_analysis" or "editorial_comment" as if typed (for
 * win.set-field); FALSE for another name or when read-only. */
gboolean       desk_inspector_set_text       (DeskInspector        *self,
                                              const char           *field,
                                              const char           *text);

G_END_DECLS
