#!/usr/bin/env python3
# compare-defects.py: digest-desk-lint --json on the sample corpus against
# the planted defects of data/sample/*.defects.json.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: compare-defects.py LINT SAMPLE_DIR
# A finding matches a planted defect when entry, check and field agree and
# the finding's text and the defect's text overlap in the field (for an
# omission, whose defect text is the start of the original paragraph, the
# finding's "original" must start with it). Every defect must be matched
# (recall 100 %) and every error or warning must match a defect (the clean
# entries, and the rest of every entry, give none).
import json
import os
import subprocess
import sys


def field_text(entry, field):
    src = entry if entry.get('status') not in (None, 'incoming') else entry['machine']
    if field == 'importance':
        return None
    if field.startswith('key_points['):
        i = int(field[len('key_points['):field.index(']')])
        return src['key_points'][i][field.split('.')[-1]]
    if field.startswith('tags['):
        return src['tags'][int(field[5:-1])]
    return src.get(field)


def overlaps(entry, defect, finding):
    if defect['check'] == 'omission':
        return (finding.get('original') or '').startswith(defect['text'])
    text = field_text(entry, defect['field'])
    if text is None:
        return True
    want = defect['text'].rstrip('…')
    at = text.find(want)
    if at < 0:
        raise SystemExit(f"defect text not in field: {defect}")
    # The text may stand more than once (a repeated sentence, a forbidden
    # word used twice): any of its places will do.
    end = max(finding['end'], finding['start'] + 1)
    while at >= 0:
        if finding['start'] < at + len(want) and at < end:
            return True
        at = text.find(want, at + 1)
    return False


def main():
    lint, sample = sys.argv[1], sys.argv[2]
    files = sorted(os.path.join(sample, f) for f in os.listdir(sample)
                   if f.endswith('.json') and not f.endswith('.defects.json') and f != 'glossary.json')
    proc = subprocess.run([lint, '--json', *files], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        print(proc.stderr)
        raise SystemExit(f"lint exited {proc.returncode}")
    findings = json.loads(proc.stdout)
    entries = {}
    defects = []
    clean = set()
    for f in files:
        for e in json.load(open(f, encoding='utf-8')):
            entries[e['id']] = e
        with open(f[:-5] + '.defects.json', encoding='utf-8') as fd:
            for d in json.load(fd):
                if d['check'] == 'clean':
                    clean.add(d['entry'])
                else:
                    defects.append(d)

    used = set()
    missed = []
    for d in defects:
        hits = [i for i, f in enumerate(findings)
                if f['entry'] == d['entry'] and f['check'] == d['check'] and f['field'] == d['field']
                and overlaps(entries[d['entry']], d, f)]
        if not hits:
            missed.append(d)
        used.update(hits)
    extra = [f for i, f in enumerate(findings) if i not in used and f['severity'] in ('error', 'warning')]

    for d in missed:
        print(f"MISSED {d['entry']} {d['check']} {d['field']}: {d['text']}")
    for f in extra:
        print(f"EXTRA  {f['entry']} {f['check']} {f['severity']} {f['field']} [{f['start']},{f['end']}] "
              f"{f['text'][:60]!r}: {f['message']}")
    dirty_clean = sorted({f['entry'] for f in extra if f['entry'] in clean})
    print(f"clean entries: {len(clean)}, with errors or warnings: {dirty_clean}")
    print(f"{len(defects) - len(missed)}/{len(defects)} planted defects found, "
          f"{len(extra)} other errors or warnings, {len(findings)} findings in all")
    if proc.returncode != 1:
        print("the lint must exit 1 when errors are found")
        return 1
    return 1 if missed or extra else 0


if __name__ == '__main__':
    sys.exit(main())
