/// A first-in first-out queue on an array with a moving head, compacted as it drains.
///
/// Amortised O(1) push and pop without allocating once its storage has grown to the working
/// size. Not thread-safe.
struct FIFO<Element> {
  private var storage: [Element] = []
  private var head = 0

  var isEmpty: Bool { head == storage.count }
  var count: Int { storage.count - head }
  var first: Element? { isEmpty ? nil : storage[head] }

  mutating func append(_ element: Element) {
    storage.append(element)
  }

  mutating func popFirst() -> Element? {
    guard head < storage.count else { return nil }
    let element = storage[head]
    head += 1
    if head == storage.count {
      storage.removeAll(keepingCapacity: true)
      head = 0
    } else if head >= 1024 && head * 2 >= storage.count {
      storage.removeFirst(head)
      head = 0
    }
    return element
  }

  /// Every element, oldest first.
  var elements: ArraySlice<Element> { storage[head...] }

  mutating func removeAll(where predicate: (Element) -> Bool) {
    storage = storage[head...].filter { !predicate($0) }
    head = 0
  }
}
