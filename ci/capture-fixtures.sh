#!/usr/bin/env bash
# Regenerates Fixtures/pcaps: short exchanges between the Linux kernel and `usnet serve` on a
# TAP, recorded by tcpdump on the kernel side of the TAP and cut into one file per exchange.
# Needs root, iproute2, tcpdump, curl, ping and python3. Usage (from anywhere):
#   ci/capture-fixtures.sh [path/to/usnet]     # default: builds it into .build-fixtures
# The replay tests (Tests/UsnetReplayTests) rely on the identities fixed here: the stack is
# 02:00:c6:12:05:02 / 198.18.5.2/24 (gateway 198.18.5.1) with the default knobs, the kernel
# side of the TAP is 198.18.5.1, and the kernel's ports are fixed per exchange.
set -euo pipefail

cd "$(dirname "$0")/.."
if [[ $(id -u) -ne 0 ]]; then
  echo "capture-fixtures: needs root (a network namespace and a TAP)" >&2
  exit 1
fi
for tool in ip tcpdump curl ping python3; do
  command -v "$tool" >/dev/null || { echo "capture-fixtures: $tool is not installed" >&2; exit 1; }
done

usnet=${1:-}
if [[ -z $usnet ]]; then
  swift build --scratch-path .build-fixtures --product usnet
  usnet=.build-fixtures/debug/usnet
fi
usnet=$(realpath "$usnet")

out=Fixtures/pcaps
ns=usnet-fixtures-$$
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

in_ns() { ip netns exec "$ns" "$@"; }

ip netns add "$ns"
in_ns ip link set lo up

# The stack: a TAP created inside the namespace (usnet0), its kernel side 198.18.5.1.
USNET_SOCKETS='{"TapConfig":{"Create":{"mac":{"Static":"02:00:c6:12:05:02"},
  "ipv4":{"Static":{"ipv4":"198.18.5.2","sub":24,"gateway":"198.18.5.1"}},
  "host_ip":"198.18.5.1"}}}' USNET_KERNEL_TWIN=off \
  ip netns exec "$ns" "$usnet" serve --echo 7 --http 80 >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  grep -q "http listening" "$work/serve.log" && break
  sleep 0.1
done
grep -q "http listening" "$work/serve.log" || { cat "$work/serve.log" >&2; exit 1; }

# --immediate-mode: without it a quick stop loses the last packets (lab note G12). Started
# without the in_ns function, so $! is tcpdump itself (ip netns exec execs it), and stopped
# with SIGTERM: a background job of a script ignores SIGINT.
ip netns exec "$ns" tcpdump -i usnet0 --immediate-mode -U -n -w "$work/all.pcap" \
  2>"$work/tcpdump.log" &
pids+=($!)
sleep 1

# ARP and an ICMP echo (the kernel resolves the stack first).
in_ns ping -c 1 -W 2 198.18.5.2 >/dev/null
# An HTTP/1.0 GET with an orderly close.
in_ns curl -sS --http1.0 --local-port 40080 -o "$work/page" http://198.18.5.2/
# A connect to a closed port, answered by a RST.
in_ns curl -sS --local-port 40081 http://198.18.5.2:81/ 2>/dev/null && exit 1
# An echo whose client half-closes first, then reads the echo to the end.
in_ns python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("198.18.5.1", 40007))
s.connect(("198.18.5.2", 7))
s.sendall(b"hello, usnet\n")
s.shutdown(socket.SHUT_WR)
data = b""
while chunk := s.recv(4096):
    data += chunk
assert data == b"hello, usnet\n", data
s.close()
PY
sleep 0.5
kill -TERM "${pids[1]}"
wait "${pids[1]}" || true

cut() { tcpdump -r "$work/all.pcap" -w "$out/$1.pcap" "$2" 2>/dev/null; }
mkdir -p "$out"
cut arp-resolution 'arp'
cut icmp-echo 'icmp'
cut http-get 'tcp port 40080'
cut closed-port-rst 'tcp port 40081'
cut echo-half-close 'tcp port 40007'
for file in "$out"/*.pcap; do
  echo "$file: $(tcpdump -r "$file" 2>/dev/null | wc -l) frames, $(stat -c %s "$file") bytes"
done
