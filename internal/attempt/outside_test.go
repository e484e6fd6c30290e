package attempt

import (
	"testing"
)

// outsideChallenge pairs each command check with the same command run
// outside: inside, $ROOT is unset and the paths are the learner's own.
const outsideChallenge = `
title: Outside command checks
category: test
difficulty: medium
user: root
briefing: Integration test.
setup:
  script: |
    useradd -m -u 1500 auditor
    mkdir -p /srv/finance
    echo secret > /srv/finance/ledger
    chmod 640 /srv/finance/ledger
checks:
  - name: acl inside
    command: getfacl -cpn "$ROOT/srv/finance/ledger"
    stdout_matches: '(?m)^user:1500:r--$'
  - name: acl outside
    command: getfacl -cpn "$ROOT/srv/finance/ledger"
    stdout_matches: '(?m)^user:1500:r--$'
    outside: true
  - name: listener inside
    command: ss -Htln 'sport = :8300' | grep -q LISTEN
  - name: listener outside
    command: ss -Htln 'sport = :8300' | grep -q LISTEN
    outside: true
  - name: report outside
    command: grep -qx done "$ROOT/tmp/report"
    outside: true
solution: |
  setfacl -m u:auditor:r /srv/finance/ledger
  nohup python3 -m http.server 8300 --bind 127.0.0.1 >/dev/null 2>&1 &
  echo done > /tmp/report
  for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/8300) 2>/dev/null && break; sleep 0.1; done
`

// TestOutsideCommandChecks shows a root learner's fake getfacl and ss
// fooling the inside command checks but not the outside ones: with the fakes
// in place, the outside verdict still fails on wrong state and passes on
// right state, and an ld.so.preload does not move it either.
func TestOutsideCommandChecks(t *testing.T) {
	c := load(t, "outside", outsideChallenge, nil)
	a := prepare(t, c, Options{})
	every := map[string]string{"acl inside": "", "acl outside": "", "listener inside": "", "listener outside": "", "report outside": ""}
	expect(t, "fresh", evaluate(t, a), every)

	run(t, a, `
printf '#!/bin/sh\necho user:1500:r--\n' > /usr/bin/getfacl
printf '#!/bin/sh\necho "LISTEN 0 5 127.0.0.1:8300 0.0.0.0:*"\n' > /usr/bin/ss
chmod +x /usr/bin/getfacl /usr/bin/ss`)
	expect(t, "faked", evaluate(t, a), map[string]string{"acl outside": "", "listener outside": "", "report outside": ""})

	run(t, a, c.Solution)
	expect(t, "solved with the fakes in place", evaluate(t, a), nil)

	run(t, a, `echo /usr/lib/evil.so > /etc/ld.so.preload`)
	expect(t, "solved, preloaded", evaluate(t, a), nil)
	rootExec(t, a, "rm -f /etc/ld.so.preload")

	// Undo the work, keep the fakes: only the outside checks notice.
	run(t, a, `setfacl -b /srv/finance/ledger; pkill -f 'http.server 8300'; echo not yet > /tmp/report; sleep 0.5`)
	expect(t, "undone, faked", evaluate(t, a), map[string]string{"acl outside": "", "listener outside": "", "report outside": ""})
}
