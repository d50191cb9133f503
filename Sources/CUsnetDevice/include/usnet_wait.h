// Waiting on several descriptors and waking a waiter from another thread: eventfd(2) and
// ppoll(2) for UsnetDevice's `WakeupEvent` and `ReadinessWait`. Every function returns a
// negative errno on failure.
#ifndef USNET_WAIT_H
#define USNET_WAIT_H

#include <stdint.h>

/// eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC). Returns the fd or -errno.
int usnet_eventfd_open(void);

/// Adds 1 to the eventfd's counter (write(2) of a uint64_t). Returns 0 or -errno; a full
/// counter (EAGAIN) counts as signalled.
int usnet_eventfd_signal(int fd);

/// Resets the eventfd's counter (read(2) of a uint64_t). Returns 1 when it was signalled,
/// 0 when it was not (EAGAIN), -errno on failure.
int usnet_eventfd_drain(int fd);

/// ppoll(2) for POLLIN on `first` and `second` for at most `timeout_ns` (negative: forever).
/// Returns a bit mask (1: `first` readable, 2: `second` readable; POLLERR and POLLHUP count as
/// readable so the next call reports them), 0 on timeout or EINTR, -errno on failure.
int usnet_fds_wait_readable(int first, int second, int64_t timeout_ns);

#endif
