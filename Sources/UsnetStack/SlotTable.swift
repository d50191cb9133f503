/// A table of objects addressed by slot index and generation, with a free list.
///
/// Lookups are O(1) array accesses; freed slots are reused with a bumped generation so that stale
/// handles miss. Not thread-safe: owned by one ``NetworkStack``.
struct SlotTable<Object: AnyObject> {
  private var objects: [Object?] = []
  private var generations: [UInt32] = []
  private var freeSlots: [Int] = []
  private(set) var count = 0

  /// Stores `make(index, generation)` in a free slot and returns its slot and generation.
  mutating func insert(_ make: (Int, UInt32) -> Object) -> Object {
    let index: Int
    if let reused = freeSlots.popLast() {
      index = reused
    } else {
      index = objects.count
      objects.append(nil)
      generations.append(1)
    }
    let object = make(index, generations[index])
    objects[index] = object
    count += 1
    return object
  }

  /// The object in `index` if its generation matches.
  func get(index: Int, generation: UInt32) -> Object? {
    guard index >= 0, index < objects.count, generations[index] == generation else { return nil }
    return objects[index]
  }

  /// Frees the slot if its generation matches.
  mutating func remove(index: Int, generation: UInt32) {
    guard index >= 0, index < objects.count, generations[index] == generation,
      objects[index] != nil
    else { return }
    objects[index] = nil
    generations[index] &+= 1
    freeSlots.append(index)
    count -= 1
  }

  /// Every live object, in slot order. For rare whole-table operations only (never per packet).
  var all: [Object] { objects.compactMap { $0 } }
}
