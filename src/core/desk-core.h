/* desk-core.h: everything of the core layer (no GTK)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-json.h"
#include "desk-entry-parts.h"
#include "desk-entry.h"
#include "desk-api-types.h"
#include "desk-merge.h"
#include "desk-sanitize.h"
#include "desk-markdown.h"
#include "desk-align.h"
#include "desk-diff.h"
#include "desk-site-render.h"
#include "desk-glossary-io.h"
#include "desk-qa.h"
