/* desk-editor.c: the editable translation: title, TL;DR with its counter, Markdown body
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "desk-editor.h"

struct _DeskEditor
{
  GtkWidget                 parent_instance;

  GtkWidget                *box;
  GtkEntry                 *title_entry;
  GtkLabel                 *title_counter;
  GtkTextView              *tldr_view;
  GtkLabel                 *tldr_counter;
  GtkSearchBar             *search_bar;
  GtkSearchEntry           *search_entry;
  GtkButton                *search_prev;
  GtkButton                *search_next;
  GtkEntry                 *replace_entry;
  GtkButton                *replace_button;
  GtkButton                *replace_all_button;
  GtkLabel                 *search_count;
  GtkScrolledWindow        *body_scroller;
  GtkSourceView            *body_view;

  GtkSourceBuffer          *body_buffer;
  GtkSourceSearchContext   *search;
  GtkSourceGutterRenderer  *align_renderer;

  GArray                   *spans;        /* DeskSpan of the body, NULL when stale */
  int                      *aligned;      /* original block of each body block */
  guint                     n_aligned;
  GHashTable               *line_labels;  /* first line of a block → "¶N" */

  int                       title_max;
  int                       tldr_max;
  int                       cursor_block;
  guint                     cursor_idle;
  guint                     loading : 1;
  guint                     read_only : 1;
};

G_DEFINE_FINAL_TYPE (DeskEditor, desk_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CURSOR_BLOCK,
  PROP_READ_ONLY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
text_buffer_get_all (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static void
update_counter (GtkLabel   *label,
                int         count,
                int         max)
{
  g_autofree char *text = NULL;

  if (max > 0)
    /* Translators: characters used / allowed, e.g. "85 / 200" */
    text = g_strdup_printf (_("%d / %d"), count, max);
  else
    text = g_strdup_printf ("%d", count);
  gtk_label_set_text (label, text);
  if (max > 0 && count > max)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static void
update_counters (DeskEditor *self)
{
  GtkTextBuffer *tldr = gtk_text_view_get_buffer (self->tldr_view);
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_entry));

  update_counter (self->title_counter, g_utf8_strlen (title, -1), self->title_max);
  /* Code points, as the site counts them. */
  update_counter (self->tldr_counter, gtk_text_buffer_get_char_count (tldr), self->tldr_max);
}

static void
emit_changed (DeskEditor *self)
{
  if (self->loading)
    return;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
title_changed (DeskEditor *self)
{
  update_counters (self);
  emit_changed (self);
}

static void
tldr_changed (DeskEditor *self)
{
  update_counters (self);
  emit_changed (self);
}

/* ---- body blocks, the cursor and the alignment gutter ------------------------- */

static void
ensure_spans (DeskEditor *self)
{
  g_autofree char *body = NULL;

  if (self->spans != NULL)
    return;
  body = text_buffer_get_all (GTK_TEXT_BUFFER (self->body_buffer));
  self->spans = desk_markdown_split_blocks (body, -1);
}

static int
block_at_offset (DeskEditor *self,
                 int         offset)
{
  ensure_spans (self);
  for (guint i = 0; i < self->spans->len; i++)
    {
      const DeskSpan *span = &g_array_index (self->spans, DeskSpan, i);

      if ((gsize) offset < span->cp_start)
        return i > 0 ? (int) i - 1 : 0;
      if ((gsize) offset <= span->cp_end)
        return i;
    }
  return self->spans->len > 0 ? (int) self->spans->len - 1 : -1;
}

static gboolean
cursor_idle_cb (gpointer user_data)
{
  DeskEditor *self = user_data;
  GtkTextIter iter;
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->body_buffer);
  int block;

  self->cursor_idle = 0;
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  block = block_at_offset (self, gtk_text_iter_get_offset (&iter));
  if (block != self->cursor_block)
    {
      self->cursor_block = block;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR_BLOCK]);
    }
  return G_SOURCE_REMOVE;
}

/* The block under the cursor is found after a short pause, not on every
 * keystroke: splitting a long body costs more than a keystroke may. */
static void
queue_cursor_update (DeskEditor *self)
{
  if (self->cursor_idle != 0)
    g_source_remove (self->cursor_idle);
  self->cursor_idle = g_timeout_add (120, cursor_idle_cb, self);
}

static void
rebuild_line_labels (DeskEditor *self)
{
  g_hash_table_remove_all (self->line_labels);
  if (self->aligned == NULL)
    return;
  ensure_spans (self);
  for (guint i = 0; i < self->spans->len && i < self->n_aligned; i++)
    {
      const DeskSpan *span = &g_array_index (self->spans, DeskSpan, i);
      char *label;

      if (self->aligned[i] < 0)
        /* Translators: the gutter mark of a body paragraph without an original */
        label = g_strdup (_("+"));
      else
        label = g_strdup_printf ("¶%d", self->aligned[i] + 1);
      g_hash_table_insert (self->line_labels, GUINT_TO_POINTER (span->line_start), label);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->body_view));
}

static void
align_query_data (GtkSourceGutterRenderer *renderer,
                  GtkSourceGutterLines    *lines,
                  guint                    line,
                  DeskEditor              *self)
{
  /* DeskSpan lines count from 0, as the gutter's do. */
  const char *label = g_hash_table_lookup (self->line_labels, GUINT_TO_POINTER (line));

  gtk_source_gutter_renderer_text_set_text (GTK_SOURCE_GUTTER_RENDERER_TEXT (renderer),
                                            label != NULL ? label : "", -1);
}

static void
body_changed (DeskEditor *self)
{
  g_clear_pointer (&self->spans, g_array_unref);
  /* The labels keep their lines until the next alignment; cheap and close. */
  queue_cursor_update (self);
  emit_changed (self);
}

static void
body_cursor_moved (DeskEditor *self)
{
  queue_cursor_update (self);
}

/* ---- search and replace ------------------------------------------------------- */

static void
update_search_count (DeskEditor *self)
{
  int count = gtk_source_search_context_get_occurrences_count (self->search);
  g_autofree char *text = NULL;

  if (count < 0 || gtk_source_search_settings_get_search_text (
                     gtk_source_search_context_get_settings (self->search)) == NULL)
    text = g_strdup ("");
  else
    text = g_strdup_printf (g_dngettext (NULL, "%d match", "%d matches", count), count);
  gtk_label_set_text (self->search_count, text);
}

static void
search_text_changed (DeskEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  GtkSourceSearchSettings *settings = gtk_source_search_context_get_settings (self->search);

  gtk_source_search_settings_set_search_text (settings, text[0] != '\0' ? text : NULL);
}

static void
search_move (DeskEditor *self,
             gboolean    forward)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->body_buffer);
  GtkTextIter start, end, match_start, match_end;
  gboolean wrapped;
  gboolean found;

  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  if (forward)
    found = gtk_source_search_context_forward (self->search, &end, &match_start, &match_end, &wrapped);
  else
    found = gtk_source_search_context_backward (self->search, &start, &match_start, &match_end, &wrapped);
  if (found)
    {
      gtk_text_buffer_select_range (buffer, &match_start, &match_end);
      gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->body_view), &match_start, 0.1, FALSE, 0, 0);
    }
}

static void
search_next_clicked (DeskEditor *self)
{
  search_move (self, TRUE);
}

static void
search_prev_clicked (DeskEditor *self)
{
  search_move (self, FALSE);
}

static void
replace_clicked (DeskEditor *self)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->body_buffer);
  GtkTextIter start, end;
  const char *replacement = gtk_editable_get_text (GTK_EDITABLE (self->replace_entry));

  if (self->read_only)
    return;
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  if (!gtk_source_search_context_replace (self->search, &start, &end, replacement, -1, NULL))
    {
      search_move (self, TRUE);
      return;
    }
  search_move (self, TRUE);
}

static void
replace_all_clicked (DeskEditor *self)
{
  const char *replacement = gtk_editable_get_text (GTK_EDITABLE (self->replace_entry));

  if (self->read_only)
    return;
  gtk_source_search_context_replace_all (self->search, replacement, -1, NULL);
}

/* ---- style ------------------------------------------------------------------------ */

static void
update_style_scheme (DeskEditor *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";
  GtkSourceStyleScheme *scheme = gtk_source_style_scheme_manager_get_scheme (schemes, id);

  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (schemes, adw_style_manager_get_dark (manager) ? "classic-dark" : "classic");
  gtk_source_buffer_set_style_scheme (self->body_buffer, scheme);
}

/* The body's highlighting is our own small Markdown definition (in the
 * resources), found before the system's definitions: GtkSourceView's
 * Markdown embeds HTML, CSS and JavaScript, and loading those on the main
 * thread when the first entry opens froze the window for about 50 ms. */
static GtkSourceLanguage *
body_language (void)
{
  static GtkSourceLanguageManager *manager;

  if (manager == NULL)
    {
      const char * const *system = gtk_source_language_manager_get_search_path (gtk_source_language_manager_get_default ());
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) path = NULL;

      g_strv_builder_add (builder, "resource:///io/github/digestdesk/DigestDesk/language-specs");
      g_strv_builder_addv (builder, (const char **) system);
      path = g_strv_builder_end (builder);
      manager = gtk_source_language_manager_new ();
      gtk_source_language_manager_set_search_path (manager, (const char * const *) path);
    }
  return gtk_source_language_manager_get_language (manager, "desk-markdown");
}

/* Loads the highlighting definitions and the style schemes: the window
 * calls this in an idle moment after its first frame. */
void
desk_editor_warm_up (void)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();

  body_language ();
  gtk_source_style_scheme_manager_get_scheme (schemes, "Adwaita");
}

/* ---- GObject -------------------------------------------------------------------- */

static void
desk_editor_dispose (GObject *object)
{
  DeskEditor *self = DESK_EDITOR (object);

  g_clear_handle_id (&self->cursor_idle, g_source_remove);
  g_clear_object (&self->search);
  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_EDITOR);
  G_OBJECT_CLASS (desk_editor_parent_class)->dispose (object);
}

static void
desk_editor_finalize (GObject *object)
{
  DeskEditor *self = DESK_EDITOR (object);

  g_clear_pointer (&self->spans, g_array_unref);
  g_clear_pointer (&self->line_labels, g_hash_table_unref);
  g_free (self->aligned);
  G_OBJECT_CLASS (desk_editor_parent_class)->finalize (object);
}

static void
desk_editor_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DeskEditor *self = DESK_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CURSOR_BLOCK:
      g_value_set_int (value, self->cursor_block);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_editor_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DeskEditor *self = DESK_EDITOR (object);

  switch (prop_id)
    {
    case PROP_READ_ONLY:
      desk_editor_set_read_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_editor_class_init (DeskEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_editor_dispose;
  object_class->finalize = desk_editor_finalize;
  object_class->get_property = desk_editor_get_property;
  object_class->set_property = desk_editor_set_property;

  properties[PROP_CURSOR_BLOCK] =
    g_param_spec_int ("cursor-block", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/digestdesk/DigestDesk/ui/desk-editor.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "deskeditor");
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, box);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, title_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, title_counter);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, tldr_view);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, tldr_counter);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, search_prev);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, search_next);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, replace_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, replace_button);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, replace_all_button);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, search_count);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, body_scroller);
  gtk_widget_class_bind_template_child (widget_class, DeskEditor, body_view);
}

static void
desk_editor_init (DeskEditor *self)
{
  GtkSourceGutter *gutter;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Translation"), -1);
  self->cursor_block = -1;
  self->line_labels = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  self->body_buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view)));
  gtk_source_buffer_set_language (self->body_buffer, body_language ());
  gtk_source_buffer_set_highlight_matching_brackets (self->body_buffer, FALSE);
  update_style_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);

  self->search = gtk_source_search_context_new (self->body_buffer, NULL);
  gtk_source_search_settings_set_wrap_around (gtk_source_search_context_get_settings (self->search), TRUE);
  g_signal_connect_object (self->search, "notify::occurrences-count",
                           G_CALLBACK (update_search_count), self, G_CONNECT_SWAPPED);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_text_changed), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_next_clicked), self);
  g_signal_connect_swapped (self->search_entry, "next-match", G_CALLBACK (search_next_clicked), self);
  g_signal_connect_swapped (self->search_entry, "previous-match", G_CALLBACK (search_prev_clicked), self);
  g_signal_connect_swapped (self->search_next, "clicked", G_CALLBACK (search_next_clicked), self);
  g_signal_connect_swapped (self->search_prev, "clicked", G_CALLBACK (search_prev_clicked), self);
  g_signal_connect_swapped (self->replace_button, "clicked", G_CALLBACK (replace_clicked), self);
  g_signal_connect_swapped (self->replace_all_button, "clicked", G_CALLBACK (replace_all_clicked), self);
  g_signal_connect_swapped (self->replace_entry, "activate", G_CALLBACK (replace_clicked), self);

  gutter = gtk_source_view_get_gutter (self->body_view, GTK_TEXT_WINDOW_LEFT);
  self->align_renderer = gtk_source_gutter_renderer_text_new ();
  gtk_widget_add_css_class (GTK_WIDGET (self->align_renderer), "desk-align-gutter");
  gtk_source_gutter_renderer_set_xpad (self->align_renderer, 6);
  gtk_source_gutter_renderer_set_alignment_mode (self->align_renderer,
                                                 GTK_SOURCE_GUTTER_RENDERER_ALIGNMENT_MODE_FIRST);
  gtk_widget_set_size_request (GTK_WIDGET (self->align_renderer), 34, -1);
  g_signal_connect (self->align_renderer, "query-data", G_CALLBACK (align_query_data), self);
  gtk_source_gutter_insert (gutter, self->align_renderer, 0);

  g_signal_connect_swapped (self->title_entry, "changed", G_CALLBACK (title_changed), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->tldr_view), "changed",
                            G_CALLBACK (tldr_changed), self);
  g_signal_connect_swapped (self->body_buffer, "changed", G_CALLBACK (body_changed), self);
  g_signal_connect_swapped (self->body_buffer, "notify::cursor-position",
                            G_CALLBACK (body_cursor_moved), self);
  update_counters (self);
}

GtkWidget *
desk_editor_new (void)
{
  return g_object_new (DESK_TYPE_EDITOR, NULL);
}

static void
set_buffer_text_no_undo (GtkTextBuffer *buffer,
                         const char    *text)
{
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (buffer);
}

void
desk_editor_set_fields (DeskEditor         *self,
                        const DeskEditable *fields)
{
  GtkTextIter start;

  g_return_if_fail (DESK_IS_EDITOR (self));
  g_return_if_fail (fields != NULL);

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), fields->title != NULL ? fields->title : "");
  set_buffer_text_no_undo (gtk_text_view_get_buffer (self->tldr_view), fields->tldr);
  set_buffer_text_no_undo (GTK_TEXT_BUFFER (self->body_buffer), fields->body);
  /* New text, no marks. */
  g_object_set_data (G_OBJECT (gtk_text_view_get_buffer (self->tldr_view)), "desk-qa-marks", NULL);
  g_object_set_data (G_OBJECT (self->body_buffer), "desk-qa-marks", NULL);
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->body_buffer), &start);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->body_buffer), &start);
  self->loading = FALSE;

  g_clear_pointer (&self->aligned, g_free);
  self->n_aligned = 0;
  g_hash_table_remove_all (self->line_labels);
  update_counters (self);
}

DeskEditable *
desk_editor_get_fields (DeskEditor *self)
{
  DeskEditable *fields;

  g_return_val_if_fail (DESK_IS_EDITOR (self), NULL);

  fields = desk_editable_new ();
  fields->title = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry)));
  fields->tldr = text_buffer_get_all (gtk_text_view_get_buffer (self->tldr_view));
  fields->body = text_buffer_get_all (GTK_TEXT_BUFFER (self->body_buffer));
  fields->present = DESK_FIELD_TITLE | DESK_FIELD_TLDR | DESK_FIELD_BODY;
  return fields;
}

void
desk_editor_set_read_only (DeskEditor *self,
                           gboolean    read_only)
{
  g_return_if_fail (DESK_IS_EDITOR (self));

  read_only = !!read_only;
  if (self->read_only == (guint) read_only)
    return;
  self->read_only = read_only;
  gtk_editable_set_editable (GTK_EDITABLE (self->title_entry), !read_only);
  gtk_text_view_set_editable (self->tldr_view, !read_only);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->body_view), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->replace_entry), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->replace_button), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->replace_all_button), !read_only);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

void
desk_editor_set_limits (DeskEditor *self,
                        int         title_max_chars,
                        int         tldr_max_chars)
{
  g_return_if_fail (DESK_IS_EDITOR (self));

  self->title_max = title_max_chars;
  self->tldr_max = tldr_max_chars;
  update_counters (self);
}

int
desk_editor_get_cursor_block (DeskEditor *self)
{
  g_return_val_if_fail (DESK_IS_EDITOR (self), -1);

  /* A caller asking now gets the current answer, not the pending one. */
  if (self->cursor_idle != 0)
    {
      g_source_remove (self->cursor_idle);
      cursor_idle_cb (self);
    }
  return self->cursor_block;
}

void
desk_editor_set_alignment (DeskEditor *self,
                           const int  *original_of_block,
                           guint       n_blocks)
{
  g_return_if_fail (DESK_IS_EDITOR (self));

  g_clear_pointer (&self->aligned, g_free);
  self->n_aligned = 0;
  if (original_of_block != NULL && n_blocks > 0)
    {
      self->aligned = g_memdup2 (original_of_block, n_blocks * sizeof (int));
      self->n_aligned = n_blocks;
    }
  rebuild_line_labels (self);
}

gboolean
desk_editor_set_text (DeskEditor *self,
                      const char *field,
                      const char *text)
{
  GtkTextBuffer *buffer = NULL;

  g_return_val_if_fail (DESK_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (field != NULL && text != NULL, FALSE);

  if (self->read_only)
    return FALSE;
  if (g_str_equal (field, "title"))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->title_entry), text);
      return TRUE;
    }
  if (g_str_equal (field, "tldr"))
    buffer = gtk_text_view_get_buffer (self->tldr_view);
  else if (g_str_equal (field, "body"))
    buffer = GTK_TEXT_BUFFER (self->body_buffer);
  else
    return FALSE;

  /* One user action: undoable as a whole, like a paste over everything. */
  {
    GtkTextIter start, end;

    /* set_text() would be irreversible; delete and insert can be undone. */
    gtk_text_buffer_begin_user_action (buffer);
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    gtk_text_buffer_delete (buffer, &start, &end);
    gtk_text_buffer_insert (buffer, &start, text, -1);
    g_object_set_data (G_OBJECT (buffer), "desk-qa-marks", NULL);
    gtk_text_buffer_end_user_action (buffer);
  }
  return TRUE;
}

void
desk_editor_begin_search (DeskEditor *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (DESK_IS_EDITOR (self));

  buffer = GTK_TEXT_BUFFER (self->body_buffer);
  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end) &&
      gtk_text_iter_get_line (&start) == gtk_text_iter_get_line (&end))
    {
      g_autofree char *selected = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), selected);
    }
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

const char *
desk_editor_get_focus_field (DeskEditor *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_val_if_fail (DESK_IS_EDITOR (self), NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root == NULL || !(focus = gtk_root_get_focus (root)))
    return NULL;
  if (focus == GTK_WIDGET (self->title_entry) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->title_entry)))
    return "title";
  if (focus == GTK_WIDGET (self->tldr_view))
    return "tldr";
  if (focus == GTK_WIDGET (self->body_view))
    return "body";
  return NULL;
}

gboolean
desk_editor_has_focus_within (DeskEditor *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_val_if_fail (DESK_IS_EDITOR (self), FALSE);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root == NULL || !(focus = gtk_root_get_focus (root)))
    return FALSE;
  return gtk_widget_is_ancestor (focus, GTK_WIDGET (self));
}

GtkTextBuffer *
desk_editor_get_body_buffer (DeskEditor *self)
{
  g_return_val_if_fail (DESK_IS_EDITOR (self), NULL);
  return GTK_TEXT_BUFFER (self->body_buffer);
}

/* ---- QA findings ------------------------------------------------------------ */

static GtkTextTag *
finding_tag (GtkTextBuffer  *buffer,
             DeskQaSeverity  severity)
{
  static const char * const names[] = { "desk-qa-error", "desk-qa-warning", "desk-qa-info" };
  static const char * const colours[] = { "#e01b24", "#e5a50a", "#3584e4" };
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, names[severity]);

  if (tag == NULL)
    {
      GdkRGBA rgba;

      gdk_rgba_parse (&rgba, colours[severity]);
      tag = gtk_text_buffer_create_tag (buffer, names[severity],
                                        "underline", PANGO_UNDERLINE_ERROR,
                                        "underline-rgba", &rgba,
                                        NULL);
    }
  return tag;
}

static void
mark_buffer (GtkTextBuffer *buffer,
             const char    *field,
             GPtrArray     *findings)
{
  GtkTextIter start, end;
  GString *marks = g_string_new (NULL);

  /* Only when the marks change: re-tagging invalidates the whole layout,
   * and a text view whose scrollbar comes and goes while it lays out
   * again trips GTK 4.8 ("Trying to snapshot GtkGizmo without a current
   * allocation"). */
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const DeskQaFinding *f = g_ptr_array_index (findings, i);

      if (strcmp (f->field, field) == 0)
        g_string_append_printf (marks, "%zu-%zu-%d;", f->start, f->end, f->severity);
    }
  if (g_strcmp0 (g_object_get_data (G_OBJECT (buffer), "desk-qa-marks"), marks->str) == 0)
    {
      g_string_free (marks, TRUE);
      return;
    }
  g_object_set_data_full (G_OBJECT (buffer), "desk-qa-marks", g_string_free (marks, FALSE), g_free);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  for (guint s = 0; s < 3; s++)
    gtk_text_buffer_remove_tag (buffer, finding_tag (buffer, s), &start, &end);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const DeskQaFinding *f = g_ptr_array_index (findings, i);
      gsize from = f->start, to = f->end;

      if (strcmp (f->field, field) != 0)
        continue;
      /* A position (an omission) is marked on the character after it. */
      if (to == from)
        to = from + 1;
      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) from);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) to);
      gtk_text_buffer_apply_tag (buffer, finding_tag (buffer, f->severity), &start, &end);
    }
}

void
desk_editor_mark_findings (DeskEditor *self,
                           GPtrArray  *findings)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_entry));

  g_return_if_fail (DESK_IS_EDITOR (self));

  /* Tags are not edits: no ::changed, nothing to undo. */
  mark_buffer (GTK_TEXT_BUFFER (self->body_buffer), "body", findings);
  mark_buffer (gtk_text_view_get_buffer (self->tldr_view), "tldr", findings);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const DeskQaFinding *f = g_ptr_array_index (findings, i);
      PangoAttribute *a;
      const char *s, *e;
      glong n = g_utf8_strlen (title, -1);

      if (strcmp (f->field, "title") != 0 || (glong) f->start >= n)
        continue;
      s = g_utf8_offset_to_pointer (title, f->start);
      e = g_utf8_offset_to_pointer (title, MIN ((glong) MAX (f->end, f->start + 1), n));
      a = pango_attr_underline_new (PANGO_UNDERLINE_ERROR);
      a->start_index = s - title;
      a->end_index = e - title;
      pango_attr_list_insert (attrs, a);
    }
  gtk_entry_set_attributes (self->title_entry, attrs);
}

gboolean
desk_editor_select_span (DeskEditor *self,
                         const char *field,
                         gsize       start,
                         gsize       end)
{
  g_return_val_if_fail (DESK_IS_EDITOR (self), FALSE);

  if (g_strcmp0 (field, "title") == 0)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
      gtk_editable_select_region (GTK_EDITABLE (self->title_entry), (int) start, (int) end);
      return TRUE;
    }
  if (g_strcmp0 (field, "tldr") == 0 || g_strcmp0 (field, "body") == 0)
    {
      GtkTextView *view = g_strcmp0 (field, "body") == 0 ? GTK_TEXT_VIEW (self->body_view) : self->tldr_view;
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
      GtkTextIter s, e;

      gtk_text_buffer_get_iter_at_offset (buffer, &s, (int) start);
      gtk_text_buffer_get_iter_at_offset (buffer, &e, (int) end);
      gtk_widget_grab_focus (GTK_WIDGET (view));
      gtk_text_buffer_select_range (buffer, &s, &e);
      gtk_text_view_scroll_to_iter (view, &s, 0.1, FALSE, 0, 0);
      return TRUE;
    }
  return FALSE;
}

/* The selection of a text field, in code points: TRUE when @field has one. */
gboolean
desk_editor_get_selection (DeskEditor *self,
                           const char *field,
                           gsize      *start,
                           gsize      *end)
{
  g_return_val_if_fail (DESK_IS_EDITOR (self), FALSE);

  if (g_strcmp0 (field, "title") == 0)
    {
      int s, e;

      gtk_editable_get_selection_bounds (GTK_EDITABLE (self->title_entry), &s, &e);
      *start = s, *end = e;
      return TRUE;
    }
  if (g_strcmp0 (field, "tldr") == 0 || g_strcmp0 (field, "body") == 0)
    {
      GtkTextBuffer *buffer = g_strcmp0 (field, "body") == 0 ? GTK_TEXT_BUFFER (self->body_buffer)
                                                             : gtk_text_view_get_buffer (self->tldr_view);
      GtkTextIter s, e;

      gtk_text_buffer_get_selection_bounds (buffer, &s, &e);
      *start = gtk_text_iter_get_offset (&s);
      *end = gtk_text_iter_get_offset (&e);
      return TRUE;
    }
  return FALSE;
}
