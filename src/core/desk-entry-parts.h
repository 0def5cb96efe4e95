/* desk-entry-parts.h: the parts of a digest entry, as boxed types, and their JSON
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- enums ------------------------------------------------------------ */

typedef enum {
  DESK_ENTRY_STATUS_INCOMING,
  DESK_ENTRY_STATUS_IN_REVIEW,
  DESK_ENTRY_STATUS_APPROVED,
  DESK_ENTRY_STATUS_PUBLISHED,
  DESK_ENTRY_STATUS_REJECTED,
} DeskEntryStatus;

typedef enum {
  DESK_ENTRY_KIND_ARTICLE,
  DESK_ENTRY_KIND_PAPER,
  DESK_ENTRY_KIND_VIDEO,
} DeskEntryKind;

typedef enum {
  DESK_HOUSE_STYLE_DESU_MASU,
  DESK_HOUSE_STYLE_DE_ARU,
  DESK_HOUSE_STYLE_ANY,
} DeskHouseStyle;

/* Which JSON form of an entry is read or written (see site-api.md). */
typedef enum {
  DESK_ENTRY_FORM_FULL,     /* GET /entries/<id> */
  DESK_ENTRY_FORM_SUMMARY,  /* no original.html, body, machine */
  DESK_ENTRY_FORM_PIPELINE, /* POST /entries: no revision, status, lock,
                             * published, updated_at, editable fields */
} DeskEntryForm;

/* The editable fields, as flags: which members a DeskEditable holds. */
typedef enum {
  DESK_FIELD_TITLE             = 1 << 0,
  DESK_FIELD_BODY              = 1 << 1,
  DESK_FIELD_TLDR              = 1 << 2,
  DESK_FIELD_TAGS              = 1 << 3,
  DESK_FIELD_IMPORTANCE        = 1 << 4,
  DESK_FIELD_KEY_POINTS        = 1 << 5,
  DESK_FIELD_IMPACT_ANALYSIS   = 1 << 6,
  DESK_FIELD_EDITORIAL_COMMENT = 1 << 7,
} DeskFields;

#define DESK_FIELDS_MACHINE (DESK_FIELD_TITLE | DESK_FIELD_BODY | DESK_FIELD_TLDR | \
                             DESK_FIELD_TAGS | DESK_FIELD_IMPORTANCE |             \
                             DESK_FIELD_KEY_POINTS | DESK_FIELD_IMPACT_ANALYSIS)
#define DESK_FIELDS_ALL     (DESK_FIELDS_MACHINE | DESK_FIELD_EDITORIAL_COMMENT)

#define DESK_TYPE_ENTRY_STATUS (desk_entry_status_get_type ())
#define DESK_TYPE_ENTRY_KIND   (desk_entry_kind_get_type ())
#define DESK_TYPE_HOUSE_STYLE  (desk_house_style_get_type ())
#define DESK_TYPE_FIELDS       (desk_fields_get_type ())
GType        desk_entry_status_get_type     (void);
GType        desk_entry_kind_get_type       (void);
GType        desk_house_style_get_type      (void);
GType        desk_fields_get_type           (void);

/* Wire names: "incoming", "in_review", …; "article", …; "desu-masu", …;
 * "title", "key_points", "impact_analysis", … (one flag only). */
const char  *desk_entry_status_to_string    (DeskEntryStatus  status);
gboolean     desk_entry_status_from_string  (const char      *str,
                                             DeskEntryStatus *status);
const char  *desk_entry_kind_to_string      (DeskEntryKind    kind);
gboolean     desk_entry_kind_from_string    (const char      *str,
                                             DeskEntryKind   *kind);
const char  *desk_house_style_to_string     (DeskHouseStyle   style);
gboolean     desk_house_style_from_string   (const char      *str,
                                             DeskHouseStyle  *style);
const char  *desk_field_to_string           (DeskFields       field);
gboolean     desk_field_from_string         (const char      *str,
                                             DeskFields      *field);

/* The contract's transitions for POST /status (incoming→in_review|rejected,
 * in_review→approved|rejected, approved→in_review|rejected,
 * rejected→in_review). */
gboolean     desk_entry_status_can_change   (DeskEntryStatus  from,
                                             DeskEntryStatus  to);

/* Value checks shared by readers and the server. */
gboolean     desk_entry_id_is_valid         (const char      *id);   /* 1–128 of [A-Za-z0-9._-] */
gboolean     desk_rfc3339_is_valid          (const char      *str);  /* with offset or Z */
gboolean     desk_language_tag_is_valid     (const char      *str);  /* BCP 47 syntax */
gboolean     desk_http_url_is_valid         (const char      *str);  /* absolute http(s) */
/* Now, as RFC 3339 with the local offset and whole seconds. */
char        *desk_rfc3339_now               (void);
char        *desk_rfc3339_from_date_time    (GDateTime       *dt);

/* Every boxed part keeps the members it does not know in @extra (NULL when
 * none), and writes them back unchanged after the known ones. */

/* ---- importance ---------------------------------------------------------- */

typedef struct {
  gint64      overall;
  gint64      depth;
  gint64      relevance;
  gint64      practicality;
  gint64      innovation;
  JsonObject *extra;
} DeskImportance;

typedef struct {
  double depth;
  double relevance;
  double practicality;
  double innovation;
} DeskImportanceWeights;

#define DESK_TYPE_IMPORTANCE (desk_importance_get_type ())
GType           desk_importance_get_type   (void);
DeskImportance *desk_importance_copy       (const DeskImportance *self);
void            desk_importance_free       (DeskImportance       *self);
void            desk_importance_copy_into  (DeskImportance       *dest,
                                            const DeskImportance *src);  /* dest's old extra freed */
void            desk_importance_clear      (DeskImportance       *self); /* frees extra, zeroes */
gboolean        desk_importance_equal      (const DeskImportance *a,
                                            const DeskImportance *b);
/* The contract's defaults: 0.4, 0.3, 0.2, 0.1. */
void            desk_importance_weights_init_default (DeskImportanceWeights *weights);
/* The weighted mean of the four members (weights normalised by their sum),
 * rounded half down: (5,5,3,4) with the default weights → 4.5 → 4. The
 * result is clamped to 1–5. */
double          desk_importance_weighted_mean (const DeskImportance        *self,
                                               const DeskImportanceWeights *weights);
int             desk_importance_suggest       (const DeskImportance        *self,
                                               const DeskImportanceWeights *weights);

/* ---- key point ----------------------------------------------------------- */

typedef struct {
  char       *heading;
  char       *body;
  JsonObject *extra;
} DeskKeyPoint;

#define DESK_TYPE_KEY_POINT (desk_key_point_get_type ())
GType         desk_key_point_get_type (void);
DeskKeyPoint *desk_key_point_new      (const char         *heading,
                                       const char         *body);
DeskKeyPoint *desk_key_point_copy     (const DeskKeyPoint *self);
void          desk_key_point_free     (DeskKeyPoint       *self);
gboolean      desk_key_point_equal    (const DeskKeyPoint *a,
                                       const DeskKeyPoint *b);

/* ---- source, original, lock, published ----------------------------------- */

typedef struct {
  char       *name;
  char       *url;
  char       *published_at;  /* RFC 3339, or NULL (JSON null) */
  char       *language;      /* BCP 47 */
  JsonObject *extra;
} DeskSource;

typedef struct {
  char       *title;
  char       *html;   /* NULL in the summary form */
  JsonObject *extra;
} DeskOriginal;

typedef struct {
  char       *editor;
  char       *acquired_at;
  char       *expires_at;
  JsonObject *extra;
} DeskLock;

typedef struct {
  char       *url;
  char       *at;
  JsonObject *extra;
} DeskPublished;

#define DESK_TYPE_SOURCE    (desk_source_get_type ())
#define DESK_TYPE_ORIGINAL  (desk_original_get_type ())
#define DESK_TYPE_LOCK      (desk_lock_get_type ())
#define DESK_TYPE_PUBLISHED (desk_published_get_type ())
GType          desk_source_get_type    (void);
GType          desk_original_get_type  (void);
GType          desk_lock_get_type      (void);
GType          desk_published_get_type (void);
DeskSource    *desk_source_copy        (const DeskSource    *self);
void           desk_source_free        (DeskSource          *self);
DeskOriginal  *desk_original_copy      (const DeskOriginal  *self);
void           desk_original_free      (DeskOriginal        *self);
DeskLock      *desk_lock_new           (const char          *editor,
                                        const char          *acquired_at,
                                        const char          *expires_at);
DeskLock      *desk_lock_copy          (const DeskLock      *self);
void           desk_lock_free          (DeskLock            *self);
DeskPublished *desk_published_new      (const char          *url,
                                        const char          *at);
DeskPublished *desk_published_copy     (const DeskPublished *self);
void           desk_published_free     (DeskPublished       *self);
/* NULL-safe; members and extra compared. */
gboolean       desk_source_equal       (const DeskSource    *a,
                                        const DeskSource    *b);
gboolean       desk_original_equal     (const DeskOriginal  *a,
                                        const DeskOriginal  *b);
gboolean       desk_lock_equal         (const DeskLock      *a,
                                        const DeskLock      *b);
gboolean       desk_published_equal    (const DeskPublished *a,
                                        const DeskPublished *b);

/* Strict readers: @path is the field path used in error messages
 * ("source", "lock", …). Writers return a new JSON object node. */
DeskSource    *desk_source_new_from_json    (JsonNode *node, const char *path, GError **error);
DeskOriginal  *desk_original_new_from_json  (JsonNode *node, const char *path,
                                             gboolean  with_html, GError **error);
DeskLock      *desk_lock_new_from_json      (JsonNode *node, const char *path, GError **error);
DeskPublished *desk_published_new_from_json (JsonNode *node, const char *path, GError **error);
JsonNode      *desk_source_to_json          (const DeskSource    *self);
JsonNode      *desk_original_to_json        (const DeskOriginal  *self,
                                             gboolean             with_html);
JsonNode      *desk_lock_to_json            (const DeskLock      *self);
JsonNode      *desk_published_to_json       (const DeskPublished *self);

/* ---- the editable fields ------------------------------------------------- */

/* A set of editable fields: the entry's current values, the machine
 * snapshot, or a PATCH body (any subset). @present says which members are
 * set; the others are NULL/0 and not written. */
typedef struct {
  DeskFields      present;
  char           *title;
  char           *body;
  char           *tldr;
  GStrv           tags;
  DeskImportance  importance;
  GPtrArray      *key_points;        /* of DeskKeyPoint*, owns them */
  char           *impact_analysis;
  char           *editorial_comment;
  JsonObject     *extra;             /* unknown members (not in PATCH) */
} DeskEditable;

#define DESK_TYPE_EDITABLE (desk_editable_get_type ())
GType         desk_editable_get_type (void);
DeskEditable *desk_editable_new      (void);
DeskEditable *desk_editable_copy     (const DeskEditable *self);
void          desk_editable_free     (DeskEditable       *self);
/* Copies the members of @src that are present into @dest (marking them
 * present there). */
void          desk_editable_merge    (DeskEditable       *dest,
                                      const DeskEditable *src);
/* The fields whose values differ (a field present in one and absent in the
 * other differs). */
DeskFields    desk_editable_diff     (const DeskEditable *a,
                                      const DeskEditable *b);
gboolean      desk_editable_field_equal (const DeskEditable *a,
                                         const DeskEditable *b,
                                         DeskFields          field);
/* Same present fields with equal values, and equal extra. NULL-safe. */
gboolean      desk_editable_equal       (const DeskEditable *a,
                                         const DeskEditable *b);

/* Reads an object of editable fields. @required: the members that must be
 * there; @allowed: the members that may be (others give
 * DESK_JSON_ERROR_UNKNOWN, e.g. "status: not an editable field"). Unknown
 * members are an error when @keep_unknown is FALSE, else kept in @extra.
 * Only types and hard limits are checked here (strings, integers within
 * ±2^53, arrays of at most 100 tags or key points); see check_rules. */
DeskEditable *desk_editable_new_from_json (JsonNode    *node,
                                           const char  *path,
                                           DeskFields   required,
                                           DeskFields   allowed,
                                           gboolean     keep_unknown,
                                           GError     **error);
/* Writes the present members, in contract order, then @extra. */
JsonNode     *desk_editable_to_json       (const DeskEditable *self);

/* The contract's editorial rules for the present members: title non-empty;
 * tags 1–10, each non-empty without '#'; each importance member (overall
 * included) an integer 1–5; key points 0–10, heading and body non-empty.
 * Returns an array of DeskFieldError (empty when all is well); the field
 * paths are those of the contract: "tags[3]", "importance.depth",
 * "key_points[2].heading". @prefix is prepended ("machine.") or NULL. */
typedef struct {
  char *field;
  char *message;
} DeskFieldError;

#define DESK_TYPE_FIELD_ERROR (desk_field_error_get_type ())
GType           desk_field_error_get_type (void);
DeskFieldError *desk_field_error_new      (const char           *field,
                                           const char           *message);
DeskFieldError *desk_field_error_copy     (const DeskFieldError *self);
void            desk_field_error_free     (DeskFieldError       *self);
GPtrArray      *desk_editable_check_rules (const DeskEditable   *self,
                                           const char           *prefix);
/* A field's name for the editor, translated: "title" → "Title",
 * "tags[2]" → "Tag 3", "key_points[0].heading" → "Key point 1, heading",
 * "importance.depth" → "Depth". Unknown ids come back as they are. */
char           *desk_field_describe       (const char           *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskImportance, desk_importance_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskKeyPoint, desk_key_point_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskSource, desk_source_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskOriginal, desk_original_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskLock, desk_lock_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskPublished, desk_published_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskEditable, desk_editable_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskFieldError, desk_field_error_free)

G_END_DECLS
