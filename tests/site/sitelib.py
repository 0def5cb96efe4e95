# sitelib.py: start digest-site for black-box tests and talk to it over HTTP
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Standard library only: CI runs on a bare Debian 12 python3.

import atexit
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
from datetime import datetime

HOST = '127.0.0.1'
LISTEN_RE = re.compile(r'^listening on http://127\.0\.0\.1:(\d+)\s*$')
RFC3339_RE = re.compile(
    r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$')
JSON_CT = 'application/json; charset=utf-8'

EDITOR = 's3cret'           # sato, editor
EDITOR2 = 'k0tsu-k0tsu'     # suzuki, editor
PIPELINE = 'p1pe:line'      # pipe, pipeline (a ':' inside the secret on purpose)
UNKNOWN = 'nobody-knows-me'

TOKEN_ARGS = [
    '--token', 'sato:editor:' + EDITOR,
    '--token', 'suzuki:editor:' + EDITOR2,
    '--token', 'pipe:pipeline:' + PIPELINE,
    '--display-name', 'sato:佐藤',
]
PUBLIC_BASE = 'https://digest.example.org/news'

EDITABLE = ('title', 'body', 'tldr', 'tags', 'importance', 'key_points',
            'impact_analysis')
STATUSES = ('incoming', 'in_review', 'approved', 'published', 'rejected')

_live = []


def _kill_leftovers():
    for server in list(_live):
        server.kill9()


atexit.register(_kill_leftovers)


def digest_site_path():
    path = os.environ.get('DIGEST_SITE')
    if not path:
        raise RuntimeError('DIGEST_SITE is not set (run through meson test)')
    return os.path.abspath(path)  # the server runs in its own directory


def sample_dir():
    path = os.environ.get('DESK_SAMPLE_DIR')
    if not path:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, '..', '..', 'data', 'sample')
    return os.path.abspath(path)


class ServerError(Exception):
    pass


class Server:
    """One digest-site process with its own temporary directory."""

    def __init__(self, extra_args=(), db=None, tokens=True, workdir=None,
                 public_base=True):
        self.extra_args = list(extra_args)
        self.tokens = tokens
        self.public_base = public_base
        self._own_dir = workdir is None
        self.dir = workdir or tempfile.mkdtemp(prefix='digest-site-test-')
        self.db = db or os.path.join(self.dir, 'site.db')
        self.proc = None
        self.port = None
        self.stdout = []
        self.stderr = []
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._readers = []

    # process control

    def argv(self, port=0):
        args = [digest_site_path(), '--db', self.db, '--port', str(port)]
        if self.tokens:
            args += TOKEN_ARGS
        if self.public_base:
            args += ['--public-base', PUBLIC_BASE]
        return args + self.extra_args

    def _read(self, stream, sink, watch):
        for raw in iter(stream.readline, b''):
            line = raw.decode('utf-8', 'replace')
            with self._lock:
                sink.append(line)
            if watch:
                m = LISTEN_RE.match(line)
                if m and self.port is None:
                    self.port = int(m.group(1))
                    self._ready.set()
        stream.close()

    def spawn(self):
        self.stdout, self.stderr = [], []
        self.port = None
        self._ready.clear()
        self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE,
                                     cwd=self.dir)
        _live.append(self)
        self._readers = [
            threading.Thread(target=self._read, daemon=True,
                             args=(self.proc.stdout, self.stdout, True)),
            threading.Thread(target=self._read, daemon=True,
                             args=(self.proc.stderr, self.stderr, False)),
        ]
        for t in self._readers:
            t.start()

    def start(self, timeout=15.0):
        self.spawn()
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.05):
            if self.proc.poll() is not None:
                self._join_readers()
                self._forget()
                raise ServerError('digest-site exited with %d before listening:\n%s'
                                  % (self.proc.returncode, self.output()))
            if time.monotonic() > deadline:
                self.kill9()
                raise ServerError('digest-site did not print the listening line '
                                  'within %.0f s:\n%s' % (timeout, self.output()))
        return self

    def run_to_exit(self, timeout=15.0):
        """For command lines that must fail: returns (returncode, output)."""
        self.spawn()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            raise ServerError('digest-site still running after %.0f s:\n%s'
                              % (timeout, self.output()))
        self._join_readers()
        self._forget()
        return self.proc.returncode, self.output()

    def output(self):
        with self._lock:
            return ''.join(self.stdout) + ''.join(self.stderr)

    def _join_readers(self):
        for t in self._readers:
            t.join(5)

    def _forget(self):
        if self in _live:
            _live.remove(self)

    def stop(self, grace=5.0):
        """SIGTERM, then SIGKILL if it does not exit. Returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            self._forget()
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self._join_readers()
        self._forget()
        return self.proc.returncode

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        self._join_readers()
        self._forget()

    def restart(self, timeout=15.0, hard=False):
        if hard:
            self.kill9()
        else:
            self.stop()
        return self.start(timeout)

    def cleanup(self):
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, token=EDITOR, timeout=10.0):
        if self.port is None:
            raise ServerError('server not listening')
        return Client(self.port, token, timeout)


class Response:
    """status, headers, body (parsed JSON, else raw bytes); unpacks as a 3-tuple."""

    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.body = raw
        self.json_error = None
        if raw:
            try:
                self.body = json.loads(raw.decode('utf-8'))
            except (UnicodeDecodeError, ValueError) as e:
                self.json_error = e

    def header(self, name):
        return self.headers.get(name)

    def __iter__(self):
        return iter((self.status, self.headers, self.body))

    def __repr__(self):
        return '<Response %d %r>' % (self.status, self.raw[:400])


_NO_CT = object()


class Client:
    def __init__(self, port, token=EDITOR, timeout=10.0):
        self.port = port
        self.token = token
        self.timeout = timeout

    def connect(self, timeout=None):
        conn = http.client.HTTPConnection(HOST, self.port,
                                          timeout=timeout or self.timeout)
        conn.connect()
        return conn

    def prepare(self, method, path, token=_NO_CT, body=None, json_body=_NO_CT,
                headers=None, content_type=_NO_CT):
        """The request line parts: (method, path, body bytes, headers)."""
        token = self.token if token is _NO_CT else token
        hdrs = {}
        if token is not None:
            hdrs['Authorization'] = 'Bearer ' + token
        if json_body is not _NO_CT:
            body = json.dumps(json_body, ensure_ascii=False).encode('utf-8')
            if content_type is _NO_CT:
                content_type = JSON_CT
        elif isinstance(body, str):
            body = body.encode('utf-8')
        if content_type is not _NO_CT and content_type is not None:
            hdrs['Content-Type'] = content_type
        if headers:
            hdrs.update(headers)
        return method, path, body, hdrs

    def send(self, conn, method, path, body, hdrs):
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        return Response(resp.status, resp.headers, raw)

    def request(self, method, path, token=_NO_CT, body=None, json=_NO_CT,
                headers=None, content_type=_NO_CT, timeout=None):
        parts = self.prepare(method, path, token, body, json, headers,
                             content_type)
        conn = self.connect(timeout)
        try:
            return self.send(conn, *parts)
        finally:
            conn.close()

    # shorthands

    def get(self, path, **kw):
        return self.request('GET', path, **kw)

    def entry(self, entry_id, **kw):
        return self.request('GET', '/api/v1/entries/' + entry_id, **kw)

    def patch(self, entry_id, changes, if_match=_NO_CT, **kw):
        headers = dict(kw.pop('headers', None) or {})
        if if_match is not None and if_match is not _NO_CT:
            headers['If-Match'] = if_match
        return self.request('PATCH', '/api/v1/entries/' + entry_id,
                            json=changes, headers=headers, **kw)

    def set_status(self, entry_id, status, if_match, reason=None, **kw):
        body = {'status': status}
        if reason is not None:
            body['reason'] = reason
        headers = dict(kw.pop('headers', None) or {})
        if if_match is not None:
            headers['If-Match'] = if_match
        return self.request('POST', '/api/v1/entries/%s/status' % entry_id,
                            json=body, headers=headers, **kw)

    def publish(self, entry_id, if_match, key, **kw):
        headers = dict(kw.pop('headers', None) or {})
        if if_match is not None:
            headers['If-Match'] = if_match
        if key is not None:
            headers['Idempotency-Key'] = key
        return self.request('POST', '/api/v1/entries/%s/publish' % entry_id,
                            headers=headers, **kw)

    def lock(self, entry_id, **kw):
        return self.request('PUT', '/api/v1/entries/%s/lock' % entry_id, **kw)

    def unlock(self, entry_id, **kw):
        return self.request('DELETE', '/api/v1/entries/%s/lock' % entry_id, **kw)

    def create(self, entry, **kw):
        kw.setdefault('token', PIPELINE)
        return self.request('POST', '/api/v1/entries', json=entry, **kw)

    def feed(self, since=None, status=None, limit=None, **kw):
        query = []
        if since is not None:
            query.append('since=' + quote(since))
        if status is not None:
            query.append('status=' + quote(status))
        if limit is not None:
            query.append('limit=' + quote(str(limit)))
        path = '/api/v1/entries'
        if query:
            path += '?' + '&'.join(query)
        return self.request('GET', path, **kw)


def quote(s):
    from urllib.parse import quote as q
    return q(s, safe=',')


def etag(revision):
    return '"%d"' % revision


def parse_time(value):
    if not isinstance(value, str) or not RFC3339_RE.match(value):
        raise ValueError('not an RFC 3339 time with offset: %r' % (value,))
    return datetime.fromisoformat(value.replace('Z', '+00:00'))


def raw_exchange(port, head, body, timeout=20.0, chunk=64 * 1024):
    """Send head+body on a raw socket while reading; stops sending as soon as
    the server answers (a server refusing a large body early must not make the
    client lose the answer to a reset). Returns (status or None, bytes)."""
    sock = socket.create_connection((HOST, port), timeout=timeout)
    try:
        sock.setblocking(False)
        out = memoryview(head + body)
        got = bytearray()
        deadline = time.monotonic() + timeout
        sending = True
        while time.monotonic() < deadline:
            wlist = [sock] if sending and len(out) else []
            r, w, _ = select.select([sock], wlist, [], 0.5)
            if r:
                try:
                    data = sock.recv(65536)
                except (ConnectionResetError, BrokenPipeError):
                    break
                if not data:
                    break
                got += data
                sending = False
                if _complete(got):
                    break
            if w and sending:
                try:
                    n = sock.send(out[:chunk])
                    out = out[n:]
                except (ConnectionResetError, BrokenPipeError):
                    sending = False
    finally:
        sock.close()
    m = re.match(rb'HTTP/1\.[01] (\d{3})', bytes(got))
    return (int(m.group(1)) if m else None), bytes(got)


def _complete(buf):
    end = buf.find(b'\r\n\r\n')
    if end < 0:
        return False
    m = re.search(rb'(?i)\r\ncontent-length:\s*(\d+)', bytes(buf[:end]))
    if not m:
        return False
    return len(buf) >= end + 4 + int(m.group(1))


def split_raw_response(raw):
    head, _, body = raw.partition(b'\r\n\r\n')
    headers = {}
    for line in head.split(b'\r\n')[1:]:
        k, _, v = line.partition(b':')
        headers[k.strip().lower().decode('latin-1')] = v.strip().decode('latin-1')
    return headers, body


_counter = [0]


def new_id(prefix='t'):
    _counter[0] += 1
    return '%s-%d-%04d' % (prefix, os.getpid(), _counter[0])


def make_entry(entry_id=None, kind='article', n=0, **overrides):
    """A synthetic entry in the pipeline's POST form (written for these tests)."""
    if entry_id is None:
        entry_id = new_id()
    entry = {
        'id': entry_id,
        'kind': kind,
        'source': {
            'name': 'Test Weekly',
            'url': 'https://example.org/p/%s' % entry_id,
            'published_at': '2026-05-11T21:46:00+09:00',
            'language': 'en',
        },
        'collected_at': '2026-05-11T22:10:00+09:00',
        'analyzed_at': '2026-05-11T23:04:00+09:00',
        'reading_minutes': 7 + n % 20,
        'original': {
            'title': 'Test Weekly %d: small models, long contexts' % n,
            'html': '<p>Synthetic original number %d.</p>'
                    '<script>alert(1)</script>' % n,
        },
        'machine': {
            'title': 'テスト週報 %d：小さなモデルと長い文脈' % n,
            'body': '## 概要\n\n小さなモデルでも長い文脈を扱えることを示します。',
            'tldr': '小型モデルの長文脈処理に関する合成記事です。',
            'tags': ['小型モデル', '長文脈'],
            'importance': {'overall': 3, 'depth': 3, 'relevance': 4,
                           'practicality': 3, 'innovation': 2},
            'key_points': [
                {'heading': '要点その一', 'body': '文脈長が四倍になります。'},
                {'heading': '要点その二', 'body': '推論コストは据え置きです。'},
                {'heading': '要点その三', 'body': '評価は合成データのみです。'},
            ],
            'impact_analysis': '現場の検索拡張生成の設計が単純になる可能性があります。',
        },
    }
    entry.update(overrides)
    return entry


class SiteTestCase(unittest.TestCase):
    """Starts one server per test (setUp) unless server_args is None.

    Every JSON answer the tests receive through self.call is checked for the
    contract's Content-Type; every error through assertError for its body."""

    server_args = ()

    def setUp(self):
        if self.server_args is not None:
            self.server = self.start_server(self.server_args)
            self.api = self.server.client()

    def start_server(self, args=(), **kw):
        server = Server(args, **kw)
        self.addCleanup(server.cleanup)
        server.start()
        return server

    # assertions

    def assertJsonResponse(self, resp):
        self.assertTrue(resp.raw, 'empty body where JSON was expected: %r' % resp)
        self.assertIsNone(resp.json_error, 'body is not JSON: %r' % resp)
        ct = resp.header('Content-Type')
        self.assertIsNotNone(ct, 'no Content-Type on %r' % resp)
        self.assertEqual(ct.lower().replace(' ', ''),
                         JSON_CT.replace(' ', ''),
                         'Content-Type of %r' % resp)

    def assertStatus(self, resp, status):
        self.assertEqual(resp.status, status, resp)
        if resp.raw:
            self.assertJsonResponse(resp)

    def assertOk(self, resp, status=200):
        self.assertStatus(resp, status)
        if status != 204:
            self.assertJsonResponse(resp)
        return resp.body

    def assertError(self, resp, status, code):
        self.assertStatus(resp, status)
        self.assertJsonResponse(resp)
        self.assertIsInstance(resp.body, dict, resp)
        err = resp.body.get('error')
        self.assertIsInstance(err, dict, resp)
        self.assertEqual(err.get('code'), code, resp)
        self.assertIsInstance(err.get('message'), str, resp)
        self.assertTrue(err['message'], 'empty error message: %r' % resp)
        return resp.body

    def assertEntryEtag(self, resp):
        self.assertEqual(resp.header('ETag'), etag(resp.body['revision']), resp)

    def assertFieldErrors(self, resp, *paths):
        body = self.assertError(resp, 422, 'invalid')
        fields = body.get('fields')
        self.assertIsInstance(fields, list, resp)
        for f in fields:
            self.assertIsInstance(f.get('field'), str, resp)
            self.assertIsInstance(f.get('message'), str, resp)
        got = {f['field'] for f in fields}
        for p in paths:
            self.assertIn(p, got, resp)
        return got

    # scenario helpers

    def create(self, entry=None, api=None, **kw):
        api = api or self.api
        entry = entry or make_entry(**kw)
        resp = api.create(entry)
        self.assertOk(resp, 201)
        return resp.body

    def get_entry(self, entry_id, api=None):
        resp = (api or self.api).entry(entry_id)
        self.assertOk(resp)
        self.assertEntryEtag(resp)
        return resp.body

    def bring_to(self, status, api=None, entry_id=None):
        """A new entry in the given status, reached through the API."""
        api = api or self.api
        e = self.create(entry_id=entry_id) if entry_id else self.create()
        path = {'incoming': [], 'in_review': ['in_review'],
                'approved': ['in_review', 'approved'],
                'rejected': ['rejected'],
                'published': ['in_review', 'approved']}[status]
        for s in path:
            resp = api.set_status(e['id'], s, etag(e['revision']))
            e = self.assertOk(resp)
        if status == 'published':
            resp = api.publish(e['id'], etag(e['revision']), new_id('key'))
            e = self.assertOk(resp)['entry']
        self.assertEqual(e['status'], status)
        return e

    def read_feed(self, api=None, since=None, status=None, limit=None,
                  max_pages=1000):
        """Follows `more`; returns (list of summaries, last cursor, pages)."""
        api = api or self.api
        out, pages = [], 0
        while True:
            resp = api.feed(since=since, status=status, limit=limit)
            body = self.assertOk(resp)
            self.assertIsInstance(body.get('entries'), list, resp)
            self.assertIsInstance(body.get('cursor'), str, resp)
            self.assertIsInstance(body.get('more'), bool, resp)
            out += body['entries']
            since = body['cursor']
            pages += 1
            if not body['more']:
                return out, since, pages
            self.assertLess(pages, max_pages, 'feed does not end')
