/* desk-site-synthetic.c: deterministic made-up entries for digest-site --synthetic
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-site-synthetic.h"

/* Everything here is invented for tests and demos; names and URLs are on
 * the reserved example domains. */

typedef struct {
  const char *ja;
  const char *en;
  const char *tag;
} Topic;

static const Topic topics[] = {
  { "大規模言語モデルの推論効率", "inference efficiency of large language models", "推論最適化" },
  { "エージェントの長期計画", "long-horizon planning in agents", "AIエージェント" },
  { "AI規制の国際協調", "international coordination on AI regulation", "AI規制" },
  { "合成データによる事前学習", "pretraining on synthetic data", "合成データ" },
  { "マルチモーダル検索", "multimodal retrieval", "マルチモーダル" },
  { "評価ベンチマークの飽和", "benchmark saturation", "評価" },
  { "オープンウェイトモデルの安全性", "safety of open-weight models", "AI安全性" },
  { "半導体サプライチェーン", "the semiconductor supply chain", "半導体" },
  { "ロボット基盤モデル", "foundation models for robotics", "ロボティクス" },
  { "コード生成の信頼性", "reliability of code generation", "コード生成" },
  { "解釈可能性研究", "interpretability research", "解釈可能性" },
  { "医療分野でのAI導入", "AI adoption in healthcare", "医療AI" },
  { "小型モデルの蒸留", "distillation into small models", "蒸留" },
  { "データセンターの電力需要", "the power demand of data centres", "エネルギー" },
  { "著作権と学習データ", "copyright and training data", "著作権" },
  { "強化学習による推論能力の向上", "reinforcement learning for reasoning", "強化学習" },
};

typedef struct {
  const char    *name;
  const char    *host;
  DeskEntryKind  kind;
} Source;

static const Source sources[] = {
  { "Import Notes", "https://newsletter.example.org/import-notes", DESK_ENTRY_KIND_ARTICLE },
  { "The Gradient Ledger", "https://ledger.example.com/posts", DESK_ENTRY_KIND_ARTICLE },
  { "Model Weekly", "https://weekly.example.net/issues", DESK_ENTRY_KIND_ARTICLE },
  { "Lab Blog", "https://blog.example.org/research", DESK_ENTRY_KIND_ARTICLE },
  { "Policy Brief", "https://policy.example.com/briefs", DESK_ENTRY_KIND_ARTICLE },
  { "arXiv-like Preprints", "https://preprints.example.org/abs", DESK_ENTRY_KIND_PAPER },
  { "Proceedings Digest", "https://proceedings.example.net/papers", DESK_ENTRY_KIND_PAPER },
  { "Talks Channel", "https://video.example.com/watch", DESK_ENTRY_KIND_VIDEO },
  { "Podcast Transcripts", "https://podcast.example.org/episodes", DESK_ENTRY_KIND_VIDEO },
};

static const char * const orgs_ja[] = {
  "ある研究チーム", "大手クラウド事業者", "大学の研究室", "スタートアップ企業",
  "欧州の研究機関", "非営利の研究団体", "政府の諮問委員会", "オープンソースのコミュニティ",
};

static const char * const orgs_en[] = {
  "a research team", "a large cloud provider", "a university lab", "a start-up",
  "a European institute", "a non-profit lab", "a government advisory board", "an open-source community",
};

static const char * const title_ja[] = {
  "%sをめぐる最新動向",
  "%sに新たなアプローチ",
  "%sの課題と今後の展望",
  "%sで何が変わるのか",
  "%sに関する大規模な調査結果",
};

static const char * const title_en[] = {
  "What is new in %s",
  "A new approach to %s",
  "The open problems of %s",
  "How %s is changing",
  "A large study of %s",
};

static const char * const finding_ja[] = {
  "従来手法と比べてコストを大幅に下げられることを示しました",
  "評価の前提そのものに見直しが必要だと指摘しました",
  "実運用で再現性のある改善が得られたと報告しました",
  "リスクと便益を比較するための枠組みを提案しました",
  "小規模な構成でも上位モデルに迫る結果を示しました",
};

static const char * const finding_en[] = {
  "shows that costs can be cut substantially compared with earlier methods",
  "argues that the assumptions behind current evaluations need revisiting",
  "reports reproducible improvements in production settings",
  "proposes a framework to weigh risks against benefits",
  "shows that small configurations come close to much larger models",
};

static const char * const body_ja[] = {
  "%sは、ここ一年で最も議論が活発になった領域の一つです。%sは今回、%s。",
  "背景には、計算資源の制約と、実運用での品質要求の高まりがあります。特に%sでは、評価の方法によって結論が大きく変わることが知られています。",
  "著者らは複数の条件で比較実験を行い、結果が偶然によるものではないことを確認しています。一方で、対象としたデータの範囲が限られている点は注意が必要です。",
  "実務の観点では、既存の仕組みをすぐに置き換えるというより、段階的に取り入れる形が現実的です。導入時には、監視と評価の体制を先に整えることが推奨されます。",
  "今後は、%sと他分野との組み合わせが焦点になると考えられます。標準化や透明性の確保も、引き続き重要な論点です。",
  "なお、原文では詳細な数値表や追加の検証結果も示されています。関心のある読者は、元の記事もあわせて確認してください。",
};

static const char * const body_en[] = {
  "Over the past year, %s has become one of the most debated areas in the field. In the work discussed here, %s %s.",
  "The background is twofold: compute remains scarce, and the quality bar for production systems keeps rising. In %s in particular, conclusions are known to depend heavily on how things are measured.",
  "The authors ran comparisons under several conditions and checked that the results are not due to chance. The range of data they covered is, however, limited, and they say so.",
  "From a practical point of view, gradual adoption looks more realistic than wholesale replacement of existing systems. Monitoring and evaluation should be in place before anything ships.",
  "Looking ahead, the interesting question is how %s will combine with neighbouring fields. Standards and transparency remain open issues.",
  "The full post includes detailed tables and additional validation runs, along with a discussion of limitations and a short list of follow-up experiments the team plans to run next quarter.",
};

static const char * const point_heading_ja[] = {
  "主な結果", "手法の特徴", "限界と注意点", "実務への示唆", "今後の課題", "背景",
};

static const char * const point_body_ja[] = {
  "%sについて、従来の想定を見直す結果が示されました。",
  "既存の手順を大きく変えずに導入できる点が特徴です。",
  "検証の範囲が限られており、一般化には追加の確認が必要です。",
  "小さな範囲で試し、評価指標を先に決めてから広げるのが安全です。",
  "再現性の確保と、第三者による検証が次の課題です。",
  "%sへの関心は、計算コストの上昇とともに高まっています。",
};

static const char * const impact_ja[] = {
  "短期的には研究コミュニティでの検証が進み、中期的には製品への組み込みが始まると見られます。特に%sに取り組む企業にとって、無視できない動きです。",
  "直接の影響は限定的ですが、評価や調達の基準に波及する可能性があります。%sの議論を追う上で押さえておくべき内容です。",
  "政策や業界標準に影響を与える可能性が高く、%sに関わる実務者は動向を注視する必要があります。",
};

static const char * const comments_ja[] = {
  "用語の統一を確認済みです。",
  "数値は原文の表と照合しました。",
  "見出しを読者向けに調整しました。",
  "",
};

static const char * const extra_tags[] = {
  "研究動向", "産業動向", "論文紹介", "ガバナンス", "オープンソース", "ベンチマーク",
};

/* Stable across GLib versions, unlike GRand's sequence guarantees. */
static guint32
mix (guint32 x)
{
  x ^= x >> 16;
  x *= 0x7feb352d;
  x ^= x >> 15;
  x *= 0x846ca68b;
  x ^= x >> 16;
  return x;
}

typedef struct {
  guint32 state;
} Dice;

static guint
roll (Dice  *dice,
      guint  n)
{
  dice->state = mix (dice->state + 0x9e3779b9);
  return dice->state % n;
}

#define PICK(dice, array) ((array)[roll ((dice), G_N_ELEMENTS (array))])

/* The templates are data, not formats: "%s" marks where the arguments go,
 * in order (and -Wformat-nonliteral stays on). */
static void
append_filled (GString    *out,
               const char *template,
               const char *a,
               const char *b,
               const char *c)
{
  const char *args[] = { a, b, c };
  guint next = 0;

  for (const char *p = template; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 's' && next < G_N_ELEMENTS (args))
        {
          g_string_append (out, args[next] != NULL ? args[next] : "");
          next++;
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
}

static char *
filled (const char *template,
        const char *a,
        const char *b,
        const char *c)
{
  GString *out = g_string_new (NULL);

  append_filled (out, template, a, b, c);
  return g_string_free (out, FALSE);
}

char *
desk_site_synthetic_id (guint index)
{
  return g_strdup_printf ("synthetic-%06u", index);
}

/* Importance members cluster around 3, as real scores do. */
static gint64
roll_score (Dice *dice)
{
  static const gint64 scores[] = { 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5 };

  return PICK (dice, scores);
}

static char *
rfc3339 (GDateTime *dt)
{
  return desk_rfc3339_from_date_time (dt);
}

static char *
original_html (Dice        *dice,
               const Topic *topic,
               const char  *org_en,
               const char  *finding,
               const char  *title,
               const char  *url)
{
  GString *html = g_string_new (NULL);
  guint paragraphs = 4 + roll (dice, 4);

  g_string_append_printf (html, "<article>\n<h1>%s</h1>\n", title);
  for (guint i = 0; i < paragraphs; i++)
    {
      const char *text = body_en[i % G_N_ELEMENTS (body_en)];

      g_string_append (html, "<p>");
      if (i == 0)
        append_filled (html, text, topic->en, org_en, finding);
      else if (i == 1 || i == 4)
        append_filled (html, text, topic->en, NULL, NULL);
      else
        g_string_append (html, text);
      g_string_append (html, "</p>\n");

      if (i == 1)
        g_string_append_printf (html,
                                "<blockquote><p>&ldquo;We expected a small effect on %s; "
                                "it was not small.&rdquo;</p></blockquote>\n", topic->en);
      if (i == 2)
        g_string_append (html,
                         "<ul>\n<li>Setup: three model sizes, two datasets.</li>\n"
                         "<li>Metric: accuracy &amp; cost per 1k tokens.</li>\n"
                         "<li>Baselines: the usual suspects.</li>\n</ul>\n");
    }

  g_string_append_printf (html, "<p>Read more at <a href=\"%s\">the source</a>.</p>\n", url);
  /* Originals are untrusted pages; some carry scripts and trackers. */
  if (roll (dice, 8) == 0)
    g_string_append (html, "<script>document.title = 'tracked';</script>\n"
                           "<img src=\"https://tracker.example.com/pixel.gif\" alt=\"\">\n");
  g_string_append (html, "</article>");

  return g_string_free (html, FALSE);
}

static DeskEditable *
machine_fields (Dice        *dice,
                const Topic *topic,
                const Topic *other,
                const char  *org_ja,
                const char  *finding_text)
{
  DeskEditable *fields = desk_editable_new ();
  GString *body = g_string_new (NULL);
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  DeskImportanceWeights weights;
  guint paragraphs = 3 + roll (dice, 3);
  guint points = 3 + roll (dice, 3);
  guint first_point = roll (dice, G_N_ELEMENTS (point_heading_ja));

  fields->present = DESK_FIELDS_MACHINE;
  fields->title = filled (PICK (dice, title_ja), topic->ja, NULL, NULL);
  fields->tldr = g_strdup_printf ("%sについて、%sが%s。実務への影響も大きく、今後の検証が注目されます。",
                                  topic->ja, org_ja, finding_text);

  g_string_append (body, "## 概要\n\n");
  for (guint i = 0; i < paragraphs; i++)
    {
      const char *text = body_ja[i % G_N_ELEMENTS (body_ja)];

      if (i == 2)
        g_string_append (body, "## 詳細\n\n");
      if (i == 0)
        append_filled (body, text, topic->ja, org_ja, finding_text);
      else if (i == 1 || i == 4)
        append_filled (body, text, i == 4 ? other->ja : topic->ja, NULL, NULL);
      else
        g_string_append (body, text);
      g_string_append (body, "\n\n");
    }
  g_string_append_printf (body, "- 対象: %s\n- 関連: %s\n", topic->ja, other->ja);
  fields->body = g_string_free (body, FALSE);

  g_ptr_array_add (tags, (gpointer) topic->tag);
  if (other->tag != topic->tag)
    g_ptr_array_add (tags, (gpointer) other->tag);
  if (roll (dice, 2) == 0)
    g_ptr_array_add (tags, (gpointer) PICK (dice, extra_tags));
  g_ptr_array_add (tags, NULL);
  fields->tags = g_strdupv ((char **) tags->pdata);

  fields->importance.depth = roll_score (dice);
  fields->importance.relevance = roll_score (dice);
  fields->importance.practicality = roll_score (dice);
  fields->importance.innovation = roll_score (dice);
  desk_importance_weights_init_default (&weights);
  fields->importance.overall = desk_importance_suggest (&fields->importance, &weights);

  fields->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
  for (guint i = 0; i < points; i++)
    {
      guint k = (first_point + i) % G_N_ELEMENTS (point_heading_ja);
      g_autofree char *text = filled (point_body_ja[k], topic->ja, NULL, NULL);

      g_ptr_array_add (fields->key_points, desk_key_point_new (point_heading_ja[k], text));
    }

  fields->impact_analysis = filled (PICK (dice, impact_ja), topic->ja, NULL, NULL);
  return fields;
}

DeskEntry *
desk_site_synthetic_entry (guint       index,
                           const char *public_base)
{
  g_autoptr(GTimeZone) jst = g_time_zone_new_identifier ("+09:00");
  g_autoptr(GDateTime) base = NULL;
  g_autoptr(GDateTime) published_at = NULL;
  g_autoptr(GDateTime) collected_at = NULL;
  g_autoptr(GDateTime) analyzed_at = NULL;
  g_autoptr(GDateTime) updated_at = NULL;
  g_autoptr(DeskEditable) machine = NULL;
  g_autoptr(DeskEditable) fields = NULL;
  g_autofree char *id = desk_site_synthetic_id (index);
  g_autofree char *title_en_text = NULL;
  g_autofree char *url = NULL;
  g_autofree char *html = NULL;
  g_autofree char *s_published = NULL;
  g_autofree char *s_collected = NULL;
  g_autofree char *s_analyzed = NULL;
  g_autofree char *s_updated = NULL;
  DeskEntry *entry;
  DeskSource source = { 0 };
  DeskOriginal original = { 0 };
  Dice dice = { mix (index * 2654435761u + 17) };
  const Source *src;
  const Topic *topic;
  const Topic *other;
  guint org;
  guint finding;
  guint status_roll;
  DeskEntryStatus status;
  gint64 revision;

  g_return_val_if_fail (index >= 1, NULL);

  src = &PICK (&dice, sources);
  topic = &PICK (&dice, topics);
  other = &PICK (&dice, topics);
  org = roll (&dice, G_N_ELEMENTS (orgs_ja));
  finding = roll (&dice, G_N_ELEMENTS (finding_ja));

  /* Newer entries have higher numbers, one every 7 minutes, so that entry
   * k is the same whatever N is. */
  base = g_date_time_new (jst, 2026, 3, 1, 0, 0, 0);
  published_at = g_date_time_add_minutes (base, 7 * (gint) MIN (index, 10000000));
  collected_at = g_date_time_add_minutes (published_at, 20 + roll (&dice, 70));
  analyzed_at = g_date_time_add_minutes (collected_at, 10 + roll (&dice, 50));

  status_roll = roll (&dice, 20);
  if (status_roll < 10)
    status = DESK_ENTRY_STATUS_INCOMING, revision = 1;
  else if (status_roll < 14)
    status = DESK_ENTRY_STATUS_IN_REVIEW, revision = 2;
  else if (status_roll < 16)
    status = DESK_ENTRY_STATUS_APPROVED, revision = 3;
  else if (status_roll < 19)
    status = DESK_ENTRY_STATUS_PUBLISHED, revision = 4;
  else
    status = DESK_ENTRY_STATUS_REJECTED, revision = 2;

  updated_at = status == DESK_ENTRY_STATUS_INCOMING
               ? g_date_time_ref (analyzed_at)
               : g_date_time_add_minutes (analyzed_at, 30 + roll (&dice, 600));

  title_en_text = filled (PICK (&dice, title_en), topic->en, NULL, NULL);
  title_en_text[0] = g_ascii_toupper (title_en_text[0]);
  url = g_strdup_printf ("%s/%u", src->host, index);
  html = original_html (&dice, topic, orgs_en[org], finding_en[finding], title_en_text, url);

  s_published = rfc3339 (published_at);
  s_collected = rfc3339 (collected_at);
  s_analyzed = rfc3339 (analyzed_at);
  s_updated = rfc3339 (updated_at);

  entry = desk_entry_new (id);
  desk_entry_set_kind (entry, src->kind);
  source.name = (char *) src->name;
  source.url = url;
  source.published_at = s_published;
  source.language = (char *) "en";
  desk_entry_set_source (entry, &source);
  desk_entry_set_collected_at (entry, s_collected);
  desk_entry_set_analyzed_at (entry, s_analyzed);
  desk_entry_set_updated_at (entry, s_updated);
  desk_entry_set_reading_minutes (entry, src->kind == DESK_ENTRY_KIND_PAPER ? 20 + roll (&dice, 40)
                                                                           : 3 + roll (&dice, 15));
  original.title = title_en_text;
  original.html = html;
  desk_entry_set_original (entry, &original);

  machine = machine_fields (&dice, topic, other, orgs_ja[org], finding_ja[finding]);
  desk_entry_set_machine (entry, machine);

  fields = desk_editable_copy (machine);
  fields->present |= DESK_FIELD_EDITORIAL_COMMENT;
  fields->editorial_comment = g_strdup ("");
  if (status != DESK_ENTRY_STATUS_INCOMING)
    {
      /* Editors touched these: a small, visible post-edit. */
      g_free (fields->title);
      fields->title = g_strdup_printf ("【%s】%s", topic->tag, machine->title);
      g_free (fields->editorial_comment);
      fields->editorial_comment = g_strdup (PICK (&dice, comments_ja));
    }
  desk_entry_apply_fields (entry, fields);

  desk_entry_set_status (entry, status);
  desk_entry_set_revision (entry, revision);

  if (status == DESK_ENTRY_STATUS_PUBLISHED)
    {
      g_autofree char *live = g_strdup_printf ("%s/%s", public_base, id);
      g_autoptr(DeskPublished) published = desk_published_new (live, s_updated);

      desk_entry_set_published (entry, published);
    }

  return entry;
}
