/* desk-api-types.h: the Site API's other documents: config, glossary, account, entry pages, errors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-entry.h"

G_BEGIN_DECLS

/* GET /config */
typedef struct {
  DeskImportanceWeights weights;
  gint64                key_points_min;
  gint64                key_points_max;
  gint64                tldr_max_chars;
  gint64                title_max_chars;
  DeskHouseStyle        house_style;
  JsonObject           *extra;
} DeskSiteConfig;

#define DESK_TYPE_SITE_CONFIG (desk_site_config_get_type ())
GType           desk_site_config_get_type      (void);
/* The contract's example values (0.4/0.3/0.2/0.1, 3–7, 200, 120, desu-masu). */
DeskSiteConfig *desk_site_config_new_default   (void);
DeskSiteConfig *desk_site_config_copy          (const DeskSiteConfig *self);
void            desk_site_config_free          (DeskSiteConfig       *self);
/* Weights must be finite, 0–1 and not all 0; key point min ≤ max within
 * 0–10; lengths ≥ 1. Unknown top-level members are kept in @extra; unknown
 * members inside "importance_weights" and "key_points" are ignored. */
DeskSiteConfig *desk_site_config_new_from_json (JsonNode             *node,
                                                GError              **error);
JsonNode       *desk_site_config_to_json       (const DeskSiteConfig *self);

/* GET /glossary */
typedef struct {
  char       *source;     /* non-empty */
  char       *target;     /* non-empty */
  GStrv       forbidden;  /* never NULL; may be empty */
  char       *note;       /* never NULL; may be "" */
  JsonObject *extra;
} DeskGlossaryTerm;

typedef struct {
  gint64      revision;   /* 0 in a PUT body, which has none */
  GPtrArray  *terms;      /* of DeskGlossaryTerm* */
  JsonObject *extra;
} DeskGlossary;

#define DESK_TYPE_GLOSSARY_TERM (desk_glossary_term_get_type ())
#define DESK_TYPE_GLOSSARY      (desk_glossary_get_type ())
GType             desk_glossary_term_get_type  (void);
GType             desk_glossary_get_type       (void);
DeskGlossaryTerm *desk_glossary_term_new       (const char             *source,
                                                const char             *target);
DeskGlossaryTerm *desk_glossary_term_copy      (const DeskGlossaryTerm *self);
void              desk_glossary_term_free      (DeskGlossaryTerm       *self);
DeskGlossary     *desk_glossary_new            (void);
DeskGlossary     *desk_glossary_copy           (const DeskGlossary     *self);
void              desk_glossary_free           (DeskGlossary           *self);
/* @with_revision: TRUE for a GET response (revision required, ≥ 1), FALSE
 * for a PUT body (a "revision" member is allowed there and ignored, so a
 * client may send back what it got). At most 10 000 terms; sources unique. */
DeskGlossary     *desk_glossary_new_from_json  (JsonNode               *node,
                                                gboolean                with_revision,
                                                GError                **error);
JsonNode         *desk_glossary_to_json        (const DeskGlossary     *self,
                                                gboolean                with_revision);

/* GET /me */
typedef struct {
  char       *account;
  char       *display_name;
  char       *role;        /* "editor" or "pipeline" */
  JsonObject *extra;
} DeskAccount;

#define DESK_TYPE_ACCOUNT (desk_account_get_type ())
GType        desk_account_get_type     (void);
DeskAccount *desk_account_copy         (const DeskAccount *self);
void         desk_account_free         (DeskAccount       *self);
DeskAccount *desk_account_new_from_json (JsonNode         *node,
                                         GError          **error);
JsonNode    *desk_account_to_json      (const DeskAccount *self);

/* GET /entries: one page of the change feed. */
typedef struct {
  GPtrArray  *entries;    /* of DeskEntry* (summary form) */
  char       *cursor;
  gboolean    more;
  JsonObject *extra;
} DeskEntryPage;

#define DESK_TYPE_ENTRY_PAGE (desk_entry_page_get_type ())
GType          desk_entry_page_get_type      (void);
void           desk_entry_page_free          (DeskEntryPage *self);
DeskEntryPage *desk_entry_page_new_from_json (JsonNode      *node,
                                              GError       **error);
JsonNode      *desk_entry_page_to_json       (const DeskEntryPage *self);

/* Every error body: {"error": {"code", "message"}} plus "fields" (422),
 * "current" (412), "lock" (409 locked). */
typedef struct {
  char       *code;
  char       *message;
  GPtrArray  *fields;     /* of DeskFieldError*, or NULL */
  DeskEntry  *current;    /* or NULL */
  DeskLock   *lock;       /* or NULL */
  JsonObject *extra;
  /* "current" of a 412 on PUT /glossary is the glossary, not an entry:
   * then this is set and @current is NULL. */
  DeskGlossary *current_glossary;
} DeskApiError;

#define DESK_TYPE_API_ERROR (desk_api_error_get_type ())
GType         desk_api_error_get_type      (void);
DeskApiError *desk_api_error_new           (const char         *code,
                                            const char         *message);
DeskApiError *desk_api_error_copy          (const DeskApiError *self);
void          desk_api_error_free          (DeskApiError       *self);
DeskApiError *desk_api_error_new_from_json (JsonNode           *node,
                                            GError            **error);
JsonNode     *desk_api_error_to_json       (const DeskApiError *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskSiteConfig, desk_site_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskGlossaryTerm, desk_glossary_term_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskGlossary, desk_glossary_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskAccount, desk_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskEntryPage, desk_entry_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskApiError, desk_api_error_free)

G_END_DECLS
