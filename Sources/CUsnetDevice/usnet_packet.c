// See include/usnet_packet.h. Plain Linux calls; no state.
#define _GNU_SOURCE
#include "usnet_packet.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <arpa/inet.h>

_Static_assert(sizeof(usnet_bpf_instruction) == sizeof(struct sock_filter), "sock_filter");
_Static_assert(offsetof(usnet_bpf_instruction, k) == offsetof(struct sock_filter, k), "k");
_Static_assert(USNET_TPACKET_V3 == TPACKET_V3, "TPACKET_V3");
_Static_assert(USNET_TPACKET3_HDR_LEN == TPACKET_ALIGN(sizeof(struct tpacket3_hdr)), "hdr");
_Static_assert(USNET_SOCKADDR_LL_LEN == sizeof(struct sockaddr_ll), "sockaddr_ll");
_Static_assert(USNET_TPACKET_BLOCK_DESC_LEN == sizeof(struct tpacket_block_desc), "block");
_Static_assert(offsetof(struct tpacket_block_desc, hdr.bh1.block_status) == 8, "status");
_Static_assert(offsetof(struct tpacket_block_desc, hdr.bh1.num_pkts) == 12, "num_pkts");
_Static_assert(offsetof(struct tpacket_block_desc, hdr.bh1.offset_to_first_pkt) == 16, "first");
_Static_assert(offsetof(struct tpacket_block_desc, hdr.bh1.blk_len) == 20, "blk_len");
_Static_assert(offsetof(struct tpacket3_hdr, tp_snaplen) == 12, "tp_snaplen");
_Static_assert(offsetof(struct tpacket3_hdr, tp_len) == 16, "tp_len");
_Static_assert(offsetof(struct tpacket3_hdr, tp_status) == 20, "tp_status");
_Static_assert(offsetof(struct tpacket3_hdr, tp_mac) == 24, "tp_mac");
_Static_assert(offsetof(struct sockaddr_ll, sll_pkttype) == 10, "sll_pkttype");
_Static_assert(USNET_TP_STATUS_USER == TP_STATUS_USER, "TP_STATUS_USER");
_Static_assert(USNET_TP_STATUS_USER == TP_STATUS_SEND_REQUEST, "TP_STATUS_SEND_REQUEST");
_Static_assert(USNET_TP_STATUS_SENDING == TP_STATUS_SENDING, "TP_STATUS_SENDING");
_Static_assert(USNET_TP_STATUS_WRONG_FORMAT == TP_STATUS_WRONG_FORMAT, "WRONG_FORMAT");
_Static_assert(USNET_PACKET_OUTGOING == PACKET_OUTGOING, "PACKET_OUTGOING");

int usnet_packet_open(void) {
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  return fd < 0 ? -errno : fd;
}

int usnet_packet_set_option(int fd, int option, int value) {
  int level = SOL_PACKET;
  int name;
  switch (option) {
    case USNET_PACKET_OPT_VNET_HDR: name = PACKET_VNET_HDR; break;
    case USNET_PACKET_OPT_VERSION: name = PACKET_VERSION; break;
    case USNET_PACKET_OPT_LOSS: name = PACKET_LOSS; break;
    case USNET_PACKET_OPT_IGNORE_OUTGOING: name = PACKET_IGNORE_OUTGOING; break;
    case USNET_PACKET_OPT_RCVBUFFORCE: level = SOL_SOCKET; name = SO_RCVBUFFORCE; break;
    case USNET_PACKET_OPT_RCVBUF: level = SOL_SOCKET; name = SO_RCVBUF; break;
    default: return -EINVAL;
  }
  if (setsockopt(fd, level, name, &value, sizeof value) < 0) return -errno;
  return 0;
}

int usnet_packet_attach_filter(int fd, const usnet_bpf_instruction *program, int count) {
  if (count <= 0 || count > 0xFFFF) return -EINVAL;
  struct sock_fprog filter = {.len = (unsigned short)count, .filter = (struct sock_filter *)program};
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &filter, sizeof filter) < 0) return -errno;
  return 0;
}

int usnet_packet_set_ring(
    int fd, int transmit, uint32_t block_size, uint32_t block_count, uint32_t frame_size,
    uint32_t retire_timeout_ms) {
  if (frame_size == 0 || frame_size > block_size) return -EINVAL;
  struct tpacket_req3 request;
  memset(&request, 0, sizeof request);
  request.tp_block_size = block_size;
  request.tp_block_nr = block_count;
  request.tp_frame_size = frame_size;
  request.tp_frame_nr = (block_size / frame_size) * block_count;
  // The kernel refuses these on a TX ring.
  if (!transmit) request.tp_retire_blk_tov = retire_timeout_ms;
  int name = transmit ? PACKET_TX_RING : PACKET_RX_RING;
  if (setsockopt(fd, SOL_PACKET, name, &request, sizeof request) < 0) return -errno;
  return 0;
}

usnet_packet_mapping usnet_packet_map(int fd, int64_t length) {
  usnet_packet_mapping mapping = {.address = 0, .error = 0};
  if (length <= 0) {
    mapping.error = EINVAL;
    return mapping;
  }
  void *address = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) {
    mapping.error = errno;
  } else {
    mapping.address = (uint64_t)(uintptr_t)address;
  }
  return mapping;
}

int usnet_packet_unmap(uint64_t address, int64_t length) {
  if (munmap((void *)(uintptr_t)address, (size_t)length) < 0) return -errno;
  return 0;
}

int usnet_packet_bind(int fd, int ifindex) {
  struct sockaddr_ll address;
  memset(&address, 0, sizeof address);
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = ifindex;
  if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0) return -errno;
  return 0;
}

usnet_packet_statistics usnet_packet_read_statistics(int fd) {
  usnet_packet_statistics result = {.error = 0, .packets = 0, .drops = 0, .freeze_count = 0};
  struct tpacket_stats_v3 statistics;
  memset(&statistics, 0, sizeof statistics);
  socklen_t length = sizeof statistics;
  if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &statistics, &length) < 0) {
    result.error = errno;
    return result;
  }
  result.packets = statistics.tp_packets;
  result.drops = statistics.tp_drops;
  // Only TPACKET_V3 sockets fill the third field.
  if (length >= sizeof statistics) result.freeze_count = statistics.tp_freeze_q_cnt;
  return result;
}

int64_t usnet_packet_flush(int fd) {
  ssize_t count;
  do {
    count = send(fd, NULL, 0, MSG_DONTWAIT);
  } while (count < 0 && errno == EINTR);
  return count < 0 ? -errno : (int64_t)count;
}

uint32_t usnet_ring_load_status(const uint8_t *word) {
  return __atomic_load_n((const uint32_t *)word, __ATOMIC_ACQUIRE);
}

void usnet_ring_store_status(uint8_t *word, uint32_t status) {
  __atomic_store_n((uint32_t *)word, status, __ATOMIC_RELEASE);
}
