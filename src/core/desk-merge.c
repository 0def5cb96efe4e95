/* desk-merge.c: three-way merge of an editor's draft with the site's current entry
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-merge.h"

static const DeskFields string_fields[] = {
  DESK_FIELD_TITLE, DESK_FIELD_BODY, DESK_FIELD_TLDR,
  DESK_FIELD_IMPACT_ANALYSIS, DESK_FIELD_EDITORIAL_COMMENT,
};

#define MAX_TAGS 10

/* One value of a three-way merge: which side wins, or a conflict. */
typedef enum {
  PICK_THEIRS,
  PICK_MINE,
  PICK_CONFLICT,
} Pick;

static Pick
pick (gboolean mine_changed,
      gboolean theirs_changed,
      gboolean mine_equals_theirs)
{
  if (!mine_changed || mine_equals_theirs)
    return mine_changed ? PICK_MINE : PICK_THEIRS;
  if (!theirs_changed)
    return PICK_MINE;
  return PICK_CONFLICT;
}

static Pick
pick_string (const char *base,
             const char *mine,
             const char *theirs)
{
  return pick (g_strcmp0 (base, mine) != 0, g_strcmp0 (base, theirs) != 0,
               g_strcmp0 (mine, theirs) == 0);
}

static Pick
pick_int (gint64 base,
          gint64 mine,
          gint64 theirs)
{
  return pick (base != mine, base != theirs, mine == theirs);
}

static char **
string_slot (DeskEditable *fields,
             DeskFields    field)
{
  switch (field)
    {
    case DESK_FIELD_TITLE: return &fields->title;
    case DESK_FIELD_BODY: return &fields->body;
    case DESK_FIELD_TLDR: return &fields->tldr;
    case DESK_FIELD_IMPACT_ANALYSIS: return &fields->impact_analysis;
    case DESK_FIELD_EDITORIAL_COMMENT: return &fields->editorial_comment;
    case DESK_FIELD_TAGS:
    case DESK_FIELD_IMPORTANCE:
    case DESK_FIELD_KEY_POINTS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
merge_importance (DeskImportance       *out,
                  const DeskImportance *base,
                  const DeskImportance *mine,
                  const DeskImportance *theirs)
{
  gint64 *slots[] = { &out->overall, &out->depth, &out->relevance,
                      &out->practicality, &out->innovation };
  const gint64 b[] = { base->overall, base->depth, base->relevance,
                       base->practicality, base->innovation };
  const gint64 m[] = { mine->overall, mine->depth, mine->relevance,
                       mine->practicality, mine->innovation };
  const gint64 t[] = { theirs->overall, theirs->depth, theirs->relevance,
                       theirs->practicality, theirs->innovation };
  gint64 merged[G_N_ELEMENTS (slots)];

  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      Pick p = pick_int (b[i], m[i], t[i]);

      if (p == PICK_CONFLICT)
        return FALSE;
      merged[i] = p == PICK_MINE ? m[i] : t[i];
    }
  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    *slots[i] = merged[i];
  return TRUE;
}

static gboolean
strv_has (const char * const *strv,
          const char         *str)
{
  return strv != NULL && g_strv_contains (strv, str);
}

static gboolean
merge_tags (GStrv              *out,
            const char * const *base,
            const char * const *mine,
            const char * const *theirs)
{
  g_autoptr(GPtrArray) merged = g_ptr_array_new ();

  /* theirs, less what mine removed */
  for (guint i = 0; theirs != NULL && theirs[i] != NULL; i++)
    if (!(strv_has (base, theirs[i]) && !strv_has (mine, theirs[i])))
      g_ptr_array_add (merged, (char *) theirs[i]);
  /* then what mine added */
  for (guint i = 0; mine != NULL && mine[i] != NULL; i++)
    if (!strv_has (base, mine[i]) &&
        !g_ptr_array_find_with_equal_func (merged, mine[i], g_str_equal, NULL))
      g_ptr_array_add (merged, (char *) mine[i]);

  if (merged->len == 0 || merged->len > MAX_TAGS)
    return FALSE;

  g_ptr_array_add (merged, NULL);
  g_strfreev (*out);
  *out = g_strdupv ((char **) merged->pdata);
  return TRUE;
}

static const char *
point_member (GPtrArray *points,
              guint      index,
              gboolean   heading)
{
  DeskKeyPoint *point = g_ptr_array_index (points, index);

  return heading ? point->heading : point->body;
}

static gboolean
merge_key_points (GPtrArray **out,
                  GPtrArray  *base,
                  GPtrArray  *mine,
                  GPtrArray  *theirs)
{
  g_autoptr(GPtrArray) merged = NULL;
  GPtrArray *longer;
  guint n = base->len;

  /* Items may be edited in place on both sides; only one side may append,
   * and neither may remove, for the lists to combine. */
  if (mine->len < n || theirs->len < n || (mine->len > n && theirs->len > n))
    return FALSE;

  merged = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
  for (guint i = 0; i < n; i++)
    {
      const char *values[2];

      for (guint h = 0; h < 2; h++)
        {
          const char *b = point_member (base, i, h == 0);
          const char *m = point_member (mine, i, h == 0);
          const char *t = point_member (theirs, i, h == 0);
          Pick p = pick_string (b, m, t);

          if (p == PICK_CONFLICT)
            return FALSE;
          values[h] = p == PICK_MINE ? m : t;
        }
      g_ptr_array_add (merged, desk_key_point_new (values[0], values[1]));
    }

  longer = mine->len > n ? mine : theirs;
  for (guint i = n; i < longer->len; i++)
    g_ptr_array_add (merged, desk_key_point_copy (g_ptr_array_index (longer, i)));

  g_clear_pointer (out, g_ptr_array_unref);
  *out = g_steal_pointer (&merged);
  return TRUE;
}

DeskEditable *
desk_merge_three_way (const DeskEditable *base,
                      const DeskEditable *mine,
                      const DeskEditable *theirs,
                      DeskFields         *conflicts)
{
  g_autoptr(DeskEditable) merged = NULL;
  g_autoptr(DeskEditable) mine_full = NULL;
  DeskFields changed_mine;
  DeskFields changed_theirs;
  DeskFields conflict = 0;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (mine != NULL, NULL);
  g_return_val_if_fail (theirs != NULL, NULL);
  g_return_val_if_fail ((base->present & DESK_FIELDS_ALL) == DESK_FIELDS_ALL, NULL);
  g_return_val_if_fail ((theirs->present & DESK_FIELDS_ALL) == DESK_FIELDS_ALL, NULL);

  /* A field the draft never touched is the base's value. */
  mine_full = desk_editable_copy (base);
  desk_editable_merge (mine_full, mine);
  merged = desk_editable_copy (theirs);

  changed_mine = desk_editable_diff (base, mine_full) & DESK_FIELDS_ALL;
  changed_theirs = desk_editable_diff (base, theirs) & DESK_FIELDS_ALL;

  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    {
      DeskFields field = string_fields[i];
      const char *m = *string_slot (mine_full, field);
      Pick p = pick_string (*string_slot ((DeskEditable *) base, field), m,
                            *string_slot ((DeskEditable *) theirs, field));

      if (p == PICK_CONFLICT)
        conflict |= field;
      else if (p == PICK_MINE)
        {
          char **slot = string_slot (merged, field);

          g_free (*slot);
          *slot = g_strdup (m);
        }
    }

  if (changed_mine & DESK_FIELD_IMPORTANCE)
    {
      if (!(changed_theirs & DESK_FIELD_IMPORTANCE))
        desk_importance_copy_into (&merged->importance, &mine_full->importance);
      else if (!merge_importance (&merged->importance, &base->importance,
                                  &mine_full->importance, &theirs->importance))
        conflict |= DESK_FIELD_IMPORTANCE;
    }

  if (changed_mine & DESK_FIELD_TAGS)
    {
      if (!merge_tags (&merged->tags, (const char * const *) base->tags,
                       (const char * const *) mine_full->tags,
                       (const char * const *) theirs->tags))
        conflict |= DESK_FIELD_TAGS;
    }

  if (changed_mine & DESK_FIELD_KEY_POINTS)
    {
      if (!(changed_theirs & DESK_FIELD_KEY_POINTS))
        {
          g_autoptr(DeskEditable) only_points = desk_editable_new ();

          only_points->present = DESK_FIELD_KEY_POINTS;
          only_points->key_points = g_ptr_array_ref (mine_full->key_points);
          desk_editable_merge (merged, only_points);
        }
      else if (!desk_editable_field_equal (mine_full, theirs, DESK_FIELD_KEY_POINTS) &&
               !merge_key_points (&merged->key_points, base->key_points,
                                  mine_full->key_points, theirs->key_points))
        conflict |= DESK_FIELD_KEY_POINTS;
    }

  if (conflicts != NULL)
    *conflicts = conflict;
  return g_steal_pointer (&merged);
}
