/* desk-entry.c: one digest entry of the Site API, and its three JSON forms
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-entry.h"
#include "desk-json-private.h"

#define MAX_READING_MINUTES 100000

struct _DeskEntry
{
  GObject        parent_instance;

  char          *id;
  gint64         revision;
  DeskEntryStatus status;
  DeskEntryKind  kind;
  DeskSource    *source;
  char          *collected_at;
  char          *analyzed_at;
  char          *updated_at;
  gint64         reading_minutes;  /* -1: unknown (pipeline form null/absent) */
  DeskOriginal  *original;
  DeskEditable  *fields;           /* all present, but body in summaries */
  DeskEditable  *machine;          /* NULL in summaries */
  DeskLock      *lock;
  DeskPublished *published;
  JsonObject    *extra;            /* unknown top-level members, in order */
};

G_DEFINE_FINAL_TYPE (DeskEntry, desk_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_REVISION,
  PROP_STATUS,
  PROP_KIND,
  PROP_SOURCE,
  PROP_COLLECTED_AT,
  PROP_ANALYZED_AT,
  PROP_UPDATED_AT,
  PROP_READING_MINUTES,
  PROP_ORIGINAL,
  PROP_TITLE,
  PROP_BODY,
  PROP_TLDR,
  PROP_TAGS,
  PROP_IMPORTANCE,
  PROP_KEY_POINTS,
  PROP_IMPACT_ANALYSIS,
  PROP_EDITORIAL_COMMENT,
  PROP_MACHINE,
  PROP_LOCK,
  PROP_PUBLISHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The top-level members every form knows, in the contract's order. */
static const char * const entry_members[] = {
  "id", "revision", "status", "kind", "source", "collected_at", "analyzed_at",
  "updated_at", "reading_minutes", "original", "title", "body", "tldr", "tags",
  "importance", "key_points", "impact_analysis", "editorial_comment", "machine",
  "lock", "published", NULL,
};

static guint
field_property (DeskFields field)
{
  switch (field)
    {
    case DESK_FIELD_TITLE:             return PROP_TITLE;
    case DESK_FIELD_BODY:              return PROP_BODY;
    case DESK_FIELD_TLDR:              return PROP_TLDR;
    case DESK_FIELD_TAGS:              return PROP_TAGS;
    case DESK_FIELD_IMPORTANCE:        return PROP_IMPORTANCE;
    case DESK_FIELD_KEY_POINTS:        return PROP_KEY_POINTS;
    case DESK_FIELD_IMPACT_ANALYSIS:   return PROP_IMPACT_ANALYSIS;
    case DESK_FIELD_EDITORIAL_COMMENT: return PROP_EDITORIAL_COMMENT;
    default:
      g_return_val_if_reached (PROP_0);
    }
}

static void
init_fields (DeskEditable *fields)
{
  fields->present = DESK_FIELDS_ALL;
  fields->title = g_strdup ("");
  fields->body = g_strdup ("");
  fields->tldr = g_strdup ("");
  fields->tags = g_new0 (char *, 1);
  fields->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
  fields->impact_analysis = g_strdup ("");
  fields->editorial_comment = g_strdup ("");
}

static void
desk_entry_finalize (GObject *object)
{
  DeskEntry *self = (DeskEntry *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->source, desk_source_free);
  g_clear_pointer (&self->collected_at, g_free);
  g_clear_pointer (&self->analyzed_at, g_free);
  g_clear_pointer (&self->updated_at, g_free);
  g_clear_pointer (&self->original, desk_original_free);
  g_clear_pointer (&self->fields, desk_editable_free);
  g_clear_pointer (&self->machine, desk_editable_free);
  g_clear_pointer (&self->lock, desk_lock_free);
  g_clear_pointer (&self->published, desk_published_free);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (desk_entry_parent_class)->finalize (object);
}

/* Sets one editable field from a GValue through apply_fields, so properties
 * and apply_fields notify the same way. */
static void
set_field_from_value (DeskEntry    *self,
                      DeskFields    field,
                      const GValue *value)
{
  g_autoptr(DeskEditable) change = desk_editable_new ();

  change->present = field;
  switch (field)
    {
    case DESK_FIELD_TITLE:
      change->title = g_value_dup_string (value);
      break;
    case DESK_FIELD_BODY:
      change->body = g_value_dup_string (value);
      break;
    case DESK_FIELD_TLDR:
      change->tldr = g_value_dup_string (value);
      break;
    case DESK_FIELD_IMPACT_ANALYSIS:
      change->impact_analysis = g_value_dup_string (value);
      break;
    case DESK_FIELD_EDITORIAL_COMMENT:
      change->editorial_comment = g_value_dup_string (value);
      break;
    case DESK_FIELD_TAGS:
      change->tags = g_value_dup_boxed (value);
      if (change->tags == NULL)
        change->tags = g_new0 (char *, 1);
      break;
    case DESK_FIELD_IMPORTANCE:
      {
        const DeskImportance *importance = g_value_get_boxed (value);

        if (importance != NULL)
          desk_importance_copy_into (&change->importance, importance);
      }
      break;
    case DESK_FIELD_KEY_POINTS:
      {
        GPtrArray *key_points = g_value_get_boxed (value);

        change->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
        for (guint i = 0; key_points != NULL && i < key_points->len; i++)
          g_ptr_array_add (change->key_points,
                           desk_key_point_copy (g_ptr_array_index (key_points, i)));
      }
      break;
    default:
      g_assert_not_reached ();
    }

  /* A NULL string means "" for a field that is always present. */
  if (field == DESK_FIELD_TITLE && change->title == NULL)
    change->title = g_strdup ("");
  else if (field == DESK_FIELD_BODY && change->body == NULL)
    change->body = g_strdup ("");
  else if (field == DESK_FIELD_TLDR && change->tldr == NULL)
    change->tldr = g_strdup ("");
  else if (field == DESK_FIELD_IMPACT_ANALYSIS && change->impact_analysis == NULL)
    change->impact_analysis = g_strdup ("");
  else if (field == DESK_FIELD_EDITORIAL_COMMENT && change->editorial_comment == NULL)
    change->editorial_comment = g_strdup ("");

  desk_entry_apply_fields (self, change);
}

static void
desk_entry_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DeskEntry *self = DESK_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_REVISION:
      g_value_set_int64 (value, self->revision);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_SOURCE:
      g_value_set_boxed (value, self->source);
      break;
    case PROP_COLLECTED_AT:
      g_value_set_string (value, self->collected_at);
      break;
    case PROP_ANALYZED_AT:
      g_value_set_string (value, self->analyzed_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_string (value, self->updated_at);
      break;
    case PROP_READING_MINUTES:
      g_value_set_int64 (value, self->reading_minutes);
      break;
    case PROP_ORIGINAL:
      g_value_set_boxed (value, self->original);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->fields->title);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->fields->body);
      break;
    case PROP_TLDR:
      g_value_set_string (value, self->fields->tldr);
      break;
    case PROP_TAGS:
      g_value_set_boxed (value, self->fields->tags);
      break;
    case PROP_IMPORTANCE:
      g_value_set_boxed (value, &self->fields->importance);
      break;
    case PROP_KEY_POINTS:
      /* G_TYPE_PTR_ARRAY copies by reference: hand out a deep copy so
       * callers cannot change the entry behind its back. */
      {
        GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);

        for (guint i = 0; i < self->fields->key_points->len; i++)
          g_ptr_array_add (copy, desk_key_point_copy (g_ptr_array_index (self->fields->key_points, i)));
        g_value_take_boxed (value, copy);
      }
      break;
    case PROP_IMPACT_ANALYSIS:
      g_value_set_string (value, self->fields->impact_analysis);
      break;
    case PROP_EDITORIAL_COMMENT:
      g_value_set_string (value, self->fields->editorial_comment);
      break;
    case PROP_MACHINE:
      g_value_set_boxed (value, self->machine);
      break;
    case PROP_LOCK:
      g_value_set_boxed (value, self->lock);
      break;
    case PROP_PUBLISHED:
      g_value_set_boxed (value, self->published);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_entry_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DeskEntry *self = DESK_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      /* Construct-only. */
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_REVISION:
      desk_entry_set_revision (self, g_value_get_int64 (value));
      break;
    case PROP_STATUS:
      desk_entry_set_status (self, g_value_get_enum (value));
      break;
    case PROP_KIND:
      desk_entry_set_kind (self, g_value_get_enum (value));
      break;
    case PROP_SOURCE:
      desk_entry_set_source (self, g_value_get_boxed (value));
      break;
    case PROP_COLLECTED_AT:
      desk_entry_set_collected_at (self, g_value_get_string (value));
      break;
    case PROP_ANALYZED_AT:
      desk_entry_set_analyzed_at (self, g_value_get_string (value));
      break;
    case PROP_UPDATED_AT:
      desk_entry_set_updated_at (self, g_value_get_string (value));
      break;
    case PROP_READING_MINUTES:
      desk_entry_set_reading_minutes (self, g_value_get_int64 (value));
      break;
    case PROP_ORIGINAL:
      desk_entry_set_original (self, g_value_get_boxed (value));
      break;
    case PROP_TITLE:
      set_field_from_value (self, DESK_FIELD_TITLE, value);
      break;
    case PROP_BODY:
      set_field_from_value (self, DESK_FIELD_BODY, value);
      break;
    case PROP_TLDR:
      set_field_from_value (self, DESK_FIELD_TLDR, value);
      break;
    case PROP_TAGS:
      set_field_from_value (self, DESK_FIELD_TAGS, value);
      break;
    case PROP_IMPORTANCE:
      set_field_from_value (self, DESK_FIELD_IMPORTANCE, value);
      break;
    case PROP_KEY_POINTS:
      set_field_from_value (self, DESK_FIELD_KEY_POINTS, value);
      break;
    case PROP_IMPACT_ANALYSIS:
      set_field_from_value (self, DESK_FIELD_IMPACT_ANALYSIS, value);
      break;
    case PROP_EDITORIAL_COMMENT:
      set_field_from_value (self, DESK_FIELD_EDITORIAL_COMMENT, value);
      break;
    case PROP_MACHINE:
      desk_entry_set_machine (self, g_value_get_boxed (value));
      break;
    case PROP_LOCK:
      desk_entry_set_lock (self, g_value_get_boxed (value));
      break;
    case PROP_PUBLISHED:
      desk_entry_set_published (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_entry_class_init (DeskEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = desk_entry_finalize;
  object_class->get_property = desk_entry_get_property;
  object_class->set_property = desk_entry_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVISION] =
    g_param_spec_int64 ("revision", NULL, NULL, 0, DESK_JSON_MAX_INT, 0, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, DESK_TYPE_ENTRY_STATUS,
                       DESK_ENTRY_STATUS_INCOMING, flags);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, DESK_TYPE_ENTRY_KIND,
                       DESK_ENTRY_KIND_ARTICLE, flags);
  properties[PROP_SOURCE] =
    g_param_spec_boxed ("source", NULL, NULL, DESK_TYPE_SOURCE, flags);
  properties[PROP_COLLECTED_AT] =
    g_param_spec_string ("collected-at", NULL, NULL, NULL, flags);
  properties[PROP_ANALYZED_AT] =
    g_param_spec_string ("analyzed-at", NULL, NULL, NULL, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_string ("updated-at", NULL, NULL, NULL, flags);
  properties[PROP_READING_MINUTES] =
    g_param_spec_int64 ("reading-minutes", NULL, NULL, -1, MAX_READING_MINUTES, -1, flags);
  properties[PROP_ORIGINAL] =
    g_param_spec_boxed ("original", NULL, NULL, DESK_TYPE_ORIGINAL, flags);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, "", flags);
  properties[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL, "", flags);
  properties[PROP_TLDR] =
    g_param_spec_string ("tldr", NULL, NULL, "", flags);
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_IMPORTANCE] =
    g_param_spec_boxed ("importance", NULL, NULL, DESK_TYPE_IMPORTANCE, flags);
  properties[PROP_KEY_POINTS] =
    g_param_spec_boxed ("key-points", NULL, NULL, G_TYPE_PTR_ARRAY, flags);
  properties[PROP_IMPACT_ANALYSIS] =
    g_param_spec_string ("impact-analysis", NULL, NULL, "", flags);
  properties[PROP_EDITORIAL_COMMENT] =
    g_param_spec_string ("editorial-comment", NULL, NULL, "", flags);
  properties[PROP_MACHINE] =
    g_param_spec_boxed ("machine", NULL, NULL, DESK_TYPE_EDITABLE, flags);
  properties[PROP_LOCK] =
    g_param_spec_boxed ("lock", NULL, NULL, DESK_TYPE_LOCK, flags);
  properties[PROP_PUBLISHED] =
    g_param_spec_boxed ("published", NULL, NULL, DESK_TYPE_PUBLISHED, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_entry_init (DeskEntry *self)
{
  self->revision = 0;
  self->status = DESK_ENTRY_STATUS_INCOMING;
  self->kind = DESK_ENTRY_KIND_ARTICLE;
  self->reading_minutes = -1;
  self->fields = desk_editable_new ();
  init_fields (self->fields);
}

DeskEntry *
desk_entry_new (const char *id)
{
  return g_object_new (DESK_TYPE_ENTRY, "id", id, NULL);
}

/* ---- reading ------------------------------------------------------------- */

static gboolean
read_time (JsonObject     *object,
           const char     *path,
           const char     *name,
           DeskReadFlags   flags,
           char          **out,
           GError        **error)
{
  if (!desk_json_read_string (object, path, name, flags, out, error))
    return FALSE;

  if (*out != NULL && !desk_rfc3339_is_valid (*out))
    {
      g_autofree char *member_path = desk_json_path_join (path, name);

      desk_json_set_error (error, DESK_JSON_ERROR_INVALID, member_path,
                           _("must be an RFC 3339 time with an offset"));
      g_clear_pointer (out, g_free);
      return FALSE;
    }
  return TRUE;
}

static gboolean
refuse_members (JsonObject         *object,
                const char         *path,
                const char * const *names,
                const char         *message,
                GError            **error)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (json_object_has_member (object, names[i]))
        {
          g_autofree char *member_path = desk_json_path_join (path, names[i]);

          desk_json_set_error (error, DESK_JSON_ERROR_UNKNOWN, member_path, "%s", message);
          return FALSE;
        }
    }
  return TRUE;
}

DeskEntry *
desk_entry_read (JsonNode       *node,
                 DeskEntryForm   form,
                 const char     *path,
                 GError        **error)
{
  g_autoptr(DeskEntry) self = NULL;
  g_autofree char *id = NULL;
  g_autofree char *str = NULL;
  g_autofree char *source_path = desk_json_path_join (path, "source");
  g_autofree char *original_path = desk_json_path_join (path, "original");
  g_autofree char *machine_path = desk_json_path_join (path, "machine");
  g_autofree char *lock_path = desk_json_path_join (path, "lock");
  g_autofree char *published_path = desk_json_path_join (path, "published");
  gboolean pipeline = form == DESK_ENTRY_FORM_PIPELINE;
  gboolean summary = form == DESK_ENTRY_FORM_SUMMARY;
  DeskReadFlags required_or_null = pipeline ? DESK_READ_NULLABLE
                                            : DESK_READ_REQUIRED | DESK_READ_NULLABLE;
  gboolean is_null = FALSE;
  JsonObject *object;
  JsonNode *member;

  object = desk_json_expect_object (node, path, error);
  if (object == NULL)
    return NULL;

  /* Members the form does not allow come first: they say most about what
   * went wrong ("a full entry sent to POST /entries"). */
  if (pipeline)
    {
      static const char * const refused[] = {
        "revision", "status", "updated_at", "title", "body", "tldr", "tags",
        "importance", "key_points", "impact_analysis", "editorial_comment",
        "lock", "published", NULL,
      };

      if (!refuse_members (object, path, refused, _("not allowed in the pipeline form"), error))
        return NULL;
    }
  else if (summary)
    {
      static const char * const refused[] = { "body", "machine", NULL };

      if (!refuse_members (object, path, refused, _("not allowed in the summary form"), error))
        return NULL;
    }

  if (!desk_json_read_string (object, path, "id", DESK_READ_REQUIRED, &id, error))
    return NULL;
  if (!desk_entry_id_is_valid (id))
    {
      g_autofree char *member_path = desk_json_path_join (path, "id");

      desk_json_set_error (error, DESK_JSON_ERROR_INVALID, member_path,
                           _("must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_' and '-'"));
      return NULL;
    }

  self = desk_entry_new (id);

  if (!pipeline)
    {
      if (!desk_json_read_int (object, path, "revision", DESK_READ_REQUIRED,
                               1, DESK_JSON_MAX_INT, NULL, &self->revision, error))
        return NULL;

      if (!desk_json_read_string (object, path, "status", DESK_READ_REQUIRED, &str, error))
        return NULL;
      if (!desk_entry_status_from_string (str, &self->status))
        {
          g_autofree char *member_path = desk_json_path_join (path, "status");

          desk_json_set_error (error, DESK_JSON_ERROR_INVALID, member_path,
                               _("must be one of incoming, in_review, approved, published, rejected"));
          return NULL;
        }
      g_clear_pointer (&str, g_free);
    }

  if (!desk_json_read_string (object, path, "kind", DESK_READ_REQUIRED, &str, error))
    return NULL;
  if (!desk_entry_kind_from_string (str, &self->kind))
    {
      g_autofree char *member_path = desk_json_path_join (path, "kind");

      desk_json_set_error (error, DESK_JSON_ERROR_INVALID, member_path,
                           _("must be one of article, paper, video"));
      return NULL;
    }
  g_clear_pointer (&str, g_free);

  member = json_object_get_member (object, "source");
  if (member == NULL)
    {
      desk_json_set_error (error, DESK_JSON_ERROR_MISSING, source_path, _("required"));
      return NULL;
    }
  self->source = desk_source_read (member, source_path, pipeline, error);
  if (self->source == NULL)
    return NULL;

  if (!read_time (object, path, "collected_at", DESK_READ_REQUIRED, &self->collected_at, error) ||
      !read_time (object, path, "analyzed_at", required_or_null, &self->analyzed_at, error))
    return NULL;

  if (!pipeline &&
      !read_time (object, path, "updated_at", DESK_READ_REQUIRED, &self->updated_at, error))
    return NULL;

  /* null (unknown) in every form: the pipeline may not know it, and the
   * entry is then served with null. */
  if (!desk_json_read_int (object, path, "reading_minutes", required_or_null,
                           0, MAX_READING_MINUTES, &is_null, &self->reading_minutes, error))
    return NULL;
  if (is_null)
    self->reading_minutes = -1;

  member = json_object_get_member (object, "original");
  if (member == NULL)
    {
      desk_json_set_error (error, DESK_JSON_ERROR_MISSING, original_path, _("required"));
      return NULL;
    }
  self->original = desk_original_read (member, original_path, !summary,
                                       _("not allowed in the summary form"), error);
  if (self->original == NULL)
    return NULL;

  if (!pipeline)
    {
      DeskFields fields = summary ? DESK_FIELDS_ALL & ~DESK_FIELD_BODY : DESK_FIELDS_ALL;

      if (!desk_editable_read_members (self->fields, object, path, fields, fields, TRUE,
                                       NULL, error))
        return NULL;
      if (summary)
        desk_editable_clear_field (self->fields, DESK_FIELD_BODY);
    }

  if (!summary)
    {
      g_autoptr(DeskEditable) machine = NULL;

      member = json_object_get_member (object, "machine");
      if (member == NULL)
        {
          desk_json_set_error (error, DESK_JSON_ERROR_MISSING, machine_path, _("required"));
          return NULL;
        }

      machine = desk_editable_new_from_json (member, machine_path, DESK_FIELDS_MACHINE,
                                             DESK_FIELDS_MACHINE, TRUE, error);
      if (machine == NULL)
        return NULL;

      if (pipeline)
        {
          g_autoptr(DeskEditable) comment = desk_editable_new ();

          desk_editable_merge (self->fields, machine);
          comment->present = DESK_FIELD_EDITORIAL_COMMENT;
          comment->editorial_comment = g_strdup ("");
          desk_editable_merge (self->fields, comment);
        }
      self->machine = g_steal_pointer (&machine);
    }

  if (!pipeline)
    {
      member = json_object_get_member (object, "lock");
      if (member == NULL)
        {
          desk_json_set_error (error, DESK_JSON_ERROR_MISSING, lock_path, _("required"));
          return NULL;
        }
      if (!JSON_NODE_HOLDS_NULL (member))
        {
          if (!JSON_NODE_HOLDS_OBJECT (member))
            {
              desk_json_set_error (error, DESK_JSON_ERROR_TYPE, lock_path,
                                   _("must be an object or null"));
              return NULL;
            }
          self->lock = desk_lock_new_from_json (member, lock_path, error);
          if (self->lock == NULL)
            return NULL;
        }

      member = json_object_get_member (object, "published");
      if (member == NULL)
        {
          desk_json_set_error (error, DESK_JSON_ERROR_MISSING, published_path, _("required"));
          return NULL;
        }
      if (!JSON_NODE_HOLDS_NULL (member))
        {
          if (!JSON_NODE_HOLDS_OBJECT (member))
            {
              desk_json_set_error (error, DESK_JSON_ERROR_TYPE, published_path,
                                   _("must be an object or null"));
              return NULL;
            }
          self->published = desk_published_new_from_json (member, published_path, error);
          if (self->published == NULL)
            return NULL;
        }
    }

  self->extra = desk_json_collect_extra (object, entry_members);
  return g_steal_pointer (&self);
}

DeskEntry *
desk_entry_new_from_json (JsonNode       *node,
                          DeskEntryForm   form,
                          GError        **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (form <= DESK_ENTRY_FORM_PIPELINE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return desk_entry_read (node, form, NULL, error);
}

DeskEntry *
desk_entry_new_from_data (const char     *data,
                          gssize          length,
                          DeskEntryForm   form,
                          GError        **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = desk_json_parse (data, length, DESK_JSON_MAX_BYTES, DESK_JSON_MAX_DEPTH, error);
  if (node == NULL)
    return NULL;
  return desk_entry_new_from_json (node, form, error);
}

/* ---- writing ------------------------------------------------------------- */

JsonNode *
desk_entry_to_json (DeskEntry     *self,
                    DeskEntryForm  form)
{
  gboolean pipeline = form == DESK_ENTRY_FORM_PIPELINE;
  gboolean summary = form == DESK_ENTRY_FORM_SUMMARY;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "id", self->id != NULL ? self->id : "");
  if (!pipeline)
    {
      json_object_set_int_member (object, "revision", self->revision);
      json_object_set_string_member (object, "status", desk_entry_status_to_string (self->status));
    }
  json_object_set_string_member (object, "kind", desk_entry_kind_to_string (self->kind));

  if (self->source != NULL)
    json_object_set_member (object, "source", desk_source_to_json (self->source));
  else
    json_object_set_null_member (object, "source");

  desk_json_set_string_or_null (object, "collected_at", self->collected_at);
  desk_json_set_string_or_null (object, "analyzed_at", self->analyzed_at);
  if (!pipeline)
    desk_json_set_string_or_null (object, "updated_at", self->updated_at);

  if (self->reading_minutes >= 0)
    json_object_set_int_member (object, "reading_minutes", self->reading_minutes);
  else
    json_object_set_null_member (object, "reading_minutes");

  if (self->original != NULL)
    json_object_set_member (object, "original", desk_original_to_json (self->original, !summary));
  else
    json_object_set_null_member (object, "original");

  if (!pipeline)
    {
      g_autoptr(DeskEditable) fields = desk_editable_copy (self->fields);

      if (summary)
        desk_editable_clear_field (fields, DESK_FIELD_BODY);
      else if (!(fields->present & DESK_FIELD_BODY))
        {
          /* A summary written in the full form: the body is unknown. */
          fields->body = g_strdup ("");
          fields->present |= DESK_FIELD_BODY;
        }
      desk_editable_write_members (fields, object);
    }

  if (!summary)
    {
      if (self->machine != NULL)
        json_object_set_member (object, "machine", desk_editable_to_json (self->machine));
      else
        json_object_set_null_member (object, "machine");
    }

  if (!pipeline)
    {
      if (self->lock != NULL)
        json_object_set_member (object, "lock", desk_lock_to_json (self->lock));
      else
        json_object_set_null_member (object, "lock");

      if (self->published != NULL)
        json_object_set_member (object, "published", desk_published_to_json (self->published));
      else
        json_object_set_null_member (object, "published");
    }

  desk_json_append_extra (object, self->extra);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

char *
desk_entry_to_data (DeskEntry     *self,
                    DeskEntryForm  form,
                    gboolean       pretty,
                    gsize         *length)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);

  node = desk_entry_to_json (self, form);
  return desk_json_to_string (node, pretty, length);
}

DeskEntry *
desk_entry_copy (DeskEntry *self)
{
  DeskEntry *copy;

  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);

  copy = desk_entry_new (self->id);
  copy->revision = self->revision;
  copy->status = self->status;
  copy->kind = self->kind;
  copy->source = self->source != NULL ? desk_source_copy (self->source) : NULL;
  copy->collected_at = g_strdup (self->collected_at);
  copy->analyzed_at = g_strdup (self->analyzed_at);
  copy->updated_at = g_strdup (self->updated_at);
  copy->reading_minutes = self->reading_minutes;
  copy->original = self->original != NULL ? desk_original_copy (self->original) : NULL;
  g_clear_pointer (&copy->fields, desk_editable_free);
  copy->fields = desk_editable_copy (self->fields);
  copy->machine = self->machine != NULL ? desk_editable_copy (self->machine) : NULL;
  copy->lock = self->lock != NULL ? desk_lock_copy (self->lock) : NULL;
  copy->published = self->published != NULL ? desk_published_copy (self->published) : NULL;
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

/* ---- accessors ----------------------------------------------------------- */

static gboolean
set_string (char       **slot,
            const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

const char *
desk_entry_get_id (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->id;
}

gint64
desk_entry_get_revision (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), 0);
  return self->revision;
}

void
desk_entry_set_revision (DeskEntry *self,
                         gint64     revision)
{
  g_return_if_fail (DESK_IS_ENTRY (self));
  g_return_if_fail (revision >= 0 && revision <= DESK_JSON_MAX_INT);

  if (self->revision == revision)
    return;
  self->revision = revision;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

DeskEntryStatus
desk_entry_get_status (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), DESK_ENTRY_STATUS_INCOMING);
  return self->status;
}

void
desk_entry_set_status (DeskEntry       *self,
                       DeskEntryStatus  status)
{
  g_return_if_fail (DESK_IS_ENTRY (self));
  g_return_if_fail (status <= DESK_ENTRY_STATUS_REJECTED);

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

DeskEntryKind
desk_entry_get_kind (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), DESK_ENTRY_KIND_ARTICLE);
  return self->kind;
}

void
desk_entry_set_kind (DeskEntry     *self,
                     DeskEntryKind  kind)
{
  g_return_if_fail (DESK_IS_ENTRY (self));
  g_return_if_fail (kind <= DESK_ENTRY_KIND_VIDEO);

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const DeskSource *
desk_entry_get_source (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->source;
}

void
desk_entry_set_source (DeskEntry        *self,
                       const DeskSource *source)
{
  g_return_if_fail (DESK_IS_ENTRY (self));

  if (desk_source_equal (self->source, source))
    return;
  g_clear_pointer (&self->source, desk_source_free);
  self->source = source != NULL ? desk_source_copy (source) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

const char *
desk_entry_get_collected_at (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->collected_at;
}

void
desk_entry_set_collected_at (DeskEntry  *self,
                             const char *rfc3339)
{
  g_return_if_fail (DESK_IS_ENTRY (self));

  if (set_string (&self->collected_at, rfc3339))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLLECTED_AT]);
}

const char *
desk_entry_get_analyzed_at (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->analyzed_at;
}

void
desk_entry_set_analyzed_at (DeskEntry  *self,
                            const char *rfc3339)
{
  g_return_if_fail (DESK_IS_ENTRY (self));

  if (set_string (&self->analyzed_at, rfc3339))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYZED_AT]);
}

const char *
desk_entry_get_updated_at (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->updated_at;
}

void
desk_entry_set_updated_at (DeskEntry  *self,
                           const char *rfc3339)
{
  g_return_if_fail (DESK_IS_ENTRY (self));

  if (set_string (&self->updated_at, rfc3339))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

gint64
desk_entry_get_reading_minutes (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), -1);
  return self->reading_minutes;
}

void
desk_entry_set_reading_minutes (DeskEntry *self,
                                gint64     minutes)
{
  g_return_if_fail (DESK_IS_ENTRY (self));
  g_return_if_fail (minutes >= -1 && minutes <= MAX_READING_MINUTES);

  if (self->reading_minutes == minutes)
    return;
  self->reading_minutes = minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READING_MINUTES]);
}

const DeskOriginal *
desk_entry_get_original (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->original;
}

void
desk_entry_set_original (DeskEntry          *self,
                         const DeskOriginal *original)
{
  g_return_if_fail (DESK_IS_ENTRY (self));

  if (desk_original_equal (self->original, original))
    return;
  g_clear_pointer (&self->original, desk_original_free);
  self->original = original != NULL ? desk_original_copy (original) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGINAL]);
}

const DeskEditable *
desk_entry_get_fields (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->fields;
}

void
desk_entry_apply_fields (DeskEntry          *self,
                         const DeskEditable *fields)
{
  g_autoptr(DeskEditable) change = NULL;
  DeskFields changed = 0;

  g_return_if_fail (DESK_IS_ENTRY (self));
  g_return_if_fail (fields != NULL);

  for (DeskFields field = DESK_FIELD_TITLE; field <= DESK_FIELD_EDITORIAL_COMMENT; field <<= 1)
    if ((fields->present & field) && !desk_editable_field_equal (self->fields, fields, field))
      changed |= field;

  if (changed == 0)
    return;

  /* Only the changed members are merged, so unchanged ones keep their
   * identity (and nothing is notified for them). */
  change = desk_editable_copy (fields);
  for (DeskFields field = DESK_FIELD_TITLE; field <= DESK_FIELD_EDITORIAL_COMMENT; field <<= 1)
    if (!(changed & field))
      desk_editable_clear_field (change, field);
  desk_editable_merge (self->fields, change);

  g_object_freeze_notify (G_OBJECT (self));
  for (DeskFields field = DESK_FIELD_TITLE; field <= DESK_FIELD_EDITORIAL_COMMENT; field <<= 1)
    if (changed & field)
      g_object_notify_by_pspec (G_OBJECT (self), properties[field_property (field)]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
desk_entry_get_title (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->fields->title;
}

const char *
desk_entry_get_body (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->fields->body;
}

const char *
desk_entry_get_tldr (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->fields->tldr;
}

const char * const *
desk_entry_get_tags (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return (const char * const *) self->fields->tags;
}

const DeskImportance *
desk_entry_get_importance (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return &self->fields->importance;
}

GPtrArray *
desk_entry_get_key_points (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->fields->key_points;
}

const char *
desk_entry_get_impact_analysis (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->fields->impact_analysis;
}

const char *
desk_entry_get_editorial_comment (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->fields->editorial_comment;
}

const DeskEditable *
desk_entry_get_machine (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->machine;
}

void
desk_entry_set_machine (DeskEntry          *self,
                        const DeskEditable *machine)
{
  g_return_if_fail (DESK_IS_ENTRY (self));

  if (desk_editable_equal (self->machine, machine))
    return;
  g_clear_pointer (&self->machine, desk_editable_free);
  self->machine = machine != NULL ? desk_editable_copy (machine) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACHINE]);
}

const DeskLock *
desk_entry_get_lock (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->lock;
}

void
desk_entry_set_lock (DeskEntry      *self,
                     const DeskLock *lock)
{
  g_return_if_fail (DESK_IS_ENTRY (self));

  if (desk_lock_equal (self->lock, lock))
    return;
  g_clear_pointer (&self->lock, desk_lock_free);
  self->lock = lock != NULL ? desk_lock_copy (lock) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCK]);
}

const DeskPublished *
desk_entry_get_published (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);
  return self->published;
}

void
desk_entry_set_published (DeskEntry           *self,
                          const DeskPublished *published)
{
  g_return_if_fail (DESK_IS_ENTRY (self));

  if (desk_published_equal (self->published, published))
    return;
  g_clear_pointer (&self->published, desk_published_free);
  self->published = published != NULL ? desk_published_copy (published) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLISHED]);
}

char *
desk_entry_dup_etag (DeskEntry *self)
{
  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);

  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", self->revision);
}

static char *
first_extra_path (JsonObject *extra,
                  const char *path)
{
  g_autoptr(GList) names = NULL;

  if (extra == NULL || json_object_get_size (extra) == 0)
    return NULL;
  names = json_object_get_members (extra);
  return desk_json_path_join (path, names->data);
}

char *
desk_entry_dup_unknown_member_path (DeskEntry *self)
{
  char *found;

  g_return_val_if_fail (DESK_IS_ENTRY (self), NULL);

  if ((found = first_extra_path (self->extra, NULL)) != NULL ||
      (self->source != NULL && (found = first_extra_path (self->source->extra, "source")) != NULL) ||
      (self->original != NULL &&
       (found = first_extra_path (self->original->extra, "original")) != NULL))
    return found;

  if (self->machine != NULL)
    {
      if ((found = first_extra_path (self->machine->extra, "machine")) != NULL ||
          (found = first_extra_path (self->machine->importance.extra, "machine.importance")) != NULL)
        return found;

      for (guint i = 0; self->machine->key_points != NULL && i < self->machine->key_points->len; i++)
        {
          DeskKeyPoint *point = g_ptr_array_index (self->machine->key_points, i);
          g_autofree char *point_path = g_strdup_printf ("machine.key_points[%u]", i);

          if ((found = first_extra_path (point->extra, point_path)) != NULL)
            return found;
        }
    }

  if ((found = first_extra_path (self->fields->extra, NULL)) != NULL ||
      (found = first_extra_path (self->fields->importance.extra, "importance")) != NULL)
    return found;
  for (guint i = 0; self->fields->key_points != NULL && i < self->fields->key_points->len; i++)
    {
      DeskKeyPoint *point = g_ptr_array_index (self->fields->key_points, i);
      g_autofree char *point_path = g_strdup_printf ("key_points[%u]", i);

      if ((found = first_extra_path (point->extra, point_path)) != NULL)
        return found;
    }
  if (self->lock != NULL && (found = first_extra_path (self->lock->extra, "lock")) != NULL)
    return found;
  if (self->published != NULL &&
      (found = first_extra_path (self->published->extra, "published")) != NULL)
    return found;

  return NULL;
}
