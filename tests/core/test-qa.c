/* test-qa.c: the QA checks, case by case, and the incremental engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every check has true cases (the defect is found, at the right text) and
 * false cases, near misses included: names and product names in Latin
 * script, version numbers, dialect inside a quotation, legitimate mentions
 * of translation, code spans, URLs.
 */
#include "config.h"

#include <string.h>

#include "desk-core.h"

typedef struct {
  const char *check;
  const char *field;      /* "title", "tldr", "body", "kp_body", "impact", "tags" */
  const char *text;       /* tags: comma-separated */
  const char *original;   /* HTML, or NULL */
  const char *style;      /* house style, or NULL for desu-masu */
  gboolean    found;
  const char *at;         /* the finding's text must contain this (found cases) */
  const char *suggestion; /* expected suggestion, or NULL not to check */
} Case;

static const Case cases[] = {
  /* prompt-leak */
  { "prompt-leak", "body", "以下が翻訳結果です。新しいモデルが公開されました。", NULL, NULL, TRUE, "以下が翻訳結果です。", "" },
  { "prompt-leak", "tldr", "新モデルを公開しました。JSON形式で返してください。", NULL, NULL, TRUE, "JSON形式で返してください。", NULL },
  { "prompt-leak", "body", "Here is the translation:\n\n新しいモデルが公開されました。", NULL, NULL, TRUE, "Here is the translation", NULL },
  { "prompt-leak", "body", "{\"translation\": \"新しいモデルが公開されました。\"}", NULL, NULL, TRUE, "translation", NULL },
  { "prompt-leak", "body", "以下の文章を日本語に翻訳してください。", NULL, NULL, TRUE, "翻訳してください", NULL },
  { "prompt-leak", "body", "同社のモデルは英語の文章を日本語に翻訳できます。", NULL, NULL, FALSE, NULL, NULL },
  { "prompt-leak", "body", "翻訳の品質は前の版より向上しました。", NULL, NULL, FALSE, NULL, NULL },
  { "prompt-leak", "body", "新しいモデルはJSON形式で出力できます。", NULL, NULL, FALSE, NULL, NULL },
  { "prompt-leak", "body", "翻訳結果は人手の評価を上回りました。", NULL, NULL, FALSE, NULL, NULL },

  /* placeholder */
  { "placeholder", "body", "実行方法は次のとおりです。\n\n⟦CODE_0⟧\n\n以上です。", NULL, NULL, TRUE, "⟦CODE_0⟧", NULL },
  { "placeholder", "body", "詳しくは{{LINK_1}}をご覧ください。", NULL, NULL, TRUE, "{{LINK_1}}", NULL },
  { "placeholder", "body", "詳しくは[[REF_2]]を参照してください。", NULL, NULL, TRUE, "[[REF_2]]", NULL },
  { "placeholder", "body", "設定は__PH1__で変えられます。", NULL, NULL, TRUE, "__PH1__", NULL },
  { "placeholder", "body", "テンプレートは`{{name}}`の形式で書きます。", NULL, NULL, FALSE, NULL, NULL },
  { "placeholder", "body", "配列[[1, 2]]を返します。", NULL, NULL, FALSE, NULL, NULL },
  { "placeholder", "body", "次のコマンドで実行します。",
    "<p>Run it with:</p><pre><code>tool run --all</code></pre>", NULL, TRUE, "", NULL },
  { "placeholder", "body", "次のコマンドで実行します。\n\n```\ntool run --all\n```",
    "<p>Run it with:</p><pre><code>tool run --all</code></pre>", NULL, FALSE, NULL, NULL },

  /* untranslated */
  { "untranslated", "body", "この手法の結果は hard to interpret とされています。", NULL, NULL, TRUE, "hard to interpret", NULL },
  { "untranslated", "body", "同社はそう説明しました。Enterprise customers can set it to zero.", NULL, NULL, TRUE, "Enterprise customers can set it to zero.", NULL },
  { "untranslated", "body", "usage restrictions や training code の欠如が問題です。", NULL, NULL, TRUE, "usage restrictions や training code", NULL },
  { "untranslated", "body", "GoogleのGemma 4は、arXivで公開されたDiLoCoの手法を使います。", NULL, NULL, FALSE, NULL, NULL },
  { "untranslated", "body", "Hugging Faceで公開されたOrca-7 Agentは、`pip install relay-bench`で導入できます。", NULL, NULL, FALSE, NULL, NULL },
  { "untranslated", "body", "論文「Attention with Linear Biases」を引用しています。", NULL, NULL, FALSE, NULL, NULL },
  { "untranslated", "body", "資料はhttps://example.org/docs/guideにあります。", NULL, NULL, FALSE, NULL, NULL },
  { "untranslated", "body", "推論速度は毎秒120 tokensに達しました。", NULL, NULL, FALSE, NULL, NULL },
  { "untranslated", "title", "Kestrel 2、オープンウェイトで公開", NULL, NULL, FALSE, NULL, NULL },

  /* number-mismatch */
  { "number-mismatch", "body", "モデルは2.3倍高速に動作します。", "<p>The model runs 3.2x faster.</p>", NULL, TRUE, "2.3倍", "3.2倍" },
  { "number-mismatch", "body", "同社は12億ドルを調達しました。", "<p>The company raised $12 billion.</p>", NULL, TRUE, "12億ドル", "120億ドル" },
  { "number-mismatch", "body", "学習には12日間かかりました。", "<p>Training took 21 days.</p>", NULL, TRUE, "12日間", "21日間" },
  { "number-mismatch", "body", "同社は120億ドルを調達しました。", "<p>The company raised $12 billion.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "精度は13%向上しました。", "<p>Accuracy rose by 13 %.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "Wan 2.1は4秒で動画を生成します。", "<p>Wan 2.1 generates a video in 4 seconds.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "層の数は３４０です。", "<p>It has 340 layers.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "利用者は150万人に達しました。", "<p>It reached 1.5 million users.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "340億パラメーターのモデルです。", "<p>It is a 34-billion-parameter model.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "12月に2つのモデルを公開します。", "<p>Two models ship in December.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "Brightwing 9Bのダウンロード数は40倍でした。", "<p>Brightwing 9B saw 40 times the downloads.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "費用は1兆2000億円です。", "<p>It costs 1.2 trillion yen.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "3万2000トークンから12万8000トークンに拡大しました。", "<p>A 128K-token context window, up from 32K.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "70億パラメーターのモデルで、128Kトークンを扱えます。", "<p>A 7B model that handles 128K tokens.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "同社は500万ドルを調達しました。", "<p>The company raised $5M.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "同社は300万ドルを調達しました。", "<p>The company raised $5M.</p>", NULL, TRUE, "300万ドル", NULL },
  { "number-mismatch", "body", "2026年11月23日に公開されました。", "<p>It was released on November 23, 2026.</p>", NULL, FALSE, NULL, NULL },
  /* Counted quantities written as words in the original: "a single GPU"
   * is 1, so GPU 2基 is wrong though no digit of the original is missing. */
  { "number-mismatch", "body", "8Bモデルは、24GBのメモリーを搭載したGPU 2基で動作します。",
    "<p>The 8B model runs on a single GPU with 24 GB of memory.</p>", NULL, TRUE, "2", "1" },
  { "number-mismatch", "body", "8Bモデルは、24GBのメモリーを搭載したGPU 1基で動作します。",
    "<p>The 8B model runs on a single GPU with 24 GB of memory.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "3人の研究者が12日間で書きました。",
    "<p>Two researchers wrote it in 12 days.</p>", NULL, TRUE, "3人", "2人" },
  { "number-mismatch", "body", "2社のうち1社が12月に公開します。",
    "<p>One of the two labs ships in December.</p>", NULL, FALSE, NULL, NULL },
  /* No word that counts: 2種類 sums up "8B and 70B", 第2 is an ordinal. */
  { "number-mismatch", "body", "サイズは8Bと70Bの2種類です。",
    "<p>Models in 8B and 70B sizes.</p>", NULL, FALSE, NULL, NULL },
  { "number-mismatch", "body", "第2四半期に2つのモデルを出します。",
    "<p>In the second quarter it ships two models.</p>", NULL, FALSE, NULL, NULL },
  /* A count word, but the translation's other number is not counted. */
  { "number-mismatch", "body", "1台のサーバーで、3年前のモデルより速く動きます。",
    "<p>On a single server it runs faster than models from years ago.</p>", NULL, FALSE, NULL, NULL },

  /* omission */
  { "omission", "body",
    "研究チームは新しい言語モデルを公開しました。このモデルは長い文書を効率よく処理できるように設計されています。\n\n"
    "チームは来年、さらに大きなモデルを公開する予定です。公開の時期はまだ決まっていません。",
    "<p>The research team has released a new language model. The model is designed to process long documents efficiently.</p>"
    "<p>Critics note that the benchmark used to evaluate the model was built by the same team, and independent tests have not yet been published.</p>"
    "<p>The team plans to release an even larger model next year. The timing has not been decided.</p>",
    NULL, TRUE, "", NULL },
  { "omission", "body",
    "研究チームは新しい言語モデルを公開しました。このモデルは長い文書を効率よく処理できるように設計されています。\n\n"
    "チームは来年、さらに大きなモデルを公開する予定です。公開の時期はまだ決まっていません。",
    "<p>The research team has released a new language model. The model is designed to process long documents efficiently.</p>"
    "<p>The team plans to release an even larger model next year. The timing has not been decided.</p>",
    NULL, FALSE, NULL, NULL },
  /* A byline and a photo credit left out are not omissions. */
  { "omission", "body",
    "研究チームは新しい言語モデルを公開しました。このモデルは長い文書を効率よく処理できるように設計されています。\n\n"
    "チームは来年、さらに大きなモデルを公開する予定です。公開の時期はまだ決まっていません。",
    "<p>By Jane Example and Joe Sample, Staff Writers</p>"
    "<p>The research team has released a new language model. The model is designed to process long documents efficiently.</p>"
    "<p>Photo courtesy of the Example Research Lab archive</p>"
    "<p>The team plans to release an even larger model next year. The timing has not been decided.</p>",
    NULL, FALSE, NULL, NULL },

  /* truncated */
  { "truncated", "tldr", "新しいモデルは従来の性能を基準の", NULL, NULL, TRUE, "基準の", NULL },
  { "truncated", "kp_body", "推論時のGPUメモリの使用量が約18%", NULL, NULL, TRUE, "約18%", NULL },
  { "truncated", "tldr", "新しいモデルを公開しました。", NULL, NULL, FALSE, NULL, NULL },
  { "truncated", "title", "新モデル公開、性能は2倍に", NULL, NULL, FALSE, NULL, NULL },
  { "truncated", "body", "次のコマンドで実行します：", NULL, NULL, FALSE, NULL, NULL },
  { "truncated", "body", "写真：Example News提供", NULL, NULL, FALSE, NULL, NULL },
  { "truncated", "body", "| 指標 | 値 |\n| --- | --- |\n| 精度 | 90% |", NULL, NULL, FALSE, NULL, NULL },
  { "truncated", "body", "研究チームは新しいモデルを公開しました。このモデルは従来の性能を基準の", NULL, NULL, TRUE, "基準の", NULL },

  /* notation-variant */
  { "notation-variant", "body", "コンピュータの性能が上がりました。コンピューターは安くなり、コンピューターの普及が進みます。", NULL, NULL, TRUE, "コンピュータ", "コンピューター" },
  { "notation-variant", "body", "ラジカルな戦略です。ラディカルな変化です。ラディカルな発想です。", NULL, NULL, TRUE, "ラジカル", "ラディカル" },
  { "notation-variant", "body", "ＧＰＵの台数を増やしました。", NULL, NULL, TRUE, "ＧＰＵ", "GPU" },
  { "notation-variant", "body", "子供向けの教材です。子どもが使います。子どもの学習に役立ちます。", NULL, NULL, TRUE, "子供", "子ども" },
  { "notation-variant", "body", "サーバーとサービスを比べました。", NULL, NULL, FALSE, NULL, NULL },
  { "notation-variant", "body", "ビルの屋上でビールを飲みました。", NULL, NULL, FALSE, NULL, NULL },

  /* glossary (the test glossary: frontier model → フロンティアモデル, forbidden 辺境モデル) */
  { "glossary", "body", "辺境モデルの規制が始まります。", NULL, NULL, TRUE, "辺境モデル", "フロンティアモデル" },
  { "glossary", "body", "新しいサーバーを導入しました。", NULL, NULL, FALSE, NULL, NULL },
  { "glossary", "body", "新しいサーバを導入しました。", NULL, NULL, TRUE, "サーバ", "サーバー" },
  { "glossary", "body", "規則はすべての最先端の大規模モデルに適用されます。",
    "<p>The rules cover every frontier model.</p>", NULL, TRUE, "", NULL },
  { "glossary", "body", "規則はすべてのフロンティアモデルに適用されます。",
    "<p>The rules cover every frontier model.</p>", NULL, FALSE, NULL, NULL },

  /* boilerplate */
  { "boilerplate", "body", "本文です。\n\nこの記事をシェア", NULL, NULL, TRUE, "この記事をシェア", "" },
  { "boilerplate", "body", "今すぐ購読して、毎週の記事をチェックしましょう。", NULL, NULL, TRUE, "今すぐ購読して", "" },
  { "boilerplate", "body", "本文です。\n\nimageimage", NULL, NULL, TRUE, "imageimage", NULL },
  { "boilerplate", "body", "同社は広告事業の売上を伸ばしました。", NULL, NULL, FALSE, NULL, NULL },
  { "boilerplate", "body", "ニュースレターの購読者数は2倍になりました。", NULL, NULL, FALSE, NULL, NULL },
  { "boilerplate", "body", "## 市場シェアの変化\n\n本文です。", NULL, NULL, FALSE, NULL, NULL },
  { "boilerplate", "body", "## 寄付による資金調達\n\n本文です。", NULL, NULL, FALSE, NULL, NULL },

  /* register */
  { "register", "body", "これは改良してきたプロンプトである。", NULL, NULL, TRUE, "プロンプトである", "これは改良してきたプロンプトです" },
  { "register", "impact", "導入が広がる可能性がある。", NULL, NULL, TRUE, "可能性がある", "導入が広がる可能性があります" },
  { "register", "body", "それは地味なもんやねん。", NULL, NULL, TRUE, "もんやねん", NULL },
  { "register", "body", "「ほんまにええもんやねん」と彼は言いました。", NULL, NULL, FALSE, NULL, NULL },
  { "register", "body", "「ほんまにええもんやねん」と彼は言った。", NULL, "any", FALSE, NULL, NULL },
  { "register", "body", "これは重要である。", NULL, "any", FALSE, NULL, NULL },
  { "register", "body", "これは重要です。", NULL, "de-aru", TRUE, "重要です", NULL },
  { "register", "body", "新しいモデルが公開されました。性能は十分でしょうか？", NULL, NULL, FALSE, NULL, NULL },
  { "register", "body", "[00:00] 司会：お帰りなさい。ファイルは保存されたか。チケットは閉じられたか。", NULL, NULL, FALSE, NULL, NULL },
  { "register", "body", "それは本当に正しいのだろうか。", NULL, NULL, TRUE, "正しいのだろうか", NULL },

  /* punctuation */
  { "punctuation", "body", "新しいチップ, 蒸留の手法, 推論ソフトウェアが鍵です。", NULL, NULL, TRUE, ", 蒸留の手法,", "、蒸留の手法、" },
  { "punctuation", "body", "問題はありませんか?", NULL, NULL, TRUE, "?", "？" },
  { "punctuation", "body", "4分野(サイバー攻撃、説得)を評価しました。", NULL, NULL, TRUE, "(サイバー攻撃、説得)", "（サイバー攻撃、説得）" },
  { "punctuation", "body", "完了しました。。", NULL, NULL, TRUE, "。。", "。" },
  { "punctuation", "body", "ｶﾀｶﾅの表記です。", NULL, NULL, TRUE, "ｶﾀｶﾅ", "カタカナ" },
  { "punctuation", "body", "彼は「引用です。と言いました。", NULL, NULL, TRUE, "「", NULL },
  { "punctuation", "body", "価格は1,200ドルです。", NULL, NULL, FALSE, NULL, NULL },
  { "punctuation", "body", "Node.jsで動きます。", NULL, NULL, FALSE, NULL, NULL },
  { "punctuation", "body", "詳しくは[公式サイト](https://example.org/a)をご覧ください。", NULL, NULL, FALSE, NULL, NULL },
  { "punctuation", "body", "GPT-4o (OpenAI) が比較対象です。", NULL, NULL, FALSE, NULL, NULL },

  /* repeated-text */
  { "repeated-text", "body", "30億パラメーターの蒸留モデルなら十分です。結果は良好でした。30億パラメーターの蒸留モデルなら十分です。", NULL, NULL, TRUE, "30億パラメーターの蒸留モデルなら十分です。", "" },
  { "repeated-text", "body", "はい。はい。そうです。", NULL, NULL, FALSE, NULL, NULL },

  /* structure */
  { "structure", "tags", "#AI,LLM", NULL, NULL, TRUE, "#AI", "AI" },
  { "structure", "tags", "LLM,llm", NULL, NULL, TRUE, "llm", "" },
  { "structure", "tags", "LLM,AI", NULL, NULL, FALSE, NULL, NULL },
};

static DeskGlossary *
test_glossary (void)
{
  DeskGlossary *g = desk_glossary_new ();
  DeskGlossaryTerm *t = desk_glossary_term_new ("frontier model", "フロンティアモデル");

  g_strfreev (t->forbidden);
  t->forbidden = g_strsplit ("辺境モデル", ",", -1);
  g_ptr_array_add (g->terms, t);
  t = desk_glossary_term_new ("server", "サーバー");
  g_strfreev (t->forbidden);
  t->forbidden = g_strsplit ("サーバ", ",", -1);
  g_ptr_array_add (g->terms, t);
  g->revision = 1;
  return g;
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(DeskQa) qa = desk_qa_new ();
  g_autoptr(DeskEditable) fields = desk_editable_new ();
  g_autoptr(DeskGlossary) glossary = test_glossary ();
  g_autoptr(GPtrArray) findings = NULL;
  DeskOriginal original = { NULL, (char *) c->original, NULL };
  const DeskQaFinding *hit = NULL;
  guint n_hits = 0;

  desk_qa_set_glossary (qa, glossary);
  if (c->style != NULL)
    {
      DeskHouseStyle style;

      g_assert_true (desk_house_style_from_string (c->style, &style));
      desk_qa_set_house_style (qa, style);
    }
  if (strcmp (c->field, "title") == 0)
    fields->present = DESK_FIELD_TITLE, fields->title = g_strdup (c->text);
  else if (strcmp (c->field, "tldr") == 0)
    fields->present = DESK_FIELD_TLDR, fields->tldr = g_strdup (c->text);
  else if (strcmp (c->field, "body") == 0)
    fields->present = DESK_FIELD_BODY, fields->body = g_strdup (c->text);
  else if (strcmp (c->field, "impact") == 0)
    fields->present = DESK_FIELD_IMPACT_ANALYSIS, fields->impact_analysis = g_strdup (c->text);
  else if (strcmp (c->field, "tags") == 0)
    fields->present = DESK_FIELD_TAGS, fields->tags = g_strsplit (c->text, ",", -1);
  else if (strcmp (c->field, "kp_body") == 0)
    {
      DeskSiteConfig *config = desk_site_config_new_default ();

      config->key_points_min = 1;
      desk_qa_set_config (qa, config);
      desk_site_config_free (config);
      fields->present = DESK_FIELD_KEY_POINTS;
      fields->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
      g_ptr_array_add (fields->key_points, desk_key_point_new ("メモリ使用量", c->text));
    }
  else
    g_assert_not_reached ();

  findings = desk_qa_check (qa, fields, c->original ? &original : NULL);
  for (guint i = 0; i < findings->len; i++)
    {
      const DeskQaFinding *f = g_ptr_array_index (findings, i);

      g_test_message ("finding: %s %s [%zu,%zu] “%s” → %s", f->check, f->field, f->start, f->end,
                      f->text, f->suggestion ? f->suggestion : "(none)");
      if (strcmp (f->check, c->check) != 0)
        continue;
      n_hits++;
      if (hit == NULL)
        hit = f;
    }

  if (!c->found)
    {
      if (hit != NULL)
        g_test_message ("unexpected: %s %s “%s”: %s", hit->check, hit->field, hit->text, hit->message);
      g_assert_null (hit);
      return;
    }
  if (hit == NULL)
    {
      for (guint i = 0; i < findings->len; i++)
        {
          const DeskQaFinding *f = g_ptr_array_index (findings, i);

          g_test_message ("found instead: %s “%s”", f->check, f->text);
        }
    }
  g_assert_nonnull (hit);
  g_assert_cmpuint (n_hits, ==, 1);
  g_assert_nonnull (strstr (hit->text, c->at));
  g_assert_cmpuint (hit->end - hit->start, ==, g_utf8_strlen (hit->text, -1));
  if (c->suggestion != NULL)
    g_assert_cmpstr (hit->suggestion, ==, c->suggestion);

  /* The span is where the text is. */
  {
    const char *text = desk_qa_field_text (fields, hit->field);

    if (text != NULL)
      {
        g_autofree char *span = g_utf8_substring (text, hit->start, hit->end);

        g_assert_cmpstr (span, ==, hit->text);
        g_assert_cmpuint (hit->byte_end - hit->byte_start, ==, strlen (hit->text));
        g_assert_cmpint (memcmp (text + hit->byte_start, hit->text, strlen (hit->text)), ==, 0);
      }
  }
}

static DeskEditable *
scored (gint64 overall,
        gint64 depth,
        gint64 relevance,
        gint64 practicality,
        gint64 innovation)
{
  DeskEditable *fields = desk_editable_new ();

  fields->present = DESK_FIELD_IMPORTANCE;
  fields->importance.overall = overall;
  fields->importance.depth = depth;
  fields->importance.relevance = relevance;
  fields->importance.practicality = practicality;
  fields->importance.innovation = innovation;
  return fields;
}

static guint
count_check (GPtrArray  *findings,
             const char *check)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    if (strcmp (((DeskQaFinding *) g_ptr_array_index (findings, i))->check, check) == 0)
      n++;
  return n;
}

static void
test_score (void)
{
  g_autoptr(DeskQa) qa = desk_qa_new ();
  g_autoptr(DeskEditable) far = scored (5, 2, 2, 2, 2);
  g_autoptr(DeskEditable) near = scored (4, 5, 5, 3, 4);
  g_autoptr(DeskEditable) outside = scored (3, 7, 3, 3, 3);
  g_autoptr(GPtrArray) a = desk_qa_check (qa, far, NULL);
  g_autoptr(GPtrArray) b = desk_qa_check (qa, near, NULL);
  g_autoptr(GPtrArray) c = desk_qa_check (qa, outside, NULL);
  const DeskQaFinding *f;

  g_assert_cmpuint (count_check (a, "score-consistency"), ==, 1);
  f = g_ptr_array_index (a, 0);
  g_assert_cmpstr (f->field, ==, "importance");
  g_assert_cmpstr (f->suggestion, ==, "2");
  g_assert_cmpint (f->severity, ==, DESK_QA_SEVERITY_WARNING);
  g_assert_cmpuint (count_check (b, "score-consistency"), ==, 0);
  g_assert_cmpuint (count_check (c, "score-consistency"), ==, 1);
  f = g_ptr_array_index (c, 0);
  g_assert_cmpstr (f->field, ==, "importance.depth");
  g_assert_cmpint (f->severity, ==, DESK_QA_SEVERITY_ERROR);
}

static void
test_structure_limits (void)
{
  g_autoptr(DeskQa) qa = desk_qa_new ();
  g_autoptr(DeskEditable) fields = desk_editable_new ();
  g_autoptr(GPtrArray) findings = NULL;
  GString *tldr = g_string_new (NULL);

  for (int i = 0; i < 30; i++)
    g_string_append (tldr, "新しいモデルを公開。");  /* 300 characters */
  fields->present = DESK_FIELD_TLDR | DESK_FIELD_KEY_POINTS;
  fields->tldr = g_string_free (tldr, FALSE);
  fields->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
  g_ptr_array_add (fields->key_points, desk_key_point_new ("見出し", "本文です。"));
  findings = desk_qa_check (qa, fields, NULL);
  g_assert_cmpuint (count_check (findings, "structure"), ==, 2);
  g_assert_cmpstr (((DeskQaFinding *) g_ptr_array_index (findings, 0))->field, ==, "tldr");
  g_assert_cmpuint (((DeskQaFinding *) g_ptr_array_index (findings, 0))->end, ==, 300);
  g_assert_cmpstr (((DeskQaFinding *) g_ptr_array_index (findings, 1))->field, ==, "key_points");
}

static guint
lines_with (GPtrArray  *lines,
            const char *part)
{
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    n += strstr (g_ptr_array_index (lines, i), part) != NULL;
  return n;
}

/* The publish dialog's list: a field the site's rules refuse is named once,
 * not again by the QA's structure check; the QA's other errors follow. */
static void
test_publish_problems (void)
{
  g_autoptr(DeskQa) qa = desk_qa_new ();
  g_autoptr(DeskEditable) fields = desk_editable_new ();
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  GString *tldr = g_string_new (NULL);

  for (int i = 0; i < 30; i++)
    g_string_append (tldr, "新しいモデルを公開。");  /* 300 characters: QA only */
  fields->present = DESK_FIELD_TITLE | DESK_FIELD_TLDR | DESK_FIELD_TAGS | DESK_FIELD_KEY_POINTS;
  fields->title = g_strdup ("新モデルを公開");
  fields->tldr = g_string_free (tldr, FALSE);
  fields->tags = g_strsplit ("#AI,推論", ",", -1);   /* '#': the rules and the QA */
  fields->key_points = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_key_point_free);
  g_ptr_array_add (fields->key_points, desk_key_point_new ("", "本文です。"));   /* empty heading: both */
  g_ptr_array_add (fields->key_points, desk_key_point_new ("見出し", "本文です。"));
  g_ptr_array_add (fields->key_points, desk_key_point_new ("見出し2", "本文です。"));
  findings = desk_qa_check (qa, fields, NULL);
  /* Both find the tag and the key point. */
  g_assert_cmpuint (count_check (findings, "structure"), >=, 3);

  problems = desk_qa_publish_problems (fields, findings);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (lines_with (problems, "Tag 1"), ==, 1);
  g_assert_cmpuint (lines_with (problems, "#"), ==, 1);
  g_assert_cmpuint (lines_with (problems, "Key point 1"), ==, 1);
  g_assert_cmpuint (lines_with (problems, "no text"), ==, 0);
  g_assert_cmpuint (lines_with (problems, "The TL;DR has 300 characters"), ==, 1);
  g_assert_cmpuint (problems->len, ==, 3);

  /* Without the QA's findings, the rules alone. */
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = desk_qa_publish_problems (fields, NULL);
  g_assert_cmpuint (problems->len, ==, 2);
}

/* A 200-paragraph body, one paragraph edited: only it is checked again,
 * and the result equals a fresh engine's. */
static void
test_incremental (void)
{
  g_autoptr(DeskQa) qa = desk_qa_new ();
  g_autoptr(DeskEditable) fields = desk_editable_new ();
  GString *body = g_string_new (NULL);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  guint checked, cached;

  for (int i = 0; i < 200; i++)
    g_string_append_printf (body, "第%d段落です。コンピューターの第%d版を紹介します。\n\n", i, i);
  fields->present = DESK_FIELD_TITLE | DESK_FIELD_BODY;
  fields->title = g_strdup ("見出し");
  fields->body = g_string_free (body, FALSE);

  first = desk_qa_check (qa, fields, NULL);
  desk_qa_get_last_stats (qa, &checked, &cached);
  g_assert_cmpuint (checked, ==, 201);
  g_assert_cmpuint (first->len, ==, 0);

  /* Edit paragraph 100: a variant and a doubled full stop. */
  {
    g_autoptr(GString) edited = g_string_new (fields->body);

    g_string_replace (edited, "第100段落です。コンピューター", "第100段落です。。コンピュータ", 1);
    g_free (fields->body);
    fields->body = g_string_free (g_steal_pointer (&edited), FALSE);
  }
  second = desk_qa_check (qa, fields, NULL);
  desk_qa_get_last_stats (qa, &checked, &cached);
  g_assert_cmpuint (checked, ==, 1);
  g_assert_cmpuint (cached, ==, 200);
  g_assert_cmpuint (count_check (second, "punctuation"), ==, 1);
  g_assert_cmpuint (count_check (second, "notation-variant"), ==, 1);

  {
    g_autoptr(DeskQa) other = desk_qa_new ();

    fresh = desk_qa_check (other, fields, NULL);
  }
  g_assert_cmpuint (fresh->len, ==, second->len);
  for (guint i = 0; i < fresh->len; i++)
    {
      const DeskQaFinding *a = g_ptr_array_index (fresh, i), *b = g_ptr_array_index (second, i);

      g_assert_cmpstr (a->check, ==, b->check);
      g_assert_cmpuint (a->start, ==, b->start);
      g_assert_cmpuint (a->end, ==, b->end);
      g_assert_cmpuint (a->line, ==, b->line);
      g_assert_cmpuint (a->column, ==, b->column);
      g_assert_cmpstr (a->message, ==, b->message);
    }
  /* Line and column of the edit: paragraph 100 is on line 201. */
  for (guint i = 0; i < second->len; i++)
    {
      const DeskQaFinding *f = g_ptr_array_index (second, i);

      g_assert_cmpuint (f->line, ==, 201);
      if (strcmp (f->check, "punctuation") == 0)
        g_assert_cmpuint (f->column, ==, 9);  /* 第100段落です then 。。 */
    }
}

static void
test_ignore_and_settings (void)
{
  g_autoptr(DeskQa) qa = desk_qa_new ();
  g_autoptr(DeskEditable) fields = desk_editable_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  GPtrArray *findings;
  const char * const only[] = { "punctuation", NULL };

  fields->present = DESK_FIELD_BODY;
  fields->body = g_strdup ("⟦CODE_0⟧\n\n問題はありませんか?");

  findings = desk_qa_check (qa, fields, NULL);
  g_assert_cmpuint (findings->len, ==, 2);
  g_ptr_array_unref (findings);

  /* Ignored: that check, that text. */
  g_ptr_array_add (ids, (gpointer) "placeholder");
  g_ptr_array_add (texts, (gpointer) "⟦CODE_0⟧");
  desk_qa_set_ignored (qa, ids, texts);
  findings = desk_qa_check (qa, fields, NULL);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_cmpstr (((DeskQaFinding *) g_ptr_array_index (findings, 0))->check, ==, "punctuation");
  g_ptr_array_unref (findings);
  desk_qa_set_ignored (qa, NULL, NULL);

  /* A severity set in the preferences. */
  desk_qa_set_check_severity (qa, "punctuation", DESK_QA_SEVERITY_ERROR);
  findings = desk_qa_check (qa, fields, NULL);
  g_assert_cmpuint (desk_qa_count (findings, DESK_QA_SEVERITY_ERROR), ==, 2);
  g_ptr_array_unref (findings);
  desk_qa_reset_check_severity (qa, "punctuation");

  /* Only some checks. */
  desk_qa_set_enabled_checks (qa, only);
  findings = desk_qa_check (qa, fields, NULL);
  g_assert_cmpuint (findings->len, ==, 1);
  g_ptr_array_unref (findings);

  g_assert_cmpuint (g_strv_length ((char **) desk_qa_check_ids ()), ==, 14);
  g_assert_true (desk_qa_check_id_is_valid ("register"));
  g_assert_false (desk_qa_check_id_is_valid ("spelling"));
}

/* Whatever the text, the engine returns spans inside the field. */
static void
test_hostile_text (void)
{
  static const char * const texts[] = {
    "", "。", "「", "⟦", "{{", "__", "((((((", "ｶ", "1,", "$", "1兆", "兆1", "約", "`", "](",
    "https://", "a", "\n\n\n", "```\n", "# ", "> ", "- ", "0.0.0.0.0", "１，２３４",
  };
  g_autoptr(DeskQa) qa = desk_qa_new ();

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(DeskEditable) fields = desk_editable_new ();
      g_autoptr(GPtrArray) findings = NULL;
      DeskOriginal original = { NULL, (char *) "<p>1 2 3 $4 billion 5x</p><pre><code>x</code></pre>", NULL };

      fields->present = DESK_FIELD_BODY | DESK_FIELD_TLDR | DESK_FIELD_TITLE;
      fields->body = g_strdup (texts[i]);
      fields->tldr = g_strdup (texts[i]);
      fields->title = g_strdup (texts[i]);
      findings = desk_qa_check (qa, fields, &original);
      for (guint k = 0; k < findings->len; k++)
        {
          const DeskQaFinding *f = g_ptr_array_index (findings, k);
          const char *text = desk_qa_field_text (fields, f->field);

          if (text == NULL)
            continue;
          g_assert_cmpuint (f->start, <=, f->end);
          g_assert_cmpuint (f->end, <=, g_utf8_strlen (text, -1));
          g_assert_cmpuint (f->byte_end, <=, strlen (text));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/qa/%s/%s/%02u", cases[i].check,
                                               cases[i].found ? "finds" : "passes", i);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/qa/score-consistency/table", test_score);
  g_test_add_func ("/qa/structure/limits", test_structure_limits);
  g_test_add_func ("/qa/structure/publish-problems", test_publish_problems);
  g_test_add_func ("/qa/engine/incremental", test_incremental);
  g_test_add_func ("/qa/engine/ignore-and-settings", test_ignore_and_settings);
  g_test_add_func ("/qa/engine/hostile-text", test_hostile_text);
  return g_test_run ();
}
