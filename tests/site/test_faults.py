#!/usr/bin/env python3
# test_faults.py: digest-site's fault injection (--fail-rate, --delay-ms, ...)
# SPDX-License-Identifier: GPL-3.0-or-later

import http.client
import sys
import threading
import time
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean when run directly

from sitelib import (EDITOR, PIPELINE, UNKNOWN, SiteTestCase, etag, make_entry,
                     parse_time)

NO_RESPONSE = (http.client.RemoteDisconnected, http.client.BadStatusLine,
               ConnectionResetError, BrokenPipeError)


class FailRateOneTest(SiteTestCase):
    server_args = ('--fail-rate', '1')

    def check_503(self, resp):
        body = self.assertError(resp, 503, 'internal')
        self.assertEqual(body['error']['message'], 'injected failure')
        return body

    def test_every_request_fails(self):
        for method, path, token in [
                ('GET', '/api/v1/me', EDITOR), ('GET', '/api/v1/me', None),
                ('GET', '/api/v1/me', UNKNOWN), ('GET', '/api/v1/config', EDITOR),
                ('GET', '/api/v1/entries', EDITOR),
                ('GET', '/api/v1/entries/x', EDITOR),
                ('GET', '/api/v1/no-such-path', EDITOR),
                ('PATCH', '/api/v1/entries/x', EDITOR),
                ('POST', '/api/v1/entries/x/publish', EDITOR),
                ('PUT', '/api/v1/entries/x/lock', EDITOR),
                ('GET', '/api/v1/glossary', EDITOR)]:
            with self.subTest(method=method, path=path, token=token):
                resp = self.api.request(method, path, token=token)
                self.check_503(resp)
                self.assertIsNone(resp.header('Retry-After'))
        resp = self.api.create(make_entry(), token=PIPELINE)
        self.check_503(resp)


class RetryAfterTest(SiteTestCase):
    server_args = ('--fail-rate', '1', '--retry-after', '3')

    def test_retry_after_header(self):
        for _ in range(3):
            resp = self.api.get('/api/v1/me')
            self.assertError(resp, 503, 'internal')
            self.assertEqual(resp.header('Retry-After'), '3')


class FailRateHalfTest(SiteTestCase):
    server_args = None
    ARGS = ('--fail-rate', '0.5', '--fault-seed', '1')
    N = 200

    def pattern(self):
        server = self.start_server(self.ARGS)
        api = server.client()
        out = []
        for _ in range(self.N):
            resp = api.get('/api/v1/me')
            if resp.status == 503:
                self.assertError(resp, 503, 'internal')
            else:
                self.assertEqual(self.assertOk(resp)['account'], 'sato')
            out.append(resp.status)
        server.cleanup()
        return out

    def test_about_half_and_reproducible(self):
        first = self.pattern()
        failed = first.count(503)
        self.assertGreaterEqual(failed, 0.3 * self.N, first)
        self.assertLessEqual(failed, 0.7 * self.N, first)
        # The same seed and the same requests draw the same faults.
        self.assertEqual(self.pattern(), first)


class DelayTest(SiteTestCase):
    server_args = ('--delay-ms', '300')

    def test_single_request_waits(self):
        t0 = time.monotonic()
        self.assertOk(self.api.get('/api/v1/me'))
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)

    def test_concurrent_requests_not_serialized(self):
        n = 4
        results = [None] * n
        barrier = threading.Barrier(n)

        def run(i):
            barrier.wait()
            results[i] = self.api.get('/api/v1/me', timeout=10)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        elapsed = time.monotonic() - t0
        for r in results:
            self.assertIsNotNone(r)
            self.assertOk(r)
        # Serialized, 4 × 300 ms would take 1.2 s at least.
        self.assertGreaterEqual(elapsed, 0.3)
        self.assertLess(elapsed, 0.9, 'concurrent requests took %.2f s' % elapsed)


class DropAfterCommitTest(SiteTestCase):
    server_args = ('--drop-after-commit', '1')

    def assertDropped(self, fn):
        with self.assertRaises(NO_RESPONSE):
            fn()

    def test_write_committed_without_answer(self):
        src = make_entry()
        self.assertDropped(lambda: self.api.create(src, token=PIPELINE))
        e = self.get_entry(src['id'])
        self.assertEqual(e['revision'], 1)
        self.assertEqual(e['status'], 'incoming')

        self.assertDropped(lambda: self.api.patch(e['id'], {'title': '届かない返事'},
                                                  etag(e['revision'])))
        p = self.get_entry(e['id'])
        self.assertEqual(p['revision'], e['revision'] + 1)
        self.assertEqual(p['title'], '届かない返事')
        self.assertEqual(p['status'], 'in_review')
        self.assertGreaterEqual(parse_time(p['updated_at']),
                                parse_time(e['updated_at']))

        self.assertDropped(lambda: self.api.lock(e['id']))
        self.assertEqual(self.get_entry(e['id'])['lock']['editor'], 'sato')

    def test_errors_and_reads_are_answered(self):
        src = make_entry()
        self.assertDropped(lambda: self.api.create(src, token=PIPELINE))
        self.assertError(self.api.patch(src['id'], {'title': 'x'}, None), 428,
                         'precondition_required')
        self.assertError(self.api.patch(src['id'], {'title': 'x'}, '"7"'), 412,
                         'precondition_failed')
        self.assertError(self.api.create(src, token=PIPELINE), 409, 'conflict')
        self.assertOk(self.api.feed())
        self.assertEqual(self.get_entry(src['id'])['revision'], 1)


if __name__ == '__main__':
    unittest.main(verbosity=2)
