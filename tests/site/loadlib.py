# loadlib.py: many concurrent editors against digest-site, and the check that every write landed once
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Standard library only. Used by test_load.py (suite `site`, 15 s) and by
# tests/bench/bench-site-load.py (`meson test --benchmark`, 60 s).
#
# Each editor is a thread with one keep-alive http.client connection and an
# account of its own. It reads entries and the change feed, edits (PATCH
# with If-Match, each edit a title no other edit uses), changes statuses,
# publishes (If-Match and a fresh Idempotency-Key) and takes and releases
# locks, mostly on a few entries of its own and sometimes on anyone's, so
# stale ETags and other editors' locks happen. Every answer is checked
# against what the contract allows for that request; at the end the site's
# database is compared with what the editors were told:
#
#   - every PATCH answered 200 is exactly one `patch` revision, at the
#     revision and with the title the answer gave; no title is in two;
#   - every publish answered 200 is exactly one `publish` revision, and
#     there are no others; the same for status changes;
#   - every entry's revisions run 1..N without a gap, and the entry as the
#     site now has it is the newest one an editor was answered with.
#
# With faults (--fail-rate, --drop-after-commit) a request that got a 503 or
# no answer is sent again unchanged, the same If-Match and the same
# Idempotency-Key, as a client would. A PATCH whose answer was lost is then
# either seen to have landed (412 with our title) or left uncertain: it
# may be in the database at most once. A publish retried with its key must
# be answered with the first answer the site stored for that key.

import http.client
import json
import random
import sqlite3
import threading
import time
from collections import Counter, defaultdict

from sitelib import HOST, JSON_CT, PIPELINE, Server, etag, make_entry

KINDS = ('read', 'feed', 'edit', 'status', 'publish', 'lock', 'unlock')
# The share of each operation an editor picks (unlock: whenever it holds a
# lock and draws `lock`).
WEIGHTS = {'read': 30, 'feed': 8, 'edit': 32, 'status': 16, 'publish': 9,
           'lock': 5}
ENTRIES_PER_EDITOR = 4
SHARED_SHARE = 0.25   # operations on any entry rather than the editor's own

# What the contract allows as an answer to each kind of request here, as
# (status, error code or None). Anything else is an error of the run.
ALLOWED = {
    'read': {(200, None)},
    'feed': {(200, None)},
    'edit': {(200, None), (412, 'precondition_failed'), (409, 'locked')},
    'status': {(200, None), (412, 'precondition_failed'), (409, 'locked')},
    'publish': {(200, None), (412, 'precondition_failed'), (409, 'locked')},
    'lock': {(200, None), (409, 'locked')},
    'unlock': {(204, None), (409, 'locked')},
}
# Moves an editor makes, from the status it knows.
NEXT_STATUS = {
    'incoming': ('in_review', 'in_review', 'in_review', 'rejected'),
    'in_review': ('approved', 'approved', 'approved', 'rejected'),
    'approved': ('in_review',),
    'rejected': ('in_review',),
}

NO_ANSWER = (http.client.RemoteDisconnected, http.client.BadStatusLine,
             http.client.IncompleteRead, ConnectionResetError,
             BrokenPipeError, ConnectionAbortedError)
MAX_ATTEMPTS = 30


def editor_tokens(n):
    return [('ed%02d' % i, 'load-secret-%02d-%s' % (i, 'x' * 8))
            for i in range(1, n + 1)]


def percentile(values, p):
    if not values:
        return float('nan')
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100.0 * (len(s) - 1)))))
    return s[k]


class Answer:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.body = None
        if raw:
            self.body = json.loads(raw.decode('utf-8'))

    def code(self):
        if self.status < 300 or not isinstance(self.body, dict):
            return None
        return (self.body.get('error') or {}).get('code')


class Ledger:
    """What the editors were told, for the check at the end."""

    def __init__(self):
        self.lock = threading.Lock()
        self.patch_acked = {}       # title -> (entry id, revision)
        self.patch_uncertain = {}   # title -> entry id
        self.status_acked = []      # (entry id, revision)
        self.status_uncertain = 0
        self.publish = {}           # key -> (entry id, if-match, final Answer, attempts)
        self.newest = {}            # entry id -> newest entry an answer held
        self.unexpected = []        # (kind, status, code, message)
        self.gave_up = []           # (kind, path) that never got an answer
        self.latency = defaultdict(list)   # kind -> seconds, per attempt
        self.answers = defaultdict(Counter)  # kind -> Counter((status, code))
        self.faults = Counter()     # '503', 'no answer'

    def saw(self, entry):
        if not isinstance(entry, dict) or 'revision' not in entry:
            return
        with self.lock:
            old = self.newest.get(entry['id'])
            if old is None or old['revision'] < entry['revision']:
                self.newest[entry['id']] = entry


class Editor(threading.Thread):
    def __init__(self, run, index, account, token, own):
        super().__init__(name='editor-%s' % account, daemon=True)
        self.run_ = run
        self.account = account
        self.token = token
        self.own = own
        self.rnd = random.Random(run.seed * 1000 + index)
        self.known = {}
        self.cursor = None
        self.held = None
        self.seq = 0
        self.conn = None
        self.error = None

    # transport

    def connect(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = http.client.HTTPConnection(HOST, self.run_.port, timeout=30)

    def exchange(self, kind, method, path, body, headers):
        """One attempt: (Answer or None when the connection gave no answer)."""
        hdrs = {'Authorization': 'Bearer ' + self.token}
        hdrs.update(headers)
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode('utf-8')
            hdrs['Content-Type'] = JSON_CT
        start = time.monotonic()
        try:
            if self.conn is None:
                self.connect()
            self.conn.request(method, path, body=data, headers=hdrs)
            resp = self.conn.getresponse()
            raw = resp.read()
            answer = Answer(resp.status, resp.headers, raw)
            if resp.will_close:
                self.connect()
        except NO_ANSWER:
            self.connect()
            answer = None
        elapsed = time.monotonic() - start
        led = self.run_.ledger
        with led.lock:
            led.latency[kind].append(elapsed)
            if answer is None:
                led.faults['no answer'] += 1
            elif answer.status == 503:
                led.faults['503'] += 1
        return answer

    def call(self, kind, method, path, body=None, headers=None):
        """Sends until answered other than by an injected 503: (Answer,
        whether an earlier attempt may have been committed unseen)."""
        lost = False
        for _ in range(MAX_ATTEMPTS):
            answer = self.exchange(kind, method, path, body, headers or {})
            if answer is None:
                lost = True
                continue
            if answer.status == 503 and self.run_.faults:
                continue
            led = self.run_.ledger
            code = answer.code()
            with led.lock:
                led.answers[kind][(answer.status, code)] += 1
                if (answer.status, code) not in ALLOWED[kind]:
                    msg = answer.body.get('error', {}).get('message') \
                        if isinstance(answer.body, dict) else answer.raw[:200]
                    led.unexpected.append((kind, method, path, answer.status,
                                           code, msg))
            return answer, lost
        with self.run_.ledger.lock:
            self.run_.ledger.gave_up.append((kind, path))
        return None, lost

    # operations

    def pick(self):
        if self.rnd.random() < SHARED_SHARE:
            return self.rnd.choice(self.run_.ids)
        return self.rnd.choice(self.own)

    def remember(self, entry):
        if isinstance(entry, dict) and 'revision' in entry:
            old = self.known.get(entry['id'])
            if old is None or old['revision'] <= entry['revision']:
                self.known[entry['id']] = entry
            self.run_.ledger.saw(entry)

    def current_of(self, entry_id):
        if entry_id not in self.known:
            self.op_read(entry_id)
        return self.known.get(entry_id)

    def op_read(self, entry_id=None):
        entry_id = entry_id or self.pick()
        answer, _ = self.call('read', 'GET', '/api/v1/entries/' + entry_id)
        if answer is not None and answer.status == 200:
            self.remember(answer.body)

    def op_feed(self):
        path = '/api/v1/entries?limit=100'
        if self.cursor is not None:
            path += '&since=' + self.cursor
        answer, _ = self.call('feed', 'GET', path)
        if answer is not None and answer.status == 200:
            self.cursor = answer.body['cursor']

    def op_edit(self):
        entry_id = self.pick()
        e = self.current_of(entry_id)
        if e is None:
            return
        self.seq += 1
        title = '負荷試験 %s の編集 %d' % (self.account, self.seq)
        answer, lost = self.call('edit', 'PATCH', '/api/v1/entries/' + entry_id,
                                 body={'title': title},
                                 headers={'If-Match': etag(e['revision'])})
        led = self.run_.ledger
        if answer is not None and answer.status == 200:
            with led.lock:
                led.patch_acked[title] = (entry_id, answer.body['revision'])
            self.remember(answer.body)
            return
        current = answer.body.get('current') if answer is not None and \
            answer.status == 412 else None
        if lost:
            with led.lock:
                if current is not None and current.get('title') == title:
                    # Landed before its answer was lost: the 412 shows it
                    # (at a revision at most the current one).
                    led.patch_acked[title] = (entry_id, None)
                else:
                    led.patch_uncertain[title] = entry_id
        if current is not None:
            self.remember(current)
        elif answer is not None and answer.status == 409:
            self.known.pop(entry_id, None)

    def op_status(self):
        candidates = [e for e in self.known.values()
                      if e['status'] in NEXT_STATUS]
        if not candidates:
            self.op_read()
            return
        e = self.rnd.choice(candidates)
        target = self.rnd.choice(NEXT_STATUS[e['status']])
        answer, lost = self.call('status', 'POST',
                                 '/api/v1/entries/%s/status' % e['id'],
                                 body={'status': target, 'reason': '負荷試験'},
                                 headers={'If-Match': etag(e['revision'])})
        led = self.run_.ledger
        if answer is not None and answer.status == 200:
            with led.lock:
                led.status_acked.append((e['id'], answer.body['revision']))
            self.remember(answer.body)
            return
        if lost:
            with led.lock:
                led.status_uncertain += 1
        if answer is not None and answer.status == 412:
            self.remember(answer.body['current'])

    def op_publish(self):
        candidates = [e for e in self.known.values()
                      if e['status'] in ('approved', 'published')]
        if not candidates:
            self.op_status()
            return
        e = self.rnd.choice(candidates)
        self.seq += 1
        key = 'load-%s-%d-%d' % (self.account, self.run_.seed, self.seq)
        if_match = etag(e['revision'])
        answer, lost = self.call('publish', 'POST',
                                 '/api/v1/entries/%s/publish' % e['id'],
                                 headers={'If-Match': if_match,
                                          'Idempotency-Key': key})
        with self.run_.ledger.lock:
            self.run_.ledger.publish[key] = (e['id'], if_match, answer, lost)
        if answer is None:
            return
        if answer.status == 200:
            self.remember(answer.body['entry'])
        elif answer.status == 412:
            self.remember(answer.body['current'])

    def op_lock(self):
        if self.held is not None:
            entry_id, self.held = self.held, None
            self.call('unlock', 'DELETE', '/api/v1/entries/%s/lock' % entry_id)
            return
        entry_id = self.pick()
        answer, _ = self.call('lock', 'PUT', '/api/v1/entries/%s/lock' % entry_id)
        if answer is not None and answer.status == 200:
            self.held = entry_id

    def run(self):
        ops = {'read': self.op_read, 'feed': self.op_feed, 'edit': self.op_edit,
               'status': self.op_status, 'publish': self.op_publish,
               'lock': self.op_lock}
        names = list(WEIGHTS)
        weights = [WEIGHTS[n] for n in names]
        try:
            self.run_.start_barrier.wait(30)
            while time.monotonic() < self.run_.deadline:
                ops[self.rnd.choices(names, weights)[0]]()
            if self.held is not None:
                self.op_lock()
        except Exception as e:  # reported by the check, not lost in a thread
            import traceback
            self.error = '%s: %s\n%s' % (self.name, e, traceback.format_exc())
        finally:
            if self.conn is not None:
                self.conn.close()


class LoadRun:
    """Starts a site, seeds it, runs `editors` threads for `seconds`, checks."""

    def __init__(self, editors=50, seconds=15.0, entries_per_editor=ENTRIES_PER_EDITOR,
                 fault_args=(), seed=1):
        self.n_editors = editors
        self.seconds = seconds
        self.fault_args = list(fault_args)
        self.faults = bool(fault_args)
        self.seed = seed
        self.tokens = editor_tokens(editors)
        self.n_entries = editors * entries_per_editor
        self.ledger = Ledger()
        self.server = None
        self.port = None
        self.ids = []
        self.deadline = None
        self.elapsed = None

    def start(self):
        args = ['--token', 'pipe:pipeline:' + PIPELINE]
        for account, token in self.tokens:
            args += ['--token', '%s:editor:%s' % (account, token)]
        # Seeded without faults; the run's site is then restarted with them.
        self.server = Server(args, tokens=False)
        self.server.start()
        api = self.server.client(PIPELINE)
        conn = api.connect()
        try:
            for i in range(self.n_entries):
                e = make_entry('load-%04d' % i, n=i)
                resp = api.send(conn, *api.prepare('POST', '/api/v1/entries',
                                                   json_body=e))
                if resp.status != 201:
                    raise AssertionError('seeding: %r' % resp)
                self.ids.append(e['id'])
        finally:
            conn.close()
        if self.faults:
            self.server.stop()
            self.server.extra_args = args + self.fault_args
            self.server.start()
        self.port = self.server.port
        return self

    def run(self):
        editors = []
        for i, (account, token) in enumerate(self.tokens):
            own = self.ids[i * ENTRIES_PER_EDITOR:(i + 1) * ENTRIES_PER_EDITOR] \
                or self.ids
            editors.append(Editor(self, i, account, token, own))
        self.start_barrier = threading.Barrier(len(editors) + 1)
        for ed in editors:
            ed.start()
        start = time.monotonic()
        self.deadline = start + self.seconds
        self.start_barrier.wait(30)
        for ed in editors:
            ed.join(self.seconds + 120)
        self.elapsed = time.monotonic() - start
        self.editors = editors
        return self

    def cleanup(self):
        if self.server is not None:
            self.server.cleanup()

    # figures

    def n_requests(self):
        return sum(len(v) for v in self.ledger.latency.values())

    def report(self):
        led = self.ledger
        lines = ['%d editors, %.1f s%s: %d requests, %.0f requests/s'
                 % (self.n_editors, self.elapsed,
                    ' with ' + ' '.join(self.fault_args) if self.faults else '',
                    self.n_requests(), self.n_requests() / self.elapsed)]
        lines.append('%-8s %7s %9s %9s %9s  %s' % ('kind', 'n', 'p50 ms',
                                                  'p99 ms', 'max ms', 'answers'))
        for kind in KINDS:
            lat = led.latency.get(kind, [])
            answers = ', '.join('%d%s ×%d' % (s, ' ' + c if c else '', n)
                                for (s, c), n in sorted(led.answers[kind].items(),
                                                        key=lambda x: (x[0][0], x[0][1] or '')))
            lines.append('%-8s %7d %9.1f %9.1f %9.1f  %s'
                         % (kind, len(lat), percentile(lat, 50) * 1000,
                            percentile(lat, 99) * 1000,
                            (max(lat) if lat else float('nan')) * 1000, answers))
        if self.faults:
            lines.append('faults seen: %s; PATCH answers lost and uncertain: %d; '
                         'publishes retried after a lost answer: %d'
                         % (dict(led.faults), len(led.patch_uncertain),
                            sum(1 for v in led.publish.values() if v[3])))
        return '\n'.join(lines)

    # the check

    def query(self, sql, *args):
        db = sqlite3.connect('file:%s?mode=ro' % self.server.db, uri=True,
                             timeout=10)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    def check(self, t):
        """Assertions through the unittest.TestCase t."""
        led = self.ledger
        for ed in self.editors:
            t.assertFalse(ed.is_alive(), '%s still running' % ed.name)
            t.assertIsNone(ed.error)
        t.assertEqual(led.unexpected, [], 'answers the contract does not allow')
        t.assertEqual(led.gave_up, [], 'requests never answered')

        # The site still answers, at once and correctly.
        t.assertIsNone(self.server.proc.poll(), 'digest-site exited')
        api = self.server.client(self.tokens[0][1], timeout=5)
        for _ in range(MAX_ATTEMPTS):
            resp = api.get('/api/v1/me')
            if resp.status != 503:
                break
        t.assertEqual(resp.status, 200, resp)
        t.assertEqual(resp.body['account'], self.tokens[0][0])

        # Enough happened for the check to mean something.
        t.assertGreaterEqual(len(led.patch_acked), 20, 'too few edits landed')
        n_published = sum(1 for v in led.publish.values()
                          if v[2] is not None and v[2].status == 200)
        t.assertGreaterEqual(n_published, 3, 'too few publishes')
        t.assertGreaterEqual(len(led.status_acked), 10, 'too few status changes')

        rows = self.query('SELECT entry_id, revision, action, '
                          "json_extract(json, '$.title') FROM revisions")
        by_entry = defaultdict(list)
        patches = defaultdict(list)
        actions = Counter()
        for entry_id, rev, action, title in rows:
            by_entry[entry_id].append(rev)
            actions[action] += 1
            if action == 'patch':
                patches[title].append((entry_id, rev))
        action_at = {(e, r): a for e, r, a, _ in rows}

        # Every acknowledged PATCH is one revision, where it was answered.
        for title, (entry_id, rev) in led.patch_acked.items():
            got = patches.get(title) or []
            t.assertEqual(len(got), 1, 'PATCH %r: answered at %s %s, in the '
                          'database %r' % (title, entry_id, rev, got))
            t.assertEqual(got[0][0], entry_id, title)
            if rev is not None:
                t.assertEqual(got[0][1], rev, title)
        # An uncertain one is there at most once; nothing else is.
        for title, entry_id in led.patch_uncertain.items():
            t.assertIn(len(patches.get(title, [])), (0, 1), title)
        unknown = set(patches) - set(led.patch_acked) - set(led.patch_uncertain)
        t.assertEqual(unknown, set(), 'patch revisions no editor sent')
        for title, where in patches.items():
            t.assertEqual(len(where), 1, 'PATCH %r landed twice: %r' % (title, where))

        # Status changes: each acknowledged one is a `status` revision.
        for entry_id, rev in led.status_acked:
            t.assertEqual(action_at.get((entry_id, rev)), 'status', (entry_id, rev))
        t.assertGreaterEqual(actions['status'], len(led.status_acked))
        t.assertLessEqual(actions['status'],
                          len(led.status_acked) + led.status_uncertain)

        # Publishes: each key answered 200 is one `publish` revision, and
        # there is no other; a key retried got the first answer stored.
        stored = {k: (e, m, s, b) for k, e, m, s, b in self.query(
            'SELECT key, entry_id, if_match, status, body FROM idempotency')}
        published_revs = set()
        for key, (entry_id, if_match, answer, lost) in led.publish.items():
            t.assertIsNotNone(answer, key)
            row = stored.get(key)
            t.assertIsNotNone(row, 'publish key %s not stored' % key)
            t.assertEqual(row[:3], (entry_id, if_match, answer.status), key)
            t.assertEqual(json.loads(row[3]), answer.body,
                          'key %s: the answer is not the stored first answer' % key)
            if answer.status == 200:
                rev = answer.body['entry']['revision']
                t.assertEqual(action_at.get((entry_id, rev)), 'publish',
                              (key, entry_id, rev))
                published_revs.add((entry_id, rev))
        t.assertEqual(len(published_revs), n_published,
                      'two keys answered with the same publication')
        t.assertEqual(actions['publish'], n_published,
                      'publications in the database vs publishes answered 200')
        t.assertEqual(set(stored), set(led.publish), 'keys no editor sent')

        # Revisions without gaps; the entry as stored is the newest answered.
        current = dict(self.query('SELECT id, revision FROM entries'))
        t.assertEqual(set(current), set(self.ids))
        for entry_id in self.ids:
            revs = sorted(by_entry[entry_id])
            t.assertEqual(revs, list(range(1, current[entry_id] + 1)), entry_id)
        if not self.faults:
            api = self.server.client(PIPELINE)
            for entry_id in self.ids:
                resp = api.entry(entry_id)
                t.assertEqual(resp.status, 200)
                newest = dict(led.newest.get(entry_id) or {})
                got = dict(resp.body)
                newest.pop('lock', None)
                got.pop('lock', None)
                t.assertEqual(got['revision'], newest.get('revision'), entry_id)
                t.assertEqual(got, newest, entry_id)
