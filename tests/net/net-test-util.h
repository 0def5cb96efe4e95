/* net-test-util.h: shared helpers of the net tests: waiting on async calls, checking errors for secrets
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-site-client.h"

G_BEGIN_DECLS

/* Runs the default main context until @result is set by net_test_store_result. */
void          net_test_store_result     (GObject      *object,
                                         GAsyncResult *result,
                                         gpointer      user_data);
GAsyncResult *net_test_wait             (GAsyncResult **result);

/* Secrets that must never appear in an error message or a log line. */
void          net_test_add_secret       (const char   *secret);
/* Installs a log handler and writer that fail the test when a log line
 * (debug lines included, which are checked but not printed) holds a secret.
 * Call after g_test_init (). */
void          net_test_init_log_guard   (void);
/* How many log lines were checked, to show the guard saw something. */
guint         net_test_get_checked_log_lines (void);

/* Asserts @error is DESK_SITE_ERROR @code with a readable message that holds
 * no secret, and that @failure (may be NULL only for construction errors)
 * agrees with it. */
void          net_test_assert_site_error (const GError          *error,
                                          const DeskSiteFailure *failure,
                                          DeskSiteError          code,
                                          guint                  status);

G_END_DECLS
