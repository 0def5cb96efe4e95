/* desk-about.c: the About window, filled from the application's AppStream metainfo
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-about.h"

#define METAINFO_RESOURCE "/io/github/digestdesk/DigestDesk/metainfo.xml"

typedef struct {
  DeskAppInfo *info;
  GPtrArray   *stack;        /* element names, outermost first */
  GString     *text;         /* the text of the element being read */
  GString     *notes;        /* release notes markup of the first release */
  gboolean     in_release;   /* inside the first <release> */
  gboolean     seen_release;
  gboolean     skip;         /* inside an element with xml:lang */
  int          skip_depth;
  char        *url_type;
} Parser;

static void
set_str (char       **slot,
         const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static const char *
parent_name (Parser *p,
             guint   up)
{
  if (p->stack->len < up + 1)
    return "";
  return g_ptr_array_index (p->stack, p->stack->len - 1 - up);
}

/* The metainfo's text with its line breaks and indentation folded, as the
 * translation tools extract it. */
static char *
fold_space (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *s = text; *s != '\0'; s++)
    {
      if (g_ascii_isspace (*s))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *s);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  Parser *p = user_data;
  const char *lang = NULL, *type = NULL, *version = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "xml:lang"))
        lang = values[i];
      else if (g_str_equal (names[i], "type"))
        type = values[i];
      else if (g_str_equal (names[i], "version"))
        version = values[i];
    }

  if (p->stack->len == 0 && !g_str_equal (element, "component"))
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "Not AppStream metainfo: the root is <%s>", element);
      return;
    }
  g_ptr_array_add (p->stack, g_strdup (element));
  if (p->skip)
    return;
  /* The translations merged in by msgfmt: the app translates with gettext. */
  if (lang != NULL)
    {
      p->skip = TRUE;
      p->skip_depth = p->stack->len;
      return;
    }
  g_string_truncate (p->text, 0);

  if (g_str_equal (element, "url"))
    {
      g_free (p->url_type);
      p->url_type = g_strdup (type);
    }
  else if (g_str_equal (element, "release") && !p->seen_release)
    {
      p->seen_release = TRUE;
      p->in_release = TRUE;
      p->info->release_version = g_strdup (version);
    }
  else if (p->in_release && (g_str_equal (element, "ul") || g_str_equal (element, "ol")))
    g_string_append_printf (p->notes, "<%s>", element);
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element,
             gpointer              user_data,
             GError              **error)
{
  Parser *p = user_data;
  DeskAppInfo *info = p->info;
  const char *parent = parent_name (p, 1);
  g_autofree char *text = NULL;
  g_autofree char *popped = NULL;

  if (p->skip)
    {
      if ((int) p->stack->len == p->skip_depth)
        p->skip = FALSE;
      g_free (g_ptr_array_steal_index (p->stack, p->stack->len - 1));
      return;
    }
  text = fold_space (p->text->str);

  if (g_str_equal (parent, "component"))
    {
      if (g_str_equal (element, "id"))
        set_str (&info->id, text);
      else if (g_str_equal (element, "name"))
        set_str (&info->name, text);
      else if (g_str_equal (element, "summary"))
        set_str (&info->summary, text);
      else if (g_str_equal (element, "project_license"))
        set_str (&info->project_license, text);
      else if (g_str_equal (element, "developer_name") && info->developer_name == NULL)
        set_str (&info->developer_name, text);
      else if (g_str_equal (element, "url") && g_strcmp0 (p->url_type, "homepage") == 0)
        set_str (&info->homepage, text);
      else if (g_str_equal (element, "url") && g_strcmp0 (p->url_type, "bugtracker") == 0)
        set_str (&info->bugtracker, text);
    }
  else if (g_str_equal (parent, "developer") && g_str_equal (element, "name"))
    set_str (&info->developer_name, text);
  else if (p->in_release)
    {
      if (g_str_equal (element, "release"))
        p->in_release = FALSE;
      else if ((g_str_equal (element, "p") || g_str_equal (element, "li")) && text[0] != '\0')
        {
          g_autofree char *escaped = g_markup_escape_text (_(text), -1);
          g_string_append_printf (p->notes, "<%s>%s</%s>", element, escaped, element);
        }
      else if (g_str_equal (element, "ul") || g_str_equal (element, "ol"))
        g_string_append_printf (p->notes, "</%s>", element);
    }

  popped = g_ptr_array_steal_index (p->stack, p->stack->len - 1);
  g_string_truncate (p->text, 0);
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 length,
         gpointer              user_data,
         GError              **error)
{
  Parser *p = user_data;

  if (!p->skip)
    g_string_append_len (p->text, text, length);
}

DeskAppInfo *
desk_app_info_parse (const char  *xml,
                     gssize       length,
                     GError     **error)
{
  static const GMarkupParser parser = { start_element, end_element, text_cb, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(DeskAppInfo) info = g_new0 (DeskAppInfo, 1);
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) notes = g_string_new (NULL);
  Parser p = { info, stack, text, notes, FALSE, FALSE, FALSE, 0, NULL };
  gboolean ok;

  g_return_val_if_fail (xml != NULL, NULL);

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &p, NULL);
  ok = g_markup_parse_context_parse (context, xml, length, error) &&
       g_markup_parse_context_end_parse (context, error);
  g_free (p.url_type);
  if (!ok)
    return NULL;
  if (info->id == NULL || info->name == NULL)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_MISSING_ATTRIBUTE,
                           "The metainfo has no <id> or no <name>");
      return NULL;
    }
  if (notes->len > 0)
    info->release_notes = g_strdup (notes->str);
  return g_steal_pointer (&info);
}

DeskAppInfo *
desk_app_info_load (GError **error)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (METAINFO_RESOURCE, 0, error);
  gsize size;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  return desk_app_info_parse (data, size, error);
}

void
desk_app_info_free (DeskAppInfo *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->name);
  g_free (self->summary);
  g_free (self->project_license);
  g_free (self->developer_name);
  g_free (self->homepage);
  g_free (self->bugtracker);
  g_free (self->release_version);
  g_free (self->release_notes);
  g_free (self);
}

/* The SPDX ids GTK knows; others are shown as their SPDX name. */
static GtkLicense
license_type (const char *spdx)
{
  static const struct { const char *spdx; GtkLicense type; } known[] = {
    { "GPL-2.0-or-later", GTK_LICENSE_GPL_2_0 },
    { "GPL-3.0-or-later", GTK_LICENSE_GPL_3_0 },
    { "LGPL-2.1-or-later", GTK_LICENSE_LGPL_2_1 },
    { "LGPL-3.0-or-later", GTK_LICENSE_LGPL_3_0 },
    { "AGPL-3.0-or-later", GTK_LICENSE_AGPL_3_0 },
    { "GPL-2.0-only", GTK_LICENSE_GPL_2_0_ONLY },
    { "GPL-3.0-only", GTK_LICENSE_GPL_3_0_ONLY },
    { "MIT", GTK_LICENSE_MIT_X11 },
    { "Apache-2.0", GTK_LICENSE_APACHE_2_0 },
    { "MPL-2.0", GTK_LICENSE_MPL_2_0 },
  };

  for (guint i = 0; spdx != NULL && i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (spdx, known[i].spdx))
      return known[i].type;
  return GTK_LICENSE_CUSTOM;
}

GtkWidget *
desk_about_window_new (GtkWindow *parent)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskAppInfo) info = desk_app_info_load (&error);
  const char *credits = _("translator-credits");
  GtkWidget *about = adw_about_window_new ();
  AdwAboutWindow *window = ADW_ABOUT_WINDOW (about);

  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (about), parent);
      gtk_window_set_modal (GTK_WINDOW (about), TRUE);
    }
  /* The version is the build's; the metainfo's releases are checked
   * against it by the tests. */
  adw_about_window_set_version (window, PACKAGE_VERSION);
  adw_about_window_set_application_icon (window, APP_ID);
  if (info == NULL)
    {
      /* Only a broken build lacks the resource. */
      g_critical ("The application's metainfo could not be read: %s", error->message);
      adw_about_window_set_application_name (window, _("Digest Desk"));
      return about;
    }

  adw_about_window_set_application_name (window, _(info->name));
  if (info->summary != NULL)
    adw_about_window_set_comments (window, _(info->summary));
  if (info->developer_name != NULL)
    {
      const char *developers[] = { info->developer_name, NULL };

      /* A name (translate="no" in the metainfo). */
      adw_about_window_set_developer_name (window, info->developer_name);
      adw_about_window_set_developers (window, developers);
    }
  adw_about_window_set_license_type (window, license_type (info->project_license));
  if (license_type (info->project_license) == GTK_LICENSE_CUSTOM && info->project_license != NULL)
    adw_about_window_set_license (window, info->project_license);
  if (info->homepage != NULL)
    adw_about_window_set_website (window, info->homepage);
  if (info->bugtracker != NULL)
    adw_about_window_set_issue_url (window, info->bugtracker);
  if (info->release_notes != NULL)
    {
      adw_about_window_set_release_notes_version (window, info->release_version);
      adw_about_window_set_release_notes (window, info->release_notes);
    }
  /* Left untranslated, the msgid would show as a credit. */
  if (!g_str_equal (credits, "translator-credits"))
    adw_about_window_set_translator_credits (window, credits);
  adw_about_window_set_copyright (window, _("© 2026 The Digest Desk developers"));
  return about;
}
