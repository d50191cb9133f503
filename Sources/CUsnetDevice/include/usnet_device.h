// The C side of UsnetDevice: the few calls Swift cannot make cleanly (variadic ioctl with
// `struct ifreq`, TUNSETIFF and friends are function-like macros) and thin wrappers that return
// `-errno` instead of setting the thread-local `errno`. Imported by UsnetDevice only.
//
// Every function returns a negative errno on failure. Pointers are only ever the caller's buffer
// and its length; nothing here keeps a pointer after it returns.
#ifndef USNET_DEVICE_H
#define USNET_DEVICE_H

#include <stdint.h>

/// TAP device: Ethernet frames (IFF_TAP).
#define USNET_IFF_TAP 0x0002
/// No packet-information prefix (IFF_NO_PI).
#define USNET_IFF_NO_PI 0x1000
/// A virtio-net header in front of every frame (IFF_VNET_HDR).
#define USNET_IFF_VNET_HDR 0x4000
/// TUNSETOFFLOAD: the reader accepts partial checksums (TUN_F_CSUM).
#define USNET_TUN_F_CSUM 0x01
/// TUNSETOFFLOAD: the reader accepts TCPv4 GSO frames (TUN_F_TSO4).
#define USNET_TUN_F_TSO4 0x02
/// TUNSETOFFLOAD: the reader accepts TCPv6 GSO frames (TUN_F_TSO6).
#define USNET_TUN_F_TSO6 0x04
/// TUNSETOFFLOAD: the reader accepts GSO frames with the ECN bit (TUN_F_TSO_ECN).
#define USNET_TUN_F_TSO_ECN 0x08
/// The longest interface name, without the terminating NUL (IFNAMSIZ - 1).
#define USNET_IFNAME_MAX 15

/// Opens /dev/net/tun read-write, nonblocking, close-on-exec. Returns the fd or -errno.
int usnet_tun_open(void);

/// ioctl(fd, TUNSETIFF) with `name` (NUL-terminated, at most USNET_IFNAME_MAX bytes, "" lets the
/// kernel pick) and `flags`. On success copies the kernel's name of the device, NUL-terminated,
/// into `actual_name` (USNET_IFNAME_MAX + 1 bytes) and returns 0; else -errno.
int usnet_tun_set_iff(int fd, const char *name, int flags, char *actual_name);

/// ioctl(fd, TUNSETOFFLOAD, offloads): which offloaded frames the kernel may hand to the reader
/// (USNET_TUN_F_* bits). Returns 0 or -errno (EINVAL for a set the kernel refuses).
int usnet_tun_set_offload(int fd, unsigned int offloads);

/// ioctl(fd, TUNGETVNETHDRSZ): the length of the virtio-net header in front of each frame.
/// Returns it or -errno.
int usnet_tun_get_vnet_hdr_size(int fd);

/// read(2) of at most `length` bytes into `buffer`. Returns the count or -errno (EINTR retried).
int64_t usnet_fd_read(int fd, uint8_t *buffer, int64_t length);

/// write(2) of `length` bytes from `buffer`. Returns the count or -errno (EINTR retried).
int64_t usnet_fd_write(int fd, const uint8_t *buffer, int64_t length);

/// writev(2) of `header_length` bytes from `header` followed by `length` bytes from `buffer`,
/// as one frame. Returns the count written or -errno (EINTR retried).
int64_t usnet_fd_write_with_header(
    int fd, const uint8_t *header, int64_t header_length, const uint8_t *buffer, int64_t length);

/// eventfd(2) with a zero counter, nonblocking, close-on-exec. Returns the fd or -errno.
int usnet_eventfd_open(void);

/// Adds 1 to the eventfd counter. Returns 0 or -errno (EAGAIN at the counter's limit counts as
/// success: the fd is readable anyway).
int usnet_eventfd_signal(int fd);

/// Reads and resets the eventfd counter. Returns 1 when it was nonzero, 0 when it was zero,
/// -errno on failure.
int usnet_eventfd_drain(int fd);

/// ppoll(2) for POLLIN on `first` and `second` for at most `timeout_ns` (negative: forever).
/// Returns a bit mask (1: `first` readable, 2: `second` readable; POLLERR/POLLHUP count as
/// readable), 0 on timeout or EINTR, -errno on failure (EBADF for a closed fd).
int usnet_fd_wait_readable2(int first, int second, int64_t timeout_ns);

/// ppoll(2) for POLLIN on the `count` fds at `fds` (1 to 30) for at most `timeout_ns`
/// (negative: forever). Returns a bit mask (bit i: `fds[i]` readable; POLLERR/POLLHUP count as
/// readable), 0 on timeout or EINTR, -errno on failure (EBADF for a closed fd, EINVAL for a
/// bad count).
int usnet_fd_wait_readable_any(const int *fds, int count, int64_t timeout_ns);

/// ppoll(2) for POLLIN on `fd` for at most `timeout_ns` (negative: forever). Returns 1 when
/// readable (or on POLLERR/POLLHUP, so the next read reports it), 0 on timeout or EINTR, -errno
/// on failure.
int usnet_fd_wait_readable(int fd, int64_t timeout_ns);

/// close(2). Returns 0 or -errno (EINTR counts as closed, as on Linux).
int usnet_fd_close(int fd);

/// strerror_r(3) into `buffer` of `length` bytes, always NUL-terminated.
void usnet_strerror(int error, char *buffer, int64_t length);

#endif
