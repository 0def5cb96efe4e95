/* desk-api-types.c: the Site API's config, glossary, account, entry page and error documents
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-api-types.h"
#include "desk-json-private.h"

#define MAX_TERMS     10000
#define MAX_FORBIDDEN 1000

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static gboolean
require_non_empty (const char  *value,
                   const char  *path,
                   const char  *name,
                   GError     **error)
{
  g_autofree char *member_path = NULL;

  if (value != NULL && *value != '\0')
    return TRUE;

  member_path = desk_json_path_join (path, name);
  desk_json_set_error (error, DESK_JSON_ERROR_INVALID, member_path, _("must not be empty"));
  return FALSE;
}

/* ---- config -------------------------------------------------------------- */

static const char * const config_members[] = {
  "importance_weights", "key_points", "tldr_max_chars", "title_max_chars", "house_style", NULL,
};

G_DEFINE_BOXED_TYPE (DeskSiteConfig, desk_site_config, desk_site_config_copy, desk_site_config_free)

DeskSiteConfig *
desk_site_config_new_default (void)
{
  DeskSiteConfig *self = g_new0 (DeskSiteConfig, 1);

  desk_importance_weights_init_default (&self->weights);
  self->key_points_min = 3;
  self->key_points_max = 7;
  self->tldr_max_chars = 200;
  self->title_max_chars = 120;
  self->house_style = DESK_HOUSE_STYLE_DESU_MASU;
  return self;
}

DeskSiteConfig *
desk_site_config_copy (const DeskSiteConfig *self)
{
  DeskSiteConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_site_config_free (DeskSiteConfig *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

static JsonObject *
read_object_member (JsonObject  *object,
                    const char  *path,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *member_path = desk_json_path_join (path, name);
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    {
      desk_json_set_error (error, DESK_JSON_ERROR_MISSING, member_path, _("required"));
      return NULL;
    }
  return desk_json_expect_object (node, member_path, error);
}

DeskSiteConfig *
desk_site_config_new_from_json (JsonNode  *node,
                                GError   **error)
{
  g_autoptr(DeskSiteConfig) self = NULL;
  g_autofree char *style = NULL;
  JsonObject *object;
  JsonObject *weights;
  JsonObject *key_points;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = desk_json_expect_object (node, NULL, error);
  if (object == NULL)
    return NULL;

  self = g_new0 (DeskSiteConfig, 1);

  weights = read_object_member (object, NULL, "importance_weights", error);
  if (weights == NULL ||
      !desk_json_read_double (weights, "importance_weights", "depth", DESK_READ_REQUIRED,
                              0.0, 1.0, &self->weights.depth, error) ||
      !desk_json_read_double (weights, "importance_weights", "relevance", DESK_READ_REQUIRED,
                              0.0, 1.0, &self->weights.relevance, error) ||
      !desk_json_read_double (weights, "importance_weights", "practicality", DESK_READ_REQUIRED,
                              0.0, 1.0, &self->weights.practicality, error) ||
      !desk_json_read_double (weights, "importance_weights", "innovation", DESK_READ_REQUIRED,
                              0.0, 1.0, &self->weights.innovation, error))
    return NULL;

  if (self->weights.depth + self->weights.relevance +
      self->weights.practicality + self->weights.innovation <= 0.0)
    {
      desk_json_set_error (error, DESK_JSON_ERROR_RANGE, "importance_weights",
                           _("must not all be 0"));
      return NULL;
    }

  key_points = read_object_member (object, NULL, "key_points", error);
  if (key_points == NULL ||
      !desk_json_read_int (key_points, "key_points", "min", DESK_READ_REQUIRED,
                           0, 10, NULL, &self->key_points_min, error) ||
      !desk_json_read_int (key_points, "key_points", "max", DESK_READ_REQUIRED,
                           0, 10, NULL, &self->key_points_max, error))
    return NULL;

  if (self->key_points_min > self->key_points_max)
    {
      desk_json_set_error (error, DESK_JSON_ERROR_RANGE, "key_points.min",
                           _("must not be greater than key_points.max"));
      return NULL;
    }

  if (!desk_json_read_int (object, NULL, "tldr_max_chars", DESK_READ_REQUIRED,
                           1, DESK_JSON_MAX_INT, NULL, &self->tldr_max_chars, error) ||
      !desk_json_read_int (object, NULL, "title_max_chars", DESK_READ_REQUIRED,
                           1, DESK_JSON_MAX_INT, NULL, &self->title_max_chars, error) ||
      !desk_json_read_string (object, NULL, "house_style", DESK_READ_REQUIRED, &style, error))
    return NULL;

  if (!desk_house_style_from_string (style, &self->house_style))
    {
      desk_json_set_error (error, DESK_JSON_ERROR_INVALID, "house_style",
                           _("must be one of desu-masu, de-aru, any"));
      return NULL;
    }

  self->extra = desk_json_collect_extra (object, config_members);
  return g_steal_pointer (&self);
}

JsonNode *
desk_site_config_to_json (const DeskSiteConfig *self)
{
  JsonObject *object;
  JsonObject *weights;
  JsonObject *key_points;

  g_return_val_if_fail (self != NULL, NULL);

  weights = json_object_new ();
  json_object_set_double_member (weights, "depth", self->weights.depth);
  json_object_set_double_member (weights, "relevance", self->weights.relevance);
  json_object_set_double_member (weights, "practicality", self->weights.practicality);
  json_object_set_double_member (weights, "innovation", self->weights.innovation);

  key_points = json_object_new ();
  json_object_set_int_member (key_points, "min", self->key_points_min);
  json_object_set_int_member (key_points, "max", self->key_points_max);

  object = json_object_new ();
  json_object_set_object_member (object, "importance_weights", weights);
  json_object_set_object_member (object, "key_points", key_points);
  json_object_set_int_member (object, "tldr_max_chars", self->tldr_max_chars);
  json_object_set_int_member (object, "title_max_chars", self->title_max_chars);
  json_object_set_string_member (object, "house_style",
                                 desk_house_style_to_string (self->house_style));
  desk_json_append_extra (object, self->extra);
  return object_node (object);
}

/* ---- glossary ------------------------------------------------------------ */

static const char * const term_members[] = { "source", "target", "forbidden", "note", NULL };
static const char * const glossary_members[] = { "revision", "terms", NULL };

G_DEFINE_BOXED_TYPE (DeskGlossaryTerm, desk_glossary_term,
                     desk_glossary_term_copy, desk_glossary_term_free)
G_DEFINE_BOXED_TYPE (DeskGlossary, desk_glossary, desk_glossary_copy, desk_glossary_free)

DeskGlossaryTerm *
desk_glossary_term_new (const char *source,
                        const char *target)
{
  DeskGlossaryTerm *self = g_new0 (DeskGlossaryTerm, 1);

  self->source = g_strdup (source);
  self->target = g_strdup (target);
  self->forbidden = g_new0 (char *, 1);
  self->note = g_strdup ("");
  return self;
}

DeskGlossaryTerm *
desk_glossary_term_copy (const DeskGlossaryTerm *self)
{
  DeskGlossaryTerm *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DeskGlossaryTerm, 1);
  copy->source = g_strdup (self->source);
  copy->target = g_strdup (self->target);
  copy->forbidden = self->forbidden != NULL ? g_strdupv (self->forbidden) : g_new0 (char *, 1);
  copy->note = g_strdup (self->note != NULL ? self->note : "");
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_glossary_term_free (DeskGlossaryTerm *self)
{
  if (self == NULL)
    return;

  g_free (self->source);
  g_free (self->target);
  g_strfreev (self->forbidden);
  g_free (self->note);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

DeskGlossary *
desk_glossary_new (void)
{
  DeskGlossary *self = g_new0 (DeskGlossary, 1);

  self->terms = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_glossary_term_free);
  return self;
}

DeskGlossary *
desk_glossary_copy (const DeskGlossary *self)
{
  DeskGlossary *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = desk_glossary_new ();
  copy->revision = self->revision;
  for (guint i = 0; self->terms != NULL && i < self->terms->len; i++)
    g_ptr_array_add (copy->terms, desk_glossary_term_copy (g_ptr_array_index (self->terms, i)));
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_glossary_free (DeskGlossary *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->terms, g_ptr_array_unref);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

static DeskGlossaryTerm *
glossary_term_read (JsonNode    *node,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(DeskGlossaryTerm) self = g_new0 (DeskGlossaryTerm, 1);
  g_autofree char *forbidden_path = desk_json_path_join (path, "forbidden");
  JsonObject *object;

  object = desk_json_expect_object (node, path, error);
  if (object == NULL)
    return NULL;

  if (!desk_json_read_string (object, path, "source", DESK_READ_REQUIRED, &self->source, error) ||
      !require_non_empty (self->source, path, "source", error) ||
      !desk_json_read_string (object, path, "target", DESK_READ_REQUIRED, &self->target, error) ||
      !require_non_empty (self->target, path, "target", error) ||
      !desk_json_read_strv (object, path, "forbidden", DESK_READ_OPTIONAL, MAX_FORBIDDEN,
                            &self->forbidden, error) ||
      !desk_json_read_string (object, path, "note", DESK_READ_OPTIONAL, &self->note, error))
    return NULL;

  if (self->forbidden == NULL)
    self->forbidden = g_new0 (char *, 1);
  if (self->note == NULL)
    self->note = g_strdup ("");

  for (guint i = 0; self->forbidden[i] != NULL; i++)
    {
      if (*self->forbidden[i] == '\0')
        {
          g_autofree char *item_path = desk_json_path_index (forbidden_path, i);

          desk_json_set_error (error, DESK_JSON_ERROR_INVALID, item_path, _("must not be empty"));
          return NULL;
        }
    }

  self->extra = desk_json_collect_extra (object, term_members);
  return g_steal_pointer (&self);
}

DeskGlossary *
desk_glossary_new_from_json (JsonNode  *node,
                             gboolean   with_revision,
                             GError   **error)
{
  g_autoptr(DeskGlossary) self = NULL;
  g_autoptr(GHashTable) sources = NULL;
  JsonObject *object;
  JsonNode *terms_node;
  JsonArray *terms;
  guint n;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = desk_json_expect_object (node, NULL, error);
  if (object == NULL)
    return NULL;

  self = desk_glossary_new ();

  /* In a PUT body the revision is ignored, whatever it holds, so a client
   * may send back what it got. */
  if (with_revision &&
      !desk_json_read_int (object, NULL, "revision", DESK_READ_REQUIRED,
                           1, DESK_JSON_MAX_INT, NULL, &self->revision, error))
    return NULL;

  terms_node = json_object_get_member (object, "terms");
  if (terms_node == NULL)
    {
      desk_json_set_error (error, DESK_JSON_ERROR_MISSING, "terms", _("required"));
      return NULL;
    }
  terms = desk_json_expect_array (terms_node, "terms", error);
  if (terms == NULL)
    return NULL;

  n = json_array_get_length (terms);
  if (n > MAX_TERMS)
    {
      desk_json_set_error (error, DESK_JSON_ERROR_RANGE, "terms",
                           _("must have at most %u items"), (guint) MAX_TERMS);
      return NULL;
    }

  sources = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_path = desk_json_path_index ("terms", i);
      DeskGlossaryTerm *term;

      term = glossary_term_read (json_array_get_element (terms, i), item_path, error);
      if (term == NULL)
        return NULL;
      g_ptr_array_add (self->terms, term);

      if (!g_hash_table_add (sources, term->source))
        {
          g_autofree char *source_path = desk_json_path_join (item_path, "source");

          desk_json_set_error (error, DESK_JSON_ERROR_INVALID, source_path,
                               _("duplicate source \"%s\""), term->source);
          return NULL;
        }
    }

  self->extra = desk_json_collect_extra (object, glossary_members);
  return g_steal_pointer (&self);
}

JsonNode *
desk_glossary_to_json (const DeskGlossary *self,
                       gboolean            with_revision)
{
  JsonObject *object;
  JsonArray *terms;

  g_return_val_if_fail (self != NULL, NULL);

  terms = json_array_new ();
  for (guint i = 0; self->terms != NULL && i < self->terms->len; i++)
    {
      const DeskGlossaryTerm *term = g_ptr_array_index (self->terms, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "source", term->source != NULL ? term->source : "");
      json_object_set_string_member (item, "target", term->target != NULL ? term->target : "");
      json_object_set_member (item, "forbidden",
                              desk_json_strv_to_node ((const char * const *) term->forbidden));
      json_object_set_string_member (item, "note", term->note != NULL ? term->note : "");
      desk_json_append_extra (item, term->extra);
      json_array_add_object_element (terms, item);
    }

  object = json_object_new ();
  if (with_revision)
    json_object_set_int_member (object, "revision", self->revision);
  json_object_set_array_member (object, "terms", terms);
  desk_json_append_extra (object, self->extra);
  return object_node (object);
}

/* ---- account ------------------------------------------------------------- */

static const char * const account_members[] = { "account", "display_name", "role", NULL };

G_DEFINE_BOXED_TYPE (DeskAccount, desk_account, desk_account_copy, desk_account_free)

DeskAccount *
desk_account_copy (const DeskAccount *self)
{
  DeskAccount *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DeskAccount, 1);
  copy->account = g_strdup (self->account);
  copy->display_name = g_strdup (self->display_name);
  copy->role = g_strdup (self->role);
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_account_free (DeskAccount *self)
{
  if (self == NULL)
    return;

  g_free (self->account);
  g_free (self->display_name);
  g_free (self->role);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

DeskAccount *
desk_account_new_from_json (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(DeskAccount) self = NULL;
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = desk_json_expect_object (node, NULL, error);
  if (object == NULL)
    return NULL;

  self = g_new0 (DeskAccount, 1);
  if (!desk_json_read_string (object, NULL, "account", DESK_READ_REQUIRED, &self->account, error) ||
      !require_non_empty (self->account, NULL, "account", error) ||
      !desk_json_read_string (object, NULL, "display_name", DESK_READ_REQUIRED,
                              &self->display_name, error) ||
      !desk_json_read_string (object, NULL, "role", DESK_READ_REQUIRED, &self->role, error))
    return NULL;

  if (strcmp (self->role, "editor") != 0 && strcmp (self->role, "pipeline") != 0)
    {
      desk_json_set_error (error, DESK_JSON_ERROR_INVALID, "role",
                           _("must be editor or pipeline"));
      return NULL;
    }

  self->extra = desk_json_collect_extra (object, account_members);
  return g_steal_pointer (&self);
}

JsonNode *
desk_account_to_json (const DeskAccount *self)
{
  JsonObject *object;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "account", self->account != NULL ? self->account : "");
  json_object_set_string_member (object, "display_name",
                                 self->display_name != NULL ? self->display_name : "");
  json_object_set_string_member (object, "role", self->role != NULL ? self->role : "");
  desk_json_append_extra (object, self->extra);
  return object_node (object);
}

/* ---- entry page ---------------------------------------------------------- */

static const char * const page_members[] = { "entries", "cursor", "more", NULL };

static DeskEntryPage *
desk_entry_page_copy (const DeskEntryPage *self)
{
  DeskEntryPage *copy = g_new0 (DeskEntryPage, 1);

  copy->entries = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; self->entries != NULL && i < self->entries->len; i++)
    g_ptr_array_add (copy->entries, desk_entry_copy (g_ptr_array_index (self->entries, i)));
  copy->cursor = g_strdup (self->cursor);
  copy->more = self->more;
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

G_DEFINE_BOXED_TYPE (DeskEntryPage, desk_entry_page, desk_entry_page_copy, desk_entry_page_free)

void
desk_entry_page_free (DeskEntryPage *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_free (self->cursor);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

DeskEntryPage *
desk_entry_page_new_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(DeskEntryPage) self = NULL;
  JsonObject *object;
  JsonNode *entries_node;
  JsonArray *entries;
  guint n;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = desk_json_expect_object (node, NULL, error);
  if (object == NULL)
    return NULL;

  self = g_new0 (DeskEntryPage, 1);
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);

  entries_node = json_object_get_member (object, "entries");
  if (entries_node == NULL)
    {
      desk_json_set_error (error, DESK_JSON_ERROR_MISSING, "entries", _("required"));
      return NULL;
    }
  entries = desk_json_expect_array (entries_node, "entries", error);
  if (entries == NULL)
    return NULL;

  n = json_array_get_length (entries);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_path = desk_json_path_index ("entries", i);
      DeskEntry *entry;

      entry = desk_entry_read (json_array_get_element (entries, i), DESK_ENTRY_FORM_SUMMARY,
                               item_path, error);
      if (entry == NULL)
        return NULL;
      g_ptr_array_add (self->entries, entry);
    }

  if (!desk_json_read_string (object, NULL, "cursor", DESK_READ_REQUIRED, &self->cursor, error) ||
      !desk_json_read_bool (object, NULL, "more", DESK_READ_REQUIRED, &self->more, error))
    return NULL;

  self->extra = desk_json_collect_extra (object, page_members);
  return g_steal_pointer (&self);
}

JsonNode *
desk_entry_page_to_json (const DeskEntryPage *self)
{
  JsonObject *object;
  JsonArray *entries;

  g_return_val_if_fail (self != NULL, NULL);

  entries = json_array_new ();
  for (guint i = 0; self->entries != NULL && i < self->entries->len; i++)
    json_array_add_element (entries,
                            desk_entry_to_json (g_ptr_array_index (self->entries, i),
                                                DESK_ENTRY_FORM_SUMMARY));

  object = json_object_new ();
  json_object_set_array_member (object, "entries", entries);
  json_object_set_string_member (object, "cursor", self->cursor != NULL ? self->cursor : "");
  json_object_set_boolean_member (object, "more", self->more);
  desk_json_append_extra (object, self->extra);
  return object_node (object);
}

/* ---- API error ----------------------------------------------------------- */

static const char * const api_error_members[] = { "error", "fields", "current", "lock", NULL };

G_DEFINE_BOXED_TYPE (DeskApiError, desk_api_error, desk_api_error_copy, desk_api_error_free)

DeskApiError *
desk_api_error_new (const char *code,
                    const char *message)
{
  DeskApiError *self = g_new0 (DeskApiError, 1);

  self->code = g_strdup (code);
  self->message = g_strdup (message);
  return self;
}

DeskApiError *
desk_api_error_copy (const DeskApiError *self)
{
  DeskApiError *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = desk_api_error_new (self->code, self->message);
  if (self->fields != NULL)
    {
      copy->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_field_error_free);
      for (guint i = 0; i < self->fields->len; i++)
        g_ptr_array_add (copy->fields, desk_field_error_copy (g_ptr_array_index (self->fields, i)));
    }
  copy->current = self->current != NULL ? desk_entry_copy (self->current) : NULL;
  copy->lock = self->lock != NULL ? desk_lock_copy (self->lock) : NULL;
  copy->current_glossary = self->current_glossary != NULL
    ? desk_glossary_copy (self->current_glossary) : NULL;
  copy->extra = desk_json_object_deep_copy (self->extra);
  return copy;
}

void
desk_api_error_free (DeskApiError *self)
{
  if (self == NULL)
    return;

  g_free (self->code);
  g_free (self->message);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_object (&self->current);
  g_clear_pointer (&self->lock, desk_lock_free);
  g_clear_pointer (&self->current_glossary, desk_glossary_free);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

DeskApiError *
desk_api_error_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(DeskApiError) self = NULL;
  JsonObject *object;
  JsonObject *inner;
  JsonNode *member;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = desk_json_expect_object (node, NULL, error);
  if (object == NULL)
    return NULL;

  self = g_new0 (DeskApiError, 1);

  inner = read_object_member (object, NULL, "error", error);
  if (inner == NULL ||
      !desk_json_read_string (inner, "error", "code", DESK_READ_REQUIRED, &self->code, error) ||
      !require_non_empty (self->code, "error", "code", error) ||
      !desk_json_read_string (inner, "error", "message", DESK_READ_REQUIRED,
                              &self->message, error))
    return NULL;

  member = json_object_get_member (object, "fields");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      JsonArray *fields = desk_json_expect_array (member, "fields", error);

      if (fields == NULL)
        return NULL;

      self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_field_error_free);
      for (guint i = 0; i < json_array_get_length (fields); i++)
        {
          g_autofree char *item_path = desk_json_path_index ("fields", i);
          g_autofree char *field = NULL;
          g_autofree char *message = NULL;
          JsonObject *item;

          item = desk_json_expect_object (json_array_get_element (fields, i), item_path, error);
          if (item == NULL ||
              !desk_json_read_string (item, item_path, "field", DESK_READ_REQUIRED, &field, error) ||
              !desk_json_read_string (item, item_path, "message", DESK_READ_REQUIRED,
                                      &message, error))
            return NULL;
          g_ptr_array_add (self->fields, desk_field_error_new (field, message));
        }
    }

  member = json_object_get_member (object, "current");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      JsonObject *current = desk_json_expect_object (member, "current", error);

      if (current == NULL)
        return NULL;

      /* A 412 on PUT /glossary carries the glossary. */
      if (json_object_has_member (current, "terms") && !json_object_has_member (current, "id"))
        {
          self->current_glossary = desk_glossary_new_from_json (member, TRUE, error);
          if (self->current_glossary == NULL)
            {
              g_prefix_error (error, "current.");
              return NULL;
            }
        }
      else
        {
          self->current = desk_entry_read (member, DESK_ENTRY_FORM_FULL, "current", error);
          if (self->current == NULL)
            return NULL;
        }
    }

  member = json_object_get_member (object, "lock");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      self->lock = desk_lock_new_from_json (member, "lock", error);
      if (self->lock == NULL)
        return NULL;
    }

  self->extra = desk_json_collect_extra (object, api_error_members);
  return g_steal_pointer (&self);
}

JsonNode *
desk_api_error_to_json (const DeskApiError *self)
{
  JsonObject *object;
  JsonObject *inner;

  g_return_val_if_fail (self != NULL, NULL);

  inner = json_object_new ();
  json_object_set_string_member (inner, "code", self->code != NULL ? self->code : "internal");
  json_object_set_string_member (inner, "message", self->message != NULL ? self->message : "");

  object = json_object_new ();
  json_object_set_object_member (object, "error", inner);

  if (self->fields != NULL)
    {
      JsonArray *fields = json_array_new ();

      for (guint i = 0; i < self->fields->len; i++)
        {
          const DeskFieldError *field = g_ptr_array_index (self->fields, i);
          JsonObject *item = json_object_new ();

          json_object_set_string_member (item, "field", field->field != NULL ? field->field : "");
          json_object_set_string_member (item, "message",
                                         field->message != NULL ? field->message : "");
          json_array_add_object_element (fields, item);
        }
      json_object_set_array_member (object, "fields", fields);
    }

  if (self->current != NULL)
    json_object_set_member (object, "current",
                            desk_entry_to_json (self->current, DESK_ENTRY_FORM_FULL));
  else if (self->current_glossary != NULL)
    json_object_set_member (object, "current",
                            desk_glossary_to_json (self->current_glossary, TRUE));

  if (self->lock != NULL)
    json_object_set_member (object, "lock", desk_lock_to_json (self->lock));

  desk_json_append_extra (object, self->extra);
  return object_node (object);
}
