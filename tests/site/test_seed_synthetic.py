#!/usr/bin/env python3
# test_seed_synthetic.py: --seed with the sample corpus, bad seeds, --synthetic
# SPDX-License-Identifier: GPL-3.0-or-later

import glob
import json
import os
import re
import sys
import time
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean when run directly

from sitelib import (EDITABLE, STATUSES, Server, SiteTestCase, etag, make_entry,
                     sample_dir)

CJK = re.compile(r'[\u3040-\u30ff\u4e00-\u9fff]')


def sample_seed_files():
    """Every data/sample/*.json that is an entry array (the corpus also holds
    the glossary and the *.defects.json lists, which are not seeds)."""
    files = []
    for path in sorted(glob.glob(os.path.join(sample_dir(), '*.json'))):
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
        if (isinstance(data, list) and data
                and all(isinstance(x, dict) and 'id' in x for x in data)):
            files.append((path, data))
    return files


class SampleSeedTest(SiteTestCase):
    server_args = None

    def setUp(self):
        super().setUp()
        self.files = sample_seed_files()
        self.assertTrue(self.files, 'no seed file (*.json entry array) in %s'
                        % sample_dir())
        self.expected = {}
        for path, data in self.files:
            for item in data:
                self.expected.setdefault(item['id'], item)
        self.args = []
        for path, _ in self.files:
            self.args += ['--seed', path]

    def check_entry(self, item, e):
        self.assertEqual(e['status'], item.get('status', 'incoming'))
        self.assertEqual(e['revision'], item.get('revision', 1))
        self.assertEqual(e['kind'], item['kind'])
        self.assertEqual(e['machine'], item['machine'])
        self.assertEqual(e['original'], item['original'])
        self.assertEqual(e['source'], item['source'])
        for k in EDITABLE:
            self.assertEqual(e[k], item.get(k, item['machine'][k]), k)
        if 'editorial_comment' in item:
            self.assertEqual(e['editorial_comment'], item['editorial_comment'])
        self.assertEqual(e['published'], item.get('published'))
        self.assertIsNone(e['lock'])

    def test_every_sample_entry_served(self):
        server = self.start_server(self.args)
        self.api = server.client()
        for entry_id, item in self.expected.items():
            with self.subTest(id=entry_id):
                self.check_entry(item, self.get_entry(entry_id))
        seen, _, _ = self.read_feed(limit=7)
        ids = [s['id'] for s in seen]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(set(ids), set(self.expected))
        for status in STATUSES:
            want = {i for i, x in self.expected.items()
                    if x.get('status', 'incoming') == status}
            got, _, _ = self.read_feed(status=status)
            self.assertEqual({s['id'] for s in got}, want, status)

    def test_restart_with_same_seed(self):
        server = self.start_server(self.args)
        self.api = server.client()
        before = {i: self.get_entry(i) for i in self.expected}
        # An edit made on the site is not overwritten by the seed on restart.
        some = next(i for i, x in self.expected.items()
                    if x.get('status', 'incoming') == 'incoming')
        p = self.assertOk(self.api.patch(some, {'tldr': '再起動しても残る要約'},
                                         etag(before[some]['revision'])))
        before[some] = p
        for _ in range(2):
            server.restart()
            self.api = server.client()
            after = {i: self.get_entry(i) for i in self.expected}
            self.assertEqual(after, before)
            seen, _, _ = self.read_feed(limit=500)
            self.assertEqual(len(seen), len(self.expected))


class BadSeedTest(SiteTestCase):
    server_args = None

    def run_args(self, *args):
        server = Server(list(args))
        self.addCleanup(server.cleanup)
        return server.run_to_exit()

    def test_usage_errors_exit_2(self):
        for args in (['--no-such-option'], ['--token', 'sato'],
                     ['--token', 'sato:admin:x'], ['--fail-rate', 'many'],
                     ['--synthetic', '-5']):
            with self.subTest(args=args):
                rc, out = self.run_args(*args)
                self.assertEqual(rc, 2, out)
                self.assertTrue(out.strip(), 'no message')

    def run_bad(self, name, content):
        server = Server()
        self.addCleanup(server.cleanup)
        path = os.path.join(server.dir, name)
        with open(path, 'wb') as f:
            f.write(content)
        server.extra_args = ['--seed', path]
        rc, out = server.run_to_exit()
        self.assertEqual(rc, 1, out)
        self.assertIn(name, out)
        return out

    def test_not_json(self):
        self.run_bad('broken-seed.json', b'[{"id": "x",')

    def test_not_an_array(self):
        self.run_bad('object-seed.json', json.dumps(make_entry()).encode())

    def test_invalid_field_named(self):
        good = make_entry('seed-good')
        bad = make_entry('seed-bad')
        bad['machine']['importance']['depth'] = 9
        out = self.run_bad('bad-field-seed.json',
                           json.dumps([good, bad], ensure_ascii=False).encode())
        self.assertIn('importance.depth', out)

    def test_missing_file(self):
        server = Server()
        self.addCleanup(server.cleanup)
        path = os.path.join(server.dir, 'no-such-seed.json')
        server.extra_args = ['--seed', path]
        rc, out = server.run_to_exit()
        self.assertEqual(rc, 1, out)
        self.assertIn('no-such-seed.json', out)


class SyntheticTest(SiteTestCase):
    server_args = None
    N = 10000

    def test_synthetic_10000(self):
        t0 = time.monotonic()
        server = Server(['--synthetic', str(self.N)])
        self.addCleanup(server.cleanup)
        server.start(timeout=45)
        self.api = server.client(timeout=30)
        seen, cursor, pages = self.read_feed(limit=500)
        ids = [s['id'] for s in seen]
        self.assertEqual(len(ids), len(set(ids)), 'duplicates in the feed')
        self.assertEqual(set(ids), {'synthetic-%06d' % i
                                    for i in range(1, self.N + 1)})
        self.assertLessEqual(pages, self.N // 500 + 1)
        kinds = {s['kind'] for s in seen}
        self.assertEqual(kinds, {'article', 'paper', 'video'})
        statuses = {s['status'] for s in seen}
        self.assertTrue(statuses <= set(STATUSES), statuses)
        self.assertGreaterEqual(len(statuses), 3, statuses)
        japanese = sum(1 for s in seen if CJK.search(s['title']))
        self.assertEqual(japanese, self.N)
        e = self.get_entry('synthetic-000001')
        self.assertTrue(e['original']['html'])
        self.assertTrue(CJK.search(e['body']))

        # Restarting with the same option adds nothing.
        server.restart(timeout=45)
        self.api = server.client(timeout=30)
        body = self.assertOk(self.api.feed(since=cursor))
        self.assertEqual(body['entries'], [])
        again, _, _ = self.read_feed(limit=500)
        self.assertEqual(len(again), self.N)
        self.assertLess(time.monotonic() - t0, 60)


if __name__ == '__main__':
    unittest.main(verbosity=2)
