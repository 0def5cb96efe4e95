#!/usr/bin/env python3
# test_authz_matrix.py: every endpoint × every way it must refuse: the contract's answer, and nothing changed
# SPDX-License-Identifier: GPL-3.0-or-later
"""The authorization and limits matrix of the Site API.

For every endpoint of the contract there is one fully valid request (right
token and role, If-Match, Idempotency-Key, a body the server accepts). Each
case then spoils exactly one thing:

  no_token        no Authorization header                      401 unauthorized
  unknown_token   a token the site does not know               401 unauthorized
  token_prefix    the right secret less its last character     401 unauthorized
  other_scheme    the right secret, but as Basic credentials   401 unauthorized
  two_tokens      two Authorization headers, an unknown token
                  and then the right one                       401 unauthorized
  wrong_role      pipeline where an editor is needed, editor
                  where the pipeline is (reads: both allowed)  403 forbidden
  locked          another editor holds the entry's lock        409 locked + "lock"
  oversize        body 8 MiB + 1 byte (Content-Length)         413 too_large
  oversize_chunk  the same body sent chunked                   413 too_large
  too_deep        JSON nested 65 levels                        400 bad_request

and checks the answer against the contract (status, error code, JSON error
body, WWW-Authenticate), then that nothing changed on the server: the change
feed from the beginning (every summary, its revision, lock and position, and
the newest cursor), the entry the request aimed at, the glossary, and —
looking into the site's database — every row of every table.

The `valid` case sends the unspoilt request and checks that it succeeds and,
for writes, that the snapshot *does* change: the comparison is shown able to
see a change.
"""

import json
import sqlite3
import sys
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean when run directly

from sitelib import (EDITOR, EDITOR2, HOST, JSON_CT, PIPELINE, UNKNOWN, Server,
                     SiteTestCase, etag, make_entry, new_id, raw_exchange,
                     split_raw_response)

BODY_CAP = 8 * 1024 * 1024  # the contract: bodies over 8 MiB are 413
DEPTH_CAP = 64              # the contract: JSON deeper than 64 is 400

AUTH_CASES = ('no_token', 'unknown_token', 'token_prefix', 'other_scheme',
              'two_tokens')
CASES = AUTH_CASES + ('wrong_role', 'locked', 'oversize', 'oversize_chunk',
                      'too_deep', 'valid')


class Call:
    """One valid request, and what the endpoint answers to it."""

    def __init__(self, method, path, token, body=None, headers=None, ok=200,
                 writes=True, entry_id=None):
        self.method = method
        self.path = path
        self.token = token
        self.body = body          # a JSON value, or None for no body
        self.headers = dict(headers or {})
        self.ok = ok
        self.writes = writes
        self.entry_id = entry_id  # the entry it aims at (GET after), if any

    def json_bytes(self):
        if self.body is None:
            return None
        return json.dumps(self.body, ensure_ascii=False).encode('utf-8')


# ---- the endpoints: each makes its fixture and returns its valid Call ------
#
# `locked` asks the fixture to have suzuki (EDITOR2) hold the entry's lock;
# the endpoint is then called by sato (EDITOR) as usual.

def ep_me(t, locked):
    return Call('GET', '/api/v1/me', EDITOR, writes=False)


def ep_config(t, locked):
    return Call('GET', '/api/v1/config', EDITOR, writes=False)


def ep_feed(t, locked):
    return Call('GET', '/api/v1/entries?limit=500', EDITOR, writes=False)


def ep_get_entry(t, locked):
    e = t.fixture('in_review', locked)
    return Call('GET', '/api/v1/entries/' + e['id'], EDITOR, writes=False,
                entry_id=e['id'])


def ep_patch(t, locked):
    e = t.fixture('in_review', locked)
    return Call('PATCH', '/api/v1/entries/' + e['id'], EDITOR,
                body={'title': '権限表のテストで直した題名', 'tags': ['権限', '検査']},
                headers={'If-Match': etag(e['revision'])}, entry_id=e['id'])


def ep_status(t, locked):
    e = t.fixture('in_review', locked)
    return Call('POST', '/api/v1/entries/%s/status' % e['id'], EDITOR,
                body={'status': 'approved', 'reason': '権限表のテスト'},
                headers={'If-Match': etag(e['revision'])}, entry_id=e['id'])


def ep_publish(t, locked):
    e = t.fixture('approved', locked)
    return Call('POST', '/api/v1/entries/%s/publish' % e['id'], EDITOR,
                headers={'If-Match': etag(e['revision']),
                         'Idempotency-Key': new_id('matrix-key')},
                entry_id=e['id'])


def ep_lock_put(t, locked):
    e = t.fixture('in_review', locked)
    return Call('PUT', '/api/v1/entries/%s/lock' % e['id'], EDITOR,
                entry_id=e['id'])


def ep_lock_delete(t, locked):
    # Valid: sato releases the lock sato holds. Locked: suzuki holds it.
    e = t.fixture('in_review', locked)
    if not locked:
        t.assertOk(t.api.lock(e['id']))
    return Call('DELETE', '/api/v1/entries/%s/lock' % e['id'], EDITOR, ok=204,
                entry_id=e['id'])


def ep_create(t, locked):
    entry = make_entry(new_id('matrix-new'))
    return Call('POST', '/api/v1/entries', PIPELINE, body=entry, ok=201,
                entry_id=entry['id'])


def ep_glossary_get(t, locked):
    return Call('GET', '/api/v1/glossary', EDITOR, writes=False)


def ep_glossary_put(t, locked):
    g = t.assertOk(t.api.get('/api/v1/glossary'))
    terms = g['terms'] + [{'source': new_id('term'), 'target': '権限表の用語',
                           'forbidden': ['けんげんひょう'], 'note': ''}]
    return Call('PUT', '/api/v1/glossary', EDITOR, body={'terms': terms},
                headers={'If-Match': etag(g['revision'])})


# name: (make the fixture and valid call, role needed, can it be locked?)
ENDPOINTS = {
    'GET /me': (ep_me, 'any', False),
    'GET /config': (ep_config, 'any', False),
    'GET /entries': (ep_feed, 'any', False),
    'GET /entries/<id>': (ep_get_entry, 'any', False),
    'PATCH /entries/<id>': (ep_patch, 'editor', True),
    'POST /entries/<id>/status': (ep_status, 'editor', True),
    'POST /entries/<id>/publish': (ep_publish, 'editor', True),
    'PUT /entries/<id>/lock': (ep_lock_put, 'editor', True),
    'DELETE /entries/<id>/lock': (ep_lock_delete, 'editor', True),
    'POST /entries': (ep_create, 'pipeline', False),
    'GET /glossary': (ep_glossary_get, 'any', False),
    'PUT /glossary': (ep_glossary_put, 'editor', False),
}


def deep_body(call):
    """The call's body (or {}) with one more member nested DEPTH_CAP + 1 deep
    counting the outer object."""
    inner = '[' * DEPTH_CAP + ']' * DEPTH_CAP
    text = json.dumps(call.body if call.body is not None else {},
                      ensure_ascii=False)
    assert text.endswith('}')
    sep = '' if text == '{}' else ', '
    return (text[:-1] + sep + '"nested": ' + inner + '}').encode('utf-8')


def padded_body(call):
    """The call's body (or {}) padded with JSON whitespace to BODY_CAP + 1
    bytes: valid JSON the endpoint would accept, only too large."""
    raw = json.dumps(call.body if call.body is not None else {},
                     ensure_ascii=False).encode('utf-8')
    return raw + b' ' * (BODY_CAP + 1 - len(raw))


def chunked(body, size=1024 * 1024):
    out = bytearray()
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += b'%x\r\n' % len(piece) + piece + b'\r\n'
    out += b'0\r\n\r\n'
    return bytes(out)


class RawResponse:
    """The answer to a raw exchange, shaped like sitelib.Response."""

    def __init__(self, status, raw):
        self.status = status
        self.headers_dict, payload = split_raw_response(raw)
        self.raw = payload
        self.json_error = None
        try:
            self.body = json.loads(payload.decode('utf-8'))
        except (UnicodeDecodeError, ValueError) as e:
            self.body = payload
            self.json_error = e

    def header(self, name):
        return self.headers_dict.get(name.lower())

    def __repr__(self):
        return '<RawResponse %r %r>' % (self.status, self.raw[:400])


class AuthzMatrixTest(SiteTestCase):
    server_args = None
    server = None

    @classmethod
    def setUpClass(cls):
        # One server for the whole matrix: each case makes its own entries.
        cls.server = Server(('--lock-seconds', '600'))
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def setUp(self):
        self.api = self.server.client(EDITOR)
        self.other = self.server.client(EDITOR2)
        self.pipeline = self.server.client(PIPELINE)

    # fixtures and snapshots

    def fixture(self, status, locked):
        e = self.bring_to(status, api=self.api)
        if locked:
            self.assertEqual(self.assertOk(self.other.lock(e['id']))['lock']['editor'],
                             'suzuki')
        return self.get_entry(e['id'])

    def db_dump(self):
        db = sqlite3.connect('file:%s?mode=ro' % self.server.db, uri=True,
                             timeout=10)
        try:
            tables = [r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "ORDER BY name")]
            self.assertEqual(tables, ['entries', 'glossary', 'idempotency',
                                      'meta', 'revisions'],
                             'the site database has tables this test does not know')
            return {t: db.execute('SELECT * FROM "%s" ORDER BY rowid' % t).fetchall()
                    for t in tables}
        finally:
            db.close()

    def snapshot(self, call):
        feed, cursor, _ = self.read_feed(api=self.pipeline, limit=500)
        glossary = self.pipeline.get('/api/v1/glossary')
        snap = {
            'feed': feed,
            'cursor': cursor,
            'glossary': (glossary.status, glossary.header('ETag'), glossary.body),
            'db': self.db_dump(),
        }
        if call.entry_id is not None:
            resp = self.pipeline.entry(call.entry_id)
            snap['entry'] = (resp.status, resp.header('ETag'), resp.body)
        return snap

    def assertSnapshotsEqual(self, before, after, what):
        for part in ('feed', 'cursor', 'glossary', 'entry'):
            self.assertEqual(before.get(part), after.get(part),
                             '%s: the %s changed' % (what, part))
        for table, rows in before['db'].items():
            new = after['db'][table]
            if rows != new:
                gone = [r for r in rows if r not in new]
                added = [r for r in new if r not in rows]
                self.fail('%s: table %s changed; rows gone %r, rows added %r'
                          % (what, table, [str(r)[:300] for r in gone],
                             [str(r)[:300] for r in added]))

    # sending

    def send(self, call, case):
        """Sends the call spoilt as `case`; returns the response."""
        token = call.token
        auth = 'Bearer ' + token
        if case == 'no_token':
            auth = None
        elif case == 'unknown_token':
            auth = 'Bearer ' + UNKNOWN
        elif case == 'token_prefix':
            auth = 'Bearer ' + token[:-1]
        elif case == 'other_scheme':
            auth = 'Basic ' + token
        elif case == 'wrong_role':
            auth = 'Bearer ' + (EDITOR if token == PIPELINE else PIPELINE)

        headers = list(call.headers.items())
        if case == 'two_tokens':
            # Which one counts must not be left to the header parser.
            headers.append(('Authorization', 'Bearer ' + UNKNOWN))
        if auth is not None:
            headers.append(('Authorization', auth))

        if case in ('oversize', 'oversize_chunk', 'two_tokens'):
            if case == 'two_tokens':
                body = call.json_bytes() or b''
            else:
                body = padded_body(call)
            if call.body is not None or case != 'two_tokens':
                headers.append(('Content-Type', JSON_CT))
            if case == 'oversize_chunk':
                headers.append(('Transfer-Encoding', 'chunked'))
                body = chunked(body)
            else:
                headers.append(('Content-Length', str(len(body))))
            head = '%s %s HTTP/1.1\r\nHost: %s:%d\r\n' % (
                call.method, call.path, HOST, self.server.port)
            head += ''.join('%s: %s\r\n' % kv for kv in headers)
            status, raw = raw_exchange(self.server.port,
                                       (head + '\r\n').encode('latin-1'), body,
                                       timeout=60)
            self.assertIsNotNone(status, 'no answer to %s: %r' % (case, raw[:300]))
            return RawResponse(status, raw)

        if case == 'too_deep':
            body = deep_body(call)
        else:
            body = call.json_bytes()
        headers = dict(headers)
        if body is not None:
            headers['Content-Type'] = JSON_CT
        return self.api.request(call.method, call.path, token=None, body=body,
                                headers=headers, timeout=30)

    # the expected answers

    def check_answer(self, name, role, call, case, resp):
        if case in AUTH_CASES:
            self.assertError(resp, 401, 'unauthorized')
            challenge = resp.header('WWW-Authenticate') or ''
            self.assertEqual(challenge.split()[:1], ['Bearer'], resp)
        elif case == 'wrong_role' and role == 'any':
            # Both roles read; the pipeline's read is answered like sato's.
            self.assertOk(resp, call.ok)
        elif case == 'wrong_role':
            self.assertError(resp, 403, 'forbidden')
        elif case == 'locked':
            body = self.assertError(resp, 409, 'locked')
            self.assertIsInstance(body.get('lock'), dict, resp)
            self.assertEqual(body['lock'].get('editor'), 'suzuki', resp)
        elif case in ('oversize', 'oversize_chunk'):
            self.assertError(resp, 413, 'too_large')
        elif case == 'too_deep':
            self.assertError(resp, 400, 'bad_request')
        elif case == 'valid':
            self.assertOk(resp, call.ok)
        else:
            raise AssertionError('unknown case ' + case)

    def run_case(self, name, case):
        make, role, lockable = ENDPOINTS[name]
        call = make(self, case == 'locked')
        before = self.snapshot(call)
        resp = self.send(call, case)
        self.check_answer(name, role, call, case, resp)
        after = self.snapshot(call)
        what = '%s %s' % (name, case)

        if case == 'valid' and call.writes:
            self.assertNotEqual(before['db'], after['db'],
                                '%s: a valid write changed nothing' % what)
            if call.entry_id is not None:
                self.assertNotEqual(before['cursor'], after['cursor'],
                                    '%s: a valid write is not in the feed' % what)
            return
        if case == 'locked' and name == 'POST /entries/<id>/publish':
            # The contract: the first answer to a key is kept with it; the
            # 409 is stored under the key and nothing else changes.
            key = call.headers['Idempotency-Key']
            added = [r for r in after['db']['idempotency']
                     if r not in before['db']['idempotency']]
            self.assertEqual([(r[0], r[1], r[3]) for r in added],
                             [(key, call.entry_id, 409)], what)
            before['db']['idempotency'] = after['db']['idempotency']
        self.assertSnapshotsEqual(before, after, what)

    def run_endpoint(self, name):
        _, role, lockable = ENDPOINTS[name]
        for case in CASES:
            if case == 'locked' and not lockable:
                continue
            with self.subTest(endpoint=name, case=case):
                self.run_case(name, case)

    def test_every_endpoint_has_a_row(self):
        # The contract's endpoints; a new one must be added to the matrix.
        self.assertEqual(len(ENDPOINTS), 12)
        self.assertEqual(sum(1 for _, role, _ in ENDPOINTS.values()
                             if role == 'editor'), 6)


def _add_tests():
    for i, name in enumerate(ENDPOINTS):
        slug = ''.join(c if c.isalnum() else '_' for c in
                       name.replace('<id>', 'id')).strip('_').lower()
        method = (lambda n: lambda self: self.run_endpoint(n))(name)
        method.__name__ = 'test_%02d_%s' % (i, slug)
        setattr(AuthzMatrixTest, method.__name__, method)


_add_tests()


if __name__ == '__main__':
    unittest.main(verbosity=2)
