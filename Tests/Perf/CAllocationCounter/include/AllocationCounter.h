#ifndef USNET_ALLOCATION_COUNTER_H
#define USNET_ALLOCATION_COUNTER_H

#include <stdint.h>

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc) made by the
/// process since it started. Counting is done by interposing the allocator in the executable
/// that links this target; it is thread-safe (atomic).
uint64_t usnet_allocation_count(void);

#endif
