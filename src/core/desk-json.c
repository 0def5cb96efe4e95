/* desk-json.c: strict RFC 8259 parser building JsonNode trees, and a canonical writer
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "desk-json.h"
#include "desk-json-private.h"

/* json-glib 1.6's JsonParser is not used on purpose: it wraps huge integers,
 * recurses without a limit, cuts strings at \u0000 and accepts comments and
 * single quotes. This parser is a small recursive descent whose recursion is
 * bounded by max_depth, checked before every descent. */

G_DEFINE_QUARK (desk-json-error-quark, desk_json_error)

typedef struct {
  const char  *start;
  const char  *p;
  const char  *end;
  guint        depth;
  guint        max_depth;
  GError     **error;
} Parser;

static JsonNode *parse_value (Parser *parser);

static void
location_of (const char *start,
             const char *at,
             guint      *line,
             guint      *column)
{
  const char *line_start = start;
  const char *q;

  *line = 1;
  for (q = start; q < at; q++)
    {
      if (*q == '\n')
        {
          (*line)++;
          line_start = q + 1;
        }
    }

  /* Columns count code points, not bytes, so they match what an editor
   * shows; the input has been validated as UTF-8 when this is reached, except
   * for encoding errors, where a byte count up to the bad byte is the best we
   * can do anyway. */
  *column = 1;
  for (q = line_start; q < at; q++)
    if (((guchar) *q & 0xC0) != 0x80)
      (*column)++;
}

static void G_GNUC_PRINTF (4, 5)
parser_fail (Parser        *parser,
             const char    *at,
             DeskJsonError  code,
             const char    *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;
  guint line;
  guint column;

  /* Only the first failure is reported; later ones are consequences. */
  if (parser->error == NULL || *parser->error != NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  location_of (parser->start, at, &line, &column);
  /* The prefix is not translated: callers may parse it. */
  g_set_error (parser->error, DESK_JSON_ERROR, code,
               "line %u, column %u: %s", line, column, message);
}

static void
skip_whitespace (Parser *parser)
{
  while (parser->p < parser->end)
    {
      char c = *parser->p;

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      parser->p++;
    }
}

static void
fail_unexpected (Parser     *parser,
                 const char *expected)
{
  if (parser->p >= parser->end)
    {
      parser_fail (parser, parser->p, DESK_JSON_ERROR_SYNTAX,
                   _("unexpected end of input, expected %s"), expected);
      return;
    }

  switch (*parser->p)
    {
    case '/':
      parser_fail (parser, parser->p, DESK_JSON_ERROR_SYNTAX,
                   _("comments are not allowed in JSON"));
      break;

    case '\'':
      parser_fail (parser, parser->p, DESK_JSON_ERROR_SYNTAX,
                   _("single quotes are not allowed in JSON, expected %s"), expected);
      break;

    default:
      if ((guchar) *parser->p < 0x20 || (guchar) *parser->p >= 0x7F)
        parser_fail (parser, parser->p, DESK_JSON_ERROR_SYNTAX,
                     _("unexpected character U+%04X, expected %s"),
                     (guint) g_utf8_get_char (parser->p), expected);
      else
        parser_fail (parser, parser->p, DESK_JSON_ERROR_SYNTAX,
                     _("unexpected character '%c', expected %s"),
                     *parser->p, expected);
      break;
    }
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the 4 hex digits after "\u" at parser->p; returns -1 on failure. */
static int
parse_hex4 (Parser *parser)
{
  int value = 0;

  if (parser->end - parser->p < 4)
    {
      parser_fail (parser, parser->p, DESK_JSON_ERROR_SYNTAX,
                   _("four hexadecimal digits expected after \\u"));
      return -1;
    }

  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_value (parser->p[i]);

      if (digit < 0)
        {
          parser_fail (parser, parser->p + i, DESK_JSON_ERROR_SYNTAX,
                       _("four hexadecimal digits expected after \\u"));
          return -1;
        }
      value = value * 16 + digit;
    }

  parser->p += 4;
  return value;
}

/* Parses a string whose opening quote is at parser->p. */
static char *
parse_string (Parser *parser,
              gsize  *length)
{
  g_autoptr(GString) str = NULL;
  const char *run;

  g_assert (*parser->p == '"');
  parser->p++;
  str = g_string_new (NULL);

  for (;;)
    {
      run = parser->p;
      while (parser->p < parser->end &&
             *parser->p != '"' && *parser->p != '\\' &&
             (guchar) *parser->p >= 0x20)
        parser->p++;
      g_string_append_len (str, run, parser->p - run);

      if (parser->p >= parser->end)
        {
          parser_fail (parser, parser->p, DESK_JSON_ERROR_SYNTAX,
                       _("unterminated string"));
          return NULL;
        }

      if (*parser->p == '"')
        {
          parser->p++;
          break;
        }

      if ((guchar) *parser->p < 0x20)
        {
          parser_fail (parser, parser->p, DESK_JSON_ERROR_SYNTAX,
                       _("control character U+%04X must be escaped in a string"),
                       (guint) (guchar) *parser->p);
          return NULL;
        }

      /* A backslash. */
      parser->p++;
      if (parser->p >= parser->end)
        {
          parser_fail (parser, parser->p, DESK_JSON_ERROR_SYNTAX,
                       _("unterminated string"));
          return NULL;
        }

      switch (*parser->p)
        {
        case '"':  g_string_append_c (str, '"');  parser->p++; break;
        case '\\': g_string_append_c (str, '\\'); parser->p++; break;
        case '/':  g_string_append_c (str, '/');  parser->p++; break;
        case 'b':  g_string_append_c (str, '\b'); parser->p++; break;
        case 'f':  g_string_append_c (str, '\f'); parser->p++; break;
        case 'n':  g_string_append_c (str, '\n'); parser->p++; break;
        case 'r':  g_string_append_c (str, '\r'); parser->p++; break;
        case 't':  g_string_append_c (str, '\t'); parser->p++; break;

        case 'u':
          {
            const char *escape = parser->p - 1;
            int unit;
            gunichar ch;

            parser->p++;
            unit = parse_hex4 (parser);
            if (unit < 0)
              return NULL;

            if (unit == 0)
              {
                parser_fail (parser, escape, DESK_JSON_ERROR_ENCODING,
                             _("\\u0000 is not allowed in a string"));
                return NULL;
              }

            if (unit >= 0xDC00 && unit <= 0xDFFF)
              {
                parser_fail (parser, escape, DESK_JSON_ERROR_ENCODING,
                             _("lone low surrogate \\u%04x"), (guint) unit);
                return NULL;
              }

            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                int low;

                if (parser->end - parser->p < 2 ||
                    parser->p[0] != '\\' || parser->p[1] != 'u')
                  {
                    parser_fail (parser, escape, DESK_JSON_ERROR_ENCODING,
                                 _("lone high surrogate \\u%04x"), (guint) unit);
                    return NULL;
                  }
                parser->p += 2;
                low = parse_hex4 (parser);
                if (low < 0)
                  return NULL;
                if (low < 0xDC00 || low > 0xDFFF)
                  {
                    parser_fail (parser, escape, DESK_JSON_ERROR_ENCODING,
                                 _("high surrogate \\u%04x not followed by a low surrogate"),
                                 (guint) unit);
                    return NULL;
                  }
                ch = 0x10000 + (((gunichar) unit - 0xD800) << 10) + ((gunichar) low - 0xDC00);
              }
            else
              ch = (gunichar) unit;

            g_string_append_unichar (str, ch);
          }
          break;

        default:
          parser_fail (parser, parser->p - 1, DESK_JSON_ERROR_SYNTAX,
                       _("invalid escape sequence"));
          return NULL;
        }
    }

  if (length != NULL)
    *length = str->len;
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static gboolean
is_digit (const Parser *parser)
{
  return parser->p < parser->end && *parser->p >= '0' && *parser->p <= '9';
}

static JsonNode *
parse_number (Parser *parser)
{
  const char *start = parser->p;
  gboolean negative = FALSE;
  gboolean is_integer = TRUE;
  gboolean overflow = FALSE;
  guint64 magnitude = 0;
  JsonNode *node;

  if (*parser->p == '-')
    {
      negative = TRUE;
      parser->p++;
    }

  if (!is_digit (parser))
    {
      fail_unexpected (parser, _("a digit"));
      return NULL;
    }

  if (*parser->p == '0')
    {
      parser->p++;
      if (is_digit (parser))
        {
          parser_fail (parser, start, DESK_JSON_ERROR_SYNTAX,
                       _("leading zeros are not allowed in numbers"));
          return NULL;
        }
    }
  else
    {
      /* The magnitude stops growing once past the limit, so it never
       * overflows: 10 × (2^53 + 9) + 9 fits easily in 64 bits. */
      while (is_digit (parser))
        {
          if (!overflow)
            {
              magnitude = magnitude * 10 + (guint64) (*parser->p - '0');
              if (magnitude > (guint64) DESK_JSON_MAX_INT)
                overflow = TRUE;
            }
          parser->p++;
        }
    }

  if (parser->p < parser->end && *parser->p == '.')
    {
      is_integer = FALSE;
      parser->p++;
      if (!is_digit (parser))
        {
          fail_unexpected (parser, _("a digit after the decimal point"));
          return NULL;
        }
      while (is_digit (parser))
        parser->p++;
    }

  if (parser->p < parser->end && (*parser->p == 'e' || *parser->p == 'E'))
    {
      is_integer = FALSE;
      parser->p++;
      if (parser->p < parser->end && (*parser->p == '+' || *parser->p == '-'))
        parser->p++;
      if (!is_digit (parser))
        {
          fail_unexpected (parser, _("a digit in the exponent"));
          return NULL;
        }
      while (is_digit (parser))
        parser->p++;
    }

  if (is_integer)
    {
      if (overflow)
        {
          parser_fail (parser, start, DESK_JSON_ERROR_RANGE,
                       _("integer out of range (must be within ±2^53)"));
          return NULL;
        }
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, negative ? -(gint64) magnitude : (gint64) magnitude);
      return node;
    }
  else
    {
      g_autofree char *text = g_strndup (start, parser->p - start);
      double value = g_ascii_strtod (text, NULL);

      if (!isfinite (value))
        {
          parser_fail (parser, start, DESK_JSON_ERROR_RANGE,
                       _("number out of range"));
          return NULL;
        }
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_double (node, value);
      return node;
    }
}

static gboolean
enter (Parser *parser)
{
  if (parser->depth >= parser->max_depth)
    {
      parser_fail (parser, parser->p, DESK_JSON_ERROR_TOO_DEEP,
                   _("nesting deeper than %u levels"), parser->max_depth);
      return FALSE;
    }
  parser->depth++;
  return TRUE;
}

static JsonNode *
parse_object (Parser *parser)
{
  g_autoptr(JsonObject) object = NULL;
  JsonNode *node;

  if (!enter (parser))
    return NULL;

  parser->p++;
  object = json_object_new ();
  skip_whitespace (parser);

  if (parser->p < parser->end && *parser->p == '}')
    parser->p++;
  else
    {
      for (;;)
        {
          g_autofree char *name = NULL;
          const char *name_at;
          JsonNode *value;

          skip_whitespace (parser);
          if (parser->p >= parser->end || *parser->p != '"')
            {
              fail_unexpected (parser, _("a member name in double quotes"));
              return NULL;
            }

          name_at = parser->p;
          name = parse_string (parser, NULL);
          if (name == NULL)
            return NULL;

          if (json_object_has_member (object, name))
            {
              parser_fail (parser, name_at, DESK_JSON_ERROR_SYNTAX,
                           _("duplicate member \"%s\""), name);
              return NULL;
            }

          skip_whitespace (parser);
          if (parser->p >= parser->end || *parser->p != ':')
            {
              fail_unexpected (parser, _("':'"));
              return NULL;
            }
          parser->p++;

          value = parse_value (parser);
          if (value == NULL)
            return NULL;
          json_object_set_member (object, name, value);

          skip_whitespace (parser);
          if (parser->p < parser->end && *parser->p == ',')
            {
              parser->p++;
              continue;
            }
          if (parser->p < parser->end && *parser->p == '}')
            {
              parser->p++;
              break;
            }
          fail_unexpected (parser, _("',' or '}'"));
          return NULL;
        }
    }

  parser->depth--;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, g_steal_pointer (&object));
  return node;
}

static JsonNode *
parse_array (Parser *parser)
{
  g_autoptr(JsonArray) array = NULL;
  JsonNode *node;

  if (!enter (parser))
    return NULL;

  parser->p++;
  array = json_array_new ();
  skip_whitespace (parser);

  if (parser->p < parser->end && *parser->p == ']')
    parser->p++;
  else
    {
      for (;;)
        {
          JsonNode *value = parse_value (parser);

          if (value == NULL)
            return NULL;
          json_array_add_element (array, value);

          skip_whitespace (parser);
          if (parser->p < parser->end && *parser->p == ',')
            {
              parser->p++;
              continue;
            }
          if (parser->p < parser->end && *parser->p == ']')
            {
              parser->p++;
              break;
            }
          fail_unexpected (parser, _("',' or ']'"));
          return NULL;
        }
    }

  parser->depth--;
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, g_steal_pointer (&array));
  return node;
}

static gboolean
match_literal (Parser     *parser,
               const char *literal)
{
  gsize len = strlen (literal);

  if ((gsize) (parser->end - parser->p) < len ||
      memcmp (parser->p, literal, len) != 0)
    return FALSE;
  parser->p += len;
  return TRUE;
}

static JsonNode *
parse_value (Parser *parser)
{
  JsonNode *node;

  skip_whitespace (parser);
  if (parser->p >= parser->end)
    {
      fail_unexpected (parser, _("a value"));
      return NULL;
    }

  switch (*parser->p)
    {
    case '{':
      return parse_object (parser);

    case '[':
      return parse_array (parser);

    case '"':
      {
        g_autofree char *str = parse_string (parser, NULL);

        if (str == NULL)
          return NULL;
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (node, str);
        return node;
      }

    case 't':
    case 'f':
      if (match_literal (parser, "true"))
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_boolean (node, TRUE);
          return node;
        }
      if (match_literal (parser, "false"))
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_boolean (node, FALSE);
          return node;
        }
      break;

    case 'n':
      if (match_literal (parser, "null"))
        return json_node_new (JSON_NODE_NULL);
      break;

    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return parse_number (parser);

    default:
      break;
    }

  fail_unexpected (parser, _("a value"));
  return NULL;
}

JsonNode *
desk_json_parse (const char  *data,
                 gssize       length,
                 gsize        max_bytes,
                 guint        max_depth,
                 GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  Parser parser = { 0 };
  const char *bad = NULL;
  gsize len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (max_bytes == 0)
    max_bytes = DESK_JSON_MAX_BYTES;
  if (max_depth == 0)
    max_depth = DESK_JSON_MAX_DEPTH;

  /* The size is checked before anything else looks at the bytes; a
   * NUL-terminated input is measured only up to one byte past the cap. */
  if (length < 0)
    {
      len = strnlen (data, max_bytes + 1);
    }
  else
    len = (gsize) length;

  if (len > max_bytes)
    {
      g_autofree char *limit = g_strdup_printf ("%" G_GSIZE_FORMAT, max_bytes);
      g_autofree char *message =
        g_strdup_printf (_("input larger than %s bytes"), limit);

      g_set_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_TOO_LARGE,
                   "line 1, column 1: %s", message);
      return NULL;
    }

  parser.start = data;
  parser.p = data;
  parser.end = data + len;
  parser.max_depth = max_depth;
  parser.error = &local_error;

  if (!g_utf8_validate_len (data, len, &bad))
    {
      if (*bad == '\0')
        parser_fail (&parser, bad, DESK_JSON_ERROR_ENCODING,
                     _("NUL byte (U+0000) is not allowed"));
      else
        parser_fail (&parser, bad, DESK_JSON_ERROR_ENCODING,
                     _("invalid UTF-8 (byte 0x%02X)"), (guint) (guchar) *bad);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  skip_whitespace (&parser);
  if (parser.p >= parser.end)
    {
      parser_fail (&parser, parser.p, DESK_JSON_ERROR_SYNTAX, _("empty input"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  root = parse_value (&parser);
  if (root == NULL)
    {
      g_assert (local_error != NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  skip_whitespace (&parser);
  if (parser.p < parser.end)
    {
      fail_unexpected (&parser, _("the end of input"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* ---- writer ------------------------------------------------------------ */

static void
write_string (GString    *out,
              const char *str)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = str;
  const char *p;

  g_string_append_c (out, '"');
  for (p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xF]);
          break;
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
write_double (GString *out,
              double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };

  /* JSON has no representation for these; the parser never produces them. */
  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);
  /* Keep it a double when read back: 1.0, not 1. */
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
write_indent (GString *out,
              guint    level)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
write_node (GString  *out,
            JsonNode *node,
            gboolean  pretty,
            guint     level)
{
  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64 || type == G_TYPE_INT || type == G_TYPE_LONG ||
            type == G_TYPE_UINT || type == G_TYPE_UINT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE || type == G_TYPE_FLOAT)
          write_double (out, json_node_get_double (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_STRING)
          {
            const char *str = json_node_get_string (node);
            write_string (out, str != NULL ? str : "");
          }
        else
          g_string_append (out, "null");
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (pretty)
              write_indent (out, level + 1);
            write_node (out, json_array_get_element (array, i), pretty, level + 1);
          }
        if (pretty && n > 0)
          write_indent (out, level);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            if (pretty)
              write_indent (out, level + 1);
            write_string (out, name);
            g_string_append (out, pretty ? ": " : ":");
            write_node (out, member, pretty, level + 1);
          }
        if (pretty && !first)
          write_indent (out, level);
        g_string_append_c (out, '}');
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

void
desk_json_write (GString  *out,
                 JsonNode *node,
                 gboolean  pretty)
{
  g_return_if_fail (out != NULL);

  write_node (out, node, pretty, 0);
}

char *
desk_json_to_string (JsonNode *node,
                     gboolean  pretty,
                     gsize    *length)
{
  GString *out = g_string_new (NULL);

  write_node (out, node, pretty, 0);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/* ---- paths and errors ---------------------------------------------------- */

char *
desk_json_path_join (const char *path,
                     const char *member)
{
  g_return_val_if_fail (member != NULL, NULL);

  if (path == NULL || *path == '\0')
    return g_strdup (member);
  return g_strconcat (path, ".", member, NULL);
}

char *
desk_json_path_index (const char *path,
                      guint       index)
{
  return g_strdup_printf ("%s[%u]", path != NULL ? path : "", index);
}

void
desk_json_set_error (GError        **error,
                     DeskJsonError   code,
                     const char     *path,
                     const char     *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (error == NULL)
    return;
  g_return_if_fail (*error == NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* The server splits at the first ": " to build the 422 "fields" list. */
  if (path != NULL && *path != '\0')
    g_set_error (error, DESK_JSON_ERROR, code, "%s: %s", path, message);
  else
    g_set_error_literal (error, DESK_JSON_ERROR, code, message);
}

/* ---- member readers (desk-json-private.h) -------------------------------- */

gboolean
desk_json_node_is_int (JsonNode *node)
{
  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

gboolean
desk_json_node_is_string (JsonNode *node)
{
  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

JsonObject *
desk_json_expect_object (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      desk_json_set_error (error, DESK_JSON_ERROR_TYPE, path, _("must be an object"));
      return NULL;
    }
  return json_node_get_object (node);
}

JsonArray *
desk_json_expect_array (JsonNode    *node,
                        const char  *path,
                        GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      desk_json_set_error (error, DESK_JSON_ERROR_TYPE, path, _("must be an array"));
      return NULL;
    }
  return json_node_get_array (node);
}

/* Returns the member, or NULL with *ok set to whether its absence (or null)
 * is acceptable. */
static JsonNode *
lookup_member (JsonObject     *object,
               const char     *path,
               const char     *name,
               DeskReadFlags   flags,
               const char     *type_message,
               gboolean       *was_null,
               gboolean       *ok,
               GError        **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *ok = TRUE;
  if (was_null != NULL)
    *was_null = FALSE;

  if (node == NULL)
    {
      if (flags & DESK_READ_REQUIRED)
        {
          g_autofree char *member_path = desk_json_path_join (path, name);

          desk_json_set_error (error, DESK_JSON_ERROR_MISSING, member_path, _("required"));
          *ok = FALSE;
        }
      else if (was_null != NULL)
        *was_null = TRUE;
      return NULL;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (flags & DESK_READ_NULLABLE)
        {
          if (was_null != NULL)
            *was_null = TRUE;
          return NULL;
        }
      else
        {
          g_autofree char *member_path = desk_json_path_join (path, name);

          desk_json_set_error (error, DESK_JSON_ERROR_TYPE, member_path, "%s", type_message);
          *ok = FALSE;
          return NULL;
        }
    }

  return node;
}

gboolean
desk_json_read_string (JsonObject     *object,
                       const char     *path,
                       const char     *name,
                       DeskReadFlags   flags,
                       char          **out,
                       GError        **error)
{
  const char *message = (flags & DESK_READ_NULLABLE) ? _("must be a string or null")
                                                     : _("must be a string");
  JsonNode *node;
  gboolean ok;

  *out = NULL;
  node = lookup_member (object, path, name, flags, message, NULL, &ok, error);
  if (node == NULL)
    return ok;

  if (!desk_json_node_is_string (node))
    {
      g_autofree char *member_path = desk_json_path_join (path, name);

      desk_json_set_error (error, DESK_JSON_ERROR_TYPE, member_path, "%s", message);
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
desk_json_read_int (JsonObject     *object,
                    const char     *path,
                    const char     *name,
                    DeskReadFlags   flags,
                    gint64          min,
                    gint64          max,
                    gboolean       *is_null,
                    gint64         *out,
                    GError        **error)
{
  const char *message = (flags & DESK_READ_NULLABLE) ? _("must be an integer or null")
                                                     : _("must be an integer");
  JsonNode *node;
  gboolean ok;
  gint64 value;

  *out = 0;
  node = lookup_member (object, path, name, flags, message, is_null, &ok, error);
  if (node == NULL)
    return ok;

  if (!desk_json_node_is_int (node))
    {
      g_autofree char *member_path = desk_json_path_join (path, name);

      desk_json_set_error (error, DESK_JSON_ERROR_TYPE, member_path, "%s", message);
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *member_path = desk_json_path_join (path, name);
      g_autofree char *min_str = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *max_str = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      desk_json_set_error (error, DESK_JSON_ERROR_RANGE, member_path,
                           _("must be between %s and %s"), min_str, max_str);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
desk_json_read_double (JsonObject     *object,
                       const char     *path,
                       const char     *name,
                       DeskReadFlags   flags,
                       double          min,
                       double          max,
                       double         *out,
                       GError        **error)
{
  const char *message = _("must be a number");
  JsonNode *node;
  gboolean ok;
  double value;

  *out = 0.0;
  node = lookup_member (object, path, name, flags, message, NULL, &ok, error);
  if (node == NULL)
    return ok;

  if (!node_is_number (node))
    {
      g_autofree char *member_path = desk_json_path_join (path, name);

      desk_json_set_error (error, DESK_JSON_ERROR_TYPE, member_path, "%s", message);
      return FALSE;
    }

  value = json_node_get_double (node);
  if (!isfinite (value) || value < min || value > max)
    {
      g_autofree char *member_path = desk_json_path_join (path, name);

      desk_json_set_error (error, DESK_JSON_ERROR_RANGE, member_path,
                           _("must be between %g and %g"), min, max);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
desk_json_read_bool (JsonObject     *object,
                     const char     *path,
                     const char     *name,
                     DeskReadFlags   flags,
                     gboolean       *out,
                     GError        **error)
{
  const char *message = _("must be a boolean");
  JsonNode *node;
  gboolean ok;

  *out = FALSE;
  node = lookup_member (object, path, name, flags, message, NULL, &ok, error);
  if (node == NULL)
    return ok;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *member_path = desk_json_path_join (path, name);

      desk_json_set_error (error, DESK_JSON_ERROR_TYPE, member_path, "%s", message);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
desk_json_read_strv (JsonObject     *object,
                     const char     *path,
                     const char     *name,
                     DeskReadFlags   flags,
                     guint           max_items,
                     GStrv          *out,
                     GError        **error)
{
  g_autofree char *member_path = desk_json_path_join (path, name);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  JsonNode *node;
  gboolean ok;
  guint n;

  *out = NULL;
  node = lookup_member (object, path, name, flags, _("must be an array"), NULL, &ok, error);
  if (node == NULL)
    return ok;

  array = desk_json_expect_array (node, member_path, error);
  if (array == NULL)
    return FALSE;

  n = json_array_get_length (array);
  if (n > max_items)
    {
      desk_json_set_error (error, DESK_JSON_ERROR_RANGE, member_path,
                           _("must have at most %u items"), max_items);
      return FALSE;
    }

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!desk_json_node_is_string (item))
        {
          g_autofree char *item_path = desk_json_path_index (member_path, i);

          desk_json_set_error (error, DESK_JSON_ERROR_TYPE, item_path, _("must be a string"));
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (item));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

JsonObject *
desk_json_collect_extra (JsonObject         *object,
                         const char * const *known)
{
  g_autoptr(JsonObject) extra = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (known != NULL && g_strv_contains (known, name))
        continue;
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, name, desk_json_node_deep_copy (member));
    }

  return g_steal_pointer (&extra);
}

gboolean
desk_json_refuse_unknown (JsonObject         *object,
                          const char         *path,
                          const char * const *known,
                          GError            **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (known == NULL || !g_strv_contains (known, name))
        {
          g_autofree char *member_path = desk_json_path_join (path, name);

          desk_json_set_error (error, DESK_JSON_ERROR_UNKNOWN, member_path, _("not allowed"));
          return FALSE;
        }
    }

  return TRUE;
}

void
desk_json_append_extra (JsonObject *out,
                        JsonObject *extra)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (extra == NULL)
    return;

  json_object_iter_init_ordered (&iter, extra);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (!json_object_has_member (out, name))
      json_object_set_member (out, name, desk_json_node_deep_copy (member));
}

JsonObject *
desk_json_object_deep_copy (JsonObject *object)
{
  JsonObject *copy;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (object == NULL)
    return NULL;

  copy = json_object_new ();
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (copy, name, desk_json_node_deep_copy (member));
  return copy;
}

/* json_node_copy() shares objects and arrays between the copies; extras
 * outlive the trees they came from and must not be shared. */
JsonNode *
desk_json_node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  if (node == NULL)
    return NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, desk_json_object_deep_copy (json_node_get_object (node)));
      return copy;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        JsonArray *array_copy = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (array_copy,
                                  desk_json_node_deep_copy (json_array_get_element (array, i)));
        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, array_copy);
        return copy;
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

gboolean
desk_json_object_equal0 (JsonObject *a,
                         JsonObject *b)
{
  gboolean a_empty = a == NULL || json_object_get_size (a) == 0;
  gboolean b_empty = b == NULL || json_object_get_size (b) == 0;

  if (a_empty || b_empty)
    return a_empty == b_empty;
  return json_object_equal (a, b);
}

void
desk_json_set_string_or_null (JsonObject *out,
                              const char *name,
                              const char *value)
{
  if (value == NULL)
    json_object_set_null_member (out, name);
  else
    json_object_set_string_member (out, name, value);
}

JsonNode *
desk_json_strv_to_node (const char * const *strv)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  json_node_take_array (node, array);
  return node;
}
