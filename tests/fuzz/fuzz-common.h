/* fuzz-common.h: what every fuzz target shares, in libFuzzer and in the replay driver
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A failed check must stop the run whatever G_DISABLE_ASSERT or the test
 * harness says, so that libFuzzer records the input as a crash. */
#define FUZZ_CHECK(cond, ...)                                              \
  G_STMT_START {                                                           \
    if (G_UNLIKELY (!(cond)))                                              \
      {                                                                    \
        fprintf (stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__,  \
                 #cond);                                                   \
        fprintf (stderr, __VA_ARGS__);                                     \
        fputc ('\n', stderr);                                              \
        abort ();                                                          \
      }                                                                    \
  } G_STMT_END

/* Criticals (a g_return_if_fail that hostile input reaches) and warnings
 * are bugs too: make them abort. */
static inline void
fuzz_setup (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_once_init_leave (&done, 1);
    }
}

/* A NUL-terminated copy of the input, for APIs that take C strings. */
static inline char *
fuzz_strndup (const uint8_t *data,
              size_t         size)
{
  char *s = g_malloc (size + 1);

  if (size > 0)
    memcpy (s, data, size);
  s[size] = '\0';
  return s;
}

/* Whether @needle (ASCII, lower case) occurs in @haystack, ignoring ASCII case. */
static inline gboolean
fuzz_contains_ci (const char *haystack,
                  const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Checks every tag of @html, a document or fragment written by the core (so
 * every '<' in it opens a real tag, text being escaped): no element that runs
 * or loads anything, no event attribute, no script URL, no source other than
 * a data: image. Returns the number of http-equiv attributes (which must be
 * the CSP: the caller says how many it expects). */
static inline guint
fuzz_check_tags (const char *html)
{
  static const char *const forbidden[] = {
    "script", "iframe", "frame", "object", "embed", "link", "base", "form",
    "svg", "math", "applet", "audio", "video", "source", "track", "input",
    "button", "template", "noscript",
  };
  guint n_meta = 0;

  for (const char *p = strchr (html, '<'); p != NULL; p = strchr (p + 1, '<'))
    {
      const char *q = p + 1;
      g_autofree char *name = NULL;

      if (*q == '/' || *q == '!')
        continue;
      while (g_ascii_isalnum (*q))
        q++;
      name = g_ascii_strdown (p + 1, q - p - 1);
      FUZZ_CHECK (name[0] != '\0', "a bare '<' in the output:\n%s", html);
      for (gsize i = 0; i < G_N_ELEMENTS (forbidden); i++)
        FUZZ_CHECK (strcmp (name, forbidden[i]) != 0, "a <%s> in the output:\n%s", name, html);

      /* Attributes up to the end of the tag; values are double-quoted. */
      for (;;)
        {
          const char *attr;
          g_autofree char *attr_name = NULL;
          g_autofree char *value = NULL;

          while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '/')
            q++;
          if (*q == '>' || *q == '\0')
            break;
          attr = q;
          while (*q != '\0' && *q != '=' && *q != ' ' && *q != '>' && *q != '\n')
            q++;
          attr_name = g_ascii_strdown (attr, q - attr);
          FUZZ_CHECK (!g_str_has_prefix (attr_name, "on"), "an event attribute %s on <%s>:\n%s", attr_name, name, html);
          FUZZ_CHECK (strcmp (attr_name, "srcset") != 0 && strcmp (attr_name, "formaction") != 0 &&
                      strcmp (attr_name, "background") != 0 && strcmp (attr_name, "poster") != 0,
                      "a loading attribute %s:\n%s", attr_name, html);
          if (*q == '=')
            {
              const char *v;

              q++;
              FUZZ_CHECK (*q == '"', "an unquoted value of %s:\n%s", attr_name, html);
              v = ++q;
              while (*q != '\0' && *q != '"')
                q++;
              FUZZ_CHECK (*q == '"', "an unterminated value of %s:\n%s", attr_name, html);
              value = g_ascii_strdown (v, q - v);
              q++;
              g_strstrip (value);
              if (strcmp (attr_name, "href") == 0)
                FUZZ_CHECK (!g_str_has_prefix (value, "javascript:") && !g_str_has_prefix (value, "vbscript:") &&
                            !g_str_has_prefix (value, "file:") &&
                            (!g_str_has_prefix (value, "data:") || g_str_has_prefix (value, "data:image/")),
                            "href=\"%s\":\n%s", value, html);
              if (strcmp (attr_name, "src") == 0)
                FUZZ_CHECK (g_str_has_prefix (value, "data:image/"), "src=\"%s\":\n%s", value, html);
              if (strcmp (attr_name, "http-equiv") == 0)
                n_meta++;
              if (strcmp (attr_name, "http-equiv") == 0)
                FUZZ_CHECK (strcmp (value, "content-security-policy") == 0, "http-equiv=\"%s\"", value);
            }
        }
    }

  return n_meta;
}
