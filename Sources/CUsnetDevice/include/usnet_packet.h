// AF_PACKET sockets with PACKET_MMAP rings for UsnetDevice's `PacketSocket`: thin wrappers that
// return `-errno` instead of setting `errno`, plus the ordered loads and stores of the ring
// status words that Swift cannot express. Ring headers are parsed in Swift (bounds-checked).
//
// Pointers are the caller's buffer and its exact length, or an address inside a ring mapping
// that the caller checked against the mapping's length; nothing here keeps a pointer.
#ifndef USNET_PACKET_H
#define USNET_PACKET_H

#include <stdint.h>

/// One classic BPF instruction, laid out as the kernel's `struct sock_filter`.
typedef struct {
  uint16_t code;
  uint8_t jt;
  uint8_t jf;
  uint32_t k;
} usnet_bpf_instruction;

/// PACKET_STATISTICS (TPACKET_V3 layout) since the previous read, or `error` (a positive
/// errno) when nonzero.
typedef struct {
  int32_t error;
  uint32_t packets;
  uint32_t drops;
  uint32_t freeze_count;
} usnet_packet_statistics;

/// An mmap(2) of a socket's rings: its address as an integer or, when that is 0, `error` (a
/// positive errno).
typedef struct {
  uint64_t address;
  int32_t error;
} usnet_packet_mapping;

/// Integer options for usnet_packet_set_option.
enum {
  /// PACKET_VNET_HDR: a virtio_net_hdr in front of every frame received and sent.
  USNET_PACKET_OPT_VNET_HDR = 1,
  /// PACKET_VERSION: the ring header version (the value: 2 for TPACKET_V3's enum value).
  USNET_PACKET_OPT_VERSION = 2,
  /// PACKET_LOSS: the TX ring skips malformed frames instead of stopping at them.
  USNET_PACKET_OPT_LOSS = 3,
  /// PACKET_IGNORE_OUTGOING: do not deliver frames the host sends on the interface.
  USNET_PACKET_OPT_IGNORE_OUTGOING = 4,
  /// SO_RCVBUFFORCE: the receive buffer in bytes, beyond rmem_max (CAP_NET_ADMIN).
  USNET_PACKET_OPT_RCVBUFFORCE = 5,
  /// SO_RCVBUF: the receive buffer in bytes, capped at rmem_max.
  USNET_PACKET_OPT_RCVBUF = 6,
};

/// TPACKET_V3 as a PACKET_VERSION value.
#define USNET_TPACKET_V3 2
/// The length of the virtio_net_hdr that PACKET_VNET_HDR puts in front of each frame.
#define USNET_PACKET_VNET_HDR_LEN 10
/// TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): where the sockaddr_ll of a received frame
/// starts, and where the data of a transmit frame starts.
#define USNET_TPACKET3_HDR_LEN 48
/// sizeof(struct sockaddr_ll).
#define USNET_SOCKADDR_LL_LEN 20
/// sizeof(struct tpacket_block_desc).
#define USNET_TPACKET_BLOCK_DESC_LEN 48
/// TP_STATUS_KERNEL / TP_STATUS_AVAILABLE: the kernel owns the block (RX) or the frame is
/// free (TX).
#define USNET_TP_STATUS_KERNEL 0
/// TP_STATUS_USER (RX block) / TP_STATUS_SEND_REQUEST (TX frame).
#define USNET_TP_STATUS_USER 1
/// TP_STATUS_SENDING: the kernel is sending the TX frame.
#define USNET_TP_STATUS_SENDING 2
/// TP_STATUS_WRONG_FORMAT: the kernel rejected the TX frame.
#define USNET_TP_STATUS_WRONG_FORMAT 4
/// PACKET_OUTGOING: the frame was sent by this host (sockaddr_ll.sll_pkttype).
#define USNET_PACKET_OUTGOING 4

/// socket(AF_PACKET, SOCK_RAW, 0), nonblocking and close-on-exec: it receives nothing until
/// usnet_packet_bind gives it a protocol, so a filter and rings can be set up first.
/// Returns the fd or -errno.
int usnet_packet_open(void);

/// setsockopt(2) of a USNET_PACKET_OPT_* integer option. 0 or -errno.
int usnet_packet_set_option(int fd, int option, int value);

/// SO_ATTACH_FILTER with the `count` instructions at `program`. 0 or -errno.
int usnet_packet_attach_filter(int fd, const usnet_bpf_instruction *program, int count);

/// PACKET_RX_RING (`transmit` 0, a TPACKET_V3 block ring retiring blocks after
/// `retire_timeout_ms`) or PACKET_TX_RING (`transmit` 1, fixed frames), with
/// `frame_size`-byte frames in `block_count` blocks of `block_size` bytes. 0 or -errno.
int usnet_packet_set_ring(
    int fd, int transmit, uint32_t block_size, uint32_t block_count, uint32_t frame_size,
    uint32_t retire_timeout_ms);

/// mmap(2) of `length` bytes of the socket's rings (RX ring first), shared, read-write.
usnet_packet_mapping usnet_packet_map(int fd, int64_t length);

/// munmap(2) of a mapping from usnet_packet_map (its address and length). 0 or -errno.
int usnet_packet_unmap(uint64_t address, int64_t length);

/// bind(2) to the interface with index `ifindex` for every protocol (ETH_P_ALL). 0 or -errno.
int usnet_packet_bind(int fd, int ifindex);

/// getsockopt(PACKET_STATISTICS): the counters since the previous call (reading resets them).
usnet_packet_statistics usnet_packet_read_statistics(int fd);

/// send(fd, NULL, 0, MSG_DONTWAIT): asks the kernel to send every TX frame marked
/// TP_STATUS_SEND_REQUEST. Returns the bytes queued or -errno (EINTR retried).
int64_t usnet_packet_flush(int fd);

/// Loads the 32-bit ring status word at `word` (4-byte aligned, inside a mapping) with acquire
/// ordering, so the frame data the kernel wrote before it is visible.
uint32_t usnet_ring_load_status(const uint8_t *word);

/// Stores `status` into the ring status word at `word` with release ordering, so the data
/// written before it is visible to the kernel when it sees the new status.
void usnet_ring_store_status(uint8_t *word, uint32_t status);

#endif
