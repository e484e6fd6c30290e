package attempt

import (
	"strings"
	"testing"
)

// filesChallenge exercises every file, glob, user and group assertion in one
// sandbox. The learner is root, so the hostile steps can replace tools and
// /etc/passwd.
const filesChallenge = `
title: Files, accounts and globs
category: test
difficulty: easy
user: root
params:
  token: {word: 12}
  who: {choice: [alice, bob], given: true}
briefing: Integration test.
setup:
  files:
    - path: /srv/app/config.ini
      content: "port=80\nmode=dev\n"
      mode: "0666"
    - path: /srv/app/secret.txt
      from: files/secret.txt
      mode: "0600"
      owner: appuser
    - path: /home/student/notes.txt
      content: hello
      owner: student
    - path: /srv/app/old.conf
      content: old
    - path: /srv/app/empty.log
      content: "not empty yet"
    - path: /srv/spool/job1
      content: job
  script: |
    useradd -m -u 1500 appuser
    groupadd -g 2500 devs
    groupadd olddevs
    mkdir -p /srv/logs/old
    touch /srv/logs/a.log /srv/logs/b.log /srv/logs/old/c.log /srv/logs/a.gz
checks:
  - name: config mode
    file: /srv/app/config.ini
    mode: "0640"
  - name: config owner
    file: /srv/app/config.ini
    owner: appuser
    group: devs
  - name: config content
    file: /srv/app/config.ini
    content: "port=8080\nmode=prod"
  - name: config words
    file: /srv/app/config.ini
    contains: mode=prod
    not_contains: mode=dev
  - name: config shape
    file: /srv/app/config.ini
    matches: "(?m)^port=8080$"
    lines: 2
  - name: secret from file
    file: /srv/app/secret.txt
    owner: appuser
    group: appuser
    mode: "0600"
    sha256: edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb
  - name: notes owner
    file: /home/student/notes.txt
    owner: student
    group: student
  - name: token
    file: /srv/app/token
    content: "{{.token}}"
  - name: hidden path
    file: "/srv/drop-{{.token}}"
  - name: app is a dir
    file: /srv/app
    type: dir
  - name: current link
    file: /srv/current
    type: symlink
    target: /srv/app
  - name: backup hardlink
    file: /srv/app/config.bak
    hardlink_of: /srv/app/config.ini
  - name: old conf gone
    file: /srv/app/old.conf
    exists: false
  - name: log emptied
    file: /srv/app/empty.log
    empty: true
  - name: spool empty
    file: /srv/spool
    empty: true
  - name: log count
    glob: /srv/logs/**/*.log
    count: 2
  - name: log min
    glob: /srv/logs/*.log
    min: 2
  - name: no gz
    glob: /srv/logs/*.gz
    max: 0
  - name: new user
    user: "{{.who}}"
    uid: 1600
    group: devs
    groups: [sudo]
    not_groups: [adm]
    home: "/home/{{.who}}"
    shell: /bin/bash
    password: set
  - name: appuser open
    user: appuser
    password: none
  - name: devs
    group: devs
    gid: 2500
    members: [appuser, "{{.who}}"]
  - name: olddevs gone
    group: olddevs
    exists: false
solution: |
  cd /srv/app
  printf 'port=8080\nmode=prod\n' > config.ini
  chown appuser:devs config.ini
  chmod 640 config.ini
  ln config.ini config.bak
  ln -s /srv/app /srv/current
  rm old.conf /srv/logs/old/c.log /srv/logs/a.gz /srv/spool/job1
  : > empty.log
  printf '%s\n' "{{.token}}" > token
  touch "/srv/drop-{{.token}}"
  useradd -m -u 1600 -g devs -G sudo -s /bin/bash "$GYM_WHO"
  echo "$GYM_WHO:pw" | chpasswd
  usermod -aG devs appuser
  groupdel olddevs
  passwd -d appuser
`

func TestFilesAndAccounts(t *testing.T) {
	c := load(t, "files", filesChallenge, map[string]string{"files/secret.txt": "abc\n"})
	token := c.Values["token"]
	a := prepare(t, c, Options{})

	fresh := map[string]string{
		"config mode":     "mode is 0666, expected 0640",
		"config owner":    "owner is root, expected appuser; group is root, expected devs",
		"config content":  "content differs",
		"config words":    "lacks",
		"config shape":    "does not match",
		"token":           "does not exist",
		"hidden path":     "the file does not exist",
		"current link":    "/srv/current does not exist",
		"backup hardlink": "/srv/app/config.bak does not exist",
		"old conf gone":   "/srv/app/old.conf exists (a file)",
		"log emptied":     "not empty (13 bytes)",
		"spool empty":     "not empty (1 entry)",
		"log count":       "3 paths match, expected 2",
		"no gz":           "1 path matches, expected at most 0",
		"new user":        "there is no user " + c.Values["who"],
		"appuser open":    "password is locked, expected none",
		"devs":            c.Values["who"] + " is not a member",
		"olddevs gone":    "group olddevs exists",
	}
	rs := evaluate(t, a)
	expect(t, "fresh", rs, fresh)
	for name, r := range rs {
		if strings.Contains(r.Message, token) {
			t.Errorf("check %q reveals the hidden token: %s", name, r.Message)
		}
	}

	run(t, a, c.Solution)
	expect(t, "solved", evaluate(t, a), nil)

	// The learner sabotages the tools a naive checker would use, and fakes
	// results: nothing moves.
	run(t, a, `
rm -f /usr/bin/stat /usr/bin/ls /usr/bin/find /usr/bin/ps /usr/bin/ss /usr/bin/getent /usr/bin/id
echo /usr/lib/evil.so > /etc/ld.so.preload
echo '{"passed": true, "score": 100}' > /tmp/results.json
cp /tmp/results.json /root/results.json
echo '{"title":"x","passed":true,"checks":[]}'`)
	expect(t, "sabotaged", evaluate(t, a), nil)

	// Wrong state with faked tools stays wrong.
	run(t, a, `
chmod 666 /srv/app/config.ini
printf '#!/bin/sh\necho 640\n' > /usr/bin/stat; chmod +x /usr/bin/stat
printf '#!/bin/sh\necho "-rw-r----- 1 appuser devs 21 config.ini"\n' > /usr/bin/ls; chmod +x /usr/bin/ls`)
	expect(t, "faked", evaluate(t, a), map[string]string{"config mode": "mode is 0666"})
	run(t, a, "chmod 640 /srv/app/config.ini")

	// /etc/passwd replaced by a symlink to a forged copy: never followed.
	run(t, a, `sed 's/^appuser:x:1500/appuser:x:0/' /etc/passwd > /tmp/passwd && ln -sf /tmp/passwd /etc/passwd`)
	expect(t, "passwd symlink", evaluate(t, a), map[string]string{
		"config owner":     "/etc/passwd is not a regular file",
		"secret from file": "/etc/passwd is not a regular file",
		"notes owner":      "/etc/passwd is not a regular file",
		"new user":         "/etc/passwd is not a regular file",
		"appuser open":     "/etc/passwd is not a regular file",
		"devs":             "/etc/passwd is not a regular file",
	})
}
