package check

import (
	"bytes"
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/shellgym/shellgym/internal/challenge"
)

// frame builds an Ethernet/IPv4 frame carrying a TCP or UDP payload.
func frame(t *testing.T, tcp bool, port int, payload string) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{0, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{0, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, SrcIP: net.IP{127, 0, 0, 1}, DstIP: net.IP{127, 0, 0, 1}}
	var l4 gopacket.SerializableLayer
	if tcp {
		ip.Protocol = layers.IPProtocolTCP
		tl := &layers.TCP{SrcPort: 40000, DstPort: layers.TCPPort(port), PSH: true, ACK: true, Window: 100}
		tl.SetNetworkLayerForChecksum(ip)
		l4 = tl
	} else {
		ip.Protocol = layers.IPProtocolUDP
		ul := &layers.UDP{SrcPort: 40000, DstPort: layers.UDPPort(port)}
		ul.SetNetworkLayerForChecksum(ip)
		l4 = ul
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, l4, gopacket.Payload(payload)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pcapFile(t *testing.T, frames ...[]byte) []byte {
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for _, f := range frames {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(f), Length: len(f)}, f); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func pcapngFile(t *testing.T, frames ...[]byte) []byte {
	var b bytes.Buffer
	w, err := pcapgo.NewNgWriter(&b, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range frames {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(f), Length: len(f), InterfaceIndex: 0}, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sll2File is what `tcpdump -i any -w` writes: link type 276, which
// gopacket cannot name.
func sll2File(t *testing.T, frames ...[]byte) []byte {
	var b bytes.Buffer
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 65535)
	binary.LittleEndian.PutUint32(hdr[20:], linkTypeSLL2)
	b.Write(hdr)
	for _, f := range frames {
		// Replace the 14-byte Ethernet header by a 20-byte SLL2 header.
		sll := make([]byte, 20)
		binary.BigEndian.PutUint16(sll[0:], uint16(layers.EthernetTypeIPv4))
		pkt := append(sll, f[14:]...)
		rec := make([]byte, 16)
		binary.LittleEndian.PutUint32(rec[8:], uint32(len(pkt)))
		binary.LittleEndian.PutUint32(rec[12:], uint32(len(pkt)))
		b.Write(rec)
		b.Write(pkt)
	}
	return b.Bytes()
}

func TestPcapCheck(t *testing.T) {
	frames := [][]byte{frame(t, true, 8080, "GET /secret HTTP/1.0"), frame(t, true, 8080, ""), frame(t, false, 53, "dnsquery")}
	files := map[string][]byte{"pcap": pcapFile(t, frames...), "pcapng": pcapngFile(t, frames...), "sll2": sll2File(t, frames...)}
	for format, data := range files {
		t.Run(format, func(t *testing.T) {
			st := func() *fakeState { return newFake().file("/cap", string(data), 0644, 0, 0) }
			pc := func(c challenge.Check) challenge.Check { c.Kind, c.Subject = challenge.KindPcap, "/cap"; return c }
			runKindCases(t, []kindCase{
				{name: "exists", check: pc(challenge.Check{}), state: st, pass: true},
				{name: "missing", check: pc(challenge.Check{}), msg: "/cap does not exist"},
				{name: "min_packets", check: pc(challenge.Check{MinPackets: ptr(3)}), state: st, pass: true},
				{name: "min_packets wrong", check: pc(challenge.Check{MinPackets: ptr(4)}), state: st, msg: "holds 3 packets, expected at least 4"},
				{name: "proto tcp", check: pc(challenge.Check{Proto: ptr("tcp"), MinPackets: ptr(2)}), state: st, pass: true},
				{name: "proto udp", check: pc(challenge.Check{Proto: ptr("udp")}), state: st, pass: true},
				{name: "proto wrong", check: pc(challenge.Check{Proto: ptr("icmp")}), state: st, msg: "0 of them of the expected kind"},
				{name: "port", check: pc(challenge.Check{Port: ptr(53)}), state: st, pass: true},
				{name: "port wrong", check: pc(challenge.Check{Port: ptr(22)}), state: st, msg: "0 of them"},
				{name: "port and proto together", check: pc(challenge.Check{Port: ptr(53), Proto: ptr("tcp")}), state: st, msg: "0 of them"},
				{name: "contains", check: pc(challenge.Check{Contains: ptr("/secret")}), state: st, pass: true},
				{name: "contains wrong", check: pc(challenge.Check{Contains: ptr("password")}), state: st, msg: "0 of them", notInMs: "password"},
			})
		})
	}
	t.Run("not a capture", func(t *testing.T) {
		runKindCases(t, []kindCase{{
			name:  "text",
			check: challenge.Check{Kind: challenge.KindPcap, Subject: "/cap"},
			state: func() *fakeState { return newFake().file("/cap", `{"packets": 100}`, 0644, 0, 0) },
			msg:   "not a pcap or pcapng capture",
		}})
	})
}
