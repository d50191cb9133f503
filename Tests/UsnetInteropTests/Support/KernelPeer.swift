/// Small Python programs that play the kernel's side where no Debian program fits, run with
/// `python3 -c <script> <arguments>` in the lab's kernel namespace. Each exits by itself
/// (`signal.alarm`), so a stuck peer cannot outlive its test.
enum KernelPeer {
  /// `<host> <port>`: connects, sends a line, waits for its echo and closes with SO_LINGER 0
  /// (a reset instead of a FIN).
  static let abortiveClient = """
    import socket, struct, signal, sys
    signal.alarm(10)
    connection = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
    connection.sendall(b"reset me\\n")
    assert connection.recv(64) == b"reset me\\n"
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()
    """

  /// `<host> <port> sequential|concurrent <count>`: `count` connections to an echo server, one
  /// after the other or all open at once, each sending 64 bytes, reading them back and
  /// closing. Prints `OK <count> <seconds> s` or the first failure.
  static let connectionChurn = """
    import os, signal, socket, sys, threading, time
    signal.alarm(120)
    host, port, mode, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    failures = []
    def exchange(index, barrier=None):
        try:
            connection = socket.create_connection((host, port), timeout=20)
            if barrier:
                barrier.wait(timeout=60)
            message = os.urandom(64)
            connection.sendall(message)
            received = b""
            while len(received) < len(message):
                chunk = connection.recv(64)
                if not chunk:
                    break
                received += chunk
            connection.close()
            if received != message:
                failures.append("connection %d: echo differs" % index)
        except Exception as error:
            failures.append("connection %d: %r" % (index, error))
    start = time.monotonic()
    if mode == "sequential":
        for index in range(count):
            exchange(index)
            if failures:
                break
    else:
        barrier = threading.Barrier(count)
        threads = [threading.Thread(target=exchange, args=(i, barrier)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.monotonic() - start
    print(failures[0] if failures else "OK %d %.3f s" % (count, elapsed))
    """

  /// `<bytes>`: the SHA-256 (hex) of the first `bytes` of `usnet serve --source`'s stream:
  /// rotating lines of 72 printable ASCII characters and CRLF (RFC 864).
  static let sourceDigest = """
    import hashlib, sys
    count = int(sys.argv[1])
    period = b"".join(
        bytes(32 + (line + column) % 95 for column in range(72)) + b"\\r\\n" for line in range(95))
    digest = hashlib.sha256()
    whole, rest = divmod(count, len(period))
    block = period * 1000
    for _ in range(whole // 1000):
        digest.update(block)
    digest.update(period * (whole % 1000) + period[:rest])
    print(digest.hexdigest())
    """

  /// `<host> <port>`: accepts one connection and reads until it ends; prints `RESET` when it
  /// ends with a reset (ECONNRESET), `EOF` when it ends with a FIN.
  static let resetServer = """
    import signal, socket, sys
    signal.alarm(280)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((sys.argv[1], int(sys.argv[2])))
    listener.listen(1)
    print("READY", flush=True)
    connection, peer = listener.accept()
    connection.settimeout(60)
    try:
        while connection.recv(1 << 16):
            pass
        print("EOF", flush=True)
    except ConnectionResetError:
        print("RESET", flush=True)
    """
}
