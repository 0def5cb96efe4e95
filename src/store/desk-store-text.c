/* desk-store-text.c: the plain text the store indexes for search
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-store-text.h"

/* The store keeps to core + sqlite, so this is a small scanner rather than
 * libxml2's HTML parser. Its output only feeds the search index, so the
 * worst a hostile page can do is make its own entry findable by odd words. */

/* Elements whose content is not text a reader sees. */
static const char * const skipped_elements[] = {
  "script", "style", "template", "noscript", "textarea", "title", NULL,
};

/* Elements that separate words; any other tag (b, a, span…) may sit inside
 * a word, which matters for Japanese: <b>強化</b>学習 is one word. */
static const char * const block_elements[] = {
  "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
  "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
  "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
  "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "img", NULL,
};

static gboolean
name_in (const char         *name,
         const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
append_space (GString *out)
{
  if (out->len > 0 && out->str[out->len - 1] != ' ')
    g_string_append_c (out, ' ');
}

static void
append_unichar (GString  *out,
                gunichar  c)
{
  if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    c = 0xFFFD;
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0xA0)
    append_space (out);
  else
    g_string_append_unichar (out, c);
}

/* @p points after '&'. Returns the end of the reference, or NULL when this
 * is not one (then the '&' is text). */
static const char *
decode_reference (const char *p,
                  GString    *out)
{
  static const struct { const char *name; gunichar c; } named[] = {
    { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
    { "apos", '\'' }, { "nbsp", 0xA0 }, { "hellip", 0x2026 },
    { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "copy", 0xA9 },
  };

  if (*p == '#')
    {
      gboolean hex = p[1] == 'x' || p[1] == 'X';
      const char *q = p + (hex ? 2 : 1);
      guint64 value = 0;
      guint digits = 0;

      for (; hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q); q++, digits++)
        if (value <= 0x10FFFF)
          value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q) : g_ascii_digit_value (*q));
      if (digits == 0)
        return NULL;
      append_unichar (out, value > 0x10FFFF ? 0xFFFD : (gunichar) value);
      return *q == ';' ? q + 1 : q;
    }

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    {
      gsize len = strlen (named[i].name);

      if (strncmp (p, named[i].name, len) == 0)
        {
          append_unichar (out, named[i].c);
          return p[len] == ';' ? p + len + 1 : p + len;
        }
    }
  return NULL;
}

/* @p points at '<'. Skips the tag, attributes and their quoted values;
 * returns the position after '>' (or the end), and the tag's name. */
static const char *
skip_tag (const char *p,
          char       *name,
          gsize       name_size,
          gboolean   *closing)
{
  gsize n = 0;
  char quote = 0;

  p++;
  *closing = *p == '/';
  if (*closing)
    p++;
  while (g_ascii_isalnum (*p) || *p == '-' || *p == ':')
    {
      if (n + 1 < name_size)
        name[n++] = *p;
      p++;
    }
  name[n] = '\0';

  for (; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '>')
        return p + 1;
    }
  return p;
}

/* Finds "</name" (any case) from @p; returns its '<' or the end. */
static const char *
find_end_tag (const char *p,
              const char *name)
{
  gsize len = strlen (name);

  for (; *p != '\0'; p++)
    if (p[0] == '<' && p[1] == '/' && g_ascii_strncasecmp (p + 2, name, len) == 0 &&
        !g_ascii_isalnum (p[2 + len]))
      return p;
  return p;
}

char *
desk_store_html_to_text (const char *html)
{
  g_autofree char *valid = NULL;
  GString *out;
  const char *p;

  if (html == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (html, -1);
  out = g_string_sized_new (strlen (valid) / 2);

  for (p = valid; *p != '\0';)
    {
      if (p[0] == '<' && p[1] == '!' && p[2] == '-' && p[3] == '-')
        {
          const char *end = strstr (p + 4, "-->");

          p = end != NULL ? end + 3 : p + strlen (p);
          append_space (out);
        }
      else if (p[0] == '<' && (g_ascii_isalpha (p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?'))
        {
          char name[16];
          gboolean closing;

          p = skip_tag (p, name, sizeof name, &closing);
          if (!closing && name_in (name, skipped_elements))
            {
              p = find_end_tag (p, name);
              if (*p != '\0')
                p = skip_tag (p, name, sizeof name, &closing);
              append_space (out);
            }
          else if (name[0] == '\0' || name_in (name, block_elements))
            append_space (out);
        }
      else if (p[0] == '&')
        {
          const char *end = decode_reference (p + 1, out);

          if (end != NULL)
            p = end;
          else
            {
              g_string_append_c (out, '&');
              p++;
            }
        }
      else
        {
          gunichar c = g_utf8_get_char (p);

          append_unichar (out, c);
          p = g_utf8_next_char (p);
        }
    }

  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len > 0 && out->str[0] == ' ')
    g_string_erase (out, 0, 1);

  return g_string_free (out, FALSE);
}

gboolean
desk_store_char_is_unspaced (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_HANGUL:
    case G_UNICODE_SCRIPT_BOPOMOFO:
    case G_UNICODE_SCRIPT_THAI:
    case G_UNICODE_SCRIPT_LAO:
    case G_UNICODE_SCRIPT_KHMER:
    case G_UNICODE_SCRIPT_MYANMAR:
    case G_UNICODE_SCRIPT_TIBETAN:
      return TRUE;
    default:
      /* The prolonged sound mark and iteration marks are "common" but
       * belong to the Japanese text around them. */
      return c == 0x30FC || c == 0x3005 || c == 0x309D || c == 0x309E ||
             c == 0x30FD || c == 0x30FE || c == 0xFF70;
    }
}

char *
desk_store_search_grams (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid) * 4 / 3 + 1);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (desk_store_char_is_unspaced (c))
        {
          append_space (out);
          g_string_append_unichar (out, c);
          g_string_append_c (out, ' ');
        }
      else if (g_unichar_isalnum (c) || g_unichar_ismark (c))
        g_string_append_unichar (out, c);
      else
        append_space (out);
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  return g_string_free (out, FALSE);
}
