/* desk-font-warmup.h: load the window's fonts on a second core while the toolkit starts
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pango.h>

G_BEGIN_DECLS

void          desk_font_warmup_start        (void);
gboolean      desk_font_warmup_finish       (void);

PangoFontMap *desk_font_warmup_get_font_map (void);
gboolean      desk_font_warmup_covers       (const PangoFontDescription *desc);

G_END_DECLS
