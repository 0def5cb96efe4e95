/* test-json.c: the strict JSON parser and writer against malformed and legal input
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "desk-core.h"

/* ---- malformed input ------------------------------------------------------ */

typedef char *(*MakeInput) (gsize *length);

typedef struct {
  const char    *name;
  const char    *input;   /* or NULL with @make */
  gssize         length;  /* -1: strlen; for embedded NULs, the byte count */
  MakeInput      make;
  DeskJsonError  code;
  const char    *substring;
} BadCase;

static char *
make_repeated (const char *unit,
               guint       count,
               gsize      *length)
{
  GString *s = g_string_sized_new (strlen (unit) * count + 1);

  for (guint i = 0; i < count; i++)
    g_string_append (s, unit);
  *length = s->len;
  return g_string_free (s, FALSE);
}

static char *
make_deep_arrays (gsize *length)
{
  return make_repeated ("[", 100000, length);
}

static char *
make_deep_objects (gsize *length)
{
  return make_repeated ("{\"a\":", 100000, length);
}

static char *
make_nested (guint  depth,
             gsize *length)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  g_string_append (s, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  *length = s->len;
  return g_string_free (s, FALSE);
}

static char *
make_depth_65 (gsize *length)
{
  return make_nested (65, length);
}

static char *
make_depth_65_objects (gsize *length)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 65; i++)
    g_string_append (s, "{\"k\":");
  g_string_append (s, "0");
  for (guint i = 0; i < 65; i++)
    g_string_append_c (s, '}');
  *length = s->len;
  return g_string_free (s, FALSE);
}

static char *
make_9mib_string (gsize *length)
{
  gsize n = 9 * 1024 * 1024;
  char *s = g_malloc (n + 3);

  s[0] = '"';
  memset (s + 1, 'a', n);
  s[n + 1] = '"';
  s[n + 2] = '\0';
  *length = n + 2;
  return s;
}

static const BadCase bad_cases[] = {
  /* structure */
  { "empty", "", -1, NULL, DESK_JSON_ERROR_SYNTAX, "empty input" },
  { "only-whitespace", " \n\t ", -1, NULL, DESK_JSON_ERROR_SYNTAX, "empty input" },
  { "trailing-comma-array", "[1,]", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected character ']'" },
  { "trailing-comma-object", "{\"a\":1,}", -1, NULL, DESK_JSON_ERROR_SYNTAX, "member name" },
  { "trailing-garbage", "[1] x", -1, NULL, DESK_JSON_ERROR_SYNTAX, "expected the end of input" },
  { "two-documents", "{} {}", -1, NULL, DESK_JSON_ERROR_SYNTAX, "expected the end of input" },
  { "missing-comma", "[1 2]", -1, NULL, DESK_JSON_ERROR_SYNTAX, "expected ',' or ']'" },
  { "missing-colon", "{\"a\" 1}", -1, NULL, DESK_JSON_ERROR_SYNTAX, "expected ':'" },
  { "missing-value", "{\"a\":}", -1, NULL, DESK_JSON_ERROR_SYNTAX, "expected a value" },
  { "unquoted-name", "{a:1}", -1, NULL, DESK_JSON_ERROR_SYNTAX, "member name in double quotes" },
  { "numeric-name", "{1:2}", -1, NULL, DESK_JSON_ERROR_SYNTAX, "member name in double quotes" },
  { "unclosed-array", "[", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected end of input" },
  { "unclosed-object", "{\"a\":1", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected end of input" },
  { "unterminated-string", "\"abc", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unterminated string" },
  { "bad-literal-tru", "tru", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected character 't'" },
  { "bad-literal-nul", "[nul]", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected character 'n'" },
  { "capital-true", "True", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected character 'T'" },
  { "duplicate-key", "{\"a\":1,\"a\":2}", -1, NULL, DESK_JSON_ERROR_SYNTAX, "duplicate member \"a\"" },
  { "duplicate-key-nested", "[{\"x\":{\"b\":1,\"b\":1}}]", -1, NULL, DESK_JSON_ERROR_SYNTAX, "duplicate member \"b\"" },
  /* not JSON but accepted by lenient parsers */
  { "line-comment", "// c\n1", -1, NULL, DESK_JSON_ERROR_SYNTAX, "comments are not allowed" },
  { "block-comment", "/* c */ 1", -1, NULL, DESK_JSON_ERROR_SYNTAX, "comments are not allowed" },
  { "trailing-comment", "[1] // x", -1, NULL, DESK_JSON_ERROR_SYNTAX, "comments are not allowed" },
  { "single-quoted-name", "{'a':1}", -1, NULL, DESK_JSON_ERROR_SYNTAX, "single quotes" },
  { "single-quoted-value", "'a'", -1, NULL, DESK_JSON_ERROR_SYNTAX, "single quotes" },
  /* numbers */
  { "leading-zero", "01", -1, NULL, DESK_JSON_ERROR_SYNTAX, "leading zeros" },
  { "leading-zero-negative", "-01", -1, NULL, DESK_JSON_ERROR_SYNTAX, "leading zeros" },
  { "leading-zero-in-array", "[00]", -1, NULL, DESK_JSON_ERROR_SYNTAX, "leading zeros" },
  { "nan", "NaN", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected character 'N'" },
  { "infinity", "Infinity", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected character 'I'" },
  { "minus-infinity", "-Infinity", -1, NULL, DESK_JSON_ERROR_SYNTAX, "expected a digit" },
  { "plus-sign", "+1", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected character '+'" },
  { "leading-dot", ".5", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected character '.'" },
  { "trailing-dot", "1.", -1, NULL, DESK_JSON_ERROR_SYNTAX, "after the decimal point" },
  { "empty-exponent", "1e", -1, NULL, DESK_JSON_ERROR_SYNTAX, "in the exponent" },
  { "hex", "0x10", -1, NULL, DESK_JSON_ERROR_SYNTAX, "unexpected character 'x'" },
  { "lone-minus", "-", -1, NULL, DESK_JSON_ERROR_SYNTAX, "expected a digit" },
  /* ranges */
  { "2^53+1", "9007199254740993", -1, NULL, DESK_JSON_ERROR_RANGE, "out of range" },
  { "-2^53-1", "-9007199254740993", -1, NULL, DESK_JSON_ERROR_RANGE, "out of range" },
  { "2^63", "9223372036854775808", -1, NULL, DESK_JSON_ERROR_RANGE, "out of range" },
  { "2^64", "[18446744073709551616]", -1, NULL, DESK_JSON_ERROR_RANGE, "out of range" },
  { "twenty-nines", "99999999999999999999", -1, NULL, DESK_JSON_ERROR_RANGE, "out of range" },
  { "1e400", "1e400", -1, NULL, DESK_JSON_ERROR_RANGE, "number out of range" },
  { "-1e400", "-1e400", -1, NULL, DESK_JSON_ERROR_RANGE, "number out of range" },
  { "huge-mantissa", "[1.5e99999]", -1, NULL, DESK_JSON_ERROR_RANGE, "number out of range" },
  /* strings and encoding */
  { "escaped-nul", "\"a\\u0000b\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "\\u0000 is not allowed" },
  { "raw-nul", "\"a\0b\"", 5, NULL, DESK_JSON_ERROR_ENCODING, "NUL byte" },
  { "lone-high-surrogate", "\"\\ud800\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "lone high surrogate" },
  { "lone-low-surrogate", "\"\\udc00\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "lone low surrogate" },
  { "high-then-bmp", "\"\\ud800\\u0041\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "not followed by a low surrogate" },
  { "high-then-text", "\"\\ud83dx\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "lone high surrogate" },
  { "raw-tab", "\"a\tb\"", -1, NULL, DESK_JSON_ERROR_SYNTAX, "control character U+0009" },
  { "raw-newline", "\"a\nb\"", -1, NULL, DESK_JSON_ERROR_SYNTAX, "control character U+000A" },
  { "raw-0x1f", "\"\x1f\"", -1, NULL, DESK_JSON_ERROR_SYNTAX, "control character U+001F" },
  { "bad-escape", "\"\\x41\"", -1, NULL, DESK_JSON_ERROR_SYNTAX, "invalid escape" },
  { "short-unicode-escape", "\"\\u12\"", -1, NULL, DESK_JSON_ERROR_SYNTAX, "four hexadecimal digits" },
  { "overlong-utf8", "\"\xc0\xaf\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "invalid UTF-8" },
  { "lone-continuation", "\"\x80\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "invalid UTF-8" },
  { "truncated-sequence", "\"\xe3\x81\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "invalid UTF-8" },
  { "byte-ff", "\"\xff\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "invalid UTF-8 (byte 0xFF)" },
  { "utf8-surrogate", "\"\xed\xa0\x80\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "invalid UTF-8" },
  { "utf8-above-10ffff", "\"\xf4\x90\x80\x80\"", -1, NULL, DESK_JSON_ERROR_ENCODING, "invalid UTF-8" },
  /* caps */
  { "100000-arrays", NULL, 0, make_deep_arrays, DESK_JSON_ERROR_TOO_DEEP, "nesting deeper than 64" },
  { "100000-objects", NULL, 0, make_deep_objects, DESK_JSON_ERROR_TOO_DEEP, "nesting deeper than 64" },
  { "depth-65-arrays", NULL, 0, make_depth_65, DESK_JSON_ERROR_TOO_DEEP, "nesting deeper than 64" },
  { "depth-65-objects", NULL, 0, make_depth_65_objects, DESK_JSON_ERROR_TOO_DEEP, "nesting deeper than 64" },
  { "9-mib-body", NULL, 0, make_9mib_string, DESK_JSON_ERROR_TOO_LARGE, "larger than 8388608 bytes" },
};

static void
test_malformed (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *generated = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *input = c->input;
  gssize length = c->length;

  if (c->make != NULL)
    {
      gsize n;

      generated = c->make (&n);
      input = generated;
      length = (gssize) n;
    }

  node = desk_json_parse (input, length, DESK_JSON_MAX_BYTES, DESK_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, DESK_JSON_ERROR, (int) c->code);
  g_assert_true (g_str_has_prefix (error->message, "line "));
  g_assert_nonnull (strstr (error->message, ": "));
  if (strstr (error->message, c->substring) == NULL)
    g_error ("%s: message \"%s\" lacks \"%s\"", c->name, error->message, c->substring);
}

static void
test_too_large_nul_terminated (void)
{
  gsize n;
  g_autofree char *big = make_9mib_string (&n);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = desk_json_parse (big, -1, DESK_JSON_MAX_BYTES, DESK_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_TOO_LARGE);

  /* One byte over a small cap, and exactly at it. */
  g_clear_error (&error);
  node = desk_json_parse ("[1,2]", -1, 4, 0, &error);
  g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_TOO_LARGE);
  g_clear_error (&error);
  node = desk_json_parse ("[1,2]", -1, 5, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
}

static void
test_error_location (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = desk_json_parse ("{\n  \"a\": tru\n}", -1, 0, 0, &error);
  g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "line 2, column 8: "));
  g_clear_error (&error);

  /* Columns count code points: "あ" is one column, not three bytes. */
  node = desk_json_parse ("[\"あ\", x]", -1, 0, 0, &error);
  g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "line 1, column 7: unexpected character 'x', expected a value");
}

/* ---- legal input ---------------------------------------------------------- */

static void
test_depth_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *ok = NULL;
  gsize n;

  ok = make_nested (64, &n);
  node = desk_json_parse (ok, (gssize) n, DESK_JSON_MAX_BYTES, DESK_JSON_MAX_DEPTH, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);

  /* A smaller cap is honoured too: depth 2 allows [[1]] but not [[[1]]]. */
  node = desk_json_parse ("[[1]]", -1, 0, 2, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);
  node = desk_json_parse ("[[[1]]]", -1, 0, 2, &error);
  g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_TOO_DEEP);
}

static void
test_scalars (void)
{
  struct {
    const char *input;
    GType       type;
  } cases[] = {
    { "0", G_TYPE_INT64 },
    { "-0", G_TYPE_INT64 },
    { "9007199254740992", G_TYPE_INT64 },
    { "-9007199254740992", G_TYPE_INT64 },
    { "1.5", G_TYPE_DOUBLE },
    { "1e2", G_TYPE_DOUBLE },
    { "1E-2", G_TYPE_DOUBLE },
    { "-0.0", G_TYPE_DOUBLE },
    { "true", G_TYPE_BOOLEAN },
    { " \"x\" ", G_TYPE_STRING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = desk_json_parse (cases[i].input, -1, 0, 0, &error);

      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_VALUE (node));
      g_assert_cmpstr (g_type_name (json_node_get_value_type (node)), ==, g_type_name (cases[i].type));
    }

  {
    g_autoptr(JsonNode) max = desk_json_parse ("[9007199254740992,-9007199254740992,null,false]",
                                               -1, 0, 0, NULL);
    JsonArray *array = json_node_get_array (max);

    g_assert_cmpint (json_array_get_int_element (array, 0), ==, DESK_JSON_MAX_INT);
    g_assert_cmpint (json_array_get_int_element (array, 1), ==, -DESK_JSON_MAX_INT);
    g_assert_true (json_array_get_null_element (array, 2));
    g_assert_false (json_array_get_boolean_element (array, 3));
  }
}

static void
test_unicode_escapes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *written = NULL;

  node = desk_json_parse ("\"\\u00e9\\u3042\\ud83d\\ude00\\uD834\\uDD1E\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
                          -1, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (node), ==, "é\xe3\x81\x82\xf0\x9f\x98\x80\xf0\x9d\x84\x9e\"\\/\b\f\n\r\t");

  /* Non-ASCII stays UTF-8; controls are escaped; '/' is not. */
  written = desk_json_to_string (node, FALSE, NULL);
  g_assert_cmpstr (written, ==, "\"é\xe3\x81\x82\xf0\x9f\x98\x80\xf0\x9d\x84\x9e\\\"\\\\/\\b\\f\\n\\r\\t\"");

  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&written, g_free);
  node = desk_json_parse ("\"\\u0001\\u001f\\u007f\"", -1, 0, 0, &error);
  g_assert_no_error (error);
  written = desk_json_to_string (node, FALSE, NULL);
  g_assert_cmpstr (written, ==, "\"\\u0001\\u001f\x7f\"");
}

static void
test_doubles_round_trip (void)
{
  const double values[] = {
    0.1, 0.2, 1.0 / 3.0, 2.0 / 3.0, 1e300, -2.5e-300, 5e-324, 1.7976931348623157e308,
    123456789.125, 0.0, -0.0, 1.0, 100.0, 1e21, 0.4, 0.30000000000000004, 4.35, 9007199254740993.0,
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autoptr(JsonNode) back = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      double read;

      json_node_set_double (node, values[i]);
      text = desk_json_to_string (node, FALSE, NULL);
      back = desk_json_parse (text, -1, 0, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (json_node_get_value_type (back), ==, G_TYPE_DOUBLE);
      read = json_node_get_double (back);
      g_assert_true (memcmp (&read, &values[i], sizeof read) == 0);
    }

  /* Shortest forms, and always recognisably a double. */
  {
    struct { double v; const char *text; } forms[] = {
      { 0.1, "0.1" }, { 1.0, "1.0" }, { 100.0, "100.0" }, { -0.0, "-0.0" },
      { 0.30000000000000004, "0.30000000000000004" }, { 1e21, "1e+21" }, { 2.5, "2.5" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
      {
        g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
        g_autofree char *text = NULL;

        json_node_set_double (node, forms[i].v);
        text = desk_json_to_string (node, FALSE, NULL);
        g_assert_cmpstr (text, ==, forms[i].text);
      }
  }
}

static void
test_write_compact_and_pretty (void)
{
  const char *input = "{\"b\":1,\"a\":[true,false,null,\"x\",{}],\"c\":{\"z\":[],\"y\":-2.5}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *compact = NULL;
  g_autofree char *pretty = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *compact_again = NULL;
  gsize length = 0;

  node = desk_json_parse (input, -1, 0, 0, &error);
  g_assert_no_error (error);

  compact = desk_json_to_string (node, FALSE, &length);
  g_assert_cmpstr (compact, ==, input);
  g_assert_cmpuint (length, ==, strlen (input));

  pretty = desk_json_to_string (node, TRUE, NULL);
  g_assert_cmpstr (pretty, ==,
                   "{\n"
                   "  \"b\": 1,\n"
                   "  \"a\": [\n"
                   "    true,\n"
                   "    false,\n"
                   "    null,\n"
                   "    \"x\",\n"
                   "    {}\n"
                   "  ],\n"
                   "  \"c\": {\n"
                   "    \"z\": [],\n"
                   "    \"y\": -2.5\n"
                   "  }\n"
                   "}");

  again = desk_json_parse (pretty, -1, 0, 0, &error);
  g_assert_no_error (error);
  compact_again = desk_json_to_string (again, FALSE, NULL);
  g_assert_cmpstr (compact_again, ==, input);

  {
    g_autoptr(GString) out = g_string_new ("prefix:");

    desk_json_write (out, node, FALSE);
    g_assert_true (g_str_has_prefix (out->str, "prefix:{\"b\":1,"));
  }
}

/* ---- paths and errors ------------------------------------------------------ */

static void
test_paths (void)
{
  g_autofree char *a = desk_json_path_join ("key_points[2]", "heading");
  g_autofree char *b = desk_json_path_join (NULL, "id");
  g_autofree char *c = desk_json_path_join ("", "id");
  g_autofree char *d = desk_json_path_index ("tags", 3);
  g_autofree char *e = desk_json_path_join ("source", "url");
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (a, ==, "key_points[2].heading");
  g_assert_cmpstr (b, ==, "id");
  g_assert_cmpstr (c, ==, "id");
  g_assert_cmpstr (d, ==, "tags[3]");
  g_assert_cmpstr (e, ==, "source.url");

  desk_json_set_error (&error, DESK_JSON_ERROR_INVALID, "importance.depth", "must be %d to %d", 1, 5);
  g_assert_error (error, DESK_JSON_ERROR, DESK_JSON_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "importance.depth: must be 1 to 5");
  g_clear_error (&error);

  desk_json_set_error (&error, DESK_JSON_ERROR_TYPE, NULL, "must be an object");
  g_assert_cmpstr (error->message, ==, "must be an object");
  g_clear_error (&error);
  desk_json_set_error (&error, DESK_JSON_ERROR_TYPE, "", "must be an object");
  g_assert_cmpstr (error->message, ==, "must be an object");

  /* A NULL error is allowed. */
  desk_json_set_error (NULL, DESK_JSON_ERROR_TYPE, "x", "ignored");
}

/* ---- member types through a reader --------------------------------------- */

typedef struct {
  const char    *json;
  DeskJsonError  code;
  const char    *message;
} TypeCase;

/* Read as a full set of machine fields: every member's type is checked. */
static const TypeCase type_cases[] = {
  { "[]", DESK_JSON_ERROR_TYPE, "must be an object" },
  { "{\"title\":1}", DESK_JSON_ERROR_TYPE, "title: must be a string" },
  { "{\"title\":null}", DESK_JSON_ERROR_TYPE, "title: must be a string" },
  { "{\"title\":\"t\",\"body\":true}", DESK_JSON_ERROR_TYPE, "body: must be a string" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":[]}", DESK_JSON_ERROR_TYPE, "tldr: must be a string" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":\"a\"}", DESK_JSON_ERROR_TYPE, "tags: must be an array" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[\"a\",2]}", DESK_JSON_ERROR_TYPE, "tags[1]: must be a string" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[],\"importance\":5}", DESK_JSON_ERROR_TYPE, "importance: must be an object" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[],\"importance\":{\"overall\":1,\"depth\":\"5\",\"relevance\":1,\"practicality\":1,\"innovation\":1}}",
    DESK_JSON_ERROR_TYPE, "importance.depth: must be an integer" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[],\"importance\":{\"overall\":1,\"depth\":2.5,\"relevance\":1,\"practicality\":1,\"innovation\":1}}",
    DESK_JSON_ERROR_TYPE, "importance.depth: must be an integer" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[],\"importance\":{\"overall\":1,\"depth\":1,\"relevance\":1,\"practicality\":1}}",
    DESK_JSON_ERROR_MISSING, "importance.innovation: required" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[],\"importance\":{\"overall\":1,\"depth\":1,\"relevance\":1,\"practicality\":1,\"innovation\":1},\"key_points\":{}}",
    DESK_JSON_ERROR_TYPE, "key_points: must be an array" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[],\"importance\":{\"overall\":1,\"depth\":1,\"relevance\":1,\"practicality\":1,\"innovation\":1},\"key_points\":[\"x\"]}",
    DESK_JSON_ERROR_TYPE, "key_points[0]: must be an object" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[],\"importance\":{\"overall\":1,\"depth\":1,\"relevance\":1,\"practicality\":1,\"innovation\":1},\"key_points\":[{\"heading\":\"h\",\"body\":\"b\"},{\"heading\":1,\"body\":\"b\"}]}",
    DESK_JSON_ERROR_TYPE, "key_points[1].heading: must be a string" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[],\"importance\":{\"overall\":1,\"depth\":1,\"relevance\":1,\"practicality\":1,\"innovation\":1},\"key_points\":[{\"heading\":\"h\"}]}",
    DESK_JSON_ERROR_MISSING, "key_points[0].body: required" },
  { "{\"body\":\"\"}", DESK_JSON_ERROR_MISSING, "title: required" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[],\"importance\":{\"overall\":1,\"depth\":1,\"relevance\":1,\"practicality\":1,\"innovation\":1},\"key_points\":[]}",
    DESK_JSON_ERROR_MISSING, "impact_analysis: required" },
  { "{\"title\":\"t\",\"body\":\"\",\"tldr\":\"\",\"tags\":[],\"importance\":{\"overall\":1,\"depth\":1,\"relevance\":1,\"practicality\":1,\"innovation\":1},\"key_points\":[],\"impact_analysis\":\"\",\"editorial_comment\":\"\"}",
    DESK_JSON_ERROR_UNKNOWN, "editorial_comment: not allowed" },
};

static void
test_member_types (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = desk_json_parse (type_cases[i].json, -1, 0, 0, &error);
      g_autoptr(DeskEditable) editable = NULL;

      g_assert_no_error (error);
      editable = desk_editable_new_from_json (node, NULL, DESK_FIELDS_MACHINE, DESK_FIELDS_MACHINE,
                                              TRUE, &error);
      g_assert_null (editable);
      if (error == NULL || error->code != (int) type_cases[i].code ||
          g_strcmp0 (error->message, type_cases[i].message) != 0)
        g_error ("case %u: expected %d \"%s\", got %d \"%s\"", i, type_cases[i].code,
                 type_cases[i].message, error ? error->code : -1, error ? error->message : "");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/json/malformed/%s", bad_cases[i].name);

      g_test_add_data_func (path, &bad_cases[i], test_malformed);
    }
  g_test_add_func ("/json/too-large-nul-terminated", test_too_large_nul_terminated);
  g_test_add_func ("/json/error-location", test_error_location);
  g_test_add_func ("/json/depth-limit", test_depth_limit);
  g_test_add_func ("/json/scalars", test_scalars);
  g_test_add_func ("/json/unicode-escapes", test_unicode_escapes);
  g_test_add_func ("/json/doubles-round-trip", test_doubles_round_trip);
  g_test_add_func ("/json/write", test_write_compact_and_pretty);
  g_test_add_func ("/json/paths", test_paths);
  g_test_add_func ("/json/member-types", test_member_types);

  return g_test_run ();
}
