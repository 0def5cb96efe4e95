/* desk-entry.c: placeholder until implemented
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "desk-entry.h"
