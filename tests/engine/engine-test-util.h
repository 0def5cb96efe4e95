/* engine-test-util.h: helpers of the engine tests: a digest-site per test, seeds, waiting on the main loop
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-sync.h"
#include "desk-session.h"

G_BEGIN_DECLS

#define ENGINE_TEST_EDITOR_TOKEN   "s3cret"
#define ENGINE_TEST_PIPELINE_TOKEN "p1"

typedef struct {
  GSubprocess *proc;
  char        *db;
  guint        port;
  char        *url;
} EngineSite;

/* Starts `digest-site --port PORT --db DB` with the test tokens and
 * @extra_args (NULL-terminated, may be NULL); waits for its "listening"
 * line. PORT 0 picks a free one. */
EngineSite *engine_site_start       (const char          *db,
                                     guint                port,
                                     const char * const  *extra_args);
/* Spawns @argv with its stdout piped; the child is killed when the test
 * process dies, even by a failed assertion. */
GSubprocess *engine_test_spawn      (const char * const  *argv,
                                     GError             **error);
/* kill -9 and wait: the site's data survive that. */
void        engine_site_stop        (EngineSite          *site);
void        engine_site_free        (EngineSite          *site);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EngineSite, engine_site_free)

/* A seed file of @n full-form entries "<prefix>-NNN" with @status and
 * revision 1, in @dir. Returns its path. */
char       *engine_test_write_seed  (const char          *dir,
                                     const char          *prefix,
                                     guint                n,
                                     const char          *status);

char       *engine_test_mkdtemp     (void);
void        engine_test_rmdir       (const char          *dir);

/* Iterates the default main context until @cond returns TRUE or
 * @timeout_ms passed; returns the last value of @cond. */
gboolean    engine_test_wait_for    (gboolean           (*cond) (gpointer data),
                                     gpointer             data,
                                     guint                timeout_ms);
/* Callback that stores the result in *(GAsyncResult **) user_data. */
void        engine_test_store_result (GObject            *object,
                                      GAsyncResult       *result,
                                      gpointer            user_data);
GAsyncResult *engine_test_wait_result (GAsyncResult     **slot);
void        engine_test_sleep_ms    (guint                ms);

DeskStore      *engine_test_open_store (const char       *path);
DeskSiteClient *engine_test_client     (const char       *url,
                                        const char       *token);
/* An engine with short retry and probe delays, started. */
DeskSync       *engine_test_start_sync (DeskStore        *store,
                                        DeskSiteClient   *client);
/* Runs sync_now to its end and asserts success. */
void            engine_test_sync_now   (DeskSync         *sync);
/* Waits until the outbox has nothing pending (or @timeout_ms). */
gboolean        engine_test_wait_outbox_empty (DeskSync  *sync,
                                               guint      timeout_ms);

/* Reads one number from the site's database file (opened read-only):
 * the first column of the first row of @sql, -1 when there is no row. */
gint64          engine_test_site_query_int (const char   *db,
                                            const char   *sql);

G_END_DECLS
