/* desk-demo.h: the demo mode: a private digest-site with the sample corpus, fed by a simulated pipeline
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DESK_TYPE_DEMO (desk_demo_get_type ())
G_DECLARE_FINAL_TYPE (DeskDemo, desk_demo, DESK, DEMO, GObject)

/* A throwaway site for `digest-desk --demo`: desk_demo_start_async() makes a
 * private temporary directory, runs digest-site there on a free loopback
 * port with a fresh database seeded from the sample corpus (articles.json,
 * papers-and-videos.json, then the glossary through PUT /glossary), an
 * editor token for the account "sato" (佐藤) and a pipeline token of its own.
 * While it runs, a simulated pipeline POSTs a new `incoming` entry every
 * "interval-seconds", built from synthetic templates (some with planted
 * machine-translation defects). desk_demo_stop() and dispose end the server
 * and delete the directory and everything in it; on Linux the server also
 * dies with this process (PR_SET_PDEATHSIG), even when it is killed.
 *
 * Where things are found, first match wins (a NULL argument of
 * desk_demo_new() means "look it up"):
 *   digest-site: the $DIGEST_SITE environment variable; then
 *     <directory of /proc/self/exe>/site/digest-site (running uninstalled
 *     from the build tree, where src/digest-desk sits beside src/site/);
 *     then the installed <bindir>/digest-site.
 *   sample corpus: $DESK_SAMPLE_DIR; then <exe dir>/../data/sample (the
 *     build tree's copy); then the installed <datadir>/digest-desk/sample.
 * The build tree comes before the installed paths so that a build run
 * uninstalled never pairs itself with an older installed server.
 *
 * Properties:
 * "site-program", "sample-dir" (string, construct-only, nullable).
 * "interval-seconds" (uint, default 60): the simulated pipeline's period;
 *   0 turns it off. May be changed while running (the period restarts).
 * "start-timeout" (uint seconds, default 10): how long start waits for
 *   the server to report its address.
 * "base-url" (string, read-only): "http://127.0.0.1:N" while running,
 *   NULL otherwise.
 * "token" (string, read-only): the editor token (random per demo), NULL
 *   when not running.
 * "entries-added" (uint, read-only): entries the simulated pipeline has
 *   created so far.
 *
 * Signals:
 * ::entry-added (char *id): the site accepted a new simulated entry.
 *
 * Errors of start are G_IO_ERROR: NOT_FOUND (no digest-site or sample
 * corpus), TIMED_OUT (the server said nothing in time), CANCELLED, or
 * FAILED (could not be spawned, exited early, …), with a message for the
 * user. */
DeskDemo   *desk_demo_new                  (const char           *site_program,
                                            const char           *sample_dir);

void        desk_demo_start_async          (DeskDemo             *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    desk_demo_start_finish         (DeskDemo             *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Ends the server (SIGTERM, then SIGKILL after a short wait; it returns
 * within about a second) and removes the directory. Harmless when not
 * running. */
void        desk_demo_stop                 (DeskDemo             *self);

/* Posts one simulated entry now, without waiting for the period; returns
 * its id (::entry-added follows once the site accepted it). Only while
 * running. */
char       *desk_demo_add_entry_now        (DeskDemo             *self);

guint       desk_demo_get_interval_seconds (DeskDemo             *self);
void        desk_demo_set_interval_seconds (DeskDemo             *self,
                                            guint                 seconds);
const char *desk_demo_get_base_url         (DeskDemo             *self);
const char *desk_demo_get_token            (DeskDemo             *self);
/* The token of a second editor account ("suzuki", 鈴木), to try locks and
 * conflicts with from another client. */
const char *desk_demo_get_colleague_token  (DeskDemo             *self);
guint       desk_demo_get_entries_added    (DeskDemo             *self);
/* The private directory while running (for diagnostics and tests), or
 * NULL. */
const char *desk_demo_get_directory        (DeskDemo             *self);

G_END_DECLS
