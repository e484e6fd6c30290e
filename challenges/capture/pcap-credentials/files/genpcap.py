#!/usr/bin/python3
"""genpcap OUT USER PASSWORD DECOY_PASSWORD: write a pcap of clear-text HTTP
requests to an admin API on 127.0.0.1:8080. Several clients try Basic
authentication; only USER:PASSWORD gets 200, the others get 401."""
import base64
import random
import struct
import sys

out, user, password, decoy = sys.argv[1:5]
rnd = random.Random(user + password)
t0 = 1717400000.0
packets = []  # (time, frame)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src, dst, proto, l4):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), rnd.randrange(65536), 0x4000, 64, proto, 0,
                     bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\0" * 12 + b"\x08\x00" + ip + l4


def tcp(src, sport, dst, dport, seq, ack, flags, payload=b""):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65495, 0, 0)
    pseudo = struct.pack("!4s4sBBH", bytes(src), bytes(dst), 0, 6, len(hdr) + len(payload))
    c = csum(pseudo + hdr + payload)
    hdr = hdr[:16] + struct.pack("!H", c) + hdr[18:]
    return frame(src, dst, 6, hdr + payload)


def udp(src, sport, dst, dport, payload):
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    return frame(src, dst, 17, hdr + payload)


LO = [127, 0, 0, 1]
now = [t0]


def at(dt):
    now[0] += dt
    return now[0]


def session(request, response):
    cport = rnd.randrange(40000, 60000)
    c, s = rnd.randrange(1 << 31), rnd.randrange(1 << 31)
    F, S, R, P, A = 1, 2, 4, 8, 16
    packets.append((at(0.001), tcp(LO, cport, LO, 8080, c, 0, S)))
    packets.append((at(0.0001), tcp(LO, 8080, LO, cport, s, c + 1, S | A)))
    packets.append((at(0.0001), tcp(LO, cport, LO, 8080, c + 1, s + 1, A)))
    packets.append((at(0.0002), tcp(LO, cport, LO, 8080, c + 1, s + 1, P | A, request)))
    packets.append((at(0.0001), tcp(LO, 8080, LO, cport, s + 1, c + 1 + len(request), A)))
    packets.append((at(0.003), tcp(LO, 8080, LO, cport, s + 1, c + 1 + len(request), P | A, response)))
    packets.append((at(0.0001), tcp(LO, cport, LO, 8080, c + 1 + len(request), s + 1 + len(response), A)))
    packets.append((at(0.0002), tcp(LO, 8080, LO, cport, s + 1 + len(response), c + 1 + len(request), F | A)))
    packets.append((at(0.0001), tcp(LO, cport, LO, 8080, c + 1 + len(request), s + 2 + len(response), F | A)))
    packets.append((at(0.0001), tcp(LO, 8080, LO, cport, s + 2 + len(response), c + 2 + len(request), A)))


def get(path, creds, agent):
    req = "GET %s HTTP/1.1\r\nHost: admin.internal:8080\r\nUser-Agent: %s\r\n" % (path, agent)
    if creds:
        req += "Authorization: Basic %s\r\n" % base64.b64encode(creds.encode()).decode()
    return (req + "Accept: */*\r\n\r\n").encode()


def reply(code, body):
    reason = {200: "OK", 401: "Unauthorized", 404: "Not Found"}[code]
    head = "HTTP/1.1 %d %s\r\nServer: adminapi/1.4\r\nContent-Type: application/json\r\nContent-Length: %d\r\n" % (
        code, reason, len(body))
    if code == 401:
        head += 'WWW-Authenticate: Basic realm="admin"\r\n'
    return (head + "\r\n" + body).encode()


def syslog(msg):
    packets.append((at(0.05), udp(LO, rnd.randrange(40000, 60000), LO, 514, ("<30>" + msg).encode())))


others = ["monitor", "backup", "admin", "ops"]
others = [o for o in others if o != user]
syslog("adminapi[812]: started")
session(get("/api/status", None, "curl/7.88.1"), reply(401, '{"error":"auth required"}'))
session(get("/api/users", "%s:%s" % (others[0], decoy), "python-requests/2.28"), reply(401, '{"error":"bad credentials"}'))
syslog("adminapi[812]: auth failure for %s" % others[0])
session(get("/api/users", "%s:%s" % (user, decoy[::-1]), "curl/7.88.1"), reply(401, '{"error":"bad credentials"}'))
syslog("adminapi[812]: auth failure for %s" % user)
session(get("/api/users", "%s:%s" % (user, password), "curl/7.88.1"),
        reply(200, '{"users":["%s","%s","%s"]}' % (user, others[0], others[1])))
session(get("/api/backup/run", "%s:%s" % (others[1], "letmein"), "backup-agent/3.2"), reply(401, '{"error":"bad credentials"}'))
session(get("/favicon.ico", None, "Mozilla/5.0"), reply(404, '{"error":"not found"}'))
syslog("adminapi[812]: auth failure for %s" % others[1])

with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    for ts, data in packets:
        sec = int(ts)
        usec = int(round((ts - sec) * 1e6))
        f.write(struct.pack("<IIII", sec, usec, len(data), len(data)))
        f.write(data)
