// Thread placement for UsnetDevice's `ThreadAffinity`. Returns a negative errno on failure.
#ifndef USNET_THREAD_H
#define USNET_THREAD_H

/// sched_setaffinity(0, …) with the single CPU `cpu`: pins the calling thread. Returns 0 or
/// -errno (EINVAL for a CPU that does not exist or is not allowed).
int usnet_pin_current_thread(int cpu);

#endif
