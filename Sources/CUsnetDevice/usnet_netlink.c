// See include/usnet_netlink.h. Plain Linux calls; no state.
#define _GNU_SOURCE
#include "usnet_netlink.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int usnet_netlink_open(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return -errno;
  // Both options only improve error reports; kernels before 4.12 lack NETLINK_EXT_ACK.
  int on = 1;
  (void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on);
  (void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof on);
  struct sockaddr_nl local;
  memset(&local, 0, sizeof local);
  local.nl_family = AF_NETLINK;
  if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) {
    int error = errno;
    close(fd);
    return -error;
  }
  return fd;
}

int64_t usnet_netlink_port_id(int fd) {
  struct sockaddr_nl local;
  memset(&local, 0, sizeof local);
  socklen_t length = sizeof local;
  if (getsockname(fd, (struct sockaddr *)&local, &length) < 0) return -errno;
  return (int64_t)local.nl_pid;
}

int64_t usnet_netlink_send(int fd, const uint8_t *buffer, int64_t length) {
  if (length < 0) return -EINVAL;
  struct sockaddr_nl kernel;
  memset(&kernel, 0, sizeof kernel);
  kernel.nl_family = AF_NETLINK;
  ssize_t count;
  do {
    count = sendto(fd, buffer, (size_t)length, 0, (struct sockaddr *)&kernel, sizeof kernel);
  } while (count < 0 && errno == EINTR);
  return count < 0 ? -errno : (int64_t)count;
}

int64_t usnet_netlink_receive(int fd, uint8_t *buffer, int64_t length) {
  if (length < 0) return -EINVAL;
  for (;;) {
    struct sockaddr_nl sender;
    memset(&sender, 0, sizeof sender);
    socklen_t sender_length = sizeof sender;
    // MSG_TRUNC makes a peek report the datagram's full length even when it does not fit.
    ssize_t count = recvfrom(fd, buffer, (size_t)length, MSG_PEEK | MSG_TRUNC,
                             (struct sockaddr *)&sender, &sender_length);
    if (count < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    if (sender.nl_pid != 0 || count <= length) {
      ssize_t consumed;
      do {
        consumed = recv(fd, buffer, (size_t)length, 0);
      } while (consumed < 0 && errno == EINTR);
      if (consumed < 0) return -errno;
      if (sender.nl_pid != 0) continue;  // not from the kernel: dropped
    }
    return (int64_t)count;
  }
}

int usnet_netns_unshare(void) {
  return unshare(CLONE_NEWNET) < 0 ? -errno : 0;
}

int usnet_netns_enter(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  int result = setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
  close(fd);
  return result;
}
