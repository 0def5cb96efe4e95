/* desk-preview-module.c: libdesk-preview.so, the preview layer as a module
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole static preview library is linked in; this file only keeps the
 * table's symbol in the module's exported interface.
 */
#include "config.h"

#include "desk-preview-ops.h"

G_MODULE_EXPORT DeskPreviewGetOps desk_preview_module_entry = desk_preview_get_ops;
