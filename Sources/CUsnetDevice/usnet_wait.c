#define _GNU_SOURCE
#include "usnet_wait.h"

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

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
  if (count < 0) return errno == EAGAIN ? 0 : -errno;
  return 0;
}

int usnet_eventfd_drain(int fd) {
  uint64_t value = 0;
  ssize_t count;
  do {
    count = read(fd, &value, sizeof value);
  } while (count < 0 && errno == EINTR);
  if (count < 0) return errno == EAGAIN ? 0 : -errno;
  return 1;
}

int usnet_fds_wait_readable(int first, int second, int64_t timeout_ns) {
  struct pollfd entries[2] = {
      {.fd = first, .events = POLLIN, .revents = 0},
      {.fd = second, .events = POLLIN, .revents = 0},
  };
  struct timespec timeout;
  struct timespec *limit = NULL;
  if (timeout_ns >= 0) {
    timeout.tv_sec = (time_t)(timeout_ns / 1000000000);
    timeout.tv_nsec = (long)(timeout_ns % 1000000000);
    limit = &timeout;
  }
  int ready = ppoll(entries, 2, limit, NULL);
  if (ready < 0) return errno == EINTR ? 0 : -errno;
  if ((entries[0].revents | entries[1].revents) & POLLNVAL) return -EBADF;
  int mask = 0;
  if (entries[0].revents) mask |= 1;
  if (entries[1].revents) mask |= 2;
  return mask;
}
