/* desk-entry-parts.c: enums, value checks and boxed parts of a digest entry, with their JSON
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "desk-entry-parts.h"
#include "desk-json-private.h"

/* Hard limits of the reader; the editorial limits (10 tags, 10 key points)
 * are rules reported by desk_editable_check_rules() instead, so a 422 can
 * list every broken rule. */
#define MAX_TAGS       100
#define MAX_KEY_POINTS 100

/* ---- enums ------------------------------------------------------------- */

G_DEFINE_ENUM_TYPE (DeskEntryStatus, desk_entry_status,
  G_DEFINE_ENUM_VALUE (DESK_ENTRY_STATUS_INCOMING, "incoming"),
  G_DEFINE_ENUM_VALUE (DESK_ENTRY_STATUS_IN_REVIEW, "in-review"),
  G_DEFINE_ENUM_VALUE (DESK_ENTRY_STATUS_APPROVED, "approved"),
  G_DEFINE_ENUM_VALUE (DESK_ENTRY_STATUS_PUBLISHED, "published"),
  G_DEFINE_ENUM_VALUE (DESK_ENTRY_STATUS_REJECTED, "rejected"))

G_DEFINE_ENUM_TYPE (DeskEntryKind, desk_entry_kind,
  G_DEFINE_ENUM_VALUE (DESK_ENTRY_KIND_ARTICLE, "article"),
  G_DEFINE_ENUM_VALUE (DESK_ENTRY_KIND_PAPER, "paper"),
  G_DEFINE_ENUM_VALUE (DESK_ENTRY_KIND_VIDEO, "video"))

G_DEFINE_ENUM_TYPE (DeskHouseStyle, desk_house_style,
  G_DEFINE_ENUM_VALUE (DESK_HOUSE_STYLE_DESU_MASU, "desu-masu"),
  G_DEFINE_ENUM_VALUE (DESK_HOUSE_STYLE_DE_ARU, "de-aru"),
  G_DEFINE_ENUM_VALUE (DESK_HOUSE_STYLE_ANY, "any"))

G_DEFINE_FLAGS_TYPE (DeskFields, desk_fields,
  G_DEFINE_ENUM_VALUE (DESK_FIELD_TITLE, "title"),
  G_DEFINE_ENUM_VALUE (DESK_FIELD_BODY, "body"),
  G_DEFINE_ENUM_VALUE (DESK_FIELD_TLDR, "tldr"),
  G_DEFINE_ENUM_VALUE (DESK_FIELD_TAGS, "tags"),
  G_DEFINE_ENUM_VALUE (DESK_FIELD_IMPORTANCE, "importance"),
  G_DEFINE_ENUM_VALUE (DESK_FIELD_KEY_POINTS, "key-points"),
  G_DEFINE_ENUM_VALUE (DESK_FIELD_IMPACT_ANALYSIS, "impact-analysis"),
  G_DEFINE_ENUM_VALUE (DESK_FIELD_EDITORIAL_COMMENT, "editorial-comment"))

/* Wire names differ from the GType nicks ("in_review" vs "in-review"). */
static const char * const status_names[] = {
  "incoming", "in_review", "approved", "published", "rejected",
};

static const char * const kind_names[] = {
  "article", "paper", "video",
};

static const char * const house_style_names[] = {
  "desu-masu", "de-aru", "any",
};

/* In contract order. */
static const struct {
  DeskFields  field;
  const char *name;
} field_names[] = {
  { DESK_FIELD_TITLE, "title" },
  { DESK_FIELD_BODY, "body" },
  { DESK_FIELD_TLDR, "tldr" },
  { DESK_FIELD_TAGS, "tags" },
  { DESK_FIELD_IMPORTANCE, "importance" },
  { DESK_FIELD_KEY_POINTS, "key_points" },
  { DESK_FIELD_IMPACT_ANALYSIS, "impact_analysis" },
  { DESK_FIELD_EDITORIAL_COMMENT, "editorial_comment" },
};

static gboolean
name_lookup (const char * const *names,
             guint               n_names,
             const char         *str,
             int                *value)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (strcmp (names[i], str) == 0)
        {
          *value = (int) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
desk_entry_status_to_string (DeskEntryStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
desk_entry_status_from_string (const char      *str,
                               DeskEntryStatus *status)
{
  int value;

  if (!name_lookup (status_names, G_N_ELEMENTS (status_names), str, &value))
    return FALSE;
  if (status != NULL)
    *status = (DeskEntryStatus) value;
  return TRUE;
}

const char *
desk_entry_kind_to_string (DeskEntryKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
desk_entry_kind_from_string (const char    *str,
                             DeskEntryKind *kind)
{
  int value;

  if (!name_lookup (kind_names, G_N_ELEMENTS (kind_names), str, &value))
    return FALSE;
  if (kind != NULL)
    *kind = (DeskEntryKind) value;
  return TRUE;
}

const char *
desk_house_style_to_string (DeskHouseStyle style)
{
  g_return_val_if_fail ((guint) style < G_N_ELEMENTS (house_style_names), NULL);
  return house_style_names[style];
}

gboolean
desk_house_style_from_string (const char     *str,
                              DeskHouseStyle *style)
{
  int value;

  if (!name_lookup (house_style_names, G_N_ELEMENTS (house_style_names), str, &value))
    return FALSE;
  if (style != NULL)
    *style = (DeskHouseStyle) value;
  return TRUE;
}

const char *
desk_field_to_string (DeskFields field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (field_names[i].field == field)
      return field_names[i].name;

  g_return_val_if_reached (NULL);
}

gboolean
desk_field_from_string (const char *str,
                        DeskFields *field)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    {
      if (strcmp (field_names[i].name, str) == 0)
        {
          if (field != NULL)
            *field = field_names[i].field;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
desk_entry_status_can_change (DeskEntryStatus from,
                              DeskEntryStatus to)
{
  switch (from)
    {
    case DESK_ENTRY_STATUS_INCOMING:
      return to == DESK_ENTRY_STATUS_IN_REVIEW || to == DESK_ENTRY_STATUS_REJECTED;
    case DESK_ENTRY_STATUS_IN_REVIEW:
      return to == DESK_ENTRY_STATUS_APPROVED || to == DESK_ENTRY_STATUS_REJECTED;
    case DESK_ENTRY_STATUS_APPROVED:
      return to == DESK_ENTRY_STATUS_IN_REVIEW || to == DESK_ENTRY_STATUS_REJECTED;
    case DESK_ENTRY_STATUS_REJECTED:
      return to == DESK_ENTRY_STATUS_IN_REVIEW;
    case DESK_ENTRY_STATUS_PUBLISHED:
    default:
      return FALSE;
    }
}

/* ---- value checks -------------------------------------------------------- */

gboolean
desk_entry_id_is_valid (const char *id)
{
  gsize len = 0;

  if (id == NULL)
    return FALSE;

  for (const char *p = id; *p != '\0'; p++, len++)
    {
      if (len >= 128)
        return FALSE;
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
        return FALSE;
    }

  /* "." and ".." are path segments, not addressable in a URL. */
  return len >= 1 && strcmp (id, ".") != 0 && strcmp (id, "..") != 0;
}

static gboolean
read_digits (const char *p,
             guint       n,
             int        *value)
{
  int v = 0;

  /* Stops at the first non-digit, so never reads past a NUL. */
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      v = v * 10 + (p[i] - '0');
    }

  *value = v;
  return TRUE;
}

gboolean
desk_rfc3339_is_valid (const char *str)
{
  g_autoptr(GDateTime) dt = NULL;
  const char *p = str;
  int year, month, day, hour, minute, second;

  if (str == NULL)
    return FALSE;

  if (!read_digits (p, 4, &year) || p[4] != '-' ||
      !read_digits (p + 5, 2, &month) || p[7] != '-' ||
      !read_digits (p + 8, 2, &day) || p[10] != 'T' ||
      !read_digits (p + 11, 2, &hour) || p[13] != ':' ||
      !read_digits (p + 14, 2, &minute) || p[16] != ':' ||
      !read_digits (p + 17, 2, &second))
    return FALSE;
  p += 19;

  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }

  if (*p == 'Z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      int offset_hours, offset_minutes;

      if (!read_digits (p + 1, 2, &offset_hours) || p[3] != ':' ||
          !read_digits (p + 4, 2, &offset_minutes))
        return FALSE;
      if (offset_hours > 23 || offset_minutes > 59)
        return FALSE;
      p += 6;
    }
  else
    return FALSE;

  if (*p != '\0')
    return FALSE;

  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year) ||
      hour > 23 || minute > 59 || second > 59)
    return FALSE;

  /* A second opinion on what the grammar let through. */
  dt = g_date_time_new_from_iso8601 (str, NULL);
  return dt != NULL;
}

gboolean
desk_language_tag_is_valid (const char *str)
{
  g_auto(GStrv) subtags = NULL;
  gsize first_len;
  guint n;

  if (str == NULL || *str == '\0' || strlen (str) > 255)
    return FALSE;

  subtags = g_strsplit (str, "-", -1);
  n = g_strv_length (subtags);

  for (guint i = 0; i < n; i++)
    {
      gsize len = strlen (subtags[i]);

      if (len < 1 || len > 8)
        return FALSE;
      for (gsize j = 0; j < len; j++)
        if (!g_ascii_isalnum (subtags[i][j]))
          return FALSE;
    }

  first_len = strlen (subtags[0]);
  if (first_len == 1)
    {
      /* Private use ("x-…") and grandfathered ("i-…") tags. */
      char c = g_ascii_tolower (subtags[0][0]);

      return (c == 'x' || c == 'i') && n >= 2;
    }

  if (first_len == 4)
    return FALSE;
  for (gsize j = 0; j < first_len; j++)
    if (!g_ascii_isalpha (subtags[0][j]))
      return FALSE;

  return TRUE;
}

gboolean
desk_http_url_is_valid (const char *str)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (str == NULL || *str == '\0')
    return FALSE;

  for (const char *p = str; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p == 0x7F)
      return FALSE;

  uri = g_uri_parse (str, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    return FALSE;

  return host != NULL && *host != '\0';
}

char *
desk_rfc3339_from_date_time (GDateTime *dt)
{
  g_return_val_if_fail (dt != NULL, NULL);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}

char *
desk_rfc3339_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) whole = NULL;

  /* Whole seconds: drop the microseconds rather than rely on the format. */
  whole = g_date_time_add (now, -(GTimeSpan) g_date_time_get_microsecond (now));
  return desk_rfc3339_from_date_time (whole);
}

/* ---- importance ---------------------------------------------------------- */

static const char * const importance_members[] = {
  "overall", "depth", "relevance", "practicality", "innovation", NULL,
};

G_DEFINE_BOXED_TYPE (DeskImportance, desk_importance, desk_importance_copy, desk_importance_free)

DeskImportance *
desk_importance_copy (const DeskImportance *self)
{
  DeskImportance *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DeskImportance, 1);
  desk_importance_copy_into (copy, self);
  return copy;
}

void
desk_importance_free (DeskImportance *self)
{
  if (self == NULL)
    return;

  desk_importance_clear (self);
  g_free (self);
}

void
desk_importance_copy_into (DeskImportance       *dest,
                           const DeskImportance *src)
{
  JsonObject *extra;

  g_return_if_fail (dest != NULL);
  g_return_if_fail (src != NULL);

  if (dest == src)
    return;

  extra = desk_json_object_deep_copy (src->extra);
  g_clear_pointer (&dest->extra, json_object_unref);
  dest->overall = src->overall;
  dest->depth = src->depth;
  dest->relevance = src->relevance;
  dest->practicality = src->practicality;
  dest->innovation = src->innovation;
  dest->extra = extra;
}

void
desk_importance_clear (DeskImportance *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->extra, json_object_unref);
  memset (self, 0, sizeof *self);
}

gboolean
desk_importance_equal (const DeskImportance *a,
                       const DeskImportance *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return a->overall == b->overall &&
         a->depth == b->depth &&
         a->relevance == b->relevance &&
         a->practicality == b->practicality &&
         a->innovation == b->innovation &&
         desk_json_object_equal0 (a->extra, b->extra);
}

void
desk_importance_weights_init_default (DeskImportanceWeights *weights)
{
  g_return_if_fail (weights != NULL);

  weights->depth = 0.4;
  weights->relevance = 0.3;
  weights->practicality = 0.2;
  weights->innovation = 0.1;
}

double
desk_importance_weighted_mean (const DeskImportance        *self,
                               const DeskImportanceWeights *weights)
{
  DeskImportanceWeights w;
  double sum;

  g_return_val_if_fail (self != NULL, 0.0);

  if (weights != NULL)
    w = *weights;
  else
    desk_importance_weights_init_default (&w);

  sum = w.depth + w.relevance + w.practicality + w.innovation;
  if (!isfinite (sum) || sum <= 0.0 ||
      w.depth < 0.0 || w.relevance < 0.0 || w.practicality < 0.0 || w.innovation < 0.0)
    {
      desk_importance_weights_init_default (&w);
      sum = w.depth + w.relevance + w.practicality + w.innovation;
    }

  return (w.depth * (double) self->depth +
          w.relevance * (double) self->relevance +
          w.practicality * (double) self->practicality +
          w.innovation * (double) self->innovation) / sum;
}

int
desk_importance_suggest (const DeskImportance        *self,
                         const DeskImportanceWeights *weights)
{
  double mean;
  double rounded;

  g_return_val_if_fail (self != NULL, 1);

  mean = desk_importance_weighted_mean (self, weights);
  if (!isfinite (mean))
    return 1;

  /* Half down: 4.5 → 4, but 4.5000001 → 5. The epsilon absorbs the error
   * of the weighted sum (0.4 × 5 + … is 4.500000000000001 in doubles). */
  rounded = ceil (mean - 0.5 - 1e-9);
  return (int) CLAMP (rounded, 1.0, 5.0);
}

static gboolean
importance_read (DeskImportance  *dest,
                 JsonNode        *node,
                 const char      *path,
                 gboolean         keep_unknown,
                 GError         **error)
{
  JsonObject *object;
  gint64 *members[] = {
    &dest->overall, &dest->depth, &dest->relevance, &dest->practicality, &dest->innovation,
  };

  object = desk_json_expect_object (node, path, error);
  if (object == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (!desk_json_read_int (object, path, importance_members[i], DESK_READ_REQUIRED,
                             -DESK_JSON_MAX_INT, DESK_JSON_MAX_INT, NULL, members[i], error))
      return FALSE;

  if (!keep_unknown && !desk_json_refuse_unknown (object, path, importance_members, error))
    return FALSE;

  dest->extra = desk_json_collect_extra (object, importance_members);
  return TRUE;
}

static JsonNode *
importance_to_json (const DeskImportance *self)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "overall", self->overall);
  json_object_set_int_member (object, "depth", self->depth);
  json_object_set_int_member (object, "relevance", self->relevance);
  json_object_set_int_member (object, "practicality", self->practicality);
  json_object_set_int_member (object, "innovation", self->innovation);
  desk_json_append_extra (object, self->extra);
  json_node_take_object (node, object);
  return node;
}

/* ---- key point ----------------------------------------------------------- */

static const char * const key_point_members[] = { "heading", "body", NULL };

G_DEFINE_BOXED_TYPE (DeskKeyPoint, desk_key_point, desk_key_point_copy, desk_key_point_free)

DeskKeyPoint *
desk_key_point_new (const char *heading,
                    const char *body)
{
  DeskKeyPoint *self = g_new0 (DeskKeyPoint, 1);

  self->heading = g_strdup (heading != NULL ? heading : "");
  self->body = g_strdup (body != NULL ? body : "");
  return self;
}

DeskKeyPoint *
desk_key_point_copy (const DeskKeyPoint *self)
{
  DeskKeyPoint *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DeskKeyPoint, 1);
  copy->heading = g_strdup (self->heading);
  copy->body = g_strdup (self->body);
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_key_point_free (DeskKeyPoint *self)
{
  if (self == NULL)
    return;

  g_free (self->heading);
  g_free (self->body);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

gboolean
desk_key_point_equal (const DeskKeyPoint *a,
                      const DeskKeyPoint *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->heading, b->heading) == 0 &&
         g_strcmp0 (a->body, b->body) == 0 &&
         desk_json_object_equal0 (a->extra, b->extra);
}

static DeskKeyPoint *
key_point_read (JsonNode    *node,
                const char  *path,
                gboolean     keep_unknown,
                GError     **error)
{
  g_autoptr(DeskKeyPoint) self = g_new0 (DeskKeyPoint, 1);
  JsonObject *object;

  object = desk_json_expect_object (node, path, error);
  if (object == NULL)
    return NULL;

  if (!desk_json_read_string (object, path, "heading", DESK_READ_REQUIRED, &self->heading, error) ||
      !desk_json_read_string (object, path, "body", DESK_READ_REQUIRED, &self->body, error))
    return NULL;

  if (!keep_unknown && !desk_json_refuse_unknown (object, path, key_point_members, error))
    return NULL;

  self->extra = desk_json_collect_extra (object, key_point_members);
  return g_steal_pointer (&self);
}

static JsonNode *
key_point_to_json (const DeskKeyPoint *self)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "heading", self->heading != NULL ? self->heading : "");
  json_object_set_string_member (object, "body", self->body != NULL ? self->body : "");
  desk_json_append_extra (object, self->extra);
  json_node_take_object (node, object);
  return node;
}

static GPtrArray *
key_points_copy (GPtrArray *key_points)
{
  GPtrArray *copy;

  if (key_points == NULL)
    return NULL;

  copy = g_ptr_array_new_full (key_points->len, (GDestroyNotify) desk_key_point_free);
  for (guint i = 0; i < key_points->len; i++)
    g_ptr_array_add (copy, desk_key_point_copy (g_ptr_array_index (key_points, i)));
  return copy;
}

static gboolean
key_points_equal (GPtrArray *a,
                  GPtrArray *b)
{
  guint a_len = a != NULL ? a->len : 0;
  guint b_len = b != NULL ? b->len : 0;

  if (a_len != b_len)
    return FALSE;
  for (guint i = 0; i < a_len; i++)
    if (!desk_key_point_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

/* ---- source -------------------------------------------------------------- */

static const char * const source_members[] = {
  "name", "url", "published_at", "language", NULL,
};

G_DEFINE_BOXED_TYPE (DeskSource, desk_source, desk_source_copy, desk_source_free)

DeskSource *
desk_source_copy (const DeskSource *self)
{
  DeskSource *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DeskSource, 1);
  copy->name = g_strdup (self->name);
  copy->url = g_strdup (self->url);
  copy->published_at = g_strdup (self->published_at);
  copy->language = g_strdup (self->language);
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_source_free (DeskSource *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->url);
  g_free (self->published_at);
  g_free (self->language);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

gboolean
desk_source_equal (const DeskSource *a,
                   const DeskSource *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->url, b->url) == 0 &&
         g_strcmp0 (a->published_at, b->published_at) == 0 &&
         g_strcmp0 (a->language, b->language) == 0 &&
         desk_json_object_equal0 (a->extra, b->extra);
}

static gboolean
check_value (gboolean     valid,
             const char  *path,
             const char  *name,
             const char  *message,
             GError     **error)
{
  g_autofree char *member_path = NULL;

  if (valid)
    return TRUE;

  member_path = desk_json_path_join (path, name);
  desk_json_set_error (error, DESK_JSON_ERROR_INVALID, member_path, "%s", message);
  return FALSE;
}

#define MSG_URL     _("must be an absolute http or https URL")
#define MSG_TIME    _("must be an RFC 3339 time with an offset")
#define MSG_LANG    _("must be a BCP 47 language tag")

DeskSource *
desk_source_read (JsonNode    *node,
                  const char  *path,
                  gboolean     published_at_optional,
                  GError     **error)
{
  g_autoptr(DeskSource) self = g_new0 (DeskSource, 1);
  DeskReadFlags published_flags = DESK_READ_NULLABLE;
  JsonObject *object;

  if (!published_at_optional)
    published_flags |= DESK_READ_REQUIRED;

  object = desk_json_expect_object (node, path, error);
  if (object == NULL)
    return NULL;

  if (!desk_json_read_string (object, path, "name", DESK_READ_REQUIRED, &self->name, error) ||
      !desk_json_read_string (object, path, "url", DESK_READ_REQUIRED, &self->url, error) ||
      !check_value (desk_http_url_is_valid (self->url), path, "url", MSG_URL, error) ||
      !desk_json_read_string (object, path, "published_at", published_flags,
                              &self->published_at, error) ||
      !check_value (self->published_at == NULL || desk_rfc3339_is_valid (self->published_at),
                    path, "published_at", MSG_TIME, error) ||
      !desk_json_read_string (object, path, "language", DESK_READ_REQUIRED,
                              &self->language, error) ||
      !check_value (desk_language_tag_is_valid (self->language), path, "language", MSG_LANG, error))
    return NULL;

  self->extra = desk_json_collect_extra (object, source_members);
  return g_steal_pointer (&self);
}

DeskSource *
desk_source_new_from_json (JsonNode    *node,
                           const char  *path,
                           GError     **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return desk_source_read (node, path, FALSE, error);
}

JsonNode *
desk_source_to_json (const DeskSource *self)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "name", self->name != NULL ? self->name : "");
  json_object_set_string_member (object, "url", self->url != NULL ? self->url : "");
  desk_json_set_string_or_null (object, "published_at", self->published_at);
  json_object_set_string_member (object, "language", self->language != NULL ? self->language : "");
  desk_json_append_extra (object, self->extra);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* ---- original ------------------------------------------------------------ */

static const char * const original_members[] = { "title", "html", NULL };

G_DEFINE_BOXED_TYPE (DeskOriginal, desk_original, desk_original_copy, desk_original_free)

DeskOriginal *
desk_original_copy (const DeskOriginal *self)
{
  DeskOriginal *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DeskOriginal, 1);
  copy->title = g_strdup (self->title);
  copy->html = g_strdup (self->html);
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_original_free (DeskOriginal *self)
{
  if (self == NULL)
    return;

  g_free (self->title);
  g_free (self->html);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

gboolean
desk_original_equal (const DeskOriginal *a,
                     const DeskOriginal *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->title, b->title) == 0 &&
         g_strcmp0 (a->html, b->html) == 0 &&
         desk_json_object_equal0 (a->extra, b->extra);
}

DeskOriginal *
desk_original_read (JsonNode    *node,
                    const char  *path,
                    gboolean     with_html,
                    const char  *refusal,
                    GError     **error)
{
  g_autoptr(DeskOriginal) self = g_new0 (DeskOriginal, 1);
  JsonObject *object;

  object = desk_json_expect_object (node, path, error);
  if (object == NULL)
    return NULL;

  if (!desk_json_read_string (object, path, "title", DESK_READ_REQUIRED, &self->title, error))
    return NULL;

  if (with_html)
    {
      if (!desk_json_read_string (object, path, "html", DESK_READ_REQUIRED, &self->html, error))
        return NULL;
    }
  else if (json_object_has_member (object, "html"))
    {
      g_autofree char *member_path = desk_json_path_join (path, "html");

      desk_json_set_error (error, DESK_JSON_ERROR_UNKNOWN, member_path, "%s",
                           refusal != NULL ? refusal : _("not allowed"));
      return NULL;
    }

  self->extra = desk_json_collect_extra (object, original_members);
  return g_steal_pointer (&self);
}

DeskOriginal *
desk_original_new_from_json (JsonNode    *node,
                             const char  *path,
                             gboolean     with_html,
                             GError     **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return desk_original_read (node, path, with_html, _("not allowed in the summary form"), error);
}

JsonNode *
desk_original_to_json (const DeskOriginal *self,
                       gboolean            with_html)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "title", self->title != NULL ? self->title : "");
  if (with_html)
    json_object_set_string_member (object, "html", self->html != NULL ? self->html : "");
  desk_json_append_extra (object, self->extra);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* ---- lock ---------------------------------------------------------------- */

static const char * const lock_members[] = { "editor", "acquired_at", "expires_at", NULL };

G_DEFINE_BOXED_TYPE (DeskLock, desk_lock, desk_lock_copy, desk_lock_free)

DeskLock *
desk_lock_new (const char *editor,
               const char *acquired_at,
               const char *expires_at)
{
  DeskLock *self = g_new0 (DeskLock, 1);

  self->editor = g_strdup (editor);
  self->acquired_at = g_strdup (acquired_at);
  self->expires_at = g_strdup (expires_at);
  return self;
}

DeskLock *
desk_lock_copy (const DeskLock *self)
{
  DeskLock *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = desk_lock_new (self->editor, self->acquired_at, self->expires_at);
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_lock_free (DeskLock *self)
{
  if (self == NULL)
    return;

  g_free (self->editor);
  g_free (self->acquired_at);
  g_free (self->expires_at);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

gboolean
desk_lock_equal (const DeskLock *a,
                 const DeskLock *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->editor, b->editor) == 0 &&
         g_strcmp0 (a->acquired_at, b->acquired_at) == 0 &&
         g_strcmp0 (a->expires_at, b->expires_at) == 0 &&
         desk_json_object_equal0 (a->extra, b->extra);
}

DeskLock *
desk_lock_new_from_json (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(DeskLock) self = NULL;
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = desk_json_expect_object (node, path, error);
  if (object == NULL)
    return NULL;

  self = g_new0 (DeskLock, 1);
  if (!desk_json_read_string (object, path, "editor", DESK_READ_REQUIRED, &self->editor, error) ||
      !desk_json_read_string (object, path, "acquired_at", DESK_READ_REQUIRED,
                              &self->acquired_at, error) ||
      !check_value (desk_rfc3339_is_valid (self->acquired_at), path, "acquired_at", MSG_TIME, error) ||
      !desk_json_read_string (object, path, "expires_at", DESK_READ_REQUIRED,
                              &self->expires_at, error) ||
      !check_value (desk_rfc3339_is_valid (self->expires_at), path, "expires_at", MSG_TIME, error))
    return NULL;

  self->extra = desk_json_collect_extra (object, lock_members);
  return g_steal_pointer (&self);
}

JsonNode *
desk_lock_to_json (const DeskLock *self)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "editor", self->editor != NULL ? self->editor : "");
  json_object_set_string_member (object, "acquired_at",
                                 self->acquired_at != NULL ? self->acquired_at : "");
  json_object_set_string_member (object, "expires_at",
                                 self->expires_at != NULL ? self->expires_at : "");
  desk_json_append_extra (object, self->extra);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* ---- published ----------------------------------------------------------- */

static const char * const published_members[] = { "url", "at", NULL };

G_DEFINE_BOXED_TYPE (DeskPublished, desk_published, desk_published_copy, desk_published_free)

DeskPublished *
desk_published_new (const char *url,
                    const char *at)
{
  DeskPublished *self = g_new0 (DeskPublished, 1);

  self->url = g_strdup (url);
  self->at = g_strdup (at);
  return self;
}

DeskPublished *
desk_published_copy (const DeskPublished *self)
{
  DeskPublished *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = desk_published_new (self->url, self->at);
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_published_free (DeskPublished *self)
{
  if (self == NULL)
    return;

  g_free (self->url);
  g_free (self->at);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

gboolean
desk_published_equal (const DeskPublished *a,
                      const DeskPublished *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->url, b->url) == 0 &&
         g_strcmp0 (a->at, b->at) == 0 &&
         desk_json_object_equal0 (a->extra, b->extra);
}

DeskPublished *
desk_published_new_from_json (JsonNode    *node,
                              const char  *path,
                              GError     **error)
{
  g_autoptr(DeskPublished) self = NULL;
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = desk_json_expect_object (node, path, error);
  if (object == NULL)
    return NULL;

  self = g_new0 (DeskPublished, 1);
  if (!desk_json_read_string (object, path, "url", DESK_READ_REQUIRED, &self->url, error) ||
      !check_value (desk_http_url_is_valid (self->url), path, "url", MSG_URL, error) ||
      !desk_json_read_string (object, path, "at", DESK_READ_REQUIRED, &self->at, error) ||
      !check_value (desk_rfc3339_is_valid (self->at), path, "at", MSG_TIME, error))
    return NULL;

  self->extra = desk_json_collect_extra (object, published_members);
  return g_steal_pointer (&self);
}

JsonNode *
desk_published_to_json (const DeskPublished *self)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "url", self->url != NULL ? self->url : "");
  json_object_set_string_member (object, "at", self->at != NULL ? self->at : "");
  desk_json_append_extra (object, self->extra);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* ---- the editable fields ------------------------------------------------- */

static const char * const editable_members[] = {
  "title", "body", "tldr", "tags", "importance", "key_points",
  "impact_analysis", "editorial_comment", NULL,
};

G_DEFINE_BOXED_TYPE (DeskEditable, desk_editable, desk_editable_copy, desk_editable_free)

DeskEditable *
desk_editable_new (void)
{
  return g_new0 (DeskEditable, 1);
}

static char **
string_slot (DeskEditable *self,
             DeskFields    field)
{
  switch (field)
    {
    case DESK_FIELD_TITLE:             return &self->title;
    case DESK_FIELD_BODY:              return &self->body;
    case DESK_FIELD_TLDR:              return &self->tldr;
    case DESK_FIELD_IMPACT_ANALYSIS:   return &self->impact_analysis;
    case DESK_FIELD_EDITORIAL_COMMENT: return &self->editorial_comment;
    case DESK_FIELD_TAGS:
    case DESK_FIELD_IMPORTANCE:
    case DESK_FIELD_KEY_POINTS:
    default:
      return NULL;
    }
}

void
desk_editable_clear_field (DeskEditable *self,
                           DeskFields    field)
{
  char **slot = string_slot (self, field);

  if (slot != NULL)
    g_clear_pointer (slot, g_free);
  else if (field == DESK_FIELD_TAGS)
    g_clear_pointer (&self->tags, g_strfreev);
  else if (field == DESK_FIELD_IMPORTANCE)
    desk_importance_clear (&self->importance);
  else if (field == DESK_FIELD_KEY_POINTS)
    g_clear_pointer (&self->key_points, g_ptr_array_unref);

  self->present &= ~field;
}

/* Replaces @dest's @field by a copy of @src's (present in @src). */
static void
copy_field (DeskEditable       *dest,
            const DeskEditable *src,
            DeskFields          field)
{
  char **slot;

  desk_editable_clear_field (dest, field);

  slot = string_slot (dest, field);
  if (slot != NULL)
    *slot = g_strdup (*string_slot ((DeskEditable *) src, field));
  else if (field == DESK_FIELD_TAGS)
    dest->tags = src->tags != NULL ? g_strdupv (src->tags) : g_new0 (char *, 1);
  else if (field == DESK_FIELD_IMPORTANCE)
    desk_importance_copy_into (&dest->importance, &src->importance);
  else if (field == DESK_FIELD_KEY_POINTS)
    dest->key_points = src->key_points != NULL
      ? key_points_copy (src->key_points)
      : g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);

  dest->present |= field;
}

DeskEditable *
desk_editable_copy (const DeskEditable *self)
{
  DeskEditable *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = desk_editable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (self->present & field_names[i].field)
      copy_field (copy, self, field_names[i].field);
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_editable_free (DeskEditable *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    desk_editable_clear_field (self, field_names[i].field);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

void
desk_editable_merge (DeskEditable       *dest,
                     const DeskEditable *src)
{
  g_return_if_fail (dest != NULL);
  g_return_if_fail (src != NULL);

  if (dest == src)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (src->present & field_names[i].field)
      copy_field (dest, src, field_names[i].field);
}

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  static const char * const empty[] = { NULL };

  return g_strv_equal (a != NULL ? a : empty, b != NULL ? b : empty);
}

gboolean
desk_editable_field_equal (const DeskEditable *a,
                           const DeskEditable *b,
                           DeskFields          field)
{
  gboolean in_a;
  gboolean in_b;
  char **slot;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  in_a = (a->present & field) != 0;
  in_b = (b->present & field) != 0;
  if (in_a != in_b)
    return FALSE;
  if (!in_a)
    return TRUE;

  slot = string_slot ((DeskEditable *) a, field);
  if (slot != NULL)
    return g_strcmp0 (*slot, *string_slot ((DeskEditable *) b, field)) == 0;

  switch (field)
    {
    case DESK_FIELD_TAGS:
      return strv_equal0 ((const char * const *) a->tags, (const char * const *) b->tags);
    case DESK_FIELD_IMPORTANCE:
      return desk_importance_equal (&a->importance, &b->importance);
    case DESK_FIELD_KEY_POINTS:
      return key_points_equal (a->key_points, b->key_points);
    case DESK_FIELD_TITLE:
    case DESK_FIELD_BODY:
    case DESK_FIELD_TLDR:
    case DESK_FIELD_IMPACT_ANALYSIS:
    case DESK_FIELD_EDITORIAL_COMMENT:
    default:
      g_return_val_if_reached (FALSE);
    }
}

DeskFields
desk_editable_diff (const DeskEditable *a,
                    const DeskEditable *b)
{
  DeskFields diff = 0;

  g_return_val_if_fail (a != NULL, 0);
  g_return_val_if_fail (b != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (!desk_editable_field_equal (a, b, field_names[i].field))
      diff |= field_names[i].field;
  return diff;
}

gboolean
desk_editable_equal (const DeskEditable *a,
                     const DeskEditable *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return desk_editable_diff (a, b) == 0 && desk_json_object_equal0 (a->extra, b->extra);
}

static gboolean
read_field (DeskEditable  *self,
            JsonObject    *object,
            const char    *path,
            DeskFields     field,
            const char    *name,
            DeskReadFlags  flags,
            gboolean       keep_unknown,
            GError       **error)
{
  g_autofree char *member_path = desk_json_path_join (path, name);
  char **slot = string_slot (self, field);
  JsonNode *node;

  if (slot != NULL)
    {
      char *value = NULL;

      if (!desk_json_read_string (object, path, name, flags, &value, error))
        return FALSE;
      if (value != NULL)
        {
          desk_editable_clear_field (self, field);
          *slot = value;
          self->present |= field;
        }
      return TRUE;
    }

  if (field == DESK_FIELD_TAGS)
    {
      GStrv tags = NULL;

      if (!desk_json_read_strv (object, path, name, flags, MAX_TAGS, &tags, error))
        return FALSE;
      if (tags != NULL)
        {
          desk_editable_clear_field (self, field);
          self->tags = tags;
          self->present |= field;
        }
      return TRUE;
    }

  node = json_object_get_member (object, name);
  if (node == NULL)
    {
      if (flags & DESK_READ_REQUIRED)
        {
          desk_json_set_error (error, DESK_JSON_ERROR_MISSING, member_path, _("required"));
          return FALSE;
        }
      return TRUE;
    }

  if (field == DESK_FIELD_IMPORTANCE)
    {
      DeskImportance importance = { 0 };

      if (!importance_read (&importance, node, member_path, keep_unknown, error))
        {
          desk_importance_clear (&importance);
          return FALSE;
        }
      desk_editable_clear_field (self, field);
      self->importance = importance;
      self->present |= field;
      return TRUE;
    }

  if (field == DESK_FIELD_KEY_POINTS)
    {
      g_autoptr(GPtrArray) key_points = NULL;
      JsonArray *array;
      guint n;

      array = desk_json_expect_array (node, member_path, error);
      if (array == NULL)
        return FALSE;

      n = json_array_get_length (array);
      if (n > MAX_KEY_POINTS)
        {
          desk_json_set_error (error, DESK_JSON_ERROR_RANGE, member_path,
                               _("must have at most %u items"), (guint) MAX_KEY_POINTS);
          return FALSE;
        }

      key_points = g_ptr_array_new_full (n, (GDestroyNotify) desk_key_point_free);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *item_path = desk_json_path_index (member_path, i);
          DeskKeyPoint *key_point;

          key_point = key_point_read (json_array_get_element (array, i), item_path,
                                      keep_unknown, error);
          if (key_point == NULL)
            return FALSE;
          g_ptr_array_add (key_points, key_point);
        }

      desk_editable_clear_field (self, field);
      self->key_points = g_steal_pointer (&key_points);
      self->present |= field;
      return TRUE;
    }

  g_assert_not_reached ();
}

gboolean
desk_editable_read_members (DeskEditable  *self,
                            JsonObject    *object,
                            const char    *path,
                            DeskFields     required,
                            DeskFields     allowed,
                            gboolean       keep_unknown,
                            const char    *refusal,
                            GError       **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    {
      DeskFields field = field_names[i].field;
      const char *name = field_names[i].name;

      if (!(allowed & field))
        {
          if (json_object_has_member (object, name))
            {
              g_autofree char *member_path = desk_json_path_join (path, name);

              desk_json_set_error (error, DESK_JSON_ERROR_UNKNOWN, member_path, "%s",
                                   refusal != NULL ? refusal : _("not allowed"));
              return FALSE;
            }
          continue;
        }

      if (!read_field (self, object, path, field, name,
                       (required & field) ? DESK_READ_REQUIRED : DESK_READ_OPTIONAL,
                       keep_unknown, error))
        return FALSE;
    }

  return TRUE;
}

DeskEditable *
desk_editable_new_from_json (JsonNode    *node,
                             const char  *path,
                             DeskFields   required,
                             DeskFields   allowed,
                             gboolean     keep_unknown,
                             GError     **error)
{
  g_autoptr(DeskEditable) self = NULL;
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = desk_json_expect_object (node, path, error);
  if (object == NULL)
    return NULL;

  self = desk_editable_new ();
  if (!desk_editable_read_members (self, object, path, required, allowed | required,
                                   keep_unknown, NULL, error))
    return NULL;

  if (!keep_unknown)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init_ordered (&iter, object);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          if (!g_strv_contains (editable_members, name))
            {
              g_autofree char *member_path = desk_json_path_join (path, name);

              desk_json_set_error (error, DESK_JSON_ERROR_UNKNOWN, member_path,
                                   _("not an editable field"));
              return NULL;
            }
        }
    }
  else
    self->extra = desk_json_collect_extra (object, editable_members);

  return g_steal_pointer (&self);
}

void
desk_editable_write_members (const DeskEditable *self,
                             JsonObject         *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    {
      DeskFields field = field_names[i].field;
      const char *name = field_names[i].name;
      char **slot;

      if (!(self->present & field))
        continue;

      slot = string_slot ((DeskEditable *) self, field);
      if (slot != NULL)
        json_object_set_string_member (out, name, *slot != NULL ? *slot : "");
      else if (field == DESK_FIELD_TAGS)
        json_object_set_member (out, name,
                                desk_json_strv_to_node ((const char * const *) self->tags));
      else if (field == DESK_FIELD_IMPORTANCE)
        json_object_set_member (out, name, importance_to_json (&self->importance));
      else if (field == DESK_FIELD_KEY_POINTS)
        {
          JsonArray *array = json_array_new ();
          JsonNode *node = json_node_new (JSON_NODE_ARRAY);

          for (guint j = 0; self->key_points != NULL && j < self->key_points->len; j++)
            json_array_add_element (array, key_point_to_json (g_ptr_array_index (self->key_points, j)));
          json_node_take_array (node, array);
          json_object_set_member (out, name, node);
        }
    }
}

JsonNode *
desk_editable_to_json (const DeskEditable *self)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  desk_editable_write_members (self, object);
  desk_json_append_extra (object, self->extra);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* ---- editorial rules ----------------------------------------------------- */

G_DEFINE_BOXED_TYPE (DeskFieldError, desk_field_error, desk_field_error_copy, desk_field_error_free)

DeskFieldError *
desk_field_error_new (const char *field,
                      const char *message)
{
  DeskFieldError *self = g_new0 (DeskFieldError, 1);

  self->field = g_strdup (field);
  self->message = g_strdup (message);
  return self;
}

DeskFieldError *
desk_field_error_copy (const DeskFieldError *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return desk_field_error_new (self->field, self->message);
}

void
desk_field_error_free (DeskFieldError *self)
{
  if (self == NULL)
    return;

  g_free (self->field);
  g_free (self->message);
  g_free (self);
}

static void G_GNUC_PRINTF (3, 4)
add_rule_error (GPtrArray  *errors,
                const char *message,
                const char *format,
                ...)
{
  g_autofree char *field = NULL;
  va_list args;

  va_start (args, format);
  field = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (errors, desk_field_error_new (field, message));
}

GPtrArray *
desk_editable_check_rules (const DeskEditable *self,
                           const char         *prefix)
{
  g_autofree char *p = NULL;
  GPtrArray *errors;

  g_return_val_if_fail (self != NULL, NULL);

  /* Accept both "machine." and "machine". */
  if (prefix == NULL || *prefix == '\0')
    p = g_strdup ("");
  else if (g_str_has_suffix (prefix, "."))
    p = g_strdup (prefix);
  else
    p = g_strconcat (prefix, ".", NULL);

  errors = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_field_error_free);

  if ((self->present & DESK_FIELD_TITLE) && (self->title == NULL || *self->title == '\0'))
    add_rule_error (errors, _("must not be empty"), "%stitle", p);

  if (self->present & DESK_FIELD_TAGS)
    {
      guint n = self->tags != NULL ? g_strv_length (self->tags) : 0;

      if (n < 1 || n > 10)
        add_rule_error (errors, _("must have 1 to 10 tags"), "%stags", p);

      for (guint i = 0; i < n; i++)
        {
          if (*self->tags[i] == '\0')
            add_rule_error (errors, _("must not be empty"), "%stags[%u]", p, i);
          else if (strchr (self->tags[i], '#') != NULL)
            add_rule_error (errors, _("must not contain '#'"), "%stags[%u]", p, i);
        }
    }

  if (self->present & DESK_FIELD_IMPORTANCE)
    {
      const gint64 values[] = {
        self->importance.overall, self->importance.depth, self->importance.relevance,
        self->importance.practicality, self->importance.innovation,
      };

      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        if (values[i] < 1 || values[i] > 5)
          add_rule_error (errors, _("must be an integer from 1 to 5"),
                          "%simportance.%s", p, importance_members[i]);
    }

  if (self->present & DESK_FIELD_KEY_POINTS)
    {
      guint n = self->key_points != NULL ? self->key_points->len : 0;

      if (n > 10)
        add_rule_error (errors, _("must have at most 10 items"), "%skey_points", p);

      for (guint i = 0; i < n; i++)
        {
          const DeskKeyPoint *key_point = g_ptr_array_index (self->key_points, i);

          if (key_point->heading == NULL || *key_point->heading == '\0')
            add_rule_error (errors, _("must not be empty"), "%skey_points[%u].heading", p, i);
          if (key_point->body == NULL || *key_point->body == '\0')
            add_rule_error (errors, _("must not be empty"), "%skey_points[%u].body", p, i);
        }
    }

  return errors;
}

char *
desk_field_describe (const char *field)
{
  static const struct { const char *id; const char *name; } names[] = {
    { "title", N_("Title") },
    { "tldr", N_("TL;DR") },
    { "body", N_("Body") },
    { "tags", N_("Tags") },
    { "key_points", N_("Key points") },
    { "impact_analysis", N_("Impact analysis") },
    { "editorial_comment", N_("Editorial comment") },
    { "importance", N_("Importance") },
    { "importance.overall", N_("Importance") },
    { "importance.depth", N_("Depth") },
    { "importance.relevance", N_("Relevance") },
    { "importance.practicality", N_("Practicality") },
    { "importance.innovation", N_("Innovation") },
  };
  guint n;
  char rest[16];

  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (field, names[i].id) == 0)
      return g_strdup (_(names[i].name));
  if (sscanf (field, "tags[%u]%15s", &n, rest) == 1 && n < G_MAXINT)
    /* Translators: a tag of the entry, counted from 1 */
    return g_strdup_printf (_("Tag %u"), n + 1);
  if (sscanf (field, "key_points[%u].%15s", &n, rest) == 2 && n < G_MAXINT)
    {
      if (strcmp (rest, "heading") == 0)
        /* Translators: a key point of the entry, counted from 1 */
        return g_strdup_printf (_("Key point %u, heading"), n + 1);
      if (strcmp (rest, "body") == 0)
        return g_strdup_printf (_("Key point %u, body"), n + 1);
    }
  return g_strdup (field);
}
