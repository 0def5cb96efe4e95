/* desk-demo.c: the demo mode: a private digest-site with the sample corpus, fed by a simulated pipeline
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "desk-demo.h"
#include "desk-site-client.h"

#define DEMO_ACCOUNT       "sato"
#define DEMO_DISPLAY_NAME  "佐藤"
#define DEMO_COLLEAGUE     "suzuki"
#define DEMO_COLLEAGUE_NAME "鈴木"
#define LISTENING_PREFIX   "listening on http://127.0.0.1:"
/* How long digest-site gets to close its database after SIGTERM. */
#define TERM_GRACE_MS      1000

static const char * const seed_files[] = { "articles.json", "papers-and-videos.json" };

struct _DeskDemo
{
  GObject           parent_instance;

  char             *site_program;    /* as given, or NULL */
  char             *sample_dir;      /* as given, or NULL */
  guint             interval_seconds;
  guint             start_timeout;

  /* While starting or running: */
  char             *directory;
  GSubprocess      *process;
  /* Kept open (never read after the address line) so that a late write of
   * the server gets no SIGPIPE. */
  GDataInputStream *out;
  GCancellable     *cancellable;
  char             *token;
  char             *pipeline_token;
  char             *colleague_token;
  gboolean          starting;

  /* While running: */
  char             *base_url;
  DeskSiteClient   *pipeline;
  guint             timer_id;

  guint             entries_added;
  guint             serial;
};

G_DEFINE_FINAL_TYPE (DeskDemo, desk_demo, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SITE_PROGRAM,
  PROP_SAMPLE_DIR,
  PROP_INTERVAL_SECONDS,
  PROP_START_TIMEOUT,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_ENTRIES_ADDED,
  N_PROPS
};

enum {
  ENTRY_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- the simulated pipeline's material ------------------------------------ */

/* Invented by the Digest Desk developers: every name, number and sentence is
 * made up, and the source URLs use reserved example domains. The defects are
 * planted in the machine translation on purpose, as the real pipeline makes
 * them, so that the QA checks have something to find in the demo. */
typedef struct {
  const char *kind;
  const char *source_name;
  const char *slug;
  int         reading_minutes;
  const char *original_title;
  const char *original_html;
  const char *title;
  const char *body;
  const char *tldr;
  const char *tags[4];
  int         depth, relevance, practicality, innovation;
  const char *key_points[3][2];
  const char *impact_analysis;
} DemoTemplate;

static const DemoTemplate templates[] = {
  /* number-mismatch: 81% became 88% in the body */
  {
    "article", "Field Robotics Digest", "tern-gannet-7-release", 3,
    "Tern Robotics opens its warehouse-picking model to outside researchers",
    "<p>Tern Robotics said on Tuesday that it will let university labs download Gannet-7, "
    "the vision-language-action model that drives its warehouse picking arms. The model was "
    "trained on 410,000 hours of teleoperation recordings.</p>\n"
    "<p>In the company's own trials, the share of picks completed without human help rose "
    "from 62% to 81% after the latest training run. Tern says outside teams will be able to "
    "fine-tune the model for other grippers.</p>\n"
    "<p>The release excludes the raw recordings, which Tern says contain footage of customer "
    "sites.</p>",
    "Tern Robotics、倉庫ピッキング用モデルを外部の研究者に公開",
    "Tern Roboticsは火曜日、倉庫のピッキングアームを動かす視覚・言語・行動モデル「Gannet-7」を、"
    "大学の研究室がダウンロードできるようにすると発表しました。このモデルは41万時間分の遠隔操作の"
    "記録で学習されています。\n\n"
    "同社の試験では、最新の学習を経て、人の手を借りずに完了したピッキングの割合が62%から88%に"
    "上がりました。外部のチームは、別のグリッパーに合わせてモデルを微調整できるといいます。\n\n"
    "顧客の現場の映像が含まれるため、元の記録データは公開の対象外です。",
    "Tern Roboticsが倉庫ピッキング用の視覚・言語・行動モデルGannet-7を大学の研究室に公開します。"
    "学習に使った元の記録は公開しません。",
    { "ロボティクス", "オープンウェイト", "物流", NULL },
    3, 4, 4, 3,
    {
      { "研究室向けに公開", "大学の研究室はGannet-7をダウンロードし、自前のグリッパーに合わせて微調整できます。" },
      { "自律率が向上", "社内試験では、人の助けなしに終わったピッキングの割合が大きく伸びました。" },
      { "記録データは非公開", "顧客の現場が映っているため、41万時間分の元データは公開されません。" },
    },
    "実機のデータで学習したロボット用モデルが研究室で使えるようになれば、シミュレーションだけに頼って"
    "いた研究の検証がしやすくなります。一方で、学習データが非公開のため、結果の再現には限界があります。",
  },
  /* placeholder: the <code> span came back as ⟦CODE_0⟧ */
  {
    "paper", "Paper Notes", "gated-memory-tokens", 6,
    "Gated Memory Tokens: cheaper long-context retrieval without retraining",
    "<p>The authors add a small set of learned memory tokens to a frozen decoder and control "
    "them with a gate, implemented as <code>mem_gate(h, m)</code>, that decides at each layer "
    "whether to read from memory.</p>\n"
    "<p>On a 128k-token retrieval benchmark the method recovers 94% of the accuracy of full "
    "attention while using 40% less GPU memory.</p>\n"
    "<p>The gate is trained for 6 hours on a single node; the base model is not updated.</p>",
    "Gated Memory Tokens：再学習なしで長文脈の検索を安くする手法",
    "著者らは、凍結したデコーダーに学習可能な少数のメモリトークンを追加し、それをゲートで制御します。"
    "このゲートは⟦CODE_0⟧として実装され、各層でメモリから読み出すかどうかを決めます。\n\n"
    "128kトークンの検索ベンチマークでは、全注意機構の精度の94%を保ちつつ、GPUメモリの使用量を"
    "40%減らしました。\n\n"
    "ゲートの学習は1ノードで6時間で済み、ベースモデルは更新しません。",
    "凍結したモデルにゲート付きのメモリトークンを加え、長文脈の検索精度を保ちながらGPUメモリを40%"
    "削減する手法の論文です。",
    { "論文", "長文脈", "効率化", NULL },
    4, 4, 3, 4,
    {
      { "凍結モデルに追加", "ベースモデルは更新せず、メモリトークンとゲートだけを学習します。" },
      { "精度とメモリの両立", "全注意機構の精度の94%を保ち、GPUメモリを40%削減しました。" },
      { "学習コストが小さい", "ゲートの学習は1ノードで6時間で終わります。" },
    },
    "再学習なしで既存のモデルに長文脈の検索能力を足せるなら、計算資源の限られたチームでも長い文書を"
    "扱う機能を試しやすくなります。",
  },
  /* prompt-leak: the translator's preamble opens the body */
  {
    "article", "Model Ops Weekly", "model-ops-weekly-57", 4,
    "Model Ops Weekly #57: eval budgets, quantization surprises",
    "<h2>Eval budgets are growing</h2>\n"
    "<p>Three of the teams we spoke to now spend more compute on evaluation than on "
    "fine-tuning. One lead told us the eval suite runs 11,000 prompts per release.</p>\n"
    "<h2>Quantization surprises</h2>\n"
    "<p>A reader reports that 4-bit quantization hurt their model's arithmetic far more than "
    "its summaries. Measure the tasks you care about, not an average.</p>\n"
    "<p><a href=\"https://example.org/subscribe\">Subscribe</a></p>",
    "Model Ops Weekly #57：評価予算の増加と量子化の思わぬ影響",
    "以下が翻訳結果です。\n\n"
    "## 評価予算が増えている\n\n"
    "取材した3つのチームは、いまや微調整よりも評価に多くの計算資源を使っています。あるリーダーに"
    "よると、評価スイートはリリースごとに11,000件のプロンプトを実行します。\n\n"
    "## 量子化の思わぬ影響\n\n"
    "ある読者によると、4ビット量子化は要約よりも算術の性能を大きく損ないました。平均値ではなく、"
    "重視するタスクそのものを測るべきです。",
    "評価にかける計算資源が微調整を上回るチームが出てきました。4ビット量子化の影響はタスクによって"
    "大きく異なります。",
    { "MLOps", "評価", "量子化", NULL },
    3, 4, 5, 2,
    {
      { "評価のコストが逆転", "取材した3チームは、微調整より評価に多くの計算資源を使っています。" },
      { "リリースごとの大規模評価", "あるチームはリリースごとに11,000件のプロンプトで評価しています。" },
      { "量子化の影響はタスク次第", "4ビット量子化は要約より算術の性能を大きく下げました。" },
    },
    "評価の費用が膨らむなか、どのタスクを測るかの選び方が開発の速さと品質を左右します。量子化を導入"
    "する際は、平均的な指標だけで判断しないことが重要です。",
  },
  /* untranslated: "tokenizer" was left in English */
  {
    "video", "Applied Inference Summit", "talk-on-device-translator", 12,
    "Talk: What we learned shipping an on-device translator",
    "<p>[00:12] Priya Nandakumar: We shipped the on-device translator to two million phones "
    "last spring.</p>\n"
    "<p>[03:40] Priya Nandakumar: The hardest part was not the model. It was the tokenizer, "
    "which kept splitting place names into dozens of pieces.</p>\n"
    "<p>[08:05] Priya Nandakumar: Our advice: budget time for the boring parts, like memory "
    "limits and battery tests.</p>",
    "講演：端末上で動く翻訳機能を出荷して学んだこと",
    "[00:12] Priya Nandakumar：昨年の春、端末上で動く翻訳機能を200万台のスマートフォンに"
    "届けました。\n\n"
    "[03:40] Priya Nandakumar：一番難しかったのはモデルではありません。地名を何十もの断片に"
    "分けてしまう tokenizer でした。\n\n"
    "[08:05] Priya Nandakumar：私たちの助言は、メモリの上限やバッテリーの試験のような地味な"
    "部分にも時間を確保することです。",
    "端末上の翻訳機能を200万台に届けたチームが、モデルよりも周辺の地味な作業に苦労した経験を"
    "語りました。",
    { "動画", "オンデバイスAI", "機械翻訳", NULL },
    3, 3, 4, 2,
    {
      { "200万台に展開", "端末上の翻訳機能を、昨年の春に200万台のスマートフォンへ届けました。" },
      { "トークナイザーが難所", "地名が細かく分割される問題に最も苦労しました。" },
      { "地味な作業に時間を", "メモリの上限やバッテリーの試験にも時間を見込むよう勧めています。" },
    },
    "端末上でのAI機能は、モデルの性能だけでなく、分割の仕方や電力といった周辺の制約で品質が"
    "決まります。同様の機能を計画するチームにとって参考になる事例です。",
  },
  /* clean */
  {
    "article", "Civic Tech Review", "valmora-call-triage-pilot", 2,
    "Valmora tests an AI assistant that sorts non-emergency calls",
    "<p>The city of Valmora has started a six-month pilot in which an AI assistant listens to "
    "non-emergency calls and suggests which department should handle them. A human operator "
    "confirms every suggestion.</p>\n"
    "<p>The city says the assistant is not used for emergency calls and that recordings are "
    "deleted after 30 days.</p>",
    "Valmora市、緊急でない通報を振り分けるAIアシスタントを試験導入",
    "Valmora市は、緊急でない通報の音声をAIアシスタントが聞き取り、担当部署を提案する6か月間の"
    "試験を始めました。提案はすべて人間のオペレーターが確認します。\n\n"
    "市によると、このアシスタントは緊急通報には使われず、録音は30日後に削除されます。",
    "Valmora市が、緊急でない通報の担当部署をAIが提案する6か月間の試験を始めました。最終判断は"
    "人間のオペレーターが行います。",
    { "行政", "音声AI", NULL },
    3, 3, 4, 2,
    {
      { "6か月間の試験", "AIアシスタントが緊急でない通報を聞き取り、担当部署を提案します。" },
      { "人間が確認", "すべての提案はオペレーターが確認してから使われます。" },
      { "録音は30日で削除", "緊急通報には使わず、録音は30日後に削除されます。" },
    },
    "人間の確認を前提にした小規模な試験は、行政がAIを導入する際の慎重な進め方の一例です。効果と"
    "誤りの記録が公開されれば、他の自治体の判断材料になります。",
  },
};

/* The overall importance the site suggests: the weighted mean with the
 * contract's weights (0.4, 0.3, 0.2, 0.1), rounded half down, in integer
 * tenths so that 4.5 stays 4. */
static int
suggested_overall (const DemoTemplate *t)
{
  int tenths = 4 * t->depth + 3 * t->relevance + 2 * t->practicality + t->innovation;

  return (tenths + 4) / 10;
}

static char *
format_time (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S%:z");
}

static JsonNode *
template_to_json (const DemoTemplate *t,
                  const char         *id,
                  guint               serial)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) published = g_date_time_add_hours (now, -3);
  g_autoptr(GDateTime) collected = g_date_time_add_minutes (now, -2);
  g_autofree char *now_s = format_time (now);
  g_autofree char *published_s = format_time (published);
  g_autofree char *collected_s = format_time (collected);
  g_autofree char *url = g_strdup_printf ("https://example.org/demo/%s-%u", t->slug, serial);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, t->kind);

  json_builder_set_member_name (b, "source");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, t->source_name);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "published_at");
  json_builder_add_string_value (b, published_s);
  json_builder_set_member_name (b, "language");
  json_builder_add_string_value (b, "en");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "collected_at");
  json_builder_add_string_value (b, collected_s);
  json_builder_set_member_name (b, "analyzed_at");
  json_builder_add_string_value (b, now_s);
  json_builder_set_member_name (b, "reading_minutes");
  json_builder_add_int_value (b, t->reading_minutes);

  json_builder_set_member_name (b, "original");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, t->original_title);
  json_builder_set_member_name (b, "html");
  json_builder_add_string_value (b, t->original_html);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "machine");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, t->title);
  json_builder_set_member_name (b, "body");
  json_builder_add_string_value (b, t->body);
  json_builder_set_member_name (b, "tldr");
  json_builder_add_string_value (b, t->tldr);
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (t->tags) && t->tags[i] != NULL; i++)
    json_builder_add_string_value (b, t->tags[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "importance");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "overall");
  json_builder_add_int_value (b, suggested_overall (t));
  json_builder_set_member_name (b, "depth");
  json_builder_add_int_value (b, t->depth);
  json_builder_set_member_name (b, "relevance");
  json_builder_add_int_value (b, t->relevance);
  json_builder_set_member_name (b, "practicality");
  json_builder_add_int_value (b, t->practicality);
  json_builder_set_member_name (b, "innovation");
  json_builder_add_int_value (b, t->innovation);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "key_points");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (t->key_points); i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "heading");
      json_builder_add_string_value (b, t->key_points[i][0]);
      json_builder_set_member_name (b, "body");
      json_builder_add_string_value (b, t->key_points[i][1]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "impact_analysis");
  json_builder_add_string_value (b, t->impact_analysis);
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- lookup --------------------------------------------------------------- */

static char *
dup_exe_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL ? g_path_get_dirname (exe) : NULL;
}

static gboolean
is_program (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
         g_file_test (path, G_FILE_TEST_IS_EXECUTABLE);
}

static gboolean
has_samples (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, seed_files[0], NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static char *
find_site_program (DeskDemo *self)
{
  const char *env = g_getenv ("DIGEST_SITE");
  g_autofree char *exe_dir = NULL;

  if (self->site_program != NULL)
    return g_strdup (self->site_program);
  /* Taken as given, even when it does not exist: a wrong path set on
   * purpose should fail, not be replaced by another server. */
  if (env != NULL && *env != '\0')
    return g_strdup (env);

  exe_dir = dup_exe_dir ();
  if (exe_dir != NULL)
    {
      g_autofree char *path = g_build_filename (exe_dir, "site", "digest-site", NULL);

      if (is_program (path))
        return g_steal_pointer (&path);
    }
  if (is_program (DIGEST_SITE_PROGRAM))
    return g_strdup (DIGEST_SITE_PROGRAM);
  return NULL;
}

static char *
find_sample_dir (DeskDemo *self)
{
  const char *env = g_getenv ("DESK_SAMPLE_DIR");
  g_autofree char *exe_dir = NULL;

  if (self->sample_dir != NULL)
    return g_strdup (self->sample_dir);
  if (env != NULL && *env != '\0')
    return g_strdup (env);

  exe_dir = dup_exe_dir ();
  if (exe_dir != NULL)
    {
      g_autofree char *path = g_build_filename (exe_dir, "..", "data", "sample", NULL);

      if (has_samples (path))
        return g_steal_pointer (&path);
    }
  if (has_samples (PKGSAMPLEDIR))
    return g_strdup (PKGSAMPLEDIR);
  return NULL;
}

/* ---- the child ------------------------------------------------------------ */

/* Runs in the child between fork and exec (async-signal-safe calls only). */
static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  pid_t parent = (pid_t) GPOINTER_TO_INT (user_data);

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* The parent may have died before prctl: then nobody would kill us. */
  if (getppid () != parent)
    _exit (1);
#endif
}

static void
wait_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* SIGTERM lets the server close its database; SIGKILL if it takes too long.
 * Waits on a private context so that nothing else of the caller's runs
 * meanwhile and the wait is bounded. */
static void
terminate_process (GSubprocess *process)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  GSource *deadline;
  gboolean done = FALSE;
  gboolean expired = FALSE;

  g_main_context_push_thread_default (context);
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, wait_done_cb, &done);
  deadline = g_timeout_source_new (TERM_GRACE_MS);
  g_source_set_callback (deadline, deadline_cb, &expired, NULL);
  g_source_attach (deadline, context);
  while (!done && !expired)
    g_main_context_iteration (context, TRUE);
  if (!done)
    {
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (context, TRUE);
    }
  g_source_destroy (deadline);
  g_source_unref (deadline);
  g_main_context_pop_thread_default (context);
}

/* Only our own files are in there (the directory is 0700), but never follow
 * a link out of it anyway. */
static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else if (g_unlink (path) != 0)
        g_warning ("Could not remove %s: %s", path, g_strerror (errno));
    }
  if (g_rmdir (dir) != 0)
    g_warning ("Could not remove %s: %s", dir, g_strerror (errno));
}

/* The last non-empty line the server wrote on stderr, shortened, or NULL. */
static char *
dup_last_log_line (DeskDemo *self)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  if (self->directory == NULL)
    return NULL;
  path = g_build_filename (self->directory, "site.log", NULL);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (n = g_strv_length (lines); n > 0; n--)
    {
      char *line = g_strstrip (lines[n - 1]);

      if (*line != '\0')
        {
          if (!g_utf8_validate (line, -1, NULL))
            return NULL;
          if (g_utf8_strlen (line, -1) > 300)
            *g_utf8_offset_to_pointer (line, 300) = '\0';
          return g_strdup (line);
        }
    }
  return NULL;
}

static void
stop_internal (DeskDemo *self,
               gboolean  notify)
{
  gboolean had_url = self->base_url != NULL && !self->starting;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pipeline);
  if (self->process != NULL)
    terminate_process (self->process);
  g_clear_object (&self->process);
  g_clear_object (&self->out);
  if (self->directory != NULL)
    remove_tree (self->directory);
  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->pipeline_token, g_free);
  g_clear_pointer (&self->colleague_token, g_free);

  if (notify && had_url)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
    }
}

/* ---- the simulated pipeline ------------------------------------------------ */

typedef struct {
  GWeakRef  demo;
  char     *id;
} AddData;

static void
add_data_free (AddData *data)
{
  g_weak_ref_clear (&data->demo);
  g_free (data->id);
  g_free (data);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AddData *data = user_data;
  g_autoptr(DeskDemo) self = g_weak_ref_get (&data->demo);
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  entry = desk_site_client_create_entry_finish (DESK_SITE_CLIENT (object), result, NULL, &error);
  if (entry == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The demo pipeline could not add %s: %s", data->id, error->message);
    }
  else if (self != NULL && self->base_url != NULL)
    {
      self->entries_added++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRIES_ADDED]);
      g_signal_emit (self, signals[ENTRY_ADDED], 0, data->id);
    }
  add_data_free (data);
}

char *
desk_demo_add_entry_now (DeskDemo *self)
{
  const DemoTemplate *t;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DeskEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  AddData *data;
  guint serial;

  g_return_val_if_fail (DESK_IS_DEMO (self), NULL);
  g_return_val_if_fail (self->pipeline != NULL, NULL);

  serial = ++self->serial;
  t = &templates[(serial - 1) % G_N_ELEMENTS (templates)];
  data = g_new0 (AddData, 1);
  g_weak_ref_init (&data->demo, self);
  /* The time keeps ids unique across demos; the serial, within one. */
  data->id = g_strdup_printf ("demo-%" G_GINT64_FORMAT "-%u", g_get_real_time () / G_USEC_PER_SEC, serial);

  node = template_to_json (t, data->id, serial);
  entry = desk_entry_new_from_json (node, DESK_ENTRY_FORM_PIPELINE, &error);
  /* The templates are ours: an entry the core refuses is a bug here. */
  g_assert_no_error (error);

  desk_site_client_create_entry_async (self->pipeline, entry, self->cancellable, created_cb, data);
  return g_strdup (data->id);
}

static gboolean
tick_cb (gpointer user_data)
{
  DeskDemo *self = user_data;
  g_autofree char *id = desk_demo_add_entry_now (self);

  return G_SOURCE_CONTINUE;
}

static void
schedule_ticks (DeskDemo *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->pipeline != NULL && self->interval_seconds > 0)
    self->timer_id = g_timeout_add_seconds (self->interval_seconds, tick_cb, self);
}

/* ---- start ---------------------------------------------------------------- */

typedef struct {
  char         *sample_dir;
  GCancellable *caller_cancellable;
  gulong        cancelled_id;
  guint         timeout_id;
  gboolean      timed_out;
} StartData;

static void
start_data_free (StartData *data)
{
  g_assert (data->timeout_id == 0);
  g_assert (data->cancelled_id == 0);
  g_free (data->sample_dir);
  g_clear_object (&data->caller_cancellable);
  g_free (data);
}

/* Every end of a start goes through here: on failure nothing is left
 * behind (no process, no directory). Takes @error. */
static void
start_return (GTask  *task,
              GError *error)
{
  DeskDemo *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  g_clear_handle_id (&data->timeout_id, g_source_remove);
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->cancelled_id);
  data->cancelled_id = 0;
  self->starting = FALSE;

  if (error == NULL && self->process == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The demo was stopped."));

  if (error != NULL)
    {
      stop_internal (self, FALSE);
      g_task_return_error (task, error);
      return;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
  schedule_ticks (self);
  g_task_return_boolean (task, TRUE);
}

/* What a failed step of the start means to the user, once the step's own
 * error is known. Takes @error. */
static GError *
start_step_error (GTask  *task,
                  GError *error)
{
  DeskDemo *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  g_error_free (error);
  if (data->timed_out)
    return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "The demo site did not become ready within %u second.",
                                     "The demo site did not become ready within %u seconds.",
                                     self->start_timeout),
                        self->start_timeout);
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The demo was stopped."));
}

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskDemo *self = g_task_get_source_object (task);
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  if (!g_subprocess_wait_finish (process, result, &error))
    {
      start_return (task, start_step_error (task, g_steal_pointer (&error)));
      return;
    }

  detail = dup_last_log_line (self);
  if (detail == NULL && g_subprocess_get_if_signaled (process))
    detail = g_strdup_printf (_("killed by signal %d"), g_subprocess_get_term_sig (process));
  else if (detail == NULL)
    detail = g_strdup_printf (_("exit status %d"), g_subprocess_get_exit_status (process));
  start_return (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                   _("The demo site stopped before it was ready: %s"), detail));
}

static void
glossary_put_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(DeskGlossary) glossary = NULL;
  g_autoptr(GError) error = NULL;

  glossary = desk_site_client_put_glossary_finish (DESK_SITE_CLIENT (object), result, NULL, NULL, &error);
  if (glossary == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      start_return (task, start_step_error (task, g_steal_pointer (&error)));
      return;
    }
  /* The entries are what the demo is for; it goes on without a glossary. */
  if (glossary == NULL)
    g_warning ("The demo site did not take the sample glossary: %s", error->message);
  start_return (task, NULL);
}

/* digest-site has no option to seed the glossary, so the editor puts it,
 * onto the fresh database's empty revision 1. */
static void
seed_glossary (GTask *task)
{
  DeskDemo *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autofree char *path = g_build_filename (data->sample_dir, "glossary.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DeskGlossary) glossary = NULL;
  g_autoptr(DeskSiteClient) editor = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      start_return (task, NULL);
      return;
    }
  if (json_parser_load_from_file (parser, path, &error))
    glossary = desk_glossary_new_from_json (json_parser_get_root (parser), FALSE, &error);
  if (glossary != NULL)
    editor = desk_site_client_new (self->base_url, self->token, &error);
  if (editor == NULL)
    {
      g_warning ("The sample glossary %s was not loaded: %s", path, error->message);
      start_return (task, NULL);
      return;
    }
  desk_site_client_put_glossary_async (editor, "\"1\"", glossary, self->cancellable,
                                       glossary_put_cb, g_object_ref (task));
}

static void read_line_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskDemo *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  guint64 port = 0;
  gsize length = 0;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, &length, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not read the demo site’s output: "));
      start_return (task, start_step_error (task, g_steal_pointer (&error)));
      return;
    }
  if (self->process == NULL)
    {
      start_return (task, NULL);
      return;
    }
  if (line == NULL)
    {
      /* End of output: it exited (or is about to); say why. */
      g_subprocess_wait_async (self->process, self->cancellable, exited_cb, g_steal_pointer (&task));
      return;
    }
  if (!g_str_has_prefix (line, LISTENING_PREFIX) ||
      !g_ascii_string_to_unsigned (line + strlen (LISTENING_PREFIX), 10, 1, 65535, &port, NULL))
    {
      g_debug ("digest-site: %s", line);
      g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (object), G_PRIORITY_DEFAULT,
                                           self->cancellable, read_line_cb, g_steal_pointer (&task));
      return;
    }

  self->base_url = g_strdup_printf ("http://127.0.0.1:%u", (guint) port);
  self->pipeline = desk_site_client_new (self->base_url, self->pipeline_token, &error);
  if (self->pipeline == NULL)
    {
      start_return (task, g_steal_pointer (&error));
      return;
    }
  seed_glossary (task);
}

static gboolean
start_timed_out_cb (gpointer user_data)
{
  GTask *task = user_data;
  DeskDemo *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  data->timeout_id = 0;
  data->timed_out = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

void
desk_demo_start_async (DeskDemo            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = NULL;
  g_autofree char *log_path = NULL;
  StartData *data;

  g_return_if_fail (DESK_IS_DEMO (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->starting && self->process == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_demo_start_async);
  data = g_new0 (StartData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);

  program = find_site_program (self);
  if (program == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The demo site program digest-site was not found. Set DIGEST_SITE to its path."));
      return;
    }
  data->sample_dir = find_sample_dir (self);
  if (data->sample_dir == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The demo’s sample entries were not found. Set DESK_SAMPLE_DIR to their folder."));
      return;
    }

  argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup (program));
  for (guint i = 0; i < G_N_ELEMENTS (seed_files); i++)
    {
      g_autofree char *path = g_build_filename (data->sample_dir, seed_files[i], NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                   _("The demo’s sample entries are missing: %s was not found."), path);
          return;
        }
      g_ptr_array_add (argv, g_strdup ("--seed"));
      g_ptr_array_add (argv, g_steal_pointer (&path));
    }

  self->directory = g_dir_make_tmp ("digest-desk-demo-XXXXXX", &error);
  if (self->directory == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Could not make a folder for the demo site: %s"), error->message);
      return;
    }
  /* Random per demo: another local user can reach the loopback port, but
   * not guess these (they do show in the server's command line, which is
   * acceptable for throwaway sample data). */
  self->token = g_uuid_string_random ();
  self->pipeline_token = g_uuid_string_random ();
  self->colleague_token = g_uuid_string_random ();
  self->cancellable = g_cancellable_new ();
  self->starting = TRUE;

  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_build_filename (self->directory, "site.db", NULL));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup ("0"));
  g_ptr_array_add (argv, g_strdup ("--token"));
  g_ptr_array_add (argv, g_strdup_printf (DEMO_ACCOUNT ":editor:%s", self->token));
  g_ptr_array_add (argv, g_strdup ("--display-name"));
  g_ptr_array_add (argv, g_strdup (DEMO_ACCOUNT ":" DEMO_DISPLAY_NAME));
  g_ptr_array_add (argv, g_strdup ("--token"));
  g_ptr_array_add (argv, g_strdup_printf ("pipeline:pipeline:%s", self->pipeline_token));
  /* A second editor, to try locks and conflicts with. */
  g_ptr_array_add (argv, g_strdup ("--token"));
  g_ptr_array_add (argv, g_strdup_printf (DEMO_COLLEAGUE ":editor:%s", self->colleague_token));
  g_ptr_array_add (argv, g_strdup ("--display-name"));
  g_ptr_array_add (argv, g_strdup (DEMO_COLLEAGUE ":" DEMO_COLLEAGUE_NAME));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  log_path = g_build_filename (self->directory, "site.log", NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_cwd (launcher, self->directory);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GINT_TO_POINTER ((int) getpid ()), NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (self->process == NULL)
    {
      GIOErrorEnum code = g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT)
                          ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_FAILED;

      start_return (task,
                    g_error_new (G_IO_ERROR, code, _("Could not start the demo site “%s”: %s"),
                                 program, error->message));
      return;
    }

  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                  g_object_ref (self->cancellable), g_object_unref);
    }
  data->timeout_id = g_timeout_add_seconds (self->start_timeout, start_timed_out_cb, task);

  self->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (self->out, G_PRIORITY_DEFAULT, self->cancellable,
                                       read_line_cb, g_steal_pointer (&task));
}

gboolean
desk_demo_start_finish (DeskDemo      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (DESK_IS_DEMO (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == desk_demo_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
desk_demo_stop (DeskDemo *self)
{
  g_return_if_fail (DESK_IS_DEMO (self));

  stop_internal (self, TRUE);
}

/* ---- properties ----------------------------------------------------------- */

guint
desk_demo_get_interval_seconds (DeskDemo *self)
{
  g_return_val_if_fail (DESK_IS_DEMO (self), 0);

  return self->interval_seconds;
}

void
desk_demo_set_interval_seconds (DeskDemo *self,
                                guint     seconds)
{
  g_return_if_fail (DESK_IS_DEMO (self));

  if (self->interval_seconds == seconds)
    return;
  self->interval_seconds = seconds;
  if (!self->starting)
    schedule_ticks (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL_SECONDS]);
}

const char *
desk_demo_get_base_url (DeskDemo *self)
{
  g_return_val_if_fail (DESK_IS_DEMO (self), NULL);

  return self->starting ? NULL : self->base_url;
}

const char *
desk_demo_get_colleague_token (DeskDemo *self)
{
  g_return_val_if_fail (DESK_IS_DEMO (self), NULL);

  return self->base_url != NULL && !self->starting ? self->colleague_token : NULL;
}

const char *
desk_demo_get_token (DeskDemo *self)
{
  g_return_val_if_fail (DESK_IS_DEMO (self), NULL);

  return self->base_url != NULL && !self->starting ? self->token : NULL;
}

guint
desk_demo_get_entries_added (DeskDemo *self)
{
  g_return_val_if_fail (DESK_IS_DEMO (self), 0);

  return self->entries_added;
}

const char *
desk_demo_get_directory (DeskDemo *self)
{
  g_return_val_if_fail (DESK_IS_DEMO (self), NULL);

  return self->directory;
}

DeskDemo *
desk_demo_new (const char *site_program,
               const char *sample_dir)
{
  return g_object_new (DESK_TYPE_DEMO,
                       "site-program", site_program,
                       "sample-dir", sample_dir,
                       NULL);
}

static void
desk_demo_dispose (GObject *object)
{
  DeskDemo *self = DESK_DEMO (object);

  stop_internal (self, FALSE);

  G_OBJECT_CLASS (desk_demo_parent_class)->dispose (object);
}

static void
desk_demo_finalize (GObject *object)
{
  DeskDemo *self = DESK_DEMO (object);

  g_free (self->site_program);
  g_free (self->sample_dir);

  G_OBJECT_CLASS (desk_demo_parent_class)->finalize (object);
}

static void
desk_demo_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DeskDemo *self = DESK_DEMO (object);

  switch (prop_id)
    {
    case PROP_SITE_PROGRAM:
      g_value_set_string (value, self->site_program);
      break;
    case PROP_SAMPLE_DIR:
      g_value_set_string (value, self->sample_dir);
      break;
    case PROP_INTERVAL_SECONDS:
      g_value_set_uint (value, self->interval_seconds);
      break;
    case PROP_START_TIMEOUT:
      g_value_set_uint (value, self->start_timeout);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, desk_demo_get_base_url (self));
      break;
    case PROP_TOKEN:
      g_value_set_string (value, desk_demo_get_token (self));
      break;
    case PROP_ENTRIES_ADDED:
      g_value_set_uint (value, self->entries_added);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_demo_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  DeskDemo *self = DESK_DEMO (object);

  switch (prop_id)
    {
    case PROP_SITE_PROGRAM:
      self->site_program = g_value_dup_string (value);
      break;
    case PROP_SAMPLE_DIR:
      self->sample_dir = g_value_dup_string (value);
      break;
    case PROP_INTERVAL_SECONDS:
      desk_demo_set_interval_seconds (self, g_value_get_uint (value));
      break;
    case PROP_START_TIMEOUT:
      if (self->start_timeout != g_value_get_uint (value))
        {
          self->start_timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_demo_class_init (DeskDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = desk_demo_dispose;
  object_class->finalize = desk_demo_finalize;
  object_class->get_property = desk_demo_get_property;
  object_class->set_property = desk_demo_set_property;

  properties[PROP_SITE_PROGRAM] =
    g_param_spec_string ("site-program", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAMPLE_DIR] =
    g_param_spec_string ("sample-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL_SECONDS] =
    g_param_spec_uint ("interval-seconds", NULL, NULL, 0, 24 * 60 * 60, 60, rw);
  properties[PROP_START_TIMEOUT] =
    g_param_spec_uint ("start-timeout", NULL, NULL, 1, 600, 10, rw);
  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL, ro);
  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, NULL, ro);
  properties[PROP_ENTRIES_ADDED] = g_param_spec_uint ("entries-added", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ENTRY_ADDED] =
    g_signal_new ("entry-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
desk_demo_init (DeskDemo *self)
{
  self->interval_seconds = 60;
  self->start_timeout = 10;
}
