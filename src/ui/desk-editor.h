/* desk-editor.h: the editable translation: title, TL;DR with its counter, Markdown body
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-core.h"

G_BEGIN_DECLS

#define DESK_TYPE_EDITOR (desk_editor_get_type ())
G_DECLARE_FINAL_TYPE (DeskEditor, desk_editor, DESK, EDITOR, GtkWidget)

/* Signals: ::changed () on every edit by the user (not by set_fields).
 * Properties: "cursor-block" (int, read-only): the index of the body's
 * Markdown block (desk_markdown_split_blocks) under the insertion cursor,
 * or -1; "read-only" (boolean). */
GtkWidget    *desk_editor_new              (void);
void          desk_editor_warm_up          (void);
/* Shows TITLE, TLDR and BODY of @fields (absent ones empty) and resets undo. */
void          desk_editor_set_fields       (DeskEditor         *self,
                                            const DeskEditable *fields);
/* TITLE, TLDR and BODY present, as shown. */
DeskEditable *desk_editor_get_fields       (DeskEditor         *self);
void          desk_editor_set_read_only    (DeskEditor         *self,
                                            gboolean            read_only);
void          desk_editor_set_limits       (DeskEditor         *self,
                                            int                 title_max_chars,
                                            int                 tldr_max_chars);
int           desk_editor_get_cursor_block (DeskEditor         *self);
/* The original's block each body block is aligned with (-1: none), shown
 * in the body's gutter; NULL clears. */
void          desk_editor_set_alignment    (DeskEditor         *self,
                                            const int          *original_of_block,
                                            guint               n_blocks);
/* Replaces one field's text as if the user had typed it (an undoable
 * edit; ::changed is emitted). @field: "title", "tldr" or "body". */
gboolean      desk_editor_set_text         (DeskEditor         *self,
                                            const char         *field,
                                            const char         *text);
/* Opens the search and replace bar of the body. */
void          desk_editor_begin_search     (DeskEditor         *self);
gboolean      desk_editor_has_focus_within (DeskEditor         *self);
/* "title", "tldr" or "body", the field with the keyboard focus, or NULL. */
const char   *desk_editor_get_focus_field  (DeskEditor         *self);
GtkTextBuffer *desk_editor_get_body_buffer (DeskEditor         *self);

/* Underlines the QA findings (DeskQaFinding*) of the title, TL;DR and
 * body; NULL clears. Marks are not edits. */
void          desk_editor_mark_findings    (DeskEditor         *self,
                                            GPtrArray          *findings);
/* Focuses @field ("title", "tldr", "body") and selects code points
 * [start, end); FALSE for a field this editor does not show. */
gboolean      desk_editor_select_span      (DeskEditor         *self,
                                            const char         *field,
                                            gsize               start,
                                            gsize               end);
gboolean      desk_editor_get_selection    (DeskEditor         *self,
                                            const char         *field,
                                            gsize              *start,
                                            gsize              *end);

G_END_DECLS
