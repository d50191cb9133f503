// The C side of opening a macvtap's character device: a private sysfs of the calling thread's
// network namespace, reads relative to it, a private device node, and TUNGETIFF. Imported by
// UsnetDevice only.
//
// Every function returns a negative errno on failure. Pointers are only ever the caller's
// strings and buffers with their lengths; nothing here keeps a pointer after it returns.
#ifndef USNET_MACVTAP_H
#define USNET_MACVTAP_H

#include <stdint.h>

/// Mounts a sysfs of the calling thread's network namespace, detached (fsopen, fsconfig,
/// fsmount: attached to no path, so no other process sees it) and read-only, nodev, noexec,
/// nosuid. It is unmounted when the returned fd closes. Returns the mount fd (close-on-exec)
/// or -errno (EPERM without CAP_SYS_ADMIN, ENOSYS on kernels before 5.2).
int usnet_sysfs_open(void);

/// Reads at most `length` bytes from the start of the file `path` (relative, NUL-terminated)
/// under the directory fd `directory` into `buffer`. Returns the count or -errno.
int64_t usnet_file_read_at(int directory, const char *path, uint8_t *buffer, int64_t length);

/// Opens the character device `major`:`minor` read-write, nonblocking and close-on-exec through
/// a node made with mknod in a private, detached tmpfs (as in usnet_sysfs_open), which is gone
/// again when this returns: no path in /dev or elsewhere is created or used. Returns the fd or
/// -errno (EPERM without CAP_MKNOD or CAP_SYS_ADMIN, ENXIO when no device has that number).
int usnet_chardev_open(uint32_t major, uint32_t minor);

/// ioctl(fd, TUNGETIFF): copies the name of the link the TUN/TAP or macvtap fd is attached to,
/// NUL-terminated, into `name` (USNET_IFNAME_MAX + 1 bytes). Returns its IFF_* flags (>= 0) or
/// -errno (EBADFD for a macvtap fd whose link was deleted).
int usnet_tun_get_iff(int fd, char *name);

#endif
