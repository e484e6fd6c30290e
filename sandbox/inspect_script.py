import json, os, sys

ROOT = "/proc/1/root"


def rd(p, raw=False):
    try:
        with open(p, "rb") as f:
            d = f.read()
    except OSError:
        return None
    return d if raw else d.decode("utf-8", "replace")


def resolve(p):
    # The path p inside the learner's root, intermediate symlinks resolved
    # within that root, the last component not followed.
    parts = [x for x in p.split("/") if x]
    cur, links = [], 0
    while parts:
        c = parts.pop(0)
        if c == ".":
            continue
        if c == "..":
            if cur:
                cur.pop()
            continue
        full = ROOT + "/" + "/".join(cur + [c])
        if parts and os.path.islink(full):
            links += 1
            if links > 40:
                raise OSError("too many links")
            t = os.readlink(full)
            if t.startswith("/"):
                cur = []
            parts = [x for x in t.split("/") if x] + parts
            continue
        cur.append(c)
    return ROOT + "/" + "/".join(cur)


def procs():
    me = rd("/proc/self/cgroup")
    out = []
    for n in os.listdir("/proc"):
        if not n.isdigit():
            continue
        d = "/proc/" + n
        st = rd(d + "/stat")
        if st is None:
            continue
        r = st.rfind(")")
        f = st[r + 2:].split()
        uid = -1
        for line in (rd(d + "/status") or "").splitlines():
            if line.startswith("Uid:"):
                uid = int(line.split()[2])
                break
        cl = rd(d + "/cmdline", True) or b""
        try:
            exe = os.readlink(d + "/exe")
        except OSError:
            exe = ""
        socks = []
        try:
            for fd in os.listdir(d + "/fd"):
                try:
                    link = os.readlink(d + "/fd/" + fd)
                except OSError:
                    continue
                if link.startswith("socket:["):
                    socks.append(int(link[8:-1]))
        except OSError:
            pass
        out.append({
            "pid": int(n), "ppid": int(f[1]), "uid": uid, "state": f[0],
            "comm": st[st.find("(") + 1:r],
            "cmd": cl.rstrip(b"\0").replace(b"\0", b" ").decode("utf-8", "replace"),
            "exe": exe, "own": rd(d + "/cgroup") == me, "socks": socks,
        })
    return out


def main():
    if sys.argv[1] == "snapshot":
        net = {p: rd("/proc/self/net/" + p) or "" for p in ("tcp", "tcp6", "udp", "udp6")}
        json.dump({"procs": procs(), "net": net}, sys.stdout)
    elif sys.argv[1] == "inodes":
        res = {}
        for p in sys.argv[2:]:
            try:
                st = os.lstat(resolve(p))
            except OSError:
                continue
            res[p] = [st.st_ino, st.st_dev]
        json.dump(res, sys.stdout)


main()
