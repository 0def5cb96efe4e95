/* desk-font-warmup.c: load the window's fonts on a second core while the toolkit starts
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Measuring the window for its first frame spent most of its time in
 * fonts: fontconfig's substitutions and sorts for each font set, FreeType
 * opening the faces (the CJK collection among them) and HarfBuzz reading
 * their tables. All of that is cached in a Pango font map, and a font map
 * may be filled by one thread and then used by another, one at a time.
 *
 * So desk_font_warmup_start (), called once the display is open, makes a
 * new font map and a context for it as GTK makes one for a label (the
 * same font, resolution, font options and language), and a thread lays out
 * sample text with it in the weights and sizes the window's style uses.
 * desk_font_warmup_finish (), called before the window is built, waits
 * for that thread and makes the map the main thread's default, where GTK
 * finds it. Nothing depends on the guesses being right: a font set the
 * thread did not load is loaded when it is needed, as before.
 */
#include "config.h"

#include <gtk/gtk.h>
#include <pango/pangocairo.h>

#include "desk-font-warmup.h"

static GThread      *warmup_thread;
static PangoFontMap *warmup_map;    /* once finished, the main thread's default too */
static GPtrArray    *warmed;        /* of PangoFontDescription, as laid out */

/* Enough text to load each face a font set falls back to: Latin, kana
 * and kanji. Glyphs beyond these load fast when they are first drawn;
 * laying out a whole syllabary in each size cost the thread 3 to 5 ms a
 * size, longer than the window took to build. */
static const char sample[] = "Digest Desk 0123 記事をかな・カナ";

/* Loads the font set, its metrics, and the faces the sample needs. */
static void
lay_out (PangoContext               *context,
         const PangoFontDescription *desc)
{
  g_autoptr(PangoLayout) layout = NULL;

  pango_context_set_font_description (context, desc);
  pango_font_metrics_unref (pango_context_get_metrics (context, desc, NULL));
  layout = pango_layout_new (context);
  pango_layout_set_text (layout, sample, -1);
  pango_layout_get_size (layout, NULL, NULL);
}

/* A weight and size: @scale times the base size, or @points if not 0. */
static PangoFontDescription *
variant (const PangoFontDescription *base,
         PangoWeight                 weight,
         double                      scale,
         double                      points,
         double                      dpi)
{
  PangoFontDescription *desc = pango_font_description_copy (base);
  int size = (int) (pango_font_description_get_size (base) * scale + 0.5);

  pango_font_description_set_weight (desc, weight);
  if (points > 0)
    pango_font_description_set_absolute_size (desc, (int) (points * dpi / 72.0 * PANGO_SCALE + 0.5));
  else if (pango_font_description_get_size_is_absolute (base))
    pango_font_description_set_absolute_size (desc, size);
  else
    pango_font_description_set_size (desc, size);
  return desc;
}

static gpointer
warm_up (gpointer data)
{
  g_autoptr(GObject) owner = data;
  PangoContext *context = data;
  g_autoptr(PangoFontDescription) base = pango_font_description_copy (pango_context_get_font_description (context));
  /* Labels, bold headings and window titles, captions ("smaller" in
   * CSS), and the status pages' titles and descriptions (libadwaita sets
   * those in points). */
  const struct { PangoWeight weight; double scale, points; } variants[] = {
    { PANGO_WEIGHT_NORMAL, 1.0, 0 },
    { PANGO_WEIGHT_BOLD, 1.0, 0 },
    { PANGO_WEIGHT_NORMAL, 1 / 1.2, 0 },
    { PANGO_WEIGHT_ULTRABOLD, 1.0, 20 },
    { PANGO_WEIGHT_ULTRABOLD, 1.0, 18 },
    { PANGO_WEIGHT_NORMAL, 1.0, 11 },
  };
  double dpi = pango_cairo_context_get_resolution (context);

  if (pango_font_description_get_size (base) <= 0)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(PangoFontDescription) desc = variant (base, variants[i].weight, variants[i].scale,
                                                      variants[i].points, dpi > 0 ? dpi : 96.0);

      lay_out (context, desc);
      g_ptr_array_add (warmed, g_steal_pointer (&desc));
    }
  return NULL;
}

void
desk_font_warmup_start (void)
{
  g_autoptr(GtkWidget) probe = NULL;
  PangoContext *context;

  if (warmup_map != NULL || gdk_display_get_default () == NULL)
    return;
  warmup_map = pango_cairo_font_map_new ();
  probe = g_object_ref_sink (gtk_label_new (NULL));
  gtk_widget_set_font_map (probe, warmup_map);
  context = gtk_widget_create_pango_context (probe);
  warmed = g_ptr_array_new_with_free_func ((GDestroyNotify) pango_font_description_free);
  warmup_thread = g_thread_new ("desk-fonts", warm_up, context);
}

/* Returns whether the main thread now uses the warmed font map. */
gboolean
desk_font_warmup_finish (void)
{
  if (warmup_thread == NULL)
    return FALSE;
  g_thread_join (g_steal_pointer (&warmup_thread));
  pango_cairo_font_map_set_default (PANGO_CAIRO_FONT_MAP (warmup_map));
  return TRUE;
}

/* For the tests: the font map the thread filled, once it is the main
 * thread's default, and whether it laid out @desc. */
PangoFontMap *
desk_font_warmup_get_font_map (void)
{
  return warmup_thread == NULL ? warmup_map : NULL;
}

gboolean
desk_font_warmup_covers (const PangoFontDescription *desc)
{
  for (guint i = 0; warmup_thread == NULL && warmed != NULL && i < warmed->len; i++)
    if (pango_font_description_equal (g_ptr_array_index (warmed, i), desc))
      return TRUE;
  return FALSE;
}
