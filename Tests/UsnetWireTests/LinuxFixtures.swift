// Frames captured from Linux for the fixture tests.
//
// Kernel: Linux 6.18.44 (x86_64, Debian 12 user space), tcpdump 4.99.3. Two network namespaces
// joined by a veth pair, 198.18.0.1/24 (MAC 02:00:00:00:00:0a) and 198.18.0.2/24
// (MAC 02:00:00:00:00:0b), with checksum offload, TSO, GSO and GRO disabled on both ends
// (`ethtool -K vethX tx off tso off gso off gro off`) so that the captured checksums are final.
// Captured with `tcpdump -i vethB -U -w all.pcap -s 0` inside the 198.18.0.2 namespace and
// converted to hex from the pcap file. The namespaces were deleted afterwards (trap on EXIT).
//
// Capture 1: `ping`, two `socat` UDP datagrams (one to a closed port), then a python3 TCP client
// sending 100, 200 and 300 bytes with TCP_NODELAY to a python3 server, while the server's
// namespace drops the first 252-byte IPv4 packet to port 5000 once
// (`nft: tcp dport 5000 ip length 252 quota until 300 bytes drop` on the input hook), which
// makes the server send a SACK block.
// Capture 2: a TCP connect to a closed port from a namespace with net.ipv4.tcp_timestamps=0.
//
// The setup, condensed (A = 198.18.0.1, B = 198.18.0.2):
//   ip netns add usnwireA; ip netns add usnwireB
//   ip link add vethA netns usnwireA type veth peer name vethB netns usnwireB
//   ip -n usnwireA link set vethA address 02:00:00:00:00:0a   (vethB: ...:0b)
//   ip -n usnwireA addr add 198.18.0.1/24 dev vethA           (vethB: 198.18.0.2/24)
//   ip netns exec usnwireB tcpdump -i vethB -U -w all.pcap -s 0 not ip6 &
//   ip netns exec usnwireA ping -c 1 -p 75736e6574 -s 16 198.18.0.2
//   ip netns exec usnwireB socat -u UDP4-RECV:4000 /dev/null &
//   echo -n "hello usnet" | ip netns exec usnwireA socat -u - \
//     UDP4-SENDTO:198.18.0.2:4000,sourceport=40000
//   echo -n "closed" | ip netns exec usnwireA socat -u - \
//     UDP4-SENDTO:198.18.0.2:4001,sourceport=40001
//   python3 in B: listen on 198.18.0.2:5000, read 600 bytes, close
//   python3 in A: connect from 198.18.0.1:41000, TCP_NODELAY, send 100 x "A", sleep 0.2,
//     200 x "B", sleep 0.05, 300 x "C", sleep 1.5, close

/// Linux-captured Ethernet frames as hex strings (whitespace is ignored).
enum LinuxFixtures {
  /// ARP request: who-has 198.18.0.2 tell 198.18.0.1 (frame 1 of capture 1).
  static let arpRequest = """
    ffffffffffff02000000000a0806000108000604000102000000000ac6120001000000000000c6120002
    """

  /// ARP reply: 198.18.0.2 is-at 02:00:00:00:00:0b (frame 2 of capture 1).
  static let arpReply = """
    02000000000a02000000000b0806000108000604000202000000000bc612000202000000000ac6120001
    """

  /// ICMP echo request, id 0x0e39, seq 1, 16 data bytes (ping's 16-byte struct timeval; the
  /// `-p` pattern did not fit) (`ping -c 1 -p 75736e6574 -s 16 198.18.0.2`, frame 3 of capture 1).
  static let echoRequest = """
    02000000000b02000000000a08004500002cb0dc40004001fdccc6120001c61200020800f3360e390001873a
    0c6b0000000061e9010000000000
    """

  /// ICMP echo reply to `echoRequest` (frame 4 of capture 1).
  static let echoReply = """
    02000000000a02000000000b08004500002c8865000040016644c6120002c61200010000fb360e390001873a
    0c6b0000000061e9010000000000
    """

  /// UDP 198.18.0.1:40000 -> 198.18.0.2:4000, payload "hello usnet"
  /// (`echo -n "hello usnet" | socat -u - UDP4-SENDTO:198.18.0.2:4000,sourceport=40000`,
  /// frame 5 of capture 1).
  static let udpDatagram = """
    02000000000b02000000000a0800450000273421400040117a7dc6120001c61200029c400fa000132bf46865
    6c6c6f2075736e6574
    """

  /// UDP 198.18.0.1:40001 -> 198.18.0.2:4001 (no listener), payload "closed"
  /// (`socat` as above, frame 6 of capture 1).
  static let udpToClosedPort = """
    02000000000b02000000000a080045000022342e400040117a75c6120001c61200029c410fa1000e8f83636c
    6f736564
    """

  /// ICMP port unreachable from 198.18.0.2 quoting all of `udpToClosedPort` (tos 0xc0,
  /// frame 7 of capture 1).
  static let portUnreachable = """
    02000000000a02000000000b080045c0003e89160000400164c1c6120002c612000103038944000000004500
    0022342e400040117a75c6120001c61200029c410fa1000e8f83636c6f736564
    """

  /// TCP SYN 198.18.0.1:41000 -> 198.18.0.2:5000, seq 3918972507, win 64240, options
  /// [mss 1460,sackOK,TS val 1810368330 ecr 0,nop,wscale 10] (python3
  /// `socket.create_connection`, frame 8 of capture 1).
  static let tcpSYN = """
    02000000000b02000000000a08004500003c30dc400040067db8c6120001c6120002a0281388e996c65b0000
    0000a002faf0ea0e0000020405b40402080a6be8074a000000000103030a
    """

  /// TCP SYN-ACK for `tcpSYN`, seq 1168561171, ack 3918972508, win 65160, options
  /// [mss 1460,sackOK,TS val 1861271228 ecr 1810368330,nop,wscale 10] (frame 9 of capture 1).
  static let tcpSYNACK = """
    02000000000a02000000000b08004500003c000040004006ae94c6120002c61200011388a02845a6d413e996
    c65ca012fe889efe0000020405b40402080a6ef0bebc6be8074a0103030a
    """

  /// TCP PSH-ACK with 100 bytes "A", seq 3918972508, ack 1168561172, win 63, options
  /// [nop,nop,TS val 1810368330 ecr 1861271228] (python3 `send`, frame 11 of capture 1).
  static let tcpData = """
    02000000000b02000000000a08004500009830de400040067d5ac6120001c6120002a0281388e996c65c45a6
    d4148018003f0ced00000101080a6be8074a6ef0bebc41414141414141414141414141414141414141414141
    4141414141414141414141414141414141414141414141414141414141414141414141414141414141414141
    41414141414141414141414141414141414141414141414141414141414141414141
    """

  /// TCP ACK from 198.18.0.2 with a SACK block, sent when the 200-byte segment had been dropped
  /// by nftables and the 300-byte one arrived out of order: ack 3918972608, win 64, options
  /// [nop,nop,TS val 1861271479 ecr 1810368330,nop,nop,sack 1 {3918972808:3918973108}]
  /// (frame 15 of capture 1).
  static let tcpSACK = """
    02000000000a02000000000b080045000040ceb240004006dfddc6120002c61200011388a02845a6d414e996
    c6c0b0100040313500000101080a6ef0bfb76be8074a0101050ae996c788e996c8b4
    """

  /// TCP FIN-ACK from 198.18.0.2, seq 1168561172, ack 3918973108, win 64, options
  /// [nop,nop,TS val 1861271479 ecr 1810368581] (frame 18 of capture 1).
  static let tcpFINACK = """
    02000000000a02000000000b080045000034ceb440004006dfe7c6120002c61200011388a02845a6d414e996
    c8b480110040c7c700000101080a6ef0bfb76be80845
    """

  /// TCP SYN with net.ipv4.tcp_timestamps=0: 198.18.0.1:41001 -> 198.18.0.2:5001,
  /// seq 3246381864, options [mss 1460,nop,nop,sackOK,nop,wscale 10] (frame 1 of capture 2).
  static let tcpSYNNoTimestamps = """
    02000000000b02000000000a08004500003467d34000400646c9c6120001c6120002a0291389c17fdb280000
    00008002faf0979a0000020405b4010104020103030a
    """

  /// TCP RST-ACK answering `tcpSYNNoTimestamps` (closed port): seq 0, ack 3246381865, win 0
  /// (frame 2 of capture 2).
  static let tcpRST = """
    02000000000a02000000000b080045000028000040004006aea8c6120002c61200011389a02900000000c17f
    db2950140000d34c0000
    """
}
