// Kernel sockets for the Host backend of UsnetSockets: sockaddr packing and unpacking, and thin
// wrappers over socket(2) and friends that return `-errno` instead of setting `errno`, retry
// EINTR where that is the right thing, and never raise SIGPIPE (MSG_NOSIGNAL).
//
// Addresses cross the boundary as `usnet_sockaddr` values (integers only), so only the data
// calls take pointers: the caller's buffer and its exact length, never kept after returning.
#ifndef USNET_SOCKET_H
#define USNET_SOCKET_H

#include <stdint.h>

/// An IPv4 or IPv6 socket address as plain integers.
typedef struct {
  /// 4 for IPv4, 6 for IPv6, 0 for none (or a family this code does not know).
  int32_t family;
  /// The IPv4 address, a.b.c.d as a << 24 | b << 16 | c << 8 | d.
  uint32_t v4;
  /// The first 8 octets of the IPv6 address, first octet in the top bits.
  uint64_t v6_high;
  /// The last 8 octets of the IPv6 address.
  uint64_t v6_low;
  /// The port, host order.
  uint16_t port;
  /// The IPv6 scope id (0 for none).
  uint32_t scope_id;
} usnet_sockaddr;

/// A count or descriptor (`value`, or -errno when negative) with an address.
typedef struct {
  int64_t value;
  usnet_sockaddr address;
} usnet_sock_result;

/// An option value, or `error` (a positive errno) when nonzero.
typedef struct {
  int32_t error;
  int64_t value;
} usnet_sock_value;

/// Socket types for usnet_sock_open.
#define USNET_SOCK_STREAM 1
#define USNET_SOCK_DGRAM 2

/// Integer options for usnet_sock_set_int / usnet_sock_get_int.
enum {
  USNET_OPT_REUSEADDR = 1,
  USNET_OPT_NODELAY = 2,
  USNET_OPT_TTL = 3,
  USNET_OPT_KEEPALIVE = 4,
  USNET_OPT_BROADCAST = 5,
  USNET_OPT_ERROR = 6,
  USNET_OPT_MULTICAST_LOOP_V4 = 7,
  USNET_OPT_MULTICAST_TTL_V4 = 8,
  USNET_OPT_MULTICAST_LOOP_V6 = 9,
  USNET_OPT_V6ONLY = 10,
  USNET_OPT_USER_TIMEOUT = 11,
};

/// Timeout directions for usnet_sock_set_timeout / usnet_sock_get_timeout.
#define USNET_TIMEOUT_RECEIVE 0
#define USNET_TIMEOUT_SEND 1

/// socket(2) of `family` (4 or 6) and `type` (USNET_SOCK_*), close-on-exec. Fd or -errno.
int usnet_sock_open(int family, int type);

/// bind(2). 0 or -errno.
int usnet_sock_bind(int fd, usnet_sockaddr address);

/// listen(2). 0 or -errno.
int usnet_sock_listen(int fd, int backlog);

/// accept4(2) with SOCK_CLOEXEC, EINTR retried: the new fd and the peer, or -errno.
usnet_sock_result usnet_sock_accept(int fd);

/// connect(2). With `timeout_ns` < 0 a plain blocking connect (honouring O_NONBLOCK); else a
/// nonblocking connect and poll(2) until `timeout_ns` has passed (-ETIMEDOUT), restoring the
/// fd's flags afterwards. EINTR is waited out, never reported. 0 or -errno.
int usnet_sock_connect(int fd, usnet_sockaddr address, int64_t timeout_ns);

/// recvfrom(2) of at most `length` bytes into `buffer`, with MSG_PEEK when `peek`, EINTR
/// retried: the count and the sender (family 0 for a connected stream), or -errno.
usnet_sock_result usnet_sock_receive(int fd, uint8_t *buffer, int64_t length, int peek);

/// sendto(2) of `length` bytes from `buffer` with MSG_NOSIGNAL, to `address` unless its family
/// is 0, EINTR retried. The count or -errno.
int64_t usnet_sock_send(int fd, const uint8_t *buffer, int64_t length, usnet_sockaddr address);

/// shutdown(2); `how` is 0 (read), 1 (write) or 2 (both). 0 or -errno.
int usnet_sock_shutdown(int fd, int how);

/// getsockname(2) (`peer` 0) or getpeername(2) (`peer` 1): value 0 and the address, or -errno.
usnet_sock_result usnet_sock_name(int fd, int peer);

/// setsockopt(2) of a USNET_OPT_* integer option. 0 or -errno.
int usnet_sock_set_int(int fd, int option, int value);

/// getsockopt(2) of a USNET_OPT_* integer option.
usnet_sock_value usnet_sock_get_int(int fd, int option);

/// SO_RCVTIMEO / SO_SNDTIMEO; 0 and 0 mean no timeout. 0 or -errno.
int usnet_sock_set_timeout(int fd, int which, int64_t seconds, int64_t microseconds);

/// The SO_RCVTIMEO / SO_SNDTIMEO value in microseconds (0: none).
usnet_sock_value usnet_sock_get_timeout(int fd, int which);

/// SO_LINGER on (`on` 1, `seconds`) or off. 0 or -errno.
int usnet_sock_set_linger(int fd, int on, int seconds);

/// SO_LINGER: the seconds when on, -1 when off.
usnet_sock_value usnet_sock_get_linger(int fd);

/// IP_ADD_MEMBERSHIP (`join` 1) or IP_DROP_MEMBERSHIP for `group` on the interface with
/// address `interface`. 0 or -errno.
int usnet_sock_multicast_v4(int fd, int join, uint32_t group, uint32_t interface);

/// IPV6_ADD_MEMBERSHIP (`join` 1) or IPV6_DROP_MEMBERSHIP for the group on interface index
/// `interface`. 0 or -errno.
int usnet_sock_multicast_v6(int fd, int join, uint64_t high, uint64_t low, uint32_t interface);

/// Sets (`on` 1) or clears O_NONBLOCK. 0 or -errno.
int usnet_fd_set_nonblocking(int fd, int on);

/// fcntl(F_DUPFD_CLOEXEC): a new fd for the same open file, or -errno.
int usnet_fd_duplicate(int fd);

#endif
