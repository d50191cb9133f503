#!/usr/bin/env bash
# The interop lab (docs: /work/shared/reference/lab-notes.md, section 2), built with ip(8).
#
#   ci/netns-lab.sh up TAG        build namespaces usnet-a-TAG and usnet-b-TAG, print their names
#   ci/netns-lab.sh down TAG      kill what runs in them and delete them
#   ci/netns-lab.sh run TAG CMD…  build, run CMD (with LAB_A, LAB_B exported), always tear down
#
# TAG: 1-16 of [a-z0-9]. Root only. A failed `up` removes what it built.
#
# usnet-a-TAG, the userspace side; its kernel has no address on the lab segment except on
# va-raw, whose local route is deleted so that the kernel never answers for it (lab note G9):
#   utap0 (persistent TAP) ─┐
#                           ├─ ubr0 (bridge) ─ va-tap ══ vb-tap ─┐
#   va-mvt (macvtap bridge-mode parent) ══════ vb-mvt ───────────┤
#   va-pt  (macvtap passthru parent) ═════════ vb-pt ────────────┤
#   va-raw (AF_PACKET) 198.18.0.12/24, default via .2 ══ vb-raw ─┤
# usnet-b-TAG, the kernel peer:                      kbr0 (bridge) 198.18.0.2/24
#
# Stack addresses: TAP 198.18.0.10, macvtap bridge .11, AF_PACKET .12, macvtap passthru .13.
# Addresses come only from 198.18.0.0/15 and exist only inside the two namespaces; IPv6 is off.
set -euo pipefail

usage() {
  sed -n '2,9p' "$0" >&2
  exit 2
}

[[ $# -ge 2 ]] || usage
command=$1
tag=$2
shift 2
[[ $tag =~ ^[a-z0-9]{1,16}$ ]] || { echo "netns-lab: bad TAG '$tag'" >&2; exit 2; }
a="usnet-a-$tag"
b="usnet-b-$tag"

in_a() { ip netns exec "$a" "$@"; }
in_b() { ip netns exec "$b" "$@"; }

down() {
  local namespace pid
  for namespace in "$a" "$b"; do
    [[ -e /run/netns/$namespace ]] || continue
    # A process inside pins a deleted namespace (lab note G11).
    for pid in $(ip netns pids "$namespace" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip -n "$namespace" link del utap0 2>/dev/null || true
    ip netns del "$namespace" 2>/dev/null || true
  done
}

up() {
  if [[ -e /run/netns/$a || -e /run/netns/$b ]]; then
    echo "netns-lab: $a or $b exists already" >&2
    exit 1
  fi
  trap 'down' ERR
  ip netns add "$a"
  ip netns add "$b"
  for namespace in "$a" "$b"; do
    ip netns exec "$namespace" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec "$namespace" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
    ip -n "$namespace" link set lo up
  done

  ip -n "$b" link add kbr0 type bridge
  ip -n "$b" link set kbr0 address 02:00:c6:12:00:02
  ip -n "$b" addr add 198.18.0.2/24 dev kbr0
  ip -n "$b" link set kbr0 up

  for path in tap mvt pt raw; do
    ip -n "$a" link add "va-$path" type veth peer name "vb-$path" netns "$b"
    ip -n "$b" link set "vb-$path" master kbr0
    ip -n "$b" link set "vb-$path" up
    ip -n "$a" link set "va-$path" up
  done

  ip -n "$a" link add ubr0 type bridge
  ip -n "$a" link set va-tap master ubr0
  in_a ip tuntap add dev utap0 mode tap
  ip -n "$a" link set utap0 master ubr0
  ip -n "$a" link set utap0 up
  ip -n "$a" link set ubr0 up

  # AF_PACKET (RawConfig) takes the default route's interface with its address and gateway.
  ip -n "$a" addr add 198.18.0.12/24 dev va-raw
  ip -n "$a" route add default via 198.18.0.2 dev va-raw
  ip -n "$a" route del local 198.18.0.12 dev va-raw table local
  trap - ERR
  echo "LAB_A=$a"
  echo "LAB_B=$b"
}

case $command in
  up) up ;;
  down) down ;;
  run)
    [[ $# -ge 1 ]] || usage
    trap 'down' EXIT INT TERM
    up >/dev/null
    LAB_A=$a LAB_B=$b "$@"
    ;;
  *) usage ;;
esac
