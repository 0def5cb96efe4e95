/* desk-json.h: strict JSON reading and canonical writing for untrusted input
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DESK_JSON_ERROR (desk_json_error_quark ())

typedef enum {
  DESK_JSON_ERROR_TOO_LARGE,  /* body over the byte cap */
  DESK_JSON_ERROR_TOO_DEEP,   /* nesting over the depth cap */
  DESK_JSON_ERROR_SYNTAX,     /* not RFC 8259 JSON (comments, quotes, garbage…) */
  DESK_JSON_ERROR_ENCODING,   /* invalid UTF-8, lone surrogate, U+0000 */
  DESK_JSON_ERROR_RANGE,      /* a number or value outside its allowed range */
  DESK_JSON_ERROR_TYPE,       /* a member of the wrong JSON type */
  DESK_JSON_ERROR_MISSING,    /* a required member is absent */
  DESK_JSON_ERROR_INVALID,    /* a value breaks a rule (syntax of an id, a time…) */
  DESK_JSON_ERROR_UNKNOWN,    /* a member that is not allowed in this place */
} DeskJsonError;

/* The contract's limits: 8 MiB bodies, 64 levels. */
#define DESK_JSON_MAX_BYTES ((gsize) 8 * 1024 * 1024)
#define DESK_JSON_MAX_DEPTH 64
/* Integers must lie within ±2^53. */
#define DESK_JSON_MAX_INT ((gint64) 9007199254740992)

GQuark    desk_json_error_quark (void);

/* Parses @data (@length bytes, or NUL-terminated when -1) as strict RFC 8259
 * JSON. The size and depth caps are checked before any tree is built; invalid
 * UTF-8, escaped or raw U+0000, lone surrogates, integers outside ±2^53,
 * non-finite numbers (1e400), duplicate object members, comments, single
 * quotes and trailing garbage are all refused. Integers (no fraction, no
 * exponent) become G_TYPE_INT64 values, other numbers G_TYPE_DOUBLE.
 * Errors say where: "line 3, column 14: …" (columns count code points).
 * @max_bytes / @max_depth 0 mean the contract's caps (DESK_JSON_MAX_BYTES,
 * DESK_JSON_MAX_DEPTH); a depth of N allows N nested arrays/objects. */
JsonNode *desk_json_parse       (const char  *data,
                                 gssize       length,
                                 gsize        max_bytes,
                                 guint        max_depth,
                                 GError     **error);

/* Writes @node as compact (or two-space indented) UTF-8 JSON; object members
 * keep their insertion order; doubles are written in the shortest form that
 * reads back to the same value. */
void      desk_json_write       (GString     *out,
                                 JsonNode    *node,
                                 gboolean     pretty);
char     *desk_json_to_string   (JsonNode    *node,
                                 gboolean     pretty,
                                 gsize       *length);

/* Helpers for readers that report errors by field path, e.g.
 * "key_points[2].heading: must not be empty". @path may be NULL or "" for
 * the top level. Each returns FALSE and sets @error on failure. */
char     *desk_json_path_join   (const char  *path,
                                 const char  *member);
char     *desk_json_path_index  (const char  *path,
                                 guint        index);
void      desk_json_set_error   (GError     **error,
                                 DeskJsonError code,
                                 const char  *path,
                                 const char  *format,
                                 ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
