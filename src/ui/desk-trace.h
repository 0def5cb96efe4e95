/* desk-trace.h: marks of the start, for DESK_TRACE_STARTUP
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With DESK_TRACE_STARTUP set, each mark prints "trace <monotonic µs>
 * <name>" on stderr: main, app-loaded (the launcher's), startup,
 * toolkit-ready, activate, fonts-ready, window-built, mapped, presented,
 * first-layout, first-frame, backend-starts. The README's startup section
 * reads its figures from them.
 */
#pragma once

#include <glib.h>

static inline void
desk_trace (const char *what)
{
  static int on = -1;

  if (on < 0)
    on = g_getenv ("DESK_TRACE_STARTUP") != NULL;
  if (on)
    g_printerr ("trace %" G_GINT64_FORMAT " %s\n", g_get_monotonic_time (), what);
}
