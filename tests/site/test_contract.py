#!/usr/bin/env python3
# test_contract.py: every endpoint of the Site API, success and error cases
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Written from shared/site-api.md and docs/site-api-notes.md only; digest-site
# is a black box here.

import copy
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean when run directly

from sitelib import (EDITOR, EDITOR2, EDITABLE, PIPELINE, PUBLIC_BASE,
                     UNKNOWN, Server, SiteTestCase, etag, make_entry, new_id,
                     parse_time, raw_exchange, split_raw_response)

SUMMARY_OMITS = ('body', 'machine')


class MeTest(SiteTestCase):
    def test_me_editor(self):
        body = self.assertOk(self.api.get('/api/v1/me'))
        self.assertEqual(body, {'account': 'sato', 'display_name': '佐藤',
                                'role': 'editor'})

    def test_me_display_name_defaults_to_account(self):
        body = self.assertOk(self.api.get('/api/v1/me', token=EDITOR2))
        self.assertEqual(body, {'account': 'suzuki', 'display_name': 'suzuki',
                                'role': 'editor'})

    def test_me_pipeline_secret_with_colon(self):
        body = self.assertOk(self.api.get('/api/v1/me', token=PIPELINE))
        self.assertEqual(body['account'], 'pipe')
        self.assertEqual(body['role'], 'pipeline')

    def check_401(self, resp):
        self.assertError(resp, 401, 'unauthorized')
        challenge = resp.header('WWW-Authenticate')
        self.assertIsNotNone(challenge, resp)
        self.assertEqual(challenge.split()[0].lower(), 'bearer', resp)

    def test_missing_token(self):
        self.check_401(self.api.get('/api/v1/me', token=None))

    def test_unknown_token(self):
        self.check_401(self.api.get('/api/v1/me', token=UNKNOWN))

    def test_not_bearer_scheme(self):
        self.check_401(self.api.get('/api/v1/me', token=None,
                                    headers={'Authorization': 'Basic c2F0bzpzM2NyZXQ='}))

    def test_401_comes_before_404(self):
        self.check_401(self.api.get('/api/v1/no-such-thing', token=None))

    def test_unknown_path_404(self):
        self.assertError(self.api.get('/api/v1/no-such-thing'), 404, 'not_found')
        self.assertError(self.api.get('/api/v2/me'), 404, 'not_found')

    def test_non_json_body_on_bodyless_endpoint_415(self):
        for method, path in (('GET', '/api/v1/me'), ('GET', '/api/v1/config')):
            with self.subTest(method=method, path=path):
                resp = self.api.request(method, path, body=b'hello',
                                        content_type='text/plain')
                self.assertError(resp, 415, 'unsupported_media_type')
                # An empty body: the header is ignored.
                self.assertOk(self.api.request(method, path,
                                               content_type='text/plain'))

    def test_405_allow_lists_methods(self):
        e = self.create()
        resp = self.api.request('POST', '/api/v1/entries/' + e['id'])
        self.assertError(resp, 405, 'bad_request')
        allow = {m.strip() for m in (resp.header('Allow') or '').split(',')}
        self.assertTrue({'GET', 'PATCH'} <= allow, resp.header('Allow'))
        resp = self.api.request('GET', '/api/v1/entries/%s/lock' % e['id'])
        self.assertError(resp, 405, 'bad_request')
        allow = {m.strip() for m in (resp.header('Allow') or '').split(',')}
        self.assertTrue({'PUT', 'DELETE'} <= allow, resp.header('Allow'))

    def test_head_and_no_server_header(self):
        e = self.create()
        resp = self.api.request('HEAD', '/api/v1/me')
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.raw, b'')
        resp = self.api.request('HEAD', '/api/v1/entries/' + e['id'])
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.header('ETag'), '"1"')
        self.assertEqual(resp.raw, b'')
        self.assertEqual(self.api.request('HEAD', '/api/v1/entries/nope').status,
                         404)
        for resp in (self.api.get('/api/v1/me'), self.api.entry('nope'),
                     self.api.get('/api/v1/me', token=None)):
            self.assertIsNone(resp.header('Server'), resp.headers.items())

    def test_wrong_method_405(self):
        resp = self.api.request('DELETE', '/api/v1/me')
        self.assertError(resp, 405, 'bad_request')
        allow = resp.header('Allow') or ''
        self.assertIn('GET', [m.strip() for m in allow.split(',')], resp)

    def test_every_endpoint_requires_a_token(self):
        e = self.create()
        for method, path in [
                ('GET', '/api/v1/config'), ('GET', '/api/v1/entries'),
                ('GET', '/api/v1/entries/' + e['id']),
                ('PATCH', '/api/v1/entries/' + e['id']),
                ('POST', '/api/v1/entries/%s/status' % e['id']),
                ('POST', '/api/v1/entries/%s/publish' % e['id']),
                ('PUT', '/api/v1/entries/%s/lock' % e['id']),
                ('DELETE', '/api/v1/entries/%s/lock' % e['id']),
                ('POST', '/api/v1/entries'), ('GET', '/api/v1/glossary'),
                ('PUT', '/api/v1/glossary')]:
            with self.subTest(method=method, path=path):
                self.check_401(self.api.request(method, path, token=None))
                self.check_401(self.api.request(method, path, token=UNKNOWN))


class NoTokensTest(SiteTestCase):
    server_args = None

    def test_no_token_configured_everything_401(self):
        server = self.start_server((), tokens=False)
        api = server.client()
        resp = api.get('/api/v1/me')
        self.assertError(resp, 401, 'unauthorized')
        self.assertIn('bearer', (resp.header('WWW-Authenticate') or '').lower())


class TokenFileTest(SiteTestCase):
    """--token-file: the secrets stay off the command line (/proc/PID/cmdline
    is readable by every local user)."""
    server_args = None

    def write(self, text):
        path = os.path.join(tempfile.mkdtemp(prefix='digest-site-tokens-'), 'tokens')
        self.addCleanup(shutil.rmtree, os.path.dirname(path), True)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_tokens_from_a_file(self):
        path = self.write('# editors\n\nfile-ed:editor:%s\n  file-pipe:pipeline:%s  \n'
                          % ('f1le-s3cret', 'f1le:p1pe'))
        server = self.start_server(('--token-file', path, '--token', 'sato:editor:' + EDITOR),
                                   tokens=False)
        body = self.assertOk(server.client('f1le-s3cret').get('/api/v1/me'))
        self.assertEqual((body['account'], body['role']), ('file-ed', 'editor'))
        body = self.assertOk(server.client('f1le:p1pe').get('/api/v1/me'))
        self.assertEqual((body['account'], body['role']), ('file-pipe', 'pipeline'))
        self.assertOk(server.client(EDITOR).get('/api/v1/me'))
        self.assertError(server.client('# editors').get('/api/v1/me'), 401, 'unauthorized')
        with open('/proc/%d/cmdline' % server.proc.pid, 'rb') as f:
            cmdline = f.read()
        self.assertNotIn(b'f1le-s3cret', cmdline)
        self.assertIn(path.encode(), cmdline)

    def test_bad_file_is_refused_without_quoting_it(self):
        for text in ('file-ed:boss:t0p-s3cret-value\n', 'no colons t0p-s3cret-value\n',
                     'a:editor:t0p-s3cret-value\nb:editor:t0p-s3cret-value\n'):
            with self.subTest(text=text):
                server = Server(('--token-file', self.write(text)), tokens=False)
                rc, out = server.run_to_exit()
                server.cleanup()
                self.assertEqual(rc, 2, out)
                self.assertNotIn('t0p-s3cret-value', out)
        server = Server(('--token-file', '/nonexistent/tokens'), tokens=False)
        rc, out = server.run_to_exit()
        server.cleanup()
        self.assertEqual(rc, 2, out)


class ConfigTest(SiteTestCase):
    def test_config_shape(self):
        body = self.assertOk(self.api.get('/api/v1/config'))
        w = body['importance_weights']
        self.assertEqual(set(w), {'depth', 'relevance', 'practicality',
                                  'innovation'})
        for v in w.values():
            self.assertIsInstance(v, (int, float))
            self.assertGreaterEqual(v, 0)
        self.assertAlmostEqual(sum(w.values()), 1.0, places=9)
        self.assertEqual(w, {'depth': 0.4, 'relevance': 0.3,
                             'practicality': 0.2, 'innovation': 0.1})
        kp = body['key_points']
        self.assertIsInstance(kp['min'], int)
        self.assertIsInstance(kp['max'], int)
        self.assertLessEqual(kp['min'], kp['max'])
        self.assertLessEqual(kp['max'], 10)
        for k in ('tldr_max_chars', 'title_max_chars'):
            self.assertIsInstance(body[k], int)
            self.assertGreater(body[k], 0)
        self.assertIn(body['house_style'], ('desu-masu', 'de-aru', 'any'))

    def test_config_pipeline_can_read(self):
        self.assertOk(self.api.get('/api/v1/config', token=PIPELINE))


class FeedTest(SiteTestCase):
    def test_empty_site(self):
        body = self.assertOk(self.api.feed())
        self.assertEqual(body['entries'], [])
        self.assertIs(body['more'], False)
        self.assertIsInstance(body['cursor'], str)

    def test_paging_by_cursor(self):
        ids = [self.create(n=i)['id'] for i in range(7)]
        resp = self.api.feed(limit=3)
        body = self.assertOk(resp)
        self.assertEqual([e['id'] for e in body['entries']], ids[:3])
        self.assertIs(body['more'], True)
        seen, cursor, pages = self.read_feed(limit=3)
        self.assertEqual([e['id'] for e in seen], ids)
        self.assertEqual(pages, 3)
        # Nothing changed since: an empty page, still more: false.
        body = self.assertOk(self.api.feed(since=cursor))
        self.assertEqual(body['entries'], [])
        self.assertIs(body['more'], False)

    def test_limit_exact_multiple(self):
        ids = [self.create(n=i)['id'] for i in range(4)]
        seen, _, _ = self.read_feed(limit=2)
        self.assertEqual([e['id'] for e in seen], ids)

    def test_summaries_omit_heavy_members(self):
        e = self.create()
        body = self.assertOk(self.api.feed())
        [s] = body['entries']
        self.assertEqual(s['id'], e['id'])
        for k in SUMMARY_OMITS:
            self.assertNotIn(k, s)
        self.assertNotIn('html', s.get('original', {}))
        for k in ('revision', 'status', 'kind', 'title', 'tldr', 'tags',
                  'importance', 'lock', 'published', 'updated_at'):
            self.assertIn(k, s)
        self.assertEqual(s['revision'], e['revision'])

    def test_default_limit_is_100(self):
        ids = [self.create(n=i)['id'] for i in range(101)]
        body = self.assertOk(self.api.feed())
        self.assertEqual(len(body['entries']), 100)
        self.assertIs(body['more'], True)
        body = self.assertOk(self.api.feed(since=body['cursor']))
        self.assertEqual([e['id'] for e in body['entries']], ids[100:])
        self.assertIs(body['more'], False)

    def test_limit_bounds(self):
        self.create()
        for good in (1, 500):
            with self.subTest(limit=good):
                self.assertOk(self.api.feed(limit=good))
        for bad in ('0', '501', 'x', '-1', '1.5', ''):
            with self.subTest(limit=bad):
                self.assertError(self.api.feed(limit=bad), 400, 'bad_request')

    def test_bad_cursor(self):
        for bad in ('zzz', '!!!', '99999999999999999999999999'):
            with self.subTest(since=bad):
                self.assertError(self.api.feed(since=bad), 400, 'bad_request')

    def test_bad_status_filter(self):
        for bad in ('draft', 'incoming,nope', 'Incoming'):
            with self.subTest(status=bad):
                self.assertError(self.api.feed(status=bad), 400, 'bad_request')

    def test_status_filter(self):
        inc = self.create()
        rev = self.bring_to('in_review')
        app = self.bring_to('approved')
        rej = self.bring_to('rejected')
        body = self.assertOk(self.api.feed(status='in_review'))
        self.assertEqual([e['id'] for e in body['entries']], [rev['id']])
        body = self.assertOk(self.api.feed(status='incoming,approved'))
        self.assertEqual([e['id'] for e in body['entries']],
                         [inc['id'], app['id']])
        for s in body['entries']:
            self.assertIn(s['status'], ('incoming', 'approved'))
        body = self.assertOk(self.api.feed(status='rejected'))
        self.assertEqual([e['id'] for e in body['entries']], [rej['id']])

    def test_bad_parameters(self):
        self.create()
        for query in ('foo=1', 'limit=5&limit=6', 'status=incoming&status=approved',
                      'limit=', 'status=', 'since=', 'since'):
            with self.subTest(query=query):
                self.assertError(self.api.get('/api/v1/entries?' + query), 400,
                                 'bad_request')

    def test_cursor_of_another_database(self):
        for i in range(3):
            self.create(n=i)
        _, cursor, _ = self.read_feed()
        other = self.start_server(())
        api = other.client()
        self.assertError(api.feed(since=cursor), 400, 'bad_request')
        # A cursor of that other site is fine there, and refused here.
        _, other_cursor, _ = self.read_feed(api=api)
        self.assertOk(api.feed(since=other_cursor))
        self.assertError(self.api.feed(since=other_cursor), 400, 'bad_request')

    def test_filtered_cursor_does_not_rescan(self):
        for i in range(3):
            self.create(n=i)
        body = self.assertOk(self.api.feed(status='published'))
        self.assertEqual(body['entries'], [])
        self.assertIs(body['more'], False)
        # The cursor is the newest position of the whole site: nothing after.
        body = self.assertOk(self.api.feed(since=body['cursor']))
        self.assertEqual(body['entries'], [])

    def test_incremental_after_patch(self):
        es = [self.create(n=i) for i in range(4)]
        _, cursor, _ = self.read_feed()
        target = es[2]
        resp = self.api.patch(target['id'], {'tldr': '修正した要約です。'},
                              etag(target['revision']))
        patched = self.assertOk(resp)
        body = self.assertOk(self.api.feed(since=cursor))
        self.assertEqual([e['id'] for e in body['entries']], [target['id']])
        self.assertEqual(body['entries'][0]['revision'], patched['revision'])
        self.assertEqual(body['entries'][0]['status'], 'in_review')
        self.assertIs(body['more'], False)
        # Twice changed: once in the feed, at its latest change, after others.
        resp = self.api.patch(target['id'], {'tldr': 'もう一度直しました。'},
                              etag(patched['revision']))
        patched = self.assertOk(resp)
        other = es[0]
        self.assertOk(self.api.patch(other['id'], {'tldr': '別の記事です。'},
                                     etag(other['revision'])))
        seen, cursor2, _ = self.read_feed(since=cursor, limit=1)
        self.assertEqual([e['id'] for e in seen], [target['id'], other['id']])
        self.assertEqual(seen[0]['revision'], patched['revision'])
        body = self.assertOk(self.api.feed(since=cursor2))
        self.assertEqual(body['entries'], [])

    def test_changes_by_another_editor_arrive(self):
        e = self.create()
        _, cursor, _ = self.read_feed()
        other = self.server.client(EDITOR2)
        self.assertOk(other.patch(e['id'], {'title': '鈴木が直した題名'},
                                  etag(e['revision'])))
        body = self.assertOk(self.api.feed(since=cursor))
        self.assertEqual([s['title'] for s in body['entries']],
                         ['鈴木が直した題名'])

    def test_pipeline_can_read_feed(self):
        self.create()
        body = self.assertOk(self.api.feed(token=PIPELINE))
        self.assertEqual(len(body['entries']), 1)


class GetEntryTest(SiteTestCase):
    def test_get_entry(self):
        src = make_entry(n=5)
        created = self.create(src)
        resp = self.api.entry(src['id'])
        e = self.assertOk(resp)
        self.assertEntryEtag(resp)
        self.assertEqual(resp.header('ETag'), '"1"')
        self.assertEqual(e, created)
        self.assertEqual(e['id'], src['id'])
        self.assertEqual(e['revision'], 1)
        self.assertEqual(e['status'], 'incoming')
        self.assertEqual(e['kind'], 'article')
        self.assertEqual(e['source'], src['source'])
        self.assertEqual(e['original'], src['original'])
        self.assertEqual(e['machine'], src['machine'])
        for k in EDITABLE:
            self.assertEqual(e[k], src['machine'][k], k)
        self.assertIsInstance(e['editorial_comment'], str)
        self.assertIsNone(e['lock'])
        self.assertIsNone(e['published'])
        for k in ('collected_at', 'analyzed_at', 'updated_at'):
            parse_time(e[k])
        self.assertEqual(e['reading_minutes'], src['reading_minutes'])

    def test_get_unknown_entry(self):
        self.assertError(self.api.entry('no-such-entry'), 404, 'not_found')

    def test_get_entry_pipeline(self):
        e = self.create()
        self.assertOk(self.api.entry(e['id'], token=PIPELINE))


def nest(depth):
    """A JSON object whose nesting depth (counting the outer object) is depth."""
    return '{"title":' + '[' * (depth - 1) + ']' * (depth - 1) + '}'


class PatchTest(SiteTestCase):
    def test_patch_success(self):
        e = self.create()
        before = parse_time(e['updated_at'])
        changes = {'title': '直した題名', 'tags': ['AI規制'],
                   'importance': {'overall': 5, 'depth': 5, 'relevance': 5,
                                  'practicality': 4, 'innovation': 4},
                   'key_points': [{'heading': '見出し', 'body': '本文'}],
                   'editorial_comment': '編集部より一言。'}
        resp = self.api.patch(e['id'], changes, etag(e['revision']))
        p = self.assertOk(resp)
        self.assertEntryEtag(resp)
        self.assertEqual(p['revision'], e['revision'] + 1)
        self.assertEqual(p['status'], 'in_review')
        for k, v in changes.items():
            self.assertEqual(p[k], v, k)
        self.assertEqual(p['machine'], e['machine'])
        self.assertEqual(p['tldr'], e['tldr'])
        self.assertGreaterEqual(parse_time(p['updated_at']), before)
        self.assertEqual(self.get_entry(e['id']), p)

    def test_patch_in_review_stays(self):
        e = self.bring_to('in_review')
        p = self.assertOk(self.api.patch(e['id'], {'body': '新しい本文'},
                                         etag(e['revision'])))
        self.assertEqual(p['status'], 'in_review')
        self.assertEqual(p['revision'], e['revision'] + 1)

    def test_patch_approved_stays(self):
        e = self.bring_to('approved')
        p = self.assertOk(self.api.patch(e['id'], {'body': '新しい本文'},
                                         etag(e['revision'])))
        self.assertEqual(p['status'], 'approved')

    def test_patch_published_stays_published(self):
        e = self.bring_to('published')
        resp = self.api.patch(e['id'], {'tldr': '公開後の訂正です。'},
                              etag(e['revision']))
        p = self.assertOk(resp)
        self.assertEqual(p['status'], 'published')
        self.assertEqual(p['revision'], e['revision'] + 1)
        self.assertEqual(p['published'], e['published'])
        self.assertEqual(p['tldr'], '公開後の訂正です。')

    def test_noop_patch_keeps_revision(self):
        e = self.bring_to('in_review')
        resp = self.api.patch(e['id'], {'title': e['title'], 'tags': e['tags']},
                              etag(e['revision']))
        p = self.assertOk(resp)
        self.assertEntryEtag(resp)
        self.assertEqual(p, e)
        p = self.assertOk(self.api.patch(e['id'], {}, etag(e['revision'])))
        self.assertEqual(p['revision'], e['revision'])
        self.assertEqual(self.get_entry(e['id'])['updated_at'], e['updated_at'])

    def test_empty_patch_of_incoming_starts_review(self):
        e = self.create()
        resp = self.api.patch(e['id'], {}, etag(e['revision']))
        p = self.assertOk(resp)
        self.assertEntryEtag(resp)
        self.assertEqual(p['status'], 'in_review')
        self.assertEqual(p['revision'], e['revision'] + 1)
        for k in EDITABLE:
            self.assertEqual(p[k], e[k], k)
        # The same values again on an incoming entry: also a change.
        e = self.create()
        p = self.assertOk(self.api.patch(e['id'], {'title': e['title']},
                                         etag(e['revision'])))
        self.assertEqual((p['status'], p['revision']), ('in_review', 2))

    def test_noop_patch_not_in_feed(self):
        e = self.bring_to('in_review')
        _, cursor, _ = self.read_feed()
        self.assertOk(self.api.patch(e['id'], {'title': e['title']},
                                     etag(e['revision'])))
        body = self.assertOk(self.api.feed(since=cursor))
        self.assertEqual(body['entries'], [])

    def test_if_match_missing_428(self):
        e = self.create()
        resp = self.api.patch(e['id'], {'title': 'x'}, None)
        self.assertError(resp, 428, 'precondition_required')
        self.assertEqual(self.get_entry(e['id'])['revision'], 1)

    def test_if_match_stale_412(self):
        e = self.create()
        p = self.assertOk(self.api.patch(e['id'], {'title': '一回目'}, '"1"'))
        resp = self.api.patch(e['id'], {'title': '二回目'}, '"1"')
        body = self.assertError(resp, 412, 'precondition_failed')
        self.assertEqual(body['current'], p)
        self.assertEqual(body['current'], self.get_entry(e['id']))
        self.assertEqual(resp.header('ETag'), etag(p['revision']))

    def test_if_match_weak_or_other_is_stale(self):
        e = self.create()
        # If-Match uses the strong comparison (RFC 9110): a weak tag fails.
        self.assertError(self.api.patch(e['id'], {'title': 'x'}, 'W/"1"'), 412,
                         'precondition_failed')
        self.assertError(self.api.patch(e['id'], {'title': 'x'}, '"99"'), 412,
                         'precondition_failed')

    def test_if_match_star_and_list(self):
        e = self.create()
        p = self.assertOk(self.api.patch(e['id'], {'title': '星'}, '*'))
        self.assertEqual(p['revision'], 2)
        p = self.assertOk(self.api.patch(e['id'], {'title': '一覧'}, '"7", "2"'))
        self.assertEqual(p['revision'], 3)

    def test_locked_by_another_409(self):
        e = self.create()
        other = self.server.client(EDITOR2)
        self.assertOk(other.lock(e['id']))
        resp = self.api.patch(e['id'], {'title': '横取り'}, etag(e['revision']))
        body = self.assertError(resp, 409, 'locked')
        self.assertEqual(body['lock']['editor'], 'suzuki')
        parse_time(body['lock']['acquired_at'])
        parse_time(body['lock']['expires_at'])
        self.assertEqual(self.get_entry(e['id'])['title'], e['title'])
        # The holder itself may edit.
        p = self.assertOk(other.patch(e['id'], {'title': '鈴木'},
                                      etag(e['revision'])))
        self.assertEqual(p['lock']['editor'], 'suzuki')

    def test_invalid_fields_422(self):
        e = self.create()
        cases = [
            ({'importance': dict(e['importance'], depth=6)},
             ['importance.depth']),
            ({'importance': dict(e['importance'], overall=0)},
             ['importance.overall']),
            ({'importance': dict(e['importance'], relevance=2.5)},
             ['importance.relevance']),
            ({'tags': ['#AI']}, ['tags[0]']),
            ({'tags': ['AI', '']}, ['tags[1]']),
            ({'tags': []}, ['tags']),
            ({'tags': ['t%d' % i for i in range(11)]}, ['tags']),
            ({'key_points': [{'heading': 'a', 'body': 'b'},
                             {'heading': '', 'body': 'c'}]},
             ['key_points[1].heading']),
            ({'key_points': [{'heading': 'a', 'body': ''}]},
             ['key_points[0].body']),
            ({'key_points': [{'heading': 'h', 'body': 'b'}] * 11},
             ['key_points']),
            ({'title': ''}, ['title']),
            ({'title': 5}, ['title']),
            ({'body': None}, ['body']),
            ({'editorial_comment': ['x']}, ['editorial_comment']),
            ({'status': 'approved'}, ['status']),
            ({'revision': 9}, ['revision']),
            ({'machine': e['machine']}, ['machine']),
            ({'no_such_member': 1}, ['no_such_member']),
            # Every failing rule is reported at once.
            ({'title': '', 'tags': ['#x'],
              'importance': dict(e['importance'], depth=6)},
             ['title', 'tags[0]', 'importance.depth']),
        ]
        for changes, paths in cases:
            with self.subTest(changes=changes):
                resp = self.api.patch(e['id'], changes, etag(e['revision']))
                self.assertFieldErrors(resp, *paths)
        self.assertEqual(self.get_entry(e['id']), e)

    def test_structure_error_reported_alone(self):
        # Notes, check 12: a structure error (type, missing, unknown or not
        # editable member) is reported alone, with its path; the entry is
        # untouched.
        e = self.create()
        cases = [
            ({'title': '', 'status': 'approved'}, {'status'}),
            ({'title': 'ok', 'no_such_member': 1}, {'no_such_member'}),
            ({'tags': ['#a'], 'importance': {'overall': 1, 'depth': 1,
                                             'relevance': 1, 'practicality': 1}},
             {'importance.innovation'}),
            ({'key_points': [{'heading': 'h'}], 'tags': []},
             {'key_points[0].body'}),
            ({'tags': 'AI'}, {'tags'}),
        ]
        for changes, paths in cases:
            with self.subTest(changes=changes):
                resp = self.api.patch(e['id'], changes, etag(e['revision']))
                got = self.assertFieldErrors(resp)
                self.assertEqual(got, paths, resp)
        self.assertEqual(self.get_entry(e['id']), e)

    def test_every_editorial_rule_reported(self):
        e = self.create()
        resp = self.api.patch(e['id'], {
            'title': '', 'tags': ['#a', 'ok', ''],
            'importance': dict(e['importance'], depth=9, innovation=0),
            'key_points': [{'heading': '', 'body': 'b'}, {'heading': 'h', 'body': ''}]},
            etag(e['revision']))
        got = self.assertFieldErrors(resp)
        self.assertEqual(got, {'title', 'tags[0]', 'tags[2]', 'importance.depth',
                               'importance.innovation', 'key_points[0].heading',
                               'key_points[1].body'}, resp)

    def test_importance_replaced_whole(self):
        e = self.create()
        resp = self.api.patch(e['id'], {'importance': {'depth': 5}},
                              etag(e['revision']))
        got = self.assertFieldErrors(resp)
        self.assertTrue(any(f.startswith('importance') for f in got), resp)

    def test_wrong_content_type_415(self):
        e = self.create()
        for ct in ('text/plain', 'application/x-www-form-urlencoded',
                   'application/json; charset=iso-8859-1', None):
            with self.subTest(content_type=ct):
                resp = self.api.request('PATCH', '/api/v1/entries/' + e['id'],
                                        body=b'{"title": "x"}',
                                        content_type=ct,
                                        headers={'If-Match': '"1"'})
                self.assertError(resp, 415, 'unsupported_media_type')
        for ct in ('application/json', 'application/json; charset=UTF-8',
                   'Application/JSON;charset=utf-8'):
            with self.subTest(content_type=ct):
                cur = self.get_entry(e['id'])
                resp = self.api.request('PATCH', '/api/v1/entries/' + e['id'],
                                        body='{"title": "型%d"}' % cur['revision'],
                                        content_type=ct,
                                        headers={'If-Match': etag(cur['revision'])})
                self.assertOk(resp)

    def bad_body(self, entry_id, body):
        return self.api.request('PATCH', '/api/v1/entries/' + entry_id,
                                body=body, content_type='application/json',
                                headers={'If-Match': '"1"'})

    def test_bad_bodies_400(self):
        e = self.create()
        cases = {
            'malformed': b'{"title": ',
            'trailing garbage': b'{"title": "x"} x',
            'single quotes': b"{'title': 'x'}",
            'comment': b'{"title": "x" /* c */}',
            'invalid utf-8': b'{"title": "\xff\xfe"}',
            'overlong utf-8': b'{"title": "\xc0\xaf"}',
            'NUL escape': b'{"title": "a\\u0000b"}',
            'depth 65': nest(65).encode(),
            'integer 2^63': b'{"importance": {"overall": 9223372036854775808,'
                            b' "depth": 1, "relevance": 1, "practicality": 1,'
                            b' "innovation": 1}}',
            'integer 2^53+1': b'{"reading_minutes": 9007199254740993}',
            'integer -2^53-1': b'{"reading_minutes": -9007199254740993}',
            'not an object': b'["title"]',
            'a string': b'"title"',
            'empty': b'',
        }
        for name, body in cases.items():
            with self.subTest(name):
                self.assertError(self.bad_body(e['id'], body), 400, 'bad_request')
        self.assertEqual(self.get_entry(e['id']), e)

    def test_depth_64_is_parsed(self):
        e = self.create()
        # 64 levels are allowed: the body parses, then fails validation.
        self.assertFieldErrors(self.bad_body(e['id'], nest(64).encode()),
                               'title')

    def test_body_too_large_413(self):
        e = self.create()
        body = b'{"body": "' + b'a' * (9 * 1024 * 1024) + b'"}'
        head = ('PATCH /api/v1/entries/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n'
                'Authorization: Bearer %s\r\nContent-Type: application/json\r\n'
                'If-Match: "1"\r\nContent-Length: %d\r\n\r\n'
                % (e['id'], EDITOR, len(body))).encode()
        status, raw = raw_exchange(self.server.port, head, body)
        self.assertEqual(status, 413, raw[:500])
        headers, payload = split_raw_response(raw)
        self.assertIn('application/json', headers.get('content-type', ''))
        self.assertEqual(json.loads(payload)['error']['code'], 'too_large')
        self.assertEqual(self.get_entry(e['id'])['revision'], 1)

    def test_body_too_large_chunked_413(self):
        e = self.create()
        chunk = b'a' * (1024 * 1024)
        body = b'a\r\n{"body": "\r\n'
        for _ in range(9):
            body += b'%x\r\n' % len(chunk) + chunk + b'\r\n'
        body += b'2\r\n"}\r\n0\r\n\r\n'
        head = ('PATCH /api/v1/entries/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n'
                'Authorization: Bearer %s\r\nContent-Type: application/json\r\n'
                'If-Match: "1"\r\nTransfer-Encoding: chunked\r\n\r\n'
                % (e['id'], EDITOR)).encode()
        status, raw = raw_exchange(self.server.port, head, body)
        self.assertEqual(status, 413, raw[:500])
        self.assertEqual(self.get_entry(e['id'])['revision'], 1)

    def test_body_of_exactly_8_mib_is_read(self):
        e = self.create()
        prefix, suffix = b'{"body": "', b'"}'
        limit = 8 * 1024 * 1024
        body = prefix + b'b' * (limit - len(prefix) - len(suffix)) + suffix
        self.assertEqual(len(body), limit)
        resp = self.api.request('PATCH', '/api/v1/entries/' + e['id'], body=body,
                                content_type='application/json',
                                headers={'If-Match': '"1"'}, timeout=60)
        self.assertEqual(self.assertOk(resp)['revision'], 2)
        head = ('PATCH /api/v1/entries/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n'
                'Authorization: Bearer %s\r\nContent-Type: application/json\r\n'
                'If-Match: "2"\r\nContent-Length: %d\r\n\r\n'
                % (e['id'], EDITOR, limit + 1)).encode()
        status, raw = raw_exchange(self.server.port, head,
                                   body[:-2] + b'c"}')
        self.assertEqual(status, 413, raw[:500])

    def test_body_just_under_limit_is_read(self):
        e = self.create()
        text = 'あ' * ((8 * 1024 * 1024 - 100) // 3)
        resp = self.api.patch(e['id'], {'body': text}, '"1"', timeout=60)
        p = self.assertOk(resp)
        self.assertEqual(len(p['body']), len(text))

    def test_pipeline_403(self):
        e = self.create()
        resp = self.api.patch(e['id'], {'title': 'x'}, '"1"', token=PIPELINE)
        self.assertError(resp, 403, 'forbidden')

    def test_unknown_entry_404(self):
        self.assertError(self.api.patch('no-such-entry', {'title': 'x'}, '"1"'),
                         404, 'not_found')

    def test_order_of_checks(self):
        e = self.create()
        eid = e['id']
        # role (4) before unknown entry (9)
        self.assertError(self.api.patch('no-such', {'title': 'x'}, '"1"',
                                        token=PIPELINE), 403, 'forbidden')
        # content type (6) before body (7)
        self.assertError(self.api.request('PATCH', '/api/v1/entries/' + eid,
                                          body=b'{', content_type='text/plain',
                                          headers={'If-Match': '"1"'}),
                         415, 'unsupported_media_type')
        # body (7) before unknown entry (9) and If-Match (10)
        self.assertError(self.api.request('PATCH', '/api/v1/entries/no-such',
                                          body=b'{', content_type='application/json'),
                         400, 'bad_request')
        # unknown entry (9) before If-Match (10)
        self.assertError(self.api.patch('no-such', {'title': 'x'}, None), 404,
                         'not_found')
        # If-Match (10) before lock (11) before fields (12)
        other = self.server.client(EDITOR2)
        self.assertOk(other.lock(eid))
        self.assertError(self.api.patch(eid, {'title': ''}, None), 428,
                         'precondition_required')
        self.assertError(self.api.patch(eid, {'title': ''}, '"9"'), 412,
                         'precondition_failed')
        self.assertError(self.api.patch(eid, {'title': ''}, '"1"'), 409, 'locked')
        self.assertOk(other.unlock(eid), 204)
        self.assertFieldErrors(self.api.patch(eid, {'title': ''}, '"1"'), 'title')


ALLOWED = {
    ('incoming', 'in_review'), ('incoming', 'rejected'),
    ('in_review', 'approved'), ('in_review', 'rejected'),
    ('approved', 'in_review'), ('approved', 'rejected'),
    ('rejected', 'in_review'),
}
FROM = ('incoming', 'in_review', 'approved', 'rejected', 'published')
TO = ('in_review', 'approved', 'rejected')


class StatusTest(SiteTestCase):
    def test_allowed_transitions(self):
        for frm, to in sorted(ALLOWED):
            with self.subTest(frm=frm, to=to):
                e = self.bring_to(frm)
                resp = self.api.set_status(e['id'], to, etag(e['revision']),
                                           reason='テストの理由')
                s = self.assertOk(resp)
                self.assertEntryEtag(resp)
                self.assertEqual(s['status'], to)
                self.assertEqual(s['revision'], e['revision'] + 1)
                self.assertNotIn('reason', s)
                self.assertGreaterEqual(parse_time(s['updated_at']),
                                        parse_time(e['updated_at']))
                self.assertEqual(self.get_entry(e['id']), s)

    def test_disallowed_transitions(self):
        for frm in FROM:
            for to in TO:
                if (frm, to) in ALLOWED:
                    continue
                with self.subTest(frm=frm, to=to):
                    e = self.bring_to(frm)
                    resp = self.api.set_status(e['id'], to, etag(e['revision']))
                    self.assertError(resp, 409, 'conflict')
                    self.assertEqual(self.get_entry(e['id']), e)

    def test_target_not_settable_422(self):
        e = self.bring_to('approved')
        for bad in ('published', 'incoming', 'done', 3, None):
            with self.subTest(status=bad):
                resp = self.api.request(
                    'POST', '/api/v1/entries/%s/status' % e['id'],
                    json={'status': bad}, headers={'If-Match': etag(e['revision'])})
                self.assertFieldErrors(resp, 'status')
        resp = self.api.request('POST', '/api/v1/entries/%s/status' % e['id'],
                                json={}, headers={'If-Match': etag(e['revision'])})
        self.assertFieldErrors(resp, 'status')

    def test_reason(self):
        e = self.create()
        resp = self.api.set_status(e['id'], 'rejected', etag(e['revision']),
                                   reason='理' * 2001)
        self.assertFieldErrors(resp, 'reason')
        resp = self.api.set_status(e['id'], 'rejected', etag(e['revision']),
                                   reason=5)
        self.assertFieldErrors(resp, 'reason')
        s = self.assertOk(self.api.set_status(e['id'], 'rejected',
                                              etag(e['revision']),
                                              reason='理' * 2000))
        self.assertEqual(s['status'], 'rejected')

    def test_stale_412_and_missing_428(self):
        e = self.bring_to('in_review')
        resp = self.api.set_status(e['id'], 'approved', None)
        self.assertError(resp, 428, 'precondition_required')
        resp = self.api.set_status(e['id'], 'approved', etag(e['revision'] - 1))
        body = self.assertError(resp, 412, 'precondition_failed')
        self.assertEqual(body['current'], e)
        self.assertEqual(self.get_entry(e['id']), e)

    def test_locked_409(self):
        e = self.bring_to('in_review')
        self.assertOk(self.server.client(EDITOR2).lock(e['id']))
        resp = self.api.set_status(e['id'], 'approved', etag(e['revision']))
        body = self.assertError(resp, 409, 'locked')
        self.assertEqual(body['lock']['editor'], 'suzuki')

    def test_pipeline_403_and_404(self):
        e = self.create()
        self.assertError(self.api.set_status(e['id'], 'in_review', '"1"',
                                             token=PIPELINE), 403, 'forbidden')
        self.assertError(self.api.set_status('no-such', 'in_review', '"1"'),
                         404, 'not_found')

    def test_content_type_and_body(self):
        e = self.create()
        resp = self.api.request('POST', '/api/v1/entries/%s/status' % e['id'],
                                body=b'status=in_review',
                                content_type='application/x-www-form-urlencoded',
                                headers={'If-Match': '"1"'})
        self.assertError(resp, 415, 'unsupported_media_type')
        resp = self.api.request('POST', '/api/v1/entries/%s/status' % e['id'],
                                body=b'{"status":', content_type='application/json',
                                headers={'If-Match': '"1"'})
        self.assertError(resp, 400, 'bad_request')


class PublishTest(SiteTestCase):
    def test_publish(self):
        e = self.bring_to('approved')
        resp = self.api.publish(e['id'], etag(e['revision']), 'key-1')
        body = self.assertOk(resp)
        self.assertEqual(list(body), ['entry'])
        p = body['entry']
        self.assertEqual(resp.header('ETag'), etag(p['revision']))
        self.assertEqual(p['status'], 'published')
        self.assertEqual(p['revision'], e['revision'] + 1)
        self.assertEqual(p['published']['url'], PUBLIC_BASE + '/' + e['id'])
        parse_time(p['published']['at'])
        self.assertEqual(self.get_entry(e['id']), p)

    def test_only_approved_or_published(self):
        for status in ('incoming', 'in_review', 'rejected'):
            with self.subTest(status=status):
                e = self.bring_to(status)
                resp = self.api.publish(e['id'], etag(e['revision']), new_id('k'))
                self.assertError(resp, 409, 'conflict')
                self.assertEqual(self.get_entry(e['id']), e)

    def test_republish(self):
        e = self.bring_to('published')
        time.sleep(1.1)
        resp = self.api.publish(e['id'], etag(e['revision']), new_id('k'))
        p = self.assertOk(resp)['entry']
        self.assertEqual(p['status'], 'published')
        self.assertEqual(p['revision'], e['revision'] + 1)
        self.assertEqual(p['published']['url'], e['published']['url'])
        self.assertGreater(parse_time(p['published']['at']),
                           parse_time(e['published']['at']))

    def test_missing_or_bad_key_400(self):
        e = self.bring_to('approved')
        for key in (None, '', 'k' * 129, 'ключ'):
            with self.subTest(key=key):
                headers = {}
                if key is not None:
                    headers['Idempotency-Key'] = key.encode('utf-8') \
                        if not key.isascii() else key
                resp = self.api.publish(e['id'], etag(e['revision']), None,
                                        headers=headers)
                self.assertError(resp, 400, 'bad_request')
        self.assertOk(self.api.publish(e['id'], etag(e['revision']), 'k' * 128))

    def test_same_key_replays_first_response(self):
        e = self.bring_to('approved')
        first = self.api.publish(e['id'], etag(e['revision']), 'replay-key')
        self.assertOk(first)
        p = first.body['entry']
        # Later changes do not alter the stored answer.
        self.assertOk(self.api.patch(e['id'], {'tldr': '公開後の修正'},
                                     etag(p['revision'])))
        after = self.get_entry(e['id'])
        again = self.api.publish(e['id'], etag(e['revision']), 'replay-key')
        self.assertOk(again)
        self.assertEqual(again.body, first.body)
        self.assertEqual(again.header('ETag'), first.header('ETag'))
        # Nothing published twice: the entry did not move.
        self.assertEqual(self.get_entry(e['id']), after)

    def test_same_key_replays_error(self):
        e = self.bring_to('in_review')
        first = self.api.publish(e['id'], etag(e['revision']), 'err-key')
        self.assertError(first, 409, 'conflict')
        s = self.assertOk(self.api.set_status(e['id'], 'approved',
                                              etag(e['revision'])))
        self.assertEqual(s['revision'], e['revision'] + 1)
        again = self.api.publish(e['id'], etag(e['revision']), 'err-key')
        self.assertError(again, 409, 'conflict')
        self.assertEqual(again.body, first.body)
        self.assertEqual(self.get_entry(e['id'])['status'], 'approved')

    def test_same_key_replays_404(self):
        eid = new_id('later')
        first = self.api.publish(eid, '"1"', 'k404')
        self.assertError(first, 404, 'not_found')
        self.create(make_entry(eid))
        again = self.api.publish(eid, '"1"', 'k404')
        self.assertError(again, 404, 'not_found')
        self.assertEqual(again.body, first.body)

    def test_same_key_replays_412(self):
        e = self.bring_to('approved')
        first = self.api.publish(e['id'], '"1"', 'k412')
        body = self.assertError(first, 412, 'precondition_failed')
        self.assertEqual(body['current'], e)
        self.assertOk(self.api.patch(e['id'], {'tldr': '変更'}, etag(e['revision'])))
        again = self.api.publish(e['id'], '"1"', 'k412')
        self.assertEqual(again.status, 412)
        self.assertEqual(again.body, first.body)
        self.assertEqual(again.header('ETag'), first.header('ETag'))

    def test_key_reused_422(self):
        a = self.bring_to('approved')
        b = self.bring_to('approved')
        self.assertOk(self.api.publish(a['id'], etag(a['revision']), 'shared'))
        resp = self.api.publish(b['id'], etag(b['revision']), 'shared')
        self.assertError(resp, 422, 'idempotency_key_reused')
        self.assertEqual(self.get_entry(b['id']), b)
        resp = self.api.publish(a['id'], etag(a['revision'] + 1), 'shared')
        self.assertError(resp, 422, 'idempotency_key_reused')
        resp = self.api.publish(a['id'], '*', 'shared')
        self.assertError(resp, 422, 'idempotency_key_reused')

    def test_keys_are_global(self):
        e = self.bring_to('approved')
        first = self.api.publish(e['id'], etag(e['revision']), 'global')
        self.assertOk(first)
        again = self.server.client(EDITOR2).publish(e['id'], etag(e['revision']),
                                                    'global')
        self.assertOk(again)
        self.assertEqual(again.body, first.body)

    def test_unstored_answers(self):
        e = self.bring_to('approved')
        # 403, 400 and 401 come before the key check: the key stays usable.
        self.assertError(self.api.publish(e['id'], etag(e['revision']), 'fresh',
                                          token=PIPELINE), 403, 'forbidden')
        self.assertError(self.api.publish(e['id'], etag(e['revision']), 'fresh',
                                          token=UNKNOWN), 401, 'unauthorized')
        self.assertOk(self.api.publish(e['id'], etag(e['revision']), 'fresh'))

    def test_missing_if_match(self):
        e = self.bring_to('approved')
        self.assertError(self.api.publish(e['id'], None, new_id('k')), 428,
                         'precondition_required')
        self.assertEqual(self.get_entry(e['id']), e)
        # The key check comes first: a stored key without If-Match is reused.
        self.assertOk(self.api.publish(e['id'], etag(e['revision']), 'used'))
        self.assertError(self.api.publish(e['id'], None, 'used'), 422,
                         'idempotency_key_reused')

    def test_default_public_base(self):
        server = self.start_server((), public_base=False)
        self.api = server.client()
        e = self.bring_to('approved')
        p = self.assertOk(self.api.publish(e['id'], etag(e['revision']), 'k'))
        self.assertEqual(p['entry']['published']['url'],
                         'https://example.org/news/' + e['id'])

    def test_stale_and_locked(self):
        e = self.bring_to('approved')
        self.assertOk(self.server.client(EDITOR2).lock(e['id']))
        resp = self.api.publish(e['id'], etag(e['revision']), 'locked-key')
        body = self.assertError(resp, 409, 'locked')
        self.assertEqual(body['lock']['editor'], 'suzuki')

    def test_publish_body_content_type(self):
        e = self.bring_to('approved')
        resp = self.api.publish(e['id'], etag(e['revision']), 'ct-key',
                                body=b'hello', content_type='text/plain')
        self.assertError(resp, 415, 'unsupported_media_type')
        # 415 is not stored: the same key still publishes.
        self.assertOk(self.api.publish(e['id'], etag(e['revision']), 'ct-key',
                                       content_type='text/plain'))


class LockTest(SiteTestCase):
    def test_take_and_renew(self):
        e = self.create()
        resp = self.api.lock(e['id'])
        body = self.assertOk(resp)
        self.assertEqual(list(body), ['lock'])
        lock = body['lock']
        self.assertEqual(lock['editor'], 'sato')
        acq, exp = parse_time(lock['acquired_at']), parse_time(lock['expires_at'])
        self.assertAlmostEqual((exp - acq).total_seconds(), 120, delta=2)
        g = self.get_entry(e['id'])
        self.assertEqual(g['lock'], lock)
        # Not a change of content.
        self.assertEqual(g['revision'], e['revision'])
        self.assertEqual(g['updated_at'], e['updated_at'])
        time.sleep(1.1)
        renewed = self.assertOk(self.api.lock(e['id']))['lock']
        self.assertEqual(renewed['editor'], 'sato')
        self.assertGreater(parse_time(renewed['expires_at']), exp)
        self.assertEqual(self.get_entry(e['id'])['revision'], e['revision'])
        # The holder's If-Match still works.
        self.assertOk(self.api.patch(e['id'], {'title': '鍵付き'},
                                     etag(e['revision'])))

    def test_another_editor_409(self):
        e = self.create()
        lock = self.assertOk(self.api.lock(e['id']))['lock']
        other = self.server.client(EDITOR2)
        body = self.assertError(other.lock(e['id']), 409, 'locked')
        self.assertEqual(body['lock'], lock)
        body = self.assertError(other.unlock(e['id']), 409, 'locked')
        self.assertEqual(body['lock']['editor'], 'sato')
        self.assertEqual(self.get_entry(e['id'])['lock'], lock)

    def test_release(self):
        e = self.create()
        self.assertOk(self.api.lock(e['id']))
        resp = self.api.unlock(e['id'])
        self.assertEqual(resp.status, 204, resp)
        self.assertEqual(resp.raw, b'')
        self.assertEqual((resp.header('Connection') or '').lower(), 'close')
        g = self.get_entry(e['id'])
        self.assertIsNone(g['lock'])
        self.assertEqual(g['revision'], e['revision'])
        self.assertEqual(g['updated_at'], e['updated_at'])
        # Nobody holds it: still 204.
        self.assertEqual(self.api.unlock(e['id']).status, 204)
        self.assertEqual(self.server.client(EDITOR2).unlock(e['id']).status, 204)
        # Free again for the other editor.
        self.assertOk(self.server.client(EDITOR2).lock(e['id']))

    def test_lock_if_match_and_etag(self):
        e = self.create()
        resp = self.api.lock(e['id'])
        self.assertOk(resp)
        self.assertEqual(resp.header('ETag'), etag(e['revision']))
        self.assertOk(self.api.lock(e['id'], headers={'If-Match': etag(e['revision'])}))
        body = self.assertError(self.api.lock(e['id'], headers={'If-Match': '"9"'}),
                                412, 'precondition_failed')
        self.assertEqual(body['current']['id'], e['id'])
        self.assertError(self.api.unlock(e['id'], headers={'If-Match': '"9"'}),
                         412, 'precondition_failed')
        self.assertEqual(self.get_entry(e['id'])['lock']['editor'], 'sato')
        resp = self.api.unlock(e['id'], headers={'If-Match': etag(e['revision'])})
        self.assertEqual(resp.status, 204, resp)

    def test_lock_moves_entry_in_feed(self):
        a = self.create(n=1)
        self.create(n=2)
        _, cursor, _ = self.read_feed()
        self.assertOk(self.api.lock(a['id']))
        body = self.assertOk(self.api.feed(since=cursor))
        self.assertEqual([s['id'] for s in body['entries']], [a['id']])
        self.assertEqual(body['entries'][0]['lock']['editor'], 'sato')
        self.assertEqual(body['entries'][0]['revision'], a['revision'])
        self.assertEqual(self.api.unlock(a['id']).status, 204)
        body = self.assertOk(self.api.feed(since=body['cursor']))
        self.assertEqual([s['id'] for s in body['entries']], [a['id']])
        self.assertIsNone(body['entries'][0]['lock'])

    def test_pipeline_403_unknown_404(self):
        e = self.create()
        self.assertError(self.api.lock(e['id'], token=PIPELINE), 403, 'forbidden')
        self.assertError(self.api.unlock(e['id'], token=PIPELINE), 403,
                         'forbidden')
        self.assertError(self.api.lock('no-such'), 404, 'not_found')
        self.assertError(self.api.unlock('no-such'), 404, 'not_found')


class LockExpiryTest(SiteTestCase):
    server_args = ('--lock-seconds', '2')

    def test_expiry(self):
        e = self.create()
        lock = self.assertOk(self.api.lock(e['id']))['lock']
        self.assertAlmostEqual((parse_time(lock['expires_at'])
                                - parse_time(lock['acquired_at'])).total_seconds(),
                               2, delta=1)
        other = self.server.client(EDITOR2)
        self.assertError(other.lock(e['id']), 409, 'locked')
        self.assertError(other.patch(e['id'], {'title': 'x'}, '"1"'), 409,
                         'locked')
        time.sleep(3.5)
        self.assertIsNone(self.get_entry(e['id'])['lock'])
        p = self.assertOk(other.patch(e['id'], {'title': '期限切れ後'}, '"1"'))
        self.assertEqual(p['revision'], 2)
        taken = self.assertOk(other.lock(e['id']))['lock']
        self.assertEqual(taken['editor'], 'suzuki')

    def test_delete_expired_204(self):
        e = self.create()
        self.assertOk(self.api.lock(e['id']))
        time.sleep(3.5)
        self.assertEqual(self.server.client(EDITOR2).unlock(e['id']).status, 204)


class CreateTest(SiteTestCase):
    def test_create_201(self):
        src = make_entry(kind='paper', n=3)
        resp = self.api.create(src)
        e = self.assertOk(resp, 201)
        self.assertEqual(resp.header('ETag'), '"1"')
        self.assertEqual(resp.header('Location'), '/api/v1/entries/' + src['id'])
        self.assertEqual(e['revision'], 1)
        self.assertEqual(e['status'], 'incoming')
        self.assertEqual(e['kind'], 'paper')
        self.assertEqual(e['machine'], src['machine'])
        for k in EDITABLE:
            self.assertEqual(e[k], src['machine'][k], k)
        self.assertIsNone(e['lock'])
        self.assertIsNone(e['published'])
        parse_time(e['updated_at'])

    def test_nullable_members(self):
        src = make_entry(analyzed_at=None, reading_minutes=None)
        src['source']['published_at'] = None
        self.assertOk(self.api.create(src), 201)
        src = make_entry()
        del src['analyzed_at'], src['reading_minutes'], src['source']['published_at']
        self.assertOk(self.api.create(src), 201)

    def test_editor_403(self):
        resp = self.api.create(make_entry(), token=EDITOR)
        self.assertError(resp, 403, 'forbidden')

    def test_existing_id_409(self):
        src = make_entry()
        self.assertOk(self.api.create(src), 201)
        other = copy.deepcopy(src)
        other['machine']['title'] = '別物'
        self.assertError(self.api.create(other), 409, 'conflict')
        self.assertEqual(self.get_entry(src['id'])['title'], src['machine']['title'])

    def test_invalid_machine_422(self):
        def with_machine(**kw):
            e = make_entry()
            e['machine'].update(kw)
            return e
        base_imp = make_entry()['machine']['importance']
        cases = [
            (with_machine(tags=['#タグ']), ['machine.tags[0]']),
            (with_machine(tags=[]), ['machine.tags']),
            (with_machine(importance=dict(base_imp, depth=0)),
             ['machine.importance.depth']),
            (with_machine(key_points=[{'heading': 'h', 'body': 'b'},
                                      {'heading': '', 'body': 'b'}]),
             ['machine.key_points[1].heading']),
            (with_machine(title=''), ['machine.title']),
        ]
        for entry, paths in cases:
            with self.subTest(paths=paths):
                self.assertFieldErrors(self.api.create(entry), *paths)
                self.assertError(self.api.entry(entry['id']), 404, 'not_found')

    def test_invalid_id_and_kind_422(self):
        for bad_id in ('has space', 'slash/id', 'x' * 129, ''):
            with self.subTest(id=bad_id):
                self.assertFieldErrors(self.api.create(make_entry(bad_id)), 'id')
        self.assertOk(self.api.create(make_entry('A.b_c-9' + 'x' * 121)), 201)
        self.assertFieldErrors(self.api.create(make_entry(kind='podcast')), 'kind')

    def test_structure_error_reported_alone(self):
        m = make_entry(kind='podcast')
        m['machine']['tags'] = ['#x']
        self.assertEqual(self.assertFieldErrors(self.api.create(m)), {'kind'})
        m = make_entry()
        del m['machine']['tldr']
        m['machine']['importance']['depth'] = 0
        self.assertEqual(self.assertFieldErrors(self.api.create(m)), {'machine.tldr'})

    def test_every_editorial_rule_reported(self):
        m = make_entry()
        m['machine']['tags'] = ['#x']
        m['machine']['title'] = ''
        m['machine']['importance']['depth'] = 0
        self.assertEqual(self.assertFieldErrors(self.api.create(m)),
                         {'machine.tags[0]', 'machine.title', 'machine.importance.depth'})

    def test_unknown_members_refused(self):
        e = make_entry(no_such_member=1)
        self.assertFieldErrors(self.api.create(e), 'no_such_member')
        e = make_entry()
        e['machine']['no_such_member'] = 1
        self.assertFieldErrors(self.api.create(e), 'machine.no_such_member')
        e = make_entry()
        e['source']['no_such_member'] = 1
        self.assertFieldErrors(self.api.create(e), 'source.no_such_member')
        e = make_entry()
        e['original']['no_such_member'] = 1
        self.assertFieldErrors(self.api.create(e), 'original.no_such_member')
        e = make_entry()
        e['machine']['importance']['no_such_member'] = 1
        self.assertFieldErrors(self.api.create(e), 'machine.importance.no_such_member')
        e = make_entry()
        e['machine']['key_points'][0]['no_such_member'] = 1
        self.assertFieldErrors(self.api.create(e), 'machine.key_points[0].no_such_member')

    def test_server_owned_members_refused(self):
        for member, value in (('revision', 5), ('status', 'approved'),
                              ('title', '編集済み')):
            with self.subTest(member=member):
                e = make_entry()
                e[member] = value
                self.assertFieldErrors(self.api.create(e), member)

    def test_create_content_type_and_body(self):
        self.assertError(self.api.request('POST', '/api/v1/entries', token=PIPELINE,
                                          body=b'{}', content_type='text/json'),
                         415, 'unsupported_media_type')
        self.assertError(self.api.request('POST', '/api/v1/entries', token=PIPELINE,
                                          body=b'{"id": "x"', content_type='application/json'),
                         400, 'bad_request')


class GlossaryTest(SiteTestCase):
    TERMS = [{'source': 'Radical Optionality',
              'target': 'ラディカル・オプショナリティ',
              'forbidden': ['ラジカルなオプション性'], 'note': ''},
             {'source': 'scaling law', 'target': 'スケーリング則'}]

    def put(self, body, if_match, **kw):
        headers = {} if if_match is None else {'If-Match': if_match}
        return self.api.request('PUT', '/api/v1/glossary', json=body,
                                headers=headers, **kw)

    def test_initial(self):
        resp = self.api.get('/api/v1/glossary')
        self.assertEqual(self.assertOk(resp), {'revision': 1, 'terms': []})
        self.assertEqual(resp.header('ETag'), '"1"')
        self.assertOk(self.api.get('/api/v1/glossary', token=PIPELINE))

    def test_put(self):
        resp = self.put({'terms': self.TERMS, 'revision': 99}, '"1"')
        g = self.assertOk(resp)
        self.assertEqual(g['revision'], 2)
        self.assertEqual(resp.header('ETag'), '"2"')
        self.assertEqual(g['terms'][0], self.TERMS[0])
        self.assertEqual(g['terms'][1], dict(self.TERMS[1], forbidden=[], note=''))
        resp = self.api.get('/api/v1/glossary')
        self.assertEqual(self.assertOk(resp), g)
        self.assertEqual(resp.header('ETag'), '"2"')
        g = self.assertOk(self.put({'terms': []}, '"2"'))
        self.assertEqual(g, {'revision': 3, 'terms': []})

    def test_428_412(self):
        self.assertError(self.put({'terms': self.TERMS}, None), 428,
                         'precondition_required')
        g = self.assertOk(self.put({'terms': self.TERMS}, '"1"'))
        resp = self.put({'terms': []}, '"1"')
        body = self.assertError(resp, 412, 'precondition_failed')
        self.assertEqual(body['current'], g)
        self.assertEqual(resp.header('ETag'), '"2"')

    def test_pipeline_403(self):
        self.assertError(self.put({'terms': []}, '"1"', token=PIPELINE), 403,
                         'forbidden')

    def test_invalid_terms_422(self):
        t = self.TERMS[0]
        cases = [
            ([dict(t, source='')], 'terms[0].source'),
            ([dict(t, target='')], 'terms[0].target'),
            ([dict(t, forbidden=[''])], 'terms[0].forbidden[0]'),
            ([dict(t, note=3)], 'terms[0].note'),
        ]
        for terms, path in cases:
            with self.subTest(path=path):
                self.assertFieldErrors(self.put({'terms': terms}, '"1"'), path)
        got = self.assertFieldErrors(self.put({'terms': [t, dict(t, target='別訳')]},
                                              '"1"'))
        self.assertTrue(any(f.startswith('terms') for f in got), got)
        self.assertFieldErrors(self.put({}, '"1"'), 'terms')
        self.assertEqual(self.assertOk(self.api.get('/api/v1/glossary'))['revision'], 1)

    def test_glossary_content_type(self):
        resp = self.api.request('PUT', '/api/v1/glossary', body=b'{"terms": []}',
                                content_type='text/plain',
                                headers={'If-Match': '"1"'})
        self.assertError(resp, 415, 'unsupported_media_type')


if __name__ == '__main__':
    unittest.main(verbosity=2)
