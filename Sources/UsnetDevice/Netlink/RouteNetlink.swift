/// The rtnetlink numbers UsnetDevice uses, from the Linux UAPI headers (`linux/netlink.h`,
/// `linux/rtnetlink.h`, `linux/if_link.h`, `linux/if_addr.h`, `linux/veth.h`, `linux/if.h`).
/// They are kernel ABI and never change; the names follow the C macros so they can be looked
/// up there.
enum RouteNetlink {
  // Message types.
  static let noop: UInt16 = 1  // NLMSG_NOOP
  static let error: UInt16 = 2  // NLMSG_ERROR
  static let done: UInt16 = 3  // NLMSG_DONE
  static let overrun: UInt16 = 4  // NLMSG_OVERRUN
  static let newLink: UInt16 = 16  // RTM_NEWLINK
  static let deleteLink: UInt16 = 17  // RTM_DELLINK
  static let getLink: UInt16 = 18  // RTM_GETLINK
  static let setLink: UInt16 = 19  // RTM_SETLINK
  static let newAddress: UInt16 = 20  // RTM_NEWADDR
  static let getAddress: UInt16 = 22  // RTM_GETADDR
  static let newRoute: UInt16 = 24  // RTM_NEWROUTE
  static let getRoute: UInt16 = 26  // RTM_GETROUTE

  // nlmsg_flags.
  static let request: UInt16 = 0x1  // NLM_F_REQUEST
  static let acknowledge: UInt16 = 0x4  // NLM_F_ACK
  static let dumpInterrupted: UInt16 = 0x10  // NLM_F_DUMP_INTR
  static let dump: UInt16 = 0x300  // NLM_F_DUMP (NLM_F_ROOT | NLM_F_MATCH)
  static let exclusive: UInt16 = 0x200  // NLM_F_EXCL
  static let create: UInt16 = 0x400  // NLM_F_CREATE
  static let capped: UInt16 = 0x100  // NLM_F_CAPPED (on NLMSG_ERROR)
  static let acknowledgmentTLVs: UInt16 = 0x200  // NLM_F_ACK_TLVS (on NLMSG_ERROR, NLMSG_DONE)

  // Extended acknowledgment attributes.
  static let errorMessage: UInt16 = 1  // NLMSGERR_ATTR_MSG

  // Address families.
  static let unspecifiedFamily: UInt8 = 0  // AF_UNSPEC
  static let ipv4Family: UInt8 = 2  // AF_INET

  // Link attributes (IFLA_*) and link info.
  static let linkAddress: UInt16 = 1  // IFLA_ADDRESS
  static let linkName: UInt16 = 3  // IFLA_IFNAME
  static let linkMTU: UInt16 = 4  // IFLA_MTU
  static let linkParent: UInt16 = 5  // IFLA_LINK
  static let linkInfo: UInt16 = 18  // IFLA_LINKINFO
  static let linkInfoKind: UInt16 = 1  // IFLA_INFO_KIND
  static let linkInfoData: UInt16 = 2  // IFLA_INFO_DATA
  static let macvlanMode: UInt16 = 1  // IFLA_MACVLAN_MODE
  static let vethPeer: UInt16 = 1  // VETH_INFO_PEER

  // Link flags (ifi_flags).
  static let linkUp: UInt32 = 0x1  // IFF_UP
  static let linkRunning: UInt32 = 0x40  // IFF_RUNNING

  // Address attributes (IFA_*).
  static let addressAddress: UInt16 = 1  // IFA_ADDRESS
  static let addressLocal: UInt16 = 2  // IFA_LOCAL
  static let addressLabel: UInt16 = 3  // IFA_LABEL

  // Route attributes (RTA_*), tables and types.
  static let routeDestination: UInt16 = 1  // RTA_DST
  static let routeOutputLink: UInt16 = 4  // RTA_OIF
  static let routeGateway: UInt16 = 5  // RTA_GATEWAY
  static let routePriority: UInt16 = 6  // RTA_PRIORITY
  static let routePreferredSource: UInt16 = 7  // RTA_PREFSRC
  static let routeTable: UInt16 = 15  // RTA_TABLE
  static let mainTable: UInt32 = 254  // RT_TABLE_MAIN
  static let unicastRoute: UInt8 = 1  // RTN_UNICAST

  // errno values used in reports.
  static let badMessage: Int32 = 74  // EBADMSG
  static let noDevice: Int32 = 19  // ENODEV
}
