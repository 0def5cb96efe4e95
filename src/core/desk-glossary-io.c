/* desk-glossary-io.c: glossary import and export: CSV (RFC 4180) and textlint-rule-prh dictionaries
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-glossary-io.h"

G_DEFINE_QUARK (desk-glossary-io-error-quark, desk_glossary_io_error)

static gboolean
check_input (const char **text,
             gssize      *length,
             GError     **error)
{
  const char *end;

  if (*length < 0)
    *length = strlen (*text);
  if ((gsize) *length > DESK_GLOSSARY_IO_MAX_INPUT)
    {
      g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_INVALID,
                   _("The file is too large for a glossary (more than %u MB)"),
                   (guint) (DESK_GLOSSARY_IO_MAX_INPUT / (1024 * 1024)));
      return FALSE;
    }
  if (!g_utf8_validate (*text, *length, &end))
    {
      guint line = 1;

      for (const char *p = *text; p < end; p++)
        line += *p == '\n';
      g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_SYNTAX,
                   _("Line %u: the text is not UTF-8 (or contains a NUL)"), line);
      return FALSE;
    }
  if (*length >= 3 && memcmp (*text, "\xef\xbb\xbf", 3) == 0)
    {
      *text += 3;
      *length -= 3;
    }
  return TRUE;
}

/* Adds @variant to @forbidden unless empty, equal to @target or already there. */
static void
add_variant (GPtrArray  *forbidden,
             const char *variant,
             const char *target)
{
  if (variant[0] == '\0' || g_strcmp0 (variant, target) == 0)
    return;
  for (guint i = 0; i < forbidden->len; i++)
    if (strcmp (g_ptr_array_index (forbidden, i), variant) == 0)
      return;
  g_ptr_array_add (forbidden, g_strdup (variant));
}

static GStrv
variants_steal (GPtrArray *forbidden)
{
  g_ptr_array_add (forbidden, NULL);
  return (GStrv) g_ptr_array_free (forbidden, FALSE);
}

/* ---- CSV ----------------------------------------------------------------------- */

typedef struct {
  const char *p;
  const char *end;
  guint       line;
} Csv;

/* Reads one row into @fields; FALSE without error at the end of input. */
static gboolean
csv_read_row (Csv        *c,
              GPtrArray  *fields,
              guint      *row_line,
              GError    **error)
{
  g_ptr_array_set_size (fields, 0);

  /* Blank lines between rows. */
  for (;;)
    {
      if (c->p < c->end && *c->p == '\n')
        c->p++, c->line++;
      else if (c->end - c->p >= 2 && c->p[0] == '\r' && c->p[1] == '\n')
        c->p += 2, c->line++;
      else
        break;
    }
  if (c->p >= c->end)
    return FALSE;
  *row_line = c->line;

  for (;;)
    {
      g_autoptr(GString) field = g_string_new (NULL);

      if (c->p < c->end && *c->p == '"')
        {
          guint start_line = c->line;

          c->p++;
          for (;;)
            {
              if (c->p >= c->end)
                {
                  g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_SYNTAX,
                               _("Line %u: a quoted field is not closed"), start_line);
                  return FALSE;
                }
              if (*c->p == '"')
                {
                  if (c->p + 1 < c->end && c->p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      c->p += 2;
                      continue;
                    }
                  c->p++;
                  break;
                }
              if (*c->p == '\n')
                c->line++;
              g_string_append_c (field, *c->p++);
            }
          if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
              !(c->end - c->p >= 2 && c->p[0] == '\r' && c->p[1] == '\n'))
            {
              g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_SYNTAX,
                           _("Line %u: text after the closing quote of a field"), c->line);
              return FALSE;
            }
        }
      else
        {
          while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
            {
              if (*c->p == '"')
                {
                  g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_SYNTAX,
                               _("Line %u: a quote inside an unquoted field (quote the whole field and double the quote)"),
                               c->line);
                  return FALSE;
                }
              g_string_append_c (field, *c->p++);
            }
          if (c->p < c->end && *c->p == '\r' && !(c->p + 1 < c->end && c->p[1] == '\n'))
            {
              g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_SYNTAX,
                           _("Line %u: a carriage return outside quotes"), c->line);
              return FALSE;
            }
        }
      g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));

      if (c->p < c->end && *c->p == ',')
        {
          c->p++;
          continue;
        }
      if (c->p < c->end && *c->p == '\r')
        c->p++;
      if (c->p < c->end && *c->p == '\n')
        c->p++, c->line++;
      return TRUE;
    }
}

static gboolean
is_header (GPtrArray *fields)
{
  static const char * const names[] = { "source", "target", "forbidden", "note" };

  if (fields->len < 2 || fields->len > 4)
    return FALSE;
  for (guint i = 0; i < fields->len; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (g_ptr_array_index (fields, i)));
      if (g_ascii_strcasecmp (name, names[i]) != 0)
        return FALSE;
    }
  return TRUE;
}

GPtrArray *
desk_glossary_csv_parse (const char *text,
                         gssize      length,
                         GError    **error)
{
  g_autoptr(GPtrArray) terms = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) sources = g_hash_table_new (g_str_hash, g_str_equal);
  Csv c;
  guint row_line = 0;
  gboolean first = TRUE;

  g_return_val_if_fail (text != NULL, NULL);

  if (!check_input (&text, &length, error))
    return NULL;
  c.p = text;
  c.end = text + length;
  c.line = 1;
  terms = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_glossary_term_free);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(DeskGlossaryTerm) term = NULL;
      g_autoptr(GPtrArray) forbidden = NULL;
      g_auto(GStrv) parts = NULL;
      char *source, *target;

      if (!csv_read_row (&c, fields, &row_line, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;
        }
      if (first && is_header (fields))
        {
          first = FALSE;
          continue;
        }
      first = FALSE;
      if (fields->len < 2 || fields->len > 4)
        {
          g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_SYNTAX,
                       _("Line %u: expected 2 to 4 fields (source, target, forbidden, note), found %u"),
                       row_line, fields->len);
          return NULL;
        }
      source = g_strstrip (g_ptr_array_index (fields, 0));
      target = g_strstrip (g_ptr_array_index (fields, 1));
      if (source[0] == '\0' || target[0] == '\0')
        {
          g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_INVALID,
                       _("Line %u: the source and the target must not be empty"), row_line);
          return NULL;
        }
      if (g_hash_table_contains (sources, source))
        {
          g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_INVALID,
                       _("Line %u: the source “%s” appears twice"), row_line, source);
          return NULL;
        }
      term = desk_glossary_term_new (source, target);
      forbidden = g_ptr_array_new ();
      if (fields->len >= 3)
        {
          parts = g_strsplit (g_ptr_array_index (fields, 2), "|", -1);
          for (guint i = 0; parts[i] != NULL; i++)
            add_variant (forbidden, g_strstrip (parts[i]), term->target);
        }
      g_strfreev (term->forbidden);
      term->forbidden = variants_steal (g_steal_pointer (&forbidden));
      if (fields->len >= 4)
        {
          g_free (term->note);
          term->note = g_strdup (g_ptr_array_index (fields, 3));
        }
      g_hash_table_add (sources, term->source);
      g_ptr_array_add (terms, g_steal_pointer (&term));
    }
  return g_steal_pointer (&terms);
}

static void
csv_append_field (GString    *out,
                  const char *value)
{
  gsize len = strlen (value);

  if (strpbrk (value, ",\"\r\n") == NULL &&
      !(len > 0 && (g_ascii_isspace (value[0]) || g_ascii_isspace (value[len - 1]))))
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
desk_glossary_csv_write (GPtrArray  *terms,
                         GError    **error)
{
  g_autoptr(GString) out = g_string_new ("source,target,forbidden,note\r\n");

  g_return_val_if_fail (terms != NULL, NULL);

  for (guint i = 0; i < terms->len; i++)
    {
      const DeskGlossaryTerm *term = g_ptr_array_index (terms, i);
      g_autofree char *forbidden = NULL;

      for (guint j = 0; term->forbidden != NULL && term->forbidden[j] != NULL; j++)
        if (strchr (term->forbidden[j], '|') != NULL)
          {
            g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_INVALID,
                         _("The forbidden variant “%s” of “%s” contains “|”, which separates variants in CSV"),
                         term->forbidden[j], term->source);
            return NULL;
          }
      forbidden = g_strjoinv ("|", term->forbidden != NULL ? term->forbidden : (GStrv) (const char *[]) { NULL });
      csv_append_field (out, term->source);
      g_string_append_c (out, ',');
      csv_append_field (out, term->target);
      g_string_append_c (out, ',');
      csv_append_field (out, forbidden);
      g_string_append_c (out, ',');
      csv_append_field (out, term->note != NULL ? term->note : "");
      g_string_append (out, "\r\n");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- a YAML subset --------------------------------------------------------------- */

typedef enum {
  Y_NULL,
  Y_SCALAR,
  Y_SEQ,
  Y_MAP,
} YKind;

typedef struct _YNode YNode;
struct _YNode {
  YKind      kind;
  guint      line;
  char      *scalar;   /* Y_SCALAR */
  GPtrArray *items;    /* Y_SEQ, Y_MAP: YNode* */
  GPtrArray *keys;     /* Y_MAP: char*, parallel to items */
};

static void
ynode_free (YNode *node)
{
  if (node == NULL)
    return;
  g_free (node->scalar);
  g_clear_pointer (&node->items, g_ptr_array_unref);
  g_clear_pointer (&node->keys, g_ptr_array_unref);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YNode, ynode_free)

static YNode *
ynode_new (YKind kind,
           guint line)
{
  YNode *node = g_new0 (YNode, 1);

  node->kind = kind;
  node->line = line;
  if (kind == Y_SEQ || kind == Y_MAP)
    node->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ynode_free);
  if (kind == Y_MAP)
    node->keys = g_ptr_array_new_with_free_func (g_free);
  return node;
}

static YNode *
ymap_get (YNode      *map,
          const char *key)
{
  for (guint i = 0; i < map->keys->len; i++)
    if (strcmp (g_ptr_array_index (map->keys, i), key) == 0)
      return g_ptr_array_index (map->items, i);
  return NULL;
}

typedef struct {
  guint  number;
  int    indent;
  char  *raw;     /* the whole line, without its line end */
  char  *owned;   /* the line without its comment and trailing space */
  char  *text;    /* within @owned, after the indentation (moved on for "- ") */
  gboolean blank;
} YLine;

typedef struct {
  GArray *lines;   /* YLine */
  guint   pos;
} YParser;

static void
yline_clear (YLine *line)
{
  g_free (line->raw);
  g_free (line->owned);
}

static gboolean
ysyntax (GError    **error,
         guint       line,
         const char *what)
{
  g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_SYNTAX,
               _("Line %u: %s"), line, what);
  return FALSE;
}

static gboolean
yunsupported (GError    **error,
              guint       line,
              const char *what)
{
  g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_UNSUPPORTED,
               _("Line %u: %s"), line, what);
  return FALSE;
}

/* Cuts a comment: "#" at the start or after white space, outside quotes. */
static void
strip_comment (char *s)
{
  char quote = 0;

  for (char *p = s; *p; p++)
    {
      if (quote == '"')
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            quote = 0;
        }
      else if (quote == '\'')
        {
          if (*p == '\'' && p[1] == '\'')
            p++;
          else if (*p == '\'')
            quote = 0;
        }
      else if ((*p == '"' || *p == '\'') &&
               (p == s || strchr (" \t[,", p[-1]) != NULL))
        quote = *p;
      else if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t'))
        {
          *p = '\0';
          break;
        }
    }
  g_strchomp (s);
}

static gboolean
split_lines (YParser    *y,
             const char *text,
             gsize       length,
             GError    **error)
{
  const char *p = text, *end = text + length;
  guint number = 0;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *next;
      YLine line = { 0 };
      char *s;

      if (eol == NULL)
        eol = end;
      next = eol < end ? eol + 1 : end;
      if (eol > p && eol[-1] == '\r')
        eol--;
      line.number = ++number;
      line.raw = g_strndup (p, eol - p);
      line.owned = g_strdup (line.raw);
      for (s = line.owned; *s == ' '; s++)
        line.indent++;
      if (*s == '\t')
        {
          yline_clear (&line);
          return ysyntax (error, number, _("a tab in the indentation (YAML indents with spaces)"));
        }
      line.text = s;
      strip_comment (s);
      line.blank = *s == '\0';
      if (line.indent == 0 && strcmp (s, "...") == 0)
        {
          /* The end of the document; what follows is not read. */
          yline_clear (&line);
          break;
        }
      g_array_append_val (y->lines, line);
      p = next;
    }
  return TRUE;
}

static YLine *
ycurrent (YParser *y)
{
  while (y->pos < y->lines->len && g_array_index (y->lines, YLine, y->pos).blank)
    y->pos++;
  return y->pos < y->lines->len ? &g_array_index (y->lines, YLine, y->pos) : NULL;
}

static gboolean
is_seq_item (const char *text)
{
  return text[0] == '-' && (text[1] == '\0' || text[1] == ' ');
}

/* Where the ":" of "key: value" is (outside quotes), or NULL. */
static const char *
find_key_colon (const char *text)
{
  const char *p = text;

  if (*p == '"' || *p == '\'')
    {
      char quote = *p++;

      for (; *p; p++)
        {
          if (quote == '"' && *p == '\\' && p[1] != '\0')
            p++;
          else if (quote == '\'' && *p == '\'' && p[1] == '\'')
            p++;
          else if (*p == quote)
            {
              p++;
              break;
            }
        }
      while (*p == ' ')
        p++;
      return *p == ':' && (p[1] == '\0' || p[1] == ' ') ? p : NULL;
    }
  for (; *p; p++)
    if (*p == ':' && (p[1] == '\0' || p[1] == ' '))
      return p;
  return NULL;
}

static gboolean
parse_double_quoted (const char **pp,
                     guint        line,
                     GString     *out,
                     GError     **error)
{
  const char *p = *pp + 1;

  for (;;)
    {
      if (*p == '\0')
        return ysyntax (error, line, _("a double-quoted string is not closed on its line"));
      if (*p == '"')
        break;
      if (*p != '\\')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      p++;
      switch (*p)
        {
        case '\\': g_string_append_c (out, '\\'); break;
        case '"': g_string_append_c (out, '"'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case ' ': g_string_append_c (out, ' '); break;
        case 'x':
        case 'u':
        case 'U':
          {
            int digits = *p == 'x' ? 2 : *p == 'u' ? 4 : 8;
            gunichar c = 0;

            for (int i = 1; i <= digits; i++)
              {
                if (!g_ascii_isxdigit (p[i]))
                  return ysyntax (error, line, _("a bad \\x, \\u or \\U escape in a double-quoted string"));
                c = c * 16 + g_ascii_xdigit_value (p[i]);
              }
            if (c == 0 || !g_unichar_validate (c))
              return ysyntax (error, line, _("a bad \\x, \\u or \\U escape in a double-quoted string"));
            g_string_append_unichar (out, c);
            p += digits;
            break;
          }
        default:
          return ysyntax (error, line, _("an unknown escape in a double-quoted string"));
        }
      p++;
    }
  *pp = p + 1;
  return TRUE;
}

static gboolean
parse_single_quoted (const char **pp,
                     guint        line,
                     GString     *out,
                     GError     **error)
{
  const char *p = *pp + 1;

  for (;;)
    {
      if (*p == '\0')
        return ysyntax (error, line, _("a single-quoted string is not closed on its line"));
      if (*p == '\'')
        {
          if (p[1] != '\'')
            break;
          p++;
        }
      g_string_append_c (out, *p++);
    }
  *pp = p + 1;
  return TRUE;
}

/* One scalar: quoted, or plain up to @stops (NUL always stops). */
static YNode *
parse_scalar (const char **pp,
              guint        line,
              const char  *stops,
              GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = *pp;
  YNode *node;

  while (*p == ' ')
    p++;
  if (*p == '"' || *p == '\'')
    {
      if (!(*p == '"' ? parse_double_quoted (&p, line, out, error)
                      : parse_single_quoted (&p, line, out, error)))
        return NULL;
      node = ynode_new (Y_SCALAR, line);
      node->scalar = g_string_free (g_steal_pointer (&out), FALSE);
      *pp = p;
      return node;
    }
  if (*p == '&' || *p == '*' || *p == '!')
    {
      yunsupported (error, line, _("anchors, aliases and tags are not supported"));
      return NULL;
    }
  if (*p == '{')
    {
      yunsupported (error, line, _("flow mappings ({…}) are not supported"));
      return NULL;
    }
  if (*p == '[' && stops[0] != '\0')
    {
      yunsupported (error, line, _("nested flow sequences are not supported"));
      return NULL;
    }
  while (*p && strchr (stops, *p) == NULL)
    g_string_append_c (out, *p++);
  *pp = p;
  g_strstrip (out->str);
  if (out->str[0] == '\0' || strcmp (out->str, "~") == 0 || strcmp (out->str, "null") == 0)
    return ynode_new (Y_NULL, line);
  node = ynode_new (Y_SCALAR, line);
  node->scalar = g_strdup (out->str);
  return node;
}

/* A value on the rest of a line: a scalar or a flow sequence of scalars. */
static YNode *
parse_inline (const char *text,
              guint       line,
              GError    **error)
{
  g_autoptr(YNode) node = NULL;
  const char *p = text;

  if (*p == '[')
    {
      node = ynode_new (Y_SEQ, line);
      p++;
      while (*p == ' ')
        p++;
      if (*p == ']')
        p++;
      else
        for (;;)
          {
            YNode *item = parse_scalar (&p, line, ",]", error);

            if (item == NULL)
              return NULL;
            g_ptr_array_add (node->items, item);
            while (*p == ' ')
              p++;
            if (*p == ',')
              {
                p++;
                continue;
              }
            if (*p == ']')
              {
                p++;
                break;
              }
            ysyntax (error, line, _("a flow sequence is not closed with “]” on its line"));
            return NULL;
          }
    }
  else if ((node = parse_scalar (&p, line, "", error)) == NULL)
    return NULL;
  while (*p == ' ')
    p++;
  if (*p != '\0')
    {
      ysyntax (error, line, _("unexpected text after a value"));
      return NULL;
    }
  return g_steal_pointer (&node);
}

/* | or > after a key at @indent; reads the lines below it. */
static YNode *
parse_block_scalar (YParser    *y,
                    const char *header,
                    int         indent,
                    guint       line,
                    GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean folded = header[0] == '>';
  char chomp = header[1];
  int block_indent = -1;
  gboolean previous_blank = TRUE;
  YNode *node;

  if (!((chomp == '\0') || ((chomp == '-' || chomp == '+') && header[2] == '\0')))
    {
      yunsupported (error, line, _("only |, |-, |+, >, >- and >+ block scalars are supported"));
      return NULL;
    }
  while (y->pos < y->lines->len)
    {
      YLine *l = &g_array_index (y->lines, YLine, y->pos);
      gboolean blank = l->raw[strspn (l->raw, " ")] == '\0';

      if (!blank && l->indent <= indent)
        break;
      y->pos++;
      if (blank)
        {
          g_string_append_c (out, '\n');
          previous_blank = TRUE;
          continue;
        }
      if (block_indent < 0)
        block_indent = l->indent;
      if (l->indent < block_indent)
        {
          ysyntax (error, l->number, _("a block scalar's line is indented less than its first line"));
          return NULL;
        }
      if (folded && !previous_blank && out->len > 0 && out->str[out->len - 1] == '\n')
        out->str[out->len - 1] = ' ';
      g_string_append (out, l->raw + block_indent);
      g_string_append_c (out, '\n');
      previous_blank = FALSE;
    }
  if (chomp != '+')
    {
      while (out->len > 0 && out->str[out->len - 1] == '\n')
        g_string_truncate (out, out->len - 1);
      if (chomp == '\0' && out->len > 0)
        g_string_append_c (out, '\n');
    }
  node = ynode_new (Y_SCALAR, line);
  node->scalar = g_string_free (g_steal_pointer (&out), FALSE);
  return node;
}

static YNode *parse_block (YParser *y, int indent, GError **error);

static gboolean
check_no_deeper (YParser *y,
                 int      indent,
                 GError **error)
{
  YLine *l = ycurrent (y);

  if (l != NULL && l->indent > indent)
    return ysyntax (error, l->number,
                    _("unexpected indentation (a value spread over several lines must be quoted or use | or >)"));
  return TRUE;
}

/* The value after "key:" or "- " when it is on the following lines. */
static YNode *
parse_nested (YParser *y,
              int      indent,
              guint    line,
              gboolean allow_same_indent_seq,
              GError **error)
{
  YLine *next = ycurrent (y);

  if (next != NULL && next->indent > indent)
    return parse_block (y, next->indent, error);
  if (allow_same_indent_seq && next != NULL && next->indent == indent && is_seq_item (next->text))
    return parse_block (y, indent, error);
  return ynode_new (Y_NULL, line);
}

static YNode *
parse_seq (YParser *y,
           int      indent,
           GError **error)
{
  g_autoptr(YNode) node = NULL;
  YLine *l;

  l = ycurrent (y);
  node = ynode_new (Y_SEQ, l->number);
  while ((l = ycurrent (y)) != NULL && l->indent == indent && is_seq_item (l->text))
    {
      const char *rest = l->text + 1;
      YNode *item;

      while (*rest == ' ')
        rest++;
      if (*rest == '\0')
        {
          y->pos++;
          item = parse_nested (y, indent, l->number, FALSE, error);
        }
      else if (is_seq_item (rest) || find_key_colon (rest) != NULL)
        {
          /* "- key: value": the mapping starts at the column of "key". */
          l->indent += rest - l->text;
          l->text = (char *) rest;
          item = parse_block (y, l->indent, error);
        }
      else if (rest[0] == '|' || rest[0] == '>')
        {
          guint number = l->number;

          y->pos++;
          item = parse_block_scalar (y, rest, indent, number, error);
        }
      else
        {
          y->pos++;
          item = parse_inline (rest, l->number, error);
        }
      if (item == NULL)
        return NULL;
      g_ptr_array_add (node->items, item);
      if (!check_no_deeper (y, indent, error))
        return NULL;
    }
  return g_steal_pointer (&node);
}

static YNode *
parse_map (YParser *y,
           int      indent,
           GError **error)
{
  g_autoptr(YNode) node = NULL;
  YLine *l;

  l = ycurrent (y);
  node = ynode_new (Y_MAP, l->number);
  while ((l = ycurrent (y)) != NULL && l->indent == indent && !is_seq_item (l->text))
    {
      const char *colon = find_key_colon (l->text);
      const char *value;
      g_autofree char *key = NULL;
      g_autoptr(YNode) key_node = NULL;
      const char *kp = l->text;
      guint number = l->number;
      YNode *item;

      if (colon == NULL)
        {
          ysyntax (error, number, _("expected “key: value”"));
          return NULL;
        }
      {
        g_autofree char *key_text = g_strndup (l->text, colon - l->text);
        kp = key_text;
        if (key_text[0] == '?')
          {
            yunsupported (error, number, _("complex keys (?) are not supported"));
            return NULL;
          }
        key_node = parse_scalar (&kp, number, "", error);
        if (key_node == NULL)
          return NULL;
      }
      if (key_node->kind != Y_SCALAR)
        {
          ysyntax (error, number, _("a key is empty"));
          return NULL;
        }
      key = g_strdup (key_node->scalar);
      if (ymap_get (node, key) != NULL)
        {
          g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_SYNTAX,
                       _("Line %u: the key “%s” appears twice"), number, key);
          return NULL;
        }
      value = colon + 1;
      while (*value == ' ')
        value++;
      y->pos++;
      if (*value == '\0')
        item = parse_nested (y, indent, number, TRUE, error);
      else if (value[0] == '|' || value[0] == '>')
        item = parse_block_scalar (y, value, indent, number, error);
      else
        item = parse_inline (value, number, error);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (node->keys, g_steal_pointer (&key));
      g_ptr_array_add (node->items, item);
      if (!check_no_deeper (y, indent, error))
        return NULL;
    }
  return g_steal_pointer (&node);
}

static YNode *
parse_block (YParser *y,
             int      indent,
             GError **error)
{
  YLine *l = ycurrent (y);

  g_assert (l != NULL && l->indent == indent);
  if (is_seq_item (l->text))
    return parse_seq (y, indent, error);
  if (find_key_colon (l->text) == NULL)
    {
      /* A document that is one scalar, or a stray line. */
      ysyntax (error, l->number, _("expected “key: value” or “- item”"));
      return NULL;
    }
  return parse_map (y, indent, error);
}

static YNode *
yaml_parse (const char *text,
            gsize       length,
            GError    **error)
{
  YParser y = { 0 };
  g_autoptr(YNode) root = NULL;
  YLine *l;

  y.lines = g_array_new (FALSE, TRUE, sizeof (YLine));
  g_array_set_clear_func (y.lines, (GDestroyNotify) yline_clear);
  if (!split_lines (&y, text, length, error))
    goto out;

  /* Directives and document markers: "---" opens the one document read. */
  l = ycurrent (&y);
  if (l != NULL && l->indent == 0 && l->text[0] == '%')
    {
      yunsupported (error, l->number, _("YAML directives (%…) are not supported"));
      goto out;
    }
  if (l != NULL && l->indent == 0 && (strcmp (l->text, "---") == 0))
    {
      y.pos++;
      l = ycurrent (&y);
    }
  if (l == NULL)
    {
      root = ynode_new (Y_NULL, 1);
      goto out;
    }
  if (l->indent != 0)
    {
      ysyntax (error, l->number, _("the document must start at the first column"));
      goto out;
    }
  root = parse_block (&y, 0, error);
  if (root == NULL)
    goto out;
  l = ycurrent (&y);
  if (l != NULL)
    {
      if (strcmp (l->text, "---") == 0)
        yunsupported (error, l->number, _("only one YAML document per file is supported"));
      else
        ysyntax (error, l->number, _("unexpected text (check the indentation)"));
      g_clear_pointer (&root, ynode_free);
    }

out:
  g_array_unref (y.lines);
  return g_steal_pointer (&root);
}

/* ---- prh ----------------------------------------------------------------------- */

static gboolean
invalid (GError    **error,
         guint       line,
         const char *what)
{
  g_set_error (error, DESK_GLOSSARY_IO_ERROR, DESK_GLOSSARY_IO_ERROR_INVALID,
               _("Line %u: %s"), line, what);
  return FALSE;
}

/* prh writes a regular expression as /source/flags. */
static gboolean
is_prh_regex (const char *pattern)
{
  const char *last;
  gsize len = strlen (pattern);

  if (len < 3 || pattern[0] != '/')
    return FALSE;
  last = strrchr (pattern, '/');
  if (last == pattern)
    return FALSE;
  for (const char *p = last + 1; *p; p++)
    if (!g_ascii_islower (*p))
      return FALSE;
  return TRUE;
}

GPtrArray *
desk_glossary_prh_parse (const char *text,
                         gssize      length,
                         guint      *n_regex,
                         GError    **error)
{
  g_autoptr(YNode) root = NULL;
  g_autoptr(GPtrArray) terms = NULL;
  g_autoptr(GHashTable) by_expected = g_hash_table_new (g_str_hash, g_str_equal);
  YNode *version, *rules;
  guint regexes = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (!check_input (&text, &length, error))
    return NULL;
  root = yaml_parse (text, length, error);
  if (root == NULL)
    return NULL;
  if (root->kind != Y_MAP)
    {
      invalid (error, root->line, _("a prh dictionary is a mapping with “version: 1” and “rules:”"));
      return NULL;
    }
  version = ymap_get (root, "version");
  if (version == NULL)
    {
      invalid (error, root->line, _("“version: 1” is missing"));
      return NULL;
    }
  if (version->kind != Y_SCALAR || strcmp (version->scalar, "1") != 0)
    {
      invalid (error, version->line, _("only prh dictionaries of version 1 are supported"));
      return NULL;
    }
  if (ymap_get (root, "imports") != NULL)
    {
      yunsupported (error, ymap_get (root, "imports")->line,
                    _("“imports:” is not followed; import each of those files on its own"));
      return NULL;
    }

  terms = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_glossary_term_free);
  rules = ymap_get (root, "rules");
  if (rules == NULL || rules->kind == Y_NULL)
    goto done;
  if (rules->kind != Y_SEQ)
    {
      invalid (error, rules->line, _("“rules:” must be a list"));
      return NULL;
    }

  for (guint i = 0; i < rules->items->len; i++)
    {
      YNode *rule = g_ptr_array_index (rules->items, i);
      YNode *expected, *pattern, *specs, *description;
      g_autoptr(GPtrArray) patterns = g_ptr_array_new ();
      g_autoptr(GPtrArray) forbidden = NULL;
      g_autoptr(GString) regex_note = g_string_new (NULL);
      g_autofree char *target = NULL;
      DeskGlossaryTerm *term;

      if (rule->kind != Y_MAP)
        {
          invalid (error, rule->line, _("a rule must be a mapping with “expected:”"));
          return NULL;
        }
      expected = ymap_get (rule, "expected");
      if (expected == NULL || expected->kind != Y_SCALAR ||
          (target = g_strstrip (g_strdup (expected->scalar)))[0] == '\0')
        {
          invalid (error, expected != NULL ? expected->line : rule->line,
                   _("a rule needs a non-empty “expected:” text"));
          return NULL;
        }

      pattern = ymap_get (rule, "pattern");
      if (pattern == NULL || pattern->kind == Y_NULL)
        ;
      else if (pattern->kind == Y_SCALAR)
        g_ptr_array_add (patterns, pattern->scalar);
      else if (pattern->kind == Y_SEQ)
        for (guint j = 0; j < pattern->items->len; j++)
          {
            YNode *item = g_ptr_array_index (pattern->items, j);

            if (item->kind != Y_SCALAR)
              {
                invalid (error, item->line, _("a pattern must be a text or /regular expression/"));
                return NULL;
              }
            g_ptr_array_add (patterns, item->scalar);
          }
      else
        {
          invalid (error, pattern->line, _("“pattern:” must be a text or a list of texts"));
          return NULL;
        }

      specs = ymap_get (rule, "specs");
      if (specs != NULL && specs->kind != Y_NULL)
        {
          if (specs->kind != Y_SEQ)
            {
              invalid (error, specs->line, _("“specs:” must be a list of “from:”/“to:” pairs"));
              return NULL;
            }
          for (guint j = 0; j < specs->items->len; j++)
            {
              YNode *spec = g_ptr_array_index (specs->items, j);
              YNode *from = spec->kind == Y_MAP ? ymap_get (spec, "from") : NULL;
              YNode *to = spec->kind == Y_MAP ? ymap_get (spec, "to") : NULL;

              if (from == NULL || to == NULL || from->kind != Y_SCALAR || to->kind != Y_SCALAR)
                {
                  invalid (error, spec->line, _("a spec needs “from:” and “to:” texts"));
                  return NULL;
                }
            }
        }

      description = ymap_get (rule, "prh");
      if (description != NULL && description->kind != Y_SCALAR && description->kind != Y_NULL)
        {
          invalid (error, description->line, _("“prh:” must be a text"));
          return NULL;
        }

      term = g_hash_table_lookup (by_expected, target);
      if (term == NULL)
        {
          term = desk_glossary_term_new (target, target);
          g_ptr_array_add (terms, term);
          g_hash_table_insert (by_expected, term->target, term);
        }
      forbidden = g_ptr_array_new ();
      for (guint j = 0; term->forbidden[j] != NULL; j++)
        add_variant (forbidden, term->forbidden[j], target);
      for (guint j = 0; j < patterns->len; j++)
        {
          const char *p = g_ptr_array_index (patterns, j);

          if (is_prh_regex (p))
            {
              regexes++;
              g_string_append_printf (regex_note, "%s%s", regex_note->len > 0 ? ", " : "", p);
            }
          else
            add_variant (forbidden, p, target);
        }
      g_strfreev (term->forbidden);
      term->forbidden = variants_steal (g_steal_pointer (&forbidden));

      {
        g_autoptr(GString) note = g_string_new (term->note);

        if (description != NULL && description->kind == Y_SCALAR)
          {
            g_autofree char *d = g_strstrip (g_strdup (description->scalar));
            if (d[0] != '\0')
              g_string_append_printf (note, "%s%s", note->len > 0 ? "\n" : "", d);
          }
        if (regex_note->len > 0)
          g_string_append_printf (note, "%sprh: %s", note->len > 0 ? "\n" : "", regex_note->str);
        g_free (term->note);
        term->note = g_string_free (g_steal_pointer (&note), FALSE);
      }
    }

done:
  if (n_regex != NULL)
    *n_regex = regexes;
  return g_steal_pointer (&terms);
}

/* ---- merge --------------------------------------------------------------------- */

void
desk_glossary_merge_terms (DeskGlossary     *glossary,
                           GPtrArray        *terms,
                           DeskGlossaryMerge mode,
                           guint            *n_added,
                           guint            *n_updated)
{
  guint added = 0, updated = 0;

  g_return_if_fail (glossary != NULL);
  g_return_if_fail (terms != NULL);

  for (guint i = 0; i < terms->len; i++)
    {
      const DeskGlossaryTerm *in = g_ptr_array_index (terms, i);
      int found = -1;

      if (mode == DESK_GLOSSARY_MERGE_ADD_VARIANTS)
        for (guint j = 0; j < glossary->terms->len && found < 0; j++)
          if (g_strcmp0 (((DeskGlossaryTerm *) g_ptr_array_index (glossary->terms, j))->target, in->target) == 0)
            found = j;
      for (guint j = 0; j < glossary->terms->len && found < 0; j++)
        if (g_strcmp0 (((DeskGlossaryTerm *) g_ptr_array_index (glossary->terms, j))->source, in->source) == 0)
          found = j;

      if (found < 0)
        {
          g_ptr_array_add (glossary->terms, desk_glossary_term_copy (in));
          added++;
        }
      else if (mode == DESK_GLOSSARY_MERGE_REPLACE)
        {
          DeskGlossaryTerm *copy = desk_glossary_term_copy (in);
          DeskGlossaryTerm *old = g_ptr_array_index (glossary->terms, found);

          /* Keeps members this app does not know. */
          copy->extra = g_steal_pointer (&old->extra);
          g_ptr_array_index (glossary->terms, found) = copy;
          desk_glossary_term_free (old);
          updated++;
        }
      else
        {
          DeskGlossaryTerm *term = g_ptr_array_index (glossary->terms, found);
          g_autoptr(GPtrArray) forbidden = g_ptr_array_new ();
          guint before = g_strv_length (term->forbidden);

          for (guint j = 0; term->forbidden[j] != NULL; j++)
            add_variant (forbidden, term->forbidden[j], term->target);
          for (guint j = 0; in->forbidden[j] != NULL; j++)
            add_variant (forbidden, in->forbidden[j], term->target);
          if (forbidden->len != before || (term->note[0] == '\0' && in->note[0] != '\0'))
            updated++;
          if (term->note[0] == '\0' && in->note[0] != '\0')
            {
              g_free (term->note);
              term->note = g_strdup (in->note);
            }
          g_strfreev (term->forbidden);
          term->forbidden = variants_steal (g_steal_pointer (&forbidden));
        }
    }
  if (n_added != NULL)
    *n_added = added;
  if (n_updated != NULL)
    *n_updated = updated;
}
