package check

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/shellgym/shellgym/internal/challenge"
	"github.com/shellgym/shellgym/sandbox"
)

// linkTypeSLL2 is tcpdump's "-i any" link type since 4.99. gopacket's
// LinkType is a byte, so it is recognised here and decoded by hand.
const linkTypeSLL2 = 276

// Packet is what a pcap check looks at in one captured packet.
type Packet struct {
	Layers  []gopacket.LayerType
	Ports   []int  // TCP or UDP source and destination
	Payload []byte // transport payload, or the whole frame when undecodable
}

// ReadCapture parses a pcap or pcapng file.
func ReadCapture(data []byte) ([]Packet, error) {
	if len(data) < 4 {
		return nil, errors.New("too short to be a capture")
	}
	var (
		next func() ([]byte, error)
		link int
	)
	switch binary.LittleEndian.Uint32(data) {
	case 0x0A0D0D0A: // pcapng section header, same bytes in both orders
		r, err := pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.NgReaderOptions{})
		if err != nil {
			return nil, fmt.Errorf("read pcapng: %w", err)
		}
		link = ngLinkType(data)
		next = func() ([]byte, error) { d, _, err := r.ReadPacketData(); return d, err }
	default:
		r, err := pcapgo.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("read pcap: %w", err)
		}
		link = pcapLinkType(data)
		next = func() ([]byte, error) { d, _, err := r.ReadPacketData(); return d, err }
	}
	var out []Packet
	for {
		d, err := next()
		if err != nil {
			// io.EOF, or a capture cut short by a killed tcpdump: it counts
			// up to its last whole packet.
			return out, nil
		}
		out = append(out, decodePacket(d, link))
	}
}

// pcapLinkType reads the link type from a pcap global header; the upper
// bits may carry FCS flags.
func pcapLinkType(data []byte) int {
	if len(data) < 24 {
		return 1
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if m := binary.BigEndian.Uint32(data); m == 0xa1b2c3d4 || m == 0xa1b23c4d {
		bo = binary.BigEndian
	}
	return int(bo.Uint32(data[20:24]) & 0x0FFFFFFF)
}

// ngLinkType reads the link type of the first interface description block.
func ngLinkType(data []byte) int {
	if len(data) < 12 {
		return 1
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if binary.BigEndian.Uint32(data[8:12]) == 0x1A2B3C4D {
		bo = binary.BigEndian
	}
	off := 0
	for off+12 <= len(data) {
		typ, length := bo.Uint32(data[off:]), int(bo.Uint32(data[off+4:]))
		if typ == 1 && off+10 <= len(data) {
			return int(bo.Uint16(data[off+8:]))
		}
		if length < 12 {
			break
		}
		off += length
	}
	return 1
}

func decodePacket(d []byte, link int) Packet {
	opts := gopacket.DecodeOptions{Lazy: true, NoCopy: true}
	var pkt gopacket.Packet
	switch {
	case link == linkTypeSLL2 && len(d) >= 20:
		et := layers.EthernetType(binary.BigEndian.Uint16(d[0:2]))
		pkt = gopacket.NewPacket(d[20:], et, opts)
	case link == 12: // DLT_RAW on some systems
		pkt = gopacket.NewPacket(d, layers.LinkTypeRaw, opts)
	case link <= 255:
		pkt = gopacket.NewPacket(d, layers.LinkType(link), opts)
	default:
		return Packet{Payload: d}
	}
	var p Packet
	for _, l := range pkt.Layers() {
		p.Layers = append(p.Layers, l.LayerType())
	}
	switch t := pkt.TransportLayer().(type) {
	case *layers.TCP:
		p.Ports = []int{int(t.SrcPort), int(t.DstPort)}
		p.Payload = t.LayerPayload()
	case *layers.UDP:
		p.Ports = []int{int(t.SrcPort), int(t.DstPort)}
		p.Payload = t.LayerPayload()
	default:
		if app := pkt.ApplicationLayer(); app != nil {
			p.Payload = app.Payload()
		} else {
			p.Payload = d
		}
	}
	return p
}

var protoLayers = map[string][]gopacket.LayerType{
	"tcp":   {layers.LayerTypeTCP},
	"udp":   {layers.LayerTypeUDP},
	"icmp":  {layers.LayerTypeICMPv4, layers.LayerTypeICMPv6},
	"icmp6": {layers.LayerTypeICMPv6},
	"arp":   {layers.LayerTypeARP},
	"ip":    {layers.LayerTypeIPv4},
	"ipv4":  {layers.LayerTypeIPv4},
	"ip6":   {layers.LayerTypeIPv6},
	"ipv6":  {layers.LayerTypeIPv6},
}

func (p Packet) has(types []gopacket.LayerType) bool {
	for _, have := range p.Layers {
		for _, want := range types {
			if have == want {
				return true
			}
		}
	}
	return false
}

func evalPcap(c *challenge.Check, f *facts, sp speaker) []string {
	fi := f.files[c.Subject]
	name := sp.subject(c.Subject, "the capture")
	switch {
	case fi == nil || fi.Type == sandbox.Missing:
		return []string{name + " does not exist"}
	case fi.Type != sandbox.Regular:
		return []string{name + " is not a regular file"}
	case fi.Truncated:
		return []string{fmt.Sprintf("%s is larger than %d MiB, so it was not checked", name, MaxFileBytes>>20)}
	}
	pkts, err := ReadCapture(fi.Content)
	if err != nil {
		return []string{fmt.Sprintf("%s is not a pcap or pcapng capture", name)}
	}
	var want []gopacket.LayerType
	if c.Proto != nil {
		var ok bool
		if want, ok = protoLayers[*c.Proto]; !ok {
			return []string{fmt.Sprintf("the check names an unknown protocol %q", *c.Proto)}
		}
	}
	n := 0
	for _, p := range pkts {
		if want != nil && !p.has(want) {
			continue
		}
		if c.Port != nil && !(len(p.Ports) == 2 && (p.Ports[0] == *c.Port || p.Ports[1] == *c.Port)) {
			continue
		}
		if c.Contains != nil && !bytes.Contains(p.Payload, []byte(*c.Contains)) {
			continue
		}
		n++
	}
	min := 0
	if c.Proto != nil || c.Port != nil || c.Contains != nil {
		min = 1
	}
	if c.MinPackets != nil {
		min = *c.MinPackets
	}
	if n >= min {
		return nil
	}
	found := plural(len(pkts), "packet", "packets")
	if n == len(pkts) {
		return []string{fmt.Sprintf("%s holds %s%s", name, found, sp.want("at least "+strconv.Itoa(min)))}
	}
	return []string{fmt.Sprintf("%s holds %s, %d of them of the expected kind%s", name, found, n, sp.want("at least "+strconv.Itoa(min)))}
}
