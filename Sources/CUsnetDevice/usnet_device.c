// See include/usnet_device.h. Plain POSIX and Linux calls; no state.
#define _GNU_SOURCE
#include "usnet_device.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

_Static_assert(USNET_IFF_TAP == IFF_TAP, "IFF_TAP");
_Static_assert(USNET_IFF_NO_PI == IFF_NO_PI, "IFF_NO_PI");
_Static_assert(USNET_IFF_VNET_HDR == IFF_VNET_HDR, "IFF_VNET_HDR");
_Static_assert(USNET_TUN_F_CSUM == TUN_F_CSUM, "TUN_F_CSUM");
_Static_assert(USNET_TUN_F_TSO4 == TUN_F_TSO4, "TUN_F_TSO4");
_Static_assert(USNET_TUN_F_TSO6 == TUN_F_TSO6, "TUN_F_TSO6");
_Static_assert(USNET_TUN_F_TSO_ECN == TUN_F_TSO_ECN, "TUN_F_TSO_ECN");
_Static_assert(USNET_IFNAME_MAX == IFNAMSIZ - 1, "IFNAMSIZ");

int usnet_tun_open(void) {
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  return fd < 0 ? -errno : fd;
}

int usnet_tun_set_iff(int fd, const char *name, int flags, char *actual_name) {
  struct ifreq request;
  memset(&request, 0, sizeof request);
  size_t length = strnlen(name, IFNAMSIZ);
  if (length > USNET_IFNAME_MAX) return -EINVAL;
  memcpy(request.ifr_name, name, length);
  request.ifr_flags = (short)flags;
  if (ioctl(fd, TUNSETIFF, &request) < 0) return -errno;
  memcpy(actual_name, request.ifr_name, IFNAMSIZ);
  actual_name[USNET_IFNAME_MAX] = 0;
  return 0;
}

int usnet_tun_set_offload(int fd, unsigned int offloads) {
  if (ioctl(fd, TUNSETOFFLOAD, (unsigned long)offloads) < 0) return -errno;
  return 0;
}

int usnet_tun_get_vnet_hdr_size(int fd) {
  int size = 0;
  if (ioctl(fd, TUNGETVNETHDRSZ, &size) < 0) return -errno;
  return size;
}

int64_t usnet_fd_read(int fd, uint8_t *buffer, int64_t length) {
  if (length < 0) return -EINVAL;
  ssize_t count;
  do {
    count = read(fd, buffer, (size_t)length);
  } while (count < 0 && errno == EINTR);
  return count < 0 ? -errno : (int64_t)count;
}

int64_t usnet_fd_write(int fd, const uint8_t *buffer, int64_t length) {
  if (length < 0) return -EINVAL;
  ssize_t count;
  do {
    count = write(fd, buffer, (size_t)length);
  } while (count < 0 && errno == EINTR);
  return count < 0 ? -errno : (int64_t)count;
}

int64_t usnet_fd_write_with_header(
    int fd, const uint8_t *header, int64_t header_length, const uint8_t *buffer, int64_t length) {
  if (header_length < 0 || length < 0) return -EINVAL;
  struct iovec parts[2] = {
      {.iov_base = (void *)header, .iov_len = (size_t)header_length},
      {.iov_base = (void *)buffer, .iov_len = (size_t)length},
  };
  ssize_t count;
  do {
    count = writev(fd, parts, 2);
  } while (count < 0 && errno == EINTR);
  return count < 0 ? -errno : (int64_t)count;
}

int usnet_eventfd_open(void) {
  int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  return fd < 0 ? -errno : fd;
}

int usnet_eventfd_signal(int fd) {
  uint64_t one = 1;
  ssize_t count;
  do {
    count = write(fd, &one, sizeof one);
  } while (count < 0 && errno == EINTR);
  if (count < 0 && errno != EAGAIN) return -errno;
  return 0;
}

int usnet_eventfd_drain(int fd) {
  uint64_t value = 0;
  ssize_t count;
  do {
    count = read(fd, &value, sizeof value);
  } while (count < 0 && errno == EINTR);
  if (count < 0) return errno == EAGAIN ? 0 : -errno;
  return value != 0;
}

static struct timespec *usnet_timeout(int64_t timeout_ns, struct timespec *storage) {
  if (timeout_ns < 0) return NULL;
  storage->tv_sec = (time_t)(timeout_ns / 1000000000);
  storage->tv_nsec = (long)(timeout_ns % 1000000000);
  return storage;
}

int usnet_fd_wait_readable2(int first, int second, int64_t timeout_ns) {
  struct pollfd entries[2] = {
      {.fd = first, .events = POLLIN, .revents = 0},
      {.fd = second, .events = POLLIN, .revents = 0},
  };
  struct timespec storage;
  int ready = ppoll(entries, 2, usnet_timeout(timeout_ns, &storage), NULL);
  if (ready < 0) return errno == EINTR ? 0 : -errno;
  if (ready == 0) return 0;
  if ((entries[0].revents | entries[1].revents) & POLLNVAL) return -EBADF;
  return (entries[0].revents ? 1 : 0) | (entries[1].revents ? 2 : 0);
}

int usnet_fd_wait_readable_any(const int *fds, int count, int64_t timeout_ns) {
  if (count < 1 || count > 30) return -EINVAL;
  struct pollfd entries[30];
  for (int index = 0; index < count; index++) {
    entries[index] = (struct pollfd){.fd = fds[index], .events = POLLIN, .revents = 0};
  }
  struct timespec storage;
  int ready = ppoll(entries, (nfds_t)count, usnet_timeout(timeout_ns, &storage), NULL);
  if (ready < 0) return errno == EINTR ? 0 : -errno;
  int mask = 0;
  for (int index = 0; index < count; index++) {
    if (entries[index].revents & POLLNVAL) return -EBADF;
    if (entries[index].revents) mask |= 1 << index;
  }
  return mask;
}

int usnet_fd_wait_readable(int fd, int64_t timeout_ns) {
  struct pollfd entry = {.fd = fd, .events = POLLIN, .revents = 0};
  struct timespec storage;
  int ready = ppoll(&entry, 1, usnet_timeout(timeout_ns, &storage), NULL);
  if (ready < 0) return errno == EINTR ? 0 : -errno;
  if (ready == 0) return 0;
  if (entry.revents & POLLNVAL) return -EBADF;
  return 1;
}

int usnet_fd_close(int fd) {
  if (close(fd) < 0 && errno != EINTR) return -errno;
  return 0;
}

void usnet_strerror(int error, char *buffer, int64_t length) {
  if (length <= 0) return;
  // The GNU strerror_r may return a static string instead of filling the buffer.
  const char *text = strerror_r(error, buffer, (size_t)length);
  if (text != buffer) snprintf(buffer, (size_t)length, "%s", text);
  buffer[length - 1] = 0;
}
