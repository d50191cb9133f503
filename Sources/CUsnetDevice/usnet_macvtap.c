// See include/usnet_macvtap.h. Plain Linux calls; no state.
#define _GNU_SOURCE
#include "usnet_macvtap.h"

#include "usnet_device.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/// A new filesystem of type `type`, mounted nowhere, with the MOUNT_ATTR_* `attributes`.
static int usnet_detached_mount(const char *type, unsigned int attributes) {
  int context = fsopen(type, FSOPEN_CLOEXEC);
  if (context < 0) return -errno;
  if (fsconfig(context, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
    int error = errno;
    close(context);
    return -error;
  }
  int mount = fsmount(context, FSMOUNT_CLOEXEC, attributes);
  int error = errno;
  close(context);
  return mount < 0 ? -error : mount;
}

int usnet_sysfs_open(void) {
  return usnet_detached_mount(
      "sysfs", MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSUID);
}

int64_t usnet_file_read_at(int directory, const char *path, uint8_t *buffer, int64_t length) {
  if (length < 0) return -EINVAL;
  int fd = openat(directory, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  ssize_t count;
  do {
    count = read(fd, buffer, (size_t)length);
  } while (count < 0 && errno == EINTR);
  int error = errno;
  close(fd);
  return count < 0 ? -error : (int64_t)count;
}

int usnet_chardev_open(uint32_t major, uint32_t minor) {
  int directory = usnet_detached_mount("tmpfs", MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSUID);
  if (directory < 0) return directory;
  int result;
  if (mknodat(directory, "device", S_IFCHR | 0600, makedev(major, minor)) < 0) {
    result = -errno;
  } else {
    int fd = openat(directory, "device", O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    result = fd < 0 ? -errno : fd;
    unlinkat(directory, "device", 0);
  }
  close(directory);
  return result;
}

int usnet_tun_get_iff(int fd, char *name) {
  struct ifreq request;
  memset(&request, 0, sizeof request);
  if (ioctl(fd, TUNGETIFF, &request) < 0) return -errno;
  memcpy(name, request.ifr_name, IFNAMSIZ);
  name[USNET_IFNAME_MAX] = 0;
  return (unsigned short)request.ifr_flags;
}
