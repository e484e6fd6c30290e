package sandbox

import "testing"

func TestParseNet(t *testing.T) {
	tcp := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1FBC 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 12345 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1FBC 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 12346 1 0000000000000000 100 0 0 10 0`
	got := parseNet(tcp)
	if len(got) != 2 || got[0].sock.Addr != "127.0.0.1" || got[0].sock.Port != 8124 || !got[0].sock.Listening || got[0].inode != 12345 || got[1].sock.Listening {
		t.Errorf("tcp: %+v", got)
	}
	tcp6 := `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1`
	if got := parseNet(tcp6); len(got) != 1 || got[0].sock.Addr != "::1" || got[0].sock.Port != 80 || !got[0].sock.Listening {
		t.Errorf("tcp6: %+v", got)
	}
}
