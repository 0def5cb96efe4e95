/* fuzz-site-render.c: fuzz target for rendering an entry as the public site shows it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "desk-entry.h"
#include "desk-sanitize.h"
#include "desk-site-render.h"

#include "fuzz-common.h"

#define DOCUMENT_START "<!DOCTYPE html>\n<html lang=\"ja\"><head>" DESK_CSP_META

static void
check_page (const char *html)
{
  FUZZ_CHECK (g_utf8_validate (html, -1, NULL), "output is not UTF-8");
  FUZZ_CHECK (g_str_has_prefix (html, DOCUMENT_START), "no CSP meta first:\n%.200s", html);
  FUZZ_CHECK (!fuzz_contains_ci (html, "<script"), "a script:\n%s", html);
  FUZZ_CHECK (fuzz_check_tags (html) == 1, "not one http-equiv:\n%s", html);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(DeskSiteConfig) config = NULL;

  fuzz_setup ();

  config = desk_site_config_new_default ();
  for (int form = DESK_ENTRY_FORM_FULL; form <= DESK_ENTRY_FORM_PIPELINE; form++)
    {
      g_autoptr(DeskEntry) entry = desk_entry_new_from_data ((const char *) data, size, form, NULL);

      if (entry == NULL)
        continue;

      for (int flags = 0; flags <= DESK_SITE_RENDER_NO_BODY; flags++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *html = desk_site_render_entry (entry, NULL, flags == 0 ? config : NULL, flags, &error);

          if (html == NULL)
            {
              FUZZ_CHECK (error != NULL && error->domain == DESK_SITE_RENDER_ERROR, "a failure without an error");
              continue;
            }
          check_page (html);
        }

      /* The machine snapshot as a draft over the entry's own fields. */
      if (desk_entry_get_machine (entry) != NULL)
        {
          g_autofree char *html = desk_site_render_entry (entry, desk_entry_get_machine (entry), config, 0, NULL);

          if (html != NULL)
            check_page (html);
        }
    }

  return 0;
}
