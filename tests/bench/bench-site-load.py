#!/usr/bin/env python3
# bench-site-load.py: 50 concurrent editors against digest-site for 60 s: throughput, p50/p99 per kind, and every write once
# SPDX-License-Identifier: GPL-3.0-or-later
"""The load run of tests/site/test_load.py (see tests/site/loadlib.py), 60 s
long: 50 editor threads with their own accounts and keep-alive
connections reading, editing (If-Match), changing statuses, publishing
(Idempotency-Key) and locking. Prints requests/s and the latency of each
kind of request, then checks the run as the test does (only the answers
the contract allows; each acknowledged write exactly once in the site's
database; the site still answers). Fails when the check fails or a target
is missed: at least 300 requests/s, p99 of every kind at most 500 ms."""

import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'site'))

from loadlib import KINDS, LoadRun, percentile  # noqa: E402

SECONDS = float(os.environ.get('DESK_LOAD_SECONDS', '60'))
MIN_THROUGHPUT = 300.0
MAX_P99 = 0.500


class SiteLoadBench(unittest.TestCase):
    def test_50_editors_60_s(self):
        run = LoadRun(editors=50, seconds=SECONDS)
        self.addCleanup(run.cleanup)
        run.start().run()
        print('\n' + run.report(), flush=True)
        run.check(self)
        throughput = run.n_requests() / run.elapsed
        missed = []
        if throughput < MIN_THROUGHPUT:
            missed.append('throughput %.0f requests/s < %.0f'
                          % (throughput, MIN_THROUGHPUT))
        for kind in KINDS:
            p99 = percentile(run.ledger.latency[kind], 99)
            if p99 > MAX_P99:
                missed.append('%s p99 %.0f ms > %.0f ms'
                              % (kind, p99 * 1000, MAX_P99 * 1000))
        print('targets: >= %.0f requests/s, p99 <= %.0f ms per kind: %s'
              % (MIN_THROUGHPUT, MAX_P99 * 1000,
                 'missed (' + '; '.join(missed) + ')' if missed else 'met'))
        self.assertEqual(missed, [])


if __name__ == '__main__':
    unittest.main(verbosity=2)
