#!/usr/bin/env python3
# test_concurrency.py: simultaneous writes to one revision and one publish key
# SPDX-License-Identifier: GPL-3.0-or-later

import sys
import threading
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean when run directly

from sitelib import EDITOR, EDITOR2, PIPELINE, SiteTestCase, etag, make_entry

ROUNDS = 20


def race(workers, timeout=20.0):
    """Runs each worker(barrier) in its own thread, released together."""
    barrier = threading.Barrier(len(workers), timeout=timeout)
    results = [None] * len(workers)

    def run(i, fn):
        try:
            results[i] = fn(barrier)
        except BaseException as e:  # reported by the test, not lost
            results[i] = e

    threads = [threading.Thread(target=run, args=(i, fn))
               for i, fn in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout + 10)
    return results


def sender(client, method, path, **kw):
    """A worker that connects first, then waits at the barrier, then sends, so
    the two requests leave as close together as the machine allows."""
    parts = client.prepare(method, path, **kw)

    def work(barrier):
        conn = client.connect()
        try:
            barrier.wait()
            return client.send(conn, *parts)
        finally:
            conn.close()
    return work


class ConcurrencyTest(SiteTestCase):
    def test_parallel_patch_same_revision(self):
        a = self.server.client(EDITOR)
        b = self.server.client(EDITOR2)
        for round_no in range(ROUNDS):
            with self.subTest(round=round_no):
                e = self.create(n=round_no)
                rev = etag(e['revision'])
                results = race([
                    sender(a, 'PATCH', '/api/v1/entries/' + e['id'],
                           json_body={'title': '佐藤の題名 %d' % round_no},
                           headers={'If-Match': rev}),
                    sender(b, 'PATCH', '/api/v1/entries/' + e['id'],
                           json_body={'title': '鈴木の題名 %d' % round_no},
                           headers={'If-Match': rev}),
                ])
                for r in results:
                    self.assertNotIsInstance(r, BaseException, r)
                statuses = sorted(r.status for r in results)
                self.assertEqual(statuses, [200, 412], results)
                won = next(r for r in results if r.status == 200)
                lost = next(r for r in results if r.status == 412)
                self.assertOk(won)
                self.assertError(lost, 412, 'precondition_failed')
                self.assertEqual(won.body['revision'], e['revision'] + 1)
                self.assertEqual(lost.body['current'], won.body)
                self.assertEqual(self.get_entry(e['id']), won.body)

    def test_parallel_publish_same_key(self):
        a = self.server.client(EDITOR)
        b = self.server.client(EDITOR2)
        for round_no in range(ROUNDS // 2):
            with self.subTest(round=round_no):
                e = self.bring_to('approved')
                key = 'parallel-%d' % round_no
                headers = {'If-Match': etag(e['revision']),
                           'Idempotency-Key': key}
                path = '/api/v1/entries/%s/publish' % e['id']
                results = race([sender(a, 'POST', path, headers=headers),
                                sender(b, 'POST', path, headers=headers)])
                for r in results:
                    self.assertNotIsInstance(r, BaseException, r)
                    self.assertOk(r)
                self.assertEqual(results[0].body, results[1].body)
                self.assertEqual(results[0].header('ETag'),
                                 results[1].header('ETag'))
                # One publication: the revision moved exactly once.
                g = self.get_entry(e['id'])
                self.assertEqual(g['revision'], e['revision'] + 1)
                self.assertEqual(g['status'], 'published')
                self.assertEqual(results[0].body['entry'], g)

    def test_parallel_status_same_revision(self):
        a = self.server.client(EDITOR)
        b = self.server.client(EDITOR2)
        for round_no in range(ROUNDS // 2):
            with self.subTest(round=round_no):
                e = self.bring_to('in_review')
                path = '/api/v1/entries/%s/status' % e['id']
                hdrs = {'If-Match': etag(e['revision'])}
                results = race([
                    sender(a, 'POST', path, json_body={'status': 'approved'},
                           headers=hdrs),
                    sender(b, 'POST', path, json_body={'status': 'rejected'},
                           headers=hdrs)])
                for r in results:
                    self.assertNotIsInstance(r, BaseException, r)
                self.assertEqual(sorted(r.status for r in results), [200, 412],
                                 results)
                won = next(r for r in results if r.status == 200)
                self.assertEqual(self.get_entry(e['id']), won.body)

    def test_parallel_create_same_id(self):
        p1 = self.server.client(PIPELINE)
        p2 = self.server.client(PIPELINE)
        for round_no in range(ROUNDS // 2):
            with self.subTest(round=round_no):
                src = make_entry(n=round_no)
                results = race([
                    sender(p1, 'POST', '/api/v1/entries', json_body=src),
                    sender(p2, 'POST', '/api/v1/entries', json_body=src)])
                for r in results:
                    self.assertNotIsInstance(r, BaseException, r)
                self.assertEqual(sorted(r.status for r in results), [201, 409],
                                 results)
                self.assertEqual(self.get_entry(src['id'])['revision'], 1)

    def test_parallel_lock(self):
        a = self.server.client(EDITOR)
        b = self.server.client(EDITOR2)
        for round_no in range(ROUNDS // 2):
            with self.subTest(round=round_no):
                e = self.create(n=round_no)
                path = '/api/v1/entries/%s/lock' % e['id']
                results = race([sender(a, 'PUT', path), sender(b, 'PUT', path)])
                for r in results:
                    self.assertNotIsInstance(r, BaseException, r)
                self.assertEqual(sorted(r.status for r in results), [200, 409],
                                 results)
                won = next(r for r in results if r.status == 200)
                lost = next(r for r in results if r.status == 409)
                self.assertError(lost, 409, 'locked')
                self.assertEqual(lost.body['lock'], won.body['lock'])
                self.assertEqual(self.get_entry(e['id'])['lock'],
                                 won.body['lock'])


if __name__ == '__main__':
    unittest.main(verbosity=2)
