// rtnetlink (NETLINK_ROUTE) sockets and network namespaces for UsnetDevice: thin wrappers that
// return `-errno` instead of setting `errno`. Messages are built and parsed in Swift; the calls
// here only move whole datagrams between the caller's buffer and the kernel.
//
// Pointers are only ever the caller's buffer and its exact length, never kept after returning.
#ifndef USNET_NETLINK_H
#define USNET_NETLINK_H

#include <stdint.h>

/// Opens a NETLINK_ROUTE socket (close-on-exec, blocking), asks for extended acknowledgments
/// (NETLINK_EXT_ACK: the kernel's error text) and capped ones (NETLINK_CAP_ACK: errors do not
/// echo the request), and binds it to a port id the kernel picks. The socket belongs to the
/// network namespace of the calling thread for its lifetime. Returns the fd or -errno.
int usnet_netlink_open(void);

/// The port id the kernel gave the socket (getsockname), or -errno.
int64_t usnet_netlink_port_id(int fd);

/// sendto(2) of the `length`-byte message in `buffer` to the kernel (port id 0). Returns the
/// count or -errno (EINTR retried).
int64_t usnet_netlink_send(int fd, const uint8_t *buffer, int64_t length);

/// Receives the next datagram the kernel sent (datagrams from other senders are read and
/// dropped), blocking until there is one. When it fits in `length` bytes it is copied into
/// `buffer`, consumed, and its length returned; when it is longer, nothing is consumed and its
/// full length is returned, so the caller retries with a larger buffer. -errno on failure
/// (EINTR retried).
int64_t usnet_netlink_receive(int fd, uint8_t *buffer, int64_t length);

/// unshare(CLONE_NEWNET): moves the calling thread into a new network namespace. 0 or -errno.
int usnet_netns_unshare(void);

/// setns(CLONE_NEWNET) on the namespace file at `path` (such as /run/netns/NAME): moves the
/// calling thread into that network namespace. 0 or -errno.
int usnet_netns_enter(const char *path);

#endif
