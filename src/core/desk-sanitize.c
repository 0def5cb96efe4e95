/* desk-sanitize.c: allowlist sanitizing and block segmenting of untrusted original HTML
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>

#include "desk-sanitize.h"

G_DEFINE_QUARK (desk-sanitize-error-quark, desk_sanitize_error)

/* No url(), no @import, no font files: the CSP would block them anyway, and
 * the tests assert that the output names no resource at all. */
static const char stylesheet[] =
  ":root{color-scheme:light dark}"
  "body{margin:0 auto;max-width:42em;padding:1.5em 1.25em 3em;"
  "font-family:\"Noto Serif\",\"DejaVu Serif\",Georgia,serif;font-size:17px;"
  "line-height:1.6;overflow-wrap:break-word}"
  "h1,h2,h3,h4,h5,h6{font-family:Cantarell,\"Noto Sans\",\"DejaVu Sans\",sans-serif;"
  "line-height:1.25;margin:1.4em 0 .5em}"
  "pre,code{font-family:\"Source Code Pro\",\"DejaVu Sans Mono\",monospace;font-size:.9em}"
  "pre{white-space:pre-wrap;padding:.75em 1em;background:rgba(127,127,127,.12);border-radius:6px}"
  "blockquote{margin:1em 0;padding:0 1em;border-left:3px solid rgba(127,127,127,.4)}"
  "table{border-collapse:collapse}td,th{border:1px solid rgba(127,127,127,.35);padding:.3em .6em}"
  "a{color:#1c71d8}"
  ".img-alt{color:#77767b;font-style:italic;font-family:sans-serif;font-size:.9em}"
  ".desk-chrome{opacity:.55;font-family:sans-serif;font-size:.85em}"
  ".desk-chrome .desk-chrome{opacity:1;font-size:1em}"
  "[data-block].desk-highlight{background:rgba(53,132,228,.16);border-radius:3px;"
  "box-shadow:0 0 0 .35em rgba(53,132,228,.16)}";

typedef enum {
  EL_TRANSPARENT,   /* unknown: tag dropped, content kept */
  EL_DROP,          /* dropped with everything inside */
  EL_BLOCK,         /* a segment block, tag kept */
  EL_CONTAINER,     /* structural, tag kept, ends a text run */
  EL_CHROME,        /* structural page chrome, written as a div */
  EL_UNWRAP_BLOCK,  /* structural but not allowed: written as a div */
  EL_INLINE,        /* phrase element, tag kept */
  EL_TABLE_PART,    /* thead, tr, td…: kept */
  EL_BR,
  EL_HR,
  EL_IMG,
} ElementClass;

typedef struct {
  const char    *name;
  ElementClass   klass;
  DeskBlockKind  kind;
  guint          level;
} ElementInfo;

static const ElementInfo elements[] = {
  { "p", EL_BLOCK, DESK_BLOCK_PARAGRAPH, 0 },
  { "h1", EL_BLOCK, DESK_BLOCK_HEADING, 1 },
  { "h2", EL_BLOCK, DESK_BLOCK_HEADING, 2 },
  { "h3", EL_BLOCK, DESK_BLOCK_HEADING, 3 },
  { "h4", EL_BLOCK, DESK_BLOCK_HEADING, 4 },
  { "h5", EL_BLOCK, DESK_BLOCK_HEADING, 5 },
  { "h6", EL_BLOCK, DESK_BLOCK_HEADING, 6 },
  { "ul", EL_BLOCK, DESK_BLOCK_LIST, 0 },
  { "ol", EL_BLOCK, DESK_BLOCK_LIST, 0 },
  { "dl", EL_BLOCK, DESK_BLOCK_LIST, 0 },
  { "li", EL_BLOCK, DESK_BLOCK_LIST, 0 },
  { "blockquote", EL_BLOCK, DESK_BLOCK_QUOTE, 0 },
  { "pre", EL_BLOCK, DESK_BLOCK_CODE, 0 },
  { "table", EL_BLOCK, DESK_BLOCK_TABLE, 0 },

  { "div", EL_CONTAINER, 0, 0 },
  { "section", EL_CONTAINER, 0, 0 },
  { "article", EL_CONTAINER, 0, 0 },
  { "figure", EL_CONTAINER, 0, 0 },
  { "figcaption", EL_CONTAINER, 0, 0 },
  { "dt", EL_CONTAINER, 0, 0 },
  { "dd", EL_CONTAINER, 0, 0 },

  { "nav", EL_CHROME, 0, 0 },
  { "aside", EL_CHROME, 0, 0 },
  { "footer", EL_CHROME, 0, 0 },
  { "header", EL_CHROME, 0, 0 },

  { "main", EL_UNWRAP_BLOCK, 0, 0 },
  { "center", EL_UNWRAP_BLOCK, 0, 0 },
  { "address", EL_UNWRAP_BLOCK, 0, 0 },
  { "hgroup", EL_UNWRAP_BLOCK, 0, 0 },
  { "details", EL_UNWRAP_BLOCK, 0, 0 },
  { "summary", EL_UNWRAP_BLOCK, 0, 0 },
  { "caption", EL_UNWRAP_BLOCK, 0, 0 },
  /* libxml2 2.9 keeps HTML5 elements it does not know (article, …) in an
   * implied <head> when the page starts with <link> or <script>, so the
   * head is walked like the body; its metadata elements are dropped one by
   * one. */
  { "head", EL_UNWRAP_BLOCK, 0, 0 },
  { "body", EL_UNWRAP_BLOCK, 0, 0 },
  { "html", EL_UNWRAP_BLOCK, 0, 0 },

  { "em", EL_INLINE, 0, 0 },
  { "strong", EL_INLINE, 0, 0 },
  { "b", EL_INLINE, 0, 0 },
  { "i", EL_INLINE, 0, 0 },
  { "u", EL_INLINE, 0, 0 },
  { "s", EL_INLINE, 0, 0 },
  { "sub", EL_INLINE, 0, 0 },
  { "sup", EL_INLINE, 0, 0 },
  { "a", EL_INLINE, 0, 0 },
  { "span", EL_INLINE, 0, 0 },
  { "q", EL_INLINE, 0, 0 },
  { "cite", EL_INLINE, 0, 0 },
  { "abbr", EL_INLINE, 0, 0 },
  { "time", EL_INLINE, 0, 0 },
  { "mark", EL_INLINE, 0, 0 },
  { "small", EL_INLINE, 0, 0 },
  { "code", EL_INLINE, 0, 0 },

  { "thead", EL_TABLE_PART, 0, 0 },
  { "tbody", EL_TABLE_PART, 0, 0 },
  { "tr", EL_TABLE_PART, 0, 0 },
  { "th", EL_TABLE_PART, 0, 0 },
  { "td", EL_TABLE_PART, 0, 0 },

  { "br", EL_BR, 0, 0 },
  { "hr", EL_HR, 0, 0 },
  { "img", EL_IMG, 0, 0 },

  /* Active content, resources, forms and foreign markup: nothing inside is
   * text a reader of the original needs, and all of it can load or run. */
  { "title", EL_DROP, 0, 0 },
  { "script", EL_DROP, 0, 0 },
  { "style", EL_DROP, 0, 0 },
  { "iframe", EL_DROP, 0, 0 },
  { "frame", EL_DROP, 0, 0 },
  { "frameset", EL_DROP, 0, 0 },
  { "noframes", EL_DROP, 0, 0 },
  { "object", EL_DROP, 0, 0 },
  { "embed", EL_DROP, 0, 0 },
  { "applet", EL_DROP, 0, 0 },
  { "param", EL_DROP, 0, 0 },
  { "form", EL_DROP, 0, 0 },
  { "input", EL_DROP, 0, 0 },
  { "button", EL_DROP, 0, 0 },
  { "select", EL_DROP, 0, 0 },
  { "option", EL_DROP, 0, 0 },
  { "textarea", EL_DROP, 0, 0 },
  { "label", EL_DROP, 0, 0 },
  { "fieldset", EL_DROP, 0, 0 },
  { "link", EL_DROP, 0, 0 },
  { "meta", EL_DROP, 0, 0 },
  { "base", EL_DROP, 0, 0 },
  { "svg", EL_DROP, 0, 0 },
  { "math", EL_DROP, 0, 0 },
  { "template", EL_DROP, 0, 0 },
  { "noscript", EL_DROP, 0, 0 },
  { "noembed", EL_DROP, 0, 0 },
  { "audio", EL_DROP, 0, 0 },
  { "video", EL_DROP, 0, 0 },
  { "source", EL_DROP, 0, 0 },
  { "track", EL_DROP, 0, 0 },
  { "canvas", EL_DROP, 0, 0 },
  { "map", EL_DROP, 0, 0 },
  { "area", EL_DROP, 0, 0 },
  { "dialog", EL_DROP, 0, 0 },
  { "portal", EL_DROP, 0, 0 },
  { "xmp", EL_DROP, 0, 0 },
  { "plaintext", EL_DROP, 0, 0 },
  { "listing", EL_DROP, 0, 0 },
  { "marquee", EL_DROP, 0, 0 },
};

/* Class or id words that mark page chrome rather than the article. They
 * are matched against whole words of the class (split at "-", "_" and
 * camelCase, a plural "s" allowed), never inside a word: "multimodal",
 * "shareholders" or "commentary" name article content. */
static const char * const chrome_words[] = {
  "share", "sharing", "social", "newsletter", "subscribe", "subscription",
  "signup", "cta", "promo", "advert", "advertisement", "ad", "adslot",
  "banner", "comment", "related", "sponsor", "sponsored", "cookie", "popup",
  "modal", "breadcrumb", "sidebar", "footer", "navbar", "nav", "menu",
  "toolbar", "paywall",
};

/* Whole short texts that are chrome wherever they stand. */
static const char * const chrome_phrases[] = {
  "subscribe", "share this", "share on", "copy link", "copy url",
  "advertisement", "leave a comment", "sign up", "follow us",
  "watch more", "read more", "related articles", "sponsored", "newsletter",
};

typedef enum {
  FRAME_TAG_KEPT   = 1 << 0,  /* write </tag> on leave */
  FRAME_BLOCK      = 1 << 1,  /* this element opened the current block */
  FRAME_CHROME     = 1 << 2,
  FRAME_RUN_INLINE = 1 << 3,  /* counted in run_inline_depth */
  FRAME_CONTAINER  = 1 << 4,  /* a text run inside ends here */
  FRAME_SPACE      = 1 << 5,  /* separates words in the block text */
} FrameFlags;

typedef struct {
  const char *tag;
  guint       flags;
} Frame;

typedef struct {
  GString           *main;
  GString           *buf;         /* the open block's markup */
  GString           *text;        /* the open block's plain text */
  GString           *block_attrs;
  const char        *block_tag;   /* NULL for a text run */
  GPtrArray         *blocks;
  GArray            *frames;
  gboolean           in_block;
  gboolean           space_pending;
  DeskBlockKind      kind;
  guint              level;
  gboolean           chrome;
  guint              run_inline_depth;
  guint              chrome_depth;
  guint              depth;
  guint              next_index;
  DeskSanitizeFlags  flags;
} Walk;

void
desk_block_free (DeskBlock *block)
{
  if (block == NULL)
    return;
  g_free (block->text);
  g_free (block);
}

const char *
desk_block_kind_to_string (DeskBlockKind kind)
{
  switch (kind)
    {
    case DESK_BLOCK_HEADING: return "heading";
    case DESK_BLOCK_PARAGRAPH: return "paragraph";
    case DESK_BLOCK_LIST: return "list";
    case DESK_BLOCK_QUOTE: return "quote";
    case DESK_BLOCK_CODE: return "code";
    case DESK_BLOCK_TABLE: return "table";
    case DESK_BLOCK_OTHER: return "other";
    default: return "other";
    }
}

static const ElementInfo *
element_info (const char *name)
{
  static GHashTable *table;

  if (g_once_init_enter (&table))
    {
      GHashTable *t = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < G_N_ELEMENTS (elements); i++)
        g_hash_table_insert (t, (gpointer) elements[i].name, (gpointer) &elements[i]);
      g_once_init_leave (&table, t);
    }

  return g_hash_table_lookup (table, name);
}

static void
escape_text (GString    *out,
             const char *s)
{
  for (const char *p = s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&#39;"); break;
        default: g_string_append_c (out, *p); break;
        }
    }
}

static gboolean
is_chrome_subword (const char *word,
                   gsize       len)
{
  for (guint j = 0; j < G_N_ELEMENTS (chrome_words); j++)
    {
      gsize n = strlen (chrome_words[j]);

      if (strncmp (word, chrome_words[j], MIN (len, n)) == 0 &&
          (len == n || (len == n + 1 && word[n] == 's')))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_chrome_word (const char *value)
{
  g_autoptr(GPtrArray) words = NULL;

  if (value == NULL)
    return FALSE;

  /* Lower-cased subwords; "shareBar" and "share-bar" both give "share". */
  words = g_ptr_array_new_with_free_func (g_free);
  for (const char *p = value; *p != '\0';)
    {
      GString *word;

      while (*p != '\0' && !g_ascii_isalnum (*p))
        p++;
      if (*p == '\0')
        break;
      word = g_string_new (NULL);
      do
        {
          g_string_append_c (word, g_ascii_tolower (*p));
          p++;
        }
      while (g_ascii_isalnum (*p) && !(g_ascii_isupper (*p) && g_ascii_islower (p[-1])));
      g_ptr_array_add (words, g_string_free (word, FALSE));
    }

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = words->pdata[i];

      if (is_chrome_subword (word, strlen (word)))
        return TRUE;
      /* "sign-up", "ad-slot" */
      if (i + 1 < words->len)
        {
          g_autofree char *pair = g_strconcat (word, words->pdata[i + 1], NULL);

          if (is_chrome_subword (pair, strlen (pair)))
            return TRUE;
        }
    }

  return FALSE;
}

static gboolean
is_chrome_text (const char *text,
                gsize       max_len)
{
  g_autofree char *lower = NULL;

  if (strlen (text) > max_len)
    return FALSE;

  lower = g_utf8_strdown (text, -1);
  for (guint j = 0; j < G_N_ELEMENTS (chrome_phrases); j++)
    if (strstr (lower, chrome_phrases[j]) != NULL)
      return TRUE;

  return FALSE;
}

/* Browsers remove tabs and newlines anywhere in a URL and ignore leading
 * and trailing controls and spaces, which is how "jav&#x09;ascript:" works;
 * do the same before looking at the scheme, then allow three schemes only. */
static char *
clean_href (const char *value)
{
  g_autoptr(GString) url = g_string_new (NULL);
  const char *colon;
  gsize scheme_len;
  g_autofree char *scheme = NULL;

  for (const char *p = value; *p != '\0'; p++)
    if (*p != '\t' && *p != '\n' && *p != '\r')
      g_string_append_c (url, *p);

  while (url->len > 0 && (guchar) url->str[0] <= 0x20)
    g_string_erase (url, 0, 1);
  while (url->len > 0 && (guchar) url->str[url->len - 1] <= 0x20)
    g_string_truncate (url, url->len - 1);

  if (url->len == 0 || url->len > 2048)
    return NULL;

  for (gsize i = 0; i < url->len; i++)
    {
      guchar c = url->str[i];

      if (c <= 0x20 || c == 0x7f || c == '"' || c == '\'' || c == '<' ||
          c == '>' || c == '`' || c == '\\')
        return NULL;
    }

  colon = strchr (url->str, ':');
  if (colon == NULL)
    return NULL;
  scheme_len = colon - url->str;
  scheme = g_ascii_strdown (url->str, scheme_len);

  if (strcmp (scheme, "http") == 0 || strcmp (scheme, "https") == 0)
    {
      if (!g_str_has_prefix (colon, "://") || colon[3] == '\0' || colon[3] == '/')
        return NULL;
    }
  else if (strcmp (scheme, "mailto") == 0)
    {
      if (colon[1] == '\0')
        return NULL;
    }
  else
    return NULL;

  /* Write the scheme in lower case so that nothing downstream has to fold. */
  g_string_erase (url, 0, scheme_len);
  g_string_prepend (url, scheme);

  return g_string_free (g_steal_pointer (&url), FALSE);
}

static char *
get_attr (xmlNode    *node,
          const char *name)
{
  xmlChar *v = xmlGetNoNsProp (node, (const xmlChar *) name);
  char *copy;

  if (v == NULL)
    return NULL;
  copy = g_strdup ((const char *) v);
  xmlFree (v);
  return copy;
}

static gboolean
valid_lang (const char *v)
{
  gsize n = strlen (v);

  if (n == 0 || n > 35)
    return FALSE;
  for (const char *p = v; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static void
append_attr (GString    *out,
             const char *name,
             const char *value)
{
  g_string_append_printf (out, " %s=\"", name);
  escape_text (out, value);
  g_string_append_c (out, '"');
}

static void
write_allowed_attrs (GString    *out,
                     xmlNode    *node,
                     const char *tag)
{
  g_autofree char *title = get_attr (node, "title");
  g_autofree char *lang = get_attr (node, "lang");
  g_autofree char *dir = get_attr (node, "dir");

  if (strcmp (tag, "a") == 0)
    {
      g_autofree char *href = get_attr (node, "href");
      g_autofree char *clean = href != NULL ? clean_href (href) : NULL;

      if (clean != NULL)
        {
          append_attr (out, "href", clean);
          g_string_append (out, " rel=\"noreferrer noopener\"");
        }
    }

  if (title != NULL && g_utf8_strlen (title, -1) <= 500)
    append_attr (out, "title", title);
  if (lang != NULL && valid_lang (lang))
    append_attr (out, "lang", lang);
  if (dir != NULL && (g_ascii_strcasecmp (dir, "ltr") == 0 ||
                      g_ascii_strcasecmp (dir, "rtl") == 0 ||
                      g_ascii_strcasecmp (dir, "auto") == 0))
    {
      g_autofree char *lower = g_ascii_strdown (dir, -1);
      append_attr (out, "dir", lower);
    }

  if (strcmp (tag, "td") == 0 || strcmp (tag, "th") == 0)
    {
      static const char * const spans[] = { "colspan", "rowspan" };

      for (guint i = 0; i < G_N_ELEMENTS (spans); i++)
        {
          g_autofree char *v = get_attr (node, spans[i]);
          guint64 n;

          if (v != NULL && g_ascii_string_to_unsigned (g_strstrip (v), 10, 1, 1000, &n, NULL))
            g_string_append_printf (out, " %s=\"%u\"", spans[i], (guint) n);
        }
    }
}

static GString *
out_of (Walk *w)
{
  return w->in_block ? w->buf : w->main;
}

static void
text_space (Walk *w)
{
  if (w->in_block && w->text->len > 0)
    w->space_pending = TRUE;
}

static void
text_append (Walk       *w,
             const char *s)
{
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x00A0)
        {
          text_space (w);
          continue;
        }
      if (w->space_pending)
        {
          g_string_append_c (w->text, ' ');
          w->space_pending = FALSE;
        }
      g_string_append_unichar (w->text, c);
    }
}

static void
block_begin (Walk          *w,
             const char    *tag,
             DeskBlockKind  kind,
             guint          level,
             gboolean       chrome)
{
  g_assert (!w->in_block);

  w->in_block = TRUE;
  w->block_tag = tag;
  w->kind = kind;
  w->level = level;
  w->chrome = chrome;
  w->run_inline_depth = 0;
  w->space_pending = FALSE;
  g_string_truncate (w->buf, 0);
  g_string_truncate (w->text, 0);
  g_string_truncate (w->block_attrs, 0);
}

static void
block_end (Walk *w)
{
  gboolean has_text;
  const char *wrapper;

  g_assert (w->in_block);

  w->in_block = FALSE;
  has_text = w->text->len > 0;
  wrapper = w->block_tag != NULL ? w->block_tag : "div";

  /* Only loose text: a short <p> that mentions a newsletter is content. */
  if (has_text && !w->chrome && w->block_tag == NULL)
    w->chrome = is_chrome_text (w->text->str, 120);

  if (has_text)
    {
      DeskBlock *block = g_new0 (DeskBlock, 1);

      block->index = w->next_index++;
      block->kind = w->block_tag != NULL ? w->kind : DESK_BLOCK_OTHER;
      block->level = w->level;
      block->chrome = w->chrome;
      block->text = g_strdup (w->text->str);
      block->n_chars = g_utf8_strlen (block->text, -1);
      g_ptr_array_add (w->blocks, block);

      g_string_append_printf (w->main, "<%s", wrapper);
      if ((w->flags & DESK_SANITIZE_NO_BLOCK_IDS) == 0)
        g_string_append_printf (w->main, " data-block=\"%u\"", block->index);
      if (w->chrome)
        g_string_append (w->main, " class=\"desk-chrome\"");
      g_string_append_len (w->main, w->block_attrs->str, w->block_attrs->len);
      g_string_append_c (w->main, '>');
      g_string_append_len (w->main, w->buf->str, w->buf->len);
      if (w->block_tag == NULL)
        g_string_append (w->main, "</div>");
    }
  else if (w->block_tag != NULL)
    {
      g_string_append_printf (w->main, "<%s%s>", wrapper, w->block_attrs->str);
      g_string_append_len (w->main, w->buf->str, w->buf->len);
    }
  else
    g_string_append_len (w->main, w->buf->str, w->buf->len);

  g_string_truncate (w->buf, 0);
}

/* Text and phrase content outside any block opens a run: a block of kind
 * "other" that lasts until the next block or the end of its container. */
static void
ensure_block (Walk *w)
{
  if (!w->in_block)
    block_begin (w, NULL, DESK_BLOCK_OTHER, 0, w->chrome_depth > 0);
}

static void
close_run_for_structure (Walk *w)
{
  if (w->in_block && w->block_tag == NULL && w->run_inline_depth == 0)
    block_end (w);
}

static gboolean
can_start_block (Walk *w)
{
  return !w->in_block || (w->block_tag == NULL && w->run_inline_depth == 0);
}

static void
push_frame (Walk       *w,
            const char *tag,
            guint       flags)
{
  Frame f = { tag, flags };
  g_array_append_val (w->frames, f);
}

/* Returns whether the walk descends into @node's children; when it does,
 * exactly one frame was pushed for walk_leave(). */
static gboolean
walk_enter (Walk    *w,
            xmlNode *node)
{
  const ElementInfo *info;
  const char *name;
  gboolean keep_tags;
  guint flags = 0;
  gboolean chrome;

  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    {
      const char *s = (const char *) node->content;
      gboolean blank = TRUE;

      if (s == NULL)
        return FALSE;
      for (const char *p = s; *p != '\0' && blank; p++)
        if (!g_ascii_isspace (*p))
          blank = FALSE;

      if (!blank)
        ensure_block (w);
      escape_text (out_of (w), s);
      if (w->in_block)
        text_append (w, s);
      return FALSE;
    }

  if (node->type != XML_ELEMENT_NODE || node->name == NULL)
    return FALSE;  /* comments (conditional ones too), PIs, DTDs… */

  name = (const char *) node->name;
  info = element_info (name);
  keep_tags = w->depth < DESK_SANITIZE_MAX_DEPTH;

  if (info == NULL)
    {
      push_frame (w, NULL, 0);
      return TRUE;
    }

  switch (info->klass)
    {
    case EL_DROP:
      return FALSE;

    case EL_TRANSPARENT:
      push_frame (w, NULL, 0);
      return TRUE;

    case EL_BR:
      if (w->in_block)
        {
          g_string_append (w->buf, "<br>");
          text_space (w);
        }
      return FALSE;

    case EL_HR:
      close_run_for_structure (w);
      g_string_append (out_of (w), "<hr>");
      text_space (w);
      return FALSE;

    case EL_IMG:
      {
        g_autofree char *alt = get_attr (node, "alt");

        if (alt != NULL)
          {
            g_autofree char *label = NULL;

            g_strstrip (alt);
            if (*alt == '\0')
              return FALSE;
            ensure_block (w);
            /* TRANSLATORS: replaces a never-loaded image; %s is its alt text */
            label = g_strdup_printf (_("[Image: %s]"), alt);
            g_string_append (w->buf, "<span class=\"img-alt\">");
            escape_text (w->buf, label);
            g_string_append (w->buf, "</span>");
          }
        return FALSE;
      }

    case EL_BLOCK:
      {
        g_autofree char *klass = get_attr (node, "class");
        g_autofree char *id = get_attr (node, "id");

        chrome = w->chrome_depth > 0 || is_chrome_word (klass) || is_chrome_word (id);
      }
      if (can_start_block (w))
        {
          close_run_for_structure (w);
          block_begin (w, name, info->kind, info->level, chrome);
          if (keep_tags)
            write_allowed_attrs (w->block_attrs, node, name);
          else
            w->block_tag = "div";
          flags |= FRAME_BLOCK | FRAME_SPACE;
          push_frame (w, keep_tags ? name : "div", flags | FRAME_TAG_KEPT);
          return TRUE;
        }
      /* Inside a block: just structure. */
      flags |= FRAME_SPACE;
      if (keep_tags)
        {
          GString *out = out_of (w);

          g_string_append_printf (out, "<%s", name);
          write_allowed_attrs (out, node, name);
          g_string_append_c (out, '>');
          flags |= FRAME_TAG_KEPT;
        }
      text_space (w);
      push_frame (w, name, flags);
      return TRUE;

    case EL_CONTAINER:
    case EL_CHROME:
    case EL_UNWRAP_BLOCK:
    case EL_TABLE_PART:
      {
        g_autofree char *klass = get_attr (node, "class");
        g_autofree char *id = get_attr (node, "id");
        const char *tag = info->klass == EL_CONTAINER || info->klass == EL_TABLE_PART ? name : "div";
        gboolean is_root = strcmp (name, "body") == 0 || strcmp (name, "html") == 0 ||
                           strcmp (name, "head") == 0;

        chrome = info->klass == EL_CHROME || is_chrome_word (klass) || is_chrome_word (id);
        if (chrome)
          {
            w->chrome_depth++;
            flags |= FRAME_CHROME;
          }
        close_run_for_structure (w);
        if (!w->in_block)
          flags |= FRAME_CONTAINER;
        flags |= FRAME_SPACE;
        text_space (w);
        if (keep_tags && !is_root)
          {
            GString *out = out_of (w);

            g_string_append_printf (out, "<%s", tag);
            if (chrome)
              g_string_append (out, " class=\"desk-chrome\"");
            write_allowed_attrs (out, node, tag);
            g_string_append_c (out, '>');
            flags |= FRAME_TAG_KEPT;
          }
        push_frame (w, tag, flags);
        return TRUE;
      }

    case EL_INLINE:
      ensure_block (w);
      if (w->block_tag == NULL)
        {
          w->run_inline_depth++;
          flags |= FRAME_RUN_INLINE;
        }
      if (keep_tags)
        {
          g_string_append_printf (w->buf, "<%s", name);
          write_allowed_attrs (w->buf, node, name);
          g_string_append_c (w->buf, '>');
          flags |= FRAME_TAG_KEPT;
        }
      push_frame (w, name, flags);
      return TRUE;

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

static void
walk_leave (Walk    *w,
            xmlNode *node)
{
  Frame f;

  g_assert (w->frames->len > 0);
  f = g_array_index (w->frames, Frame, w->frames->len - 1);
  g_array_set_size (w->frames, w->frames->len - 1);

  if ((f.flags & FRAME_CONTAINER) != 0)
    close_run_for_structure (w);

  if ((f.flags & FRAME_TAG_KEPT) != 0)
    g_string_append_printf (out_of (w), "</%s>", f.tag);

  if ((f.flags & FRAME_SPACE) != 0)
    text_space (w);

  if ((f.flags & FRAME_RUN_INLINE) != 0)
    {
      g_assert (w->run_inline_depth > 0);
      w->run_inline_depth--;
    }

  if ((f.flags & FRAME_BLOCK) != 0)
    block_end (w);

  if ((f.flags & FRAME_CHROME) != 0)
    w->chrome_depth--;
}

/* Iterative, so that 100 000 nested elements cost no stack. */
static void
walk_tree (Walk    *w,
           xmlNode *start)
{
  xmlNode *node = start->children;

  while (node != NULL)
    {
      gboolean descend = walk_enter (w, node);

      if (descend && node->children != NULL)
        {
          w->depth++;
          node = node->children;
          continue;
        }
      if (descend)
        walk_leave (w, node);

      while (node != NULL && node->next == NULL)
        {
          node = node->parent;
          if (node == start || node == NULL)
            {
              node = NULL;
              break;
            }
          w->depth--;
          walk_leave (w, node);
        }
      if (node != NULL)
        node = node->next;
    }

  if (w->in_block)
    block_end (w);
}

/* libxml2 would fall back to Latin-1 on the first invalid byte; decide here
 * instead: NUL bytes go, invalid sequences become U+FFFD. */
static char *
clean_input (const char *html,
             gsize       len)
{
  g_autofree char *no_nul = g_malloc (len + 1);
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    if (html[i] != '\0')
      no_nul[n++] = html[i];
  no_nul[n] = '\0';

  return g_utf8_make_valid (no_nul, n);
}

char *
desk_sanitize_html_and_segment (const char         *html,
                                gssize              len,
                                DeskSanitizeFlags   flags,
                                GPtrArray         **blocks,
                                GError            **error)
{
  g_autofree char *input = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GString) out = NULL;
  htmlDocPtr doc = NULL;
  gsize n;
  Walk w = { 0 };

  g_return_val_if_fail (html != NULL || len == 0, NULL);
  g_return_val_if_fail (blocks == NULL || *blocks == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = len < 0 ? strlen (html) : (gsize) len;
  if (n > DESK_SANITIZE_MAX_BYTES)
    {
      g_set_error (error, DESK_SANITIZE_ERROR, DESK_SANITIZE_ERROR_TOO_LARGE,
                   _("The original page is larger than %u MiB"),
                   (guint) (DESK_SANITIZE_MAX_BYTES / (1024 * 1024)));
      return NULL;
    }

  input = clean_input (html != NULL ? html : "", n);
  if (*input != '\0')
    {
      /* XML_PARSE_HUGE lifts libxml2's 256-level cap, past which it stops
       * reading and loses the rest of the page; its HTML parser and
       * xmlFreeDoc() do not recurse, our walk does not either, and the
       * input is capped in size. The HTML parser loads no DTD and expands
       * only the predefined entities. */
      doc = htmlReadMemory (input, strlen (input), NULL, "UTF-8",
                            HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                            HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
                            HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD |
                            XML_PARSE_HUGE);
      if (doc == NULL)
        {
          g_set_error (error, DESK_SANITIZE_ERROR, DESK_SANITIZE_ERROR_PARSE,
                       _("The original page could not be read as HTML"));
          return NULL;
        }
    }

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_block_free);
  out = g_string_sized_new (n + 2048);

  if ((flags & DESK_SANITIZE_BODY_ONLY) == 0)
    {
      g_string_append (out,
                       "<!DOCTYPE html>\n<html><head>"
                       DESK_CSP_META
                       "<meta charset=\"utf-8\">"
                       "<meta name=\"referrer\" content=\"no-referrer\">"
                       "<style>");
      g_string_append (out, stylesheet);
      g_string_append (out, "</style></head>\n<body>\n");
    }

  if (doc != NULL)
    {
      xmlNode *root = xmlDocGetRootElement (doc);

      w.main = out;
      w.buf = g_string_new (NULL);
      w.text = g_string_new (NULL);
      w.block_attrs = g_string_new (NULL);
      w.blocks = found;
      w.frames = g_array_new (FALSE, FALSE, sizeof (Frame));
      w.flags = flags;

      if (root != NULL)
        walk_tree (&w, (xmlNode *) doc);

      g_assert (w.frames->len == 0);
      g_string_free (w.buf, TRUE);
      g_string_free (w.text, TRUE);
      g_string_free (w.block_attrs, TRUE);
      g_array_free (w.frames, TRUE);
      xmlFreeDoc (doc);
    }

  if ((flags & DESK_SANITIZE_BODY_ONLY) == 0)
    g_string_append (out, "\n</body></html>\n");

  if (blocks != NULL)
    *blocks = g_steal_pointer (&found);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
desk_sanitize_html (const char         *html,
                    gssize              len,
                    DeskSanitizeFlags   flags,
                    GError            **error)
{
  return desk_sanitize_html_and_segment (html, len, flags, NULL, error);
}

GPtrArray *
desk_sanitize_segment (const char  *html,
                       gssize       len,
                       GError     **error)
{
  GPtrArray *blocks = NULL;
  g_autofree char *out = NULL;

  out = desk_sanitize_html_and_segment (html, len, DESK_SANITIZE_BODY_ONLY, &blocks, error);
  if (out == NULL)
    return NULL;

  return blocks;
}
