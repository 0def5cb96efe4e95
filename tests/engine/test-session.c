/* test-session.c: DeskSession: delayed autosave of drafts, the clean-shutdown flag, recovery reports
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-test-util.h"

typedef struct {
  char      *dir;
  char      *store_path;
  DeskStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = engine_test_mkdtemp ();
  f->store_path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = engine_test_open_store (f->store_path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  engine_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->store_path);
}

static GPtrArray *
start_session (DeskSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *restored;

  desk_session_start_async (session, NULL, engine_test_store_result, &result);
  restored = desk_session_start_finish (session, engine_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  return restored;
}

static DeskEditable *
draft_fields (const char *title,
              const char *tldr)
{
  DeskEditable *fields = desk_editable_new ();

  fields->present = DESK_FIELD_TITLE | DESK_FIELD_TLDR;
  fields->title = g_strdup (title);
  fields->tldr = g_strdup (tldr);
  return fields;
}

static gboolean
written_once (gpointer data)
{
  return desk_session_get_draft_writes (data) > 0;
}

static void
test_autosave_delay (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DeskSession) session = desk_session_new (f->store);
  g_autoptr(GPtrArray) restored = start_session (session);
  g_autoptr(DeskStoreDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last_change;

  g_assert_cmpuint (restored->len, ==, 0);
  g_assert_false (desk_session_get_unclean_exit (session));

  /* 50 keystrokes, 8 ms apart. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *tldr = g_strdup_printf ("要約を打っています %u", i);
      g_autoptr(DeskEditable) fields = draft_fields ("題", tldr);

      desk_session_update_draft (session, "e-1", 3, fields);
      engine_test_sleep_ms (8);
    }
  last_change = g_get_monotonic_time ();
  g_assert_true (desk_session_has_unsaved (session));

  g_assert_true (engine_test_wait_for (written_once, session, 1200));
  g_assert_cmpint (g_get_monotonic_time () - last_change, <=, 1200 * 1000);
  /* Let anything else that was due land, then count. */
  engine_test_sleep_ms (600);
  g_test_message ("50 changes gave %u draft writes", desk_session_get_draft_writes (session));
  g_assert_cmpuint (desk_session_get_draft_writes (session), >=, 1);
  g_assert_cmpuint (desk_session_get_draft_writes (session), <=, 3);
  g_assert_false (desk_session_has_unsaved (session));

  /* The last state is what was written. */
  draft = desk_store_get_draft_sync (f->store, "e-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  g_assert_cmpint (draft->base_revision, ==, 3);
  g_assert_cmpstr (draft->fields->tldr, ==, "要約を打っています 49");
}

static void
test_autosave_latency (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(DeskSession) session = desk_session_new (f->store);
  g_autoptr(GPtrArray) restored = start_session (session);
  gint64 start = g_get_monotonic_time ();
  guint writes_at_1200ms = G_MAXUINT;

  /* Steady typing for 2.5 s, faster than the quiet delay: the latency
   * bound still writes the draft about once a second. */
  for (guint i = 0; g_get_monotonic_time () - start < 2500 * 1000; i++)
    {
      g_autofree char *tldr = g_strdup_printf ("ずっと打っています %u", i);
      g_autoptr(DeskEditable) fields = draft_fields ("題", tldr);

      desk_session_update_draft (session, "e-2", 1, fields);
      engine_test_sleep_ms (50);
      if (writes_at_1200ms == G_MAXUINT && g_get_monotonic_time () - start >= 1200 * 1000)
        writes_at_1200ms = desk_session_get_draft_writes (session);
    }
  /* The first change was written within a second, typing or not. */
  g_assert_cmpuint (writes_at_1200ms, >=, 1);
  g_assert_cmpuint (writes_at_1200ms, !=, G_MAXUINT);
  g_assert_cmpuint (desk_session_get_draft_writes (session), >=, 2);
  g_assert_cmpuint (desk_session_get_draft_writes (session), <=, 4);
}

static void
restored_cb (DeskSession *session,
             GPtrArray   *restored,
             guint       *count)
{
  *count = restored->len;
}

static void
test_recovery (Fixture       *f,
               gconstpointer  data)
{
  guint signalled = 0;

  /* A run that crashes: drafts written, no shutdown. */
  {
    g_autoptr(DeskSession) session = desk_session_new (f->store);
    g_autoptr(GPtrArray) restored = start_session (session);
    g_autoptr(DeskEditable) a = draft_fields ("下書きの題 A", "要約 A");
    g_autoptr(DeskEditable) b = desk_editable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    b->present = DESK_FIELD_TLDR;
    b->tldr = g_strdup ("題のない下書き");
    desk_session_update_draft (session, "e-a", 2, a);
    desk_session_update_draft (session, "e-b", 5, b);
    desk_session_flush_async (session, NULL, engine_test_store_result, &result);
    desk_session_flush_finish (session, engine_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (desk_session_get_draft_writes (session), ==, 2);
  }

  /* The next start reports both, and the next clean shutdown clears it. */
  {
    g_autoptr(DeskSession) session = desk_session_new (f->store);
    g_autoptr(GPtrArray) restored = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    DeskSessionRestored *ra, *rb;

    g_signal_connect (session, "drafts-restored", G_CALLBACK (restored_cb), &signalled);
    restored = start_session (session);
    g_assert_true (desk_session_get_unclean_exit (session));
    g_assert_cmpuint (restored->len, ==, 2);
    g_assert_cmpuint (signalled, ==, 2);
    ra = g_ptr_array_index (restored, 0);
    rb = g_ptr_array_index (restored, 1);
    if (g_strcmp0 (ra->entry_id, "e-a") != 0)
      {
        DeskSessionRestored *tmp = ra;
        ra = rb;
        rb = tmp;
      }
    g_assert_cmpstr (ra->entry_id, ==, "e-a");
    g_assert_cmpstr (ra->title, ==, "下書きの題 A");
    g_assert_cmpint (ra->base_revision, ==, 2);
    g_assert_cmpstr (rb->entry_id, ==, "e-b");
    g_assert_cmpstr (rb->title, ==, "e-b");  /* no title anywhere: the id */

    desk_session_shutdown_async (session, NULL, engine_test_store_result, &result);
    desk_session_shutdown_finish (session, engine_test_wait_result (&result), &error);
    g_assert_no_error (error);
  }

  /* After a clean exit nothing is reported, though the drafts remain. */
  {
    g_autoptr(DeskSession) session = desk_session_new (f->store);
    g_autoptr(GPtrArray) restored = NULL;
    g_autoptr(GPtrArray) drafts = NULL;
    g_autoptr(GError) error = NULL;

    signalled = 0;
    g_signal_connect (session, "drafts-restored", G_CALLBACK (restored_cb), &signalled);
    restored = start_session (session);
    g_assert_false (desk_session_get_unclean_exit (session));
    g_assert_cmpuint (restored->len, ==, 0);
    g_assert_cmpuint (signalled, ==, 0);
    drafts = desk_store_list_drafts_sync (f->store, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (drafts->len, ==, 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/engine/session/autosave-delay", Fixture, NULL, fixture_set_up,
              test_autosave_delay, fixture_tear_down);
  g_test_add ("/engine/session/autosave-latency", Fixture, NULL, fixture_set_up,
              test_autosave_latency, fixture_tear_down);
  g_test_add ("/engine/session/recovery", Fixture, NULL, fixture_set_up,
              test_recovery, fixture_tear_down);

  return g_test_run ();
}
