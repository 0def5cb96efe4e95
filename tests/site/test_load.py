#!/usr/bin/env python3
# test_load.py: 50 concurrent editors for 15 s, with and without injected faults: every write lands once
# SPDX-License-Identifier: GPL-3.0-or-later
"""50 editor threads, each with its own account and keep-alive connection,
read, edit, change statuses, publish and lock for 15 s (see loadlib.py).
Only the answers the contract allows occur, every acknowledged write is in
the site's database exactly once and nothing else is, and the site still
answers. The second run injects faults (503s and answers lost after commit)
and retries as a client does, with the same If-Match and Idempotency-Key."""

import os
import signal
import socket
import sys
import time
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean when run directly

from loadlib import LoadRun
from sitelib import EDITOR, HOST, SiteTestCase

SECONDS = float(os.environ.get('DESK_LOAD_SECONDS', '15'))


class LoadTest(unittest.TestCase):
    def run_load(self, **kw):
        run = LoadRun(editors=50, seconds=SECONDS, **kw)
        self.addCleanup(run.cleanup)
        run.start().run()
        print('\n' + run.report(), file=sys.stderr)
        run.check(self)
        return run

    def test_50_editors(self):
        self.run_load()

    def test_50_editors_with_faults(self):
        run = self.run_load(fault_args=('--fail-rate', '0.2',
                                        '--drop-after-commit', '0.2',
                                        '--fault-seed', '7'))
        led = run.ledger
        # The faults really happened, and publishes really were retried
        # after an answer lost with their commit.
        self.assertGreater(led.faults['503'], 0)
        self.assertGreater(led.faults['no answer'], 0)
        self.assertGreater(sum(1 for v in led.publish.values() if v[3]), 0,
                           'no publish was retried after a lost answer')


class ConnectionBurstTest(SiteTestCase):
    N = 60

    def test_connections_queue_while_the_site_is_busy(self):
        """60 clients connecting while the site does not accept (stopped):
        the kernel must queue every handshake (a backlog of 10 dropped the
        rest, which then waited 1-3 s for SYN retransmissions), and once
        the site goes on, each is answered."""
        os.kill(self.server.proc.pid, signal.SIGSTOP)
        socks = []
        try:
            for _ in range(self.N):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.settimeout(0.5)
                socks.append(s)
                start = time.monotonic()
                s.connect((HOST, self.server.port))
                self.assertLess(time.monotonic() - start, 0.5)
            for s in socks:
                s.sendall(b'GET /api/v1/me HTTP/1.1\r\nHost: x\r\n'
                          b'Authorization: Bearer ' + EDITOR.encode() +
                          b'\r\nConnection: close\r\n\r\n')
        finally:
            os.kill(self.server.proc.pid, signal.SIGCONT)
        for s in socks:
            s.settimeout(10)
            got = b''
            while True:
                data = s.recv(65536)
                if not data:
                    break
                got += data
            s.close()
            self.assertTrue(got.startswith(b'HTTP/1.1 200'), got[:200])


if __name__ == '__main__':
    unittest.main(verbosity=2)
