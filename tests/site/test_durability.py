#!/usr/bin/env python3
# test_durability.py: what was answered survives kill -9; cursors survive restarts
# SPDX-License-Identifier: GPL-3.0-or-later

import sys
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean when run directly

from sitelib import SiteTestCase, etag


class DurabilityTest(SiteTestCase):
    def test_patch_survives_kill9(self):
        for i in range(5):
            with self.subTest(round=i):
                e = self.create(n=i)
                resp = self.api.patch(e['id'], {'title': '消えない題名 %d' % i,
                                                'tags': ['耐久性']},
                                      etag(e['revision']))
                p = self.assertOk(resp)
                self.server.restart(hard=True)
                self.api = self.server.client()
                g = self.get_entry(e['id'])
                self.assertEqual(g, p)
                self.assertEqual(g['title'], '消えない題名 %d' % i)

    def test_every_kind_of_write_survives_kill9(self):
        e = self.bring_to('approved')
        pub = self.assertOk(self.api.publish(e['id'], etag(e['revision']),
                                             'durable-key'))
        lock = self.assertOk(self.api.lock(e['id']))['lock']
        g = self.assertOk(self.api.request(
            'PUT', '/api/v1/glossary', json={'terms': [
                {'source': 'alignment', 'target': 'アラインメント'}]},
            headers={'If-Match': '"1"'}))
        self.server.restart(hard=True)
        self.api = self.server.client()
        after = self.get_entry(e['id'])
        self.assertEqual(after['status'], 'published')
        self.assertEqual(after['revision'], pub['entry']['revision'])
        self.assertEqual(after['published'], pub['entry']['published'])
        self.assertEqual(after['lock'], lock)
        self.assertEqual(self.assertOk(self.api.get('/api/v1/glossary')), g)
        # The idempotency key is kept with the database.
        again = self.api.publish(e['id'], etag(e['revision']), 'durable-key')
        self.assertEqual(self.assertOk(again), pub)
        self.assertEqual(self.get_entry(e['id'])['revision'],
                         pub['entry']['revision'])

    def test_cursor_resumes_after_kill9(self):
        es = [self.create(n=i) for i in range(6)]
        ids = [e['id'] for e in es]
        body = self.assertOk(self.api.feed(limit=3))
        self.assertEqual([s['id'] for s in body['entries']], ids[:3])
        self.assertIs(body['more'], True)
        cursor = body['cursor']

        self.server.restart(hard=True)
        self.api = self.server.client()

        # After the restart: change one entry already read (e0), one not yet
        # read (e4), and create two new ones.
        for e in (es[0], es[4]):
            self.assertOk(self.api.patch(e['id'], {'tldr': '再起動後の修正'},
                                         etag(e['revision'])))
        new = [self.create(n=10 + i)['id'] for i in range(2)]

        seen, _, _ = self.read_feed(since=cursor, limit=2)
        got = [s['id'] for s in seen]
        self.assertEqual(got, [ids[3], ids[5], ids[0], ids[4]] + new)
        self.assertEqual(len(got), len(set(got)))

    def test_cursor_survives_clean_restart(self):
        ids = [self.create(n=i)['id'] for i in range(3)]
        _, cursor, _ = self.read_feed()
        self.server.restart()
        self.api = self.server.client()
        body = self.assertOk(self.api.feed(since=cursor))
        self.assertEqual(body['entries'], [])
        self.assertIs(body['more'], False)
        more = self.create(n=9)['id']
        body = self.assertOk(self.api.feed(since=cursor))
        self.assertEqual([s['id'] for s in body['entries']], [more])
        seen, _, _ = self.read_feed()
        self.assertEqual([s['id'] for s in seen], ids + [more])


if __name__ == '__main__':
    unittest.main(verbosity=2)
