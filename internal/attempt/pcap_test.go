package attempt

import (
	"strings"
	"testing"
)

// pcapChallenge captures real traffic with tcpdump (a student with sudo and
// NET_RAW), on lo (Ethernet frames) and on any (Linux SLL2).
const pcapChallenge = `
title: Capture
category: test
difficulty: medium
sudo: true
capabilities: [NET_RAW]
briefing: Integration test.
setup:
  services:
    - name: web
      user: student
      run: exec python3 -m http.server 9000 --bind 127.0.0.1
checks:
  - name: capture on lo
    pcap: /home/student/lo.pcap
    min_packets: 4
    proto: tcp
    port: 9000
  - name: hello captured
    pcap: /home/student/lo.pcap
    contains: GET /hello
  - name: capture on any
    pcap: /home/student/any.pcap
    proto: tcp
    contains: GET /again
  - name: no udp
    pcap: /home/student/lo.pcap
    proto: udp
    min_packets: 0
  - name: sudo works
    command: sudo -n id -u
    as: student
    stdout: "0"
  - name: web as student
    process: "http\\.server 9000"
    user: student
  - name: request logged
    file: /var/log/shellgym/web.log
    contains: GET /hello
solution: |
  sudo -n tcpdump -Z root -U -i lo -w ~/lo.pcap 'tcp port 9000' 2>/dev/null &
  sudo -n tcpdump -Z root -U -i any -w ~/any.pcap 'tcp port 9000' 2>/dev/null &
  sleep 1.5
  curl -s http://127.0.0.1:9000/hello >/dev/null
  curl -s http://127.0.0.1:9000/again >/dev/null
  sleep 1
  sudo -n pkill tcpdump
  wait
`

func TestPcapSudoServices(t *testing.T) {
	c := load(t, "capture", pcapChallenge, nil)
	a := prepare(t, c, Options{})
	expect(t, "fresh", evaluate(t, a), map[string]string{
		"capture on lo":  "/home/student/lo.pcap does not exist",
		"hello captured": "/home/student/lo.pcap does not exist",
		"capture on any": "/home/student/any.pcap does not exist",
		"no udp":         "does not exist",
		"request logged": "lacks",
	})
	run(t, a, c.Solution)
	rs := evaluate(t, a)
	expect(t, "solved", rs, nil)

	// A file that only looks like a capture does not count.
	run(t, a, `sudo -n sh -c 'printf "GET /hello tcp 9000\n" > /home/student/lo.pcap'`)
	expect(t, "forged", evaluate(t, a), map[string]string{
		"capture on lo":  "not a pcap or pcapng capture",
		"hello captured": "not a pcap or pcapng capture",
		"no udp":         "not a pcap or pcapng capture",
	})
	if t.Failed() {
		for _, r := range rs {
			t.Logf("%s: %v %s", r.Name, r.Passed, r.Message)
		}
	}
	if !strings.Contains(c.Solution, "tcpdump") {
		t.Fatal("solution lost")
	}
}
