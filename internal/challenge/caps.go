package challenge

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// linuxCapabilities are the capability names of linux/capability.h, without
// the CAP_ prefix.
var linuxCapabilities = map[string]bool{
	"CHOWN": true, "DAC_OVERRIDE": true, "DAC_READ_SEARCH": true, "FOWNER": true,
	"FSETID": true, "KILL": true, "SETGID": true, "SETUID": true, "SETPCAP": true,
	"LINUX_IMMUTABLE": true, "NET_BIND_SERVICE": true, "NET_BROADCAST": true,
	"NET_ADMIN": true, "NET_RAW": true, "IPC_LOCK": true, "IPC_OWNER": true,
	"SYS_MODULE": true, "SYS_RAWIO": true, "SYS_CHROOT": true, "SYS_PTRACE": true,
	"SYS_PACCT": true, "SYS_ADMIN": true, "SYS_BOOT": true, "SYS_NICE": true,
	"SYS_RESOURCE": true, "SYS_TIME": true, "SYS_TTY_CONFIG": true, "MKNOD": true,
	"LEASE": true, "AUDIT_WRITE": true, "AUDIT_CONTROL": true, "SETFCAP": true,
	"MAC_OVERRIDE": true, "MAC_ADMIN": true, "SYSLOG": true, "WAKE_ALARM": true,
	"BLOCK_SUSPEND": true, "AUDIT_READ": true, "PERFMON": true, "BPF": true,
	"CHECKPOINT_RESTORE": true,
}

// capabilities reads a list of Linux capability names, accepting NET_RAW,
// CAP_NET_RAW and lower case, and returns them as NET_RAW.
func (d *decoder) capabilities(k, v *yaml.Node) []string {
	list, _ := d.strList(k, v)
	var out []string
	seen := map[string]bool{}
	for i, s := range list {
		name := strings.TrimPrefix(strings.ToUpper(s), "CAP_")
		switch {
		case s == "":
		case !linuxCapabilities[name]:
			d.errorf(v.Content[i], "key %q: %q is not a Linux capability", k.Value, s)
		case seen[name]:
			d.errorf(v.Content[i], "key %q: %s is listed twice", k.Value, name)
		default:
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}
