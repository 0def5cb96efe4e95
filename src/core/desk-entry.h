/* desk-entry.h: one digest entry of the Site API, and its JSON forms
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-entry-parts.h"

G_BEGIN_DECLS

#define DESK_TYPE_ENTRY (desk_entry_get_type ())
G_DECLARE_FINAL_TYPE (DeskEntry, desk_entry, DESK, ENTRY, GObject)

/* Properties (all notify only on change, G_PARAM_EXPLICIT_NOTIFY):
 * "id", "revision" (int64), "status" (DeskEntryStatus), "kind"
 * (DeskEntryKind), "source" (DeskSource), "collected-at", "analyzed-at",
 * "updated-at" (strings), "reading-minutes" (int64), "original"
 * (DeskOriginal), "title", "body", "tldr", "tags" (GStrv), "importance"
 * (DeskImportance), "key-points" (GPtrArray of DeskKeyPoint, boxed as
 * G_TYPE_PTR_ARRAY), "impact-analysis", "editorial-comment", "machine"
 * (DeskEditable), "lock" (DeskLock, nullable), "published" (DeskPublished,
 * nullable). */

DeskEntry            *desk_entry_new                   (const char            *id);

/* Strict reading of one entry in @form from a parsed node, or from raw
 * bytes (parsed with the contract's 8 MiB / 64-level caps). Every failure is
 * a DESK_JSON_ERROR whose message starts with the field path
 * ("key_points[2].heading: must not be empty"). Members the form does not
 * allow are refused (a pipeline entry with "status", …); members nobody knows
 * are kept and written back. In the pipeline form the editable fields are
 * set to copies of machine (editorial_comment ""), status is incoming and
 * revision 0 until the server assigns them; a null or absent
 * reading_minutes reads as -1 (written back as null). An entry read from a
 * summary has no body (desk_entry_get_body() is NULL, the fields lack
 * DESK_FIELD_BODY) and no machine. */
DeskEntry            *desk_entry_new_from_json         (JsonNode              *node,
                                                        DeskEntryForm          form,
                                                        GError               **error);
DeskEntry            *desk_entry_new_from_data         (const char            *data,
                                                        gssize                 length,
                                                        DeskEntryForm          form,
                                                        GError               **error);
JsonNode             *desk_entry_to_json               (DeskEntry             *self,
                                                        DeskEntryForm          form);
char                 *desk_entry_to_data               (DeskEntry             *self,
                                                        DeskEntryForm          form,
                                                        gboolean               pretty,
                                                        gsize                 *length);
DeskEntry            *desk_entry_copy                  (DeskEntry             *self);

const char           *desk_entry_get_id                (DeskEntry             *self);
gint64                desk_entry_get_revision          (DeskEntry             *self);
void                  desk_entry_set_revision          (DeskEntry             *self,
                                                        gint64                 revision);
DeskEntryStatus       desk_entry_get_status            (DeskEntry             *self);
void                  desk_entry_set_status            (DeskEntry             *self,
                                                        DeskEntryStatus        status);
DeskEntryKind         desk_entry_get_kind              (DeskEntry             *self);
void                  desk_entry_set_kind              (DeskEntry             *self,
                                                        DeskEntryKind          kind);
const DeskSource     *desk_entry_get_source            (DeskEntry             *self);
void                  desk_entry_set_source            (DeskEntry             *self,
                                                        const DeskSource      *source);
const char           *desk_entry_get_collected_at      (DeskEntry             *self);
void                  desk_entry_set_collected_at      (DeskEntry             *self,
                                                        const char            *rfc3339);
const char           *desk_entry_get_analyzed_at       (DeskEntry             *self);
void                  desk_entry_set_analyzed_at       (DeskEntry             *self,
                                                        const char            *rfc3339);
const char           *desk_entry_get_updated_at        (DeskEntry             *self);
void                  desk_entry_set_updated_at        (DeskEntry             *self,
                                                        const char            *rfc3339);
gint64                desk_entry_get_reading_minutes   (DeskEntry             *self);
void                  desk_entry_set_reading_minutes   (DeskEntry             *self,
                                                        gint64                 minutes);
const DeskOriginal   *desk_entry_get_original          (DeskEntry             *self);
void                  desk_entry_set_original          (DeskEntry             *self,
                                                        const DeskOriginal    *original);

/* The editable fields, all present (but body, after reading a summary). */
const DeskEditable   *desk_entry_get_fields            (DeskEntry             *self);
/* Sets every field present in @fields, notifying each that changed. */
void                  desk_entry_apply_fields          (DeskEntry             *self,
                                                        const DeskEditable    *fields);
const char           *desk_entry_get_title             (DeskEntry             *self);
const char           *desk_entry_get_body              (DeskEntry             *self);
const char           *desk_entry_get_tldr              (DeskEntry             *self);
const char * const   *desk_entry_get_tags              (DeskEntry             *self);
const DeskImportance *desk_entry_get_importance        (DeskEntry             *self);
GPtrArray            *desk_entry_get_key_points        (DeskEntry             *self);
const char           *desk_entry_get_impact_analysis   (DeskEntry             *self);
const char           *desk_entry_get_editorial_comment (DeskEntry             *self);

/* The machine snapshot (never changed after creation); NULL in summaries. */
const DeskEditable   *desk_entry_get_machine           (DeskEntry             *self);
void                  desk_entry_set_machine           (DeskEntry             *self,
                                                        const DeskEditable    *machine);

const DeskLock       *desk_entry_get_lock              (DeskEntry             *self);
void                  desk_entry_set_lock              (DeskEntry             *self,
                                                        const DeskLock        *lock);
const DeskPublished  *desk_entry_get_published         (DeskEntry             *self);
void                  desk_entry_set_published         (DeskEntry             *self,
                                                        const DeskPublished   *published);

/* The path of the first member nobody knows that reading kept (for a server
 * that must refuse them: "source.x", "machine.key_points[1].y"), or NULL. */
char                 *desk_entry_dup_unknown_member_path (DeskEntry           *self);

/* The ETag value of this revision, quotes included: "\"3\"". */
char                 *desk_entry_dup_etag              (DeskEntry             *self);

G_END_DECLS
