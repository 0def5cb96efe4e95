/* desk-json.c: placeholder until implemented
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "desk-json.h"
