// See include/usnet_socket.h. Plain POSIX and Linux calls; no state.
#define _GNU_SOURCE
#include "usnet_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/// Packs `address` into `storage`; returns its length, or 0 for an unknown family.
static socklen_t pack(usnet_sockaddr address, struct sockaddr_storage *storage) {
  memset(storage, 0, sizeof *storage);
  if (address.family == 4) {
    struct sockaddr_in *in = (struct sockaddr_in *)storage;
    in->sin_family = AF_INET;
    in->sin_port = htons(address.port);
    in->sin_addr.s_addr = htonl(address.v4);
    return sizeof *in;
  }
  if (address.family == 6) {
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)storage;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(address.port);
    in6->sin6_scope_id = address.scope_id;
    for (int index = 0; index < 8; index++) {
      in6->sin6_addr.s6_addr[index] = (uint8_t)(address.v6_high >> (56 - 8 * index));
      in6->sin6_addr.s6_addr[8 + index] = (uint8_t)(address.v6_low >> (56 - 8 * index));
    }
    return sizeof *in6;
  }
  return 0;
}

/// Unpacks `storage`; family 0 for anything but AF_INET and AF_INET6.
static usnet_sockaddr unpack(const struct sockaddr_storage *storage) {
  usnet_sockaddr address;
  memset(&address, 0, sizeof address);
  if (storage->ss_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)storage;
    address.family = 4;
    address.port = ntohs(in->sin_port);
    address.v4 = ntohl(in->sin_addr.s_addr);
  } else if (storage->ss_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)storage;
    address.family = 6;
    address.port = ntohs(in6->sin6_port);
    address.scope_id = in6->sin6_scope_id;
    for (int index = 0; index < 8; index++) {
      address.v6_high = address.v6_high << 8 | in6->sin6_addr.s6_addr[index];
      address.v6_low = address.v6_low << 8 | in6->sin6_addr.s6_addr[8 + index];
    }
  }
  return address;
}

int usnet_sock_open(int family, int type) {
  int domain = family == 4 ? AF_INET : family == 6 ? AF_INET6 : -1;
  int kind = type == USNET_SOCK_STREAM ? SOCK_STREAM : type == USNET_SOCK_DGRAM ? SOCK_DGRAM : -1;
  if (domain < 0 || kind < 0) return -EINVAL;
  int fd = socket(domain, kind | SOCK_CLOEXEC, 0);
  return fd < 0 ? -errno : fd;
}

int usnet_sock_bind(int fd, usnet_sockaddr address) {
  struct sockaddr_storage storage;
  socklen_t length = pack(address, &storage);
  if (length == 0) return -EINVAL;
  return bind(fd, (struct sockaddr *)&storage, length) < 0 ? -errno : 0;
}

int usnet_sock_listen(int fd, int backlog) {
  return listen(fd, backlog) < 0 ? -errno : 0;
}

usnet_sock_result usnet_sock_accept(int fd) {
  usnet_sock_result result;
  memset(&result, 0, sizeof result);
  struct sockaddr_storage storage;
  socklen_t length;
  int accepted;
  do {
    length = sizeof storage;
    accepted = accept4(fd, (struct sockaddr *)&storage, &length, SOCK_CLOEXEC);
  } while (accepted < 0 && errno == EINTR);
  if (accepted < 0) {
    result.value = -errno;
    return result;
  }
  result.value = accepted;
  result.address = unpack(&storage);
  return result;
}

/// The monotonic clock in nanoseconds.
static int64_t now_ns(void) {
  struct timespec time;
  clock_gettime(CLOCK_MONOTONIC, &time);
  return (int64_t)time.tv_sec * 1000000000 + time.tv_nsec;
}

/// Polls until `fd` is writable (the connect finished) or `deadline_ns` (< 0: never) passes.
/// Then reads SO_ERROR. 0 or -errno.
static int finish_connect(int fd, int64_t deadline_ns) {
  for (;;) {
    int timeout_ms = -1;
    if (deadline_ns >= 0) {
      int64_t left = deadline_ns - now_ns();
      if (left <= 0) return -ETIMEDOUT;
      int64_t ms = (left + 999999) / 1000000;
      timeout_ms = ms > 0x7fffffff ? 0x7fffffff : (int)ms;
    }
    struct pollfd entry = {.fd = fd, .events = POLLOUT, .revents = 0};
    int ready = poll(&entry, 1, timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    if (ready == 0) continue;  // the deadline check above reports it
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0) return -errno;
    if (error != 0) return -error;
    if (entry.revents & (POLLHUP | POLLERR)) return -ECONNREFUSED;
    return 0;
  }
}

int usnet_sock_connect(int fd, usnet_sockaddr address, int64_t timeout_ns) {
  struct sockaddr_storage storage;
  socklen_t length = pack(address, &storage);
  if (length == 0) return -EINVAL;
  if (timeout_ns < 0) {
    if (connect(fd, (struct sockaddr *)&storage, length) == 0) return 0;
    if (errno != EINTR) return -errno;
    // An interrupted blocking connect goes on in the background: wait for it.
    return finish_connect(fd, -1);
  }
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return -errno;
  if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -errno;
  int64_t deadline = now_ns() + timeout_ns;
  if (deadline < 0) deadline = INT64_MAX;  // saturate: Duration.max must not wrap
  int result = 0;
  if (connect(fd, (struct sockaddr *)&storage, length) < 0) {
    result = (errno == EINPROGRESS || errno == EINTR) ? finish_connect(fd, deadline) : -errno;
  }
  if (fcntl(fd, F_SETFL, flags) < 0 && result == 0) result = -errno;
  return result;
}

usnet_sock_result usnet_sock_receive(int fd, uint8_t *buffer, int64_t length, int peek) {
  usnet_sock_result result;
  memset(&result, 0, sizeof result);
  if (length < 0) {
    result.value = -EINVAL;
    return result;
  }
  struct sockaddr_storage storage;
  socklen_t address_length;
  ssize_t count;
  do {
    memset(&storage, 0, sizeof storage);
    address_length = sizeof storage;
    count = recvfrom(fd, buffer, (size_t)length, peek ? MSG_PEEK : 0,
                     (struct sockaddr *)&storage, &address_length);
  } while (count < 0 && errno == EINTR);
  if (count < 0) {
    result.value = -errno;
    return result;
  }
  result.value = count;
  if (address_length > 0) result.address = unpack(&storage);
  return result;
}

int64_t usnet_sock_send(int fd, const uint8_t *buffer, int64_t length, usnet_sockaddr address) {
  if (length < 0) return -EINVAL;
  struct sockaddr_storage storage;
  socklen_t address_length = 0;
  if (address.family != 0) {
    address_length = pack(address, &storage);
    if (address_length == 0) return -EINVAL;
  }
  ssize_t count;
  do {
    count = sendto(fd, buffer, (size_t)length, MSG_NOSIGNAL,
                   address_length ? (struct sockaddr *)&storage : NULL, address_length);
  } while (count < 0 && errno == EINTR);
  return count < 0 ? -errno : (int64_t)count;
}

int usnet_sock_shutdown(int fd, int how) {
  int mode = how == 0 ? SHUT_RD : how == 1 ? SHUT_WR : how == 2 ? SHUT_RDWR : -1;
  if (mode < 0) return -EINVAL;
  return shutdown(fd, mode) < 0 ? -errno : 0;
}

usnet_sock_result usnet_sock_name(int fd, int peer) {
  usnet_sock_result result;
  memset(&result, 0, sizeof result);
  struct sockaddr_storage storage;
  memset(&storage, 0, sizeof storage);
  socklen_t length = sizeof storage;
  int status = peer ? getpeername(fd, (struct sockaddr *)&storage, &length)
                    : getsockname(fd, (struct sockaddr *)&storage, &length);
  if (status < 0) {
    result.value = -errno;
    return result;
  }
  result.address = unpack(&storage);
  return result;
}

/// The level and name of a USNET_OPT_* option; 0 when unknown.
static int option_of(int option, int *level, int *name) {
  switch (option) {
  case USNET_OPT_REUSEADDR: *level = SOL_SOCKET; *name = SO_REUSEADDR; return 1;
  case USNET_OPT_NODELAY: *level = IPPROTO_TCP; *name = TCP_NODELAY; return 1;
  case USNET_OPT_TTL: *level = IPPROTO_IP; *name = IP_TTL; return 1;
  case USNET_OPT_KEEPALIVE: *level = SOL_SOCKET; *name = SO_KEEPALIVE; return 1;
  case USNET_OPT_BROADCAST: *level = SOL_SOCKET; *name = SO_BROADCAST; return 1;
  case USNET_OPT_ERROR: *level = SOL_SOCKET; *name = SO_ERROR; return 1;
  case USNET_OPT_MULTICAST_LOOP_V4: *level = IPPROTO_IP; *name = IP_MULTICAST_LOOP; return 1;
  case USNET_OPT_MULTICAST_TTL_V4: *level = IPPROTO_IP; *name = IP_MULTICAST_TTL; return 1;
  case USNET_OPT_MULTICAST_LOOP_V6: *level = IPPROTO_IPV6; *name = IPV6_MULTICAST_LOOP; return 1;
  case USNET_OPT_V6ONLY: *level = IPPROTO_IPV6; *name = IPV6_V6ONLY; return 1;
  case USNET_OPT_USER_TIMEOUT: *level = IPPROTO_TCP; *name = TCP_USER_TIMEOUT; return 1;
  default: return 0;
  }
}

int usnet_sock_set_int(int fd, int option, int value) {
  int level, name;
  if (!option_of(option, &level, &name)) return -EINVAL;
  return setsockopt(fd, level, name, &value, sizeof value) < 0 ? -errno : 0;
}

usnet_sock_value usnet_sock_get_int(int fd, int option) {
  usnet_sock_value result = {.error = 0, .value = 0};
  int level, name;
  if (!option_of(option, &level, &name)) {
    result.error = EINVAL;
    return result;
  }
  // IP_MULTICAST_LOOP and IP_MULTICAST_TTL may come back as a single byte.
  int value = 0;
  socklen_t length = sizeof value;
  if (getsockopt(fd, level, name, &value, &length) < 0) {
    result.error = errno;
    return result;
  }
  result.value = length == 1 ? (int64_t)(unsigned char)value : (int64_t)value;
  return result;
}

int usnet_sock_set_timeout(int fd, int which, int64_t seconds, int64_t microseconds) {
  struct timeval value = {.tv_sec = (time_t)seconds, .tv_usec = (suseconds_t)microseconds};
  int name = which == USNET_TIMEOUT_SEND ? SO_SNDTIMEO : SO_RCVTIMEO;
  return setsockopt(fd, SOL_SOCKET, name, &value, sizeof value) < 0 ? -errno : 0;
}

usnet_sock_value usnet_sock_get_timeout(int fd, int which) {
  usnet_sock_value result = {.error = 0, .value = 0};
  struct timeval value;
  socklen_t length = sizeof value;
  int name = which == USNET_TIMEOUT_SEND ? SO_SNDTIMEO : SO_RCVTIMEO;
  if (getsockopt(fd, SOL_SOCKET, name, &value, &length) < 0) {
    result.error = errno;
    return result;
  }
  result.value = (int64_t)value.tv_sec * 1000000 + value.tv_usec;
  return result;
}

int usnet_sock_set_linger(int fd, int on, int seconds) {
  struct linger value = {.l_onoff = on ? 1 : 0, .l_linger = seconds};
  return setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, sizeof value) < 0 ? -errno : 0;
}

usnet_sock_value usnet_sock_get_linger(int fd) {
  usnet_sock_value result = {.error = 0, .value = 0};
  struct linger value;
  socklen_t length = sizeof value;
  if (getsockopt(fd, SOL_SOCKET, SO_LINGER, &value, &length) < 0) {
    result.error = errno;
    return result;
  }
  result.value = value.l_onoff ? value.l_linger : -1;
  return result;
}

int usnet_sock_multicast_v4(int fd, int join, uint32_t group, uint32_t interface) {
  struct ip_mreq request;
  request.imr_multiaddr.s_addr = htonl(group);
  request.imr_interface.s_addr = htonl(interface);
  int name = join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP;
  return setsockopt(fd, IPPROTO_IP, name, &request, sizeof request) < 0 ? -errno : 0;
}

int usnet_sock_multicast_v6(int fd, int join, uint64_t high, uint64_t low, uint32_t interface) {
  struct ipv6_mreq request;
  memset(&request, 0, sizeof request);
  for (int index = 0; index < 8; index++) {
    request.ipv6mr_multiaddr.s6_addr[index] = (uint8_t)(high >> (56 - 8 * index));
    request.ipv6mr_multiaddr.s6_addr[8 + index] = (uint8_t)(low >> (56 - 8 * index));
  }
  request.ipv6mr_interface = interface;
  int name = join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP;
  return setsockopt(fd, IPPROTO_IPV6, name, &request, sizeof request) < 0 ? -errno : 0;
}

int usnet_fd_set_nonblocking(int fd, int on) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return -errno;
  int wanted = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (wanted != flags && fcntl(fd, F_SETFL, wanted) < 0) return -errno;
  return 0;
}

int usnet_fd_duplicate(int fd) {
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  return copy < 0 ? -errno : copy;
}
