#define _GNU_SOURCE
#include "usnet_thread.h"

#include <errno.h>
#include <sched.h>

int usnet_pin_current_thread(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) return -EINVAL;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) < 0 ? -errno : 0;
}
