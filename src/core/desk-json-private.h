/* desk-json-private.h: member readers and writers shared by the core's strict JSON readers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-json.h"
#include "desk-entry-parts.h"
#include "desk-entry.h"
#include "desk-api-types.h"

G_BEGIN_DECLS

typedef enum {
  DESK_READ_OPTIONAL = 0,
  DESK_READ_REQUIRED = 1 << 0,  /* absent: MISSING "path: required" */
  DESK_READ_NULLABLE = 1 << 1,  /* JSON null reads as NULL / is_null */
} DeskReadFlags;

/* TYPE "path: must be an object" unless @node is an object. */
JsonObject *desk_json_expect_object  (JsonNode      *node,
                                      const char    *path,
                                      GError       **error);
JsonArray  *desk_json_expect_array   (JsonNode      *node,
                                      const char    *path,
                                      GError       **error);
gboolean    desk_json_node_is_int    (JsonNode      *node);
gboolean    desk_json_node_is_string (JsonNode      *node);

/* Member readers. An absent optional member, or null where nullable, leaves
 * the output NULL (strings) or sets *is_null (numbers). */
gboolean    desk_json_read_string    (JsonObject    *object,
                                      const char    *path,
                                      const char    *name,
                                      DeskReadFlags  flags,
                                      char         **out,
                                      GError       **error);
gboolean    desk_json_read_int       (JsonObject    *object,
                                      const char    *path,
                                      const char    *name,
                                      DeskReadFlags  flags,
                                      gint64         min,
                                      gint64         max,
                                      gboolean      *is_null,
                                      gint64        *out,
                                      GError       **error);
gboolean    desk_json_read_double    (JsonObject    *object,
                                      const char    *path,
                                      const char    *name,
                                      DeskReadFlags  flags,
                                      double         min,
                                      double         max,
                                      double        *out,
                                      GError       **error);
gboolean    desk_json_read_bool      (JsonObject    *object,
                                      const char    *path,
                                      const char    *name,
                                      DeskReadFlags  flags,
                                      gboolean      *out,
                                      GError       **error);
/* Reads an array of strings (at most @max_items). */
gboolean    desk_json_read_strv      (JsonObject    *object,
                                      const char    *path,
                                      const char    *name,
                                      DeskReadFlags  flags,
                                      guint          max_items,
                                      GStrv         *out,
                                      GError       **error);

/* The members of @object not named in @known (NULL-terminated), deep-copied
 * in their order; NULL when there are none. */
JsonObject *desk_json_collect_extra  (JsonObject         *object,
                                      const char * const *known);
/* UNKNOWN "path.name: not allowed" for the first member not in @known. */
gboolean    desk_json_refuse_unknown (JsonObject         *object,
                                      const char         *path,
                                      const char * const *known,
                                      GError            **error);
/* Appends deep copies of @extra's members that @out does not have yet. */
void        desk_json_append_extra   (JsonObject         *out,
                                      JsonObject         *extra);

JsonNode   *desk_json_node_deep_copy   (JsonNode   *node);
JsonObject *desk_json_object_deep_copy (JsonObject *object);  /* NULL-safe */
/* NULL and an empty object are equal. */
gboolean    desk_json_object_equal0    (JsonObject *a,
                                        JsonObject *b);

void        desk_json_set_string_or_null (JsonObject *out,
                                          const char *name,
                                          const char *value);
JsonNode   *desk_json_strv_to_node       (const char * const *strv);

/* Internal readers with the extra knobs the public ones do not need. */
DeskSource   *desk_source_read    (JsonNode     *node,
                                   const char   *path,
                                   gboolean      published_at_optional,
                                   GError      **error);
DeskOriginal *desk_original_read  (JsonNode     *node,
                                   const char   *path,
                                   gboolean      with_html,
                                   const char   *refusal,
                                   GError      **error);
/* Reads the editable members of @object into @self; members of
 * DESK_FIELDS_ALL outside @allowed get UNKNOWN "path.name: @refusal". Does
 * not look at other members. */
gboolean      desk_editable_read_members  (DeskEditable *self,
                                           JsonObject   *object,
                                           const char   *path,
                                           DeskFields    required,
                                           DeskFields    allowed,
                                           gboolean      keep_unknown,
                                           const char   *refusal,
                                           GError      **error);
void          desk_editable_write_members (const DeskEditable *self,
                                           JsonObject         *out);
void          desk_editable_clear_field   (DeskEditable       *self,
                                           DeskFields          field);
DeskEntry    *desk_entry_read             (JsonNode     *node,
                                           DeskEntryForm form,
                                           const char   *path,
                                           GError      **error);

G_END_DECLS
